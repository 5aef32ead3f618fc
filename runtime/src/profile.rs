//! The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! The format is the INI dialect the AWS CLI and SDKs read:
//!
//! ```text
//! # a comment            ; also a comment
//! [default]
//! region = us-east-1
//!
//! [profile dev]          # in the config file; `[dev]` in the credentials file
//! aws_access_key_id=AKIDEXAMPLE
//! s3 =
//!   max_concurrent_requests = 20
//! ```
//!
//! What this parser does, line by line:
//!
//! - Blank lines and lines whose first non-blank character is `#` or `;` are comments.
//! - `[name]` starts a section. Whitespace inside the brackets is trimmed (`[ profile  dev ]` is
//!   profile `dev` in the config file) and a comment may follow the `]`.
//! - `key = value` sets a property of the current section. Whitespace around the key and the value is
//!   trimmed, and a `#` or `;` preceded by whitespace starts a comment (`region = us-east-1 # home`);
//!   one that is not (`a=b#c`) is part of the value. Keys are kept as written and looked up
//!   case-sensitively, as the SDKs do: the keys AWS defines are lowercase.
//! - An indented line continues the property above it. Under a property with a value it is appended
//!   to the value after a newline (botocore and the SDKs do the same); under a property with an empty
//!   value it is a sub-property (`s3 =` above), which nothing here uses, so it is skipped. An indented
//!   line with no property to continue is read as if it were not indented.
//! - Sections and keys that repeat are merged; the last value of a key wins.
//!
//! A line that cannot be understood (a property before any section, a property without `=` or
//! without a name, a `[` without its `]`, text after the `]`) is an error naming the file and the
//! line, like the AWS CLI, which refuses such a file, rather than a silently half-read profile.
//! Error messages never quote the line, since it may hold a secret. Sections that are well formed
//! but are not profiles (`[sso-session x]`, `[services x]`, or a name without `profile ` in the
//! config file) are skipped, as the SDKs skip them, except that `[sso-session NAME]` sections are kept
//! apart for the SSO profiles that name them ([`ProfileFile::sso_session`]).
//!
//! Nothing here panics on malformed input.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::path::{Path, PathBuf};

/// What `Debug` shows instead of a secret.
pub(crate) const REDACTED: &str = "** redacted **";

/// Which of the two shared files a text is, which decides how section names map to profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `~/.aws/config`: profiles are `[profile name]`, except the default profile, which may also be
    /// `[default]` (`[profile default]` wins when both are present). Other sections are not profiles.
    Config,
    /// `~/.aws/credentials`: every section is a profile named exactly as written (`[default]`,
    /// `[dev]`); `[profile dev]` there is a profile called `profile dev`, as in the AWS CLI.
    Credentials,
}

/// One profile: its properties, merged over every section that defines it.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    name: String,
    line: usize,
    properties: BTreeMap<String, String>,
}

impl Profile {
    /// The profile name (`default`, `dev`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 1-based line of the first section header that defines this profile.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The value of `key` as written (trimmed, comments removed); `Some("")` for `key =`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(String::as_str)
    }

    /// The keys this profile sets, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }
}

/// Shows keys, and values except those of keys that look secret (`secret`, `token`, `password`,
/// `credential_process`), so profiles can be logged.
impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("line", &self.line)
            .field("properties", &Redacted(&self.properties))
            .finish()
    }
}

/// A map of names to values whose `Debug` hides the values of names that look secret ([`is_sensitive`]):
/// profile properties and environment variables alike.
pub(crate) struct Redacted<'a>(pub(crate) &'a BTreeMap<String, String>);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| {
                let shown = if is_sensitive(k) { REDACTED } else { v.as_str() };
                (k, shown)
            }))
            .finish()
    }
}

/// Whether a key or environment variable name may hold a secret, so `Debug` output hides its value.
pub(crate) fn is_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "token", "password", "credential_process"]
        .iter()
        .any(|word| name.contains(word))
}

/// A parsed config or credentials file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFile {
    path: PathBuf,
    kind: FileKind,
    profiles: BTreeMap<String, Profile>,
    /// `[sso-session NAME]` sections of a config file, which SSO profiles name with `sso_session`.
    sso_sessions: BTreeMap<String, Profile>,
}

