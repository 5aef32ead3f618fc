//! Floats as awsJson writes them: numbers, except `NaN`, `Infinity` and `-Infinity`, which JSON cannot hold
//! and the protocol spells as strings. serde_json alone would write them as `null` and reject the strings.
//!
//! Generated code puts `#[serde(with = "::awsgen_runtime::float_wire")]` on members that hold floats (directly
//! or in lists and maps), and wraps union payloads in [`Wire`] / [`Ref`].

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

/// A value made of floats (a float, or options, boxes, lists and maps of them) in the awsJson spelling.
pub trait FloatTree: Sized {
    /// Writes the value, floats spelled as awsJson does.
    fn serialize_tree<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value, accepting numbers and the three special strings.
    fn deserialize_tree<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// `serialize_with` half of `#[serde(with = "::awsgen_runtime::float_wire")]`.
pub fn serialize<T: FloatTree, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_tree(serializer)
}

/// `deserialize_with` half of `#[serde(with = "::awsgen_runtime::float_wire")]`.
pub fn deserialize<'de, T: FloatTree, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_tree(deserializer)
}

/// An owned value read in the awsJson spelling (for union payloads, where no attribute applies).
#[derive(Debug)]
pub struct Wire<T>(pub T);

impl<'de, T: FloatTree> Deserialize<'de> for Wire<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_tree(deserializer).map(Wire)
    }
}

/// A borrowed value written in the awsJson spelling (for union payloads and elements).
pub struct Ref<'a, T>(pub &'a T);

impl<T: FloatTree> Serialize for Ref<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_tree(serializer)
    }
}

fn write_f64<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_nan() {
        serializer.serialize_str("NaN")
    } else if value == f64::INFINITY {
        serializer.serialize_str("Infinity")
    } else if value == f64::NEG_INFINITY {
        serializer.serialize_str("-Infinity")
    } else {
        serializer.serialize_f64(value)
    }
}

struct F64Visitor;

impl Visitor<'_> for F64Visitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<f64, E> {
        match value {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

impl FloatTree for f64 {
    fn serialize_tree<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_f64(*self, serializer)
    }

    fn deserialize_tree<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(F64Visitor)
    }
}

impl FloatTree for f32 {
    fn serialize_tree<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            serializer.serialize_f32(*self)
        } else {
            write_f64(f64::from(*self), serializer)
        }
    }

    fn deserialize_tree<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The wire value is a JSON number; narrowing to the modelled `float` is the model's choice.
        deserializer.deserialize_any(F64Visitor).map(|value| value as f32)
    }
}

impl<T: FloatTree> FloatTree for Option<T> {
    fn serialize_tree<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Ref(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_tree<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<Wire<T>>::deserialize(deserializer)?.map(|wire| wire.0))
    }
}

impl<T: FloatTree> FloatTree for Box<T> {
    fn serialize_tree<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_tree(serializer)
    }

    fn deserialize_tree<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_tree(deserializer).map(Box::new)
    }
}

impl<T: FloatTree> FloatTree for Vec<T> {
    fn serialize_tree<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(&Ref(item))?;
        }
        seq.end()
    }

    fn deserialize_tree<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Wire<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|wire| wire.0)
            .collect())
    }
}

impl<K, T> FloatTree for HashMap<K, T>
where
    K: Serialize + for<'de> Deserialize<'de> + Eq + Hash,
    T: FloatTree,
{
    fn serialize_tree<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, &Ref(value))?;
        }
        map.end()
    }

    fn deserialize_tree<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(HashMap::<K, Wire<T>>::deserialize(deserializer)?
            .into_iter()
            .map(|(k, wire)| (k, wire.0))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Holder {
        #[serde(with = "super", default)]
        double: Option<f64>,
        #[serde(with = "super", default)]
        floats: Option<Vec<f32>>,
        #[serde(with = "super", default)]
        by_name: Option<HashMap<String, f64>>,
    }

    #[test]
    fn special_values_are_strings_and_the_rest_numbers() {
        let holder = Holder {
            double: Some(f64::NEG_INFINITY),
            floats: Some(vec![1.5, f32::INFINITY, f32::NAN]),
            by_name: Some(HashMap::from([("x".to_owned(), 2.25)])),
        };
        let json = serde_json::to_value(&holder).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"double": "-Infinity", "floats": [1.5, "Infinity", "NaN"], "by_name": {"x": 2.25}})
        );
        let back: Holder = serde_json::from_value(json).unwrap();
        assert_eq!(back.double, Some(f64::NEG_INFINITY));
        let floats = back.floats.unwrap();
        assert_eq!(&floats[..2], &[1.5, f32::INFINITY]);
        assert!(floats[2].is_nan());
    }

    #[test]
    fn absent_null_integers_and_bad_strings() {
        let holder: Holder = serde_json::from_str(r#"{"double": null, "floats": [1, -2]}"#).unwrap();
        assert_eq!((holder.double, holder.floats), (None, Some(vec![1.0, -2.0])));
        let holder: Holder = serde_json::from_str("{}").unwrap();
        assert_eq!(holder.double, None);
        let error = serde_json::from_str::<Holder>(r#"{"double": "nan"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("NaN"), "{error}");
    }
}
