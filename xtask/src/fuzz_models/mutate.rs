//! Mutations of a model, mostly on its parsed JSON (so that most cases get past the JSON parser and reach the
//! lowering), some on its bytes. Each mutation is logged in words, so a failing case can be read as well as
//! replayed.

use super::Kind;
use serde_json::{json, Map, Number, Value};

/// splitmix64: a tiny deterministic generator, so that a case is a function of the seed and its index alone
/// (and so of no thread or run order).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn for_case(seed: u64, case: u64) -> Rng {
        let mut rng = Rng(seed);
        let mixed = rng.next() ^ case.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Rng(mixed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True once in `n` times.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// One step of a JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub type Path = Vec<Seg>;

pub fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|seg| match seg {
            Seg::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn get<'a>(value: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(value, |value, seg| match (seg, value) {
        (Seg::Key(key), Value::Object(map)) => map.get(key),
        (Seg::Index(i), Value::Array(items)) => items.get(*i),
        _ => None,
    })
}

fn get_mut<'a>(value: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |value, seg| match (seg, value) {
        (Seg::Key(key), Value::Object(map)) => map.get_mut(key),
        (Seg::Index(i), Value::Array(items)) => items.get_mut(*i),
        _ => None,
    })
}

/// A node chosen uniformly among those `wanted` accepts (reservoir sampling over one walk), by path.
fn pick_node(root: &Value, rng: &mut Rng, wanted: &dyn Fn(&[Seg], &Value) -> bool) -> Option<Path> {
    fn walk(
        value: &Value,
        path: &mut Path,
        rng: &mut Rng,
        wanted: &dyn Fn(&[Seg], &Value) -> bool,
        seen: &mut usize,
        chosen: &mut Option<Path>,
    ) {
        if wanted(path, value) {
            *seen += 1;
            if rng.below(*seen) == 0 {
                *chosen = Some(path.clone());
            }
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push(Seg::Key(key.clone()));
                    walk(child, path, rng, wanted, seen, chosen);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    walk(child, path, rng, wanted, seen, chosen);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut chosen = None;
    walk(root, &mut Vec::new(), rng, wanted, &mut 0, &mut chosen);
    chosen
}

fn last_key(path: &[Seg]) -> Option<&str> {
    match path.last() {
        Some(Seg::Key(key)) => Some(key),
        _ => None,
    }
}

/// The shape a path lies in (`/shapes/<name>/...`).
fn shape_of(path: &[Seg]) -> Option<&str> {
    match path {
        [Seg::Key(shapes), Seg::Key(name), ..] if shapes == "shapes" => Some(name),
        _ => None,
    }
}

fn shape_names(root: &Value) -> Vec<String> {
    root.get("shapes")
        .and_then(Value::as_object)
        .map(|shapes| shapes.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every member name of every shape: what paginators, waiters, host prefixes and `required` lists name.
pub fn member_names(root: &Value) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(shapes) = root.get("shapes").and_then(Value::as_object) {
        for shape in shapes.values() {
            if let Some(members) = shape.get("members").and_then(Value::as_object) {
                names.extend(members.keys().cloned());
            }
        }
    }
    names
}

/// The operations a model has, by the name `--operations` takes.
pub fn operation_names(root: &Value, kind: Kind) -> Vec<String> {
    match kind {
        Kind::Botocore => root
            .get("operations")
            .and_then(Value::as_object)
            .map(|ops| ops.keys().cloned().collect())
            .unwrap_or_default(),
        Kind::Smithy => root
            .get("shapes")
            .and_then(Value::as_object)
            .map(|shapes| {
                shapes
                    .iter()
                    .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("operation"))
                    .map(|(id, _)| id.split_once('#').map_or(id.as_str(), |(_, name)| name).to_owned())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

const STRINGS: &[&str] = &[
    "",
    " ",
    "x",
    "Self",
    "self",
    "type",
    "r#type",
    "String",
    "Option",
    "Result",
    "Box",
    "Vec",
    "Unknown",
    "builder",
    "1abc",
    "_",
    "__",
    "a-b",
    "a b",
    "a.b",
    "a/b~c",
    "ünïcödé",
    "名前",
    "\u{0}",
    "\u{202e}rtl",
    "emoji💥",
    "\"quoted\"",
    "\\",
    "#",
    "a#b#c",
    "com.example#Missing",
    "smithy.api#Unit",
    "smithy.api#String",
    "smithy.api#Document",
    "smithy.api#Nope",
    "Missing",
    "[",
    "(?=x)",
    "^[a-z]+$",
    "\\p{Nonsense}",
    "{",
    "}",
    "{}",
    "{Missing}.",
    "{a}{b}.",
    "data-",
    "NaN",
    "-Infinity",
    "1e400",
    "epoch-seconds",
    "date-time",
    "http-date",
    "iso8601",
    "unixTimestamp",
    "rfc822",
    "julian",
    "client",
    "server",
    "gzip",
    "application/json",
    "json",
    "rest-json",
    "1.0",
    "1.1",
    "2.0",
    "items[].status",
    "a.b[0]",
    "foo[?x == `1`]",
    "length(@)",
    "a || b",
    "*.x",
    "[-1]",
    "@",
    "`",
    "'",
    "Items[-1].Id",
    "<p>html <b>doc</b> <a href=\"x\">link</a></p>",
    "<ul><li>unclosed",
    "<![CDATA[",
    "&bogus;&#xFFFFFFFF;",
    "```",
];

/// Text nested or repeated deep enough to matter to a recursive parser (JMESPath, HTML, Markdown, templates).
fn deep_string(rng: &mut Rng) -> String {
    let n = *rng.pick(&[8usize, 70, 300, 3_000, 100_000]).unwrap_or(&8);
    match rng.below(10) {
        0 => format!("{}a{}", "(".repeat(n), ")".repeat(n)),
        1 => format!("{}a", "!".repeat(n)),
        2 => format!("{}a", "a.".repeat(n)),
        3 => format!("{}a", "a[".repeat(n)),
        4 => format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        5 => format!("{}x", "<b>".repeat(n)),
        6 => format!("{}x", "<ul><li>".repeat(n)),
        7 => format!("{}x{}", "*_`[".repeat(n), "]`_*".repeat(n)),
        8 => format!("{}a", "{".repeat(n)),
        _ => format!("{}a", "a || ".repeat(n)),
    }
}

const HTML_PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<code>",
    "</code>",
    "<a href=\"https://example.com/a_b*c\">",
    "<a>",
    "</a>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<li>",
    "</li>",
    "<dl>",
    "<dt>",
    "<dd>",
    "</dl>",
    "<pre>",
    "</pre>",
    "<note>",
    "</note>",
    "<important>",
    "<table>",
    "<tr>",
    "<td>",
    "<th>",
    "</table>",
    "<br/>",
    "<br>",
    "<h1>",
    "</h1>",
    "<div>",
    "</div>",
    "<span>",
    "<fullname>",
    "</fullname>",
    "<p/>",
    "</li></ul>",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<!--",
    "&amp;",
    "&lt;",
    "&#x1F4A5;",
    "&#0;",
    "&#xD800;",
    "&nbsp;",
    "&bogus;",
    "*",
    "**",
    "_",
    "`",
    "``",
    "[x](y)",
    "[",
    "](",
    "#",
    "> ",
    "|",
    "\\",
    "  ",
    "\n",
    "\n\n",
    "1. ",
    "- ",
    "+",
    "<https://x>",
    "http://example.com/",
    "text",
    "more text",
    "\t",
    "{",
    "}",
    "<",
    ">",
    "\"",
];

/// HTML as models write documentation, and worse: unclosed, misnested, deep, with Markdown's special characters.
fn html_doc(rng: &mut Rng) -> String {
    if rng.one_in(10) {
        return deep_string(rng);
    }
    (0..1 + rng.below(40))
        .map(|_| (*rng.pick(HTML_PIECES).unwrap_or(&"")).to_owned())
        .collect()
}

const JMESPATH_PIECES: &[&str] = &[
    "a",
    "status",
    "items",
    "Items",
    "x_y",
    "\"quoted\"",
    ".",
    "[]",
    "[*]",
    "[0]",
    "[-1]",
    "[1:2]",
    "[::-1]",
    "[::0]",
    "[?",
    "]",
    "==",
    "!=",
    "<",
    ">=",
    "`1`",
    "`\"s\"`",
    "`{\"a\": [1]}`",
    "`",
    "'raw'",
    "'",
    "&&",
    "||",
    "!",
    "@",
    "*",
    "|",
    "(",
    ")",
    "{k: a}",
    "{",
    "}",
    "[a, b]",
    ",",
    ":",
    "length(",
    "contains(",
    "not_null(",
    "sort_by(",
    "&a",
    "to_number(",
    "abs(",
    "join(",
    "nope(",
    " ",
    "9223372036854775808",
    "-",
    "\\",
    "$",
];

/// A JMESPath expression of the pieces waiters' paths are made of, often malformed, sometimes deep.
fn jmespath(rng: &mut Rng) -> String {
    if rng.one_in(8) {
        return deep_string(rng);
    }
    (0..1 + rng.below(12))
        .map(|_| (*rng.pick(JMESPATH_PIECES).unwrap_or(&"")).to_owned())
        .collect()
}

fn junk_string(rng: &mut Rng) -> String {
    match rng.below(9) {
        0 => "a".repeat(1 + rng.below(5000)),
        8 if rng.one_in(3) => deep_string(rng),
        1 => "é".repeat(1 + rng.below(300)),
        2 => format!(
            "{}{}",
            rng.pick(STRINGS).unwrap_or(&""),
            rng.pick(STRINGS).unwrap_or(&"")
        ),
        _ => (*rng.pick(STRINGS).unwrap_or(&"")).to_owned(),
    }
}

fn edge_number(rng: &mut Rng) -> Value {
    let f = |x: f64| Number::from_f64(x).map_or(Value::Null, Value::Number);
    match rng.below(16) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(1),
        3 => json!(u64::MAX),
        4 => json!(i64::MIN),
        5 => json!(i64::MAX),
        6 => f(1.5),
        7 => f(-0.5),
        8 => f(1e300),
        9 => f(-1e300),
        10 => f(1e-300),
        11 => json!(9_007_199_254_740_993u64),
        12 => json!(4_294_967_296u64),
        13 => json!(2_147_483_648u64),
        14 => json!(-2_147_483_649i64),
        _ => f(0.1),
    }
}

/// A value of any JSON type.
fn junk_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 9 } else { 12 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 | 3 => edge_number(rng),
        4..=6 => Value::String(junk_string(rng)),
        7 => json!([]),
        8 => json!({}),
        9 => Value::Array((0..1 + rng.below(3)).map(|_| junk_value(rng, depth + 1)).collect()),
        10 => {
            let mut map = Map::new();
            for _ in 0..1 + rng.below(3) {
                map.insert(junk_string(rng), junk_value(rng, depth + 1));
            }
            Value::Object(map)
        }
        _ => {
            // Nesting deep enough to matter to recursive code, not deep enough for serde_json's limit.
            let mut value = json!("deep");
            for _ in 0..(20 + rng.below(90)) {
                value = json!([value]);
            }
            value
        }
    }
}

const BOTOCORE_TYPES: &[&str] = &[
    "structure",
    "list",
    "map",
    "string",
    "integer",
    "long",
    "float",
    "double",
    "boolean",
    "blob",
    "timestamp",
    "byte",
    "short",
    "character",
    "bigdecimal",
    "union",
    "document",
    "enum",
    "",
];

const SMITHY_TYPES: &[&str] = &[
    "structure",
    "union",
    "list",
    "map",
    "set",
    "string",
    "enum",
    "intEnum",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "boolean",
    "blob",
    "timestamp",
    "document",
    "bigInteger",
    "bigDecimal",
    "service",
    "operation",
    "resource",
    "member",
    "Structure",
    "",
];

/// Keys botocore shapes, members and operations carry (or might), for traits of the wrong type.
const BOTOCORE_KEYS: &[&str] = &[
    "min",
    "max",
    "pattern",
    "enum",
    "required",
    "box",
    "error",
    "exception",
    "fault",
    "timestampFormat",
    "jsonvalue",
    "hostLabel",
    "idempotencyToken",
    "deprecated",
    "deprecatedMessage",
    "documentation",
    "sensitive",
    "union",
    "document",
    "eventstream",
    "event",
    "streaming",
    "contextParam",
    "location",
    "locationName",
    "endpoint",
    "requestcompression",
    "staticContextParams",
    "operationContextParams",
    "awsQueryError",
    "members",
    "member",
    "key",
    "value",
    "type",
    "shape",
    "input",
    "output",
    "errors",
    "name",
    "http",
    "retryable",
];

const SMITHY_TRAITS: &[&str] = &[
    "smithy.api#documentation",
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#clientOptional",
    "smithy.api#error",
    "smithy.api#sensitive",
    "smithy.api#deprecated",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#enum",
    "smithy.api#enumValue",
    "smithy.api#timestampFormat",
    "smithy.api#idempotencyToken",
    "smithy.api#hostLabel",
    "smithy.api#endpoint",
    "smithy.api#requestCompression",
    "smithy.api#mediaType",
    "smithy.api#streaming",
    "smithy.api#title",
    "smithy.api#paginated",
    "smithy.api#sparse",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#retryable",
    "smithy.waiters#waitable",
    "aws.api#service",
    "aws.auth#sigv4",
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "aws.protocols#awsQueryCompatible",
    "aws.protocols#awsQueryError",
    "smithy.rules#contextParam",
    "smithy.rules#staticContextParams",
    "smithy.rules#operationContextParams",
    "smithy.rules#endpointRuleSet",
    "com.example#custom",
];

/// A trait value: usually one of the shapes the trait's readers expect (with wrong parts), sometimes junk.
fn trait_value(rng: &mut Rng, names: &[String]) -> Value {
    let name = |rng: &mut Rng| -> Value {
        match rng.pick(names) {
            Some(name) if !rng.one_in(4) => Value::String(name.clone()),
            _ => Value::String(junk_string(rng)),
        }
    };
    let small = |rng: &mut Rng| -> Value {
        if rng.one_in(2) {
            edge_number(rng)
        } else {
            json!(rng.below(5))
        }
    };
    match rng.below(22) {
        0 => json!({}),
        1 => json!(rng.pick(&["client", "server", "maybe"]).copied().unwrap_or_default()),
        2 => json!({"min": small(rng), "max": small(rng)}),
        3 => json!({"min": junk_value(rng, 2)}),
        4 => json!(rng
            .pick(&["epoch-seconds", "date-time", "http-date", "julian", ""])
            .copied()
            .unwrap_or_default()),
        5 => json!({"hostPrefix": format!("{{{}}}.", name(rng).as_str().unwrap_or_default())}),
        6 => json!({"encodings": [junk_string(rng)]}),
        7 => json!({"inputToken": name(rng), "outputToken": name(rng), "items": name(rng), "pageSize": name(rng)}),
        8 => json!([{"value": junk_string(rng)}, {"value": junk_string(rng)}]),
        9 => json!({"name": name(rng)}),
        10 => {
            let mut params = Map::new();
            let param = name(rng).as_str().unwrap_or_default().to_owned();
            params.insert(param, json!({"value": junk_value(rng, 2)}));
            Value::Object(params)
        }
        11 => json!({"code": junk_value(rng, 2)}),
        12 => json!({"W": {"minDelay": small(rng), "maxDelay": small(rng), "acceptors": [
            {"state": "success", "matcher": {"output": {"path": name(rng), "expected": "x", "comparator": "stringEquals"}}},
            {"state": "retry", "matcher": {"errorType": name(rng)}},
            {"state": "failure", "matcher": {"inputOutput": {"path": junk_string(rng), "expected": "true", "comparator": "booleanEquals"}}}
        ]}}),
        13 => json!({"sdkId": junk_value(rng, 2), "endpointPrefix": junk_string(rng)}),
        14 => json!({"message": junk_value(rng, 2)}),
        15 => json!({"version": "1.0", "parameters": {}, "rules": junk_value(rng, 2)}),
        16 => json!({"version": "1.0", "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region"}},
            "rules": [{"type": "endpoint", "conditions": [{"fn": junk_string(rng), "argv": [{"ref": "Region"}]}],
            "endpoint": {"url": junk_string(rng)}}]}),
        17 => small(rng),
        18 => Value::Bool(rng.one_in(2)),
        19 => name(rng),
        _ => junk_value(rng, 1),
    }
}

