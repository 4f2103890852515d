//! Command-line interface: arguments, and the mapping of outcomes to exit codes.

use crate::report::{Format, ReportOptions};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit codes (docs/cli.md).
pub mod exit {
    /// The scan ran (diagnostics do not change this); `check`: nothing the policy fails on.
    pub const OK: i32 = 0;
    /// `check`: the policy denies a component (or, with `--fail-on review`, sends one to review).
    pub const POLICY: i32 = 1;
    /// Usage error: bad arguments, a root that does not exist.
    pub const USAGE: i32 = 2;
    /// An output could not be written.
    pub const OUTPUT: i32 = 3;
    /// `diff --fail-on new-findings`: the new inventory has findings the old one lacks.
    pub const NEW_FINDINGS: i32 = 1;
}

#[derive(Debug, Parser)]
#[command(
    name = "kataster",
    version,
    about = "A software cadastre: every component of a codebase, its license and what that license demands."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan one or more roots and write the inventory.
    Scan(ScanArgs),
    /// Join inventories (the shards of an estate scan) into one.
    Merge(MergeArgs),
    /// Compare two inventories: components added, removed and changed; new and resolved findings.
    Diff(DiffArgs),
    /// Draw the open-source dashboard (self-contained HTML) from the history database.
    Dashboard(DashboardArgs),
    /// Scan, apply the license policy, print its findings; exit 1 when something is denied.
    Check(CheckArgs),
    /// Explain a license expression: category, open-source status, copyleft, obligations.
    License(LicenseArgs),
}

/// `FORMAT[=FILE]`: a report format and where to write it (stdout without `=FILE`).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSpec {
    pub format: Format,
    pub file: Option<PathBuf>,
}

/// Split `FORMAT[=FILE]`.
fn split_output_spec(s: &str) -> Result<(&str, Option<PathBuf>), String> {
    match s.split_once('=') {
        Some((n, f)) if !f.is_empty() => Ok((n, Some(PathBuf::from(f)))),
        Some((_, _)) => Err(format!("`{s}`: no file after `=`")),
        None => Ok((s, None)),
    }
}

fn parse_output(s: &str) -> Result<OutputSpec, String> {
    let (name, file) = split_output_spec(s)?;
    let format =
        Format::parse(name).ok_or_else(|| format!("unknown format `{name}` (known: {})", Format::NAMES.join(", ")))?;
    Ok(OutputSpec { format, file })
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s.as_bytes() {
        [b] if b.is_ascii() && *b != b'"' && *b != b'\n' => Ok(*b),
        _ if s == "\\t" || s == "tab" => Ok(b'\t'),
        _ => Err(format!("`{s}` is not a single ASCII character")),
    }
}

fn parse_lang(s: &str) -> Result<crate::report::Lang, String> {
    crate::report::Lang::parse(s)
        .ok_or_else(|| format!("unknown language `{s}` (known: {})", crate::report::Lang::NAMES.join(", ")))
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Roots to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report FORMAT[=FILE], repeatable; formats: table, json, csv, cyclonedx-json, spdx-json,
    /// xlsx, html, notice. Without =FILE to stdout.
    #[arg(short, long = "output", value_name = "FORMAT[=FILE]", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,
    /// Leave out paths matching GLOB (gitignore syntax, relative to each root); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Honour .gitignore files (off by default: ignored dependency trees belong in an inventory).
    #[arg(long)]
    pub respect_gitignore: bool,
    /// Files larger than this are listed with a diagnostic but not read.
    #[arg(long, value_name = "BYTES", default_value_t = crate::scan::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Field delimiter of csv output (`;` for German spreadsheet defaults).
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub csv_delimiter: u8,
    /// Language of csv, xlsx, html and notice reports: en or de.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    pub lang: crate::report::Lang,
    /// No progress bar, no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Scan every repository below DIR (each folder holding `.git`) as one estate.
    #[arg(long, value_name = "DIR", conflicts_with = "paths")]
    pub estate: Option<PathBuf>,
    /// Scan the repositories listed in an estate file (TOML; docs/estate.md), with their
    /// department, owner and criticality.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub estate_file: Option<PathBuf>,
    /// Scan only shard I of N of the estate (1-based; by a hash of each repository's name).
    #[arg(long, value_name = "I/N", value_parser = crate::estate::parse_shard)]
    pub shard: Option<crate::inventory::model::Shard>,
    /// Cache detection results per file content in DIR, so rescans of unchanged files are fast.
    #[arg(long, value_name = "DIR")]
    pub result_cache: Option<PathBuf>,
    /// Store the scan in the history database FILE (SQLite; created if missing).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// License policy (default: `kataster.toml` in each root, else the built-in default).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Register of entitlements (purchased licenses; .toml, .csv or .xlsx) to match commercial
    /// components against (default: `entitlements.toml` beside `--policy FILE`).
    #[arg(long, value_name = "FILE")]
    pub entitlements: Option<PathBuf>,
    /// Look up licenses the local caches do not know in the package registries (cached on disk).
    #[arg(long)]
    pub online: bool,
    /// A package cache or install folder to search, ECOSYSTEM=PATH (cargo, npm, pypi, golang,
    /// maven, nuget, composer, gem); repeatable.
    #[arg(long, value_name = "ECOSYSTEM=PATH", value_parser = parse_cache_dir)]
    pub cache_dir: Vec<(String, PathBuf)>,
    /// A registry base URL for --online, ECOSYSTEM=URL (a mirror); repeatable.
    #[arg(long, value_name = "ECOSYSTEM=URL", value_parser = parse_registry)]
    pub registry: Vec<(String, String)>,
    /// A Python virtual environment (or site-packages folder) to read installed licenses from; repeatable.
    #[arg(long, value_name = "PATH")]
    pub python_env: Vec<PathBuf>,
    /// Do not search the machine's default package caches (~/.cargo, ~/.m2, ...).
    #[arg(long)]
    pub no_local_caches: bool,
}

