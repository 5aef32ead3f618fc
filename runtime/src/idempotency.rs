//! Idempotency tokens: members a model marks `idempotencyToken` (ECS `clientToken`, Step Functions
//! `name`-less starts, ...) are filled with a fresh UUID when the caller leaves them unset, as botocore and
//! the AWS SDKs do, so that a retried call is recognised by the service as the same call.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Where tokens come from: random version-4 UUIDs by default, or a fixed value for tests that compare
/// requests byte for byte.
#[derive(Clone, Default)]
pub struct IdempotencyTokenProvider(Source);

#[derive(Clone, Default)]
enum Source {
    #[default]
    Random,
    Fixed(Arc<str>),
}

impl IdempotencyTokenProvider {
    /// Random version-4 UUIDs (the default).
    pub fn random() -> Self {
        Self(Source::Random)
    }

    /// Always `token`: for tests that need deterministic requests.
    pub fn fixed(token: impl Into<String>) -> Self {
        Self(Source::Fixed(Arc::from(token.into())))
    }

    /// A token for one call.
    pub fn token(&self) -> String {
        match &self.0 {
            Source::Random => random_uuid_v4(),
            Source::Fixed(token) => token.to_string(),
        }
    }
}

impl fmt::Debug for IdempotencyTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Random => f.write_str("IdempotencyTokenProvider::random()"),
            Source::Fixed(token) => write!(f, "IdempotencyTokenProvider::fixed({token:?})"),
        }
    }
}

/// A version-4 UUID from the standard library's per-process random SipHash keys, the clock and a counter.
///
/// Tokens need to be unique, not secret: the service only compares them. That avoids a random-number crate
/// in every generated client's build for what 122 bits of well-mixed entropy already give.
pub(crate) fn random_uuid_v4() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    // A fresh `RandomState` has new random keys (seeded from the OS once per thread, then incremented).
    let half = |salt: u64| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(salt);
        hasher.write_u64(count);
        hasher.write_u128(nanos);
        hasher.finish()
    };
    let mut bits = (u128::from(half(1)) << 64) | u128::from(half(2));
    // Version 4 (random) and the RFC 4122 variant.
    bits = (bits & !(0xF << 76)) | (0x4 << 76);
    bits = (bits & !(0x3 << 62)) | (0x2 << 62);
    // 32 hex digits, most significant first, with a dash before the 9th, 13th, 17th and 21st.
    let mut uuid = String::with_capacity(36);
    for digit in 0..32u32 {
        if matches!(digit, 8 | 12 | 16 | 20) {
            uuid.push('-');
        }
        let nibble = (bits >> (124 - 4 * digit)) & 0xF;
        uuid.push(char::from_digit(nibble as u32, 16).unwrap_or('0'));
    }
    uuid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_are_version_4_uuids_and_differ() {
        let provider = IdempotencyTokenProvider::default();
        let tokens: Vec<String> = (0..1000).map(|_| provider.token()).collect();
        for token in &tokens {
            let groups: Vec<&str> = token.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{token}"
            );
            assert!(token
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
            assert!(groups[2].starts_with('4'), "{token}");
            assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "{token}");
        }
        let unique: std::collections::BTreeSet<&String> = tokens.iter().collect();
        assert_eq!(unique.len(), tokens.len());
    }

    #[test]
    fn fixed_tokens_are_fixed() {
        let provider = IdempotencyTokenProvider::fixed("00000000-0000-4000-8000-000000000000");
        assert_eq!(provider.token(), "00000000-0000-4000-8000-000000000000");
        assert_eq!(provider.clone().token(), provider.token());
        assert!(format!("{provider:?}").contains("fixed"));
    }
}
