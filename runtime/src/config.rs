//! Client configuration shared by every operation of a generated client.

use std::fmt;
use std::sync::Arc;

use crate::transport::Transport;

const REDACTED: &str = "** redacted **";

/// AWS credentials. `Debug` shows only the access key id, so configs can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Long-term (`session_token: None`) or temporary credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }

    /// The access key id (`AKIA...`), not secret.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field("session_token", &self.session_token.as_ref().map(|_| REDACTED))
            .finish()
    }
}

/// Region, endpoint, credentials and transport for a client. Cheap to clone: the transport is shared.
#[derive(Clone, Debug, Default)]
pub struct Config {
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<Credentials>,
    transport: Option<Arc<dyn Transport>>,
}

impl Config {
    /// Starts an empty configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The AWS region, e.g. `us-east-1`.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// An endpoint that replaces the one derived from the region.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The credentials requests are signed with.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The transport requests are sent through.
    pub fn transport(&self) -> Option<&Arc<dyn Transport>> {
        self.transport.as_ref()
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
        self.config.credentials = Some(credentials);
        self
    }

    /// Sets the transport.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.config.transport = Some(Arc::new(transport));
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::StubTransport;

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
