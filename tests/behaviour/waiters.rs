//! Waiters of the `waiters` golden, over a scripted `StubTransport` whose waits move a `ManualClock`: every
//! acceptor kind (output paths with each comparator, error types, `success` true and false, HTTP status), the
//! maximum wait, a failure state, an operation error and an invalid input, in no time.

use golden_waiters::client::Waiters;
use golden_waiters::config::credentials::{ManualClock, TimeSource};
use golden_waiters::error::SdkError;
use golden_waiters::operation::get_thing::GetThingError;
use golden_waiters::test_util::{http, HttpResponse, StubTransport};
use golden_waiters::types::Status;
use golden_waiters::waiters::WaiterError;
use golden_waiters::Client;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

struct Scripted {
    client: Client,
    stub: StubTransport,
    clock: ManualClock,
}

impl Scripted {
    fn requests(&self) -> usize {
        self.stub.requests().len()
    }

    /// Time the waiter spent, by the manual clock.
    fn waited(&self) -> Duration {
        self.clock.now().duration_since(start()).unwrap()
    }
}

/// A client whose calls get `replies` in order (the last one repeats): `(status, body)`.
fn scripted(replies: &[(u16, &str)]) -> Scripted {
    let replies: Vec<(u16, String)> = replies.iter().map(|(s, b)| (*s, (*b).to_owned())).collect();
    let next = Arc::new(AtomicUsize::new(0));
    let stub = StubTransport::new(move |_| {
        let i = next.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1);
        let (status, body) = &replies[i];
        let mut response = HttpResponse::new(body.clone().into_bytes());
        *response.status_mut() = http::StatusCode::from_u16(*status).unwrap();
        response
    });
    let clock = ManualClock::new(start());
    let stub = stub.with_clock(clock.clone());
    let config = awsgen_test_support::config()
        .transport(stub.clone())
        .time_source(clock.clone())
        .build();
    Scripted {
        client: Client::from_conf(config),
        stub,
        clock,
    }
}

