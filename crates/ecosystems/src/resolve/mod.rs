//! License resolution for dependencies whose license the scanned tree does not state.
//!
//! Lockfiles rarely carry licenses. After assembly, every dependency component without a
//! declared license is looked up, first offline in what the machine already holds
//! (package manager caches, installed packages: one module per ecosystem), then, only
//! with `--online`, in the registries' public APIs through an on-disk cache ([`online`],
//! [`http`]). A resolved license records its source (`installed`, `local-cache`,
//! `registry`) and an evidence entry with the file or URL it came from.
//!
//! This module only reads files and, when asked, makes HTTP GET requests. It never
//! executes anything, never writes outside its own cache directory, and never makes a
//! network connection without `--online`. A failed look-up is a diagnostic; the scan goes on.

use kataster_model::license::DeclaredLicense;
use kataster_model::model::*;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

use crate::maven::resolve as maven;

pub mod files;
pub mod http;
pub mod online;
pub mod urls;

/// The ecosystems resolution knows, as component `ecosystem` values (`--cache-dir` and
/// `--registry` take these names).
pub fn ecosystem_names() -> Vec<&'static str> {
    resolvers().map(|r| r.ecosystem.as_str()).collect()
}

/// How resolution runs; filled from the command line.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Look up what the offline sources do not know in the registries (`--online`).
    pub online: bool,
    /// Extra cache or install folders per ecosystem (`--cache-dir ECOSYSTEM=PATH`), searched
    /// before the ecosystem's default cache.
    pub cache_dirs: Vec<(Ecosystem, PathBuf)>,
    /// Registry base URLs per ecosystem (`--registry ECOSYSTEM=URL`), for mirrors.
    pub registries: Vec<(Ecosystem, String)>,
    /// Python environments or site-packages folders (`--python-env PATH`).
    pub python_envs: Vec<PathBuf>,
    /// Skip the machine's default package caches (only `--cache-dir`, `--python-env` and the tree).
    pub no_local_caches: bool,
    /// Where registry responses are cached; `None`: the user's cache directory.
    pub http_cache_dir: Option<PathBuf>,
    /// Timeouts, retries and concurrency of registry requests; `None`: the defaults.
    pub http: Option<http::HttpSettings>,
}

/// What one look-up found.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub license: Found,
    pub source: LicenseSource,
    /// The file (absolute path) or URL the license was read from.
    pub location: String,
    pub line: Option<u32>,
    /// Who the package record names as supplier, authors and maintainers.
    pub parties: Parties,
}

impl Resolution {
    /// The same resolution with the package record's supplier and authors.
    pub fn with_parties(mut self, parties: Parties) -> Resolution {
        self.parties = parties;
        self
    }
}

/// The supplier and the authors a package record names (`Name <mail>`, a URL or a name).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parties {
    /// The organisation that publishes the package, where the record names one apart from
    /// its authors (a Maven `<organization>`); otherwise the first author.
    pub supplier: Option<String>,
    /// Authors, then maintainers, each once, in the record's order.
    pub authors: Vec<String>,
}

impl Parties {
    /// Authors and maintainers as a record lists them; the first is the supplier.
    pub fn from_people<I, S>(people: I) -> Parties
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut authors: Vec<String> = Vec::new();
        for p in people {
            let p = p.as_ref().split_whitespace().collect::<Vec<_>>().join(" ");
            if !p.is_empty() && !authors.iter().any(|a| a.eq_ignore_ascii_case(&p)) {
                authors.push(p);
            }
        }
        Parties { supplier: authors.first().cloned(), authors }
    }

    /// Put an organisation first as the supplier.
    pub fn with_supplier(mut self, supplier: Option<String>) -> Parties {
        if let Some(s) = supplier.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            self.supplier = Some(s);
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.supplier.is_none() && self.authors.is_empty()
    }
}

/// A license as a package record declares it, or as detected in its license files.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Declared(DeclaredLicense),
    /// Detected in the package's license files: expression, method and confidence.
    Detected(Vec<(String, Method, f32)>),
}

impl Found {
    /// A declaration from a manifest's text; `None` when it is empty.
    pub fn declared(raw: &str) -> Option<Found> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        Some(Found::Declared(DeclaredLicense::from_raw(raw)))
    }

    /// Is there an SPDX expression in it? (A pointer to a license file is not one: the file
    /// it names is read instead.)
    pub fn understood(&self) -> bool {
        match self {
            Found::Declared(d) => {
                d.expression.as_deref().is_some_and(|e| e != kataster_model::scopes::SEE_LICENSE_FILE)
            }
            Found::Detected(v) => !v.is_empty(),
        }
    }
}

