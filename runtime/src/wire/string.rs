//! Finding where a string's plain run ends, eight bytes at a time, and what a read string borrows from.

use std::ops::Deref;

/// A string read from the body: a slice of it when it had no escapes, else the reader's scratch buffer
/// (valid until the reader reads another escaped string).
#[derive(Debug)]
pub(crate) enum Str<'a, 's> {
    Body(&'a str),
    Scratch(&'s str),
}

impl Deref for Str<'_, '_> {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        match self {
            Str::Body(text) => text,
            Str::Scratch(text) => text,
        }
    }
}

const ONES: u64 = u64::MAX / 255;
const HIGH_BITS: u64 = ONES << 7;

/// The high bit of each byte of `chunk` that may be `"`, `\` or a control character (below 0x20). Mycroft's
/// zero-byte test: the lowest flagged byte is always a true match (a borrow only runs upwards from one), which
/// is the only one [`find_special`] reads.
#[inline]
fn special_bytes(chunk: u64) -> u64 {
    let control = chunk.wrapping_sub(ONES * 0x20) & !chunk;
    let quote = chunk ^ (ONES * u64::from(b'"'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = chunk ^ (ONES * u64::from(b'\\'));
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGH_BITS
}

/// The offset of the first `"`, `\` or control character at or after `from`, or `bytes.len()`: where a
/// string's plain run ends.
#[inline(always)]
pub(crate) fn find_special(bytes: &[u8], from: usize) -> usize {
    let mut offset = from;
    while let Some(chunk) = bytes.get(offset..offset + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let found = special_bytes(u64::from_le_bytes(chunk));
        if found != 0 {
            return offset + (found.trailing_zeros() / 8) as usize;
        }
        offset += 8;
    }
    while let Some(&byte) = bytes.get(offset) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            return offset;
        }
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time definition.
    fn naive(bytes: &[u8], from: usize) -> usize {
        bytes
            .iter()
            .skip(from)
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .map_or(bytes.len(), |p| p + from)
    }

    #[test]
    fn finds_the_first_special_byte_at_every_position_and_alignment() {
        let specials = [b'"', b'\\', 0x00, 0x1f, b'\n'];
        for len in 0..40 {
            for at in 0..=len {
                for &special in &specials {
                    // Bytes just around the special ones (0x20, 0x21, 0x5b, 0x5d, 0x80, 0xff) must not match.
                    let mut bytes: Vec<u8> = (0..len)
                        .map(|i| [b'a', 0x20, 0x21, 0x5b, 0x5d, 0x80, 0xff][i % 7])
                        .collect();
                    if at < len {
                        bytes[at] = special;
                        // A second special byte after the first must not be reported instead.
                        if at + 1 < len {
                            bytes[at + 1] = b'"';
                        }
                    }
                    for from in 0..=len.min(9) {
                        assert_eq!(find_special(&bytes, from), naive(&bytes, from), "{bytes:?} from {from}");
                    }
                }
            }
        }
        assert_eq!(find_special(b"abc", 7), 7);
    }
}
