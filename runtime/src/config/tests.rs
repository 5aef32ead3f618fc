//! The loader, the builder and the environment, as a program uses them.

use super::*;
use std::error::Error as _;
use std::path::Path;

impl Config {
    fn profile_endpoint_url(&self) -> Option<(&str, &str)> {
        let (url, source) = self.configured_endpoints()?.profile_endpoint_url.as_ref()?;
        Some((url, source))
    }

    fn ignores_configured_endpoint_urls(&self) -> bool {
        self.configured_endpoints().is_some_and(|e| e.ignore)
    }
}

use crate::transport::StubTransport;

const ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI";
const TOKEN: &str = "IQoJb3JpZ2lu";

fn load(env: Env) -> Result<Config, ConfigError> {
    Config::loader().env(env).load()
}

/// IMDS is off in these tests unless a test turns it on: loading must then decide from variables and files.
const NO_IMDS: (&str, &str) = ("AWS_EC2_METADATA_DISABLED", "true");

fn env_creds(extra: &[(&str, &str)]) -> Env {
    let mut pairs = vec![("AWS_ACCESS_KEY_ID", ID), ("AWS_SECRET_ACCESS_KEY", SECRET), NO_IMDS];
    pairs.extend_from_slice(extra);
    Env::from_pairs(&pairs)
}

fn key_id(config: &Config) -> &str {
    config.credentials().unwrap().access_key_id()
}

/// A home directory with these two files (`None`: no such file).
fn home(vars: &[(&str, &str)], credentials: Option<&str>, config: Option<&str>) -> Env {
    let mut pairs = vec![("HOME", "/home/me"), NO_IMDS];
    pairs.extend_from_slice(vars);
    let mut env = Env::from_pairs(&pairs);
    if let Some(text) = credentials {
        env = env.with_file("/home/me/.aws/credentials", text);
    }
    if let Some(text) = config {
        env = env.with_file("/home/me/.aws/config", text);
    }
    env
}

#[test]
fn loader_settings_win_over_env_and_files() {
    let env = home(
        &[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ],
        Some("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = s\n"),
        Some("[default]\nregion = ap-south-1\nendpoint_url = http://profile:1\n"),
    );
    let config = Config::loader()
        .env(env)
        .region("us-east-2")
        .credentials(Credentials::new("MINE", "mysecret", None))
        .endpoint_url("http://localhost:4566")
        .transport(StubTransport::json(200, "{}"))
        .load()
        .unwrap();
    assert_eq!(config.region(), Some("us-east-2"));
    assert_eq!(key_id(&config), "MINE");
    assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
    assert!(config.transport().is_some());
    assert_eq!(config.profile_endpoint_url(), None);
    assert_eq!(config.env().unwrap().get("AWS_REGION"), Some("eu-west-1"));
}

#[test]
fn credentials_from_env_with_and_without_session_token() {
    let config = load(env_creds(&[("AWS_REGION", "us-east-1"), ("AWS_SESSION_TOKEN", TOKEN)])).unwrap();
    let creds = config.credentials().unwrap();
    assert_eq!((creds.access_key_id(), creds.secret_access_key()), (ID, SECRET));
    assert_eq!(creds.session_token(), Some(TOKEN));
    let config = load(env_creds(&[("AWS_REGION", "us-east-1")])).unwrap();
    assert_eq!(config.credentials().unwrap().session_token(), None);
}

#[test]
fn env_credentials_win_over_the_profile() {
    let env = home(
        &[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ],
        Some("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\naws_session_token = t\n"),
        None,
    );
    let config = load(env).unwrap();
    let creds = config.credentials().unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.secret_access_key()),
        ("ENVKEY", "envsecret")
    );
    assert_eq!(
        creds.session_token(),
        None,
        "the token is not taken from another source"
    );
}

#[test]
fn an_incomplete_env_pair_is_an_error_naming_the_missing_variable() {
    let cases = [
        ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY is not"),
        ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID is not"),
    ];
    for (set, missing) in cases {
        // Even with complete credentials in the file: a half-set environment is a mistake to report.
        let env = home(
            &[("AWS_REGION", "us-east-1"), (set, SECRET)],
            Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\n"),
            None,
        );
        let err = load(env).unwrap_err();
        assert_eq!(err.kind(), ConfigErrorKind::IncompleteCredentials);
        let text = err.to_string();
        assert!(text.contains(&format!("environment variable {set} is set")), "{text}");
        assert!(text.contains(missing), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[test]
fn credentials_and_region_from_the_default_profile() {
    let env = home(
        &[],
        Some(&format!(
            "[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
        )),
        Some("[default]\nregion = eu-central-1\n"),
    );
    let config = load(env).unwrap();
    assert_eq!(config.region(), Some("eu-central-1"));
    let creds = config.credentials().unwrap();
    assert_eq!((creds.access_key_id(), creds.secret_access_key()), (ID, SECRET));
    assert_eq!(creds.session_token(), Some(TOKEN));
}

#[test]
fn credentials_file_wins_over_config_file_and_keys_are_not_mixed() {
    let config_file = "[profile dev]\nregion = eu-west-1\naws_access_key_id = CONFIGKEY\n\
                       aws_secret_access_key = configsecret\naws_session_token = configtoken\n";
    let env = home(
        &[("AWS_PROFILE", "dev")],
        Some("[dev]\naws_access_key_id = CREDKEY\naws_secret_access_key = credsecret\n"),
        Some(config_file),
    );
    let config = load(env).unwrap();
    let creds = config.credentials().unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.secret_access_key()),
        ("CREDKEY", "credsecret")
    );
    assert_eq!(creds.session_token(), None);

    // The profile only in the config file: credentials come from there.
    let env = home(&[("AWS_PROFILE", "dev")], Some("[other]\nx = y\n"), Some(config_file));
    let config = load(env).unwrap();
    assert_eq!(key_id(&config), "CONFIGKEY");
    assert_eq!(config.credentials().unwrap().session_token(), Some("configtoken"));

    // Half a pair in the credentials file is an error, not completed from the config file.
    let env = home(
        &[("AWS_PROFILE", "dev")],
        Some("# creds\n\n[dev]\naws_access_key_id = CREDKEY\n"),
        Some(config_file),
    );
    let err = load(env).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::IncompleteCredentials);
    assert_eq!(
        err.to_string(),
        "incomplete AWS credentials: `[dev]` (line 3) of /home/me/.aws/credentials sets aws_access_key_id \
         but not aws_secret_access_key"
    );
}

