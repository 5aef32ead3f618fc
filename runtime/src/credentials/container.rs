//! The container credentials endpoint (ECS tasks, EKS Pod Identity), configured as the AWS SDKs read it:
//!
//! 1. `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (set by ECS): `http://169.254.170.2{uri}`. It wins over the
//!    full URI.
//! 2. `AWS_CONTAINER_CREDENTIALS_FULL_URI` (EKS Pod Identity, or a server of one's own): any `https://` URL, or
//!    an `http://` URL whose host is a loopback address (`127.0.0.0/8`, `[::1]`, `localhost`) or the ECS/EKS
//!    credentials address (`169.254.170.2`, `169.254.170.23`, `[fd00:ec2::23]`). Plain HTTP elsewhere would
//!    hand the credentials to whoever is on the path.
//! 3. The `Authorization` header: the contents of the file `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` names
//!    (read at every fetch: EKS rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
//!
//! The answer is `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`; a refusal is `{"code",
//! "message"}` with a 4xx or 5xx status.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::HeaderValue;
use serde_json::{Map, Value};

#[cfg(doc)]
use super::CredentialsErrorKind;
use super::ServiceErrorDetails;
use super::{json_field, json_string, parse_rfc3339};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext, RequestPolicy};
use crate::config::Env;
use crate::transport::{HttpRequest, HttpResponse};

/// The provider name in this module's errors.
pub const PROVIDER: &str = "container (ECS/EKS)";
/// Where `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` points: the ECS agent's credentials endpoint.
pub const ECS_HOST: &str = "http://169.254.170.2";

const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// Hosts an `http://` full URI may name besides loopback addresses: the ECS agent and the EKS Pod Identity
/// agent (IPv4 and IPv6), as in aws-sdk-rust and botocore.
const LINK_LOCAL_HOSTS: [&str; 3] = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];

/// botocore tries 3 times with a 2 s timeout; aws-sdk-rust makes 3 attempts with 2 s to connect and 5 s to
/// read. One limit bounds a whole attempt here, so it takes the longer: the endpoint may itself call AWS
/// before answering. 5xx, connection failures, timeouts and unreadable 200s are retried, as in aws-sdk-rust.
const POLICY: RequestPolicy = RequestPolicy {
    attempt_timeout: Some(Duration::from_secs(5)),
    max_attempts: Some(3),
    retry_response: unreadable_success,
};

fn unreadable_success(response: &HttpResponse) -> bool {
    response.status().is_success() && parse_json_credentials(response.body()).is_err()
}

/// Credentials from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (see the
/// [module docs](self)).
///
/// Errors: [`CredentialsErrorKind::InvalidConfiguration`] for an authorization token that cannot be a header
/// (CR, LF), [`CredentialsErrorKind::ProviderError`] for a token file that cannot be read or an answer that is
/// not credentials (never quoted: it holds secrets), [`CredentialsErrorKind::ServiceError`] with the
/// endpoint's `code` and `message` when it refuses, [`CredentialsErrorKind::Dispatch`] when it cannot be
/// reached after 3 attempts. Never [`CredentialsErrorKind::NotLoaded`]: the variables say it is set up.
///
/// `Debug` and errors never show the authorization token.
pub struct ContainerProvider {
    uri: String,
    authorization: Authorization,
    /// Reads the token file.
    env: Env,
}

enum Authorization {
    None,
    /// Checked when the provider is made.
    Token(HeaderValue),
    File(PathBuf),
}

