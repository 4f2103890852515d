//! Gradle fixtures scanned through the binary: the lockfiles of a multi-project build give
//! one project per module and merge the modules they share. What the cataloger reads from
//! each lockfile is tested in its folder (`crates/ecosystems/src/gradle/fixture_tests.rs`).

use crate::eco_support::*;

const CASE: &str = "gradle/spring-multi-project";

#[test]
fn scan_gives_one_project_per_module_and_merges_shared_modules() {
    let inv = scan(&fixture(CASE));
    let r = "spring-multi-project";
    assert_eq!(component(&inv, &format!("{r}:project:maven:service"))["name"], "service");
    let databind = component(&inv, &format!("{r}:pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.4"));
    assert_eq!(databind["name"], "com.fasterxml.jackson.core:jackson-databind");
    assert_eq!(databind["projects"].as_array().unwrap().len(), 2, "{databind}");
    assert_eq!(components_from(&inv, "service/gradle.lockfile").len(), 50);
    // Spring's plugin is in both the build script and nothing else: a build tool.
    let plugin = component(&inv, &format!("{r}:pkg:maven/org.springframework.boot/spring-boot-gradle-plugin@3.2.5"));
    assert_eq!(plugin["scope"], "dev");
}
