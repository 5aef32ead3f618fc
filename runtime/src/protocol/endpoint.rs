//! Where a call goes: the endpoint a user configured, else the one the service's endpoint rules give for the
//! configuration (region, FIPS, dual-stack) and the operation's input, else (for a model without rules) the
//! regional `https://{prefix}.{region}.amazonaws.com`.

use super::{OperationInput, ServiceMetadata};
use crate::config::Config;
use crate::endpoint::{ParamValue, Params, RuleSet};
use crate::error::ConstructionError;

/// Where a request goes and how it is signed there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// The base URL; the request's path is appended to its path.
    pub url: String,
    /// Headers the endpoint rules add to every request sent there.
    pub headers: Vec<(String, String)>,
    /// The SigV4 scope the rules give for this endpoint, where they give one (else the service's signing name
    /// and the configured region).
    pub signing: SigningScope,
}

/// A signing name and region that override the service's and the configuration's for one request; carried
/// from [`build_request`](super::build_request) to the signer in the request's extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SigningScope {
    /// The SigV4 service name to sign with (`signingName`).
    pub name: Option<String>,
    /// The SigV4 region to sign with (`signingRegion`).
    pub region: Option<String>,
}

/// The endpoint for a call of an operation with `input`:
///
/// 1. the `endpoint_url` set on the builder or loader ([`Config::endpoint_url`]);
/// 2. for a configuration made by [`Config::loader`], from the environment it was loaded from:
///    `AWS_ENDPOINT_URL_<SERVICE>`, where `<SERVICE>` is the service id uppercased with spaces and
///    dashes turned into `_` (`AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`), then
///    `AWS_ENDPOINT_URL`, then the profile's `endpoint_url` (all skipped when
///    `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`); these must be absolute URLs.
///
/// For a service with endpoint rules ([`ServiceMetadata::endpoint_rules`]), that URL is the rules' `Endpoint`
/// parameter, beside `Region`, `UseFIPS` ([`Config::use_fips`]), `UseDualStack` ([`Config::use_dual_stack`]),
/// `AccountIdEndpointMode` (the built-ins, [`EndpointBuiltIns::from_config`] mapped by [`endpoint_params`]) and the
/// operation's own parameters ([`OperationInput::endpoint_params`]); the rules decide, and an error rule's message (FIPS with a custom
/// endpoint, say) is the call's [`ConstructionError::endpoint_error`]. A service without rules uses the
/// configured URL, else `https://{endpoint_prefix}.{region}.amazonaws.com` (`.amazonaws.com.cn` in China
/// regions).
///
/// A [`Config::builder`] configuration reads no environment.
pub fn resolve_endpoint<I: OperationInput + ?Sized>(
    service: &ServiceMetadata,
    config: &Config,
    input: &I,
) -> Result<ResolvedEndpoint, ConstructionError> {
    resolve(service, config, &|params| input.endpoint_params(params))
}

