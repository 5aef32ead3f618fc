//! The generated ECS client against a real local server (moto, from PyPI), compared with what boto3 gets for
//! the same calls: every field of every task set, and the errors.
//!
//! Needs Python with `moto[server]` and `boto3` (`.ci/run` installs them in `.venv`); `AWSGEN_PYTHON` names
//! the interpreter (default `python3`). Ignored by a plain `cargo test`; `.ci/run` runs it with `--ignored`.

use awsgen_ecs::types::TaskSetField;
use awsgen_ecs::{Client, Config, Credentials};
use serde_json::Value;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A moto server on a free loopback port, stopped when dropped (also when a test fails).
struct MotoServer {
    child: Child,
    endpoint: String,
}

impl MotoServer {
    fn start(python: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto with {python}: {e} (pip install 'moto[server]')"));
        let server = MotoServer {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not start listening on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> String {
    std::env::var("AWSGEN_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Seeds the server with boto3 and returns boto3's results for each call.
fn seed_and_describe(endpoint: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed_and_describe.py");
    let output = Command::new(python()).arg(script).arg(endpoint).output().unwrap();
    assert!(
        output.status.success(),
        "seeding failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// JSON equality where numbers compare within a millisecond (boto3 turns timestamps into datetimes with
/// microseconds; both sides are back to epoch seconds here). Returns the path of the first difference.
fn difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
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

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn describe_task_sets_matches_boto3() {
    let server = MotoServer::start(&python());
    let expected = seed_and_describe(&server.endpoint);
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(&server.endpoint)
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .build();
    let client = Client::from_conf(config);
    let calls = expected["calls"].as_object().expect("calls");
    assert_eq!(calls.len(), 6);
    let mut compared = 0;
    for (name, call) in calls {
        let params = &call["params"];
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
