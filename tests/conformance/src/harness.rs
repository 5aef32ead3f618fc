//! The Rust source of the harness: one binary that depends on every generated crate and runs each case
//! through the runtime's sans-IO functions, printing what it observed as one JSON line per case.
//!
//! The harness is test tooling written by the runner, not product code. Per operation it instantiates two
//! generic drivers from `support.rs` (`input::<Input>` and `output::<Output, Error>`); the cases themselves are
//! data (`cases.json`, keyed like the tables), so the harness holds no expectations and judges nothing: the
//! library compares ([`crate::compare`]).

use crate::suite::Direction;
use codegen::emit::toml_string;
use codegen::ir::{Location, Service};

/// The Rust paths (from the generated crate's root) an operation's cases use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationTypes {
    /// The operation's name on the wire (`JsonEnums`), as `X-Amz-Target` and the cases name it.
    pub wire_name: String,
    /// `operation::json_enums` module name, as the generator named it.
    pub module: String,
    /// `operation::json_enums::JsonEnumsInput`.
    pub input: String,
    /// `operation::json_enums::JsonEnumsOutput`.
    pub output: String,
    /// `operation::json_enums::JsonEnumsError`.
    pub error: String,
    /// Each modelled exception: its shape name in the model and its type (`types::error::FooError`).
    pub errors: Vec<(String, String)>,
}

/// Where the generator put each operation's types, read from the IR the crate was generated from.
pub fn operation_types(service: &Service) -> Vec<OperationTypes> {
    let path = |id| {
        let shape = service.shape(id);
        let module = match &shape.location {
            Location::Types => "types".to_owned(),
            Location::Errors => "types::error".to_owned(),
            Location::Operation(module) => format!("operation::{module}"),
        };
        format!("{module}::{}", shape.rust_name)
    };
    service
        .operations
        .iter()
        .map(|op| OperationTypes {
            wire_name: op.wire_name.clone(),
            module: op.rust_name.clone(),
            input: path(op.input),
            output: path(op.output),
            error: format!(
                "operation::{}::{}",
                op.rust_name,
                codegen::naming::operation_item(&op.wire_name, "Error")
            ),
            errors: op
                .errors
                .iter()
                .map(|id| (service.shape(*id).wire_name.clone(), path(*id)))
                .collect(),
        })
        .collect()
}

/// One generated crate as the harness uses it.
#[derive(Clone, Debug)]
pub struct HarnessCrate {
    /// Package name (`cf-input-json-s07-m0`); the crate lives in `crates/<package>`.
    pub package: String,
    /// Where the cases come from, for the module's doc comment.
    pub label: String,
    pub operations: Vec<OperationTypes>,
    /// The crate's cases, in run order.
    pub cases: Vec<HarnessCase>,
}

impl HarnessCrate {
    /// The library's name in Rust (`cf_input_json_s07_m0`).
    pub fn lib_name(&self) -> String {
        self.package.replace('-', "_")
    }

    /// The harness module that holds this crate's cases (`m_cf_input_json_s07_m0`).
    pub fn module_name(&self) -> String {
        format!("m_{}", self.lib_name())
    }
}

/// One case: its key in `cases.json` and in the harness output, and what it drives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HarnessCase {
    pub key: String,
    pub direction: Direction,
    /// The operation's wire name.
    pub operation: String,
}

/// The harness package's name; its binary has the same name.
pub const PACKAGE: &str = "awsgen-conformance-harness";

/// The conformance workspace's manifest: the harness and every generated crate.
pub fn workspace_manifest(crate_packages: &[String]) -> String {
    let mut members = vec!["    \"harness\",".to_owned()];
    members.extend(crate_packages.iter().map(|p| format!("    \"crates/{p}\",")));
    format!(
        "# Written by `cargo xtask conformance` on every run; do not edit.\n\
         [workspace]\n\
         resolver = \"2\"\n\
         members = [\n{}\n]\n\n\
         [profile.dev]\n\
         # Nothing here is debugged; no debug info makes the one build of ~50 crates quicker.\n\
         debug = false\n",
        members.join("\n")
    )
}

