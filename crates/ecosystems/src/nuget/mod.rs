//! .NET NuGet: `packages.lock.json` (v1 and v2, every target framework; `Direct`,
//! `Transitive`, `CentralTransitive` and `Project` entries), SDK project files
//! (`*.csproj`, `*.fsproj`, `*.vbproj`: the project, its package metadata and
//! `PackageReference`s), `Directory.Packages.props` (central versions),
//! `packages.config` and `*.nuspec` (license expression, license file, licenseUrl).
//!
//! A cataloger sees one file: a `PackageReference` whose version lives in
//! `Directory.Packages.props` or an MSBuild property stays unversioned here and merges by
//! name with the locked or centrally pinned package during assembly. Never runs dotnet or
//! nuget, never evaluates MSBuild beyond reading literal values.

#[cfg(test)]
mod fixture_tests;
pub mod resolve;

use super::xml::{self, Element};
use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, purl};
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Ecosystem;
use kataster_model::model::Scope;
use serde_json::Value;
use std::collections::HashMap;

pub const CATALOGER: Cataloger =
    Cataloger { name: "nuget", claims, parse, records: &["packages.lock.json", "project.assets.json"] };

const PROJECT_EXTENSIONS: &[&str] = &[".csproj", ".fsproj", ".vbproj"];

fn claims(_path: &str, name: &str) -> bool {
    name == "packages.lock.json"
        || name == "packages.config"
        || name.eq_ignore_ascii_case("Directory.Packages.props")
        || name.ends_with(".nuspec")
        || PROJECT_EXTENSIONS.iter().any(|e| name.ends_with(e))
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    let text = super::decode_text(file)?;
    if name == "packages.lock.json" {
        return parse_lock(file, &text);
    }
    let root = xml::parse(&text)?;
    if name == "packages.config" {
        parse_packages_config(&root)
    } else if name.ends_with(".nuspec") {
        parse_nuspec(file, &root)
    } else if name.eq_ignore_ascii_case("Directory.Packages.props") {
        parse_central_versions(&root)
    } else {
        parse_project(file, name, &root)
    }
}

/// A NuGet package (`pkg:nuget/Name@1.2.3`).
pub fn nuget_package(role: PackageRole, name: &str, version: Option<&str>) -> Package {
    let mut p = Package::new(role, Ecosystem::Nuget, name, version.map(str::to_string));
    p.purl = purl("nuget", None, name, version);
    p
}

/// A literal version: `1.2.3` or the exact range `[1.2.3]`; floating versions, ranges and
/// MSBuild properties are not versions of a package.
fn literal_version(v: &str) -> Option<&str> {
    let v = v.trim();
    let v = v.strip_prefix('[').and_then(|x| x.strip_suffix(']')).unwrap_or(v).trim();
    let ok = !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'));
    ok.then_some(v)
}

// ---------------------------------------------------------------------------------------
// packages.lock.json

