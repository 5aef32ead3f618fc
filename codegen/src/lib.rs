//! awsgen: a generator of Rust clients for AWS services that speak awsJson 1.0/1.1.
//!
//! The pipeline reads one way, and each stage owns one thing:
//! model JSON -> [`frontend`] (serde mirror) -> [`lower`] (ids first, then shapes; all model checks) ->
//! [`passes`] (subset, synthetic inputs/outputs, recursion boxing, names) -> IR ([`ir`]) -> [`emit`] (tokens)
//! -> [`format`](mod@format) (prettyplease) -> [`write`](mod@write) (or `--check`).

// A generator that panics on a model names no JSON path; library code reports diagnostics instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod config;
pub mod diagnostics;
pub mod docs;
pub mod emit;
pub mod format;
pub mod frontend;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod passes;
pub mod slice;
pub mod write;

use diagnostics::{Diagnostic, Diagnostics, Severity};

/// What to generate from a model. [`Options::default`] keeps the whole service and generates a crate of this
/// workspace, at `generated/<name>`, as `cargo xtask codegen` does; callers set what differs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Operations to keep (by wire name); `None` (the default) keeps the whole service.
    pub operations: Option<Vec<String>>,
    /// Package name; `None` (the default) names it `awsgen-<serviceId>`.
    pub crate_name: Option<String>,
    /// How the model is named in each file's preamble (a path relative to the repository, or a standalone crate's
    /// model file name); the default is `model.json`.
    pub model_label: String,
    /// The command that regenerates the crate, for each file's preamble; the default is `cargo xtask codegen`. A
    /// standalone crate's command is run in the crate's directory, and its paths are relative to it.
    pub regenerate_command: String,
    /// Path from the crate directory to the runtime crate; the default, `../../runtime`, is right for a crate at
    /// `generated/<name>`.
    pub runtime_path: String,
    /// True for a crate built outside this workspace (default false).
    pub standalone: bool,
    /// `#![deny(warnings)]` in the crate: for test fixtures only (see [`emit::CargoOptions::deny_warnings`]);
    /// default false.
    pub deny_warnings: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            operations: None,
            crate_name: None,
            model_label: "model.json".to_owned(),
            regenerate_command: "cargo xtask codegen".to_owned(),
            runtime_path: "../../runtime".to_owned(),
            standalone: false,
            deny_warnings: false,
        }
    }
}

/// A generated crate: its files (relative path, contents), in a fixed order.
#[derive(Debug)]
pub struct GeneratedCrate {
    pub files: Vec<(String, String)>,
    /// Parts of the model left out (e.g. a pattern the regex engine cannot run), each with its JSON path.
    pub warnings: Vec<Diagnostic>,
    /// The IR the crate was emitted from (after the passes), for tools that generate more code around the
    /// crate (the conformance harness) and must agree with it without lowering the model again.
    pub service: ir::Service,
}

impl GeneratedCrate {
    /// Shapes in the generated crate's IR.
    pub fn shape_count(&self) -> usize {
        self.service.shapes.len()
    }

    /// Operations in the generated crate's IR.
    pub fn operation_count(&self) -> usize {
        self.service.operations.len()
    }
}

/// Reads, checks and lowers a model (botocore's or a Smithy JSON AST, told apart by content) and the endpoint
/// rules into the IR, keeping `operations` (all when `None`).
pub fn load(
    model: &frontend::ModelInput,
    operations: Option<&[String]>,
) -> Result<(ir::Service, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let service = lower_model(model, &mut diagnostics).ok_or_else(|| diagnostics.clone())?;
    run_passes(service, diagnostics, operations)
}

