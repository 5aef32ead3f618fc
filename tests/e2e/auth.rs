//! SigV4 end to end: the generated ECS client against a moto server that checks signatures and IAM policies.
//!
//! `seed_and_describe.py --with-auth` seeds the server, creates IAM identities while moto still accepts
//! anything, then turns authentication on (`POST /moto-api/reset-auth` with `0`). From then on moto 5.2.1
//! checks every request that reaches a service's `call_action` (ECS included): it finds the access key id of
//! the `Authorization` header among its IAM users' keys (or, with `X-Amz-Security-Token`, among its AssumeRole
//! sessions, comparing the token), recomputes the SigV4 signature with botocore over the headers the request
//! says it signed, and evaluates the identity's policies for `ecs:DescribeTaskSets`.
//!
//! moto reports these failures as an awsQuery-style XML document (`<ErrorResponse><Errors><Error><Code>`),
//! status 403, with no `X-Amzn-ErrorType` header, even for awsJson services such as ECS (real ECS answers in
//! JSON: `UnrecognizedClientException`, `InvalidSignatureException`, `AccessDeniedException`). botocore reads
//! no code from it either: boto3 reports the code `403` with the XML as the message. The generated client
//! returns it as `SdkError::Response` (an error response that names no code and is not JSON), keeping the
//! status, headers (request id) and body, and these tests read moto's code from that body.
//!
//! All tests here share one server (its authentication switch is global); `moto.rs` uses its own, open one.

mod common;

use awsgen_ecs::config::RetryConfig;
use awsgen_ecs::error::SdkError;
use awsgen_ecs::error::TransportError;
use awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsError;
use awsgen_ecs::test_util::http::HeaderMap;
use awsgen_ecs::transport::{BoxFuture, HttpRequest, HttpResponse, HyperTransport, Transport};
use awsgen_ecs::{Client, Config, Credentials};
use common::{assert_calls_match_boto3, describe_request, shared, Seed};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The HTTPS transport a client gets by default, keeping the headers of every request it sends: one entry
/// per attempt, so the tests also see that nothing was retried.
#[derive(Clone, Debug, Default)]
struct Recording {
    inner: HyperTransport,
    sent: Arc<Mutex<Vec<HeaderMap>>>,
}

impl Recording {
    fn sent(&self) -> Vec<HeaderMap> {
        self.sent.lock().unwrap().clone()
    }
}

impl Transport for Recording {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        self.sent.lock().unwrap().push(request.headers().clone());
        self.inner.send(request)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.inner.sleep(duration)
    }
}

/// A client for the shared server, signing with `credentials` (`access_key_id`, `secret_access_key` and
/// maybe `session_token`, as the script prints them).
fn client(endpoint: &str, credentials: &Value, retry: RetryConfig) -> (Client, Recording) {
    let field = |name: &str| credentials[name].as_str().map(str::to_owned);
    let credentials = Credentials::new(
        field("access_key_id").expect("access_key_id"),
        field("secret_access_key").expect("secret_access_key"),
        field("session_token"),
    );
    let transport = Recording::default();
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(credentials)
        .retry_config(retry)
        .transport(transport.clone())
        .build();
    (Client::from_conf(config), transport)
}