#[test]
fn incomplete_pair_in_the_config_file_names_the_section() {
    let env = home(
        &[("AWS_REGION", "us-east-1")],
        None,
        Some("[default]\naws_secret_access_key = wJalrXUtnFEMI\n"),
    );
    let text = load(env).unwrap_err().to_string();
    assert_eq!(
        text,
        "incomplete AWS credentials: `[default]` (line 1) of /home/me/.aws/config sets aws_secret_access_key \
         but not aws_access_key_id"
    );
}

#[test]
fn config_file_sections_need_the_profile_prefix() {
    // `[dev]` in the config file is not profile dev, `[profile dev]` in the credentials file neither.
    let env = home(
        &[("AWS_PROFILE", "dev"), ("AWS_REGION", "us-east-1")],
        Some("[profile dev]\naws_access_key_id = A\naws_secret_access_key = B\n"),
        Some("[dev]\naws_access_key_id = A\naws_secret_access_key = B\n"),
    );
    let err = load(env).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::ProfileNotFound);
    assert_eq!(
        err.to_string(),
        "the profile `dev` (from AWS_PROFILE) is not defined: looked in /home/me/.aws/credentials (no `[dev]` \
         section) and /home/me/.aws/config (no `[profile dev]` section)"
    );
    // `[profile default]` is the default profile in the config file, and beats `[default]`.
    let env = home(
        &[],
        None,
        Some("[default]\nregion = us-east-1\n[profile default]\nregion = us-west-1\naws_access_key_id = A\naws_secret_access_key = B\n"),
    );
    assert_eq!(load(env).unwrap().region(), Some("us-west-1"));
}

#[test]
fn region_precedence() {
    let files = |vars: &[(&str, &str)]| {
        home(
            vars,
            Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\nregion = ca-central-1\n"),
            Some("[default]\nregion = ap-south-1\n"),
        )
    };
    let both = [("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "eu-west-2")];
    assert_eq!(load(files(&both)).unwrap().region(), Some("eu-west-1"));
    let default_only = [("AWS_DEFAULT_REGION", "eu-west-2")];
    assert_eq!(load(files(&default_only)).unwrap().region(), Some("eu-west-2"));
    let blank = [("AWS_REGION", "  "), ("AWS_DEFAULT_REGION", "")];
    assert_eq!(load(files(&blank)).unwrap().region(), Some("ap-south-1"));
    let trimmed = [("AWS_REGION", " eu-north-1\n")];
    assert_eq!(load(files(&trimmed)).unwrap().region(), Some("eu-north-1"));
    // `region` in the credentials file is not read.
    let env = home(
        &[],
        Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\nregion = ca-central-1\n"),
        None,
    );
    assert_eq!(load(env).unwrap_err().kind(), ConfigErrorKind::MissingRegion);
}

#[test]
fn missing_region_says_where_it_looked() {
    let err = load(env_creds(&[("HOME", "/home/me")])).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::MissingRegion);
    assert_eq!(
        err.to_string(),
        "no AWS region is configured: set one with `.region(\"us-east-1\")`, the environment variable \
         AWS_REGION, or `region` in the config file. Looked at: the loader (no region set); AWS_REGION and \
         AWS_DEFAULT_REGION (not set); profile `default` in /home/me/.aws/config (file not found); IMDS \
         (disabled by AWS_EC2_METADATA_DISABLED)"
    );
    let env = home(&[("AWS_PROFILE", "dev")], None, Some("[profile dev]\noutput = json\n"));
    let text = load(env).unwrap_err().to_string();
    assert!(
        text.ends_with(
            "profile `dev` (from AWS_PROFILE) in /home/me/.aws/config (`[profile dev]` has no region); IMDS \
             (disabled by AWS_EC2_METADATA_DISABLED)"
        ),
        "{text}"
    );
}

#[test]
fn missing_credentials_says_where_it_looked() {
    let env = home(
        &[("AWS_REGION", "us-east-1")],
        Some("[other]\nk = v\n"),
        Some("[default]\nregion = x\n"),
    );
    let err = load(env).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::MissingCredentials);
    assert_eq!(
        err.to_string(),
        "no AWS credentials found: set them with `.credentials(..)`, the environment variables \
         AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in the shared files. Tried, in order: \
         environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); web identity \
         (AWS_WEB_IDENTITY_TOKEN_FILE is not set); profile `default` (/home/me/.aws/credentials (no \
         `[default]` section) and /home/me/.aws/config (`[default]` has no credentials)); container endpoint \
         (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set); IMDS \
         (disabled by AWS_EC2_METADATA_DISABLED)"
    );
    // An empty value is no value.
    let env = home(
        &[("AWS_REGION", "us-east-1")],
        Some("[default]\naws_access_key_id =\naws_secret_access_key =   \n"),
        None,
    );
    assert_eq!(load(env).unwrap_err().kind(), ConfigErrorKind::MissingCredentials);
}

