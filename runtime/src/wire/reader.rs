//! The pull reader: JSON tokens straight off the body, nothing built that the decoder does not keep.
//!
//! The body is checked to be UTF-8 once; strings are then slices of it, taken at the positions of their ASCII
//! quotes (so no `unsafe`). A body that is not UTF-8 is still read, as serde_json's `from_slice` reads it:
//! each string that is kept is checked on its own, and strings that are skipped are not checked at all.

use std::borrow::Cow;

use super::error::DecodeError;
use super::number::Number;
use super::string::{find_special, Str};

/// How deep typed containers may nest: serde_json's limit (the 128th nested array or object is an error), so
/// that a hostile body cannot exhaust the stack and both parsers refuse the same bodies. Values that are
/// skipped have no limit (they are skipped without recursion), as in serde_json.
pub(crate) const DEPTH_LIMIT: u8 = 128;

/// A JSON reader over one response body. Generated decoders receive one through [`Decode`](super::Decode);
/// [`decode`](super::decode) makes it.
pub struct Reader<'a> {
    bytes: &'a [u8],
    /// The body as text, when it is UTF-8 (nearly always): strings are slices of it.
    text: Option<&'a str>,
    pos: usize,
    remaining_depth: u8,
    /// Unescaped strings are built here, then copied once into a `String` of their exact size.
    scratch: Vec<u8>,
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("len", &self.bytes.len())
            .field("offset", &self.pos)
            .finish_non_exhaustive()
    }
}

impl<'a> Reader<'a> {
    /// A reader at the start of `body`.
    pub fn new(body: &'a [u8]) -> Self {
        Self {
            bytes: body,
            text: std::str::from_utf8(body).ok(),
            pos: 0,
            remaining_depth: DEPTH_LIMIT,
            scratch: Vec::new(),
        }
    }

