//! The one authority for Rust identifiers.
//!
//! Model names are arbitrary strings (`x86_64`, `ipv4/ipv6`, `Self`, `type`, values that differ only by case);
//! every identifier the emitters print comes from here, so a clash is fixed in one place for every service.
//! Wire names are never changed: the IR keeps them beside the Rust names and serde `rename` bridges the two.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};
use std::collections::BTreeSet;

/// Keywords of every edition (strict and reserved); identifiers equal to one of them are written raw (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a suffix instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// The catch-all variant of every generated string enum and union (a value or member the crate does not know).
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The catch-all variant of every operation error enum (an error code the operation does not model).
pub const UNHANDLED_VARIANT: &str = "Unhandled";

/// The `Client`'s own methods, which operation method names must avoid.
pub const CLIENT_METHODS: &[&str] = &["config", "from_conf", "new"];

/// Inherent items every generated structure, its builder or an operation's fluent builder has (methods, and the
/// output's hidden `_request_id` field); a member may not take their names.
pub const STRUCTURE_METHODS: &[&str] = &[
    "builder",
    "_request_id",
    "validate",
    "validate_with",
    "build",
    "send",
    "send_blocking",
    "as_input",
    "into_paginator",
    "new",
];

/// Methods every structure and builder has from the traits it derives (`Clone`, `PartialEq`, `Debug`,
/// `Serialize`): an accessor or setter of that name would shadow them in method-call syntax.
pub const DERIVED_TRAIT_METHODS: &[&str] = &["clone", "clone_from", "eq", "ne", "fmt", "serialize"];

/// Methods operation outputs implement from the runtime's `protocol::RequestId` and `protocol::OperationOutput`:
/// a member called `RequestId` would shadow `output.request_id()`, so it becomes `request_id_value`.
pub const OUTPUT_TRAIT_METHODS: &[&str] = &["request_id", "set_request_id"];

/// Methods operation inputs implement from the runtime's `protocol::OperationInput`.
pub const INPUT_TRAIT_METHODS: &[&str] = &["fill_idempotency_token", "idempotency_token", "host_label"];

/// Methods exceptions implement from `std::error::Error` (besides `Display::fmt`, in [`DERIVED_TRAIT_METHODS`]).
pub const EXCEPTION_TRAIT_METHODS: &[&str] = &["source", "description", "cause"];

/// What a structure is, as far as the names its members may not take are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructureTraits {
    /// An operation's synthetic input (`protocol::OperationInput`).
    pub input: bool,
    /// An operation's synthetic output (`protocol::RequestId`, `protocol::OperationOutput`).
    pub output: bool,
    /// An exception (`std::error::Error`).
    pub exception: bool,
}

/// The one reserved-word list for structure members: every inherent and trait method the structure, its builder
/// or its fluent builder has. A member named like one gets `<name>_value` (see [`disambiguate`]).
pub fn reserved_member_names(traits: StructureTraits) -> Vec<&'static str> {
    let mut reserved: Vec<&'static str> = STRUCTURE_METHODS.iter().chain(DERIVED_TRAIT_METHODS).copied().collect();
    if traits.input {
        reserved.extend(INPUT_TRAIT_METHODS);
    }
    if traits.output {
        reserved.extend(OUTPUT_TRAIT_METHODS);
    }
    if traits.exception {
        reserved.extend(EXCEPTION_TRAIT_METHODS);
    }
    reserved
}

/// Reduces a model name to ASCII words: anything that is not a letter or digit separates words.
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `TaskSet`, `taskSet`, `task-set` -> `TaskSet`. Names that start with a digit get a `V` prefix, `Self` becomes
/// `SelfValue`, and a name with no letters or digits becomes `Value`.
pub fn type_name(raw: &str) -> String {
    let name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        return "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("V{name}");
    }
    if name == "Self" {
        return "SelfValue".to_owned();
    }
    name
}

/// Enum variants and union variants follow the type rules (`FARGATE_SPOT` -> `FargateSpot`, `x86_64` -> `X8664`).
pub fn variant_name(raw: &str) -> String {
    type_name(raw)
}

/// `taskSets` -> `task_sets`, `type` -> `r#type`, `self` -> `self_value`, `3d` -> `_3d`.
pub fn field_name(raw: &str) -> String {
    let name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        return "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_value");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// Module names are file names too, so keywords get a suffix rather than being written raw.
