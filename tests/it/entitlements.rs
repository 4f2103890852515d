//! End-to-end tests of license management: the register of entitlements (TOML, CSV, XLSX)
//! matched against the commercial packages of the fixture estate (real npm packages), the
//! findings and their policy levels, exceptions and baselines, the exit code of `check`,
//! and the vendor dependence.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/entitlements")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    inv: Value,
}

/// `check --estate-file fixture/estate.toml -o json=...` plus `extra`; an isolated HOME.
fn check(extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("inv.json");
    let estate = fixture().join("estate.toml");
    let spec = format!("json={}", json.display());
    let mut args = vec!["check", "--no-local-caches", "--estate-file", estate.to_str().unwrap(), "-o", &spec];
    args.extend_from_slice(extra);
    let out = crate::kataster().env("HOME", dir.path()).args(&args).output().unwrap();
    let inv = std::fs::read_to_string(&json).map(|t| serde_json::from_str(&t).unwrap()).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        inv,
    }
}

/// (component, decision, rule) of every finding.
fn findings(inv: &Value) -> Vec<(String, String, String)> {
    inv["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("component"), s("decision"), s("rule"))
        })
        .collect()
}

fn finding<'a>(inv: &'a Value, component: &str) -> &'a Value {
    inv["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["component"] == component)
        .unwrap_or_else(|| panic!("no finding for {component}: {:#?}", findings(inv)))
}

fn entitlement<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["entitlements"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap()
}

const KENDO: &str = "buergerportal:pkg:npm/%40progress/kendo-licensing@1.11.3";
const GRID: &str = "stadtplan:pkg:npm/ag-grid-enterprise@36.2.0";
const CHARTS: &str = "stadtplan:pkg:npm/ag-charts-enterprise@14.2.0";
const HC_PLAN: &str = "stadtplan:pkg:npm/highcharts@13.1.1";
const HC_PORTAL: &str = "buergerportal:pkg:npm/highcharts@13.1.1";

fn triple(c: &str, d: &str, r: &str) -> (String, String, String) {
    (c.to_string(), d.to_string(), r.to_string())
}

/// The findings the fixture register gives on the fixture estate (projects aside).
fn expected() -> Vec<(String, String, String)> {
    vec![
        triple(KENDO, "deny", "entitlement-missing"),
        triple(HC_PORTAL, "allow", "entitlement: HC-2025-014"),
        triple("entitlement:HC-2025-014", "review", "entitlement-over-quantity: HC-2025-014"),
        triple("entitlement:TRP-2024-03", "review", "entitlement-unused: TRP-2024-03"),
        triple(CHARTS, "deny", "entitlement-expired: AGG-2023-07"),
        triple(GRID, "deny", "entitlement-expired: AGG-2023-07"),
        triple(HC_PLAN, "allow", "entitlement: HC-2025-014"),
    ]
}

fn without_projects(inv: &Value) -> Vec<(String, String, String)> {
    findings(inv).into_iter().filter(|f| !f.0.contains(":project:")).collect()
}

