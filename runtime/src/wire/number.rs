//! JSON numbers: the grammar, integers read without going through `f64`, and exact doubles.
//!
//! What a number means follows serde_json's parser, because the serde path and this one must agree: digits
//! alone are an integer (`-0` excepted: serde_json reads it as the double `-0.0`), anything with a fraction or an
//! exponent, or beyond 64 bits, is a double, and a double that overflows is an error rather than infinity.

use super::error::DecodeError;

/// A number as scanned: its sign and, when it is an integer, its magnitude.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scanned {
    negative: bool,
    /// `Some` for digits alone that fit in a `u64`.
    magnitude: Option<u64>,
}

/// A number of the body, checked against the grammar: its text and what [`Scanned`] found.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Number<'a> {
    scanned: Scanned,
    text: &'a str,
}

impl Scanned {
    pub(crate) fn with_text(self, text: &str) -> Number<'_> {
        Number { scanned: self, text }
    }
}

impl Number<'_> {
    /// Checks the number starting at `start` (a `-` or a digit) against JSON's grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), reading an integer's magnitude on the way; returns
    /// it and the offset just past it.
    #[inline]
    pub(crate) fn scan(bytes: &[u8], start: usize) -> Result<(Scanned, usize), DecodeError> {
        let mut i = start;
        let negative = bytes.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let mut magnitude = Some(0u64);
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if let Some(b'0'..=b'9') = bytes.get(i) {
                    return Err(DecodeError::invalid(i, "invalid number (a leading zero)"));
                }
            }
            Some(&first @ b'1'..=b'9') => {
                let mut value = Some(u64::from(first - b'0'));
                i += 1;
                while let Some(&digit @ b'0'..=b'9') = bytes.get(i) {
                    value = value.and_then(|v| v.checked_mul(10)?.checked_add(u64::from(digit - b'0')));
                    i += 1;
                }
                magnitude = value;
            }
            _ => return Err(DecodeError::invalid(i, "invalid number (expected a digit)")),
        }
        if bytes.get(i) == Some(&b'.') {
            magnitude = None;
            i = digits(bytes, i + 1)?;
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            magnitude = None;
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            i = digits(bytes, i)?;
        }
        Ok((Scanned { negative, magnitude }, i))
    }

    /// The number as written.
    pub(crate) fn text(&self) -> &str {
        self.text
    }

    /// The value of an integer (digits alone, not `-0`) that fits in an `i64`; `None` for anything else,
    /// which serde_json gives an `i64` visitor as a double or an out-of-range integer (an error).
    #[inline]
    pub(crate) fn as_i64(&self) -> Option<i64> {
        let magnitude = self.scanned.magnitude?;
        if self.scanned.negative {
            // `-0` is the double -0.0 to serde_json.
            (magnitude != 0).then(|| 0i64.checked_sub_unsigned(magnitude))?
        } else {
            i64::try_from(magnitude).ok()
        }
    }

    /// True for digits alone with no sign (a `u64` to serde_json, if it fits).
    pub(crate) fn unsigned_magnitude(&self) -> Option<u64> {
        self.scanned.magnitude.filter(|_| !self.scanned.negative)
    }

    /// The exact (correctly rounded) double, as serde_json's `float_roundtrip` reads it; `None` when it
    /// overflows (serde_json's "number out of range").
    #[inline]
    pub(crate) fn as_f64(&self) -> Option<f64> {
        if let Some(magnitude) = self.scanned.magnitude.filter(|m| *m < 1 << 53) {
            // Exact in a double, and `-0` is -0.0 as serde_json has it.
            let value = magnitude as f64;
            return Some(if self.scanned.negative { -value } else { value });
        }
        self.text.parse::<f64>().ok().filter(|v| v.is_finite())
    }
}

/// One or more digits from `i`; the offset past them.
#[inline]
fn digits(bytes: &[u8], mut i: usize) -> Result<usize, DecodeError> {
    if !matches!(bytes.get(i), Some(b'0'..=b'9')) {
        return Err(DecodeError::invalid(i, "invalid number (expected a digit)"));
    }
    while let Some(b'0'..=b'9') = bytes.get(i) {
        i += 1;
    }
    Ok(i)
}
