//! Package catalogers: one module per ecosystem, each a pure function from a manifest's
//! or lockfile's bytes to packages.
//!
//! A cataloger names the files it claims (`claims`) and parses them (`parse`). It never
//! runs a package manager, never touches the network and never reads another file: what
//! it knows comes from the bytes it is handed. Each ecosystem's folder holds its
//! cataloger, in `resolve.rs` its license look-up in package caches and registries
//! ([`resolve`] holds what they share), its fixtures (`fixtures/`, damaged copies among
//! them) and its tests on them (`fixture_tests.rs`, with the helpers of `testing.rs`).
//! Adding an ecosystem is its name in the model's `Ecosystem`, one new folder, its `mod`
//! line and one line in [`ECOSYSTEMS`].

use kataster_model::license::DeclaredLicense;
use kataster_model::model::{Ecosystem, Hash, Scope};

pub mod cargo;
pub mod composer;
pub mod go;
pub mod gradle;
pub mod maven;
pub mod npm;
pub mod nuget;
pub mod publiccode;
pub mod python;
pub mod resolve;
pub mod ruby;
#[cfg(test)]
mod testing;
pub mod toml_fast;
pub(crate) mod xml;
pub(crate) mod yaml_fast;

/// A cataloger: the files it claims and the parser for them.
pub struct Cataloger {
    /// Its name in messages (`gradle cataloger: ...`): the ecosystem's name, or the build
    /// tool's where an ecosystem has several (Gradle's lockfiles name Maven packages).
    pub name: &'static str,
    /// Does this cataloger want the file? `path` is relative to the root, `/`-separated;
    /// `name` is its last component.
    pub claims: fn(path: &str, name: &str) -> bool,
    /// Parse the claimed file.
    pub parse: fn(file: &ManifestFile) -> Result<Catalog, ParseError>,
    /// Names of its ecosystem's files that record other packages: lockfiles and the package
    /// manager's records of what it installed, parsed here or not (`bun.lock`). See
    /// [`is_dependency_record`].
    pub records: &'static [&'static str],
}

/// Everything kataster knows of one ecosystem: the catalogers of its files and its license
/// look-up.
pub struct EcosystemSupport {
    pub catalogers: &'static [Cataloger],
    /// `None`: there is nothing to look up (publiccode.yml names software, not packages).
    pub resolver: Option<resolve::Resolver>,
}

