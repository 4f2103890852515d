//! `kataster diff`: two real scans of the fixture estate, a month apart (the `steuer`
//! repository moved to the lockfile in `fixtures/estate-multi/next/`), and policy findings.

use crate::fs_support;
use crate::kataster;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/estate-multi")
}

fn scan(estate_file: &Path) -> Value {
    // Without the machine's package caches: the diff must not depend on what this machine has fetched.
    let out = kataster()
        .args(["scan", "-q", "-o", "json", "--no-local-caches", "--estate-file"])
        .arg(estate_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The scans before and after the `steuer` update.
fn before_and_after() -> (Value, Value) {
    let before = scan(&fixture().join("estate.toml"));
    let d = tempfile::tempdir().unwrap();
    fs_support::copy_tree(&fixture(), d.path());
    for f in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(fixture().join("next/steuer").join(f), d.path().join("steuer").join(f)).unwrap();
    }
    let after = scan(&d.path().join("estate.toml"));
    (before, after)
}

struct Files {
    _dir: tempfile::TempDir,
    old: PathBuf,
    new: PathBuf,
}

fn files(old: &Value, new: &Value) -> Files {
    let dir = tempfile::tempdir().unwrap();
    let (o, n) = (dir.path().join("old.json"), dir.path().join("new.json"));
    std::fs::write(&o, serde_json::to_vec(old).unwrap()).unwrap();
    std::fs::write(&n, serde_json::to_vec(new).unwrap()).unwrap();
    Files { _dir: dir, old: o, new: n }
}

fn diff_json(f: &Files, extra: &[&str]) -> (Value, i32) {
    let out = kataster().arg("diff").arg(&f.old).arg(&f.new).args(["-o", "json"]).args(extra).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap_or(-1))
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect()
}

#[test]
fn components_added_removed_and_changed_between_two_scans() {
    let (before, after) = before_and_after();
    let f = files(&before, &after);
    let (d, code) = diff_json(&f, &[]);
    assert_eq!(code, 0);
    assert_eq!(ids(&d["added"]), ["steuer:pkg:cargo/smallvec@1.16.6"]);
    assert_eq!(ids(&d["removed"]), ["steuer:pkg:cargo/itoa@1.0.19"]);
    let changed = d["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 2, "{changed:#?}");
    // The dependency moved to another version: one change, not a removal and an addition.
    let memchr = &changed[0];
    assert_eq!(memchr["old"]["id"], "steuer:pkg:cargo/memchr@2.8.3");
    assert_eq!(memchr["new"]["id"], "steuer:pkg:cargo/memchr@2.7.4");
    assert_eq!(memchr["version"], json!({"old": "2.8.3", "new": "2.7.4"}));
    assert!(memchr.get("license").is_none());
    // The project: new version and a new declared license.
    let project = &changed[1];
    assert_eq!(project["new"]["id"], "steuer:project:cargo:.");
    assert_eq!(project["version"], json!({"old": "2.4.0", "new": "2.5.0"}));
    assert_eq!(project["license"], json!({"old": "EUPL-1.2", "new": "EUPL-1.2 OR MIT"}));
    assert_eq!(d["summary"]["added"], 1);
    assert_eq!(d["summary"]["removed"], 1);
    assert_eq!(d["summary"]["version_changed"], 2);
    assert_eq!(d["summary"]["license_changed"], 1);
    // The added dependency declares no license (the fixture has no registry cache): the
    // default policy sends it to review, a new finding.
    assert_eq!(d["summary"]["new_findings"], 1);
    assert_eq!(d["new_findings"][0]["component"], "steuer:pkg:cargo/smallvec@1.16.6");

    // The same in a table for the terminal (the default) and Markdown for a comment.
    let table = kataster().arg("diff").arg(&f.old).arg(&f.new).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("1 added, 1 removed, 2 version changes, 1 license changes"), "{table}");
    assert!(table.contains("steuer:pkg:cargo/memchr@2.7.4") && table.contains("2.8.3 -> 2.7.4"), "{table}");
    let md = kataster().arg("diff").arg(&f.old).arg(&f.new).args(["-o", "markdown"]).output().unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("| Components added | 1 |"), "{md}");
    assert!(md.contains("#### Changed components (2)"), "{md}");
    assert!(md.contains("| `memchr` | steuer | `2.8.3` → `2.7.4` |"), "{md}");
    assert!(md.contains("`EUPL-1.2` → `EUPL-1.2 OR MIT`"), "{md}");
}

