//! `credential_process`: a command that prints credentials as JSON.
//!
//! The command runs through the shell (`sh -c`, on Windows `cmd.exe /C`), as in the AWS SDKs, on a thread of
//! its own: waiting for it never blocks the executor that polls the future. Its standard output must be
//!
//! ```json
//! {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...", "SessionToken": "...", "Expiration": "2024-05-02T18:36:00Z"}
//! ```
//!
//! with `SessionToken` and `Expiration` (RFC 3339) optional; credentials with an `Expiration` are fetched again
//! by the [`CredentialsCache`](super::CredentialsCache) before they expire, by running the command again.

use std::fmt;
use std::process::Command;
use std::time::SystemTime;

use serde_json::Value;

use super::{json_field, json_string, parse_rfc3339};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials, ProviderContext};
use crate::profile::REDACTED;

/// The provider's name in errors.
const PROVIDER: &str = "credential_process";

/// How much of the command's standard error an error message quotes: enough for a tool's explanation, not
/// enough to flood a log.
const MAX_STDERR_CHARS: usize = 1024;

/// Runs the command (through the shell, as the SDKs do) at every fetch.
///
/// `Debug` does not show the command line, which may hold secrets (a token passed as an argument); errors
/// do not quote it either, nor the command's standard output.
pub struct CredentialProcessProvider {
    command: String,
}

impl CredentialProcessProvider {
    /// The profile's `credential_process` command line.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
        }
    }
}

impl fmt::Debug for CredentialProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialProcessProvider")
            .field("command", &REDACTED)
            .finish()
    }
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials<'a>(
        &'a self,
        _ctx: &'a ProviderContext,
    ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
        Box::pin(fetch(shell_command(&self.command)))
    }
}

