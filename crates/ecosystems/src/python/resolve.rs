//! Python: installed distributions in `site-packages` of the tree's virtual environments
//! (`.venv`, `venv`), of environments given with `--python-env`, and of the machine's
//! caches (uv's unpacked wheels, the user site, pyenv versions). Reads
//! `*.dist-info/METADATA` (or `*.egg-info/PKG-INFO`): `License-Expression`, a short
//! `License`, license classifiers, else the distribution's license files.

use crate::resolve::online::{Answer, Ask, Registry};
use crate::resolve::{
    Env, Fence, Found, Parties, Query, Resolution, Resolver, Source, display_path, file_name, subdirs,
};
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub struct PythonSource {
    site_dirs: Vec<(PathBuf, LicenseSource)>,
    index: OnceLock<HashMap<(String, String), (PathBuf, LicenseSource)>>,
}

/// Names of virtual environment folders looked for in the tree.
const VENV_NAMES: &[&str] = &[".venv", "venv", "env", ".env", "virtualenv"];

impl PythonSource {
    pub fn new(root: &Path, extra: &[PathBuf], envs: &[PathBuf], defaults: bool, env: &Env) -> PythonSource {
        let mut site_dirs = Vec::new();
        let mut candidates: Vec<PathBuf> = VENV_NAMES.iter().map(|n| root.join(n)).collect();
        for d in subdirs(root).into_iter().filter(|d| !file_name(d).starts_with('.')) {
            candidates.extend(VENV_NAMES.iter().map(|n| d.join(n)));
        }
        for c in candidates.iter().chain(envs) {
            for s in site_packages(c) {
                site_dirs.push((s, LicenseSource::Installed));
            }
        }
        for c in extra {
            for s in site_packages(c) {
                site_dirs.push((s, LicenseSource::LocalCache));
            }
        }
        if defaults {
            if let Some(uv) =
                env.var("UV_CACHE_DIR").map(PathBuf::from).or_else(|| env.cache_home().map(|c| c.join("uv")))
            {
                for archive in subdirs(&uv.join("archive-v0")) {
                    site_dirs.push((archive, LicenseSource::LocalCache));
                }
            }
            if let Some(home) = env.home() {
                for s in site_packages(&home.join(".local")) {
                    site_dirs.push((s, LicenseSource::LocalCache));
                }
                for v in subdirs(&home.join(".pyenv").join("versions")) {
                    for s in site_packages(&v) {
                        site_dirs.push((s, LicenseSource::LocalCache));
                    }
                }
            }
        }
        PythonSource { site_dirs, index: OnceLock::new() }
    }

    fn index(&self, fence: &Fence) -> &HashMap<(String, String), (PathBuf, LicenseSource)> {
        self.index.get_or_init(|| {
            let mut map = HashMap::new();
            for (site, source) in &self.site_dirs {
                for d in fence.subdirs(site) {
                    if let Some(key) = dist_key(file_name(&d)) {
                        map.entry(key).or_insert((d, *source));
                    }
                }
            }
            map
        })
    }

    /// The license of one installed distribution: its metadata's, else its license files.
    fn license(fence: &Fence, m: &Metadata, dir: &Path, meta: &Path, source: LicenseSource) -> Option<Resolution> {
        let declared = m.license();
        if let Some((found, line)) = &declared
            && found.understood()
        {
            return Some(Resolution {
                parties: Default::default(),
                license: found.clone(),
                source,
                location: display_path(meta),
                line: *line,
            });
        }
        // License files: `licenses/` (metadata 2.4), the dist-info folder itself.
        crate::resolve::files::from_license_files(fence, &dir.join("licenses"), source)
            .or_else(|| crate::resolve::files::from_license_files(fence, dir, source))
            .or_else(|| {
                declared.map(|(found, line)| Resolution {
                    parties: Default::default(),
                    license: found,
                    source,
                    location: display_path(meta),
                    line,
                })
            })
    }
}

impl Source for PythonSource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&Path> {
        self.site_dirs.iter().map(|(d, _)| d.as_path()).collect()
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let v = q.version.as_deref()?;
        let (dir, source) = self.index(fence).get(&(normalize_name(&q.name), v.to_ascii_lowercase()))?;
        let meta = ["METADATA", "PKG-INFO"].iter().map(|m| dir.join(m)).find(|p| p.is_file())?;
        let text = fence.read(&meta)?;
        let m = parse_metadata(&text);
        let parties = m.parties();
        Self::license(fence, &m, dir, &meta, *source).map(|r| r.with_parties(parties))
    }
}

