//! The generated ECS crate, used the way a downstream crate uses it: the fluent call over an in-memory
//! transport, realistic response bodies, every modelled error, validation, enums, timestamps.

use awsgen_ecs::error::SdkError;
use awsgen_ecs::operation::describe_task_sets::{DescribeTaskSetsError, DescribeTaskSetsInput, DescribeTaskSetsOutput};
use awsgen_ecs::primitives::DateTime;
use awsgen_ecs::test_util::StubTransport;
use awsgen_ecs::types::{AssignPublicIp, LaunchType, ScaleUnit, StabilityStatus, TaskSetField};
use awsgen_ecs::{Client, Config, Credentials};
use serde_json::{json, Value};
use std::time::Duration;

const FULL_RESPONSE: &str = include_str!("fixtures/describe_task_sets_full.json");

fn client_answering(status: u16, headers: &[(&str, &str)], body: &str) -> (Client, StubTransport) {
    let (headers, body): (Vec<(String, String)>, String) = (
        headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body.to_owned(),
    );
    let transport = StubTransport::new(move |_request| {
        let mut response = awsgen_ecs::test_util::http::Response::builder().status(status);
        for (name, value) in &headers {
            response = response.header(name.as_str(), value.as_str());
        }
        response.body(body.clone().into_bytes()).unwrap()
    });
    (Client::from_conf(config_with(transport.clone())), transport)
}

/// The test configuration (fixed credentials, millisecond backoff) in `us-west-2`, over `transport`.
fn config_with(transport: StubTransport) -> Config {
    awsgen_test_support::config()
        .region("us-west-2")
        .transport(transport)
        .build()
}

fn describe(client: &Client) -> Result<DescribeTaskSetsOutput, SdkError<DescribeTaskSetsError>> {
    pollster::block_on(
        client
            .describe_task_sets()
            .cluster("MyCluster")
            .service("MyService")
            .task_sets("ecs-svc/1234567890123456789")
            .task_sets("ecs-svc/9876543210987654321")
            .include(TaskSetField::Tags)
            .send(),
    )
}

#[test]
fn the_fluent_call_sends_an_awsjson_1_1_request() {
    let (client, transport) = client_answering(200, &[], "{}");
    describe(&client).unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri().to_string(), "https://ecs.us-west-2.amazonaws.com/");
    assert_eq!(
        request.headers()["x-amz-target"],
        "AmazonEC2ContainerServiceV20141113.DescribeTaskSets"
    );
    assert_eq!(request.headers()["content-type"], "application/x-amz-json-1.1");
    let body: Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        json!({
            "cluster": "MyCluster",
            "service": "MyService",
            "taskSets": ["ecs-svc/1234567890123456789", "ecs-svc/9876543210987654321"],
            "include": ["TAGS"]
        })
    );
}

