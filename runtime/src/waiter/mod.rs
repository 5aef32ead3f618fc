//! Waiters: call an operation until the model's acceptors say the resource reached the state waited for (or
//! never will), as Smithy's waiters specification defines it.
//!
//! A generated crate describes each waiter as data (a `static` [`WaiterSpec`]: delays and acceptors, with the
//! acceptors' JMESPath expressions as text) and calls [`wait`] with a closure that sends one request. Everything
//! else is here, once: acceptor matching ([`Matcher`], [`Comparator`], the [`jmespath`] interpreter), the
//! backoff with jitter between polls ([`Backoff`]), the maximum wait, and the outcome ([`FinalPoll`],
//! [`WaiterError`]).
//!
//! The clock is the configuration's [`TimeSource`](crate::credentials::TimeSource) and the wait between polls
//! the transport's [`sleep`](crate::transport::Transport::sleep), so a test drives a waiter through hours of
//! polling in no time with a [`ManualClock`](crate::credentials::ManualClock) and
//! [`StubTransport::with_clock`](crate::transport::StubTransport::with_clock).

pub mod jmespath;

use crate::build_error::BuildError;
use crate::config::Config;
use crate::error::{ConstructionError, SdkError};
use crate::validation::ValidationErrors;
use serde_json::Value;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// A waiter as the model defines it; generated crates hold one `static` per waiter.
#[derive(Debug)]
pub struct WaiterSpec {
    /// The waiter's name in the model (`ServicesStable`), for messages.
    pub name: &'static str,
    /// The shortest wait between two polls (Smithy's `minDelay`).
    pub min_delay: Duration,
    /// The longest wait between two polls (Smithy's `maxDelay`).
    pub max_delay: Duration,
    /// In the model's order: the first that matches a poll decides what happens next.
    pub acceptors: &'static [Acceptor],
}

/// What a poll that an acceptor matches leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// Stop waiting: the resource reached the state waited for.
    Success,
    /// Stop waiting: the resource will never reach it.
    Failure,
    /// Poll again.
    Retry,
}

/// One acceptor: if `matcher` matches a poll, the waiter moves to `state`.
#[derive(Debug)]
pub struct Acceptor {
    /// Where the waiter goes when the matcher matches.
    pub state: AcceptorState,
    /// What the acceptor looks at.
    pub matcher: Matcher,
}

/// What an acceptor looks at in a poll.
#[derive(Debug)]
pub enum Matcher {
    /// A JMESPath expression over the output of a successful call, compared with `expected`.
    Output {
        /// The JMESPath expression.
        path: &'static str,
        /// The value compared with (`"true"`/`"false"` for [`Comparator::BooleanEquals`]).
        expected: &'static str,
        /// How the expression's result is compared.
        comparator: Comparator,
    },
    /// A JMESPath expression over `{"input": .., "output": ..}` of a successful call, compared with `expected`.
    InputOutput {
        /// The JMESPath expression.
        path: &'static str,
        /// The value compared with.
        expected: &'static str,
        /// How the expression's result is compared.
        comparator: Comparator,
    },
    /// `true`: the call succeeded; `false`: the service answered with an error.
    Success(bool),
    /// The service answered with this error (the error's shape name, or its awsQuery code).
    ErrorType(&'static str),
    /// The response had this HTTP status (botocore's `status` matcher; a successful call counts as 200, since
    /// awsJson answers every success with 200).
    Status(u16),
}

/// How a JMESPath result is compared with an acceptor's expected value (Smithy's `PathComparator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// The result is a string equal to the expected one.
    StringEquals,
    /// The result is a boolean equal to the expected one (`"true"` or `"false"`).
    BooleanEquals,
    /// The result is a non-empty list whose elements are all strings equal to the expected one.
    AllStringEquals,
    /// The result is a list with at least one string equal to the expected one.
    AnyStringEquals,
}

impl Comparator {
    /// Whether `value` (what a JMESPath expression gave) matches `expected`. A result of the wrong type never
    /// matches; an empty list matches neither `AllStringEquals` nor `AnyStringEquals` (as in the SDKs: "all" of
    /// nothing is no evidence).
    pub fn matches(self, value: &Value, expected: &str) -> bool {
        match self {
            Comparator::StringEquals => value.as_str() == Some(expected),
            Comparator::BooleanEquals => value
                .as_bool()
                .is_some_and(|b| expected == if b { "true" } else { "false" }),
            Comparator::AllStringEquals => value
                .as_array()
                .is_some_and(|items| !items.is_empty() && items.iter().all(|v| v.as_str() == Some(expected))),
            Comparator::AnyStringEquals => value
                .as_array()
                .is_some_and(|items| items.iter().any(|v| v.as_str() == Some(expected))),
        }
    }
}

