//! Errors returned by operations, and the awsJson error-metadata parser.

use std::error::Error;
use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::build_error::BuildError;
use crate::transport::{HttpResponse, TransportError};
use crate::validation::ValidationErrors;

/// What every awsJson error response carries besides its modeled members.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    /// The awsJson code where an awsQuery code replaced it in `code` (see [`ErrorMetadata::json_code`]).
    json_code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

impl ErrorMetadata {
    /// The error code: the error's shape name with any namespace and URI removed (`FooError`), or, from a
    /// service that moved from awsQuery to awsJson, the awsQuery code it sends in `x-amzn-query-error`
    /// (`AWS.SimpleQueueService.NonExistentQueue`), as botocore reports it.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The code the awsJson response itself gives (`X-Amzn-ErrorType` or `__type`), which names the error's
    /// shape: generated clients pick the modelled error by it. The same as [`code`](Self::code) except after
    /// an `x-amzn-query-error` header.
    pub fn json_code(&self) -> Option<&str> {
        self.json_code.as_deref().or(self.code.as_deref())
    }

    /// The human-readable message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `x-amzn-RequestId` to quote to AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Sets the code (for tests and hand-built errors), which is then also the [`json_code`](Self::json_code).
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self.json_code = None;
        self
    }

    /// Sets the message (for tests and hand-built errors).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets the request id (for tests and hand-built errors).
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }
}

/// Reads the error code, message and request id of an awsJson error response.
///
/// The code comes from the `X-Amzn-ErrorType` header, else the body's `__type`, else its `code`,
/// reduced to the shape name: `aws.protocoltests.restjson#FooError:http://internal.amazon.com/...`
/// gives `FooError`; an `x-amzn-query-error: Code;Sender` header overrides it (the shape name stays in
/// [`ErrorMetadata::json_code`]). The message is the body's `message` or `Message`, the request id the
/// `x-amzn-requestid` header. A body that is empty or not JSON still yields the header fields.
pub fn parse_error_metadata(headers: &HeaderMap, body: &[u8]) -> ErrorMetadata {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let body: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let field = |name: &str| body.get(name).and_then(serde_json::Value::as_str);
    let json_code = [header("x-amzn-errortype"), field("__type"), field("code")]
        .into_iter()
        .flatten()
        .map(sanitize_error_code)
        .find(|c| !c.is_empty());
    // `Code;Sender` from an awsQuery-compatible service: its awsQuery code is what its users know the error
    // by. Anything but exactly two parts with a code is ignored, as botocore does.
    let query_code = header("x-amzn-query-error").and_then(|value| match value.split(';').collect::<Vec<_>>()[..] {
        [code, _fault] if !code.is_empty() => Some(code),
        _ => None,
    });
    let (code, json_code) = match query_code {
        Some(query_code) => (Some(query_code), json_code.filter(|c| *c != query_code)),
        None => (json_code, None),
    };
    ErrorMetadata {
        code: code.map(str::to_owned),
        json_code: json_code.map(str::to_owned),
        message: field("message").or_else(|| field("Message")).map(str::to_owned),
        request_id: request_id(headers).map(str::to_owned),
    }
}

/// The `x-amzn-requestid` header, trimmed; absent or blank is `None`. The one reading of it, for outputs and
/// errors alike.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("x-amzn-requestid")?.to_str().ok()?.trim();
    (!value.is_empty()).then_some(value)
}

/// `ns#Name:uri` → `Name`. The URI is cut first because it may itself contain `#`.
fn sanitize_error_code(raw: &str) -> &str {
    let before_uri = raw.split_once(':').map_or(raw, |(code, _)| code);
    before_uri.rsplit_once('#').map_or(before_uri, |(_, name)| name).trim()
}

/// An error code the operation does not model. Kept rather than failed on, because services add
/// error codes without notice.
#[derive(Clone, Debug)]
pub struct Unhandled {
    meta: ErrorMetadata,
}

