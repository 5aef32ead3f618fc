//! The EC2 instance metadata service (IMDS), version 2 only, as botocore and aws-sdk-rust use it: a session
//! token from `PUT /latest/api/token`, then `GET`s that carry it; and the instance profile's role credentials
//! read through it.
//!
//! Off EC2 nothing answers at 169.254.169.254, and the default chain asks IMDS last, so a program without
//! credentials must learn that quickly: every attempt is bounded to 1 s and the token request is tried once.
//! A connection refused or timed out there is [`CredentialsErrorKind::NotLoaded`], which lets a
//! [`CredentialsChain`](super::CredentialsChain) finish within about a second.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use http::HeaderValue;

use super::container::{parse_json_credentials, JsonCredentials};
#[cfg(doc)]
use super::CredentialsErrorKind;
use super::{
    BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext, RequestPolicy, ServiceErrorDetails,
};
use crate::transport::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};

/// The provider name in this module's errors.
pub const PROVIDER: &str = "IMDS";
/// The endpoint of mode `IPv4`, the default.
pub const IPV4_ENDPOINT: &str = "http://169.254.169.254";
/// The endpoint of mode `IPv6`.
pub const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";

const TOKEN_PATH: &str = "/latest/api/token";
const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// Six hours, the longest IMDS grants and the SDKs' default.
const TOKEN_TTL: Duration = Duration::from_secs(21_600);
/// A token is replaced this long before its TTL ends (aws-sdk-rust's margin), so no request carries a token
/// that expires on the way.
const TOKEN_REFRESH_AHEAD: Duration = Duration::from_secs(120);
/// The SDKs' IMDS connect and read timeouts are 1 s each; one limit bounds a whole attempt here.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);
const ROLES_PATH: &str = "/latest/meta-data/iam/security-credentials/";
/// Credentials IMDS serves already expired (during an outage of its own) are used this much longer, plus up
/// to [`STALE_JITTER`], instead of failing every call: the SDKs' "static stability". Less than 15 minutes, the
/// shortest life of role credentials, so a refresh comes before the real ones would expire.
const STALE_EXTENSION: Duration = Duration::from_secs(600);
const STALE_JITTER: Duration = Duration::from_secs(300);

fn no_extra_retries(_: &HttpResponse) -> bool {
    false
}

/// One attempt: off EC2 the token request is the one that finds nothing there, and it must not be retried
/// into several seconds.
const TOKEN_POLICY: RequestPolicy = RequestPolicy {
    attempt_timeout: Some(ATTEMPT_TIMEOUT),
    max_attempts: Some(1),
    retry_response: no_extra_retries,
};

/// Once a token was had, IMDS is there: a 5xx or a dropped connection is worth another try.
const GET_POLICY: RequestPolicy = RequestPolicy {
    attempt_timeout: Some(ATTEMPT_TIMEOUT),
    max_attempts: Some(3),
    retry_response: no_extra_retries,
};

/// An IMDSv2 client: `PUT /latest/api/token` with a TTL, then `GET`s carrying the token.
///
/// The token is cached until shortly before its TTL ends and shared by clones. IMDSv1 (requests without a
/// token) is never used, as in aws-sdk-rust. `Debug` does not show the token.
#[derive(Clone)]
pub struct ImdsClient {
    /// Without a trailing `/`, so a path can be appended.
    endpoint: String,
    token: Arc<Mutex<Option<SessionToken>>>,
}

struct SessionToken {
    /// Marked sensitive, so `http`'s own `Debug` hides it too.
    value: HeaderValue,
    refresh_at: SystemTime,
}

/// What a `GET` found.
enum Fetched {
    Found(String),
    /// HTTP 404: nothing at this path.
    Missing,
}