/// The identity of a dependency as the registries and caches know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub ecosystem: Ecosystem,
    /// Name as the ecosystem writes it in full (`@scope/name`, `group:artifact`, a Go module path).
    pub name: String,
    /// The purl namespace or the part before the name (`@scope`, Maven group, Go module prefix).
    pub namespace: Option<String>,
    /// The bare name (Maven artifact, npm name without scope).
    pub short_name: String,
    pub version: Option<String>,
}

impl Query {
    pub fn from_component(c: &Component) -> Query {
        let parsed = c.purl.as_deref().and_then(|p| p.parse::<packageurl::PackageUrl>().ok());
        let namespace = parsed.as_ref().and_then(|p| p.namespace().map(str::to_string));
        let purl_name = parsed.as_ref().map(|p| p.name().to_string());
        let version = c.version.clone().filter(|v| !v.is_empty());
        let (name, namespace, short_name) = match c.ecosystem {
            Ecosystem::Maven => {
                if let Some((g, a)) = c.name.split_once(':') {
                    (c.name.clone(), Some(g.to_string()), a.to_string())
                } else {
                    let g = namespace.clone();
                    let full = match &g {
                        Some(g) => format!("{g}:{}", c.name),
                        None => c.name.clone(),
                    };
                    (full, g, c.name.clone())
                }
            }
            Ecosystem::Npm => {
                if let Some((scope, n)) = c.name.strip_prefix('@').and_then(|s| s.split_once('/')) {
                    (c.name.clone(), Some(format!("@{scope}")), n.to_string())
                } else if let (Some(ns), Some(n)) = (&namespace, &purl_name) {
                    let ns = if ns.starts_with('@') { ns.clone() } else { format!("@{ns}") };
                    (format!("{ns}/{n}"), Some(ns), n.clone())
                } else {
                    (c.name.clone(), None, c.name.clone())
                }
            }
            Ecosystem::Golang | Ecosystem::Composer => {
                if c.name.contains('/') {
                    let (ns, n) = c.name.rsplit_once('/').unwrap_or(("", &c.name));
                    (c.name.clone(), Some(ns.to_string()).filter(|s| !s.is_empty()), n.to_string())
                } else if let Some(ns) = &namespace {
                    (format!("{ns}/{}", c.name), Some(ns.clone()), c.name.clone())
                } else {
                    (c.name.clone(), None, c.name.clone())
                }
            }
            _ => (c.name.clone(), namespace, c.name.clone()),
        };
        Query { ecosystem: c.ecosystem.clone(), name, namespace, short_name, version }
    }

    pub fn describe(&self) -> String {
        match &self.version {
            Some(v) => format!("{} {}@{v}", self.ecosystem, self.name),
            None => format!("{} {}", self.ecosystem, self.name),
        }
    }
}

/// A folder to search and what finding something there means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub dir: PathBuf,
    pub source: LicenseSource,
}

impl Place {
    pub fn new(dir: impl Into<PathBuf>, source: LicenseSource) -> Place {
        Place { dir: dir.into(), source }
    }
}

/// The folders of some lists of places, for the [`Fence`].
pub(crate) fn place_dirs<'a>(lists: &[&'a [Place]]) -> Vec<&'a Path> {
    lists.iter().flat_map(|l| l.iter().map(|p| p.dir.as_path())).collect()
}

/// What the offline source of an ecosystem is made from.
pub struct SourceArgs<'a> {
    pub root: &'a Path,
    /// The `--cache-dir` folders given for the ecosystem.
    pub extra: Vec<PathBuf>,
    /// The `--python-env` folders.
    pub python_envs: &'a [PathBuf],
    /// Whether the machine's default caches are searched (not `--no-local-caches`).
    pub defaults: bool,
    pub env: &'a Env,
}

/// An ecosystem's license look-up in the package caches and install folders of one root.
pub trait Source: std::any::Any + Send + Sync {
    /// The folders outside the root it reads (they join the fence).
    fn dirs(&self) -> Vec<&Path>;
    /// The license (and parties) of one package, if a cache holds it.
    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution>;
}