#[test]
fn identical_inventories_have_no_changes_whatever_their_timestamps() {
    let (before, _) = before_and_after();
    let mut again = before.clone();
    again["scan"]["started_at"] = json!("2030-01-01T00:00:00Z");
    let f = files(&before, &again);
    let (d, code) = diff_json(&f, &["--fail-on", "new-findings"]);
    assert_eq!(code, 0);
    assert_eq!(d["added"], json!([]));
    assert_eq!(d["changed"], json!([]));
    let out = kataster().arg("diff").arg(&f.old).arg(&f.new).args(["-o", "markdown"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("No changes."));
}

fn finding(component: &str, version: &str, license: &str, decision: &str, reason: &str) -> Value {
    json!({
        "component": component, "name": component.rsplit('/').next().unwrap().split('@').next().unwrap(),
        "version": version, "purl": null, "license": license, "decision": decision,
        "rule": "default", "reason": reason, "paths": ["Cargo.lock"]
    })
}

fn classify(inv: &mut Value, id: &str, category: &str, open_source: bool) {
    let c = inv["components"].as_array_mut().unwrap().iter_mut().find(|c| c["id"] == id).unwrap();
    c["classification"] = json!({
        "category": category, "open_source": if open_source { "yes" } else { "no" }, "copyleft": "none",
        "obligations": [], "reasons": [], "needs_review": false
    });
}

#[test]
fn new_and_resolved_findings_and_the_merge_request_gate() {
    let (mut before, mut after) = before_and_after();
    before["findings"] = json!([
        finding("kasse:project:cargo:.", "1.0.3", "LicenseRef-kataster-unknown", "review", "no license declared"),
        finding("steuer:pkg:cargo/memchr@2.8.3", "2.8.3", "Unlicense OR MIT", "review", "public-domain option"),
        finding("steuer:pkg:cargo/itoa@1.0.19", "1.0.19", "MIT OR Apache-2.0", "review", "test policy"),
    ]);
    after["findings"] = json!([
        finding("kasse:project:cargo:.", "1.0.3", "LicenseRef-kataster-unknown", "review", "no license declared"),
        // Same package at a new version, same license and decision: not new.
        finding("steuer:pkg:cargo/memchr@2.7.4", "2.7.4", "Unlicense OR MIT", "review", "public-domain option"),
        finding("steuer:pkg:cargo/smallvec@1.16.6", "1.16.6", "MIT OR Apache-2.0", "deny", "test policy | strict"),
    ]);
    // Classification: unknown before (nothing declared), permissive open source after.
    classify(&mut after, "steuer:pkg:cargo/memchr@2.7.4", "permissive", true);
    let f = files(&before, &after);
    let (d, code) = diff_json(&f, &[]);
    assert_eq!(code, 0, "without --fail-on a diff never fails");
    assert_eq!(d["summary"]["new_findings"], 1);
    assert_eq!(d["new_findings"][0]["component"], "steuer:pkg:cargo/smallvec@1.16.6");
    assert_eq!(d["resolved_findings"][0]["component"], "steuer:pkg:cargo/itoa@1.0.19");
    assert_eq!(d["summary"]["resolved_findings"], 1);
    assert_eq!(
        d["changed"][0]["classification"],
        json!({"old": "unknown (open source status unknown)", "new": "permissive (open source)"})
    );
    // The project's new declaration `EUPL-1.2 OR MIT` offers MIT: network copyleft before,
    // permissive after.
    assert_eq!(
        d["changed"][1]["classification"],
        json!({"old": "network-copyleft (open source)", "new": "permissive (open source)"})
    );
    assert_eq!(d["summary"]["classification_changed"], 2);

    let (_, code) = diff_json(&f, &["--fail-on", "new-findings"]);
    assert_eq!(code, 1);
    let md = kataster()
        .arg("diff")
        .arg(&f.old)
        .arg(&f.new)
        .args(["-o", "markdown", "--fail-on", "new-findings"])
        .output()
        .unwrap();
    assert_eq!(md.status.code(), Some(1));
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("#### New policy findings (1)"), "{md}");
    // A `|` in a reason cannot break the table.
    assert!(
        md.contains("| **deny** | `smallvec` | `1.16.6` | `MIT OR Apache-2.0` | default | test policy \\| strict |"),
        "{md}"
    );

    // The other way round nothing is new: resolving findings never fails a gate.
    let back = files(&after, &before);
    let (d, code) = diff_json(&back, &["--fail-on", "new-findings"]);
    assert_eq!(code, 1, "itoa's finding is new when going back");
    assert_eq!(d["new_findings"].as_array().unwrap().len(), 1);
    let mut fixed = after.clone();
    fixed["findings"] = json!([]);
    let (_, code) = diff_json(&files(&after, &fixed), &["--fail-on", "new-findings"]);
    assert_eq!(code, 0);
}

