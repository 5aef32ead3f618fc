//! botocore's `paginators-1.json` beside a model: `{"pagination": {"ListX": {"input_token", "output_token",
//! "limit_key", "result_key", ...}}}`, read into [`Operation::paginator`] after lowering.
//!
//! What the IR expresses is read: one input token (a member of the input), one output token (a member path
//! through the output's structures, `Foo.NextToken`, whose steps may take a list's last item, `Shards[-1]`; a
//! string, or the same map as the input token, as DynamoDB's keys are), the page size (an integer member of the
//! input), the first result key (a list or map, possibly nested) and `more_results` (a boolean member path). The
//! rest is a warning naming its JSON path, and never a panic: several tokens, a token that is any other JMESPath
//! expression, or one that names no member leave the operation without a paginator; a page size, result key or
//! `more_results` that does not resolve leaves it without that part. `non_aggregate_keys` is botocore's own (its
//! `build_full_result`) and is ignored. Entries for operations the model does not have are skipped silently
//! (botocore's file covers the whole service; a model may be a slice).
//!
//! [`check`] holds the checks against the IR apart from botocore's spelling, for any front-end to reuse.

use super::ModelInput;
use crate::diagnostics::{child, Diagnostics};
use crate::ir::{Member, Operation, Paginator, Service, ShapeId, ShapeKind};
use serde_json::Value;

/// Where diagnostics about the file point (its own JSON paths follow).
const FILE: &str = "(paginators-1.json)";

/// Reads the paginators of `input` (if it has a `paginators-1.json`) into the operations of `service`.
pub fn read(input: &ModelInput, service: &mut Service, diagnostics: &mut Diagnostics) {
    let Some(bytes) = input.paginators.as_deref() else {
        return;
    };
    let json: Value = match serde_json::from_slice(bytes) {
        Ok(json) => json,
        Err(_) => {
            let (path, e) = super::syntax_error(bytes);
            diagnostics.warning(
                format!("{FILE}{path}"),
                format!("not valid JSON, so no paginator is generated: {e}"),
            );
            return;
        }
    };
    if !json.is_object() {
        diagnostics.warning(
            FILE,
            "expected an object with `pagination`, so no paginator is generated",
        );
        return;
    }
    let pagination_path = child(FILE, "pagination");
    let Some(pagination) = json.get("pagination").and_then(Value::as_object) else {
        diagnostics.warning(
            &pagination_path,
            "expected an object of paginators by operation name, so no paginator is generated",
        );
        return;
    };
    let mut found = Vec::new();
    for (name, entry) in pagination {
        let Some(index) = service.operations.iter().position(|op| &op.wire_name == name) else {
            continue;
        };
        let path = child(&pagination_path, name);
        if let Some(paginator) = parse_entry(entry, &path, diagnostics) {
            found.push((index, paginator, path));
        }
    }
    let file_key = |field| match field {
        Field::InputToken => "input_token",
        Field::OutputToken => "output_token",
        Field::PageSize => "limit_key",
        Field::Items => "result_key",
        Field::MoreResults => "more_results",
    };
    check_and_set(service, found, file_key, diagnostics);
}

/// Checks the paginators a lowering filled from the model itself (Smithy's `@paginated`, merged over the
/// service's), as [`read`] checks the file's: each problem is a warning at the paginator's JSON path, under the
/// trait's key names.
pub fn check_lowered(service: &mut Service, diagnostics: &mut Diagnostics) {
    let found = service
        .operations
        .iter()
        .enumerate()
        .filter_map(|(index, op)| {
            let paginator = op.paginator.clone()?;
            let path = paginator.json_path.clone();
            Some((index, paginator, path))
        })
        .collect();
    let trait_key = |field| match field {
        Field::InputToken => "inputToken",
        Field::OutputToken => "outputToken",
        Field::PageSize => "pageSize",
        Field::Items => "items",
        // Smithy's `@paginated` has no such key; a lowering never fills it.
        Field::MoreResults => "moreResults",
    };
    check_and_set(service, found, trait_key, diagnostics);
}

