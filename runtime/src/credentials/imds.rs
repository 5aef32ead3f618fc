//! The EC2 instance metadata service, version 2 (session tokens).
//! SKELETON: signatures are the contract; bodies to be written.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};

/// An IMDSv2 client: `PUT /latest/api/token` with a TTL, then `GET`s carrying the token.
#[derive(Clone, Debug)]
pub struct ImdsClient {
    endpoint: String,
}

impl ImdsClient {
    /// `endpoint`: `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the profile's `ec2_metadata_service_endpoint`;
    /// `mode`: `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` or `ec2_metadata_service_endpoint_mode` (`IPv4`,
    /// `IPv6`). An error for a mode or endpoint that cannot be used.
    pub fn new(endpoint: Option<&str>, mode: Option<&str>) -> Result<Self, CredentialsError> {
        let _ = mode;
        Ok(Self {
            endpoint: endpoint.unwrap_or("http://169.254.169.254").to_owned(),
        })
    }

    /// The body of `GET {path}` (`/latest/meta-data/placement/region`).
    pub async fn get(&self, _ctx: &ProviderContext, _path: &str) -> Result<String, CredentialsError> {
        let _ = &self.endpoint;
        Err(CredentialsError::not_loaded("IMDS", "not written yet"))
    }

    /// The instance's region (`placement/region`).
    pub async fn region(&self, ctx: &ProviderContext) -> Result<String, CredentialsError> {
        self.get(ctx, "/latest/meta-data/placement/region").await
    }
}

/// The instance profile's role credentials.
#[derive(Debug)]
pub struct ImdsCredentialsProvider {
    client: ImdsClient,
}

impl ImdsCredentialsProvider {
    /// Credentials through `client`.
    pub fn new(client: ImdsClient) -> Self {
        Self { client }
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            self.client
                .get(ctx, "/latest/meta-data/iam/security-credentials/")
                .await?;
            Err(CredentialsError::not_loaded("IMDS", "not written yet"))
        })
    }
}
