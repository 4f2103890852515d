//! Offline license resolution on fixtures made by the real package managers: a Cargo
//! registry cache (crates' own Cargo.toml and license files), an `npm ci` node_modules and
//! a `python -m venv` + pip environment. No network: `online` is off throughout.

use crate::resolve_support::{dep, fixtures};
use kataster::model::*;
use kataster::resolve::{self, Env, ResolveOptions, RootRef};
use std::path::Path;

/// An environment with no caches at all unless a test names them.
fn empty_env(home: &Path) -> Env {
    let h = home.to_string_lossy().into_owned();
    Env::from_pairs(&[("HOME", &h)])
}

fn run(root: &Path, comps: &mut [Component], opts: &ResolveOptions, env: &Env) -> Vec<Diagnostic> {
    resolve::resolve(comps, &[RootRef { label: "r", path: root }], opts, env)
}

#[test]
fn cargo_crates_resolve_from_cargo_home_and_vendor() {
    let f = fixtures().join("cargo");
    let home = tempfile::tempdir().unwrap();
    let cargo_home = f.join("cargo-home").to_string_lossy().into_owned();
    let h = home.path().to_string_lossy().into_owned();
    let env = Env::from_pairs(&[("HOME", &h), ("CARGO_HOME", &cargo_home)]);
    let mut comps = vec![
        dep("cargo", "itoa", "1.0.19", Some("pkg:cargo/itoa@1.0.19")),
        dep("cargo", "memchr", "2.8.3", Some("pkg:cargo/memchr@2.8.3")),
        dep("cargo", "fahrweg-core", "0.2.0", None),
        // In the cache, but another version: must not take that crate's license.
        dep("cargo", "itoa", "1.0.18", Some("pkg:cargo/itoa@1.0.18")),
        dep("cargo", "serde_json", "1.0.154", None),
    ];
    run(&f.join("project"), &mut comps, &ResolveOptions::default(), &env);

    let itoa = &comps[0];
    assert_eq!(itoa.declared_license.as_deref(), Some("MIT OR Apache-2.0"));
    assert_eq!(itoa.license_sources, vec![LicenseSource::LocalCache]);
    assert_eq!(itoa.concluded_license, None, "resolution adds facts; the verdict is classify's");
    // The crate's authors: its supplier and authors in the SBOMs.
    assert_eq!(itoa.supplier.as_deref(), Some("David Tolnay <dtolnay@gmail.com>"));
    assert_eq!(itoa.authors, ["David Tolnay <dtolnay@gmail.com>"]);
    assert_eq!(comps[3].supplier, None, "another version's authors are not this one's");
    let ev = &itoa.evidence[0];
    assert!(ev.path.ends_with("registry/src/index.crates.io-1949cf8c6b5b557f/itoa-1.0.19/Cargo.toml"), "{}", ev.path);
    assert_eq!((ev.method, ev.source, ev.start_line), (Method::Manifest, LicenseSource::LocalCache, Some(34)));

    assert_eq!(comps[1].declared_license.as_deref(), Some("Unlicense OR MIT"));

    let vendored = &comps[2];
    assert_eq!(vendored.declared_license.as_deref(), Some("MIT"));
    assert_eq!(vendored.license_sources, vec![LicenseSource::Installed]);
    assert!(vendored.evidence[0].path.ends_with("project/vendor/fahrweg-core/Cargo.toml"));

    assert_eq!(comps[3].declared_license, None, "a different version of a cached crate is not evidence");
    assert!(comps[3].license_sources.is_empty());
    assert_eq!(comps[4].declared_license, None);
}

#[test]
fn no_local_caches_leaves_only_the_tree_and_named_folders() {
    let f = fixtures().join("cargo");
    let home = tempfile::tempdir().unwrap();
    let cargo_home = f.join("cargo-home").to_string_lossy().into_owned();
    let h = home.path().to_string_lossy().into_owned();
    let env = Env::from_pairs(&[("HOME", &h), ("CARGO_HOME", &cargo_home)]);
    let mut comps = vec![dep("cargo", "itoa", "1.0.19", None), dep("cargo", "fahrweg-core", "0.2.0", None)];
    let opts = ResolveOptions { no_local_caches: true, ..Default::default() };
    run(&f.join("project"), &mut comps, &opts, &env);
    assert_eq!(comps[0].declared_license, None);
    assert_eq!(comps[1].declared_license.as_deref(), Some("MIT"));

    // The same cache named with --cache-dir counts again.
    let mut comps = vec![dep("cargo", "itoa", "1.0.19", None)];
    let opts = ResolveOptions {
        no_local_caches: true,
        cache_dirs: vec![(Ecosystem::Cargo, f.join("cargo-home"))],
        ..Default::default()
    };
    run(&f.join("project"), &mut comps, &opts, &env);
    assert_eq!(comps[0].declared_license.as_deref(), Some("MIT OR Apache-2.0"));
    assert_eq!(comps[0].license_sources, vec![LicenseSource::LocalCache]);
}

