//! Parsing a rule set's JSON into a typed tree, checked once so evaluation never meets a malformed rule.
//!
//! Every problem is reported with the JSON pointer of the value at fault (`/rules/1/conditions/0/argv/0`).
//! Besides the shape of each object, the parser checks what the Smithy rules engine checks statically:
//! function names and their number of arguments, `getAttr` paths, template strings, and that every reference
//! names a parameter or a variable assigned earlier in an enclosing rule (references become slot numbers, so
//! evaluation looks a value up by index).

use super::value::{parse_path, PathPart, Value};
use super::RuleSetError;
use serde_json::{Map, Value as Json};

/// A parsed rule set: its parameters and rules.
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub(crate) version: String,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
}

impl RuleSet {
    /// Parses a rule set (the `smithy.rules#endpointRuleSet` trait's value, botocore's `endpoint-rule-set-1.json`).
    pub fn from_json(json: &str) -> Result<RuleSet, RuleSetError> {
        let document: Json =
            serde_json::from_str(json).map_err(|e| RuleSetError::new("", format!("not valid JSON: {e}")))?;
        parse_rule_set(&document)
    }

    /// Names of parameters with their `builtIn` (e.g. `("Region", Some("AWS::Region"))`), in declaration order.
    pub fn parameters(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.parameters.iter().map(|p| (p.name.as_str(), p.built_in.as_deref()))
    }

    /// The rules engine version the rule set declares (`1.0`).
    pub fn version(&self) -> &str {
        &self.version
    }
}

/// The declared type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamType {
    String,
    Boolean,
    StringArray,
}

impl ParamType {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ParamType::String => "String",
            ParamType::Boolean => "Boolean",
            ParamType::StringArray => "stringArray",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    pub(crate) ty: ParamType,
    pub(crate) required: bool,
    pub(crate) default: Option<Value>,
    pub(crate) built_in: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

#[derive(Clone, Debug)]
pub(crate) enum RuleKind {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug)]
pub(crate) struct Condition {
    pub(crate) call: FnCall,
    /// Whether the result is bound (to the next slot) when the condition holds.
    pub(crate) assigns: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct EndpointTemplate {
    pub(crate) url: Expr,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
    pub(crate) properties: Vec<(String, Property)>,
}

/// An endpoint property: JSON whose strings are templates.
#[derive(Clone, Debug)]
pub(crate) enum Property {
    String(Template),
    Json(Json),
    Array(Vec<Property>),
    Object(Vec<(String, Property)>),
}

#[derive(Clone, Debug)]
pub(crate) enum Expr {
    /// A boolean, an integer, or a string without template placeholders.
    Literal(Value),
    /// A string with at least one `{...}` placeholder.
    Template(Template),
    /// A parameter or variable, by slot (parameters first, in declaration order, then assigned variables).
    Ref {
        slot: usize,
        name: String,
    },
    Call(Box<FnCall>),
    Array(Vec<Expr>),
}

#[derive(Clone, Debug)]
pub(crate) struct FnCall {
    pub(crate) function: Function,
    pub(crate) args: Vec<Expr>,
}

/// The functions this engine implements: the standard library and the AWS extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    BooleanEquals,
    StringEquals,
    IsSet,
    Not,
    /// The path is a literal in the rule set, parsed here.
    GetAttr(Vec<PathPart>),
    IsValidHostLabel,
    Substring,
    ParseUrl,
    UriEncode,
    Ite,
    Coalesce,
    Split,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
}

impl Function {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::GetAttr(_) => "getAttr",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Substring => "substring",
            Function::ParseUrl => "parseURL",
            Function::UriEncode => "uriEncode",
            Function::Ite => "ite",
            Function::Coalesce => "coalesce",
            Function::Split => "split",
            Function::AwsPartition => "aws.partition",
            Function::AwsParseArn => "aws.parseArn",
            Function::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

/// A template string, split into literal text (braces unescaped) and placeholders.
#[derive(Clone, Debug)]
pub(crate) struct Template {
    pub(crate) parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug)]
