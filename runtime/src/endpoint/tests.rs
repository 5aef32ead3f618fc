//! Parsing, parameter binding, evaluation and caching, through the public API.

use super::*;

const PARTITIONS: &str = r#"{"partitions": [
    {"id": "aws", "regionRegex": "^(us|eu|ap)\\-\\w+\\-\\d+$",
     "regions": {"us-east-1": {}, "aws-global": {}},
     "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                 "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
    {"id": "aws-iso", "regionRegex": "^us\\-iso\\-\\w+\\-\\d+$", "regions": {},
     "outputs": {"name": "aws-iso", "dnsSuffix": "c2s.ic.gov", "dualStackDnsSuffix": "c2s.ic.gov",
                 "supportsFIPS": true, "supportsDualStack": false, "implicitGlobalRegion": "us-iso-east-1"}}
]}"#;

fn partitions() -> Partitions {
    Partitions::from_json(PARTITIONS).unwrap()
}

/// A rule set with the given parameters (JSON object body) and rules (JSON array body).
fn rule_set(parameters: &str, rules: &str) -> Result<RuleSet, RuleSetError> {
    RuleSet::from_json(&format!(
        r#"{{"version": "1.0", "parameters": {{{parameters}}}, "rules": [{rules}]}}"#
    ))
}

fn params(pairs: &[(&str, ParamValue)]) -> Params {
    pairs.iter().cloned().collect()
}

fn s(text: &str) -> ParamValue {
    ParamValue::from(text)
}

fn resolve_with(rules: &RuleSet, pairs: &[(&str, ParamValue)]) -> Result<Endpoint, ResolveError> {
    resolve(rules, &partitions(), &params(pairs))
}

fn url(rules: &RuleSet, pairs: &[(&str, ParamValue)]) -> String {
    match resolve_with(rules, pairs) {
        Ok(endpoint) => endpoint.url,
        Err(e) => panic!("{e:?}"),
    }
}

const REGION: &str = r#""Region": {"type": "String", "builtIn": "AWS::Region", "required": false}"#;

fn parse_error(parameters: &str, rules: &str) -> String {
    rule_set(parameters, rules).unwrap_err().to_string()
}