impl Unhandled {
    /// Wraps the metadata of an unrecognised error (called by generated code).
    pub fn new(meta: ErrorMetadata) -> Self {
        Self { meta }
    }

    /// The code, message and request id that were received.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meta.code() {
            Some(code) => write!(f, "unhandled error `{code}`")?,
            None => f.write_str("unhandled error without an error code")?,
        }
        if let Some(message) = self.meta.message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl Error for Unhandled {}

/// A response exactly as received, kept so that nothing is lost when parsing fails.
#[derive(Clone, Debug)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The undecoded body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl From<HttpResponse> for RawResponse {
    fn from(response: HttpResponse) -> Self {
        let (parts, body) = response.into_parts();
        Self {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }
}

#[derive(Debug)]
enum ConstructionKind {
    Validation(ValidationErrors),
    Build(BuildError),
    Serialization(serde_json::Error),
    Configuration(String),
    /// No credentials (or no region) could be had from the configured providers.
    Credentials(crate::credentials::CredentialsError),
    /// The service's endpoint rules refused the configuration (an error rule matched: FIPS with a custom
    /// endpoint, a partition without dual-stack, ...) or could not be evaluated.
    Endpoint(crate::endpoint::ResolveError),
}

/// The request was never sent: the input or the configuration is unusable.
#[derive(Debug)]
pub struct ConstructionError(ConstructionKind);

impl ConstructionError {
    /// A configuration problem; `message` should say what to set and how.
    pub fn configuration(message: impl Into<String>) -> Self {
        Self(ConstructionKind::Configuration(message.into()))
    }

    /// The input violated model constraints.
    pub fn validation_errors(&self) -> Option<&ValidationErrors> {
        match &self.0 {
            ConstructionKind::Validation(e) => Some(e),
            _ => None,
        }
    }

    /// A builder was missing a required member.
    pub fn build_error(&self) -> Option<&BuildError> {
        match &self.0 {
            ConstructionKind::Build(e) => Some(e),
            _ => None,
        }
    }

    /// No credentials (or region) could be had from the providers; the error says which and why.
    pub fn credentials(error: crate::credentials::CredentialsError) -> Self {
        Self(ConstructionKind::Credentials(error))
    }

    /// Why the credential (or region) providers had nothing, if that is what stopped the request.
    pub fn credentials_error(&self) -> Option<&crate::credentials::CredentialsError> {
        match &self.0 {
            ConstructionKind::Credentials(e) => Some(e),
            _ => None,
        }
    }

    /// The endpoint rules' refusal (or failure) for this configuration.
    pub fn endpoint(error: crate::endpoint::ResolveError) -> Self {
        Self(ConstructionKind::Endpoint(error))
    }