/// The look-up of pypi packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Pypi,
    registry: "https://pypi.org",
    offline: |a| Box::new(PythonSource::new(a.root, &a.extra, a.python_envs, a.defaults, a.env)),
    online: Some(online),
};

/// PyPI's JSON API: the release's `info`.
fn online(reg: &Registry, a: &Ask) -> Answer {
    let url = format!("{}/pypi/{}/{}/json", a.base, a.name, a.version);
    reg.json(&url, |doc| pypi_license(&doc["info"]))
}

/// PyPI's `info`: `license_expression`, a short `license`, else the license classifiers.
fn pypi_license(info: &serde_json::Value) -> Option<Found> {
    let m = Metadata {
        license_expression: info["license_expression"].as_str().map(str::to_string),
        license: info["license"].as_str().map(str::to_string),
        classifiers: info["classifiers"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(serde_json::Value::as_str)
                    .filter(|c| c.starts_with("License ::"))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        ..Default::default()
    };
    m.license().map(|(f, _)| f)
}

/// The `site-packages` folders of a virtual environment, a Python prefix, or the folder itself.
pub fn site_packages(p: &Path) -> Vec<PathBuf> {
    let name = file_name(p);
    if name == "site-packages" || name == "dist-packages" {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    for lib in ["lib", "lib64", "Lib"] {
        let lib = p.join(lib);
        let direct = lib.join("site-packages");
        if direct.is_dir() {
            out.push(direct);
        }
        for py in subdirs(&lib).into_iter().filter(|d| file_name(d).starts_with("python")) {
            for s in ["site-packages", "dist-packages"] {
                if py.join(s).is_dir() {
                    out.push(py.join(s));
                }
            }
        }
    }
    // A folder that holds distributions directly (a --target install, a uv archive).
    if out.is_empty() && subdirs(p).iter().any(|d| file_name(d).ends_with(".dist-info")) {
        out.push(p.to_path_buf());
    }
    out
}

/// PEP 503 name normalization: lower case, runs of `-_.` as one `-`.
pub fn normalize_name(n: &str) -> String {
    let mut out = String::with_capacity(n.len());
    let mut dash = false;
    for ch in n.chars() {
        if matches!(ch, '-' | '_' | '.') {
            if !dash {
                out.push('-');
            }
            dash = true;
        } else {
            out.extend(ch.to_lowercase());
            dash = false;
        }
    }
    out
}

/// `(name, version)` of a `NAME-VERSION.dist-info` or `NAME-VERSION[-pyX].egg-info` folder.
fn dist_key(dir_name: &str) -> Option<(String, String)> {
    let stem = dir_name.strip_suffix(".dist-info").or_else(|| dir_name.strip_suffix(".egg-info"))?;
    let (name, rest) = stem.split_once('-')?;
    let version = rest.split("-py").next().unwrap_or(rest);
    Some((normalize_name(name), version.to_ascii_lowercase()))
}

/// The license fields of a core metadata file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    pub license_expression: Option<String>,
    pub license: Option<String>,
    pub classifiers: Vec<String>,
    pub expr_line: Option<u32>,
    pub license_line: Option<u32>,
    pub classifier_line: Option<u32>,
    /// `Author`, `Author-email`, `Maintainer`, `Maintainer-email`, as written.
    pub author: Option<String>,
    pub author_email: Option<String>,
    pub maintainer: Option<String>,
    pub maintainer_email: Option<String>,
}

/// Parse the header block of a core metadata file (RFC 822 style, continuation lines
/// indented); the description after the first blank line is not read.
pub fn parse_metadata(text: &str) -> Metadata {
    let mut m = Metadata::default();
    let mut current: Option<(String, u32)> = None;
    let mut value = String::new();
    let finish = |m: &mut Metadata, key: &str, line: u32, value: &str| {
        let v = value.trim().to_string();
        match key.to_ascii_lowercase().as_str() {
            "license-expression" => {
                m.license_expression = Some(v);
                m.expr_line = Some(line);
            }
            "license" => {
                m.license = Some(v);
                m.license_line = Some(line);
            }
            "author" => m.author = Some(v),
            "author-email" => m.author_email = Some(v),
            "maintainer" => m.maintainer = Some(v),
            "maintainer-email" => m.maintainer_email = Some(v),
            "classifier" if v.starts_with("License ::") => {
                m.classifiers.push(v);
                m.classifier_line.get_or_insert(line);
            }
            _ => {}
        }
    };
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            break;
        }
        if l.starts_with([' ', '\t']) {
            value.push('\n');
            value.push_str(l.trim());
            continue;
        }
        if let Some((k, line)) = current.take() {
            finish(&mut m, &k, line, &value);
        }
        if let Some((k, v)) = l.split_once(':') {
            current = Some((k.trim().to_string(), i as u32 + 1));
            value = v.to_string();
        }
    }
    if let Some((k, line)) = current.take() {
        finish(&mut m, &k, line, &value);
    }
    m
}