#[test]
fn profile_selection() {
    let creds = "[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = s\n\
                 [dev]\naws_access_key_id = DEV\naws_secret_access_key = s\n\
                 [ops]\naws_access_key_id = OPS\naws_secret_access_key = s\n";
    let region = [("AWS_REGION", "us-east-1")];
    assert_eq!(key_id(&load(home(&region, Some(creds), None)).unwrap()), "DEFAULT");
    let dev = [("AWS_REGION", "us-east-1"), ("AWS_PROFILE", "dev")];
    assert_eq!(key_id(&load(home(&dev, Some(creds), None)).unwrap()), "DEV");
    let chosen = Config::loader()
        .env(home(&dev, Some(creds), None))
        .profile_name("ops")
        .load()
        .unwrap();
    assert_eq!(key_id(&chosen), "OPS");

    let err = Config::loader()
        .env(home(&dev, Some(creds), None))
        .profile_name("nope")
        .load()
        .unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::ProfileNotFound);
    let text = err.to_string();
    assert!(text.contains("`nope` (from `profile_name(..)`)"), "{text}");
    assert!(text.contains("/home/me/.aws/config (file not found)"), "{text}");

    // A selected profile must exist even when everything else comes from the environment...
    let env = env_creds(&[("AWS_REGION", "us-east-1"), ("AWS_PROFILE", "typo"), ("HOME", "/h")]);
    assert_eq!(load(env).unwrap_err().kind(), ConfigErrorKind::ProfileNotFound);
    // ...but the default profile need not.
    load(env_creds(&[("AWS_REGION", "us-east-1"), ("HOME", "/h")])).unwrap();
}

#[test]
fn file_locations() {
    let creds = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n";
    // Variables name the files; `~` is the home directory.
    let env = Env::from_pairs(&[
        ("HOME", "/home/me"),
        ("AWS_SHARED_CREDENTIALS_FILE", "~/secrets/aws"),
        ("AWS_CONFIG_FILE", "/etc/aws.ini"),
    ])
    .with_file("/home/me/secrets/aws", creds)
    .with_file("/etc/aws.ini", "[default]\nregion = us-east-1\n")
    .with_file("/home/me/.aws/config", "[default]\nregion = unused-1\n");
    assert_eq!(load(env).unwrap().region(), Some("us-east-1"));
    // USERPROFILE and HOMEDRIVE + HOMEPATH when HOME is unset.
    let env = Env::from_pairs(&[("USERPROFILE", "C:\\Users\\me"), ("AWS_REGION", "us-east-1")])
        .with_file(Path::new("C:\\Users\\me").join(".aws").join("credentials"), creds);
    assert_eq!(key_id(&load(env).unwrap()), "A");
    let env = Env::from_pairs(&[("HOMEDRIVE", "D:"), ("HOMEPATH", "\\me"), ("AWS_REGION", "us-east-1")])
        .with_file(Path::new("D:\\me").join(".aws").join("credentials"), creds);
    assert_eq!(key_id(&load(env).unwrap()), "A");
    // No home directory: the default files are not read, and the error says why.
    let text = load(Env::from_pairs(&[("AWS_REGION", "us-east-1"), NO_IMDS]))
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("~/.aws/credentials (not read: no home directory, HOME is not set)"),
        "{text}"
    );
}

#[test]
fn unparseable_files_are_errors_with_path_and_line() {
    let env = home(
        &[("AWS_REGION", "us-east-1")],
        Some("[default]\naws_secret_access_key wJalr\n"),
        None,
    );
    let err = load(env).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::ProfileFile);
    assert_eq!(
        err.to_string(),
        "cannot parse /home/me/.aws/credentials, line 2: expected `key = value`"
    );
    let source = err
        .source()
        .unwrap()
        .downcast_ref::<crate::profile::ProfileParseError>();
    assert_eq!(source.unwrap().line(), 2);
    // Files are only read for what is left to look up: with everything given, a broken file is harmless.
    let env = home(&[], Some("[broken"), Some("[broken"));
    Config::loader()
        .env(env.clone())
        .region("us-east-1")
        .credentials(Credentials::new("A", "B", None))
        .endpoint_url("http://localhost:4566")
        .load()
        .unwrap();
    let err = Config::loader()
        .env(env)
        .region("us-east-1")
        .credentials(Credentials::new("A", "B", None))
        .load()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot parse /home/me/.aws/credentials, line 1: "),
        "{err}"
    );
}

