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

/// The identifier token for a name produced by this module. `Ident::new` panics on anything that is not an
/// identifier, which this module's names are by construction (ASCII letters, digits and `_`, keywords raw or
/// suffixed); emitters that pass other strings must not call it.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `set_` / `get_` method names for a field (`r#type` -> `set_type`, `_3d` -> `set_3d`).
pub fn prefixed_name(prefix: &str, field: &str) -> String {
    format!("{prefix}_{}", bare(field).trim_start_matches('_'))
}

/// [`prefixed_name`] as an identifier.
pub fn prefixed(prefix: &str, field: &str) -> Ident {
    ident(&prefixed_name(prefix, field))
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
    fn idents_are_valid_tokens() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(prefixed("set", "r#type").to_string(), "set_type");
        assert_eq!(prefixed("get", "_3d").to_string(), "get_3d");
    }
}
