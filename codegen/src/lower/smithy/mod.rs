//! Lowers the Smithy mirror into the IR, to the same IR the botocore lowering gives for the same service.
//!
//! Shapes are named by the part of their id after `#` (or the service's `rename`), as botocore names them, and
//! the arena is in name order, as botocore's file is, so type names that clash are told apart in the same order.
//! The prelude shapes a model refers to (`smithy.api#String`, `smithy.api#PrimitiveBoolean`, ...) become shapes
//! of their own, as in botocore. A member with its own constraints (`@length`, `@range`, `@pattern` on the
//! member) targets a copy of its target carrying them, which is what botocore's JSON spells as a separate
//! shape. Ids are reserved for every shape before any is converted, so references are plain indices.

mod operations;
mod prelude;
mod service;
mod traits;
mod waiters;

use super::*;
use crate::diagnostics::{child, Diagnostics};
use crate::frontend::smithy as raw;
use std::cell::RefCell;
use std::collections::HashMap;
use traits::{Bounds, TraitsAt};

/// The endpoint rule set of the model's service (`smithy.rules#endpointRuleSet`), as JSON bytes for
/// [`crate::frontend::endpoint_rules`], with the path it sits at; `None` when the service has none.
pub fn endpoint_rule_set(model: &raw::Model) -> Option<(Vec<u8>, String)> {
    let (id, service) = model.shapes.iter().find(|(_, s)| s.kind == "service")?;
    let rules = service.traits.get(traits::ENDPOINT_RULE_SET)?;
    let path = child(&child(&child("/shapes", id), "traits"), traits::ENDPOINT_RULE_SET);
    Some((serde_json::to_vec(rules).ok()?, path))
}

/// Lowers a whole Smithy model: every data shape and every operation of its service, before any subsetting.
pub fn lower_smithy(
    model: &raw::Model,
    endpoint_rules: Option<EndpointRules>,
    diagnostics: &mut Diagnostics,
) -> Service {
    let prelude = prelude::shapes();
    let service = service::find(model, diagnostics);
    let renames = service.as_ref().map(|s| &s.shape.rename);
    let name_of = |id: &str| -> String {
        renames
            .and_then(|r| r.get(id))
            .cloned()
            .unwrap_or_else(|| id.split_once('#').map_or(id, |(_, name)| name).to_owned())
    };
    // The data shapes of the model, and the prelude shapes it refers to, in name order.
    let mut entries: Vec<Entry> = Vec::new();
    for (id, shape) in &model.shapes {
        if !id.contains('#') {
            diagnostics.error(child("/shapes", id), "is not an absolute shape id (`namespace#Name`)");
        }
        if !matches!(shape.kind.as_str(), "service" | "operation" | "resource") {
            entries.push(Entry {
                id,
                name: name_of(id),
                shape,
                path: child("/shapes", id),
            });
        }
    }
    for id in prelude::referenced(model) {
        if let Some((id, shape)) = prelude
            .get_key_value(id.as_str())
            .filter(|_| !model.shapes.contains_key(&id))
        {
            entries.push(Entry {
                id,
                name: name_of(id),
                shape,
                path: format!("(prelude) {id}"),
            });
        }
    }
    entries.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    let ids: HashMap<&str, ShapeId> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| (entry.id, ShapeId(i)))
        .collect();
    let endpoint_parameters = endpoint_rules.as_ref().map_or(&[][..], |rules| &rules.parameters[..]);
    let lowering = Lowering {
        model,
        prelude: &prelude,
        ids: &ids,
        endpoint_parameters,
        constrained: RefCell::new(Vec::new()),
    };
    let mut shapes: Vec<Shape> = entries.iter().map(|entry| lowering.shape(entry, diagnostics)).collect();
    let constrained = lowering.constrained.take();
    for constrained in constrained {
        let shape = constrained.shape(&shapes, diagnostics);
        shapes.push(shape);
    }
    report_container_cycles(&shapes, diagnostics);
    let Some(service) = service else {
        return empty_service(shapes, endpoint_rules);
    };
    let service_name = name_of(service.id);
    let metadata = service::metadata(&service, &service_name, diagnostics);
    let mut operation_ids = service::operations(model, &service, diagnostics);
    operation_ids.sort_by_key(|id| name_of(id));
    let paginated = service.paginated(diagnostics);
    let operations = operation_ids
        .iter()
        .filter_map(|id| Some((*id, model.shapes.get(*id)?)))
        .map(|(id, shape)| {
            lowering.operation(
                &operations::OperationShape {
                    name: name_of(id),
                    shape,
                    path: child("/shapes", id),
                },
                &service,
                &paginated,
                diagnostics,
            )
        })
        .collect();
    let waiters = waiters::lower(model, &operation_ids, &name_of, diagnostics);
    let docs = documentation(service.traits(), diagnostics);
    Service {
        metadata,
        docs,
        shapes,
        operations,
        endpoint_rules,
        waiters,
    }
}

