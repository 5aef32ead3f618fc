//! Differential fuzzing of the response parser: generated and mutated response bodies are read by the client's
//! wire path (`awsgen_runtime::wire::decode`, the generated `Decode` impls) and by the reference, serde_json's
//! `from_slice` through the serde derives every generated type also has. For every body both must give the
//! same value, or both an error; neither may panic or hang.
//!
//! Subjects: ECS `DescribeTaskSetsOutput` and each of its eight exceptions, and the outputs of the golden crates
//! with unions, documents, blobs, timestamps, enums, scalars at their limits and recursive shapes. Seeds are
//! whole bodies (`fixtures/describe_task_sets_full.json`, `fixtures/fuzz_parse/*.json`); each case stacks one to
//! four mutations on one: values swapped for others of any JSON type, members removed, unknown members and
//! known ones with wrong values added, duplicate keys, numbers at and past the edges of `i32`/`i64`/`f64`,
//! strings with escapes, surrogates and control characters, nesting past the depth limit, and byte-level
//! damage (flips, insertions, truncation, invalid UTF-8).
//!
//! `cargo test -p awsgen-behaviour-tests --test fuzz_parse` runs `AWSGEN_FUZZ_PARSE_CASES` cases (20,000 by
//! default, which `cargo test --workspace` runs in CI); `cargo xtask fuzz-parse --cases N [--seed S]` runs N in
//! release. Each case is a function of the seed and its index, and a failure prints both and the body.

use awsgen_runtime::serde::de::DeserializeOwned;
use awsgen_runtime::serde::Serialize;
use awsgen_runtime::wire::Decode;
use serde_json::{json, Map, Value};
use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A case slower than this is reported as a hang (bodies are a few kilobytes; a parse takes microseconds).
const HANG: Duration = Duration::from_secs(2);

/// What both paths made of one body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Agreement {
    BothRead,
    BothRefused,
}

/// Reads `body` both ways and compares; `Err` describes a mismatch.
fn differential<T>(body: &[u8]) -> Result<Agreement, String>
where
    T: DeserializeOwned + Decode + PartialEq + Serialize + Debug,
{
    let reference = serde_json::from_slice::<T>(body);
    let wire = awsgen_runtime::wire::decode::<T>(body);
    match (reference, wire) {
        // NaN is not equal to itself: values that serialize alike are the same value.
        (Ok(a), Ok(b)) if a == b || serde_json::to_string(&a).ok() == serde_json::to_string(&b).ok() => {
            Ok(Agreement::BothRead)
        }
        (Ok(a), Ok(b)) => Err(format!("different values\n  serde: {a:?}\n  wire:  {b:?}")),
        (Err(_), Err(_)) => Ok(Agreement::BothRefused),
        (Ok(a), Err(e)) => Err(format!("serde read {a:?}\n  wire refused it: {e}")),
        (Err(e), Ok(b)) => Err(format!("serde refused it: {e}\n  wire read {b:?}")),
    }
}

/// One type under test, its seed bodies, and the keys seen in them (for "known member, wrong value").
struct Subject {
    name: &'static str,
    seeds: Vec<Value>,
    keys: Vec<String>,
    check: fn(&[u8]) -> Result<Agreement, String>,
}

fn subject(name: &'static str, seeds: Vec<Value>, check: fn(&[u8]) -> Result<Agreement, String>) -> Subject {
    fn collect(value: &Value, keys: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    keys.push(k.clone());
                    collect(v, keys);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, keys)),
            _ => {}
        }
    }
    let mut keys = Vec::new();
    seeds.iter().for_each(|s| collect(s, &mut keys));
    keys.sort();
    keys.dedup();
    Subject {
        name,
        seeds,
        keys,
        check,
    }
}

fn seeds(text: &str) -> Vec<Value> {
    match serde_json::from_str(text).expect("a fuzz seed file is JSON") {
        Value::Array(seeds) => seeds,
        one => vec![one],
    }
}