/// Every ecosystem kataster knows, one line each: adding an ecosystem is its name in
/// `Ecosystem`, its folder and its line here. Order does not matter: results are sorted later.
#[rustfmt::skip]
pub static ECOSYSTEMS: &[EcosystemSupport] = &[
    EcosystemSupport { catalogers: &[cargo::CATALOGER], resolver: Some(cargo::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[go::CATALOGER], resolver: Some(go::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[maven::CATALOGER, gradle::CATALOGER], resolver: Some(maven::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[npm::CATALOGER], resolver: Some(npm::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[composer::CATALOGER], resolver: Some(composer::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[nuget::CATALOGER], resolver: Some(nuget::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[python::CATALOGER], resolver: Some(python::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[ruby::CATALOGER], resolver: Some(ruby::resolve::RESOLVER) },
    EcosystemSupport { catalogers: &[publiccode::CATALOGER], resolver: None },
];

/// The catalogers that claim a file.
pub fn claimants<'a>(path: &'a str, name: &'a str) -> impl Iterator<Item = &'static Cataloger> + use<'a> {
    ECOSYSTEMS.iter().flat_map(|e| e.catalogers).filter(move |c| (c.claims)(path, name))
}

/// Is the file at `path` a record of other packages (a lockfile, an installed-package record;
/// by its name, [`Cataloger::records`])? Such a file lists the licenses of the dependencies,
/// each of which is its own component, never the license of the project it lies in: what
/// the detectors find in it is no evidence about that project.
pub fn is_dependency_record(path: &str) -> bool {
    let name = kataster_model::scopes::file_name(path);
    ECOSYSTEMS.iter().flat_map(|e| e.catalogers).any(|c| c.records.contains(&name))
}

/// The UTF-8 encoding of U+FEFF, which some editors put at the start of a text file.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A claimed file, as handed to a parser.
pub struct ManifestFile<'a> {
    /// Path relative to the root, `/`-separated.
    pub path: &'a str,
    pub bytes: &'a [u8],
}

impl ManifestFile<'_> {
    /// The directory of the file relative to the root (`""` at the root).
    pub fn dir(&self) -> &str {
        match self.path.rfind('/') {
            Some(i) => &self.path[..i],
            None => "",
        }
    }

    /// The bytes as text without a leading UTF-8 byte-order mark (editors on Windows write
    /// one), or a parse error naming the first invalid byte.
    pub fn text(&self) -> Result<&str, ParseError> {
        let skip = if self.bytes.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
        std::str::from_utf8(&self.bytes[skip..]).map_err(|e| ParseError {
            line: Some(line_of_offset(self.bytes, e.valid_up_to() + skip)),
            message: format!("not valid UTF-8 at byte {}", e.valid_up_to() + skip),
        })
    }
}

/// What a parser found in one file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Catalog {
    pub packages: Vec<Package>,
    /// Problems that did not stop the parse (an entry skipped, an unknown field value).
    pub warnings: Vec<String>,
    /// The license a workspace root hands down to members that inherit it
    /// (`license.workspace = true` in Cargo), for the members below its folder.
    pub inherited_license: Option<kataster_model::license::DeclaredLicense>,
}

/// The raw declaration of a member that inherits its workspace's license; assembly puts
/// the workspace root's license in its place.
pub const INHERITS_WORKSPACE_LICENSE: &str = "license.workspace = true";

impl Catalog {
    /// Add a manifest's project, depending on each of `deps`, followed by the deps.
    pub fn add_project(&mut self, mut project: Package, deps: Vec<Package>) {
        project.dependencies.extend(deps.iter().map(Package::key));
        self.packages.push(project);
        self.packages.extend(deps);
    }
}

/// Whether a package is the project a manifest describes, or something it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PackageRole {
    /// The project itself (a manifest's own package, a workspace member).
    Project,
    /// A dependency of a project.
    Dependency,
}

/// One package as a cataloger sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub role: PackageRole,
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: Option<String>,
    /// Package URL; also the key that dependency edges and merging use.
    pub purl: Option<String>,
    pub declared_license: Option<DeclaredLicense>,
    pub scope: Scope,
    /// True when the project's manifest names the package itself; `None` when unknown.
    pub direct: Option<bool>,
    /// Keys ([`Package::key`]) of the packages this one depends on.
    pub dependencies: Vec<String>,
    /// Line in the parsed file where the package is described, if known.
    pub line: Option<u32>,
    /// Directory (relative to the root) that holds this package's own files: the manifest's
    /// folder for projects, the install folder for installed packages. `None` for packages
    /// that are only named in a lockfile.
    pub dir: Option<String>,
    pub hashes: Vec<Hash>,
    pub supplier: Option<String>,
    /// Authors and maintainers the manifest names (`Name <mail>`), in its order.
    pub authors: Vec<String>,
}

impl Package {
    /// A package with the given identity and everything else unknown.
    pub fn new(role: PackageRole, ecosystem: Ecosystem, name: impl Into<String>, version: Option<String>) -> Self {
        Package {
            role,
            ecosystem,
            name: name.into(),
            version,
            purl: None,
            declared_license: None,
            scope: Scope::Unknown,
            direct: None,
            dependencies: Vec::new(),
            line: None,
            dir: None,
            hashes: Vec::new(),
            supplier: None,
            authors: Vec::new(),
        }
    }

    /// The key that identifies this package within an ecosystem: its purl, or
    /// `ecosystem:name@version` when it has none.
    pub fn key(&self) -> String {
        match &self.purl {
            Some(p) => p.clone(),
            None => format!("{}:{}@{}", self.ecosystem, self.name, self.version.as_deref().unwrap_or("")),
        }
    }
}

/// The purl a key ([`Package::key`]) stands for: the key is the purl whenever there is one.
pub fn purl_of_key(key: &str) -> Option<String> {
    key.starts_with("pkg:").then(|| key.to_string())
}

/// Why a file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: Option<u32>,
    pub message: String,
}

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        ParseError { line: None, message: message.into() }
    }

    pub fn at(line: u32, message: impl Into<String>) -> Self {
        ParseError { line: Some(line), message: message.into() }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// 1-based line number of a byte offset.
pub fn line_of_offset(bytes: &[u8], offset: usize) -> u32 {
    let end = offset.min(bytes.len());
    memchr::memchr_iter(b'\n', &bytes[..end]).count() as u32 + 1
}

/// Build a purl string; `None` when the parts do not make a valid purl.
pub fn purl(ty: &str, namespace: Option<&str>, name: &str, version: Option<&str>) -> Option<String> {
    purl_with(ty, namespace, name, version, &[])
}

/// [`purl`] with qualifiers (`platform=java`, ...); empty values are left out.
pub fn purl_with(
    ty: &str,
    namespace: Option<&str>,
    name: &str,
    version: Option<&str>,
    qualifiers: &[(&str, &str)],
) -> Option<String> {
    let mut p = packageurl::PackageUrl::new(ty, name).ok()?;
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        p.with_namespace(ns).ok()?;
    }
    if let Some(v) = version.filter(|v| !v.is_empty()) {
        p.with_version(v).ok()?;
    }
    for (k, v) in qualifiers.iter().filter(|(_, v)| !v.is_empty()) {
        p.add_qualifier(*k, *v).ok()?;
    }
    Some(p.to_string())
}

