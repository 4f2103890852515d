//! Core metadata (`METADATA` in a `.dist-info` folder, `PKG-INFO` in an sdist or an
//! `.egg-info` folder): email-style headers with `Name`, `Version`, `License-Expression`
//! (PEP 639), `License` and `Classifier: License :: ...`.

use super::licenses::{classifier_license, license_from_text};
use super::{INSTALL_DIRS, pypi_package, pypi_project};
use crate::{Catalog, ManifestFile, PackageRole, ParseError};
use kataster_model::license::DeclaredLicense;

pub(super) fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let mut fields: Vec<(&str, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            break; // The body (the long description) follows the first blank line.
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = fields.last_mut() {
                v.push('\n');
                v.push_str(line.trim());
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(ParseError::at(i as u32 + 1, format!("not a metadata header: {line:?}")));
        };
        fields.push((k.trim(), v.trim().to_string()));
    }
    let get = |k: &str| fields.iter().find(|(f, _)| f.eq_ignore_ascii_case(k)).map(|(_, v)| v.as_str());
    let mut cat = Catalog::default();
    let (Some(name), version) = (get("Name"), get("Version")) else {
        return Err(ParseError::at(1, "no Name header: not core metadata"));
    };
    let folder = file.dir();
    let parent = folder.rsplit('/').next().unwrap_or(folder);
    let installed = file.path.split('/').any(|s| INSTALL_DIRS.contains(&s));
    let mut p = if parent.ends_with(".dist-info") || installed {
        let mut p = pypi_package(PackageRole::Dependency, name, version);
        p.dir = Some(folder.to_string());
        p
    } else if parent.ends_with(".egg-info") {
        // Build output of a project in this tree: its pyproject.toml or setup.cfg says the same.
        return Ok(cat);
    } else {
        // An unpacked sdist: a project of its own (vendored when under a vendor folder).
        pypi_project(name, version, folder)
    };
    p.line = Some(1);
    let classifiers: Vec<&str> =
        fields.iter().filter(|(k, _)| k.eq_ignore_ascii_case("Classifier")).map(|(_, v)| v.as_str()).collect();
    let from_field = get("License-Expression").map(DeclaredLicense::from_raw).or_else(|| {
        get("License").filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case("UNKNOWN")).map(license_from_text)
    });
    p.declared_license = match from_field {
        Some(d) if d.expression.is_some() => Some(d),
        other => classifier_license(&classifiers).filter(|c| c.expression.is_some()).or(other),
    };
    p.supplier = get("Author").or_else(|| get("Author-email")).filter(|a| !a.is_empty()).map(str::to_string);
    cat.packages.push(p);
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> Result<Catalog, ParseError> {
        parse(&ManifestFile { path, bytes: text.as_bytes() })
    }

    #[test]
    fn license_expression_then_license_then_classifiers() {
        let c = run(
            "lib/site-packages/idna-3.20.dist-info/METADATA",
            "Metadata-Version: 2.4\nName: idna\nVersion: 3.20\nLicense-Expression: BSD-3-Clause\n\nbody: text\n",
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!((p.role, p.purl.as_deref()), (PackageRole::Dependency, Some("pkg:pypi/idna@3.20")));
        assert_eq!(p.dir.as_deref(), Some("lib/site-packages/idna-3.20.dist-info"));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("BSD-3-Clause"));

        let c = run(
            "x-1.0.dist-info/METADATA",
            "Name: X\nVersion: 1.0\nLicense: Copyright (c) 2020 Someone\n        Permission is hereby granted...\nClassifier: License :: OSI Approved :: MIT License\n",
        )
        .unwrap();
        let d = c.packages[0].declared_license.as_ref().unwrap();
        assert_eq!(d.expression.as_deref(), Some("MIT"));

        let c =
            run("y-1.dist-info/METADATA", "Name: y\nVersion: 1\nClassifier: License :: Other/Proprietary License\n")
                .unwrap();
        assert_eq!(c.packages[0].declared_license.as_ref().unwrap().expression.as_deref(), Some(crate::PROPRIETARY));
    }

    #[test]
    fn sdists_are_projects_egg_info_is_skipped_and_garbage_is_an_error() {
        let c = run("third_party/foo-1.0/PKG-INFO", "Name: foo\nVersion: 1.0\nLicense: MIT\n").unwrap();
        assert_eq!(
            (c.packages[0].role, c.packages[0].dir.as_deref()),
            (PackageRole::Project, Some("third_party/foo-1.0"))
        );
        assert!(run("src/foo.egg-info/PKG-INFO", "Name: foo\nVersion: 1.0\n").unwrap().packages.is_empty());
        let e = run("a.dist-info/METADATA", "Name: a\nthis is not a header\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
