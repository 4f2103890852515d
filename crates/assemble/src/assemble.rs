//! Assembly: from the facts of single files to the components of a root.
//!
//! Owns: which packages are the same component (merging lockfile, manifest and installed
//! sightings), which project a dependency belongs to, which files belong to which
//! component (the deepest component folder that holds them), vendored folders, the
//! scopes of transitive dependencies, and the per-root `files` component. Declared and
//! detected licenses are kept apart here; the verdict is `classify`'s.

use crate::evidence::Examined;
use kataster_ecosystems::{Catalog, Package, PackageRole};
use kataster_model::model::*;
use kataster_model::scopes::{
    self, INSTALL_DIRS, LicenseScope, SEE_LICENSE_FILE, Scopes, VENDOR_DIRS, file_name, has_segment, parent_dir,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Evidence kept per distinct expression in a component (the full list is in `files[]`).
const EVIDENCE_PER_EXPRESSION: usize = 5;

/// A package sighting: which file said it, and what.
struct Sighting {
    file: String,
    pkg: Package,
    /// Project packages of the same file (their merge keys), if any.
    file_projects: Vec<usize>,
}

/// Build the components and file records of one root from its examined files.
pub fn assemble_root(label: &str, examined: Vec<Examined>) -> (Vec<Component>, Vec<FileRecord>, Vec<Diagnostic>) {
    let Gathered { mut files, mut diagnostics, catalogs, reuse_annotations } = gather(examined);
    let mut b = Builder::new(label);
    let members = b.projects(&catalogs);
    b.dependencies(members);
    let scopes = Scopes::build(&files);
    b.vendored_folders(&files, &scopes);
    b.license_subtrees(&scopes);
    b.resolve_edges();
    b.propagate_scopes();
    let readmes = b.assign_files(&mut files, &scopes, reuse_annotations, &mut diagnostics);
    b.declare_scopes(&files, &scopes, &readmes);
    let comps = b.comps.into_iter().map(Draft::finish).collect();
    (comps, files, diagnostics)
}

/// What the examined files of a root hold, sorted by path.
struct Gathered {
    files: Vec<FileRecord>,
    diagnostics: Vec<Diagnostic>,
    /// The catalogs the files parsed into, by file path; workspace licenses handed down.
    catalogs: Vec<(String, Catalog)>,
    reuse_annotations: Vec<kataster_detect::reuse::Annotation>,
}

fn gather(examined: Vec<Examined>) -> Gathered {
    let mut files = Vec::with_capacity(examined.len());
    let mut diagnostics = Vec::new();
    let mut catalogs: Vec<(String, Catalog)> = Vec::new();
    let mut reuse_annotations = Vec::new();
    for ex in examined {
        diagnostics.extend(ex.diagnostics);
        reuse_annotations.extend(ex.reuse);
        for (_, res) in ex.catalogs {
            if let Ok(c) = res {
                catalogs.push((ex.record.path.clone(), c));
            }
        }
        files.push(ex.record);
    }
    catalogs.sort_by(|a, b| a.0.cmp(&b.0));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    inherit_workspace_licenses(&mut catalogs);
    Gathered { files, diagnostics, catalogs, reuse_annotations }
}

/// What the projects step leaves to the dependencies step.
struct Members {
    /// The sightings of dependencies (and of projects that are not the tree's own).
    sightings: Vec<Sighting>,
    /// Member project -> the projects whose lockfile resolves it (a Gemfile.lock's PATH
    /// gems, a NuGet lockfile's project references): where its bare requirements are locked.
    resolved_by: HashMap<usize, Vec<usize>>,
}

/// Members that inherit their workspace's license (`license.workspace = true`) take the
/// license of the nearest workspace root above them that names one.
fn inherit_workspace_licenses(catalogs: &mut [(String, Catalog)]) {
    let roots: HashMap<String, kataster_model::license::DeclaredLicense> = catalogs
        .iter()
        .filter_map(|(path, c)| c.inherited_license.clone().map(|l| (parent_dir(path).to_string(), l)))
        .collect();
    if roots.is_empty() {
        return;
    }
    for (path, c) in catalogs.iter_mut() {
        for p in &mut c.packages {
            if p.declared_license.as_ref().is_some_and(|d| d.raw == kataster_ecosystems::INHERITS_WORKSPACE_LICENSE)
                && let Some(l) = scopes::ancestors(parent_dir(path)).find_map(|d| roots.get(d))
            {
                p.declared_license = Some(l.clone());
            }
        }
    }
}

/// A component found from folders rather than a manifest (vendored code, a license scope).
fn scope_component(label: &str, kind: ComponentKind, id: String, name: String) -> Component {
    bare_component(label, kind, id, name, Ecosystem::Generic)
}

/// A component with nothing known about it but its identity.
fn bare_component(label: &str, kind: ComponentKind, id: String, name: String, ecosystem: Ecosystem) -> Component {
    Component {
        id,
        name,
        version: None,
        ecosystem,
        purl: None,
        kind,
        scope: Scope::Unknown,
        direct: None,
        root: label.into(),
        projects: Vec::new(),
        locations: Vec::new(),
        dependencies: Vec::new(),
        declared_license: None,
        declared_license_raw: None,
        scope_license: None,
        discovered_licenses: Vec::new(),
        concluded_license: None,
        concluded_by: None,
        license_sources: Vec::new(),
        evidence: Vec::new(),
        supplier: None,
        authors: Vec::new(),
        hashes: Vec::new(),
        classification: None,
    }
}

/// The folder whose license files govern a component: its own folder, and for projects and
/// scope components the nearest folder above with license files. Installed and vendored
/// packages and dependencies take no license from the tree around them.
fn governing_dir<'s>(d: &Draft, scopes: &'s Scopes) -> Option<&'s str> {
    let own = match (&d.dir, d.comp.kind) {
        (Some(dir), _) => dir.as_str(),
        (None, ComponentKind::Files) => "",
        (None, _) => return None,
    };
    let s: Option<&LicenseScope> = match d.comp.kind {
        ComponentKind::Project | ComponentKind::Files => scopes.governing(own),
        ComponentKind::Vendored | ComponentKind::Dependency => scopes.at(own),
    };
    s.map(|s| s.dir.as_str())
}

