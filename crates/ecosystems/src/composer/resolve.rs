//! Composer: installed packages in the tree's `vendor/` (its `composer/installed.json`, else
//! `vendor/VENDOR/NAME/composer.json`), in folders given with `--cache-dir composer=PATH`
//! and in the global Composer home's `vendor/`. A `license` list means a choice (OR).

use crate::resolve::files::declared_or_files;
use crate::resolve::online::{Answer, Ask, Registry, segment};
use crate::resolve::{Env, Fence, Found, Parties, Place, Query, Resolution, Resolver, Source, display_path};
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub struct ComposerSource {
    vendors: Vec<Place>,
}

impl ComposerSource {
    pub fn new(root: &Path, extra: &[PathBuf], defaults: bool, env: &Env) -> ComposerSource {
        let mut vendors = vec![Place::new(root.join("vendor"), LicenseSource::Installed)];
        for d in crate::resolve::subdirs(root).into_iter().filter(|d| !crate::resolve::file_name(d).starts_with('.')) {
            vendors.push(Place::new(d.join("vendor"), LicenseSource::Installed));
        }
        for p in extra {
            let v = if crate::resolve::file_name(p) == "vendor" { p.clone() } else { p.join("vendor") };
            vendors.push(Place::new(v, LicenseSource::LocalCache));
        }
        if defaults {
            let homes = [
                env.var("COMPOSER_HOME").map(PathBuf::from),
                env.home().map(|h| h.join(".config/composer")),
                env.home().map(|h| h.join(".composer")),
            ];
            for h in homes.into_iter().flatten() {
                vendors.push(Place::new(h.join("vendor"), LicenseSource::LocalCache));
            }
        }
        ComposerSource { vendors }
    }
}

impl Source for ComposerSource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&Path> {
        crate::resolve::place_dirs(&[&self.vendors])
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let name = q.name.to_ascii_lowercase();
        for v in &self.vendors {
            if let Some(r) = from_installed_json(fence, &v.dir, &name, q.version.as_deref(), v.source) {
                return Some(r);
            }
            let dir = v.dir.join(&name);
            let manifest = dir.join("composer.json");
            let Some(text) = fence.read(&manifest) else { continue };
            let Ok(doc) = serde_json::from_str::<Value>(&text) else { continue };
            if doc["name"].as_str().map(str::to_ascii_lowercase).as_deref() != Some(name.as_str()) {
                continue;
            }
            if let (Some(want), Some(have)) = (q.version.as_deref(), doc["version"].as_str())
                && !same_version(want, have)
            {
                continue;
            }
            let line = crate::npm::resolve::line_of_key(&text, "license");
            return declared_or_files(
                fence,
                license_of(&doc).map(|f| (f, manifest.as_path(), Some(line))),
                &dir,
                v.source,
            )
            .map(|r| r.with_parties(parties(&doc)));
        }
        None
    }
}

/// The look-up of composer packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Composer,
    registry: "https://repo.packagist.org",
    offline: |a| Box::new(ComposerSource::new(a.root, &a.extra, a.defaults, a.env)),
    online: Some(online),
};

/// Packagist's `p2` document of the package.
fn online(reg: &Registry, a: &Ask) -> Answer {
    let name = a.query.name.to_ascii_lowercase();
    let Some((vendor, package)) = name.split_once('/') else { return Ok(None) };
    let url = format!("{}/p2/{}/{}.json", a.base, segment(vendor)?, segment(package)?);
    let version = a.query.version.as_deref().unwrap_or_default();
    reg.json(&url, |doc| packagist_license(doc, &name, version))
}

/// Packagist's `p2` document lists versions newest first, each entry giving only what
/// changed from the entry before it ("composer/2.0" minification; `"__unset"` removes).
fn packagist_license(doc: &Value, name: &str, version: &str) -> Option<Found> {
    let list = doc["packages"][name].as_array()?;
    let minified = doc["minified"].as_str().is_some();
    let mut current = serde_json::Map::new();
    for entry in list {
        let Some(obj) = entry.as_object() else { continue };
        if minified {
            for (k, v) in obj {
                if v.as_str() == Some("__unset") {
                    current.remove(k);
                } else {
                    current.insert(k.clone(), v.clone());
                }
            }
        } else {
            current = obj.clone();
        }
        let v = current.get("version").and_then(Value::as_str).unwrap_or("");
        if v.trim_start_matches('v') == version.trim_start_matches('v') {
            return license_of(&Value::Object(current));
        }
    }
    None
}

/// `1.2.3` and `v1.2.3` are the same Composer version.
fn same_version(a: &str, b: &str) -> bool {
    a.trim_start_matches('v') == b.trim_start_matches('v')
}

fn from_installed_json(
    fence: &Fence,
    vendor: &Path,
    name: &str,
    version: Option<&str>,
    source: LicenseSource,
) -> Option<Resolution> {
    let path = vendor.join("composer").join("installed.json");
    let text = fence.read(&path)?;
    let doc: Value = serde_json::from_str(&text).ok()?;
    // Composer 2 writes {"packages": [...]}, Composer 1 a bare list.
    let list = doc.get("packages").and_then(Value::as_array).or_else(|| doc.as_array())?;
    let pkg = list.iter().find(|p| {
        p["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name))
            && match (version, p["version"].as_str()) {
                (Some(w), Some(h)) => same_version(w, h),
                _ => true,
            }
    })?;
    let found = license_of(pkg)?;
    let parties = parties(pkg);
    let needle = format!("\"name\": \"{name}\"");
    let line = text.lines().position(|l| l.to_ascii_lowercase().contains(&needle)).map(|n| n as u32 + 1);
    if !found.understood() {
        let dir = vendor.join(name);
        if let Some(r) = crate::resolve::files::from_license_files(fence, &dir, source) {
            return Some(r.with_parties(parties));
        }
    }
    Some(Resolution { parties, license: found, source, location: display_path(&path), line })
}

/// The `authors` of a composer.json or an installed.json entry.
pub fn parties(doc: &Value) -> Parties {
    Parties::from_people(crate::npm::resolve::people(doc, "authors"))
}

/// The `license` of a composer.json or a Packagist version record: a string or a list
/// (alternatives).
pub fn license_of(doc: &Value) -> Option<Found> {
    match &doc["license"] {
        Value::String(s) => Found::declared(s),
        Value::Array(a) => {
            let ids: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            crate::declared_any_of(&ids).map(Found::Declared)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packagist_minified_entries_inherit_fields() {
        let doc: Value = serde_json::from_str(
            r#"{"minified":"composer/2.0","packages":{"a/b":[
                {"name":"a/b","version":"2.0.0","license":["MIT"]},
                {"version":"1.0.0"},
                {"version":"0.9.0","license":"__unset"}]}}"#,
        )
        .unwrap();
        assert_eq!(packagist_license(&doc, "a/b", "1.0.0"), Found::declared("MIT"));
        assert_eq!(packagist_license(&doc, "a/b", "0.9.0"), None);
        assert_eq!(packagist_license(&doc, "a/b", "3.0.0"), None);
    }
}
