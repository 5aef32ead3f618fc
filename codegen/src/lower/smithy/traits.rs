//! The Smithy traits lowering reads: their ids, and typed values for those that carry more than presence.
//!
//! A trait whose value does not fit is reported at its own path (`.../traits/smithy.api#length/min`) and then
//! treated as absent, so one bad trait costs one diagnostic, not the model.

use crate::diagnostics::{child, Diagnostics};
use crate::frontend::smithy::{decode_trait, Traits};
use indexmap::IndexMap;
use serde::Deserialize;

pub const DOCUMENTATION: &str = "smithy.api#documentation";
pub const REQUIRED: &str = "smithy.api#required";
pub const DEFAULT: &str = "smithy.api#default";
pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
pub const ERROR: &str = "smithy.api#error";
pub const SENSITIVE: &str = "smithy.api#sensitive";
pub const DEPRECATED: &str = "smithy.api#deprecated";
pub const LENGTH: &str = "smithy.api#length";
pub const RANGE: &str = "smithy.api#range";
pub const PATTERN: &str = "smithy.api#pattern";
pub const ENUM: &str = "smithy.api#enum";
pub const ENUM_VALUE: &str = "smithy.api#enumValue";
pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
pub const HOST_LABEL: &str = "smithy.api#hostLabel";
pub const ENDPOINT: &str = "smithy.api#endpoint";
pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
pub const STREAMING: &str = "smithy.api#streaming";
pub const TITLE: &str = "smithy.api#title";
pub const PAGINATED: &str = "smithy.api#paginated";
pub const WAITABLE: &str = "smithy.waiters#waitable";
pub const AWS_SERVICE: &str = "aws.api#service";
pub const SIGV4: &str = "aws.auth#sigv4";
pub const QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
pub const QUERY_ERROR: &str = "aws.protocols#awsQueryError";
pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
pub const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";
pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";

/// The protocol traits this generator speaks, with the awsJson version each means (`Content-Type`).
pub const PROTOCOLS: &[(&str, &str)] = &[("aws.protocols#awsJson1_0", "1.0"), ("aws.protocols#awsJson1_1", "1.1")];

/// `@timestampFormat` values and the IR's formats.
pub const TIMESTAMP_FORMATS: &[(&str, crate::ir::TimestampFormat)] = &[
    ("epoch-seconds", crate::ir::TimestampFormat::EpochSeconds),
    ("date-time", crate::ir::TimestampFormat::Iso8601),
    ("http-date", crate::ir::TimestampFormat::Rfc822),
];

/// A shape's or member's traits with the path they sit at, for typed reads that report where a value is wrong.
#[derive(Clone, Copy)]
pub struct TraitsAt<'a> {
    pub traits: &'a Traits,
    /// The path of the object holding `traits` (the shape or member).
    pub path: &'a str,
}

impl<'a> TraitsAt<'a> {
    pub fn new(traits: &'a Traits, path: &'a str) -> Self {
        Self { traits, path }
    }

    pub fn has(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }

    pub fn raw(&self, id: &str) -> Option<&'a serde_json::Value> {
        self.traits.get(id)
    }

    /// The path of trait `id`.
    pub fn path_of(&self, id: &str) -> String {
        child(&child(self.path, "traits"), id)
    }

    /// Trait `id` decoded as `T`; `None` when absent or (reported) malformed.
    pub fn get<T: serde::de::DeserializeOwned>(&self, id: &str, diagnostics: &mut Diagnostics) -> Option<T> {
        let value = self.traits.get(id)?;
        decode_trait(value, &self.path_of(id), diagnostics)
    }

    /// A string-valued trait (`@documentation`, `@pattern`, `@title`, ...).
    pub fn string(&self, id: &str, diagnostics: &mut Diagnostics) -> Option<String> {
        self.get(id, diagnostics)
    }
}

/// `@length` and `@range`: inclusive bounds, either may be absent.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Deprecated {
    pub message: Option<String>,
}

/// An entry of the legacy `@enum` trait on a string shape.
#[derive(Debug, Deserialize)]
pub struct EnumDefinition {
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub host_prefix: String,
}

#[derive(Debug, Deserialize)]
pub struct RequestCompression {
    pub encodings: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsService {
    pub sdk_id: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub arn_namespace: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Sigv4 {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct QueryError {
    pub code: String,
}

#[derive(Debug, Deserialize)]
pub struct ContextParam {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct StaticContextParam {
    /// A string or a boolean.
    pub value: serde_json::Value,
}

/// `@paginated`, on an operation or (as defaults for its operations) on the service.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

impl Paginated {
    /// The operation's values, each falling back to the service's.
    pub fn merged_over(self, service: &Paginated) -> Paginated {
        Paginated {
            input_token: self.input_token.or_else(|| service.input_token.clone()),
            output_token: self.output_token.or_else(|| service.output_token.clone()),
            items: self.items.or_else(|| service.items.clone()),
            page_size: self.page_size.or_else(|| service.page_size.clone()),
        }
    }
}

/// `@waitable`: waiter name -> waiter.
pub type Waitable = IndexMap<String, Waiter>;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiter {
    pub documentation: Option<String>,
    pub acceptors: Vec<Acceptor>,
    #[serde(default = "default_min_delay")]
    pub min_delay: u64,
    #[serde(default = "default_max_delay")]
    pub max_delay: u64,
    #[serde(default)]
    pub deprecated: bool,
}

/// Smithy's defaults for a waiter's delays, in seconds.
fn default_min_delay() -> u64 {
    2
}

fn default_max_delay() -> u64 {
    120
}

#[derive(Debug, Deserialize)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Matcher {
    Output(PathMatcher),
    InputOutput(PathMatcher),
    Success(bool),
    ErrorType(String),
}

#[derive(Debug, Deserialize)]
pub struct PathMatcher {
    pub path: String,
    pub expected: String,
    pub comparator: Comparator,
}

// The names are the model's (`stringEquals`, ...), as in the IR's `PathComparator`.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Comparator {
    StringEquals,
    BooleanEquals,
    AllStringEquals,
    AnyStringEquals,
}