/// One ecosystem's license look-up: in its package caches, and with `--online` in its
/// registry. Each ecosystem's folder has one (`RESOLVER` in its `resolve.rs`), listed in
/// the registry of ecosystems (`crate::ECOSYSTEMS`).
pub struct Resolver {
    /// The ecosystem of the components it looks up; also the ECOSYSTEM of `--cache-dir`
    /// and `--registry`.
    pub ecosystem: Ecosystem,
    /// The registry's base URL unless `--registry` names a mirror.
    pub registry: &'static str,
    pub offline: fn(&SourceArgs) -> Box<dyn Source>,
    /// The registry look-up; `None` where kataster asks no registry.
    pub online: Option<fn(&online::Registry, &online::Ask) -> online::Answer>,
}

/// Every ecosystem's look-up, in the order of the registry of ecosystems.
pub fn resolvers() -> impl Iterator<Item = &'static Resolver> {
    crate::ECOSYSTEMS.iter().filter_map(|e| e.resolver.as_ref())
}

/// The look-up of the ecosystem named `name`.
pub fn resolver(ecosystem: &Ecosystem) -> Option<&'static Resolver> {
    resolvers().find(|r| r.ecosystem == *ecosystem)
}

/// The offline sources of one root: its install folders, the `--cache-dir`s and the
/// machine's default caches.
pub struct Offline {
    sources: Vec<(&'static Ecosystem, Box<dyn Source>)>,
    /// What the sources may read: the root and their folders outside it.
    pub fence: Fence,
}

impl Offline {
    pub fn new(root: &Path, opts: &ResolveOptions, env: &Env) -> Offline {
        let sources: Vec<(&'static Ecosystem, Box<dyn Source>)> =
            resolvers().map(|r| (&r.ecosystem, (r.offline)(&source_args(root, &r.ecosystem, opts, env)))).collect();
        let fence = Fence::new(root, sources.iter().flat_map(|(_, s)| s.dirs()));
        Offline { sources, fence }
    }

    pub fn lookup(&self, q: &Query) -> Option<Resolution> {
        let (_, source) = self.sources.iter().find(|(e, _)| **e == q.ecosystem)?;
        source.lookup(q, &self.fence)
    }

    /// The source of `ecosystem` as its own type, for what only that ecosystem does (the
    /// POMs of Maven's local repositories).
    pub fn source<T: Source>(&self, ecosystem: &Ecosystem) -> Option<&T> {
        let (_, source) = self.sources.iter().find(|(e, _)| *e == ecosystem)?;
        (source.as_ref() as &dyn std::any::Any).downcast_ref::<T>()
    }
}

fn source_args<'a>(root: &'a Path, ecosystem: &Ecosystem, opts: &'a ResolveOptions, env: &'a Env) -> SourceArgs<'a> {
    SourceArgs {
        root,
        extra: opts.cache_dirs.iter().filter(|(e, _)| e == ecosystem).map(|(_, p)| p.clone()).collect(),
        python_envs: &opts.python_envs,
        defaults: !opts.no_local_caches,
        env,
    }
}

/// The process environment as resolution sees it (cache roots follow it), passed in so
/// that tests can give their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: Vec<(String, String)>,
}

