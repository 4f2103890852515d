//! How Python's metadata states a license: the `License` field's text (a name, an
//! expression, or a pasted license text) and the trove classifiers. Shared by the core
//! metadata of installed packages and by the project manifests.

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
pub(super) fn classifier_license(classifiers: &[&str]) -> Option<DeclaredLicense> {
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

/// A license field's text: a short name or expression is read as one; a pasted license
/// text is kept by its first line only.
pub(super) fn license_from_text(raw: &str) -> DeclaredLicense {
    let first = raw.lines().next().unwrap_or("").trim();
    if raw.lines().count() > 1 || first.len() > 120 {
        let mut d = DeclaredLicense::from_raw(first);
        d.raw = first.to_string();
        return d;
    }
    if first.eq_ignore_ascii_case("proprietary") || first.eq_ignore_ascii_case("Other/Proprietary License") {
        return crate::proprietary_license(first);
    }
    DeclaredLicense::from_raw(first)
}
