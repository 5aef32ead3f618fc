// Copied by awsgen from models/ecs/examples/describe_task_sets.rs; edit it there. Regenerate with `cargo xtask codegen`.

//! Describes the task sets of an ECS service, as a downstream program would, and prints the result as JSON.
//!
//! ```text
//! cargo run -p awsgen-ecs --example describe_task_sets -- --cluster C --service S [--task-set ID]... [--include-tags]
//! ```
//!
//! Region, credentials and endpoint come from the standard AWS environment (AWS_REGION, AWS_ACCESS_KEY_ID,
//! AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE and the shared files, AWS_ENDPOINT_URL_ECS). The output
//! is the serde form of `DescribeTaskSetsOutput` on stdout; errors go to stderr with a non-zero exit.

use awsgen_ecs::types::TaskSetField;
use awsgen_ecs::{Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: describe_task_sets --cluster CLUSTER --service SERVICE [--task-set ID]... [--include-tags]";

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<String, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut cluster, mut service, mut task_sets, mut include_tags) = (None, None, Vec::new(), false);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--cluster" => cluster = Some(value()?),
            "--service" => service = Some(value()?),
            "--task-set" => task_sets.push(value()?),
            "--include-tags" => include_tags = true,
            "--help" | "-h" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}").into()),
        }
    }
    let cluster = cluster.ok_or_else(|| format!("--cluster is required\n{USAGE}"))?;
    let service = service.ok_or_else(|| format!("--service is required\n{USAGE}"))?;

    let client = Client::from_conf(Config::from_env()?);
    let mut request = client.describe_task_sets().cluster(cluster).service(service);
    for task_set in task_sets {
        request = request.task_sets(task_set);
    }
    if include_tags {
        request = request.include(TaskSetField::Tags);
    }
    // No async runtime needed here: `send_blocking` drives the same call to completion on this thread.
    let output = request.send_blocking()?;
    Ok(awsgen_runtime::serde_json::to_string_pretty(&output)?)
}
