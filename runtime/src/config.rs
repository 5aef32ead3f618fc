//! Client configuration shared by every operation of a generated client.
//!
//! Two ways to make a [`Config`]:
//!
//! - [`Config::builder`] takes exactly what it is given and reads nothing else.
//! - [`Config::loader`] (or [`Config::from_env`]) resolves what it is not given the way the AWS SDKs do,
//!   from an [`Env`]: the environment variables and the shared config and credentials files
//!   (see [`ConfigLoader::load`] for the order). Missing credentials or region are a [`ConfigError`]
//!   there, before anything is sent.
//!
//! ```
//! use awsgen_runtime::config::{Config, Env};
//! use awsgen_runtime::transport::StubTransport;
//!
//! let env = Env::from_pairs(&[("HOME", "/home/me"), ("AWS_PROFILE", "dev")])
//!     .with_file("/home/me/.aws/config", "[profile dev]\nregion = eu-west-1\n")
//!     .with_file("/home/me/.aws/credentials", "[dev]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalr\n");
//! let config = Config::loader().env(env).transport(StubTransport::json(200, "{}")).load()?;
//! assert_eq!(config.region(), Some("eu-west-1"));
//! assert_eq!(config.credentials().map(|c| c.access_key_id()), Some("AKIDEXAMPLE"));
//! assert!(!format!("{config:?}").contains("wJalr"));
//! # Ok::<(), awsgen_runtime::config::ConfigError>(())
//! ```

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::container::ContainerProvider;
use crate::credentials::imds::{ImdsClient, ImdsCredentialsProvider};
use crate::credentials::profile_chain::{section_label, CredentialsSource, ProfileResolver};
use crate::credentials::sts::StsClient;
use crate::credentials::web_identity::WebIdentityTokenProvider;
pub use crate::credentials::Credentials;
use crate::credentials::{
    CredentialsCache, CredentialsChain, ProvideCredentials, ProviderContext, SystemClock, TimeSource,
};
use crate::idempotency::IdempotencyTokenProvider;
use crate::profile::{FileKind, Profile, ProfileFile, Redacted};
use crate::protocol::ConfiguredEndpoints;
use crate::region::LazyRegion;
use crate::retry::{RetryConfig, RetryQuota};
use crate::transport::{ResponseSizeLimit, Transport, DEFAULT_CONNECT_TIMEOUT};

/// Region, endpoint, credentials and transport for a client. Cheap to clone: the transport is shared.
#[derive(Clone, Debug, Default)]
pub struct Config {
    region: Option<String>,
    endpoint_url: Option<String>,
    /// Credentials given as such (explicitly, or static keys the loader found); `None` for a provider.
    credentials: Option<Credentials>,
    /// Where signing credentials come from, cached; shared by clones, as the SDKs share one per client.
    credentials_provider: Option<Arc<CredentialsCache>>,
    /// Where the region comes from when it is only known at call time (IMDS).
    region_provider: Option<Arc<crate::region::LazyRegion>>,
    time_source: Option<Arc<dyn TimeSource>>,
    transport: Option<Arc<dyn Transport>>,
    /// The transport is the one `build()` made from `timeouts.connect`, so it is remade if the timeouts change.
    transport_is_default: bool,
    timeouts: Timeouts,
    retry: RetryConfig,
    /// Shared by clones, as the SDKs share one per client.
    retry_quota: Arc<RetryQuota>,
    max_response_size: ResponseSizeLimit,
    /// The per-operation request rules the SDKs let users switch off (unset: the default; the loader fills
    /// what the environment sets).
    disable_host_prefix_injection: Option<bool>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    idempotency_token_provider: IdempotencyTokenProvider,
    /// What [`ConfigLoader::load`] read, for the endpoint settings only known per service.
    loaded: Option<Arc<ConfiguredEndpoints>>,
}

impl Config {
    /// Time limits for a call.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// How failed attempts are retried.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The retry quota of this configuration and its clones (see [`RetryQuota`]).
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.retry_quota
    }

    /// The largest response body, in bytes, a call accepts (see [`ConfigBuilder::max_response_size`]).
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size.0
    }

    /// True if operations' host prefixes are not applied (see [`ConfigBuilder::disable_host_prefix_injection`]).
    pub fn host_prefix_injection_disabled(&self) -> bool {
        self.disable_host_prefix_injection.unwrap_or(false)
    }

    /// True if request bodies are never compressed (see [`ConfigBuilder::disable_request_compression`]).
    pub fn request_compression_disabled(&self) -> bool {
        self.disable_request_compression.unwrap_or(false)
    }

    /// The smallest body that is compressed (see [`ConfigBuilder::request_min_compression_size_bytes`]).
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_min_compression_size_bytes
            .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE_BYTES)
    }

    /// Where idempotency tokens left unset come from (see [`ConfigBuilder::idempotency_token_provider`]).
    pub fn idempotency_token_provider(&self) -> &IdempotencyTokenProvider {
        &self.idempotency_token_provider
    }

    /// Starts an empty configuration that reads nothing from the environment.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Starts a configuration that [`ConfigLoader::load`] completes from the environment, as the AWS SDKs do.
    ///
    /// ```
    /// use awsgen_runtime::config::{Config, Credentials, Env};
    ///
    /// let env = Env::from_pairs(&[
    ///     ("AWS_REGION", "eu-west-1"),
    ///     ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    ///     ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"),
    ///     ("AWS_ENDPOINT_URL", "http://localhost:4566"),
    /// ]);
    /// let config = Config::loader().env(env.clone()).load()?;
    /// assert_eq!(config.region(), Some("eu-west-1"));
    /// assert_eq!(config.credentials().map(|c| c.access_key_id()), Some("AKIDEXAMPLE"));
    ///
    /// // What is set on the loader wins over the environment.
    /// let config = Config::loader().env(env).region("us-east-2").load()?;
    /// assert_eq!(config.region(), Some("us-east-2"));
    ///
    /// // Missing settings are reported before anything is sent. (With IMDS enabled, the default, credentials
    /// // and region left to it are looked up on the first call instead, which reports the same list.)
    /// let env = Env::from_pairs(&[("AWS_REGION", "eu-west-1"), ("AWS_EC2_METADATA_DISABLED", "true")]);
    /// let err = Config::loader().env(env).load().unwrap_err();
    /// assert!(err.to_string().starts_with("no AWS credentials found"), "{err}");
    /// # Ok::<(), awsgen_runtime::config::ConfigError>(())
    /// ```
    pub fn loader() -> ConfigLoader {
        ConfigLoader::default()
    }

    /// Loads a configuration from the real environment: `Config::loader().load()`. The HTTPS transport of the
    /// enabled feature is used; change it (or anything else) with `into_builder()`.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), awsgen_runtime::config::ConfigError> {
    /// # let my_transport = awsgen_runtime::transport::StubTransport::json(200, "{}");
    /// use awsgen_runtime::config::Config;
    ///
    /// // Reads AWS_REGION, AWS_ACCESS_KEY_ID, ~/.aws/config, ... of this process.
    /// let config = Config::from_env()?;
    /// // The same, sending through another transport.
    /// let config = config.into_builder().transport(my_transport).build();
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::loader().load()
    }

    /// A builder holding this configuration, to change or add settings (the environment it was loaded
    /// from is kept).
    pub fn into_builder(self) -> ConfigBuilder {
        ConfigBuilder { config: self }
    }

    /// The AWS region, e.g. `us-east-1`. A region that only IMDS can tell is `None` until the first call
    /// has looked it up (see [`ConfigLoader::load`]).
    pub fn region(&self) -> Option<&str> {
        self.region
            .as_deref()
            .or_else(|| self.region_provider.as_ref()?.resolved())
    }

    /// The region, looked up now if it comes from IMDS and has not been yet.
    pub async fn resolve_region(&self) -> Result<&str, crate::credentials::CredentialsError> {
        self.resolve_region_with(&self.provider_context()).await
    }

    /// [`Config::resolve_region`] with requests made through `ctx`.
    pub(crate) async fn resolve_region_with(
        &self,
        ctx: &ProviderContext,
    ) -> Result<&str, crate::credentials::CredentialsError> {
        match (&self.region, &self.region_provider) {
            (Some(region), _) => Ok(region),
            (None, Some(lazy)) => lazy.resolve(ctx).await,
            (None, None) => Err(crate::credentials::CredentialsError::invalid_configuration(
                "region",
                "no region is set: call `Config::builder().region(\"us-east-1\")` or set AWS_REGION",
            )),
        }
    }

    /// The endpoint set explicitly (on the builder or loader), which replaces the one derived from the region.
    /// Endpoints from the environment are resolved per service by [`crate::protocol::resolve_endpoint`].
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The credentials requests are signed with, when they were given as such: set explicitly, or static
    /// keys the loader found in the environment or a profile. `None` when they come from a provider at call
    /// time (see [`Config::credentials_provider`]).
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// Where signing credentials come from, behind the cache this configuration and its clones share.
    pub fn credentials_provider(&self) -> Option<&Arc<CredentialsCache>> {
        self.credentials_provider.as_ref()
    }

    /// Credentials to sign with now: cached, or fetched from the provider (see [`CredentialsCache`]).
    pub async fn resolve_credentials(&self) -> Result<Credentials, crate::credentials::CredentialsError> {
        self.resolve_credentials_with(&self.provider_context()).await
    }

    /// [`Config::resolve_credentials`] with requests made through `ctx`.
    pub(crate) async fn resolve_credentials_with(
        &self,
        ctx: &ProviderContext,
    ) -> Result<Credentials, crate::credentials::CredentialsError> {
        match &self.credentials_provider {
            Some(cache) => cache.get(ctx).await,
            None => Err(crate::credentials::CredentialsError::invalid_configuration(
                "credentials",
                "no AWS credentials are configured: set them with `Config::builder().credentials(..)` or \
                 `.credentials_provider(..)`, or load them with `Config::from_env()`",
            )),
        }
    }

    /// The clock for expiry and signing (the system clock unless set).
    pub fn time_source(&self) -> Arc<dyn TimeSource> {
        self.time_source.clone().unwrap_or_else(|| Arc::new(SystemClock))
    }

    /// What credential and region providers work with: this configuration's transport, limits and clock.
    pub fn provider_context(&self) -> ProviderContext {
        ProviderContext::from_parts(
            self.transport.clone(),
            self.timeouts,
            self.retry,
            self.max_response_size,
            self.time_source(),
        )
    }

    /// The transport requests are sent through.
    pub fn transport(&self) -> Option<&Arc<dyn Transport>> {
        self.transport.as_ref()
    }

    /// The environment this configuration was loaded from; `None` for one made by [`Config::builder`].
    pub fn env(&self) -> Option<&Env> {
        self.loaded.as_deref().map(|loaded| &loaded.env)
    }

    /// The endpoints the loaded environment configures (`None` for one made by [`Config::builder`]).
    pub fn configured_endpoints(&self) -> Option<&ConfiguredEndpoints> {
        self.loaded.as_deref()
    }
}

