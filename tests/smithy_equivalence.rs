//! The two front-ends agree: for each of the 130 services of `../shared/testsuites/models-2025-04/` (the same
//! service published the same day as a Smithy JSON AST and as botocore JSON), the crate generated from the Smithy
//! model and the one generated from the botocore model are compared file by file, apart from each file's first
//! line (the preamble naming the model).
//!
//! - `every_smithy_model_generates`: all 130 Smithy models generate.
//! - `ecs_describe_task_sets_is_identical`: ECS `DescribeTaskSets` alone is byte-identical from either model,
//!   with nothing reconciled.
//! - `whole_ecs_differs_only_where_the_models_do`: the whole ECS crate, with nothing reconciled, differs in three
//!   files only, where the two files state different facts (`ECS_DIFFERING_FILES`).
//! - `both_front_ends_give_the_same_crates`: for every service, the facts on which the two lowered IRs differ
//!   are exactly those listed in `smithy_equivalence/expected_differences.txt` (one line per service and kind,
//!   saying which fact and why, see `facts::KINDS`), and once the Smithy IR takes botocore's value for those
//!   facts, both crates are byte-identical. A new difference, or one no longer there, fails the test.
//! - `smithy_crates_compile_with_warnings_denied`: ECS and a few others from their Smithy models pass
//!   `cargo clippy -D warnings` (all 130 with `AWSGEN_COMPILE_ALL=1`).
//!
//! They read the shared test data and take minutes, so they are `#[ignore]`d here and run by `.ci/run`.
//! `UPDATE_GOLDENS=1` rewrites the expected differences; read the diff.

#[path = "smithy_equivalence/facts.rs"]
mod facts;

use awsgen_tests::{compile_crates, first_difference, repo_root, updating};
use codegen::diagnostics::Diagnostics;
use codegen::frontend::{read_model_file, ModelInput};
use std::path::PathBuf;

/// Services compiled by default: ECS (the product), DynamoDB (recursive attribute values, blobs), Kinesis (event
/// streams), WAFV2 (size, a `@default(true)`) and VerifiedPermissions (unions, a string `@default`).
const COMPILED: &[&str] = &["ECS", "DynamoDB", "Kinesis", "WAFV2", "VerifiedPermissions"];

fn models_dir() -> PathBuf {
    std::env::var_os("AWSGEN_MODELS_2025")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/testsuites/models-2025-04"))
}

/// One pair of `pairs.json`: sdkId, Smithy file, botocore folder.
struct Pair {
    sdk_id: String,
    smithy: PathBuf,
    botocore: PathBuf,
}

fn pairs() -> Vec<Pair> {
    let dir = models_dir();
    let text = std::fs::read_to_string(dir.join("pairs.json"))
        .unwrap_or_else(|e| panic!("{}: {e} (set AWSGEN_MODELS_2025)", dir.display()));
    let pairs: Vec<(String, String, String)> = serde_json::from_str(&text).unwrap();
    // `AWSGEN_SERVICES=ECS,ACM` narrows a run to some services while working on one.
    let only = std::env::var("AWSGEN_SERVICES").ok().filter(|s| !s.is_empty());
    pairs
        .into_iter()
        .filter(|(sdk_id, _, _)| only.as_deref().is_none_or(|only| only.split(',').any(|s| s == sdk_id)))
        .map(|(sdk_id, smithy, botocore)| Pair {
            sdk_id,
            smithy: dir.join(smithy),
            botocore: dir.join(botocore).join("service-2.json.gz"),
        })
        .collect()
}

/// The Smithy model, with botocore's partition table (the Smithy files carry rule sets, not partitions).
fn smithy_input(pair: &Pair) -> ModelInput {
    ModelInput {
        partitions: Some(read_model_file(&models_dir().join("botocore/partitions.json.gz")).unwrap()),
        ..ModelInput::new(read_model_file(&pair.smithy).unwrap())
    }
}

fn botocore_input(pair: &Pair) -> ModelInput {
    ModelInput::read(&pair.botocore).unwrap()
}

fn options(pair: &Pair, label: &str, operations: Option<&[&str]>) -> codegen::Options {
    codegen::Options {
        operations: operations.map(|ops| ops.iter().map(|o| (*o).to_owned()).collect()),
        crate_name: Some(crate_name(&pair.sdk_id)),
        model_label: label.to_owned(),
        regenerate_command: "cargo test -p awsgen-tests --test smithy_equivalence -- --ignored".to_owned(),
        runtime_path: "../../../runtime".to_owned(),
        ..codegen::Options::default()
    }
}

