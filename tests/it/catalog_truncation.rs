//! No cataloger panics on damaged input: every prefix of every fixture file of every
//! format (cut every few bytes, also inside multi-byte characters) parses or fails with a
//! `ParseError`. Files of the other fixture folders (the estates, the verdict and
//! resolution trees) hold Cargo manifests and lockfiles; they are cut too.

use crate::eco_support::fixtures;
use kataster::ecosystems::{ManifestFile, claimants};

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { files_under(&p, out) } else { out.push(p) }
    }
}

#[test]
fn every_prefix_of_every_fixture_parses_or_fails_cleanly() {
    let root = fixtures();
    let mut files = Vec::new();
    files_under(&root, &mut files);
    let mut parsed = 0;
    let mut by_ecosystem: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in files {
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
    for eco in ["cargo", "golang", "maven", "npm", "composer", "nuget", "pypi", "gem", "publiccode"] {
        assert!(by_ecosystem.get(eco).is_some_and(|n| *n > 100), "{eco}: {by_ecosystem:?}");
    }
    assert!(parsed > 20_000, "{parsed} parses");
}
