//! Each operation's error list without repeats: a model may list an error twice, and it is one variant of the
//! operation's error enum.

use crate::ir::Service;
use std::collections::BTreeSet;

/// Keeps the first mention of each error of each operation, in model order.
pub fn dedupe_operation_errors(service: &mut Service) {
    for op in &mut service.operations {
        let mut seen = BTreeSet::new();
        op.errors.retain(|id| seen.insert(*id));
    }
}
