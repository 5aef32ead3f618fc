//! The endpoint rule set beside a model (`endpoint-rule-set-1.json`) and the partition table its
//! `aws.partition` reads (`partitions.json`): checked here with the runtime's own parser, so a rule set a
//! generated crate could not evaluate is a generation error, not a failure on the first call.

use super::ModelInput;
use crate::diagnostics::Diagnostics;
use crate::ir;
use awsgen_runtime::endpoint::{Partitions, RuleSet};

/// Where diagnostics about the two files point (their own JSON paths follow).
const RULE_SET_FILE: &str = "(endpoint-rule-set-1.json)";
const PARTITIONS_FILE: &str = "(partitions.json)";

/// The table a rule set that never calls `aws.partition` is given: it needs none, and the runtime wants one.
const NO_PARTITIONS: &str = r#"{"version":"1.1","partitions":[]}"#;

/// The endpoint rules of `input`, checked, or `None` when the model has none (its crate then uses the regional
/// `https://{endpointPrefix}.{region}.amazonaws.com`).
pub fn read(input: &ModelInput, diagnostics: &mut Diagnostics) -> Option<ir::EndpointRules> {
    read_rule_set(input.endpoint_rule_set.as_deref(), RULE_SET_FILE, input, diagnostics)
}

/// As [`read`], with the rule set given (a Smithy model's `smithy.rules#endpointRuleSet` trait) and the place
/// its diagnostics point at (`rule_set_path`); the partition table is still the one beside the model.
pub fn read_rule_set(
    rule_set: Option<&[u8]>,
    rule_set_path: &str,
    input: &ModelInput,
    diagnostics: &mut Diagnostics,
) -> Option<ir::EndpointRules> {
    let rule_set_bytes = rule_set?;
    let rule_set_json: serde_json::Value = match serde_json::from_slice(rule_set_bytes) {
        Ok(json) => json,
        Err(_) => {
            let (path, e) = super::syntax_error(rule_set_bytes);
            diagnostics.error(format!("{rule_set_path}{path}"), format!("not valid JSON: {e}"));
            return None;
        }
    };
    // Pretty-printed: the rule set is the service's logic, and a reviewer reads its diff in the goldens.
    let rule_set_text = serde_json::to_string_pretty(&rule_set_json).ok()?;
    let rule_set = match RuleSet::from_json(&rule_set_text) {
        Ok(rule_set) => rule_set,
        Err(e) => {
            diagnostics.error(format!("{rule_set_path}{}", e.path()), e.problem());
            return None;
        }
    };
    let partitions_text = match input.partitions.as_deref() {
        Some(bytes) => match serde_json::from_slice::<serde_json::Value>(bytes) {
            // Compact: data for the resolver, the same for every service.
            Ok(json) => serde_json::to_string(&json).ok()?,
            Err(_) => {
                let (path, e) = super::syntax_error(bytes);
                diagnostics.error(format!("{PARTITIONS_FILE}{path}"), format!("not valid JSON: {e}"));
                return None;
            }
        },
        None if calls(&rule_set_json, "aws.partition") => {
            diagnostics.error(
                rule_set_path,
                "the rule set calls `aws.partition`, but no partitions.json (botocore's partition table) was found \
                 beside the model or up to two directories above it",
            );
            return None;
        }
        None => NO_PARTITIONS.to_owned(),
    };
    if let Err(e) = Partitions::from_json(&partitions_text) {
        diagnostics.error(format!("{PARTITIONS_FILE}{}", e.path()), e.problem());
        return None;
    }
    Some(ir::EndpointRules {
        parameters: rule_set.parameters().map(|(name, _)| name.to_owned()).collect(),
        rule_set: rule_set_text,
        partitions: partitions_text,
    })
}

/// Whether a function named `function` is called anywhere in `json`.
fn calls(json: &serde_json::Value, function: &str) -> bool {
    match json {
        serde_json::Value::Object(object) => {
            object.get("fn").and_then(|f| f.as_str()) == Some(function)
                || object.values().any(|value| calls(value, function))
        }
        serde_json::Value::Array(items) => items.iter().any(|item| calls(item, function)),
        _ => false,
    }
}
