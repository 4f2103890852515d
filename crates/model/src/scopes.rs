//! License scopes and the roles of files: which license files govern which folders, which
//! files are prose about licenses, copied third-party code or a library of license texts,
//! and what a pointer ("see the LICENSE file") points at.
//!
//! Owns the file-name and folder-name rules of the verdict model (`docs/verdicts.md`). It
//! reads file records only; it never decides a verdict (that is `classify`'s) and never
//! reads files.

use crate::license::{and_all, any_of};
use crate::model::{FileRecord, FindingRule, LicenseFinding, Method, OwnRule};
use std::collections::HashMap;

/// Folder names under which copied third-party code lives.
pub const VENDOR_DIRS: &[&str] =
    &["vendor", "vendored", "third_party", "third-party", "thirdparty", "3rdparty", "external", "extern", "deps"];

/// Folders whose packages are installed dependencies, not projects of the tree.
pub const INSTALL_DIRS: &[&str] = &["node_modules", "site-packages", "dist-packages", "bower_components"];

/// The detector's id for a pointer to a license file it could not name.
pub use crate::license::refs::SEE_LICENSE_FILE;

pub fn has_segment(path: &str, names: &[&str]) -> bool {
    path.split('/').any(|s| names.contains(&s))
}

pub fn parent_dir(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Names of files that hold a package's license or notices (a package folder's legal files).
pub fn is_license_file_name(name: &str) -> bool {
    is_scope_license_file_name(name) || name.to_ascii_uppercase().starts_with("NOTICE")
}

/// Names of the files that start a license scope: LICENSE, LICENCE, COPYING, UNLICENSE,
/// EULA, COPYRIGHT and their variants (`LICENSE-APACHE`, `LICENSE.md`, `LICENSE_AGPL.txt`,
/// `MIT-LICENSE`, `license.txt`). Not NOTICE: it lists attributions, it grants nothing.
pub fn is_scope_license_file_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    let stem = n.split('.').next().unwrap_or(&n);
    // The licenses of bundled third-party code are not the folder's own.
    if n.contains("THIRD") || n.contains("3RDPARTY") || n.contains("3RD-PARTY") || n.contains("DEPENDENC") {
        return false;
    }
    // Code, data and web documentation named after licenses (`license.py`,
    // `LicenseManager.java`, `licenses.json`, `license.mdx`).
    if is_code_or_data(name) {
        return false;
    }
    ["LICENSE", "LICENCE", "COPYING", "UNLICENSE", "EULA", "COPYRIGHT"].iter().any(|p| n.starts_with(p))
        || stem.ends_with("-LICENSE")
        || stem.ends_with("_LICENSE")
        || stem.ends_with("-LICENCE")
}

/// Does the name end in an extension of source code, markup for programs or data?
fn is_code_or_data(name: &str) -> bool {
    const EXT: &[&str] = &[
        "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rs", "java", "kt", "scala", "c", "h", "cc", "cpp", "hpp",
        "cs", "vb", "fs", "rb", "php", "pl", "pm", "sh", "bash", "ps1", "swift", "m", "dart", "lua", "r", "ex", "exs",
        "erl", "hs", "clj", "groovy", "gradle", "json", "yml", "yaml", "toml", "xml", "css", "scss", "less", "vue",
        "svelte", "sql", "proto", "ini", "cfg", "csv", "tsv", "lock", "svg", "png", "jpg", "gif", "ico", "pdf", "mdx",
    ];
    name.rsplit_once('.').is_some_and(|(_, e)| EXT.contains(&e.to_ascii_lowercase().as_str()))
}

/// Is the file in a folder of license texts (REUSE `LICENSES/`, a `licenses/` folder of
/// third-party texts)? Those texts are a library; they declare nothing about the code.
pub fn in_license_library(path: &str) -> bool {
    let dir = parent_dir(path);
    dir.split('/').any(|s| {
        let u = s.to_ascii_uppercase();
        u == "LICENSES" || u == "THIRD_PARTY_LICENSES" || u == "THIRD-PARTY-LICENSES"
    })
}

/// Is the file in a documentation folder (where a page about licensing is no license file)?
fn in_docs(path: &str) -> bool {
    parent_dir(path).split('/').any(|s| matches!(s, "docs" | "doc" | "documentation" | "man" | "wiki"))
}

