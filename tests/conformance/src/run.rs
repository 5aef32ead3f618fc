//! The whole run: suites -> models -> crates (through `codegen::generate`) -> one cargo workspace with the
//! harness -> one build -> one harness run -> comparisons -> [`Report`].

use crate::compare::check_case;
use crate::harness::{self, HarnessCase, HarnessCrate};
use crate::model::{assemble, SuiteModel};
use crate::suite::{parse_file, Direction, Suite, SuiteFile, DEFAULT_FILES, LEGACY_FILES};
use crate::values::{params_to_wire, Shapes};
use crate::{CaseReport, FileReport, Report};
use codegen::config::relative_path;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// What to run and where.
#[derive(Clone, Debug)]
pub struct Options {
    /// The `botocore-protocols` directory (`input/`, `output/`, `legacy/`).
    pub suites_dir: PathBuf,
    /// Where the conformance workspace is written and built (`target/conformance`).
    pub work_dir: PathBuf,
    /// The runtime crate the generated crates depend on.
    pub runtime_dir: PathBuf,
    /// Copied into the conformance workspace so it builds with the repository's dependency versions.
    pub lockfile: Option<PathBuf>,
    /// Runs only cases whose file path, suite description or case id contains this, or one of its
    /// comma-separated parts (`KitchenSink,JsonUnions`).
    pub filter: Option<String>,
    /// Also runs `legacy/{input,output}/json.json`.
    pub legacy: bool,
    /// The cargo to build with.
    pub cargo: PathBuf,
    /// Progress on stderr (generation, build, run).
    pub progress: bool,
}

impl Options {
    /// The defaults for the repository at `root`: suites in `../shared/testsuites/botocore-protocols`,
    /// the workspace in `target/conformance`, `$CARGO` (else `cargo`).
    pub fn for_repo(root: &Path) -> Options {
        Options {
            suites_dir: root.join("../shared/testsuites/botocore-protocols"),
            work_dir: root.join("target/conformance"),
            runtime_dir: root.join("runtime"),
            lockfile: Some(root.join("Cargo.lock")),
            filter: None,
            legacy: false,
            cargo: std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from),
            progress: true,
        }
    }
}

/// A case chosen to run: where it is, and its key in `cases.json` and the harness output.
struct Planned {
    file: usize,
    suite: usize,
    case: usize,
    key: String,
}

/// A generated crate and the cases it runs.
struct PlannedCrate {
    harness: HarnessCrate,
    files: Vec<(String, String)>,
}

/// Whether the filter selects a case: one of its comma-separated parts is a substring of the file path, the
/// suite description or the case id.
pub fn selects(filter: Option<&str>, file: &SuiteFile, suite: &Suite, id: &str) -> bool {
    filter.is_none_or(|filter| {
        filter
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .any(|f| file.path.contains(f) || suite.description.contains(f) || id.contains(f))
    })
}

/// The package name of the crate made from model `model` of suite `suite` of `file`:
/// `input/json_1_0.json`, 3, 0 -> `cf-input-json-1-0-s03-m0`.
pub fn crate_package(file: &str, suite: usize, model: usize) -> String {
    let stem = file.strip_suffix(".json").unwrap_or(file);
    let mut slug = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    format!("cf-{}-s{suite:02}-m{model}", slug.trim_matches('-'))
}

/// What the harness gets for a case: converted `params` and the endpoint, or the `response`.
pub fn case_data(direction: Direction, suite: &Suite, case: &crate::suite::Case) -> Value {
    match direction {
        Direction::Input => {
            let shape = case.operation_shape(Direction::Input);
            let params = case.raw.get("params").cloned().unwrap_or_else(|| json!({}));
            json!({
                "params": params_to_wire(Shapes(&suite.shapes), shape, &params),
                "endpoint": suite.client_endpoint.as_deref().unwrap_or("https://example.com"),
            })
        }
        Direction::Output => json!({ "response": case.raw.get("response").cloned().unwrap_or(Value::Null) }),
    }
}

