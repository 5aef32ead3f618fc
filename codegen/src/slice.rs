//! Cuts a botocore model down to some operations and the shapes they reach, in botocore's own form, so the
//! committed model in `models/` is refreshed from AWS's published model by a command, not by hand.

use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The model with only `operations` and the closure of shapes their inputs, outputs and errors reach. Key order
/// is the original's, so a refresh diff shows only what AWS changed.
pub fn slice(model: &Value, operations: &[String]) -> Result<Value, String> {
    let object = model.as_object().ok_or("the model is not a JSON object")?;
    let all_operations = object
        .get("operations")
        .and_then(Value::as_object)
        .ok_or("the model has no `operations`")?;
    let shapes = object
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or("the model has no `shapes`")?;
    let mut kept_operations = Map::new();
    let mut pending = Vec::new();
    for (name, operation) in all_operations {
        if operations.contains(name) {
            collect_refs(operation, &mut pending);
            kept_operations.insert(name.clone(), operation.clone());
        }
    }
    let unknown: Vec<&String> = operations.iter().filter(|o| !all_operations.contains_key(*o)).collect();
    if !unknown.is_empty() {
        return Err(format!("the model has no operation named {unknown:?}"));
    }
    let mut reached = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if reached.insert(name.clone()) {
            let shape = shapes
                .get(&name)
                .ok_or_else(|| format!("shape {name:?} is referenced but not defined"))?;
            collect_refs(shape, &mut pending);
        }
    }
    let kept_shapes: Map<String, Value> = shapes
        .iter()
        .filter(|(name, _)| reached.contains(*name))
        .map(|(n, s)| (n.clone(), s.clone()))
        .collect();
    let mut out = Map::new();
    for (key, value) in object {
        let value = match key.as_str() {
            "operations" => Value::Object(kept_operations.clone()),
            "shapes" => Value::Object(kept_shapes.clone()),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Ok(Value::Object(out))
}

/// Every `{"shape": "Name"}` reference inside a value.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("shape", Value::String(name)) => out.push(name.clone()),
                    _ => collect_refs(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}
