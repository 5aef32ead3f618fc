//! The peer benchmark (issue 11): the generated ECS client (`awsgen-ecs`) against `aws-sdk-ecs` in one process,
//! over the same canned DescribeTaskSets responses (1 and 100 task sets, every member of the response filled),
//! with the floor beside them: a bare `serde_json` parse of the same body into our output type.
//!
//! Run it with `cargo xtask bench-peer` (release build; `--quick` for a short run; `--profile ours 10` runs only
//! one subject over the large body, for `perf record`). What is measured:
//!
//! - per call: `client.describe_task_sets().cluster("c").service("s").send().await` on one Tokio current-thread
//!   runtime, for both clients: input building, serialization, endpoint resolution, SigV4 signing, the
//!   transport handing back a fresh copy of the body, and parsing. Neither client touches the network, the
//!   environment or IMDS: both configs are built explicitly with the same static credentials and region.
//! - rounds: each round runs a batch of each of the three subjects, one after the other (the order rotated every
//!   round), so drift on a shared machine falls on all three alike; per call = batch time / calls in the batch;
//!   the median and minimum are over batches, and their batch over ours within a round gives a paired ratio whose
//!   spread shows how steady the machine was.
//! - allocations: a counting global allocator, switched on only for a separate run after the timed ones. While
//!   switched off it costs one relaxed load of an uncontended flag per allocation, for all subjects alike.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsOutput;
use awsgen_ecs::transport::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use serde_json::{json, Value};

const PEER: &str = "aws-sdk-ecs 1.157.0";
const REGION: &str = "us-east-1";
/// AWS's documentation example key pair: both clients sign every request with it.
const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The response every subject reads: `tests/behaviour/fixtures/describe_task_sets_full.json`, whose first task set
/// fills every member of TaskSet and of the shapes under it (the two load balancers between them: a target
/// group with its advanced configuration, and a classic load balancer by name), and whose failure fills Failure.
const FIXTURE: &str = include_str!("../../../tests/behaviour/fixtures/describe_task_sets_full.json");
/// The request id both canned responses carry, as AWS's do (`x-amzn-RequestId`); both clients read it.
const REQUEST_ID: &str = "5ad1bd6b-2f0c-4b68-9b0e-3f7f4a4a1c8e";

// --- allocation counting ------------------------------------------------------------------------------------

/// `System`, counting allocations (`alloc`, `alloc_zeroed` and `realloc` calls, and the bytes each asks for)
/// while [`COUNTING`] is on.
struct CountingAllocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

