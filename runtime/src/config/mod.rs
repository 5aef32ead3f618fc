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
//!
//! The module's files: this one holds [`Config`], its builder and [`Timeouts`]; `env.rs` the [`Env`] a
//! configuration is loaded from; `loader.rs` the [`ConfigLoader`] (profile selection, the region and
//! credentials chains, endpoints and request-rule settings); `error.rs` [`ConfigError`].

mod env;
mod error;
mod loader;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

pub use crate::credentials::Credentials;
use crate::credentials::{CredentialsCache, ProvideCredentials, ProviderContext, SystemClock, TimeSource};
use crate::idempotency::IdempotencyTokenProvider;
use crate::protocol::ConfiguredEndpoints;
use crate::region::LazyRegion;
use crate::retry::{RetryConfig, RetryQuota};
use crate::transport::{ResponseSizeLimit, Transport, DEFAULT_CONNECT_TIMEOUT};
pub use env::Env;
pub use error::{ConfigError, ConfigErrorKind};
pub use loader::ConfigLoader;
pub(crate) use loader::NO_REGION;

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
    region_provider: Option<Arc<LazyRegion>>,
    time_source: Option<Arc<dyn TimeSource>>,
    transport: Option<Arc<dyn Transport>>,
    /// Root certificates (DER) the default transport trusts next to the public ones.
    root_certificates: Vec<Vec<u8>>,
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
    /// The endpoint rule sets' `UseFIPS`, `UseDualStack` and `AccountIdEndpointMode` (unset: the rule set's
    /// default; the loader fills what the environment sets).
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    account_id_endpoint_mode: Option<String>,
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

    /// True if requests go to FIPS endpoints (see [`ConfigBuilder::use_fips`]).
    pub fn use_fips(&self) -> bool {
        self.use_fips.unwrap_or(false)
    }

    /// True if requests go to dual-stack (IPv4 and IPv6) endpoints (see [`ConfigBuilder::use_dual_stack`]).
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack.unwrap_or(false)
    }

    /// How account-based endpoints are used, where a service has them (see
    /// [`ConfigBuilder::account_id_endpoint_mode`]); `None` leaves it to the service's rule set (`preferred`).
    pub fn account_id_endpoint_mode(&self) -> Option<&str> {
        self.account_id_endpoint_mode.as_deref()
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

    /// The extra root certificates (DER) the default transport trusts (see
    /// [`ConfigBuilder::add_root_certificate`]).
    pub fn root_certificates(&self) -> &[Vec<u8>] {
        &self.root_certificates
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

    /// Trusts this root certificate (DER) in the default HTTPS transport, next to the public roots it compiles
    /// in: the CA of a TLS-intercepting corporate proxy, or of a private endpoint. The loader adds the
    /// certificates of `AWS_CA_BUNDLE` (or the profile's `ca_bundle`). A transport given with
    /// [`transport`](Self::transport) is not affected; one that cannot use the certificate fails every call
    /// with the reason.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.config.root_certificates.push(der.into());
        if self.config.transport_is_default {
            self.config.transport = None;
        }
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

    /// Sends requests to the service's FIPS 140 endpoints (`ecs-fips.us-east-1.amazonaws.com`), as the SDKs'
    /// `use_fips` does; where a service or region has none, the call fails with the rule set's message rather
    /// than falling back. The loader reads `AWS_USE_FIPS_ENDPOINT` and the profile's `use_fips_endpoint`.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.config.use_fips = Some(use_fips);
        self
    }

    /// Sends requests to the service's dual-stack endpoints (`ecs.us-east-1.api.aws`), which answer over IPv4
    /// and IPv6. The loader reads `AWS_USE_DUALSTACK_ENDPOINT` and the profile's `use_dualstack_endpoint`.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.config.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Sets how services with account-based endpoints (DynamoDB) use them: `preferred`, `disabled` or
    /// `required`, as the SDKs' `account_id_endpoint_mode`. The loader reads `AWS_ACCOUNT_ID_ENDPOINT_MODE`
    /// and the profile's `account_id_endpoint_mode`.
    pub fn account_id_endpoint_mode(mut self, mode: impl Into<String>) -> Self {
        self.config.account_id_endpoint_mode = Some(mode.into());
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
            self.config.transport = default_transport(&self.config.timeouts, &self.config.root_certificates);
            self.config.transport_is_default = self.config.transport.is_some();
        }
        self.config
    }
}

/// The transport a [`Config`] gets when none is given: `HyperTransport` with feature `async-https` (the
/// default), else `UreqTransport` with `blocking-https`, else none. With a root certificate it cannot use, an
/// [`UnusableTransport`](crate::transport::UnusableTransport) that says why at every call.
#[cfg(feature = "async-https")]
fn default_transport(timeouts: &Timeouts, roots: &[Vec<u8>]) -> Option<Arc<dyn Transport>> {
    let mut builder = crate::https_async::HyperTransport::builder().connect_timeout(timeouts.connect);
    for der in roots {
        builder = builder.add_root_certificate(der);
    }
    Some(match builder.build() {
        Ok(transport) => Arc::new(transport),
        Err(e) => Arc::new(crate::transport::UnusableTransport(e.to_string())),
    })
}
#[cfg(all(feature = "blocking-https", not(feature = "async-https")))]
fn default_transport(timeouts: &Timeouts, roots: &[Vec<u8>]) -> Option<Arc<dyn Transport>> {
    let mut builder = crate::https_blocking::UreqTransport::builder().connect_timeout(timeouts.connect);
    for der in roots {
        builder = builder.add_root_certificate(der);
    }
    Some(match builder.build() {
        Ok(transport) => Arc::new(transport),
        Err(e) => Arc::new(crate::transport::UnusableTransport(e.to_string())),
    })
}
#[cfg(not(any(feature = "async-https", feature = "blocking-https")))]
fn default_transport(_: &Timeouts, _: &[Vec<u8>]) -> Option<Arc<dyn Transport>> {
    None
}

/// Whether `region` can be a hostname label: non-empty lowercase letters, digits and `-`.
pub(crate) fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// botocore's and the SDKs' default and upper bound for `request_min_compression_size_bytes`.
const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;
const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;