/// Time limits for one operation call. `connect` is handed to the default transports; `attempt` bounds each
/// try (the transport enforces it, see [`crate::transport::AttemptTimeout`]); `total` bounds the call with its
/// retries and backoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (TCP and TLS).
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole response.
    pub attempt: Duration,
    /// The whole call, retries and backoff included.
    pub total: Duration,
}

impl Default for Timeouts {
    /// 3.1 s to connect ([`DEFAULT_CONNECT_TIMEOUT`], the AWS SDKs' default), 30 s per attempt, 90 s in all.
    fn default() -> Self {
        Self {
            connect: DEFAULT_CONNECT_TIMEOUT,
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(90),
        }
    }
}

/// Builds a [`Config`]; every setting is optional until an operation needs it.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// Sets the AWS region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sends requests to this URL (e.g. `http://localhost:4566`) instead of the regional endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials_provider = Some(Arc::new(CredentialsCache::new(Arc::new(credentials.clone()))));
        self.config.credentials = Some(credentials);
        self
    }

    /// Fetches credentials from `provider` at call time, cached (and refreshed ahead of expiry) by this
    /// configuration and its clones. Replaces credentials set before.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials_provider = Some(Arc::new(CredentialsCache::new(Arc::new(provider))));
        self.config.credentials = None;
        self
    }

    /// Sets the clock used for credentials' expiry and for signing (the system clock by default); tests use a
    /// [`ManualClock`](crate::credentials::ManualClock).
    pub fn time_source(mut self, time_source: impl TimeSource + 'static) -> Self {
        self.config.time_source = Some(Arc::new(time_source));
        self
    }

    /// Sets the transport.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.config.transport = Some(Arc::new(transport));
        self.config.transport_is_default = false;
        self
    }

    /// Sets the per-attempt and total time limits (see [`Timeouts`]). A default transport made earlier (by
    /// `build()` of the configuration this builder came from) is made again with the new connect timeout.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        if self.config.transport_is_default && timeouts.connect != self.config.timeouts.connect {
            self.config.transport = None;
        }
        self.config.timeouts = timeouts;
        self
    }

    /// Sets how failed attempts are retried (standard mode by default: 3 attempts).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Sets the largest response body, in bytes, a call accepts; default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`](crate::transport::DEFAULT_MAX_RESPONSE_SIZE), 64 MiB.
    ///
    /// A broken or hostile endpoint could otherwise make the client buffer an endless body. The transports stop
    /// as soon as the limit is passed (or the `Content-Length` announces more) and the call fails with
    /// [`SdkError::Dispatch`](crate::error::SdkError::Dispatch) of kind
    /// [`ResponseTooLarge`](crate::transport::TransportErrorKind::ResponseTooLarge), which is not retried.
    ///
    /// Why 64 MiB: awsJson responses are bounded by the services' paging. ECS describes at most 10 services or
    /// 100 tasks per call (a `DescribeTaskSets` response is kilobytes, a full page of services or tasks well
    /// under a megabyte), and the largest JSON responses AWS documents are a few 1 MB pages of data
    /// (DynamoDB `Query`/`Scan`, CloudWatch Logs `GetLogEvents`) and DynamoDB `BatchGetItem` at 16 MB. 64 MiB
    /// leaves four times that, with the JSON's overhead, while bounding what one call can allocate (the parsed
    /// output costs a few times the body on top). The limit is handed to the transport with each request
    /// ([`ResponseSizeLimit`]), so it applies to any transport that reads it.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.config.max_response_size = ResponseSizeLimit(bytes);
        self
    }

    /// Turns off the host prefixes some operations put before the endpoint's host (`data-` for Cloud Map's
    /// `DiscoverInstances`, `sync-` for Step Functions' `StartSyncExecution`), as botocore's
    /// `inject_host_prefix=False` does: needed when the endpoint is an IP address or a local emulator that
    /// cannot answer for the prefixed name. The loader reads `AWS_DISABLE_HOST_PREFIX_INJECTION` and the
    /// profile's `disable_host_prefix_injection`.
    pub fn disable_host_prefix_injection(mut self, disable: bool) -> Self {
        self.config.disable_host_prefix_injection = Some(disable);
        self
    }

    /// Turns off request compression for operations that allow it (CloudWatch's `PutMetricData` is sent
    /// gzipped otherwise). The loader reads `AWS_DISABLE_REQUEST_COMPRESSION` and the profile's
    /// `disable_request_compression`.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.config.disable_request_compression = Some(disable);
        self
    }

    /// Sets the smallest request body, in bytes, that is compressed where an operation allows it; default
    /// 10240, at most 10485760 (larger values are capped), as in the AWS SDKs. The loader reads
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` and the profile's `request_min_compression_size_bytes`.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.config.request_min_compression_size_bytes = Some(bytes.min(MAX_MIN_COMPRESSION_SIZE_BYTES));
        self
    }

    /// Sets where the tokens of `idempotencyToken` members left unset come from: random UUIDs by default;
    /// [`IdempotencyTokenProvider::fixed`] makes requests reproducible in tests.
    pub fn idempotency_token_provider(mut self, provider: IdempotencyTokenProvider) -> Self {
        self.config.idempotency_token_provider = provider;
        self
    }

    /// Finishes the configuration. Without a transport, the enabled features' default one is made with
    /// `timeouts.connect`: `HyperTransport` (feature `async-https`, on by default), else `UreqTransport`
    /// (`blocking-https`), else none (and operations fail with a configuration error).
    pub fn build(mut self) -> Config {
        if self.config.transport.is_none() {
            self.config.transport = default_transport(&self.config.timeouts);
            self.config.transport_is_default = self.config.transport.is_some();
        }
        self.config
    }
}

/// The transport a [`Config`] gets when none is given: `HyperTransport` with feature `async-https` (the
/// default), else `UreqTransport` with `blocking-https`, else none. Neither can fail without extra roots.
#[cfg(feature = "async-https")]
fn default_transport(timeouts: &Timeouts) -> Option<Arc<dyn Transport>> {
    let transport = crate::https_async::HyperTransport::builder().connect_timeout(timeouts.connect);
    Some(Arc::new(transport.build().ok()?))
}
#[cfg(all(feature = "blocking-https", not(feature = "async-https")))]
fn default_transport(timeouts: &Timeouts) -> Option<Arc<dyn Transport>> {
    let transport = crate::https_blocking::UreqTransport::builder().connect_timeout(timeouts.connect);
    Some(Arc::new(transport.build().ok()?))
}
#[cfg(not(any(feature = "async-https", feature = "blocking-https")))]
fn default_transport(_: &Timeouts) -> Option<Arc<dyn Transport>> {
    None
}

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
    vars: BTreeMap<String, String>,
    /// Files given with [`Env::with_file`], looked up before (or instead of) the disk.
    files: BTreeMap<PathBuf, String>,
    disk: bool,
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

/// Makes a [`Config`] from what it is given plus the environment; see [`ConfigLoader::load`].
#[derive(Clone, Debug, Default)]
pub struct ConfigLoader {
    builder: ConfigBuilder,
    env: Option<Env>,
    profile_name: Option<String>,
}

impl ConfigLoader {
    /// Loads from `env` instead of [`Env::real`].
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Uses this profile of the shared files instead of `AWS_PROFILE` (or `default`).
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// Sets the region, which wins over the environment.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.builder = self.builder.region(region);
        self
    }

    /// Sets the endpoint, which wins over the environment.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.builder = self.builder.endpoint_url(url);
        self
    }

    /// Sets the credentials, which win over the environment.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.builder = self.builder.credentials(credentials);
        self
    }

    /// Sets a credentials provider, which wins over the environment's chain.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.builder = self.builder.credentials_provider(provider);
        self
    }

    /// Sets the transport.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.builder = self.builder.transport(transport);
        self
    }

    /// Resolves every setting not given to the loader, the way the AWS SDKs do. Loading reads variables and
    /// files only; the providers that need the network (STS, SSO, the container endpoint, IMDS) are asked on
    /// the first call, and their credentials are cached by the configuration and its clones (see
    /// [`CredentialsCache`]).
    ///
    /// - **Profile**: [`ConfigLoader::profile_name`], else `AWS_PROFILE`, else `default`. Its files are
    ///   `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and `AWS_CONFIG_FILE` (default
    ///   `~/.aws/config`); `~` is the home directory; a missing file has no profiles (see
    ///   [`crate::profile`] for the format). A profile named by `profile_name` or `AWS_PROFILE` must exist
    ///   in one of them. The files are read only if something is left to look up in them.
    /// - **Credentials**, the first source that is set up (the SDKs' default chain):
    ///   1. the loader's ([`ConfigLoader::credentials`], [`ConfigLoader::credentials_provider`]);
    ///   2. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); one without the other is
    ///      an error;
    ///   3. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`), STS
    ///      `AssumeRoleWithWebIdentity`;
    ///   4. the profile: a role (`role_arn` with `source_profile`, `credential_source` or
    ///      `web_identity_token_file`), SSO, `credential_process` or static keys, as
    ///      [`crate::credentials::profile_chain`] describes;
    ///   5. the container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `..._FULL_URI`);
    ///   6. IMDS (unless `AWS_EC2_METADATA_DISABLED=true`; `AWS_EC2_METADATA_SERVICE_ENDPOINT` and
    ///      `..._ENDPOINT_MODE` or the profile's `ec2_metadata_service_endpoint(_mode)` place it).
    ///
    ///   A source that is set up but fails (an unreadable token file, STS refusing) stops the chain with
    ///   its error. When nothing is set up, the error lists every source with why it had nothing: here if
    ///   IMDS is disabled, else from the first call once IMDS has answered that it has nothing either.
    /// - **Region**: the loader's; else `AWS_REGION`; else `AWS_DEFAULT_REGION`; else `region` of the
    ///   profile in the config file; else IMDS `placement/region`, on the first call. It must be a valid
    ///   region name (`[a-z0-9-]+`). STS is called in this region (`us-east-1` when only IMDS knows it).
    /// - **Endpoint**: the loader's `endpoint_url`; else (per service, when a request is built, by
    ///   [`crate::protocol::resolve_endpoint`]) `AWS_ENDPOINT_URL_<SERVICE_ID>`, `AWS_ENDPOINT_URL`, the
    ///   profile's `endpoint_url` from the config file, then the regional endpoint. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
    ///   (or `ignore_configured_endpoint_urls = true` in the profile) skips the variables and the profile.
    ///   The credential providers' STS, SSO and SSO-OIDC calls follow the same rules
    ///   (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC`).
    ///
    /// Errors name what is missing and every place that was looked at; they never contain secrets.
    pub fn load(self) -> Result<Config, ConfigError> {
        let env = self.env.unwrap_or_else(Env::real);
        let mut config = self.builder.config;
        let mut files = LazyFiles {
            env: &env,
            selection: select_profile(&env, self.profile_name),
            files: None,
            imds: None,
        };

        match config.region.take() {
            Some(region) => config.region = Some(checked_region(region, "the region set on the loader")?),
            None => match find_region(&env, &mut files)? {
                Some((region, source)) => config.region = Some(checked_region(region, &source)?),
                // Only IMDS is left, and it is asked on the first call, not here: loading does no I/O but files.
                None => {
                    let looked_at = region_looked_at(&mut files)?;
                    let Some(client) = files.imds()? else {
                        return Err(ConfigError::new(
                            ConfigErrorKind::MissingRegion,
                            format!("{NO_REGION} Looked at: {looked_at}; IMDS (disabled by {IMDS_DISABLED_VAR})"),
                        ));
                    };
                    config.region_provider = Some(Arc::new(LazyRegion::new(client, looked_at)));
                }
            },
        }

        // The client's endpoint, and the STS and SSO endpoints of the credential providers: read unless the
        // loader was given both an endpoint and credentials.
        let endpoints = if config.endpoint_url.is_some() && config.credentials_provider.is_some() {
            ConfiguredEndpoints {
                env: env.clone(),
                ..ConfiguredEndpoints::default()
            }
        } else {
            let ignore = match env.get(IGNORE_ENDPOINTS_VAR) {
                Some(value) => parse_bool(value, IGNORE_ENDPOINTS_VAR)?,
                None => match files.config_value("ignore_configured_endpoint_urls")? {
                    Some((value, source)) => parse_bool(&value, &source)?,
                    None => false,
                },
            };
            let profile_endpoint_url = if ignore {
                None
            } else {
                files.config_value("endpoint_url")?
            };
            ConfiguredEndpoints {
                env: env.clone(),
                profile_endpoint_url,
                ignore,
            }
        };

        if config.credentials_provider.is_none() {
            let region = config.region.as_deref();
            let builder = ConfigBuilder { config: config.clone() };
            config = match default_credentials(&env, &mut files, &endpoints, region)? {
                CredentialsSource::Static(credentials) => builder.credentials(credentials).config,
                CredentialsSource::Provider(provider) => builder.credentials_provider(provider).config,
            };
        }
        // What the loader was not given: from the environment variable, else the profile key.
        files.fill(
            &mut config.disable_host_prefix_injection,
            ("AWS_DISABLE_HOST_PREFIX_INJECTION", "disable_host_prefix_injection"),
            parse_bool,
        )?;
        files.fill(
            &mut config.disable_request_compression,
            ("AWS_DISABLE_REQUEST_COMPRESSION", "disable_request_compression"),
            parse_bool,
        )?;
        files.fill(
            &mut config.request_min_compression_size_bytes,
            (
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
                "request_min_compression_size_bytes",
            ),
            parse_min_compression_size,
        )?;
        config.loaded = Some(Arc::new(endpoints));
        Ok(ConfigBuilder { config }.build())
    }
}

