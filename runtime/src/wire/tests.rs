//! The reader against serde_json: hand-written types shaped as generated code makes them (serde derives and
//! a `Decode` impl each), and for every body both paths must give the same value or both an error.

use super::*;
use crate::{Blob, DateTime, UnknownVariantValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

// ---- types shaped as the generator shapes them -----------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Outer {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    count: Option<i32>,
    #[serde(default)]
    big: Option<i64>,
    #[serde(default, with = "crate::float_wire")]
    ratio: Option<f64>,
    #[serde(default, with = "crate::float_wire")]
    small: Option<f32>,
    #[serde(default)]
    flag: Option<bool>,
    #[serde(default)]
    at: Option<DateTime>,
    #[serde(default)]
    data: Option<Blob>,
    #[serde(default)]
    doc: Option<Value>,
    #[serde(default)]
    items: Option<Vec<Inner>>,
    #[serde(default)]
    tags: Option<HashMap<String, String>>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    by_kind: Option<HashMap<Kind, i64>>,
    #[serde(default)]
    choice: Option<Choice>,
    #[serde(default)]
    next: Option<Box<Outer>>,
    #[serde(default, with = "crate::float_wire")]
    floats: Option<Vec<f64>>,
    #[serde(default)]
    docs: Option<Vec<Value>>,
    #[serde(default)]
    nested: Option<Vec<Vec<String>>>,
    #[serde(skip)]
    _request_id: Option<String>,
}

const OUTER_MEMBERS: &[&str] = &[
    "name", "count", "big", "ratio", "small", "flag", "at", "data", "doc", "items", "tags", "kind", "by_kind",
    "choice", "next", "floats", "docs", "nested",
];

impl Decode for Outer {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut members = Members::begin(r, "Outer", OUTER_MEMBERS)?;
        while let Some(key) = members.next(r)? {
            match &*key {
                "name" => out.name = members.value(r, 0)?,
                "count" => out.count = members.value(r, 1)?,
                "big" => out.big = members.value(r, 2)?,
                "ratio" => out.ratio = members.value(r, 3)?,
                "small" => out.small = members.value(r, 4)?,
                "flag" => out.flag = members.value(r, 5)?,
                "at" => out.at = members.value(r, 6)?,
                "data" => out.data = members.value(r, 7)?,
                "doc" => out.doc = members.value(r, 8)?,
                "items" => out.items = members.value(r, 9)?,
                "tags" => out.tags = members.value(r, 10)?,
                "kind" => out.kind = members.value(r, 11)?,
                "by_kind" => out.by_kind = members.value(r, 12)?,
                "choice" => out.choice = members.value(r, 13)?,
                "next" => out.next = members.value(r, 14)?,
                "floats" => out.floats = members.value(r, 15)?,
                "docs" => out.docs = members.value(r, 16)?,
                "nested" => out.nested = members.value(r, 17)?,
                _ => members.skip(r)?,
            }
        }
        Ok(out)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Inner {
    #[serde(default, rename = "v")]
    value: Option<String>,
    #[serde(default)]
    n: Option<i32>,
}

impl Decode for Inner {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut members = Members::begin(r, "Inner", &["v", "n"])?;
        while let Some(key) = members.next(r)? {
            match &*key {
                "v" => out.value = members.value(r, 0)?,
                "n" => out.n = members.value(r, 1)?,
                _ => members.skip(r)?,
            }
        }
        Ok(out)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Alpha,
    Beta,
    Unknown(UnknownVariantValue),
}

impl From<&str> for Kind {
    fn from(value: &str) -> Self {
        match value {
            "ALPHA" => Self::Alpha,
            "BETA" => Self::Beta,
            other => Self::Unknown(UnknownVariantValue::new(other)),
        }
    }
}

impl Kind {
    fn as_str(&self) -> &str {
        match self {
            Self::Alpha => "ALPHA",
            Self::Beta => "BETA",
            Self::Unknown(v) => v.as_str(),
        }
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::enum_value::deserialize_enum(d, |value: &str| Self::from(value))
    }
}

impl Decode for Kind {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        decode_str_enum(r)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Choice {
    Text(String),
    Number(i32),
    Ratio(f64),
    Pair(Box<Inner>),
    Unknown(UnknownVariantValue),
}

impl Serialize for Choice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = s.serialize_map(Some(1))?;
        match self {
            Self::Text(v) => map.serialize_entry("text", v)?,
            Self::Number(v) => map.serialize_entry("number", v)?,
            Self::Ratio(v) => map.serialize_entry("ratio", &crate::float_wire::Ref(v))?,
            Self::Pair(v) => map.serialize_entry("pair", v)?,
            Self::Unknown(v) => map.serialize_entry("$unknown", v.as_str())?,
        }
        map.end()
    }
}

