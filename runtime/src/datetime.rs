//! Timestamps: a Unix-epoch instant with nanosecond precision and the three wire formats AWS models
//! use (epoch seconds, RFC 3339 and HTTP date).
//!
//! Calendar math is done by hand on the proleptic Gregorian calendar (Howard Hinnant's
//! days-from-civil algorithm), so the crate needs no date library.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An instant in time: whole seconds since 1970-01-01T00:00:00Z plus a nanosecond fraction.
///
/// The fraction always counts forward, so `-1.5` seconds is stored as `secs = -2`,
/// `subsec_nanos = 500_000_000`; the derived ordering is therefore chronological.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// The textual or numeric shape of a timestamp on the wire (the model's `timestampFormat`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Seconds since the Unix epoch, with an optional fraction: `1557207715.195`.
    EpochSeconds,
    /// RFC 3339 / ISO 8601 date-time: `2019-05-07T05:41:55.195Z`.
    DateTime,
    /// RFC 7231 IMF-fixdate: `Tue, 29 Apr 2014 18:30:38 GMT`.
    HttpDate,
}

/// A [`DateTime`] could not be written in the requested [`Format`] (its year is outside 0000–9999).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeFormatError {
    year: i64,
    format: Format,
}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = match self.format {
            Format::DateTime => "an RFC 3339 date-time",
            _ => "an HTTP date",
        };
        write!(
            f,
            "year {} cannot be written as {format}, which only has four-digit years",
            self.year
        )
    }
}

impl std::error::Error for DateTimeFormatError {}

/// A string is not a valid timestamp in the expected format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    expected: &'static str,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid timestamp: expected {}", self.expected)
    }
}

impl std::error::Error for DateTimeParseError {}

/// A [`DateTime`] does not fit the target representation (milliseconds in an `i64`, or the
/// platform's [`SystemTime`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeRangeError(DateTime);

impl fmt::Display for DateTimeRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timestamp {} is out of range for the target representation", self.0)
    }
}

impl std::error::Error for DateTimeRangeError {}