/// Runs `command` (the shell with the command line, or in tests a program that does not exist) and reads
/// its answer.
async fn fetch(mut command: Command) -> Result<Credentials, CredentialsError> {
    // Dropping the future does not stop the command: like the AWS SDKs, the process is left to finish.
    // `output` gives the command no standard input, so a tool that prompts fails instead of hanging.
    let run = crate::transport::OnThread::new("credential_process", move || command.output());
    let output = run.await.and_then(|output| output).map_err(|e| {
        CredentialsError::provider_error(PROVIDER, format!("the command could not be run: {e}")).with_source(e)
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        let mut message = format!("the command failed ({})", output.status);
        if !stderr.is_empty() {
            message.push_str(": ");
            message.push_str(&truncate(stderr, MAX_STDERR_CHARS));
        }
        return Err(CredentialsError::provider_error(PROVIDER, message));
    }
    parse_output(&output.stdout).map_err(|reason| {
        CredentialsError::provider_error(PROVIDER, format!("the command's output is not usable: {reason}"))
    })
}

/// The command line run by the platform's shell, so quoting, pipes and `~` work as in the AWS CLI.
fn shell_command(command_line: &str) -> Command {
    let (shell, flag) = if cfg!(windows) { ("cmd.exe", "/C") } else { ("sh", "-c") };
    let mut command = Command::new(shell);
    command.arg(flag).arg(command_line);
    command
}

/// The first `max` characters of `text`, with `...` when cut.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}...", text.get(..end).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// Reads the JSON the command printed. The reasons name fields, never values: the output holds secrets.
fn parse_output(stdout: &[u8]) -> Result<Credentials, String> {
    let document: Value = serde_json::from_slice(stdout).map_err(|e| {
        // Only the position: serde_json's message for a value of the wrong type would quote the value.
        format!("it is not JSON (error at line {}, column {})", e.line(), e.column())
    })?;
    let Value::Object(fields) = document else {
        return Err("it is not a JSON object".to_owned());
    };
    match json_field(&fields, "Version") {
        Some(Value::Number(version)) if version.as_u64() == Some(1) => {}
        // The version is not a secret, and naming it tells which format the command speaks.
        Some(Value::Number(version)) => {
            return Err(format!("`Version` {version} is not supported (only 1 is)"));
        }
        Some(Value::String(version)) => {
            return Err(format!(
                "`Version` \"{}\" is not supported (only 1 is)",
                truncate(version, 16)
            ));
        }
        Some(_) => return Err("`Version` is not a number (only 1 is supported)".to_owned()),
        None => return Err("`Version` is missing (it must be 1)".to_owned()),
    }
    let access_key_id = json_string(&fields, "AccessKeyId")?.ok_or("`AccessKeyId` is missing")?;
    let secret_access_key = json_string(&fields, "SecretAccessKey")?.ok_or("`SecretAccessKey` is missing")?;
    let session_token = json_string(&fields, "SessionToken")?;
    let credentials = Credentials::new(access_key_id, secret_access_key, session_token);
    match json_string(&fields, "Expiration")? {
        Some(expiration) => Ok(credentials.with_expiry(parse_expiration(&expiration)?)),
        None => Ok(credentials),
    }
}

fn parse_expiration(expiration: &str) -> Result<SystemTime, String> {
    parse_rfc3339(expiration).ok_or_else(|| {
        format!(
            "`Expiration` `{}` is not an RFC 3339 date-time",
            truncate(expiration, 40)
        )
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use crate::datetime::{DateTime, Format};
    use crate::transport::{block_on, StubTransport};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;
    use std::task::{Context, Poll, Waker};
    use std::time::{Duration, Instant};

    fn ctx() -> ProviderContext {
        ProviderContext::new(Arc::new(StubTransport::json(500, "{}")))
    }

    fn run(command: &str) -> Result<Credentials, CredentialsError> {
        block_on(CredentialProcessProvider::new(command).provide_credentials(&ctx()))
    }

    #[test]
    fn reads_credentials_and_their_expiry() {
        let creds = run(
            r#"printf '%s' '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "procsecret", "SessionToken": "proctoken", "Expiration": "2030-05-02T18:36:00+02:00"}'"#,
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "ASIAPROC");
        assert_eq!(creds.secret_access_key(), "procsecret");
        assert_eq!(creds.session_token(), Some("proctoken"));
        let expected = SystemTime::try_from(DateTime::from_str("2030-05-02T16:36:00Z", Format::DateTime).unwrap());
        assert_eq!(creds.expiry(), Some(expected.unwrap()));
    }

    #[test]
    fn long_term_credentials_have_no_expiry() {
        let creds =
            run(r#"echo '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "procsecret"}'"#).unwrap();
        assert_eq!(creds.session_token(), None);
        assert_eq!(creds.expiry(), None);
    }

    #[test]
    fn runs_a_script_through_the_shell() {
        let dir = std::env::temp_dir().join(format!("awsgen-credential-process-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("creds.sh");
        std::fs::write(
            &script,
            "#!/bin/sh\necho \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"$1\\\", \\\"SecretAccessKey\\\": \\\"s\\\"}\"\n",
        )
        .unwrap();
        let creds = run(&format!("sh '{}' AKIAARG", script.display()));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(creds.unwrap().access_key_id(), "AKIAARG");
    }

    #[test]
    fn version_2_is_refused_by_name() {
        let error =
            run(r#"echo '{"Version": 2, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "procsecret"}'"#).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(error.provider(), "credential_process");
        assert!(error.message().contains("`Version` 2 is not supported"), "{error}");
        assert!(!error.to_string().contains("procsecret"), "{error}");
        let missing = run(r#"echo '{"AccessKeyId": "AKIAPROC", "SecretAccessKey": "procsecret"}'"#).unwrap_err();
        assert!(missing.message().contains("`Version` is missing"), "{missing}");
    }

    #[test]
    fn a_failing_command_reports_its_status_and_stderr() {
        let error = run("echo '  token expired, log in again  ' >&2; exit 1").unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(
            error.to_string(),
            "credential_process: the command failed (exit status: 1): token expired, log in again"
        );
        let long = run("head -c 5000 /dev/zero | tr '\\0' x >&2; exit 3").unwrap_err();
        assert!(long.message().contains("(exit status: 3)"), "{long}");
        assert!(long.message().ends_with(&format!("{}...", "x".repeat(10))), "{long}");
        assert!(long.message().len() < MAX_STDERR_CHARS + 100, "{long}");
    }

    #[test]
    fn a_missing_command_is_reported() {
        let error = run("awsgen-no-such-credential-tool --profile x").unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert!(error.message().contains("exit status: 127"), "{error}");
        assert!(error.message().contains("not found"), "{error}");
    }

    #[test]
    fn a_command_that_cannot_start_gives_the_os_error() {
        let error = block_on(fetch(Command::new("/nonexistent/awsgen-shell"))).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert!(
            error
                .message()
                .starts_with("the command could not be run: No such file or directory"),
            "{error}"
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn output_that_is_not_the_expected_json_is_not_quoted() {
        let garbage = run("echo 'AKIALEAK wJalrXUtnFEMI-secret'").unwrap_err();
        assert_eq!(garbage.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(
            garbage.message(),
            "the command's output is not usable: it is not JSON (error at line 1, column 1)"
        );
        let wrong_type =
            run(r#"echo '{"Version": 1, "AccessKeyId": "AKIALEAK", "SecretAccessKey": 12345678}'"#).unwrap_err();
        assert_eq!(
            wrong_type.message(),
            "the command's output is not usable: `SecretAccessKey` is not a string"
        );
        let bad_expiry =
            run(r#"echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "wJalr", "Expiration": "soon"}'"#)
                .unwrap_err();
        assert!(
            bad_expiry.message().contains("`Expiration` `soon` is not an RFC 3339"),
            "{bad_expiry}"
        );
        for error in [garbage, wrong_type, bad_expiry] {
            let shown = format!("{error} {error:?}");
            assert!(
                !shown.contains("AKIALEAK") && !shown.contains("wJalr") && !shown.contains("12345678"),
                "{shown}"
            );
        }
    }

    #[test]
    fn debug_hides_the_command_line() {
        let provider = CredentialProcessProvider::new("vault-creds --token hunter2");
        let shown = format!("{provider:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(shown, "CredentialProcessProvider { command: \"** redacted **\" }");
    }

    #[test]
    fn waiting_for_the_command_does_not_block_the_polling_thread() {
        struct CountWakes(AtomicUsize);
        impl Wake for CountWakes {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let provider = CredentialProcessProvider::new(
            r#"sleep 1; echo '{"Version": 1, "AccessKeyId": "AKIASLOW", "SecretAccessKey": "s"}'"#,
        );
        let ctx = ctx();
        let mut future = provider.provide_credentials(&ctx);
        let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&wakes));
        let started = Instant::now();
        assert!(future.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
        // The waker is called once the command is done, and the next poll has the answer.
        while wakes.0.load(Ordering::SeqCst) == 0 {
            assert!(started.elapsed() < Duration::from_secs(30), "never woken");
            std::thread::sleep(Duration::from_millis(10));
        }
        match future.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(creds) => assert_eq!(creds.unwrap().access_key_id(), "AKIASLOW"),
            Poll::Pending => panic!("woken but not ready"),
        }
    }
}
