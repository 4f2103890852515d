//! The walker: every file below a root, found in parallel.
//!
//! Owns: which entries of a tree are files to look at, and the diagnostics for those it
//! cannot look at (unreadable folders, symlink loops, links out of the root). It never
//! follows a symlink (content inside the root is seen at its real place, content outside
//! is not ours to read), never descends into `.git/`, and never reads file contents.

use ignore::{WalkBuilder, WalkState, overrides::OverrideBuilder};
use kataster_model::model::{Diagnostic, DiagnosticCode, Severity};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Globs (gitignore syntax, relative to the root) of paths to leave out.
    pub excludes: Vec<String>,
    /// Honour .gitignore files; off by default, since vendored and ignored dependency
    /// trees are what an inventory must see.
    pub respect_gitignore: bool,
    pub threads: usize,
}

/// A regular file found below a root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkedFile {
    /// Path relative to the root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
}

#[derive(Debug, Default)]
pub struct WalkResult {
    pub files: Vec<WalkedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The `/`-separated path of `path` relative to `root`.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// Walk one root. `label` names the root in diagnostics.
pub fn walk(root: &Path, label: &str, opts: &WalkOptions) -> Result<WalkResult, ignore::Error> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut overrides = OverrideBuilder::new(root);
    for g in &opts.excludes {
        overrides.add(&format!("!{g}"))?;
    }
    let overrides = overrides.build()?;
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(false)
        .ignore(false)
        .git_ignore(opts.respect_gitignore)
        .git_exclude(opts.respect_gitignore)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .overrides(overrides)
        .threads(opts.threads)
        .filter_entry(|e| !(e.file_name() == ".git" && e.depth() > 0));
    let out = Mutex::new(WalkResult::default());
    let diag = |severity, path: String, code: DiagnosticCode, message: String| Diagnostic {
        severity,
        root: label.to_string(),
        path,
        code,
        message,
    };
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let (path, msg) = error_path(&err);
                    let path = path.map(|p| relative(root, &p)).unwrap_or_default();
                    let code =
                        if msg.contains("loop") { DiagnosticCode::SymlinkLoop } else { DiagnosticCode::Unreadable };
                    if let Ok(mut o) = out.lock() {
                        o.diagnostics.push(diag(Severity::Error, path, code, msg));
                    }
                    return WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else { return WalkState::Continue };
            let rel = relative(root, entry.path());
            if ft.is_symlink() {
                if let Some(d) = check_symlink(entry.path(), &canonical_root)
                    && let Ok(mut o) = out.lock()
                {
                    o.diagnostics.push(diag(d.0, rel, d.1, d.2));
                }
                return WalkState::Continue;
            }
            if ft.is_file() {
                let size = match entry.metadata() {
                    Ok(m) => m.len(),
                    Err(e) => {
                        if let Ok(mut o) = out.lock() {
                            o.diagnostics.push(diag(
                                Severity::Error,
                                rel,
                                DiagnosticCode::Unreadable,
                                format!("cannot read metadata: {e}"),
                            ));
                        }
                        return WalkState::Continue;
                    }
                };
                if let Ok(mut o) = out.lock() {
                    o.files.push(WalkedFile { rel, abs: entry.into_path(), size });
                }
            } else if !ft.is_dir()
                && let Ok(mut o) = out.lock()
            {
                o.diagnostics.push(diag(
                    Severity::Info,
                    rel,
                    DiagnosticCode::SpecialFile,
                    "not a regular file (fifo, socket or device); not read".into(),
                ));
            }
            WalkState::Continue
        })
    });
    let mut res = out.into_inner().unwrap_or_default();
    res.files.sort();
    let collisions = lossy_collisions(root, &res.files);
    res.diagnostics.extend(
        collisions
            .into_iter()
            .map(|(path, message)| diag(Severity::Warning, path, DiagnosticCode::NameCollision, message)),
    );
    res.diagnostics.sort();
    Ok(res)
}

/// Paths whose names are not valid UTF-8 and that read alike once decoded (each invalid
/// byte becomes U+FFFD): their files share one relative path, and so one component. Each
/// such path, once (not again for what lies below it), with the names as they are on disk.
fn lossy_collisions(root: &Path, files: &[WalkedFile]) -> Vec<(String, String)> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut seen: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
    for f in files {
        let rel = f.abs.strip_prefix(root).unwrap_or(&f.abs);
        let mut raw = PathBuf::new();
        for c in rel.components() {
            raw.push(c);
            if c.as_os_str().to_str().is_none() {
                seen.entry(relative(Path::new(""), &raw)).or_default().insert(raw.clone());
            }
        }
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for (lossy, raws) in seen {
        if raws.len() < 2 || out.iter().any(|(p, _)| lossy.starts_with(&format!("{p}/"))) {
            continue;
        }
        let names: Vec<String> = raws.iter().map(|r| format!("{:?}", r.as_os_str())).collect();
        out.push((
            lossy,
            format!(
                "{} paths whose names are not valid UTF-8 read alike ({}): their files are reported under one path and their components merge",
                raws.len(),
                names.join(", ")
            ),
        ));
    }
    out
}

/// The path and a readable message of a walker error.
fn error_path(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), error_path(err).1),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, ancestor } => {
            (Some(child.clone()), format!("symlink loop: points back to {}", ancestor.display()))
        }
        ignore::Error::Io(e) => (None, format!("cannot read: {e}")),
        other => (None, other.to_string()),
    }
}

/// What to say about a symlink that is not followed; `None` for links that point inside
/// the root (their target is walked where it really is).
fn check_symlink(link: &Path, root: &Path) -> Option<(Severity, DiagnosticCode, String)> {
    match link.canonicalize() {
        Ok(target) => {
            let parent = link.parent().and_then(|p| p.canonicalize().ok());
            if target.is_dir() && parent.as_ref().is_some_and(|p| p.starts_with(&target)) {
                Some((
                    Severity::Warning,
                    DiagnosticCode::SymlinkLoop,
                    format!("symlink loop: points to its own ancestor {}", target.display()),
                ))
            } else if !target.starts_with(root) {
                Some((
                    Severity::Info,
                    DiagnosticCode::SymlinkOutsideRoot,
                    format!("symlink to {} outside the root; not followed", target.display()),
                ))
            } else {
                None
            }
        }
        Err(e) if e.raw_os_error() == Some(40) => Some((
            Severity::Warning,
            DiagnosticCode::SymlinkLoop,
            "symlink loop: too many levels of symbolic links".into(),
        )),
        Err(_) => {
            let target = std::fs::read_link(link).map(|t| t.display().to_string()).unwrap_or_default();
            Some((Severity::Info, DiagnosticCode::SymlinkBroken, format!("broken symlink to {target}; not followed")))
        }
    }
}
