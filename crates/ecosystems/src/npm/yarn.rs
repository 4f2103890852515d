//! `yarn.lock`, classic (v1, yarn's own indented format) and berry (v2+, a YAML subset
//! with a `__metadata` entry). Both are read line by line: entries are blocks whose
//! header lists the specs (`name@range`) they satisfy, fields are indented by two spaces
//! and dependency maps by four. One pass, no YAML tree, lines for free.

use super::{alias_target, npm_package, split_spec};
use crate::{Catalog, ManifestFile, Package, PackageRole, ParseError, hex_hash, join_dir, sri_hashes};
use kataster_model::model::Ecosystem;
use std::collections::{HashMap, HashSet};

/// The newest berry `__metadata.version` this reader has seen; later ones are refused
/// rather than misread.
const BERRY_MAX_VERSION: u64 = 10;

/// Name, version, and the folder of a workspace entry.
type Ident = (String, Option<String>, Option<String>);

#[derive(Default)]
struct Entry<'a> {
    specs: Vec<String>,
    line: u32,
    version: Option<&'a str>,
    resolution: Option<String>,
    integrity: Option<&'a str>,
    resolved: Option<String>,
    /// (name, range) of `dependencies` and `optionalDependencies`.
    deps: Vec<(String, String)>,
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => s.to_string(),
    }
}

pub(super) fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let berry = text.lines().any(|l| l.starts_with("__metadata:"));
    if !berry
        && let Some(l) = text.lines().take(5).find(|l| l.starts_with("# yarn lockfile v"))
        && l.trim() != "# yarn lockfile v1"
    {
        return Err(ParseError::at(
            text.lines().position(|x| x == l).map_or(1, |i| i as u32 + 1),
            format!("unknown yarn lockfile version ({})", l.trim_start_matches("# ").trim()),
        ));
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut section: Option<&str> = None;
    let mut in_metadata = false;
    for (i, raw) in text.lines().enumerate() {
        let no = i as u32 + 1;
        let line = raw.trim_end();
        if line.trim_start().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        match indent {
            0 => {
                let Some(header) = body.strip_suffix(':') else {
                    return Err(ParseError::at(no, format!("expected an entry header ending in ':', found {body:?}")));
                };
                section = None;
                in_metadata = header == "__metadata";
                if in_metadata {
                    continue;
                }
                let quoted = |s: &str| s.trim().starts_with('"') || s.trim().ends_with('"');
                let balanced = |s: &str| {
                    !quoted(s) || (s.trim().len() > 1 && s.trim().starts_with('"') && s.trim().ends_with('"'))
                };
                let raw: Vec<&str> = if berry { vec![header] } else { header.split(", ").collect() };
                if let Some(bad) = raw.iter().find(|s| !balanced(s)) {
                    return Err(ParseError::at(no, format!("unbalanced quotes in the entry header {bad:?}")));
                }
                let specs: Vec<String> = if berry {
                    unquote(header).split(", ").map(str::to_string).collect()
                } else {
                    raw.iter().map(|s| unquote(s)).collect()
                };
                if let Some(bad) = specs.iter().find(|s| s.get(1..).is_none_or(|rest| !rest.contains('@'))) {
                    return Err(ParseError::at(no, format!("{bad:?} is not a package and range (`name@range`)")));
                }
                entries.push(Entry { specs, line: no, ..Default::default() });
            }
            2 => {
                let (key, value) = field(body, berry);
                if in_metadata {
                    if key == "version" {
                        match value.trim().parse::<u64>() {
                            Ok(v) if (1..=BERRY_MAX_VERSION).contains(&v) => {}
                            _ => {
                                return Err(ParseError::at(
                                    no,
                                    format!(
                                        "unknown yarn.lock __metadata version {value:?} (1 to {BERRY_MAX_VERSION} are known)"
                                    ),
                                ));
                            }
                        }
                    }
                    continue;
                }
                let Some(e) = entries.last_mut() else {
                    return Err(ParseError::at(no, "a field before any entry"));
                };
                section = None;
                match (key, value) {
                    (k, "") => section = Some(k),
                    ("version", v) => e.version = Some(v.trim_matches('"')),
                    ("resolution", v) => e.resolution = Some(unquote(v)),
                    ("resolved", v) => e.resolved = Some(unquote(v)),
                    ("integrity", v) => e.integrity = Some(v.trim_matches('"')),
                    _ => {}
                }
            }
            4 => {
                if in_metadata {
                    continue;
                }
                if matches!(section, Some("dependencies" | "optionalDependencies"))
                    && let Some(e) = entries.last_mut()
                {
                    let (k, v) = field(body, berry);
                    e.deps.push((unquote(k), unquote(v)));
                }
            }
            n if n % 2 == 0 => {}
            _ => return Err(ParseError::at(no, format!("unexpected indentation of {indent} spaces"))),
        }
    }
    Ok(build(file, entries, berry))
}

