//! The HTTPS transports against local HTTP/1.1 and HTTPS servers on 127.0.0.1 (no other network).
//!
//! Every exchange is bounded: the servers give up on idle connections, and each call runs under a watchdog
//! that fails the test instead of hanging it.
#![cfg(any(feature = "async-https", feature = "blocking-https"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use awsgen_runtime::transport::{
    block_on, AttemptTimeout, HttpRequest, HttpResponse, ResponseSizeLimit, Transport, TransportError,
    TransportErrorKind,
};

/// Longest any single test step may take before the watchdog fails the test.
const WATCHDOG: Duration = Duration::from_secs(20);
/// How long a server holds a connection it never answers (long past every client timeout).
const HANG: Duration = Duration::from_secs(10);

/// A request as the server read it.
#[derive(Clone, Debug)]
struct Received {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    connection: usize,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
enum Reply {
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Read the request, then say nothing and keep the connection open.
    Silence,
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

struct Server {
    addr: SocketAddr,
    /// The self-signed certificate (DER) of an HTTPS server.
    cert: Option<Vec<u8>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    fn http(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        start(None, Arc::new(handler))
    }

    fn https(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        let cert = key.cert.der().to_vec();
        let private = rustls::pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.clone().into()], private)
            .unwrap();
        let mut server = start(Some(Arc::new(config)), Arc::new(handler));
        server.cert = Some(cert);
        server
    }

    fn url(&self) -> String {
        let scheme = if self.cert.is_some() { "https" } else { "http" };
        format!("{scheme}://{}/", self.addr)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn start(tls: Option<Arc<rustls::ServerConfig>>, handler: Arc<Handler>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&received);
    let connections = AtomicUsize::new(0);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let id = connections.fetch_add(1, Ordering::SeqCst);
            let (tls, handler, log) = (tls.clone(), Arc::clone(&handler), Arc::clone(&log));
            thread::spawn(move || {
                // An idle keep-alive connection is closed after a while, so no thread outlives the tests long.
                stream.set_read_timeout(Some(HANG)).unwrap();
                match tls {
                    Some(config) => {
                        let connection = rustls::ServerConnection::new(config).unwrap();
                        serve(rustls::StreamOwned::new(connection, stream), id, &*handler, &log);
                    }
                    None => serve(stream, id, &*handler, &log),
                }
            });
        }
    });
    Server {
        addr,
        cert: None,
        received,
    }
}

/// Answers HTTP/1.1 requests on one connection until the client closes it (or anything fails).
fn serve<S: Read + Write>(stream: S, connection: usize, handler: &Handler, log: &Mutex<Vec<Received>>) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request = Received {
            method,
            path,
            headers,
            body,
            connection,
        };
        log.lock().unwrap().push(request.clone());
        match handler(&request) {
            Reply::Silence => {
                thread::sleep(HANG);
                return;
            }
            Reply::Respond { status, headers, body } => {
                let mut head = format!("HTTP/1.1 {status} Whatever\r\ncontent-length: {}\r\n", body.len());
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let stream = reader.get_mut();
                if stream.write_all(head.as_bytes()).is_err()
                    || stream.write_all(&body).is_err()
                    || stream.flush().is_err()
                {
                    return;
                }
            }
        }
    }
}

/// Echoes the request: status 200, a request id, and a JSON body naming the target and the body received.
fn echo(request: &Received) -> Reply {
    let body = serde_json::json!({
        "target": request.header("x-amz-target"),
        "received": String::from_utf8_lossy(&request.body),
    });
    Reply::Respond {
        status: 200,
        headers: vec![
            ("content-type", "application/x-amz-json-1.1".to_owned()),
            ("x-amzn-requestid", "req-123".to_owned()),
        ],
        body: serde_json::to_vec(&body).unwrap(),
    }
}

fn bad_request(_: &Received) -> Reply {
    Reply::Respond {
        status: 400,
        headers: vec![("x-amzn-errortype", "ValidationException".to_owned())],
        body: br#"{"__type":"ValidationException","message":"no"}"#.to_vec(),
    }
}

fn request(url: &str, body: &str, timeout: Option<Duration>) -> HttpRequest {
    let mut request = http::Request::builder()
        .method("POST")
        .uri(url)
        .header("x-amz-target", "AmazonEC2ContainerServiceV20141113.DescribeTaskSets")
        .header("content-type", "application/x-amz-json-1.1")
        .header("content-length", body.len())
        .body(body.as_bytes().to_vec())
        .unwrap();
    if let Some(timeout) = timeout {
        request.extensions_mut().insert(AttemptTimeout(timeout));
    }
    request
}

