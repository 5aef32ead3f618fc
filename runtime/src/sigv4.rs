//! AWS Signature Version 4, sans-IO: plain functions over [`HttpRequest`] values.
//!
//! There is no clock in here: the caller passes the signing time, so a retry re-signs with a fresh time
//! and a test pins one. [`sign_headers`] adds `X-Amz-Date`, `X-Amz-Security-Token`,
//! `x-amz-content-sha256` (with [`SigningSettings::sign_body`]) and `Authorization`; [`presign_query`]
//! appends the `X-Amz-*` query parameters of a presigned URL instead. Both are [`sign`] over a
//! [`SignableRequest`] plus applying its [`SigningOutput`]; call [`sign`] directly for a request held in
//! another type, or one whose target `http::Uri` cannot represent.
//!
//! The path and query are signed as they go on the wire, i.e. already percent-encoded. For every
//! service but S3 AWS wants the path encoded once more ([`SigningSettings::double_uri_encode`]), so
//! `/a%20b` is signed as `/a%2520b`; query parameters are decoded and re-encoded in AWS's one spelling.
//!
//! ```
//! use awsgen_runtime::config::Credentials;
//! use awsgen_runtime::sigv4::{sign_headers, SigningParams, SigningSettings};
//! use awsgen_runtime::{DateTime, datetime::Format};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let mut request = http::Request::post("https://dynamodb.us-east-1.amazonaws.com/")
//!     .header("content-type", "application/x-amz-json-1.0")
//!     .header("x-amz-target", "DynamoDB_20120810.ListTables")
//!     .body(br#"{"Limit":1}"#.to_vec())
//!     .unwrap();
//! let params = SigningParams {
//!     credentials: &credentials,
//!     region: "us-east-1",
//!     service: "dynamodb",
//!     time: DateTime::from_str("2015-08-30T12:36:00Z", Format::DateTime).unwrap(), // or SystemTime::now().into()
//!     settings: SigningSettings::default(),
//! };
//! let output = sign_headers(&mut request, &params).unwrap();
//! assert_eq!(request.headers()["x-amz-date"], "20150830T123600Z");
//! assert!(request.headers()["authorization"].to_str().unwrap().ends_with(output.signature()));
//! ```

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::time::Duration;

use hmac::{Hmac, Mac};
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::uri::{PathAndQuery, Uri};
use sha2::{Digest, Sha256};

use crate::config::Credentials;
use crate::datetime::DateTime;
use crate::transport::HttpRequest;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
const AUTHORIZATION: &str = "authorization";

/// The headers [`sign_headers`] sets. A copy already on the request (from signing an earlier attempt)
/// is never signed and is replaced, so re-signing a retry does not sign stale values.
const SIGNER_HEADERS: [&str; 4] = [AUTHORIZATION, X_AMZ_CONTENT_SHA256, X_AMZ_DATE, X_AMZ_SECURITY_TOKEN];

/// Hop-by-hop headers and ones proxies or tracing rewrite in transit: signing them would break the
/// signature (the set other AWS SDKs leave out too).
const UNSIGNED_HEADERS: [&str; 5] = [
    "connection",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
];

/// The longest validity AWS accepts for a presigned request: seven days.
pub const MAX_EXPIRES_IN: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Who signs, where, when and how. `Debug` is safe to log: [`Credentials`] redacts its secrets.
#[derive(Clone, Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The region of the credential scope (`us-east-1`).
    pub region: &'a str,
    /// The service's signing name (`ServiceMetadata::signing_name`, e.g. `dynamodb`).
    pub service: &'a str,
    /// The signing time; pass `SystemTime::now().into()`. Sub-second parts are ignored.
    pub time: DateTime,
    /// The variations between services and between header signing and presigning.
    pub settings: SigningSettings,
}

/// How a request is canonicalized and what the signer adds. `Default` is right for every awsJson
/// service: normalize and double-encode the path, leave the body hash out of the headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigningSettings {
    /// Remove `.` and `..` segments and collapse `//` in the path before signing (off for S3).
    pub normalize_uri_path: bool,
    /// URI-encode the wire path once more, as AWS specifies for every service but S3 (off for S3).
    pub double_uri_encode: bool,
    /// Add and sign `x-amz-content-sha256` with header signing (S3 requires it; others ignore it).
    pub sign_body: bool,
    /// Add the session token after signing, unsigned (what IoT's MQTT-over-WebSocket endpoint expects).
    pub omit_session_token: bool,
    /// How long a presigned request stays valid, whole seconds from one to [`MAX_EXPIRES_IN`];
    /// required by [`presign_query`], ignored by [`sign_headers`].
    pub expires_in: Option<Duration>,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            normalize_uri_path: true,
            double_uri_encode: true,
            sign_body: false,
            omit_session_token: false,
            expires_in: None,
        }
    }
}

/// Where the signature goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureLocation {
    /// The `Authorization` header (with `X-Amz-Date` and the others), for a request sent now.
    Headers,
    /// `X-Amz-*` query parameters: a presigned URL, which whoever holds it can send until it expires.
    QueryString,
}

/// The parts of a request that SigV4 reads, borrowed from it.
#[derive(Clone, Debug)]
pub struct SignableRequest<'a> {
    method: &'a str,
    path_and_query: &'a str,
    host: Option<String>,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// A request whose target is given exactly as on the request line (`/path?query`, percent-encoded
    /// as sent). The host is signed from the `Host` header, which must be in `headers`.
    pub fn new(method: &'a str, path_and_query: &'a str, headers: &'a HeaderMap, body: &'a [u8]) -> Self {
        Self {
            method,
            path_and_query,
            host: None,
            headers,
            body,
        }
    }
}