/// What `check` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Components the policy denies.
    Deny,
    /// Components the policy denies or sends to review.
    Review,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Exit 1 on denied components (`deny`), or also on those sent to review (`review`).
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "deny")]
    pub fail_on: FailOn,
    /// Fail only on findings this earlier inventory (native JSON) does not have; those it
    /// has are still listed.
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
}

/// Language of `kataster license`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    En,
    De,
}

#[derive(Debug, Args)]
pub struct LicenseArgs {
    /// The license expression or name (`"MIT OR Apache-2.0"`, `GPLv2+`, `"Apache License, Version 2.0"`).
    #[arg(required = true, num_args = 1.., value_name = "EXPRESSION")]
    pub expression: Vec<String>,
    /// Language of the explanation.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Inventories (native JSON) to join, e.g. the shards of an estate scan.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Report FORMAT[=FILE], repeatable; formats: table, json, csv, cyclonedx-json, spdx-json,
    /// xlsx, html, notice. Without =FILE to stdout.
    #[arg(short, long = "output", value_name = "FORMAT[=FILE]", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,
    /// Field delimiter of csv output.
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub csv_delimiter: u8,
    /// Store the merged inventory in the history database FILE (SQLite; created if missing).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Language of csv, xlsx, html and notice reports: en or de.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    pub lang: crate::report::Lang,
}

#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// The history database written by `scan --db` or `merge --db`.
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// Output `html[=FILE]`; without =FILE to stdout.
    #[arg(short, long = "output", value_name = "html[=FILE]", value_parser = parse_dashboard_output)]
    pub output: Option<DashboardOutput>,
}

/// `html[=FILE]` of `kataster dashboard`.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardOutput {
    pub file: Option<PathBuf>,
}

fn parse_dashboard_output(s: &str) -> Result<DashboardOutput, String> {
    match split_output_spec(s)? {
        ("html", file) => Ok(DashboardOutput { file }),
        (name, _) => Err(format!("unknown format `{name}` (known: html)")),
    }
}

/// `FORMAT[=FILE]` of `kataster diff`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffOutputSpec {
    pub format: crate::diff::render::DiffFormat,
    pub file: Option<PathBuf>,
}

fn parse_diff_output(s: &str) -> Result<DiffOutputSpec, String> {
    use crate::diff::render::DiffFormat;
    let (name, file) = split_output_spec(s)?;
    let format = DiffFormat::parse(name)
        .ok_or_else(|| format!("unknown format `{name}` (known: {})", DiffFormat::NAMES.join(", ")))?;
    Ok(DiffOutputSpec { format, file })
}

/// What makes `kataster diff` fail (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFailOn {
    /// A policy finding the old inventory does not have.
    NewFindings,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older inventory (native JSON).
    pub old: PathBuf,
    /// The newer inventory (native JSON).
    pub new: PathBuf,
    /// Report FORMAT[=FILE], repeatable; formats: table, json, markdown. Without =FILE to stdout.
    #[arg(short, long = "output", value_name = "FORMAT[=FILE]", value_parser = parse_diff_output)]
    pub outputs: Vec<DiffOutputSpec>,
    /// Exit with 1 when the new inventory has policy findings the old one does not have.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<DiffFailOn>,
}

