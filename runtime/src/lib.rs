//! Runtime support for the AWS clients that `awsgen` generates.
//!
//! Generated crates depend on this crate alone and reach every item by absolute path
//! (`::awsgen_runtime::...`); the contract is `SPEC.md` next to this crate's manifest.
//! The protocol core is sans-IO: [`protocol`] builds `http` requests and parses `http` responses,
//! and a [`transport::Transport`] moves the bytes.
//!
//! ```
//! use awsgen_runtime::config::{Config, Credentials};
//! use awsgen_runtime::error::{ErrorMetadata, SdkError, Unhandled};
//! use awsgen_runtime::protocol::{
//!     invoke, OperationError, OperationInput, OperationMetadata, OperationOutput, ServiceMetadata,
//! };
//! use awsgen_runtime::transport::StubTransport;
//! use awsgen_runtime::wire::{Decode, DecodeError, Members, Reader};
//!
//! const ECS: ServiceMetadata = ServiceMetadata {
//!     target_prefix: "AmazonEC2ContainerServiceV20141113",
//!     json_version: "1.1",
//!     endpoint_prefix: "ecs",
//!     signing_name: "ecs",
//!     service_id: "ECS",
//!     api_version: "2014-11-13",
//!     query_compatible: false,
//!     endpoint_rules: None,
//! };
//!
//! // Generated code emits one of each per operation.
//! #[derive(serde::Serialize)]
//! struct DescribeInput {
//!     cluster: String,
//! }
//! // No idempotency token, no host labels: the default methods.
//! impl OperationInput for DescribeInput {}
//! #[derive(Default)]
//! struct DescribeOutput {
//!     task_sets: Option<Vec<String>>,
//! }
//! impl Decode for DescribeOutput {
//!     fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
//!         let mut out = Self::default();
//!         let mut members = Members::begin(reader, "DescribeOutput", &["taskSets"])?;
//!         while let Some(name) = members.next(reader)? {
//!             match &*name {
//!                 "taskSets" => out.task_sets = members.value(reader, 0)?,
//!                 _ => members.skip(reader)?,
//!             }
//!         }
//!         Ok(out)
//!     }
//! }
//! impl OperationOutput for DescribeOutput {
//!     fn set_request_id(&mut self, _request_id: Option<String>) {}
//! }
//! #[derive(Debug)]
//! struct DescribeError(Unhandled);
//! impl OperationError for DescribeError {
//!     fn from_response(meta: &ErrorMetadata, _body: &[u8]) -> Result<Self, DecodeError> {
//!         Ok(Self(Unhandled::new(meta.clone())))
//!     }
//! }
//!
//! let stub = StubTransport::json(200, r#"{"taskSets": []}"#);
//! let config = Config::builder()
//!     .region("us-east-1")
//!     .credentials(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
//!     .transport(stub.clone())
//!     .build();
//! let input = DescribeInput { cluster: "default".to_owned() };
//! let output: Result<DescribeOutput, SdkError<DescribeError>> =
//!     pollster::block_on(invoke(&ECS, &config, &OperationMetadata::named("DescribeTaskSets"), input));
//! assert_eq!(output.unwrap().task_sets, Some(Vec::new()));
//! let sent = &stub.requests()[0];
//! assert_eq!(sent.headers()["x-amz-target"], "AmazonEC2ContainerServiceV20141113.DescribeTaskSets");
//! assert_eq!(sent.uri(), "https://ecs.us-east-1.amazonaws.com/");
//! assert!(sent.headers()["authorization"].to_str().unwrap().starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
//! ```
#![warn(missing_docs)]
// One `unsafe` block in all: SSE2 intrinsics in `wire/string.rs` (a measured 2x on string scanning), which
// are `unsafe fn`s before Rust 1.87; its `SAFETY` comment says why they cannot misbehave.
#![deny(unsafe_code)]
// Responses come from the network, so data-dependent panics are ruled out mechanically.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod blob;
pub mod build_error;
pub mod config;
pub mod credentials;
pub mod datetime;
pub mod document;
pub mod endpoint;
pub mod enum_value;
pub mod error;
pub mod float_wire;
#[cfg(feature = "async-https")]
pub mod https_async;
#[cfg(feature = "blocking-https")]
pub mod https_blocking;
pub mod idempotency;
pub mod paginator;
pub mod profile;
pub mod protocol;
mod region;
pub mod retry;
pub mod sigv4;
pub mod transport;
pub mod validation;
pub mod waiter;
pub mod wire;

pub use http;
pub use serde;
pub use serde_json;

pub use blob::Blob;
pub use datetime::DateTime;
pub use document::Document;
pub use enum_value::UnknownVariantValue;
