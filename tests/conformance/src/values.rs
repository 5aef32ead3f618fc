//! Converting values between botocore's conventions (how the suites write `params` and `result`) and the
//! serde form of the generated types (the awsJson wire form), guided by the suite's shapes.
//!
//! botocore's conventions, from its Python runner: blobs are the raw bytes as a UTF-8 string (`"foo"`, on the
//! wire `"Zm9v"`), timestamps are epoch seconds as numbers (`946845296.123`), absent members are left out.
//! Everything else (strings, numbers, booleans, enums, documents, `"NaN"` spellings) is the same in both forms.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine as _;
use serde_json::{Map, Number, Value};

/// A suite's `shapes`, looked up by name.
#[derive(Clone, Copy, Debug)]
pub struct Shapes<'a>(pub &'a Map<String, Value>);

impl<'a> Shapes<'a> {
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name)
    }

    /// The shape's `type`, with documents (botocore: a structure with `document: true`) as `document`.
    fn kind(&self, name: &str) -> Option<&'a str> {
        let shape = self.get(name)?;
        if shape.get("document").and_then(Value::as_bool) == Some(true) {
            return Some("document");
        }
        shape.get("type")?.as_str()
    }

    /// The shape a member of structure `shape` targets.
    fn member_target(&self, shape: &str, member: &str) -> Option<&'a str> {
        self.get(shape)?.get("members")?.get(member)?.get("shape")?.as_str()
    }

    /// The shape of a list's `member` or a map's `key`/`value`.
    fn child(&self, shape: &str, key: &str) -> Option<&'a str> {
        self.get(shape)?.get(key)?.get("shape")?.as_str()
    }

    /// True for a structure marked `exception` (or `fault`).
    pub fn is_exception(&self, shape: &str) -> bool {
        let flag = |key| self.get(shape).and_then(|s| s.get(key)).and_then(Value::as_bool) == Some(true);
        flag("exception") || flag("fault")
    }
}

/// `params` (botocore conventions) as the generated input type deserializes them: blob strings become base64.
/// Values of unknown members or shapes are kept as they are, for the generated type to judge.
pub fn params_to_wire(shapes: Shapes<'_>, shape: Option<&str>, value: &Value) -> Value {
    let Some(shape) = shape else {
        return value.clone();
    };
    match (shapes.kind(shape), value) {
        (Some("structure"), Value::Object(members)) => Value::Object(
            members
                .iter()
                .map(|(name, v)| {
                    let target = shapes.member_target(shape, name);
                    (name.clone(), params_to_wire(shapes, target, v))
                })
                .collect(),
        ),
        (Some("list"), Value::Array(items)) => {
            let member = shapes.child(shape, "member");
            Value::Array(items.iter().map(|v| params_to_wire(shapes, member, v)).collect())
        }
        (Some("map"), Value::Object(entries)) => {
            let target = shapes.child(shape, "value");
            Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), params_to_wire(shapes, target, v)))
                    .collect(),
            )
        }
        (Some("blob"), Value::String(raw)) => Value::String(STANDARD.encode(raw.as_bytes())),
        _ => value.clone(),
    }
}

/// A parsed output or error (the serde form of the generated type) in botocore's conventions, to compare with
/// a case's `result` or `error`: blobs decoded to strings, timestamps (numbers or any of the three text formats)
/// as epoch-second numbers, `null` members left out. Members the shape does not declare are kept, so they
/// show up as differences, except the `message` member the generator gives every exception (its value is
/// checked as the error message).
pub fn normalize_output(shapes: Shapes<'_>, shape: Option<&str>, value: &Value) -> Value {
    let Some(shape) = shape else {
        return value.clone();
    };
    match (shapes.kind(shape), value) {
        (Some("structure"), Value::Object(members)) => {
            let exception = shapes.is_exception(shape);
            Value::Object(
                members
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .filter_map(|(name, v)| {
                        let target = shapes.member_target(shape, name);
                        if target.is_none() && exception && name == "message" {
                            return None;
                        }
                        Some((name.clone(), normalize_output(shapes, target, v)))
                    })
                    .collect(),
            )
        }
        (Some("list"), Value::Array(items)) => {
            let member = shapes.child(shape, "member");
            Value::Array(items.iter().map(|v| normalize_output(shapes, member, v)).collect())
        }
        (Some("map"), Value::Object(entries)) => {
            let target = shapes.child(shape, "value");
            Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), normalize_output(shapes, target, v)))
                    .collect(),
            )
        }
        (Some("blob"), Value::String(encoded)) => decode_blob(encoded),
        (Some("timestamp"), Value::String(text)) => match parse_timestamp(text) {
            Some((secs, nanos)) => epoch_number(secs, nanos),
            None => value.clone(),
        },
        _ => value.clone(),
    }
}

/// A base64 blob as the string of its bytes; bytes that are not UTF-8 are shown as such (and so differ).
fn decode_blob(encoded: &str) -> Value {
    match STANDARD.decode(encoded).or_else(|_| STANDARD_NO_PAD.decode(encoded)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Value::String(text),
            Err(e) => Value::String(format!("<non-UTF-8 bytes {:?}>", e.into_bytes())),
        },
        Err(_) => Value::String(format!("<not base64: {encoded}>")),
    }
}

