//! Operations: input, output and errors (the service's common errors after the operation's own), and the
//! request rules and endpoint parameters their traits carry, and `@paginated` merged over the service's.

use super::service::ServiceShape;
use super::traits::{self, Paginated, TraitsAt};
use super::{ContextParamMember, Lowering};
use crate::diagnostics::{child, Diagnostics};
use crate::frontend::smithy as raw;
use crate::ir::*;
use crate::lower::{check_host_prefix, deprecation, endpoint_params, NO_SHAPE};
use crate::naming;

/// The Smithy way of saying "no input" or "no output".
const UNIT: &str = "smithy.api#Unit";

/// An operation shape to lower, with the name it goes by.
pub struct OperationShape<'a> {
    pub name: String,
    pub shape: &'a raw::Shape,
    pub path: String,
}

impl Lowering<'_> {
    pub(super) fn operation(
        &self,
        op: &OperationShape<'_>,
        service: &ServiceShape<'_>,
        service_paginated: &Paginated,
        diagnostics: &mut Diagnostics,
    ) -> Operation {
        let traits = TraitsAt::new(&op.shape.traits, &op.path);
        let input = self.io(op, op.shape.input.as_ref(), "input", diagnostics);
        let output = self.io(op, op.shape.output.as_ref(), "output", diagnostics);
        let own_errors = op
            .shape
            .errors
            .iter()
            .enumerate()
            .map(|(i, e)| (e, child(&child(&op.path, "errors"), &i.to_string())));
        let common_errors = service
            .shape
            .errors
            .iter()
            .enumerate()
            .map(|(i, e)| (e, child(&child(&service.path, "errors"), &i.to_string())));
        let errors = own_errors
            .chain(common_errors)
            .map(|(e, path)| self.resolve(&e.target, &child(&path, "target"), diagnostics))
            .collect();
        let input_shape = op
            .shape
            .input
            .as_ref()
            .filter(|t| t.target != UNIT)
            .and_then(|t| Some((t.target.as_str(), self.model.shapes.get(&t.target)?)));
        let host_prefix = traits
            .get::<traits::Endpoint>(traits::ENDPOINT, diagnostics)
            .map(|e| e.host_prefix);
        if let Some(prefix) = &host_prefix {
            let is_label = |label: &str| {
                input_shape
                    .and_then(|(_, shape)| shape.members.get(label))
                    .is_some_and(|m| {
                        m.traits.contains_key(traits::HOST_LABEL)
                            && self.raw_shape(&m.target).is_some_and(|t| t.kind == "string")
                    })
            };
            let path = child(&traits.path_of(traits::ENDPOINT), "hostPrefix");
            check_host_prefix(prefix, is_label, &path, diagnostics);
        }
        let deprecated = traits
            .get::<traits::Deprecated>(traits::DEPRECATED, diagnostics)
            .and_then(|d| deprecation(true, &d.message));
        Operation {
            wire_name: op.name.clone(),
            rust_name: naming::module_name(&op.name),
            input,
            output,
            errors,
            docs: super::documentation(traits, diagnostics),
            deprecated,
            host_prefix,
            request_compression: traits
                .get::<traits::RequestCompression>(traits::REQUEST_COMPRESSION, diagnostics)
                .map(|c| c.encodings)
                .unwrap_or_default(),
            endpoint_params: self.endpoint_params(traits, input_shape, diagnostics),
            paginator: paginator(traits, service_paginated, diagnostics),
            error_codes: Vec::new(),
            symbols: OperationSymbols::default(),
            json_path: op.path.clone(),
        }
    }

    /// An operation's input or output: its structure, or [`NO_SHAPE`] for `smithy.api#Unit` (or none).
    fn io(
        &self,
        op: &OperationShape<'_>,
        target: Option<&raw::Target>,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> ShapeId {
        let Some(target) = target.filter(|t| t.target != UNIT) else {
            return NO_SHAPE;
        };
        let path = child(&child(&op.path, key), "target");
        let id = self.resolve(&target.target, &path, diagnostics);
        let plain_structure = |s: &raw::Shape| s.kind == "structure";
        if self
            .model
            .shapes
            .get(&target.target)
            .is_some_and(|s| !plain_structure(s))
        {
            diagnostics.error(
                path,
                format!(
                    "{:?} is not a plain structure; an operation's {key} must be one",
                    target.target
                ),
            );
        }
        id
    }

    /// The endpoint-rule parameters the operation binds (see [`crate::lower::endpoint_params`]).
    fn endpoint_params(
        &self,
        traits: TraitsAt<'_>,
        input: Option<(&str, &raw::Shape)>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<EndpointParam> {
        let statics_path = traits.path_of(traits::STATIC_CONTEXT_PARAMS);
        let statics: indexmap::IndexMap<String, traits::StaticContextParam> = traits
            .get(traits::STATIC_CONTEXT_PARAMS, diagnostics)
            .unwrap_or_default();
        let statics = statics
            .iter()
            .map(|(name, param)| (name.as_str(), &param.value, child(&child(&statics_path, name), "value")))
            .collect();
        let mut members = Vec::new();
        let mut params = Vec::new();
        if let Some((id, shape)) = input {
            for (name, member) in &shape.members {
                let path = child(&child(&child("/shapes", id), "members"), name);
                let member_traits = TraitsAt::new(&member.traits, &path);
                if let Some(param) = member_traits.get::<traits::ContextParam>(traits::CONTEXT_PARAM, diagnostics) {
                    let kind = self.raw_shape(&member.target).map(|t| t.kind.as_str());
                    params.push((
                        name.as_str(),
                        param.name,
                        matches!(kind, Some("string" | "boolean")),
                        member_traits.path_of(traits::CONTEXT_PARAM),
                    ));
                }
            }
        }
        for (member, param, string_or_bool, path) in &params {
            members.push(ContextParamMember {
                member,
                param,
                string_or_bool: *string_or_bool,
                path: path.clone(),
            });
        }
        let operation_context_path = traits.path_of(traits::OPERATION_CONTEXT_PARAMS);
        let operation_context: indexmap::IndexMap<String, serde_json::Value> = traits
            .get(traits::OPERATION_CONTEXT_PARAMS, diagnostics)
            .unwrap_or_default();
        let operation_context = operation_context
            .keys()
            .map(|name| (name.as_str(), child(&operation_context_path, name)))
            .collect();
        endpoint_params(
            self.endpoint_parameters,
            statics,
            members,
            operation_context,
            diagnostics,
        )
    }
}

/// The operation's `@paginated`, each value falling back to the service's; paths are member names split on
/// `.`. `None` when the operation is not paginated.
fn paginator(traits: TraitsAt<'_>, service: &Paginated, diagnostics: &mut Diagnostics) -> Option<Paginator> {
    let own: Paginated = traits.get(traits::PAGINATED, diagnostics)?;
    let merged = own.merged_over(service);
    let path = traits.path_of(traits::PAGINATED);
    let (Some(input_token), Some(output_token)) = (merged.input_token, merged.output_token) else {
        diagnostics.error(
            path,
            "needs `inputToken` and `outputToken` (from the operation or the service's `@paginated`)",
        );
        return None;
    };
    let split = |path: &str| path.split('.').map(str::to_owned).collect::<Vec<_>>();
    Some(Paginator {
        input_token,
        output_token: split(&output_token),
        more_results: None,
        page_size: merged.page_size,
        items: merged.items.as_deref().map(split),
        json_path: path,
    })
}