pub fn module_name(raw: &str) -> String {
    let name = field_name(raw);
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_operation"),
        None => name,
    }
}

/// The name without a raw prefix, for building derived names (`set_type`, not `set_r#type`).
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Makes each name unique (case-sensitively) and distinct from `reserved`, keeping input order: the first
/// holder of a name keeps it, later ones get `2`, `3`, ... (or `_2` for snake-case names).
pub fn disambiguate(names: Vec<String>, reserved: &[&str]) -> Vec<String> {
    let mut taken: BTreeSet<String> = reserved.iter().map(|r| (*r).to_owned()).collect();
    names
        .into_iter()
        .map(|name| {
            let type_cased = name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            let (separator, value) = if type_cased { ("", "Value") } else { ("_", "_value") };
            let base = if reserved.contains(&name.as_str()) {
                format!("{}{value}", bare(&name))
            } else {
                name
            };
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(bare(&candidate).to_owned()) {
                candidate = format!("{}{separator}{n}", bare(&base));
                n += 1;
            }
            candidate
        })
        .collect()
}

/// Names of an operation's own items: `DescribeTaskSetsInput`, `...Output`, `...Error`, `...FluentBuilder`.
pub fn operation_item(operation: &str, suffix: &str) -> String {
    format!("{}{suffix}", type_name(operation))
}

/// The client method that starts a waiter, from the waiter's module name: `wait_until_services_stable`.
pub fn waiter_method(module: &str) -> String {
    prefixed_name("wait_until", module)
}

/// A waiter's error alias, as aws-sdk-rust names it: `ServicesStable` -> `WaitUntilServicesStableError`.
pub fn waiter_error(waiter: &str) -> String {
    format!("WaitUntil{}Error", type_name(waiter))
}

/// The builder of a structure: `TaskSet` -> `TaskSetBuilder`.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The `as_`/`is_` helpers of a union variant or error-enum variant (`Ipv4Ipv6` -> `is_ipv4_ipv6`).
pub fn variant_helper(prefix: &str, variant: &str) -> String {
    prefixed_name(prefix, &field_name(variant))
}

/// Private module (and file) names for the named types of one module, in the order given: `TaskSet` ->
/// `_task_set`, as aws-sdk-rust names them. The leading `_` keeps them clear of keywords and of the module's
/// public submodules (`builders`, `error`). Snake case folds case and word boundaries, so two type names could
/// meet in one file name (`HttpServer`, `HTTPServer`): later ones get `_2`, `_3`, ... (never another type's own
/// name), and the names, all lower case, stay distinct on case-insensitive file systems too.
pub fn shape_modules(type_names: &[&str]) -> Vec<String> {
    let bases: Vec<String> = type_names
        .iter()
        .map(|name| format!("_{}", name.to_snake_case().to_ascii_lowercase()))
        .collect();
    let own: BTreeSet<String> = bases.iter().cloned().collect();
    let mut taken = BTreeSet::new();
    bases
        .into_iter()
        .map(|base| {
            let mut candidate = base.clone();
            let mut n = 2;
            while taken.contains(&candidate) || (candidate != base && own.contains(&candidate)) {
                candidate = format!("{base}_{n}");
                n += 1;
            }
            taken.insert(candidate.clone());
            candidate
        })
        .collect()
}

/// True for a name that can be printed as an identifier as it is: ASCII letters, digits and `_`, not starting
/// with a digit, not a keyword unless written raw (`r#type`), and not one of the keywords that cannot be raw.
pub fn is_identifier(name: &str) -> bool {
    let (body, raw) = match name.strip_prefix("r#") {
        Some(body) => (body, true),
        None => (name, false),
    };
    let well_formed = !body.is_empty()
        && body != "_"
        && !body.starts_with(|c: char| c.is_ascii_digit())
        && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    well_formed
        && if raw {
            !NOT_RAW.contains(&body)
        } else {
            !KEYWORDS.contains(&body)
        }
}

/// True for a module path segment: an identifier, or `crate` at the start of a path.
pub fn is_path_segment(segment: &str) -> bool {
    segment == "crate" || is_identifier(segment)
}

