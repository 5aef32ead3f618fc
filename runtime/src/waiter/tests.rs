use super::*;
use crate::config::Credentials;
use crate::credentials::{ManualClock, TimeSource};
use crate::error::{ErrorMetadata, RawResponse, ServiceError};
use crate::transport::{HttpResponse, StubTransport};
use serde_json::json;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

#[test]
fn comparators_follow_the_smithy_spec() {
    use Comparator::*;
    assert!(StringEquals.matches(&json!("ACTIVE"), "ACTIVE"));
    assert!(!StringEquals.matches(&json!("ACTIVE"), "INACTIVE"));
    // Only strings: a number or a one-string list is not the string.
    assert!(!StringEquals.matches(&json!(1), "1"));
    assert!(!StringEquals.matches(&json!(["ACTIVE"]), "ACTIVE"));
    assert!(!StringEquals.matches(&Value::Null, "null"));

    assert!(BooleanEquals.matches(&json!(true), "true"));
    assert!(BooleanEquals.matches(&json!(false), "false"));
    assert!(!BooleanEquals.matches(&json!(false), "true"));
    assert!(!BooleanEquals.matches(&json!("true"), "true"));
    assert!(!BooleanEquals.matches(&Value::Null, "false"));

    assert!(AllStringEquals.matches(&json!(["A", "A"]), "A"));
    assert!(!AllStringEquals.matches(&json!(["A", "B"]), "A"));
    // All of nothing is no evidence: an empty list does not match.
    assert!(!AllStringEquals.matches(&json!([]), "A"));
    assert!(!AllStringEquals.matches(&json!("A"), "A"));
    assert!(!AllStringEquals.matches(&json!(["A", 1]), "A"));

    assert!(AnyStringEquals.matches(&json!(["B", "A"]), "A"));
    assert!(!AnyStringEquals.matches(&json!(["B"]), "A"));
    assert!(!AnyStringEquals.matches(&json!([]), "A"));
    assert!(!AnyStringEquals.matches(&json!("A"), "A"));
}

#[test]
fn backoff_doubles_from_min_to_max_with_jitter_and_stops_before_the_max_wait() {
    let secs = Duration::from_secs;
    let backoff = Backoff::new(secs(2), secs(120), secs(3600));
    // Without jitter (random 0) every wait is the minimum; with the most (random -> 1), the bound doubles.
    assert_eq!(backoff.delay(1, secs(0), 0.0), Some(secs(2)));
    assert_eq!(backoff.delay(1, secs(0), 1.0), Some(secs(2)));
    assert_eq!(backoff.delay(2, secs(0), 1.0), Some(secs(4)));
    assert_eq!(backoff.delay(3, secs(0), 1.0), Some(secs(8)));
    assert_eq!(backoff.delay(3, secs(0), 0.5), Some(secs(5)));
    assert_eq!(backoff.delay(7, secs(0), 1.0), Some(secs(120)));
    assert_eq!(backoff.delay(60, secs(0), 1.0), Some(secs(120)));
    assert_eq!(backoff.delay(u32::MAX, secs(0), 1.0), Some(secs(120)));
    // Near the end, the wait is cut so the last poll leaves `min_delay` of the maximum wait.
    assert_eq!(backoff.delay(60, secs(3500), 1.0), Some(secs(98)));
    assert_eq!(backoff.delay(60, secs(3597), 1.0), Some(secs(1)));
    assert_eq!(backoff.delay(60, secs(3598), 0.0), None);
    assert_eq!(backoff.delay(60, secs(4000), 0.0), None);
    // A model whose minimum is above the default maximum keeps its minimum.
    let slow = Backoff::new(secs(300), secs(120), secs(3600));
    assert_eq!(slow.delay(1, secs(0), 1.0), Some(secs(300)));
    // No time at all: one poll, no wait.
    assert_eq!(
        Backoff::new(secs(15), secs(120), Duration::ZERO).delay(1, secs(0), 0.5),
        None
    );
}

static EVERY_MATCHER: WaiterSpec = WaiterSpec {
    name: "Everything",
    min_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(120),
    acceptors: &[
        Acceptor {
            state: AcceptorState::Failure,
            matcher: Matcher::Output {
                path: "items[].status",
                expected: "FAILED",
                comparator: Comparator::AnyStringEquals,
            },
        },
        Acceptor {
            state: AcceptorState::Success,
            matcher: Matcher::InputOutput {
                path: "length(output.items) == length(input.names)",
                expected: "true",
                comparator: Comparator::BooleanEquals,
            },
        },
        Acceptor {
            state: AcceptorState::Retry,
            matcher: Matcher::ErrorType("Throttled"),
        },
        Acceptor {
            state: AcceptorState::Failure,
            matcher: Matcher::Status(404),
        },
        Acceptor {
            state: AcceptorState::Retry,
            matcher: Matcher::Success(false),
        },
    ],
};

