//! Endpoint resolution with a Smithy endpoint rule set (the `smithy.rules#endpointRuleSet` trait, botocore's
//! `endpoint-rule-set-1.json`) and botocore's partition table (`partitions.json`).
//!
//! A rule set declares parameters (`Region`, `UseFIPS`, `UseDualStack`, `Endpoint`, ...) and an ordered list of
//! rules. Each rule has conditions (function calls, whose results may be bound to names) and, when they all
//! hold, yields an endpoint (URL, headers, properties such as `authSchemes`), an error, or a subtree of rules.
//! [`RuleSet::from_json`] parses and checks a rule set once (every problem is reported with its JSON path);
//! [`resolve`] evaluates it for a set of [`Params`]. [`EndpointRules`] is what a generated crate keeps in a
//! `static`: both JSON texts, parsed on first use, and the resolved endpoints cached per distinct parameters.
//!
//! Implemented: the rules engine 1.0 semantics (endpoint, error and tree rules; `assign`; template strings with
//! `{Name}`, `{Name#attr}`, `{Name#attr[0]}`, `{{` and `}}`), the standard library (`booleanEquals`,
//! `stringEquals`, `isSet`, `not`, `getAttr`, `isValidHostLabel`, `substring`, `parseURL`, `uriEncode`, and
//! from 1.1 `ite`, `coalesce`, `split`) and the AWS functions (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`). Nothing here panics, whatever the rule set, the table or the parameters.
//!
//! ```
//! use awsgen_runtime::endpoint::{resolve, ParamValue, Params, Partitions, ResolveError, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!     "version": "1.0",
//!     "parameters": {
//!         "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
//!         "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false}
//!     },
//!     "rules": [
//!         {"type": "tree", "conditions": [
//!             {"fn": "isSet", "argv": [{"ref": "Region"}]},
//!             {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
//!         ], "rules": [
//!             {"type": "endpoint",
//!              "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
//!              "endpoint": {"url": "https://ecs-fips.{Region}.{PartitionResult#dnsSuffix}"}},
//!             {"type": "endpoint", "conditions": [],
//!              "endpoint": {"url": "https://ecs.{Region}.{PartitionResult#dnsSuffix}",
//!                           "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]}}}
//!         ]},
//!         {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
//!     ]
//! }"#).unwrap();
//! assert_eq!(
//!     rules.parameters().collect::<Vec<_>>(),
//!     [("Region", Some("AWS::Region")), ("UseFIPS", Some("AWS::UseFIPS"))]
//! );
//! let partitions = Partitions::from_json(r#"{"partitions": [{
//!     "id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {},
//!     "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
//!                 "supportsFIPS": true, "supportsDualStack": true}
//! }]}"#).unwrap();
//!
//! let mut params = Params::new();
//! params.set("Region", ParamValue::String("eu-west-1".into()));
//! let endpoint = resolve(&rules, &partitions, &params).unwrap();
//! assert_eq!(endpoint.url, "https://ecs.eu-west-1.amazonaws.com");
//! assert_eq!(endpoint.sigv4_signing(), Ok((None, Some("eu-west-1"))));
//!
//! params.set("UseFIPS", ParamValue::Bool(true));
//! assert_eq!(resolve(&rules, &partitions, &params).unwrap().url, "https://ecs-fips.eu-west-1.amazonaws.com");
//!
//! assert_eq!(
//!     resolve(&rules, &partitions, &Params::new()),
//!     Err(ResolveError::Rule("Invalid Configuration: Missing Region".into()))
//! );
//! ```

mod cache;
mod eval;
mod functions;
mod partitions;
mod rules;
mod value;

use std::collections::BTreeMap;
use std::fmt;

pub use cache::EndpointRules;
pub use partitions::Partitions;
pub use rules::RuleSet;

/// A rule set or partition table that cannot be used, with the JSON pointer of the value at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetError {
    path: String,
    problem: String,
}

impl RuleSetError {
    pub(crate) fn new(path: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            problem: problem.into(),
        }
    }

    /// The JSON pointer of the offending value (`/rules/0/conditions/1/fn`); empty for the document itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong there.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "(root)" } else { &self.path };
        write!(f, "{path}: {}", self.problem)
    }
}

