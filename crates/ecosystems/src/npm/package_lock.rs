//! `package-lock.json`, `npm-shrinkwrap.json` and `node_modules/.package-lock.json`.
//!
//! v2 and v3 list every installed folder under `packages` (`""` is the root, other keys
//! outside `node_modules/` are workspace members or local folders, `link: true` entries
//! point at them); v1 nests `dependencies` the way `node_modules` nests. Edges follow
//! Node's resolution: a name is looked up in the nearest `node_modules` upwards.

use super::{alias_target, declared_license_of, npm_package};
use crate::{Catalog, JsonKeyLines, ManifestFile, Package, PackageRole, ParseError, json_error, lenient, sri_hashes};
use kataster_model::model::Ecosystem;
use kataster_model::model::Scope;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The top of a lockfile, read without building a tree of the whole document: v2 and v3
/// lockfiles of large monorepos run to 100,000 entries.
#[derive(Deserialize)]
struct Top<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::str")]
    name: Option<Cow<'a, str>>,
    #[serde(rename = "lockfileVersion", default)]
    lockfile_version: Option<Value>,
    #[serde(borrow, default)]
    packages: Option<BTreeMap<Cow<'a, str>, Entry<'a>>>,
    #[serde(default)]
    dependencies: Option<IgnoredAny>,
}

/// One `packages` entry, the fields kataster reads.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Entry<'a> {
    #[serde(borrow, deserialize_with = "lenient::str")]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::str")]
    version: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::str")]
    resolved: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::str")]
    integrity: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "lenient::bool")]
    link: Option<bool>,
    #[serde(deserialize_with = "lenient::bool")]
    dev: Option<bool>,
    #[serde(deserialize_with = "lenient::bool")]
    dev_optional: Option<bool>,
    #[serde(deserialize_with = "lenient::bool")]
    optional: Option<bool>,
    #[serde(deserialize_with = "lenient::bool")]
    peer: Option<bool>,
    license: Option<Value>,
    licenses: Option<Value>,
    #[serde(borrow, deserialize_with = "lenient::keys")]
    dependencies: Vec<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::keys")]
    optional_dependencies: Vec<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::keys")]
    peer_dependencies: Vec<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "lenient::keys")]
    dev_dependencies: Vec<Cow<'a, str>>,
}

pub(super) fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let top: Top = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let version = top.lockfile_version.as_ref().and_then(Value::as_u64);
    let hidden = file.path.ends_with(".package-lock.json");
    match (version, top.packages) {
        (Some(2 | 3), Some(packages)) => {
            let lines = JsonKeyLines::new(text, 2);
            Ok(parse_packages(file, top.name.as_deref(), &packages, &lines, hidden))
        }
        (Some(1) | None, _) if top.dependencies.is_some() || version == Some(1) => {
            // v1 nests entries as deep as node_modules: read it as a tree.
            let doc: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
            Ok(parse_v1(file, &doc, &JsonKeyLines::new(text, usize::MAX)))
        }
        (Some(v), _) => Err(ParseError::at(
            line_of(text, "\"lockfileVersion\"").unwrap_or(1),
            format!("package-lock lockfileVersion {v} is not known (1 to 3 are)"),
        )),
        (None, _) => Err(ParseError::at(1, "no lockfileVersion, packages or dependencies: not an npm lockfile")),
    }
}

fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.find(needle).map(|o| crate::line_of_offset(text.as_bytes(), o))
}

/// The package name a `node_modules/...` key installs (the part after the last `node_modules/`).
fn name_from_key(key: &str) -> &str {
    match key.rfind("node_modules/") {
        Some(i) => &key[i + "node_modules/".len()..],
        None => key.rsplit('/').next().unwrap_or(key),
    }
}

/// An entry's package name: its `name` (aliases and local folders carry one), else the
/// folder it is installed in; the root's from the top of the lockfile.
fn entry_name<'a>(root_name: Option<&'a str>, path: &'a str, e: &'a Entry) -> &'a str {
    let own = e.name.as_deref();
    if path.is_empty() {
        return own.or(root_name).unwrap_or("");
    }
    own.unwrap_or_else(|| name_from_key(path))
}

