//! Helpers of the tests that scan the ecosystems' fixtures through the binary: where the
//! fixtures are (`crates/ecosystems/src/<folder>/fixtures/`, beside each ecosystem's code
//! and its own tests), scanning a folder, and reading the inventory.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The folder of the ecosystems' code, one folder per ecosystem.
pub fn ecosystems_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/ecosystems/src")
}

/// The fixture `FOLDER/REST`: `REST` in the fixtures of the ecosystem whose folder is
/// `FOLDER` (`crates/ecosystems/src/FOLDER/fixtures/`).
pub fn fixture(rel: &str) -> PathBuf {
    let (folder, rest) = rel.split_once('/').unwrap_or((rel, ""));
    ecosystems_src().join(folder).join("fixtures").join(rest)
}

/// A fixture of the other stages, in the repository's `fixtures/` (`estate`, ...).
pub fn shared_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// `kataster scan ROOT -o json`, which must succeed: diagnostics do not change the exit code.
pub fn scan(root: &Path) -> Value {
    let out = crate::kataster().arg("scan").arg(root).args(["-o", "json", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json output")
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