#[test]
fn parse_errors_name_the_json_path() {
    assert!(RuleSet::from_json("{")
        .unwrap_err()
        .to_string()
        .starts_with("(root): not valid JSON"));
    assert_eq!(
        RuleSet::from_json("[]").unwrap_err().to_string(),
        "(root): a rule set must be an object, found an array"
    );
    assert_eq!(
        RuleSet::from_json(r#"{"version": "1.0", "parameters": {}}"#)
            .unwrap_err()
            .to_string(),
        "/rules: missing required property `rules`"
    );
    assert_eq!(
        parse_error(r#""Region": {"type": "Integer"}"#, ""),
        "/parameters/Region/type: unknown parameter type `Integer` (expected String, Boolean or stringArray)"
    );
    assert_eq!(
        parse_error(r#""UseFIPS": {"type": "Boolean", "default": "no"}"#, ""),
        "/parameters/UseFIPS/default: the default of a Boolean parameter cannot be a string"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x"}}, {"type": "loop"}"#
        ),
        "/rules/1/type: unknown rule type `loop` (expected endpoint, error or tree)"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "tree", "conditions": [], "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Regoin"}]}], "error": "x"}]}"#
        ),
        "/rules/0/rules/0/conditions/0/argv/0: `Regoin` is not a parameter or a variable in scope"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "error", "conditions": [{"fn": "frobnicate", "argv": []}], "error": "x"}"#
        ),
        "/rules/0/conditions/0/fn: unknown function `frobnicate`"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}, true]}], "error": "x"}"#
        ),
        "/rules/0/conditions/0/argv: isSet takes 1 argument(s), found 2"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Region"}, "a[0].b"]}], "error": "x"}"#
        ),
        "/rules/0/conditions/0/argv/1: the path `a[0].b` has an index before its end"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region.example.com"}}"#
        ),
        "/rules/0/endpoint/url: unclosed `{` in template `https://{Region.example.com`"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x", "headers": {"x-a": ["{Nope}"]}}}"#
        ),
        "/rules/0/endpoint/headers/x-a/0: template `{Nope}`: `Nope` is not a parameter or a variable in scope"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["x"], "assign": "Region"}], "endpoint": {"url": "https://x"}}"#
        ),
        "/rules/0/conditions/0/assign: `Region` is already a parameter or a variable in scope"
    );
    assert_eq!(
        parse_error(
            REGION,
            r#"{"type": "error", "conditions": [{"argv": []}], "error": "x"}"#
        ),
        "/rules/0/conditions/0: a condition must be a function call (missing `fn`)"
    );
    assert_eq!(
        parse_error(r#""a/b": {"type": "String"}"#, ""),
        "/parameters/a~1b: `a/b` is not a valid parameter name"
    );
    let error = rule_set(REGION, r#"{"type": "error"}"#).unwrap_err();
    assert_eq!(
        (error.path(), error.problem()),
        ("/rules/0/error", "missing required property `error`")
    );
}

#[test]
fn a_variable_is_visible_in_its_rule_and_below_only() {
    // `p` is assigned in the first rule; the second rule cannot see it.
    let rules = r#"
        {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": ["us-east-1"], "assign": "p"}],
         "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{p#name}.example"}}]},
        {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{p#name}.example"}}"#;
    assert_eq!(
        parse_error(REGION, rules),
        "/rules/1/endpoint/url: template `https://{p#name}.example`: `p` is not a parameter or a variable in scope"
    );
    // The same name may be assigned again by a sibling rule, and refers to the sibling's value.
    let rules = rule_set(
        REGION,
        r#"
        {"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["us-iso-east-1"], "assign": "p"},
                                            {"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "p"}, "supportsDualStack"]}, true]}],
         "endpoint": {"url": "https://first.{p#dnsSuffix}"}},
        {"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["eu-west-1"], "assign": "p"}],
         "endpoint": {"url": "https://second.{p#dnsSuffix}"}}"#,
    )
    .unwrap();
    assert_eq!(url(&rules, &[]), "https://second.amazonaws.com");
}

#[test]
fn defaults_fill_unset_parameters_and_required_ones_must_be_set() {
    let parameters = r#"
        "Region": {"type": "String", "required": true},
        "UseFIPS": {"type": "Boolean", "required": true, "default": false},
        "Zones": {"type": "stringArray", "required": true, "default": ["a", "b"]}"#;
    let rules = rule_set(
        parameters,
        r#"{"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, false]},
                                               {"fn": "getAttr", "argv": [{"ref": "Zones"}, "[1]"], "assign": "zone"}],
            "endpoint": {"url": "https://{Region}.{zone}.example"}},
           {"type": "error", "conditions": [], "error": "FIPS on"}"#,
    )
    .unwrap();
    assert_eq!(
        url(&rules, &[("Region", s("us-east-1"))]),
        "https://us-east-1.b.example"
    );
    assert_eq!(
        url(
            &rules,
            &[
                ("Region", s("r")),
                ("Zones", ParamValue::StringArray(vec!["z".into(), "y".into()]))
            ]
        ),
        "https://r.y.example"
    );
    assert_eq!(
        resolve_with(&rules, &[("Region", s("r")), ("UseFIPS", ParamValue::Bool(true))]),
        Err(ResolveError::Rule("FIPS on".into()))
    );
    assert_eq!(
        resolve_with(&rules, &[]),
        Err(ResolveError::Parameter("required parameter `Region` is not set".into()))
    );
    assert_eq!(
        resolve_with(&rules, &[("Region", s("r")), ("UseFIPS", s("true"))]),
        Err(ResolveError::Parameter(
            "parameter `UseFIPS` is a Boolean, given a string".into()
        ))
    );
    // Parameters the rule set does not declare are ignored.
    assert_eq!(
        url(&rules, &[("Region", s("r")), ("Bogus", ParamValue::Bool(true))]),
        "https://r.b.example"
    );
    assert_eq!(
        rules.parameters().collect::<Vec<_>>(),
        [("Region", None), ("UseFIPS", None), ("Zones", None)]
    );
}

