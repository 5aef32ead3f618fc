//! `cargo xtask`: the thin command line over the `codegen` library. It parses flags, calls the library and
//! writes files; everything else lives in the library, where tests call it directly.

mod bench_peer;
mod endpoint_tests;
mod fuzz_models;

use codegen::config::{discover, path_from};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check]
      regenerate every crate configured in models/*/codegen.toml (--check: write nothing, fail if stale)
  cargo xtask codegen --model PATH [--operations A,B] [--crate-name NAME] --out DIR [--check]
      generate a standalone crate from any botocore model or Smithy JSON AST (.json or .json.gz; told apart
      by content: a Smithy model has a top-level \"smithy\" version)
  cargo xtask slice --model PATH --operations A,B --out FILE
      cut a botocore model down to some operations and the shapes they reach
  cargo xtask bench-codegen [--runs N] MODEL...
      time generation (read, lower, emit, format; no writing) of each model (botocore or Smithy), median of
      N runs
  cargo xtask bench-peer [--quick] [--batches N]
      build benches/peer in release and run it: the generated ECS client against aws-sdk-ecs 1.157.0 in one
      process, DescribeTaskSets over canned 1- and 100-task-set responses, interleaved batches; prints medians,
      minimums, the serde_json floor and allocations per call, then `per call vs aws-sdk-ecs: X.XXx (1 task
      set), Y.YYx (100 task sets)` (their median / ours: above 1 means ours is faster)
  cargo xtask bench-build [--runs N] [--model PATH]
      clean debug build times (median of N runs, default 3) of a crate generated from the whole ECS model
      (default PATH: ../shared/testsuites/models-2025-04/botocore/ecs/2014-11-13/service-2.json.gz), of
      aws-sdk-ecs and of generated/ecs, none with default features, dependencies already built (each run:
      `cargo clean -p CRATE`, then timed `cargo build -p CRATE`), in target/bench-build
  cargo xtask conformance [--filter SUBSTRING] [--suites DIR] [--legacy] [--verbose] [--allow-failures]
      run botocore's JSON-protocol suites against crates generated from them (built in target/conformance);
      --filter keeps cases whose file, suite or id contains SUBSTRING (or one of A,B,...);
      fails if any case fails
  cargo xtask endpoint-tests [--models DIR] [--partitions FILE] [--pairs FILE]
      resolve every smithy.rules#endpointTests case of the Smithy models (*.json, *.json.gz) in DIR with the
      runtime's endpoint engine (default DIR: ../shared/testsuites/models-2025-04/smithy, FILE: its
      ../botocore/partitions.json.gz, relative to the repository); prints each failure, the measured cost of
      resolution (uncached over the ECS cases, and a cached hit) and `endpoint tests: N passed, M failed`;
      then resolves the cases with operationInputs with the parameters a client derives (the built-ins, and
      the operation's own parameters as the generator lowers them from the paired botocore model named in
      --pairs, default ../pairs.json beside DIR's default) and prints `endpoint tests (operationInputs): N
      passed, M failed, K not derivable (reasons)`; fails if any case of either fails or none ran
  cargo xtask fuzz-models --cases N [--seed S] [--threads T] [--trace]
      run the front-ends, lowering and passes on N mutated models (botocore and Smithy seeds from tests/ and
      models/ecs, with the files beside them; 1 case in 64 also emits and formats) on T threads (default: all
      cores); prints a summary per seed and `N cases, P panics, E errors without a path, H hangs` (every
      diagnostic, error or warning, must point into the file it is about; a case over 2 s, 20 s in a debug
      build, is a hang); fails if any. --trace prints each case's index before it runs (for a case that takes
      the process down without naming itself: a stack overflow names its case)
  cargo xtask fuzz-models --case I [--seed S] [--out DIR]
      replay case I: list its mutations, write its files to DIR (default target/fuzz-models/case-I) and run it
  cargo xtask fuzz-parse [--cases N] [--seed HEX]
      differential fuzzing of the response parser (tests/behaviour/fuzz_parse.rs, in release): N mutated
      bodies (default 1,000,000) of ECS DescribeTaskSets' output and errors and of the golden outputs, each read
      by the generated wire::Decode impls and by serde_json; prints `N cases, M mismatches, P panics, H hangs`
      and fails unless all three are 0";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_command(&args[1..]),
        Some("slice") => slice_command(&args[1..]),
        Some("bench-codegen") => bench_command(&args[1..]),
        Some("bench-peer") => bench_peer::bench_peer(&repo_root(), &args[1..]),
        Some("bench-build") => bench_build_command(&args[1..]),
        Some("conformance") => conformance_command(&args[1..]),
        Some("endpoint-tests") => endpoint_tests_command(&args[1..]),
        Some("fuzz-models") => fuzz_models_command(&args[1..]),
        Some("fuzz-parse") => fuzz_parse_command(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Flags of the form `--name value` and `--switch`.
struct Flags {
    values: Vec<(String, String)>,
    switches: Vec<String>,
    positional: Vec<String>,
}

fn parse_flags(args: &[String], switches: &[&str], valued: &[&str]) -> Result<Flags, String> {
    let mut flags = Flags {
        values: Vec::new(),
        switches: Vec::new(),
        positional: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if switches.contains(&arg.as_str()) {
            flags.switches.push(arg.clone());
        } else if valued.contains(&arg.as_str()) {
            let value = iter.next().ok_or_else(|| format!("{arg} needs a value\n\n{USAGE}"))?;
            flags.values.push((arg.clone(), value.clone()));
        } else if arg.starts_with("--") {
            return Err(format!("unknown flag {arg}\n\n{USAGE}"));
        } else {
            flags.positional.push(arg.clone());
        }
    }
    Ok(flags)
}

impl Flags {
    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
    fn list(&self, name: &str) -> Option<Vec<String>> {
        self.value(name).map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
    }
}

fn codegen_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(
        args,
        &["--check"],
        &["--model", "--operations", "--crate-name", "--out"],
    )?;
    let check = flags.has("--check");
    let root = repo_root();
    let mut report = codegen::write::Report::default();
    if let Some(model) = flags.value("--model") {
        let out = flags
            .value("--out")
            .ok_or_else(|| format!("--model needs --out DIR\n\n{USAGE}"))?;
        let out_dir = absolute(Path::new(out))?;
        let generated = generate_standalone(
            Path::new(model),
            &out_dir,
            flags.list("--operations"),
            flags.value("--crate-name"),
        )?;
        // A `--out` directory may hold the user's own files: never remove anything there.
        report.merge(write(&out_dir, &generated, check, false)?);
    } else {
        if let Some((flag, _)) = flags.values.first() {
            return Err(format!(
                "{flag} applies to --model; the configured crates take theirs from models/*/codegen.toml\n\n{USAGE}"
            ));
        }
        for config in discover(&root)? {
            let generated = codegen::generate_configured(&root, &config)?;
            report.merge(write(&config.out_dir, &generated, check, true)?);
        }
    }
    if check && !report.is_clean() {
        return Err(format!(
            "generated code is not current; run `cargo xtask codegen`:\n{report}"
        ));
    }
    Ok(())
}

