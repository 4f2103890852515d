//! `package.json`: a project's manifest (its own package and the dependencies it names)
//! or, under `node_modules/`, an installed package.

use super::{alias_target, declared_license, installed_package_dir, npm_package};
use crate::{Catalog, ManifestFile, PackageRole, ParseError, json_error};
use kataster_model::model::Scope;
use serde_json::Value;

pub(super) fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let doc: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    if !doc.is_object() {
        return Err(ParseError::at(1, "package.json is not a JSON object"));
    }
    let name = doc.get("name").and_then(Value::as_str).unwrap_or("").trim();
    let version = doc.get("version").and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
    let mut cat = Catalog::default();

    if let Some(dir) = installed_package_dir(file.path) {
        if name.is_empty() {
            cat.warnings.push("installed package.json has no name; skipped".into());
            return Ok(cat);
        }
        let mut p = npm_package(PackageRole::Dependency, name, version);
        p.declared_license = declared_license(&doc);
        p.dir = Some(dir.to_string());
        p.line = Some(1);
        p.supplier = author(&doc);
        cat.packages.push(p);
        return Ok(cat);
    }

    let tables = [
        ("dependencies", Scope::Runtime),
        ("optionalDependencies", Scope::Optional),
        ("peerDependencies", Scope::Peer),
        ("devDependencies", Scope::Dev),
    ];
    let has_deps = tables.iter().any(|(t, _)| doc.get(t).is_some_and(Value::is_object));
    if name.is_empty() && version.is_none() && !has_deps && doc.get("workspaces").is_none() {
        // A folder marker such as `{"type": "module"}`: no project.
        return Ok(cat);
    }
    // A nameless manifest (a private app) is still a project; assembly names it after its folder.
    let mut project = npm_package(PackageRole::Project, name, version);
    if name.is_empty() {
        project.purl = None;
    }
    project.declared_license = declared_license(&doc);
    project.dir = Some(file.dir().to_string());
    project.line = Some(1);
    project.supplier = author(&doc);

    let mut deps = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (table, scope) in tables {
        let Some(map) = doc.get(table).and_then(Value::as_object) else { continue };
        for (key, spec) in map {
            let spec = spec.as_str().unwrap_or("");
            if !seen.insert(key.clone()) {
                // A name in both `dependencies` and `peerDependencies` counts once, as shipped.
                continue;
            }
            // `workspace:`, `file:` and `link:` specs name local folders; assembly turns a
            // requirement naming a project of the tree into an edge to that project.
            let real = alias_target(spec).map(|(n, _)| n).unwrap_or(key);
            let mut d = npm_package(PackageRole::Dependency, real, None);
            d.scope = scope;
            d.direct = Some(true);
            d.line = line_of_key(text, table, key);
            deps.push(d);
        }
    }
    deps.sort_by(|a, b| a.name.cmp(&b.name));
    project.dependencies = deps.iter().map(|d| d.key()).collect();
    cat.packages.push(project);
    cat.packages.extend(deps);
    Ok(cat)
}

fn author(doc: &Value) -> Option<String> {
    match doc.get("author")? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

/// The line of `"key":` inside the `"table": {` object of a pretty-printed manifest.
fn line_of_key(text: &str, table: &str, key: &str) -> Option<u32> {
    let start = text.find(&format!("\"{table}\""))?;
    let needle = format!("\"{key}\"");
    let off = text[start..].find(&needle)?;
    Some(crate::line_of_offset(text.as_bytes(), start + off))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> Result<Catalog, ParseError> {
        parse(&ManifestFile { path, bytes: text.as_bytes() })
    }

    #[test]
    fn project_with_scoped_requirements_aliases_and_local_links() {
        let c = run(
            "web/package.json",
            r#"{
  "name": "web",
  "version": "1.0.0",
  "license": "EUPL-1.2",
  "dependencies": { "isnum": "npm:is-number@^6.0.0", "shared": "workspace:*", "react": "^18" },
  "peerDependencies": { "react": "^18" },
  "devDependencies": { "jest": "^29" }
}"#,
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!(p.role, PackageRole::Project);
        assert_eq!(p.dir.as_deref(), Some("web"));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2"));
        let deps: Vec<_> = c.packages[1..].iter().map(|d| (d.name.as_str(), d.scope, d.line)).collect();
        assert_eq!(
            deps,
            vec![
                ("is-number", Scope::Runtime, Some(5)),
                ("jest", Scope::Dev, Some(7)),
                ("react", Scope::Runtime, Some(5)),
                ("shared", Scope::Runtime, Some(5))
            ]
        );
        assert_eq!(p.dependencies, vec!["pkg:npm/is-number", "pkg:npm/jest", "pkg:npm/react", "pkg:npm/shared"]);
    }

    #[test]
    fn installed_package_is_a_dependency_with_its_folder() {
        let c = run(
            "node_modules/@types/x/package.json",
            r#"{"name":"@types/x","version":"1.2.3","licenses":[{"type":"MIT"}]}"#,
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!(p.role, PackageRole::Dependency);
        assert_eq!(p.purl.as_deref(), Some("pkg:npm/%40types/x@1.2.3"));
        assert_eq!(p.dir.as_deref(), Some("node_modules/@types/x"));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT"));
    }

    #[test]
    fn markers_give_nothing_and_bad_json_names_the_line() {
        assert!(run("src/package.json", r#"{"type":"module"}"#).unwrap().packages.is_empty());
        let e = run("package.json", "{\n  \"name\": \"x\",\n  \"version\": \n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("truncated"), "{e}");
    }
}
