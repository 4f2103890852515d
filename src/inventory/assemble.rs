//! Assembly: from the facts of single files to the components of a root.
//!
//! Owns: which packages are the same component (merging lockfile, manifest and installed
//! sightings), which project a dependency belongs to, which files belong to which
//! component (the deepest component folder that holds them), vendored folders, the
//! scopes of transitive dependencies, and the per-root `files` component. Declared and
//! detected licenses are kept apart here; the verdict is `classify`'s.

use super::model::*;
use crate::detect;
use crate::ecosystems::{Catalog, Package, PackageRole};
use crate::evidence::Examined;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Folder names under which copied third-party code lives.
pub const VENDOR_DIRS: &[&str] =
    &["vendor", "vendored", "third_party", "third-party", "thirdparty", "3rdparty", "external", "extern", "deps"];

/// Folders whose packages are installed dependencies, not projects of the tree.
const INSTALL_DIRS: &[&str] = &["node_modules", "site-packages", "dist-packages", "bower_components"];

/// Evidence kept per distinct expression in a component (the full list is in `files[]`).
const EVIDENCE_PER_EXPRESSION: usize = 5;

fn has_segment(path: &str, names: &[&str]) -> bool {
    path.split('/').any(|s| names.contains(&s))
}

fn parent_dir(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

/// A package sighting: which file said it, and what.
struct Sighting {
    file: String,
    pkg: Package,
    /// Project packages of the same file (their merge keys), if any.
    file_projects: Vec<usize>,
}

/// Build the components and file records of one root from its examined files.
pub fn assemble_root(label: &str, examined: Vec<Examined>) -> (Vec<Component>, Vec<FileRecord>, Vec<Diagnostic>) {
    let mut files = Vec::with_capacity(examined.len());
    let mut diagnostics = Vec::new();
    let mut catalogs: Vec<(String, Catalog)> = Vec::new();
    for ex in examined {
        diagnostics.extend(ex.diagnostics);
        for (_, res) in ex.catalogs {
            if let Ok(c) = res {
                catalogs.push((ex.record.path.clone(), c));
            }
        }
        files.push(ex.record);
    }
    catalogs.sort_by(|a, b| a.0.cmp(&b.0));
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let mut b = Builder { label, comps: Vec::new(), by_key: HashMap::new() };
    // Member project -> the projects whose lockfile resolves it (a Gemfile.lock's PATH gems,
    // a NuGet lockfile's project references): where its bare requirements are locked.
    let mut resolved_by: HashMap<usize, Vec<usize>> = HashMap::new();

    // 1. Projects: manifests' own packages, merged per (ecosystem, folder). Every folder
    // project exists before lockfile members are matched to them by name.
    let mut sightings: Vec<Sighting> = Vec::new();
    let mut file_projects: Vec<Vec<usize>> = Vec::with_capacity(catalogs.len());
    for (path, cat) in &catalogs {
        let mut proj_idx = Vec::new();
        for pkg in &cat.packages {
            if pkg.role != PackageRole::Project {
                continue;
            }
            let installed = has_segment(path, INSTALL_DIRS);
            if let (Some(dir), false) = (&pkg.dir, installed) {
                let kind = if has_segment(dir, VENDOR_DIRS) { ComponentKind::Vendored } else { ComponentKind::Project };
                let idx = b.project(kind, dir, path, pkg);
                proj_idx.push(idx);
            }
        }
        file_projects.push(proj_idx);
    }
    for ((path, cat), mut proj_idx) in catalogs.iter().zip(file_projects) {
        // Lockfile entries for workspace members: merge into the manifest project by name
        // (case-insensitively: NuGet writes project references in lower case). They own the
        // file's packages unless the file names its own project (a NuGet lockfile's
        // `Project` entries are the projects it references, not its owner).
        let own_project = !proj_idx.is_empty();
        for pkg in &cat.packages {
            if pkg.role == PackageRole::Project
                && pkg.dir.is_none()
                && let Some(idx) = b.member_named(pkg)
            {
                b.absorb(idx, path, pkg);
                b.by_key.insert((pkg.ecosystem.to_string(), pkg.key()), idx);
                if own_project {
                    resolved_by.entry(idx).or_default().extend(proj_idx.iter().copied());
                } else {
                    proj_idx.push(idx);
                }
            }
        }
        for pkg in &cat.packages {
            let unmatched_member =
                pkg.role == PackageRole::Project && pkg.dir.is_none() && b.member_named(pkg).is_none();
            let installed_project =
                pkg.role == PackageRole::Project && pkg.dir.is_some() && has_segment(path, INSTALL_DIRS);
            if pkg.role == PackageRole::Dependency || unmatched_member || installed_project {
                sightings.push(Sighting { file: path.clone(), pkg: pkg.clone(), file_projects: proj_idx.clone() });
            }
        }
    }

    // 2. Dependencies: versioned sightings first, then bare manifest requirements.
    sightings.sort_by_key(|s| s.pkg.version.is_none());
    for s in &sightings {
        let owners = if s.file_projects.is_empty() {
            b.enclosing_projects(parent_dir(&s.file), s.pkg.ecosystem)
        } else {
            s.file_projects.clone()
        };
        if s.pkg.version.is_none()
            && let Some(p) = b.project_named(s.pkg.ecosystem, &s.pkg.name)
        {
            // A requirement naming a project of this root (a workspace sibling, a path
            // dependency) is an edge to that project, not a component of its own.
            b.by_key.entry((s.pkg.ecosystem.to_string(), s.pkg.key())).or_insert(p);
            continue;
        }
        let idx = if s.pkg.version.is_none() {
            // A requirement without a version: the locked package of that name, if any.
            let mut lockers = owners.clone();
            lockers.extend(owners.iter().filter_map(|o| resolved_by.get(o)).flatten().copied());
            b.locked_by_name(s.pkg.ecosystem, &s.pkg.name, &lockers).unwrap_or_else(|| b.dependency(&s.pkg))
        } else {
            b.dependency(&s.pkg)
        };
        b.absorb(idx, &s.file, &s.pkg);
        if s.pkg.version.is_none()
            && let Some(locked) = b.comps[idx].comp.purl.clone().filter(|_| b.comps[idx].comp.version.is_some())
        {
            // The owners' edges to the bare requirement point at the locked package.
            for &o in &owners {
                if b.comps[o].pending_edges.remove(&s.pkg.key()) {
                    b.comps[o].pending_edges.insert(locked.clone());
                }
            }
        }
        for o in owners {
            let oid = b.comps[o].comp.id.clone();
            if o != idx && !b.comps[idx].comp.projects.contains(&oid) {
                b.comps[idx].comp.projects.push(oid);
            }
        }
    }

    // 3. Vendored folders without a manifest: `vendor/NAME/` holding a license file.
    let dirs_taken: BTreeSet<String> = b.comps.iter().filter_map(|c| c.dir.clone()).collect();
    let mut vendored: BTreeSet<String> = BTreeSet::new();
    for f in &files {
        let parts: Vec<&str> = f.path.split('/').collect();
        for i in 0..parts.len().saturating_sub(2) {
            if VENDOR_DIRS.contains(&parts[i])
                && is_license_file_name(parts[parts.len() - 1])
                && i + 2 == parts.len() - 1
            {
                let dir = parts[..i + 2].join("/");
                if !dirs_taken.contains(&dir) {
                    vendored.insert(dir);
                }
            }
        }
    }
    for dir in vendored {
        let name = dir.rsplit('/').next().unwrap_or(&dir).to_string();
        let idx = b.push(Component {
            id: format!("{label}:vendored:{dir}"),
            name,
            version: None,
            ecosystem: "generic".into(),
            purl: None,
            kind: ComponentKind::Vendored,
            scope: Scope::Unknown,
            direct: None,
            root: label.into(),
            projects: Vec::new(),
            locations: vec![dir.clone()],
            dependencies: Vec::new(),
            declared_license: None,
            declared_license_raw: None,
            detected_licenses: Vec::new(),
            concluded_license: None,
            concluded_by: None,
            license_sources: Vec::new(),
            evidence: Vec::new(),
            supplier: None,
            hashes: Vec::new(),
            classification: None,
        });
        b.comps[idx].dir = Some(dir);
    }

    // 4. Edges: package keys to component ids, and scopes of transitive dependencies.
    b.resolve_edges();
    b.propagate_scopes();

    // 5. Files: each to the deepest component folder that holds it, or the root's files component.
    let mut dir_owner: HashMap<String, usize> = HashMap::new();
    for (i, c) in b.comps.iter().enumerate() {
        if let Some(d) = &c.dir {
            dir_owner.entry(d.clone()).or_insert(i);
        }
    }
    let mut files_comp: Option<usize> = None;
    for f in &mut files {
        let owner = owner_of(&f.path, &dir_owner);
        let idx = match owner {
            Some(i) => i,
            None => *files_comp.get_or_insert_with(|| b.push(files_component(label))),
        };
        let c = &mut b.comps[idx];
        f.component = Some(c.comp.id.clone());
        for l in &f.licenses {
            c.found.push(Evidence {
                expression: l.expression.clone(),
                path: f.path.clone(),
                start_line: Some(l.start_line),
                end_line: Some(l.end_line),
                method: l.method,
                confidence: l.confidence,
                source: LicenseSource::Files,
            });
        }
    }

    let comps = b.comps.into_iter().map(Draft::finish).collect();
    (comps, files, diagnostics)
}

fn files_component(label: &str) -> Component {
    Component {
        id: format!("{label}:files"),
        name: label.into(),
        version: None,
        ecosystem: "generic".into(),
        purl: None,
        kind: ComponentKind::Files,
        scope: Scope::Unknown,
        direct: None,
        root: label.into(),
        projects: Vec::new(),
        locations: vec![".".into()],
        dependencies: Vec::new(),
        declared_license: None,
        declared_license_raw: None,
        detected_licenses: Vec::new(),
        concluded_license: None,
        concluded_by: None,
        license_sources: Vec::new(),
        evidence: Vec::new(),
        supplier: None,
        hashes: Vec::new(),
        classification: None,
    }
}

/// The conclusion before classification: the declared license, else the detected ones
/// joined with AND. Also used after dependency licenses are resolved.
pub fn conclude(c: &mut Component) {
    if let Some(d) = &c.declared_license {
        c.concluded_license = Some(d.clone());
        c.concluded_by = Some("declared".into());
    } else if !c.detected_licenses.is_empty() {
        let findings: Vec<LicenseFinding> = c
            .detected_licenses
            .iter()
            .map(|e| LicenseFinding {
                expression: e.clone(),
                start_line: 0,
                end_line: 0,
                method: Method::Text,
                confidence: 1.0,
                rule: String::new(),
            })
            .collect();
        c.concluded_license = detect::combine(&findings);
        c.concluded_by = Some("detected".into());
    }
}

/// Names of files that hold a package's license.
pub fn is_license_file_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING", "COPYRIGHT", "NOTICE", "UNLICENSE", "EULA"].iter().any(|p| n.starts_with(p))
        || n.starts_with("LICENSE-")
}

