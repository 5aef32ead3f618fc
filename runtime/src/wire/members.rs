//! What a generated structure's or union's [`Decode`](super::Decode) loops over: its members one by one, so the
//! generated code is a `match` on member names and nothing else.

use std::borrow::Cow;

use super::decode::Decode;
use super::error::DecodeError;
use super::reader::Reader;
use crate::UnknownVariantValue;

/// The members of a structure, in either form serde's derived `Deserialize` reads from serde_json: an object
/// (each member once: a name given twice is an error, as serde's "duplicate field"), or an array of the member
/// values in model order (shorter arrays leave the rest unset; longer ones are an error). Generated code:
///
/// ```ignore
/// let mut out = Self::default();
/// let mut members = Members::begin(reader, "TaskSet", &["id", "taskSetArn"])?;
/// while let Some(name) = members.next(reader)? {
///     match &*name {
///         "id" => out.id = members.value(reader, 0)?,
///         "taskSetArn" => out.task_set_arn = members.value(reader, 1)?,
///         _ => members.skip(reader)?,
///     }
/// }
/// ```
#[derive(Debug)]
pub struct Members {
    shape: &'static str,
    names: &'static [&'static str],
    form: Form,
    /// One bit per member seen (the first 64; `more_seen` holds the rest, for structures that large).
    seen: u64,
    more_seen: Vec<u64>,
}

#[derive(Debug)]
enum Form {
    Object { first: bool },
    Array { next: usize },
}

impl Members {
    /// Enters the structure `shape` (its name, for messages) whose members' wire names are `names`, in model
    /// order.
    #[inline]
    pub fn begin(
        reader: &mut Reader<'_>,
        shape: &'static str,
        names: &'static [&'static str],
    ) -> Result<Self, DecodeError> {
        let form = match reader.peek() {
            Some(b'{') => Form::Object { first: true },
            Some(b'[') => Form::Array { next: 0 },
            _ => return Err(reader.expected_shape(format!("the {shape} structure (an object)"))),
        };
        reader.bump();
        reader.enter()?;
        Ok(Self {
            shape,
            names,
            form,
            seen: 0,
            more_seen: Vec::new(),
        })
    }

    /// The next member's wire name, with the reader at its value; `None` once the structure ends.
    #[inline(always)]
    pub fn next<'a>(&mut self, reader: &mut Reader<'a>) -> Result<Option<Cow<'a, str>>, DecodeError> {
        match &mut self.form {
            Form::Object { first } => reader.next_key(first),
            Form::Array { next } => {
                let mut first = *next == 0;
                if !reader.next_element(&mut first)? {
                    return Ok(None);
                }
                match self.names.get(*next) {
                    Some(name) => {
                        *next += 1;
                        Ok(Some(Cow::Borrowed(name)))
                    }
                    None => Err(DecodeError::message(
                        reader.offset(),
                        format!("more values than the {} structure has members", self.shape),
                    )),
                }
            }
        }
    }

    /// The value of member `index` (of `names`): `None` for `null`; an error if the member was given before.
    #[inline(always)]
    pub fn value<T: Decode>(&mut self, reader: &mut Reader<'_>, index: usize) -> Result<Option<T>, DecodeError> {
        self.mark_seen(reader, index)?;
        Option::<T>::decode(reader)
    }

    /// Skips the value of a member this structure does not have.
    #[inline]
    pub fn skip(&mut self, reader: &mut Reader<'_>) -> Result<(), DecodeError> {
        reader.skip_value()
    }

    #[inline(always)]
    fn mark_seen(&mut self, reader: &Reader<'_>, index: usize) -> Result<(), DecodeError> {
        let bit = 1u64 << (index % 64);
        let word = match index / 64 {
            0 => &mut self.seen,
            n => {
                if self.more_seen.len() < n {
                    self.more_seen.resize(n, 0);
                }
                match self.more_seen.get_mut(n - 1) {
                    Some(word) => word,
                    None => return Ok(()),
                }
            }
        };
        if *word & bit != 0 {
            return Err(self.duplicate(reader, index));
        }
        *word |= bit;
        Ok(())
    }

    #[cold]
    fn duplicate(&self, reader: &Reader<'_>, index: usize) -> DecodeError {
        let name = self.names.get(index).copied().unwrap_or_default();
        DecodeError::message(
            reader.offset(),
            format!("duplicate member `{name}` of the {} structure", self.shape),
        )
    }
}

