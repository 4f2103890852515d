//! `pnpm-lock.yaml`, lockfile versions 5.x, 6.x, 7.x and 9.x.
//!
//! `importers` are the workspace projects (their dependencies are the direct ones);
//! `packages` lists each package once per peer set (v5/v6 keys `/name/1.0.0_peer`,
//! `/name@1.0.0(peer@1)`; v9 `name@1.0.0` without peers, with the edges in `snapshots`).
//! A package seen with several peer sets is one package.

use super::npm_package;
use crate::ecosystems::{Catalog, ManifestFile, PackageRole, ParseError, join_dir, sri_hashes, yaml_error};
use crate::inventory::model::Scope;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Lock {
    lockfile_version: Option<serde_json::Value>,
    importers: BTreeMap<String, Importer>,
    // A single-project lockfile has the importer's tables at the top.
    #[serde(flatten)]
    root: Importer,
    packages: BTreeMap<String, Entry>,
    snapshots: BTreeMap<String, Entry>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Importer {
    dependencies: BTreeMap<String, Dep>,
    dev_dependencies: BTreeMap<String, Dep>,
    optional_dependencies: BTreeMap<String, Dep>,
}

/// v5 writes the resolved version; v6+ write `{specifier, version}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Dep {
    Version(String),
    Full { version: String },
}

