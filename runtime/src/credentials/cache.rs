//! Credentials fetched once and refreshed ahead of expiry, with one refresh however many callers wait.
//!
//! The rules, as the AWS SDKs apply them:
//!
//! - Credentials without an expiry are fetched once.
//! - Credentials that expire are refreshed [`DEFAULT_REFRESH_AHEAD`] (5 minutes) before they do; credentials
//!   that arrive with less life than twice that are refreshed half-way through it, so short-lived credentials
//!   are not fetched again on every call.
//! - While one caller refreshes, the others (async tasks or blocked threads alike) wait for its result
//!   instead of starting their own: 100 concurrent calls cause one fetch.
//! - While one caller refreshes credentials that have not yet expired, other callers go on with them instead
//!   of waiting. A refresh that fails leaves them in use, and is tried again 30 seconds later (or at expiry).
//! - A caller that gives up while refreshing (a dropped future) hands the refresh to the next caller.
//!
//! No lock is held across an `await`: the state is a small mutex-guarded record and waiting callers park
//! their wakers in it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, ProvideCredentials, ProviderContext};

/// How long before expiry credentials are refreshed: 5 minutes, as in the AWS SDKs.
pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(300);

/// How long after a failed refresh the next is tried, while the cached credentials still work.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

/// Whether `credentials` can still sign at `now`.
fn usable(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expiry().is_none_or(|expiry| now < expiry)
}

/// A provider's credentials, cached (see the [module docs](self)). Cheap to share: hold it in an `Arc`.
pub struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    refresh_ahead: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The credentials and when to refresh them (`None`: never).
    cached: Option<(Credentials, Option<SystemTime>)>,
    /// A caller is fetching.
    refreshing: bool,
    /// Counts finished (or abandoned) fetches, so waiters know theirs is over.
    generation: u64,
    /// The error of the fetch that ended generation `.0`, for the callers that waited for it.
    failure: Option<(u64, CredentialsError)>,
    waiters: Vec<Waker>,
    fetches: u64,
}

impl CredentialsCache {
    /// Caches `provider`'s credentials, refreshing [`DEFAULT_REFRESH_AHEAD`] before they expire.
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self {
            provider,
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
            state: Mutex::default(),
        }
    }

    /// The same cache refreshing `refresh_ahead` before expiry.
    pub fn with_refresh_ahead(mut self, refresh_ahead: Duration) -> Self {
        self.refresh_ahead = refresh_ahead;
        self
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.provider
    }

    /// How many times the provider has been asked so far.
    pub fn fetches(&self) -> u64 {
        self.lock().fetches
    }

    /// Credentials to sign with now: the cached ones while they are fresh, else newly fetched ones.
    pub async fn get(&self, ctx: &ProviderContext) -> Result<Credentials, CredentialsError> {
        loop {
            let generation = {
                let mut state = self.lock();
                let now = ctx.now();
                if let Some((credentials, refresh_at)) = &state.cached {
                    if refresh_at.is_none_or(|at| now < at) {
                        return Ok(credentials.clone());
                    }
                    // Someone is already refreshing credentials that still work: use them rather than wait.
                    if state.refreshing && usable(credentials, now) {
                        return Ok(credentials.clone());
                    }
                }
                if !state.refreshing {
                    state.refreshing = true;
                    state.fetches += 1;
                    None
                } else {
                    Some(state.generation)
                }
            };
            let Some(waited_for) = generation else {
                return self.refresh(ctx).await;
            };
            WaitForRefresh {
                cache: self,
                generation: waited_for,
            }
            .await;
            let state = self.lock();
            if let Some((generation, error)) = &state.failure {
                if *generation == waited_for + 1 {
                    return Err(error.clone());
                }
            }
            // The refresh succeeded (the cache answers next time round) or was abandoned (someone fetches anew).
        }
    }

    /// Fetches as the one caller allowed to, then wakes the waiting ones.
    async fn refresh(&self, ctx: &ProviderContext) -> Result<Credentials, CredentialsError> {
        let mut guard = RefreshGuard {
            cache: self,
            done: false,
        };
        let outcome = self.provider.provide_credentials(ctx).await;
        let now = ctx.now();
        let mut state = self.lock();
        let result = match outcome {
            Ok(credentials) => {
                let refresh_at = credentials.expiry().map(|expiry| {
                    let life = expiry.duration_since(now).unwrap_or_default();
                    let ahead = self.refresh_ahead.min(life / 2);
                    expiry.checked_sub(ahead).unwrap_or(expiry)
                });
                state.cached = Some((credentials.clone(), refresh_at));
                state.failure = None;
                Ok(credentials)
            }
            Err(error) => match &mut state.cached {
                Some((cached, refresh_at)) if usable(cached, now) => {
                    // Keep them, and try again a little later rather than on every call meanwhile.
                    let retry_at = now + RETRY_AFTER_FAILURE;
                    *refresh_at = Some(cached.expiry().map_or(retry_at, |expiry| expiry.min(retry_at)));
                    Ok(cached.clone())
                }
                _ => {
                    state.failure = Some((state.generation + 1, error.clone()));
                    Err(error)
                }
            },
        };
        guard.done = true;
        finish(&mut state);
        drop(state);
        drop(guard);
        result
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is updated in single assignments, so a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Ends a generation: the refresh is over, every waiter re-checks.
fn finish(state: &mut State) {
    state.refreshing = false;
    state.generation += 1;
    for waker in state.waiters.drain(..) {
        waker.wake();
    }
}

/// Hands the refresh on if the refreshing caller's future is dropped before it finished.
struct RefreshGuard<'a> {
    cache: &'a CredentialsCache,
    done: bool,
}