#[test]
fn a_full_response_parses_into_typed_values() {
    let (client, _) = client_answering(200, &[("x-amzn-requestid", "req-1")], FULL_RESPONSE);
    let output = describe(&client).unwrap();
    let sets = output.task_sets();
    assert_eq!(sets.len(), 3);

    let first = &sets[0];
    assert_eq!(first.id(), Some("ecs-svc/1234567890123456789"));
    assert_eq!(first.status(), Some("PRIMARY"));
    assert_eq!(
        (
            first.computed_desired_count(),
            first.pending_count(),
            first.running_count()
        ),
        (3, 1, 2)
    );
    assert_eq!(first.launch_type(), Some(&LaunchType::Fargate));
    let created = first.created_at().unwrap();
    assert_eq!(created.secs(), 1_557_207_715);
    assert_eq!(created.subsec_nanos(), 195_000_000);
    assert_eq!(first.updated_at(), Some(&DateTime::from_secs(1_557_207_805)));
    assert_eq!(first.stability_status_at().unwrap().to_string(), "2019-05-07T05:46:40Z");
    let strategy = first.capacity_provider_strategy();
    assert_eq!(strategy.len(), 2);
    assert_eq!(
        (
            strategy[0].capacity_provider(),
            strategy[0].weight(),
            strategy[0].base()
        ),
        (Some("FARGATE_SPOT"), 4, 1)
    );
    assert_eq!(
        strategy[1].base(),
        0,
        "an absent non-boxed integer reads as its default"
    );
    let vpc = first.network_configuration().unwrap().awsvpc_configuration().unwrap();
    assert_eq!(vpc.subnets(), ["subnet-12344321", "subnet-43211234"]);
    assert_eq!(vpc.assign_public_ip(), Some(&AssignPublicIp::Enabled));
    let balancers = first.load_balancers();
    assert_eq!(balancers[0].container_port(), Some(80));
    assert_eq!(
        balancers[0].advanced_configuration().unwrap().role_arn(),
        Some("arn:aws:iam::123456789012:role/ecsInfrastructureRole")
    );
    assert_eq!(balancers[1].load_balancer_name(), Some("classic-lb"));
    assert_eq!(balancers[1].target_group_arn(), None);
    assert_eq!(first.service_registries()[0].port(), Some(8080));
    let scale = first.scale().unwrap();
    assert_eq!((scale.value(), scale.unit()), (50.5, Some(&ScaleUnit::Percent)));
    assert_eq!(first.stability_status(), Some(&StabilityStatus::SteadyState));
    let tags: Vec<(Option<&str>, Option<&str>)> = first.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(tags, [(Some("team"), Some("payments")), (Some("env"), Some("prod"))]);
    assert_eq!(
        first.fargate_ephemeral_storage().unwrap().kms_key_id(),
        Some("arn:aws:kms:us-west-2:123456789012:key/abcd")
    );

    // Values added to the API after generation survive, and `null` reads as absent.
    let second = &sets[1];
    assert_eq!(second.launch_type().unwrap().as_str(), "QUANTUM_COMPUTER");
    assert!(matches!(second.launch_type(), Some(LaunchType::Unknown(_))));
    assert_eq!(
        second.scale().unwrap().unit().unwrap().as_str(),
        "PERCENT_OF_SOMETHING_NEW"
    );
    assert_eq!(second.network_configuration(), None);
    assert!(second.tags().is_empty());

    let minimal = &sets[2];
    assert_eq!(
        (
            minimal.computed_desired_count(),
            minimal.created_at(),
            minimal.tags().len()
        ),
        (0, None, 0)
    );

    assert_eq!(output.failures()[0].reason(), Some("MISSING"));
}

#[test]
fn responses_round_trip_through_serde() {
    let output: DescribeTaskSetsOutput = serde_json::from_str(FULL_RESPONSE).unwrap();
    let written = serde_json::to_value(&output).unwrap();
    let reread: DescribeTaskSetsOutput = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(reread, output);

    // The wire form is the model's: member names as modelled, unknown enum values as received, timestamps as
    // epoch seconds, absent members not written, unknown fields dropped.
    let second = &written["taskSets"][1];
    assert_eq!(second["launchType"], "QUANTUM_COMPUTER");
    assert_eq!(second["createdAt"], 1557207000);
    assert!(second.get("networkConfiguration").is_none());
    assert!(second.get("someFieldFromTheFuture").is_none());
    let first = &written["taskSets"][0];
    assert_eq!(
        first["capacityProviderStrategy"][1],
        json!({"capacityProvider": "FARGATE", "weight": 1})
    );
    let created = first["createdAt"].as_f64().unwrap();
    assert!((created - 1557207715.195).abs() < 1e-6, "{created}");
    assert_eq!(written["taskSets"][2], json!({"id": "ecs-svc/minimal"}));
}

