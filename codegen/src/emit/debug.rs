//! `Debug` that never prints a sensitive value: derived where nothing is sensitive, written out otherwise.

use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// For a structure or its builder named `type_name`: the derive entry (`Debug,`) when nothing needs hiding,
/// else an empty derive entry and a hand-written impl.
pub fn structure_debug(shape: &Shape, members: &[Member]) -> (TokenStream, TokenStream) {
    debug_for(&shape.rust_name, shape, members)
}

pub fn builder_debug(shape: &Shape, members: &[Member]) -> (TokenStream, TokenStream) {
    debug_for(&shape.symbols.builder, shape, members)
}

fn debug_for(type_name: &str, shape: &Shape, members: &[Member]) -> (TokenStream, TokenStream) {
    if !shape.sensitive && !members.iter().any(|m| m.sensitive) {
        return (quote!(::std::fmt::Debug,), TokenStream::new());
    }
    let name = ident(type_name);
    let fields = members.iter().map(|m| {
        let (label, field) = (crate::naming::bare(&m.rust_name), ident(&m.rust_name));
        if shape.sensitive || m.sensitive {
            quote!(formatter.field(#label, &#REDACTED);)
        } else {
            quote!(formatter.field(#label, &self.#field);)
        }
    });
    let implementation = quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut formatter = f.debug_struct(#type_name);
                #(#fields)*
                formatter.finish()
            }
        }
    };
    (TokenStream::new(), implementation)
}

/// For a union: derived, or written out with redacted variant payloads.
pub fn union_debug(shape: &Shape, members: &[Member]) -> (TokenStream, TokenStream) {
    if !shape.sensitive && !members.iter().any(|m| m.sensitive) {
        return (quote!(::std::fmt::Debug,), TokenStream::new());
    }
    let name = ident(&shape.rust_name);
    let arms = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let label = &m.rust_name;
        if shape.sensitive || m.sensitive {
            quote!(Self::#variant(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),)
        } else {
            quote!(Self::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
        }
    });
    let implementation = quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms)*
                    Self::Unknown(value) => f.debug_tuple("Unknown").field(value).finish(),
                }
            }
        }
    };
    (TokenStream::new(), implementation)
}
