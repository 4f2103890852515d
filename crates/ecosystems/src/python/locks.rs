//! Lockfiles: `poetry.lock` (lock-version 1.x and 2.x), `uv.lock` (version 1) and
//! `Pipfile.lock` (pipfile-spec 6). Each lists every resolved package once per version
//! (uv and Poetry lock one package at several versions when markers fork the resolution).

use super::{normalize_name, pip_hash, pypi_package};
use crate::{Catalog, JsonKeyLines, LineCursor, ManifestFile, Package, PackageRole, ParseError, join_dir, json_error};
use kataster_model::model::Scope;
use serde_json::Value as Json;
use std::collections::HashMap;
use toml::{Table, Value};

fn line_of(text: &str, needle: &str) -> u32 {
    text.find(needle).map_or(1, |o| crate::line_of_offset(text.as_bytes(), o))
}

/// Keys of every locked version of each normalized name.
fn keys_by_name(packages: &[Package]) -> HashMap<String, Vec<String>> {
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for p in packages {
        m.entry(p.name.clone()).or_default().push(p.key());
    }
    m
}

/// The parts of a poetry.lock the cataloger never reads: file lists and descriptions.
fn poetry_keeps(path: &[String], key: &str) -> bool {
    match path {
        [p] if p == "package" => !matches!(key, "files" | "description" | "python-versions"),
        [m, f] if m == "metadata" && f == "files" => false,
        _ => true,
    }
}

/// The parts of a uv.lock the cataloger never reads: wheel lists and package metadata.
fn uv_keeps(path: &[String], key: &str) -> bool {
    match path {
        [p] if p == "package" => !matches!(key, "wheels" | "resolution-markers"),
        [p, m, ..] if p == "package" && m == "metadata" => false,
        _ => true,
    }
}

pub(super) fn parse_poetry_lock(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let doc: Table = crate::toml_fast::parse_lockfile(text, poetry_keeps)?;
    let version = doc.get("metadata").and_then(|m| m.get("lock-version")).and_then(Value::as_str).unwrap_or("1.0");
    if !matches!(version.split('.').next(), Some("1" | "2")) {
        return Err(ParseError::at(
            line_of(text, "lock-version"),
            format!("poetry.lock lock-version {version} is not known (1.x and 2.x are)"),
        ));
    }
    let entries = doc.get("package").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut cat = Catalog::default();
    let mut cursor = LineCursor::new(text);
    let mut deps_of: Vec<Vec<String>> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let (Some(name), Some(ver)) = (e.get("name").and_then(Value::as_str), e.get("version").and_then(Value::as_str))
        else {
            cat.warnings.push(format!("[[package]] entry {} has no name or version; skipped", i + 1));
            continue;
        };
        let mut p = pypi_package(PackageRole::Dependency, name, Some(ver));
        p.line = cursor.find(&format!("name = \"{name}\"\nversion = \"{ver}\""));
        let groups: Vec<&str> = e
            .get("groups")
            .and_then(Value::as_array)
            .map(|g| g.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let category = e.get("category").and_then(Value::as_str);
        let optional = e.get("optional").and_then(Value::as_bool).unwrap_or(false);
        p.scope = if optional {
            Scope::Optional
        } else if groups.contains(&"main") || category == Some("main") {
            Scope::Runtime
        } else if !groups.is_empty() || category == Some("dev") {
            Scope::Dev
        } else {
            Scope::Unknown
        };
        if let Some(src) = e.get("source").and_then(Value::as_table)
            && let Some(kind @ ("git" | "directory" | "file" | "url")) = src.get("type").and_then(Value::as_str)
        {
            cat.warnings.push(format!("{name} {ver} comes from a {kind} source, not a package index"));
        }
        let deps =
            e.get("dependencies").and_then(Value::as_table).map(|t| t.keys().map(|k| normalize_name(k)).collect());
        deps_of.push(deps.unwrap_or_default());
        cat.packages.push(p);
    }
    let by_name = keys_by_name(&cat.packages);
    for (p, deps) in cat.packages.iter_mut().zip(deps_of) {
        let mut edges: Vec<String> = deps.iter().filter_map(|d| by_name.get(d)).flatten().cloned().collect();
        edges.sort();
        edges.dedup();
        p.dependencies = edges;
    }
    Ok(cat)
}

