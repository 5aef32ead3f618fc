//! Malformed models and their expected diagnostics (golden text): every problem, with the JSON path of the
//! offending value and the reason, reported at once and never as a panic.
//!
//! Each `tests/diagnostics/<case>.json` is a model; `<case>.expected` holds what generation reports.
//! `UPDATE_GOLDENS=1` rewrites the `.expected` files.

use awsgen_tests::{first_difference, repo_root, updating};

fn options() -> codegen::Options {
    codegen::Options {
        runtime_path: "../runtime".to_owned(),
        standalone: true,
        ..codegen::Options::default()
    }
}

/// What a model produces: its diagnostics when generation fails, its warnings when it succeeds.
fn report(bytes: &[u8], options: &codegen::Options) -> String {
    match codegen::generate(&codegen::frontend::ModelInput::new(bytes.to_vec()), options) {
        Err(diagnostics) => format!("generation failed\n{diagnostics}"),
        Ok(generated) => {
            let warnings: String = generated.warnings.iter().map(|w| format!("{w}\n")).collect();
            format!("generated {} files\n{warnings}", generated.files.len())
        }
    }
}

#[test]
fn malformed_models_report_every_problem_with_its_path() {
    let dir = repo_root().join("tests/diagnostics");
    let mut models: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    models.sort();
    assert!(models.len() >= 5);
    let mut failures = Vec::new();
    for model in models {
        let actual = report(&std::fs::read(&model).unwrap(), &options());
        let expected_path = model.with_extension("expected");
        if updating() {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("{}: {}", model.display(), first_difference(&expected, &actual)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn unknown_operations_are_named() {
    let model = std::fs::read(repo_root().join("models/ecs/service-2.json")).unwrap();
    let options = codegen::Options {
        operations: Some(vec![
            "DescribeTaskSets".into(),
            "DescribeTaskSet".into(),
            "RunTask".into(),
        ]),
        ..options()
    };
    let diagnostics = codegen::generate(&codegen::frontend::ModelInput::new(model), &options)
        .unwrap_err()
        .to_string();
    assert_eq!(
        diagnostics,
        "error: /operations: no operation named \"DescribeTaskSet\"; the model has DescribeTaskSets\n\
         error: /operations: no operation named \"RunTask\"; the model has DescribeTaskSets\n"
    );
}

#[test]
fn truncated_and_garbled_models_never_panic() {
    let model = std::fs::read(repo_root().join("models/ecs/service-2.json")).unwrap();
    // Every prefix at a coarse stride, plus single-byte corruptions: each must give diagnostics, not a panic.
    for end in (0..model.len()).step_by(997) {
        let _ = codegen::generate(&codegen::frontend::ModelInput::new(model[..end].to_vec()), &options());
    }
    for at in (0..model.len()).step_by(1499) {
        let mut corrupted = model.clone();
        corrupted[at] = b'"';
        let _ = codegen::generate(&codegen::frontend::ModelInput::new(corrupted), &options());
    }
}

/// The Smithy front-end holds to the same rule: every prefix of a Smithy model and every single-byte corruption
/// of it gives diagnostics (each with a path), never a panic.
#[test]
fn truncated_and_garbled_smithy_models_never_panic() {
    let model = std::fs::read(repo_root().join("tests/diagnostics/smithy_many_problems.json")).unwrap();
    for end in 0..model.len() {
        let _ = codegen::generate(&codegen::frontend::ModelInput::new(model[..end].to_vec()), &options());
    }
    for at in (0..model.len()).step_by(7) {
        for byte in [b'"', b'{', b'1', b'#'] {
            let mut corrupted = model.clone();
            corrupted[at] = byte;
            if let Err(diagnostics) = codegen::generate(&codegen::frontend::ModelInput::new(corrupted), &options()) {
                assert!(diagnostics
                    .sorted()
                    .iter()
                    .all(|d| d.path.is_empty() || d.path.starts_with('/')));
            }
        }
    }
}

/// A rule set beside the model is checked at generation with the runtime's own parser: a broken one, or one that
/// needs a partition table nobody gave, is a diagnostic naming the file and the JSON path, not a crate that fails
/// on its first call. Context parameters of the wrong kind, and JMESPath ones, are warnings at their paths.
#[test]
fn endpoint_rule_sets_are_checked_at_generation() {
    let model = serde_json::json!({
        "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T", "endpointPrefix": "t",
                     "apiVersion": "2024-01-01", "serviceId": "T"},
        "operations": {"Op": {"name": "Op", "input": {"shape": "In"},
                              "operationContextParams": {"Names": {"path": "Items[*].Name"}}}},
        "shapes": {"In": {"type": "structure", "members": {"Count": {"shape": "N", "contextParam": {"name": "Count"}}}},
                   "N": {"type": "integer"}}
    });
    let generate = |rule_set: serde_json::Value, partitions: Option<&str>| {
        let input = codegen::frontend::ModelInput {
            service: model.to_string().into_bytes(),
            endpoint_rule_set: Some(rule_set.to_string().into_bytes()),
            partitions: partitions.map(|p| p.as_bytes().to_vec()),
            ..codegen::frontend::ModelInput::default()
        };
        match codegen::generate(&input, &options()) {
            Err(diagnostics) => format!("failed\n{diagnostics}"),
            Ok(generated) => generated.warnings.iter().map(|w| format!("{w}\n")).collect(),
        }
    };
    let unknown_function = serde_json::json!({"version": "1.0", "parameters": {}, "rules": [
        {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": []}], "endpoint": {"url": "https://x"}}
    ]});
    let report = generate(unknown_function, None);
    assert!(
        report.starts_with("failed\nerror: (endpoint-rule-set-1.json)/rules/0/conditions/0"),
        "{report}"
    );

    let partitioned = serde_json::json!({"version": "1.0",
        "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region"}},
        "rules": [{"type": "endpoint", "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
            "endpoint": {"url": "https://x.{p#dnsSuffix}"}},
            {"type": "error", "conditions": [], "error": "no"}]});
    let report = generate(partitioned.clone(), None);
    assert!(
        report.contains("calls `aws.partition`, but no partitions.json"),
        "{report}"
    );
    let report = generate(partitioned, Some("{\"partitions\": 3}"));
    assert!(report.starts_with("failed\nerror: (partitions.json)"), "{report}");

    let declared = serde_json::json!({"version": "1.0",
        "parameters": {"Count": {"type": "String"}, "Names": {"type": "stringArray"}},
        "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x"}}]});
    assert_eq!(
        generate(declared, None),
        "warning: /operations/Op/operationContextParams/Names: binds an endpoint parameter by a JMESPath \
         expression, which this generator does not evaluate; the parameter is left unset (the rules then resolve \
         as if the operation had none)\n\
         warning: /shapes/In/members/Count/contextParam: binds the endpoint parameter \"Count\" to a member that \
         is not a string or boolean; the parameter is left unset\n"
    );
}

