//! Synthetic inputs and outputs: each operation gets its own copy of its input and output structure,
//! `<Op>Input`/`<Op>Output` in `operation::<op>` (as smithy-rs does), so no emitter special-cases them. The
//! model's request and response shapes stay in the arena; [`keep_reachable`](super::keep_reachable) drops them
//! unless something else refers to them.

use crate::ir::*;
use crate::lower::NO_SHAPE;
use crate::naming;

/// Gives every operation its synthetic input and output, appended to the arena after the model's shapes in
/// operation order (input, then output).
pub fn synthesize_inputs_outputs(service: &mut Service) {
    let mut operations = std::mem::take(&mut service.operations);
    for op in &mut operations {
        let (input_docs, output_docs) = (
            format!("The input of `{}`.", op.wire_name),
            format!("The output of `{}`.", op.wire_name),
        );
        op.input = synthesize(
            service,
            op.input,
            &op.rust_name,
            naming::operation_item(&op.wire_name, "Input"),
            input_docs,
        );
        op.output = synthesize(
            service,
            op.output,
            &op.rust_name,
            naming::operation_item(&op.wire_name, "Output"),
            output_docs,
        );
    }
    service.operations = operations;
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
            decoded: false,
            symbols: ShapeSymbols::default(),
            json_path: String::new(),
        }
    } else {
        let Some(model_shape) = service.shapes.get(original.0) else {
            // Lowering resolves every reference; one that is not resolved is left for `keep_reachable` to
            // report rather than papered over with an empty structure.
            return original;
        };
        let mut copy = model_shape.clone();
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