#[test]
fn files_on_disk() {
    let dir = std::env::temp_dir().join(format!("awsgen-runtime-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_path = dir.join("config");
    std::fs::write(
        &config_path,
        "[profile disk]\nregion = sa-east-1\naws_access_key_id = DISK\naws_secret_access_key = s\n",
    )
    .unwrap();
    let on_disk = |vars: &[(&str, &str)]| Env {
        disk: true,
        ..Env::from_pairs(vars)
    };
    let missing = dir.join("missing");
    let vars = [
        ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", missing.to_str().unwrap()),
        ("AWS_PROFILE", "disk"),
        NO_IMDS,
    ];
    let config = load(on_disk(&vars)).unwrap();
    assert_eq!((config.region(), key_id(&config)), (Some("sa-east-1"), "DISK"));
    // An in-memory file shadows the one on disk.
    let shadowed = on_disk(&vars).with_file(&config_path, "[profile disk]\nregion = us-east-1\n");
    assert_eq!(load(shadowed).unwrap_err().kind(), ConfigErrorKind::MissingCredentials);
    // A file that exists but cannot be read (here a directory) is an error naming it.
    let vars = [("AWS_CONFIG_FILE", dir.to_str().unwrap()), ("AWS_REGION", "us-east-1")];
    let err = load(on_disk(&vars)).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::ProfileFile);
    assert!(
        err.to_string().starts_with(&format!("cannot read {}: ", dir.display())),
        "{err}"
    );
    assert!(err.source().is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_values_name_their_source() {
    let err = load(env_creds(&[("AWS_REGION", "US-EAST-1")])).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidValue);
    assert_eq!(
        err.to_string(),
        "the region `US-EAST-1` from AWS_REGION is not a valid region name (lowercase letters, digits and `-`)"
    );
    let env = home(
        &[],
        Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\n"),
        Some("[default]\nregion = evil.com/\n"),
    );
    let text = load(env).unwrap_err().to_string();
    assert!(
        text.contains("`evil.com/` from `region` in `[default]` of /home/me/.aws/config"),
        "{text}"
    );
    let err = Config::loader()
        .env(env_creds(&[]))
        .region("us east")
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("from the region set on the loader"), "{err}");
    let err = load(env_creds(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes"),
    ]))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be `true` or `false`, not `yes`"
    );
}

#[test]
fn profile_endpoint_and_ignore_flag() {
    let creds = Some("[default]\naws_access_key_id = A\naws_secret_access_key = B\n");
    let env = home(
        &[("AWS_REGION", "us-east-1")],
        creds,
        Some("[default]\nendpoint_url = http://profile:4566\n"),
    );
    let config = load(env).unwrap();
    assert_eq!(
        config.profile_endpoint_url(),
        Some((
            "http://profile:4566",
            "`endpoint_url` in `[default]` of /home/me/.aws/config"
        ))
    );
    assert_eq!(
        config.endpoint_url(),
        None,
        "only explicit endpoints show in endpoint_url()"
    );
    assert!(!config.ignores_configured_endpoint_urls());
    let ignored = "[default]\nendpoint_url = http://profile:4566\nignore_configured_endpoint_urls = TRUE\n";
    let config = load(home(&[("AWS_REGION", "us-east-1")], creds, Some(ignored))).unwrap();
    assert!(config.ignores_configured_endpoint_urls());
    assert_eq!(config.profile_endpoint_url(), None);
    // The variable wins over the profile setting.
    let vars = [
        ("AWS_REGION", "us-east-1"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
    ];
    let config = load(home(&vars, creds, Some(ignored))).unwrap();
    assert!(!config.ignores_configured_endpoint_urls());
    assert!(config.profile_endpoint_url().is_some());
}

#[test]
fn into_builder_keeps_the_environment() {
    let config = load(env_creds(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", "http://x:1"),
    ]))
    .unwrap();
    // Loading makes the default transport of the enabled features, if any.
    let https = cfg!(any(feature = "async-https", feature = "blocking-https"));
    assert_eq!(config.transport().is_some(), https);
    let config = config.into_builder().transport(StubTransport::json(200, "{}")).build();
    assert_eq!(
        format!("{:?}", config.transport().unwrap()),
        "StubTransport { requests: 0, .. }"
    );
    assert_eq!(config.env().unwrap().get("AWS_ENDPOINT_URL"), Some("http://x:1"));
    assert_eq!(key_id(&config), ID);
    assert!(Config::builder().region("us-east-1").build().env().is_none());
}

/// STS's answer to `action` (`AssumeRole`, `AssumeRoleWithWebIdentity`), with key id `key`.
fn sts_answer(action: &str, key: &str) -> crate::transport::HttpResponse {
    crate::transport::HttpResponse::new(
        format!(
            "<{action}Response><{action}Result><Credentials><AccessKeyId>{key}</AccessKeyId>\
             <SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>\
             <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></{action}Result></{action}Response>"
        )
        .into_bytes(),
    )
}

