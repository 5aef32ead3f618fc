//! Web identity: a token file (EKS IRSA) exchanged with STS `AssumeRoleWithWebIdentity`.

use std::path::PathBuf;

use super::sts::{default_session_name, StsClient};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
use crate::config::Env;

const PROVIDER: &str = "web identity";

/// Reads the token file at every fetch (it rotates) and assumes `role_arn` with it.
///
/// The token is never kept: `Debug` and errors show the file's path, not what it holds.
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

    /// The token as it is in the file now. Surrounding whitespace (a trailing newline left by an editor or
    /// `echo`) is dropped: a JWT has none, and STS would refuse the token with it.
    fn read_token(&self) -> Result<String, CredentialsError> {
        let path = self.token_file.display();
        match self.env.read(&self.token_file) {
            Ok(Some(contents)) => {
                let token = contents.trim();
                if token.is_empty() {
                    Err(CredentialsError::provider_error(
                        PROVIDER,
                        format!("the web identity token file `{path}` is empty"),
                    ))
                } else {
                    Ok(token.to_owned())
                }
            }
            Ok(None) => Err(CredentialsError::provider_error(
                PROVIDER,
                format!("the web identity token file `{path}` does not exist"),
            )),
            Err(e) => Err(CredentialsError::provider_error(
                PROVIDER,
                format!("cannot read the web identity token file `{path}`: {e}"),
            )
            .with_source(e)),
        }
    }
}

impl ProvideCredentials for WebIdentityTokenProvider {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let token = self.read_token()?;
            let session_name = match &self.session_name {
                Some(name) => name.clone(),
                None => default_session_name(ctx.now()),
            };
            self.sts
                .assume_role_with_web_identity(ctx, &self.role_arn, &session_name, &token)
                .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{CredentialsErrorKind, ManualClock};
    use crate::protocol::ConfiguredEndpoints;
    use crate::transport::{HttpRequest, HttpResponse, StubTransport};
    use std::sync::Arc;
    use std::time::{Duration, UNIX_EPOCH};

    const ROLE: &str = "arn:aws:iam::123456789012:role/pod";
    const TOKEN: &str = "eyJhbGciOi.s3cretPayload.sig";
    const TOKEN_FILE: &str = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";

    fn ok() -> HttpResponse {
        HttpResponse::new(
            b"<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>\
              <AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>webS3cret</SecretAccessKey>\
              <SessionToken>webT0ken</SessionToken><Expiration>2019-11-09T13:34:41Z</Expiration>\
              </Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
                .to_vec(),
        )
    }

    fn ctx(stub: &StubTransport) -> ProviderContext {
        ProviderContext::new(Arc::new(stub.clone())).with_time_source(Arc::new(ManualClock::new(
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )))
    }

    fn provider(env: Env, session_name: Option<&str>) -> WebIdentityTokenProvider {
        WebIdentityTokenProvider::new(
            PathBuf::from(TOKEN_FILE),
            ROLE.into(),
            session_name.map(str::to_owned),
            env,
            StsClient::new(Some("us-west-2"), ConfiguredEndpoints::default()),
        )
    }

    fn form_field(request: &HttpRequest, name: &str) -> Option<String> {
        let body = std::str::from_utf8(request.body()).unwrap();
        body.split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(str::to_owned)
    }

    #[test]
    fn exchanges_the_token_with_a_default_or_given_session_name() {
        let stub = StubTransport::new(|_| ok());
        let env = Env::from_pairs(&[]).with_file(TOKEN_FILE, format!("{TOKEN}\n"));
        let creds = pollster::block_on(provider(env.clone(), None).provide_credentials(&ctx(&stub))).unwrap();
        assert_eq!(creds.access_key_id(), "ASIAWEB");
        assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(1_573_306_481)));
        pollster::block_on(provider(env, Some("my-pod")).provide_credentials(&ctx(&stub))).unwrap();

        let sent = stub.requests();
        assert_eq!(sent[0].uri(), "https://sts.us-west-2.amazonaws.com/");
        assert_eq!(form_field(&sent[0], "WebIdentityToken").as_deref(), Some(TOKEN));
        assert_eq!(
            form_field(&sent[0], "RoleSessionName").as_deref(),
            Some("awsgen-1700000000000")
        );
        assert_eq!(form_field(&sent[1], "RoleSessionName").as_deref(), Some("my-pod"));
        assert!(sent[0].headers().get("authorization").is_none());
    }

    #[test]
    fn reads_the_token_file_again_at_every_fetch() {
        let path = std::env::temp_dir().join(format!("awsgen-web-identity-{}.token", std::process::id()));
        std::fs::write(&path, "first-token").unwrap();
        let stub = StubTransport::new(|_| ok());
        let provider = WebIdentityTokenProvider::new(
            path.clone(),
            ROLE.into(),
            None,
            Env::real(),
            StsClient::new(Some("us-west-2"), ConfiguredEndpoints::default()),
        );
        pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap();
        std::fs::write(&path, "rotated-token").unwrap();
        pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap();
        std::fs::remove_file(&path).unwrap();
        let error = pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);

        let sent = stub.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(form_field(&sent[0], "WebIdentityToken").as_deref(), Some("first-token"));
        assert_eq!(
            form_field(&sent[1], "WebIdentityToken").as_deref(),
            Some("rotated-token")
        );
    }

    #[test]
    fn missing_or_empty_token_file_is_a_provider_error_naming_the_path() {
        let stub = StubTransport::new(|_| ok());
        for (env, expected) in [
            (Env::from_pairs(&[]), "does not exist"),
            (Env::from_pairs(&[]).with_file(TOKEN_FILE, " \n"), "is empty"),
        ] {
            let error = pollster::block_on(provider(env, None).provide_credentials(&ctx(&stub))).unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
            assert_eq!(error.provider(), "web identity");
            assert_eq!(
                error.message(),
                format!("the web identity token file `{TOKEN_FILE}` {expected}")
            );
        }
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn the_token_is_in_no_debug_and_no_error() {
        let env = Env::from_pairs(&[]).with_file(TOKEN_FILE, TOKEN);
        let provider = provider(env, None);
        let shown = format!("{provider:?}");
        assert!(
            !shown.contains("s3cretPayload") && shown.contains(TOKEN_FILE),
            "{shown}"
        );

        let refusing = StubTransport::new(|_| {
            let mut answer = HttpResponse::new(
                b"<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>Incorrect token audience\
                  </Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
                    .to_vec(),
            );
            *answer.status_mut() = http::StatusCode::BAD_REQUEST;
            answer
        });
        let garbled = StubTransport::new(|req| {
            // An answer that echoes the request must not bring the token into the error either.
            HttpResponse::new(req.body().clone())
        });
        for stub in [refusing, garbled] {
            let error = pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap_err();
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains("s3cretPayload"), "{shown}");
                assert!(shown.contains(ROLE), "{shown}");
            }
        }
    }
}
