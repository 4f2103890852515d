//! The scan pipeline: roots in, inventory out.
//!
//! Runs the walk per root, examines the files in parallel, assembles the components and
//! classifies them. It writes nothing; reports and exit codes are the caller's.

use kataster_assemble::assemble;
use kataster_assemble::evidence::{self, Examined};
use kataster_assemble::walk::{self, WalkOptions};
use kataster_model::model::*;
use kataster_model::time::now_rfc3339;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Default for `--max-file-size`: files above it are listed but not read.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub roots: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub max_file_size: u64,
    /// Show a progress bar on stderr (the caller decides whether stderr is a terminal).
    pub progress: bool,
    /// Folder of the result cache (`--result-cache`): detection results per file content,
    /// so that a rescan of unchanged files does not detect them again.
    pub result_cache: Option<PathBuf>,
    /// License resolution for dependencies (local caches, registries with `--online`).
    pub resolve: kataster_ecosystems::resolve::ResolveOptions,
    /// Resolve dependency licenses at all (off only for tests of the other stages).
    pub resolve_licenses: bool,
    /// The policies the one classification pass applies (empty: the built-in default).
    pub policies: kataster_verdict::policy::PolicySet,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            roots: vec![PathBuf::from(".")],
            walk: WalkOptions::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            progress: false,
            result_cache: None,
            resolve: kataster_ecosystems::resolve::ResolveOptions::default(),
            resolve_licenses: true,
            policies: kataster_verdict::policy::PolicySet::default(),
        }
    }
}

/// Labels for the roots: their directory names, made unique with `-2`, `-3`...
pub fn root_labels(roots: &[PathBuf]) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for r in roots {
        let base = r
            .canonicalize()
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "root".to_string());
        let mut label = base.clone();
        let mut n = 2;
        while labels.contains(&label) {
            label = format!("{base}-{n}");
            n += 1;
        }
        labels.push(label);
    }
    labels
}

/// What the scan of one root found, before the roots are joined into an inventory.
#[derive(Debug, Default)]
pub struct RootScan {
    pub components: Vec<Component>,
    pub files: Vec<FileRecord>,
    pub diagnostics: Vec<Diagnostic>,
    pub files_seen: u64,
    pub files_read: u64,
    pub bytes_read: u64,
}

/// Scan the roots and build the inventory.
pub fn scan(opts: &ScanOptions) -> Inventory {
    let started_at = now_rfc3339();
    let t0 = Instant::now();
    let labels = root_labels(&opts.roots);
    let mut roots = Vec::new();
    let mut parts = Vec::new();
    for (root, label) in opts.roots.iter().zip(&labels) {
        roots.push(Root { label: label.clone(), path: root.to_string_lossy().into_owned() });
        let bar = progress_bar(opts.progress, 0, label);
        parts.push(scan_root(root, label, opts, bar.as_ref()));
        if let Some(b) = bar {
            b.finish_and_clear();
        }
    }
    let mut inv = join(roots, parts, &opts.policies);
    finish(&mut inv, started_at, t0);
    inv
}

/// Walk one root, examine its files in parallel and assemble its components. `bar`, if
/// any, gets the number of files as its length and one tick per file.
pub fn scan_root(root: &Path, label: &str, opts: &ScanOptions, bar: Option<&indicatif::ProgressBar>) -> RootScan {
    let mut out = RootScan::default();
    kataster_detect::warm_up();
    let walked = match walk::walk(root, label, &opts.walk) {
        Ok(w) => w,
        Err(e) => {
            out.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                root: label.to_string(),
                path: String::new(),
                code: DiagnosticCode::WalkError,
                message: e.to_string(),
            });
            return out;
        }
    };
    out.diagnostics.extend(walked.diagnostics);
    out.files_seen = walked.files.len() as u64;
    if let Some(b) = bar {
        b.set_length(out.files_seen);
    }
    let cache = opts.result_cache.as_deref().map(|dir| kataster_assemble::cache::ResultCache::open(dir, label));
    let examined: Vec<Examined> = walked
        .files
        .par_iter()
        .map(|f| {
            let ex = evidence::examine_cached(label, f, opts.max_file_size, cache.as_ref());
            if let Some(b) = bar {
                b.inc(1);
            }
            ex
        })
        .collect();
    if let Some(c) = cache {
        out.diagnostics.extend(c.finish());
    }
    out.files_read = examined.iter().filter(|e| e.record.sha256.is_some()).count() as u64;
    out.bytes_read = examined.iter().map(|e| e.bytes_read).sum::<u64>();
    let (mut c, f, d) = assemble::assemble_root(label, examined);
    if opts.resolve_licenses {
        // Dependencies the tree states no license for: local caches, registries with --online.
        let env = kataster_ecosystems::resolve::Env::from_process();
        let refs = [kataster_ecosystems::resolve::RootRef { label, path: root }];
        out.diagnostics.extend(kataster_ecosystems::resolve::resolve(&mut c, &refs, &opts.resolve, &env));
    }
    out.components = c;
    out.files = f;
    out.diagnostics.extend(d);
    out
}

/// Join the scans of several roots into one inventory: sorted, classified (the one
/// classification pass, under `policies`) and summarized, but without timestamps (see [`finish`]).
pub fn join(roots: Vec<Root>, parts: Vec<RootScan>, policies: &kataster_verdict::policy::PolicySet) -> Inventory {
    let mut components = Vec::new();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let (mut seen, mut read, mut bytes) = (0u64, 0u64, 0u64);
    for p in parts {
        components.extend(p.components);
        files.extend(p.files);
        diagnostics.extend(p.diagnostics);
        seen += p.files_seen;
        read += p.files_read;
        bytes += p.bytes_read;
    }
    components.sort_by(|a, b| a.id.cmp(&b.id));
    files.sort_by(|a, b| (&a.root, &a.path).cmp(&(&b.root, &b.path)));
    diagnostics.sort();
    diagnostics.dedup();
    let mut inv = Inventory {
        schema_version: SCHEMA_VERSION.into(),
        tool: Tool {
            name: "kataster".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            license_db_version: String::new(),
        },
        scan: ScanInfo {
            roots,
            started_at: String::new(),
            finished_at: String::new(),
            duration_ms: 0,
            files_seen: seen,
            files_read: read,
            bytes_read: bytes,
            shard: None,
            sbom_authors: Vec::new(),
            supplier: None,
        },
        components,
        files,
        findings: Vec::new(),
        diagnostics,
        summary: Summary::default(),
        repositories: Vec::new(),
        departments: Vec::new(),
        entitlements: Vec::new(),
        vendors: Vec::new(),
    };
    kataster_verdict::classify::classify_with(&mut inv, policies, kataster_verdict::classify::today());
    inv.summary = kataster_verdict::classify::summary::summarize(&inv.components, &inv.files, &inv.diagnostics);
    inv
}

/// Stamp the scan's start, end and duration.
pub fn finish(inv: &mut Inventory, started_at: String, t0: Instant) {
    inv.scan.started_at = started_at;
    inv.scan.finished_at = now_rfc3339();
    inv.scan.duration_ms = t0.elapsed().as_millis() as u64;
}

/// A progress bar for one root, or `None` when progress is off.
pub fn progress_bar(enabled: bool, len: u64, label: &str) -> Option<indicatif::ProgressBar> {
    if !enabled {
        return None;
    }
    let b = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} files ({per_sec}, {eta})")
    {
        b.set_style(style.progress_chars("=> "));
    }
    b.set_prefix(label.to_string());
    Some(b)
}