fn log(options: &Options, message: &str) {
    if options.progress {
        eprintln!("conformance: {message}");
    }
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))
}

/// Runs the selected cases; `Err` only when the run itself cannot happen (unreadable suites, a build that fails
/// for a reason no single generated crate explains). Failing cases are in the report.
pub fn run(options: &Options) -> Result<Report, String> {
    let work_dir = absolute(&options.work_dir)?;
    let runtime_dir = absolute(&options.runtime_dir)?;
    let started = Instant::now();
    let mut names: Vec<&str> = DEFAULT_FILES.to_vec();
    if options.legacy {
        names.extend(LEGACY_FILES);
    }
    let mut files = Vec::new();
    for name in names {
        let path = options.suites_dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.push(parse_file(name, &text)?);
    }

    // Models and crates.
    let mut planned = Vec::new();
    let mut outcomes: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    let mut crates: Vec<PlannedCrate> = Vec::new();
    let mut notes = BTreeSet::new();
    for (fi, file) in files.iter().enumerate() {
        for (si, suite) in file.suites.iter().enumerate() {
            let chosen: Vec<usize> = (0..suite.cases.len())
                .filter(|&ci| selects(options.filter.as_deref(), file, suite, &suite.cases[ci].id))
                .collect();
            for (mi, model) in assemble(suite, &chosen).into_iter().enumerate() {
                let keys: Vec<Planned> = model
                    .cases
                    .iter()
                    .map(|&ci| Planned {
                        file: fi,
                        suite: si,
                        case: ci,
                        key: format!("{fi}:{si}:{ci}"),
                    })
                    .collect();
                if !model.filled_metadata.is_empty() {
                    notes.insert(format!(
                        "{}: the suites give no {} (filled for the generator; not under test)",
                        file.path,
                        model.filled_metadata.join(", ")
                    ));
                }
                let package = crate_package(&file.path, si, mi);
                match generate(&package, file, si, suite, &model, &keys, &work_dir, &runtime_dir) {
                    Ok((planned_crate, warnings)) => {
                        for w in warnings {
                            notes.insert(format!("{} ({package}): generator warning: {w}", file.path));
                        }
                        crates.push(planned_crate);
                    }
                    Err(reason) => {
                        for k in &keys {
                            outcomes.insert(k.key.clone(), Err(reason.clone()));
                        }
                    }
                }
                planned.extend(keys);
            }
        }
    }
    log(
        options,
        &format!(
            "{} cases, {} crates generated in {:.1} s",
            planned.len(),
            crates.len(),
            started.elapsed().as_secs_f64()
        ),
    );

    let mut actuals = BTreeMap::new();
    if !crates.is_empty() {
        write_workspace(options, &work_dir, &runtime_dir, &crates)?;
        let built = build(options, &work_dir, &runtime_dir, &mut crates, &mut outcomes)?;
        if built {
            let mut data = Map::new();
            let mut order = Vec::new();
            for c in &crates {
                for case in &c.harness.cases {
                    let p = planned
                        .iter()
                        .find(|p| p.key == case.key)
                        .ok_or_else(|| format!("internal: unplanned case {}", case.key))?;
                    let file = &files[p.file];
                    let suite = &file.suites[p.suite];
                    data.insert(case.key.clone(), case_data(file.direction, suite, &suite.cases[p.case]));
                    order.push(case.key.clone());
                }
            }
            actuals = run_harness(options, &work_dir, data, &order, &mut outcomes)?;
        }
    }

    // Judge and report, in file, suite and case order.
    planned.sort_by_key(|p| (p.file, p.suite, p.case));
    let mut report = Report {
        files: Vec::new(),
        notes: notes.into_iter().collect(),
    };
    for (fi, file) in files.iter().enumerate() {
        let mut cases = Vec::new();
        for p in planned.iter().filter(|p| p.file == fi) {
            let suite = &file.suites[p.suite];
            let case = &suite.cases[p.case];
            let outcome = match (outcomes.get(&p.key), actuals.get(&p.key)) {
                (Some(decided), _) => decided.clone(),
                (None, Some(actual)) => check_case(file.direction, suite, case, actual),
                (None, None) => Err("the harness did not run this case".to_owned()),
            };
            cases.push(CaseReport {
                id: case.id.clone(),
                suite: suite.description.clone(),
                outcome,
            });
        }
        if !cases.is_empty() {
            report.files.push(FileReport {
                path: file.path.clone(),
                cases,
            });
        }
    }
    log(options, &format!("done in {:.1} s", started.elapsed().as_secs_f64()));
    Ok(report)
}

