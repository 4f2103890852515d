//! The Maven cataloger on its fixtures: a multi-module build (one project per module,
//! interpolation, managed versions, scopes, licenses), a packaged artifact's META-INF
//! records, a truncated pom and pom.properties.

use crate::PackageRole;
use crate::testing::{Fixtures, pkg};
use kataster_model::model::Scope;

const FIXTURES: Fixtures = Fixtures { ecosystem: "maven", folder: "maven" };

#[test]
fn parent_pom_resolves_its_managed_versions_and_scopes() {
    let c = FIXTURES.parse("multi-module/pom.xml");
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
    let c = FIXTURES.parse("multi-module/api/pom.xml");
    assert_eq!(c.packages.len(), 3);
    assert_eq!(c.packages[0].purl.as_deref(), Some("pkg:maven/de.example.fahrplan/fahrplan-api@1.4.0-SNAPSHOT"));
    assert_eq!(c.packages[0].dir.as_deref(), Some("multi-module/api"));
    let databind = pkg(&c, "pkg:maven/com.fasterxml.jackson.core/jackson-databind");
    assert_eq!(databind.version, None);
    assert!(c.warnings.iter().any(|w| w.contains("${jackson.version}")), "{:?}", c.warnings);
}

#[test]
fn module_scopes_optional_and_license_choice() {
    let c = FIXTURES.parse("multi-module/service/pom.xml");
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
fn packaged_artifact_records_an_installed_dependency_and_its_folder() {
    let props = FIXTURES.parse("exploded-jar/lib/commons-io/META-INF/maven/commons-io/commons-io/pom.properties");
    assert_eq!(props.packages.len(), 1);
    let p = &props.packages[0];
    assert_eq!((p.role, p.purl.as_deref()), (PackageRole::Dependency, Some("pkg:maven/commons-io/commons-io@2.11.0")));
    assert_eq!(p.dir.as_deref(), Some("exploded-jar/lib/commons-io"));
}

#[test]
fn truncated_pom_gives_an_error_with_its_line() {
    FIXTURES.parse_error("corrupt/pom.xml", 41);
    FIXTURES.parse_error("corrupt/META-INF/maven/commons-io/commons-io/pom.properties", 4);
}
