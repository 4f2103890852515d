//! Maven cataloger: a multi-module build (one project per module, interpolation, managed
//! versions, scopes, licenses), a packaged artifact's META-INF records, a truncated pom.

use crate::eco_support::*;
use kataster::ecosystems::PackageRole;
use kataster::model::Scope;

#[test]
fn parent_pom_resolves_its_managed_versions_and_scopes() {
    let c = parse("maven", "maven/multi-module/pom.xml");
    assert_eq!(c.packages.len(), 3);
    let me = &c.packages[0];
    assert_eq!(me.role, PackageRole::Project);
    assert_eq!(me.name, "de.example.fahrplan:fahrplan-parent");
    assert_eq!(me.purl.as_deref(), Some("pkg:maven/de.example.fahrplan/fahrplan-parent@1.4.0-SNAPSHOT"));
    assert_eq!(me.supplier.as_deref(), Some("Stadtwerke Beispielstadt"));
    let l = me.declared_license.as_ref().unwrap();
    assert_eq!(l.raw, "The Apache Software License, Version 2.0");
    let slf4j = pkg(&c, "pkg:maven/org.slf4j/slf4j-api@2.0.13");
    assert_eq!((slf4j.scope, slf4j.direct, slf4j.line), (Scope::Runtime, Some(true), Some(62)));
    assert_eq!(pkg(&c, "pkg:maven/org.junit.jupiter/junit-jupiter@5.10.2").scope, Scope::Dev);
    // The BOM import is a version source, not a dependency.
    assert!(c.packages.iter().all(|p| !p.name.ends_with("jackson-bom")));
}

#[test]
fn module_inherits_coordinates_and_leaves_parent_properties_unknown() {
    let c = parse("maven", "maven/multi-module/api/pom.xml");
    assert_eq!(c.packages.len(), 3);
    assert_eq!(c.packages[0].purl.as_deref(), Some("pkg:maven/de.example.fahrplan/fahrplan-api@1.4.0-SNAPSHOT"));
    assert_eq!(c.packages[0].dir.as_deref(), Some("maven/multi-module/api"));
    let databind = pkg(&c, "pkg:maven/com.fasterxml.jackson.core/jackson-databind");
    assert_eq!(databind.version, None);
    assert!(c.warnings.iter().any(|w| w.contains("${jackson.version}")), "{:?}", c.warnings);
}

#[test]
fn module_scopes_optional_and_license_choice() {
    let c = parse("maven", "maven/multi-module/service/pom.xml");
    assert_eq!(c.packages.len(), 7);
    let me = &c.packages[0];
    let l = me.declared_license.as_ref().unwrap();
    assert_eq!(l.raw, "European Union Public Licence 1.2 OR Apache-2.0");
    assert_eq!(me.dependencies.len(), 6);
    let scope = |k: &str| pkg(&c, k).scope;
    assert_eq!(scope("pkg:maven/de.example.fahrplan/fahrplan-api@1.4.0-SNAPSHOT"), Scope::Runtime);
    assert_eq!(scope("pkg:maven/commons-io/commons-io@2.11.0"), Scope::Runtime);
    assert_eq!(scope("pkg:maven/org.slf4j/slf4j-simple@2.0.13"), Scope::Runtime);
    assert_eq!(scope("pkg:maven/org.projectlombok/lombok@1.18.32"), Scope::Dev);
    assert_eq!(scope("pkg:maven/com.h2database/h2@2.2.224"), Scope::Optional);
    assert_eq!(scope("pkg:maven/org.junit.jupiter/junit-jupiter"), Scope::Dev);
}

#[test]
fn scan_gives_one_project_per_module_and_links_the_sibling() {
    let inv = scan_json(&fixture("maven/multi-module"));
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
    let props = parse("maven", "maven/exploded-jar/lib/commons-io/META-INF/maven/commons-io/commons-io/pom.properties");
    assert_eq!(props.packages.len(), 1);
    let p = &props.packages[0];
    assert_eq!((p.role, p.purl.as_deref()), (PackageRole::Dependency, Some("pkg:maven/commons-io/commons-io@2.11.0")));
    assert_eq!(p.dir.as_deref(), Some("maven/exploded-jar/lib/commons-io"));
    let inv = scan_json(&fixture("maven/exploded-jar"));
    let io = component(&inv, "exploded-jar:pkg:maven/commons-io/commons-io@2.11.0");
    assert_eq!(io["locations"].as_array().unwrap().len(), 2, "{io}");
    assert_eq!(io["name"], "commons-io:commons-io");
}

#[test]
fn truncated_pom_gives_a_diagnostic_with_file_and_line() {
    assert_parse_error_at("maven", "maven/corrupt", "pom.xml", 41);
    assert_parse_error_at("maven", "maven/corrupt", "META-INF/maven/commons-io/commons-io/pom.properties", 4);
}
