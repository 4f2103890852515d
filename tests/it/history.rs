//! The history database (`scan --db`, `merge --db`), its migrations, and the dashboard
//! drawn from two scans of the fixture estate.

use crate::kataster;
use kataster::history::{History, SCHEMA_VERSION, dashboard};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn estate_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/estate-multi/estate.toml")
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_scan_round_trips_through_the_database() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("history.sqlite");
    let json_out = d.path().join("estate.json");
    kataster()
        .args(["scan", "-q", "--estate-file"])
        .arg(estate_file())
        .arg("--db")
        .arg(&db)
        .args(["-o", &format!("json={}", json_out.display())])
        .assert()
        .success();
    let inv: Value = serde_json::from_slice(&std::fs::read(&json_out).unwrap()).unwrap();
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "PRAGMA user_version"), SCHEMA_VERSION);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM scans"), 1);
    let started: String = conn.query_row("SELECT started_at FROM scans", [], |r| r.get(0)).unwrap();
    assert_eq!(started, inv["scan"]["started_at"].as_str().unwrap());
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM components"), inv["components"].as_array().unwrap().len() as i64);
    let (dept, owner, crit, status, comps): (String, String, String, String, i64) = conn
        .query_row(
            "SELECT department, owner, criticality, status, components FROM repositories WHERE name = 'steuer'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (dept.as_str(), owner.as_str(), crit.as_str(), status.as_str(), comps),
        ("Finanzen", "fachverfahren-steuer@musterkreis.example", "high", "scanned", 4)
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM repositories WHERE status = 'failed'"), 1);
    assert_eq!(count(&conn, "SELECT errors FROM repositories WHERE name = 'defekt'"), 2);
    // License ids per slot: the project's declared license, the vendored code's detected one.
    let declared: String = conn
        .query_row(
            "SELECT license FROM licenses WHERE component_id = 'steuer:project:cargo:.' AND slot = 'declared'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(declared, "EUPL-1.2");
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM licenses WHERE component_id = 'bauportal:vendored:vendor/kartenlib' AND slot = 'license-file' AND license = 'BSD-3-Clause'"
        ),
        1
    );
    // Unclassified components and those whose status is unknown are stored as such, not
    // as closed source.
    assert_eq!(
        count(&conn, "SELECT COUNT(*) FROM components WHERE open_source IS NULL"),
        inv["summary"]["by_category"]["unclassified"].as_i64().unwrap_or(0)
            + inv["summary"]["by_open_source"]["unknown"].as_i64().unwrap_or(0)
    );

    // A second scan is a second row; findings of a merged inventory are stored.
    let mut with_findings = inv.clone();
    with_findings["findings"] = json!([{
        "component": "kasse:project:cargo:.", "name": "kassenbuch", "version": "1.0.3", "purl": null,
        "license": null, "decision": "review", "rule": "default:unknown", "reason": "no license declared", "paths": []
    }]);
    let part = d.path().join("part.json");
    std::fs::write(&part, serde_json::to_vec(&with_findings).unwrap()).unwrap();
    kataster().arg("merge").arg(&part).arg("--db").arg(&db).args(["-o", "json=/dev/null"]).assert().success();
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM scans"), 2);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM findings WHERE decision = 'review' AND rule = 'default:unknown'"), 1);
}

