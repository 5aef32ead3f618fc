//! Exceptions: the shapes operations list as errors live in `types::error` and carry an error trait; a listed
//! error that is not a structure is reported here.

use crate::diagnostics::{child, Diagnostics};
use crate::ir::*;

/// Files every operation error under [`Location::Errors`] and gives it an [`ErrorTrait`] when the model did not
/// (its code is then the shape name). Reports listed errors that are not structures.
pub fn mark_exceptions(service: &mut Service, diagnostics: &mut Diagnostics) {
    for op in &service.operations {
        for &error in &op.errors {
            // A reference lowering did not resolve is reported by `keep_reachable`.
            let Some(shape) = service.shapes.get_mut(error.0) else {
                continue;
            };
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
                // Reported where the operation lists it: the shape may be the prelude's, which has no path in
                // the model, and the list is what to change.
                _ => diagnostics.error(
                    child(&op.json_path, "errors"),
                    format!("lists {:?} as an error, but it is not a structure", shape.wire_name),
                ),
            }
        }
    }
}
