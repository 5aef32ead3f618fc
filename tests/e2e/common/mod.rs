//! What the end-to-end tests share: a moto server, seeding it with boto3 (`seed_and_describe.py`), and
//! comparing the generated client's results with boto3's.
//!
//! Needs Python with `moto[server]` and `boto3` (`.ci/run` installs them in `.venv`); `AWSGEN_PYTHON` names
//! the interpreter (default `python3`).

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use awsgen_ecs::operation::describe_task_sets::builders::DescribeTaskSetsFluentBuilder;
use awsgen_ecs::types::TaskSetField;
use awsgen_ecs::Client;
use serde_json::Value;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Starts moto's server with the arguments that follow, and a thread that ends the process as soon as its
/// stdin closes: when the test process exits, however it exits (a panic, a kill, a server shared in a
/// `static` that is never dropped), the operating system closes the pipe and moto goes with it.
const LAUNCHER: &str = "\
import os, sys, threading
from moto.server import main
def exit_when_parent_goes():
    sys.stdin.buffer.read()
    os._exit(0)
threading.Thread(target=exit_when_parent_goes, daemon=True).start()
main(sys.argv[1:])
";

/// A moto server on a free loopback port, stopped when dropped, and in any case when the test process ends.
///
/// moto's state, including whether it checks signatures (`/moto-api/reset-auth`), is global to a server, so
/// tests that need different states use different servers.
pub struct MotoServer {
    child: Child,
    endpoint: String,
}

impl MotoServer {
    pub fn start() -> Self {
        let python = python();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut command = Command::new(&python);
        without_aws_variables(&mut command);
        let child = command
            .args(["-c", LAUNCHER, "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto with {python}: {e} (pip install 'moto[server]')"));
        let mut server = MotoServer {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "moto exited before listening on port {port} ({status}); is moto[server] installed for {python}?"
                );
            }
            assert!(
                Instant::now() < deadline,
                "moto did not start listening on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python that has moto and boto3: `AWSGEN_PYTHON`, else `python3`.
pub fn python() -> String {
    std::env::var("AWSGEN_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Removes the developer's `AWS_*` variables from `command`'s environment: moto and the seeding script use
/// boto3, which a stray `AWS_PROFILE` (naming no profile here) or `AWS_CA_BUNDLE` would break.
pub fn without_aws_variables(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            command.env_remove(name);
        }
    }
}

/// How `seed_and_describe.py` leaves the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    /// Seeded; moto accepts any request, signed or not (its default).
    Open,
    /// Seeded, IAM identities made, then moto's authentication turned on: every request must be signed by a
    /// key moto knows and allowed by that identity's policies (`--with-auth`).
    WithAuth,
}

/// Seeds the server with boto3 and returns what the script prints: boto3's result for each call (and, with
/// [`Seed::WithAuth`], the identities and boto3's authentication errors).
pub fn seed_and_describe(endpoint: &str, seed: Seed) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed_and_describe.py");
    let mut command = Command::new(python());
    command.arg(script).arg(endpoint);
    without_aws_variables(&mut command);
    if seed == Seed::WithAuth {
        command.arg("--with-auth");
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "seeding failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A seeded server and boto3's results on it.
pub struct Seeded {
    pub server: MotoServer,
    pub expected: Value,
}

/// One seeded server per test binary and [`Seed`], started by the first test that asks, shared by the
/// others (which run in parallel: moto's server is threaded). Never dropped: moto ends with the process.
pub fn shared(seed: Seed) -> &'static Seeded {
    static OPEN: OnceLock<Seeded> = OnceLock::new();
    static WITH_AUTH: OnceLock<Seeded> = OnceLock::new();
    let cell = match seed {
        Seed::Open => &OPEN,
        Seed::WithAuth => &WITH_AUTH,
    };
    cell.get_or_init(|| {
        let server = MotoServer::start();
        let expected = seed_and_describe(server.endpoint(), seed);
        Seeded { server, expected }
    })
}

/// JSON equality where numbers compare within a millisecond (boto3 turns timestamps into datetimes with
/// microseconds; both sides are back to epoch seconds here). Returns the path of the first difference.
pub fn difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN));
            ((e - a).abs() > 1e-3).then(|| format!("{path}: boto3 {e}, ours {a}"))
        }
        (Value::Object(e), Value::Object(a)) => {
            let keys: std::collections::BTreeSet<&String> = e.keys().chain(a.keys()).collect();
            keys.into_iter().find_map(|k| match (e.get(k), a.get(k)) {
                (Some(x), Some(y)) => difference(x, y, &format!("{path}.{k}")),
                (x, y) => Some(format!("{path}.{k}: boto3 {x:?}, ours {y:?}")),
            })
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &format!("{path}[{i}]"))),
        _ => (expected != actual).then(|| format!("{path}: boto3 {expected}, ours {actual}")),
    }
}

/// The strings of a JSON array (none for anything else, `null` included).
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The DescribeTaskSets request for one call's boto3 parameters (`cluster`, `service`, `taskSets`, `include`).
pub fn describe_request(client: &Client, params: &Value) -> DescribeTaskSetsFluentBuilder {
    let mut request = client
        .describe_task_sets()
        .cluster(params["cluster"].as_str().unwrap())
        .service(params["service"].as_str().unwrap());
    for task_set in strings(&params["taskSets"]) {
        request = request.task_sets(task_set);
    }
    for include in strings(&params["include"]) {
        request = request.include(TaskSetField::from(include.as_str()));
    }
    request
}

/// Makes every call of `expected["calls"]` with `client` and asserts that each gets what boto3 got: the same
/// output, field by field, or an error with the same code and message.
pub async fn assert_calls_match_boto3(client: &Client, expected: &Value) {
    let calls = expected["calls"].as_object().expect("calls");
    assert_eq!(calls.len(), 6);
    let mut compared = 0;
    for (name, call) in calls {
        let request = describe_request(client, &call["params"]);
        match (request.send().await, call.get("result"), call.get("error")) {
            (Ok(output), Some(result), None) => {
                let ours = serde_json::to_value(&output).unwrap();
                if let Some(diff) = difference(result, &ours, name) {
                    panic!("{diff}\nboto3: {result:#}\nours: {ours:#}");
                }
                assert!(
                    !output.task_sets().is_empty() || name.starts_with("missing"),
                    "{name}: no task sets"
                );
            }
            (Err(error), None, Some(boto_error)) => {
                let service_error = error.as_service_error().unwrap_or_else(|| panic!("{name}: {error:?}"));
                let meta = match &error {
                    awsgen_ecs::error::SdkError::Service(e) => e.meta(),
                    _ => unreachable!(),
                };
                assert_eq!(meta.code(), boto_error["code"].as_str(), "{name}: {service_error:?}");
                assert_eq!(meta.message(), boto_error["message"].as_str(), "{name}");
            }
            (ours, result, error) => {
                panic!("{name}: ours {ours:?}, boto3 result {result:?}, boto3 error {error:?}")
            }
        }
        compared += 1;
    }
    assert_eq!(compared, 6);
}

/// What `cargo test` sets for this package's tests, which must not reach the inner cargo: build scripts that
/// watch one of them (ring's watches `CARGO_MANIFEST_DIR`) would be rebuilt by the inner cargo, then again by
/// the next `cargo test`, every time (about 8 s each way).
pub const SET_BY_CARGO_TEST: &[&str] = &[
    "CARGO_MANIFEST_",
    "CARGO_PKG_",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
];
