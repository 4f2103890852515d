//! Maven: `pom.xml` (the project with its coordinates, parent, properties and `${...}`
//! interpolation, licenses, dependencies with versions from the same file's
//! `dependencyManagement`, scopes) and the `META-INF/maven/<group>/<artifact>/` records
//! (`pom.properties`, `pom.xml`) that a packaged artifact carries inside the tree.
//!
//! A pom only sees itself: properties and managed versions inherited from a parent or an
//! imported BOM stay unknown, and such a dependency keeps no version (it merges later by
//! name with a locked sighting). Never runs Maven, never reads the local repository.
//! Multi-module builds: each module's own pom.xml is its own project.

#[cfg(test)]
mod fixture_tests;
pub mod resolve;

use super::xml::{self, Element};
use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, declared_any_of, purl};
use kataster_model::model::Ecosystem;
use kataster_model::model::Scope;
use std::collections::HashMap;

pub const CATALOGER: Cataloger = Cataloger { name: "maven", claims, parse, records: &[] };

fn claims(path: &str, name: &str) -> bool {
    name == "pom.xml" || (name == "pom.properties" && path.contains("META-INF/maven/"))
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = super::decode_text(file)?;
    if file.path.ends_with("pom.properties") {
        return parse_pom_properties(file, &text);
    }
    let root = xml::parse(&text)?;
    if root.name != "project" {
        return Err(ParseError::at(root.line, format!("root element is <{}>, not <project>", root.name)));
    }
    parse_pom(file, &root)
}

/// `group:artifact`, the name Maven users know a package by.
pub fn coordinates_name(group: Option<&str>, artifact: &str) -> String {
    match group {
        Some(g) if !g.is_empty() => format!("{g}:{artifact}"),
        _ => artifact.to_string(),
    }
}

/// A Maven package with its purl (`pkg:maven/group/artifact@version`).
pub fn maven_package(role: PackageRole, group: Option<&str>, artifact: &str, version: Option<&str>) -> Package {
    let mut p = Package::new(role, Ecosystem::Maven, coordinates_name(group, artifact), version.map(str::to_string));
    p.purl = purl("maven", group, artifact, version);
    p
}

/// The folder of an artifact that carries `META-INF/maven/...`, if the file is in one.
fn artifact_dir(path: &str) -> Option<Option<String>> {
    let i = path.find("META-INF/maven/")?;
    let dir = path[..i].trim_end_matches('/');
    Some(if dir.is_empty() { None } else { Some(dir.to_string()) })
}

/// Properties for `${...}`: the pom's `<properties>` and the project model values.
struct Props {
    map: HashMap<String, String>,
}

impl Props {
    /// Replace every `${name}`; `None` when one stays unknown (defined in a parent, the
    /// environment or settings).
    fn interpolate(&self, s: &str) -> Option<String> {
        interpolate(&self.map, s)
    }
}

/// Replace every `${name}` in `s` with its value in `map` (values may refer to others, up
/// to ten rounds); `None` when one stays unknown.
pub fn interpolate(map: &HashMap<String, String>, s: &str) -> Option<String> {
    let mut out = s.to_string();
    for _ in 0..10 {
        let Some(start) = out.find("${") else { return Some(out) };
        let end = start + out[start..].find('}')?;
        let value = map.get(&out[start + 2..end])?;
        out.replace_range(start..=end, value);
    }
    if out.contains("${") { None } else { Some(out) }
}

fn text_of<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.child_text(name)
}