impl ImdsClient {
    /// `endpoint`: `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the profile's `ec2_metadata_service_endpoint`;
    /// `mode`: `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` or `ec2_metadata_service_endpoint_mode` (`IPv4`,
    /// `IPv6`). An error for a mode or endpoint that cannot be used.
    ///
    /// An endpoint must be an absolute `http://` or `https://` URL; it wins over the mode, which is then not
    /// looked at (as in aws-sdk-rust). The mode is case-insensitive: `IPv4` (the default) is
    /// [`IPV4_ENDPOINT`], `IPv6` is [`IPV6_ENDPOINT`]. Errors are
    /// [`CredentialsErrorKind::InvalidConfiguration`] naming the setting.
    ///
    /// ```
    /// use awsgen_runtime::credentials::imds::ImdsClient;
    ///
    /// assert!(ImdsClient::new(None, Some("ipv6")).is_ok());
    /// assert!(ImdsClient::new(Some("http://127.0.0.1:1338"), None).is_ok());
    /// let err = ImdsClient::new(None, Some("IPv5")).unwrap_err();
    /// assert!(err.to_string().contains("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), "{err}");
    /// ```
    pub fn new(endpoint: Option<&str>, mode: Option<&str>) -> Result<Self, CredentialsError> {
        let endpoint = match endpoint.map(str::trim).filter(|e| !e.is_empty()) {
            Some(endpoint) => checked_endpoint(endpoint)?,
            None => endpoint_of_mode(mode.map(str::trim).filter(|m| !m.is_empty()))?.to_owned(),
        };
        Ok(Self {
            endpoint,
            token: Arc::default(),
        })
    }

    /// The endpoint requests go to (`http://169.254.169.254` by default).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The body of `GET {path}` (`/latest/meta-data/placement/region`).
    ///
    /// Errors, by kind:
    /// - [`CredentialsErrorKind::NotLoaded`]: nothing answers the token request (connection refused or timed
    ///   out: not on EC2, or in a container whose instance allows only one network hop), or IMDS has nothing at
    ///   `path` (HTTP 404).
    /// - [`CredentialsErrorKind::ServiceError`]: IMDS refused, with its status: 403 on the token request (IMDS
    ///   is turned off for this instance), 401 again after a new token, a 5xx after the retries, ...
    /// - [`CredentialsErrorKind::Dispatch`]: a `GET` failed to connect or timed out after a token was had (IMDS
    ///   is there but failing).
    /// - [`CredentialsErrorKind::ProviderError`]: an answer that is not text, or a token that cannot be sent.
    /// - [`CredentialsErrorKind::InvalidConfiguration`]: `ctx` has no transport, or `path` makes no URL.
    pub async fn get(&self, ctx: &ProviderContext, path: &str) -> Result<String, CredentialsError> {
        match self.fetch(ctx, path).await? {
            Fetched::Found(body) => Ok(body),
            Fetched::Missing => Err(CredentialsError::not_loaded(
                PROVIDER,
                format!("nothing at {} (HTTP 404)", self.url(path)),
            )),
        }
    }

    /// The instance's region (`placement/region`).
    pub async fn region(&self, ctx: &ProviderContext) -> Result<String, CredentialsError> {
        let region = self.get(ctx, "/latest/meta-data/placement/region").await?;
        Ok(region.trim().to_owned())
    }

    fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("{}{slash}{path}", self.endpoint)
    }

    /// `GET {path}` with a session token, fetching a new token once if IMDS says the one sent has expired.
    async fn fetch(&self, ctx: &ProviderContext, path: &str) -> Result<Fetched, CredentialsError> {
        let url = self.url(path);
        let mut token = self.token(ctx, false).await?;
        let mut renewed = false;
        loop {
            let response = ctx
                .send(PROVIDER, &GET_POLICY, || get_request(&url, &token))
                .await
                .map_err(|e| e.context(format!("GET {url}")))?;
            match response.status().as_u16() {
                200..=299 => {
                    return String::from_utf8(response.into_body())
                        .map(Fetched::Found)
                        .map_err(|_| {
                            CredentialsError::provider_error(
                                PROVIDER,
                                format!("the answer to GET {url} is not UTF-8 text"),
                            )
                        })
                }
                // The token expired early (IMDS restarted, the clock jumped): the SDKs fetch another once.
                401 if !renewed => {
                    token = self.token(ctx, true).await?;
                    renewed = true;
                }
                404 => return Ok(Fetched::Missing),
                _ => return Err(refused(&response).context(format!("GET {url}"))),
            }
        }
    }

    /// The cached session token, or a new one if there is none, it is about to expire, or `renew` says so.
    async fn token(&self, ctx: &ProviderContext, renew: bool) -> Result<HeaderValue, CredentialsError> {
        if !renew {
            let cached = self.token.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(token) = cached.as_ref().filter(|t| ctx.now() < t.refresh_at) {
                return Ok(token.value.clone());
            }
        }
        let url = format!("{}{TOKEN_PATH}", self.endpoint);
        let requested_at = ctx.now();
        let response = match ctx.send(PROVIDER, &TOKEN_POLICY, || token_request(&url)).await {
            Ok(response) => response,
            Err(e) => return Err(unreachable_or(e, &url)),
        };
        match response.status().as_u16() {
            200..=299 => {}
            403 => {
                return Err(refused(&response).context(format!(
                    "PUT {url}: IMDS refused a session token: the instance metadata service is turned off for \
                     this instance (its metadata options' HttpEndpoint), or the request was forwarded \
                     (IMDS refuses requests carrying X-Forwarded-For)"
                )))
            }
            _ => return Err(refused(&response).context(format!("PUT {url}: IMDS refused a session token"))),
        }
        let ttl = response
            .headers()
            .get(TTL_HEADER)
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
            // IMDS grants at most what was asked; a larger figure must not push the refresh past the real end.
            .map_or(TOKEN_TTL, |secs| Duration::from_secs(secs).min(TOKEN_TTL));
        let mut value = HeaderValue::from_bytes(response.body().trim_ascii())
            .ok()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                CredentialsError::provider_error(
                    PROVIDER,
                    format!("the session token from PUT {url} is empty or cannot be sent in a header"),
                )
            })?;
        value.set_sensitive(true);
        // A clock at the end of time makes the token single-use rather than a panic.
        let refresh_at = requested_at
            .checked_add(ttl.saturating_sub(TOKEN_REFRESH_AHEAD))
            .unwrap_or(requested_at);
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = Some(SessionToken {
            value: value.clone(),
            refresh_at,
        });
        Ok(value)
    }
}

impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let has_token = self.token.lock().unwrap_or_else(PoisonError::into_inner).is_some();
        f.debug_struct("ImdsClient")
            .field("endpoint", &self.endpoint)
            .field("has_session_token", &has_token)
            .finish()
    }
}

fn checked_endpoint(endpoint: &str) -> Result<String, CredentialsError> {
    let usable = endpoint.parse::<http::Uri>().is_ok_and(|uri| {
        matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some_and(|h| !h.is_empty())
    });
    if !usable {
        return Err(CredentialsError::invalid_configuration(
            PROVIDER,
            format!(
                "the IMDS endpoint `{endpoint}` (AWS_EC2_METADATA_SERVICE_ENDPOINT or the profile's \
                 ec2_metadata_service_endpoint) is not an absolute http:// or https:// URL"
            ),
        ));
    }
    Ok(endpoint.trim_end_matches('/').to_owned())
}

fn endpoint_of_mode(mode: Option<&str>) -> Result<&'static str, CredentialsError> {
    match mode {
        None => Ok(IPV4_ENDPOINT),
        Some(mode) if mode.eq_ignore_ascii_case("ipv4") => Ok(IPV4_ENDPOINT),
        Some(mode) if mode.eq_ignore_ascii_case("ipv6") => Ok(IPV6_ENDPOINT),
        Some(mode) => Err(CredentialsError::invalid_configuration(
            PROVIDER,
            format!(
                "the IMDS endpoint mode `{mode}` (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE or the profile's \
                 ec2_metadata_service_endpoint_mode) is neither IPv4 nor IPv6"
            ),
        )),
    }
}

