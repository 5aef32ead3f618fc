//! `cargo xtask fuzz-models`: the front-ends and the lowering run on mutated models (botocore JSON and Smithy
//! JSON AST, and the files read beside them), checking that nothing panics or hangs and that every diagnostic
//! carries a JSON path into the file it is about.
//!
//! A case is a function of the run's seed and its index alone ([`mutate::Rng::for_case`]), so a failure is
//! replayed with `--seed S --case I`, which also writes the mutated files out. Each case lowers the model and
//! runs the passes; one in [`FULL_EVERY`] also emits and formats the crate (`codegen::generate`), which costs
//! about a hundred times more.

mod mutate;

use codegen::diagnostics::{Diagnostic, Severity};
use codegen::frontend::ModelInput;
use mutate::Rng;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One case in this many runs the whole of `codegen::generate` (emit and format included).
pub const FULL_EVERY: usize = 64;

/// A case that takes longer than this is reported as a hang: 2 s in a release build. The slowest cases are
/// linear in a large input (0.6 s for the 800 KB documentation of the slowest of the first 1,000,000 cases,
/// 2 s on two cores shared with other builds), and a debug build is ten times slower (5.2 s for that case), so
/// it is given ten times as long.
const HANG: Duration = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 2 });

/// A case that has not ended after this long ends the run: it may never end, and its thread cannot be stopped.
const ABANDON: Duration = Duration::from_secs(if cfg!(debug_assertions) { 300 } else { 60 });

/// Seeds larger than this are left out, so that a case stays well under a millisecond.
const MAX_SEED_BYTES: usize = 64 * 1024;

pub const DEFAULT_SEED: u64 = 0x5EED_F022;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Botocore,
    Smithy,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Botocore => "botocore",
            Kind::Smithy => "smithy",
        }
    }
}

/// The files botocore keeps beside a model, as `ModelInput` takes them and as diagnostics name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Companion {
    RuleSet,
    Partitions,
    Paginators,
    Waiters,
}

impl Companion {
    const ALL: [Companion; 4] = [
        Companion::RuleSet,
        Companion::Partitions,
        Companion::Paginators,
        Companion::Waiters,
    ];

    fn file_name(self) -> &'static str {
        match self {
            Companion::RuleSet => "endpoint-rule-set-1.json",
            Companion::Partitions => "partitions.json",
            Companion::Paginators => "paginators-1.json",
            Companion::Waiters => "waiters-2.json",
        }
    }
}

pub struct Options {
    pub cases: u64,
    pub seed: u64,
    pub threads: usize,
    /// Print each case's index before it runs: for a case that takes the process down without naming itself
    /// (running out of memory; a stack overflow names the case's thread).
    pub trace: bool,
}

/// A seed model and the files beside it, parsed.
struct Seed {
    label: String,
    kind: Kind,
    /// How often it is picked among the seeds of its kind.
    weight: usize,
    service: Value,
    companions: Vec<(Companion, Value)>,
}

struct Seeds {
    models: Vec<Seed>,
    /// Files given to seeds that have none, now and then: a rule set (checked against the model's context
    /// parameters) and a partition table.
    rule_set: Value,
    partitions: Value,
}

