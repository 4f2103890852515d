//! Cargo: `Cargo.toml` (packages, workspaces, dependency tables, `license`,
//! `license-file`) and `Cargo.lock` (format v1 to v4).

#[cfg(test)]
mod fixture_tests;
pub mod resolve;

use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, purl};
use crate::toml_fast::toml_error;
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Ecosystem;
use kataster_model::model::{Hash, Scope};
use std::collections::HashMap;
use toml::{Table, Value};

pub const CATALOGER: Cataloger = Cataloger { name: "cargo", claims, parse, records: &["Cargo.lock"] };

fn claims(_path: &str, name: &str) -> bool {
    name == "Cargo.toml" || name == "Cargo.lock"
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    if file.path.ends_with("Cargo.lock") {
        return parse_lock(text, &super::toml_fast::parse_lockfile(text, super::toml_fast::keep_all)?);
    }
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    parse_manifest(file, text, &doc)
}

fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.find(needle).map(|o| super::line_of_offset(text.as_bytes(), o))
}

fn parse_manifest(file: &ManifestFile, text: &str, doc: &Table) -> Result<Catalog, ParseError> {
    let mut cat = Catalog {
        inherited_license: doc
            .get("workspace")
            .and_then(|w| w.get("package"))
            .and_then(|p| p.get("license"))
            .and_then(Value::as_str)
            .map(DeclaredLicense::from_raw),
        ..Default::default()
    };
    let Some(pkg) = doc.get("package").and_then(Value::as_table) else {
        if doc.contains_key("workspace") {
            // A virtual manifest: the members are projects of their own.
            return Ok(cat);
        }
        return Err(ParseError::new("no [package] or [workspace] table"));
    };
    let name = pkg.get("name").and_then(Value::as_str).ok_or_else(|| ParseError::new("[package] has no name"))?;
    let ws_pkg = doc.get("workspace").and_then(|w| w.get("package"));
    // `version.workspace = true` inherits from a workspace root we do not read; keep it unknown.
    let version = pkg
        .get("version")
        .and_then(Value::as_str)
        .or_else(|| ws_pkg.and_then(|w| w.get("version")).and_then(Value::as_str))
        .map(str::to_string);
    let mut project = Package::new(PackageRole::Project, Ecosystem::Cargo, name, version.clone());
    project.purl = purl("cargo", None, name, version.as_deref());
    project.line = line_of(text, "[package]");
    project.dir = Some(file.dir().to_string());
    let license = pkg
        .get("license")
        .and_then(Value::as_str)
        .or_else(|| ws_pkg.and_then(|w| w.get("license")).and_then(Value::as_str));
    if let Some(l) = license {
        project.declared_license = Some(DeclaredLicense::from_raw(l));
    } else if pkg.get("license").and_then(|l| l.get("workspace")).and_then(Value::as_bool) == Some(true) {
        project.declared_license =
            Some(DeclaredLicense { raw: super::INHERITS_WORKSPACE_LICENSE.into(), expression: None, inferred: false });
    } else if let Some(lf) = pkg.get("license-file").and_then(Value::as_str) {
        cat.warnings
            .push(format!("license given as a file ({lf}) only; its text is detected with the project's files"));
    }
    project.supplier = pkg
        .get("authors")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str)
        .map(str::to_string);

    let mut deps: Vec<Package> = Vec::new();
    let mut add_table = |table: Option<&Value>, scope: Scope| {
        let Some(t) = table.and_then(Value::as_table) else { return };
        for (key, spec) in t {
            // `foo = { package = "bar" }` renames; the package is `bar`.
            let real = spec.get("package").and_then(Value::as_str).unwrap_or(key);
            let optional = spec.get("optional").and_then(Value::as_bool).unwrap_or(false);
            let scope = if optional && scope == Scope::Runtime { Scope::Optional } else { scope };
            let mut d = Package::new(PackageRole::Dependency, Ecosystem::Cargo, real, None);
            d.scope = scope;
            d.direct = Some(true);
            deps.push(d);
        }
    };
    add_table(doc.get("dependencies"), Scope::Runtime);
    add_table(doc.get("build-dependencies"), Scope::Dev);
    add_table(doc.get("dev-dependencies"), Scope::Dev);
    if let Some(targets) = doc.get("target").and_then(Value::as_table) {
        for t in targets.values() {
            add_table(t.get("dependencies"), Scope::Runtime);
            add_table(t.get("build-dependencies"), Scope::Dev);
            add_table(t.get("dev-dependencies"), Scope::Dev);
        }
    }
    // One entry per name: a crate in both [dependencies] and [dev-dependencies] ships.
    deps.sort_by(|a, b| a.name.cmp(&b.name).then(a.scope.cmp(&b.scope)));
    deps.dedup_by(|a, b| a.name == b.name);
    project.dependencies = deps.iter().map(Package::key).collect();
    cat.packages.push(project);
    cat.packages.extend(deps);
    Ok(cat)
}