fn token_request(url: &str) -> Result<HttpRequest, CredentialsError> {
    http::Request::builder()
        .method(http::Method::PUT)
        .uri(url)
        .header(TTL_HEADER, TOKEN_TTL.as_secs())
        .body(Vec::new())
        .map_err(|e| bad_url(url, &e))
}

fn get_request(url: &str, token: &HeaderValue) -> Result<HttpRequest, CredentialsError> {
    http::Request::builder()
        .method(http::Method::GET)
        .uri(url)
        .header(TOKEN_HEADER, token.clone())
        .body(Vec::new())
        .map_err(|e| bad_url(url, &e))
}

fn bad_url(url: &str, error: &http::Error) -> CredentialsError {
    CredentialsError::invalid_configuration(PROVIDER, format!("`{url}` cannot be requested: {error}"))
}

/// A token request that found nobody there is "not on EC2" ([`CredentialsErrorKind::NotLoaded`]); any other
/// failure to send it is kept as it is.
fn unreachable_or(error: CredentialsError, url: &str) -> CredentialsError {
    let transport = std::error::Error::source(&error).and_then(|s| s.downcast_ref::<TransportError>());
    let hint = match transport.map(TransportError::kind) {
        Some(TransportErrorKind::Io) => "not on EC2?",
        // Off EC2 the link-local address usually times out; on EC2 a container behind a bridge network times
        // out too when the instance's hop limit is 1 (the token's answer dies one hop short).
        Some(TransportErrorKind::Timeout) => {
            "not on EC2? In a container on EC2, the instance's metadata hop limit (HttpPutResponseHopLimit) must \
             be at least 2"
        }
        _ => return error.context(format!("PUT {url}")),
    };
    let detail = transport.map(ToString::to_string).unwrap_or_default();
    CredentialsError::not_loaded(PROVIDER, format!("not reachable at {url} ({hint}): {detail}")).with_source(error)
}

/// A [`CredentialsErrorKind::ServiceError`] for a refusal. IMDS error bodies are short plain text (never a
/// secret: those come only with 200), so their start is kept as the message.
fn refused(response: &HttpResponse) -> CredentialsError {
    let text = String::from_utf8_lossy(response.body());
    let text = text.trim();
    let message = (!text.is_empty()).then(|| text.chars().take(200).collect());
    CredentialsError::service_error(
        PROVIDER,
        ServiceErrorDetails {
            status: response.status().as_u16(),
            code: None,
            message,
            request_id: None,
        },
    )
}

/// The instance profile's role credentials, as the AWS SDKs read them: the role name from
/// `GET /latest/meta-data/iam/security-credentials/`, then its credentials from `.../{role}`.
///
/// Errors: the client's (see [`ImdsClient::get`]); [`CredentialsErrorKind::NotLoaded`] when no role is
/// attached to the instance; [`CredentialsErrorKind::ProviderError`] when IMDS answers with an error `Code`
/// (`AssumeRoleUnauthorizedAccess`: the role does not trust EC2) or with something that is not credentials
/// (the answer itself is never quoted: it holds secrets).
///
/// The role name is not cached (a changed instance profile takes effect at the next refresh), as in
/// aws-sdk-rust. Credentials IMDS serves already expired are used for 10 to 15 more minutes, as the SDKs do,
/// rather than failing every call while IMDS recovers.
#[derive(Debug)]
pub struct ImdsCredentialsProvider {
    client: ImdsClient,
}

impl ImdsCredentialsProvider {
    /// Credentials through `client`.
    pub fn new(client: ImdsClient) -> Self {
        Self { client }
    }