impl ProfileFile {
    /// Parses `contents`; `path` is only used to name the file in errors and messages.
    ///
    /// ```
    /// use awsgen_runtime::profile::{FileKind, ProfileFile};
    ///
    /// let text = "[default]\nregion = us-east-1\n\n[profile dev] # mine\nregion=eu-west-1 ; Ireland\n";
    /// let file = ProfileFile::parse("/home/me/.aws/config", text, FileKind::Config)?;
    /// assert_eq!(file.profile("dev").and_then(|p| p.get("region")), Some("eu-west-1"));
    ///
    /// let err = ProfileFile::parse("config", "[default]\nregion\n", FileKind::Config).unwrap_err();
    /// assert_eq!(err.to_string(), "config, line 2: expected `key = value`");
    /// # Ok::<(), awsgen_runtime::profile::ProfileParseError>(())
    /// ```
    pub fn parse(path: impl Into<PathBuf>, contents: &str, kind: FileKind) -> Result<Self, ProfileParseError> {
        let path = path.into();
        let sections = match parse_sections(contents) {
            Ok(sections) => sections,
            Err((line, message)) => return Err(ProfileParseError { path, line, message }),
        };
        let explicit_default = kind == FileKind::Config
            && sections
                .iter()
                .any(|s| profile_name(&s.header, kind) == Some(("default", true)));
        let mut profiles: BTreeMap<String, Profile> = BTreeMap::new();
        let mut sso_sessions: BTreeMap<String, Profile> = BTreeMap::new();
        for section in sections {
            if let Some(name) = sso_session_name(&section.header, kind) {
                let session = sso_sessions.entry(name.to_owned()).or_insert_with(|| Profile {
                    name: name.to_owned(),
                    line: section.line,
                    properties: BTreeMap::new(),
                });
                session.properties.extend(section.properties);
                continue;
            }
            let Some((name, prefixed)) = profile_name(&section.header, kind) else {
                continue;
            };
            // `[default]` is ignored in a config file that also has `[profile default]`.
            if kind == FileKind::Config && name == "default" && !prefixed && explicit_default {
                continue;
            }
            let profile = profiles.entry(name.to_owned()).or_insert_with(|| Profile {
                name: name.to_owned(),
                line: section.line,
                properties: BTreeMap::new(),
            });
            profile.properties.extend(section.properties);
        }
        Ok(Self {
            path,
            kind,
            profiles,
            sso_sessions,
        })
    }

    /// The `[sso-session NAME]` section called `name` (config files only), as a [`Profile`] of its keys.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The path given to [`ProfileFile::parse`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this is a config or a credentials file.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The profile called `name`, if the file defines it.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The names of the profiles the file defines, sorted.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }
}

/// A line of a profile file that cannot be understood. The message never quotes the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileParseError {
    path: PathBuf,
    line: usize,
    message: &'static str,
}

impl ProfileParseError {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line number.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong with the line.
    pub fn message(&self) -> &str {
        self.message
    }
}

impl fmt::Display for ProfileParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}: {}", self.path.display(), self.line, self.message)
    }
}

impl Error for ProfileParseError {}

/// The session a `[sso-session NAME]` header of a config file names.
fn sso_session_name(header: &str, kind: FileKind) -> Option<&str> {
    let rest = header
        .strip_prefix("sso-session")
        .filter(|_| kind == FileKind::Config)?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let name = rest.trim();
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
}

/// The profile a section header names in a file of `kind`, and whether it was written `profile name`.
fn profile_name(header: &str, kind: FileKind) -> Option<(&str, bool)> {
    if header.is_empty() {
        return None;
    }
    match kind {
        FileKind::Credentials => Some((header, false)),
        FileKind::Config if header == "default" => Some((header, false)),
        FileKind::Config => {
            let rest = header.strip_prefix("profile")?;
            // `[profile dev]` or `[profile\tdev]`, not `[profiledev]`; `[profile a b]` names no valid profile.
            if !rest.starts_with(char::is_whitespace) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty() && !name.contains(char::is_whitespace)).then_some((name, true))
        }
    }
}

struct Section {
    header: String,
    line: usize,
    properties: Vec<(String, String)>,
}

/// Where the next indented line goes.
#[derive(Clone, Copy)]
enum Continuation {
    /// No property yet in this section: an indented line is read as an ordinary line.
    None,
    /// Append to the value of the last property of the last section.
    Value,
    /// The last property had an empty value: indented lines are its sub-properties.
    SubProperties,
}