/// One poll as the acceptors see it.
#[derive(Clone, Copy, Debug)]
pub enum Observation<'a> {
    /// The call succeeded; `input` and `output` are as serialized (JSON `null` when no acceptor reads them).
    Output {
        /// The request's input.
        input: &'a Value,
        /// The response's output.
        output: &'a Value,
    },
    /// The service answered with an error.
    Error {
        /// The error's shape name (`json_code`).
        code: Option<&'a str>,
        /// The code botocore reports, which differs from `code` only for awsQuery-compatible services.
        query_code: Option<&'a str>,
        /// The HTTP status of the response.
        status: u16,
    },
}

/// A [`WaiterSpec`] whose expressions have been parsed.
#[derive(Debug)]
pub struct CompiledWaiter {
    spec: &'static WaiterSpec,
    /// One per acceptor: its parsed expression, if it has one.
    paths: Vec<Option<jmespath::Expression>>,
}

impl CompiledWaiter {
    /// Parses every acceptor's expression; the first that does not parse is the error.
    pub fn new(spec: &'static WaiterSpec) -> Result<Self, jmespath::ParseError> {
        let paths = spec
            .acceptors
            .iter()
            .map(|acceptor| match acceptor.matcher {
                Matcher::Output { path, .. } | Matcher::InputOutput { path, .. } => {
                    jmespath::Expression::parse(path).map(Some)
                }
                _ => Ok(None),
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { spec, paths })
    }

    /// Whether some acceptor reads the output (so it has to be serialized).
    pub fn reads_output(&self) -> bool {
        self.paths.iter().any(Option::is_some)
    }

    /// Whether some acceptor reads the input.
    pub fn reads_input(&self) -> bool {
        self.spec
            .acceptors
            .iter()
            .any(|a| matches!(a.matcher, Matcher::InputOutput { .. }))
    }

    /// The state of the first acceptor that matches `poll`, if any.
    pub fn evaluate(&self, poll: Observation<'_>) -> Option<AcceptorState> {
        self.spec
            .acceptors
            .iter()
            .zip(&self.paths)
            .find(|(acceptor, path)| matches(&acceptor.matcher, path.as_ref(), poll))
            .map(|(acceptor, _)| acceptor.state)
    }
}

fn matches(matcher: &Matcher, path: Option<&jmespath::Expression>, poll: Observation<'_>) -> bool {
    match (matcher, poll) {
        (
            Matcher::Output {
                expected, comparator, ..
            },
            Observation::Output { output, .. },
        ) => path.is_some_and(|p| comparator.matches(&p.search(output), expected)),
        (
            Matcher::InputOutput {
                expected, comparator, ..
            },
            Observation::Output { input, output },
        ) => {
            let both = serde_json::json!({"input": input, "output": output});
            path.is_some_and(|p| comparator.matches(&p.search(&both), expected))
        }
        (Matcher::Success(success), Observation::Output { .. }) => *success,
        (Matcher::Success(success), Observation::Error { .. }) => !*success,
        (Matcher::ErrorType(expected), Observation::Error { code, query_code, .. }) => {
            code == Some(*expected) || query_code == Some(*expected)
        }
        (Matcher::Status(expected), Observation::Output { .. }) => *expected == 200,
        (Matcher::Status(expected), Observation::Error { status, .. }) => *expected == status,
        _ => false,
    }
}

/// The waits between polls, as Smithy's waiters specification defines them: exponential from `min_delay`, capped
/// at `max_delay`, each drawn at random between `min_delay` and that bound (jitter), and cut short so that no
/// poll comes after the maximum wait time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    min_delay: Duration,
    max_delay: Duration,
    max_wait: Duration,
}

impl Backoff {
    /// Waits between `min_delay` and `max_delay` (raised to `min_delay` if lower), within `max_wait` in all.
    pub fn new(min_delay: Duration, max_delay: Duration, max_wait: Duration) -> Self {
        Self {
            min_delay,
            max_delay: max_delay.max(min_delay),
            max_wait,
        }
    }

