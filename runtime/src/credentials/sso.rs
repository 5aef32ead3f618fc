//! IAM Identity Center (SSO): the token cache of `aws sso login`, SSO-OIDC `CreateToken` to refresh it, and
//! the portal's `GetRoleCredentials`.
//!
//! `aws sso login` leaves an access token in `~/.aws/sso/cache/<sha1>.json`, named by the SHA-1 of the
//! `sso_session` name (the `[sso-session NAME]` form) or of the start URL (the legacy form, where the profile
//! holds `sso_start_url` itself). The provider trades that token for role credentials with the portal's
//! `GetRoleCredentials`. In the sso-session form, as in the AWS SDKs, a token that expires within
//! [`TOKEN_REFRESH_WINDOW`] is first refreshed with SSO-OIDC `CreateToken` (when the cache holds a refresh
//! token and an unexpired client registration); the new token is kept in memory and written back to the cache
//! file, where the AWS CLI finds it too. Both calls are unsigned: the token is the authentication.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, Method};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use super::{parse_rfc3339, percent_encode};
use super::{
    BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext, RequestPolicy, ServiceErrorDetails,
};
use crate::config::Env;
use crate::datetime::DateTime;
use crate::profile::REDACTED;
use crate::protocol::ConfiguredEndpoints;
use crate::transport::HttpResponse;

/// The provider's name in errors.
const PROVIDER: &str = "SSO";

/// How long before its expiry an SSO access token is refreshed: 5 minutes, as in the AWS SDK for Rust.
pub const TOKEN_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// After a refresh attempt, the next one waits this long (the AWS SDK for Rust's rule), so a failing SSO-OIDC
/// is not called again on every fetch while the old token still works.
const MIN_TIME_BETWEEN_REFRESHES: Duration = Duration::from_secs(30);

/// A profile's SSO settings, in either form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoConfig {
    /// `sso_start_url` (of the profile, or of its `[sso-session NAME]`).
    pub start_url: String,
    /// `sso_session`: the `[sso-session NAME]` section's name; `None` for the legacy form (no refresh).
    pub session_name: Option<String>,
    /// `sso_region`.
    pub sso_region: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
}

impl SsoConfig {
    /// What names the token cache file: the session name in the sso-session form, the start URL in the legacy
    /// form.
    fn cache_key(&self) -> &str {
        self.session_name.as_deref().unwrap_or(&self.start_url)
    }

    /// The command that signs in again, for error messages.
    fn login_command(&self) -> String {
        match &self.session_name {
            Some(session) => format!("`aws sso login --sso-session {session}`"),
            None => "`aws sso login --profile` with this profile".to_owned(),
        }
    }
}

/// Role credentials through the SSO portal.
///
/// `Debug` shows the settings and the expiry of the token held in memory, never a token or secret.
pub struct SsoProvider {
    config: SsoConfig,
    env: Env,
    endpoints: ConfiguredEndpoints,
    /// The last token used, so a refreshed token is reused even if writing it back to the cache failed.
    memory: Mutex<Memory>,
}

#[derive(Default)]
struct Memory {
    token: Option<CachedToken>,
    last_refresh_attempt: Option<SystemTime>,
}

impl SsoProvider {
    /// The token cache is read through `env` (`~/.aws/sso/cache/<sha1>.json`).
    pub fn new(config: SsoConfig, env: Env, endpoints: ConfiguredEndpoints) -> Self {
        Self {
            config,
            env,
            endpoints,
            memory: Mutex::default(),
        }
    }

    fn memory(&self) -> MutexGuard<'_, Memory> {
        // Every update is a single assignment, so a poisoned lock still holds a consistent record.
        self.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn credentials(&self, ctx: &ProviderContext) -> Result<Credentials, CredentialsError> {
        let access_token = match &self.config.session_name {
            Some(_) => self.session_token(ctx).await?,
            None => {
                let token = self.load_token()?;
                if token.expires_at <= ctx.now() {
                    return Err(self.expired());
                }
                token.access_token
            }
        };
        self.get_role_credentials(ctx, &access_token).await
    }

