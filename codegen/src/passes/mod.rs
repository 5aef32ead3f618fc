//! Model transformations between lowering and emission, so that no emitter special-cases a shape. One pass per
//! file, run in this order by [`run`]:
//!
//! - [`unique_operation_names`]: operation module and method names, unique and clear of the client's methods.
//! - [`keep_operations`]: the chosen operations; unknown names are reported.
//! - [`keep_waiters`]: the waiters of the kept operations whose JMESPath expressions the runtime can evaluate.
//! - [`synthesize_inputs_outputs`]: each operation gets its own input and output structure
//!   (`DescribeTaskSetsInput`, in the operation's module, as smithy-rs does).
//! - [`canonical_operation_errors`]: each operation's errors sorted by name (the enum's variant order, whichever front-end ran), each once.
//! - [`mark_exceptions`]: operation errors live in `types::error` and carry an error trait; non-structures are
//!   reported.
//! - [`keep_reachable`]: drops what the operations do not reach and renumbers the arena.
//! - [`mark_host_labels`]: the input members an operation's host prefix names are host labels, and required.
//! - [`add_error_messages`]: every exception carries a `message`, whatever the model declares.
//! - [`box_recursion`]: boxes the members that would give a type infinite size.
//! - [`mark_sensitive_members`]: a member is redacted when its value is sensitive.
//! - [`decide_wire_facts`]: each member's wire encoding (timestamp format, awsJson's float spelling), each
//!   operation's error-code table, and the shapes responses carry (which get a `wire::Decode` impl).
//! - [`mark_validated`]: the shapes that get client-side validation.
//! - [`assign_unique_names`]: type names unique per module, member names unique per structure and clear of the
//!   methods every generated type has ([`crate::naming::reserved_member_names`]).
//! - [`record_symbols`]: every other name emitters print (builders, error enums and variants, fluent builders,
//!   `set_`/`get_`/`as_`/`is_` methods, waiters' items, modules, files), each checked to be an identifier.

mod error_messages;
mod exceptions;
mod host_labels;
mod operation_errors;
mod operation_names;
mod reachable;
mod recursion;
mod sensitivity;
mod subset;
mod symbols;
mod synthetic;
mod unique_names;
mod validation;
mod waiters;
mod wire;

pub use error_messages::add_error_messages;
pub use exceptions::mark_exceptions;
pub use host_labels::mark_host_labels;
pub use operation_errors::canonical_operation_errors;
pub use operation_names::unique_operation_names;
pub use reachable::keep_reachable;
pub use recursion::box_recursion;
pub use sensitivity::mark_sensitive_members;
pub use subset::keep_operations;
pub use symbols::{location_dir, record_symbols};
pub use synthetic::synthesize_inputs_outputs;
pub use unique_names::assign_unique_names;
pub use validation::mark_validated;
pub use waiters::keep_waiters;
pub use wire::decide_wire_facts;

use crate::diagnostics::Diagnostics;
use crate::ir::*;

/// Runs every pass in order.
pub fn run(service: Service, operations: Option<&[String]>, diagnostics: &mut Diagnostics) -> Service {
    let mut service = service;
    unique_operation_names(&mut service);
    // Selection: the operations asked for, their own inputs and outputs, their exceptions, and what they reach.
    keep_operations(&mut service, operations, diagnostics);
    keep_waiters(&mut service, diagnostics);
    synthesize_inputs_outputs(&mut service);
    canonical_operation_errors(&mut service);
    mark_exceptions(&mut service, diagnostics);
    keep_reachable(&mut service, diagnostics);
    mark_host_labels(&mut service);
    add_error_messages(&mut service);
    box_recursion(&mut service);
    mark_sensitive_members(&mut service);
    decide_wire_facts(&mut service);
    mark_validated(&mut service);
    assign_unique_names(&mut service);
    record_symbols(&mut service, diagnostics);
    service
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

/// Shapes that become a named Rust type (the rest are inline: `String`, `Vec<T>`, `i32`, ...).
pub fn is_named_type(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum { .. }
    )
}

/// Decides a fact for every member of every structure and union from the whole (unchanged) service, then
/// applies it: the arena cannot be read while it is being written, so the facts are collected first.
pub(crate) fn set_member_facts<T>(
    service: &mut Service,
    decide: impl Fn(&Service, &Member) -> T,
    apply: impl Fn(&mut Member, T),
) {
    let facts: Vec<Vec<T>> = service
        .shapes
        .iter()
        .map(|shape| match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter().map(|m| decide(service, m)).collect(),
            _ => Vec::new(),
        })
        .collect();
    for (shape, facts) in service.shapes.iter_mut().zip(facts) {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shape.kind {
            for (member, fact) in s.members.iter_mut().zip(facts) {
                apply(member, fact);
            }
        }
    }
}