/// The standalone crate `cargo xtask codegen --model` writes to `out_dir` (absolute), not yet written.
fn generate_standalone(
    model: &Path,
    out_dir: &Path,
    operations: Option<Vec<String>>,
    crate_name: Option<&str>,
) -> Result<codegen::GeneratedCrate, String> {
    let root = repo_root();
    let model_path = absolute(model)?;
    let input = codegen::frontend::ModelInput::read(model)?;
    let options = codegen::Options {
        model_label: model_path.file_name().map_or_else(
            || model.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
        regenerate_command: standalone_regenerate_command(
            &root,
            out_dir,
            &model_path,
            operations.as_deref(),
            crate_name,
        ),
        operations,
        crate_name: crate_name.map(str::to_owned),
        runtime_path: path_from(out_dir, &root.join("runtime")),
        standalone: true,
        ..codegen::Options::default()
    };
    codegen::generate(&input, &options)
        .map_err(|diagnostics| format!("{}: the model has errors:\n{diagnostics}", model.display()))
}

fn write(
    out_dir: &Path,
    generated: &codegen::GeneratedCrate,
    check: bool,
    remove_extra: bool,
) -> Result<codegen::write::Report, String> {
    for warning in &generated.warnings {
        eprintln!("{}: {warning}", out_dir.display());
    }
    let report = codegen::write::sync_dir(out_dir, &generated.files, check, remove_extra)
        .map_err(|e| format!("cannot write {}: {e}", out_dir.display()))?;
    if !check {
        let changed = report.stale.len() + report.missing.len() + report.extra.len();
        eprintln!(
            "{}: {} shapes, {} operations, {} files ({changed} changed)",
            out_dir.display(),
            generated.shape_count(),
            generated.operation_count(),
            generated.files.len()
        );
    }
    Ok(report)
}

/// The command that regenerates a standalone crate, run in the crate's own directory: its paths are relative to
/// that directory, so the crate's text is the same wherever the crate, the model and this repository sit, as
/// long as they sit the same way to each other. A standalone crate is its own workspace, so cargo is pointed at
/// this one's manifest even where the `cargo xtask` alias would be found.
fn standalone_regenerate_command(
    root: &Path,
    out_dir: &Path,
    model: &Path,
    operations: Option<&[String]>,
    crate_name: Option<&str>,
) -> String {
    let manifest = path_from(out_dir, &root.join("Cargo.toml"));
    let mut command = format!("cargo run --quiet --manifest-path {manifest} --package xtask --");
    command.push_str(&format!(" codegen --model {}", path_from(out_dir, model)));
    if let Some(operations) = operations {
        command.push_str(&format!(" --operations {}", operations.join(",")));
    }
    if let Some(crate_name) = crate_name {
        command.push_str(&format!(" --crate-name {crate_name}"));
    }
    command.push_str(" --out .");
    command
}

/// An absolute path without requiring it to exist (the output directory may not yet).
fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("cannot resolve {}: {e}", path.display()))
}