impl DateTime {
    /// The instant `secs` whole seconds after (or, if negative, before) the Unix epoch.
    pub const fn from_secs(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// Seconds plus a forward nanosecond fraction. Nanos of a second or more carry into the
    /// seconds (saturating at the ends of the `i64` range) instead of being rejected.
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        Self {
            secs: secs.saturating_add((nanos / NANOS_PER_SEC) as i64),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            secs: millis.div_euclid(1000),
            // rem_euclid is in 0..1000, so the product is below 1e9.
            nanos: millis.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// Fractional seconds since the Unix epoch. The value is read through its shortest decimal
    /// form, so `1557207715.195` gives exactly 195 ms rather than the binary approximation.
    /// NaN gives the epoch; values beyond the `i64` range saturate.
    pub fn from_secs_f64(secs: f64) -> Self {
        if secs.is_nan() {
            return Self::from_secs(0);
        }
        let saturated = if secs > 0.0 {
            Self::from_secs_and_nanos(i64::MAX, NANOS_PER_SEC - 1)
        } else {
            Self::from_secs(i64::MIN)
        };
        // Beyond ±2^63 seconds the decimal below would not fit an `i64` either.
        if secs.abs() > 9_223_372_036_854_775_808.0 {
            return saturated;
        }
        // The shortest decimal that reads back as `secs`, written without allocating: below 2^63 it is at
        // most 20 digits before the point, and 17 significant ones after up to 324 zeros.
        let mut shortest = StackText::<360>::new();
        match fmt::Write::write_fmt(&mut shortest, format_args!("{secs}")) {
            Ok(()) => parse_epoch_seconds(shortest.as_str()),
            Err(_) => parse_epoch_seconds(&secs.to_string()),
        }
        .unwrap_or(saturated)
    }

    /// Epoch seconds from a JSON number: `value` is its double (finite, below 2^63 in magnitude) and `text` the
    /// number as written. The same instant as `from_secs_f64(value)`, without formatting the double where
    /// `text` is already its shortest decimal's value: a decimal of at most 15 significant digits in the
    /// double's normal range reads back from the double unchanged (`f64::DIGITS`), so `text` and the shortest
    /// decimal are the same number, and [`parse_epoch_seconds`] reads numbers by value.
    pub(crate) fn from_epoch_number(text: &str, value: f64) -> Self {
        if let Some(parsed) = Self::from_plain_decimal(text) {
            return parsed;
        }
        if is_short_decimal(text) {
            if let Some(parsed) = parse_epoch_seconds(text) {
                return parsed;
            }
        }
        Self::from_secs_f64(value)
    }

    /// The common case of [`from_epoch_number`](Self::from_epoch_number) without the double: a JSON number
    /// without exponent and with at most 15 digits (`1557207715.195`), read digit by digit. `None` for anything
    /// else (which also rules out values near 2^63).
    #[inline]
    pub(crate) fn from_plain_decimal(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let (negative, digits) = match bytes.split_first()? {
            (b'-', rest) => (true, rest),
            _ => (false, bytes),
        };
        if digits.len() > 16 {
            return None;
        }
        let mut whole: i64 = 0;
        let mut fraction: u32 = 0;
        let mut fraction_digits = 0u32;
        let mut in_fraction = false;
        for &d in digits {
            match d {
                // Digits past nanoseconds are dropped, as `parse_epoch_seconds` drops them.
                b'0'..=b'9' if in_fraction && fraction_digits < 9 => {
                    fraction = fraction * 10 + u32::from(d - b'0');
                    fraction_digits += 1;
                }
                b'0'..=b'9' if in_fraction => {}
                b'0'..=b'9' => whole = whole * 10 + i64::from(d - b'0'),
                b'.' if !in_fraction => in_fraction = true,
                _ => return None,
            }
        }
        // At most 15 digits: the double reads back as this decimal (see `from_epoch_number`).
        let total_digits = digits.len() - usize::from(in_fraction);
        if total_digits > 15 {
            return None;
        }
        let nanos = fraction * 10u32.pow(9 - fraction_digits);
        Some(match (negative, nanos) {
            (false, _) => Self::from_secs_and_nanos(whole, nanos),
            (true, 0) => Self::from_secs(-whole),
            (true, _) => Self::from_secs_and_nanos(-whole - 1, NANOS_PER_SEC - nanos),
        })
    }

    /// Whole seconds since the Unix epoch (rounded towards negative infinity).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// The forward nanosecond fraction, in `0..1_000_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the Unix epoch as the `f64` nearest to the exact decimal value.
    pub fn as_secs_f64(&self) -> f64 {
        self.epoch_decimal()
            .parse()
            .unwrap_or(self.secs as f64 + f64::from(self.nanos) / 1e9)
    }

    /// Milliseconds since the Unix epoch (sub-millisecond precision is dropped towards the past).
    pub fn to_millis(&self) -> Result<i64, DateTimeRangeError> {
        // In i128 because the seconds alone may overflow where the sum does not (i64::MIN ms).
        let millis = i128::from(self.secs) * 1000 + i128::from(self.nanos / 1_000_000);
        i64::try_from(millis).map_err(|_| DateTimeRangeError(*self))
    }

    /// Writes the timestamp in `format`. Epoch seconds always succeed; the text formats fail for
    /// years outside 0000–9999. [`Format::HttpDate`] has no fraction, so sub-second precision is
    /// truncated there.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeFormatError> {
        if format == Format::EpochSeconds {
            return Ok(self.epoch_decimal());
        }
        let c = Civil::from_date_time(self);
        if !(0..=9999).contains(&c.year) {
            return Err(DateTimeFormatError { year: c.year, format });
        }
        Ok(match format {
            Format::HttpDate => format!(
                "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                c.weekday_name(),
                c.day,
                c.month_name(),
                c.year,
                c.hour,
                c.minute,
                c.second
            ),
            _ => c.to_string(),
        })
    }

    /// `20150830T123600Z`: the whole second in UTC without separators (SigV4's `X-Amz-Date`), written
    /// without going through `fmt`; `None` outside years 0000–9999.
    pub(crate) fn compact_utc(&self) -> Option<[u8; 16]> {
        let c = Civil::from_date_time(self);
        let year = u32::try_from(c.year).ok().filter(|y| *y <= 9999)?;
        let mut out = *b"00000000T000000Z";
        let mut put = |at: usize, value: u32, width: usize| {
            let mut value = value;
            for slot in out.iter_mut().skip(at).take(width).rev() {
                // `value % 10` is one digit.
                *slot = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, year, 4);
        put(4, c.month, 2);
        put(6, c.day, 2);
        put(9, c.hour, 2);
        put(11, c.minute, 2);
        put(13, c.second, 2);
        Some(out)
    }

    /// Parses `s` in exactly one `format`. RFC 3339 accepts `Z`/`z` or a `±hh:mm` offset, `T`, `t`
    /// or a space between date and time, and a fraction of any length (digits past nanoseconds are
    /// ignored). Epoch seconds accept a sign, a fraction and an exponent (`1.557207715195E9`).
    pub fn from_str(s: &str, format: Format) -> Result<Self, DateTimeParseError> {
        let (parsed, expected) = match format {
            Format::EpochSeconds => (parse_epoch_seconds(s), "epoch seconds such as `1557207715.195`"),
            Format::DateTime => (
                parse_rfc3339(s),
                "an RFC 3339 date-time such as `2019-05-07T05:41:55.195Z`",
            ),
            Format::HttpDate => (
                parse_http_date(s),
                "an HTTP date such as `Tue, 29 Apr 2014 18:30:38 GMT`",
            ),
        };
        parsed.ok_or(DateTimeParseError { expected })
    }

    /// Parses any of the three formats, as the awsJson deserializer must.
    pub(crate) fn from_str_any(s: &str) -> Result<Self, DateTimeParseError> {
        parse_epoch_seconds(s)
            .or_else(|| parse_rfc3339(s))
            .or_else(|| parse_http_date(s))
            .ok_or(DateTimeParseError {
                expected: "epoch seconds, an RFC 3339 date-time or an HTTP date",
            })
    }

    /// The exact value as a decimal number without exponent, fraction trimmed.
    fn epoch_decimal(&self) -> String {
        if self.nanos == 0 {
            return self.secs.to_string();
        }
        // Written as sign, magnitude and fraction because the stored fraction counts forward
        // while the decimal fraction of a negative number counts backward.
        let (sign, whole, frac) = if self.secs < 0 {
            // secs < 0, so secs + 1 cannot overflow and its magnitude fits in u64.
            ("-", (self.secs + 1).unsigned_abs(), NANOS_PER_SEC - self.nanos)
        } else {
            ("", self.secs.unsigned_abs(), self.nanos)
        };
        format!("{sign}{whole}{}", fraction(frac))
    }
}

/// A JSON number with at most 15 digits before any exponent, and an exponent of at most 200 either way: a
/// value that is zero or in the double's normal range, whose digits a double holds exactly.
fn is_short_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (text.get(..at).unwrap_or_default(), text.get(at + 1..)),
        None => (text, None),
    };
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
    let small_exponent = exponent.is_none_or(|e| {
        let e = e.trim_start_matches(['+', '-']);
        e.len() <= 3 && e.parse::<u32>().is_ok_and(|e| e <= 200)
    });
    digits <= 15 && small_exponent
}