fn parse_pom(file: &ManifestFile, root: &Element) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    let parent = root.child("parent");
    let parent_group = parent.and_then(|p| text_of(p, "groupId"));
    let parent_version = parent.and_then(|p| text_of(p, "version"));
    let artifact =
        text_of(root, "artifactId").ok_or_else(|| ParseError::at(root.line, "<project> has no <artifactId>"))?;
    let group = text_of(root, "groupId").or(parent_group);
    let version = text_of(root, "version").or(parent_version);

    let mut map: HashMap<String, String> = HashMap::new();
    if let Some(props) = root.child("properties") {
        for p in &props.children {
            map.insert(p.name.clone(), p.text.clone());
        }
    }
    let mut model = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            for prefix in ["project.", "pom.", ""] {
                map.entry(format!("{prefix}{key}")).or_insert_with(|| v.to_string());
            }
        }
    };
    model("groupId", group);
    model("artifactId", Some(artifact));
    model("version", version);
    model("parent.groupId", parent_group);
    model("parent.version", parent_version);
    model("parent.artifactId", parent.and_then(|p| text_of(p, "artifactId")));
    let props = Props { map };
    let resolve = |what: &str, raw: Option<&str>, line: u32, warnings: &mut Vec<String>| -> Option<String> {
        let raw = raw?;
        let v = props.interpolate(raw);
        if v.is_none() {
            warnings.push(format!("line {line}: {what} {raw} refers to a property this pom does not define"));
        }
        v
    };

    let group = resolve("groupId", group, root.line, &mut cat.warnings);
    let version = resolve("version", version, root.line, &mut cat.warnings);
    let artifact = props.interpolate(artifact).unwrap_or_else(|| artifact.to_string());
    let embedded = artifact_dir(file.path);
    let role = if embedded.is_some() { PackageRole::Dependency } else { PackageRole::Project };
    let mut me = maven_package(role, group.as_deref(), &artifact, version.as_deref());
    me.line = Some(root.line);
    me.dir = match &embedded {
        Some(dir) => dir.clone(),
        None => Some(file.dir().to_string()),
    };
    if role == PackageRole::Project {
        me.scope = Scope::Runtime;
    }
    if let Some(licenses) = root.child("licenses") {
        let names: Vec<&str> = licenses
            .children_named("license")
            .filter_map(|l| text_of(l, "name").or_else(|| text_of(l, "url")))
            .collect();
        me.declared_license = declared_any_of(&names);
    }
    me.supplier = root.child("organization").and_then(|o| text_of(o, "name")).map(str::to_string);

    if embedded.is_some() {
        // A packaged artifact's dependencies were resolved when it was built; what ships
        // with it is whatever else the tree holds.
        cat.packages.push(me);
        return Ok(cat);
    }

    // Versions and scopes managed in this pom.
    let mut managed: HashMap<(String, String), (Option<String>, Option<String>)> = HashMap::new();
    if let Some(deps) = root.path(&["dependencyManagement", "dependencies"]) {
        for d in deps.children_named("dependency") {
            let (Some(g), Some(a)) = (text_of(d, "groupId"), text_of(d, "artifactId")) else { continue };
            let (Some(g), Some(a)) = (props.interpolate(g), props.interpolate(a)) else { continue };
            let v = text_of(d, "version").and_then(|v| props.interpolate(v));
            managed.insert((g, a), (v, text_of(d, "scope").map(str::to_string)));
        }
    }

    if let Some(deps) = root.child("dependencies") {
        for d in deps.children_named("dependency") {
            let (Some(g), Some(a)) = (text_of(d, "groupId"), text_of(d, "artifactId")) else {
                cat.warnings.push(format!("line {}: <dependency> without groupId or artifactId; skipped", d.line));
                continue;
            };
            let (Some(g), Some(a)) = (props.interpolate(g), props.interpolate(a)) else {
                cat.warnings.push(format!("line {}: {g}:{a} refers to an undefined property; skipped", d.line));
                continue;
            };
            let managed = managed.get(&(g.clone(), a.clone()));
            let version = match text_of(d, "version") {
                Some(raw) => resolve(&format!("{g}:{a} version"), Some(raw), d.line, &mut cat.warnings),
                None => managed.and_then(|m| m.0.clone()),
            };
            // A version range (`[1.0,2.0)`) names no version; the build picks one.
            let version = version.filter(|v| !v.starts_with(['[', '(']));
            let scope = text_of(d, "scope").or_else(|| managed.and_then(|m| m.1.as_deref())).unwrap_or("compile");
            let scope = match scope {
                "compile" | "runtime" => Scope::Runtime,
                "test" | "provided" | "system" => Scope::Dev,
                // `import` only means something inside dependencyManagement.
                _ => Scope::Unknown,
            };
            let optional = text_of(d, "optional") == Some("true");
            let mut p = maven_package(PackageRole::Dependency, Some(&g), &a, version.as_deref());
            p.scope = if optional && scope == Scope::Runtime { Scope::Optional } else { scope };
            p.direct = Some(true);
            p.line = Some(d.line);
            me.dependencies.push(p.key());
            cat.packages.push(p);
        }
    }
    me.dependencies.sort();
    me.dependencies.dedup();
    cat.packages.insert(0, me);
    Ok(cat)
}