fn body_of(request: &crate::transport::HttpRequest) -> String {
    String::from_utf8(request.body().clone()).unwrap()
}

#[test]
fn a_role_profile_is_assumed_through_the_configs_transport_on_first_use_then_cached() {
    let stub = StubTransport::new(|request| {
        let role = body_of(request).contains("role%2Ftop");
        sts_answer("AssumeRole", if role { "ASIATOP" } else { "ASIAMIDDLE" })
    });
    let config = "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = middle\n\
                  external_id = ext\nrole_session_name = me\n\
                  [profile middle]\nrole_arn = arn:aws:iam::1:role/middle\nsource_profile = base\n";
    let credentials = "[base]\naws_access_key_id = BASE\naws_secret_access_key = s\n";
    let env = home(
        &[("AWS_PROFILE", "top"), ("AWS_REGION", "eu-west-1")],
        Some(credentials),
        Some(config),
    );
    let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
    assert!(config.credentials().is_none(), "a role is assumed at call time");
    assert!(stub.requests().is_empty(), "loading sends nothing");
    let resolved = pollster::block_on(config.resolve_credentials()).unwrap();
    assert_eq!(resolved.access_key_id(), "ASIATOP");
    let sent = stub.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].uri(), "https://sts.eu-west-1.amazonaws.com/");
    assert!(body_of(&sent[0]).contains("role%2Fmiddle"), "the source role first");
    let signer = |i: usize| sent[i].headers()["authorization"].to_str().unwrap().to_owned();
    assert!(signer(0).contains("Credential=BASE/"), "{}", signer(0));
    assert!(signer(1).contains("Credential=ASIAMIDDLE/"), "{}", signer(1));
    assert!(body_of(&sent[1]).contains("ExternalId=ext") && body_of(&sent[1]).contains("RoleSessionName=me"));
    // Cached by the config and its clones.
    pollster::block_on(config.clone().resolve_credentials()).unwrap();
    assert_eq!(stub.requests().len(), 2);
}