/// The seeds: every small model of the repository's tests (each golden's model with the files beside it, the
/// diagnostics tests' models, ECS `DescribeTaskSets` with its rule set and partitions) and the Smithy models of
/// `tests/`, among them `tests/fuzz_models/`, written to hold one of every kind of shape and trait the Smithy
/// front-end reads.
fn load_seeds(root: &Path) -> Result<Seeds, String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let json_files = |dir: &Path, paths: &mut Vec<PathBuf>| -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        found.sort();
        paths.extend(found);
        Ok(())
    };
    let golden = root.join("tests/golden");
    let mut goldens: Vec<PathBuf> = std::fs::read_dir(&golden)
        .map_err(|e| format!("cannot read {}: {e}", golden.display()))?
        .filter_map(|e| e.ok().map(|e| e.path().join("model.json")))
        .filter(|p| p.is_file())
        .collect();
    goldens.sort();
    paths.extend(goldens);
    json_files(&root.join("tests/diagnostics"), &mut paths)?;
    json_files(&root.join("tests/fuzz_models"), &mut paths)?;
    paths.push(root.join("models/ecs/service-2.json"));

    let mut models = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if bytes.len() > MAX_SEED_BYTES {
            continue;
        }
        // Models that are not JSON (the diagnostics test of a syntax error) are left to byte mutations.
        let Ok(service) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        let kind = if service.get("smithy").is_some_and(Value::is_string) {
            Kind::Smithy
        } else {
            Kind::Botocore
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut companions = Vec::new();
        for companion in Companion::ALL {
            let file = dir.join(companion.file_name());
            if let Ok(bytes) = std::fs::read(&file) {
                let value = serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
                companions.push((companion, value));
            }
        }
        // The model written for fuzzing has everything, so it is worth more than the diagnostics tests' one.
        let weight = if path.starts_with(root.join("tests/fuzz_models")) {
            3
        } else {
            1
        };
        models.push(Seed {
            label: codegen::config::relative_path(root, &path),
            kind,
            weight,
            service,
            companions,
        });
    }
    let read = |relative: &str| -> Result<Value, String> {
        let path = root.join(relative);
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    for kind in [Kind::Botocore, Kind::Smithy] {
        if !models.iter().any(|m| m.kind == kind) {
            return Err(format!("fuzz-models: no {} seed model found", kind.label()));
        }
    }
    Ok(Seeds {
        models,
        rule_set: read("tests/golden/endpoint_rules/endpoint-rule-set-1.json")?,
        partitions: read("models/ecs/partitions.json")?,
    })
}

/// A mutated model, ready to run.
struct Case {
    seed: usize,
    kind: Kind,
    input: ModelInput,
    operations: Option<Vec<String>>,
    full: bool,
    /// What was done to the seed, in words.
    log: Vec<String>,
    /// Each file as the generator reads it, parsed (`None` when it is not JSON), to check diagnostics' paths
    /// against.
    service_doc: Option<Value>,
    companion_docs: Vec<(Companion, Option<Value>)>,
}

impl Case {
    fn new(seeds: &Seeds, run_seed: u64, index: u64) -> Case {
        let mut rng = Rng::for_case(run_seed, index);
        // Half the cases for each kind, whatever the number of seeds of each.
        let kind = if rng.one_in(2) { Kind::Botocore } else { Kind::Smithy };
        let candidates: Vec<usize> = (0..seeds.models.len())
            .filter(|i| seeds.models.get(*i).is_some_and(|m| m.kind == kind))
            .flat_map(|i| std::iter::repeat_n(i, seeds.models.get(i).map_or(0, |m| m.weight)))
            .collect();
        let seed_index = rng.pick(&candidates).copied().unwrap_or(0);
        let Some(seed) = seeds.models.get(seed_index) else {
            unreachable!("load_seeds gives a seed of each kind")
        };
        let mut log = Vec::new();
        let mut service = seed.service.clone();
        let mut companions = seed.companions.clone();
        let has = |companions: &[(Companion, Value)], c| companions.iter().any(|(k, _)| *k == c);
        if kind == Kind::Botocore {
            if !has(&companions, Companion::Paginators) && rng.one_in(6) {
                companions.push((Companion::Paginators, synthetic_paginators(&service, &mut rng)));
                log.push("add a paginators-1.json naming the model's operations and members".to_owned());
            }
            if !has(&companions, Companion::Waiters) && rng.one_in(6) {
                companions.push((Companion::Waiters, synthetic_waiters(&service, &mut rng)));
                log.push("add a waiters-2.json naming the model's operations and members".to_owned());
            }
        }
        if !has(&companions, Companion::RuleSet) && rng.one_in(10) {
            companions.push((Companion::RuleSet, seeds.rule_set.clone()));
            log.push("add tests/golden/endpoint_rules/endpoint-rule-set-1.json".to_owned());
        }
        if !has(&companions, Companion::Partitions) && rng.one_in(10) {
            companions.push((Companion::Partitions, seeds.partitions.clone()));
            log.push("add models/ecs/partitions.json".to_owned());
        }
        // Which file is damaged: mostly the model, else one of the files beside it.
        let target = if companions.is_empty() || rng.below(4) != 0 {
            None
        } else {
            Some(rng.below(companions.len()))
        };
        let structural = !rng.one_in(20);
        if structural {
            match target.and_then(|i| companions.get_mut(i)) {
                None => mutate::mutate_model(&mut service, kind, &mut rng, &mut log),
                Some((companion, value)) => {
                    let names: Vec<String> = mutate::member_names(&service)
                        .into_iter()
                        .chain(mutate::operation_names(&service, kind))
                        .collect();
                    let start = log.len();
                    mutate::mutate_companion(value, &names, &mut rng, &mut log);
                    for line in log.iter_mut().skip(start) {
                        *line = format!("{}: {line}", companion.file_name());
                    }
                }
            }
        }
        let operations = rng.one_in(16).then(|| {
            let mut names = mutate::operation_names(&service, kind);
            names.retain(|_| rng.one_in(2));
            if rng.one_in(4) {
                names.push("NoSuchOperation".to_owned());
            }
            log.push(format!("keep operations {names:?}"));
            names
        });
        let full = rng.one_in(FULL_EVERY);
        let bytes_damaged = !structural || rng.one_in(10);
        let mut service_bytes = to_bytes(&service);
        let mut service_doc = Some(service);
        let mut companion_bytes: Vec<(Companion, Vec<u8>, Option<Value>)> = companions
            .into_iter()
            .map(|(c, v)| (c, to_bytes(&v), Some(v)))
            .collect();
        if bytes_damaged {
            let (bytes, doc, prefix) = match target.and_then(|i| companion_bytes.get_mut(i)) {
                None => (&mut service_bytes, &mut service_doc, String::new()),
                Some((companion, bytes, doc)) => (bytes, doc, format!("{}: ", companion.file_name())),
            };
            let start = log.len();
            mutate::mutate_bytes(bytes, &mut rng, &mut log);
            for line in log.iter_mut().skip(start) {
                *line = format!("{prefix}{line}");
            }
            *doc = serde_json::from_slice(bytes).ok();
        }
        let mut input = ModelInput::new(service_bytes);
        let mut companion_docs = Vec::new();
        for (companion, bytes, doc) in companion_bytes {
            let slot = match companion {
                Companion::RuleSet => &mut input.endpoint_rule_set,
                Companion::Partitions => &mut input.partitions,
                Companion::Paginators => &mut input.paginators,
                Companion::Waiters => &mut input.waiters,
            };
            *slot = Some(bytes);
            companion_docs.push((companion, doc));
        }
        Case {
            seed: seed_index,
            kind,
            input,
            operations,
            full,
            log,
            service_doc,
            companion_docs,
        }
    }

