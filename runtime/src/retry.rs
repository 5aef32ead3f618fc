//! Retry decisions, sans-IO: which outcomes are worth another attempt and how long to wait first.
//!
//! This is the AWS SDKs' "standard" mode: up to 3 attempts, exponential backoff with full jitter capped at
//! 20 s, retrying throttling errors, transient server errors (500, 502, 503, 504) and connection failures,
//! within a retry quota shared by the calls of one client ([`RetryQuota`]).

use crate::error::{ErrorMetadata, SdkError};
use crate::transport::TransportErrorKind;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// How many attempts, and how long to back off between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Standard mode: 3 attempts, backoff `random(0..1) * 2^attempt` seconds, at most 20 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts, the first one included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the backoff unit: attempt `n` waits a random time below `initial_backoff * 2^(n-1)`.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest wait between two attempts.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Attempts in all, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait after failed attempt `attempt` (1-based), given a uniform random number in `0..1`.
    pub fn backoff(&self, attempt: u32, random: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let ceiling = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        ceiling.mul_f64(random.clamp(0.0, 1.0))
    }
}

/// Why an outcome may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryKind {
    /// The service asked the client to slow down.
    Throttling,
    /// A server error (500, 502, 503, 504, or a transient error code) that another attempt may not meet.
    Transient,
    /// The attempt timed out.
    Timeout,
    /// The connection failed before a response arrived.
    Connection,
}

/// Error codes the AWS SDKs treat as throttling.
pub(crate) const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes the AWS SDKs treat as transient.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// Statuses that mean "try again" whatever the body says.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Whether an attempt's outcome is worth retrying, and why.
pub fn classify<O, E>(outcome: &Result<O, SdkError<E>>) -> Option<RetryKind> {
    let error = outcome.as_ref().err()?;
    match error {
        SdkError::Service(service) => classify_service_error(service.meta(), service.raw().status().as_u16()),
        SdkError::Response(response) => classify_status(response.raw().status().as_u16()),
        SdkError::Dispatch(dispatch) => classify_dispatch(dispatch.kind()),
        SdkError::Timeout(_) => Some(RetryKind::Timeout),
        _ => None,
    }
}

// `classify`'s cases, outside it so that each operation's instance of it is only the `match`.

fn classify_service_error(meta: &ErrorMetadata, status: u16) -> Option<RetryKind> {
    // Both codes: an awsQuery-compatible service's awsQuery code and its awsJson one (the shape name).
    let codes = [meta.code(), meta.json_code()];
    let has = |list: &[&str]| codes.iter().flatten().any(|code| list.contains(code));
    if has(THROTTLING_CODES) {
        Some(RetryKind::Throttling)
    } else if has(TRANSIENT_CODES) {
        Some(RetryKind::Transient)
    } else {
        classify_status(status)
    }
}

fn classify_status(status: u16) -> Option<RetryKind> {
    TRANSIENT_STATUSES.contains(&status).then_some(RetryKind::Transient)
}

fn classify_dispatch(kind: TransportErrorKind) -> Option<RetryKind> {
    match kind {
        TransportErrorKind::Io => Some(RetryKind::Connection),
        TransportErrorKind::Timeout => Some(RetryKind::Timeout),
        _ => None,
    }
}

/// The standard mode's retry quota: a token bucket shared by every call made with one [`Config`] and its
/// clones (a client). It starts with 500 tokens; a retry after a timeout costs 10, any other retry 5 (as in
/// botocore's standard mode); a call that succeeds gives back what its last retry cost, or 1 token if it needed none, up to
/// the 500. When the bucket cannot pay for a retry, the call ends with the error it has: during an outage the
/// client stops retrying instead of multiplying the load on a struggling service by the attempts allowed.
///
/// [`Config`]: crate::config::Config
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
    capacity: u32,
}

impl Default for RetryQuota {
    /// 500 tokens, as in the AWS SDKs.
    fn default() -> Self {
        Self::new(INITIAL_RETRY_TOKENS)
    }
}

const INITIAL_RETRY_TOKENS: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const NO_RETRY_INCREMENT: u32 = 1;