/// A declared license given as a list of names that offer a choice (composer `license`
/// arrays, Maven `<licenses>`, gemspec `licenses`): each normalized on its own, joined
/// with `OR`. The expression is kept only when every entry was understood.
pub fn declared_any_of<S: AsRef<str>>(names: &[S]) -> Option<DeclaredLicense> {
    let names: Vec<&str> = names.iter().map(|n| n.as_ref().trim()).filter(|n| !n.is_empty()).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(DeclaredLicense::from_raw(one)),
        many => {
            let parts: Vec<DeclaredLicense> = many.iter().map(|n| DeclaredLicense::from_raw(n)).collect();
            let expression = parts
                .iter()
                .map(|p| p.expression.as_deref())
                .collect::<Option<Vec<&str>>>()
                .map(|v| kataster_model::license::join_parts(&v, " OR ", |e| e.contains(' ')));
            Some(DeclaredLicense { raw: many.join(" OR "), expression, inferred: parts.iter().any(|p| p.inferred) })
        }
    }
}

/// Finds the lines of successive needles in a text, scanning forward only: linear in the
/// text however many entries a lockfile has. Entries must be asked for in file order.
pub struct LineCursor<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl<'a> LineCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCursor { text, offset: 0, line: 1 }
    }

    /// The line of the next occurrence of `needle` at or after the last one found.
    pub fn find(&mut self, needle: &str) -> Option<u32> {
        let rest = self.text.get(self.offset..)?;
        let at = rest.find(needle)?;
        self.line += memchr::memchr_iter(b'\n', &rest.as_bytes()[..at]).count() as u32;
        self.offset += at;
        Some(self.line)
    }
}

/// Text of a manifest that may be UTF-8 (with or without BOM) or UTF-16 with a BOM, as
/// Visual Studio writes some project files.
pub fn decode_text<'a>(file: &'a ManifestFile) -> Result<std::borrow::Cow<'a, str>, ParseError> {
    let b = file.bytes;
    let utf16 = |le: bool| {
        let units: Vec<u16> = b[2..]
            .chunks_exact(2)
            .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16(&units).map(std::borrow::Cow::Owned).map_err(|_| ParseError::new("invalid UTF-16 text"))
    };
    match b {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => file.text().map(std::borrow::Cow::Borrowed),
    }
}

