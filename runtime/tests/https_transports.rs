//! The HTTPS transports against local HTTP/1.1 and HTTPS servers on 127.0.0.1 (no other network).
//!
//! Every exchange is bounded: the servers give up on idle connections, and each call runs under a watchdog
//! that fails the test instead of hanging it.
#![cfg(any(feature = "async-https", feature = "blocking-https"))]

use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use awsgen_runtime::transport::{
    block_on, AttemptTimeout, HttpRequest, HttpResponse, ResponseSizeLimit, Transport, TransportError,
    TransportErrorKind,
};
use awsgen_test_support::server::HANG;
use awsgen_test_support::{Framing, Received, Reply, Server};

/// Longest any single test step may take before the watchdog fails the test.
const WATCHDOG: Duration = Duration::from_secs(20);

/// The server's URL with the path `/`.
fn url(server: &Server) -> String {
    format!("{}/", server.url())
}

/// Echoes the request: status 200, a request id, and a JSON body naming the target and the body received.
fn echo(request: &Received) -> Reply {
    let body = serde_json::json!({
        "target": request.header("x-amz-target"),
        "received": String::from_utf8_lossy(&request.body),
    });
    Reply::json(200, "req-123", serde_json::to_vec(&body).unwrap())
}

fn bad_request(_: &Received) -> Reply {
    Reply::with_headers(
        400,
        &[("x-amzn-errortype", "ValidationException")],
        br#"{"__type":"ValidationException","message":"no"}"#.to_vec(),
    )
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
    format!("{}/", awsgen_test_support::refused_url())
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
    let response = send_blocking(transport, request(&url(server), body, Some(Duration::from_secs(10)))).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-amzn-requestid"], "req-123");
    assert_eq!(response.headers()["content-type"], "application/x-amz-json-1.1");
    let echoed: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(echoed["target"], "AmazonEC2ContainerServiceV20141113.DescribeTaskSets");
    assert_eq!(echoed["received"], body);

    let seen = server.requests();
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
    assert_eq!(first.header("host"), Some(server.addr().to_string().as_str()));

    // The second request reuses the pooled connection.
    let again = send_blocking(transport, request(&url(server), "{}", None)).unwrap();
    assert_eq!(again.status(), 200);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].connection, seen[0].connection, "the connection was not reused");
}

fn error_status_is_a_response(transport: &(impl Transport + Clone + 'static)) {
    let server = Server::http(bad_request);
    let response = send_blocking(transport, request(&url(&server), "{}", None)).unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["x-amzn-errortype"], "ValidationException");
    assert_eq!(response.body(), br#"{"__type":"ValidationException","message":"no"}"#);
}

fn silence_times_out(transport: &(impl Transport + Clone + 'static), server: &Server) {
    let started = Instant::now();
    let err = send_blocking(transport, request(&url(server), "{}", Some(Duration::from_millis(300)))).unwrap_err();
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
    let err = send_blocking(transport, request(&url(&server), "{}", Some(Duration::from_secs(5)))).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert!(server.requests().is_empty());
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

/// A server that answers every request with `reply` (raw bytes) and closes the connection.
fn raw_server(reply: &'static [u8]) -> Server {
    Server::http(move |_| Reply::Raw(reply.to_vec()))
}

/// A truncated body is a lost connection (`Io`); a reply that is not HTTP is `Other`.
fn broken_responses(transport: &(impl Transport + Clone + 'static)) {
    let truncated = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"taskSets\":");
    let err = send_blocking(transport, request(&url(&truncated), "{}", None)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    let not_http = raw_server(b"<html>proxy error</html>\r\n\r\n");
    let err = send_blocking(transport, request(&url(&not_http), "{}", None)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");
}

/// A server that answers with a 200 whose body is `total` bytes of `x`, written in 64 KiB pieces, and counts
/// the body bytes it managed to write before it finished or the client went away.
fn streaming_server(framing: Framing, total: u64) -> Server {
    Server::http(move |_| Reply::Stream {
        prefix: Vec::new(),
        total,
        framing,
    })
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
        let server = streaming_server(framing, 100_000);
        let response = send_blocking(transport, limited(&url(&server), Some(100_000)))
            .unwrap_or_else(|e| panic!("{framing:?}: {e}"));
        assert_eq!(response.body().len(), 100_000, "{framing:?}");
        assert!(response.body().iter().all(|b| *b == b'x'));

        let server = streaming_server(framing, 100_001);
        let result = send_blocking(transport, limited(&url(&server), Some(100_000)));
        assert_too_large(result, matches!(framing, Framing::Length));
    }
}

/// An endless body (chunked or close-delimited) is cut off at the limit: the client stops reading and drops
/// the connection, so the server's writes fail long before it has sent everything.
fn size_limit_stops_an_endless_body(transport: &(impl Transport + Clone + 'static)) {
    const ENDLESS: u64 = 16 * 1024 * 1024 * 1024;
    for framing in [Framing::Chunked, Framing::Close] {
        let server = streaming_server(framing, ENDLESS);
        assert_too_large(
            send_blocking(transport, limited(&url(&server), Some(256 * 1024))),
            false,
        );
        let written = server.streamed_after(1, WATCHDOG).expect("the server is still writing");
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
    let server = streaming_server(Framing::Length, 16 * 1024 * 1024 * 1024);
    let err = send_blocking(transport, limited(&url(&server), None)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge, "{err}");
    assert!(
        err.to_string()
            .contains("17179869184 bytes (Content-Length), more than the limit of 67108864 bytes"),
        "{err}"
    );
    // A body under the default is read whole.
    let server = streaming_server(Framing::Chunked, 3 * 1024 * 1024);
    let response = send_blocking(transport, limited(&url(&server), None)).unwrap();
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
            .add_root_certificate(server.cert().unwrap())
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
                let transport = match server.cert() {
                    Some(_) => trusting(&server),
                    None => HyperTransport::new(),
                };
                let response = send(&transport, request(&url(&server), r#"{"a":1}"#, None))
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
                assert_eq!(response.headers()["x-amzn-requestid"], "req-123");
                let echoed: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
                assert_eq!(echoed["received"], r#"{"a":1}"#);
                assert_eq!(server.requests()[0].body, br#"{"a":1}"#);
                assert!(
                    format!("{transport:?}").contains("background_runtime: false"),
                    "{transport:?}"
                );
            }
        }

        #[tokio::test]
        async fn error_status_is_a_response() {
            let server = Server::http(bad_request);
            let response = send(&HyperTransport::new(), request(&url(&server), "{}", None))
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
                request(&url(&server), "{}", Some(Duration::from_millis(300))),
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
            let server = streaming_server(Framing::Chunked, 100_000);
            let response = send(&transport, limited(&url(&server), Some(100_000))).await.unwrap();
            assert_eq!(response.body().len(), 100_000);
            let server = streaming_server(Framing::Chunked, 16 * 1024 * 1024 * 1024);
            assert_too_large(send(&transport, limited(&url(&server), Some(100_000))).await, false);
            let server = streaming_server(Framing::Length, 100_001);
            assert_too_large(send(&transport, limited(&url(&server), Some(100_000))).await, true);
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
            .add_root_certificate(server.cert().unwrap())
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