/// A name for a new shape, member or key: a variant of `old` (the same after case folding, or a Rust word).
fn variant_name(rng: &mut Rng, old: &str) -> String {
    match rng.below(9) {
        0 => old.to_uppercase(),
        1 => old.to_lowercase(),
        2 => format!("{old}_"),
        3 => format!("{old}2"),
        4 => format!("_{old}"),
        5 => {
            let mut chars = old.chars();
            match chars.next() {
                Some(first) if first.is_uppercase() => first.to_lowercase().chain(chars).collect(),
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => "x".to_owned(),
            }
        }
        // A Smithy id keeps its namespace, so that only the name is odd.
        6 => {
            let name: String = junk_string(rng).chars().take(40).collect();
            match old.split_once('#') {
                Some((namespace, _)) => format!("{namespace}#{name}"),
                None => name,
            }
        }
        _ => junk_string(rng).chars().take(40).collect(),
    }
}

/// A reference to shape `name` in the model's own spelling.
fn reference(kind: Kind, name: &str) -> Value {
    match kind {
        Kind::Botocore => json!({"shape": name}),
        Kind::Smithy => json!({"target": name}),
    }
}

fn ref_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Botocore => "shape",
        Kind::Smithy => "target",
    }
}

/// Applies 1 to 8 mutations (half the time one) to a model.
pub fn mutate_model(root: &mut Value, kind: Kind, rng: &mut Rng, log: &mut Vec<String>) {
    let count = 1 + (rng.next().trailing_ones() as usize).min(7);
    for _ in 0..count {
        mutate_model_once(root, kind, rng, log);
    }
}

