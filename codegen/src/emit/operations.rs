//! One module per operation: its input, output, error enum, their builders and the fluent builder that sends.

use super::builders::{build_is_fallible, builder, fluent_setters};
use super::doc_attrs::{docs, inner_docs, lines};
use super::paths;
use super::rust_types::type_path_string;
use super::structures::structure;
use super::Role;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The operation's module, or why it cannot be written. Lowering rejects a model whose input or output is not a
/// structure and the synthesis pass gives every operation its own structures, so no model reaches the error:
/// it catches a pass that breaks that invariant, naming the operation instead of writing an empty module.
pub fn operation_module(service: &Service, op: &Operation) -> Result<TokenStream, String> {
    let own_structure = |id: ShapeId, role: &str| match service.get_shape(id) {
        Some(
            shape @ Shape {
                kind: ShapeKind::Structure(s),
                ..
            },
        ) => Ok((shape, s)),
        Some(shape) => Err(format!(
            "generator bug: the {role} of `{}` is `{}`, which is not a structure",
            op.wire_name, shape.wire_name
        )),
        None => Err(format!(
            "generator bug: the {role} of `{}` is shape #{}, which is not in the IR",
            op.wire_name, id.0
        )),
    };
    let (input_shape, input) = own_structure(op.input, "input")?;
    let (output_shape, output) = own_structure(op.output, "output")?;
    let module_docs = inner_docs(op.docs.as_deref(), &format!("The `{}` operation.", op.wire_name));
    let input_type = structure(service, input_shape, input, Role::Input);
    let input_rules = operation_input(service, op, input_shape, input)?;
    let output_type = structure(service, output_shape, output, Role::Output);
    let error_enum = error_enum(service, op);
    let input_builder = builder(service, input_shape, input, Role::Input);
    let output_builder = builder(service, output_shape, output, Role::Output);
    let fluent = fluent_builder(service, op, input_shape, input);
    let metadata = operation_metadata(op);
    let paginator = super::paginators::paginator_module(service, op)?;
    Ok(quote! {
        #module_docs

        #metadata

        #input_type
        #input_rules
        #output_type
        #error_enum

        /// Builders for this operation's input and output, and the fluent builder that sends it.
        pub mod builders {
            #input_builder
            #output_builder
            #fluent
        }

        #paginator
    })
}

fn error_enum_ident(op: &Operation) -> proc_macro2::Ident {
    ident(&op.symbols.error_enum)
}

