//! Accuracy of license detection on the labeled corpus of real files in
//! `fixtures/detect/corpus/` (built by `bench/detect_corpus.py`): crate and npm license
//! files labeled by their manifests, real source headers, SPDX texts with noise, and source
//! files that talk about licenses without stating one. Prints precision per method and
//! recall per kind of file, and holds them to floors.

use kataster::detect;
use kataster::model::FindingRule;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const POINTER: &str = "LicenseRef-kataster-see-license-file";

/// The license ids of an expression; GNU ids without `-only` / `-or-later`, since a bare
/// license text cannot tell them apart and manifests often say either.
fn ids(expr: &str) -> BTreeSet<String> {
    expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH"))
        .map(|t| t.trim_end_matches("-only").trim_end_matches("-or-later").trim_end_matches('+').to_string())
        .collect()
}

#[derive(Default)]
struct Tally {
    right: u32,
    wrong: u32,
}

#[test]
fn corpus_precision_and_recall() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/detect/corpus");
    let labels: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("labels.json")).expect("labels.json")).expect("labels");
    assert!(labels.len() >= 300, "corpus too small: {}", labels.len());
    let mut per_method: BTreeMap<String, Tally> = BTreeMap::new();
    let mut per_kind: BTreeMap<String, (u32, u32)> = BTreeMap::new(); // (found, expected)
    let mut errors = Vec::new();
    let mut misses = Vec::new();
    for (rel, label) in &labels {
        let bytes = std::fs::read(dir.join(rel)).expect("corpus file");
        let text = String::from_utf8_lossy(&bytes);
        let kind = label["kind"].as_str().unwrap_or("?").to_string();
        let expected: BTreeSet<String> =
            label["expected"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).flat_map(ids).collect();
        let found = detect::detect(rel, &text);
        let mut covered: BTreeSet<String> = BTreeSet::new();
        for f in &found.licenses {
            if f.expression == POINTER {
                continue;
            }
            let fi = ids(&f.expression);
            let ok = !fi.is_empty() && fi.is_subset(&expected);
            let t = per_method.entry(format!("{:?}", f.method).to_lowercase()).or_default();
            if ok {
                t.right += 1;
                covered.extend(fi);
            } else {
                t.wrong += 1;
                errors.push(format!(
                    "{rel}: {} ({:?}, lines {}-{}, {}) not in {expected:?}",
                    f.expression, f.method, f.start_line, f.end_line, f.rule
                ));
            }
        }
        let missed: Vec<_> = expected.difference(&covered).collect();
        if !missed.is_empty() {
            misses.push(format!("{rel} ({kind}): missed {missed:?}"));
        }
        let k = per_kind.entry(kind).or_default();
        k.0 += expected.intersection(&covered).count() as u32;
        k.1 += expected.len() as u32;
    }
    let (mut right, mut wrong) = (0, 0);
    println!("\nmethod      findings  precision");
    for (m, t) in &per_method {
        right += t.right;
        wrong += t.wrong;
        println!("{m:<10} {:>9}  {:.3}", t.right + t.wrong, t.right as f64 / (t.right + t.wrong).max(1) as f64);
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    println!("{:<10} {:>9}  {precision:.3}", "all", right + wrong);
    println!("\nkind          expected  recall");
    for (k, (f, e)) in &per_kind {
        println!("{k:<13} {e:>8}  {:.3}", *f as f64 / (*e).max(1) as f64);
    }
    for e in &errors {
        println!("wrong: {e}");
    }
    for m in &misses {
        println!("miss: {m}");
    }
    assert!(precision >= PRECISION, "precision {precision:.3}");
    for (m, t) in &per_method {
        let n = t.right + t.wrong;
        let p = t.right as f64 / n.max(1) as f64;
        assert!(n < 20 || p >= PRECISION_PER_METHOD, "{m}: precision {p:.3} over {n} findings");
    }
    let recall = |k: &str| per_kind.get(k).map(|(f, e)| *f as f64 / (*e).max(1) as f64).unwrap_or(0.0);
    assert!(recall("license-file") >= RECALL_LICENSE_FILE, "license-file recall {:.3}", recall("license-file"));
    assert!(recall("noisy-text") >= RECALL_NOISY, "noisy-text recall {:.3}", recall("noisy-text"));
    assert!(recall("header") >= RECALL_HEADER, "header recall {:.3}", recall("header"));
    assert!(recall("catalogue") >= RECALL_CATALOGUE, "catalogue recall {:.3}", recall("catalogue"));
    assert_eq!(per_method.values().map(|t| t.wrong).sum::<u32>(), wrong);
}