/// The harness package's files (relative path, contents). `runtime_path` is the runtime crate's path
/// from the harness directory.
pub fn harness_files(crates: &[HarnessCrate], runtime_path: &str) -> Result<Vec<(String, String)>, String> {
    let mut manifest = format!(
        "# Written by `cargo xtask conformance` on every run; do not edit.\n\
         [package]\n\
         name = \"{PACKAGE}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         publish = false\n\n\
         # Default features off: the harness needs the sans-IO protocol core only, not an HTTPS transport; it\n\
         # reads each case's input parameters into the generated input type, so it takes serde's Deserialize.\n\
         [dependencies]\n\
         awsgen-runtime = {{ path = {}, default-features = false }}\n",
        toml_string(runtime_path)
    );
    for c in crates {
        manifest.push_str(&format!(
            "{} = {{ path = {}, default-features = false, features = [{}] }}\n",
            c.package,
            toml_string(&format!("../crates/{}", c.package)),
            toml_string(codegen::emit::DESERIALIZE_FEATURE)
        ));
    }
    let mut main = String::from(
        "//! Runs the conformance cases (written by `cargo xtask conformance` on every run; do not edit).\n\
         //! Usage: `awsgen-conformance-harness CASES.json`; prints one JSON line per case.\n\n\
         mod support;\n",
    );
    for c in crates {
        main.push_str(&format!("mod {};\n", c.module_name()));
    }
    main.push_str("\nconst TABLES: &[&[support::Case]] = &[\n");
    for c in crates {
        main.push_str(&format!("    {}::CASES,\n", c.module_name()));
    }
    main.push_str("];\n\nfn main() -> std::process::ExitCode {\n    support::main(TABLES)\n}\n");
    let mut files = vec![
        ("Cargo.toml".to_owned(), manifest),
        ("src/main.rs".to_owned(), main),
        ("src/support.rs".to_owned(), SUPPORT.to_owned()),
    ];
    for c in crates {
        files.push((format!("src/{}.rs", c.module_name()), crate_module(c)?));
    }
    Ok(files)
}

/// A Rust string literal.
fn literal(value: &str) -> String {
    format!("{value:?}")
}

/// The module of one crate's cases: a driver per operation and direction, and the case table.
pub fn crate_module(c: &HarnessCrate) -> Result<String, String> {
    let lib = c.lib_name();
    let mut out = format!(
        "//! {} (crate `{lib}`).\n\n\
         use crate::support::{{self, Case}};\n\
         use ::awsgen_runtime::serde_json::Value;\n\n",
        c.label.replace('\n', " ")
    );
    let mut drivers: Vec<String> = Vec::new();
    let mut table = String::from("pub const CASES: &[Case] = &[\n");
    for case in &c.cases {
        let op = c
            .operations
            .iter()
            .find(|op| op.wire_name == case.operation)
            .ok_or_else(|| format!("{lib}: the generated crate has no operation {}", case.operation))?;
        let driver = driver_name(op, case.direction);
        if !drivers.contains(&driver) {
            out.push_str(&driver_fn(&lib, op, case.direction));
            drivers.push(driver.clone());
        }
        table.push_str(&format!("    ({}, {driver}),\n", literal(&case.key)));
    }
    table.push_str("];\n");
    out.push_str(&table);
    Ok(out)
}

fn driver_name(op: &OperationTypes, direction: Direction) -> String {
    let module = op.module.trim_start_matches("r#");
    match direction {
        Direction::Input => format!("input_{module}"),
        Direction::Output => format!("output_{module}"),
    }
}

