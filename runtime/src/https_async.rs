//! The async HTTPS transport: hyper 1 with rustls (`ring`) on Tokio (feature `async-https`, on by default).
//!
//! ```no_run
//! use awsgen_runtime::https_async::HyperTransport;
//! use std::time::Duration;
//!
//! # fn main() -> Result<(), awsgen_runtime::transport::TransportError> {
//! # let private_ca_der: Vec<u8> = Vec::new();
//! // What a `Config` gets when it is built without a transport:
//! let default = HyperTransport::new();
//! // A private CA (or a test server's self-signed certificate), trusted next to the public roots:
//! let custom = HyperTransport::builder()
//!     .connect_timeout(Duration::from_secs(1))
//!     .add_root_certificate(&private_ca_der)
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! **Runtimes.** A request polled inside a Tokio runtime runs on that runtime (its sockets and timers; the
//! runtime needs I/O and time enabled, as `#[tokio::main]` and `Runtime::new` do). Polled anywhere else
//! (under [`crate::transport::block_on`], another executor, no runtime at all) it runs on a current-thread
//! Tokio runtime that the transport starts on a background thread the first time it is needed and shares
//! between its clones; the caller's future only waits for the result. That runtime stops when the last
//! clone of the transport is dropped.
//!
//! Do not drive a request with [`crate::transport::block_on`] on a thread that is itself running a Tokio
//! runtime (inside an async task): the runtime cannot make progress while its thread is blocked.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::runtime::Handle;
use tokio::task::JoinHandle;

use crate::transport::{
    AttemptTimeout, BoxFuture, HttpRequest, HttpResponse, ResponseSizeLimit, Transport, TransportError,
    TransportErrorKind,
};

type BoxError = Box<dyn Error + Send + Sync>;
type Connector = ConnectTimeout<hyper_rustls::HttpsConnector<HttpConnector>>;
type HyperClient = Client<Connector, Full<Bytes>>;

pub use crate::transport::DEFAULT_CONNECT_TIMEOUT;

/// Sends requests with hyper over HTTP/1.1, `https://` through rustls or plain `http://` (e.g. a local
/// mock), keeping a pool of connections. Cheap to clone: clones share the pool and the background runtime.
///
/// [`Transport::send`] enforces the request's [`AttemptTimeout`] (sending and reading the whole body) and
/// [`ResponseSizeLimit`] (default [`crate::transport::DEFAULT_MAX_RESPONSE_SIZE`]), and maps failures to
/// [`TransportError`] kinds: a timeout (connect or attempt) is `Timeout`; a failure to connect (DNS, TCP,
/// TLS) or a connection lost mid-exchange is `Io`; a body over the size limit is `ResponseTooLarge`; a
/// malformed response or an invalid request is `Other`. Every HTTP status is a response.
#[derive(Clone)]
pub struct HyperTransport {
    inner: Arc<Inner>,
}

struct Inner {
    /// The client, or why it could not be made (reported by every `send`).
    client: Result<HyperClient, String>,
    connect_timeout: Duration,
    extra_roots: usize,
    /// The runtime for requests polled outside Tokio, started on first need.
    background: Mutex<Option<Background>>,
}

impl HyperTransport {
    /// A transport trusting Mozilla's root certificates (compiled in, from `webpki-roots`), with the
    /// default connect timeout ([`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn new() -> Self {
        Self::builder().build_or_broken()
    }

    /// Starts a transport with non-default settings.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    /// The background runtime's handle, starting it if this is its first use.
    fn background(&self) -> Result<Handle, TransportError> {
        let mut slot = self.inner.background.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(background) = slot.as_ref() {
            return Ok(background.handle.clone());
        }
        let background = Background::start().map_err(|e| {
            TransportError::other(format!("could not start the HTTPS transport's background runtime: {e}"))
        })?;
        let handle = background.handle.clone();
        *slot = Some(background);
        Ok(handle)
    }
}

