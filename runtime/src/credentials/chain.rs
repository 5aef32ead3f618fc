//! Providers tried in order, the first that has credentials winning, as the AWS SDKs' default chain does.
//!
//! A provider that is not set up here answers [`CredentialsErrorKind::NotLoaded`] and the next is tried; any
//! other error (set up, but failing) ends the search with that error. When every provider had nothing, the
//! error lists each one with its reason.

use std::fmt;
use std::sync::Arc;

use super::{BoxFuture, Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProviderContext};

/// The name a chain's error gives itself.
const CHAIN: &str = "credentials chain";

/// Providers tried in order (see the [module docs](self)).
#[derive(Clone, Default)]
pub struct CredentialsChain {
    /// Sources already found empty without any I/O (variables not set, no profile), with their reasons;
    /// listed first in the error.
    ruled_out: Vec<(String, String)>,
    links: Vec<(String, Arc<dyn ProvideCredentials>)>,
}

impl CredentialsChain {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `provider`, tried after those added before; `name` is how the error lists it.
    pub fn or_else(mut self, name: impl Into<String>, provider: impl ProvideCredentials + 'static) -> Self {
        self.links.push((name.into(), Arc::new(provider)));
        self
    }

    /// Records a source that was found to have nothing without asking it (for the error's list).
    pub fn ruled_out(mut self, name: impl Into<String>, reason: impl Into<String>) -> Self {
        self.ruled_out.push((name.into(), reason.into()));
        self
    }

    /// The message of [`CredentialsChain::none_found`] for the sources ruled out so far.
    pub(crate) fn none_found_message(&self) -> String {
        Self::none_found(&self.ruled_out).message().to_owned()
    }

    /// The error when nothing in `tried` had credentials.
    pub(crate) fn none_found(tried: &[(String, String)]) -> CredentialsError {
        let list = tried
            .iter()
            .map(|(name, reason)| format!("{name} ({reason})"))
            .collect::<Vec<_>>()
            .join("; ");
        CredentialsError::not_loaded(
            CHAIN,
            format!(
                "no AWS credentials found: set them with `.credentials(..)`, the environment variables \
                 AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in the shared files. Tried, in \
                 order: {list}"
            ),
        )
    }
}

impl fmt::Debug for CredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsChain")
            .field("ruled_out", &self.ruled_out)
            .field("providers", &self.links)
            .finish()
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut tried = self.ruled_out.clone();
            for (name, provider) in &self.links {
                match provider.provide_credentials(ctx).await {
                    Ok(credentials) => return Ok(credentials),
                    Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => tried.push((name.clone(), e.to_string())),
                    Err(e) => return Err(e),
                }
            }
            Err(Self::none_found(&tried))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::StubTransport;

    #[derive(Debug)]
    struct Fails(CredentialsErrorKind);

    impl ProvideCredentials for Fails {
        fn provide_credentials<'a>(
            &'a self,
            _: &'a ProviderContext,
        ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
            Box::pin(std::future::ready(Err(CredentialsError::new(
                self.0,
                "fake",
                "nothing here",
            ))))
        }
    }

    fn run(chain: &CredentialsChain) -> Result<Credentials, CredentialsError> {
        let ctx = ProviderContext::new(Arc::new(StubTransport::json(200, "")));
        pollster::block_on(chain.provide_credentials(&ctx))
    }

    #[test]
    fn first_with_credentials_wins_after_not_loaded_ones() {
        let chain = CredentialsChain::new()
            .or_else("a", Fails(CredentialsErrorKind::NotLoaded))
            .or_else("b", Credentials::new("B", "s", None))
            .or_else("c", Credentials::new("C", "s", None));
        assert_eq!(run(&chain).unwrap().access_key_id(), "B");
    }

    #[test]
    fn a_configured_provider_that_fails_stops_the_chain() {
        let chain = CredentialsChain::new()
            .or_else("a", Fails(CredentialsErrorKind::ProviderError))
            .or_else("b", Credentials::new("B", "s", None));
        assert_eq!(run(&chain).unwrap_err().kind(), CredentialsErrorKind::ProviderError);
    }

    #[test]
    fn nothing_found_lists_every_source_with_its_reason() {
        let chain = CredentialsChain::new()
            .ruled_out("environment variables", "AWS_ACCESS_KEY_ID is not set")
            .or_else("IMDS", Fails(CredentialsErrorKind::NotLoaded));
        let error = run(&chain).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::NotLoaded);
        assert!(
            error.to_string().ends_with(
                "Tried, in order: environment variables (AWS_ACCESS_KEY_ID is not set); IMDS (fake: nothing here)"
            ),
            "{error}"
        );
    }
}