    /// The wait after poll number `attempt` (from 1), `elapsed` after the first poll began, with `random` in
    /// `[0, 1)` choosing within the jitter range; `None` when the maximum wait leaves no room for another poll.
    ///
    /// The bound is `min_delay * 2^(attempt - 1)` up to the attempt where it would pass `max_delay`, then
    /// `max_delay`; if waiting that long would leave less than `min_delay` of the maximum wait, the wait is
    /// shortened to leave exactly `min_delay` (so the last poll happens at `max_wait - min_delay`).
    pub fn delay(&self, attempt: u32, elapsed: Duration, random: f64) -> Option<Duration> {
        let bound = 2u32
            .checked_pow(attempt.saturating_sub(1))
            .and_then(|factor| self.min_delay.checked_mul(factor))
            .map_or(self.max_delay, |d| d.min(self.max_delay));
        let spread = bound.saturating_sub(self.min_delay);
        let mut delay = self.min_delay + spread.mul_f64(random.clamp(0.0, 1.0));
        let remaining = self.max_wait.saturating_sub(elapsed);
        if remaining.saturating_sub(delay) <= self.min_delay {
            delay = remaining.saturating_sub(self.min_delay);
        }
        (!delay.is_zero()).then_some(delay)
    }
}

/// The poll a waiter stopped on: the call's result, and how many polls it took.
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, SdkError<E>>,
    attempts: u32,
    elapsed: Duration,
}

impl<O, E> FinalPoll<O, E> {
    /// The last call's output or error (an error when an error acceptor decided).
    pub fn as_result(&self) -> Result<&O, &SdkError<E>> {
        self.result.as_ref()
    }

    /// The last call's output or error, by value.
    pub fn into_result(self) -> Result<O, SdkError<E>> {
        self.result
    }

    /// The last call's output, if it succeeded.
    pub fn output(&self) -> Option<&O> {
        self.result.as_ref().ok()
    }

    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time from the first call to the end of the last, by the configuration's clock.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// The maximum wait time passed before an acceptor reached success or failure.
#[derive(Debug)]
pub struct ExceededMaxWait<O, E> {
    max_wait: Duration,
    last_poll: FinalPoll<O, E>,
}

impl<O, E> ExceededMaxWait<O, E> {
    /// The maximum wait time the waiter was given.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// Time spent waiting, by the configuration's clock.
    pub fn elapsed(&self) -> Duration {
        self.last_poll.elapsed
    }

    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        self.last_poll.attempts
    }

    /// The last poll (its output, or the error a `retry` acceptor matched).
    pub fn last_poll(&self) -> &FinalPoll<O, E> {
        &self.last_poll
    }

    /// The last poll, by value.
    pub fn into_last_poll(self) -> FinalPoll<O, E> {
        self.last_poll
    }
}

/// Why a waiter stopped without reaching its success state.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// Nothing was sent: the input did not build or validate, or the waiter's acceptors are unusable.
    Construction(ConstructionError),
    /// The maximum wait time passed while acceptors still said "retry" (or none matched).
    ExceededMaxWait(ExceededMaxWait<O, E>),
    /// An acceptor reached the failure state: the resource will not reach the state waited for. The poll that
    /// decided is kept.
    FailureState(FinalPoll<O, E>),
    /// A call failed in a way no acceptor expects: a service error no acceptor matched, or no response at all
    /// (transport, timeout, an unreadable response).
    Operation(SdkError<E>),
}

impl<O, E> WaiterError<O, E> {
    /// The last poll, when the waiter got that far (exceeded the maximum wait, or reached a failure state).
    pub fn last_poll(&self) -> Option<&FinalPoll<O, E>> {
        match self {
            Self::ExceededMaxWait(e) => Some(&e.last_poll),
            Self::FailureState(poll) => Some(poll),
            _ => None,
        }
    }

    /// True when the maximum wait time passed.
    pub fn is_exceeded_max_wait(&self) -> bool {
        matches!(self, Self::ExceededMaxWait(_))
    }

    /// True when an acceptor reached the failure state.
    pub fn is_failure_state(&self) -> bool {
        matches!(self, Self::FailureState(_))
    }

    /// The operation's error when a call failed in a way no acceptor expects.
    pub fn as_operation_error(&self) -> Option<&SdkError<E>> {
        match self {
            Self::Operation(e) => Some(e),
            _ => None,
        }
    }
}