fn parse_sections(contents: &str) -> Result<Vec<Section>, (usize, &'static str)> {
    let contents = contents.strip_prefix('\u{feff}').unwrap_or(contents);
    let mut sections: Vec<Section> = Vec::new();
    let mut continuation = Continuation::None;
    for (index, raw) in contents.lines().enumerate() {
        let line = index + 1;
        let text = raw.trim();
        if text.is_empty() || text.starts_with(['#', ';']) {
            continue;
        }
        if raw.starts_with(char::is_whitespace) {
            match continuation {
                Continuation::SubProperties => continue,
                Continuation::Value => {
                    let value = strip_comment(text);
                    if let Some((_, last)) = sections.last_mut().and_then(|s| s.properties.last_mut()) {
                        last.push('\n');
                        last.push_str(value);
                    }
                    continue;
                }
                Continuation::None => {}
            }
        }
        if let Some(rest) = text.strip_prefix('[') {
            let (inner, after) = rest
                .split_once(']')
                .ok_or((line, "a section header has no closing `]`"))?;
            let after = after.trim_start();
            if !(after.is_empty() || after.starts_with(['#', ';'])) {
                return Err((line, "unexpected text after the `]` of a section header"));
            }
            sections.push(Section {
                header: inner.trim().to_owned(),
                line,
                properties: Vec::new(),
            });
            continuation = Continuation::None;
            continue;
        }
        let section = sections
            .last_mut()
            .ok_or((line, "a property comes before any section header (such as `[default]`)"))?;
        let (key, value) = strip_comment(text)
            .split_once('=')
            .ok_or((line, "expected `key = value`"))?;
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() {
            return Err((line, "a property has no name before its `=`"));
        }
        continuation = if value.is_empty() {
            Continuation::SubProperties
        } else {
            Continuation::Value
        };
        section.properties.push((key.to_owned(), value.to_owned()));
    }
    Ok(sections)
}

