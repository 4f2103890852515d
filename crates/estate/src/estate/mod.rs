//! Estate scans: many repositories in one inventory.
//!
//! Owns: finding the repositories of an estate (folders holding `.git` below a directory,
//! or the list of an estate file with department, owner and criticality), the
//! deterministic partition of an estate into shards (`--shard I/N`), scanning the
//! repositories in parallel (one broken repository becomes diagnostics and a `failed`
//! status, never a stopped scan), and the roll-up of the inventory per repository and per
//! department. Joining shards again is [`merge`].
//!
//! It never reads a repository's files itself (that is the scan pipeline's job, one root
//! per repository, labelled with the repository's name), never runs git, and never lets
//! the order of repositories decide anything: shards come from a hash of the name.

pub mod merge;

use crate::scan::{self, RootScan, ScanOptions};
use kataster_model::model::*;
use rayon::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How deep below the estate folder repositories are looked for.
const MAX_DISCOVERY_DEPTH: usize = 12;

/// One repository to scan, with the metadata of the estate file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositorySpec {
    /// Stable name; the label of the repository's root.
    pub name: String,
    pub path: PathBuf,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub criticality: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EstateError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{0}")]
    Usage(String),
}

/// The estate file (`--estate-file`): TOML with one `[[repository]]` table per repository.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EstateFile {
    /// The central license policy of the estate, relative to the estate file's folder.
    policy: Option<String>,
    #[serde(default, rename = "repository")]
    repositories: Vec<EstateFileEntry>,
}

/// An estate file's contents: its repositories and its central policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estate {
    pub repositories: Vec<RepositorySpec>,
    /// The policy that rules every repository (`policy = "FILE"`), if the file names one.
    pub policy: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EstateFileEntry {
    /// Defaults to the path as written.
    name: Option<String>,
    /// Relative to the estate file's folder.
    path: String,
    department: Option<String>,
    owner: Option<String>,
    criticality: Option<String>,
}

/// Read an estate file's repositories. Paths in it are relative to its folder.
pub fn load_estate_file(path: &Path) -> Result<Vec<RepositorySpec>, EstateError> {
    load_estate(path).map(|e| e.repositories)
}

/// Read an estate file: its repositories and its policy. Paths in it are relative to its folder.
pub fn load_estate(path: &Path) -> Result<Estate, EstateError> {
    let err = |message: String| EstateError::File { path: path.display().to_string(), message };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let mut file: EstateFile = toml::from_str(&text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for (i, e) in std::mem::take(&mut file.repositories).into_iter().enumerate() {
        let name = e.name.unwrap_or_else(|| e.path.trim_matches('/').to_string());
        if name.trim().is_empty() {
            return Err(err(format!("repository {} has an empty name", i + 1)));
        }
        let clean = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        out.push(RepositorySpec {
            name,
            path: base.join(&e.path),
            department: clean(e.department),
            owner: clean(e.owner),
            criticality: clean(e.criticality),
        });
    }
    check_unique(&out).map_err(err)?;
    let policy = file.policy.map(|p| base.join(p));
    Ok(Estate { repositories: out, policy })
}

fn check_unique(repos: &[RepositorySpec]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for r in repos {
        if !seen.insert(r.name.as_str()) {
            return Err(format!("two repositories are named `{}`; names must be unique", r.name));
        }
    }
    Ok(())
}

/// Find the repositories below `dir`: every folder holding `.git` (a folder, or the file of
/// a worktree or submodule checkout). The search does not descend into a repository, and
/// never follows symlinks. A repository's name is its path below `dir` (`dir`'s own name
/// when `dir` is one).
pub fn discover(dir: &Path) -> (Vec<RepositorySpec>, Vec<Diagnostic>) {
    let mut repos = Vec::new();
    let mut diags = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        let rel = kataster_assemble::walk::relative(dir, &d);
        if d.join(".git").symlink_metadata().is_ok() {
            let name = if rel.is_empty() {
                dir.canonicalize()
                    .ok()
                    .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "estate".into())
            } else {
                rel
            };
            repos.push(RepositorySpec { name, path: d, department: None, owner: None, criticality: None });
            continue;
        }
        if depth >= MAX_DISCOVERY_DEPTH {
            continue;
        }
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic {
                    severity: Severity::Error,
                    root: String::new(),
                    path: kataster_assemble::walk::relative(dir, &d),
                    code: DiagnosticCode::EstateUnreadable,
                    message: format!("cannot list folder while looking for repositories: {e}"),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((entry.path(), depth + 1));
            }
        }
    }
    repos.sort_by(|a, b| a.name.cmp(&b.name));
    (repos, diags)
}