/// Epoch seconds as a JSON number: an integer when whole, else the double nearest the exact decimal (as
/// botocore's value in the suite is parsed), so equal instants compare equal.
pub fn epoch_number(secs: i64, nanos: u32) -> Value {
    if nanos == 0 {
        return Value::from(secs);
    }
    let (sign, whole, fraction) = if secs < 0 {
        ("-", -(secs + 1), 1_000_000_000 - nanos)
    } else {
        ("", secs, nanos)
    };
    let text = format!("{sign}{whole}.{fraction:09}");
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or(Value::String(text), Value::Number)
}

/// Seconds and nanoseconds since the epoch from RFC 3339 / ISO 8601 (`2019-12-16T22:48:18-01:00`,
/// fractions, `Z`), an IMF-fixdate (`Sun, 02 Jan 2000 20:34:56 GMT`) or a numeric string (`1398796238.5`).
pub fn parse_timestamp(text: &str) -> Option<(i64, u32)> {
    let text = text.trim();
    parse_rfc3339(text)
        .or_else(|| parse_http_date(text))
        .or_else(|| parse_epoch(text))
}

fn parse_epoch(text: &str) -> Option<(i64, u32)> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let nanos = fraction_nanos(fraction)?;
    if !negative {
        return Some((whole, nanos));
    }
    Some(if nanos == 0 {
        (-whole, 0)
    } else {
        (-whole - 1, 1_000_000_000 - nanos)
    })
}

/// Up to nine fractional digits as nanoseconds (more digits are truncated).
fn fraction_nanos(fraction: &str) -> Option<u32> {
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = fraction.chars().chain(std::iter::repeat('0')).take(9).collect();
    digits.parse().ok()
}

fn number<T: std::str::FromStr>(text: &str, len: usize) -> Option<T> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn parse_rfc3339(text: &str) -> Option<(i64, u32)> {
    let (date, time) = text.split_once(['T', 't'])?;
    let mut date_parts = date.split('-');
    let year: i64 = number(date_parts.next()?, 4)?;
    let month: u32 = number(date_parts.next()?, 2)?;
    let day: u32 = number(date_parts.next()?, 2)?;
    if date_parts.next().is_some() {
        return None;
    }
    let (clock, offset_secs) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (clock, offset) = time.split_at(at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (h, m) = offset.get(1..)?.split_once(':')?;
        let offset: i64 = number::<i64>(h, 2)? * 3600 + number::<i64>(m, 2)? * 60;
        (clock, sign * offset)
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut hms_parts = hms.split(':');
    let hour: i64 = number(hms_parts.next()?, 2)?;
    let minute: i64 = number(hms_parts.next()?, 2)?;
    let second: i64 = number(hms_parts.next()?, 2)?;
    if hms_parts.next().is_some() || (fraction.is_empty() && clock.contains('.')) {
        return None;
    }
    let nanos = fraction_nanos(fraction)?;
    let days = days_from_civil(year, month, day)?;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs, nanos))
}

