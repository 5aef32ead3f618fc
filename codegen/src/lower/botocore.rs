//! Lowers the botocore mirror into the IR.
//!
//! Ids are reserved for every shape before any is converted (as typify does), so a member may refer to a
//! shape defined later in the file, or to its own structure, without a second pass.

use super::*;
use crate::diagnostics::{child, Diagnostics};
use crate::frontend::botocore as raw;
use crate::ir::*;
use crate::naming;
use std::collections::HashMap;

/// Lowers a whole botocore model: every shape and every operation, before any subsetting.
pub fn lower_botocore(
    model: &raw::Model,
    endpoint_rules: Option<EndpointRules>,
    diagnostics: &mut Diagnostics,
) -> Service {
    let ids: HashMap<&str, ShapeId> = model
        .shapes
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), ShapeId(i)))
        .collect();
    let endpoint_parameters = endpoint_rules.as_ref().map_or(&[][..], |rules| &rules.parameters[..]);
    let lowering = Lowering {
        model,
        ids: &ids,
        endpoint_parameters,
    };
    let metadata = lowering.metadata(diagnostics);
    let shapes: Vec<Shape> = model
        .shapes
        .iter()
        .map(|(name, shape)| lowering.shape(name, shape, &child("/shapes", name), diagnostics))
        .collect();
    let operations = model
        .operations
        .iter()
        .map(|(name, operation)| lowering.operation(name, operation, diagnostics))
        .collect();
    report_container_cycles(&shapes, diagnostics);
    Service {
        metadata,
        docs: markdown(&model.documentation),
        shapes,
        operations,
        endpoint_rules,
        waiters: Vec::new(),
    }
}

struct Lowering<'a> {
    model: &'a raw::Model,
    ids: &'a HashMap<&'a str, ShapeId>,
    /// The parameters the service's endpoint rule set declares (none without one).
    endpoint_parameters: &'a [String],
}