/// Whether `region` can be a hostname label: non-empty lowercase letters, digits and `-`.
pub(crate) fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

const IGNORE_ENDPOINTS_VAR: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

/// botocore's and the SDKs' default and upper bound for `request_min_compression_size_bytes`.
const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;
const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

fn parse_min_compression_size(value: &str, source: &str) -> Result<u32, ConfigError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|bytes| *bytes <= MAX_MIN_COMPRESSION_SIZE_BYTES)
        .ok_or_else(|| {
            ConfigError::new(
                ConfigErrorKind::InvalidValue,
                format!("{source} must be a whole number of bytes from 0 to {MAX_MIN_COMPRESSION_SIZE_BYTES}, not `{value}`"),
            )
        })
}

fn parse_bool(value: &str, source: &str) -> Result<bool, ConfigError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(ConfigError::new(
            ConfigErrorKind::InvalidValue,
            format!("{source} must be `true` or `false`, not `{value}`"),
        ))
    }
}

/// What a missing region's error starts with.
pub(crate) const NO_REGION: &str =
    "no AWS region is configured: set one with `.region(\"us-east-1\")`, the environment \
                         variable AWS_REGION, or `region` in the config file.";
const IMDS_DISABLED_VAR: &str = "AWS_EC2_METADATA_DISABLED";

fn checked_region(region: String, source: &str) -> Result<String, ConfigError> {
    if is_valid_region(&region) {
        return Ok(region);
    }
    Err(ConfigError::new(
        ConfigErrorKind::InvalidValue,
        format!("the region `{region}` from {source} is not a valid region name (lowercase letters, digits and `-`)"),
    ))
}

/// The region from the variables or the profile, and where it was found.
fn find_region(env: &Env, files: &mut LazyFiles<'_>) -> Result<Option<(String, String)>, ConfigError> {
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(region) = env.get(var) {
            return Ok(Some((region.to_owned(), var.to_owned())));
        }
    }
    files.config_value("region")
}

/// Where [`find_region`] looked, for the error when IMDS has no region either.
fn region_looked_at(files: &mut LazyFiles<'_>) -> Result<String, ConfigError> {
    let (selection, loaded) = files.load()?;
    Ok(format!(
        "the loader (no region set); AWS_REGION and AWS_DEFAULT_REGION (not set); {} in {}",
        selection.describe(),
        loaded.config.describe(&selection.name, "region"),
    ))
}

