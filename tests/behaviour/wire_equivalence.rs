//! The client's parser (`awsgen_runtime::wire`, through each generated type's `Decode`) against the serde path
//! the same types derive (`serde_json::from_slice`): for the ECS fixture, the golden crates' response shapes,
//! and thousands of mutated bodies, both give the same value or both an error.

use awsgen_runtime::serde::de::DeserializeOwned;
use awsgen_runtime::serde::Serialize;
use awsgen_runtime::wire::{self, Decode};
use serde_json::{json, Value};
use std::fmt::Debug;

const FULL_RESPONSE: &str = include_str!("fixtures/describe_task_sets_full.json");

/// Both paths on `body`: equal values (NaN compared through the JSON both write), or both errors.
fn same<T>(body: &[u8]) -> Result<T, String>
where
    T: Decode + DeserializeOwned + Serialize + PartialEq + Debug,
{
    let ours = wire::decode::<T>(body);
    let serde = serde_json::from_slice::<T>(body);
    match (ours, serde) {
        (Ok(a), Ok(b)) => {
            let equal = a == b
                || (format!("{a:?}").contains("NaN") && serde_json::to_value(&a).ok() == serde_json::to_value(&b).ok());
            assert!(equal, "{}:\n wire  {a:?}\n serde {b:?}", String::from_utf8_lossy(body));
            Ok(a)
        }
        (Err(a), Err(_)) => Err(a.to_string()),
        (a, b) => panic!(
            "the paths disagree on {}:\n wire  {a:?}\n serde {b:?}",
            String::from_utf8_lossy(body)
        ),
    }
}