/// Every modelled error, in each form the awsJson protocol names errors.
#[test]
fn each_modelled_error_parses_to_its_variant() {
    type IsVariant = fn(&DescribeTaskSetsError) -> bool;
    let cases: &[(&str, IsVariant)] = &[
        (
            "AccessDeniedException",
            DescribeTaskSetsError::is_access_denied_exception,
        ),
        ("ClientException", DescribeTaskSetsError::is_client_exception),
        (
            "ClusterNotFoundException",
            DescribeTaskSetsError::is_cluster_not_found_exception,
        ),
        (
            "InvalidParameterException",
            DescribeTaskSetsError::is_invalid_parameter_exception,
        ),
        ("ServerException", DescribeTaskSetsError::is_server_exception),
        (
            "ServiceNotActiveException",
            DescribeTaskSetsError::is_service_not_active_exception,
        ),
        (
            "ServiceNotFoundException",
            DescribeTaskSetsError::is_service_not_found_exception,
        ),
        (
            "UnsupportedFeatureException",
            DescribeTaskSetsError::is_unsupported_feature_exception,
        ),
    ];
    for (code, is_variant) in cases {
        let forms: Vec<(Vec<(&str, String)>, String)> = vec![
            (vec![], json!({"__type": code, "message": "it broke"}).to_string()),
            (vec![], json!({"__type": format!("com.amazonaws.ecs#{code}"), "Message": "it broke"}).to_string()),
            (vec![], json!({"code": format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/"), "message": "it broke"}).to_string()),
            (vec![("x-amzn-errortype", format!("{code}:http://internal.amazon.com/"))], json!({"message": "it broke"}).to_string()),
        ];
        for (headers, body) in forms {
            let mut all_headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            all_headers.push(("x-amzn-requestid", "b6e9a4f5-1234"));
            let status = if *code == "ServerException" { 500 } else { 400 };
            let (client, _) = client_answering(status, &all_headers, &body);
            let error = describe(&client).unwrap_err();
            let SdkError::Service(service_error) = &error else {
                panic!("{code}: expected a service error, got {error:?}")
            };
            assert!(
                is_variant(service_error.err()),
                "{code} via {body}: got {:?}",
                service_error.err()
            );
            assert_eq!(service_error.meta().code(), Some(*code));
            assert_eq!(service_error.meta().message(), Some("it broke"));
            assert_eq!(service_error.meta().request_id(), Some("b6e9a4f5-1234"));
            assert_eq!(service_error.raw().status().as_u16(), status);
            assert_eq!(service_error.err().to_string(), format!("{code}: it broke"));
        }
    }
}

#[test]
fn exceptions_are_structs_with_their_message() {
    let (client, _) = client_answering(
        400,
        &[],
        r#"{"__type":"ClusterNotFoundException","message":"Cluster not found."}"#,
    );
    let error = describe(&client).unwrap_err().into_service_error().unwrap();
    let DescribeTaskSetsError::ClusterNotFoundException(exception) = error else {
        panic!("{error:?}")
    };
    assert_eq!(exception.message(), Some("Cluster not found."));
    let as_std_error: &dyn std::error::Error = &exception;
    assert_eq!(as_std_error.to_string(), "ClusterNotFoundException: Cluster not found.");
}

#[test]
fn an_unmodelled_error_is_unhandled_with_its_code() {
    let (client, _) = client_answering(
        400,
        &[],
        r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
    );
    let error = describe(&client).unwrap_err().into_service_error().unwrap();
    assert!(error.is_unhandled(), "{error:?}");
    let DescribeTaskSetsError::Unhandled(unhandled) = &error else {
        unreachable!()
    };
    assert_eq!(unhandled.meta().code(), Some("ThrottlingException"));
    assert_eq!(unhandled.meta().message(), Some("Rate exceeded"));
}

#[test]
fn an_unparseable_response_keeps_status_and_body() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let (client, _) = client_answering(502, &[("x-amzn-requestid", "r-9")], html);
    match describe(&client).unwrap_err() {
        SdkError::Response(response) => {
            assert_eq!(response.raw().status().as_u16(), 502);
            assert_eq!(response.raw().body(), html.as_bytes());
        }
        other => panic!("expected a response error, got {other:?}"),
    }
    let (client, _) = client_answering(200, &[], r#"{"taskSets": [{"id": 5}]}"#);
    assert!(matches!(describe(&client).unwrap_err(), SdkError::Response(_)));
}

#[test]
fn missing_required_members_fail_before_sending() {
    let (client, transport) = client_answering(200, &[], "{}");
    let error = pollster::block_on(client.describe_task_sets().service("s").send()).unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(error.to_string().contains("cluster"), "{error}");
    assert!(transport.requests().is_empty(), "nothing may be sent");

    let build_error = DescribeTaskSetsInput::builder().service("s").build().unwrap_err();
    assert_eq!(build_error.field(), "cluster");

    // A value made without the builder (e.g. deserialized) is checked by validate(), all violations at once.
    let input: DescribeTaskSetsInput = serde_json::from_str("{}").unwrap();
    let errors = input.validate().unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path()).collect();
    assert_eq!(paths, ["cluster", "service"]);
}

#[test]
fn enums_know_their_values_and_keep_unknown_ones() {
    assert_eq!(LaunchType::from("FARGATE"), LaunchType::Fargate);
    assert_eq!(LaunchType::Ec2.as_str(), "EC2");
    assert!(LaunchType::values().contains(&"EXTERNAL"));
    assert!(
        LaunchType::values().contains(&"MANAGED_INSTANCES"),
        "current botocore values"
    );
    let unknown = LaunchType::from("SOMETHING_NEW");
    assert_eq!(unknown.as_str(), "SOMETHING_NEW");
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""SOMETHING_NEW""#);
    assert_eq!("FARGATE".parse::<LaunchType>().unwrap(), LaunchType::Fargate);
    assert_eq!(TaskSetField::Tags.to_string(), "TAGS");
}

#[test]
fn config_errors_are_clear_and_nothing_is_sent() {
    let transport = StubTransport::json(200, "{}");
    let config = Config::builder()
        .region("us-east-1")
        .transport(transport.clone())
        .build();
    let error = pollster::block_on(
        Client::from_conf(config)
            .describe_task_sets()
            .cluster("c")
            .service("s")
            .send(),
    )
    .unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)));
    assert!(error.to_string().contains("no AWS credentials"), "{error}");
    assert!(transport.requests().is_empty());
}

