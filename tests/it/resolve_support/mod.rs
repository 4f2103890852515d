//! What the resolution tests share: a dependency component as assembly leaves it, without
//! a license, and the fixtures folder.

use kataster::model::*;
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/resolve")
}

/// A locked dependency of root `r` with no license yet.
pub fn dep(ecosystem: &str, name: &str, version: &str, purl: Option<&str>) -> Component {
    Component {
        id: format!("r:{ecosystem}:{name}@{version}"),
        name: name.into(),
        version: Some(version.into()),
        ecosystem: Ecosystem::from_name(ecosystem),
        purl: purl.map(str::to_string),
        kind: ComponentKind::Dependency,
        scope: Scope::Runtime,
        direct: Some(true),
        root: "r".into(),
        projects: vec![],
        locations: vec!["Cargo.lock:7".into()],
        dependencies: vec![],
        declared_license: None,
        declared_license_raw: None,
        scope_license: None,
        discovered_licenses: vec![],
        concluded_license: None,
        concluded_by: None,
        license_sources: vec![],
        evidence: vec![],
        supplier: None,
        authors: vec![],
        hashes: vec![],
        classification: None,
    }
}
