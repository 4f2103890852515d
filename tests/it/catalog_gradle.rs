//! Gradle cataloger: lockfiles of a multi-project build (configurations to scopes, the
//! build script's own lockfile) and a damaged lockfile.

use crate::eco_support::*;
use kataster::ecosystems::PackageRole;
use kataster::model::{Ecosystem, Scope};

const CASE: &str = "gradle/spring-multi-project";

fn dependencies(cat: &kataster::ecosystems::Catalog) -> Vec<&kataster::ecosystems::Package> {
    cat.packages.iter().filter(|p| p.role == PackageRole::Dependency).collect()
}

#[test]
fn lockfile_lists_every_module_with_its_scope() {
    let c = parse("gradle", &format!("{CASE}/service/gradle.lockfile"));
    assert_eq!(dependencies(&c).len(), 49);
    assert_eq!(c.packages[0].dir.as_deref(), Some("gradle/spring-multi-project/service"));
    let pg = pkg(&c, "pkg:maven/org.postgresql/postgresql@42.6.2");
    assert_eq!((pg.scope, pg.line, &pg.ecosystem), (Scope::Runtime, Some(30), &Ecosystem::Maven));
    assert_eq!(pkg(&c, "pkg:maven/org.springframework.boot/spring-boot@3.2.5").scope, Scope::Runtime);
    assert_eq!(pkg(&c, "pkg:maven/org.projectlombok/lombok@1.18.32").scope, Scope::Dev);
    assert_eq!(pkg(&c, "pkg:maven/org.mockito/mockito-core@5.7.0").scope, Scope::Dev);
    assert_eq!(dependencies(&parse("gradle", &format!("{CASE}/lib/gradle.lockfile"))).len(), 3);
}

#[test]
fn build_script_lockfile_is_build_tooling() {
    let c = parse("gradle", &format!("{CASE}/service/buildscript-gradle.lockfile"));
    let deps = dependencies(&c);
    assert_eq!(deps.len(), 6);
    assert!(deps.iter().all(|p| p.scope == Scope::Dev));
}

#[test]
fn scan_gives_one_project_per_module_and_merges_shared_modules() {
    let inv = scan_json(&fixtures().join(CASE));
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

#[test]
fn damaged_lockfile_gives_a_diagnostic_with_file_and_line() {
    assert_parse_error_at("gradle", "gradle/corrupt", "gradle.lockfile", 12);
}
