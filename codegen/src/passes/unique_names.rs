//! Unique names: type names unique per module, union variants and structure members unique per shape and
//! clear of the methods every generated type has (the reserved words are [`naming::reserved_member_names`]).

use super::is_named_type;
use crate::ir::*;
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// Makes type names unique within each module (first come, in arena order, first served), then union variant
/// and structure member names within each shape.
pub fn assign_unique_names(service: &mut Service) {
    // Types: unique within each module, first come (in arena order) first served.
    let mut by_location: BTreeMap<Location, Vec<&mut Shape>> = BTreeMap::new();
    for shape in &mut service.shapes {
        if is_named_type(&shape.kind) {
            by_location.entry(shape.location.clone()).or_default().push(shape);
        }
    }
    for shapes in by_location.values_mut() {
        let names = shapes.iter().map(|shape| shape.rust_name.clone()).collect();
        for (shape, name) in shapes.iter_mut().zip(naming::disambiguate(names, &[])) {
            shape.rust_name = name;
        }
    }
    // Union members are variants: type-cased, clear of the `Unknown` catch-all.
    for shape in &mut service.shapes {
        let ShapeKind::Union(s) = &mut shape.kind else { continue };
        let names = s.members.iter().map(|m| naming::variant_name(&m.wire_name)).collect();
        for (member, name) in s
            .members
            .iter_mut()
            .zip(naming::disambiguate(names, &[naming::UNKNOWN_VARIANT]))
        {
            member.rust_name = name;
        }
    }
    // Structure members: unique, clear of the methods the structure has (its own and its traits', which depend
    // on what it is for) and of each other's `set_`/`get_` names.
    let inputs: BTreeSet<ShapeId> = service.operations.iter().map(|op| op.input).collect();
    let outputs: BTreeSet<ShapeId> = service.operations.iter().map(|op| op.output).collect();
    for (index, shape) in service.shapes.iter_mut().enumerate() {
        let ShapeKind::Structure(s) = &mut shape.kind else {
            continue;
        };
        let traits = naming::StructureTraits {
            input: inputs.contains(&ShapeId(index)),
            output: outputs.contains(&ShapeId(index)),
            exception: s.error.is_some(),
        };
        let plain: Vec<String> = s.members.iter().map(|m| m.rust_name.clone()).collect();
        let mut reserved: Vec<String> = naming::reserved_member_names(traits)
            .into_iter()
            .map(str::to_owned)
            .collect();
        for name in &plain {
            reserved.push(naming::prefixed_name("set", name));
            reserved.push(naming::prefixed_name("get", name));
        }
        let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
        let names = naming::disambiguate(plain, &reserved);
        for (member, name) in s.members.iter_mut().zip(names) {
            member.rust_name = name;
        }
    }
}
