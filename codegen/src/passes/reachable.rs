//! The closure of what the kept operations reach: everything else is dropped and the arena renumbered, so
//! later passes and the emitters see only what is generated.

use super::references;
use crate::diagnostics::Diagnostics;
use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};

/// Keeps the shapes the operations' inputs, outputs and errors reach, in arena order, and renumbers every
/// reference. A reference to a shape outside the arena is a generator bug (lowering resolves them all) and is
/// reported where it is found.
pub fn keep_reachable(service: &mut Service, diagnostics: &mut Diagnostics) {
    let mut reachable = BTreeSet::new();
    let mut stack: Vec<ShapeId> = service
        .operations
        .iter()
        .flat_map(|o| [o.input, o.output].into_iter().chain(o.errors.iter().copied()))
        .collect();
    while let Some(id) = stack.pop() {
        if let Some(shape) = service.shapes.get(id.0) {
            if reachable.insert(id) {
                stack.extend(references(&shape.kind));
            }
        }
    }
    let renumber: BTreeMap<ShapeId, ShapeId> = reachable
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, ShapeId(new)))
        .collect();
    let remap = |id: &mut ShapeId| match renumber.get(id) {
        Some(new) => {
            *id = *new;
            true
        }
        None => false,
    };
    let mut dangling = Vec::new();
    let mut shapes: Vec<Shape> = reachable
        .iter()
        .filter_map(|id| service.shapes.get(id.0).cloned())
        .collect();
    for shape in &mut shapes {
        let remapped = match &mut shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter_mut().all(|m| remap(&mut m.target)),
            ShapeKind::List { member, .. } => remap(member),
            ShapeKind::Map { key, value, .. } => remap(key) && remap(value),
            _ => true,
        };
        if !remapped {
            dangling.push(shape.json_path.clone());
        }
    }
    for op in &mut service.operations {
        let remapped = remap(&mut op.input) && remap(&mut op.output) && op.errors.iter_mut().all(remap);
        if !remapped {
            dangling.push(op.json_path.clone());
        }
    }
    for path in dangling {
        diagnostics.error(path, "generator bug: refers to a shape that is not in the model");
    }
    service.shapes = shapes;
}
