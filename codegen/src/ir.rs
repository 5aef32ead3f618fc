//! The intermediate representation: what every front-end lowers to and the only thing emitters read.
//!
//! Shapes live in an arena addressed by [`ShapeId`], so forward and cyclic references are plain indices.
//! Names are decided once, by [`crate::naming`], and stored here beside the wire names.

/// Index of a shape in [`Service::shapes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(pub usize);

/// A service, or the subset of one that the chosen operations reach.
#[derive(Clone, Debug)]
pub struct Service {
    pub metadata: ServiceMetadata,
    /// Documentation as Markdown (converted from the model's HTML at lowering).
    pub docs: Option<String>,
    pub shapes: Vec<Shape>,
    pub operations: Vec<Operation>,
    /// The endpoint rule set and partition table, when the model has them.
    pub endpoint_rules: Option<EndpointRules>,
    /// Waiters (botocore's `waiters-2.json`, Smithy's `smithy.waiters#waitable`), sorted by name.
    pub waiters: Vec<Waiter>,
}

/// How to page through an operation's results (botocore's `paginators-1.json`, Smithy's `@paginated` with the
/// service's defaults). Paths are member wire names from the input or output structure down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paginator {
    /// The input member that takes the token (`nextToken`).
    pub input_token: String,
    /// Where the next token is in the output (`["nextToken"]`; nested tokens have several names). A step spelled
    /// `Shards[-1]` takes the last item of the list `Shards` (Kinesis' `StreamDescription.Shards[-1].ShardId`); see
    /// [`Paginator::step`]. The token is a string, or the same map shape as the input token (DynamoDB's keys).
    pub output_token: Vec<String>,
    /// Where a page says whether more pages follow (a boolean member path; botocore's `more_results`), if the model
    /// names one: a page that says no ends paging whatever its token.
    pub more_results: Option<Vec<String>>,
    /// The input member that limits a page (`maxResults`), if any.
    pub page_size: Option<String>,
    /// Where a page's items are in the output (`["taskDefinitionArns"]`), if the paginator names them.
    pub items: Option<Vec<String>>,
    pub json_path: String,
}

impl Paginator {
    /// A path step's member name, and whether the step then takes the last item of that list (`Shards[-1]`).
    pub fn step(step: &str) -> (&str, bool) {
        match step.strip_suffix("[-1]") {
            Some(member) => (member, true),
            None => (step, false),
        }
    }
}

/// A waiter: poll an operation until an acceptor says success or failure (Smithy's `smithy.waiters#waitable`).
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// As the model names it (`ServicesStable`).
    pub name: String,
    /// The operation it polls (wire name).
    pub operation: String,
    /// Documentation as Markdown.
    pub docs: Option<String>,
    /// Seconds between polls: the first retry waits at least this, later ones back off up to the maximum.
    pub min_delay_secs: u64,
    pub max_delay_secs: u64,
    /// In the model's order; the first that matches decides.
    pub acceptors: Vec<Acceptor>,
    pub deprecated: Option<Deprecation>,
    pub json_path: String,
    /// Names the emitters print, set by `passes::record_symbols` (front-ends leave the default).
    pub symbols: WaiterSymbols,
}

/// The names of a waiter's items, as aws-sdk-rust names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaiterSymbols {
    /// The module under `crate::waiters` (`services_stable`), also its file's stem.
    pub module: String,
    /// The `Waiters` trait's method on the client (`wait_until_services_stable`).
    pub method: String,
    /// The fluent builder (`ServicesStableFluentBuilder`).
    pub fluent_builder: String,
    /// The success type alias (`ServicesStableFinalPoll`).
    pub final_poll: String,
    /// The error type alias (`WaitUntilServicesStableError`).
    pub error: String,
    /// The module's file, relative to the crate root (`src/waiters/services_stable.rs`).
    pub file: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// A JMESPath expression over the output, compared with `expected`.
    Output {
        path: String,
        expected: String,
        comparator: PathComparator,
    },
    /// A JMESPath expression over `{"input": .., "output": ..}`, compared with `expected`.
    InputOutput {
        path: String,
        expected: String,
        comparator: PathComparator,
    },
    /// `true`: the call succeeded; `false`: it failed with any error.
    Success(bool),
    /// The call failed with this error code (shape name).
    ErrorType(String),
    /// botocore's `status` matcher: the response had this HTTP status (no Smithy equivalent).
    Status(u16),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathComparator {
    StringEquals,
    BooleanEquals,
    AllStringEquals,
    AnyStringEquals,
}

