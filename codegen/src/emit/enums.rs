//! String enums that survive values they do not know: an `Unknown` variant keeps the raw value, so a response
//! with a value added to the API after generation still parses and serializes back unchanged.

use super::doc_attrs::{lines, shape_docs};
use super::paths;
use crate::ir::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

pub fn string_enum(shape: &Shape, values: &[EnumValue]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let shape_docs = shape_docs(shape, "enum");
    let unknown = paths::unknown_variant_value();
    let (serialize, serializer) = (paths::serialize(), paths::serializer());
    let (deserialize, deserializer) = (paths::deserialize(), paths::deserializer());
    let deserialize_enum = paths::deserialize_enum();
    let deserialize_feature = super::cargo_toml::DESERIALIZE_FEATURE;
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = lines(&format!("`{}`", v.wire.replace('`', "")));
        quote!(#doc #variant,)
    });
    // An enum the model gives no values: every value is unknown, and a one-arm match would trip clippy.
    let (as_str, from) = if values.is_empty() {
        (
            quote! {
                let Self::Unknown(value) = self;
                value.as_str()
            },
            quote!(Self::Unknown(#unknown::new(value))),
        )
    } else {
        let as_str_arms = values.iter().map(|v| {
            let (variant, wire) = (ident(&v.rust_name), &v.wire);
            quote!(Self::#variant => #wire,)
        });
        let from_arms = values.iter().map(|v| {
            let (variant, wire) = (ident(&v.rust_name), &v.wire);
            quote!(#wire => Self::#variant,)
        });
        (
            quote! {
                match self {
                    #(#as_str_arms)*
                    Self::Unknown(value) => value.as_str(),
                }
            },
            quote! {
                match value {
                    #(#from_arms)*
                    other => Self::Unknown(#unknown::new(other)),
                }
            },
        )
    };
    let wires = values.iter().map(|v| &v.wire);
    let decode = super::wire_decode::enum_decode(shape);
    quote! {
        #shape_docs
        #[non_exhaustive]
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
            ::std::cmp::PartialOrd,
            ::std::cmp::Ord
        )]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know; it keeps the raw value.
            Unknown(#unknown),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                #as_str
            }

            /// Every value this version of the crate knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#wires),*]
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                #from
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #serialize for #name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: #serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = #deserialize_feature)]
        impl<'de> #deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: #deserializer<'de>,
            {
                #deserialize_enum(deserializer, |value: &str| Self::from(value))
            }
        }

        #decode
    }
}