impl Env {
    /// The real environment.
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    pub fn from_pairs(pairs: &[(&str, &str)]) -> Env {
        Env { vars: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    /// A variable's value, if set and not empty.
    pub fn var(&self, key: &str) -> Option<&str> {
        self.vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    pub fn home(&self) -> Option<PathBuf> {
        self.var("HOME").or_else(|| self.var("USERPROFILE")).map(PathBuf::from)
    }

    /// `$VAR` as a path, else `$HOME/rel`.
    pub fn dir_or_home(&self, var: &str, rel: &str) -> Option<PathBuf> {
        self.var(var).map(PathBuf::from).or_else(|| self.home().map(|h| h.join(rel)))
    }

    /// The user's cache directory: `$XDG_CACHE_HOME`, else `~/.cache`.
    pub fn cache_home(&self) -> Option<PathBuf> {
        self.dir_or_home("XDG_CACHE_HOME", ".cache")
    }
}

/// A root to resolve: its label and path.
pub struct RootRef<'a> {
    pub label: &'a str,
    pub path: &'a Path,
}

/// Does this component need a look-up? (Neither a declaration nor license files of its own.)
fn needs_license(c: &Component) -> bool {
    c.kind == ComponentKind::Dependency
        && c.declared_license.as_deref().is_none_or(|d| d == kataster_model::scopes::SEE_LICENSE_FILE)
        && c.scope_license.is_none()
        && resolver(&c.ecosystem).is_some()
}

/// Does this dependency lack the supplier or authors an SBOM names? (Looked up offline only.)
fn needs_parties(c: &Component) -> bool {
    c.kind == ComponentKind::Dependency
        && (c.supplier.is_none() || c.authors.is_empty())
        && resolver(&c.ecosystem).is_some()
}

/// Resolve the licenses of the components' unlicensed dependencies in place; returns the
/// diagnostics (registry failures, dependencies nobody knows).
pub fn resolve(components: &mut [Component], roots: &[RootRef], opts: &ResolveOptions, env: &Env) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut unresolved: Vec<(usize, Query)> = Vec::new();
    for root in roots {
        let mut offline = None;
        if components.iter().any(|c| maven::unversioned(c, root.label)) {
            // Versions a parent POM or an imported BOM manages, before licenses are looked up.
            let o = Offline::new(root.path, opts, env);
            let registry = opts.online.then(|| online::Registry::new(opts, env));
            if let Some(local) = o.source::<maven::MavenSource>(&maven::RESOLVER.ecosystem) {
                let src = maven::PomSources { root: root.path, fence: &o.fence, local, registry: registry.as_ref() };
                maven::fill_managed_versions(components, root.label, &src);
            }
            offline = Some(o);
        }
        let wanted: Vec<usize> = components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.root == root.label && (needs_license(c) || needs_parties(c)))
            .map(|(i, _)| i)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let offline = offline.unwrap_or_else(|| Offline::new(root.path, opts, env));
        let found: Vec<(usize, Query, Option<Resolution>)> = wanted
            .par_iter()
            .map(|&i| {
                let q = Query::from_component(&components[i]);
                let r = offline.lookup(&q);
                (i, q, r)
            })
            .collect();
        for (i, q, r) in found {
            if !needs_license(&components[i]) {
                // Looked up for its supplier and authors only: the license it has stays.
                if let Some(r) = r {
                    add_parties(&mut components[i], &r.parties);
                }
                continue;
            }
            match r {
                Some(r) if r.license.understood() => apply(&mut components[i], r),
                Some(r) => {
                    // A record that says something we cannot read: keep it, ask the registry too.
                    apply(&mut components[i], r);
                    unresolved.push((i, q));
                }
                None => unresolved.push((i, q)),
            }
        }
    }
    if opts.online && !unresolved.is_empty() {
        let registry = online::Registry::new(opts, env);
        let answers = registry.lookup_all(unresolved.iter().map(|(_, q)| q.clone()).collect());
        for ((i, q), answer) in unresolved.iter().zip(answers) {
            let c = &mut components[*i];
            match answer {
                Ok(Some(r)) => apply(c, r),
                Ok(None) => diagnostics.push(diag(
                    c,
                    DiagnosticCode::LicenseUnresolved,
                    format!("{}: the registry names no license", q.describe()),
                )),
                Err(e) => diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    root: c.root.clone(),
                    path: first_location(c),
                    code: DiagnosticCode::RegistryLookupFailed,
                    message: format!("{}: {e}", q.describe()),
                }),
            }
        }
    }
    diagnostics.sort();
    diagnostics
}

fn first_location(c: &Component) -> String {
    c.locations
        .first()
        .map(|l| {
            l.rsplit_once(':').filter(|(_, n)| n.parse::<u32>().is_ok()).map_or(l.as_str(), |(p, _)| p).to_string()
        })
        .unwrap_or_default()
}

fn diag(c: &Component, code: DiagnosticCode, message: String) -> Diagnostic {
    Diagnostic { severity: Severity::Info, root: c.root.clone(), path: first_location(c), code, message }
}

/// Record the supplier and authors of a package record on a component that names none.
fn add_parties(c: &mut Component, p: &Parties) {
    if c.supplier.is_none() {
        c.supplier = p.supplier.clone();
    }
    if c.authors.is_empty() {
        c.authors = p.authors.clone();
    }
}