#[test]
fn npm_packages_resolve_from_installed_node_modules_nested_and_scoped() {
    let root = fixtures().join("npm-installed");
    let home = tempfile::tempdir().unwrap();
    let env = empty_env(home.path());
    let mut comps = vec![
        dep("npm", "ms", "2.1.3", Some("pkg:npm/ms@2.1.3")),
        // Only installed nested, under debug/node_modules.
        dep("npm", "ms", "2.1.2", Some("pkg:npm/ms@2.1.2")),
        dep("npm", "@isaacs/string-locale-compare", "1.1.0", Some("pkg:npm/%40isaacs/string-locale-compare@1.1.0")),
        dep("npm", "debug", "4.3.4", None),
        dep("npm", "left-pad", "1.3.0", None),
    ];
    run(&root, &mut comps, &ResolveOptions::default(), &env);
    let lic: Vec<_> = comps.iter().map(|c| c.declared_license.as_deref()).collect();
    assert_eq!(lic, vec![Some("MIT"), Some("MIT"), Some("ISC"), Some("MIT"), None]);
    assert!(comps[1].evidence[0].path.ends_with("node_modules/debug/node_modules/ms/package.json"));
    assert!(comps[2].evidence[0].path.ends_with("node_modules/@isaacs/string-locale-compare/package.json"));
    assert_eq!(comps[0].license_sources, vec![LicenseSource::Installed]);
}

#[test]
fn npm_node_modules_elsewhere_given_as_cache_dir_is_a_local_cache() {
    let installed = fixtures().join("npm-installed");
    let empty_root = tempfile::tempdir().unwrap();
    let env = empty_env(empty_root.path());
    let mut comps = vec![dep("npm", "ms", "2.1.3", None)];
    let opts =
        ResolveOptions { cache_dirs: vec![(Ecosystem::Npm, installed.join("node_modules"))], ..Default::default() };
    run(empty_root.path(), &mut comps, &opts, &env);
    assert_eq!(comps[0].declared_license.as_deref(), Some("MIT"));
    assert_eq!(comps[0].license_sources, vec![LicenseSource::LocalCache]);
}

#[test]
fn python_distributions_resolve_from_the_trees_virtualenv() {
    let root = fixtures().join("python-venv");
    let home = tempfile::tempdir().unwrap();
    let env = empty_env(home.path());
    let mut comps = vec![
        dep("pypi", "six", "1.16.0", None),
        // Metadata 2.4: License-Expression.
        dep("pypi", "urllib3", "2.5.0", None),
        // Only a classifier, with an underscore in the folder name and a dash in the lockfile.
        dep("pypi", "typing-extensions", "4.12.2", None),
        // Two classifiers: a choice between them.
        dep("pypi", "packaging", "24.1", None),
        dep("pypi", "IDNA", "3.7", None),
        dep("pypi", "requests", "2.32.3", None),
    ];
    run(&root, &mut comps, &ResolveOptions::default(), &env);
    let lic: Vec<_> = comps.iter().map(|c| c.declared_license.as_deref()).collect();
    assert_eq!(
        lic,
        vec![Some("MIT"), Some("MIT"), Some("PSF-2.0"), Some("Apache-2.0 OR BSD-3-Clause"), Some("BSD-3-Clause"), None]
    );
    let six = &comps[0];
    assert!(six.evidence[0].path.ends_with(".venv/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA"));
    assert_eq!(six.license_sources, vec![LicenseSource::Installed]);
    // A classifier without a version is a guess, and says so.
    assert_eq!(comps[4].declared_license_raw.as_deref(), Some("License :: OSI Approved :: BSD License"));
    assert!(comps[4].evidence[0].confidence < 1.0);
}

#[test]
fn python_env_flag_points_at_an_environment_outside_the_tree() {
    let venv = fixtures().join("python-venv/.venv");
    let root = tempfile::tempdir().unwrap();
    let env = empty_env(root.path());
    let mut comps = vec![dep("pypi", "six", "1.16.0", None)];
    let opts = ResolveOptions { python_envs: vec![venv], ..Default::default() };
    run(root.path(), &mut comps, &opts, &env);
    assert_eq!(comps[0].declared_license.as_deref(), Some("MIT"));
    assert_eq!(comps[0].license_sources, vec![LicenseSource::Installed]);
}