#[test]
fn outputs_to_files_and_bad_inputs() {
    let (before, after) = before_and_after();
    let f = files(&before, &after);
    let d = tempfile::tempdir().unwrap();
    let (j, m) = (d.path().join("diff.json"), d.path().join("comment.md"));
    kataster()
        .arg("diff")
        .arg(&f.old)
        .arg(&f.new)
        .args(["-o", &format!("json={}", j.display()), "-o", &format!("markdown={}", m.display())])
        .assert()
        .success()
        .stdout("");
    let v: Value = serde_json::from_slice(&std::fs::read(&j).unwrap()).unwrap();
    assert_eq!(v["summary"]["added"], 1);
    assert!(std::fs::read_to_string(&m).unwrap().starts_with("### kataster"));

    let bad = d.path().join("broken.json");
    std::fs::write(&bad, "[1, 2").unwrap();
    let out = kataster().arg("diff").arg(&f.old).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json"));
    kataster().arg("diff").arg(&f.old).arg(&f.new).args(["-o", "xml"]).assert().code(2);
}

#[test]
fn diff_refuses_inventories_of_formats_it_does_not_read_and_two_outputs_onto_one_file() {
    let d = tempfile::tempdir().unwrap();
    let inv = scan(&fixture().join("estate.toml"));
    let good = d.path().join("good.json");
    std::fs::write(&good, serde_json::to_vec(&inv).unwrap()).unwrap();
    for version in [json!("3.0"), json!("0.9"), json!("2"), json!(2), json!("2.0; DROP")] {
        let mut bad = inv.clone();
        bad["schema_version"] = version.clone();
        let path = d.path().join("bad.json");
        std::fs::write(&path, serde_json::to_vec(&bad).unwrap()).unwrap();
        for (old, new) in [(&path, &good), (&good, &path)] {
            let out = kataster().arg("diff").arg(old).arg(new).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{version}: {stderr}");
            assert!(
                stderr.contains("bad.json: inventory format") && stderr.contains("not one this kataster reads"),
                "{stderr}"
            );
        }
    }
    // A later minor version of the format is read.
    let mut minor = inv.clone();
    minor["schema_version"] = json!("2.7");
    let path = d.path().join("minor.json");
    std::fs::write(&path, serde_json::to_vec(&minor).unwrap()).unwrap();
    let out = kataster().arg("diff").arg(&good).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Two reports onto one file.
    let out = kataster()
        .current_dir(d.path())
        .args(["diff", "good.json", "minor.json", "-o", "json=d.json", "-o", "markdown=./d.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("are the same file"));
    assert!(!d.path().join("d.json").exists());
}
