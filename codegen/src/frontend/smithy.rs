//! Serde mirror of the Smithy 2.0 JSON AST (`{"smithy": "2.0", "shapes": {...}}`).
//!
//! Shapes are keyed by absolute shape id (`com.amazonaws.ecs#TaskSet`); traits stay a map from trait id to its
//! JSON value, because the AST is open (any namespace may define traits) and lowering decodes only the traits it
//! reads, each with its own JSON path. Keys this mirror does not name (`identifiers`, `properties`, `mixins`,
//! ...) are ignored, as in the botocore mirror, so a newer AST does not break generation.

use super::{decode, decode_map};
use crate::diagnostics::Diagnostics;
use indexmap::IndexMap;
use serde::Deserialize;

/// A whole Smithy model. Shapes are kept in file order (`IndexMap`), as in the file.
#[derive(Debug)]
pub struct Model {
    /// The `smithy` version string (`2.0`).
    pub version: String,
    pub shapes: IndexMap<String, Shape>,
}

/// A reference to a shape by absolute id: `{"target": "com.amazonaws.ecs#TaskSet"}`.
#[derive(Clone, Debug, Deserialize)]
pub struct Target {
    pub target: String,
}

/// A member of a structure, union or enum, or a list's `member`, a map's `key` and `value`.
#[derive(Clone, Debug, Deserialize)]
pub struct Member {
    pub target: String,
    #[serde(default)]
    pub traits: Traits,
}

/// Trait id -> the trait's value (`{}` for annotation traits).
pub type Traits = IndexMap<String, serde_json::Value>;

/// Any shape: the keys a shape type does not use are simply absent.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub traits: Traits,
    /// Structure, union and enum members, in model order.
    #[serde(default)]
    pub members: IndexMap<String, Member>,
    /// A list's element.
    pub member: Option<Member>,
    /// A map's key and value.
    pub key: Option<Member>,
    pub value: Option<Member>,
    /// An operation's input and output (`smithy.api#Unit` when it has none).
    pub input: Option<Target>,
    pub output: Option<Target>,
    /// An operation's errors, or a service's errors common to all its operations.
    #[serde(default)]
    pub errors: Vec<Target>,
    /// Operations bound to a service or resource.
    #[serde(default)]
    pub operations: Vec<Target>,
    /// Child resources of a service or resource.
    #[serde(default)]
    pub resources: Vec<Target>,
    /// A resource's collection operations and lifecycle operations.
    #[serde(default)]
    pub collection_operations: Vec<Target>,
    pub create: Option<Target>,
    pub put: Option<Target>,
    pub read: Option<Target>,
    pub update: Option<Target>,
    pub delete: Option<Target>,
    pub list: Option<Target>,
    /// A service's version (botocore's `apiVersion`).
    pub version: Option<String>,
    /// A service's renames of shapes whose names clash in its closure: shape id -> name.
    #[serde(default)]
    pub rename: IndexMap<String, String>,
}

impl Shape {
    /// A resource's lifecycle operations (`create`, `put`, `read`, `update`, `delete`, `list`) with their keys.
    pub fn lifecycle_operations(&self) -> impl Iterator<Item = (&'static str, &Target)> {
        [
            ("create", &self.create),
            ("put", &self.put),
            ("read", &self.read),
            ("update", &self.update),
            ("delete", &self.delete),
            ("list", &self.list),
        ]
        .into_iter()
        .filter_map(|(key, target)| Some((key, target.as_ref()?)))
    }
}

/// True when `root` is a Smithy JSON AST (a top-level `"smithy"` version string) rather than a botocore model.
pub fn is_smithy(root: &serde_json::Value) -> bool {
    root.get("smithy").is_some_and(serde_json::Value::is_string)
}

/// Reads a parsed JSON document as a Smithy model, reporting every part that does not fit.
pub fn read(root: &serde_json::Value, diagnostics: &mut Diagnostics) -> Option<Model> {
    let Some(object) = root.as_object() else {
        diagnostics.error("", "a Smithy model is a JSON object with `smithy` and `shapes`");
        return None;
    };
    let version = object
        .get("smithy")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    if !version.starts_with('2') {
        diagnostics.error(
            "/smithy",
            format!("Smithy IDL version {version:?} is not supported; expected \"2.0\""),
        );
    }
    let shapes = decode_map(object.get("shapes"), "/shapes", "a Smithy model", diagnostics);
    Some(Model { version, shapes })
}

/// Decodes a trait's value into `T`, reporting a mismatch at the trait's path (and the nested key that failed).
pub fn decode_trait<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    decode(value, path, diagnostics)
}