impl ContainerProvider {
    /// `None` when neither variable is set; an error for a full URI on a host the SDKs do not allow.
    ///
    /// ```
    /// use awsgen_runtime::config::Env;
    /// use awsgen_runtime::credentials::container::ContainerProvider;
    ///
    /// let env = Env::from_pairs(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")]);
    /// assert_eq!(ContainerProvider::from_env(&env)?.unwrap().uri(), "http://169.254.170.2/v2/credentials/abc");
    /// assert!(ContainerProvider::from_env(&Env::from_pairs(&[]))?.is_none());
    ///
    /// let env = Env::from_pairs(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1/creds")]);
    /// assert!(ContainerProvider::from_env(&env).is_err());
    /// # Ok::<(), awsgen_runtime::credentials::CredentialsError>(())
    /// ```
    pub fn from_env(env: &Env) -> Result<Option<Self>, CredentialsError> {
        let uri = if let Some(relative) = env.get(RELATIVE_URI) {
            relative_uri(relative)?
        } else if let Some(full) = env.get(FULL_URI) {
            full_uri(full)?
        } else {
            return Ok(None);
        };
        let authorization = if let Some(path) = env.get(TOKEN_FILE) {
            Authorization::File(PathBuf::from(path))
        } else if let Some(token) = env.get(TOKEN) {
            Authorization::Token(header_value(token.as_bytes(), TOKEN)?)
        } else {
            Authorization::None
        };
        Ok(Some(Self {
            uri,
            authorization,
            env: env.clone(),
        }))
    }

    /// The URL credentials are fetched from.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The `Authorization` header for this fetch: the token file is read every time, since it rotates.
    fn authorization(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        match &self.authorization {
            Authorization::None => Ok(None),
            Authorization::Token(value) => Ok(Some(value.clone())),
            Authorization::File(path) => {
                let contents = self.env.read(path).map_err(|e| {
                    CredentialsError::provider_error(
                        PROVIDER,
                        format!(
                            "cannot read the authorization token file {} ({TOKEN_FILE}): {e}",
                            path.display()
                        ),
                    )
                    .with_source(e)
                })?;
                let contents = contents.ok_or_else(|| {
                    CredentialsError::provider_error(
                        PROVIDER,
                        format!(
                            "the authorization token file {} ({TOKEN_FILE}) does not exist",
                            path.display()
                        ),
                    )
                })?;
                header_value(contents.as_bytes(), TOKEN_FILE).map(Some)
            }
        }
    }

    async fn credentials(&self, ctx: &ProviderContext) -> Result<Credentials, CredentialsError> {
        let authorization = self.authorization()?;
        let response = ctx
            .send(PROVIDER, &POLICY, || request(&self.uri, authorization.as_ref()))
            .await
            .map_err(|e| e.context(format!("GET {}", self.uri)))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(refused(&response).context(format!("GET {}", self.uri)));
        }
        match parse_json_credentials(response.body()) {
            Ok(JsonCredentials::Credentials(credentials)) => Ok(credentials),
            Ok(JsonCredentials::Error { code, message }) => Err(CredentialsError::service_error(
                PROVIDER,
                ServiceErrorDetails {
                    status,
                    code: Some(code),
                    message,
                    request_id: None,
                },
            )
            .context(format!("GET {}", self.uri))),
            Err(reason) => Err(CredentialsError::provider_error(
                PROVIDER,
                format!("the answer of {} is not credentials: {reason}", self.uri),
            )),
        }
    }
}

impl fmt::Debug for ContainerProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let authorization = match &self.authorization {
            Authorization::None => "none".to_owned(),
            Authorization::Token(_) => format!("{TOKEN} ({})", crate::profile::REDACTED),
            Authorization::File(path) => format!("{TOKEN_FILE} {}", path.display()),
        };
        f.debug_struct("ContainerProvider")
            .field("uri", &self.uri)
            .field("authorization", &authorization)
            .finish()
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials(ctx))
    }
}

fn relative_uri(relative: &str) -> Result<String, CredentialsError> {
    let slash = if relative.starts_with('/') { "" } else { "/" };
    let uri = format!("{ECS_HOST}{slash}{relative}");
    if uri.parse::<http::Uri>().is_err() {
        return Err(CredentialsError::invalid_configuration(
            PROVIDER,
            format!("{RELATIVE_URI} `{relative}` does not make a URL"),
        ));
    }
    Ok(uri)
}