/// [`check`]s each `(operation index, paginator, JSON path)` and sets what survives on its operation, reporting
/// each problem as a warning at the path under the key `key_of` names in the source's terms.
fn check_and_set(
    service: &mut Service,
    found: Vec<(usize, Paginator, String)>,
    key_of: fn(Field) -> &'static str,
    diagnostics: &mut Diagnostics,
) {
    let checked: Vec<_> = found
        .into_iter()
        .filter_map(|(index, paginator, path)| {
            let op = service.operations.get(index)?;
            let (paginator, problems) = check(service, op, paginator);
            Some((index, paginator, path, problems))
        })
        .collect();
    for (index, paginator, path, problems) in checked {
        for problem in problems {
            diagnostics.warning(child(&path, key_of(problem.field)), problem.message);
        }
        if let Some(op) = service.operations.get_mut(index) {
            op.paginator = paginator;
        }
    }
}

/// One entry as the IR has it (paths unchecked), or `None` after a warning when the IR cannot express it.
fn parse_entry(entry: &Value, path: &str, diagnostics: &mut Diagnostics) -> Option<Paginator> {
    let Some(object) = entry.as_object() else {
        diagnostics.warning(path, "expected an object, so the operation gets no paginator");
        return None;
    };
    let mut ok = true;
    let mut member_path = |key: &str, required: bool| -> Option<Vec<String>> {
        let key_path = child(path, key);
        let (text, text_path) = match object.get(key) {
            None if required => {
                diagnostics.warning(&key_path, "missing, so the operation gets no paginator");
                ok = false;
                return None;
            }
            None => return None,
            Some(Value::String(text)) => (text.as_str(), key_path),
            // Several result keys: the first is the items (as Smithy's `@paginated` has one `items`).
            Some(Value::Array(items)) if key == "result_key" && !items.is_empty() => match items.first() {
                Some(Value::String(text)) => (text.as_str(), child(&key_path, "0")),
                _ => {
                    diagnostics.warning(
                        child(&key_path, "0"),
                        "expected a string, so `items()` is not generated",
                    );
                    return None;
                }
            },
            // A one-element list is the same as its element.
            Some(Value::Array(items)) if items.len() == 1 => match items.first() {
                Some(Value::String(text)) => (text.as_str(), child(&key_path, "0")),
                _ => {
                    diagnostics.warning(
                        child(&key_path, "0"),
                        "expected a string, so the operation gets no paginator",
                    );
                    ok &= !required;
                    return None;
                }
            },
            Some(Value::Array(_)) if required => {
                diagnostics.warning(
                    &key_path,
                    "several tokens are not supported (one input and one output token are), so the operation gets \
                     no paginator",
                );
                ok = false;
                return None;
            }
            Some(_) => {
                let what = if required {
                    "the operation gets no paginator"
                } else {
                    "it is ignored"
                };
                diagnostics.warning(&key_path, format!("expected a member name or path, so {what}"));
                ok &= !required;
                return None;
            }
        };
        let segments: Vec<String> = text.split('.').map(str::to_owned).collect();
        let is_name = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        // Only the output token may step through a list's last item, and not as its last step.
        let last_items_allowed = key == "output_token";
        let step_ok = |(i, s): (usize, &String)| match Paginator::step(s) {
            (name, true) => last_items_allowed && i + 1 < segments.len() && is_name(name),
            (name, false) => is_name(name),
        };
        if !segments.iter().enumerate().all(step_ok) {
            let what = match key {
                "result_key" => "`items()` is not generated",
                "limit_key" => "`page_size()` is not generated",
                "more_results" => "it is ignored",
                _ => "the operation gets no paginator",
            };
            diagnostics.warning(
                text_path,
                format!("`{text}` is a JMESPath expression, not a member path (`Foo.NextToken`), so {what}"),
            );
            ok &= !required;
            return None;
        }
        Some(segments)
    };
    let input_token = member_path("input_token", true);
    let output_token = member_path("output_token", true);
    let page_size = member_path("limit_key", false);
    let items = member_path("result_key", false);
    let more_results = member_path("more_results", false);
    let input_token = match input_token {
        Some(segments) => match <[String; 1]>::try_from(segments) {
            Ok([name]) => name,
            Err(segments) => {
                diagnostics.warning(
                    child(path, "input_token"),
                    format!(
                        "`{}` is a nested path; the input token must be a member of the input, so the operation gets \
                         no paginator",
                        segments.join(".")
                    ),
                );
                return None;
            }
        },
        None => return None,
    };
    let page_size = match page_size.map(<[String; 1]>::try_from) {
        Some(Ok([name])) => Some(name),
        Some(Err(segments)) => {
            diagnostics.warning(
                child(path, "limit_key"),
                format!(
                    "`{}` is a nested path; the page size must be a member of the input, so `page_size()` is not \
                     generated",
                    segments.join(".")
                ),
            );
            None
        }
        None => None,
    };
    if !ok {
        return None;
    }
    Some(Paginator {
        input_token,
        output_token: output_token?,
        more_results,
        page_size,
        items,
        json_path: path.to_owned(),
    })
}