fn count(bytes: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(bytes as u64, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to `System`; counting touches only atomics and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

// --- the bodies -----------------------------------------------------------------------------------------------

/// A DescribeTaskSets response with `count` task sets, each the fixture's first with its own id and ARN (as a
/// service's task sets differ), and the fixture's failure.
fn response_body(count: usize) -> String {
    let fixture: Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    let first = &fixture["taskSets"][0];
    let arn = first["taskSetArn"].as_str().expect("taskSetArn");
    let arn_prefix = &arn[..arn.rfind('/').expect("an ARN with a path") + 1];
    let sets: Vec<Value> = (0..count)
        .map(|i| {
            let id = format!("{:019}", 1_234_567_890_123_456_789u64 + i as u64);
            let mut set = first.clone();
            set["id"] = Value::String(format!("ecs-svc/{id}"));
            set["taskSetArn"] = Value::String(format!("{arn_prefix}{id}"));
            set
        })
        .collect();
    json!({ "taskSets": sets, "failures": fixture["failures"] }).to_string()
}

// --- the two clients ------------------------------------------------------------------------------------------

/// The headers of both canned responses: those AWS sends with a DescribeTaskSets answer.
fn response_headers(body_len: usize) -> [(&'static str, String); 3] {
    [
        ("x-amzn-RequestId", REQUEST_ID.to_owned()),
        ("Content-Type", "application/x-amz-json-1.1".to_owned()),
        ("Content-Length", body_len.to_string()),
    ]
}

/// Our transport: every request gets a 200 with a fresh copy of the body (a network transport hands over bytes
/// it has just received), and nothing is recorded.
#[derive(Debug)]
struct Canned(Vec<u8>);

impl Transport for Canned {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let body = self.0.clone();
        Box::pin(async move {
            let mut response = awsgen_ecs::test_util::http::Response::builder().status(200);
            for (name, value) in response_headers(body.len()) {
                response = response.header(name, value);
            }
            response.body(body).map_err(TransportError::other)
        })
    }
}

fn our_client(body: &str) -> awsgen_ecs::Client {
    let config = awsgen_ecs::Config::builder()
        .region(REGION)
        .credentials(awsgen_ecs::Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None))
        .transport(Canned(body.as_bytes().to_vec()))
        .build();
    awsgen_ecs::Client::from_conf(config)
}

/// The SDK with its test client `infallible_client_fn`, the cheapest it offers: a closure answers each request,
/// nothing is recorded or replayed from a list. Like ours it hands back a fresh copy of the body; the SDK's
/// defaults for the latest behaviour version apply otherwise (standard retries, stalled-stream protection).
fn peer_client(body: &str) -> aws_sdk_ecs::Client {
    let body = body.as_bytes().to_vec();
    let http_client = aws_smithy_http_client::test_util::infallible_client_fn(move |_request| {
        let mut response = http::Response::builder().status(200);
        for (name, value) in response_headers(body.len()) {
            response = response.header(name, value);
        }
        response.body(body.clone()).expect("a canned response")
    });
    let config = aws_sdk_ecs::Config::builder()
        .behavior_version(aws_sdk_ecs::config::BehaviorVersion::latest())
        .region(aws_sdk_ecs::config::Region::new(REGION))
        .credentials_provider(aws_sdk_ecs::config::Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "bench",
        ))
        .http_client(http_client)
        .build();
    aws_sdk_ecs::Client::from_conf(config)
}

async fn our_call(client: &awsgen_ecs::Client) -> DescribeTaskSetsOutput {
    match client.describe_task_sets().cluster("c").service("s").send().await {
        Ok(output) => output,
        Err(err) => panic!("awsgen-ecs: {err:?}"),
    }
}

async fn peer_call(client: &aws_sdk_ecs::Client) -> aws_sdk_ecs::operation::describe_task_sets::DescribeTaskSetsOutput {
    match client.describe_task_sets().cluster("c").service("s").send().await {
        Ok(output) => output,
        Err(err) => panic!("aws-sdk-ecs: {err:?}"),
    }
}

fn floor_parse(body: &str) -> DescribeTaskSetsOutput {
    serde_json::from_str(body).expect("the floor parses the body")
}

// --- both outputs, member by member -----------------------------------------------------------------------------

