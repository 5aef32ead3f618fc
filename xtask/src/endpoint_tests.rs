//! `cargo xtask endpoint-tests`: every `smithy.rules#endpointTests` case of the Smithy models in a directory,
//! resolved by the runtime's endpoint engine (`RuleSet::from_json` and `resolve`, what a client runs) and
//! compared with the expected URL, headers and properties, or error message. Also measures what resolution costs.
//!
//! A case with `operationInputs` is checked a second time with the parameters derived the way a client derives
//! them: the built-ins from its `builtInParams` through the runtime's own mapping
//! (`protocol::endpoint_params` over an `EndpointBuiltIns`), then its `clientParams`, then the operation's own
//! parameters as the generator lowers them from the paired botocore model (`ir::Operation::endpoint_params`:
//! `staticContextParams` constants and `contextParam` members taken from `operationParams`). These must equal the
//! case's `params` and resolve to its `expect`, except for the parameters no client derives (a built-in clients
//! do not set, such as `AWS::Auth::AccountId`, or an `operationContextParams` binding, which the generator does
//! not evaluate): a case that resolves as expected only once those are taken from `params` is counted as not
//! derivable, with the reason; any other mismatch is a failure.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use awsgen_runtime::endpoint::{self, Endpoint, EndpointRules, ParamValue, Params, Partitions, ResolveError, RuleSet};
use awsgen_runtime::protocol::{endpoint_params, EndpointBuiltIns};
use codegen::ir::EndpointParamValue;
use serde_json::{Map, Value};

/// The model whose cases the timing uses (`.json` or `.json.gz`).
const TIMED_MODEL: &str = "ecs-2014-11-13";
/// Timing rounds; the median of the per-call cost of each round is reported.
const ROUNDS: usize = 201;
/// Cached calls per round (one call is too short to time alone).
const CACHED_CALLS_PER_ROUND: u32 = 1000;

pub struct Options {
    pub models_dir: PathBuf,
    pub partitions: PathBuf,
    /// `[sdkId, smithy file, botocore folder]` triples, paths relative to this file's directory: the botocore
    /// model whose operations the `operationInputs` cases of a Smithy model name.
    pub pairs: PathBuf,
}

