//! The license database: every SPDX license and exception has a valid entry, every
//! `LicenseRef-` a detector can emit is known, and the aliases lead to valid expressions.
//!
//! Also holds the generator for rules-based entries (`cargo test --test license_db --
//! --ignored generate_defaults`): it appends an entry for each SPDX id the database lacks to
//! `license-db/licenses-defaults.toml` / `exceptions-defaults.toml` and never touches an
//! existing entry, so the checked-in TOML stays the source of truth that reviewers edit.

use kataster::license::db::{self, Basis, Category, Copyleft, Db, Obligation};
use kataster::license::{canonical_id, normalize, normalize_expression};
use std::path::Path;

/// The LicenseRefs the detectors emit.
const DETECTOR_REFS: &[&str] = kataster::detect::EMITTED_LICENSE_REFS;

fn compiled() -> Db {
    Db::compiled().unwrap_or_else(|e| panic!("license-db does not load: {e}"))
}

/// The id an SPDX list id is looked up under (deprecated GNU ids map to -only/-or-later).
fn lookup_id(name: &str) -> String {
    canonical_id(name).unwrap_or_else(|| name.to_string()).trim_end_matches('+').to_string()
}

#[test]
fn every_spdx_license_and_exception_has_an_entry() {
    let db = compiled();
    let missing: Vec<&str> =
        spdx::identifiers::LICENSES.iter().map(|l| l.name).filter(|n| db.license(&lookup_id(n)).is_none()).collect();
    assert!(missing.is_empty(), "licenses without an entry ({}): {missing:?}", missing.len());
    let missing: Vec<&str> =
        spdx::identifiers::EXCEPTIONS.iter().map(|e| e.name).filter(|n| db.exception(n).is_none()).collect();
    assert!(missing.is_empty(), "exceptions without an entry: {missing:?}");
    assert!(db.licenses.len() > 650, "{}", db.licenses.len());
}

