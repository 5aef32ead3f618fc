//! The facts on which a service's two lowered IRs (from its Smithy model and from its botocore model) may
//! differ, each with why, and the reconciliation that gives the Smithy IR botocore's value for each listed fact.
//!
//! After reconciliation the two IRs must generate byte-identical crates: a fact that differs and is not in
//! [`KINDS`], or that [`reconcile`] does not see, shows up as a file that differs.

use codegen::ir::*;
use std::collections::{BTreeMap, BTreeSet};

/// Each kind of difference, and the one-line reason it exists (which fact one of the two JSON forms cannot
/// express, or where the two files were edited apart).
pub const KINDS: &[(&str, &str)] = &[
    (
        "default",
        "a non-zero Smithy @default (botocore's JSON has no default values, only `box`)",
    ),
    (
        "nullability",
        "Smithy 2.0 nullability (@default, @clientOptional) and botocore's `box` (Smithy 1.0's) disagree",
    ),
    ("errors", "the two files list different errors for an operation"),
    ("docs", "the two files carry different documentation text"),
    (
        "error-code",
        "an exception's aws.protocols#awsQueryError code, which botocore's JSON (this release) does not carry",
    ),
    (
        "member-order",
        "a structure lists its members in a different order in the two files",
    ),
    (
        "union",
        "a shape is a Smithy union that botocore's JSON spells as a plain structure",
    ),
    (
        "members",
        "a structure has members in one file that the other lacks (botocore drops exceptions' `message`, which the passes add back)",
    ),
    ("deprecated", "the two files deprecate different things"),
    (
        "endpoint-rules",
        "botocore's endpoint-rule-set-1.json is not the rule set in the Smithy model's smithy.rules#endpointRuleSet",
    ),
    (
        "constraints",
        "the two files constrain a shape differently (mostly botocore's patterns, which drop Smithy's `^`/`$` anchors)",
    ),
    (
        "metadata",
        "botocore's metadata differ from what the service shape says (e.g. a `targetPrefix` that is not its name)",
    ),
    (
        "paginators",
        "botocore's paginators-1.json and the Smithy @paginated traits page an operation differently (or only one pages it)",
    ),
    (
        "waiters",
        "botocore's waiters-2.json and smithy.waiters#waitable differ (waiters-2.json has no maxDelay; descriptions are plain text there)",
    ),
];

/// One difference: its kind (a key of [`KINDS`]) and what it is about (`Shape`, `Shape.member`, `Operation`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    pub kind: &'static str,
    pub subject: String,
}

