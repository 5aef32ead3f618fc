//! Recursion boxing: the members that would give a type infinite size are `Box`ed.

use crate::ir::*;

/// Boxes a structure or union member when its target can reach the containing shape again without passing
/// through a list or map (which already put their elements on the heap).
pub fn box_recursion(service: &mut Service) {
    // Target reaches container <=> both lie in one strongly connected component of the inline-member graph
    // (the member itself is the edge back), so one SCC pass decides every member, in linear time.
    let edges: Vec<Vec<usize>> = service
        .shapes
        .iter()
        .map(|shape| match &shape.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter().map(|m| m.target.0).collect(),
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected_components(&edges);
    for (index, shape) in service.shapes.iter_mut().enumerate() {
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shape.kind {
            for member in &mut s.members {
                member.boxed = component.get(member.target.0) == component.get(index);
            }
        }
    }
}

/// Kosaraju's algorithm, iterative (models nest deeply enough to make recursion a stack risk): the component
/// number of each node. Edges to nodes that do not exist are ignored.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNASSIGNED: usize = usize::MAX;
    let n = edges.len();
    // First pass: nodes in order of DFS completion.
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    let mut visit = |node: usize| visited.get_mut(node).is_some_and(|seen| !std::mem::replace(seen, true));
    for start in 0..n {
        if !visit(start) {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&target) = edges.get(node).and_then(|targets| targets.get(next)) {
                stack.push((node, next + 1));
                if visit(target) {
                    stack.push((target, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    // Second pass on the reversed graph, in reverse completion order.
    let mut reversed = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            if let Some(sources) = reversed.get_mut(to) {
                sources.push(from);
            }
        }
    }
    let mut component = vec![UNASSIGNED; n];
    let mut assign = |node: usize, count: usize| match component.get_mut(node) {
        Some(c) if *c == UNASSIGNED => {
            *c = count;
            true
        }
        _ => false,
    };
    let mut count = 0;
    for &start in order.iter().rev() {
        if !assign(start, count) {
            continue;
        }
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &from in reversed.get(node).into_iter().flatten() {
                if assign(from, count) {
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(name: &str, kind: ShapeKind) -> Shape {
        Shape {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            location: Location::Types,
            kind,
            docs: None,
            sensitive: false,
            deprecated: None,
            validated: false,
            decoded: false,
            symbols: ShapeSymbols::default(),
            json_path: format!("/shapes/{name}"),
        }
    }

    fn members(members: &[(&str, usize)]) -> Structure {
        Structure {
            members: members
                .iter()
                .map(|&(name, target)| Member {
                    wire_name: name.to_owned(),
                    rust_name: name.to_owned(),
                    target: ShapeId(target),
                    required: false,
                    nullable: true,
                    boxed: false,
                    sensitive: false,
                    docs: None,
                    deprecated: None,
                    timestamp_format: None,
                    wire_encoding: WireEncoding::Plain,
                    host_label: false,
                    idempotency_token: false,
                    default: None,
                    symbols: MemberSymbols::default(),
                    json_path: String::new(),
                })
                .collect(),
            error: None,
        }
    }

    fn structure(name: &str, fields: &[(&str, usize)]) -> Shape {
        shape(name, ShapeKind::Structure(members(fields)))
    }

    fn union(name: &str, variants: &[(&str, usize)]) -> Shape {
        shape(name, ShapeKind::Union(members(variants)))
    }

    fn list(name: &str, member: usize) -> Shape {
        shape(
            name,
            ShapeKind::List {
                member: ShapeId(member),
                length: Range::default(),
            },
        )
    }

    fn string(name: &str) -> Shape {
        shape(
            name,
            ShapeKind::String {
                length: Range::default(),
                pattern: None,
                json_value: false,
            },
        )
    }

    /// Runs the pass and lists the boxed members as `Shape.member`, in arena and member order.
    fn boxed(shapes: Vec<Shape>) -> Vec<String> {
        let mut service = Service {
            metadata: ServiceMetadata {
                json_version: "1.1".to_owned(),
                target_prefix: "Test".to_owned(),
                endpoint_prefix: "test".to_owned(),
                signing_name: "test".to_owned(),
                service_id: "Test".to_owned(),
                service_full_name: "Test".to_owned(),
                api_version: "2024-01-01".to_owned(),
                query_compatible: false,
            },
            docs: None,
            shapes,
            operations: Vec::new(),
            endpoint_rules: None,
            waiters: Vec::new(),
        };
        box_recursion(&mut service);
        let mut out = Vec::new();
        for shape in &service.shapes {
            if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &shape.kind {
                for member in s.members.iter().filter(|m| m.boxed) {
                    out.push(format!("{}.{}", shape.wire_name, member.wire_name));
                }
            }
        }
        out
    }

    #[test]
    fn a_self_recursive_structure_boxes_the_member_back_to_itself() {
        let shapes = vec![structure("Node", &[("value", 1), ("next", 0)]), string("String")];
        assert_eq!(boxed(shapes), ["Node.next"]);
    }

    #[test]
    fn mutual_recursion_boxes_every_member_on_the_cycle_and_nothing_leading_into_it() {
        let shapes = vec![
            structure("A", &[("b", 1)]),
            structure("B", &[("c", 2), ("leaf", 3)]),
            structure("C", &[("a", 0), ("name", 4)]),
            structure("Leaf", &[("name", 4)]),
            string("String"),
            // Refers into the cycle but is not on it.
            structure("Outside", &[("a", 0)]),
        ];
        assert_eq!(boxed(shapes), ["A.b", "B.c", "C.a"]);
    }

    #[test]
    fn recursion_through_a_list_or_map_is_not_boxed() {
        let shapes = vec![
            structure("Tree", &[("children", 1), ("parent", 0)]),
            list("TreeList", 0),
            structure("Attributes", &[("nested", 3)]),
            shape(
                "AttributeMap",
                ShapeKind::Map {
                    key: ShapeId(4),
                    value: ShapeId(2),
                    length: Range::default(),
                },
            ),
            string("String"),
        ];
        // `parent` comes back directly, `children` only through the list, `nested` only through the map.
        assert_eq!(boxed(shapes), ["Tree.parent"]);
    }

    #[test]
    fn unions_are_boxed_like_structures() {
        let shapes = vec![
            union("Expr", &[("not", 0), ("all", 1), ("literal", 2), ("call", 3)]),
            list("ExprList", 0),
            string("String"),
            structure("Call", &[("name", 2), ("argument", 0)]),
        ];
        assert_eq!(boxed(shapes), ["Expr.not", "Expr.call", "Call.argument"]);
    }

    #[test]
    fn a_deep_chain_back_to_its_start_does_not_overflow_the_stack() {
        let n = 100_000;
        let shapes: Vec<Shape> = (0..n)
            .map(|i| structure(&format!("S{i}"), &[("next", (i + 1) % n)]))
            .collect();
        assert_eq!(boxed(shapes).len(), n);
    }

    #[test]
    fn components_of_a_small_graph() {
        // 0 <-> 1, 1 -> 2, 2 -> 2, 3 -> 0, and an edge to a node that does not exist.
        let edges = vec![vec![1], vec![0, 2], vec![2], vec![0, 99]];
        let c = strongly_connected_components(&edges);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[3], c[2]);
    }
}
