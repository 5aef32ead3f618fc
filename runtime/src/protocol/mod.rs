//! The awsJson 1.0/1.1 protocol, sans-IO: build the request, parse the response, and
//! [`invoke`] to glue them to the configured transport.

use http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderName, HeaderValue, Method};
use serde::Serialize;

use crate::config::Config;
use crate::error::{
    parse_error_metadata, ConstructionError, ErrorMetadata, RawResponse, ResponseError, SdkError, ServiceError,
};
use crate::idempotency::IdempotencyTokenProvider;
use crate::retry;
use crate::transport::{HttpRequest, HttpResponse};
use crate::validation::Validator;
use crate::wire::{self, Decode, DecodeError};

mod attempts;
mod endpoint;
use attempts::{Attempted, Call, Verdict};
pub use endpoint::{
    endpoint_params, resolve_endpoint, ConfiguredEndpoints, EndpointBuiltIns, ResolvedEndpoint, SigningScope,
};

/// The service-level facts a generated client needs, taken from the model.
#[derive(Clone, Copy, Debug)]
pub struct ServiceMetadata {
    /// Prefix of `X-Amz-Target` (`AmazonEC2ContainerServiceV20141113`).
    pub target_prefix: &'static str,
    /// `1.0` or `1.1`, as in `application/x-amz-json-1.1`.
    pub json_version: &'static str,
    /// First label of the regional hostname (`ecs`).
    pub endpoint_prefix: &'static str,
    /// SigV4 service name (`ecs`).
    pub signing_name: &'static str,
    /// The SDK service id (`ECS`).
    pub service_id: &'static str,
    /// The model's API version (`2014-11-13`).
    pub api_version: &'static str,
    /// The service moved from awsQuery to awsJson (`awsQueryCompatible`): requests carry
    /// `x-amzn-query-mode: true`, and errors their awsQuery code (see [`ErrorMetadata::code`]).
    pub query_compatible: bool,
    /// The service's endpoint rule set and partition table, where the model has them (see
    /// [`resolve_endpoint`]); `None` for the regional `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub endpoint_rules: Option<&'static crate::endpoint::EndpointRules>,
}

/// The model's facts about one operation that change how its request is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OperationMetadata {
    /// The name on the wire (`DescribeTaskSets`): the second half of `X-Amz-Target`.
    pub name: &'static str,
    /// The endpoint trait's host prefix (`data-`, `{AccountId}.`), prepended to the endpoint's host with each
    /// `{member}` replaced by that input member's value (see [`ConfigBuilder::disable_host_prefix_injection`](crate::config::ConfigBuilder::disable_host_prefix_injection)).
    pub host_prefix: Option<&'static str>,
    /// Encodings the request body may be sent in (`requestcompression`), in order of preference; the first
    /// this runtime supports is used for bodies of at least
    /// [`ConfigBuilder::request_min_compression_size_bytes`](crate::config::ConfigBuilder::request_min_compression_size_bytes).
    pub request_compression: &'static [&'static str],
}

impl OperationMetadata {
    /// An operation with none of the rules: no host prefix, no request compression.
    pub const fn named(name: &'static str) -> Self {
        Self {
            name,
            host_prefix: None,
            request_compression: &[],
        }
    }
}

/// What the runtime needs from an operation's input beyond its serde form: the member the model marks
/// `idempotencyToken` and the members its host prefix names (`hostLabel`). Every generated input implements
/// it; the default methods are those of an input with neither.
///
/// The input is asked, not its serialized form, so [`build_request`] serializes it once and never reads it back.
pub trait OperationInput: Serialize {
    /// Sets the `idempotencyToken` member to a token from `tokens` if the caller left it unset; a token the
    /// caller set is kept. Inputs without such a member do nothing (the default).
    fn fill_idempotency_token(&mut self, tokens: &IdempotencyTokenProvider) {
        let _ = tokens;
    }

    /// The value of the `idempotencyToken` member, if the input has one and it is set (`None` by default).
    fn idempotency_token(&self) -> Option<&str> {
        None
    }

    /// The value of the host label `name` (the member's wire name, as the host prefix spells it: `{AccountId}`),
    /// if the input has that label and it is set (`None` by default).
    fn host_label(&self, name: &str) -> Option<&str> {
        let _ = name;
        None
    }

    /// Sets the endpoint-rule parameters the operation binds: its `staticContextParams`, and its input members
    /// marked `contextParam` that are set. Inputs of operations with neither set nothing (the default).
    fn endpoint_params(&self, params: &mut crate::endpoint::Params) {
        let _ = params;
    }
}

/// The awsJson request for `operation` with `input` serialized: `POST /` (under any base path of the endpoint)
/// with the target, content-type and content-length headers. An input that serializes to `null` is sent as `{}`,
/// because awsJson services expect an object even for operations without input.
///
/// The model's per-operation rules apply here: the idempotency token (filled in `input` when unset, before it
/// is serialized, so the caller sees the token sent), the host prefix (its labels from
/// [`OperationInput::host_label`]), request compression, and the `x-amzn-query-mode` header of
/// awsQuery-compatible services.
pub fn build_request<I: OperationInput + ?Sized>(
    service: &ServiceMetadata,
    config: &Config,
    operation: &OperationMetadata,
    input: &mut I,
) -> Result<HttpRequest, ConstructionError> {
    input.fill_idempotency_token(config.idempotency_token_provider());
    let input = &*input;
    let endpoint = resolve_endpoint(service, config, input)?;
    let body = serde_json::to_vec(input)?;
    request_to(service, config, operation, endpoint, body, &|label| {
        input.host_label(label)
    })
}

/// The rest of [`build_request`] once the input is serialized, which needs the input only for its host labels:
/// compiled once, not once per operation.
fn request_to<'input>(
    service: &ServiceMetadata,
    config: &Config,
    operation: &OperationMetadata,
    endpoint: ResolvedEndpoint,
    mut body: Vec<u8>,
    host_label: &dyn Fn(&str) -> Option<&'input str>,
) -> Result<HttpRequest, ConstructionError> {
    if body == b"null" {
        body = b"{}".to_vec();
    }
    let uri = match operation
        .host_prefix
        .filter(|_| !config.host_prefix_injection_disabled())
    {
        Some(template) => with_host_prefix(&endpoint.url, &expand_host_prefix(template, host_label)?)?,
        None => [endpoint.url.trim_end_matches('/'), "/"].concat(),
    };
    let target = [service.target_prefix, ".", operation.name].concat();
    let content_type = ["application/x-amz-json-", service.json_version].concat();
    let mut request = http::Request::builder()
        .method(Method::POST)
        .uri(&uri)
        .header(const { HeaderName::from_static("x-amz-target") }, target)
        .header(CONTENT_TYPE, content_type);
    if service.query_compatible {
        request = request.header("x-amzn-query-mode", "true");
    }
    for (name, value) in &endpoint.headers {
        request = request.header(name, value);
    }
    if endpoint.signing != SigningScope::default() {
        request = request.extension(endpoint.signing);
    }
    let compressed = compression_for(operation, config, body.len()).and_then(|e| Some((e.name(), e.compress(&body)?)));
    if let Some((encoding, compressed)) = compressed {
        body = compressed;
        request = request.header(CONTENT_ENCODING, encoding);
    }
    request
        .header(CONTENT_LENGTH, HeaderValue::from(body.len()))
        .body(body)
        .map_err(|e| {
            ConstructionError::configuration(format!(
                "cannot build a request to `{uri}` (check `endpoint_url`, and the headers the endpoint rules add): {e}"
            ))
        })
}

