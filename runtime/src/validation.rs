//! Client-side checks of model constraints (`@required`, `@length`, `@range`, `@pattern`, `@hostLabel`), run
//! before a request is sent so that every violation is reported at once, with its JSON path.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

use regex::Regex;

/// Walks an input, tracking the current member path, and collects every violation.
///
/// Generated `validate` methods call `enter_*` before checking a member and [`leave`](Self::leave)
/// after it; a check records a violation at the current path.
#[derive(Debug, Default)]
pub struct Validator {
    path: Vec<Segment>,
    errors: Vec<ValidationError>,
}

#[derive(Debug)]
enum Segment {
    Field(&'static str),
    Index(usize),
    Key(String),
}

impl Validator {
    /// A validator at the root of the input.
    pub fn new() -> Self {
        Self::default()
    }

    /// Descends into the structure member with this wire name.
    pub fn enter_field(&mut self, name: &'static str) {
        self.path.push(Segment::Field(name));
    }

    /// Descends into a list element.
    pub fn enter_index(&mut self, index: usize) {
        self.path.push(Segment::Index(index));
    }

    /// Descends into a map value.
    pub fn enter_key(&mut self, key: &str) {
        self.path.push(Segment::Key(key.to_owned()));
    }

    /// Returns to the parent of the current member (a no-op at the root).
    pub fn leave(&mut self) {
        self.path.pop();
    }

    /// Records that the current member is `@required` but absent.
    pub fn missing(&mut self) {
        self.push(Rule::Required);
    }

    /// Checks a string's `@length`, counted in Unicode code points as Smithy specifies.
    pub fn check_length(&mut self, value: &str, min: Option<i64>, max: Option<i64>) {
        self.check_size(value.chars().count(), min, max, |min, max, actual| Rule::Length {
            min,
            max,
            actual,
        });
    }

    /// Checks a blob's `@length`, counted in bytes.
    pub fn check_blob_length(&mut self, value: &[u8], min: Option<i64>, max: Option<i64>) {
        self.check_size(value.len(), min, max, |min, max, actual| Rule::Length {
            min,
            max,
            actual,
        });
    }

    /// Checks the `@length` of a list or map (its number of entries).
    pub fn check_count(&mut self, count: usize, min: Option<i64>, max: Option<i64>) {
        self.check_size(count, min, max, |min, max, actual| Rule::Count { min, max, actual });
    }

    /// Checks an integer's `@range`; the comparison is exact even beyond 2^53.
    pub fn check_range_i64(&mut self, value: i64, min: Option<f64>, max: Option<f64>) {
        let below = min.is_some_and(|m| cmp_i64_f64(value, m) == Some(std::cmp::Ordering::Less));
        let above = max.is_some_and(|m| cmp_i64_f64(value, m) == Some(std::cmp::Ordering::Greater));
        if below || above {
            self.push(Rule::Range {
                min,
                max,
                actual: value as f64,
            });
        }
    }

    /// Checks a float's `@range`. NaN satisfies no bound, so it is reported whenever one is set.
    pub fn check_range_f64(&mut self, value: f64, min: Option<f64>, max: Option<f64>) {
        let below = min.is_some_and(|m| value.is_nan() || value < m);
        let above = max.is_some_and(|m| value.is_nan() || value > m);
        if below || above {
            self.push(Rule::Range {
                min,
                max,
                actual: value,
            });
        }
    }

    /// Checks a string against a `@pattern` (an unanchored search, as Smithy specifies).
    /// A pattern the regex engine cannot compile is skipped: the generator already rejects those,
    /// and failing a request over a model quirk would help nobody.
    pub fn check_pattern(&mut self, value: &str, pattern: &'static str) {
        if compiled(pattern).is_some_and(|re| !re.is_match(value)) {
            self.push(Rule::Pattern { pattern });
        }
    }

    /// Checks a `hostLabel` value, which is spliced into the endpoint's hostname: it must be non-empty and
    /// hold only ASCII letters, digits, `-` and `.` (botocore's rule), or it could redirect the request.
    pub fn check_host_label(&mut self, value: &str) {
        if !is_host_label(value) {
            self.push(Rule::HostLabel);
        }
    }

