//! Structures: the serde type, its accessors, redacted `Debug`, and exception `Display`/`Error`.

use super::doc_attrs::{deprecated, docs, shape_docs};
use super::rust_types::{builder_path, member_field_type, rust_type};
use super::{debug, paths, validation, Role};
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// Everything for one structure shape, outside its builder.
pub fn structure(service: &Service, shape: &Shape, structure: &Structure, role: Role) -> TokenStream {
    let name = ident(&shape.rust_name);
    let shape_docs = shape_docs(shape, "structure");
    let serde_crate = paths::serde_crate();
    let (serialize, deserialize) = (paths::serialize(), paths::deserialize());
    let deserialize_feature = super::cargo_toml::DESERIALIZE_FEATURE;
    let fields = structure.members.iter().map(|m| field(service, m));
    let accessors = structure.members.iter().map(|m| accessor(service, m));
    let builder = builder_path(shape);
    let (derive_debug, debug_impl) = debug::structure_debug(shape, &structure.members);
    let validate = validation::structure_validation(service, shape, structure, role);
    let (request_id_field, request_id_impls) = if role == Role::Output {
        request_id(shape)
    } else {
        Default::default()
    };
    let error_impls = structure.error.as_ref().map(|_| exception_impls(shape, structure));
    let decode = super::wire_decode::structure_decode(shape, structure);
    quote! {
        #shape_docs
        #[non_exhaustive]
        #[derive(
            ::std::clone::Clone,
            ::std::cmp::PartialEq,
            ::std::default::Default,
            #derive_debug
            #serialize
        )]
        #[cfg_attr(feature = #deserialize_feature, derive(#deserialize))]
        #[serde(crate = #serde_crate)]
        pub struct #name {
            #(#fields)*
            #request_id_field
        }

        impl #name {
            #(#accessors)*

            /// Creates a new builder for this type.
            pub fn builder() -> #builder {
                ::std::default::Default::default()
            }
        }

        #validate
        #debug_impl
        #error_impls
        #request_id_impls
        #decode
    }
}