fn mutate_model_once(root: &mut Value, kind: Kind, rng: &mut Rng, log: &mut Vec<String>) {
    let names = shape_names(root);
    match rng.below(100) {
        0..=11 => delete(root, rng, log),
        12..=23 => replace(root, rng, log),
        24..=33 => retarget(root, kind, &names, rng, log),
        34..=40 => splice(root, &[], rng, log),
        41..=45 => copy_key(root, rng, log, false),
        46..=50 => copy_key(root, rng, log, true),
        51..=54 => self_recursion(root, kind, &names, rng, log),
        55..=58 => mutual_recursion(root, kind, &names, rng, log),
        59..=60 => container_cycle(root, kind, rng, log),
        61..=66 => retype(root, kind, &names, rng, log),
        67..=69 => swap_shapes(root, &names, rng, log),
        70..=81 => insert_trait(root, kind, rng, log),
        82..=85 => empty_container(root, rng, log),
        86..=87 => number_edge(root, rng, log),
        88..=89 => documentation(root, kind, rng, log),
        90 => expression(root, rng, log),
        91..=95 => add_shape(root, kind, &names, rng, log),
        _ => duplicate_element(root, rng, log),
    }
}

/// Applies 1 to 4 mutations to a file beside the model (paginators, waiters, endpoint rules, partitions),
/// taking names from the model so that some of its references resolve and some do not.
pub fn mutate_companion(root: &mut Value, model_names: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let count = 1 + (rng.next().trailing_ones() as usize).min(3);
    for _ in 0..count {
        match rng.below(11) {
            8 => documentation(root, Kind::Botocore, rng, log),
            9 | 10 => expression(root, rng, log),
            0 => delete(root, rng, log),
            1 => replace(root, rng, log),
            2 | 3 => splice(root, model_names, rng, log),
            4 => copy_key(root, rng, log, rng.clone().one_in(2)),
            5 => empty_container(root, rng, log),
            6 => number_edge(root, rng, log),
            _ => duplicate_element(root, rng, log),
        }
    }
}

