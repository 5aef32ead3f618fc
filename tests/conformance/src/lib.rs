//! JSON-protocol conformance: runs botocore's awsJson 1.0/1.1 protocol-test suites against crates the generator
//! makes from them. `cargo xtask conformance` is the command line; this library does the work.
//!
//! For each suite file ([`suite`]), each suite becomes a botocore model ([`model`]) and a crate through
//! `codegen::generate`, exactly as any model does. The crates and a generated harness ([`harness`]) form one
//! cargo workspace under `target/conformance/`, built once. The harness drives each case through the runtime's
//! sans-IO functions (`protocol::build_request` for input cases, `protocol::parse_response` for output cases)
//! and prints what it observed; the library converts between botocore's value conventions and the wire form
//! ([`values`]) and compares ([`compare`]).
//!
//! Nothing here works around the generator or the runtime: a case that needs what they lack fails, with the
//! reason.

pub mod compare;
pub mod harness;
pub mod model;
pub mod run;
pub mod suite;
pub mod values;

pub use run::{run, Options};

/// The outcome of a run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The files with at least one selected case, in run order.
    pub files: Vec<FileReport>,
    /// What the run adjusted or the generator warned about (for `--verbose`).
    pub notes: Vec<String>,
}

/// The cases of one suite file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// Relative to the suites directory (`input/json.json`).
    pub path: String,
    pub cases: Vec<CaseReport>,
}

/// One case's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReport {
    pub id: String,
    /// The suite's description.
    pub suite: String,
    /// `Err` holds the one-line reason the case fails.
    pub outcome: Result<(), String>,
}

impl FileReport {
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.outcome.is_ok()).count()
    }

    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    /// `input/json.json: 50 passed, 4 failed`.
    pub fn summary_line(&self) -> String {
        format!("{}: {} passed, {} failed", self.path, self.passed(), self.failed())
    }

    /// The failing cases: id and reason.
    pub fn failures(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cases
            .iter()
            .filter_map(|c| c.outcome.as_ref().err().map(|reason| (c.id.as_str(), reason.as_str())))
    }
}

impl Report {
    pub fn passed(&self) -> usize {
        self.files.iter().map(FileReport::passed).sum()
    }

    pub fn failed(&self) -> usize {
        self.files.iter().map(FileReport::failed).sum()
    }

    /// `conformance: N passed, M failed`.
    pub fn summary_line(&self) -> String {
        format!("conformance: {} passed, {} failed", self.passed(), self.failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines() {
        let case = |id: &str, outcome: Result<(), String>| CaseReport {
            id: id.to_owned(),
            suite: "s".to_owned(),
            outcome,
        };
        let report = Report {
            files: vec![
                FileReport {
                    path: "input/json.json".to_owned(),
                    cases: vec![case("a", Ok(())), case("b", Err("why".to_owned())), case("c", Ok(()))],
                },
                FileReport {
                    path: "output/json.json".to_owned(),
                    cases: vec![case("d", Err("because".to_owned()))],
                },
            ],
            notes: Vec::new(),
        };
        assert_eq!(report.files[0].summary_line(), "input/json.json: 2 passed, 1 failed");
        assert_eq!(report.files[0].failures().collect::<Vec<_>>(), vec![("b", "why")]);
        assert_eq!(report.summary_line(), "conformance: 2 passed, 2 failed");
    }
}