impl Drop for RefreshGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            finish(&mut self.cache.lock());
        }
    }
}

/// Completes once the fetch of `generation` is over.
struct WaitForRefresh<'a> {
    cache: &'a CredentialsCache,
    generation: u64,
}

impl Future for WaitForRefresh<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.cache.lock();
        if state.generation != self.generation {
            return Poll::Ready(());
        }
        if !state.waiters.iter().any(|w| w.will_wake(cx.waker())) {
            state.waiters.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("cached", &state.cached.as_ref().map(|(credentials, _)| credentials))
            .field("refresh_ahead", &self.refresh_ahead)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{BoxFuture, CredentialsErrorKind, ManualClock};
    use crate::transport::{StubTransport, Transport};
    use std::sync::atomic::{AtomicU32, Ordering};

    const EPOCH: u64 = 1_700_000_000;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(EPOCH + secs)
    }

    /// Hands out `key-N` credentials valid for `life`, or fails when told to; can be made slow.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        life: Duration,
        fail_from: u32,
        delay: Duration,
        /// Only the first call is slow.
        slow_first_only: bool,
    }

    impl Counting {
        fn new(life: Duration) -> Self {
            Self {
                calls: AtomicU32::new(0),
                life,
                fail_from: u32::MAX,
                delay: Duration::ZERO,
                slow_first_only: false,
            }
        }
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(
            &'a self,
            ctx: &'a ProviderContext,
        ) -> BoxFuture<'a, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if !self.delay.is_zero() && (n == 1 || !self.slow_first_only) {
                    StubTransport::json(200, "").sleep(self.delay).await;
                }
                if n >= self.fail_from {
                    return Err(CredentialsError::provider_error("counting", format!("call {n} fails")));
                }
                Ok(Credentials::new(format!("key-{n}"), "secret", None).with_expiry(ctx.now() + self.life))
            })
        }
    }

    fn ctx(clock: &ManualClock) -> ProviderContext {
        ProviderContext::new(Arc::new(StubTransport::json(200, ""))).with_time_source(Arc::new(clock.clone()))
    }

    fn key(result: Result<Credentials, CredentialsError>) -> String {
        result.unwrap().access_key_id().to_owned()
    }

    #[test]
    fn refreshes_five_minutes_ahead_of_expiry_not_per_call() {
        let clock = ManualClock::new(at(0));
        let provider = Arc::new(Counting::new(Duration::from_secs(3600)));
        let cache = CredentialsCache::new(provider.clone());
        let ctx = ctx(&clock);
        for _ in 0..10 {
            assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        }
        clock.set(at(3600 - 301));
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        clock.set(at(3600 - 300));
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-2");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        assert_eq!(cache.fetches(), 2);
    }

    #[test]
    fn short_lived_credentials_are_refreshed_half_way() {
        let clock = ManualClock::new(at(0));
        let cache = CredentialsCache::new(Arc::new(Counting::new(Duration::from_secs(120))));
        let ctx = ctx(&clock);
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        clock.set(at(59));
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        clock.set(at(60));
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-2");
    }

    #[test]
    fn a_failed_refresh_keeps_unexpired_credentials_then_reports_once_they_expire() {
        let clock = ManualClock::new(at(0));
        let mut provider = Counting::new(Duration::from_secs(3600));
        provider.fail_from = 2;
        let cache = CredentialsCache::new(Arc::new(provider));
        let ctx = ctx(&clock);
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        clock.set(at(3500));
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        clock.set(at(3600));
        let error = pollster::block_on(cache.get(&ctx)).unwrap_err();
        assert_eq!(error.kind(), CredentialsErrorKind::ProviderError);
        assert_eq!(error.to_string(), "counting: call 3 fails");
    }

    #[test]
    fn credentials_without_expiry_are_fetched_once() {
        let clock = ManualClock::new(at(0));
        let cache = CredentialsCache::new(Arc::new(Credentials::new("static", "s", None)));
        let ctx = ctx(&clock);
        clock.set(at(100_000_000));
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "static");
        assert_eq!(cache.fetches(), 1);
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "static");
        assert_eq!(cache.fetches(), 1);
    }

    #[test]
    fn a_hundred_concurrent_blocking_callers_cause_one_fetch() {
        let clock = ManualClock::new(at(0));
        let mut provider = Counting::new(Duration::from_secs(3600));
        provider.delay = Duration::from_millis(200);
        let provider = Arc::new(provider);
        let cache = Arc::new(CredentialsCache::new(provider.clone()));
        let ctx = ctx(&clock);
        let threads: Vec<_> = (0..100)
            .map(|_| {
                let (cache, ctx) = (cache.clone(), ctx.clone());
                std::thread::spawn(move || key(crate::transport::block_on(cache.get(&ctx))))
            })
            .collect();
        for thread in threads {
            assert_eq!(thread.join().unwrap(), "key-1");
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_hundred_concurrent_async_callers_cause_one_fetch_and_share_a_failure() {
        let clock = ManualClock::new(at(0));
        let mut provider = Counting::new(Duration::from_secs(3600));
        provider.delay = Duration::from_millis(100);
        provider.fail_from = 1;
        let provider = Arc::new(provider);
        let cache = Arc::new(CredentialsCache::new(provider.clone()));
        let ctx = ctx(&clock);
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let (cache, ctx) = (cache.clone(), ctx.clone());
                tokio::spawn(async move { cache.get(&ctx).await.map(|c| c.access_key_id().to_owned()) })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap_err().to_string(), "counting: call 1 fails");
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn an_abandoned_refresh_is_taken_over_by_a_waiting_caller() {
        let clock = ManualClock::new(at(0));
        let mut provider = Counting::new(Duration::from_secs(3600));
        provider.delay = Duration::from_secs(60);
        provider.slow_first_only = true;
        let provider = Arc::new(provider);
        let cache = CredentialsCache::new(provider.clone());
        let ctx = ctx(&clock);
        let woken = Arc::new(Flag::default());
        let waker = Waker::from(woken.clone());
        let mut second = std::pin::pin!(cache.get(&ctx));
        {
            let mut first = std::pin::pin!(cache.get(&ctx));
            assert!(first
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_pending());
            assert!(
                second.as_mut().poll(&mut Context::from_waker(&waker)).is_pending(),
                "waits for the first"
            );
            assert!(!woken.0.load(Ordering::SeqCst));
        }
        assert!(
            woken.0.load(Ordering::SeqCst),
            "dropping the refreshing caller wakes the waiting one"
        );
        assert_eq!(key(pollster::block_on(second)), "key-2", "which fetches anew");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    }

    #[derive(Default)]
    struct Flag(std::sync::atomic::AtomicBool);

    impl std::task::Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn while_a_refresh_fails_concurrent_callers_go_on_with_unexpired_credentials() {
        let clock = ManualClock::new(at(0));
        let mut provider = Counting::new(Duration::from_secs(3600));
        provider.fail_from = 2;
        provider.delay = Duration::from_millis(300);
        let provider = Arc::new(provider);
        let cache = Arc::new(CredentialsCache::new(provider.clone()));
        let ctx = ctx(&clock);
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        // Five minutes before expiry the refresh starts, and fails slowly (the STS outage case).
        clock.set(at(3400));
        let callers: Vec<_> = (0..50)
            .map(|_| {
                let (cache, ctx) = (cache.clone(), ctx.clone());
                std::thread::spawn(move || {
                    let started = std::time::Instant::now();
                    let key = key(crate::transport::block_on(cache.get(&ctx)));
                    (key, started.elapsed())
                })
            })
            .collect();
        let mut waited = 0;
        for caller in callers {
            let (key, elapsed) = caller.join().unwrap();
            assert_eq!(key, "key-1");
            if elapsed >= Duration::from_millis(250) {
                waited += 1;
            }
        }
        assert!(
            waited <= 1,
            "only the refreshing caller waits for the provider, {waited} did"
        );
        assert_eq!(
            provider.calls.load(Ordering::SeqCst),
            2,
            "one refresh for fifty callers"
        );
        // Not again at every call: 30 seconds later.
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
        clock.set(at(3430));
        assert_eq!(key(pollster::block_on(cache.get(&ctx))), "key-1");
        assert_eq!(provider.calls.load(Ordering::SeqCst), 3);
    }
}
