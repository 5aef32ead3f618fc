//! Waiters, shaped as aws-sdk-rust has them: `src/waiters.rs` holds the `Waiters` trait the client implements
//! (`client.wait_until_services_stable()`), and one module per waiter holds its fluent builder (the operation's
//! setters, then `wait(max_wait)` / `wait_blocking(max_wait)`), its result aliases and the waiter itself as data:
//! a `static` `WaiterSpec` with the model's delays and acceptors, JMESPath expressions as text. The runtime's
//! `waiter::wait` does the polling, matching and backoff, so each waiter is a few lines of its own.

use super::builders::{build_is_fallible, fluent_setters};
use super::doc_attrs::{deprecated, docs, inner_docs, lines};
use super::rust_types::{builder_ident, path_tokens, type_path, type_path_string};
use super::{paths, Role};
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `src/waiters.rs`: the re-exported result types, one module per waiter and the `Waiters` trait.
pub fn waiters_root(service: &Service) -> TokenStream {
    let modules = service.waiters.iter().map(|w| {
        let module = ident(&w.symbols.module);
        quote!(pub mod #module;)
    });
    let (trait_methods, impl_methods): (Vec<TokenStream>, Vec<TokenStream>) = service
        .waiters
        .iter()
        .map(|w| {
            let (method, module, fluent) = (
                ident(&w.symbols.method),
                ident(&w.symbols.module),
                ident(&w.symbols.fluent_builder),
            );
            let method_docs = waiter_docs(w);
            let deprecated = deprecated(w.deprecated.as_ref());
            (
                quote! {
                    #method_docs
                    #deprecated
                    fn #method(&self) -> #module::#fluent;
                },
                quote! {
                    fn #method(&self) -> #module::#fluent {
                        #module::#fluent::new(::std::clone::Clone::clone(self))
                    }
                },
            )
        })
        .unzip();
    let waiter_module = paths::waiter_module();
    quote! {
        //! Waiters: poll an operation until the resource reaches the state waited for. Bring the
        //! [`Waiters`] trait into scope (`use <crate>::client::Waiters;`, as with aws-sdk-rust) and call a
        //! `wait_until_*` method on the client: set the operation's input, then
        //! `.wait(Duration::from_secs(600)).await` (or `.wait_blocking(..)` without an async runtime).
        //!
        //! Polls back off exponentially, with jitter, from the waiter's minimum delay to its maximum, and stop
        //! before the maximum wait given to `wait`. A [`WaiterError`] tells apart the maximum wait running out,
        //! an acceptor reaching a failure state, and an operation error no acceptor expects.

        pub use #waiter_module::{ExceededMaxWait, FinalPoll, WaiterError};

        #(#modules)*

        /// The service's waiters, as methods on the [`Client`](crate::Client).
        pub trait Waiters {
            #(#trait_methods)*
        }

        impl Waiters for crate::Client {
            #(#impl_methods)*
        }
    }
}

/// The waiter's docs from the model, or a sentence naming what it polls.
fn waiter_docs(waiter: &Waiter) -> TokenStream {
    docs(
        waiter.docs.as_deref(),
        &format!(
            "Waits for `{}`: polls `{}` until its acceptors say so.",
            waiter.name, waiter.operation
        ),
    )
}

