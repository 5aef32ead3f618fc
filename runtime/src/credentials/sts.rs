//! STS: `AssumeRole` (signed with the source credentials) and `AssumeRoleWithWebIdentity` (unsigned).
//!
//! Both are awsQuery calls: a form-encoded `POST` answered in XML. They go through
//! [`ProviderContext::send`], so they share the client's transport, timeouts and retries.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, Method};

use super::{parse_rfc3339, percent_encode};
use super::{
    BoxFuture, Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProviderContext, RequestPolicy,
    ServiceErrorDetails,
};
use crate::protocol::ConfiguredEndpoints;
use crate::sigv4::{sign_headers, SigningParams, SigningSettings};
use crate::transport::{HttpRequest, HttpResponse};

const ASSUME_ROLE: &str = "STS AssumeRole";
const WEB_IDENTITY: &str = "STS AssumeRoleWithWebIdentity";
const API_VERSION: &str = "2011-06-15";
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
/// The service id that `AWS_ENDPOINT_URL_STS` is derived from.
const SERVICE_ID: &str = "STS";
const SIGNING_NAME: &str = "sts";
/// An STS answer has a few dozen nodes; the cap keeps a hostile endpoint from making the parser build a huge
/// tree out of a body that fits the response-size limit.
const XML_NODES_LIMIT: u32 = 10_000;
/// AWS's "the identity provider could not be reached" for `AssumeRoleWithWebIdentity`; the SDKs retry it
/// (smithy-rs marks it `@retryable`, aws-sdk-go adds it to the retryable codes, botocore has a policy for it).
const IDP_COMMUNICATION_ERROR: &str = "IDPCommunicationError";

/// Calls STS at the regional endpoint (`https://sts.{region}.amazonaws.com`), or the one configured with
/// `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` or the profile's `endpoint_url`.
#[derive(Clone, Debug)]
pub struct StsClient {
    region: String,
    endpoints: ConfiguredEndpoints,
}

impl StsClient {
    /// A client for `region` (`us-east-1` when none is known).
    pub fn new(region: Option<&str>, endpoints: ConfiguredEndpoints) -> Self {
        Self {
            region: region.unwrap_or("us-east-1").to_owned(),
            endpoints,
        }
    }

    /// The region whose endpoint is called and whose name signs `AssumeRole`.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// `AssumeRole`, signed with `source`.
    pub async fn assume_role(
        &self,
        ctx: &ProviderContext,
        source: &Credentials,
        request: &AssumeRoleRequest,
    ) -> Result<Credentials, CredentialsError> {
        let session_name = match &request.role_session_name {
            Some(name) => name.clone(),
            None => default_session_name(ctx.now()),
        };
        let mut form = Form::new("AssumeRole");
        form.field("RoleArn", &request.role_arn);
        form.field("RoleSessionName", &session_name);
        if let Some(external_id) = &request.external_id {
            form.field("ExternalId", external_id);
        }
        if let Some(duration) = request.duration_seconds {
            form.field("DurationSeconds", &duration.to_string());
        }
        self.call(ctx, ASSUME_ROLE, &form, is_throttling, Some(source))
            .await
            .map_err(|e| e.context(format_args!("assuming role {}", request.role_arn)))
    }

    /// `AssumeRoleWithWebIdentity`, unsigned.
    pub async fn assume_role_with_web_identity(
        &self,
        ctx: &ProviderContext,
        role_arn: &str,
        role_session_name: &str,
        token: &str,
    ) -> Result<Credentials, CredentialsError> {
        let mut form = Form::new("AssumeRoleWithWebIdentity");
        form.field("RoleArn", role_arn);
        form.field("RoleSessionName", role_session_name);
        form.field("WebIdentityToken", token);
        // The token is the proof of identity: AWS takes this call without a signature.
        self.call(ctx, WEB_IDENTITY, &form, is_throttling_or_idp_unreachable, None)
            .await
            .map_err(|e| e.context(format_args!("assuming role {role_arn} with a web identity token")))
    }