impl Lowering<'_> {
    fn metadata(&self, diagnostics: &mut Diagnostics) -> ServiceMetadata {
        // Metadata that is missing or of the wrong type is one error already, not one per key.
        let mut quiet = Diagnostics::default();
        let (m, diagnostics) = match &self.model.metadata {
            Some(m) => (m, diagnostics),
            None => (&raw::Metadata::default(), &mut quiet),
        };
        let speaks_json = m.protocol.as_deref() == Some("json") || m.protocols.iter().any(|p| p == "json");
        if !speaks_json {
            diagnostics.error(
                "/metadata/protocol",
                format!(
                    "protocol {:?} is not supported: this generator emits awsJson clients (`\"protocol\": \"json\"`)",
                    m.protocol.as_deref().unwrap_or("(none)")
                ),
            );
        }
        let json_version = m.json_version.clone().unwrap_or_else(|| "1.0".to_owned());
        if json_version != "1.0" && json_version != "1.1" {
            diagnostics.error(
                "/metadata/jsonVersion",
                format!("expected \"1.0\" or \"1.1\", found {json_version:?}"),
            );
        }
        let mut required = |field: &Option<String>, name: &str| {
            field.clone().unwrap_or_else(|| {
                diagnostics.error(child("/metadata", name), "missing: the client needs it on the wire");
                String::new()
            })
        };
        let target_prefix = required(&m.target_prefix, "targetPrefix");
        let endpoint_prefix = required(&m.endpoint_prefix, "endpointPrefix");
        let api_version = required(&m.api_version, "apiVersion");
        let signing_name = m.signing_name.clone().unwrap_or_else(|| endpoint_prefix.clone());
        let service_full_name = m.service_full_name.clone().unwrap_or_else(|| endpoint_prefix.clone());
        let service_id = m.service_id.clone().unwrap_or_else(|| service_full_name.clone());
        ServiceMetadata {
            json_version,
            target_prefix,
            endpoint_prefix,
            signing_name,
            service_id,
            service_full_name,
            api_version,
            query_compatible: m.aws_query_compatible.is_some(),
        }
    }

    fn resolve(&self, name: &str, path: &str, diagnostics: &mut Diagnostics) -> ShapeId {
        match self.ids.get(name) {
            Some(id) => *id,
            None => {
                diagnostics.error(
                    path,
                    format!("refers to shape {name:?}, which the model does not define"),
                );
                PLACEHOLDER
            }
        }
    }

    fn operation(&self, name: &str, op: &raw::Operation, diagnostics: &mut Diagnostics) -> Operation {
        let path = child("/operations", name);
        if let Some(inner) = op.name.as_deref().filter(|inner| *inner != name) {
            diagnostics.error(
                child(&path, "name"),
                format!("is {inner:?} but the operation is keyed {name:?}"),
            );
        }
        let mut reference = |r: &Option<raw::ShapeRef>, key: &str| {
            r.as_ref().map(|r| {
                let reference_path = child(&child(&path, key), "shape");
                let id = self.resolve(&r.shape, &reference_path, diagnostics);
                let plain_structure =
                    |s: &raw::Shape| s.kind == "structure" && !s.union && !s.document && !s.eventstream;
                if self.model.shapes.get(&r.shape).is_some_and(|s| !plain_structure(s)) {
                    diagnostics.error(
                        reference_path,
                        format!(
                            "{:?} is not a plain structure; an operation's {key} must be one",
                            r.shape
                        ),
                    );
                }
                id
            })
        };
        let input = reference(&op.input, "input");
        let output = reference(&op.output, "output");
        let errors = op
            .errors
            .iter()
            .enumerate()
            .map(|(i, r)| {
                self.resolve(
                    &r.shape,
                    &child(&child(&child(&path, "errors"), &i.to_string()), "shape"),
                    diagnostics,
                )
            })
            .collect();
        let host_prefix = op.endpoint.as_ref().and_then(|e| e.host_prefix.clone());
        if let Some(prefix) = &host_prefix {
            self.check_host_prefix(
                prefix,
                op.input.as_ref(),
                &child(&child(&path, "endpoint"), "hostPrefix"),
                diagnostics,
            );
        }
        let endpoint_params = self.endpoint_params(op, &path, diagnostics);
        Operation {
            wire_name: name.to_owned(),
            rust_name: naming::module_name(name),
            // The model's own shapes, or NO_SHAPE; the synthesis pass gives every operation its own copies.
            input: input.unwrap_or(NO_SHAPE),
            output: output.unwrap_or(NO_SHAPE),
            errors,
            docs: markdown(&op.documentation),
            deprecated: deprecation(op.deprecated, &op.deprecated_message),
            host_prefix,
            request_compression: op
                .requestcompression
                .as_ref()
                .map(|c| c.encodings.clone())
                .unwrap_or_default(),
            endpoint_params,
            paginator: None,
            // Set by a pass once the operation's errors are final.
            error_codes: Vec::new(),
            symbols: OperationSymbols::default(),
            json_path: path,
        }
    }

    /// The endpoint-rule parameters `op` binds, of those the rule set declares.
    fn endpoint_params(&self, op: &raw::Operation, path: &str, diagnostics: &mut Diagnostics) -> Vec<EndpointParam> {
        let statics = op
            .static_context_params
            .iter()
            .map(|(name, param)| {
                let value_path = child(&child(&child(path, "staticContextParams"), name), "value");
                (name.as_str(), &param.value, value_path)
            })
            .collect();
        let mut members = Vec::new();
        if let Some((reference, input)) = op
            .input
            .as_ref()
            .and_then(|r| Some((r, self.model.shapes.get(&r.shape)?)))
        {
            for (member_name, member) in &input.members {
                let Some(param) = &member.context_param else {
                    continue;
                };
                let kind = self.model.shapes.get(&member.shape).map(|s| s.kind.as_str());
                members.push(ContextParamMember {
                    member: member_name,
                    param: &param.name,
                    string_or_bool: matches!(kind, Some("string" | "boolean")),
                    path: child(
                        &child(&child(&child("/shapes", &reference.shape), "members"), member_name),
                        "contextParam",
                    ),
                });
            }
        }
        let operation_context = op
            .operation_context_params
            .keys()
            .map(|name| (name.as_str(), child(&child(path, "operationContextParams"), name)))
            .collect();
        endpoint_params(
            self.endpoint_parameters,
            statics,
            members,
            operation_context,
            diagnostics,
        )
    }

    /// Checks a host prefix against the members of the operation's input (see [`check_host_prefix`]).
    fn check_host_prefix(
        &self,
        prefix: &str,
        input: Option<&raw::ShapeRef>,
        path: &str,
        diagnostics: &mut Diagnostics,
    ) {
        let input = input.and_then(|r| self.model.shapes.get(&r.shape));
        let is_label = |label: &str| {
            let member = input.and_then(|shape| shape.members.get(label));
            let is_string = member
                .and_then(|m| self.model.shapes.get(&m.shape))
                .is_some_and(|target| target.kind == "string");
            member.is_some_and(|m| m.host_label) && is_string
        };
        check_host_prefix(prefix, is_label, path, diagnostics);
    }

    fn shape(&self, name: &str, shape: &raw::Shape, path: &str, diagnostics: &mut Diagnostics) -> Shape {
        let kind = self.kind(name, shape, path, diagnostics);
        let is_error = shape.exception || shape.fault || shape.error.is_some();
        Shape {
            wire_name: name.to_owned(),
            rust_name: naming::type_name(name),
            location: if is_error { Location::Errors } else { Location::Types },
            kind,
            docs: markdown(&shape.documentation),
            sensitive: shape.sensitive,
            deprecated: deprecation(shape.deprecated, &shape.deprecated_message),
            validated: false,
            decoded: false,
            symbols: ShapeSymbols::default(),
            json_path: path.to_owned(),
        }
    }

    fn kind(&self, name: &str, shape: &raw::Shape, path: &str, diagnostics: &mut Diagnostics) -> ShapeKind {
        let range = range(shape, path, diagnostics);
        let length = |kind: &str, diagnostics: &mut Diagnostics| {
            for (key, bound) in [("min", range.min), ("max", range.max)] {
                if bound.is_some_and(|b| b < 0.0 || b.fract() != 0.0) {
                    diagnostics.error(child(path, key), format!("a {kind} bound must be a whole number >= 0"));
                }
            }
            range
        };
        match shape.kind.as_str() {
            "structure" if shape.document => ShapeKind::Document,
            "structure" => {
                let structure = self.structure(name, shape, path, diagnostics);
                if shape.union || shape.eventstream {
                    if shape.eventstream {
                        diagnostics.warning(
                            path,
                            "event streams are not supported: the stream's events are generated as a union, but \
                             operations that use it cannot decode the binary event-stream framing",
                        );
                    }
                    ShapeKind::Union(structure)
                } else {
                    ShapeKind::Structure(structure)
                }
            }
            "list" => ShapeKind::List {
                member: self.member_target(shape.member.as_ref(), path, "member", diagnostics),
                length: length("list size", diagnostics),
            },
            "map" => ShapeKind::Map {
                key: self.member_target(shape.key.as_ref(), path, "key", diagnostics),
                value: self.member_target(shape.value.as_ref(), path, "value", diagnostics),
                length: length("map size", diagnostics),
            },
            "string" => match &shape.enum_values {
                Some(values) => ShapeKind::Enum {
                    values: enum_values(
                        values
                            .iter()
                            .enumerate()
                            .map(|(i, value)| (value.clone(), child(&child(path, "enum"), &i.to_string()))),
                        diagnostics,
                    ),
                    length: length("string length", diagnostics),
                },
                None => ShapeKind::String {
                    length: length("string length", diagnostics),
                    pattern: pattern(shape.pattern.as_deref(), &child(path, "pattern"), diagnostics),
                    json_value: shape.jsonvalue,
                },
            },
            // The legacy `character` type (one character) is a string on the awsJson wire, as botocore reads it.
            "character" => ShapeKind::String {
                length: length("string length", diagnostics),
                pattern: pattern(shape.pattern.as_deref(), &child(path, "pattern"), diagnostics),
                json_value: false,
            },
            "integer" => ShapeKind::Integer { range },
            "long" => ShapeKind::Long { range },
            "float" => ShapeKind::Float { range },
            "double" => ShapeKind::Double { range },
            "boolean" => ShapeKind::Boolean,
            "blob" => ShapeKind::Blob {
                length: length("blob length", diagnostics),
            },
            "timestamp" => ShapeKind::Timestamp {
                format: timestamp_format(
                    shape.timestamp_format.as_deref(),
                    &child(path, "timestampFormat"),
                    diagnostics,
                ),
            },
            other => {
                diagnostics.error(
                    child(path, "type"),
                    format!(
                        "unknown shape type {other:?}; expected one of structure, list, map, string, character, integer, \
                         long, float, double, boolean, blob, timestamp"
                    ),
                );
                ShapeKind::Document
            }
        }
    }

    fn member_target(
        &self,
        member: Option<&raw::Member>,
        path: &str,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> ShapeId {
        match member {
            Some(member) => self.resolve(&member.shape, &child(&child(path, key), "shape"), diagnostics),
            None => {
                diagnostics.error(child(path, key), "missing: this shape type needs it");
                PLACEHOLDER
            }
        }
    }

    fn structure(&self, name: &str, shape: &raw::Shape, path: &str, diagnostics: &mut Diagnostics) -> Structure {
        let members_path = child(path, "members");
        for (i, name) in shape.required.iter().enumerate() {
            if !shape.members.contains_key(name) {
                diagnostics.error(
                    child(&child(path, "required"), &i.to_string()),
                    format!("names {name:?}, which is not a member of this structure"),
                );
            }
        }
        let members = shape
            .members
            .iter()
            .map(|(member_name, member)| {
                let member_path = child(&members_path, member_name);
                let target = self.resolve(&member.shape, &child(&member_path, "shape"), diagnostics);
                let target_shape = self.model.shapes.get(&member.shape);
                let target_is_number = target_shape
                    .is_some_and(|t| matches!(t.kind.as_str(), "integer" | "long" | "float" | "double" | "boolean"));
                let target_is_boxed = target_shape.is_some_and(|t| t.boxed);
                // A zero its own range forbids cannot be the member's default, so such a number is nullable
                // (as Smithy 2.0 models it, with no `@default`), not a builder default that fails validation.
                let zero_out_of_range = target_shape.is_some_and(|t| {
                    let bound = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
                    bound(&t.min).is_some_and(|min| min > 0.0) || bound(&t.max).is_some_and(|max| max < 0.0)
                });
                Member {
                    wire_name: member_name.clone(),
                    rust_name: naming::field_name(member_name),
                    target,
                    // botocore fills an unset token before it validates, so a token is never missing.
                    required: shape.required.contains(member_name) && !member.idempotency_token,
                    // botocore marks nullable numbers with `box`; the others default to zero where zero is valid.
                    nullable: !target_is_number || member.boxed || target_is_boxed || zero_out_of_range,
                    boxed: false,
                    sensitive: false,
                    docs: member_docs(markdown(&member.documentation), member.idempotency_token),
                    deprecated: deprecation(member.deprecated, &member.deprecated_message),
                    timestamp_format: timestamp_format(
                        member.timestamp_format.as_deref(),
                        &child(&member_path, "timestampFormat"),
                        diagnostics,
                    ),
                    // Set by a pass from the member and what it holds.
                    wire_encoding: WireEncoding::Plain,
                    // Set by a pass for the members an operation's host prefix uses.
                    host_label: false,
                    idempotency_token: member.idempotency_token,
                    default: None,
                    symbols: MemberSymbols::default(),
                    json_path: member_path,
                }
            })
            .collect();
        let error = (shape.exception || shape.fault || shape.error.is_some()).then(|| ErrorTrait {
            // awsJson names errors by shape name; an `error.code` (the awsQuery name) is accepted too.
            code: shape
                .error
                .as_ref()
                .and_then(|e| e.code.clone())
                .unwrap_or_else(|| name.to_owned()),
            server_fault: shape.fault,
            message_member: None,
        });
        Structure { members, error }
    }
}