impl<'a> From<&'a HttpRequest> for SignableRequest<'a> {
    /// Without a `Host` header, the host is the URI's, with its port unless that is the scheme's
    /// default: the `Host` header HTTP clients send.
    fn from(request: &'a HttpRequest) -> Self {
        let uri = request.uri();
        let host = uri.host().map(|host| match (uri.scheme_str(), uri.port_u16()) {
            (Some("https"), Some(443)) | (Some("http"), Some(80)) | (_, None) => host.to_owned(),
            (_, Some(port)) => format!("{host}:{port}"),
        });
        Self {
            method: request.method().as_str(),
            path_and_query: uri.path_and_query().map_or("/", PathAndQuery::as_str),
            host,
            headers: request.headers(),
            body: request.body(),
        }
    }
}

/// What signing computed and what it adds to the request.
///
/// `Debug` shows the string to sign and the names of what is added, never the values: those include
/// the session token and the signature, which let whoever holds them send the request.
#[derive(Clone)]
pub struct SigningOutput {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    query_params: Vec<(&'static str, String)>,
}

impl SigningOutput {
    /// The canonical request that was hashed (contains the session token unless it was omitted).
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign; AWS returns its own in a `SignatureDoesNotMatch` error, to compare with.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature, lowercase hex.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// Header signing: the headers to set, replacing any of the same name. The token and
    /// `Authorization` are marked sensitive, so `http`'s `Debug` hides them.
    pub fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    /// Presigning: the query parameters to append, in order, values already URI-encoded.
    pub fn query_params(&self) -> &[(&'static str, String)] {
        &self.query_params
    }

    /// Presigning: `path_and_query` with [`query_params`](Self::query_params) appended.
    pub fn presigned_path_and_query(&self, path_and_query: &str) -> String {
        let separator = match path_and_query.split_once('?') {
            None => "?",
            Some((_, query)) if query.is_empty() || query.ends_with('&') => "",
            Some(_) => "&",
        };
        let query: Vec<String> = self
            .query_params
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        format!("{path_and_query}{separator}{}", query.join("&"))
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        let query_names: Vec<&str> = self.query_params.iter().map(|(name, _)| *name).collect();
        f.debug_struct("SigningOutput")
            .field("string_to_sign", &self.string_to_sign)
            .field("headers", &header_names)
            .field("query_params", &query_names)
            .finish_non_exhaustive()
    }
}

/// Why a request could not be signed. Messages name what is wrong, never a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The signing time is outside the years 0000–9999, which `X-Amz-Date` cannot spell.
    TimeOutOfRange,
    /// Presigning without [`SigningSettings::expires_in`], or with one outside 1 s to [`MAX_EXPIRES_IN`].
    InvalidExpiry,
    /// Neither a `Host` header nor the URI names the host, which SigV4 always signs.
    MissingHost,
    /// A header of the request is not UTF-8, or a value the signer adds is not a valid header value.
    InvalidHeaderValue {
        /// The header's name (its value is not kept: it may be the session token).
        name: String,
    },
    /// The presigned path and query is not a valid URI.
    InvalidUri,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimeOutOfRange => f.write_str("the signing time is outside the years 0000-9999"),
            Self::InvalidExpiry => write!(
                f,
                "presigning needs expires_in between 1 s and {} s",
                MAX_EXPIRES_IN.as_secs()
            ),
            Self::MissingHost => f.write_str("the request names no host (no Host header and no URI authority)"),
            Self::InvalidHeaderValue { name } => write!(f, "header `{name}` has a value that cannot be signed or sent"),
            Self::InvalidUri => f.write_str("the presigned path and query is not a valid URI"),
        }
    }
}

impl std::error::Error for SigningError {}

/// Signs `request` in place with the `Authorization` header; see [`SigningOutput::headers`].
pub fn sign_headers(request: &mut HttpRequest, params: &SigningParams<'_>) -> Result<SigningOutput, SigningError> {
    let output = sign(&SignableRequest::from(&*request), params, SignatureLocation::Headers)?;
    let headers = request.headers_mut();
    for name in SIGNER_HEADERS {
        headers.remove(signer_header_name(name));
    }
    for (name, value) in &output.headers {
        headers.insert(name.clone(), value.clone());
    }
    Ok(output)
}

/// Presigns `request` in place: appends the `X-Amz-*` query parameters to its URI. Needs
/// [`SigningSettings::expires_in`]. The URL then authorizes the request on its own until it expires.
pub fn presign_query(request: &mut HttpRequest, params: &SigningParams<'_>) -> Result<SigningOutput, SigningError> {
    let output = sign(
        &SignableRequest::from(&*request),
        params,
        SignatureLocation::QueryString,
    )?;
    let mut parts = request.uri().clone().into_parts();
    let path_and_query =
        output.presigned_path_and_query(parts.path_and_query.as_ref().map_or("/", PathAndQuery::as_str));
    parts.path_and_query = Some(PathAndQuery::try_from(path_and_query).map_err(|_| SigningError::InvalidUri)?);
    *request.uri_mut() = Uri::from_parts(parts).map_err(|_| SigningError::InvalidUri)?;
    Ok(output)
}