    /// Posts `form` for `provider` (its action's name), signed with `signer` if given (per attempt, so a retry
    /// carries a fresh `X-Amz-Date`), and reads the credentials from the `{Action}Result` of the answer.
    async fn call(
        &self,
        ctx: &ProviderContext,
        provider: &'static str,
        form: &Form,
        retry_response: fn(&HttpResponse) -> bool,
        signer: Option<&Credentials>,
    ) -> Result<Credentials, CredentialsError> {
        let endpoint = self.endpoint(provider)?;
        let policy = RequestPolicy {
            retry_response,
            ..RequestPolicy::default()
        };
        let response = ctx
            .send(provider, &policy, || {
                let mut request = form_request(provider, &endpoint, &form.body)?;
                if let Some(credentials) = signer {
                    let params = SigningParams {
                        credentials,
                        region: &self.region,
                        service: SIGNING_NAME,
                        time: ctx.now().into(),
                        settings: SigningSettings::default(),
                    };
                    sign_headers(&mut request, &params).map_err(|e| {
                        CredentialsError::provider_error(provider, format!("cannot sign the request: {e}"))
                    })?;
                }
                Ok(request)
            })
            .await?;
        read_credentials(provider, &format!("{}Result", form.action), &endpoint, &response)
    }

    fn endpoint(&self, provider: &'static str) -> Result<String, CredentialsError> {
        self.endpoints
            .resolve(SERVICE_ID, SIGNING_NAME, &self.region)
            .map_err(|message| CredentialsError::invalid_configuration(provider, message))
    }
}

/// The parameters of an `AssumeRole` call, from a profile's `role_arn`, `role_session_name`, `external_id`
/// and `duration_seconds`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    /// `role_arn`.
    pub role_arn: String,
    /// `role_session_name`; a generated one when `None`.
    pub role_session_name: Option<String>,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `duration_seconds`; STS's default (3600) when `None`.
    pub duration_seconds: Option<u32>,
}

/// Credentials of a role, assumed with the credentials of `source`.
#[derive(Debug)]
pub struct AssumeRoleProvider {
    request: AssumeRoleRequest,
    source: Arc<dyn ProvideCredentials>,
    sts: StsClient,
}

impl AssumeRoleProvider {
    /// Assumes `request.role_arn` with what `source` provides.
    pub fn new(request: AssumeRoleRequest, source: Arc<dyn ProvideCredentials>, sts: StsClient) -> Self {
        Self { request, source, sts }
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials<'a>(
        &'a self,
        ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let source = self.source.provide_credentials(ctx).await.map_err(|e| {
                // The role is configured, so a source with nothing to give is a broken setup, not a reason for
                // a chain to move on to its next provider (the SDKs fail here too).
                let e = if e.kind() == CredentialsErrorKind::NotLoaded {
                    CredentialsError::invalid_configuration(e.provider().to_owned(), e.message().to_owned())
                        .with_source(e)
                } else {
                    e
                };
                e.context(format_args!(
                    "the source credentials to assume role {}",
                    self.request.role_arn
                ))
            })?;
            self.sts.assume_role(ctx, &source, &self.request).await
        })
    }
}

/// The session name used when none is configured: `awsgen-` and the time in Unix milliseconds, as
/// aws-sdk-rust uses `aws-sdk-rust-<millis>` (STS requires a name; this one tells sessions apart in CloudTrail).
pub(crate) fn default_session_name(now: SystemTime) -> String {
    let millis = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
    format!("awsgen-{millis}")
}

/// An awsQuery form body: `Action=..&Version=..` then the parameters, in order.
struct Form {
    /// The `Action`, whose answer's credentials are in `{Action}Result`.
    action: &'static str,
    body: String,
}

impl Form {
    fn new(action: &'static str) -> Self {
        let mut form = Self {
            action,
            body: String::new(),
        };
        form.field("Action", action);
        form.field("Version", API_VERSION);
        form
    }

    fn field(&mut self, name: &str, value: &str) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        percent_encode(name, &mut self.body);
        self.body.push('=');
        percent_encode(value, &mut self.body);
    }
}

/// `POST {endpoint}/` with the form `body`.
fn form_request(provider: &'static str, endpoint: &str, body: &str) -> Result<HttpRequest, CredentialsError> {
    let uri = format!("{}/", endpoint.trim_end_matches('/'));
    http::Request::builder()
        .method(Method::POST)
        .uri(&uri)
        .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
        .header(CONTENT_LENGTH, HeaderValue::from(body.len()))
        .body(body.as_bytes().to_vec())
        .map_err(|e| {
            CredentialsError::invalid_configuration(provider, format!("cannot build a request to `{uri}`: {e}"))
        })
}

