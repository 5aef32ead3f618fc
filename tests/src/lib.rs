//! Support shared by the integration tests: where things are, and how goldens are compared or updated.

use std::path::{Path, PathBuf};

/// The environment variable that rewrites goldens instead of comparing them: `UPDATE_GOLDENS=1 cargo test`.
pub const UPDATE_ENV: &str = "UPDATE_GOLDENS";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub fn updating() -> bool {
    std::env::var_os(UPDATE_ENV).is_some_and(|v| v == "1")
}

/// Subdirectories of `dir`, sorted.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// A short unified-style view of the first difference between two texts, for failure messages.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let line = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(line)
            .take(5)
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}:\n  expected:\n{}\n  actual:\n{}",
        line + 1,
        show(&e),
        show(&a)
    )
}

/// Writes each crate (directory name, files) into `workspace`, makes it a Cargo workspace of them with this
/// repository's lock file (so they build against the same dependency versions), and runs `cargo clippy` and
/// `cargo doc` over it with warnings denied. Generated crates name the runtime by a path relative to their
/// directory, so `workspace` must sit where their `runtime_path` leads (e.g. `target/<name>` for `../../../runtime`
/// from `target/<name>/<crate>`).
pub fn compile_crates(workspace: &Path, crates: &[(String, Vec<(String, String)>)]) {
    let mut members = Vec::new();
    for (name, files) in crates {
        codegen::write::sync_dir(&workspace.join(name), files, false, true)
            .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(repo_root().join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |args: &[&str], env: (&str, &str)| {
        let status = std::process::Command::new(&cargo)
            .args(args)
            .current_dir(workspace)
            .env(env.0, env.1)
            .env("CARGO_TARGET_DIR", workspace.join("target"))
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "`cargo {}` failed in {}",
            args.join(" "),
            workspace.display()
        );
    };
    run(
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
        ("RUSTFLAGS", "-D warnings"),
    );
    run(&["doc", "--workspace", "--no-deps"], ("RUSTDOCFLAGS", "-D warnings"));
}
