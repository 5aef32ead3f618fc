//! STS: `AssumeRole` (signed with the source credentials) and `AssumeRoleWithWebIdentity` (unsigned).
//! SKELETON: signatures are the contract; bodies to be written.

use std::sync::Arc;

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
use crate::protocol::ConfiguredEndpoints;

/// Calls STS at the regional endpoint (`https://sts.{region}.amazonaws.com`), or the one configured with
/// `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` or the profile's `endpoint_url`.
#[derive(Clone, Debug)]
pub struct StsClient {
    region: String,
    endpoints: ConfiguredEndpoints,
}

impl StsClient {
    /// A client for `region` (`us-east-1` when none is known).
    pub fn new(region: Option<&str>, endpoints: ConfiguredEndpoints) -> Self {
        Self {
            region: region.unwrap_or("us-east-1").to_owned(),
            endpoints,
        }
    }

    /// `AssumeRole`, signed with `source`.
    pub async fn assume_role(
        &self,
        _ctx: &ProviderContext,
        _source: &Credentials,
        _request: &AssumeRoleRequest,
    ) -> Result<Credentials, CredentialsError> {
        let _ = (&self.region, &self.endpoints);
        Err(CredentialsError::provider_error("STS AssumeRole", "not written yet"))
    }

    /// `AssumeRoleWithWebIdentity`, unsigned.
    pub async fn assume_role_with_web_identity(
        &self,
        _ctx: &ProviderContext,
        _role_arn: &str,
        _role_session_name: &str,
        _token: &str,
    ) -> Result<Credentials, CredentialsError> {
        Err(CredentialsError::provider_error(
            "STS AssumeRoleWithWebIdentity",
            "not written yet",
        ))
    }
}

/// The parameters of an `AssumeRole` call, from a profile's `role_arn`, `role_session_name`, `external_id`
/// and `duration_seconds`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    /// `role_arn`.
    pub role_arn: String,
    /// `role_session_name`; a generated one when `None`.
    pub role_session_name: Option<String>,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `duration_seconds`; STS's default (3600) when `None`.
    pub duration_seconds: Option<u32>,
}

/// Credentials of a role, assumed with the credentials of `source`.
#[derive(Debug)]
pub struct AssumeRoleProvider {
    request: AssumeRoleRequest,
    source: Arc<dyn ProvideCredentials>,
    sts: StsClient,
}

impl AssumeRoleProvider {
    /// Assumes `request.role_arn` with what `source` provides.
    pub fn new(request: AssumeRoleRequest, source: Arc<dyn ProvideCredentials>, sts: StsClient) -> Self {
        Self { request, source, sts }
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let source = self.source.provide_credentials(ctx).await?;
            self.sts.assume_role(ctx, &source, &self.request).await
        })
    }
}
