//! A profile's credentials, read the way the AWS SDKs read the shared files.
//!
//! For the selected profile, the first of these that it sets decides:
//!
//! 1. `role_arn`: a role assumed with STS `AssumeRole` (`role_session_name`, `external_id`,
//!    `duration_seconds`), with the credentials of
//!    - `web_identity_token_file` in the same profile: the role is assumed with that token instead
//!      (`AssumeRoleWithWebIdentity`), or
//!    - `source_profile`: another profile, resolved by these same rules, so roles chain (a profile that
//!      names itself, or any profile reached as a source that has static keys, supplies those keys; a cycle
//!      is an error naming it), or
//!    - `credential_source`: `Environment` (the `AWS_ACCESS_KEY_ID` pair), `Ec2InstanceMetadata` (IMDS) or
//!      `EcsContainer` (the container endpoint).
//!
//!    `mfa_serial` is refused: there is no way to ask for the code.
//! 2. `sso_session` (with its `[sso-session NAME]` section) or `sso_start_url`: IAM Identity Center.
//! 3. `credential_process`: a command that prints credentials.
//! 4. `aws_access_key_id` and `aws_secret_access_key` (+ `aws_session_token`).
//!
//! Keys are read from the profile's section in the credentials file, then the config file; static keys come
//! from whichever file first holds either key, never half from each. Everything here is decided from the
//! files alone, before any request: a misconfigured profile is an error of [`ConfigLoader::load`].
//!
//! [`ConfigLoader::load`]: crate::config::ConfigLoader::load

use std::path::PathBuf;
use std::sync::Arc;

use super::container::ContainerProvider;
use super::imds::{ImdsClient, ImdsCredentialsProvider};
use super::process::CredentialProcessProvider;
use super::sso::{SsoConfig, SsoProvider};
use super::sts::{AssumeRoleProvider, AssumeRoleRequest, StsClient};
use super::web_identity::WebIdentityTokenProvider;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
use crate::config::{ConfigError, ConfigErrorKind, Env};
use crate::profile::{FileKind, Profile, ProfileFile};
use crate::protocol::ConfiguredEndpoints;

const ACCESS_KEY_ID: &str = "aws_access_key_id";
const SECRET_ACCESS_KEY: &str = "aws_secret_access_key";
const SESSION_TOKEN: &str = "aws_session_token";

/// What a profile's credentials are resolved with.
pub(crate) struct ProfileResolver<'a> {
    /// The parsed credentials file, if there is one.
    pub(crate) credentials: Option<&'a ProfileFile>,
    /// The parsed config file, if there is one.
    pub(crate) config: Option<&'a ProfileFile>,
    pub(crate) env: &'a Env,
    pub(crate) endpoints: &'a ConfiguredEndpoints,
    /// The region STS is called in (`None`: not known before the first call).
    pub(crate) region: Option<&'a str>,
    /// `None` when IMDS is disabled.
    pub(crate) imds: Option<&'a ImdsClient>,
}

/// A profile's credentials: static keys, or a provider asked at call time.
pub(crate) enum CredentialsSource {
    Static(Credentials),
    Provider(Arc<dyn ProvideCredentials>),
}

