//! Maven: POMs in the local repository (`~/.m2/repository`, or the `localRepository` of
//! `~/.m2/settings.xml`), in Gradle's module cache and in folders given with
//! `--cache-dir maven=PATH`: `GROUP/ARTIFACT/VERSION/ARTIFACT-VERSION.pom`. A POM without
//! `<licenses>` inherits them from its parent POM, looked up the same way.

use super::{Env, Fence, Found, LicenseSource, Place, Query, Resolution, display_path};
use crate::ecosystems::xml;
use crate::license::DeclaredLicense;
use std::path::PathBuf;

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

    /// The folders this source searches.
    pub fn dirs(&self) -> Vec<&std::path::Path> {
        super::place_dirs(&[&self.repos, &self.gradle])
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

    pub fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
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
        Some(Resolution { license: found.0, source, location: found.1, line: found.2 })
    }
}

/// Follow a POM and its parents until one declares licenses. `fetch` returns a POM's text
/// and where it was read from. Answers the license, that location and the line.
pub fn licenses_with_parents(
    group: &str,
    artifact: &str,
    version: &str,
    mut fetch: impl FnMut(&str, &str, &str) -> Result<Option<(String, String)>, String>,
) -> Result<Option<(Found, String, Option<u32>)>, String> {
    let (mut g, mut a, mut v) = (group.to_string(), artifact.to_string(), version.to_string());
    for _ in 0..=MAX_PARENTS {
        let Some((text, location)) = fetch(&g, &a, &v)? else { return Ok(None) };
        let root = xml::parse(&text).map_err(|e| format!("{location}: {e}"))?;
        if let Some((found, line)) = pom_licenses(&root) {
            return Ok(Some((found, location, Some(line))));
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

/// The `<licenses>` of a POM: each license's name, or its URL when the name is not
/// understood; several are alternatives (as the Maven cataloger reads them).
pub fn pom_licenses(root: &xml::Element) -> Option<(Found, u32)> {
    let licenses = root.child("licenses")?;
    let mut parts: Vec<String> = Vec::new();
    for l in licenses.children_named("license") {
        let name = l.child_text("name");
        let from_name = name.map(DeclaredLicense::from_raw).filter(|d| d.expression.is_some() && !d.inferred);
        let from_url = l.child_text("url").and_then(super::urls::license_from_url);
        let part = match (from_name, from_url, name) {
            (Some(d), _, _) => d.expression,
            (None, Some(u), _) => Some(u),
            (None, None, Some(n)) => Some(n.to_string()),
            (None, None, None) => None,
        };
        parts.extend(part);
    }
    let found = crate::ecosystems::declared_any_of(&parts)?;
    Some((Found::Declared(found), licenses.line))
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
        let parent = "<project>\n<licenses>\n<license><name>MIT</name></license></licenses></project>";
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
