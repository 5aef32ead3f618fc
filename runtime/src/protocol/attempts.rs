//! The part of a call that is the same for every operation: the checks before the request is built, credentials,
//! and the attempts (sign, send, retry or stop). [`invoke`](super::invoke) is generic over the operation's input,
//! output and error, and a crate has one instantiation of it per operation; what is here takes no type parameter,
//! so it is compiled once for all of them. The operation's own part, reading a response into its output or error
//! type, comes in as a callback.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderName, HeaderValue};

use super::ServiceMetadata;
use crate::config::{Config, Timeouts};
use crate::credentials::ProviderContext;
use crate::error::{ConstructionError, SdkError, TimeoutError};
use crate::retry::{self, RetryConfig, RetryKind};
use crate::sigv4::{sign_headers, SigningParams, SigningSettings};
use crate::transport::{
    AttemptTimeout, HttpRequest, HttpResponse, ResponseSizeLimit, Transport, TransportError, TransportErrorKind,
};

use super::SigningScope;

/// A call under way: what its attempts share, taken from the configuration before the request is built.
pub(super) struct Call<'c> {
    service: &'c ServiceMetadata,
    config: &'c Config,
    transport: &'c Arc<dyn Transport>,
    timeouts: Timeouts,
    retry: RetryConfig,
    started: Instant,
    providers: ProviderContext,
    region: &'c str,
}

/// One attempt's result, for the operation to read: the response or the transport's failure.
pub(super) struct Attempted {
    pub response: Result<HttpResponse, TransportError>,
    /// The attempt's number, from 1.
    pub attempt: u32,
    /// The limit a timeout of this attempt ran into: the attempt timeout, or the total one when less of it was left.
    pub timeout_limit: Duration,
}

/// What the operation made of an attempt: whether it may be retried, and whether the call succeeded.
pub(super) struct Verdict {
    pub retry: Option<RetryKind>,
    pub succeeded: bool,
}

/// Why a call ended without the operation's outcome of its last attempt being the answer.
pub(super) enum Stopped {
    /// Nothing (more) could be sent: no credentials, an unsignable request.
    Construction(ConstructionError),
    /// The total timeout ran out before the next attempt could start.
    Timeout(TimeoutError),
}

impl Stopped {
    pub(super) fn into_sdk_error<E>(self) -> SdkError<E> {
        match self {
            Self::Construction(e) => SdkError::Construction(e),
            Self::Timeout(e) => SdkError::Timeout(e),
        }
    }
}

impl<'c> Call<'c> {
    /// Checks what must be there before a request is built (a transport) and finds the region: an IMDS region is
    /// only known once looked up, and the endpoint is made from it. The total timeout starts here, so it covers
    /// fetching credentials (STS, IMDS, ...) too.
    pub(super) async fn begin(service: &'c ServiceMetadata, config: &'c Config) -> Result<Self, ConstructionError> {
        let transport = config.transport().ok_or_else(|| {
            ConstructionError::configuration(
                "no HTTP transport is configured: enable the runtime's `async-https` (default) or `blocking-https` \
                 feature, or pass any `awsgen_runtime::transport::Transport` with `Config::builder().transport(..)` \
                 (tests can use `StubTransport`)",
            )
        })?;
        let (timeouts, retry) = (*config.timeouts(), *config.retry_config());
        let started = Instant::now();
        let providers = config.provider_context().with_deadline(started + timeouts.total);
        let region = config
            .resolve_region_with(&providers)
            .await
            .map_err(ConstructionError::credentials)?;
        Ok(Self {
            service,
            config,
            transport,
            timeouts,
            retry,
            started,
            providers,
            region,
        })
    }