impl<O, E> From<ConstructionError> for WaiterError<O, E> {
    fn from(e: ConstructionError) -> Self {
        Self::Construction(e)
    }
}

impl<O, E> From<BuildError> for WaiterError<O, E> {
    fn from(e: BuildError) -> Self {
        Self::Construction(e.into())
    }
}

impl<O, E> From<ValidationErrors> for WaiterError<O, E> {
    fn from(e: ValidationErrors) -> Self {
        Self::Construction(e.into())
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Construction(e) => write!(f, "the waiter did not start: {e}"),
            Self::ExceededMaxWait(e) => write!(
                f,
                "the waiter gave up after {:?} ({} poll{}), its maximum wait of {:?}",
                e.elapsed(),
                e.attempts(),
                if e.attempts() == 1 { "" } else { "s" },
                e.max_wait
            ),
            Self::FailureState(poll) => write!(
                f,
                "the waiter reached a failure state after {} poll{}",
                poll.attempts,
                if poll.attempts == 1 { "" } else { "s" }
            ),
            Self::Operation(e) => write!(f, "the waiter stopped on an operation error: {e}"),
        }
    }
}

impl<O: fmt::Debug, E: Error + 'static> Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Construction(e) => Some(e),
            Self::Operation(e) => Some(e),
            Self::FailureState(FinalPoll { result: Err(e), .. }) => Some(e),
            _ => None,
        }
    }
}

/// Polls with `send` until an acceptor of `spec` says success (`Ok`) or failure, a call fails in a way no
/// acceptor expects, or `max_wait` has passed (each an [`WaiterError`]). `send` makes one call with a copy of
/// `input`; the clock is `config`'s and the waits between polls are its transport's `sleep`, with the backoff
/// and jitter of [`Backoff`].
///
/// Acceptors see successful calls and service errors; an error with no response (transport, timeout, an
/// unreadable body, an invalid input) ends the wait as [`WaiterError::Operation`], as does a service error that
/// no acceptor matches.
pub async fn wait<I, O, E, F, Fut>(
    spec: &'static WaiterSpec,
    config: &Config,
    max_wait: Duration,
    input: I,
    mut send: F,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    I: serde::Serialize + Clone,
    O: serde::Serialize,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    let waiter = CompiledWaiter::new(spec).map_err(|e| {
        ConstructionError::configuration(format!("the waiter `{}` has an unusable acceptor path: {e}", spec.name))
    })?;
    let input_json = if waiter.reads_input() {
        serde_json::to_value(&input).map_err(ConstructionError::from)?
    } else {
        Value::Null
    };
    let backoff = Backoff::new(spec.min_delay, spec.max_delay, max_wait);
    let clock = config.time_source();
    let started = clock.now();
    let mut attempts = 0u32;
    loop {
        attempts = attempts.saturating_add(1);
        let result = send(input.clone()).await;
        let state = match &result {
            Ok(output) => {
                let output_json = if waiter.reads_output() {
                    serde_json::to_value(output).unwrap_or(Value::Null)
                } else {
                    Value::Null
                };
                waiter.evaluate(Observation::Output {
                    input: &input_json,
                    output: &output_json,
                })
            }
            Err(SdkError::Service(e)) => waiter.evaluate(Observation::Error {
                code: e.meta().json_code(),
                query_code: e.meta().code(),
                status: e.raw().status().as_u16(),
            }),
            Err(_) => None,
        };
        let elapsed = clock.now().duration_since(started).unwrap_or_default();
        let poll = FinalPoll {
            result,
            attempts,
            elapsed,
        };
        match (state, poll.result) {
            (Some(AcceptorState::Success), result) => return Ok(FinalPoll { result, ..poll }),
            (Some(AcceptorState::Failure), result) => {
                return Err(WaiterError::FailureState(FinalPoll { result, ..poll }))
            }
            // Smithy: an error that no acceptor matches ends the wait.
            (None, Err(e)) => return Err(WaiterError::Operation(e)),
            (Some(AcceptorState::Retry) | None, result) => {
                match backoff.delay(attempts, elapsed, crate::retry::jitter()) {
                    Some(delay) => {
                        if let Some(transport) = config.transport() {
                            transport.sleep(delay).await;
                        }
                    }
                    None => {
                        return Err(WaiterError::ExceededMaxWait(ExceededMaxWait {
                            max_wait,
                            last_poll: FinalPoll { result, ..poll },
                        }))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
