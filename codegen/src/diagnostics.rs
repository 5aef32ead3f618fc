//! Problems found in a model, each tied to the JSON path of what is wrong.
//!
//! Every stage reports into one [`Diagnostics`] instead of returning at the first problem, so a maintainer
//! fixing a broken model sees all of it in one run.

use std::fmt;

/// How bad a problem is: errors stop generation, warnings are printed and generation goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The model cannot be turned into a crate.
    Error,
    /// Something of the model is left out of the crate (e.g. a pattern the regex engine cannot run).
    Warning,
}

/// One problem: where (a JSON pointer into the model file) and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// JSON pointer of the offending value, e.g. `/shapes/TaskSet/members/scale`.
    pub path: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in words a model author understands.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = if self.path.is_empty() {
            "(model root)"
        } else {
            &self.path
        };
        write!(f, "{label}: {path}: {}", self.message)
    }
}

/// Collects diagnostics across all stages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error at `path`.
    pub fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(path.into(), Severity::Error, message.into());
    }

    /// Records a warning at `path`.
    pub fn warning(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(path.into(), Severity::Warning, message.into());
    }

    fn push(&mut self, path: String, severity: Severity, message: String) {
        self.items.push(Diagnostic {
            path,
            severity,
            message,
        });
    }

    /// True when at least one error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by path so that output does not depend on traversal order.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort();
        items.dedup();
        items
    }

    /// Moves the diagnostics of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one JSON-pointer segment (RFC 6901), since shape and member names may contain `/` or `~`.
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins a JSON pointer with one more segment.
pub fn child(path: &str, segment: &str) -> String {
    format!("{path}/{}", pointer_segment(segment))
}
