//! The service shape: which one it is, its wire metadata (what botocore's `metadata` holds, derived as botocore
//! derives it), and the operations it binds directly or through its resources.

use super::traits::{self, Paginated, TraitsAt};
use crate::diagnostics::{child, Diagnostics};
use crate::frontend::smithy::{Model, Shape, Target};
use crate::ir::ServiceMetadata;
use std::collections::BTreeSet;

/// The service: its id, shape and JSON path.
pub struct ServiceShape<'a> {
    pub id: &'a str,
    pub shape: &'a Shape,
    pub path: String,
}

impl<'a> ServiceShape<'a> {
    pub fn traits(&self) -> TraitsAt<'_> {
        TraitsAt::new(&self.shape.traits, &self.path)
    }

    /// The service's `@paginated` defaults for its operations.
    pub fn paginated(&self, diagnostics: &mut Diagnostics) -> Paginated {
        self.traits().get(traits::PAGINATED, diagnostics).unwrap_or_default()
    }
}

/// The one service shape of the model; zero or several are reported.
pub fn find<'a>(model: &'a Model, diagnostics: &mut Diagnostics) -> Option<ServiceShape<'a>> {
    let services: Vec<(&String, &Shape)> = model.shapes.iter().filter(|(_, s)| s.kind == "service").collect();
    match services.as_slice() {
        [(id, shape)] => Some(ServiceShape {
            id,
            shape,
            path: child("/shapes", id),
        }),
        [] => {
            diagnostics.error(
                "/shapes",
                "no shape of type \"service\": the model must define the service to generate",
            );
            None
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|(id, _)| id.as_str()).collect();
            diagnostics.error(
                "/shapes",
                format!(
                    "{} service shapes ({}); this generator needs exactly one",
                    ids.len(),
                    ids.join(", ")
                ),
            );
            None
        }
    }
}

/// The metadata botocore's `metadata` would hold, derived from the service's traits as botocore derives it:
/// `targetPrefix` is the service shape's name, `jsonVersion` the awsJson protocol trait's, `endpointPrefix` and
/// `serviceId` from `aws.api#service`, `signingName` from `aws.auth#sigv4`, `serviceFullName` from `@title`.
pub fn metadata(service: &ServiceShape<'_>, name: &str, diagnostics: &mut Diagnostics) -> ServiceMetadata {
    let traits = service.traits();
    let json_version = traits::PROTOCOLS
        .iter()
        .find(|(id, _)| traits.has(id))
        .map(|(_, version)| (*version).to_owned())
        .unwrap_or_else(|| {
            let protocols: Vec<&str> = traits::PROTOCOLS.iter().map(|(id, _)| *id).collect();
            diagnostics.error(
                child(&service.path, "traits"),
                format!(
                    "no awsJson protocol trait ({}): this generator emits awsJson clients",
                    protocols.join(" or ")
                ),
            );
            "1.0".to_owned()
        });
    let aws: traits::AwsService = traits.get(traits::AWS_SERVICE, diagnostics).unwrap_or_default();
    let endpoint_prefix = aws
        .endpoint_prefix
        .or(aws.arn_namespace)
        .unwrap_or_else(|| name.to_lowercase());
    let signing_name = traits
        .get::<traits::Sigv4>(traits::SIGV4, diagnostics)
        .map_or_else(|| endpoint_prefix.clone(), |sigv4| sigv4.name);
    let service_full_name = traits
        .string(traits::TITLE, diagnostics)
        .unwrap_or_else(|| endpoint_prefix.clone());
    let service_id = aws.sdk_id.unwrap_or_else(|| service_full_name.clone());
    let api_version = service.shape.version.clone().unwrap_or_else(|| {
        diagnostics.error(
            child(&service.path, "version"),
            "missing: the client needs it on the wire",
        );
        String::new()
    });
    ServiceMetadata {
        json_version,
        target_prefix: name.to_owned(),
        endpoint_prefix,
        signing_name,
        service_id,
        service_full_name,
        api_version,
        query_compatible: traits.has(traits::QUERY_COMPATIBLE),
    }
}

/// Every operation the service binds, directly or through its resources (their `operations`,
/// `collectionOperations`, lifecycle operations and child resources, recursively), once each, in the order
/// first met. A reference to a missing shape or to a shape of the wrong type is reported where it is made.
pub fn operations<'a>(model: &'a Model, service: &ServiceShape<'a>, diagnostics: &mut Diagnostics) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(&'a str, &'a Shape, String)> = vec![(service.id, service.shape, service.path.clone())];
    while let Some((_, shape, path)) = stack.pop() {
        let mut references: Vec<(&Target, String, &str)> = Vec::new();
        for (key, list) in [
            ("operations", &shape.operations),
            ("collectionOperations", &shape.collection_operations),
        ] {
            for (i, target) in list.iter().enumerate() {
                references.push((target, child(&child(&path, key), &i.to_string()), "operation"));
            }
        }
        for (key, target) in shape.lifecycle_operations() {
            references.push((target, child(&path, key), "operation"));
        }
        for (i, target) in shape.resources.iter().enumerate() {
            references.push((target, child(&child(&path, "resources"), &i.to_string()), "resource"));
        }
        for (target, reference_path, expected) in references {
            let reference_path = child(&reference_path, "target");
            let Some((id, bound)) = model.shapes.get_key_value(&target.target) else {
                diagnostics.error(
                    reference_path,
                    format!("refers to shape {:?}, which the model does not define", target.target),
                );
                continue;
            };
            if bound.kind != expected {
                diagnostics.error(
                    reference_path,
                    format!(
                        "{:?} is a {} shape; a {expected} is expected here",
                        target.target, bound.kind
                    ),
                );
                continue;
            }
            if !seen.insert(id.as_str()) {
                continue;
            }
            if expected == "operation" {
                found.push(id.as_str());
            } else {
                stack.push((id, bound, child("/shapes", id)));
            }
        }
    }
    found
}