fn slice_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(args, &[], &["--model", "--operations", "--out"])?;
    let (Some(model), Some(operations), Some(out)) =
        (flags.value("--model"), flags.list("--operations"), flags.value("--out"))
    else {
        return Err(format!("slice needs --model, --operations and --out\n\n{USAGE}"));
    };
    let bytes = codegen::frontend::read_model_file(Path::new(model))?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| format!("{model}: not JSON: {e}"))?;
    let sliced = codegen::slice::slice(&json, &operations).map_err(|e| format!("{model}: {e}"))?;
    let mut text = serde_json::to_string_pretty(&sliced).map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(out, text).map_err(|e| format!("cannot write {out}: {e}"))?;
    let count = sliced["shapes"].as_object().map_or(0, |s| s.len());
    eprintln!("{out}: {} operations, {count} shapes", operations.len());
    Ok(())
}

fn bench_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(args, &[], &["--runs"])?;
    let runs: usize = flags
        .value("--runs")
        .unwrap_or("5")
        .parse()
        .map_err(|e| format!("--runs: {e}"))?;
    if flags.positional.is_empty() {
        return Err(format!("bench-codegen needs at least one model\n\n{USAGE}"));
    }
    println!("{:<60} {:>7} {:>6} {:>12}", "model", "shapes", "ops", "median ms");
    let mut total = 0.0;
    for model in &flags.positional {
        let input = codegen::frontend::ModelInput::read(Path::new(model))?;
        let options = codegen::Options {
            model_label: model.clone(),
            regenerate_command: "cargo xtask bench-codegen".to_owned(),
            runtime_path: "runtime".to_owned(),
            standalone: true,
            ..codegen::Options::default()
        };
        let mut times = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            match codegen::generate(&input, &options) {
                Ok(generated) => counts = (generated.shape_count(), generated.operation_count()),
                Err(diagnostics) => return Err(format!("{model}:\n{diagnostics}")),
            }
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        total += median;
        println!("{model:<60} {:>7} {:>6} {median:>12.1}", counts.0, counts.1);
    }
    println!("total of medians: {total:.1} ms over {} models", flags.positional.len());
    Ok(())
}

fn bench_build_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(args, &[], &["--runs", "--model"])?;
    if let Some(extra) = flags.positional.first() {
        return Err(format!("bench-build takes no argument {extra:?}\n\n{USAGE}"));
    }
    let root = repo_root();
    let mut options = bench_peer::BuildOptions::for_repo(&root);
    if let Some(runs) = flags.value("--runs") {
        options.runs = runs
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("--runs needs a positive number, not {runs:?}"))?;
    }
    if let Some(model) = flags.value("--model") {
        options.model = PathBuf::from(model);
    }
    bench_peer::bench_build(&root, &options)
}

