//! Reading botocore's protocol-test files (`tests/unit/protocols/` in botocore; the format is described in
//! section 1 of `shared/testsuites/README.md`).
//!
//! A file is a list of suites; a suite is a botocore model without operations (`metadata`, `shapes`) plus
//! `cases`, each of which names its operation in `given`.

use serde_json::{Map, Value};

/// The files `cargo xtask conformance` runs, relative to the suites directory.
pub const DEFAULT_FILES: &[&str] = &[
    "input/json.json",
    "input/json_1_0.json",
    "input/json_1_0-query-compatible.json",
    "output/json.json",
    "output/json_1_0.json",
    "output/json_1_0-query-compatible.json",
];

/// botocore's older hand-written suites, run with `--legacy`.
pub const LEGACY_FILES: &[&str] = &["legacy/input/json.json", "legacy/output/json.json"];

/// Whether a file's cases check request serialization or response parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `params` -> `serialized` (the request).
    Input,
    /// `response` -> `result`, or `error*`.
    Output,
}

/// One test file.
#[derive(Clone, Debug)]
pub struct SuiteFile {
    /// The path relative to the suites directory (`input/json.json`), as reports name it.
    pub path: String,
    pub direction: Direction,
    pub suites: Vec<Suite>,
}

/// One suite: a service model without operations, and its cases.
#[derive(Clone, Debug)]
pub struct Suite {
    /// Human text (`Test cases for KitchenSinkOperation operation`); not unique within a file.
    pub description: String,
    /// The botocore `metadata` object.
    pub metadata: Value,
    /// The botocore `shapes` object.
    pub shapes: Map<String, Value>,
    /// The endpoint the client is configured with, when the suite says (host-prefix and base-path cases).
    pub client_endpoint: Option<String>,
    pub cases: Vec<Case>,
}

/// One case of a suite.
#[derive(Clone, Debug)]
pub struct Case {
    /// The case's `id`, or for legacy cases (which have none) `<suite description> #<n>`.
    pub id: String,
    /// The whole case object (`given`, `params`, `serialized`, `response`, `result`, `error*`).
    pub raw: Value,
}

impl Case {
    /// The botocore operation object the case runs.
    pub fn given(&self) -> &Value {
        &self.raw["given"]
    }

    /// The operation's name; botocore's runner defaults it to `OperationName`.
    pub fn operation_name(&self) -> &str {
        self.given()
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("OperationName")
    }

    /// The shape the operation's `input` or `output` names.
    pub fn operation_shape(&self, direction: Direction) -> Option<&str> {
        let key = match direction {
            Direction::Input => "input",
            Direction::Output => "output",
        };
        self.given().get(key)?.get("shape")?.as_str()
    }
}

/// The direction of a file from its path (`input/...`, `legacy/output/...`).
pub fn direction_of(path: &str) -> Result<Direction, String> {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    if parts.contains(&"input") {
        Ok(Direction::Input)
    } else if parts.contains(&"output") {
        Ok(Direction::Output)
    } else {
        Err(format!("{path}: not under an `input` or `output` directory"))
    }
}

/// Parses the text of one file; `path` is how reports name it.
pub fn parse_file(path: &str, text: &str) -> Result<SuiteFile, String> {
    let direction = direction_of(path)?;
    let root: Value = serde_json::from_str(text).map_err(|e| format!("{path}: not JSON: {e}"))?;
    let list = root
        .as_array()
        .ok_or_else(|| format!("{path}: expected a list of suites"))?;
    let mut suites = Vec::with_capacity(list.len());
    for (index, suite) in list.iter().enumerate() {
        let at = |what: &str| format!("{path}: suite {index}: {what}");
        let description = suite
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let metadata = suite.get("metadata").cloned().ok_or_else(|| at("no `metadata`"))?;
        let shapes = match suite.get("shapes") {
            None => Map::new(),
            Some(Value::Object(shapes)) => shapes.clone(),
            Some(_) => return Err(at("`shapes` is not an object")),
        };
        let client_endpoint = suite.get("clientEndpoint").and_then(Value::as_str).map(str::to_owned);
        let raw_cases = suite
            .get("cases")
            .and_then(Value::as_array)
            .ok_or_else(|| at("no `cases` list"))?;
        let mut cases = Vec::with_capacity(raw_cases.len());
        for (n, case) in raw_cases.iter().enumerate() {
            if !case.is_object() || !case.get("given").is_some_and(Value::is_object) {
                return Err(at(&format!("case {n} is not an object with `given`")));
            }
            let id = match case.get("id").and_then(Value::as_str) {
                Some(id) => id.to_owned(),
                None => format!("{description} #{n}"),
            };
            cases.push(Case { id, raw: case.clone() });
        }
        suites.push(Suite {
            description,
            metadata,
            shapes,
            client_endpoint,
            cases,
        });
    }
    Ok(SuiteFile {
        path: path.to_owned(),
        direction,
        suites,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"[
      {"description": "Test cases for JsonEnums operation",
       "metadata": {"protocol": "json", "targetPrefix": "JsonProtocol"},
       "clientEndpoint": "https://example.com",
       "shapes": {"S": {"type": "string"}},
       "cases": [
         {"id": "One", "given": {"name": "JsonEnums", "input": {"shape": "In"}}, "params": {}},
         {"given": {"input": {"shape": "In"}}, "params": {}}
       ]}
    ]"#;

    #[test]
    fn reads_suites_and_names_cases_without_ids() {
        let file = parse_file("legacy/input/json.json", FILE).unwrap();
        assert_eq!(file.direction, Direction::Input);
        let suite = &file.suites[0];
        assert_eq!(suite.client_endpoint.as_deref(), Some("https://example.com"));
        assert_eq!(suite.shapes.len(), 1);
        assert_eq!(suite.cases[0].id, "One");
        assert_eq!(suite.cases[0].operation_name(), "JsonEnums");
        assert_eq!(suite.cases[0].operation_shape(Direction::Input), Some("In"));
        assert_eq!(suite.cases[0].operation_shape(Direction::Output), None);
        assert_eq!(suite.cases[1].id, "Test cases for JsonEnums operation #1");
        assert_eq!(suite.cases[1].operation_name(), "OperationName");
    }

    #[test]
    fn rejects_what_is_not_a_suite_file() {
        assert!(direction_of("json.json").is_err());
        assert_eq!(direction_of("output/json.json"), Ok(Direction::Output));
        assert!(parse_file("input/x.json", "{}").unwrap_err().contains("list of suites"));
        assert!(parse_file("input/x.json", "[{}]").unwrap_err().contains("metadata"));
        assert!(parse_file("input/x.json", r#"[{"metadata": {}, "cases": [{}]}]"#)
            .unwrap_err()
            .contains("case 0"));
    }
}
