//! Wire facts: how each member is spelled on the wire beyond its Rust type (timestamp formats, awsJson's float
//! spelling), and which error codes select each exception of an operation. Decided once here, so emitters read
//! them from the IR instead of walking lists and maps or comparing codes.

use crate::ir::*;
use std::collections::BTreeSet;

/// Records each member's [`WireEncoding`], each operation's error-code table ([`Operation::error_codes`]) and
/// which shapes responses carry ([`Shape::decoded`]). Runs once every member and exception is final (after
/// [`add_error_messages`](super::add_error_messages)).
pub fn decide_wire_facts(service: &mut Service) {
    mark_wire_encodings(service);
    record_error_codes(service);
    mark_decoded(service);
}

/// Marks every shape an operation's output or one of its errors reaches: what the client reads from response
/// bodies. Input-only shapes are only ever written.
fn mark_decoded(service: &mut Service) {
    let mut stack: Vec<ShapeId> = service
        .operations
        .iter()
        .flat_map(|op| std::iter::once(op.output).chain(op.errors.iter().copied()))
        .collect();
    let mut decoded = vec![false; service.shapes.len()];
    while let Some(id) = stack.pop() {
        match decoded.get_mut(id.0) {
            Some(flag) if !*flag => *flag = true,
            _ => continue,
        }
        if let Some(shape) = service.get_shape(id) {
            stack.extend(super::references(&shape.kind));
        }
    }
    for (shape, flag) in service.shapes.iter_mut().zip(decoded) {
        shape.decoded = flag;
    }
}

fn mark_wire_encodings(service: &mut Service) {
    super::set_member_facts(service, wire_encoding, |member, encoding| {
        member.wire_encoding = encoding
    });
}

/// A timestamp member (or one holding timestamps through lists and maps) is written in its own
/// `timestampFormat`, else its timestamps' one, unless that is awsJson's default (epoch seconds); a member
/// holding floats or doubles takes awsJson's `"NaN"`/`"Infinity"` spelling.
fn wire_encoding(service: &Service, member: &Member) -> WireEncoding {
    match innermost_element(service, member.target) {
        Some(ShapeKind::Timestamp { format }) => match member.timestamp_format.clone().or_else(|| format.clone()) {
            Some(format) if format != TimestampFormat::EpochSeconds => WireEncoding::Timestamp(format),
            _ => WireEncoding::Plain,
        },
        Some(ShapeKind::Float { .. } | ShapeKind::Double { .. }) => WireEncoding::Float,
        _ => WireEncoding::Plain,
    }
}

/// The kind of the values a shape holds once lists and maps are looked through (list members, map values).
/// Lowering rejects cycles made of lists and maps alone; the bound only keeps this total regardless.
fn innermost_element(service: &Service, mut id: ShapeId) -> Option<&ShapeKind> {
    for _ in 0..32 {
        match &service.get_shape(id)?.kind {
            ShapeKind::List { member, .. } => id = *member,
            ShapeKind::Map { value, .. } => id = *value,
            kind => return Some(kind),
        }
    }
    service.get_shape(id).map(|shape| &shape.kind)
}