#[test]
fn requests_are_signed_and_throttling_is_retried() {
    use awsgen_ecs::operation::RequestId;
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = attempts.clone();
    let transport = StubTransport::new(move |_| {
        let (status, body) = match counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            0 => (400, r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#),
            _ => (200, r#"{"taskSets":[{"id":"ts-1"}]}"#),
        };
        awsgen_ecs::test_util::http::Response::builder()
            .status(status)
            .header("x-amzn-requestid", format!("req-{status}"))
            .body(body.as_bytes().to_vec())
            .unwrap()
    });
    let client = Client::from_conf(config_with(transport.clone()));
    let output = describe(&client).unwrap();
    assert_eq!(output.task_sets()[0].id(), Some("ts-1"));
    assert_eq!(output.request_id(), Some("req-200"));
    let requests = transport.requests();
    assert_eq!(requests.len(), 2, "one throttled attempt, one success");
    let authorization = requests[1].headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential={}/",
            awsgen_test_support::ACCESS_KEY_ID
        )),
        "{authorization}"
    );
    assert!(authorization.contains("/us-west-2/ecs/aws4_request"), "{authorization}");
    assert!(requests[1].headers().contains_key("x-amz-date"));
}

/// The README's stubbing example, as written there: only `awsgen_ecs` paths, a closure stub and a static one.
#[test]
fn the_readme_stub_example_works_with_the_generated_crate_alone() {
    use awsgen_ecs::test_util::{http, StubTransport};
    let stub = StubTransport::new(|request| {
        let status = if request.body().windows(7).any(|w| w == b"missing") {
            400
        } else {
            200
        };
        let body = if status == 200 {
            r#"{"taskSets":[]}"#
        } else {
            r#"{"__type":"ClusterNotFoundException"}"#
        };
        http::Response::builder()
            .status(status)
            .body(body.as_bytes().to_vec())
            .unwrap()
    });
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(stub.clone())
        .build();
    let client = Client::from_conf(config);
    let output = client
        .describe_task_sets()
        .cluster("c")
        .service("s")
        .send_blocking()
        .unwrap();
    assert!(output.task_sets().is_empty());
    let err = client
        .describe_task_sets()
        .cluster("missing")
        .service("s")
        .send_blocking()
        .unwrap_err();
    assert!(err.as_service_error().unwrap().is_cluster_not_found_exception());
    assert_eq!(stub.requests().len(), 2);

    let fixed = StubTransport::json(200, r#"{"taskSets":[]}"#);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "SECRET", None))
        .transport(fixed.clone())
        .build();
    Client::from_conf(config)
        .describe_task_sets()
        .cluster("c")
        .service("s")
        .send_blocking()
        .unwrap();
    assert_eq!(fixed.requests().len(), 1);
}

/// The README's provider example, as written there: a downstream source of credentials plugged into the loader.
#[test]
fn the_readme_provider_example_works_with_the_generated_crate_alone() {
    use awsgen_ecs::config::credentials::{BoxFuture, CredentialsError, ProvideCredentials, ProviderContext};
    use awsgen_ecs::config::Env;

    #[derive(Debug)]
    struct FromVault;

    impl ProvideCredentials for FromVault {
        fn provide_credentials<'a>(
            &'a self,
            _ctx: &'a ProviderContext,
        ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
            Box::pin(async move { Ok(Credentials::new("AKIDVAULT", "SECRET", None)) })
        }
    }

    let stub = StubTransport::json(200, r#"{"taskSets":[]}"#);
    let env = Env::from_pairs(&[("AWS_REGION", "eu-west-1"), ("AWS_EC2_METADATA_DISABLED", "true")]);
    let config = Config::loader()
        .env(env)
        .credentials_provider(FromVault)
        .transport(stub.clone())
        .load()
        .unwrap();
    describe(&Client::from_conf(config)).unwrap();
    let authorization = stub.requests()[0].headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDVAULT/"),
        "{authorization}"
    );
}