fn parse_ecosystem_pair(s: &str) -> Result<(String, String), String> {
    let (eco, value) = s.split_once('=').ok_or_else(|| format!("`{s}`: expected ECOSYSTEM=VALUE"))?;
    let eco = eco.trim().to_ascii_lowercase();
    let eco = match eco.as_str() {
        "go" => "golang".to_string(),
        "python" | "pip" => "pypi".to_string(),
        "ruby" | "rubygems" => "gem".to_string(),
        "crates" | "rust" => "cargo".to_string(),
        _ => eco,
    };
    if !crate::resolve::ECOSYSTEMS.contains(&eco.as_str()) {
        return Err(format!("unknown ecosystem `{eco}` (known: {})", crate::resolve::ECOSYSTEMS.join(", ")));
    }
    if value.is_empty() {
        return Err(format!("`{s}`: nothing after `=`"));
    }
    Ok((eco, value.to_string()))
}

fn parse_cache_dir(s: &str) -> Result<(String, PathBuf), String> {
    parse_ecosystem_pair(s).map(|(e, p)| (e, PathBuf::from(p)))
}

fn parse_registry(s: &str) -> Result<(String, String), String> {
    let (e, u) = parse_ecosystem_pair(s)?;
    if !(u.starts_with("http://") || u.starts_with("https://")) {
        return Err(format!("`{u}`: a registry URL starts with http:// or https://"));
    }
    Ok((e, u))
}

/// Run the CLI; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Check(args) => check(args),
        Command::License(args) => license(&args),
        Command::Merge(args) => merge(args),
        Command::Diff(args) => diff(args),
        Command::Dashboard(args) => dashboard(args),
    }
}

fn scan(args: ScanArgs) -> i32 {
    let inv = match scan_inventory(&args) {
        Ok(inv) => inv,
        Err(code) => return code,
    };
    let ropts = ReportOptions { csv_delimiter: args.csv_delimiter, lang: args.lang };
    store_and_write(args.db.as_deref(), &args.outputs, &inv, &ropts)
}

/// The policies of the run, for roots given as (label, path): `--policy FILE` for all, else
/// each root's `kataster.toml`.
fn policies_for(args: &ScanArgs, roots: &[(String, PathBuf)]) -> Result<crate::policy::PolicySet, i32> {
    crate::policy::PolicySet::discover(args.policy.as_deref(), roots).map_err(|e| {
        eprintln!("kataster: policy: {e}");
        exit::USAGE
    })
}

/// Scan (roots or estate) and classify once under the policy: `--policy FILE`, or each
/// root's `kataster.toml`, else the built-in default. Errors are exit codes, already reported.
fn scan_inventory(args: &ScanArgs) -> Result<crate::inventory::Inventory, i32> {
    if args.shard.is_some() && args.estate.is_none() && args.estate_file.is_none() {
        eprintln!("kataster: --shard needs --estate or --estate-file");
        return Err(exit::USAGE);
    }
    let estate = args.estate.is_some() || args.estate_file.is_some();
    for p in args.paths.iter().filter(|_| !estate) {
        if !p.is_dir() {
            eprintln!("kataster: {}: not a directory", p.display());
            return Err(exit::USAGE);
        }
    }
    if args.threads > 0 {
        // Fails only if a pool exists already, in which case that one is used.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(args.threads).build_global();
    }
    let opts = crate::scan::ScanOptions {
        roots: args.paths.clone(),
        walk: crate::walk::WalkOptions {
            excludes: args.exclude.clone(),
            respect_gitignore: args.respect_gitignore,
            threads: args.threads,
        },
        max_file_size: args.max_file_size,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        result_cache: args.result_cache.clone(),
        resolve: crate::resolve::ResolveOptions {
            online: args.online,
            cache_dirs: args.cache_dir.clone(),
            registries: args.registry.clone(),
            python_envs: args.python_env.clone(),
            no_local_caches: args.no_local_caches,
            http_cache_dir: None,
            http: None,
        },
        resolve_licenses: true,
        policies: crate::policy::PolicySet::default(),
    };
    let mut opts = opts;
    let mut inv = if estate {
        match estate_repositories(args) {
            Ok((repos, diags)) => {
                let roots: Vec<(String, PathBuf)> = repos.iter().map(|r| (r.name.clone(), r.path.clone())).collect();
                opts.policies = policies_for(args, &roots)?;
                crate::estate::scan_estate(&repos, args.shard, &opts, diags)
            }
            Err(e) => {
                eprintln!("kataster: {e}");
                return Err(exit::USAGE);
            }
        }
    } else {
        let labels = crate::scan::root_labels(&args.paths);
        let roots: Vec<(String, PathBuf)> = labels.into_iter().zip(args.paths.iter().cloned()).collect();
        opts.policies = policies_for(args, &roots)?;
        crate::scan::scan(&opts)
    };
    license_management(args, &mut inv, &opts.policies)?;
    Ok(inv)
}

