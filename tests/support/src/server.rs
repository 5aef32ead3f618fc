//! A scripted HTTP/1.1 server on 127.0.0.1, plain ([`Server::http`]) or TLS with a self-signed certificate
//! ([`Server::https`]). Each request is read whole (head and `Content-Length` body), recorded, and answered
//! with the [`Reply`] its handler returns: a response, or a fault. [`Server::scripted`] answers request `n`
//! with the `n`th reply of a list.
//!
//! Plain `std::net`, a thread per connection, keep-alive between complete responses. Every socket has read and
//! write timeouts and every wait is bounded, so no server thread outlives the tests by long. Dropping the
//! server stops it accepting connections.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a connection may sit idle, a write may block, or a [`Reply::Silence`] lasts: long past every
/// client timeout the tests set.
pub const HANG: Duration = Duration::from_secs(10);

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Which connection (0, 1, ...) carried it.
    pub connection: usize,
    /// Its place (0, 1, ...) among all the requests the server received.
    pub index: usize,
}

impl Received {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How a [`Reply::Stream`] body is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length` (the whole `total`).
    Length,
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Neither (`Connection: close`): the body runs to the end of the connection.
    Close,
}

/// What the server does with one request (after reading it whole).
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response with a correct `Content-Length`; the connection stays open for the next request.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close the connection without answering (an orderly FIN).
    Close,
    /// Reset the connection without answering (SO_LINGER 0, so the close sends a TCP RST).
    Reset,
    /// Say nothing and keep the connection open for [`HANG`], then close it.
    Silence,
    /// Wait this long, then behave as the inner reply (the client has usually given up by then).
    Delay(Duration, Box<Reply>),
    /// A 200 whose head announces `declared` bytes, then `sent` (fewer), then nothing for `stall`, then close.
    Stall {
        declared: usize,
        sent: Vec<u8>,
        stall: Duration,
    },
    /// A 200 whose head announces `declared` bytes, then `sent` (fewer), then close at once.
    ShortBody { declared: usize, sent: Vec<u8> },
    /// These bytes as they are (whatever they say), then close.
    Raw(Vec<u8>),
    /// A 200 with `prefix` then `x` filler up to `total` bytes, written in 64 KiB pieces until done or the
    /// client goes away, then close. The bytes written are counted ([`Server::streamed_after`]).
    Stream {
        prefix: Vec<u8>,
        total: u64,
        framing: Framing,
    },
}

impl Reply {
    /// A response with a JSON content type (awsJson 1.1) and an `x-amzn-requestid`.
    pub fn json(status: u16, request_id: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::with_headers(
            status,
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amzn-requestid", request_id),
            ],
            body,
        )
    }

    /// A response with these headers (and no others but `Content-Length`).
    pub fn with_headers(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Self {
        Self::Respond {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.into(),
        }
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

struct Shared {
    handler: Box<Handler>,
    requests: Mutex<Vec<Received>>,
    /// Body bytes written by `Stream` replies, summed.
    streamed: AtomicU64,
    /// `Stream` replies that have finished writing (or given up).
    streams_done: AtomicUsize,
    stop: AtomicBool,
}

/// The server; dropping it stops accepting connections.
pub struct Server {
    addr: SocketAddr,
    /// The self-signed certificate (DER) of an HTTPS server.
    cert: Option<Vec<u8>>,
    shared: Arc<Shared>,
}

impl Server {
    /// A plain HTTP server answering every request with `handler(request)`.
    pub fn http(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        start(None, Box::new(handler))
    }

    /// An HTTPS server answering every request with `handler(request)`, with a fresh self-signed certificate
    /// for `127.0.0.1` and `localhost` (see [`Server::cert`]).
    pub fn https(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("a self-signed certificate");
        let cert = key.cert.der().to_vec();
        let private = rustls::pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert.clone().into()], private)
            .expect("a server certificate");
        let mut server = start(Some(Arc::new(config)), Box::new(handler));
        server.cert = Some(cert);
        server
    }

    /// A plain HTTP server that answers request `n` (0-based, across connections) with `script[n]`, or with the
    /// last reply once the script has run out.
    pub fn scripted(script: Vec<Reply>) -> Self {
        assert!(!script.is_empty(), "a script needs at least one reply");
        Self::http(move |request| script[request.index.min(script.len() - 1)].clone())
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (or `https://`), with no path.
    pub fn url(&self) -> String {
        let scheme = if self.cert.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The DER certificate of an HTTPS server, for the client to trust.
    pub fn cert(&self) -> Option<&[u8]> {
        self.cert.as_deref()
    }

    /// Every request that arrived, in order.
    pub fn requests(&self) -> Vec<Received> {
        lock(&self.shared.requests).clone()
    }

    /// Body bytes the `Stream` replies wrote before they finished or the client went away, once `streams` of
    /// them have stopped; `None` if they are still writing after `patience`.
    pub fn streamed_after(&self, streams: usize, patience: Duration) -> Option<u64> {
        let deadline = Instant::now() + patience;
        while self.shared.streams_done.load(Ordering::SeqCst) < streams {
            if Instant::now() > deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
        Some(self.shared.streamed.load(Ordering::SeqCst))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// A loopback URL nothing listens on (a port bound, then released), `http://127.0.0.1:PORT`.
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("a local address");
    drop(listener);
    format!("http://{addr}")
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn start(tls: Option<Arc<rustls::ServerConfig>>, handler: Box<Handler>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("a local address");
    let shared = Arc::new(Shared {
        handler,
        requests: Mutex::new(Vec::new()),
        streamed: AtomicU64::new(0),
        streams_done: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let state = Arc::clone(&shared);
    thread::spawn(move || {
        let mut connections = 0;
        for stream in listener.incoming() {
            if state.stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else { continue };
            let id = connections;
            connections += 1;
            let (tls, state) = (tls.clone(), Arc::clone(&state));
            thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(HANG));
                let _ = stream.set_write_timeout(Some(HANG));
                match tls {
                    Some(config) => {
                        let Ok(connection) = rustls::ServerConnection::new(config) else {
                            return;
                        };
                        serve(rustls::StreamOwned::new(connection, stream), id, &state);
                    }
                    None => serve(stream, id, &state),
                }
            });
        }
    });
    Server {
        addr,
        cert: None,
        shared,
    }
}

/// A connection, plain or TLS, with its TCP socket at hand for shutdown and linger.
trait Connection: Read + Write {
    fn tcp(&self) -> &TcpStream;
}

impl Connection for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Connection for rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }
}

/// Answers requests on one connection until the client closes it, a reply ends it, or anything fails.
fn serve<C: Connection>(connection: C, id: usize, shared: &Shared) {
    let mut reader = BufReader::new(connection);
    while let Some(mut request) = read_request(&mut reader, id) {
        {
            let mut requests = lock(&shared.requests);
            request.index = requests.len();
            requests.push(request.clone());
        }
        let reply = (shared.handler)(&request);
        if !act(reader.get_mut(), &reply, shared) {
            return;
        }
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the client closed or sent garbage.
fn read_request(reader: &mut impl BufRead, connection: usize) -> Option<Received> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(Some(0), |(_, v)| v.parse::<usize>().ok())?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        method,
        path,
        headers,
        body,
        connection,
        index: 0,
    })
}