/// Lenient field readers for typed lockfile structs: a field of an unexpected type reads
/// as absent instead of failing the whole file, as a tree lookup would.
pub(crate) mod lenient {
    use serde::Deserializer;
    use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::borrow::Cow;
    use std::fmt;

    /// A string, borrowed from the input where it has no escapes; anything else is `None`.
    pub fn str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Cow<'de, str>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Some(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Some(Cow::Owned(v)))
            }
            other_types_are_none!();
        }
        d.deserialize_any(V)
    }

    /// A boolean; anything else is `None`.
    pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<bool>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_borrowed_str<E>(self, _: &'de str) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(None)
            }
            other_types_are_none!();
        }
        d.deserialize_any(V)
    }

    /// The keys of an object, sorted (dependency names); the values are skipped, and
    /// anything but an object gives no keys.
    pub fn keys<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<Cow<'de, str>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
                let mut keys = Vec::new();
                while let Some(k) = m.next_key::<Cow<'de, str>>()? {
                    m.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                keys.sort();
                Ok(keys)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Vec::new())
            }
            fn visit_borrowed_str<E>(self, _: &'de str) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
        }
        d.deserialize_any(V)
    }

    /// The visitor methods that read numbers, null, lists and objects as `None`.
    macro_rules! other_types_are_none {
        () => {
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(None)
            }
        };
    }
    use other_types_are_none;
}

/// A JSON syntax error as a parse error with its line; a file that ends too early says so.
pub fn json_error(e: &serde_json::Error) -> ParseError {
    let line = u32::try_from(e.line()).ok().filter(|l| *l > 0);
    let what = if e.is_eof() { "truncated JSON" } else { "invalid JSON" };
    ParseError { line, message: format!("{what}: {e}") }
}

pub use kataster_model::license::refs::PROPRIETARY;

/// A declared license that says "proprietary" in the format's own words.
pub fn proprietary_license(raw: &str) -> DeclaredLicense {
    DeclaredLicense { raw: raw.to_string(), expression: Some(PROPRIETARY.to_string()), inferred: false }
}