/// `paginators-1.json` problems are warnings with their path in that file; the crate is still generated, with the
/// paginators that resolve (the paginators golden's file has one of each kind, and an entry for an operation the
/// model does not have, skipped silently).
#[test]
fn paginator_problems_are_warnings_naming_their_entry() {
    let model = repo_root().join("tests/golden/paginators/model.json");
    let input = codegen::frontend::ModelInput::read(&model).unwrap();
    let generated = codegen::generate(&input, &options()).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning: (paginators-1.json)/pagination/GetStatus/limit_key: the page size `Verbose` is a boolean, not \
             an integer, so `page_size()` is not generated",
            "warning: (paginators-1.json)/pagination/GetStatus/result_key: the items `Summary` are a structure, not \
             a list or map, so `items()` is not generated",
            "warning: (paginators-1.json)/pagination/ListBroken/output_token: `Items[0].Id` is a JMESPath \
             expression, not a member path (`Foo.NextToken`), so the operation gets no paginator",
        ]
    );
    let paginated: Vec<&str> = generated
        .service
        .operations
        .iter()
        .filter(|op| op.paginator.is_some())
        .map(|op| op.wire_name.as_str())
        .collect();
    assert_eq!(
        paginated,
        [
            "ListThings",
            "ListTags",
            "DescribeHistory",
            "ListNames",
            "GetStatus",
            "DescribeStream",
            "Scan"
        ]
    );
}

