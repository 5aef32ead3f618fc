//! Unions: a Rust enum with one variant per member and an `Unknown` catch-all for members added later.
//!
//! Serde is written out rather than derived: the wire form is an object with one non-null member, where
//! `__type` (sent by some services) and null members must be skipped and an unknown member must not fail.

use super::doc_attrs::{lines, shape_docs};
use super::paths;
use super::rust_types::member_value_type;
use super::structures::member_docs;
use super::{debug, validation};
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

pub fn union(service: &Service, shape: &Shape, structure: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let wire_name = &shape.wire_name;
    let shape_docs = shape_docs(shape, "union");
    let members = &structure.members;
    let formatted = paths::formatted_timestamp();
    let (float_ref, float_wire) = (paths::float_wire_ref(), paths::float_wire_wire());
    let unknown = paths::unknown_variant_value();
    let (serialize, serializer) = (paths::serialize(), paths::serializer());
    let (deserialize, deserializer) = (paths::deserialize(), paths::deserializer());
    let deserialize_feature = super::cargo_toml::DESERIALIZE_FEATURE;
    let (serde_ser, de_error) = (paths::serde_ser(), paths::serde_de_error());
    let (visitor, map_access, ignored_any) = (
        paths::serde_visitor(),
        paths::serde_map_access(),
        paths::serde_ignored_any(),
    );
    let variants = members.iter().map(|m| {
        let (variant, ty, doc) = (
            ident(&m.rust_name),
            member_value_type(service, m),
            member_docs(service, m),
        );
        quote!(#doc #variant(#ty),)
    });
    let helpers = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let (as_fn, is_fn) = (ident(&m.symbols.as_variant), ident(&m.symbols.is_variant));
        let ty = super::rust_types::rust_type(service, m.target);
        let as_doc = lines(&format!("The `{}` value, or `Err(self)` when another member is set.", m.wire_name));
        let is_doc = lines(&format!("True when `{}` is the member set.", m.wire_name));
        quote! {
            #as_doc
            pub fn #as_fn(&self) -> ::std::result::Result<&#ty, &Self> {
                if let Self::#variant(value) = self { ::std::result::Result::Ok(value) } else { ::std::result::Result::Err(self) }
            }

            #is_doc
            pub fn #is_fn(&self) -> bool {
                self.#as_fn().is_ok()
            }
        }
    });
    let serialize_arms = members.iter().map(|m| {
        let (variant, wire) = (ident(&m.rust_name), &m.wire_name);
        let value = match &m.wire_encoding {
            WireEncoding::Timestamp(format) => {
                let format = paths::timestamp_wire_format(format);
                quote!(&#formatted(value, #format))
            }
            WireEncoding::Float => quote!(&#float_ref(value)),
            WireEncoding::Plain => quote!(value),
        };
        quote!(Self::#variant(value) => map.serialize_entry(#wire, #value)?,)
    });
    let deserialize_arms = members.iter().map(|m| {
        let (variant, wire, ty) = (ident(&m.rust_name), &m.wire_name, member_value_type(service, m));
        if m.wire_encoding == WireEncoding::Float {
            quote!(#wire => map
                .next_value::<::std::option::Option<#float_wire<#ty>>>()?
                .map(|wire| #name::#variant(wire.0)),)
        } else {
            quote!(#wire => map.next_value::<::std::option::Option<#ty>>()?.map(#name::#variant),)
        }
    });
    let (derive_debug, debug_impl) = debug::union_debug(shape, members);
    let validate = validation::union_validation(service, shape, structure);
    let decode = super::wire_decode::union_decode(shape, structure);
    let expecting = format!("the {wire_name} union: an object with exactly one member set");
    let too_many = format!("more than one member of the {wire_name} union is set");
    let none = format!("no member of the {wire_name} union is set");
    quote! {
        #shape_docs
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know; it keeps the member's name.
            Unknown(#unknown),
        }

        impl #name {
            #(#helpers)*

            /// True when the member set is one this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, Self::Unknown(_))
            }
        }

        impl #serialize for #name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: #serializer,
            {
                use #serde_ser::{Error as _, SerializeMap as _};
                let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(value) => {
                        return ::std::result::Result::Err(S::Error::custom(::std::format!(
                            "cannot send the unknown member `{}` of the {} union",
                            value.as_str(),
                            #wire_name
                        )))
                    }
                }
                map.end()
            }
        }

        #[cfg(feature = #deserialize_feature)]
        impl<'de> #deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: #deserializer<'de>,
            {
                struct Visitor;

                impl<'de> #visitor<'de> for Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A>(self, mut map: A) -> ::std::result::Result<#name, A::Error>
                    where
                        A: #map_access<'de>,
                    {
                        use #de_error as _;
                        let mut known: ::std::option::Option<#name> = ::std::option::Option::None;
                        let mut unknown: ::std::option::Option<#name> = ::std::option::Option::None;
                        while let ::std::option::Option::Some(key) = map.next_key::<::std::string::String>()? {
                            let value = match key.as_str() {
                                #(#deserialize_arms)*
                                "__type" => {
                                    map.next_value::<#ignored_any>()?;
                                    ::std::option::Option::None
                                }
                                other => {
                                    map.next_value::<#ignored_any>()?;
                                    unknown = ::std::option::Option::Some(#name::Unknown(
                                        #unknown::new(other),
                                    ));
                                    ::std::option::Option::None
                                }
                            };
                            if let ::std::option::Option::Some(value) = value {
                                if known.replace(value).is_some() {
                                    return ::std::result::Result::Err(A::Error::custom(#too_many));
                                }
                            }
                        }
                        known.or(unknown).ok_or_else(|| A::Error::custom(#none))
                    }
                }

                deserializer.deserialize_map(Visitor)
            }
        }

        #validate
        #debug_impl
        #decode
    }
}
