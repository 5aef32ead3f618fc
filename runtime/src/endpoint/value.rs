//! What an expression evaluates to while a rule set runs: strings, booleans, integers, arrays and objects.
//!
//! Objects sit behind an `Arc`: the partition a region belongs to is built once, when the partition table is
//! parsed, and every `aws.partition` call hands out a reference-counted copy of it.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{ParamValue, RuleSetError};

/// A value of the rules language. An unset value (`option` without content) is `None` around it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Object(Arc<BTreeMap<String, Value>>),
}

impl Value {
    /// The type's name as the rules language spells it, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// An object from its fields.
    pub(crate) fn object<I: IntoIterator<Item = (String, Value)>>(fields: I) -> Value {
        Value::Object(Arc::new(fields.into_iter().collect()))
    }

    /// A JSON value as a rules value; `null` and fractional numbers have no counterpart.
    pub(crate) fn from_json(json: &serde_json::Value, path: &str) -> Result<Value, RuleSetError> {
        Ok(match json {
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => return Err(RuleSetError::new(path, format!("{n} is not an integer"))),
            },
            serde_json::Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Value::from_json(item, &super::rules::pointer(path, &i.to_string())))
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(fields) => Value::object(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), Value::from_json(v, &super::rules::pointer(path, k))?)))
                    .collect::<Result<Vec<_>, RuleSetError>>()?,
            ),
            serde_json::Value::Null => {
                return Err(RuleSetError::new(path, "null is not a value of the rules language"))
            }
        })
    }
}

impl From<&ParamValue> for Value {
    fn from(value: &ParamValue) -> Self {
        match value {
            ParamValue::String(s) => Value::String(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
        }
    }
}

/// One step of a `getAttr` path: `name` in `a.name`, `2` in `resourceId[2]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathPart {
    Key(String),
    /// Negative indexes count from the end (`[-1]` is the last element).
    Index(i64),
}

/// Parses a `getAttr` path (`name`, `resourceId[2]`, `a.b`, `a.b[0]`): keys separated by dots, an index in
/// brackets only at the end.
pub(crate) fn parse_path(path: &str) -> Result<Vec<PathPart>, String> {
    let mut parts = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match segment.split_once('[') {
            None if segment.is_empty() => return Err(format!("the path `{path}` has an empty part")),
            None => parts.push(PathPart::Key((*segment).to_owned())),
            Some((key, rest)) => {
                if i != last {
                    return Err(format!("the path `{path}` has an index before its end"));
                }
                if !key.is_empty() {
                    parts.push(PathPart::Key(key.to_owned()));
                }
                let index = rest
                    .strip_suffix(']')
                    .and_then(|digits| digits.parse::<i64>().ok())
                    .ok_or_else(|| format!("the path `{path}` has an index that is not `[<integer>]`"))?;
                parts.push(PathPart::Index(index));
            }
        }
    }
    Ok(parts)
}

/// The value at `path` inside `value`; `None` where a key is missing, an index is out of range, or a step meets a
/// value that is neither object nor array.
pub(crate) fn get_attr<'v>(value: &'v Value, path: &[PathPart]) -> Option<&'v Value> {
    let mut current = value;
    for part in path {
        current = match (part, current) {
            (PathPart::Key(key), Value::Object(fields)) => fields.get(key)?,
            (PathPart::Index(index), Value::Array(items)) => {
                let position = if *index < 0 {
                    items.len().checked_sub(usize::try_from(index.unsigned_abs()).ok()?)?
                } else {
                    usize::try_from(*index).ok()?
                };
                items.get(position)?
            }
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_keys_then_an_optional_index() {
        assert_eq!(parse_path("name").unwrap(), vec![PathPart::Key("name".into())]);
        assert_eq!(
            parse_path("resourceId[2]").unwrap(),
            vec![PathPart::Key("resourceId".into()), PathPart::Index(2)]
        );
        assert_eq!(
            parse_path("a.b").unwrap(),
            vec![PathPart::Key("a".into()), PathPart::Key("b".into())]
        );
        assert_eq!(parse_path("[0]").unwrap(), vec![PathPart::Index(0)]);
        assert_eq!(
            parse_path("list[-1]").unwrap(),
            vec![PathPart::Key("list".into()), PathPart::Index(-1)]
        );
        for bad in ["", "a..b", "a[0].b", "a[x]", "a[0", "a[]", "."] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn get_attr_walks_objects_and_arrays() {
        let value = Value::object([
            ("name".to_owned(), Value::String("aws".into())),
            (
                "ids".to_owned(),
                Value::Array(vec![Value::String("a".into()), Value::String("b".into())]),
            ),
            (
                "inner".to_owned(),
                Value::object([("flag".to_owned(), Value::Bool(true))]),
            ),
        ]);
        let get = |path: &str| get_attr(&value, &parse_path(path).unwrap()).cloned();
        assert_eq!(get("name"), Some(Value::String("aws".into())));
        assert_eq!(get("ids[1]"), Some(Value::String("b".into())));
        assert_eq!(get("ids[-1]"), Some(Value::String("b".into())));
        assert_eq!(get("ids[-2]"), Some(Value::String("a".into())));
        assert_eq!(get("ids[2]"), None);
        assert_eq!(get("ids[-3]"), None);
        assert_eq!(get("inner.flag"), Some(Value::Bool(true)));
        assert_eq!(get("missing"), None);
        assert_eq!(get("name.deeper"), None);
        assert_eq!(get("name[0]"), None);
    }
}
