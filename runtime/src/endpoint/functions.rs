//! The standard library's and the AWS extension's functions that compute something, as plain functions over
//! strings (the interpreter in `eval.rs` evaluates their arguments and checks their types).

use std::net::{Ipv4Addr, Ipv6Addr};

use super::value::Value;

/// `isValidHostLabel`: an RFC 1123 host label (ASCII letters, digits and `-`, not starting with `-`, 1 to 63
/// characters); with `allow_subdomains`, labels joined by dots (no empty label).
pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_host_label)
    } else {
        is_host_label(value)
    }
}

fn is_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `aws.isVirtualHostableS3Bucket`: a valid host label (labels joined by dots with `allow_subdomains`, see
/// above) that is also an S3 bucket name S3 can put in a host name, by S3's naming rules for the whole name:
/// 3 to 63 lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, without `.-` or
/// `-.`, and not shaped like an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let bytes = value.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    is_valid_host_label(value, allow_subdomains)
        && (3..=63).contains(&bytes.len())
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'.')
        && !value.contains(".-")
        && !value.contains("-.")
        && !looks_like_ipv4(value)
}

/// Four dot-separated runs of digits (any size), as S3 refuses them for bucket host names.
fn looks_like_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, the resource split on `:` and `/` into
/// `resourceId`. `None` unless the first part is `arn` and partition, service and resource are non-empty.
pub(crate) fn parse_arn(value: &str) -> Option<Value> {
    let mut parts = value.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|part| Value::String(part.to_owned()))
        .collect();
    Some(Value::object([
        ("partition".to_owned(), Value::String(partition.to_owned())),
        ("service".to_owned(), Value::String(service.to_owned())),
        ("region".to_owned(), Value::String(region.to_owned())),
        ("accountId".to_owned(), Value::String(account.to_owned())),
        ("resourceId".to_owned(), Value::Array(resource_id)),
    ]))
}

/// `substring`: characters `start..stop` (counted from the end when `reverse`, the result still read forwards).
/// `None` for non-ASCII input, `start >= stop`, negative indexes or a string shorter than `stop`.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    if start >= stop || !input.is_ascii() || input.len() < stop {
        return None;
    }
    if reverse {
        input.get(input.len() - stop..input.len() - start)
    } else {
        input.get(start..stop)
    }
}

/// `uriEncode`: RFC 3986 percent-encoding of every byte but the unreserved characters, uppercase hex.
pub(crate) fn uri_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
    out
}

/// An uppercase hexadecimal digit for a nibble.
fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble & 0x0f), 16).map_or('0', |c| c.to_ascii_uppercase())
}

/// `split`: `value` cut at each `delimiter`; `limit` 0 cuts everywhere, `limit` n > 0 makes at most n parts.
/// `None` for an empty delimiter or a negative limit (the rules engine rejects both).
pub(crate) fn split(value: &str, delimiter: &str, limit: i64) -> Option<Vec<Value>> {
    if delimiter.is_empty() || limit < 0 {
        return None;
    }
    let to_value = |part: &str| Value::String(part.to_owned());
    Some(if limit == 0 {
        value.split(delimiter).map(to_value).collect()
    } else {
        value
            .splitn(usize::try_from(limit).unwrap_or(usize::MAX), delimiter)
            .map(to_value)
            .collect()
    })
}

/// `parseURL`: an `http` or `https` URL without query or fragment, as `scheme` (lowercase), `authority` (host
/// and port as written, without user information), `path` (as written, empty when there is none),
/// `normalizedPath` (`path` starting and ending with `/`) and `isIp` (the host is an IPv4 or a bracketed IPv6
/// address). `None` for anything else.
pub(crate) fn parse_url(value: &str) -> Option<Value> {
    // The `http` crate checks the characters of every part; the split below is ours.
    let uri: http::Uri = value.parse().ok()?;
    if uri.query().is_some() || value.contains(['?', '#']) {
        return None;
    }
    let (scheme, rest) = value.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(position) => rest.split_at(position),
        None => (rest, ""),
    };
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = host_of(authority)?;
    let is_ip = match host.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']')?.parse::<Ipv6Addr>().is_ok(),
        None => host.parse::<Ipv4Addr>().is_ok(),
    };
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    Some(Value::object([
        ("scheme".to_owned(), Value::String(scheme)),
        ("authority".to_owned(), Value::String(authority.to_owned())),
        ("path".to_owned(), Value::String(path.to_owned())),
        ("normalizedPath".to_owned(), Value::String(normalized)),
        ("isIp".to_owned(), Value::Bool(is_ip)),
    ]))
}

