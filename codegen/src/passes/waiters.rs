//! Which waiters a crate gets: those whose operation it has, with expressions the runtime can evaluate.

use crate::diagnostics::Diagnostics;
use crate::ir::{Matcher, Service};
use awsgen_runtime::waiter::jmespath::Expression;

/// Keeps the waiters whose operation is in the crate (a waiter of an operation left out of a subset is dropped
/// without a word) and whose JMESPath expressions the runtime's interpreter parses (one that does not is left
/// out with a warning at its acceptor's path), sorted by name. Both front-ends fill [`Service::waiters`]; this
/// is the one place their waiters are checked.
pub fn keep_waiters(service: &mut Service, diagnostics: &mut Diagnostics) {
    let operations: Vec<&str> = service.operations.iter().map(|o| o.wire_name.as_str()).collect();
    service.waiters.retain(|waiter| {
        if !operations.contains(&waiter.operation.as_str()) {
            return false;
        }
        for (i, acceptor) in waiter.acceptors.iter().enumerate() {
            if let Matcher::Output { path, .. } | Matcher::InputOutput { path, .. } = &acceptor.matcher {
                if let Err(e) = Expression::parse(path) {
                    diagnostics.warning(
                        format!("{}/acceptors/{i}", waiter.json_path),
                        format!(
                            "the JMESPath expression `{path}` cannot be evaluated ({e}); the waiter `{}` is left out",
                            waiter.name
                        ),
                    );
                    return false;
                }
            }
        }
        true
    });
    service.waiters.sort_by(|a, b| a.name.cmp(&b.name));
}

#[cfg(test)]
mod tests {
    use crate::frontend::ModelInput;
    use serde_json::json;

    #[test]
    fn waiters_of_other_operations_go_quietly_and_bad_paths_with_a_warning() {
        let model = json!({
            "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T", "endpointPrefix": "t",
                         "apiVersion": "2024-01-01"},
            "operations": {"Get": {"input": {"shape": "In"}}, "Put": {"input": {"shape": "In"}}},
            "shapes": {"In": {"type": "structure", "members": {}}},
        });
        let waiters = json!({"version": 2, "waiters": {
            "Zed": {"operation": "Get", "delay": 1, "acceptors": [{"matcher": "path", "argument": "a", "expected": "x", "state": "success"}]},
            "Alpha": {"operation": "Get", "delay": 1, "acceptors": [{"matcher": "error", "expected": "E", "state": "success"}]},
            "OnPut": {"operation": "Put", "delay": 1, "acceptors": [{"matcher": "error", "expected": "E", "state": "success"}]},
            "Elsewhere": {"operation": "Delete", "delay": 1, "acceptors": [{"matcher": "error", "expected": "E", "state": "success"}]},
            "Broken": {"operation": "Get", "delay": 1, "acceptors": [
                {"matcher": "error", "expected": "E", "state": "retry"},
                {"matcher": "path", "argument": "sort_by(a, &b)", "expected": "x", "state": "success"}]},
        }});
        let input = ModelInput {
            waiters: Some(waiters.to_string().into_bytes()),
            ..ModelInput::new(model.to_string().into_bytes())
        };
        let only_get = ["Get".to_owned()];
        let (service, diagnostics) = crate::load(&input, Some(&only_get)).unwrap();
        let names: Vec<&str> = service.waiters.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["Alpha", "Zed"]);
        assert_eq!(service.waiters[1].symbols.method, "wait_until_zed");
        assert_eq!(service.waiters[1].symbols.error, "WaitUntilZedError");
        assert_eq!(service.waiters[1].symbols.file, "src/waiters/zed.rs");
        let warnings: Vec<String> = diagnostics.sorted().into_iter().map(|d| d.to_string()).collect();
        assert_eq!(
            warnings,
            ["warning: (waiters-2.json)/waiters/Broken/acceptors/1: the JMESPath expression `sort_by(a, &b)` cannot \
              be evaluated (at offset 11: expression references (`&expr`) are not supported); the waiter `Broken` is \
              left out"]
        );
    }
}
