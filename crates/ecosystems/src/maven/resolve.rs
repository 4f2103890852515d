//! Maven: POMs in the local repository (`~/.m2/repository`, or the `localRepository` of
//! `~/.m2/settings.xml`), in Gradle's module cache and in folders given with
//! `--cache-dir maven=PATH`: `GROUP/ARTIFACT/VERSION/ARTIFACT-VERSION.pom`. A POM without
//! `<licenses>` inherits them from its parent POM, looked up the same way.

use crate::resolve::online::{Answer, Ask, Registry};
use crate::resolve::{Env, Fence, Found, Parties, Place, Query, Resolution, Resolver, Source, display_path};
use crate::xml::{self, Element};
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use kataster_model::model::{Component, ComponentKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How many parent POMs are followed.
const MAX_PARENTS: usize = 10;

pub struct MavenSource {
    repos: Vec<Place>,
    gradle: Vec<Place>,
}

impl MavenSource {
    pub fn new(extra: &[PathBuf], defaults: bool, env: &Env) -> MavenSource {
        let mut repos: Vec<Place> = extra.iter().map(|p| Place::new(p, LicenseSource::LocalCache)).collect();
        let mut gradle = Vec::new();
        if defaults && let Some(home) = env.home() {
            let m2 = home.join(".m2");
            let local = Fence::new(&m2, [])
                .read(&m2.join("settings.xml"))
                .and_then(|t| xml::parse(&t).ok())
                .and_then(|root| root.child_text("localRepository").map(PathBuf::from));
            repos.extend(local.map(|l| Place::new(l, LicenseSource::LocalCache)));
            repos.push(Place::new(home.join(".m2").join("repository"), LicenseSource::LocalCache));
            let gradle_home = env.var("GRADLE_USER_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".gradle"));
            gradle.push(Place::new(
                gradle_home.join("caches").join("modules-2").join("files-2.1"),
                LicenseSource::LocalCache,
            ));
        }
        repos.retain(|p| p.dir.is_dir());
        gradle.retain(|p| p.dir.is_dir());
        MavenSource { repos, gradle }
    }

    /// The POM of `group:artifact:version` on disk, with the source of the folder it is in.
    fn pom(
        &self,
        fence: &Fence,
        group: &str,
        artifact: &str,
        version: &str,
    ) -> Option<(String, String, LicenseSource)> {
        let file = format!("{artifact}-{version}.pom");
        for r in &self.repos {
            let p = r.dir.join(group.replace('.', "/")).join(artifact).join(version).join(&file);
            if let Some(t) = fence.read(&p) {
                return Some((t, display_path(&p), r.source));
            }
        }
        for g in &self.gradle {
            for hash in fence.subdirs(&g.dir.join(group).join(artifact).join(version)) {
                let p = hash.join(&file);
                if let Some(t) = fence.read(&p) {
                    return Some((t, display_path(&p), g.source));
                }
            }
        }
        None
    }
}

impl Source for MavenSource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&std::path::Path> {
        crate::resolve::place_dirs(&[&self.repos, &self.gradle])
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let group = q.namespace.as_deref()?;
        let version = q.version.as_deref()?;
        let mut source = LicenseSource::LocalCache;
        let found = licenses_with_parents(group, &q.short_name, version, |g, a, v| {
            Ok(self.pom(fence, g, a, v).map(|(text, loc, s)| {
                source = s;
                (text, loc)
            }))
        })
        .ok()??;
        Some(Resolution { parties: Default::default(), license: found.0, source, location: found.1, line: found.2 })
    }
}

/// The look-up of maven packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Maven,
    registry: "https://repo1.maven.org/maven2",
    offline: |a| Box::new(MavenSource::new(&a.extra, a.defaults, a.env)),
    online: Some(online),
};

/// Maven Central: the version's POM and its parents.
fn online(reg: &Registry, a: &Ask) -> Answer {
    let Some(group) = a.query.namespace.as_deref() else { return Ok(None) };
    let version = a.query.version.as_deref().unwrap_or_default();
    let found = licenses_with_parents(group, &a.query.short_name, version, |g, a, v| reg.maven_pom(g, a, v))?;
    Ok(found.map(|(license, location, line, parties)| Resolution {
        parties,
        license,
        source: LicenseSource::Registry,
        location,
        line,
    }))
}

/// What a POM chain declares: the license, the POM and line it is in, and the supplier and
/// developers of the nearest POM that names any.
pub type PomLicense = (Found, String, Option<u32>, Parties);

