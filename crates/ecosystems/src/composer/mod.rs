//! PHP Composer: `composer.json` (the project, its `license`, `require` and `require-dev`),
//! `composer.lock` (every package of `packages` and `packages-dev`, with its licenses,
//! dist checksum and the edges of its `require`, resolved through `replace` and `provide`)
//! and `vendor/composer/installed.json` (what is installed, with install folders).
//!
//! A `composer.json` below a `vendor/` folder is an installed package, not a project.
//! Platform requirements (`php`, `ext-*`, `lib-*`, `composer-*`) are not packages. Never
//! runs composer, never asks Packagist.

#[cfg(test)]
mod fixture_tests;
pub mod resolve;

use super::{Catalog, Cataloger, LineCursor, ManifestFile, Package, PackageRole, ParseError, declared_any_of, purl};
use kataster_model::model::Ecosystem;
use kataster_model::model::{Hash, Scope};
use serde_json::{Map, Value};
use std::collections::HashMap;

pub const CATALOGER: Cataloger =
    Cataloger { name: "composer", claims, parse, records: &["composer.lock", "installed.json"] };

fn claims(path: &str, name: &str) -> bool {
    name == "composer.json" || name == "composer.lock" || path.ends_with("vendor/composer/installed.json")
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = super::decode_text(file)?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| super::json_error(&e))?;
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    match name {
        "composer.lock" => parse_lock(&text, &doc),
        "installed.json" => parse_installed(file, &text, &doc),
        _ => parse_manifest(file, &doc),
    }
}

/// `php`, `ext-json`, `lib-icu`, `composer-plugin-api`: provided by the platform.
fn is_platform(name: &str) -> bool {
    !name.contains('/')
        || name.starts_with("ext-")
        || name.starts_with("lib-")
        || name.starts_with("composer-")
        || name == "php"
        || name == "hhvm"
}

/// A Composer package: `vendor/name` becomes namespace and name of the purl.
fn composer_package(role: PackageRole, name: &str, version: Option<&str>) -> Package {
    let mut p = Package::new(role, Ecosystem::Composer, name, version.map(str::to_string));
    p.purl = match name.split_once('/') {
        Some((vendor, n)) => purl("composer", Some(vendor), n, version),
        None => purl("composer", None, name, version),
    };
    p
}

