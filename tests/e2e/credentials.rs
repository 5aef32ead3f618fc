//! The default credentials chain end to end: the runnable example (`generated/ecs/examples/describe_task_sets.rs`)
//! and boto3 (`describe_with_boto3.py`), run with the same environment, the same `HOME` and the same files,
//! get their credentials from each provider of the chain in turn and call a moto server that checks every
//! signature (`seed_and_describe.py --with-auth`); the example must print what boto3 prints, to the byte.
//!
//! The providers that fetch credentials over HTTP (the container endpoint, IMDSv2, STS
//! `AssumeRoleWithWebIdentity`, the SSO portal and SSO-OIDC) talk to `fake_credentials.py` on a loopback port,
//! which hands out an AssumeRole session moto issued (so moto accepts what is signed with it), refuses requests
//! that lack what they must carry (tokens, form fields) and records every request: each test asserts from that
//! record that the provider was really used, by boto3 and by the example. `AssumeRole` from a profile goes to
//! moto's own STS, whose authentication is on: the source profile's user may only assume the role, so only
//! the role's credentials can describe task sets.
//!
//! Every run starts from an environment without the developer's `AWS_*` variables, with `HOME` in a directory
//! of its own and IMDS turned off (`AWS_EC2_METADATA_DISABLED=true`) unless the scenario is IMDS: nothing is
//! sent anywhere but loopback.

mod common;

use common::{difference, python, shared, without_aws_variables, Seed, Seeded, SET_BY_CARGO_TEST};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The call every scenario makes: both task sets of the seeded service, with their tags.
const ARGS: &[&str] = &["--cluster", "e2e", "--service", "checkout", "--include-tags"];

/// How long a failing run may take: the chain must give up quickly when nothing is configured.
const FAIL_FAST: Duration = Duration::from_secs(10);

fn e2e_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example, built once by `cargo build` as `cargo run` would build it, then run directly: building is not
/// part of a run's time (a failure must be quick) and runs need not wait on cargo's lock.
fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let mut command = Command::new(env!("CARGO"));
        command
            .args([
                "build",
                "--quiet",
                "-p",
                "awsgen-ecs",
                "--example",
                "describe_task_sets",
            ])
            .arg("--message-format=json")
            .current_dir(e2e_dir().join("../.."))
            .stdin(Stdio::null());
        for (name, _) in std::env::vars_os() {
            if SET_BY_CARGO_TEST.iter().any(|p| name.to_string_lossy().starts_with(p)) {
                command.env_remove(name);
            }
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "building the example failed:\n{}",
            text(&output.stderr)
        );
        text(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "describe_task_sets")
            .and_then(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo named no executable for the example")
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The moto server with authentication on, seeded, with the identities the scenarios use.
fn moto() -> &'static Seeded {
    shared(Seed::WithAuth)
}

fn identity(name: &str) -> &'static Value {
    let identity = &moto().expected["identities"][name];
    assert!(identity.is_object(), "the seeding script made no identity {name}");
    identity
}

fn field<'a>(value: &'a Value, name: &str) -> &'a str {
    value[name].as_str().unwrap_or_else(|| panic!("no {name}"))
}

/// What the fake hands out: the AssumeRole session moto issued while seeding, in the container endpoint's
/// and IMDS's form.
fn session_credentials() -> Value {
    let session = identity("role_session");
    json!({
        "AccessKeyId": field(session, "access_key_id"),
        "SecretAccessKey": field(session, "secret_access_key"),
        "Token": field(session, "session_token"),
        "Expiration": field(session, "expiration"),
    })
}

/// A profile section's static keys.
fn keys_of(identity: &Value) -> String {
    format!(
        "aws_access_key_id = {}\naws_secret_access_key = {}\n",
        field(identity, "access_key_id"),
        field(identity, "secret_access_key")
    )
}

/// One way of configuring credentials: a directory of its own (with `HOME` in it), the environment both
/// programs get, and the files they read.
struct Scenario {
    dir: PathBuf,
    env: BTreeMap<String, String>,
    /// Written before each run, so that each program starts from the same files (an SSO refresh rewrites
    /// the token cache).
    files: Vec<(PathBuf, String)>,
    /// Set for boto3 only, standing in for a link botocore's chain does not have.
    boto3_only: BTreeMap<String, String>,
}