/// `text` without a trailing comment: a `#` or `;` that follows whitespace, and what comes after it.
fn strip_comment(text: &str) -> &str {
    let mut after_whitespace = false;
    for (index, c) in text.char_indices() {
        if after_whitespace && (c == '#' || c == ';') {
            return text.get(..index).unwrap_or(text).trim_end();
        }
        after_whitespace = c.is_whitespace();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> ProfileFile {
        ProfileFile::parse("/home/me/.aws/config", text, FileKind::Config).unwrap()
    }

    fn credentials(text: &str) -> ProfileFile {
        ProfileFile::parse("/home/me/.aws/credentials", text, FileKind::Credentials).unwrap()
    }

    fn get<'a>(file: &'a ProfileFile, profile: &str, key: &str) -> Option<&'a str> {
        file.profile(profile)?.get(key)
    }

    fn error(text: &str) -> ProfileParseError {
        ProfileFile::parse("/etc/aws", text, FileKind::Config).unwrap_err()
    }

    #[test]
    fn comments_blank_lines_and_whitespace() {
        let file = config(
            "\u{feff}# leading comment\n; another\n\n   [default]   # trailing\n\
             region=us-east-1\n  # indented comment\noutput   =   json   \n\
             endpoint_url = http://localhost:4566 ; local\n\
             a=b#not-a-comment\nc = d;also-not\ne = f\t# tab before\n",
        );
        let default = file.profile("default").unwrap();
        assert_eq!(default.get("region"), Some("us-east-1"));
        assert_eq!(default.get("output"), Some("json"));
        assert_eq!(default.get("endpoint_url"), Some("http://localhost:4566"));
        assert_eq!(default.get("a"), Some("b#not-a-comment"));
        assert_eq!(default.get("c"), Some("d;also-not"));
        assert_eq!(default.get("e"), Some("f"));
        assert_eq!(default.line(), 4);
        assert_eq!(
            default.keys().collect::<Vec<_>>(),
            ["a", "c", "e", "endpoint_url", "output", "region"]
        );
    }

    #[test]
    fn crlf_and_missing_final_newline() {
        let file = config("[default]\r\nregion = us-west-2\r\n[profile x]\r\nregion = eu-west-1");
        assert_eq!(get(&file, "default", "region"), Some("us-west-2"));
        assert_eq!(get(&file, "x", "region"), Some("eu-west-1"));
    }

    #[test]
    fn config_file_sections() {
        let file = config(
            "[profile dev]\nregion = eu-west-1\n[ profile \t spaced ]\nregion = a\n[prod]\nregion = b\n\
             [profilefoo]\nregion = c\n[profile]\nregion = d\n[profile two words]\nregion = e\n\
             [sso-session corp]\nsso_region = f\n[services local]\nregion = g\n[]\nregion = h\n",
        );
        assert_eq!(file.profile_names().collect::<Vec<_>>(), ["dev", "spaced"]);
        assert_eq!(file.sso_session("corp").and_then(|s| s.get("sso_region")), Some("f"));
        assert!(file.sso_session("dev").is_none());
        assert_eq!(get(&file, "dev", "region"), Some("eu-west-1"));
        assert_eq!(get(&file, "spaced", "region"), Some("a"));
        assert!(
            file.profile("prod").is_none(),
            "[prod] is not a profile in the config file"
        );
        assert_eq!(file.path(), Path::new("/home/me/.aws/config"));
        assert_eq!(file.kind(), FileKind::Config);
    }

    #[test]
    fn credentials_file_sections_are_names_as_written() {
        let file = credentials("[default]\naws_access_key_id = A\n[dev]\naws_access_key_id = B\n[profile x]\nk = v\n");
        assert_eq!(get(&file, "default", "aws_access_key_id"), Some("A"));
        assert_eq!(get(&file, "dev", "aws_access_key_id"), Some("B"));
        assert!(file.profile("x").is_none());
        assert_eq!(get(&file, "profile x", "k"), Some("v"));
    }

    #[test]
    fn default_and_profile_default() {
        let both = config("[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n");
        assert_eq!(get(&both, "default", "region"), Some("b"));
        assert_eq!(
            get(&both, "default", "output"),
            None,
            "[default] is ignored next to [profile default]"
        );
        let legacy = config("[default]\nregion = a\n");
        assert_eq!(get(&legacy, "default", "region"), Some("a"));
        // In the credentials file `[profile default]` is not the default profile.
        let creds = credentials("[default]\nk = a\n[profile default]\nk = b\n");
        assert_eq!(get(&creds, "default", "k"), Some("a"));
    }

    #[test]
    fn repeated_sections_and_keys_merge_last_wins() {
        let file = config("[profile a]\nx = 1\ny = 1\n[profile b]\nx = 9\n[profile a]\nx = 2\nx = 3\n");
        let a = file.profile("a").unwrap();
        assert_eq!((a.get("x"), a.get("y"), a.line()), (Some("3"), Some("1"), 1));
        assert_eq!(get(&file, "b", "x"), Some("9"));
    }

    #[test]
    fn keys_are_case_sensitive_and_profile_names_too() {
        let file = config("[profile Dev]\nRegion = eu-west-1\n");
        assert_eq!(get(&file, "Dev", "Region"), Some("eu-west-1"));
        assert_eq!(get(&file, "Dev", "region"), None);
        assert!(file.profile("dev").is_none());
    }

    #[test]
    fn continuations_and_sub_properties() {
        let file = config(
            "[default]\ns3 =\n  max_concurrent_requests = 20\n  not even a property\n\
             region = us-east-1\nnote = first\n  second ; comment\n\tthird\n\
             [profile x]\n  indented = property\n",
        );
        let default = file.profile("default").unwrap();
        assert_eq!(default.get("s3"), Some(""));
        assert_eq!(default.get("max_concurrent_requests"), None);
        assert_eq!(default.get("region"), Some("us-east-1"));
        assert_eq!(default.get("note"), Some("first\nsecond\nthird"));
        assert_eq!(get(&file, "x", "indented"), Some("property"));
    }

    #[test]
    fn malformed_lines_are_errors_with_path_and_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("region = x\n[default]\n", 1, "before any section"),
            ("[default]\nregion = x\n[profile dev\n", 3, "no closing `]`"),
            ("[default]\n\n\nregion\n", 4, "expected `key = value`"),
            ("[default]\n = x\n", 2, "no name"),
            ("[default] region = x\n", 1, "after the `]`"),
            ("  orphan = 1\n", 1, "before any section"),
        ];
        for (text, line, message) in cases {
            let e = error(text);
            assert_eq!(e.line(), *line, "{text:?}");
            assert!(e.message().contains(message), "{text:?}: {e}");
            assert_eq!(e.path(), Path::new("/etc/aws"));
            assert!(e.to_string().starts_with(&format!("/etc/aws, line {line}: ")), "{e}");
        }
    }

    #[test]
    fn errors_never_quote_the_line() {
        let e = error("[default]\naws_secret_access_key wJalrXUtnFEMI\n");
        assert!(!e.to_string().contains("wJalrXUtnFEMI"), "{e}");
        assert!(!format!("{e:?}").contains("wJalrXUtnFEMI"), "{e:?}");
    }

    #[test]
    fn debug_redacts_secret_values() {
        let file = credentials(
            "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI\n\
             aws_session_token = IQoJb3JpZ2lu\ncredential_process = /bin/get --password hunter2\n",
        );
        let text = format!("{file:?}");
        assert!(text.contains("AKIDEXAMPLE"), "{text}");
        for secret in ["wJalrXUtnFEMI", "IQoJb3JpZ2lu", "hunter2"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains(r#""aws_secret_access_key": "** redacted **""#), "{text}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "",
            "[",
            "]",
            "[]",
            "=",
            "==",
            "[[]]",
            "[a]]",
            "[a]\n=",
            "\u{feff}",
            "[é]\nk=√\n  ∞",
            "\n\r\n\r",
            "[a]\nk=v\n \n  x",
            ";[a]",
            "#\n[a]#\nk=#\n",
            "[a]\n\u{0}=\u{0}",
        ];
        for input in inputs {
            for kind in [FileKind::Config, FileKind::Credentials] {
                let _ = ProfileFile::parse("f", input, kind);
            }
        }
        assert_eq!(get(&config("[default]\nk=#\n"), "default", "k"), Some("#"));
        assert_eq!(error("[a]]").line(), 1);
    }
}