    /// The byte offset of the next byte to read.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Only whitespace is left (serde_json's "trailing characters" rule).
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.expected("the end of the body")),
        }
    }

    // ---- bytes and errors ------------------------------------------------------------------------------

    /// The next byte after JSON whitespace (space, tab, line feed, carriage return), not consumed.
    #[inline(always)]
    pub(crate) fn peek(&mut self) -> Option<u8> {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.pos += 1,
                other => return other.copied(),
            }
        }
    }

    /// Consumes the byte `peek` returned.
    #[inline(always)]
    pub(crate) fn bump(&mut self) {
        self.pos += 1;
    }

    /// What the byte at the current offset starts, for "expected X, found Y".
    fn found(&self) -> &'static str {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        match rest.first() {
            None => "the end of the body",
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b'-' | b'0'..=b'9') => "a number",
            Some(b'}') => "`}`",
            Some(b']') => "`]`",
            Some(b',') => "`,`",
            Some(b':') => "`:`",
            _ if rest.starts_with(b"null") => "null",
            _ if rest.starts_with(b"true") || rest.starts_with(b"false") => "a boolean",
            Some(_) => "a character that starts no JSON value",
        }
    }

    /// `expected {what}, found ...` at the current offset.
    #[cold]
    #[inline(never)]
    pub(crate) fn expected(&self, what: &'static str) -> DecodeError {
        DecodeError::expected(self.pos, what, self.found())
    }

    /// `expected {what} (a JSON object), found ...` for a named shape, at the current offset.
    #[cold]
    #[inline(never)]
    pub(crate) fn expected_shape(&self, what: String) -> DecodeError {
        DecodeError::message(self.pos, format!("expected {what}, found {}", self.found()))
    }

    /// The text of `start..end`, which the caller found at ASCII positions (quotes, number ends).
    #[inline]
    pub(crate) fn text_of(&self, start: usize, end: usize) -> Result<&'a str, DecodeError> {
        match self.text {
            Some(text) => text
                .get(start..end)
                .ok_or_else(|| DecodeError::invalid(start, "invalid UTF-8 in a string")),
            None => {
                let bytes = self.bytes.get(start..end).unwrap_or_default();
                std::str::from_utf8(bytes)
                    .map_err(|e| DecodeError::invalid(start + e.valid_up_to(), "invalid UTF-8 in a string"))
            }
        }
    }

    /// The body's bytes `start..end` (empty if out of range, which callers' positions never are).
    pub(crate) fn bytes_of(&self, start: usize, end: usize) -> &'a [u8] {
        self.bytes.get(start..end).unwrap_or_default()
    }

    // ---- depth -----------------------------------------------------------------------------------------

    /// Counts one more open typed container, failing where serde_json does.
    #[inline(always)]
    pub(crate) fn enter(&mut self) -> Result<(), DecodeError> {
        if self.remaining_depth <= 1 {
            return Err(DecodeError::invalid(self.pos, "recursion limit exceeded"));
        }
        self.remaining_depth -= 1;
        Ok(())
    }

    /// Closes a container `enter` counted.
    #[inline(always)]
    pub(crate) fn leave(&mut self) {
        self.remaining_depth = self.remaining_depth.saturating_add(1);
    }

    // ---- containers ------------------------------------------------------------------------------------

    /// Enters the object at the current offset (`what` names what was expected otherwise).
    #[inline]
    pub(crate) fn begin_object(&mut self, what: &'static str) -> Result<(), DecodeError> {
        match self.peek() {
            Some(b'{') => {
                self.bump();
                self.enter()
            }
            _ => Err(self.expected(what)),
        }
    }

    /// The next member name of the object entered last, positioned at its value; `None` after the closing
    /// `}` (the object is then left). `first` is true until the first call, which it clears.
    #[inline(always)]
    pub(crate) fn next_key(&mut self, first: &mut bool) -> Result<Option<Cow<'a, str>>, DecodeError> {
        match self.peek() {
            Some(b'"') if *first => {}
            Some(b',') if !*first => {
                self.bump();
                if self.peek() != Some(b'"') {
                    return Err(self.expected("a member name"));
                }
            }
            Some(b'}') => {
                self.bump();
                self.leave();
                return Ok(None);
            }
            _ if *first => return Err(self.expected("a member name or `}`")),
            _ => return Err(self.expected("`,` or `}`")),
        }
        *first = false;
        self.bump();
        let key = self.key()?;
        match self.peek() {
            Some(b':') => self.bump(),
            _ => return Err(self.expected("`:`")),
        }
        Ok(Some(key))
    }

    /// Enters the array at the current offset (`what` names what was expected otherwise).
    #[inline]
    pub(crate) fn begin_array(&mut self, what: &'static str) -> Result<(), DecodeError> {
        match self.peek() {
            Some(b'[') => {
                self.bump();
                self.enter()
            }
            _ => Err(self.expected(what)),
        }
    }

    /// True when another element of the array entered last follows (positioned at it); false after the
    /// closing `]` (the array is then left). `first` is true until the first call, which it clears.
    #[inline(always)]
    pub(crate) fn next_element(&mut self, first: &mut bool) -> Result<bool, DecodeError> {
        let next = self.peek();
        if next == Some(b']') {
            self.bump();
            self.leave();
            return Ok(false);
        }
        if std::mem::take(first) {
            return Ok(true);
        }
        match next {
            Some(b',') => {
                self.bump();
                Ok(true)
            }
            _ => Err(self.expected("`,` or `]`")),
        }
    }

    // ---- scalars ---------------------------------------------------------------------------------------

    /// Consumes `null` if it is next.
    #[inline(always)]
    pub(crate) fn null(&mut self) -> Result<bool, DecodeError> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal(b"null")?;
        Ok(true)
    }

    /// Consumes `word` (`null`, `true`, `false`), which must be next.
    fn literal(&mut self, word: &'static [u8]) -> Result<(), DecodeError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(DecodeError::invalid(
                self.pos,
                "invalid literal (expected `null`, `true` or `false`)",
            ))
        }
    }

    /// A boolean.
    pub(crate) fn bool(&mut self) -> Result<bool, DecodeError> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(self.expected("a boolean")),
        }
    }

    /// A plain unsigned integer at the current offset (after whitespace), consumed: digits alone, at most
    /// eighteen (so it fits in an `i64`) and at most `max`, with no leading zero and no fraction or exponent
    /// after them. Anything else is left for [`number`](Self::number), which reads every number and reports
    /// every error; this is only the common case (counts, ports, sizes; negative numbers take the general
    /// path) without the general scan, which costs a call and a second pass over the digits (measured: 3% of a
    /// 100-task-set decode).
    #[inline(always)]
    pub(crate) fn plain_integer(&mut self, max: i64) -> Option<i64> {
        let (value, end) = match self.peek()? {
            b'0'..=b'9' => self.integer_part(self.pos, 18)?,
            _ => return None,
        };
        let value = i64::try_from(value).ok().filter(|value| *value <= max)?;
        if matches!(self.bytes.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.pos = end;
        Some(value)
    }

    /// Plain non-negative epoch seconds at the current offset (after whitespace), consumed: an integer part as
    /// [`integer_part`](Self::integer_part) reads it, an optional `.` and one or more digits, no exponent,
    /// fifteen digits in all at most (a decimal of fifteen significant digits reads back unchanged from its
    /// double, which the general path relies on). Returns the whole seconds and the fraction's first nine
    /// digits as nanoseconds (later digits dropped): timestamps as services send them (`1557207715.195`,
    /// `1557208000`). Anything else is left for [`number`](Self::number).
    #[inline(always)]
    pub(crate) fn plain_epoch_seconds(&mut self) -> Option<(i64, u32)> {
        let start = match self.peek()? {
            b'0'..=b'9' => self.pos,
            _ => return None,
        };
        let (whole, mut end) = self.integer_part(start, 15)?;
        let mut nanos = 0u32;
        if self.bytes.get(end) == Some(&b'.') {
            let fraction_start = end + 1;
            end = fraction_start;
            let mut scale = 100_000_000u32;
            while let Some(&digit @ b'0'..=b'9') = self.bytes.get(end) {
                nanos += u32::from(digit - b'0') * scale;
                scale /= 10;
                end += 1;
            }
            if end == fraction_start || end - start - 1 > 15 {
                return None;
            }
        }
        if matches!(self.bytes.get(end), Some(b'e' | b'E')) {
            return None;
        }
        self.pos = end;
        // At most fifteen digits: it fits.
        Some((i64::try_from(whole).ok()?, nanos))
    }

    /// A short plain number at the current offset (after whitespace) as a double, consumed: an optional `-`,
    /// an integer part as [`integer_part`](Self::integer_part) reads it, an optional fraction, no exponent,
    /// fifteen digits in all at most. Such a number is `m / 10^k` with both exact in a double, so one division
    /// gives the correctly rounded value, as parsing its text does (`50.5`, `0.25`, `-3`). Anything else is
    /// left for [`number`](Self::number).
    #[inline(always)]
    pub(crate) fn plain_double(&mut self) -> Option<f64> {
        /// `10^k`, exact in a double for every `k` here (the shortcut takes at most 14 fraction digits).
        const POWERS_OF_TEN: [f64; 16] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        ];
        let negative = self.peek()? == b'-';
        let start = self.pos + usize::from(negative);
        let (mut mantissa, mut end) = self.integer_part(start, 15)?;
        let mut fraction_digits = 0;
        if self.bytes.get(end) == Some(&b'.') {
            end += 1;
            while let Some(&digit @ b'0'..=b'9') = self.bytes.get(end) {
                // The digits so far, the point not counted: a sixteenth is past the shortcut.
                if end - start - 1 == 15 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(digit - b'0');
                fraction_digits += 1;
                end += 1;
            }
            if fraction_digits == 0 {
                return None;
            }
        }
        if matches!(self.bytes.get(end), Some(b'e' | b'E')) {
            return None;
        }
        let value = mantissa as f64 / POWERS_OF_TEN.get(fraction_digits).copied()?;
        self.pos = end;
        Some(if negative { -value } else { value })
    }

    /// The digits at `start` as JSON writes an integer part (one or more, no leading zero), if there are at
    /// most `most`: their value and the offset past them. `None` otherwise, which the shortcuts above leave to
    /// the general path.
    #[inline(always)]
    fn integer_part(&self, start: usize, most: usize) -> Option<(u64, usize)> {
        if self.bytes.get(start) == Some(&b'0') {
            return match self.bytes.get(start + 1) {
                Some(b'0'..=b'9') => None,
                _ => Some((0, start + 1)),
            };
        }
        let mut value = 0u64;
        let mut end = start;
        while let Some(&digit @ b'0'..=b'9') = self.bytes.get(end) {
            if end - start == most {
                return None;
            }
            value = value * 10 + u64::from(digit - b'0');
            end += 1;
        }
        (end > start).then_some((value, end))
    }

    /// The number at the current offset (after whitespace), checked against JSON's grammar and consumed;
    /// `what` names what was expected if there is none.
    #[inline(always)]
    pub(crate) fn number(&mut self, what: &'static str) -> Result<Number<'a>, DecodeError> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {}
            _ => return Err(self.expected(what)),
        }
        let (number, end) = Number::scan(self.bytes, self.pos)?;
        let text = self.text_of(self.pos, end)?;
        self.pos = end;
        Ok(number.with_text(text))
    }

    /// The string at the current offset (after whitespace), unescaped and checked to be UTF-8; `what` names
    /// what was expected if there is none.
    #[inline(always)]
    pub(crate) fn str(&mut self, what: &'static str) -> Result<Str<'a, '_>, DecodeError> {
        if self.peek() != Some(b'"') {
            return Err(self.expected(what));
        }
        self.bump();
        self.string_body()
    }

    /// A string as [`string`](Self::string) reads it, or `None` for `null`, looking at the next byte once.
    /// Out of line: one copy for every string member of every structure is measurably faster than a copy
    /// inlined at each (2.6% of a 100-task-set decode; the structures' decoders stay small).
    #[inline(never)]
    pub(crate) fn string_or_null(&mut self) -> Result<Option<String>, DecodeError> {
        match self.peek() {
            Some(b'"') => {
                self.bump();
                self.string_body().map(|s| Some(String::from(&*s)))
            }
            Some(b'n') => self.literal(b"null").map(|()| None),
            _ => Err(self.expected("a string")),
        }
    }

    /// The string at the current offset as an owned `String`, allocated once at its exact size.
    #[inline(always)]
    pub(crate) fn string(&mut self) -> Result<String, DecodeError> {
        self.str("a string").map(|s| String::from(&*s))
    }

    /// A member name (after its opening quote), borrowed from the body unless it has escapes.
    #[inline(always)]
    fn key(&mut self) -> Result<Cow<'a, str>, DecodeError> {
        Ok(match self.string_body()? {
            Str::Body(text) => Cow::Borrowed(text),
            Str::Scratch(text) => Cow::Owned(text.to_owned()),
        })
    }

    /// The rest of a string after its opening quote, through its closing quote.
    #[inline(always)]
    fn string_body(&mut self) -> Result<Str<'a, '_>, DecodeError> {
        let start = self.pos;
        let end = find_special(self.bytes, start);
        // The common case: no escapes, in a UTF-8 body.
        if let (Some(b'"'), Some(text)) = (self.bytes.get(end), self.text) {
            if let Some(text) = text.get(start..end) {
                self.pos = end + 1;
                return Ok(Str::Body(text));
            }
        }
        self.string_body_slow(start, end)
    }

    /// [`string_body`](Self::string_body) for escapes, bodies that are not UTF-8, and errors.
    #[cold]
    #[inline(never)]
    fn string_body_slow(&mut self, start: usize, end: usize) -> Result<Str<'a, '_>, DecodeError> {
        match self.bytes.get(end) {
            Some(b'"') => {
                let text = self.text_of(start, end)?;
                self.pos = end + 1;
                Ok(Str::Body(text))
            }
            Some(b'\\') => {
                self.scratch.clear();
                self.scratch.extend_from_slice(self.bytes_of(start, end));
                self.pos = end;
                self.unescape_rest()?;
                std::str::from_utf8(&self.scratch)
                    .map(Str::Scratch)
                    .map_err(|_| DecodeError::invalid(start, "invalid UTF-8 in a string"))
            }
            Some(_) => Err(DecodeError::invalid(
                end,
                "control character (U+0000 to U+001F) in a string",
            )),
            None => Err(DecodeError::invalid(end, "the body ends inside a string")),
        }
    }

    /// From a backslash to the closing quote, appending the unescaped text to `scratch`.
    #[cold]
    fn unescape_rest(&mut self) -> Result<(), DecodeError> {
        loop {
            match self.bytes.get(self.pos) {
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape()?;
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(_) => {
                    return Err(DecodeError::invalid(
                        self.pos,
                        "control character (U+0000 to U+001F) in a string",
                    ))
                }
                None => return Err(DecodeError::invalid(self.pos, "the body ends inside a string")),
            }
            let start = self.pos;
            let end = find_special(self.bytes, start);
            self.scratch.extend_from_slice(self.bytes_of(start, end));
            self.pos = end;
        }
    }

    /// One escape after its backslash, unescaped into `scratch`. `\u` escapes must pair their surrogates
    /// (serde_json's rule for strings it keeps).
    fn escape(&mut self) -> Result<(), DecodeError> {
        let at = self.pos - 1;
        let byte = match self.bytes.get(self.pos) {
            Some(&b) => b,
            None => return Err(DecodeError::invalid(self.pos, "the body ends inside a string")),
        };
        self.pos += 1;
        let plain = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xDC00..=0xDFFF => return Err(DecodeError::invalid(at, "lone trailing surrogate in a \\u escape")),
                    0xD800..=0xDBFF => {
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(DecodeError::invalid(at, "lone leading surrogate in a \\u escape"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(DecodeError::invalid(at, "lone leading surrogate in a \\u escape"));
                        }
                        0x1_0000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
                    }
                    _ => u32::from(unit),
                };
                let c = char::from_u32(code).ok_or_else(|| DecodeError::invalid(at, "invalid \\u escape"))?;
                let mut utf8 = [0; 4];
                self.scratch.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                return Ok(());
            }
            _ => return Err(DecodeError::invalid(at, "invalid escape")),
        };
        self.scratch.push(plain);
        Ok(())
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u16, DecodeError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| DecodeError::invalid(self.pos, "the body ends inside a string"))?;
        let mut value = 0u16;
        for &d in digits {
            let digit = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(DecodeError::invalid(self.pos, "invalid \\u escape")),
            };
            value = value << 4 | u16::from(digit);
        }
        self.pos += 4;
        Ok(value)
    }

    /// Skips a string after its opening quote, checking only its syntax (escapes, control characters), as
    /// serde_json skips strings it does not keep: a lone surrogate or invalid UTF-8 there is no error.
    fn skip_string(&mut self) -> Result<(), DecodeError> {
        loop {
            let end = find_special(self.bytes, self.pos);
            self.pos = end;
            match self.bytes.get(end) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.bytes.get(self.pos) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 1,
                        Some(b'u') => {
                            self.pos += 1;
                            self.hex4()?;
                        }
                        Some(_) => return Err(DecodeError::invalid(end, "invalid escape")),
                        None => return Err(DecodeError::invalid(self.pos, "the body ends inside a string")),
                    }
                }
                Some(_) => {
                    return Err(DecodeError::invalid(
                        end,
                        "control character (U+0000 to U+001F) in a string",
                    ))
                }
                None => return Err(DecodeError::invalid(end, "the body ends inside a string")),
            }
        }
    }

    /// Expects `:` after a member name.
    fn colon(&mut self) -> Result<(), DecodeError> {
        match self.peek() {
            Some(b':') => {
                self.bump();
                Ok(())
            }
            _ => Err(self.expected("`:`")),
        }
    }

    // ---- skipping --------------------------------------------------------------------------------------

    /// Skips one value of any kind without building it (serde's `IgnoredAny`): syntax is checked, strings are
    /// not unescaped or checked for UTF-8, and nesting is unlimited (a stack of bits, not recursion).
    pub(crate) fn skip_value(&mut self) -> Result<(), DecodeError> {
        self.skip(false)
    }

    /// The span of the next value, skipped with nesting counted against the depth limit as a value that is
    /// kept is (documents are handed to serde_json whole).
    pub(crate) fn skip_counted(&mut self) -> Result<(usize, usize), DecodeError> {
        self.peek();
        let start = self.pos;
        self.skip(true)?;
        Ok((start, self.pos))
    }

    fn skip(&mut self, counted: bool) -> Result<(), DecodeError> {
        // One bit per open container: set for objects.
        let mut open = BitStack::default();
        loop {
            // A value.
            match self.peek() {
                Some(b'"') => {
                    self.bump();
                    self.skip_string()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    let (_, end) = Number::scan(self.bytes, self.pos)?;
                    self.pos = end;
                }
                Some(b'n') => self.literal(b"null")?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'[') => {
                    self.bump();
                    if counted {
                        self.enter()?;
                    }
                    if self.peek() == Some(b']') {
                        self.bump();
                        if counted {
                            self.leave();
                        }
                    } else {
                        open.push(false);
                        continue;
                    }
                }
                Some(b'{') => {
                    self.bump();
                    if counted {
                        self.enter()?;
                    }
                    match self.peek() {
                        Some(b'}') => {
                            self.bump();
                            if counted {
                                self.leave();
                            }
                        }
                        Some(b'"') => {
                            self.bump();
                            self.skip_string()?;
                            self.colon()?;
                            open.push(true);
                            continue;
                        }
                        _ => return Err(self.expected("a member name or `}`")),
                    }
                }
                _ => return Err(self.expected("a JSON value")),
            }
            // After a value: close what ends here, or move to the next element or member.
            loop {
                let Some(object) = open.top() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.bump();
                        if object {
                            if self.peek() != Some(b'"') {
                                return Err(self.expected("a member name"));
                            }
                            self.bump();
                            self.skip_string()?;
                            self.colon()?;
                        }
                        break;
                    }
                    Some(b']') if !object => {}
                    Some(b'}') if object => {}
                    _ if object => return Err(self.expected("`,` or `}`")),
                    _ => return Err(self.expected("`,` or `]`")),
                }
                self.bump();
                open.pop();
                if counted {
                    self.leave();
                }
            }
        }
    }
}

/// A stack of booleans: 64 inline, more on the heap (only for values nested deeper than that).
#[derive(Default)]
struct BitStack {
    len: usize,
    /// The top 64 (or fewer) entries, the last pushed in the lowest bit.
    bits: u64,
    /// Full words below them.
    spilled: Vec<u64>,
}

impl BitStack {
    fn push(&mut self, bit: bool) {
        if self.len > 0 && self.len % 64 == 0 {
            self.spilled.push(self.bits);
            self.bits = 0;
        }
        self.bits = self.bits << 1 | u64::from(bit);
        self.len += 1;
    }

    fn top(&self) -> Option<bool> {
        (self.len > 0).then_some(self.bits & 1 == 1)
    }

    fn pop(&mut self) {
        if self.len == 0 {
            return;
        }
        self.bits >>= 1;
        self.len -= 1;
        if self.len > 0 && self.len % 64 == 0 {
            self.bits = self.spilled.pop().unwrap_or_default();
        }
    }
}