#[test]
fn an_exhausted_tree_is_an_error_not_a_fall_through() {
    let rules = rule_set(
        REGION,
        r#"{"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
            "rules": [{"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "a"]}],
                       "endpoint": {"url": "https://a.example"}}]},
           {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://fallback.example"}}"#,
    )
    .unwrap();
    assert_eq!(url(&rules, &[("Region", s("a"))]), "https://a.example");
    assert_eq!(
        resolve_with(&rules, &[("Region", s("b"))]),
        Err(ResolveError::NoRuleMatched)
    );
    assert_eq!(url(&rules, &[]), "https://fallback.example");
    // And a rule set whose rules all fail to match.
    let rules = rule_set(
        REGION,
        r#"{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "error": "x"}"#,
    )
    .unwrap();
    assert_eq!(resolve_with(&rules, &[]), Err(ResolveError::NoRuleMatched));
}

#[test]
fn endpoints_carry_templated_headers_and_properties() {
    let rules = rule_set(
        REGION,
        r#"{"type": "endpoint",
            "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}],
            "endpoint": {
                "url": "https://svc.{Region}.{PartitionResult#dnsSuffix}/{{literal}}",
                "headers": {"x-region": ["{Region}", "fixed"]},
                "properties": {
                    "authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}",
                                     "disableDoubleEncoding": true}],
                    "nested": {"list": ["{PartitionResult#name}", 3, null]}
                }
            }}"#,
    )
    .unwrap();
    let endpoint = resolve_with(&rules, &[("Region", s("ap-south-1"))]).unwrap();
    assert_eq!(endpoint.url, "https://svc.ap-south-1.amazonaws.com/{literal}");
    assert_eq!(endpoint.headers["x-region"], ["ap-south-1", "fixed"]);
    assert_eq!(
        serde_json::Value::Object(endpoint.properties.clone()),
        serde_json::json!({
            "authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "ap-south-1",
                             "disableDoubleEncoding": true}],
            "nested": {"list": ["aws", 3, null]}
        })
    );
    assert_eq!(endpoint.sigv4_signing(), Ok((Some("svc"), Some("ap-south-1"))));
}

#[test]
fn sigv4_signing_prefers_sigv4_then_sigv4a() {
    let endpoint = |properties: serde_json::Value| Endpoint {
        url: "https://x".into(),
        headers: Default::default(),
        properties: properties.as_object().cloned().unwrap_or_default(),
    };
    let both = endpoint(serde_json::json!({"authSchemes": [
        {"name": "sigv4a", "signingName": "a", "signingRegionSet": ["*"]},
        {"name": "sigv4", "signingName": "b", "signingRegion": "us-west-2"}
    ]}));
    assert_eq!(both.sigv4_signing(), Ok((Some("b"), Some("us-west-2"))));
    // Only SigV4a (EventBridge's global endpoints): not signed as SigV4 with region `*`, but refused.
    let only_a = endpoint(serde_json::json!({"authSchemes": [
        {"name": "sigv4a", "signingName": "a", "signingRegionSet": ["*", "us-east-1"]}
    ]}));
    assert_eq!(only_a.sigv4_signing(), Err(vec!["sigv4a"]));
    let partial = endpoint(serde_json::json!({"authSchemes": [{"name": "sigv4"}]}));
    assert_eq!(partial.sigv4_signing(), Ok((None, None)));
    assert_eq!(endpoint(serde_json::json!({})).sigv4_signing(), Ok((None, None)));
    assert_eq!(
        endpoint(serde_json::json!({"authSchemes": [{"name": "bearer", "signingName": "x"}]})).sigv4_signing(),
        Err(vec!["bearer"])
    );
}