/// Prose about a project (README, CONTRIBUTING, changelogs, documentation): it may discuss
/// licenses, its own and others', but it is not a license statement about the code.
pub fn is_prose(path: &str) -> bool {
    let name = file_name(path);
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or(&upper);
    const NAMES: &[&str] = &[
        "README",
        "CONTRIBUTING",
        "CONTRIBUTORS",
        "CHANGELOG",
        "CHANGES",
        "HISTORY",
        "NEWS",
        "AUTHORS",
        "CODE_OF_CONDUCT",
        "SECURITY",
        "SUPPORT",
        "GOVERNANCE",
        "MAINTAINERS",
        "FAQ",
        "RELEASE_NOTES",
        "RELEASE-NOTES",
        "UPGRADING",
        "MIGRATION",
    ];
    if NAMES.contains(&stem) {
        return true;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if matches!(ext.as_str(), "md" | "markdown" | "rst" | "adoc" | "asciidoc" | "org" | "mdx")
        && !is_scope_license_file_name(name)
    {
        return true;
    }
    in_docs(path) && !is_scope_license_file_name(name)
}

/// The folder of copied third-party code a path lies in (`vendor`, `third_party`,
/// `static/**/vendor`, `assets/**/lib`): the path of that folder, if any. Paths below an
/// install folder (`node_modules`) are installed packages, not vendored code.
pub fn vendor_dir(path: &str) -> Option<&str> {
    vendor_folder(parent_dir(path))
}

/// The vendor folder a folder is, or lies in (see [`vendor_dir`]).
pub fn vendor_folder(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        return None;
    }
    let mut end = 0usize;
    let mut seen_assets = false;
    for (i, seg) in dir.split('/').enumerate() {
        if INSTALL_DIRS.contains(&seg) {
            return None;
        }
        end += seg.len() + usize::from(i > 0);
        if matches!(seg, "assets" | "static" | "public" | "wwwroot") {
            seen_assets = true;
        }
        if VENDOR_DIRS.contains(&seg) || (seen_assets && matches!(seg, "lib" | "libs")) {
            return Some(&dir[..end]);
        }
    }
    None
}

/// A folder and the folders above it, nearest first, ending with the root (`""`).
pub fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(dir), |d| (!d.is_empty()).then(|| parent_dir(d)))
}

/// A file's findings that say which license it grants: not pointers, not a bare "All
/// rights reserved", and no marker wording ("commercial license", "proprietary") where the
/// file names its license (BUSL, SSPL and the Elastic License speak of commercial licenses;
/// they are what the file grants).
pub fn granting(findings: &[LicenseFinding]) -> impl Iterator<Item = &LicenseFinding> {
    // A license text, notice or tag names it; a mere reference ("third-party parts are
    // licensed under MIT") does not make an agreement's wording part of a license.
    let named = findings.iter().any(|f| matches!(f.method, Method::Text | Method::Notice | Method::Tag));
    findings.iter().filter(move |f| {
        f.expression != SEE_LICENSE_FILE
            && f.rule != FindingRule::Own(OwnRule::AllRightsReserved)
            && !(named && f.method == Method::Marker)
    })
}

/// One license file of a scope and what it grants.
#[derive(Debug, Clone)]
pub struct ScopeFile {
    /// Index into the root's file records.
    pub file: usize,
    pub path: String,
    pub finding: LicenseFinding,
}

/// The license files at the top of one folder.
#[derive(Debug, Clone)]
pub struct LicenseScope {
    pub dir: String,
    pub files: Vec<ScopeFile>,
    /// What the files grant: each file's licenses joined with AND; several files with
    /// different licenses in one folder are a choice (dual licensing: `LICENSE-MIT` and
    /// `LICENSE-APACHE`, `COPYING` and `COPYING.LESSER`, an AGPL `LICENSE` beside a
    /// `LICENSE-COMMERCIAL`), joined with OR.
    pub expression: String,
}

/// The id of a license file whose text nobody identified.
pub use crate::license::refs::UNKNOWN as UNIDENTIFIED;

/// Can a license file with no finding still be a license? (Its name says so; COPYRIGHT
/// files often hold copyright lines only.)
fn names_a_license(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING", "EULA"].iter().any(|p| n.starts_with(p)) || n.contains("-LICEN")
}

/// Every folder of a root that holds license files, by folder.
#[derive(Debug, Default)]
pub struct Scopes {
    by_dir: HashMap<String, LicenseScope>,
}

