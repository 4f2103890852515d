//! npm family: `package.json` (projects, workspaces, installed packages under
//! `node_modules/`), `package-lock.json` v1 to v3, `npm-shrinkwrap.json`, the hidden
//! `node_modules/.package-lock.json`, `yarn.lock` (classic and berry) and `pnpm-lock.yaml`
//! (v5 to v9).
//!
//! Owns the reading of these files into packages; never resolves a version range against
//! a registry, never reads a second file (a workspace member's `package.json` is its own
//! project, found by the walk).

#[cfg(test)]
mod fixture_tests;
mod package_json;
mod package_lock;
mod pnpm;
pub mod resolve;
mod yarn;

use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, purl};
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Ecosystem;
use serde_json::Value;

pub const CATALOGER: Cataloger = Cataloger {
    name: "npm",
    claims,
    parse,
    records: &[
        "package-lock.json",
        ".package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
    ],
};

fn claims(path: &str, name: &str) -> bool {
    let in_node_modules = path.split('/').any(|s| s == "node_modules");
    match name {
        "package.json" => !in_node_modules || installed_package_dir(path).is_some(),
        ".package-lock.json" => parent_name(path) == Some("node_modules"),
        "package-lock.json" | "npm-shrinkwrap.json" | "yarn.lock" | "pnpm-lock.yaml" => !in_node_modules,
        _ => false,
    }
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    match name {
        "package.json" => package_json::parse(file),
        "yarn.lock" => yarn::parse(file),
        "pnpm-lock.yaml" => pnpm::parse(file),
        _ => package_lock::parse(file),
    }
}

fn parent_name(path: &str) -> Option<&str> {
    let mut it = path.rsplit('/');
    it.next();
    it.next()
}

/// For `.../node_modules/NAME/package.json` or `.../node_modules/@SCOPE/NAME/package.json`,
/// the package folder; `None` for any other `package.json` under `node_modules` (files
/// inside a package, such as `lib/package.json`).
fn installed_package_dir(path: &str) -> Option<&str> {
    let dir = path.strip_suffix("/package.json")?;
    let segs: Vec<&str> = dir.split('/').collect();
    let n = segs.len();
    let named = |i: usize| segs.get(i).is_some_and(|s| !s.is_empty() && !s.starts_with('.'));
    if n >= 2 && segs[n - 2] == "node_modules" && named(n - 1) {
        return Some(dir);
    }
    if n >= 3 && segs[n - 3] == "node_modules" && segs[n - 2].starts_with('@') && named(n - 1) {
        return Some(dir);
    }
    None
}

/// The purl of an npm package: `@scope/name` puts the scope in the namespace.
pub(crate) fn npm_purl(name: &str, version: Option<&str>) -> Option<String> {
    match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
        Some((scope, base)) => purl("npm", Some(&format!("@{scope}")), base, version),
        None => purl("npm", None, name, version),
    }
}

/// A package with its purl set.
pub(crate) fn npm_package(role: PackageRole, name: &str, version: Option<&str>) -> Package {
    let mut p = Package::new(role, Ecosystem::Npm, name, version.map(str::to_string));
    p.purl = npm_purl(name, version);
    p
}

/// Split `name@range` (`@scope/name@range` too) at the version separator.
pub(crate) fn split_spec(spec: &str) -> (&str, &str) {
    let from = usize::from(spec.starts_with('@'));
    match spec[from..].find('@') {
        Some(i) => (&spec[..from + i], &spec[from + i + 1..]),
        None => (spec, ""),
    }
}

/// An alias spec `npm:real@range` (as in `"isnum": "npm:is-number@^6"`): the real name
/// and the rest.
pub(crate) fn alias_target(spec: &str) -> Option<(&str, &str)> {
    let rest = spec.strip_prefix("npm:")?;
    let (name, range) = split_spec(rest);
    (!name.is_empty() && !range.is_empty()).then_some((name, range))
}