/// The credentials in a success answer (`<{result}><Credentials>..`), or the error the answer says.
///
/// No message quotes the body: a success answer holds the secret key and the session token.
fn read_credentials(
    provider: &'static str,
    result: &str,
    endpoint: &str,
    response: &HttpResponse,
) -> Result<Credentials, CredentialsError> {
    if !response.status().is_success() {
        return Err(service_error(provider, response));
    }
    let unreadable =
        |why: String| CredentialsError::provider_error(provider, format!("the answer from {endpoint} {why}"));
    let document = parse_xml(response.body()).map_err(unreadable)?;
    let credentials = document
        .descendants()
        .find(|node| is_element(node, result))
        .and_then(|result| child(result, "Credentials"))
        .ok_or_else(|| unreadable(format!("has no `{result}/Credentials` element")))?;
    let field = |name: &str| {
        child(credentials, name)
            .map(text)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| unreadable(format!("has no `{name}` in its credentials")))
    };
    let expiration = field("Expiration")?;
    let expiry = parse_rfc3339(&expiration).ok_or_else(|| {
        unreadable(format!(
            "has an `Expiration` that is not an RFC 3339 date-time: `{expiration}`"
        ))
    })?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("SessionToken")?),
    )
    .with_expiry(expiry))
}

/// What an error answer says: `<ErrorResponse><Error><Code>..<Message>..</Error><RequestId>..`. An answer
/// that is not such XML (a proxy's HTML page) is still the refusal it is, with the status alone.
fn service_error(provider: &'static str, response: &HttpResponse) -> CredentialsError {
    let body = response.body();
    let document = parse_xml(body).ok();
    let error = document
        .as_ref()
        .and_then(|document| document.descendants().find(|node| is_element(node, "Error")));
    let error_field = |name: &str| {
        error
            .and_then(|error| child(error, name))
            .map(text)
            .filter(|v| !v.is_empty())
    };
    let request_id = document
        .as_ref()
        .and_then(|document| document.descendants().find(|node| is_element(node, "RequestId")))
        .map(text)
        .filter(|id| !id.is_empty())
        .or_else(|| crate::error::request_id(response.headers()).map(str::to_owned));
    CredentialsError::service_error(
        provider,
        ServiceErrorDetails {
            status: response.status().as_u16(),
            code: error_field("Code"),
            message: error_field("Message"),
            request_id,
        },
    )
}

/// The `Code` of an error answer, for the retry decision.
fn error_code(response: &HttpResponse) -> Option<String> {
    if response.status().is_success() {
        return None;
    }
    let document = parse_xml(response.body()).ok()?;
    let error = document.descendants().find(|node| is_element(node, "Error"))?;
    Some(text(child(error, "Code")?))
}

fn is_throttling(response: &HttpResponse) -> bool {
    error_code(response).is_some_and(|code| crate::retry::THROTTLING_CODES.contains(&code.as_str()))
}

fn is_throttling_or_idp_unreachable(response: &HttpResponse) -> bool {
    error_code(response)
        .is_some_and(|code| code == IDP_COMMUNICATION_ERROR || crate::retry::THROTTLING_CODES.contains(&code.as_str()))
}

/// The body as an XML document, or why not (without quoting it: roxmltree's own messages may).
fn parse_xml(body: &[u8]) -> Result<roxmltree::Document<'_>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "is not UTF-8 text".to_owned())?;
    let options = roxmltree::ParsingOptions {
        nodes_limit: XML_NODES_LIMIT,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let at = e.pos();
        format!("is not XML (line {}, column {})", at.row, at.col)
    })
}