/// Generates one model's crate; `Err` is the reason every case of the model fails.
#[allow(clippy::too_many_arguments)]
fn generate(
    package: &str,
    file: &SuiteFile,
    suite_index: usize,
    suite: &Suite,
    model: &SuiteModel,
    keys: &[Planned],
    work_dir: &Path,
    runtime_dir: &Path,
) -> Result<(PlannedCrate, Vec<String>), String> {
    let bytes = serde_json::to_vec_pretty(&model.model).map_err(|e| e.to_string())?;
    let crate_dir = work_dir.join("crates").join(package);
    let label = format!("{} suite {suite_index} ({})", file.path, suite.description);
    let options = codegen::Options {
        crate_name: Some(package.to_owned()),
        model_label: format!("{} suite {suite_index}", file.path),
        regenerate_command: "cargo xtask conformance".to_owned(),
        runtime_path: relative_path(&crate_dir, runtime_dir),
        ..codegen::Options::default()
    };
    let one_line = |diagnostics: &codegen::diagnostics::Diagnostics| {
        diagnostics.to_string().lines().take(3).collect::<Vec<_>>().join("; ")
    };
    let generated = codegen::generate(&codegen::frontend::ModelInput::new(bytes.clone()), &options)
        .map_err(|d| format!("the generator rejects the suite's model: {}", one_line(&d)))?;
    // The harness names the crate's types from the same IR the crate was emitted from.
    let service = generated.service;
    let mut files = generated.files;
    files.push((
        "model.json".to_owned(),
        String::from_utf8_lossy(&bytes).into_owned() + "\n",
    ));
    let cases = keys
        .iter()
        .map(|k| HarnessCase {
            key: k.key.clone(),
            direction: file.direction,
            operation: suite.cases[k.case].operation_name().to_owned(),
        })
        .collect();
    let harness = HarnessCrate {
        package: package.to_owned(),
        label,
        operations: harness::operation_types(&service),
        cases,
    };
    // Checked here so that a case naming an operation the crate lacks fails alone, not the harness.
    harness::crate_module(&harness)?;
    let warnings = generated.warnings.iter().map(ToString::to_string).collect();
    Ok((PlannedCrate { harness, files }, warnings))
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read(path).is_ok_and(|existing| existing == contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes every crate (only files whose contents changed, so cargo rebuilds only those), removes crates of
/// earlier runs, and writes the workspace manifest and lockfile.
fn write_workspace(
    options: &Options,
    work_dir: &Path,
    runtime_dir: &Path,
    crates: &[PlannedCrate],
) -> Result<(), String> {
    let crates_dir = work_dir.join("crates");
    let packages: Vec<String> = crates.iter().map(|c| c.harness.package.clone()).collect();
    for c in crates {
        let dir = crates_dir.join(&c.harness.package);
        codegen::write::sync_dir(&dir, &c.files, false, true)
            .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    }
    if let Ok(entries) = std::fs::read_dir(&crates_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !packages.contains(&name) && entry.path().is_dir() {
                std::fs::remove_dir_all(entry.path())
                    .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            }
        }
    }
    write(&work_dir.join("Cargo.toml"), &harness::workspace_manifest(&packages))?;
    write_harness(work_dir, runtime_dir, crates)?;
    if let Some(lockfile) = &options.lockfile {
        let lock = std::fs::read_to_string(lockfile).map_err(|e| format!("cannot read {}: {e}", lockfile.display()))?;
        write(&work_dir.join("Cargo.lock"), &lock)?;
    }
    Ok(())
}

fn write_harness(work_dir: &Path, runtime_dir: &Path, crates: &[PlannedCrate]) -> Result<(), String> {
    let harness_dir = work_dir.join("harness");
    let in_harness: Vec<HarnessCrate> = crates.iter().map(|c| c.harness.clone()).collect();
    let files = harness::harness_files(&in_harness, &relative_path(&harness_dir, runtime_dir))?;
    codegen::write::sync_dir(&harness_dir, &files, false, true)
        .map_err(|e| format!("cannot write {}: {e}", harness_dir.display()))?;
    Ok(())
}

/// One error the compiler reported, as cargo's JSON messages give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// The target's name (`cf_input_json_s07_m0`, `awsgen-conformance-harness`).
    pub target: String,
    /// Files the error points into.
    pub files: Vec<String>,
    /// The error's first line.
    pub message: String,
    /// The whole rendered diagnostic.
    pub rendered: String,
}

