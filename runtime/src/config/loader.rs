//! [`ConfigLoader`]: what a configuration is not given, resolved from an [`Env`] the way the AWS SDKs do.

use std::path::PathBuf;
use std::sync::Arc;

use super::{
    is_valid_region, Config, ConfigBuilder, ConfigError, ConfigErrorKind, Credentials, Env,
    MAX_MIN_COMPRESSION_SIZE_BYTES,
};
use crate::credentials::container::ContainerProvider;
use crate::credentials::imds::{ImdsClient, ImdsCredentialsProvider};
use crate::credentials::profile_chain::{section_label, CredentialsSource, ProfileResolver};
use crate::credentials::sts::StsClient;
use crate::credentials::web_identity::WebIdentityTokenProvider;
use crate::credentials::{CredentialsChain, ProvideCredentials};
use crate::profile::{FileKind, Profile, ProfileFile};
use crate::protocol::ConfiguredEndpoints;
use crate::region::LazyRegion;
use crate::transport::Transport;

/// Makes a [`Config`] from what it is given plus the environment; see [`ConfigLoader::load`].
#[derive(Clone, Debug, Default)]
pub struct ConfigLoader {
    pub(super) builder: ConfigBuilder,
    pub(super) env: Option<Env>,
    pub(super) profile_name: Option<String>,
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
    /// [`CredentialsCache`](crate::credentials::CredentialsCache)).
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
            let source = default_credentials(&env, &mut files, &endpoints, config.region.as_deref())?;
            let builder = ConfigBuilder { config };
            config = match source {
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
        files.fill(
            &mut config.use_fips,
            ("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
            parse_bool,
        )?;
        files.fill(
            &mut config.use_dual_stack,
            ("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
            parse_bool,
        )?;
        files.fill(
            &mut config.account_id_endpoint_mode,
            ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode"),
            parse_account_id_endpoint_mode,
        )?;
        // A CA bundle matters only to the default transport, made below when the loader was given none.
        if config.transport.is_none() {
            for der in files.ca_bundle()? {
                config.root_certificates.push(der);
            }
        }
        config.loaded = Some(Arc::new(endpoints));
        Ok(ConfigBuilder { config }.build())
    }
}

const IGNORE_ENDPOINTS_VAR: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

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

fn parse_account_id_endpoint_mode(value: &str, source: &str) -> Result<String, ConfigError> {
    match value {
        "preferred" | "disabled" | "required" => Ok(value.to_owned()),
        _ => Err(ConfigError::new(
            ConfigErrorKind::InvalidValue,
            format!("{source} must be `preferred`, `disabled` or `required`, not `{value}`"),
        )),
    }
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
    if let Some(credentials) = env.access_keys()? {
        return Ok(CredentialsSource::Static(credentials));
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
    /// The certificates of the CA bundle `AWS_CA_BUNDLE` (else the profile's `ca_bundle`) names, if any.
    fn ca_bundle(&mut self) -> Result<Vec<Vec<u8>>, ConfigError> {
        let named = self.setting("AWS_CA_BUNDLE", "ca_bundle", |path, source| {
            Ok((path.to_owned(), source.to_owned()))
        })?;
        let Some((path, source)) = named else {
            return Ok(Vec::new());
        };
        let unusable = |why: String| {
            ConfigError::new(
                ConfigErrorKind::InvalidValue,
                format!("the CA bundle `{path}` from {source} cannot be used: {why}"),
            )
        };
        let text = match self.env.read(std::path::Path::new(&path)) {
            Ok(Some(text)) => text,
            Ok(None) => return Err(unusable("the file does not exist".to_owned())),
            Err(e) => return Err(unusable(e.to_string())),
        };
        crate::transport::pem_certificates(&text).map_err(unusable)
    }

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