/// A port nothing listens on (bound, then released).
fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/")
}

/// Runs `f` on its own thread (so no runtime context leaks in) and fails the test if it takes too long.
fn watchdog<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(WATCHDOG).expect("the transport hung (watchdog)")
}

/// Sends with `transport::block_on`, as the blocking API does, on a thread with no runtime.
fn send_blocking(
    transport: &(impl Transport + Clone + 'static),
    request: HttpRequest,
) -> Result<HttpResponse, TransportError> {
    let transport = transport.clone();
    watchdog(move || block_on(transport.send(request)))
}

/// The checks every transport passes, driven by `transport::block_on`.
fn round_trip_and_status(transport: &(impl Transport + Clone + 'static), server: &Server) {
    let body = r#"{"cluster":"c1","taskSets":["ts-1"]}"#;
    let response = send_blocking(transport, request(&server.url(), body, Some(Duration::from_secs(10)))).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-amzn-requestid"], "req-123");
    assert_eq!(response.headers()["content-type"], "application/x-amz-json-1.1");
    let echoed: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(echoed["target"], "AmazonEC2ContainerServiceV20141113.DescribeTaskSets");
    assert_eq!(echoed["received"], body);

    let seen = server.received();
    let first = &seen[0];
    assert_eq!((first.method.as_str(), first.path.as_str()), ("POST", "/"));
    assert_eq!(first.body, body.as_bytes());
    assert_eq!(first.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(first.header("content-length"), Some(body.len().to_string().as_str()));
    assert_eq!(
        first
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .count(),
        1
    );
    assert_eq!(first.header("host"), Some(server.addr.to_string().as_str()));

    // The second request reuses the pooled connection.
    let again = send_blocking(transport, request(&server.url(), "{}", None)).unwrap();
    assert_eq!(again.status(), 200);
    let seen = server.received();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].connection, seen[0].connection, "the connection was not reused");
}

fn error_status_is_a_response(transport: &(impl Transport + Clone + 'static)) {
    let server = Server::http(bad_request);
    let response = send_blocking(transport, request(&server.url(), "{}", None)).unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["x-amzn-errortype"], "ValidationException");
    assert_eq!(response.body(), br#"{"__type":"ValidationException","message":"no"}"#);
}

fn silence_times_out(transport: &(impl Transport + Clone + 'static), server: &Server) {
    let started = Instant::now();
    let err = send_blocking(
        transport,
        request(&server.url(), "{}", Some(Duration::from_millis(300))),
    )
    .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

fn refused_is_io(transport: &(impl Transport + Clone + 'static)) {
    let err = send_blocking(transport, request(&refused_url(), "{}", Some(Duration::from_secs(5)))).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
}

fn untrusted_certificate_is_io(transport: &(impl Transport + Clone + 'static)) {
    let server = Server::https(echo);
    let err = send_blocking(transport, request(&server.url(), "{}", Some(Duration::from_secs(5)))).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert!(server.received().is_empty());
}

fn sleeps(transport: &(impl Transport + Clone + 'static)) {
    let transport = transport.clone();
    let elapsed = watchdog(move || {
        let started = Instant::now();
        block_on(transport.sleep(Duration::from_millis(200)));
        started.elapsed()
    });
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

/// A server that answers every connection with `reply` (raw bytes, whatever was asked) and closes it.
fn raw_server(reply: &'static [u8]) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = stream.read(&mut [0; 4096]);
            let _ = stream.write_all(reply);
        }
    });
    addr
}

/// A truncated body is a lost connection (`Io`); a reply that is not HTTP is `Other`.
fn broken_responses(transport: &(impl Transport + Clone + 'static)) {
    let truncated = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"taskSets\":");
    let err = send_blocking(transport, request(&format!("http://{truncated}/"), "{}", None)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    let not_http = raw_server(b"<html>proxy error</html>\r\n\r\n");
    let err = send_blocking(transport, request(&format!("http://{not_http}/"), "{}", None)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");
}

/// How a streamed test body is delimited.
#[derive(Clone, Copy, Debug)]
enum Framing {
    /// `Content-Length` (the true length).
    Length,
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Neither: the body runs to the end of the connection.
    Close,
}

/// A server that answers one request with a 200 whose body is `total` bytes of `x`, written in 64 KiB pieces,
/// and reports how many body bytes it managed to write before it finished or the client went away.
fn streaming_server(framing: Framing, total: u64) -> (String, mpsc::Receiver<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else { return };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let _ = stream.set_write_timeout(Some(HANG));
        let _ = stream.read(&mut [0; 4096]);
        let framing_header = match framing {
            Framing::Length => format!("content-length: {total}\r\n"),
            Framing::Chunked => "transfer-encoding: chunked\r\n".to_owned(),
            Framing::Close => "connection: close\r\n".to_owned(),
        };
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\n{framing_header}\r\n");
        let mut written = 0u64;
        let piece = vec![b'x'; 64 * 1024];
        let mut ok = stream.write_all(head.as_bytes()).is_ok();
        while ok && written < total {
            let n = piece.len().min((total - written) as usize);
            ok = match framing {
                Framing::Chunked => stream
                    .write_all(format!("{n:x}\r\n").as_bytes())
                    .and_then(|()| stream.write_all(&piece[..n]))
                    .and_then(|()| stream.write_all(b"\r\n"))
                    .is_ok(),
                _ => stream.write_all(&piece[..n]).is_ok(),
            };
            if ok {
                written += n as u64;
            }
        }
        if ok && matches!(framing, Framing::Chunked) {
            let _ = stream.write_all(b"0\r\n\r\n");
        }
        let _ = stream.flush();
        let _ = tx.send(written);
        // Closing ends a close-delimited body; give the client time to read before the socket goes.
        if !matches!(framing, Framing::Close) {
            thread::sleep(Duration::from_millis(200));
        }
    });
    (format!("http://{addr}/"), rx)
}

fn limited(url: &str, limit: Option<u64>) -> HttpRequest {
    let mut request = request(url, "{}", Some(Duration::from_secs(15)));
    if let Some(limit) = limit {
        request.extensions_mut().insert(ResponseSizeLimit(limit));
    }
    request
}

fn assert_too_large(result: Result<HttpResponse, TransportError>, announced: bool) {
    let err = result.expect_err("the body is over the limit");
    assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge, "{err}");
    let text = err.to_string();
    assert!(text.starts_with("response too large: "), "{text}");
    assert_eq!(text.contains("(Content-Length)"), announced, "{text}");
}

/// A body of exactly the limit is read whole, however it is framed; one byte more fails with
/// `ResponseTooLarge`, up front when the `Content-Length` announces it.
fn size_limit_is_exact(transport: &(impl Transport + Clone + 'static)) {
    for framing in [Framing::Length, Framing::Chunked, Framing::Close] {
        let (url, _) = streaming_server(framing, 100_000);
        let response =
            send_blocking(transport, limited(&url, Some(100_000))).unwrap_or_else(|e| panic!("{framing:?}: {e}"));
        assert_eq!(response.body().len(), 100_000, "{framing:?}");
        assert!(response.body().iter().all(|b| *b == b'x'));

        let (url, _) = streaming_server(framing, 100_001);
        let result = send_blocking(transport, limited(&url, Some(100_000)));
        assert_too_large(result, matches!(framing, Framing::Length));
    }
}

/// An endless body (chunked or close-delimited) is cut off at the limit: the client stops reading and drops
/// the connection, so the server's writes fail long before it has sent everything.
fn size_limit_stops_an_endless_body(transport: &(impl Transport + Clone + 'static)) {
    const ENDLESS: u64 = 16 * 1024 * 1024 * 1024;
    for framing in [Framing::Chunked, Framing::Close] {
        let (url, written) = streaming_server(framing, ENDLESS);
        assert_too_large(send_blocking(transport, limited(&url, Some(256 * 1024))), false);
        let written = written.recv_timeout(WATCHDOG).expect("the server is still writing");
        // Socket buffers take a few MB more than the client read; nowhere near the whole body.
        assert!(
            written < 512 * 1024 * 1024,
            "{framing:?}: the server wrote {written} bytes"
        );
    }
}

/// Without a [`ResponseSizeLimit`] the transport applies the default (64 MiB): an announced 16 GiB body is
/// refused before any of it is read.
fn size_limit_defaults_to_64_mib(transport: &(impl Transport + Clone + 'static)) {
    let (url, _) = streaming_server(Framing::Length, 16 * 1024 * 1024 * 1024);
    let err = send_blocking(transport, limited(&url, None)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge, "{err}");
    assert!(
        err.to_string()
            .contains("17179869184 bytes (Content-Length), more than the limit of 67108864 bytes"),
        "{err}"
    );
    // A body under the default is read whole.
    let (url, _) = streaming_server(Framing::Chunked, 3 * 1024 * 1024);
    let response = send_blocking(transport, limited(&url, None)).unwrap();
    assert_eq!(response.body().len(), 3 * 1024 * 1024);
}

/// The connect timeout bounds the TLS handshake too: this server accepts TCP and never speaks TLS. The
/// request has no attempt timeout, so only the connect timeout (300 ms) can end it.
fn connect_timeout_covers_the_tls_handshake(transport: &(impl Transport + Clone + 'static)) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let held: Vec<TcpStream> = listener.incoming().take(4).filter_map(Result::ok).collect();
        thread::sleep(HANG);
        drop(held);
    });
    let started = Instant::now();
    let err = send_blocking(transport, request(&format!("https://{addr}/"), "{}", None)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[cfg(feature = "async-https")]
mod hyper {
    use super::*;
    use awsgen_runtime::config::{Config, Timeouts};
    use awsgen_runtime::https_async::HyperTransport;

    fn trusting(server: &Server) -> HyperTransport {
        HyperTransport::builder()
            .add_root_certificate(server.cert.as_deref().unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn http_round_trip_without_a_runtime() {
        let server = Server::http(echo);
        let transport = HyperTransport::new();
        assert!(
            format!("{transport:?}").contains("background_runtime: false"),
            "{transport:?}"
        );
        round_trip_and_status(&transport, &server);
        // Outside Tokio the transport started its own runtime, once, shared by its clones.
        assert!(
            format!("{transport:?}").contains("background_runtime: true"),
            "{transport:?}"
        );
    }

    #[test]
    fn https_round_trip_without_a_runtime() {
        let server = Server::https(echo);
        round_trip_and_status(&trusting(&server), &server);
    }

    #[test]
    fn error_status_without_a_runtime() {
        error_status_is_a_response(&HyperTransport::new());
    }

    #[test]
    fn silence_times_out_without_a_runtime() {
        silence_times_out(&HyperTransport::new(), &Server::http(|_| Reply::Silence));
        let server = Server::https(|_| Reply::Silence);
        silence_times_out(&trusting(&server), &server);
    }

    #[test]
    fn refused_without_a_runtime() {
        refused_is_io(&HyperTransport::new());
    }

    #[test]
    fn untrusted_certificate_without_a_runtime() {
        untrusted_certificate_is_io(&HyperTransport::new());
    }

    #[test]
    fn sleeps_without_a_runtime() {
        sleeps(&HyperTransport::new());
    }

    #[test]
    fn connect_timeout_without_a_runtime() {
        let transport = HyperTransport::builder()
            .connect_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        connect_timeout_covers_the_tls_handshake(&transport);
    }

    #[test]
    fn broken_responses_without_a_runtime() {
        broken_responses(&HyperTransport::new());
    }

    #[test]
    fn size_limit_without_a_runtime() {
        size_limit_is_exact(&HyperTransport::new());
        size_limit_stops_an_endless_body(&HyperTransport::new());
        size_limit_defaults_to_64_mib(&HyperTransport::new());
    }

    #[test]
    fn a_bad_root_certificate_fails_the_build() {
        let err = HyperTransport::builder()
            .add_root_certificate(b"not DER")
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(err.to_string().contains("extra root certificate #1"), "{err}");
    }

    #[test]
    fn config_defaults_to_hyper_with_its_connect_timeout() {
        let timeouts = Timeouts {
            connect: Duration::from_millis(1500),
            ..Timeouts::default()
        };
        let config = Config::builder().timeouts(timeouts).build();
        let shown = format!("{:?}", config.transport().unwrap());
        assert!(
            shown.contains("HyperTransport") && shown.contains("connect_timeout: 1.5s"),
            "{shown}"
        );
    }

    /// Inside a Tokio runtime the request runs on it: no background runtime is started.
    mod in_tokio {
        use super::*;

        async fn send(transport: &HyperTransport, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            tokio::time::timeout(WATCHDOG, transport.send(request))
                .await
                .expect("the transport hung")
        }

        #[tokio::test]
        async fn round_trips_over_http_and_https() {
            for server in [Server::http(echo), Server::https(echo)] {
                let transport = match server.cert {
                    Some(_) => trusting(&server),
                    None => HyperTransport::new(),
                };
                let response = send(&transport, request(&server.url(), r#"{"a":1}"#, None))
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
                assert_eq!(response.headers()["x-amzn-requestid"], "req-123");
                let echoed: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
                assert_eq!(echoed["received"], r#"{"a":1}"#);
                assert_eq!(server.received()[0].body, br#"{"a":1}"#);
                assert!(
                    format!("{transport:?}").contains("background_runtime: false"),
                    "{transport:?}"
                );
            }
        }

        #[tokio::test]
        async fn error_status_is_a_response() {
            let server = Server::http(bad_request);
            let response = send(&HyperTransport::new(), request(&server.url(), "{}", None))
                .await
                .unwrap();
            assert_eq!(response.status(), 400);
            assert_eq!(response.body(), br#"{"__type":"ValidationException","message":"no"}"#);
        }

        #[tokio::test]
        async fn silence_times_out() {
            let server = Server::http(|_| Reply::Silence);
            let started = Instant::now();
            let err = send(
                &HyperTransport::new(),
                request(&server.url(), "{}", Some(Duration::from_millis(300))),
            )
            .await
            .unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
            assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        }

        #[tokio::test]
        async fn refused_is_io() {
            let err = send(&HyperTransport::new(), request(&refused_url(), "{}", None))
                .await
                .unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
        }

        #[tokio::test]
        async fn size_limit_on_the_callers_runtime() {
            let transport = HyperTransport::new();
            let (url, _) = streaming_server(Framing::Chunked, 100_000);
            let response = send(&transport, limited(&url, Some(100_000))).await.unwrap();
            assert_eq!(response.body().len(), 100_000);
            let (url, _) = streaming_server(Framing::Chunked, 16 * 1024 * 1024 * 1024);
            assert_too_large(send(&transport, limited(&url, Some(100_000))).await, false);
            let (url, _) = streaming_server(Framing::Length, 100_001);
            assert_too_large(send(&transport, limited(&url, Some(100_000))).await, true);
            assert!(
                format!("{transport:?}").contains("background_runtime: false"),
                "{transport:?}"
            );
        }

        #[tokio::test]
        async fn sleeps_on_the_tokio_timer() {
            let transport = HyperTransport::new();
            let started = Instant::now();
            transport.sleep(Duration::from_millis(200)).await;
            assert!(started.elapsed() >= Duration::from_millis(200));
            assert!(
                format!("{transport:?}").contains("background_runtime: false"),
                "{transport:?}"
            );
        }
    }
}

#[cfg(feature = "blocking-https")]
mod ureq {
    use super::*;
    use awsgen_runtime::https_blocking::UreqTransport;

    fn trusting(server: &Server) -> UreqTransport {
        UreqTransport::builder()
            .add_root_certificate(server.cert.as_deref().unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn http_round_trip() {
        let server = Server::http(echo);
        round_trip_and_status(&UreqTransport::new(), &server);
    }

    #[test]
    fn https_round_trip() {
        let server = Server::https(echo);
        round_trip_and_status(&trusting(&server), &server);
    }

    #[test]
    fn error_status() {
        error_status_is_a_response(&UreqTransport::new());
    }

    #[test]
    fn silence_times_out_over_http_and_https() {
        silence_times_out(&UreqTransport::new(), &Server::http(|_| Reply::Silence));
        let server = Server::https(|_| Reply::Silence);
        silence_times_out(&trusting(&server), &server);
    }

    #[test]
    fn refused() {
        refused_is_io(&UreqTransport::new());
    }

    #[test]
    fn untrusted_certificate() {
        untrusted_certificate_is_io(&UreqTransport::new());
    }

    #[test]
    fn sleep() {
        sleeps(&UreqTransport::new());
    }

    #[test]
    fn connect_timeout() {
        let transport = UreqTransport::builder()
            .connect_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        connect_timeout_covers_the_tls_handshake(&transport);
    }

    #[test]
    fn broken() {
        broken_responses(&UreqTransport::new());
    }

    #[test]
    fn size_limit() {
        size_limit_is_exact(&UreqTransport::new());
        size_limit_stops_an_endless_body(&UreqTransport::new());
        size_limit_defaults_to_64_mib(&UreqTransport::new());
    }

    #[test]
    fn a_bad_root_certificate_fails_the_build() {
        let err = UreqTransport::builder()
            .add_root_certificate(b"not DER")
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(err.to_string().contains("extra root certificate #1"), "{err}");
    }

    #[cfg(not(feature = "async-https"))]
    #[test]
    fn config_defaults_to_ureq_with_its_connect_timeout() {
        use awsgen_runtime::config::{Config, Timeouts};
        let timeouts = Timeouts {
            connect: Duration::from_millis(1500),
            ..Timeouts::default()
        };
        let config = Config::builder().timeouts(timeouts).build();
        let shown = format!("{:?}", config.transport().unwrap());
        assert!(
            shown.contains("UreqTransport") && shown.contains("connect_timeout: 1.5s"),
            "{shown}"
        );
    }
}
