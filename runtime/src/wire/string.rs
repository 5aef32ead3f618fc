//! Finding where a string's plain run ends, sixteen bytes at a time (SSE2 on x86-64, else eight), and what a read string borrows from.

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
/// string's plain run ends. Sixteen bytes at a time with SSE2 on x86-64, then eight at a time.
#[inline(always)]
pub(crate) fn find_special(bytes: &[u8], from: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    let from = {
        let mut offset = from;
        while let Some(chunk) = bytes.get(offset..offset + 16) {
            let found = sse2::special_bytes(chunk);
            if found != 0 {
                return offset + found.trailing_zeros() as usize;
            }
            offset += 16;
        }
        offset
    };
    find_special_swar(bytes, from)
}

/// [`find_special`] eight bytes at a time, in plain integer arithmetic.
#[inline(always)]
fn find_special_swar(bytes: &[u8], from: usize) -> usize {
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

/// Sixteen bytes in one SSE2 register. SSE2 is part of every x86-64 CPU (the target's baseline, which the
/// compiler enables for all code), so its intrinsics can always run; they are `unsafe fn`s before Rust 1.87
/// (this crate's minimum is 1.85) and safe after, hence the `unused_unsafe` allowance.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };

    /// One bit per byte of `chunk` (sixteen bytes; fewer count as none) that is `"`, `\` or below 0x20, the
    /// first byte in the lowest bit.
    #[inline(always)]
    #[allow(unsafe_code, unused_unsafe)]
    pub(super) fn special_bytes(chunk: &[u8]) -> u32 {
        let half = |at: usize| {
            chunk
                .get(at..at + 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map_or(0, i64::from_le_bytes)
        };
        let (low, high) = (half(0), half(8));
        // SAFETY: the intrinsics need SSE2, which every x86-64 target has enabled (see the module docs); they
        // read no memory (the bytes were loaded above, in safe code) and cannot fail.
        let mask = unsafe {
            let bytes = _mm_set_epi64x(high, low);
            let quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\\' as i8));
            // Unsigned `min(b, 0x1f) == b` is `b <= 0x1f`.
            let control = _mm_cmpeq_epi8(_mm_min_epu8(bytes, _mm_set1_epi8(0x1f)), bytes);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
        };
        // The mask has sixteen bits; the cast keeps them.
        mask as u32
    }
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
                        assert_eq!(
                            find_special_swar(&bytes, from),
                            naive(&bytes, from),
                            "{bytes:?} from {from}"
                        );
                    }
                }
            }
        }
        assert_eq!(find_special(b"abc", 7), 7);
        assert_eq!(find_special_swar(b"abc", 7), 7);
    }
}
