//! Turning a suite into botocore models, as botocore's own runner does:
//! `{...suite, "operations": {given.name: given}}`.
//!
//! One model holds every operation of a suite's cases, so a suite becomes one crate. A case whose `given`
//! differs from another case's operation of the same name cannot share that model and gets one of its own.

use crate::suite::Suite;
use serde_json::{Map, Value};

/// A botocore model made from (some of) a suite's cases.
#[derive(Clone, Debug, PartialEq)]
pub struct SuiteModel {
    /// `metadata` + `shapes` + `operations`, ready for `codegen::generate`.
    pub model: Value,
    /// Indices (into the slice given to [`assemble`]) of the cases this model runs.
    pub cases: Vec<usize>,
    /// Metadata keys the suite leaves out and the generator needs, filled by [`complete_metadata`].
    pub filled_metadata: Vec<&'static str>,
}

/// Groups `cases` (indices into `suite.cases`) into models: each case joins the first model whose operation
/// of the same name, if any, is exactly its `given`.
pub fn assemble(suite: &Suite, cases: &[usize]) -> Vec<SuiteModel> {
    let (metadata, filled_metadata) = complete_metadata(&suite.metadata);
    let mut groups: Vec<(Map<String, Value>, Vec<usize>)> = Vec::new();
    for &index in cases {
        let case = &suite.cases[index];
        let name = case.operation_name().to_owned();
        let given = case.given().clone();
        let fits = |ops: &Map<String, Value>| ops.get(&name).is_none_or(|existing| *existing == given);
        match groups.iter_mut().find(|(ops, _)| fits(ops)) {
            Some((ops, members)) => {
                ops.insert(name, given);
                members.push(index);
            }
            None => {
                let mut ops = Map::new();
                ops.insert(name, given);
                groups.push((ops, vec![index]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(operations, cases)| {
            let mut model = Map::new();
            model.insert("metadata".to_owned(), metadata.clone());
            model.insert("shapes".to_owned(), Value::Object(suite.shapes.clone()));
            model.insert("operations".to_owned(), Value::Object(operations));
            SuiteModel {
                model: Value::Object(model),
                cases,
                filled_metadata: filled_metadata.clone(),
            }
        })
        .collect()
}

/// The suite's metadata with the keys the generator requires and the suites omit: `endpointPrefix` (every
/// non-legacy awsJson suite but the query-compatible ones), `apiVersion` and `targetPrefix` (legacy suites).
/// None of them is under test: the endpoint is configured explicitly, and a suite that checks
/// `X-Amz-Target` always gives `targetPrefix`. botocore reads them lazily, so its runner never notices.
/// The filled values are recognisable (`endpointPrefix` is the lowercased `targetPrefix`, as the runtime's
/// own tests use `jsonprotocol`), and the report lists which keys were filled.
pub fn complete_metadata(metadata: &Value) -> (Value, Vec<&'static str>) {
    let mut completed = metadata.as_object().cloned().unwrap_or_default();
    let mut filled = Vec::new();
    if !completed.contains_key("targetPrefix") {
        completed.insert("targetPrefix".to_owned(), Value::from("ConformanceService"));
        filled.push("targetPrefix");
    }
    if !completed.contains_key("endpointPrefix") {
        let prefix: String = completed["targetPrefix"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let prefix = if prefix.is_empty() {
            "conformance".to_owned()
        } else {
            prefix
        };
        completed.insert("endpointPrefix".to_owned(), Value::from(prefix));
        filled.push("endpointPrefix");
    }
    if !completed.contains_key("apiVersion") {
        completed.insert("apiVersion".to_owned(), Value::from("unspecified"));
        filled.push("apiVersion");
    }
    (Value::Object(completed), filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::parse_file;
    use serde_json::json;

    fn suite(cases: Value) -> Suite {
        let file = json!([{
            "description": "d",
            "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "JsonProtocol",
                         "apiVersion": "2018-01-01"},
            "shapes": {"In": {"type": "structure", "members": {}}},
            "cases": cases,
        }]);
        parse_file("input/json.json", &file.to_string())
            .unwrap()
            .suites
            .remove(0)
    }

    #[test]
    fn one_model_holds_every_operation_of_a_suite() {
        let a = json!({"name": "A", "input": {"shape": "In"}});
        let b = json!({"name": "B"});
        let s = suite(json!([{"given": a}, {"given": b}, {"given": a}]));
        let models = assemble(&s, &[0, 1, 2]);
        assert_eq!(models.len(), 1);
        let model = &models[0];
        assert_eq!(model.cases, vec![0, 1, 2]);
        assert_eq!(model.model["operations"], json!({"A": a, "B": b}));
        assert_eq!(
            model.model["shapes"],
            json!({"In": {"type": "structure", "members": {}}})
        );
        assert_eq!(model.model["metadata"]["targetPrefix"], "JsonProtocol");
        assert_eq!(model.model["metadata"]["endpointPrefix"], "jsonprotocol");
        assert_eq!(model.filled_metadata, vec!["endpointPrefix"]);
    }

    #[test]
    fn a_different_given_of_the_same_name_gets_its_own_model() {
        let a1 = json!({"name": "A", "input": {"shape": "In"}});
        let a2 = json!({"name": "A", "input": {"shape": "In"}, "endpoint": {"hostPrefix": "x."}});
        let b = json!({"name": "B"});
        let s = suite(json!([{"given": a1}, {"given": a2}, {"given": b}, {"given": a2}, {"given": a1}]));
        let models = assemble(&s, &[0, 1, 2, 3, 4]);
        assert_eq!(models.len(), 2);
        assert_eq!(models[0].cases, vec![0, 2, 4]);
        assert_eq!(models[0].model["operations"], json!({"A": a1, "B": b}));
        assert_eq!(models[1].cases, vec![1, 3]);
        assert_eq!(models[1].model["operations"], json!({"A": a2}));
    }

    #[test]
    fn only_the_chosen_cases_make_the_model() {
        let s = suite(json!([{"given": {"name": "A"}}, {"given": {"name": "B"}}]));
        let models = assemble(&s, &[1]);
        assert_eq!(models[0].model["operations"], json!({"B": {"name": "B"}}));
        assert!(assemble(&s, &[]).is_empty());
    }

    #[test]
    fn fills_only_missing_metadata() {
        let (full, filled) = complete_metadata(&json!({"targetPrefix": "T", "endpointPrefix": "e", "apiVersion": "v"}));
        assert!(filled.is_empty());
        assert_eq!(
            full,
            json!({"targetPrefix": "T", "endpointPrefix": "e", "apiVersion": "v"})
        );
        let (legacy, filled) = complete_metadata(&json!({"protocol": "json"}));
        assert_eq!(filled, vec!["targetPrefix", "endpointPrefix", "apiVersion"]);
        assert_eq!(legacy["endpointPrefix"], "conformanceservice");
        let (dotted, _) = complete_metadata(&json!({"targetPrefix": "com.amazonaws.foo"}));
        assert_eq!(dotted["endpointPrefix"], "comamazonawsfoo");
    }
}