/// What is left to return when the model has no single service: the shapes (already checked), no operations.
fn empty_service(shapes: Vec<Shape>, endpoint_rules: Option<EndpointRules>) -> Service {
    Service {
        metadata: ServiceMetadata {
            json_version: String::new(),
            target_prefix: String::new(),
            endpoint_prefix: String::new(),
            signing_name: String::new(),
            service_id: String::new(),
            service_full_name: String::new(),
            api_version: String::new(),
            query_compatible: false,
        },
        docs: None,
        shapes,
        operations: Vec::new(),
        endpoint_rules,
        waiters: Vec::new(),
    }
}

/// A data shape to lower: its id, the name it goes by, and where it is.
struct Entry<'a> {
    id: &'a str,
    name: String,
    shape: &'a raw::Shape,
    path: String,
}

struct Lowering<'a> {
    model: &'a raw::Model,
    prelude: &'a indexmap::IndexMap<String, raw::Shape>,
    ids: &'a HashMap<&'a str, ShapeId>,
    /// The parameters the service's endpoint rule set declares (none without one).
    endpoint_parameters: &'a [String],
    /// Members with constraints of their own, each given a copy of its target after the model's shapes.
    constrained: RefCell<Vec<Constrained>>,
}

/// A member's own constraints, applied to a copy of its target (botocore's synthesized shape).
struct Constrained {
    target: ShapeId,
    name: String,
    length: Option<Bounds>,
    range: Option<Bounds>,
    pattern: Option<String>,
    path: String,
}

impl Constrained {
    /// The member's target, with the member's constraints in place of the target's.
    fn shape(self, shapes: &[Shape], diagnostics: &mut Diagnostics) -> Shape {
        let mut shape = shapes.get(self.target.0).cloned().unwrap_or_else(|| Shape {
            wire_name: String::new(),
            rust_name: String::new(),
            location: Location::Types,
            kind: ShapeKind::Document,
            docs: None,
            sensitive: false,
            deprecated: None,
            validated: false,
            decoded: false,
            symbols: ShapeSymbols::default(),
            json_path: String::new(),
        });
        let override_bounds = |range: &mut Range, bounds: Option<Bounds>| {
            if let Some(bounds) = bounds {
                range.min = bounds.min.or(range.min);
                range.max = bounds.max.or(range.max);
            }
        };
        let applies = match &mut shape.kind {
            ShapeKind::String { length, pattern, .. } => {
                override_bounds(length, self.length);
                if self.pattern.is_some() {
                    *pattern = self.pattern.clone();
                }
                self.range.is_none()
            }
            // An enum's values are its constraint; botocore drops a pattern on one, and so do we.
            ShapeKind::Enum { length, .. } => {
                override_bounds(length, self.length);
                self.range.is_none()
            }
            ShapeKind::List { length, .. } | ShapeKind::Map { length, .. } | ShapeKind::Blob { length } => {
                override_bounds(length, self.length);
                self.range.is_none() && self.pattern.is_none()
            }
            ShapeKind::Integer { range }
            | ShapeKind::Long { range }
            | ShapeKind::Float { range }
            | ShapeKind::Double { range } => {
                override_bounds(range, self.range);
                self.length.is_none() && self.pattern.is_none()
            }
            _ => false,
        };
        if !applies {
            diagnostics.error(
                &self.path,
                "has a constraint (`@length`, `@range`, `@pattern`) that its target's type cannot take",
            );
        }
        shape.wire_name = self.name.clone();
        shape.rust_name = naming::type_name(&self.name);
        shape.json_path = self.path;
        shape
    }
}

