//! Builders for structures, and the setter list that fluent operation builders repeat.
//!
//! Each member gets three methods, as in the AWS SDK for Rust: `name(value)` (for lists: append one item; for
//! maps: insert one entry), `set_name(Option<..>)` and `get_name()`. A builder whose structure has required
//! members (and every operation input) has a fallible `build()` returning a typed `BuildError`.

use super::doc_attrs::deprecated;
use super::rust_types::{builder_ident, rust_type, type_path, type_path_string};
use super::structures::member_docs;
use super::{debug, paths, Role};
use crate::ir::*;
use crate::naming::{bare, ident};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// One builder method, described once and rendered for both the builder and the fluent builder.
pub struct Setter {
    pub docs: TokenStream,
    pub deprecated: TokenStream,
    pub name: Ident,
    pub params: Vec<(Ident, TokenStream)>,
    /// Body in the builder (the fluent builder delegates instead).
    pub body: TokenStream,
    /// The getter is rendered in both, returning a reference into the builder.
    pub is_getter: bool,
    pub returns: TokenStream,
}

/// The builder field type: like the structure's, but never boxed (the structure itself is finite-sized).
fn builder_field_type(service: &Service, member: &Member) -> TokenStream {
    let ty = rust_type(service, member.target);
    quote!(::std::option::Option<#ty>)
}

/// A setter parameter: strings accept anything `Into<String>`, other values are taken as they are.
fn setter_param(service: &Service, id: ShapeId) -> (TokenStream, TokenStream) {
    let ty = rust_type(service, id);
    match service.shape(id).kind {
        ShapeKind::String { .. } => (quote!(impl ::std::convert::Into<#ty>), quote!(.into())),
        _ => (ty, TokenStream::new()),
    }
}

pub fn setters(service: &Service, members: &[Member]) -> Vec<Setter> {
    let mut setters = Vec::new();
    for member in members {
        let field = ident(&member.rust_name);
        let member_docs = member_docs(service, member);
        let deprecated = deprecated(member.deprecated.as_ref());
        let field_ty = builder_field_type(service, member);
        let input = ident("input");
        let (name, params, body) = match &service.shape(member.target).kind {
            ShapeKind::List { member: element, .. } => {
                let (param, convert) = setter_param(service, *element);
                let body = quote! {
                    let mut items = self.#field.unwrap_or_default();
                    items.push(input #convert);
                    self.#field = ::std::option::Option::Some(items);
                    self
                };
                (field.clone(), vec![(input.clone(), param)], body)
            }
            ShapeKind::Map { key, value, .. } => {
                let (key_param, key_convert) = setter_param(service, *key);
                let (value_param, value_convert) = setter_param(service, *value);
                let body = quote! {
                    let mut entries = self.#field.unwrap_or_default();
                    entries.insert(key #key_convert, value #value_convert);
                    self.#field = ::std::option::Option::Some(entries);
                    self
                };
                (
                    field.clone(),
                    vec![(ident("key"), key_param), (ident("value"), value_param)],
                    body,
                )
            }
            _ => {
                let (param, convert) = setter_param(service, member.target);
                let body = quote! {
                    self.#field = ::std::option::Option::Some(input #convert);
                    self
                };
                (field.clone(), vec![(input.clone(), param)], body)
            }
        };
        let adds = match &service.shape(member.target).kind {
            ShapeKind::List { .. } => "Appends an item to",
            ShapeKind::Map { .. } => "Adds a key-value pair to",
            _ => "Sets",
        };
        let short_docs = super::doc_attrs::lines(&format!("{adds} `{}`.", member.wire_name));
        setters.push(Setter {
            docs: quote!(#short_docs #[doc = ""] #member_docs),
            deprecated: deprecated.clone(),
            name,
            params,
            body,
            is_getter: false,
            returns: quote!(Self),
        });
        let set_docs = super::doc_attrs::lines(&format!("Sets or clears `{}`.", member.wire_name));
        setters.push(Setter {
            docs: quote!(#set_docs #[doc = ""] #member_docs),
            deprecated: deprecated.clone(),
            name: ident(&member.symbols.setter),
            params: vec![(input.clone(), field_ty.clone())],
            body: quote! {
                self.#field = input;
                self
            },
            is_getter: false,
            returns: quote!(Self),
        });
        let get_docs = super::doc_attrs::lines(&format!("Returns `{}` as set so far.", member.wire_name));
        setters.push(Setter {
            docs: quote!(#get_docs #[doc = ""] #member_docs),
            deprecated,
            name: ident(&member.symbols.getter),
            params: Vec::new(),
            body: quote!(&self.#field),
            is_getter: true,
            returns: quote!(&#field_ty),
        });
    }
    setters
}

/// The setters and getters of a fluent builder (an operation's, a waiter's), each delegating to the input builder
/// it holds as `inner`.
pub fn fluent_setters(service: &Service, members: &[Member]) -> Vec<TokenStream> {
    setters(service, members)
        .into_iter()
        .map(|s| {
            let Setter {
                docs,
                deprecated,
                name,
                params,
                is_getter,
                returns,
                ..
            } = s;
            let args = params.iter().map(|(p, _)| p);
            let params = params.iter().map(|(p, ty)| quote!(#p: #ty));
            if is_getter {
                quote! {
                    #docs
                    #deprecated
                    pub fn #name(&self) -> #returns {
                        #[allow(deprecated)]
                        self.inner.#name()
                    }
                }
            } else {
                quote! {
                    #docs
                    #deprecated
                    pub fn #name(mut self, #(#params),*) -> Self {
                        #[allow(deprecated)]
                        {
                            self.inner = self.inner.#name(#(#args),*);
                        }
                        self
                    }
                }
            }
        })
        .collect()
}

/// True when `build()` can fail.
pub fn build_is_fallible(structure: &Structure, role: Role) -> bool {
    role == Role::Input || structure.members.iter().any(|m| m.required)
}

/// The builder type for one structure.
pub fn builder(service: &Service, shape: &Shape, structure: &Structure, role: Role) -> TokenStream {
    let name = builder_ident(shape);
    let target = type_path(shape);
    let target_name = &shape.rust_name;
    let fields = structure.members.iter().map(|m| {
        let (field, ty) = (ident(&m.rust_name), builder_field_type(service, m));
        quote!(pub(crate) #field: #ty,)
    });
    let methods = setters(service, &structure.members).into_iter().map(|s| {
        let Setter {
            docs,
            deprecated,
            name,
            params,
            body,
            is_getter,
            returns,
        } = s;
        let params = params.iter().map(|(p, ty)| quote!(#p: #ty));
        let receiver = if is_getter { quote!(&self) } else { quote!(mut self) };
        quote! {
            #docs
            #deprecated
            pub fn #name(#receiver, #(#params),*) -> #returns {
                #body
            }
        }
    });
    let assignments = structure.members.iter().map(|m| {
        let field = ident(&m.rust_name);
        if m.boxed {
            quote!(#field: self.#field.map(::std::boxed::Box::new),)
        } else {
            quote!(#field: self.#field,)
        }
    });
    // Outputs also hold the request id, which only a response sets.
    let request_id = (role == Role::Output).then(|| quote!(_request_id: ::std::option::Option::None,));
    let build_error = paths::build_error();
    let build = if build_is_fallible(structure, role) {
        let build_doc = format!(
            " Builds the value; fails with a [`BuildError`]({}) naming the",
            paths::text(&build_error)
        );
        let checks = structure.members.iter().filter(|m| m.required).map(|m| {
            let field = ident(&m.rust_name);
            let label = bare(&m.rust_name);
            quote! {
                if self.#field.is_none() {
                    return ::std::result::Result::Err(
                        #build_error::missing_field(#label, #target_name),
                    );
                }
            }
        });
        quote! {
            #[doc = #build_doc]
            /// first required member that was not set.
            pub fn build(self) -> ::std::result::Result<#target, #build_error> {
                #(#checks)*
                ::std::result::Result::Ok(#target { #(#assignments)* #request_id })
            }
        }
    } else {
        quote! {
            /// Builds the value.
            pub fn build(self) -> #target {
                #target { #(#assignments)* #request_id }
            }
        }
    };
    let (derive_debug, debug_impl) = debug::builder_debug(shape, &structure.members);
    let docs = super::doc_attrs::lines(&format!(
        "A builder for [`{target_name}`]({}).",
        type_path_string(shape)
    ));
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default, #derive_debug)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#methods)*

            #build
        }

        #debug_impl
    }
}