fn driver_fn(lib: &str, op: &OperationTypes, direction: Direction) -> String {
    let name = driver_name(op, direction);
    match direction {
        Direction::Input => format!(
            "fn {name}(data: &Value) -> Value {{\n    \
                 support::input::<::{lib}::{input}>(&::{lib}::client::SERVICE, &::{lib}::operation::{module}::OPERATION, data)\n\
             }}\n\n",
            input = op.input,
            module = op.module,
        ),
        Direction::Output => {
            let errors: Vec<String> = op
                .errors
                .iter()
                .map(|(shape, path)| format!("        ({}, support::typed::<::{lib}::{path}>),\n", literal(shape)))
                .collect();
            format!(
                "fn {name}(data: &Value) -> Value {{\n    \
                     support::output::<::{lib}::{output}, ::{lib}::{error}>(\n        &[\n{errors}        ],\n        data,\n    )\n\
                 }}\n\n",
                output = op.output,
                error = op.error,
                errors = errors.concat(),
            )
        }
    }
}

/// The drivers every case table calls.
const SUPPORT: &str = r#"//! Drivers for the conformance cases (written by `cargo xtask conformance` on every run; do not edit).
//! They only observe: the runner compares what they print with what each case expects.
// A filtered run may need only some of the drivers.
#![allow(dead_code)]

use ::awsgen_runtime::config::Config;
use ::awsgen_runtime::error::SdkError;
use ::awsgen_runtime::idempotency::IdempotencyTokenProvider;
use ::awsgen_runtime::protocol::{
    build_request, parse_response, OperationError, OperationInput, OperationMetadata, ServiceMetadata,
};
use ::awsgen_runtime::serde::de::DeserializeOwned;
use ::awsgen_runtime::serde::Serialize;
use ::awsgen_runtime::serde_json::{self, json, Value};
use ::awsgen_runtime::wire::Decode;
use std::error::Error;
use std::io::Write as _;
use std::process::ExitCode;