/// Shape types that are numbers or booleans: a member targeting one is non-nullable when it has a default.
const NUMBER_OR_BOOL: &[&str] = &[
    "byte", "short", "integer", "long", "float", "double", "boolean", "intEnum",
];

impl Lowering<'_> {
    /// The shape `id` names, in the model or the prelude.
    fn raw_shape(&self, id: &str) -> Option<&raw::Shape> {
        self.model.shapes.get(id).or_else(|| self.prelude.get(id))
    }

    fn resolve(&self, id: &str, path: &str, diagnostics: &mut Diagnostics) -> ShapeId {
        match self.ids.get(id) {
            Some(id) => *id,
            None => {
                let message = match prelude::UNSUPPORTED.iter().find(|(prelude, _)| *prelude == id) {
                    Some((_, kind)) => format!("refers to {id}, of type {kind:?}, which is not supported"),
                    None => format!("refers to shape {id:?}, which the model does not define"),
                };
                diagnostics.error(path, message);
                PLACEHOLDER
            }
        }
    }

    fn shape(&self, entry: &Entry<'_>, diagnostics: &mut Diagnostics) -> Shape {
        let traits = TraitsAt::new(&entry.shape.traits, &entry.path);
        let kind = self.kind(entry, traits, diagnostics);
        Shape {
            wire_name: entry.name.clone(),
            rust_name: naming::type_name(&entry.name),
            location: if traits.has(traits::ERROR) {
                Location::Errors
            } else {
                Location::Types
            },
            kind,
            docs: documentation(traits, diagnostics),
            sensitive: traits.has(traits::SENSITIVE),
            deprecated: deprecated(traits, diagnostics),
            validated: false,
            decoded: false,
            symbols: ShapeSymbols::default(),
            json_path: entry.path.clone(),
        }
    }

    fn kind(&self, entry: &Entry<'_>, traits: TraitsAt<'_>, diagnostics: &mut Diagnostics) -> ShapeKind {
        let shape = entry.shape;
        let path = entry.path.as_str();
        match shape.kind.as_str() {
            "structure" => ShapeKind::Structure(self.structure(entry, traits, diagnostics)),
            "union" => {
                if traits.has(traits::STREAMING) {
                    diagnostics.warning(
                        path,
                        "event streams are not supported: the stream's events are generated as a union, but \
                         operations that use it cannot decode the binary event-stream framing",
                    );
                }
                ShapeKind::Union(self.structure(entry, traits, diagnostics))
            }
            "list" => ShapeKind::List {
                member: self.element(entry, shape.member.as_ref(), "member", diagnostics),
                length: bounds(traits, traits::LENGTH, "list size", diagnostics),
            },
            "map" => ShapeKind::Map {
                key: self.element(entry, shape.key.as_ref(), "key", diagnostics),
                value: self.element(entry, shape.value.as_ref(), "value", diagnostics),
                length: bounds(traits, traits::LENGTH, "map size", diagnostics),
            },
            "string" => {
                let length = bounds(traits, traits::LENGTH, "string length", diagnostics);
                match traits.get::<Vec<traits::EnumDefinition>>(traits::ENUM, diagnostics) {
                    Some(definitions) => {
                        let enum_path = traits.path_of(traits::ENUM);
                        let values = definitions
                            .into_iter()
                            .enumerate()
                            .map(|(i, d)| (d.value, child(&enum_path, &i.to_string())));
                        ShapeKind::Enum {
                            values: enum_values(values, diagnostics),
                            length,
                        }
                    }
                    None => ShapeKind::String {
                        length,
                        pattern: self.pattern(traits, diagnostics),
                        json_value: traits.string(traits::MEDIA_TYPE, diagnostics).as_deref()
                            == Some("application/json"),
                    },
                }
            }
            "enum" => {
                let values = shape.members.iter().map(|(name, member)| {
                    let member_path = child(&child(path, "members"), name);
                    let member_traits = TraitsAt::new(&member.traits, &member_path);
                    let value = member_traits
                        .string(traits::ENUM_VALUE, diagnostics)
                        .unwrap_or_else(|| name.clone());
                    (value, member_path)
                });
                let values: Vec<(String, String)> = values.collect();
                ShapeKind::Enum {
                    values: enum_values(values, diagnostics),
                    length: bounds(traits, traits::LENGTH, "string length", diagnostics),
                }
            }
            // awsJson sends an intEnum as its number; botocore has no such type and says `integer`.
            "intEnum" | "byte" | "short" | "integer" => ShapeKind::Integer {
                range: bounds(traits, traits::RANGE, "", diagnostics),
            },
            "long" => ShapeKind::Long {
                range: bounds(traits, traits::RANGE, "", diagnostics),
            },
            "float" => ShapeKind::Float {
                range: bounds(traits, traits::RANGE, "", diagnostics),
            },
            "double" => ShapeKind::Double {
                range: bounds(traits, traits::RANGE, "", diagnostics),
            },
            "boolean" => ShapeKind::Boolean,
            "blob" => ShapeKind::Blob {
                length: bounds(traits, traits::LENGTH, "blob length", diagnostics),
            },
            "timestamp" => ShapeKind::Timestamp {
                format: timestamp_format(traits, diagnostics),
            },
            "document" => ShapeKind::Document,
            other => {
                diagnostics.error(
                    child(path, "type"),
                    format!(
                        "shape type {other:?} is not supported; expected one of structure, union, list, map, \
                         string, enum, intEnum, byte, short, integer, long, float, double, boolean, blob, \
                         timestamp, document (or service, operation, resource)"
                    ),
                );
                ShapeKind::Document
            }
        }
    }

    fn pattern(&self, traits: TraitsAt<'_>, diagnostics: &mut Diagnostics) -> Option<String> {
        let text = traits.string(traits::PATTERN, diagnostics);
        pattern(text.as_deref(), &traits.path_of(traits::PATTERN), diagnostics)
    }

    /// A list's `member`, a map's `key` or `value`.
    fn element(
        &self,
        entry: &Entry<'_>,
        member: Option<&raw::Member>,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> ShapeId {
        match member {
            Some(member) => self.member_target(entry, key, member, &child(&entry.path, key), diagnostics),
            None => {
                diagnostics.error(child(&entry.path, key), "missing: this shape type needs it");
                PLACEHOLDER
            }
        }
    }

    /// The id a member refers to: its target, or a copy of it with the member's own constraints.
    fn member_target(
        &self,
        container: &Entry<'_>,
        member_name: &str,
        member: &raw::Member,
        path: &str,
        diagnostics: &mut Diagnostics,
    ) -> ShapeId {
        let target = self.resolve(&member.target, &child(path, "target"), diagnostics);
        let traits = TraitsAt::new(&member.traits, path);
        let length = traits
            .has(traits::LENGTH)
            .then(|| bounds(traits, traits::LENGTH, "", diagnostics));
        let range = traits
            .has(traits::RANGE)
            .then(|| bounds(traits, traits::RANGE, "", diagnostics));
        let pattern = traits
            .has(traits::PATTERN)
            .then(|| self.pattern(traits, diagnostics))
            .flatten();
        if target == PLACEHOLDER || (length.is_none() && range.is_none() && !traits.has(traits::PATTERN)) {
            return target;
        }
        let to_bounds = |r: Range| Bounds { min: r.min, max: r.max };
        let mut constrained = self.constrained.borrow_mut();
        // botocore's name for the shape it synthesizes: container, member and target type run together
        // (`ListThingsRequestMaxResultsInteger`, `ExpectedCustomerSpendCurrencyCodeEnum`).
        let target_type = naming::type_name(self.raw_shape(&member.target).map_or("", |t| t.kind.as_str()));
        constrained.push(Constrained {
            target,
            name: format!("{}{}{}", container.name, naming::type_name(member_name), target_type),
            length: length.map(to_bounds),
            range: range.map(to_bounds),
            pattern,
            path: path.to_owned(),
        });
        ShapeId(self.ids.len() + constrained.len() - 1)
    }

    fn structure(&self, entry: &Entry<'_>, traits: TraitsAt<'_>, diagnostics: &mut Diagnostics) -> Structure {
        let members_path = child(&entry.path, "members");
        let members = entry
            .shape
            .members
            .iter()
            .map(|(name, member)| self.member(entry, name, member, &child(&members_path, name), diagnostics))
            .collect();
        let error = traits.string(traits::ERROR, diagnostics).map(|kind| {
            if kind != "client" && kind != "server" {
                diagnostics.error(
                    traits.path_of(traits::ERROR),
                    format!("{kind:?} is neither \"client\" nor \"server\""),
                );
            }
            ErrorTrait {
                // awsJson names errors by shape name; an awsQuery code (`awsQueryError`) is accepted too, as
                // botocore's `error.code` is.
                code: traits
                    .get::<traits::QueryError>(traits::QUERY_ERROR, diagnostics)
                    .map_or_else(|| entry.name.clone(), |e| e.code),
                server_fault: kind == "server",
                message_member: None,
            }
        });
        Structure { members, error }
    }

    fn member(
        &self,
        container: &Entry<'_>,
        name: &str,
        member: &raw::Member,
        path: &str,
        diagnostics: &mut Diagnostics,
    ) -> Member {
        let traits = TraitsAt::new(&member.traits, path);
        let target = self.member_target(container, name, member, path, diagnostics);
        let target_shape = self.raw_shape(&member.target);
        let target_kind = target_shape.map_or("", |t| t.kind.as_str());
        // The member's `@default`, else its target's (Smithy asks members to repeat it; `null` removes it).
        let default = traits
            .raw(traits::DEFAULT)
            .or_else(|| target_shape.and_then(|t| t.traits.get(traits::DEFAULT)))
            .filter(|d| !d.is_null());
        // Where that default is written: a wrong one is reported there.
        let default_path = if traits.has(traits::DEFAULT) {
            traits.path_of(traits::DEFAULT)
        } else {
            let target_path = child("/shapes", &member.target);
            child(&child(&target_path, "traits"), traits::DEFAULT)
        };
        let is_number = NUMBER_OR_BOOL.contains(&target_kind);
        let idempotency_token = traits.has(traits::IDEMPOTENCY_TOKEN);
        Member {
            wire_name: name.to_owned(),
            rust_name: naming::field_name(name),
            target,
            // The client fills an unset token before it validates, so a token is never missing.
            required: traits.has(traits::REQUIRED) && !idempotency_token,
            // A number or boolean with a default is never absent to its reader, unless `@clientOptional` says
            // that clients must still treat it as optional.
            nullable: !is_number || default.is_none() || traits.has(traits::CLIENT_OPTIONAL),
            boxed: false,
            sensitive: false,
            docs: member_docs(documentation(traits, diagnostics), idempotency_token),
            deprecated: deprecated(traits, diagnostics),
            timestamp_format: timestamp_format(traits, diagnostics),
            wire_encoding: WireEncoding::Plain,
            host_label: false,
            idempotency_token,
            default: default.and_then(|d| default_value(d, target_kind, &default_path, diagnostics)),
            symbols: MemberSymbols::default(),
            json_path: path.to_owned(),
        }
    }
}