/// A broken or oddly shaped `paginators-1.json` never fails generation: each problem is a warning at its path.
#[test]
fn a_broken_paginators_file_is_a_warning() {
    let model = std::fs::read(repo_root().join("tests/golden/paginators/model.json")).unwrap();
    let report = |paginators: &str| -> Vec<String> {
        let input = codegen::frontend::ModelInput {
            paginators: Some(paginators.as_bytes().to_vec()),
            ..codegen::frontend::ModelInput::new(model.clone())
        };
        let generated = codegen::generate(&input, &options()).unwrap();
        generated.warnings.iter().map(|w| w.to_string()).collect()
    };
    assert!(report("{")[0].starts_with("warning: (paginators-1.json): not valid JSON"));
    assert_eq!(
        report(r#"{"pagination": []}"#),
        [
            "warning: (paginators-1.json)/pagination: expected an object of paginators by operation name, so no \
          paginator is generated"
        ]
    );
    assert_eq!(
        report(
            r#"{"pagination": {
                "ListNames": 3,
                "ListThings": {"input_token": ["nextToken", "prefix"], "output_token": "nextToken"},
                "ListTags": {"input_token": "Nope", "output_token": "Paging.Nope.Deeper", "limit_key": "Paging.X"},
                "DescribeHistory": {"input_token": "token", "output_token": 7, "result_key": [1]},
                "GetStatus": {"output_token": "NextToken"},
                "ListBroken": {"input_token": ["NextToken"], "output_token": ["Items"]}
            }}"#
        ),
        [
            "warning: (paginators-1.json)/pagination/DescribeHistory/output_token: expected a member name or path, \
             so the operation gets no paginator",
            "warning: (paginators-1.json)/pagination/DescribeHistory/result_key/0: expected a string, so `items()` \
             is not generated",
            "warning: (paginators-1.json)/pagination/GetStatus/input_token: missing, so the operation gets no \
             paginator",
            "warning: (paginators-1.json)/pagination/ListBroken/output_token: the output token `Items` is a list, \
             which the input token `NextToken` cannot take, so the operation gets no paginator",
            "warning: (paginators-1.json)/pagination/ListNames: expected an object, so the operation gets no \
             paginator",
            "warning: (paginators-1.json)/pagination/ListTags/input_token: `Nope` is not a member of \
             `ListTagsRequest`, so the operation gets no paginator",
            "warning: (paginators-1.json)/pagination/ListTags/limit_key: `Paging.X` is a nested path; the page \
             size must be a member of the input, so `page_size()` is not generated",
            "warning: (paginators-1.json)/pagination/ListTags/output_token: `Paging` (`Paging`) has no member \
             `Nope`, so the operation gets no paginator",
            "warning: (paginators-1.json)/pagination/ListThings/input_token: several tokens are not supported (one \
             input and one output token are), so the operation gets no paginator",
        ]
    );
}

// Regressions from `cargo xtask fuzz-models`: each is the smallest model of a case it found, where a
// diagnostic had no path into the file it is about, or where generation crashed.

/// What generation reports for `input`: its diagnostics when it fails, its warnings when it succeeds.
fn report_of(input: codegen::frontend::ModelInput) -> String {
    match codegen::generate(&input, &options()) {
        Err(diagnostics) => format!("failed\n{diagnostics}"),
        Ok(generated) => generated.warnings.iter().map(|w| format!("{w}\n")).collect(),
    }
}

/// A Smithy model with one operation whose input is `In`, and the shapes given.
fn smithy_model(shapes: serde_json::Value) -> Vec<u8> {
    let mut model = serde_json::json!({"smithy": "2.0", "shapes": {
        "ex#Svc": {"type": "service", "version": "2024-01-01", "operations": [{"target": "ex#Op"}],
                   "traits": {"aws.protocols#awsJson1_0": {}}},
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}}
    }});
    for (id, shape) in shapes.as_object().unwrap() {
        model["shapes"][id] = shape.clone();
    }
    model.to_string().into_bytes()
}

