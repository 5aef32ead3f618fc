//! The seam between the sans-IO protocol code and whatever actually moves bytes.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// A request ready to send: the body is the complete JSON document.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A complete response: the body is fully read.
pub type HttpResponse = http::Response<Vec<u8>>;
/// A boxed, sendable future, so `Transport` stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the whole response.
///
/// Implementations own retries at the connection level only; any HTTP status is a successful send. The
/// protocol layer decides retries and puts an [`AttemptTimeout`] in the request's extensions: a transport
/// must give up with [`TransportErrorKind::Timeout`] once it has passed. A transport must also read no more
/// of the body than the request's [`ResponseSizeLimit`] (or its default) allows, failing with
/// [`TransportErrorKind::ResponseTooLarge`].
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request`. The future must not borrow the transport, so it can outlive the call.
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>>;

    /// Waits `duration` between retry attempts, on the transport's own clock: an async transport uses its
    /// runtime's timer; the default parks a helper thread, which works under any executor (or none).
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        sleep_on_thread(duration)
    }
}

/// [`Transport::sleep`]'s default: parks a helper thread for `duration`, which works under any executor (or none).
fn sleep_on_thread(duration: Duration) -> BoxFuture<'static, ()> {
    if duration.is_zero() {
        return Box::pin(std::future::ready(()));
    }
    let sleep = OnThread::new("awsgen-sleep", move || std::thread::sleep(duration));
    // Without a thread to wait on, the wait is skipped rather than the call failed.
    Box::pin(async move {
        let _ = sleep.await;
    })
}

/// How long one attempt may take, set by the protocol layer on each request it sends (read it with
/// `request.extensions().get::<AttemptTimeout>()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptTimeout(pub Duration);

/// How long the HTTPS transports wait to connect (TCP and TLS) when not told otherwise: 3.1 s, the AWS SDKs'
/// default (and [`crate::config::Timeouts`]'s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// Adds root certificates (DER) to a TLS trust store; the first that does not parse is an error naming it
/// (`extra root certificate #2`), for the transports' `add_root_certificate`.
#[cfg(any(feature = "async-https", feature = "blocking-https"))]
pub(crate) fn add_extra_roots(roots: &mut rustls::RootCertStore, extra: &[Vec<u8>]) -> Result<(), TransportError> {
    for (i, der) in extra.iter().enumerate() {
        roots
            .add(rustls::pki_types::CertificateDer::from(der.as_slice()))
            .map_err(|e| TransportError::other(format!("extra root certificate #{} is not usable: {e}", i + 1)))?;
    }
    Ok(())
}

/// The certificates of a PEM text (a CA bundle such as `AWS_CA_BUNDLE` names), as DER: every
/// `-----BEGIN CERTIFICATE-----` block, base64-decoded; other blocks (keys, CRLs) and text around them are
/// skipped, as OpenSSL skips them. An error says which block is broken, or that there is no certificate.
/// Whether each certificate is usable is checked when a transport trusts it.
pub fn pem_certificates(pem: &str) -> Result<Vec<Vec<u8>>, String> {
    use base64::Engine as _;
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut certificates = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find(BEGIN) {
        let after = rest.get(start + BEGIN.len()..).unwrap_or_default();
        let number = certificates.len() + 1;
        let end = after
            .find(END)
            .ok_or_else(|| format!("certificate #{number} has no `{END}` line"))?;
        let body: String = after
            .get(..end)
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| format!("certificate #{number} is not valid base64: {e}"))?;
        certificates.push(der);
        rest = after.get(end + END.len()..).unwrap_or_default();
    }
    if certificates.is_empty() {
        return Err(format!("it holds no `{BEGIN}` block"));
    }
    Ok(certificates)
}

/// A transport that could not be made (an extra root certificate it was given is not usable): every send
/// fails with the reason, so the call reports it instead of "no transport".
#[cfg(any(feature = "async-https", feature = "blocking-https"))]
#[derive(Debug)]
pub(crate) struct UnusableTransport(pub(crate) String);

#[cfg(any(feature = "async-https", feature = "blocking-https"))]
impl Transport for UnusableTransport {
    fn send(&self, _: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let reason = format!("the HTTPS transport could not be made: {}", self.0);
        Box::pin(std::future::ready(Err(TransportError::other(reason))))
    }
}

/// The largest response body a transport accepts when the request does not say: 64 MiB (see
/// [`ResponseSizeLimit`] and [`crate::config::ConfigBuilder::max_response_size`]).
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// The largest response body, in bytes, a transport may read for this request (read it with
/// `request.extensions().get::<ResponseSizeLimit>()`; without one, [`ResponseSizeLimit::default`] applies,
/// [`DEFAULT_MAX_RESPONSE_SIZE`]).
///
/// A transport must not buffer more than this: it fails with [`TransportErrorKind::ResponseTooLarge`] as soon as
/// the `Content-Length` announces a longer body, or, without one, once it has received one byte more than the
/// limit. A body of exactly the limit is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResponseSizeLimit(pub u64);

