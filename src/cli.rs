//! Command-line interface: arguments, and the mapping of outcomes to exit codes.

use clap::{Args, Parser, Subcommand};
use kataster_model::model::Ecosystem;
use kataster_report::{Format, ReportOptions};
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

/// The most worker threads `--threads` takes: more than any machine kataster runs on has
/// cores, few enough that thread stacks and start-up stay small.
pub const MAX_THREADS: usize = 256;

fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s.trim().parse().map_err(|_| format!("`{s}` is not a number of threads"))?;
    if n > MAX_THREADS {
        return Err(format!("{n} threads is more than the {MAX_THREADS} kataster runs with (0: one per core)"));
    }
    Ok(n)
}

fn parse_lang(s: &str) -> Result<kataster_report::Lang, String> {
    kataster_report::Lang::parse(s)
        .ok_or_else(|| format!("unknown language `{s}` (known: {})", kataster_report::Lang::NAMES.join(", ")))
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
    #[arg(long, value_name = "BYTES", default_value_t = kataster_estate::scan::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Worker threads (0: one per core; at most 256).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,
    /// Field delimiter of csv output (`;` for German spreadsheet defaults).
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub csv_delimiter: u8,
    /// Language of csv, xlsx, html and notice reports: en or de.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    pub lang: kataster_report::Lang,
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
    #[arg(long, value_name = "I/N", value_parser = kataster_estate::estate::parse_shard)]
    pub shard: Option<kataster_model::model::Shard>,
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
    pub cache_dir: Vec<(Ecosystem, PathBuf)>,
    /// A registry base URL for --online, ECOSYSTEM=URL (a mirror); repeatable.
    #[arg(long, value_name = "ECOSYSTEM=URL", value_parser = parse_registry)]
    pub registry: Vec<(Ecosystem, String)>,
    /// A Python virtual environment (or site-packages folder) to read installed licenses from; repeatable.
    #[arg(long, value_name = "PATH")]
    pub python_env: Vec<PathBuf>,
    /// Do not search the machine's default package caches (~/.cargo, ~/.m2, ...).
    #[arg(long)]
    pub no_local_caches: bool,
    /// The author of the SBOMs, `Name <mail>`, a URL or a name (`Person: ...` for a person);
    /// repeatable. Default: the maintenance contacts of the roots' publiccode.yml.
    #[arg(long, value_name = "NAME")]
    pub sbom_author: Vec<String>,
    /// The supplier of the scanned projects, `Name <mail>`, a URL or a name: named in the SBOMs
    /// and set on every project whose manifest names none.
    #[arg(long, value_name = "NAME")]
    pub supplier: Option<String>,
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
    pub lang: kataster_report::Lang,
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
    pub format: kataster_estate::diff::render::DiffFormat,
    pub file: Option<PathBuf>,
}