/// Computes the signature of `request` for `location` without changing anything.
///
/// Every header is signed but hop-by-hop ones and those proxies rewrite (`connection`, `expect`,
/// `transfer-encoding`, `user-agent`, `x-amzn-trace-id`), and the ones [`sign_headers`] sets itself
/// (`authorization`, `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256`): a copy of those
/// already on the request is from an earlier attempt, and signing it would sign a stale value.
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<SigningOutput, SigningError> {
    let settings = params.settings;
    let presigning = location == SignatureLocation::QueryString;
    let amz_date = amz_date(params.time)?;
    let date = amz_date.split('T').next().unwrap_or_default();
    let scope = [date, "/", params.region, "/", params.service, "/aws4_request"].concat();
    let credential = [params.credentials.access_key_id(), "/", &scope].concat();
    let token = params.credentials.session_token();
    let signed_token = token.filter(|_| !settings.omit_session_token);
    let payload_hash = hex(&Sha256::digest(request.body));

    // Header signing signs the headers it adds; presigning carries the same facts in the query instead.
    let mut added = Vec::new();
    if !presigning {
        added.push((X_AMZ_DATE, amz_date.clone()));
        if settings.sign_body {
            added.push((X_AMZ_CONTENT_SHA256, payload_hash.clone()));
        }
        added.extend(signed_token.map(|token| (X_AMZ_SECURITY_TOKEN, token.to_owned())));
    }
    let (signed_headers, canonical_headers) = canonical_headers(request, &added)?;

    let mut query_params = Vec::new();
    if presigning {
        let expires = settings
            .expires_in
            .map(|expires| expires.as_secs())
            .filter(|secs| (1..=MAX_EXPIRES_IN.as_secs()).contains(secs))
            .ok_or(SigningError::InvalidExpiry)?;
        // aws-c-auth's order, so presigned URLs match its vectors byte for byte.
        query_params.extend([
            ("X-Amz-Algorithm", ALGORITHM.to_owned()),
            ("X-Amz-Credential", uri_encode(credential.as_bytes(), false)),
            ("X-Amz-Date", amz_date.clone()),
            ("X-Amz-SignedHeaders", uri_encode(signed_headers.as_bytes(), false)),
            ("X-Amz-Expires", expires.to_string()),
        ]);
        query_params.extend(token.map(|token| ("X-Amz-Security-Token", uri_encode(token.as_bytes(), false))));
    }
    let (path, query) = request
        .path_and_query
        .split_once('?')
        .unwrap_or((request.path_and_query, ""));
    let signed_params = query_params
        .iter()
        .filter(|(name, _)| signed_token.is_some() || *name != "X-Amz-Security-Token");

    let (canonical_path, canonical_query) = (canonical_path(path, settings), canonical_query(query, signed_params));
    let canonical_request = [
        request.method,
        "\n",
        &canonical_path,
        "\n",
        &canonical_query,
        "\n",
        &canonical_headers,
        "\n",
        &signed_headers,
        "\n",
        &payload_hash,
    ]
    .concat();
    let request_hash = hex(&Sha256::digest(&canonical_request));
    let string_to_sign = [ALGORITHM, "\n", &amz_date, "\n", &scope, "\n", &request_hash].concat();
    let signature = hex(&hmac(&signing_key(params, date), string_to_sign.as_bytes()));

    let mut headers = Vec::new();
    if presigning {
        query_params.push(("X-Amz-Signature", signature.clone()));
    } else {
        added.extend(
            token
                .filter(|_| signed_token.is_none())
                .map(|token| (X_AMZ_SECURITY_TOKEN, token.to_owned())),
        );
        added.push((
            AUTHORIZATION,
            [
                ALGORITHM,
                " Credential=",
                &credential,
                ", SignedHeaders=",
                &signed_headers,
                ", Signature=",
                &signature,
            ]
            .concat(),
        ));
        for (name, value) in added {
            let mut value = HeaderValue::try_from(value).map_err(|_| invalid_header(name))?;
            value.set_sensitive(name == AUTHORIZATION || name == X_AMZ_SECURITY_TOKEN);
            headers.push((signer_header_name(name), value));
        }
    }
    Ok(SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
        headers,
        query_params,
    })
}

/// The `HeaderName` of a header the signer sets, made at compile time (no parsing per request).
fn signer_header_name(name: &'static str) -> HeaderName {
    match name {
        AUTHORIZATION => const { HeaderName::from_static(AUTHORIZATION) },
        X_AMZ_DATE => const { HeaderName::from_static(X_AMZ_DATE) },
        X_AMZ_SECURITY_TOKEN => const { HeaderName::from_static(X_AMZ_SECURITY_TOKEN) },
        X_AMZ_CONTENT_SHA256 => const { HeaderName::from_static(X_AMZ_CONTENT_SHA256) },
        other => HeaderName::from_static(other),
    }
}