// As `emit/unions.rs` writes it.
impl<'de> Deserialize<'de> for Choice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Choice;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("the Choice union")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Choice, A::Error> {
                use serde::de::Error as _;
                let mut known = None;
                let mut unknown = None;
                while let Some(key) = map.next_key::<String>()? {
                    let value = match key.as_str() {
                        "text" => map.next_value::<Option<String>>()?.map(Choice::Text),
                        "number" => map.next_value::<Option<i32>>()?.map(Choice::Number),
                        "ratio" => map
                            .next_value::<Option<crate::float_wire::Wire<f64>>>()?
                            .map(|w| Choice::Ratio(w.0)),
                        "pair" => map.next_value::<Option<Box<Inner>>>()?.map(Choice::Pair),
                        "__type" => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                            None
                        }
                        other => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                            unknown = Some(Choice::Unknown(UnknownVariantValue::new(other)));
                            None
                        }
                    };
                    if let Some(value) = value {
                        if known.replace(value).is_some() {
                            return Err(A::Error::custom("more than one"));
                        }
                    }
                }
                known.or(unknown).ok_or_else(|| A::Error::custom("none"))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl Decode for Choice {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut members = UnionMembers::begin(r, "Choice")?;
        while let Some(key) = members.next(r)? {
            match &*key {
                "text" => members.value(r, Self::Text)?,
                "number" => members.value(r, Self::Number)?,
                "ratio" => members.value(r, Self::Ratio)?,
                "pair" => members.value(r, Self::Pair)?,
                "__type" => members.skip(r)?,
                other => members.unknown(r, other)?,
            }
        }
        members.finish(r, Self::Unknown)
    }
}

// ---- the oracle ------------------------------------------------------------------------------------------

/// Both paths on `body`: equal values, or both errors. Returns this path's result.
fn same<T>(body: &[u8]) -> Result<T, DecodeError>
where
    T: Decode + for<'de> Deserialize<'de> + Serialize + PartialEq + std::fmt::Debug,
{
    let ours = decode::<T>(body);
    let serde = serde_json::from_slice::<T>(body);
    match (&ours, &serde) {
        (Ok(a), Ok(b)) => {
            // NaN is not equal to itself: then compare the JSON the two values write.
            let equal = a == b
                || (format!("{a:?}").contains("NaN") && serde_json::to_value(a).ok() == serde_json::to_value(b).ok());
            assert!(
                equal,
                "different values for {:?}:\n ours  {a:?}\n serde {b:?}",
                shorten(&String::from_utf8_lossy(body))
            );
        }
        (Err(_), Err(_)) => {}
        _ => panic!(
            "the paths disagree on {:?}:\n ours  {ours:?}\n serde {serde:?}",
            shorten(&String::from_utf8_lossy(body))
        ),
    }
    ours
}

/// At most 200 characters of `body`, for messages.
fn shorten(body: &str) -> String {
    body.chars().take(200).collect()
}