fn scope_paths(s: &LicenseScope) -> String {
    let mut paths: Vec<&str> = s.files.iter().map(|f| f.path.as_str()).collect();
    paths.dedup();
    paths.join(", ")
}

/// The file named by `SEE LICENSE IN <file>` (npm's way to point at a license file).
fn see_license_in(raw: &str) -> Option<String> {
    let t = raw.trim();
    let lower = t.to_ascii_lowercase();
    let rest = lower.strip_prefix("see license in ").or_else(|| lower.strip_prefix("see licence in "))?;
    let start = t.len() - rest.len();
    let name = t[start..].trim().trim_start_matches("./");
    (!name.is_empty() && !name.contains("..") && !name.starts_with('/') && !name.contains("://"))
        .then(|| name.to_string())
}

/// Names of files that hold a package's license.
pub fn is_license_file_name(name: &str) -> bool {
    scopes::is_license_file_name(name)
}

fn owner_of(path: &str, dir_owner: &HashMap<String, usize>) -> Option<usize> {
    scopes::ancestors(parent_dir(path)).find_map(|d| dir_owner.get(d).copied())
}

/// A component under construction.
struct Draft {
    comp: Component,
    dir: Option<String>,
    /// Dependency keys, resolved to ids once every component exists.
    pending_edges: BTreeSet<String>,
    /// Evidence from the component's files: discovered.
    found: Vec<Evidence>,
    /// The declaration and whether it came from an installed copy or the manifest.
    declared: Option<(String, Option<String>, bool, Evidence)>,
    /// The license of the component's scope (its license files) and their evidence.
    scope_license: Option<String>,
    declared_files: Vec<Evidence>,
    /// REUSE: files per assigned expression, with the first such file.
    reuse: BTreeMap<String, (u64, String)>,
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
        if self.scope_license.is_some() {
            c.scope_license = self.scope_license;
            sources.extend(self.declared_files.iter().map(|e| e.source));
            evidence.extend(self.declared_files);
        }
        let discovered: BTreeSet<String> = self.found.iter().map(|e| e.expression.clone()).collect();
        c.discovered_licenses = discovered.into_iter().collect();
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
    by_key: HashMap<(Ecosystem, String), usize>,
    index: Index,
}

