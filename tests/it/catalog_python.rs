//! Python fixtures scanned through the binary: projects of uv, Poetry and pipenv with their
//! lockfiles, an installed site-packages tree, setup.cfg and a vendored sdist; the merge of
//! requirement, lockfile and installed sightings into one component. What the catalogers
//! read from each file is tested in their folder
//! (`crates/ecosystems/src/python/fixture_tests.rs`).

use crate::eco_support::*;

#[test]
fn uv_project_end_to_end() {
    let inv = scan(&fixture("python/uv-lock-forked-markers"));
    assert_eq!(count_kind(&inv, "dependency"), 13);
    let p = component(&inv, "uv-lock-forked-markers:project:pypi:.");
    assert_eq!(p["name"], "Melde_Register");
    assert_eq!(p["declared_license"], "EUPL-1.2");
    assert_eq!(p["dependencies"].as_array().unwrap().len(), 7);
    let six = component(&inv, "uv-lock-forked-markers:pkg:pypi/six@1.17.0");
    assert!(has_location(six, "pyproject.toml:7") && has_location(six, "uv.lock:335"), "{six}");
}

#[test]
fn poetry_project_edges_reach_the_locked_packages() {
    let inv = scan(&fixture("python/poetry-lock-groups"));
    assert_eq!(count_kind(&inv, "dependency"), 7);
    let p = component(&inv, "poetry-lock-groups:project:pypi:.");
    assert_eq!((p["name"].as_str(), p["declared_license"].as_str()), (Some("fristen-rechner"), Some("MIT")));
    let edges: Vec<&str> = p["dependencies"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert_eq!(
        edges,
        vec![
            "poetry-lock-groups:pkg:pypi/iniconfig@2.1.0",
            "poetry-lock-groups:pkg:pypi/requests@2.32.5",
            "poetry-lock-groups:pkg:pypi/six@1.17.0"
        ]
    );
    // Transitive packages take the scope of the direct ones that reach them.
    assert_eq!(component(&inv, "poetry-lock-groups:pkg:pypi/urllib3@2.6.3")["scope"], "runtime");
}

#[test]
fn pipfile_project_is_named_after_its_folder() {
    let inv = scan(&fixture("python/pipfile-lock-develop"));
    assert_eq!(count_kind(&inv, "dependency"), 7);
    let p = component(&inv, "pipfile-lock-develop:project:pypi:.");
    assert_eq!(p["name"], "pipfile-lock-develop");
    let ini = component(&inv, "pipfile-lock-develop:pkg:pypi/iniconfig@2.3.1");
    assert_eq!((ini["scope"].as_str(), ini["direct"].as_bool()), (Some("dev"), Some(true)));
}

#[test]
fn installed_metadata_and_requirements_meet_under_one_key() {
    let inv = scan(&fixture("python/installed-site-packages"));
    assert_eq!(count_kind(&inv, "dependency"), 6);
    let cn = component(&inv, "installed-site-packages:pkg:pypi/charset-normalizer@3.5.3");
    assert!(has_location(cn, "requirements.txt:6"), "{cn}");
    assert!(
        has_location(cn, "venv/lib/python3.11/site-packages/charset_normalizer-3.5.3.dist-info/METADATA:1"),
        "{cn}"
    );
    assert_eq!(cn["declared_license"], "MIT");
    // The installed copy declares the license; its dist-info license file says it too.
    assert_eq!(cn["license_sources"], serde_json::json!(["installed", "files"]));
    assert!(cn["discovered_licenses"].as_array().unwrap().iter().any(|l| l == "MIT"), "{cn}");
    assert_eq!(component(&inv, "installed-site-packages:pkg:pypi/idna@3.20")["declared_license"], "BSD-3-Clause");
    assert_eq!(
        component(&inv, "installed-site-packages:pkg:pypi/certifi@2026.10.19.post1")["declared_license"],
        "MPL-2.0"
    );
}

#[test]
fn setup_cfg_and_vendored_sdist() {
    let inv = scan(&fixture("python/setup-cfg"));
    let p = component(&inv, "setup-cfg:project:pypi:.");
    assert_eq!((p["name"].as_str(), p["version"].as_str()), (Some("aktenplan"), Some("3.1.0")));
    assert_eq!(p["declared_license"], "EUPL-1.2");
    let r = component(&inv, "setup-cfg:pkg:pypi/reportlab");
    assert_eq!(r["scope"], "optional");
    assert!(has_location(r, "setup.cfg:17"), "{r}");

    let inv = scan(&fixture("python/sdist-pkg-info"));
    let six = component(&inv, "sdist-pkg-info:vendored:third_party/six-1.17.0");
    assert_eq!((six["name"].as_str(), six["version"].as_str()), (Some("six"), Some("1.17.0")));
    assert_eq!(six["declared_license"], "MIT");
}

#[test]
fn estate_py_tool_dependencies_are_found() {
    let inv = scan(&shared_fixture("estate"));
    let p = component(&inv, "estate:project:pypi:py-tool");
    assert_eq!((p["name"].as_str(), p["version"].as_str()), (Some("meldeauswertung"), Some("2.0.0")));
    assert_eq!(p["declared_license"], "Apache-2.0");
    for (purl, line) in [("pkg:pypi/idna@3.20", 1), ("pkg:pypi/six@1.17.0", 2)] {
        let c = component(&inv, &format!("estate:{purl}"));
        assert_eq!(c["projects"], serde_json::json!(["estate:project:pypi:py-tool"]));
        assert_eq!((c["scope"].as_str(), c["direct"].as_bool()), (Some("runtime"), Some(true)));
        assert!(has_location(c, &format!("py-tool/requirements.txt:{line}")), "{c}");
        assert!(has_location(c, "py-tool/pyproject.toml:7"), "{c}");
    }
    let pypi = inv["components"].as_array().unwrap().iter().filter(|c| c["ecosystem"] == "pypi").count();
    assert_eq!(pypi, 3, "the project and its two requirements");
}
