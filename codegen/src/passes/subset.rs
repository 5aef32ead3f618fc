//! The operation subset: keeps the operations asked for and reports the names the model does not have.

use crate::diagnostics::Diagnostics;
use crate::ir::Service;
use std::collections::BTreeSet;

/// Keeps the chosen operations (all when `None`), in model order. Every unknown name is reported, with the
/// names the model has, so a typo in `codegen.toml` is fixed in one go.
pub fn keep_operations(service: &mut Service, operations: Option<&[String]>, diagnostics: &mut Diagnostics) {
    let Some(wanted) = operations else { return };
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
