//! Project manifests: `pyproject.toml` (PEP 621 `[project]`, PEP 735 `[dependency-groups]`,
//! `[tool.poetry]`, `[tool.uv]`, `[tool.pdm]`), `setup.cfg` and `Pipfile`. Each gives the
//! project (with its declared license) and the requirements it names, without versions
//! unless pinned: the lockfile beside it knows what was resolved.

use super::licenses::{classifier_license, license_from_text};
use super::{parse_requirement, pypi_package, pypi_project};
use crate::toml_fast::toml_error;
use crate::{Catalog, ManifestFile, Package, PackageRole, ParseError};
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Scope;
use toml::{Table, Value};

fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.find(needle).map(|o| crate::line_of_offset(text.as_bytes(), o))
}

/// The line of the first occurrence of `word` that is not part of a longer name.
fn line_of_word(text: &str, word: &str) -> Option<u32> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_name) && !after.is_some_and(is_name) {
            return Some(crate::line_of_offset(text.as_bytes(), at));
        }
        from = at + word.len();
    }
    None
}

/// Requirements collected from a manifest, one per name (the widest scope wins).
#[derive(Default)]
struct Requirements(Vec<Package>);

impl Requirements {
    fn add(&mut self, text: &str, name: &str, pinned: Option<&str>, scope: Scope) {
        let mut p = pypi_package(PackageRole::Dependency, name, pinned);
        if p.name.is_empty() || p.name == "python" {
            return;
        }
        if let Some(existing) = self.0.iter_mut().find(|e| e.name == p.name) {
            existing.scope = existing.scope.widest(scope);
            return;
        }
        p.scope = scope;
        p.direct = Some(true);
        p.line = line_of_word(text, name);
        self.0.push(p);
    }

    fn add_pep508(&mut self, text: &str, spec: &str, scope: Scope) {
        if let Some(r) = parse_requirement(spec) {
            self.add(text, r.name, r.pinned, scope);
        }
    }

    fn finish(mut self, mut project: Package, cat: &mut Catalog) {
        self.0.sort_by(|a, b| a.name.cmp(&b.name));
        project.dependencies = self.0.iter().map(Package::key).collect();
        cat.packages.push(project);
        cat.packages.extend(self.0);
    }
}

pub(super) fn parse_pyproject(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut cat = Catalog::default();
    let project = doc.get("project").and_then(Value::as_table);
    let tool = doc.get("tool").and_then(Value::as_table);
    let poetry = tool.and_then(|t| t.get("poetry")).and_then(Value::as_table);
    let groups = doc.get("dependency-groups").and_then(Value::as_table);
    let uv_dev = tool.and_then(|t| t.get("uv")).and_then(|u| u.get("dev-dependencies")).and_then(Value::as_array);
    if project.is_none() && poetry.is_none() && groups.is_none() && uv_dev.is_none() {
        // Tool configuration only (black, ruff, pytest): no project here.
        return Ok(cat);
    }
    let get = |key: &str| {
        project.and_then(|p| p.get(key)).or_else(|| poetry.and_then(|p| p.get(key))).and_then(Value::as_str)
    };
    let mut p = pypi_project(get("name").unwrap_or(""), get("version"), file.dir());
    p.line = line_of(text, "[project]").or_else(|| line_of(text, "[tool.poetry]")).or(Some(1));
    p.declared_license = pyproject_license(project, poetry);
    if p.declared_license.is_none() {
        let classifiers: Vec<&str> = project
            .and_then(|t| t.get("classifiers"))
            .or_else(|| poetry.and_then(|t| t.get("classifiers")))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        p.declared_license = classifier_license(&classifiers);
    }
    p.supplier = project
        .and_then(|t| t.get("authors"))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|a| a.get("name").and_then(Value::as_str).or(a.as_str()))
        .or_else(|| poetry.and_then(|t| t.get("authors")).and_then(Value::as_array)?.first()?.as_str())
        .map(str::to_string);

    let mut reqs = Requirements::default();
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    if let Some(proj) = project {
        for s in strings(proj.get("dependencies")) {
            reqs.add_pep508(text, &s, Scope::Runtime);
        }
        if let Some(extras) = proj.get("optional-dependencies").and_then(Value::as_table) {
            for list in extras.values() {
                for s in strings(Some(list)) {
                    reqs.add_pep508(text, &s, Scope::Optional);
                }
            }
        }
    }
    if let Some(g) = groups {
        // `{include-group = "x"}` entries repeat another group: its requirements are already here.
        for list in g.values() {
            for s in strings(Some(list)) {
                reqs.add_pep508(text, &s, Scope::Dev);
            }
        }
    }
    for s in strings(tool.and_then(|t| t.get("uv")).and_then(|u| u.get("dev-dependencies"))) {
        reqs.add_pep508(text, &s, Scope::Dev);
    }
    if let Some(pdm) = tool.and_then(|t| t.get("pdm")).and_then(|p| p.get("dev-dependencies")).and_then(Value::as_table)
    {
        for list in pdm.values() {
            for s in strings(Some(list)) {
                reqs.add_pep508(text, &s, Scope::Dev);
            }
        }
    }
    if let Some(po) = poetry {
        let mut table = |t: Option<&Value>, scope: Scope| {
            let Some(t) = t.and_then(Value::as_table) else { return };
            for (name, spec) in t {
                let optional = spec.get("optional").and_then(Value::as_bool).unwrap_or(false);
                let scope = if optional && scope == Scope::Runtime { Scope::Optional } else { scope };
                let pinned = spec.as_str().and_then(|v| v.strip_prefix("==").or(Some(v))).filter(|v| is_exact(v));
                reqs.add(text, name, pinned, scope);
            }
        };
        table(po.get("dependencies"), Scope::Runtime);
        table(po.get("dev-dependencies"), Scope::Dev);
        if let Some(gs) = po.get("group").and_then(Value::as_table) {
            for g in gs.values() {
                table(g.get("dependencies"), Scope::Dev);
            }
        }
    }
    reqs.finish(p, &mut cat);
    Ok(cat)
}

