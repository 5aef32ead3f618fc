//! The container credentials endpoint (ECS tasks, EKS Pod Identity).
//! SKELETON: signatures are the contract; bodies to be written.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
use crate::config::Env;

/// Credentials from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
#[derive(Debug)]
pub struct ContainerProvider {
    env: Env,
}

impl ContainerProvider {
    /// `None` when neither variable is set; an error for a full URI on a host the SDKs do not allow.
    pub fn from_env(env: &Env) -> Result<Option<Self>, CredentialsError> {
        let _ = env;
        Ok(None)
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials<'a>(
        &'a self,
        _ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        let _ = &self.env;
        Box::pin(async { Err(CredentialsError::provider_error("container", "not written yet")) })
    }
}