#[test]
fn an_old_database_is_migrated_and_keeps_its_scans() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("history.sqlite");
    {
        // A database as version 1 wrote it, with one scan.
        let h = History::open_at(&db, 1).unwrap();
        assert_eq!(h.schema_version().unwrap(), 1);
        h.connection()
            .execute_batch(
                "INSERT INTO scans VALUES (1, '2026-09-01T02:00:00Z', '2026-09-01T02:10:00Z', 600000, '0.1.0', '1', '1.0', 1, 10, 2, 0.5);
                 INSERT INTO repositories VALUES (1, 'steuer', '/srv/steuer', 'Finanzen', NULL, NULL, 'scanned', 2, 0);
                 INSERT INTO components VALUES (1, 'steuer:pkg:cargo/itoa@1.0.0', 'steuer', 'itoa', '1.0.0', 'cargo', 'dependency', 'runtime', NULL, 'MIT', 'MIT', 'permissive', 1, 0);
                 INSERT INTO components VALUES (1, 'steuer:project:cargo:.', 'steuer', 'steuer', '1.0.0', 'cargo', 'project', 'unknown', NULL, NULL, NULL, 'proprietary', 0, 1);",
            )
            .unwrap();
        let no_supplier = h.connection().prepare("SELECT supplier FROM components");
        assert!(no_supplier.is_err(), "version 1 has no supplier column");
    }
    // The next scan opens it with the current schema.
    kataster()
        .args(["scan", "-q", "--estate-file"])
        .arg(estate_file())
        .arg("--db")
        .arg(&db)
        .args(["-o", "json=/dev/null"])
        .assert()
        .success();
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "PRAGMA user_version"), SCHEMA_VERSION);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM scans"), 2);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM components WHERE scan_id = 1"), 2);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM components WHERE scan_id = 1 AND supplier IS NULL"), 2);
    // The old scan is on the dashboard, with its supplier unknown.
    let h = History::open(&db).unwrap();
    let data = dashboard::load(&h).unwrap();
    assert_eq!(data.scans.len(), 2);
    assert_eq!(data.scans[0].started_at, "2026-09-01T02:00:00Z");
    assert_eq!((data.scans[0].open_source, data.scans[0].not_open_source, data.scans[0].needs_review), (1, 1, 1));
    // Opening again migrates nothing twice.
    drop(h);
    assert_eq!(History::open(&db).unwrap().schema_version().unwrap(), SCHEMA_VERSION);
}

fn classify(inv: &mut Value, id_part: &str, category: &str, open_source: bool, supplier: Option<&str>) {
    for c in
        inv["components"].as_array_mut().unwrap().iter_mut().filter(|c| c["id"].as_str().unwrap().contains(id_part))
    {
        c["classification"] = json!({
            "category": category, "open_source": if open_source { "yes" } else { "no" }, "copyleft": "none",
            "obligations": [], "reasons": [], "needs_review": category == "proprietary"
        });
        if let Some(s) = supplier {
            c["supplier"] = json!(s);
        }
    }
}

