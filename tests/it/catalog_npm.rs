//! npm fixtures scanned through the binary: the workspaces of npm, pnpm and yarn give one
//! project per member and each locked package once, a lockfile and the installed copy of a
//! package merge into one component, and damaged lockfiles do not stop the scan. What the
//! catalogers read from each lockfile is tested in their folder
//! (`crates/ecosystems/src/npm/fixture_tests.rs`).

use crate::eco_support::*;

/// The workspace fixture locks 10 distinct packages (is-number 6.0.0 twice, once through
/// the `isnum` alias), three projects and no more.
const WORKSPACE_PACKAGES: usize = 10;

#[test]
fn corrupt_lockfiles_are_reported_and_the_scan_goes_on() {
    let inv = scan(&fixture("npm"));
    for f in [
        "corrupt-lock/package-lock.json",
        "corrupt-pnpm/pnpm-lock.yaml",
        "corrupt-manifest/package.json",
        "corrupt-yarn/yarn.lock",
        "unknown-yarn-version/yarn.lock",
    ] {
        parse_error(&inv, f);
    }
    // The other lockfiles of the same scan are read.
    component(&inv, "fixtures:pkg:npm/scheduler@0.23.2");
}

#[test]
fn workspace_scan_gives_one_project_per_member_and_each_locked_package_once() {
    for case in ["lock-v3-workspaces", "lock-v1-workspaces", "pnpm-v9-workspaces", "yarn-berry-workspaces"] {
        let inv = scan(&fixture(&format!("npm/{case}")));
        assert_eq!(count_kind(&inv, "project"), 3, "{case}");
        let expected = if case.starts_with("yarn-berry") { 29 + 1 } else { WORKSPACE_PACKAGES };
        // Berry does not install the unmet peer `react`: it stays a requirement without a version.
        assert_eq!(count_kind(&inv, "dependency"), expected, "{case}: {:#?}", inv["components"]);
        let api = component(&inv, &format!("{case}:project:npm:packages/api"));
        assert_eq!(api["name"], "@portal/api");
        assert_eq!(api["declared_license"], "MIT");
        let util_id = format!("{case}:project:npm:packages/util");
        assert!(api["dependencies"].as_array().unwrap().iter().any(|d| d == util_id.as_str()), "{case}: {api}");
        let root = component(&inv, &format!("{case}:project:npm:."));
        assert_eq!(root["name"], "portal-monorepo");
        assert_eq!(root["declared_license"], "EUPL-1.2");
    }
}

#[test]
fn lockfile_and_installed_copy_are_one_component_with_both_locations() {
    let inv = scan(&fixture("npm/installed-node-modules"));
    assert_eq!(count_kind(&inv, "dependency"), 3, "{:#?}", inv["components"]);
    let n = component(&inv, "installed-node-modules:pkg:npm/is-number@7.0.0");
    let locs: Vec<&str> = n["locations"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(locs.contains(&"package-lock.json:24"), "{locs:?}");
    assert!(locs.contains(&"node_modules/is-number/package.json:1"), "{locs:?}");
    assert_eq!(n["direct"], true);
    assert_eq!(n["scope"], "runtime");
    assert_eq!(n["declared_license"], "MIT");
    let amd = component(&inv, "installed-node-modules:pkg:npm/amdefine@0.0.8");
    assert_eq!(amd["declared_license_raw"], "BSD OR MIT");
    let project = component(&inv, "installed-node-modules:project:npm:.");
    assert_eq!(project["declared_license"], "LicenseRef-kataster-proprietary");
    assert_eq!(project["dependencies"].as_array().unwrap().len(), 3);
}

#[test]
fn estate_web_app_dependencies_are_found() {
    let inv = scan(&shared_fixture("estate"));
    let app = component(&inv, "estate:project:npm:web-app");
    assert_eq!(app["name"], "buergerportal-web");
    assert_eq!(app["declared_license"], "EUPL-1.2");
    let odd = component(&inv, "estate:pkg:npm/is-odd@3.0.1");
    assert_eq!((odd["scope"].as_str(), odd["direct"].as_bool()), (Some("dev"), Some(true)));
    let six = component(&inv, "estate:pkg:npm/is-number@6.0.0");
    assert_eq!((six["scope"].as_str(), six["direct"].as_bool()), (Some("dev"), Some(false)));
    let seven = component(&inv, "estate:pkg:npm/is-number@7.0.0");
    assert_eq!(seven["scope"], "runtime");
    assert_eq!(seven["projects"], serde_json::json!(["estate:project:npm:web-app"]));
    assert!(seven["locations"].as_array().unwrap().iter().any(|l| l == "web-app/package.json:8"), "{seven}");
    let npm_deps = inv["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ecosystem"] == "npm" && c["kind"] == "dependency")
        .count();
    assert_eq!(npm_deps, 4);
}
