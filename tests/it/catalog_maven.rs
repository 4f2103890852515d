//! Maven fixtures scanned through the binary: a multi-module build gives one project per
//! module and links the sibling it depends on; a packaged artifact's META-INF records make
//! one installed dependency. What the cataloger reads from each file is tested in its folder
//! (`crates/ecosystems/src/maven/fixture_tests.rs`).

use crate::eco_support::*;

#[test]
fn scan_gives_one_project_per_module_and_links_the_sibling() {
    let inv = scan(&fixture("maven/multi-module"));
    let r = "multi-module";
    for (dir, name) in [(".", "fahrplan-parent"), ("api", "fahrplan-api"), ("service", "fahrplan-service")] {
        let p = component(&inv, &format!("{r}:project:maven:{dir}"));
        assert_eq!(p["name"], format!("de.example.fahrplan:{name}"));
        assert_eq!(p["version"], "1.4.0-SNAPSHOT");
    }
    let service = component(&inv, &format!("{r}:project:maven:service"));
    let deps = service["dependencies"].as_array().unwrap();
    assert!(deps.iter().any(|d| d == &format!("{r}:project:maven:api")), "{deps:?}");
    let io = component(&inv, &format!("{r}:pkg:maven/commons-io/commons-io@2.11.0"));
    assert_eq!(io["direct"], true);
    assert_eq!(io["projects"], serde_json::json!([format!("{r}:project:maven:service")]));
}

#[test]
fn packaged_artifact_is_an_installed_dependency_owning_its_folder() {
    let inv = scan(&fixture("maven/exploded-jar"));
    let io = component(&inv, "exploded-jar:pkg:maven/commons-io/commons-io@2.11.0");
    assert_eq!(io["locations"].as_array().unwrap().len(), 2, "{io}");
    assert_eq!(io["name"], "commons-io:commons-io");
}