/// The SDK's output as the wire's JSON, every member of the response syntax written out, so that comparing it
/// with the body shows the SDK parsed all of it. Integers and doubles the SDK keeps as plain numbers (absent reads
/// as 0) are written only when non-zero; the body has none that are zero.
fn peer_json(output: &aws_sdk_ecs::operation::describe_task_sets::DescribeTaskSetsOutput) -> Value {
    use aws_sdk_ecs::types;

    fn object(pairs: Vec<(&str, Option<Value>)>) -> Value {
        Value::Object(
            pairs
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_owned(), v?)))
                .collect(),
        )
    }
    fn string(s: Option<&str>) -> Option<Value> {
        s.map(|s| Value::String(s.to_owned()))
    }
    fn strings(list: &[String]) -> Option<Value> {
        Some(list.iter().map(|s| Value::String(s.clone())).collect())
    }
    fn nonzero(n: i32) -> Option<Value> {
        (n != 0).then(|| json!(n))
    }
    fn time(t: Option<&aws_sdk_ecs::primitives::DateTime>) -> Option<Value> {
        t.map(|t| json!(t.secs() as f64 + f64::from(t.subsec_nanos()) / 1e9))
    }
    fn list<T>(items: Option<&Vec<T>>, each: fn(&T) -> Value) -> Option<Value> {
        items.map(|items| items.iter().map(each).collect())
    }
    fn strategy(s: &types::CapacityProviderStrategyItem) -> Value {
        object(vec![
            ("capacityProvider", string(Some(s.capacity_provider()))),
            ("weight", nonzero(s.weight())),
            ("base", nonzero(s.base())),
        ])
    }
    fn load_balancer(lb: &types::LoadBalancer) -> Value {
        let advanced = lb.advanced_configuration().map(|a| {
            object(vec![
                ("alternateTargetGroupArn", string(a.alternate_target_group_arn())),
                ("productionListenerRule", string(a.production_listener_rule())),
                ("testListenerRule", string(a.test_listener_rule())),
                ("roleArn", string(a.role_arn())),
            ])
        });
        object(vec![
            ("targetGroupArn", string(lb.target_group_arn())),
            ("loadBalancerName", string(lb.load_balancer_name())),
            ("containerName", string(lb.container_name())),
            ("containerPort", lb.container_port().map(|n| json!(n))),
            ("advancedConfiguration", advanced),
        ])
    }
    fn registry(r: &types::ServiceRegistry) -> Value {
        object(vec![
            ("registryArn", string(r.registry_arn())),
            ("port", r.port().map(|n| json!(n))),
            ("containerName", string(r.container_name())),
            ("containerPort", r.container_port().map(|n| json!(n))),
        ])
    }
    fn tag(t: &types::Tag) -> Value {
        object(vec![("key", string(t.key())), ("value", string(t.value()))])
    }
    fn task_set(s: &types::TaskSet) -> Value {
        let network = s.network_configuration().map(|n| {
            let vpc = n.awsvpc_configuration().map(|v| {
                object(vec![
                    ("subnets", strings(v.subnets())),
                    ("securityGroups", v.security_groups.as_deref().and_then(strings)),
                    ("assignPublicIp", string(v.assign_public_ip().map(|a| a.as_str()))),
                ])
            });
            object(vec![("awsvpcConfiguration", vpc)])
        });
        let scale = s.scale().map(|scale| {
            object(vec![
                ("value", (scale.value() != 0.0).then(|| json!(scale.value()))),
                ("unit", string(scale.unit().map(|u| u.as_str()))),
            ])
        });
        let storage = s
            .fargate_ephemeral_storage()
            .map(|f| object(vec![("kmsKeyId", string(f.kms_key_id()))]));
        object(vec![
            ("id", string(s.id())),
            ("taskSetArn", string(s.task_set_arn())),
            ("serviceArn", string(s.service_arn())),
            ("clusterArn", string(s.cluster_arn())),
            ("startedBy", string(s.started_by())),
            ("externalId", string(s.external_id())),
            ("status", string(s.status())),
            ("taskDefinition", string(s.task_definition())),
            ("computedDesiredCount", nonzero(s.computed_desired_count())),
            ("pendingCount", nonzero(s.pending_count())),
            ("runningCount", nonzero(s.running_count())),
            ("createdAt", time(s.created_at())),
            ("updatedAt", time(s.updated_at())),
            ("launchType", string(s.launch_type().map(|l| l.as_str()))),
            (
                "capacityProviderStrategy",
                list(s.capacity_provider_strategy.as_ref(), strategy),
            ),
            ("platformVersion", string(s.platform_version())),
            ("platformFamily", string(s.platform_family())),
            ("networkConfiguration", network),
            ("loadBalancers", list(s.load_balancers.as_ref(), load_balancer)),
            ("serviceRegistries", list(s.service_registries.as_ref(), registry)),
            ("scale", scale),
            ("stabilityStatus", string(s.stability_status().map(|x| x.as_str()))),
            ("stabilityStatusAt", time(s.stability_status_at())),
            ("tags", list(s.tags.as_ref(), tag)),
            ("fargateEphemeralStorage", storage),
        ])
    }
    fn failure(f: &types::Failure) -> Value {
        object(vec![
            ("arn", string(f.arn())),
            ("reason", string(f.reason())),
            ("detail", string(f.detail())),
        ])
    }
    object(vec![
        ("taskSets", list(output.task_sets.as_ref(), task_set)),
        ("failures", list(output.failures.as_ref(), failure)),
    ])
}

