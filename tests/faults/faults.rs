//! Faults through the generated ECS client: `DescribeTaskSets` against a scripted faulty HTTP/1.1 server
//! (`awsgen_test_support::Server`) on 127.0.0.1, each scenario run by three flavours of the same client:
//!
//! - `async_hyper`: `send().await` on a current-thread Tokio runtime (hyper on the caller's runtime);
//! - `blocking_ureq`: `send_blocking()` with the ureq transport;
//! - `blocking_hyper`: `send_blocking()` with the default transport (hyper on its background runtime).
//!
//! Covered: throttling (recovers; exhausts the attempts as a typed service error with status and request id);
//! 503 and a modelled 500 (retried); connections closed or reset without a response (retried, then
//! `Dispatch`); a response slower than the attempt timeout, a body that stalls half way, and the total
//! timeout cutting retries short (`Timeout`); an HTML 500 (retried, then `Response` with status, headers and
//! body); truncated JSON on a 200 (`Response`, not retried); a body shorter than its `Content-Length`
//! (`Dispatch`); bodies over the response-size limit, announced or endless (`Dispatch` of kind
//! `ResponseTooLarge`, not retried, the server cut off, the connection not reused) and a 5 MB body under it
//! (parses); an unknown error code (`Unhandled`, not retried). Every attempt is checked to arrive signed.
//! `configured_limit` sets the limit on the `Config`; the other size scenarios use the default limit.
//!
//! Nothing here asserts speed: only request counts, error variants and what they keep, and that each call
//! ends within a generous watchdog bound instead of hanging.

use std::sync::mpsc;
use std::time::Duration;

use awsgen_ecs::config::Timeouts;
use awsgen_ecs::error::RawResponse;
use awsgen_ecs::error::SdkError;
use awsgen_ecs::operation::describe_task_sets::{DescribeTaskSetsError, DescribeTaskSetsOutput};
use awsgen_ecs::operation::RequestId;
use awsgen_ecs::transport::UreqTransport;
use awsgen_ecs::transport::{TransportErrorKind, DEFAULT_MAX_RESPONSE_SIZE};
use awsgen_ecs::Client;
use awsgen_test_support::{Framing, Received, Reply, Server, ACCESS_KEY_ID};
use serde_json::json;

/// The longest one call may take before the test fails as hung: far above any scenario's real duration.
const WATCHDOG: Duration = Duration::from_secs(30);
/// Attempt timeout for the scenarios about slow servers.
const SHORT_ATTEMPT: Duration = Duration::from_millis(300);
/// How long a "slow" server makes the client wait: well past `SHORT_ATTEMPT`.
const SLOW: Duration = Duration::from_secs(3);

/// How the generated client is driven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavour {
    /// `send().await` inside a Tokio runtime, with the default (hyper) transport.
    Async,
    /// `send_blocking()` with `UreqTransport`.
    BlockingUreq,
    /// `send_blocking()` with the default (hyper) transport, which runs on its own background runtime.
    BlockingHyper,
}

/// The client's settings for a scenario.
#[derive(Clone, Copy, Debug)]
struct Setup {
    attempt: Duration,
    total: Duration,
    max_attempts: u32,
    max_response_size: Option<u64>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            attempt: Duration::from_secs(10),
            total: Duration::from_secs(25),
            max_attempts: 3,
            max_response_size: None,
        }
    }
}

type Outcome = Result<DescribeTaskSetsOutput, SdkError<DescribeTaskSetsError>>;

fn client(flavour: Flavour, endpoint: &str, setup: Setup) -> Client {
    let connect = Duration::from_secs(2);
    // Fake credentials, and retries that back off by at most a few milliseconds, so scenarios are quick.
    let mut config = awsgen_test_support::config()
        .endpoint_url(endpoint)
        .retry_config(awsgen_test_support::retry_config().with_max_attempts(setup.max_attempts))
        .timeouts(Timeouts {
            connect,
            attempt: setup.attempt,
            total: setup.total,
        });
    if let Some(bytes) = setup.max_response_size {
        config = config.max_response_size(bytes);
    }
    if flavour == Flavour::BlockingUreq {
        config = config.transport(UreqTransport::builder().connect_timeout(connect).build().unwrap());
    }
    Client::from_conf(config.build())
}