/// A provider whose credentials expire, under 100 concurrent blocking calls of one client: one fetch, then one
/// refresh five minutes before expiry, every request signed with the credentials current at its time.
#[test]
fn a_hundred_concurrent_calls_share_one_fetch_and_refresh_ahead_of_expiry() {
    use awsgen_ecs::config::credentials::{
        BoxFuture, CredentialsError, ManualClock, ProvideCredentials, ProviderContext,
    };
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    use std::time::SystemTime;

    #[derive(Debug, Default)]
    struct Expiring(AtomicU32);

    impl ProvideCredentials for Expiring {
        fn provide_credentials<'a>(
            &'a self,
            ctx: &'a ProviderContext,
        ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                // Slow enough that the other callers arrive while this one fetches.
                std::thread::sleep(Duration::from_millis(100));
                let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
                Ok(Credentials::new(format!("AKID{n}"), "SECRET", Some("TOKEN".into()))
                    .with_expiry(ctx.now() + Duration::from_secs(3600)))
            })
        }
    }

    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let provider = Arc::new(Expiring::default());
    let stub = StubTransport::json(200, r#"{"taskSets":[]}"#);
    let config = Config::builder()
        .region("us-west-2")
        .credentials_provider(provider.clone())
        .time_source(clock.clone())
        .transport(stub.clone())
        .build();
    let client = Client::from_conf(config);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || describe(&client).map(|_| ()))
        })
        .collect();
    for call in calls {
        call.join().unwrap().unwrap();
    }
    assert_eq!(provider.0.load(Ordering::SeqCst), 1);
    clock.advance(Duration::from_secs(3600 - 301));
    describe(&client).unwrap();
    assert_eq!(
        provider.0.load(Ordering::SeqCst),
        1,
        "still fresh five minutes and a second before expiry"
    );
    clock.advance(Duration::from_secs(1));
    describe(&client).unwrap();
    assert_eq!(
        provider.0.load(Ordering::SeqCst),
        2,
        "refreshed five minutes before expiry"
    );
    let signed_with: Vec<String> = stub
        .requests()
        .iter()
        .map(|r| {
            let authorization = r.headers()["authorization"].to_str().unwrap();
            let credential = authorization.split("Credential=").nth(1).unwrap();
            credential.split('/').next().unwrap().to_owned()
        })
        .collect();
    assert_eq!(signed_with.len(), 102);
    assert!(signed_with[..101].iter().all(|key| key == "AKID1"), "{signed_with:?}");
    assert_eq!(signed_with[101], "AKID2");
}