/// A service's endpoint rules, as JSON texts the runtime's parser accepted at generation time; the generated
/// crate embeds them and `awsgen_runtime::endpoint` evaluates them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointRules {
    pub rule_set: String,
    pub partitions: String,
    /// The parameters the rule set declares, in its order: an operation binds only these.
    pub parameters: Vec<String>,
}

/// An endpoint-rule parameter an operation binds: to a constant (`staticContextParams`), or to an input member
/// (`contextParam`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointParam {
    /// The rule set's parameter name (`StreamARN`).
    pub name: String,
    pub value: EndpointParamValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointParamValue {
    String(String),
    Bool(bool),
    /// The value of the input member with this wire name (a string or boolean), when set.
    Member(String),
}

impl Service {
    /// The shape `id` names. Ids are minted by lowering for this arena (and remapped with it by the subset
    /// pass), so every id in a `Service` indexes it; an `Option` here would put an unreachable error on every
    /// emitter's path.
    #[allow(clippy::indexing_slicing)]
    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id.0]
    }

    /// The shape `id` names, for code that reports a broken id instead of relying on [`Service::shape`]'s
    /// invariant.
    pub fn get_shape(&self, id: ShapeId) -> Option<&Shape> {
        self.shapes.get(id.0)
    }
}

/// Protocol facts the client needs on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceMetadata {
    /// `1.0` or `1.1`: the awsJson version, used in `Content-Type`.
    pub json_version: String,
    /// Prefix of `X-Amz-Target`.
    pub target_prefix: String,
    pub endpoint_prefix: String,
    pub signing_name: String,
    pub service_id: String,
    pub service_full_name: String,
    pub api_version: String,
    /// The service moved from awsQuery to awsJson (`awsQueryCompatible`): requests say `x-amzn-query-mode`
    /// and errors may carry their old awsQuery code in `x-amzn-query-error`.
    pub query_compatible: bool,
}

#[derive(Clone, Debug)]
pub struct Operation {
    /// Name on the wire (`DescribeTaskSets`), used in `X-Amz-Target`.
    pub wire_name: String,
    /// Module and method name (`describe_task_sets`).
    pub rust_name: String,
    /// The synthetic input shape (always present: an operation without input gets an empty one).
    pub input: ShapeId,
    /// The synthetic output shape (always present, as for input).
    pub output: ShapeId,
    /// Modelled errors, in model order.
    pub errors: Vec<ShapeId>,
    /// Documentation as Markdown (converted from the model's HTML at lowering).
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// The endpoint trait's `hostPrefix` (`data-`, `{AccountId}.`): prepended to the endpoint's host, each
    /// `{label}` replaced by the input member of that name (checked at lowering to be a `hostLabel` string; see
    /// [`host_prefix_parts`]).
    pub host_prefix: Option<String>,
    /// Encodings the request body may be compressed with (`requestcompression`), in the model's order of
    /// preference.
    pub request_compression: Vec<String>,
    /// The endpoint-rule parameters the operation binds (only those its service's rule set declares).
    pub endpoint_params: Vec<EndpointParam>,
    /// How to page through the operation's results, if it is paginated.
    pub paginator: Option<Paginator>,
    /// One per [`Operation::errors`] entry, in the same order: the error codes (`__type`) that select it, set
    /// by `passes::decide_wire_facts`.
    pub error_codes: Vec<Vec<String>>,
    /// The names of the operation's own items, set by the symbols pass.
    pub symbols: OperationSymbols,
    pub json_path: String,
}

/// Names of an operation's items besides its input and output (whose names are theirs, as shapes), decided by
/// `passes::record_symbols`. Every name is a checked identifier ([`crate::naming::is_identifier`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperationSymbols {
    /// The error enum (`DescribeTaskSetsError`), in the operation's module.
    pub error_enum: String,
    /// The fluent builder (`DescribeTaskSetsFluentBuilder`), in the operation's `builders` module.
    pub fluent_builder: String,
    /// The operation's module path (`["crate", "operation", "describe_task_sets"]`).
    pub module_path: Vec<String>,
    /// The operation's file, relative to the crate root (`src/operation/describe_task_sets.rs`).
    pub file: String,
    /// One per [`Operation::errors`] entry, in the same order: the error enum's variant for it.
    pub error_variants: Vec<ErrorVariant>,
    /// The paginator (`ListTaskDefinitionsPaginator`) and its flattening wrapper
    /// (`ListTaskDefinitionsPaginatorItems`), in the operation's `paginator` module; set for every operation,
    /// used for those with [`Operation::paginator`].
    pub paginator: String,
    pub paginator_items: String,
}

