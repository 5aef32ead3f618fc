//! Validation marking: which shapes get client-side validation code.

use super::references;
use crate::ir::*;
use std::collections::BTreeSet;

/// Marks the shapes whose values need client-side validation: those that hold a constraint (directly or
/// through members and elements) and that some operation input reaches. A fixed point, because recursive
/// shapes refer to themselves; outputs are never validated, so their shapes get no validation code.
pub fn mark_validated(service: &mut Service) {
    let mut in_inputs = BTreeSet::new();
    let mut stack: Vec<ShapeId> = service.operations.iter().map(|o| o.input).collect();
    while let Some(id) = stack.pop() {
        if let Some(shape) = service.shapes.get(id.0) {
            if in_inputs.insert(id) {
                stack.extend(references(&shape.kind));
            }
        }
    }
    let mut flags = vec![false; service.shapes.len()];
    loop {
        let next: Vec<bool> = service
            .shapes
            .iter()
            .enumerate()
            .map(|(i, shape)| in_inputs.contains(&ShapeId(i)) && has_constraint(&shape.kind, &flags))
            .collect();
        if next == flags {
            break;
        }
        flags = next;
    }
    for (shape, flag) in service.shapes.iter_mut().zip(flags) {
        shape.validated = flag;
    }
}

fn has_constraint(kind: &ShapeKind, validated: &[bool]) -> bool {
    let validated = |id: &ShapeId| validated.get(id.0).copied().unwrap_or(false);
    match kind {
        ShapeKind::Structure(s) => s
            .members
            .iter()
            .any(|m| m.required || m.host_label || validated(&m.target)),
        ShapeKind::Union(s) => s.members.iter().any(|m| validated(&m.target)),
        ShapeKind::List { member, length } => length.is_constrained() || validated(member),
        ShapeKind::Map { key, value, length } => length.is_constrained() || validated(key) || validated(value),
        ShapeKind::String { length, pattern, .. } => length.is_constrained() || pattern.is_some(),
        ShapeKind::Blob { length } => length.is_constrained(),
        ShapeKind::Integer { range }
        | ShapeKind::Long { range }
        | ShapeKind::Float { range }
        | ShapeKind::Double { range } => range.is_constrained(),
        ShapeKind::Enum { .. } | ShapeKind::Boolean | ShapeKind::Timestamp { .. } | ShapeKind::Document => false,
    }
}