/// Join discovered repositories with those of an estate file: a listed repository at the
/// same place as a discovered one lends it its name and metadata; listed ones that were
/// not discovered are scanned too.
pub fn combine(discovered: Vec<RepositorySpec>, listed: Vec<RepositorySpec>) -> Result<Vec<RepositorySpec>, String> {
    let key = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut by_place: HashMap<PathBuf, RepositorySpec> = listed.into_iter().map(|r| (key(&r.path), r)).collect();
    let mut out: Vec<RepositorySpec> = discovered
        .into_iter()
        .map(|d| match by_place.remove(&key(&d.path)) {
            Some(l) => RepositorySpec { path: d.path, ..l },
            None => d,
        })
        .collect();
    out.extend(by_place.into_values());
    out.sort_by(|a, b| a.name.cmp(&b.name));
    check_unique(&out)?;
    Ok(out)
}

/// Parse `I/N` (1 <= I <= N): the I-th of N shards.
pub fn parse_shard(s: &str) -> Result<Shard, String> {
    let bad = || format!("`{s}`: expected INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 2/8");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let index: u32 = i.trim().parse().map_err(|_| bad())?;
    let count: u32 = n.trim().parse().map_err(|_| bad())?;
    if index == 0 || count == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// The shard (1-based) a repository belongs to among `count`: from a hash of its name
/// only, so adding, removing or reordering other repositories never moves it.
pub fn shard_of(name: &str, count: u32) -> u32 {
    let h = Sha256::digest(name.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h[..8]);
    (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32 + 1
}

/// Scan the repositories (those of `shard` only, if given) in parallel into one inventory
/// with `repositories[]` and `departments[]`. `diagnostics` are the estate's own (from
/// discovery). `opts.roots` is ignored.
pub fn scan_estate(
    repos: &[RepositorySpec],
    shard: Option<Shard>,
    opts: &ScanOptions,
    diagnostics: Vec<Diagnostic>,
) -> Inventory {
    let started_at = kataster_model::time::now_rfc3339();
    let t0 = Instant::now();
    let mut mine: Vec<&RepositorySpec> =
        repos.iter().filter(|r| shard.is_none_or(|s| shard_of(&r.name, s.count) == s.index)).collect();
    mine.sort_by(|a, b| a.name.cmp(&b.name));
    let progress = Progress::new(opts.progress, mine.len() as u64);
    let results: Vec<(RootScan, RepositoryStatus)> =
        mine.par_iter().map(|r| scan_repository(r, opts, &progress)).collect();
    progress.finish();

    let mut roots = Vec::new();
    let mut parts = Vec::new();
    let mut repositories = Vec::new();
    for (spec, (part, status)) in mine.iter().zip(results) {
        let path = spec.path.to_string_lossy().into_owned();
        roots.push(Root { label: spec.name.clone(), path: path.clone() });
        repositories.push(Repository {
            name: spec.name.clone(),
            path,
            department: spec.department.clone(),
            owner: spec.owner.clone(),
            criticality: spec.criticality.clone(),
            status,
            summary: Summary::default(),
            findings: BTreeMap::new(),
        });
        parts.push(part);
    }
    parts.push(RootScan { diagnostics, ..Default::default() });
    let mut inv = scan::join(roots, parts, &opts.policies);
    inv.scan.shard = shard;
    inv.repositories = repositories;
    roll_up(&mut inv);
    scan::finish(&mut inv, started_at, t0);
    inv
}

/// Scan one repository; a missing folder or a failure inside the pipeline becomes a
/// diagnostic and the `failed` status.
fn scan_repository(r: &RepositorySpec, opts: &ScanOptions, progress: &Progress) -> (RootScan, RepositoryStatus) {
    let failed = |code: DiagnosticCode, message: String| {
        let diagnostics =
            vec![Diagnostic { severity: Severity::Error, root: r.name.clone(), path: String::new(), code, message }];
        (RootScan { diagnostics, ..Default::default() }, RepositoryStatus::Failed)
    };
    if !r.path.is_dir() {
        progress.done(&r.name, None);
        return failed(
            DiagnosticCode::RepositoryMissing,
            format!("{}: not a directory; repository not scanned", r.path.display()),
        );
    }
    let bar = progress.start(&r.name);
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        scan::scan_root(&r.path, &r.name, opts, bar.as_ref())
    }));
    let (part, status) = match res {
        Ok(part) => {
            let walk_failed = part.diagnostics.iter().any(|d| d.code == DiagnosticCode::WalkError && d.path.is_empty());
            (part, if walk_failed { RepositoryStatus::Failed } else { RepositoryStatus::Scanned })
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            failed(DiagnosticCode::InternalError, format!("the scan of this repository failed inside kataster: {what}"))
        }
    };
    progress.done(&r.name, bar.map(|b| (b, &part)));
    (part, status)
}

