//! The interpreter: binds parameters, walks the rules in order and builds the endpoint or error of the first
//! rule whose conditions hold.
//!
//! Values live in a scope indexed by slot: parameters first (in declaration order), then the variables that
//! conditions assign, pushed as they are bound and dropped when their rule is left (the parser numbered every
//! reference to match). Expressions evaluate to borrowed values where they can (parameters, variables,
//! literals and partitions are not copied to be compared).

use std::borrow::Cow;

use serde_json::{Map, Value as Json};

use super::functions;
use super::partitions::Partitions;
use super::rules::{
    Condition, EndpointTemplate, Expr, FnCall, Function, ParamType, Property, Rule, RuleKind, RuleSet, Template,
    TemplatePart,
};
use super::value::{get_attr, Value};
use super::{Endpoint, ParamValue, Params, ResolveError};

/// Parameter values and assigned variables, by slot; `None` is an unset value.
type Scope = Vec<Option<Value>>;

/// Resolves `params` against `rules` (see [`super::resolve`]).
pub(crate) fn evaluate(rules: &RuleSet, partitions: &Partitions, params: &Params) -> Result<Endpoint, ResolveError> {
    let mut scope = bind_parameters(rules, params)?;
    let evaluator = Evaluator { partitions };
    evaluator
        .rules(&rules.rules, &mut scope)?
        .ok_or(ResolveError::NoRuleMatched)
}

/// The scope's parameter slots: given values checked against their declared types, defaults for the rest, and an
/// error for a required parameter left without either.
fn bind_parameters(rules: &RuleSet, params: &Params) -> Result<Scope, ResolveError> {
    let mut scope = Vec::with_capacity(rules.parameters.len() + 4);
    for parameter in &rules.parameters {
        let value = match params.get(&parameter.name) {
            Some(given) => {
                let matches = matches!(
                    (parameter.ty, given),
                    (ParamType::String, ParamValue::String(_))
                        | (ParamType::Boolean, ParamValue::Bool(_))
                        | (ParamType::StringArray, ParamValue::StringArray(_))
                );
                if !matches {
                    return Err(ResolveError::Parameter(format!(
                        "parameter `{}` is a {}, given {}",
                        parameter.name,
                        parameter.ty.name(),
                        given.describe()
                    )));
                }
                Some(Value::from(given))
            }
            None => parameter.default.clone(),
        };
        if value.is_none() && parameter.required {
            return Err(ResolveError::Parameter(format!(
                "required parameter `{}` is not set",
                parameter.name
            )));
        }
        scope.push(value);
    }
    Ok(scope)
}

/// A condition holds when its function's result is set and not `false`.
fn truthy(value: Option<&Value>) -> bool {
    !matches!(value, None | Some(Value::Bool(false)))
}

struct Evaluator<'r> {
    partitions: &'r Partitions,
}