#[test]
fn functions_through_rules() {
    let parameters = r#""Arn": {"type": "String"}, "Bucket": {"type": "String"}, "Flag": {"type": "Boolean"}"#;
    let rules = rule_set(
        parameters,
        r#"
        {"type": "endpoint", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Arn"}]},
            {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "arn"},
            {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "name"},
            {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "arn"}, "region"]}, ""]}]}
         ], "endpoint": {"url": "https://{name}.{arn#service}.{arn#region}.example"}},
        {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Arn"}]}], "error": "Invalid ARN: {Arn}"},
        {"type": "endpoint", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
            {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]},
            {"fn": "substring", "argv": [{"ref": "Bucket"}, 0, 3, true], "assign": "tail"},
            {"fn": "ite", "argv": [{"fn": "coalesce", "argv": [{"ref": "Flag"}, false]}, "-on", "-off"], "assign": "suffix"},
            {"fn": "split", "argv": [{"ref": "Bucket"}, "--", 0], "assign": "parts"}
         ], "endpoint": {"url": "https://{Bucket}{suffix}.example/{tail}/{parts#[0]}/{parts#[-1]}"}},
        {"type": "endpoint", "conditions": [
            {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
            {"fn": "parseURL", "argv": ["https://127.0.0.1:8443/base"], "assign": "u"},
            {"fn": "getAttr", "argv": [{"ref": "u"}, "isIp"]}
         ], "endpoint": {"url": "{u#scheme}://{u#authority}{u#normalizedPath}{Bucket}",
                         "headers": {"x-encoded": [{"fn": "uriEncode", "argv": [{"ref": "Bucket"}]}]}}},
        {"type": "error", "conditions": [], "error": "nothing set"}"#,
    )
    .unwrap();
    assert_eq!(
        url(
            &rules,
            &[("Arn", s("arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap"))]
        ),
        "https://my-ap.s3.us-west-2.example"
    );
    assert_eq!(
        resolve_with(&rules, &[("Arn", s("arn:aws:s3:::bucket/x"))]),
        Err(ResolveError::Rule("Invalid ARN: arn:aws:s3:::bucket/x".into()))
    );
    assert_eq!(
        url(&rules, &[("Bucket", s("abc--def--xyz"))]),
        "https://abc--def--xyz-off.example/xyz/abc/xyz"
    );
    assert_eq!(
        url(
            &rules,
            &[("Bucket", s("abc--def--xyz")), ("Flag", ParamValue::Bool(true))]
        ),
        "https://abc--def--xyz-on.example/xyz/abc/xyz"
    );
    let endpoint = resolve_with(&rules, &[("Bucket", s("Not_Hostable!"))]).unwrap();
    assert_eq!(endpoint.url, "https://127.0.0.1:8443/base/Not_Hostable!");
    assert_eq!(endpoint.headers["x-encoded"], ["Not_Hostable%21"]);
    assert_eq!(resolve_with(&rules, &[]), Err(ResolveError::Rule("nothing set".into())));
}

#[test]
fn evaluation_failures_are_errors_not_panics() {
    // An unset parameter where a function needs a value.
    let rules = rule_set(
        REGION,
        r#"{"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}],
            "endpoint": {"url": "https://x.example"}}"#,
    )
    .unwrap();
    assert_eq!(
        resolve_with(&rules, &[]),
        Err(ResolveError::Invalid(
            "stringEquals: argument 1 must be a string, found an unset value".into()
        ))
    );
    // A URL that is not one.
    let rules = rule_set(
        REGION,
        r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "{Region}"}}"#,
    )
    .unwrap();
    assert_eq!(
        resolve_with(&rules, &[("Region", s("not a url"))]),
        Err(ResolveError::Invalid(
            "the endpoint URL `not a url` is not a valid absolute URL".into()
        ))
    );
    // A template placeholder that is not a string.
    let rules = rule_set(
        REGION,
        r#"{"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["us-east-1"], "assign": "p"}],
            "endpoint": {"url": "https://{p#supportsFIPS}.example"}}"#,
    )
    .unwrap();
    assert_eq!(
        resolve_with(&rules, &[]),
        Err(ResolveError::Invalid(
            "template placeholder for `p` must be a string, found a value of type boolean".into()
        ))
    );
    // Type mismatches in literals.
    let rules = rule_set(
        REGION,
        r#"{"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": ["true", true]}],
            "endpoint": {"url": "https://x.example"}}"#,
    )
    .unwrap();
    assert!(matches!(resolve_with(&rules, &[]), Err(ResolveError::Invalid(_))));
}

