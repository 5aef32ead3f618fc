//! botocore's `waiters-2.json`, read into the IR's waiters as Smithy defines them (botocore's file is derived
//! from the model's `smithy.waiters#waitable` traits):
//!
//! - `delay` is Smithy's `minDelay`. botocore does not carry `maxDelay`, so it is Smithy's default, 120 s (or
//!   `delay`, if that is longer): a waiter whose Smithy model sets another maximum (Transfer's, Proton's) backs off
//!   to 120 s from this file. `maxAttempts` has no Smithy equivalent (callers give a maximum wait) and is ignored.
//! - `path` is an `output` matcher with `booleanEquals` when `expected` is a boolean, `stringEquals` when it is a
//!   string; `pathAll` and `pathAny` are `allStringEquals` and `anyStringEquals`.
//! - `error` with a string is `errorType`; with `true` ("any error", in botocore's `waiter.py`) it is Smithy's
//!   `success: false`, and with `false` ("no error") `success: true`.
//! - `status` (an HTTP status) has no Smithy equivalent and is kept as it is.
//!
//! A malformed waiter is left out with a warning at its JSON path (`(waiters-2.json)/waiters/X/acceptors/2/matcher`),
//! never an error: the crate is still worth generating without it. Which waiters survive (their operation in the
//! crate, their expressions parseable) is decided by a pass, the same for both front-ends.

use crate::diagnostics::Diagnostics;
use crate::ir::{Acceptor, AcceptorState, Matcher, PathComparator, Waiter};
use serde_json::Value;

/// Where diagnostics about this file point.
const FILE: &str = "(waiters-2.json)";

/// Smithy's default `maxDelay`, which botocore's file does not carry.
pub const DEFAULT_MAX_DELAY_SECS: u64 = 120;

