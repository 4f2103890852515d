//! publiccode.yml fixtures scanned through the binary: the software's declared license and
//! its declared dependencies, on a real file of an Italian health authority (proprietary
//! and hardware dependencies) and an OpenCoDE-style file with open ones. The damaged file is
//! tested in the cataloger's folder (`crates/ecosystems/src/publiccode/fixture_tests.rs`).

use crate::eco_support::*;

fn dependency_ids(inv: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = inv["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "dependency")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn proprietary_and_hardware_dependencies_are_marked_as_declared() {
    let inv = scan(&fixture("publiccode/proprietary-and-hardware"));
    let p = component(&inv, "proprietary-and-hardware:project:publiccode:.");
    assert_eq!((p["name"].as_str(), p["version"].as_str()), (Some("Docsuite PA"), Some("9.25")));
    assert_eq!(p["declared_license"], "EUPL-1.2");
    assert_eq!(p["supplier"], "AUSL Reggio Emilia");
    assert_eq!(p["dependencies"].as_array().unwrap().len(), 9);
    assert_eq!(dependency_ids(&inv).len(), 9, "six proprietary, three hardware");

    let sql = component(&inv, "proprietary-and-hardware:pkg:generic/Microsoft%20SQL%20Server");
    assert_eq!(sql["declared_license"], "LicenseRef-kataster-proprietary");
    assert_eq!((sql["scope"].as_str(), sql["direct"].as_bool()), (Some("runtime"), Some(true)));
    assert!(has_location(sql, "publiccode.yml:86"), "{sql}");
    assert!(sql["version"].is_null(), "a version range is not a version");
    let twain = component(&inv, "proprietary-and-hardware:pkg:generic/Dynamic%20Web%20Twain");
    assert_eq!(twain["scope"], "optional");
    let reader = component(&inv, "proprietary-and-hardware:pkg:generic/Smart%20Card%20Reader");
    assert!(reader["declared_license"].is_null());
    assert!(reader["declared_license_raw"].as_str().unwrap().contains("hardware"), "{reader}");
    // Declared ranges are ordinary: no diagnostics for a valid file.
    assert!(inv["diagnostics"].as_array().unwrap().is_empty(), "{}", inv["diagnostics"]);
}

#[test]
fn open_dependencies_and_an_expression_as_project_license() {
    let inv = scan(&fixture("publiccode/open-dependencies"));
    let p = component(&inv, "open-dependencies:project:publiccode:.");
    assert_eq!(p["declared_license"], "EUPL-1.2 OR AGPL-3.0-or-later");
    assert_eq!(
        dependency_ids(&inv),
        vec![
            "open-dependencies:pkg:generic/ELSTER-Schnittstelle",
            "open-dependencies:pkg:generic/Keycloak@26.1",
            "open-dependencies:pkg:generic/PostgreSQL",
        ]
    );
    let kc = component(&inv, "open-dependencies:pkg:generic/Keycloak@26.1");
    assert_eq!((kc["version"].as_str(), kc["scope"].as_str()), (Some("26.1"), Some("optional")));
    assert_eq!(kc["declared_license"], "LicenseRef-kataster-open-source");
    assert_eq!(
        component(&inv, "open-dependencies:pkg:generic/ELSTER-Schnittstelle")["declared_license"],
        "LicenseRef-kataster-proprietary"
    );
}