    /// `Ok` when nothing was violated, else every violation in the order found.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }

    fn check_size(
        &mut self,
        actual: usize,
        min: Option<i64>,
        max: Option<i64>,
        rule: impl FnOnce(Option<i64>, Option<i64>, usize) -> Rule,
    ) {
        let size = i128::try_from(actual).unwrap_or(i128::MAX);
        let below = min.is_some_and(|m| size < i128::from(m));
        let above = max.is_some_and(|m| size > i128::from(m));
        if below || above {
            self.push(rule(min, max, actual));
        }
    }

    fn push(&mut self, rule: Rule) {
        let path = render_path(&self.path);
        self.errors.push(ValidationError { path, rule });
    }
}

/// The characters a `hostLabel` value may have (see [`Validator::check_host_label`]).
pub(crate) fn is_host_label(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// Compares exactly: when the float conversion ties, the bound is integral and fits in `i128`.
fn cmp_i64_f64(value: i64, bound: f64) -> Option<std::cmp::Ordering> {
    match (value as f64).partial_cmp(&bound)? {
        std::cmp::Ordering::Equal => Some(i128::from(value).cmp(&(bound as i128))),
        other => Some(other),
    }
}

fn render_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            Segment::Key(key) => {
                // Serializing a &str to JSON cannot fail; the fallback only avoids an unwrap.
                let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("{key:?}"));
                out.push_str(&format!("[{quoted}]"));
            }
        }
    }
    out
}

fn compiled(pattern: &'static str) -> Option<Regex> {
    // `None` is cached too, so a pattern the engine rejects is not recompiled on every call.
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<Regex>>>> = OnceLock::new();
    // A panic elsewhere while holding the lock cannot leave the map half-updated, so a poisoned
    // lock is still usable.
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    cache.entry(pattern).or_insert_with(|| Regex::new(pattern).ok()).clone()
}

/// Which constraint a member violated, with the model's bounds and the value's measure.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// `@required` member not set.
    Required,
    /// String length in code points, or blob length in bytes.
    Length {
        /// Model minimum.
        min: Option<i64>,
        /// Model maximum.
        max: Option<i64>,
        /// The value's length.
        actual: usize,
    },
    /// Number of list elements or map entries.
    Count {
        /// Model minimum.
        min: Option<i64>,
        /// Model maximum.
        max: Option<i64>,
        /// The collection's size.
        actual: usize,
    },
    /// Numeric `@range`.
    Range {
        /// Model minimum.
        min: Option<f64>,
        /// Model maximum.
        max: Option<f64>,
        /// The value (integers beyond 2^53 are shown rounded).
        actual: f64,
    },
    /// `@pattern` did not match.
    Pattern {
        /// The model's regular expression.
        pattern: &'static str,
    },
    /// A `hostLabel` value that cannot be part of a hostname.
    HostLabel,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size_below = |actual: usize, min: Option<i64>| {
            min.is_some_and(|m| i128::try_from(actual).is_ok_and(|a| a < i128::from(m)))
        };
        match self {
            Rule::Required => f.write_str("a value is required but was not set"),
            Rule::Length { min, max, actual } => {
                let below = size_below(*actual, *min);
                describe(f, "length", actual, *min, *max, below)
            }
            Rule::Count { min, max, actual } => {
                let below = size_below(*actual, *min);
                describe(f, "size", actual, *min, *max, below)
            }
            Rule::Range { min, max, actual } => {
                let below = min.is_some_and(|m| actual.is_nan() || *actual < m);
                describe(f, "value", actual, *min, *max, below)
            }
            // The value itself is left out: it may be sensitive.
            Rule::Pattern { pattern } => write!(f, "value does not match the pattern `{pattern}`"),
            Rule::HostLabel => f.write_str(
                "value becomes part of the endpoint's hostname, so it must be non-empty and hold only ASCII \
                 letters, digits, `-` and `.`",
            ),
        }
    }
}