impl Dep {
    fn version(&self) -> &str {
        match self {
            Dep::Version(v) | Dep::Full { version: v } => v,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    resolution: Option<Resolution>,
    dev: Option<bool>,
    optional: Option<bool>,
    dependencies: BTreeMap<String, String>,
    optional_dependencies: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Resolution {
    integrity: Option<String>,
}

pub(super) fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let lock: Lock = serde_saphyr::from_str_with_options(text, crate::ecosystems::yaml_lockfile_options())
        .map_err(|e| yaml_error(&e))?;
    let version_text = match &lock.lockfile_version {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err(ParseError::at(1, "no lockfileVersion: not a pnpm lockfile")),
    };
    let major: u32 = version_text.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if !(5..=9).contains(&major) {
        let line = text.lines().position(|l| l.starts_with("lockfileVersion")).map_or(1, |i| i as u32 + 1);
        return Err(ParseError::at(line, format!("pnpm lockfileVersion {version_text} is not known (5 to 9 are)")));
    }
    let v5 = major == 5;
    let lines = key_lines(text);
    let mut cat = Catalog::default();

    // Packages, one per (name, version).
    struct Found {
        pkg: crate::ecosystems::Package,
        edges: Vec<String>,
    }
    let mut found: BTreeMap<(String, String), Found> = BTreeMap::new();
    for (key, e) in &lock.packages {
        let Some((name, version)) = entry_identity(key, e, v5) else {
            cat.warnings.push(format!("packages entry {key:?} has no name or version; skipped"));
            continue;
        };
        let f = found.entry((name.clone(), version.clone())).or_insert_with(|| {
            let mut p = npm_package(PackageRole::Dependency, &name, Some(&version));
            p.line = lines.get(&("packages", key.as_str())).copied();
            Found { pkg: p, edges: Vec::new() }
        });
        if f.pkg.hashes.is_empty()
            && let Some(i) = e.resolution.as_ref().and_then(|r| r.integrity.as_deref())
        {
            f.pkg.hashes = sri_hashes(i);
        }
        let scope = match (e.dev, e.optional) {
            (_, Some(true)) => Scope::Optional,
            (Some(true), _) => Scope::Dev,
            // v9 records no dev flags: scopes come from the importers.
            _ if major < 9 => Scope::Runtime,
            _ => Scope::Unknown,
        };
        f.pkg.scope = if f.pkg.scope == Scope::Unknown { scope } else { f.pkg.scope.widest(scope) };
        for (n, r) in e.dependencies.iter().chain(&e.optional_dependencies) {
            f.edges.extend(dep_key(n, r, v5));
        }
    }
    // v9: edges and optional flags live in snapshots keyed `name@version(peers)`.
    for (key, e) in &lock.snapshots {
        let Some((name, version)) = entry_identity(key, e, v5) else { continue };
        let Some(f) = found.get_mut(&(name, version)) else {
            cat.warnings.push(format!("snapshot {key:?} has no packages entry"));
            continue;
        };
        if e.optional == Some(true) && f.pkg.scope == Scope::Unknown {
            f.pkg.scope = Scope::Optional;
        }
        for (n, r) in e.dependencies.iter().chain(&e.optional_dependencies) {
            f.edges.extend(dep_key(n, r, v5));
        }
    }

    // Importers: the projects, and which packages they name directly.
    let mut importers: Vec<(&str, &Importer)> = lock.importers.iter().map(|(k, v)| (k.as_str(), v)).collect();
    if importers.is_empty() {
        importers.push((".", &lock.root));
    }
    let mut direct: HashMap<String, Scope> = HashMap::new();
    for (path, imp) in importers {
        let mut p = npm_package(PackageRole::Project, "", None);
        p.purl = None;
        p.dir = join_dir(file.dir(), path);
        p.line = lines.get(&("importers", path)).copied().or(Some(1));
        let mut edges = Vec::new();
        for (table, scope) in [
            (&imp.dependencies, Scope::Runtime),
            (&imp.optional_dependencies, Scope::Optional),
            (&imp.dev_dependencies, Scope::Dev),
        ] {
            for (n, d) in table {
                if let Some(k) = dep_key(n, d.version(), v5) {
                    let s = direct.entry(k.clone()).or_insert(scope);
                    *s = s.widest(scope);
                    edges.push(k);
                }
            }
        }
        edges.sort();
        edges.dedup();
        p.dependencies = edges;
        cat.packages.push(p);
    }
    for (_, mut f) in found {
        f.edges.sort();
        f.edges.dedup();
        f.pkg.dependencies = f.edges;
        let key = f.pkg.key();
        match direct.get(&key) {
            Some(&s) => {
                f.pkg.direct = Some(true);
                f.pkg.scope = if f.pkg.scope == Scope::Unknown { s } else { f.pkg.scope.widest(s) };
            }
            None => f.pkg.direct = Some(false),
        }
        cat.packages.push(f.pkg);
    }
    Ok(cat)
}

/// Name and version of a `packages`/`snapshots` key, preferring the entry's own fields
/// (packages from git or tarballs carry them).
fn entry_identity(key: &str, e: &Entry, v5: bool) -> Option<(String, String)> {
    if let (Some(n), Some(v)) = (&e.name, &e.version) {
        return Some((n.clone(), v.clone()));
    }
    let (name, version) = parse_key(key, v5)?;
    Some((e.name.clone().unwrap_or(name), e.version.clone().unwrap_or(version)))
}

/// `/name/1.0.0_peer` (v5), `/name@1.0.0(peer@1)` (v6), `name@1.0.0(peer@1)` (v9).
fn parse_key(key: &str, v5: bool) -> Option<(String, String)> {
    let k = key.strip_prefix('/').unwrap_or(key);
    if v5 {
        let segs: Vec<&str> = k.splitn(3, '/').collect();
        let (name, rest) = if k.starts_with('@') {
            (format!("{}/{}", segs.first()?, segs.get(1)?), *segs.get(2)?)
        } else {
            (segs.first()?.to_string(), k.split_once('/')?.1)
        };
        let version = rest.split('_').next()?;
        return (!version.is_empty()).then(|| (name, version.to_string()));
    }
    let k = k.split('(').next()?;
    let (name, version) = super::split_spec(k);
    (!name.is_empty() && !version.is_empty()).then(|| (name.to_string(), version.to_string()))
}

/// The package key a dependency reference points at; `None` for `link:` (a workspace project).
fn dep_key(name: &str, reference: &str, v5: bool) -> Option<String> {
    if reference.starts_with("link:") {
        return None;
    }
    let (name, version) = if reference.starts_with('/') {
        parse_key(reference, v5)?
    } else {
        let plain = if v5 { reference.split('_').next()? } else { reference.split('(').next()? };
        match super::split_spec(plain) {
            // `is-number@6.0.0`: an alias to another package.
            (n, v) if !n.is_empty() && !v.is_empty() && !plain.contains("://") => (n.to_string(), v.to_string()),
            _ => (name.to_string(), plain.to_string()),
        }
    };
    Some(npm_package(PackageRole::Dependency, &name, Some(&version)).key())
}

/// Lines of the two-space-indented keys under `packages:` and `importers:`.
fn key_lines(text: &str) -> HashMap<(&'static str, &str), u32> {
    let mut out = HashMap::new();
    let mut section: Option<&'static str> = None;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            section = if line.starts_with("packages:") {
                Some("packages")
            } else if line.starts_with("importers:") {
                Some("importers")
            } else {
                None
            };
            continue;
        }
        let Some(sec) = section else { continue };
        let Some(rest) = line.strip_prefix("  ") else { continue };
        if rest.starts_with(' ') {
            continue;
        }
        let key = rest.trim_end().trim_end_matches(" {}").trim_end_matches(':');
        let key = key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')).unwrap_or(key);
        let key = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')).unwrap_or(key);
        out.entry((sec, key)).or_insert(i as u32 + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_every_version() {
        assert_eq!(parse_key("/@a/b/1.0.0_react@18.0.0", true), Some(("@a/b".into(), "1.0.0".into())));
        assert_eq!(parse_key("/is-odd/3.0.1", true), Some(("is-odd".into(), "3.0.1".into())));
        assert_eq!(parse_key("/react-dom@18.3.1(react@18.3.1)", false), Some(("react-dom".into(), "18.3.1".into())));
        assert_eq!(parse_key("@a/b@2.0.0", false), Some(("@a/b".into(), "2.0.0".into())));
        assert_eq!(dep_key("isnum", "is-number@6.0.0", false).as_deref(), Some("pkg:npm/is-number@6.0.0"));
        assert_eq!(dep_key("x", "/is-number/6.0.0", true).as_deref(), Some("pkg:npm/is-number@6.0.0"));
        assert_eq!(dep_key("react-dom", "18.3.1(react@18.3.1)", false).as_deref(), Some("pkg:npm/react-dom@18.3.1"));
        assert_eq!(dep_key("u", "link:../util", false), None);
    }

    #[test]
    fn invalid_yaml_and_unknown_versions_name_the_line() {
        let run = |t: &str| parse(&ManifestFile { path: "pnpm-lock.yaml", bytes: t.as_bytes() });
        let e = run("lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {resolution: [\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        assert!(e.message.contains("invalid YAML"), "{e}");
        let e = run("\nlockfileVersion: '3.0'\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