/// Calls `DescribeTaskSets(cluster "c", service "s")` against `server` the `flavour` way, on a fresh thread
/// (so no runtime context leaks between flavours), failing the test if it does not return within
/// [`WATCHDOG`].
fn call(flavour: Flavour, server: &Server, setup: Setup) -> Outcome {
    calls(flavour, server, setup, 1).pop().unwrap()
}

/// `count` calls one after the other with the same client (so its connection pool is shared), each bounded
/// by [`WATCHDOG`].
fn calls(flavour: Flavour, server: &Server, setup: Setup, count: usize) -> Vec<Outcome> {
    let endpoint = server.url();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let client = client(flavour, &endpoint, setup);
        // Only the async flavour has a runtime: the blocking ones must run where there is none.
        let runtime = (flavour == Flavour::Async).then(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
        });
        for _ in 0..count {
            let request = client.describe_task_sets().cluster("c").service("s");
            let outcome = match &runtime {
                Some(runtime) => runtime.block_on(request.send()),
                None => request.send_blocking(),
            };
            if tx.send(outcome).is_err() {
                return;
            }
        }
    });
    (0..count)
        .map(|i| {
            rx.recv_timeout(WATCHDOG)
                .unwrap_or_else(|_| panic!("{flavour:?}: call {i} hung (no outcome within {WATCHDOG:?})"))
        })
        .collect()
}

/// Exactly `count` requests arrived, each a complete, signed DescribeTaskSets call (a retry is re-signed, not
/// replayed without its signature).
fn assert_signed_attempts(server: &Server, count: usize) -> Vec<Received> {
    let requests = server.requests();
    assert_eq!(requests.len(), count, "requests that arrived: {requests:#?}");
    for (i, request) in requests.iter().enumerate() {
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("POST", "/"),
            "attempt {i}"
        );
        assert_eq!(
            request.header("x-amz-target"),
            Some("AmazonEC2ContainerServiceV20141113.DescribeTaskSets"),
            "attempt {i}"
        );
        assert_eq!(request.header("content-type"), Some("application/x-amz-json-1.1"));
        let authorization = request
            .header("authorization")
            .unwrap_or_else(|| panic!("attempt {i} is unsigned"));
        assert!(
            authorization.starts_with(&format!("AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/"))
                && authorization.contains("/us-east-1/ecs/aws4_request, SignedHeaders=")
                && authorization.contains(", Signature="),
            "attempt {i}: {authorization}"
        );
        let date = request
            .header("x-amz-date")
            .unwrap_or_else(|| panic!("attempt {i} has no x-amz-date"));
        assert!(date.len() == 16 && date.ends_with('Z'), "attempt {i}: {date}");
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body, json!({"cluster": "c", "service": "s"}), "attempt {i}");
    }
    requests
}

fn task_set(n: usize) -> serde_json::Value {
    json!({
        "id": format!("ecs-svc/{n:019}"),
        "taskSetArn": format!("arn:aws:ecs:us-east-1:123456789012:task-set/c/s/ecs-svc/{n:019}"),
        "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/c/s",
        "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/c",
        "status": "ACTIVE",
        "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
        "computedDesiredCount": 2,
        "pendingCount": 0,
        "runningCount": 2,
        "createdAt": 1_557_207_715.195,
        "updatedAt": 1_557_207_805,
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": ["subnet-12344321"], "securityGroups": ["sg-12344321"], "assignPublicIp": "DISABLED"
        }},
        "loadBalancers": [{
            "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef",
            "containerName": "web",
            "containerPort": 80
        }],
        "scale": {"value": 100.0, "unit": "PERCENT"},
        "stabilityStatus": "STEADY_STATE",
        "stabilityStatusAt": 1_557_208_000,
        "tags": [{"key": "team", "value": "payments"}]
    })
}

