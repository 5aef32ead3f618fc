//! Model transformations between lowering and emission, so that no emitter special-cases a shape.
//!
//! - [`select`]: keeps the chosen operations, gives each its own synthetic input and output structure
//!   (`DescribeTaskSetsInput`, in the operation's module, as smithy-rs does) and drops what they do not reach.
//! - [`mark_host_labels`]: the input members an operation's host prefix names are host labels, and required.
//! - [`add_error_messages`]: every exception carries a `message`, whatever the model declares.
//! - [`box_recursion`]: boxes the members that would give a type infinite size.
//! - [`mark_sensitive_members`]: a member is redacted when its value is sensitive.
//! - [`assign_unique_names`]: type names unique per module, member names unique per structure and clear of the
//!   methods every generated type has.

use crate::diagnostics::Diagnostics;
use crate::ir::*;
use crate::lower::NO_SHAPE;
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// Runs every pass in order.
pub fn run(service: Service, operations: Option<&[String]>, diagnostics: &mut Diagnostics) -> Service {
    let mut service = service;
    unique_operation_names(&mut service);
    let mut service = select(service, operations, diagnostics);
    mark_host_labels(&mut service);
    add_error_messages(&mut service);
    box_recursion(&mut service);
    mark_sensitive_members(&mut service);
    mark_validated(&mut service);
    assign_unique_names(&mut service);
    service
}

/// Marks the members of each operation's own input that its host prefix names, and makes them required: a
/// request cannot be addressed without them (Smithy requires `@hostLabel` members to be `@required`, and
/// botocore fails without them). Runs after `select`, so each input is the operation's own copy.
pub fn mark_host_labels(service: &mut Service) {
    for op in &service.operations {
        let labels: Vec<&str> = op
            .host_prefix
            .as_deref()
            .and_then(host_prefix_parts)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|part| match part {
                HostPrefixPart::Label(label) => Some(label),
                HostPrefixPart::Text(_) => None,
            })
            .collect();
        if let ShapeKind::Structure(input) = &mut service.shapes[op.input.0].kind {
            for member in &mut input.members {
                member.host_label = labels.contains(&member.wire_name.as_str());
                member.required |= member.host_label;
            }
        }
    }
}

/// Shapes a shape refers to directly.
pub fn references(kind: &ShapeKind) -> Vec<ShapeId> {
    match kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter().map(|m| m.target).collect(),
        ShapeKind::List { member, .. } => vec![*member],
        ShapeKind::Map { key, value, .. } => vec![*key, *value],
        _ => Vec::new(),
    }
}

/// Keeps the chosen operations (all when `None`) and the closure of shapes they reach.
pub fn select(mut service: Service, operations: Option<&[String]>, diagnostics: &mut Diagnostics) -> Service {
    if let Some(wanted) = operations {
        let known: BTreeSet<&str> = service.operations.iter().map(|o| o.wire_name.as_str()).collect();
        for name in wanted.iter().filter(|n| !known.contains(n.as_str())) {
            diagnostics.error(
                "/operations",
                format!(
                    "no operation named {name:?}; the model has {}",
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        service.operations.retain(|o| wanted.contains(&o.wire_name));
    }

    // Synthetic input and output copies go at the end of the arena, after the model's shapes.
    let mut operations = std::mem::take(&mut service.operations);
    for op in &mut operations {
        let (input_docs, output_docs) = (
            format!("The input of `{}`.", op.wire_name),
            format!("The output of `{}`.", op.wire_name),
        );
        op.input = synthesize(
            &mut service,
            op.input,
            &op.rust_name,
            naming::operation_item(&op.wire_name, "Input"),
            input_docs,
        );
        op.output = synthesize(
            &mut service,
            op.output,
            &op.rust_name,
            naming::operation_item(&op.wire_name, "Output"),
            output_docs,
        );
        // A model may list an error twice; it is one variant.
        let mut seen = BTreeSet::new();
        op.errors.retain(|id| seen.insert(*id));
        for &error in &op.errors {
            let shape = &mut service.shapes[error.0];
            shape.location = Location::Errors;
            match &mut shape.kind {
                ShapeKind::Structure(s) if s.error.is_none() => {
                    s.error = Some(ErrorTrait {
                        code: shape.wire_name.clone(),
                        server_fault: false,
                        message_member: None,
                    })
                }
                ShapeKind::Structure(_) => {}
                _ => diagnostics.error(
                    &shape.json_path,
                    "is listed as an operation error but is not a structure",
                ),
            }
        }
    }

    // Keep what the operations reach, in arena order, and renumber.
    let mut reachable = BTreeSet::new();
    let mut stack: Vec<ShapeId> = operations
        .iter()
        .flat_map(|o| [o.input, o.output].into_iter().chain(o.errors.iter().copied()))
        .collect();
    while let Some(id) = stack.pop() {
        if reachable.insert(id) {
            stack.extend(references(&service.shapes[id.0].kind));
        }
    }
    let renumber: BTreeMap<ShapeId, ShapeId> = reachable
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, ShapeId(new)))
        .collect();
    let remap = |id: &mut ShapeId| *id = renumber[id];
    let mut shapes: Vec<Shape> = reachable.iter().map(|id| service.shapes[id.0].clone()).collect();
    for shape in &mut shapes {
        match &mut shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter_mut().for_each(|m| remap(&mut m.target)),
            ShapeKind::List { member, .. } => remap(member),
            ShapeKind::Map { key, value, .. } => {
                remap(key);
                remap(value);
            }
            _ => {}
        }
    }
    for op in &mut operations {
        remap(&mut op.input);
        remap(&mut op.output);
        op.errors.iter_mut().for_each(remap);
    }
    Service {
        shapes,
        operations,
        ..service
    }
}

