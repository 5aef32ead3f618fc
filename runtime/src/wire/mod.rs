//! Reading awsJson response bodies into generated types, without serde: a pull [`Reader`] over the body and
//! a [`Decode`] implementation per type (generated for structures, unions and enums; here for the rest).
//!
//! It reads what serde_json's `from_slice` reads into the same types through their serde derives (which stay
//! on every generated type, for users), value for value and error for error; `SPEC.md` lists the rules. It
//! is faster because nothing is built that is not kept: keys are borrowed from the body, strings are
//! copied once into a `String` of their exact size, unknown members are skipped without being unescaped,
//! and integers never go through a double.
//!
//! - [`reader`](Reader): tokens, strings (`string.rs`: sixteen bytes at a time with SSE2, else eight),
//!   numbers (`number.rs`), skipping, the depth limit;
//! - [`Decode`] and its implementations (`decode.rs`);
//! - [`Members`] and [`UnionMembers`], which generated structures and unions loop over (`members.rs`);
//! - [`DecodeError`]: what was expected, at which byte (`error.rs`).

mod decode;
mod error;
mod members;
mod number;
mod reader;
mod string;

#[cfg(test)]
mod tests;

pub use decode::{decode_str_enum, Decode};
pub use error::DecodeError;
pub use members::{Members, UnionMembers};
pub use reader::Reader;

/// Reads `body` as one `T`, with nothing but whitespace after it.
pub fn decode<T: Decode>(body: &[u8]) -> Result<T, DecodeError> {
    let mut reader = Reader::new(body);
    let value = T::decode(&mut reader)?;
    reader.finish()?;
    Ok(value)
}

/// Checks that `body` is one JSON value (of any shape), as deserializing serde's `IgnoredAny` from it does:
/// strings are not checked for UTF-8 or unpaired surrogates, and nesting is unlimited.
pub fn check(body: &[u8]) -> Result<(), DecodeError> {
    let mut reader = Reader::new(body);
    reader.skip_value()?;
    reader.finish()
}