    /// Why no endpoint could be resolved, if that is what stopped the request: for a matched error rule,
    /// [`ResolveError::Rule`](crate::endpoint::ResolveError::Rule) holds the rule set's message. A rule may refuse
    /// the configuration (FIPS with a custom endpoint) or the input (an ARN member that is not an ARN), so
    /// [`is_configuration`](Self::is_configuration) is false for these: the message says which.
    pub fn endpoint_error(&self) -> Option<&crate::endpoint::ResolveError> {
        match &self.0 {
            ConstructionKind::Endpoint(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the configuration (not the input) was at fault: a missing or invalid setting, or no source of
    /// credentials set up. A credentials provider that is set up but failed (STS unreachable or refusing) is
    /// not: see [`ConstructionError::credentials_error`] for its kind.
    pub fn is_configuration(&self) -> bool {
        use crate::credentials::CredentialsErrorKind::{InvalidConfiguration, NotLoaded};
        match &self.0 {
            ConstructionKind::Configuration(_) => true,
            ConstructionKind::Credentials(e) => matches!(e.kind(), InvalidConfiguration | NotLoaded),
            _ => false,
        }
    }
}

impl From<ValidationErrors> for ConstructionError {
    fn from(e: ValidationErrors) -> Self {
        Self(ConstructionKind::Validation(e))
    }
}

impl From<BuildError> for ConstructionError {
    fn from(e: BuildError) -> Self {
        Self(ConstructionKind::Build(e))
    }
}

impl From<serde_json::Error> for ConstructionError {
    fn from(e: serde_json::Error) -> Self {
        Self(ConstructionKind::Serialization(e))
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            ConstructionKind::Validation(e) => write!(f, "{e}"),
            ConstructionKind::Build(e) => write!(f, "invalid input: {e}"),
            ConstructionKind::Serialization(e) => write!(f, "input cannot be serialized: {e}"),
            ConstructionKind::Configuration(m) => write!(f, "invalid configuration: {m}"),
            ConstructionKind::Credentials(e) => write!(f, "{e}"),
            ConstructionKind::Endpoint(e) => write!(f, "no endpoint: {e}"),
        }
    }
}

impl Error for ConstructionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.0 {
            ConstructionKind::Validation(e) => Some(e),
            ConstructionKind::Build(e) => Some(e),
            ConstructionKind::Serialization(e) => Some(e),
            ConstructionKind::Configuration(_) => None,
            ConstructionKind::Credentials(e) => Some(e),
            ConstructionKind::Endpoint(e) => Some(e),
        }
    }
}

/// A response arrived but could not be understood.
#[derive(Debug)]
pub struct ResponseError {
    // Boxed, like the context of `ServiceError`, to keep `Result<O, SdkError<E>>` small.
    raw: Box<RawResponse>,
    reason: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ResponseError {
    /// `raw` could not be parsed, for `reason`, optionally caused by `source` (the runtime's
    /// [`wire::DecodeError`](crate::wire::DecodeError)).
    pub fn new(
        raw: RawResponse,
        reason: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            raw: Box::new(raw),
            reason: reason.into(),
            source,
        }
    }

    /// The response as received.
    pub fn raw(&self) -> &RawResponse {
        &self.raw
    }

    /// Why it could not be parsed.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The request id AWS (or whatever answered) gave the response (`x-amzn-requestid`), if any.
    pub fn request_id(&self) -> Option<&str> {
        request_id(self.raw.headers())
    }

    /// The response as received, by value.
    pub fn into_raw(self) -> RawResponse {
        *self.raw
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unparseable response (HTTP {}): {}",
            self.raw.status.as_u16(),
            self.reason
        )
    }
}

impl Error for ResponseError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// An error response the operation models (or [`Unhandled`] inside `E`), with its metadata.
#[derive(Debug)]
pub struct ServiceError<E> {
    err: E,
    context: Box<(ErrorMetadata, RawResponse)>,
}

impl<E> ServiceError<E> {
    /// Pairs a parsed error with its metadata and the response it came from.
    pub fn new(err: E, meta: ErrorMetadata, raw: RawResponse) -> Self {
        Self {
            err,
            context: Box::new((meta, raw)),
        }
    }

    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// The operation's error, by value.
    pub fn into_err(self) -> E {
        self.err
    }

    /// Code, message and request id.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.context.0
    }

    /// The response as received.
    pub fn raw(&self) -> &RawResponse {
        &self.context.1
    }
}

/// Everything that can go wrong in one operation call.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// Nothing was sent to the service: the input failed validation, the configuration is incomplete, or no
    /// credentials (or region) could be had ([`ConstructionError::credentials_error`]).
    Construction(ConstructionError),
    /// The transport failed; the request may or may not have reached the service.
    Dispatch(TransportError),
    /// The call took longer than the configured total (or the last attempt its attempt) timeout.
    Timeout(TimeoutError),
    /// A response arrived that could not be parsed.
    Response(ResponseError),
    /// The service answered with an error.
    Service(ServiceError<E>),
    /// A paginator stopped: the service gave back the token it was just sent (see [`crate::paginator`]).
    Pagination(PaginationError),
}