/// Join a folder (relative to the root, `""` at the root) and a relative path, resolving
/// `.` and `..`. `None` when the result would leave the root.
pub fn join_dir(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Hashes of a Subresource Integrity string (`sha512-BASE64 sha1-BASE64`, as npm, yarn and
/// pnpm record them), as lower-case hex. Unknown algorithms and bad base64 are skipped.
pub fn sri_hashes(sri: &str) -> Vec<Hash> {
    sri.split_whitespace()
        .filter_map(|part| {
            let (alg, b64) = part.split_once('-')?;
            let alg = match alg {
                "sha512" => "SHA-512",
                "sha384" => "SHA-384",
                "sha256" => "SHA-256",
                "sha1" => "SHA-1",
                _ => return None,
            };
            let bytes = kataster_model::encoding::base64_decode(b64.split('?').next().unwrap_or(b64))?;
            Some(Hash { alg: alg.to_string(), value: kataster_model::encoding::hex(&bytes) })
        })
        .collect()
}

/// A hex digest named by algorithm (`sha256`, `SHA-512`...), checked and lower-cased.
pub fn hex_hash(alg: &str, value: &str) -> Option<Hash> {
    let (alg, len) = match alg.to_ascii_lowercase().replace('-', "").as_str() {
        "sha1" => ("SHA-1", 40),
        "sha256" => ("SHA-256", 64),
        "sha384" => ("SHA-384", 96),
        "sha512" => ("SHA-512", 128),
        "md5" => ("MD5", 32),
        _ => return None,
    };
    (value.len() == len && value.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Hash { alg: alg.to_string(), value: value.to_ascii_lowercase() })
}

/// Line numbers of the object keys of a pretty-printed JSON document (as npm, Pipfile and
/// composer write them: one key per line), by path of keys. Keys whose value is not an
/// object on the same line are not recorded. Minified JSON gives no lines; that is not an
/// error, the packages simply have no line.
pub struct JsonKeyLines {
    lines: std::collections::HashMap<String, u32>,
}

impl JsonKeyLines {
    /// Record the keys down to `depth` levels (`["packages", name]` is depth 2).
    pub fn new(text: &str, depth: usize) -> Self {
        let mut lines = std::collections::HashMap::new();
        // (indent, key) of the objects we are in.
        let mut stack: Vec<(usize, String)> = Vec::new();
        for (no, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if !trimmed.starts_with('"') || !trimmed.trim_end().ends_with('{') {
                continue;
            }
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                stack.pop();
            }
            if stack.len() >= depth {
                continue;
            }
            let Some(key) = first_json_string(trimmed) else { continue };
            stack.push((indent, key));
            let path = stack.iter().map(|(_, k)| k.as_str()).collect::<Vec<_>>().join("\u{0}");
            lines.entry(path).or_insert(no as u32 + 1);
        }
        JsonKeyLines { lines }
    }

    /// The line of the object at this key path.
    pub fn get(&self, path: &[&str]) -> Option<u32> {
        self.lines.get(&path.join("\u{0}")).copied()
    }
}

/// The first JSON string of a line, unescaped for the common escapes.
fn first_json_string(s: &str) -> Option<String> {
    let rest = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// YAML options for lockfiles: large monorepos have lockfiles of millions of nodes. The
/// input is a file already capped by `--max-file-size`, so the node budget only has to stop
/// runaway alias expansion, which the alias limits still do.
pub fn yaml_lockfile_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = usize::MAX;
    budget.max_events = usize::MAX;
    budget.max_total_scalar_bytes = usize::MAX;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// A YAML error as a parse error with its line.
pub fn yaml_error(e: &serde_saphyr::Error) -> ParseError {
    let line = e.location().map(|l| l.line() as u32).filter(|&l| l > 0);
    let msg = e.to_string();
    let mut first = msg.lines().next().unwrap_or("").trim_start_matches("error: ");
    if first.starts_with("line ")
        && let Some((_, rest)) = first.split_once(": ")
    {
        first = rest;
    }
    ParseError { line, message: format!("invalid YAML: {first}") }
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn sri_becomes_hex() {
        let h = sri_hashes(
            "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk= sha512-NiSupZ4OeuGwr68lGIeym/ksIZMJodUGOSCZ/FSnTxcrekbvqrgdUxlJOMpijaKZVjAJrWrGs/6Jy8OMuyj9ow==",
        );
        assert_eq!(h[0].alg, "SHA-1");
        assert_eq!(h[0].value, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(h[1].alg, "SHA-512");
        assert_eq!(h[1].value.len(), 128);
        assert!(h[1].value.starts_with("3624aea59e0e7a"), "{}", h[1].value);
        assert!(sri_hashes("md5-xx sha512-***").is_empty());
    }

    #[test]
    fn dirs_join_and_stay_in_the_root() {
        assert_eq!(join_dir("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join_dir("", "./packages/x/").as_deref(), Some("packages/x"));
        assert_eq!(join_dir("a", "../.."), None);
    }

    #[test]
    fn json_key_lines_follow_nesting() {
        let t = "{\n  \"packages\": {\n    \"\": {\n      \"name\": \"x\"\n    },\n    \"node_modules/a\": {\n      \"dependencies\": {\n      }\n    }\n  }\n}\n";
        let k = JsonKeyLines::new(t, usize::MAX);
        assert_eq!(k.get(&["packages", ""]), Some(3));
        assert_eq!(k.get(&["packages", "node_modules/a"]), Some(6));
        assert_eq!(k.get(&["packages", "node_modules/a", "dependencies"]), Some(7));
        assert_eq!(k.get(&["node_modules/a"]), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockfiles_and_installed_records_are_dependency_records() {
        assert!(is_dependency_record("web/package-lock.json"));
        assert!(is_dependency_record("vendor/composer/installed.json"));
        assert!(is_dependency_record("Cargo.lock"));
        assert!(!is_dependency_record("package.json"));
        assert!(!is_dependency_record("Cargo.toml"));
    }
}
