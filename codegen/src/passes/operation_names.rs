//! Operation module and method names: unique, and clear of the client's own methods.

use crate::ir::Service;
use crate::naming;

/// Operation module and method names: unique, and clear of the client's own methods. Runs before
/// [`synthesize_inputs_outputs`](super::synthesize_inputs_outputs), which files each synthetic input and output
/// under its operation's module name.
pub fn unique_operation_names(service: &mut Service) {
    let names = service.operations.iter().map(|o| o.rust_name.clone()).collect();
    let names = naming::disambiguate(names, naming::CLIENT_METHODS);
    for (op, name) in service.operations.iter_mut().zip(names) {
        op.rust_name = name;
    }
}