/// Follow a POM and its parents until one declares licenses. `fetch` returns a POM's text
/// and where it was read from. Answers the license, that location and the line, and the
/// organisation and developers of the nearest POM on the way that names them.
pub fn licenses_with_parents(
    group: &str,
    artifact: &str,
    version: &str,
    mut fetch: impl FnMut(&str, &str, &str) -> Result<Option<(String, String)>, String>,
) -> Result<Option<PomLicense>, String> {
    let (mut g, mut a, mut v) = (group.to_string(), artifact.to_string(), version.to_string());
    let mut parties = Parties::default();
    for _ in 0..=MAX_PARENTS {
        let Some((text, location)) = fetch(&g, &a, &v)? else { return Ok(None) };
        let root = xml::parse(&text).map_err(|e| format!("{location}: {e}"))?;
        if parties.is_empty() {
            parties = pom_parties(&root);
        }
        if let Some((found, line)) = pom_licenses(&root) {
            return Ok(Some((found, location, Some(line), parties)));
        }
        let Some(parent) = root.child("parent") else { return Ok(None) };
        match (parent.child_text("groupId"), parent.child_text("artifactId"), parent.child_text("version")) {
            (Some(pg), Some(pa), Some(pv)) => {
                (g, a, v) = (pg.to_string(), pa.to_string(), pv.to_string());
            }
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// The `<organization>` (as supplier) and `<developers>` of a POM.
pub fn pom_parties(root: &xml::Element) -> Parties {
    let developers = root.child("developers").into_iter().flat_map(|d| d.children_named("developer")).filter_map(|d| {
        match (d.child_text("name").map(str::trim), d.child_text("email").map(str::trim)) {
            (Some(n), Some(m)) if !n.is_empty() && !m.is_empty() => Some(format!("{n} <{m}>")),
            (Some(n), _) if !n.is_empty() => Some(n.to_string()),
            (_, Some(m)) if !m.is_empty() => Some(format!("<{m}>")),
            _ => d.child_text("organization").map(str::to_string),
        }
    });
    let organization = root.child("organization").and_then(|o| o.child_text("name").or_else(|| o.child_text("url")));
    Parties::from_people(developers).with_supplier(organization.map(str::to_string))
}

/// The `<licenses>` of a POM: each license's name, or its URL when the name is not
/// understood; several are alternatives (as the Maven cataloger reads them).
pub fn pom_licenses(root: &xml::Element) -> Option<(Found, u32)> {
    let licenses = root.child("licenses")?;
    let mut parts: Vec<String> = Vec::new();
    for l in licenses.children_named("license") {
        let name = l.child_text("name");
        let from_name = name.map(DeclaredLicense::from_raw).filter(|d| d.expression.is_some() && !d.inferred);
        let from_url = l.child_text("url").and_then(crate::resolve::urls::license_from_url);
        let part = match (from_name, from_url, name) {
            (Some(d), _, _) => d.expression,
            (None, Some(u), _) => Some(u),
            (None, None, Some(n)) => Some(n.to_string()),
            (None, None, None) => None,
        };
        parts.extend(part);
    }
    let found = crate::declared_any_of(&parts)?;
    Some((Found::Declared(found), licenses.line))
}

/// How many imported BOMs deep (a BOM importing another) management is followed.
const MAX_IMPORTS: usize = 4;

/// Where the POMs of parents and imported BOMs are read: the scanned tree (a parent's
/// `relativePath`), the local repositories, and the registry with `--online`.
pub struct PomSources<'a> {
    pub root: &'a Path,
    /// What may be read: the root and the local repositories.
    pub fence: &'a Fence,
    pub local: &'a MavenSource,
    pub registry: Option<&'a crate::resolve::online::Registry>,
}

impl PomSources<'_> {
    fn fetch(&self, g: &str, a: &str, v: &str) -> Option<Element> {
        let text = match self.local.pom(self.fence, g, a, v) {
            Some((t, _, _)) => t,
            None => self.registry?.maven_pom(g, a, v).ok()??.0,
        };
        xml::parse(&text).ok()
    }

    /// The parent POM in the tree: `relativePath` (default `../pom.xml`) from the POM at
    /// `pom`, if it is inside the root and is the parent named.
    fn parent_in_tree(&self, pom: &Path, parent: &Element) -> Option<(Element, PathBuf)> {
        let rel = parent.child_text("relativePath").map(str::trim).unwrap_or("../pom.xml");
        if rel.is_empty() {
            return None;
        }
        let mut path = pom.parent()?.join(rel);
        if path.is_dir() {
            path = path.join("pom.xml");
        }
        let path = path.canonicalize().ok()?;
        if !path.starts_with(self.root.canonicalize().ok()?) {
            return None;
        }
        let e = xml::parse(&self.fence.read(&path)?).ok()?;
        (e.child_text("artifactId") == parent.child_text("artifactId")).then_some((e, path))
    }
}

/// A POM's effective properties and managed versions, its parents and imported BOMs included.
#[derive(Debug, Default)]
pub struct Effective {
    pub props: HashMap<String, String>,
    /// `(group, artifact)` -> version.
    pub managed: HashMap<(String, String), String>,
}

/// The chain of a POM and its parents, nearest first.
fn chain(pom: Element, path: Option<PathBuf>, src: &PomSources) -> Vec<Element> {
    let mut out = vec![pom];
    let mut path = path;
    for _ in 0..MAX_PARENTS {
        let Some(parent) = out.last().and_then(|e| e.child("parent")).cloned() else { break };
        let in_tree = path.as_deref().and_then(|p| src.parent_in_tree(p, &parent));
        let next = match in_tree {
            Some((e, p)) => {
                path = Some(p);
                e
            }
            None => {
                path = None;
                let (Some(g), Some(a), Some(v)) =
                    (parent.child_text("groupId"), parent.child_text("artifactId"), parent.child_text("version"))
                else {
                    break;
                };
                match src.fetch(g, a, v) {
                    Some(e) => e,
                    None => break,
                }
            }
        };
        out.push(next);
    }
    out
}

/// The effective properties and dependency management of the POM `pom` (read from `path`
/// in the tree, if it is there): properties of the nearest POM win, versions declared in a
/// POM or its parents win over imported BOMs, earlier imports over later ones.
pub fn effective(pom: Element, path: Option<PathBuf>, src: &PomSources, depth: usize) -> Effective {
    let chain = chain(pom, path, src);
    let mut eff = Effective::default();
    let me = &chain[0];
    let parent = me.child("parent");
    let field = |k: &str| me.child_text(k).or_else(|| parent.and_then(|p| p.child_text(k)));
    for key in ["groupId", "artifactId", "version"] {
        if let Some(v) = field(key) {
            for prefix in ["project.", "pom.", ""] {
                eff.props.insert(format!("{prefix}{key}"), v.to_string());
            }
        }
        if let Some(v) = parent.and_then(|p| p.child_text(key)) {
            eff.props.insert(format!("project.parent.{key}"), v.to_string());
        }
    }
    for e in &chain {
        for p in e.child("properties").map(|p| p.children.as_slice()).unwrap_or_default() {
            eff.props.entry(p.name.clone()).or_insert_with(|| p.text.clone());
        }
    }
    let mut imports = Vec::new();
    for e in &chain {
        let Some(deps) = e.path(&["dependencyManagement", "dependencies"]) else { continue };
        for d in deps.children_named("dependency") {
            let get = |k: &str| d.child_text(k).and_then(|v| crate::maven::interpolate(&eff.props, v));
            let (Some(g), Some(a), Some(v)) = (get("groupId"), get("artifactId"), get("version")) else { continue };
            if d.child_text("scope") == Some("import") && d.child_text("type") == Some("pom") {
                imports.push((g, a, v));
            } else {
                eff.managed.entry((g, a)).or_insert(v);
            }
        }
    }
    if depth < MAX_IMPORTS {
        for (g, a, v) in imports {
            let Some(bom) = src.fetch(&g, &a, &v) else { continue };
            for (k, v) in effective(bom, None, src, depth + 1).managed {
                eff.managed.entry(k).or_insert(v);
            }
        }
    }
    eff
}

/// The versions of a project POM's dependencies that the POM leaves to its parents or
/// imported BOMs: `group:artifact` -> version.
fn project_versions(pom_path: &Path, src: &PomSources) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Some(pom) = src.fence.read(pom_path).and_then(|t| xml::parse(&t).ok()) else { return out };
    let deps: Vec<Element> =
        pom.child("dependencies").map(|d| d.children_named("dependency").cloned().collect()).unwrap_or_default();
    let eff = effective(pom, pom_path.canonicalize().ok(), src, 0);
    for d in deps {
        let get = |k: &str| d.child_text(k).and_then(|v| crate::maven::interpolate(&eff.props, v));
        let (Some(g), Some(a)) = (get("groupId"), get("artifactId")) else { continue };
        let version = match d.child_text("version") {
            Some(_) => get("version"),
            None => eff.managed.get(&(g.clone(), a.clone())).cloned(),
        };
        // A version range names no version; the build picks one.
        if let Some(v) = version.filter(|v| !v.is_empty() && !v.starts_with(['[', '('])) {
            out.insert(format!("{g}:{a}"), v);
        }
    }
    out
}

