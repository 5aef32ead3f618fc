//! The runnable example (`generated/ecs/examples/describe_task_sets.rs`) as its users run it, with
//! `cargo run -p awsgen-ecs --example describe_task_sets -- ...`, against a seeded moto server: its JSON on
//! stdout must be what boto3 gets for the same call, and its failures must exit 1 with the reason on stderr.

mod common;

use common::{difference, shared, strings, Seed, SET_BY_CARGO_TEST};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, PoisonError};

/// Runs the example through cargo with only the AWS settings given here: every `AWS_*` variable of the
/// developer's environment is removed, and the shared files point at a path that does not exist, so neither
/// a profile nor `ignore_configured_endpoint_urls` can send the call elsewhere.
fn run_example(args: &[String]) -> Output {
    run_example_with(args, &[])
}

/// [`run_example`] with more variables set.
fn run_example_with(args: &[String], vars: &[(&str, &str)]) -> Output {
    // One cargo at a time: parallel tests would otherwise wait on cargo's lock and say so on stderr.
    static CARGO: Mutex<()> = Mutex::new(());
    let seeded = shared(Seed::Open);
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let no_file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-aws-file");
    let mut command = Command::new(env!("CARGO"));
    command
        .args([
            "run",
            "--quiet",
            "-p",
            "awsgen-ecs",
            "--example",
            "describe_task_sets",
            "--",
        ])
        .args(args)
        .current_dir(workspace)
        .stdin(Stdio::null());
    for (name, _) in std::env::vars_os() {
        let name_str = name.to_string_lossy();
        if name_str.starts_with("AWS_") || SET_BY_CARGO_TEST.iter().any(|p| name_str.starts_with(p)) {
            command.env_remove(name);
        }
    }
    command
        .env("AWS_ENDPOINT_URL", seeded.server.endpoint())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .env("AWS_CONFIG_FILE", &no_file)
        .env("AWS_SHARED_CREDENTIALS_FILE", &no_file)
        .envs(vars.iter().copied());
    let _one_at_a_time = CARGO.lock().unwrap_or_else(PoisonError::into_inner);
    command.output().unwrap()
}

/// The example's arguments for one call's boto3 parameters.
fn example_args(params: &Value) -> Vec<String> {
    let mut args = vec![
        "--cluster".to_owned(),
        params["cluster"].as_str().unwrap().to_owned(),
        "--service".to_owned(),
        params["service"].as_str().unwrap().to_owned(),
    ];
    for task_set in strings(&params["taskSets"]) {
        args.extend(["--task-set".to_owned(), task_set]);
    }
    match strings(&params["include"]).as_slice() {
        [] => {}
        [tags] if tags == "TAGS" => args.push("--include-tags".to_owned()),
        other => panic!("the example has no flag for include {other:?}"),
    }
    args
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exit 0 and the JSON it printed.
fn success(args: &[String]) -> Value {
    let output = run_example(args);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{args:?}: {}\nstderr: {stderr}", output.status);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {stdout}"))
}

/// Exit 1 (the example's failure, not cargo's 101), nothing on stdout; returns stderr.
fn failure(args: &[String]) -> String {
    let output = run_example(args);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{args:?}: stderr: {stderr}");
    assert_eq!(stdout, "", "{args:?}: stdout");
    stderr
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn prints_what_boto3_gets_for_every_call() {
    let calls = shared(Seed::Open).expected["calls"].as_object().expect("calls");
    assert_eq!(calls.len(), 6);
    for (name, call) in calls {
        let args = example_args(&call["params"]);
        match (call.get("result"), call.get("error")) {
            (Some(result), None) => {
                let ours = success(&args);
                if let Some(diff) = difference(result, &ours, name) {
                    panic!("{diff}\nboto3: {result:#}\nexample: {ours:#}");
                }
            }
            // missing_cluster and missing_service: the modelled error's code and message on stderr.
            (None, Some(error)) => {
                let stderr = failure(&args);
                let code = error["code"].as_str().unwrap();
                assert!(
                    stderr.contains(&format!("error: service error: {code}"))
                        && stderr.contains(&format!("code: {code}"))
                        && stderr.contains("request id: "),
                    "{name}: {stderr}"
                );
                assert!(stderr.contains(error["message"].as_str().unwrap()), "{name}: {stderr}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn include_tags_adds_the_tags() {
    let args = |extra: &[&str]| {
        let mut args: Vec<String> = ["--cluster", "e2e", "--service", "checkout"]
            .map(str::to_owned)
            .to_vec();
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };
    let tags = |output: &Value| -> Vec<Option<Value>> {
        let task_sets = output["taskSets"].as_array().expect("taskSets");
        assert_eq!(task_sets.len(), 2, "{output:#}");
        task_sets.iter().map(|t| t.get("tags").cloned()).collect()
    };
    assert_eq!(tags(&success(&args(&[]))), [None, None]);
    let with = tags(&success(&args(&["--include-tags"])));
    for tags in with {
        let tags = tags.expect("tags");
        let colour = tags.as_array().unwrap().iter().find(|t| t["key"] == "colour");
        assert!(colour.is_some(), "{tags}");
    }
}

fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn bad_command_lines_print_usage() {
    const USAGE: &str = "usage: describe_task_sets --cluster CLUSTER --service SERVICE";
    for (args, reason) in [
        (&["--service", "checkout"][..], "--cluster is required"),
        // A flag is not taken for the value of the one before it.
        (&["--cluster", "--service", "checkout"][..], "--cluster needs a value"),
        (
            &["--cluster", "a", "--cluster", "b", "--service", "s"][..],
            "--cluster is given twice",
        ),
        (
            &["--cluster", "a", "--service", "s", "--verbose"][..],
            "unknown argument \"--verbose\"",
        ),
    ] {
        let stderr = failure(&owned(args));
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
        assert!(stderr.contains(USAGE), "{args:?}: {stderr}");
    }
    // Asking for help is not a failure: the usage goes to stdout.
    let help = run_example(&owned(&["--help"]));
    assert!(help.status.success(), "{}", text(&help.stderr));
    assert!(text(&help.stdout).starts_with(USAGE), "{}", text(&help.stdout));
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn fips_with_a_custom_endpoint_is_refused_with_the_rule_sets_message() {
    // `AWS_ENDPOINT_URL` points at moto: FIPS endpoints cannot be custom ones, so the call must not be made.
    let output = run_example_with(
        &owned(&["--cluster", "e2e", "--service", "checkout"]),
        &[("AWS_USE_FIPS_ENDPOINT", "true")],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("Invalid Configuration: FIPS and custom endpoint are not supported"),
        "{stderr}"
    );
}
