//! A region only known at call time: IMDS `placement/region`, looked up once, on first need.

use std::sync::OnceLock;

use crate::credentials::imds::ImdsClient;
use crate::credentials::{CredentialsError, ProviderContext};

/// The last link of the region chain: asked only when nothing else set a region.
#[derive(Debug)]
pub(crate) struct LazyRegion {
    client: ImdsClient,
    /// Where the loader looked before, for the error.
    looked_at: String,
    resolved: OnceLock<String>,
}

impl LazyRegion {
    pub(crate) fn new(client: ImdsClient, looked_at: String) -> Self {
        Self {
            client,
            looked_at,
            resolved: OnceLock::new(),
        }
    }

    /// The region, if a call has looked it up.
    pub(crate) fn resolved(&self) -> Option<&str> {
        self.resolved.get().map(String::as_str)
    }

    /// The region, looking it up the first time.
    pub(crate) async fn resolve(&self, ctx: &ProviderContext) -> Result<&str, CredentialsError> {
        if let Some(region) = self.resolved.get() {
            return Ok(region);
        }
        let region = self.client.region(ctx).await.map_err(|e| {
            CredentialsError::new(
                e.kind(),
                "region",
                format!(
                    "{} Looked at: {}; IMDS placement/region ({e})",
                    crate::config::NO_REGION,
                    self.looked_at
                ),
            )
        })?;
        let region = region.trim().to_owned();
        if !crate::config::is_valid_region(&region) {
            return Err(CredentialsError::provider_error(
                "region",
                format!("IMDS placement/region answered `{region}`, which is not a region name"),
            ));
        }
        Ok(self.resolved.get_or_init(|| region))
    }
}