/// A real `DescribeTaskSets` response: one task set.
fn ok() -> Reply {
    let body = json!({"taskSets": [task_set(1)], "failures": []});
    Reply::json(200, "req-ok", serde_json::to_vec(&body).unwrap())
}

/// The outcome in a line: the variant and its message, never the raw body (which may be megabytes).
fn summary(outcome: &Outcome) -> String {
    let text = match outcome {
        Ok(output) => format!("Ok with {} task sets", output.task_sets().len()),
        Err(e) => {
            let variant = match e {
                SdkError::Construction(_) => "Construction",
                SdkError::Dispatch(_) => "Dispatch",
                SdkError::Timeout(_) => "Timeout",
                SdkError::Response(_) => "Response",
                SdkError::Service(_) => "Service",
                _ => "another SdkError",
            };
            format!("{variant}: {e}")
        }
    };
    text.chars().take(400).collect()
}

fn expect_ok(outcome: Outcome) -> DescribeTaskSetsOutput {
    match outcome {
        Ok(output) => output,
        other => panic!("expected success, got {}", summary(&other)),
    }
}

fn assert_ok(outcome: Outcome) {
    let output = expect_ok(outcome);
    assert_eq!(output.task_sets().len(), 1);
    assert_eq!(output.task_sets()[0].id(), Some("ecs-svc/0000000000000000001"));
    assert_eq!(output.request_id(), Some("req-ok"));
}

fn throttled() -> Reply {
    Reply::json(
        400,
        "req-throttled",
        r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
    )
}

/// `Service`: the typed error, its metadata and the raw response.
fn service_error(outcome: Outcome) -> (DescribeTaskSetsError, awsgen_ecs::error::ErrorMetadata, RawResponse) {
    match outcome {
        Err(SdkError::Service(e)) => {
            let (meta, raw) = (e.meta().clone(), e.raw().clone());
            (e.into_err(), meta, raw)
        }
        other => panic!("expected a service error, got {}", summary(&other)),
    }
}

fn response_error(outcome: Outcome) -> awsgen_ecs::error::ResponseError {
    match outcome {
        Err(SdkError::Response(e)) => e,
        other => panic!("expected an unparseable-response error, got {}", summary(&other)),
    }
}

fn dispatch_error(outcome: Outcome) -> awsgen_ecs::error::TransportError {
    match outcome {
        Err(SdkError::Dispatch(e)) => e,
        other => panic!("expected a dispatch error, got {}", summary(&other)),
    }
}

fn timeout_error(outcome: Outcome) -> awsgen_ecs::error::TimeoutError {
    match outcome {
        Err(SdkError::Timeout(e)) => e,
        other => panic!("expected a timeout, got {}", summary(&other)),
    }
}

// --- throttling -----------------------------------------------------------------------------------------

fn throttled_twice_then_ok(flavour: Flavour) {
    let server = Server::scripted(vec![throttled(), throttled(), ok()]);
    assert_ok(call(flavour, &server, Setup::default()));
    assert_signed_attempts(&server, 3);
}

fn throttled_every_time(flavour: Flavour) {
    let server = Server::scripted(vec![throttled()]);
    let (err, meta, raw) = service_error(call(flavour, &server, Setup::default()));
    assert!(err.is_unhandled(), "{err:?}");
    assert_eq!(meta.code(), Some("ThrottlingException"));
    assert_eq!(meta.message(), Some("Rate exceeded"));
    assert_eq!(meta.request_id(), Some("req-throttled"));
    assert_eq!(raw.status(), 400);
    assert_eq!(
        raw.body(),
        br#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#
    );
    assert_signed_attempts(&server, 3);
}

// --- 5xx ------------------------------------------------------------------------------------------------

fn unavailable() -> Reply {
    Reply::with_headers(503, &[("content-type", "text/plain")], "Service Unavailable")
}

fn unavailable_then_ok(flavour: Flavour) {
    let server = Server::scripted(vec![unavailable(), ok()]);
    assert_ok(call(flavour, &server, Setup::default()));
    assert_signed_attempts(&server, 2);
}