impl std::error::Error for RuleSetError {}

/// The value of an endpoint parameter, as a caller provides it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamValue {
    /// For `String` parameters.
    String(String),
    /// For `Boolean` parameters.
    Bool(bool),
    /// For `stringArray` parameters.
    StringArray(Vec<String>),
}

impl ParamValue {
    fn describe(&self) -> &'static str {
        match self {
            ParamValue::String(_) => "a string",
            ParamValue::Bool(_) => "a boolean",
            ParamValue::StringArray(_) => "a string array",
        }
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        ParamValue::StringArray(value)
    }
}

/// Endpoint parameters by name. Names the rule set does not declare are ignored by [`resolve`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Params {
    values: BTreeMap<String, ParamValue>,
}

impl Params {
    /// No parameters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (or replaces) a parameter.
    pub fn set(&mut self, name: impl Into<String>, value: ParamValue) -> &mut Self {
        self.values.insert(name.into(), value);
        self
    }

    /// A parameter's value, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.get(name)
    }

    /// Removes a parameter, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        self.values.remove(name)
    }

    /// The parameters set, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.values.iter().map(|(name, value)| (name.as_str(), value))
    }
}

impl<N: Into<String>> FromIterator<(N, ParamValue)> for Params {
    fn from_iter<I: IntoIterator<Item = (N, ParamValue)>>(iter: I) -> Self {
        Self {
            values: iter.into_iter().map(|(name, value)| (name.into(), value)).collect(),
        }
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL requests go to (scheme, host, optional port and base path).
    pub url: String,
    /// Headers to add to requests.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Further facts, such as `authSchemes` (the signing name and region to use).
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl Endpoint {
    /// From `properties.authSchemes`: the `signingName` and `signingRegion` of the scheme named `sigv4`, each if
    /// given (`(None, None)` when the endpoint lists no schemes). `Err` with the schemes' names when it lists
    /// some but not `sigv4` (only `sigv4a`, say): this runtime signs with SigV4 alone, and signing such a
    /// request anyway (with region `*`) would only get it refused.
    pub fn sigv4_signing(&self) -> Result<(Option<&str>, Option<&str>), Vec<&str>> {
        let Some(schemes) = self.properties.get("authSchemes").and_then(|s| s.as_array()) else {
            return Ok((None, None));
        };
        if schemes.is_empty() {
            return Ok((None, None));
        }
        let Some(scheme) = schemes.iter().find(|scheme| scheme_name(scheme) == Some("sigv4")) else {
            return Err(schemes.iter().filter_map(scheme_name).collect());
        };
        let signing_name = scheme.get("signingName").and_then(|n| n.as_str());
        let signing_region = scheme.get("signingRegion").and_then(|r| r.as_str());
        Ok((signing_name, signing_region))
    }
}

fn scheme_name(scheme: &serde_json::Value) -> Option<&str> {
    scheme.get("name").and_then(|n| n.as_str())
}

/// Why no endpoint was resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// An `error` rule matched: its message, exactly as the rule set words it after templating.
    Rule(String),
    /// A required parameter without value or default, or a value of the wrong type for the parameter.
    Parameter(String),
    /// No rule matched (a rule set is supposed to end with a catch-all, so this means a malformed rule set).
    NoRuleMatched,
    /// Evaluation failed in a way the rule set does not cover (e.g. a template produced an invalid URL).
    Invalid(String),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Rule(message) => f.write_str(message),
            ResolveError::Parameter(message) => write!(f, "invalid endpoint parameters: {message}"),
            ResolveError::NoRuleMatched => f.write_str("no endpoint rule matched the parameters"),
            ResolveError::Invalid(message) => write!(f, "endpoint resolution failed: {message}"),
        }
    }
}

impl std::error::Error for ResolveError {}

/// Resolves the endpoint for `params`: applies parameter defaults, checks required parameters and types, then
/// evaluates the rules in order. Not cached (see [`EndpointRules`]).
pub fn resolve(rules: &RuleSet, partitions: &Partitions, params: &Params) -> Result<Endpoint, ResolveError> {
    eval::evaluate(rules, partitions, params)
}

#[cfg(test)]
mod tests;