/// Split a field line: `key value` (classic) or `key: value` (berry).
fn field(body: &str, berry: bool) -> (&str, &str) {
    if let Some(k) = body.strip_suffix(':') {
        return (k.trim_matches('"'), "");
    }
    let split = if berry { body.split_once(": ") } else { split_classic(body) };
    match split {
        Some((k, v)) => (k.trim_matches('"'), v.trim()),
        None => (body, ""),
    }
}

/// A classic field: the key is a quoted string or runs to the first space.
fn split_classic(body: &str) -> Option<(&str, &str)> {
    if let Some(rest) = body.strip_prefix('"') {
        let end = rest.find('"')?;
        return Some((&body[..end + 2], &rest[end + 1..]));
    }
    body.split_once(' ')
}

fn build(file: &ManifestFile, entries: Vec<Entry>, berry: bool) -> Catalog {
    let mut cat = Catalog::default();
    // (name, version, project dir) of each entry.
    let mut idents: Vec<Option<Ident>> = Vec::with_capacity(entries.len());
    for e in &entries {
        let ident = if berry { berry_identity(file, e) } else { classic_identity(e) };
        if ident.is_none() {
            cat.warnings.push(format!(
                "line {}: entry {:?} has no name or version; skipped",
                e.line,
                e.specs.join(", ")
            ));
        }
        idents.push(ident);
    }
    let key_of = |(name, version, dir): &Ident| {
        let role = if dir.is_some() { PackageRole::Project } else { PackageRole::Dependency };
        npm_package(role, name, version.as_deref()).key()
    };
    let keys: Vec<Option<String>> = idents.iter().map(|i| i.as_ref().map(key_of)).collect();
    let mut by_spec: HashMap<&str, &str> = HashMap::new();
    for (e, k) in entries.iter().zip(&keys) {
        if let Some(k) = k {
            for s in &e.specs {
                by_spec.insert(s.as_str(), k.as_str());
            }
        }
    }
    let mut spec = String::new();
    let mut resolve = |name: &str, range: &str| -> Option<String> {
        for alias in ["", "npm:"] {
            spec.clear();
            spec.push_str(name);
            spec.push('@');
            spec.push_str(alias);
            spec.push_str(range);
            if let Some(k) = by_spec.get(spec.as_str()) {
                return Some(k.to_string());
            }
        }
        None
    };
    let mut direct: HashSet<String> = HashSet::new();
    for ((e, ident), key) in entries.iter().zip(idents).zip(&keys) {
        let (Some((name, version, dir)), Some(key)) = (ident, key) else { continue };
        let role = if dir.is_some() { PackageRole::Project } else { PackageRole::Dependency };
        let mut p = Package::new(role, Ecosystem::Npm, name, version);
        p.purl = crate::purl_of_key(key);
        p.dir = dir;
        p.line = Some(e.line);
        if let Some(i) = e.integrity {
            p.hashes = sri_hashes(i);
        } else if let Some(sha1) = e.resolved.as_deref().and_then(|r| r.rsplit_once('#')).map(|(_, h)| h) {
            p.hashes.extend(hex_hash("sha1", sha1));
        }
        let mut edges: Vec<String> = e.deps.iter().filter_map(|(n, r)| resolve(n, r)).collect();
        edges.sort();
        edges.dedup();
        if role == PackageRole::Project {
            direct.extend(edges.iter().cloned());
        }
        p.dependencies = edges;
        cat.packages.push(p);
    }
    if berry {
        for p in cat.packages.iter_mut().filter(|p| p.role == PackageRole::Dependency) {
            p.direct = Some(direct.contains(&p.key()));
        }
    }
    cat
}