/// The codes that select each exception of an operation: its shape name, and the model's `error.code` where
/// that differs and no other exception of the operation already answers to it (shape names win, then name
/// order).
fn record_error_codes(service: &mut Service) {
    let tables: Vec<Vec<Vec<String>>> = service
        .operations
        .iter()
        .map(|op| {
            // One entry per error, in step with `op.errors` (ids are valid after the subset pass).
            let errors: Vec<Option<&Shape>> = op.errors.iter().map(|id| service.get_shape(*id)).collect();
            let mut claimed: BTreeSet<&str> = errors.iter().flatten().map(|s| s.wire_name.as_str()).collect();
            errors
                .iter()
                .map(|shape| {
                    let Some(shape) = shape else {
                        return Vec::new();
                    };
                    let mut codes = vec![shape.wire_name.clone()];
                    if let ShapeKind::Structure(Structure { error: Some(error), .. }) = &shape.kind {
                        if claimed.insert(error.code.as_str()) {
                            codes.push(error.code.clone());
                        }
                    }
                    codes
                })
                .collect()
        })
        .collect();
    for (op, table) in service.operations.iter_mut().zip(tables) {
        op.error_codes = table;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn load(shapes: serde_json::Value, errors: serde_json::Value) -> Service {
        let model = json!({
            "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T", "endpointPrefix": "t",
                         "apiVersion": "2024-01-01"},
            "operations": {"Op": {"input": {"shape": "In"}, "errors": errors}},
            "shapes": shapes,
        });
        let (service, diagnostics) =
            crate::load(&crate::frontend::ModelInput::new(model.to_string().into_bytes()), None).unwrap();
        assert!(!diagnostics.has_errors(), "{diagnostics}");
        service
    }

    fn members(shape: &Shape) -> &[Member] {
        match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => &s.members,
            _ => panic!("{} is not a structure", shape.wire_name),
        }
    }

    fn encoding<'a>(members: &'a [Member], wire_name: &str) -> &'a WireEncoding {
        &members.iter().find(|m| m.wire_name == wire_name).unwrap().wire_encoding
    }

    #[test]
    fn timestamps_floats_and_what_holds_them_are_annotated() {
        let service = load(
            json!({
                "In": {"type": "structure", "members": {
                    "plain": {"shape": "Time"},
                    "iso": {"shape": "Time", "timestampFormat": "iso8601"},
                    "http": {"shape": "HttpTime"},
                    "epoch": {"shape": "HttpTime", "timestampFormat": "unixTimestamp"},
                    "nested": {"shape": "ListOfMaps"},
                    "nestedIso": {"shape": "ListOfMaps", "timestampFormat": "iso8601"},
                    "choice": {"shape": "Choice"},
                    "name": {"shape": "S"},
                }},
                "Choice": {"type": "structure", "union": true, "members": {
                    "ratio": {"shape": "D"},
                    "ratios": {"shape": "Floats"},
                    "name": {"shape": "S"},
                }},
                "ListOfMaps": {"type": "list", "member": {"shape": "TimeMap"}},
                "TimeMap": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "HttpTime"}},
                "Floats": {"type": "list", "member": {"shape": "F"}},
                "Time": {"type": "timestamp"},
                "HttpTime": {"type": "timestamp", "timestampFormat": "rfc822"},
                "S": {"type": "string"},
                "D": {"type": "double"},
                "F": {"type": "float"},
            }),
            json!([]),
        );
        let input = members(service.shape(service.operations[0].input));
        assert_eq!(encoding(input, "plain"), &WireEncoding::Plain);
        assert_eq!(
            encoding(input, "iso"),
            &WireEncoding::Timestamp(TimestampFormat::Iso8601)
        );
        assert_eq!(
            encoding(input, "http"),
            &WireEncoding::Timestamp(TimestampFormat::Rfc822)
        );
        // The member's own format wins, and epoch seconds is awsJson's default.
        assert_eq!(encoding(input, "epoch"), &WireEncoding::Plain);
        // A list of maps of timestamps carries the timestamps' format, or the member's.
        assert_eq!(
            encoding(input, "nested"),
            &WireEncoding::Timestamp(TimestampFormat::Rfc822)
        );
        assert_eq!(
            encoding(input, "nestedIso"),
            &WireEncoding::Timestamp(TimestampFormat::Iso8601)
        );
        assert_eq!(encoding(input, "choice"), &WireEncoding::Plain);
        assert_eq!(encoding(input, "name"), &WireEncoding::Plain);
        let choice = members(service.shapes.iter().find(|s| s.wire_name == "Choice").unwrap());
        assert_eq!(encoding(choice, "ratio"), &WireEncoding::Float);
        assert_eq!(encoding(choice, "ratios"), &WireEncoding::Float);
        assert_eq!(encoding(choice, "name"), &WireEncoding::Plain);
    }

    #[test]
    fn an_error_code_that_names_another_exception_selects_that_one_only() {
        let service = load(
            json!({
                "In": {"type": "structure", "members": {}},
                // `Legacy`'s awsQuery code is `Throttled`, the name of another exception of the operation.
                "Legacy": {"type": "structure", "exception": true, "members": {},
                           "error": {"code": "Throttled", "httpStatusCode": 400}},
                "Throttled": {"type": "structure", "exception": true, "members": {}},
                "Renamed": {"type": "structure", "exception": true, "members": {},
                            "error": {"code": "OldName", "httpStatusCode": 400}},
            }),
            json!([{"shape": "Legacy"}, {"shape": "Throttled"}, {"shape": "Renamed"}]),
        );
        // Errors are in name order (`canonical_operation_errors`), and the table in step with them.
        let op = &service.operations[0];
        assert_eq!(
            op.error_codes,
            [vec!["Legacy"], vec!["Renamed", "OldName"], vec!["Throttled"]]
        );
    }
}