pub(crate) enum TemplatePart {
    Literal(String),
    /// `{Name}` or `{Name#path}`.
    Ref {
        slot: usize,
        name: String,
        path: Vec<PathPart>,
    },
}

/// Appends a key or index to a JSON pointer (RFC 6901 escaping).
pub(crate) fn pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

fn index(base: &str, i: usize) -> String {
    pointer(base, &i.to_string())
}

/// The names in scope while parsing: parameters, then the variables enclosing rules' conditions assign.
/// A name's position is its slot at evaluation time.
struct Scope {
    names: Vec<String>,
}

impl Scope {
    fn slot(&self, name: &str) -> Option<usize> {
        self.names.iter().rposition(|n| n == name)
    }
}

fn as_object<'j>(json: &'j Json, path: &str, what: &str) -> Result<&'j Map<String, Json>, RuleSetError> {
    json.as_object()
        .ok_or_else(|| RuleSetError::new(path, format!("{what} must be an object, found {}", kind(json))))
}

fn as_array<'j>(json: &'j Json, path: &str, what: &str) -> Result<&'j [Json], RuleSetError> {
    json.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| RuleSetError::new(path, format!("{what} must be an array, found {}", kind(json))))
}

fn as_str<'j>(json: &'j Json, path: &str, what: &str) -> Result<&'j str, RuleSetError> {
    json.as_str()
        .ok_or_else(|| RuleSetError::new(path, format!("{what} must be a string, found {}", kind(json))))
}

/// A property that must be there; its absence is reported at the path it would have, as every other problem
/// of a value is (so a property missing from the root has a path too).
fn required<'j>(object: &'j Map<String, Json>, path: &str, key: &str) -> Result<&'j Json, RuleSetError> {
    object
        .get(key)
        .ok_or_else(|| RuleSetError::new(pointer(path, key), format!("missing required property `{key}`")))
}

/// A JSON value's kind, for messages.
pub(crate) fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn parse_rule_set(document: &Json) -> Result<RuleSet, RuleSetError> {
    let root = as_object(document, "", "a rule set")?;
    let version = as_str(required(root, "", "version")?, "/version", "`version`")?.to_owned();
    let params_path = "/parameters";
    let params_json = as_object(required(root, "", "parameters")?, params_path, "`parameters`")?;
    let mut parameters = Vec::with_capacity(params_json.len());
    for (name, param) in params_json {
        parameters.push(parse_parameter(name, param, &pointer(params_path, name))?);
    }
    let mut scope = Scope {
        names: parameters.iter().map(|p| p.name.clone()).collect(),
    };
    let rules_json = as_array(required(root, "", "rules")?, "/rules", "`rules`")?;
    let rules = parse_rules(rules_json, "/rules", &mut scope)?;
    Ok(RuleSet {
        version,
        parameters,
        rules,
    })
}

fn parse_parameter(name: &str, json: &Json, path: &str) -> Result<Parameter, RuleSetError> {
    if !is_identifier(name) {
        return Err(RuleSetError::new(
            path,
            format!("`{name}` is not a valid parameter name"),
        ));
    }
    let object = as_object(json, path, "a parameter")?;
    let type_path = pointer(path, "type");
    let type_name = as_str(required(object, path, "type")?, &type_path, "`type`")?;
    let ty = match type_name.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(RuleSetError::new(
                type_path,
                format!("unknown parameter type `{type_name}` (expected String, Boolean or stringArray)"),
            ))
        }
    };
    let required = match object.get("required") {
        None => false,
        Some(json) => json.as_bool().ok_or_else(|| {
            RuleSetError::new(
                pointer(path, "required"),
                format!("`required` must be a boolean, found {}", kind(json)),
            )
        })?,
    };
    let built_in = match object.get("builtIn") {
        None => None,
        Some(json) => Some(as_str(json, &pointer(path, "builtIn"), "`builtIn`")?.to_owned()),
    };
    let default = match object.get("default") {
        None => None,
        Some(json) => {
            let default_path = pointer(path, "default");
            let matches = match ty {
                ParamType::String => json.is_string(),
                ParamType::Boolean => json.is_boolean(),
                ParamType::StringArray => json.as_array().is_some_and(|items| items.iter().all(Json::is_string)),
            };
            if !matches {
                return Err(RuleSetError::new(
                    default_path,
                    format!("the default of a {} parameter cannot be {}", ty.name(), kind(json)),
                ));
            }
            Some(Value::from_json(json, &default_path)?)
        }
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        required,
        default,
        built_in,
    })
}