/// The components by what assembly looks them up by, each list in the order the components
/// were made. Drafts take their name and version while sightings merge into them; the
/// builder updates this index when they do.
#[derive(Default)]
struct Index {
    by_id: HashMap<String, usize>,
    /// Projects by ecosystem and name in ASCII lower case.
    projects: HashMap<(Ecosystem, String), Vec<usize>>,
    /// Dependencies with a version, by ecosystem and name in ASCII lower case.
    locked: HashMap<(Ecosystem, String), Vec<usize>>,
    /// Projects by folder.
    project_dirs: HashMap<String, Vec<usize>>,
}

impl Index {
    /// The key of a draft in `projects` or `locked`, if it belongs in one of them.
    fn named(d: &Draft) -> Option<(Ecosystem, String)> {
        let c = &d.comp;
        let listed = match c.kind {
            ComponentKind::Project => true,
            ComponentKind::Dependency => c.version.is_some(),
            ComponentKind::Vendored | ComponentKind::Files => false,
        };
        listed.then(|| (c.ecosystem.clone(), c.name.to_ascii_lowercase()))
    }

    fn list(&mut self, kind: ComponentKind) -> &mut HashMap<(Ecosystem, String), Vec<usize>> {
        if kind == ComponentKind::Project { &mut self.projects } else { &mut self.locked }
    }

    /// Record draft `idx` under its name, having been recorded under `before`.
    fn rename(&mut self, idx: usize, d: &Draft, before: Option<(Ecosystem, String)>) {
        let after = Index::named(d);
        if after == before {
            return;
        }
        let list = self.list(d.comp.kind);
        if let Some(old) = before.and_then(|k| list.get_mut(&k)) {
            old.retain(|&i| i != idx);
        }
        if let Some(new) = after {
            let at = list.entry(new).or_default();
            if let Err(pos) = at.binary_search(&idx) {
                at.insert(pos, idx);
            }
        }
    }

    fn add(&mut self, idx: usize, d: &Draft) {
        self.by_id.entry(d.comp.id.clone()).or_insert(idx);
        if let (ComponentKind::Project, Some(dir)) = (d.comp.kind, &d.dir) {
            self.project_dirs.entry(dir.clone()).or_default().push(idx);
        }
        self.rename(idx, d, None);
    }
}

