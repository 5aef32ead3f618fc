//! Emission: IR -> token streams, one module per concern, assembled here into the files of a crate.
//!
//! Layout of a generated crate (as the AWS SDK for Rust lays out its own, so code ports by changing imports):
//! `types` (shapes, one file each, `types::builders`, `types::error` for exceptions), `operation::<op>` (input, output,
//! error enum, `builders`), `Client`, and re-exports of the runtime (`config`, `error`, `primitives`, `test_util`,
//! `transport`), so a downstream crate names no other crate.

mod builders;
mod cargo_toml;
mod client;
mod debug;
mod doc_attrs;
mod endpoint_rules;
mod enums;
mod operations;
mod paginators;
pub mod paths;
mod rust_types;
mod structures;
mod unions;
mod validation;
mod waiters;
mod wire_decode;

pub use cargo_toml::{toml_string, CargoOptions, DESERIALIZE_FEATURE};

use crate::diagnostics::Diagnostics;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// What a structure is for, where that changes its code: inputs validate and have fallible builders, outputs
/// carry the request id of the response they came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// An operation's synthetic input.
    Input,
    /// An operation's synthetic output.
    Output,
    /// Any other structure.
    Data,
}

/// One file of the crate: a path relative to the crate root and what to write there.
pub enum FileContents {
    /// Rust tokens, formatted by [`crate::format`].
    Rust(TokenStream),
    /// Text written as it is (Cargo.toml).
    Text(String),
}

pub struct EmittedFile {
    pub path: String,
    pub contents: FileContents,
}

/// Every file of the crate for `service`, in a fixed order, or the IR invariants it breaks (generator bugs, each
/// at the JSON path of the operation or shape concerned).
pub fn emit_crate(service: &Service, cargo: &CargoOptions) -> Result<Vec<EmittedFile>, Diagnostics> {
    let mut files = vec![
        EmittedFile {
            path: "Cargo.toml".into(),
            contents: FileContents::Text(cargo_toml::cargo_toml(service, cargo)),
        },
        rust("src/lib.rs", lib_rs(service, cargo)),
        rust("src/client.rs", client::client(service)),
    ];
    types_files(service, &Location::Types, &mut files);
    types_files(service, &Location::Errors, &mut files);
    files.push(rust("src/operation.rs", operation_root(service)));
    let mut operations: Vec<&Operation> = service.operations.iter().collect();
    operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let mut failures = Diagnostics::default();
    if let Some(rules) = &service.endpoint_rules {
        match endpoint_rules::endpoint_rules_module(rules) {
            Ok(tokens) => files.push(rust("src/endpoint_rules.rs", tokens)),
            // A generator bug, named by the file it stops, as a formatting failure is (the empty path would say
            // that the model is at fault).
            Err(message) => failures.error("(output) src/endpoint_rules.rs", message),
        }
    }
    for op in operations {
        match operations::operation_module(service, op) {
            Ok(tokens) => files.push(rust(&op.symbols.file, tokens)),
            Err(message) => failures.error(&op.json_path, message),
        }
    }
    if !service.waiters.is_empty() {
        files.push(rust("src/waiters.rs", waiters::waiters_root(service)));
    }
    for waiter in &service.waiters {
        match waiters::waiter_module(service, waiter) {
            Ok(tokens) => files.push(rust(&waiter.symbols.file, tokens)),
            Err(message) => failures.error(&waiter.json_path, message),
        }
    }
    if failures.has_errors() {
        return Err(failures);
    }
    Ok(files)
}

fn rust(path: &str, tokens: TokenStream) -> EmittedFile {
    EmittedFile {
        path: path.to_owned(),
        contents: FileContents::Rust(tokens),
    }
}