/// The host of an authority (its port, if any, checked and dropped); `None` when empty or malformed.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, after) = authority.split_at(end + 1);
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(value: Option<Value>) -> Vec<(String, Value)> {
        match value {
            Some(Value::Object(fields)) => fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            other => panic!("not an object: {other:?}"),
        }
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label("abc-123", false));
        assert!(is_valid_host_label("9lives", false));
        assert!(is_valid_host_label("trailing-", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-leading", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a b", false));
        assert!(!is_valid_host_label("é", false));
        // With sub-domains: each dot-separated label on its own.
        assert!(is_valid_host_label("a.b.c", true));
        assert!(is_valid_host_label(
            &format!("{}.{}", "a".repeat(63), "b".repeat(63)),
            true
        ));
        assert!(!is_valid_host_label("a.b.", true));
        assert!(!is_valid_host_label(".a", true));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("", true));
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("a--b--x-s3", false));
        assert!(is_virtual_hostable_s3_bucket("abc.def", true));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("a..b", true));
        assert!(is_virtual_hostable_s3_bucket("a.b", true));
        assert!(!is_virtual_hostable_s3_bucket("a.", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket.", true));
        assert!(!is_virtual_hostable_s3_bucket("-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("abc.def", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("MyBucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("a-.b-.c", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.100.100", true));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    }

    #[test]
    fn arns() {
        assert_eq!(
            fields(parse_arn(
                "arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE"
            )),
            vec![
                ("accountId".to_owned(), s("012345678910")),
                ("partition".to_owned(), s("aws")),
                ("region".to_owned(), s("us-east-1")),
                (
                    "resourceId".to_owned(),
                    Value::Array(vec![s("vpc"), s("vpc-0e9801d129EXAMPLE")])
                ),
                ("service".to_owned(), s("ec2")),
            ]
        );
        // Region and account may be empty; the resource keeps its further colons as separators.
        let bucket = fields(parse_arn("arn:aws:s3:::my_bucket/Development/*"));
        assert!(bucket.contains(&("region".to_owned(), s(""))));
        assert!(bucket.contains(&("accountId".to_owned(), s(""))));
        assert!(bucket.contains(&(
            "resourceId".to_owned(),
            Value::Array(vec![s("my_bucket"), s("Development"), s("*")])
        )));
        let outpost = fields(parse_arn("arn:aws:s3:us-east-2:012345678:outpost:op-1234:bucket"));
        assert!(outpost.contains(&(
            "resourceId".to_owned(),
            Value::Array(vec![s("outpost"), s("op-1234"), s("bucket")])
        )));
        let trailing = fields(parse_arn("arn:aws:kinesis:us-east-1:123:stream/"));
        assert!(trailing.contains(&("resourceId".to_owned(), Value::Array(vec![s("stream"), s("")]))));
        for bad in [
            "11111111-2222-3333-4444-555555555555",
            "arn:aws:s3:us-east-2:012345678:",
            "arn::s3:us-east-2:012345678:thing",
            "arn:aws::us-east-2:012345678:thing",
            "arn:aws:s3:us-east-2",
            "ARN:aws:s3:::bucket",
            "",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abcdefg", 0, 7, false), Some("abcdefg"));
        assert_eq!(substring("abcdefg", 0, 8, false), None);
        assert_eq!(substring("abcdefg", 0, 8, true), None);
        assert_eq!(substring("abcdefg", 3, 3, false), None);
        assert_eq!(substring("abcdefg", 4, 2, false), None);
        assert_eq!(substring("abcdefg", -1, 2, false), None);
        assert_eq!(substring("a🐱bcdefg", 0, 1, false), None);
        assert_eq!(substring("", 0, 1, false), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(uri_encode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("é"), "%C3%A9");
    }

    #[test]
    fn splits() {
        let strings = |v: Option<Vec<Value>>| {
            v.unwrap()
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => s,
                    other => panic!("{other:?}"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strings(split("a--b--c", "--", 0)), ["a", "b", "c"]);
        assert_eq!(strings(split("a--b--c", "--", 2)), ["a", "b--c"]);
        assert_eq!(strings(split("a--b--c", "--", 1)), ["a--b--c"]);
        assert_eq!(strings(split("", "--", 0)), [""]);
        assert_eq!(strings(split("----", "--", 0)), ["", "", ""]);
        assert_eq!(
            strings(split("--x-s3--azid--suffix", "--", 0)),
            ["", "x-s3", "azid", "suffix"]
        );
        assert_eq!(split("abc", "", 0), None);
        assert_eq!(split("abc", "b", -1), None);
    }

    #[test]
    fn urls() {
        let url = |text: &str| parse_url(text).map(|v| fields(Some(v)));
        let expect = |scheme: &str, authority: &str, path: &str, normalized: &str, is_ip: bool| {
            Some(vec![
                ("authority".to_owned(), s(authority)),
                ("isIp".to_owned(), Value::Bool(is_ip)),
                ("normalizedPath".to_owned(), s(normalized)),
                ("path".to_owned(), s(path)),
                ("scheme".to_owned(), s(scheme)),
            ])
        };
        assert_eq!(
            url("https://example.com"),
            expect("https", "example.com", "", "/", false)
        );
        assert_eq!(
            url("https://example.com/"),
            expect("https", "example.com", "/", "/", false)
        );
        assert_eq!(
            url("http://example.com:80/foo/bar"),
            expect("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(url("https://127.0.0.1"), expect("https", "127.0.0.1", "", "/", true));
        assert_eq!(
            url("https://127.0.0.1:8443/p/"),
            expect("https", "127.0.0.1:8443", "/p/", "/p/", true)
        );
        assert_eq!(url("https://[fe80::1]"), expect("https", "[fe80::1]", "", "/", true));
        assert_eq!(
            url("http://[fe80::1]:8080/x"),
            expect("http", "[fe80::1]:8080", "/x", "/x/", true)
        );
        assert_eq!(
            url("HTTPS://example.com"),
            expect("https", "example.com", "", "/", false)
        );
        assert_eq!(
            url("http://localhost:8000/path"),
            expect("http", "localhost:8000", "/path", "/path/", false)
        );
        // Four numbers that are not an address are a host name.
        assert_eq!(url("https://999.1.1.1"), expect("https", "999.1.1.1", "", "/", false));
        for bad in [
            "https://example.com:8443?foo=bar&faz=baz",
            "https://example.com/?",
            "https://example.com/#frag",
            "wss://localhost:8443/path",
            "ftp://example.com",
            "example.com",
            "https://",
            "https://example.com:port",
            "https://[fe80::1",
            "https://exa mple.com",
            "",
        ] {
            assert_eq!(url(bad), None, "{bad}");
        }
    }
}