impl ProfileResolver<'_> {
    /// The credentials profile `name` sets; `Ok(None)` when it sets none (or does not exist), so the chain
    /// goes on.
    pub(crate) fn resolve(&self, name: &str) -> Result<Option<CredentialsSource>, ConfigError> {
        if self.profile(name).is_none() {
            return Ok(None);
        }
        Ok(match self.resolve_at(name, &mut Vec::new())? {
            Some(CredentialsSource::Provider(inner)) => Some(CredentialsSource::Provider(Arc::new(FromProfile {
                profile: name.to_owned(),
                inner,
            }))),
            other => other,
        })
    }

    /// `name`'s credentials, `path` holding the profiles that led here (for cycles and messages).
    fn resolve_at(&self, name: &str, path: &mut Vec<String>) -> Result<Option<CredentialsSource>, ConfigError> {
        if path.iter().any(|seen| seen == name) {
            path.push(name.to_owned());
            return Err(invalid(format!(
                "the profiles' `source_profile` settings form a cycle: {}",
                path.join(" -> ")
            )));
        }
        let is_source = !path.is_empty();
        path.push(name.to_owned());
        // A source profile's static keys end the chain, even next to its own `role_arn` (the SDKs' rule,
        // which lets a profile name itself as its source).
        if is_source {
            if let Some(credentials) = self.static_keys(name)? {
                return Ok(Some(CredentialsSource::Static(credentials)));
            }
        }
        if let Some(role_arn) = self.get(name, "role_arn") {
            return self.assume_role(name, role_arn, path).map(Some);
        }
        if let Some(sso) = self.sso(name)? {
            let provider = SsoProvider::new(sso, self.env.clone(), self.endpoints.clone());
            return Ok(Some(CredentialsSource::Provider(Arc::new(provider))));
        }
        if let Some(command) = self.get(name, "credential_process") {
            let provider = CredentialProcessProvider::new(command);
            return Ok(Some(CredentialsSource::Provider(Arc::new(provider))));
        }
        Ok(self.static_keys(name)?.map(CredentialsSource::Static))
    }

    /// The role of profile `name`, with its source of credentials.
    fn assume_role(
        &self,
        name: &str,
        role_arn: &str,
        path: &mut Vec<String>,
    ) -> Result<CredentialsSource, ConfigError> {
        let sts = StsClient::new(self.region, self.endpoints.clone());
        let session_name = self.get(name, "role_session_name").map(str::to_owned);
        if let Some(token_file) = self.get(name, "web_identity_token_file") {
            let provider = WebIdentityTokenProvider::new(
                PathBuf::from(token_file),
                role_arn.to_owned(),
                session_name,
                self.env.clone(),
                sts,
            );
            return Ok(CredentialsSource::Provider(Arc::new(provider)));
        }
        if self.get(name, "mfa_serial").is_some() {
            return Err(invalid(format!(
                "{} sets `mfa_serial`: assuming a role that needs an MFA code is not supported without a way to \
                 enter the code; use `aws sts get-session-token` (or another tool) to get temporary credentials first",
                self.describe(name)
            )));
        }
        let duration_seconds = match self.get(name, "duration_seconds") {
            None => None,
            Some(value) => Some(
                value
                    .parse::<u32>()
                    .ok()
                    .filter(|s| (900..=43_200).contains(s))
                    .ok_or_else(|| {
                        invalid(format!(
                    "`duration_seconds` in {} must be a whole number of seconds from 900 to 43200, not `{value}`",
                    self.describe(name)
                ))
                    })?,
            ),
        };
        let request = AssumeRoleRequest {
            role_arn: role_arn.to_owned(),
            role_session_name: session_name,
            external_id: self.get(name, "external_id").map(str::to_owned),
            duration_seconds,
        };
        let source: Arc<dyn ProvideCredentials> =
            match (self.get(name, "source_profile"), self.get(name, "credential_source")) {
                (Some(_), Some(_)) => {
                    return Err(invalid(format!(
                        "{} sets both `source_profile` and `credential_source`; a role has one source of credentials",
                        self.describe(name)
                    )))
                }
                (None, None) => {
                    return Err(invalid(format!(
                        "{} sets `role_arn` but neither `source_profile` nor `credential_source` (nor \
                         `web_identity_token_file`), so there are no credentials to assume the role with",
                        self.describe(name)
                    )))
                }
                (Some(source), None) if source == name => match self.static_keys(name)? {
                    Some(credentials) => Arc::new(credentials),
                    None => {
                        return Err(invalid(format!(
                            "{} names itself as `source_profile` but has no `aws_access_key_id` and \
                             `aws_secret_access_key`",
                            self.describe(name)
                        )))
                    }
                },
                (Some(source), None) => {
                    if self.profile(source).is_none() {
                        return Err(invalid(format!(
                            "the `source_profile` `{source}` of {} is not defined in the shared files",
                            self.describe(name)
                        )));
                    }
                    match self.resolve_at(source, path)? {
                        Some(CredentialsSource::Static(credentials)) => Arc::new(credentials),
                        Some(CredentialsSource::Provider(provider)) => provider,
                        None => {
                            return Err(invalid(format!(
                                "the `source_profile` `{source}` of {} sets no credentials",
                                self.describe(name)
                            )))
                        }
                    }
                }
                (None, Some(source)) => self.credential_source(name, source)?,
            };
        Ok(CredentialsSource::Provider(Arc::new(AssumeRoleProvider::new(
            request, source, sts,
        ))))
    }

    /// The provider a `credential_source` names.
    fn credential_source(&self, name: &str, source: &str) -> Result<Arc<dyn ProvideCredentials>, ConfigError> {
        let unusable = |why: &str| {
            invalid(format!(
                "`credential_source = {source}` in {}: {why}",
                self.describe(name)
            ))
        };
        match source {
            "Environment" => match self.env.access_keys()? {
                Some(credentials) => Ok(Arc::new(credentials)),
                None => Err(unusable("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")),
            },
            "Ec2InstanceMetadata" => match self.imds {
                Some(client) => Ok(Arc::new(ImdsCredentialsProvider::new(client.clone()))),
                None => Err(unusable("IMDS is disabled (AWS_EC2_METADATA_DISABLED)")),
            },
            "EcsContainer" => match ContainerProvider::from_env(self.env) {
                Ok(Some(provider)) => Ok(Arc::new(provider)),
                Ok(None) => Err(unusable(
                    "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
                )),
                Err(e) => Err(unusable(&e.to_string())),
            },
            _ => Err(unusable(
                "the value must be `Environment`, `Ec2InstanceMetadata` or `EcsContainer`",
            )),
        }
    }

    /// The SSO settings of profile `name`, in the `sso_session` or the legacy form.
    fn sso(&self, name: &str) -> Result<Option<SsoConfig>, ConfigError> {
        let session_name = self.get(name, "sso_session");
        let legacy_url = self.get(name, "sso_start_url");
        if session_name.is_none() && legacy_url.is_none() {
            return Ok(None);
        }
        let (start_url, sso_region) = match session_name {
            Some(session_name) => {
                let session = self
                    .config
                    .and_then(|file| file.sso_session(session_name))
                    .ok_or_else(|| {
                        invalid(format!(
                        "the `sso_session` `{session_name}` of {} has no `[sso-session {session_name}]` section in \
                         the config file",
                        self.describe(name)
                    ))
                    })?;
                let key = |key: &str| {
                    session.get(key).filter(|v| !v.is_empty()).ok_or_else(|| {
                        invalid(format!(
                            "`[sso-session {session_name}]` (line {}) of the config file has no `{key}`",
                            session.line()
                        ))
                    })
                };
                let (url, region) = (key("sso_start_url")?, key("sso_region")?);
                // The SDKs refuse a profile whose own legacy keys contradict its session.
                for (legacy_key, value) in [("sso_start_url", url), ("sso_region", region)] {
                    if let Some(own) = self.get(name, legacy_key).filter(|own| *own != value) {
                        return Err(invalid(format!(
                            "{} sets `{legacy_key} = {own}`, which differs from its `[sso-session {session_name}]`",
                            self.describe(name)
                        )));
                    }
                }
                (url, region)
            }
            None => (legacy_url.unwrap_or_default(), self.require(name, "sso_region")?),
        };
        Ok(Some(SsoConfig {
            start_url: start_url.to_owned(),
            session_name: session_name.map(str::to_owned),
            sso_region: sso_region.to_owned(),
            account_id: self.require(name, "sso_account_id")?.to_owned(),
            role_name: self.require(name, "sso_role_name")?.to_owned(),
        }))
    }

    /// Static keys from the first file whose section of `name` holds either key.
    fn static_keys(&self, name: &str) -> Result<Option<Credentials>, ConfigError> {
        for file in [self.credentials, self.config].into_iter().flatten() {
            let Some(profile) = file.profile(name) else {
                continue;
            };
            let get = |key| profile.get(key).filter(|value| !value.is_empty());
            let missing = match (get(ACCESS_KEY_ID), get(SECRET_ACCESS_KEY)) {
                (Some(id), Some(secret)) => {
                    return Ok(Some(Credentials::new(
                        id,
                        secret,
                        get(SESSION_TOKEN).map(str::to_owned),
                    )));
                }
                (Some(_), None) => (ACCESS_KEY_ID, SECRET_ACCESS_KEY),
                (None, Some(_)) => (SECRET_ACCESS_KEY, ACCESS_KEY_ID),
                (None, None) => continue,
            };
            return Err(ConfigError::incomplete(format!(
                "{} (line {}) of {} sets {} but not {}",
                section_label(file.kind(), name),
                profile.line(),
                file.path().display(),
                missing.0,
                missing.1,
            )));
        }
        Ok(None)
    }

    /// The section of `name` in the credentials file, else in the config file.
    fn profile(&self, name: &str) -> Option<&Profile> {
        [self.credentials, self.config]
            .into_iter()
            .flatten()
            .find_map(|file| file.profile(name))
    }

    /// `key` of profile `name`, from the credentials file, else the config file; blank is unset.
    fn get(&self, name: &str, key: &str) -> Option<&str> {
        [self.credentials, self.config]
            .into_iter()
            .flatten()
            .find_map(|file| file.profile(name)?.get(key).filter(|value| !value.is_empty()))
    }

    fn require(&self, name: &str, key: &str) -> Result<&str, ConfigError> {
        self.get(name, key)
            .ok_or_else(|| invalid(format!("{} uses SSO but has no `{key}`", self.describe(name))))
    }

    /// `` `[profile dev]` of /home/me/.aws/config `` (or of the credentials file, wherever it is defined).
    fn describe(&self, name: &str) -> String {
        let file = [self.credentials, self.config]
            .into_iter()
            .flatten()
            .find(|file| file.profile(name).is_some());
        match file {
            Some(file) => format!("{} of {}", section_label(file.kind(), name), file.path().display()),
            None => format!("profile `{name}`"),
        }
    }
}