/// A fixed buffer that `fmt::Write` fills, for short texts made without allocating; writing past its end
/// fails.
struct StackText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> StackText<N> {
    fn new() -> Self {
        Self { bytes: [0; N], len: 0 }
    }

    fn as_str(&self) -> &str {
        self.bytes
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl<const N: usize> fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `.195` for 195_000_000 nanos; empty for zero.
fn fraction(nanos: u32) -> String {
    if nanos == 0 {
        return String::new();
    }
    let digits = format!("{nanos:09}");
    format!(".{}", digits.trim_end_matches('0'))
}

/// RFC 3339 in UTC (`2019-05-07T05:41:55.195Z`). Years outside 0000–9999 use the ISO 8601
/// expanded form (`+10000-01-01T00:00:00Z`) because `Display` cannot fail.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Civil::from_date_time(self).fmt(f)
    }
}

impl From<SystemTime> for DateTime {
    /// Saturates at the ends of the `i64` range.
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => {
                Self::from_secs_and_nanos(i64::try_from(after.as_secs()).unwrap_or(i64::MAX), after.subsec_nanos())
            }
            Err(before) => {
                let before = before.duration();
                let secs = i64::try_from(before.as_secs()).map_or(i64::MIN, |s| -s);
                match before.subsec_nanos() {
                    0 => Self::from_secs(secs),
                    n => Self::from_secs_and_nanos(secs.saturating_sub(1), NANOS_PER_SEC - n),
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeRangeError;

    fn try_from(value: DateTime) -> Result<Self, Self::Error> {
        let nanos = Duration::from_nanos(u64::from(value.nanos));
        let time = if value.secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::from_secs(value.secs.unsigned_abs()))
        } else {
            UNIX_EPOCH.checked_sub(Duration::from_secs(value.secs.unsigned_abs()))
        };
        time.and_then(|t| t.checked_add(nanos)).ok_or(DateTimeRangeError(value))
    }
}

/// Epoch seconds as a JSON number: an integer when there is no fraction, else an `f64`.
impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.nanos == 0 {
            serializer.serialize_i64(self.secs)
        } else {
            serializer.serialize_f64(self.as_secs_f64())
        }
    }
}

/// Accepts a number (integer, fraction or exponent notation) or a string in any [`Format`].
impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateTimeVisitor;

        impl Visitor<'_> for DateTimeVisitor {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch seconds or a date-time string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .map(DateTime::from_secs)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                // 2^63 is exactly representable; anything at or beyond it would saturate.
                if v.is_finite() && v.abs() < 9_223_372_036_854_775_808.0 {
                    Ok(DateTime::from_secs_f64(v))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::from_str_any(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_any(DateTimeVisitor)
    }
}

/// A broken-down UTC date-time.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    days: i64,
}

impl Civil {
    fn from_date_time(t: &DateTime) -> Self {
        let days = t.secs.div_euclid(SECS_PER_DAY);
        // rem_euclid is in 0..86400, so the casts below are lossless.
        let sod = t.secs.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod / 60 % 60,
            second: sod % 60,
            nanos: t.nanos,
            days,
        }
    }

    fn weekday_name(&self) -> &'static str {
        // 1970-01-01 was a Thursday.
        WEEKDAYS
            .get((self.days.rem_euclid(7) as usize + 4) % 7)
            .copied()
            .unwrap_or_default()
    }

    fn month_name(&self) -> &'static str {
        MONTHS
            .get((self.month as usize).wrapping_sub(1))
            .copied()
            .unwrap_or_default()
    }
}