/// [`resolve_endpoint`] with the input's parameters set by `bind_input`: compiled once, not once per
/// operation's input type.
fn resolve(
    service: &ServiceMetadata,
    config: &Config,
    bind_input: &dyn Fn(&mut Params),
) -> Result<ResolvedEndpoint, ConstructionError> {
    let built_ins = EndpointBuiltIns::from_config(service, config)?;
    let (configured, region) = (&built_ins.endpoint, built_ins.region.as_deref());
    // The region becomes part of a hostname unless an endpoint is configured: anything but a region name would
    // send the request, and its signature, elsewhere.
    if let (None, Some(region)) = (configured, region) {
        check_region(region).map_err(ConstructionError::configuration)?;
    }
    let Some(rules) = service.endpoint_rules else {
        // Without rules there is no FIPS or dual-stack endpoint to go to: sending to the plain one instead would
        // silently break the rule a user set FIPS for.
        for (set, setting) in [
            (built_ins.use_fips, "use_fips"),
            (built_ins.use_dual_stack, "use_dual_stack"),
        ] {
            if set {
                return Err(ConstructionError::configuration(format!(
                    "`{setting}` is set, but this crate was generated without the service's endpoint rules \
                     (endpoint-rule-set-1.json beside the model), so it cannot find such an endpoint; set the \
                     endpoint with `endpoint_url`, or regenerate with the rules"
                )));
            }
        }
        let url = match configured {
            Some(url) => url.clone(),
            None => ConfiguredEndpoints::regional(service.endpoint_prefix, region.ok_or_else(no_region)?)
                .map_err(ConstructionError::configuration)?,
        };
        return Ok(ResolvedEndpoint {
            url,
            headers: Vec::new(),
            signing: SigningScope::default(),
        });
    };
    if configured.is_none() && region.is_none() {
        return Err(no_region());
    }
    let rule_set = rules.rule_set().map_err(ConstructionError::endpoint)?;
    let mut params = endpoint_params(rule_set, &built_ins);
    bind_input(&mut params);
    let endpoint = rules.resolve(&params).map_err(ConstructionError::endpoint)?;
    let (name, signing_region) = endpoint.sigv4_signing().map_err(|schemes| {
        ConstructionError::configuration(format!(
            "the endpoint `{}` accepts only the auth schemes {schemes:?}, and this client signs with SigV4 alone",
            endpoint.url
        ))
    })?;
    Ok(ResolvedEndpoint {
        signing: SigningScope {
            name: name.map(str::to_owned),
            region: signing_region.map(str::to_owned),
        },
        headers: endpoint
            .headers
            .iter()
            .flat_map(|(name, values)| values.iter().map(move |value| (name.clone(), value.clone())))
            .collect(),
        url: endpoint.url,
    })
}

/// The values a client gives the rule sets' built-in parameters, taken from its configuration
/// ([`EndpointBuiltIns::from_config`]); [`endpoint_params`] maps them onto a rule set's parameters. Clients and
/// `cargo xtask endpoint-tests` (which fills it from the test cases' `builtInParams`) share that one mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointBuiltIns {
    /// `AWS::Region`: [`Config::region`].
    pub region: Option<String>,
    /// `AWS::UseFIPS`: [`Config::use_fips`].
    pub use_fips: bool,
    /// `AWS::UseDualStack`: [`Config::use_dual_stack`].
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: the endpoint configured for the service (see [`resolve_endpoint`]).
    pub endpoint: Option<String>,
    /// `AWS::Auth::AccountIdEndpointMode`: [`Config::account_id_endpoint_mode`].
    pub account_id_endpoint_mode: Option<String>,
}

impl EndpointBuiltIns {
    /// The built-ins of a call to `service` with `config`; an error if the endpoint configured in the
    /// environment is not an absolute URL.
    pub fn from_config(service: &ServiceMetadata, config: &Config) -> Result<Self, ConstructionError> {
        Ok(Self {
            endpoint: configured_endpoint(service, config)?,
            region: config.region().map(str::to_owned),
            use_fips: config.use_fips(),
            use_dual_stack: config.use_dual_stack(),
            account_id_endpoint_mode: config.account_id_endpoint_mode().map(str::to_owned),
        })
    }
}

/// The parameters of `rule_set` that name a built-in (`builtIn`), set from `built_ins`: `AWS::Region`,
/// `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint` and `AWS::Auth::AccountIdEndpointMode` (the flags always,
/// the others when set). Other built-ins stay unset: `AWS::Auth::AccountId` would need the credentials, which are
/// resolved after the endpoint; unset, the rules that use it fall back to the regional endpoint (in the default
/// `preferred` mode). The operation's own parameters ([`OperationInput::endpoint_params`]) go on top.
pub fn endpoint_params(rule_set: &RuleSet, built_ins: &EndpointBuiltIns) -> Params {
    let mut params = Params::new();
    for (name, built_in) in rule_set.parameters() {
        let value = match built_in {
            Some("AWS::Region") => built_ins.region.clone().map(ParamValue::String),
            Some("AWS::UseFIPS") => Some(ParamValue::Bool(built_ins.use_fips)),
            Some("AWS::UseDualStack") => Some(ParamValue::Bool(built_ins.use_dual_stack)),
            Some("SDK::Endpoint") => built_ins.endpoint.clone().map(ParamValue::String),
            Some("AWS::Auth::AccountIdEndpointMode") => {
                built_ins.account_id_endpoint_mode.clone().map(ParamValue::String)
            }
            _ => None,
        };
        if let Some(value) = value {
            params.set(name, value);
        }
    }
    params
}