fn parse_pom_properties(file: &ManifestFile, text: &str) -> Result<Catalog, ParseError> {
    let mut values: HashMap<&str, (&str, u32)> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some((k, v)) = line.split_once(['=', ':']) else {
            return Err(ParseError::at(i as u32 + 1, format!("not a property line: {line:?}")));
        };
        values.insert(k.trim(), (v.trim(), i as u32 + 1));
    }
    let get = |k: &str| values.get(k).map(|(v, _)| *v).filter(|v| !v.is_empty());
    let artifact = get("artifactId").ok_or_else(|| ParseError::new("no artifactId property"))?;
    let mut p = maven_package(PackageRole::Dependency, get("groupId"), artifact, get("version"));
    p.line = values.get("artifactId").map(|(_, l)| *l);
    p.dir = artifact_dir(file.path).flatten();
    Ok(Catalog { packages: vec![p], ..Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_claimed as run;

    const POM: &str = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>2.1.0</version></parent>
  <artifactId>core</artifactId>
  <properties><guava.version>33.0.0-jre</guava.version><v>${guava.version}</v></properties>
  <licenses><license><name>The Apache Software License, Version 2.0</name></license></licenses>
  <dependencyManagement><dependencies>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>${v}</version></dependency>
    <dependency><groupId>${project.groupId}</groupId><artifactId>api</artifactId><version>${project.version}</version><optional>true</optional></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>${slf4j.version}</version><scope>provided</scope></dependency>
    <dependency><groupId>org.a</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version></dependency>
  </dependencies>
</project>
"#;

    #[test]
    fn pom_inherits_interpolates_and_maps_scopes() {
        let c = run("core/pom.xml", POM).unwrap();
        let me = &c.packages[0];
        assert_eq!(me.purl.as_deref(), Some("pkg:maven/org.example/core@2.1.0"));
        assert_eq!(me.name, "org.example:core");
        assert_eq!(me.dir.as_deref(), Some("core"));
        assert_eq!(me.declared_license.as_ref().unwrap().raw, "The Apache Software License, Version 2.0");
        let deps: Vec<_> =
            c.packages[1..].iter().map(|p| (p.purl.as_deref().unwrap(), p.scope, p.line.unwrap())).collect();
        assert_eq!(
            deps,
            vec![
                ("pkg:maven/com.google.guava/guava@33.0.0-jre", Scope::Runtime, 11),
                ("pkg:maven/org.example/api@2.1.0", Scope::Optional, 12),
                ("pkg:maven/junit/junit@4.13.2", Scope::Dev, 13),
                ("pkg:maven/org.slf4j/slf4j-api", Scope::Dev, 14),
                ("pkg:maven/org.a/ranged", Scope::Runtime, 15),
            ]
        );
        assert_eq!(me.dependencies.len(), 5);
        assert!(c.warnings.iter().any(|w| w.contains("slf4j.version")), "{:?}", c.warnings);
    }

    #[test]
    fn embedded_records_are_installed_packages() {
        let c = run(
            "lib/x/META-INF/maven/org.a/b/pom.properties",
            "#Generated\nversion=1.0\ngroupId=org.a\nartifactId=b\n",
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!(
            (p.role, p.purl.as_deref(), p.dir.as_deref()),
            (PackageRole::Dependency, Some("pkg:maven/org.a/b@1.0"), Some("lib/x"))
        );
        let c = run("lib/x/META-INF/maven/org.a/b/pom.xml", POM).unwrap();
        assert_eq!(c.packages.len(), 1);
        assert_eq!(c.packages[0].role, PackageRole::Dependency);
    }

    #[test]
    fn truncated_pom_names_the_line() {
        let e = run("pom.xml", &POM[..400]).unwrap_err();
        assert!(e.line.is_some() && e.message.contains("invalid XML"), "{e}");
    }
}