fn delete(root: &mut Value, rng: &mut Rng, log: &mut Vec<String>) {
    let Some(path) = pick_node(root, rng, &|path, _| !path.is_empty()) else {
        return;
    };
    let (last, parent) = path
        .split_last()
        .map(|(l, p)| (l.clone(), p.to_vec()))
        .unwrap_or((Seg::Index(0), Vec::new()));
    match (get_mut(root, &parent), last) {
        (Some(Value::Object(map)), Seg::Key(key)) => {
            map.shift_remove(&key);
        }
        (Some(Value::Array(items)), Seg::Index(i)) if i < items.len() => {
            items.remove(i);
        }
        _ => return,
    }
    log.push(format!("delete {}", pointer(&path)));
}

fn replace(root: &mut Value, rng: &mut Rng, log: &mut Vec<String>) {
    // The root itself now and then: a model that is an array, a string, null.
    let path = if rng.one_in(200) {
        Vec::new()
    } else {
        match pick_node(root, rng, &|path, _| !path.is_empty()) {
            Some(path) => path,
            None => return,
        }
    };
    let value = junk_value(rng, 0);
    log.push(format!("replace {} with {}", pointer(&path), short(&value)));
    if let Some(slot) = get_mut(root, &path) {
        *slot = value;
    }
}