fn describe<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    actual: impl fmt::Display,
    min: Option<T>,
    max: Option<T>,
    below: bool,
) -> fmt::Result {
    match (min, max) {
        (Some(min), _) if below => write!(f, "{what} {actual} is less than the minimum {min}"),
        (_, Some(max)) => write!(f, "{what} {actual} is greater than the maximum {max}"),
        _ => write!(f, "{what} {actual} is out of range"),
    }
}

/// One violated constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationError {
    path: String,
    rule: Rule,
}

impl ValidationError {
    /// The member's JSON path in wire names, e.g. `taskSets[3]` or `tags["env"]`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The violated constraint.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.rule)
        } else {
            write!(f, "{}: {}", self.path, self.rule)
        }
    }
}

impl std::error::Error for ValidationError {}

/// Every violation found in one input (never empty).
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    /// The violations, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// How many violations there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false` for an error returned by [`Validator::finish`].
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "invalid input: {one}"),
            all => {
                write!(f, "invalid input ({} problems): ", all.len())?;
                for (i, e) in all.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG_PATTERN: &str = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$";

    fn messages(v: Validator) -> Vec<String> {
        v.finish()
            .map_or_else(|e| e.iter().map(ToString::to_string).collect(), |()| vec![])
    }

    #[test]
    fn host_labels_must_be_dns_safe() {
        let mut v = Validator::new();
        for (field, value) in [
            ("ok", "foo-1.bar"),
            ("empty", ""),
            ("slash", "a/b"),
            ("at", "evil.com@x"),
            ("space", "a b"),
        ] {
            v.enter_field(field);
            v.check_host_label(value);
            v.leave();
        }
        let paths: Vec<String> = v.finish().unwrap_err().iter().map(|e| e.path().to_owned()).collect();
        assert_eq!(paths, ["empty", "slash", "at", "space"]);
    }

    #[test]
    fn renders_paths_in_wire_names() {
        let mut v = Validator::new();
        v.enter_field("cluster");
        v.missing();
        v.leave();
        v.enter_field("taskSets");
        v.enter_index(3);
        v.check_length("", Some(1), None);
        v.leave();
        v.leave();
        v.enter_field("networkConfiguration");
        v.enter_field("awsvpcConfiguration");
        v.enter_field("subnets");
        v.enter_index(0);
        v.missing();
        for _ in 0..4 {
            v.leave();
        }
        v.enter_field("tags");
        v.enter_key("env");
        v.missing();
        v.leave();
        v.enter_key("a\"b\n");
        v.missing();
        v.leave();
        v.leave();
        // Extra leaves at the root are harmless.
        v.leave();
        v.enter_index(0);
        v.missing();
        let errors = v.finish().unwrap_err();
        let paths: Vec<_> = errors.iter().map(ValidationError::path).collect();
        assert_eq!(
            paths,
            [
                "cluster",
                "taskSets[3]",
                "networkConfiguration.awsvpcConfiguration.subnets[0]",
                r#"tags["env"]"#,
                r#"tags["a\"b\n"]"#,
                "[0]",
            ]
        );
        assert_eq!(
            errors.iter().nth(1).unwrap().to_string(),
            "taskSets[3]: length 0 is less than the minimum 1"
        );
    }

    #[test]
    fn length_counts_code_points_and_blob_bytes() {
        let mut v = Validator::new();
        v.enter_field("s");
        v.check_length("héllo", Some(5), Some(5));
        v.check_length("👍👍", Some(1), Some(2));
        v.check_length("👍👍👍", None, Some(2));
        v.check_blob_length("héllo".as_bytes(), None, Some(5));
        v.check_blob_length(b"", Some(0), Some(0));
        assert_eq!(
            messages(v),
            [
                "s: length 3 is greater than the maximum 2",
                "s: length 6 is greater than the maximum 5",
            ]
        );
    }

    #[test]
    fn count_rule() {
        let mut v = Validator::new();
        v.enter_field("tags");
        v.check_count(51, Some(0), Some(50));
        v.check_count(0, Some(1), None);
        v.check_count(50, Some(0), Some(50));
        let errors = v.finish().unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            *errors.iter().next().unwrap().rule(),
            Rule::Count {
                min: Some(0),
                max: Some(50),
                actual: 51
            }
        );
        assert_eq!(
            errors.iter().nth(1).unwrap().to_string(),
            "tags: size 0 is less than the minimum 1"
        );
    }

    #[test]
    fn integer_range_is_exact() {
        let mut v = Validator::new();
        v.check_range_i64(65_536, Some(0.0), Some(65_535.0));
        v.check_range_i64(-1, Some(0.0), None);
        v.check_range_i64(0, Some(0.0), Some(65_535.0));
        v.check_range_i64(65_535, Some(0.0), Some(65_535.0));
        // 2^53 + 1 rounds to 2^53 as f64 but is still above a 2^53 maximum.
        v.check_range_i64((1 << 53) + 1, None, Some(9_007_199_254_740_992.0));
        v.check_range_i64(i64::MAX, None, Some(i64::MAX as f64));
        v.check_range_i64(i64::MIN, Some(i64::MIN as f64), None);
        v.check_range_i64(5, Some(f64::NAN), None);
        let msgs = messages(v);
        assert_eq!(
            msgs,
            [
                "value 65536 is greater than the maximum 65535",
                "value -1 is less than the minimum 0",
                "value 9007199254740992 is greater than the maximum 9007199254740992",
            ]
        );
    }

    #[test]
    fn float_range_and_nan() {
        let mut v = Validator::new();
        v.enter_field("weight");
        v.check_range_f64(0.5, Some(0.0), Some(1.0));
        v.check_range_f64(1.5, Some(0.0), Some(1.0));
        v.check_range_f64(f64::NEG_INFINITY, Some(0.0), None);
        v.check_range_f64(f64::NAN, Some(0.0), Some(1.0));
        v.check_range_f64(f64::NAN, None, None);
        v.check_range_f64(f64::INFINITY, None, None);
        assert_eq!(
            messages(v),
            [
                "weight: value 1.5 is greater than the maximum 1",
                "weight: value -inf is less than the minimum 0",
                "weight: value NaN is less than the minimum 0",
            ]
        );
    }

    #[test]
    fn patterns_are_unanchored_unicode_and_never_panic() {
        let mut v = Validator::new();
        v.enter_field("key");
        v.check_pattern("Name ü_1:/=+-@", TAG_PATTERN);
        v.check_pattern("日本語", TAG_PATTERN);
        v.check_pattern("a|b", TAG_PATTERN);
        v.check_pattern("abc1", "[0-9]");
        v.check_pattern("abc", "[0-9]");
        // Not a valid regex: skipped, twice (the failure is not cached as a match).
        v.check_pattern("anything", "(");
        v.check_pattern("anything", "(");
        let errors = v.finish().unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            *errors.iter().next().unwrap().rule(),
            Rule::Pattern { pattern: TAG_PATTERN }
        );
        assert_eq!(
            errors.iter().nth(1).unwrap().to_string(),
            "key: value does not match the pattern `[0-9]`"
        );
        assert!(compiled(TAG_PATTERN).is_some());
        assert!(compiled("(").is_none());
    }

    #[test]
    fn required_and_collected_display() {
        assert!(Validator::new().finish().is_ok());
        let mut v = Validator::new();
        v.enter_field("cluster");
        v.missing();
        v.leave();
        let one = v.finish().unwrap_err();
        assert_eq!(
            one.to_string(),
            "invalid input: cluster: a value is required but was not set"
        );
        assert_eq!(*one.iter().next().unwrap().rule(), Rule::Required);

        let mut v = Validator::new();
        v.enter_field("a");
        v.missing();
        v.leave();
        v.enter_field("b");
        v.check_count(3, None, Some(2));
        let all = v.finish().unwrap_err();
        assert!(!all.is_empty());
        assert_eq!(
            all.to_string(),
            "invalid input (2 problems): a: a value is required but was not set; \
             b: size 3 is greater than the maximum 2"
        );
        assert_eq!((&all).into_iter().count(), 2);
    }
}