fn scope_of(e: &Entry) -> Scope {
    let flag = |f: Option<bool>| f.unwrap_or(false);
    if flag(e.dev) || flag(e.dev_optional) {
        Scope::Dev
    } else if flag(e.optional) {
        Scope::Optional
    } else if flag(e.peer) {
        Scope::Peer
    } else {
        Scope::Runtime
    }
}

/// The v1 flags of an entry, for [`scope_of`].
fn v1_flags(e: &Value) -> Entry<'static> {
    let flag = |k: &str| e.get(k).and_then(Value::as_bool);
    Entry {
        dev: flag("dev"),
        dev_optional: flag("devOptional"),
        optional: flag("optional"),
        peer: flag("peer"),
        ..Entry::default()
    }
}

fn parse_packages(
    file: &ManifestFile,
    root_name: Option<&str>,
    packages: &BTreeMap<Cow<str>, Entry>,
    lines: &JsonKeyLines,
    hidden: bool,
) -> Catalog {
    let mut cat = Catalog::default();
    // The folder the keys are relative to: the lockfile's, or the parent of `node_modules/`.
    let base = if hidden { crate::join_dir(file.dir(), "..").unwrap_or_default() } else { file.dir().to_string() };
    // Key of each installed folder, links followed to their target.
    let mut keys: HashMap<&str, String> = HashMap::with_capacity(packages.len());
    let mut links: Vec<(&str, &str)> = Vec::new();
    for (path, e) in packages {
        if e.link == Some(true) {
            if let Some(target) = e.resolved.as_deref() {
                links.push((path, target));
            }
            continue;
        }
        let name = entry_name(root_name, path, e);
        keys.insert(path, npm_package(PackageRole::Dependency, name, e.version.as_deref()).key());
    }
    for (path, target) in links {
        if let Some(k) = keys.get(target).cloned() {
            keys.insert(path, k);
        }
    }
    // Node's lookup: `from/node_modules/name`, then each enclosing node_modules folder.
    let mut candidate = String::new();
    let mut resolve = |from: &str, dep: &str| -> Option<String> {
        let mut scope = from;
        loop {
            candidate.clear();
            if !scope.is_empty() {
                candidate.push_str(scope);
                candidate.push('/');
            }
            candidate.push_str("node_modules/");
            candidate.push_str(dep);
            if let Some(k) = keys.get(candidate.as_str()) {
                return Some(k.clone());
            }
            if scope.is_empty() {
                return None;
            }
            scope = match scope.rfind("/node_modules/") {
                Some(i) => &scope[..i],
                None => "",
            };
        }
    };
    let mut direct: HashSet<String> = HashSet::new();
    for (path, e) in packages {
        if e.link == Some(true) {
            continue;
        }
        let local = !path.starts_with("node_modules/") && !path.contains("/node_modules/");
        if hidden && local {
            // The members of a workspace are described by their own package.json.
            continue;
        }
        let Some(key) = keys.get(path.as_ref()) else { continue };
        let name = entry_name(root_name, path, e);
        let role = if local { PackageRole::Project } else { PackageRole::Dependency };
        let mut p = Package::new(role, Ecosystem::Npm, name, e.version.as_deref().map(str::to_string));
        p.purl = if name.is_empty() { None } else { crate::purl_of_key(key) };
        p.line = lines.get(&["packages", path]);
        p.declared_license = declared_license_of(e.license.as_ref(), e.licenses.as_ref());
        if let Some(i) = e.integrity.as_deref() {
            p.hashes = sri_hashes(i);
        }
        if local {
            p.dir = crate::join_dir(&base, path);
        } else {
            p.scope = scope_of(e);
            if hidden {
                p.dir = crate::join_dir(&base, path);
            }
        }
        let mut edges: Vec<String> = Vec::new();
        let tables = [
            (&e.dependencies, true),
            (&e.optional_dependencies, false),
            (&e.peer_dependencies, false),
            (&e.dev_dependencies, false),
        ];
        for (table, required) in tables {
            for dep in table {
                match resolve(path, dep) {
                    Some(k) => edges.push(k),
                    None if required && !hidden => {
                        cat.warnings.push(format!("{} needs {dep}, which the lockfile does not list", display(path)))
                    }
                    None => {}
                }
            }
        }
        edges.sort();
        edges.dedup();
        if local {
            direct.extend(edges.iter().cloned());
        }
        p.dependencies = edges;
        cat.packages.push(p);
    }
    for p in cat.packages.iter_mut().filter(|p| p.role == PackageRole::Dependency) {
        p.direct = Some(direct.contains(&p.key()));
    }
    cat
}

