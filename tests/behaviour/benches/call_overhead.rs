//! Per-call cost in process: the generated client's whole `describe_task_sets().send()` over an in-memory
//! transport (build, validate, serialize, sign, parse, retry bookkeeping) against a bare `serde_json` parse of
//! the same response body into the same output type, for canned responses of 1 and 100 task sets; then what
//! endpoint resolution through the model's rule set costs per call (the cached answer for the call's
//! parameters, as every call after the first gets it).
//!
//! `cargo bench -p awsgen-behaviour-tests --bench call_overhead` prints medians and the ratio; the machine is
//! shared, so compare the two columns of one run, not runs with each other.

use awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsOutput;
use awsgen_ecs::Client;
use awsgen_runtime::transport::{block_on, BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Answers every request with the same body, recording nothing (unlike `StubTransport`), so the
/// measurement is the client's work plus handing over the bytes, as a real transport would.
#[derive(Debug)]
struct Canned(Vec<u8>);

impl Transport for Canned {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let body = self.0.clone();
        Box::pin(async move {
            awsgen_runtime::http::Response::builder()
                .status(200)
                .body(body)
                .map_err(TransportError::other)
        })
    }
}

/// A response with `count` task sets, each shaped like the full fixture's first one.
fn response_body(count: usize) -> String {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/describe_task_sets_full.json")).expect("fixture");
    let one = fixture["taskSets"][0].clone();
    let sets: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let mut set = one.clone();
            set["id"] = serde_json::Value::String(format!("ecs-svc/{i:019}"));
            set
        })
        .collect();
    serde_json::json!({ "taskSets": sets, "failures": [] }).to_string()
}

/// Median of `runs` timings of `f`, after a warm-up.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..runs / 10 + 1 {
        f();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    println!(
        "{:<14} {:>10} {:>16} {:>16} {:>8}",
        "response", "bytes", "client call", "serde_json only", "ratio"
    );
    for count in [1, 100] {
        let body = response_body(count);
        let transport = Canned(body.clone().into_bytes());
        let config = awsgen_test_support::config().transport(transport).build();
        let client = Client::from_conf(config);
        let runs = if count == 1 { 20_000 } else { 2_000 };
        let call = median(runs, || {
            let output = block_on(client.describe_task_sets().cluster("c").service("s").send()).expect("call");
            black_box(output);
        });
        let parse = median(runs, || {
            let output: DescribeTaskSetsOutput = serde_json::from_str(black_box(&body)).expect("parse");
            black_box(output);
        });
        println!(
            "{:<14} {:>10} {:>13.1} us {:>13.1} us {:>7.2}x",
            format!("{count} task set{}", if count == 1 { "" } else { "s" }),
            body.len(),
            call.as_secs_f64() * 1e6,
            parse.as_secs_f64() * 1e6,
            call.as_secs_f64() / parse.as_secs_f64()
        );
    }
    let config = awsgen_test_support::config().region("us-east-1").build();
    let input = awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsInput::builder()
        .cluster("c")
        .service("s")
        .build()
        .expect("input");
    const BATCH: u32 = 1_000;
    let resolve = median(2_000, || {
        for _ in 0..BATCH {
            let endpoint = awsgen_runtime::protocol::resolve_endpoint(&awsgen_ecs::client::SERVICE, &config, &input);
            black_box(endpoint.expect("endpoint"));
        }
    });
    println!(
        "endpoint resolution per call (rule set, cached per parameters): {:.3} us",
        resolve.as_secs_f64() * 1e6 / f64::from(BATCH)
    );
}
