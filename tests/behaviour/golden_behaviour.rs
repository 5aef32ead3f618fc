//! What the edge-case golden crates do, not only what they say: validation paths and rules, union wire form,
//! timestamp formats, blobs, recursion, redaction, exceptions, and the per-operation request rules (host
//! prefixes, request compression, awsQuery compatibility) as sent through the client.

use awsgen_runtime::validation::Rule;
use serde_json::json;

mod constraints {
    use super::*;
    use golden_constraints::operation::create_thing::{CreateThingInput, CreateThingOutput};
    use golden_constraints::types::{Nested, Tag};

    fn violations(input: &CreateThingInput) -> Vec<String> {
        match input.validate() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_valid_input_passes() {
        let input = CreateThingInput::builder()
            .name("thing")
            .tags(Tag::builder().key("k").build().unwrap())
            .labels("env", "prod")
            .count(10)
            .build()
            .unwrap();
        assert_eq!(violations(&input), Vec::<String>::new());
    }

    #[test]
    fn every_violation_names_its_path_and_rule() {
        let input = CreateThingInput::builder()
            .name("thing-1")
            .tags(Tag::builder().key("ok").build().unwrap())
            .tags(Tag::builder().key("").build().unwrap())
            .tags(Tag::builder().key("toolong").build().unwrap())
            .tags(Tag::default())
            .labels("abcde", "x")
            .labels("b", "")
            .labels("c", "y")
            .secret("abc")
            .count(11)
            .nested(Nested::builder().nested_inner(0).build())
            .build()
            .unwrap();
        let errors = input.validate().unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path()).collect();
        assert_eq!(
            paths,
            [
                "name",
                "tags",
                "tags[1].key",
                "tags[2].key",
                "tags[3].key",
                "labels",
                "labels[\"abcde\"]",
                "labels[\"b\"]",
                "labels[\"b\"]",
                "secret",
                "count",
                "nested.inner.count",
            ],
            "{errors}"
        );
        let rules: Vec<&Rule> = errors.iter().map(|e| e.rule()).collect();
        assert!(matches!(rules[0], Rule::Pattern { .. }), "{:?}", rules[0]);
        assert!(matches!(rules[1], Rule::Count { .. }));
        assert!(matches!(rules[4], Rule::Required));
        assert!(matches!(rules[10], Rule::Range { .. }));
        let text = errors.to_string();
        assert!(text.contains("tags[2].key"), "{text}");
    }

    trait NestedExt {
        fn nested_inner(self, count: i32) -> Self;
    }

    impl NestedExt for golden_constraints::types::builders::NestedBuilder {
        /// `nested.inner.count = 0` (below the minimum of 1).
        fn nested_inner(self, count: i32) -> Self {
            self.inner(Nested::builder().count(count).build())
        }
    }

    #[test]
    fn lengths_count_code_points_not_bytes() {
        let input = CreateThingInput::builder()
            .name("éàü")
            .tags(Tag::builder().key("ключ").build().unwrap());
        assert_eq!(violations(&input.build().unwrap()), Vec::<String>::new());
    }

    #[test]
    fn required_members_are_enforced_by_build_and_validate() {
        let error = CreateThingInput::builder().name("x").build().unwrap_err();
        assert_eq!(error.field(), "tags");
        let input: CreateThingInput = serde_json::from_value(json!({})).unwrap();
        let paths: Vec<String> = input
            .validate()
            .unwrap_err()
            .iter()
            .map(|e| e.path().to_owned())
            .collect();
        assert_eq!(paths, ["name", "tags"]);
    }

    #[test]
    fn debug_redacts_sensitive_values() {
        let input = CreateThingInput::builder()
            .name("n")
            .tags(Tag::builder().key("k").build().unwrap())
            .secret("hunter22")
            .secrets("s3cr3t")
            .build()
            .unwrap();
        let debug = format!("{input:?}");
        assert!(!debug.contains("hunter22") && !debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("\"n\""), "{debug}");
        let builder = format!("{:?}", CreateThingInput::builder().secret("hunter22"));
        assert!(!builder.contains("hunter22"), "{builder}");
        let output: CreateThingOutput =
            serde_json::from_value(json!({"credentials": {"user": "root", "password": "pw123"}})).unwrap();
        let debug = format!("{output:?}");
        assert!(!debug.contains("pw123") && !debug.contains("root"), "{debug}");
    }
}

mod unions {
    use super::*;
    use golden_unions::operation::put_union::PutUnionOutput;
    use golden_unions::types::{Color, Pair, Value};

    fn parse(value: serde_json::Value) -> Result<PutUnionOutput, serde_json::Error> {
        serde_json::from_value(json!({ "value": value }))
    }

