//! The one table of paths to items outside the generated crate: every std item emitters compose into types and
//! every runtime item any emitter names is spelled here, once.
//!
//! Generated code names std, serde and runtime items by absolute path only (`::std::string::String`), so a
//! model shape called `Option`, `Result`, `String` or `Box` (all legal in AWS models) can never shadow them.
//! Fixed std code in `quote!` blocks follows the same rule and writes the absolute path inline; runtime items
//! always come from here (`paths::operation_input()`), so the runtime's contract with the emitters
//! (`runtime/SPEC.md`) is one list.

use crate::ir::TimestampFormat;
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
    /// The `serialize_with` functions for timestamps, one per format (see [`timestamp_serializer`]).
    timestamp_iso8601 = datetime::timestamp_format::iso8601;
    timestamp_rfc822 = datetime::timestamp_format::rfc822;
    timestamp_epoch_seconds = datetime::timestamp_format::epoch_seconds;
    /// The runtime's name of each format (see [`timestamp_wire_format`]).
    format_date_time = datetime::Format::DateTime;
    format_http_date = datetime::Format::HttpDate;
    format_epoch_seconds = datetime::Format::EpochSeconds;
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

    // The client's response parser (`wire`): the trait generated types implement and what their impls call.
    wire_decode_trait = wire::Decode;
    wire_reader = wire::Reader;
    wire_decode_error = wire::DecodeError;
    wire_members = wire::Members;
    wire_union_members = wire::UnionMembers;
    wire_decode_str_enum = wire::decode_str_enum;
    /// `wire::decode(body)`: a whole body as one type (error enums read their exceptions with it).
    wire_decode = wire::decode;

    // Building, validating and sending.
    build_error = build_error::BuildError;
    validator = validation::Validator;
    validation_errors = validation::ValidationErrors;
    operation_input = protocol::OperationInput;
    operation_output = protocol::OperationOutput;
    operation_error = protocol::OperationError;
    operation_metadata = protocol::OperationMetadata;
    service_metadata = protocol::ServiceMetadata;
    endpoint_rules = endpoint::EndpointRules;
    endpoint_params = endpoint::Params;
    endpoint_param_value = endpoint::ParamValue;
    /// The trait that gives outputs `request_id()` (see `naming::OUTPUT_TRAIT_METHODS`).
    request_id = protocol::RequestId;
    invoke = protocol::invoke;
    idempotency_token_provider = idempotency::IdempotencyTokenProvider;
    config = config::Config;
    block_on = transport::block_on;
    error_metadata = error::ErrorMetadata;
    unhandled = error::Unhandled;
    sdk_error = error::SdkError;

    // Paginators: the traits a generated paginator implements and the streams it returns.
    paginate = paginator::Paginate;
    paginate_items = paginator::PaginateItems;
    pagination_stream = paginator::PaginationStream;
    item_stream = paginator::ItemStream;
    blocking_pages = paginator::BlockingPages;
    blocking_items = paginator::BlockingItems;
    paginator_module = paginator;
    // Waiters: the spec a generated `static` holds, the loop that runs it, and what it returns.
    waiter_spec = waiter::WaiterSpec;
    waiter_acceptor = waiter::Acceptor;
    waiter_matcher = waiter::Matcher;
    waiter_acceptor_state = waiter::AcceptorState;
    waiter_comparator = waiter::Comparator;
    waiter_wait = waiter::wait;
    waiter_final_poll = waiter::FinalPoll;
    waiter_error = waiter::WaiterError;
    waiter_module = waiter;

    // Modules and items the crate re-exports (`lib.rs`).
    config_module = config;
    credentials_module = credentials;
    endpoint_module = endpoint;
    error_module = error;
    transport_module = transport;
    validation_module = validation;
    retry_config = retry::RetryConfig;
    http = http;
    hyper_transport = https_async::HyperTransport;
    ureq_transport = https_blocking::UreqTransport;
}

/// The runtime's `serialize_with` function for timestamps in `format` (structure members).
pub fn timestamp_serializer(format: &TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::Iso8601 => timestamp_iso8601(),
        TimestampFormat::Rfc822 => timestamp_rfc822(),
        TimestampFormat::EpochSeconds => timestamp_epoch_seconds(),
    }
}

/// The runtime's `datetime::Format` for `format` (union members, through [`formatted_timestamp`]).
pub fn timestamp_wire_format(format: &TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::Iso8601 => format_date_time(),
        TimestampFormat::Rfc822 => format_http_date(),
        TimestampFormat::EpochSeconds => format_epoch_seconds(),
    }
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
