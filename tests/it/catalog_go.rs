//! Go fixtures scanned through the binary: go.mod, go.sum and vendor/modules.txt of one
//! module, made by the go command, merge into one inventory. What the cataloger reads from
//! each file is tested in its folder (`crates/ecosystems/src/go/fixture_tests.rs`).

use crate::eco_support::*;

const CASE: &str = "go/module-replace-vendor";

#[test]
fn scan_merges_the_three_files_into_one_inventory() {
    let inv = scan(&fixture(CASE));
    let root = "module-replace-vendor";
    let uuid = component(&inv, &format!("{root}:pkg:golang/github.com/google/uuid@v1.3.0"));
    assert_eq!(uuid["direct"], true);
    assert_eq!(uuid["scope"], "runtime");
    let locs: Vec<&str> = uuid["locations"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(locs, vec!["go.mod:11", "go.sum:3", "vendor/modules.txt:7"]);
    assert_eq!(uuid["projects"], serde_json::json!([format!("{root}:project:golang:.")]));
    let tools = component(&inv, &format!("{root}:project:golang:tools"));
    assert_eq!(tools["name"], "example.org/fahrplan/tools");
    // The replaced requirement is an edge to that project, not a component of its own.
    let me = component(&inv, &format!("{root}:project:golang:."));
    assert!(me["dependencies"].as_array().unwrap().iter().any(|d| d == &tools["id"]), "{me}");
    assert!(
        inv["components"].as_array().unwrap().iter().all(|c| c["version"].is_string() || c["kind"] != "dependency")
    );
    // go.sum: as many components as modules.
    assert_eq!(components_from(&inv, "go.sum").len(), 5);
}