impl fmt::Display for Civil {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9999).contains(&self.year) {
            write!(f, "{:04}", self.year)?;
        } else {
            write!(f, "{:+05}", self.year)?;
        }
        write!(
            f,
            "-{:02}-{:02}T{:02}:{:02}:{:02}{}Z",
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            fraction(self.nanos)
        )
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
/// Callers pass years in 0..=9999, far from any overflow.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]. Safe for every `i64` seconds value divided by 86400
/// (|days| < 1.1e14), so no checked arithmetic is needed.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // doy < 366 and mp < 12, so these fit in u32.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A tiny byte cursor; every method returns `None` instead of reading past the end.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Self { rest: s.as_bytes() }
    }

    fn next_if(&mut self, pred: impl Fn(u8) -> bool) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        pred(b).then(|| {
            self.rest = rest;
            b
        })
    }

    fn expect(&mut self, literal: &[u8]) -> Option<()> {
        self.rest = self.rest.strip_prefix(literal)?;
        Some(())
    }

    /// Exactly `n` ASCII digits as a number (n <= 4 here, so no overflow).
    fn number(&mut self, n: usize) -> Option<u32> {
        (0..n).try_fold(0, |acc, _| {
            let d = self.next_if(|b| b.is_ascii_digit())?;
            Some(acc * 10 + u32::from(d - b'0'))
        })
    }

    /// A `.` followed by one or more digits, as nanoseconds; absent gives 0.
    fn fraction(&mut self) -> Option<u32> {
        if self.next_if(|b| b == b'.').is_none() {
            return Some(0);
        }
        let mut nanos = 0;
        let mut count = 0u32;
        while let Some(d) = self.next_if(|b| b.is_ascii_digit()) {
            if count < 9 {
                nanos = nanos * 10 + u32::from(d - b'0');
            }
            count = count.saturating_add(1);
        }
        (count > 0).then(|| nanos * 10u32.pow(9 - count.min(9)))
    }

    /// One of `names`, ASCII case-insensitively; returns its index.
    fn name(&mut self, names: &[&str]) -> Option<usize> {
        let head = self.rest.get(..3)?;
        let i = names.iter().position(|n| n.as_bytes().eq_ignore_ascii_case(head))?;
        self.rest = self.rest.get(3..)?;
        Some(i)
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// Validates the fields and converts to a `DateTime` (year 0..=9999 keeps the math in range).
fn from_fields(
    (year, month, day): (u32, u32, u32),
    (hour, minute, second): (u32, u32, u32),
    nanos: u32,
    offset_secs: i64,
) -> Option<DateTime> {
    let year = i64::from(year);
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60; // 60 is a leap second; it rolls into the next minute.
    valid.then(|| {
        let secs = days_from_civil(year, month, day) * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second)
            - offset_secs;
        DateTime::from_secs_and_nanos(secs, nanos)
    })
}

fn parse_rfc3339(s: &str) -> Option<DateTime> {
    let mut c = Cursor::new(s);
    let year = c.number(4)?;
    c.expect(b"-")?;
    let month = c.number(2)?;
    c.expect(b"-")?;
    let day = c.number(2)?;
    c.next_if(|b| matches!(b, b'T' | b't' | b' '))?;
    let hour = c.number(2)?;
    c.expect(b":")?;
    let minute = c.number(2)?;
    c.expect(b":")?;
    let second = c.number(2)?;
    let nanos = c.fraction()?;
    let offset = match c.next_if(|b| matches!(b, b'Z' | b'z' | b'+' | b'-'))? {
        b'Z' | b'z' => 0,
        sign => {
            let h = c.number(2)?;
            c.expect(b":")?;
            let m = c.number(2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let magnitude = i64::from(h * 3600 + m * 60);
            if sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
    };
    if !c.is_empty() {
        return None;
    }
    from_fields((year, month, day), (hour, minute, second), nanos, offset)
}

fn parse_http_date(s: &str) -> Option<DateTime> {
    let mut c = Cursor::new(s);
    c.name(&WEEKDAYS)?;
    c.expect(b", ")?;
    let day = c.number(2)?;
    c.expect(b" ")?;
    let month = c.name(&MONTHS)? as u32 + 1;
    c.expect(b" ")?;
    let year = c.number(4)?;
    c.expect(b" ")?;
    let hour = c.number(2)?;
    c.expect(b":")?;
    let minute = c.number(2)?;
    c.expect(b":")?;
    let second = c.number(2)?;
    let nanos = c.fraction()?;
    c.expect(b" GMT")?;
    if !c.is_empty() {
        return None;
    }
    from_fields((year, month, day), (hour, minute, second), nanos, 0)
}

/// Exact decimal parsing of `[+-]digits[.digits][(e|E)[+-]digits]`, nanosecond precision
/// (further digits truncated). `None` when malformed or outside the `i64` seconds range.
fn parse_epoch_seconds(s: &str) -> Option<DateTime> {
    let bytes = s.as_bytes();
    let (negative, body) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, bytes),
    };
    let (mantissa, exponent) = match body.iter().position(|&b| b == b'e' || b == b'E') {
        Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
        None => (body, None),
    };
    let (int_digits, frac_digits) = match mantissa.iter().position(|&b| b == b'.') {
        Some(i) => (mantissa.get(..i)?, mantissa.get(i + 1..)?),
        None => (mantissa, &[][..]),
    };
    let all_digits = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    if int_digits.len() + frac_digits.len() == 0 || !all_digits(int_digits) || !all_digits(frac_digits) {
        return None;
    }
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (neg, digits) = match e.split_first()? {
                (b'-', rest) => (true, rest),
                (b'+', rest) => (false, rest),
                _ => (false, e),
            };
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            // Clamped: any exponent this large over- or underflows seconds anyway.
            let magnitude = digits
                .iter()
                .fold(0i64, |acc, d| (acc * 10 + i64::from(d - b'0')).min(100_000));
            if neg {
                -magnitude
            } else {
                magnitude
            }
        }
    };
    // The decimal point sits `point` digits into `int_digits ++ frac_digits`.
    let digit_at = |i: i64| -> i128 {
        let d = usize::try_from(i).ok().and_then(|i| {
            int_digits
                .get(i)
                .or_else(|| frac_digits.get(i.checked_sub(int_digits.len())?))
        });
        d.map_or(0, |d| i128::from(d - b'0'))
    };
    let len = (int_digits.len() + frac_digits.len()) as i64;
    let point = int_digits.len() as i64 + exponent;
    let mut whole: i128 = 0;
    // Digits past `len` are implicit zeros; 20 of them overflow any non-zero prefix, so a huge
    // exponent costs at most 20 iterations beyond the input.
    for i in 0..point.clamp(0, len.max(0) + 20) {
        whole = whole * 10 + digit_at(i);
        if whole > i128::from(u64::MAX) {
            return None;
        }
    }
    let nanos = (0..9).fold(0i128, |acc, k| acc * 10 + digit_at(point + k));
    let (mut secs, mut nanos) = (if negative { -whole } else { whole }, nanos);
    if negative && nanos > 0 {
        secs -= 1;
        nanos = i128::from(NANOS_PER_SEC) - nanos;
    }
    Some(DateTime::from_secs_and_nanos(
        i64::try_from(secs).ok()?,
        u32::try_from(nanos).ok()?,
    ))
}

