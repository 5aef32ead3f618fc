//! The Smithy prelude shapes (`smithy.api#String`, `smithy.api#PrimitiveBoolean`, `smithy.api#Unit`, ...), as
//! shapes of the same mirror the model's are read into: a model refers to them without defining them.

use crate::frontend::smithy::{Model, Shape};
use indexmap::IndexMap;
use std::collections::BTreeSet;

/// Prelude shape name -> (type, the default its `Primitive` variants carry).
const PRELUDE: &[(&str, &str, Option<&str>)] = &[
    ("String", "string", None),
    ("Blob", "blob", None),
    ("Timestamp", "timestamp", None),
    ("Document", "document", None),
    ("Boolean", "boolean", None),
    ("PrimitiveBoolean", "boolean", Some("false")),
    ("Byte", "byte", None),
    ("PrimitiveByte", "byte", Some("0")),
    ("Short", "short", None),
    ("PrimitiveShort", "short", Some("0")),
    ("Integer", "integer", None),
    ("PrimitiveInteger", "integer", Some("0")),
    ("Long", "long", None),
    ("PrimitiveLong", "long", Some("0")),
    ("Float", "float", None),
    ("PrimitiveFloat", "float", Some("0")),
    ("Double", "double", None),
    ("PrimitiveDouble", "double", Some("0")),
    // The "no value" shape: an operation without input or output names it; a union variant may carry it.
    ("Unit", "structure", None),
];

/// Prelude shapes of types this generator does not support (botocore has no such types): a reference to one is
/// reported where it is made, the only place in the model to point at.
pub const UNSUPPORTED: &[(&str, &str)] = &[
    ("smithy.api#BigInteger", "bigInteger"),
    ("smithy.api#BigDecimal", "bigDecimal"),
];

/// Every prelude shape this generator supports, by absolute id.
pub fn shapes() -> IndexMap<String, Shape> {
    PRELUDE
        .iter()
        .filter_map(|(name, kind, default)| {
            let traits = default.map_or_else(String::new, |d| format!(r#""smithy.api#default": {d}"#));
            let json = format!(r#"{{"type": "{kind}", "traits": {{{traits}}}}}"#);
            let shape = serde_json::from_str(&json).ok()?;
            Some((format!("smithy.api#{name}"), shape))
        })
        .collect()
}

/// The prelude ids the model's members refer to (operations' `smithy.api#Unit` inputs and outputs are not
/// shapes: they mean "none").
pub fn referenced(model: &Model) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for shape in model.shapes.values() {
        let members = shape
            .members
            .values()
            .chain(&shape.member)
            .chain(&shape.key)
            .chain(&shape.value);
        for member in members.filter(|m| m.target.starts_with("smithy.api#")) {
            // An enum's members all target Unit: they are values, not shapes.
            if shape.kind != "enum" && shape.kind != "intEnum" {
                ids.insert(member.target.clone());
            }
        }
    }
    ids
}
