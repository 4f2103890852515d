//! No cataloger of Go, Maven, Gradle, Composer, NuGet or Ruby panics on damaged input:
//! every prefix of every fixture file (cut every few bytes, also inside multi-byte
//! characters) parses or fails with a `ParseError`.

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
    for eco in ["go", "maven", "gradle", "composer", "nuget", "ruby"] {
        files_under(&root.join(eco), &mut files);
    }
    let mut parsed = 0;
    for f in files {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap().to_string();
        let catalogers: Vec<_> = claimants(&rel, &name).collect();
        if catalogers.is_empty() {
            continue;
        }
        let bytes = std::fs::read(&f).unwrap();
        let step = (bytes.len() / 200).max(1);
        for c in &catalogers {
            for cut in (0..=bytes.len()).step_by(step) {
                let _ = (c.parse)(&ManifestFile { path: &rel, bytes: &bytes[..cut] });
                parsed += 1;
            }
        }
    }
    assert!(parsed > 3000, "{parsed} parses");
}
