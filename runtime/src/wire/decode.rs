//! The [`Decode`] trait and its implementations for the types generated code is made of: strings, numbers,
//! booleans, timestamps, blobs, documents, and the `Option`, `Box`, `Vec` and `HashMap` around them.
//!
//! Each reads exactly what serde's `Deserialize` of the same type reads from serde_json (the serde
//! derives stay on every generated type; this is the faster path the client takes): see `SPEC.md`.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use super::error::DecodeError;
use super::reader::Reader;
use crate::{Blob, DateTime};

/// A value read from an awsJson response body by a [`Reader`]. Generated structures, unions and enums
/// implement it; so do the types they are made of.
pub trait Decode: Sized {
    /// Reads one value at the reader's position, leaving the reader just past it.
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Reads a member's value: `None` for `null` (the same as absent), else [`decode`](Self::decode). Types
    /// that can tell `null` from their own first byte override it to look once.
    #[inline(always)]
    fn decode_member(reader: &mut Reader<'_>) -> Result<Option<Self>, DecodeError> {
        if reader.null()? {
            Ok(None)
        } else {
            Self::decode(reader).map(Some)
        }
    }
}

impl Decode for String {
    #[inline(always)]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.string()
    }

    #[inline(always)]
    fn decode_member(reader: &mut Reader<'_>) -> Result<Option<Self>, DecodeError> {
        reader.string_or_null()
    }
}

impl Decode for bool {
    #[inline]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.bool()
    }
}

impl Decode for i64 {
    #[inline(always)]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match reader.plain_integer(i64::MAX) {
            Some(value) => Ok(value),
            None => any_integer(reader, i64::MIN, i64::MAX, "i64"),
        }
    }
}

impl Decode for i32 {
    #[inline(always)]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let value = match reader.plain_integer(i64::from(i32::MAX)) {
            Some(value) => value,
            None => any_integer(reader, i64::from(i32::MIN), i64::from(i32::MAX), "i32")?,
        };
        // Cannot fail: both paths keep to `i32`'s range. The default only stands in for a panic, which the
        // runtime rules out.
        Ok(i32::try_from(value).unwrap_or_default())
    }
}

/// An integer in `min..=max` through the general number path (after `plain_integer` declined): kept out of
/// line, so that each integer member's inlined code is only the shortcut.
#[inline(never)]
fn any_integer(reader: &mut Reader<'_>, min: i64, max: i64, ty: &str) -> Result<i64, DecodeError> {
    let at = reader.offset();
    let number = reader.number("an integer")?;
    number
        .as_i64()
        .filter(|value| (min..=max).contains(value))
        .ok_or_else(|| not_an_integer(at, number.text(), ty))
}

#[cold]
fn not_an_integer(at: usize, text: &str, ty: &str) -> DecodeError {
    DecodeError::message(at, format!("expected an integer that fits in {ty}, found `{text}`"))
}

/// Doubles as `float_wire` reads them: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
impl Decode for f64 {
    #[inline]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = reader.offset();
        if reader.peek() == Some(b'"') {
            return match &*reader.str("a number")? {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => Err(DecodeError::invalid(
                    at,
                    "expected a number, or \"NaN\", \"Infinity\" or \"-Infinity\", found another string",
                )),
            };
        }
        if let Some(value) = reader.plain_double() {
            return Ok(value);
        }
        let number = reader.number("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")?;
        number.as_f64().ok_or_else(|| out_of_range(at))
    }
}

#[cold]
fn out_of_range(at: usize) -> DecodeError {
    DecodeError::invalid(at, "number out of range")
}

/// Floats as `float_wire` reads them: the double, narrowed (as serde's `f32` from a JSON double is).
impl Decode for f32 {
    #[inline]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        f64::decode(reader).map(|value| value as f32)
    }
}