fn parse_lock(file: &ManifestFile, text: &str) -> Result<Catalog, ParseError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| super::json_error(&e))?;
    let version_line = || text.find("\"version\"").map(|o| super::line_of_offset(text.as_bytes(), o));
    match doc.get("version").and_then(Value::as_u64) {
        Some(1 | 2) => {}
        Some(v) => {
            return Err(ParseError {
                line: version_line(),
                message: format!("packages.lock.json version {v} is not known (1 and 2 are)"),
            });
        }
        None => return Err(ParseError::new("no `version`: not a packages.lock.json")),
    }
    let frameworks = doc
        .get("dependencies")
        .and_then(Value::as_object)
        .ok_or_else(|| ParseError::new("no `dependencies` object of target frameworks"))?;
    let mut cat = Catalog::default();
    // The project this lockfile belongs to: the project file beside it names it.
    let mut me = Package::new(PackageRole::Project, Ecosystem::Nuget, "", None);
    me.dir = Some(file.dir().to_string());
    me.scope = Scope::Runtime;
    let mut index: HashMap<String, usize> = HashMap::new();
    let lines = super::JsonKeyLines::new(text, 3);
    for (tfm, entries) in frameworks {
        let Some(entries) = entries.as_object() else {
            cat.warnings.push(format!("target framework {tfm} is not an object; skipped"));
            continue;
        };
        // Name (case-insensitive) -> key within this framework.
        let keys: HashMap<String, String> = entries
            .iter()
            .map(|(name, e)| {
                let key = if e.get("type").and_then(Value::as_str) == Some("Project") {
                    nuget_package(PackageRole::Project, name, None).key()
                } else {
                    nuget_package(PackageRole::Dependency, name, e.get("resolved").and_then(Value::as_str)).key()
                };
                (name.to_ascii_lowercase(), key)
            })
            .collect();
        for (name, e) in entries {
            let line = lines.get(&["dependencies", tfm, name]);
            let kind = e.get("type").and_then(Value::as_str).unwrap_or("");
            let edges: Vec<String> = e
                .get("dependencies")
                .and_then(Value::as_object)
                .map(|m| m.keys().filter_map(|d| keys.get(&d.to_ascii_lowercase()).cloned()).collect())
                .unwrap_or_default();
            let mut p = if kind == "Project" {
                // A referenced project of the same build: merged by name with its project file.
                nuget_package(PackageRole::Project, name, None)
            } else {
                let Some(resolved) = e.get("resolved").and_then(Value::as_str) else {
                    cat.warnings.push(format!("{tfm}: {name} has no resolved version; skipped"));
                    continue;
                };
                if !matches!(kind, "Direct" | "Transitive" | "CentralTransitive") {
                    cat.warnings.push(format!("{tfm}: {name} has the unknown type {kind:?}"));
                }
                let mut p = nuget_package(PackageRole::Dependency, name, Some(resolved));
                p.direct = Some(kind == "Direct");
                // `contentHash` is the base64 SHA-512 of the package, as in an SRI string.
                if let Some(h) = e.get("contentHash").and_then(Value::as_str) {
                    p.hashes = super::sri_hashes(&format!("sha512-{h}"));
                }
                p
            };
            // The project's own edges: its direct packages and the projects it references.
            if kind == "Direct" || kind == "Project" {
                me.dependencies.push(p.key());
            }
            p.line = line;
            p.dependencies = edges;
            match index.get(&p.key()) {
                Some(&i) => {
                    // The same package under another framework: one package, edges joined.
                    let known = &mut cat.packages[i];
                    known.dependencies.extend(p.dependencies);
                    if known.role == PackageRole::Dependency {
                        known.direct = Some(known.direct == Some(true) || p.direct == Some(true));
                    }
                }
                None => {
                    index.insert(p.key(), cat.packages.len());
                    cat.packages.push(p);
                }
            }
        }
    }
    for p in &mut cat.packages {
        p.dependencies.sort();
        p.dependencies.dedup();
    }
    me.dependencies.sort();
    me.dependencies.dedup();
    cat.packages.insert(0, me);
    Ok(cat)
}

// ---------------------------------------------------------------------------------------
// Project files

/// The first literal value of a property in any `<PropertyGroup>`.
fn property<'a>(root: &'a Element, name: &str) -> Option<&'a str> {
    root.children_named("PropertyGroup").find_map(|g| g.child_text(name)).filter(|v| !v.contains("$("))
}

/// An item's metadata, given as an attribute or as a child element.
fn metadata<'a>(item: &'a Element, name: &str) -> Option<&'a str> {
    item.attr(name).or_else(|| item.child_text(name))
}