    async fn credentials(&self, ctx: &ProviderContext) -> Result<Credentials, CredentialsError> {
        let no_role = || CredentialsError::not_loaded(PROVIDER, "no IAM role attached to this instance");
        let listing = match self.client.fetch(ctx, ROLES_PATH).await? {
            Fetched::Found(listing) => listing,
            Fetched::Missing => return Err(no_role()),
        };
        let role = listing.lines().next().map(str::trim).unwrap_or_default();
        if role.is_empty() {
            return Err(no_role());
        }
        let body = match self.client.fetch(ctx, &format!("{ROLES_PATH}{role}")).await? {
            Fetched::Found(body) => body,
            Fetched::Missing => {
                return Err(CredentialsError::provider_error(
                    PROVIDER,
                    format!("IMDS lists role `{role}` but has no credentials for it (HTTP 404)"),
                ))
            }
        };
        match parse_json_credentials(body.as_bytes()) {
            Ok(JsonCredentials::Credentials(credentials)) => {
                let expiry = credentials.expiry().map(|expiry| extend_if_stale(expiry, ctx.now()));
                Ok(match expiry {
                    Some(expiry) => credentials.with_expiry(expiry),
                    None => credentials,
                })
            }
            Ok(JsonCredentials::Error { code, message }) => {
                let hint = if code == "AssumeRoleUnauthorizedAccess" {
                    " (does the role's trust policy allow ec2.amazonaws.com to assume it?)"
                } else {
                    ""
                };
                let message = message.map(|m| format!(": {m}")).unwrap_or_default();
                Err(CredentialsError::provider_error(
                    PROVIDER,
                    format!("IMDS could not give the credentials of role `{role}`: {code}{message}{hint}"),
                ))
            }
            Err(reason) => Err(CredentialsError::provider_error(
                PROVIDER,
                format!("the answer for role `{role}` is not credentials: {reason}"),
            )),
        }
    }
}