fn parse_http_date(text: &str) -> Option<(i64, u32)> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [weekday, day, month, year, clock, "GMT"] = parts.as_slice() else {
        return None;
    };
    if !weekday.ends_with(',') {
        return None;
    }
    let day: u32 = number(day, 2)?;
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let year: i64 = number(year, 4)?;
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut hms_parts = hms.split(':');
    let hour: i64 = number(hms_parts.next()?, 2)?;
    let minute: i64 = number(hms_parts.next()?, 2)?;
    let second: i64 = number(hms_parts.next()?, 2)?;
    let nanos = fraction_nanos(fraction)?;
    let days = days_from_civil(year, month, day)?;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shapes() -> Map<String, Value> {
        json!({
            "Top": {"type": "structure", "members": {
                "Blob": {"shape": "Blob"},
                "Blobs": {"shape": "BlobList"},
                "BlobMap": {"shape": "BlobMap"},
                "Nested": {"shape": "Top"},
                "When": {"shape": "Time"},
                "Iso": {"shape": "IsoTime"},
                "Name": {"shape": "String"},
                "Doc": {"shape": "Doc"},
                "Union": {"shape": "U"},
            }},
            "U": {"type": "structure", "union": true, "members": {"blobValue": {"shape": "Blob"}}},
            "Blob": {"type": "blob"},
            "BlobList": {"type": "list", "member": {"shape": "Blob"}},
            "BlobMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "Blob"}},
            "Time": {"type": "timestamp"},
            "IsoTime": {"type": "timestamp", "timestampFormat": "iso8601"},
            "String": {"type": "string"},
            "Doc": {"type": "structure", "document": true},
            "Err": {"type": "structure", "exception": true, "members": {"Code": {"shape": "String"}}},
        })
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn params_blobs_become_base64_wherever_they_are() {
        let shapes = shapes();
        let params = json!({
            "Blob": "foo",
            "Blobs": ["foo", "binary-value"],
            "BlobMap": {"k": "foo"},
            "Nested": {"Nested": {"Blob": "foo"}, "When": 946845296.123},
            "Union": {"blobValue": "foo"},
            "Name": "foo",
            "Doc": {"Blob": "foo"},
            "Unknown": "foo",
        });
        let wire = params_to_wire(Shapes(&shapes), Some("Top"), &params);
        assert_eq!(
            wire,
            json!({
                "Blob": "Zm9v",
                "Blobs": ["Zm9v", "YmluYXJ5LXZhbHVl"],
                "BlobMap": {"k": "Zm9v"},
                "Nested": {"Nested": {"Blob": "Zm9v"}, "When": 946845296.123},
                "Union": {"blobValue": "Zm9v"},
                "Name": "foo",
                "Doc": {"Blob": "foo"},
                "Unknown": "foo",
            })
        );
        // No input shape: the params are sent as they are.
        assert_eq!(params_to_wire(Shapes(&shapes), None, &json!({})), json!({}));
    }

    #[test]
    fn outputs_are_normalized_back_to_botocore_conventions() {
        let shapes = shapes();
        let parsed = json!({
            "Blob": "YmluYXJ5LXZhbHVl",
            "Blobs": ["Zm9v"],
            "BlobMap": {"k": "Zm9v"},
            "When": 1576540098,
            "Iso": "2000-01-02T20:34:56.123Z",
            "Nested": {"When": "Sun, 02 Jan 2000 20:34:56 GMT", "Name": null},
            "Union": {"blobValue": "Zm9v"},
            "Doc": {"Blob": "Zm9v", "null": null},
            "Extra": 1,
        });
        assert_eq!(
            normalize_output(Shapes(&shapes), Some("Top"), &parsed),
            json!({
                "Blob": "binary-value",
                "Blobs": ["foo"],
                "BlobMap": {"k": "foo"},
                "When": 1576540098,
                "Iso": 946845296.123,
                "Nested": {"When": 946845296},
                "Union": {"blobValue": "foo"},
                "Doc": {"Blob": "Zm9v", "null": null},
                "Extra": 1,
            })
        );
    }

    #[test]
    fn the_generated_exception_message_is_left_to_the_message_check() {
        let shapes = shapes();
        let parsed = json!({"Code": "X", "message": "Hi"});
        assert_eq!(
            normalize_output(Shapes(&shapes), Some("Err"), &parsed),
            json!({"Code": "X"})
        );
        // Only for exceptions: elsewhere an undeclared member is a difference to report.
        let parsed = json!({"message": "Hi"});
        assert_eq!(
            normalize_output(Shapes(&shapes), Some("Top"), &parsed),
            json!({"message": "Hi"})
        );
    }

    #[test]
    fn undecodable_blobs_stay_visible() {
        assert_eq!(decode_blob("//8="), json!("<non-UTF-8 bytes [255, 255]>"));
        assert_eq!(decode_blob("Zm9v"), json!("foo"));
        assert_eq!(decode_blob("Zm8"), json!("fo"));
        assert_eq!(decode_blob("*"), json!("<not base64: *>"));
    }

    #[test]
    fn timestamps_in_every_format() {
        assert_eq!(parse_timestamp("2000-01-02T20:34:56Z"), Some((946_845_296, 0)));
        assert_eq!(
            parse_timestamp("2000-01-02T20:34:56.123Z"),
            Some((946_845_296, 123_000_000))
        );
        assert_eq!(parse_timestamp("2019-12-16T22:48:18-01:00"), Some((1_576_540_098, 0)));
        assert_eq!(parse_timestamp("2019-12-17T00:48:18+01:00"), Some((1_576_540_098, 0)));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse_timestamp("1969-12-31T23:59:59.5Z"), Some((-1, 500_000_000)));
        assert_eq!(parse_timestamp("Sun, 02 Jan 2000 20:34:56 GMT"), Some((946_845_296, 0)));
        assert_eq!(
            parse_timestamp("Sun, 02 Jan 2000 20:34:56.5 GMT"),
            Some((946_845_296, 500_000_000))
        );
        assert_eq!(parse_timestamp("1398796238"), Some((1_398_796_238, 0)));
        assert_eq!(parse_timestamp("1398796238.25"), Some((1_398_796_238, 250_000_000)));
        assert_eq!(parse_timestamp("-1.5"), Some((-2, 500_000_000)));
        for bad in [
            "",
            "2000-13-01T00:00:00Z",
            "2000-01-02 20:34:56Z",
            "Sun, 2 Jan 2000 20:34:56 GMT",
            "12x",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn epoch_numbers_equal_the_suites_decimals() {
        assert_eq!(epoch_number(946_845_296, 0), json!(946845296));
        assert_eq!(epoch_number(946_845_296, 123_000_000), json!(946845296.123));
        assert_eq!(epoch_number(-2, 500_000_000), json!(-1.5));
        assert_eq!(epoch_number(0, 1), json!(0.000000001));
    }
}