/// Where `actual` differs from `expected` (numbers compared as doubles to a microsecond, since a timestamp read
/// into seconds and nanoseconds comes back as the nearest double, not the text's), or `None`.
fn difference(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys()) {
                let (e, a) = (e.get(key).unwrap_or(&Value::Null), a.get(key).unwrap_or(&Value::Null));
                if let Some(d) = difference(&format!("{path}.{key}"), e, a) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .find_map(|(i, (e, a))| difference(&format!("{path}[{i}]"), e, a)),
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64()?, a.as_f64()?);
            ((e - a).abs() > 1e-6).then(|| format!("{path}: expected {e}, got {a}"))
        }
        _ => (expected != actual).then(|| format!("{path}: expected {expected}, got {actual}")),
    }
}

/// Both clients return every member of the body, and our client's output is the floor's.
fn check_outputs(
    body: &str,
    ours: &DescribeTaskSetsOutput,
    theirs: &aws_sdk_ecs::operation::describe_task_sets::DescribeTaskSetsOutput,
) {
    let expected: Value = serde_json::from_str(body).expect("body");
    let our_json = serde_json::to_value(ours).expect("our output serializes");
    if let Some(d) = difference("", &expected, &our_json) {
        panic!("awsgen-ecs did not return the body: {d}");
    }
    if let Some(d) = difference("", &expected, &peer_json(theirs)) {
        panic!("aws-sdk-ecs did not return the body: {d}");
    }
    use aws_sdk_ecs::operation::RequestId as _;
    use awsgen_ecs::operation::RequestId as _;
    assert_eq!(ours.request_id(), Some(REQUEST_ID), "awsgen-ecs's request id");
    assert_eq!(theirs.request_id(), Some(REQUEST_ID), "aws-sdk-ecs's request id");
    // The floor reads no headers (so no request id); its members must be the client's.
    let floor = floor_parse(body);
    assert_eq!(
        (ours.task_sets(), ours.failures()),
        (floor.task_sets(), floor.failures()),
        "the client's output is not the floor's"
    );
}

// --- measuring ------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Subject {
    Ours,
    Peer,
    Floor,
}

const SUBJECTS: [Subject; 3] = [Subject::Ours, Subject::Peer, Subject::Floor];

struct Bench<'a> {
    runtime: &'a tokio::runtime::Runtime,
    body: &'a str,
    ours: awsgen_ecs::Client,
    peer: aws_sdk_ecs::Client,
}

impl Bench<'_> {
    /// `calls` calls of `subject`, back to back, in one `block_on` (its cost spread over the batch).
    fn run(&self, subject: Subject, calls: u32) -> Duration {
        fn timed<F: Future>(runtime: &tokio::runtime::Runtime, calls: u32, call: impl Fn() -> F) -> Duration {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..calls {
                    black_box(call().await);
                }
                start.elapsed()
            })
        }
        match subject {
            Subject::Ours => timed(self.runtime, calls, || our_call(&self.ours)),
            Subject::Peer => timed(self.runtime, calls, || peer_call(&self.peer)),
            Subject::Floor => {
                let start = Instant::now();
                for _ in 0..calls {
                    black_box(floor_parse(black_box(self.body)));
                }
                start.elapsed()
            }
        }
    }

    /// Allocations and bytes asked for per call, over a separate run of `calls` calls.
    fn allocations(&self, subject: Subject, calls: u32) -> (f64, f64) {
        ALLOCATIONS.store(0, Ordering::Relaxed);
        ALLOCATED_BYTES.store(0, Ordering::Relaxed);
        COUNTING.store(true, Ordering::SeqCst);
        self.run(subject, calls);
        COUNTING.store(false, Ordering::SeqCst);
        let per_call = |n: &AtomicU64| n.load(Ordering::Relaxed) as f64 / f64::from(calls);
        (per_call(&ALLOCATIONS), per_call(&ALLOCATED_BYTES))
    }
}

struct Settings {
    batches: usize,
    batch_time: Duration,
    warm_up: Duration,
}

struct Row {
    median: f64,
    min: f64,
    max: f64,
    allocations: f64,
    bytes: f64,
}