/// Points a shape reference elsewhere: at a missing shape, a shape of another kind, the shape it is in, the
/// prelude, or nothing.
fn retarget(root: &mut Value, kind: Kind, names: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let key = ref_key(kind);
    let Some(path) = pick_node(root, rng, &|path, value| {
        last_key(path) == Some(key) && value.is_string()
    }) else {
        return;
    };
    let new = match rng.below(6) {
        0 => match kind {
            Kind::Botocore => "MissingShape".to_owned(),
            Kind::Smithy => "com.example#MissingShape".to_owned(),
        },
        1 | 2 => rng.pick(names).cloned().unwrap_or_default(),
        3 => shape_of(&path).unwrap_or_default().to_owned(),
        4 => (*rng
            .pick(&[
                "smithy.api#Unit",
                "smithy.api#Document",
                "smithy.api#String",
                "smithy.api#PrimitiveInteger",
                "smithy.api#Timestamp",
                "smithy.api#Blob",
                "smithy.api#BigDecimal",
                "",
            ])
            .unwrap_or(&""))
        .to_owned(),
        _ => junk_string(rng),
    };
    log.push(format!("retarget {} to {new:?}", pointer(&path)));
    if let Some(slot) = get_mut(root, &path) {
        *slot = Value::String(new);
    }
}