/// Classic: the name is in the specs (`name@range`, or `alias@npm:real@range`).
fn classic_identity(e: &Entry) -> Option<Ident> {
    let spec = e.specs.first()?;
    let (name, range) = split_spec(spec);
    let name = alias_target(range).map(|(real, _)| real).unwrap_or(name);
    let version = e.version?;
    (!name.is_empty()).then(|| (name.to_string(), Some(version.to_string()), None))
}

/// Berry: `resolution: "name@protocol:reference"`; `workspace:` entries are projects.
fn berry_identity(file: &ManifestFile, e: &Entry) -> Option<Ident> {
    let resolution = e.resolution.as_deref().or(e.specs.first().map(String::as_str))?;
    let (name, reference) = split_spec(resolution);
    if name.is_empty() {
        return None;
    }
    if let Some(path) = reference.strip_prefix("workspace:") {
        return Some((name.to_string(), None, Some(join_dir(file.dir(), path).unwrap_or_default())));
    }
    let version = e.version.map(str::to_string).filter(|v| !v.is_empty())?;
    Some((name.to_string(), Some(version), None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kataster_model::model::Scope;

    fn run(text: &str) -> Result<Catalog, ParseError> {
        parse(&ManifestFile { path: "app/yarn.lock", bytes: text.as_bytes() })
    }

    #[test]
    fn classic_entries_aliases_and_edges() {
        let c = run(r#"# yarn lockfile v1


"@babel/a@^7.0.0", "@babel/a@^7.1.0":
  version "7.2.0"
  resolved "https://registry.yarnpkg.com/@babel/a/-/a-7.2.0.tgz#da39a3ee5e6b4b0d3255bfef95601890afd80709"
  dependencies:
    b "^1.0.0"

b@^1.0.0:
  version "1.0.1"
  integrity sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=

"isnum@npm:is-number@^6.0.0":
  version "6.0.0"
"#)
        .unwrap();
        let got: Vec<_> = c.packages.iter().map(|p| (p.name.as_str(), p.version.as_deref(), p.line)).collect();
        assert_eq!(
            got,
            vec![
                ("@babel/a", Some("7.2.0"), Some(4)),
                ("b", Some("1.0.1"), Some(10)),
                ("is-number", Some("6.0.0"), Some(14))
            ]
        );
        assert_eq!(c.packages[0].dependencies, vec!["pkg:npm/b@1.0.1"]);
        assert_eq!(c.packages[0].hashes[0].alg, "SHA-1");
        assert_eq!(c.packages[1].hashes[0].value, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(c.packages[0].scope, Scope::Unknown);
    }

    #[test]
    fn berry_workspaces_are_projects_and_give_direct_edges() {
        let c = run(r#"__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    b: "npm:^1.0.0"
  languageName: unknown
  linkType: soft

"b@npm:^1.0.0":
  version: 1.0.1
  resolution: "b@npm:1.0.1"
  checksum: 10c0/abc
  languageName: node
  linkType: hard
"#)
        .unwrap();
        assert_eq!(c.packages.len(), 2);
        assert_eq!((c.packages[0].role, c.packages[0].dir.as_deref()), (PackageRole::Project, Some("app")));
        assert_eq!(c.packages[0].dependencies, vec!["pkg:npm/b@1.0.1"]);
        assert_eq!(c.packages[1].direct, Some(true));
    }

    #[test]
    fn unknown_versions_and_broken_structure_are_errors() {
        let e = run("__metadata:\n  version: 99\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = run("# yarn lockfile v3\n").unwrap_err();
        assert!(e.message.contains("unknown yarn lockfile version"), "{e}");
        let e = run("# yarn lockfile v1\n\na@^1:\n  version \"1\"\n garbage\n").unwrap_err();
        assert_eq!(e.line, Some(5));
        let e = run("# yarn lockfile v1\n\n\"a@^1:\n  version \"1\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("unbalanced quotes"), "{e}");
        let e = run("# yarn lockfile v1\n\nleft-pad:\n  version \"1\"\n").unwrap_err();
        assert!(e.message.contains("not a package and range"), "{e}");
    }
}