fn median(sorted: &[f64]) -> f64 {
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

struct Measurement {
    /// One per subject, in [`SUBJECTS`] order.
    rows: Vec<Row>,
    calls_per_batch: u32,
    /// Their time over ours within each round (batches next to each other in time), sorted.
    paired_ratios: Vec<f64>,
}

/// Warms up, sizes the batches, runs them interleaved and counts allocations.
fn measure(bench: &Bench, settings: &Settings) -> Measurement {
    // Warm-up: caches, the allocator's free lists, the SDK's identity cache and our endpoint cache.
    let mut slowest = 0.0f64;
    for subject in SUBJECTS {
        let start = Instant::now();
        let mut calls = 0u32;
        while start.elapsed() < settings.warm_up || calls < 10 {
            bench.run(subject, 1);
            calls += 1;
        }
        // The median of a few short samples, so one busy moment does not size the batches.
        let mut samples: Vec<f64> = (0..7).map(|_| bench.run(subject, 10).as_secs_f64() / 10.0).collect();
        samples.sort_by(f64::total_cmp);
        slowest = slowest.max(median(&samples));
    }
    // The same number of calls per batch for all three, so that the slowest batch takes about `batch_time`.
    let calls = (settings.batch_time.as_secs_f64() / slowest.max(1e-9)).clamp(5.0, 100_000.0) as u32;
    let mut per_call: Vec<Vec<f64>> = vec![Vec::new(); SUBJECTS.len()];
    for round in 0..settings.batches {
        for k in 0..SUBJECTS.len() {
            let i = (round + k) % SUBJECTS.len();
            let elapsed = bench.run(SUBJECTS[i], calls);
            per_call[i].push(elapsed.as_secs_f64() / f64::from(calls));
        }
    }
    let mut paired_ratios: Vec<f64> = per_call[1]
        .iter()
        .zip(&per_call[0])
        .map(|(peer, ours)| peer / ours)
        .collect();
    paired_ratios.sort_by(f64::total_cmp);
    let counted_calls = calls.clamp(10, 200);
    let rows = SUBJECTS
        .iter()
        .zip(per_call)
        .map(|(&subject, mut times)| {
            times.sort_by(f64::total_cmp);
            let (allocations, bytes) = bench.allocations(subject, counted_calls);
            Row {
                median: median(&times),
                min: times[0],
                max: times[times.len() - 1],
                allocations,
                bytes,
            }
        })
        .collect();
    Measurement {
        rows,
        calls_per_batch: calls,
        paired_ratios,
    }
}

/// `--profile SUBJECT SECONDS`: only that subject's calls over the 100-task-set body, for `perf record`, so that
/// a profile shows one client and not three.
fn profile_one(runtime: &tokio::runtime::Runtime, subject: Subject, duration: Duration) {
    let body = response_body(100);
    let bench = Bench {
        runtime,
        body: &body,
        ours: our_client(&body),
        peer: peer_client(&body),
    };
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < duration {
        bench.run(subject, 100);
        calls += 100;
    }
    let per_call = start.elapsed().as_secs_f64() / calls as f64;
    println!("{calls} calls, {:.2} us per call", per_call * 1e6);
}

/// The machine's 1-minute load average and CPU count, where the system tells them (Linux), for the header and
/// the footer: figures taken while other work ran are worth less.
fn load() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    match std::fs::read_to_string("/proc/loadavg") {
        Ok(text) => format!(
            "load average {} on {cpus} CPUs",
            text.split_whitespace().next().unwrap_or("?")
        ),
        Err(_) => format!("{cpus} CPUs"),
    }
}

