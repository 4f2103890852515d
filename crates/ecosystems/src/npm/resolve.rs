//! npm: installed packages in `node_modules/` folders (nested, scoped and pnpm's
//! `.pnpm/` store), in the tree and in folders given with `--cache-dir npm=PATH`.
//! Reads `package.json`'s `license` (or the old `licenses` list), else the license files.
//!
//! Installed packages inside the scanned tree are also catalogued by the npm cataloger;
//! this only answers for components that are still without a license.

use crate::resolve::files::declared_or_files;
use crate::resolve::online::{Answer, Ask, Registry, segment};
use crate::resolve::{Env, Fence, Found, Parties, Query, Resolution, Resolver, Source};
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// How deep nested `node_modules` are followed.
const MAX_DEPTH: usize = 12;

pub struct NpmSource {
    trees: Vec<(PathBuf, LicenseSource)>,
    index: OnceLock<Index>,
}

#[derive(Debug, Clone)]
struct Installed {
    dir: PathBuf,
    license: Option<(Found, u32)>,
    source: LicenseSource,
    parties: Parties,
}

impl NpmSource {
    pub fn new(root: &Path, extra: &[PathBuf], _defaults: bool, _env: &Env) -> NpmSource {
        let mut trees = Vec::new();
        for p in extra {
            if crate::resolve::file_name(p) == "node_modules" {
                trees.push((p.clone(), LicenseSource::LocalCache));
            } else {
                trees.push((p.join("node_modules"), LicenseSource::LocalCache));
            }
        }
        trees.push((root.join("node_modules"), LicenseSource::Installed));
        // Projects one or two folders down (monorepos) have their own node_modules.
        for d in crate::resolve::subdirs(root).into_iter().filter(|d| !hidden_or_modules(d)) {
            trees.push((d.join("node_modules"), LicenseSource::Installed));
            for d2 in crate::resolve::subdirs(&d).into_iter().filter(|d| !hidden_or_modules(d)) {
                trees.push((d2.join("node_modules"), LicenseSource::Installed));
            }
        }
        NpmSource { trees, index: OnceLock::new() }
    }

    fn index(&self, fence: &Fence) -> &HashMap<(String, String), Installed> {
        self.index.get_or_init(|| {
            let mut map = HashMap::new();
            for (t, source) in &self.trees {
                if t.is_dir() {
                    walk_modules(fence, t, *source, 0, &mut map);
                }
            }
            map
        })
    }
}

impl Source for NpmSource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&Path> {
        self.trees.iter().map(|(t, _)| t.as_path()).collect()
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let v = q.version.as_deref()?;
        let hit = self.index(fence).get(&(q.name.clone(), v.to_string()))?;
        let manifest = hit.dir.join("package.json");
        let declared = hit.license.clone().map(|(f, line)| (f, manifest.as_path(), Some(line)));
        declared_or_files(fence, declared, &hit.dir, hit.source).map(|r| r.with_parties(hit.parties.clone()))
    }
}

/// The look-up of npm packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Npm,
    registry: "https://registry.npmjs.org",
    offline: |a| Box::new(NpmSource::new(a.root, &a.extra, a.defaults, a.env)),
    online: Some(online),
};

/// The npm registry: the version's document.
fn online(reg: &Registry, a: &Ask) -> Answer {
    // Scoped names keep their `@` and encode the slash.
    let name = match a.query.name.strip_prefix('@').and_then(|n| n.split_once('/')) {
        Some((scope, n)) => format!("@{}%2f{}", segment(scope)?, segment(n)?),
        None => a.name.to_string(),
    };
    reg.json(&format!("{}/{name}/{}", a.base, a.version), license_of)
}

fn hidden_or_modules(d: &Path) -> bool {
    let n = crate::resolve::file_name(d);
    n.starts_with('.') || n == "node_modules" || n == "target"
}

type Index = HashMap<(String, String), Installed>;

