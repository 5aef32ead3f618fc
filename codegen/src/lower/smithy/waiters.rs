//! Waiters from `smithy.waiters#waitable` on the service's operations (delays default to Smithy's 2 s and
//! 120 s).

use super::traits::{self, TraitsAt};
use crate::diagnostics::{child, Diagnostics};
use crate::frontend::smithy::Model;
use crate::ir::*;

/// Every waiter of the operations in `operations` (absolute ids), sorted by name.
pub fn lower(
    model: &Model,
    operations: &[&str],
    name_of: &dyn Fn(&str) -> String,
    diagnostics: &mut Diagnostics,
) -> Vec<Waiter> {
    let mut waiters = Vec::new();
    for id in operations {
        let Some(shape) = model.shapes.get(*id) else {
            continue;
        };
        let path = child("/shapes", id);
        let traits = TraitsAt::new(&shape.traits, &path);
        let Some(waitable) = traits.get::<traits::Waitable>(traits::WAITABLE, diagnostics) else {
            continue;
        };
        let waitable_path = traits.path_of(traits::WAITABLE);
        for (name, waiter) in waitable {
            let path = child(&waitable_path, &name);
            if waiter.min_delay < 1 || waiter.max_delay < waiter.min_delay {
                diagnostics.error(
                    &path,
                    format!(
                        "delays must satisfy 1 <= minDelay <= maxDelay (minDelay {}, maxDelay {})",
                        waiter.min_delay, waiter.max_delay
                    ),
                );
            }
            waiters.push(Waiter {
                name,
                operation: name_of(id),
                docs: waiter
                    .documentation
                    .as_deref()
                    .and_then(|d| super::markdown(&Some(super::collapse_whitespace(d)))),
                min_delay_secs: waiter.min_delay,
                max_delay_secs: waiter.max_delay,
                acceptors: waiter.acceptors.into_iter().map(acceptor).collect(),
                deprecated: waiter.deprecated.then_some(Deprecation { message: None }),
                json_path: path,
                symbols: Default::default(),
            });
        }
    }
    waiters.sort_by(|a, b| a.name.cmp(&b.name));
    waiters
}

fn acceptor(acceptor: traits::Acceptor) -> Acceptor {
    let state = match acceptor.state {
        traits::AcceptorState::Success => AcceptorState::Success,
        traits::AcceptorState::Failure => AcceptorState::Failure,
        traits::AcceptorState::Retry => AcceptorState::Retry,
    };
    let comparator = |c: traits::Comparator| match c {
        traits::Comparator::StringEquals => PathComparator::StringEquals,
        traits::Comparator::BooleanEquals => PathComparator::BooleanEquals,
        traits::Comparator::AllStringEquals => PathComparator::AllStringEquals,
        traits::Comparator::AnyStringEquals => PathComparator::AnyStringEquals,
    };
    let matcher = match acceptor.matcher {
        traits::Matcher::Output(m) => Matcher::Output {
            path: m.path,
            expected: m.expected,
            comparator: comparator(m.comparator),
        },
        traits::Matcher::InputOutput(m) => Matcher::InputOutput {
            path: m.path,
            expected: m.expected,
            comparator: comparator(m.comparator),
        },
        traits::Matcher::Success(success) => Matcher::Success(success),
        traits::Matcher::ErrorType(error) => Matcher::ErrorType(error),
    };
    Acceptor { state, matcher }
}