fn main() {
    let mut settings = Settings {
        batches: 101,
        batch_time: Duration::from_millis(10),
        warm_up: Duration::from_millis(500),
    };
    let mut profile: Option<(Subject, Duration)> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => {
                settings = Settings {
                    batches: 15,
                    batch_time: Duration::from_millis(5),
                    warm_up: Duration::from_millis(100),
                }
            }
            "--batches" => {
                settings.batches = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .expect("--batches needs a positive number")
            }
            "--profile" => {
                let subject = match args.next().as_deref() {
                    Some("ours") => Subject::Ours,
                    Some("peer") => Subject::Peer,
                    Some("floor") => Subject::Floor,
                    _ => panic!("--profile needs ours, peer or floor"),
                };
                let seconds: f64 = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n: &f64| n > 0.0)
                    .expect("--profile needs a positive number of seconds after the subject");
                profile = Some((subject, Duration::from_secs_f64(seconds)));
            }
            _ => {
                eprintln!("usage: awsgen-bench-peer [--quick] [--batches N] [--profile ours|peer|floor SECONDS]");
                std::process::exit(2);
            }
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; run `cargo xtask bench-peer` (release) for figures worth comparing");
    }
    // Current-thread, as a single caller's calls run; time for the SDK's sleeps (retries, stalled streams).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a Tokio runtime");

    if let Some((subject, duration)) = profile {
        profile_one(&runtime, subject, duration);
        return;
    }

    println!("peer benchmark: awsgen-ecs against {PEER}, DescribeTaskSets over a canned 200 response");
    println!(
        "  {} rounds per body, each a batch of every subject (order rotated each round); per call = batch time / \
         calls; the median and minimum are over batches",
        settings.batches
    );
    println!("  {} at the start", load());
    println!("  floor: serde_json::from_str of the same body into awsgen-ecs's DescribeTaskSetsOutput");
    println!("  allocations: allocations (alloc, alloc_zeroed, realloc) and bytes asked for per call, counted in a separate run");
    let mut ratios = Vec::new();
    for (count, label) in [(1, "1 task set"), (100, "100 task sets")] {
        let body = response_body(count);
        let bench = Bench {
            runtime: &runtime,
            body: &body,
            ours: our_client(&body),
            peer: peer_client(&body),
        };
        let ours = runtime.block_on(our_call(&bench.ours));
        let theirs = runtime.block_on(peer_call(&bench.peer));
        check_outputs(&body, &ours, &theirs);
        assert_eq!(ours.task_sets().len(), count);

        let Measurement {
            rows,
            calls_per_batch: calls,
            paired_ratios: paired,
        } = measure(&bench, &settings);
        println!();
        println!(
            "{label} ({} bytes), {calls} calls per batch; both outputs checked member by member against the body",
            body.len()
        );
        println!(
            "  {:<30} {:>11} {:>11} {:>11} {:>12} {:>12}",
            "", "median", "min", "max", "allocs/call", "bytes/call"
        );
        for (subject, row) in SUBJECTS.iter().zip(&rows) {
            let name = match subject {
                Subject::Ours => "awsgen-ecs send().await",
                Subject::Peer => "aws-sdk-ecs send().await",
                Subject::Floor => "floor: serde_json::from_str",
            };
            println!(
                "  {name:<30} {:>8.2} us {:>8.2} us {:>8.2} us {:>12.1} {:>12.0}",
                row.median * 1e6,
                row.min * 1e6,
                row.max * 1e6,
                row.allocations,
                row.bytes
            );
        }
        let (ours, peer, floor) = (&rows[0], &rows[1], &rows[2]);
        println!(
            "  awsgen-ecs: {:.2}x the floor's median; vs aws-sdk-ecs {:.2}x by medians, {:.2}x by minimums",
            ours.median / floor.median,
            peer.median / ours.median,
            peer.min / ours.min
        );
        // The ratio within each round (their batch and ours run moments apart) shows how steady the machine
        // was: a wide middle half means other work came and went during the run.
        let (low, mid, high) = (paired[paired.len() / 4], median(&paired), paired[paired.len() * 3 / 4]);
        println!("  per-round ratios vs aws-sdk-ecs: median {mid:.2}x, middle half {low:.2}x to {high:.2}x");
        if (high - low) / mid > 0.10 {
            println!(
                "  note: the machine was busy (the middle half of per-round ratios spans {:.0}%); rerun to compare",
                (high - low) / mid * 100.0
            );
        }
        ratios.push(peer.median / ours.median);
    }
    println!();
    println!("{} at the end", load());
    println!(
        "per call vs aws-sdk-ecs: {:.2}x (1 task set), {:.2}x (100 task sets)",
        ratios[0], ratios[1]
    );
}
