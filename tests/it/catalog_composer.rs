//! Composer fixtures scanned through the binary: the lock, manifest and vendor/ that
//! composer wrote from path repositories become one component per package. What the
//! cataloger reads from each file is tested in its folder
//! (`crates/ecosystems/src/composer/fixture_tests.rs`).

use crate::eco_support::*;

#[test]
fn scan_joins_lock_manifest_and_vendor_into_one_component_per_package() {
    let inv = scan(&fixture("composer/path-repositories"));
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
