//! Composer cataloger: a lock and vendor/ written by composer from path repositories, a
//! Drupal lock with `replace`, `provide` and dev packages, a truncated lock.

use crate::eco_support::*;
use kataster::ecosystems::PackageRole;
use kataster::model::Scope;

#[test]
fn lock_from_path_repositories_lists_every_package_with_licenses_and_edges() {
    let c = parse("composer", "composer/path-repositories/composer.lock");
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
    assert_eq!(core.declared_license.as_ref().unwrap().expression.as_deref(), Some(kataster::ecosystems::PROPRIETARY));
    assert_eq!(pkg(&c, "pkg:composer/symfony/finder@v5.4.23").scope, Scope::Dev);
}

#[test]
fn drupal_lock_resolves_replaced_subtree_packages() {
    let c = parse("composer", "composer/drupal-replace-dev/composer.lock");
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
    let c = parse("composer", "composer/path-repositories/composer.json");
    assert_eq!(c.packages.len(), 6);
    let me = &c.packages[0];
    assert_eq!((me.role, me.name.as_str()), (PackageRole::Project, "fahrplan/portal"));
    assert_eq!(me.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2"));
    assert_eq!(pkg(&c, "pkg:composer/symfony/finder").scope, Scope::Dev);
}

#[test]
fn installed_json_gives_install_folders_and_dev_flags() {
    let c = parse("composer", "composer/path-repositories/vendor/composer/installed.json");
    assert_eq!(c.packages.len(), 8);
    let log = pkg(&c, "pkg:composer/psr/log@1.1.4");
    assert_eq!(log.dir.as_deref(), Some("composer/path-repositories/vendor/psr/log"));
    assert_eq!(log.scope, Scope::Runtime);
    assert_eq!(pkg(&c, "pkg:composer/symfony/finder@v5.4.23").scope, Scope::Dev);
}

#[test]
fn scan_joins_lock_manifest_and_vendor_into_one_component_per_package() {
    let inv = scan_json(&fixture("composer/path-repositories"));
    let r = "path-repositories";
    assert_eq!(components_from(&inv, "composer.lock").len(), 8);
    let console = component(&inv, &format!("{r}:pkg:composer/symfony/console@v5.4.23"));
    assert_eq!(console["direct"], true);
    assert_eq!(console["scope"], "runtime");
    assert_eq!(console["declared_license"], "MIT");
    let locs = console["locations"].as_array().unwrap();
    assert_eq!(locs.len(), 4, "{locs:?}");
    assert_eq!(component(&inv, &format!("{r}:pkg:composer/symfony/finder@v5.4.23"))["scope"], "dev");
    let project = component(&inv, &format!("{r}:project:composer:."));
    assert_eq!(project["name"], "fahrplan/portal");
    // No installed package is mistaken for a project or a vendored copy of its own.
    let kinds: Vec<&str> = inv["components"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "dependency").count(), 8, "{kinds:?}");
}

#[test]
fn truncated_lock_gives_a_diagnostic_with_file_and_line() {
    assert_parse_error_at("composer", "composer/corrupt", "composer.lock", 40);
}

#[test]
fn truncated_manifest_gives_a_diagnostic_with_file_and_line() {
    assert_parse_error_at("composer", "composer/corrupt-manifest", "composer.json", 20);
}