/// Parameter and variable names: a letter, then letters, digits and underscores (as Smithy's identifiers).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_rules(rules: &[Json], path: &str, scope: &mut Scope) -> Result<Vec<Rule>, RuleSetError> {
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| parse_rule(rule, &index(path, i), scope))
        .collect()
}

fn parse_rule(json: &Json, path: &str, scope: &mut Scope) -> Result<Rule, RuleSetError> {
    let object = as_object(json, path, "a rule")?;
    let type_path = pointer(path, "type");
    let rule_type = as_str(required(object, path, "type")?, &type_path, "`type`")?;
    // Variables assigned by this rule's conditions are visible to later conditions and to the rule's body, and
    // leave scope with the rule.
    let outer = scope.names.len();
    let conditions_path = pointer(path, "conditions");
    let conditions = match object.get("conditions") {
        None => Vec::new(),
        Some(json) => {
            let items = as_array(json, &conditions_path, "`conditions`")?;
            let mut conditions = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                conditions.push(parse_condition(item, &index(&conditions_path, i), scope)?);
            }
            conditions
        }
    };
    let kind = match rule_type {
        "endpoint" => {
            let endpoint_path = pointer(path, "endpoint");
            RuleKind::Endpoint(parse_endpoint(
                required(object, path, "endpoint")?,
                &endpoint_path,
                scope,
            )?)
        }
        "error" => {
            let error_path = pointer(path, "error");
            RuleKind::Error(parse_expr(required(object, path, "error")?, &error_path, scope)?)
        }
        "tree" => {
            let rules_path = pointer(path, "rules");
            let rules = as_array(required(object, path, "rules")?, &rules_path, "`rules`")?;
            RuleKind::Tree(parse_rules(rules, &rules_path, scope)?)
        }
        other => {
            return Err(RuleSetError::new(
                type_path,
                format!("unknown rule type `{other}` (expected endpoint, error or tree)"),
            ))
        }
    };
    scope.names.truncate(outer);
    Ok(Rule { conditions, kind })
}

fn parse_condition(json: &Json, path: &str, scope: &mut Scope) -> Result<Condition, RuleSetError> {
    let object = as_object(json, path, "a condition")?;
    if !object.contains_key("fn") {
        return Err(RuleSetError::new(
            path,
            "a condition must be a function call (missing `fn`)",
        ));
    }
    let call = parse_call(object, path, scope)?;
    let assigns = match object.get("assign") {
        None => false,
        Some(json) => {
            let assign_path = pointer(path, "assign");
            let name = as_str(json, &assign_path, "`assign`")?;
            if !is_identifier(name) {
                return Err(RuleSetError::new(
                    assign_path,
                    format!("`{name}` is not a valid variable name"),
                ));
            }
            if scope.slot(name).is_some() {
                return Err(RuleSetError::new(
                    assign_path,
                    format!("`{name}` is already a parameter or a variable in scope"),
                ));
            }
            scope.names.push(name.to_owned());
            true
        }
    };
    Ok(Condition { call, assigns })
}