pub(super) fn parse_uv_lock(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let doc: Table = crate::toml_fast::parse_lockfile(text, uv_keeps)?;
    match doc.get("version").and_then(Value::as_integer) {
        Some(1) => {}
        other => {
            return Err(ParseError::at(
                line_of(text, "version"),
                format!(
                    "uv.lock version {} is not known (1 is)",
                    other.map_or("missing".to_string(), |v| v.to_string())
                ),
            ));
        }
    }
    let entries = doc.get("package").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut cat = Catalog::default();
    let mut cursor = LineCursor::new(text);
    // (dependency tables with their scope) per package, resolved once all keys are known.
    let mut pending: Vec<Vec<(&Value, Scope)>> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(name) = e.get("name").and_then(Value::as_str) else {
            cat.warnings.push(format!("[[package]] entry {} has no name; skipped", i + 1));
            continue;
        };
        let version = e.get("version").and_then(Value::as_str);
        let source = e.get("source").and_then(Value::as_table);
        let local = source.and_then(|s| s.get("editable").or_else(|| s.get("virtual"))).and_then(Value::as_str);
        let mut p = match local {
            Some(path) => {
                let mut p = super::pypi_project(name, version, &join_dir(file.dir(), path).unwrap_or_default());
                p.dir = join_dir(file.dir(), path);
                p
            }
            None => pypi_package(PackageRole::Dependency, name, version),
        };
        p.line = match version {
            Some(v) => cursor.find(&format!("name = \"{name}\"\nversion = \"{v}\"")),
            None => cursor.find(&format!("[[package]]\nname = \"{name}\"")),
        };
        if let Some(h) = e.get("sdist").and_then(|s| s.get("hash")).and_then(Value::as_str).and_then(pip_hash) {
            p.hashes.push(h);
        }
        let mut tables: Vec<(&Value, Scope)> = Vec::new();
        if let Some(d) = e.get("dependencies") {
            tables.push((d, Scope::Runtime));
        }
        for (key, scope) in [("optional-dependencies", Scope::Optional), ("dev-dependencies", Scope::Dev)] {
            if let Some(groups) = e.get(key).and_then(Value::as_table) {
                tables.extend(groups.values().map(|g| (g, scope)));
            }
        }
        pending.push(tables);
        cat.packages.push(p);
    }
    let by_name = keys_by_name(&cat.packages);
    // Keys of the locked (name, version) pairs, so that an edge needs no new purl.
    let by_version: HashMap<(String, String), String> =
        cat.packages.iter().filter_map(|p| Some(((p.name.clone(), p.version.clone()?), p.key()))).collect();
    let mut direct: HashMap<String, Scope> = HashMap::new();
    for (p, tables) in cat.packages.iter_mut().zip(pending) {
        let mut edges = Vec::new();
        for (list, scope) in tables {
            for d in list.as_array().map(Vec::as_slice).unwrap_or(&[]) {
                let Some(n) = d.get("name").and_then(Value::as_str) else { continue };
                let n = normalize_name(n);
                let targets: Vec<String> = match d.get("version").and_then(Value::as_str) {
                    Some(v) => vec![match by_version.get(&(n.clone(), v.to_string())) {
                        Some(k) => k.clone(),
                        None => pypi_package(PackageRole::Dependency, &n, Some(v)).key(),
                    }],
                    // No version: the name is locked once.
                    None => by_name.get(&n).cloned().unwrap_or_default(),
                };
                for k in targets {
                    if p.role == PackageRole::Project {
                        let s = direct.entry(k.clone()).or_insert(scope);
                        *s = s.widest(scope);
                    }
                    edges.push(k);
                }
            }
        }
        edges.sort();
        edges.dedup();
        p.dependencies = edges;
    }
    for p in cat.packages.iter_mut().filter(|p| p.role == PackageRole::Dependency) {
        match direct.get(&p.key()) {
            Some(&s) => {
                p.direct = Some(true);
                p.scope = s;
            }
            None => p.direct = Some(false),
        }
    }
    Ok(cat)
}

