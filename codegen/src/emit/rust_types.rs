//! How IR shapes map to Rust types and module paths.

use super::paths;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// A module path the symbols pass recorded (`["crate", "types"]`) as tokens.
pub fn path_tokens(segments: &[String]) -> TokenStream {
    let segments = segments.iter().map(|segment| ident(segment));
    quote!(#(#segments)::*)
}

/// The public module of a named type: `crate::types`, `crate::types::error` or `crate::operation::<op>`.
pub fn module_path(shape: &Shape) -> TokenStream {
    path_tokens(&shape.symbols.module_path)
}

/// The path of a named type (structure, union, enum).
pub fn type_path(shape: &Shape) -> TokenStream {
    let module = module_path(shape);
    let name = ident(&shape.rust_name);
    quote!(#module::#name)
}

/// The same path as text, for intra-doc links.
pub fn type_path_string(shape: &Shape) -> String {
    format!("{}::{}", shape.symbols.module_path.join("::"), shape.rust_name)
}

/// The path of a structure's builder (`crate::types::builders::TagBuilder`).
pub fn builder_path(shape: &Shape) -> TokenStream {
    let module = module_path(shape);
    let name = builder_ident(shape);
    quote!(#module::builders::#name)
}

/// A structure's builder, as the symbols pass named it (`TagBuilder`).
pub fn builder_ident(shape: &Shape) -> proc_macro2::Ident {
    ident(&shape.symbols.builder)
}

/// The Rust type that holds a value of `id`.
pub fn rust_type(service: &Service, id: ShapeId) -> TokenStream {
    let shape = service.shape(id);
    match &shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum { .. } => type_path(shape),
        ShapeKind::List { member, .. } => {
            let (vec, member) = (paths::vec(), rust_type(service, *member));
            quote!(#vec<#member>)
        }
        ShapeKind::Map { key, value, .. } => {
            let (map, key, value) = (paths::hash_map(), rust_type(service, *key), rust_type(service, *value));
            quote!(#map<#key, #value>)
        }
        ShapeKind::String { .. } => paths::string(),
        ShapeKind::Integer { .. } => quote!(i32),
        ShapeKind::Long { .. } => quote!(i64),
        ShapeKind::Float { .. } => quote!(f32),
        ShapeKind::Double { .. } => quote!(f64),
        ShapeKind::Boolean => quote!(bool),
        ShapeKind::Blob { .. } => paths::blob(),
        ShapeKind::Timestamp { .. } => paths::date_time(),
        ShapeKind::Document => paths::document(),
    }
}

/// The value type of a member, boxed where the recursion pass said so (without the `Option`).
pub fn member_value_type(service: &Service, member: &Member) -> TokenStream {
    let inner = rust_type(service, member.target);
    if member.boxed {
        let boxed = paths::boxed();
        quote!(#boxed<#inner>)
    } else {
        inner
    }
}

/// The field type of a structure member: always `Option`, so that "absent" and "zero" stay distinct on the wire.
pub fn member_field_type(service: &Service, member: &Member) -> TokenStream {
    let (option, value) = (paths::option(), member_value_type(service, member));
    quote!(#option<#value>)
}