impl<'a> Builder<'a> {
    fn new(label: &'a str) -> Builder<'a> {
        Builder { label, comps: Vec::new(), by_key: HashMap::new(), index: Index::default() }
    }

    /// Step 1, projects: manifests' own packages, merged per (ecosystem, folder). Every folder
    /// project exists before lockfile members are matched to them by name. Returns the
    /// sightings left for the dependencies step.
    fn projects(&mut self, catalogs: &[(String, Catalog)]) -> Members {
        let mut resolved_by: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut sightings: Vec<Sighting> = Vec::new();
        let mut file_projects: Vec<Vec<usize>> = Vec::with_capacity(catalogs.len());
        for (path, cat) in catalogs {
            let mut proj_idx = Vec::new();
            for pkg in &cat.packages {
                if pkg.role != PackageRole::Project {
                    continue;
                }
                let installed = has_segment(path, INSTALL_DIRS);
                if let (Some(dir), false) = (&pkg.dir, installed) {
                    let kind =
                        if has_segment(dir, VENDOR_DIRS) { ComponentKind::Vendored } else { ComponentKind::Project };
                    let idx = self.project(kind, dir, path, pkg);
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
                    && let Some(idx) = self.member_named(pkg)
                {
                    self.absorb(idx, path, pkg);
                    self.by_key.insert((pkg.ecosystem.clone(), pkg.key()), idx);
                    if own_project {
                        resolved_by.entry(idx).or_default().extend(proj_idx.iter().copied());
                    } else {
                        proj_idx.push(idx);
                    }
                }
            }
            for pkg in &cat.packages {
                let unmatched_member =
                    pkg.role == PackageRole::Project && pkg.dir.is_none() && self.member_named(pkg).is_none();
                let installed_project =
                    pkg.role == PackageRole::Project && pkg.dir.is_some() && has_segment(path, INSTALL_DIRS);
                if pkg.role == PackageRole::Dependency || unmatched_member || installed_project {
                    sightings.push(Sighting { file: path.clone(), pkg: pkg.clone(), file_projects: proj_idx.clone() });
                }
            }
        }
        Members { sightings, resolved_by }
    }

    /// Step 2, dependencies: versioned sightings first, then bare manifest requirements.
    fn dependencies(&mut self, members: Members) {
        let Members { mut sightings, resolved_by } = members;
        sightings.sort_by_key(|s| s.pkg.version.is_none());
        for s in &sightings {
            let owners = if s.file_projects.is_empty() {
                self.enclosing_projects(parent_dir(&s.file), &s.pkg.ecosystem)
            } else {
                s.file_projects.clone()
            };
            if s.pkg.version.is_none()
                && let Some(p) = self.project_named(&s.pkg.ecosystem, &s.pkg.name)
            {
                // A requirement naming a project of this root (a workspace sibling, a path
                // dependency) is an edge to that project, not a component of its own.
                self.by_key.entry((s.pkg.ecosystem.clone(), s.pkg.key())).or_insert(p);
                continue;
            }
            let idx = if s.pkg.version.is_none() {
                // A requirement without a version: the locked package of that name, if any.
                let mut lockers = owners.clone();
                lockers.extend(owners.iter().filter_map(|o| resolved_by.get(o)).flatten().copied());
                self.locked_by_name(&s.pkg.ecosystem, &s.pkg.name, &lockers).unwrap_or_else(|| self.dependency(&s.pkg))
            } else {
                self.dependency(&s.pkg)
            };
            self.absorb(idx, &s.file, &s.pkg);
            if s.pkg.version.is_none()
                && let Some(locked) =
                    self.comps[idx].comp.purl.clone().filter(|_| self.comps[idx].comp.version.is_some())
            {
                // The owners' edges to the bare requirement point at the locked package.
                for &o in &owners {
                    if self.comps[o].pending_edges.remove(&s.pkg.key()) {
                        self.comps[o].pending_edges.insert(locked.clone());
                    }
                }
            }
            for o in owners {
                let oid = self.comps[o].comp.id.clone();
                if o != idx && !self.comps[idx].comp.projects.contains(&oid) {
                    self.comps[idx].comp.projects.push(oid);
                }
            }
        }
    }

    /// The folders that belong to a component so far.
    fn dirs_taken(&self) -> BTreeSet<String> {
        self.comps.iter().filter_map(|c| c.dir.clone()).collect()
    }

    /// Step 3, copied third-party code without a manifest: below a vendor folder, the deepest
    /// folder holding license files, else the vendor folder's first-level folder.
    fn vendored_folders(&mut self, files: &[FileRecord], scopes: &Scopes) {
        let dirs_taken = self.dirs_taken();
        let mut vendored: BTreeSet<String> = BTreeSet::new();
        for f in files {
            let Some(v) = scopes::vendor_dir(&f.path) else { continue };
            let dir = parent_dir(&f.path);
            if dir.len() <= v.len() {
                continue; // a file copied straight into the vendor folder: a discovered license
            }
            let mut below_v = scopes::ancestors(dir).take_while(|d| d.len() > v.len());
            let pick = match below_v.find(|d| dirs_taken.contains(*d) || scopes.at(d).is_some()) {
                Some(d) if dirs_taken.contains(d) => continue, // a manifest's vendored package owns it
                Some(d) => d,
                None => {
                    let rest = &dir[v.len() + 1..];
                    &dir[..v.len() + 1 + rest.find('/').unwrap_or(rest.len())]
                }
            };
            vendored.insert(pick.to_string());
        }
        for dir in vendored {
            let v = scopes::vendor_folder(&dir).unwrap_or("");
            let name = dir.get(v.len() + 1..).filter(|n| !n.is_empty()).unwrap_or(&dir).to_string();
            let label = self.label;
            let mut comp = scope_component(label, ComponentKind::Vendored, format!("{label}:vendored:{dir}"), name);
            comp.locations = vec![dir.clone()];
            self.push(comp, Some(dir));
        }
    }

    /// Step 4, subtrees with a license of their own and no manifest (an open-core `ee/`): a
    /// component each, where their license differs from the one they sit in.
    fn license_subtrees(&mut self, scopes: &Scopes) {
        let dirs_taken = self.dirs_taken();
        for dir in scopes.dirs() {
            if dir.is_empty()
                || dirs_taken.contains(dir)
                || has_segment(dir, INSTALL_DIRS)
                || scopes::vendor_folder(dir).is_some()
            {
                continue;
            }
            let inherited = scopes.above(dir).map(|s| s.expression.as_str());
            if scopes.at(dir).map(|s| s.expression.as_str()) == inherited {
                continue;
            }
            let name = dir.rsplit('/').next().unwrap_or(dir).to_string();
            let label = self.label;
            let mut comp = scope_component(label, ComponentKind::Files, format!("{label}:files:{dir}"), name);
            comp.locations = vec![dir.to_string()];
            self.push(comp, Some(dir.to_string()));
        }
    }

    /// Step 6, files: each to the deepest component folder that holds it, or the root's files
    /// component; what each file says goes to its component as declared (the license files
    /// of its scope) or discovered (every other file but prose and license libraries).
    /// Returns the READMEs at the top of each component's folder, by component.
    fn assign_files(
        &mut self,
        files: &mut [FileRecord],
        scopes: &Scopes,
        reuse_annotations: Vec<kataster_detect::reuse::Annotation>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> HashMap<usize, Vec<usize>> {
        let label = self.label;
        let mut dir_owner: HashMap<String, usize> = HashMap::new();
        for (i, c) in self.comps.iter().enumerate() {
            if let Some(d) = &c.dir {
                dir_owner.entry(d.clone()).or_insert(i);
            }
        }
        let mut files_comp: Option<usize> = None;
        let mut readmes: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut reuse_problems = Vec::new();
        let reuse = kataster_detect::reuse::ReuseIndex::new(reuse_annotations, &mut reuse_problems);
        diagnostics.extend(reuse_problems.into_iter().map(|(path, message)| Diagnostic {
            severity: Severity::Warning,
            root: label.to_string(),
            path,
            code: DiagnosticCode::ReuseError,
            message,
        }));
        let reuse_repo = !reuse.is_empty() || files.iter().any(|f| kataster_detect::reuse::is_license_library(&f.path));
        for (fi, f) in files.iter_mut().enumerate() {
            let owner = owner_of(&f.path, &dir_owner);
            let idx = match owner {
                Some(i) => i,
                None => *files_comp.get_or_insert_with(|| {
                    let mut comp = scope_component(label, ComponentKind::Files, format!("{label}:files"), label.into());
                    comp.locations = vec![".".into()];
                    self.push(comp, None)
                }),
            };
            let c = &mut self.comps[idx];
            f.component = Some(c.comp.id.clone());
            if reuse_repo && !scopes::in_license_library(&f.path) {
                // REUSE: what the file's header says, or what a REUSE.toml, the dep5 or a
                // sidecar assigns to it; the component's most common assignment is declared.
                let own = kataster_model::license::and_all(
                    f.licenses.iter().filter(|l| l.method == Method::Tag).map(|l| l.expression.as_str()),
                );
                let assigned = reuse.license_of(&f.path, own.as_deref());
                if let Some(a) = &assigned
                    && own.as_deref() != Some(a.expression.as_str())
                {
                    let src = a.sources.first();
                    c.found.push(Evidence {
                        expression: a.expression.clone(),
                        path: f.path.clone(),
                        start_line: None,
                        end_line: None,
                        method: Method::Reference,
                        confidence: 1.0,
                        source: LicenseSource::Files,
                        note: src.map(|s| format!("REUSE assignment in {}:{}", s.path, s.line)),
                    });
                }
                if let Some(e) = assigned.map(|a| a.expression).or(own) {
                    let entry = c.reuse.entry(e).or_insert((0, f.path.clone()));
                    entry.0 += 1;
                }
            }
            if f.licenses.is_empty()
                || scopes::in_license_library(&f.path)
                || kataster_ecosystems::is_dependency_record(&f.path)
            {
                continue;
            }
            let dir = parent_dir(&f.path);
            if scopes::is_prose(&f.path) {
                if scopes::file_name(&f.path).to_ascii_uppercase().starts_with("README")
                    && Some(dir) == c.dir.as_deref().or(Some(""))
                {
                    readmes.entry(idx).or_default().push(fi);
                }
                continue;
            }
            if scopes::is_scope_license_file_name(file_name(&f.path)) && scopes.at(dir).is_some() {
                // A license file: declared for the components its scope governs; what a
                // deeper license file with the same license says is discovered here.
                if governing_dir(c, scopes) == Some(dir) {
                    continue;
                }
            }
            let copied = scopes::vendor_dir(&f.path) == Some(dir);
            for l in scopes::granting(&f.licenses) {
                let note = copied.then(|| "copied third-party code (file in a vendor folder)".to_string());
                c.found.push(Evidence::of_finding(&f.path, l, LicenseSource::Files, note));
            }
            for l in f.licenses.iter().filter(|l| l.expression == SEE_LICENSE_FILE) {
                // A pointer reads as the license of the file it points to: the license files
                // governing the folder of the file that points.
                let ev = match scopes.governing(dir) {
                    Some(s) => Evidence {
                        expression: s.expression.clone(),
                        path: f.path.clone(),
                        start_line: Some(l.start_line),
                        end_line: Some(l.end_line),
                        method: Method::Reference,
                        confidence: (l.confidence * 0.9).min(0.9),
                        source: LicenseSource::Files,
                        note: Some(format!("points to {}", scope_paths(s))),
                    },
                    None => Evidence {
                        expression: SEE_LICENSE_FILE.into(),
                        path: f.path.clone(),
                        start_line: Some(l.start_line),
                        end_line: Some(l.end_line),
                        method: l.method,
                        confidence: l.confidence.min(0.3),
                        source: LicenseSource::Files,
                        note: Some("points to a license file that is not in the tree".into()),
                    },
                };
                c.found.push(ev);
            }
        }
        readmes
    }

    /// Step 7, the declaration of the scope: the license files governing each component's
    /// folder, or the file its manifest points to (`SEE LICENSE IN`); in a REUSE repository
    /// the assignment most of its files carry; for a component with nothing else, what its
    /// README says.
    fn declare_scopes(&mut self, files: &[FileRecord], scopes: &Scopes, readmes: &HashMap<usize, Vec<usize>>) {
        let by_path: HashMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (f.path.as_str(), i)).collect();
        for (idx, d) in self.comps.iter_mut().enumerate() {
            let pointed = d.declared.as_ref().and_then(|(raw, expr, _, _)| {
                (expr.as_deref() == Some(SEE_LICENSE_FILE)).then(|| see_license_in(raw))?
            });
            if let Some(target) = pointed {
                let dir = d.dir.as_deref().unwrap_or("");
                let path = if dir.is_empty() { target.clone() } else { format!("{dir}/{target}") };
                if let Some(&fi) = by_path.get(path.as_str()) {
                    let f = &files[fi];
                    let granted: Vec<&LicenseFinding> = scopes::granting(&f.licenses).collect();
                    if !granted.is_empty() {
                        d.scope_license =
                            kataster_model::license::and_all(granted.iter().map(|l| l.expression.as_str()));
                        for l in granted {
                            let note = Some(format!("the manifest says SEE LICENSE IN {target}"));
                            d.declared_files.push(Evidence::of_finding(&f.path, l, LicenseSource::LicenseFile, note));
                        }
                        d.found.retain(|e| e.path != f.path);
                        continue;
                    }
                }
            }
            if let Some(s) = governing_dir(d, scopes).and_then(|g| scopes.at(g)) {
                d.scope_license = Some(s.expression.clone());
                for sf in &s.files {
                    let note = (Some(s.dir.as_str()) != d.dir.as_deref().or(Some(""))).then(|| {
                        format!("license file of the folder above ({})", if s.dir.is_empty() { "." } else { &s.dir })
                    });
                    d.declared_files.push(Evidence::of_finding(
                        &sf.path,
                        &sf.finding,
                        LicenseSource::LicenseFile,
                        note,
                    ));
                }
            }
            // No license file: in a REUSE repository, the assignment most of its files carry.
            if d.scope_license.is_none()
                && let Some((expr, (n, first))) = d.reuse.iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))
            {
                let total: u64 = d.reuse.values().map(|v| v.0).sum();
                d.scope_license = Some(expr.clone());
                d.declared_files.push(Evidence {
                    expression: expr.clone(),
                    path: first.clone(),
                    start_line: None,
                    end_line: None,
                    method: Method::Tag,
                    confidence: 1.0,
                    source: LicenseSource::Reuse,
                    note: Some(format!("REUSE: {n} of {total} files")),
                });
                let e = expr.clone();
                d.found.retain(|f| f.expression != e);
            }
            // Nothing declared and nothing in the files: what the component's README says.
            if d.declared.is_none() && d.scope_license.is_none() && d.found.is_empty() {
                for &fi in readmes.get(&idx).map(Vec::as_slice).unwrap_or(&[]) {
                    let f = &files[fi];
                    for l in scopes::granting(&f.licenses).filter(|l| l.method != Method::Marker) {
                        let note = Some("only the README names a license".to_string());
                        let mut ev = Evidence::of_finding(&f.path, l, LicenseSource::Files, note);
                        ev.confidence = (l.confidence * 0.7).min(0.7);
                        d.found.push(ev);
                    }
                }
            }
        }
    }

