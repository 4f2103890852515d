//! NuGet fixtures scanned through the binary: a solution with central package management
//! and lockfiles merges references, locks and projects; a packages.config project with
//! restored nuspecs gets their licenses. What the cataloger reads from each file is tested
//! in its folder (`crates/ecosystems/src/nuget/fixture_tests.rs`).

use crate::eco_support::*;

const SLN: &str = "nuget/central-versions-solution";

#[test]
fn scan_merges_references_locks_and_projects() {
    let inv = scan(&fixture(SLN));
    let r = "central-versions-solution";
    let web = component(&inv, &format!("{r}:project:nuget:src/Fahrplan.Web"));
    assert_eq!(web["name"], "Fahrplan.Web");
    let core_id = format!("{r}:project:nuget:src/Fahrplan.Core");
    let core = component(&inv, &core_id);
    assert_eq!(core["declared_license"], "EUPL-1.2");
    // The lowercase `fahrplan.core` entry is the Fahrplan.Core project, not a package.
    assert!(web["dependencies"].as_array().unwrap().iter().any(|d| d == &core_id), "{web}");
    assert!(inv["components"].as_array().unwrap().iter().all(|c| c["name"] != "fahrplan.core"));
    // A versionless reference merges with the locked package and gets its scope from it.
    let stylecop = component(&inv, &format!("{r}:pkg:nuget/StyleCop.Analyzers@1.2.0-beta.556"));
    assert_eq!(stylecop["scope"], "dev");
    assert_eq!(stylecop["direct"], true);
    assert_eq!(component(&inv, &format!("{r}:pkg:nuget/StyleCop.Analyzers.Unstable@1.2.0.556"))["scope"], "dev");
    let serilog = component(&inv, &format!("{r}:pkg:nuget/Serilog@3.1.1"));
    assert_eq!(serilog["scope"], "runtime");
    assert_eq!(serilog["projects"], serde_json::json!([format!("{r}:project:nuget:src/Fahrplan.Web")]));
    // Newtonsoft.Json: central pin, Core's lock and reference, Web's lock: one component.
    let json = component(&inv, &format!("{r}:pkg:nuget/Newtonsoft.Json@13.0.3"));
    assert_eq!(json["locations"].as_array().unwrap().len(), 4, "{json}");
    assert!(
        inv["components"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "Newtonsoft.Json" || c["version"].is_string())
    );
}

#[test]
fn packages_config_project_gets_the_licenses_of_restored_nuspecs() {
    let inv = scan(&fixture("nuget/legacy-packages-config"));
    let json = component(&inv, "legacy-packages-config:pkg:nuget/Newtonsoft.Json@12.0.3");
    assert_eq!(json["declared_license"], "MIT");
    assert_eq!(json["scope"], "runtime");
    assert_eq!(json["projects"], serde_json::json!(["legacy-packages-config:project:nuget:Fahrplan.Legacy"]));
}