    #[test]
    fn each_member_round_trips() {
        let cases = [
            json!({"stringValue": "s"}),
            json!({"intValue": 7}),
            json!({"boolValue": false}),
            json!({"blobValue": "aGVsbG8="}),
            json!({"timeValue": "2019-12-16T23:48:18Z"}),
            json!({"listValue": ["a", "b"]}),
            json!({"mapValue": {"k": "v"}}),
            json!({"structValue": {"key": "k", "value": "v"}}),
            json!({"enumValue": "GREEN"}),
            json!({"unknown": "a member named unknown"}),
            json!({"doubleValue": 2.5}),
            json!({"doubleValue": "-Infinity"}),
            json!({"doubleValue": "NaN"}),
        ];
        for case in cases {
            let parsed = parse(case.clone()).unwrap();
            assert_eq!(
                serde_json::to_value(&parsed).unwrap(),
                json!({ "value": case }),
                "{case}"
            );
        }
        let parsed = parse(json!({"structValue": {"key": "k"}})).unwrap();
        assert_eq!(
            parsed.value().unwrap().as_struct_value().unwrap(),
            &Pair::builder().key("k").build().unwrap()
        );
        assert_eq!(
            parse(json!({"enumValue": "RED"})).unwrap().value(),
            Some(&Value::EnumValue(Color::Red))
        );
    }

    #[test]
    fn type_keys_and_nulls_are_skipped_and_unknown_members_kept() {
        let parsed = parse(json!({"__type": "aws.protocoltests#Value", "stringValue": null, "intValue": 3})).unwrap();
        assert_eq!(parsed.value(), Some(&Value::IntValue(3)));
        let unknown = parse(json!({"addedLater": {"x": 1}})).unwrap();
        let Some(Value::Unknown(name)) = unknown.value() else {
            panic!("{unknown:?}")
        };
        assert_eq!(name.as_str(), "addedLater");
        let error = serde_json::to_string(&unknown).unwrap_err().to_string();
        assert!(error.contains("addedLater"), "{error}");
        assert!(
            parse(json!({"intValue": 1, "boolValue": true})).is_err(),
            "two members set"
        );
        assert!(parse(json!({})).is_err(), "no member set");
    }
}

mod timestamps {
    use super::*;
    use golden_timestamps::operation::put_times::PutTimesInput;
    use golden_timestamps::primitives::DateTime;

    #[test]
    fn each_format_is_written_as_modelled() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 500_000_000);
        let input = PutTimesInput::builder()
            .default(t)
            .epoch(t)
            .iso(t)
            .http(t)
            .member_iso(t)
            .iso_list(t)
            .iso_map("k", t)
            .default_list(t)
            .build()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&input).unwrap(),
            json!({
                "default": 1576540098.5,
                "epoch": 1576540098.5,
                "iso": "2019-12-16T23:48:18.5Z",
                "http": "Mon, 16 Dec 2019 23:48:18 GMT",
                "memberIso": "2019-12-16T23:48:18.5Z",
                "isoList": ["2019-12-16T23:48:18.5Z"],
                "isoMap": {"k": "2019-12-16T23:48:18.5Z"},
                "defaultList": [1576540098.5]
            })
        );
    }

    #[test]
    fn every_format_is_read_whatever_the_model_says() {
        let input: PutTimesInput = serde_json::from_value(json!({
            "default": 1.5765400985E9,
            "iso": "2019-12-16T22:48:18-01:00",
            "http": "Mon, 16 Dec 2019 23:48:18 GMT",
            "isoList": ["2019-12-16T23:48:18.123456789Z"]
        }))
        .unwrap();
        assert_eq!(input.default().unwrap().secs(), 1_576_540_098);
        assert_eq!(input.iso().unwrap().secs(), 1_576_540_098);
        assert_eq!(input.http().unwrap().secs(), 1_576_540_098);
        assert_eq!(input.iso_list()[0].subsec_nanos(), 123_456_789);
    }
}

#[test]
fn blobs_are_base64_on_the_wire() {
    use golden_blobs::operation::put_blobs::PutBlobsInput;
    use golden_blobs::primitives::Blob;
    let input = PutBlobsInput::builder()
        .data(Blob::new(b"hello".to_vec()))
        .chunks(Blob::new(vec![0u8, 255]))
        .named("k", Blob::new(Vec::new()))
        .build()
        .unwrap();
    let value = serde_json::to_value(&input).unwrap();
    assert_eq!(
        value,
        json!({"data": "aGVsbG8=", "chunks": ["AP8="], "named": {"k": ""}})
    );
    let back: PutBlobsInput = serde_json::from_value(value).unwrap();
    assert_eq!(back.data().unwrap().as_ref(), b"hello");
    let too_long = PutBlobsInput::builder()
        .small(Blob::new(vec![0u8; 17]))
        .build()
        .unwrap();
    assert_eq!(too_long.validate().unwrap_err().iter().next().unwrap().path(), "small");
}