#[test]
fn the_register_is_matched_against_the_commercial_packages_of_the_estate() {
    let r = check(&["--entitlements", fixture().join("entitlements.toml").to_str().unwrap()]);
    // Kendo UI is used without a license and the AG Grid subscription ran out: denied.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(without_projects(&r.inv), expected());
    let kendo = finding(&r.inv, KENDO);
    assert!(kendo["reason"].as_str().unwrap().contains("vendor Progress Software Corporation"), "{}", kendo["reason"]);
    assert!(finding(&r.inv, GRID)["reason"].as_str().unwrap().contains("expired on 2025-12-31"));
    assert!(
        finding(&r.inv, "entitlement:HC-2025-014")["reason"]
            .as_str()
            .unwrap()
            .contains("allows 1 repositories, 2 use it")
    );
    // The register section: what each entitlement covers, where, and its state.
    let hc = entitlement(&r.inv, "HC-2025-014");
    assert_eq!(hc["components"], serde_json::json!([HC_PORTAL, HC_PLAN]));
    assert_eq!(hc["repositories"], serde_json::json!(["buergerportal", "stadtplan"]));
    assert_eq!(hc["departments"], serde_json::json!(["Bürgerdienste", "Stadtplanung"]));
    assert_eq!((hc["validity"].as_str(), hc["over_quantity"].as_bool()), (Some("valid"), Some(true)));
    let agg = entitlement(&r.inv, "AGG-2023-07");
    assert_eq!(agg["validity"], "expired");
    assert_eq!(agg["components"], serde_json::json!([CHARTS, GRID]));
    assert_eq!(entitlement(&r.inv, "TRP-2024-03")["components"], serde_json::json!([]));
    // Ended and unused: in the register section, no finding.
    assert_eq!(entitlement(&r.inv, "ORA-2019-02")["validity"], "expired");
    assert!(findings(&r.inv).iter().all(|f| !f.0.contains("ORA")));
    // Findings count per repository as license findings do.
    let repo = |n: &str| r.inv["repositories"].as_array().unwrap().iter().find(|x| x["name"] == n).unwrap().clone();
    assert_eq!(repo("stadtplan")["findings"]["deny"], 2);
    assert_eq!(repo("buergerportal")["findings"]["deny"], 1);
    // The text on stdout names the rule and the register summary.
    assert!(r.stdout.contains("rule:     entitlement-missing"), "{}", r.stdout);
    assert!(r.stdout.contains("kataster check: 4 entitlements, 2 in use; 2 components allowed by entitlement"));
}

#[test]
fn without_a_register_commercial_components_go_to_review_as_before() {
    let r = check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(finding(&r.inv, KENDO)["rule"], "default: commercial goes to review");
    assert!(r.inv.get("entitlements").is_none());
}

#[test]
fn the_german_csv_and_an_xlsx_register_match_as_the_toml_does() {
    let csv = check(&["--entitlements", fixture().join("entitlements.csv").to_str().unwrap()]);
    assert_eq!(csv.code, 1, "{}", csv.stderr);
    assert_eq!(without_projects(&csv.inv), expected());
    let toml = check(&["--entitlements", fixture().join("entitlements.toml").to_str().unwrap()]);
    let strip = |v: &Value| {
        let mut v = v["entitlements"].clone();
        for e in v.as_array_mut().unwrap() {
            // The CSV names the license types in German and carries notes; the rest agrees.
            e.as_object_mut().unwrap().remove("license_type");
        }
        v
    };
    assert_eq!(strip(&csv.inv), strip(&toml.inv));

    // The same register as a workbook, dates as spreadsheet dates.
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("Lizenzen.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let text = std::fs::read_to_string(fixture().join("entitlements.csv")).unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    for (r, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            let (r, c) = (r as u32, c as u16);
            let parts: Vec<&str> = cell.split('.').collect();
            if r > 0 && parts.len() == 3 && parts.iter().all(|p| p.parse::<u16>().is_ok()) {
                let d = rust_xlsxwriter::ExcelDateTime::from_ymd(
                    parts[2].parse().unwrap(),
                    parts[1].parse().unwrap(),
                    parts[0].parse().unwrap(),
                )
                .unwrap();
                ws.write_datetime_with_format(r, c, &d, &date).unwrap();
            } else if let (true, Ok(n)) = (r > 0, cell.parse::<f64>()) {
                ws.write_number(r, c, n).unwrap();
            } else if !cell.is_empty() {
                ws.write_string(r, c, cell).unwrap();
            }
        }
    }
    wb.save(&xlsx).unwrap();
    let x = check(&["--entitlements", xlsx.to_str().unwrap()]);
    assert_eq!(x.code, 1, "{}", x.stderr);
    assert_eq!(without_projects(&x.inv), expected());
    assert_eq!(strip(&x.inv), strip(&toml.inv));
}

/// A register with one Highcharts site license ending `days` from today.
fn register_ending_in(dir: &Path, days: i64) -> PathBuf {
    let until = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    let p = dir.join("entitlements.toml");
    std::fs::write(
        &p,
        format!(
            "[[entitlement]]\nid = \"HC\"\nvendor = \"Highsoft AS\"\nproduct = \"Highcharts\"\ncovers = [\"pkg:npm/highcharts@*\"]\ntype = \"site\"\nvalid-until = \"{until}\"\n\n[[entitlement]]\nid = \"KENDO\"\nvendor = \"Progress\"\nproduct = \"Kendo UI\"\ncovers = [\"LicenseRef-scancode-telerik-eula\"]\ntype = \"subscription\"\n\n[[entitlement]]\nid = \"AGG\"\nvendor = \"AG Grid Ltd\"\nproduct = \"AG Grid Enterprise\"\ncovers = [\"pkg:npm/ag-*-enterprise\"]\ntype = \"per-department\"\nquantity = 1\n"
        ),
    )
    .unwrap();
    p
}