/// The errors in the output of `cargo build --message-format=json`.
pub fn compile_errors(cargo_stdout: &str) -> Vec<CompileError> {
    cargo_stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
        .map(|m| {
            let message = &m["message"];
            let files = message["spans"]
                .as_array()
                .map(|spans| {
                    spans
                        .iter()
                        .filter_map(|s| s["file_name"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            CompileError {
                target: m["target"]["name"].as_str().unwrap_or_default().to_owned(),
                files,
                message: message["message"].as_str().unwrap_or_default().to_owned(),
                rendered: message["rendered"].as_str().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

/// Which crates the errors blame: a generated crate that does not compile, or the harness module of a crate
/// whose types do not fit the drivers. Each blamed package comes with its first error's message.
pub fn blame(errors: &[CompileError], packages: &[String]) -> BTreeMap<String, String> {
    let mut blamed = BTreeMap::new();
    let lib = |p: &str| p.replace('-', "_");
    for error in errors.iter().filter(|e| !e.files.is_empty()) {
        if let Some(package) = packages.iter().find(|p| lib(p) == lib(&error.target)) {
            blamed
                .entry(package.clone())
                .or_insert_with(|| format!("the generated crate does not compile: {}", error.message));
        } else if lib(&error.target) == lib(harness::PACKAGE) {
            let module = |p: &str| format!("m_{}.rs", lib(p));
            if let Some(package) = packages
                .iter()
                .find(|p| error.files.iter().any(|f| f.ends_with(&module(p))))
            {
                blamed.entry(package.clone()).or_insert_with(|| {
                    format!(
                        "the harness does not compile against the generated types: {}",
                        error.message
                    )
                });
            }
        }
    }
    blamed
}

/// Builds the harness and every crate it depends on, once; a crate that does not compile (or that the harness
/// cannot use) fails its cases and is left out of the harness, which is then built again. Returns whether the
/// harness was built (false when no crate is left).
fn build(
    options: &Options,
    work_dir: &Path,
    runtime_dir: &Path,
    crates: &mut Vec<PlannedCrate>,
    outcomes: &mut BTreeMap<String, Result<(), String>>,
) -> Result<bool, String> {
    loop {
        let started = Instant::now();
        log(options, &format!("building {} crates and the harness", crates.len()));
        let output = Command::new(&options.cargo)
            .arg("build")
            .arg("--manifest-path")
            .arg(work_dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(work_dir.join("target"))
            .args(["--package", harness::PACKAGE, "--keep-going", "--message-format=json"])
            .env_remove("CARGO_TARGET_DIR")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", options.cargo.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if output.status.success() {
            log(options, &format!("built in {:.1} s", started.elapsed().as_secs_f64()));
            return Ok(true);
        }
        let errors = compile_errors(&stdout);
        let packages: Vec<String> = crates.iter().map(|c| c.harness.package.clone()).collect();
        let blamed = blame(&errors, &packages);
        if blamed.is_empty() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let rendered: Vec<&str> = errors.iter().take(3).map(|e| e.rendered.as_str()).collect();
            let tail: Vec<&str> = stderr
                .lines()
                .rev()
                .take(15)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return Err(format!(
                "cargo build of {} failed:\n{}\n{}",
                work_dir.display(),
                rendered.join("\n"),
                tail.join("\n")
            ));
        }
        for (package, reason) in &blamed {
            log(options, &format!("{package}: {reason}"));
        }
        crates.retain(|c| match blamed.get(&c.harness.package) {
            Some(reason) => {
                for case in &c.harness.cases {
                    outcomes.insert(case.key.clone(), Err(reason.clone()));
                }
                false
            }
            None => true,
        });
        if crates.is_empty() {
            return Ok(false);
        }
        write_harness(work_dir, runtime_dir, crates)?;
    }
}

/// Runs the harness on `data`; a case the harness did not report because the process died (an abort, a stack
/// overflow) fails with that, and the harness runs again for the cases after it.
fn run_harness(
    options: &Options,
    work_dir: &Path,
    mut data: Map<String, Value>,
    order: &[String],
    outcomes: &mut BTreeMap<String, Result<(), String>>,
) -> Result<BTreeMap<String, Value>, String> {
    let binary = work_dir
        .join("target/debug")
        .join(format!("{}{}", harness::PACKAGE, std::env::consts::EXE_SUFFIX));
    let cases_path = work_dir.join("cases.json");
    let mut actuals = BTreeMap::new();
    while !data.is_empty() {
        let text = serde_json::to_string_pretty(&Value::Object(data.clone())).map_err(|e| e.to_string())?;
        write(&cases_path, &text)?;
        log(options, &format!("running {} cases", data.len()));
        let output = Command::new(&binary)
            .arg(&cases_path)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let mut ready = false;
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(result) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            ready |= result["ready"] == true;
            if let Some(key) = result["key"].as_str() {
                data.remove(key);
                actuals.insert(key.to_owned(), result["actual"].clone());
            }
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !ready {
            return Err(format!(
                "the harness {} did not start ({}): {stderr}",
                binary.display(),
                output.status
            ));
        }
        let Some(culprit) = order.iter().find(|k| data.contains_key(*k)) else {
            break;
        };
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        outcomes.insert(
            culprit.clone(),
            Err(format!(
                "the harness process died running this case ({}){}",
                output.status,
                last.map(|l| format!(": {l}")).unwrap_or_default()
            )),
        );
        data.remove(culprit);
    }
    Ok(actuals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid_and_distinct() {
        assert_eq!(crate_package("input/json.json", 7, 0), "cf-input-json-s07-m0");
        assert_eq!(
            crate_package("output/json_1_0-query-compatible.json", 1, 2),
            "cf-output-json-1-0-query-compatible-s01-m2"
        );
        assert_eq!(
            crate_package("legacy/input/json.json", 10, 0),
            "cf-legacy-input-json-s10-m0"
        );
    }

    fn file() -> SuiteFile {
        let text = r#"[{"description": "Test cases for KitchenSinkOperation operation",
            "metadata": {}, "clientEndpoint": "https://example.com/custom",
            "shapes": {"In": {"type": "structure", "members": {"Blob": {"shape": "B"}}}, "B": {"type": "blob"}},
            "cases": [
              {"id": "serializes_blob_shapes", "given": {"name": "K", "input": {"shape": "In"}},
               "params": {"Blob": "binary-value"}},
              {"id": "no_params", "given": {"name": "K"}}
            ]}]"#;
        parse_file("input/json.json", text).unwrap()
    }

    #[test]
    fn the_filter_matches_file_suite_or_id() {
        let f = file();
        let s = &f.suites[0];
        for filter in [None, Some("input/"), Some("KitchenSink"), Some("blob")] {
            assert!(selects(filter, &f, s, "serializes_blob_shapes"), "{filter:?}");
        }
        assert!(!selects(Some("output/"), &f, s, "serializes_blob_shapes"));
        assert!(!selects(Some("Blob"), &f, s, "serializes_blob_shapes"));
        assert!(selects(
            Some("JsonUnions, KitchenSink"),
            &f,
            s,
            "serializes_blob_shapes"
        ));
        assert!(!selects(Some("JsonUnions,,Blob"), &f, s, "serializes_blob_shapes"));
    }

    #[test]
    fn case_data_converts_params_and_names_the_endpoint() {
        let f = file();
        let s = &f.suites[0];
        assert_eq!(
            case_data(Direction::Input, s, &s.cases[0]),
            json!({"params": {"Blob": "YmluYXJ5LXZhbHVl"}, "endpoint": "https://example.com/custom"})
        );
        assert_eq!(
            case_data(Direction::Input, s, &s.cases[1]),
            json!({"params": {}, "endpoint": "https://example.com/custom"})
        );
        let response = crate::suite::Case {
            id: "r".to_owned(),
            raw: json!({"given": {}, "response": {"status_code": 200, "body": "{}"}}),
        };
        assert_eq!(
            case_data(Direction::Output, s, &response),
            json!({"response": {"status_code": 200, "body": "{}"}})
        );
    }

    #[test]
    fn compile_errors_are_blamed_on_crates_or_harness_modules() {
        let messages = [
            json!({"reason": "compiler-message", "target": {"name": "cf_input_json_s01_m0"},
                   "message": {"level": "error", "message": "cannot find type `X`", "rendered": "error: X",
                               "spans": [{"file_name": "crates/cf-input-json-s01-m0/src/types.rs"}]}}),
            json!({"reason": "compiler-message", "target": {"name": "cf_input_json_s01_m0"},
                   "message": {"level": "error", "message": "aborting", "rendered": "", "spans": []}}),
            json!({"reason": "compiler-message", "target": {"name": "awsgen-conformance-harness"},
                   "message": {"level": "error", "message": "the trait bound is not satisfied", "rendered": "",
                               "spans": [{"file_name": "harness/src/m_cf_output_json_s02_m0.rs"}]}}),
            json!({"reason": "compiler-message", "target": {"name": "cf_input_json_s03_m0"},
                   "message": {"level": "warning", "message": "unused", "rendered": "", "spans": []}}),
            json!({"reason": "build-finished", "success": false}),
        ];
        let stdout: String = messages.iter().map(|m| format!("{m}\nnot json\n")).collect();
        let errors = compile_errors(&stdout);
        assert_eq!(errors.len(), 3);
        let packages = ["cf-input-json-s01-m0", "cf-output-json-s02-m0", "cf-input-json-s03-m0"].map(str::to_owned);
        let blamed = blame(&errors, &packages);
        assert_eq!(
            blamed.into_iter().collect::<Vec<_>>(),
            vec![
                (
                    "cf-input-json-s01-m0".to_owned(),
                    "the generated crate does not compile: cannot find type `X`".to_owned()
                ),
                (
                    "cf-output-json-s02-m0".to_owned(),
                    "the harness does not compile against the generated types: the trait bound is not satisfied"
                        .to_owned()
                ),
            ]
        );
        // An error in the harness's own support code blames nobody: the run fails as a whole.
        let support = CompileError {
            target: "awsgen-conformance-harness".to_owned(),
            files: vec!["harness/src/support.rs".to_owned()],
            message: "m".to_owned(),
            rendered: String::new(),
        };
        assert!(blame(&[support], &packages).is_empty());
    }
}
