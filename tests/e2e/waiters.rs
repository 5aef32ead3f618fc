//! ECS's `ServicesStable` waiter (from botocore's `waiters-2.json`, in the `ecs_waiters` golden crate) against
//! moto: a service whose running count equals its desired count (with one deployment) is stable at the first
//! poll; one that is not yet stable is polled until it is (moto starts a service's tasks when it is updated);
//! a service that does not exist is the waiter's `MISSING` failure state.
//!
//! Needs Python with `moto[server]` and `boto3` (see `common`). Ignored by a plain `cargo test`.

mod common;

use common::{python, without_aws_variables, MotoServer};
use golden_ecs_waiters::client::Waiters;
use golden_ecs_waiters::Client;
use std::process::Command;
use std::time::{Duration, Instant};

/// boto3 against the server at `argv[1]`: `seed` creates cluster `waiters`, a task definition and service `web`
/// (desired count 2; moto leaves both tasks pending), `stabilize` updates it, which moto answers by running them.
const BOTO3: &str = r#"
import sys, boto3
ecs = boto3.client("ecs", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
if sys.argv[2] == "seed":
    ecs.create_cluster(clusterName="waiters")
    ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="waiters", serviceName="web", taskDefinition="web", desiredCount=2)
else:
    ecs.update_service(cluster="waiters", service="web", desiredCount=2)
"#;

fn boto3(endpoint: &str, action: &str) {
    let mut command = Command::new(python());
    without_aws_variables(&mut command);
    let output = command.args(["-c", BOTO3, endpoint, action]).output().unwrap();
    assert!(
        output.status.success(),
        "{action} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn client(server: &MotoServer) -> Client {
    Client::from_conf(awsgen_test_support::config().endpoint_url(server.endpoint()).build())
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn services_stable_waits_for_a_service_created_in_moto() {
    let server = MotoServer::start();
    boto3(server.endpoint(), "seed");
    boto3(server.endpoint(), "stabilize");
    let poll = client(&server)
        .wait_until_services_stable()
        .cluster("waiters")
        .services("web")
        .wait(Duration::from_secs(60))
        .await
        .unwrap();
    let output = poll.output().unwrap();
    let [service] = output.services() else {
        panic!("{output:?}")
    };
    assert_eq!(service.service_name(), Some("web"));
    assert_eq!((service.running_count(), service.desired_count()), (2, 2));
    assert_eq!(service.deployments().len(), 1);
    assert_eq!(poll.attempts(), 1);
}

/// Polls for real: the first poll finds the tasks pending, the service is stabilized during the wait, and the
/// next poll (after ECS's 15 s minimum delay, with jitter) finds it stable.
#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn services_stable_polls_until_the_service_is_stable() {
    let server = MotoServer::start();
    boto3(server.endpoint(), "seed");
    let started = Instant::now();
    let waiter = client(&server)
        .wait_until_services_stable()
        .cluster("waiters")
        .services("web")
        .wait(Duration::from_secs(120));
    let endpoint = server.endpoint().to_owned();
    let stabilize = async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        boto3(&endpoint, "stabilize");
    };
    let (poll, ()) = tokio::join!(waiter, stabilize);
    let poll = poll.unwrap();
    assert!(poll.attempts() >= 2, "{poll:?}");
    assert!(started.elapsed() >= Duration::from_secs(15), "{:?}", started.elapsed());
    assert_eq!(poll.output().unwrap().services()[0].running_count(), 2);
}

#[test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
fn services_stable_fails_for_a_missing_service_without_an_async_runtime() {
    let server = MotoServer::start();
    boto3(server.endpoint(), "seed");
    let error = client(&server)
        .wait_until_services_stable()
        .cluster("waiters")
        .services("nope")
        .wait_blocking(Duration::from_secs(600))
        .unwrap_err();
    assert!(error.is_failure_state(), "{error:?}");
    let output = error.last_poll().unwrap().output().unwrap();
    assert_eq!(output.failures()[0].reason(), Some("MISSING"));
}