impl Default for ResponseSizeLimit {
    /// [`DEFAULT_MAX_RESPONSE_SIZE`].
    fn default() -> Self {
        Self(DEFAULT_MAX_RESPONSE_SIZE)
    }
}

impl ResponseSizeLimit {
    /// The request's limit, or the default when it carries none.
    pub fn of(request: &HttpRequest) -> Self {
        request.extensions().get::<Self>().copied().unwrap_or_default()
    }

    /// The error of a response whose body is longer than this limit: `announced` is its `Content-Length`
    /// when that is what gave it away, `None` when the body was counted while it was read.
    pub fn exceeded(self, announced: Option<u64>) -> TransportError {
        let limit = self.0;
        let message = match announced {
            Some(length) => format!(
                "the response announces a body of {length} bytes (Content-Length), more than the limit of {limit} \
                 bytes (`max_response_size` of the client's `Config`)"
            ),
            None => format!(
                "the response body is longer than the limit of {limit} bytes (`max_response_size` of the client's \
                 `Config`)"
            ),
        };
        TransportError::new(TransportErrorKind::ResponseTooLarge, message)
    }
}

/// Blocking work (a sleep, a `credential_process` command) run on a thread of its own, as a future that
/// completes through the task's waker: no async runtime is needed and none is blocked. Its output is the
/// work's result, or the error of starting the thread. Dropping the future does not stop the work.
pub(crate) struct OnThread<T> {
    /// The thread's name and the work, until the first poll starts it.
    job: Option<(&'static str, Job<T>)>,
    state: Arc<Mutex<ThreadState<T>>>,
}

type Job<T> = Box<dyn FnOnce() -> T + Send>;

struct ThreadState<T> {
    output: Option<T>,
    waker: Option<Waker>,
}

impl<T: Send + 'static> OnThread<T> {
    /// `job`, to run on a thread called `name` when the future is first polled.
    pub(crate) fn new(name: &'static str, job: impl FnOnce() -> T + Send + 'static) -> Self {
        Self {
            job: Some((name, Box::new(job))),
            state: Arc::new(Mutex::new(ThreadState {
                output: None,
                waker: None,
            })),
        }
    }
}

impl<T: Send + 'static> Future for OnThread<T> {
    type Output = std::io::Result<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some((name, job)) = self.job.take() {
            let shared = Arc::clone(&self.state);
            let spawned = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
                let output = job();
                let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
                state.output = Some(output);
                if let Some(waker) = state.waker.take() {
                    waker.wake();
                }
            });
            if let Err(e) = spawned {
                return Poll::Ready(Err(e));
            }
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match state.output.take() {
            Some(output) => Poll::Ready(Ok(output)),
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Runs a future to completion on the current thread: the blocking API (`send_blocking`) is the async one
/// driven here, so both share every line of protocol, signing and retry code.
pub fn block_on<F: Future>(future: F) -> F::Output {
    struct ThreadWaker(std::thread::Thread);

    impl Wake for ThreadWaker {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// What went wrong while sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No response within the allowed time.
    Timeout,
    /// The connection failed (DNS, TCP, TLS, reset).
    Io,
    /// The response body is longer than the request's [`ResponseSizeLimit`]; reading stopped there. Not
    /// retried: the same request would most likely get the same response.
    ResponseTooLarge,
    /// Anything else.
    Other,
}

/// A request could not be sent or its response could not be received.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn Error + Send + Sync>,
}

impl TransportError {
    /// An error of `kind` caused by `source` (any error, or a message string).
    pub fn new(kind: TransportErrorKind, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// A [`TransportErrorKind::Timeout`] error.
    pub fn timeout(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Timeout, source)
    }

    /// A [`TransportErrorKind::Io`] error.
    pub fn io(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Io, source)
    }

    /// A [`TransportErrorKind::Other`] error.
    pub fn other(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Other, source)
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "I/O error",
            TransportErrorKind::ResponseTooLarge => "response too large",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.source)
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

type Responder = dyn Fn(&HttpRequest) -> HttpResponse + Send + Sync;

/// An in-memory transport for tests: answers every request from a closure or with a fixed
/// response, and records the requests. Clones share the record, so keep one to inspect it.
/// [`with_clock`](Self::with_clock) makes its waits (retry backoff, waiters' delays) move a
/// [`ManualClock`](crate::credentials::ManualClock) instead of taking time.
#[derive(Clone)]
pub struct StubTransport {
    respond: Arc<Responder>,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    clock: Option<crate::credentials::ManualClock>,
}

impl StubTransport {
    /// Answers each request with `respond(&request)`.
    pub fn new(respond: impl Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static) -> Self {
        Self {
            respond: Arc::new(respond),
            requests: Arc::default(),
            clock: None,
        }
    }

