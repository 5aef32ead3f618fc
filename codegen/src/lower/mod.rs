//! Lowering: each front-end's mirror into the one IR. All model checks live here; what passes is well-formed IR,
//! and nothing after this stage knows which front-end ran.
//!
//! - [`botocore`]: botocore's `service-2.json`.
//! - [`smithy`]: the Smithy 2.0 JSON AST.
//!
//! This module holds what both share: the checks whose wording must not depend on the model's format (bounds,
//! patterns, host prefixes, endpoint parameters, container cycles) and the conversions (docs, deprecation, enum
//! variants).

pub mod botocore;
pub mod smithy;

pub use botocore::lower_botocore;
pub use smithy::lower_smithy;

use crate::diagnostics::{child, Diagnostics};
use crate::ir::*;
use crate::naming;

/// Marks an operation that has no input or output in the model; the synthesis pass gives it an empty one.
pub const NO_SHAPE: ShapeId = ShapeId(usize::MAX - 1);

/// The id given to a reference that does not resolve. Lowering reports it and generation stops before any
/// pass reads the IR, so it never indexes the arena.
pub(crate) const PLACEHOLDER: ShapeId = ShapeId(usize::MAX);

/// A list or map that contains itself with no structure or union in between has no finite Rust type (a
/// structure can break the cycle with an optional member; a bare `Vec<Vec<...>>` cannot).
pub(crate) fn report_container_cycles(shapes: &[Shape], diagnostics: &mut Diagnostics) {
    let containers = |id: ShapeId| -> Vec<ShapeId> {
        match shapes.get(id.0).map(|s| &s.kind) {
            Some(ShapeKind::List { member, .. }) => vec![*member],
            Some(ShapeKind::Map { key, value, .. }) => vec![*key, *value],
            _ => Vec::new(),
        }
    };
    for (index, shape) in shapes.iter().enumerate() {
        let start = ShapeId(index);
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = containers(start);
        while let Some(id) = stack.pop() {
            if id == start {
                diagnostics.error(
                    &shape.json_path,
                    "contains itself through lists and maps alone; put a structure in the cycle",
                );
                break;
            }
            if seen.insert(id) {
                stack.extend(containers(id));
            }
        }
    }
}

pub(crate) fn deprecation(deprecated: bool, message: &Option<String>) -> Option<Deprecation> {
    (deprecated || message.is_some()).then(|| Deprecation {
        message: markdown(message),
    })
}

/// The model's HTML documentation as Markdown, converted once here so emitters only lay it out.
pub(crate) fn markdown(html: &Option<String>) -> Option<String> {
    html.as_deref()
        .map(crate::docs::html_to_markdown)
        .filter(|m| !m.trim().is_empty())
}

/// A member's docs; an idempotency token's say that the client fills it.
pub(crate) fn member_docs(docs: Option<String>, idempotency_token: bool) -> Option<String> {
    if !idempotency_token {
        return docs;
    }
    let extra = "If you leave it unset, the client fills in a fresh random UUID (an idempotency token), as the AWS \
                 SDKs do.";
    Some(match docs {
        Some(docs) => format!("{}\n\n{extra}", docs.trim_end()),
        None => extra.to_owned(),
    })
}

/// Variants for an enum's values (each with the path a duplicate is reported at); a value listed twice is kept
/// once, with a warning.
pub(crate) fn enum_values(
    values: impl IntoIterator<Item = (String, String)>,
    diagnostics: &mut Diagnostics,
) -> Vec<EnumValue> {
    let mut seen = std::collections::BTreeSet::new();
    let mut unique = Vec::new();
    for (value, path) in values {
        if seen.insert(value.clone()) {
            unique.push(value);
        } else {
            diagnostics.warning(path, format!("{value:?} is listed twice"));
        }
    }
    let names = naming::disambiguate(
        unique.iter().map(|v| naming::variant_name(v)).collect(),
        &[naming::UNKNOWN_VARIANT],
    );
    unique
        .into_iter()
        .zip(names)
        .map(|(wire, rust_name)| EnumValue { wire, rust_name })
        .collect()
}

/// Reports a range whose minimum is above its maximum, at `<path>/min`.
pub(crate) fn check_range(range: Range, path: &str, diagnostics: &mut Diagnostics) {
    if let (Some(min), Some(max)) = (range.min, range.max) {
        if min > max {
            diagnostics.error(child(path, "min"), format!("min {min} is greater than max {max}"));
        }
    }
}

