//! Where the credentials that sign requests come from: the provider seam, the SDKs' providers, the cache.
//!
//! A [`ProvideCredentials`] returns [`Credentials`]. Providers that need the network (STS, SSO, the container
//! endpoint, IMDS) send their requests through the client's own [`Transport`] via [`ProviderContext::send`], so
//! a [`StubTransport`](crate::transport::StubTransport), the timeouts and the response-size limit apply to them
//! as to every operation, and the same provider serves `send().await` and `send_blocking()`.
//!
//! A [`Config`](crate::config::Config) holds its provider behind a [`CredentialsCache`], shared by its clones:
//! credentials that expire are fetched once and refreshed ahead of expiry, never per call.
//!
//! ```
//! use awsgen_runtime::config::Config;
//! use awsgen_runtime::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
//!
//! /// A provider of one's own: a vault, a parent process, a test fixture.
//! #[derive(Debug)]
//! struct FromVault;
//!
//! impl ProvideCredentials for FromVault {
//!     fn provide_credentials<'a>(&'a self, _ctx: &'a ProviderContext) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
//!         Box::pin(async { Ok(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI", None)) })
//!     }
//! }
//!
//! let config = Config::builder().region("eu-west-1").credentials_provider(FromVault).build();
//! ```

pub mod cache;
pub mod chain;
pub mod container;
pub mod imds;
pub mod process;
pub mod profile_chain;
pub mod sso;
pub mod sts;
pub mod web_identity;

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use crate::config::Timeouts;
use crate::profile::REDACTED;
use crate::retry::RetryConfig;
use crate::transport::{
    AttemptTimeout, HttpRequest, HttpResponse, ResponseSizeLimit, Transport, TransportError, TransportErrorKind,
};

pub use crate::transport::BoxFuture;
pub use cache::CredentialsCache;
pub use chain::CredentialsChain;

/// AWS credentials. `Debug` shows only the access key id and the expiry, so configs can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term (`session_token: None`) or temporary credentials, with no expiry.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, valid until `expiry` (a [`CredentialsCache`] refreshes them ahead of it).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id (`AKIA...`), not secret.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When these credentials stop working; `None` for credentials that do not expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field("session_token", &self.session_token.as_ref().map(|_| REDACTED))
            .field(
                "expiry",
                &self.expiry.map(|expiry| crate::DateTime::from(expiry).to_string()),
            )
            .finish()
    }
}

/// A source of credentials. Implement it to plug in a source of one's own and hand it to
/// [`ConfigBuilder::credentials_provider`](crate::config::ConfigBuilder::credentials_provider); the
/// configuration caches what it returns (see [`CredentialsCache`]), so an implementation need not.
///
/// Return [`CredentialsErrorKind::NotLoaded`] when this source is simply not set up here (a
/// [`CredentialsChain`] then tries the next one), any other kind when it is set up but fails (which stops
/// the chain, as in the AWS SDKs).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Fetches credentials. HTTP goes through `ctx` ([`ProviderContext::send`]).
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>>;
}

/// Credentials given explicitly are a provider that always returns them.
impl ProvideCredentials for Credentials {
    fn provide_credentials<'a>(
        &'a self,
        _: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials(ctx)
    }
}

/// Where "now" comes from, for expiry and signing: the system clock, or a [`ManualClock`] in tests.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock, the default [`TimeSource`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to, for testing expiry and refresh. Clones share the time.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: SystemTime) -> Self {
        Self(Arc::new(Mutex::new(now)))
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: SystemTime) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a provider gets to work with: the client's transport, timeouts, retry settings, response-size
/// limit and clock. Made by the client for each resolution; [`ProviderContext::new`] makes one for tests.
#[derive(Clone, Debug)]
pub struct ProviderContext {
    transport: Option<Arc<dyn Transport>>,
    timeouts: Timeouts,
    retry: RetryConfig,
    max_response_size: ResponseSizeLimit,
    time_source: Arc<dyn TimeSource>,
    /// When the operation call that needs the credentials must be over (its total timeout).
    deadline: Option<Instant>,
}

