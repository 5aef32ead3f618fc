//! Front-ends: the model files as serde mirrors, with no logic beyond "does this JSON have the expected shape".
//!
//! Each front-end reports problems with the JSON path of the value that did not fit, and reads every shape
//! even after one failed, so all problems of a model are reported together.

pub mod botocore;
pub mod endpoint_rules;
pub mod paginators;
pub mod smithy;
pub mod waiters;

use crate::diagnostics::{child, Diagnostics};
use indexmap::IndexMap;
use std::io::Read;
use std::path::Path;

/// A model and the files botocore keeps beside it.
#[derive(Clone, Debug, Default)]
pub struct ModelInput {
    /// The model itself (`service-2.json`), unpacked.
    pub service: Vec<u8>,
    /// `endpoint-rule-set-1.json` from beside the model, if there is one.
    pub endpoint_rule_set: Option<Vec<u8>>,
    /// botocore's `partitions.json`, which the rule sets' `aws.partition` reads, if there is one near the model.
    pub partitions: Option<Vec<u8>>,
    /// `paginators-1.json` from beside the model, if there is one.
    pub paginators: Option<Vec<u8>>,
    /// `waiters-2.json` from beside the model, if there is one.
    pub waiters: Option<Vec<u8>>,
}

impl ModelInput {
    /// A model with no files beside it (its crate resolves endpoints without rules).
    pub fn new(service: Vec<u8>) -> Self {
        Self {
            service,
            ..Self::default()
        }
    }

    /// Reads the model at `path` and, as botocore lays them out, `endpoint-rule-set-1.json`, `paginators-1.json`
    /// and `waiters-2.json` beside it and
    /// `partitions.json` in its directory or up to two above (botocore's `data/` holds it above
    /// `<service>/<version>/`); each may be gzip-compressed (`.json.gz`).
    pub fn read(path: &Path) -> Result<Self, String> {
        let service = read_model_file(path)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let endpoint_rule_set = read_companion(dir, "endpoint-rule-set-1")?;
        let mut partitions = None;
        for dir in dir.ancestors().take(3) {
            partitions = read_companion(dir, "partitions")?;
            if partitions.is_some() {
                break;
            }
        }
        Ok(Self {
            service,
            endpoint_rule_set,
            partitions,
            paginators: read_companion(dir, "paginators-1")?,
            waiters: read_companion(dir, "waiters-2")?,
        })
    }
}

/// `<dir>/<stem>.json`, else `<dir>/<stem>.json.gz`, if either exists.
fn read_companion(dir: &Path, stem: &str) -> Result<Option<Vec<u8>>, String> {
    for name in [format!("{stem}.json"), format!("{stem}.json.gz")] {
        let path = dir.join(name);
        if path.is_file() {
            return read_model_file(&path).map(Some);
        }
    }
    Ok(None)
}

/// Reads a model file, unpacking it when it is gzip-compressed (botocore ships `service-2.json.gz`).
pub fn read_model_file(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // gzip magic number, rather than trusting the extension.
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("cannot decompress {}: {e}", path.display()))?;
        Ok(out)
    } else {
        Ok(bytes)
    }
}

/// Parses model bytes as JSON; a syntax error is reported at the value it is in (see [`syntax_error`]).
pub fn parse_json(bytes: &[u8], diagnostics: &mut Diagnostics) -> Option<serde_json::Value> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Some(value),
        Err(_) => {
            let (path, message) = syntax_error(bytes);
            diagnostics.error(path, format!("the model is not valid JSON: {message}"));
            None
        }
    }
}

/// The JSON pointer of the innermost value that was being read where `bytes` stop being JSON (empty when that is
/// the document itself: nothing, or something after it), and serde_json's message with the line and column, for
/// bytes that are not JSON. A second parse, tracking where it is, so that valid files pay nothing for it.
pub fn syntax_error(bytes: &[u8]) -> (String, String) {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, serde_json::Value>(&mut deserializer) {
        Err(error) => (pointer_of(error.path(), ""), error.into_inner().to_string()),
        // What follows the document is not part of any value in it.
        Ok(_) => match deserializer.end() {
            Err(error) => (String::new(), error.to_string()),
            Ok(()) => (String::new(), "not JSON".to_owned()),
        },
    }
}

/// A serde path as a JSON pointer below `path`.
fn pointer_of(serde_path: &serde_path_to_error::Path, path: &str) -> String {
    serde_path.iter().fold(path.to_owned(), |acc, segment| match segment {
        serde_path_to_error::Segment::Seq { index } => child(&acc, &index.to_string()),
        serde_path_to_error::Segment::Map { key } => child(&acc, key),
        serde_path_to_error::Segment::Enum { variant } => child(&acc, variant),
        serde_path_to_error::Segment::Unknown => acc,
    })
}

/// Decodes each entry of the object at `path`; `model` names the kind of model in the message for a missing one.
pub(crate) fn decode_map<T: serde::de::DeserializeOwned>(
    value: Option<&serde_json::Value>,
    path: &str,
    model: &str,
    diagnostics: &mut Diagnostics,
) -> IndexMap<String, T> {
    let Some(value) = value else {
        diagnostics.error(path, format!("missing: {model} needs this object"));
        return IndexMap::new();
    };
    let Some(entries) = value.as_object() else {
        diagnostics.error(path, format!("expected an object, found {}", kind_of(value)));
        return IndexMap::new();
    };
    entries
        .iter()
        .filter_map(|(name, entry)| {
            decode::<T>(entry, &child(path, name), diagnostics).map(|decoded| (name.clone(), decoded))
        })
        .collect()
}

/// Decodes one value, turning a serde error into a diagnostic at the exact nested path that failed.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(decoded) => Some(decoded),
        Err(error) => {
            let full = pointer_of(error.path(), path);
            diagnostics.error(full, error.into_inner().to_string());
            None
        }
    }
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_the_value_they_are_in() {
        let at = |text: &str| syntax_error(text.as_bytes()).0;
        assert_eq!(
            at(r#"{"shapes": {"A": {"type": "structure", "members": {"b": {"shape": tru"#),
            "/shapes/A/members/b/shape"
        );
        assert_eq!(at(r#"{"shapes": {"a/b": [1, 2, }"#), "/shapes/a~1b/2");
        assert_eq!(at(r#"{"shapes": {"A": {"#), "/shapes/A");
        assert_eq!(at(""), "");
        assert_eq!(at("{} x"), "");
        let (_, message) = syntax_error(b"{\n  \"a\": x}");
        assert!(message.contains("line 2 column"), "{message}");
    }
}