fn ok<T>(body: &Value) -> T
where
    T: Decode + DeserializeOwned + Serialize + PartialEq + Debug,
{
    same::<T>(body.to_string().as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"))
}

fn fails<T>(body: &Value)
where
    T: Decode + DeserializeOwned + Serialize + PartialEq + Debug,
{
    assert!(same::<T>(body.to_string().as_bytes()).is_err(), "{body} should fail");
}

mod ecs {
    use super::*;
    use awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsOutput;

    #[test]
    fn the_full_fixture_and_the_bench_body() {
        let output: DescribeTaskSetsOutput =
            same(FULL_RESPONSE.as_bytes()).unwrap_or_else(|e| panic!("the fixture: {e}"));
        assert_eq!(output.task_sets().len(), 3);
        // The bench's body: the first task set a hundred times, written compactly with keys sorted.
        let fixture: Value = serde_json::from_str(FULL_RESPONSE).unwrap();
        let sets: Vec<Value> = (0..100).map(|_| fixture["taskSets"][0].clone()).collect();
        let output: DescribeTaskSetsOutput = ok(&json!({"taskSets": sets, "failures": []}));
        assert_eq!(output.task_sets().len(), 100);
    }

    #[test]
    fn nulls_unknowns_and_wrong_types() {
        ok::<DescribeTaskSetsOutput>(&json!({}));
        ok::<DescribeTaskSetsOutput>(&json!({"taskSets": null, "failures": null, "addedLater": [1, {"x": null}]}));
        ok::<DescribeTaskSetsOutput>(&json!({"taskSets": [{"launchType": "QUANTUM", "scale": {"value": "NaN"}}]}));
        ok::<DescribeTaskSetsOutput>(&json!({"taskSets": [{"createdAt": "2019-05-07T05:41:55.195Z"}]}));
        fails::<DescribeTaskSetsOutput>(&json!({"taskSets": [null]}));
        fails::<DescribeTaskSetsOutput>(&json!({"taskSets": [{"pendingCount": 1.5}]}));
        fails::<DescribeTaskSetsOutput>(&json!({"taskSets": [{"pendingCount": 2147483648u64}]}));
        fails::<DescribeTaskSetsOutput>(&json!({"taskSets": {}}));
        fails::<DescribeTaskSetsOutput>(&json!("x"));
        // A member given twice (serde's "duplicate field"); a map key given twice keeps the last value.
        assert!(same::<DescribeTaskSetsOutput>(br#"{"taskSets":[{"id":"a","id":"b"}]}"#).is_err());
        assert!(same::<DescribeTaskSetsOutput>(br#"{"taskSets":[{"id":"a","id":null}]}"#).is_err());
        assert!(same::<DescribeTaskSetsOutput>(br#"{"taskSets":[]} x"#).is_err());
    }

    /// A tiny deterministic generator (xorshift), so the mutations are the same on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn mutated_fixtures_give_the_same_value_or_both_fail() {
        const BYTES: &[u8] = b"{}[],:\"\\-0123456789.eEtrufalsn \x01\xff";
        // Tokens that are valid somewhere, to reach values and types beyond syntax errors.
        const TOKENS: [&str; 12] = [
            "null",
            "1",
            "-0",
            "1e400",
            "\"NaN\"",
            "\"x\"",
            "[]",
            "{}",
            "true",
            "1.5",
            "\"\\u00e9\"",
            "2147483648",
        ];
        let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
        let mut agreed_ok = 0;
        for _ in 0..20_000 {
            let mut body = FULL_RESPONSE.as_bytes().to_vec();
            for _ in 0..=rng.below(3) {
                let at = rng.below(body.len());
                match rng.below(5) {
                    0 => {
                        body.remove(at);
                    }
                    1 => body.insert(at, BYTES[rng.below(BYTES.len())]),
                    2 => body[at] = BYTES[rng.below(BYTES.len())],
                    _ => {
                        // Replace the value after a `:` with another token.
                        if let Some(colon) = body[at..].iter().position(|&b| b == b':').map(|p| p + at + 1) {
                            let end = body[colon..]
                                .iter()
                                .position(|&b| b == b',' || b == b'}' || b == b']')
                                .map_or(body.len(), |p| p + colon);
                            body.splice(colon..end, TOKENS[rng.below(TOKENS.len())].bytes());
                        }
                    }
                }
            }
            if same::<DescribeTaskSetsOutput>(&body).is_ok() {
                agreed_ok += 1;
            }
        }
        assert!(agreed_ok > 2_000, "only {agreed_ok} mutated bodies parsed");
    }
}

mod goldens {
    use super::*;

    #[test]
    fn unions() {
        use golden_unions::operation::put_union::PutUnionOutput;
        for value in [
            json!({"stringValue": "s"}),
            json!({"intValue": 7}),
            json!({"boolValue": false}),
            json!({"blobValue": "aGVsbG8="}),
            json!({"timeValue": "2019-12-16T23:48:18Z"}),
            json!({"timeValue": 1576540098.5}),
            json!({"listValue": ["a", "b"]}),
            json!({"mapValue": {"k": "v"}}),
            json!({"structValue": {"key": "k", "value": "v"}}),
            json!({"enumValue": "GREEN"}),
            json!({"enumValue": "MAUVE"}),
            json!({"unknown": "a member named unknown"}),
            json!({"doubleValue": 2.5}),
            json!({"doubleValue": "-Infinity"}),
            json!({"doubleValue": "NaN"}),
            json!({"__type": "aws.protocoltests#Value", "stringValue": null, "intValue": 3}),
            json!({"addedLater": {"x": 1}}),
            json!({"addedLater": 1, "intValue": 2}),
            json!({"addedLater": 1, "alsoLater": null}),
            json!(null),
        ] {
            ok::<PutUnionOutput>(&json!({ "value": value }));
        }
        for value in [
            json!({"intValue": 1, "boolValue": true}),
            json!({}),
            json!({"__type": "x"}),
            json!([{"intValue": 1}]),
            json!({"intValue": "1"}),
            json!({"limited": 1}),
        ] {
            fails::<PutUnionOutput>(&json!({ "value": value }));
        }
    }

    #[test]
    fn timestamps_in_every_format_and_shape() {
        use golden_timestamps::operation::put_times::PutTimesOutput;
        for value in [
            json!(1.5765400985E9),
            json!(1576540098),
            json!(-1.5),
            json!("2019-12-16T22:48:18-01:00"),
            json!("Mon, 16 Dec 2019 23:48:18 GMT"),
            json!("2019-12-16T23:48:18.123456789Z"),
            json!("1576540098.5"),
        ] {
            let body = json!({
                "default": value, "epoch": value, "iso": value, "http": value, "memberIso": value,
                "isoList": [value, value], "isoMap": {"k": value}, "defaultList": [value]
            });
            ok::<PutTimesOutput>(&body);
        }
        for value in [json!("yesterday"), json!(1e300), json!(true), json!([1])] {
            fails::<PutTimesOutput>(&json!({ "default": value }));
        }
    }

    #[test]
    fn blobs_recursion_constraints_and_names() {
        use golden_blobs::operation::put_blobs::PutBlobsOutput;
        use golden_constraints::operation::create_thing::CreateThingOutput;
        use golden_recursion::operation::walk::WalkOutput;
        ok::<PutBlobsOutput>(&json!({"data": "aGVsbG8=", "chunks": ["AP8=", "AP8"], "named": {"k": ""}}));
        fails::<PutBlobsOutput>(&json!({"data": "a"}));
        fails::<PutBlobsOutput>(&json!({"named": {"l": null}}));
        fails::<PutBlobsOutput>(&json!({"chunks": [null]}));
        let walk = json!({
            "name": "root",
            "next": {"name": "child", "next": {"name": "grandchild"}},
            "children": [{"name": "a", "partner": {"back": {"name": "b"}}}],
            "byName": {"x": {"name": "x", "choice": {"again": {"node": {"name": "deep"}}}}}
        });
        ok::<WalkOutput>(&walk);
        // Recursion as deep as serde_json allows, and one level more.
        let mut deep = json!({"name": "leaf"});
        for _ in 0..125 {
            deep = json!({ "next": deep });
        }
        ok::<WalkOutput>(&deep);
        fails::<WalkOutput>(&json!({ "next": { "next": deep } }));
        ok::<CreateThingOutput>(&json!({"secret": "s", "credentials": {"user": "root", "password": "pw"}}));
        use golden_naming::operation::type_operation::TypeOutput;
        // Members named like std types and runtime methods (the `RequestId` member is not the request id).
        ok::<TypeOutput>(&json!({"Ok": "o", "Err": "e", "String": "s", "Vec": ["v"], "RequestId": "r"}));
        fails::<TypeOutput>(&json!({"lower": "a structure, not a string"}));
    }

    #[test]
    fn paginated_and_waited_outputs() {
        use golden_paginators::operation::describe_history::DescribeHistoryOutput;
        use golden_waiters::operation::get_thing::GetThingOutput;
        ok::<DescribeHistoryOutput>(&json!({"History": {"events": ["a"], "older": {"token": "t"}, "token": null}}));
        ok::<GetThingOutput>(
            &json!({"status": "READY", "ready": true, "items": [{"name": "a", "status": "x"}], "other": 1}),
        );
    }

    #[test]
    fn exceptions_through_from_response() {
        use awsgen_runtime::error::parse_error_metadata;
        use awsgen_runtime::http::HeaderMap;
        use awsgen_runtime::protocol::OperationError;
        use golden_exceptions::operation::fail::FailError;
        use golden_exceptions::types::error::{BothMessages, Throttled};
        for body in [
            r#"{"__type":"Throttled","message":"slow down","retryAfterSeconds":3}"#,
            r#"{"__type":"Throttled","retryAfterSeconds":null}"#,
            r#"{"__type":"BothMessages","message":"a","Message":"b"}"#,
        ] {
            let meta = parse_error_metadata(&HeaderMap::new(), body.as_bytes());
            let wire = FailError::from_response(&meta, body.as_bytes()).unwrap();
            match wire {
                FailError::Throttled(t) => {
                    let mut serde: Throttled = serde_json::from_str(body).unwrap();
                    if serde.message.is_none() {
                        serde.message = meta.message().map(str::to_owned);
                    }
                    assert_eq!(t, serde);
                }
                FailError::BothMessages(b) => assert_eq!(b, serde_json::from_str::<BothMessages>(body).unwrap()),
                other => panic!("{other:?}"),
            }
        }
        let bad = r#"{"__type":"Throttled","retryAfterSeconds":"soon"}"#;
        let meta = parse_error_metadata(&HeaderMap::new(), bad.as_bytes());
        assert!(FailError::from_response(&meta, bad.as_bytes()).is_err());
        assert!(serde_json::from_str::<Throttled>(bad).is_err());
    }
}