/// Runs the passes over a lowered service (see [`lower_model`]), unless lowering reported errors.
pub fn run_passes(
    service: ir::Service,
    mut diagnostics: Diagnostics,
    operations: Option<&[String]>,
) -> Result<(ir::Service, Diagnostics), Diagnostics> {
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let service = passes::run(service, operations, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok((service, diagnostics))
}

/// Reads and lowers a model, before any pass: a Smithy JSON AST (a top-level `"smithy"` version) or a botocore
/// model. A Smithy model's endpoint rules are its service's `smithy.rules#endpointRuleSet` (else the file
/// beside it); a botocore model's are the file beside it. `None` when the model cannot be read at all.
pub fn lower_model(model: &frontend::ModelInput, diagnostics: &mut Diagnostics) -> Option<ir::Service> {
    let json = frontend::parse_json(&model.service, diagnostics)?;
    if frontend::smithy::is_smithy(&json) {
        let raw = frontend::smithy::read(&json, diagnostics)?;
        let endpoint_rules = match lower::smithy::endpoint_rule_set(&raw) {
            Some((rule_set, path)) => {
                frontend::endpoint_rules::read_rule_set(Some(&rule_set), &path, model, diagnostics)
            }
            None => frontend::endpoint_rules::read(model, diagnostics),
        };
        let mut service = lower::lower_smithy(&raw, endpoint_rules, diagnostics);
        // Paginators and waiters come from the model's own traits; the paginators' paths are checked as the
        // botocore file's are (waiters' expressions by a pass, for both).
        if !diagnostics.has_errors() {
            frontend::paginators::check_lowered(&mut service, diagnostics);
        }
        Some(service)
    } else {
        let raw = frontend::botocore::read(&json, diagnostics)?;
        let endpoint_rules = frontend::endpoint_rules::read(model, diagnostics);
        let mut service = lower::lower_botocore(&raw, endpoint_rules, diagnostics);
        // Paginators and waiters come from the files beside the model.
        if let Some(waiters) = &model.waiters {
            service.waiters = frontend::waiters::read(waiters, diagnostics);
        }
        if !diagnostics.has_errors() {
            frontend::paginators::read(model, &mut service, diagnostics);
        }
        Some(service)
    }
}

/// Generates a crate from a model (botocore's or a Smithy JSON AST) and the files beside it.
pub fn generate(model: &frontend::ModelInput, options: &Options) -> Result<GeneratedCrate, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let service = lower_model(model, &mut diagnostics).ok_or_else(|| diagnostics.clone())?;
    generate_lowered(service, diagnostics, options)
}

/// Generates a crate from a lowered service (see [`lower_model`]) and lowering's diagnostics: the passes, then
/// emission and formatting. Tools that compare or adjust the IR of two models (the front-end equivalence test)
/// start here.
pub fn generate_lowered(
    service: ir::Service,
    diagnostics: Diagnostics,
    options: &Options,
) -> Result<GeneratedCrate, Diagnostics> {
    let (service, diagnostics) = run_passes(service, diagnostics, options.operations.as_deref())?;
    let crate_name = options
        .crate_name
        .clone()
        .unwrap_or_else(|| default_crate_name(&service));
    let cargo = emit::CargoOptions {
        crate_name,
        runtime_path: options.runtime_path.clone(),
        standalone: options.standalone,
        deny_warnings: options.deny_warnings,
    };
    let preamble = |comment| {
        format::preamble(
            &options.model_label,
            &options.regenerate_command,
            options.standalone,
            comment,
        )
    };
    let mut files = Vec::new();
    let mut failures = Diagnostics::default();
    for file in emit::emit_crate(&service, &cargo)? {
        let contents = match file.contents {
            emit::FileContents::Rust(tokens) => format::rust_file(&file.path, tokens, &preamble("//")),
            emit::FileContents::Text(text) => Ok(format!("{}{text}", preamble("#"))),
        };
        match contents {
            Ok(contents) => files.push((file.path, contents)),
            Err(message) => failures.error(format!("(output) {}", file.path), message),
        }
    }
    if failures.has_errors() {
        return Err(failures);
    }
    let warnings = diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    Ok(GeneratedCrate {
        files,
        warnings,
        service,
    })
}

/// `awsgen-<serviceId in kebab case>`, e.g. `awsgen-ecs`, `awsgen-cloudwatch-logs`.
pub fn default_crate_name(service: &ir::Service) -> String {
    use heck::ToKebabCase;
    format!("awsgen-{}", service.metadata.service_id.to_lowercase().to_kebab_case())
}

/// Generates one crate configured in `models/` (see [`config`]): the function both `cargo xtask codegen` and the
/// golden tests call, so they cannot disagree about what "current" means.
pub fn generate_configured(
    repo_root: &std::path::Path,
    crate_config: &config::CrateConfig,
) -> Result<GeneratedCrate, String> {
    let model = frontend::ModelInput::read(&crate_config.model_path)?;
    let options = Options {
        operations: crate_config.operations.clone(),
        crate_name: crate_config.crate_name.clone(),
        model_label: config::relative_path(repo_root, &crate_config.model_path),
        runtime_path: config::relative_path(&crate_config.out_dir, &repo_root.join("runtime")),
        ..Options::default()
    };
    let mut generated = generate(&model, &options).map_err(|diagnostics| {
        format!(
            "{}: the model has errors:\n{diagnostics}",
            crate_config.model_path.display()
        )
    })?;
    // Hand-written examples from `models/<name>/examples/`, copied with a line saying where they come from.
    let examples_dir = crate_config
        .config_path
        .parent()
        .map(|dir| dir.join("examples"))
        .unwrap_or_default();
    for (name, text) in &crate_config.examples {
        let source = config::relative_path(repo_root, &examples_dir.join(name));
        let header =
            format!("// Copied by awsgen from {source}; edit it there. Regenerate with `cargo xtask codegen`.\n\n");
        generated
            .files
            .push((format!("examples/{name}"), format!("{header}{text}")));
    }
    Ok(generated)
}
