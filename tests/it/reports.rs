//! The reports on the fixture estate: all six formats from one scan in one run, each checked
//! by its external validator (CycloneDX schema, pyspdxtools, the NTIA and BSI checkers,
//! openpyxl, headless Chromium), their content, determinism, German output, and snapshots.
//!
//! The validators are installed by `.ci/run`. A test that needs one fails with a message
//! naming the missing tool; `KATASTER_SKIP_EXTERNAL_VALIDATORS=1` skips those checks
//! explicitly (the rest of each test still runs).

use kataster::model::Inventory;
use kataster::report::{self, Format, Lang, ReportOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn estate() -> PathBuf {
    manifest_dir().join("fixtures/estate")
}

fn validators() -> PathBuf {
    manifest_dir().join("tests/reports-validators")
}

/// How long an external validator or the browser may take before the test fails.
const EXTERNAL_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

fn skip_external() -> bool {
    std::env::var("KATASTER_SKIP_EXTERNAL_VALIDATORS").is_ok_and(|v| v == "1")
}

/// Run an external validator, stopped after [`EXTERNAL_LIMIT`]. `None` only when external
/// validators are skipped explicitly; a missing tool otherwise fails the test with what to
/// install.
fn external(program: &str, args: &[&str], install: &str) -> Option<Output> {
    if skip_external() {
        eprintln!("KATASTER_SKIP_EXTERNAL_VALIDATORS=1: not running {program}");
        return None;
    }
    match crate::run_with_timeout(program, args, EXTERNAL_LIMIT) {
        Ok(o) => Some(o),
        Err(e) => panic!(
            "validator `{program}` could not be run ({e}); install it with `{install}` (see .ci/run), \
             or set KATASTER_SKIP_EXTERNAL_VALIDATORS=1 to skip external validators"
        ),
    }
}

fn python(script: &str, file: &Path) -> Option<Output> {
    let script = validators().join(script);
    let out = external(
        "python3",
        &[script.to_str().unwrap(), file.to_str().unwrap()],
        "pip install cyclonedx-python-lib[json-validation] openpyxl",
    )?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("ModuleNotFoundError"),
        "a Python module for {script:?} is missing: {err}\ninstall it with `pip install \
         cyclonedx-python-lib[json-validation] openpyxl` (see .ci/run), or set KATASTER_SKIP_EXTERNAL_VALIDATORS=1"
    );
    Some(out)
}

/// The CycloneDX 1.6 schema (cyclonedx-python-lib) accepts the file.
fn assert_valid_cyclonedx(file: &Path) {
    if let Some(out) = python("cyclonedx_validate.py", file) {
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The six reports of one `kataster scan` run (English), in a temporary folder.
struct Run {
    _dir: tempfile::TempDir,
    cdx: PathBuf,
    spdx: PathBuf,
    xlsx: PathBuf,
    html: PathBuf,
    notice: PathBuf,
    csv: PathBuf,
}

fn run_all(lang: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let run = Run {
        cdx: p("a.cdx.json"),
        spdx: p("a.spdx.json"),
        xlsx: p("a.xlsx"),
        html: p("a.html"),
        notice: p("NOTICE"),
        csv: p("a.csv"),
        _dir: dir,
    };
    let mut cmd = crate::kataster();
    cmd.arg("scan").arg(estate()).args(["-q", "--no-local-caches", "--lang", lang]);
    for (format, path) in [
        ("cyclonedx-json", &run.cdx),
        ("spdx-json", &run.spdx),
        ("xlsx", &run.xlsx),
        ("html", &run.html),
        ("notice", &run.notice),
        ("csv", &run.csv),
    ] {
        cmd.arg("-o").arg(format!("{format}={}", path.display()));
    }
    if lang == "de" {
        cmd.args(["--csv-delimiter", ";"]);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    run
}

fn english() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run_all("en"))
}

fn german() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run_all("de"))
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// The estate's inventory from the library, scanned once per test binary.
fn inventory() -> Inventory {
    static INV: OnceLock<Inventory> = OnceLock::new();
    INV.get_or_init(|| {
        let resolve = kataster::resolve::ResolveOptions { no_local_caches: true, ..Default::default() };
        kataster::scan::scan(&kataster::scan::ScanOptions { roots: vec![estate()], resolve, ..Default::default() })
    })
    .clone()
}