impl Default for HyperTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let started = self
            .inner
            .background
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("extra_root_certificates", &self.inner.extra_roots)
            .field("background_runtime", &started)
            .finish_non_exhaustive()
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let this = self.clone();
        // Where to run is decided when the future is first polled, not when `send` is called.
        Box::pin(async move {
            let client = this.inner.client.clone().map_err(TransportError::other)?;
            let attempt = attempt(client, request);
            if Handle::try_current().is_ok() {
                attempt.await
            } else {
                let handle = this.background()?;
                AbortOnDrop(handle.spawn(attempt)).await.unwrap_or_else(|e| {
                    Err(TransportError::other(format!(
                        "the HTTPS transport's task did not finish: {e}"
                    )))
                })
            }
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let this = self.clone();
        Box::pin(async move {
            if Handle::try_current().is_ok() {
                tokio::time::sleep(duration).await;
                return;
            }
            match this.background() {
                Ok(handle) => {
                    // `sleep` needs the runtime when it is made, so it is made inside the task. Only a
                    // runtime shutting down cancels the task; the wait is over either way.
                    let _ = AbortOnDrop(handle.spawn(async move { tokio::time::sleep(duration).await })).await;
                }
                // No runtime could be started (out of threads): block this executor's thread instead.
                Err(_) => std::thread::sleep(duration),
            }
        })
    }
}

/// One attempt: send, read the whole body (at most the request's [`ResponseSizeLimit`]), all within the
/// request's [`AttemptTimeout`] if it has one.
async fn attempt(client: HyperClient, request: HttpRequest) -> Result<HttpResponse, TransportError> {
    let scheme = request.uri().scheme_str();
    if scheme != Some("https") && scheme != Some("http") {
        let uri = request.uri();
        return Err(TransportError::other(format!(
            "`{uri}` is not an absolute http:// or https:// URL"
        )));
    }
    let limit = request.extensions().get::<AttemptTimeout>().map(|t| t.0);
    let max_size = ResponseSizeLimit::of(&request);
    let exchange = async move {
        let response = client
            .request(request.map(|body| Full::new(Bytes::from(body))))
            .await
            .map_err(map_client_error)?;
        let (parts, body) = response.into_parts();
        let body = read_body(body, max_size).await?;
        Ok(HttpResponse::from_parts(parts, body))
    };
    match limit {
        Some(limit) => tokio::time::timeout(limit, exchange).await.unwrap_or_else(|_| {
            Err(TransportError::timeout(format!(
                "no complete response within {limit:?}"
            )))
        }),
        None => exchange.await,
    }
}

/// The most a body's `Content-Length` makes us reserve up front; longer bodies grow the buffer as they arrive.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// Reads a whole body, failing as soon as it is known to be longer than `max_size`: up front from the
/// `Content-Length` (which hyper reports as the body's exact size), else when the bytes received pass it.
/// Dropping the body on failure closes the connection, so no more of it is read.
async fn read_body(mut body: hyper::body::Incoming, max_size: ResponseSizeLimit) -> Result<Vec<u8>, TransportError> {
    use hyper::body::Body as _;
    let announced = body.size_hint().exact();
    if let Some(length) = announced.filter(|length| *length > max_size.0) {
        return Err(max_size.exceeded(Some(length)));
    }
    let reserve = announced.unwrap_or(0).min(MAX_PREALLOCATION);
    let mut bytes = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(map_body_error)?;
        // Trailers (the only other kind of frame) are not part of the body.
        if let Ok(data) = frame.into_data() {
            if (bytes.len() as u64).saturating_add(data.len() as u64) > max_size.0 {
                return Err(max_size.exceeded(None));
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

fn map_client_error(error: hyper_util::client::legacy::Error) -> TransportError {
    let kind = if has_source::<ConnectTimedOut>(&error) || is_io_timeout(&error) {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Io
    } else {
        match sources(&error).find_map(|e| e.downcast_ref::<hyper::Error>()) {
            Some(e) if e.is_parse() || e.is_user() => TransportErrorKind::Other,
            Some(_) => TransportErrorKind::Io,
            // hyper-util's own errors: an invalid URI, a request it cannot send.
            None => TransportErrorKind::Other,
        }
    };
    TransportError::new(kind, Described::new(None, error))
}

fn map_body_error(error: hyper::Error) -> TransportError {
    let kind = if error.is_parse() || error.is_user() {
        TransportErrorKind::Other
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, Described::new(Some("reading the response body"), error))
}

/// A hyper error whose message carries its causes (hyper-util's own is only `client error (Connect)`);
/// the original error stays reachable as the source.
#[derive(Debug)]
struct Described {
    message: String,
    source: BoxError,
}

impl Described {
    fn new(context: Option<&str>, error: impl Error + Send + Sync + 'static) -> Self {
        let mut message = context.map(|c| format!("{c}: ")).unwrap_or_default();
        message.push_str(&error.to_string());
        for cause in sources(&error).skip(1) {
            message.push_str(": ");
            message.push_str(&cause.to_string());
        }
        Self {
            message,
            source: Box::new(error),
        }
    }
}

impl fmt::Display for Described {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Described {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

fn sources<'a>(error: &'a (dyn Error + 'static)) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    std::iter::successors(Some(error), |e: &&'a (dyn Error + 'static)| (*e).source())
}

fn has_source<E: Error + 'static>(error: &(dyn Error + 'static)) -> bool {
    sources(error).any(|e| e.is::<E>())
}

fn is_io_timeout(error: &(dyn Error + 'static)) -> bool {
    sources(error).any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    })
}

/// Builds a [`HyperTransport`] with a connect timeout and extra trusted root certificates.
#[derive(Clone, Debug)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    extra_roots: Vec<Vec<u8>>,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            extra_roots: Vec::new(),
        }
    }
}