/// A Poetry version constraint that pins one version (`1.2.3`, not `^1.2`, `*`, `>=1`).
fn is_exact(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_digit()) && !v.contains(['*', ',', ' ', '<', '>', '|'])
}

/// PEP 621 / PEP 639 `license`: an SPDX string, or a `{text = ...}` table; `{file = ...}`
/// names a file whose text the detectors read. Poetry: a string.
fn pyproject_license(project: Option<&Table>, poetry: Option<&Table>) -> Option<DeclaredLicense> {
    let raw = match project.and_then(|p| p.get("license")) {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Table(t)) => t.get("text").and_then(Value::as_str),
        _ => None,
    }
    .or_else(|| poetry.and_then(|p| p.get("license")).and_then(Value::as_str))?;
    let raw = raw.trim();
    (!raw.is_empty()).then(|| license_from_text(raw))
}

/// `setup.cfg`: `[metadata]` (name, version, license, classifiers) and `[options]`
/// `install_requires`, `[options.extras_require]`, `tests_require`.
pub(super) fn parse_setup_cfg(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let ini = parse_ini(text)?;
    let mut cat = Catalog::default();
    let get = |sec: &str, key: &str| -> Option<&str> {
        ini.iter().find(|(s, k, _, _)| s == sec && k.replace('-', "_") == key).map(|(_, _, v, _)| v.as_str())
    };
    let Some(name) = get("metadata", "name") else {
        // Configuration for tools only (flake8, isort...).
        return Ok(cat);
    };
    // `attr:` and `file:` point elsewhere: the version is not in this file.
    let version = get("metadata", "version").filter(|v| !v.contains(':'));
    let mut p = pypi_project(name, version, file.dir());
    p.line = line_of(text, "[metadata]");
    let classifiers: Vec<&str> =
        get("metadata", "classifiers").map(|c| c.lines().map(str::trim).collect()).unwrap_or_default();
    p.declared_license = get("metadata", "license")
        .filter(|l| !l.trim().is_empty() && !l.contains("file:"))
        .map(license_from_text)
        .filter(|d| d.expression.is_some() || classifiers.is_empty())
        .or_else(|| classifier_license(&classifiers));
    p.supplier = get("metadata", "author").map(str::to_string);
    let mut reqs = Requirements::default();
    let mut add_lines = |v: Option<&str>, scope: Scope| {
        for l in v.unwrap_or("").lines().flat_map(|l| l.split(';').next()).map(str::trim) {
            if !l.is_empty() && !l.starts_with('#') {
                reqs.add_pep508(text, l, scope);
            }
        }
    };
    add_lines(get("options", "install_requires"), Scope::Runtime);
    add_lines(get("options", "tests_require"), Scope::Dev);
    add_lines(get("options", "setup_requires"), Scope::Dev);
    for (_, _, v, _) in ini.iter().filter(|(s, _, _, _)| s == "options.extras_require") {
        add_lines(Some(v), Scope::Optional);
    }
    reqs.finish(p, &mut cat);
    Ok(cat)
}

/// A small INI reader: `[section]`, `key = value` or `key: value`, indented continuation
/// lines, `#`/`;` comments. Entries as (section, key, value, line).
fn parse_ini(text: &str) -> Result<Vec<(String, String, String, u32)>, ParseError> {
    let mut out: Vec<(String, String, String, u32)> = Vec::new();
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let no = i as u32 + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            match out.last_mut() {
                Some(last) if last.0 == section => {
                    last.2.push('\n');
                    last.2.push_str(t);
                    continue;
                }
                _ => return Err(ParseError::at(no, "continuation line without a key")),
            }
        }
        if let Some(s) = t.strip_prefix('[') {
            let Some(name) = s.strip_suffix(']') else {
                return Err(ParseError::at(no, format!("unterminated section header {t:?}")));
            };
            section = name.trim().to_string();
            continue;
        }
        let Some(sep) = t.find(['=', ':']) else {
            return Err(ParseError::at(no, format!("expected `key = value`, found {t:?}")));
        };
        out.push((section.clone(), t[..sep].trim().to_string(), t[sep + 1..].trim().to_string(), no));
    }
    Ok(out)
}