    /// The sso-session form's token: from memory while it is fresh, else from the cache file, refreshed when it
    /// is about to expire.
    async fn session_token(&self, ctx: &ProviderContext) -> Result<String, CredentialsError> {
        let now = ctx.now();
        let remembered = self.memory().token.clone();
        let mut token = match remembered {
            Some(token) if !expires_within(token.expires_at, now, TOKEN_REFRESH_WINDOW) => {
                return Ok(token.access_token)
            }
            remembered => {
                // `aws sso login` may have left a newer token in the file; a refreshed token that could not be
                // written back is newer than the file's.
                let loaded = self.load_token()?;
                match remembered {
                    Some(remembered) if remembered.expires_at > loaded.expires_at => remembered,
                    _ => loaded,
                }
            }
        };
        let expired = token.expires_at <= now;
        if expires_within(token.expires_at, now, TOKEN_REFRESH_WINDOW) {
            let grant = token.grant.clone().filter(|grant| grant.registration_expires_at > now);
            // Tested and claimed under one lock, so two fetches at once make one `CreateToken`.
            let may_try = {
                let mut memory = self.memory();
                let may_try = memory.last_refresh_attempt.is_none_or(|last| {
                    now.duration_since(last)
                        .map_or(true, |since| since >= MIN_TIME_BETWEEN_REFRESHES)
                });
                if may_try && grant.is_some() {
                    memory.last_refresh_attempt = Some(now);
                }
                may_try
            };
            if let (Some(grant), true) = (grant, may_try) {
                match self.create_token(ctx, &grant).await {
                    Ok(answer) => {
                        token = token.refreshed(answer, now, &self.config)?;
                        self.save_token(&token);
                    }
                    // Still valid: use it, as the SDKs do, and try again later.
                    Err(_) if !expired => {}
                    Err(error) => return Err(self.expired().with_source(error)),
                }
            }
        }
        if token.expires_at <= now {
            return Err(self.expired());
        }
        let access_token = token.access_token.clone();
        self.memory().token = Some(token);
        Ok(access_token)
    }

    fn expired(&self) -> CredentialsError {
        CredentialsError::provider_error(
            PROVIDER,
            format!("the SSO session has expired: run {}", self.config.login_command()),
        )
    }

    /// Reads the token `aws sso login` cached.
    fn load_token(&self) -> Result<CachedToken, CredentialsError> {
        let path = token_cache_file(&self.env, self.config.cache_key())?;
        let text = match self.env.read(&path) {
            Ok(Some(text)) => text,
            Ok(None) => {
                let cached_for = match &self.config.session_name {
                    Some(session) => format!("sso-session `{session}`"),
                    None => format!("start URL `{}`", self.config.start_url),
                };
                return Err(CredentialsError::provider_error(
                    PROVIDER,
                    format!(
                        "no SSO token cached for {cached_for} (no file `{}`): run {}",
                        path.display(),
                        self.config.login_command()
                    ),
                ));
            }
            Err(e) => {
                let message = format!("cannot read the SSO token cache `{}`: {e}", path.display());
                return Err(CredentialsError::provider_error(PROVIDER, message).with_source(e));
            }
        };
        CachedToken::parse(&text, self.config.session_name.is_some()).map_err(|reason| {
            CredentialsError::provider_error(
                PROVIDER,
                format!(
                    "the SSO token cache `{}` is not usable ({reason}): run {}",
                    path.display(),
                    self.config.login_command()
                ),
            )
        })
    }

    /// Writes a refreshed token back, so the AWS CLI and other processes use it too. Failing is not fatal: the
    /// token is kept in memory, and the cached one still works until it expires.
    fn save_token(&self, token: &CachedToken) {
        if let (Ok(path), Ok(text)) = (
            token_cache_file(&self.env, self.config.cache_key()),
            serde_json::to_string_pretty(&token.fields),
        ) {
            let _ = self.env.write(&path, &text);
        }
    }

    /// The endpoint configured for `service_id`, else `https://{prefix}.{sso_region}.amazonaws.com`.
    fn endpoint(&self, service_id: &str, prefix: &str) -> Result<String, CredentialsError> {
        let endpoint = self
            .endpoints
            .resolve(service_id, prefix, &self.config.sso_region)
            .map_err(|message| CredentialsError::invalid_configuration(PROVIDER, message))?;
        Ok(endpoint.trim_end_matches('/').to_owned())
    }

    /// SSO-OIDC `CreateToken` with the refresh token.
    async fn create_token(&self, ctx: &ProviderContext, grant: &RefreshGrant) -> Result<NewToken, CredentialsError> {
        const OPERATION: &str = "SSO-OIDC CreateToken";
        let url = format!("{}/token", self.endpoint("SSO OIDC", "oidc")?);
        let body = serde_json::json!({
            "clientId": grant.client_id,
            "clientSecret": grant.client_secret,
            "grantType": "refresh_token",
            "refreshToken": grant.refresh_token,
        })
        .to_string()
        .into_bytes();
        let response = ctx
            .send(PROVIDER, &RequestPolicy::default(), || {
                http::Request::builder()
                    .method(Method::POST)
                    .uri(&url)
                    .header(CONTENT_TYPE, "application/json")
                    .header(CONTENT_LENGTH, HeaderValue::from(body.len()))
                    .body(body.clone())
                    .map_err(|e| cannot_build(&url, &e))
            })
            .await
            .map_err(|e| e.context(OPERATION))?;
        if !response.status().is_success() {
            return Err(service_error(&response).context(OPERATION));
        }
        let answer = json_object(&response, OPERATION)?;
        let unusable = |what: &str| CredentialsError::provider_error(PROVIDER, format!("{OPERATION} answered {what}"));
        let access_token = string_field(&answer, "accessToken").ok_or_else(|| unusable("without an `accessToken`"))?;
        let expires_in = answer
            .get("expiresIn")
            .and_then(Value::as_u64)
            .ok_or_else(|| unusable("without a usable `expiresIn`"))?;
        Ok(NewToken {
            access_token,
            expires_in: Duration::from_secs(expires_in),
            refresh_token: string_field(&answer, "refreshToken"),
        })
    }