fn parse_lock(text: &str, doc: &Table) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    let version = doc.get("version").and_then(Value::as_integer);
    if let Some(v) = version
        && !(1..=4).contains(&v)
    {
        return Err(ParseError::at(
            line_of(text, "version").unwrap_or(1),
            format!("Cargo.lock format version {v} is not known (1 to 4 are)"),
        ));
    }
    let entries = match doc.get("package") {
        Some(Value::Array(a)) => a.as_slice(),
        None => &[],
        Some(_) => return Err(ParseError::new("`package` is not an array of tables")),
    };
    // v1 keeps checksums in [metadata]: "checksum NAME VERSION (SOURCE)" = "HASH".
    let v1_checksums = doc.get("metadata").and_then(Value::as_table);

    struct Entry<'a> {
        name: &'a str,
        version: &'a str,
        source: Option<&'a str>,
    }
    let mut parsed: Vec<Entry> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let name = e.get("name").and_then(Value::as_str);
        let version = e.get("version").and_then(Value::as_str);
        let (Some(name), Some(version)) = (name, version) else {
            cat.warnings.push(format!("[[package]] entry {} has no name or version; skipped", i + 1));
            continue;
        };
        parsed.push(Entry { name, version, source: e.get("source").and_then(Value::as_str) });
    }
    let key_of = |name: &str, version: &str| {
        purl("cargo", None, name, Some(version)).unwrap_or_else(|| format!("cargo:{name}@{version}"))
    };
    // The key of every locked (name, version): references resolve without building purls.
    let keys: HashMap<(&str, &str), String> =
        parsed.iter().map(|e| ((e.name, e.version), key_of(e.name, e.version))).collect();
    // A bare "name" reference is to the one version locked under that name (the first one).
    let mut by_name: HashMap<&str, String> = HashMap::new();
    for e in &parsed {
        if let Some(k) = keys.get(&(e.name, e.version)) {
            by_name.entry(e.name).or_insert_with(|| k.clone());
        }
    }
    // Resolve "name", "name version" and "name version (source)" references.
    let resolve = |dep: &str| -> Option<String> {
        let mut parts = dep.split_whitespace();
        let name = parts.next()?;
        match parts.next() {
            Some(v) => Some(keys.get(&(name, v)).cloned().unwrap_or_else(|| key_of(name, v))),
            None => by_name.get(name).cloned(),
        }
    };
    let mut lines = super::LineCursor::new(text);
    for (e, raw) in parsed.iter().zip(entries.iter().filter(|e| e.get("name").is_some() && e.get("version").is_some()))
    {
        let is_member = e.source.is_none();
        let role = if is_member { PackageRole::Project } else { PackageRole::Dependency };
        let mut p = Package::new(role, Ecosystem::Cargo, e.name, Some(e.version.to_string()));
        p.purl = keys.get(&(e.name, e.version)).and_then(|k| super::purl_of_key(k));
        let needle = format!("name = \"{}\"\nversion = \"{}\"", e.name, e.version);
        p.line = lines.find(&needle);
        let checksum = raw.get("checksum").and_then(Value::as_str).map(str::to_string).or_else(|| {
            let src = e.source?;
            v1_checksums?
                .get(&format!("checksum {} {} ({})", e.name, e.version, src))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        if let Some(c) = checksum.filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit())) {
            p.hashes.push(Hash { alg: "SHA-256".into(), value: c.to_ascii_lowercase() });
        }
        if let Some(src) = e.source
            && !src.starts_with("registry+")
            && !src.starts_with("sparse+")
        {
            cat.warnings.push(format!("{} {} comes from {src}", e.name, e.version));
        }
        if let Some(deps) = raw.get("dependencies").and_then(Value::as_array) {
            p.dependencies = deps.iter().filter_map(Value::as_str).filter_map(resolve).collect();
        }
        cat.packages.push(p);
    }
    // Direct dependencies are those of the workspace members.
    let direct: std::collections::HashSet<String> = cat
        .packages
        .iter()
        .filter(|p| p.role == PackageRole::Project)
        .flat_map(|p| p.dependencies.iter().cloned())
        .collect();
    for p in cat.packages.iter_mut().filter(|p| p.role == PackageRole::Dependency) {
        p.direct = Some(direct.contains(&p.key()));
    }
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> Result<Catalog, ParseError> {
        parse(&ManifestFile { path, bytes: text.as_bytes() })
    }

    #[test]
    fn manifest_gives_project_and_direct_dependencies() {
        let c = run(
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"MIT/Apache-2.0\"\n\n[dependencies]\nserde = \"1\"\nrand = { version = \"0.8\", optional = true }\n[dev-dependencies]\ninsta = \"1\"\n",
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!(p.role, PackageRole::Project);
        assert_eq!(p.purl.as_deref(), Some("pkg:cargo/app@0.1.0"));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(p.dir.as_deref(), Some("app"));
        let deps: Vec<_> = c.packages[1..].iter().map(|d| (d.name.as_str(), d.scope)).collect();
        assert_eq!(deps, vec![("insta", Scope::Dev), ("rand", Scope::Optional), ("serde", Scope::Runtime)]);
    }

    #[test]
    fn lock_gives_every_package_with_edges_and_checksums() {
        let lock = "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"itoa\",\n]\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.11\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"49f1f14873335454500d59611f1cf4a4b0f786f9ac11f4312a78e4cf2566695b\"\n";
        let c = run("Cargo.lock", lock).unwrap();
        assert_eq!(c.packages.len(), 2);
        assert_eq!(c.packages[0].role, PackageRole::Project);
        assert_eq!(c.packages[0].dependencies, vec!["pkg:cargo/itoa@1.0.11".to_string()]);
        assert_eq!(c.packages[1].direct, Some(true));
        assert_eq!(c.packages[1].line, Some(11));
        assert_eq!(c.packages[1].hashes[0].alg, "SHA-256");
    }

    #[test]
    fn corrupt_and_unknown_versions_are_errors_with_lines() {
        let e = run("Cargo.lock", "version = 3\n[[package]\nname = \"x\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = run("Cargo.lock", "version = 9\n").unwrap_err();
        assert!(e.message.contains("version 9"), "{e}");
    }
}
