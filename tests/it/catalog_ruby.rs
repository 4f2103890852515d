//! Ruby fixtures scanned through the binary: a Bundler project's lock, Gemfile, gemspecs and
//! installed specs join into one inventory. What the cataloger reads from each file is
//! tested in its folder (`crates/ecosystems/src/ruby/fixture_tests.rs`).

use crate::eco_support::*;

const CASE: &str = "ruby/bundler-git-path";

#[test]
fn scan_joins_lock_gemfile_gemspecs_and_installed_specs() {
    let inv = scan(&fixture(CASE));
    let r = "bundler-git-path";
    let rack = component(&inv, &format!("{r}:pkg:gem/rack@2.2.22"));
    assert_eq!(rack["declared_license"], "MIT");
    assert_eq!(rack["scope"], "runtime");
    assert_eq!(rack["projects"], serde_json::json!([format!("{r}:project:gem:.")]));
    assert_eq!(component(&inv, &format!("{r}:pkg:gem/rspec-support@3.12.0"))["scope"], "dev");
    assert_eq!(component(&inv, &format!("{r}:pkg:gem/rake@13.0.6"))["direct"], true);
    // The PATH gem's own requirements merge with the packages the app's lock resolves.
    let nokogiri = component(&inv, &format!("{r}:pkg:gem/nokogiri@1.13.10"));
    assert_eq!(nokogiri["projects"].as_array().unwrap().len(), 2, "{nokogiri}");
    assert!(
        inv["components"].as_array().unwrap().iter().all(|c| c["version"].is_string() || c["kind"] != "dependency")
    );
    let core = component(&inv, &format!("{r}:project:gem:gems/fahrplan-core"));
    assert_eq!(core["name"], "fahrplan-core");
    let app = component(&inv, &format!("{r}:project:gem:."));
    assert!(app["dependencies"].as_array().unwrap().iter().any(|d| d == &core["id"]), "{app}");
    // 18 specs: 17 components of their own plus the PATH gem, which is the project above,
    // and the lockfile's own project.
    assert_eq!(components_from(&inv, "Gemfile.lock").len(), 19);
}
