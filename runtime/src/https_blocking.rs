//! The blocking HTTPS transport: ureq 3 with rustls (`ring`) (feature `blocking-https`).
//!
//! For programs with no async runtime: the future [`Transport::send`] returns does its I/O on the thread
//! that polls it, so it is meant to be driven by [`crate::transport::block_on`] (which is what the blocking
//! API does). Under an async executor it would block that executor's thread for the whole exchange.
//!
//! ```no_run
//! use awsgen_runtime::https_blocking::UreqTransport;
//! use std::time::Duration;
//!
//! # fn main() -> Result<(), awsgen_runtime::transport::TransportError> {
//! # let private_ca_der: Vec<u8> = Vec::new();
//! let default = UreqTransport::new();
//! let custom = UreqTransport::builder()
//!     .connect_timeout(Duration::from_secs(1))
//!     .add_root_certificate(&private_ca_der)
//!     .build()?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::Agent;

use crate::transport::{
    AttemptTimeout, BoxFuture, HttpRequest, HttpResponse, ResponseSizeLimit, Transport, TransportError,
};

pub use crate::transport::DEFAULT_CONNECT_TIMEOUT;

/// Sends requests with a ureq agent over HTTP/1.1, `https://` through rustls or plain `http://` (e.g. a
/// local mock), keeping a pool of connections. Cheap to clone: clones share the pool.
///
/// [`Transport::send`] enforces the request's [`AttemptTimeout`] (sending and reading the whole body) and
/// [`ResponseSizeLimit`] (default [`crate::transport::DEFAULT_MAX_RESPONSE_SIZE`]), and maps failures to
/// [`TransportError`] kinds: a timeout is `Timeout`; a failure to connect (DNS, TCP, TLS) or a connection
/// lost mid-exchange is `Io`; a body over the size limit is `ResponseTooLarge`; a malformed response or an
/// invalid request is `Other`.
/// Every HTTP status is a response (ureq's "status as error" is off). Proxy environment variables are not
/// read, as with `HyperTransport` and the AWS SDKs.
#[derive(Clone)]
pub struct UreqTransport {
    agent: Agent,
    connect_timeout: Duration,
    extra_roots: usize,
}

impl UreqTransport {
    /// A transport trusting Mozilla's root certificates (compiled in, from `webpki-roots`), with the
    /// default connect timeout ([`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn new() -> Self {
        let builder = Self::builder();
        let connect_timeout = builder.connect_timeout;
        Self {
            agent: make_agent(connect_timeout, RootCerts::WebPki),
            connect_timeout,
            extra_roots: 0,
        }
    }

    /// Starts a transport with non-default settings.
    pub fn builder() -> UreqTransportBuilder {
        UreqTransportBuilder::default()
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport")
            .field("connect_timeout", &self.connect_timeout)
            .field("extra_root_certificates", &self.extra_roots)
            .finish_non_exhaustive()
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let agent = self.agent.clone();
        // The blocking exchange runs when the future is first polled.
        Box::pin(async move { exchange(&agent, request) })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(async move { std::thread::sleep(duration) })
    }
}

/// The most a body's `Content-Length` makes us reserve up front.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

fn exchange(agent: &Agent, request: HttpRequest) -> Result<HttpResponse, TransportError> {
    let limit = request.extensions().get::<AttemptTimeout>().map(|t| t.0);
    let max_size = ResponseSizeLimit::of(&request);
    // The global timeout runs from the start of the request to the end of reading the body.
    let request = agent.configure_request(request).timeout_global(limit).build();
    let map = |error| map_error(error, limit, max_size);
    let response = agent.run(request).map_err(map)?;
    let (parts, mut body) = response.into_parts();
    // ureq reports the length the body will have (the `Content-Length`, none for a chunked body or one that
    // runs to the end of the connection), so an announced oversized body is refused before it is read.
    let announced = body.content_length();
    if let Some(length) = announced.filter(|length| *length > max_size.0) {
        return Err(max_size.exceeded(Some(length)));
    }
    // ureq stops at the limit (reading one byte more to tell "exactly the limit" from "longer"). Only a
    // bounded part of the announced length is reserved up front: the rest grows as the bytes arrive.
    let reserve = announced.unwrap_or(0).min(MAX_PREALLOCATION);
    let mut bytes = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    let mut reader = body.with_config().limit(max_size.0).reader();
    std::io::Read::read_to_end(&mut reader, &mut bytes).map_err(|e| map(ureq::Error::from(e)))?;
    Ok(HttpResponse::from_parts(parts, bytes))
}

fn map_error(error: ureq::Error, limit: Option<Duration>, max_size: ResponseSizeLimit) -> TransportError {
    match error {
        ureq::Error::BodyExceedsLimit(_) => max_size.exceeded(None),
        ureq::Error::Timeout(ureq::Timeout::Global) => match limit {
            Some(limit) => TransportError::timeout(format!("no complete response within {limit:?}")),
            None => TransportError::timeout(error),
        },
        ureq::Error::Timeout(_) => TransportError::timeout(error),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => TransportError::timeout(e),
        ureq::Error::Io(_)
        | ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Tls(_)
        | ureq::Error::Rustls(_) => TransportError::io(error),
        _ => TransportError::other(error),
    }
}

/// Builds a [`UreqTransport`] with a connect timeout and extra trusted root certificates.
#[derive(Clone, Debug)]
pub struct UreqTransportBuilder {
    connect_timeout: Duration,
    extra_roots: Vec<Vec<u8>>,
}

impl Default for UreqTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            extra_roots: Vec::new(),
        }
    }
}

impl UreqTransportBuilder {
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

    /// Makes the transport. No connection is opened yet.
    pub fn build(self) -> Result<UreqTransport, TransportError> {
        let extra_roots = self.extra_roots.len();
        let roots = if self.extra_roots.is_empty() {
            RootCerts::WebPki
        } else {
            // ureq takes either its built-in anchors or a list of certificates, so the public roots come
            // as whole certificates (the same Mozilla list) and the extra ones are appended.
            // Parsed once here, so that a bad certificate fails `build` as with `HyperTransport`.
            crate::transport::add_extra_roots(&mut rustls::RootCertStore::empty(), &self.extra_roots)?;
            let public = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .map(|der| Certificate::from_der(der.as_ref()).to_owned());
            let extra = self
                .extra_roots
                .into_iter()
                .map(|der| Certificate::from_der(&der).to_owned());
            RootCerts::Specific(Arc::new(public.chain(extra).collect()))
        };
        Ok(UreqTransport {
            agent: make_agent(self.connect_timeout, roots),
            connect_timeout: self.connect_timeout,
            extra_roots,
        })
    }
}

fn make_agent(connect_timeout: Duration, roots: RootCerts) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(connect_timeout))
        .proxy(None)
        .max_redirects(0)
        .tls_config(TlsConfig::builder().root_certs(roots).build())
        .build()
        .new_agent()
}