/// The part of a paginator a [`Problem`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    InputToken,
    OutputToken,
    PageSize,
    Items,
    MoreResults,
}

/// A paginator path that does not resolve in the IR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

/// Checks `paginator` against `op`'s input and output (the IR before the passes, or after them: paths are wire
/// names): the input token must be a string member of the input, the output token a string member reached through
/// the output's structures, the page size an integer or long member of the input, the items a list or map reached
/// the same way. A broken token drops the paginator (`None`); a broken page size or items path drops only that
/// part. Each problem is returned for the caller to report in its own file's terms.
pub fn check(service: &Service, op: &Operation, paginator: Paginator) -> (Option<Paginator>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut problem = |field, message: String| problems.push(Problem { field, message });
    let drop_all = "so the operation gets no paginator";
    let mut tokens_ok = true;
    let input_token = match resolve(service, op.input, std::slice::from_ref(&paginator.input_token)) {
        Ok(member) if is_token(service, member.target) => Some(member.target),
        Ok(member) => {
            problem(
                Field::InputToken,
                format!(
                    "the input token `{}` is {}, not a string or map, {drop_all}",
                    paginator.input_token,
                    kind_name(service.get_shape(member.target).map(|s| &s.kind))
                ),
            );
            tokens_ok = false;
            None
        }
        Err(e) => {
            problem(Field::InputToken, format!("{e}, {drop_all}"));
            tokens_ok = false;
            None
        }
    };
    match resolve(service, op.output, &paginator.output_token) {
        // The token a page gives is sent as the next page's: a string for a string, or the very same map.
        Ok(member) => {
            let both_strings = is_string(service, member.target) && input_token.is_some_and(|t| is_string(service, t));
            let same_map = input_token == Some(member.target) && is_token(service, member.target);
            if !both_strings && !same_map && input_token.is_some() {
                problem(
                    Field::OutputToken,
                    format!(
                        "the output token `{}` is {}, which the input token `{}` cannot take, {drop_all}",
                        paginator.output_token.join("."),
                        kind_name(service.get_shape(member.target).map(|s| &s.kind)),
                        paginator.input_token,
                    ),
                );
                tokens_ok = false;
            }
        }
        Err(e) => {
            problem(Field::OutputToken, format!("{e}, {drop_all}"));
            tokens_ok = false;
        }
    }
    let more_results = paginator.more_results.clone().filter(|path| {
        match resolve(service, op.output, path) {
            Ok(member) => match service.get_shape(member.target).map(|s| &s.kind) {
                Some(ShapeKind::Boolean) => return true,
                kind => problem(
                    Field::MoreResults,
                    format!(
                        "`{}` is {}, not a boolean, so it is ignored",
                        path.join("."),
                        kind_name(kind)
                    ),
                ),
            },
            Err(e) => problem(Field::MoreResults, format!("{e}, so it is ignored")),
        }
        false
    });
    let page_size = paginator.page_size.clone().filter(|name| {
        match resolve(service, op.input, std::slice::from_ref(name)) {
            Ok(member) => match service.get_shape(member.target).map(|s| &s.kind) {
                Some(ShapeKind::Integer { .. } | ShapeKind::Long { .. }) => return true,
                _ => problem(
                    Field::PageSize,
                    format!(
                        "the page size `{name}` is {}, not an integer, so `page_size()` is not generated",
                        kind_name(service.get_shape(member.target).map(|s| &s.kind))
                    ),
                ),
            },
            Err(e) => problem(Field::PageSize, format!("{e}, so `page_size()` is not generated")),
        }
        false
    });
    let items = paginator.items.clone().filter(|path| {
        match resolve(service, op.output, path) {
            Ok(member) => match service.get_shape(member.target).map(|s| &s.kind) {
                Some(ShapeKind::List { .. } | ShapeKind::Map { .. }) => return true,
                _ => problem(
                    Field::Items,
                    format!(
                        "the items `{}` are {}, not a list or map, so `items()` is not generated",
                        path.join("."),
                        kind_name(service.get_shape(member.target).map(|s| &s.kind))
                    ),
                ),
            },
            Err(e) => problem(Field::Items, format!("{e}, so `items()` is not generated")),
        }
        false
    });
    let paginator = tokens_ok.then_some(Paginator {
        page_size,
        items,
        more_results,
        ..paginator
    });
    (paginator, problems)
}