impl HyperTransportBuilder {
    /// How long establishing a connection (TCP connect and TLS handshake) may take; default
    /// [`DEFAULT_CONNECT_TIMEOUT`]. Passing it fails the attempt with a `Timeout` error.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Also trusts this root certificate (DER), next to the public roots: for a private CA or a test
    /// server's self-signed certificate. A certificate that does not parse fails [`build`](Self::build).
    pub fn add_root_certificate(mut self, der: &[u8]) -> Self {
        self.extra_roots.push(der.to_vec());
        self
    }

    /// Makes the transport. No runtime or connection is started yet.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let extra_roots = self.extra_roots.len();
        let client = make_client(self.connect_timeout, &self.extra_roots)?;
        Ok(HyperTransport::from_parts(
            Ok(client),
            self.connect_timeout,
            extra_roots,
        ))
    }

    /// [`build`](Self::build), or a transport whose every `send` reports why it could not be built.
    fn build_or_broken(self) -> HyperTransport {
        let connect_timeout = self.connect_timeout;
        let extra_roots = self.extra_roots.len();
        match self.build() {
            Ok(transport) => transport,
            Err(e) => HyperTransport::from_parts(Err(e.to_string()), connect_timeout, extra_roots),
        }
    }
}

impl HyperTransport {
    fn from_parts(client: Result<HyperClient, String>, connect_timeout: Duration, extra_roots: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                connect_timeout,
                extra_roots,
                background: Mutex::new(None),
            }),
        }
    }
}

fn make_client(connect_timeout: Duration, extra_roots: &[Vec<u8>]) -> Result<HyperClient, TransportError> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    crate::transport::add_extra_roots(&mut roots, extra_roots)?;
    // The provider is named explicitly, so no process-wide default is needed (or consulted).
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::other(format!("TLS configuration: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();

    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    let connector = ConnectTimeout {
        inner: https,
        timeout: connect_timeout,
    };
    Ok(Client::builder(TokioExecutor::new()).build(connector))
}

/// Bounds TCP connect and TLS handshake together (hyper's own connect timeout covers TCP only).
#[derive(Clone)]
struct ConnectTimeout<C> {
    inner: C,
    timeout: Duration,
}

/// The error of a connection that took longer than the connect timeout.
#[derive(Debug)]
struct ConnectTimedOut(Duration);

impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no connection within the connect timeout of {:?}", self.0)
    }
}

impl Error for ConnectTimedOut {}

impl<C> tower_service::Service<http::Uri> for ConnectTimeout<C>
where
    C: tower_service::Service<http::Uri>,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let limit = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(limit, connecting).await {
                Ok(connected) => connected.map_err(Into::into),
                Err(_) => Err(Box::new(ConnectTimedOut(limit)) as BoxError),
            }
        })
    }
}

/// Awaits a task on the background runtime from any executor, cancelling it if the caller gives up.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A current-thread runtime running on its own thread until the transport that owns it is dropped.
struct Background {
    handle: Handle,
    stop: Arc<Mutex<StopState>>,
}

#[derive(Default)]
struct StopState {
    stopped: bool,
    waker: Option<Waker>,
}

impl Background {
    fn start() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let handle = runtime.handle().clone();
        let stop = Arc::new(Mutex::new(StopState::default()));
        let until = UntilStopped(Arc::clone(&stop));
        std::thread::Builder::new()
            .name("awsgen-https".to_owned())
            // The runtime (and any task still on it) is dropped here, on its own thread, once stopped.
            .spawn(move || runtime.block_on(until))?;
        Ok(Self { handle, stop })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let mut state = self.stop.lock().unwrap_or_else(PoisonError::into_inner);
        state.stopped = true;
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
    }
}

/// Completes once the owning [`Background`] is dropped.
struct UntilStopped(Arc<Mutex<StopState>>);

impl Future for UntilStopped {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if state.stopped {
            Poll::Ready(())
        } else {
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