/// Runs one case from its data in `cases.json`.
pub type Runner = fn(&Value) -> Value;
/// A key of `cases.json` and its runner.
pub type Case = (&'static str, Runner);
/// The serde form of one modelled exception type, if the error is of that type.
pub type TypedError = fn(&(dyn Error + 'static)) -> Option<Value>;

fn failure(reason: String) -> Value {
    json!({ "failure": reason })
}

/// The members of `error` if it is an `X`.
pub fn typed<X: Serialize + Error + 'static>(error: &(dyn Error + 'static)) -> Option<Value> {
    let error = error.downcast_ref::<X>()?;
    Some(serde_json::to_value(error).unwrap_or_else(|e| json!({ "$unserializable": e.to_string() })))
}

/// `params` into the input type, then through `build_request` as `protocol::invoke` does (which fills the
/// idempotency token and reads the host labels through the input's `OperationInput` impl), with the case's
/// endpoint (else `https://example.com`) in us-east-1.
pub fn input<I: DeserializeOwned + OperationInput>(
    service: &ServiceMetadata,
    operation: &OperationMetadata,
    data: &Value,
) -> Value {
    let mut input: I = match serde_json::from_value(data["params"].clone()) {
        Ok(input) => input,
        Err(e) => return failure(format!("the params do not deserialize into the input type: {e}")),
    };
    let endpoint = data["endpoint"].as_str().unwrap_or("https://example.com");
    // botocore's runner patches uuid4 to this value, and the idempotency-token cases expect it.
    let tokens = IdempotencyTokenProvider::fixed("00000000-0000-4000-8000-000000000000");
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .idempotency_token_provider(tokens)
        .build();
    match build_request(service, &config, operation, &mut input) {
        Ok(request) => {
            let headers: Vec<Value> = request
                .headers()
                .iter()
                .map(|(name, value)| json!([name.as_str(), String::from_utf8_lossy(value.as_bytes())]))
                .collect();
            // The body as text when it is UTF-8 (readable in `cases.json` runs), else as bytes.
            let body = match std::str::from_utf8(request.body()) {
                Ok(text) => json!({ "body": text }),
                Err(_) => json!({ "body_bytes": request.body() }),
            };
            json!({ "request": {
                "method": request.method().as_str(),
                "uri": request.uri().to_string(),
                "headers": headers,
                "body": body,
            }})
        }
        Err(e) => failure(format!("build_request failed: {e}")),
    }
}

/// The case's `response` through `parse_response::<O, E>`: the output's serde form, or the service error's
/// code, message and (when it is one of `errors`) modelled exception.
pub fn output<O, E>(errors: &[(&str, TypedError)], data: &Value) -> Value
where
    O: Decode + Serialize,
    E: OperationError + Error + 'static,
{
    let response = &data["response"];
    let status = response["status_code"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or(200);
    let mut builder = ::awsgen_runtime::http::Response::builder().status(status);
    if let Some(headers) = response["headers"].as_object() {
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str().unwrap_or_default());
        }
    }
    let body = response["body"].as_str().unwrap_or_default().as_bytes().to_vec();
    let response = match builder.body(body) {
        Ok(response) => response,
        Err(e) => return failure(format!("the case's response is not a valid HTTP response: {e}")),
    };
    match parse_response::<O, E>(response) {
        // Through JSON text, not `to_value`: an `f32` becomes the shortest text that reads back as it (`1.2`),
        // where `to_value` would widen it to the `f64` 1.2000000476837158.
        Ok(output) => match serde_json::to_vec(&output).and_then(|text| serde_json::from_slice::<Value>(&text)) {
            Ok(output) => json!({ "output": output }),
            Err(e) => failure(format!("the parsed output does not serialize: {e}")),
        },
        Err(SdkError::Service(error)) => {
            let meta = error.meta();
            let typed = error.err().source().and_then(|inner| {
                errors
                    .iter()
                    .find_map(|(shape, members_if)| members_if(inner).map(|members| json!({ "shape": shape, "members": members })))
            });
            json!({ "service_error": {
                "code": meta.code(),
                "message": meta.message(),
                "typed": typed,
                "display": error.err().to_string(),
            }})
        }
        Err(SdkError::Response(error)) => failure(format!("the response was not parsed: {}", error.reason())),
        Err(other) => failure(format!("the response was not parsed: {other}")),
    }
}