fn unavailable_every_time(flavour: Flavour) {
    let server = Server::scripted(vec![unavailable()]);
    let err = response_error(call(flavour, &server, Setup::default()));
    assert_eq!(err.raw().status(), 503);
    assert_eq!(err.raw().body(), b"Service Unavailable");
    assert_eq!(err.raw().headers()["content-type"], "text/plain");
    assert_signed_attempts(&server, 3);
}

/// A modelled error on a 500 is retried like any 5xx, and ends typed.
fn server_exception_every_time(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::json(
        500,
        "req-500",
        r#"{"__type":"ServerException","message":"boom"}"#,
    )]);
    let (err, meta, raw) = service_error(call(flavour, &server, Setup::default()));
    assert!(err.is_server_exception(), "{err:?}");
    assert_eq!(
        (meta.code(), meta.request_id()),
        (Some("ServerException"), Some("req-500"))
    );
    assert_eq!(raw.status(), 500);
    assert_signed_attempts(&server, 3);
}

const HTML: &str = "<html><head><title>500 Internal Server Error</title></head><body>nginx</body></html>";

fn html_500_every_time(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::with_headers(
        500,
        &[("content-type", "text/html"), ("server", "nginx")],
        HTML,
    )]);
    let err = response_error(call(flavour, &server, Setup::default()));
    assert_eq!(err.raw().status(), 500);
    assert_eq!(err.raw().headers()["content-type"], "text/html");
    assert_eq!(err.raw().headers()["server"], "nginx");
    assert_eq!(err.raw().body(), HTML.as_bytes());
    assert!(err.reason().contains("not JSON"), "{}", err.reason());
    assert_signed_attempts(&server, 3);
}

// --- connections lost without a response ----------------------------------------------------------------

fn closed_then_ok(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Close, ok()]);
    assert_ok(call(flavour, &server, Setup::default()));
    let requests = assert_signed_attempts(&server, 2);
    assert_ne!(requests[0].connection, requests[1].connection);
}

fn reset_then_ok(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Reset, ok()]);
    assert_ok(call(flavour, &server, Setup::default()));
    assert_signed_attempts(&server, 2);
}

fn closed_every_time(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Close]);
    let err = dispatch_error(call(flavour, &server, Setup::default()));
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert_signed_attempts(&server, 3);
}

fn reset_every_time(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Reset]);
    let err = dispatch_error(call(flavour, &server, Setup::default()));
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert_signed_attempts(&server, 3);
}

// --- slow servers ---------------------------------------------------------------------------------------

fn short_attempts() -> Setup {
    Setup {
        attempt: SHORT_ATTEMPT,
        ..Setup::default()
    }
}

fn slower_than_the_attempt_timeout(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Delay(SLOW, Box::new(ok()))]);
    let err = timeout_error(call(flavour, &server, short_attempts()));
    assert_eq!((err.limit(), err.attempts()), (SHORT_ATTEMPT, 3), "{err}");
    assert_signed_attempts(&server, 3);
}

fn body_stalls_half_way(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Stall {
        declared: 1000,
        sent: br#"{"taskSets":[{"taskSetArn":"ar"#.to_vec(),
        stall: SLOW,
    }]);
    let err = timeout_error(call(flavour, &server, short_attempts()));
    assert_eq!((err.limit(), err.attempts()), (SHORT_ATTEMPT, 3), "{err}");
    assert_signed_attempts(&server, 3);
}

/// With attempts to spare, the total timeout still ends the call: far fewer than `max_attempts` requests.
fn total_timeout_cuts_retries_short(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Delay(SLOW, Box::new(ok()))]);
    let setup = Setup {
        attempt: SHORT_ATTEMPT,
        total: Duration::from_secs(1),
        max_attempts: 20,
        ..Setup::default()
    };
    let err = timeout_error(call(flavour, &server, setup));
    // The total ran out during an attempt (it names the total) or before another could start (the last
    // attempt's own limit).
    assert!(
        err.limit() == Duration::from_secs(1) || err.limit() == SHORT_ATTEMPT,
        "{err}"
    );
    let count = server.requests().len();
    assert!((2..20).contains(&count), "{count} requests");
    assert_signed_attempts(&server, count);
}

