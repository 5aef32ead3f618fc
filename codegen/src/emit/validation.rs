//! Client-side validation, as botocore does before sending: required members, lengths (in Unicode code points),
//! ranges, patterns, list and map sizes, and host labels (values that become part of the endpoint's hostname).
//! Every violation is collected with the JSON path of the member.
//!
//! Only shapes the validation pass marked (`Shape::validated`) get a `validate_with`.

use super::{paths, Role};
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `validate()` for operation inputs, and `validate_with()` for any structure that has checks.
pub fn structure_validation(service: &Service, shape: &Shape, structure: &Structure, role: Role) -> TokenStream {
    let name = ident(&shape.rust_name);
    let (validator_type, validation_errors) = (paths::validator(), paths::validation_errors());
    let needs_checks = shape.validated;
    let validate = (role == Role::Input).then(|| {
        let body = if needs_checks {
            quote! {
                let mut validator = #validator_type::new();
                self.validate_with(&mut validator);
                validator.finish()
            }
        } else {
            quote!(::std::result::Result::Ok(()))
        };
        quote! {
            /// Checks the input against the model's constraints (required members, lengths, ranges, patterns,
            /// list and map sizes, host labels) without sending anything; every violation names the member's path.
            pub fn validate(&self) -> ::std::result::Result<(), #validation_errors> {
                #body
            }
        }
    });
    let validate_with = needs_checks.then(|| {
        let members = structure
            .members
            .iter()
            .filter(|m| m.required || m.host_label || service.shape(m.target).validated)
            .map(|m| {
                let (field, wire) = (ident(&m.rust_name), &m.wire_name);
                // Enums hold their wire string; `as_str` gives it (also for values the model does not list).
                let host_label_check = m.host_label.then(|| match &service.shape(m.target).kind {
                    ShapeKind::Enum { .. } => quote!(validator.check_host_label(value.as_str());),
                    _ => quote!(validator.check_host_label(value);),
                });
                let value_checks = value_checks(service, m.target, &quote!(value), 0);
                let value_checks = quote!(#host_label_check #value_checks);
                let missing = m.required.then(|| {
                    quote! {
                        validator.enter_field(#wire);
                        validator.missing();
                        validator.leave();
                    }
                });
                if value_checks.is_empty() {
                    return quote! {
                        if self.#field.is_none() {
                            #missing
                        }
                    };
                }
                let missing = missing.map(|missing| quote!(else { #missing }));
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#field {
                        validator.enter_field(#wire);
                        #value_checks
                        validator.leave();
                    } #missing
                }
            });
        quote! {
            /// Adds this value's violations to `validator`, under the path it has entered.
            #[doc(hidden)]
            pub fn validate_with(&self, validator: &mut #validator_type) {
                #(#members)*
            }
        }
    });
    if validate.is_none() && validate_with.is_none() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #validate
            #validate_with
        }
    }
}