impl Evaluator<'_> {
    /// The outcome of the first rule that applies: `Ok(Some)` for an endpoint, `Err` for an error rule (or a
    /// failure), `Ok(None)` when no rule's conditions hold.
    fn rules(&self, rules: &[Rule], scope: &mut Scope) -> Result<Option<Endpoint>, ResolveError> {
        for rule in rules {
            let outer = scope.len();
            let outcome = if self.conditions(&rule.conditions, scope)? {
                Some(match &rule.kind {
                    RuleKind::Endpoint(endpoint) => self.endpoint(endpoint, scope),
                    RuleKind::Error(message) => {
                        Err(ResolveError::Rule(self.string(message, scope, "error message")?))
                    }
                    // A tree whose conditions hold is terminal: exhausting its rules is an error, not a fall-through.
                    RuleKind::Tree(rules) => self.rules(rules, scope)?.ok_or(ResolveError::NoRuleMatched),
                })
            } else {
                None
            };
            scope.truncate(outer);
            if let Some(outcome) = outcome {
                return outcome.map(Some);
            }
        }
        Ok(None)
    }

    /// Evaluates conditions in order, binding assigned results, until one does not hold.
    fn conditions(&self, conditions: &[Condition], scope: &mut Scope) -> Result<bool, ResolveError> {
        for condition in conditions {
            let value = self.call(&condition.call, scope)?;
            if !truthy(value.as_deref()) {
                return Ok(false);
            }
            if condition.assigns {
                let value = value.map(Cow::into_owned);
                scope.push(value);
            }
        }
        Ok(true)
    }

    fn endpoint(&self, template: &EndpointTemplate, scope: &[Option<Value>]) -> Result<Endpoint, ResolveError> {
        let url = self.string(&template.url, scope, "endpoint URL")?;
        match url.parse::<http::Uri>() {
            Ok(uri) if uri.scheme().is_some() && uri.authority().is_some() => {}
            _ => {
                return Err(ResolveError::Invalid(format!(
                    "the endpoint URL `{url}` is not a valid absolute URL"
                )))
            }
        }
        let mut headers = std::collections::BTreeMap::new();
        for (name, values) in &template.headers {
            let values = values
                .iter()
                .map(|value| self.string(value, scope, "header value"))
                .collect::<Result<Vec<_>, _>>()?;
            headers.insert(name.clone(), values);
        }
        let mut properties = Map::new();
        for (name, property) in &template.properties {
            properties.insert(name.clone(), self.property(property, scope)?);
        }
        Ok(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn property(&self, property: &Property, scope: &[Option<Value>]) -> Result<Json, ResolveError> {
        Ok(match property {
            Property::String(template) => Json::String(self.render(template, scope)?),
            Property::Json(json) => json.clone(),
            Property::Array(items) => Json::Array(
                items
                    .iter()
                    .map(|item| self.property(item, scope))
                    .collect::<Result<_, _>>()?,
            ),
            Property::Object(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(name, value)| Ok((name.clone(), self.property(value, scope)?)))
                    .collect::<Result<_, ResolveError>>()?,
            ),
        })
    }

    /// An expression that must give a string (URL, error message, header value).
    fn string(&self, expr: &Expr, scope: &[Option<Value>], what: &str) -> Result<String, ResolveError> {
        match self.expr(expr, scope)? {
            Some(Cow::Owned(Value::String(s))) => Ok(s),
            Some(Cow::Borrowed(Value::String(s))) => Ok(s.clone()),
            other => Err(ResolveError::Invalid(format!(
                "the {what} must be a string, found {}",
                describe(other.as_deref())
            ))),
        }
    }

    fn render(&self, template: &Template, scope: &[Option<Value>]) -> Result<String, ResolveError> {
        let mut out = String::new();
        for part in &template.parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Ref { slot, name, path } => {
                    let value = scope.get(*slot).and_then(Option::as_ref);
                    let value = if path.is_empty() {
                        value
                    } else {
                        value.and_then(|v| get_attr(v, path))
                    };
                    match value {
                        Some(Value::String(s)) => out.push_str(s),
                        other => {
                            return Err(ResolveError::Invalid(format!(
                                "template placeholder for `{name}` must be a string, found {}",
                                describe(other)
                            )))
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn expr<'a>(&'a self, expr: &'a Expr, scope: &'a [Option<Value>]) -> Result<Option<Cow<'a, Value>>, ResolveError> {
        Ok(match expr {
            Expr::Literal(value) => Some(Cow::Borrowed(value)),
            Expr::Template(template) => Some(Cow::Owned(Value::String(self.render(template, scope)?))),
            Expr::Ref { slot, name } => scope
                .get(*slot)
                .ok_or_else(|| ResolveError::Invalid(format!("`{name}` is not bound")))?
                .as_ref()
                .map(Cow::Borrowed),
            Expr::Call(call) => self.call(call, scope)?,
            Expr::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match self.expr(item, scope)? {
                        Some(value) => values.push(value.into_owned()),
                        None => return Err(ResolveError::Invalid("an array element is not set".to_owned())),
                    }
                }
                Some(Cow::Owned(Value::Array(values)))
            }
        })
    }

    fn call<'a>(
        &'a self,
        call: &'a FnCall,
        scope: &'a [Option<Value>],
    ) -> Result<Option<Cow<'a, Value>>, ResolveError> {
        let boolean = |b: bool| Some(Cow::Owned(Value::Bool(b)));
        let string = |s: String| Some(Cow::Owned(Value::String(s)));
        Ok(match &call.function {
            Function::BooleanEquals => boolean(self.bool_arg(call, 0, scope)? == self.bool_arg(call, 1, scope)?),
            Function::StringEquals => boolean(self.str_arg(call, 0, scope)? == self.str_arg(call, 1, scope)?),
            Function::IsSet => boolean(self.arg(call, 0, scope)?.is_some()),
            Function::Not => boolean(!self.bool_arg(call, 0, scope)?),
            Function::GetAttr(path) => match self.arg(call, 0, scope)? {
                Some(Cow::Borrowed(value)) => get_attr(value, path).map(Cow::Borrowed),
                Some(Cow::Owned(value)) => get_attr(&value, path).cloned().map(Cow::Owned),
                None => return Err(argument_error(call, 0, "an object or an array", None)),
            },
            Function::IsValidHostLabel => boolean(functions::is_valid_host_label(
                &self.str_arg(call, 0, scope)?,
                self.bool_arg(call, 1, scope)?,
            )),
            Function::Substring => {
                let input = self.str_arg(call, 0, scope)?;
                let start = self.int_arg(call, 1, scope)?;
                let stop = self.int_arg(call, 2, scope)?;
                let reverse = self.bool_arg(call, 3, scope)?;
                functions::substring(&input, start, stop, reverse).and_then(|s| string(s.to_owned()))
            }
            Function::ParseUrl => functions::parse_url(&self.str_arg(call, 0, scope)?).map(Cow::Owned),
            Function::UriEncode => string(functions::uri_encode(&self.str_arg(call, 0, scope)?)),
            Function::Ite => {
                // Only the chosen branch is evaluated.
                let branch = if self.bool_arg(call, 0, scope)? { 1 } else { 2 };
                self.arg(call, branch, scope)?
            }
            Function::Coalesce => {
                let last = call.args.len().saturating_sub(1);
                let mut result = None;
                for i in 0..=last {
                    result = self.arg(call, i, scope)?;
                    if result.is_some() {
                        break;
                    }
                }
                result
            }
            Function::Split => {
                let value = self.str_arg(call, 0, scope)?;
                let delimiter = self.str_arg(call, 1, scope)?;
                let limit = self.int_arg(call, 2, scope)?;
                let parts = functions::split(&value, &delimiter, limit).ok_or_else(|| {
                    ResolveError::Invalid(format!(
                        "split: the delimiter must not be empty and the limit not negative (got {delimiter:?}, {limit})"
                    ))
                })?;
                Some(Cow::Owned(Value::Array(parts)))
            }
            Function::AwsPartition => self
                .partitions
                .resolve(&self.str_arg(call, 0, scope)?)
                .map(Cow::Borrowed),
            Function::AwsParseArn => functions::parse_arn(&self.str_arg(call, 0, scope)?).map(Cow::Owned),
            Function::AwsIsVirtualHostableS3Bucket => boolean(functions::is_virtual_hostable_s3_bucket(
                &self.str_arg(call, 0, scope)?,
                self.bool_arg(call, 1, scope)?,
            )),
        })
    }

    fn arg<'a>(
        &'a self,
        call: &'a FnCall,
        i: usize,
        scope: &'a [Option<Value>],
    ) -> Result<Option<Cow<'a, Value>>, ResolveError> {
        let expr = call
            .args
            .get(i)
            .ok_or_else(|| ResolveError::Invalid(format!("{}: argument {} is missing", call.function.name(), i + 1)))?;
        self.expr(expr, scope)
    }

    fn str_arg<'a>(
        &'a self,
        call: &'a FnCall,
        i: usize,
        scope: &'a [Option<Value>],
    ) -> Result<Cow<'a, str>, ResolveError> {
        match self.arg(call, i, scope)? {
            Some(Cow::Borrowed(Value::String(s))) => Ok(Cow::Borrowed(s.as_str())),
            Some(Cow::Owned(Value::String(s))) => Ok(Cow::Owned(s)),
            other => Err(argument_error(call, i, "a string", other.as_deref())),
        }
    }

    fn bool_arg(&self, call: &FnCall, i: usize, scope: &[Option<Value>]) -> Result<bool, ResolveError> {
        match self.arg(call, i, scope)?.as_deref() {
            Some(Value::Bool(b)) => Ok(*b),
            other => Err(argument_error(call, i, "a boolean", other)),
        }
    }

    fn int_arg(&self, call: &FnCall, i: usize, scope: &[Option<Value>]) -> Result<i64, ResolveError> {
        match self.arg(call, i, scope)?.as_deref() {
            Some(Value::Int(n)) => Ok(*n),
            other => Err(argument_error(call, i, "an integer", other)),
        }
    }
}

fn describe(value: Option<&Value>) -> String {
    match value {
        None => "an unset value".to_owned(),
        Some(value) => format!("a value of type {}", value.type_name()),
    }
}

fn argument_error(call: &FnCall, i: usize, expected: &str, found: Option<&Value>) -> ResolveError {
    ResolveError::Invalid(format!(
        "{}: argument {} must be {expected}, found {}",
        call.function.name(),
        i + 1,
        describe(found)
    ))
}
