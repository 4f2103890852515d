//! Go cataloger on real files made by the go command: go.mod, go.sum and
//! vendor/modules.txt of one module, and corrupt copies of them.

use crate::eco_support::*;
use kataster::ecosystems::PackageRole;
use kataster::model::Scope;

const CASE: &str = "go/module-replace-vendor";

#[test]
fn go_mod_gives_the_module_and_its_requirements() {
    let c = parse("golang", &format!("{CASE}/go.mod"));
    assert_eq!(c.packages.len(), 7);
    let me = &c.packages[0];
    assert_eq!(
        (me.role, me.name.as_str(), me.dir.as_deref()),
        (PackageRole::Project, "example.org/fahrplan", Some(CASE))
    );
    assert_eq!(me.purl.as_deref(), Some("pkg:golang/example.org/fahrplan"));
    let pflag = pkg(&c, "pkg:golang/github.com/spf13/pflag@v1.0.6-0.20210604193023-d5e0c0615ace");
    assert_eq!((pflag.direct, pflag.scope, pflag.line), (Some(true), Scope::Runtime, Some(13)));
    let spew = pkg(&c, "pkg:golang/github.com/davecgh/go-spew@v1.1.1");
    assert_eq!(spew.direct, Some(false));
    // The local replacement is code of the tree, without a version; the excluded version is
    // no package.
    pkg(&c, "pkg:golang/example.org/fahrplan/tools");
    assert!(c.packages.iter().all(|p| p.version.as_deref() != Some("v0.8.0")));
    assert!(c.warnings.iter().any(|w| w.contains("./tools")), "{:?}", c.warnings);
    assert_eq!(me.dependencies.len(), 4);
    assert!(me.dependencies.contains(&"pkg:golang/github.com/google/uuid@v1.3.0".to_string()));
}

#[test]
fn go_sum_lists_each_module_version_once() {
    let c = parse("golang", &format!("{CASE}/go.sum"));
    // 10 lines, 5 modules.
    assert_eq!(c.packages.len(), 5);
    let uuid = pkg(&c, "pkg:golang/github.com/google/uuid@v1.3.0");
    assert_eq!(uuid.line, Some(3));
    assert_eq!(parse("golang", &format!("{CASE}/tools/go.sum")).packages.len(), 2);
}

#[test]
fn modules_txt_gives_vendored_modules_with_their_folders() {
    let c = parse("golang", &format!("{CASE}/vendor/modules.txt"));
    assert_eq!(c.packages.len(), 6);
    let errors = pkg(&c, "pkg:golang/github.com/pkg/errors@v0.9.1");
    assert_eq!(errors.dir.as_deref(), Some("go/module-replace-vendor/vendor/github.com/pkg/errors"));
    assert_eq!(errors.line, Some(10));
    let tools = pkg(&c, "pkg:golang/example.org/fahrplan/tools");
    assert_eq!(tools.dir.as_deref(), Some("go/module-replace-vendor/vendor/example.org/fahrplan/tools"));
}

#[test]
fn scan_merges_the_three_files_into_one_inventory() {
    let inv = scan_json(&fixture(CASE));
    let root = "module-replace-vendor";
    let uuid = component(&inv, &format!("{root}:pkg:golang/github.com/google/uuid@v1.3.0"));
    assert_eq!(uuid["direct"], true);
    assert_eq!(uuid["scope"], "runtime");
    let locs: Vec<&str> = uuid["locations"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(locs, vec!["go.mod:11", "go.sum:3", "vendor/modules.txt:7"]);
    assert_eq!(uuid["projects"], serde_json::json!([format!("{root}:project:golang:.")]));
    let tools = component(&inv, &format!("{root}:project:golang:tools"));
    assert_eq!(tools["name"], "example.org/fahrplan/tools");
    // The replaced requirement is an edge to that project, not a component of its own.
    let me = component(&inv, &format!("{root}:project:golang:."));
    assert!(me["dependencies"].as_array().unwrap().iter().any(|d| d == &tools["id"]), "{me}");
    assert!(
        inv["components"].as_array().unwrap().iter().all(|c| c["version"].is_string() || c["kind"] != "dependency")
    );
    // go.sum: as many components as modules.
    assert_eq!(components_from(&inv, "go.sum").len(), 5);
}

#[test]
fn corrupt_files_give_diagnostics_with_file_and_line() {
    assert_parse_error_at("golang", "go/corrupt", "go.mod", 11);
    assert_parse_error_at("golang", "go/corrupt", "go.sum", 2);
    assert_parse_error_at("golang", "go/corrupt", "vendor/modules.txt", 4);
}