fn parse_endpoint(json: &Json, path: &str, scope: &Scope) -> Result<EndpointTemplate, RuleSetError> {
    let object = as_object(json, path, "an endpoint")?;
    let url = parse_expr(required(object, path, "url")?, &pointer(path, "url"), scope)?;
    let mut headers = Vec::new();
    if let Some(json) = object.get("headers") {
        let headers_path = pointer(path, "headers");
        for (name, values) in as_object(json, &headers_path, "`headers`")? {
            let header_path = pointer(&headers_path, name);
            let values = as_array(values, &header_path, "a header's values")?
                .iter()
                .enumerate()
                .map(|(i, value)| parse_expr(value, &index(&header_path, i), scope))
                .collect::<Result<Vec<_>, _>>()?;
            headers.push((name.clone(), values));
        }
    }
    let mut properties = Vec::new();
    if let Some(json) = object.get("properties") {
        let properties_path = pointer(path, "properties");
        for (name, value) in as_object(json, &properties_path, "`properties`")? {
            properties.push((
                name.clone(),
                parse_property(value, &pointer(&properties_path, name), scope)?,
            ));
        }
    }
    Ok(EndpointTemplate {
        url,
        headers,
        properties,
    })
}

fn parse_property(json: &Json, path: &str, scope: &Scope) -> Result<Property, RuleSetError> {
    Ok(match json {
        Json::String(s) => Property::String(parse_template(s, path, scope)?),
        Json::Array(items) => Property::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| parse_property(item, &index(path, i), scope))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(fields) => Property::Object(
            fields
                .iter()
                .map(|(k, v)| Ok((k.clone(), parse_property(v, &pointer(path, k), scope)?)))
                .collect::<Result<_, RuleSetError>>()?,
        ),
        other => Property::Json(other.clone()),
    })
}

/// An argument, URL, error message or header value: a literal, a template string, a reference or a call.
fn parse_expr(json: &Json, path: &str, scope: &Scope) -> Result<Expr, RuleSetError> {
    match json {
        Json::Bool(b) => Ok(Expr::Literal(Value::Bool(*b))),
        Json::Number(n) => n
            .as_i64()
            .map(|i| Expr::Literal(Value::Int(i)))
            .ok_or_else(|| RuleSetError::new(path, format!("{n} is not an integer"))),
        Json::String(s) => {
            let template = parse_template(s, path, scope)?;
            Ok(match template.parts.as_slice() {
                [] => Expr::Literal(Value::String(String::new())),
                [TemplatePart::Literal(text)] => Expr::Literal(Value::String(text.clone())),
                _ => Expr::Template(template),
            })
        }
        Json::Array(items) => Ok(Expr::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| parse_expr(item, &index(path, i), scope))
                .collect::<Result<_, _>>()?,
        )),
        Json::Object(object) => {
            if let Some(name) = object.get("ref") {
                let name = as_str(name, &pointer(path, "ref"), "`ref`")?;
                let slot = scope.slot(name).ok_or_else(|| {
                    RuleSetError::new(path, format!("`{name}` is not a parameter or a variable in scope"))
                })?;
                Ok(Expr::Ref {
                    slot,
                    name: name.to_owned(),
                })
            } else if object.contains_key("fn") {
                Ok(Expr::Call(Box::new(parse_call(object, path, scope)?)))
            } else {
                Err(RuleSetError::new(
                    path,
                    "an object here must be a reference (`ref`) or a function call (`fn`)",
                ))
            }
        }
        Json::Null => Err(RuleSetError::new(path, "null is not a value of the rules language")),
    }
}