    /// Runs the generator on the case: lowering and passes, or all of `generate`. `Ok` holds the warnings of a
    /// model that generated, `Err` the diagnostics of one that did not.
    fn run(&self, options: &codegen::Options) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        if self.full {
            let options = codegen::Options {
                operations: self.operations.clone(),
                ..options.clone()
            };
            return codegen::generate(&self.input, &options)
                .map(|generated| generated.warnings)
                .map_err(|diagnostics| diagnostics.sorted());
        }
        let mut diagnostics = codegen::diagnostics::Diagnostics::default();
        let Some(service) = codegen::lower_model(&self.input, &mut diagnostics) else {
            return Err(diagnostics.sorted());
        };
        codegen::run_passes(service, diagnostics, self.operations.as_deref())
            .map(|(_, diagnostics)| diagnostics.sorted())
            .map_err(|diagnostics| diagnostics.sorted())
    }

    /// Why a diagnostic's path is not a path into the file it is about, if it is not.
    fn path_problem(&self, path: &str) -> Option<String> {
        let (file, pointer) = match path.strip_prefix('(').and_then(|rest| rest.split_once(')')) {
            Some((file, pointer)) => (Some(file), pointer),
            None => (None, path),
        };
        let doc = match file {
            None => self.service_doc.as_ref(),
            Some(file) => {
                let Some(companion) = Companion::ALL.into_iter().find(|c| c.file_name() == file) else {
                    return Some(format!("({file}) names no file the generator reads"));
                };
                match self.companion_docs.iter().find(|(c, _)| *c == companion) {
                    Some((_, doc)) => doc.as_ref(),
                    None => return Some(format!("({file}) is not given in this case")),
                }
            }
        };
        if pointer.is_empty() {
            // The empty pointer is the whole document (RFC 6901): right only when the document itself is wrong.
            return match doc {
                Some(Value::Object(_)) => Some("the whole document, which is a JSON object".to_owned()),
                _ => None,
            };
        }
        if !pointer.starts_with('/') {
            return Some("not a JSON pointer".to_owned());
        }
        let segments: Option<Vec<String>> = pointer
            .split('/')
            .skip(1)
            .map(|segment| {
                let unescaped = segment.replace("~1", "/").replace("~0", "~");
                // A `~` left over was not an escape.
                (segment.matches('~').count() == segment.matches("~0").count() + segment.matches("~1").count())
                    .then_some(unescaped)
            })
            .collect();
        let Some(segments) = segments else {
            return Some("a `~` that is not an escape".to_owned());
        };
        let Some(doc) = doc else {
            // A file that is not JSON has no values to point at; the syntax error's path is where parsing was.
            return None;
        };
        // The parent must exist: the last step may name what is missing.
        let parent = segments.split_last().map_or(&[][..], |(_, parent)| parent);
        let resolves = parent.iter().try_fold(doc, |value, segment| match value {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        });
        match resolves {
            Some(Value::Object(_) | Value::Array(_)) => None,
            Some(_) => Some("points inside a value that is neither an object nor an array".to_owned()),
            None => Some("points at nothing in the file".to_owned()),
        }
    }

    /// The files of the case, as `ModelInput::read` finds them beside the model.
    fn write(&self, dir: &Path, kind: Kind) -> Result<PathBuf, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let model = dir.join(match kind {
            Kind::Botocore => "service-2.json",
            Kind::Smithy => "model.json",
        });
        let mut files = vec![(model.clone(), self.input.service.clone())];
        for (companion, bytes) in [
            (Companion::RuleSet, &self.input.endpoint_rule_set),
            (Companion::Partitions, &self.input.partitions),
            (Companion::Paginators, &self.input.paginators),
            (Companion::Waiters, &self.input.waiters),
        ] {
            let path = dir.join(companion.file_name());
            match bytes {
                Some(bytes) => files.push((path, bytes.clone())),
                None => {
                    // A file of an earlier replay in the same directory would be read as this case's.
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        for (path, bytes) in files {
            std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(model)
    }
}

fn to_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

/// A `paginators-1.json` for a model without one: some of its operations, tokens named from its members.
fn synthetic_paginators(service: &Value, rng: &mut Rng) -> Value {
    let members = mutate::member_names(service);
    let operations = mutate::operation_names(service, Kind::Botocore);
    let name = |rng: &mut Rng| rng.pick(&members).cloned().unwrap_or_default();
    let mut pagination = serde_json::Map::new();
    for _ in 0..1 + rng.below(3) {
        let Some(operation) = rng.pick(&operations).cloned() else {
            break;
        };
        let entry = serde_json::json!({
            "input_token": name(rng),
            "output_token": if rng.one_in(3) { format!("{}.{}", name(rng), name(rng)) } else { name(rng) },
            "limit_key": name(rng),
            "result_key": if rng.one_in(3) { serde_json::json!([name(rng), name(rng)]) } else { name(rng).into() },
        });
        pagination.insert(operation, entry);
    }
    serde_json::json!({"pagination": pagination})
}

/// A `waiters-2.json` for a model without one: a waiter on one of its operations, paths through its members.
fn synthetic_waiters(service: &Value, rng: &mut Rng) -> Value {
    let members = mutate::member_names(service);
    let shapes: Vec<String> = service
        .get("shapes")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let operation = rng
        .pick(&mutate::operation_names(service, Kind::Botocore))
        .cloned()
        .unwrap_or_default();
    let member = |rng: &mut Rng| rng.pick(&members).cloned().unwrap_or_default();
    serde_json::json!({"version": 2, "waiters": {"Fuzzed": {
        "operation": operation,
        "delay": 1 + rng.below(10),
        "maxAttempts": 3,
        "acceptors": [
            {"matcher": "path", "argument": member(rng), "expected": "READY", "state": "success"},
            {"matcher": "pathAll", "argument": format!("{}[].{}", member(rng), member(rng)), "expected": "X", "state": "failure"},
            {"matcher": "pathAny", "argument": format!("length({}) > `0`", member(rng)), "expected": true, "state": "retry"},
            {"matcher": "error", "expected": rng.pick(&shapes).cloned().unwrap_or_default(), "state": "retry"},
            {"matcher": "status", "expected": 404, "state": "failure"}
        ]
    }}})
}

/// What one seed's cases came to.
#[derive(Clone, Debug, Default)]
struct Tally {
    cases: u64,
    generated: u64,
    rejected: u64,
    /// Of the rejected: the model's own bytes were not JSON.
    not_json: u64,
    full: u64,
    full_generated: u64,
    panics: u64,
    pathless: u64,
    hangs: u64,
    /// The longest case and its index, to see how far the others are from a hang.
    slowest: (Duration, u64),
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.generated += other.generated;
        self.rejected += other.rejected;
        self.not_json += other.not_json;
        self.full += other.full;
        self.full_generated += other.full_generated;
        self.panics += other.panics;
        self.pathless += other.pathless;
        self.hangs += other.hangs;
        self.slowest = self.slowest.max(other.slowest);
    }
}

/// A failed case, to print with the command that replays it.
struct Failure {
    case: u64,
    seed: String,
    what: String,
}

/// Failures kept for the report (all are counted).
const KEPT_FAILURES: usize = 30;

thread_local! {
    /// The last panic's message and place on this thread, recorded by the hook in place of printing it.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs a case, catching a panic; `None` as the result when it panicked (the message is the second part).
type Outcome = std::thread::Result<Result<Vec<Diagnostic>, Vec<Diagnostic>>>;

/// Workers' panics are recorded (and counted) instead of printed; other threads' panics print as before.
fn silence_worker_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name().is_some_and(|n| n.starts_with(WORKER)) {
                PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
            } else {
                previous(info);
            }
        }));
    });
}