    /// The portal's `GetRoleCredentials`.
    async fn get_role_credentials(
        &self,
        ctx: &ProviderContext,
        access_token: &str,
    ) -> Result<Credentials, CredentialsError> {
        const OPERATION: &str = "GetRoleCredentials";
        let url = format!(
            "{}/federation/credentials?account_id={}&role_name={}",
            self.endpoint("SSO", "portal.sso")?,
            query_encode(&self.config.account_id),
            query_encode(&self.config.role_name),
        );
        let mut bearer = HeaderValue::from_str(access_token).map_err(|_| {
            CredentialsError::provider_error(
                PROVIDER,
                format!(
                    "the cached SSO access token cannot be sent (it is not a valid HTTP header value): run {}",
                    self.config.login_command()
                ),
            )
        })?;
        bearer.set_sensitive(true);
        let response = ctx
            .send(PROVIDER, &RequestPolicy::default(), || {
                http::Request::builder()
                    .method(Method::GET)
                    .uri(&url)
                    .header("x-amz-sso_bearer_token", bearer.clone())
                    .body(Vec::new())
                    .map_err(|e| cannot_build(&url, &e))
            })
            .await
            .map_err(|e| e.context(OPERATION))?;
        if !response.status().is_success() {
            let error = service_error(&response);
            if error.code() == Some("UnauthorizedException") || response.status() == http::StatusCode::UNAUTHORIZED {
                return Err(error.context(format!(
                    "{OPERATION} refused the SSO access token; run {} to sign in again",
                    self.config.login_command()
                )));
            }
            return Err(error.context(OPERATION));
        }
        let answer = json_object(&response, OPERATION)?;
        let unusable = |what: &str| CredentialsError::provider_error(PROVIDER, format!("{OPERATION} answered {what}"));
        let role = answer
            .get("roleCredentials")
            .and_then(Value::as_object)
            .ok_or_else(|| unusable("without `roleCredentials`"))?;
        let access_key_id =
            string_field(role, "accessKeyId").ok_or_else(|| unusable("without `roleCredentials.accessKeyId`"))?;
        let secret_access_key = string_field(role, "secretAccessKey")
            .ok_or_else(|| unusable("without `roleCredentials.secretAccessKey`"))?;
        let expiry = role
            .get("expiration")
            .and_then(Value::as_i64)
            .and_then(|millis| SystemTime::try_from(DateTime::from_millis(millis)).ok())
            .ok_or_else(|| unusable("without a usable `roleCredentials.expiration`"))?;
        Ok(Credentials::new(access_key_id, secret_access_key, string_field(role, "sessionToken")).with_expiry(expiry))
    }
}

impl fmt::Debug for SsoProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let memory = self.memory();
        f.debug_struct("SsoProvider")
            .field("config", &self.config)
            .field("env", &self.env)
            .field("endpoints", &self.endpoints)
            .field("token", &memory.token)
            .finish()
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials(ctx))
    }
}

/// `~/.aws/sso/cache/<hex SHA-1 of key>.json`, where `aws sso login` caches the token for `key` (the
/// sso-session name, or the start URL in the legacy form).
pub(crate) fn token_cache_file(env: &Env, key: &str) -> Result<PathBuf, CredentialsError> {
    let home = env.home_dir().ok_or_else(|| {
        CredentialsError::provider_error(
            PROVIDER,
            "cannot find the home directory (HOME is not set), where `aws sso login` caches its token",
        )
    })?;
    let name = format!("{}.json", crate::sigv4::hex(&Sha1::digest(key.as_bytes())));
    Ok(home.join(".aws").join("sso").join("cache").join(name))
}

/// True when `time` is at most `window` after `now` (or already past).
fn expires_within(time: SystemTime, now: SystemTime, window: Duration) -> bool {
    time.duration_since(now).map_or(true, |left| left <= window)
}

/// What is needed to refresh a token, from the cache file of the sso-session form.
#[derive(Clone)]
struct RefreshGrant {
    refresh_token: String,
    client_id: String,
    client_secret: String,
    registration_expires_at: SystemTime,
}

impl fmt::Debug for RefreshGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshGrant")
            .field("refresh_token", &REDACTED)
            .field("client_id", &self.client_id)
            .field("client_secret", &REDACTED)
            .field(
                "registration_expires_at",
                &DateTime::from(self.registration_expires_at).to_string(),
            )
            .finish()
    }
}

/// A token of the cache.
#[derive(Clone)]
struct CachedToken {
    access_token: String,
    expires_at: SystemTime,
    /// `None` in the legacy form, or when the file lacks a field the refresh needs.
    grant: Option<RefreshGrant>,
    /// Every field of the file, so writing it back keeps those this provider does not read.
    fields: Map<String, Value>,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("access_token", &REDACTED)
            .field("expires_at", &DateTime::from(self.expires_at).to_string())
            .field("grant", &self.grant)
            .finish_non_exhaustive()
    }
}