/// The host prefix with each `{label}` replaced by the input's value for that label. Generated `validate()`
/// checks labels first; this only guards requests made without it.
fn expand_host_prefix<'input>(
    template: &'static str,
    host_label: &dyn Fn(&str) -> Option<&'input str>,
) -> Result<String, ConstructionError> {
    let mut expanded = String::with_capacity(template.len());
    let mut validator = Validator::new();
    let mut rest = template;
    while let Some((text, after)) = rest.split_once('{') {
        expanded.push_str(text);
        let (label, after) = after.split_once('}').unwrap_or((after, ""));
        validator.enter_field(label);
        match host_label(label) {
            Some(value) => {
                validator.check_host_label(value);
                expanded.push_str(value);
            }
            None => validator.missing(),
        }
        validator.leave();
        rest = after;
    }
    expanded.push_str(rest);
    validator.finish()?;
    Ok(expanded)
}

/// `https://example.com/base` with prefix `foo.` gives `https://foo.example.com/base/` (after any
/// `user@`; a query string is not kept, as endpoints have none).
fn with_host_prefix(endpoint: &str, prefix: &str) -> Result<String, ConstructionError> {
    let invalid = |reason: &str| {
        ConstructionError::configuration(format!(
            "cannot prefix the host of the endpoint `{endpoint}` with `{prefix}`: {reason}"
        ))
    };
    let uri: http::Uri = endpoint.parse().map_err(|_| invalid("it is not a URL"))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(invalid("it is not an absolute URL"));
    };
    let path = uri.path().trim_end_matches('/');
    let (user, host) = match authority.as_str().rsplit_once('@') {
        Some((user, host)) => (format!("{user}@"), host),
        None => (String::new(), authority.as_str()),
    };
    Ok(format!("{scheme}://{user}{prefix}{host}{path}/"))
}

/// A request-body encoding this runtime can apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    #[cfg(feature = "gzip")]
    Gzip,
}

impl Encoding {
    /// The encodings compiled in, by their model names. Without the `gzip` feature there are none, and
    /// bodies are sent uncompressed, which every service accepts.
    const SUPPORTED: &'static [(&'static str, Encoding)] = &[
        #[cfg(feature = "gzip")]
        ("gzip", Encoding::Gzip),
    ];

    fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "gzip")]
            Encoding::Gzip => "gzip",
        }
    }

    /// The compressed body; `None` (send it as it is) only if the encoder fails, which writing to memory
    /// does not.
    #[cfg_attr(not(feature = "gzip"), allow(unused_variables))]
    fn compress(self, body: &[u8]) -> Option<Vec<u8>> {
        match self {
            #[cfg(feature = "gzip")]
            Encoding::Gzip => {
                use std::io::Write as _;
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                encoder.write_all(body).and_then(|()| encoder.finish()).ok()
            }
        }
    }
}

/// The encoding for a body of `size` bytes: the operation's first supported one, unless compression is
/// disabled or the body is below the configured minimum (as botocore decides).
fn compression_for(operation: &OperationMetadata, config: &Config, size: usize) -> Option<Encoding> {
    if config.request_compression_disabled() || size < config.request_min_compression_size_bytes() as usize {
        return None;
    }
    operation
        .request_compression
        .iter()
        .find_map(|name| Encoding::SUPPORTED.iter().find(|(n, _)| n == name).map(|(_, e)| *e))
}

/// Implemented by each operation's generated error enum.
pub trait OperationError: Sized {
    /// Picks and parses the modeled error named by `meta.json_code()` (the shape name; `code()` may be an
    /// awsQuery code) with [`wire::decode`], or returns the enum's unhandled variant. `body` is the JSON error
    /// document (`{}` when the response had none).
    fn from_response(meta: &ErrorMetadata, body: &[u8]) -> Result<Self, DecodeError>;
}

/// Turns a response into the operation's output or error. A 2xx body is read as `O` by [`wire::decode`] (an
/// empty body as `{}`); anything else is an error response. Unparseable responses are kept whole in
/// [`SdkError::Response`].
pub fn parse_response<O, E>(response: HttpResponse) -> Result<O, SdkError<E>>
where
    O: Decode,
    E: OperationError,
{
    let raw = RawResponse::from(response);
    if raw.status().is_success() {
        return wire::decode(body_or_empty_object(&raw))
            .map_err(|e| SdkError::Response(unreadable(raw, "the body is not a valid operation output", e)));
    }
    let (meta, raw) = error_metadata(raw).map_err(SdkError::Response)?;
    match E::from_response(&meta, body_or_empty_object(&raw)) {
        Ok(err) => Err(SdkError::Service(ServiceError::new(err, meta, raw))),
        Err(e) => Err(SdkError::Response(unreadable(
            raw,
            "the body is not a valid error document",
            e,
        ))),
    }
}

// The helpers of `parse_response` that do not depend on the operation, so that each operation's instance of it
// is only the two calls that do.

/// The response's body, or `{}` for an empty (or all-whitespace) one.
fn body_or_empty_object(raw: &RawResponse) -> &[u8] {
    match raw.body() {
        b if b.iter().all(u8::is_ascii_whitespace) => &b"{}"[..],
        b => b,
    }
}

/// An error response's metadata, and the response back. With no error code and no JSON document there is
/// nothing to type the error by (an HTML page from a proxy, a truncated body): that is kept whole as an
/// unparseable response rather than made an "unhandled" error.
fn error_metadata(raw: RawResponse) -> Result<(ErrorMetadata, RawResponse), ResponseError> {
    let body = body_or_empty_object(&raw);
    let meta = parse_error_metadata(raw.headers(), body);
    if meta.code().is_none() {
        if let Err(e) = wire::check(body) {
            return Err(unreadable(
                raw,
                "the error response names no error code and is not JSON",
                e,
            ));
        }
    }
    Ok((meta, raw))
}

fn unreadable(raw: RawResponse, what: &str, error: DecodeError) -> ResponseError {
    let reason = format!("{what}: {error}");
    ResponseError::new(raw, reason, Some(Box::new(error)))
}

/// Implemented by each operation's generated output: the request id (`x-amzn-requestid`) is not part of the
/// body, so [`invoke`] hands it over after parsing.
pub trait OperationOutput: Decode {
    /// Records the request id of the response this output came from.
    fn set_request_id(&mut self, request_id: Option<String>);
}

