//! `credential_process`: a command that prints credentials as JSON.
//! SKELETON: signatures are the contract; bodies to be written.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};

/// Runs the command (through the shell, as the SDKs do) at every fetch.
#[derive(Debug)]
pub struct CredentialProcessProvider {
    command: String,
}

impl CredentialProcessProvider {
    /// The profile's `credential_process` command line.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
        }
    }
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials<'a>(
        &'a self,
        _ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        let _ = &self.command;
        Box::pin(async {
            Err(CredentialsError::provider_error(
                "credential_process",
                "not written yet",
            ))
        })
    }
}