/// Endpoints come from the model's rule set, with the settings the example reads through `Config::from_env`:
/// FIPS, dual-stack and the partition of the region (URLs as botocore's resolver gives them for ECS).
#[test]
fn endpoints_follow_the_rule_set_with_fips_dual_stack_and_partitions() {
    use awsgen_ecs::config::Env;
    let sent_to = |vars: &[(&str, &str)]| {
        let stub = StubTransport::json(200, r#"{"taskSets":[]}"#);
        let base = [
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ];
        let pairs: Vec<(&str, &str)> = base.iter().chain(vars).copied().collect();
        let config = Config::loader()
            .env(Env::from_pairs(&pairs))
            .transport(stub.clone())
            .load()
            .unwrap();
        describe(&Client::from_conf(config)).map(|_| stub.requests()[0].uri().to_string())
    };
    let fips = ("AWS_USE_FIPS_ENDPOINT", "true");
    let dual_stack = ("AWS_USE_DUALSTACK_ENDPOINT", "true");
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("AWS_REGION", "us-east-1")], "https://ecs.us-east-1.amazonaws.com/"),
        (
            &[("AWS_REGION", "us-east-1"), fips],
            "https://ecs-fips.us-east-1.amazonaws.com/",
        ),
        (
            &[("AWS_REGION", "us-east-1"), dual_stack],
            "https://ecs.us-east-1.api.aws/",
        ),
        (
            &[("AWS_REGION", "us-east-1"), fips, dual_stack],
            "https://ecs-fips.us-east-1.api.aws/",
        ),
        (
            &[("AWS_REGION", "cn-north-1")],
            "https://ecs.cn-north-1.amazonaws.com.cn/",
        ),
        (
            &[("AWS_REGION", "us-gov-west-1"), fips],
            "https://ecs-fips.us-gov-west-1.amazonaws.com/",
        ),
        (
            &[("AWS_REGION", "eu-isoe-west-1")],
            "https://ecs.eu-isoe-west-1.cloud.adc-e.uk/",
        ),
        (
            &[
                ("AWS_REGION", "us-east-1"),
                ("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:1"),
            ],
            "http://127.0.0.1:1/",
        ),
    ];
    for (vars, expected) in cases {
        assert_eq!(sent_to(vars).unwrap(), *expected, "{vars:?}");
    }
    // FIPS with a custom endpoint is refused with the rule set's own message, and nothing is sent.
    let refused = sent_to(&[
        ("AWS_REGION", "us-east-1"),
        fips,
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
    ])
    .unwrap_err();
    let SdkError::Construction(construction) = &refused else {
        panic!("{refused:?}")
    };
    assert_eq!(
        construction.endpoint_error(),
        Some(&awsgen_ecs::config::endpoint::ResolveError::Rule(
            "Invalid Configuration: FIPS and custom endpoint are not supported".to_owned()
        ))
    );
}