/// `src/waiters/<module>.rs`: the waiter's spec, result aliases and fluent builder.
pub fn waiter_module(service: &Service, waiter: &Waiter) -> Result<TokenStream, String> {
    let op = service
        .operations
        .iter()
        .find(|op| op.wire_name == waiter.operation)
        .ok_or_else(|| {
            format!(
                "generator bug: the waiter `{}` polls `{}`, which is not in the crate",
                waiter.name, waiter.operation
            )
        })?;
    let Some(
        input_shape @ Shape {
            kind: ShapeKind::Structure(input),
            ..
        },
    ) = service.get_shape(op.input)
    else {
        return Err(format!(
            "generator bug: the input of `{}` is not a structure",
            op.wire_name
        ));
    };
    let output_path = service
        .get_shape(op.output)
        .map(type_path)
        .ok_or_else(|| format!("generator bug: the output of `{}` is not in the IR", op.wire_name))?;
    let op_module = path_tokens(&op.symbols.module_path);
    let error_enum = ident(&op.symbols.error_enum);
    let error_path = quote!(#op_module::#error_enum);
    let input_builder = builder_ident(input_shape);
    let input_builder = quote!(#op_module::builders::#input_builder);
    let symbols = &waiter.symbols;
    let (fluent, final_poll, error_alias) = (
        ident(&symbols.fluent_builder),
        ident(&symbols.final_poll),
        ident(&symbols.error),
    );
    let (waiter_final_poll, waiter_error, block_on) =
        (paths::waiter_final_poll(), paths::waiter_error(), paths::block_on());
    let (invoke, wait) = (paths::invoke(), paths::waiter_wait());
    let spec = waiter_spec(waiter);
    let build = if build_is_fallible(input, Role::Input) {
        quote!(self.inner.build()?)
    } else {
        quote!(self.inner.build())
    };
    let methods = fluent_setters(service, &input.members);
    let (name, operation) = (&waiter.name, &op.wire_name);
    let module_docs = inner_docs(
        None,
        &format!("The `{name}` waiter: polls `{operation}` until the resource reaches the state waited for."),
    );
    let fluent_docs = lines(&format!(
        "Sets up the `{name}` waiter: set the `{operation}` input's members, then call [`wait`](Self::wait)."
    ));
    let wait_docs = lines(&format!(
        "Builds the [input]({}) (nothing is sent if it is invalid) and calls `{operation}` until an acceptor of \
         the waiter reaches success or failure, or `max_wait` has passed. Waits between calls start at {} s and \
         back off, with jitter, to at most {} s.",
        type_path_string(input_shape),
        waiter.min_delay_secs,
        waiter.max_delay_secs,
    ));
    let deprecated = deprecated(waiter.deprecated.as_ref());
    let waiter_docs = waiter_docs(waiter);
    Ok(quote! {
        #module_docs

        #spec

        /// What the waiter returns when it reaches success: the last call's output (or the error an acceptor
        /// took for success), and how many calls it took.
        pub type #final_poll = #waiter_final_poll<#output_path, #error_path>;

        /// Why the waiter stopped short of success: the maximum wait ran out, an acceptor reached a failure
        /// state, or an operation error no acceptor expects.
        pub type #error_alias = #waiter_error<#output_path, #error_path>;

        #waiter_docs
        ///
        #fluent_docs
        #deprecated
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #fluent {
            client: crate::Client,
            inner: #input_builder,
        }

        impl #fluent {
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client, inner: ::std::default::Default::default() }
            }

            /// The input as set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #wait_docs
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<#final_poll, #error_alias> {
                let input = #build;
                input.validate()?;
                let config = self.client.config();
                #wait(&WAITER, config, max_wait, input, |input| {
                    #invoke(&crate::client::SERVICE, config, &#op_module::OPERATION, input)
                })
                .await
            }

            /// Waits like [`wait`](Self::wait) on the current thread, for programs with no async runtime: enable
            /// the crate's `blocking-https` feature for an HTTPS transport that needs none.
            pub fn wait_blocking(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<#final_poll, #error_alias> {
                #block_on(self.wait(max_wait))
            }

            #(#methods)*
        }
    })
}

/// `static WAITER: WaiterSpec = ...`: the model's delays and acceptors, in order.
fn waiter_spec(waiter: &Waiter) -> TokenStream {
    let (spec, acceptor, matcher, state, comparator) = (
        paths::waiter_spec(),
        paths::waiter_acceptor(),
        paths::waiter_matcher(),
        paths::waiter_acceptor_state(),
        paths::waiter_comparator(),
    );
    let acceptors = waiter.acceptors.iter().map(|a| {
        let state = match a.state {
            AcceptorState::Success => quote!(#state::Success),
            AcceptorState::Failure => quote!(#state::Failure),
            AcceptorState::Retry => quote!(#state::Retry),
        };
        let path_matcher = |variant: TokenStream, path: &str, expected: &str, c: &PathComparator| {
            let c = match c {
                PathComparator::StringEquals => quote!(#comparator::StringEquals),
                PathComparator::BooleanEquals => quote!(#comparator::BooleanEquals),
                PathComparator::AllStringEquals => quote!(#comparator::AllStringEquals),
                PathComparator::AnyStringEquals => quote!(#comparator::AnyStringEquals),
            };
            quote!(#matcher::#variant { path: #path, expected: #expected, comparator: #c })
        };
        let m = match &a.matcher {
            Matcher::Output {
                path,
                expected,
                comparator,
            } => path_matcher(quote!(Output), path, expected, comparator),
            Matcher::InputOutput {
                path,
                expected,
                comparator,
            } => path_matcher(quote!(InputOutput), path, expected, comparator),
            Matcher::Success(success) => quote!(#matcher::Success(#success)),
            Matcher::ErrorType(code) => quote!(#matcher::ErrorType(#code)),
            Matcher::Status(status) => {
                let status = Literal::u16_unsuffixed(*status);
                quote!(#matcher::Status(#status))
            }
        };
        quote!(#acceptor { state: #state, matcher: #m })
    });
    let name = &waiter.name;
    let (min, max) = (
        Literal::u64_unsuffixed(waiter.min_delay_secs),
        Literal::u64_unsuffixed(waiter.max_delay_secs),
    );
    quote! {
        /// The waiter as the model defines it; the runtime's `waiter::wait` runs it.
        static WAITER: #spec = #spec {
            name: #name,
            min_delay: ::std::time::Duration::from_secs(#min),
            max_delay: ::std::time::Duration::from_secs(#max),
            acceptors: &[#(#acceptors),*],
        };
    }
}
