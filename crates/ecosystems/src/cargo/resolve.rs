//! Cargo: crates unpacked in `$CARGO_HOME/registry/src/<index>/NAME-VERSION/` (what
//! `cargo fetch` leaves behind) and in the tree's `vendor/` (what `cargo vendor` writes).
//! Reads `Cargo.toml`'s `license`, else `license-file` or the crate's license files.

use crate::resolve::files::declared_or_files;
use crate::resolve::online::{Answer, Ask, Registry};
use crate::resolve::{Env, Fence, Found, Parties, Place, Query, Resolution, Resolver, Source, subdirs};
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

pub struct CargoSource {
    /// Folders holding `NAME-VERSION/` crate folders.
    unpacked: Vec<Place>,
    /// Folders holding `NAME/` or `NAME-VERSION/` vendored crates.
    vendor: Vec<Place>,
}

impl CargoSource {
    pub fn new(root: &Path, extra: &[PathBuf], defaults: bool, env: &Env) -> CargoSource {
        let mut unpacked = Vec::new();
        let mut vendor = vec![Place::new(root.join("vendor"), LicenseSource::Installed)];
        let mut homes: Vec<PathBuf> = Vec::new();
        for p in extra {
            if p.join("registry").is_dir() {
                homes.push(p.clone());
            } else {
                // A registry/src/<index> folder, or a vendor folder.
                unpacked.push(Place::new(p, LicenseSource::LocalCache));
                vendor.push(Place::new(p, LicenseSource::LocalCache));
            }
        }
        if defaults && let Some(h) = env.dir_or_home("CARGO_HOME", ".cargo") {
            homes.push(h);
        }
        for h in homes {
            for index in subdirs(&h.join("registry").join("src")) {
                unpacked.push(Place::new(index, LicenseSource::LocalCache));
            }
        }
        CargoSource { unpacked, vendor }
    }
}

impl Source for CargoSource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&Path> {
        crate::resolve::place_dirs(&[&self.unpacked, &self.vendor])
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let version = q.version.as_deref();
        for place in &self.vendor {
            for dir in [version.map(|v| place.dir.join(format!("{}-{v}", q.name))), Some(place.dir.join(&q.name))]
                .into_iter()
                .flatten()
            {
                if let Some(r) = read_crate(fence, &dir, &q.name, version, place.source) {
                    return Some(r);
                }
            }
        }
        let v = version?;
        self.unpacked
            .iter()
            .find_map(|p| read_crate(fence, &p.dir.join(format!("{}-{v}", q.name)), &q.name, version, p.source))
    }
}

/// The look-up of cargo packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Cargo,
    registry: "https://crates.io",
    offline: |a| Box::new(CargoSource::new(a.root, &a.extra, a.defaults, a.env)),
    online: Some(online),
};

/// crates.io: the version's `license`.
fn online(reg: &Registry, a: &Ask) -> Answer {
    let url = format!("{}/api/v1/crates/{}/{}", a.base, a.name, a.version);
    reg.json(&url, |doc| doc["version"]["license"].as_str().and_then(Found::declared))
}

/// The license of an unpacked crate, if `dir` holds the crate `name` (at `version` when given).
pub fn read_crate(
    fence: &Fence,
    dir: &Path,
    name: &str,
    version: Option<&str>,
    source: LicenseSource,
) -> Option<Resolution> {
    let manifest = dir.join("Cargo.toml");
    let text = fence.read(&manifest)?;
    let doc: Table = toml::from_str(&text).ok()?;
    let pkg = doc.get("package")?.as_table()?;
    if pkg.get("name").and_then(Value::as_str) != Some(name) {
        return None;
    }
    if let Some(v) = version
        && let Some(have) = pkg.get("version").and_then(Value::as_str)
        && have != v
    {
        return None;
    }
    let authors = pkg.get("authors").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    let parties = Parties::from_people(authors);
    crate_license(fence, &text, pkg, dir, &manifest, source).map(|r| r.with_parties(parties))
}

/// The license a crate's manifest declares, else its license file(s).
fn crate_license(
    fence: &Fence,
    text: &str,
    pkg: &Table,
    dir: &Path,
    manifest: &Path,
    source: LicenseSource,
) -> Option<Resolution> {
    let line = |key: &str| text.lines().position(|l| l.trim_start().starts_with(key)).map(|n| n as u32 + 1);
    if let Some(found) = pkg.get("license").and_then(Value::as_str).and_then(Found::declared) {
        return declared_or_files(fence, Some((found, manifest, line("license"))), dir, source);
    }
    if let Some(lf) = pkg.get("license-file").and_then(Value::as_str) {
        let path = dir.join(lf);
        // Only files inside the crate folder.
        if !lf.contains("..") && path.starts_with(dir) {
            let found = crate::resolve::files::detect_file(fence, &path);
            if !found.is_empty() {
                return Some(Resolution {
                    parties: Default::default(),
                    license: Found::Detected(found),
                    source,
                    location: crate::resolve::display_path(&path),
                    line: None,
                });
            }
        }
    }
    declared_or_files(fence, None, dir, source)
}