#[test]
fn an_entitlement_ending_within_the_window_is_a_review_item_and_the_window_is_policy() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register_ending_in(dir.path(), 30);
    let r = check(&["--entitlements", reg.to_str().unwrap()]);
    // Everything commercial is covered (Kendo by its license id): nothing denied.
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        without_projects(&r.inv),
        vec![
            triple(KENDO, "allow", "entitlement: KENDO"),
            triple(HC_PORTAL, "allow", "entitlement: HC"),
            triple("entitlement:HC", "review", "entitlement-expiring: HC"),
            triple(CHARTS, "allow", "entitlement: AGG"),
            triple(GRID, "allow", "entitlement: AGG"),
            triple(HC_PLAN, "allow", "entitlement: HC"),
        ]
    );
    assert_eq!(entitlement(&r.inv, "HC")["validity"], "expiring");
    // One department uses AG Grid: within its quantity of one.
    assert_eq!(entitlement(&r.inv, "AGG")["over_quantity"], false);
    // A shorter window: not yet expiring.
    let policy = dir.path().join("kataster.toml");
    std::fs::write(&policy, "[entitlements]\nexpiring-within-days = 10\n").unwrap();
    let r = check(&["--policy", policy.to_str().unwrap()]);
    // The register beside --policy is read without --entitlements.
    assert_eq!(entitlement(&r.inv, "HC")["validity"], "valid");
    assert!(findings(&r.inv).iter().all(|f| f.0 != "entitlement:HC"), "{:#?}", findings(&r.inv));
}