/// Per-repository progress lines on a terminal: one bar per repository being scanned, an
/// overall bar, and a line for each repository that ends with errors.
struct Progress {
    multi: Option<indicatif::MultiProgress>,
    overall: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(enabled: bool, repos: u64) -> Progress {
        if !enabled {
            return Progress { multi: None, overall: None };
        }
        let multi = indicatif::MultiProgress::new();
        let overall = multi.add(indicatif::ProgressBar::new(repos));
        if let Ok(style) = indicatif::ProgressStyle::with_template("estate [{bar:30}] {pos}/{len} repositories ({eta})")
        {
            overall.set_style(style.progress_chars("=> "));
        }
        Progress { multi: Some(multi), overall: Some(overall) }
    }

    fn start(&self, name: &str) -> Option<indicatif::ProgressBar> {
        let m = self.multi.as_ref()?;
        scan::progress_bar(true, 0, &kataster_model::output::terminal_field(name)).map(|b| m.add(b))
    }

    fn done(&self, name: &str, bar: Option<(indicatif::ProgressBar, &RootScan)>) {
        let (Some(m), Some(o)) = (&self.multi, &self.overall) else { return };
        let name = kataster_model::output::terminal_field(name);
        o.inc(1);
        if let Some((b, part)) = bar {
            b.finish_and_clear();
            m.remove(&b);
            let errors = part.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            if errors > 0 {
                let _ = m.println(format!("{name}: {} files, {errors} errors", part.files_seen));
            }
        } else {
            let _ = m.println(format!("{name}: not scanned"));
        }
    }

    fn finish(&self) {
        if let Some(o) = &self.overall {
            o.finish_and_clear();
        }
    }
}