/// Compares the Smithy IR with the botocore IR of the same service, gives the Smithy IR botocore's value for
/// every fact that differs, and returns those differences (sorted).
pub fn reconcile(smithy: &mut Service, botocore: &Service) -> Vec<Difference> {
    let mut differences = BTreeSet::new();
    let mut note = |kind: &'static str, subject: String| {
        differences.insert(Difference { kind, subject });
    };
    if smithy.metadata != botocore.metadata {
        note("metadata", "service".to_owned());
        smithy.metadata = botocore.metadata.clone();
    }
    if smithy.docs != botocore.docs {
        note("docs", "service".to_owned());
        smithy.docs = botocore.docs.clone();
    }
    if smithy.endpoint_rules != botocore.endpoint_rules {
        note("endpoint-rules", "service".to_owned());
        smithy.endpoint_rules = botocore.endpoint_rules.clone();
    }
    let boto_names: BTreeMap<&str, usize> = botocore
        .shapes
        .iter()
        .enumerate()
        .map(|(i, s)| (s.wire_name.as_str(), i))
        .collect();
    let smithy_names: Vec<String> = smithy.shapes.iter().map(|s| s.wire_name.clone()).collect();
    fn name_of(service: &Service, id: ShapeId) -> Option<String> {
        service.get_shape(id).map(|s| s.wire_name.clone())
    }
    let mut imported = Vec::new();
    for index in 0..smithy.shapes.len() {
        let Some(theirs) = boto_names
            .get(smithy_names[index].as_str())
            .map(|&i| &botocore.shapes[i])
        else {
            continue;
        };
        let ours = &mut smithy.shapes[index];
        let name = ours.wire_name.clone();
        if ours.docs != theirs.docs {
            note("docs", name.clone());
            ours.docs = theirs.docs.clone();
        }
        if ours.deprecated != theirs.deprecated {
            note("deprecated", name.clone());
            ours.deprecated = theirs.deprecated.clone();
        }
        if let (ShapeKind::Union(members), ShapeKind::Structure(_)) = (&ours.kind, &theirs.kind) {
            note("union", name.clone());
            ours.kind = ShapeKind::Structure(members.clone());
        }
        let same_constraints = match (&mut ours.kind, &theirs.kind) {
            (ShapeKind::Structure(ours), ShapeKind::Structure(theirs))
            | (ShapeKind::Union(ours), ShapeKind::Union(theirs)) => {
                let known = |name: &str| theirs.members.iter().any(|m| m.wire_name == name);
                for member in ours.members.iter().filter(|m| !known(&m.wire_name)) {
                    note("members", format!("{name}.{}", member.wire_name));
                }
                for member in theirs.members.iter() {
                    if !ours.members.iter().any(|m| m.wire_name == member.wire_name) {
                        note("members", format!("{name}.{}", member.wire_name));
                        let target = name_of(botocore, member.target)
                            .and_then(|target| smithy_names.iter().position(|n| *n == target))
                            .or_else(|| {
                                // A shape only botocore has: taken over when it refers to no other shape.
                                let shape = botocore.get_shape(member.target)?;
                                if let Some(i) = imported.iter().position(|s: &Shape| s.wire_name == shape.wire_name) {
                                    return Some(smithy_names.len() + i);
                                }
                                codegen::passes::references(&shape.kind).is_empty().then(|| {
                                    imported.push(shape.clone());
                                    smithy_names.len() + imported.len() - 1
                                })
                            });
                        if let Some(target) = target {
                            ours.members.push(Member {
                                target: ShapeId(target),
                                ..member.clone()
                            });
                        }
                    }
                }
                ours.members.retain(|m| known(&m.wire_name));
                let position = |m: &Member| theirs.members.iter().position(|t| t.wire_name == m.wire_name);
                if !ours.members.is_sorted_by_key(position) {
                    note("member-order", name.clone());
                    ours.members.sort_by_key(position);
                }
                if let (Some(our_error), Some(their_error)) = (&mut ours.error, &theirs.error) {
                    if our_error.code != their_error.code {
                        note("error-code", name.clone());
                        our_error.code = their_error.code.clone();
                    }
                }
                for member in &mut ours.members {
                    let Some(other) = theirs.members.iter().find(|m| m.wire_name == member.wire_name) else {
                        continue;
                    };
                    let subject = format!("{name}.{}", member.wire_name);
                    if member.default.is_some() {
                        note("default", subject.clone());
                        member.default = None;
                    }
                    if member.nullable != other.nullable {
                        note("nullability", subject.clone());
                        member.nullable = other.nullable;
                    }
                    if member.docs != other.docs {
                        note("docs", subject.clone());
                        member.docs = other.docs.clone();
                    }
                    if member.deprecated != other.deprecated {
                        note("deprecated", subject.clone());
                        member.deprecated = other.deprecated.clone();
                    }
                }
                true
            }
            (ours, theirs) => {
                let same = constraints(ours) == constraints(theirs);
                if !same {
                    take_constraints(ours, theirs);
                }
                same
            }
        };
        if !same_constraints {
            note("constraints", name.clone());
        }
    }
    smithy.shapes.extend(imported);
    // Members' targets may be shapes botocore names differently (its synthesized constraint shapes): compare
    // what they constrain.
    let smithy_snapshot = smithy.clone();
    let mut copies = Vec::new();
    // Pairs of shapes to compare: those of the same name, and lists and maps a member of such a pair refers to
    // under another name (Smithy renames shapes whose names differ only in case: `eventTypeList2`).
    let mut pairs: Vec<(usize, usize)> = (0..smithy.shapes.len())
        .filter_map(|i| Some((i, *boto_names.get(smithy.shapes[i].wire_name.as_str())?)))
        .collect();
    let mut renamed = Vec::new();
    for &(ours, theirs) in &pairs {
        let mut kind = smithy.shapes[ours].kind.clone();
        for (_, our_target, their_target) in slots(&mut kind, &botocore.shapes[theirs].kind) {
            let (Some(a), Some(b)) = (smithy.get_shape(*our_target), botocore.get_shape(their_target)) else {
                continue;
            };
            let container = |k: &ShapeKind| matches!(k, ShapeKind::List { .. } | ShapeKind::Map { .. });
            if a.wire_name != b.wire_name && container(&a.kind) && container(&b.kind) {
                renamed.push((our_target.0, their_target.0));
            }
        }
    }
    pairs.extend(renamed);
    pairs.sort();
    pairs.dedup();
    for (index, theirs) in pairs {
        let shape = &mut smithy.shapes[index];
        let name = shape.wire_name.clone();
        let theirs = &botocore.shapes[theirs];
        for (slot, ours, theirs) in slots(&mut shape.kind, &theirs.kind) {
            let (Some(our_target), Some(their_target)) = (smithy_snapshot.get_shape(*ours), botocore.get_shape(theirs))
            else {
                continue;
            };
            let scalar = |s: &Shape| {
                codegen::passes::references(&s.kind).is_empty()
                    && !matches!(s.kind, ShapeKind::Structure(_) | ShapeKind::Union(_))
            };
            if scalar(our_target)
                && scalar(their_target)
                && constraints(&our_target.kind) != constraints(&their_target.kind)
            {
                note("constraints", format!("{name}.{slot}"));
                let mut copy = our_target.clone();
                take_constraints(&mut copy.kind, &their_target.kind);
                *ours = ShapeId(smithy_snapshot.shapes.len() + copies.len());
                copies.push(copy);
            }
        }
    }
    smithy.shapes.extend(copies);
    let boto_ops: BTreeMap<&str, &Operation> = botocore.operations.iter().map(|o| (o.wire_name.as_str(), o)).collect();
    for op in &mut smithy.operations {
        let Some(theirs) = boto_ops.get(op.wire_name.as_str()) else {
            continue;
        };
        let name = op.wire_name.clone();
        let ours_errors: Vec<Option<String>> = op.errors.iter().map(|e| name_of(&smithy_snapshot, *e)).collect();
        let their_errors: Vec<Option<String>> = theirs.errors.iter().map(|e| name_of(botocore, *e)).collect();
        // The order is not a fact of either model: the passes sort each operation's errors by name.
        let set = |errors: &[Option<String>]| errors.iter().cloned().collect::<BTreeSet<_>>();
        if set(&ours_errors) != set(&their_errors) {
            note("errors", name.clone());
            op.errors = theirs
                .errors
                .iter()
                .filter_map(|e| {
                    let error = name_of(botocore, *e)?;
                    Some(ShapeId(smithy_names.iter().position(|n| *n == error)?))
                })
                .collect();
        }
        if op.docs != theirs.docs {
            note("docs", name.clone());
            op.docs = theirs.docs.clone();
        }
        if op.deprecated != theirs.deprecated {
            note("deprecated", name.clone());
            op.deprecated = theirs.deprecated.clone();
        }
        // Where each file said it is no fact of the service.
        let unplaced = |paginator: &Option<Paginator>| {
            paginator.clone().map(|p| Paginator {
                json_path: String::new(),
                ..p
            })
        };
        if unplaced(&op.paginator) != unplaced(&theirs.paginator) {
            note("paginators", name.clone());
            op.paginator = theirs.paginator.clone();
        }
    }
    let unplaced = |waiter: &Waiter| Waiter {
        json_path: String::new(),
        ..waiter.clone()
    };
    let their_waiters: BTreeMap<&str, &Waiter> = botocore.waiters.iter().map(|w| (w.name.as_str(), w)).collect();
    let our_waiters: BTreeSet<String> = smithy.waiters.iter().map(|w| w.name.clone()).collect();
    for name in their_waiters.keys().filter(|name| !our_waiters.contains(**name)) {
        note("waiters", (*name).to_owned());
    }
    for waiter in &smithy.waiters {
        if their_waiters.get(waiter.name.as_str()).map(|theirs| unplaced(theirs)) != Some(unplaced(waiter)) {
            note("waiters", waiter.name.clone());
        }
    }
    if smithy
        .waiters
        .iter()
        .map(unplaced)
        .ne(botocore.waiters.iter().map(unplaced))
    {
        smithy.waiters = botocore.waiters.clone();
    }
    differences.into_iter().collect()
}