/// The identifier token for a name. The symbols pass (`passes::record_symbols`) checks every name the IR holds
/// with [`is_identifier`] and reports the ones that fail, so emission never sees them; should one get through
/// regardless, it is printed as `__awsgen_invalid_name` (which fails to compile) instead of panicking.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) if is_identifier(name) => Ident::new_raw(raw, Span::call_site()),
        None if is_path_segment(name) => Ident::new(name, Span::call_site()),
        _ => Ident::new("__awsgen_invalid_name", Span::call_site()),
    }
}

/// `set_` / `get_` method names for a field (`r#type` -> `set_type`, `_3d` -> `set_3d`).
pub fn prefixed_name(prefix: &str, field: &str) -> String {
    format!("{prefix}_{}", bare(field).trim_start_matches('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("TaskSet"), "TaskSet");
        assert_eq!(type_name("awsVpcConfiguration"), "AwsVpcConfiguration");
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(type_name("Option"), "Option");
        assert_eq!(type_name("3DSecure"), "V3dSecure");
        assert_eq!(type_name("--"), "Value");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("FARGATE_SPOT"), "FargateSpot");
        assert_eq!(variant_name("x86_64"), "X8664");
        assert_eq!(variant_name("ipv4/ipv6"), "Ipv4Ipv6");
        assert_eq!(variant_name("1.0"), "V10");
        assert_eq!(variant_name("application/json"), "ApplicationJson");
        assert_eq!(variant_name("a:b"), "AB");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("taskSets"), "task_sets");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("self"), "self_value");
        assert_eq!(field_name("Self"), "self_value");
        assert_eq!(field_name("crate"), "crate_value");
        assert_eq!(field_name("3d"), "_3d");
        assert_eq!(field_name("ARN"), "arn");
        assert_eq!(field_name(""), "value");
        assert_eq!(module_name("Match"), "match_operation");
    }

    #[test]
    fn clashes_are_resolved_in_order() {
        let names = vec![
            "Enabled".to_owned(),
            "Enabled".to_owned(),
            "Unknown".to_owned(),
            "Enabled2".to_owned(),
        ];
        assert_eq!(
            disambiguate(names, &["Unknown"]),
            ["Enabled", "Enabled2", "UnknownValue", "Enabled22"]
        );
        let fields = vec!["r#type".to_owned(), "r#type".to_owned(), "builder".to_owned()];
        assert_eq!(
            disambiguate(fields, &["builder"]),
            ["r#type", "type_2", "builder_value"]
        );
    }

    #[test]
    fn shape_modules_are_distinct_file_names() {
        assert_eq!(
            shape_modules(&["TaskSet", "Tag", "V3dSecure", "Builders", "Error", "Type"]),
            ["_task_set", "_tag", "_v3d_secure", "_builders", "_error", "_type"]
        );
        // `HTTPServer` and `HttpServer` fold to one name; `HttpServer2` already owns `_http_server_2`.
        assert_eq!(
            shape_modules(&["HttpServer", "HTTPServer", "HttpServer2", "HttpServer_2"]),
            ["_http_server", "_http_server_3", "_http_server2", "_http_server_2"]
        );
    }

    #[test]
    fn identifiers_are_checked() {
        for name in ["task_sets", "r#type", "_3d", "TaskSet", "self_value", "X8664"] {
            assert!(is_identifier(name), "{name}");
        }
        for name in ["", "_", "type", "r#self", "r#", "3d", "a-b", "r#a b", "é"] {
            assert!(!is_identifier(name), "{name}");
        }
        assert_eq!(ident("a-b").to_string(), "__awsgen_invalid_name");
        assert_eq!(ident("r#crate").to_string(), "__awsgen_invalid_name");
    }

    #[test]
    fn trait_methods_are_reserved_by_role() {
        let output = StructureTraits {
            input: false,
            output: true,
            exception: false,
        };
        let data = StructureTraits {
            output: false,
            ..output
        };
        let names = vec!["request_id".to_owned(), "clone".to_owned()];
        assert_eq!(
            disambiguate(names.clone(), &reserved_member_names(output)),
            ["request_id_value", "clone_value"]
        );
        assert_eq!(
            disambiguate(names, &reserved_member_names(data)),
            ["request_id", "clone_value"]
        );
    }

    #[test]
    fn idents_are_valid_tokens() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(prefixed_name("set", "r#type"), "set_type");
        assert_eq!(prefixed_name("get", "_3d"), "get_3d");
        assert_eq!(variant_helper("is", "Ipv4Ipv6"), "is_ipv4_ipv6");
    }
}
