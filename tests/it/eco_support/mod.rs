//! Shared helpers of the cataloger tests: parse one fixture file the way a scan does (the
//! catalogers that claim it, by path and name), and scan a fixture folder end to end.
#![allow(dead_code)]

use kataster::ecosystems::{self, Catalog, ManifestFile, Package, ParseError};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The result of the single cataloger of `ecosystem` that claims `fixtures/<rel>`.
pub fn try_parse(ecosystem: &str, rel: &str) -> Result<Catalog, ParseError> {
    let bytes = std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let name = rel.rsplit('/').next().unwrap();
    let claimants: Vec<_> = ecosystems::claimants(rel, name).collect();
    assert_eq!(claimants.len(), 1, "{rel} is claimed by {} catalogers", claimants.len());
    assert_eq!(claimants[0].name, ecosystem, "{rel}");
    (claimants[0].parse)(&ManifestFile { path: rel, bytes: &bytes })
}

pub fn parse(ecosystem: &str, rel: &str) -> Catalog {
    try_parse(ecosystem, rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The package with this purl (or key); fails listing what there is.
pub fn pkg<'a>(cat: &'a Catalog, key: &str) -> &'a Package {
    cat.packages.iter().find(|p| p.key() == key).unwrap_or_else(|| {
        let keys: Vec<String> = cat.packages.iter().map(Package::key).collect();
        panic!("no package {key}; have {keys:#?}")
    })
}

/// `kataster scan DIR -o json`.
pub fn scan_json(root: &Path) -> Value {
    let out = crate::kataster().arg("scan").arg(root).args(["-o", "json", "-q"]).output().unwrap();
    assert!(matches!(out.status.code(), Some(0) | Some(1)), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json output")
}

pub fn component<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["components"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| {
        let ids: Vec<_> =
            inv["components"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap_or("")).collect();
        panic!("no component {id}; have {ids:#?}")
    })
}

/// Components whose locations include the file (any line of it).
pub fn components_from<'a>(inv: &'a Value, file: &str) -> Vec<&'a Value> {
    inv["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["locations"].as_array().unwrap().iter().any(|l| {
                let l = l.as_str().unwrap_or("");
                l == file || l.strip_prefix(file).is_some_and(|r| r.starts_with(':'))
            })
        })
        .collect()
}

/// Messages of the diagnostics about one file.
pub fn diagnostics_for(inv: &Value, path: &str) -> Vec<String> {
    inv["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| format!("{}: {}", d["code"].as_str().unwrap_or(""), d["message"].as_str().unwrap_or("")))
        .collect()
}

/// A damaged file: its parse fails at `line`, and a scan of its folder reports a parse
/// error naming the file and that line (and still succeeds).
pub fn assert_parse_error_at(ecosystem: &str, folder: &str, file: &str, line: u32) {
    let e = try_parse(ecosystem, &format!("{folder}/{file}")).unwrap_err();
    assert_eq!(e.line, Some(line), "{e}");
    let inv = scan_json(&fixtures().join(folder));
    let d = diagnostics_for(&inv, file);
    let wanted = format!("line {line}");
    assert!(d.iter().any(|m| m.starts_with("parse-error") && m.contains(&wanted)), "{d:?}");
}