/// Matched by local name: STS's namespace is not checked, as emulators (moto, LocalStack) send others.
fn is_element(node: &roxmltree::Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

fn child<'a, 'input>(node: roxmltree::Node<'a, 'input>, name: &str) -> Option<roxmltree::Node<'a, 'input>> {
    node.children().find(|child| is_element(child, name))
}

/// All the text inside `node`, trimmed (CDATA and split text nodes included).
fn text(node: roxmltree::Node<'_, '_>) -> String {
    let joined: String = node
        .descendants()
        .filter_map(|n| n.text().filter(|_| n.is_text()))
        .collect();
    joined.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Env;
    use crate::credentials::ManualClock;
    use crate::retry::RetryConfig;
    use crate::transport::StubTransport;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    /// 2023-11-14T22:13:20Z.
    const NOW_SECS: u64 = 1_700_000_000;
    const ROLE: &str = "arn:aws:iam::123456789012:role/demo";

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(NOW_SECS)
    }

    fn ctx(stub: &StubTransport) -> ProviderContext {
        ctx_with_clock(stub, ManualClock::new(now()))
    }

    fn ctx_with_clock(stub: &StubTransport, clock: ManualClock) -> ProviderContext {
        ProviderContext::new(Arc::new(stub.clone()))
            .with_time_source(Arc::new(clock))
            .with_retry_config(RetryConfig::default().with_initial_backoff(Duration::ZERO))
    }

    fn client(region: &str) -> StsClient {
        StsClient::new(Some(region), ConfiguredEndpoints::default())
    }

    fn client_with_env(pairs: &[(&str, &str)]) -> StsClient {
        let endpoints = ConfiguredEndpoints {
            env: Env::from_pairs(pairs),
            ..ConfiguredEndpoints::default()
        };
        StsClient::new(Some("eu-west-1"), endpoints)
    }

    fn success_body(action: &str, xmlns: &str) -> String {
        format!(
            r#"<{action}Response xmlns="{xmlns}">
  <{action}Result>
    <Credentials>
      <AccessKeyId>ASIAASSUMED</AccessKeyId>
      <SecretAccessKey>assumedS3cret</SecretAccessKey>
      <SessionToken>assumedT0ken</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn></AssumedRoleUser>
  </{action}Result>
  <ResponseMetadata><RequestId>ok-req</RequestId></ResponseMetadata>
</{action}Response>"#
        )
    }

    fn response(status: u16, body: &str) -> HttpResponse {
        let mut response = HttpResponse::new(body.as_bytes().to_vec());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        response
    }

    fn ok(action: &str) -> HttpResponse {
        response(200, &success_body(action, "https://sts.amazonaws.com/doc/2011-06-15/"))
    }

    fn error_body(code: &str, message: &str, request_id: Option<&str>) -> String {
        let request_id = request_id
            .map(|id| format!("<RequestId>{id}</RequestId>"))
            .unwrap_or_default();
        format!(
            r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>{request_id}</ErrorResponse>"#
        )
    }

    fn source() -> Credentials {
        Credentials::new("SOURCEKEY", "sourceS3cret", Some("sourceT0ken".into()))
    }

    fn request() -> AssumeRoleRequest {
        AssumeRoleRequest {
            role_arn: ROLE.into(),
            ..AssumeRoleRequest::default()
        }
    }

    fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
        request.headers().get(name).map(|v| v.to_str().unwrap())
    }

    fn body(request: &HttpRequest) -> &str {
        std::str::from_utf8(request.body()).unwrap()
    }

    fn assert_no_secrets(shown: &str) {
        for secret in ["sourceS3cret", "sourceT0ken", "assumedS3cret", "assumedT0ken"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn form_encode_keeps_unreserved_characters_and_escapes_every_other_byte() {
        let mut out = String::new();
        percent_encode("aZ09-_.~ /:+=&?%é", &mut out);
        assert_eq!(out, "aZ09-_.~%20%2F%3A%2B%3D%26%3F%25%C3%A9");
    }

    #[test]
    fn assume_role_posts_the_form_signed_with_the_source_credentials() {
        let stub = StubTransport::new(|_| ok("AssumeRole"));
        let request = AssumeRoleRequest {
            role_arn: ROLE.into(),
            role_session_name: Some("my session".into()),
            external_id: Some("ext/1".into()),
            duration_seconds: Some(900),
        };
        let creds = pollster::block_on(client("eu-west-1").assume_role(&ctx(&stub), &source(), &request)).unwrap();

        assert_eq!(creds.access_key_id(), "ASIAASSUMED");
        assert_eq!(creds.secret_access_key(), "assumedS3cret");
        assert_eq!(creds.session_token(), Some("assumedT0ken"));
        assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(1_573_306_481)));

        let sent = stub.requests();
        assert_eq!(sent.len(), 1);
        let sent = &sent[0];
        assert_eq!(sent.method(), Method::POST);
        assert_eq!(sent.uri(), "https://sts.eu-west-1.amazonaws.com/");
        assert_eq!(
            header(sent, "content-type"),
            Some("application/x-www-form-urlencoded; charset=utf-8")
        );
        assert_eq!(
            body(sent),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo\
             &RoleSessionName=my%20session&ExternalId=ext%2F1&DurationSeconds=900"
        );
        assert_eq!(
            header(sent, "content-length"),
            Some(body(sent).len().to_string().as_str())
        );
        let authorization = header(sent, "authorization").unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=SOURCEKEY/20231114/eu-west-1/sts/aws4_request"),
            "{authorization}"
        );
        assert_eq!(header(sent, "x-amz-security-token"), Some("sourceT0ken"));
        assert_eq!(header(sent, "x-amz-date"), Some("20231114T221320Z"));
    }

    #[test]
    fn assume_role_defaults_the_session_name_from_the_clock_and_leaves_out_unset_fields() {
        let stub = StubTransport::new(|_| ok("AssumeRole"));
        let long_term = Credentials::new("SOURCEKEY", "sourceS3cret", None);
        pollster::block_on(client("eu-west-1").assume_role(&ctx(&stub), &long_term, &request())).unwrap();
        let sent = &stub.requests()[0];
        assert_eq!(
            body(sent),
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo\
             &RoleSessionName=awsgen-1700000000000"
        );
        assert_eq!(header(sent, "x-amz-security-token"), None);
        assert!(header(sent, "authorization").unwrap().contains("Credential=SOURCEKEY/"));
    }

    #[test]
    fn web_identity_is_unsigned_and_carries_the_token() {
        let stub = StubTransport::new(|_| ok("AssumeRoleWithWebIdentity"));
        let creds = pollster::block_on(client("eu-west-1").assume_role_with_web_identity(
            &ctx(&stub),
            ROLE,
            "pod-1",
            "eyJ.tok+en/=",
        ))
        .unwrap();
        assert_eq!(creds.access_key_id(), "ASIAASSUMED");
        assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(1_573_306_481)));
        let sent = &stub.requests()[0];
        assert_eq!(sent.uri(), "https://sts.eu-west-1.amazonaws.com/");
        assert_eq!(
            header(sent, "content-type"),
            Some("application/x-www-form-urlencoded; charset=utf-8")
        );
        assert_eq!(
            body(sent),
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15\
             &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=pod-1\
             &WebIdentityToken=eyJ.tok%2Ben%2F%3D"
        );
        for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
            assert_eq!(header(sent, name), None, "{name}");
        }
    }

    #[test]
    fn endpoint_is_the_configured_one_else_the_regional_one() {
        let cases: [(StsClient, &str); 5] = [
            (client("eu-west-1"), "https://sts.eu-west-1.amazonaws.com/"),
            (client("cn-north-1"), "https://sts.cn-north-1.amazonaws.com.cn/"),
            (
                StsClient::new(None, ConfiguredEndpoints::default()),
                "https://sts.us-east-1.amazonaws.com/",
            ),
            (
                client_with_env(&[
                    ("AWS_ENDPOINT_URL_STS", "http://localhost:4566/base/"),
                    ("AWS_ENDPOINT_URL", "http://elsewhere:1"),
                ]),
                "http://localhost:4566/base/",
            ),
            (
                client_with_env(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")]),
                "http://127.0.0.1:5000/",
            ),
        ];
        for (sts, expected) in cases {
            let stub = StubTransport::new(|_| ok("AssumeRole"));
            pollster::block_on(sts.assume_role(&ctx(&stub), &source(), &request())).unwrap();
            let stub_web = StubTransport::new(|_| ok("AssumeRoleWithWebIdentity"));
            pollster::block_on(sts.assume_role_with_web_identity(&ctx(&stub_web), ROLE, "s", "t")).unwrap();
            assert_eq!(stub.requests()[0].uri(), expected);
            assert_eq!(stub_web.requests()[0].uri(), expected);
        }
    }

    #[test]
    fn configured_endpoint_that_is_not_a_url_is_invalid_configuration() {
        let stub = StubTransport::new(|_| ok("AssumeRole"));
        let sts = client_with_env(&[("AWS_ENDPOINT_URL_STS", "localhost")]);
        let error = pollster::block_on(sts.assume_role(&ctx(&stub), &source(), &request())).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(error.to_string().contains("AWS_ENDPOINT_URL_STS"), "{error}");
        let error = pollster::block_on(sts.assume_role_with_web_identity(&ctx(&stub), ROLE, "s", "t")).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(stub.requests().is_empty());
    }

    #[test]
    fn access_denied_keeps_code_message_and_request_id_and_is_not_retried() {
        let stub = StubTransport::new(|_| {
            response(
                403,
                &error_body(
                    "AccessDenied",
                    "User: x is not authorized to perform: sts:AssumeRole",
                    Some("req-42"),
                ),
            )
        });
        let error =
            pollster::block_on(client("eu-west-1").assume_role(&ctx(&stub), &source(), &request())).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ServiceError);
        assert_eq!(error.provider(), "STS AssumeRole");
        let details = error.service_details().unwrap();
        assert_eq!(details.status, 403);
        assert_eq!(error.code(), Some("AccessDenied"));
        assert_eq!(
            error.service_message(),
            Some("User: x is not authorized to perform: sts:AssumeRole")
        );
        assert_eq!(error.request_id(), Some("req-42"));
        assert_eq!(
            error.to_string(),
            format!(
                "STS AssumeRole: assuming role {ROLE}: the service refused: HTTP 403 AccessDenied: User: x is not \
                 authorized to perform: sts:AssumeRole (request id req-42)"
            )
        );
        assert_eq!(stub.requests().len(), 1);
    }

    #[test]
    fn request_id_falls_back_to_the_header_and_a_non_xml_refusal_keeps_its_status() {
        let stub = StubTransport::new(|_| {
            let mut answer = response(400, &error_body("InvalidIdentityToken", "bad token", None));
            answer
                .headers_mut()
                .insert("x-amzn-requestid", HeaderValue::from_static("hdr-1"));
            answer
        });
        let error = pollster::block_on(client("eu-west-1").assume_role_with_web_identity(&ctx(&stub), ROLE, "s", "t"))
            .unwrap_err();
        assert_eq!(error.provider(), "STS AssumeRoleWithWebIdentity");
        assert_eq!(error.code(), Some("InvalidIdentityToken"));
        assert_eq!(error.request_id(), Some("hdr-1"));

        let stub = StubTransport::new(|_| response(403, "<html><body>Forbidden by proxy</body>"));
        let error =
            pollster::block_on(client("eu-west-1").assume_role(&ctx(&stub), &source(), &request())).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ServiceError);
        assert_eq!(error.service_details().unwrap().status, 403);
        assert_eq!(error.code(), None);
    }

    #[test]
    fn throttling_is_retried_and_each_attempt_signed_anew() {
        let clock = ManualClock::new(now());
        let calls = Arc::new(AtomicU32::new(0));
        let stub = StubTransport::new({
            let (clock, calls) = (clock.clone(), calls.clone());
            move |_| {
                clock.advance(Duration::from_secs(5));
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    response(400, &error_body("Throttling", "Rate exceeded", Some("t-1")))
                } else {
                    ok("AssumeRole")
                }
            }
        });
        let creds =
            pollster::block_on(client("eu-west-1").assume_role(&ctx_with_clock(&stub, clock), &source(), &request()))
                .unwrap();
        assert_eq!(creds.access_key_id(), "ASIAASSUMED");
        let sent = stub.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(header(&sent[0], "x-amz-date"), Some("20231114T221320Z"));
        assert_eq!(header(&sent[1], "x-amz-date"), Some("20231114T221325Z"));
        assert_ne!(header(&sent[0], "authorization"), header(&sent[1], "authorization"));
    }

    #[test]
    fn idp_communication_error_is_retried_for_web_identity_only() {
        let answers = || {
            let calls = Arc::new(AtomicU32::new(0));
            move |_: &HttpRequest| {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    response(400, &error_body("IDPCommunicationError", "IdP unreachable", None))
                } else {
                    ok("AssumeRoleWithWebIdentity")
                }
            }
        };
        let stub = StubTransport::new(answers());
        pollster::block_on(client("eu-west-1").assume_role_with_web_identity(&ctx(&stub), ROLE, "s", "t")).unwrap();
        assert_eq!(stub.requests().len(), 2);

        let stub = StubTransport::new(answers());
        let error =
            pollster::block_on(client("eu-west-1").assume_role(&ctx(&stub), &source(), &request())).unwrap_err();
        assert_eq!(error.code(), Some("IDPCommunicationError"));
        assert_eq!(stub.requests().len(), 1);
    }

    #[test]
    fn unreadable_success_answers_are_provider_errors_that_do_not_quote_the_body() {
        let missing_token = success_body("AssumeRole", "x").replace("<SessionToken>assumedT0ken</SessionToken>", "");
        let bad_expiry = success_body("AssumeRole", "x").replace("2019-11-09T13:34:41Z", "soon");
        let cases = [
            ("assumedS3cret assumedT0ken, not XML".to_owned(), "is not XML"),
            (missing_token, "has no `SessionToken`"),
            (bad_expiry, "`Expiration` that is not an RFC 3339 date-time: `soon`"),
            (
                "<Other>assumedS3cret</Other>".to_owned(),
                "has no `AssumeRoleResult/Credentials` element",
            ),
        ];
        for (answer, expected) in cases {
            let stub = StubTransport::new(move |_| response(200, &answer));
            let error =
                pollster::block_on(client("eu-west-1").assume_role(&ctx(&stub), &source(), &request())).unwrap_err();
            assert_eq!(error.kind(), CredentialsErrorKind::ProviderError, "{error}");
            let shown = error.to_string();
            assert!(shown.contains(expected), "{shown}");
            assert!(shown.contains("https://sts.eu-west-1.amazonaws.com"), "{shown}");
            assert_no_secrets(&shown);
            assert_no_secrets(&format!("{error:?}"));
        }
        let stub = StubTransport::new(|_| HttpResponse::new(vec![0xff, 0xfe]));
        let error =
            pollster::block_on(client("eu-west-1").assume_role(&ctx(&stub), &source(), &request())).unwrap_err();
        assert!(error.to_string().contains("is not UTF-8"), "{error}");
    }

    #[test]
    fn elements_are_matched_by_local_name_whatever_the_namespace() {
        let answer = success_body("AssumeRoleWithWebIdentity", "https://sts.amazonaws.com/doc/2011-06-15/")
            .replace("<Credentials>", "<Credentials><!-- moto -->")
            .replace("<AccessKeyId>ASIAASSUMED", "<AccessKeyId><![CDATA[ASIA]]>ASSUMED");
        let answer = format!(
            "<?xml version=\"1.0\"?>{}",
            answer.replacen("xmlns=", "xmlns:m=\"urn:moto\" xmlns=", 1)
        );
        let stub = StubTransport::new(move |_| response(200, &answer));
        let creds =
            pollster::block_on(client("eu-west-1").assume_role_with_web_identity(&ctx(&stub), ROLE, "s", "t")).unwrap();
        assert_eq!(creds.access_key_id(), "ASIAASSUMED");
        assert_eq!(creds.session_token(), Some("assumedT0ken"));
    }

    #[test]
    fn assume_role_provider_assumes_with_its_source_and_names_the_role_when_the_source_fails() {
        let stub = StubTransport::new(|_| ok("AssumeRole"));
        let provider = AssumeRoleProvider::new(request(), Arc::new(source()), client("eu-west-1"));
        let creds = pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap();
        assert_eq!(creds.access_key_id(), "ASIAASSUMED");
        assert!(header(&stub.requests()[0], "authorization")
            .unwrap()
            .contains("Credential=SOURCEKEY/"));
        assert_no_secrets(&format!("{provider:?}"));

        #[derive(Debug)]
        struct Nothing;
        impl ProvideCredentials for Nothing {
            fn provide_credentials<'a>(
                &'a self,
                _: &'a ProviderContext,
            ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
                Box::pin(async {
                    Err(CredentialsError::not_loaded(
                        "environment",
                        "AWS_ACCESS_KEY_ID is not set",
                    ))
                })
            }
        }
        let provider = AssumeRoleProvider::new(request(), Arc::new(Nothing), client("eu-west-1"));
        let error = pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            error.to_string(),
            format!("environment: the source credentials to assume role {ROLE}: AWS_ACCESS_KEY_ID is not set")
        );
        assert_eq!(stub.requests().len(), 1);
    }

    #[test]
    fn errors_and_debug_never_show_secrets() {
        let stub = StubTransport::new(|_| response(403, &error_body("AccessDenied", "no", Some("r"))));
        let provider = AssumeRoleProvider::new(request(), Arc::new(source()), client("eu-west-1"));
        let error = pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap_err();
        assert_no_secrets(&error.to_string());
        assert_no_secrets(&format!("{error:?}"));
        assert_no_secrets(&format!("{provider:?}"));
        let stub = StubTransport::new(|_| ok("AssumeRole"));
        let creds = pollster::block_on(provider.provide_credentials(&ctx(&stub))).unwrap();
        assert_no_secrets(&format!("{creds:?}"));
    }
}