/// What [`DateTime`]'s `Deserialize` accepts: epoch seconds as a number (an integer, a fraction, an
/// exponent), or a string in any of the three formats.
impl Decode for DateTime {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = reader.offset();
        if reader.peek() == Some(b'"') {
            let text = reader.str("a timestamp")?;
            return DateTime::from_str_any(&text).map_err(|e| DecodeError::message(at, e.to_string()));
        }
        if let Some((secs, nanos)) = reader.plain_epoch_seconds() {
            return Ok(DateTime::from_secs_and_nanos(secs, nanos));
        }
        let number = reader.number("epoch seconds or a date-time string")?;
        // serde_json hands a `u64` for unsigned digits, an `i64` for negative ones, else a double.
        if let Some(magnitude) = number.unsigned_magnitude() {
            return i64::try_from(magnitude)
                .map(DateTime::from_secs)
                .map_err(|_| timestamp_out_of_range(at));
        }
        if let Some(secs) = number.as_i64() {
            return Ok(DateTime::from_secs(secs));
        }
        if let Some(timestamp) = DateTime::from_plain_decimal(number.text()) {
            return Ok(timestamp);
        }
        let value = number.as_f64().ok_or_else(|| out_of_range(at))?;
        // 2^63 is exactly representable; anything at or beyond it would saturate.
        if value.abs() >= 9_223_372_036_854_775_808.0 {
            return Err(timestamp_out_of_range(at));
        }
        Ok(DateTime::from_epoch_number(number.text(), value))
    }
}

#[cold]
fn timestamp_out_of_range(at: usize) -> DecodeError {
    DecodeError::invalid(at, "epoch seconds out of range for a timestamp")
}

/// Standard base64, padded or not, as [`Blob`]'s `Deserialize` reads it.
impl Decode for Blob {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = reader.offset();
        let text = reader.str("a base64 string")?;
        crate::blob::decode_base64(&text)
            .map(Blob::new)
            .map_err(|e| DecodeError::message(at, format!("invalid base64: {e}")))
    }
}

/// A document: the value's text, skipped with its nesting counted as a kept value's is, then handed to
/// serde_json (documents are rare, and `serde_json::Value` is their type).
impl Decode for serde_json::Value {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let (start, end) = reader.skip_counted()?;
        serde_json::from_slice(reader.bytes_of(start, end))
            .map_err(|e| DecodeError::message(start, format!("invalid document: {e}")))
    }
}

/// A member: `null` and absent are the same (`None`).
impl<T: Decode> Decode for Option<T> {
    #[inline(always)]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode_member(reader)
    }
}

impl<T: Decode> Decode for Box<T> {
    #[inline]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::decode(reader).map(Box::new)
    }
}

/// A list: an array whose elements are all `T` (a `null` element is an error unless `T` reads `null`, as a
/// document does; awsJson lists are dense).
impl<T: Decode> Decode for Vec<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.begin_array("a list (an array)")?;
        let mut list = Vec::new();
        let mut first = true;
        while reader.next_element(&mut first)? {
            list.push(T::decode(reader)?);
        }
        Ok(list)
    }
}

/// A map: an object whose values are all `V` (a `null` value is an error unless `V` reads `null`); a key
/// given twice keeps its last value, as serde's `HashMap` does. Keys are strings or string enums.
impl<K, V, S> Decode for HashMap<K, V, S>
where
    K: for<'s> From<&'s str> + Eq + Hash,
    V: Decode,
    S: BuildHasher + Default,
{
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.begin_object("a map (an object)")?;
        let mut map = HashMap::default();
        let mut first = true;
        while let Some(key) = reader.next_key(&mut first)? {
            let key = K::from(&*key);
            map.insert(key, V::decode(reader)?);
        }
        Ok(map)
    }
}

/// A string enum's value through its `From<&str>` (which keeps unknown values), without allocating for a
/// known one. Generated enums' [`Decode`] calls this.
#[inline]
pub fn decode_str_enum<T: for<'s> From<&'s str>>(reader: &mut Reader<'_>) -> Result<T, DecodeError> {
    reader.str("a string enum value").map(|value| T::from(&*value))
}