/// How one program's run went.
struct Run {
    output: Output,
    elapsed: Duration,
}

impl Run {
    fn stdout(&self) -> String {
        text(&self.output.stdout)
    }

    fn stderr(&self) -> String {
        text(&self.output.stderr)
    }
}

impl Scenario {
    /// ECS calls go to moto, in `us-east-1`, with no credentials and IMDS off.
    fn new(name: &str) -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("credentials").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("home")).unwrap();
        let mut scenario = Scenario {
            env: BTreeMap::new(),
            files: Vec::new(),
            boto3_only: BTreeMap::new(),
            dir,
        };
        let home = scenario.path("home");
        scenario
            .set("HOME", &home)
            .set("AWS_ENDPOINT_URL", moto().server.endpoint())
            // AWS_REGION is the SDKs' variable, AWS_DEFAULT_REGION botocore's (it ignores AWS_REGION).
            .set("AWS_REGION", "us-east-1")
            .set("AWS_DEFAULT_REGION", "us-east-1")
            .set("AWS_EC2_METADATA_DISABLED", "true");
        scenario
    }

    fn path(&self, relative: &str) -> String {
        self.dir.join(relative).to_string_lossy().into_owned()
    }

    fn set(&mut self, name: &str, value: &str) -> &mut Self {
        self.env.insert(name.to_owned(), value.to_owned());
        self
    }

    fn unset(&mut self, name: &str) -> &mut Self {
        self.env.remove(name);
        self
    }

    /// Adds a file (relative to the scenario's directory), written before each run; returns its path.
    fn file(&mut self, relative: &str, contents: &str) -> String {
        let path = self.dir.join(relative);
        self.files.push((path.clone(), contents.to_owned()));
        path.to_string_lossy().into_owned()
    }

    /// Runs `command` with this scenario's files and environment (and `extra`) only: no `AWS_*` variable of
    /// the developer's.
    fn run(&self, mut command: Command, extra: &BTreeMap<String, String>) -> Run {
        for (path, contents) in &self.files {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        without_aws_variables(&mut command);
        command
            .envs(&self.env)
            .envs(extra)
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        let started = Instant::now();
        let output = command.output().unwrap();
        Run {
            output,
            elapsed: started.elapsed(),
        }
    }

    fn boto3(&self) -> Run {
        let mut command = Command::new(python());
        command.arg(e2e_dir().join("describe_with_boto3.py")).args(ARGS);
        self.run(command, &self.boto3_only)
    }

    fn example(&self) -> Run {
        let mut command = Command::new(example_binary());
        command.args(ARGS);
        self.run(command, &BTreeMap::new())
    }

    /// Runs boto3, then the example; both must succeed, boto3 with credentials from `method` (botocore's name
    /// of the provider), and print the same result. Returns what `fake` saw from each.
    fn assert_same_output(&self, method: &str, fake: Option<&Fake>) -> (Vec<Value>, Vec<Value>) {
        let boto3 = self.boto3();
        assert!(boto3.output.status.success(), "boto3 failed: {}", boto3.stderr());
        assert_eq!(
            boto3.stderr().lines().next(),
            Some(format!("boto3 credentials: {method}").as_str()),
            "boto3 did not use the provider under test"
        );
        let boto3_saw = fake.map(Fake::take).unwrap_or_default();

        let example = self.example();
        let example_saw = fake.map(Fake::take).unwrap_or_default();
        assert!(
            example.output.status.success(),
            "the example failed ({}):\n{}\nthe fake saw: {}",
            example.output.status,
            example.stderr(),
            summary(&example_saw)
        );

        let (expected, ours) = (boto3.stdout(), example.stdout());
        let parsed: Value = serde_json::from_str(&expected).expect("boto3's stdout is JSON");
        assert_eq!(parsed["taskSets"].as_array().map(Vec::len), Some(2), "{expected}");
        if ours != expected {
            // Where they differ, if the example printed JSON at all.
            let diff = serde_json::from_str(&ours).map(|ours| difference(&parsed, &ours, "output"));
            panic!("the example printed other than boto3 ({diff:?})\nboto3:\n{expected}\nexample:\n{ours}");
        }
        (boto3_saw, example_saw)
    }

    /// Runs boto3, then the example; both must fail (exit 1, nothing on stdout), the example within
    /// [`FAIL_FAST`]. Returns boto3's stderr and the example's.
    fn assert_both_fail(&self) -> (String, String) {
        let boto3 = self.boto3();
        assert_eq!(boto3.output.status.code(), Some(1), "boto3: {}", boto3.stderr());
        let example = self.example();
        let stderr = example.stderr();
        assert_eq!(example.output.status.code(), Some(1), "the example: {stderr}");
        assert_eq!(example.stdout(), "", "the example's stdout");
        assert!(
            example.elapsed < FAIL_FAST,
            "the example took {:?} to fail: {stderr}",
            example.elapsed
        );
        (boto3.stderr(), stderr)
    }
}