/// A JSON syntax error is reported at the value it is in (the document itself only when nothing in it was
/// being read), in the model and in each file beside it.
#[test]
fn syntax_errors_name_the_value_they_are_in() {
    let input = |service: &str| codegen::frontend::ModelInput::new(service.as_bytes().to_vec());
    assert_eq!(
        report_of(input(r#"{"metadata": {}, "shapes": {"A": {"type": "structure", "members": {"b": {"shape": tr"#)),
        "failed\nerror: /shapes/A/members/b/shape: the model is not valid JSON: EOF while parsing a value at line 1 column 84\n"
    );
    assert_eq!(
        report_of(input("")),
        "failed\nerror: (model root): the model is not valid JSON: EOF while parsing a value at line 1 column 0\n"
    );
    let model = std::fs::read(repo_root().join("tests/golden/waiters/model.json")).unwrap();
    let beside = |file: &str, text: &str| {
        let mut input = codegen::frontend::ModelInput::new(model.clone());
        let slot = match file {
            "paginators" => &mut input.paginators,
            "waiters" => &mut input.waiters,
            "rules" => &mut input.endpoint_rule_set,
            _ => &mut input.partitions,
        };
        *slot = Some(text.as_bytes().to_vec());
        report_of(input)
    };
    assert!(
        beside("paginators", r#"{"pagination": {"GetThing": {"input_token": tr"#)
            .starts_with("warning: (paginators-1.json)/pagination/GetThing/input_token: not valid JSON"),
    );
    assert!(beside("waiters", r#"{"version": 2, "waiters": [}"#)
        .starts_with("warning: (waiters-2.json)/waiters/0: not valid JSON"));
    assert!(
        beside("rules", r#"{"version": "1.0", "parameters": {"Region": {"type": }"#)
            .starts_with("failed\nerror: (endpoint-rule-set-1.json)/parameters/Region/type: not valid JSON")
    );
    let rules = std::fs::read_to_string(repo_root().join("tests/golden/endpoint_rules/endpoint-rule-set-1.json"));
    let mut input = codegen::frontend::ModelInput::new(model.clone());
    input.endpoint_rule_set = Some(rules.unwrap().into_bytes());
    input.partitions = Some(br#"{"partitions": [{"id": "aws", "outputs": {"#.to_vec());
    assert!(report_of(input).starts_with("failed\nerror: (partitions.json)/partitions/0/outputs: not valid JSON"));
}

/// A property missing from a rule set or partition table is reported where it would be, as the model's own
/// missing keys are: at the root too, where the empty path would name the whole (well-formed) file.
#[test]
fn missing_rule_set_properties_are_reported_where_they_would_be() {
    let model = std::fs::read(repo_root().join("tests/golden/endpoint_rules/model.json")).unwrap();
    let mut input = codegen::frontend::ModelInput::new(model);
    input.endpoint_rule_set = Some(br#"{"version": "1.0", "rules": []}"#.to_vec());
    assert_eq!(
        report_of(input.clone()),
        "failed\nerror: (endpoint-rule-set-1.json)/parameters: missing required property `parameters`\n"
    );
    input.endpoint_rule_set = Some(br#"{"version": "1.0", "parameters": {}, "rules": []}"#.to_vec());
    input.partitions = Some(b"{}".to_vec());
    assert_eq!(
        report_of(input),
        "failed\nerror: (partitions.json)/partitions: missing required property `partitions`\n"
    );
}

/// `metadata` that is missing or not an object is one error, not one more per key it would have held (at
/// paths inside something that is not there).
#[test]
fn missing_metadata_is_one_error() {
    for metadata in ["", r#""metadata": "json","#] {
        let model = format!(r#"{{{metadata} "operations": {{}}, "shapes": {{}}}}"#);
        let report = report_of(codegen::frontend::ModelInput::new(model.into_bytes()));
        let errors: Vec<&str> = report.lines().skip(1).collect();
        assert_eq!(errors.len(), 1, "{report}");
        assert!(errors[0].starts_with("error: /metadata: "), "{report}");
    }
}

/// A `@default` the member takes from its target is reported on the target, where it is written; one that does
/// not fit the Rust type of the member (`i32`, `f32`) is an error, not a crate that does not compile.
#[test]
fn smithy_defaults_are_checked_where_they_are_written() {
    let model = smithy_model(serde_json::json!({
        "ex#In": {"type": "structure", "members": {
            "a": {"target": "ex#Flag"},
            "b": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 2147483648u64}},
            "c": {"target": "smithy.api#Float", "traits": {"smithy.api#default": 1e300}},
            "d": {"target": "smithy.api#Long", "traits": {"smithy.api#default": 2147483648u64}}
        }},
        "ex#Flag": {"type": "boolean", "traits": {"smithy.api#default": "yes"}}
    }));
    assert_eq!(
        report_of(codegen::frontend::ModelInput::new(model)),
        "failed\n\
         error: /shapes/ex#Flag/traits/smithy.api#default: a default of \"yes\" does not fit a shape of type boolean\n\
         error: /shapes/ex#In/members/b/traits/smithy.api#default: a default of 2147483648 does not fit a shape of \
         type integer\n\
         error: /shapes/ex#In/members/c/traits/smithy.api#default: a default of 1e+300 does not fit a shape of type \
         float\n"
    );
}

/// Problems with the prelude's shapes, which the model refers to but does not hold, are reported where the
/// model refers to them: an unsupported type at the member, a non-structure error at the operation's errors.
#[test]
fn prelude_shapes_are_reported_where_they_are_used() {
    let model = smithy_model(serde_json::json!({
        "ex#In": {"type": "structure", "members": {"n": {"target": "smithy.api#BigDecimal"}}}
    }));
    assert_eq!(
        report_of(codegen::frontend::ModelInput::new(model)),
        "failed\nerror: /shapes/ex#In/members/n/target: refers to smithy.api#BigDecimal, of type \"bigDecimal\", \
         which is not supported\n"
    );
    let mut model: serde_json::Value = serde_json::from_slice(&smithy_model(serde_json::json!({
        "ex#In": {"type": "structure", "members": {"n": {"target": "smithy.api#String"}}}
    })))
    .unwrap();
    model["shapes"]["ex#Op"]["errors"] = serde_json::json!([{"target": "smithy.api#String"}]);
    assert_eq!(
        report_of(codegen::frontend::ModelInput::new(model.to_string().into_bytes())),
        "failed\nerror: /shapes/ex#Op/errors: lists \"String\" as an error, but it is not a structure\n"
    );
}

/// A `waiters-2.json` or `paginators-1.json` whose waiter, acceptor or root is not an object is a warning at
/// that value, not at a key inside it.
#[test]
fn companion_files_of_the_wrong_shape_are_warnings_at_that_value() {
    let model = std::fs::read(repo_root().join("tests/golden/waiters/model.json")).unwrap();
    let with = |waiters: &str, paginators: &str| {
        let mut input = codegen::frontend::ModelInput::new(model.clone());
        input.waiters = Some(waiters.as_bytes().to_vec());
        input.paginators = Some(paginators.as_bytes().to_vec());
        report_of(input)
    };
    assert_eq!(
        with(
            r#"{"version": 2, "waiters": {"A": "x", "B": {"operation": "GetThing", "delay": 1, "acceptors": [3]}}}"#,
            "[]"
        ),
        "warning: (paginators-1.json): expected an object with `pagination`, so no paginator is generated\n\
         warning: (waiters-2.json)/waiters/A: expected an object; the waiter `A` is left out\n\
         warning: (waiters-2.json)/waiters/B/acceptors/0: expected an object; the waiter `B` is left out\n"
    );
    assert_eq!(
        with("7", r#"{"pagination": {}}"#),
        "warning: (waiters-2.json): expected an object with `version` and `waiters`; no waiters are generated\n"
    );
}

/// A waiter's path nested deep enough to overflow the stack of a recursive parser is an error, and generation
/// ends normally.
#[test]
fn deeply_nested_waiter_paths_do_not_overflow_the_stack() {
    let model = std::fs::read(repo_root().join("tests/golden/waiters/model.json")).unwrap();
    let path = format!("{}status", "!".repeat(100_000));
    let waiters = serde_json::json!({"version": 2, "waiters": {"Deep": {"operation": "GetThing", "delay": 1,
        "acceptors": [{"matcher": "path", "argument": path, "expected": true, "state": "success"}]}}});
    let mut input = codegen::frontend::ModelInput::new(model);
    input.waiters = Some(waiters.to_string().into_bytes());
    let report = report_of(input);
    assert!(
        report.starts_with("warning: (waiters-2.json)/waiters/Deep/acceptors/0") && report.contains("256 tokens"),
        "{report}"
    );
}