/// `license`: one name or a list that offers a choice; `proprietary` is Composer's word
/// for closed-source software.
fn license_of(entry: &Value) -> Option<kataster_model::license::DeclaredLicense> {
    let names: Vec<&str> = match entry.get("license")? {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    if let [one] = names.as_slice()
        && one.trim().eq_ignore_ascii_case("proprietary")
    {
        return Some(super::proprietary_license(one.trim()));
    }
    declared_any_of(&names)
}

fn requirement_names(entry: &Value, key: &str) -> Vec<String> {
    entry
        .get(key)
        .and_then(Value::as_object)
        .map(|m| m.keys().filter(|k| !is_platform(k)).map(|k| k.to_ascii_lowercase()).collect())
        .unwrap_or_default()
}

fn parse_manifest(file: &ManifestFile, doc: &Value) -> Result<Catalog, ParseError> {
    let obj = doc.as_object().ok_or_else(|| ParseError::new("composer.json is not a JSON object"))?;
    let mut cat = Catalog::default();
    let dir = file.dir();
    let installed = dir.split('/').any(|s| s == "vendor");
    let name = obj.get("name").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let name = match (name, installed) {
        (Some(n), _) => n,
        // A root project often has no name: the assembly gives it its folder's.
        (None, false) => String::new(),
        (None, true) => return Err(ParseError::new("installed composer.json has no name")),
    };
    let version = obj.get("version").and_then(Value::as_str);
    let role = if installed { PackageRole::Dependency } else { PackageRole::Project };
    let mut me = composer_package(role, &name, version);
    me.dir = Some(dir.to_string());
    me.declared_license = license_of(doc);
    me.supplier = first_author(doc);
    if installed {
        // Its requirements are its own business; the lockfile records the resolved graph.
        cat.packages.push(me);
        return Ok(cat);
    }
    me.scope = Scope::Runtime;
    let mut deps = Vec::new();
    for (key, scope) in [("require", Scope::Runtime), ("require-dev", Scope::Dev)] {
        for n in requirement_names(doc, key) {
            let mut d = composer_package(PackageRole::Dependency, &n, None);
            d.scope = scope;
            d.direct = Some(true);
            deps.push(d);
        }
    }
    cat.add_project(me, deps);
    Ok(cat)
}

fn first_author(entry: &Value) -> Option<String> {
    entry.get("authors")?.as_array()?.first()?.get("name")?.as_str().map(str::to_string)
}

/// Name (lower-case) -> key of the locked package that is, replaces or provides it.
fn resolver(entries: &[&Value]) -> HashMap<String, String> {
    let mut by_name = HashMap::new();
    for e in entries {
        let (Some(name), Some(version)) =
            (e.get("name").and_then(Value::as_str), e.get("version").and_then(Value::as_str))
        else {
            continue;
        };
        let key = composer_package(PackageRole::Dependency, &name.to_ascii_lowercase(), Some(version)).key();
        for alias_key in ["replace", "provide"] {
            if let Some(m) = e.get(alias_key).and_then(Value::as_object) {
                for alias in m.keys() {
                    by_name.entry(alias.to_ascii_lowercase()).or_insert_with(|| key.clone());
                }
            }
        }
        by_name.insert(name.to_ascii_lowercase(), key);
    }
    by_name
}

/// One locked or installed entry as a package, edges resolved.
fn entry_package(e: &Value, scope: Scope, by_name: &HashMap<String, String>) -> Option<Package> {
    let name = e.get("name").and_then(Value::as_str)?.to_ascii_lowercase();
    let version = e.get("version").and_then(Value::as_str)?;
    let mut p = composer_package(PackageRole::Dependency, &name, Some(version));
    p.scope = scope;
    p.declared_license = license_of(e);
    p.supplier = first_author(e);
    if let Some(sha) = e.pointer("/dist/shasum").and_then(Value::as_str)
        && sha.len() == 40
        && sha.bytes().all(|b| b.is_ascii_hexdigit())
    {
        p.hashes.push(Hash { alg: "SHA-1".into(), value: sha.to_ascii_lowercase() });
    }
    let mut edges: Vec<String> = requirement_names(e, "require")
        .iter()
        .filter_map(|n| by_name.get(n))
        .filter(|k| **k != p.key())
        .cloned()
        .collect();
    edges.sort();
    edges.dedup();
    p.dependencies = edges;
    Some(p)
}

fn entries<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<Vec<&'a Value>, ParseError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => Ok(a.iter().collect()),
        Some(_) => Err(ParseError::new(format!("`{key}` is not an array"))),
    }
}

fn parse_lock(text: &str, doc: &Value) -> Result<Catalog, ParseError> {
    let obj = doc.as_object().ok_or_else(|| ParseError::new("composer.lock is not a JSON object"))?;
    if !obj.contains_key("packages") && !obj.contains_key("content-hash") {
        return Err(ParseError::new("no `packages` or `content-hash`: not a composer.lock"));
    }
    let runtime = entries(obj, "packages")?;
    let dev = entries(obj, "packages-dev")?;
    let all: Vec<&Value> = runtime.iter().chain(dev.iter()).copied().collect();
    let by_name = resolver(&all);
    let mut cat = Catalog::default();
    let mut cursor = LineCursor::new(text);
    for (i, e) in all.iter().enumerate() {
        let scope = if i < runtime.len() { Scope::Runtime } else { Scope::Dev };
        let Some(mut p) = entry_package(e, scope, &by_name) else {
            cat.warnings.push(format!("locked package {} has no name or version; skipped", i + 1));
            continue;
        };
        let raw_name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        // composer writes `"name": "a/b"`; a generic JSON writer may escape the slash.
        p.line = cursor
            .find(&format!("\"name\": \"{raw_name}\""))
            .or_else(|| cursor.find(&format!("\"name\": \"{}\"", raw_name.replace('/', "\\/"))));
        cat.packages.push(p);
    }
    Ok(cat)
}