fn field(service: &Service, member: &Member) -> TokenStream {
    let name = ident(&member.rust_name);
    let ty = member_field_type(service, member);
    let member_docs = member_docs(service, member);
    let wire = &member.wire_name;
    let rename = (crate::naming::bare(&member.rust_name) != wire).then(|| quote!(rename = #wire,));
    // The encoding the wire-facts pass decided: a timestamp format, or floats that keep awsJson's spelling of NaN
    // and the infinities.
    let (serialize_with, float_with) = match &member.wire_encoding {
        WireEncoding::Timestamp(format) => {
            let path = paths::text(&paths::timestamp_serializer(format));
            (Some(quote!(serialize_with = #path,)), None)
        }
        WireEncoding::Float => {
            let module = paths::text(&paths::float_wire());
            (None, Some(quote!(with = #module,)))
        }
        WireEncoding::Plain => (None, None),
    };
    quote! {
        #member_docs
        #[serde(#rename #serialize_with #float_with default, skip_serializing_if = "::std::option::Option::is_none")]
        pub #name: #ty,
    }
}

/// A member's docs: the model's, else the target shape's, else a sentence naming the wire field; then the
/// model's default, if it has one beyond a zero (so builders and accessors say what an unset member means).
pub fn member_docs(service: &Service, member: &Member) -> TokenStream {
    let html = member.docs.as_deref().or(service.shape(member.target).docs.as_deref());
    let own = docs(html, &format!("The `{}` member.", member.wire_name));
    let Some(default) = &member.default else {
        return own;
    };
    let note = super::doc_attrs::lines(&format!(
        "Defaults to `{}` when unset: the service assumes it, and the accessor returns it (a builder leaves the \
         member unset, so the request carries only what the caller set).",
        default_text(default)
    ));
    quote!(#own #[doc = ""] #note)
}

/// A default as the model writes it (`10`, `true`, `ENABLED`).
fn default_text(default: &DefaultValue) -> String {
    match default {
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Integer(i) => i.to_string(),
        DefaultValue::Float(f) => f.to_string(),
        DefaultValue::String(s) => s.clone(),
    }
}

/// A number or boolean default as a literal of the member's type (inferred from the `Option` it unwraps).
fn default_literal(default: &DefaultValue) -> Option<TokenStream> {
    Some(match default {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Integer(i) => proc_macro2::Literal::i64_unsuffixed(*i).into_token_stream(),
        DefaultValue::Float(f) => proc_macro2::Literal::f64_unsuffixed(*f).into_token_stream(),
        DefaultValue::String(_) => return None,
    })
}

/// How an accessor hands out a member: by value for numbers, as a slice for lists, by reference otherwise.
fn accessor(service: &Service, member: &Member) -> TokenStream {
    let name = ident(&member.rust_name);
    let member_docs = member_docs(service, member);
    let deprecated = deprecated(member.deprecated.as_ref());
    let target = service.shape(member.target);
    let (ty, body) = match &target.kind {
        ShapeKind::String { .. } => match &member.default {
            Some(DefaultValue::String(default)) => (quote!(&str), quote!(self.#name.as_deref().unwrap_or(#default))),
            _ => (quote!(::std::option::Option<&str>), quote!(self.#name.as_deref())),
        },
        ShapeKind::List { member: element, .. } => {
            let element = rust_type(service, *element);
            (quote!(&[#element]), quote!(self.#name.as_deref().unwrap_or_default()))
        }
        kind if kind.is_number_or_bool() => {
            let ty = rust_type(service, member.target);
            match (member.nullable, member.default.as_ref().and_then(default_literal)) {
                (true, _) => (quote!(::std::option::Option<#ty>), quote!(self.#name)),
                (false, Some(default)) => (ty, quote!(self.#name.unwrap_or(#default))),
                (false, None) => (ty, quote!(self.#name.unwrap_or_default())),
            }
        }
        _ => {
            let ty = rust_type(service, member.target);
            let body = if member.boxed {
                quote!(self.#name.as_deref())
            } else {
                quote!(self.#name.as_ref())
            };
            (quote!(::std::option::Option<&#ty>), body)
        }
    };
    quote! {
        #member_docs
        #deprecated
        pub fn #name(&self) -> #ty {
            #body
        }
    }
}

/// The hidden request-id field of an output, and the runtime traits that set and read it.
fn request_id(shape: &Shape) -> (TokenStream, TokenStream) {
    let name = ident(&shape.rust_name);
    let (operation_output, request_id_trait) = (paths::operation_output(), paths::request_id());
    let field = quote! {
        #[serde(skip)]
        _request_id: ::std::option::Option<::std::string::String>,
    };
    let impls = quote! {
        impl #operation_output for #name {
            fn set_request_id(&mut self, request_id: ::std::option::Option<::std::string::String>) {
                self._request_id = request_id;
            }
        }

        impl #request_id_trait for #name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                self._request_id.as_deref()
            }
        }
    };
    (field, impls)
}

/// The member that carries an exception's message (see `passes::add_error_messages`).
pub fn message_member(structure: &Structure) -> Option<&Member> {
    let index = structure.error.as_ref()?.message_member?;
    structure.members.get(index)
}

/// `Display` (`Name: message`) and `std::error::Error` for an exception.
fn exception_impls(shape: &Shape, structure: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let wire = &shape.wire_name;
    let message = message_member(structure).map(|m| {
        let field = ident(&m.rust_name);
        // A sensitive message is redacted here as in `Debug`: errors end up in logs.
        if shape.sensitive || m.sensitive {
            quote! {
                if self.#field.is_some() {
                    f.write_str(": *** Sensitive Data Redacted ***")?;
                }
            }
        } else {
            quote! {
                if let ::std::option::Option::Some(message) = &self.#field {
                    ::std::write!(f, ": {}", message)?;
                }
            }
        }
    });
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#wire)?;
                #message
                ::std::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for #name {}
    }
}