fn subjects() -> Vec<Subject> {
    use awsgen_ecs::types::error as ecs;
    let error = |code: &str| {
        vec![
            json!({"__type": format!("com.amazonaws.ecs#{code}"), "message": "why"}),
            json!({"__type": code, "Message": "why", "extra": [1, {"a": null}]}),
            json!({}),
        ]
    };
    vec![
        subject(
            "ecs DescribeTaskSetsOutput",
            seeds(include_str!("fixtures/describe_task_sets_full.json")),
            differential::<awsgen_ecs::operation::describe_task_sets::DescribeTaskSetsOutput>,
        ),
        subject(
            "ecs AccessDeniedException",
            error("AccessDeniedException"),
            differential::<ecs::AccessDeniedException>,
        ),
        subject(
            "ecs ClientException",
            error("ClientException"),
            differential::<ecs::ClientException>,
        ),
        subject(
            "ecs ClusterNotFoundException",
            error("ClusterNotFoundException"),
            differential::<ecs::ClusterNotFoundException>,
        ),
        subject(
            "ecs InvalidParameterException",
            error("InvalidParameterException"),
            differential::<ecs::InvalidParameterException>,
        ),
        subject(
            "ecs ServerException",
            error("ServerException"),
            differential::<ecs::ServerException>,
        ),
        subject(
            "ecs ServiceNotActiveException",
            error("ServiceNotActiveException"),
            differential::<ecs::ServiceNotActiveException>,
        ),
        subject(
            "ecs ServiceNotFoundException",
            error("ServiceNotFoundException"),
            differential::<ecs::ServiceNotFoundException>,
        ),
        subject(
            "ecs UnsupportedFeatureException",
            error("UnsupportedFeatureException"),
            differential::<ecs::UnsupportedFeatureException>,
        ),
        subject(
            "unions PutUnionOutput",
            seeds(include_str!("fixtures/fuzz_parse/unions.json")),
            differential::<golden_unions::operation::put_union::PutUnionOutput>,
        ),
        subject(
            "timestamps PutTimesOutput",
            seeds(include_str!("fixtures/fuzz_parse/timestamps.json")),
            differential::<golden_timestamps::operation::put_times::PutTimesOutput>,
        ),
        subject(
            "blobs PutBlobsOutput",
            seeds(include_str!("fixtures/fuzz_parse/blobs.json")),
            differential::<golden_blobs::operation::put_blobs::PutBlobsOutput>,
        ),
        subject(
            "recursion WalkOutput",
            seeds(include_str!("fixtures/fuzz_parse/recursion.json")),
            differential::<golden_recursion::operation::walk::WalkOutput>,
        ),
        subject(
            "scalars PutScalarsOutput (documents, floats, limits)",
            seeds(include_str!("fixtures/fuzz_parse/scalars.json")),
            differential::<golden_scalars::operation::put_scalars::PutScalarsOutput>,
        ),
        subject(
            "enums PutEnumsOutput",
            seeds(include_str!("fixtures/fuzz_parse/enums.json")),
            differential::<golden_enums::operation::put_enums::PutEnumsOutput>,
        ),
    ]
}

/// splitmix64: small, fast, and each case's stream is a function of (seed, index) alone.
struct Rng(u64);