/// A `@length` or `@range` trait as a [`Range`]; `what` names a length (`"string length"`) whose bounds must be
/// whole and non-negative, and is empty for a range.
fn bounds(traits: TraitsAt<'_>, id: &str, what: &str, diagnostics: &mut Diagnostics) -> Range {
    let Some(bounds) = traits.get::<Bounds>(id, diagnostics) else {
        return Range::default();
    };
    let range = Range {
        min: bounds.min,
        max: bounds.max,
    };
    let path = traits.path_of(id);
    if !what.is_empty() {
        for (key, bound) in [("min", range.min), ("max", range.max)] {
            if bound.is_some_and(|b| b < 0.0 || b.fract() != 0.0) {
                diagnostics.error(child(&path, key), format!("a {what} bound must be a whole number >= 0"));
            }
        }
    }
    check_range(range, &path, diagnostics);
    range
}

/// `@documentation` as Markdown. Its HTML is read with runs of whitespace as one space, as botocore's copy of
/// it is written (the Smithy files keep the source's line breaks and tabs, which HTML does not mean as breaks).
pub(super) fn documentation(traits: TraitsAt<'_>, diagnostics: &mut Diagnostics) -> Option<String> {
    let html = traits.string(traits::DOCUMENTATION, diagnostics)?;
    markdown(&Some(collapse_whitespace(&html)))
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn deprecated(traits: TraitsAt<'_>, diagnostics: &mut Diagnostics) -> Option<Deprecation> {
    let value: traits::Deprecated = traits.get(traits::DEPRECATED, diagnostics)?;
    Some(Deprecation {
        message: markdown(&value.message),
    })
}

fn timestamp_format(traits: TraitsAt<'_>, diagnostics: &mut Diagnostics) -> Option<TimestampFormat> {
    let format = traits.string(traits::TIMESTAMP_FORMAT, diagnostics)?;
    let known = traits::TIMESTAMP_FORMATS.iter().find(|(name, _)| *name == format);
    if known.is_none() {
        let names: Vec<&str> = traits::TIMESTAMP_FORMATS.iter().map(|(name, _)| *name).collect();
        diagnostics.error(
            traits.path_of(traits::TIMESTAMP_FORMAT),
            format!("unknown timestamp format {format:?}; expected {}", names.join(", ")),
        );
    }
    known.map(|(_, format)| format.clone())
}

/// A value of the model for a message, cut short.
fn quoted(value: &serde_json::Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", text.get(..at).unwrap_or_default()),
        None => text,
    }
}