#[test]
fn a_declared_license_is_never_replaced_and_projects_are_not_looked_up() {
    let root = fixtures().join("npm-installed");
    let home = tempfile::tempdir().unwrap();
    let env = empty_env(home.path());
    let mut declared = dep("npm", "ms", "2.1.3", None);
    declared.declared_license = Some("Apache-2.0".into());
    let mut project = dep("npm", "debug", "4.3.4", None);
    project.kind = ComponentKind::Project;
    let mut comps = vec![declared, project];
    run(&root, &mut comps, &ResolveOptions::default(), &env);
    assert_eq!(comps[0].declared_license.as_deref(), Some("Apache-2.0"));
    assert!(comps[0].evidence.is_empty());
    assert_eq!(comps[1].declared_license, None);
}

#[test]
fn maven_versions_managed_by_a_parent_pom_or_an_imported_bom_are_resolved() {
    // fixtures/sbom/maven: a module whose parent POM (in the tree) manages one version,
    // defines a property for another and imports a BOM from the local repository that
    // manages a third; the artifacts' POMs are Debian's installed ones.
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sbom/maven");
    let resolve = ResolveOptions {
        no_local_caches: true,
        cache_dirs: vec![(Ecosystem::Maven, f.join("m2"))],
        ..Default::default()
    };
    let scan = |resolve: ResolveOptions| {
        kataster::scan::scan(&kataster::scan::ScanOptions {
            roots: vec![f.join("project")],
            resolve,
            ..Default::default()
        })
    };
    let inv = scan(resolve);
    let version = |name: &str| {
        let c = inv.components.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no {name}"));
        (c.id.clone(), c.version.clone(), c.purl.clone())
    };
    assert_eq!(
        version("org.apache.commons:commons-lang3"),
        (
            "project:pkg:maven/org.apache.commons/commons-lang3@3.12.0".to_string(),
            Some("3.12.0".to_string()),
            Some("pkg:maven/org.apache.commons/commons-lang3@3.12.0".to_string())
        ),
        "from the imported BOM"
    );
    assert_eq!(
        version("commons-cli:commons-cli").1.as_deref(),
        Some("1.5.0"),
        "the parent's own management wins over the BOM's 1.4"
    );
    assert_eq!(version("org.slf4j:slf4j-api").1.as_deref(), Some("1.7.32"), "a property of the parent");
    assert_eq!(version("org.example.unmanaged:nirgends").1, None, "managed nowhere: no version invented");
    let module = inv.components.iter().find(|c| c.id == "project:project:maven:fachdienst").unwrap();
    assert!(module.dependencies.contains(&"project:pkg:maven/org.apache.commons/commons-lang3@3.12.0".to_string()));
    assert!(module.dependencies.contains(&"project:pkg:maven/org.example.unmanaged/nirgends".to_string()));
    // Without the local repository the BOM is unknown; the parent in the tree still answers.
    let inv = scan(ResolveOptions { no_local_caches: true, ..Default::default() });
    let lang = inv.components.iter().find(|c| c.name == "org.apache.commons:commons-lang3").unwrap();
    assert_eq!(lang.version, None);
    let cli = inv.components.iter().find(|c| c.name == "commons-cli:commons-cli").unwrap();
    assert_eq!(cli.version.as_deref(), Some("1.5.0"));
}

/// A scanned tree beside a folder outside it that holds license files (MIT text), as
/// `/usr/share` holds them on the scanning machine.
struct Hostile {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
    outside: std::path::PathBuf,
}

const MIT_TEXT: &str = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

impl Hostile {
    fn new() -> Hostile {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("tree");
        let outside = tmp.path().join("share").join("doc").join("victim");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("LICENSE"), MIT_TEXT).unwrap();
        // A module vendored the honest way resolves: the fence does not block the tree.
        std::fs::create_dir_all(root.join("vendor/example.com/honest")).unwrap();
        std::fs::write(root.join("vendor/example.com/honest/LICENSE"), MIT_TEXT).unwrap();
        Hostile { _tmp: tmp, root, outside }
    }

    fn resolve(&self, comps: &mut [Component]) {
        let opts = ResolveOptions { no_local_caches: true, ..Default::default() };
        run(&self.root, comps, &opts, &empty_env(&self.root));
    }
}

#[test]
fn module_names_never_reach_files_outside_the_tree() {
    let h = Hostile::new();
    let up = "../../share/doc/victim";
    let mut comps = vec![
        dep("golang", "example.com/honest", "v1.0.0", None),
        dep("golang", h.outside.to_str().unwrap(), "v1.0.0", None),
        dep("golang", up, "v1.0.0", None),
    ];
    assert!(h.root.join("vendor").join(up).join("LICENSE").is_file(), "the relative name does reach the file");
    h.resolve(&mut comps);
    assert_eq!(comps[0].scope_license.as_deref(), Some("MIT"), "{:?}", comps[0].evidence);
    for c in &comps[1..] {
        assert_eq!((c.scope_license.as_deref(), c.evidence.len()), (None, 0), "{}: {:?}", c.name, c.evidence);
    }
}