#[test]
fn web_identity_from_the_environment_uses_the_sts_endpoint_variable() {
    let stub = StubTransport::new(|_| sts_answer("AssumeRoleWithWebIdentity", "ASIAWEB"));
    let env = home(
        &[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
            ("AWS_ROLE_SESSION_NAME", "pod"),
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/sts"),
        ],
        // A profile with keys comes later in the chain: web identity from the environment wins.
        Some("[default]\naws_access_key_id = FILE\naws_secret_access_key = s\n"),
        None,
    )
    .with_file("/var/run/token", "eyJ-token\n");
    let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
    let resolved = pollster::block_on(config.resolve_credentials()).unwrap();
    assert_eq!(resolved.access_key_id(), "ASIAWEB");
    let sent = &stub.requests()[0];
    assert_eq!(sent.uri(), "http://127.0.0.1:9/sts/");
    assert!(!sent.headers().contains_key("authorization"));
    assert!(
        body_of(sent).contains("WebIdentityToken=eyJ-token&") || body_of(sent).ends_with("WebIdentityToken=eyJ-token")
    );

    let half = home(
        &[("AWS_REGION", "eu-west-1"), ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")],
        None,
        None,
    );
    let error = load(half).unwrap_err();
    assert_eq!(error.kind(), ConfigErrorKind::InvalidValue);
    assert!(error.to_string().contains("AWS_ROLE_ARN is not"), "{error}");
}

#[test]
fn sts_endpoint_settings_hold_with_an_explicit_client_endpoint() {
    let stub = StubTransport::new(|_| sts_answer("AssumeRole", "ASIAROLE"));
    let config = "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = r\n\
                  aws_access_key_id = SRC\naws_secret_access_key = s\n";
    let vars = [
        ("AWS_PROFILE", "r"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/sts"),
    ];
    let load_with = |extra: Option<(&str, &str)>| {
        let mut vars = vars.to_vec();
        vars.extend(extra);
        let env = home(&vars, None, Some(config));
        let config = Config::loader()
            .env(env)
            .endpoint_url("http://127.0.0.1:4566")
            .transport(stub.clone())
            .load()
            .unwrap();
        pollster::block_on(config.resolve_credentials()).unwrap();
    };
    load_with(None);
    assert_eq!(stub.requests()[0].uri(), "http://127.0.0.1:9/sts/");
    load_with(Some(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")));
    assert_eq!(stub.requests()[1].uri(), "https://sts.eu-west-1.amazonaws.com/");
}

#[test]
fn sts_refusing_stops_the_call_with_its_code_and_request_id() {
    let stub = StubTransport::new(|_| {
        let mut response = crate::transport::HttpResponse::new(
            b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message>\
              </Error><RequestId>req-9</RequestId></ErrorResponse>"
                .to_vec(),
        );
        *response.status_mut() = http::StatusCode::FORBIDDEN;
        response
    });
    let config = "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = r\n\
                  aws_access_key_id = SRC\naws_secret_access_key = wJalrXUtnFEMI\n";
    let env = home(&[("AWS_PROFILE", "r"), ("AWS_REGION", "eu-west-1")], None, Some(config));
    let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
    let error = pollster::block_on(config.resolve_credentials()).unwrap_err();
    assert_eq!(error.code(), Some("AccessDenied"));
    assert_eq!(error.request_id(), Some("req-9"));
    assert_eq!(error.to_string(), "STS AssumeRole: from profile `r`: assuming role arn:aws:iam::1:role/r: the service refused: HTTP 403 AccessDenied: not allowed (request id req-9)");
    assert!(!format!("{error:?}{config:?}").contains(SECRET));
    assert_eq!(
        stub.requests().len(),
        1,
        "STS was asked once: AccessDenied is not retried"
    );
}

/// An IMDS at `http://127.0.0.1:1` (nothing is sent there: the stub answers) with a role and a region.
fn imds_stub() -> StubTransport {
    StubTransport::new(|request| {
        let path = request.uri().path();
        let body = match (request.method().as_str(), path) {
            ("PUT", "/latest/api/token") => "imds-token".to_owned(),
            (_, "/latest/meta-data/placement/region") => "ap-southeast-2".to_owned(),
            (_, "/latest/meta-data/iam/security-credentials/") => "web-role\n".to_owned(),
            (_, "/latest/meta-data/iam/security-credentials/web-role") => r#"{"Code":"Success","Type":"AWS-HMAC",
                "AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#
                .to_owned(),
            _ => "{}".to_owned(),
        };
        let mut response = crate::transport::HttpResponse::new(body.into_bytes());
        if request.uri().host() != Some("127.0.0.1") {
            *response.status_mut() = http::StatusCode::BAD_GATEWAY;
        }
        response
    })
}

#[test]
fn with_nothing_else_set_up_credentials_and_region_come_from_imds_at_the_first_call() {
    let stub = imds_stub();
    let env = Env::from_pairs(&[
        ("HOME", "/home/me"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"),
    ]);
    let config = Config::loader().env(env).transport(stub.clone()).load().unwrap();
    assert_eq!(config.region(), None, "not known before the first call");
    assert!(stub.requests().is_empty(), "loading sends nothing");
    assert_eq!(pollster::block_on(config.resolve_region()).unwrap(), "ap-southeast-2");
    assert_eq!(config.region(), Some("ap-southeast-2"));
    let credentials = pollster::block_on(config.resolve_credentials()).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAIMDS");
    let paths: Vec<_> = stub.requests().iter().map(|r| r.uri().path().to_owned()).collect();
    assert_eq!(
        paths.iter().filter(|p| *p == "/latest/api/token").count(),
        1,
        "one session token: {paths:?}"
    );
}

#[cfg(feature = "async-https")]
#[test]
fn with_nothing_set_up_and_no_imds_the_first_call_lists_every_source_within_seconds() {
    let closed = awsgen_test_support::refused_url();
    let env = Env::from_pairs(&[
        ("HOME", "/home/me"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed),
    ]);
    let config = Config::loader().env(env).load().unwrap();
    let started = std::time::Instant::now();
    let error = pollster::block_on(config.resolve_credentials()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(error.kind(), crate::credentials::CredentialsErrorKind::NotLoaded);
    let text = error.to_string();
    for source in [
        "environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set)",
        "web identity (AWS_WEB_IDENTITY_TOKEN_FILE is not set)",
        "profile `default` (/home/me/.aws/credentials (file not found) and /home/me/.aws/config (file not found))",
        "container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are \
         not set)",
        "; IMDS (IMDS: ",
    ] {
        assert!(text.contains(source), "{source}\nnot in: {text}");
    }
}

#[test]
fn imds_settings_come_from_the_variables_or_the_profile() {
    let profile = "[default]\nec2_metadata_service_endpoint_mode = IPv6\n";
    let env = home(
        &[("AWS_REGION", "eu-west-1"), ("AWS_EC2_METADATA_DISABLED", "false")],
        None,
        Some(profile),
    );
    let config = Config::loader().env(env).transport(imds_stub()).load().unwrap();
    assert!(format!("{config:?}").contains("fd00:ec2::254"), "{config:?}");
    let bad = home(&[("AWS_EC2_METADATA_DISABLED", "yes")], None, None);
    assert!(load(bad)
        .unwrap_err()
        .to_string()
        .contains("AWS_EC2_METADATA_DISABLED must be `true` or `false`"));
    let bad = Env::from_pairs(&[
        ("AWS_REGION", "eu-west-1"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"),
    ]);
    assert_eq!(load(bad).unwrap_err().kind(), ConfigErrorKind::InvalidValue);
}

#[test]
fn real_env_keeps_only_aws_and_home_variables() {
    // PATH is set in any test process; the snapshot must not copy unrelated (possibly secret) variables.
    assert!(std::env::var_os("PATH").is_some());
    let env = Env::real();
    assert_eq!(env.get("PATH"), None);
    assert!(env.disk);
    assert_eq!(
        env.get("HOME"),
        std::env::var("HOME")
            .ok()
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
    );
}

#[test]
fn debug_of_loaded_config_env_and_errors_hides_secrets() {
    let env = home(
        &[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "hunter2"),
        ],
        Some(&format!("[default]\naws_secret_access_key = filesecret{SECRET}\n")),
        None,
    );
    let config = load(env.clone()).unwrap();
    for text in [
        format!("{config:?}"),
        format!("{env:?}"),
        format!("{:?}", Config::loader().env(env)),
    ] {
        assert!(text.contains(ID), "{text}");
        assert!(text.contains("us-east-1"), "{text}");
        assert!(text.contains("/home/me/.aws/credentials"), "{text}");
        for secret in [SECRET, TOKEN, "hunter2", "filesecret"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    let err = load(home(
        &[("AWS_REGION", "us-east-1")],
        Some(&format!("[default]\naws_secret_access_key={SECRET}\n")),
        None,
    ))
    .unwrap_err();
    assert!(!format!("{err:?} {err}").contains(SECRET), "{err:?}");
}

#[test]
fn debug_redacts_secrets_but_shows_key_id() {
    let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI", Some("IQoJb3JpZ2lu".into()));
    let config = Config::builder()
        .credentials(creds.clone())
        .transport(StubTransport::json(200, "{}"))
        .build();
    for text in [format!("{creds:?}"), format!("{config:?}")] {
        assert!(text.contains("AKIDEXAMPLE"), "{text}");
        assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
        assert!(!text.contains("IQoJb3JpZ2lu"), "{text}");
        assert!(text.contains(r#"secret_access_key: "** redacted **""#), "{text}");
        assert!(text.contains(r#"session_token: Some("** redacted **")"#), "{text}");
    }
    let long_term = Credentials::new("AKID", "secret", None);
    assert!(format!("{long_term:?}").contains("session_token: None"));
    assert_eq!(creds.secret_access_key(), "wJalrXUtnFEMI");
    assert_eq!(creds.session_token(), Some("IQoJb3JpZ2lu"));
}

#[test]
fn request_rules_come_from_the_builder_the_environment_or_the_profile() {
    let defaults = Config::builder().build();
    assert!(!defaults.host_prefix_injection_disabled());
    assert!(!defaults.request_compression_disabled());
    assert_eq!(defaults.request_min_compression_size_bytes(), 10_240);
    let base = [
        ("HOME", "/home/me"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
    ];
    let load = |vars: &[(&str, &str)], profile: &str| {
        let vars: Vec<(&str, &str)> = base.iter().chain(vars).copied().collect();
        let env = Env::from_pairs(&vars).with_file("/home/me/.aws/config", profile);
        Config::loader().env(env).load()
    };
    let from_env = load(
        &[
            ("AWS_DISABLE_HOST_PREFIX_INJECTION", "true"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "TRUE"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"),
        ],
        "[default]\ndisable_request_compression = false\n",
    )
    .unwrap();
    assert!(from_env.host_prefix_injection_disabled());
    assert!(from_env.request_compression_disabled());
    assert_eq!(from_env.request_min_compression_size_bytes(), 0);
    let from_profile = load(
        &[],
        "[default]\ndisable_host_prefix_injection = true\nrequest_min_compression_size_bytes = 100\n",
    )
    .unwrap();
    assert!(from_profile.host_prefix_injection_disabled());
    assert!(!from_profile.request_compression_disabled());
    assert_eq!(from_profile.request_min_compression_size_bytes(), 100);
    let explicit = Config::loader().env(Env::from_pairs(&base).with_file(
        "/home/me/.aws/config",
        "[default]\ndisable_host_prefix_injection = true\n",
    ));
    let explicit = ConfigLoader {
        builder: explicit.builder.disable_host_prefix_injection(false),
        ..explicit
    };
    assert!(!explicit.load().unwrap().host_prefix_injection_disabled());
    // The endpoint rule sets' settings: the variable over the profile, the builder over both.
    let fips = load(
        &[
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled"),
        ],
        "[default]\nuse_fips_endpoint = false\nuse_dualstack_endpoint = true\n",
    )
    .unwrap();
    assert!(fips.use_fips());
    assert!(fips.use_dual_stack());
    assert_eq!(fips.account_id_endpoint_mode(), Some("disabled"));
    let unset = load(&[], "").unwrap();
    assert!(!unset.use_fips() && !unset.use_dual_stack());
    assert_eq!(unset.account_id_endpoint_mode(), None);
    let explicit = Config::loader()
        .env(Env::from_pairs(&base).with_file("/home/me/.aws/config", "[default]\nuse_fips_endpoint = true\n"));
    let explicit = ConfigLoader {
        builder: explicit.builder.use_fips(false),
        ..explicit
    };
    assert!(!explicit.load().unwrap().use_fips());
    let err = load(&[("AWS_USE_DUALSTACK_ENDPOINT", "1")], "").unwrap_err();
    assert!(
        err.to_string()
            .contains("AWS_USE_DUALSTACK_ENDPOINT must be `true` or `false`"),
        "{err}"
    );
    let err = load(&[], "[default]\naccount_id_endpoint_mode = sometimes\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("must be `preferred`, `disabled` or `required`"),
        "{err}"
    );
    let err = load(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")], "").unwrap_err();
    assert!(
        err.to_string()
            .contains("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES must be a whole number"),
        "{err}"
    );
    let err = load(&[], "[default]\ndisable_request_compression = yes\n").unwrap_err();
    assert!(
        err.to_string().contains("`disable_request_compression` in `[default]`"),
        "{err}"
    );
    assert_eq!(
        Config::builder()
            .request_min_compression_size_bytes(u32::MAX)
            .build()
            .request_min_compression_size_bytes(),
        10_485_760
    );
}

#[cfg(feature = "async-https")]
#[test]
fn a_default_transport_follows_a_later_connect_timeout() {
    let connect = Duration::from_millis(500);
    let timeouts = Timeouts {
        connect,
        ..Timeouts::default()
    };
    let rebuilt = Config::builder().build().into_builder().timeouts(timeouts).build();
    let shown = format!("{:?}", rebuilt.transport().unwrap());
    assert!(shown.contains(&format!("{connect:?}")), "{shown}");
    // A transport the caller gave is never replaced.
    let stub = crate::transport::StubTransport::json(200, "{}");
    let kept = Config::builder()
        .transport(stub.clone())
        .build()
        .into_builder()
        .timeouts(timeouts)
        .build();
    assert!(format!("{:?}", kept.transport().unwrap()).contains("StubTransport"));
}

#[test]
fn max_response_size_defaults_to_64_mib() {
    assert_eq!(Config::default().max_response_size(), 64 * 1024 * 1024);
    assert_eq!(Config::builder().build().max_response_size(), 64 * 1024 * 1024);
    let config = Config::builder().max_response_size(1024).build();
    assert_eq!(config.max_response_size(), 1024);
    assert_eq!(config.into_builder().build().max_response_size(), 1024);
}

#[test]
fn builder_sets_everything_and_clones_share_transport() {
    let config = Config::builder()
        .region("eu-west-1")
        .endpoint_url("http://localhost:4566")
        .transport(StubTransport::json(200, "{}"))
        .build();
    assert_eq!(config.region(), Some("eu-west-1"));
    assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
    assert!(config.credentials().is_none());
    let copy = config.clone();
    assert!(Arc::ptr_eq(config.transport().unwrap(), copy.transport().unwrap()));
    assert!(Config::default().transport().is_none());
}

/// `der` as a PEM certificate block.
#[cfg(feature = "async-https")]
fn pem(der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[cfg(feature = "async-https")]
#[test]
fn the_default_transport_trusts_the_ca_bundle_of_aws_ca_bundle_or_the_profile() {
    use awsgen_test_support::{Reply, Server};
    let server = Server::https(|_| Reply::json(200, "req-1", "{}"));
    let bundle = format!("# the proxy's CA\n{}", pem(server.cert().unwrap()));
    let get = |config: &Config| {
        let request = http::Request::get(format!("{}/", server.url()))
            .body(Vec::new())
            .unwrap();
        crate::transport::block_on(config.transport().unwrap().send(request))
    };
    let base = [
        ("AWS_ACCESS_KEY_ID", ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_REGION", "eu-west-1"),
    ];

    let untrusted = home(&base, None, None);
    let error = get(&load(untrusted).unwrap()).unwrap_err();
    assert!(error.to_string().contains("certificate"), "{error}");

    let mut vars = base.to_vec();
    vars.push(("AWS_CA_BUNDLE", "/etc/corp/ca.pem"));
    let from_variable = home(&vars, None, None).with_file("/etc/corp/ca.pem", bundle.clone());
    let config = load(from_variable).unwrap();
    assert_eq!(config.root_certificates().len(), 1);
    assert_eq!(get(&config).unwrap().status(), 200);

    let profile = "[default]\nca_bundle = /etc/corp/ca.pem\n";
    let from_profile = home(&base, None, Some(profile)).with_file("/etc/corp/ca.pem", bundle);
    assert_eq!(get(&load(from_profile).unwrap()).unwrap().status(), 200);
}

#[test]
fn a_ca_bundle_that_cannot_be_used_is_an_error_naming_it() {
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID", ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_REGION", "eu-west-1"),
    ];
    vars.push(("AWS_CA_BUNDLE", "/etc/corp/ca.pem"));
    let missing = load(home(&vars, None, None)).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "the CA bundle `/etc/corp/ca.pem` from AWS_CA_BUNDLE cannot be used: the file does not exist"
    );
    let empty = load(home(&vars, None, None).with_file("/etc/corp/ca.pem", "not a certificate")).unwrap_err();
    assert!(
        empty
            .to_string()
            .ends_with("it holds no `-----BEGIN CERTIFICATE-----` block"),
        "{empty}"
    );
    // A loader given its own transport reads no bundle: nothing would use it.
    let config = Config::loader()
        .env(home(&vars, None, None))
        .transport(StubTransport::json(200, "{}"))
        .load()
        .unwrap();
    assert!(config.root_certificates().is_empty());
}

#[cfg(any(feature = "async-https", feature = "blocking-https"))]
#[test]
fn a_root_certificate_the_transport_cannot_use_fails_every_call_with_the_reason() {
    let config = Config::builder()
        .region("eu-west-1")
        .add_root_certificate(vec![1, 2, 3])
        .build();
    let request = http::Request::get("https://127.0.0.1:1/").body(Vec::new()).unwrap();
    let error = crate::transport::block_on(config.transport().unwrap().send(request)).unwrap_err();
    assert!(
        error.to_string().contains("the HTTPS transport could not be made: ")
            && error.to_string().contains("extra root certificate #1 is not usable"),
        "{error}"
    );
}
