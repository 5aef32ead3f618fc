//! `cargo xtask bench-peer` and `cargo xtask bench-build`: how the generated ECS client compares with
//! `aws-sdk-ecs` per call (the `benches/peer` crate, its own workspace) and in clean build time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The peer both commands compare with; `benches/peer/Cargo.toml` pins the same version.
const PEER_VERSION: &str = "1.157.0";
/// The crate name the whole-ECS crate is generated under, so it is told apart from `generated/ecs` in one
/// target directory.
const FULL_CRATE: &str = "awsgen-ecs-full";

fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Builds `benches/peer` in release and runs it; `args` (`--quick`, `--batches N`) go to the benchmark.
pub fn bench_peer(root: &Path, args: &[String]) -> Result<(), String> {
    let status = Command::new(cargo())
        .args(["run", "--release", "--manifest-path"])
        .arg(root.join("benches/peer/Cargo.toml"))
        // Its own target directory (`benches/peer/target`), whatever the caller's environment says.
        .arg("--target-dir")
        .arg(root.join("benches/peer/target"))
        .env_remove("CARGO_TARGET_DIR")
        .arg("--")
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("bench-peer: the benchmark failed ({status})"))
    }
}

pub struct BuildOptions {
    /// The whole ECS model (botocore's `service-2.json.gz`).
    pub model: PathBuf,
    pub runs: usize,
}

impl BuildOptions {
    /// The newest ECS model at hand: botocore's installed one (`BOTOCORE_DATA`, as `.ci/run` sets it; 77 operations
    /// in 1.43.11, nearer aws-sdk-ecs 1.157.0's than the April 2025 model's 59), else the shared April 2025 model.
    pub fn for_repo(root: &Path) -> Self {
        let installed = std::env::var_os("BOTOCORE_DATA")
            .map(|data| PathBuf::from(data).join("ecs/2014-11-13/service-2.json.gz"))
            .filter(|path| path.is_file());
        BuildOptions {
            model: installed.unwrap_or_else(|| {
                root.join("../shared/testsuites/models-2025-04/botocore/ecs/2014-11-13/service-2.json.gz")
            }),
            runs: 3,
        }
    }
}

/// One crate whose build is timed: its package name, what it is, and its lines of Rust.
struct Subject {
    package: &'static str,
    label: String,
    lines: usize,
    seconds: Vec<f64>,
}