/// `(signed headers, canonical headers)`: names lower-case and sorted, the values of a repeated name
/// joined by commas in order, each value trimmed to single spaces.
fn canonical_headers<'r>(
    request: &'r SignableRequest<'_>,
    added: &'r [(&'static str, String)],
) -> Result<(String, String), SigningError> {
    let mut headers: BTreeMap<&str, Vec<Cow<'r, str>>> = BTreeMap::new();
    for (name, value) in request.headers {
        let name = name.as_str();
        if SIGNER_HEADERS.contains(&name) || UNSIGNED_HEADERS.contains(&name) {
            continue;
        }
        let value = std::str::from_utf8(value.as_bytes()).map_err(|_| invalid_header(name))?;
        headers.entry(name).or_default().push(trim_all(value));
    }
    if !headers.contains_key("host") {
        let host = request.host.as_deref().ok_or(SigningError::MissingHost)?;
        headers.insert("host", vec![Cow::Borrowed(host)]);
    }
    for (name, value) in added {
        headers.insert(name, vec![Cow::Borrowed(value.as_str())]);
    }
    let (mut signed, mut canonical) = (String::with_capacity(128), String::with_capacity(512));
    for (name, values) in &headers {
        if !signed.is_empty() {
            signed.push(';');
        }
        signed.push_str(name);
        canonical.push_str(name);
        canonical.push(':');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                canonical.push(',');
            }
            canonical.push_str(value);
        }
        canonical.push('\n');
    }
    Ok((signed, canonical))
}

/// The request's parameters decoded and re-encoded in AWS's one spelling, plus `signer_params` (already
/// encoded), sorted by name then value; a parameter without `=` has an empty value.
fn canonical_query<'a>(query: &str, signer_params: impl Iterator<Item = &'a (&'static str, String)>) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decode(name), false),
                uri_encode(&percent_decode(value), false),
            )
        })
        .collect();
    pairs.extend(signer_params.map(|(name, value)| ((*name).to_owned(), value.clone())));
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A signing key this thread derived, with what it was derived from.
struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    key: [u8; 32],
}

/// How many signing keys each thread keeps (a client that signs for a few services or regions at once).
const CACHED_KEYS: usize = 4;

thread_local! {
    /// The signing keys this thread derived last, most recent first. A key depends on the secret, the
    /// date (UTC), the region and the service, and each is compared in full, so a new day or rotated
    /// credentials derive a new key rather than reuse a stale one.
    static SIGNING_KEYS: RefCell<Vec<CachedKey>> = const { RefCell::new(Vec::new()) };
}

/// `kSigning`: HMAC-SHA256 chained from `"AWS4" + secret` over the date, region, service and `aws4_request`;
/// derived once per secret, date, region and service on each thread (four HMACs saved on every other
/// signature).
fn signing_key(params: &SigningParams<'_>, date: &str) -> [u8; 32] {
    let secret = params.credentials.secret_access_key();
    let (region, service) = (params.region, params.service);
    let cached = SIGNING_KEYS.with(|cache| {
        let cache = cache.try_borrow().ok()?;
        cache
            .iter()
            .find(|c| c.secret == secret && c.date == date && c.region == region && c.service == service)
            .map(|c| c.key)
    });
    if let Some(key) = cached {
        return key;
    }
    let key = derive_signing_key(secret, date, region, service);
    SIGNING_KEYS.with(|cache| {
        if let Ok(mut cache) = cache.try_borrow_mut() {
            cache.truncate(CACHED_KEYS - 1);
            cache.insert(
                0,
                CachedKey {
                    secret: secret.to_owned(),
                    date: date.to_owned(),
                    region: region.to_owned(),
                    service: service.to_owned(),
                    key,
                },
            );
        }
    });
    key
}

fn derive_signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let key = hmac(&[b"AWS4", secret.as_bytes()].concat(), date.as_bytes());
    let key = hmac(&key, region.as_bytes());
    let key = hmac(&key, service.as_bytes());
    hmac(&key, b"aws4_request")
}

fn invalid_header(name: &str) -> SigningError {
    SigningError::InvalidHeaderValue { name: name.to_owned() }
}

/// `20150830T123600Z`: the RFC 3339 form of the whole second without its separators.
fn amz_date(time: DateTime) -> Result<String, SigningError> {
    let compact = time.compact_utc().ok_or(SigningError::TimeOutOfRange)?;
    Ok(compact.iter().copied().map(char::from).collect())
}

fn canonical_path(path: &str, settings: SigningSettings) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let path = if settings.normalize_uri_path {
        normalize_path(path)
    } else {
        path.to_owned()
    };
    if settings.double_uri_encode {
        uri_encode(path.as_bytes(), true)
    } else {
        path
    }
}

/// RFC 3986 dot-segment removal, plus empty segments dropped (`//a//` is `/a/`), as AWS normalizes.
fn normalize_path(path: &str) -> String {
    let mut segments = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    let trailing_slash = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut normalized = format!("/{}", segments.join("/"));
    if trailing_slash && !segments.is_empty() {
        normalized.push('/');
    }
    normalized
}