#[cfg(unix)]
#[test]
fn a_vendor_link_out_of_the_tree_is_not_followed() {
    let h = Hostile::new();
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    std::os::unix::fs::symlink(h.outside.parent().unwrap(), root.join("vendor")).unwrap();
    assert!(root.join("vendor/victim/LICENSE").is_file());
    let mut comps = vec![dep("golang", "victim", "v1.0.0", None), dep("cargo", "victim", "1.0.0", None)];
    let opts = ResolveOptions { no_local_caches: true, ..Default::default() };
    run(root, &mut comps, &opts, &empty_env(root));
    for c in &comps {
        assert_eq!((c.scope_license.as_deref(), c.evidence.len()), (None, 0), "{}: {:?}", c.ecosystem, c.evidence);
    }
    // The same folder given as a cache is read.
    let mut comps = vec![dep("golang", "victim", "v1.0.0", None)];
    let opts = ResolveOptions {
        no_local_caches: true,
        cache_dirs: vec![(Ecosystem::Golang, h.outside.parent().unwrap().to_path_buf())],
        ..Default::default()
    };
    std::fs::rename(h.outside.parent().unwrap().join("victim"), h.outside.parent().unwrap().join("victim@v1.0.0"))
        .unwrap();
    run(root, &mut comps, &opts, &empty_env(root));
    assert_eq!(comps[0].scope_license.as_deref(), Some("MIT"));
}

#[test]
fn a_license_file_with_an_absolute_path_is_not_read() {
    let h = Hostile::new();
    let krate = h.root.join("vendor/fahrweg");
    std::fs::create_dir_all(&krate).unwrap();
    let toml = |lf: &str| format!("[package]\nname = \"fahrweg\"\nversion = \"1.0.0\"\nlicense-file = {lf:?}\n");
    std::fs::write(krate.join("Cargo.toml"), toml(h.outside.join("LICENSE").to_str().unwrap())).unwrap();
    let mut comps = vec![dep("cargo", "fahrweg", "1.0.0", None)];
    h.resolve(&mut comps);
    assert_eq!((comps[0].scope_license.as_deref(), comps[0].evidence.len()), (None, 0), "{:?}", comps[0].evidence);
    // A license-file inside the crate is read.
    std::fs::write(krate.join("COPYING.txt"), MIT_TEXT).unwrap();
    std::fs::write(krate.join("Cargo.toml"), toml("COPYING.txt")).unwrap();
    let mut comps = vec![dep("cargo", "fahrweg", "1.0.0", None)];
    h.resolve(&mut comps);
    assert_eq!(comps[0].scope_license.as_deref(), Some("MIT"));
}

/// Resolve in a thread; fails instead of hanging when resolution blocks.
#[cfg(unix)]
fn resolve_within(root: &Path, comps: Vec<Component>, secs: u64) -> Vec<Component> {
    let root = root.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut comps = comps;
        let opts = ResolveOptions { no_local_caches: true, ..Default::default() };
        run(&root, &mut comps, &opts, &empty_env(&root));
        let _ = tx.send(comps);
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs)).expect("resolution hangs")
}

#[cfg(unix)]
#[test]
fn fifos_and_device_links_where_manifests_are_expected_do_not_hang() {
    let tree = tempfile::tempdir().unwrap();
    let root = tree.path();
    let mkfifo = |p: &Path| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let ok = std::process::Command::new("mkfifo").arg(p).status().unwrap().success();
        assert!(ok, "mkfifo {}", p.display());
    };
    mkfifo(&root.join("vendor/composer/installed.json"));
    mkfifo(&root.join("vendor/fifo-crate/Cargo.toml"));
    std::fs::create_dir_all(root.join("vendor/stdin-crate")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", root.join("vendor/stdin-crate/Cargo.toml")).unwrap();
    mkfifo(&root.join("node_modules/fifo-pkg/package.json"));
    // A real crate beside them still resolves.
    std::fs::create_dir_all(root.join("vendor/real")).unwrap();
    std::fs::write(
        root.join("vendor/real/Cargo.toml"),
        "[package]\nname = \"real\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n",
    )
    .unwrap();
    let comps = vec![
        dep("composer", "acme/lib", "1.0.0", None),
        dep("cargo", "fifo-crate", "1.0.0", None),
        dep("cargo", "stdin-crate", "1.0.0", None),
        dep("npm", "fifo-pkg", "1.0.0", None),
        dep("cargo", "real", "1.0.0", None),
    ];
    let comps = resolve_within(root, comps, 30);
    for c in &comps[..4] {
        assert_eq!(c.declared_license, None, "{}", c.name);
    }
    assert_eq!(comps[4].declared_license.as_deref(), Some("MIT"));
}