impl Options {
    /// The shared April 2025 models next to the repository.
    pub fn for_repo(root: &Path) -> Self {
        let suites = root.join("../shared/testsuites/models-2025-04");
        Self {
            models_dir: suites.join("smithy"),
            partitions: suites.join("botocore/partitions.json.gz"),
            pairs: suites.join("pairs.json"),
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
    /// The cases with `operationInputs`, resolved with the parameters a client derives.
    pub operation_inputs: OperationInputsReport,
}

/// Outcomes of the `operationInputs` cases (a case with several inputs takes its worst outcome).
#[derive(Default)]
pub struct OperationInputsReport {
    pub passed: usize,
    /// Cases whose derived parameters differ from `params` (apart from those no client derives) or resolve
    /// differently from `expect`; each is also in [`Report::failures`].
    pub failed: usize,
    /// Cases that resolve as expected only once the parameters no client derives are added from `params`, by
    /// reason.
    pub not_derivable: BTreeMap<String, usize>,
}

impl OperationInputsReport {
    pub fn not_derivable_count(&self) -> usize {
        self.not_derivable.values().sum()
    }
}

impl Report {
    pub fn summary_line(&self) -> String {
        format!("endpoint tests: {} passed, {} failed", self.passed, self.failed)
    }

    /// `endpoint tests (operationInputs): N passed, M failed, K not derivable (reasons)`.
    pub fn operation_inputs_line(&self) -> String {
        let ops = &self.operation_inputs;
        let mut line = format!(
            "endpoint tests (operationInputs): {} passed, {} failed, {} not derivable",
            ops.passed,
            ops.failed,
            ops.not_derivable_count()
        );
        if !ops.not_derivable.is_empty() {
            let reasons: Vec<String> = ops
                .not_derivable
                .iter()
                .map(|(reason, count)| format!("{count}: {reason}"))
                .collect();
            line.push_str(&format!(" ({}; see ARCHITECTURE.md, Known limits)", reasons.join("; ")));
        }
        line
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
    let pairs = read_pairs(&options.pairs)?;
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
                report.operation_inputs.failed += model
                    .cases
                    .iter()
                    .filter(|case| case.get("operationInputs").is_some())
                    .count();
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
        check_operation_inputs(&model, &rules, &partitions, &pairs, &mut report);
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
    let Some(given) = case.get("params") else {
        return Ok(Params::new());
    };
    params_from(given.as_object().ok_or("`params` is not an object")?)
}

/// Parameters given as a JSON object (strings, booleans and string arrays).
fn params_from(given: &Map<String, Value>) -> Result<Params, String> {
    let mut params = Params::new();
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

/// `pairs.json`: the botocore folder paired with each Smithy file, by the Smithy file's name.
fn read_pairs(path: &Path) -> Result<HashMap<String, PathBuf>, String> {
    let json: Value =
        serde_json::from_str(&read_text(path)?).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut pairs = HashMap::new();
    for (i, pair) in json.as_array().into_iter().flatten().enumerate() {
        let (Some(smithy), Some(botocore)) = (pair.get(1).and_then(Value::as_str), pair.get(2).and_then(Value::as_str))
        else {
            return Err(format!(
                "{}: entry {i} is not [sdkId, smithy file, botocore folder]",
                path.display()
            ));
        };
        let name = Path::new(smithy)
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        pairs.insert(name, base.join(botocore));
    }
    Ok(pairs)
}

/// A botocore model as the generator lowers it, for the operations' endpoint parameters.
struct Botocore {
    service: codegen::ir::Service,
    /// By operation, the rule-set parameters it binds with `operationContextParams` (JMESPath over the input),
    /// which the generator does not evaluate (it warns and leaves them unset).
    context_params: HashMap<String, Vec<String>>,
}

/// Reads and lowers `service-2.json(.gz)` of a botocore folder with `codegen::load`, as `cargo xtask codegen`
/// does.
fn load_botocore(dir: &Path) -> Result<Botocore, String> {
    let path = ["service-2.json", "service-2.json.gz"]
        .map(|name| dir.join(name))
        .into_iter()
        .find(|path| path.is_file())
        .ok_or_else(|| format!("{}: no service-2.json(.gz)", dir.display()))?;
    let input = codegen::frontend::ModelInput::read(&path)?;
    let (service, _warnings) =
        codegen::load(&input, None).map_err(|d| format!("{}: the generator rejects it:\n{d}", path.display()))?;
    let declared: BTreeSet<&str> = service
        .endpoint_rules
        .iter()
        .flat_map(|rules| rules.parameters.iter().map(String::as_str))
        .collect();
    let json: Value = serde_json::from_slice(&input.service).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut context_params = HashMap::new();
    for (name, operation) in json.get("operations").and_then(Value::as_object).into_iter().flatten() {
        let bound: Vec<String> = operation
            .get("operationContextParams")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(param, _)| param.clone())
            .filter(|param| declared.contains(param.as_str()))
            .collect();
        if !bound.is_empty() {
            context_params.insert(name.clone(), bound);
        }
    }
    Ok(Botocore {
        service,
        context_params,
    })
}

/// What the parameters a client derives for a case give.
enum Outcome {
    Passed,
    /// Resolves as expected once the parameters no client derives are added from `params`; the reason.
    NotDerivable(String),
    /// Why not, with the expected and the derived parameters.
    Failed(String),
}

impl Outcome {
    fn rank(&self) -> u8 {
        match self {
            Outcome::Passed => 0,
            Outcome::NotDerivable(_) => 1,
            Outcome::Failed(_) => 2,
        }
    }
}

/// Checks the model's cases that have `operationInputs` with the parameters derived as a client derives them.
fn check_operation_inputs(
    model: &Model,
    rules: &RuleSet,
    partitions: &Partitions,
    pairs: &HashMap<String, PathBuf>,
    report: &mut Report,
) {
    let cases: Vec<&Value> = model
        .cases
        .iter()
        .filter(|case| case.get("operationInputs").is_some())
        .collect();
    if cases.is_empty() {
        return;
    }
    let file = &model.file;
    // What every case of the model needs: the rule set's defaults and the paired botocore model, lowered.
    let prepared = parameter_defaults(&model.rules_json).and_then(|defaults| {
        let dir = pairs
            .get(file)
            .ok_or_else(|| "no botocore model is paired with it in pairs.json".to_owned())?;
        Ok((defaults, load_botocore(dir)?))
    });
    let (defaults, botocore) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => {
            report.operation_inputs.failed += cases.len();
            report
                .failures
                .push(format!("{file}: operationInputs of {} cases: {e}", cases.len()));
            return;
        }
    };
    for case in cases {
        let documentation = case
            .get("documentation")
            .and_then(Value::as_str)
            .unwrap_or("(no documentation)");
        let inputs = case
            .get("operationInputs")
            .and_then(Value::as_array)
            .filter(|inputs| !inputs.is_empty());
        let outcome = match inputs {
            None => Outcome::Failed("  `operationInputs` is not a non-empty array".to_owned()),
            Some(inputs) => inputs
                .iter()
                .map(|input| {
                    operation_input_outcome(case, input, rules, &defaults, partitions, &botocore)
                        .unwrap_or_else(|e| Outcome::Failed(format!("  {e}")))
                })
                .max_by_key(Outcome::rank)
                .unwrap_or(Outcome::Passed),
        };
        let counts = &mut report.operation_inputs;
        match outcome {
            Outcome::Passed => counts.passed += 1,
            Outcome::NotDerivable(reason) => *counts.not_derivable.entry(reason).or_default() += 1,
            Outcome::Failed(reason) => {
                counts.failed += 1;
                report
                    .failures
                    .push(format!("{file}: {documentation} (operationInputs)\n{reason}"));
            }
        }
    }
}

/// One `operationInputs` entry: the built-ins from `builtInParams` through the runtime's mapping, then
/// `clientParams` by name, then the operation's endpoint parameters from the lowered botocore model (constants,
/// and members taken from `operationParams`). Passes if these parameters equal the case's `params` (a parameter
/// absent from either counts as its default) apart from those no client derives, and resolve to `expect`; is
/// not derivable if it resolves to `expect` once those are taken from `params`; else fails.
fn operation_input_outcome(
    case: &Value,
    input: &Value,
    rules: &RuleSet,
    defaults: &Params,
    partitions: &Partitions,
    botocore: &Botocore,
) -> Result<Outcome, String> {
    let name = input
        .get("operationName")
        .and_then(Value::as_str)
        .ok_or("an `operationInputs` entry has no `operationName`")?;
    let operation = botocore
        .service
        .operations
        .iter()
        .find(|op| op.wire_name == name)
        .ok_or_else(|| format!("the botocore model has no operation {name}"))?;
    let (built_ins, unsupported) = built_ins_of(input.get("builtInParams"))?;
    let mut derived = endpoint_params(rules, &built_ins);
    if let Some(client) = input.get("clientParams") {
        let client = client.as_object().ok_or("`clientParams` is not an object")?;
        for (param, value) in params_from(client)?.iter() {
            derived.set(param, value.clone());
        }
    }
    let operation_params = input.get("operationParams").and_then(Value::as_object);
    for param in &operation.endpoint_params {
        let value = match &param.value {
            EndpointParamValue::String(text) => Some(ParamValue::String(text.clone())),
            EndpointParamValue::Bool(flag) => Some(ParamValue::Bool(*flag)),
            EndpointParamValue::Member(wire_name) => match operation_params.and_then(|p| p.get(wire_name)) {
                Some(Value::String(text)) => Some(ParamValue::String(text.clone())),
                Some(Value::Bool(flag)) => Some(ParamValue::Bool(*flag)),
                _ => None,
            },
        };
        if let Some(value) = value {
            derived.set(param.name.clone(), value);
        }
    }
    let resolved = check(case, &endpoint::resolve(rules, partitions, &derived));
    let expected = params_of(case)?;
    // The parameters no client derives: those of built-ins clients do not set, and those bound by
    // `operationContextParams`.
    let mut underivable: BTreeMap<&str, String> = rules
        .parameters()
        .filter_map(|(param, built_in)| {
            let built_in = built_in.filter(|b| unsupported.contains(*b))?;
            Some((param, format!("{built_in} is not set by clients")))
        })
        .collect();
    for param in botocore.context_params.get(name).into_iter().flatten() {
        underivable.insert(param, format!("operationContextParams ({param}) are not evaluated"));
    }
    // Every other parameter must be derived as the case gives it (an absent one counts as its default).
    let effective = |params: &Params, param: &str| params.get(param).or_else(|| defaults.get(param)).cloned();
    let names: BTreeSet<&str> = expected.iter().chain(derived.iter()).map(|(param, _)| param).collect();
    let differing: Vec<&str> = names
        .into_iter()
        .filter(|param| !underivable.contains_key(param))
        .filter(|param| effective(&expected, param) != effective(&derived, param))
        .collect();
    let explain = |problem: String| {
        Outcome::Failed(format!(
            "{problem}\n  params:   {}\n  derived:  {}",
            params_json(&expected),
            params_json(&derived)
        ))
    };
    if !differing.is_empty() {
        let resolution = match resolved {
            Ok(()) => "  (resolves as expected)".to_owned(),
            Err(mismatch) => mismatch,
        };
        return Ok(explain(format!(
            "  derived parameters differ from `params`: {}\n{resolution}",
            differing.join(", ")
        )));
    }
    let Err(mismatch) = resolved else {
        return Ok(Outcome::Passed);
    };
    // If the case's values for the underivable parameters alone make the difference, it is not derivable.
    let mut completed = derived.clone();
    let mut reasons = BTreeSet::new();
    for (param, reason) in underivable {
        if let Some(value) = expected.get(param).filter(|value| derived.get(param) != Some(*value)) {
            completed.set(param, value.clone());
            reasons.insert(reason);
        }
    }
    if !reasons.is_empty() && check(case, &endpoint::resolve(rules, partitions, &completed)).is_ok() {
        return Ok(Outcome::NotDerivable(
            reasons.into_iter().collect::<Vec<_>>().join(", and "),
        ));
    }
    Ok(explain(mismatch))
}

/// The `default` of each parameter of a rule set that declares one.
fn parameter_defaults(rules_json: &str) -> Result<Params, String> {
    let json: Value = serde_json::from_str(rules_json).map_err(|e| format!("the rule set is not JSON: {e}"))?;
    let defaults: Map<String, Value> = json
        .get("parameters")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, parameter)| Some((name.clone(), parameter.get("default")?.clone())))
        .collect();
    params_from(&defaults).map_err(|e| format!("the rule set's defaults: {e}"))
}