/// Appends a copy of `original` (or an empty structure) that belongs to one operation.
/// `fallback_docs` is used when the model documents no input or output shape (most do not).
fn synthesize(
    service: &mut Service,
    original: ShapeId,
    module: &str,
    rust_name: String,
    fallback_docs: String,
) -> ShapeId {
    let shape = if original == NO_SHAPE {
        Shape {
            wire_name: rust_name.clone(),
            rust_name,
            location: Location::Operation(module.to_owned()),
            kind: ShapeKind::Structure(Structure::default()),
            docs: Some(fallback_docs),
            sensitive: false,
            deprecated: None,
            validated: false,
            json_path: String::new(),
        }
    } else {
        let mut copy = service.shapes[original.0].clone();
        copy.rust_name = rust_name;
        copy.location = Location::Operation(module.to_owned());
        copy.docs = copy.docs.or(Some(fallback_docs));
        if let ShapeKind::Structure(s) = &mut copy.kind {
            // An input or output is never the error itself, even if the model reuses an exception shape.
            s.error = None;
        }
        copy
    };
    service.shapes.push(shape);
    ShapeId(service.shapes.len() - 1)
}

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
                named && is_string[m.target.0]
            })
        };
        error.message_member = string_member(true).or_else(|| string_member(false));
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
                docs: Some("A message that describes the error.".to_owned()),
                deprecated: None,
                timestamp_format: None,
                host_label: false,
                idempotency_token: false,
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
            json_path: String::new(),
        });
        ShapeId(service.shapes.len() - 1)
    })
}

