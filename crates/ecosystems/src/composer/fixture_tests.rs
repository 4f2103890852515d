//! The Composer cataloger on its fixtures: a lock and vendor/ written by composer from path
//! repositories, a Drupal lock with `replace`, `provide` and dev packages, a truncated lock
//! and a truncated manifest.

use crate::testing::{Fixtures, pkg};
use crate::{PROPRIETARY, PackageRole};
use kataster_model::model::Scope;

const FIXTURES: Fixtures = Fixtures { ecosystem: "composer", folder: "composer" };

#[test]
fn lock_from_path_repositories_lists_every_package_with_licenses_and_edges() {
    let c = FIXTURES.parse("path-repositories/composer.lock");
    assert_eq!(c.packages.len(), 8);
    let console = pkg(&c, "pkg:composer/symfony/console@v5.4.23");
    assert_eq!((console.scope, console.line), (Scope::Runtime, Some(124)));
    assert_eq!(console.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT"));
    assert_eq!(
        console.dependencies,
        vec!["pkg:composer/symfony/service-contracts@v2.5.2".to_string(), "pkg:composer/symfony/string@v5.4.23".into()]
    );
    // `psr/log-implementation` is provided by symfony/console.
    let bridge = pkg(&c, "pkg:composer/fahrplan/legacy-bridge@2.0.1");
    assert_eq!(bridge.dependencies, vec!["pkg:composer/symfony/console@v5.4.23".to_string()]);
    assert_eq!(bridge.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2 OR GPL-3.0-or-later"));
    // `fahrplan/legacy` is replaced by the bridge.
    let core = pkg(&c, "pkg:composer/fahrplan/timetable-core@0.9.0");
    assert!(
        core.dependencies.contains(&"pkg:composer/fahrplan/legacy-bridge@2.0.1".to_string()),
        "{:?}",
        core.dependencies
    );
    assert_eq!(core.declared_license.as_ref().unwrap().raw, "proprietary");
    assert_eq!(core.declared_license.as_ref().unwrap().expression.as_deref(), Some(PROPRIETARY));
    assert_eq!(pkg(&c, "pkg:composer/symfony/finder@v5.4.23").scope, Scope::Dev);
}

#[test]
fn drupal_lock_resolves_replaced_subtree_packages() {
    let c = FIXTURES.parse("drupal-replace-dev/composer.lock");
    assert_eq!(c.packages.len(), 9);
    let token = pkg(&c, "pkg:composer/drupal/token@1.13.0");
    assert_eq!(token.line, Some(91));
    assert_eq!(token.dependencies, vec!["pkg:composer/drupal/core@10.2.0".to_string()]);
    assert_eq!(token.hashes[0].alg, "SHA-1");
    let core = pkg(&c, "pkg:composer/drupal/core@10.2.0");
    assert_eq!(core.dependencies.len(), 4, "{:?}", core.dependencies);
    assert_eq!(core.declared_license.as_ref().unwrap().expression.as_deref(), Some("GPL-2.0-or-later"));
    let phpunit = pkg(&c, "pkg:composer/phpunit/phpunit@9.6.15");
    assert_eq!((phpunit.scope, phpunit.line), (Scope::Dev, Some(228)));
    assert!(c.packages.iter().all(|p| !p.name.starts_with("drupal/core-")));
}

#[test]
fn manifest_gives_the_project_and_its_direct_requirements() {
    let c = FIXTURES.parse("path-repositories/composer.json");
    assert_eq!(c.packages.len(), 6);
    let me = &c.packages[0];
    assert_eq!((me.role, me.name.as_str()), (PackageRole::Project, "fahrplan/portal"));
    assert_eq!(me.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2"));
    assert_eq!(pkg(&c, "pkg:composer/symfony/finder").scope, Scope::Dev);
}

#[test]
fn installed_json_gives_install_folders_and_dev_flags() {
    let c = FIXTURES.parse("path-repositories/vendor/composer/installed.json");
    assert_eq!(c.packages.len(), 8);
    let log = pkg(&c, "pkg:composer/psr/log@1.1.4");
    assert_eq!(log.dir.as_deref(), Some("path-repositories/vendor/psr/log"));
    assert_eq!(log.scope, Scope::Runtime);
    assert_eq!(pkg(&c, "pkg:composer/symfony/finder@v5.4.23").scope, Scope::Dev);
}

#[test]
fn truncated_lock_gives_an_error_with_its_line() {
    FIXTURES.parse_error("corrupt/composer.lock", 40);
}

#[test]
fn truncated_manifest_gives_an_error_with_its_line() {
    FIXTURES.parse_error("corrupt-manifest/composer.json", 20);
}