/// `Credential=`, `SignedHeaders=` (split) and `Signature=` of a SigV4 `Authorization` header.
fn authorization(headers: &HeaderMap) -> (String, Vec<String>, String) {
    let value = headers["authorization"].to_str().unwrap();
    let fields = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .unwrap_or_else(|| panic!("not SigV4: {value}"));
    let part = |name: &str| {
        fields
            .split(", ")
            .find_map(|f| f.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {value}"))
            .to_owned()
    };
    let signed = part("SignedHeaders=").split(';').map(str::to_owned).collect();
    (part("Credential="), signed, part("Signature="))
}

/// Runs every seeded call with `credentials` and checks each against boto3's result under authentication
/// (the script made them with the same server's authentication on); returns what was sent.
async fn assert_authenticated_calls(credentials: &Value) -> Vec<HeaderMap> {
    let seeded = shared(Seed::WithAuth);
    // Default retries: with one recorded request per call, no failure was hidden by a retry.
    let (client, transport) = client(seeded.server.endpoint(), credentials, RetryConfig::default());
    assert_calls_match_boto3(&client, &seeded.expected).await;
    let sent = transport.sent();
    assert_eq!(sent.len(), 6, "one attempt per call");
    let key_id = credentials["access_key_id"].as_str().unwrap();
    for headers in &sent {
        let (credential, _, _) = authorization(headers);
        assert_eq!(
            credential,
            format!(
                "{key_id}/{}/us-east-1/ecs/aws4_request",
                &headers["x-amz-date"].to_str().unwrap()[..8]
            )
        );
    }
    sent
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn iam_user_key_pair_is_accepted() {
    let seeded = shared(Seed::WithAuth);
    let sent = assert_authenticated_calls(&seeded.expected["identities"]["ecs_user"]).await;
    for headers in &sent {
        assert!(!headers.contains_key("x-amz-security-token"));
    }
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn assume_role_session_token_is_sent_and_signed() {
    let seeded = shared(Seed::WithAuth);
    let role_session = &seeded.expected["identities"]["role_session"];
    let sent = assert_authenticated_calls(role_session).await;
    // moto accepted the token, so it was sent unchanged; and the client signed it (moto recomputes the
    // signature over the headers the request lists as signed, so it cannot tell on its own).
    for headers in &sent {
        assert_eq!(
            headers["x-amz-security-token"],
            role_session["session_token"].as_str().unwrap()
        );
        let (_, signed, _) = authorization(headers);
        assert!(signed.iter().any(|h| h == "x-amz-security-token"), "{signed:?}");
    }
}

/// What a rejected call must look like: one attempt, status 403, moto's `code` in the XML body, the request
/// id kept, and the same outcome as boto3's for the same credentials.
async fn assert_rejected(case: &str, code: &str) -> String {
    let seeded = shared(Seed::WithAuth);
    let boto3 = &seeded.expected["auth_errors"][case];
    assert!(boto3.is_object(), "the script made no {case} case");
    let (client, transport) = client(seeded.server.endpoint(), &boto3["credentials"], RetryConfig::disabled());
    let params = &seeded.expected["calls"]["all_with_tags"]["params"];
    let error: SdkError<DescribeTaskSetsError> = describe_request(&client, params)
        .send()
        .await
        .map(|output| panic!("{case}: moto accepted the call: {output:?}"))
        .unwrap_err();
    assert_eq!(transport.sent().len(), 1, "{case}: attempts");
    assert!(error.as_service_error().is_none(), "{case}: {error:?}");
    let SdkError::Response(response) = &error else {
        panic!("{case}: expected moto's XML error as an unparseable response, got {error:?}")
    };
    let raw = response.raw();
    assert_eq!(raw.status().as_u16(), 403, "{case}");
    assert_eq!(
        Some(u64::from(raw.status().as_u16())),
        boto3["status"].as_u64(),
        "{case}"
    );
    let body = std::str::from_utf8(raw.body()).unwrap();
    let moto_code = body
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code)
        .unwrap_or_else(|| panic!("{case}: no <Code> in {body}"));
    assert_eq!(moto_code, code, "{case}: {body}");
    // boto3 saw the same document (and, like us, no code in it).
    assert_eq!(boto3["code"], "403", "{case}");
    assert!(
        boto3["message"]
            .as_str()
            .unwrap()
            .contains(&format!("<Code>{code}</Code>")),
        "{case}: {boto3}"
    );
    let request_id = raw.headers()["x-amzn-requestid"].to_str().unwrap();
    assert!(!request_id.is_empty(), "{case}: no request id");
    body.to_owned()
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn wrong_secret_key_is_signature_does_not_match() {
    assert_rejected("wrong_secret", "SignatureDoesNotMatch").await;
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn unknown_access_key_is_invalid_client_token_id() {
    assert_rejected("unknown_access_key", "InvalidClientTokenId").await;
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn tampered_or_missing_session_token_is_invalid_client_token_id() {
    assert_rejected("tampered_session_token", "InvalidClientTokenId").await;
    assert_rejected("missing_session_token", "InvalidClientTokenId").await;
}

#[tokio::test]
#[ignore = "needs moto[server] and boto3; run by .ci/run"]
async fn identity_without_ecs_permission_is_access_denied() {
    // moto enforces IAM policies for ECS, but says so with the IAM code `AccessDenied` in XML, not ECS's
    // modelled `AccessDeniedException` in JSON, so the typed `is_access_denied_exception()` cannot be reached.
    let body = assert_rejected("no_ecs_permission", "AccessDenied").await;
    assert!(
        body.contains("user/no-ecs-user is not authorized to perform: ecs:DescribeTaskSets"),
        "{body}"
    );
}
