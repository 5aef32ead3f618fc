//! Per-call cost in process: the generated client's whole `describe_task_sets().send()` over an in-memory
//! transport (build, validate, serialize, sign, parse, retry bookkeeping) against a bare `serde_json` parse of
//! the same response body into the same output type, for canned responses of 1 and 100 task sets; then what
//! endpoint resolution through the model's rule set costs per call (the cached answer for the call's
//! parameters, as every call after the first gets it).
//!
//! `cargo bench -p awsgen-behaviour-tests --bench call_overhead` prints medians and the ratio; the machine is
//! shared, so compare the columns of one run, not runs with each other. A second table breaks the parse down:
//! the runtime's `wire::decode` (the client's parser), serde_json into the same types from `&[u8]` (the client's
//! path before issue 11), and serde_json skipping the body (`IgnoredAny`, a floor for a parser that looks at
//! every byte), and cloning the parsed output and dropping the clone (the heap work any parser does to build it);
//! a counting allocator gives the heap allocations of one call and of one parse by each parser.
//!
//! For a profiler, `CALL_OVERHEAD_PROFILE=<task sets>` makes the bench run only the client call with that many
//! task sets, for ten seconds (`perf record target/release/deps/call_overhead-*`); `decode:<task sets>` runs
//! only `wire::decode` of the body.

use awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsOutput;
use awsgen_ecs::Client;
use awsgen_runtime::transport::{block_on, BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting allocations (and reallocations, which may move) so the bench can report
/// them per call.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
/// Set while [`allocations`] counts, so the timed runs pay no atomic increment per allocation.
static COUNTING: AtomicBool = AtomicBool::new(false);

fn count_allocation() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the counter has no
// effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: the caller's contract for `alloc` is `System::alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` through this allocator, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation();
        // SAFETY: `ptr` came from `System` through this allocator, with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap allocations made by one run of `f` (after one warm-up run, so caches filled on first use are not
/// counted).
fn allocations(mut f: impl FnMut()) -> usize {
    f();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    f();
    COUNTING.store(false, Ordering::Relaxed);
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

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

/// The client call alone (or, with `decode`, the parse alone), over and over for ten seconds, for a profiler.
fn profile(count: usize, decode_only: bool) {
    let body = response_body(count).into_bytes();
    let client = Client::from_conf(awsgen_test_support::config().transport(Canned(body.clone())).build());
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if decode_only {
            let output: DescribeTaskSetsOutput = awsgen_runtime::wire::decode(black_box(&body)).expect("parse");
            black_box(output);
        } else {
            let output = block_on(client.describe_task_sets().cluster("c").service("s").send()).expect("call");
            black_box(output);
        }
    }
}

fn main() {
    if let Ok(what) = std::env::var("CALL_OVERHEAD_PROFILE") {
        let (decode_only, count) = match what.strip_prefix("decode:") {
            Some(count) => (true, count),
            None => (false, what.as_str()),
        };
        return profile(
            count.parse().expect("CALL_OVERHEAD_PROFILE=[decode:]<task sets>"),
            decode_only,
        );
    }
    println!(
        "{:<14} {:>10} {:>16} {:>16} {:>8}",
        "response", "bytes", "client call", "serde_json only", "ratio"
    );
    let mut breakdown = Vec::new();
    for count in [1, 100] {
        let body = response_body(count);
        let transport = Canned(body.clone().into_bytes());
        let config = awsgen_test_support::config().transport(transport).build();
        let client = Client::from_conf(config);
        let runs = if count == 1 { 20_000 } else { 2_000 };
        let mut call_once = || {
            let output = block_on(client.describe_task_sets().cluster("c").service("s").send()).expect("call");
            black_box(output);
        };
        let call = median(runs, &mut call_once);
        let call_allocations = allocations(&mut call_once);
        let parse = median(runs, || {
            let output: DescribeTaskSetsOutput = serde_json::from_str(black_box(&body)).expect("parse");
            black_box(output);
        });
        let mut from_slice_once = || {
            let output: DescribeTaskSetsOutput = serde_json::from_slice(black_box(body.as_bytes())).expect("parse");
            black_box(output);
        };
        let from_slice = median(runs, &mut from_slice_once);
        let parse_allocations = allocations(&mut from_slice_once);
        let mut wire_once = || {
            let output: DescribeTaskSetsOutput =
                awsgen_runtime::wire::decode(black_box(body.as_bytes())).expect("parse");
            black_box(output);
        };
        let wire = median(runs, &mut wire_once);
        let wire_allocations = allocations(&mut wire_once);
        // What allocating and freeing the output alone costs: a clone allocates the same strings and lists.
        let decoded: DescribeTaskSetsOutput = awsgen_runtime::wire::decode(body.as_bytes()).expect("parse");
        let clone = median(runs, || {
            black_box(black_box(&decoded).clone());
        });
        let ignored = median(runs, || {
            let ignored: awsgen_runtime::serde::de::IgnoredAny =
                serde_json::from_slice(black_box(body.as_bytes())).expect("skip");
            black_box(ignored);
        });
        let label = format!("{count} task set{}", if count == 1 { "" } else { "s" });
        println!(
            "{:<14} {:>10} {:>13.1} us {:>13.1} us {:>7.2}x",
            label,
            body.len(),
            call.as_secs_f64() * 1e6,
            parse.as_secs_f64() * 1e6,
            call.as_secs_f64() / parse.as_secs_f64()
        );
        breakdown.push((
            label,
            wire,
            from_slice,
            ignored,
            clone,
            call_allocations,
            wire_allocations,
            parse_allocations,
        ));
    }
    println!();
    println!(
        "{:<14} {:>13} {:>17} {:>11} {:>13} {:>16} {:>12} {:>13}",
        "response",
        "wire::decode",
        "serde from_slice",
        "IgnoredAny",
        "clone+drop",
        "allocs per call",
        "wire allocs",
        "serde allocs"
    );
    for (label, wire, from_slice, ignored, clone, call_allocations, wire_allocations, parse_allocations) in breakdown {
        println!(
            "{:<14} {:>10.1} us {:>14.1} us {:>8.1} us {:>10.1} us {:>16} {:>12} {:>13}",
            label,
            wire.as_secs_f64() * 1e6,
            from_slice.as_secs_f64() * 1e6,
            ignored.as_secs_f64() * 1e6,
            clone.as_secs_f64() * 1e6,
            call_allocations,
            wire_allocations,
            parse_allocations
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
