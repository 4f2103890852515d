//! Python: `requirements*.txt`, `pyproject.toml` (PEP 621, Poetry, uv, PDM), `setup.cfg`,
//! `Pipfile`, the lockfiles `poetry.lock`, `uv.lock` and `Pipfile.lock`, and installed
//! metadata (`*.dist-info/METADATA`, `PKG-INFO`).
//!
//! Owns reading these files into packages. Names are normalized as PEP 503 says
//! (`Foo_Bar` → `foo-bar`) so that a lockfile, a requirements file and an installed copy
//! of one package meet under one key. Never follows `-r`/`-c` includes (each file is read
//! on its own, the included one by the walk), never evaluates markers, never builds a
//! package to learn its metadata.

#[cfg(test)]
mod fixture_tests;
mod licenses;
mod locks;
mod manifests;
mod metadata;
mod requirements;
pub mod resolve;

use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, purl};
use kataster_model::model::Ecosystem;

pub const CATALOGER: Cataloger =
    Cataloger { name: "pypi", claims, parse, records: &["poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock"] };

const INSTALL_DIRS: &[&str] = &["site-packages", "dist-packages"];

fn claims(path: &str, name: &str) -> bool {
    let parent = path.rsplit('/').nth(1).unwrap_or("");
    match name {
        "METADATA" => parent.ends_with(".dist-info"),
        "PKG-INFO" => true,
        "pyproject.toml" | "setup.cfg" | "Pipfile" | "Pipfile.lock" | "poetry.lock" | "uv.lock" => {
            !path.split('/').any(|s| INSTALL_DIRS.contains(&s))
        }
        _ => is_requirements_name(name, parent) && !path.split('/').any(|s| INSTALL_DIRS.contains(&s)),
    }
}

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/*.txt`.
/// Constraints files are not claimed: they narrow versions, they add no package.
fn is_requirements_name(name: &str, parent: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else {
        return false;
    };
    stem.starts_with("requirements") || stem.ends_with("requirements") || parent == "requirements"
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    match name {
        "METADATA" | "PKG-INFO" => metadata::parse(file),
        "pyproject.toml" => manifests::parse_pyproject(file),
        "setup.cfg" => manifests::parse_setup_cfg(file),
        "Pipfile" => manifests::parse_pipfile(file),
        "Pipfile.lock" => locks::parse_pipfile_lock(file),
        "poetry.lock" => locks::parse_poetry_lock(file),
        "uv.lock" => locks::parse_uv_lock(file),
        _ => requirements::parse(file),
    }
}

/// PEP 503: lower case, runs of `-`, `_` and `.` become one `-`.
pub(crate) fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// A PyPI package with its normalized name and purl.
pub(crate) fn pypi_package(role: PackageRole, name: &str, version: Option<&str>) -> Package {
    let norm = normalize_name(name);
    let version = version.map(str::trim).filter(|v| !v.is_empty());
    let mut p = Package::new(role, Ecosystem::Pypi, norm.clone(), version.map(str::to_string));
    p.purl = purl("pypi", None, &norm, version);
    p
}

/// A project package: the name as written (a project is shown as its authors name it),
/// the purl normalized.
pub(crate) fn pypi_project(name: &str, version: Option<&str>, dir: &str) -> Package {
    let version = version.map(str::trim).filter(|v| !v.is_empty());
    let mut p = Package::new(PackageRole::Project, Ecosystem::Pypi, name.trim(), version.map(str::to_string));
    p.purl = if name.trim().is_empty() { None } else { purl("pypi", None, &normalize_name(name), version) };
    p.dir = Some(dir.to_string());
    p
}

/// A PEP 508 requirement: its name and, when pinned with `==`/`===`, its version.
#[derive(Debug, PartialEq)]
pub(crate) struct Requirement<'a> {
    pub name: &'a str,
    pub pinned: Option<&'a str>,
    /// The requirement points at a URL (`name @ https://...`).
    pub url: Option<&'a str>,
}

pub(crate) fn parse_requirement(spec: &str) -> Option<Requirement<'_>> {
    let spec = spec.split(';').next()?.trim();
    let end = spec.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(spec.len());
    let name = &spec[..end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut rest = spec[end..].trim_start();
    if rest.starts_with('[') {
        rest = rest.split_once(']').map(|(_, r)| r.trim_start()).unwrap_or("");
    }
    if let Some(url) = rest.strip_prefix('@') {
        return Some(Requirement { name, pinned: None, url: Some(url.trim()) });
    }
    let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
    let pinned = match rest.strip_prefix("===").or_else(|| rest.strip_prefix("==")) {
        Some(v) => {
            let v = v.trim();
            (!v.is_empty() && !v.contains([',', '*', ' '])).then_some(v)
        }
        None => None,
    };
    Some(Requirement { name, pinned, url: None })
}

/// `sha256:HEX` as pip, Pipfile.lock and uv write hashes.
pub(crate) fn pip_hash(s: &str) -> Option<kataster_model::model::Hash> {
    let (alg, hex) = s.trim().split_once([':', '='])?;
    super::hex_hash(alg, hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalize_as_pep_503_says() {
        assert_eq!(normalize_name("Foo__Bar.baz"), "foo-bar-baz");
        assert_eq!(normalize_name("charset_normalizer"), "charset-normalizer");
        assert_eq!(normalize_name("Django"), "django");
        let p = pypi_package(PackageRole::Dependency, "Zope.Interface", Some("6.0"));
        assert_eq!(p.purl.as_deref(), Some("pkg:pypi/zope-interface@6.0"));
    }

    #[test]
    fn requirements_of_every_shape() {
        let r = |s| parse_requirement(s);
        assert_eq!(r("requests==2.31.0").unwrap().pinned, Some("2.31.0"));
        assert_eq!(r("requests[socks] == 2.31.0 ; python_version<'3.10'").unwrap().pinned, Some("2.31.0"));
        assert_eq!(r("six>=1.0").unwrap(), Requirement { name: "six", pinned: None, url: None });
        assert_eq!(r("foo==1.*").unwrap().pinned, None);
        assert_eq!(r("pkg @ https://x/pkg-1.0.whl").unwrap().url, Some("https://x/pkg-1.0.whl"));
        assert_eq!(r("charset_normalizer (>=2,<4)").unwrap().name, "charset_normalizer");
        assert_eq!(r("./local"), None);
    }

    #[test]
    fn claims_python_files_only() {
        assert!(claims("requirements.txt", "requirements.txt"));
        assert!(claims("a/requirements-dev.txt", "requirements-dev.txt"));
        assert!(claims("a/dev-requirements.txt", "dev-requirements.txt"));
        assert!(claims("requirements/base.txt", "base.txt"));
        assert!(!claims("docs/notes.txt", "notes.txt"));
        assert!(claims("venv/lib/python3.11/site-packages/six-1.17.0.dist-info/METADATA", "METADATA"));
        assert!(!claims("docs/METADATA", "METADATA"));
        assert!(!claims("venv/lib/site-packages/x/pyproject.toml", "pyproject.toml"));
    }
}
