//! Judging what the harness observed against what a case expects.
//!
//! The harness reports, per case, one JSON value (see [`crate::harness`]):
//! - input cases: `{"request": {"method", "uri", "headers": [[name, value]...], "body": {"body": "<UTF-8 text>"}}}`
//!   (`{"body_bytes": [bytes]}` for a body that is not UTF-8);
//! - output cases: `{"output": <serde form of the output>}` or
//!   `{"service_error": {"code", "message", "typed": {"shape", "members"} | null}}`;
//! - either: `{"failure": "<why nothing comparable came out>"}`.

use crate::suite::{Case, Direction, Suite};
use crate::values::{normalize_output, Shapes};
use serde_json::Value;

/// Differences between two JSON values, each as `path: what`. Objects compare as maps (order ignored),
/// numbers by value (`1` equals `1.0`; integers exactly).
pub fn json_diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("$", expected, actual, &mut out);
    out
}

fn walk(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let child = format!("{path}.{key}");
                match a.get(key) {
                    Some(av) => walk(&child, ev, av, out),
                    None => out.push(format!("{child}: missing (expected {})", show(ev))),
                }
            }
            for (key, av) in a {
                if !e.contains_key(key) {
                    out.push(format!("{path}.{key}: unexpected {}", show(av)));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!("{path}: expected {}, got {}", show(expected), show(actual)));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                walk(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        (Value::Number(e), Value::Number(a)) if numbers_equal(e, a) => {}
        _ if expected == actual => {}
        _ => out.push(format!("{path}: expected {}, got {}", show(expected), show(actual))),
    }
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    if a.is_f64() || b.is_f64() {
        return a.as_f64() == b.as_f64();
    }
    false
}

/// A value for a one-line message, shortened.
fn show(value: &Value) -> String {
    shorten(&value.to_string(), 120)
}

fn shorten(text: &str, max: usize) -> String {
    let text = text.replace('\n', "\\n");
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}