fn owner_of(path: &str, dir_owner: &HashMap<String, usize>) -> Option<usize> {
    let mut dir = parent_dir(path);
    loop {
        if let Some(&i) = dir_owner.get(dir) {
            return Some(i);
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

/// A component under construction.
struct Draft {
    comp: Component,
    dir: Option<String>,
    /// Dependency keys, resolved to ids once every component exists.
    pending_edges: BTreeSet<String>,
    /// Evidence from the component's files.
    found: Vec<Evidence>,
    /// The declaration and whether it came from an installed copy or the manifest.
    declared: Option<(String, Option<String>, bool, Evidence)>,
}

impl Draft {
    fn finish(mut self) -> Component {
        let c = &mut self.comp;
        if c.name.is_empty() {
            // Known only from a nameless sighting: the project takes its folder's name.
            c.name = match self.dir.as_deref().and_then(|d| d.rsplit('/').next()).filter(|n| !n.is_empty()) {
                Some(n) => n.to_string(),
                None => c.root.clone(),
            };
        }
        let mut sources = BTreeSet::new();
        let mut evidence: Vec<Evidence> = Vec::new();
        if let Some((raw, expr, inferred, ev)) = self.declared {
            sources.insert(ev.source);
            if expr.as_deref() != Some(raw.as_str()) || inferred {
                c.declared_license_raw = Some(raw);
            }
            c.declared_license = expr;
            if c.declared_license.is_some() {
                evidence.push(ev);
            }
        }
        let detected: BTreeSet<String> = self.found.iter().map(|e| e.expression.clone()).collect();
        c.detected_licenses = detected.into_iter().collect();
        if !self.found.is_empty() {
            sources.insert(LicenseSource::Files);
        }
        self.found.sort_by(|a, b| {
            a.expression
                .cmp(&b.expression)
                .then(b.confidence.total_cmp(&a.confidence))
                .then(a.path.cmp(&b.path))
                .then(a.start_line.cmp(&b.start_line))
        });
        let mut per_expr: HashMap<String, usize> = HashMap::new();
        for e in self.found {
            let n = per_expr.entry(e.expression.clone()).or_default();
            if *n < EVIDENCE_PER_EXPRESSION {
                *n += 1;
                evidence.push(e);
            }
        }
        c.evidence = evidence;
        c.license_sources = sources.into_iter().collect();
        conclude(c);
        c.locations.sort();
        c.locations.dedup();
        c.projects.sort();
        c.dependencies.sort();
        c.dependencies.dedup();
        c.hashes.sort();
        c.hashes.dedup();
        self.comp
    }
}

struct Builder<'a> {
    label: &'a str,
    comps: Vec<Draft>,
    /// (ecosystem, package key) -> component index.
    by_key: HashMap<(String, String), usize>,
}

impl Builder<'_> {
    fn push(&mut self, comp: Component) -> usize {
        self.comps.push(Draft { comp, dir: None, pending_edges: BTreeSet::new(), found: Vec::new(), declared: None });
        self.comps.len() - 1
    }

    fn blank(&self, kind: ComponentKind, id: String, pkg: &Package) -> Component {
        Component {
            id,
            name: pkg.name.clone(),
            version: pkg.version.clone(),
            ecosystem: pkg.ecosystem.to_string(),
            purl: pkg.purl.clone(),
            kind,
            scope: if kind == ComponentKind::Dependency { Scope::Unknown } else { Scope::Runtime },
            direct: None,
            root: self.label.to_string(),
            projects: Vec::new(),
            locations: Vec::new(),
            dependencies: Vec::new(),
            declared_license: None,
            declared_license_raw: None,
            detected_licenses: Vec::new(),
            concluded_license: None,
            concluded_by: None,
            license_sources: Vec::new(),
            evidence: Vec::new(),
            supplier: None,
            hashes: Vec::new(),
            classification: None,
        }
    }

    /// The project (or vendored package) component for a manifest in `dir`.
    fn project(&mut self, kind: ComponentKind, dir: &str, path: &str, pkg: &Package) -> usize {
        let shown = if dir.is_empty() { "." } else { dir };
        let id = match kind {
            ComponentKind::Vendored => format!("{}:vendored:{shown}", self.label),
            _ => format!("{}:project:{}:{shown}", self.label, pkg.ecosystem),
        };
        let idx = match self.comps.iter().position(|c| c.comp.id == id) {
            Some(i) => i,
            None => {
                let comp = self.blank(kind, id, pkg);
                let i = self.push(comp);
                self.comps[i].dir = Some(dir.to_string());
                i
            }
        };
        self.absorb(idx, path, pkg);
        self.by_key.insert((pkg.ecosystem.to_string(), pkg.key()), idx);
        idx
    }

    fn dependency(&mut self, pkg: &Package) -> usize {
        let key = (pkg.ecosystem.to_string(), pkg.key());
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        let comp = self.blank(ComponentKind::Dependency, format!("{}:{}", self.label, pkg.key()), pkg);
        let i = self.push(comp);
        self.by_key.insert(key, i);
        i
    }

    /// The project component of this ecosystem with this name, if there is exactly one.
    fn project_named(&self, ecosystem: &str, name: &str) -> Option<usize> {
        let mut it = self.comps.iter().enumerate().filter(|(_, c)| {
            c.comp.kind == ComponentKind::Project && c.comp.ecosystem == ecosystem && c.comp.name == name
        });
        let first = it.next()?.0;
        it.next().is_none().then_some(first)
    }

    /// A versioned dependency of one of `owners` (or of any project) with this name.
    fn locked_by_name(&self, ecosystem: &str, name: &str, owners: &[usize]) -> Option<usize> {
        let owner_ids: Vec<&str> = owners.iter().map(|&o| self.comps[o].comp.id.as_str()).collect();
        let candidates = || {
            self.comps.iter().enumerate().filter(|(_, c)| {
                c.comp.kind == ComponentKind::Dependency
                    && c.comp.version.is_some()
                    && c.comp.ecosystem == ecosystem
                    && c.comp.name.eq_ignore_ascii_case(name)
            })
        };
        candidates()
            .find(|(_, c)| c.comp.projects.iter().any(|p| owner_ids.contains(&p.as_str())))
            .or_else(|| if owners.is_empty() { candidates().next() } else { None })
            // A version pinned for the whole tree (NuGet `Directory.Packages.props`).
            .or_else(|| candidates().find(|(_, c)| c.comp.projects.is_empty()))
            .map(|(i, _)| i)
    }

    /// The project component a lockfile's member entry (a project without a folder) names.
    fn member_named(&self, pkg: &Package) -> Option<usize> {
        self.comps.iter().position(|c| {
            c.comp.kind == ComponentKind::Project
                && c.comp.ecosystem == pkg.ecosystem
                && c.comp.name.eq_ignore_ascii_case(&pkg.name)
        })
    }

    /// Projects of the nearest folder at or above `dir`, same ecosystem preferred.
    fn enclosing_projects(&self, dir: &str, ecosystem: &str) -> Vec<usize> {
        let mut d = dir;
        loop {
            let here: Vec<usize> = self
                .comps
                .iter()
                .enumerate()
                .filter(|(_, c)| c.comp.kind == ComponentKind::Project && c.dir.as_deref() == Some(d))
                .map(|(i, _)| i)
                .collect();
            let same: Vec<usize> =
                here.iter().copied().filter(|&i| self.comps[i].comp.ecosystem == ecosystem).collect();
            if !same.is_empty() {
                return same;
            }
            if !here.is_empty() {
                return here;
            }
            if d.is_empty() {
                return Vec::new();
            }
            d = parent_dir(d);
        }
    }

    /// Merge what one sighting says into a component.
    fn absorb(&mut self, idx: usize, path: &str, pkg: &Package) {
        let d = &mut self.comps[idx];
        let c = &mut d.comp;
        // A nameless sighting (a pnpm importer, a Pipfile) leaves the name to a manifest.
        if c.name.is_empty() && !pkg.name.is_empty() {
            c.name = pkg.name.clone();
        }
        if c.version.is_none() && pkg.version.is_some() {
            c.version = pkg.version.clone();
            c.purl = pkg.purl.clone().or(c.purl.take());
        }
        if c.purl.is_none() {
            c.purl = pkg.purl.clone();
        }
        let loc = match pkg.line {
            Some(l) => format!("{path}:{l}"),
            None => path.to_string(),
        };
        c.locations.push(loc.clone());
        if c.kind == ComponentKind::Dependency {
            c.scope = if c.scope == Scope::Unknown { pkg.scope } else { c.scope.widest(pkg.scope) };
        }
        c.direct = match (c.direct, pkg.direct) {
            (Some(a), Some(b)) => Some(a || b),
            (a, b) => a.or(b),
        };
        if c.supplier.is_none() {
            c.supplier = pkg.supplier.clone();
        }
        c.hashes.extend(pkg.hashes.iter().cloned());
        if d.dir.is_none() && c.kind == ComponentKind::Dependency {
            d.dir = pkg.dir.clone();
        }
        if let Some(dl) = &pkg.declared_license {
            let source = if has_segment(path, INSTALL_DIRS) || pkg.dir.is_some() && c.kind == ComponentKind::Dependency
            {
                LicenseSource::Installed
            } else if c.kind == ComponentKind::Dependency {
                LicenseSource::Lockfile
            } else {
                LicenseSource::Manifest
            };
            // The first understood declaration wins; a manifest beats a lockfile's copy.
            let better = match &d.declared {
                None => true,
                Some((_, expr, _, _)) => expr.is_none() && dl.expression.is_some(),
            };
            if better {
                let ev = Evidence {
                    expression: dl.expression.clone().unwrap_or_else(|| dl.raw.clone()),
                    path: path.to_string(),
                    start_line: pkg.line,
                    end_line: pkg.line,
                    method: Method::Manifest,
                    confidence: if dl.inferred { 0.6 } else { 1.0 },
                    source,
                };
                d.declared = Some((dl.raw.clone(), dl.expression.clone(), dl.inferred, ev));
            }
        }
        d.pending_edges.extend(pkg.dependencies.iter().cloned());
    }

    fn resolve_edges(&mut self) {
        let ids: HashMap<(String, String), String> =
            self.by_key.iter().map(|(k, &i)| (k.clone(), self.comps[i].comp.id.clone())).collect();
        for d in &mut self.comps {
            let eco = d.comp.ecosystem.clone();
            let mut out: Vec<String> = Vec::new();
            for key in &d.pending_edges {
                if let Some(id) = ids.get(&(eco.clone(), key.clone()))
                    && *id != d.comp.id
                {
                    out.push(id.clone());
                }
            }
            d.comp.dependencies = out;
        }
    }

    /// Transitive dependencies take the widest scope of the direct dependencies that reach them.
    fn propagate_scopes(&mut self) {
        let index: HashMap<String, usize> =
            self.comps.iter().enumerate().map(|(i, d)| (d.comp.id.clone(), i)).collect();
        for scope in [Scope::Runtime, Scope::Optional, Scope::Peer, Scope::Dev] {
            let mut stack: Vec<usize> = self
                .comps
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    d.comp.kind == ComponentKind::Dependency && d.comp.scope == scope && d.comp.direct == Some(true)
                })
                .map(|(i, _)| i)
                .collect();
            let mut seen: BTreeSet<usize> = stack.iter().copied().collect();
            while let Some(i) = stack.pop() {
                let deps = self.comps[i].comp.dependencies.clone();
                for id in deps {
                    let Some(&j) = index.get(&id) else { continue };
                    if self.comps[j].comp.kind == ComponentKind::Dependency
                        && self.comps[j].comp.scope == Scope::Unknown
                    {
                        self.comps[j].comp.scope = scope;
                    }
                    if self.comps[j].comp.scope == scope && seen.insert(j) {
                        stack.push(j);
                    }
                }
            }
        }
    }
}

/// Counts for the summary.
pub fn summarize(components: &[Component], files: &[FileRecord], diagnostics: &[Diagnostic]) -> Summary {
    let mut s = Summary { components: components.len() as u64, files: files.len() as u64, ..Default::default() };
    for c in components {
        let kind = serde_json::to_value(c.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        *s.by_kind.entry(kind).or_default() += 1;
        *s.by_ecosystem.entry(c.ecosystem.clone()).or_default() += 1;
        let cat = c.classification.as_ref().map(|k| k.category.clone()).unwrap_or_else(|| "unclassified".into());
        *s.by_category.entry(cat).or_default() += 1;
    }
    let open = components.iter().filter(|c| c.classification.as_ref().is_some_and(|k| k.open_source)).count();
    s.open_source_share =
        if components.is_empty() { 0.0 } else { (open as f64 / components.len() as f64 * 10000.0).round() / 10000.0 };
    s.files_with_licenses = files.iter().filter(|f| !f.licenses.is_empty()).count() as u64;
    let mut d: BTreeMap<String, u64> = BTreeMap::new();
    for x in diagnostics {
        let k = serde_json::to_value(x.severity).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        *d.entry(k).or_default() += 1;
    }
    s.diagnostics = d;
    s
}