/// What a non-structure shape constrains and how it is typed, for comparison across the two IRs.
fn constraints(kind: &ShapeKind) -> String {
    match kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => "structure".to_owned(),
        ShapeKind::List { length, .. } => format!("list {length:?}"),
        ShapeKind::Map { length, .. } => format!("map {length:?}"),
        other => format!("{other:?}"),
    }
}

/// Gives `ours` the constraints of `theirs` (same kind), keeping its own shape ids.
fn take_constraints(ours: &mut ShapeKind, theirs: &ShapeKind) {
    match (ours, theirs) {
        (ShapeKind::List { length, .. }, ShapeKind::List { length: other, .. })
        | (ShapeKind::Map { length, .. }, ShapeKind::Map { length: other, .. }) => *length = *other,
        (ours, theirs) if std::mem::discriminant(ours) == std::mem::discriminant(theirs) => *ours = theirs.clone(),
        _ => {}
    }
}

/// The references of a shape matched with the other IR's: structure and union members by name, a list's
/// element, a map's key and value (slot name, our target to adjust, theirs).
fn slots<'a>(ours: &'a mut ShapeKind, theirs: &ShapeKind) -> Vec<(String, &'a mut ShapeId, ShapeId)> {
    match (ours, theirs) {
        (
            ShapeKind::Structure(ours) | ShapeKind::Union(ours),
            ShapeKind::Structure(theirs) | ShapeKind::Union(theirs),
        ) => ours
            .members
            .iter_mut()
            .filter_map(|m| {
                let other = theirs.members.iter().find(|t| t.wire_name == m.wire_name)?;
                Some((m.wire_name.clone(), &mut m.target, other.target))
            })
            .collect(),
        (ShapeKind::List { member, .. }, ShapeKind::List { member: other, .. }) => {
            vec![("member".to_owned(), member, *other)]
        }
        (ShapeKind::Map { key, value, .. }, ShapeKind::Map { key: k, value: v, .. }) => {
            vec![("key".to_owned(), key, *k), ("value".to_owned(), value, *v)]
        }
        _ => Vec::new(),
    }
}
