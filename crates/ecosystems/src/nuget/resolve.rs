//! NuGet: packages in the global packages folder (`$NUGET_PACKAGES`, else
//! `~/.nuget/packages`) and folders given with `--cache-dir nuget=PATH`, laid out as
//! `ID/VERSION/ID.nuspec` in lower case. The nuspec's `<license type="expression">`, else
//! its `<license type="file">` (detected), else a well-known `<licenseUrl>`.

use crate::resolve::online::{Answer, Ask, Registry};
use crate::resolve::{Env, Fence, Found, Parties, Place, Query, Resolution, Resolver, Source, display_path};
use crate::xml;
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use std::path::{Path, PathBuf};

pub struct NugetSource {
    dirs: Vec<Place>,
}

impl NugetSource {
    pub fn new(extra: &[PathBuf], defaults: bool, env: &Env) -> NugetSource {
        let mut dirs: Vec<Place> = extra.iter().map(|p| Place::new(p, LicenseSource::LocalCache)).collect();
        if defaults
            && let Some(d) = env
                .var("NUGET_PACKAGES")
                .map(PathBuf::from)
                .or_else(|| env.home().map(|h| h.join(".nuget").join("packages")))
        {
            dirs.push(Place::new(d, LicenseSource::LocalCache));
        }
        dirs.retain(|p| p.dir.is_dir());
        NugetSource { dirs }
    }
}

impl Source for NugetSource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&Path> {
        crate::resolve::place_dirs(&[&self.dirs])
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let id = q.name.to_ascii_lowercase();
        let version = q.version.as_deref()?.to_ascii_lowercase();
        for p in &self.dirs {
            let dir = p.dir.join(&id).join(&version);
            let nuspec = dir.join(format!("{id}.nuspec"));
            let Some(text) = fence.read(&nuspec) else { continue };
            let Ok(root) = xml::parse(&text) else { continue };
            let parties = nuspec_parties(&root);
            let found = match nuspec_license(&root) {
                Some(NuspecLicense::Declared(found, line)) => Some(Resolution {
                    parties: Default::default(),
                    license: found,
                    source: p.source,
                    location: display_path(&nuspec),
                    line: Some(line),
                }),
                Some(NuspecLicense::File(rel)) => license_file(fence, &dir, &rel, p.source),
                None => crate::resolve::files::from_license_files(fence, &dir, p.source),
            };
            return found.map(|r| r.with_parties(parties));
        }
        None
    }
}

/// The look-up of nuget packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Nuget,
    registry: "https://api.nuget.org",
    offline: |a| Box::new(NugetSource::new(&a.extra, a.defaults, a.env)),
    online: Some(online),
};

/// The NuGet flat container: the version's `.nuspec`.
fn online(reg: &Registry, a: &Ask) -> Answer {
    let (id, v) = (a.name.to_ascii_lowercase(), a.version.to_ascii_lowercase());
    let url = format!("{}/v3-flatcontainer/{id}/{v}/{id}.nuspec", a.base);
    let Some(text) = reg.text(&url)? else { return Ok(None) };
    let root = xml::parse(&text).map_err(|e| format!("{url}: {e}"))?;
    Ok(match nuspec_license(&root) {
        Some(NuspecLicense::Declared(license, line)) => Some(Resolution {
            parties: Default::default(),
            license,
            source: LicenseSource::Registry,
            location: url,
            line: Some(line),
        }),
        // A license file inside the package: not readable without the package.
        _ => None,
    })
}

fn license_file(fence: &Fence, dir: &Path, rel: &str, source: LicenseSource) -> Option<Resolution> {
    if rel.split(['/', '\\']).any(|s| s == "..") {
        return None;
    }
    let path = dir.join(rel.replace('\\', "/"));
    let found = crate::resolve::files::detect_file(fence, &path);
    if found.is_empty() {
        return None;
    }
    Some(Resolution {
        parties: Default::default(),
        license: Found::Detected(found),
        source,
        location: display_path(&path),
        line: None,
    })
}

/// The `<authors>` of a nuspec (comma-separated), its first author the supplier.
pub fn nuspec_parties(root: &xml::Element) -> Parties {
    let authors = root.child("metadata").and_then(|m| m.child_text("authors")).unwrap_or_default();
    Parties::from_people(authors.split(','))
}

/// What a nuspec says about its license.
#[derive(Debug, Clone, PartialEq)]
pub enum NuspecLicense {
    /// An expression or a well-known license URL, with its line.
    Declared(Found, u32),
    /// A file inside the package.
    File(String),
}

/// Read `<metadata><license>` and `<licenseUrl>` of a nuspec.
pub fn nuspec_license(root: &xml::Element) -> Option<NuspecLicense> {
    let meta = root.child("metadata")?;
    if let Some(l) = meta.child("license") {
        let kind = l.attr("type").unwrap_or("expression");
        if kind.eq_ignore_ascii_case("file") {
            return Some(NuspecLicense::File(l.text.clone()));
        }
        if let Some(found) = Found::declared(&l.text) {
            return Some(NuspecLicense::Declared(found, l.line));
        }
    }
    let url_el = meta.child("licenseUrl")?;
    let url = url_el.text.as_str();
    // Packages with a <license> element point licenseUrl at this placeholder.
    if url.contains("aka.ms/deprecateLicenseUrl") {
        return None;
    }
    let expression = crate::resolve::urls::license_from_url(url)?;
    Some(NuspecLicense::Declared(
        Found::Declared(DeclaredLicense { raw: url.to_string(), expression: Some(expression), inferred: false }),
        url_el.line,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expression_file_and_url() {
        let e = "<package><metadata>\n<id>Newtonsoft.Json</id>\n<license type=\"expression\">MIT</license>\n<licenseUrl>https://aka.ms/deprecateLicenseUrl</licenseUrl></metadata></package>";
        assert_eq!(
            nuspec_license(&xml::parse(e).unwrap()),
            Some(NuspecLicense::Declared(Found::declared("MIT").unwrap(), 3))
        );
        let f = "<package><metadata><license type=\"file\">LICENSE.txt</license></metadata></package>";
        assert_eq!(nuspec_license(&xml::parse(f).unwrap()), Some(NuspecLicense::File("LICENSE.txt".into())));
        let u =
            "<package><metadata><licenseUrl>https://licenses.nuget.org/Apache-2.0</licenseUrl></metadata></package>";
        match nuspec_license(&xml::parse(u).unwrap()) {
            Some(NuspecLicense::Declared(Found::Declared(d), _)) => {
                assert_eq!(d.expression.as_deref(), Some("Apache-2.0"))
            }
            other => panic!("{other:?}"),
        }
        let unknown = "<package><metadata><licenseUrl>https://example.com/eula</licenseUrl></metadata></package>";
        assert_eq!(nuspec_license(&xml::parse(unknown).unwrap()), None);
    }
}