// --- broken bodies --------------------------------------------------------------------------------------

const TRUNCATED: &str = r#"{"taskSets":[{"taskSetArn":"ar"#;

fn truncated_json_is_not_retried(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::json(200, "req-truncated", TRUNCATED)]);
    let err = response_error(call(flavour, &server, Setup::default()));
    assert_eq!(err.raw().status(), 200);
    assert_eq!(err.raw().body(), TRUNCATED.as_bytes());
    assert_eq!(err.raw().headers()["x-amzn-requestid"], "req-truncated");
    assert!(
        err.reason().contains("not a valid operation output"),
        "{}",
        err.reason()
    );
    assert_signed_attempts(&server, 1);
}

/// A body cut short of its `Content-Length` is a lost connection: retried, then a typed `Dispatch` error.
fn body_shorter_than_announced(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::ShortBody {
        declared: 1000,
        sent: TRUNCATED.as_bytes().to_vec(),
    }]);
    let err = dispatch_error(call(flavour, &server, Setup::default()));
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert_signed_attempts(&server, 3);
}

// --- response size --------------------------------------------------------------------------------------

const ENDLESS: u64 = 64 * 1024 * 1024 * 1024;

fn assert_too_large(outcome: Outcome, limit: u64) {
    let err = dispatch_error(outcome);
    assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge, "{err}");
    let text = err.to_string();
    assert!(text.starts_with("response too large: "), "{text}");
    assert!(text.contains(&format!("the limit of {limit} bytes")), "{text}");
}

/// An endless chunked 200 is cut off at the default limit (64 MiB): not retried, and the server's writes
/// fail soon after, so the client read no more than the limit plus what the sockets buffer.
fn endless_body_stops_at_the_default_limit(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Stream {
        prefix: br#"{"taskSets":["#.to_vec(),
        total: ENDLESS,
        framing: Framing::Chunked,
    }]);
    assert_too_large(call(flavour, &server, Setup::default()), DEFAULT_MAX_RESPONSE_SIZE);
    assert_signed_attempts(&server, 1);
    let streamed = server
        .streamed_after(1, WATCHDOG)
        .expect("the server is still streaming: the client kept reading");
    assert!(
        streamed < DEFAULT_MAX_RESPONSE_SIZE + 64 * 1024 * 1024,
        "the server wrote {streamed} bytes"
    );
}

/// A `Content-Length` over the limit is refused before the body is read.
fn announced_body_over_the_limit_is_refused(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::Stream {
        prefix: Vec::new(),
        total: ENDLESS,
        framing: Framing::Length,
    }]);
    let outcome = call(flavour, &server, Setup::default());
    let err = dispatch_error(outcome);
    assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge, "{err}");
    assert!(
        err.to_string().contains(&format!(
            "announces a body of {ENDLESS} bytes (Content-Length), more than the limit of {DEFAULT_MAX_RESPONSE_SIZE}"
        )),
        "{err}"
    );
    assert_signed_attempts(&server, 1);
    assert!(server.streamed_after(1, WATCHDOG).is_some(), "the client kept reading");
}

/// A body cut off at the limit leaves no half-read connection behind: the same client's next calls get
/// fresh connections and their own responses.
fn oversized_responses_do_not_poison_the_pool(flavour: Flavour) {
    let server = Server::scripted(vec![
        Reply::Stream {
            prefix: Vec::new(),
            total: ENDLESS,
            framing: Framing::Length,
        },
        Reply::Stream {
            prefix: Vec::new(),
            total: ENDLESS,
            framing: Framing::Chunked,
        },
        ok(),
    ]);
    let mut outcomes = calls(flavour, &server, Setup::default(), 3).into_iter();
    for _ in 0..2 {
        let err = dispatch_error(outcomes.next().unwrap());
        assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge, "{err}");
    }
    assert_ok(outcomes.next().unwrap());
    let requests = assert_signed_attempts(&server, 3);
    assert_ne!(requests[0].connection, requests[1].connection);
    assert_ne!(requests[1].connection, requests[2].connection);
}