#[test]
fn explicit_region_entries_win_over_regexes() {
    // `aws-global` matches no regex: only its explicit entry places it in `aws`. `us-iso-east-1` is found by
    // the `aws-iso` regex, an unknown region falls back to `aws`.
    let rules = rule_set(
        REGION,
        r#"{"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
            "endpoint": {"url": "https://{p#name}.{p#implicitGlobalRegion}.example"}}"#,
    )
    .unwrap();
    assert_eq!(
        url(&rules, &[("Region", s("aws-global"))]),
        "https://aws.us-east-1.example"
    );
    assert_eq!(
        url(&rules, &[("Region", s("us-iso-east-1"))]),
        "https://aws-iso.us-iso-east-1.example"
    );
    assert_eq!(
        url(&rules, &[("Region", s("moon-base-1"))]),
        "https://aws.us-east-1.example"
    );
}

const CACHED_RULES: &str = r#"{"version": "1.0",
    "parameters": {"Region": {"type": "String", "required": false}},
    "rules": [
        {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
         "endpoint": {"url": "https://svc.{Region}.example"}},
        {"type": "error", "conditions": [], "error": "Missing Region"}
    ]}"#;

#[test]
fn endpoint_rules_cache_results_per_parameters() {
    static RULES: EndpointRules = EndpointRules::new(CACHED_RULES, PARTITIONS);
    let region = |r: &str| params(&[("Region", s(r))]);
    let first = RULES.resolve(&region("us-east-1")).unwrap();
    assert_eq!(first.url, "https://svc.us-east-1.example");
    assert_eq!(RULES.evaluations(), 1);
    // The same parameters again: the cached result, no evaluation.
    assert_eq!(RULES.resolve(&region("us-east-1")).unwrap(), first);
    assert_eq!(RULES.evaluations(), 1);
    // Errors are cached too.
    assert_eq!(
        RULES.resolve(&Params::new()),
        Err(ResolveError::Rule("Missing Region".into()))
    );
    assert_eq!(
        RULES.resolve(&Params::new()),
        Err(ResolveError::Rule("Missing Region".into()))
    );
    assert_eq!(RULES.evaluations(), 2);
    assert_eq!(RULES.cached(), 2);
    assert_eq!(
        RULES.rule_set().unwrap().parameters().collect::<Vec<_>>(),
        [("Region", None)]
    );
}

#[test]
fn endpoint_rules_cache_is_bounded_and_keeps_the_recently_used() {
    let rules = EndpointRules::new(CACHED_RULES, PARTITIONS);
    let region = |i: usize| params(&[("Region", s(&format!("r{i}")))]);
    for i in 0..cache::CAPACITY {
        rules.resolve(&region(i)).unwrap();
    }
    assert_eq!(
        (rules.cached(), rules.evaluations()),
        (cache::CAPACITY, cache::CAPACITY)
    );
    // Use r0 again, then add one more: r1 (the least recently used) makes room, r0 stays.
    rules.resolve(&region(0)).unwrap();
    rules.resolve(&region(1000)).unwrap();
    assert_eq!(rules.cached(), cache::CAPACITY);
    let evaluations = rules.evaluations();
    rules.resolve(&region(0)).unwrap();
    assert_eq!(rules.evaluations(), evaluations);
    rules.resolve(&region(1)).unwrap();
    assert_eq!(rules.evaluations(), evaluations + 1);
}