/// The declared license of a `package.json`-shaped object: `license` as a string or a
/// legacy `{type, url}` object, or a legacy `licenses` array (alternatives, joined by OR).
/// `UNLICENSED` is npm's word for "no license granted".
pub(crate) fn declared_license(obj: &Value) -> Option<DeclaredLicense> {
    declared_license_of(obj.get("license"), obj.get("licenses"))
}

/// [`declared_license`] from the `license` and `licenses` values themselves.
pub(crate) fn declared_license_of(license: Option<&Value>, licenses: Option<&Value>) -> Option<DeclaredLicense> {
    let one = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Object(o) => o.get("type").and_then(Value::as_str).map(|s| s.trim().to_string()),
            _ => None,
        }
        .filter(|s| !s.is_empty())
    };
    let items: Vec<String> = match license {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => match licenses {
            Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
            Some(v) => one(v).into_iter().collect(),
            None => Vec::new(),
        },
    };
    match items.len() {
        0 => None,
        1 if items[0].eq_ignore_ascii_case("UNLICENSED") => Some(super::proprietary_license(&items[0])),
        1 => Some(DeclaredLicense::from_raw(&items[0])),
        // A legacy list of licenses: the package may be used under any of them.
        _ => super::declared_any_of(&items),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_manifests_locks_and_installed_package_roots_only() {
        assert!(claims("package.json", "package.json"));
        assert!(claims("app/node_modules/x/package.json", "package.json"));
        assert!(claims("node_modules/@types/node/package.json", "package.json"));
        assert!(claims("node_modules/.pnpm/a@1.0.0/node_modules/a/package.json", "package.json"));
        assert!(!claims("node_modules/x/lib/package.json", "package.json"));
        assert!(!claims("node_modules/.bin/package.json", "package.json"));
        assert!(claims("web/node_modules/.package-lock.json", ".package-lock.json"));
        assert!(!claims("node_modules/x/package-lock.json", "package-lock.json"));
        assert!(claims("yarn.lock", "yarn.lock") && claims("a/pnpm-lock.yaml", "pnpm-lock.yaml"));
    }

    #[test]
    fn purls_put_scopes_in_the_namespace() {
        assert_eq!(npm_purl("@babel/core", Some("7.0.0")).as_deref(), Some("pkg:npm/%40babel/core@7.0.0"));
        assert_eq!(npm_purl("left-pad", None).as_deref(), Some("pkg:npm/left-pad"));
        assert_eq!(split_spec("@a/b@^1"), ("@a/b", "^1"));
        assert_eq!(split_spec("x@npm:y@2"), ("x", "npm:y@2"));
        assert_eq!(alias_target("npm:@a/b@^1"), Some(("@a/b", "^1")));
    }

    #[test]
    fn licenses_in_every_historic_shape() {
        let l = |j: &str| declared_license(&serde_json::from_str(j).unwrap()).and_then(|d| d.expression);
        assert_eq!(l(r#"{"license":"MIT"}"#).as_deref(), Some("MIT"));
        assert_eq!(l(r#"{"license":{"type":"ISC","url":"x"}}"#).as_deref(), Some("ISC"));
        assert_eq!(l(r#"{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}"#).as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(l(r#"{"licenses":["MIT","GPL-2.0"]}"#).as_deref(), Some("MIT OR GPL-2.0-only"));
        assert_eq!(l(r#"{"license":"UNLICENSED"}"#).as_deref(), Some(super::super::PROPRIETARY));
        assert_eq!(l(r#"{"name":"x"}"#), None);
        // amdefine 0.0.8 as published: an imprecise name does not hide the other choice.
        let d = declared_license(&serde_json::json!({"licenses":[{"type":"BSD"},{"type":"MIT"}]})).unwrap();
        assert_eq!(d.raw, "BSD OR MIT");
        assert!(d.expression.as_deref().is_some_and(|e| e.ends_with(" OR MIT")), "{d:?}");
        assert!(d.inferred);
    }
}
