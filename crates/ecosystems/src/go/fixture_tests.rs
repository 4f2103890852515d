//! The Go cataloger on its fixtures, real files made by the go command: go.mod, go.sum and
//! vendor/modules.txt of one module, and corrupt copies of them.

use crate::PackageRole;
use crate::testing::{Fixtures, pkg};
use kataster_model::model::Scope;

const FIXTURES: Fixtures = Fixtures { ecosystem: "golang", folder: "go" };

const CASE: &str = "module-replace-vendor";

#[test]
fn go_mod_gives_the_module_and_its_requirements() {
    let c = FIXTURES.parse(&format!("{CASE}/go.mod"));
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
    let c = FIXTURES.parse(&format!("{CASE}/go.sum"));
    // 10 lines, 5 modules.
    assert_eq!(c.packages.len(), 5);
    let uuid = pkg(&c, "pkg:golang/github.com/google/uuid@v1.3.0");
    assert_eq!(uuid.line, Some(3));
    assert_eq!(FIXTURES.parse(&format!("{CASE}/tools/go.sum")).packages.len(), 2);
}

#[test]
fn modules_txt_gives_vendored_modules_with_their_folders() {
    let c = FIXTURES.parse(&format!("{CASE}/vendor/modules.txt"));
    assert_eq!(c.packages.len(), 6);
    let errors = pkg(&c, "pkg:golang/github.com/pkg/errors@v0.9.1");
    assert_eq!(errors.dir.as_deref(), Some("module-replace-vendor/vendor/github.com/pkg/errors"));
    assert_eq!(errors.line, Some(10));
    let tools = pkg(&c, "pkg:golang/example.org/fahrplan/tools");
    assert_eq!(tools.dir.as_deref(), Some("module-replace-vendor/vendor/example.org/fahrplan/tools"));
}

#[test]
fn corrupt_files_give_errors_with_their_line() {
    FIXTURES.parse_error("corrupt/go.mod", 11);
    FIXTURES.parse_error("corrupt/go.sum", 2);
    FIXTURES.parse_error("corrupt/vendor/modules.txt", 4);
}
