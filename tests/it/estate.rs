//! Estate scans of `fixtures/estate-multi` (four repositories, one of them broken, and one
//! listed but missing): repositories and department roll-ups, discovery by `.git`, shards
//! and their merge.

use crate::fs_support;
use crate::kataster;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn estate_file() -> PathBuf {
    root().join("fixtures/estate-multi/estate.toml")
}

fn run_json(args: &[&str]) -> Value {
    let out = kataster().args(args).args(["-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json output")
}

fn scan_estate_file(extra: &[&str]) -> Value {
    let f = estate_file();
    let mut args = vec!["scan", "--estate-file", f.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_json(&args)
}

fn repository<'a>(inv: &'a Value, name: &str) -> &'a Value {
    inv["repositories"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

fn names(v: &Value, key: &str) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x[key].as_str().unwrap().to_string()).collect()
}

/// The inventory without what differs between runs: the scan's timestamps and duration.
fn without_timestamps(mut v: Value) -> Value {
    for k in ["started_at", "finished_at", "duration_ms"] {
        v["scan"][k] = Value::Null;
    }
    v
}

#[test]
fn estate_file_scan_lists_every_repository_and_rolls_up_per_department() {
    let inv = scan_estate_file(&[]);
    assert_eq!(names(&inv["repositories"], "name"), ["archiv", "bauportal", "defekt", "kasse", "steuer"]);
    assert_eq!(names(&inv["scan"]["roots"], "label"), ["archiv", "bauportal", "defekt", "kasse", "steuer"]);

    let steuer = repository(&inv, "steuer");
    assert_eq!(steuer["department"], "Finanzen");
    assert_eq!(steuer["owner"], "fachverfahren-steuer@musterkreis.example");
    assert_eq!(steuer["criticality"], "high");
    assert_eq!(steuer["status"], "scanned");
    // The project and its three locked crates.
    assert_eq!(steuer["summary"]["components"], 4);
    assert_eq!(steuer["summary"]["by_kind"]["dependency"], 3);
    assert_eq!(steuer["summary"]["files"], 3);
    let ids: Vec<String> = names(&inv["components"], "id");
    assert!(ids.contains(&"steuer:project:cargo:.".to_string()), "{ids:#?}");
    assert!(ids.contains(&"steuer:pkg:cargo/memchr@2.8.3".to_string()), "{ids:#?}");
    assert!(ids.contains(&"kasse:pkg:cargo/once_cell@1.21.4".to_string()), "{ids:#?}");
    assert!(ids.contains(&"bauportal:vendored:vendor/kartenlib".to_string()), "{ids:#?}");

    // The broken repository is scanned; its problems are diagnostics naming the files.
    let defekt = repository(&inv, "defekt");
    assert_eq!(defekt["status"], "scanned");
    assert_eq!(defekt["department"], Value::Null);
    assert_eq!(defekt["summary"]["diagnostics"]["error"], 2);
    let diags: Vec<(String, String)> = inv["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["root"] == "defekt")
        .map(|d| (d["path"].as_str().unwrap().to_string(), d["code"].as_str().unwrap().to_string()))
        .collect();
    for (path, code) in [("Cargo.toml", "parse-error"), ("Cargo.lock", "parse-error"), ("src/main.rs", "invalid-utf8")]
    {
        assert!(diags.contains(&(path.to_string(), code.to_string())), "{path} {code}: {diags:?}");
    }
    // The missing one failed, and said so; the others were not stopped by it.
    let archiv = repository(&inv, "archiv");
    assert_eq!(archiv["status"], "failed");
    assert_eq!(archiv["summary"]["components"], 0);
    assert!(
        inv["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["root"] == "archiv" && d["code"] == "repository-missing" && d["severity"] == "error"),
        "{}",
        inv["diagnostics"]
    );

    let depts = &inv["departments"];
    assert_eq!(names(depts, "name"), ["Bauamt", "Finanzen", "unassigned"]);
    let finanzen = &depts[1];
    assert_eq!(finanzen["repositories"], serde_json::json!(["kasse", "steuer"]));
    assert_eq!(finanzen["summary"]["components"], 6);
    assert_eq!(finanzen["summary"]["by_kind"]["project"], 2);
    assert_eq!(depts[0]["repositories"], serde_json::json!(["archiv", "bauportal"]));
    assert_eq!(depts[2]["repositories"], serde_json::json!(["defekt"]));
    // The estate's totals are the sum of its repositories'.
    let total: u64 =
        inv["repositories"].as_array().unwrap().iter().map(|r| r["summary"]["components"].as_u64().unwrap()).sum();
    assert_eq!(inv["summary"]["components"].as_u64().unwrap(), total);
}

#[test]
fn estate_inventory_validates_against_the_schema() {
    let inv = scan_estate_file(&[]);
    crate::support::assert_valid_inventory(&inv);
    // A shard carries its place in the partition, and validates too.
    let part = scan_estate_file(&["--shard", "1/2"]);
    assert_eq!(part["scan"]["shard"], serde_json::json!({"index": 1, "count": 2}));
    crate::support::assert_valid_inventory(&part);
}

/// Copy the fixture estate into a temporary folder and make its repositories git checkouts.
fn checked_out_estate() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let src = root().join("fixtures/estate-multi");
    fs_support::copy_tree(&src, d.path());
    for repo in ["steuer", "kasse", "bauportal", "defekt"] {
        std::fs::create_dir_all(d.path().join(repo).join(".git")).unwrap();
    }
    // A repository in a group folder, and a folder that is no repository.
    std::fs::create_dir_all(d.path().join("gruppe/wahlen/.git")).unwrap();
    std::fs::write(d.path().join("gruppe/wahlen/README"), "SPDX-License-Identifier: MIT\n").unwrap();
    d
}

#[test]
fn estate_folder_finds_repositories_by_git_and_takes_metadata_from_the_estate_file() {
    let d = checked_out_estate();
    let dir = d.path().to_str().unwrap();
    let inv = run_json(&["scan", "--estate", dir, "-q"]);
    assert_eq!(names(&inv["repositories"], "name"), ["bauportal", "defekt", "gruppe/wahlen", "kasse", "steuer"]);
    assert!(inv["repositories"].as_array().unwrap().iter().all(|r| r["department"].is_null()));
    assert!(names(&inv["components"], "id").contains(&"gruppe/wahlen:files".to_string()));
    // `next/` holds no `.git`: it is no repository.
    assert!(!names(&inv["repositories"], "name").iter().any(|n| n.starts_with("next")));

    let file = d.path().join("estate.toml");
    let inv = run_json(&["scan", "--estate", dir, "--estate-file", file.to_str().unwrap()]);
    assert_eq!(
        names(&inv["repositories"], "name"),
        ["archiv", "bauportal", "defekt", "gruppe/wahlen", "kasse", "steuer"]
    );
    assert_eq!(repository(&inv, "kasse")["department"], "Finanzen");
    assert_eq!(names(&inv["departments"], "name"), ["Bauamt", "Finanzen", "unassigned"]);
    assert_eq!(inv["departments"][2]["repositories"], serde_json::json!(["defekt", "gruppe/wahlen"]));
}

#[test]
fn merged_shards_equal_the_unsharded_scan() {
    let whole = without_timestamps(scan_estate_file(&[]));
    let d = tempfile::tempdir().unwrap();
    let n = 3;
    let mut parts = Vec::new();
    let mut sizes = Vec::new();
    for i in 1..=n {
        let part = scan_estate_file(&["--shard", &format!("{i}/{n}")]);
        sizes.push(part["repositories"].as_array().unwrap().len());
        let p = d.path().join(format!("part-{i}.json"));
        std::fs::write(&p, serde_json::to_vec(&part).unwrap()).unwrap();
        parts.push(p.to_str().unwrap().to_string());
    }
    // A real partition: every repository in exactly one shard, more than one shard used.
    assert_eq!(sizes.iter().sum::<usize>(), 5, "{sizes:?}");
    assert!(sizes.iter().filter(|&&s| s > 0).count() >= 2, "{sizes:?}");

    // Parts in any order give the same inventory as the unsharded scan.
    let mut args = vec!["merge"];
    args.extend(parts.iter().rev().map(String::as_str));
    let merged = without_timestamps(run_json(&args));
    assert_eq!(merged, whole);

    // Into a file, as CI jobs do.
    let out = d.path().join("estate.json");
    let spec = format!("json={}", out.display());
    kataster().arg("merge").args(&parts).args(["-o", &spec]).assert().success();
    let from_file: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(without_timestamps(from_file), whole);
}

/// An inventory of a later version may name ecosystems, diagnostic codes and rules this one
/// does not know: they are read and written back as they are.
#[test]
fn merge_keeps_the_names_of_a_later_version() {
    let d = tempfile::tempdir().unwrap();
    let mut inv = scan_estate_file(&[]);
    inv["components"][0]["ecosystem"] = json!("swift");
    let file = inv["files"].as_array().unwrap().iter().position(|f| !f["licenses"].as_array().unwrap().is_empty());
    let file = file.expect("a file with a license finding");
    inv["files"][file]["licenses"][0]["rule"] = json!("a-later-rule");
    inv["diagnostics"] = json!([{"severity": "info", "root": "", "path": "", "code": "a-later-code", "message": "m"}]);
    inv["findings"] = json!([{
        "component": inv["components"][0]["id"], "name": "x", "version": null, "purl": null, "license": null,
        "decision": "review", "rule": "a later rule: x", "reason": "r", "paths": []
    }]);
    let p = d.path().join("later.json");
    std::fs::write(&p, serde_json::to_vec(&inv).unwrap()).unwrap();
    let merged = run_json(&["merge", p.to_str().unwrap()]);
    assert_eq!(merged["components"][0]["ecosystem"], "swift");
    assert_eq!(merged["summary"]["by_ecosystem"]["swift"], 1);
    assert_eq!(merged["files"][file]["licenses"][0]["rule"], "a-later-rule");
    assert_eq!(merged["diagnostics"][0]["code"], "a-later-code");
    assert_eq!(merged["findings"][0]["rule"], "a later rule: x");
}

#[test]
fn merge_warns_of_missing_shards_and_refuses_overlapping_parts() {
    let d = tempfile::tempdir().unwrap();
    let write = |name: &str, v: &Value| {
        let p = d.path().join(name);
        std::fs::write(&p, serde_json::to_vec(v).unwrap()).unwrap();
        p.to_str().unwrap().to_string()
    };
    let p1 = write("p1.json", &scan_estate_file(&["--shard", "1/2"]));
    let merged = run_json(&["merge", &p1]);
    assert!(
        merged["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "shard-missing" && d["message"].as_str().unwrap().contains("shard 2/2")),
        "{}",
        merged["diagnostics"]
    );
    assert_eq!(merged["scan"]["shard"], Value::Null);

    let whole = write("whole.json", &scan_estate_file(&[]));
    let out = kataster().args(["merge", &whole, &p1, "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in both") && err.contains("whole.json") && err.contains("p1.json"), "{err}");

    let bad = d.path().join("bad.json");
    std::fs::write(&bad, "{\"schema_version\": ").unwrap();
    let out = kataster().args(["merge", bad.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
}

#[test]
fn estate_usage_errors() {
    // --shard needs an estate; shard bounds are checked; a bad estate file names itself.
    kataster().args(["scan", "--shard", "1/2", "fixtures"]).assert().code(2);
    let f = estate_file();
    kataster().args(["scan", "--estate-file", f.to_str().unwrap(), "--shard", "3/2"]).assert().code(2);
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("estate.toml");
    std::fs::write(&bad, "[[repository]]\nname = \"x\"\n").unwrap();
    let out = kataster().args(["scan", "--estate-file", bad.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("estate.toml"), "{}", String::from_utf8_lossy(&out.stderr));
    kataster().args(["scan", "--estate", "/nonexistent/estate"]).assert().code(2);
}

#[test]
fn progress_lines_stay_off_pipes() {
    // Not a terminal: nothing on stderr but real errors.
    let f = estate_file();
    let out = kataster().args(["scan", "--estate-file", f.to_str().unwrap(), "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn merge_refuses_empty_and_duplicate_component_ids() {
    let d = tempfile::tempdir().unwrap();
    let inv = scan_estate_file(&["--no-local-caches"]);
    let write = |name: &str, v: &Value| {
        let p = d.path().join(name);
        std::fs::write(&p, serde_json::to_vec(v).unwrap()).unwrap();
        p.to_str().unwrap().to_string()
    };
    let mut dup = inv.clone();
    let first = dup["components"][0].clone();
    dup["components"].as_array_mut().unwrap().push(first.clone());
    let mut empty = inv.clone();
    empty["components"][1]["id"] = Value::from(" ");
    for (file, v, want) in [
        ("dup.json", dup, format!("component `{}` is in", first["id"].as_str().unwrap())),
        ("empty.json", empty, "empty.json: a component has an empty id".to_string()),
    ] {
        let p = write(file, &v);
        let out = kataster().args(["merge", &p, "-o", "json"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(&want) && err.contains(file), "{err}");
    }
}

/// A copy of the estate where `kasse` carries its own `kataster.toml` allowing what the
/// built-in default sends to review (unknown licenses: without the package caches its
/// dependencies have none); `central` (if any) is the estate file's central policy.
fn estate_with_own_policy(d: &Path, central: Option<&str>) -> PathBuf {
    fs_support::copy_tree(&root().join("fixtures/estate-multi"), d);
    std::fs::write(d.join("kasse/kataster.toml"), "[licenses]\nallow = [\"unknown\"]\n").unwrap();
    let file = d.join("estate.toml");
    if let Some(text) = central {
        std::fs::write(d.join("central.toml"), text).unwrap();
        let listed = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("policy = \"central.toml\"\n{listed}")).unwrap();
    }
    file
}

fn findings_of<'a>(inv: &'a Value, root: &str) -> Vec<&'a Value> {
    let prefix = format!("{root}:");
    inv["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["component"].as_str().unwrap().starts_with(&prefix))
        .collect()
}

#[test]
fn in_an_estate_scan_a_repository_does_not_set_its_own_policy() {
    let d = tempfile::tempdir().unwrap();
    // No central policy: the built-in default rules; kasse's own rules are recorded as ignored.
    let f = estate_with_own_policy(d.path(), None);
    let inv = run_json(&["scan", "-q", "--no-local-caches", "--estate-file", f.to_str().unwrap()]);
    let kasse = findings_of(&inv, "kasse");
    assert!(!kasse.is_empty() && kasse.iter().all(|f| f["rule"] == "default: unknown goes to review"), "{kasse:?}");
    let ignored = inv["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "policy-proposal-ignored");
    assert_eq!(ignored.map(|x| x["root"].as_str().unwrap()), Some("kasse"), "{}", inv["diagnostics"]);
    // The estate file's policy rules every repository, kasse included.
    let d = tempfile::tempdir().unwrap();
    let f = estate_with_own_policy(d.path(), Some("[licenses]\ndeny = [\"unknown\"]\n"));
    let inv = run_json(&["scan", "-q", "--no-local-caches", "--estate-file", f.to_str().unwrap()]);
    for repo in ["kasse", "steuer"] {
        let found = findings_of(&inv, repo);
        assert!(!found.is_empty() && found.iter().all(|f| f["rule"] == "licenses.deny: unknown"), "{repo}: {found:?}");
    }
    // --policy rules over the estate file's.
    let other = d.path().join("other.toml");
    std::fs::write(&other, "[licenses]\nallow = [\"unknown\"]\n").unwrap();
    let inv = run_json(&[
        "scan",
        "-q",
        "--no-local-caches",
        "--estate-file",
        f.to_str().unwrap(),
        "--policy",
        other.to_str().unwrap(),
    ]);
    assert!(findings_of(&inv, "steuer").iter().all(|f| f["rule"] != "licenses.deny: unknown"));
}
