//! End-to-end tests of `kataster scan` on the fixture estate: what is found, the
//! diagnostics for bad input, determinism and exit codes.

use crate::kataster;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn estate() -> PathBuf {
    fixtures().join("estate")
}

fn scan_json(root: &Path) -> Value {
    let out = kataster().arg("scan").arg(root).args(["-o", "json", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json output")
}

fn component<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["components"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| {
        let ids: Vec<_> =
            inv["components"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap_or("")).collect();
        panic!("no component {id}; have {ids:#?}")
    })
}

fn diagnostics_for<'a>(inv: &'a Value, path: &str) -> Vec<&'a Value> {
    inv["diagnostics"].as_array().unwrap().iter().filter(|d| d["path"] == path).collect()
}

#[test]
fn json_validates_against_the_schema() {
    let inv = scan_json(&estate());
    crate::support::assert_valid_inventory(&inv);
}

#[test]
fn finds_projects_dependencies_vendored_code_and_loose_files() {
    let inv = scan_json(&estate());
    let app = component(&inv, "estate:project:cargo:rust-app");
    assert_eq!(app["name"], "fahrplan");
    assert_eq!(app["version"], "0.3.1");
    assert_eq!(app["purl"], "pkg:cargo/fahrplan@0.3.1");
    assert_eq!(app["declared_license"], "MIT OR Apache-2.0");
    assert_eq!(app["kind"], "project");

    let itoa = component(&inv, "estate:pkg:cargo/itoa@1.0.19");
    assert_eq!(itoa["kind"], "dependency");
    assert_eq!(itoa["scope"], "runtime");
    assert_eq!(itoa["direct"], true);
    assert_eq!(itoa["projects"], serde_json::json!(["estate:project:cargo:rust-app"]));
    assert_eq!(itoa["hashes"][0]["alg"], "SHA-256");
    assert!(
        itoa["locations"].as_array().unwrap().iter().any(|l| l == "rust-app/Cargo.lock:15"),
        "{}",
        itoa["locations"]
    );
    assert_eq!(component(&inv, "estate:pkg:cargo/smallvec@1.16.6")["scope"], "optional");
    assert_eq!(component(&inv, "estate:pkg:cargo/static_assertions@1.1.0")["scope"], "dev");
    assert_eq!(app["dependencies"].as_array().unwrap().len(), 3);

    let minilib = component(&inv, "estate:vendored:vendor/minilib");
    assert_eq!(minilib["kind"], "vendored");
    // Its LICENSE declares it: the license file of its own folder.
    assert_eq!(minilib["scope_license"], "BSD-3-Clause", "{minilib}");
    assert_eq!(minilib["concluded_license"], "BSD-3-Clause", "{minilib}");

    let files = component(&inv, "estate:files");
    assert_eq!(files["kind"], "files");

    // Every file is listed, with its hash; the tag in main.rs is found on line 1.
    let main_rs = inv["files"].as_array().unwrap().iter().find(|f| f["path"] == "rust-app/src/main.rs").unwrap();
    assert_eq!(main_rs["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(main_rs["licenses"][0]["expression"], "MIT OR Apache-2.0");
    assert_eq!(main_rs["licenses"][0]["method"], "tag");
    assert_eq!(main_rs["licenses"][0]["start_line"], 1);
    assert!(app["discovered_licenses"].as_array().unwrap().iter().any(|l| l == "MIT OR Apache-2.0"));
}

#[test]
fn bad_input_gives_diagnostics_naming_the_path_and_the_scan_goes_on() {
    let inv = scan_json(&estate());
    let codes =
        |p: &str| diagnostics_for(&inv, p).iter().map(|d| d["code"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(
        codes("broken-lock/Cargo.lock").contains(&"parse-error".to_string()),
        "{:?}",
        codes("broken-lock/Cargo.lock")
    );
    let broken = &diagnostics_for(&inv, "broken-lock/Cargo.lock")[0];
    assert!(broken["message"].as_str().unwrap().contains("line 18"), "{broken}");
    assert!(codes("assets/logo.png").contains(&"binary-file".to_string()));
    assert!(codes("legacy/liesmich.txt").contains(&"invalid-utf8".to_string()));
    assert!(codes("loops/self-a").contains(&"symlink-loop".to_string()), "{:?}", inv["diagnostics"]);
    assert!(codes("loops/parent").contains(&"symlink-loop".to_string()));
    // The manifest beside the corrupt lockfile still gives its project.
    assert_eq!(component(&inv, "estate:project:cargo:broken-lock")["declared_license"], "GPL-3.0-or-later");
    // The latin-1 file is still listed and hashed.
    let latin = inv["files"].as_array().unwrap().iter().find(|f| f["path"] == "legacy/liesmich.txt").unwrap();
    assert_eq!(latin["kind"], "text");
}

#[test]
fn unreadable_folder_and_oversized_file_give_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    std::fs::create_dir_all(root.join("secret")).unwrap();
    std::fs::create_dir_all(root.join("open")).unwrap();
    std::fs::write(root.join("secret/a.txt"), "x").unwrap();
    std::fs::write(root.join("open/LICENSE"), "SPDX-License-Identifier: MIT\n").unwrap();
    let big = std::fs::File::create(root.join("open/big.bin")).unwrap();
    big.set_len(5_000_000).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root.join("secret"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();

    // Root reads everything; drop to an unprivileged user so the folder is really unreadable.
    let is_root = unsafe_euid_is_root();
    let mut cmd = if is_root {
        // The unprivileged user may not reach the build folder (a checkout under /root):
        // run a copy of the binary from the temporary folder.
        let bin = dir.path().join("kataster");
        std::fs::copy(crate::support::kataster_path(), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&bin);
        c
    } else {
        std::process::Command::new(crate::support::kataster_path())
    };
    crate::support::isolate(&mut cmd);
    let out = cmd.arg("scan").arg(&root).args(["-o", "json", "-q", "--max-file-size", "1000000"]).output().unwrap();
    std::fs::set_permissions(root.join("secret"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    let secret = diagnostics_for(&inv, "secret");
    assert!(!secret.is_empty() && secret[0]["code"] == "unreadable", "{:#?}", inv["diagnostics"]);
    let big = diagnostics_for(&inv, "open/big.bin");
    assert_eq!(big[0]["code"], "file-too-large");
    let lic = inv["files"].as_array().unwrap().iter().find(|f| f["path"] == "open/LICENSE").unwrap();
    assert_eq!(lic["license_expression"], "MIT");
}

fn unsafe_euid_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The JSON without the fields that are allowed to change between runs.
fn stable(mut v: Value) -> Value {
    for k in ["started_at", "finished_at", "duration_ms"] {
        v["scan"][k] = Value::Null;
    }
    v
}

#[test]
fn two_runs_are_byte_identical_apart_from_timestamps() {
    let run = |fmt: &str| kataster().arg("scan").arg(estate()).args(["-o", fmt, "-q"]).output().unwrap().stdout;
    let (a, b) = (run("json"), run("json"));
    let (va, vb): (Value, Value) = (serde_json::from_slice(&a).unwrap(), serde_json::from_slice(&b).unwrap());
    assert_eq!(serde_json::to_vec(&stable(va)).unwrap(), serde_json::to_vec(&stable(vb)).unwrap());
    // Only the timestamp lines differ in the raw bytes.
    let la: Vec<&str> = std::str::from_utf8(&a).unwrap().lines().collect();
    let lb: Vec<&str> = std::str::from_utf8(&b).unwrap().lines().collect();
    assert_eq!(la.len(), lb.len());
    for (x, y) in la.iter().zip(&lb) {
        if x != y {
            assert!(["started_at", "finished_at", "duration_ms"].iter().any(|k| x.contains(k)), "{x} != {y}");
        }
    }
    assert_eq!(run("csv"), run("csv"));
}

#[test]
fn csv_has_one_row_per_component() {
    let out = kataster().arg("scan").arg(estate()).args(["-o", "csv", "-q", "--csv-delimiter", ";"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let inv = scan_json(&estate());
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows.len(), inv["components"].as_array().unwrap().len() + 1);
    assert!(rows[0].starts_with("Project;Component;Version;Ecosystem"));
    assert!(rows.iter().any(|r| r.contains(";fahrplan;0.3.1;cargo;project;")), "{text}");
}

#[test]
fn outputs_go_to_files_atomically_and_table_is_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("inv.json");
    let csv = dir.path().join("inv.csv");
    kataster()
        .arg("scan")
        .arg(estate())
        .arg("-o")
        .arg(format!("json={}", json.display()))
        .arg("-o")
        .arg(format!("csv={}", csv.display()))
        .assert()
        .success();
    let inv: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(inv["components"].as_array().unwrap().len() > 3);
    assert!(std::fs::read_to_string(&csv).unwrap().contains("fahrplan"));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "no temporary files left: {names:?}");

    let out = kataster().arg("scan").arg(estate()).arg("-q").output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("fahrplan") && table.contains("NAME"), "{table}");
}

#[test]
fn exit_codes() {
    kataster().args(["scan", "--no-such-flag"]).assert().code(2);
    kataster().args(["scan", "-o", "nonsense"]).assert().code(2);
    kataster().args(["scan", "/definitely/not/here"]).assert().code(2);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("missing-dir/inv.json");
    kataster().arg("scan").arg(estate()).arg("-q").arg("-o").arg(format!("json={}", bad.display())).assert().code(3);
    assert!(!bad.exists());
    kataster().arg("scan").arg(estate()).args(["-q", "-o", "json"]).assert().code(0);
}

#[test]
fn several_roots_are_labelled_apart() {
    let inv = scan_json_many(&[estate().join("rust-app"), estate().join("vendor")]);
    let labels: Vec<_> =
        inv["scan"]["roots"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap().to_string()).collect();
    assert_eq!(labels, vec!["rust-app", "vendor"]);
    assert!(component(&inv, "rust-app:project:cargo:.")["name"] == "fahrplan");
    // Scanned on its own, the folder with its own LICENSE is a license scope of its own.
    assert_eq!(component(&inv, "vendor:files:minilib")["concluded_license"], "BSD-3-Clause");
}

fn scan_json_many(roots: &[PathBuf]) -> Value {
    let out = kataster().arg("scan").args(roots).args(["-o", "json", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Source folders of crates kataster itself depends on: real open-source projects, thousands
/// of files, present wherever kataster was built. Cargo tells where they are
/// (`cargo metadata`), whatever the machine's CARGO_HOME.
fn registry_crates(names: &[&str]) -> Vec<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut dirs: Vec<PathBuf> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| names.contains(&p["name"].as_str().unwrap()) && p["source"].is_string())
        .map(|p| Path::new(p["manifest_path"].as_str().unwrap()).parent().unwrap().to_path_buf())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn real_projects_of_thousands_of_files_scan_without_panic() {
    // Dependencies of kataster itself, so they are present wherever it was built.
    let roots = registry_crates(&["spdx", "libc", "rust_xlsxwriter", "serde-saphyr"]);
    assert!(roots.len() >= 4, "crate sources not found by cargo metadata: {roots:?}");
    let out = kataster().arg("scan").args(&roots).args(["-q", "-o", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(inv["scan"]["files_seen"].as_u64().unwrap() > 2000, "{}", inv["scan"]);
    // Each crate is a Cargo project with its declared license.
    let projects: Vec<&Value> =
        inv["components"].as_array().unwrap().iter().filter(|c| c["kind"] == "project").collect();
    assert!(projects.len() >= 4);
    let spdx = projects.iter().find(|c| c["name"] == "spdx").unwrap();
    assert_eq!(spdx["declared_license"], "Apache-2.0");
}

#[test]
fn two_outputs_onto_one_file_are_refused_before_anything_is_written() {
    let d = tempfile::tempdir().unwrap();
    let root = fixtures().join("policy").join("gpl-app");
    let db = d.path().join("h.db");
    // A history database that holds a scan.
    let out = kataster().arg("scan").arg(&root).args(["-q", "--no-local-caches", "--db"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let before = std::fs::read(&db).unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(d.path().join("sub"), d.path().join("alias")).unwrap();
    let same = |a: &str, b: &str| -> Vec<String> { vec!["-o".into(), a.to_string(), "-o".into(), b.to_string()] };
    for (cmd, args, both) in [
        ("scan", vec!["-o".to_string(), "json=h.db".into(), "--db".into(), "h.db".into()], ("-o json", "--db")),
        ("check", vec!["-o".to_string(), "json=./h.db".into(), "--db".into(), "h.db".into()], ("-o json", "--db")),
        ("scan", same("json=out.json", "csv=./out.json"), ("-o json", "-o csv")),
        ("scan", same("csv=sub/r.csv", "html=alias/r.csv"), ("-o csv", "-o html")),
    ] {
        let out = kataster()
            .current_dir(d.path())
            .args([cmd, root.to_str().unwrap(), "-q", "--no-local-caches"])
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd} {args:?}: {stderr}");
        assert!(stderr.contains(both.0) && stderr.contains(both.1) && stderr.contains("are the same file"), "{stderr}");
        assert_eq!(std::fs::read(&db).unwrap(), before, "the history database is untouched");
        assert!(!d.path().join("out.json").exists() && !d.path().join("sub/r.csv").exists());
    }
    // Outputs to distinct files, and the database beside them, are fine.
    let out = kataster()
        .current_dir(d.path())
        .args(["scan", root.to_str().unwrap(), "-q", "--no-local-caches", "-o", "json=a.json", "-o", "csv=a.csv"])
        .args(["--db", "h.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(d.path().join("a.json").is_file() && d.path().join("a.csv").is_file());
}

#[test]
fn threads_beyond_the_limit_are_a_usage_error() {
    let root = fixtures().join("policy").join("gpl-app");
    let out =
        kataster().arg("scan").arg(&root).args(["-q", "--no-local-caches", "--threads", "4000"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("4000 threads is more than the 256"), "{stderr}");
    let out = kataster().arg("scan").arg(&root).args(["-q", "--no-local-caches", "--threads", "256"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_dashboard_is_not_written_over_its_own_history_database() {
    let d = tempfile::tempdir().unwrap();
    let root = fixtures().join("policy").join("gpl-app");
    let out = kataster()
        .current_dir(d.path())
        .arg("scan")
        .arg(&root)
        .args(["-q", "--no-local-caches", "--db", "h.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let before = std::fs::read(d.path().join("h.db")).unwrap();
    let out =
        kataster().current_dir(d.path()).args(["dashboard", "--db", "h.db", "-o", "html=./h.db"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("are the same file"));
    assert_eq!(std::fs::read(d.path().join("h.db")).unwrap(), before);
}