// Overall, and per method with 20 or more findings (URLs: 0.951). What the matcher still
// gets wrong: "All rights reserved" beside a license it cannot read is the proprietary
// marker, "a BSD-style license ... in the LICENSE file" reads as BSD-3-Clause, URLs without a
// version read as the version of the catalogue's URL rule (docs/detection.md, Accuracy).
const PRECISION: f64 = 0.95;
const PRECISION_PER_METHOD: f64 = 0.94;
const RECALL_LICENSE_FILE: f64 = 0.97;
const RECALL_NOISY: f64 = 0.88;
// Headers are labeled by reading them where they come from GitHub or were corrected (a header
// that only points to a LICENSE file states no license), otherwise with their package's
// license. npm and PyPI headers often name the license only in words kataster's grammar and
// the catalogue do not hold (":license: BSD, see LICENSE for details").
const RECALL_HEADER: f64 = 0.91;
// License files and headers under licenses not on the SPDX list (commercial,
// source-available): MUI X's pointer to its EULA reads as the commercial and EULA markers;
// the commercial options beside open licenses (NativeLink's, iText's; Qt's tag names its own
// LicenseRef-Qt-Commercial, kept as written), MySQL's linking exception and the BSD part of
// a Redis file are not found.
const RECALL_CATALOGUE: f64 = 0.65;

/// The license files commercial component vendors ship (`fixtures/detect/commercial/`) name
/// their vendor's license, not a generic commercial, EULA, proprietary or unknown one.
#[test]
fn commercial_vendor_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/detect/commercial");
    let mut checked = 0;
    let mut vendors: Vec<_> = std::fs::read_dir(&dir).expect("commercial fixtures").flatten().collect();
    vendors.sort_by_key(|e| e.file_name());
    for vendor in vendors.iter().filter(|e| e.path().is_dir()) {
        let expected = std::fs::read_to_string(vendor.path().join("EXPECTED")).expect("EXPECTED");
        let expected = expected.trim();
        let mut files: Vec<_> = std::fs::read_dir(vendor.path()).expect("vendor folder").flatten().collect();
        files.sort_by_key(|e| e.file_name());
        for file in files.iter().filter(|f| f.file_name() != "EXPECTED") {
            let text = String::from_utf8_lossy(&std::fs::read(file.path()).expect("fixture")).into_owned();
            let found = detect::detect(&file.file_name().to_string_lossy(), &text);
            let ids: Vec<(&str, String)> =
                found.licenses.iter().map(|f| (f.expression.as_str(), f.rule.to_string())).collect();
            println!("{}: {ids:?}", file.path().display());
            assert!(ids.iter().any(|(e, _)| *e == expected), "{}: {expected} not in {ids:?}", file.path().display());
            for generic in [
                "LicenseRef-kataster-commercial",
                "LicenseRef-kataster-eula",
                "LicenseRef-kataster-proprietary",
                "LicenseRef-kataster-unknown",
            ] {
                assert!(
                    !ids.iter().any(|(e, _)| *e == generic),
                    "{}: {generic} beside {expected}",
                    file.path().display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked} vendor files");
}

/// Licenses that are not on the SPDX list come out under their catalogue id, name the
/// catalogue rule that matched, and carry the catalogue's category, so that a commercial
/// or source-available license gets its own verdict.
#[test]
fn catalogue_licenses_name_their_rule_and_category() {
    use kataster::license::db::{self, Category};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/detect/corpus/catalogue");
    let db = db::db();
    for (file, id, category) in [
        ("n8n-workflow/LICENSE_EE.md", "LicenseRef-scancode-n8n-ee-2022", Category::Commercial),
        ("ag-grid-enterprise/LICENSE.html", "LicenseRef-scancode-ag-grid-enterprise", Category::Commercial),
    ] {
        let text = String::from_utf8_lossy(&std::fs::read(dir.join(file)).expect("fixture")).into_owned();
        let found = detect::detect(file, &text);
        let f = found
            .licenses
            .iter()
            .find(|f| f.expression == id)
            .unwrap_or_else(|| panic!("{file}: {:?}", found.licenses));
        let catalogued = matches!(&f.rule, FindingRule::Catalogue(_));
        assert!(catalogued || matches!(&f.rule, FindingRule::Table(n) if n.starts_with("vendor-")), "{f:?}");
        assert_eq!(db.license(id).map(|e| e.category), Some(category), "{id}");
    }
    // Newer than the index: known from the rules' catalogue, with its category.
    let e = db.license("LicenseRef-scancode-affine-ee-2023").expect("catalogue license");
    assert_ne!(e.category, Category::Unknown);
}