/// A Maven dependency of root `label` without a version (managed by a parent or a BOM?).
pub fn unversioned(c: &Component, label: &str) -> bool {
    c.root == label && c.ecosystem == Ecosystem::Maven && c.kind == ComponentKind::Dependency && c.version.is_none()
}

/// Give the Maven dependencies of `label`'s projects that have no version the version their
/// parent POMs or imported BOMs manage. A dependency whose id (its purl with the version)
/// another component already has keeps no version. Edges to it follow its new id.
pub fn fill_managed_versions(components: &mut [Component], label: &str, src: &PomSources) {
    let unversioned = |c: &Component| unversioned(c, label);
    let mut versions: HashMap<String, HashMap<String, String>> = HashMap::new();
    for p in components
        .iter()
        .filter(|c| c.root == label && c.ecosystem == Ecosystem::Maven && c.kind == ComponentKind::Project)
    {
        let mut merged = HashMap::new();
        for loc in &p.locations {
            let path = loc.rsplit_once(':').filter(|(_, n)| n.parse::<u32>().is_ok()).map_or(loc.as_str(), |(p, _)| p);
            if path.ends_with("pom.xml") && !path.contains("META-INF/") {
                merged.extend(project_versions(&src.root.join(path), src));
            }
        }
        versions.insert(p.id.clone(), merged);
    }
    let mut renamed: HashMap<String, String> = HashMap::new();
    for i in 0..components.len() {
        if !unversioned(&components[i]) {
            continue;
        }
        let c = &components[i];
        let Some(v) = c.projects.iter().find_map(|p| versions.get(p)?.get(&c.name)).cloned() else { continue };
        let Some((g, a)) = c.name.split_once(':') else { continue };
        let pkg = crate::maven::maven_package(crate::PackageRole::Dependency, Some(g), a, Some(&v));
        let Some(purl) = pkg.purl else { continue };
        let id = format!("{label}:{purl}");
        if components.iter().any(|o| o.id == id) {
            continue;
        }
        let c = &mut components[i];
        renamed.insert(std::mem::replace(&mut c.id, id), c.id.clone());
        c.version = Some(v);
        c.purl = Some(purl);
    }
    if renamed.is_empty() {
        return;
    }
    for c in components.iter_mut() {
        for d in &mut c.dependencies {
            if let Some(new) = renamed.get(d.as_str()) {
                *d = new.clone();
            }
        }
        c.dependencies.sort();
        c.dependencies.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_license_url_decides_when_the_name_is_vague() {
        let pom = "<project><licenses><license><name>Apache License</name><url>https://www.apache.org/licenses/LICENSE-2.0.txt</url></license></licenses></project>";
        let root = xml::parse(pom).unwrap();
        match pom_licenses(&root) {
            Some((Found::Declared(d), 1)) => assert_eq!(d.expression.as_deref(), Some("Apache-2.0")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parents_are_followed_until_a_pom_declares_licenses() {
        let child = "<project><parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>3</version></parent><artifactId>child</artifactId></project>";
        let parent = "<project>\n<licenses>\n<license><name>MIT</name></license></licenses><organization><name>Example Org</name></organization><developers><developer><name>Ada</name><email>ada@example.org</email></developer><developer><id>x</id><organization>Example Org</organization></developer></developers></project>";
        let mut asked = Vec::new();
        let got = licenses_with_parents("org.example", "child", "1.0", |g, a, v| {
            asked.push(format!("{g}:{a}:{v}"));
            Ok(match a {
                "child" => Some((child.to_string(), "child.pom".to_string())),
                "parent" => Some((parent.to_string(), "parent.pom".to_string())),
                _ => None,
            })
        })
        .unwrap()
        .unwrap();
        assert_eq!(got.0, Found::declared("MIT").unwrap());
        assert_eq!((got.1.as_str(), got.2), ("parent.pom", Some(2)));
        assert_eq!(got.3.supplier.as_deref(), Some("Example Org"));
        assert_eq!(got.3.authors, ["Ada <ada@example.org>", "Example Org"]);
        assert_eq!(asked, vec!["org.example:child:1.0", "org.example:parent:3"]);
    }

    #[test]
    fn a_parent_loop_ends() {
        let pom =
            "<project><parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version></parent></project>";
        let got = licenses_with_parents("g", "a", "1", |_, _, _| Ok(Some((pom.to_string(), "a.pom".to_string()))));
        assert_eq!(got, Ok(None));
    }
}