/// What `CreateToken` answered.
struct NewToken {
    access_token: String,
    expires_in: Duration,
    refresh_token: Option<String>,
}

impl CachedToken {
    /// Reads a cache file. The reasons name fields, never values: the file holds secrets.
    fn parse(text: &str, refreshable: bool) -> Result<Self, String> {
        let fields = match serde_json::from_str(text) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) => return Err("it is not a JSON object".to_owned()),
            // Only the position: serde_json's message for a value of the wrong type would quote the value.
            Err(e) => {
                return Err(format!(
                    "it is not JSON: error at line {}, column {}",
                    e.line(),
                    e.column()
                ))
            }
        };
        let access_token = string_field(&fields, "accessToken").ok_or("no `accessToken`")?;
        let expires_at = string_field(&fields, "expiresAt")
            .as_deref()
            .and_then(parse_time)
            .ok_or("no RFC 3339 `expiresAt`")?;
        // Without every piece, or with a registration date that cannot be read, the token simply cannot be
        // refreshed (as in botocore): it is used until it expires.
        let grant = (|| {
            Some(RefreshGrant {
                refresh_token: string_field(&fields, "refreshToken")?,
                client_id: string_field(&fields, "clientId")?,
                client_secret: string_field(&fields, "clientSecret")?,
                registration_expires_at: parse_time(&string_field(&fields, "registrationExpiresAt")?)?,
            })
        })()
        .filter(|_| refreshable);
        Ok(Self {
            access_token,
            expires_at,
            grant,
            fields,
        })
    }

    /// This token replaced by what `CreateToken` answered at `now`.
    fn refreshed(mut self, answer: NewToken, now: SystemTime, config: &SsoConfig) -> Result<Self, CredentialsError> {
        // Whole seconds, as the AWS CLI writes `expiresAt`: some readers of the file reject long fractions.
        let expires_at = now
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|since| {
                UNIX_EPOCH
                    .checked_add(Duration::from_secs(since.as_secs()))?
                    .checked_add(answer.expires_in)
            })
            .ok_or_else(|| {
                CredentialsError::provider_error(PROVIDER, "SSO-OIDC CreateToken answered an `expiresIn` out of range")
            })?;
        let mut set = |key: &str, value: String| {
            self.fields.insert(key.to_owned(), Value::String(value));
        };
        set("accessToken", answer.access_token.clone());
        set("expiresAt", DateTime::from(expires_at).to_string());
        set("startUrl", config.start_url.clone());
        set("region", config.sso_region.clone());
        if let Some(refresh_token) = &answer.refresh_token {
            set("refreshToken", refresh_token.clone());
        }
        if let (Some(grant), Some(refresh_token)) = (&mut self.grant, answer.refresh_token) {
            grant.refresh_token = refresh_token;
        }
        self.access_token = answer.access_token;
        self.expires_at = expires_at;
        Ok(self)
    }
}

/// An RFC 3339 time; also the `2019-11-14T04:05:45UTC` of the AWS CLI v1's cache files.
fn parse_time(text: &str) -> Option<SystemTime> {
    let text = text
        .strip_suffix("UTC")
        .map_or_else(|| text.to_owned(), |time| format!("{time}Z"));
    parse_rfc3339(&text)
}

/// A string field, `None` when absent or not a string.
fn string_field(fields: &Map<String, Value>, name: &str) -> Option<String> {
    fields.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// The answer of a successful call as a JSON object; the error names the position only, since the answer holds
/// secrets.
fn json_object(response: &HttpResponse, operation: &str) -> Result<Map<String, Value>, CredentialsError> {
    match serde_json::from_slice(response.body()) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(CredentialsError::provider_error(
            PROVIDER,
            format!("{operation} answered something other than a JSON object"),
        )),
        Err(e) => Err(CredentialsError::provider_error(
            PROVIDER,
            format!(
                "{operation} answered something other than JSON (error at line {}, column {})",
                e.line(),
                e.column()
            ),
        )),
    }
}

/// A refusal: the code from `x-amzn-errortype` or `__type` (SSO-OIDC's OAuth-style `error` as a fallback), the
/// message from `message` (or SSO-OIDC's `error_description`), the request id from `x-amzn-requestid`.
fn service_error(response: &HttpResponse) -> CredentialsError {
    let meta = crate::error::parse_error_metadata(response.headers(), response.body());
    let body: Map<String, Value> = serde_json::from_slice(response.body()).unwrap_or_default();
    CredentialsError::service_error(
        PROVIDER,
        ServiceErrorDetails {
            status: response.status().as_u16(),
            code: meta.code().map(str::to_owned).or_else(|| string_field(&body, "error")),
            message: meta
                .message()
                .map(str::to_owned)
                .or_else(|| string_field(&body, "error_description")),
            request_id: meta.request_id().map(str::to_owned),
        },
    )
}

fn cannot_build(url: &str, error: &http::Error) -> CredentialsError {
    CredentialsError::invalid_configuration(
        PROVIDER,
        format!("cannot build a request to `{url}` (check `sso_region` and the endpoint settings): {error}"),
    )
}