/// The waiters in `bytes` (a `waiters-2.json`), sorted by name; problems are warnings.
pub fn read(bytes: &[u8], diagnostics: &mut Diagnostics) -> Vec<Waiter> {
    let json: Value = match serde_json::from_slice(bytes) {
        Ok(json) => json,
        Err(_) => {
            let (path, e) = super::syntax_error(bytes);
            diagnostics.warning(
                format!("{FILE}{path}"),
                format!("not valid JSON, so no waiters are generated: {e}"),
            );
            return Vec::new();
        }
    };
    if !json.is_object() {
        diagnostics.warning(
            FILE,
            "expected an object with `version` and `waiters`; no waiters are generated",
        );
        return Vec::new();
    }
    if let Some(version) = json.get("version").filter(|v| v.as_u64() != Some(2)) {
        diagnostics.warning(
            format!("{FILE}/version"),
            format!("version {version} is not 2; no waiters are generated"),
        );
        return Vec::new();
    }
    let Some(waiters) = json.get("waiters").and_then(Value::as_object) else {
        diagnostics.warning(format!("{FILE}/waiters"), "expected an object of waiters");
        return Vec::new();
    };
    let mut out: Vec<Waiter> = waiters
        .iter()
        .filter_map(|(name, waiter)| {
            let path = format!("{FILE}/waiters/{}", pointer_escape(name));
            read_waiter(name, waiter, &path)
                .map_err(|(at, why)| diagnostics.warning(at, why))
                .ok()
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

type Problem = (String, String);

fn read_waiter(name: &str, waiter: &Value, path: &str) -> Result<Waiter, Problem> {
    let problem = |field: &str, why: &str| {
        (
            format!("{path}/{field}"),
            format!("{why}; the waiter `{name}` is left out"),
        )
    };
    if !waiter.is_object() {
        return Err((
            path.to_owned(),
            format!("expected an object; the waiter `{name}` is left out"),
        ));
    }
    let operation = waiter
        .get("operation")
        .and_then(Value::as_str)
        .ok_or_else(|| problem("operation", "expected the name of an operation"))?;
    let delay = waiter
        .get("delay")
        .and_then(Value::as_u64)
        .filter(|d| *d >= 1)
        .ok_or_else(|| problem("delay", "expected a whole number of seconds, at least 1"))?;
    let docs = match waiter.get("description") {
        None => None,
        // botocore's descriptions are plain text, not HTML: escaped, so `<` or `*` stay as they are.
        Some(Value::String(text)) => {
            let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            Some(crate::docs::html_to_markdown(&format!("<p>{escaped}</p>"))).filter(|d| !d.is_empty())
        }
        Some(_) => return Err(problem("description", "expected a string")),
    };
    let acceptors = waiter
        .get("acceptors")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| problem("acceptors", "expected a non-empty list of acceptors"))?;
    let acceptors = acceptors
        .iter()
        .enumerate()
        .map(|(i, acceptor)| read_acceptor(acceptor, &format!("{path}/acceptors/{i}")))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|(at, why)| (at, format!("{why}; the waiter `{name}` is left out")))?;
    Ok(Waiter {
        name: name.to_owned(),
        operation: operation.to_owned(),
        docs,
        min_delay_secs: delay,
        max_delay_secs: delay.max(DEFAULT_MAX_DELAY_SECS),
        acceptors,
        deprecated: None,
        json_path: path.to_owned(),
        symbols: Default::default(),
    })
}

fn read_acceptor(acceptor: &Value, path: &str) -> Result<Acceptor, Problem> {
    let at = |field: &str| format!("{path}/{field}");
    if !acceptor.is_object() {
        return Err((path.to_owned(), "expected an object".to_owned()));
    }
    let state = match acceptor.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        _ => return Err((at("state"), "expected `success`, `failure` or `retry`".to_owned())),
    };
    let expected = acceptor.get("expected").unwrap_or(&Value::Null);
    let argument = || {
        acceptor
            .get("argument")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| (at("argument"), "expected a JMESPath expression".to_owned()))
    };
    let string = |what: &str| {
        expected
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| (at("expected"), format!("expected a string for a `{what}` matcher")))
    };
    let matcher = match acceptor.get("matcher").and_then(Value::as_str) {
        Some("path") => {
            let (expected, comparator) = match expected {
                Value::Bool(b) => (b.to_string(), PathComparator::BooleanEquals),
                Value::String(s) => (s.clone(), PathComparator::StringEquals),
                _ => {
                    return Err((
                        at("expected"),
                        "expected a string or a boolean for a `path` matcher".to_owned(),
                    ))
                }
            };
            Matcher::Output {
                path: argument()?,
                expected,
                comparator,
            }
        }
        Some(kind @ ("pathAll" | "pathAny")) => Matcher::Output {
            path: argument()?,
            expected: string(kind)?,
            comparator: if kind == "pathAll" {
                PathComparator::AllStringEquals
            } else {
                PathComparator::AnyStringEquals
            },
        },
        Some("error") => match expected {
            Value::String(code) => Matcher::ErrorType(code.clone()),
            Value::Bool(any_error) => Matcher::Success(!any_error),
            _ => {
                return Err((
                    at("expected"),
                    "expected an error code or a boolean for an `error` matcher".to_owned(),
                ))
            }
        },
        Some("status") => match expected
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| (100..600).contains(s))
        {
            Some(status) => Matcher::Status(status),
            None => {
                return Err((
                    at("expected"),
                    "expected an HTTP status for a `status` matcher".to_owned(),
                ))
            }
        },
        _ => {
            return Err((
                at("matcher"),
                "expected `path`, `pathAll`, `pathAny`, `error` or `status`".to_owned(),
            ))
        }
    };
    Ok(Acceptor { state, matcher })
}

