//! The generated ECS client against a real local server (moto, from PyPI), compared with what boto3 gets for
//! the same calls: every field of every task set, and the errors.
//!
//! Needs Python with `moto[server]` and `boto3` (`.ci/run` installs them in `.venv`); `AWSGEN_PYTHON` names
//! the interpreter (default `python3`). Ignored by a plain `cargo test`; `.ci/run` runs it with `--ignored`.

mod common;

use awsgen_ecs::Client;
use common::{assert_calls_match_boto3, seed_and_describe, MotoServer, Seed};

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn describe_task_sets_matches_boto3() {
    // Its own server, with moto's default of accepting any credentials (`auth.rs` turns checking on).
    let server = MotoServer::start();
    let expected = seed_and_describe(server.endpoint(), Seed::Open);
    let config = awsgen_test_support::config().endpoint_url(server.endpoint()).build();
    assert_calls_match_boto3(&Client::from_conf(config), &expected).await;
}
