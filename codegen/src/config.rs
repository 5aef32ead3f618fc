//! The crates `cargo xtask codegen` maintains: one `models/<name>/codegen.toml` per crate.
//!
//! ```toml
//! model = "service-2.json"           # relative to this file
//! operations = ["DescribeTaskSets"]  # optional: the whole service when absent
//! crate-name = "awsgen-ecs"          # optional
//! out = "generated/ecs"              # relative to the repository root
//! ```
//!
//! Hand-written examples for the crate live beside the config, in `models/<name>/examples/*.rs`: reviewed there,
//! copied into the crate's `examples/` by the generator (so `generated/` is still only written by it).

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct File {
    model: PathBuf,
    operations: Option<Vec<String>>,
    crate_name: Option<String>,
    out: PathBuf,
}

/// One configured crate, with paths resolved against the repository root.
#[derive(Clone, Debug)]
pub struct CrateConfig {
    /// The config file, for messages.
    pub config_path: PathBuf,
    pub model_path: PathBuf,
    pub operations: Option<Vec<String>>,
    pub crate_name: Option<String>,
    pub out_dir: PathBuf,
    /// `examples/*.rs` beside the config, sorted: (file name, contents).
    pub examples: Vec<(String, String)>,
}

/// Reads every `models/*/codegen.toml` under `repo_root`, sorted by directory name.
pub fn discover(repo_root: &Path) -> Result<Vec<CrateConfig>, String> {
    let models = repo_root.join("models");
    let entries = std::fs::read_dir(&models).map_err(|e| format!("cannot list {}: {e}", models.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path().join("codegen.toml")))
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let dir = path.parent().unwrap_or(&models);
            Ok(CrateConfig {
                model_path: dir.join(&file.model),
                operations: file.operations,
                crate_name: file.crate_name,
                out_dir: repo_root.join(&file.out),
                examples: read_examples(&dir.join("examples"))?,
                config_path: path,
            })
        })
        .collect()
}

fn read_examples(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut examples = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            examples.push((name, text));
        }
    }
    examples.sort();
    Ok(examples)
}

/// For two absolute paths: a relative path from `from_dir` to `to_dir`, `/`-separated, when they share a directory
/// below the filesystem root; else `to_dir` as it is (a `/tmp` crate names the runtime absolutely rather than by
/// `../../..`). Used for paths in the configured crates, the goldens and the test crates.
pub fn relative_path(from_dir: &Path, to_dir: &Path) -> String {
    let from: Vec<_> = from_dir.components().collect();
    let to: Vec<_> = to_dir.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let only_root_shared = common == 1 && from.first().is_some_and(|c| matches!(c, std::path::Component::RootDir));
    if common == 0 || only_root_shared {
        return to_dir.display().to_string();
    }
    path_from(from_dir, to_dir)
}

/// For two absolute paths: the relative path from `from_dir` to `to`, `/`-separated, going up through the
/// filesystem root if need be. Used where a text must not depend on where a directory tree sits (a standalone
/// crate's regenerate command).
pub fn path_from(from_dir: &Path, to: &Path) -> String {
    let from: Vec<_> = from_dir.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_owned(), from.len() - common);
    let downs = to
        .iter()
        .skip(common)
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::{path_from, relative_path};
    use std::path::Path;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/r/generated/ecs"), Path::new("/r/runtime")),
            "../../runtime"
        );
        assert_eq!(
            relative_path(Path::new("/tmp/x"), Path::new("/r/runtime")),
            "/r/runtime"
        );
        assert_eq!(relative_path(Path::new("/r"), Path::new("/r")), ".");
    }

    #[test]
    fn paths_from_a_directory_go_up_through_the_root_when_they_must() {
        assert_eq!(path_from(Path::new("/tmp/x"), Path::new("/r/m.json")), "../../r/m.json");
        assert_eq!(
            path_from(Path::new("/r/out"), Path::new("/r/models/m.json")),
            "../models/m.json"
        );
        assert_eq!(path_from(Path::new("/r"), Path::new("/r")), ".");
    }
}