/// A member's `@default` for the IR: `None` for the zero value a non-nullable number or boolean stands for
/// (and for empty strings, lists and maps, which read as empty anyway); a value of the wrong type is reported.
fn default_value(
    value: &serde_json::Value,
    target_kind: &str,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<DefaultValue> {
    use serde_json::Value;
    let value = match (target_kind, value) {
        ("boolean", Value::Bool(b)) => DefaultValue::Bool(*b),
        ("long", Value::Number(n)) if n.as_i64().is_some() => DefaultValue::Integer(n.as_i64().unwrap_or_default()),
        // These are `i32` and `f32` in the crate, whose accessors return the default as a literal: one out of
        // their range would not compile.
        ("byte" | "short" | "integer" | "intEnum", Value::Number(n))
            if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) =>
        {
            DefaultValue::Integer(n.as_i64().unwrap_or_default())
        }
        ("float", Value::Number(n)) if n.as_f64().is_some_and(|f| f.abs() <= f64::from(f32::MAX)) => {
            DefaultValue::Float(n.as_f64().unwrap_or_default())
        }
        ("double", Value::Number(n)) => DefaultValue::Float(n.as_f64().unwrap_or_default()),
        ("string" | "enum", Value::String(s)) => DefaultValue::String(s.clone()),
        ("list" | "map" | "document" | "blob" | "timestamp", _) | ("", _) => return None,
        (kind, value) => {
            diagnostics.error(
                path,
                format!("a default of {} does not fit a shape of type {kind}", quoted(value)),
            );
            return None;
        }
    };
    let zero = matches!(value, DefaultValue::Bool(false) | DefaultValue::Integer(0))
        || value == DefaultValue::Float(0.0)
        || value == DefaultValue::String(String::new());
    (!zero).then_some(value)
}