impl Metadata {
    /// The authors, then the maintainers: `Name <mail>` where the name and e-mail fields
    /// give both (`Author-email` may itself list `"Name" <mail>` entries, comma-separated).
    pub fn parties(&self) -> Parties {
        fn people(name: Option<&str>, email: Option<&str>) -> Vec<String> {
            let name = name.map(str::trim).filter(|n| !is_unknown(n));
            let emails: Vec<String> = email
                .map(|e| {
                    e.split(',')
                        .map(|x| x.trim().replace('"', ""))
                        .filter(|x| !x.is_empty() && !is_unknown(x))
                        .collect()
                })
                .unwrap_or_default();
            match (name, emails.as_slice()) {
                (Some(n), [one]) if !one.contains('<') => vec![format!("{n} <{one}>")],
                (Some(n), []) => vec![n.to_string()],
                (_, list) => list.iter().map(|e| if e.contains('<') { e.clone() } else { format!("<{e}>") }).collect(),
            }
        }
        let mut all = people(self.author.as_deref(), self.author_email.as_deref());
        all.extend(people(self.maintainer.as_deref(), self.maintainer_email.as_deref()));
        Parties::from_people(all)
    }

    /// The best license statement: the expression, a short `License` field that
    /// normalizes, else the license classifiers (several are alternatives).
    pub fn license(&self) -> Option<(Found, Option<u32>)> {
        if let Some(e) = self.license_expression.as_deref().and_then(Found::declared) {
            return Some((e, self.expr_line));
        }
        let short = self.license.as_deref().filter(|l| !l.contains('\n') && l.len() <= 100 && !is_unknown(l));
        if let Some(l) = short {
            let dl = DeclaredLicense::from_raw(l);
            if dl.expression.is_some() {
                return Some((Found::Declared(dl), self.license_line));
            }
        }
        let mut ids: Vec<(String, bool)> = self.classifiers.iter().filter_map(|c| classifier_license(c)).collect();
        ids.sort();
        ids.dedup();
        if !ids.is_empty() {
            let inferred = ids.iter().any(|(_, i)| *i);
            let expr = ids.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>().join(" OR ");
            let found = Found::Declared(DeclaredLicense {
                raw: self.classifiers.join("; "),
                expression: kataster_model::license::normalize_expression(&expr),
                inferred,
            });
            return Some((found, self.classifier_line));
        }
        short.map(|l| (Found::Declared(DeclaredLicense::from_raw(l)), self.license_line))
    }
}

fn is_unknown(l: &str) -> bool {
    matches!(l.trim().to_ascii_lowercase().as_str(), "unknown" | "none" | "" | "license" | "other" | "n/a")
}