/// The limit set with `Config::builder().max_response_size(..)` reaches the transports.
fn configured_limit(flavour: Flavour) {
    const LIMIT: u64 = 1024 * 1024;
    let setup = Setup {
        max_response_size: Some(LIMIT),
        ..Setup::default()
    };
    let server = Server::scripted(vec![Reply::Stream {
        prefix: br#"{"taskSets":["#.to_vec(),
        total: 2 * LIMIT,
        framing: Framing::Chunked,
    }]);
    assert_too_large(call(flavour, &server, setup), LIMIT);
    assert_signed_attempts(&server, 1);
    // Under the limit, the same setup succeeds.
    let server = Server::scripted(vec![ok()]);
    assert_ok(call(flavour, &server, setup));
}

/// 5 MB of valid task sets, well under the default limit, parses whole.
fn large_body_under_the_limit_parses(flavour: Flavour) {
    let sets: Vec<serde_json::Value> = (0..5500).map(task_set).collect();
    let body = serde_json::to_vec(&json!({"taskSets": sets})).unwrap();
    assert!(body.len() > 5_000_000, "{} bytes", body.len());
    let server = Server::scripted(vec![Reply::json(200, "req-large", body)]);
    let output = expect_ok(call(flavour, &server, Setup::default()));
    assert_eq!(output.task_sets().len(), 5500);
    assert_eq!(output.task_sets()[5499].id(), Some("ecs-svc/0000000000000005499"));
    assert_eq!(output.request_id(), Some("req-large"));
    assert_signed_attempts(&server, 1);
}

// --- errors the model does not know -----------------------------------------------------------------------

fn unknown_error_code_is_not_retried(flavour: Flavour) {
    let server = Server::scripted(vec![Reply::json(
        400,
        "req-new",
        r#"{"__type":"SomethingNew","message":"x"}"#,
    )]);
    let (err, meta, raw) = service_error(call(flavour, &server, Setup::default()));
    assert!(err.is_unhandled(), "{err:?}");
    assert_eq!(
        (meta.code(), meta.message(), meta.request_id()),
        (Some("SomethingNew"), Some("x"), Some("req-new"))
    );
    assert_eq!(raw.status(), 400);
    assert_signed_attempts(&server, 1);
}

/// One `#[test]` per scenario and flavour, in a module per flavour (`async_hyper::throttled_every_time`, ...).
macro_rules! scenarios {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {
        scenarios!(@flavour async_hyper, Async, $($(#[$attr])* $name),*);
        scenarios!(@flavour blocking_ureq, BlockingUreq, $($(#[$attr])* $name),*);
        scenarios!(@flavour blocking_hyper, BlockingHyper, $($(#[$attr])* $name),*);
    };
    (@flavour $module:ident, $flavour:ident, $($(#[$attr:meta])* $name:ident),*) => {
        mod $module {
            $(
                $(#[$attr])*
                #[test]
                fn $name() {
                    super::$name(super::Flavour::$flavour)
                }
            )*
        }
    };
}

scenarios! {
    throttled_twice_then_ok,
    throttled_every_time,
    unavailable_then_ok,
    unavailable_every_time,
    server_exception_every_time,
    html_500_every_time,
    closed_then_ok,
    reset_then_ok,
    closed_every_time,
    reset_every_time,
    slower_than_the_attempt_timeout,
    body_stalls_half_way,
    total_timeout_cuts_retries_short,
    truncated_json_is_not_retried,
    body_shorter_than_announced,
    endless_body_stops_at_the_default_limit,
    announced_body_over_the_limit_is_refused,
    oversized_responses_do_not_poison_the_pool,
    configured_limit,
    large_body_under_the_limit_parses,
    unknown_error_code_is_not_retried,
}
