//! The `Config` a test wants: a region, fixed fake credentials, and retries that wait milliseconds, not seconds.
//! Generated crates re-export the runtime's `Config`, so this serves the ECS crate and the golden crates alike.

use std::time::Duration;

use awsgen_runtime::config::{Config, ConfigBuilder, Credentials};
use awsgen_runtime::retry::RetryConfig;

/// The fake access key every test config signs with (AWS's documentation example).
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// The fake secret key that goes with [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The region of [`config`].
pub const REGION: &str = "us-east-1";

/// The default retry settings (standard mode, three attempts) with backoff of 1 to 5 ms.
pub fn retry_config() -> RetryConfig {
    RetryConfig::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// A config builder with [`REGION`], the fake credentials and [`retry_config`]; tests add a transport or an
/// endpoint (and override anything else) before `build()`.
pub fn config() -> ConfigBuilder {
    Config::builder()
        .region(REGION)
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None))
        .retry_config(retry_config())
}
