//! Helpers of the ecosystems' tests, and the test that goes over the fixtures of every
//! ecosystem at once: the folders of fixtures, their files, and parsing a file the way a
//! scan does (with the cataloger that claims it).
//!
//! Each ecosystem keeps its fixtures (real files, and corrupt copies of them) in
//! `<folder>/fixtures/` and its tests on them in `<folder>/fixture_tests.rs`, which name
//! them through [`Fixtures`]. The fixtures of the other stages (estates, verdicts,
//! resolution, detection) are in the repository's `fixtures/`.

use crate::{Catalog, ECOSYSTEMS, ManifestFile, Package, ParseError, claimants};
use std::path::{Path, PathBuf};

/// This crate's source folder, which holds one folder per ecosystem.
fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every folder of fixtures: the repository's `fixtures/`, then the `fixtures/` folder of
/// each ecosystem that has one.
pub fn fixture_roots() -> Vec<PathBuf> {
    let mut ecosystems: Vec<PathBuf> =
        std::fs::read_dir(src()).unwrap().flatten().map(|e| e.path().join("fixtures")).filter(|p| p.is_dir()).collect();
    ecosystems.sort();
    let mut roots = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")];
    roots.extend(ecosystems);
    roots
}

/// The files below `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() { stack.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    out
}

/// The files of every folder of fixtures that have one of these names, with their text
/// (files that are not UTF-8 are left out).
pub fn fixture_files(names: &[&str]) -> Vec<(PathBuf, String)> {
    let named = |p: &Path| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| names.contains(&n));
    fixture_roots()
        .iter()
        .flat_map(|root| files_under(root))
        .filter(|p| named(p))
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|text| (p, text)))
        .collect()
}

/// Parse text as the cataloger that claims `path` would.
pub fn parse_claimed(path: &str, text: &str) -> Result<Catalog, ParseError> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some(c) = claimants(path, name).next() else { panic!("no cataloger claims {path}") };
    (c.parse)(&ManifestFile { path, bytes: text.as_bytes() })
}

/// The package with this purl (or key); fails listing what there is.
pub fn pkg<'a>(cat: &'a Catalog, key: &str) -> &'a Package {
    cat.packages.iter().find(|p| p.key() == key).unwrap_or_else(|| {
        let keys: Vec<String> = cat.packages.iter().map(Package::key).collect();
        panic!("no package {key}; have {keys:#?}")
    })
}

/// The fixtures of one ecosystem, `src/<folder>/fixtures/`, which the catalogers of
/// `ecosystem` (its name in components: `golang` for the folder `go`) read.
pub struct Fixtures {
    pub ecosystem: &'static str,
    pub folder: &'static str,
}

impl Fixtures {
    pub fn dir(&self) -> PathBuf {
        src().join(self.folder).join("fixtures")
    }

    /// Parse the file `rel` of the fixture folder `root` (`""`: the fixtures themselves) as
    /// a scan of that folder does: with the path `rel`, by the cataloger that claims it,
    /// which must be the only one and one of this ecosystem.
    pub fn try_parse_in(&self, root: &str, rel: &str) -> Result<Catalog, ParseError> {
        let file = self.dir().join(root).join(rel);
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = rel.rsplit('/').next().unwrap();
        let claimants: Vec<_> = claimants(rel, name).collect();
        assert_eq!(claimants.len(), 1, "{rel} is claimed by {} catalogers", claimants.len());
        assert_eq!(claimants[0].name, self.ecosystem, "{rel}");
        (claimants[0].parse)(&ManifestFile { path: rel, bytes: &bytes })
    }

    pub fn parse_in(&self, root: &str, rel: &str) -> Catalog {
        self.try_parse_in(root, rel).unwrap_or_else(|e| panic!("{root}/{rel}: {e}"))
    }

    /// [`Fixtures::try_parse_in`] the fixtures themselves: `rel` is the path a scan of
    /// `src/<folder>/fixtures` hands the cataloger.
    pub fn try_parse(&self, rel: &str) -> Result<Catalog, ParseError> {
        self.try_parse_in("", rel)
    }

    pub fn parse(&self, rel: &str) -> Catalog {
        self.parse_in("", rel)
    }

    /// The error of a damaged file, which must name `line`.
    pub fn parse_error(&self, rel: &str, line: u32) -> ParseError {
        let e = self.try_parse(rel).expect_err(rel);
        assert_eq!(e.line, Some(line), "{rel}: {e}");
        e
    }

    /// [`Fixtures::parse_error`] of each `(file, line, reason)`: the error must also say
    /// `reason`.
    pub fn parse_errors(&self, cases: &[(&str, u32, &str)]) {
        for &(rel, line, reason) in cases {
            let e = self.parse_error(rel, line);
            assert!(e.to_string().contains(reason), "{rel}: {e}");
        }
    }
}

/// No cataloger panics on damaged input: every prefix of every fixture file of every format
/// (cut every few bytes, also inside multi-byte characters) parses or fails with a
/// `ParseError`. The manifests and lockfiles among the other stages' fixtures (the estates,
/// the verdict and resolution trees) are cut too.
#[test]
fn every_prefix_of_every_fixture_parses_or_fails_cleanly() {
    let mut parsed = 0;
    let mut by_ecosystem: std::collections::BTreeMap<&str, usize> = Default::default();
    for root in fixture_roots() {
        for f in files_under(&root) {
            let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            let name = rel.rsplit('/').next().unwrap().to_string();
            let catalogers: Vec<_> = claimants(&rel, &name).collect();
            if catalogers.is_empty() {
                continue;
            }
            let bytes = std::fs::read(&f).unwrap();
            // Large lockfiles are cut fewer times: every prefix costs a whole parse.
            let step = (bytes.len() / if bytes.len() > 64 * 1024 { 40 } else { 200 }).max(1);
            for c in &catalogers {
                for cut in (0..=bytes.len()).step_by(step) {
                    let _ = (c.parse)(&ManifestFile { path: &rel, bytes: &bytes[..cut] });
                    parsed += 1;
                    *by_ecosystem.entry(c.name).or_default() += 1;
                }
            }
        }
    }
    for c in ECOSYSTEMS.iter().flat_map(|e| e.catalogers) {
        assert!(by_ecosystem.get(c.name).is_some_and(|n| *n > 100), "{}: {by_ecosystem:?}", c.name);
    }
    assert!(parsed > 20_000, "{parsed} parses");
}