impl Rng {
    fn for_case(seed: u64, index: u64) -> Self {
        let mut rng = Rng(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Raw text a `Value` cannot hold (numbers past `f64`, exact integer edges, nesting past the limit), put in as a
/// marked string and spliced in after serialization.
const RAW: &str = "\u{1}RAW";
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1.0",
    "1.5",
    "-0.0",
    "1e2",
    "1E2",
    "1e-2",
    "1e308",
    "1e309",
    "-1e400",
    "4.9e-324",
    "1e-400",
    "0.1",
    "123456789012345678901234567890",
    "1557207715.195",
    "1.7976931348623157e308",
    "00",
    "01",
    "1.",
    ".5",
    "+1",
    "1e",
    "NaN",
    "Infinity",
];
const STRINGS: &[&str] = &[
    "",
    "NaN",
    "Infinity",
    "-Infinity",
    "nan",
    "2019-05-07T05:41:55.195Z",
    "2019-05-07T05:41:55+01:00",
    "Tue, 07 May 2019 05:41:55 GMT",
    "1557207715",
    "1557207715.5",
    "aGVsbG8=",
    "aGVsbG8",
    "!!!",
    "RED",
    "GREEN",
    "1.0",
    "A",
    "a\u{0}b",
    "\u{1F600}",
    "é",
    "\\",
    "\"",
    "ACTIVE",
    "PRIMARY",
    "FARGATE",
];
const ESCAPED: &[&str] = &[
    r#""\ud83d\ude00""#,
    r#""\ud83d""#,
    r#""\ude00x""#,
    r#""\u00e9\n\t\/""#,
    r#""\x""#,
    r#""\u12""#,
    "\"a\u{1}b\"",
    r#""\u0000""#,
];

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => json!(rng.next() as i64 >> rng.below(64)),
        3 => json!((rng.next() as f64) / 1e9 - 9e9),
        4 => Value::String(rng.pick(STRINGS).to_string()),
        5 => Value::String(format!("{RAW}{}", rng.pick(NUMBERS))),
        6 => Value::String(format!("{RAW}{}", rng.pick(ESCAPED))),
        7 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth + 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(4) {
                map.insert(format!("k{}", rng.below(5)), random_value(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

/// Every node of `value`, as a path of steps from the root.
fn node_paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                here.push(Step::Key(k.clone()));
                node_paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(Step::Index(i));
                node_paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get_mut(k),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

/// One structure-aware mutation in place.
fn mutate_value(rng: &mut Rng, body: &mut Value, keys: &[String]) {
    let mut paths = Vec::new();
    node_paths(body, &mut Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let Some(node) = node_mut(body, &path) else { return };
    match rng.below(10) {
        0..=2 => *node = random_value(rng, 0),
        3 => {
            // Remove this node from its parent.
            if let Some((last, parent_path)) = path.split_last() {
                match (node_mut(body, parent_path), last) {
                    (Some(Value::Object(map)), Step::Key(k)) => {
                        map.remove(k);
                    }
                    (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        4 | 5 => {
            if let Value::Object(map) = node {
                let key = if rng.below(2) == 0 && !keys.is_empty() {
                    rng.pick(keys).clone()
                } else {
                    format!("unknown{}", rng.below(3))
                };
                map.insert(key, random_value(rng, 1));
            } else if let Value::Array(items) = node {
                let copy = items.first().cloned().unwrap_or(Value::Null);
                items.push(if rng.below(2) == 0 { copy } else { random_value(rng, 1) });
            } else {
                *node = random_value(rng, 0);
            }
        }
        6 => {
            // A duplicate key: a marked copy of a sibling's key, unmarked after serialization.
            if let Value::Object(map) = node {
                if let Some(key) = map.keys().nth(rng.below(map.len())).cloned() {
                    let value = if rng.below(2) == 0 {
                        random_value(rng, 1)
                    } else {
                        map[&key].clone()
                    };
                    map.insert(format!("{RAW}DUP{key}"), value);
                }
            }
        }
        7 => {
            // Nesting past serde_json's limit of 128, or just under it.
            let depth = if rng.below(2) == 0 { 127 } else { 129 + rng.below(200) };
            let open = if rng.below(2) == 0 { "[" } else { "{\"a\":" };
            let close = if open == "[" { "]" } else { "}" };
            *node = Value::String(format!("{RAW}{}1{}", open.repeat(depth), close.repeat(depth)));
        }
        8 => *node = Value::String(format!("{RAW}{}", rng.pick(NUMBERS))),
        _ => *node = Value::String(format!("{RAW}{}", rng.pick(ESCAPED))),
    }
}

/// The body text: serialized, marked raw text spliced in, then (sometimes) damaged byte by byte.
fn render(rng: &mut Rng, body: &Value) -> Vec<u8> {
    let text = serde_json::to_string(body).unwrap_or_default();
    // `"\u0001RAWxyz"` (as serde_json escapes it) becomes `xyz`; `"\u0001RAWDUPkey"` as a key becomes `"key"`.
    let marker = "\"\\u0001RAW";
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        if let Some(key) = after.strip_prefix("DUP") {
            out.push('"');
            rest = key;
            continue;
        }
        // The raw text runs to the closing quote of the marked string: take serde_json's escaping back.
        let end = closing_quote(after);
        let raw: String = serde_json::from_str(&format!("\"{}\"", &after[..end])).unwrap_or_default();
        out.push_str(&raw);
        rest = &after[(end + 1).min(after.len())..];
    }
    out.push_str(rest);
    let mut bytes = out.into_bytes();
    if rng.below(4) == 0 {
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(6) {
                0 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
                1 => bytes.insert(at, *rng.pick(b"{}[]\",:\\ 0-e.tfn\x00\x80\xff\xc3")),
                2 => bytes.truncate(at),
                3 if at < bytes.len() => {
                    bytes.remove(at);
                }
                4 => bytes.splice(at..at, [0xed, 0xa0, 0x80]).for_each(drop),
                _ => bytes.insert(at, b' '),
            }
        }
    }
    bytes
}

/// The index of the closing `"` of a JSON string body (escapes skipped).
fn closing_quote(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn case_body(rng: &mut Rng, subject: &Subject) -> Vec<u8> {
    let mut body = rng.pick(&subject.seeds).clone();
    // A few cases read the seed as it is, so the agreeing path is exercised too.
    let mutations = if rng.below(16) == 0 { 0 } else { 1 + rng.below(4) };
    for _ in 0..mutations {
        mutate_value(rng, &mut body, &subject.keys);
    }
    render(rng, &body)
}

fn main() {
    let cases: u64 = std::env::var("AWSGEN_FUZZ_PARSE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("AWSGEN_FUZZ_PARSE_SEED")
        .ok()
        .and_then(|v| u64::from_str_radix(v.trim_start_matches("0x"), 16).ok())
        .unwrap_or(0x00da_7a5e);
    let subjects = subjects();
    // Silence the default hook: panics are caught, counted and reported with their case.
    std::panic::set_hook(Box::new(|_| {}));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let next = AtomicU64::new(0);
    let started = Instant::now();
    let results: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut tally = Tally::new(subjects.len());
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        if index >= cases {
                            return tally;
                        }
                        run_case(seed, index, &subjects, &mut tally);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker thread"))
            .collect()
    });
    let mut total = Tally::new(subjects.len());
    for tally in results {
        total.merge(tally);
    }
    println!(
        "fuzz-parse: seed {seed:#x}, {threads} threads, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for (subject, (read, refused)) in subjects.iter().zip(&total.per_subject) {
        println!(
            "  {:<52} {read:>9} read by both, {refused:>9} refused by both",
            subject.name
        );
    }
    for failure in total.failures.iter().take(5) {
        println!("{failure}");
    }
    println!(
        "{cases} cases, {} mismatches, {} panics, {} hangs",
        total.mismatches, total.panics, total.hangs
    );
    if total.mismatches + total.panics + total.hangs > 0 {
        std::process::exit(1);
    }
}

struct Tally {
    per_subject: Vec<(u64, u64)>,
    mismatches: u64,
    panics: u64,
    hangs: u64,
    failures: Vec<String>,
}

impl Tally {
    fn new(subjects: usize) -> Self {
        Tally {
            per_subject: vec![(0, 0); subjects],
            mismatches: 0,
            panics: 0,
            hangs: 0,
            failures: Vec::new(),
        }
    }

    fn merge(&mut self, other: Tally) {
        for (mine, theirs) in self.per_subject.iter_mut().zip(other.per_subject) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
        self.mismatches += other.mismatches;
        self.panics += other.panics;
        self.hangs += other.hangs;
        self.failures.extend(other.failures);
    }
}

fn run_case(seed: u64, index: u64, subjects: &[Subject], tally: &mut Tally) {
    let mut rng = Rng::for_case(seed, index);
    let which = rng.below(subjects.len());
    let subject = &subjects[which];
    let body = case_body(&mut rng, subject);
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| (subject.check)(&body)));
    let took = started.elapsed();
    let describe = |what: &str| {
        format!(
            "case {index} (seed {seed:#x}), {}: {what}\n  body: {}",
            subject.name,
            String::from_utf8_lossy(&body[..body.len().min(2000)])
        )
    };
    if took > HANG {
        tally.hangs += 1;
        tally.failures.push(describe(&format!("took {took:?}")));
    }
    match outcome {
        Ok(Ok(Agreement::BothRead)) => tally.per_subject[which].0 += 1,
        Ok(Ok(Agreement::BothRefused)) => tally.per_subject[which].1 += 1,
        Ok(Err(mismatch)) => {
            tally.mismatches += 1;
            tally.failures.push(describe(&mismatch));
        }
        Err(panic) => {
            tally.panics += 1;
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            tally.failures.push(describe(&format!("panicked: {message}")));
        }
    }
}
