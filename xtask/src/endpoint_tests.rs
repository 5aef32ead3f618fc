//! `cargo xtask endpoint-tests`: every `smithy.rules#endpointTests` case of the Smithy models in a directory,
//! resolved by the runtime's endpoint engine (`RuleSet::from_json` and `resolve`, what a client runs) and
//! compared with the expected URL, headers and properties, or error message. Also measures what resolution costs.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use awsgen_runtime::endpoint::{self, Endpoint, EndpointRules, ParamValue, Params, Partitions, ResolveError, RuleSet};
use serde_json::Value;

/// The model whose cases the timing uses (`.json` or `.json.gz`).
const TIMED_MODEL: &str = "ecs-2014-11-13";
/// Timing rounds; the median of the per-call cost of each round is reported.
const ROUNDS: usize = 201;
/// Cached calls per round (one call is too short to time alone).
const CACHED_CALLS_PER_ROUND: u32 = 1000;

pub struct Options {
    pub models_dir: PathBuf,
    pub partitions: PathBuf,
}

impl Options {
    /// The shared April 2025 models next to the repository.
    pub fn for_repo(root: &Path) -> Self {
        let suites = root.join("../shared/testsuites/models-2025-04");
        Self {
            models_dir: suites.join("smithy"),
            partitions: suites.join("botocore/partitions.json.gz"),
        }
    }
}

#[derive(Default)]
pub struct Report {
    pub passed: usize,
    pub failed: usize,
    /// One entry per failing case: model, case documentation, expected and got.
    pub failures: Vec<String>,
    /// Lines describing the measured cost of resolution.
    pub timing: Vec<String>,
}

impl Report {
    pub fn summary_line(&self) -> String {
        format!("endpoint tests: {} passed, {} failed", self.passed, self.failed)
    }
}

/// One model's rule set and test cases.
struct Model {
    file: String,
    rules_json: String,
    cases: Vec<Value>,
}

pub fn run(options: &Options) -> Result<Report, String> {
    let partitions_json = read_text(&options.partitions)?;
    let partitions = Partitions::from_json(&partitions_json)
        .map_err(|e| format!("{}: not a usable partition table: {e}", options.partitions.display()))?;
    let mut report = Report::default();
    let mut timed = None;
    for path in model_files(&options.models_dir)? {
        let file = path
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        let Some(model) = read_model(&path, &file)? else {
            continue;
        };
        let rules = match RuleSet::from_json(&model.rules_json) {
            Ok(rules) => rules,
            Err(e) => {
                report.failed += model.cases.len();
                report
                    .failures
                    .push(format!("{file}: the rule set does not parse: {e}"));
                continue;
            }
        };
        let mut all_params = Vec::new();
        for case in &model.cases {
            let documentation = case
                .get("documentation")
                .and_then(Value::as_str)
                .unwrap_or("(no documentation)");
            let outcome = params_of(case).and_then(|params| {
                let got = endpoint::resolve(&rules, &partitions, &params);
                all_params.push(params);
                check(case, &got)
            });
            match outcome {
                Ok(()) => report.passed += 1,
                Err(reason) => {
                    report.failed += 1;
                    report.failures.push(format!("{file}: {documentation}\n{reason}"));
                }
            }
        }
        if file.trim_end_matches(".gz").trim_end_matches(".json") == TIMED_MODEL {
            timed = Some((model, rules, all_params));
        }
    }
    match timed {
        Some((model, rules, params)) => report.timing = measure(&model, &rules, &partitions, &partitions_json, &params),
        None => report.timing.push(format!(
            "timing: {TIMED_MODEL} is not among the models, nothing measured"
        )),
    }
    Ok(report)
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = codegen::frontend::read_model_file(path)?;
    String::from_utf8(bytes).map_err(|e| format!("{}: not UTF-8: {e}", path.display()))
}

