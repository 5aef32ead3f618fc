//! IAM Identity Center (SSO): the token cache of `aws sso login`, SSO-OIDC `CreateToken` to refresh it, and
//! the portal's `GetRoleCredentials`.
//! SKELETON: signatures are the contract; bodies to be written.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
use crate::config::Env;
use crate::protocol::ConfiguredEndpoints;

/// A profile's SSO settings, in either form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoConfig {
    /// `sso_start_url` (of the profile, or of its `[sso-session NAME]`).
    pub start_url: String,
    /// `sso_session`: the `[sso-session NAME]` section's name; `None` for the legacy form (no refresh).
    pub session_name: Option<String>,
    /// `sso_region`.
    pub sso_region: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
}

/// Role credentials through the SSO portal.
#[derive(Debug)]
pub struct SsoProvider {
    config: SsoConfig,
    env: Env,
    endpoints: ConfiguredEndpoints,
}

impl SsoProvider {
    /// The token cache is read through `env` (`~/.aws/sso/cache/<sha1>.json`).
    pub fn new(config: SsoConfig, env: Env, endpoints: ConfiguredEndpoints) -> Self {
        Self { config, env, endpoints }
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials<'a>(
        &'a self,
        _ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        let _ = (&self.config, &self.env, &self.endpoints);
        Box::pin(async { Err(CredentialsError::provider_error("SSO", "not written yet")) })
    }
}
