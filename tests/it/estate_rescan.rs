//! Incremental rescans (`scan --result-cache DIR`): the same results as a scan without the
//! cache, served from the cache for unchanged files, detected afresh for changed ones.

use crate::fs_support;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/estate-multi")
}

fn scan(estate_file: &Path, cache: Option<&Path>) -> Value {
    let mut cmd = crate::kataster();
    cmd.args(["scan", "-q", "-o", "json", "--estate-file"]).arg(estate_file);
    if let Some(c) = cache {
        cmd.arg("--result-cache").arg(c);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in ["started_at", "finished_at", "duration_ms"] {
        v["scan"][k] = Value::Null;
    }
    v
}

fn file<'a>(inv: &'a Value, root: &str, path: &str) -> &'a Value {
    inv["files"].as_array().unwrap().iter().find(|f| f["root"] == root && f["path"] == path).unwrap()
}

#[test]
fn rescans_from_the_cache_give_the_same_inventory_and_see_changes() {
    let d = tempfile::tempdir().unwrap();
    let estate = d.path().join("estate");
    std::fs::create_dir_all(&estate).unwrap();
    fs_support::copy_tree(&fixture(), &estate);
    let estate_file = estate.join("estate.toml");
    let cache = d.path().join("cache");

    let plain = scan(&estate_file, None);
    let first = scan(&estate_file, Some(&cache));
    assert_eq!(first, plain, "the cache changes nothing about the results");
    // One cache file per scanned repository (the missing one has none).
    let cache_files = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(cache_files, 4);
    let second = scan(&estate_file, Some(&cache));
    assert_eq!(second, plain);

    // The rescan really takes the results from the cache: doctor the cached result of an
    // unchanged file and it is served as is (nothing is detected again).
    let mut doctored = 0;
    for e in std::fs::read_dir(&cache).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        if text.contains(":src/app.js") {
            std::fs::write(&p, text.replace("\"EUPL-1.2\"", "\"0BSD\"")).unwrap();
            doctored += 1;
        }
    }
    assert_eq!(doctored, 1);
    let served = scan(&estate_file, Some(&cache));
    assert_eq!(file(&served, "bauportal", "src/app.js")["license_expression"], "0BSD");
    assert_eq!(file(&plain, "bauportal", "src/app.js")["license_expression"], "EUPL-1.2");

    // A changed file is detected again; the others still come from the cache.
    let app = estate.join("bauportal/src/app.js");
    let text = std::fs::read_to_string(&app).unwrap().replace("EUPL-1.2", "AGPL-3.0-or-later");
    std::fs::write(&app, text).unwrap();
    let third = scan(&estate_file, Some(&cache));
    assert_eq!(file(&third, "bauportal", "src/app.js")["license_expression"], "AGPL-3.0-or-later");
    assert_eq!(file(&third, "steuer", "src/main.rs")["license_expression"], "EUPL-1.2");
    assert_eq!(third, scan(&estate_file, None));
}

#[test]
fn a_corrupt_cache_is_a_warning_and_a_fresh_start() {
    let d = tempfile::tempdir().unwrap();
    let cache = d.path().join("cache");
    let estate_file = fixture().join("estate.toml");
    let plain = scan(&estate_file, None);
    scan(&estate_file, Some(&cache));
    for e in std::fs::read_dir(&cache).unwrap() {
        std::fs::write(e.unwrap().path(), b"{\"fingerprint\": 1").unwrap();
    }
    let broken = scan(&estate_file, Some(&cache));
    let warnings: Vec<&Value> =
        broken["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "result-cache").collect();
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    assert!(warnings.iter().all(|w| w["severity"] == "warning"));
    // Apart from those warnings, the same inventory; and the cache is whole again after it.
    assert_eq!(broken["components"], plain["components"]);
    assert_eq!(broken["files"], plain["files"]);
    assert_eq!(scan(&estate_file, Some(&cache)), plain);
}