/// Replaces a string with another string of the model (or of `extra`), or a junk one.
fn splice(root: &mut Value, extra: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let Some(path) = pick_node(root, rng, &|path, value| !path.is_empty() && value.is_string()) else {
        return;
    };
    let new = match rng.below(3) {
        0 => {
            let other = pick_node(root, rng, &|_, value| value.is_string());
            other
                .and_then(|other| get(root, &other).and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default()
        }
        1 if !extra.is_empty() => rng.pick(extra).cloned().unwrap_or_default(),
        _ => junk_string(rng),
    };
    log.push(format!(
        "set {} to {}",
        pointer(&path),
        short(&Value::String(new.clone()))
    ));
    if let Some(slot) = get_mut(root, &path) {
        *slot = Value::String(new);
    }
}

/// Copies an entry of an object under a new name (the same name in another case, a Rust word, junk), or renames
/// it.
fn copy_key(root: &mut Value, rng: &mut Rng, log: &mut Vec<String>, rename: bool) {
    let Some(path) = pick_node(root, rng, &|_, value| value.as_object().is_some_and(|m| !m.is_empty())) else {
        return;
    };
    let Some(Value::Object(map)) = get_mut(root, &path) else {
        return;
    };
    let index = rng.below(map.len());
    let Some((old, value)): Option<(String, Value)> = map.iter().nth(index).map(|(k, v)| (k.clone(), v.clone())) else {
        return;
    };
    let new = variant_name(rng, &old);
    if rename {
        map.shift_remove(&old);
    }
    map.insert(new.clone(), value);
    let verb = if rename { "rename" } else { "copy" };
    log.push(format!("{verb} {}/{old} to {new:?}", pointer(&path)));
}

/// A structure or union of the model, by name.
fn pick_structure(root: &Value, names: &[String], rng: &mut Rng) -> Option<String> {
    let candidates: Vec<&String> = names
        .iter()
        .filter(|name| {
            root["shapes"][name.as_str()]
                .get("members")
                .is_some_and(Value::is_object)
        })
        .collect();
    rng.pick(&candidates).map(|name| (*name).clone())
}

fn add_member(root: &mut Value, kind: Kind, shape: &str, member: &str, target: &str, required: bool) {
    let Some(shape) = root.get_mut("shapes").and_then(|s| s.get_mut(shape)) else {
        return;
    };
    let mut member_value = reference(kind, target);
    if required && kind == Kind::Smithy {
        member_value["traits"] = json!({"smithy.api#required": {}});
    }
    if let Some(members) = shape.get_mut("members").and_then(Value::as_object_mut) {
        members.insert(member.to_owned(), member_value);
    }
    if required && kind == Kind::Botocore {
        match shape.get_mut("required").and_then(Value::as_array_mut) {
            Some(required) => required.push(json!(member)),
            None => shape["required"] = json!([member]),
        }
    }
}

fn self_recursion(root: &mut Value, kind: Kind, names: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let Some(shape) = pick_structure(root, names, rng) else {
        return;
    };
    let required = rng.one_in(2);
    add_member(root, kind, &shape, "selfRef", &shape, required);
    log.push(format!(
        "add member selfRef to {shape:?} referring to itself (required: {required})"
    ));
}

fn mutual_recursion(root: &mut Value, kind: Kind, names: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let (Some(a), Some(b)) = (pick_structure(root, names, rng), pick_structure(root, names, rng)) else {
        return;
    };
    let required = rng.one_in(2);
    add_member(root, kind, &a, "toB", &b, required);
    add_member(root, kind, &b, "toA", &a, required);
    log.push(format!(
        "make {a:?} and {b:?} refer to each other (required: {required})"
    ));
}

/// A list or map whose element is itself, or two containers that hold each other: a type of infinite size
/// that no `Box` can break in a structure.
fn container_cycle(root: &mut Value, kind: Kind, rng: &mut Rng, log: &mut Vec<String>) {
    let Some(path) = pick_node(root, rng, &|path, value| {
        path.len() == 2
            && shape_of(path).is_some()
            && matches!(value.get("type").and_then(Value::as_str), Some("list" | "map"))
    }) else {
        return;
    };
    let Some(name) = shape_of(&path).map(str::to_owned) else {
        return;
    };
    let element = if root["shapes"][name.as_str()]["type"] == "list" {
        "member"
    } else {
        "value"
    };
    root["shapes"][name.as_str()][element] = reference(kind, &name);
    log.push(format!("make {name:?}'s {element} itself"));
}

fn retype(root: &mut Value, kind: Kind, names: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let Some(name) = rng.pick(names).cloned() else {
        return;
    };
    let types = match kind {
        Kind::Botocore => BOTOCORE_TYPES,
        Kind::Smithy => SMITHY_TYPES,
    };
    let new = (*rng.pick(types).unwrap_or(&"")).to_owned();
    if let Some(shape) = root["shapes"].get_mut(name.as_str()).and_then(Value::as_object_mut) {
        shape.insert("type".to_owned(), Value::String(new.clone()));
    }
    log.push(format!("make {name:?} a {new:?}"));
}

fn swap_shapes(root: &mut Value, names: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let (Some(a), Some(b)) = (rng.pick(names).cloned(), rng.pick(names).cloned()) else {
        return;
    };
    let Some(shapes) = root.get_mut("shapes").and_then(Value::as_object_mut) else {
        return;
    };
    let (Some(va), Some(vb)) = (shapes.get(&a).cloned(), shapes.get(&b).cloned()) else {
        return;
    };
    shapes.insert(a.clone(), vb);
    shapes.insert(b.clone(), va);
    log.push(format!("swap the definitions of {a:?} and {b:?}"));
}

/// A trait (Smithy) or key (botocore) of a wrong or unexpected value on a shape, member or operation.
fn insert_trait(root: &mut Value, kind: Kind, rng: &mut Rng, log: &mut Vec<String>) {
    let holder = pick_node(root, rng, &|path, value| {
        value.is_object()
            && match path {
                [Seg::Key(top), Seg::Key(_)] => top == "shapes" || top == "operations",
                [Seg::Key(top), Seg::Key(_), Seg::Key(members), Seg::Key(_)] => top == "shapes" && members == "members",
                [Seg::Key(top), Seg::Key(_), Seg::Key(element)] => {
                    top == "shapes" && matches!(element.as_str(), "member" | "key" | "value")
                }
                _ => false,
            }
    });
    let Some(path) = holder else {
        return;
    };
    let names: Vec<String> = member_names(root).into_iter().chain(shape_names(root)).collect();
    let value = trait_value(rng, &names);
    let Some(holder) = get_mut(root, &path).and_then(Value::as_object_mut) else {
        return;
    };
    let (key, at) = match kind {
        Kind::Botocore => {
            let key = (*rng.pick(BOTOCORE_KEYS).unwrap_or(&"min")).to_owned();
            holder.insert(key.clone(), value.clone());
            (key, pointer(&path))
        }
        Kind::Smithy => {
            let key = (*rng.pick(SMITHY_TRAITS).unwrap_or(&"smithy.api#required")).to_owned();
            if rng.one_in(20) {
                // The trait map itself of the wrong type.
                holder.insert("traits".to_owned(), value.clone());
                ("traits".to_owned(), pointer(&path))
            } else {
                let traits = holder.entry("traits").or_insert_with(|| json!({}));
                if let Some(traits) = traits.as_object_mut() {
                    traits.insert(key.clone(), value.clone());
                }
                (key, format!("{}/traits", pointer(&path)))
            }
        }
    };
    log.push(format!("set {at}/{key} to {}", short(&value)));
}

/// New documentation for a shape, member or operation, or a rewrite of some the model has.
fn documentation(root: &mut Value, kind: Kind, rng: &mut Rng, log: &mut Vec<String>) {
    const KEYS: &[&str] = &[
        "documentation",
        "smithy.api#documentation",
        "deprecatedMessage",
        "message",
        "description",
    ];
    let html = Value::String(html_doc(rng));
    let existing = pick_node(root, rng, &|path, value| {
        value.is_string() && last_key(path).is_some_and(|k| KEYS.contains(&k))
    });
    let path = match existing {
        Some(path) if rng.one_in(2) => path,
        _ => {
            let Some(mut holder) = pick_node(root, rng, &|path, value| {
                // A shape, an operation, or something inside a shape (a member, a trait's value).
                value.is_object() && (shape_of(path).is_some() || path.len() == 2)
            }) else {
                return;
            };
            match kind {
                Kind::Botocore => holder.push(Seg::Key("documentation".to_owned())),
                Kind::Smithy => {
                    if let Some(Value::Object(object)) = get_mut(root, &holder) {
                        if !object.get("traits").is_some_and(Value::is_object) {
                            object.insert("traits".to_owned(), json!({}));
                        }
                    }
                    holder.push(Seg::Key("traits".to_owned()));
                    holder.push(Seg::Key("smithy.api#documentation".to_owned()));
                }
            }
            holder
        }
    };
    let Some((Seg::Key(key), parent)) = path.split_last() else {
        return;
    };
    log.push(format!("set {} to {}", pointer(&path), short(&html)));
    if let Some(Value::Object(object)) = get_mut(root, parent) {
        object.insert(key.clone(), html);
    }
}

/// A waiter's JMESPath path, or a paginator's token or items path, replaced by another expression.
fn expression(root: &mut Value, rng: &mut Rng, log: &mut Vec<String>) {
    const KEYS: &[&str] = &[
        "path",
        "argument",
        "expected",
        "errorType",
        "items",
        "inputToken",
        "outputToken",
        "pageSize",
        "input_token",
        "output_token",
        "limit_key",
        "result_key",
        "hostPrefix",
    ];
    let Some(path) = pick_node(root, rng, &|path, value| {
        value.is_string() && last_key(path).is_some_and(|k| KEYS.contains(&k))
    }) else {
        return;
    };
    let value = Value::String(jmespath(rng));
    log.push(format!("set {} to {}", pointer(&path), short(&value)));
    if let Some(slot) = get_mut(root, &path) {
        *slot = value;
    }
}

fn empty_container(root: &mut Value, rng: &mut Rng, log: &mut Vec<String>) {
    const FAVOURED: &[&str] = &[
        "members",
        "operations",
        "errors",
        "acceptors",
        "rules",
        "parameters",
        "pagination",
        "waiters",
        "traits",
        "shapes",
        "metadata",
        "required",
        "enum",
        "partitions",
        "regions",
    ];
    let favoured = rng.one_in(2);
    let Some(path) = pick_node(root, rng, &|path, value| {
        (value.is_object() || value.is_array()) && (!favoured || last_key(path).is_some_and(|k| FAVOURED.contains(&k)))
    }) else {
        return;
    };
    let Some(slot) = get_mut(root, &path) else {
        return;
    };
    match slot {
        Value::Object(map) => map.clear(),
        Value::Array(items) => items.clear(),
        _ => return,
    }
    log.push(format!("empty {}", pointer(&path)));
}

fn number_edge(root: &mut Value, rng: &mut Rng, log: &mut Vec<String>) {
    let Some(path) = pick_node(root, rng, &|path, value| !path.is_empty() && value.is_number()) else {
        return;
    };
    let value = edge_number(rng);
    log.push(format!("set {} to {value}", pointer(&path)));
    if let Some(slot) = get_mut(root, &path) {
        *slot = value;
    }
}

/// A new shape of a random type whose members refer to random shapes.
fn add_shape(root: &mut Value, kind: Kind, names: &[String], rng: &mut Rng, log: &mut Vec<String>) {
    let types = match kind {
        Kind::Botocore => BOTOCORE_TYPES,
        Kind::Smithy => SMITHY_TYPES,
    };
    let kind_name = (*rng.pick(types).unwrap_or(&"structure")).to_owned();
    let base = rng.pick(names).cloned().unwrap_or_else(|| "Shape".to_owned());
    let name = variant_name(rng, &base);
    let mut target = || rng.pick(names).cloned().unwrap_or_default();
    let mut shape = json!({"type": kind_name});
    match kind_name.as_str() {
        "structure" | "union" | "enum" | "intEnum" => {
            let mut members = Map::new();
            members.insert("first".to_owned(), reference(kind, &target()));
            members.insert("First".to_owned(), reference(kind, &target()));
            members.insert("type".to_owned(), reference(kind, &target()));
            shape["members"] = Value::Object(members);
        }
        "list" => shape["member"] = reference(kind, &target()),
        "map" => {
            shape["key"] = reference(kind, &target());
            shape["value"] = reference(kind, &target());
        }
        "operation" => {
            shape["input"] = reference(kind, &target());
            shape["output"] = reference(kind, &target());
        }
        _ => {}
    }
    if let Some(shapes) = root.get_mut("shapes").and_then(Value::as_object_mut) {
        shapes.insert(name.clone(), shape);
        log.push(format!("add a {kind_name} shape {name:?}"));
    }
}

fn duplicate_element(root: &mut Value, rng: &mut Rng, log: &mut Vec<String>) {
    let Some(path) = pick_node(root, rng, &|_, value| value.as_array().is_some_and(|a| !a.is_empty())) else {
        return;
    };
    let Some(Value::Array(items)) = get_mut(root, &path) else {
        return;
    };
    let index = rng.below(items.len());
    if let Some(item) = items.get(index).cloned() {
        items.push(item);
        log.push(format!("repeat {}/{index} at its end", pointer(&path)));
    }
}

/// Byte-level damage to serialized JSON: truncation, a corrupted byte, an inserted key (often a duplicate of one
/// the object has), a deleted range.
pub fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut Rng, log: &mut Vec<String>) {
    if bytes.is_empty() {
        return;
    }
    let at = rng.below(bytes.len());
    match rng.below(5) {
        0 => {
            bytes.truncate(at);
            log.push(format!("truncate to {at} bytes"));
        }
        1 => {
            const BYTES: &[u8] = b"\"{}[],:0-.e\\ \x00\xff\xc3tnx#/";
            let byte = BYTES.get(rng.below(BYTES.len())).copied().unwrap_or(b'"');
            if let Some(slot) = bytes.get_mut(at) {
                *slot = byte;
            }
            log.push(format!("set byte {at} to {byte:#04x}"));
        }
        2 => {
            let Some(brace) = bytes.iter().skip(at).position(|b| *b == b'{').map(|p| p + at) else {
                return;
            };
            const KEYS: &[&str] = &[
                "type",
                "shape",
                "target",
                "members",
                "member",
                "traits",
                "input",
                "output",
                "errors",
                "metadata",
                "shapes",
                "operations",
                "smithy",
                "version",
                "pagination",
                "waiters",
                "rules",
            ];
            let key = rng.pick(KEYS).copied().unwrap_or("type");
            let value = junk_value(rng, 2);
            let inserted = format!("\"{key}\":{value},");
            bytes.splice(brace + 1..brace + 1, inserted.bytes());
            log.push(format!("insert {inserted:?} after the '{{' at byte {brace}"));
        }
        3 => {
            let end = (at + 1 + rng.below(64)).min(bytes.len());
            bytes.drain(at..end);
            log.push(format!("delete bytes {at}..{end}"));
        }
        _ => {
            let end = (at + 1 + rng.below(64)).min(bytes.len());
            let copy: Vec<u8> = bytes.get(at..end).map(<[u8]>::to_vec).unwrap_or_default();
            bytes.splice(at..at, copy);
            log.push(format!("repeat bytes {at}..{end}"));
        }
    }
}

