//! Golden tests: the committed `generated/` is exactly what the generator emits today, and each edge-case model
//! under `tests/golden/<case>/model.json` generates exactly `tests/golden/<case>/expected/` (a crate in this
//! workspace, so `cargo clippy --all-targets -- -D warnings` compiles every golden with warnings denied).
//!
//! `UPDATE_GOLDENS=1 cargo test -p awsgen-tests --test golden` rewrites the edge-case goldens; read the diff.

use awsgen_tests::{first_difference, repo_root, subdirs, updating};
use codegen::config::{discover, relative_path};
use codegen::write::sync_dir;

#[test]
fn committed_generated_code_is_current() {
    let root = repo_root();
    let configs = discover(&root).expect("models/*/codegen.toml readable");
    assert!(!configs.is_empty(), "no crate is configured under models/");
    for config in configs {
        let generated = codegen::generate_configured(&root, &config).unwrap();
        let report = sync_dir(&config.out_dir, &generated.files, true, true).unwrap();
        assert!(
            report.is_clean(),
            "generated code is not current; run `cargo xtask codegen`:\n{report}"
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let root = repo_root();
    for config in discover(&root).unwrap() {
        let first = codegen::generate_configured(&root, &config).unwrap().files;
        let second = codegen::generate_configured(&root, &config).unwrap().files;
        assert_eq!(first, second, "two runs over {} differ", config.model_path.display());
    }
}

#[test]
fn edge_case_models_match_their_goldens() {
    let root = repo_root();
    let cases = subdirs(&root.join("tests/golden"));
    assert!(
        cases.len() >= 8,
        "expected at least eight edge-case models, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected_dir = case.join("expected");
        let model = case.join("model.json");
        let options = codegen::Options {
            crate_name: Some(format!("golden-{}", name.replace('_', "-"))),
            model_label: relative_path(&root, &model),
            regenerate_command: "UPDATE_GOLDENS=1 cargo test -p awsgen-tests --test golden".to_owned(),
            runtime_path: relative_path(&expected_dir, &root.join("runtime")),
            deny_warnings: true,
            ..codegen::Options::default()
        };
        let input = codegen::frontend::ModelInput::read(&model).unwrap();
        let generated = match codegen::generate(&input, &options) {
            Ok(generated) => generated,
            Err(diagnostics) => {
                failures.push(format!("{name}: generation failed:\n{diagnostics}"));
                continue;
            }
        };
        let report = sync_dir(&expected_dir, &generated.files, !updating(), true).unwrap();
        if report.is_clean() || updating() {
            continue;
        }
        let mut message = format!("{name}: output differs from the golden (UPDATE_GOLDENS=1 to accept):\n{report}");
        for (path, contents) in &generated.files {
            if let Ok(existing) = std::fs::read_to_string(expected_dir.join(path)) {
                if &existing != contents {
                    message.push_str(&format!("{path}: {}\n", first_difference(&existing, contents)));
                }
            }
        }
        failures.push(message);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