#[test]
fn the_first_matching_acceptor_decides() {
    let waiter = CompiledWaiter::new(&EVERY_MATCHER).unwrap();
    assert!(waiter.reads_input() && waiter.reads_output());
    let input = json!({"names": ["a", "b"]});
    let output = |v: Value| {
        waiter.evaluate(Observation::Output {
            input: &input,
            output: &v,
        })
    };
    assert_eq!(
        output(json!({"items": [{"status": "OK"}, {"status": "FAILED"}]})),
        Some(AcceptorState::Failure)
    );
    assert_eq!(
        output(json!({"items": [{"status": "OK"}, {"status": "OK"}]})),
        Some(AcceptorState::Success)
    );
    assert_eq!(output(json!({"items": [{"status": "OK"}]})), None);
    let error = |code, status| {
        waiter.evaluate(Observation::Error {
            code: Some(code),
            query_code: Some("AWS.Query.Code"),
            status,
        })
    };
    assert_eq!(error("Throttled", 400), Some(AcceptorState::Retry));
    assert_eq!(error("Missing", 404), Some(AcceptorState::Failure));
    assert_eq!(error("Other", 500), Some(AcceptorState::Retry));
    // The awsQuery code botocore reports matches too.
    assert_eq!(
        waiter.evaluate(Observation::Error {
            code: Some("Nope"),
            query_code: Some("Throttled"),
            status: 400,
        }),
        Some(AcceptorState::Retry)
    );
}

#[test]
fn success_and_status_matchers_on_outputs() {
    static SPEC: WaiterSpec = WaiterSpec {
        name: "Exists",
        min_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(1),
        acceptors: &[
            Acceptor {
                state: AcceptorState::Success,
                matcher: Matcher::Status(200),
            },
            Acceptor {
                state: AcceptorState::Retry,
                matcher: Matcher::Success(true),
            },
        ],
    };
    let waiter = CompiledWaiter::new(&SPEC).unwrap();
    assert!(!waiter.reads_output() && !waiter.reads_input());
    let null = Value::Null;
    assert_eq!(
        waiter.evaluate(Observation::Output {
            input: &null,
            output: &null
        }),
        Some(AcceptorState::Success)
    );
    assert_eq!(
        waiter.evaluate(Observation::Error {
            code: None,
            query_code: None,
            status: 500
        }),
        None
    );
}