fn crate_name(sdk_id: &str) -> String {
    let slug: String = sdk_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("smithy-{slug}")
}

fn lower(input: &ModelInput) -> (codegen::ir::Service, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let service = codegen::lower_model(input, &mut diagnostics).unwrap_or_else(|| panic!("{diagnostics}"));
    (service, diagnostics)
}

fn generate(
    service: codegen::ir::Service,
    diagnostics: Diagnostics,
    options: &codegen::Options,
) -> Vec<(String, String)> {
    codegen::generate_lowered(service, diagnostics, options)
        .unwrap_or_else(|d| panic!("{}: {d}", options.model_label))
        .files
}

/// The files that differ between two crates, apart from each file's first line (the preamble naming the model),
/// with the first difference of each.
fn differing_files(smithy: &[(String, String)], botocore: &[(String, String)]) -> Vec<String> {
    let body = |text: &str| text.split_once('\n').map_or("", |(_, rest)| rest).to_owned();
    let ours: std::collections::BTreeMap<_, _> = smithy.iter().map(|(p, t)| (p.clone(), body(t))).collect();
    let theirs: std::collections::BTreeMap<_, _> = botocore.iter().map(|(p, t)| (p.clone(), body(t))).collect();
    let mut differing = Vec::new();
    for path in ours
        .keys()
        .chain(theirs.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (ours.get(path), theirs.get(path)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => differing.push(format!("{path}: {}", first_difference(b, a))),
            (Some(_), None) => differing.push(format!("{path}: only from the Smithy model")),
            (None, _) => differing.push(format!("{path}: only from the botocore model")),
        }
    }
    differing
}

fn ecs() -> Pair {
    pairs().into_iter().find(|p| p.sdk_id == "ECS").expect("ECS is a pair")
}