fn parse_diff_output(s: &str) -> Result<DiffOutputSpec, String> {
    use kataster_estate::diff::render::DiffFormat;
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

fn parse_ecosystem_pair(s: &str) -> Result<(Ecosystem, String), String> {
    let (eco, value) = s.split_once('=').ok_or_else(|| format!("`{s}`: expected ECOSYSTEM=VALUE"))?;
    let eco = match eco.trim().to_ascii_lowercase().as_str() {
        "go" => Ecosystem::Golang,
        "python" | "pip" => Ecosystem::Pypi,
        "ruby" | "rubygems" => Ecosystem::Gem,
        "crates" | "rust" => Ecosystem::Cargo,
        name => Ecosystem::from_name(name),
    };
    if kataster_ecosystems::resolve::resolver(&eco).is_none() {
        return Err(format!(
            "unknown ecosystem `{eco}` (known: {})",
            kataster_ecosystems::resolve::ecosystem_names().join(", ")
        ));
    }
    if value.is_empty() {
        return Err(format!("`{s}`: nothing after `=`"));
    }
    Ok((eco, value.to_string()))
}

fn parse_cache_dir(s: &str) -> Result<(Ecosystem, PathBuf), String> {
    parse_ecosystem_pair(s).map(|(e, p)| (e, PathBuf::from(p)))
}

fn parse_registry(s: &str) -> Result<(Ecosystem, String), String> {
    let (e, u) = parse_ecosystem_pair(s)?;
    if !(u.starts_with("http://") || u.starts_with("https://")) {
        return Err(format!("`{u}`: a registry URL starts with http:// or https://"));
    }
    Ok((e, u))
}

/// Print a message on stderr, `kataster: ` before it, its control characters escaped (it
/// may quote names and lines from the scanned files).
fn say(msg: &str) {
    eprintln!("kataster: {}", kataster_model::output::terminal_text(msg));
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
    if let Err(code) = distinct_outputs(&args.outputs, args.db.as_deref()) {
        return code;
    }
    let inv = match scan_inventory(&args) {
        Ok(inv) => inv,
        Err(code) => return code,
    };
    let ropts = ReportOptions { csv_delimiter: args.csv_delimiter, lang: args.lang };
    store_and_write(args.db.as_deref(), &args.outputs, &inv, &ropts)
}

/// The policies of the run, for roots given as (label, path): `--policy FILE`, else the
/// estate's central policy, rules all (in-tree files only propose clarifications); else
/// each root's `kataster.toml` (docs/policy.md).
fn policies_for(
    args: &ScanArgs,
    estate_policy: Option<Option<&std::path::Path>>,
    roots: &[(String, PathBuf)],
) -> Result<kataster_verdict::policy::PolicySet, i32> {
    use kataster_verdict::policy::Authority;
    let authority = match (args.policy.as_deref(), estate_policy) {
        (Some(p), _) => Authority::Central(Some(p)),
        (None, Some(p)) => Authority::Central(p),
        (None, None) => Authority::InTree,
    };
    kataster_verdict::policy::PolicySet::discover(authority, roots).map_err(|e| {
        say(&format!("policy: {e}"));
        exit::USAGE
    })
}

/// Scan (roots or estate) and classify once under the policy: `--policy FILE`, or each
/// root's `kataster.toml`, else the built-in default. Errors are exit codes, already reported.
fn scan_inventory(args: &ScanArgs) -> Result<kataster_model::model::Inventory, i32> {
    if args.shard.is_some() && args.estate.is_none() && args.estate_file.is_none() {
        say("--shard needs --estate or --estate-file");
        return Err(exit::USAGE);
    }
    let estate = args.estate.is_some() || args.estate_file.is_some();
    for p in args.paths.iter().filter(|_| !estate) {
        if !p.is_dir() {
            say(&format!("{}: not a directory", p.display()));
            return Err(exit::USAGE);
        }
    }
    if args.threads > 0 {
        // Fails only if a pool exists already, in which case that one is used.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(args.threads).build_global();
    }
    let opts = kataster_estate::scan::ScanOptions {
        roots: args.paths.clone(),
        walk: kataster_assemble::walk::WalkOptions {
            excludes: args.exclude.clone(),
            respect_gitignore: args.respect_gitignore,
            threads: args.threads,
        },
        max_file_size: args.max_file_size,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        result_cache: args.result_cache.clone(),
        resolve: kataster_ecosystems::resolve::ResolveOptions {
            online: args.online,
            cache_dirs: args.cache_dir.clone(),
            registries: args.registry.clone(),
            python_envs: args.python_env.clone(),
            no_local_caches: args.no_local_caches,
            http_cache_dir: None,
            http: None,
        },
        resolve_licenses: true,
        policies: kataster_verdict::policy::PolicySet::default(),
    };
    let mut opts = opts;
    let mut inv = if estate {
        match estate_repositories(args) {
            Ok((repos, policy, diags)) => {
                let roots: Vec<(String, PathBuf)> = repos.iter().map(|r| (r.name.clone(), r.path.clone())).collect();
                opts.policies = policies_for(args, Some(policy.as_deref()), &roots)?;
                kataster_estate::estate::scan_estate(&repos, args.shard, &opts, diags)
            }
            Err(e) => {
                say(&e.to_string());
                return Err(exit::USAGE);
            }
        }
    } else {
        let labels = kataster_estate::scan::root_labels(&args.paths);
        let roots: Vec<(String, PathBuf)> = labels.into_iter().zip(args.paths.iter().cloned()).collect();
        opts.policies = policies_for(args, None, &roots)?;
        kataster_estate::scan::scan(&opts)
    };
    set_sbom_parties(&mut inv, &args.sbom_author, args.supplier.as_deref());
    license_management(args, &mut inv, &opts.policies)?;
    Ok(inv)
}

/// The SBOM's authors (given, else, outside estate scans, the maintenance contacts of the
/// roots' publiccode.yml) and the supplier of the scanned projects (given, else per root the
/// `legal.mainCopyrightOwner`/`repoOwner` of the publiccode.yml at its top), set on the
/// projects and loose files that name no supplier of their own.
fn set_sbom_parties(inv: &mut kataster_model::model::Inventory, authors: &[String], supplier: Option<&str>) {
    use kataster_model::model::ComponentKind;
    // A root's own publiccode.yml: the one at its top, which describes the repository.
    let publiccode = |c: &&kataster_model::model::Component| {
        c.kind == ComponentKind::Project
            && c.ecosystem == Ecosystem::Publiccode
            && c.locations.iter().any(|l| l.starts_with("publiccode.yml") || l.starts_with("publiccode.yaml"))
    };
    let mut authors: Vec<String> = authors.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    if authors.is_empty() && inv.repositories.is_empty() {
        for a in inv.components.iter().filter(publiccode).flat_map(|c| &c.authors) {
            if !authors.contains(a) {
                authors.push(a.clone());
            }
        }
    }
    inv.scan.sbom_authors = authors;
    let given = supplier.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    inv.scan.supplier = given.clone();
    let mut per_root: std::collections::BTreeMap<String, Option<String>> = std::collections::BTreeMap::new();
    for r in &inv.scan.roots {
        let mut owners =
            inv.components.iter().filter(publiccode).filter(|c| c.root == r.label).filter_map(|c| c.supplier.clone());
        let own = match (owners.next(), owners.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        };
        per_root.insert(r.label.clone(), given.clone().or(own));
    }
    for c in &mut inv.components {
        if matches!(c.kind, ComponentKind::Project | ComponentKind::Files) && c.supplier.is_none() {
            c.supplier = per_root.get(&c.root).cloned().flatten();
        }
    }
}

/// Refuse reports that name one file twice or the history database: the later would
/// replace the earlier (a history database replaced by JSON is lost). Reported, exit 2.
fn distinct_outputs(outputs: &[OutputSpec], db: Option<&std::path::Path>) -> Result<(), i32> {
    let files: Vec<(String, &std::path::Path)> = outputs
        .iter()
        .filter_map(|o| o.file.as_deref().map(|f| (output_label(o.format), f)))
        .chain(db.map(|d| ("--db".to_string(), d)))
        .collect();
    distinct_files(&files)
}

/// `-o json`: an output as messages name it.
fn output_label(format: impl std::fmt::Debug) -> String {
    format!("-o {format:?}").to_ascii_lowercase()
}

/// [`kataster_model::output::distinct_files`], reported; exit 2 when two are one file.
fn distinct_files(files: &[(String, &std::path::Path)]) -> Result<(), i32> {
    kataster_model::output::distinct_files(files).map_err(|e| {
        say(&e);
        exit::USAGE
    })
}

/// Match the register of entitlements (`--entitlements`, else `entitlements.toml` beside
/// `--policy`) and rank the vendors; a register with a mistake is a usage error.
fn license_management(
    args: &ScanArgs,
    inv: &mut kataster_model::model::Inventory,
    policies: &kataster_verdict::policy::PolicySet,
) -> Result<(), i32> {
    let beside_policy = args
        .policy
        .as_deref()
        .map(|p| p.with_file_name(kataster_verdict::entitlements::register::FILE_NAME))
        .filter(|p| p.is_file());
    if let Some(path) = args.entitlements.clone().or(beside_policy) {
        let register = kataster_verdict::entitlements::Register::load(&path).map_err(|e| {
            say(&format!("entitlements: {e}"));
            exit::USAGE
        })?;
        kataster_verdict::entitlements::apply(inv, &register, policies, kataster_verdict::classify::today());
        if !inv.repositories.is_empty() {
            kataster_estate::estate::roll_up(inv);
        }
    }
    kataster_verdict::entitlements::vendors::compute(inv);
    Ok(())
}

/// Store the inventory in the history database (if one is given) and write the reports.
fn store_and_write(
    db: Option<&std::path::Path>,
    outputs: &[OutputSpec],
    inv: &kataster_model::model::Inventory,
    ropts: &ReportOptions,
) -> i32 {
    let stored = match db.map(|db| kataster_estate::history::History::open(db).and_then(|mut h| h.store(inv))) {
        Some(Err(e)) => {
            say(&format!("cannot store the scan in the history: {e}"));
            exit::OUTPUT
        }
        _ => exit::OK,
    };
    let written = write_outputs(outputs, inv, ropts);
    if stored != exit::OK { stored } else { written }
}

fn dashboard(args: DashboardArgs) -> i32 {
    if let Some(out) = args.output.as_ref().and_then(|o| o.file.as_deref())
        && let Err(code) = distinct_files(&[("--db".into(), &args.db), ("-o html".into(), out)])
    {
        return code;
    }
    if !args.db.is_file() {
        say(&format!("{}: no such history database", args.db.display()));
        return exit::USAGE;
    }
    let data = match kataster_estate::history::History::open(&args.db)
        .and_then(|h| kataster_estate::history::dashboard::load(&h))
    {
        Ok(d) => d,
        Err(e) => {
            say(&e.to_string());
            return exit::USAGE;
        }
    };
    let html = kataster_estate::history::dashboard::render(&data);
    match write_one(args.output.and_then(|o| o.file).as_deref(), html.as_bytes()) {
        Ok(()) => exit::OK,
        Err(e) => {
            say(&format!("cannot write output {e}"));
            exit::OUTPUT
        }
    }
}

/// The repositories of `--estate` and `--estate-file`, the estate file's policy, and the
/// diagnostics of discovery.
type EstateRepositories =
    (Vec<kataster_estate::estate::RepositorySpec>, Option<PathBuf>, Vec<kataster_model::model::Diagnostic>);

fn estate_repositories(args: &ScanArgs) -> Result<EstateRepositories, String> {
    let (listed, policy) = match &args.estate_file {
        Some(f) => {
            let e = kataster_estate::estate::load_estate(f).map_err(|e| e.to_string())?;
            (e.repositories, e.policy)
        }
        None => (Vec::new(), None),
    };
    let (found, diags) = match &args.estate {
        Some(dir) if !dir.is_dir() => return Err(format!("{}: not a directory", dir.display())),
        Some(dir) => kataster_estate::estate::discover(dir),
        None => (Vec::new(), Vec::new()),
    };
    let repos = kataster_estate::estate::combine(found, listed)?;
    Ok((repos, policy, diags))
}

/// Read inventories (native JSON); the error names the file.
pub fn read_inventory(path: &std::path::Path) -> Result<kataster_model::model::Inventory, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    // The format first: a newer or foreign document may fail in the fields, and then the
    // version is the message worth reading.
    #[derive(serde::Deserialize)]
    struct Head {
        schema_version: Option<serde_json::Value>,
    }
    if let Ok(head) = serde_json::from_slice::<Head>(&bytes) {
        let found = head.schema_version.map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
        kataster_estate::estate::merge::check_format(found.as_deref().unwrap_or("none"))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a kataster inventory: {e}", path.display()))
}

fn merge(args: MergeArgs) -> i32 {
    if let Err(code) = distinct_outputs(&args.outputs, args.db.as_deref()) {
        return code;
    }
    let mut parts = Vec::new();
    for p in &args.parts {
        match read_inventory(p) {
            Ok(inv) => parts.push((p.display().to_string(), inv)),
            Err(e) => {
                say(&e.to_string());
                return exit::USAGE;
            }
        }
    }
    let inv = match kataster_estate::estate::merge::merge(parts) {
        Ok(inv) => inv,
        Err(e) => {
            say(&e.to_string());
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
            say(&e.to_string());
            return exit::USAGE;
        }
    };
    let files: Vec<(String, &std::path::Path)> =
        args.outputs.iter().filter_map(|o| o.file.as_deref().map(|f| (output_label(o.format), f))).collect();
    if let Err(code) = distinct_files(&files) {
        return code;
    }
    let d = kataster_estate::diff::diff(&old, &new);
    let default = [DiffOutputSpec { format: kataster_estate::diff::render::DiffFormat::Table, file: None }];
    let outputs = if args.outputs.is_empty() { &default[..] } else { &args.outputs[..] };
    let mut code = exit::OK;
    for o in outputs {
        if let Err(e) = write_one(o.file.as_deref(), &kataster_estate::diff::render::render(o.format, &d)) {
            say(&format!("cannot write output {e}"));
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
        Some(f) => kataster_model::output::write_atomic(f, bytes).map_err(|e| format!("{}: {e}", f.display())),
        None => std::io::stdout().write_all(bytes).map_err(|e| format!("stdout: {e}")),
    }
}

/// Write every requested report; the table to stdout when none is requested.
pub fn write_outputs(outputs: &[OutputSpec], inv: &kataster_model::model::Inventory, ropts: &ReportOptions) -> i32 {
    let default = [OutputSpec { format: Format::Table, file: None }];
    let outputs = if outputs.is_empty() { &default[..] } else { outputs };
    let mut code = exit::OK;
    for o in outputs {
        let bytes = match kataster_report::render(o.format, inv, ropts) {
            Ok(b) => b,
            Err(e) => {
                say(&format!("cannot render output {e}"));
                code = exit::OUTPUT;
                continue;
            }
        };
        if let Err(e) = write_one(o.file.as_deref(), &bytes) {
            say(&format!("cannot write output {e}"));
            code = exit::OUTPUT;
        }
    }
    code
}

fn check(args: CheckArgs) -> i32 {
    if let Err(code) = distinct_outputs(&args.scan.outputs, args.scan.db.as_deref()) {
        return code;
    }
    let baseline = match args.baseline.as_deref().map(read_inventory).transpose() {
        Ok(b) => b,
        Err(e) => {
            say(&format!("baseline: {e}"));
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
    let text = kataster_verdict::policy::report::findings_text(&inv, args.scan.quiet);
    let res = if report_on_stdout {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        std::io::stdout().write_all(text.as_bytes())
    };
    if let Err(e) = res {
        say(&format!("cannot write findings: {e}"));
        return exit::OUTPUT;
    }
    if write_code != exit::OK {
        return write_code;
    }
    let fails = |d: kataster_model::model::Decision| match args.fail_on {
        FailOn::Deny => d == kataster_model::model::Decision::Deny,
        FailOn::Review => d != kataster_model::model::Decision::Allow,
    };
    let failing = match &baseline {
        Some(b) => {
            let outcome = kataster_estate::diff::baseline::against_baseline(&b.findings, &inv.findings);
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
        LangArg::En => kataster_model::license::db::Lang::En,
        LangArg::De => kataster_model::license::db::Lang::De,
    };
    match kataster_verdict::classify::explain::explain(&args.expression.join(" "), lang) {
        Ok(text) => match std::io::stdout().write_all(text.as_bytes()) {
            Ok(()) => exit::OK,
            Err(e) => {
                say(&format!("stdout: {e}"));
                exit::OUTPUT
            }
        },
        Err(e) => {
            say(&e.to_string());
            exit::USAGE
        }
    }
}