/// The prefix of fuzzing threads' names.
const WORKER: &str = "fuzz-models: ";

/// Runs a case on a thread of its own, named after it: a stack overflow aborts the process, and the only trace it
/// leaves is Rust's message naming the thread (`thread 'fuzz-models: case 123 of seed 0x5eedf022' has overflowed
/// its stack`). The thread has the main thread's stack size, so that recursion that would overflow a
/// `cargo xtask codegen` overflows here. Starting a thread costs a few percent of a case.
fn run_in_own_thread(case: &Case, options: &codegen::Options, seed: u64, index: u64) -> (Outcome, Option<String>) {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name(format!("{WORKER}case {index} of seed {seed:#x}"))
            .stack_size(MAIN_STACK)
            .spawn_scoped(scope, || run_caught(case, options));
        match thread.map(|thread| thread.join()) {
            Ok(Ok(result)) => result,
            Ok(Err(payload)) => (
                Err(payload),
                Some("the case's thread panicked outside the case".to_owned()),
            ),
            Err(e) => {
                let payload: Box<dyn std::any::Any + Send> = Box::new(e.to_string());
                (Err(payload), Some(format!("cannot start the case's thread: {e}")))
            }
        }
    })
}

/// The stack of a program's main thread on Linux (8 MiB), where `cargo xtask codegen` runs the generator.
const MAIN_STACK: usize = 8 << 20;