fn parse_call(object: &Map<String, Json>, path: &str, scope: &Scope) -> Result<FnCall, RuleSetError> {
    let fn_path = pointer(path, "fn");
    let name = as_str(required(object, path, "fn")?, &fn_path, "`fn`")?;
    let argv_path = pointer(path, "argv");
    let argv = as_array(required(object, path, "argv")?, &argv_path, "`argv`")?;
    let (function, arity): (Function, (usize, usize)) = match name {
        "booleanEquals" => (Function::BooleanEquals, (2, 2)),
        "stringEquals" => (Function::StringEquals, (2, 2)),
        "isSet" => (Function::IsSet, (1, 1)),
        "not" => (Function::Not, (1, 1)),
        "getAttr" => {
            // The path is a literal string; the value is an expression.
            let path_path = index(&argv_path, 1);
            let text = argv
                .get(1)
                .ok_or_else(|| RuleSetError::new(&argv_path, "getAttr takes 2 arguments, found fewer"))?;
            let text = as_str(text, &path_path, "getAttr's path")?;
            let parts = parse_path(text).map_err(|e| RuleSetError::new(&path_path, e))?;
            (Function::GetAttr(parts), (2, 2))
        }
        "isValidHostLabel" => (Function::IsValidHostLabel, (2, 2)),
        "substring" => (Function::Substring, (4, 4)),
        "parseURL" => (Function::ParseUrl, (1, 1)),
        "uriEncode" => (Function::UriEncode, (1, 1)),
        "ite" => (Function::Ite, (3, 3)),
        "coalesce" => (Function::Coalesce, (2, usize::MAX)),
        "split" => (Function::Split, (3, 3)),
        "aws.partition" => (Function::AwsPartition, (1, 1)),
        "aws.parseArn" => (Function::AwsParseArn, (1, 1)),
        "aws.isVirtualHostableS3Bucket" => (Function::AwsIsVirtualHostableS3Bucket, (2, 2)),
        other => return Err(RuleSetError::new(fn_path, format!("unknown function `{other}`"))),
    };
    let (min, max) = arity;
    if argv.len() < min || argv.len() > max {
        let expected = if min == max {
            format!("{min}")
        } else {
            format!("at least {min}")
        };
        return Err(RuleSetError::new(
            argv_path,
            format!("{name} takes {expected} argument(s), found {}", argv.len()),
        ));
    }
    let evaluated = if let Function::GetAttr(_) = function {
        argv.get(..1).unwrap_or_default()
    } else {
        argv
    };
    let args = evaluated
        .iter()
        .enumerate()
        .map(|(i, arg)| parse_expr(arg, &index(&argv_path, i), scope))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FnCall { function, args })
}

/// Parses a template string: `{Name}` and `{Name#path}` placeholders, `{{` and `}}` for literal braces.
/// A lone `}` is literal text.
fn parse_template(text: &str, path: &str, scope: &Scope) -> Result<Template, RuleSetError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(position) = rest.find(['{', '}']) {
        let (before, from) = rest.split_at(position);
        literal.push_str(before);
        if let Some(after) = from.strip_prefix("{{") {
            literal.push('{');
            rest = after;
        } else if let Some(after) = from.strip_prefix("}}") {
            literal.push('}');
            rest = after;
        } else if let Some(after) = from.strip_prefix('}') {
            literal.push('}');
            rest = after;
        } else {
            let inner_and_rest = from.get(1..).unwrap_or_default();
            let (inner, after) = inner_and_rest
                .split_once('}')
                .ok_or_else(|| RuleSetError::new(path, format!("unclosed `{{` in template `{text}`")))?;
            let (name, attr) = match inner.split_once('#') {
                Some((name, attr)) => {
                    let parts =
                        parse_path(attr).map_err(|e| RuleSetError::new(path, format!("in template `{text}`: {e}")))?;
                    (name, parts)
                }
                None => (inner, Vec::new()),
            };
            let slot = scope.slot(name).ok_or_else(|| {
                RuleSetError::new(
                    path,
                    format!("template `{text}`: `{name}` is not a parameter or a variable in scope"),
                )
            })?;
            if !literal.is_empty() {
                parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(TemplatePart::Ref {
                slot,
                name: name.to_owned(),
                path: attr,
            });
            rest = after;
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Ok(Template { parts })
}