    /// A new component, owning the folder `dir` if given.
    fn push(&mut self, comp: Component, dir: Option<String>) -> usize {
        let d = Draft {
            comp,
            dir,
            pending_edges: BTreeSet::new(),
            found: Vec::new(),
            declared: None,
            scope_license: None,
            declared_files: Vec::new(),
            reuse: BTreeMap::new(),
        };
        let idx = self.comps.len();
        self.index.add(idx, &d);
        self.comps.push(d);
        idx
    }

    fn blank(&self, kind: ComponentKind, id: String, pkg: &Package) -> Component {
        Component {
            version: pkg.version.clone(),
            purl: pkg.purl.clone(),
            scope: if kind == ComponentKind::Dependency { Scope::Unknown } else { Scope::Runtime },
            ..bare_component(self.label, kind, id, pkg.name.clone(), pkg.ecosystem.clone())
        }
    }

    /// The project (or vendored package) component for a manifest in `dir`.
    fn project(&mut self, kind: ComponentKind, dir: &str, path: &str, pkg: &Package) -> usize {
        let shown = if dir.is_empty() { "." } else { dir };
        let id = match kind {
            ComponentKind::Vendored => format!("{}:vendored:{shown}", self.label),
            _ => format!("{}:project:{}:{shown}", self.label, pkg.ecosystem),
        };
        let idx = match self.index.by_id.get(&id) {
            Some(&i) => i,
            None => {
                let comp = self.blank(kind, id, pkg);
                self.push(comp, Some(dir.to_string()))
            }
        };
        self.absorb(idx, path, pkg);
        self.by_key.insert((pkg.ecosystem.clone(), pkg.key()), idx);
        idx
    }

