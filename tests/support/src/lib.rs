//! What awsgen's tests share instead of rebuilding by hand (dev-only; never a dependency of a published crate).
//!
//! - [`server`]: a scripted HTTP/1.1 server on 127.0.0.1, plain or TLS. A handler (or a script) answers each
//!   request with a [`Reply`]: a response, or a fault (close, reset, silence, delay, a stalled, short, raw or
//!   streamed body). Every request is recorded with its method, path, headers, body and connection number.
//!   Used by the runtime's unit tests (the credential providers through the real transport), by
//!   `runtime/tests/https_transports.rs` and by `tests/faults`.
//! - `config` (feature `config`): the test `Config` of `awsgen_runtime::config`, with fake credentials
//!   and retries that back off for milliseconds, for the tests of generated crates.
//!
//! # Why the runtime is behind a feature
//!
//! `awsgen-runtime` has this crate as a dev-dependency, for its unit tests. Cargo allows that cycle, but a unit
//! test binary would then link a second, separately compiled copy of the runtime through this crate, whose
//! types are not the ones under test. The server needs nothing from the runtime, so the runtime is an optional
//! dependency enabled only by the `config` feature, which the runtime does not ask for: `cargo test -p
//! awsgen-runtime` builds no second copy. (In a whole-workspace build, Cargo unifies features and the second
//! copy is linked but unused, which is harmless.)

pub mod server;

#[cfg(feature = "config")]
pub mod config;

#[cfg(feature = "config")]
pub use config::{config, retry_config, ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
pub use server::{refused_url, Framing, Received, Reply, Server};