/// A profile's provider, whose errors say which profile set it up.
#[derive(Debug)]
struct FromProfile {
    profile: String,
    inner: Arc<dyn ProvideCredentials>,
}

impl ProvideCredentials for FromProfile {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let profile = &self.profile;
            self.inner
                .provide_credentials(ctx)
                .await
                .map_err(|e| e.context(format_args!("from profile `{profile}`")))
        })
    }
}

/// How a profile's section is written in a file of `kind`.
pub(crate) fn section_label(kind: FileKind, name: &str) -> String {
    match kind {
        FileKind::Config if name != "default" => format!("`[profile {name}]`"),
        _ => format!("`[{name}]`"),
    }
}

fn invalid(message: String) -> ConfigError {
    ConfigError::new(ConfigErrorKind::InvalidValue, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, kind: FileKind) -> ProfileFile {
        ProfileFile::parse("/home/me/.aws/x", text, kind).unwrap()
    }

    /// Resolves `name` with this config file (and credentials file), IMDS on, region `eu-west-1`.
    fn resolve_with(config: &str, credentials: &str, env: &[(&str, &str)], name: &str) -> Result<String, String> {
        let config = file(config, FileKind::Config);
        let credentials = file(credentials, FileKind::Credentials);
        let env = Env::from_pairs(env);
        let imds = ImdsClient::new(Some("http://127.0.0.1:1"), None).unwrap();
        let resolver = ProfileResolver {
            credentials: Some(&credentials),
            config: Some(&config),
            env: &env,
            endpoints: &ConfiguredEndpoints::default(),
            region: Some("eu-west-1"),
            imds: Some(&imds),
        };
        match resolver.resolve(name) {
            Ok(None) => Ok("none".to_owned()),
            Ok(Some(CredentialsSource::Static(c))) => Ok(format!("static {}", c.access_key_id())),
            Ok(Some(CredentialsSource::Provider(p))) => Ok(format!("{p:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    fn resolve(config: &str, name: &str) -> Result<String, String> {
        resolve_with(config, "", &[], name)
    }

    #[test]
    fn static_keys_and_no_credentials() {
        assert_eq!(
            resolve("[profile a]\naws_access_key_id = A\naws_secret_access_key = s\n", "a").unwrap(),
            "static A"
        );
        assert_eq!(resolve("[profile a]\nregion = x\n", "a").unwrap(), "none");
        assert_eq!(resolve("", "missing").unwrap(), "none");
        // The credentials file wins, whole.
        let found = resolve_with(
            "[profile a]\naws_access_key_id = CONFIG\naws_secret_access_key = s\n",
            "[a]\naws_access_key_id = CREDS\naws_secret_access_key = s\n",
            &[],
            "a",
        );
        assert_eq!(found.unwrap(), "static CREDS");
    }

    #[test]
    fn role_chains_through_source_profiles_to_static_keys() {
        let config = "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = middle\n\
                      [profile middle]\nrole_arn = arn:aws:iam::1:role/middle\nsource_profile = base\n\
                      [profile base]\naws_access_key_id = BASE\naws_secret_access_key = wJalrBASESECRET\n";
        let shown = resolve(config, "top").unwrap();
        assert!(shown.contains("AssumeRoleProvider"), "{shown}");
        assert!(
            shown.contains("role/top") && shown.contains("role/middle") && shown.contains("BASE"),
            "{shown}"
        );
        assert!(!shown.contains("wJalrBASESECRET"), "secrets are not shown: {shown}");
    }

    #[test]
    fn a_source_profile_with_static_keys_uses_them_even_next_to_its_own_role() {
        let config = "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = base\n\
                      [profile base]\nrole_arn = arn:aws:iam::1:role/ignored\naws_access_key_id = BASE\n\
                      aws_secret_access_key = s\n";
        let shown = resolve(config, "top").unwrap();
        assert!(shown.contains("BASE") && !shown.contains("role/ignored"), "{shown}");
        let own = "[profile me]\nrole_arn = arn:aws:iam::1:role/me\nsource_profile = me\n\
                   aws_access_key_id = ME\naws_secret_access_key = s\n";
        let shown = resolve(own, "me").unwrap();
        assert!(shown.contains("role/me") && shown.contains("ME"), "{shown}");
    }

    #[test]
    fn role_configuration_errors_name_the_profile_and_the_problem() {
        let cycle = "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = a\n";
        assert_eq!(
            resolve(cycle, "a").unwrap_err(),
            "the profiles' `source_profile` settings form a cycle: a -> b -> a"
        );
        let cases = [
            (
                "[profile a]\nrole_arn = r\nsource_profile = nope\n",
                "the `source_profile` `nope` of `[profile a]`",
            ),
            (
                "[profile a]\nrole_arn = r\n",
                "sets `role_arn` but neither `source_profile` nor `credential_source`",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = a\ncredential_source = Environment\n",
                "sets both `source_profile` and `credential_source`",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = a\n",
                "names itself as `source_profile` but has no",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\nmfa_serial = arn:aws:iam::1:mfa/me\n[profile b]\n\
                 aws_access_key_id = B\naws_secret_access_key = s\n",
                "sets `mfa_serial`: assuming a role that needs an MFA code is not supported without a way to enter",
            ),
            (
                "[profile a]\nrole_arn = r\ncredential_source = Environment\nduration_seconds = 60\n",
                "`duration_seconds` in `[profile a]` of /home/me/.aws/x must be a whole number of seconds from 900",
            ),
            (
                "[profile a]\nrole_arn = r\ncredential_source = Laptop\n",
                "the value must be `Environment`",
            ),
            (
                "[profile a]\nrole_arn = r\ncredential_source = Environment\n",
                "AWS_ACCESS_KEY_ID and AWS_SECRET",
            ),
            (
                "[profile a]\nrole_arn = r\ncredential_source = EcsContainer\n",
                "neither AWS_CONTAINER_CREDENTIALS",
            ),
            (
                "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n",
                "sets no credentials",
            ),
        ];
        for (config, expected) in cases {
            let error = resolve(config, "a").unwrap_err();
            assert!(error.contains(expected), "{config:?}: {error}");
        }
    }

    #[test]
    fn credential_sources() {
        let env = [("AWS_ACCESS_KEY_ID", "ENV"), ("AWS_SECRET_ACCESS_KEY", "s")];
        let shown = resolve_with(
            "[profile a]\nrole_arn = r\ncredential_source = Environment\n",
            "",
            &env,
            "a",
        )
        .unwrap();
        assert!(shown.contains("AssumeRoleProvider") && shown.contains("ENV"), "{shown}");
        let shown = resolve(
            "[profile a]\nrole_arn = r\ncredential_source = Ec2InstanceMetadata\n",
            "a",
        )
        .unwrap();
        assert!(shown.contains("ImdsCredentialsProvider"), "{shown}");
        let container = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds")];
        let shown = resolve_with(
            "[profile a]\nrole_arn = r\ncredential_source = EcsContainer\n",
            "",
            &container,
            "a",
        )
        .unwrap();
        assert!(shown.contains("ContainerProvider"), "{shown}");
    }

    #[test]
    fn web_identity_process_and_sso_profiles() {
        let shown = resolve("[profile a]\nrole_arn = r\nweb_identity_token_file = /t\n", "a").unwrap();
        assert!(shown.contains("WebIdentityTokenProvider"), "{shown}");
        let shown = resolve("[profile a]\ncredential_process = /bin/creds --secret x\n", "a").unwrap();
        assert!(
            shown.contains("CredentialProcessProvider") && !shown.contains("--secret"),
            "{shown}"
        );
        let session = "[profile a]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
                       [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n";
        let shown = resolve(session, "a").unwrap();
        assert!(
            shown.contains("SsoProvider") && shown.contains("corp.awsapps.com"),
            "{shown}"
        );
        let legacy = "[profile a]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_account_id = 1\n\
                      sso_role_name = R\n";
        assert!(resolve(legacy, "a").unwrap().contains("SsoProvider"));
    }

    #[test]
    fn sso_configuration_errors() {
        let cases = [
            (
                "[profile a]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n",
                "no `[sso-session corp]`",
            ),
            (
                "[profile a]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n[sso-session corp]\n\
                 sso_region = x\n",
                "`[sso-session corp]` (line 5) of the config file has no `sso_start_url`",
            ),
            (
                "[profile a]\nsso_session = c\nsso_start_url = https://other\nsso_account_id = 1\nsso_role_name = R\n\
                 [sso-session c]\nsso_start_url = https://corp\nsso_region = x\n",
                "sets `sso_start_url = https://other`, which differs from its `[sso-session c]`",
            ),
            (
                "[profile a]\nsso_start_url = https://x\nsso_region = r\nsso_role_name = R\n",
                "has no `sso_account_id`",
            ),
        ];
        for (config, expected) in cases {
            let error = resolve(config, "a").unwrap_err();
            assert!(error.contains(expected), "{config:?}: {error}");
        }
    }
}
