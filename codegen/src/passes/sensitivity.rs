//! Sensitivity: a member is redacted in `Debug` when its value is, or holds, a secret.

use crate::ir::*;

/// A member is sensitive when its target is, or holds sensitive elements (lists and maps of secrets).
pub fn mark_sensitive_members(service: &mut Service) {
    // `depth` bounds a malformed model whose lists contain themselves; real nesting is a few levels.
    fn holds_secret(service: &Service, id: ShapeId, depth: usize) -> bool {
        let Some(shape) = service.shapes.get(id.0) else {
            return false;
        };
        shape.sensitive
            || depth < 32
                && match &shape.kind {
                    ShapeKind::List { member, .. } => holds_secret(service, *member, depth + 1),
                    ShapeKind::Map { key, value, .. } => {
                        holds_secret(service, *key, depth + 1) || holds_secret(service, *value, depth + 1)
                    }
                    _ => false,
                }
    }
    super::set_member_facts(
        service,
        |service, member| holds_secret(service, member.target, 0),
        |member, sensitive| member.sensitive |= sensitive,
    );
}