const NOT_FOUND: (u16, &str) = (400, r#"{"__type": "ThingNotFound", "message": "no such thing"}"#);
const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn output_path_string_equals_reaches_success_after_retries() {
    let s = scripted(&[
        (200, r#"{"status": "PENDING"}"#),
        (200, r#"{"status": "PENDING"}"#),
        (200, r#"{"status": "READY"}"#),
    ]);
    let poll = pollster::block_on(s.client.wait_until_thing_ready().name("t").wait(HOUR)).unwrap();
    assert_eq!(poll.output().unwrap().status(), Some(&Status::Ready));
    assert_eq!(poll.attempts(), 3);
    assert_eq!(s.requests(), 3);
    // The minimum delay is 2 s, so two waits took at least 4 s of (manual) time.
    assert!(s.waited() >= Duration::from_secs(4), "{:?}", s.waited());
    // Every poll sends the same input.
    for request in s.stub.requests() {
        assert_eq!(request.body(), br#"{"name":"t"}"#);
        assert_eq!(request.headers()["x-amz-target"], "Golden.GetThing");
    }
}

#[test]
fn output_path_string_equals_reaches_a_failure_state() {
    let s = scripted(&[(200, r#"{"status": "PENDING"}"#), (200, r#"{"status": "BROKEN"}"#)]);
    let error = s
        .client
        .wait_until_thing_ready()
        .name("t")
        .wait_blocking(HOUR)
        .unwrap_err();
    assert!(error.is_failure_state(), "{error:?}");
    let poll = error.last_poll().unwrap();
    assert_eq!(poll.output().unwrap().status(), Some(&Status::Broken));
    assert_eq!(poll.attempts(), 2);
}

#[test]
fn path_all_needs_every_element_and_at_least_one() {
    let s = scripted(&[
        (200, r#"{"items": []}"#),
        (200, r#"{"items": [{"status": "DONE"}, {"status": "PENDING"}]}"#),
        (200, r#"{"items": [{"status": "DONE"}, {"status": "DONE"}]}"#),
    ]);
    let poll = s.client.wait_until_thing_ready().name("t").wait_blocking(HOUR).unwrap();
    assert_eq!(poll.attempts(), 3);
}

#[test]
fn path_any_reaches_a_failure_state_on_one_element() {
    let s = scripted(&[(200, r#"{"items": [{"status": "DONE"}, {"status": "FAILED"}]}"#)]);
    let error = s
        .client
        .wait_until_thing_ready()
        .name("t")
        .wait_blocking(HOUR)
        .unwrap_err();
    assert!(error.is_failure_state(), "{error:?}");
    assert_eq!(s.requests(), 1);
}

#[test]
fn a_boolean_path_with_a_filter_and_length() {
    let s = scripted(&[
        (
            200,
            r#"{"ready": true, "items": [{"status": "READY"}, {"status": "PENDING"}]}"#,
        ),
        (200, r#"{"ready": false, "items": [{"status": "READY"}]}"#),
        (200, r#"{"ready": true, "items": [{"status": "READY"}]}"#),
    ]);
    let poll = s.client.wait_until_thing_ready().name("t").wait_blocking(HOUR).unwrap();
    assert_eq!(poll.attempts(), 3);
    assert!(poll.output().unwrap().ready());
}

#[test]
fn an_error_type_acceptor_retries() {
    let s = scripted(&[
        (400, r#"{"__type": "Throttled", "message": "slow down"}"#),
        (200, r#"{"status": "READY"}"#),
    ]);
    let poll = s.client.wait_until_thing_ready().name("t").wait_blocking(HOUR).unwrap();
    assert_eq!(poll.attempts(), 2);
}

#[test]
fn an_error_no_acceptor_expects_ends_the_wait() {
    let s = scripted(&[
        (200, r#"{"status": "PENDING"}"#),
        (403, r#"{"__type": "AccessDenied", "message": "no"}"#),
    ]);
    let error = s
        .client
        .wait_until_thing_ready()
        .name("t")
        .wait_blocking(HOUR)
        .unwrap_err();
    let Some(SdkError::Service(e)) = error.as_operation_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.meta().code(), Some("AccessDenied"));
    assert_eq!(s.requests(), 2);
}

#[test]
fn success_true_and_false() {
    // `error: ThingNotFound` retries, `error: false` (Smithy's `success: true`) succeeds.
    let s = scripted(&[NOT_FOUND, NOT_FOUND, (200, "{}")]);
    let poll = s
        .client
        .wait_until_thing_exists()
        .name("t")
        .wait_blocking(HOUR)
        .unwrap();
    assert_eq!(poll.attempts(), 3);
    assert!(poll.as_result().is_ok());
    // `error: true` (Smithy's `success: false`) makes any other error a failure state, not an operation error.
    let s = scripted(&[NOT_FOUND, (400, r#"{"__type": "Boom", "message": "boom"}"#)]);
    let error = s
        .client
        .wait_until_thing_exists()
        .name("t")
        .wait_blocking(HOUR)
        .unwrap_err();
    assert!(error.is_failure_state(), "{error:?}");
    let Err(SdkError::Service(e)) = error.last_poll().unwrap().as_result() else {
        panic!("{error:?}")
    };
    assert!(matches!(e.err(), GetThingError::Unhandled(_)));
}

#[test]
fn a_status_acceptor_and_an_error_that_means_success() {
    let s = scripted(&[
        (409, r#"{"__type": "Conflict", "message": "busy"}"#),
        (200, r#"{"status": "DELETING"}"#),
        NOT_FOUND,
    ]);
    let poll = s
        .client
        .wait_until_thing_deleted()
        .name("t")
        .wait_blocking(HOUR)
        .unwrap();
    assert_eq!(poll.attempts(), 3);
    // The success is the error the acceptor matched.
    let Err(SdkError::Service(e)) = poll.as_result() else {
        panic!("{poll:?}")
    };
    assert!(e.err().is_thing_not_found());
    // The model's delay is 300 s (above the default maximum of 120 s): two waits of exactly 300 s.
    assert!(s.waited() >= Duration::from_secs(600), "{:?}", s.waited());
    assert!(s.waited() < Duration::from_secs(610), "{:?}", s.waited());
}

#[test]
fn the_maximum_wait_runs_out_with_the_last_output_kept() {
    let s = scripted(&[(200, r#"{"status": "PENDING"}"#)]);
    let error = pollster::block_on(s.client.wait_until_thing_ready().name("t").wait(MINUTE)).unwrap_err();
    let WaiterError::ExceededMaxWait(exceeded) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(exceeded.max_wait(), MINUTE);
    assert!(exceeded.elapsed() <= MINUTE);
    assert!(s.waited() <= MINUTE, "{:?}", s.waited());
    assert_eq!(exceeded.attempts() as usize, s.requests());
    assert!(exceeded.attempts() >= 4, "{}", exceeded.attempts());
    assert_eq!(exceeded.last_poll().output().unwrap().status(), Some(&Status::Pending));
    assert!(error.to_string().starts_with("the waiter gave up after"), "{error}");
}

#[test]
fn an_invalid_input_sends_nothing() {
    let s = scripted(&[(200, "{}")]);
    // `name` is required.
    let error = s.client.wait_until_thing_ready().wait_blocking(HOUR).unwrap_err();
    assert!(matches!(error, WaiterError::Construction(_)), "{error:?}");
    // `name` has a minimum length of 1.
    let error = s
        .client
        .wait_until_thing_ready()
        .name("")
        .wait_blocking(HOUR)
        .unwrap_err();
    assert!(matches!(error, WaiterError::Construction(_)), "{error:?}");
    assert_eq!(s.requests(), 0);
}

#[test]
fn a_waiter_of_an_operation_with_optional_input() {
    let s = scripted(&[(200, r#"{"things": [{"status": "READY"}]}"#)]);
    let poll = s
        .client
        .wait_until_things_listed()
        .names("a")
        .wait_blocking(MINUTE)
        .unwrap();
    assert_eq!(poll.output().unwrap().things().len(), 1);
    assert_eq!(s.stub.requests()[0].body(), br#"{"names":["a"]}"#);
}