#[test]
fn levels_exceptions_and_baselines_work_as_for_license_findings() {
    let reg = fixture().join("entitlements.toml");
    let dir = tempfile::tempdir().unwrap();
    // Levels: unlicensed and expired only to review, unused silenced: check passes.
    let lenient = dir.path().join("lenient.toml");
    std::fs::write(&lenient, "[entitlements]\nmissing = \"review\"\nexpired = \"review\"\nunused = \"allow\"\n")
        .unwrap();
    let r = check(&["--entitlements", reg.to_str().unwrap(), "--policy", lenient.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(finding(&r.inv, KENDO)["decision"], "review");
    assert!(findings(&r.inv).iter().all(|f| f.0 != "entitlement:TRP-2024-03"));
    // With --fail-on review it fails again.
    let r =
        check(&["--entitlements", reg.to_str().unwrap(), "--policy", lenient.to_str().unwrap(), "--fail-on", "review"]);
    assert_eq!(r.code, 1);

    // Exceptions excuse an unlicensed component and an entitlement's finding.
    let excused = dir.path().join("excused.toml");
    std::fs::write(
        &excused,
        "[[exception]]\ncomponent = \"pkg:npm/%40progress/kendo-licensing@*\"\nreason = \"Trial, removed by 2027-03\"\nexpires = \"2099-03-31\"\n\n[[exception]]\ncomponent = \"pkg:npm/ag-*-enterprise@*\"\nreason = \"Renewal ordered, Bestellung 2026-112\"\n\n[[exception]]\ncomponent = \"entitlement:TRP-2024-03\"\nreason = \"Reporting server outside the repositories\"\n",
    )
    .unwrap();
    let r = check(&["--entitlements", reg.to_str().unwrap(), "--policy", excused.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let kendo = finding(&r.inv, KENDO);
    assert_eq!(
        (kendo["decision"].as_str(), kendo["rule"].as_str()),
        (Some("allow"), Some("exception: pkg:npm/%40progress/kendo-licensing@*"))
    );
    assert_eq!(finding(&r.inv, GRID)["rule"], "exception: pkg:npm/ag-*-enterprise@*");
    assert_eq!(finding(&r.inv, "entitlement:TRP-2024-03")["rule"], "exception: entitlement:TRP-2024-03");

    // A baseline with the same findings: the check passes and says so.
    let base = dir.path().join("base.json");
    std::fs::write(&base, serde_json::to_string(&check(&["--entitlements", reg.to_str().unwrap()]).inv).unwrap())
        .unwrap();
    let r = check(&["--entitlements", reg.to_str().unwrap(), "--baseline", base.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A register that no longer covers Highcharts: two new denials fail against that baseline.
    let narrower = dir.path().join("narrower.toml");
    let text = std::fs::read_to_string(&reg)
        .unwrap()
        .replace("covers = [\"pkg:npm/highcharts\"]", "covers = [\"pkg:npm/highcharts-more\"]");
    std::fs::write(&narrower, text).unwrap();
    let r = check(&["--entitlements", narrower.to_str().unwrap(), "--baseline", base.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_eq!(finding(&r.inv, HC_PLAN)["rule"], "entitlement-missing");
}

#[test]
fn a_register_with_a_mistake_is_a_usage_error_naming_the_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("entitlements.toml");
    std::fs::write(&bad, "[[entitlement]]\nvendor = \"Highsoft AS\"\nproduct = \"Highcharts\"\ncovers = [\"pkg:npm/highcharts\"]\ntype = \"per-seat-and-moon\"\n").unwrap();
    let r = check(&["--entitlements", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("entitlements.toml: entitlement 1: type `per-seat-and-moon` is not one of"),
        "{}",
        r.stderr
    );
    let garbage = dir.path().join("Lizenzen.xlsx");
    std::fs::write(&garbage, b"PK\x03\x04 not really a workbook").unwrap();
    let r = check(&["--entitlements", garbage.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Lizenzen.xlsx: not a readable XLSX workbook"), "{}", r.stderr);
    let r = check(&["--entitlements", dir.path().join("missing.csv").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.csv"), "{}", r.stderr);
}

#[test]
fn vendors_are_ranked_for_the_estate_and_per_department() {
    let r = check(&[]);
    let vendors: Vec<(String, u64, u64, u64)> = r.inv["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let n = |k: &str| v[k].as_u64().unwrap();
            (v["vendor"].as_str().unwrap().to_string(), n("components"), n("repositories"), n("departments"))
        })
        .collect();
    assert_eq!(vendors[0], ("Highsoft AS".to_string(), 2, 2, 2));
    assert_eq!(vendors.len(), 3, "{vendors:?}");
    // ag-grid-enterprise (declared `Commercial`, its LICENSE.html the AG Grid EULA) and
    // ag-charts-enterprise are one vendor's, named by the catalogue, not by the npm author.
    assert!(vendors.contains(&("AG Grid Ltd".to_string(), 2, 1, 1)), "{vendors:?}");
    let dept = |n: &str| r.inv["departments"].as_array().unwrap().iter().find(|d| d["name"] == n).unwrap().clone();
    let plan: Vec<String> = dept("Stadtplanung")["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["vendor"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(plan.len(), 2, "{plan:?}");
    assert!(plan.contains(&"Highsoft AS".to_string()));
    // The intranet uses only open source: no vendors.
    assert!(dept("IT").get("vendors").is_none());
    // The inventory with both sections validates against the schema.
    let r = check(&["--entitlements", fixture().join("entitlements.toml").to_str().unwrap()]);
    crate::support::assert_valid_inventory(&r.inv);
}

#[test]
fn reports_show_the_register_and_the_vendors_in_english_and_german() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let spec = |fmt: &str, name: &str| format!("{fmt}={}", out(name).display());
    let reg = fixture().join("entitlements.toml");
    let estate = fixture().join("estate.toml");
    for (lang, sheets, heads) in [
        ("en", ["Entitlements", "Vendor dependence"], ["Entitlement", "Vendor"]),
        ("de", ["Lizenzbestand", "Herstellerabhängigkeit"], ["Lizenz-Nr.", "Fachbereich"]),
    ] {
        let status = crate::kataster()
            .env("HOME", dir.path())
            .args(["scan", "--no-local-caches", "-q", "--estate-file", estate.to_str().unwrap()])
            .args(["--entitlements", reg.to_str().unwrap(), "--lang", lang, "--csv-delimiter", ";"])
            .args(["-o", &spec("html", "r.html"), "-o", &spec("xlsx", "r.xlsx")])
            .args(["-o", &spec("entitlements-csv", "e.csv"), "-o", &spec("vendors-csv", "v.csv")])
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let html = std::fs::read_to_string(out("r.html")).unwrap();
        assert!(html.contains(&format!("<section id=\"entitlements\"><h2>{}</h2>", sheets[0])), "{lang}");
        assert!(html.contains(&format!("<section id=\"vendors\"><h2>{}</h2>", sheets[1])), "{lang}");
        assert!(html.contains("<td>HC-2025-014</td><td>Highsoft AS</td><td>Highcharts</td>"), "{lang}");

        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out("r.xlsx")).unwrap();
        let names = wb.sheet_names();
        assert!(names.contains(&sheets[0].to_string()) && names.contains(&sheets[1].to_string()), "{names:?}");
        let ent = wb.worksheet_range(sheets[0]).unwrap();
        assert_eq!(ent.get((0, 0)).unwrap().to_string(), heads[0]);
        let ids: Vec<String> = ent.rows().skip(1).map(|r| r[0].to_string()).collect();
        assert_eq!(ids, ["HC-2025-014", "AGG-2023-07", "TRP-2024-03", "ORA-2019-02"]);
        let ven = wb.worksheet_range(sheets[1]).unwrap();
        assert_eq!(ven.get((1, 1)).unwrap().to_string(), "Highsoft AS");

        let csv = std::fs::read_to_string(out("e.csv")).unwrap();
        assert!(csv.starts_with(&format!("\u{feff}{};", heads[0])), "{csv}");
        let hc = csv.lines().nth(1).unwrap();
        let expired = if lang == "de" { "abgelaufen" } else { "expired" };
        assert!(hc.starts_with("HC-2025-014;Highsoft AS;Highcharts;"), "{hc}");
        assert!(csv.lines().nth(2).unwrap().contains(expired), "{csv}");
        let vendors = std::fs::read_to_string(out("v.csv")).unwrap();
        let total = if lang == "de" { "Gesamt" } else { "Total" };
        assert_eq!(vendors.lines().nth(1).unwrap(), format!("{total};Highsoft AS;2;2;2;highcharts"));
        assert!(vendors.contains("Stadtplanung;Highsoft AS;1;1;1;highcharts"), "{vendors}");
    }
}

#[test]
fn the_history_keeps_vendors_and_the_register_and_the_dashboard_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite");
    let estate = fixture().join("estate.toml");
    let reg = fixture().join("entitlements.toml");
    for extra in [vec![], vec!["--entitlements", reg.to_str().unwrap()]] {
        let out = crate::kataster()
            .env("HOME", dir.path())
            .args(["scan", "--no-local-caches", "-q", "--estate-file", estate.to_str().unwrap()])
            .args(["--db", db.to_str().unwrap(), "-o", "json=/dev/null"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let h = kataster::history::History::open(&db).unwrap();
    let count = |sql: &str| -> i64 { h.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM vendors WHERE scan_id = 1 AND department = ''"), 3);
    assert_eq!(
        count("SELECT components FROM vendors WHERE scan_id = 2 AND department = '' AND vendor = 'Highsoft AS'"),
        2
    );
    assert_eq!(count("SELECT COUNT(*) FROM vendors WHERE scan_id = 2 AND department = 'Stadtplanung'"), 2);
    assert_eq!(count("SELECT COUNT(*) FROM entitlements WHERE scan_id = 1"), 0);
    assert_eq!(count("SELECT over_quantity FROM entitlements WHERE scan_id = 2 AND id = 'HC-2025-014'"), 1);
    let data = kataster::history::dashboard::load(&h).unwrap();
    assert_eq!(data.vendors[0].vendor, "Highsoft AS");
    assert_eq!(data.vendors[0].first_components, Some(2));
    assert_eq!(data.entitlements.len(), 4);
    let html = kataster::history::dashboard::render(&data);
    assert!(html.contains("<h2>Vendor dependence</h2>"));
    assert!(html.contains("2 in 2 repositories, 2 departments; first scan 2"), "{html}");
    assert!(html.contains("<td>AGG-2023-07</td><td>AG Grid Ltd</td><td>AG Grid Enterprise</td><td>expired</td>"));
}