/// Keeps a pattern only if the runtime's regex engine can run it; a model using syntax it cannot (look-around,
/// backreferences) loses that one check, with a warning at `path`, rather than the whole crate.
pub(crate) fn pattern(pattern: Option<&str>, path: &str, diagnostics: &mut Diagnostics) -> Option<String> {
    let pattern = pattern?;
    match regex::Regex::new(pattern) {
        Ok(_) => Some(pattern.to_owned()),
        Err(e) => {
            let reason = e.to_string().lines().last().unwrap_or_default().trim().to_owned();
            diagnostics.warning(
                path,
                format!("pattern is not checked client-side: the regex engine rejects it ({reason})"),
            );
            None
        }
    }
}

/// A host prefix becomes part of a hostname: its text must be DNS-safe, and each `{label}` must name a
/// `hostLabel` string member of the operation's input (`is_label`; the value is checked when a request is made).
pub(crate) fn check_host_prefix(
    prefix: &str,
    is_label: impl Fn(&str) -> bool,
    path: &str,
    diagnostics: &mut Diagnostics,
) {
    let Some(parts) = host_prefix_parts(prefix) else {
        diagnostics.error(path, format!("{prefix:?} has a `{{` with no closing `}}`"));
        return;
    };
    for part in parts {
        let label = match part {
            HostPrefixPart::Text(text) => {
                if !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
                    diagnostics.error(
                        path,
                        format!(
                            "{prefix:?} may only hold letters, digits, `-`, `.` and `{{label}}`s: it becomes part of \
                             a hostname"
                        ),
                    );
                    return;
                }
                continue;
            }
            HostPrefixPart::Label(label) => label,
        };
        if !is_label(label) {
            diagnostics.error(
                path,
                format!(
                    "{prefix:?} uses the label {{{label}}}, which must name a string member of the operation's input \
                     marked `hostLabel`"
                ),
            );
        }
    }
}

/// An input member that names an endpoint-rule parameter (`contextParam`).
pub(crate) struct ContextParamMember<'a> {
    /// The member's wire name.
    pub member: &'a str,
    /// The rule set's parameter.
    pub param: &'a str,
    /// Only string and boolean members can bind a parameter.
    pub string_or_bool: bool,
    /// Where a member that cannot bind its parameter is reported.
    pub path: String,
}

/// The endpoint-rule parameters an operation binds, of those the rule set declares (`declared`): its
/// `staticContextParams` (name, value, the value's path; strings and booleans), its input members marked
/// `contextParam` (string and boolean members), and a warning for each `operationContextParams` entry (name,
/// path), which is not evaluated.
pub(crate) fn endpoint_params(
    declared: &[String],
    statics: Vec<(&str, &serde_json::Value, String)>,
    members: Vec<ContextParamMember<'_>>,
    operation_context: Vec<(&str, String)>,
    diagnostics: &mut Diagnostics,
) -> Vec<EndpointParam> {
    let declared = |name: &str| declared.iter().any(|p| p == name);
    let mut params = Vec::new();
    for (name, value, path) in statics {
        if !declared(name) {
            continue;
        }
        let value = match value {
            serde_json::Value::String(value) => EndpointParamValue::String(value.clone()),
            serde_json::Value::Bool(value) => EndpointParamValue::Bool(*value),
            _ => {
                diagnostics.error(path, "must be a string or a boolean");
                continue;
            }
        };
        params.push(EndpointParam {
            name: name.to_owned(),
            value,
        });
    }
    for member in members.into_iter().filter(|m| declared(m.param)) {
        if !member.string_or_bool {
            diagnostics.warning(
                member.path,
                format!(
                    "binds the endpoint parameter {:?} to a member that is not a string or boolean; the parameter \
                     is left unset",
                    member.param
                ),
            );
            continue;
        }
        params.push(EndpointParam {
            name: member.param.to_owned(),
            value: EndpointParamValue::Member(member.member.to_owned()),
        });
    }
    for (_, path) in operation_context.into_iter().filter(|(name, _)| declared(name)) {
        diagnostics.warning(
            path,
            "binds an endpoint parameter by a JMESPath expression, which this generator does not evaluate; the \
             parameter is left unset (the rules then resolve as if the operation had none)",
        );
    }
    params
}
