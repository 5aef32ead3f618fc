//! The one table of paths to items outside the generated crate that emitters compose into types.
//!
//! Generated code names std, serde and runtime items by absolute path only (`::std::string::String`), so a
//! model shape called `Option`, `Result`, `String` or `Box` (all legal in AWS models) can never shadow them.
//! Fixed code in `quote!` blocks follows the same rule and writes the absolute path inline.

use proc_macro2::TokenStream;
use quote::quote;

pub fn option() -> TokenStream {
    quote!(::std::option::Option)
}
pub fn string() -> TokenStream {
    quote!(::std::string::String)
}
pub fn vec() -> TokenStream {
    quote!(::std::vec::Vec)
}
pub fn boxed() -> TokenStream {
    quote!(::std::boxed::Box)
}
pub fn hash_map() -> TokenStream {
    quote!(::std::collections::HashMap)
}
pub fn blob() -> TokenStream {
    quote!(::awsgen_runtime::Blob)
}
pub fn date_time() -> TokenStream {
    quote!(::awsgen_runtime::DateTime)
}
pub fn document() -> TokenStream {
    quote!(::awsgen_runtime::Document)
}

/// The `#[serde(crate = ...)]` string: derives reach serde through the runtime's re-export, so a generated
/// crate needs the runtime as its only dependency.
pub const SERDE_CRATE: &str = "::awsgen_runtime::serde";
