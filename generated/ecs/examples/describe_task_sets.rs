// Copied by awsgen from models/ecs/examples/describe_task_sets.rs; edit it there. Regenerate with `cargo xtask codegen`.

//! Describes the task sets of an ECS service, as a downstream program would, and prints the result as JSON.
//!
//! ```text
//! cargo run -p awsgen-ecs --example describe_task_sets -- --cluster C --service S [--task-set ID]... [--include-tags]
//! ```
//!
//! Region, credentials and endpoint come from wherever the AWS SDKs find them: AWS_REGION, the access key
//! variables, web identity (EKS), AWS_PROFILE and the shared files (roles, SSO, credential_process), the
//! container endpoint (ECS), IMDS (EC2), AWS_ENDPOINT_URL_ECS. The output is the serde form of
//! `DescribeTaskSetsOutput` on stdout; errors go to stderr with a non-zero exit.

use awsgen_ecs::error::SdkError;
use awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsError;
use awsgen_ecs::types::TaskSetField;
use awsgen_ecs::{Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: describe_task_sets --cluster CLUSTER --service SERVICE [--task-set ID]... [--include-tags]";

/// How much of an unparseable response's body is shown: enough for a proxy's or an emulator's message.
const BODY_SHOWN: usize = 2048;

fn main() -> ExitCode {
    match run() {
        Ok(Some(json)) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The command line, read strictly: a flag's value may not look like a flag, and single-valued flags are
/// given once.
struct Args {
    cluster: String,
    service: String,
    task_sets: Vec<String>,
    include_tags: bool,
}

/// `None` for `--help`.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Args>, String> {
    let mut args = args.into_iter();
    let (mut cluster, mut service, mut task_sets, mut include_tags) = (None, None, Vec::new(), false);
    while let Some(arg) = args.next() {
        let mut value = || match args.next() {
            Some(value) if !value.starts_with("--") => Ok(value),
            _ => Err(format!("{arg} needs a value\n{USAGE}")),
        };
        let once = |slot: &mut Option<String>, value: String| match slot.replace(value) {
            Some(_) => Err(format!("{arg} is given twice\n{USAGE}")),
            None => Ok(()),
        };
        match arg.as_str() {
            "--cluster" => once(&mut cluster, value()?)?,
            "--service" => once(&mut service, value()?)?,
            "--task-set" => task_sets.push(value()?),
            "--include-tags" => include_tags = true,
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(Some(Args {
        cluster: cluster.ok_or_else(|| format!("--cluster is required\n{USAGE}"))?,
        service: service.ok_or_else(|| format!("--service is required\n{USAGE}"))?,
        task_sets,
        include_tags,
    }))
}

fn run() -> Result<Option<String>, String> {
    let Some(args) = parse_args(std::env::args().skip(1))? else {
        return Ok(None);
    };
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let client = Client::from_conf(config);
    let mut request = client.describe_task_sets().cluster(args.cluster).service(args.service);
    for task_set in args.task_sets {
        request = request.task_sets(task_set);
    }
    if args.include_tags {
        request = request.include(TaskSetField::Tags);
    }
    // No async runtime needed here: `send_blocking` drives the same call to completion on this thread.
    let output = request.send_blocking().map_err(|e| describe(&e))?;
    awsgen_runtime::serde_json::to_string_pretty(&output)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The error with what a user needs to act on it: the service's code, message and request id, or for a
/// response that could not be read, its status, request id and the start of its body.
fn describe(error: &SdkError<DescribeTaskSetsError>) -> String {
    match error {
        SdkError::Service(service) => {
            let meta = service.meta();
            format!(
                "{error}\n  code: {}\n  message: {}\n  request id: {}",
                meta.code().unwrap_or("(none)"),
                meta.message().unwrap_or("(none)"),
                meta.request_id().unwrap_or("(none)")
            )
        }
        SdkError::Response(response) => {
            let body = String::from_utf8_lossy(response.raw().body());
            let shown: String = body.chars().take(BODY_SHOWN).collect();
            let cut = if shown.len() < body.len() { "..." } else { "" };
            format!(
                "{error}\n  request id: {}\n  body: {shown}{cut}",
                response.request_id().unwrap_or("(none)")
            )
        }
        other => other.to_string(),
    }
}