fn lib_rs(service: &Service, cargo: &CargoOptions) -> TokenStream {
    let deny_warnings = cargo.deny_warnings.then(|| quote!(#![deny(warnings)]));
    let crate_docs = doc_attrs::inner_docs(
        service.docs.as_deref(),
        &doc_attrs::plain_text(&format!("A client for {}.", service.metadata.service_full_name)),
    );
    let (config_module, credentials_module, error_module) = (
        paths::config_module(),
        paths::credentials_module(),
        paths::error_module(),
    );
    let (transport_module, validation_module) = (paths::transport_module(), paths::validation_module());
    let endpoint_module = paths::endpoint_module();
    // Only a crate with endpoint rules resolves through them.
    let endpoint_reexports = service.endpoint_rules.is_some().then(|| {
        quote! {
            /// How endpoints are resolved from the service's rule set: the parameters, what a resolution gives
            /// and why one fails ([`ConstructionError::endpoint_error`](crate::error::ConstructionError::endpoint_error)).
            pub mod endpoint {
                pub use #endpoint_module::{Endpoint, ParamValue, Params, ResolveError};
            }
        }
    });
    let (token_provider, retry_config, build_error) = (
        paths::idempotency_token_provider(),
        paths::retry_config(),
        paths::build_error(),
    );
    let (http, hyper_transport, ureq_transport) = (paths::http(), paths::hyper_transport(), paths::ureq_transport());
    let runtime = paths::runtime();
    let endpoint_rules_module = service.endpoint_rules.is_some().then(|| {
        quote!(
            mod endpoint_rules;
        )
    });
    // The streams paginators return, for users who keep one in a type of their own.
    let paginator_reexports = service.operations.iter().any(|op| op.paginator.is_some()).then(|| {
        let paginator_module = paths::paginator_module();
        quote! {
            /// What paginators return: [`PaginationStream`](paginator::PaginationStream) and
            /// [`ItemStream`](paginator::ItemStream) (`next().await`, `collect`), and their blocking iterators.
            pub mod paginator {
                pub use #paginator_module::{BlockingItems, BlockingPages, ItemStream, PaginationStream};
            }
        }
    });
    let waiters_module = (!service.waiters.is_empty()).then(|| {
        quote!(
            pub mod waiters;
        )
    });
    quote! {
        #crate_docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        // Union variants hold the model's structures by value, as aws-sdk-rust's do; boxing the large ones would
        // make the API differ per service for a size difference users rarely feel.
        #![allow(clippy::large_enum_variant)]
        // Setters are named after model members (`add`, `sub`, `next`, ...), as in aws-sdk-rust, not after traits.
        #![allow(clippy::should_implement_trait)]
        // Types are spelled out where the model nests lists and maps (`Vec<HashMap<String, Vec<..>>>`).
        #![allow(clippy::type_complexity)]
        // `SdkError<OpError>` holds the modelled exception by value, as aws-sdk-rust's does: a large `Err` is the
        // price of matching on errors without unboxing.
        #![allow(clippy::result_large_err)]
        #deny_warnings

        #[doc(hidden)]
        pub mod client;
        #endpoint_rules_module
        pub mod operation;
        pub mod types;
        #waiters_module

        pub use client::Client;
        pub use #config_module::{Config, Credentials};

        /// Configuration beyond [`Config`] and [`Credentials`]: loading from the environment, timeouts,
        /// retries and idempotency tokens, so that no other crate needs to be named.
        pub mod config {
            pub use #config_module::{
                Config, ConfigBuilder, ConfigError, ConfigErrorKind, ConfigLoader, Credentials, Env, Timeouts,
            };
            pub use #token_provider;
            pub use #retry_config;

            /// Where credentials come from: the SDKs' providers (environment, web identity, profiles with
            /// roles, SSO and `credential_process`, the container endpoint, IMDS), the
            /// [`ProvideCredentials`](credentials::ProvideCredentials) trait to plug in one's own, and the cache
            /// every `Config` keeps.
            pub mod credentials {
                pub use #credentials_module::*;
            }

            #endpoint_reexports
        }

        /// Errors a call can return, and what they carry.
        pub mod error {
            pub use #build_error;
            pub use #error_module::{
                ConstructionError, ErrorMetadata, PaginationError, RawResponse, ResponseError, SdkError, ServiceError,
                TimeoutError, Unhandled,
            };
            pub use #transport_module::{TransportError, TransportErrorKind};
            pub use #validation_module::{Rule, ValidationError, ValidationErrors};
        }

        /// Testing code that calls the service without a server: [`StubTransport`](test_util::StubTransport)
        /// answers every request from a closure or with a fixed response and records what was sent; pass it to
        /// `Config::builder().transport(..)`. The `http` crate is re-exported to build responses.
        pub mod test_util {
            pub use #http;
            pub use #transport_module::{HttpRequest, HttpResponse, StubTransport};
        }

        /// The seam between the client and whatever moves bytes: the HTTPS transports of the enabled features
        /// (to set a connect timeout or trust another root certificate), and [`Transport`](transport::Transport)
        /// to send requests with another HTTP stack.
        pub mod transport {
            pub use #transport_module::{
                AttemptTimeout, BoxFuture, HttpRequest, HttpResponse, ResponseSizeLimit, Transport, TransportError,
                TransportErrorKind, DEFAULT_MAX_RESPONSE_SIZE,
            };
            #[cfg(feature = "async-https")]
            pub use #hyper_transport;
            #[cfg(feature = "blocking-https")]
            pub use #ureq_transport;
        }

        /// Value types the shapes use.
        pub mod primitives {
            pub use #runtime::{Blob, DateTime, Document, UnknownVariantValue};
        }

        #paginator_reexports
    }
}