fn run_caught(case: &Case, options: &codegen::Options) -> (Outcome, Option<String>) {
    caught(|| case.run(options))
}

/// `f`'s result, or its panic with the message the hook recorded (on a worker thread).
fn caught<T>(f: impl FnOnce() -> T) -> (std::thread::Result<T>, Option<String>) {
    PANIC.with(|p| p.borrow_mut().take());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let message = PANIC.with(|p| p.borrow_mut().take());
    (outcome, message)
}

fn generator_options() -> codegen::Options {
    codegen::Options {
        runtime_path: "../runtime".to_owned(),
        standalone: true,
        ..codegen::Options::default()
    }
}

/// The per-thread state the watchdog reads: the case running (index + 1; 0 between cases) and since when (ms
/// since the start).
struct Running {
    case: AtomicU64,
    since_ms: AtomicU64,
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let seeds = Arc::new(load_seeds(root)?);
    let threads = options.threads.max(1);
    let start = Instant::now();
    println!(
        "fuzz-models: seed {:#x}, {} cases on {threads} threads over {} seed models; each case lowers and runs \
         the passes, 1 in {FULL_EVERY} also emits and formats (codegen::generate)",
        options.seed,
        options.cases,
        seeds.models.len()
    );
    silence_worker_panics();
    let failures: Arc<Mutex<Vec<Failure>>> = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicU64::new(0));
    let finished = Arc::new(AtomicBool::new(false));
    let running: Arc<Vec<Running>> = Arc::new(
        (0..threads)
            .map(|_| Running {
                case: AtomicU64::new(0),
                since_ms: AtomicU64::new(0),
            })
            .collect(),
    );
    let watchdog = {
        let (done, finished, running, seed, cases) = (
            done.clone(),
            finished.clone(),
            running.clone(),
            options.seed,
            options.cases,
        );
        std::thread::spawn(move || watchdog(start, &done, &finished, &running, seed, cases))
    };
    let mut workers = Vec::new();
    for thread in 0..threads {
        let (seeds, failures, done, running) = (seeds.clone(), failures.clone(), done.clone(), running.clone());
        let (run_seed, cases, trace) = (options.seed, options.cases, options.trace);
        let worker = std::thread::Builder::new()
            .name(format!("{WORKER}{thread}"))
            .spawn(move || {
                let generator = generator_options();
                let mut tallies = vec![Tally::default(); seeds.models.len()];
                let mut reasons: HashMap<(Kind, String), u64> = HashMap::new();
                let me = running.get(thread);
                // Each thread takes every `threads`-th case, so slow stretches of cases are shared.
                for index in (thread as u64..cases).step_by(threads) {
                    if trace {
                        eprintln!("case {index}");
                    }
                    let case = Case::new(&seeds, run_seed, index);
                    if let Some(me) = me {
                        me.since_ms.store(start.elapsed().as_millis() as u64, Ordering::Relaxed);
                        me.case.store(index + 1, Ordering::Relaxed);
                    }
                    let began = Instant::now();
                    let (outcome, message) = run_in_own_thread(&case, &generator, run_seed, index);
                    let took = began.elapsed();
                    if let Some(me) = me {
                        me.case.store(0, Ordering::Relaxed);
                    }
                    let Some(tally) = tallies.get_mut(case.seed) else {
                        continue;
                    };
                    tally.slowest = tally.slowest.max((took, index));
                    let mut found = Vec::new();
                    tally.cases += 1;
                    if case.full {
                        tally.full += 1;
                    }
                    match outcome {
                        Err(_) => {
                            tally.panics += 1;
                            found.push(format!("panic: {}", cut(&message.unwrap_or_default())));
                        }
                        Ok(result) => {
                            let diagnostics = match &result {
                                Ok(warnings) => {
                                    tally.generated += 1;
                                    if case.full {
                                        tally.full_generated += 1;
                                    }
                                    warnings
                                }
                                Err(diagnostics) => {
                                    tally.rejected += 1;
                                    if case.service_doc.is_none() {
                                        tally.not_json += 1;
                                    }
                                    if let Some(first) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
                                        *reasons.entry((case.kind, reason(&first.message))).or_default() += 1;
                                    }
                                    diagnostics
                                }
                            };
                            for diagnostic in diagnostics {
                                if let Some(problem) = case.path_problem(&diagnostic.path) {
                                    tally.pathless += 1;
                                    found.push(format!(
                                        "path {:?} ({problem}): {}",
                                        diagnostic.path,
                                        cut(&diagnostic.to_string())
                                    ));
                                }
                            }
                        }
                    }
                    if took > HANG {
                        tally.hangs += 1;
                        found.push(format!("took {:.1} s", took.as_secs_f64()));
                    }
                    if !found.is_empty() {
                        let mut failures = failures.lock().unwrap_or_else(|e| e.into_inner());
                        if failures.len() < KEPT_FAILURES {
                            let seed = seeds.models.get(case.seed).map(|s| s.label.clone()).unwrap_or_default();
                            failures.extend(found.into_iter().map(|what| Failure {
                                case: index,
                                seed: seed.clone(),
                                what,
                            }));
                        }
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
                (tallies, reasons)
            })
            .map_err(|e| format!("cannot start a fuzzing thread: {e}"))?;
        workers.push(worker);
    }
    let mut tallies = vec![Tally::default(); seeds.models.len()];
    let mut reasons: HashMap<(Kind, String), u64> = HashMap::new();
    for worker in workers {
        let (thread_tallies, thread_reasons) = worker
            .join()
            .map_err(|_| "a fuzzing thread panicked outside a case".to_owned())?;
        for (total, tally) in tallies.iter_mut().zip(&thread_tallies) {
            total.add(tally);
        }
        for (reason, count) in thread_reasons {
            *reasons.entry(reason).or_default() += count;
        }
    }
    finished.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    let elapsed = start.elapsed();

    println!(
        "{:<9} {:<46} {:>8} {:>9} {:>9} {:>9} {:>7} {:>9}",
        "kind", "seed", "cases", "generated", "rejected", "(not JSON)", "full", "(full ok)"
    );
    for kind in [Kind::Botocore, Kind::Smithy] {
        let mut total = Tally::default();
        for (seed, tally) in seeds.models.iter().zip(&tallies).filter(|(s, _)| s.kind == kind) {
            print_tally(kind.label(), &seed.label, tally);
            total.add(tally);
        }
        print_tally(kind.label(), "all", &total);
    }
    let mut total = Tally::default();
    for tally in &tallies {
        total.add(tally);
    }
    for kind in [Kind::Botocore, Kind::Smithy] {
        let mut top: Vec<(&String, &u64)> = reasons
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|((_, r), n)| (r, n))
            .collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!(
            "{} cases rejected, by their first error (the {REASONS} most common):",
            kind.label()
        );
        for (reason, count) in top.into_iter().take(REASONS) {
            println!("  {count:>8}  {reason}");
        }
    }
    let failures = failures.lock().unwrap_or_else(|e| e.into_inner());
    for failure in failures.iter() {
        println!(
            "FAIL case {} ({}; replay: cargo xtask fuzz-models --seed {:#x} --case {}): {}",
            failure.case, failure.seed, options.seed, failure.case, failure.what
        );
    }
    if failures.len() >= KEPT_FAILURES {
        println!("(the first {KEPT_FAILURES} failures are listed)");
    }
    println!(
        "{:.1} s, {:.0} µs a case on average (wall time by threads); the slowest, case {}, {:.0} ms",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 * threads as f64 / total.cases.max(1) as f64,
        total.slowest.1,
        total.slowest.0.as_secs_f64() * 1000.0
    );
    println!(
        "{} cases, {} panics, {} errors without a path, {} hangs",
        total.cases, total.panics, total.pathless, total.hangs
    );
    if total.panics + total.pathless + total.hangs > 0 {
        return Err("fuzz-models: failures (each listed with the command that replays it)".to_owned());
    }
    Ok(())
}

