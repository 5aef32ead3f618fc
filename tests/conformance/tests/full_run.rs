//! The whole conformance run, as `cargo xtask conformance` does it: every suite generated, built and run.
//! Ignored by a plain `cargo test` because it generates and builds about fifty crates; run it with
//! `cargo test -p awsgen-conformance -- --ignored`.

use conformance::suite::{parse_file, DEFAULT_FILES};
use std::path::Path;

#[test]
#[ignore = "builds crates; run by cargo xtask conformance"]
fn every_case_of_every_suite_is_run_and_judged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let options = conformance::Options::for_repo(&root);
    let report = conformance::run(&options).expect("the run completes");
    for file in &report.files {
        println!("{}", file.summary_line());
        for (id, reason) in file.failures() {
            println!("  FAIL {id}: {reason}");
        }
    }
    println!("{}", report.summary_line());

    // Every case of every file is accounted for, in file order, and every failure says why.
    let mut expected = Vec::new();
    for name in DEFAULT_FILES {
        let text = std::fs::read_to_string(options.suites_dir.join(name)).unwrap();
        let file = parse_file(name, &text).unwrap();
        let count: usize = file.suites.iter().map(|s| s.cases.len()).sum();
        expected.push((name.to_string(), count));
    }
    let counted: Vec<(String, usize)> = report.files.iter().map(|f| (f.path.clone(), f.cases.len())).collect();
    assert_eq!(counted, expected);
    assert!(report
        .files
        .iter()
        .all(|f| f.failures().all(|(_, reason)| !reason.is_empty())));

    // The core of the protocol (every scalar, blobs, timestamps, collections, recursion, both directions)
    // passes: a regression here is a generator or runtime bug, not a missing feature.
    let kitchen_sink: Vec<_> = report
        .files
        .iter()
        .flat_map(|f| &f.cases)
        .filter(|c| c.suite.contains("KitchenSinkOperation"))
        .collect();
    assert_eq!(kitchen_sink.len(), 28 + 23);
    let failing: Vec<_> = kitchen_sink.iter().filter(|c| c.outcome.is_err()).collect();
    assert!(failing.is_empty(), "{failing:#?}");
}
