//! Core metadata (`METADATA` in a `.dist-info` folder, `PKG-INFO` in an sdist or an
//! `.egg-info` folder): email-style headers with `Name`, `Version`, `License-Expression`
//! (PEP 639), `License` and `Classifier: License :: ...`.

use super::manifests::license_from_text;
use super::{INSTALL_DIRS, pypi_package, pypi_project};
use crate::{Catalog, ManifestFile, PackageRole, ParseError};
use kataster_model::license::DeclaredLicense;

/// Trove license classifiers (after `License :: `) and the SPDX id they name; `true` when
/// the classifier does not say which version and the id is the usual reading.
const CLASSIFIERS: &[(&str, &str, bool)] = &[
    ("OSI Approved :: MIT License", "MIT", false),
    ("OSI Approved :: MIT No Attribution License (MIT-0)", "MIT-0", false),
    ("OSI Approved :: Apache Software License", "Apache-2.0", true),
    ("OSI Approved :: BSD License", "BSD-3-Clause", true),
    ("OSI Approved :: ISC License (ISCL)", "ISC", false),
    ("OSI Approved :: Python Software Foundation License", "PSF-2.0", false),
    ("OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0", false),
    ("OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)", "MPL-1.1", false),
    ("OSI Approved :: GNU General Public License v2 (GPLv2)", "GPL-2.0-only", false),
    ("OSI Approved :: GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later", false),
    ("OSI Approved :: GNU General Public License v3 (GPLv3)", "GPL-3.0-only", false),
    ("OSI Approved :: GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later", false),
    ("OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only", false),
    ("OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later", false),
    ("OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only", false),
    ("OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later", false),
    ("OSI Approved :: GNU Affero General Public License v3", "AGPL-3.0-only", false),
    ("OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later", false),
    ("OSI Approved :: Eclipse Public License 1.0 (EPL-1.0)", "EPL-1.0", false),
    ("OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0", false),
    ("OSI Approved :: European Union Public Licence 1.1 (EUPL 1.1)", "EUPL-1.1", false),
    ("OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2", false),
    ("OSI Approved :: The Unlicense (Unlicense)", "Unlicense", false),
    ("OSI Approved :: Boost Software License 1.0 (BSL-1.0)", "BSL-1.0", false),
    ("OSI Approved :: zlib/libpng License", "Zlib", false),
    ("OSI Approved :: Historical Permission Notice and Disclaimer (HPND)", "HPND", false),
    ("OSI Approved :: Academic Free License (AFL)", "AFL-3.0", true),
    ("OSI Approved :: Artistic License", "Artistic-2.0", true),
    ("OSI Approved :: Zope Public License", "ZPL-2.1", true),
    ("OSI Approved :: Universal Permissive License (UPL)", "UPL-1.0", false),
    ("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0", false),
    ("Other/Proprietary License", crate::PROPRIETARY, false),
];

/// The license the trove classifiers declare; several are alternatives (joined by OR).
pub(crate) fn classifier_license(classifiers: &[&str]) -> Option<DeclaredLicense> {
    let mut ids: Vec<&str> = Vec::new();
    let mut raw: Vec<&str> = Vec::new();
    let mut inferred = false;
    for c in classifiers {
        let Some(rest) = c.trim().strip_prefix("License :: ") else { continue };
        raw.push(c.trim());
        if let Some((_, id, guess)) = CLASSIFIERS.iter().find(|(k, _, _)| *k == rest) {
            if !ids.contains(id) {
                ids.push(id);
            }
            inferred |= guess;
        }
    }
    if raw.is_empty() {
        return None;
    }
    let expression =
        if ids.len() == raw.len() { kataster_model::license::normalize_expression(&ids.join(" OR ")) } else { None };
    Some(DeclaredLicense { raw: raw.join(" OR "), expression, inferred })
}

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
