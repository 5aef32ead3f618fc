//! Lowers the Smithy mirror into the IR.
use crate::diagnostics::Diagnostics;
use crate::frontend::smithy as raw;
use crate::ir::*;

pub fn lower_smithy(
    _model: &raw::Model,
    _endpoint_rules: Option<EndpointRules>,
    _diagnostics: &mut Diagnostics,
) -> Option<Service> {
    None
}