/// A JSON-pointer token (`~` and `/` escaped), so a waiter name cannot break its path.
fn pointer_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read_json(value: Value) -> (Vec<Waiter>, Vec<String>) {
        let mut diagnostics = Diagnostics::default();
        let waiters = read(value.to_string().as_bytes(), &mut diagnostics);
        let warnings = diagnostics.sorted().into_iter().map(|d| d.to_string()).collect();
        (waiters, warnings)
    }

    #[test]
    fn every_matcher_maps_to_its_smithy_form() {
        let (waiters, warnings) = read_json(json!({"version": 2, "waiters": {"Ready": {
        "delay": 5, "maxAttempts": 40, "operation": "Describe", "description": "Waits for <it> to be *ready*.",
        "acceptors": [
            {"matcher": "path", "argument": "a.b", "expected": true, "state": "success"},
            {"matcher": "path", "argument": "a.c", "expected": "X", "state": "failure"},
            {"matcher": "pathAll", "argument": "a[].s", "expected": "Y", "state": "success"},
            {"matcher": "pathAny", "argument": "a[].s", "expected": "Z", "state": "retry"},
            {"matcher": "error", "expected": "NotFound", "state": "retry"},
            {"matcher": "error", "expected": true, "state": "failure"},
            {"matcher": "error", "expected": false, "state": "success"},
            {"matcher": "status", "expected": 404, "state": "failure"},
        ]}}}));
        assert!(warnings.is_empty(), "{warnings:?}");
        let [waiter] = &waiters[..] else { panic!("{waiters:?}") };
        assert_eq!(
            (
                waiter.name.as_str(),
                waiter.operation.as_str(),
                waiter.min_delay_secs,
                waiter.max_delay_secs
            ),
            ("Ready", "Describe", 5, 120)
        );
        assert_eq!(waiter.docs.as_deref(), Some("Waits for \\<it\\> to be \\*ready\\*."));
        assert_eq!(waiter.json_path, "(waiters-2.json)/waiters/Ready");
        let output = |path: &str, expected: &str, comparator| Matcher::Output {
            path: path.to_owned(),
            expected: expected.to_owned(),
            comparator,
        };
        let matchers: Vec<(AcceptorState, Matcher)> =
            waiter.acceptors.iter().map(|a| (a.state, a.matcher.clone())).collect();
        assert_eq!(
            matchers,
            [
                (
                    AcceptorState::Success,
                    output("a.b", "true", PathComparator::BooleanEquals)
                ),
                (AcceptorState::Failure, output("a.c", "X", PathComparator::StringEquals)),
                (
                    AcceptorState::Success,
                    output("a[].s", "Y", PathComparator::AllStringEquals)
                ),
                (
                    AcceptorState::Retry,
                    output("a[].s", "Z", PathComparator::AnyStringEquals)
                ),
                (AcceptorState::Retry, Matcher::ErrorType("NotFound".to_owned())),
                (AcceptorState::Failure, Matcher::Success(false)),
                (AcceptorState::Success, Matcher::Success(true)),
                (AcceptorState::Failure, Matcher::Status(404)),
            ]
        );
    }

    #[test]
    fn a_delay_above_the_default_maximum_is_the_maximum() {
        let (waiters, _) = read_json(json!({"version": 2, "waiters": {"Slow": {
            "delay": 300, "operation": "D", "acceptors": [{"matcher": "error", "expected": "E", "state": "success"}]}}}));
        assert_eq!((waiters[0].min_delay_secs, waiters[0].max_delay_secs), (300, 300));
    }

    #[test]
    fn malformed_waiters_are_left_out_with_a_warning_at_their_path() {
        let (waiters, warnings) = read_json(json!({"version": 2, "waiters": {
            "Good": {"delay": 1, "operation": "D", "acceptors": [{"matcher": "status", "expected": 200, "state": "success"}]},
            "BadMatcher": {"delay": 1, "operation": "D", "acceptors": [
                {"matcher": "error", "expected": "E", "state": "retry"},
                {"matcher": "error", "expected": "E", "state": "retry"},
                {"matcher": "jsonPath", "expected": "E", "state": "retry"}]},
            "BadState": {"delay": 1, "operation": "D", "acceptors": [{"matcher": "status", "expected": 200, "state": "done"}]},
            "BadExpected": {"delay": 1, "operation": "D", "acceptors": [{"matcher": "pathAll", "argument": "a", "expected": 1, "state": "success"}]},
            "NoArgument": {"delay": 1, "operation": "D", "acceptors": [{"matcher": "path", "expected": "x", "state": "success"}]},
            "BadStatus": {"delay": 1, "operation": "D", "acceptors": [{"matcher": "status", "expected": 99999, "state": "success"}]},
            "NoOperation": {"delay": 1, "acceptors": []},
            "ZeroDelay": {"delay": 0, "operation": "D", "acceptors": []},
            "NoAcceptors": {"delay": 1, "operation": "D", "acceptors": []},
            "NotAnObject": 3,
        }}));
        assert_eq!(waiters.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["Good"]);
        assert_eq!(
            warnings,
            [
                "warning: (waiters-2.json)/waiters/BadExpected/acceptors/0/expected: expected a string for a `pathAll` matcher; the waiter `BadExpected` is left out",
                "warning: (waiters-2.json)/waiters/BadMatcher/acceptors/2/matcher: expected `path`, `pathAll`, `pathAny`, `error` or `status`; the waiter `BadMatcher` is left out",
                "warning: (waiters-2.json)/waiters/BadState/acceptors/0/state: expected `success`, `failure` or `retry`; the waiter `BadState` is left out",
                "warning: (waiters-2.json)/waiters/BadStatus/acceptors/0/expected: expected an HTTP status for a `status` matcher; the waiter `BadStatus` is left out",
                "warning: (waiters-2.json)/waiters/NoAcceptors/acceptors: expected a non-empty list of acceptors; the waiter `NoAcceptors` is left out",
                "warning: (waiters-2.json)/waiters/NoArgument/acceptors/0/argument: expected a JMESPath expression; the waiter `NoArgument` is left out",
                "warning: (waiters-2.json)/waiters/NoOperation/operation: expected the name of an operation; the waiter `NoOperation` is left out",
                "warning: (waiters-2.json)/waiters/NotAnObject: expected an object; the waiter `NotAnObject` is left out",
                "warning: (waiters-2.json)/waiters/ZeroDelay/delay: expected a whole number of seconds, at least 1; the waiter `ZeroDelay` is left out",
            ]
        );
    }

    #[test]
    fn a_broken_file_is_one_warning() {
        let mut diagnostics = Diagnostics::default();
        assert!(read(b"{", &mut diagnostics).is_empty());
        assert!(
            diagnostics.to_string().contains("(waiters-2.json): not valid JSON"),
            "{diagnostics}"
        );
        let (waiters, warnings) = read_json(json!({"version": 1, "waiters": {}}));
        assert!(waiters.is_empty());
        assert_eq!(
            warnings,
            ["warning: (waiters-2.json)/version: version 1 is not 2; no waiters are generated"]
        );
        let (_, warnings) = read_json(json!({"version": 2, "waiters": []}));
        assert_eq!(
            warnings,
            ["warning: (waiters-2.json)/waiters: expected an object of waiters"]
        );
        let (_, warnings) = read_json(json!([]));
        assert_eq!(
            warnings,
            ["warning: (waiters-2.json): expected an object with `version` and `waiters`; no waiters are generated"]
        );
    }

    /// All 64 waiters of the shared models read without a warning, and every expression they hold parses with
    /// the runtime's interpreter; the Smithy files' `smithy.waiters#waitable` traits hold the same expressions.
    #[test]
    fn every_waiter_of_the_shared_models_reads_and_its_paths_parse() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/testsuites/models-2025-04");
        let mut waiters = 0;
        let mut botocore_paths = std::collections::BTreeSet::new();
        for service in std::fs::read_dir(format!("{root}/botocore")).expect("the shared models") {
            let Ok(versions) = std::fs::read_dir(service.unwrap().path()) else {
                continue;
            };
            for version in versions {
                let file = version.unwrap().path().join("waiters-2.json.gz");
                if !file.is_file() {
                    continue;
                }
                let bytes = crate::frontend::read_model_file(&file).unwrap();
                let mut diagnostics = Diagnostics::default();
                let read = read(&bytes, &mut diagnostics);
                assert!(diagnostics.sorted().is_empty(), "{}: {diagnostics}", file.display());
                waiters += read.len();
                for waiter in read {
                    for acceptor in waiter.acceptors {
                        if let Matcher::Output { path, .. } | Matcher::InputOutput { path, .. } = acceptor.matcher {
                            awsgen_runtime::waiter::jmespath::Expression::parse(&path)
                                .unwrap_or_else(|e| panic!("{}: {path}: {e}", waiter.name));
                            botocore_paths.insert(path);
                        }
                    }
                }
            }
        }
        assert_eq!(waiters, 64);
        assert_eq!(botocore_paths.len(), 39);

        let mut smithy_paths = std::collections::BTreeSet::new();
        for file in std::fs::read_dir(format!("{root}/smithy")).unwrap() {
            let bytes = crate::frontend::read_model_file(&file.unwrap().path()).unwrap();
            let model: Value = serde_json::from_slice(&bytes).unwrap();
            for shape in model["shapes"].as_object().unwrap().values() {
                let Some(waitable) = shape
                    .pointer("/traits/smithy.waiters#waitable")
                    .and_then(Value::as_object)
                else {
                    continue;
                };
                for waiter in waitable.values() {
                    for acceptor in waiter["acceptors"].as_array().unwrap() {
                        for kind in ["output", "inputOutput"] {
                            if let Some(path) = acceptor["matcher"][kind]["path"].as_str() {
                                awsgen_runtime::waiter::jmespath::Expression::parse(path).unwrap();
                                smithy_paths.insert(path.to_owned());
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(smithy_paths, botocore_paths);
    }
}