fn range(shape: &raw::Shape, path: &str, diagnostics: &mut Diagnostics) -> Range {
    let bound = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let range = Range {
        min: bound(&shape.min),
        max: bound(&shape.max),
    };
    check_range(range, path, diagnostics);
    range
}

fn timestamp_format(format: Option<&str>, path: &str, diagnostics: &mut Diagnostics) -> Option<TimestampFormat> {
    match format? {
        "unixTimestamp" => Some(TimestampFormat::EpochSeconds),
        "iso8601" => Some(TimestampFormat::Iso8601),
        "rfc822" => Some(TimestampFormat::Rfc822),
        other => {
            diagnostics.error(
                path,
                format!("unknown timestampFormat {other:?}; expected unixTimestamp, iso8601 or rfc822"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use serde_json::json;

    /// Lowers a model made of `operations` and `shapes`, with metadata good enough to pass the checks.
    fn lower(operations: serde_json::Value, shapes: serde_json::Value) -> (Service, Diagnostics) {
        let model = json!({
            "metadata": {
                "protocol": "json",
                "jsonVersion": "1.1",
                "targetPrefix": "Test_20240101",
                "endpointPrefix": "test",
                "apiVersion": "2024-01-01",
            },
            "operations": operations,
            "shapes": shapes,
        });
        let mut diagnostics = Diagnostics::default();
        let raw = raw::read(&model, &mut diagnostics).unwrap();
        let service = lower_botocore(&raw, None, &mut diagnostics);
        (service, diagnostics)
    }

    fn errors(diagnostics: &Diagnostics) -> Vec<(String, String)> {
        diagnostics
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.path, d.message))
            .collect()
    }

    fn members(service: &Service, id: ShapeId) -> Vec<(&str, ShapeId)> {
        match &service.shape(id).kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                s.members.iter().map(|m| (m.wire_name.as_str(), m.target)).collect()
            }
            other => panic!("{other:?} has no members"),
        }
    }

    #[test]
    fn ids_follow_file_order_so_forward_and_cyclic_references_are_plain_indices() {
        let (service, diagnostics) = lower(
            json!({}),
            json!({
                // `First` names `Last` before it is defined, and `Node` names itself.
                "First": {"type": "structure", "members": {"last": {"shape": "Last"}, "node": {"shape": "Node"}}},
                "Node": {"type": "structure", "members": {"next": {"shape": "Node"}, "back": {"shape": "First"}}},
                "Last": {"type": "string"},
            }),
        );
        assert!(!diagnostics.has_errors(), "{diagnostics}");
        let names: Vec<&str> = service.shapes.iter().map(|s| s.wire_name.as_str()).collect();
        assert_eq!(names, ["First", "Node", "Last"]);
        assert_eq!(
            members(&service, ShapeId(0)),
            [("last", ShapeId(2)), ("node", ShapeId(1))]
        );
        assert_eq!(
            members(&service, ShapeId(1)),
            [("next", ShapeId(1)), ("back", ShapeId(0))]
        );
    }

    #[test]
    fn operations_resolve_to_the_same_ids_and_absent_shapes_are_marked() {
        let (service, diagnostics) = lower(
            json!({
                "Get": {"input": {"shape": "GetRequest"}, "errors": [{"shape": "NotFound"}]},
            }),
            json!({
                "NotFound": {"type": "structure", "members": {}, "exception": true},
                "GetRequest": {"type": "structure", "members": {}},
            }),
        );
        assert!(!diagnostics.has_errors(), "{diagnostics}");
        let [op] = service.operations.as_slice() else {
            panic!("one operation expected")
        };
        assert_eq!((op.input, op.output), (ShapeId(1), NO_SHAPE));
        assert_eq!(op.errors, [ShapeId(0)]);
        assert_eq!(op.json_path, "/operations/Get");
        assert_eq!(service.shape(ShapeId(0)).location, Location::Errors);
    }

    #[test]
    fn a_non_structure_input_or_output_is_reported_at_its_reference() {
        let (_, diagnostics) = lower(
            json!({
                "Put": {"input": {"shape": "Text"}, "output": {"shape": "Choice"}},
            }),
            json!({
                "Text": {"type": "string"},
                "Choice": {"type": "structure", "union": true, "members": {"a": {"shape": "Text"}}},
            }),
        );
        assert_eq!(
            errors(&diagnostics),
            [
                (
                    "/operations/Put/input/shape".to_owned(),
                    "\"Text\" is not a plain structure; an operation's input must be one".to_owned()
                ),
                (
                    "/operations/Put/output/shape".to_owned(),
                    "\"Choice\" is not a plain structure; an operation's output must be one".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn unresolved_references_are_reported_where_they_occur() {
        let (_, diagnostics) = lower(
            json!({"Get": {"input": {"shape": "Nowhere"}}}),
            json!({
                "Box~/Thing": {"type": "structure", "members": {"x": {"shape": "Gone"}}},
                "Items": {"type": "list"},
            }),
        );
        assert_eq!(
            errors(&diagnostics),
            [
                (
                    "/operations/Get/input/shape".to_owned(),
                    "refers to shape \"Nowhere\", which the model does not define".to_owned()
                ),
                (
                    "/shapes/Box~0~1Thing/members/x/shape".to_owned(),
                    "refers to shape \"Gone\", which the model does not define".to_owned()
                ),
                (
                    "/shapes/Items/member".to_owned(),
                    "missing: this shape type needs it".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_cycle_through_lists_and_maps_alone_is_reported_and_one_through_a_structure_is_not() {
        let (_, diagnostics) = lower(
            json!({}),
            json!({
                "Outer": {"type": "list", "member": {"shape": "Inner"}},
                "Inner": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Outer"}},
                "Key": {"type": "string"},
                "Tree": {"type": "structure", "members": {"children": {"shape": "Trees"}}},
                "Trees": {"type": "list", "member": {"shape": "Tree"}},
            }),
        );
        let message = "contains itself through lists and maps alone; put a structure in the cycle".to_owned();
        assert_eq!(
            errors(&diagnostics),
            [
                ("/shapes/Inner".to_owned(), message.clone()),
                ("/shapes/Outer".to_owned(), message)
            ]
        );
    }
}
