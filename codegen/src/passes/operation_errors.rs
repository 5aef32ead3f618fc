//! Each operation's error list in one canonical order, without repeats: a model may list an error twice, and it
//! is one variant of the operation's error enum.
//!
//! The order is by shape name. Error order has no meaning on the wire (an error is picked by its code), but it is
//! the order of the error enum's variants, so it must not depend on which front-end read the model: the Smithy
//! JSON AST lists an operation's errors sorted by shape id, botocore's JSON keeps the order of the source model.
//! Sorting by name gives both the same crate, and the order aws-sdk-rust's error enums have.

use crate::ir::Service;

/// Sorts each operation's errors by shape name and keeps one mention of each.
pub fn canonical_operation_errors(service: &mut Service) {
    let shapes = &service.shapes;
    for op in &mut service.operations {
        op.errors.sort_by(|a, b| {
            let name = |id: &crate::ir::ShapeId| shapes.get(id.0).map(|s| s.wire_name.as_str());
            name(a).cmp(&name(b)).then(a.0.cmp(&b.0))
        });
        op.errors.dedup();
    }
}