/// A line for the report, cut short: messages may quote a value of the model, which a mutation made long.
fn cut(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}... ({} bytes)", &text[..at], text.len()),
        None => text.to_owned(),
    }
}

/// How many of the most common reasons for rejection are listed for each kind.
const REASONS: usize = 12;

/// A diagnostic's message without what it quotes of the model, so that messages of one check count together.
fn reason(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = None;
    for c in message.chars() {
        match quoted {
            Some(end) if c == end => quoted = None,
            Some(_) => {}
            None if c == '"' || c == '`' => {
                quoted = Some(c);
                out.push_str("..");
            }
            None => out.push(c),
        }
    }
    let out: String = out
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .chars()
        .take(90)
        .collect();
    out
}

fn print_tally(kind: &str, label: &str, tally: &Tally) {
    println!(
        "{kind:<9} {label:<46} {:>8} {:>9} {:>9} {:>10} {:>7} {:>9}",
        tally.cases, tally.generated, tally.rejected, tally.not_json, tally.full, tally.full_generated
    );
}

/// Progress every tenth of the run, and the end of a run a case will not let finish.
fn watchdog(start: Instant, done: &AtomicU64, finished: &AtomicBool, running: &[Running], seed: u64, cases: u64) {
    let mut next_report = 1;
    while !finished.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        let count = done.load(Ordering::Relaxed);
        if cases >= 100_000 && count * 10 >= next_report * cases && next_report < 10 {
            eprintln!(
                "fuzz-models: {count} of {cases} cases, {:.0} s",
                start.elapsed().as_secs_f64()
            );
            next_report += 1;
        }
        let now_ms = start.elapsed().as_millis() as u64;
        for slot in running {
            let case = slot.case.load(Ordering::Relaxed);
            let since = slot.since_ms.load(Ordering::Relaxed);
            if case > 0 && now_ms.saturating_sub(since) > ABANDON.as_millis() as u64 {
                println!(
                    "FAIL case {} (replay: cargo xtask fuzz-models --seed {seed:#x} --case {}): has run for {} s: a hang",
                    case - 1,
                    case - 1,
                    ABANDON.as_secs()
                );
                println!("{count} cases, ? panics, ? errors without a path, 1 hangs (run abandoned)");
                std::process::exit(1);
            }
        }
    }
}

