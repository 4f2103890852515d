//! Gradle dependency locking: `gradle.lockfile` (one line per `group:name:version` with the
//! configurations that resolve it), `buildscript-gradle.lockfile` and the per-configuration
//! files of Gradle before 6 (`gradle/dependency-locks/<configuration>.lockfile`).
//!
//! The packages are Maven packages (`pkg:maven/...`, ecosystem `maven`) so that they merge
//! with what poms and `META-INF/maven` records say. The build scripts themselves are
//! programs and are not read. Never runs Gradle.

#[cfg(test)]
mod fixture_tests;

use super::maven::maven_package;
use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError};
use kataster_model::model::Ecosystem;
use kataster_model::model::Scope;

pub const CATALOGER: Cataloger = Cataloger { name: "gradle", claims, parse, records: &["gradle.lockfile"] };

const LEGACY_DIR: &str = "gradle/dependency-locks/";

fn claims(path: &str, name: &str) -> bool {
    name == "gradle.lockfile"
        || name.ends_with("-gradle.lockfile")
        || (name.ends_with(".lockfile") && path.contains(LEGACY_DIR))
}

/// Does a dependency resolved for these configurations ship? Runtime classpaths (not of
/// tests) ship; compile-only classpaths, test, annotation-processor and tool
/// configurations do not.
fn scope_of(configurations: &[&str]) -> Scope {
    let is_test = |c: &str| c.starts_with("test") || c.contains("Test");
    if configurations.is_empty() {
        Scope::Unknown
    } else if configurations.iter().any(|c| !is_test(c) && (c.ends_with("untimeClasspath") || *c == "default")) {
        Scope::Runtime
    } else {
        Scope::Dev
    }
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let name = file.path.rsplit('/').next().unwrap_or(file.path);
    let (project_dir, legacy_configuration) = match file.path.find(LEGACY_DIR) {
        Some(i) => (file.path[..i].trim_end_matches('/'), name.strip_suffix(".lockfile")),
        None => (file.dir(), None),
    };
    // Build-script classpaths are tools of the build.
    let buildscript =
        name.starts_with("buildscript-") || legacy_configuration.is_some_and(|c| c.starts_with("classpath"));
    let mut cat = Catalog::default();
    let mut me = Package::new(PackageRole::Project, Ecosystem::Maven, "", None);
    me.dir = Some(project_dir.to_string());
    me.scope = Scope::Runtime;
    cat.packages.push(me);
    for (i, raw) in text.lines().enumerate() {
        let no = i as u32 + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (coordinates, configurations) = match (line.split_once('='), legacy_configuration) {
            (Some(("empty", _)), None) => continue,
            (Some((c, configs)), None) => (c, configs.split(',').map(str::trim).filter(|c| !c.is_empty()).collect()),
            (None, Some(configuration)) => (line, vec![configuration]),
            _ => return Err(ParseError::at(no, format!("not a `group:name:version=configurations` line: {line:?}"))),
        };
        let mut parts = coordinates.split(':');
        let (Some(group), Some(artifact), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ParseError::at(no, format!("not `group:name:version`: {coordinates:?}")));
        };
        if group.is_empty() || artifact.is_empty() || version.is_empty() {
            return Err(ParseError::at(no, format!("incomplete coordinates: {coordinates:?}")));
        }
        let mut p = maven_package(PackageRole::Dependency, Some(group), artifact, Some(version));
        p.scope = if buildscript { Scope::Dev } else { scope_of(&configurations) };
        p.line = Some(no);
        cat.packages.push(p);
    }
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_claimed as run;

    #[test]
    fn configurations_decide_the_scope() {
        assert_eq!(scope_of(&["compileClasspath", "runtimeClasspath"]), Scope::Runtime);
        assert_eq!(scope_of(&["releaseRuntimeClasspath"]), Scope::Runtime);
        assert_eq!(scope_of(&["compileClasspath"]), Scope::Dev);
        assert_eq!(scope_of(&["testCompileClasspath", "testRuntimeClasspath"]), Scope::Dev);
        assert_eq!(scope_of(&["debugUnitTestRuntimeClasspath"]), Scope::Dev);
        assert_eq!(scope_of(&["annotationProcessor"]), Scope::Dev);
    }

    #[test]
    fn lockfile_lines_and_legacy_per_configuration_files() {
        let c = run(
            "app/gradle.lockfile",
            "# This is a Gradle generated file for dependency locking.\norg.slf4j:slf4j-api:2.0.13=compileClasspath,runtimeClasspath\njunit:junit:4.13.2=testRuntimeClasspath\nempty=annotationProcessor\n",
        )
        .unwrap();
        assert_eq!(c.packages.len(), 3);
        assert_eq!(c.packages[0].dir.as_deref(), Some("app"));
        let p = &c.packages[1];
        assert_eq!(
            (p.purl.as_deref(), p.scope, p.line),
            (Some("pkg:maven/org.slf4j/slf4j-api@2.0.13"), Scope::Runtime, Some(2))
        );
        assert_eq!(c.packages[2].scope, Scope::Dev);
        let c = run("app/gradle/dependency-locks/runtimeClasspath.lockfile", "# x\norg.a:b:1.0\n").unwrap();
        assert_eq!((c.packages[0].dir.as_deref(), c.packages[1].scope), (Some("app"), Scope::Runtime));
    }

    #[test]
    fn malformed_lines_are_errors_with_their_line() {
        let e =
            run("gradle.lockfile", "# header\norg.a:b:1.0=runtimeClasspath\norg.a:c=runtimeClasspath\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = run("gradle.lockfile", "# header\norg.a:b:1.0\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