/// The URL the user configured for this service, if any: set on the builder, else found by the loader.
fn configured_endpoint(service: &ServiceMetadata, config: &Config) -> Result<Option<String>, ConstructionError> {
    if let Some(url) = config.endpoint_url() {
        return Ok(Some(url.to_owned()));
    }
    match config.configured_endpoints() {
        Some(endpoints) => endpoints
            .find(service.service_id)
            .map_err(ConstructionError::configuration),
        None => Ok(None),
    }
}

/// A region can become part of a hostname only if it is a region name.
fn check_region(region: &str) -> Result<(), String> {
    if crate::config::is_valid_region(region) {
        Ok(())
    } else {
        Err(format!(
            "region `{region}` is not a valid region name (lowercase letters, digits and `-`)"
        ))
    }
}

fn no_region() -> ConstructionError {
    ConstructionError::configuration(
        "no region is set: call `Config::builder().region(\"us-east-1\")` (or set \
         `endpoint_url`), or load the configuration with `Config::from_env()`",
    )
}

/// The endpoints a loaded configuration's environment sets, for any service (operations' and the credential
/// providers' STS, SSO and SSO-OIDC calls alike): `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
/// profile's `endpoint_url`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) is `true`.
#[derive(Clone, Debug, Default)]
pub struct ConfiguredEndpoints {
    pub(crate) env: crate::config::Env,
    /// `endpoint_url` of the profile, and where it was found.
    pub(crate) profile_endpoint_url: Option<(String, String)>,
    pub(crate) ignore: bool,
}

impl ConfiguredEndpoints {
    /// The endpoint configured for the service with this id (`ECS`, `STS`, `SSO OIDC`), if any; an error
    /// (naming where it came from) if it is not an absolute URL.
    pub fn find(&self, service_id: &str) -> Result<Option<String>, String> {
        if self.ignore {
            return Ok(None);
        }
        let service_var = format!(
            "AWS_ENDPOINT_URL_{}",
            service_id.to_ascii_uppercase().replace([' ', '-'], "_")
        );
        let configured = self
            .env
            .get(&service_var)
            .map(|url| (url, service_var.as_str()))
            .or_else(|| self.env.get("AWS_ENDPOINT_URL").map(|url| (url, "AWS_ENDPOINT_URL")))
            .or_else(|| {
                let (url, source) = self.profile_endpoint_url.as_ref()?;
                Some((url.as_str(), source.as_str()))
            });
        let Some((url, source)) = configured else {
            return Ok(None);
        };
        let absolute = url
            .parse::<http::Uri>()
            .is_ok_and(|uri| uri.scheme().is_some() && uri.authority().is_some());
        if !absolute {
            return Err(format!(
                "the endpoint `{url}` from {source} is not an absolute URL such as `http://localhost:4566`"
            ));
        }
        Ok(Some(url.to_owned()))
    }

    /// `https://{prefix}.{region}.amazonaws.com` (`.amazonaws.com.cn` in China regions): the regional endpoint.
    /// The region becomes part of a hostname, so anything but a region name (`[a-z0-9-]+`) is refused: it would
    /// send the request, and its signature, elsewhere.
    pub fn regional(prefix: &str, region: &str) -> Result<String, String> {
        check_region(region)?;
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        Ok(format!("https://{prefix}.{region}.{suffix}"))
    }

    /// The endpoint configured for `service_id`, else the regional one of `prefix` in `region`.
    pub fn resolve(&self, service_id: &str, prefix: &str, region: &str) -> Result<String, String> {
        match self.find(service_id)? {
            Some(configured) => Ok(configured),
            None => Self::regional(prefix, region),
        }
    }
}