impl Scopes {
    /// Find the license files of a root (files sorted by path).
    pub fn build(files: &[FileRecord]) -> Scopes {
        let mut by_dir: HashMap<String, LicenseScope> = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            if !is_scope_license_file_name(file_name(&f.path)) || in_license_library(&f.path) || in_docs(&f.path) {
                continue;
            }
            let dir = parent_dir(&f.path);
            if granting(&f.licenses).next().is_none()
                && !f.licenses.iter().any(|l| l.expression == SEE_LICENSE_FILE)
                && f.kind == "text"
                && f.size > 0
                && names_a_license(file_name(&f.path))
            {
                // A license file whose text nobody identified still starts a scope: an
                // unknown license, to be read, never silently the license of the folder above.
                by_dir
                    .entry(dir.to_string())
                    .or_insert_with(|| LicenseScope {
                        dir: dir.to_string(),
                        files: Vec::new(),
                        expression: String::new(),
                    })
                    .files
                    .push(ScopeFile {
                        file: i,
                        path: f.path.clone(),
                        finding: LicenseFinding {
                            expression: UNIDENTIFIED.into(),
                            start_line: 1,
                            end_line: 1,
                            method: Method::Text,
                            confidence: 0.5,
                            rule: FindingRule::Own(OwnRule::UnidentifiedLicenseFile),
                        },
                    });
                continue;
            }
            for l in granting(&f.licenses) {
                let scope = by_dir.entry(dir.to_string()).or_insert_with(|| LicenseScope {
                    dir: dir.to_string(),
                    files: Vec::new(),
                    expression: String::new(),
                });
                scope.files.push(ScopeFile { file: i, path: f.path.clone(), finding: l.clone() });
            }
        }
        for s in by_dir.values_mut() {
            let mut per_file: Vec<(&str, Vec<&str>)> = Vec::new();
            for f in &s.files {
                match per_file.iter_mut().find(|(p, _)| *p == f.path) {
                    Some((_, e)) => e.push(f.finding.expression.as_str()),
                    None => per_file.push((f.path.as_str(), vec![f.finding.expression.as_str()])),
                }
            }
            let each: Vec<String> = per_file.into_iter().filter_map(|(_, e)| and_all(e.iter().copied())).collect();
            s.expression = any_of(each.iter().map(String::as_str)).unwrap_or_default();
        }
        Scopes { by_dir }
    }

    pub fn at(&self, dir: &str) -> Option<&LicenseScope> {
        self.by_dir.get(dir)
    }

    /// The scope governing `dir`: its own license files, else the nearest folder above
    /// that has some.
    pub fn governing(&self, dir: &str) -> Option<&LicenseScope> {
        ancestors(dir).find_map(|d| self.by_dir.get(d))
    }

    /// The scope governing the folder above `dir` (what `dir` would inherit).
    pub fn above(&self, dir: &str) -> Option<&LicenseScope> {
        if dir.is_empty() {
            return None;
        }
        self.governing(parent_dir(dir))
    }

    /// Every scope folder, sorted.
    pub fn dirs(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.by_dir.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_file_names_and_their_variants() {
        for n in ["LICENSE", "LICENSE.md", "LICENSE-APACHE", "LICENSE_AGPL.txt", "licence", "COPYING.LESSER"] {
            assert!(is_scope_license_file_name(n), "{n}");
        }
        for n in ["UNLICENSE", "EULA.txt", "MIT-LICENSE", "mit-license.txt", "COPYRIGHT"] {
            assert!(is_scope_license_file_name(n), "{n}");
        }
        for n in ["NOTICE", "README.md", "license.rs", "licenses.json", "license.py", "LicenseManager.java"] {
            assert!(!is_scope_license_file_name(n), "{n}");
        }
        assert!(!is_scope_license_file_name("README.md"));
        assert!(is_license_file_name("NOTICE.txt"));
    }

    #[test]
    fn vendored_folders() {
        assert_eq!(vendor_dir("vendor/github.com/pkg/errors/errors.go"), Some("vendor"));
        assert_eq!(vendor_dir("web/static/css/vendor/bootstrap/b.css"), Some("web/static/css/vendor"));
        assert_eq!(vendor_dir("assets/js/lib/jquery.js"), Some("assets/js/lib"));
        assert_eq!(vendor_dir("src/lib/x.rs"), None);
        assert_eq!(vendor_dir("node_modules/a/vendor/x.js"), None);
        assert_eq!(vendor_dir("vendor"), None);
        assert_eq!(vendor_folder("vendor/github.com/pkg"), Some("vendor"));
        assert_eq!(vendor_folder("src"), None);
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
    }

    #[test]
    fn prose_and_license_libraries() {
        assert!(is_prose("CONTRIBUTING.md"));
        assert!(is_prose("docs/licensing.txt"));
        assert!(is_prose("README"));
        assert!(!is_prose("LICENSE.md"));
        assert!(!is_prose("src/main.rs"));
        assert!(in_license_library("LICENSES/MIT.txt"));
        assert!(!in_license_library("LICENSE"));
    }

    #[test]
    fn and_all_parenthesizes_only_choices() {
        assert_eq!(
            and_all(["BSD-3-Clause AND BSD-2-Clause", "(MIT OR CC0-1.0)"]).as_deref(),
            Some("(MIT OR CC0-1.0) AND BSD-3-Clause AND BSD-2-Clause")
        );
        assert_eq!(and_all(["MIT", "Apache-2.0 OR MIT", "MIT"]).as_deref(), Some("(Apache-2.0 OR MIT) AND MIT"));
        assert_eq!(and_all(["MIT"]).as_deref(), Some("MIT"));
        assert!(!crate::license::wrapped("(MIT) OR (Apache-2.0)"));
    }
}