/// The member at `path` (wire names) from the structure `root` down, every step but the last a structure.
pub fn resolve<'a>(service: &'a Service, root: ShapeId, path: &[String]) -> Result<&'a Member, String> {
    let mut shape = service.get_shape(root);
    let mut member = None;
    for (depth, name) in path.iter().enumerate() {
        let here = path.get(..depth).unwrap_or_default().join(".");
        let structure = match shape.map(|s| (s, &s.kind)) {
            Some((_, ShapeKind::Structure(s))) => s,
            Some((s, kind)) if depth > 0 => {
                return Err(format!(
                    "`{here}` is {} (`{}`), not a structure with a member `{name}`",
                    kind_name(Some(kind)),
                    s.wire_name
                ))
            }
            // An operation without an input or output structure has no members.
            _ => {
                return Err(format!(
                    "the operation has no {}",
                    if depth == 0 { "such member" } else { "such path" }
                ))
            }
        };
        let (name, last_item) = Paginator::step(name);
        let Some(found) = structure.members.iter().find(|m| m.wire_name == name) else {
            let owner = shape.map_or("", |s| s.wire_name.as_str());
            return Err(if depth == 0 {
                format!("`{name}` is not a member of `{owner}`")
            } else {
                format!("`{here}` (`{owner}`) has no member `{name}`")
            });
        };
        member = Some(found);
        shape = service.get_shape(found.target);
        if last_item {
            match shape.map(|s| &s.kind) {
                Some(ShapeKind::List { member, .. }) => shape = service.get_shape(*member),
                kind => {
                    return Err(format!(
                        "`{name}` is {}, not a list to take the last item of",
                        kind_name(kind)
                    ))
                }
            }
        }
    }
    member.ok_or_else(|| "the path is empty".to_owned())
}

/// A shape a token can be: a string, or a map (the runtime's `PageToken` types).
fn is_token(service: &Service, id: ShapeId) -> bool {
    matches!(
        service.get_shape(id).map(|s| &s.kind),
        Some(ShapeKind::String { .. } | ShapeKind::Map { .. })
    )
}

fn is_string(service: &Service, id: ShapeId) -> bool {
    matches!(service.get_shape(id).map(|s| &s.kind), Some(ShapeKind::String { .. }))
}

/// "a map", "a structure", ... for messages.
fn kind_name(kind: Option<&ShapeKind>) -> &'static str {
    match kind {
        None => "nothing",
        Some(ShapeKind::Structure(_)) => "a structure",
        Some(ShapeKind::Union(_)) => "a union",
        Some(ShapeKind::List { .. }) => "a list",
        Some(ShapeKind::Map { .. }) => "a map",
        Some(ShapeKind::String { .. }) => "a string",
        Some(ShapeKind::Enum { .. }) => "an enum",
        Some(ShapeKind::Integer { .. }) => "an integer",
        Some(ShapeKind::Long { .. }) => "a long",
        Some(ShapeKind::Float { .. }) => "a float",
        Some(ShapeKind::Double { .. }) => "a double",
        Some(ShapeKind::Boolean) => "a boolean",
        Some(ShapeKind::Blob { .. }) => "a blob",
        Some(ShapeKind::Timestamp { .. }) => "a timestamp",
        Some(ShapeKind::Document) => "a document",
    }
}