fn ok<T>(body: &str) -> T
where
    T: Decode + for<'de> Deserialize<'de> + Serialize + PartialEq + std::fmt::Debug,
{
    same::<T>(body.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", shorten(body)))
}

fn err<T>(body: &str) -> String
where
    T: Decode + for<'de> Deserialize<'de> + Serialize + PartialEq + std::fmt::Debug,
{
    match same::<T>(body.as_bytes()) {
        Ok(value) => panic!("{} should fail, gave {value:?}", shorten(body)),
        Err(e) => e.to_string(),
    }
}

// ---- tokens ----------------------------------------------------------------------------------------------

#[test]
fn every_token_kind_and_whitespace() {
    let outer: Outer = ok(
        " \t\r\n{ \"name\" : \"x\" , \"count\":-12,\"big\":9007199254740993,\"ratio\":1.5e3,\"small\":0.1,\
         \"flag\":true,\"at\":1557207715.195,\"data\":\"Zm9v\",\"doc\":{\"a\":[1,null,false,\"s\"]},\
         \"items\":[{\"v\":\"a\",\"n\":1},{}],\"tags\":{\"k\":\"v\"},\"kind\":\"BETA\",\"choice\":{\"number\":7},\
         \"next\":{\"flag\":false},\"floats\":[1,\"NaN\",\"-Infinity\"],\"nested\":[[],[\"a\"]]}\n ",
    );
    assert_eq!(outer.name.as_deref(), Some("x"));
    assert_eq!(outer.count, Some(-12));
    assert_eq!(outer.big, Some(9_007_199_254_740_993));
    assert_eq!(outer.ratio, Some(1500.0));
    assert_eq!(outer.small, Some(0.1));
    assert_eq!(
        outer.at,
        Some(DateTime::from_secs_and_nanos(1_557_207_715, 195_000_000))
    );
    assert_eq!(outer.data, Some(Blob::new(*b"foo")));
    assert_eq!(outer.doc, Some(serde_json::json!({"a": [1, null, false, "s"]})));
    assert_eq!(outer.items.as_ref().map(Vec::len), Some(2));
    assert_eq!(outer.kind, Some(Kind::Beta));
    assert_eq!(outer.choice, Some(Choice::Number(7)));
    assert_eq!(outer.next.as_ref().and_then(|n| n.flag), Some(false));
    let floats = outer.floats.unwrap_or_default();
    assert!(floats[1].is_nan() && floats[2] == f64::NEG_INFINITY);
}

#[test]
fn null_members_are_absent_and_unknown_members_are_skipped() {
    let outer: Outer =
        ok(r#"{"name":null,"count":null,"choice":null,"doc":null,"zzz":{"deep":[[[{}]]]},"yy":"\ud800"}"#);
    assert_eq!(outer, Outer::default());
    // A null element or map value is an error (awsJson lists and maps are dense), but a document reads it.
    err::<Outer>(r#"{"items":[null]}"#);
    err::<Outer>(r#"{"tags":{"a":null}}"#);
    err::<Outer>(r#"{"floats":[null]}"#);
    let outer: Outer = ok(r#"{"docs":[null,1]}"#);
    assert_eq!(outer.docs, Some(vec![Value::Null, serde_json::json!(1)]));
}

#[test]
fn duplicate_members_are_an_error_but_duplicate_map_keys_keep_the_last() {
    let e = err::<Outer>(r#"{"name":"a","name":"b"}"#);
    assert_eq!(e, "duplicate member `name` of the Outer structure at byte 19");
    err::<Outer>(r#"{"name":null,"name":"b"}"#);
    let outer: Outer = ok(r#"{"tags":{"a":"1","a":"2"}}"#);
    assert_eq!(outer.tags, Some(HashMap::from([("a".to_owned(), "2".to_owned())])));
}

#[test]
fn structures_also_read_serdes_array_form() {
    let outer: Outer = ok(r#"["n", 3]"#);
    assert_eq!((outer.name.as_deref(), outer.count), (Some("n"), Some(3)));
    ok::<Outer>("[]");
    ok::<Inner>(r#"[null, 2]"#);
    err::<Inner>(r#"["a", 2, 3]"#);
    err::<Inner>(r#"["a", 2,]"#);
    err::<Inner>(r#"[1]"#);
}

#[test]
fn unions_have_one_member_skip_type_and_keep_unknown_names() {
    assert_eq!(ok::<Choice>(r#"{"__type":"x","text":"t"}"#), Choice::Text("t".into()));
    assert_eq!(
        ok::<Choice>(r#"{"text":null,"ratio":"Infinity"}"#),
        Choice::Ratio(f64::INFINITY)
    );
    assert_eq!(
        ok::<Choice>(r#"{"other":1,"later":null}"#),
        Choice::Unknown(UnknownVariantValue::new("later"))
    );
    assert_eq!(ok::<Choice>(r#"{"other":1,"number":2}"#), Choice::Number(2));
    assert_eq!(
        ok::<Choice>(r#"{"pair":{"v":"x"}}"#),
        Choice::Pair(Box::new(Inner {
            value: Some("x".into()),
            n: None
        }))
    );
    err::<Choice>(r#"{"text":"a","number":1}"#);
    err::<Choice>(r#"{"text":"a","text":"b"}"#);
    err::<Choice>(r#"{}"#);
    err::<Choice>(r#"{"__type":"x"}"#);
    err::<Choice>(r#"["a"]"#);
    err::<Choice>("null");
}

#[test]
fn enums_keep_unknown_values() {
    let outer: Outer = ok(r#"{"kind":"GAMMA","by_kind":{"ALPHA":1,"DELTA":2,"ALPH\u0041":3}}"#);
    assert_eq!(outer.kind, Some(Kind::Unknown(UnknownVariantValue::new("GAMMA"))));
    let by_kind = outer.by_kind.unwrap_or_default();
    assert_eq!(by_kind.get(&Kind::Alpha), Some(&3));
    assert_eq!(by_kind.get(&Kind::Unknown(UnknownVariantValue::new("DELTA"))), Some(&2));
    err::<Outer>(r#"{"kind":1}"#);
}

// ---- strings ---------------------------------------------------------------------------------------------

#[test]
fn escapes_and_surrogates() {
    let name = |body: &str| ok::<Outer>(&format!(r#"{{"name":{body}}}"#)).name.unwrap_or_default();
    assert_eq!(name(r#""a\"b\\c\/d\b\f\n\r\t""#), "a\"b\\c/d\u{8}\u{c}\n\r\t");
    assert_eq!(name(r#""\u00e9\u4e2D\ud83d\ude00""#), "é中😀");
    assert_eq!(name(r#""\u0000""#), "\0");
    assert_eq!(name("\"caf\u{e9} \u{1F600}\""), "café 😀");
    assert_eq!(name(r#""""#), "");
    for bad in [
        r#""\ud800""#,
        r#""\ud800x""#,
        r#""\ud800\u0041""#,
        r#""\ude00""#,
        r#""\ud800\ud800""#,
        r#""\x""#,
        r#""\u12""#,
        r#""\u12g4""#,
        "\"a\u{1}b\"",
        "\"tab\there\"",
        r#""unterminated"#,
        r#""\"#,
    ] {
        err::<Outer>(&format!(r#"{{"name":{bad}}}"#));
    }
    // Keys are unescaped, and checked like values even when unknown.
    assert_eq!(ok::<Outer>(r#"{"n\u0061me":"x"}"#).name.as_deref(), Some("x"));
    err::<Outer>(r#"{"\ud800":1}"#);
    // Skipped values are checked for syntax only, as serde_json skips them.
    ok::<Outer>(r#"{"skipped":"\ud800\udc00\ude00"}"#);
    err::<Outer>(r#"{"skipped":"\q"}"#);
    err::<Outer>("{\"skipped\":\"a\u{1f}\"}");
}

#[test]
fn bodies_that_are_not_utf8_fail_only_where_a_kept_string_is_bad() {
    let mut body = br#"{"skipped":"xx","name":"ok"}"#.to_vec();
    body[12] = 0xff;
    assert_eq!(same::<Outer>(&body).unwrap_or_default().name.as_deref(), Some("ok"));
    let mut body = br#"{"name":"xx"}"#.to_vec();
    body[10] = 0xff;
    assert!(same::<Outer>(&body).is_err());
    let mut body = br#"{"name":"x\n","doc":"xx"}"#.to_vec();
    body[21] = 0xc3;
    assert!(same::<Outer>(&body).is_err());
    let mut body = br#"{"xx":1}"#.to_vec();
    body[2] = 0xff;
    assert!(same::<Outer>(&body).is_err());
}

// ---- numbers ---------------------------------------------------------------------------------------------

#[test]
fn integers_at_the_edges() {
    let count = |text: &str| same::<Outer>(format!(r#"{{"count":{text}}}"#).as_bytes()).map(|o| o.count);
    let big = |text: &str| same::<Outer>(format!(r#"{{"big":{text}}}"#).as_bytes()).map(|o| o.big);
    assert_eq!(count("2147483647").ok(), Some(Some(i32::MAX)));
    assert_eq!(count("-2147483648").ok(), Some(Some(i32::MIN)));
    assert_eq!(count("0").ok(), Some(Some(0)));
    for bad in [
        "2147483648",
        "-2147483649",
        "1.0",
        "1e2",
        "-0",
        "01",
        "-",
        "+1",
        "1.",
        ".5",
        "0x10",
        "\"1\"",
        "true",
        "1e",
        "--1",
    ] {
        assert!(count(bad).is_err(), "{bad}");
    }
    assert_eq!(big("9223372036854775807").ok(), Some(Some(i64::MAX)));
    assert_eq!(big("-9223372036854775808").ok(), Some(Some(i64::MIN)));
    for bad in [
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "-0",
        "1E0",
    ] {
        assert!(big(bad).is_err(), "{bad}");
    }
    let e = err::<Outer>(r#"{"count":2147483648}"#);
    assert_eq!(e, "expected an integer that fits in i32, found `2147483648` at byte 9");
}

#[test]
fn doubles_are_exact_and_overflow_is_an_error() {
    let ratio = |text: &str| same::<Outer>(format!(r#"{{"ratio":{text}}}"#).as_bytes()).map(|o| o.ratio);
    for text in [
        "0",
        "-0",
        "-0.0",
        "1",
        "-1",
        "0.1",
        "1e-7",
        "2.5E+3",
        "1.7976931348623157e308",
        "5e-324",
        "2.4703282292062328e-324",
        "2.4703282292062327e-324",
        "1e-400",
        "-1e-400",
        "0e999999999999999999",
        "1e-99999999999999999999",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345678901234567890",
        "0.30000000000000004",
        "3.141592653589793238462643383279",
        "-9223372036854775809",
        "1.00000000000000011102230246251565404236316680908203125",
        "\"NaN\"",
        "\"Infinity\"",
        "\"-Infinity\"",
        "\"\\u004EaN\"",
    ] {
        let ours = ratio(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .unwrap_or_default();
        if !text.starts_with('"') {
            let exact: f64 = text.parse().unwrap_or_default();
            assert_eq!(ours.to_bits(), exact.to_bits(), "{text}");
        }
    }
    for bad in [
        "1e309",
        "-1e309",
        "1e99999999999999999999",
        "0.1e999999",
        "\"nan\"",
        "\"inf\"",
        "1.e5",
        "true",
        "[]",
    ] {
        assert!(ratio(bad).is_err(), "{bad}");
    }
    // `-0` is negative zero, as serde_json reads it.
    assert!(ratio("-0")
        .ok()
        .flatten()
        .is_some_and(|v| v == 0.0 && v.is_sign_negative()));
    // Floats narrow the double (as serde does), not the decimal.
    let small = |text: &str| same::<Outer>(format!(r#"{{"small":{text}}}"#).as_bytes()).map(|o| o.small);
    for text in [
        "0.1",
        "16777217",
        "1.00000005960464477539062500001",
        "3.4028235677973366e38",
        "1e39",
        "-1e-50",
    ] {
        small(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}

#[test]
fn timestamps_as_numbers_and_strings() {
    let at = |text: &str| same::<Outer>(format!(r#"{{"at":{text}}}"#).as_bytes()).map(|o| o.at);
    for text in [
        "0",
        "-0",
        "-0.0",
        "1557207715",
        "1557207715.195",
        "1.557207805E9",
        "1.5572078051234567e9",
        "-1.5",
        "-0.000000001",
        "1e-10",
        "-1e-300",
        "9223372036854775807",
        "-9223372036854775808",
        "9.2233720368547748e18",
        "0.1e1",
        "\"2019-05-07T05:41:55.195Z\"",
        "\"Tue, 29 Apr 2014 18:30:38 GMT\"",
        "\"1557207715.195\"",
        "123456789012345.6",
        "12345678901234.56",
        "1.23456789012345e-5",
        "99999999999999.9",
    ] {
        at(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
    for bad in [
        "9223372036854775808",
        "-9223372036854775809",
        "9.3e18",
        "1e400",
        "\"yesterday\"",
        "true",
        "[1]",
        "{}",
    ] {
        assert!(at(bad).is_err(), "{bad}");
    }
    assert_eq!(
        at("1.557207805E9").ok().flatten(),
        Some(DateTime::from_secs(1_557_207_805))
    );
}

#[test]
fn plain_numbers_read_as_every_number_does() {
    // `plain_integer`, `plain_epoch_seconds` and `plain_double` are shortcuts for the common case; around their
    // limits (digit counts, leading zeros, fractions, exponents, signs, what follows) they must give what the
    // general path gives, which the oracle checks against serde_json, for `i32`, `i64`, timestamps, `f64` and
    // `f32`. The exact integer edges are in `integers_at_the_edges`, the sign of zero in
    // `doubles_are_exact_and_overflow_is_an_error`.
    let mut gen = Gen(0x9E37_79B9_7F4A_7C15);
    let follows = ["", ",\"name\":\"x\"", " ", "x", ".", "e5", "E-2", "-", "0"];
    for _ in 0..60_000 {
        let mut text = String::new();
        if gen.next() % 6 == 0 {
            text.push('-');
        }
        let digits = gen.next() % 21;
        for i in 0..digits {
            let first_zero = i == 0 && gen.next() % 5 == 0;
            text.push(if first_zero {
                '0'
            } else {
                char::from(b'0' + (gen.next() % 10) as u8)
            });
        }
        if gen.next() % 2 == 0 {
            text.push('.');
            for _ in 0..gen.next() % 13 {
                text.push(char::from(b'0' + (gen.next() % 10) as u8));
            }
        }
        text.push_str(follows[(gen.next() % follows.len() as u64) as usize]);
        for member in ["count", "big", "at", "ratio", "small"] {
            let _ = same::<Outer>(format!(r#"{{"{member}": {text}}}"#).as_bytes());
            let _ = same::<Outer>(format!(r#"{{"{member}":{text}}}"#).as_bytes());
        }
    }
    assert_eq!(
        ok::<Outer>(r#"{"at":1557207715.195}"#).at,
        Some(DateTime::from_secs_and_nanos(1_557_207_715, 195_000_000))
    );
    assert_eq!(
        ok::<Outer>(r#"{"at":0.1234567899}"#).at,
        Some(DateTime::from_secs_and_nanos(0, 123_456_789))
    );
    assert_eq!(
        ok::<Outer>(r#"{"big":999999999999999999}"#).big,
        Some(999_999_999_999_999_999)
    );
    // Past the shortcut's limits the general path reports, with its own message and offset.
    assert_eq!(
        err::<Outer>(r#"{"count": 2147483648}"#),
        "expected an integer that fits in i32, found `2147483648` at byte 10"
    );
}

#[test]
fn short_decimals_read_as_their_double_would() {
    // `DateTime::from_epoch_number` skips formatting the double for short decimals; check it against
    // `from_secs_f64` over many of them, including negative ones, tiny ones and exponents.
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..100_000 {
        let digits = (next() % 15 + 1) as usize;
        let mut text = String::new();
        if next() % 3 == 0 {
            text.push('-');
        }
        let point = (next() % (digits as u64 + 1)) as usize;
        for i in 0..digits {
            if i == point && i > 0 {
                text.push('.');
            }
            text.push(char::from(b'0' + (next() % 10) as u8));
        }
        if next() % 4 == 0 {
            text.push_str(&format!("e{}", (next() % 41) as i64 - 20));
        }
        // A leading zero is only valid alone before the point; normalise to what JSON allows.
        let Ok((scanned, end)) = super::number::Number::scan(text.as_bytes(), 0) else {
            continue;
        };
        if end != text.len() {
            continue;
        }
        let number = scanned.with_text(&text);
        let Some(value) = number.as_f64() else { continue };
        if value.abs() >= 9_223_372_036_854_775_808.0 {
            continue;
        }
        assert_eq!(
            DateTime::from_epoch_number(&text, value),
            DateTime::from_secs_f64(value),
            "{text}"
        );
    }
}

// ---- structure of the document ---------------------------------------------------------------------------

#[test]
fn syntax_errors_and_trailing_characters() {
    for bad in [
        "",
        " ",
        "{",
        "}",
        "{\"name\"}",
        "{\"name\":}",
        "{\"name\" \"x\"}",
        "{,}",
        "{\"name\":\"x\",}",
        "{\"name\":\"x\"",
        "{\"name\":\"x\"}}",
        "{} {}",
        "{}x",
        "{\"items\":[{},]}",
        "{\"items\":[,]}",
        "{\"items\":[{} {}]}",
        "{\"x\":nul}",
        "{\"x\":tru}",
        "{\"x\":nulll}",
        "{\"x\":[1 2]}",
        "{\"x\":{\"a\" 1}}",
        "{\"x\":{\"a\":1,}}",
        "{\"x\":[1,]}",
        "{\"x\":01}",
        "{\"x\":-}",
        "{\"x\":1.}",
        "{\"x\":.1}",
        "{\"x\":+1}",
        "{\"x\":1e}",
        "{\"x\":[}",
        "{\"x\":{]}",
        "{\"x\":'a'}",
        "\u{feff}{}",
        "{}\u{c}",
        "null",
        "[1,2",
        "{\"flag\":1}",
        "{\"name\":1}",
    ] {
        err::<Outer>(bad);
    }
    ok::<Outer>("{}\r\n\t ");
}

#[test]
fn error_messages_say_what_was_expected_and_where() {
    assert_eq!(err::<Outer>("[}"), "expected a string, found `}` at byte 1");
    assert_eq!(err::<Outer>("[\"a\"}"), "expected `,` or `]`, found `}` at byte 4");
    assert_eq!(
        err::<Outer>(r#"{"name":7}"#),
        "expected a string, found a number at byte 8"
    );
    assert_eq!(
        err::<Outer>(r#"{"items":{}}"#),
        "expected a list (an array), found an object at byte 9"
    );
    assert_eq!(
        err::<Outer>("{} x"),
        "expected the end of the body, found a character that starts no JSON value at byte 3"
    );
    assert_eq!(
        err::<Outer>("\"x\""),
        "expected the Outer structure (an object), found a string at byte 0"
    );
    assert_eq!(
        err::<Outer>(r#"{"flag":"yes"}"#),
        "expected a boolean, found a string at byte 8"
    );
    assert_eq!(
        err::<Outer>(r#"{"flag":nope}"#),
        "invalid literal (expected `null`, `true` or `false`) at byte 8"
    );
    assert_eq!(
        err::<Outer>(r#"{"name":"a"#),
        "the body ends inside a string at byte 10"
    );
    assert_eq!(
        err::<Outer>(r#"{"choice":{}}"#),
        "no member of the Choice union is set at byte 12"
    );
}

/// Nested `items`-free recursion through `next`: `depth` structures inside one another.
fn nested(depth: usize) -> String {
    let mut body = String::new();
    for _ in 0..depth - 1 {
        body.push_str("{\"next\":");
    }
    body.push_str("{}");
    for _ in 0..depth - 1 {
        body.push('}');
    }
    body
}

#[test]
fn the_depth_limit_is_serde_jsons_for_kept_values_and_absent_for_skipped_ones() {
    ok::<Outer>(&nested(127));
    err::<Outer>(&nested(128));
    err::<Outer>(&nested(10_000));
    // Documents count their nesting where they sit.
    let doc = |depth: usize| format!("{{\"doc\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
    ok::<Outer>(&doc(126));
    err::<Outer>(&doc(127));
    // Skipped values nest as deep as they like.
    let skipped = format!("{{\"skipped\":{}1{}}}", "[{\"a\":".repeat(50_000), "}]".repeat(50_000));
    ok::<Outer>(&skipped);
    assert!(check(skipped.as_bytes()).is_ok());
    assert!(check(b"[[[]]").is_err());
}

#[test]
fn check_is_ignored_any() {
    for body in [
        "{}",
        "[1, \"\\ud800\", {\"a\": null}]",
        "  3 ",
        "\"x\"",
        "{",
        "{}{}",
        "nul",
        "",
        "[1,]",
        "{\"a\"}",
        "-0.5e-3",
    ] {
        let serde = serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
        assert_eq!(check(body.as_bytes()).is_ok(), serde, "{body}");
    }
}

// ---- everything, at random -------------------------------------------------------------------------------

/// A small deterministic generator of bodies: mostly `Outer`-shaped, with edge-case tokens, then mutated.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn scalar(&mut self) -> String {
        self.pick(&[
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1",
            "-1",
            "2147483648",
            "9223372036854775808",
            "1.5",
            "1e400",
            "-2.5e-3",
            "\"\"",
            "\"x\"",
            "\"ALPHA\"",
            "\"BETA\"",
            "\"NaN\"",
            "\"Infinity\"",
            "\"Zm9v\"",
            "\"Zg\"",
            "\"Z\"",
            "\"\\ud83d\\ude00\"",
            "\"\\ud800\"",
            "\"2019-05-07T05:41:55Z\"",
            "\"\\n\"",
            "1557207715.195",
            "1.557207805E9",
            "[]",
            "{}",
        ])
        .to_owned()
    }

    fn value(&mut self, depth: u32) -> String {
        if depth > 4 {
            return self.scalar();
        }
        match self.next() % 6 {
            0 | 1 => self.scalar(),
            2 => {
                let n = self.next() % 4;
                let items: Vec<String> = (0..n).map(|_| self.value(depth + 1)).collect();
                format!("[{}]", items.join(","))
            }
            _ => self.object(depth + 1),
        }
    }

    fn object(&mut self, depth: u32) -> String {
        let n = self.next() % 5;
        let members: Vec<String> = (0..n)
            .map(|_| {
                let key = self.pick(&[
                    "name", "count", "big", "ratio", "small", "flag", "at", "data", "doc", "items", "tags", "kind",
                    "by_kind", "choice", "next", "floats", "docs", "nested", "v", "n", "text", "number", "pair",
                    "__type", "zz",
                ]);
                format!("\"{key}\":{}", self.value(depth))
            })
            .collect();
        format!("{{{}}}", members.join(","))
    }

    fn mutate(&mut self, body: &mut Vec<u8>) {
        if body.is_empty() {
            return;
        }
        let at = (self.next() % body.len() as u64) as usize;
        match self.next() % 4 {
            0 => {
                body.remove(at);
            }
            1 => body.insert(
                at,
                *b"{}[],:\"\\-0e.n \x01\xff"
                    .get((self.next() % 17) as usize)
                    .unwrap_or(&b'x'),
            ),
            2 => body.truncate(at),
            _ => body[at] = (self.next() % 256) as u8,
        }
    }
}

#[test]
fn random_bodies_agree_with_serde_json() {
    let mut gen = Gen(std::env::var("WIRE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15));
    let mut agreed_ok = 0;
    let rounds: u64 = std::env::var("WIRE_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30_000);
    for round in 0..rounds {
        let mut body = gen.object(0).into_bytes();
        if round % 2 == 1 {
            for _ in 0..=gen.next() % 3 {
                gen.mutate(&mut body);
            }
        }
        if same::<Outer>(&body).is_ok() {
            agreed_ok += 1;
        }
        let _ = same::<Choice>(&body);
        let _ = same::<Vec<Inner>>(&body);
        let _ = same::<HashMap<String, Value>>(&body);
    }
    // The generator must reach valid bodies often, or the comparison proves little.
    assert!(agreed_ok > rounds / 10, "{agreed_ok}");
}

#[test]
fn every_prefix_of_a_full_body_fails_without_panicking() {
    let body = br#"{"name":"x\u00e9","count":1,"ratio":"NaN","at":"2019-05-07T05:41:55Z","items":[{"v":"a"}],"tags":{"k":"v"},"choice":{"pair":{"n":2}},"doc":{"a":[1.5e3,true]},"zz":[{"q":"\\"}]}"#;
    same::<Outer>(body).unwrap_or_else(|e| panic!("{e}"));
    for end in 0..body.len() {
        assert!(same::<Outer>(&body[..end]).is_err());
    }
}

/// A structure with more members than one word of `Members`' bookkeeping holds.
#[derive(Debug, Default, PartialEq)]
struct Wide(Vec<Option<i32>>);

const WIDE_MEMBERS: [&str; 70] = [
    "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17",
    "m18", "m19", "m20", "m21", "m22", "m23", "m24", "m25", "m26", "m27", "m28", "m29", "m30", "m31", "m32", "m33",
    "m34", "m35", "m36", "m37", "m38", "m39", "m40", "m41", "m42", "m43", "m44", "m45", "m46", "m47", "m48", "m49",
    "m50", "m51", "m52", "m53", "m54", "m55", "m56", "m57", "m58", "m59", "m60", "m61", "m62", "m63", "m64", "m65",
    "m66", "m67", "m68", "m69",
];

impl Decode for Wide {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut out = Wide(vec![None; WIDE_MEMBERS.len()]);
        let mut members = Members::begin(r, "Wide", &WIDE_MEMBERS)?;
        while let Some(key) = members.next(r)? {
            match WIDE_MEMBERS.iter().position(|m| *m == &*key) {
                Some(index) => out.0[index] = members.value(r, index)?,
                None => members.skip(r)?,
            }
        }
        Ok(out)
    }
}

#[test]
fn duplicates_are_found_past_the_sixty_fourth_member() {
    let wide = decode::<Wide>(br#"{"m0":0,"m63":63,"m64":64,"m69":69,"m70":1}"#).unwrap();
    assert_eq!(
        (wide.0[0], wide.0[63], wide.0[64], wide.0[69]),
        (Some(0), Some(63), Some(64), Some(69))
    );
    for twice in ["m0", "m63", "m64", "m69"] {
        let body = format!(r#"{{"m1":1,"{twice}":1,"m65":2,"{twice}":null}}"#);
        let e = decode::<Wide>(body.as_bytes()).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("duplicate member `{twice}` of the Wide structure")),
            "{e}"
        );
    }
    // The array form reaches members past 64 by position.
    let values: Vec<String> = (0..70).map(|i| i.to_string()).collect();
    let wide = decode::<Wide>(format!("[{}]", values.join(",")).as_bytes()).unwrap();
    assert_eq!(wide.0[69], Some(69));
    assert!(decode::<Wide>(format!("[{},1]", values.join(",")).as_bytes()).is_err());
}