/// `--case I`: one case, its mutations listed and its files written to `out`, run with panics printed as usual.
pub fn replay(root: &Path, seed: u64, index: u64, out: &Path) -> Result<(), String> {
    let seeds = load_seeds(root)?;
    let case = Case::new(&seeds, seed, index);
    let Some(seed_model) = seeds.models.get(case.seed) else {
        return Err("no such seed".to_owned());
    };
    println!(
        "case {index} of seed {seed:#x}: {} ({})",
        seed_model.label,
        seed_model.kind.label()
    );
    for line in &case.log {
        println!("  {line}");
    }
    let model = case.write(out, seed_model.kind)?;
    let operations = case
        .operations
        .as_ref()
        .map(|ops| format!(" --operations {}", ops.join(",")))
        .unwrap_or_default();
    println!(
        "wrote {}; generate with: cargo xtask codegen --model {}{operations} --out {}",
        model.display(),
        model.display(),
        out.join("crate").display()
    );
    let started = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| case.run(&generator_options())));
    let took = started.elapsed();
    let mut problems = 0;
    match result {
        Err(_) => {
            println!("panicked (above)");
            problems += 1;
        }
        Ok(result) => {
            let (verdict, diagnostics) = match &result {
                Ok(warnings) => ("generated", warnings),
                Err(diagnostics) => ("rejected", diagnostics),
            };
            let how = if case.full {
                "codegen::generate"
            } else {
                "lowering and passes"
            };
            println!("{verdict} ({how}, {:.1} ms)", took.as_secs_f64() * 1000.0);
            for diagnostic in diagnostics {
                match case.path_problem(&diagnostic.path) {
                    Some(problem) => {
                        problems += 1;
                        println!("  {diagnostic}    <-- path {:?}: {problem}", diagnostic.path);
                    }
                    None => println!("  {diagnostic}"),
                }
            }
        }
    }
    if took > HANG {
        problems += 1;
        println!("took {:.1} s: a hang", took.as_secs_f64());
    }
    if problems > 0 {
        return Err(format!("case {index}: {problems} problem(s)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
    }

    fn case_with(service: Value, paginators: Option<Value>) -> Case {
        Case {
            seed: 0,
            kind: Kind::Botocore,
            input: ModelInput::new(Vec::new()),
            operations: None,
            full: false,
            log: Vec::new(),
            service_doc: Some(service),
            companion_docs: paginators
                .map(|p| vec![(Companion::Paginators, Some(p))])
                .unwrap_or_default(),
        }
    }

    #[test]
    fn paths_must_point_into_their_file() {
        let case = case_with(
            serde_json::json!({"shapes": {"a/b": {"members": {}}}, "list": [1]}),
            Some(serde_json::json!({"pagination": {}})),
        );
        for fine in [
            "/shapes",
            "/shapes/a~1b/members",
            "/shapes/a~1b/members/missing",
            "/list/0",
            "/metadata",
            "(paginators-1.json)/pagination/ListThings",
        ] {
            assert_eq!(case.path_problem(fine), None, "{fine}");
        }
        for wrong in [
            "",
            "shapes",
            "(output) src/lib.rs",
            "(prelude) smithy.api#String",
            "(paginators-1.json)",
            "/shapes/a/b/members",
            "/shapes/a~2b",
            "/nothing/here",
            "(waiters-2.json)/waiters",
            "/list/0/x",
        ] {
            assert!(case.path_problem(wrong).is_some(), "{wrong}");
        }
        // A document that is not an object is wrong as a whole.
        let not_an_object = case_with(serde_json::json!([1]), None);
        assert_eq!(not_an_object.path_problem(""), None);
    }

    #[test]
    fn a_case_is_the_same_every_time() {
        let seeds = load_seeds(&repo_root()).unwrap();
        for index in [0, 1, 17, 999] {
            let (a, b) = (Case::new(&seeds, 3, index), Case::new(&seeds, 3, index));
            assert_eq!(a.input.service, b.input.service);
            assert_eq!(a.input.paginators, b.input.paginators);
            assert_eq!(a.log, b.log);
        }
    }

    #[test]
    fn panics_on_workers_are_recorded_not_printed() {
        silence_worker_panics();
        let worker = std::thread::Builder::new().name(format!("{WORKER}test"));
        let (outcome, message) = worker
            .spawn(|| caught(|| -> u8 { panic!("boom") }))
            .unwrap()
            .join()
            .unwrap();
        assert!(outcome.is_err());
        let message = message.unwrap();
        assert!(
            message.contains("boom") && message.contains("fuzz_models.rs"),
            "{message}"
        );
    }

    /// A short run in the test suite; `cargo xtask fuzz-models` runs long ones.
    #[test]
    fn a_short_run_finds_nothing() {
        let options = Options {
            cases: 300,
            seed: DEFAULT_SEED,
            threads: 2,
            trace: false,
        };
        run(&repo_root(), &options).unwrap();
    }
}
