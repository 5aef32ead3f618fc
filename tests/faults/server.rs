//! A scripted, faulty HTTP/1.1 server on 127.0.0.1: each request gets the next behaviour of its script
//! (the last one repeats for ever), and every request that arrives is recorded with its headers.
//!
//! Plain `std::net`, a thread per connection, keep-alive between complete responses. Every socket has read
//! and write timeouts and every sleep is bounded, so no server thread outlives the tests by long.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long a connection may sit idle, and the longest a write may block, before the server gives up on it.
const IDLE: Duration = Duration::from_secs(10);

/// What the server does with one request (after reading it whole).
#[derive(Clone, Debug)]
pub enum Behaviour {
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
    /// Wait this long, then behave as the inner behaviour (the client has usually given up by then).
    Delay(Duration, Box<Behaviour>),
    /// A 200 whose head announces `declared` bytes, then `sent` (fewer), then nothing for `stall`, then close.
    Stall {
        declared: usize,
        sent: Vec<u8>,
        stall: Duration,
    },
    /// A 200 whose head announces `declared` bytes, then `sent` (fewer), then close at once.
    ShortBody { declared: usize, sent: Vec<u8> },
    /// A 200 with `prefix` then `x` filler up to `total` bytes, written in 64 KiB pieces until done or the
    /// client goes away; chunked, or announced up front with `Content-Length` when `announce` is set.
    Stream {
        prefix: Vec<u8>,
        total: u64,
        announce: bool,
    },
}

impl Behaviour {
    /// A response with a JSON content type (awsJson 1.1) and an `x-amzn-requestid`.
    pub fn json(status: u16, request_id: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::Respond {
            status,
            headers: vec![
                ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
                ("x-amzn-requestid".to_owned(), request_id.to_owned()),
            ],
            body: body.into(),
        }
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
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Shared {
    script: Vec<Behaviour>,
    requests: Mutex<Vec<Received>>,
    /// Body bytes written by `Stream` behaviours, summed.
    streamed: AtomicUsize,
    /// `Stream` behaviours that have finished writing (or given up).
    streams_done: AtomicUsize,
    stop: AtomicBool,
}

/// The server; dropping it stops accepting connections.
pub struct FaultyServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl FaultyServer {
    /// Serves `script`: request `n` (0-based, across connections) gets `script[n]`, or the last behaviour once
    /// the script has run out.
    pub fn start(script: Vec<Behaviour>) -> Self {
        assert!(!script.is_empty(), "a script needs at least one behaviour");
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            script,
            requests: Mutex::new(Vec::new()),
            streamed: AtomicUsize::new(0),
            streams_done: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let state = Arc::clone(&shared);
        thread::spawn(move || {
            let connections = AtomicUsize::new(0);
            for stream in listener.incoming() {
                if state.stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let id = connections.fetch_add(1, Ordering::SeqCst);
                let state = Arc::clone(&state);
                thread::spawn(move || serve(stream, id, &state));
            }
        });
        Self { addr, shared }
    }

    /// The endpoint URL to configure the client with.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request that arrived, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Body bytes the `Stream` behaviours wrote before they finished or the client went away, once `streams`
    /// of them have stopped; `None` if they are still writing after `patience`.
    pub fn streamed_after(&self, streams: usize, patience: Duration) -> Option<usize> {
        let deadline = std::time::Instant::now() + patience;
        while self.shared.streams_done.load(Ordering::SeqCst) < streams {
            if std::time::Instant::now() > deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
        Some(self.shared.streamed.load(Ordering::SeqCst))
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, connection: usize, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(IDLE));
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader, connection) {
        let behaviour = {
            let mut requests = shared.requests.lock().unwrap();
            let n = requests.len();
            requests.push(request);
            shared.script[n.min(shared.script.len() - 1)].clone()
        };
        if !act(reader.get_mut(), &behaviour, shared) {
            return;
        }
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the client closed or sent garbage.
fn read_request(reader: &mut BufReader<TcpStream>, connection: usize) -> Option<Received> {
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
    })
}

fn head(status: u16, headers: &[(String, String)]) -> String {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
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

fn json_head(status: u16, framing: (&str, String)) -> String {
    head(
        status,
        &[
            ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
            ("x-amzn-requestid".to_owned(), "req-stream".to_owned()),
            (framing.0.to_owned(), framing.1),
        ],
    )
}

/// Carries out `behaviour`; `true` if the connection may serve another request.
fn act(stream: &mut TcpStream, behaviour: &Behaviour, shared: &Shared) -> bool {
    match behaviour {
        Behaviour::Respond { status, headers, body } => {
            let mut headers = headers.clone();
            headers.push(("content-length".to_owned(), body.len().to_string()));
            let mut bytes = head(*status, &headers).into_bytes();
            bytes.extend_from_slice(body);
            stream.write_all(&bytes).and_then(|()| stream.flush()).is_ok()
        }
        Behaviour::Close => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            false
        }
        Behaviour::Reset => {
            let _ = socket2::SockRef::from(&*stream).set_linger(Some(Duration::ZERO));
            false
        }
        Behaviour::Delay(wait, then) => {
            thread::sleep(*wait);
            act(stream, then, shared)
        }
        Behaviour::Stall { declared, sent, stall } => {
            let mut bytes = json_head(200, ("content-length", declared.to_string())).into_bytes();
            bytes.extend_from_slice(sent);
            let _ = stream.write_all(&bytes).and_then(|()| stream.flush());
            thread::sleep(*stall);
            false
        }
        Behaviour::ShortBody { declared, sent } => {
            let mut bytes = json_head(200, ("content-length", declared.to_string())).into_bytes();
            bytes.extend_from_slice(sent);
            let _ = stream.write_all(&bytes).and_then(|()| stream.flush());
            let _ = stream.shutdown(std::net::Shutdown::Both);
            false
        }
        Behaviour::Stream {
            prefix,
            total,
            announce,
        } => {
            stream_body(stream, prefix, *total, *announce, shared);
            shared.streams_done.fetch_add(1, Ordering::SeqCst);
            false
        }
    }
}

fn stream_body(stream: &mut TcpStream, prefix: &[u8], total: u64, announce: bool, shared: &Shared) {
    let framing = if announce {
        ("content-length", total.to_string())
    } else {
        ("transfer-encoding", "chunked".to_owned())
    };
    if stream.write_all(json_head(200, framing).as_bytes()).is_err() {
        return;
    }
    let filler = vec![b'x'; 64 * 1024];
    let mut written = 0u64;
    while written < total {
        let piece: &[u8] = if written < prefix.len() as u64 {
            &prefix[written as usize..]
        } else {
            &filler
        };
        let piece = &piece[..piece.len().min(usize::try_from(total - written).unwrap_or(usize::MAX))];
        let sent = if announce {
            stream.write_all(piece)
        } else {
            stream
                .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                .and_then(|()| stream.write_all(piece))
                .and_then(|()| stream.write_all(b"\r\n"))
        };
        if sent.is_err() {
            break;
        }
        written += piece.len() as u64;
        shared.streamed.fetch_add(piece.len(), Ordering::SeqCst);
    }
    if written == total && !announce {
        let _ = stream.write_all(b"0\r\n\r\n");
    }
    let _ = stream.flush();
}