impl<E> SdkError<E> {
    /// The operation's error, if the service returned one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::Service(e) => Some(e.err()),
            _ => None,
        }
    }

    /// The operation's error by value, if the service returned one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            Self::Service(e) => Some(e.into_err()),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Construction(e) => write!(f, "request not sent: {e}"),
            Self::Dispatch(e) => write!(f, "the HTTP exchange failed: {e}"),
            Self::Timeout(e) => write!(f, "{e}"),
            Self::Response(e) => write!(f, "{e}"),
            Self::Service(e) => write!(f, "service error: {}", e.err),
            Self::Pagination(e) => write!(f, "{e}"),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Construction(e) => Some(e),
            Self::Dispatch(e) => Some(e),
            Self::Timeout(e) => Some(e),
            Self::Response(e) => Some(e),
            Self::Service(e) => Some(&e.err),
            Self::Pagination(e) => Some(e),
        }
    }
}

/// Paging stopped because a page's next token is the token its request carried: following it would ask for the
/// same page forever (botocore raises `PaginationError` there too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationError {
    token: String,
}

impl PaginationError {
    /// The service returned `token`, the one it was just sent.
    pub fn repeated_token(token: impl Into<String>) -> Self {
        Self { token: token.into() }
    }

    /// The repeated token.
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pagination stopped: the service returned the token it was just sent ({:?})",
            self.token
        )
    }
}

impl Error for PaginationError {}

/// A call that ran out of time: which limit, and after how many attempts.
#[derive(Debug)]
pub struct TimeoutError {
    limit: std::time::Duration,
    attempts: u32,
    source: Option<TransportError>,
}

impl TimeoutError {
    /// A timeout after `attempts` attempts against `limit`; `source` is the transport's own timeout, if any.
    pub fn new(limit: std::time::Duration, attempts: u32, source: Option<TransportError>) -> Self {
        Self {
            limit,
            attempts,
            source,
        }
    }

    /// The limit that was reached.
    pub fn limit(&self) -> std::time::Duration {
        self.limit
    }

    /// Attempts made before giving up.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timed out after {:?} ({} attempt{})",
            self.limit,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

impl Error for TimeoutError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|e| e as &(dyn Error + 'static))
    }
}

impl<E> From<ConstructionError> for SdkError<E> {
    fn from(e: ConstructionError) -> Self {
        Self::Construction(e)
    }
}