    fn dependency(&mut self, pkg: &Package) -> usize {
        let key = (pkg.ecosystem.clone(), pkg.key());
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        let comp = self.blank(ComponentKind::Dependency, format!("{}:{}", self.label, pkg.key()), pkg);
        let i = self.push(comp, None);
        self.by_key.insert(key, i);
        i
    }

    /// The project component of this ecosystem with this name, if there is exactly one.
    fn project_named(&self, ecosystem: &Ecosystem, name: &str) -> Option<usize> {
        let same_name = self.index.projects.get(&(ecosystem.clone(), name.to_ascii_lowercase()))?;
        let mut it = same_name.iter().copied().filter(|&i| self.comps[i].comp.name == name);
        let first = it.next()?;
        it.next().is_none().then_some(first)
    }

    /// A versioned dependency of one of `owners` (or of any project) with this name.
    fn locked_by_name(&self, ecosystem: &Ecosystem, name: &str, owners: &[usize]) -> Option<usize> {
        let candidates = self.index.locked.get(&(ecosystem.clone(), name.to_ascii_lowercase()))?;
        let owner_ids: Vec<&str> = owners.iter().map(|&o| self.comps[o].comp.id.as_str()).collect();
        let projects = |i: usize| &self.comps[i].comp.projects;
        candidates
            .iter()
            .copied()
            .find(|&i| projects(i).iter().any(|p| owner_ids.contains(&p.as_str())))
            .or_else(|| if owners.is_empty() { candidates.first().copied() } else { None })
            // A version pinned for the whole tree (NuGet `Directory.Packages.props`).
            .or_else(|| candidates.iter().copied().find(|&i| projects(i).is_empty()))
    }

