//! Verdicts on real licensing patterns: every folder of `fixtures/verdicts` with an
//! `expected.toml` is scanned and each expected component is compared field by field
//! (concluded license, category, open-source status, review flag, vendor). All mismatches
//! of all fixtures are reported together.

use crate::fs_support;
use crate::kataster;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn verdict_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join("verdicts")
}

/// Copy a fixture folder (without its expected.toml) to `to/<name>`, so that the scanned
/// root's label is the fixture's name.
fn copy_fixture(src: &Path, to: &Path) -> PathBuf {
    let root = to.join(src.file_name().unwrap());
    fs_support::copy_tree(src, &root);
    std::fs::remove_file(root.join("expected.toml")).unwrap();
    root
}

/// `scan ROOT -o json=FILE --no-local-caches`, with a fresh HOME and cache folder so that
/// nothing on the machine running the test adds licenses.
fn scan(root: &Path, tmp: &Path) -> Result<Value, String> {
    let home = tmp.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let json = tmp.join("inv.json");
    let spec = format!("json={}", json.display());
    let out = kataster()
        .args(["scan", root.to_str().unwrap(), "-o", &spec, "-q", "--no-local-caches"])
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&json).map_err(|e| {
        format!(
            "no inventory written ({e}); exit {:?}, stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("inventory is not JSON: {e}"))
}

fn reasons(c: &Value) -> String {
    match c["classification"]["reasons"].as_array() {
        Some(r) if !r.is_empty() => r.iter().map(|r| r.as_str().unwrap_or("?")).collect::<Vec<_>>().join("; "),
        _ => "(no reasons)".into(),
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// The mismatches of one fixture, one line each.
fn check_fixture(dir: &Path, expected: &toml::Table) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let root = copy_fixture(dir, &tmp.path().join("root"));
    let inv = match scan(&root, tmp.path()) {
        Ok(inv) => inv,
        Err(e) => return vec![format!("{name}: scan failed: {e}")],
    };
    let components = inv["components"].as_array().cloned().unwrap_or_default();
    let find = |id: &str| components.iter().find(|c| c["id"] == id);
    let mut problems = Vec::new();

    for want in expected.get("component").and_then(|c| c.as_array()).into_iter().flatten() {
        let short = want.get("id").and_then(|v| v.as_str()).expect("every [[component]] has an id");
        let id = format!("{name}:{short}");
        let Some(got) = find(id.as_str()) else {
            let ids: Vec<&str> = components.iter().filter_map(|c| c["id"].as_str()).collect();
            problems.push(format!("{name}: {id}: missing; components: {}", ids.join(", ")));
            continue;
        };
        let class = &got["classification"];
        let mut fields: Vec<(&str, Value, Value)> = Vec::new();
        if let Some(v) = want.get("concluded").and_then(|v| v.as_str()) {
            fields.push(("concluded", Value::from(v), got["concluded_license"].clone()));
        }
        if let Some(v) = want.get("category").and_then(|v| v.as_str()) {
            fields.push(("category", Value::from(v), class["category"].clone()));
        }
        if let Some(v) = want.get("open_source").and_then(|v| v.as_str()) {
            fields.push(("open_source", Value::from(v), class["open_source"].clone()));
        }
        if let Some(v) = want.get("needs_review").and_then(|v| v.as_bool()) {
            fields.push(("needs_review", Value::from(v), class["needs_review"].clone()));
        }
        for (field, expected, actual) in fields {
            if expected != actual {
                problems.push(format!(
                    "{name}: {id}: {field}: expected {}, got {}\n    reasons: {}",
                    shown(&expected),
                    shown(&actual),
                    reasons(got)
                ));
            }
        }
        if let Some(v) = want.get("vendor").and_then(|v| v.as_str()) {
            let actual = class["vendor"].as_str().unwrap_or("");
            if !actual.to_lowercase().contains(&v.to_lowercase()) {
                problems.push(format!(
                    "{name}: {id}: vendor: expected one containing {v:?}, got {}\n    reasons: {}",
                    shown(&class["vendor"]),
                    reasons(got)
                ));
            }
        }
    }

    let absent = expected.get("absent").and_then(|a| a.get("ids")).and_then(|i| i.as_array());
    for short in absent.into_iter().flatten().filter_map(|v| v.as_str()) {
        let id = format!("{name}:{short}");
        if let Some(got) = find(id.as_str()) {
            problems.push(format!(
                "{name}: {id}: should not exist, found with concluded {}\n    reasons: {}",
                shown(&got["concluded_license"]),
                reasons(got)
            ));
        }
    }
    problems
}

#[test]
fn verdicts_on_real_licensing_patterns_match_what_a_license_manager_concludes() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(verdict_fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures with an expected.toml under {}", verdict_fixtures().display());

    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in &dirs {
        let text = std::fs::read_to_string(dir.join("expected.toml")).unwrap();
        let expected: toml::Table =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: expected.toml does not parse: {e}", dir.display()));
        checked += expected.get("component").and_then(|c| c.as_array()).map_or(0, |c| c.len());
        problems.extend(check_fixture(dir, &expected));
    }
    assert!(
        problems.is_empty(),
        "{} mismatch(es) in {} fixtures ({checked} expected components):\n{}",
        problems.len(),
        dirs.len(),
        problems.join("\n")
    );
}
