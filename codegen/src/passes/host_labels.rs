//! Host labels: the input members an operation's `endpoint.hostPrefix` names.

use crate::ir::*;

/// Marks the members of each operation's own input that its host prefix names, and makes them required: a
/// request cannot be addressed without them (Smithy requires `@hostLabel` members to be `@required`, and
/// botocore fails without them). Runs after the synthetic inputs exist, so each input is the operation's own
/// copy.
pub fn mark_host_labels(service: &mut Service) {
    for op in &service.operations {
        let labels: Vec<&str> = op
            .host_prefix
            .as_deref()
            .and_then(host_prefix_parts)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|part| match part {
                HostPrefixPart::Label(label) => Some(label),
                HostPrefixPart::Text(_) => None,
            })
            .collect();
        if let Some(Shape {
            kind: ShapeKind::Structure(input),
            ..
        }) = service.shapes.get_mut(op.input.0)
        {
            for member in &mut input.members {
                member.host_label = labels.contains(&member.wire_name.as_str());
                member.required |= member.host_label;
            }
        }
    }
}
