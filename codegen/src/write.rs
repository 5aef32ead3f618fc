//! Writing generated files, or checking that they are current (`--check`), as rust-analyzer's
//! `ensure_file_contents` does: one function decides, so the test, the CLI and CI agree.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// What differs between the generator's output and the files on disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files whose contents differ.
    pub stale: Vec<PathBuf>,
    /// Files the generator emits that do not exist.
    pub missing: Vec<PathBuf>,
    /// Files in a generated directory that the generator no longer emits.
    pub extra: Vec<PathBuf>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    pub fn merge(&mut self, other: Report) {
        self.stale.extend(other.stale);
        self.missing.extend(other.missing);
        self.extra.extend(other.extra);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (label, paths) in [
            ("stale", &self.stale),
            ("missing", &self.missing),
            ("extra", &self.extra),
        ] {
            for path in paths {
                writeln!(f, "{label}: {}", path.display())?;
            }
        }
        Ok(())
    }
}

/// Makes `dir` hold exactly `files` (relative path, contents). With `check`, writes nothing and reports what
/// would change. Files that the generator no longer emits are reported as extra, and removed when writing if
/// `remove_extra` (only for directories the generator owns: never for a user's `--out` directory).
pub fn sync_dir(dir: &Path, files: &[(String, String)], check: bool, remove_extra: bool) -> std::io::Result<Report> {
    let mut report = Report::default();
    let emitted: BTreeSet<PathBuf> = files.iter().map(|(p, _)| dir.join(p)).collect();
    for (relative, contents) in files {
        let path = dir.join(relative);
        match std::fs::read(&path) {
            Ok(existing) if existing == contents.as_bytes() => continue,
            Ok(_) => report.stale.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.missing.push(path.clone()),
            Err(e) => return Err(e),
        }
        if !check {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, contents)?;
        }
    }
    if remove_extra {
        for path in files_under(dir)? {
            if !emitted.contains(&path) {
                if !check {
                    std::fs::remove_file(&path)?;
                }
                report.extra.push(path);
            }
        }
    }
    Ok(report)
}

/// Files under `dir`, skipping build output (`target/`, `Cargo.lock`) and hidden entries.
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "target" || name == "Cargo.lock" {
                continue;
            }
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            } else {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("awsgen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        dir
    }

    #[test]
    fn check_names_stale_missing_and_extra_files_and_writes_nothing() {
        let dir = scratch("check");
        std::fs::write(dir.join("Cargo.toml"), "old").unwrap();
        std::fs::write(dir.join("src/gone.rs"), "no longer generated").unwrap();
        std::fs::create_dir_all(dir.join("target")).unwrap();
        std::fs::write(dir.join("target/ignored"), "build output").unwrap();
        let files = vec![
            ("Cargo.toml".to_owned(), "new".to_owned()),
            ("src/lib.rs".to_owned(), "lib".to_owned()),
        ];

        let report = sync_dir(&dir, &files, true, true).unwrap();
        assert_eq!(report.stale, [dir.join("Cargo.toml")]);
        assert_eq!(report.missing, [dir.join("src/lib.rs")]);
        assert_eq!(report.extra, [dir.join("src/gone.rs")]);
        assert_eq!(
            std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
            "old",
            "--check writes nothing"
        );
        assert!(dir.join("src/gone.rs").exists());

        let written = sync_dir(&dir, &files, false, true).unwrap();
        assert_eq!(written, report, "a write reports what it changed");
        assert!(sync_dir(&dir, &files, true, true).unwrap().is_clean());
        assert!(!dir.join("src/gone.rs").exists());
        assert!(
            dir.join("target/ignored").exists(),
            "build output is not the generator's"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_users_directory_keeps_its_own_files() {
        let dir = scratch("keep");
        std::fs::write(dir.join("src/mine.rs"), "user code").unwrap();
        let files = vec![("src/lib.rs".to_owned(), "lib".to_owned())];
        let report = sync_dir(&dir, &files, false, false).unwrap();
        assert!(report.extra.is_empty());
        assert!(dir.join("src/mine.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