fn extend_if_stale(expiry: SystemTime, now: SystemTime) -> SystemTime {
    if expiry > now {
        return expiry;
    }
    // `as` saturates (and maps NaN to 0), so no jitter value can panic here, unlike `Duration::mul_f64`.
    let jitter = Duration::from_secs((crate::retry::jitter() * STALE_JITTER.as_secs_f64()) as u64).min(STALE_JITTER);
    now.checked_add(STALE_EXTENSION + jitter).unwrap_or(now)
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials(ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{CredentialsErrorKind, ManualClock};
    use crate::retry::RetryConfig;
    use crate::transport::StubTransport;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const CREDENTIALS: &str = r#"{
        "Code" : "Success",
        "LastUpdated" : "2026-01-01T00:00:00Z",
        "Type" : "AWS-HMAC",
        "AccessKeyId" : "ASIAIMDS",
        "SecretAccessKey" : "s3cr3t-key",
        "Token" : "s3ss10n-token",
        "Expiration" : "2026-01-01T06:00:00Z"
    }"#;

    /// 2026-01-01T00:00:00Z.
    fn new_year() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600)
    }

    fn respond(status: u16, body: &str) -> HttpResponse {
        let mut response = HttpResponse::new(body.as_bytes().to_vec());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
    }

    /// An IMDS that hands out `token-1`, `token-2`, ... and answers `GET`s with `answer(path, token)`.
    fn fake_imds(answer: impl Fn(&str, &str) -> HttpResponse + Send + Sync + 'static) -> StubTransport {
        let tokens = AtomicUsize::new(0);
        StubTransport::new(move |request| {
            if request.method() == http::Method::PUT && request.uri().path() == TOKEN_PATH {
                let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
                let mut response = respond(200, &format!("token-{n}"));
                response
                    .headers_mut()
                    .insert(TTL_HEADER, HeaderValue::from_static("21600"));
                return response;
            }
            let token = request
                .headers()
                .get(TOKEN_HEADER)
                .map(|v| v.to_str().unwrap())
                .unwrap_or("");
            answer(request.uri().path(), token)
        })
    }

    fn context(stub: &StubTransport) -> ProviderContext {
        ProviderContext::new(Arc::new(stub.clone()))
            .with_retry_config(RetryConfig::default().with_initial_backoff(Duration::ZERO))
    }

    fn run<T>(future: impl std::future::Future<Output = T>) -> T {
        pollster::block_on(future)
    }

    #[test]
    fn token_put_carries_the_ttl_and_gets_carry_the_token() {
        let stub = fake_imds(|path, _| respond(200, &format!("{path}\n")));
        let client = ImdsClient::new(None, None).unwrap();
        let body = run(client.get(&context(&stub), "/latest/meta-data/ami-id")).unwrap();
        assert_eq!(body, "/latest/meta-data/ami-id\n");
        let sent = stub.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].method(), http::Method::PUT);
        assert_eq!(sent[0].uri(), "http://169.254.169.254/latest/api/token");
        assert_eq!(sent[0].headers()[TTL_HEADER], "21600");
        assert!(sent[0].headers().get(TOKEN_HEADER).is_none());
        assert_eq!(sent[1].method(), http::Method::GET);
        assert_eq!(sent[1].uri(), "http://169.254.169.254/latest/meta-data/ami-id");
        assert_eq!(sent[1].headers()[TOKEN_HEADER], "token-1");
        let timeout = sent[0].extensions().get::<crate::transport::AttemptTimeout>().unwrap();
        assert_eq!(timeout.0, Duration::from_secs(1));
    }

    #[test]
    fn token_is_reused_by_clones_and_renewed_before_its_ttl_ends() {
        let stub = fake_imds(|_, token| respond(200, token));
        let clock = ManualClock::new(new_year());
        let ctx = context(&stub).with_time_source(Arc::new(clock.clone()));
        let client = ImdsClient::new(None, None).unwrap();
        let clone = client.clone();
        assert_eq!(run(client.get(&ctx, "/a")).unwrap(), "token-1");
        assert_eq!(run(clone.get(&ctx, "/b")).unwrap(), "token-1");
        clock.advance(Duration::from_secs(21_600 - 121));
        assert_eq!(run(client.region(&ctx)).unwrap(), "token-1");
        // Within two minutes of the TTL's end, a new token is fetched.
        clock.advance(Duration::from_secs(2));
        assert_eq!(run(clone.get(&ctx, "/c")).unwrap(), "token-2");
        let puts = stub
            .requests()
            .iter()
            .filter(|r| r.method() == http::Method::PUT)
            .count();
        assert_eq!(puts, 2);
        assert!(!format!("{client:?}").contains("token-"), "{client:?}");
    }

    #[test]
    fn a_401_fetches_a_new_token_once() {
        let stub = fake_imds(|_, token| match token {
            "token-1" => respond(401, ""),
            _ => respond(200, "ok"),
        });
        let client = ImdsClient::new(None, None).unwrap();
        assert_eq!(run(client.get(&context(&stub), "/x")).unwrap(), "ok");
        let sent: Vec<_> = stub
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method(), r.uri().path()))
            .collect();
        assert_eq!(
            sent,
            ["PUT /latest/api/token", "GET /x", "PUT /latest/api/token", "GET /x"]
        );

        // A token refused twice is an error, not a loop.
        let stub = fake_imds(|_, _| respond(401, "Unauthorized"));
        let client = ImdsClient::new(None, None).unwrap();
        let err = run(client.get(&context(&stub), "/x")).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ServiceError);
        assert_eq!(err.service_details().unwrap().status, 401);
        assert_eq!(stub.requests().len(), 4);
    }

    #[test]
    fn gets_retry_5xx_and_404_is_not_loaded() {
        let calls = AtomicUsize::new(0);
        let stub = fake_imds(move |_, _| match calls.fetch_add(1, Ordering::SeqCst) {
            0 => respond(503, ""),
            _ => respond(200, "eu-west-1\n"),
        });
        let client = ImdsClient::new(None, None).unwrap();
        assert_eq!(run(client.region(&context(&stub))).unwrap(), "eu-west-1");
        assert_eq!(stub.requests().len(), 3);

        let stub = fake_imds(|_, _| respond(404, "Not Found"));
        let err = run(client.get(&context(&stub), "/latest/meta-data/tags/instance/x")).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert!(err.to_string().contains("HTTP 404"), "{err}");
    }

    #[test]
    fn a_403_token_answer_says_imds_is_turned_off() {
        let stub = StubTransport::new(|_| respond(403, "Forbidden"));
        let client = ImdsClient::new(None, None).unwrap();
        let err = run(client.get(&context(&stub), "/x")).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ServiceError);
        assert_eq!(err.service_details().unwrap().status, 403);
        assert!(err.to_string().contains("turned off"), "{err}");
        // Tried once, never retried.
        assert_eq!(stub.requests().len(), 1);
    }

    #[test]
    fn endpoints_by_mode_and_setting() {
        let stub = StubTransport::new(|_| respond(200, "tok"));
        for (endpoint, mode, expected) in [
            (None, Some("IPv6"), "http://[fd00:ec2::254]/latest/api/token"),
            (None, Some("ipv6"), "http://[fd00:ec2::254]/latest/api/token"),
            (None, Some("IPV4"), "http://169.254.169.254/latest/api/token"),
            (
                Some("http://127.0.0.1:1338/"),
                Some("nonsense"),
                "http://127.0.0.1:1338/latest/api/token",
            ),
            (
                Some("https://imds.example"),
                None,
                "https://imds.example/latest/api/token",
            ),
        ] {
            let client = ImdsClient::new(endpoint, mode).unwrap();
            run(client.get(&context(&stub), "/x")).unwrap();
            assert_eq!(stub.requests().iter().rev().nth(1).unwrap().uri(), expected);
        }
    }

    #[test]
    fn bad_mode_and_endpoint_are_invalid_configuration() {
        for (endpoint, mode, named) in [
            (None, Some("IPv5"), "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"),
            (Some("169.254.169.254"), None, "AWS_EC2_METADATA_SERVICE_ENDPOINT"),
            (Some("ftp://host"), None, "ec2_metadata_service_endpoint"),
            (Some("http://"), None, "not an absolute"),
        ] {
            let err = ImdsClient::new(endpoint, mode).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
            assert!(err.to_string().contains(named), "{err}");
        }
    }

    #[test]
    fn credentials_of_the_attached_role_with_expiry() {
        let stub = fake_imds(|path, _| match path {
            ROLES_PATH => respond(200, "my-role\n"),
            "/latest/meta-data/iam/security-credentials/my-role" => respond(200, CREDENTIALS),
            _ => respond(404, ""),
        });
        let ctx = context(&stub).with_time_source(Arc::new(ManualClock::new(new_year())));
        let provider = ImdsCredentialsProvider::new(ImdsClient::new(None, None).unwrap());
        let credentials = run(provider.provide_credentials(&ctx)).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIAIMDS");
        assert_eq!(credentials.secret_access_key(), "s3cr3t-key");
        assert_eq!(credentials.session_token(), Some("s3ss10n-token"));
        assert_eq!(credentials.expiry(), Some(new_year() + Duration::from_secs(6 * 3600)));
        // The role name is asked again each time, with the cached token.
        run(provider.provide_credentials(&ctx)).unwrap();
        let sent = stub.requests();
        assert_eq!(sent.len(), 5);
        assert!(sent[1..].iter().all(|r| r.headers()[TOKEN_HEADER] == "token-1"));
    }

    #[test]
    fn expired_credentials_are_stretched_for_a_while() {
        let stub = fake_imds(|path, _| match path {
            ROLES_PATH => respond(200, "r"),
            _ => respond(200, CREDENTIALS),
        });
        let now = new_year() + Duration::from_secs(7 * 3600);
        let ctx = context(&stub).with_time_source(Arc::new(ManualClock::new(now)));
        let provider = ImdsCredentialsProvider::new(ImdsClient::new(None, None).unwrap());
        let expiry = run(provider.provide_credentials(&ctx)).unwrap().expiry().unwrap();
        assert!(expiry >= now + Duration::from_secs(600) && expiry <= now + Duration::from_secs(900));
    }

    #[test]
    fn no_role_is_not_loaded() {
        for answer in [respond(404, ""), respond(200, ""), respond(200, "\n")] {
            let stub = fake_imds(move |_, _| answer.clone());
            let provider = ImdsCredentialsProvider::new(ImdsClient::new(None, None).unwrap());
            let err = run(provider.provide_credentials(&context(&stub))).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
            assert_eq!(err.to_string(), "IMDS: no IAM role attached to this instance");
        }
    }

    #[test]
    fn an_error_code_is_a_provider_error_and_bad_json_is_not_quoted() {
        let stub = fake_imds(|path, _| match path {
            ROLES_PATH => respond(200, "r"),
            _ => respond(
                200,
                r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role r.","LastUpdated":"x"}"#,
            ),
        });
        let provider = ImdsCredentialsProvider::new(ImdsClient::new(None, None).unwrap());
        let err = run(provider.provide_credentials(&context(&stub))).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert!(
            err.to_string()
                .contains("AssumeRoleUnauthorizedAccess: EC2 cannot assume the role r."),
            "{err}"
        );
        assert!(err.to_string().contains("trust policy"), "{err}");

        let stub = fake_imds(|path, _| match path {
            ROLES_PATH => respond(200, "r"),
            _ => respond(
                200,
                r#"{"AccessKeyId":"ASIA","SecretAccessKey":"s3cr3t-key","Token":"s3ss10n"#,
            ),
        });
        let err = run(provider.provide_credentials(&context(&stub))).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("s3ss10n"), "{shown}");
    }

    #[cfg(feature = "async-https")]
    mod over_loopback {
        use super::*;
        use crate::https_async::HyperTransport;
        use awsgen_test_support::{refused_url, Reply, Server};
        use std::time::Instant;

        fn real_context() -> ProviderContext {
            ProviderContext::new(Arc::new(HyperTransport::new()))
        }

        #[test]
        fn credentials_through_the_real_transport() {
            let server = Server::http(|request| match (request.method.as_str(), request.path.as_str()) {
                ("PUT", TOKEN_PATH) if request.header(TTL_HEADER) == Some("21600") => {
                    Reply::with_headers(200, &[(TTL_HEADER, "21600")], "loopback-token")
                }
                ("GET", path) if request.header(TOKEN_HEADER) != Some("loopback-token") => {
                    Reply::with_headers(401, &[], format!("no token for {path}"))
                }
                ("GET", ROLES_PATH) => Reply::with_headers(200, &[], "role-a"),
                ("GET", "/latest/meta-data/iam/security-credentials/role-a") => {
                    Reply::with_headers(200, &[], CREDENTIALS)
                }
                _ => Reply::with_headers(404, &[], ""),
            });
            let client = ImdsClient::new(Some(&server.url()), None).unwrap();
            let provider = ImdsCredentialsProvider::new(client);
            let credentials = run(provider.provide_credentials(&real_context())).unwrap();
            assert_eq!(credentials.access_key_id(), "ASIAIMDS");
            assert!(credentials.expiry().is_some());
            let paths: Vec<_> = server.requests().iter().map(|r| r.path.clone()).collect();
            assert_eq!(
                paths,
                [
                    TOKEN_PATH,
                    ROLES_PATH,
                    "/latest/meta-data/iam/security-credentials/role-a"
                ]
            );
        }

        #[test]
        fn nothing_listening_is_not_loaded_at_once() {
            let client = ImdsClient::new(Some(&refused_url()), None).unwrap();
            let provider = ImdsCredentialsProvider::new(client);
            let started = Instant::now();
            let err = run(provider.provide_credentials(&real_context())).unwrap_err();
            assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
            assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
            assert!(err.to_string().contains("not reachable at http://127.0.0.1:"), "{err}");
            assert!(err.to_string().contains("not on EC2?"), "{err}");
        }
    }
}