impl ProviderContext {
    /// A context sending through `transport`, with default timeouts and retries and the system clock.
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        Self {
            transport: Some(transport),
            timeouts: Timeouts::default(),
            retry: RetryConfig::default(),
            max_response_size: ResponseSizeLimit::default(),
            time_source: Arc::new(SystemClock),
            deadline: None,
        }
    }

    /// The same context with requests bounded by `deadline`: attempts are cut short, and none starts, once it
    /// has passed. [`invoke`](crate::protocol::invoke) sets it from the call's total timeout.
    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The same context with another clock.
    pub fn with_time_source(mut self, time_source: Arc<dyn TimeSource>) -> Self {
        self.time_source = time_source;
        self
    }

    /// The same context with other retry settings.
    pub fn with_retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    pub(crate) fn from_parts(
        transport: Option<Arc<dyn Transport>>,
        timeouts: Timeouts,
        retry: RetryConfig,
        max_response_size: ResponseSizeLimit,
        time_source: Arc<dyn TimeSource>,
    ) -> Self {
        Self {
            transport,
            timeouts,
            retry,
            max_response_size,
            time_source,
            deadline: None,
        }
    }

    /// The current time of the client's clock.
    pub fn now(&self) -> SystemTime {
        self.time_source.now()
    }

    /// The client's clock.
    pub fn time_source(&self) -> &Arc<dyn TimeSource> {
        &self.time_source
    }

    /// The client's timeouts.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// Sends a request for `provider`, retrying as [`RequestPolicy`] says.
    ///
    /// `make_request` is called for every attempt (so a signature carries the attempt's time). A response is
    /// returned whatever its status once it is not retryable or the attempts are spent: the caller reads its
    /// own error format. Connection failures and timeouts that outlast the attempts are a
    /// [`CredentialsErrorKind::Dispatch`] error.
    pub async fn send<F>(
        &self,
        provider: &'static str,
        policy: &RequestPolicy,
        make_request: F,
    ) -> Result<HttpResponse, CredentialsError>
    where
        F: Fn() -> Result<HttpRequest, CredentialsError> + Send + Sync,
    {
        let transport = self.transport.as_ref().ok_or_else(|| {
            CredentialsError::new(
                CredentialsErrorKind::InvalidConfiguration,
                provider,
                "no HTTP transport is configured to fetch credentials with",
            )
        })?;
        let max_attempts = policy.max_attempts.unwrap_or(self.retry.max_attempts()).max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut attempt_timeout = policy.attempt_timeout.unwrap_or(self.timeouts.attempt);
            if let Some(deadline) = self.deadline {
                let remaining = deadline.saturating_duration_since(Instant::now());
                if remaining.is_zero() {
                    let error = TransportError::timeout("the call's total timeout ran out while fetching credentials");
                    return Err(CredentialsError::dispatch(provider, error));
                }
                attempt_timeout = attempt_timeout.min(remaining);
            }
            let mut request = make_request()?;
            request.extensions_mut().insert(AttemptTimeout(attempt_timeout));
            request.extensions_mut().insert(self.max_response_size);
            let outcome = transport.send(request).await;
            let retryable = match &outcome {
                Ok(response) => is_retryable_status(response.status().as_u16()) || (policy.retry_response)(response),
                Err(e) => matches!(e.kind(), TransportErrorKind::Io | TransportErrorKind::Timeout),
            };
            if !retryable || attempt >= max_attempts {
                return outcome.map_err(|e| CredentialsError::dispatch(provider, e));
            }
            transport
                .sleep(self.retry.backoff(attempt, crate::retry::jitter()))
                .await;
        }
    }
}

/// An expiry as credentials sources write it, RFC 3339 (`2026-11-30T15:07:31Z`); `None` if it is not one.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let time = crate::datetime::DateTime::from_str(text, crate::datetime::Format::DateTime).ok()?;
    SystemTime::try_from(time).ok()
}

