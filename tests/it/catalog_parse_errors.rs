//! Every ecosystem's fixtures scanned through the binary, the damaged files among them: each
//! file a cataloger cannot parse is reported as a `parse-error` about that file whose
//! message is the cataloger's error as the library gives it, line included (the cataloger
//! tests check that line and message file by file); no other file is, and the scan still
//! exits 0. Every ecosystem has damaged files among its fixtures, one at least with an error
//! at a line. A new ecosystem's folder of fixtures is picked up here without a line of its
//! own.

use crate::eco_support::{ecosystems_src, scan};
use kataster::ecosystems::{ManifestFile, claimants};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { files_under(&p, out) } else { out.push(p) }
    }
}

/// The (path, message) of every parse error the catalogers give on the files below `root`,
/// by the path a scan of `root` hands them; and how many of them name a line.
fn library_errors(root: &Path) -> (BTreeSet<(String, String)>, usize) {
    let mut files = Vec::new();
    files_under(root, &mut files);
    let mut errors = BTreeSet::new();
    let mut with_line = 0;
    for f in files {
        let rel = f.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap().to_string();
        let bytes = std::fs::read(&f).unwrap();
        for c in claimants(&rel, &name) {
            if let Err(e) = (c.parse)(&ManifestFile { path: &rel, bytes: &bytes }) {
                with_line += usize::from(e.line.is_some());
                errors.insert((rel.clone(), format!("{} cataloger: {e}", c.name)));
            }
        }
    }
    (errors, with_line)
}

#[test]
fn each_file_a_cataloger_refuses_is_a_parse_error_and_the_scan_goes_on() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(ecosystems_src())
        .unwrap()
        .flatten()
        .map(|e| e.path().join("fixtures"))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 10, "{folders:?}");
    for dir in folders {
        let (want, with_line) = library_errors(&dir);
        assert!(with_line > 0, "{}: no damaged file with an error at a line: {want:#?}", dir.display());
        let inv = scan(&dir);
        let got: BTreeSet<(String, String)> = inv["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "parse-error")
            .map(|d| (d["path"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(got, want, "{}", dir.display());
    }
}