/// A variant of an operation's error enum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorVariant {
    /// The variant (the exception's type name, clear of `Unhandled`).
    pub name: String,
    /// Its `is_` helper (`is_cluster_not_found_exception`).
    pub is_helper: String,
}

/// One piece of a host prefix: literal text, or a `{label}` naming an input member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostPrefixPart<'a> {
    Text(&'a str),
    Label(&'a str),
}

/// Splits a host prefix (`{AccountId}.data-`) into text and labels; `None` if a `{` is never closed.
pub fn host_prefix_parts(template: &str) -> Option<Vec<HostPrefixPart<'_>>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some((text, after)) = rest.split_once('{') {
        let (label, after) = after.split_once('}')?;
        if !text.is_empty() {
            parts.push(HostPrefixPart::Text(text));
        }
        parts.push(HostPrefixPart::Label(label));
        rest = after;
    }
    if !rest.is_empty() {
        parts.push(HostPrefixPart::Text(rest));
    }
    Some(parts)
}

/// Where a shape's Rust type lives in the generated crate.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// `crate::types`
    Types,
    /// `crate::types::error` (exceptions)
    Errors,
    /// `crate::operation::<module>` (synthetic inputs and outputs)
    Operation(String),
}

#[derive(Clone, Debug)]
pub struct Shape {
    /// Name in the model (`TaskSet`).
    pub wire_name: String,
    /// Rust type name, unique within its [`Location`].
    pub rust_name: String,
    pub location: Location,
    pub kind: ShapeKind,
    /// Documentation as Markdown (converted from the model's HTML at lowering).
    pub docs: Option<String>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    /// Set by the validation pass: values of this shape, sent in some input, can break a model constraint.
    pub validated: bool,
    /// Set by the wire-facts pass: values of this shape arrive in some operation's output or error, so a named
    /// type gets a `wire::Decode` implementation.
    pub decoded: bool,
    /// Where the type lives and its builder's name, set by the symbols pass for named types.
    pub symbols: ShapeSymbols,
    /// JSON pointer of the shape in the model, for diagnostics raised after lowering.
    pub json_path: String,
}

/// Where a named type (structure, union, enum) lives and the names derived from its own, decided by
/// `passes::record_symbols`; empty for the inline shapes (strings, lists, numbers, ...). Every name is a checked
/// identifier ([`crate::naming::is_identifier`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShapeSymbols {
    /// The public module of the type (`["crate", "types"]`, `["crate", "types", "error"]`,
    /// `["crate", "operation", "describe_task_sets"]`); its builder is in `<module>::builders`.
    pub module_path: Vec<String>,
    /// The private module holding a type of `types` or `types::error` (`_task_set`); `None` for an operation's
    /// input and output, which live in the operation's module itself.
    pub private_module: Option<String>,
    /// The file holding the type, relative to the crate root (`src/types/_task_set.rs`,
    /// `src/operation/describe_task_sets.rs`).
    pub file: String,
    /// A structure's builder (`TaskSetBuilder`); empty for unions and enums.
    pub builder: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deprecation {
    /// The reason, as Markdown.
    pub message: Option<String>,
}

#[derive(Clone, Debug)]
pub enum ShapeKind {
    Structure(Structure),
    /// Exactly one member is set.
    Union(Structure),
    List {
        member: ShapeId,
        length: Range,
    },
    Map {
        key: ShapeId,
        value: ShapeId,
        length: Range,
    },
    String {
        length: Range,
        pattern: Option<String>,
        json_value: bool,
    },
    Enum {
        values: Vec<EnumValue>,
        length: Range,
    },
    Integer {
        range: Range,
    },
    Long {
        range: Range,
    },
    Float {
        range: Range,
    },
    Double {
        range: Range,
    },
    Boolean,
    Blob {
        length: Range,
    },
    Timestamp {
        format: Option<TimestampFormat>,
    },
    /// Any JSON value.
    Document,
}