fn full_uri(full: &str) -> Result<String, CredentialsError> {
    let refuse = |why: &str| {
        CredentialsError::invalid_configuration(
            PROVIDER,
            format!(
                "{FULL_URI} `{full}` cannot be used: {why}. It must be an https:// URL, or an http:// URL whose host \
                 is a loopback address (127.0.0.0/8, [::1], localhost) or the ECS/EKS credentials address \
                 (169.254.170.2, 169.254.170.23, [fd00:ec2::23])"
            ),
        )
    };
    let parsed = full.parse::<http::Uri>().map_err(|_| refuse("it is not a URL"))?;
    let host = parsed
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| refuse("it has no host"))?;
    match parsed.scheme_str() {
        Some("https") => Ok(full.to_owned()),
        Some("http") if is_allowed_http_host(host) => Ok(full.to_owned()),
        Some("http") => Err(refuse("plain HTTP to this host is not allowed")),
        _ => Err(refuse("it is not an http:// or https:// URL")),
    }
}

/// aws-sdk-rust resolves a name and requires every address to be allowed; botocore allows `localhost` by
/// name. No lookup happens here (making the provider does no I/O), so `localhost` is allowed by name and
/// other names are refused.
fn is_allowed_http_host(host: &str) -> bool {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() || LINK_LOCAL_HOSTS.iter().any(|h| h.parse() == Ok(ip)),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// The token as a header, marked sensitive; `source` names where it came from. The value is never quoted.
fn header_value(token: &[u8], source: &str) -> Result<HeaderValue, CredentialsError> {
    let invalid = |why: &str| {
        CredentialsError::invalid_configuration(
            PROVIDER,
            format!("the authorization token from {source} cannot be sent as a header: {why}"),
        )
    };
    // Checked first and named: a header holding a line break could smuggle headers of its own.
    if token.iter().any(|b| matches!(b, b'\r' | b'\n')) {
        return Err(invalid("it contains a line break (CR or LF)"));
    }
    let mut value = HeaderValue::from_bytes(token).map_err(|_| invalid("it contains a control character"))?;
    value.set_sensitive(true);
    Ok(value)
}

fn request(uri: &str, authorization: Option<&HeaderValue>) -> Result<HttpRequest, CredentialsError> {
    let mut builder = http::Request::builder()
        .method(http::Method::GET)
        .uri(uri)
        .header(http::header::ACCEPT, "application/json");
    if let Some(value) = authorization {
        builder = builder.header(http::header::AUTHORIZATION, value.clone());
    }
    builder
        .body(Vec::new())
        .map_err(|e| CredentialsError::invalid_configuration(PROVIDER, format!("`{uri}` cannot be requested: {e}")))
}

/// A [`CredentialsErrorKind::ServiceError`] with the `code` and `message` of the endpoint's JSON; a body that
/// is not such JSON is kept, shortened, as the message (a refusal holds no credentials).
fn refused(response: &HttpResponse) -> CredentialsError {
    let (code, message) = match serde_json::from_slice::<Map<String, Value>>(response.body()) {
        Ok(object) => (string_field(&object, "code"), string_field(&object, "message")),
        Err(_) => {
            let text = String::from_utf8_lossy(response.body());
            let text = text.trim();
            (None, (!text.is_empty()).then(|| text.chars().take(200).collect()))
        }
    };
    CredentialsError::service_error(
        PROVIDER,
        ServiceErrorDetails {
            status: response.status().as_u16(),
            code,
            message,
            request_id: None,
        },
    )
}

/// What a credentials endpoint (this one, IMDS) answered with.
pub(super) enum JsonCredentials {
    /// `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration`, with `Code` absent or `Success`.
    Credentials(Credentials),
    /// A `Code` other than `Success`, and the `Message` if any.
    Error { code: String, message: Option<String> },
}

/// Reads a credentials document as aws-sdk-rust does: keys in any case, `Token` or `SessionToken`, all four
/// fields required. The reason for an error never quotes the document, which may hold secrets.
pub(super) fn parse_json_credentials(body: &[u8]) -> Result<JsonCredentials, String> {
    let object = serde_json::from_slice::<Map<String, Value>>(body).map_err(|e| {
        // serde_json's own message may quote a value, so only its category and position are used.
        let what = match e.classify() {
            serde_json::error::Category::Data => "JSON, but not an object",
            serde_json::error::Category::Eof => "cut short",
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => "not JSON",
        };
        format!("{what} (line {}, column {})", e.line(), e.column())
    })?;
    let text = |name: &'static str| json_string(&object, name);
    if let Some(code) = text("Code")?.filter(|code| code != "Success") {
        return Ok(JsonCredentials::Error {
            code,
            message: text("Message")?,
        });
    }
    let required = |name: &'static str| text(name)?.ok_or_else(|| format!("`{name}` is missing"));
    let access_key_id = required("AccessKeyId")?;
    let secret_access_key = required("SecretAccessKey")?;
    let session_token = match text("Token")? {
        Some(token) => token,
        None => text("SessionToken")?.ok_or("`Token` is missing")?,
    };
    let expiration = required("Expiration")?;
    let expiry = parse_rfc3339(&expiration).ok_or("`Expiration` is not an RFC 3339 date-time")?;
    Ok(JsonCredentials::Credentials(
        Credentials::new(access_key_id, secret_access_key, Some(session_token)).with_expiry(expiry),
    ))
}

fn string_field(object: &Map<String, Value>, name: &str) -> Option<String> {
    json_field(object, name).and_then(Value::as_str).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use crate::retry::RetryConfig;
    use crate::transport::StubTransport;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::SystemTime;

    const CREDENTIALS: &str = r#"{
        "RoleArn": "arn:aws:iam::123456789012:role/task",
        "AccessKeyId": "ASIACONTAINER",
        "SecretAccessKey": "s3cr3t-key",
        "Token": "s3ss10n-token",
        "Expiration": "2009-02-13T23:31:30Z"
    }"#;

    fn respond(status: u16, body: &str) -> HttpResponse {
        let mut response = HttpResponse::new(body.as_bytes().to_vec());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
    }

    fn container(pairs: &[(&str, &str)]) -> ContainerProvider {
        ContainerProvider::from_env(&Env::from_pairs(pairs)).unwrap().unwrap()
    }

    fn fetch(provider: &ContainerProvider, stub: &StubTransport) -> Result<Credentials, CredentialsError> {
        let ctx = ProviderContext::new(Arc::new(stub.clone()))
            .with_retry_config(RetryConfig::default().with_initial_backoff(Duration::ZERO));
        pollster::block_on(provider.provide_credentials(&ctx))
    }

    #[test]
    fn relative_uri_goes_to_the_ecs_agent_and_wins_over_the_full_uri() {
        let stub = StubTransport::new(|_| respond(200, CREDENTIALS));
        let provider = container(&[
            (RELATIVE_URI, "/v2/credentials/abc"),
            (FULL_URI, "http://127.0.0.1:8080/ignored"),
        ]);
        let credentials = fetch(&provider, &stub).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIACONTAINER");
        assert_eq!(credentials.secret_access_key(), "s3cr3t-key");
        assert_eq!(credentials.session_token(), Some("s3ss10n-token"));
        assert_eq!(
            credentials.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_234_567_890))
        );
        let sent = stub.requests();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].uri(), "http://169.254.170.2/v2/credentials/abc");
        assert_eq!(sent[0].headers()["accept"], "application/json");
        assert!(sent[0].headers().get("authorization").is_none());
        let timeout = sent[0].extensions().get::<crate::transport::AttemptTimeout>().unwrap();
        assert_eq!(timeout.0, Duration::from_secs(5));
        assert_eq!(container(&[(RELATIVE_URI, "v2/x")]).uri(), "http://169.254.170.2/v2/x");
    }

    #[test]
    fn neither_variable_is_none() {
        let env = Env::from_pairs(&[(TOKEN, "t"), (RELATIVE_URI, "  ")]);
        assert!(ContainerProvider::from_env(&env).unwrap().is_none());
    }

    #[test]
    fn full_uri_hosts_allowed_as_in_the_sdks() {
        for uri in [
            "https://creds.example.com/get",
            "https://10.0.0.1/creds",
            "http://127.0.0.1:8080/get-credentials",
            "http://127.1.2.3/creds",
            "http://localhost:8080/creds",
            "http://LOCALHOST/creds",
            "http://[::1]:9000/creds",
            "http://169.254.170.2:8080/get-credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
        ] {
            assert_eq!(container(&[(FULL_URI, uri)]).uri(), uri);
        }
    }

    #[test]
    fn full_uri_hosts_refused() {
        for uri in [
            "http://192.168.10.120/creds",
            "http://169.254.171.23/creds",
            "http://[fd00:ec2::2]/creds",
            "http://169.254.169.254/latest/meta-data",
            "http://creds.example.com/get",
            "http://localhost.example.com/get",
            "ftp://127.0.0.1/creds",
            "/relative/only",
            "not a uri",
        ] {
            let err = ContainerProvider::from_env(&Env::from_pairs(&[(FULL_URI, uri)])).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration, "{uri}");
            let shown = err.to_string();
            assert!(shown.contains(FULL_URI) && shown.contains(uri), "{shown}");
            assert!(shown.contains("loopback"), "{shown}");
        }
    }

    #[test]
    fn token_from_the_variable() {
        let stub = StubTransport::new(|_| respond(200, CREDENTIALS));
        let provider = container(&[
            (FULL_URI, "http://169.254.170.23/v1/credentials"),
            (TOKEN, "Basic s3cr3t"),
        ]);
        fetch(&provider, &stub).unwrap();
        assert_eq!(stub.requests()[0].uri(), "http://169.254.170.23/v1/credentials");
        assert_eq!(stub.requests()[0].headers()["authorization"], "Basic s3cr3t");
        let shown = format!("{provider:?}");
        assert!(!shown.contains("s3cr3t") && shown.contains(TOKEN), "{shown}");
    }

    #[test]
    fn token_file_wins_and_is_read_at_every_fetch() {
        let path = "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token";
        let pairs = [
            (FULL_URI, "http://169.254.170.23/v1/credentials"),
            (TOKEN_FILE, path),
            (TOKEN, "unused"),
        ];
        let stub = StubTransport::new(|_| respond(200, CREDENTIALS));
        let mut provider = ContainerProvider::from_env(&Env::from_pairs(&pairs).with_file(path, "jwt-1"))
            .unwrap()
            .unwrap();
        fetch(&provider, &stub).unwrap();
        // The file rotates: the next fetch sends what it holds then.
        provider.env = Env::from_pairs(&pairs).with_file(path, "jwt-2");
        fetch(&provider, &stub).unwrap();
        let sent: Vec<_> = stub
            .requests()
            .iter()
            .map(|r| r.headers()["authorization"].clone())
            .collect();
        assert_eq!(sent, ["jwt-1", "jwt-2"]);
        assert!(format!("{provider:?}").contains(path));

        provider.env = Env::from_pairs(&pairs);
        let err = fetch(&provider, &stub).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[test]
    fn tokens_with_line_breaks_are_refused_unquoted() {
        let env = Env::from_pairs(&[(RELATIVE_URI, "/c"), (TOKEN, "s3cr3t\r\nX-Injected: 1")]);
        let err = ContainerProvider::from_env(&env).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(
            err.to_string().contains("CR or LF") && !format!("{err} {err:?}").contains("s3cr3t"),
            "{err}"
        );

        let env = Env::from_pairs(&[(RELATIVE_URI, "/c"), (TOKEN_FILE, "/t")]).with_file("/t", "s3cr3t\n");
        let provider = ContainerProvider::from_env(&env).unwrap().unwrap();
        let stub = StubTransport::new(|_| respond(200, CREDENTIALS));
        let err = fetch(&provider, &stub).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(
            err.to_string().contains(TOKEN_FILE) && !err.to_string().contains("s3cr3t"),
            "{err}"
        );
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn refusals_keep_code_and_message() {
        let stub = StubTransport::new(|_| {
            respond(
                403,
                r#"{"code":"AccessDeniedException","message":"Pod Identity association not found"}"#,
            )
        });
        let provider = container(&[(RELATIVE_URI, "/c"), (TOKEN, "s3cr3t")]);
        let err = fetch(&provider, &stub).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ServiceError);
        assert_eq!(err.code(), Some("AccessDeniedException"));
        assert_eq!(err.service_message(), Some("Pod Identity association not found"));
        assert_eq!(err.service_details().unwrap().status, 403);
        assert!(!format!("{err} {err:?}").contains("s3cr3t"));
        // A 4xx is an answer, not retried.
        assert_eq!(stub.requests().len(), 1);

        let stub = StubTransport::new(|_| respond(200, r#"{"Code":"Throttled","Message":"slow down"}"#));
        let err = fetch(&provider, &stub).unwrap_err();
        assert_eq!(err.code(), Some("Throttled"));
    }

    #[test]
    fn retries_5xx_and_unreadable_answers_then_reports_without_quoting() {
        let calls = AtomicUsize::new(0);
        let stub = StubTransport::new(move |_| match calls.fetch_add(1, Ordering::SeqCst) {
            0 => respond(500, "it broke"),
            1 => respond(200, "not json"),
            _ => respond(200, CREDENTIALS),
        });
        let provider = container(&[(RELATIVE_URI, "/c")]);
        assert_eq!(fetch(&provider, &stub).unwrap().access_key_id(), "ASIACONTAINER");
        assert_eq!(stub.requests().len(), 3);

        let truncated = r#"{"AccessKeyId":"ASIA","SecretAccessKey":"s3cr3t-key","Token":"s3ss10n"#;
        let stub = StubTransport::new(move |_| respond(200, truncated));
        let err = fetch(&provider, &stub).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(stub.requests().len(), 3);
        let shown = format!("{err} {err:?}");
        assert!(
            shown.contains("cut short") && !shown.contains("s3cr3t") && !shown.contains("s3ss10n"),
            "{shown}"
        );
    }

    #[test]
    fn json_documents_as_the_sdks_read_them() {
        let parsed = parse_json_credentials(
            br#"{"accesskeyid":"A","secretaccesskey":"S","SessionToken":"T","expiration":"2021-09-18T03:31:56Z"}"#,
        );
        let Ok(JsonCredentials::Credentials(credentials)) = parsed else {
            panic!("not credentials")
        };
        assert_eq!(credentials.session_token(), Some("T"));
        for (body, reason) in [
            (&br#"["s3cr3t"]"#[..], "JSON, but not an object"),
            (br#""s3cr3t""#, "JSON, but not an object"),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":"s3cr3t","Expiration":"2021-09-18T03:31:56Z"}"#,
                "`Token`",
            ),
            (
                br#"{"AccessKeyId":1,"SecretAccessKey":"s3cr3t"}"#,
                "`AccessKeyId` is not a string",
            ),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"s3cr3t"}"#,
                "`Expiration`",
            ),
        ] {
            let Err(err) = parse_json_credentials(body) else {
                panic!("parsed")
            };
            assert!(err.contains(reason) && !err.contains("s3cr3t"), "{err}");
        }
    }

    #[cfg(feature = "async-https")]
    #[test]
    fn credentials_through_the_real_transport() {
        use crate::https_async::HyperTransport;
        use awsgen_test_support::{refused_url, Reply, Server};

        let server = Server::http(|request| match request.header("authorization") {
            Some("Bearer jwt") if request.path == "/v1/credentials" => Reply::with_headers(200, &[], CREDENTIALS),
            _ => Reply::with_headers(
                401,
                &[("content-type", "application/json")],
                r#"{"code":"Unauthorized","message":"bad token"}"#,
            ),
        });
        let ctx = ProviderContext::new(Arc::new(HyperTransport::new()));
        let uri = format!("{}/v1/credentials", server.url());
        let provider = container(&[(FULL_URI, &uri), (TOKEN, "Bearer jwt")]);
        let credentials = pollster::block_on(provider.provide_credentials(&ctx)).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIACONTAINER");
        assert_eq!(server.requests()[0].header("accept"), Some("application/json"));

        let wrong = container(&[(FULL_URI, &uri), (TOKEN, "Bearer other")]);
        let err = pollster::block_on(wrong.provide_credentials(&ctx)).unwrap_err();
        assert_eq!(
            (err.code(), err.service_message()),
            (Some("Unauthorized"), Some("bad token"))
        );

        // Set up but unreachable: an error that stops the chain, not "not loaded".
        let nobody = container(&[(FULL_URI, &format!("{}/creds", refused_url()))]);
        let ctx = ctx.with_retry_config(RetryConfig::default().with_initial_backoff(Duration::ZERO));
        let err = pollster::block_on(nobody.provide_credentials(&ctx)).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Dispatch);
    }
}