fn parse_installed(file: &ManifestFile, text: &str, doc: &Value) -> Result<Catalog, ParseError> {
    // Composer 2: {"packages": [...], "dev": bool, "dev-package-names": [...]}; Composer 1: [...].
    let (list, dev_names): (Vec<&Value>, Vec<String>) = match doc {
        Value::Array(a) => (a.iter().collect(), Vec::new()),
        Value::Object(o) => (
            entries(o, "packages")?,
            o.get("dev-package-names")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect())
                .unwrap_or_default(),
        ),
        _ => return Err(ParseError::new("installed.json is neither a list nor an object")),
    };
    let by_name = resolver(&list);
    // installed.json sits in vendor/composer/; install paths are relative to it.
    let composer_dir = file.dir();
    let vendor = composer_dir.rsplit_once('/').map(|(v, _)| v).unwrap_or("");
    let mut cat = Catalog::default();
    let mut cursor = LineCursor::new(text);
    for (i, e) in list.iter().enumerate() {
        let Some(mut p) = entry_package(e, Scope::Unknown, &by_name) else {
            cat.warnings.push(format!("installed package {} has no name or version; skipped", i + 1));
            continue;
        };
        if !dev_names.is_empty() {
            p.scope = if dev_names.contains(&p.name) { Scope::Dev } else { Scope::Runtime };
        }
        let raw_name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        p.line = cursor.find(&format!("\"name\": \"{raw_name}\""));
        let install = match e.get("install-path").and_then(Value::as_str) {
            Some(rel) => super::join_dir(composer_dir, rel),
            None => Some(if vendor.is_empty() { p.name.clone() } else { format!("{vendor}/{}", p.name) }),
        };
        p.dir = install;
        cat.packages.push(p);
    }
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_claimed as run;

    #[test]
    fn lock_resolves_edges_through_replace_and_provide() {
        let lock = r#"{
    "content-hash": "x",
    "packages": [
        {
            "name": "drupal/core",
            "version": "10.2.0",
            "require": {"php": ">=8.1", "ext-json": "*", "psr/log-implementation": "1.0", "drupal/core-utility": "10.2.0"},
            "replace": {"drupal/core-utility": "self.version"},
            "license": ["GPL-2.0-or-later"]
        },
        {
            "name": "monolog/monolog",
            "version": "3.5.0",
            "provide": {"psr/log-implementation": "3.0.0"},
            "dist": {"type": "zip", "url": "u", "reference": "r", "shasum": "0123456789ABCDEF0123456789abcdef01234567"},
            "license": ["MIT", "Apache-2.0"]
        }
    ],
    "packages-dev": [
        {"name": "phpunit/phpunit", "version": "10.5.3", "require": {"monolog/monolog": "^3"}, "license": "BSD-3-Clause"}
    ]
}"#;
        let c = run("composer.lock", lock).unwrap();
        assert_eq!(c.packages.len(), 3);
        let core = &c.packages[0];
        assert_eq!(core.purl.as_deref(), Some("pkg:composer/drupal/core@10.2.0"));
        assert_eq!(core.dependencies, vec!["pkg:composer/monolog/monolog@3.5.0".to_string()]);
        assert_eq!(core.line, Some(5));
        let mono = &c.packages[1];
        assert_eq!(mono.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(mono.hashes[0].value, "0123456789abcdef0123456789abcdef01234567");
        assert_eq!((c.packages[2].scope, c.packages[2].line), (Scope::Dev, Some(20)));
    }

    #[test]
    fn manifest_project_and_installed_copy() {
        let c = run(
            "web/composer.json",
            r#"{"license": "EUPL-1.2", "require": {"php": "^8.1", "Symfony/Console": "^6"}, "require-dev": {"phpunit/phpunit": "^10"}}"#,
        )
        .unwrap();
        assert_eq!((c.packages[0].role, c.packages[0].name.as_str()), (PackageRole::Project, ""));
        let deps: Vec<_> = c.packages[1..].iter().map(|p| (p.name.as_str(), p.scope)).collect();
        assert_eq!(deps, vec![("symfony/console", Scope::Runtime), ("phpunit/phpunit", Scope::Dev)]);
        let c = run("vendor/psr/log/composer.json", r#"{"name": "psr/log", "license": "MIT"}"#).unwrap();
        assert_eq!(c.packages.len(), 1);
        assert_eq!(
            (c.packages[0].role, c.packages[0].dir.as_deref()),
            (PackageRole::Dependency, Some("vendor/psr/log"))
        );
    }

    #[test]
    fn truncated_json_names_its_line() {
        let e = run("composer.lock", "{\n  \"packages\": [\n    {\"name\": \"a/b\",\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }
}
