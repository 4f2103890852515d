//! Shared driver of the fuzz targets: the file names each cataloger is fuzzed under and
//! the call into it. The first input byte picks the file name, the rest is the file.

use kataster::ecosystems::{ManifestFile, claimants};

/// The paths each ecosystem's cataloger claims, one per file format it reads.
pub const NAMES: &[(&str, &[&str])] = &[
    ("cargo", &["Cargo.toml", "Cargo.lock"]),
    ("golang", &["go.mod", "go.sum", "vendor/modules.txt"]),
    ("maven", &["pom.xml", "lib/META-INF/maven/g/a/pom.properties"]),
    ("gradle", &["gradle.lockfile", "buildscript-gradle.lockfile", "gradle/dependency-locks/compile.lockfile"]),
    (
        "npm",
        &[
            "package.json",
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "node_modules/.package-lock.json",
            "node_modules/a/package.json",
        ],
    ),
    ("composer", &["composer.json", "composer.lock", "vendor/composer/installed.json"]),
    ("nuget", &["packages.lock.json", "packages.config", "Directory.Packages.props", "a.nuspec", "a.csproj"]),
    (
        "pypi",
        &[
            "requirements.txt",
            "pyproject.toml",
            "setup.cfg",
            "Pipfile",
            "Pipfile.lock",
            "poetry.lock",
            "uv.lock",
            "PKG-INFO",
            "site-packages/a-1.0.dist-info/METADATA",
        ],
    ),
    ("gem", &["Gemfile", "Gemfile.lock", "a.gemspec"]),
    ("publiccode", &["publiccode.yml"]),
];

/// The file names fuzzed for an ecosystem.
pub fn names(ecosystem: &str) -> &'static [&'static str] {
    NAMES.iter().find(|(e, _)| *e == ecosystem).map(|(_, n)| *n).unwrap_or(&[])
}

/// Hand `data` to every cataloger that claims the file the first byte names.
pub fn catalog(ecosystem: &str, data: &[u8]) {
    let names = names(ecosystem);
    let Some((&pick, bytes)) = data.split_first() else { return };
    let path = names[pick as usize % names.len()];
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut claimed = false;
    for c in claimants(path, name) {
        claimed = true;
        let _ = (c.parse)(&ManifestFile { path, bytes });
    }
    assert!(claimed, "no cataloger claims {path}");
}