/// The default credentials chain, decided from the environment and the files (no I/O but reading them):
/// environment keys, web identity from the environment, the profile, the container endpoint, then IMDS,
/// which alone is asked at call time. The first that is set up supplies the credentials; when none is and
/// IMDS is disabled, the error lists each with why it had nothing.
fn default_credentials(
    env: &Env,
    files: &mut LazyFiles<'_>,
    endpoints: &ConfiguredEndpoints,
    region: Option<&str>,
) -> Result<CredentialsSource, ConfigError> {
    let session_token = env.get("AWS_SESSION_TOKEN").map(str::to_owned);
    match (env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => return Ok(CredentialsSource::Static(Credentials::new(id, secret, session_token))),
        (Some(_), None) => {
            return Err(ConfigError::incomplete(
                "the environment variable AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ))
        }
        (None, Some(_)) => {
            return Err(ConfigError::incomplete(
                "the environment variable AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            ))
        }
        (None, None) => {}
    }
    let mut chain = CredentialsChain::new().ruled_out(
        "environment variables",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
    );

    match (env.get("AWS_WEB_IDENTITY_TOKEN_FILE"), env.get("AWS_ROLE_ARN")) {
        (Some(token_file), Some(role_arn)) => {
            let provider = WebIdentityTokenProvider::new(
                PathBuf::from(token_file),
                role_arn.to_owned(),
                env.get("AWS_ROLE_SESSION_NAME").map(str::to_owned),
                env.clone(),
                StsClient::new(region, endpoints.clone()),
            );
            return Ok(CredentialsSource::Provider(Arc::new(provider)));
        }
        (Some(_), None) => {
            return Err(ConfigError::new(
                ConfigErrorKind::InvalidValue,
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: web identity needs the role to assume",
            ))
        }
        (None, _) => chain = chain.ruled_out("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE is not set"),
    }

    let imds = files.imds()?;
    let imds = imds.as_ref();
    let (selection, shared) = files.load()?;
    let resolver = ProfileResolver {
        credentials: shared.credentials.parsed(),
        config: shared.config.parsed(),
        env,
        endpoints,
        region,
        imds,
    };
    match resolver.resolve(&selection.name)? {
        Some(found) => return Ok(found),
        None => {
            let keys = "credentials";
            chain = chain.ruled_out(
                selection.describe(),
                format!(
                    "{} and {}",
                    shared.credentials.describe(&selection.name, keys),
                    shared.config.describe(&selection.name, keys)
                ),
            );
        }
    }

    match ContainerProvider::from_env(env) {
        Ok(Some(provider)) => return Ok(CredentialsSource::Provider(Arc::new(provider))),
        Ok(None) => {
            chain = chain.ruled_out(
                "container endpoint",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            )
        }
        Err(e) => return Err(ConfigError::new(ConfigErrorKind::InvalidValue, e.to_string())),
    }

    match imds {
        Some(client) => Ok(CredentialsSource::Provider(Arc::new(
            chain.or_else("IMDS", ImdsCredentialsProvider::new(client.clone())),
        ))),
        None => {
            let chain = chain.ruled_out("IMDS", format!("disabled by {IMDS_DISABLED_VAR}"));
            Err(ConfigError::new(
                ConfigErrorKind::MissingCredentials,
                chain.none_found_message(),
            ))
        }
    }
}

/// The profile to read and what chose it.
struct Selection {
    name: String,
    /// `None` for the `default` profile nobody asked for, which need not exist.
    chosen_by: Option<&'static str>,
}

impl Selection {
    fn describe(&self) -> String {
        match self.chosen_by {
            Some(by) => format!("profile `{}` (from {by})", self.name),
            None => format!("profile `{}`", self.name),
        }
    }
}

fn select_profile(env: &Env, explicit: Option<String>) -> Selection {
    match (explicit, env.get("AWS_PROFILE")) {
        (Some(name), _) => Selection {
            name,
            chosen_by: Some("`profile_name(..)`"),
        },
        (None, Some(name)) => Selection {
            name: name.to_owned(),
            chosen_by: Some("AWS_PROFILE"),
        },
        (None, None) => Selection {
            name: "default".to_owned(),
            chosen_by: None,
        },
    }
}

/// The shared files, read on first use.
struct LazyFiles<'a> {
    env: &'a Env,
    selection: Selection,
    files: Option<SharedFiles>,
    /// The IMDS client, made on first use, so that the region and the credentials share its session token.
    imds: Option<Option<ImdsClient>>,
}

struct SharedFiles {
    credentials: SharedFile,
    config: SharedFile,
}

impl LazyFiles<'_> {
    /// The IMDS client the chains end with; `None` when `AWS_EC2_METADATA_DISABLED` is `true`. Its endpoint
    /// and mode come from the variables, else the profile.
    fn imds(&mut self) -> Result<Option<ImdsClient>, ConfigError> {
        if let Some(made) = &self.imds {
            return Ok(made.clone());
        }
        let disabled = match self.env.get(IMDS_DISABLED_VAR) {
            Some(value) => parse_bool(value, IMDS_DISABLED_VAR)?,
            None => false,
        };
        let client = if disabled {
            None
        } else {
            let as_text = |value: &str, _: &str| Ok(value.to_owned());
            let endpoint = self.setting(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "ec2_metadata_service_endpoint",
                as_text,
            )?;
            let mode = self.setting(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                "ec2_metadata_service_endpoint_mode",
                as_text,
            )?;
            let client = ImdsClient::new(endpoint.as_deref(), mode.as_deref())
                .map_err(|e| ConfigError::new(ConfigErrorKind::InvalidValue, e.to_string()))?;
            Some(client)
        };
        Ok(self.imds.insert(client).clone())
    }

    /// The selected profile and the files, read the first time.
    fn load(&mut self) -> Result<(&Selection, &SharedFiles), ConfigError> {
        let files = match self.files.take() {
            Some(files) => files,
            None => SharedFiles::read(self.env, &self.selection)?,
        };
        Ok((&self.selection, self.files.insert(files)))
    }

    /// `key` of the selected profile in the config file, and a description of where it was found.
    fn config_value(&mut self, key: &str) -> Result<Option<(String, String)>, ConfigError> {
        let (selection, files) = self.load()?;
        let name = &selection.name;
        let Some(profile) = files.config.profile(name) else {
            return Ok(None);
        };
        let Some(value) = profile.get(key).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let source = format!(
            "`{key}` in {} of {}",
            section_label(FileKind::Config, name),
            files.config.path.display()
        );
        Ok(Some((value.to_owned(), source)))
    }

    /// An optional setting from the environment variable `var`, else from `key` of the profile, parsed with
    /// `parse` (which is told where the value came from, for its error message). Shared files that cannot be
    /// read count as not setting it: they are only an error where the configuration needs them (region,
    /// credentials, endpoint), so a program that gives those explicitly is not stopped by a broken file.
    fn setting<T>(
        &mut self,
        var: &str,
        key: &str,
        parse: fn(&str, &str) -> Result<T, ConfigError>,
    ) -> Result<Option<T>, ConfigError> {
        if let Some(value) = self.env.get(var) {
            return parse(value, var).map(Some);
        }
        match self.config_value(key) {
            Ok(Some((value, source))) => parse(&value, &source).map(Some),
            Ok(None) | Err(_) => Ok(None),
        }
    }

    /// [`setting`](Self::setting) `(variable, profile key)` into `slot`, unless the loader was given a value.
    fn fill<T>(
        &mut self,
        slot: &mut Option<T>,
        (var, key): (&str, &str),
        parse: fn(&str, &str) -> Result<T, ConfigError>,
    ) -> Result<(), ConfigError> {
        if slot.is_none() {
            *slot = self.setting(var, key, parse)?;
        }
        Ok(())
    }
}

impl SharedFiles {
    fn read(env: &Env, selection: &Selection) -> Result<Self, ConfigError> {
        let credentials = SharedFile::read(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials", FileKind::Credentials)?;
        let config = SharedFile::read(env, "AWS_CONFIG_FILE", "config", FileKind::Config)?;
        let name = &selection.name;
        if let Some(by) = selection.chosen_by {
            if credentials.profile(name).is_none() && config.profile(name).is_none() {
                return Err(ConfigError::new(
                    ConfigErrorKind::ProfileNotFound,
                    format!(
                        "the profile `{name}` (from {by}) is not defined: looked in {} and {}",
                        credentials.describe(name, "credentials"),
                        config.describe(name, "settings"),
                    ),
                ));
            }
        }
        Ok(Self { credentials, config })
    }
}

/// One of the two shared files.
struct SharedFile {
    path: PathBuf,
    kind: FileKind,
    state: FileState,
}

enum FileState {
    /// `~` could not be expanded.
    NoHome,
    NotFound,
    Parsed(ProfileFile),
}

impl SharedFile {
    fn read(env: &Env, var: &str, name: &str, kind: FileKind) -> Result<Self, ConfigError> {
        let path = match env.get(var) {
            Some(path) => path.to_owned(),
            None => format!("~/.aws/{name}"),
        };
        let home_relative = match path.strip_prefix('~') {
            Some("") => Some(""),
            Some(rest) => rest.strip_prefix(['/', '\\']),
            None => None,
        };
        let (path, home) = match home_relative {
            None => (PathBuf::from(&path), true),
            Some(rest) => match env.home_dir() {
                Some(home) => (home.join(rest), true),
                None => (PathBuf::from(&path), false),
            },
        };
        let state = if !home {
            FileState::NoHome
        } else {
            match env.read(&path) {
                Ok(None) => FileState::NotFound,
                Ok(Some(contents)) => FileState::Parsed(
                    ProfileFile::parse(&path, &contents, kind)
                        .map_err(|e| ConfigError::profile_file(format!("cannot parse {e}"), e))?,
                ),
                Err(e) => {
                    let message = format!("cannot read {}: {e}", path.display());
                    return Err(ConfigError::profile_file(message, e));
                }
            }
        };
        Ok(Self { path, kind, state })
    }

    fn parsed(&self) -> Option<&ProfileFile> {
        match &self.state {
            FileState::Parsed(file) => Some(file),
            FileState::NoHome | FileState::NotFound => None,
        }
    }

    fn profile(&self, name: &str) -> Option<&Profile> {
        self.parsed()?.profile(name)
    }

    /// `path (why nothing was found)`, for errors.
    fn describe(&self, name: &str, wanted: &str) -> String {
        let path = self.path.display();
        let section = section_label(self.kind, name);
        match &self.state {
            FileState::NoHome => format!("{path} (not read: no home directory, HOME is not set)"),
            FileState::NotFound => format!("{path} (file not found)"),
            FileState::Parsed(file) if file.profile(name).is_none() => format!("{path} (no {section} section)"),
            FileState::Parsed(_) => format!("{path} ({section} has no {wanted})"),
        }
    }
}

/// What kind of problem stopped [`ConfigLoader::load`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// No source gave a region.
    MissingRegion,
    /// No source gave credentials.
    MissingCredentials,
    /// A source gave an access key id without a secret access key, or the reverse.
    IncompleteCredentials,
    /// The profile named by `AWS_PROFILE` or [`ConfigLoader::profile_name`] is in neither file.
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

    fn profile_file(message: String, source: impl Error + Send + Sync + 'static) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;

    impl Config {
        fn profile_endpoint_url(&self) -> Option<(&str, &str)> {
            let (url, source) = self.configured_endpoints()?.profile_endpoint_url.as_ref()?;
            Some((url, source))
        }

        fn ignores_configured_endpoint_urls(&self) -> bool {
            self.configured_endpoints().is_some_and(|e| e.ignore)
        }
    }

    use crate::transport::StubTransport;

    const ID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI";
    const TOKEN: &str = "IQoJb3JpZ2lu";

    fn load(env: Env) -> Result<Config, ConfigError> {
        Config::loader().env(env).load()
    }

    /// IMDS is off in these tests unless a test turns it on: loading must then decide from variables and files.
    const NO_IMDS: (&str, &str) = ("AWS_EC2_METADATA_DISABLED", "true");

    fn env_creds(extra: &[(&str, &str)]) -> Env {
        let mut pairs = vec![("AWS_ACCESS_KEY_ID", ID), ("AWS_SECRET_ACCESS_KEY", SECRET), NO_IMDS];
        pairs.extend_from_slice(extra);
        Env::from_pairs(&pairs)
    }

    fn key_id(config: &Config) -> &str {
        config.credentials().unwrap().access_key_id()
    }

    /// A home directory with these two files (`None`: no such file).
    fn home(vars: &[(&str, &str)], credentials: Option<&str>, config: Option<&str>) -> Env {
        let mut pairs = vec![("HOME", "/home/me"), NO_IMDS];
        pairs.extend_from_slice(vars);
        let mut env = Env::from_pairs(&pairs);
        if let Some(text) = credentials {
            env = env.with_file("/home/me/.aws/credentials", text);
        }
        if let Some(text) = config {
            env = env.with_file("/home/me/.aws/config", text);
        }
        env
    }

    #[test]
    fn loader_settings_win_over_env_and_files() {
        let env = home(
            &[
                ("AWS_REGION", "eu-west-1"),
                ("AWS_ACCESS_KEY_ID", "ENVKEY"),
                ("AWS_SECRET_ACCESS_KEY", "envsecret"),
            ],
            Some("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = s\n"),
            Some("[default]\nregion = ap-south-1\nendpoint_url = http://profile:1\n"),
        );
        let config = Config::loader()
            .env(env)
            .region("us-east-2")
            .credentials(Credentials::new("MINE", "mysecret", None))
            .endpoint_url("http://localhost:4566")
            .transport(StubTransport::json(200, "{}"))
            .load()
            .unwrap();
        assert_eq!(config.region(), Some("us-east-2"));
        assert_eq!(key_id(&config), "MINE");
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert!(config.transport().is_some());
        assert_eq!(config.profile_endpoint_url(), None);
        assert_eq!(config.env().unwrap().get("AWS_REGION"), Some("eu-west-1"));
    }

    #[test]
    fn credentials_from_env_with_and_without_session_token() {
        let config = load(env_creds(&[("AWS_REGION", "us-east-1"), ("AWS_SESSION_TOKEN", TOKEN)])).unwrap();
        let creds = config.credentials().unwrap();
        assert_eq!((creds.access_key_id(), creds.secret_access_key()), (ID, SECRET));
        assert_eq!(creds.session_token(), Some(TOKEN));
        let config = load(env_creds(&[("AWS_REGION", "us-east-1")])).unwrap();
        assert_eq!(config.credentials().unwrap().session_token(), None);
    }

    #[test]
    fn env_credentials_win_over_the_profile() {
        let env = home(
            &[
                ("AWS_REGION", "us-east-1"),
                ("AWS_ACCESS_KEY_ID", "ENVKEY"),
                ("AWS_SECRET_ACCESS_KEY", "envsecret"),
            ],
            Some("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\naws_session_token = t\n"),
            None,
        );
        let config = load(env).unwrap();
        let creds = config.credentials().unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.secret_access_key()),
            ("ENVKEY", "envsecret")
        );
        assert_eq!(
            creds.session_token(),
            None,
            "the token is not taken from another source"
        );
    }

    #[test]
    fn an_incomplete_env_pair_is_an_error_naming_the_missing_variable() {
        let cases = [
            ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY is not"),
            ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID is not"),
        ];
        for (set, missing) in cases {
            // Even with complete credentials in the file: a half-set environment is a mistake to report.
            let env = home(
                &[("AWS_REGION", "us-east-1"), (set, SECRET)],
                Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\n"),
                None,
            );
            let err = load(env).unwrap_err();
            assert_eq!(err.kind(), ConfigErrorKind::IncompleteCredentials);
            let text = err.to_string();
            assert!(text.contains(&format!("environment variable {set} is set")), "{text}");
            assert!(text.contains(missing), "{text}");
            assert!(!text.contains(SECRET), "{text}");
        }
    }

    #[test]
    fn credentials_and_region_from_the_default_profile() {
        let env = home(
            &[],
            Some(&format!(
                "[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
            )),
            Some("[default]\nregion = eu-central-1\n"),
        );
        let config = load(env).unwrap();
        assert_eq!(config.region(), Some("eu-central-1"));
        let creds = config.credentials().unwrap();
        assert_eq!((creds.access_key_id(), creds.secret_access_key()), (ID, SECRET));
        assert_eq!(creds.session_token(), Some(TOKEN));
    }

    #[test]
    fn credentials_file_wins_over_config_file_and_keys_are_not_mixed() {
        let config_file = "[profile dev]\nregion = eu-west-1\naws_access_key_id = CONFIGKEY\n\
                           aws_secret_access_key = configsecret\naws_session_token = configtoken\n";
        let env = home(
            &[("AWS_PROFILE", "dev")],
            Some("[dev]\naws_access_key_id = CREDKEY\naws_secret_access_key = credsecret\n"),
            Some(config_file),
        );
        let config = load(env).unwrap();
        let creds = config.credentials().unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.secret_access_key()),
            ("CREDKEY", "credsecret")
        );
        assert_eq!(creds.session_token(), None);

        // The profile only in the config file: credentials come from there.
        let env = home(&[("AWS_PROFILE", "dev")], Some("[other]\nx = y\n"), Some(config_file));
        let config = load(env).unwrap();
        assert_eq!(key_id(&config), "CONFIGKEY");
        assert_eq!(config.credentials().unwrap().session_token(), Some("configtoken"));

        // Half a pair in the credentials file is an error, not completed from the config file.
        let env = home(
            &[("AWS_PROFILE", "dev")],
            Some("# creds\n\n[dev]\naws_access_key_id = CREDKEY\n"),
            Some(config_file),
        );
        let err = load(env).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::IncompleteCredentials);
        assert_eq!(
            err.to_string(),
            "incomplete AWS credentials: `[dev]` (line 3) of /home/me/.aws/credentials sets aws_access_key_id \
             but not aws_secret_access_key"
        );
    }

    #[test]
    fn incomplete_pair_in_the_config_file_names_the_section() {
        let env = home(
            &[("AWS_REGION", "us-east-1")],
            None,
            Some("[default]\naws_secret_access_key = wJalrXUtnFEMI\n"),
        );
        let text = load(env).unwrap_err().to_string();
        assert_eq!(
            text,
            "incomplete AWS credentials: `[default]` (line 1) of /home/me/.aws/config sets aws_secret_access_key \
             but not aws_access_key_id"
        );
    }

    #[test]
    fn config_file_sections_need_the_profile_prefix() {
        // `[dev]` in the config file is not profile dev, `[profile dev]` in the credentials file neither.
        let env = home(
            &[("AWS_PROFILE", "dev"), ("AWS_REGION", "us-east-1")],
            Some("[profile dev]\naws_access_key_id = A\naws_secret_access_key = B\n"),
            Some("[dev]\naws_access_key_id = A\naws_secret_access_key = B\n"),
        );
        let err = load(env).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::ProfileNotFound);
        assert_eq!(
            err.to_string(),
            "the profile `dev` (from AWS_PROFILE) is not defined: looked in /home/me/.aws/credentials (no `[dev]` \
             section) and /home/me/.aws/config (no `[profile dev]` section)"
        );
        // `[profile default]` is the default profile in the config file, and beats `[default]`.
        let env = home(
            &[],
            None,
            Some("[default]\nregion = us-east-1\n[profile default]\nregion = us-west-1\naws_access_key_id = A\naws_secret_access_key = B\n"),
        );
        assert_eq!(load(env).unwrap().region(), Some("us-west-1"));
    }

    #[test]
    fn region_precedence() {
        let files = |vars: &[(&str, &str)]| {
            home(
                vars,
                Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\nregion = ca-central-1\n"),
                Some("[default]\nregion = ap-south-1\n"),
            )
        };
        let both = [("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "eu-west-2")];
        assert_eq!(load(files(&both)).unwrap().region(), Some("eu-west-1"));
        let default_only = [("AWS_DEFAULT_REGION", "eu-west-2")];
        assert_eq!(load(files(&default_only)).unwrap().region(), Some("eu-west-2"));
        let blank = [("AWS_REGION", "  "), ("AWS_DEFAULT_REGION", "")];
        assert_eq!(load(files(&blank)).unwrap().region(), Some("ap-south-1"));
        let trimmed = [("AWS_REGION", " eu-north-1\n")];
        assert_eq!(load(files(&trimmed)).unwrap().region(), Some("eu-north-1"));
        // `region` in the credentials file is not read.
        let env = home(
            &[],
            Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\nregion = ca-central-1\n"),
            None,
        );
        assert_eq!(load(env).unwrap_err().kind(), ConfigErrorKind::MissingRegion);
    }

    #[test]
    fn missing_region_says_where_it_looked() {
        let err = load(env_creds(&[("HOME", "/home/me")])).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::MissingRegion);
        assert_eq!(
            err.to_string(),
            "no AWS region is configured: set one with `.region(\"us-east-1\")`, the environment variable \
             AWS_REGION, or `region` in the config file. Looked at: the loader (no region set); AWS_REGION and \
             AWS_DEFAULT_REGION (not set); profile `default` in /home/me/.aws/config (file not found); IMDS \
             (disabled by AWS_EC2_METADATA_DISABLED)"
        );
        let env = home(&[("AWS_PROFILE", "dev")], None, Some("[profile dev]\noutput = json\n"));
        let text = load(env).unwrap_err().to_string();
        assert!(
            text.ends_with(
                "profile `dev` (from AWS_PROFILE) in /home/me/.aws/config (`[profile dev]` has no region); IMDS \
                 (disabled by AWS_EC2_METADATA_DISABLED)"
            ),
            "{text}"
        );
    }

    #[test]
    fn missing_credentials_says_where_it_looked() {
        let env = home(
            &[("AWS_REGION", "us-east-1")],
            Some("[other]\nk = v\n"),
            Some("[default]\nregion = x\n"),
        );
        let err = load(env).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::MissingCredentials);
        assert_eq!(
            err.to_string(),
            "no AWS credentials found: set them with `.credentials(..)`, the environment variables \
             AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in the shared files. Tried, in order: \
             environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); web identity \
             (AWS_WEB_IDENTITY_TOKEN_FILE is not set); profile `default` (/home/me/.aws/credentials (no \
             `[default]` section) and /home/me/.aws/config (`[default]` has no credentials)); container endpoint \
             (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set); IMDS \
             (disabled by AWS_EC2_METADATA_DISABLED)"
        );
        // An empty value is no value.
        let env = home(
            &[("AWS_REGION", "us-east-1")],
            Some("[default]\naws_access_key_id =\naws_secret_access_key =   \n"),
            None,
        );
        assert_eq!(load(env).unwrap_err().kind(), ConfigErrorKind::MissingCredentials);
    }

    #[test]
    fn profile_selection() {
        let creds = "[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = s\n\
                     [dev]\naws_access_key_id = DEV\naws_secret_access_key = s\n\
                     [ops]\naws_access_key_id = OPS\naws_secret_access_key = s\n";
        let region = [("AWS_REGION", "us-east-1")];
        assert_eq!(key_id(&load(home(&region, Some(creds), None)).unwrap()), "DEFAULT");
        let dev = [("AWS_REGION", "us-east-1"), ("AWS_PROFILE", "dev")];
        assert_eq!(key_id(&load(home(&dev, Some(creds), None)).unwrap()), "DEV");
        let chosen = Config::loader()
            .env(home(&dev, Some(creds), None))
            .profile_name("ops")
            .load()
            .unwrap();
        assert_eq!(key_id(&chosen), "OPS");

        let err = Config::loader()
            .env(home(&dev, Some(creds), None))
            .profile_name("nope")
            .load()
            .unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::ProfileNotFound);
        let text = err.to_string();
        assert!(text.contains("`nope` (from `profile_name(..)`)"), "{text}");
        assert!(text.contains("/home/me/.aws/config (file not found)"), "{text}");

        // A selected profile must exist even when everything else comes from the environment...
        let env = env_creds(&[("AWS_REGION", "us-east-1"), ("AWS_PROFILE", "typo"), ("HOME", "/h")]);
        assert_eq!(load(env).unwrap_err().kind(), ConfigErrorKind::ProfileNotFound);
        // ...but the default profile need not.
        load(env_creds(&[("AWS_REGION", "us-east-1"), ("HOME", "/h")])).unwrap();
    }

    #[test]
    fn file_locations() {
        let creds = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n";
        // Variables name the files; `~` is the home directory.
        let env = Env::from_pairs(&[
            ("HOME", "/home/me"),
            ("AWS_SHARED_CREDENTIALS_FILE", "~/secrets/aws"),
            ("AWS_CONFIG_FILE", "/etc/aws.ini"),
        ])
        .with_file("/home/me/secrets/aws", creds)
        .with_file("/etc/aws.ini", "[default]\nregion = us-east-1\n")
        .with_file("/home/me/.aws/config", "[default]\nregion = unused-1\n");
        assert_eq!(load(env).unwrap().region(), Some("us-east-1"));
        // USERPROFILE and HOMEDRIVE + HOMEPATH when HOME is unset.
        let env = Env::from_pairs(&[("USERPROFILE", "C:\\Users\\me"), ("AWS_REGION", "us-east-1")])
            .with_file(Path::new("C:\\Users\\me").join(".aws").join("credentials"), creds);
        assert_eq!(key_id(&load(env).unwrap()), "A");
        let env = Env::from_pairs(&[("HOMEDRIVE", "D:"), ("HOMEPATH", "\\me"), ("AWS_REGION", "us-east-1")])
            .with_file(Path::new("D:\\me").join(".aws").join("credentials"), creds);
        assert_eq!(key_id(&load(env).unwrap()), "A");
        // No home directory: the default files are not read, and the error says why.
        let text = load(Env::from_pairs(&[("AWS_REGION", "us-east-1"), NO_IMDS]))
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("~/.aws/credentials (not read: no home directory, HOME is not set)"),
            "{text}"
        );
    }

    #[test]
    fn unparseable_files_are_errors_with_path_and_line() {
        let env = home(
            &[("AWS_REGION", "us-east-1")],
            Some("[default]\naws_secret_access_key wJalr\n"),
            None,
        );
        let err = load(env).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::ProfileFile);
        assert_eq!(
            err.to_string(),
            "cannot parse /home/me/.aws/credentials, line 2: expected `key = value`"
        );
        let source = err
            .source()
            .unwrap()
            .downcast_ref::<crate::profile::ProfileParseError>();
        assert_eq!(source.unwrap().line(), 2);
        // Files are only read for what is left to look up: with everything given, a broken file is harmless.
        let env = home(&[], Some("[broken"), Some("[broken"));
        Config::loader()
            .env(env.clone())
            .region("us-east-1")
            .credentials(Credentials::new("A", "B", None))
            .endpoint_url("http://localhost:4566")
            .load()
            .unwrap();
        let err = Config::loader()
            .env(env)
            .region("us-east-1")
            .credentials(Credentials::new("A", "B", None))
            .load()
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot parse /home/me/.aws/credentials, line 1: "),
            "{err}"
        );
    }

    #[test]
    fn files_on_disk() {
        let dir = std::env::temp_dir().join(format!("awsgen-runtime-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_path = dir.join("config");
        std::fs::write(
            &config_path,
            "[profile disk]\nregion = sa-east-1\naws_access_key_id = DISK\naws_secret_access_key = s\n",
        )
        .unwrap();
        let on_disk = |vars: &[(&str, &str)]| Env {
            disk: true,
            ..Env::from_pairs(vars)
        };
        let missing = dir.join("missing");
        let vars = [
            ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", missing.to_str().unwrap()),
            ("AWS_PROFILE", "disk"),
            NO_IMDS,
        ];
        let config = load(on_disk(&vars)).unwrap();
        assert_eq!((config.region(), key_id(&config)), (Some("sa-east-1"), "DISK"));
        // An in-memory file shadows the one on disk.
        let shadowed = on_disk(&vars).with_file(&config_path, "[profile disk]\nregion = us-east-1\n");
        assert_eq!(load(shadowed).unwrap_err().kind(), ConfigErrorKind::MissingCredentials);
        // A file that exists but cannot be read (here a directory) is an error naming it.
        let vars = [("AWS_CONFIG_FILE", dir.to_str().unwrap()), ("AWS_REGION", "us-east-1")];
        let err = load(on_disk(&vars)).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::ProfileFile);
        assert!(
            err.to_string().starts_with(&format!("cannot read {}: ", dir.display())),
            "{err}"
        );
        assert!(err.source().is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn invalid_values_name_their_source() {
        let err = load(env_creds(&[("AWS_REGION", "US-EAST-1")])).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::InvalidValue);
        assert_eq!(
            err.to_string(),
            "the region `US-EAST-1` from AWS_REGION is not a valid region name (lowercase letters, digits and `-`)"
        );
        let env = home(
            &[],
            Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\n"),
            Some("[default]\nregion = evil.com/\n"),
        );
        let text = load(env).unwrap_err().to_string();
        assert!(
            text.contains("`evil.com/` from `region` in `[default]` of /home/me/.aws/config"),
            "{text}"
        );
        let err = Config::loader()
            .env(env_creds(&[]))
            .region("us east")
            .load()
            .unwrap_err();
        assert!(err.to_string().contains("from the region set on the loader"), "{err}");
        let err = load(env_creds(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes"),
        ]))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be `true` or `false`, not `yes`"
        );
    }

    #[test]
    fn profile_endpoint_and_ignore_flag() {
        let creds = Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\n");
        let env = home(
            &[("AWS_REGION", "us-east-1")],
            creds,
            Some("[default]\nendpoint_url = http://profile:4566\n"),
        );
        let config = load(env).unwrap();
        assert_eq!(
            config.profile_endpoint_url(),
            Some((
                "http://profile:4566",
                "`endpoint_url` in `[default]` of /home/me/.aws/config"
            ))
        );
        assert_eq!(
            config.endpoint_url(),
            None,
            "only explicit endpoints show in endpoint_url()"
        );
        assert!(!config.ignores_configured_endpoint_urls());
        let ignored = "[default]\nendpoint_url = http://profile:4566\nignore_configured_endpoint_urls = TRUE\n";
        let config = load(home(&[("AWS_REGION", "us-east-1")], creds, Some(ignored))).unwrap();
        assert!(config.ignores_configured_endpoint_urls());
        assert_eq!(config.profile_endpoint_url(), None);
        // The variable wins over the profile setting.
        let vars = [
            ("AWS_REGION", "us-east-1"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
        ];
        let config = load(home(&vars, creds, Some(ignored))).unwrap();
        assert!(!config.ignores_configured_endpoint_urls());
        assert!(config.profile_endpoint_url().is_some());
    }

    #[test]
    fn into_builder_keeps_the_environment() {
        let config = load(env_creds(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", "http://x:1"),
        ]))
        .unwrap();
        // Loading makes the default transport of the enabled features, if any.
        let https = cfg!(any(feature = "async-https", feature = "blocking-https"));
        assert_eq!(config.transport().is_some(), https);
        let config = config.into_builder().transport(StubTransport::json(200, "{}")).build();
        assert_eq!(
            format!("{:?}", config.transport().unwrap()),
            "StubTransport { requests: 0, .. }"
        );
        assert_eq!(config.env().unwrap().get("AWS_ENDPOINT_URL"), Some("http://x:1"));
        assert_eq!(key_id(&config), ID);
        assert!(Config::builder().region("us-east-1").build().env().is_none());
    }

    /// STS's answer to `action` (`AssumeRole`, `AssumeRoleWithWebIdentity`), with key id `key`.
    fn sts_answer(action: &str, key: &str) -> crate::transport::HttpResponse {
        crate::transport::HttpResponse::new(
            format!(
                "<{action}Response><{action}Result><Credentials><AccessKeyId>{key}</AccessKeyId>\
                 <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>\
                 <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></{action}Result></{action}Response>"
            )
            .into_bytes(),
        )
    }

    fn body_of(request: &crate::transport::HttpRequest) -> String {
        String::from_utf8(request.body().clone()).unwrap()
    }

    #[test]
    fn a_role_profile_is_assumed_through_the_configs_transport_on_first_use_then_cached() {
        let stub = StubTransport::new(|request| {
            let role = body_of(request).contains("role%2Ftop");
            sts_answer("AssumeRole", if role { "ASIATOP" } else { "ASIAMIDDLE" })
        });
        let config = "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = middle\n\
                      external_id = ext\nrole_session_name = me\n\
                      [profile middle]\nrole_arn = arn:aws:iam::1:role/middle\nsource_profile = base\n";
        let credentials = "[base]\naws_access_key_id = BASE\naws_secret_access_key = s\n";
        let env = home(
            &[("AWS_PROFILE", "top"), ("AWS_REGION", "eu-west-1")],
            Some(credentials),
            Some(config),
        );
        let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
        assert!(config.credentials().is_none(), "a role is assumed at call time");
        assert!(stub.requests().is_empty(), "loading sends nothing");
        let resolved = pollster::block_on(config.resolve_credentials()).unwrap();
        assert_eq!(resolved.access_key_id(), "ASIATOP");
        let sent = stub.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].uri(), "https://sts.eu-west-1.amazonaws.com/");
        assert!(body_of(&sent[0]).contains("role%2Fmiddle"), "the source role first");
        let signer = |i: usize| sent[i].headers()["authorization"].to_str().unwrap().to_owned();
        assert!(signer(0).contains("Credential=BASE/"), "{}", signer(0));
        assert!(signer(1).contains("Credential=ASIAMIDDLE/"), "{}", signer(1));
        assert!(body_of(&sent[1]).contains("ExternalId=ext") && body_of(&sent[1]).contains("RoleSessionName=me"));
        // Cached by the config and its clones.
        pollster::block_on(config.clone().resolve_credentials()).unwrap();
        assert_eq!(stub.requests().len(), 2);
    }

    #[test]
    fn web_identity_from_the_environment_uses_the_sts_endpoint_variable() {
        let stub = StubTransport::new(|_| sts_answer("AssumeRoleWithWebIdentity", "ASIAWEB"));
        let env = home(
            &[
                ("AWS_REGION", "eu-west-1"),
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
                ("AWS_ROLE_SESSION_NAME", "pod"),
                ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/sts"),
            ],
            // A profile with keys comes later in the chain: web identity from the environment wins.
            Some("[default]\naws_access_key_id = FILE\naws_secret_access_key = s\n"),
            None,
        )
        .with_file("/var/run/token", "eyJ-token\n");
        let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
        let resolved = pollster::block_on(config.resolve_credentials()).unwrap();
        assert_eq!(resolved.access_key_id(), "ASIAWEB");
        let sent = &stub.requests()[0];
        assert_eq!(sent.uri(), "http://127.0.0.1:9/sts/");
        assert!(!sent.headers().contains_key("authorization"));
        assert!(
            body_of(sent).contains("WebIdentityToken=eyJ-token&")
                || body_of(sent).ends_with("WebIdentityToken=eyJ-token")
        );

        let half = home(
            &[("AWS_REGION", "eu-west-1"), ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")],
            None,
            None,
        );
        let error = load(half).unwrap_err();
        assert_eq!(error.kind(), ConfigErrorKind::InvalidValue);
        assert!(error.to_string().contains("AWS_ROLE_ARN is not"), "{error}");
    }

    #[test]
    fn sts_endpoint_settings_hold_with_an_explicit_client_endpoint() {
        let stub = StubTransport::new(|_| sts_answer("AssumeRole", "ASIAROLE"));
        let config = "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = r\n\
                      aws_access_key_id = SRC\naws_secret_access_key = s\n";
        let vars = [
            ("AWS_PROFILE", "r"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/sts"),
        ];
        let load_with = |extra: Option<(&str, &str)>| {
            let mut vars = vars.to_vec();
            vars.extend(extra);
            let env = home(&vars, None, Some(config));
            let config = Config::loader()
                .env(env)
                .endpoint_url("http://127.0.0.1:4566")
                .transport(stub.clone())
                .load()
                .unwrap();
            pollster::block_on(config.resolve_credentials()).unwrap();
        };
        load_with(None);
        assert_eq!(stub.requests()[0].uri(), "http://127.0.0.1:9/sts/");
        load_with(Some(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")));
        assert_eq!(stub.requests()[1].uri(), "https://sts.eu-west-1.amazonaws.com/");
    }

    #[test]
    fn sts_refusing_stops_the_call_with_its_code_and_request_id() {
        let stub = StubTransport::new(|_| {
            let mut response = crate::transport::HttpResponse::new(
                b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message>\
                  </Error><RequestId>req-9</RequestId></ErrorResponse>"
                    .to_vec(),
            );
            *response.status_mut() = http::StatusCode::FORBIDDEN;
            response
        });
        let config = "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = r\n\
                      aws_access_key_id = SRC\naws_secret_access_key = wJalrXUtnFEMI\n";
        let env = home(&[("AWS_PROFILE", "r"), ("AWS_REGION", "eu-west-1")], None, Some(config));
        let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
        let error = pollster::block_on(config.resolve_credentials()).unwrap_err();
        assert_eq!(error.code(), Some("AccessDenied"));
        assert_eq!(error.request_id(), Some("req-9"));
        assert_eq!(error.to_string(), "STS AssumeRole: from profile `r`: assuming role arn:aws:iam::1:role/r: the service refused: HTTP 403 AccessDenied: not allowed (request id req-9)");
        assert!(!format!("{error:?}{config:?}").contains(SECRET));
        assert_eq!(
            stub.requests().len(),
            1,
            "STS was asked once: AccessDenied is not retried"
        );
    }

    /// An IMDS at `http://127.0.0.1:1` (nothing is sent there: the stub answers) with a role and a region.
    fn imds_stub() -> StubTransport {
        StubTransport::new(|request| {
            let path = request.uri().path();
            let body = match (request.method().as_str(), path) {
                ("PUT", "/latest/api/token") => "imds-token".to_owned(),
                (_, "/latest/meta-data/placement/region") => "ap-southeast-2".to_owned(),
                (_, "/latest/meta-data/iam/security-credentials/") => "web-role\n".to_owned(),
                (_, "/latest/meta-data/iam/security-credentials/web-role") => r#"{"Code":"Success","Type":"AWS-HMAC",
                    "AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#
                    .to_owned(),
                _ => "{}".to_owned(),
            };
            let mut response = crate::transport::HttpResponse::new(body.into_bytes());
            if request.uri().host() != Some("127.0.0.1") {
                *response.status_mut() = http::StatusCode::BAD_GATEWAY;
            }
            response
        })
    }

    #[test]
    fn with_nothing_else_set_up_credentials_and_region_come_from_imds_at_the_first_call() {
        let stub = imds_stub();
        let env = Env::from_pairs(&[
            ("HOME", "/home/me"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"),
        ]);
        let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
        assert_eq!(config.region(), None, "not known before the first call");
        assert!(stub.requests().is_empty(), "loading sends nothing");
        assert_eq!(pollster::block_on(config.resolve_region()).unwrap(), "ap-southeast-2");
        assert_eq!(config.region(), Some("ap-southeast-2"));
        let credentials = pollster::block_on(config.resolve_credentials()).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIAIMDS");
        let paths: Vec<_> = stub.requests().iter().map(|r| r.uri().path().to_owned()).collect();
        assert_eq!(
            paths.iter().filter(|p| *p == "/latest/api/token").count(),
            1,
            "one session token: {paths:?}"
        );
    }

    #[cfg(feature = "async-https")]
    #[test]
    fn with_nothing_set_up_and_no_imds_the_first_call_lists_every_source_within_seconds() {
        let closed = awsgen_test_support::refused_url();
        let env = Env::from_pairs(&[
            ("HOME", "/home/me"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed),
        ]);
        let config = Config::loader().env(env).load().unwrap();
        let started = std::time::Instant::now();
        let error = pollster::block_on(config.resolve_credentials()).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert_eq!(error.kind(), crate::credentials::CredentialsErrorKind::NotLoaded);
        let text = error.to_string();
        for source in [
            "environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set)",
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE is not set)",
            "profile `default` (/home/me/.aws/credentials (file not found) and /home/me/.aws/config (file not found))",
            "container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are \
             not set)",
            "; IMDS (IMDS: ",
        ] {
            assert!(text.contains(source), "{source}\nnot in: {text}");
        }
    }

    #[test]
    fn imds_settings_come_from_the_variables_or_the_profile() {
        let profile = "[default]\nec2_metadata_service_endpoint_mode = IPv6\n";
        let env = home(
            &[("AWS_REGION", "eu-west-1"), ("AWS_EC2_METADATA_DISABLED", "false")],
            None,
            Some(profile),
        );
        let config = Config::loader().env(env).transport(imds_stub()).load().unwrap();
        assert!(format!("{config:?}").contains("fd00:ec2::254"), "{config:?}");
        let bad = home(&[("AWS_EC2_METADATA_DISABLED", "yes")], None, None);
        assert!(load(bad)
            .unwrap_err()
            .to_string()
            .contains("AWS_EC2_METADATA_DISABLED must be `true` or `false`"));
        let bad = Env::from_pairs(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"),
        ]);
        assert_eq!(load(bad).unwrap_err().kind(), ConfigErrorKind::InvalidValue);
    }

    #[test]
    fn real_env_keeps_only_aws_and_home_variables() {
        // PATH is set in any test process; the snapshot must not copy unrelated (possibly secret) variables.
        assert!(std::env::var_os("PATH").is_some());
        let env = Env::real();
        assert_eq!(env.get("PATH"), None);
        assert!(env.disk);
        assert_eq!(
            env.get("HOME"),
            std::env::var("HOME")
                .ok()
                .as_deref()
                .map(str::trim)
                .filter(|h| !h.is_empty())
        );
    }

    #[test]
    fn debug_of_loaded_config_env_and_errors_hides_secrets() {
        let env = home(
            &[
                ("AWS_REGION", "us-east-1"),
                ("AWS_ACCESS_KEY_ID", ID),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
                ("AWS_SESSION_TOKEN", TOKEN),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "hunter2"),
            ],
            Some(&format!("[default]\naws_secret_access_key = filesecret{SECRET}\n")),
            None,
        );
        let config = load(env.clone()).unwrap();
        for text in [
            format!("{config:?}"),
            format!("{env:?}"),
            format!("{:?}", Config::loader().env(env)),
        ] {
            assert!(text.contains(ID), "{text}");
            assert!(text.contains("us-east-1"), "{text}");
            assert!(text.contains("/home/me/.aws/credentials"), "{text}");
            for secret in [SECRET, TOKEN, "hunter2", "filesecret"] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
        let err = load(home(
            &[("AWS_REGION", "us-east-1")],
            Some(&format!("[default]\naws_secret_access_key={SECRET}\n")),
            None,
        ))
        .unwrap_err();
        assert!(!format!("{err:?} {err}").contains(SECRET), "{err:?}");
    }

    #[test]
    fn debug_redacts_secrets_but_shows_key_id() {
        let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI", Some("IQoJb3JpZ2lu".into()));
        let config = Config::builder()
            .credentials(creds.clone())
            .transport(StubTransport::json(200, "{}"))
            .build();
        for text in [format!("{creds:?}"), format!("{config:?}")] {
            assert!(text.contains("AKIDEXAMPLE"), "{text}");
            assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
            assert!(!text.contains("IQoJb3JpZ2lu"), "{text}");
            assert!(text.contains(r#"secret_access_key: "** redacted **""#), "{text}");
            assert!(text.contains(r#"session_token: Some("** redacted **")"#), "{text}");
        }
        let long_term = Credentials::new("AKID", "secret", None);
        assert!(format!("{long_term:?}").contains("session_token: None"));
        assert_eq!(creds.secret_access_key(), "wJalrXUtnFEMI");
        assert_eq!(creds.session_token(), Some("IQoJb3JpZ2lu"));
    }

    #[test]
    fn request_rules_come_from_the_builder_the_environment_or_the_profile() {
        let defaults = Config::builder().build();
        assert!(!defaults.host_prefix_injection_disabled());
        assert!(!defaults.request_compression_disabled());
        assert_eq!(defaults.request_min_compression_size_bytes(), 10_240);
        let base = [
            ("HOME", "/home/me"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ];
        let load = |vars: &[(&str, &str)], profile: &str| {
            let vars: Vec<(&str, &str)> = base.iter().chain(vars).copied().collect();
            let env = Env::from_pairs(&vars).with_file("/home/me/.aws/config", profile);
            Config::loader().env(env).load()
        };
        let from_env = load(
            &[
                ("AWS_DISABLE_HOST_PREFIX_INJECTION", "true"),
                ("AWS_DISABLE_REQUEST_COMPRESSION", "TRUE"),
                ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"),
            ],
            "[default]\ndisable_request_compression = false\n",
        )
        .unwrap();
        assert!(from_env.host_prefix_injection_disabled());
        assert!(from_env.request_compression_disabled());
        assert_eq!(from_env.request_min_compression_size_bytes(), 0);
        let from_profile = load(
            &[],
            "[default]\ndisable_host_prefix_injection = true\nrequest_min_compression_size_bytes = 100\n",
        )
        .unwrap();
        assert!(from_profile.host_prefix_injection_disabled());
        assert!(!from_profile.request_compression_disabled());
        assert_eq!(from_profile.request_min_compression_size_bytes(), 100);
        let explicit = Config::loader().env(Env::from_pairs(&base).with_file(
            "/home/me/.aws/config",
            "[default]\ndisable_host_prefix_injection = true\n",
        ));
        let explicit = ConfigLoader {
            builder: explicit.builder.disable_host_prefix_injection(false),
            ..explicit
        };
        assert!(!explicit.load().unwrap().host_prefix_injection_disabled());
        let err = load(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")], "").unwrap_err();
        assert!(
            err.to_string()
                .contains("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES must be a whole number"),
            "{err}"
        );
        let err = load(&[], "[default]\ndisable_request_compression = yes\n").unwrap_err();
        assert!(
            err.to_string().contains("`disable_request_compression` in `[default]`"),
            "{err}"
        );
        assert_eq!(
            Config::builder()
                .request_min_compression_size_bytes(u32::MAX)
                .build()
                .request_min_compression_size_bytes(),
            10_485_760
        );
    }

    #[cfg(feature = "async-https")]
    #[test]
    fn a_default_transport_follows_a_later_connect_timeout() {
        let connect = Duration::from_millis(500);
        let timeouts = Timeouts {
            connect,
            ..Timeouts::default()
        };
        let rebuilt = Config::builder().build().into_builder().timeouts(timeouts).build();
        let shown = format!("{:?}", rebuilt.transport().unwrap());
        assert!(shown.contains(&format!("{connect:?}")), "{shown}");
        // A transport the caller gave is never replaced.
        let stub = crate::transport::StubTransport::json(200, "{}");
        let kept = Config::builder()
            .transport(stub.clone())
            .build()
            .into_builder()
            .timeouts(timeouts)
            .build();
        assert!(format!("{:?}", kept.transport().unwrap()).contains("StubTransport"));
    }

    #[test]
    fn max_response_size_defaults_to_64_mib() {
        assert_eq!(Config::default().max_response_size(), 64 * 1024 * 1024);
        assert_eq!(Config::builder().build().max_response_size(), 64 * 1024 * 1024);
        let config = Config::builder().max_response_size(1024).build();
        assert_eq!(config.max_response_size(), 1024);
        assert_eq!(config.into_builder().build().max_response_size(), 1024);
    }

    #[test]
    fn builder_sets_everything_and_clones_share_transport() {
        let config = Config::builder()
            .region("eu-west-1")
            .endpoint_url("http://localhost:4566")
            .transport(StubTransport::json(200, "{}"))
            .build();
        assert_eq!(config.region(), Some("eu-west-1"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert!(config.credentials().is_none());
        let copy = config.clone();
        assert!(Arc::ptr_eq(config.transport().unwrap(), copy.transport().unwrap()));
        assert!(Config::default().transport().is_none());
    }
}