fn parse_project(file: &ManifestFile, file_name: &str, root: &Element) -> Result<Catalog, ParseError> {
    if root.name != "Project" {
        return Err(ParseError::at(root.line, format!("root element is <{}>, not <Project>", root.name)));
    }
    let stem = PROJECT_EXTENSIONS.iter().find_map(|e| file_name.strip_suffix(e)).unwrap_or(file_name);
    let name = property(root, "PackageId").or_else(|| property(root, "AssemblyName")).unwrap_or(stem);
    let version = property(root, "PackageVersion")
        .or_else(|| property(root, "Version"))
        .or_else(|| property(root, "VersionPrefix"))
        .and_then(literal_version);
    let mut cat = Catalog::default();
    let mut me = nuget_package(PackageRole::Project, name, version);
    me.dir = Some(file.dir().to_string());
    me.line = Some(root.line);
    me.scope = Scope::Runtime;
    me.supplier = property(root, "Company").or_else(|| property(root, "Authors")).map(str::to_string);
    if let Some(expr) = property(root, "PackageLicenseExpression") {
        me.declared_license = Some(DeclaredLicense::from_raw(expr));
    } else if let Some(url) = property(root, "PackageLicenseUrl") {
        me.declared_license = license_from_url(url);
    } else if let Some(f) = property(root, "PackageLicenseFile") {
        cat.warnings.push(format!("license given as a file ({f}) only; its text is detected with the project's files"));
    }
    let mut deps: Vec<Package> = Vec::new();
    for group in root.children_named("ItemGroup") {
        for item in group.children_named("PackageReference") {
            let Some(id) = item.attr("Include") else { continue };
            let version =
                metadata(item, "VersionOverride").or_else(|| metadata(item, "Version")).and_then(literal_version);
            let mut d = nuget_package(PackageRole::Dependency, id, version);
            d.direct = Some(true);
            d.line = Some(item.line);
            let private = metadata(item, "PrivateAssets").is_some_and(|v| v.eq_ignore_ascii_case("all"));
            d.scope = if private { Scope::Dev } else { Scope::Runtime };
            deps.push(d);
        }
    }
    cat.add_project(me, deps);
    Ok(cat)
}

/// `Directory.Packages.props`: the versions a repository pins centrally. A pin is a
/// package with a version and no project of its own; the projects' versionless
/// references merge into it.
fn parse_central_versions(root: &Element) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    for group in root.children_named("ItemGroup") {
        for item in &group.children {
            let global = item.name == "GlobalPackageReference";
            if item.name != "PackageVersion" && !global {
                continue;
            }
            let (Some(id), Some(raw)) = (item.attr("Include"), metadata(item, "Version")) else { continue };
            let Some(version) = literal_version(raw) else {
                cat.warnings.push(format!("line {}: {id} has no literal version ({raw})", item.line));
                continue;
            };
            let mut p = nuget_package(PackageRole::Dependency, id, Some(version));
            p.line = Some(item.line);
            if global {
                // Global references are build-time tools and analyzers of every project.
                p.scope = Scope::Dev;
                p.direct = Some(true);
            }
            cat.packages.push(p);
        }
    }
    Ok(cat)
}

fn parse_packages_config(root: &Element) -> Result<Catalog, ParseError> {
    if root.name != "packages" {
        return Err(ParseError::at(root.line, format!("root element is <{}>, not <packages>", root.name)));
    }
    let mut cat = Catalog::default();
    for item in root.children_named("package") {
        let (Some(id), Some(version)) = (item.attr("id"), item.attr("version")) else {
            cat.warnings.push(format!("line {}: <package> without id or version; skipped", item.line));
            continue;
        };
        let mut p = nuget_package(PackageRole::Dependency, id, Some(version));
        p.line = Some(item.line);
        let dev = item.attr("developmentDependency").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        p.scope = if dev { Scope::Dev } else { Scope::Runtime };
        cat.packages.push(p);
    }
    Ok(cat)
}

/// A license URL: `licenses.nuget.org/<expression>` is an expression; the placeholder
/// NuGet writes beside an expression says nothing; any other URL is kept as written.
fn license_from_url(url: &str) -> Option<DeclaredLicense> {
    let u = url.trim();
    if u.contains("aka.ms/deprecateLicenseUrl") {
        return None;
    }
    for prefix in ["https://licenses.nuget.org/", "http://licenses.nuget.org/"] {
        if let Some(expr) = u.strip_prefix(prefix) {
            return Some(DeclaredLicense::from_raw(&expr.replace("%20", " ").replace("%28", "(").replace("%29", ")")));
        }
    }
    Some(DeclaredLicense::from_raw(u))
}