/// `*.json` and `*.json.gz` files of `dir`, sorted by name.
fn model_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".json") || name.ends_with(".json.gz") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The rule set and test cases of the model's service shape; `None` for a model without a rule set.
fn read_model(path: &Path, file: &str) -> Result<Option<Model>, String> {
    let json: Value = serde_json::from_str(&read_text(path)?).map_err(|e| format!("{file}: not JSON: {e}"))?;
    let services = json
        .get("shapes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, shape)| shape.get("type").and_then(Value::as_str) == Some("service"));
    for (_, service) in services {
        let Some(traits) = service.get("traits") else { continue };
        let Some(rule_set) = traits.get("smithy.rules#endpointRuleSet") else {
            continue;
        };
        let cases = traits
            .get("smithy.rules#endpointTests")
            .and_then(|tests| tests.get("testCases"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        return Ok(Some(Model {
            file: file.to_owned(),
            rules_json: rule_set.to_string(),
            cases,
        }));
    }
    Ok(None)
}

/// A case's `params` as endpoint parameters (strings, booleans and string arrays).
fn params_of(case: &Value) -> Result<Params, String> {
    let mut params = Params::new();
    let Some(given) = case.get("params") else {
        return Ok(params);
    };
    let given = given.as_object().ok_or("`params` is not an object")?;
    for (name, value) in given {
        let value = match value {
            Value::String(s) => ParamValue::String(s.clone()),
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<_>>()
                    .ok_or_else(|| format!("parameter {name}: an array of non-strings"))?,
            ),
            other => return Err(format!("parameter {name}: unsupported value {other}")),
        };
        params.set(name.clone(), value);
    }
    Ok(params)
}

/// Compares the outcome with the case's `expect`.
fn check(case: &Value, got: &Result<Endpoint, ResolveError>) -> Result<(), String> {
    let expect = case.get("expect").ok_or("the case has no `expect`")?;
    let got_text = match got {
        Ok(endpoint) => format!(
            "endpoint {} headers {:?} properties {}",
            endpoint.url,
            endpoint.headers,
            Value::Object(endpoint.properties.clone())
        ),
        Err(ResolveError::Rule(message)) => format!("error {message:?}"),
        Err(other) => format!("error {:?} ({other:?})", other.to_string()),
    };
    if let Some(message) = expect.get("error") {
        let message = message.as_str().ok_or("`expect.error` is not a string")?;
        return match got {
            Err(e) if e.to_string() == message => Ok(()),
            _ => Err(format!("  expected: error {message:?}\n  got:      {got_text}")),
        };
    }
    let expected = expect
        .get("endpoint")
        .ok_or("`expect` has neither `endpoint` nor `error`")?;
    let url = expected
        .get("url")
        .and_then(Value::as_str)
        .ok_or("`expect.endpoint.url` is missing")?;
    let headers = expected
        .get("headers")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let properties = expected
        .get("properties")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    if let Ok(endpoint) = got {
        let got_headers = serde_json::to_value(&endpoint.headers).map_err(|e| e.to_string())?;
        if endpoint.url == url && got_headers == headers && Value::Object(endpoint.properties.clone()) == properties {
            return Ok(());
        }
    }
    Err(format!(
        "  expected: endpoint {url} headers {headers} properties {properties}\n  got:      {got_text}"
    ))
}

/// Median per-call cost of uncached resolution over the model's cases and of a cached hit.
fn measure(
    model: &Model,
    rules: &RuleSet,
    partitions: &Partitions,
    partitions_json: &str,
    params: &[Params],
) -> Vec<String> {
    let build = if cfg!(debug_assertions) { "debug" } else { "release" };
    let mut lines = Vec::new();
    if params.is_empty() {
        return vec![format!("timing: {} has no cases, nothing measured", model.file)];
    }
    let mut uncached = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for p in params {
            let _ = black_box(endpoint::resolve(black_box(rules), partitions, black_box(p)));
        }
        uncached.push(start.elapsed().as_secs_f64() / params.len() as f64);
    }
    lines.push(format!(
        "timing ({build} build): uncached resolve(): median {:.2} us per call ({ROUNDS} rounds over the {} cases of {})",
        median(&mut uncached) * 1e6,
        params.len(),
        model.file
    ));

    // A client resolves with the same parameters call after call: its region and flags.
    let rules_text: &'static str = Box::leak(model.rules_json.clone().into_boxed_str());
    let partitions_text: &'static str = Box::leak(partitions_json.to_owned().into_boxed_str());
    let cached_rules = EndpointRules::new(rules_text, partitions_text);
    let mut client_params = Params::new();
    client_params
        .set("Region", ParamValue::from("us-east-1"))
        .set("UseFIPS", ParamValue::from(false))
        .set("UseDualStack", ParamValue::from(false));
    if let Err(e) = cached_rules.resolve(&client_params) {
        lines.push(format!("timing: the cached rules do not resolve: {e}"));
        return lines;
    }
    let mut cached = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..CACHED_CALLS_PER_ROUND {
            let _ = black_box(cached_rules.resolve(black_box(&client_params)));
        }
        cached.push(start.elapsed().as_secs_f64() / f64::from(CACHED_CALLS_PER_ROUND));
    }
    lines.push(format!(
        "timing ({build} build): cached EndpointRules::resolve hit: median {:.3} us per call ({ROUNDS} rounds of {CACHED_CALLS_PER_ROUND} calls, Region us-east-1)",
        median(&mut cached) * 1e6
    ));
    lines
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