/// A value for the log, cut short.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!(
            "{}... ({} bytes)",
            text.chars().take(60).collect::<String>(),
            text.len()
        )
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_do_not_depend_on_order() {
        let mut a = Rng::for_case(7, 12);
        let _ = Rng::for_case(7, 11).next();
        let mut b = Rng::for_case(7, 12);
        assert_eq!(a.next(), b.next());
        assert_ne!(Rng::for_case(7, 12).next(), Rng::for_case(7, 13).next());
        assert_ne!(Rng::for_case(7, 12).next(), Rng::for_case(8, 12).next());
    }

    #[test]
    fn pointers_escape_their_segments() {
        let path = vec![Seg::Key("shapes".into()), Seg::Key("a/b~c".into()), Seg::Index(3)];
        assert_eq!(pointer(&path), "/shapes/a~1b~0c/3");
    }

    #[test]
    fn mutations_change_the_model_and_say_how() {
        let model = json!({"shapes": {"A": {"type": "structure", "members": {"b": {"shape": "B"}}},
                                       "B": {"type": "list", "member": {"shape": "A"}}}});
        let mut changed = 0;
        for case in 0..200 {
            let mut rng = Rng::for_case(1, case);
            let mut mutated = model.clone();
            let mut log = Vec::new();
            mutate_model(&mut mutated, Kind::Botocore, &mut rng, &mut log);
            if mutated != model {
                changed += 1;
                assert!(!log.is_empty());
            }
        }
        assert!(changed > 150, "{changed} of 200 changed");
    }
}
