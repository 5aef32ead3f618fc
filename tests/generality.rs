//! Generality: the generator is only as good as the worst model AWS ships.
//!
//! - `every_botocore_json_model_generates`: every awsJson model in the installed botocore lowers, emits and
//!   formats without an error.
//! - `real_services_compile_with_warnings_denied`: the whole ECS model and several services with blobs, unions,
//!   documents, recursion and sensitive members generate crates that pass `cargo clippy -D warnings` and
//!   `cargo doc -D warnings`.
//!
//! `AWSGEN_COMPILE_ALL=1` makes the second test compile every awsJson model instead of the chosen few (about
//! an hour here; run it when the generator changes in ways the goldens may not cover).
//!
//! Both need botocore (`pip install botocore`) and take minutes, so they are `#[ignore]`d here and run by
//! `.ci/run` with `--ignored`. `BOTOCORE_DATA` may point at a botocore `data` directory; otherwise the one of
//! `python3`'s botocore is used.

use awsgen_tests::{compile_crates, repo_root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Services picked for what their models exercise: ECS (the product), DynamoDB (blobs, recursive attribute
/// values), Kinesis (blobs, event streams), CloudWatch Logs (unions, event streams), SSM (size, sensitive
/// members), Secrets Manager (sensitive blobs and strings), Step Functions (sensitive, large enums), Lightsail
/// (size, maps with constrained keys).
const COMPILED_SERVICES: &[&str] = &[
    "ecs",
    "dynamodb",
    "kinesis",
    "logs",
    "ssm",
    "secretsmanager",
    "stepfunctions",
    "lightsail",
];

fn botocore_data() -> PathBuf {
    if let Some(dir) = std::env::var_os("BOTOCORE_DATA") {
        return PathBuf::from(dir);
    }
    let output = Command::new("python3")
        .args([
            "-c",
            "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))",
        ])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "botocore is not installed: pip install botocore (or set BOTOCORE_DATA)"
    );
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// Every `service-2.json.gz` whose protocol is awsJson, newest API version of each service.
fn json_models(data: &Path) -> Vec<(String, PathBuf)> {
    let mut models = Vec::new();
    for service in awsgen_tests::subdirs(data) {
        let Some(version) = awsgen_tests::subdirs(&service).into_iter().last() else {
            continue;
        };
        let model = version.join("service-2.json.gz");
        if !model.exists() {
            continue;
        }
        let bytes = codegen::frontend::read_model_file(&model).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let metadata = &json["metadata"];
        let speaks_json = metadata["protocol"] == "json"
            || metadata["protocols"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p == "json"));
        if speaks_json {
            models.push((service.file_name().unwrap().to_string_lossy().into_owned(), model));
        }
    }
    models
}

fn options(label: &str, crate_name: &str, runtime_path: String) -> codegen::Options {
    codegen::Options {
        crate_name: Some(crate_name.to_owned()),
        model_label: label.to_owned(),
        regenerate_command: "cargo test -p awsgen-tests --test generality -- --ignored".to_owned(),
        runtime_path,
        ..codegen::Options::default()
    }
}

#[test]
#[ignore = "needs botocore; run by .ci/run"]
fn every_botocore_json_model_generates() {
    let models = json_models(&botocore_data());
    assert!(
        models.len() > 100,
        "expected the ~150 awsJson models of botocore, found {}",
        models.len()
    );
    let mut failures = Vec::new();
    let (mut paginators, mut paginator_warnings) = (0, Vec::new());
    let mut waiters = 0;
    for (service, model) in &models {
        let input = codegen::frontend::ModelInput::read(model).unwrap();
        match codegen::generate(&input, &options(service, service, "../runtime".into())) {
            Ok(generated) => {
                let paginated = generated
                    .service
                    .operations
                    .iter()
                    .filter(|op| op.paginator.is_some())
                    .count();
                paginators += paginated;
                paginator_warnings.extend(
                    generated
                        .warnings
                        .iter()
                        .filter(|w| w.path.starts_with("(paginators-1.json)"))
                        .map(|w| format!("{service}: {w}")),
                );
                waiters += generated.service.waiters.len();
                println!(
                    "ok   {service}: {} shapes, {} operations, {paginated} paginators, {} waiters",
                    generated.shape_count(),
                    generated.operation_count(),
                    generated.service.waiters.len()
                )
            }
            Err(diagnostics) => failures.push(format!("{service}:\n{diagnostics}")),
        }
    }
    println!(
        "{} of {} awsJson models generate, with {waiters} waiters",
        models.len() - failures.len(),
        models.len()
    );
    println!(
        "{paginators} paginators generated; {} paginator warnings:\n{}",
        paginator_warnings.len(),
        paginator_warnings.join("\n")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "needs botocore and several minutes; run by .ci/run"]
fn real_services_compile_with_warnings_denied() {
    let data = botocore_data();
    let models = json_models(&data);
    let root = repo_root();
    let workspace = root.join("target/generality");
    let all = std::env::var_os("AWSGEN_COMPILE_ALL").is_some_and(|v| v == "1");
    let services: Vec<&str> = if all {
        models.iter().map(|(s, _)| s.as_str()).collect()
    } else {
        COMPILED_SERVICES.to_vec()
    };
    let mut crates = Vec::new();
    for service in services {
        let (_, model) = models
            .iter()
            .find(|(s, _)| s == service)
            .unwrap_or_else(|| panic!("{service} not in botocore"));
        let crate_dir = workspace.join(service);
        let input = codegen::frontend::ModelInput::read(model).unwrap();
        let runtime = codegen::config::relative_path(&crate_dir, &root.join("runtime"));
        let generated = codegen::generate(&input, &options(service, &format!("generality-{service}"), runtime))
            .unwrap_or_else(|d| panic!("{service}:\n{d}"));
        println!(
            "{service}: {} shapes, {} operations, {} waiters",
            generated.shape_count(),
            generated.operation_count(),
            generated.service.waiters.len()
        );
        crates.push((service.to_owned(), generated.files));
    }
    compile_crates(&workspace, &crates);
}