pub(super) fn parse_pipfile_lock(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let doc: Json = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let spec = doc.get("_meta").and_then(|m| m.get("pipfile-spec")).and_then(Json::as_u64);
    if spec != Some(6) {
        return Err(ParseError::at(
            line_of(text, "pipfile-spec"),
            format!(
                "Pipfile.lock pipfile-spec {} is not known (6 is)",
                spec.map_or("missing".to_string(), |s| s.to_string())
            ),
        ));
    }
    let lines = JsonKeyLines::new(text, 2);
    let mut cat = Catalog::default();
    for (section, scope) in [("default", Scope::Runtime), ("develop", Scope::Dev)] {
        let Some(entries) = doc.get(section).and_then(Json::as_object) else { continue };
        for (name, e) in entries {
            let version = e
                .get("version")
                .and_then(Json::as_str)
                .map(|v| v.trim_start_matches("==="))
                .map(|v| v.trim_start_matches("=="))
                .or_else(|| e.get("ref").and_then(Json::as_str));
            let mut p = pypi_package(PackageRole::Dependency, name, version);
            p.scope = scope;
            p.line = lines.get(&[section, name]);
            p.hashes = e
                .get("hashes")
                .and_then(Json::as_array)
                .map(|h| h.iter().filter_map(Json::as_str).filter_map(pip_hash).collect())
                .unwrap_or_default();
            // Many wheels, many hashes: they identify files, not the package; keep the first.
            p.hashes.truncate(1);
            cat.packages.push(p);
        }
    }
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uv_projects_forks_and_direct_scopes() {
        let text = "version = 1\nrevision = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [\n    { name = \"idna\" },\n]\n\n[package.dev-dependencies]\ndev = [\n    { name = \"six\", version = \"1.17.0\" },\n]\n\n[[package]]\nname = \"idna\"\nversion = \"3.10\"\nsource = { registry = \"https://pypi.org/simple\" }\nsdist = { url = \"https://x/idna-3.10.tar.gz\", hash = \"sha256:da39a3ee5e6b4b0d3255bfef95601890afd80709da39a3ee5e6b4b0d3255bfef\" }\n\n[[package]]\nname = \"six\"\nversion = \"1.17.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        let c = parse_uv_lock(&ManifestFile { path: "svc/uv.lock", bytes: text.as_bytes() }).unwrap();
        assert_eq!(c.packages.len(), 3);
        assert_eq!((c.packages[0].role, c.packages[0].dir.as_deref()), (PackageRole::Project, Some("svc")));
        assert_eq!(c.packages[0].dependencies, vec!["pkg:pypi/idna@3.10", "pkg:pypi/six@1.17.0"]);
        assert_eq!(
            (c.packages[1].scope, c.packages[1].direct, c.packages[1].line),
            (Scope::Runtime, Some(true), Some(18))
        );
        assert_eq!(c.packages[1].hashes[0].alg, "SHA-256");
        assert_eq!(c.packages[2].scope, Scope::Dev);
        let e = parse_uv_lock(&ManifestFile { path: "uv.lock", bytes: b"version = 7\n" }).unwrap_err();
        assert!(e.message.contains("version 7"), "{e}");
    }

    #[test]
    fn poetry_groups_and_unknown_lock_versions() {
        let text = "[[package]]\nname = \"Requests\"\nversion = \"2.0\"\ngroups = [\"main\"]\n\n[package.dependencies]\ncharset_normalizer = \">=2\"\n\n[[package]]\nname = \"charset-normalizer\"\nversion = \"3.0\"\noptional = false\ngroups = [\"dev\"]\n\n[metadata]\nlock-version = \"2.1\"\n";
        let c = parse_poetry_lock(&ManifestFile { path: "poetry.lock", bytes: text.as_bytes() }).unwrap();
        assert_eq!(c.packages[0].name, "requests");
        assert_eq!(c.packages[0].dependencies, vec!["pkg:pypi/charset-normalizer@3.0"]);
        assert_eq!((c.packages[1].scope, c.packages[1].line), (Scope::Dev, Some(10)));
        let e =
            parse_poetry_lock(&ManifestFile { path: "poetry.lock", bytes: b"[metadata]\nlock-version = \"9.0\"\n" })
                .unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