/// The files of one location (`types` or `types::error`), as aws-sdk-rust lays them out: `<dir>.rs` declares one
/// private module per named type (`mod _task_set;`, in `<dir>/_task_set.rs`: the type, its impls and its builder)
/// and re-exports the type, so its public path stays `types::TaskSet`; `<dir>/builders.rs` re-exports the
/// builders (`types::builders::TaskSetBuilder`). Everything in name order.
fn types_files(service: &Service, location: &Location, files: &mut Vec<EmittedFile>) {
    let dir = crate::passes::location_dir(location);
    let mut shapes: Vec<&Shape> = service
        .shapes
        .iter()
        .filter(|s| &s.location == location && crate::passes::is_named_type(&s.kind))
        .collect();
    shapes.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));

    let mut declarations = Vec::new();
    let mut reexports = Vec::new();
    let mut builder_reexports = Vec::new();
    let mut shape_files = Vec::new();
    for shape in shapes {
        let module_path = rust_types::module_path(shape);
        let module = crate::naming::ident(shape.symbols.private_module.as_deref().unwrap_or_default());
        let name = crate::naming::ident(&shape.rust_name);
        declarations.push(quote!(mod #module;));
        reexports.push(quote!(pub use #module_path::#module::#name;));
        let (item, builder) = match &shape.kind {
            ShapeKind::Structure(s) => (
                structures::structure(service, shape, s, Role::Data),
                Some(builders::builder(service, shape, s, Role::Data)),
            ),
            ShapeKind::Union(s) => (unions::union(service, shape, s), None),
            ShapeKind::Enum { values, .. } => (enums::string_enum(shape, values), None),
            _ => (TokenStream::new(), None),
        };
        if builder.is_some() {
            let builder_name = rust_types::builder_ident(shape);
            builder_reexports.push(quote!(pub use #module_path::#module::#builder_name;));
        }
        shape_files.push(rust(&shape.symbols.file, quote!(#item #builder)));
    }

    let (module_docs, error_module) = match location {
        Location::Errors => (
            quote!(#![doc = " The exceptions operations return."]),
            TokenStream::new(),
        ),
        _ => (
            quote!(#![doc = " The data types of the service."]),
            quote!(
                pub mod error;
            ),
        ),
    };
    files.push(rust(
        &format!("{dir}.rs"),
        quote! {
            #module_docs
            pub mod builders;
            #error_module
            #(#reexports)*
            #(#declarations)*
        },
    ));
    files.push(rust(
        &format!("{dir}/builders.rs"),
        quote! {
            #![doc = " Builders for the structures in this module."]
            #(#builder_reexports)*
        },
    ));
    files.extend(shape_files);
}

fn operation_root(service: &Service) -> TokenStream {
    let mut operations: Vec<&Operation> = service.operations.iter().collect();
    operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let modules = operations.iter().map(|op| {
        let module = crate::naming::ident(&op.rust_name);
        quote!(pub mod #module;)
    });
    let request_id = paths::request_id();
    quote! {
        #![doc = " One module per operation: input, output, errors and builders."]
        pub use #request_id;
        #(#modules)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cargo() -> CargoOptions {
        CargoOptions {
            crate_name: "awsgen-test".to_owned(),
            runtime_path: "../runtime".to_owned(),
            standalone: false,
            deny_warnings: false,
        }
    }

    /// A service with one operation, `Get`, through lowering and the passes.
    fn service() -> Service {
        let model = json!({
            "metadata": {
                "protocol": "json",
                "jsonVersion": "1.1",
                "targetPrefix": "Test_20240101",
                "endpointPrefix": "test",
                "apiVersion": "2024-01-01",
            },
            "operations": {"Get": {"input": {"shape": "GetRequest"}}},
            "shapes": {
                "GetRequest": {"type": "structure", "members": {"id": {"shape": "Id"}}},
                "Id": {"type": "string"},
            },
        });
        let (service, diagnostics) =
            crate::load(&crate::frontend::ModelInput::new(model.to_string().into_bytes()), None).unwrap();
        assert!(!diagnostics.has_errors(), "{diagnostics}");
        service
    }

    #[test]
    fn a_well_formed_service_emits_every_file() {
        let files = emit_crate(&service(), &cargo()).unwrap();
        assert!(files.iter().any(|f| f.path == "src/operation/get.rs"));
    }

    // No model gets here (lowering and the synthesis pass see to it), so the IR is broken by hand.
    #[test]
    fn an_operation_whose_input_is_not_a_structure_is_reported_not_emitted_empty() {
        let mut service = service();
        let string = service
            .shapes
            .iter()
            .position(|s| matches!(s.kind, ShapeKind::String { .. }))
            .unwrap();
        service.operations[0].input = ShapeId(string);
        service.operations[0].output = ShapeId(service.shapes.len());
        let diagnostics = emit_crate(&service, &cargo()).err().unwrap();
        let reported: Vec<(String, String)> = diagnostics.sorted().into_iter().map(|d| (d.path, d.message)).collect();
        assert_eq!(
            reported,
            [(
                "/operations/Get".to_owned(),
                "generator bug: the input of `Get` is `Id`, which is not a structure".to_owned()
            )]
        );

        service.operations[0].input = service.operations[0].output;
        let diagnostics = emit_crate(&service, &cargo()).err().unwrap();
        assert!(
            diagnostics.to_string().contains(&format!(
                "/operations/Get: generator bug: the input of `Get` is shape #{}, which is not in the IR",
                service.shapes.len()
            )),
            "{diagnostics}"
        );
    }
}
