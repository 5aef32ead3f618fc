//! The one table of paths to items outside the generated crate: every std item emitters compose into types and
//! every runtime item any emitter names is spelled here, once.
//!
//! Generated code names std, serde and runtime items by absolute path only (`::std::string::String`), so a
//! model shape called `Option`, `Result`, `String` or `Box` (all legal in AWS models) can never shadow them.
//! Fixed std code in `quote!` blocks follows the same rule and writes the absolute path inline; runtime items
//! always come from here (`paths::operation_input()`), so the runtime's contract with the emitters
//! (`runtime/SPEC.md`) is one list.

use proc_macro2::TokenStream;
use quote::quote;

pub fn option() -> TokenStream {
    quote!(::std::option::Option)
}
pub fn string() -> TokenStream {
    quote!(::std::string::String)
}
pub fn vec() -> TokenStream {
    quote!(::std::vec::Vec)
}
pub fn boxed() -> TokenStream {
    quote!(::std::boxed::Box)
}
pub fn hash_map() -> TokenStream {
    quote!(::std::collections::HashMap)
}

/// One function per runtime item: `name = module::Item;` becomes `pub fn name() -> TokenStream`
/// (`::awsgen_runtime::module::Item`).
macro_rules! runtime_paths {
    ($($(#[$doc:meta])* $name:ident = $($segment:ident)::+;)*) => {
        $(
            $(#[$doc])*
            pub fn $name() -> TokenStream {
                quote!(::awsgen_runtime$(::$segment)+)
            }
        )*
    };
}

/// The runtime crate itself (`::awsgen_runtime`), for re-exporting several of its root items at once.
pub fn runtime() -> TokenStream {
    quote!(::awsgen_runtime)
}

runtime_paths! {
    // Value types.
    blob = Blob;
    date_time = DateTime;
    document = Document;
    unknown_variant_value = UnknownVariantValue;
    /// `timestamp_format::Formatted(value, Format::..)`: a timestamp in a union, in a member's own format.
    formatted_timestamp = datetime::timestamp_format::Formatted;
    timestamp_wire_format = datetime::Format;
    /// Module of the `serialize_with` functions for timestamps (`iso8601`, `rfc822`, `epoch_seconds`).
    timestamp_format = datetime::timestamp_format;
    /// Module used as `#[serde(with = ..)]` for members holding floats.
    float_wire = float_wire;
    float_wire_ref = float_wire::Ref;
    float_wire_wire = float_wire::Wire;
    deserialize_enum = enum_value::deserialize_enum;

    // serde and serde_json, through the runtime's re-exports.
    serde = serde;
    serialize = serde::Serialize;
    serializer = serde::Serializer;
    deserialize = serde::Deserialize;
    deserializer = serde::Deserializer;
    serde_ser = serde::ser;
    serde_de = serde::de;
    serde_de_error = serde::de::Error;
    serde_visitor = serde::de::Visitor;
    serde_map_access = serde::de::MapAccess;
    serde_ignored_any = serde::de::IgnoredAny;
    serde_json_from_slice = serde_json::from_slice;
    serde_json_error = serde_json::Error;

    // Building, validating and sending.
    build_error = build_error::BuildError;
    validator = validation::Validator;
    validation_errors = validation::ValidationErrors;
    operation_input = protocol::OperationInput;
    operation_output = protocol::OperationOutput;
    operation_error = protocol::OperationError;
    operation_metadata = protocol::OperationMetadata;
    service_metadata = protocol::ServiceMetadata;
    /// The trait that gives outputs `request_id()` (see `naming::OUTPUT_TRAIT_METHODS`).
    request_id = protocol::RequestId;
    invoke = protocol::invoke;
    idempotency_token_provider = idempotency::IdempotencyTokenProvider;
    config = config::Config;
    block_on = transport::block_on;
    error_metadata = error::ErrorMetadata;
    unhandled = error::Unhandled;
    sdk_error = error::SdkError;

    // Modules and items the crate re-exports (`lib.rs`).
    config_module = config;
    credentials_module = credentials;
    error_module = error;
    transport_module = transport;
    validation_module = validation;
    retry_config = retry::RetryConfig;
    http = http;
    hyper_transport = https_async::HyperTransport;
    ureq_transport = https_blocking::UreqTransport;
}

/// A path as text (`::awsgen_runtime::float_wire`), for attribute strings and intra-doc links.
pub fn text(path: &TokenStream) -> String {
    path.to_string().replace(' ', "")
}

/// The `#[serde(crate = ...)]` string: derives reach serde through the runtime's re-export, so a generated
/// crate needs the runtime as its only dependency.
pub fn serde_crate() -> String {
    text(&serde())
}