/// Match the register of entitlements (`--entitlements`, else `entitlements.toml` beside
/// `--policy`) and rank the vendors; a register with a mistake is a usage error.
fn license_management(
    args: &ScanArgs,
    inv: &mut crate::inventory::Inventory,
    policies: &crate::policy::PolicySet,
) -> Result<(), i32> {
    let beside_policy = args
        .policy
        .as_deref()
        .map(|p| p.with_file_name(crate::entitlements::register::FILE_NAME))
        .filter(|p| p.is_file());
    if let Some(path) = args.entitlements.clone().or(beside_policy) {
        let register = crate::entitlements::Register::load(&path).map_err(|e| {
            eprintln!("kataster: entitlements: {e}");
            exit::USAGE
        })?;
        crate::entitlements::apply(inv, &register, policies, crate::classify::today());
        if !inv.repositories.is_empty() {
            crate::estate::roll_up(inv);
        }
    }
    crate::entitlements::vendors::compute(inv);
    Ok(())
}

/// Store the inventory in the history database (if one is given) and write the reports.
fn store_and_write(
    db: Option<&std::path::Path>,
    outputs: &[OutputSpec],
    inv: &crate::inventory::Inventory,
    ropts: &ReportOptions,
) -> i32 {
    let stored = match db.map(|db| crate::history::History::open(db).and_then(|mut h| h.store(inv))) {
        Some(Err(e)) => {
            eprintln!("kataster: cannot store the scan in the history: {e}");
            exit::OUTPUT
        }
        _ => exit::OK,
    };
    let written = write_outputs(outputs, inv, ropts);
    if stored != exit::OK { stored } else { written }
}

fn dashboard(args: DashboardArgs) -> i32 {
    if !args.db.is_file() {
        eprintln!("kataster: {}: no such history database", args.db.display());
        return exit::USAGE;
    }
    let data = match crate::history::History::open(&args.db).and_then(|h| crate::history::dashboard::load(&h)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("kataster: {e}");
            return exit::USAGE;
        }
    };
    let html = crate::history::dashboard::render(&data);
    match write_one(args.output.and_then(|o| o.file).as_deref(), html.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("kataster: cannot write output {e}");
            exit::OUTPUT
        }
    }
}

/// The repositories of `--estate` and `--estate-file`, with the diagnostics of discovery.
fn estate_repositories(
    args: &ScanArgs,
) -> Result<(Vec<crate::estate::RepositorySpec>, Vec<crate::inventory::model::Diagnostic>), String> {
    let listed = match &args.estate_file {
        Some(f) => crate::estate::load_estate_file(f).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    let (found, diags) = match &args.estate {
        Some(dir) if !dir.is_dir() => return Err(format!("{}: not a directory", dir.display())),
        Some(dir) => crate::estate::discover(dir),
        None => (Vec::new(), Vec::new()),
    };
    let repos = crate::estate::combine(found, listed)?;
    Ok((repos, diags))
}

/// Read inventories (native JSON); the error names the file.
pub fn read_inventory(path: &std::path::Path) -> Result<crate::inventory::Inventory, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a kataster inventory: {e}", path.display()))
}

fn merge(args: MergeArgs) -> i32 {
    let mut parts = Vec::new();
    for p in &args.parts {
        match read_inventory(p) {
            Ok(inv) => parts.push((p.display().to_string(), inv)),
            Err(e) => {
                eprintln!("kataster: {e}");
                return exit::USAGE;
            }
        }
    }
    let inv = match crate::estate::merge::merge(parts) {
        Ok(inv) => inv,
        Err(e) => {
            eprintln!("kataster: {e}");
            return exit::USAGE;
        }
    };
    let ropts = ReportOptions { csv_delimiter: args.csv_delimiter, lang: args.lang };
    store_and_write(args.db.as_deref(), &args.outputs, &inv, &ropts)
}