fn head(status: u16, headers: &[(String, String)]) -> String {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// The head of a 200 awsJson response delimited by `framing` (a header name and value).
fn json_head(framing: (&str, String)) -> String {
    head(
        200,
        &[
            ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
            ("x-amzn-requestid".to_owned(), "req-stream".to_owned()),
            (framing.0.to_owned(), framing.1),
        ],
    )
}

fn send(connection: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    connection.write_all(bytes)?;
    connection.flush()
}

/// Carries out `reply`; `true` if the connection may serve another request.
fn act<C: Connection>(connection: &mut C, reply: &Reply, shared: &Shared) -> bool {
    match reply {
        Reply::Respond { status, headers, body } => {
            let mut headers = headers.clone();
            headers.push(("content-length".to_owned(), body.len().to_string()));
            let mut bytes = head(*status, &headers).into_bytes();
            bytes.extend_from_slice(body);
            send(connection, &bytes).is_ok()
        }
        Reply::Close => {
            let _ = connection.tcp().shutdown(Shutdown::Both);
            false
        }
        Reply::Reset => {
            let _ = socket2::SockRef::from(connection.tcp()).set_linger(Some(Duration::ZERO));
            false
        }
        Reply::Silence => {
            thread::sleep(HANG);
            false
        }
        Reply::Delay(wait, then) => {
            thread::sleep(*wait);
            act(connection, then, shared)
        }
        Reply::Stall { declared, sent, stall } => {
            let mut bytes = json_head(("content-length", declared.to_string())).into_bytes();
            bytes.extend_from_slice(sent);
            let _ = send(connection, &bytes);
            thread::sleep(*stall);
            false
        }
        Reply::ShortBody { declared, sent } => {
            let mut bytes = json_head(("content-length", declared.to_string())).into_bytes();
            bytes.extend_from_slice(sent);
            let _ = send(connection, &bytes);
            let _ = connection.tcp().shutdown(Shutdown::Both);
            false
        }
        Reply::Raw(bytes) => {
            let _ = send(connection, bytes);
            false
        }
        Reply::Stream { prefix, total, framing } => {
            let whole = stream_body(connection, prefix, *total, *framing, shared);
            shared.streams_done.fetch_add(1, Ordering::SeqCst);
            // A body that ends by itself was sent whole: give the client time to read it before the socket
            // goes (closing is what ends a close-delimited body).
            if whole && *framing != Framing::Close {
                thread::sleep(Duration::from_millis(200));
            }
            false
        }
    }
}

/// Writes a 200 with a `total`-byte body; `true` if all of it was written.
fn stream_body(connection: &mut impl Write, prefix: &[u8], total: u64, framing: Framing, shared: &Shared) -> bool {
    let framing_header = match framing {
        Framing::Length => ("content-length", total.to_string()),
        Framing::Chunked => ("transfer-encoding", "chunked".to_owned()),
        Framing::Close => ("connection", "close".to_owned()),
    };
    if connection.write_all(json_head(framing_header).as_bytes()).is_err() {
        return false;
    }
    let filler = vec![b'x'; 64 * 1024];
    let mut written = 0u64;
    while written < total {
        let piece: &[u8] = match usize::try_from(written) {
            Ok(at) if at < prefix.len() => &prefix[at..],
            _ => &filler,
        };
        let piece = &piece[..piece.len().min(usize::try_from(total - written).unwrap_or(usize::MAX))];
        let sent = if framing == Framing::Chunked {
            connection
                .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                .and_then(|()| connection.write_all(piece))
                .and_then(|()| connection.write_all(b"\r\n"))
        } else {
            connection.write_all(piece)
        };
        if sent.is_err() {
            break;
        }
        written += piece.len() as u64;
        shared.streamed.fetch_add(piece.len() as u64, Ordering::SeqCst);
    }
    let whole = written == total;
    if whole && framing == Framing::Chunked {
        let _ = connection.write_all(b"0\r\n\r\n");
    }
    let _ = connection.flush();
    whole
}
