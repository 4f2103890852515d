//! Helpers shared by the cataloger tests: fixture paths and scanning through the binary.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};

pub use crate::eco_support::fixture;

/// A fixture of the other stages, in the repository's `fixtures/` (`estate`, ...).
pub fn shared_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// `kataster scan ROOT -o json`, which must succeed.
pub fn scan(root: &Path) -> Value {
    let out = crate::kataster().arg("scan").arg(root).args(["-o", "json", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn component<'a>(inv: &'a Value, id: &str) -> &'a Value {
    let comps = inv["components"].as_array().unwrap();
    comps.iter().find(|c| c["id"] == id).unwrap_or_else(|| {
        let ids: Vec<_> = comps.iter().map(|c| c["id"].as_str().unwrap_or("")).collect();
        panic!("no component {id}; have {ids:#?}")
    })
}

pub fn count_kind(inv: &Value, kind: &str) -> usize {
    inv["components"].as_array().unwrap().iter().filter(|c| c["kind"] == kind).count()
}

pub fn has_location(c: &Value, loc: &str) -> bool {
    c["locations"].as_array().unwrap().iter().any(|l| l == loc)
}

/// The message of the parse error reported for `path`.
pub fn parse_error(inv: &Value, path: &str) -> String {
    inv["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == path && d["code"] == "parse-error")
        .unwrap_or_else(|| panic!("no parse error for {path}: {}", inv["diagnostics"]))["message"]
        .as_str()
        .unwrap()
        .to_string()
}
