//! The environment a configuration is loaded from: variables, and the files they point to.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::{ConfigError, Credentials};
use crate::profile::Redacted;

const HOME_VARS: [&str; 4] = ["HOME", "USERPROFILE", "HOMEDRIVE", "HOMEPATH"];

/// The environment a configuration is loaded from: environment variables and the files they point to.
///
/// [`Env::real`] is this process's; [`Env::from_pairs`] is made up, for tests and for programs that take
/// their settings from elsewhere. Either way the process environment is only read, never changed, so
/// tests built on `from_pairs` can run in parallel.
///
/// A variable whose value is empty or only whitespace counts as unset, and values are trimmed. `Debug`
/// hides the values of variables that look secret (`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, ...)
/// and the contents of files.
#[derive(Clone, Default)]
pub struct Env {
    pub(super) vars: BTreeMap<String, String>,
    /// Files given with [`Env::with_file`], looked up before (or instead of) the disk.
    pub(super) files: BTreeMap<PathBuf, String>,
    pub(super) disk: bool,
}

impl Env {
    /// A snapshot of this process's environment: every `AWS_*` variable and those that locate the home
    /// directory (`HOME`, `USERPROFILE`, `HOMEDRIVE`, `HOMEPATH`); other variables are not kept. Profile
    /// files are read from disk when the configuration is loaded. Non-UTF-8 values are skipped.
    pub fn real() -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
            .filter(|(name, _)| name.starts_with("AWS_") || HOME_VARS.contains(&name.as_str()))
            .collect();
        Self {
            vars,
            files: BTreeMap::new(),
            disk: true,
        }
    }

    /// An environment holding exactly these variables. It reads no file from disk: profile files exist
    /// only if given with [`Env::with_file`]. A repeated name keeps its last value.
    ///
    /// ```
    /// use awsgen_runtime::config::Env;
    ///
    /// let env = Env::from_pairs(&[("AWS_REGION", "eu-west-1"), ("AWS_PROFILE", " ")]);
    /// assert_eq!(env.get("AWS_REGION"), Some("eu-west-1"));
    /// assert_eq!(env.get("AWS_PROFILE"), None);
    /// ```
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self {
            vars: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            files: BTreeMap::new(),
            disk: false,
        }
    }

    /// Adds a file that exists only in this environment, e.g. `/home/me/.aws/config` (with `HOME` set to
    /// `/home/me`) or the path given by `AWS_CONFIG_FILE`. It shadows a file of the same path on disk.
    pub fn with_file(mut self, path: impl Into<PathBuf>, contents: impl Into<String>) -> Self {
        self.files.insert(path.into(), contents.into());
        self
    }

    /// The value of variable `name`, trimmed; `None` when unset or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        Some(self.vars.get(name)?.trim()).filter(|v| !v.is_empty())
    }

    /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), `None` when neither key is set;
    /// one key without the other is an error naming the missing one.
    pub(crate) fn access_keys(&self) -> Result<Option<Credentials>, ConfigError> {
        let session_token = self.get("AWS_SESSION_TOKEN").map(str::to_owned);
        match (self.get("AWS_ACCESS_KEY_ID"), self.get("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => Ok(Some(Credentials::new(id, secret, session_token))),
            (Some(_), None) => Err(ConfigError::incomplete(
                "the environment variable AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(ConfigError::incomplete(
                "the environment variable AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
            (None, None) => Ok(None),
        }
    }

    /// `HOME`, else `USERPROFILE`, else `HOMEDRIVE` + `HOMEPATH` (the order the AWS SDKs use).
    pub(crate) fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME").or_else(|| self.get("USERPROFILE")) {
            return Some(PathBuf::from(home));
        }
        Some(PathBuf::from(format!(
            "{}{}",
            self.get("HOMEDRIVE")?,
            self.get("HOMEPATH")?
        )))
    }

    /// Writes `contents` to `path` when this environment reads the disk; an in-memory environment
    /// ([`Env::from_pairs`]) writes nothing, so tests never touch the real home directory.
    ///
    /// The file is written next to its final path and renamed over it, so a reader (the AWS CLI, another
    /// process) never sees half of it; on Unix it is created readable by its owner only, because what is
    /// written back (a refreshed SSO token) is a secret.
    pub(crate) fn write(&self, path: &Path, contents: &str) -> io::Result<()> {
        if !self.disk {
            return Ok(());
        }
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        // Unique per write, so two writers (two configurations refreshing one SSO session) never share a file.
        static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut temp_name = path.file_name().unwrap_or(path.as_os_str()).to_os_string();
        temp_name.push(format!(".{}.{write}.tmp", std::process::id()));
        let temp = path.with_file_name(temp_name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options
            .open(&temp)
            .and_then(|mut file| io::Write::write_all(&mut file, contents.as_bytes()))
            .and_then(|()| std::fs::rename(&temp, path));
        if written.is_err() {
            // Best effort: the temporary file is useless once the write has failed.
            let _ = std::fs::remove_file(&temp);
        }
        written
    }

    /// The contents of `path`; `Ok(None)` if it does not exist.
    pub(crate) fn read(&self, path: &Path) -> io::Result<Option<String>> {
        if let Some(contents) = self.files.get(path) {
            return Ok(Some(contents.clone()));
        }
        if !self.disk {
            return Ok(None);
        }
        match std::fs::read_to_string(path) {
            Ok(contents) => Ok(Some(contents)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("vars", &Redacted(&self.vars))
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .field("disk", &self.disk)
            .finish()
    }
}