/// Clean debug build times of the crate generated from the whole ECS model, `aws-sdk-ecs` and the one-operation
/// `generated/ecs`, all three without default features, in one scratch workspace (`target/bench-build/`).
///
/// "Clean" means the crate alone: everything it depends on is built first, then each run is `cargo clean -p
/// CRATE` and a timed `cargo build -p CRATE` (wall time of the cargo process, which includes cargo's start-up and
/// freshness checks of the dependencies, a few tenths of a second for all three alike). Runs go round the three
/// crates in turn, so a busy moment on the machine is not charged to one of them. Incremental compilation is off
/// (`CARGO_INCREMENTAL=0`), as it is for any crate from a registry; the profile is cargo's default `dev`.
pub fn bench_build(root: &Path, options: &BuildOptions) -> Result<(), String> {
    let scratch = root.join("target/bench-build");
    let full_dir = scratch.join("ecs-full");
    let work_dir = scratch.join("work");
    let started = Instant::now();
    if !options.model.is_file() {
        return Err(format!(
            "bench-build: no model at {} (the whole ECS model, botocore's ecs/2014-11-13/service-2.json.gz: \
             pass it with --model PATH)",
            options.model.display()
        ));
    }

    let generated = crate::generate_standalone(&options.model, &full_dir, None, Some(FULL_CRATE))?;
    codegen::write::sync_dir(&full_dir, &generated.files, false, true)
        .map_err(|e| format!("cannot write {}: {e}", full_dir.display()))?;
    eprintln!(
        "{}: {} shapes, {} operations, {} files",
        full_dir.display(),
        generated.shape_count(),
        generated.operation_count(),
        generated.files.len()
    );

    std::fs::create_dir_all(work_dir.join("src")).map_err(|e| format!("cannot create {}: {e}", work_dir.display()))?;
    let manifest = format!(
        "# Written by `cargo xtask bench-build`: the three crates whose clean builds it times.\n\
         [package]\nname = \"bench-build\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n\
         [dependencies]\n\
         {FULL_CRATE} = {{ path = \"../ecs-full\", default-features = false }}\n\
         aws-sdk-ecs = {{ version = \"={PEER_VERSION}\", default-features = false }}\n\
         awsgen-ecs = {{ path = {:?}, default-features = false }}\n",
        root.join("generated/ecs").display().to_string()
    );
    write_file(&work_dir.join("Cargo.toml"), &manifest)?;
    write_file(&work_dir.join("src/lib.rs"), "")?;
    // The peer's dependencies at the versions the peer benchmark pins.
    if !work_dir.join("Cargo.lock").exists() {
        std::fs::copy(root.join("benches/peer/Cargo.lock"), work_dir.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy benches/peer/Cargo.lock: {e}"))?;
    }

    let peer_source = peer_source_dir(&work_dir)?;
    let mut subjects = [
        Subject {
            package: FULL_CRATE,
            label: format!("generated, whole ECS model, {} operations", generated.operation_count()),
            lines: rust_lines(&full_dir.join("src")),
            seconds: Vec::new(),
        },
        Subject {
            package: "aws-sdk-ecs",
            label: format!("the peer, {PEER_VERSION}"),
            lines: rust_lines(&peer_source.join("src")),
            seconds: Vec::new(),
        },
        Subject {
            package: "awsgen-ecs",
            label: "generated/ecs, DescribeTaskSets only".to_owned(),
            lines: rust_lines(&root.join("generated/ecs/src")),
            seconds: Vec::new(),
        },
    ];

    // Every dependency built, and each crate once as `-p` builds it (features can differ from the whole build).
    eprintln!("building the dependencies (the first run compiles aws-sdk-ecs's and the runtime's)...");
    cargo_build(&work_dir, None)?;
    for subject in &subjects {
        cargo_build(&work_dir, Some(subject.package))?;
    }
    for run in 1..=options.runs {
        for subject in &mut subjects {
            cargo_in(&work_dir, &["clean", "--quiet", "-p", subject.package])?;
            let start = Instant::now();
            let compiled = cargo_build(&work_dir, Some(subject.package))?;
            let seconds = start.elapsed().as_secs_f64();
            // Only the crate under test may have been rebuilt, or the figure means something else.
            if compiled != [subject.package] {
                return Err(format!(
                    "bench-build: `cargo build -p {}` compiled {compiled:?}, not only that crate",
                    subject.package
                ));
            }
            eprintln!("run {run}/{}: {} {seconds:.1} s", options.runs, subject.package);
            subject.seconds.push(seconds);
        }
    }

    println!(
        "clean debug build of one crate, its dependencies already built: `cargo clean -p CRATE` then timed \
         `cargo build -p CRATE`"
    );
    println!(
        "  (no default features; dev profile; CARGO_INCREMENTAL=0; {} runs taken in turn; {})",
        options.runs,
        work_dir.display()
    );
    println!("  {}", cargo_in(&work_dir, &["--version"])?.trim());
    println!(
        "  {:<16} {:<42} {:>7} {:>8} {:>8}  runs (s)",
        "crate", "", "lines", "median", "min"
    );
    for subject in &subjects {
        let mut sorted = subject.seconds.clone();
        sorted.sort_by(f64::total_cmp);
        let runs: Vec<String> = subject.seconds.iter().map(|s| format!("{s:.1}")).collect();
        println!(
            "  {:<16} {:<42} {:>7} {:>6.1} s {:>6.1} s  {}",
            subject.package,
            subject.label,
            subject.lines,
            sorted[sorted.len() / 2],
            sorted[0],
            runs.join(", ")
        );
    }
    println!("  (lines: all lines of the crate's .rs files under src/)");
    eprintln!(
        "bench-build took {:.0} s; `rm -rf {}` frees its disk space (later runs reuse the built dependencies)",
        started.elapsed().as_secs_f64(),
        scratch.display()
    );
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    // Unchanged files are left alone, so cargo's freshness checks see nothing new between runs.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn command_in(work_dir: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(work_dir)
        .env_remove("CARGO_TARGET_DIR")
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null());
    command
}

fn cargo_in(work_dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = command_in(work_dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!(
            "`cargo {}` failed in {}:\n{stderr}",
            args.join(" "),
            work_dir.display()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `cargo build [-p PACKAGE]` in `work_dir`; the packages it compiled (from cargo's `Compiling NAME vX` lines).
fn cargo_build(work_dir: &Path, package: Option<&str>) -> Result<Vec<String>, String> {
    let mut args = vec!["build", "--target-dir", "target"];
    if let Some(package) = package {
        args.extend(["-p", package]);
    }
    let output = command_in(work_dir)
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "`cargo {}` failed in {}:\n{stderr}",
            args.join(" "),
            work_dir.display()
        ));
    }
    Ok(stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect())
}

/// Where cargo unpacked aws-sdk-ecs (for its line count).
fn peer_source_dir(work_dir: &Path) -> Result<PathBuf, String> {
    let metadata = cargo_in(work_dir, &["metadata", "--format-version", "1"])?;
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).map_err(|e| format!("cargo metadata is not JSON: {e}"))?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|package| package["name"] == "aws-sdk-ecs")
        .and_then(|package| package["manifest_path"].as_str())
        .and_then(|manifest| Path::new(manifest).parent().map(Path::to_path_buf))
        .ok_or_else(|| "cargo metadata does not list aws-sdk-ecs".to_owned())
}

/// Lines of the `.rs` files under `dir`.
fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path).map_or(0, |text| text.lines().count())
            } else {
                0
            }
        })
        .sum()
}