/// `builtInParams` as the configuration a client would have: each built-in a client's configuration carries
/// goes into its field of [`EndpointBuiltIns`]; the names of the others (`AWS::Auth::AccountId`), which no
/// client sets, are returned beside it.
fn built_ins_of(given: Option<&Value>) -> Result<(EndpointBuiltIns, BTreeSet<String>), String> {
    let mut built_ins = EndpointBuiltIns::default();
    let mut unsupported = BTreeSet::new();
    let Some(given) = given else {
        return Ok((built_ins, unsupported));
    };
    let given = given.as_object().ok_or("`builtInParams` is not an object")?;
    for (name, value) in given {
        let text = || {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("builtInParams {name}: not a string"))
        };
        let flag = || {
            value
                .as_bool()
                .ok_or_else(|| format!("builtInParams {name}: not a boolean"))
        };
        match name.as_str() {
            "AWS::Region" => built_ins.region = Some(text()?),
            "AWS::UseFIPS" => built_ins.use_fips = flag()?,
            "AWS::UseDualStack" => built_ins.use_dual_stack = flag()?,
            "SDK::Endpoint" => built_ins.endpoint = Some(text()?),
            "AWS::Auth::AccountIdEndpointMode" => built_ins.account_id_endpoint_mode = Some(text()?),
            _ => {
                unsupported.insert(name.clone());
            }
        }
    }
    Ok((built_ins, unsupported))
}

/// Parameters as a JSON object, for messages.
fn params_json(params: &Params) -> Value {
    Value::Object(
        params
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    ParamValue::String(text) => Value::from(text.as_str()),
                    ParamValue::Bool(flag) => Value::from(*flag),
                    ParamValue::StringArray(items) => Value::from(items.clone()),
                };
                (name.to_owned(), value)
            })
            .collect(),
    )
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
