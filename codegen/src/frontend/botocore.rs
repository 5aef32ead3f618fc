//! Serde mirror of botocore's `service-2.json`.
//!
//! Only keys that lowering reads are mirrored. The rest (`location`, `xmlNamespace`, `signatureVersion`, ...) are
//! ignored rather than denied, and so not type-checked either, because botocore adds keys over time and an
//! unknown key must not break generation.

use super::{decode, decode_map};
use crate::diagnostics::Diagnostics;
use indexmap::IndexMap;
use serde::Deserialize;

/// A whole botocore model. Shapes and operations are kept in file order (`IndexMap`) so member order and
/// diagnostics follow the file.
#[derive(Debug)]
pub struct Model {
    /// `None` when it is missing or not an object (reported here, so lowering does not report each key of it).
    pub metadata: Option<Metadata>,
    pub documentation: Option<String>,
    pub operations: IndexMap<String, Operation>,
    pub shapes: IndexMap<String, Shape>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub api_version: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub json_version: Option<String>,
    pub protocol: Option<String>,
    #[serde(default)]
    pub protocols: Vec<String>,
    pub service_full_name: Option<String>,
    pub service_id: Option<String>,
    pub signing_name: Option<String>,
    pub target_prefix: Option<String>,
    #[serde(default)]
    pub aws_query_compatible: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: Option<String>,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    /// `{"hostPrefix": "data-"}`: prepended to the endpoint's host, with `{member}` labels from the input.
    pub endpoint: Option<EndpointTrait>,
    /// `{"encodings": ["gzip"]}`: the request body may be compressed with the first supported encoding.
    pub requestcompression: Option<RequestCompression>,
    /// `{"OperationType": {"value": "control"}}`: endpoint-rule parameters this operation sets to constants.
    #[serde(default)]
    pub static_context_params: IndexMap<String, StaticContextParam>,
    /// `{"ResourceArnList": {"path": "..."}}`: endpoint-rule parameters taken from the input by a JMESPath
    /// expression (not bound: see the lowering's warning).
    #[serde(default)]
    pub operation_context_params: IndexMap<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct StaticContextParam {
    /// A string or a boolean.
    pub value: serde_json::Value,
}

#[derive(Debug, Deserialize)]
pub struct ContextParam {
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointTrait {
    pub host_prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RequestCompression {
    pub encodings: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ShapeRef {
    pub shape: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub members: IndexMap<String, Member>,
    #[serde(default)]
    pub required: Vec<String>,
    pub member: Option<Member>,
    pub key: Option<Member>,
    pub value: Option<Member>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub min: Option<serde_json::Number>,
    pub max: Option<serde_json::Number>,
    pub pattern: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    pub error: Option<ErrorInfo>,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    #[serde(rename = "box", default)]
    pub boxed: bool,
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub jsonvalue: bool,
    pub documentation: Option<String>,
    #[serde(default)]
    pub eventstream: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorInfo {
    pub code: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub shape: String,
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    #[serde(rename = "box", default)]
    pub boxed: bool,
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub idempotency_token: bool,
    /// The member's value becomes a label of the endpoint's host (see [`EndpointTrait`]).
    #[serde(default)]
    pub host_label: bool,
    /// `{"name": "StreamARN"}`: the member's value is this endpoint-rule parameter.
    pub context_param: Option<ContextParam>,
}

/// Reads a parsed JSON document as a botocore model, reporting every part that does not fit.
pub fn read(root: &serde_json::Value, diagnostics: &mut Diagnostics) -> Option<Model> {
    let Some(object) = root.as_object() else {
        diagnostics.error(
            "",
            "a botocore model is a JSON object with `metadata`, `operations` and `shapes`",
        );
        return None;
    };
    let metadata = match object.get("metadata") {
        Some(value) => decode::<Metadata>(value, "/metadata", diagnostics),
        None => {
            diagnostics.error("/metadata", "missing: a botocore model needs `metadata`");
            None
        }
    };
    let documentation = object.get("documentation").and_then(|d| d.as_str()).map(str::to_owned);
    let operations = decode_map(object.get("operations"), "/operations", "a botocore model", diagnostics);
    let shapes = decode_map(object.get("shapes"), "/shapes", "a botocore model", diagnostics);
    Some(Model {
        metadata,
        documentation,
        operations,
        shapes,
    })
}