/// `DescribeTaskSetsError`: one variant per modelled exception, plus `Unhandled` for any other code.
fn error_enum(service: &Service, op: &Operation) -> TokenStream {
    let name = error_enum_ident(op);
    let wire = &op.wire_name;
    let (wire_decode, decode_error) = (paths::wire_decode(), paths::wire_decode_error());
    let (operation_error, error_metadata, unhandled) =
        (paths::operation_error(), paths::error_metadata(), paths::unhandled());
    let errors: Vec<&Shape> = op.errors.iter().map(|id| service.shape(*id)).collect();
    // One variant per error, named by the symbols pass (clear of the `Unhandled` catch-all).
    let variants: Vec<proc_macro2::Ident> = op.symbols.error_variants.iter().map(|v| ident(&v.name)).collect();
    let variant_types = errors.iter().zip(&variants).map(|(shape, v)| {
        let path = super::rust_types::type_path(shape);
        let doc = docs(shape.docs.as_deref(), &format!("The `{}` error.", shape.wire_name));
        quote!(#doc #v(#path),)
    });
    let is_helpers = errors
        .iter()
        .zip(&variants)
        .zip(&op.symbols.error_variants)
        .map(|((shape, v), symbols)| {
            let is_fn = ident(&symbols.is_helper);
            let doc = lines(&format!("True for `{}`.", shape.wire_name));
            quote! {
                #doc
                pub fn #is_fn(&self) -> bool {
                    ::std::matches!(self, Self::#v(_))
                }
            }
        });
    let display_arms = variants
        .iter()
        .map(|v| quote!(Self::#v(inner) => ::std::fmt::Display::fmt(inner, f),));
    let source_arms = variants
        .iter()
        .map(|v| quote!(Self::#v(inner) => ::std::option::Option::Some(inner),));
    // The codes that select each exception, decided by the wire-facts pass.
    let code_arms = errors
        .iter()
        .zip(&variants)
        .zip(&op.error_codes)
        .map(|((shape, v), codes)| {
            let path = super::rust_types::type_path(shape);
            // The runtime reads the message from `message` or `Message`, whichever the service sent.
            let fill_message = match &shape.kind {
                ShapeKind::Structure(s) => super::structures::message_member(s).map(|m| {
                    let field = ident(&m.rust_name);
                    quote! {
                        if error.#field.is_none() {
                            error.#field = meta.message().map(::std::borrow::ToOwned::to_owned);
                        }
                    }
                }),
                _ => None,
            };
            // `mut` only where the message is filled in (every exception has a `message` member after the passes).
            let binding = match fill_message {
                Some(_) => quote!(let mut error: #path),
                None => quote!(let error: #path),
            };
            quote! {
                #(#codes)|* => {
                    #binding = #wire_decode(body)?;
                    #fill_message
                    Self::#v(error)
                }
            }
        });
    let from_response = if errors.is_empty() {
        quote! {
            impl #operation_error for #name {
                fn from_response(
                    meta: &#error_metadata,
                    _body: &[u8],
                ) -> ::std::result::Result<Self, #decode_error> {
                    ::std::result::Result::Ok(Self::Unhandled(#unhandled::new(meta.clone())))
                }
            }
        }
    } else {
        quote! {
            impl #operation_error for #name {
                fn from_response(
                    meta: &#error_metadata,
                    body: &[u8],
                ) -> ::std::result::Result<Self, #decode_error> {
                    ::std::result::Result::Ok(match meta.json_code().unwrap_or_default() {
                        #(#code_arms)*
                        _ => Self::Unhandled(#unhandled::new(meta.clone())),
                    })
                }
            }
        }
    };
    let doc = lines(&format!("The errors `{wire}` can return."));
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(::std::fmt::Debug)]
        pub enum #name {
            #(#variant_types)*
            /// An error code this operation does not model (new in the API, or a generic service error).
            Unhandled(#unhandled),
        }

        impl #name {
            #(#is_helpers)*

            /// True for an error code this operation does not model.
            pub fn is_unhandled(&self) -> bool {
                ::std::matches!(self, Self::Unhandled(_))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    Self::Unhandled(inner) => ::std::fmt::Display::fmt(inner, f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    Self::Unhandled(inner) => ::std::option::Option::Some(inner),
                }
            }
        }

        #from_response
    }
}

/// The model's facts about the operation that shape its request (name, host prefix, request compression).
fn operation_metadata(op: &Operation) -> TokenStream {
    let name = &op.wire_name;
    let host_prefix = match &op.host_prefix {
        Some(prefix) => quote!(::std::option::Option::Some(#prefix)),
        None => quote!(::std::option::Option::None),
    };
    let encodings = &op.request_compression;
    let operation_metadata = paths::operation_metadata();
    quote! {
        /// What the client needs to know about this operation on the wire. Public (but hidden) so that test
        /// harnesses can drive the runtime's sans-IO functions with the same facts the client uses.
        #[doc(hidden)]
        pub const OPERATION: #operation_metadata =
            #operation_metadata {
                name: #name,
                host_prefix: #host_prefix,
                request_compression: &[#(#encodings),*],
            };
    }
}

/// `impl OperationInput`: the input's `idempotencyToken` member, host labels and endpoint-rule parameters,
/// handed to the runtime's `build_request` by value (an input with none gets the trait's defaults: an empty
/// impl). Tokens and labels are string or enum members (lowering checks labels; tokens are strings in every AWS
/// model); endpoint parameters are constants, or string, enum or boolean members (lowering checks them).
fn operation_input(
    service: &Service,
    op: &Operation,
    input_shape: &Shape,
    input: &Structure,
) -> Result<TokenStream, String> {
    let path = super::rust_types::type_path(input_shape);
    let (operation_input, token_provider) = (paths::operation_input(), paths::idempotency_token_provider());
    // `&str` of an `Option` field holding a string or an enum.
    let as_str = |member: &Member| {
        let field = ident(&member.rust_name);
        match &service.shape(member.target).kind {
            ShapeKind::Enum { .. } => quote!(self.#field.as_ref().map(|value| value.as_str())),
            _ => quote!(self.#field.as_deref()),
        }
    };
    let token = input.members.iter().find(|m| m.idempotency_token).map(|member| {
        let field = ident(&member.rust_name);
        let get = as_str(member);
        let token = match &service.shape(member.target).kind {
            ShapeKind::Enum { .. } => quote!(::std::convert::From::from(tokens.token().as_str())),
            _ => quote!(tokens.token()),
        };
        quote! {
            fn fill_idempotency_token(&mut self, tokens: &#token_provider) {
                if self.#field.is_none() {
                    self.#field = ::std::option::Option::Some(#token);
                }
            }

            fn idempotency_token(&self) -> ::std::option::Option<&str> {
                #get
            }
        }
    });
    let labels: Vec<TokenStream> = input
        .members
        .iter()
        .filter(|m| m.host_label)
        .map(|member| {
            let wire = &member.wire_name;
            let get = as_str(member);
            quote!(#wire => #get,)
        })
        .collect();
    let host_label = (!labels.is_empty()).then(|| {
        quote! {
            fn host_label(&self, name: &str) -> ::std::option::Option<&str> {
                match name {
                    #(#labels)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    });
    let endpoint_params = endpoint_params(service, op, input)?;
    Ok(quote! {
        impl #operation_input for #path {
            #token
            #host_label
            #endpoint_params
        }
    })
}

/// `fn endpoint_params`: the operation's constant parameters, then those of its members that are set; an error
/// if a parameter names a member the input does not have (a generator bug: lowering took it from the input).
fn endpoint_params(service: &Service, op: &Operation, input: &Structure) -> Result<Option<TokenStream>, String> {
    if op.endpoint_params.is_empty() {
        return Ok(None);
    }
    let (params_type, value) = (paths::endpoint_params(), paths::endpoint_param_value());
    let sets = op.endpoint_params.iter().map(|param| {
        let name = &param.name;
        Ok(match &param.value {
            EndpointParamValue::String(text) => {
                quote!(params.set(#name, #value::String(::std::string::String::from(#text)));)
            }
            EndpointParamValue::Bool(flag) => quote!(params.set(#name, #value::Bool(#flag));),
            EndpointParamValue::Member(wire_name) => {
                let member = input
                    .members
                    .iter()
                    .find(|m| &m.wire_name == wire_name)
                    .ok_or_else(|| {
                        format!(
                            "generator bug: the endpoint parameter {name:?} of `{}` names the input member \
                             {wire_name:?}, which the input does not have",
                            op.wire_name
                        )
                    })?;
                let field = ident(&member.rust_name);
                match &service.shape(member.target).kind {
                    ShapeKind::Boolean => quote! {
                        if let ::std::option::Option::Some(flag) = self.#field {
                            params.set(#name, #value::Bool(flag));
                        }
                    },
                    ShapeKind::Enum { .. } => quote! {
                        if let ::std::option::Option::Some(member) = &self.#field {
                            params.set(#name, #value::String(::std::string::String::from(member.as_str())));
                        }
                    },
                    _ => quote! {
                        if let ::std::option::Option::Some(member) = &self.#field {
                            params.set(#name, #value::String(::std::clone::Clone::clone(member)));
                        }
                    },
                }
            }
        })
    });
    let sets = sets.collect::<Result<Vec<TokenStream>, String>>()?;
    Ok(Some(quote! {
        fn endpoint_params(&self, params: &mut #params_type) {
            #(#sets)*
        }
    }))
}

/// `client.describe_task_sets().cluster("c").send().await`
fn fluent_builder(service: &Service, op: &Operation, input_shape: &Shape, input: &Structure) -> TokenStream {
    let name = ident(&op.symbols.fluent_builder);
    let input_builder = super::rust_types::builder_ident(input_shape);
    let output_path = super::rust_types::type_path(service.shape(op.output));
    let error_path = {
        let module = super::rust_types::path_tokens(&op.symbols.module_path);
        let error = error_enum_ident(op);
        quote!(#module::#error)
    };
    let wire = &op.wire_name;
    let (sdk_error, invoke, block_on) = (paths::sdk_error(), paths::invoke(), paths::block_on());
    let methods = fluent_setters(service, &input.members);
    let build = if build_is_fallible(input, Role::Input) {
        quote!(self.inner.build()?)
    } else {
        quote!(self.inner.build())
    };
    let input_link = type_path_string(input_shape);
    let into_paginator = super::paginators::into_paginator(op);
    let doc = lines(&format!(
        "Sets up and sends a `{wire}` request: set the input's members, then call [`send`](Self::send)."
    ));
    let send_doc = lines(&format!(
        "Builds the [input]({input_link}), validates it against the model (nothing is sent if it is invalid), \
         sends it and parses the response."
    ));
    quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #name {
            client: crate::Client,
            inner: #input_builder,
        }

        impl #name {
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client, inner: ::std::default::Default::default() }
            }

            /// The input as set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #send_doc
            pub async fn send(
                self,
            ) -> ::std::result::Result<#output_path, #sdk_error<#error_path>> {
                let input = #build;
                input.validate()?;
                #invoke(&crate::client::SERVICE, self.client.config(), &super::OPERATION, input).await
            }

            /// Sends the request like [`send`](Self::send) and waits for the response on the current thread, for
            /// programs with no async runtime: enable the crate's `blocking-https` feature for an HTTPS transport
            /// that needs none.
            pub fn send_blocking(
                self,
            ) -> ::std::result::Result<#output_path, #sdk_error<#error_path>> {
                #block_on(self.send())
            }

            #into_paginator

            #(#methods)*
        }
    }
}