    /// Waits by moving `clock` forward instead of sleeping, so that hours of backoff pass at once; give the
    /// same clock to `Config::builder().time_source(..)` so the client sees the time pass.
    pub fn with_clock(mut self, clock: crate::credentials::ManualClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Answers every request with a copy of `response`.
    pub fn with_response(response: HttpResponse) -> Self {
        Self::new(move |_| response.clone())
    }

    /// A fixed response with this status and body, and a JSON content type.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        let mut response = HttpResponse::new(body.into());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        Self::with_response(response)
    }

    /// Every request sent so far, oldest first.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.log().clone()
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Vec<HttpRequest>> {
        // Only pushes happen under the lock, so a poisoned log is still consistent.
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for StubTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StubTransport")
            .field("requests", &self.log().len())
            .finish_non_exhaustive()
    }
}

impl Transport for StubTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let response = (self.respond)(&request);
        self.log().push(request);
        Box::pin(std::future::ready(Ok(response)))
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        match &self.clock {
            Some(clock) => {
                clock.advance(duration);
                Box::pin(std::future::ready(()))
            }
            None => sleep_on_thread(duration),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stub_answers_and_records() {
        let stub = StubTransport::new(|req| HttpResponse::new(format!("echo {}", req.body().len()).into_bytes()));
        let handle = stub.clone();
        let response = pollster::block_on(stub.send(HttpRequest::new(b"{}".to_vec()))).unwrap();
        assert_eq!(response.body(), b"echo 2");
        let _ = pollster::block_on(stub.send(HttpRequest::new(b"{\"a\":1}".to_vec())));
        let seen = handle.requests();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1].body(), b"{\"a\":1}");
        assert_eq!(format!("{handle:?}"), "StubTransport { requests: 2, .. }");
    }

    #[test]
    fn static_json_response_repeats() {
        let stub = StubTransport::json(404, r#"{"x":1}"#);
        for _ in 0..2 {
            let r = pollster::block_on(stub.send(HttpRequest::new(Vec::new()))).unwrap();
            assert_eq!(r.status(), 404);
            assert_eq!(r.headers()["content-type"], "application/x-amz-json-1.1");
            assert_eq!(r.body(), br#"{"x":1}"#);
        }
        // An impossible status code degrades instead of panicking.
        let r = pollster::block_on(StubTransport::json(1, "").send(HttpRequest::new(Vec::new())));
        assert_eq!(r.unwrap().status(), 500);
    }

    #[test]
    fn transport_error_keeps_kind_and_source() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let e = TransportError::io(io);
        assert_eq!(e.kind(), TransportErrorKind::Io);
        assert_eq!(e.to_string(), "I/O error: refused");
        let source = e.source().unwrap().downcast_ref::<std::io::Error>().unwrap();
        assert_eq!(source.kind(), std::io::ErrorKind::ConnectionRefused);
        assert_eq!(TransportError::timeout("5s").to_string(), "timed out: 5s");
        assert_eq!(TransportError::other("x").kind(), TransportErrorKind::Other);
    }

    #[test]
    fn pem_certificates_are_every_certificate_block_decoded() {
        let pem = "junk before\n-----BEGIN CERTIFICATE-----\nAAEC\nAw==\n-----END CERTIFICATE-----\n\
                   -----BEGIN PRIVATE KEY-----\nBAU=\n-----END PRIVATE KEY-----\n\
                   -----BEGIN CERTIFICATE-----\r\nBgc=\r\n-----END CERTIFICATE-----\r\n";
        assert_eq!(pem_certificates(pem).unwrap(), vec![vec![0, 1, 2, 3], vec![6, 7]]);
        assert_eq!(
            pem_certificates("").unwrap_err(),
            "it holds no `-----BEGIN CERTIFICATE-----` block"
        );
        let cut = "-----BEGIN CERTIFICATE-----\nAAEC\n";
        assert!(pem_certificates(cut)
            .unwrap_err()
            .contains("certificate #1 has no `-----END"));
        let bad = "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n";
        assert!(pem_certificates(bad)
            .unwrap_err()
            .contains("certificate #1 is not valid base64"));
    }

    #[test]
    fn response_size_limit_from_the_request_or_the_default() {
        let mut request = HttpRequest::new(Vec::new());
        assert_eq!(ResponseSizeLimit::of(&request), ResponseSizeLimit(64 * 1024 * 1024));
        request.extensions_mut().insert(ResponseSizeLimit(10));
        assert_eq!(ResponseSizeLimit::of(&request), ResponseSizeLimit(10));
        let announced = ResponseSizeLimit(10).exceeded(Some(11));
        assert_eq!(announced.kind(), TransportErrorKind::ResponseTooLarge);
        assert_eq!(
            announced.to_string(),
            "response too large: the response announces a body of 11 bytes (Content-Length), more than the \
             limit of 10 bytes (`max_response_size` of the client's `Config`)"
        );
        assert_eq!(
            ResponseSizeLimit(10).exceeded(None).to_string(),
            "response too large: the response body is longer than the limit of 10 bytes (`max_response_size` \
             of the client's `Config`)"
        );
    }
}
