//! What the edge-case golden crates do, not only what they say: validation paths and rules, union wire form,
//! timestamp formats, blobs, recursion, redaction, exceptions.

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
