//! The `Client`: one method per operation, each returning its fluent builder, plus the service's wire facts.

use super::doc_attrs::{deprecated, docs};
use super::paths;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

pub fn client(service: &Service) -> TokenStream {
    let m = &service.metadata;
    let (target_prefix, json_version, endpoint_prefix, signing_name, service_id, api_version) = (
        &m.target_prefix,
        &m.json_version,
        &m.endpoint_prefix,
        &m.signing_name,
        &m.service_id,
        &m.api_version,
    );
    let query_compatible = m.query_compatible;
    let endpoint_rules = match &service.endpoint_rules {
        Some(_) => quote!(::std::option::Option::Some(&crate::endpoint_rules::ENDPOINT_RULES)),
        None => quote!(::std::option::Option::None),
    };
    let (service_metadata, config_type) = (paths::service_metadata(), paths::config());
    let mut operations: Vec<&Operation> = service.operations.iter().collect();
    operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let methods = operations.iter().map(|op| {
        let method = ident(&op.rust_name);
        let module = super::rust_types::path_tokens(&op.symbols.module_path);
        let fluent = ident(&op.symbols.fluent_builder);
        let op_docs = docs(op.docs.as_deref(), &format!("Calls the `{}` operation.", op.wire_name));
        let deprecated = deprecated(op.deprecated.as_ref());
        quote! {
            #op_docs
            #deprecated
            pub fn #method(&self) -> #module::builders::#fluent {
                #module::builders::#fluent::new(::std::clone::Clone::clone(self))
            }
        }
    });
    let client_doc = super::doc_attrs::lines(&super::doc_attrs::plain_text(&format!(
        "A client for {}.",
        m.service_full_name
    )));
    // `client::Waiters`, where aws-sdk-rust has it, so `use <crate>::client::Waiters;` ports as it is.
    let waiters = (!service.waiters.is_empty()).then(|| {
        quote!(
            pub use crate::waiters::Waiters;
        )
    });
    quote! {
        #waiters

        /// What the client needs to know about the service on the wire. Public (but hidden) so that test
        /// harnesses can drive the runtime's sans-IO functions with the same facts the client uses. A `static`,
        /// not a `const`: the endpoint rules it points to cache what they resolve.
        #[doc(hidden)]
        pub static SERVICE: #service_metadata =
            #service_metadata {
                target_prefix: #target_prefix,
                json_version: #json_version,
                endpoint_prefix: #endpoint_prefix,
                signing_name: #signing_name,
                service_id: #service_id,
                api_version: #api_version,
                query_compatible: #query_compatible,
                endpoint_rules: #endpoint_rules,
            };

        #client_doc
        ///
        /// Cloning is cheap: clones share the configuration and its transport.
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            config: #config_type,
        }

        impl Client {
            /// Creates a client from a [`Config`](crate::Config).
            pub fn from_conf(config: #config_type) -> Self {
                Self { config }
            }

            /// The configuration this client sends with.
            pub fn config(&self) -> &#config_type {
                &self.config
            }

            #(#methods)*
        }
    }
}