/// The members of a union, read as its serde `Deserialize` reads them: an object in which exactly one member
/// is set (not `null`); `__type` (some services send it) is skipped; a member the crate does not know is kept
/// by name as the `Unknown` variant, unless a known member is set. Generated code:
///
/// ```ignore
/// let mut members = UnionMembers::begin(reader, "Value")?;
/// while let Some(name) = members.next(reader)? {
///     match &*name {
///         "a" => members.value(reader, Self::A)?,
///         "__type" => members.skip(reader)?,
///         other => members.unknown(reader, other)?,
///     }
/// }
/// members.finish(reader, Self::Unknown)
/// ```
#[derive(Debug)]
pub struct UnionMembers<T> {
    shape: &'static str,
    first: bool,
    known: Option<T>,
    unknown: Option<String>,
}

impl<T> UnionMembers<T> {
    /// Enters the union `shape` (its name, for messages).
    #[inline]
    pub fn begin(reader: &mut Reader<'_>, shape: &'static str) -> Result<Self, DecodeError> {
        if reader.peek() != Some(b'{') {
            return Err(reader.expected_shape(format!("the {shape} union (an object with exactly one member set)")));
        }
        reader.bump();
        reader.enter()?;
        Ok(Self {
            shape,
            first: true,
            known: None,
            unknown: None,
        })
    }

    /// The next member's wire name, with the reader at its value; `None` once the union ends.
    #[inline]
    pub fn next<'a>(&mut self, reader: &mut Reader<'a>) -> Result<Option<Cow<'a, str>>, DecodeError> {
        reader.next_key(&mut self.first)
    }

    /// The value of a known member, made into the union by `variant`; `null` sets nothing. A second member set
    /// is an error.
    #[inline]
    pub fn value<V: Decode>(
        &mut self,
        reader: &mut Reader<'_>,
        variant: impl FnOnce(V) -> T,
    ) -> Result<(), DecodeError> {
        let at = reader.offset();
        if let Some(value) = Option::<V>::decode(reader)? {
            if self.known.replace(variant(value)).is_some() {
                return Err(DecodeError::message(
                    at,
                    format!("more than one member of the {} union is set", self.shape),
                ));
            }
        }
        Ok(())
    }

    /// Skips a member's value (`__type`).
    #[inline]
    pub fn skip(&mut self, reader: &mut Reader<'_>) -> Result<(), DecodeError> {
        reader.skip_value()
    }

    /// Skips the value of a member this crate does not know, remembering its name (the last one wins, whatever
    /// its value, as in the serde path).
    pub fn unknown(&mut self, reader: &mut Reader<'_>, name: &str) -> Result<(), DecodeError> {
        reader.skip_value()?;
        self.unknown = Some(name.to_owned());
        Ok(())
    }

    /// The member that was set: a known one, else an unknown one through `unknown` (the union's `Unknown`
    /// variant), else an error.
    pub fn finish(self, reader: &Reader<'_>, unknown: fn(UnknownVariantValue) -> T) -> Result<T, DecodeError> {
        match (self.known, self.unknown) {
            (Some(known), _) => Ok(known),
            (None, Some(name)) => Ok(unknown(UnknownVariantValue::new(name))),
            (None, None) => Err(DecodeError::message(
                reader.offset(),
                format!("no member of the {} union is set", self.shape),
            )),
        }
    }
}