/// Record a resolution on a component: the license, its source and its evidence, and the
/// supplier and authors the package record names.
pub fn apply(c: &mut Component, r: Resolution) {
    add_parties(c, &r.parties);
    match r.license {
        Found::Declared(dl) => {
            if c.declared_license.as_deref().is_some_and(|d| d != kataster_model::scopes::SEE_LICENSE_FILE) {
                return;
            }
            if dl.expression.is_none() && c.declared_license_raw.is_some() {
                return;
            }
            if dl.expression.as_deref() != Some(dl.raw.as_str()) || dl.inferred {
                c.declared_license_raw = Some(dl.raw.clone());
            } else {
                c.declared_license_raw = None;
            }
            c.declared_license = dl.expression.clone();
            if let Some(expr) = &dl.expression {
                c.evidence.insert(
                    0,
                    Evidence {
                        expression: expr.clone(),
                        path: r.location,
                        start_line: r.line,
                        end_line: r.line,
                        method: Method::Manifest,
                        confidence: if dl.inferred { 0.6 } else { 1.0 },
                        source: r.source,
                        note: None,
                    },
                );
                add_source(c, r.source);
            }
        }
        Found::Detected(findings) => {
            // The package's own license files: its declaration, as a license scope.
            if findings.is_empty() || c.scope_license.is_some() {
                return;
            }
            c.scope_license = kataster_model::license::and_all(findings.iter().map(|f| f.0.as_str()));
            for (expr, method, confidence) in &findings {
                c.evidence.push(Evidence {
                    expression: expr.clone(),
                    path: r.location.clone(),
                    start_line: None,
                    end_line: None,
                    method: *method,
                    confidence: *confidence,
                    source: r.source,
                    note: Some("license file of the package".into()),
                });
            }
            add_source(c, r.source);
        }
    }
}

fn add_source(c: &mut Component, s: LicenseSource) {
    if !c.license_sources.contains(&s) {
        c.license_sources.push(s);
        c.license_sources.sort();
    }
}

/// Where resolution may read: the scanned root and the cache and install folders outside
/// it, as canonical paths. A file is read only when, with every link followed, it is a
/// regular file inside one of them: a link out of the tree, a path dependency's absolute
/// `license-file`, a module named `/usr/share/...` or `../..` find nothing, and a FIFO or
/// device met where a manifest was expected is never opened for a blocking read.
#[derive(Debug, Clone, Default)]
pub struct Fence {
    bases: Vec<PathBuf>,
}

impl Fence {
    /// The fence of a root and the folders its sources search. A folder below the root (as
    /// written) adds nothing: a link in the tree must not widen the fence to its target.
    pub fn new<'a>(root: &Path, dirs: impl IntoIterator<Item = &'a Path>) -> Fence {
        let mut bases: Vec<PathBuf> = std::fs::canonicalize(root).into_iter().collect();
        for d in dirs {
            if !d.starts_with(root)
                && let Ok(c) = std::fs::canonicalize(d)
            {
                bases.push(c);
            }
        }
        bases.sort();
        bases.dedup();
        Fence { bases }
    }

    /// `path` with every link resolved, if that lies inside the fence.
    fn inside(&self, path: &Path) -> Option<PathBuf> {
        let canon = std::fs::canonicalize(path).ok()?;
        self.bases.iter().any(|b| canon.starts_with(b)).then_some(canon)
    }

    /// Read a regular file inside the fence, at most 4 MiB; `None` when it cannot be read or
    /// is not such a file.
    pub fn read(&self, path: &Path) -> Option<String> {
        use std::io::Read;
        const LIMIT: u64 = 4 * 1024 * 1024;
        let canon = self.inside(path)?;
        let f = open_regular(&canon)?;
        let mut buf = Vec::new();
        f.take(LIMIT).read_to_end(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf).into_owned())
    }

    /// Subfolders of a folder inside the fence, sorted; links are not followed.
    pub fn subdirs(&self, dir: &Path) -> Vec<PathBuf> {
        if self.inside(dir).is_none() {
            return Vec::new();
        }
        subdirs(dir)
    }

    /// Regular files directly in a folder inside the fence whose names `keep` accepts,
    /// sorted; links are not followed.
    pub fn files(&self, dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
        if self.inside(dir).is_none() {
            return Vec::new();
        }
        let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut out: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| keep(file_name(p)))
            .collect();
        out.sort();
        out
    }
}

/// Open a file for reading only if it is a regular file. The open does not block on a FIFO
/// (`O_NONBLOCK`), and the type is checked on the open handle, so a file swapped for a FIFO
/// or device after it was looked at is still refused.
fn open_regular(path: &Path) -> Option<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let f = opts.open(path).ok()?;
    f.metadata().ok().filter(std::fs::Metadata::is_file).map(|_| f)
}

/// A path as evidence: absolute, `/`-separated.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Subfolders of a folder, sorted; symlinks are not followed.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> =
        rd.filter_map(Result::ok).filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()).collect();
    out.sort();
    out
}

/// File name as text.
pub fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}
