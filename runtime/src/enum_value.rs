//! Support for generated string enums, which must keep values the model did not know about.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A wire value that matched none of a generated enum's known variants.
///
/// Opaque on purpose: matching on it would break when the service model later adds the value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// For generated code only.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value exactly as it appeared on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Deserializes a string through `from_str` (the generated enum's total conversion). The string is
/// borrowed from the input whenever the deserializer can lend it, so known variants never allocate.
pub fn deserialize_enum<'de, D, T>(deserializer: D, from_str: fn(&str) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct EnumVisitor<T>(fn(&str) -> T);

    impl<T> Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string enum value")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok((self.0)(v))
        }
    }

    deserializer.deserialize_str(EnumVisitor(from_str))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq)]
    enum LaunchType {
        Ec2,
        Fargate,
        Unknown(UnknownVariantValue),
    }

    impl LaunchType {
        fn from_wire(s: &str) -> Self {
            match s {
                "EC2" => Self::Ec2,
                "FARGATE" => Self::Fargate,
                other => Self::Unknown(UnknownVariantValue::new(other)),
            }
        }
    }

    impl<'de> Deserialize<'de> for LaunchType {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_enum(d, Self::from_wire)
        }
    }

    #[test]
    fn known_unknown_and_escaped_values() {
        let parsed: Vec<LaunchType> =
            serde_json::from_str(r#"["EC2","FARGATE","MANAGED_INSTANCES","F\u0041RGATE"]"#).unwrap();
        assert_eq!(parsed[0], LaunchType::Ec2);
        assert_eq!(parsed[1], LaunchType::Fargate);
        match &parsed[2] {
            LaunchType::Unknown(v) => assert_eq!(v.as_str(), "MANAGED_INSTANCES"),
            other => panic!("expected unknown, got {other:?}"),
        }
        // Escapes force serde_json to unescape into a scratch buffer (visit_str, not borrowed).
        assert_eq!(parsed[3], LaunchType::Fargate);
    }

    #[test]
    fn rejects_non_strings() {
        assert!(serde_json::from_str::<LaunchType>("1").is_err());
        assert!(serde_json::from_str::<LaunchType>("null").is_err());
    }

    #[test]
    fn from_serde_value() {
        // An owned deserializer hands over a String (visit_string), which must work too.
        let v = serde_json::Value::String("EC2".into());
        assert_eq!(LaunchType::deserialize(v).unwrap(), LaunchType::Ec2);
    }
}
