//! The symbol table: every name the emitters print beyond the type, member, variant and operation names the
//! earlier passes decided (builders, error enums and their variants, fluent builders, `set_`/`get_`/`as_`/`is_`
//! methods, private modules, module paths and files), recorded in the IR from [`naming`]'s functions. Each name
//! is checked once here, so an emitter never meets a string that is not an identifier.

use super::is_named_type;
use crate::diagnostics::Diagnostics;
use crate::ir::*;
use crate::naming;
use std::collections::BTreeMap;

/// Records every derived name in the IR and reports any name that is not an identifier (a generator bug: the
/// names come from [`naming`]). Runs last, after [`assign_unique_names`](super::assign_unique_names).
pub fn record_symbols(service: &mut Service, diagnostics: &mut Diagnostics) {
    shape_symbols(service);
    operation_symbols(service);
    waiter_symbols(service);
    check_identifiers(service, diagnostics);
}

/// `crate::waiters::<module>`: one module per waiter, named from the waiter (distinct after snake case).
fn waiter_symbols(service: &mut Service) {
    let modules = naming::disambiguate(
        service.waiters.iter().map(|w| naming::module_name(&w.name)).collect(),
        &[],
    );
    for (waiter, module) in service.waiters.iter_mut().zip(modules) {
        waiter.symbols = WaiterSymbols {
            method: naming::waiter_method(&module),
            fluent_builder: naming::operation_item(&waiter.name, "FluentBuilder"),
            final_poll: naming::operation_item(&waiter.name, "FinalPoll"),
            error: naming::waiter_error(&waiter.name),
            file: format!("src/waiters/{module}.rs"),
            module,
        };
    }
}

/// `["crate", "types"]`, `["crate", "types", "error"]`, `["crate", "operation", "<op>"]`.
fn module_path(location: &Location) -> Vec<String> {
    let mut path = vec!["crate".to_owned()];
    match location {
        Location::Types => path.push("types".to_owned()),
        Location::Errors => path.extend(["types".to_owned(), "error".to_owned()]),
        Location::Operation(module) => path.extend(["operation".to_owned(), module.clone()]),
    }
    path
}

/// `src/types`, `src/types/error`, `src/operation/<op>`: where a location's module lives, from its path.
pub fn location_dir(location: &Location) -> String {
    let path = module_path(location);
    format!("src/{}", path.get(1..).unwrap_or_default().join("/"))
}

fn shape_symbols(service: &mut Service) {
    // Private modules: per location, in name order, as `naming::shape_modules` expects.
    let mut by_location: BTreeMap<Location, Vec<usize>> = BTreeMap::new();
    for (index, shape) in service.shapes.iter().enumerate() {
        if is_named_type(&shape.kind) {
            by_location.entry(shape.location.clone()).or_default().push(index);
        }
    }
    let mut private_modules: BTreeMap<usize, (String, String)> = BTreeMap::new();
    for (location, mut indices) in by_location {
        if let Location::Operation(_) = location {
            continue;
        }
        let dir = location_dir(&location);
        indices.sort_by(|a, b| name_of(service, *a).cmp(name_of(service, *b)));
        let names: Vec<&str> = indices.iter().map(|i| name_of(service, *i)).collect();
        for (index, module) in indices.iter().zip(naming::shape_modules(&names)) {
            let file = format!("{dir}/{module}.rs");
            private_modules.insert(*index, (module, file));
        }
    }
    for (index, shape) in service.shapes.iter_mut().enumerate() {
        if !is_named_type(&shape.kind) {
            continue;
        }
        let (private_module, file) = match (&shape.location, private_modules.remove(&index)) {
            (Location::Operation(_), _) => (None, format!("{}.rs", location_dir(&shape.location))),
            (_, Some((module, file))) => (Some(module), file),
            (_, None) => (None, String::new()),
        };
        shape.symbols = ShapeSymbols {
            module_path: module_path(&shape.location),
            private_module,
            file,
            builder: match shape.kind {
                ShapeKind::Structure(_) => naming::builder_name(&shape.rust_name),
                _ => String::new(),
            },
        };
        match &mut shape.kind {
            ShapeKind::Structure(s) => {
                for member in &mut s.members {
                    member.symbols = MemberSymbols {
                        setter: naming::prefixed_name("set", &member.rust_name),
                        getter: naming::prefixed_name("get", &member.rust_name),
                        ..MemberSymbols::default()
                    };
                }
            }
            ShapeKind::Union(s) => {
                for member in &mut s.members {
                    member.symbols = MemberSymbols {
                        as_variant: naming::variant_helper("as", &member.rust_name),
                        is_variant: naming::variant_helper("is", &member.rust_name),
                        ..MemberSymbols::default()
                    };
                }
            }
            _ => {}
        }
    }
}