fn conformance_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(
        args,
        &["--legacy", "--verbose", "--allow-failures"],
        &["--filter", "--suites"],
    )?;
    if let Some(extra) = flags.positional.first() {
        return Err(format!("conformance takes no argument {extra:?}\n\n{USAGE}"));
    }
    let mut options = conformance::Options::for_repo(&repo_root());
    if let Some(dir) = flags.value("--suites") {
        options.suites_dir = PathBuf::from(dir);
    }
    options.filter = flags.value("--filter").map(str::to_owned);
    options.legacy = flags.has("--legacy");
    let verbose = flags.has("--verbose");
    let report = conformance::run(&options)?;
    if verbose {
        for note in &report.notes {
            println!("note: {note}");
        }
    }
    for file in &report.files {
        println!("{}", file.summary_line());
        if verbose {
            for (id, reason) in file.failures() {
                println!("  FAIL {id}: {reason}");
            }
        }
    }
    println!("{}", report.summary_line());
    if report.passed() + report.failed() == 0 {
        return Err("conformance: no case matches the filter".to_owned());
    }
    if report.failed() > 0 && !flags.has("--allow-failures") {
        return Err(format!(
            "conformance: {} failing case(s) (--verbose names them; --allow-failures reports without failing)",
            report.failed()
        ));
    }
    Ok(())
}

fn endpoint_tests_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(args, &[], &["--models", "--partitions", "--pairs"])?;
    if let Some(extra) = flags.positional.first() {
        return Err(format!("endpoint-tests takes no argument {extra:?}\n\n{USAGE}"));
    }
    let mut options = endpoint_tests::Options::for_repo(&repo_root());
    if let Some(dir) = flags.value("--models") {
        options.models_dir = PathBuf::from(dir);
    }
    if let Some(file) = flags.value("--partitions") {
        options.partitions = PathBuf::from(file);
    }
    if let Some(file) = flags.value("--pairs") {
        options.pairs = PathBuf::from(file);
    }
    let report = endpoint_tests::run(&options)?;
    for failure in &report.failures {
        println!("FAIL {failure}");
    }
    for line in &report.timing {
        println!("{line}");
    }
    println!("{}", report.summary_line());
    println!("{}", report.operation_inputs_line());
    if report.passed + report.failed == 0 {
        return Err(format!(
            "endpoint-tests: no test case in {}",
            options.models_dir.display()
        ));
    }
    // Cases that are not derivable are a known, counted limit of clients, not a failure.
    let failed = report.failed + report.operation_inputs.failed;
    if failed > 0 {
        return Err(format!("endpoint-tests: {failed} failing case(s)"));
    }
    Ok(())
}

fn fuzz_models_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(
        args,
        &["--trace"],
        &["--cases", "--seed", "--threads", "--case", "--out"],
    )?;
    if let Some(extra) = flags.positional.first() {
        return Err(format!("fuzz-models takes no argument {extra:?}\n\n{USAGE}"));
    }
    let number = |name: &str| -> Result<Option<u64>, String> {
        flags
            .value(name)
            .map(|v| match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            })
            .transpose()
            .map_err(|e| format!("{name}: {e}"))
    };
    let seed = number("--seed")?.unwrap_or(fuzz_models::DEFAULT_SEED);
    let root = repo_root();
    if let Some(case) = number("--case")? {
        let out = flags.value("--out").map_or_else(
            || root.join("target/fuzz-models").join(format!("case-{case}")),
            PathBuf::from,
        );
        return fuzz_models::replay(&root, seed, case, &out);
    }
    let cases = number("--cases")?.ok_or_else(|| format!("fuzz-models needs --cases N or --case I\n\n{USAGE}"))?;
    let threads = match number("--threads")? {
        Some(threads) => threads as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let options = fuzz_models::Options {
        cases,
        seed,
        threads,
        trace: flags.has("--trace"),
    };
    fuzz_models::run(&root, &options)
}

/// `fuzz-parse`: the differential parser fuzzer is a test target of the behaviour tests (it needs the generated
/// crates), run here in release with the case count and seed it reads from the environment.
fn fuzz_parse_command(args: &[String]) -> Result<(), String> {
    let flags = parse_flags(args, &[], &["--cases", "--seed"])?;
    if let Some(extra) = flags.positional.first() {
        return Err(format!("fuzz-parse takes no argument {extra:?}\n\n{USAGE}"));
    }
    let cases: u64 = flags
        .value("--cases")
        .unwrap_or("1000000")
        .parse()
        .map_err(|e| format!("--cases: {e}"))?;
    let mut command = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .current_dir(repo_root())
        .args([
            "test",
            "--release",
            "-p",
            "awsgen-behaviour-tests",
            "--test",
            "fuzz_parse",
        ])
        .env("AWSGEN_FUZZ_PARSE_CASES", cases.to_string());
    if let Some(seed) = flags.value("--seed") {
        command.env("AWSGEN_FUZZ_PARSE_SEED", seed);
    }
    let status = command.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("fuzz-parse: the fuzzer failed ({status})"))
    }
}