fn parse_nuspec(file: &ManifestFile, root: &Element) -> Result<Catalog, ParseError> {
    let meta =
        root.child("metadata").ok_or_else(|| ParseError::at(root.line, "<package> has no <metadata>".to_string()))?;
    let id = meta.child_text("id").ok_or_else(|| ParseError::at(meta.line, "<metadata> has no <id>".to_string()))?;
    let version = meta.child_text("version").and_then(literal_version);
    // Restored packages (`packages/Id.1.2.3/Id.nuspec`, the global packages folder) are
    // installed dependencies; a nuspec elsewhere describes the project beside it.
    let installed = file.path.split('/').any(|s| s.eq_ignore_ascii_case("packages"));
    let role = if installed { PackageRole::Dependency } else { PackageRole::Project };
    let mut cat = Catalog::default();
    let mut me = nuget_package(role, id, version);
    me.dir = Some(file.dir().to_string());
    me.line = Some(meta.line);
    me.supplier = meta.child_text("authors").map(str::to_string);
    if let Some(lic) = meta.child("license") {
        match lic.attr("type").unwrap_or("expression") {
            "file" => cat.warnings.push(format!(
                "license given as a file ({}) only; its text is detected with the package's files",
                lic.text
            )),
            _ if !lic.text.is_empty() => me.declared_license = Some(DeclaredLicense::from_raw(&lic.text)),
            _ => {}
        }
    }
    if me.declared_license.is_none() {
        me.declared_license = meta.child_text("licenseUrl").and_then(license_from_url);
    }
    if installed {
        cat.packages.push(me);
        return Ok(cat);
    }
    me.scope = Scope::Runtime;
    let mut deps: Vec<Package> = Vec::new();
    if let Some(d) = meta.child("dependencies") {
        let items = d
            .children_named("dependency")
            .chain(d.children_named("group").flat_map(|g| g.children_named("dependency")));
        for item in items {
            let Some(dep_id) = item.attr("id") else { continue };
            if deps.iter().any(|p| p.name.eq_ignore_ascii_case(dep_id)) {
                continue;
            }
            let mut p = nuget_package(PackageRole::Dependency, dep_id, None);
            p.direct = Some(true);
            p.line = Some(item.line);
            deps.push(p);
        }
    }
    cat.add_project(me, deps);
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_claimed as run;

    #[test]
    fn literal_versions_only() {
        assert_eq!(literal_version("[13.0.3]"), Some("13.0.3"));
        assert_eq!(literal_version("1.0.0-beta.2"), Some("1.0.0-beta.2"));
        assert_eq!(literal_version("13.*"), None);
        assert_eq!(literal_version("[1.0, 2.0)"), None);
        assert_eq!(literal_version("$(Ver)"), None);
    }

    #[test]
    fn project_file_with_central_and_private_references() {
        let c = run(
            "src/App/App.csproj",
            r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework><Version>1.2.0</Version><PackageLicenseExpression>EUPL-1.2</PackageLicenseExpression></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Serilog" />
    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
    <PackageReference Include="StyleCop.Analyzers" Version="1.1.118"><PrivateAssets>all</PrivateAssets></PackageReference>
  </ItemGroup>
</Project>"#,
        )
        .unwrap();
        let me = &c.packages[0];
        assert_eq!((me.name.as_str(), me.purl.as_deref()), ("App", Some("pkg:nuget/App@1.2.0")));
        assert_eq!(me.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2"));
        let deps: Vec<_> = c.packages[1..].iter().map(|p| (p.key(), p.scope)).collect();
        assert_eq!(
            deps,
            vec![
                ("pkg:nuget/Serilog".to_string(), Scope::Runtime),
                ("pkg:nuget/Newtonsoft.Json@13.0.3".to_string(), Scope::Runtime),
                ("pkg:nuget/StyleCop.Analyzers@1.1.118".to_string(), Scope::Dev),
            ]
        );
    }

    #[test]
    fn unknown_lock_version_is_an_error_with_its_line() {
        let e = run("packages.lock.json", "{\n  \"version\": 3,\n  \"dependencies\": {}\n}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("version 3"), "{e}");
    }
}