/// Joins differences into the one-line reason a report shows.
fn reason(problems: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut text = problems.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("; ");
    if problems.len() > SHOWN {
        text.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    text
}

fn failure(actual: &Value) -> Option<String> {
    actual
        .get("failure")
        .map(|f| f.as_str().map_or_else(|| f.to_string(), str::to_owned))
}

/// Checks one case; `Err` is the one-line reason it fails.
pub fn check_case(direction: Direction, suite: &Suite, case: &Case, actual: &Value) -> Result<(), String> {
    match direction {
        Direction::Input => check_input(case, actual),
        Direction::Output => check_output(Shapes(&suite.shapes), case, actual),
    }
}

/// The request against `serialized`: method, path and query, host (when the case gives one), expected
/// headers (names case-insensitive, values exact), `requireHeaders` (present, any value) and the body
/// (compared as JSON values; as bytes when the expected body is not JSON; not compared when the case
/// gives none).
pub fn check_input(case: &Case, actual: &Value) -> Result<(), String> {
    if let Some(reason) = failure(actual) {
        return Err(reason);
    }
    let request = actual
        .get("request")
        .ok_or_else(|| format!("the harness reported no request: {}", show(actual)))?;
    let expected = &case.raw["serialized"];
    let mut problems = Vec::new();
    let method = request["method"].as_str().unwrap_or_default();
    if let Some(want) = expected.get("method").and_then(Value::as_str) {
        if !want.eq_ignore_ascii_case(method) {
            problems.push(format!("method: expected {want}, got {method}"));
        }
    }
    let (authority, path_and_query) = split_uri(request["uri"].as_str().unwrap_or_default());
    if let Some(want) = expected.get("uri").and_then(Value::as_str) {
        if want != path_and_query {
            problems.push(format!("uri: expected {want}, got {path_and_query}"));
        }
    }
    if let Some(want) = expected.get("host").and_then(Value::as_str) {
        // Smithy's `host` may carry the endpoint's base path (`example.com/custom`): the authority must match
        // and the request path must lie under that base path.
        let (want_authority, base_path) = want.split_once('/').map_or((want, ""), |(a, p)| (a, p));
        let under_base = base_path.is_empty() || path_and_query.starts_with(&format!("/{base_path}"));
        if !want_authority.eq_ignore_ascii_case(authority) || !under_base {
            problems.push(format!("host: expected {want}, got {authority}{path_and_query}"));
        }
    }
    let headers: Vec<(String, String)> = request["headers"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|pair| {
                    let name = pair.get(0)?.as_str()?;
                    let value = pair.get(1)?.as_str()?;
                    Some((name.to_ascii_lowercase(), value.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default();
    let header = |name: &str| {
        let name = name.to_ascii_lowercase();
        let values: Vec<&str> = headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    };
    if let Some(want) = expected.get("headers").and_then(Value::as_object) {
        for (name, value) in want {
            let value = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
            match header(name) {
                Some(got) if got == value => {}
                Some(got) => problems.push(format!("header {name}: expected {value:?}, got {got:?}")),
                None => problems.push(format!("header {name}: missing (expected {value:?})")),
            }
        }
    }
    if let Some(required) = expected.get("requireHeaders").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if header(name).is_none() {
                problems.push(format!("header {name}: missing (required)"));
            }
        }
    }
    if let Some(want) = expected.get("body").and_then(Value::as_str) {
        let body: Vec<u8> = match &request["body"] {
            Value::Object(body) => match (body.get("body"), body.get("body_bytes")) {
                (Some(Value::String(text)), _) => text.as_bytes().to_vec(),
                (_, Some(Value::Array(bytes))) => bytes
                    .iter()
                    .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        problems.extend(body_problems(want, &body));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(reason(&problems))
    }
}

/// `https://host:port/base/?q` -> (`host:port`, `/base/?q`).
fn split_uri(uri: &str) -> (&str, String) {
    let rest = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    match rest.find(['/', '?']) {
        Some(at) => {
            let (authority, tail) = rest.split_at(at);
            let tail = if tail.starts_with('?') {
                format!("/{tail}")
            } else {
                tail.to_owned()
            };
            (authority, tail)
        }
        None => (rest, "/".to_owned()),
    }
}

fn body_problems(expected: &str, actual: &[u8]) -> Vec<String> {
    match serde_json::from_str::<Value>(expected) {
        Ok(want) => match serde_json::from_slice::<Value>(actual) {
            Ok(got) => json_diff(&want, &got)
                .into_iter()
                .map(|d| format!("body {d}"))
                .collect(),
            Err(e) => vec![format!(
                "body: not JSON ({e}): {}",
                shorten(&String::from_utf8_lossy(actual), 120)
            )],
        },
        Err(_) if expected.as_bytes() == actual => Vec::new(),
        Err(_) => vec![format!(
            "body: expected the bytes {}, got {}",
            shorten(expected, 120),
            shorten(&String::from_utf8_lossy(actual), 120)
        )],
    }
}

/// The parsed response against `result` (normalized to botocore conventions and compared as JSON), or for
/// error cases against `errorCode`, `errorMessage` (absent = none or empty) and `error` (the members of the
/// modelled exception the code names; a code the operation does not model must give the unhandled variant).
pub fn check_output(shapes: Shapes<'_>, case: &Case, actual: &Value) -> Result<(), String> {
    if let Some(reason) = failure(actual) {
        return Err(reason);
    }
    let raw = &case.raw;
    if let Some(code) = raw.get("errorCode").and_then(Value::as_str) {
        return check_error(shapes, case, code, actual);
    }
    let Some(output) = actual.get("output") else {
        return Err(match actual.get("service_error") {
            Some(e) => format!("expected an output, got the service error {}", show(e)),
            None => format!("the harness reported no output: {}", show(actual)),
        });
    };
    let shape = case.operation_shape(Direction::Output);
    let got = normalize_output(shapes, shape, output);
    let want = raw
        .get("result")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let problems: Vec<String> = json_diff(&want, &got)
        .into_iter()
        .map(|d| format!("result {d}"))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(reason(&problems))
    }
}

/// The modelled exception an error code names among the operation's errors: by shape name or `error.code`.
pub fn modelled_error<'a>(shapes: Shapes<'a>, case: &'a Case, code: &str) -> Option<&'a str> {
    let errors = case.given().get("errors")?.as_array()?;
    errors.iter().filter_map(|e| e.get("shape")?.as_str()).find(|name| {
        let custom = shapes
            .0
            .get(*name)
            .and_then(|s| s.get("error"))
            .and_then(|e| e.get("code"))
            .and_then(Value::as_str);
        *name == code || custom == Some(code)
    })
}

fn check_error(shapes: Shapes<'_>, case: &Case, code: &str, actual: &Value) -> Result<(), String> {
    let Some(error) = actual.get("service_error") else {
        return Err(match actual.get("output") {
            Some(output) => format!("expected the error {code}, got the output {}", show(output)),
            None => format!("the harness reported no error: {}", show(actual)),
        });
    };
    let mut problems = Vec::new();
    let got_code = error["code"].as_str();
    if got_code != Some(code) {
        problems.push(format!("error code: expected {code:?}, got {got_code:?}"));
    }
    let want_message = case.raw.get("errorMessage").and_then(Value::as_str).unwrap_or_default();
    let got_message = error["message"].as_str().unwrap_or_default();
    if want_message != got_message {
        problems.push(format!("error message: expected {want_message:?}, got {got_message:?}"));
    }
    let typed = error.get("typed").filter(|t| !t.is_null());
    let got_shape = typed.and_then(|t| t["shape"].as_str());
    let want_members = case
        .raw
        .get("error")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    match modelled_error(shapes, case, code) {
        Some(shape) if got_shape == Some(shape) => {
            let members = typed.map_or(Value::Null, |t| t["members"].clone());
            let got = normalize_output(shapes, Some(shape), &members);
            problems.extend(json_diff(&want_members, &got).into_iter().map(|d| format!("error {d}")));
        }
        Some(shape) => problems.push(format!(
            "error type: expected the modelled {shape}, got {}",
            got_shape.map_or_else(|| "the unhandled variant".to_owned(), |s| format!("the modelled {s}"))
        )),
        None => {
            if let Some(s) = got_shape {
                problems.push(format!(
                    "error type: {code} is not modelled by the operation, got the modelled {s}"
                ));
            }
            if want_members.as_object().is_some_and(|m| !m.is_empty()) {
                // botocore types an error code by any exception of the service; generated error enums type the
                // operation's own errors only.
                let elsewhere = shapes.is_exception(code);
                problems.push(format!(
                    "error: expects the members {} of {code}, {}",
                    show(&want_members),
                    if elsewhere {
                        "an exception of the service that the operation does not list among its errors"
                    } else {
                        "which the model does not define"
                    }
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(reason(&problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(raw: Value) -> Case {
        Case {
            id: "c".to_owned(),
            raw,
        }
    }

    fn request(uri: &str, headers: &[(&str, &str)], body: &str) -> Value {
        json!({"request": {
            "method": "POST",
            "uri": uri,
            "headers": headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            "body": {"body": body},
        }})
    }

    #[test]
    fn json_values_compare_as_values() {
        assert!(json_diff(&json!({"a": 1, "b": [1.5, "x"]}), &json!({"b": [1.5, "x"], "a": 1.0})).is_empty());
        assert!(json_diff(&json!(1234567890123456789_i64), &json!(1234567890123456789_i64)).is_empty());
        assert_eq!(
            json_diff(&json!(1234567890123456789_i64), &json!(1234567890123456788_i64)),
            vec!["$: expected 1234567890123456789, got 1234567890123456788"]
        );
        assert_eq!(
            json_diff(
                &json!({"a": {"b": [1, 2]}, "c": 1}),
                &json!({"a": {"b": [1, 3]}, "d": null})
            ),
            vec![
                "$.a.b[1]: expected 2, got 3",
                "$.c: missing (expected 1)",
                "$.d: unexpected null",
            ]
        );
        assert_eq!(
            json_diff(&json!([1]), &json!([1, 2])),
            vec!["$: expected [1], got [1,2]"]
        );
        assert_eq!(
            json_diff(&json!("NaN"), &json!(null)),
            vec!["$: expected \"NaN\", got null"]
        );
    }

    #[test]
    fn input_cases_compare_method_uri_headers_and_body() {
        let c = case(json!({"serialized": {
            "method": "POST", "uri": "/", "body": "{\"a\": [1, 2]}",
            "headers": {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "P.Op"},
            "requireHeaders": ["Content-Length"],
        }}));
        let good = request(
            "https://example.com/",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", "P.Op"),
                ("content-length", "11"),
            ],
            r#"{"a":[1,2]}"#,
        );
        assert_eq!(check_input(&c, &good), Ok(()));
        let bad = request(
            "https://example.com/x?y",
            &[("content-type", "application/x-amz-json-1.0")],
            r#"{"a":[2]}"#,
        );
        let reason = check_input(&c, &bad).unwrap_err();
        assert!(reason.contains("uri: expected /, got /x?y"), "{reason}");
        assert!(
            reason.contains("header Content-Type: expected \"application/x-amz-json-1.1\""),
            "{reason}"
        );
        assert!(reason.contains("header X-Amz-Target: missing"), "{reason}");
        assert!(reason.contains("and 1 more"), "{reason}");
        assert_eq!(
            check_input(&c, &json!({"failure": "params do not deserialize"})),
            Err("params do not deserialize".to_owned())
        );
    }

    #[test]
    fn absent_bodies_are_not_compared_and_non_json_bodies_are_bytes() {
        let c = case(json!({"serialized": {"uri": "/"}}));
        assert_eq!(
            check_input(&c, &request("https://example.com/", &[], "anything")),
            Ok(())
        );
        let c = case(json!({"serialized": {"uri": "/", "body": "not json"}}));
        assert_eq!(
            check_input(&c, &request("https://example.com/", &[], "not json")),
            Ok(())
        );
        assert!(check_input(&c, &request("https://example.com/", &[], "{}"))
            .unwrap_err()
            .contains("expected the bytes not json"));
        let c = case(json!({"serialized": {"uri": "/", "body": "{}"}}));
        assert!(check_input(&c, &request("https://example.com/", &[], ""))
            .unwrap_err()
            .contains("not JSON"));
        // A body that is not UTF-8 comes as bytes.
        let mut gzip = request("https://example.com/", &[], "");
        gzip["request"]["body"] = json!({"body_bytes": [31, 139, 8]});
        assert_eq!(
            check_input(&c, &gzip).unwrap_err(),
            "body: not JSON (expected value at line 1 column 1): \u{1f}\u{fffd}\u{8}"
        );
        let c = case(json!({"serialized": {"uri": "/", "body": "\u{1f}\u{fffd}\u{8}"}}));
        assert!(check_input(&c, &gzip).is_err());
    }

    #[test]
    fn hosts_with_prefixes_and_base_paths() {
        let c = case(json!({"serialized": {"uri": "/", "host": "foo.example.com"}}));
        assert_eq!(check_input(&c, &request("https://foo.example.com/", &[], "{}")), Ok(()));
        assert_eq!(
            check_input(&c, &request("https://example.com/", &[], "{}")),
            Err("host: expected foo.example.com, got example.com/".to_owned())
        );
        let c = case(json!({"serialized": {"uri": "/custom/", "host": "example.com/custom"}}));
        assert_eq!(
            check_input(&c, &request("https://example.com/custom/", &[], "{}")),
            Ok(())
        );
        assert!(check_input(&c, &request("https://example.com/", &[], "{}")).is_err());
        assert_eq!(split_uri("http://h:1?q"), ("h:1", "/?q".to_owned()));
        assert_eq!(split_uri("http://h"), ("h", "/".to_owned()));
    }

    fn shapes() -> serde_json::Map<String, Value> {
        json!({
            "Out": {"type": "structure", "members": {"Blob": {"shape": "Blob"}}},
            "Blob": {"type": "blob"},
            "String": {"type": "string"},
            "Complex": {"type": "structure", "exception": true, "members": {"TopLevel": {"shape": "String"}}},
            "Custom": {"type": "structure", "exception": true, "error": {"code": "Customized"},
                       "members": {"message": {"shape": "String"}}},
        })
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn output_cases_compare_the_normalized_result() {
        let shapes = shapes();
        let c = case(json!({"given": {"output": {"shape": "Out"}}, "result": {"Blob": "foo"}}));
        assert_eq!(
            check_output(Shapes(&shapes), &c, &json!({"output": {"Blob": "Zm9v"}})),
            Ok(())
        );
        assert_eq!(
            check_output(Shapes(&shapes), &c, &json!({"output": {}})),
            Err("result $.Blob: missing (expected \"foo\")".to_owned())
        );
        assert!(
            check_output(Shapes(&shapes), &c, &json!({"service_error": {"code": "X"}}))
                .unwrap_err()
                .starts_with("expected an output")
        );
        // No output shape and no result: an empty output.
        let c = case(json!({"given": {}, "result": {}}));
        assert_eq!(check_output(Shapes(&shapes), &c, &json!({"output": {}})), Ok(()));
    }

    fn error_case(code: &str, message: Option<&str>, members: Value) -> Case {
        case(json!({
            "given": {"errors": [{"shape": "Complex"}, {"shape": "Custom"}]},
            "errorCode": code, "errorMessage": message, "error": members,
        }))
    }

    fn service_error(code: &str, message: Option<&str>, typed: Option<(&str, Value)>) -> Value {
        json!({"service_error": {
            "code": code, "message": message,
            "typed": typed.map(|(shape, members)| json!({"shape": shape, "members": members})),
        }})
    }

    #[test]
    fn error_cases_compare_code_message_and_members() {
        let shapes = shapes();
        let s = Shapes(&shapes);
        let c = error_case("Complex", None, json!({"TopLevel": "Top level"}));
        let typed = Some(("Complex", json!({"TopLevel": "Top level"})));
        assert_eq!(
            check_output(s, &c, &service_error("Complex", None, typed.clone())),
            Ok(())
        );
        assert_eq!(check_output(s, &c, &service_error("Complex", Some(""), typed)), Ok(()));
        let reason = check_output(s, &c, &service_error("Other", Some("Hi"), None)).unwrap_err();
        assert_eq!(
            reason,
            "error code: expected \"Complex\", got Some(\"Other\"); error message: expected \"\", got \"Hi\"; \
             error type: expected the modelled Complex, got the unhandled variant"
        );
        let wrong = Some(("Complex", json!({"TopLevel": "x", "message": "m"})));
        assert_eq!(
            check_output(s, &c, &service_error("Complex", None, wrong)),
            Err("error $.TopLevel: expected \"Top level\", got \"x\"".to_owned())
        );
    }

    #[test]
    fn error_codes_name_shapes_or_custom_codes_and_unmodelled_codes_are_unhandled() {
        let shapes = shapes();
        let s = Shapes(&shapes);
        let c = error_case("Customized", Some("Hi"), json!({"message": "Hi"}));
        assert_eq!(modelled_error(s, &c, "Customized"), Some("Custom"));
        assert_eq!(modelled_error(s, &c, "Complex"), Some("Complex"));
        let typed = Some(("Custom", json!({"message": "Hi"})));
        assert_eq!(
            check_output(s, &c, &service_error("Customized", Some("Hi"), typed)),
            Ok(())
        );
        let c = error_case("Undefined", None, json!({}));
        assert_eq!(modelled_error(s, &c, "Undefined"), None);
        assert_eq!(check_output(s, &c, &service_error("Undefined", None, None)), Ok(()));
        let typed = Some(("Complex", json!({})));
        assert!(check_output(s, &c, &service_error("Undefined", None, typed))
            .unwrap_err()
            .contains("not modelled"));
        assert!(check_output(s, &c, &json!({"output": {}}))
            .unwrap_err()
            .starts_with("expected the error"));
        // An exception of the service that the operation does not list: botocore types it, the crate cannot.
        let c = case(
            json!({"given": {"errors": [{"shape": "Custom"}]}, "errorCode": "Complex",
                            "error": {"TopLevel": "x"}}),
        );
        assert_eq!(
            check_output(s, &c, &service_error("Complex", None, None)).unwrap_err(),
            "error: expects the members {\"TopLevel\":\"x\"} of Complex, an exception of the service that the \
             operation does not list among its errors"
        );
    }
}