/// Machine-dependent text (times, the checkout's absolute path) replaced for snapshots.
fn redact(text: &str) -> String {
    let t = text.replace(manifest_dir().to_str().unwrap(), "[checkout]");
    let re = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)").unwrap();
    re.replace_all(&t, "[time]").into_owned()
}

fn component<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|c| c[key] == value).unwrap_or_else(|| panic!("no {key}={value} in {list}"))
}

fn props<'a>(c: &'a Value, name: &str) -> Vec<&'a str> {
    c["properties"]
        .as_array()
        .map(|a| a.iter().filter(|p| p["name"] == name).filter_map(|p| p["value"].as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn cyclonedx_is_valid_1_6_and_carries_licenses_hashes_graph_and_evidence() {
    let run = english();
    assert_valid_cyclonedx(&run.cdx);
    let bom = read_json(&run.cdx);
    assert_eq!(bom["specVersion"], "1.6");
    assert!(
        regex::Regex::new("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
            .unwrap()
            .is_match(bom["serialNumber"].as_str().unwrap())
    );
    assert_eq!(bom["metadata"]["component"]["name"], "estate");
    assert_eq!(bom["metadata"]["tools"]["components"][0]["name"], "kataster");
    let comps = &bom["components"];
    let inv = inventory();
    assert_eq!(comps.as_array().unwrap().len(), inv.components.len());

    // Compound expressions: one expression (concluded), the declared one as a property.
    let app = component(comps, "bom-ref", "estate:project:cargo:rust-app");
    assert_eq!(
        app["licenses"],
        serde_json::json!([{"expression": "MIT OR Apache-2.0", "acknowledgement": "concluded"}])
    );
    assert_eq!(props(app, "kataster:declared-license"), ["MIT OR Apache-2.0"]);
    assert_eq!(app["manufacturer"]["contact"][0]["email"], "it@musterstadt.example");
    // Single licenses: declared and concluded side by side.
    let alt = component(comps, "bom-ref", "estate:project:cargo:broken-lock");
    assert_eq!(
        alt["licenses"],
        serde_json::json!([
            {"license": {"id": "GPL-3.0-or-later", "acknowledgement": "declared"}},
            {"license": {"id": "GPL-3.0-or-later", "acknowledgement": "concluded"}}
        ])
    );
    let itoa = component(comps, "bom-ref", "estate:pkg:cargo/itoa@1.0.19");
    assert_eq!(itoa["purl"], "pkg:cargo/itoa@1.0.19");
    assert_eq!(itoa["hashes"][0]["alg"], "SHA-256");
    assert_eq!(itoa["scope"], "required");
    assert!(itoa.get("licenses").is_none(), "no license known, none invented: {itoa}");
    let dev = component(comps, "bom-ref", "estate:pkg:cargo/static_assertions@1.1.0");
    assert_eq!(dev["scope"], "excluded");
    // Evidence: the file and line behind a detected license.
    let minilib = component(comps, "bom-ref", "estate:vendored:vendor/minilib");
    let occurrences = minilib["evidence"]["occurrences"].as_array().unwrap();
    assert_eq!(occurrences[0]["location"], "vendor/minilib/LICENSE", "the declaring license file first");
    let occ = occurrences.iter().find(|o| o["location"] == "vendor/minilib/minilib.c").unwrap();
    assert_eq!(occ["line"], 4);
    assert_eq!(minilib["evidence"]["licenses"][0]["expression"], "BSD-3-Clause");
    // BSI TR-03183-2 properties: each at most once per component.
    for c in comps.as_array().unwrap() {
        for p in ["bsi:component:archive", "bsi:component:structured", "bsi:component:executable"] {
            assert!(props(c, p).len() <= 1, "{p} twice in {c}");
        }
        assert_eq!(props(c, "bsi:component:archive").len(), 1, "{c}");
    }
    assert_eq!(props(itoa, "bsi:component:archive"), ["archive"]);
    // Dependency graph: every component has an entry; the project depends on its crates.
    let deps = &bom["dependencies"];
    assert_eq!(deps.as_array().unwrap().len(), inv.components.len() + 1);
    let app_deps = component(deps, "ref", "estate:project:cargo:rust-app");
    assert_eq!(app_deps["dependsOn"].as_array().unwrap().len(), 3);
    let root = component(deps, "ref", "estate:root");
    assert!(root["dependsOn"].as_array().unwrap().iter().any(|d| d == "estate:project:cargo:rust-app"));
}

#[test]
fn spdx_is_valid_2_3_with_packages_files_relationships() {
    let run = english();
    if let Some(out) = external("pyspdxtools", &["-i", run.spdx.to_str().unwrap()], "pip install spdx-tools") {
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && !text.contains("ERROR"), "pyspdxtools: {text}");
    }
    let doc = read_json(&run.spdx);
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert!(doc["documentNamespace"].as_str().unwrap().starts_with("urn:uuid:"));
    let pkgs = &doc["packages"];
    let alt = component(pkgs, "name", "altdaten");
    assert_eq!(alt["licenseDeclared"], "GPL-3.0-or-later");
    assert_eq!(alt["licenseConcluded"], "GPL-3.0-or-later");
    let itoa = component(pkgs, "name", "itoa");
    assert_eq!(itoa["licenseDeclared"], "NOASSERTION");
    assert_eq!(itoa["licenseConcluded"], "NOASSERTION");
    assert_eq!(itoa["checksums"][0]["algorithm"], "SHA256");
    assert_eq!(itoa["externalRefs"][0]["referenceLocator"], "pkg:cargo/itoa@1.0.19");
    assert_eq!(itoa["filesAnalyzed"], false);
    let app = component(pkgs, "name", "fahrplan");
    assert_eq!(app["supplier"], "Organization: Stadt Musterstadt (it@musterstadt.example)");
    assert_eq!(app["filesAnalyzed"], true);
    assert!(app["packageVerificationCode"]["packageVerificationCodeValue"].as_str().unwrap().len() == 40);
    let main = component(&doc["files"], "fileName", "./rust-app/src/main.rs");
    assert_eq!(main["licenseInfoInFiles"], serde_json::json!(["Apache-2.0", "MIT"]));
    assert_eq!(main["checksums"][0]["algorithm"], "SHA1");
    let rels = doc["relationships"].as_array().unwrap();
    let has = |kind: &str| rels.iter().filter(|r| r["relationshipType"] == kind).count();
    let inv = inventory();
    let edges: usize = inv.components.iter().map(|c| c.dependencies.len()).sum();
    let files_read = inv.files.iter().filter(|f| f.sha1.is_some()).count();
    assert!(has("DESCRIBES") >= 3 && has("DEPENDS_ON") >= edges && has("CONTAINS") == files_read, "{rels:?}");
    assert_eq!(doc["files"].as_array().unwrap().len(), files_read);
    let dep = rels
        .iter()
        .find(|r| r["relationshipType"] == "DEPENDS_ON" && r["spdxElementId"] == app["SPDXID"])
        .expect("project depends on its crates");
    assert!(dep["relatedSpdxElement"].as_str().unwrap().contains("cargo-"));
}

/// The NTIA checker's verdict, with the components it found lacking per element.
fn sbomcheck(file: &Path, standard: &str) -> Option<Value> {
    let out = external(
        "sbomcheck",
        &[file.to_str().unwrap(), "-c", standard, "-r", "json"],
        "pip install ntia-conformance-checker",
    )?;
    Some(serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "sbomcheck gave no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }))
}

fn lacking(report: &Value, element: &str) -> Vec<String> {
    let mut v: Vec<String> = report[element]["nonconformantComponents"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn spdx_meets_ntia_minimum_elements_wherever_the_inventory_has_the_data() {
    // On the estate, exactly the components whose inventory entry has no supplier or no
    // version fall short; every document-level element is there.
    let inv = inventory();
    let Some(r) = sbomcheck(&english().spdx, "ntia") else { return };
    for k in ["authorNameProvided", "timestampProvided", "dependencyRelationshipsProvided", "specVersionProvided"] {
        assert_eq!(r[k], true, "{k}: {r}");
    }
    assert_eq!(r["componentNames"]["allProvided"], true, "{r}");
    assert_eq!(r["componentIdentifiers"]["allProvided"], true, "{r}");
    assert_eq!(r["graphValidation"]["floatingComponents"]["floatingComponentCount"], 0, "{r}");
    let mut no_version: Vec<String> =
        inv.components.iter().filter(|c| c.version.is_none()).map(|c| c.name.clone()).collect();
    no_version.sort();
    assert_eq!(lacking(&r, "componentVersions"), no_version);
    let mut no_supplier: Vec<String> =
        inv.components.iter().filter(|c| c.supplier.is_none()).map(|c| c.name.clone()).collect();
    no_supplier.sort();
    assert_eq!(lacking(&r, "componentSuppliers"), no_supplier);

    // With the data there, the document is conformant.
    let mut full = inv.clone();
    for c in &mut full.components {
        c.version.get_or_insert_with(|| "1.0.0".into());
        c.supplier.get_or_insert_with(|| "Stadt Musterstadt <it@musterstadt.example>".into());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("full.spdx.json");
    std::fs::write(&path, report::render(Format::SpdxJson, &full, &ReportOptions::default()).unwrap()).unwrap();
    let r = sbomcheck(&path, "ntia").unwrap();
    assert_eq!(r["isNtiaConformant"], true, "{r}");
}

#[test]
fn bsi_check_of_spdx_2_fails_only_on_what_needs_spdx_3_or_missing_versions() {
    // BSI TR-03183-2 v2.1 accepts SPDX only from 3.0.1 on: the checker evaluates the SBOM
    // creator and dependency completeness on SPDX 3 documents only. Everything it can read
    // from SPDX 2.3 passes except versions the inventory does not have.
    let Some(r) = sbomcheck(&english().spdx, "bsi") else { return };
    let text = r.to_string();
    assert_eq!(r["componentNames"]["allProvided"], true, "{text}");
    let inv = inventory();
    let mut no_version: Vec<String> =
        inv.components.iter().filter(|c| c.version.is_none()).map(|c| c.name.clone()).collect();
    no_version.sort();
    assert_eq!(lacking(&r, "componentVersions"), no_version, "{text}");
}

#[test]
fn spdx_lists_every_license_ref_it_uses() {
    let mut inv = inventory();
    let c = inv.components.iter_mut().find(|c| c.name == "itoa").unwrap();
    c.concluded_license = Some("MIT AND LicenseRef-acme-eula".into());
    let bytes = report::render(Format::SpdxJson, &inv, &ReportOptions::default()).unwrap();
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    let listed: std::collections::BTreeSet<&str> = doc["hasExtractedLicensingInfos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["licenseId"].as_str().unwrap())
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    let used: std::collections::BTreeSet<&str> =
        regex::Regex::new(r"LicenseRef-[A-Za-z0-9.-]+").unwrap().find_iter(&text).map(|m| m.as_str()).collect();
    assert!(listed.contains("LicenseRef-acme-eula"), "{listed:?}");
    assert_eq!(listed, used, "every LicenseRef- used is listed, and only those");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.spdx.json");
    std::fs::write(&path, &bytes).unwrap();
    if let Some(out) = external("pyspdxtools", &["-i", path.to_str().unwrap()], "pip install spdx-tools") {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    // The notice gives no text it does not have.
    let notice = String::from_utf8(report::render(Format::Notice, &inv, &ReportOptions::default()).unwrap()).unwrap();
    assert!(notice.contains("License: MIT AND LicenseRef-acme-eula"), "{notice}");
    assert!(notice.contains("not on the SPDX list"), "{notice}");
    assert!(notice.contains("Permission is hereby granted"), "the MIT text: {notice}");
}

/// The workbook as openpyxl reads it: sheets, frozen panes, filters and rows.
fn xlsx_dump(path: &Path) -> Option<Value> {
    let out = python("xlsx_dump.py", path)?;
    assert!(out.status.success(), "openpyxl: {}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn xlsx_text(dump: &Value) -> String {
    let mut o = String::new();
    for sheet in dump["sheets"].as_array().unwrap() {
        let name = sheet.as_str().unwrap();
        o.push_str(&format!("## {name} (frozen: {}, filter: {})\n", dump["freeze"][name], dump["filter"][name]));
        for row in dump["cells"][name].as_array().unwrap() {
            let mut cells: Vec<String> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().map(str::to_string).unwrap_or(v.to_string()))
                .collect();
            while cells.last().is_some_and(|c| c.is_empty()) {
                cells.pop();
            }
            o.push_str(&cells.join(" | "));
            o.push('\n');
        }
    }
    o
}

#[test]
fn xlsx_opens_with_the_expected_sheets_and_rows() {
    for (run, lang, sheets) in [
        (english(), "en", ["Summary", "Components", "Licenses", "Findings", "Diagnostics"]),
        (german(), "de", ["Übersicht", "Komponenten", "Lizenzen", "Befunde", "Hinweise zum Scan"]),
    ] {
        let Some(d) = xlsx_dump(&run.xlsx) else { return };
        assert_eq!(d["sheets"], serde_json::json!(sheets));
        let inv = inventory();
        let comps = d["cells"][sheets[1]].as_array().unwrap();
        assert_eq!(comps.len(), inv.components.len() + 1, "heading and one row per component");
        assert_eq!(d["freeze"][sheets[1]], "A2");
        assert!(d["filter"][sheets[1]].as_str().unwrap().starts_with("A1:"));
        assert!(comps.iter().any(|r| r[1] == "fahrplan" && r[2] == "0.3.1"), "{comps:?}");
        let diags = d["cells"][sheets[4]].as_array().unwrap();
        assert_eq!(diags.len(), inv.diagnostics.len() + 1);
        let summary = d["cells"][sheets[0]].to_string();
        let unclassified = if lang == "de" { "nicht klassifiziert" } else { "unclassified" };
        if inv.components.iter().any(|c| c.classification.is_none()) {
            assert!(summary.contains(unclassified), "{summary}");
        }
        insta::assert_snapshot!(format!("xlsx_{lang}"), redact(&xlsx_text(&d)));
    }
}

#[test]
fn html_loads_offline_in_chromium_without_script_errors() {
    let run = english();
    let html = std::fs::read_to_string(&run.html).unwrap();
    for external_ref in ["<link", "src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!html.contains(external_ref), "the page must be self-contained: {external_ref}");
    }
    let inv = inventory();
    let url = format!("file://{}", run.html.display());
    let profile = tempfile::tempdir().unwrap();
    let profile_arg = format!("--user-data-dir={}", profile.path().display());
    let Some(out) = external(
        "chromium",
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            &profile_arg,
            "--dump-dom",
            &url,
        ],
        "apt-get install -y chromium",
    ) else {
        return;
    };
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains(r#"data-ready="yes""#), "the script did not finish: {}", String::from_utf8_lossy(&out.stderr));
    assert!(!dom.contains(r#"data-script-errors=""#), "script errors: {dom}");
    let count = format!(r#"id="component-count">{}<"#, inv.components.len());
    assert!(dom.contains(&count), "component count {count} not shown");
    let shown = format!(r#"id="shown-count">{}<"#, inv.components.len());
    assert!(dom.contains(&shown), "the script counted the rows: {shown}");
    assert_eq!(dom.matches("<tr data-search=").count(), inv.components.len());
}

#[test]
fn german_reports_use_the_municipal_terms() {
    let run = german();
    let csv = std::fs::read_to_string(&run.csv).unwrap();
    assert!(csv.starts_with("\u{feff}Projekt;Komponente;Version;Ökosystem;"), "{csv}");
    assert!(csv.contains(";Pflichten;") && csv.contains(";Prüfbedarf;"), "{csv}");
    let html = std::fs::read_to_string(&run.html).unwrap();
    assert!(html.contains(r#"<html lang="de">"#));
    for term in ["Open-Source-Anteil", "Pflichten", "Prüfbedarf", "Komponenten durchsuchen"] {
        assert!(html.contains(term), "{term}");
    }
    let notice = std::fs::read_to_string(&run.notice).unwrap();
    assert!(notice.starts_with("Hinweise zu Komponenten Dritter"), "{notice}");
    let inv = inventory();
    if inv.components.iter().any(|c| c.classification.is_none()) {
        assert!(csv.contains("nicht klassifiziert") && html.contains("nicht klassifiziert"));
    }
    insta::assert_snapshot!("csv_de", csv);
}

#[test]
fn csv_is_the_procurement_view() {
    let csv = std::fs::read_to_string(&english().csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 with BOM");
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), inventory().components.len() + 1);
    assert!(rows[0].starts_with(
        "Project,Component,Version,Ecosystem,Kind,Scope,Package URL (purl),Concluded license,Declared license,"
    ));
    assert!(rows.iter().any(|r| r.starts_with("fahrplan,itoa,1.0.19,cargo,dependency,runtime,pkg:cargo/itoa@1.0.19,")));
    insta::assert_snapshot!("csv_en", csv);
}

#[test]
fn notice_groups_shipped_components_by_license_with_each_text_once() {
    let notice = std::fs::read_to_string(&english().notice).unwrap();
    let inv = inventory();
    // Vendored code and shipped dependencies are listed; development-only ones and the
    // scanned projects themselves are not.
    assert!(notice.contains("* minilib"), "{notice}");
    assert!(notice.contains("* itoa 1.0.19 (pkg:cargo/itoa@1.0.19)"), "{notice}");
    assert!(!notice.contains("static_assertions"), "dev-only dependency listed: {notice}");
    assert!(!notice.contains("* fahrplan"), "{notice}");
    for c in &inv.components {
        if let Some(l) = &c.concluded_license
            && notice::ships(c)
        {
            assert!(notice.contains(&format!("License: {l}\n")), "{l}");
        }
    }
    assert_eq!(notice.matches("License text: BSD-3-Clause").count(), 1);
    assert!(notice.contains("Redistribution and use in source and binary forms"), "the BSD-3-Clause text");
    insta::assert_snapshot!("notice_en", notice);
}

use kataster::report::notice;

#[test]
fn every_format_is_deterministic_for_the_same_inventory() {
    let inv = inventory();
    for lang in [Lang::En, Lang::De] {
        let opts = ReportOptions { lang, ..Default::default() };
        for f in Format::NAMES {
            let format = Format::parse(f).unwrap();
            let a = report::render(format, &inv, &opts).unwrap();
            let b = report::render(format, &inv, &opts).unwrap();
            assert_eq!(a, b, "{f} differs between two renderings");
        }
    }
    // Scan times go into the timestamp, not into the serial number or namespace.
    let mut later = inv.clone();
    later.scan.started_at = "2030-01-01T00:00:00Z".into();
    later.scan.finished_at = "2030-01-01T00:00:01Z".into();
    later.scan.duration_ms = 1000;
    let opts = ReportOptions::default();
    let serial =
        |i: &Inventory| read_value(&report::render(Format::CycloneDxJson, i, &opts).unwrap())["serialNumber"].clone();
    let ns =
        |i: &Inventory| read_value(&report::render(Format::SpdxJson, i, &opts).unwrap())["documentNamespace"].clone();
    assert_eq!(serial(&inv), serial(&later));
    assert_eq!(ns(&inv), ns(&later));
    let mut changed = inv.clone();
    changed.components[0].name.push('x');
    assert_ne!(serial(&inv), serial(&changed), "different content, different serial");
}

fn read_value(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn snapshots_of_the_sboms_and_the_html() {
    let run = english();
    let text = |p: &Path| redact(&std::fs::read_to_string(p).unwrap());
    insta::assert_snapshot!("cyclonedx", text(&run.cdx));
    insta::assert_snapshot!("spdx", text(&run.spdx));
    insta::assert_snapshot!("html_en", redact(&std::fs::read_to_string(&run.html).unwrap()));
}

#[test]
fn unknown_format_and_language_are_usage_errors() {
    let out = crate::kataster().arg("scan").arg(estate()).args(["--lang", "fr"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown language `fr`"));
    let out = crate::kataster().arg("scan").arg(estate()).args(["-o", "pdf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cyclonedx-json"));
}

/// The real project of `fixtures/sbom/buergerportal` (npm, Cargo and PyPI dependencies with
/// their installed metadata; `fixtures/sbom/README.md`), scanned with an isolated HOME and
/// the fixture's Cargo registry cache: CycloneDX and SPDX files in a temporary folder.
struct SbomRun {
    _dir: tempfile::TempDir,
    cdx: PathBuf,
    spdx: PathBuf,
}

fn sbom_run(extra: &[&str]) -> SbomRun {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let fixture = manifest_dir().join("fixtures/sbom");
    let run = SbomRun { cdx: dir.path().join("p.cdx.json"), spdx: dir.path().join("p.spdx.json"), _dir: dir };
    let out = crate::kataster()
        .env("HOME", &home)
        .env_remove("CARGO_HOME")
        .arg("scan")
        .arg(fixture.join("buergerportal"))
        .args(["-q", "--no-local-caches"])
        .args(extra)
        .arg("-o")
        .arg(format!("cyclonedx-json={}", run.cdx.display()))
        .arg("-o")
        .arg(format!("spdx-json={}", run.spdx.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    run
}

fn cargo_cache_arg() -> String {
    format!("cargo={}", manifest_dir().join("fixtures/sbom/cargo-home").display())
}

/// The requirement rows of `sbomcheck -c bsi`'s table: (requirement, passed).
fn bsi_rows(file: &Path) -> Option<Vec<(String, bool)>> {
    let out = external("sbomcheck", &[file.to_str().unwrap(), "-c", "bsi"], "pip install ntia-conformance-checker")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(
        text.lines()
            .filter_map(|l| l.split_once('|'))
            .filter_map(|(k, v)| match v.trim() {
                "True" => Some((k.trim().to_string(), true)),
                "False" => Some((k.trim().to_string(), false)),
                _ => None,
            })
            .collect(),
    )
}

#[test]
fn sboms_of_a_project_resolvable_offline_name_every_supplier_and_pass_the_ntia_check() {
    let cache = cargo_cache_arg();
    let run = sbom_run(&["--cache-dir", &cache, "--supplier", "Stadt Musterstadt <it@musterstadt.example>"]);
    assert_valid_cyclonedx(&run.cdx);
    if let Some(out) = external("pyspdxtools", &["-i", run.spdx.to_str().unwrap()], "pip install spdx-tools") {
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && !text.contains("ERROR"), "pyspdxtools: {text}");
    }
    if let Some(r) = sbomcheck(&run.spdx, "ntia") {
        assert_eq!(r["isNtiaConformant"], true, "{r}");
        assert_eq!(r["totalNumberComponents"], 14, "{r}");
    }
    // BSI TR-03183-2: the checker reads the SBOM creator, the SBOM-URI and dependency
    // completeness from SPDX 3 documents only; everything else it checks passes.
    if let Some(rows) = bsi_rows(&run.spdx) {
        let failed: Vec<&str> = rows.iter().filter(|(_, ok)| !ok).map(|(k, _)| k.as_str()).collect();
        assert!(rows.len() >= 15, "{rows:?}");
        assert_eq!(failed, ["Creator of the SBOM", "Dependency Completeness"], "{rows:?}");
    }

    // CycloneDX: the SBOM's author from publiccode.yml's maintenance contact, the
    // configured supplier, and each dependency's supplier and authors from its metadata.
    let bom = read_json(&run.cdx);
    let meta = &bom["metadata"];
    assert_eq!(
        meta["authors"],
        serde_json::json!([{"name": "Fachbereich IT der Stadt Musterstadt", "email": "sbom@musterstadt.example"}])
    );
    assert_eq!(meta["manufacturer"]["contact"][0]["email"], "sbom@musterstadt.example");
    assert_eq!(meta["supplier"]["name"], "Stadt Musterstadt");
    assert_eq!(meta["component"]["supplier"]["contact"][0]["email"], "it@musterstadt.example");
    let comps = &bom["components"];
    for c in comps.as_array().unwrap() {
        assert!(c["supplier"]["name"].is_string(), "every component has a supplier: {c}");
    }
    let itoa = component(comps, "name", "itoa");
    assert_eq!(
        itoa["supplier"],
        serde_json::json!({"name": "David Tolnay", "contact": [{"name": "David Tolnay", "email": "dtolnay@gmail.com"}]})
    );
    let urllib3 = component(comps, "name", "urllib3");
    let authors: Vec<&str> =
        urllib3["authors"].as_array().unwrap().iter().filter_map(|a| a["email"].as_str()).collect();
    assert_eq!(
        authors,
        ["andrey.petrov@shazow.net", "sethmichaellarson@gmail.com", "quentin@pradet.me", "illia.volochii@gmail.com"]
    );
    let strip = component(comps, "name", "strip-ansi");
    assert_eq!(strip["authors"][0], serde_json::json!({"name": "Sindre Sorhus", "email": "sindresorhus@gmail.com"}));
    let cargo = component(comps, "name", "zaehlerstand");
    assert_eq!(cargo["supplier"]["contact"][0]["email"], "it@musterstadt.example", "--supplier");
    // The lockfiles' graph: the project on its direct dependencies, is-odd on is-number.
    let deps = &bom["dependencies"];
    let is_odd = component(deps, "ref", "buergerportal:pkg:npm/is-odd@3.0.1");
    assert_eq!(is_odd["dependsOn"], serde_json::json!(["buergerportal:pkg:npm/is-number@6.0.0"]));
    let cargo = component(deps, "ref", "buergerportal:project:cargo:zaehlerstand");
    assert_eq!(
        cargo["dependsOn"],
        serde_json::json!(["buergerportal:pkg:cargo/itoa@1.0.11", "buergerportal:pkg:cargo/ryu@1.0.18"])
    );

    // SPDX: creator, supplier (a person: the crate's author) and originator.
    let doc = read_json(&run.spdx);
    assert_eq!(
        doc["creationInfo"]["creators"][0],
        "Organization: Fachbereich IT der Stadt Musterstadt (sbom@musterstadt.example)"
    );
    let itoa = component(&doc["packages"], "name", "itoa");
    assert_eq!(itoa["supplier"], "Person: David Tolnay (dtolnay@gmail.com)");
    assert_eq!(itoa["originator"], "Person: David Tolnay (dtolnay@gmail.com)");
    let web = component(&doc["packages"], "name", "buergerportal-web");
    assert_eq!(web["supplier"], "Organization: Stadt Musterstadt (it@musterstadt.example)", "package.json's author");
    let cargo = component(&doc["packages"], "name", "zaehlerstand");
    assert_eq!(cargo["supplier"], "Organization: Stadt Musterstadt (it@musterstadt.example)", "--supplier");
}

#[test]
fn sbom_author_option_wins_and_suppliers_stay_unknown_where_no_metadata_names_them() {
    // `--supplier` not given either: the publiccode.yml at the top names the owner.
    // Without the Cargo cache the crates' authors are not known: exactly they fall short.
    let run = sbom_run(&["--sbom-author", "Person: Erika Mustermann <erika@musterstadt.example>"]);
    let doc = read_json(&run.spdx);
    assert_eq!(doc["creationInfo"]["creators"][0], "Person: Erika Mustermann (erika@musterstadt.example)");
    assert_eq!(doc["creationInfo"]["creators"].as_array().unwrap().len(), 2, "the author and the tool");
    let bom = read_json(&run.cdx);
    assert_eq!(bom["metadata"]["authors"][0]["name"], "Erika Mustermann");
    let itoa = component(&bom["components"], "name", "itoa");
    assert!(itoa.get("supplier").is_none() && itoa.get("authors").is_none(), "nothing invented: {itoa}");
    // No --supplier: the projects' supplier is the owner publiccode.yml names.
    assert_eq!(bom["metadata"].get("supplier"), None);
    let cargo = component(&doc["packages"], "name", "zaehlerstand");
    assert_eq!(cargo["supplier"], "Organization: Stadt Musterstadt");
    if let Some(r) = sbomcheck(&run.spdx, "ntia") {
        assert_eq!(lacking(&r, "componentSuppliers"), ["itoa", "ryu"], "{r}");
        assert_eq!(r["authorNameProvided"], true, "{r}");
    }
}