fn display(path: &str) -> &str {
    if path.is_empty() { "the root package" } else { path }
}

/// v1: a tree of `dependencies`, each entry with `version`, `requires` and nested
/// `dependencies`. Aliases are written `"version": "npm:real@1.0.0"`, local folders
/// `"version": "file:packages/x"`.
fn parse_v1(file: &ManifestFile, doc: &Value, lines: &JsonKeyLines) -> Catalog {
    let mut cat = Catalog::default();
    let mut root = npm_package(
        PackageRole::Project,
        doc.get("name").and_then(Value::as_str).unwrap_or(""),
        doc.get("version").and_then(Value::as_str),
    );
    if root.name.is_empty() {
        root.purl = None;
    }
    root.dir = Some(file.dir().to_string());
    root.line = Some(1);

    // Flatten the tree: (path of names, entry).
    let mut flat: Vec<(Vec<&str>, &Value)> = Vec::new();
    let mut stack: Vec<(Vec<&str>, &Map<String, Value>)> = Vec::new();
    if let Some(d) = doc.get("dependencies").and_then(Value::as_object) {
        stack.push((Vec::new(), d));
    }
    while let Some((prefix, deps)) = stack.pop() {
        for (name, e) in deps {
            let mut path = prefix.clone();
            path.push(name.as_str());
            if let Some(d) = e.get("dependencies").and_then(Value::as_object) {
                stack.push((path.clone(), d));
            }
            flat.push((path, e));
        }
    }
    flat.sort_by(|a, b| a.0.cmp(&b.0));

    let identity = |name: &str, e: &Value| -> (String, Option<String>, bool) {
        let v = e.get("version").and_then(Value::as_str).unwrap_or("");
        if let Some((real, ver)) = alias_target(v) {
            return (real.to_string(), Some(ver.to_string()), false);
        }
        if v.starts_with("file:") {
            return (name.to_string(), None, true);
        }
        if v.contains("://") || v.starts_with("git") || v.starts_with("github:") {
            // A git or tarball dependency: the commit after `#` identifies it.
            let commit = v.rsplit_once('#').map(|(_, c)| c.to_string());
            return (name.to_string(), commit.or(Some(v.to_string())), false);
        }
        (name.to_string(), (!v.is_empty()).then(|| v.to_string()), false)
    };
    let mut keys: HashMap<Vec<&str>, String> = HashMap::with_capacity(flat.len());
    for (path, e) in &flat {
        let (name, version, _) = identity(path.last().copied().unwrap_or(""), e);
        keys.insert(path.clone(), npm_package(PackageRole::Dependency, &name, version.as_deref()).key());
    }
    let resolve = |from: &[&str], dep: &str| -> Option<String> {
        let mut scope = from.to_vec();
        loop {
            scope.push(dep);
            if let Some(k) = keys.get(&scope) {
                return Some(k.clone());
            }
            scope.pop();
            scope.pop()?;
        }
    };
    let mut root_edges = Vec::new();
    for (path, e) in &flat {
        let leaf = path.last().copied().unwrap_or("");
        let (name, version, local) = identity(leaf, e);
        let mut json_path: Vec<&str> = Vec::new();
        for seg in path {
            json_path.push("dependencies");
            json_path.push(seg);
        }
        let line = lines.get(&json_path);
        if local {
            let v = e.get("version").and_then(Value::as_str).unwrap_or("");
            let mut p = npm_package(PackageRole::Project, &name, None);
            p.dir = crate::join_dir(file.dir(), v.trim_start_matches("file:"));
            p.line = line;
            cat.packages.push(p);
            continue;
        }
        let mut p = npm_package(PackageRole::Dependency, &name, version.as_deref());
        p.line = line;
        p.scope = scope_of(&v1_flags(e));
        if let Some(i) = e.get("integrity").and_then(Value::as_str) {
            p.hashes = sri_hashes(i);
        }
        if let Some(req) = e.get("requires").and_then(Value::as_object) {
            let mut edges: Vec<String> = req.keys().filter_map(|d| resolve(path, d)).collect();
            edges.sort();
            edges.dedup();
            p.dependencies = edges;
        }
        if path.len() == 1 {
            root_edges.push(p.key());
        }
        cat.packages.push(p);
    }
    // v1 does not say which top-level entries the root names; its package.json does.
    root_edges.sort();
    root_edges.dedup();
    root.dependencies = root_edges;
    cat.packages.insert(0, root);
    cat
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> Result<Catalog, ParseError> {
        parse(&ManifestFile { path, bytes: text.as_bytes() })
    }

    const V3: &str = r#"{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "version": "1.0.0",
      "dependencies": { "a": "^1", "lib": "*" }
    },
    "node_modules/a": {
      "version": "1.0.0",
      "integrity": "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
      "license": "MIT",
      "dependencies": { "b": "^2" }
    },
    "node_modules/a/node_modules/b": {
      "version": "2.0.0",
      "dev": true
    },
    "node_modules/b": {
      "version": "1.0.0"
    },
    "node_modules/lib": {
      "resolved": "libs/lib",
      "link": true
    },
    "libs/lib": {
      "name": "lib",
      "version": "0.1.0",
      "dependencies": { "b": "^1" }
    }
  }
}"#;

    #[test]
    fn v3_nested_resolution_links_and_projects() {
        let c = run("web/package-lock.json", V3).unwrap();
        let names: Vec<_> = c.packages.iter().map(|p| (p.name.as_str(), p.version.as_deref(), p.role)).collect();
        assert_eq!(names.len(), 5, "{names:?}");
        let root = &c.packages[0];
        assert_eq!((root.role, root.dir.as_deref()), (PackageRole::Project, Some("web")));
        assert_eq!(root.dependencies, vec!["pkg:npm/a@1.0.0", "pkg:npm/lib@0.1.0"]);
        let a = c.packages.iter().find(|p| p.name == "a").unwrap();
        assert_eq!(a.dependencies, vec!["pkg:npm/b@2.0.0"]);
        assert_eq!(a.line, Some(11));
        assert_eq!(a.direct, Some(true));
        assert_eq!(a.hashes[0].value, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        let lib = c.packages.iter().find(|p| p.name == "lib").unwrap();
        assert_eq!((lib.role, lib.dir.as_deref()), (PackageRole::Project, Some("web/libs/lib")));
        assert_eq!(lib.dependencies, vec!["pkg:npm/b@1.0.0"]);
        let b2 = c.packages.iter().find(|p| p.version.as_deref() == Some("2.0.0")).unwrap();
        assert_eq!((b2.scope, b2.direct), (Scope::Dev, Some(false)));
    }

    #[test]
    fn hidden_lockfile_gives_installed_folders() {
        let c = run("web/node_modules/.package-lock.json", V3).unwrap();
        assert!(c.packages.iter().all(|p| p.role == PackageRole::Dependency), "{:?}", c.packages);
        let b = c.packages.iter().find(|p| p.version.as_deref() == Some("2.0.0")).unwrap();
        assert_eq!(b.dir.as_deref(), Some("web/node_modules/a/node_modules/b"));
    }

    #[test]
    fn unknown_version_and_truncation_are_errors_with_lines() {
        let e = run("package-lock.json", "{\n  \"lockfileVersion\": 7,\n  \"packages\": {}\n}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("lockfileVersion 7"), "{e}");
        let e = run("package-lock.json", &V3[..200]).unwrap_err();
        assert!(e.message.contains("truncated"), "{e}");
        assert!(e.line.is_some());
    }
}