#[test]
fn an_unparsable_path_is_a_construction_error() {
    static BAD: WaiterSpec = WaiterSpec {
        name: "Bad",
        min_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(1),
        acceptors: &[Acceptor {
            state: AcceptorState::Success,
            matcher: Matcher::Output {
                path: "a[",
                expected: "x",
                comparator: Comparator::StringEquals,
            },
        }],
    };
    let (config, _clock) = config();
    let result: Result<FinalPoll<Value, TestError>, _> =
        block_on(wait(&BAD, &config, Duration::from_secs(60), json!({}), |_| async {
            Ok(json!({}))
        }));
    let error = result.unwrap_err();
    assert!(matches!(error, WaiterError::Construction(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("the waiter `Bad` has an unusable acceptor path"),
        "{error}"
    );
}

// --- The loop, with a scripted operation and a manual clock -------------------------------------------------

#[derive(Debug)]
struct TestError(String);

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for TestError {}

type Reply = Result<Value, SdkError<TestError>>;
type Outcome = Result<FinalPoll<Value, TestError>, WaiterError<Value, TestError>>;

fn service_error(code: &str, status: u16) -> Reply {
    let mut response = HttpResponse::new(Vec::new());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    Err(SdkError::Service(ServiceError::new(
        TestError(code.to_owned()),
        ErrorMetadata::default().with_code(code),
        RawResponse::from(response),
    )))
}

fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn config() -> (Config, ManualClock) {
    let clock = ManualClock::new(start());
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(StubTransport::json(200, "{}").with_clock(clock.clone()))
        .time_source(clock.clone())
        .build();
    (config, clock)
}

fn block_on<F: Future>(future: F) -> F::Output {
    crate::transport::block_on(future)
}

/// Runs `spec` against replies given in order (the last one repeats), each poll taking one second; returns
/// the outcome and the times (seconds from the start) at which each poll began.
fn run(spec: &'static WaiterSpec, max_wait: u64, replies: Vec<Reply>) -> (Outcome, Vec<u64>) {
    let (config, clock) = config();
    let replies = Arc::new(Mutex::new(VecDeque::from(replies)));
    let times = Arc::new(Mutex::new(Vec::new()));
    let outcome = {
        let (clock, times) = (clock.clone(), Arc::clone(&times));
        block_on(wait(
            spec,
            &config,
            Duration::from_secs(max_wait),
            json!({"names": ["a"]}),
            move |input: Value| {
                assert_eq!(input, json!({"names": ["a"]}));
                let now = clock.now().duration_since(start()).unwrap().as_secs();
                times.lock().unwrap().push(now);
                clock.advance(Duration::from_secs(1));
                let mut replies = replies.lock().unwrap();
                let reply = if replies.len() > 1 {
                    replies.pop_front().unwrap()
                } else {
                    match replies.front().unwrap() {
                        Ok(v) => Ok(v.clone()),
                        Err(SdkError::Service(e)) => service_error(e.meta().code().unwrap(), e.raw().status().as_u16()),
                        Err(_) => unreachable!(),
                    }
                };
                async move { reply }
            },
        ))
    };
    let times = times.lock().unwrap().clone();
    (outcome, times)
}

static STATUS: WaiterSpec = WaiterSpec {
    name: "Stable",
    min_delay: Duration::from_secs(2),
    max_delay: Duration::from_secs(8),
    acceptors: &[
        Acceptor {
            state: AcceptorState::Success,
            matcher: Matcher::Output {
                path: "status",
                expected: "READY",
                comparator: Comparator::StringEquals,
            },
        },
        Acceptor {
            state: AcceptorState::Failure,
            matcher: Matcher::Output {
                path: "status",
                expected: "BROKEN",
                comparator: Comparator::StringEquals,
            },
        },
        Acceptor {
            state: AcceptorState::Retry,
            matcher: Matcher::ErrorType("NotYet"),
        },
    ],
};

#[test]
fn success_after_retries_keeps_the_last_output() {
    let (outcome, times) = run(
        &STATUS,
        600,
        vec![
            Ok(json!({"status": "PENDING"})),
            service_error("NotYet", 400),
            Ok(json!({"status": "READY"})),
        ],
    );
    let poll = outcome.unwrap();
    assert_eq!(poll.output(), Some(&json!({"status": "READY"})));
    assert_eq!(poll.attempts(), 3);
    assert_eq!(times.len(), 3);
    // Each wait is at least the minimum delay, after the one second each poll takes.
    assert!(times.windows(2).all(|w| w[1] - w[0] >= 3), "{times:?}");
}

#[test]
fn a_failure_acceptor_ends_the_wait_with_the_poll_that_decided() {
    let (outcome, _) = run(
        &STATUS,
        600,
        vec![Ok(json!({"status": "PENDING"})), Ok(json!({"status": "BROKEN"}))],
    );
    let error = outcome.unwrap_err();
    assert!(error.is_failure_state(), "{error:?}");
    let poll = error.last_poll().unwrap();
    assert_eq!(poll.output(), Some(&json!({"status": "BROKEN"})));
    assert_eq!(poll.attempts(), 2);
    assert_eq!(error.to_string(), "the waiter reached a failure state after 2 polls");
}

#[test]
fn an_unmatched_service_error_ends_the_wait_as_an_operation_error() {
    let (outcome, times) = run(&STATUS, 600, vec![Ok(json!({})), service_error("AccessDenied", 403)]);
    let error = outcome.unwrap_err();
    let Some(SdkError::Service(e)) = error.as_operation_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.err().0, "AccessDenied");
    assert_eq!(times.len(), 2);
}

#[test]
fn the_max_wait_is_never_passed_and_the_last_poll_is_kept() {
    let (outcome, times) = run(&STATUS, 60, vec![Ok(json!({"status": "PENDING"}))]);
    let error = outcome.unwrap_err();
    let WaiterError::ExceededMaxWait(exceeded) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(exceeded.max_wait(), Duration::from_secs(60));
    assert_eq!(exceeded.last_poll().output(), Some(&json!({"status": "PENDING"})));
    assert_eq!(exceeded.attempts() as usize, times.len());
    // Polls start within the maximum wait (the last leaving the minimum delay), and the waits between them
    // never exceed the maximum delay (plus the poll's own second).
    assert!(times.iter().all(|t| *t <= 60 - 2), "{times:?}");
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let (last, others) = gaps.split_last().unwrap();
    assert!(others.iter().all(|gap| (3..=9).contains(gap)), "{times:?}");
    // The last wait may be cut below the minimum, to poll once more before the end.
    assert!((1..=9).contains(last), "{times:?}");
    assert!(exceeded.elapsed() <= Duration::from_secs(60));
    assert!(error.to_string().starts_with("the waiter gave up after"), "{error}");
}

#[test]
fn a_retry_error_at_the_deadline_is_kept_as_the_last_poll() {
    let (outcome, _) = run(&STATUS, 10, vec![service_error("NotYet", 400)]);
    let error = outcome.unwrap_err();
    let poll = error.last_poll().unwrap();
    assert!(matches!(poll.as_result(), Err(SdkError::Service(_))));
}

#[test]
fn an_error_without_a_response_ends_the_wait() {
    let (config, _) = config();
    let outcome: Result<FinalPoll<Value, TestError>, _> =
        block_on(wait(&STATUS, &config, Duration::from_secs(60), json!({}), |_| async {
            Err(SdkError::Construction(ConstructionError::configuration("no region")))
        }));
    assert!(matches!(
        outcome,
        Err(WaiterError::Operation(SdkError::Construction(_)))
    ));
}