#[test]
fn recursive_shapes_nest_and_round_trip() {
    use golden_recursion::operation::walk::WalkOutput;
    let value = json!({
        "name": "root",
        "next": {"name": "child", "next": {"name": "grandchild"}},
        "children": [{"name": "a", "partner": {"back": {"name": "b"}}}],
        "byName": {"x": {"name": "x", "choice": {"again": {"node": {"name": "deep"}}}}}
    });
    let output: WalkOutput = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(output.next().unwrap().next().unwrap().name(), Some("grandchild"));
    assert_eq!(
        output.children()[0].partner().unwrap().back().unwrap().name(),
        Some("b")
    );
    assert_eq!(serde_json::to_value(&output).unwrap(), value);
}

#[test]
fn exceptions_read_either_message_spelling_and_legacy_codes() {
    use awsgen_runtime::error::parse_error_metadata;
    use awsgen_runtime::http::HeaderMap;
    use awsgen_runtime::protocol::OperationError;
    use golden_exceptions::operation::fail::FailError;
    // As the runtime does it: the code and message come from the response, then the enum picks the variant.
    let parse = |body: &str| {
        let meta = parse_error_metadata(&HeaderMap::new(), body.as_bytes());
        FailError::from_response(&meta, body.as_bytes()).unwrap()
    };
    let FailError::Throttled(throttled) =
        parse(r#"{"__type":"Throttled","message":"slow down","retryAfterSeconds":3}"#)
    else {
        panic!("not Throttled")
    };
    assert_eq!(
        (throttled.message(), throttled.retry_after_seconds()),
        (Some("slow down"), Some(3))
    );
    assert_eq!(
        parse(r#"{"__type":"ServerFault","Message":"boom"}"#).to_string(),
        "ServerFault: boom"
    );
    // Both spellings in one body, for a model that has both members: each keeps its own, nothing fails.
    let FailError::BothMessages(both) = parse(r#"{"__type":"BothMessages","message":"a","Message":"b"}"#) else {
        panic!("not BothMessages")
    };
    assert_eq!((both.message(), both.message_2()), (Some("a"), Some("b")));
    // A sensitive message stays out of Display as it does out of Debug.
    let secret = parse(r#"{"__type":"SecretFailure","message":"token=abc123"}"#);
    assert!(!secret.to_string().contains("abc123"), "{secret}");
    assert!(!format!("{secret:?}").contains("abc123"), "{secret:?}");
    // An `error.code` alias never steals another exception's name.
    assert!(parse(r#"{"__type":"NotFound"}"#).is_not_found());
    assert!(parse(r#"{"__type":"ShadowingCode"}"#).is_shadowing_code());
    assert!(parse(r#"{"__type":"Legacy.Coded"}"#).is_legacy_coded());
    assert!(parse(r#"{"__type":"Unhandled"}"#).is_unhandled_value());
    assert!(parse(r#"{"__type":"UnhandledException"}"#).is_unhandled_exception());
    assert!(parse(r#"{"__type":"Other"}"#).is_unhandled());
}

mod request_rules {
    use awsgen_runtime::http;
    use awsgen_runtime::transport::{HttpRequest, StubTransport};
    use golden_request_rules::types::Zone;
    use golden_request_rules::Client;
    use std::io::Read as _;

    fn client(stub: &StubTransport) -> Client {
        let config = awsgen_test_support::config()
            .endpoint_url("https://example.com")
            .transport(stub.clone())
            .build();
        Client::from_conf(config)
    }

    fn sent(stub: &StubTransport) -> HttpRequest {
        let mut requests = stub.requests();
        assert_eq!(requests.len(), 1);
        requests.remove(0)
    }

    #[test]
    fn host_prefixes_are_put_before_the_host_and_signed() {
        let stub = StubTransport::json(200, "{}");
        client(&stub)
            .discover_instances()
            .namespace_name("ns")
            .send_blocking()
            .unwrap();
        let request = sent(&stub);
        assert_eq!(request.uri(), "https://data-example.com/");
        // Every request of an awsQuery-compatible service says so.
        assert_eq!(request.headers()["x-amzn-query-mode"], "true");
        assert!(request.headers().contains_key("authorization"));

        let stub = StubTransport::json(200, "{}");
        client(&stub)
            .get_account_thing()
            .account_id("123456789012")
            .zone(Zone::A)
            .name("n")
            // Marked `hostLabel` in the model but not in this operation's prefix: an ordinary member.
            .unused("not/a label")
            .send_blocking()
            .unwrap();
        assert_eq!(sent(&stub).uri(), "https://123456789012.a.control.example.com/");
        // An enum value the model does not list is still a label when it is a valid one.
        let stub = StubTransport::json(200, "{}");
        client(&stub)
            .get_account_thing()
            .account_id("123456789012")
            .zone(Zone::from("c-1"))
            .name("n")
            .send_blocking()
            .unwrap();
        assert_eq!(sent(&stub).uri(), "https://123456789012.c-1.control.example.com/");
    }

    #[test]
    fn a_host_label_that_is_not_a_dns_label_is_refused_before_sending() {
        let stub = StubTransport::json(200, "{}");
        let err = client(&stub)
            .get_account_thing()
            .account_id("evil.example/")
            .zone(Zone::B)
            .name("n")
            .send_blocking()
            .unwrap_err();
        let awsgen_runtime::error::SdkError::Construction(construction) = &err else {
            panic!("{err:?}")
        };
        let errors = construction.validation_errors().expect("validation errors");
        let found: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.path(), e.rule())).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].starts_with("AccountId: value becomes part of the endpoint's hostname"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("AccountId: length 13 is greater than the maximum 12"),
            "{found:?}"
        );
        assert!(
            found[2].starts_with("AccountId: value does not match the pattern"),
            "{found:?}"
        );
        let bad_enum = client(&stub)
            .get_account_thing()
            .account_id("123456789012")
            .zone(Zone::from("a/b"))
            .name("n")
            .send_blocking()
            .unwrap_err();
        assert!(
            bad_enum
                .to_string()
                .contains("Zone: value becomes part of the endpoint's hostname"),
            "{bad_enum}"
        );
        // `Zone` is not required in the model, but the host cannot be made without it, so the builder asks.
        let no_zone = client(&stub)
            .get_account_thing()
            .account_id("123456789012")
            .name("n")
            .send_blocking()
            .unwrap_err();
        assert!(
            no_zone
                .to_string()
                .contains("`zone` is required to build `GetAccountThingInput`"),
            "{no_zone}"
        );
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn large_bodies_of_compressible_operations_are_gzipped() {
        let stub = StubTransport::json(200, "{}");
        let data: Vec<String> = (0..2_000).map(|i| format!("metric-{i}")).collect();
        client(&stub)
            .put_metric_data()
            .namespace("ns")
            .set_data(Some(data.clone()))
            .send_blocking()
            .unwrap();
        let request = sent(&stub);
        assert_eq!(request.headers()["content-encoding"], "gzip");
        assert_eq!(
            request.headers()["content-length"],
            request.body().len().to_string().as_str()
        );
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(request.body().as_slice())
            .read_to_end(&mut json)
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(body["Namespace"], "ns");
        assert_eq!(body["Data"], serde_json::json!(data));

        // Small bodies, and operations without the trait, are sent as they are.
        let stub = StubTransport::json(200, "{}");
        client(&stub).put_metric_data().namespace("ns").send_blocking().unwrap();
        let request = sent(&stub);
        assert!(request.headers().get("content-encoding").is_none());
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(body["Namespace"], "ns");
    }

    #[test]
    fn required_idempotency_tokens_are_filled_once_per_call_and_kept_across_retries() {
        use golden_request_rules::operation::put_metric_data::PutMetricDataInput;
        // Required in the model, but the client fills it: neither `build()` nor `validate()` asks for it.
        let input = PutMetricDataInput::builder().namespace("ns").build().unwrap();
        assert_eq!(input.validate(), Ok(()));

        let attempts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = attempts.clone();
        let stub = StubTransport::new(move |_| {
            let status = if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                503
            } else {
                200
            };
            http::Response::builder().status(status).body(b"{}".to_vec()).unwrap()
        });
        let config = awsgen_test_support::config()
            .endpoint_url("https://example.com")
            .transport(stub.clone())
            .build();
        let client = Client::from_conf(config);
        client.put_metric_data().namespace("ns").send_blocking().unwrap();
        client
            .put_metric_data()
            .namespace("ns")
            .client_token("mine")
            .send_blocking()
            .unwrap();
        let tokens: Vec<String> = stub
            .requests()
            .iter()
            .map(|r| {
                serde_json::from_slice::<serde_json::Value>(r.body()).unwrap()["ClientToken"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(tokens.len(), 3, "a 503, its retry, then the second call");
        assert_eq!(tokens[0].len(), 36);
        assert_eq!(tokens[0], tokens[1], "a retry is the same call, so it keeps its token");
        assert_eq!(tokens[2], "mine");
    }

    fn query_error(code: &str, json_type: &str) -> StubTransport {
        let response = http::Response::builder()
            .status(400)
            .header("x-amzn-query-error", code)
            .header("x-amzn-requestid", "req-1")
            .body(format!(r#"{{"__type": "com.amazonaws.golden#{json_type}", "message": "bad"}}"#).into_bytes())
            .unwrap();
        StubTransport::with_response(response)
    }

    /// The service error `PutMetricData` gets from a stub that answers with `query_error(..)`.
    fn service_error(
        stub: &StubTransport,
    ) -> awsgen_runtime::error::ServiceError<golden_request_rules::operation::put_metric_data::PutMetricDataError> {
        match client(stub).put_metric_data().namespace("ns").send_blocking() {
            Err(awsgen_runtime::error::SdkError::Service(service)) => service,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_keep_their_awsquery_code_and_are_typed_by_shape() {
        let service = service_error(&query_error(
            "InvalidParameterValue;Sender",
            "InvalidParameterValueException",
        ));
        assert!(service.err().is_invalid_parameter_value_exception(), "{service:?}");
        assert_eq!(service.meta().code(), Some("InvalidParameterValue"));
        assert_eq!(service.meta().json_code(), Some("InvalidParameterValueException"));
        assert_eq!(service.meta().message(), Some("bad"));
        assert_eq!(service.meta().request_id(), Some("req-1"));

        // A shape with no awsQuery code in the model (as SQS's) is still found by its name.
        let service = service_error(&query_error("AWS.Golden.NoSuchThing;Sender", "ThingNotFound"));
        assert!(service.err().is_thing_not_found(), "{service:?}");
        assert_eq!(service.meta().code(), Some("AWS.Golden.NoSuchThing"));
    }
}

/// Endpoint rules that read the operation: its constant parameters and its members marked `contextParam`; the
/// resolved endpoint's headers and signing scope reach the request.
mod endpoint_rules {
    use awsgen_runtime::transport::{HttpRequest, StubTransport};
    use golden_endpoint_rules::types::Kind;
    use golden_endpoint_rules::Client;

    fn client(stub: &StubTransport, fips: bool) -> Client {
        let config = awsgen_test_support::config()
            .region("us-west-2")
            .use_fips(fips)
            .transport(stub.clone())
            .build();
        Client::from_conf(config)
    }

    fn sent(stub: &StubTransport) -> HttpRequest {
        let mut requests = stub.requests();
        assert_eq!(requests.len(), 1);
        requests.remove(0)
    }

    #[test]
    fn static_parameters_differ_per_operation() {
        let stub = StubTransport::json(200, "{}");
        client(&stub, false).list_things().send_blocking().unwrap();
        assert_eq!(sent(&stub).uri(), "https://control.golden.us-west-2.example.com/");
        let stub = StubTransport::json(200, "{}");
        client(&stub, false).get_thing().send_blocking().unwrap();
        assert_eq!(sent(&stub).uri(), "https://data.golden.us-west-2.example.com/");
        let stub = StubTransport::json(200, "{}");
        client(&stub, true).get_thing().send_blocking().unwrap();
        assert_eq!(sent(&stub).uri(), "https://golden-fips.us-west-2.example.com/");
    }

    #[test]
    fn members_bind_parameters_with_headers_and_signing_scope_from_the_endpoint() {
        let stub = StubTransport::json(200, "{}");
        client(&stub, false)
            .get_thing()
            .thing_arn("arn:aws:golden:eu-central-1:123456789012:thing/t")
            .send_blocking()
            .unwrap();
        let request = sent(&stub);
        assert_eq!(
            request.uri(),
            "https://123456789012.data.golden.eu-central-1.example.com/"
        );
        assert_eq!(request.headers()["x-golden-plane"], "data");
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(
            authorization.contains("/eu-central-1/golden-arn/aws4_request"),
            "signed with the endpoint's scope: {authorization}"
        );

        // Booleans and enums bind too; an unset member leaves its parameter unset.
        let stub = StubTransport::json(200, "{}");
        client(&stub, false)
            .get_thing()
            .fast(true)
            .kind(Kind::Large)
            .note("not a parameter")
            .send_blocking()
            .unwrap();
        assert_eq!(sent(&stub).uri(), "https://fast-large.golden.us-west-2.example.com/");
    }

    #[test]
    fn an_error_rule_stops_the_call_with_its_message() {
        let stub = StubTransport::json(200, "{}");
        let error = client(&stub, false)
            .get_thing()
            .thing_arn("not-an-arn")
            .send_blocking()
            .unwrap_err();
        let construction = match &error {
            golden_endpoint_rules::error::SdkError::Construction(construction) => construction,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            construction.endpoint_error(),
            Some(&golden_endpoint_rules::config::endpoint::ResolveError::Rule(
                "ResourceArn is not an ARN: not-an-arn".to_owned()
            ))
        );
        assert!(stub.requests().is_empty());
    }
}

mod naming {
    use awsgen_runtime::http;
    use awsgen_runtime::transport::{HttpResponse, StubTransport};
    use golden_naming::operation::RequestId as _;
    use golden_naming::Client;

    /// An output member called `RequestId` is renamed, so that `request_id()` stays the trait's: the id of the
    /// response, from its header.
    #[test]
    fn a_request_id_member_does_not_shadow_the_request_id() {
        let mut response = HttpResponse::new(br#"{"RequestId": "from-the-body"}"#.to_vec());
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        response
            .headers_mut()
            .insert("x-amzn-requestid", http::HeaderValue::from_static("from-the-header"));
        let config = awsgen_test_support::config()
            .endpoint_url("https://example.com")
            .transport(StubTransport::with_response(response))
            .build();
        let output = Client::from_conf(config)
            .type_operation()
            .r#type("t")
            .send_blocking()
            .unwrap();
        assert_eq!(output.request_id_value(), Some("from-the-body"));
        assert_eq!(output.request_id(), Some("from-the-header"));
    }
}

/// Paginators over a stub service that follows the token it is sent.
mod paginators {
    use awsgen_runtime::http;
    use awsgen_runtime::transport::{HttpRequest, HttpResponse, StubTransport};
    use golden_paginators::error::SdkError;
    use golden_paginators::Client;
    use serde_json::{json, Value};

    /// A service answering each request body with `respond(body)`: (status, response body).
    fn service(respond: impl Fn(&Value) -> (u16, Value) + Send + Sync + 'static) -> StubTransport {
        StubTransport::new(move |request: &HttpRequest| {
            let body: Value = serde_json::from_slice(request.body()).unwrap();
            let (status, reply) = respond(&body);
            let mut response = HttpResponse::new(reply.to_string().into_bytes());
            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/x-amz-json-1.1"),
            );
            response
        })
    }

    /// Three pages of things: `t1` and `t2` lead on, the last page has no token.
    fn things() -> StubTransport {
        service(|body| {
            let page = match body.get("nextToken").and_then(Value::as_str) {
                None => json!({"things": [{"name": "a"}, {"name": "b"}], "nextToken": "t1"}),
                Some("t1") => json!({"things": [{"name": "c"}], "nextToken": "t2"}),
                Some("t2") => json!({"things": [{"name": "d"}]}),
                Some(other) => panic!("unexpected token {other}"),
            };
            (200, page)
        })
    }

    fn client(stub: &StubTransport) -> Client {
        let config = awsgen_test_support::config()
            .endpoint_url("https://example.com")
            .transport(stub.clone())
            .build();
        Client::from_conf(config)
    }

    fn bodies(stub: &StubTransport) -> Vec<Value> {
        stub.requests()
            .iter()
            .map(|r| serde_json::from_slice(r.body()).unwrap())
            .collect()
    }

    fn names(things: &[golden_paginators::types::Thing]) -> Vec<&str> {
        things.iter().map(|t| t.name().unwrap()).collect()
    }

    #[test]
    fn pages_follow_the_token_and_keep_the_input() {
        let stub = things();
        let paginator = client(&stub)
            .list_things()
            .prefix("p")
            .max_results(1)
            .into_paginator()
            .page_size(2);
        let pages = pollster::block_on(paginator.send().collect::<Result<Vec<_>, _>>()).unwrap();
        let pages: Vec<Vec<&str>> = pages.iter().map(|page| names(page.things())).collect();
        assert_eq!(pages, [vec!["a", "b"], vec!["c"], vec!["d"]]);
        // The page size replaced `max_results`; every request keeps the rest of the input.
        assert_eq!(
            bodies(&stub),
            [
                json!({"prefix": "p", "maxResults": 2}),
                json!({"prefix": "p", "maxResults": 2, "nextToken": "t1"}),
                json!({"prefix": "p", "maxResults": 2, "nextToken": "t2"}),
            ]
        );
    }

    #[test]
    fn next_yields_pages_one_request_at_a_time() {
        let stub = things();
        let mut pages = client(&stub).list_things().into_paginator().send();
        assert!(stub.requests().is_empty(), "nothing is sent before the stream is read");
        let first = pollster::block_on(pages.next()).unwrap().unwrap();
        assert_eq!(names(first.things()), ["a", "b"]);
        assert_eq!(stub.requests().len(), 1);
        let mut count = 1;
        while let Some(page) = pollster::block_on(pages.next()) {
            page.unwrap();
            count += 1;
        }
        assert_eq!((count, stub.requests().len()), (3, 3));
        assert!(pollster::block_on(pages.next()).is_none());
        assert_eq!(stub.requests().len(), 3);
    }

    #[test]
    fn items_are_flattened_in_order() {
        let stub = things();
        let items = client(&stub).list_things().into_paginator().items().send();
        let items = pollster::block_on(items.collect::<Result<Vec<_>, _>>()).unwrap();
        assert_eq!(names(&items), ["a", "b", "c", "d"]);
    }

    #[test]
    fn blocking_iterators_give_the_same_pages_and_items() {
        let stub = things();
        let paginator = client(&stub).list_things().into_paginator();
        let pages: Vec<_> = paginator.clone().send_blocking().map(Result::unwrap).collect();
        assert_eq!(pages.len(), 3);
        let items = paginator
            .items()
            .send_blocking()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(names(&items), ["a", "b", "c", "d"]);
        assert_eq!(stub.requests().len(), 6);
    }

    #[test]
    fn an_empty_token_ends_paging() {
        let stub = service(|body| match body.get("NextToken") {
            None => (200, json!({"Names": ["a"], "NextToken": "n"})),
            Some(_) => (200, json!({"Names": ["b"], "NextToken": ""})),
        });
        let pages: Vec<_> = client(&stub).list_names().into_paginator().send_blocking().collect();
        assert_eq!(pages.len(), 2);
        assert!(pages.iter().all(Result::is_ok));
        assert_eq!(stub.requests().len(), 2);
    }

    #[test]
    fn a_repeated_token_is_an_error_after_its_page() {
        let stub = service(|body| {
            let token = body.get("nextToken").and_then(Value::as_str).unwrap_or("first");
            (200, json!({"things": [{"name": token}], "nextToken": "again"}))
        });
        let mut items = client(&stub).list_things().into_paginator().items().send_blocking();
        assert_eq!(items.next().unwrap().unwrap().name(), Some("first"));
        assert_eq!(items.next().unwrap().unwrap().name(), Some("again"));
        match items.next() {
            Some(Err(SdkError::Pagination(e))) => assert_eq!(e.token(), "again"),
            other => panic!("expected a pagination error, got {other:?}"),
        }
        assert!(items.next().is_none());
        assert_eq!(stub.requests().len(), 2);
        // `collect` into a `Result` fails with it.
        let all = client(&stub)
            .list_things()
            .into_paginator()
            .items()
            .send_blocking()
            .collect::<Result<Vec<_>, _>>();
        assert!(all.unwrap_err().to_string().contains("the token it was just sent"));
    }

    #[test]
    fn an_error_is_an_item_and_ends_the_stream() {
        let stub = service(|body| match body.get("nextToken") {
            None => (200, json!({"things": [{"name": "a"}], "nextToken": "t1"})),
            Some(_) => (400, json!({"__type": "AccessDeniedException", "message": "no"})),
        });
        let items: Vec<_> = client(&stub)
            .list_things()
            .into_paginator()
            .items()
            .send_blocking()
            .collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_ref().unwrap().name(), Some("a"));
        let error = items[1].as_ref().unwrap_err();
        match error {
            SdkError::Service(e) => {
                assert!(e.err().is_unhandled());
                assert_eq!(e.meta().code(), Some("AccessDeniedException"));
            }
            other => panic!("expected the service's error, got {other:?}"),
        }
        assert_eq!(stub.requests().len(), 2);
    }

    #[test]
    fn a_build_error_is_the_first_item() {
        let stub = service(|_| panic!("nothing may be sent"));
        let mut pages = client(&stub).list_tags().into_paginator().send_blocking();
        match pages.next() {
            Some(Err(SdkError::Construction(e))) => assert!(e.to_string().contains("resource_arn")),
            other => panic!("expected a build error, got {other:?}"),
        }
        assert!(pages.next().is_none());
        // An invalid input is refused the same way, before anything is sent.
        let mut pages = client(&stub)
            .list_things()
            .max_results(0)
            .into_paginator()
            .send_blocking();
        assert!(matches!(pages.next(), Some(Err(SdkError::Construction(_)))));
    }

    #[test]
    fn map_items_and_a_nested_token() {
        let stub = service(|body| match body.get("Marker") {
            None => (
                200,
                json!({"Tags": {"a": "1", "b": "2"}, "Paging": {"NextMarker": "m"}}),
            ),
            Some(_) => (200, json!({"Tags": {"c": "3"}, "Paging": {}})),
        });
        let paginator = client(&stub)
            .list_tags()
            .resource_arn("arn")
            .into_paginator()
            .page_size(10_i64);
        let mut tags = pollster::block_on(paginator.items().send().collect::<Result<Vec<_>, _>>()).unwrap();
        tags.sort();
        let expected = [("a", "1"), ("b", "2"), ("c", "3")].map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(tags, expected);
        assert_eq!(
            bodies(&stub),
            [
                json!({"ResourceArn": "arn", "Limit": 10}),
                json!({"ResourceArn": "arn", "Limit": 10, "Marker": "m"}),
            ]
        );
    }

    #[test]
    fn a_token_and_items_through_nested_and_boxed_members() {
        // `History.truncated` is the model's `more_results`: the last page still names a token, but says no more.
        let stub = service(|body| match body.get("token") {
            None => (
                200,
                json!({"History": {"events": ["e1", "e2"], "older": {"token": "o"}, "truncated": true}}),
            ),
            Some(_) => (200, json!({"History": {"events": ["e3"], "older": {"token": "p"}}})),
        });
        let events = client(&stub)
            .describe_history()
            .into_paginator()
            .items()
            .send_blocking()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(events, ["e1", "e2", "e3"]);
        assert_eq!(bodies(&stub)[1], json!({"token": "o"}));
    }

    #[test]
    fn a_token_from_the_last_item_of_a_list_until_no_more_results() {
        // Kinesis' DescribeStream: the next page starts after the last shard of this one (`Shards[-1].ShardId`),
        // and `HasMoreShards: false` ends paging.
        let stub = service(|body| {
            let page = match body.get("ExclusiveStartShardId").and_then(Value::as_str) {
                None => json!({"Stream": {"Shards": [{"ShardId": "s1"}, {"ShardId": "s2"}], "HasMoreShards": true}}),
                Some("s2") => json!({"Stream": {"Shards": [{"ShardId": "s3"}], "HasMoreShards": false}}),
                Some(other) => panic!("unexpected token {other}"),
            };
            (200, page)
        });
        let shards = client(&stub)
            .describe_stream()
            .into_paginator()
            .items()
            .send_blocking()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let ids: Vec<&str> = shards.iter().map(|s| s.shard_id().unwrap()).collect();
        assert_eq!(ids, ["s1", "s2", "s3"]);
        assert_eq!(bodies(&stub), [json!({}), json!({"ExclusiveStartShardId": "s2"})]);
    }

    #[test]
    fn a_map_token_pages_until_the_service_leaves_it_out() {
        // DynamoDB's Query and Scan: the token is the key map `LastEvaluatedKey`, sent back as `ExclusiveStartKey`.
        let stub = service(|body| {
            let page = match body.get("ExclusiveStartKey") {
                None => json!({"Items": ["a"], "LastEvaluatedKey": {"pk": "a"}}),
                Some(key) if *key == json!({"pk": "a"}) => json!({"Items": ["b"], "LastEvaluatedKey": {"pk": "b"}}),
                Some(_) => json!({"Items": ["c"]}),
            };
            (200, page)
        });
        let items = client(&stub)
            .scan()
            .into_paginator()
            .items()
            .send_blocking()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(items, ["a", "b", "c"]);
        assert_eq!(bodies(&stub)[2], json!({"ExclusiveStartKey": {"pk": "b"}}));
        // A key that comes back is a repeated token, as a string token is.
        let stub = service(|_| (200, json!({"Items": ["a"], "LastEvaluatedKey": {"pk": "a"}})));
        let pages: Vec<_> = client(&stub).scan().into_paginator().send_blocking().collect();
        assert_eq!(pages.len(), 3);
        assert!(matches!(&pages[2], Err(SdkError::Pagination(e)) if e.token() == r#"{"pk": "a"}"#));
    }

    #[test]
    fn streams_can_move_to_other_threads() {
        fn assert_send<T: Send>(_: &T) {}
        let stub = things();
        let mut pages = client(&stub).list_things().into_paginator().send();
        assert_send(&pages);
        assert_send(&pages.next());
        let mut items = client(&stub).list_things().into_paginator().items().send();
        assert_send(&items.next());
        // The streams' names are re-exported for users who keep one.
        let _: &golden_paginators::paginator::PaginationStream<_> = &pages;
    }
}