#[test]
#[ignore = "reads ../shared/testsuites; run by .ci/run"]
fn every_smithy_model_generates() {
    let pairs = pairs();
    assert!(pairs.len() == 130 || std::env::var_os("AWSGEN_SERVICES").is_some());
    let mut failures = Vec::new();
    for pair in &pairs {
        let started = std::time::Instant::now();
        match codegen::generate(&smithy_input(pair), &options(pair, "smithy", None)) {
            Ok(generated) => println!(
                "ok   {}: {} shapes, {} operations, {} waiters, {} paginated operations, {:.0} ms",
                pair.sdk_id,
                generated.shape_count(),
                generated.operation_count(),
                generated.service.waiters.len(),
                generated
                    .service
                    .operations
                    .iter()
                    .filter(|o| o.paginator.is_some())
                    .count(),
                started.elapsed().as_secs_f64() * 1000.0
            ),
            Err(diagnostics) => failures.push(format!("{}:\n{diagnostics}", pair.sdk_id)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "reads ../shared/testsuites; run by .ci/run"]
fn ecs_describe_task_sets_is_identical() {
    // Nothing is reconciled: the crate for the product is the same whichever model it came from.
    let pair = ecs();
    let operations = Some(&["DescribeTaskSets"][..]);
    let (smithy, smithy_diagnostics) = lower(&smithy_input(&pair));
    let (botocore, botocore_diagnostics) = lower(&botocore_input(&pair));
    let ours = generate(smithy, smithy_diagnostics, &options(&pair, "smithy", operations));
    let theirs = generate(botocore, botocore_diagnostics, &options(&pair, "botocore", operations));
    let differing = differing_files(&ours, &theirs);
    assert!(differing.is_empty(), "{}", differing.join("\n\n"));
}

/// The files of the whole ECS crate that differ between the two models, and why: the only places where the two
/// files, published the same day, state different facts.
const ECS_DIFFERING_FILES: &[(&str, &str)] = &[
    (
        "src/types/_managed_scaling.rs",
        "instanceWarmupPeriod: Smithy gives it no @default (nullable); botocore's target has no `box` and a range that allows 0",
    ),
    (
        "src/types/_rollback.rs",
        "serviceRevisionArn: the two files document the member differently",
    ),
    (
        "src/types/_timeout_configuration.rs",
        "idleTimeoutSeconds, perRequestTimeoutSeconds: as instanceWarmupPeriod (nullable in Smithy, a non-`box` Duration in botocore)",
    ),
];

#[test]
#[ignore = "reads ../shared/testsuites; run by .ci/run"]
fn whole_ecs_differs_only_where_the_models_do() {
    // Nothing is reconciled here either: error order, exceptions' messages and zero-excluding ranges are decided
    // the same way by both front-ends, and what is left is what the files themselves disagree on.
    let pair = ecs();
    let (smithy, smithy_diagnostics) = lower(&smithy_input(&pair));
    let (botocore, botocore_diagnostics) = lower(&botocore_input(&pair));
    let ours = generate(smithy, smithy_diagnostics, &options(&pair, "smithy", None));
    let theirs = generate(botocore, botocore_diagnostics, &options(&pair, "botocore", None));
    let differing = differing_files(&ours, &theirs);
    let paths: Vec<&str> = differing
        .iter()
        .map(|d| d.split_once(':').map_or(d.as_str(), |(path, _)| path))
        .collect();
    let expected: Vec<&str> = ECS_DIFFERING_FILES.iter().map(|(path, _)| *path).collect();
    assert_eq!(paths, expected, "{}", differing.join("\n\n"));
    println!(
        "whole ECS: {} files, {} differ: {expected:?}",
        ours.len(),
        differing.len()
    );
}

/// The expected differences: `<sdkId> | <kind> | <subjects>` per line, sorted.
fn expected_path() -> PathBuf {
    repo_root().join("tests/smithy_equivalence/expected_differences.txt")
}

#[test]
#[ignore = "reads ../shared/testsuites; run by .ci/run"]
fn both_front_ends_give_the_same_crates() {
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    let mut identical = 0;
    for pair in pairs() {
        let (mut smithy, smithy_diagnostics) = lower(&smithy_input(&pair));
        let (botocore, botocore_diagnostics) = lower(&botocore_input(&pair));
        let differences = facts::reconcile(&mut smithy, &botocore);
        if differences.is_empty() {
            identical += 1;
        }
        let mut by_kind: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for difference in differences {
            by_kind.entry(difference.kind).or_default().push(difference.subject);
        }
        for (kind, subjects) in by_kind {
            lines.push(format!("{} | {kind} | {}", pair.sdk_id, subjects.join(", ")));
        }
        let ours = generate(smithy, smithy_diagnostics, &options(&pair, "smithy", None));
        let theirs = generate(botocore, botocore_diagnostics, &options(&pair, "botocore", None));
        let differing = differing_files(&ours, &theirs);
        println!("{}: {} files differ after reconciliation", pair.sdk_id, differing.len());
        if !differing.is_empty() {
            failures.push(format!(
                "{}: {} files differ beyond the listed facts:\n{}",
                pair.sdk_id,
                differing.len(),
                differing.iter().take(3).cloned().collect::<Vec<_>>().join("\n")
            ));
        }
    }
    let mut actual = String::from(
        "# Facts on which the Smithy and botocore models of a service differ: <sdkId> | <kind> | <subjects>.\n\
         # Kinds (tests/smithy_equivalence/facts.rs):\n",
    );
    for (kind, why) in facts::KINDS {
        actual.push_str(&format!("#   {kind}: {why}\n"));
    }
    for line in &lines {
        actual.push_str(line);
        actual.push('\n');
    }
    println!(
        "{identical} of 130 services lower to the same IR facts; {} difference lines",
        lines.len()
    );
    if updating() {
        std::fs::write(expected_path(), &actual).unwrap();
    } else {
        let expected = std::fs::read_to_string(expected_path()).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "the differences are not the expected ones (UPDATE_GOLDENS=1 rewrites {}):\n{}",
                expected_path().display(),
                first_difference(&expected, &actual)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
#[ignore = "reads ../shared/testsuites and compiles crates for minutes; run by .ci/run"]
fn smithy_crates_compile_with_warnings_denied() {
    let all = std::env::var_os("AWSGEN_COMPILE_ALL").is_some_and(|v| v == "1");
    let crates: Vec<(String, Vec<(String, String)>)> = pairs()
        .into_iter()
        .filter(|pair| all || COMPILED.contains(&pair.sdk_id.as_str()))
        .map(|pair| {
            let generated = codegen::generate(&smithy_input(&pair), &options(&pair, "smithy", None))
                .unwrap_or_else(|d| panic!("{}: {d}", pair.sdk_id));
            (crate_name(&pair.sdk_id), generated.files)
        })
        .collect();
    assert!(all || crates.len() == COMPILED.len());
    compile_crates(&repo_root().join("target/smithy-equivalence"), &crates);
}