/// `serialize_with` helpers for members whose model sets `timestampFormat`.
///
/// Each function writes every timestamp inside the member (through options, boxes, lists and map
/// values) in one format: `#[serde(serialize_with = "::awsgen_runtime::datetime::timestamp_format::iso8601")]`.
pub mod timestamp_format {
    use std::collections::HashMap;
    use std::hash::BuildHasher;

    use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};

    use super::{DateTime, Format};

    /// A value made of timestamps that can be written in a chosen [`Format`].
    pub trait TimestampTree {
        /// Serializes every timestamp in `self` as `format`.
        fn serialize_as<S: Serializer>(&self, format: Format, serializer: S) -> Result<S::Ok, S::Error>;
    }

    /// Serializes the timestamps in a value as `Format`: for a union member, where no
    /// `serialize_with` attribute applies.
    pub struct Formatted<'a, T: ?Sized>(pub &'a T, pub Format);

    impl<T: TimestampTree + ?Sized> Serialize for Formatted<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize_as(self.1, serializer)
        }
    }

    impl TimestampTree for DateTime {
        fn serialize_as<S: Serializer>(&self, format: Format, serializer: S) -> Result<S::Ok, S::Error> {
            match format {
                Format::EpochSeconds => self.serialize(serializer),
                _ => serializer.serialize_str(&self.fmt(format).map_err(S::Error::custom)?),
            }
        }
    }

    impl<T: TimestampTree> TimestampTree for Option<T> {
        fn serialize_as<S: Serializer>(&self, format: Format, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Some(v) => serializer.serialize_some(&Formatted(v, format)),
                None => serializer.serialize_none(),
            }
        }
    }

    impl<T: TimestampTree + ?Sized> TimestampTree for Box<T> {
        fn serialize_as<S: Serializer>(&self, format: Format, serializer: S) -> Result<S::Ok, S::Error> {
            (**self).serialize_as(format, serializer)
        }
    }

    impl<T: TimestampTree> TimestampTree for Vec<T> {
        fn serialize_as<S: Serializer>(&self, format: Format, serializer: S) -> Result<S::Ok, S::Error> {
            let mut seq = serializer.serialize_seq(Some(self.len()))?;
            for v in self {
                seq.serialize_element(&Formatted(v, format))?;
            }
            seq.end()
        }
    }

    impl<K: Serialize, T: TimestampTree, H: BuildHasher> TimestampTree for HashMap<K, T, H> {
        fn serialize_as<S: Serializer>(&self, format: Format, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.len()))?;
            for (k, v) in self {
                map.serialize_entry(k, &Formatted(v, format))?;
            }
            map.end()
        }
    }

    /// Writes timestamps as RFC 3339 strings (`timestampFormat: date-time` / `iso8601`).
    pub fn iso8601<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        T: TimestampTree + ?Sized,
        S: Serializer,
    {
        value.serialize_as(Format::DateTime, serializer)
    }

    /// Writes timestamps as HTTP-date strings (`timestampFormat: http-date` / `rfc822`).
    pub fn rfc822<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        T: TimestampTree + ?Sized,
        S: Serializer,
    {
        value.serialize_as(Format::HttpDate, serializer)
    }

    /// Writes timestamps as epoch-seconds numbers (`timestampFormat: epoch-seconds` / `unixTimestamp`).
    pub fn epoch_seconds<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        T: TimestampTree + ?Sized,
        S: Serializer,
    {
        value.serialize_as(Format::EpochSeconds, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn dt(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    fn rfc(s: &str) -> Result<DateTime, DateTimeParseError> {
        DateTime::from_str(s, Format::DateTime)
    }

    #[test]
    fn formats_known_instants() {
        let cases = [
            (dt(0, 0), "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT", "0"),
            (
                dt(1_557_207_715, 195_000_000),
                "2019-05-07T05:41:55.195Z",
                "Tue, 07 May 2019 05:41:55 GMT",
                "1557207715.195",
            ),
            (dt(-1, 0), "1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 GMT", "-1"),
            (
                dt(-2, 500_000_000),
                "1969-12-31T23:59:58.5Z",
                "Wed, 31 Dec 1969 23:59:58 GMT",
                "-1.5",
            ),
            (
                dt(-1, 1),
                "1969-12-31T23:59:59.000000001Z",
                "Wed, 31 Dec 1969 23:59:59 GMT",
                "-0.999999999",
            ),
            (
                dt(951_825_600, 0),
                "2000-02-29T12:00:00Z",
                "Tue, 29 Feb 2000 12:00:00 GMT",
                "951825600",
            ),
            (
                dt(1_709_164_800, 0),
                "2024-02-29T00:00:00Z",
                "Thu, 29 Feb 2024 00:00:00 GMT",
                "1709164800",
            ),
            (
                dt(-2_203_891_200, 0),
                "1900-03-01T00:00:00Z",
                "Thu, 01 Mar 1900 00:00:00 GMT",
                "-2203891200",
            ),
            (
                dt(-62_167_219_200, 0),
                "0000-01-01T00:00:00Z",
                "Sat, 01 Jan 0000 00:00:00 GMT",
                "-62167219200",
            ),
            (
                dt(253_402_300_799, 999_999_999),
                "9999-12-31T23:59:59.999999999Z",
                "Fri, 31 Dec 9999 23:59:59 GMT",
                "253402300799.999999999",
            ),
        ];
        for (t, iso, http, epoch) in cases {
            assert_eq!(t.fmt(Format::DateTime).unwrap(), iso);
            assert_eq!(t.to_string(), iso);
            assert_eq!(t.fmt(Format::HttpDate).unwrap(), http);
            assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), epoch);
            // Every format parses back; HTTP dates have no fraction.
            assert_eq!(rfc(iso).unwrap(), t);
            assert_eq!(DateTime::from_str(epoch, Format::EpochSeconds).unwrap(), t);
            assert_eq!(DateTime::from_str(http, Format::HttpDate).unwrap(), dt(t.secs(), 0));
        }
    }

    #[test]
    fn years_outside_four_digits() {
        let after = dt(253_402_300_800, 0);
        assert_eq!(after.to_string(), "+10000-01-01T00:00:00Z");
        let err = after.fmt(Format::DateTime).unwrap_err();
        assert!(err.to_string().contains("year 10000"), "{err}");
        assert!(after.fmt(Format::HttpDate).is_err());
        assert_eq!(dt(-62_167_219_201, 0).to_string(), "-0001-12-31T23:59:59Z");
        // The extremes never panic in any direction.
        for t in [dt(i64::MIN, 0), dt(i64::MAX, 999_999_999)] {
            assert!(!t.to_string().is_empty());
            assert!(t.fmt(Format::DateTime).is_err());
            assert!(t.to_millis().is_err());
            // Whether SystemTime reaches this far is platform-dependent; it must not panic.
            if let Ok(system) = SystemTime::try_from(t) {
                assert_eq!(DateTime::from(system), t);
            }
            let epoch = t.fmt(Format::EpochSeconds).unwrap();
            assert_eq!(DateTime::from_str(&epoch, Format::EpochSeconds).unwrap(), t);
        }
        assert_eq!(
            dt(i64::MIN, 0).fmt(Format::EpochSeconds).unwrap(),
            "-9223372036854775808"
        );
    }

    #[test]
    fn parses_rfc3339_variants() {
        let base = dt(1_557_207_715, 195_000_000);
        assert_eq!(rfc("2019-05-07t05:41:55.195z").unwrap(), base);
        assert_eq!(rfc("2019-05-07 05:41:55.195Z").unwrap(), base);
        assert_eq!(rfc("2019-05-07T07:41:55.195+02:00").unwrap(), base);
        assert_eq!(rfc("2019-05-07T00:11:55.195-05:30").unwrap(), base);
        assert_eq!(rfc("2019-12-16T22:48:18-01:00").unwrap(), dt(1_576_540_098, 0));
        assert_eq!(rfc("2019-05-07T05:41:55.1950Z").unwrap(), base);
        assert_eq!(rfc("2019-05-07T05:41:55.1Z").unwrap(), dt(1_557_207_715, 100_000_000));
        // Digits beyond nanoseconds are truncated.
        assert_eq!(
            rfc("2019-05-07T05:41:55.1234567899999Z").unwrap(),
            dt(1_557_207_715, 123_456_789)
        );
        // An offset can move the date across the epoch and across a year boundary.
        assert_eq!(rfc("1970-01-01T00:30:00+01:00").unwrap(), dt(-1800, 0));
        assert_eq!(rfc("1999-12-31T23:00:00-01:00").unwrap(), dt(946_684_800, 0));
        // A leap second rolls into the next minute.
        assert_eq!(rfc("2016-12-31T23:59:60Z").unwrap(), dt(1_483_228_800, 0));
    }

    #[test]
    fn rejects_invalid_rfc3339() {
        for bad in [
            "",
            "2019-05-07",
            "2019-05-07T05:41:55",
            "2019-05-07T05:41:55.Z",
            "2019-5-07T05:41:55Z",
            "2019-05-07T05:41Z",
            "2019-05-07T05:41:55ZZ",
            "2019-05-07T05:41:55+0100",
            "2019-05-07T05:41:55+24:00",
            "2019-05-07T05:41:55+01:60",
            "2019-05-07X05:41:55Z",
            "2019-00-07T05:41:55Z",
            "2019-13-07T05:41:55Z",
            "2019-05-00T05:41:55Z",
            "2019-04-31T05:41:55Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2000-02-30T00:00:00Z",
            "2019-05-07T24:00:00Z",
            "2019-05-07T05:60:00Z",
            "2019-05-07T05:41:61Z",
            "-019-05-07T05:41:55Z",
            "２019-05-07T05:41:55Z",
        ] {
            assert!(rfc(bad).is_err(), "accepted {bad:?}");
        }
        assert!(rfc("2000-02-29T00:00:00Z").is_ok());
        assert!(rfc("2400-02-29T00:00:00Z").is_ok());
    }

    #[test]
    fn parses_http_dates() {
        let http = |s| DateTime::from_str(s, Format::HttpDate);
        assert_eq!(http("Tue, 29 Apr 2014 18:30:38 GMT").unwrap(), dt(1_398_796_238, 0));
        assert_eq!(http("Sun, 02 Jan 2000 20:34:56 GMT").unwrap(), dt(946_845_296, 0));
        assert_eq!(
            http("sun, 02 JAN 2000 20:34:56.5 GMT").unwrap(),
            dt(946_845_296, 500_000_000)
        );
        for bad in [
            "Tue, 29 Apr 2014 18:30:38 UTC",
            "Tue, 29 Apr 2014 18:30:38",
            "29 Apr 2014 18:30:38 GMT",
            "Tue, 29 Foo 2014 18:30:38 GMT",
            "Tue, 31 Apr 2014 18:30:38 GMT",
            "Tue, 9 Apr 2014 18:30:38 GMT",
            "Tuesday, 29-Apr-14 18:30:38 GMT",
            "Tue, 29 Apr 2014 18:30:38 GMT ",
            "Tu",
        ] {
            assert!(http(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn parses_epoch_numbers_exactly() {
        let epoch = |s| DateTime::from_str(s, Format::EpochSeconds);
        let base = dt(1_557_207_715, 195_000_000);
        for s in [
            "1557207715.195",
            "1.557207715195E9",
            "1.557207715195e+9",
            "155720771519.5e-2",
            "+1557207715.195000",
        ] {
            assert_eq!(epoch(s).unwrap(), base, "{s}");
        }
        assert_eq!(epoch("-1.5").unwrap(), dt(-2, 500_000_000));
        assert_eq!(epoch("-0").unwrap(), dt(0, 0));
        assert_eq!(epoch(".5").unwrap(), dt(0, 500_000_000));
        assert_eq!(epoch("5.").unwrap(), dt(5, 0));
        assert_eq!(epoch("1e-9").unwrap(), dt(0, 1));
        assert_eq!(epoch("1e-10").unwrap(), dt(0, 0));
        assert_eq!(epoch("0e999999999999").unwrap(), dt(0, 0));
        assert_eq!(epoch("-9223372036854775808").unwrap(), dt(i64::MIN, 0));
        for bad in [
            "",
            "-",
            "+",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "0x10",
            " 1",
            "1 ",
            "1_000",
            "NaN",
            "inf",
            "9223372036854775808",
            "1e19",
            "1e400",
            "-9223372036854775808.5",
        ] {
            assert!(epoch(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn constructors_normalise() {
        assert_eq!(dt(1, 2_500_000_000), dt(3, 500_000_000));
        assert_eq!(dt(i64::MAX, 1_000_000_000), dt(i64::MAX, 0));
        assert_eq!(DateTime::from_millis(-1), dt(-1, 999_000_000));
        assert_eq!(DateTime::from_millis(1_557_207_715_195), dt(1_557_207_715, 195_000_000));
        assert_eq!(DateTime::from_millis(i64::MIN).to_millis().unwrap(), i64::MIN);
        assert_eq!(dt(-2, 500_400_000).to_millis().unwrap(), -1500);
        assert_eq!(DateTime::from_secs(7).subsec_nanos(), 0);
    }

    #[test]
    fn from_secs_f64_uses_the_decimal_value() {
        assert_eq!(
            DateTime::from_secs_f64(1_557_207_715.195),
            dt(1_557_207_715, 195_000_000)
        );
        assert_eq!(
            DateTime::from_secs_f64(1.557207715195E9),
            dt(1_557_207_715, 195_000_000)
        );
        assert_eq!(DateTime::from_secs_f64(-1.5), dt(-2, 500_000_000));
        assert_eq!(DateTime::from_secs_f64(0.1), dt(0, 100_000_000));
        assert_eq!(DateTime::from_secs_f64(-0.0), dt(0, 0));
        assert_eq!(DateTime::from_secs_f64(f64::NAN), dt(0, 0));
        assert_eq!(DateTime::from_secs_f64(f64::INFINITY), dt(i64::MAX, 999_999_999));
        assert_eq!(DateTime::from_secs_f64(-1e300), dt(i64::MIN, 0));
        assert_eq!(dt(1_557_207_715, 195_000_000).as_secs_f64(), 1_557_207_715.195);
        assert_eq!(dt(-2, 500_000_000).as_secs_f64(), -1.5);
    }

    #[test]
    fn system_time_round_trips() {
        let after = UNIX_EPOCH + Duration::new(1, 500_000_000);
        let before = UNIX_EPOCH - Duration::new(1, 500_000_000);
        assert_eq!(DateTime::from(after), dt(1, 500_000_000));
        assert_eq!(DateTime::from(before), dt(-2, 500_000_000));
        assert_eq!(DateTime::from(UNIX_EPOCH - Duration::from_secs(3)), dt(-3, 0));
        for t in [after, before, UNIX_EPOCH, SystemTime::now()] {
            assert_eq!(SystemTime::try_from(DateTime::from(t)).unwrap(), t);
        }
    }

    #[test]
    fn orders_chronologically() {
        let mut v = vec![dt(0, 0), dt(-1, 0), dt(-2, 500_000_000), dt(-2, 0), dt(0, 1)];
        v.sort();
        assert_eq!(v, [dt(-2, 0), dt(-2, 500_000_000), dt(-1, 0), dt(0, 0), dt(0, 1)]);
    }

    #[test]
    fn serde_epoch_seconds() {
        let ser = |t: DateTime| serde_json::to_string(&t).unwrap();
        assert_eq!(ser(dt(1_557_207_715, 0)), "1557207715");
        assert_eq!(ser(dt(1_557_207_715, 195_000_000)), "1557207715.195");
        assert_eq!(ser(dt(-2, 500_000_000)), "-1.5");

        let de = |s: &str| serde_json::from_str::<DateTime>(s);
        let base = dt(1_557_207_715, 195_000_000);
        for s in [
            "1557207715.195",
            "1.557207715195E9",
            "1.557207715195e9",
            r#""1557207715.195""#,
            r#""2019-05-07T05:41:55.195Z""#,
            r#""2019-05-07T06:41:55.195+01:00""#,
        ] {
            assert_eq!(de(s).unwrap(), base, "{s}");
        }
        assert_eq!(de("1557207715").unwrap(), dt(1_557_207_715, 0));
        assert_eq!(de("-1").unwrap(), dt(-1, 0));
        assert_eq!(de(r#""Tue, 29 Apr 2014 18:30:38 GMT""#).unwrap(), dt(1_398_796_238, 0));
        for bad in ["true", "null", r#""soon""#, "1e300", "18446744073709551615", "[]"] {
            assert!(de(bad).is_err(), "accepted {bad}");
        }
    }

    /// A fixed-seed generator, so the sweeps below are reproducible without a fuzzing crate.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *seed >> 11
    }

    #[test]
    fn text_formats_round_trip_across_the_whole_four_digit_range() {
        let (min, max) = (-62_167_219_200_i64, 253_402_300_799_i64);
        let mut seed = 7;
        for _ in 0..20_000 {
            let secs = min + (lcg(&mut seed) % (max - min + 1) as u64) as i64;
            let t = dt(secs, (lcg(&mut seed) % 1_000_000_000) as u32);
            assert_eq!(rfc(&t.fmt(Format::DateTime).unwrap()).unwrap(), t);
            let http = t.fmt(Format::HttpDate).unwrap();
            assert_eq!(DateTime::from_str(&http, Format::HttpDate).unwrap(), dt(secs, 0));
            let epoch = t.fmt(Format::EpochSeconds).unwrap();
            assert_eq!(DateTime::from_str(&epoch, Format::EpochSeconds).unwrap(), t);
        }
    }

    #[test]
    fn parsers_never_panic_on_mutated_input() {
        let seeds = [
            "2019-05-07T05:41:55.195+01:00",
            "Tue, 29 Apr 2014 18:30:38.5 GMT",
            "-1.557207715195E+9",
        ];
        let alphabet = b"0123456789+-.:eETZz ,GMT\xff";
        let mut seed = 1;
        for _ in 0..50_000 {
            let base = seeds[(lcg(&mut seed) % 3) as usize].as_bytes();
            let mut bytes = base.to_vec();
            for _ in 0..=lcg(&mut seed) % 4 {
                let at = (lcg(&mut seed) as usize) % (bytes.len() + 1);
                let b = alphabet[(lcg(&mut seed) as usize) % alphabet.len()];
                match lcg(&mut seed) % 3 {
                    0 if at < bytes.len() => bytes[at] = b,
                    1 => bytes.insert(at, b),
                    _ => bytes.truncate(at),
                }
            }
            let s = String::from_utf8_lossy(&bytes);
            for format in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
                if let Ok(t) = DateTime::from_str(&s, format) {
                    let _ = (t.to_string(), t.fmt(format), t.to_millis());
                }
            }
            let _ = serde_json::from_value::<DateTime>(serde_json::Value::String(s.into_owned()));
        }
        for f in [
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            1e-300,
            9.3e18,
            -9.3e18,
        ] {
            let t = DateTime::from_secs_f64(f);
            let _ = (t.to_string(), t.as_secs_f64(), serde_json::to_string(&t));
        }
    }

    #[test]
    fn timestamp_format_helpers_reach_nested_values() {
        #[derive(serde::Serialize)]
        struct Shape {
            #[serde(serialize_with = "timestamp_format::iso8601")]
            iso: Option<DateTime>,
            #[serde(serialize_with = "timestamp_format::rfc822")]
            http: Vec<DateTime>,
            #[serde(serialize_with = "timestamp_format::epoch_seconds")]
            epoch: HashMap<String, Box<DateTime>>,
            #[serde(serialize_with = "timestamp_format::iso8601")]
            none: Option<DateTime>,
            #[serde(serialize_with = "timestamp_format::iso8601")]
            nested: Vec<Option<Vec<DateTime>>>,
        }
        let t = dt(946_845_296, 123_000_000);
        let shape = Shape {
            iso: Some(t),
            http: vec![t],
            epoch: HashMap::from([("k".to_owned(), Box::new(t))]),
            none: None,
            nested: vec![Some(vec![t]), None],
        };
        assert_eq!(
            serde_json::to_value(&shape).unwrap(),
            serde_json::json!({
                "iso": "2000-01-02T20:34:56.123Z",
                "http": ["Sun, 02 Jan 2000 20:34:56 GMT"],
                "epoch": {"k": 946845296.123},
                "none": null,
                "nested": [["2000-01-02T20:34:56.123Z"], null],
            })
        );
        let far = Shape {
            iso: Some(dt(i64::MAX, 0)),
            http: vec![],
            epoch: HashMap::new(),
            none: None,
            nested: vec![],
        };
        assert!(serde_json::to_string(&far).is_err());
    }
}