/// The request id AWS assigned to a call (`x-amzn-requestid`): quote it in support cases and logs. Generated
/// outputs implement it; errors carry theirs in [`ErrorMetadata::request_id`].
pub trait RequestId {
    /// The request id, if the response had one.
    fn request_id(&self) -> Option<&str>;
}

/// Calls `operation`: builds the request once with [`build_request`] (which fills an unset idempotency token in
/// `input` and serializes it), then for each attempt signs a copy of that request (SigV4, with the call's
/// `amz-sdk-invocation-id` and `amz-sdk-request: attempt=N; max=M`), sends it through the configured transport
/// and parses the response, retrying what [`crate::retry::classify`] allows within the configured
/// [`Timeouts`](crate::config::Timeouts) and the client's [`RetryQuota`](crate::retry::RetryQuota). Missing credentials, region or transport are
/// reported before anything is sent. Every attempt sends the same body, so a retry carries the same
/// idempotency token and the service can recognise it as the same call.
pub async fn invoke<I, O, E>(
    service: &ServiceMetadata,
    config: &Config,
    operation: &OperationMetadata,
    mut input: I,
) -> Result<O, SdkError<E>>
where
    I: OperationInput,
    O: OperationOutput + Send,
    E: OperationError + Send,
{
    // Only building the request and reading the responses depend on the operation; the rest is `Call`'s,
    // compiled once rather than once per operation.
    let call = Call::begin(service, config).await?;
    let unsigned = build_request(service, config, operation, &mut input)?;
    let mut outcome: Option<Result<O, SdkError<E>>> = None;
    let ended = call
        .attempts(unsigned, &mut |attempted: Attempted| {
            let result = match attempted.response {
                Ok(response) => {
                    let request_id = crate::error::request_id(response.headers()).map(str::to_owned);
                    parse_response::<O, E>(response).map(|mut output| {
                        output.set_request_id(request_id);
                        output
                    })
                }
                Err(e) => Err(attempts::transport_failure(
                    e,
                    attempted.attempt,
                    attempted.timeout_limit,
                )),
            };
            let verdict = Verdict {
                retry: retry::classify(&result),
                succeeded: result.is_ok(),
            };
            outcome = Some(result);
            verdict
        })
        .await;
    match (ended, outcome) {
        (Err(stopped), _) => Err(stopped.into_sdk_error()),
        (Ok(()), Some(outcome)) => outcome,
        // `attempts` ends with `Ok` only after judging an attempt.
        (Ok(()), None) => Err(SdkError::Construction(ConstructionError::configuration(
            "the call ended before any attempt was made",
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Unhandled;
    use crate::transport::{AttemptTimeout, BoxFuture, StubTransport, Transport, TransportError};
    use std::error::Error as _;
    use std::fmt;
    use std::time::Instant;

    const JSON11: ServiceMetadata = ServiceMetadata {
        target_prefix: "JsonProtocol",
        json_version: "1.1",
        endpoint_prefix: "jsonprotocol",
        signing_name: "foo",
        service_id: "Json Protocol",
        api_version: "2018-01-01",
        query_compatible: false,
        endpoint_rules: None,
    };

    #[derive(Clone, Serialize)]
    struct Input {
        #[serde(skip_serializing_if = "Option::is_none")]
        cluster: Option<String>,
    }

    impl OperationInput for Input {}

    /// Operations without input, and hand-made inputs given as JSON: neither has a token nor labels.
    impl OperationInput for () {}
    impl OperationInput for serde_json::Value {}

    /// What a generated input with an idempotency token looks like.
    #[derive(Clone, Default, Serialize)]
    struct CreateService {
        #[serde(rename = "serviceName", skip_serializing_if = "Option::is_none")]
        service_name: Option<String>,
        #[serde(rename = "clientToken", skip_serializing_if = "Option::is_none")]
        client_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        z: Option<f64>,
    }

    impl OperationInput for CreateService {
        fn fill_idempotency_token(&mut self, tokens: &IdempotencyTokenProvider) {
            if self.client_token.is_none() {
                self.client_token = Some(tokens.token());
            }
        }
        fn idempotency_token(&self) -> Option<&str> {
            self.client_token.as_deref()
        }
    }

    /// What a generated input with host labels looks like.
    #[derive(Clone, Default, Serialize)]
    struct Labelled {
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        other: Option<String>,
    }

    impl OperationInput for Labelled {
        fn host_label(&self, name: &str) -> Option<&str> {
            match name {
                "label" => self.label.as_deref(),
                "other" => self.other.as_deref(),
                _ => None,
            }
        }
    }

    /// An input serde cannot write.
    struct Unserializable;

    impl Serialize for Unserializable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no JSON form"))
        }
    }

    impl OperationInput for Unserializable {}

    #[derive(Debug, Default, PartialEq)]
    struct Output {
        task_sets: Option<Vec<String>>,
        request_id: Option<String>,
    }

    impl Decode for Output {
        fn decode(reader: &mut wire::Reader<'_>) -> Result<Self, DecodeError> {
            let mut out = Self::default();
            let mut members = wire::Members::begin(reader, "Output", &["taskSets"])?;
            while let Some(name) = members.next(reader)? {
                match &*name {
                    "taskSets" => out.task_sets = members.value(reader, 0)?,
                    _ => members.skip(reader)?,
                }
            }
            Ok(out)
        }
    }

    impl OperationOutput for Output {
        fn set_request_id(&mut self, request_id: Option<String>) {
            self.request_id = request_id;
        }
    }

    /// What a generated error enum looks like.
    #[derive(Debug)]
    enum GreetingError {
        InvalidGreeting { message: Option<String> },
        Unhandled(Unhandled),
    }

    impl fmt::Display for GreetingError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::InvalidGreeting { message } => write!(f, "InvalidGreeting: {message:?}"),
                Self::Unhandled(u) => u.fmt(f),
            }
        }
    }

    impl OperationError for GreetingError {
        fn from_response(meta: &ErrorMetadata, body: &[u8]) -> Result<Self, DecodeError> {
            #[derive(Default)]
            struct InvalidGreeting {
                message: Option<String>,
            }
            impl Decode for InvalidGreeting {
                fn decode(reader: &mut wire::Reader<'_>) -> Result<Self, DecodeError> {
                    let mut out = Self::default();
                    let mut members = wire::Members::begin(reader, "InvalidGreeting", &["Message"])?;
                    while let Some(name) = members.next(reader)? {
                        match &*name {
                            "Message" => out.message = members.value(reader, 0)?,
                            _ => members.skip(reader)?,
                        }
                    }
                    Ok(out)
                }
            }
            Ok(match meta.json_code() {
                Some("InvalidGreeting") => {
                    let e: InvalidGreeting = wire::decode(body)?;
                    Self::InvalidGreeting { message: e.message }
                }
                _ => Self::Unhandled(Unhandled::new(meta.clone())),
            })
        }
    }

    /// The URL [`resolve_endpoint`] gives for an operation without endpoint parameters.
    fn endpoint_url(service: &ServiceMetadata, config: &Config) -> Result<String, ConstructionError> {
        resolve_endpoint(service, config, &()).map(|endpoint| endpoint.url)
    }

    fn config(transport: &StubTransport) -> Config {
        Config::builder()
            .region("us-west-2")
            .credentials(crate::config::Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
            ))
            .transport(transport.clone())
            // Retried errors wait 1 ms here, not seconds.
            .retry_config(
                crate::retry::RetryConfig::default().with_initial_backoff(std::time::Duration::from_millis(1)),
            )
            .build()
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(body.as_bytes().to_vec()).unwrap()
    }

    fn call<I: OperationInput + Send>(config: &Config, input: I) -> Result<Output, SdkError<GreetingError>> {
        pollster::block_on(invoke(
            &JSON11,
            config,
            &OperationMetadata::named("KitchenSinkOperation"),
            input,
        ))
    }

    #[test]
    fn configured_endpoints_resolve_to_the_configured_url_or_a_checked_regional_one() {
        let none = ConfiguredEndpoints::default();
        assert_eq!(
            none.resolve("SSO", "portal.sso", "eu-west-1").unwrap(),
            "https://portal.sso.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            none.resolve("STS", "sts", "cn-north-1").unwrap(),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        // A region that is not a region name would put other text into the hostname (and the signed request).
        let error = none.resolve("SSO", "portal.sso", "evil.example/x").unwrap_err();
        assert_eq!(
            error,
            "region `evil.example/x` is not a valid region name (lowercase letters, digits and `-`)"
        );
        let configured = ConfiguredEndpoints {
            env: crate::config::Env::from_pairs(&[("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9")]),
            ..ConfiguredEndpoints::default()
        };
        assert_eq!(
            configured.resolve("SSO", "portal.sso", "eu-west-1").unwrap(),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn endpoints() {
        let region = |r: &str| Config::builder().region(r).build();
        assert_eq!(
            endpoint_url(&JSON11, &region("us-east-1")).unwrap(),
            "https://jsonprotocol.us-east-1.amazonaws.com"
        );
        assert_eq!(
            endpoint_url(&JSON11, &region("cn-north-1")).unwrap(),
            "https://jsonprotocol.cn-north-1.amazonaws.com.cn"
        );
        let custom = Config::builder().endpoint_url("http://localhost:4566").build();
        assert_eq!(endpoint_url(&JSON11, &custom).unwrap(), "http://localhost:4566");
        let missing = endpoint_url(&JSON11, &Config::default()).unwrap_err();
        assert!(missing.is_configuration());
        assert!(missing.to_string().contains(".region(\"us-east-1\")"), "{missing}");
        for bad in ["", "evil.com/x", "US-EAST-1", "us east"] {
            assert!(endpoint_url(&JSON11, &region(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fips_and_dual_stack_without_endpoint_rules_are_refused_not_ignored() {
        for config in [
            Config::builder().region("us-east-1").use_fips(true).build(),
            Config::builder().region("us-east-1").use_dual_stack(true).build(),
        ] {
            let err = endpoint_url(&JSON11, &config).unwrap_err();
            assert!(err.is_configuration(), "{err}");
            assert!(
                err.to_string()
                    .contains("generated without the service's endpoint rules"),
                "{err}"
            );
        }
    }

    #[test]
    fn an_endpoint_that_only_takes_sigv4a_is_refused_rather_than_signed_wrongly() {
        static RULES: crate::endpoint::EndpointRules = crate::endpoint::EndpointRules::new(
            r#"{"version": "1.0", "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region"}},
                "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://global.example.com",
                    "properties": {"authSchemes": [{"name": "sigv4a", "signingRegionSet": ["*"]}]}}}]}"#,
            r#"{"version": "1.1", "partitions": []}"#,
        );
        let service = ServiceMetadata {
            endpoint_rules: Some(&RULES),
            ..JSON11
        };
        let err = endpoint_url(&service, &Config::builder().region("us-east-1").build()).unwrap_err();
        assert!(
            err.to_string().contains("accepts only the auth schemes [\"sigv4a\"]"),
            "{err}"
        );
    }

    #[test]
    fn built_ins_map_onto_the_rule_sets_parameters_by_builtin_name() {
        let rule_set = crate::endpoint::RuleSet::from_json(
            r#"{"version": "1.0", "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region"},
                "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
                "Dual": {"type": "Boolean", "builtIn": "AWS::UseDualStack", "required": true, "default": false},
                "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"},
                "AccountId": {"type": "String", "builtIn": "AWS::Auth::AccountId"},
                "AccountIdEndpointMode": {"type": "String", "builtIn": "AWS::Auth::AccountIdEndpointMode"},
                "StreamARN": {"type": "String"}},
              "rules": [{"type": "error", "conditions": [], "error": "none"}]}"#,
        )
        .unwrap();
        let config = Config::builder()
            .region("eu-west-1")
            .use_dual_stack(true)
            .account_id_endpoint_mode("disabled")
            .build();
        let built_ins = EndpointBuiltIns::from_config(&JSON11, &config).unwrap();
        assert_eq!(
            built_ins,
            EndpointBuiltIns {
                region: Some("eu-west-1".into()),
                use_fips: false,
                use_dual_stack: true,
                endpoint: None,
                account_id_endpoint_mode: Some("disabled".into()),
            }
        );
        let params = endpoint_params(&rule_set, &built_ins);
        assert_eq!(
            params.iter().collect::<Vec<_>>(),
            [
                ("AccountIdEndpointMode", &crate::endpoint::ParamValue::from("disabled")),
                ("Dual", &crate::endpoint::ParamValue::from(true)),
                ("Region", &crate::endpoint::ParamValue::from("eu-west-1")),
                ("UseFIPS", &crate::endpoint::ParamValue::from(false)),
            ]
        );
        let built_ins = EndpointBuiltIns {
            endpoint: Some("http://localhost:4566".into()),
            ..EndpointBuiltIns::default()
        };
        assert_eq!(
            endpoint_params(&rule_set, &built_ins).get("Endpoint"),
            Some(&crate::endpoint::ParamValue::from("http://localhost:4566"))
        );
        assert_eq!(endpoint_params(&rule_set, &built_ins).get("Region"), None);
    }

    #[test]
    fn endpoints_from_the_loaded_environment() {
        use crate::config::{Credentials, Env};
        let load = |vars: &[(&str, &str)], config_file: &str| {
            let env = Env::from_pairs(vars).with_file("/home/me/.aws/config", config_file.to_owned());
            Config::loader()
                .env(env)
                .region("us-east-1")
                .credentials(Credentials::new("AKID", "secret", None))
                .load()
                .unwrap()
        };
        let profile = "[default]\nendpoint_url = http://profile:3\n";
        let all = [
            ("HOME", "/home/me"),
            ("AWS_ENDPOINT_URL", "http://global:2"),
            ("AWS_ENDPOINT_URL_JSON_PROTOCOL", "http://service:1"),
        ];
        // Service-specific variable, then the global one, then the profile, then the regional endpoint.
        assert_eq!(endpoint_url(&JSON11, &load(&all, profile)).unwrap(), "http://service:1");
        assert_eq!(
            endpoint_url(&JSON11, &load(&all[..2], profile)).unwrap(),
            "http://global:2"
        );
        assert_eq!(
            endpoint_url(&JSON11, &load(&all[..1], profile)).unwrap(),
            "http://profile:3"
        );
        assert_eq!(
            endpoint_url(&JSON11, &load(&all[..1], "")).unwrap(),
            "https://jsonprotocol.us-east-1.amazonaws.com"
        );
        // The variable is named after the service id: uppercased, spaces and dashes as `_`.
        let ecs = ServiceMetadata {
            service_id: "ECS",
            ..JSON11
        };
        let logs = ServiceMetadata {
            service_id: "CloudWatch Logs",
            ..JSON11
        };
        let dashed = ServiceMetadata {
            service_id: "connect-contact-lens",
            ..JSON11
        };
        let vars = [
            ("AWS_ENDPOINT_URL_ECS", "http://ecs:1"),
            ("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://logs:1"),
            ("AWS_ENDPOINT_URL_CONNECT_CONTACT_LENS", "http://lens:1"),
            ("AWS_ENDPOINT_URL", "http://global:2"),
        ];
        let config = load(&vars, "");
        assert_eq!(endpoint_url(&ecs, &config).unwrap(), "http://ecs:1");
        assert_eq!(endpoint_url(&logs, &config).unwrap(), "http://logs:1");
        assert_eq!(endpoint_url(&dashed, &config).unwrap(), "http://lens:1");
        assert_eq!(endpoint_url(&JSON11, &config).unwrap(), "http://global:2");
        // An explicit endpoint wins, also one set after loading.
        let explicit = config.clone().into_builder().endpoint_url("http://mine:9").build();
        assert_eq!(endpoint_url(&ecs, &explicit).unwrap(), "http://mine:9");
        // Turned off by AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's setting).
        let ignored = [
            ("HOME", "/home/me"),
            ("AWS_ENDPOINT_URL_ECS", "http://ecs:1"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ];
        assert_eq!(
            endpoint_url(&ecs, &load(&ignored, profile)).unwrap(),
            "https://jsonprotocol.us-east-1.amazonaws.com"
        );
        let ignored_in_profile = "[default]\nendpoint_url = http://profile:3\nignore_configured_endpoint_urls = true\n";
        assert_eq!(
            endpoint_url(&ecs, &load(&all, ignored_in_profile)).unwrap(),
            "https://jsonprotocol.us-east-1.amazonaws.com"
        );
        // A value that is not an absolute URL is a configuration error naming its source.
        let err = endpoint_url(&ecs, &load(&[("AWS_ENDPOINT_URL_ECS", "localhost:4566")], "")).unwrap_err();
        assert!(err.is_configuration());
        assert!(
            err.to_string().contains("`localhost:4566` from AWS_ENDPOINT_URL_ECS"),
            "{err}"
        );
        let err = endpoint_url(&ecs, &load(&all[..1], "[default]\nendpoint_url = not a url\n")).unwrap_err();
        assert!(
            err.to_string()
                .contains("from `endpoint_url` in `[default]` of /home/me/.aws/config"),
            "{err}"
        );
        // The request goes where the environment says.
        let req = build_request(&ecs, &config, &OperationMetadata::named("Op"), &mut ()).unwrap();
        assert_eq!(req.uri(), "http://ecs:1/");
    }

    #[test]
    fn loaded_regions_make_regional_endpoints() {
        use crate::config::Env;
        let env = |region: &str| {
            let vars = [
                ("AWS_REGION", region),
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", "secret"),
            ];
            Config::loader().env(Env::from_pairs(&vars)).load().unwrap()
        };
        assert_eq!(
            endpoint_url(&JSON11, &env("cn-northwest-1")).unwrap(),
            "https://jsonprotocol.cn-northwest-1.amazonaws.com.cn"
        );
        assert_eq!(
            endpoint_url(&JSON11, &env("eu-west-1")).unwrap(),
            "https://jsonprotocol.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn builder_configs_read_no_environment() {
        // Whatever this process's AWS_ENDPOINT_URL says, a builder config uses only what it was given.
        let config = Config::builder().region("us-east-1").build();
        assert!(config.env().is_none());
        assert_eq!(
            endpoint_url(&JSON11, &config).unwrap(),
            "https://jsonprotocol.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn builds_aws_json_requests() {
        let config = Config::builder().region("us-east-1").build();
        let req = build_request(&JSON11, &config, &OperationMetadata::named("EmptyOperation"), &mut ()).unwrap();
        assert_eq!(req.method(), Method::POST);
        assert_eq!(req.uri(), "https://jsonprotocol.us-east-1.amazonaws.com/");
        assert_eq!(req.headers()["X-Amz-Target"], "JsonProtocol.EmptyOperation");
        assert_eq!(req.headers()["Content-Type"], "application/x-amz-json-1.1");
        assert_eq!(req.headers()["Content-Length"], "2");
        assert_eq!(req.body(), b"{}");
        assert_eq!(
            build_request(
                &JSON11,
                &config,
                &OperationMetadata::named("X"),
                &mut serde_json::Value::Null
            )
            .unwrap()
            .body(),
            b"{}"
        );

        let json10 = ServiceMetadata {
            target_prefix: "JsonRpc10",
            json_version: "1.0",
            ..JSON11
        };
        let base_path = Config::builder().endpoint_url("https://example.com/custom").build();
        let req = build_request(
            &json10,
            &base_path,
            &OperationMetadata::named("Op"),
            &mut serde_json::json!({"a": 1}),
        )
        .unwrap();
        assert_eq!(req.uri(), "https://example.com/custom/");
        assert_eq!(req.headers()["content-type"], "application/x-amz-json-1.0");
        assert_eq!(req.headers()["x-amz-target"], "JsonRpc10.Op");
        assert_eq!(req.headers()["content-length"], "7");

        let broken = Config::builder().endpoint_url("not a url").build();
        let err = build_request(&JSON11, &broken, &OperationMetadata::named("Op"), &mut ()).unwrap_err();
        assert!(err.to_string().contains("endpoint_url"), "{err}");
    }

    #[test]
    fn host_prefixes_go_before_the_endpoints_host() {
        let custom = Config::builder().endpoint_url("https://example.com/base/").build();
        let fixed = OperationMetadata {
            host_prefix: Some("data-"),
            ..OperationMetadata::named("Discover")
        };
        let req = build_request(&JSON11, &custom, &fixed, &mut ()).unwrap();
        assert_eq!(req.uri(), "https://data-example.com/base/");
        let regional = Config::builder().region("eu-west-1").build();
        let req = build_request(&JSON11, &regional, &fixed, &mut ()).unwrap();
        assert_eq!(req.uri(), "https://data-jsonprotocol.eu-west-1.amazonaws.com/");
        let with_user = Config::builder().endpoint_url("http://me@localhost:4566").build();
        assert_eq!(
            build_request(&JSON11, &with_user, &fixed, &mut ()).unwrap().uri(),
            "http://me@data-localhost:4566/"
        );
        let with_port = Config::builder().endpoint_url("http://localhost:4566").build();
        assert_eq!(
            build_request(&JSON11, &with_port, &fixed, &mut ()).unwrap().uri(),
            "http://data-localhost:4566/"
        );
        // Switched off, the endpoint is used as it is.
        let off = custom
            .clone()
            .into_builder()
            .disable_host_prefix_injection(true)
            .build();
        assert_eq!(
            build_request(&JSON11, &off, &fixed, &mut ()).unwrap().uri(),
            "https://example.com/base/"
        );

        let labelled = OperationMetadata {
            host_prefix: Some("foo.{label}.{other}-"),
            ..OperationMetadata::named("Labelled")
        };
        let mut input = Labelled {
            label: Some("bar".into()),
            other: Some("b-2.c".into()),
        };
        let req = build_request(&JSON11, &custom, &labelled, &mut input).unwrap();
        assert_eq!(req.uri(), "https://foo.bar.b-2.c-example.com/base/");
        assert_eq!(
            req.body(),
            br#"{"label":"bar","other":"b-2.c"}"#,
            "the labels stay in the body too"
        );
        // Every bad or missing label is a validation error with its member's name; nothing is sent.
        let mut bad = Labelled {
            label: Some("evil.com/x?".into()),
            other: None,
        };
        let err = build_request(&JSON11, &custom, &labelled, &mut bad).unwrap_err();
        let errors = err.validation_errors().expect("validation errors");
        let found: Vec<(String, String)> = errors
            .iter()
            .map(|e| (e.path().to_owned(), e.rule().to_string()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "label");
        assert!(found[0].1.contains("hostname"), "{found:?}");
        assert_eq!(
            found[1],
            ("other".to_owned(), "a value is required but was not set".to_owned())
        );
        // An input without the label (the trait's default) is missing it too.
        let err = build_request(&JSON11, &custom, &labelled, &mut ()).unwrap_err();
        assert_eq!(err.validation_errors().expect("validation errors").iter().count(), 2);
    }

    #[test]
    fn unset_idempotency_tokens_are_filled() {
        let op = OperationMetadata::named("CreateService");
        let config = Config::builder().region("us-east-1").build();
        let web = || CreateService {
            service_name: Some("web".into()),
            ..CreateService::default()
        };
        // Unset: filled in the input before it is serialized, a fresh token per request.
        let (mut first, mut second) = (web(), web());
        let request = build_request(&JSON11, &config, &op, &mut first).unwrap();
        build_request(&JSON11, &config, &op, &mut second).unwrap();
        let token = first.idempotency_token().unwrap().to_owned();
        assert_eq!(token.len(), 36);
        assert_ne!(
            Some(token.as_str()),
            second.idempotency_token(),
            "each call gets its own token"
        );
        let sent: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(sent, serde_json::json!({"serviceName": "web", "clientToken": token}));
        // Set: kept as the caller set it.
        let mut mine = CreateService {
            client_token: Some("mine".into()),
            ..web()
        };
        let request = build_request(&JSON11, &config, &op, &mut mine).unwrap();
        assert_eq!(request.body(), br#"{"serviceName":"web","clientToken":"mine"}"#);
        assert_eq!(mine.idempotency_token(), Some("mine"));
        // The body is written once, from the input: doubles keep all their digits and tokens are escaped.
        let fixed = config
            .into_builder()
            .idempotency_token_provider(IdempotencyTokenProvider::fixed("t-\"1\""))
            .build();
        let mut precise = CreateService {
            z: Some(1.4000000000000001),
            ..CreateService::default()
        };
        let request = build_request(&JSON11, &fixed, &op, &mut precise).unwrap();
        assert_eq!(
            request.body().as_slice(),
            br#"{"clientToken":"t-\"1\"","z":1.4000000000000001}"#
        );
        // Inputs without a token member are left alone.
        let request = build_request(&JSON11, &fixed, &op, &mut serde_json::json!({"a": 1})).unwrap();
        assert_eq!(request.body(), br#"{"a":1}"#);
    }

    #[test]
    fn idempotency_tokens_stay_the_same_across_retries() {
        let stub = StubTransport::new(|req| {
            let first = req.headers()["amz-sdk-request"] == "attempt=1; max=3";
            response(if first { 503 } else { 200 }, &[], "{}")
        });
        let config = config(&stub);
        let call = |input: CreateService| {
            pollster::block_on(invoke::<_, Output, GreetingError>(
                &JSON11,
                &config,
                &OperationMetadata::named("CreateService"),
                input,
            ))
        };
        call(CreateService::default()).unwrap();
        call(CreateService::default()).unwrap();
        let tokens: Vec<String> = stub
            .requests()
            .iter()
            .map(|r| serde_json::from_slice::<serde_json::Value>(r.body()).unwrap()["clientToken"].to_string())
            .collect();
        assert_eq!(tokens.len(), 4);
        assert_eq!(tokens[0], tokens[1], "a retry resends the first attempt's token");
        assert_eq!(tokens[2], tokens[3]);
        assert_ne!(tokens[1], tokens[2], "a new call gets a new token");
    }

    #[test]
    fn query_compatible_services_announce_it() {
        let config = Config::builder().region("us-east-1").build();
        let plain = build_request(&JSON11, &config, &OperationMetadata::named("Op"), &mut ()).unwrap();
        assert!(plain.headers().get("x-amzn-query-mode").is_none());
        let compatible = ServiceMetadata {
            query_compatible: true,
            ..JSON11
        };
        let req = build_request(&compatible, &config, &OperationMetadata::named("Op"), &mut ()).unwrap();
        assert_eq!(req.headers()["x-amzn-query-mode"], "true");
    }

    #[test]
    fn request_compression_follows_the_model_and_the_configuration() {
        let compressible = OperationMetadata {
            request_compression: &["br", "gzip"],
            ..OperationMetadata::named("PutMetricData")
        };
        let config = Config::builder().region("us-east-1").build();
        let small = build_request(&JSON11, &config, &compressible, &mut serde_json::json!({"a": 1})).unwrap();
        assert!(
            small.headers().get("content-encoding").is_none(),
            "below the 10240-byte default"
        );
        let big = serde_json::json!({ "data": "x".repeat(20_000) });
        let big_body = serde_json::to_vec(&big).unwrap();
        let off = config.clone().into_builder().disable_request_compression(true).build();
        let req = build_request(&JSON11, &off, &compressible, &mut big.clone()).unwrap();
        assert!(req.headers().get("content-encoding").is_none());
        assert_eq!(req.body(), &big_body);
        let plain_op = build_request(&JSON11, &config, &OperationMetadata::named("Op"), &mut big.clone()).unwrap();
        assert!(plain_op.headers().get("content-encoding").is_none());

        let req = build_request(&JSON11, &config, &compressible, &mut big.clone()).unwrap();
        if cfg!(feature = "gzip") {
            // `br` is not supported, so the next encoding the model allows is used.
            assert_eq!(req.headers()["content-encoding"], "gzip");
            assert_eq!(req.headers()["content-length"], req.body().len().to_string().as_str());
            assert!(req.body().len() < big_body.len() / 10);
            assert_eq!(gunzip(req.body()), big_body);
            let eager = config.into_builder().request_min_compression_size_bytes(0).build();
            let tiny = build_request(&JSON11, &eager, &compressible, &mut serde_json::json!({"a": 1})).unwrap();
            assert_eq!(gunzip(tiny.body()), br#"{"a":1}"#);
        } else {
            // Without the `gzip` feature nothing is compressed: uncompressed bodies are always accepted.
            assert!(req.headers().get("content-encoding").is_none());
            assert_eq!(req.body(), &big_body);
        }
    }

    #[cfg(feature = "gzip")]
    fn gunzip(compressed: &[u8]) -> Vec<u8> {
        use std::io::Read as _;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(compressed).read_to_end(&mut out).unwrap();
        out
    }
    #[cfg(not(feature = "gzip"))]
    fn gunzip(_: &[u8]) -> Vec<u8> {
        unreachable!("only called with the gzip feature")
    }

    #[test]
    fn attempts_carry_the_invocation_id_and_their_number() {
        let stub = StubTransport::new(|req| {
            let first = req.headers()["amz-sdk-request"] == "attempt=1; max=3";
            response(if first { 503 } else { 200 }, &[], "{}")
        });
        let config = config(&stub);
        let input = Input { cluster: None };
        call(&config, input.clone()).unwrap();
        call(&config, input.clone()).unwrap();
        let sent = stub.requests();
        let header = |i: usize, name: &str| sent[i].headers()[name].to_str().unwrap().to_owned();
        assert_eq!(sent.len(), 4);
        assert_eq!(
            (0..4).map(|i| header(i, "amz-sdk-request")).collect::<Vec<_>>(),
            [
                "attempt=1; max=3",
                "attempt=2; max=3",
                "attempt=1; max=3",
                "attempt=2; max=3"
            ]
        );
        assert_eq!(
            header(0, "amz-sdk-invocation-id"),
            header(1, "amz-sdk-invocation-id"),
            "one call"
        );
        assert_ne!(
            header(1, "amz-sdk-invocation-id"),
            header(2, "amz-sdk-invocation-id"),
            "two calls"
        );
        assert_eq!(header(0, "amz-sdk-invocation-id").len(), 36);
        // Both are signed, as the SDKs sign them.
        let authorization = header(1, "authorization");
        assert!(
            authorization.contains("amz-sdk-invocation-id;amz-sdk-request;"),
            "{authorization}"
        );
    }

    #[test]
    fn a_failing_service_empties_the_retry_quota_and_retries_stop() {
        let stub = StubTransport::new(|_| response(503, &[], "{}"));
        let config = config(&stub);
        let input = Input { cluster: None };
        for _ in 0..60 {
            assert!(call(&config, input.clone()).is_err());
        }
        // 500 tokens pay for 50 calls with two retries of 5 tokens each (150 requests); the 10 calls after
        // that make one attempt each.
        assert_eq!(stub.requests().len(), 150 + 10);
        assert_eq!(config.retry_quota().available(), 0);
        // Clones share the quota; a success refills it a little.
        let ok = StubTransport::json(200, "{}");
        let recovered = config.clone().into_builder().transport(ok.clone()).build();
        call(&recovered, input.clone()).unwrap();
        assert_eq!(config.retry_quota().available(), 1);
    }

    #[test]
    fn invoke_sends_and_parses() {
        let stub = StubTransport::new(|req| {
            assert_eq!(req.headers()["x-amz-target"], "JsonProtocol.KitchenSinkOperation");
            response(200, &[], r#"{"taskSets": ["a"], "ignored": {"x": 1}}"#)
        });
        let out = call(
            &config(&stub),
            Input {
                cluster: Some("c1".into()),
            },
        )
        .unwrap();
        assert_eq!(out.task_sets, Some(vec!["a".to_owned()]));
        let sent = stub.requests();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].body(), br#"{"cluster":"c1"}"#);
        assert_eq!(sent[0].headers()["content-length"], "16");
        assert_eq!(sent[0].uri(), "https://jsonprotocol.us-west-2.amazonaws.com/");
    }

    #[test]
    fn inputs_that_serialize_to_nothing_send_an_object() {
        let stub = StubTransport::json(200, "");
        let config = config(&stub);
        assert_eq!(
            call(&config, Input { cluster: None }).unwrap(),
            Output {
                task_sets: None,
                request_id: None
            }
        );
        call(&config, ()).unwrap();
        let bodies: Vec<_> = stub.requests().into_iter().map(|r| r.into_body()).collect();
        assert_eq!(bodies, [b"{}".to_vec(), b"{}".to_vec()]);
    }

    #[test]
    fn success_with_unparseable_body_keeps_the_response() {
        for body in ["<html>", r#"{"taskSets": "not a list"}"#] {
            let stub = StubTransport::json(200, body);
            let Err(SdkError::Response(e)) = call(&config(&stub), ()) else {
                panic!("{body}")
            };
            assert_eq!(e.raw().status(), 200);
            assert_eq!(e.raw().body(), body.as_bytes());
            assert_eq!(e.raw().headers()["content-type"], "application/x-amz-json-1.1");
            assert!(e.source().unwrap().downcast_ref::<DecodeError>().is_some());
        }
        // The reason says what was expected where.
        let stub = StubTransport::json(200, r#"{"taskSets": "not a list"}"#);
        let Err(SdkError::Response(e)) = call(&config(&stub), ()) else {
            panic!()
        };
        assert_eq!(
            e.reason(),
            "the body is not a valid operation output: expected a list (an array), found a string at byte 13"
        );
    }

    #[test]
    fn modeled_errors_become_service_errors() {
        let stub = StubTransport::with_response(response(
            400,
            &[("X-Amzn-Requestid", "req-9")],
            r#"{"__type": "aws.protocoltests.json10#InvalidGreeting", "Message": "Hi"}"#,
        ));
        let err = call(&config(&stub), ()).unwrap_err();
        let SdkError::Service(service) = &err else {
            panic!("{err:?}")
        };
        assert!(matches!(service.err(), GreetingError::InvalidGreeting { message: Some(m) } if m == "Hi"));
        assert_eq!(service.meta().code(), Some("InvalidGreeting"));
        assert_eq!(service.meta().request_id(), Some("req-9"));
        assert_eq!(service.raw().status(), 400);
        assert!(err.as_service_error().is_some());
    }

    #[test]
    fn header_only_and_unknown_errors() {
        // No body at all (botocore's `FooErrorUsingXAmznErrorType` cases): the code is unmodeled.
        let stub = StubTransport::with_response(response(500, &[("X-Amzn-Errortype", "FooError:http://x/")], ""));
        let err = call(&config(&stub), ()).unwrap_err();
        match err.into_service_error() {
            Some(GreetingError::Unhandled(u)) => assert_eq!(u.meta().code(), Some("FooError")),
            other => panic!("{other:?}"),
        }
        // A proxy's HTML page: no code and no JSON, so an unparseable response that keeps status and body.
        let stub = StubTransport::with_response(response(503, &[], "<html>busy</html>"));
        let Err(SdkError::Response(e)) = call(&config(&stub), ()) else {
            panic!()
        };
        assert_eq!(e.raw().status().as_u16(), 503);
        assert_eq!(e.raw().body(), b"<html>busy</html>");
    }

    #[test]
    fn modeled_error_with_bad_body_is_a_response_error() {
        let stub = StubTransport::with_response(response(
            400,
            &[("x-amzn-errortype", "InvalidGreeting")],
            r#"{"Message": 42}"#,
        ));
        let Err(SdkError::Response(e)) = call(&config(&stub), ()) else {
            panic!()
        };
        assert_eq!(e.raw().status(), 400);
        assert_eq!(e.raw().headers()["x-amzn-errortype"], "InvalidGreeting");
        assert_eq!(e.into_raw().body(), br#"{"Message": 42}"#);
    }

    #[test]
    fn no_transport_is_a_construction_error() {
        // `Default` (unlike `build()`) does not pick the HTTPS transport a feature provides.
        let config = Config::default();
        let Err(SdkError::Construction(e)) = call(&config, ()) else {
            panic!()
        };
        assert!(e.is_configuration());
        let text = e.to_string();
        assert!(text.contains("Config::builder().transport("), "{text}");
        assert!(text.contains("no HTTP transport"), "{text}");
    }

    #[test]
    fn nothing_is_sent_when_construction_fails() {
        let stub = StubTransport::json(200, "{}");
        let no_region = Config::builder()
            .credentials(crate::config::Credentials::new("AKIDEXAMPLE", "secret", None))
            .transport(stub.clone())
            .build();
        let Err(SdkError::Construction(e)) = call(&no_region, ()) else {
            panic!()
        };
        assert!(e.to_string().contains("region"), "{e}");
        let no_credentials = Config::builder().region("us-east-1").transport(stub.clone()).build();
        let Err(SdkError::Construction(e)) = call(&no_credentials, ()) else {
            panic!()
        };
        assert!(e.to_string().contains("no AWS credentials"), "{e}");

        let Err(SdkError::Construction(e)) = call(&config(&stub), Unserializable) else {
            panic!()
        };
        assert!(!e.is_configuration());
        assert!(e.source().unwrap().downcast_ref::<serde_json::Error>().is_some());
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn transport_failures_are_dispatch_errors() {
        #[derive(Debug)]
        struct Down;
        impl Transport for Down {
            fn send(&self, _: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
                Box::pin(async { Err(TransportError::io("connection refused")) })
            }
        }
        let stub = StubTransport::json(200, "{}");
        let config = config(&stub).into_builder().transport(Down).build();
        let err = call(&config, ()).unwrap_err();
        assert!(matches!(&err, SdkError::Dispatch(e) if e.kind() == crate::transport::TransportErrorKind::Io));
        assert_eq!(
            err.to_string(),
            "the HTTP exchange failed: I/O error: connection refused"
        );
    }

    #[test]
    fn throttling_and_server_errors_are_retried_then_succeed() {
        let attempts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = attempts.clone();
        let stub = StubTransport::new(
            move |_| match counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                0 => response(
                    400,
                    &[],
                    r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
                ),
                1 => response(503, &[], "<html>unavailable</html>"),
                _ => response(200, &[("x-amzn-requestid", "req-3")], r#"{"taskSets":["a"]}"#),
            },
        );
        let output = call(&config(&stub), ()).unwrap();
        assert_eq!(
            (output.task_sets, output.request_id.as_deref()),
            (Some(vec!["a".to_owned()]), Some("req-3"))
        );
        let requests = stub.requests();
        assert_eq!(requests.len(), 3);
        for request in &requests {
            let authorization = request.headers()["authorization"].to_str().unwrap();
            assert!(
                authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
                "{authorization}"
            );
            assert!(authorization.contains("/us-west-2/foo/aws4_request"), "{authorization}");
            assert!(request.extensions().get::<AttemptTimeout>().is_some());
        }
    }

    #[test]
    fn retries_stop_at_max_attempts_and_return_the_last_error() {
        let stub = StubTransport::new(|_| response(500, &[], r#"{"__type":"InternalFailure"}"#));
        let err = call(&config(&stub), ()).unwrap_err();
        assert!(
            matches!(&err, SdkError::Service(e) if e.raw().status() == 500),
            "{err:?}"
        );
        assert_eq!(stub.requests().len(), 3);

        let stub = StubTransport::new(|_| response(400, &[], r#"{"__type":"InvalidGreeting"}"#));
        assert!(call(&config(&stub), ()).is_err());
        assert_eq!(stub.requests().len(), 1, "a client error is not retried");
    }

    #[test]
    fn transport_timeouts_are_timeout_errors_and_retried() {
        #[derive(Debug)]
        struct Slow;
        impl Transport for Slow {
            fn send(&self, _: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
                Box::pin(async { Err(TransportError::timeout("no response")) })
            }
        }
        let stub = StubTransport::json(200, "{}");
        let config = config(&stub).into_builder().transport(Slow).build();
        let err = call(&config, ()).unwrap_err();
        let SdkError::Timeout(timeout) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(timeout.attempts(), 3);
    }

    #[test]
    fn the_total_timeout_bounds_retries() {
        let stub = StubTransport::new(|_| response(503, &[], "busy"));
        let config = config(&stub)
            .into_builder()
            .retry_config(crate::retry::RetryConfig::default().with_max_attempts(100))
            .timeouts(crate::config::Timeouts {
                total: std::time::Duration::from_millis(300),
                ..Default::default()
            })
            .build();
        let started = Instant::now();
        let err = call(&config, ()).unwrap_err();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(err, SdkError::Response(_) | SdkError::Timeout(_)), "{err:?}");
        assert!(stub.requests().len() < 100);
    }

    #[test]
    fn invoke_future_is_send() {
        fn assert_send<T: Send>(_: T) {}
        let config = Config::default();
        assert_send(invoke::<_, Output, GreetingError>(
            &JSON11,
            &config,
            &OperationMetadata::named("Op"),
            (),
        ));
    }
}
