//! The Gradle cataloger on its fixtures: lockfiles of a multi-project build (configurations
//! to scopes, the build script's own lockfile) and a damaged lockfile.

use crate::testing::{Fixtures, pkg};
use crate::{Catalog, Package, PackageRole};
use kataster_model::model::Scope;

const FIXTURES: Fixtures = Fixtures { ecosystem: "gradle", folder: "gradle" };

const CASE: &str = "spring-multi-project";

fn dependencies(cat: &Catalog) -> Vec<&Package> {
    cat.packages.iter().filter(|p| p.role == PackageRole::Dependency).collect()
}

#[test]
fn lockfile_lists_every_module_with_its_scope() {
    let c = FIXTURES.parse(&format!("{CASE}/service/gradle.lockfile"));
    assert_eq!(dependencies(&c).len(), 49);
    assert_eq!(c.packages[0].dir.as_deref(), Some("spring-multi-project/service"));
    let pg = pkg(&c, "pkg:maven/org.postgresql/postgresql@42.6.2");
    assert_eq!(
        (pg.scope, pg.line, &pg.ecosystem),
        (Scope::Runtime, Some(30), &kataster_model::model::Ecosystem::Maven)
    );
    assert_eq!(pkg(&c, "pkg:maven/org.springframework.boot/spring-boot@3.2.5").scope, Scope::Runtime);
    assert_eq!(pkg(&c, "pkg:maven/org.projectlombok/lombok@1.18.32").scope, Scope::Dev);
    assert_eq!(pkg(&c, "pkg:maven/org.mockito/mockito-core@5.7.0").scope, Scope::Dev);
    assert_eq!(dependencies(&FIXTURES.parse(&format!("{CASE}/lib/gradle.lockfile"))).len(), 3);
}

#[test]
fn build_script_lockfile_is_build_tooling() {
    let c = FIXTURES.parse(&format!("{CASE}/service/buildscript-gradle.lockfile"));
    let deps = dependencies(&c);
    assert_eq!(deps.len(), 6);
    assert!(deps.iter().all(|p| p.scope == Scope::Dev));
}

#[test]
fn damaged_lockfile_gives_an_error_with_its_line() {
    FIXTURES.parse_error("corrupt/gradle.lockfile", 12);
}
