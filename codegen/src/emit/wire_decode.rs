//! `wire::Decode` for the named types response bodies carry (`Shape::decoded`): the client's parser, in place of
//! serde's derived `Deserialize` (which stays, for users).
//!
//! The generated code is a loop and a `match` on wire names; the runtime does the rest (`runtime/src/wire/`):
//! structures loop over `wire::Members` (object or array form, duplicate members, `null` as absent), unions over
//! `wire::UnionMembers` (one member set, `__type`, unknown members), enums go through their `From<&str>`. Lists,
//! maps, strings, numbers, timestamps, blobs and documents have the runtime's own impls, so no shape but a named
//! one needs code here.

use super::paths;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The `decode` function's signature, shared by every impl.
fn signature() -> TokenStream {
    let (reader, error) = (paths::wire_reader(), paths::wire_decode_error());
    quote!(fn decode(reader: &mut #reader<'_>) -> ::std::result::Result<Self, #error>)
}

/// `Decode` for a structure: each member's value by its index in model order (`Members` reports duplicates and
/// reads serde's array form by that order).
pub fn structure_decode(shape: &Shape, structure: &Structure) -> TokenStream {
    if !shape.decoded {
        return TokenStream::new();
    }
    let (decode, members_type) = (paths::wire_decode_trait(), paths::wire_members());
    let (name, wire) = (ident(&shape.rust_name), &shape.wire_name);
    let signature = signature();
    let names = structure.members.iter().map(|m| &m.wire_name);
    let begin = quote!(let mut members = #members_type::begin(reader, #wire, &[#(#names),*])?;);
    let body = if structure.members.is_empty() {
        quote! {
            #begin
            while members.next(reader)?.is_some() {
                members.skip(reader)?;
            }
            ::std::result::Result::Ok(<Self as ::std::default::Default>::default())
        }
    } else {
        let arms = structure.members.iter().enumerate().map(|(index, m)| {
            let (field, wire, index) = (ident(&m.rust_name), &m.wire_name, Literal::usize_unsuffixed(index));
            quote!(#wire => out.#field = members.value(reader, #index)?,)
        });
        quote! {
            // Through the trait: an accessor may be called `default`.
            let mut out = <Self as ::std::default::Default>::default();
            #begin
            while let ::std::option::Option::Some(name) = members.next(reader)? {
                match &*name {
                    #(#arms)*
                    _ => members.skip(reader)?,
                }
            }
            ::std::result::Result::Ok(out)
        }
    };
    quote! {
        impl #decode for #name {
            #signature {
                #body
            }
        }
    }
}

/// `Decode` for a union: each known member through its variant, `__type` skipped, others kept by name.
pub fn union_decode(shape: &Shape, structure: &Structure) -> TokenStream {
    if !shape.decoded {
        return TokenStream::new();
    }
    let (decode, union_members) = (paths::wire_decode_trait(), paths::wire_union_members());
    let (name, wire) = (ident(&shape.rust_name), &shape.wire_name);
    let signature = signature();
    let arms = structure.members.iter().map(|m| {
        let (variant, wire) = (ident(&m.rust_name), &m.wire_name);
        quote!(#wire => members.value(reader, Self::#variant)?,)
    });
    // A member the model names `__type` is read as a member, as in the serde path.
    let type_arm = (!structure.members.iter().any(|m| m.wire_name == "__type"))
        .then(|| quote!("__type" => members.skip(reader)?,));
    quote! {
        impl #decode for #name {
            #signature {
                let mut members = #union_members::begin(reader, #wire)?;
                while let ::std::option::Option::Some(name) = members.next(reader)? {
                    match &*name {
                        #(#arms)*
                        #type_arm
                        other => members.unknown(reader, other)?,
                    }
                }
                members.finish(reader, Self::Unknown)
            }
        }
    }
}

/// `Decode` for a string enum: its `From<&str>`, which keeps unknown values.
pub fn enum_decode(shape: &Shape) -> TokenStream {
    if !shape.decoded {
        return TokenStream::new();
    }
    let (decode, decode_str_enum) = (paths::wire_decode_trait(), paths::wire_decode_str_enum());
    let name = ident(&shape.rust_name);
    let signature = signature();
    quote! {
        impl #decode for #name {
            #signature {
                #decode_str_enum(reader)
            }
        }
    }
}