/// Percent-encodes a query value.
fn query_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    percent_encode(value, &mut encoded);
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{CredentialsErrorKind, ManualClock};
    use crate::transport::{block_on, HttpRequest, StubTransport};
    use std::sync::Arc;

    const HOME: &str = "/home/me";
    const START_URL: &str = "https://d-92671207e4.awsapps.com/start";
    /// 2024-01-01T00:00:00Z.
    const NOW: u64 = 1_704_067_200;

    fn at(secs_after_now: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(NOW.checked_add_signed(secs_after_now).unwrap())
    }

    fn rfc3339(time: SystemTime) -> String {
        DateTime::from(time).to_string()
    }

    fn session_config() -> SsoConfig {
        SsoConfig {
            start_url: START_URL.into(),
            session_name: Some("my-sso".into()),
            sso_region: "eu-west-1".into(),
            account_id: "123456789012".into(),
            role_name: "Admin Role+1".into(),
        }
    }

    fn legacy_config() -> SsoConfig {
        SsoConfig {
            session_name: None,
            ..session_config()
        }
    }

    fn cache_path(key: &str) -> PathBuf {
        token_cache_file(&Env::from_pairs(&[("HOME", HOME)]), key).unwrap()
    }

    /// A cache file whose token expires `expires_in` seconds after `NOW`, with a refresh grant if asked.
    fn cache(expires_in: i64, refreshable: bool) -> String {
        let mut fields = serde_json::json!({
            "startUrl": START_URL,
            "region": "eu-west-1",
            "accessToken": "cached-access-token",
            "expiresAt": rfc3339(at(expires_in)),
            "somethingElse": {"kept": true},
        });
        if refreshable {
            let grant = serde_json::json!({
                "refreshToken": "cached-refresh-token",
                "clientId": "client-id-1",
                "clientSecret": "client-secret-1",
                "registrationExpiresAt": rfc3339(at(90 * 86_400)),
            });
            fields
                .as_object_mut()
                .unwrap()
                .extend(grant.as_object().unwrap().clone());
        }
        fields.to_string()
    }

    fn env_with(key: &str, file: &str, vars: &[(&str, &str)]) -> Env {
        let mut pairs = vec![("HOME", HOME)];
        pairs.extend_from_slice(vars);
        Env::from_pairs(&pairs).with_file(cache_path(key), file)
    }

    fn provider(config: SsoConfig, env: Env, endpoint_vars: &[(&str, &str)]) -> SsoProvider {
        let endpoints = ConfiguredEndpoints {
            env: Env::from_pairs(endpoint_vars),
            ..Default::default()
        };
        SsoProvider::new(config, env, endpoints)
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut response = HttpResponse::new(body.as_bytes().to_vec());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        for (name, value) in headers {
            response.headers_mut().insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        response
    }

    fn role_credentials() -> HttpResponse {
        response(
            200,
            &[],
            &serde_json::json!({"roleCredentials": {
                "accessKeyId": "ASIAROLE",
                "secretAccessKey": "role-secret",
                "sessionToken": "role-session-token",
                "expiration": (NOW + 3600) * 1000,
            }})
            .to_string(),
        )
    }

    /// The portal answers role credentials; SSO-OIDC answers `create_token`.
    fn stub(create_token: HttpResponse) -> StubTransport {
        StubTransport::new(move |req| match req.uri().path() {
            "/token" => create_token.clone(),
            "/federation/credentials" => role_credentials(),
            other => response(404, &[], &format!("unexpected path {other}")),
        })
    }

    fn refreshed_token() -> HttpResponse {
        response(
            200,
            &[],
            r#"{"accessToken":"new-access-token","expiresIn":28800,"refreshToken":"new-refresh-token","tokenType":"Bearer"}"#,
        )
    }

    fn fetch(provider: &SsoProvider, stub: &StubTransport) -> Result<Credentials, CredentialsError> {
        let ctx = ProviderContext::new(Arc::new(stub.clone())).with_time_source(Arc::new(ManualClock::new(at(0))));
        block_on(provider.provide_credentials(&ctx))
    }

    fn bearer(request: &HttpRequest) -> &str {
        request.headers()["x-amz-sso_bearer_token"].to_str().unwrap()
    }

    #[test]
    fn the_cache_file_is_named_by_the_sha1_of_the_session_name_or_start_url() {
        // `printf admin | sha1sum` and `printf https://d-92671207e4.awsapps.com/start | sha1sum`.
        assert_eq!(
            cache_path("admin"),
            PathBuf::from("/home/me/.aws/sso/cache/d033e22ae348aeb5660fc2140aec35850c4da997.json")
        );
        assert_eq!(
            cache_path(START_URL),
            PathBuf::from("/home/me/.aws/sso/cache/13f9d35043871d073ab260e020f0ffde092cb14b.json")
        );
        assert_eq!(session_config().cache_key(), "my-sso");
        assert_eq!(legacy_config().cache_key(), START_URL);
        let error = token_cache_file(&Env::from_pairs(&[]), "admin").unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert!(error.message().contains("home directory"), "{error}");
    }

    #[test]
    fn legacy_form_trades_the_start_url_token_for_role_credentials() {
        let provider = provider(legacy_config(), env_with(START_URL, &cache(3600, false), &[]), &[]);
        let stub = stub(response(500, &[], ""));
        let creds = fetch(&provider, &stub).unwrap();
        assert_eq!(creds.access_key_id(), "ASIAROLE");
        assert_eq!(creds.secret_access_key(), "role-secret");
        assert_eq!(creds.session_token(), Some("role-session-token"));
        assert_eq!(creds.expiry(), Some(at(3600)));

        let sent = stub.requests();
        assert_eq!(sent.len(), 1);
        let request = &sent[0];
        assert_eq!(request.method(), Method::GET);
        assert_eq!(
            request.uri().to_string(),
            "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=123456789012&role_name=Admin%20Role%2B1"
        );
        assert_eq!(bearer(request), "cached-access-token");
        assert!(request.headers()["x-amz-sso_bearer_token"].is_sensitive());
        assert!(request.headers().get("authorization").is_none(), "unsigned");
        assert!(request.body().is_empty());
    }

    #[test]
    fn sso_session_form_reads_the_session_name_token() {
        // Only the session name's file exists: the start URL's is not looked at.
        let provider = provider(session_config(), env_with("my-sso", &cache(3600, true), &[]), &[]);
        let stub = stub(response(500, &[], ""));
        assert_eq!(fetch(&provider, &stub).unwrap().access_key_id(), "ASIAROLE");
        let sent = stub.requests();
        assert_eq!(sent.len(), 1, "a fresh token is not refreshed");
        assert_eq!(bearer(&sent[0]), "cached-access-token");
    }

    #[test]
    fn a_token_about_to_expire_is_refreshed_with_create_token_and_kept() {
        let provider = provider(session_config(), env_with("my-sso", &cache(60, true), &[]), &[]);
        let stub = stub(refreshed_token());
        assert_eq!(fetch(&provider, &stub).unwrap().access_key_id(), "ASIAROLE");

        let sent = stub.requests();
        assert_eq!(sent.len(), 2);
        let create = &sent[0];
        assert_eq!(create.method(), Method::POST);
        assert_eq!(create.uri(), "https://oidc.eu-west-1.amazonaws.com/token");
        assert_eq!(create.headers()[CONTENT_TYPE], "application/json");
        assert!(create.headers().get("authorization").is_none(), "unsigned");
        let body: Value = serde_json::from_slice(create.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "clientId": "client-id-1",
                "clientSecret": "client-secret-1",
                "grantType": "refresh_token",
                "refreshToken": "cached-refresh-token",
            })
        );
        assert_eq!(bearer(&sent[1]), "new-access-token");

        // The new token is remembered (this in-memory Env wrote nothing back): no second CreateToken.
        fetch(&provider, &stub).unwrap();
        let sent = stub.requests();
        assert_eq!(sent.len(), 3);
        assert_eq!(bearer(&sent[2]), "new-access-token");
        let shown = format!("{provider:?}");
        assert!(shown.contains("2024-01-01T08:00:00Z"), "{shown}");
    }

    #[test]
    fn an_expired_token_is_refreshed() {
        let provider = provider(session_config(), env_with("my-sso", &cache(-60, true), &[]), &[]);
        let stub = stub(refreshed_token());
        fetch(&provider, &stub).unwrap();
        let sent = stub.requests();
        assert_eq!(sent[0].uri().path(), "/token");
        assert_eq!(bearer(&sent[1]), "new-access-token");
    }

    #[test]
    fn the_written_back_cache_keeps_the_other_fields() {
        let token = CachedToken::parse(&cache(60, true), true).unwrap();
        let answer = NewToken {
            access_token: "new-access-token".into(),
            expires_in: Duration::from_secs(3600),
            refresh_token: Some("new-refresh-token".into()),
        };
        let now = at(0) + Duration::from_millis(250);
        let refreshed = token.refreshed(answer, now, &session_config()).unwrap();
        assert_eq!(refreshed.expires_at, at(3600));
        let written: Value = serde_json::to_value(&refreshed.fields).unwrap();
        assert_eq!(written["accessToken"], "new-access-token");
        assert_eq!(written["expiresAt"], "2024-01-01T01:00:00Z");
        assert_eq!(written["refreshToken"], "new-refresh-token");
        assert_eq!(written["clientId"], "client-id-1");
        assert_eq!(written["clientSecret"], "client-secret-1");
        assert_eq!(written["registrationExpiresAt"], "2024-03-31T00:00:00Z");
        assert_eq!(written["startUrl"], START_URL);
        assert_eq!(written["region"], "eu-west-1");
        assert_eq!(written["somethingElse"], serde_json::json!({"kept": true}));
        // The re-read file gives the new grant.
        let reread = CachedToken::parse(&written.to_string(), true).unwrap();
        assert_eq!(reread.grant.unwrap().refresh_token, "new-refresh-token");
    }

    #[test]
    fn env_write_writes_only_through_a_disk_env() {
        let dir = std::env::temp_dir().join(format!("awsgen-sso-write-{}", std::process::id()));
        let path = dir.join("sso").join("cache").join("x.json");
        Env::from_pairs(&[]).write(&path, "{}").unwrap();
        assert!(!path.exists(), "an in-memory Env writes nothing");
        Env::real().write(&path, r#"{"a":1}"#).unwrap();
        Env::real().write(&path, r#"{"a":2}"#).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), r#"{"a":2}"#);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failing_refresh_keeps_a_token_that_still_works() {
        let provider = provider(session_config(), env_with("my-sso", &cache(120, true), &[]), &[]);
        let refused = response(
            400,
            &[("x-amzn-errortype", "InvalidGrantException")],
            r#"{"error":"invalid_grant","error_description":"Invalid refresh token provided"}"#,
        );
        let stub = stub(refused);
        assert_eq!(fetch(&provider, &stub).unwrap().access_key_id(), "ASIAROLE");
        let sent = stub.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].uri().path(), "/token");
        assert_eq!(bearer(&sent[1]), "cached-access-token");
        // Within 30 s of the failed attempt, the old token is used without asking SSO-OIDC again.
        fetch(&provider, &stub).unwrap();
        let sent = stub.requests();
        assert_eq!(sent.len(), 3);
        assert_eq!(sent[2].uri().path(), "/federation/credentials");
    }

    #[test]
    fn an_expired_token_that_cannot_be_refreshed_asks_for_sso_login() {
        let stub = stub(response(500, &[], ""));
        let expired = fetch(
            &provider(session_config(), env_with("my-sso", &cache(-1, false), &[]), &[]),
            &stub,
        );
        let error = expired.unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(
            error.to_string(),
            "SSO: the SSO session has expired: run `aws sso login --sso-session my-sso`"
        );
        let legacy = fetch(
            &provider(legacy_config(), env_with(START_URL, &cache(0, false), &[]), &[]),
            &stub,
        );
        assert_eq!(
            legacy.unwrap_err().message(),
            "the SSO session has expired: run `aws sso login --profile` with this profile"
        );
        // A registration that has expired cannot refresh.
        let old_registration = cache(-1, true).replace(&rfc3339(at(90 * 86_400)), &rfc3339(at(-1)));
        let registration = fetch(
            &provider(session_config(), env_with("my-sso", &old_registration, &[]), &[]),
            &stub,
        );
        assert!(registration
            .unwrap_err()
            .message()
            .starts_with("the SSO session has expired"));
        assert!(stub.requests().is_empty(), "nothing is sent for an expired session");

        // A refresh that fails for an expired token: the same advice, the failure as the source.
        let refused = StubTransport::json(400, r#"{"__type":"InvalidGrantException","message":"nope"}"#);
        let provider = provider(session_config(), env_with("my-sso", &cache(-1, true), &[]), &[]);
        let error = fetch(&provider, &refused).unwrap_err();
        assert_eq!(
            error.message(),
            "the SSO session has expired: run `aws sso login --sso-session my-sso`"
        );
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert!(
            source.contains("SSO-OIDC CreateToken") && source.contains("InvalidGrantException"),
            "{source}"
        );
        assert_eq!(refused.requests().len(), 1);
    }

    #[test]
    fn a_missing_or_broken_cache_asks_for_sso_login() {
        let stub = stub(response(500, &[], ""));
        let missing = fetch(&provider(session_config(), env_with("other", "{}", &[]), &[]), &stub).unwrap_err();
        assert_eq!(missing.kind(), CredentialsErrorKind::ProviderError);
        assert!(
            missing
                .message()
                .starts_with("no SSO token cached for sso-session `my-sso`"),
            "{missing}"
        );
        assert!(
            missing.message().ends_with("run `aws sso login --sso-session my-sso`"),
            "{missing}"
        );
        let legacy = fetch(&provider(legacy_config(), env_with("other", "{}", &[]), &[]), &stub).unwrap_err();
        assert!(
            legacy
                .message()
                .starts_with(&format!("no SSO token cached for start URL `{START_URL}`")),
            "{legacy}"
        );
        assert!(legacy.message().ends_with("--profile` with this profile"), "{legacy}");

        let broken = r#"{"accessToken": "leaked-token", "expiresAt": 12}"#;
        let error = fetch(&provider(session_config(), env_with("my-sso", broken, &[]), &[]), &stub).unwrap_err();
        assert!(error.message().contains("(no RFC 3339 `expiresAt`)"), "{error}");
        assert!(!format!("{error} {error:?}").contains("leaked-token"));
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn unauthorized_exception_is_a_service_error_that_says_to_log_in_again() {
        let provider = provider(session_config(), env_with("my-sso", &cache(3600, true), &[]), &[]);
        let unauthorized = StubTransport::with_response(response(
            401,
            &[("x-amzn-requestid", "req-42")],
            r#"{"__type":"UnauthorizedException","message":"Session token not found or invalid"}"#,
        ));
        let error = fetch(&provider, &unauthorized).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ServiceError);
        assert_eq!(error.code(), Some("UnauthorizedException"));
        assert_eq!(error.service_message(), Some("Session token not found or invalid"));
        assert_eq!(error.request_id(), Some("req-42"));
        assert_eq!(
            error.to_string(),
            "SSO: GetRoleCredentials refused the SSO access token; run `aws sso login --sso-session my-sso` to \
             sign in again: the service refused: HTTP 401 UnauthorizedException: Session token not found or \
             invalid (request id req-42)"
        );

        let forbidden = StubTransport::with_response(response(
            403,
            &[("x-amzn-errortype", "ForbiddenException:http://internal/")],
            r#"{"message":"No access"}"#,
        ));
        let error = fetch(&provider, &forbidden).unwrap_err();
        assert_eq!(error.code(), Some("ForbiddenException"));
        assert!(
            error
                .to_string()
                .starts_with("SSO: GetRoleCredentials: the service refused: HTTP 403"),
            "{error}"
        );
    }

    #[test]
    fn endpoints_come_from_aws_endpoint_url_sso_and_sso_oidc() {
        let vars = [
            ("AWS_ENDPOINT_URL_SSO", "http://localhost:4566/portal/"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://localhost:4567"),
        ];
        let provider = provider(session_config(), env_with("my-sso", &cache(60, true), &[]), &vars);
        let stub = StubTransport::new(|req| match req.uri().path() {
            "/token" => refreshed_token(),
            _ => role_credentials(),
        });
        fetch(&provider, &stub).unwrap();
        let sent = stub.requests();
        assert_eq!(sent[0].uri(), "http://localhost:4567/token");
        assert_eq!(
            sent[1].uri(),
            "http://localhost:4566/portal/federation/credentials?account_id=123456789012&role_name=Admin%20Role%2B1"
        );

        let bad = provider_with_bad_endpoint();
        let error = fetch(&bad, &stub).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.message().contains("AWS_ENDPOINT_URL_SSO"), "{error}");
    }

    fn provider_with_bad_endpoint() -> SsoProvider {
        provider(
            legacy_config(),
            env_with(START_URL, &cache(3600, false), &[]),
            &[("AWS_ENDPOINT_URL_SSO", "localhost")],
        )
    }

    #[test]
    fn china_regions_use_the_china_partition() {
        let config = SsoConfig {
            sso_region: "cn-north-1".into(),
            ..legacy_config()
        };
        let provider = provider(config, env_with(START_URL, &cache(3600, false), &[]), &[]);
        let stub = stub(response(500, &[], ""));
        fetch(&provider, &stub).unwrap();
        assert_eq!(
            stub.requests()[0].uri().host(),
            Some("portal.sso.cn-north-1.amazonaws.com.cn")
        );
    }

    #[test]
    fn unusable_answers_are_errors_that_quote_nothing() {
        let provider = provider(legacy_config(), env_with(START_URL, &cache(3600, false), &[]), &[]);
        let no_expiry = StubTransport::json(
            200,
            r#"{"roleCredentials":{"accessKeyId":"ASIALEAK","secretAccessKey":"leaked-secret"}}"#,
        );
        let error = fetch(&provider, &no_expiry).unwrap_err();
        assert_eq!(
            error.message(),
            "GetRoleCredentials answered without a usable `roleCredentials.expiration`"
        );
        let garbage = StubTransport::json(200, "leaked-secret");
        let error = fetch(&provider, &garbage).unwrap_err();
        assert!(error
            .message()
            .starts_with("GetRoleCredentials answered something other than JSON"));
        assert!(!format!("{error} {error:?}").contains("leaked"));
    }

    #[test]
    fn no_secret_in_debug_or_errors() {
        let provider = provider(session_config(), env_with("my-sso", &cache(60, true), &[]), &[]);
        let stub = stub(refreshed_token());
        let creds = fetch(&provider, &stub).unwrap();
        let failing = StubTransport::json(503, r#"{"message":"down"}"#);
        let ctx = ProviderContext::new(Arc::new(failing))
            .with_retry_config(crate::retry::RetryConfig::default().with_initial_backoff(Duration::ZERO))
            .with_time_source(Arc::new(ManualClock::new(at(0))));
        let error = block_on(provider.provide_credentials(&ctx)).unwrap_err();
        let shown = format!("{provider:?} {creds:?} {error} {error:?}");
        for secret in [
            "cached-access-token",
            "new-access-token",
            "cached-refresh-token",
            "new-refresh-token",
            "client-secret-1",
            "role-secret",
            "role-session-token",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("my-sso") && shown.contains("client-id-1"), "{shown}");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(query_encode("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(query_encode("a b+c/é&="), "a%20b%2Bc%2F%C3%A9%26%3D");
    }

    #[test]
    fn cli_v1_expiry_times_are_read() {
        assert_eq!(parse_time("2024-01-01T00:00:00UTC"), Some(at(0)));
        assert_eq!(parse_time("2024-01-01T01:00:00+01:00"), Some(at(0)));
        assert_eq!(parse_time("soon"), None);
    }
}