impl RetryQuota {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        Self {
            available: Mutex::new(capacity),
            capacity,
        }
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.lock()
    }

    /// Takes the cost of retrying after an outcome of `kind`; `None` (and nothing taken) if the bucket cannot
    /// pay for it. The returned cost is what [`RetryQuota::succeeded`] gives back.
    pub fn try_acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        };
        let mut available = self.lock();
        *available = available.checked_sub(cost)?;
        Some(cost)
    }

    /// A call succeeded: `last_retry_cost` is what its last retry took (`None` if it made one attempt).
    pub fn succeeded(&self, last_retry_cost: Option<u32>) {
        let mut available = self.lock();
        let refund = last_retry_cost.unwrap_or(NO_RETRY_INCREMENT);
        *available = available.saturating_add(refund).min(self.capacity);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // A plain counter cannot be left inconsistent by a panic elsewhere.
        self.available.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A uniform random number in `0..1` for jitter. Jitter only has to differ between clients and attempts, so
/// the clock and a counter, mixed by splitmix64, do instead of a random-number crate.
pub fn jitter() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    let mut z = nanos ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap() {
        let config = RetryConfig::default();
        assert_eq!(config.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(config.backoff(2, 1.0), Duration::from_secs(2));
        assert_eq!(config.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(config.backoff(10, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(u32::MAX, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(1, 0.0), Duration::ZERO);
    }

    #[test]
    fn classifies_each_kind_of_outcome() {
        use crate::error::{parse_error_metadata, RawResponse, ResponseError, ServiceError, TimeoutError, Unhandled};
        use crate::transport::TransportError;
        let service = |status: u16, headers: &[(&str, &str)], body: &str| -> Result<(), SdkError<Unhandled>> {
            let mut builder = http::Response::builder().status(status);
            for (name, value) in headers {
                builder = builder.header(*name, *value);
            }
            let raw = RawResponse::from(builder.body(body.as_bytes().to_vec()).unwrap());
            let meta = parse_error_metadata(raw.headers(), raw.body());
            Err(SdkError::Service(ServiceError::new(
                Unhandled::new(meta.clone()),
                meta,
                raw,
            )))
        };
        let throttled = service(400, &[], r#"{"__type":"ThrottlingException"}"#);
        assert_eq!(classify(&throttled), Some(RetryKind::Throttling));
        // An awsQuery-compatible service's awsQuery code does not hide its awsJson throttling code.
        let query = service(
            400,
            &[("x-amzn-query-error", "AWS.Custom.Busy;Sender")],
            r#"{"__type":"ThrottlingException"}"#,
        );
        assert_eq!(classify(&query), Some(RetryKind::Throttling));
        let query = service(
            400,
            &[("x-amzn-query-error", "Throttling;Sender")],
            r#"{"__type":"SlowDownPlease"}"#,
        );
        assert_eq!(classify(&query), Some(RetryKind::Throttling));
        assert_eq!(classify(&service(503, &[], "{}")), Some(RetryKind::Transient));
        assert_eq!(
            classify(&service(400, &[], r#"{"__type":"InternalError"}"#)),
            Some(RetryKind::Transient)
        );
        assert_eq!(
            classify(&service(400, &[], r#"{"__type":"ValidationException"}"#)),
            None
        );
        let html = RawResponse::from(http::Response::builder().status(502).body(b"<html>".to_vec()).unwrap());
        let unparseable: Result<(), SdkError<Unhandled>> =
            Err(SdkError::Response(ResponseError::new(html, "html", None)));
        assert_eq!(classify(&unparseable), Some(RetryKind::Transient));
        let dispatch = |e: TransportError| -> Result<(), SdkError<Unhandled>> { Err(SdkError::Dispatch(e)) };
        assert_eq!(
            classify(&dispatch(TransportError::io("reset"))),
            Some(RetryKind::Connection)
        );
        assert_eq!(
            classify(&dispatch(TransportError::timeout("slow"))),
            Some(RetryKind::Timeout)
        );
        assert_eq!(classify(&dispatch(TransportError::other("bad"))), None);
        let timeout: Result<(), SdkError<Unhandled>> =
            Err(SdkError::Timeout(TimeoutError::new(Duration::from_secs(1), 1, None)));
        assert_eq!(classify(&timeout), Some(RetryKind::Timeout));
        assert_eq!(classify::<(), Unhandled>(&Ok(())), None);
    }

    #[test]
    fn the_quota_pays_for_retries_until_empty_and_successes_refill_it() {
        let quota = RetryQuota::new(25);
        assert_eq!(quota.try_acquire(RetryKind::Throttling), Some(5));
        assert_eq!(quota.try_acquire(RetryKind::Transient), Some(5));
        assert_eq!(quota.try_acquire(RetryKind::Connection), Some(5));
        assert_eq!(quota.available(), 10);
        assert_eq!(quota.try_acquire(RetryKind::Timeout), Some(10));
        assert_eq!(quota.try_acquire(RetryKind::Timeout), None, "10 > 0: nothing taken");
        quota.succeeded(Some(5));
        assert_eq!(quota.available(), 5);
        assert_eq!(quota.try_acquire(RetryKind::Timeout), None, "10 > 5: nothing taken");
        assert_eq!(quota.try_acquire(RetryKind::Throttling), Some(5));
        assert_eq!(quota.try_acquire(RetryKind::Throttling), None);
        quota.succeeded(Some(10));
        assert_eq!(quota.available(), 10);
        quota.succeeded(None);
        assert_eq!(quota.available(), 11);
        for _ in 0..100 {
            quota.succeeded(Some(10));
        }
        assert_eq!(quota.available(), 25, "never above capacity");
        assert_eq!(RetryQuota::default().available(), 500);
    }

    #[test]
    fn jitter_is_in_range_and_varies() {
        let samples: Vec<f64> = (0..100).map(|_| jitter()).collect();
        assert!(samples.iter().all(|s| (0.0..1.0).contains(s)));
        assert!(samples.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn max_attempts_is_at_least_one() {
        assert_eq!(RetryConfig::default().with_max_attempts(0).max_attempts(), 1);
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
    }
}
