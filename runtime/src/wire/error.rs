//! Why a body could not be decoded, and where.

use std::fmt;

/// A body is not JSON, or not the JSON the shape expects: what was wrong and the byte offset where the reader
/// found it (`expected a string, found a number at byte 17`).
///
/// Boxed, so that every `Result` the decoders pass around stays two words wide.
pub struct DecodeError(Box<Inner>);

struct Inner {
    offset: usize,
    what: What,
}

enum What {
    /// `expected {expected}, found {found}`.
    Expected {
        expected: &'static str,
        found: &'static str,
    },
    /// A fixed description (`invalid number`).
    Static(&'static str),
    /// A description made for this error (`duplicate member `id` of TaskSet`).
    Owned(String),
}

impl DecodeError {
    /// The reader expected `expected` at `offset` and found what `found` names (`a number`, `the end of the
    /// body`).
    #[cold]
    pub(crate) fn expected(offset: usize, expected: &'static str, found: &'static str) -> Self {
        Self::new(offset, What::Expected { expected, found })
    }

    /// A problem with a fixed description at `offset`.
    #[cold]
    pub(crate) fn invalid(offset: usize, what: &'static str) -> Self {
        Self::new(offset, What::Static(what))
    }

    /// A problem described at run time (naming a member or a value) at `offset`.
    #[cold]
    pub(crate) fn message(offset: usize, what: String) -> Self {
        Self::new(offset, What::Owned(what))
    }

    fn new(offset: usize, what: What) -> Self {
        Self(Box::new(Inner { offset, what }))
    }

    /// The byte offset in the body where the problem was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.what {
            What::Expected { expected, found } => write!(f, "expected {expected}, found {found}")?,
            What::Static(what) => f.write_str(what)?,
            What::Owned(what) => f.write_str(what)?,
        }
        write!(f, " at byte {}", self.0.offset)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DecodeError").field(&self.to_string()).finish()
    }
}

impl std::error::Error for DecodeError {}