/// `Pipfile`: `[packages]` and `[dev-packages]`. A Pipfile names no project; assembly
/// gives the folder's project (or the folder's name) to it.
pub(super) fn parse_pipfile(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let doc: Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut cat = Catalog::default();
    let mut p = pypi_project("", None, file.dir());
    p.line = Some(1);
    let mut reqs = Requirements::default();
    for (section, scope) in [("packages", Scope::Runtime), ("dev-packages", Scope::Dev)] {
        let Some(t) = doc.get(section).and_then(Value::as_table) else { continue };
        for (name, spec) in t {
            let v = spec.as_str().or_else(|| spec.get("version").and_then(Value::as_str)).unwrap_or("");
            let pinned = v.strip_prefix("==").filter(|v| is_exact(v));
            reqs.add(text, name, pinned, scope);
        }
    }
    reqs.finish(p, &mut cat);
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> Result<Catalog, ParseError> {
        match path.rsplit('/').next().unwrap() {
            "setup.cfg" => parse_setup_cfg(&ManifestFile { path, bytes: text.as_bytes() }),
            "Pipfile" => parse_pipfile(&ManifestFile { path, bytes: text.as_bytes() }),
            _ => parse_pyproject(&ManifestFile { path, bytes: text.as_bytes() }),
        }
    }

    #[test]
    fn pep621_with_extras_and_groups() {
        let c = run(
            "svc/pyproject.toml",
            "[project]\nname = \"Melde_Register\"\nversion = \"1.0\"\nlicense = {text = \"MIT\"}\ndependencies = [\"requests>=2\", \"Six==1.16.0\"]\n[project.optional-dependencies]\ncli = [\"click\"]\n[dependency-groups]\ndev = [\"pytest\", {include-group = \"x\"}]\n",
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!((p.name.as_str(), p.purl.as_deref()), ("Melde_Register", Some("pkg:pypi/melde-register@1.0")));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT"));
        let d: Vec<_> =
            c.packages[1..].iter().map(|d| (d.name.as_str(), d.version.as_deref(), d.scope, d.line)).collect();
        assert_eq!(
            d,
            vec![
                ("click", None, Scope::Optional, Some(7)),
                ("pytest", None, Scope::Dev, Some(9)),
                ("requests", None, Scope::Runtime, Some(5)),
                ("six", Some("1.16.0"), Scope::Runtime, Some(5)),
            ]
        );
    }

    #[test]
    fn poetry_tables_and_tool_only_files() {
        let c = run(
            "pyproject.toml",
            "[tool.poetry]\nname = \"x\"\nversion = \"0.1\"\nlicense = \"Apache-2.0\"\n[tool.poetry.dependencies]\npython = \"^3.9\"\nrequests = \"^2\"\nattrs = { version = \"23.1.0\", optional = true }\n[tool.poetry.group.test.dependencies]\npytest = \"8.0.0\"\n",
        )
        .unwrap();
        let d: Vec<_> = c.packages[1..].iter().map(|d| (d.name.as_str(), d.version.as_deref(), d.scope)).collect();
        assert_eq!(
            d,
            vec![
                ("attrs", None, Scope::Optional),
                ("pytest", Some("8.0.0"), Scope::Dev),
                ("requests", None, Scope::Runtime)
            ]
        );
        assert!(run("pyproject.toml", "[tool.black]\nline-length = 100\n").unwrap().packages.is_empty());
        let e = run("pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
    }

    #[test]
    fn setup_cfg_and_pipfile() {
        let c = run(
            "lib/setup.cfg",
            "[metadata]\nname = fachlib\nversion = attr: fachlib.__version__\nclassifiers =\n    License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)\n\n[options]\ninstall_requires =\n    requests>=2\n    six\n[options.extras_require]\nyaml = pyyaml\n",
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!((p.name.as_str(), p.version.as_deref()), ("fachlib", None));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("GPL-3.0-or-later"));
        assert_eq!(c.packages.len(), 4);
        let e = run("setup.cfg", "[metadata\nname = x\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let c = run(
            "app/Pipfile",
            "[packages]\nrequests = \"*\"\nsix = \"==1.16.0\"\n[dev-packages]\npytest = {version = \"*\"}\n",
        )
        .unwrap();
        assert_eq!(c.packages[0].name, "");
        assert_eq!(c.packages[0].dir.as_deref(), Some("app"));
        assert_eq!(c.packages[3].version.as_deref(), Some("1.16.0"));
    }
}