fn diff(args: DiffArgs) -> i32 {
    let (old, new) = match (read_inventory(&args.old), read_inventory(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("kataster: {e}");
            return exit::USAGE;
        }
    };
    let d = crate::diff::diff(&old, &new);
    let default = [DiffOutputSpec { format: crate::diff::render::DiffFormat::Table, file: None }];
    let outputs = if args.outputs.is_empty() { &default[..] } else { &args.outputs[..] };
    let mut code = exit::OK;
    for o in outputs {
        if let Err(e) = write_one(o.file.as_deref(), &crate::diff::render::render(o.format, &d)) {
            eprintln!("kataster: cannot write output {e}");
            code = exit::OUTPUT;
        }
    }
    if code == exit::OK && args.fail_on == Some(DiffFailOn::NewFindings) && !d.new_findings.is_empty() {
        return exit::NEW_FINDINGS;
    }
    code
}

/// Write `bytes` to `file` (atomically) or to stdout.
fn write_one(file: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), String> {
    match file {
        Some(f) => crate::output::write_atomic(f, bytes).map_err(|e| format!("{}: {e}", f.display())),
        None => std::io::stdout().write_all(bytes).map_err(|e| format!("stdout: {e}")),
    }
}

/// Write every requested report; the table to stdout when none is requested.
pub fn write_outputs(outputs: &[OutputSpec], inv: &crate::inventory::Inventory, ropts: &ReportOptions) -> i32 {
    let default = [OutputSpec { format: Format::Table, file: None }];
    let outputs = if outputs.is_empty() { &default[..] } else { outputs };
    let mut code = exit::OK;
    for o in outputs {
        let bytes = match crate::report::render(o.format, inv, ropts) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("kataster: cannot render output {e}");
                code = exit::OUTPUT;
                continue;
            }
        };
        if let Err(e) = write_one(o.file.as_deref(), &bytes) {
            eprintln!("kataster: cannot write output {e}");
            code = exit::OUTPUT;
        }
    }
    code
}

fn check(args: CheckArgs) -> i32 {
    let baseline = match args.baseline.as_deref().map(read_inventory).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kataster: baseline: {e}");
            return exit::USAGE;
        }
    };
    let inv = match scan_inventory(&args.scan) {
        Ok(inv) => inv,
        Err(code) => return code,
    };
    // Reports as with `scan` (none by default); findings go to stdout unless a report does.
    let reports = !args.scan.outputs.is_empty() || args.scan.db.is_some();
    let ropts = ReportOptions { csv_delimiter: args.scan.csv_delimiter, lang: args.scan.lang };
    let write_code =
        if reports { store_and_write(args.scan.db.as_deref(), &args.scan.outputs, &inv, &ropts) } else { exit::OK };
    let report_on_stdout =
        reports && (args.scan.outputs.is_empty() || args.scan.outputs.iter().any(|o| o.file.is_none()));
    let text = crate::policy::report::findings_text(&inv, args.scan.quiet);
    let res = if report_on_stdout {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        std::io::stdout().write_all(text.as_bytes())
    };
    if let Err(e) = res {
        eprintln!("kataster: cannot write findings: {e}");
        return exit::OUTPUT;
    }
    if write_code != exit::OK {
        return write_code;
    }
    let fails = |d: crate::inventory::model::Decision| match args.fail_on {
        FailOn::Deny => d == crate::inventory::model::Decision::Deny,
        FailOn::Review => d != crate::inventory::model::Decision::Allow,
    };
    let failing = match &baseline {
        Some(b) => {
            let outcome = crate::diff::baseline::against_baseline(&b.findings, &inv.findings);
            if !args.scan.quiet && !outcome.known.is_empty() {
                eprintln!(
                    "kataster: {} of {} findings are in the baseline and do not fail the check",
                    outcome.known.len(),
                    inv.findings.len()
                );
            }
            outcome.fails(|f| fails(f.decision))
        }
        None => inv.findings.iter().any(|f| fails(f.decision)),
    };
    if failing { exit::POLICY } else { exit::OK }
}

fn license(args: &LicenseArgs) -> i32 {
    let lang = match args.lang {
        LangArg::En => crate::license::db::Lang::En,
        LangArg::De => crate::license::db::Lang::De,
    };
    match crate::classify::explain::explain(&args.expression.join(" "), lang) {
        Ok(text) => match std::io::stdout().write_all(text.as_bytes()) {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("kataster: stdout: {e}");
                exit::OUTPUT
            }
        },
        Err(e) => {
            eprintln!("kataster: {e}");
            exit::USAGE
        }
    }
}