fn walk_modules(fence: &Fence, dir: &Path, source: LicenseSource, depth: usize, map: &mut Index) {
    if depth > MAX_DEPTH {
        return;
    }
    for entry in fence.subdirs(dir) {
        let name = crate::resolve::file_name(&entry).to_string();
        if name == ".pnpm" {
            for store in fence.subdirs(&entry) {
                walk_modules(fence, &store.join("node_modules"), source, depth + 1, map);
            }
        } else if name.starts_with('@') {
            for pkg in fence.subdirs(&entry) {
                package(fence, &pkg, source, depth, map);
            }
        } else if !name.starts_with('.') {
            package(fence, &entry, source, depth, map);
        }
    }
}

fn package(fence: &Fence, dir: &Path, source: LicenseSource, depth: usize, map: &mut Index) {
    if let Some(text) = fence.read(&dir.join("package.json"))
        && let Ok(doc) = serde_json::from_str::<Value>(&text)
        && let (Some(name), Some(version)) = (doc["name"].as_str(), doc["version"].as_str())
    {
        let license = license_of(&doc).map(|f| (f, line_of_key(&text, "license")));
        map.entry((name.to_string(), version.to_string())).or_insert(Installed {
            dir: dir.to_path_buf(),
            license,
            source,
            parties: parties(&doc),
        });
    }
    let nested = dir.join("node_modules");
    if nested.is_dir() {
        walk_modules(fence, &nested, source, depth + 1, map);
    }
}

/// 1-based line of the first `"key` in a JSON text (1 when absent).
pub fn line_of_key(text: &str, key: &str) -> u32 {
    let needle = format!("\"{key}");
    text.lines().position(|l| l.contains(&needle)).map_or(1, |n| n as u32 + 1)
}

/// The license a `package.json` (or a registry's version document) declares, read as the
/// npm cataloger reads it.
/// One person of a package.json or composer.json: a string `Name <mail> (url)` as written,
/// or an object with `name`, `email` and `url` (composer: `homepage`).
pub fn person(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let field = |k: &str| o.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
            match (field("name"), field("email")) {
                (Some(n), Some(m)) => Some(format!("{n} <{m}>")),
                (Some(n), None) => Some(n.to_string()),
                (None, Some(m)) => Some(format!("<{m}>")),
                (None, None) => field("url").or_else(|| field("homepage")).map(str::to_string),
            }
        }
        _ => None,
    }
}

/// The people of a list field (`maintainers`, composer's `authors`).
pub fn people<'a>(doc: &'a Value, key: &str) -> impl Iterator<Item = String> + 'a {
    doc.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(person)
}

/// The `author`, then the `maintainers` of a package.json; when it names neither, its
/// `contributors` (the people who made it, as many packages list them instead).
pub fn parties(doc: &Value) -> Parties {
    let named = Parties::from_people(doc.get("author").and_then(person).into_iter().chain(people(doc, "maintainers")));
    if named.is_empty() { Parties::from_people(people(doc, "contributors")) } else { named }
}

pub fn license_of(doc: &Value) -> Option<Found> {
    crate::npm::declared_license(doc).map(Found::Declared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_then_maintainers_else_contributors() {
        let doc: Value = serde_json::from_str(
            r#"{"author": {"name": "Sindre Sorhus", "email": "sindresorhus@gmail.com", "url": "sindresorhus.com"},
                "maintainers": ["Jane <jane@example.org>", {"name": "Sindre Sorhus", "email": "sindresorhus@gmail.com"}],
                "contributors": ["Someone Else"]}"#,
        )
        .unwrap();
        let p = parties(&doc);
        assert_eq!(p.authors, ["Sindre Sorhus <sindresorhus@gmail.com>", "Jane <jane@example.org>"]);
        assert_eq!(p.supplier.as_deref(), Some("Sindre Sorhus <sindresorhus@gmail.com>"));
        let doc: Value = serde_json::from_str(
            r#"{"name": "etag", "contributors": ["Douglas Christopher Wilson <doug@somethingdoug.com>", "David Björklund <david.bjorklund@gmail.com>"]}"#,
        )
        .unwrap();
        assert_eq!(parties(&doc).supplier.as_deref(), Some("Douglas Christopher Wilson <doug@somethingdoug.com>"));
        let doc: Value = serde_json::from_str(r#"{"name": "ms", "repository": "vercel/ms"}"#).unwrap();
        assert!(parties(&doc).is_empty(), "no one named, no one invented");
    }
}