pub fn union_validation(service: &Service, shape: &Shape, structure: &Structure) -> TokenStream {
    if !shape.validated {
        return TokenStream::new();
    }
    let name = ident(&shape.rust_name);
    let validator_type = paths::validator();
    let arms: Vec<(TokenStream, TokenStream)> = structure
        .members
        .iter()
        .filter(|m| service.shape(m.target).validated)
        .map(|m| {
            let (variant, wire) = (ident(&m.rust_name), &m.wire_name);
            let value_checks = value_checks(service, m.target, &quote!(value), 0);
            let body = quote! {
                validator.enter_field(#wire);
                #value_checks
                validator.leave();
            };
            (quote!(Self::#variant(value)), body)
        })
        .collect();
    // `if let` for a single checked member: clippy's `single_match` rejects a one-arm `match`.
    let checks = match arms.as_slice() {
        [(pattern, body)] => quote!(if let #pattern = self { #body }),
        arms => {
            let arms = arms.iter().map(|(pattern, body)| quote!(#pattern => { #body }));
            quote! {
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        impl #name {
            /// Adds this value's violations to `validator`, under the path it has entered.
            #[doc(hidden)]
            pub fn validate_with(&self, validator: &mut #validator_type) {
                #checks
            }
        }
    }
}

fn bound_i64(bound: Option<f64>) -> TokenStream {
    match bound {
        Some(b) => {
            let literal = Literal::i64_suffixed(b as i64);
            quote!(::std::option::Option::Some(#literal))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn bound_f64(bound: Option<f64>) -> TokenStream {
    match bound {
        Some(b) => {
            let literal = Literal::f64_suffixed(b);
            quote!(::std::option::Option::Some(#literal))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// Checks on `value` (an expression of type `&T` for the shape `id`).
fn value_checks(service: &Service, id: ShapeId, value: &TokenStream, depth: usize) -> TokenStream {
    if !service.shape(id).validated {
        return TokenStream::new();
    }
    match &service.shape(id).kind {
        ShapeKind::String { length, pattern, .. } => {
            let length_check = length.is_constrained().then(|| {
                let (min, max) = (bound_i64(length.min), bound_i64(length.max));
                quote!(validator.check_length(#value, #min, #max);)
            });
            let pattern_check = pattern.as_ref().map(|p| quote!(validator.check_pattern(#value, #p);));
            quote!(#length_check #pattern_check)
        }
        ShapeKind::Blob { length } => {
            let (min, max) = (bound_i64(length.min), bound_i64(length.max));
            quote!(validator.check_blob_length(::std::convert::AsRef::<[u8]>::as_ref(#value), #min, #max);)
        }
        ShapeKind::Integer { range } => {
            let (min, max) = (bound_f64(range.min), bound_f64(range.max));
            quote!(validator.check_range_i64(i64::from(*#value), #min, #max);)
        }
        ShapeKind::Long { range } => {
            let (min, max) = (bound_f64(range.min), bound_f64(range.max));
            quote!(validator.check_range_i64(*#value, #min, #max);)
        }
        ShapeKind::Float { range } => {
            let (min, max) = (bound_f64(range.min), bound_f64(range.max));
            quote!(validator.check_range_f64(f64::from(*#value), #min, #max);)
        }
        ShapeKind::Double { range } => {
            let (min, max) = (bound_f64(range.min), bound_f64(range.max));
            quote!(validator.check_range_f64(*#value, #min, #max);)
        }
        ShapeKind::List { member, length } => {
            let count = length.is_constrained().then(|| {
                let (min, max) = (bound_i64(length.min), bound_i64(length.max));
                quote!(validator.check_count(#value.len(), #min, #max);)
            });
            let (index, item) = (format_ident!("index{depth}"), format_ident!("item{depth}"));
            let items = service.shape(*member).validated.then(|| {
                let inner = value_checks(service, *member, &quote!(#item), depth + 1);
                quote! {
                    for (#index, #item) in #value.iter().enumerate() {
                        validator.enter_index(#index);
                        #inner
                        validator.leave();
                    }
                }
            });
            quote!(#count #items)
        }
        ShapeKind::Map {
            key,
            value: map_value,
            length,
        } => {
            let count = length.is_constrained().then(|| {
                let (min, max) = (bound_i64(length.min), bound_i64(length.max));
                quote!(validator.check_count(#value.len(), #min, #max);)
            });
            let (entries, key_var, item) = (
                format_ident!("entries{depth}"),
                format_ident!("key{depth}"),
                format_ident!("item{depth}"),
            );
            let items = (service.shape(*key).validated || service.shape(*map_value).validated).then(|| {
                let key_checks = value_checks(service, *key, &quote!(#key_var), depth + 1);
                let value_checks = value_checks(service, *map_value, &quote!(#item), depth + 1);
                let item_pattern = if value_checks.is_empty() {
                    quote!(_)
                } else {
                    quote!(#item)
                };
                // Sorted, so that violations come out in the same order on every run.
                quote! {
                    let mut #entries: ::std::vec::Vec<_> = #value.iter().collect();
                    #entries.sort_unstable_by_key(|entry| entry.0);
                    for (#key_var, #item_pattern) in #entries {
                        validator.enter_key(#key_var.as_str());
                        #key_checks
                        #value_checks
                        validator.leave();
                    }
                }
            });
            quote!(#count #items)
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) => quote!(#value.validate_with(validator);),
        ShapeKind::Enum { .. } | ShapeKind::Boolean | ShapeKind::Timestamp { .. } | ShapeKind::Document => {
            TokenStream::new()
        }
    }
}