#[test]
fn every_entry_is_valid() {
    let db = compiled();
    let mut problems = Vec::new();
    for (id, e) in &db.licenses {
        if &e.id != id {
            problems.push(format!("{id}: key and id differ"));
        }
        let catalogue_only = e.basis == Basis::Catalogue && spdx::license_id(id).is_none();
        if catalogue_only {
            // ScanCode's index has no OSI/FSF flags: its category decides.
            if e.osi_approved || e.fsf_libre || e.open_source != e.category.is_open() {
                problems.push(format!("{id}: a catalogue entry is open source exactly when its category is open"));
            }
        } else if e.open_source != (e.osi_approved || e.fsf_libre) {
            problems.push(format!("{id}: open_source must be true exactly when OSI-approved or FSF-libre"));
        }
        if e.category == Category::Unknown && e.open_source {
            problems.push(format!("{id}: unknown is never open source"));
        }
        if matches!(
            e.category,
            Category::Proprietary | Category::Commercial | Category::SourceAvailable | Category::Freeware
        ) && e.open_source
        {
            problems.push(format!("{id}: {} cannot be open source", e.category));
        }
        let copyleft_category =
            matches!(e.category, Category::WeakCopyleft | Category::StrongCopyleft | Category::NetworkCopyleft);
        if copyleft_category && e.copyleft == Copyleft::None {
            problems.push(format!("{id}: a copyleft category needs a copyleft scope"));
        }
        if e.category == Category::NetworkCopyleft && !e.obligations.contains(&Obligation::NetworkUseSourceOffer) {
            problems.push(format!("{id}: network copyleft without the network source offer"));
        }
        if e.summary_en.trim().is_empty() || e.summary_de.trim().is_empty() || e.name.trim().is_empty() {
            problems.push(format!("{id}: name and both summaries are required"));
        }
        let mut obl = e.obligations.clone();
        obl.sort();
        obl.dedup();
        if obl.len() != e.obligations.len() {
            problems.push(format!("{id}: an obligation is listed twice"));
        }
        if let Some(l) = spdx::license_id(id) {
            if l.is_osi_approved() != e.osi_approved || l.is_fsf_free_libre() != e.fsf_libre {
                problems.push(format!(
                    "{id}: osi_approved/fsf_libre ({}/{}) differ from the SPDX list ({}/{})",
                    e.osi_approved,
                    e.fsf_libre,
                    l.is_osi_approved(),
                    l.is_fsf_free_libre()
                ));
            }
        } else if !id.starts_with("LicenseRef-kataster-")
            && e.basis != Basis::Catalogue
            && db.catalogue_id(id) != Some(id.as_str())
        {
            problems.push(format!("{id}: neither an SPDX id, a kataster LicenseRef nor from the catalogue"));
        }
        // The vendor is what procurement asks for: kataster's named commercial ids give it.
        if id.starts_with("LicenseRef-kataster-commercial-")
            && (e.category != Category::Commercial || e.owner.as_deref().is_none_or(|o| o.trim().is_empty()))
        {
            problems.push(format!("{id}: a named commercial license is commercial and names its owner (the vendor)"));
        }
    }
    for (id, x) in &db.exceptions {
        if spdx::exception_id(id).is_none() {
            problems.push(format!("exception {id}: not on the SPDX exception list"));
        }
        if x.summary_en.trim().is_empty() || x.summary_de.trim().is_empty() {
            problems.push(format!("exception {id}: both summaries are required"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn common_licenses_are_curated_with_the_expected_category() {
    let db = compiled();
    let expect = [
        ("MIT", Category::Permissive),
        ("Apache-2.0", Category::Permissive),
        ("BSD-3-Clause", Category::Permissive),
        ("ISC", Category::Permissive),
        ("CC0-1.0", Category::PublicDomain),
        ("Unlicense", Category::PublicDomain),
        ("MPL-2.0", Category::WeakCopyleft),
        ("LGPL-2.1-only", Category::WeakCopyleft),
        ("EPL-2.0", Category::WeakCopyleft),
        ("GPL-2.0-only", Category::StrongCopyleft),
        ("GPL-3.0-or-later", Category::StrongCopyleft),
        ("AGPL-3.0-only", Category::NetworkCopyleft),
        ("EUPL-1.2", Category::NetworkCopyleft),
        ("SSPL-1.0", Category::SourceAvailable),
        ("BUSL-1.1", Category::SourceAvailable),
        ("Elastic-2.0", Category::SourceAvailable),
        ("PolyForm-Noncommercial-1.0.0", Category::SourceAvailable),
        ("LicenseRef-kataster-commons-clause", Category::SourceAvailable),
        ("LicenseRef-kataster-confluent-community-1.0", Category::SourceAvailable),
        ("LicenseRef-kataster-bitwarden-1.0", Category::SourceAvailable),
        ("LicenseRef-kataster-proprietary", Category::Proprietary),
        ("LicenseRef-kataster-freeware", Category::Freeware),
    ];
    for (id, cat) in expect {
        let e = db.license(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(e.category, cat, "{id}");
        assert_eq!(e.basis, Basis::Curated, "{id}");
    }
    assert_eq!(db.exception("Classpath-exception-2.0").and_then(|x| x.limits_copyleft_to), Some(Copyleft::Library));
}

#[test]
fn every_licenseref_a_detector_emits_is_known() {
    let db = compiled();
    for id in DETECTOR_REFS {
        let e = db.license(id).unwrap_or_else(|| panic!("{id} is not in the license database"));
        assert!(!(e.category == Category::Unknown && e.open_source), "{id}");
    }
    assert!(!db.license("LicenseRef-kataster-unknown").unwrap().open_source);
}

#[test]
fn every_alias_leads_to_a_valid_expression_of_known_licenses() {
    let db = compiled();
    for a in &db.aliases {
        let canon = normalize_expression(&a.expression)
            .unwrap_or_else(|| panic!("alias target `{}` is not a valid expression", a.expression));
        assert_eq!(canon, a.expression, "write alias targets canonically");
        let parsed = spdx::Expression::parse_mode(&canon, spdx::ParseMode::LAX).unwrap();
        for r in parsed.requirements() {
            let id = match &r.req.license {
                spdx::LicenseItem::Spdx { id, .. } => lookup_id(id.name),
                spdx::LicenseItem::Other(o) => o.to_string(),
            };
            assert!(db.license(&id).is_some(), "alias `{}`: {id} not in the database", a.expression);
        }
        for n in &a.names {
            let got = normalize(n);
            assert_eq!(got.expression.as_deref(), Some(a.expression.as_str()), "alias `{n}`");
            assert_eq!(got.inferred, a.inferred, "alias `{n}` inferred flag");
        }
    }
}

#[test]
fn names_people_write_normalize() {
    let exact = [
        ("The Apache Software License, Version 2.0", "Apache-2.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("Apache 2.0", "Apache-2.0"),
        ("License :: OSI Approved :: MIT License", "MIT"),
        ("License :: OSI Approved :: GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
        ("License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"),
        ("License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
        ("License :: OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2"),
        ("License :: Public Domain", "LicenseRef-kataster-public-domain"),
        ("License :: Other/Proprietary License", "LicenseRef-kataster-proprietary"),
        (r#"{"type": "MIT", "url": "https://opensource.org/licenses/MIT"}"#, "MIT"),
        (r#"[{"type": "MIT"}, {"type": "Apache-2.0"}]"#, "MIT OR Apache-2.0"),
        ("https://licenses.nuget.org/MIT", "MIT"),
        ("https://licenses.nuget.org/MIT%20OR%20Apache-2.0", "MIT OR Apache-2.0"),
        ("https://opensource.org/licenses/BSD-3-Clause", "BSD-3-Clause"),
        ("http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0"),
        ("https://www.gnu.org/licenses/gpl-3.0.en.html", "GPL-3.0-only"),
        ("The MIT License", "MIT"),
        ("MIT License", "MIT"),
        ("GPLv2+", "GPL-2.0-or-later"),
        ("GPLv3", "GPL-3.0-only"),
        ("LGPLv2.1", "LGPL-2.1-only"),
        ("AGPL-3", "AGPL-3.0-only"),
        ("GPL v2 or later", "GPL-2.0-or-later"),
        ("BSD-3", "BSD-3-Clause"),
        ("BSD 3-Clause", "BSD-3-Clause"),
        ("EUPL 1.2", "EUPL-1.2"),
        ("Apache 2.0 or MIT", "Apache-2.0 OR MIT"),
        ("SEE LICENSE IN LICENSE.txt", "LicenseRef-kataster-see-license-file"),
        ("UNLICENSED", "LicenseRef-kataster-proprietary"),
        ("Unlicense", "Unlicense"),
        ("GPL-2.0 WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
    ];
    for (raw, want) in exact {
        let n = normalize(raw);
        assert_eq!(n.expression.as_deref(), Some(want), "`{raw}`");
        assert!(!n.inferred, "`{raw}` is exact, not a guess");
    }
    for (raw, want) in [
        ("BSD", "BSD-3-Clause"),
        ("GPL", "GPL-2.0-or-later"),
        ("BSD License", "BSD-3-Clause"),
        ("License :: OSI Approved :: Apache Software License", "Apache-2.0"),
        ("License :: OSI Approved :: BSD License", "BSD-3-Clause"),
    ] {
        let n = normalize(raw);
        assert_eq!(n.expression.as_deref(), Some(want), "`{raw}`");
        assert!(n.inferred, "`{raw}` is a guess and must say so");
    }
    for raw in ["", "see the website", "License :: OSI Approved", "{\"url\": \"https://example.com/terms\"}"] {
        assert_eq!(normalize(raw).expression, None, "`{raw}`");
    }
}

/// Ids nobody can place: what kataster reports when it cannot tell.
const UNPLACEABLE: &[&str] = &["LicenseRef-kataster-unknown", "LicenseRef-kataster-see-license-file"];

#[test]
fn every_emitted_id_alias_target_and_catalogue_id_has_a_category() {
    let db = compiled();
    for id in DETECTOR_REFS {
        let e = db.license(id).unwrap_or_else(|| panic!("{id} is not in the license database"));
        assert!(e.category != Category::Unknown || UNPLACEABLE.contains(id), "{id} is emitted without a category");
        assert!(!e.name.trim().is_empty(), "{id}");
    }
    for a in &db.aliases {
        let parsed = spdx::Expression::parse_mode(&a.expression, spdx::ParseMode::LAX).unwrap();
        for r in parsed.requirements() {
            let id = match &r.req.license {
                spdx::LicenseItem::Spdx { id, .. } => lookup_id(id.name),
                spdx::LicenseItem::Other(o) => o.to_string(),
            };
            let e = db.license(&id).unwrap_or_else(|| panic!("alias `{}`: {id} unknown", a.expression));
            assert!(
                e.category != Category::Unknown || UNPLACEABLE.contains(&id.as_str()),
                "alias `{}`: {id} has no category",
                a.expression
            );
        }
    }
    let mut per_category: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    let mut lines = 0;
    for line in db::CATALOGUE.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 6, "{line}");
        let (id, sc_category, category, flags) = (f[0], f[2], Category::parse(f[3]).unwrap(), f[4]);
        lines += 1;
        let canon = canonical_id(id).unwrap_or_else(|| panic!("{id} is not read as an id"));
        if let Some(e) = db.license(&canon) {
            // Unknown only where ScanCode does not place it either (or the SPDX rules and
            // the curated data say so for an SPDX id).
            assert!(
                e.category != Category::Unknown || category == Category::Unknown || e.basis == Basis::Curated,
                "{id}: unknown, though ScanCode says {sc_category}"
            );
            if e.basis == Basis::Catalogue {
                let from = if spdx::license_id(&canon).is_some() { "spdx-upgraded" } else { "new" };
                *per_category.entry((from, e.category.as_str())).or_default() += 1;
                assert_eq!(e.category, category, "{id}");
                assert_eq!(normalize_expression(id).as_deref(), Some(canon.as_str()), "{id}");
            }
        } else {
            assert!(flags.contains('x') && db.exception(&canon).is_some(), "{id} ({canon}) has no entry");
        }
        // Ids ScanCode keeps as other names of a license lead to it.
        for other in f[5].split(',').filter(|o| *o != "-") {
            assert!(canonical_id(other).is_some(), "{other} (other id of {id}) is not read");
        }
    }
    println!("catalogue: {lines} lines; entries from it by category: {per_category:?}");
    assert!(lines > 2400, "{lines}");
}

#[test]
fn catalogue_ids_keys_and_named_non_open_licenses_normalize() {
    let db = compiled();
    for (raw, want) in [
        ("LicenseRef-scancode-ag-grid-enterprise", "LicenseRef-scancode-ag-grid-enterprise"),
        ("licenseref-scancode-AG-GRID-enterprise", "LicenseRef-scancode-ag-grid-enterprise"),
        ("LicenseRef-scancode-Hippocratic-3.0", "LicenseRef-scancode-Hippocratic-3.0"),
        ("LicenseRef-Commercial", "LicenseRef-scancode-commercial-license"),
        ("LicenseRef-scancode-libzip", "BSD-3-Clause"),
        ("MIT AND licenseref-scancode-sencha-commercial", "MIT AND LicenseRef-scancode-sencha-commercial"),
        ("ag-grid-enterprise", "LicenseRef-scancode-ag-grid-enterprise"),
        ("sencha-commercial", "LicenseRef-scancode-sencha-commercial"),
        ("Linkware", "LicenseRef-kataster-freeware"),
        ("Commercial", "LicenseRef-kataster-commercial"),
    ] {
        let n = normalize(raw);
        assert_eq!(n.expression.as_deref(), Some(want), "`{raw}`");
        assert!(!n.inferred, "`{raw}`");
    }
    for raw in ["Linkware", "Commercial", "ag-grid-enterprise", "UNLICENSED"] {
        let e = normalize(raw).expression.unwrap();
        let entry = db.license(&e).unwrap();
        assert!(!entry.open_source, "`{raw}` ({e}) must not be open source");
    }
    let sencha = db.license("LicenseRef-scancode-sencha-commercial").unwrap();
    assert_eq!((sencha.category, sencha.basis), (Category::Commercial, Basis::Curated));
    assert!(sencha.owner.as_deref().is_some_and(|o| o.contains("Sencha")));
    let c = db.license("LicenseRef-scancode-commercial-license").unwrap();
    assert_eq!((c.category, c.basis, c.open_source), (Category::Commercial, Basis::Catalogue, false));
    assert!(
        db.license("LicenseRef-scancode-freebsd-boot")
            .is_some_and(|e| e.open_source && e.category == Category::Permissive)
    );
    assert_eq!(db.license("LicenseRef-kataster-commercial").unwrap().category, Category::Commercial);
}

#[test]
fn the_version_is_recorded() {
    assert!(!db::VERSION.trim().is_empty());
    assert!(db::version().contains(spdx::identifiers::VERSION));
}

// ---------------------------------------------------------------------------------------
// Generator of rules-based entries.

/// Append rules-based entries for SPDX ids the database lacks.
#[test]
#[ignore = "generator: run by hand after an update of the spdx crate"]
fn generate_defaults() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("license-db");
    let on_disk: Vec<(String, String)> = db::SOURCES
        .iter()
        .map(|(name, _)| (name.to_string(), std::fs::read_to_string(dir.join(name)).unwrap_or_default()))
        .collect();
    let sources: Vec<(&str, &str)> = on_disk.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let db = Db::parse(&sources).unwrap();
    let mut out = String::new();
    for l in spdx::identifiers::LICENSES {
        let id = lookup_id(l.name);
        if id != l.name || db.license(&id).is_some() {
            continue;
        }
        out.push_str(&license_rule(l.name, l.full_name));
    }
    append(&dir.join("licenses-defaults.toml"), &out, "licenses");
    let mut out = String::new();
    for e in spdx::identifiers::EXCEPTIONS {
        if db.exception(e.name).is_none() {
            out.push_str(&exception_rule(e.name, &e.name.replace('-', " ")));
        }
    }
    append(&dir.join("exceptions-defaults.toml"), &out, "exceptions");
}

fn append(path: &Path, entries: &str, what: &str) {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    if text.trim().is_empty() {
        text = format!(
            "# Rules-based {what} (basis = \"rules\"): derived by `generate_defaults` in tests/it/license_db.rs from\n\
             # the SPDX list flags and the name, not reviewed. Review an entry by correcting it here and\n\
             # setting basis = \"curated\"; the generator only appends ids that are missing.\n"
        );
    }
    text.push_str(entries);
    std::fs::write(path, text).unwrap();
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn license_rule(id: &str, full: &str) -> String {
    let l = spdx::license_id(id).unwrap();
    let (osi, fsf) = (l.is_osi_approved(), l.is_fsf_free_libre());
    let lower = full.to_ascii_lowercase();
    let has = |s: &str| id.contains(s);
    use Category::*;
    let (cat, cl, obl): (Category, &str, &[&str]) = if id.starts_with("AGPL")
        || id.starts_with("OSL")
        || id.starts_with("EUPL")
    {
        (
            NetworkCopyleft,
            "network",
            &[
                "attribution",
                "include-license-text",
                "disclose-source-whole-work",
                "same-license",
                "network-use-source-offer",
            ],
        )
    } else if has("-NC-ND") || (has("-NC") && id.starts_with("CC")) {
        (SourceAvailable, "none", &["attribution", "include-license-text", "field-of-use-restriction"])
    } else if has("-ND") && id.starts_with("CC") {
        (Freeware, "none", &["attribution", "include-license-text"])
    } else if id.starts_with("CC-BY-SA") {
        (StrongCopyleft, "whole-work", &["attribution", "include-license-text", "state-changes", "same-license"])
    } else if id.starts_with("CC-BY") {
        (Permissive, "none", &["attribution", "include-license-text", "state-changes"])
    } else if lower.contains("public domain") || id.starts_with("CC-PD") || id.contains("PDDL") {
        (PublicDomain, "none", &[])
    } else if id.starts_with("GFDL") {
        (
            StrongCopyleft,
            "whole-work",
            &["attribution", "include-license-text", "state-changes", "same-license", "disclose-source-whole-work"],
        )
    } else if id.starts_with("LGPL") || id.contains("-with-") && id.starts_with("GPL") {
        (WeakCopyleft, "library", &["attribution", "include-license-text", "disclose-source-library", "same-license"])
    } else if id.starts_with("GPL") || id.starts_with("CECILL") && id != "CECILL-B" && id != "CECILL-C" {
        (
            StrongCopyleft,
            "whole-work",
            &["attribution", "include-license-text", "disclose-source-whole-work", "same-license"],
        )
    } else if l.is_copyleft() {
        (WeakCopyleft, "file", &["attribution", "include-license-text", "disclose-source-file", "same-license"])
    } else if osi
        || fsf
        || ["bsd", "mit", "x11", "hpnd", "historical permission", "isc", "zlib", "libpng", "apache", "boost"]
            .iter()
            .any(|w| lower.contains(w))
    {
        (Permissive, "none", &["attribution", "include-license-text"])
    } else {
        (Unknown, "none", &[])
    };
    let (en, de) = rule_summary(cat, full);
    let obligations = obl.iter().map(|o| q(o)).collect::<Vec<_>>().join(", ");
    format!(
        "\n[[license]]\nid = {}\nname = {}\ncategory = \"{}\"\nosi_approved = {osi}\nfsf_libre = {fsf}\nopen_source = {}\n\
         copyleft = \"{cl}\"\nobligations = [{obligations}]\nbasis = \"rules\"\nsummary_en = {}\nsummary_de = {}\n",
        q(id),
        q(full),
        cat.as_str(),
        osi || fsf,
        q(&en),
        q(&de)
    )
}

fn rule_summary(cat: Category, full: &str) -> (String, String) {
    use Category::*;
    let (en, de) = match cat {
        Permissive => (
            "a permissive license: keep the copyright notice and license text",
            "eine freizügige Lizenz: Copyright-Vermerk und Lizenztext erhalten",
        ),
        PublicDomain => {
            ("a public-domain dedication: no conditions", "eine Widmung in die Gemeinfreiheit: keine Bedingungen")
        }
        WeakCopyleft => (
            "a weak copyleft license: changes to the licensed parts must be published under it",
            "eine Lizenz mit schwachem Copyleft: Änderungen an den lizenzierten Teilen sind unter ihr offenzulegen",
        ),
        StrongCopyleft => (
            "a strong copyleft license: whoever passes on a work built with it must publish its whole source under the same license",
            "eine Lizenz mit starkem Copyleft: wer ein damit gebautes Werk weitergibt, muss den gesamten Quelltext unter derselben Lizenz offenlegen",
        ),
        NetworkCopyleft => (
            "a network copyleft license: the source must be offered also to users over a network",
            "eine Lizenz mit Netzwerk-Copyleft: der Quelltext ist auch Nutzern über ein Netzwerk anzubieten",
        ),
        SourceAvailable => (
            "not open source: the use is restricted (for example no commercial use)",
            "nicht Open Source: die Nutzung ist eingeschränkt (zum Beispiel keine kommerzielle Nutzung)",
        ),
        Freeware => {
            ("not open source: may be passed on unchanged only", "nicht Open Source: nur unverändert weiterzugeben")
        }
        Commercial => ("commercial: a license must be purchased", "kommerziell: eine Lizenz muss erworben werden"),
        Proprietary => ("proprietary", "proprietär"),
        Unknown => (
            "neither OSI-approved nor FSF-libre; read the license text before use",
            "weder von der OSI anerkannt noch von der FSF als frei eingestuft; vor der Nutzung den Lizenztext lesen",
        ),
    };
    (
        format!("{full}: {en}. Classified by rule from the SPDX list, not reviewed."),
        format!("{full}: {de}. Nach Regeln aus der SPDX-Liste eingeordnet, nicht geprüft."),
    )
}

fn exception_rule(id: &str, full: &str) -> String {
    let lower = format!("{id} {full}").to_ascii_lowercase();
    let linking = [
        "linking",
        "classpath",
        "runtime",
        "gcc",
        "autoconf",
        "bison",
        "libtool",
        "compiler",
        "syscall",
        "library usage",
        "independent-modules",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let (limit, en, de) = if linking {
        (
            "limits_copyleft_to = \"library\"\n",
            "permits linking or using generated output without the copyleft reaching the other work",
            "erlaubt das Linken oder die Nutzung erzeugter Ausgaben, ohne dass das Copyleft das andere Werk erfasst",
        )
    } else {
        (
            "",
            "grants an additional permission; the license otherwise applies unchanged",
            "gewährt eine zusätzliche Erlaubnis; ansonsten gilt die Lizenz unverändert",
        )
    };
    format!(
        "\n[[exception]]\nid = {}\nname = {}\n{limit}basis = \"rules\"\nsummary_en = {}\nsummary_de = {}\n",
        q(id),
        q(full),
        q(&format!("{full}: {en}. Classified by rule from the name, not reviewed.")),
        q(&format!("{full}: {de}. Nach Regeln aus dem Namen eingeordnet, nicht geprüft."))
    )
}

/// The database loads once, on first use; the catalogue adds little to that.
#[test]
fn loading_stays_cheap() {
    let start = std::time::Instant::now();
    let mut db = Db::parse(db::SOURCES).unwrap();
    let toml = start.elapsed();
    db.add_catalogue(db::CATALOGUE).unwrap();
    let all = start.elapsed();
    println!(
        "license-db load: TOML {:.1} ms, with the catalogue {:.1} ms",
        toml.as_secs_f64() * 1e3,
        all.as_secs_f64() * 1e3
    );
    assert!(all.as_millis() < 2000, "{all:?}");
}