/// The SPDX id a Trove license classifier stands for, and whether that is a guess (the
/// classifier names no version).
pub fn classifier_license(c: &str) -> Option<(String, bool)> {
    let last = c.rsplit("::").next()?.trim();
    let exact = |id: &str| Some((id.to_string(), false));
    let guess = |id: &str| Some((id.to_string(), true));
    match last {
        "MIT License" => exact("MIT"),
        "MIT No Attribution License (MIT-0)" => exact("MIT-0"),
        "Apache Software License" => guess("Apache-2.0"),
        "BSD License" => guess("BSD-3-Clause"),
        "ISC License (ISCL)" => exact("ISC"),
        "Python Software Foundation License" => exact("PSF-2.0"),
        "Mozilla Public License 2.0 (MPL 2.0)" => exact("MPL-2.0"),
        "Mozilla Public License 1.1 (MPL 1.1)" => exact("MPL-1.1"),
        "GNU General Public License v2 (GPLv2)" => exact("GPL-2.0-only"),
        "GNU General Public License v2 or later (GPLv2+)" => exact("GPL-2.0-or-later"),
        "GNU General Public License v3 (GPLv3)" => exact("GPL-3.0-only"),
        "GNU General Public License v3 or later (GPLv3+)" => exact("GPL-3.0-or-later"),
        "GNU Lesser General Public License v2 (LGPLv2)" => exact("LGPL-2.0-only"),
        "GNU Lesser General Public License v2 or later (LGPLv2+)" => exact("LGPL-2.0-or-later"),
        "GNU Lesser General Public License v3 (LGPLv3)" => exact("LGPL-3.0-only"),
        "GNU Lesser General Public License v3 or later (LGPLv3+)" => exact("LGPL-3.0-or-later"),
        "GNU Affero General Public License v3" => exact("AGPL-3.0-only"),
        "GNU Affero General Public License v3 or later (AGPLv3+)" => exact("AGPL-3.0-or-later"),
        "GNU Library or Lesser General Public License (LGPL)" => guess("LGPL-2.1-or-later"),
        "The Unlicense (Unlicense)" => exact("Unlicense"),
        "Boost Software License 1.0 (BSL-1.0)" => exact("BSL-1.0"),
        "Eclipse Public License 1.0 (EPL-1.0)" => exact("EPL-1.0"),
        "Eclipse Public License 2.0 (EPL-2.0)" => exact("EPL-2.0"),
        "European Union Public Licence 1.1 (EUPL 1.1)" => exact("EUPL-1.1"),
        "European Union Public Licence 1.2 (EUPL 1.2)" => exact("EUPL-1.2"),
        "Historical Permission Notice and Disclaimer (HPND)" => exact("HPND"),
        "University of Illinois/NCSA Open Source License" => exact("NCSA"),
        "zlib/libpng License" => exact("Zlib"),
        "Zope Public License" => guess("ZPL-2.1"),
        "Academic Free License (AFL)" => guess("AFL-3.0"),
        "Artistic License" => guess("Artistic-2.0"),
        "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication" => exact("CC0-1.0"),
        "PostgreSQL License" => exact("PostgreSQL"),
        "Universal Permissive License (UPL)" => exact("UPL-1.0"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_prefers_expression_then_short_license_then_classifiers() {
        let m = parse_metadata(
            "Metadata-Version: 2.4\nName: a\nLicense-Expression: mit OR Apache-2.0\nLicense: BSD\n\nbody License: GPL\n",
        );
        assert_eq!(m.license().map(|l| l.0), Found::declared("mit OR Apache-2.0"));
        let m = parse_metadata(
            "Name: b\nLicense: Copyright (c) 2020 X\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n",
        );
        match m.license().map(|l| l.0) {
            Some(Found::Declared(d)) => assert_eq!(d.expression.as_deref(), Some("MIT")),
            other => panic!("{other:?}"),
        }
        let m = parse_metadata("Name: c\nClassifier: License :: OSI Approved :: BSD License\n");
        match m.license().map(|l| l.0) {
            Some(Found::Declared(d)) => {
                assert_eq!(d.expression.as_deref(), Some("BSD-3-Clause"));
                assert!(d.inferred);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_metadata("Name: d\nLicense: UNKNOWN\n").license(), None);
    }

    #[test]
    fn authors_and_maintainers_with_their_mail() {
        let m = parse_metadata(
            "Name: requests\nAuthor: Kenneth Reitz\nAuthor-email: me@kennethreitz.org\nMaintainer: Nate Prewitt\nMaintainer-email: nate.prewitt@gmail.com\n",
        );
        assert_eq!(
            m.parties().authors,
            ["Kenneth Reitz <me@kennethreitz.org>", "Nate Prewitt <nate.prewitt@gmail.com>"]
        );
        assert_eq!(m.parties().supplier.as_deref(), Some("Kenneth Reitz <me@kennethreitz.org>"));
        let m = parse_metadata("Name: x\nAuthor-email: \"Jane Doe\" <jane@example.org>, Bob <bob@example.org>\n");
        assert_eq!(m.parties().authors, ["Jane Doe <jane@example.org>", "Bob <bob@example.org>"]);
        assert_eq!(parse_metadata("Name: y\nAuthor: UNKNOWN\n").parties(), Parties::default());
    }

    #[test]
    fn names_and_folders() {
        assert_eq!(normalize_name("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(dist_key("typing_extensions-4.12.2.dist-info"), Some(("typing-extensions".into(), "4.12.2".into())));
        assert_eq!(dist_key("six-1.16.0-py3.11.egg-info"), Some(("six".into(), "1.16.0".into())));
        assert_eq!(dist_key("six"), None);
    }
}
