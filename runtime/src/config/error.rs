//! Why a configuration could not be loaded.

use std::error::Error;
use std::fmt;

/// What kind of problem stopped [`ConfigLoader::load`](super::ConfigLoader::load).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// No source gave a region.
    MissingRegion,
    /// No source gave credentials.
    MissingCredentials,
    /// A source gave an access key id without a secret access key, or the reverse.
    IncompleteCredentials,
    /// The profile named by `AWS_PROFILE` or [`ConfigLoader::profile_name`](super::ConfigLoader::profile_name) is in neither file.
    ProfileNotFound,
    /// A shared file exists but cannot be read or parsed.
    ProfileFile,
    /// A setting has a value that cannot be used (a region that is not a region name, a flag that is not a boolean).
    InvalidValue,
}

/// Why a configuration could not be loaded. The message says what is missing or wrong and where it
/// looked; it never contains a secret.
#[derive(Debug)]
pub struct ConfigError {
    kind: ConfigErrorKind,
    message: String,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl ConfigError {
    pub(crate) fn new(kind: ConfigErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn incomplete(what: impl fmt::Display) -> Self {
        Self::new(
            ConfigErrorKind::IncompleteCredentials,
            format!("incomplete AWS credentials: {what}"),
        )
    }

    pub(crate) fn profile_file(message: String, source: impl Error + Send + Sync + 'static) -> Self {
        Self {
            kind: ConfigErrorKind::ProfileFile,
            message,
            source: Some(Box::new(source)),
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ConfigErrorKind {
        self.kind
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for ConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}
