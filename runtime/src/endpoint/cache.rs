//! [`EndpointRules`]: the rule set and partition table a generated crate embeds, parsed once, with resolved
//! endpoints cached per distinct parameters.

use std::sync::{Mutex, OnceLock, PoisonError};

use super::{Endpoint, Params, Partitions, ResolveError, RuleSet};

/// How many distinct parameter sets keep their result; the least recently used one makes room for a new one.
/// A client resolves with one set of parameters in the common case (its region and flags), a few at most.
pub(crate) const CAPACITY: usize = 32;

/// What a generated crate holds in a `static`: both JSON texts, parsed once on first use, and the results of
/// resolution cached per distinct [`Params`] (bounded; least recently used evicted).
///
/// ```
/// use awsgen_runtime::endpoint::{EndpointRules, ParamValue, Params};
///
/// static RULES: EndpointRules = EndpointRules::new(
///     r#"{"version": "1.0", "parameters": {"Region": {"type": "String", "required": true}},
///         "rules": [{"type": "endpoint", "conditions": [],
///                    "endpoint": {"url": "https://svc.{Region}.example.com"}}]}"#,
///     r#"{"partitions": []}"#,
/// );
/// let params: Params = [("Region", ParamValue::from("us-west-2"))].into_iter().collect();
/// assert_eq!(RULES.resolve(&params).unwrap().url, "https://svc.us-west-2.example.com");
/// assert_eq!(RULES.rule_set().unwrap().parameters().count(), 1);
/// ```
pub struct EndpointRules {
    rules_json: &'static str,
    partitions_json: &'static str,
    parsed: OnceLock<Result<Parsed, ResolveError>>,
    cache: Mutex<Cache>,
    /// Evaluations of the rule set (cache misses), so tests can see the cache work.
    #[cfg(test)]
    evaluations: std::sync::atomic::AtomicUsize,
}

#[derive(Debug)]
struct Parsed {
    rules: RuleSet,
    partitions: Partitions,
}

#[derive(Debug)]
struct Cache {
    entries: Vec<Entry>,
    /// Incremented on every use; an entry's `last_used` is the tick of its last use.
    tick: u64,
}

#[derive(Debug)]
struct Entry {
    params: Params,
    result: Result<Endpoint, ResolveError>,
    last_used: u64,
}

impl EndpointRules {
    /// Holds the two texts; nothing is parsed until the first call.
    pub const fn new(rules_json: &'static str, partitions_json: &'static str) -> Self {
        Self {
            rules_json,
            partitions_json,
            parsed: OnceLock::new(),
            cache: Mutex::new(Cache {
                entries: Vec::new(),
                tick: 0,
            }),
            #[cfg(test)]
            evaluations: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn parsed(&self) -> Result<&Parsed, ResolveError> {
        self.parsed
            .get_or_init(|| {
                let rules = RuleSet::from_json(self.rules_json)
                    .map_err(|e| ResolveError::Invalid(format!("the endpoint rule set cannot be used: {e}")))?;
                let partitions = Partitions::from_json(self.partitions_json)
                    .map_err(|e| ResolveError::Invalid(format!("the partition table cannot be used: {e}")))?;
                Ok(Parsed { rules, partitions })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The parsed rule set (parsed on first use); a parse failure is returned on every call as
    /// [`ResolveError::Invalid`] naming the JSON path.
    pub fn rule_set(&self) -> Result<&RuleSet, ResolveError> {
        self.parsed().map(|parsed| &parsed.rules)
    }

    /// Resolves the endpoint for `params`, from the cache when these parameters were resolved before (errors
    /// included: resolution depends on nothing but the parameters).
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, ResolveError> {
        let parsed = self.parsed()?;
        if let Some(result) = self.lock().get(params) {
            return result;
        }
        // Evaluated without the lock held: two threads missing at once both evaluate, and get the same result.
        #[cfg(test)]
        self.evaluations.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let result = super::resolve(&parsed.rules, &parsed.partitions, params);
        self.lock().insert(params, result.clone());
        result
    }

    /// The cache, even if a thread panicked while holding it (the map is valid after every statement).
    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    pub(crate) fn evaluations(&self) -> usize {
        self.evaluations.load(std::sync::atomic::Ordering::Relaxed)
    }

    #[cfg(test)]
    pub(crate) fn cached(&self) -> usize {
        self.lock().entries.len()
    }
}

/// Not the JSON texts (a partition table alone is tens of kilobytes): whether they parsed, and the cache's size.
impl std::fmt::Debug for EndpointRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parsed = match self.parsed.get() {
            None => "not yet",
            Some(Ok(_)) => "yes",
            Some(Err(_)) => "failed",
        };
        f.debug_struct("EndpointRules")
            .field("rules_json_len", &self.rules_json.len())
            .field("partitions_json_len", &self.partitions_json.len())
            .field("parsed", &parsed)
            .field("cached", &self.lock().entries.len())
            .finish()
    }
}

impl Cache {
    fn get(&mut self, params: &Params) -> Option<Result<Endpoint, ResolveError>> {
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.iter_mut().find(|entry| entry.params == *params)?;
        entry.last_used = tick;
        Some(entry.result.clone())
    }

    fn insert(&mut self, params: &Params, result: Result<Endpoint, ResolveError>) {
        self.tick += 1;
        let entry = Entry {
            params: params.clone(),
            result,
            last_used: self.tick,
        };
        if let Some(existing) = self.entries.iter_mut().find(|e| e.params == *params) {
            *existing = entry;
        } else if self.entries.len() < CAPACITY {
            self.entries.push(entry);
        } else if let Some(oldest) = self.entries.iter_mut().min_by_key(|e| e.last_used) {
            *oldest = entry;
        }
    }
}