impl<E> From<ValidationErrors> for SdkError<E> {
    fn from(e: ValidationErrors) -> Self {
        Self::Construction(e.into())
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(e: BuildError) -> Self {
        Self::Construction(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "http://internal.amazon.com/coral/com.amazon.coral.validate/";

    fn meta(headers: &[(&str, &str)], body: &str) -> ErrorMetadata {
        let mut builder = http::Response::builder();
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = builder.body(()).unwrap();
        parse_error_metadata(response.headers(), body.as_bytes())
    }

    #[test]
    fn every_error_form_of_the_json_protocol_suites() {
        // (header X-Amzn-Errortype, body) from botocore's output/json.json and json_1_0.json.
        for ns in ["aws.protocoltests.restjson", "aws.protocoltests.json10"] {
            let header_forms = [
                "FooError".to_owned(),
                format!("FooError:{URI}"),
                format!("{ns}#FooError:{URI}"),
            ];
            for form in &header_forms {
                let m = meta(&[("X-Amzn-Errortype", form)], "");
                assert_eq!(m.code(), Some("FooError"), "{form}");
            }
            for key in ["code", "__type"] {
                for form in [
                    "FooError".to_owned(),
                    format!("{ns}#FooError"),
                    format!("{ns}#FooError:{URI}"),
                ] {
                    let body = serde_json::json!({ key: form }).to_string();
                    let m = meta(&[("Content-Type", "application/x-amz-json-1.1")], &body);
                    assert_eq!(m.code(), Some("FooError"), "{body}");
                }
            }
        }
        let greeting = meta(
            &[],
            "{\n  \"__type\": \"aws.protocoltests.json10#InvalidGreeting\",\n  \"Message\": \"Hi\"\n}",
        );
        assert_eq!(
            (greeting.code(), greeting.message()),
            (Some("InvalidGreeting"), Some("Hi"))
        );
        let complex = meta(
            &[],
            r#"{"__type": "ComplexError", "TopLevel": "Top level", "Nested": {"Foo": "bar"}}"#,
        );
        assert_eq!((complex.code(), complex.message()), (Some("ComplexError"), None));
        let query_compatible = meta(
            &[],
            r#"{"__type": "aws.protocoltests.json10#NoCustomCodeError", "message": "Hi"}"#,
        );
        assert_eq!(
            (query_compatible.code(), query_compatible.message()),
            (Some("NoCustomCodeError"), Some("Hi"))
        );
    }

    #[test]
    fn query_error_header_gives_the_awsquery_code_and_keeps_the_shape_name() {
        let body = r#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "gone"}"#;
        let m = meta(
            &[("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")],
            body,
        );
        assert_eq!(m.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(m.json_code(), Some("QueueDoesNotExist"));
        assert_eq!(m.message(), Some("gone"));
        // Malformed headers are ignored, as botocore ignores them.
        for header in ["", ";Sender", "Code", "A;B;C"] {
            let m = meta(&[("x-amzn-query-error", header)], body);
            assert_eq!(
                (m.code(), m.json_code()),
                (Some("QueueDoesNotExist"), Some("QueueDoesNotExist")),
                "{header}"
            );
        }
        // No JSON code at all: the awsQuery code is both.
        let m = meta(&[("x-amzn-query-error", "Throttling;Sender")], "");
        assert_eq!((m.code(), m.json_code()), (Some("Throttling"), Some("Throttling")));
    }

    #[test]
    fn precedence_header_then_type_then_code() {
        let body = r#"{"__type": "TypeError", "code": "CodeError", "Code": "Other"}"#;
        assert_eq!(
            meta(&[("x-amzn-errortype", "HeaderError")], body).code(),
            Some("HeaderError")
        );
        assert_eq!(meta(&[], body).code(), Some("TypeError"));
        assert_eq!(
            meta(&[], r#"{"code": "CodeError", "__type": 7}"#).code(),
            Some("CodeError")
        );
        // botocore's legacy suite: `__type` wins over a disagreeing `Code` member.
        assert_eq!(
            meta(&[], r#"{"__type": "ExceptionShape", "Code": "OtherExceptionShape"}"#).code(),
            Some("ExceptionShape")
        );
        assert_eq!(
            meta(&[], r#"{"__type": "FooPrefix#ExceptionShape"}"#).code(),
            Some("ExceptionShape")
        );
        // A header that sanitizes to nothing does not hide the body.
        assert_eq!(
            meta(&[("x-amzn-errortype", ":http://x/")], body).code(),
            Some("TypeError")
        );
        assert_eq!(meta(&[("x-amzn-errortype", "  ")], body).code(), Some("TypeError"));
        assert_eq!(meta(&[], r#"{"code": "", "__type": ""}"#).code(), None);
    }

    #[test]
    fn sanitizes_uri_before_namespace() {
        assert_eq!(
            sanitize_error_code("FooError:http://internal.amazon.com/#frag"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("a.b#c.d#FooError"), "FooError");
        assert_eq!(sanitize_error_code(" FooError "), "FooError");
        assert_eq!(sanitize_error_code("#"), "");
    }

    #[test]
    fn headers_survive_unusable_bodies() {
        let headers = [
            ("X-Amzn-ErrorType", "ThrottlingException"),
            ("X-Amzn-Requestid", "req-1"),
        ];
        for body in [
            "",
            "<html>503</html>",
            "[1,2]",
            "\"str\"",
            "{\"message\": 5}",
            "\u{0}\u{ff}",
        ] {
            let m = meta(&headers, body);
            assert_eq!(m.code(), Some("ThrottlingException"), "{body:?}");
            assert_eq!(m.request_id(), Some("req-1"));
            assert_eq!(m.message(), None);
        }
        assert_eq!(meta(&[], "").code(), None);
    }

    #[test]
    fn message_prefers_lowercase() {
        let m = meta(&[], r#"{"__type": "X", "Message": "upper", "message": "lower"}"#);
        assert_eq!(m.message(), Some("lower"));
        assert_eq!(
            meta(&[], r#"{"message": null, "Message": "upper"}"#).message(),
            Some("upper")
        );
    }

    #[test]
    fn unhandled_display() {
        let meta = ErrorMetadata::default()
            .with_code("NewError")
            .with_message("boom")
            .with_request_id("r");
        assert_eq!(
            Unhandled::new(meta.clone()).to_string(),
            "unhandled error `NewError`: boom"
        );
        assert_eq!(Unhandled::new(meta.clone()).meta(), &meta);
        assert_eq!(
            Unhandled::new(ErrorMetadata::default()).to_string(),
            "unhandled error without an error code"
        );
    }

    #[test]
    fn sdk_error_accessors_display_and_sources() {
        let raw = RawResponse::from(http::Response::builder().status(400).body(b"{}".to_vec()).unwrap());
        let meta = ErrorMetadata::default().with_code("NewError");
        let service: SdkError<Unhandled> =
            SdkError::Service(ServiceError::new(Unhandled::new(meta.clone()), meta, raw.clone()));
        assert_eq!(service.to_string(), "service error: unhandled error `NewError`");
        assert_eq!(service.as_service_error().unwrap().meta().code(), Some("NewError"));
        assert!(service.source().unwrap().downcast_ref::<Unhandled>().is_some());
        assert!(service.into_service_error().is_some());

        let response: SdkError<Unhandled> = SdkError::Response(ResponseError::new(raw, "bad", None));
        assert_eq!(response.to_string(), "unparseable response (HTTP 400): bad");
        let SdkError::Response(unparseable) = &response else {
            unreachable!()
        };
        assert_eq!(unparseable.request_id(), None);
        let with_id = http::Response::builder()
            .status(502)
            .header("x-amzn-RequestId", " r-1 ")
            .body(Vec::new());
        let with_id = ResponseError::new(RawResponse::from(with_id.unwrap()), "proxy page", None);
        assert_eq!(with_id.request_id(), Some("r-1"));
        assert!(response.as_service_error().is_none());

        let missing: SdkError<Unhandled> = BuildError::missing_field("cluster", "In").into();
        assert_eq!(
            missing.to_string(),
            "request not sent: invalid input: `cluster` is required to build `In` but was not set"
        );
        let SdkError::Construction(c) = &missing else {
            panic!("{missing:?}")
        };
        assert!(c.build_error().is_some() && c.validation_errors().is_none() && !c.is_configuration());
        assert!(c.source().unwrap().downcast_ref::<BuildError>().is_some());

        let config = ConstructionError::configuration("set a region");
        assert!(config.is_configuration() && config.source().is_none());
        assert_eq!(config.to_string(), "invalid configuration: set a region");

        let dispatch: SdkError<Unhandled> = SdkError::Dispatch(TransportError::timeout("1s"));
        assert_eq!(dispatch.to_string(), "the HTTP exchange failed: timed out: 1s");

        // Credentials: nothing set up is the configuration's fault; a provider that failed (an outage) is not.
        use crate::credentials::CredentialsError;
        let none = ConstructionError::credentials(CredentialsError::not_loaded("chain", "nothing set up"));
        assert!(none.is_configuration() && none.credentials_error().is_some());
        assert_eq!(none.to_string(), "chain: nothing set up");
        let outage = ConstructionError::credentials(CredentialsError::dispatch("STS", TransportError::io("reset")));
        assert!(!outage.is_configuration());
        assert!(outage.source().unwrap().downcast_ref::<CredentialsError>().is_some());
    }
}