fn name_of(service: &Service, index: usize) -> &str {
    service.shapes.get(index).map_or("", |shape| shape.rust_name.as_str())
}

fn operation_symbols(service: &mut Service) {
    let mut operations = std::mem::take(&mut service.operations);
    for op in &mut operations {
        // `Unhandled` is the catch-all's name; exceptions keep theirs otherwise.
        let errors: Vec<String> = op
            .errors
            .iter()
            .map(|id| service.get_shape(*id).map(|s| s.rust_name.clone()).unwrap_or_default())
            .collect();
        let error_variants = naming::disambiguate(errors, &[naming::UNHANDLED_VARIANT])
            .into_iter()
            .map(|name| ErrorVariant {
                is_helper: naming::variant_helper("is", &name),
                name,
            })
            .collect();
        let location = Location::Operation(op.rust_name.clone());
        op.symbols = OperationSymbols {
            error_enum: naming::operation_item(&op.wire_name, "Error"),
            fluent_builder: naming::operation_item(&op.wire_name, "FluentBuilder"),
            paginator: naming::operation_item(&op.wire_name, "Paginator"),
            paginator_items: naming::operation_item(&op.wire_name, "PaginatorItems"),
            module_path: module_path(&location),
            file: format!("{}.rs", location_dir(&location)),
            error_variants,
        };
    }
    service.operations = operations;
}