impl ShapeKind {
    /// True for the scalar kinds that get a zero default when not nullable.
    pub fn is_number_or_bool(&self) -> bool {
        matches!(
            self,
            ShapeKind::Integer { .. }
                | ShapeKind::Long { .. }
                | ShapeKind::Float { .. }
                | ShapeKind::Double { .. }
                | ShapeKind::Boolean
        )
    }
}

/// Inclusive bounds of a `min`/`max` constraint; meaning depends on the kind (length, count or value).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Range {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Range {
    pub fn is_constrained(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    Iso8601,
    Rfc822,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// The value on the wire (`FARGATE_SPOT`).
    pub wire: String,
    /// The variant name (`FargateSpot`).
    pub rust_name: String,
}

#[derive(Clone, Debug, Default)]
pub struct Structure {
    pub members: Vec<Member>,
    /// Set when the structure is an exception.
    pub error: Option<ErrorTrait>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorTrait {
    /// The code that identifies this error on the wire (the shape name unless the model overrides it).
    pub code: String,
    /// True for server faults (`fault: true`), false for client errors.
    pub server_fault: bool,
    /// Index of the string member that carries the error message (set by a pass; `None` only when a model
    /// gives `message` a non-string type).
    pub message_member: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Member {
    pub wire_name: String,
    /// Field and accessor name (`task_sets`, `r#type`).
    pub rust_name: String,
    pub target: ShapeId,
    pub required: bool,
    /// False for numbers and booleans that the model gives a default (botocore: not `box`).
    pub nullable: bool,
    /// Set by the recursion pass where the field must be `Box`ed to give the type a finite size.
    pub boxed: bool,
    pub sensitive: bool,
    /// Documentation as Markdown (converted from the model's HTML at lowering).
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// A member-level `timestampFormat`, overriding the target's.
    pub timestamp_format: Option<TimestampFormat>,
    /// How the value is spelled on the wire where serde's encoding of its Rust type is not awsJson's, set by
    /// `passes::decide_wire_facts`.
    pub wire_encoding: WireEncoding,
    /// The value is a label of this operation input's host prefix, so it is required and must be a valid DNS
    /// label (set by a pass from [`Operation::host_prefix`]; the model's `hostLabel` alone does not set it).
    pub host_label: bool,
    /// `idempotencyToken`: the client fills it with a fresh UUID when unset (so it is never `required`).
    pub idempotency_token: bool,
    /// The model's default where it is not the zero value a non-[`nullable`](Member::nullable) number or boolean
    /// already stands for: Smithy's `@default(10)`, `@default(true)`, `@default("ENABLED")`. botocore's JSON
    /// cannot express one, so its lowering leaves this `None`. Accessors return it for an unset member.
    pub default: Option<DefaultValue>,
    /// The names of the member's methods beyond its own, set by the symbols pass.
    pub symbols: MemberSymbols,
    pub json_path: String,
}

/// A member's default value (see [`Member::default`]), of the member's target kind.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    Integer(i64),
    Float(f64),
    /// A string, or an enum's wire value.
    String(String),
}

/// A member's wire encoding beyond its Rust type, decided by `passes::decide_wire_facts` from the member and
/// what it holds (lists and maps carry their elements' encoding).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum WireEncoding {
    /// serde's encoding of the Rust type.
    #[default]
    Plain,
    /// Timestamps in a format other than awsJson's default (epoch seconds): the member's own `timestampFormat`,
    /// else its timestamps'. Written by the runtime's serializer for that format (`timestamp_format::iso8601`,
    /// `rfc822`; `Formatted` in unions).
    Timestamp(TimestampFormat),
    /// Floats or doubles, which awsJson may spell `"NaN"`, `"Infinity"` or `"-Infinity"`: through the runtime's
    /// `float_wire` (`#[serde(with)]`, `Ref`/`Wire` in unions).
    Float,
}

/// Methods named after a member, decided by `passes::record_symbols`: builders' `set_`/`get_` for a structure
/// member, `as_`/`is_` helpers for a union variant (the others are empty). Checked identifiers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberSymbols {
    /// `set_task_sets` (structure members).
    pub setter: String,
    /// `get_task_sets` (structure members).
    pub getter: String,
    /// `as_ipv4` (union variants).
    pub as_variant: String,
    /// `is_ipv4` (union variants).
    pub is_variant: String,
}