/// `fake_credentials.py`, on a loopback port of its own, ended when dropped (and when the test process ends:
/// it exits when its stdin closes).
struct Fake {
    child: Child,
    /// Held open for the fake's lifetime.
    _stdin: ChildStdin,
    port: u16,
}

impl Fake {
    /// Starts the fake with `config` (see the script), written in the scenario's directory.
    fn start(scenario: &Scenario, config: &Value) -> Self {
        let config_path = scenario.dir.join("fake.json");
        std::fs::write(&config_path, config.to_string()).unwrap();
        let mut child = Command::new(python())
            .arg(e2e_dir().join("fake_credentials.py"))
            .arg(&config_path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the fake with {}: {e}", python()));
        // It prints its port once it listens: from then on connections are accepted.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the fake did not start: {:?}", child.try_wait()));
        let stdin = child.stdin.take().unwrap();
        Fake {
            child,
            _stdin: stdin,
            port,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The requests recorded since the last `take`, emptying the record.
    fn take(&self) -> Vec<Value> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .write_all(
                b"DELETE /_requests HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            )
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        serde_json::from_str::<Vec<Value>>(body).unwrap()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The record in one line per request, without headers or bodies (which hold tokens).
fn summary(requests: &[Value]) -> String {
    let lines: Vec<String> = requests
        .iter()
        .map(|r| {
            format!(
                "{} {} -> {} {}",
                r["method"].as_str().unwrap_or("?"),
                r["path"].as_str().unwrap_or("?"),
                r["status"],
                r["problem"].as_str().unwrap_or("")
            )
        })
        .collect();
    format!("[{}]", lines.join("; "))
}

/// The requests to `method path`, after checking that the fake refused none of `requests`.
fn to<'a>(requests: &'a [Value], who: &str, method: &str, path: &str) -> Vec<&'a Value> {
    assert!(
        requests.iter().all(|r| r["problem"].is_null()),
        "{who}: the fake refused requests: {}",
        summary(requests)
    );
    requests
        .iter()
        .filter(|r| r["method"] == method && r["path"] == path)
        .collect()
}

/// Exactly one request to `method path` from each of boto3 and the example (one call: credentials are
/// fetched once), none refused; returns the example's.
fn one_each<'a>(saw: &'a (Vec<Value>, Vec<Value>), method: &str, path: &str) -> &'a Value {
    let (boto3, example) = saw;
    let from_boto3 = to(boto3, "boto3", method, path);
    assert_eq!(from_boto3.len(), 1, "boto3 {method} {path}: {}", summary(boto3));
    let from_example = to(example, "the example", method, path);
    assert_eq!(
        from_example.len(),
        1,
        "the example {method} {path}: {}",
        summary(example)
    );
    from_example[0]
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn environment_keys() {
    let user = identity("ecs_user");
    let mut scenario = Scenario::new("environment_keys");
    scenario
        .set("AWS_ACCESS_KEY_ID", field(user, "access_key_id"))
        .set("AWS_SECRET_ACCESS_KEY", field(user, "secret_access_key"));
    scenario.assert_same_output("env", None);
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn profile_static_keys() {
    let mut scenario = Scenario::new("profile_static_keys");
    // The default profile's keys are refused by moto: only AWS_PROFILE's can succeed.
    let credentials = format!(
        "[default]\n{}\n[e2e]\n{}",
        keys_of(&moto().expected["auth_errors"]["wrong_secret"]["credentials"]),
        keys_of(identity("ecs_user"))
    );
    let credentials = scenario.file("credentials", &credentials);
    let config = scenario.file("config", "[profile e2e]\nregion = us-east-1\n");
    scenario
        .set("AWS_PROFILE", "e2e")
        .set("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .set("AWS_CONFIG_FILE", &config);
    scenario.assert_same_output("shared-credentials-file", None);
}

/// A profile that assumes `role_arn` with the assumer's keys (allowed sts:AssumeRole and nothing else).
fn assume_role_scenario(name: &str, role_arn: &str) -> Scenario {
    let mut scenario = Scenario::new(name);
    let config =
        format!("[profile e2e]\nrole_arn = {role_arn}\nsource_profile = assumer\nrole_session_name = e2e-profile\n");
    let config = scenario.file("config", &config);
    let credentials = scenario.file("credentials", &format!("[assumer]\n{}", keys_of(identity("assumer"))));
    scenario
        .set("AWS_PROFILE", "e2e")
        .set("AWS_CONFIG_FILE", &config)
        .set("AWS_SHARED_CREDENTIALS_FILE", &credentials);
    scenario
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn profile_assume_role_with_moto_sts() {
    // The assumer may not describe task sets; the role may. Success means moto's STS issued the role's
    // credentials (to a signed AssumeRole) and moto then accepted them, session token included.
    let role = field(&moto().expected["roles"], "assumable");
    assume_role_scenario("profile_assume_role", role).assert_same_output("assume-role", None);
}

/// A profile whose `credential_process` runs `script` (with `sh`), which logs each run to `process-runs.log`.
fn credential_process_scenario(name: &str, script: &str) -> Scenario {
    let mut scenario = Scenario::new(name);
    let runs = scenario.path("process-runs.log");
    let script = scenario.file("process.sh", &format!("echo run >> \"{runs}\"\n{script}"));
    let config = scenario.file(
        "config",
        &format!("[profile e2e]\ncredential_process = sh \"{script}\"\n"),
    );
    scenario.set("AWS_PROFILE", "e2e").set("AWS_CONFIG_FILE", &config);
    scenario
}

/// How many times the credential process ran (it logs each run).
fn process_runs(scenario: &Scenario) -> usize {
    std::fs::read_to_string(scenario.dir.join("process-runs.log")).map_or(0, |log| log.lines().count())
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn credential_process() {
    let user = identity("ecs_user");
    let printed = json!({
        "Version": 1,
        "AccessKeyId": field(user, "access_key_id"),
        "SecretAccessKey": field(user, "secret_access_key"),
    });
    let scenario = credential_process_scenario("credential_process", &format!("cat <<'EOF'\n{printed}\nEOF\n"));
    scenario.assert_same_output("custom-process", None);
    // Once for boto3 (which said it used it) and once for the example (which had no other source).
    assert_eq!(process_runs(&scenario), 2, "runs of the credential process");
}

/// The container endpoint on the fake, with its authorization token set by `token_setting`.
fn container_endpoint(name: &str, token_setting: fn(&mut Scenario, &str)) {
    const TOKEN: &str = "e2e-container-authorization-token";
    let mut scenario = Scenario::new(name);
    let fake = Fake::start(
        &scenario,
        &json!({"credentials": session_credentials(), "container_token": TOKEN}),
    );
    scenario.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &fake.url("/creds"));
    token_setting(&mut scenario, TOKEN);
    let saw = scenario.assert_same_output("container-role", Some(&fake));
    assert_eq!(one_each(&saw, "GET", "/creds")["headers"]["authorization"], TOKEN);
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn container_endpoint_with_token() {
    container_endpoint("container_token", |scenario, token| {
        scenario.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
    });
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn container_endpoint_with_token_file() {
    container_endpoint("container_token_file", |scenario, token| {
        let file = scenario.file("container-token", token);
        scenario.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &file);
    });
}

/// IMDSv2 on the fake; returns what it saw from boto3 and the example.
fn imds(scenario: &mut Scenario) -> (Vec<Value>, Vec<Value>) {
    const ROLE: &str = "e2e-instance-role";
    let fake = Fake::start(
        scenario,
        &json!({"credentials": session_credentials(), "imds_role": ROLE, "imds_region": "us-east-1"}),
    );
    scenario
        .unset("AWS_EC2_METADATA_DISABLED")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &fake.url("/"));
    let saw = scenario.assert_same_output("iam-role", Some(&fake));
    // The fake answers a GET only with a token it handed out to a PUT: `to` checks none was refused.
    for (who, requests) in [("boto3", &saw.0), ("the example", &saw.1)] {
        assert!(
            !to(requests, who, "PUT", "/latest/api/token").is_empty(),
            "{who}: {}",
            summary(requests)
        );
    }
    one_each(&saw, "GET", "/latest/meta-data/iam/security-credentials/");
    one_each(
        &saw,
        "GET",
        &format!("/latest/meta-data/iam/security-credentials/{ROLE}"),
    );
    saw
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn imds_credentials() {
    let saw = imds(&mut Scenario::new("imds"));
    // The region is set: IMDS is not asked for one.
    for (who, requests) in [("boto3", &saw.0), ("the example", &saw.1)] {
        let asked = to(requests, who, "GET", "/latest/meta-data/placement/region");
        assert!(asked.is_empty(), "{who}: {}", summary(requests));
    }
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn imds_credentials_and_region() {
    let mut scenario = Scenario::new("imds_region");
    scenario.unset("AWS_REGION").unset("AWS_DEFAULT_REGION");
    // botocore's region chain ends with the config file: it asks IMDS for a region only in the `auto`
    // defaults mode (and then only to pick defaults), so without one boto3 raises NoRegionError. It is given
    // the region IMDS answers; the example must find it on its own.
    scenario
        .boto3_only
        .insert("AWS_DEFAULT_REGION".to_owned(), "us-east-1".to_owned());
    let (boto3, example) = imds(&mut scenario);
    let asked = to(&boto3, "boto3", "GET", "/latest/meta-data/placement/region");
    assert!(asked.is_empty(), "boto3: {}", summary(&boto3));
    let asked = to(&example, "the example", "GET", "/latest/meta-data/placement/region");
    assert_eq!(asked.len(), 1, "the example: {}", summary(&example));
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn web_identity_from_environment() {
    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlMmUifQ.e2e-web-identity-signature";
    const ROLE: &str = "arn:aws:iam::123456789012:role/e2e-web-identity";
    let mut scenario = Scenario::new("web_identity");
    let fake = Fake::start(
        &scenario,
        &json!({"credentials": session_credentials(), "web_identity": {"role_arn": ROLE, "token": TOKEN}}),
    );
    let token_file = scenario.file("web-identity-token", TOKEN);
    scenario
        .set("AWS_WEB_IDENTITY_TOKEN_FILE", &token_file)
        .set("AWS_ROLE_ARN", ROLE)
        .set("AWS_ROLE_SESSION_NAME", "e2e-web-identity-session")
        .set("AWS_ENDPOINT_URL_STS", &fake.url(""));
    let saw = scenario.assert_same_output("assume-role-with-web-identity", Some(&fake));
    let request = one_each(&saw, "POST", "/");
    // The fake checked these too (and refuses otherwise); said here so that a failure names them.
    let form: BTreeMap<String, String> = form_urlencoded(request["body"].as_str().unwrap());
    assert_eq!(
        form.get("Action").map(String::as_str),
        Some("AssumeRoleWithWebIdentity")
    );
    assert_eq!(form.get("RoleArn").map(String::as_str), Some(ROLE));
    assert_eq!(
        form.get("RoleSessionName").map(String::as_str),
        Some("e2e-web-identity-session")
    );
    assert!(
        form.get("WebIdentityToken").is_some_and(|t| t == TOKEN),
        "WebIdentityToken is not the file's content"
    );
    assert!(
        request["headers"].get("authorization").is_none(),
        "AssumeRoleWithWebIdentity was signed"
    );
}

/// `application/x-www-form-urlencoded`, decoded (`+` and `%XX`).
fn form_urlencoded(body: &str) -> BTreeMap<String, String> {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1..i + 3)) {
                (b'%', Some(hex)) => {
                    out.push(u8::from_str_radix(std::str::from_utf8(hex).unwrap(), 16).unwrap());
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    };
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

const SSO_ACCOUNT: &str = "123456789012";
const SSO_ROLE: &str = "ECSReader";
const SSO_VALID_TOKEN: &str = "e2e-sso-access-token";
const SSO_EXPIRED_TOKEN: &str = "e2e-sso-expired-access-token";
const SSO_REFRESHED_TOKEN: &str = "e2e-sso-refreshed-access-token";
/// The `[sso-session NAME]` of the sso-session form; its token is cached as `sha1(NAME).json`.
const SSO_SESSION: &str = "e2e-sso";
const SSO_SESSION_CACHE: &str = "aaf14d8144c9e5cdf795698f96990daa637b53e1.json";
/// The start URL of the legacy form, whose token is cached as `sha1(URL).json`.
const SSO_LEGACY_START_URL: &str = "https://e2e-legacy.awsapps.com/start";
const SSO_LEGACY_CACHE: &str = "e6756528f88c30c86686a44a25b65cabca9a659f.json";

/// A profile `e2e` with SSO settings `profile`, the token cache `cache_name` holding `token` (with a refresh
/// token and client registration) expiring at `expires_at`, and the SSO endpoints on the fake.
fn sso_scenario(name: &str, config: &str, cache_name: &str, token: &Value) -> (Scenario, Fake) {
    let mut scenario = Scenario::new(name);
    let fake = Fake::start(
        &scenario,
        &json!({
            "credentials": session_credentials(),
            "sso": {
                "account_id": SSO_ACCOUNT,
                "role_name": SSO_ROLE,
                // Not the expired one: it must be refreshed, not used.
                "access_tokens": [SSO_VALID_TOKEN, SSO_REFRESHED_TOKEN],
                "client_id": "e2e-client-id",
                "client_secret": "e2e-client-secret",
                "refresh_token": "e2e-refresh-token",
                "refreshed_access_token": SSO_REFRESHED_TOKEN,
            },
        }),
    );
    let config = scenario.file("config", config);
    scenario.file(&format!("home/.aws/sso/cache/{cache_name}"), &token.to_string());
    scenario
        .set("AWS_PROFILE", "e2e")
        .set("AWS_CONFIG_FILE", &config)
        .set("AWS_ENDPOINT_URL_SSO", &fake.url(""))
        .set("AWS_ENDPOINT_URL_SSO_OIDC", &fake.url(""));
    (scenario, fake)
}

fn sso_session_config() -> String {
    format!(
        "[profile e2e]\nsso_session = {SSO_SESSION}\nsso_account_id = {SSO_ACCOUNT}\nsso_role_name = {SSO_ROLE}\n\n\
         [sso-session {SSO_SESSION}]\nsso_start_url = https://e2e.awsapps.com/start\nsso_region = us-east-1\n\
         sso_registration_scopes = sso:account:access\n"
    )
}

/// The cache of `aws sso login` for the sso-session form.
fn sso_session_token(access_token: &str, expires_at: &str) -> Value {
    json!({
        "startUrl": "https://e2e.awsapps.com/start",
        "region": "us-east-1",
        "accessToken": access_token,
        "expiresAt": expires_at,
        "clientId": "e2e-client-id",
        "clientSecret": "e2e-client-secret",
        "registrationExpiresAt": "2100-01-01T00:00:00Z",
        "refreshToken": "e2e-refresh-token",
    })
}

/// Checks that each program got role credentials with `bearer` and made `create_tokens` CreateToken calls.
fn assert_sso_requests(saw: &(Vec<Value>, Vec<Value>), bearer: &str, create_tokens: usize) {
    let request = one_each(saw, "GET", "/federation/credentials");
    assert_eq!(request["headers"]["x-amz-sso_bearer_token"], bearer);
    assert_eq!(
        request["query"],
        json!({"account_id": SSO_ACCOUNT, "role_name": SSO_ROLE})
    );
    for (who, requests) in [("boto3", &saw.0), ("the example", &saw.1)] {
        let created = to(requests, who, "POST", "/token");
        assert_eq!(created.len(), create_tokens, "{who} CreateToken: {}", summary(requests));
    }
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn sso_session_cached_token() {
    let token = sso_session_token(SSO_VALID_TOKEN, "2100-01-01T00:00:00Z");
    let (scenario, fake) = sso_scenario("sso_session", &sso_session_config(), SSO_SESSION_CACHE, &token);
    let saw = scenario.assert_same_output("sso", Some(&fake));
    assert_sso_requests(&saw, SSO_VALID_TOKEN, 0);
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn sso_session_expired_token_is_refreshed() {
    let token = sso_session_token(SSO_EXPIRED_TOKEN, "2000-01-01T00:00:00Z");
    let (scenario, fake) = sso_scenario("sso_session_refresh", &sso_session_config(), SSO_SESSION_CACHE, &token);
    let saw = scenario.assert_same_output("sso", Some(&fake));
    assert_sso_requests(&saw, SSO_REFRESHED_TOKEN, 1);
    let create_token: Value =
        serde_json::from_str(to(&saw.1, "the example", "POST", "/token")[0]["body"].as_str().unwrap())
            .expect("CreateToken's body is JSON");
    assert_eq!(create_token["grantType"], "refresh_token");
    assert_eq!(create_token["refreshToken"], "e2e-refresh-token");
    // Like botocore, the example keeps the new token in the cache (the files are rewritten before each run,
    // so this is the example's writing).
    let cache = scenario.dir.join("home/.aws/sso/cache").join(SSO_SESSION_CACHE);
    let cached: Value = serde_json::from_str(&std::fs::read_to_string(cache).unwrap()).unwrap();
    assert_eq!(
        cached["accessToken"], SSO_REFRESHED_TOKEN,
        "the refreshed token was not cached"
    );
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn sso_legacy_start_url() {
    let config = format!(
        "[profile e2e]\nsso_start_url = {SSO_LEGACY_START_URL}\nsso_region = us-east-1\n\
         sso_account_id = {SSO_ACCOUNT}\nsso_role_name = {SSO_ROLE}\n"
    );
    let token = json!({
        "startUrl": SSO_LEGACY_START_URL,
        "region": "us-east-1",
        "accessToken": SSO_VALID_TOKEN,
        "expiresAt": "2100-01-01T00:00:00Z",
    });
    let (scenario, fake) = sso_scenario("sso_legacy", &config, SSO_LEGACY_CACHE, &token);
    let saw = scenario.assert_same_output("sso", Some(&fake));
    assert_sso_requests(&saw, SSO_VALID_TOKEN, 0);
}

/// What the example's error must say when no provider had credentials: each provider, in order.
fn assert_lists_the_providers(stderr: &str) {
    let tried = stderr
        .split_once("Tried, in order:")
        .unwrap_or_else(|| panic!("no list of the providers tried: {stderr}"))
        .1
        .to_lowercase();
    let mut from = 0;
    for provider in ["environment", "web identity", "profile", "container", "imds"] {
        let at = tried[from..]
            .find(provider)
            .unwrap_or_else(|| panic!("{provider} is not listed (in order): {stderr}"));
        from += at + provider.len();
    }
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn nothing_configured_fails_fast_listing_the_providers() {
    let mut scenario = Scenario::new("nothing_configured");
    let (boto3, example) = scenario.assert_both_fail();
    assert!(boto3.contains("NoCredentialsError"), "boto3: {boto3}");
    assert_lists_the_providers(&example);

    // IMDS on, at a loopback port nobody listens on.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    scenario.unset("AWS_EC2_METADATA_DISABLED").set(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        &format!("http://127.0.0.1:{closed}/"),
    );
    let (boto3, example) = scenario.assert_both_fail();
    assert!(boto3.contains("NoCredentialsError"), "boto3: {boto3}");
    assert_lists_the_providers(&example);
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn credential_process_failure_shows_its_stderr() {
    const SAID: &str = "e2e: the vault is sealed";
    let scenario = credential_process_scenario("credential_process_fails", &format!("echo '{SAID}' >&2\nexit 1\n"));
    let (boto3, example) = scenario.assert_both_fail();
    assert!(boto3.contains(SAID), "boto3: {boto3}");
    assert!(example.contains(SAID), "the example: {example}");
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn assume_role_access_denied_shows_code_and_request_id() {
    // The role trusts the account root, which moto does not match with the assumer.
    let role = field(&moto().expected["roles"], "not_assumable");
    let scenario = assume_role_scenario("assume_role_denied", role);
    let (boto3, example) = scenario.assert_both_fail();
    let message = "User: arn:aws:iam::123456789012:user/assumer is not authorized to perform: sts:AssumeRole";
    assert!(
        boto3.contains("(AccessDenied)") && boto3.contains(message),
        "boto3: {boto3}"
    );
    assert!(
        example.contains("AccessDenied") && example.contains(message),
        "the example: {example}"
    );
    // moto gives the request id only in its `x-amzn-RequestId` header, a new one for each request.
    let request_id = example
        .split_once("request id")
        .map(|(_, rest)| rest.trim_start_matches([' ', ':']))
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '-').next())
        .unwrap_or_default();
    assert!(!request_id.is_empty(), "no request id: {example}");
}
