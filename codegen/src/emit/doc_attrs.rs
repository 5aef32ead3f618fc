//! Rustdoc attributes for generated items, from the model's HTML documentation.

use crate::docs::{doc_lines, html_to_markdown};
use crate::ir::{Deprecation, Shape};
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for the model's docs (Markdown, converted at lowering), or `fallback` when the model
/// says nothing, so that every public item is documented.
pub fn docs(markdown: Option<&str>, fallback: &str) -> TokenStream {
    lines(markdown.unwrap_or(fallback))
}

/// A named type's docs, with a closing note when the model deprecates the shape. (Not `#[deprecated]`: the
/// crate's own serde and builder code would warn on every use of the type.)
pub fn shape_docs(shape: &Shape, kind: &str) -> TokenStream {
    let main = docs(shape.docs.as_deref(), &format!("The `{}` {kind}.", shape.wire_name));
    let note = shape.deprecated.as_ref().map(|d| {
        let reason = d.message.as_deref().unwrap_or_default();
        let note = lines(&format!("**Deprecated.** {reason}"));
        quote!(#[doc = ""] #note)
    });
    quote!(#main #note)
}

/// Markdown for a plain-text sentence (a service name may hold `[`, `<` or backticks), escaped by the same
/// converter as model docs.
pub fn plain_text(text: &str) -> String {
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    html_to_markdown(&format!("<p>{escaped}</p>"))
}

/// `#[doc = "..."]` lines for Markdown text.
pub fn lines(markdown: &str) -> TokenStream {
    let lines = attribute_lines(markdown);
    quote!(#(#[doc = #lines])*)
}

/// Inner `#![doc = "..."]` lines, for module and crate roots.
pub fn inner_docs(markdown: Option<&str>, fallback: &str) -> TokenStream {
    let lines = attribute_lines(markdown.unwrap_or(fallback));
    quote!(#(#![doc = #lines])*)
}

/// Doc lines as attribute values: a leading space, as `///` would give, except on blank lines.
fn attribute_lines(markdown: &str) -> impl Iterator<Item = String> {
    doc_lines(markdown)
        .into_iter()
        .map(|line| if line.is_empty() { line } else { format!(" {line}") })
}

/// `#[deprecated]` with the model's message, for accessors, setters and client methods.
pub fn deprecated(deprecation: Option<&Deprecation>) -> TokenStream {
    match deprecation {
        Some(Deprecation { message: Some(message) }) => {
            quote!(#[deprecated(note = #message)])
        }
        Some(Deprecation { message: None }) => quote!(#[deprecated]),
        None => TokenStream::new(),
    }
}