/// Boxes a structure or union member when its target can reach the containing shape again without passing
/// through a list or map (which already put their elements on the heap).
pub fn box_recursion(service: &mut Service) {
    // Target reaches container <=> both lie in one strongly connected component of the inline-member graph
    // (the member itself is the edge back), so one SCC pass decides every member, in linear time.
    let edges: Vec<Vec<usize>> = service
        .shapes
        .iter()
        .map(|shape| match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter().map(|m| m.target.0).collect(),
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected_components(&edges);
    for (index, shape) in service.shapes.iter_mut().enumerate() {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shape.kind {
            for member in &mut s.members {
                member.boxed = component[member.target.0] == component[index];
            }
        }
    }
}

/// Kosaraju's algorithm, iterative (models nest deeply enough to make recursion a stack risk): the component
/// number of each node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    // First pass: nodes in order of DFS completion.
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&target) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !visited[target] {
                    visited[target] = true;
                    stack.push((target, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    // Second pass on the reversed graph, in reverse completion order.
    let mut reversed = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reversed[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        component[start] = count;
        while let Some(node) = stack.pop() {
            for &from in &reversed[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

/// A member is sensitive when its target is, or holds sensitive elements (lists and maps of secrets).
pub fn mark_sensitive_members(service: &mut Service) {
    // `depth` bounds a malformed model whose lists contain themselves; real nesting is a few levels.
    fn holds_secret(service: &Service, id: ShapeId, depth: usize) -> bool {
        let shape = service.shape(id);
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
    let flags: Vec<Vec<bool>> = service
        .shapes
        .iter()
        .map(|shape| match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => {
                s.members.iter().map(|m| holds_secret(service, m.target, 0)).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    for (shape, flags) in service.shapes.iter_mut().zip(flags) {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shape.kind {
            for (member, sensitive) in s.members.iter_mut().zip(flags) {
                member.sensitive |= sensitive;
            }
        }
    }
}

/// Marks the shapes whose values need client-side validation: those that hold a constraint (directly or
/// through members and elements) and that some operation input reaches. A fixed point, because recursive
/// shapes refer to themselves; outputs are never validated, so their shapes get no validation code.
pub fn mark_validated(service: &mut Service) {
    let mut in_inputs = BTreeSet::new();
    let mut stack: Vec<ShapeId> = service.operations.iter().map(|o| o.input).collect();
    while let Some(id) = stack.pop() {
        if in_inputs.insert(id) {
            stack.extend(references(&service.shapes[id.0].kind));
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
    match kind {
        ShapeKind::Structure(s) => s
            .members
            .iter()
            .any(|m| m.required || m.host_label || validated[m.target.0]),
        ShapeKind::Union(s) => s.members.iter().any(|m| validated[m.target.0]),
        ShapeKind::List { member, length } => length.is_constrained() || validated[member.0],
        ShapeKind::Map { key, value, length } => length.is_constrained() || validated[key.0] || validated[value.0],
        ShapeKind::String { length, pattern, .. } => length.is_constrained() || pattern.is_some(),
        ShapeKind::Blob { length } => length.is_constrained(),
        ShapeKind::Integer { range }
        | ShapeKind::Long { range }
        | ShapeKind::Float { range }
        | ShapeKind::Double { range } => range.is_constrained(),
        ShapeKind::Enum { .. } | ShapeKind::Boolean | ShapeKind::Timestamp { .. } | ShapeKind::Document => false,
    }
}

/// Methods every generated structure or builder has; a member may not take their names.
const STRUCT_METHODS: &[&str] = &[
    "builder",
    "_request_id",
    "validate",
    "validate_with",
    "build",
    "send",
    "as_input",
    "new",
];

pub fn assign_unique_names(service: &mut Service) {
    // Types: unique within each module, first come (in arena order) first served.
    let mut by_location: BTreeMap<Location, Vec<usize>> = BTreeMap::new();
    for (i, shape) in service.shapes.iter().enumerate() {
        if is_named_type(&shape.kind) {
            by_location.entry(shape.location.clone()).or_default().push(i);
        }
    }
    for indexes in by_location.values() {
        let names = indexes.iter().map(|i| service.shapes[*i].rust_name.clone()).collect();
        for (i, name) in indexes.iter().zip(naming::disambiguate(names, &[])) {
            service.shapes[*i].rust_name = name;
        }
    }
    // Union members are variants: type-cased, clear of the `Unknown` catch-all.
    for shape in &mut service.shapes {
        let ShapeKind::Union(s) = &mut shape.kind else { continue };
        let names = s.members.iter().map(|m| naming::variant_name(&m.wire_name)).collect();
        for (member, name) in s.members.iter_mut().zip(naming::disambiguate(names, &["Unknown"])) {
            member.rust_name = name;
        }
    }
    // Structure members: unique, clear of the fixed methods and of each other's `set_`/`get_` names.
    for shape in &mut service.shapes {
        let ShapeKind::Structure(s) = &mut shape.kind else {
            continue;
        };
        let plain: Vec<String> = s.members.iter().map(|m| m.rust_name.clone()).collect();
        let mut reserved: Vec<String> = STRUCT_METHODS.iter().map(|m| (*m).to_owned()).collect();
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

/// Operation module and method names: unique, and clear of the client's own methods. Runs before [`select`],
/// which files each synthetic input and output under its operation's module name.
pub fn unique_operation_names(service: &mut Service) {
    let names = service.operations.iter().map(|o| o.rust_name.clone()).collect();
    let names = naming::disambiguate(names, &["config", "from_conf", "new"]);
    for (op, name) in service.operations.iter_mut().zip(names) {
        op.rust_name = name;
    }
}

/// Shapes that become a named Rust type (the rest are inline: `String`, `Vec<T>`, `i32`, ...).
pub fn is_named_type(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum { .. }
    )
}