/// Every name an emitter prints as an identifier must be one.
fn check_identifiers(service: &Service, diagnostics: &mut Diagnostics) {
    let mut check = |path: &str, what: &str, name: &str| {
        if !naming::is_identifier(name) {
            diagnostics.error(
                path,
                format!("generator bug: the {what} `{name}` is not a Rust identifier"),
            );
        }
    };
    for shape in &service.shapes {
        if !is_named_type(&shape.kind) {
            continue;
        }
        let path = &shape.json_path;
        check(path, "type name", &shape.rust_name);
        for segment in &shape.symbols.module_path {
            if !naming::is_path_segment(segment) {
                check(path, "module", segment);
            }
        }
        if let Some(module) = &shape.symbols.private_module {
            check(path, "module", module);
        }
        match &shape.kind {
            ShapeKind::Structure(s) => {
                check(path, "builder name", &shape.symbols.builder);
                for m in &s.members {
                    check(&m.json_path, "member name", &m.rust_name);
                    check(&m.json_path, "setter name", &m.symbols.setter);
                    check(&m.json_path, "getter name", &m.symbols.getter);
                }
            }
            ShapeKind::Union(s) => {
                for m in &s.members {
                    check(&m.json_path, "variant name", &m.rust_name);
                    check(&m.json_path, "helper name", &m.symbols.as_variant);
                    check(&m.json_path, "helper name", &m.symbols.is_variant);
                }
            }
            ShapeKind::Enum { values, .. } => {
                for v in values {
                    check(path, "variant name", &v.rust_name);
                }
            }
            _ => {}
        }
    }
    for waiter in &service.waiters {
        let (path, symbols) = (&waiter.json_path, &waiter.symbols);
        check(path, "waiter module", &symbols.module);
        check(path, "waiter method", &symbols.method);
        check(path, "fluent builder name", &symbols.fluent_builder);
        check(path, "type name", &symbols.final_poll);
        check(path, "type name", &symbols.error);
    }
    for op in &service.operations {
        let path = &op.json_path;
        check(path, "operation module", &op.rust_name);
        check(path, "error enum name", &op.symbols.error_enum);
        check(path, "fluent builder name", &op.symbols.fluent_builder);
        check(path, "paginator name", &op.symbols.paginator);
        check(path, "paginator name", &op.symbols.paginator_items);
        for variant in &op.symbols.error_variants {
            check(path, "error variant", &variant.name);
            check(path, "helper name", &variant.is_helper);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service() -> Service {
        let model = json!({
            "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T", "endpointPrefix": "t",
                         "apiVersion": "2024-01-01"},
            "operations": {"GetThing": {"input": {"shape": "Thing"}, "output": {"shape": "Out"},
                                        "errors": [{"shape": "Unhandled"}]}},
            "shapes": {
                "Thing": {"type": "structure", "members": {"type": {"shape": "Choice"}}},
                "Choice": {"type": "structure", "union": true, "members": {"ipv4": {"shape": "S"}}},
                "Out": {"type": "structure", "members": {"RequestId": {"shape": "S"}, "thing": {"shape": "Thing"}}},
                "Unhandled": {"type": "structure", "exception": true, "members": {}},
                "S": {"type": "string"},
            },
        });
        let (service, diagnostics) =
            crate::load(&crate::frontend::ModelInput::new(model.to_string().into_bytes()), None).unwrap();
        assert!(!diagnostics.has_errors(), "{diagnostics}");
        service
    }

    #[test]
    fn derived_names_are_recorded() {
        let service = service();
        let op = &service.operations[0];
        assert_eq!(op.symbols.error_enum, "GetThingError");
        assert_eq!(op.symbols.fluent_builder, "GetThingFluentBuilder");
        assert_eq!(op.symbols.paginator, "GetThingPaginator");
        assert_eq!(op.symbols.paginator_items, "GetThingPaginatorItems");
        assert_eq!(op.symbols.file, "src/operation/get_thing.rs");
        assert_eq!(op.symbols.error_variants[0].name, "UnhandledValue");
        assert_eq!(op.symbols.error_variants[0].is_helper, "is_unhandled_value");
        let thing = service.shapes.iter().find(|s| s.rust_name == "Thing").unwrap();
        assert_eq!(thing.symbols.builder, "ThingBuilder");
        assert_eq!(thing.symbols.module_path, ["crate", "types"]);
        assert_eq!(thing.symbols.private_module.as_deref(), Some("_thing"));
        assert_eq!(thing.symbols.file, "src/types/_thing.rs");
        let ShapeKind::Structure(s) = &thing.kind else { panic!() };
        assert_eq!(
            (
                s.members[0].symbols.setter.as_str(),
                s.members[0].symbols.getter.as_str()
            ),
            ("set_type", "get_type")
        );
        let choice = service.shapes.iter().find(|s| s.rust_name == "Choice").unwrap();
        let ShapeKind::Union(u) = &choice.kind else { panic!() };
        assert_eq!(u.members[0].symbols.is_variant, "is_ipv4");
        let input = service.shape(op.input);
        assert_eq!(input.symbols.module_path, ["crate", "operation", "get_thing"]);
        assert_eq!(input.symbols.private_module, None);
        // The output's `RequestId` member would shadow `RequestId::request_id`.
        let ShapeKind::Structure(out) = &service.shape(op.output).kind else {
            panic!()
        };
        assert_eq!(out.members[0].rust_name, "request_id_value");
    }

    #[test]
    fn a_name_that_is_not_an_identifier_is_reported() {
        let mut service = service();
        service.operations[0].symbols.error_enum = "Get-Error".to_owned();
        let mut diagnostics = Diagnostics::default();
        check_identifiers(&service, &mut diagnostics);
        assert!(
            diagnostics
                .to_string()
                .contains("generator bug: the error enum name `Get-Error` is not a Rust identifier"),
            "{diagnostics}"
        );
    }
}