    /// The project component a lockfile's member entry (a project without a folder) names.
    fn member_named(&self, pkg: &Package) -> Option<usize> {
        let same_name = self.index.projects.get(&(pkg.ecosystem.clone(), pkg.name.to_ascii_lowercase()))?;
        same_name.first().copied()
    }

    /// Projects of the nearest folder at or above `dir`, same ecosystem preferred.
    fn enclosing_projects(&self, dir: &str, ecosystem: &Ecosystem) -> Vec<usize> {
        let mut d = dir;
        loop {
            let here: &[usize] = self.index.project_dirs.get(d).map_or(&[], Vec::as_slice);
            let same: Vec<usize> =
                here.iter().copied().filter(|&i| self.comps[i].comp.ecosystem == *ecosystem).collect();
            if !same.is_empty() {
                return same;
            }
            if !here.is_empty() {
                return here.to_vec();
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
        let renamed =
            (d.comp.name.is_empty() && !pkg.name.is_empty()) || (d.comp.version.is_none() && pkg.version.is_some());
        let listed_as = renamed.then(|| Index::named(d));
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
        if c.authors.is_empty() {
            c.authors = pkg.authors.clone();
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
                    note: None,
                };
                d.declared = Some((dl.raw.clone(), dl.expression.clone(), dl.inferred, ev));
            }
        }
        d.pending_edges.extend(pkg.dependencies.iter().cloned());
        if let Some(before) = listed_as {
            self.index.rename(idx, &self.comps[idx], before);
        }
    }

    /// Step 5, edges: package keys to component ids.
    fn resolve_edges(&mut self) {
        let ids: HashMap<(Ecosystem, String), String> =
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

    /// Step 5, after the edges: transitive dependencies take the widest scope of the direct
    /// dependencies that reach them.
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
