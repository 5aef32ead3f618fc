//! Binary data, carried as standard base64 text on the awsJson wire.

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Services differ on whether they pad, so decoding accepts both forms.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// An owned byte buffer (the model's `blob` shape).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// The bytes, giving up the wrapper.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<&str> for Blob {
    /// The UTF-8 bytes of the string.
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

/// Padded standard base64.
impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

/// Standard base64, padded or not.
/// Standard base64, with or without padding (what [`Blob`]'s `Deserialize` accepts).
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    LENIENT.decode(text)
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlobVisitor;

        impl Visitor<'_> for BlobVisitor {
            type Value = Blob;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                LENIENT.decode(v).map(Blob).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(BlobVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Result<Blob, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn encodes_padded_standard_base64() {
        let cases: [(&str, &str); 5] = [
            ("", r#""""#),
            ("f", r#""Zg==""#),
            ("fo", r#""Zm8=""#),
            ("foo", r#""Zm9v""#),
            ("binary-value", r#""YmluYXJ5LXZhbHVl""#),
        ];
        for (raw, wire) in cases {
            assert_eq!(serde_json::to_string(&Blob::from(raw)).unwrap(), wire);
            assert_eq!(decode(wire).unwrap().as_ref(), raw.as_bytes());
        }
        // The `+` and `/` of the standard alphabet, not the URL-safe one.
        assert_eq!(
            serde_json::to_string(&Blob::new(vec![0xfb, 0xff])).unwrap(),
            r#""+/8=""#
        );
    }

    #[test]
    fn decodes_with_or_without_padding() {
        assert_eq!(decode(r#""Zg""#).unwrap().into_inner(), b"f");
        assert_eq!(decode(r#""Zm8""#).unwrap().into_inner(), b"fo");
        assert_eq!(decode(r#""Zm8=""#).unwrap().into_inner(), b"fo");
    }

    #[test]
    fn rejects_invalid_base64_and_non_strings() {
        for bad in [r#""Z""#, r#""-_8=""#, r#""Zm9v!""#, "42", "null"] {
            assert!(decode(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn conversions_keep_bytes() {
        assert_eq!(Blob::from(&b"\x00\x01"[..]).into_inner(), vec![0, 1]);
        assert_eq!(Blob::from(vec![7]), Blob::new([7]));
        assert_eq!(Blob::default().as_ref(), b"");
    }
}
