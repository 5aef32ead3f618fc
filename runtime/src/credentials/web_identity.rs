//! Web identity: a token file (EKS IRSA) exchanged with STS `AssumeRoleWithWebIdentity`.
//! SKELETON: signatures are the contract; bodies to be written.

use std::path::PathBuf;

use super::sts::StsClient;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
use crate::config::Env;

/// Reads the token file at every fetch (it rotates) and assumes `role_arn` with it.
#[derive(Debug)]
pub struct WebIdentityTokenProvider {
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
    env: Env,
    sts: StsClient,
}

impl WebIdentityTokenProvider {
    /// From `AWS_WEB_IDENTITY_TOKEN_FILE`/`AWS_ROLE_ARN`/`AWS_ROLE_SESSION_NAME` or a profile's
    /// `web_identity_token_file`/`role_arn`/`role_session_name`. The file is read through `env`.
    pub fn new(token_file: PathBuf, role_arn: String, session_name: Option<String>, env: Env, sts: StsClient) -> Self {
        Self {
            token_file,
            role_arn,
            session_name,
            env,
            sts,
        }
    }
}

impl ProvideCredentials for WebIdentityTokenProvider {
    fn provide_credentials<'a>(
        &'a self,
        _ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        let _ = (
            &self.token_file,
            &self.role_arn,
            &self.session_name,
            &self.env,
            &self.sts,
        );
        Box::pin(async { Err(CredentialsError::provider_error("web identity", "not written yet")) })
    }
}