/// Fill the summaries of `inv.repositories` and rebuild `inv.departments` from the
/// components, files, findings and diagnostics of each repository's root.
pub fn roll_up(inv: &mut Inventory) {
    #[derive(Default)]
    struct Group {
        components: Vec<Component>,
        diagnostics: Vec<Diagnostic>,
        files: u64,
        files_with_licenses: u64,
        findings: BTreeMap<String, u64>,
    }
    let root_of: HashMap<&str, &str> = inv.components.iter().map(|c| (c.id.as_str(), c.root.as_str())).collect();
    let mut groups: HashMap<&str, Group> = HashMap::new();
    for c in &inv.components {
        groups.entry(c.root.as_str()).or_default().components.push(c.clone());
    }
    for d in &inv.diagnostics {
        groups.entry(d.root.as_str()).or_default().diagnostics.push(d.clone());
    }
    for f in &inv.files {
        let g = groups.entry(f.root.as_str()).or_default();
        g.files += 1;
        g.files_with_licenses += u64::from(!f.licenses.is_empty());
    }
    for f in &inv.findings {
        if let Some(root) = root_of.get(f.component.as_str()) {
            *groups.entry(root).or_default().findings.entry(f.decision.as_str().to_string()).or_default() += 1;
        }
    }
    let summarize = |g: &Group| {
        let mut s = kataster_verdict::classify::summary::summarize(&g.components, &[], &g.diagnostics);
        s.files = g.files;
        s.files_with_licenses = g.files_with_licenses;
        s
    };
    let mut departments: BTreeMap<String, Group> = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let empty = Group::default();
    for r in &mut inv.repositories {
        let g = groups.get(r.name.as_str()).unwrap_or(&empty);
        r.summary = summarize(g);
        r.findings = g.findings.clone();
        let dept = r.department.clone().unwrap_or_else(|| UNASSIGNED.to_string());
        let d = departments.entry(dept.clone()).or_default();
        d.components.extend(g.components.iter().cloned());
        d.diagnostics.extend(g.diagnostics.iter().cloned());
        d.files += g.files;
        d.files_with_licenses += g.files_with_licenses;
        for (k, v) in &g.findings {
            *d.findings.entry(k.clone()).or_default() += v;
        }
        members.entry(dept).or_default().push(r.name.clone());
    }
    inv.departments = departments
        .iter()
        .map(|(name, g)| {
            let mut repositories = members.remove(name).unwrap_or_default();
            repositories.sort();
            Department {
                name: name.clone(),
                repositories,
                summary: summarize(g),
                findings: g.findings.clone(),
                vendors: Vec::new(),
            }
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parsing_and_bounds() {
        assert_eq!(parse_shard("2/8").unwrap(), Shard { index: 2, count: 8 });
        assert_eq!(parse_shard(" 1 / 1").unwrap(), Shard { index: 1, count: 1 });
        for bad in ["0/3", "4/3", "1/0", "1", "a/b", "1/2/3", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_depend_on_the_name_only_and_cover_every_repository() {
        let names: Vec<String> = (0..400).map(|i| format!("dept-{}/repo-{i}", i % 7)).collect();
        let mut counts = [0usize; 4];
        for n in &names {
            let s = shard_of(n, 4);
            assert!((1..=4).contains(&s));
            assert_eq!(s, shard_of(n, 4), "stable");
            counts[s as usize - 1] += 1;
        }
        // A fair hash spreads 400 names over 4 shards roughly evenly.
        assert!(counts.iter().all(|&c| (60..=140).contains(&c)), "{counts:?}");
        // Known values pin the hash, so that shards made by different builds agree.
        assert_eq!(shard_of("steuer", 1), 1);
        let pinned: Vec<u32> = ["a", "b", "c", "steuer"].iter().map(|n| shard_of(n, 5)).collect();
        let again: Vec<u32> = ["steuer", "c", "b", "a"].iter().rev().map(|n| shard_of(n, 5)).collect();
        assert_eq!(pinned, again);
    }

    #[test]
    fn estate_file_errors_name_the_file() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("estate.toml");
        std::fs::write(&f, "[[repository]]\npath = \"a\"\ndepartmnt = \"x\"\n").unwrap();
        let e = load_estate_file(&f).unwrap_err().to_string();
        assert!(e.contains("estate.toml") && e.contains("departmnt"), "{e}");
        std::fs::write(&f, "[[repository]]\npath = \"a\"\n[[repository]]\npath = \"b\"\nname = \"a\"\n").unwrap();
        let e = load_estate_file(&f).unwrap_err().to_string();
        assert!(e.contains("two repositories are named `a`"), "{e}");
        std::fs::write(&f, "[[repository]]\npath = \"x/y/\"\ndepartment = \" \"\nowner = \"it@example.org\"\n")
            .unwrap();
        let r = load_estate_file(&f).unwrap();
        assert_eq!(r[0].name, "x/y");
        assert_eq!(r[0].path, d.path().join("x/y/"));
        assert_eq!(r[0].department, None);
        assert_eq!(r[0].owner.as_deref(), Some("it@example.org"));
        assert!(load_estate_file(&d.path().join("missing.toml")).is_err());
    }

    #[test]
    fn discovery_stops_at_repositories_and_combines_with_the_estate_file() {
        let d = tempfile::tempdir().unwrap();
        for p in ["a/.git", "team/b/.git", "team/b/nested/.git", "team/c/src"] {
            std::fs::create_dir_all(d.path().join(p)).unwrap();
        }
        // A worktree or submodule checkout has a `.git` file.
        std::fs::create_dir_all(d.path().join("w")).unwrap();
        std::fs::write(d.path().join("w/.git"), "gitdir: ../a/.git/worktrees/w\n").unwrap();
        let (found, diags) = discover(d.path());
        assert!(diags.is_empty());
        let names: Vec<&str> = found.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "team/b", "w"]);

        let listed = vec![
            RepositorySpec {
                name: "Bauamt".into(),
                path: d.path().join("team/b"),
                department: Some("Bau".into()),
                owner: None,
                criticality: Some("high".into()),
            },
            RepositorySpec {
                name: "c".into(),
                path: d.path().join("team/c"),
                department: None,
                owner: None,
                criticality: None,
            },
        ];
        let all = combine(found, listed).unwrap();
        let names: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Bauamt", "a", "c", "w"]);
        assert_eq!(all[0].department.as_deref(), Some("Bau"));
        assert_eq!(all[0].path, d.path().join("team/b"));
    }
}