/// Runs every case of `tables` that `cases.json` (the first argument) holds data for.
pub fn main(tables: &[&[Case]]) -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: awsgen-conformance-harness CASES.json");
        return ExitCode::FAILURE;
    };
    let data: Value = match std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(data) => data,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // A panic is a failed case, reported with its message; the default hook's backtrace note is noise here.
    std::panic::set_hook(Box::new(|_| {}));
    let mut out = std::io::stdout().lock();
    // Tells the runner that the harness started; after this, a missing case line means the process died there.
    if writeln!(out, "{}", json!({ "ready": true })).is_err() {
        return ExitCode::FAILURE;
    }
    for (key, run) in tables.iter().flat_map(|table| table.iter()) {
        let Some(case) = data.get(*key) else {
            continue;
        };
        let actual = std::panic::catch_unwind(|| run(case)).unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            failure(format!("panicked: {message}"))
        });
        if writeln!(out, "{}", json!({ "key": key, "actual": actual })).is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn json_enums() -> OperationTypes {
        OperationTypes {
            wire_name: "JsonEnums".to_owned(),
            module: "json_enums".to_owned(),
            input: "operation::json_enums::JsonEnumsInput".to_owned(),
            output: "operation::json_enums::JsonEnumsOutput".to_owned(),
            error: "operation::json_enums::JsonEnumsError".to_owned(),
            errors: vec![("FooError".to_owned(), "types::error::FooError".to_owned())],
        }
    }

    fn harness_crate(cases: Vec<HarnessCase>) -> HarnessCrate {
        HarnessCrate {
            package: "cf-input-json-s04-m0".to_owned(),
            label: "input/json.json suite 4".to_owned(),
            operations: vec![json_enums()],
            cases,
        }
    }

    fn case(key: &str, direction: Direction) -> HarnessCase {
        HarnessCase {
            key: key.to_owned(),
            direction,
            operation: "JsonEnums".to_owned(),
        }
    }

    #[test]
    fn operation_types_come_from_the_ir() {
        let model = br#"{
            "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T", "endpointPrefix": "t",
                         "apiVersion": "1"},
            "operations": {"GreetingWithErrors": {"name": "GreetingWithErrors", "output": {"shape": "Out"},
                                                  "errors": [{"shape": "FooError"}]}},
            "shapes": {"Out": {"type": "structure", "members": {}},
                       "FooError": {"type": "structure", "exception": true, "members": {}}}
        }"#;
        let (service, _) = codegen::load(&codegen::frontend::ModelInput::new(model.to_vec()), None).unwrap();
        let types = operation_types(&service);
        assert_eq!(
            types,
            vec![OperationTypes {
                wire_name: "GreetingWithErrors".to_owned(),
                module: "greeting_with_errors".to_owned(),
                input: "operation::greeting_with_errors::GreetingWithErrorsInput".to_owned(),
                output: "operation::greeting_with_errors::GreetingWithErrorsOutput".to_owned(),
                error: "operation::greeting_with_errors::GreetingWithErrorsError".to_owned(),
                errors: vec![("FooError".to_owned(), "types::error::FooError".to_owned())],
            }]
        );
    }

    #[test]
    fn one_driver_per_operation_and_direction() {
        let c = harness_crate(vec![
            case("0:4:0", Direction::Input),
            case("0:4:1", Direction::Input),
            case("0:4:2", Direction::Output),
        ]);
        let module = crate_module(&c).unwrap();
        assert_eq!(module.matches("fn input_json_enums").count(), 1, "{module}");
        assert_eq!(module.matches("fn output_json_enums").count(), 1, "{module}");
        assert!(module.contains(
            "support::input::<::cf_input_json_s04_m0::operation::json_enums::JsonEnumsInput>(&::cf_input_json_s04_m0::client::SERVICE, &::cf_input_json_s04_m0::operation::json_enums::OPERATION, data)"
        ));
        assert!(module.contains("(\"FooError\", support::typed::<::cf_input_json_s04_m0::types::error::FooError>)"));
        assert!(module.contains("    (\"0:4:1\", input_json_enums),\n    (\"0:4:2\", output_json_enums),\n"));
    }

    #[test]
    fn a_case_for_an_operation_the_crate_lacks_is_an_error() {
        let mut c = harness_crate(vec![case("k", Direction::Input)]);
        c.operations.clear();
        assert!(crate_module(&c).unwrap_err().contains("no operation JsonEnums"));
    }

    #[test]
    fn manifests_name_every_crate() {
        let c = harness_crate(vec![case("k", Direction::Input)]);
        let files = harness_files(&[c], "../../../runtime").unwrap();
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "Cargo.toml",
                "src/main.rs",
                "src/support.rs",
                "src/m_cf_input_json_s04_m0.rs"
            ]
        );
        let manifest = &files[0].1;
        assert!(manifest.contains("awsgen-runtime = { path = \"../../../runtime\", default-features = false }"));
        assert!(manifest.contains(
            "cf-input-json-s04-m0 = { path = \"../crates/cf-input-json-s04-m0\", default-features = false, \
             features = [\"serde-deserialize\"] }"
        ));
        assert!(files[1].1.contains("mod m_cf_input_json_s04_m0;"));
        assert!(files[1].1.contains("m_cf_input_json_s04_m0::CASES,"));
        let workspace = workspace_manifest(&["cf-a".to_owned()]);
        assert!(
            workspace.contains("members = [\n    \"harness\",\n    \"crates/cf-a\",\n]"),
            "{workspace}"
        );
    }
}