#[test]
fn endpoint_rules_report_a_broken_text_on_every_call() {
    let broken = EndpointRules::new(
        r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "nope"}]}"#,
        PARTITIONS,
    );
    let expected = ResolveError::Invalid(
        "the endpoint rule set cannot be used: /rules/0/type: unknown rule type `nope` (expected endpoint, error or tree)"
            .into(),
    );
    assert_eq!(broken.resolve(&Params::new()), Err(expected.clone()));
    assert_eq!(broken.resolve(&Params::new()), Err(expected.clone()));
    assert_eq!(broken.rule_set().err(), Some(expected));
    let bad_table = EndpointRules::new(CACHED_RULES, "{}");
    assert_eq!(
        bad_table.resolve(&Params::new()),
        Err(ResolveError::Invalid(
            "the partition table cannot be used: /partitions: missing required property `partitions`".into()
        ))
    );
}

#[test]
fn endpoint_rules_are_shared_across_threads() {
    static RULES: EndpointRules = EndpointRules::new(CACHED_RULES, PARTITIONS);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                let p = params(&[("Region", s(if i % 2 == 0 { "a" } else { "b" }))]);
                (0..50).map(|_| RULES.resolve(&p).unwrap().url).collect::<Vec<_>>()
            })
        })
        .collect();
    for (i, handle) in handles.into_iter().enumerate() {
        let expected = if i % 2 == 0 {
            "https://svc.a.example"
        } else {
            "https://svc.b.example"
        };
        assert!(handle.join().unwrap().iter().all(|u| u == expected));
    }
    assert_eq!(RULES.cached(), 2);
}

#[test]
fn display_texts() {
    assert_eq!(
        ResolveError::Rule("Invalid Configuration: Missing Region".into()).to_string(),
        "Invalid Configuration: Missing Region"
    );
    assert_eq!(
        ResolveError::NoRuleMatched.to_string(),
        "no endpoint rule matched the parameters"
    );
    assert_eq!(
        ResolveError::Parameter("required parameter `Region` is not set".into()).to_string(),
        "invalid endpoint parameters: required parameter `Region` is not set"
    );
    assert_eq!(RuleSetError::new("/rules/0", "bad").to_string(), "/rules/0: bad");
}

#[test]
fn arbitrary_json_never_panics() {
    // Every JSON value of a small grammar, at every position of a rule, parses or fails with an error.
    let pieces = [
        "null",
        "true",
        "1",
        "-1",
        "1.5",
        "\"\"",
        "\"{\"",
        "\"}\"",
        "\"{{}}\"",
        "\"{Region#a[0]}\"",
        "[]",
        "{}",
        r#"{"ref": 1}"#,
        r#"{"fn": "getAttr", "argv": [{"ref": "Region"}, 3]}"#,
        r#"{"fn": "substring", "argv": ["a", -5, 99, true]}"#,
        r#"{"fn": "split", "argv": ["a", "", -1]}"#,
        r#"{"fn": "coalesce", "argv": [{"ref": "Region"}, {"ref": "Region"}]}"#,
    ];
    for piece in pieces {
        for template in [
            r#"{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [P]}], "endpoint": {"url": "https://x"}}"#,
            r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": P}}"#,
            r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x", "properties": {"a": P}}}"#,
            r#"{"type": "error", "conditions": [], "error": P}"#,
            r#"{"type": "tree", "conditions": [{"fn": "not", "argv": [P]}], "rules": []}"#,
        ] {
            if let Ok(rules) = rule_set(REGION, &template.replace('P', piece)) {
                let _ = resolve_with(&rules, &[]);
                let _ = resolve_with(&rules, &[("Region", s("us-east-1"))]);
            }
        }
    }
}