/// Appends `value` percent-encoded for a form or a query: RFC 3986's unreserved characters as they are, every
/// other byte as `%XX` (a space too, so no `+` whose reading differs between servers).
pub(crate) fn percent_encode(value: &str, out: &mut String) {
    use std::fmt::Write as _;
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a `String` cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Field `name` of a JSON credentials document, or one whose key equals it but for case (the AWS SDK for Rust
/// reads these documents case-blind); `null` counts as absent.
pub(crate) fn json_field<'a>(
    object: &'a serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<&'a serde_json::Value> {
    object
        .get(name)
        .or_else(|| {
            object
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value)
        })
        .filter(|value| !value.is_null())
}

/// String field `name` of a JSON credentials document (see [`json_field`]); an error naming the field (never
/// quoting the value, which may be a secret) when it is not a string.
pub(crate) fn json_string(
    object: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<Option<String>, String> {
    match json_field(object, name) {
        None => Ok(None),
        Some(serde_json::Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(format!("`{name}` is not a string")),
    }
}

/// 429 and the 5xx statuses that mean "try again", as for operations.
fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// How [`ProviderContext::send`] treats one provider's requests.
#[derive(Clone, Copy, Debug)]
pub struct RequestPolicy {
    /// The limit for one attempt; `None`: the client's attempt timeout.
    pub attempt_timeout: Option<Duration>,
    /// How many attempts at most; `None`: the client's retry setting.
    pub max_attempts: Option<u32>,
    /// Responses to retry besides 429/500/502/503/504 (an STS throttling code, say).
    pub retry_response: fn(&HttpResponse) -> bool,
}

impl Default for RequestPolicy {
    /// The client's timeouts and attempts, retrying connection failures, timeouts, 429 and 5xx.
    fn default() -> Self {
        Self {
            attempt_timeout: None,
            max_attempts: None,
            retry_response: |_| false,
        }
    }
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This source is not set up here (no variable, no profile key, not on EC2); a chain tries the next one.
    NotLoaded,
    /// The source is set up wrongly (a profile cycle, a missing key, an `mfa_serial`, a bad URL).
    InvalidConfiguration,
    /// The source is set up but failed: an unreadable token file, a process that exited non-zero, an
    /// expired SSO token, an answer that cannot be read.
    ProviderError,
    /// The service (STS, SSO, the container endpoint, IMDS) answered with an error: see
    /// [`CredentialsError::code`], [`CredentialsError::service_message`], [`CredentialsError::request_id`].
    ServiceError,
    /// The request could not be sent or answered (connection, timeout, size limit), after retries.
    Dispatch,
}

/// What a service said when it refused: status, code, message and request id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceErrorDetails {
    /// The HTTP status.
    pub status: u16,
    /// The error code (`AccessDenied`, `ExpiredTokenException`), if the answer had one.
    pub code: Option<String>,
    /// The service's message.
    pub message: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
}

/// Why no credentials could be had. Its message names the provider and never contains a secret.
#[derive(Clone)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    provider: Cow<'static, str>,
    message: String,
    service: Option<Box<ServiceErrorDetails>>,
    source: Option<Arc<dyn Error + Send + Sync>>,
}

impl CredentialsError {
    /// An error of `kind` from `provider` (a short name: `STS AssumeRole`, `IMDS`), saying `message`.
    pub fn new(kind: CredentialsErrorKind, provider: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            kind,
            provider: provider.into(),
            message: message.into(),
            service: None,
            source: None,
        }
    }

    /// [`CredentialsErrorKind::NotLoaded`]: `reason` says why this source has nothing here.
    pub fn not_loaded(provider: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, provider, reason)
    }

    /// [`CredentialsErrorKind::InvalidConfiguration`].
    pub fn invalid_configuration(provider: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, provider, message)
    }

    /// [`CredentialsErrorKind::ProviderError`].
    pub fn provider_error(provider: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, provider, message)
    }

    /// [`CredentialsErrorKind::ServiceError`] with what the service said.
    pub fn service_error(provider: impl Into<Cow<'static, str>>, details: ServiceErrorDetails) -> Self {
        let mut error = Self::new(CredentialsErrorKind::ServiceError, provider, "the service refused");
        error.service = Some(Box::new(details));
        error
    }

    /// [`CredentialsErrorKind::Dispatch`] from a transport failure.
    pub fn dispatch(provider: impl Into<Cow<'static, str>>, error: TransportError) -> Self {
        let message = format!("the request failed: {error}");
        Self::new(CredentialsErrorKind::Dispatch, provider, message).with_source(error)
    }

    /// The same error, caused by `source`.
    pub fn with_source(mut self, source: impl Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The same error with `context` before its message (`assuming role X: ...`).
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The provider that failed.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The message, without the provider's name.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What the service said, for [`CredentialsErrorKind::ServiceError`].
    pub fn service_details(&self) -> Option<&ServiceErrorDetails> {
        self.service.as_deref()
    }

    /// The service's error code (`AccessDenied`).
    pub fn code(&self) -> Option<&str> {
        self.service.as_ref()?.code.as_deref()
    }

    /// The service's error message.
    pub fn service_message(&self) -> Option<&str> {
        self.service.as_ref()?.message.as_deref()
    }

    /// The request id of the service's answer.
    pub fn request_id(&self) -> Option<&str> {
        self.service.as_ref()?.request_id.as_deref()
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provider, self.message)?;
        if let Some(service) = &self.service {
            write!(f, ": HTTP {}", service.status)?;
            if let Some(code) = &service.code {
                write!(f, " {code}")?;
            }
            if let Some(message) = &service.message {
                write!(f, ": {message}")?;
            }
            if let Some(id) = &service.request_id {
                write!(f, " (request id {id})")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsError")
            .field("kind", &self.kind)
            .field("provider", &self.provider)
            .field("message", &self.message)
            .field("service", &self.service)
            .field("source", &self.source)
            .finish()
    }
}

impl Error for CredentialsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::StubTransport;

    #[test]
    fn debug_hides_secrets_and_shows_expiry() {
        let creds = Credentials::new("AKID", "s3cr3t", Some("t0k3n".into()))
            .with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let shown = format!("{creds:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("t0k3n"), "{shown}");
        assert!(
            shown.contains("AKID") && shown.contains("2023-11-14T22:13:20Z"),
            "{shown}"
        );
    }

    #[test]
    fn send_retries_5xx_and_connection_failures_then_returns_the_answer() {
        let stub = StubTransport::new({
            let calls = Arc::new(Mutex::new(0));
            move |_| {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                let mut response = HttpResponse::new(format!("answer {calls}").into_bytes());
                if *calls == 1 {
                    *response.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
                }
                response
            }
        });
        let ctx = ProviderContext::new(Arc::new(stub.clone()))
            .with_retry_config(RetryConfig::default().with_initial_backoff(Duration::ZERO));
        let response =
            pollster::block_on(ctx.send("test", &RequestPolicy::default(), || Ok(HttpRequest::new(Vec::new()))))
                .unwrap();
        assert_eq!(response.body(), b"answer 2");
        let sent = stub.requests();
        assert_eq!(sent.len(), 2);
        assert!(sent[0].extensions().get::<AttemptTimeout>().is_some());

        let once = RequestPolicy {
            max_attempts: Some(1),
            ..RequestPolicy::default()
        };
        let failing = StubTransport::json(503, "{}");
        let ctx = ProviderContext::new(Arc::new(failing.clone()));
        let response = pollster::block_on(ctx.send("test", &once, || Ok(HttpRequest::new(Vec::new())))).unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(failing.requests().len(), 1);
    }

    #[test]
    fn send_caps_attempts_at_the_calls_deadline_and_starts_none_after_it() {
        let stub = StubTransport::json(200, "{}");
        let request = || Ok(HttpRequest::new(Vec::new()));
        let soon = ProviderContext::new(Arc::new(stub.clone())).with_deadline(Instant::now() + Duration::from_secs(2));
        pollster::block_on(soon.send("test", &RequestPolicy::default(), request)).unwrap();
        let limit = stub.requests()[0].extensions().get::<AttemptTimeout>().unwrap().0;
        assert!(
            limit <= Duration::from_secs(2),
            "{limit:?}: the attempt timeout (30 s) is cut to what is left"
        );

        let over = ProviderContext::new(Arc::new(stub.clone())).with_deadline(Instant::now());
        let error = pollster::block_on(over.send("test", &RequestPolicy::default(), request)).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::Dispatch);
        assert!(error.to_string().contains("total timeout ran out"), "{error}");
        assert_eq!(stub.requests().len(), 1, "nothing sent after the deadline");
    }

    #[test]
    fn errors_name_the_provider_and_what_the_service_said() {
        let error = CredentialsError::service_error(
            "STS AssumeRole",
            ServiceErrorDetails {
                status: 403,
                code: Some("AccessDenied".into()),
                message: Some("not allowed".into()),
                request_id: Some("req-1".into()),
            },
        )
        .context("assuming role arn:aws:iam::123:role/r");
        assert_eq!(error.kind(), CredentialsErrorKind::ServiceError);
        assert_eq!(error.code(), Some("AccessDenied"));
        assert_eq!(error.request_id(), Some("req-1"));
        assert_eq!(
            error.to_string(),
            "STS AssumeRole: assuming role arn:aws:iam::123:role/r: the service refused: HTTP 403 AccessDenied: \
             not allowed (request id req-1)"
        );
    }
}
