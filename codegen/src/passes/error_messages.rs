//! Exception messages: every exception carries a string `message` member, whatever the model declares.
//!
//! The member is the runtime's error message (filled from `message` or `Message` in the body, shown by
//! `Display`), so it is documented the same way in every crate. What models say of it is boilerplate where they
//! say anything (1,373 of the 1,798 message members of the 130 Smithy models of April 2025 have no docs, the rest
//! say "a message describing the problem" in 107 wordings), and botocore's files drop the member in places
//! (ECS's), so one text keeps a crate from either front-end the same.

use crate::ir::*;

/// The docs of every exception's message member.
const MESSAGE_DOCS: &str = "A message that describes the error.";

/// Gives every exception a string `message` member (adding one where the model has none) and records which
/// member it is. `message` is preferred over `Message` when a model has both; the runtime reads either spelling
/// from the body and the error enum fills the member from it.
pub fn add_error_messages(service: &mut Service) {
    let string = string_shape(service);
    let is_string: Vec<bool> = service
        .shapes
        .iter()
        .map(|s| matches!(s.kind, ShapeKind::String { .. }))
        .collect();
    let targets_string = |m: &Member| is_string.get(m.target.0).copied().unwrap_or(false);
    for shape in &mut service.shapes {
        let ShapeKind::Structure(s) = &mut shape.kind else {
            continue;
        };
        let Some(error) = &mut s.error else { continue };
        let string_member = |exact: bool| {
            s.members.iter().position(|m| {
                let named = if exact {
                    m.wire_name == "message"
                } else {
                    m.wire_name.eq_ignore_ascii_case("message")
                };
                named && targets_string(m)
            })
        };
        error.message_member = string_member(true).or_else(|| string_member(false));
        if let Some(member) = error.message_member.and_then(|i| s.members.get_mut(i)) {
            member.docs = Some(MESSAGE_DOCS.to_owned());
        }
        let taken = s.members.iter().any(|m| m.wire_name.eq_ignore_ascii_case("message"));
        if error.message_member.is_none() && !taken {
            error.message_member = Some(s.members.len());
            s.members.push(Member {
                wire_name: "message".to_owned(),
                rust_name: "message".to_owned(),
                target: string,
                required: false,
                nullable: true,
                boxed: false,
                sensitive: false,
                docs: Some(MESSAGE_DOCS.to_owned()),
                deprecated: None,
                timestamp_format: None,
                wire_encoding: WireEncoding::Plain,
                host_label: false,
                idempotency_token: false,
                default: None,
                symbols: MemberSymbols::default(),
                json_path: format!("{}/members/message", shape.json_path),
            });
        }
    }
}

/// An unconstrained string shape, added if the model has none.
fn string_shape(service: &mut Service) -> ShapeId {
    let existing = service.shapes.iter().position(|s| {
        matches!(&s.kind, ShapeKind::String { length, pattern: None, json_value: false } if !length.is_constrained())
            && !s.sensitive
    });
    existing.map(ShapeId).unwrap_or_else(|| {
        service.shapes.push(Shape {
            wire_name: "String".to_owned(),
            rust_name: "String".to_owned(),
            location: Location::Types,
            kind: ShapeKind::String {
                length: Range::default(),
                pattern: None,
                json_value: false,
            },
            docs: None,
            sensitive: false,
            deprecated: None,
            validated: false,
            decoded: false,
            symbols: ShapeSymbols::default(),
            json_path: String::new(),
        });
        ShapeId(service.shapes.len() - 1)
    })
}