#[test]
fn the_dashboard_draws_two_scans() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("history.sqlite");
    // Without the machine's package caches: the figures must not depend on what this machine has fetched.
    let out = kataster()
        .args(["scan", "-q", "-o", "json", "--no-local-caches", "--estate-file"])
        .arg(estate_file())
        .output()
        .unwrap();
    let mut scan: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The scenario starts from unclassified components (an inventory from before verdicts).
    for c in scan["components"].as_array_mut().unwrap() {
        c["classification"] = Value::Null;
    }

    // Month one: the crates are open source, kasse is proprietary from one vendor.
    let mut first = scan.clone();
    first["scan"]["started_at"] = json!("2026-10-01T02:00:00Z");
    classify(&mut first, ":pkg:cargo/", "permissive", true, None);
    classify(&mut first, "kasse:project", "proprietary", false, Some("Kassensysteme GmbH"));
    // Month two: the vendored map library turns out source-available, from another vendor.
    let mut second = first.clone();
    second["scan"]["started_at"] = json!("2026-11-01T02:00:00Z");
    classify(&mut second, "bauportal:vendored", "source-available", false, Some("Geo <Karten> AG"));
    classify(&mut second, "steuer:project", "permissive", true, None);
    // One component whose license nobody could identify: status unknown, shown apart.
    let unknown = second["components"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["classification"].is_null())
        .expect("an unclassified component");
    unknown["classification"] = json!({
        "category": "unknown", "open_source": "unknown", "copyleft": "none",
        "obligations": [], "reasons": [], "needs_review": true
    });
    for (i, inv) in [&first, &second].into_iter().enumerate() {
        let p = d.path().join(format!("scan-{i}.json"));
        std::fs::write(&p, serde_json::to_vec(inv).unwrap()).unwrap();
        kataster().arg("merge").arg(&p).arg("--db").arg(&db).args(["-o", "json=/dev/null"]).assert().success();
    }

    let h = History::open(&db).unwrap();
    let data = dashboard::load(&h).unwrap();
    assert_eq!(data.scans.len(), 2);
    let (a, b) = (&data.scans[0], &data.scans[1]);
    assert_eq!(a.components, 10);
    // 4 crates open source of 10 components, then 5 with the project.
    assert_eq!((a.open_source, a.not_open_source, a.unclassified), (4, 1, 5));
    assert_eq!((b.open_source, b.not_open_source, b.unknown, b.unclassified), (5, 2, 1, 2));
    assert_eq!(b.needs_review, 2);
    // The share over known status leaves the unknown and unclassified out: 5 of 7.
    assert!((b.share_known() - 5.0 / 7.0).abs() < 1e-9);
    let steuer = data.repositories.iter().find(|r| r.name == "steuer").unwrap();
    assert_eq!((steuer.open_source, steuer.not_open_source, steuer.unclassified), (4, 0, 0));
    let dept: Vec<(&str, u64)> = data.departments.iter().map(|s| (s.name.as_str(), s.total())).collect();
    assert_eq!(dept, [("Bauamt", 3), ("Finanzen", 6), ("unassigned", 1)]);
    assert_eq!(data.categories[0], ("permissive".to_string(), 5));
    // Both projects declare EUPL-1.2; it leads the licenses.
    assert_eq!(data.licenses[0], ("EUPL-1.2".to_string(), 2), "{:?}", data.licenses);
    let suppliers: Vec<(&str, u64, u64)> =
        data.suppliers.iter().map(|s| (s.supplier.as_str(), s.proprietary, s.source_available)).collect();
    assert_eq!(suppliers, [("Geo <Karten> AG", 0, 1), ("Kassensysteme GmbH", 1, 0)]);
    assert_eq!(data.top_supplier_share(), Some(0.5));

    let html_path = d.path().join("dashboard.html");
    kataster()
        .args(["dashboard", "--db"])
        .arg(&db)
        .args(["-o", &format!("html={}", html_path.display())])
        .assert()
        .success()
        .stdout("");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("2 scans from 2026-10-01 to 2026-11-01"), "{html}");
    // Share over time: 4/10 then 5/10.
    assert!(
        html.contains("open-source share: 40 % (2026-10-01)") && html.contains("open-source share: 50 % (2026-11-01)")
    );
    assert!(html.contains("<b>50.0 %</b>open-source share"));
    assert!(html.contains("<b>71.4 %</b>open-source share of known status"), "{html}");
    assert!(html.contains("<b>1</b>open-source status unknown"), "{html}");
    assert!(html.contains("status unknown"));
    for text in
        ["Finanzen", "unassigned", "kasse", "bauportal", "Kassensysteme GmbH", "Geo &lt;Karten&gt; AG", "EUPL-1.2"]
    {
        assert!(html.contains(text), "{text} missing");
    }
    assert!(html.contains("Vendor concentration"));
    // Self-contained: no scripts, no external resources of any kind.
    assert!(html.contains("<svg"));
    for banned in ["<script", "http://", "https://", "src=", "@import", "url("] {
        assert!(!html.contains(banned), "{banned} in the page");
    }
}

#[test]
fn dashboard_errors() {
    let d = tempfile::tempdir().unwrap();
    kataster().args(["dashboard", "--db"]).arg(d.path().join("missing.sqlite")).assert().code(2);
    let db = d.path().join("empty.sqlite");
    History::open(&db).unwrap();
    let out = kataster().args(["dashboard", "--db"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("holds no scans yet"));
    kataster().args(["dashboard", "--db"]).arg(&db).args(["-o", "pdf"]).assert().code(2);
    // A database written by a newer kataster is refused, not guessed at.
    Connection::open(&db).unwrap().pragma_update(None, "user_version", 42).unwrap();
    let out = kataster().args(["dashboard", "--db"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer"));
}