    /// Sends `unsigned` until an attempt's [`Verdict`] (from `judge`, which reads each attempt into the
    /// operation's outcome and keeps it) says to stop, the retry budget or the total timeout runs out, or nothing
    /// can be sent. `Ok` means the outcome `judge` kept last is the call's answer; `judge` has then been called at
    /// least once.
    ///
    /// Each attempt signs a copy of the request (SigV4, with the call's `amz-sdk-invocation-id` and
    /// `amz-sdk-request: attempt=N; max=M`). Retries wait the configured backoff, are paid for from the client's
    /// [`RetryQuota`](crate::retry::RetryQuota), and stop when the wait would pass the total timeout.
    pub(super) async fn attempts(
        self,
        unsigned: HttpRequest,
        judge: &mut (dyn FnMut(Attempted) -> Verdict + Send),
    ) -> Result<(), Stopped> {
        let Self {
            service,
            config,
            transport,
            timeouts,
            retry,
            started,
            providers,
            region,
        } = self;
        let credentials = config
            .resolve_credentials_with(&providers)
            .await
            .map_err(|e| Stopped::Construction(ConstructionError::credentials(e)))?;
        // One id for every attempt of this call, so that the service can tell retries from new calls.
        let invocation_id = HeaderValue::try_from(crate::idempotency::random_uuid_v4()).map_err(|e| {
            Stopped::Construction(ConstructionError::configuration(format!(
                "cannot make an invocation id: {e}"
            )))
        })?;
        let scope = unsigned.extensions().get::<SigningScope>();
        let signing_region = scope.and_then(|s| s.region.as_deref()).unwrap_or(region);
        let signing_name = scope.and_then(|s| s.name.as_deref()).unwrap_or(service.signing_name);
        let mut attempt = 0;
        let mut last_retry_cost = None;
        loop {
            attempt += 1;
            let remaining = timeouts.total.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err(Stopped::Timeout(TimeoutError::new(timeouts.total, attempt - 1, None)));
            }
            let attempt_limit = timeouts.attempt.min(remaining);
            let mut request = copy_request(&unsigned);
            let headers = request.headers_mut();
            headers.insert(
                const { HeaderName::from_static("amz-sdk-invocation-id") },
                invocation_id.clone(),
            );
            let attempt_header = HeaderValue::try_from(format!("attempt={attempt}; max={}", retry.max_attempts()))
                .map_err(|e| {
                    Stopped::Construction(ConstructionError::configuration(format!(
                        "cannot number the attempt: {e}"
                    )))
                })?;
            headers.insert(const { HeaderName::from_static("amz-sdk-request") }, attempt_header);
            request.extensions_mut().insert(AttemptTimeout(attempt_limit));
            request
                .extensions_mut()
                .insert(ResponseSizeLimit(config.max_response_size()));
            let params = SigningParams {
                credentials: &credentials,
                region: signing_region,
                service: signing_name,
                time: config.time_source().now().into(),
                settings: SigningSettings::default(),
            };
            sign_headers(&mut request, &params).map_err(|e| {
                Stopped::Construction(ConstructionError::configuration(format!(
                    "cannot sign the request: {e}"
                )))
            })?;
            let response = transport.send(request).await;
            // An attempt cut short by what was left of the total ran out of the total, so that is the limit.
            let timeout_limit = if attempt_limit < timeouts.attempt {
                timeouts.total
            } else {
                attempt_limit
            };
            let verdict = judge(Attempted {
                response,
                attempt,
                timeout_limit,
            });
            let Some(kind) = verdict.retry else {
                if verdict.succeeded {
                    config.retry_quota().succeeded(last_retry_cost);
                }
                return Ok(());
            };
            if attempt >= retry.max_attempts() {
                return Ok(());
            }
            let wait = retry.backoff(attempt, retry::jitter());
            if started.elapsed() + wait >= timeouts.total {
                return Ok(());
            }
            // An empty quota means the service has been failing for this client: stop adding load.
            match config.retry_quota().try_acquire(kind) {
                Some(cost) => last_retry_cost = Some(cost),
                None => return Ok(()),
            }
            transport.sleep(wait).await;
        }
    }
}

/// The outcome of a transport failure, for [`Attempted::response`]'s error: a timeout names the limit it ran
/// into, anything else is a dispatch error.
pub(super) fn transport_failure<E>(error: TransportError, attempt: u32, timeout_limit: Duration) -> SdkError<E> {
    if error.kind() == TransportErrorKind::Timeout {
        SdkError::Timeout(TimeoutError::new(timeout_limit, attempt, Some(error)))
    } else {
        SdkError::Dispatch(error)
    }
}

/// A fresh copy of the unsigned request for one attempt (`http::Request` is not `Clone`: its extensions
/// need not be).
fn copy_request(request: &HttpRequest) -> HttpRequest {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}