/// Trims and collapses every whitespace run to one space; a folded (multi-line) value becomes one line.
/// Borrowed when there is nothing to change (nearly always).
fn trim_all(value: &str) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    // Single spaces between words and no other whitespace: already in canonical form.
    let clean = !bytes.first().is_some_and(u8::is_ascii_whitespace)
        && !bytes.last().is_some_and(u8::is_ascii_whitespace)
        && !value.contains("  ")
        && !bytes.iter().any(|&b| b != b' ' && b.is_ascii_whitespace());
    if clean {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// AWS's URI encoding: every byte but `A-Za-z0-9-._~` (and `/` in paths) as `%XX`, upper-case hex.
fn uri_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut encoded = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') || (keep_slash && byte == b'/') {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

/// Query decoding as servers do it (`application/x-www-form-urlencoded`: `+` is a space); a `%` not
/// followed by two hex digits stays a literal `%`.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let hex_digit = |i: usize| bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match (byte, hex_digit(i + 1), hex_digit(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.extend(u8::try_from(high * 16 + low).ok());
                i += 3;
            }
            (b'+', ..) => {
                decoded.push(b' ');
                i += 1;
            }
            _ => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    decoded
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let digit = |nibble: u8| char::from_digit(u32::from(nibble), 16).unwrap_or('0');
    let mut hex = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        hex.push(digit(byte >> 4));
        hex.push(digit(byte & 0xf));
    }
    hex
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        unreachable!("HMAC takes keys of any length");
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::Format;
    use std::fs;
    use std::path::Path;

    /// AWS's own vectors (aws-c-auth's copy), read in place; see `shared/testsuites/README.md` §2.
    const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/testsuites/sigv4/v4");
    /// Vectors whose raw target `http::Uri` rejects (a literal space), so they are signed through
    /// [`SignableRequest::new`] only; every other vector also goes through `sign_headers`/`presign_query`.
    const RAW_TARGET_ONLY: [&str; 2] = ["get-space-normalized", "get-space-unnormalized"];

    /// A request as the vector files spell it, target kept byte for byte.
    #[derive(Debug, PartialEq)]
    struct RawRequest {
        method: String,
        target: String,
        headers: HeaderMap,
        body: Vec<u8>,
    }

    /// Request line, `Name:value` lines (one starting with whitespace continues the previous value,
    /// HTTP/1.1's obs-fold: the line break goes, the whitespace stays for the signer to collapse),
    /// an optional blank line and body. Duplicate names are appended in order.
    fn parse_request(text: &str) -> RawRequest {
        let (head, body) = text.split_once("\n\n").unwrap_or((text.trim_end_matches('\n'), ""));
        let mut lines = head.split('\n');
        let request_line = lines.next().unwrap();
        // The target may hold spaces (get-space), so the version is split off the end.
        let (method, rest) = request_line.split_once(' ').unwrap();
        let (target, version) = rest.rsplit_once(' ').unwrap();
        assert_eq!(version, "HTTP/1.1", "{request_line}");
        let mut fields: Vec<(&str, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                fields
                    .last_mut()
                    .expect("continuation line before any header")
                    .1
                    .push_str(line);
            } else {
                let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("not a header: {line:?}"));
                fields.push((name, value.to_owned()));
            }
        }
        let mut headers = HeaderMap::new();
        for (name, value) in fields {
            headers.append(
                HeaderName::try_from(name).unwrap(),
                HeaderValue::try_from(value).unwrap(),
            );
        }
        RawRequest {
            method: method.to_owned(),
            target: target.to_owned(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    fn to_http(raw: &RawRequest) -> Option<HttpRequest> {
        let uri = Uri::try_from(raw.target.as_str()).ok()?;
        let mut request = http::Request::builder()
            .method(raw.method.as_str())
            .uri(uri)
            .body(raw.body.clone())
            .unwrap();
        *request.headers_mut() = raw.headers.clone();
        Some(request)
    }

    fn from_http(request: &HttpRequest) -> RawRequest {
        RawRequest {
            method: request.method().to_string(),
            target: request.uri().path_and_query().unwrap().to_string(),
            headers: request.headers().clone(),
            body: request.body().clone(),
        }
    }

    fn params_from_context<'a>(context: &'a serde_json::Value, credentials: &'a Credentials) -> SigningParams<'a> {
        SigningParams {
            credentials,
            region: context["region"].as_str().unwrap(),
            service: context["service"].as_str().unwrap(),
            time: DateTime::from_str(context["timestamp"].as_str().unwrap(), Format::DateTime).unwrap(),
            settings: SigningSettings {
                normalize_uri_path: context["normalize"].as_bool().unwrap(),
                double_uri_encode: true,
                sign_body: context["sign_body"].as_bool().unwrap(),
                omit_session_token: context["omit_session_token"].as_bool().unwrap_or(false),
                expires_in: Some(Duration::from_secs(context["expiration_in_seconds"].as_u64().unwrap())),
            },
        }
    }

    /// Checks one vector for one location through [`sign`] and, when `http::Uri` can hold its target,
    /// through `sign_headers`/`presign_query` too; returns the failures (none when it passed).
    fn check_case(dir: &Path, location: SignatureLocation, through_http: bool) -> Vec<String> {
        let case = dir.file_name().unwrap().to_string_lossy();
        let read = |file: &str| fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{case}/{file}: {e}"));
        let context: serde_json::Value = serde_json::from_str(&read("context.json")).unwrap();
        let credentials = &context["credentials"];
        let credentials = Credentials::new(
            credentials["access_key_id"].as_str().unwrap(),
            credentials["secret_access_key"].as_str().unwrap(),
            credentials["token"].as_str().map(String::from),
        );
        let params = params_from_context(&context, &credentials);
        let request = parse_request(&read("request.txt"));
        let prefix = match location {
            SignatureLocation::Headers => "header",
            SignatureLocation::QueryString => "query",
        };

        let mut failures = Vec::new();
        let mut check = |what: &str, actual: &str, expected: &str| {
            if actual != expected {
                failures.push(format!(
                    "{case} {prefix} {what}:\n--- expected\n{expected}\n--- actual\n{actual}"
                ));
            }
        };
        let signable = SignableRequest::new(&request.method, &request.target, &request.headers, &request.body);
        let output = sign(&signable, &params, location).unwrap_or_else(|e| panic!("{case} {prefix}: {e}"));
        check(
            "canonical request",
            output.canonical_request(),
            &read(&format!("{prefix}-canonical-request.txt")),
        );
        check(
            "string to sign",
            output.string_to_sign(),
            &read(&format!("{prefix}-string-to-sign.txt")),
        );
        check(
            "signature",
            output.signature(),
            &read(&format!("{prefix}-signature.txt")),
        );

        let expected = parse_request(&read(&format!("{prefix}-signed-request.txt")));
        let mut compare = |what: &str, actual: &RawRequest| {
            if *actual != expected {
                failures.push(format!(
                    "{case} {prefix} {what}:\n--- expected\n{expected:#?}\n--- actual\n{actual:#?}"
                ));
            }
        };
        let mut signed = request;
        match location {
            SignatureLocation::Headers => {
                for (name, value) in output.headers() {
                    signed.headers.insert(name.clone(), value.clone());
                }
            }
            SignatureLocation::QueryString => signed.target = output.presigned_path_and_query(&signed.target),
        }
        compare("signed request (SignableRequest)", &signed);

        if through_http {
            let mut http_request = to_http(&parse_request(&read("request.txt"))).unwrap();
            let http_output = match location {
                SignatureLocation::Headers => sign_headers(&mut http_request, &params),
                SignatureLocation::QueryString => presign_query(&mut http_request, &params),
            }
            .unwrap();
            compare("signed request (http::Request)", &from_http(&http_request));
            if http_output.canonical_request() != output.canonical_request() {
                failures.push(format!(
                    "{case} {prefix}: http::Request and SignableRequest canonical requests differ"
                ));
            }
        }
        failures
    }

    #[test]
    fn aws_test_vectors_header_and_query() {
        let mut cases: Vec<_> = fs::read_dir(SUITE)
            .unwrap_or_else(|e| panic!("the SigV4 test vectors must be at {SUITE} (shared/testsuites): {e}"))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_dir())
            .collect();
        cases.sort();
        assert!(
            cases.len() >= 38,
            "expected the 38 aws-c-auth vectors in {SUITE}, found {}",
            cases.len()
        );

        let (mut failures, mut passed, mut through_http) = (Vec::new(), [0; 2], 0);
        for dir in &cases {
            let case = dir.file_name().unwrap().to_string_lossy().into_owned();
            let target = parse_request(&fs::read_to_string(dir.join("request.txt")).unwrap()).target;
            let representable = Uri::try_from(target.as_str()).is_ok();
            assert_eq!(
                representable,
                !RAW_TARGET_ONLY.contains(&case.as_str()),
                "{case}: http::Uri::try_from({target:?}) changed; update RAW_TARGET_ONLY"
            );
            through_http += usize::from(representable);
            for (count, location) in passed
                .iter_mut()
                .zip([SignatureLocation::Headers, SignatureLocation::QueryString])
            {
                let case_failures = check_case(dir, location, representable);
                *count += usize::from(case_failures.is_empty());
                failures.extend(case_failures);
            }
        }
        assert!(
            failures.is_empty(),
            "{} SigV4 vector checks failed:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
        assert_eq!(passed, [cases.len(); 2]);
        println!(
            "{} header + {} query vectors passed ({through_http} of them also through http::Request)",
            passed[0], passed[1]
        );
    }

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtoken";
    const BODY_SHA256: &str = "55522f708dcfebccb7bd3e8d0001a53ecaf2beca9ca801f1e9161e24215faa99";
    /// botocore 1.43.11's `SigV4Auth` for [`json_post`] at 2015-08-30T12:36:00Z, without and with [`TOKEN`].
    const BOTOCORE_SIGNATURE: &str = "d378fb897a4c411efbbf77896d94a845f49007ade963fc82c01fe502ee0add44";
    const BOTOCORE_SIGNATURE_WITH_TOKEN: &str = "8558156d0ce9f22a72459e46f665421a8ce4194dcc0df2d7711d3722b6491cf1";

    fn params(credentials: &Credentials, settings: SigningSettings) -> SigningParams<'_> {
        SigningParams {
            credentials,
            region: "us-east-1",
            service: "dynamodb",
            time: std::time::SystemTime::UNIX_EPOCH
                .checked_add(Duration::from_secs(1_440_938_160))
                .unwrap()
                .into(),
            settings,
        }
    }

    /// An awsJson call as `protocol::build_request` makes one: absolute URI, no `Host` header.
    fn json_post() -> HttpRequest {
        http::Request::post("https://dynamodb.us-east-1.amazonaws.com/")
            .header("content-type", "application/x-amz-json-1.0")
            .header("x-amz-target", "DynamoDB_20120810.ListTables")
            .header("content-length", "11")
            .body(br#"{"Limit":1}"#.to_vec())
            .unwrap()
    }

    #[test]
    fn json_post_matches_botocore_and_sends_the_body_hash_only_when_asked() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let mut request = json_post();
        let output = sign_headers(&mut request, &params(&credentials, SigningSettings::default())).unwrap();
        assert_eq!(output.signature(), BOTOCORE_SIGNATURE);
        let signed_headers = "content-length;content-type;host;x-amz-date;x-amz-target";
        assert!(output
            .canonical_request()
            .ends_with(&format!("\n{signed_headers}\n{BODY_SHA256}")));
        assert!(output
            .canonical_request()
            .contains("\nhost:dynamodb.us-east-1.amazonaws.com\n"));
        assert_eq!(
            request.headers()["authorization"],
            format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, \
                 SignedHeaders={signed_headers}, Signature={BOTOCORE_SIGNATURE}"
            )
            .as_str()
        );
        assert_eq!(request.headers()["x-amz-date"], "20150830T123600Z");
        assert!(!request.headers().contains_key("x-amz-content-sha256"));
        assert!(
            !request.headers().contains_key("host"),
            "the host is signed from the URI, not added"
        );

        let mut request = json_post();
        let settings = SigningSettings {
            sign_body: true,
            ..SigningSettings::default()
        };
        let output = sign_headers(&mut request, &params(&credentials, settings)).unwrap();
        assert_eq!(request.headers()["x-amz-content-sha256"], BODY_SHA256);
        assert!(output
            .canonical_request()
            .contains("\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target\n"));
        assert_ne!(output.signature(), BOTOCORE_SIGNATURE);
    }

    #[test]
    fn signing_keys_are_cached_per_secret_date_region_and_service() {
        let (a, b) = (
            Credentials::new("AKID", "secret-a", None),
            Credentials::new("AKID", "secret-b", None),
        );
        let before_midnight = DateTime::from_str("2015-08-30T23:59:59Z", Format::DateTime).unwrap();
        let after_midnight = DateTime::from_str("2015-08-31T00:00:01Z", Format::DateTime).unwrap();
        // More combinations than the cache holds, each asked for twice in a row and again after the others.
        let mut cases = Vec::new();
        for credentials in [&a, &b] {
            for time in [before_midnight, after_midnight] {
                for (region, service) in [("us-east-1", "ecs"), ("eu-west-1", "ecs"), ("us-east-1", "sqs")] {
                    cases.push((credentials, time, region, service));
                }
            }
        }
        for _ in 0..2 {
            for &(credentials, time, region, service) in &cases {
                let params = SigningParams {
                    credentials,
                    region,
                    service,
                    time,
                    settings: SigningSettings::default(),
                };
                let date = amz_date(time).unwrap();
                let date = &date[..8];
                let expected = derive_signing_key(credentials.secret_access_key(), date, region, service);
                assert_eq!(signing_key(&params, date), expected);
                assert_eq!(signing_key(&params, date), expected);
            }
        }
        assert_eq!(amz_date(before_midnight).unwrap(), "20150830T235959Z");
        assert_eq!(amz_date(after_midnight).unwrap(), "20150831T000001Z");
        assert_eq!(
            amz_date(DateTime::from_secs(253_402_300_800)),
            Err(SigningError::TimeOutOfRange),
            "year 10000"
        );
    }

    #[test]
    fn header_values_are_trimmed_only_when_needed() {
        assert!(matches!(trim_all("a b c"), Cow::Borrowed("a b c")));
        assert_eq!(trim_all("  a \t b\n  c "), "a b c");
        assert_eq!(trim_all("a  b"), "a b");
        assert_eq!(trim_all(""), "");
        assert_eq!(trim_all(" "), "");
    }

    #[test]
    fn session_token_is_signed_added_unsigned_or_presigned() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_owned()));
        let mut request = json_post();
        let output = sign_headers(&mut request, &params(&credentials, SigningSettings::default())).unwrap();
        assert_eq!(output.signature(), BOTOCORE_SIGNATURE_WITH_TOKEN);
        assert!(output
            .canonical_request()
            .contains(&format!("\nx-amz-security-token:{TOKEN}\n")));
        assert_eq!(request.headers()["x-amz-security-token"], TOKEN);
        assert!(request.headers()["x-amz-security-token"].is_sensitive());
        assert!(request.headers()["authorization"].is_sensitive());

        let mut request = json_post();
        let settings = SigningSettings {
            omit_session_token: true,
            ..SigningSettings::default()
        };
        let output = sign_headers(&mut request, &params(&credentials, settings)).unwrap();
        assert_eq!(
            output.signature(),
            BOTOCORE_SIGNATURE,
            "an unsigned token does not change the signature"
        );
        assert!(!output.canonical_request().contains(TOKEN));
        assert_eq!(request.headers()["x-amz-security-token"], TOKEN);

        let mut request = json_post();
        let settings = SigningSettings {
            expires_in: Some(Duration::from_secs(300)),
            ..SigningSettings::default()
        };
        let output = presign_query(&mut request, &params(&credentials, settings)).unwrap();
        let encoded_token = "AQoDYXdzEPT%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEXAMPLEtoken";
        assert!(output
            .canonical_request()
            .contains(&format!("&X-Amz-Security-Token={encoded_token}&")));
        let query = request.uri().query().unwrap();
        assert!(
            query.contains(&format!("&X-Amz-Security-Token={encoded_token}&X-Amz-Signature=")),
            "{query}"
        );
        assert!(!request.headers().contains_key("x-amz-security-token"));

        let without = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let mut request = json_post();
        let output = sign_headers(&mut request, &params(&without, SigningSettings::default())).unwrap();
        assert!(!request.headers().contains_key("x-amz-security-token"));
        assert!(!output.canonical_request().contains("x-amz-security-token"));
    }

    #[test]
    fn debug_and_errors_never_show_the_secret_or_the_token() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_owned()));
        let mut params = params(&credentials, SigningSettings::default());
        let mut request = json_post();
        let output = sign_headers(&mut request, &params).unwrap();
        params.settings.expires_in = Some(Duration::from_secs(60));
        let presigned = presign_query(&mut json_post(), &params).unwrap();
        params.settings.expires_in = None;
        let expiry_error = presign_query(&mut json_post(), &params).unwrap_err();
        let bad_token = Credentials::new("AKIDEXAMPLE", SECRET, Some(format!("{TOKEN}\n")));
        let token_error = sign_headers(
            &mut json_post(),
            &SigningParams {
                credentials: &bad_token,
                ..params.clone()
            },
        )
        .unwrap_err();
        assert_eq!(
            token_error,
            SigningError::InvalidHeaderValue {
                name: "x-amz-security-token".to_owned()
            }
        );

        let texts = [
            format!("{params:?}"),
            format!("{credentials:?}"),
            format!("{output:?}"),
            format!("{presigned:?}"),
            format!("{request:?}"),
            format!("{:?}", SignableRequest::from(&request)),
            format!("{expiry_error} {expiry_error:?}"),
            format!("{token_error} {token_error:?}"),
        ];
        for text in &texts {
            assert!(!text.contains(SECRET) && !text.contains("wJalrXUtnFEMI"), "{text}");
            assert!(!text.contains(TOKEN) && !text.contains("wEXAMPLEtoken"), "{text}");
            assert!(!text.contains(output.signature()), "{text}");
        }
        assert!(
            texts[0].contains("AKIDEXAMPLE"),
            "the access key id is not secret: {}",
            texts[0]
        );
        assert!(texts[2].contains("x-amz-security-token"), "{}", texts[2]);
    }

    #[test]
    fn re_signing_a_retry_replaces_the_signer_headers() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_owned()));
        let mut params = params(
            &credentials,
            SigningSettings {
                sign_body: true,
                ..SigningSettings::default()
            },
        );
        let mut request = json_post();
        sign_headers(&mut request, &params).unwrap();
        params.time = DateTime::from_secs(params.time.secs() + 60);
        let again = sign_headers(&mut request, &params).unwrap();
        assert_eq!(
            again.signature(),
            sign_headers(&mut json_post(), &params).unwrap().signature()
        );
        for name in SIGNER_HEADERS {
            assert_eq!(request.headers().get_all(name).iter().count(), 1, "{name}");
        }
        assert_eq!(request.headers()["x-amz-date"], "20150830T123700Z");
    }

    #[test]
    fn presigning_needs_an_expiry_of_one_second_to_seven_days() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let too_long = MAX_EXPIRES_IN + Duration::from_secs(1);
        for expires_in in [
            None,
            Some(Duration::ZERO),
            Some(Duration::from_millis(999)),
            Some(too_long),
        ] {
            let settings = SigningSettings {
                expires_in,
                ..SigningSettings::default()
            };
            let error = presign_query(&mut json_post(), &params(&credentials, settings)).unwrap_err();
            assert_eq!(error, SigningError::InvalidExpiry, "{expires_in:?}");
        }
        let settings = SigningSettings {
            expires_in: Some(MAX_EXPIRES_IN),
            ..SigningSettings::default()
        };
        let mut request = json_post();
        presign_query(&mut request, &params(&credentials, settings)).unwrap();
        let uri = request.uri().to_string();
        assert!(
            uri.starts_with("https://dynamodb.us-east-1.amazonaws.com/?X-Amz-Algorithm=AWS4-HMAC-SHA256&"),
            "{uri}"
        );
        assert!(uri.contains("&X-Amz-Expires=604800&"), "{uri}");
        assert!(!request.headers().contains_key("authorization"));
    }

    #[test]
    fn path_query_and_host_canonicalization() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let lines = |uri: &str, settings: SigningSettings| {
            let request = http::Request::get(uri).body(Vec::new()).unwrap();
            let output = sign(
                &SignableRequest::from(&request),
                &params(&credentials, settings),
                SignatureLocation::Headers,
            );
            output
                .unwrap()
                .canonical_request()
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        // The wire path is encoded once more; `+` in a query is a space, a broken escape a literal `%`,
        // a bare key has an empty value, and equal keys sort by value.
        let canonical = lines(
            "http://localhost:8000/a%20b/./c/?b=2&b=1&a&c=x+y%2b&d=%zz&&",
            SigningSettings::default(),
        );
        assert_eq!(canonical[1], "/a%2520b/c/");
        assert_eq!(canonical[2], "a=&b=1&b=2&c=x%20y%2B&d=%25zz");
        assert_eq!(canonical[3], "host:localhost:8000");
        // S3's settings: the path as sent.
        let s3 = SigningSettings {
            normalize_uri_path: false,
            double_uri_encode: false,
            ..SigningSettings::default()
        };
        assert_eq!(
            lines("https://bucket.s3.amazonaws.com:443/a%20b/./c", s3)[1..4],
            ["/a%20b/./c", "", "host:bucket.s3.amazonaws.com"]
        );
        assert_eq!(lines("https://example.com", SigningSettings::default())[1], "/");

        let no_host = HeaderMap::new();
        let request = SignableRequest::new("GET", "/", &no_host, b"");
        let error = sign(
            &request,
            &params(&credentials, SigningSettings::default()),
            SignatureLocation::Headers,
        );
        assert_eq!(error.unwrap_err(), SigningError::MissingHost);
    }
}
