//! Package catalogers: one module per ecosystem, each a pure function from a manifest's
//! or lockfile's bytes to packages.
//!
//! A cataloger names the files it claims (`claims`) and parses them (`parse`). It never
//! runs a package manager, never touches the network and never reads another file: what
//! it knows comes from the bytes it is handed. Adding an ecosystem is one new module and
//! one line in [`CATALOGERS`].

use crate::inventory::model::{Hash, Scope};
use crate::license::DeclaredLicense;

pub mod cargo;
pub mod go;
pub mod maven;
pub(crate) mod xml;

/// A cataloger: the files it claims and the parser for them.
pub struct Cataloger {
    /// Ecosystem name as used in component records and purl types where they agree
    /// (`cargo`, `npm`, `pypi`, `golang`, `maven`, `composer`, `nuget`, `gem`, `publiccode`).
    pub ecosystem: &'static str,
    /// Does this cataloger want the file? `path` is relative to the root, `/`-separated;
    /// `name` is its last component.
    pub claims: fn(path: &str, name: &str) -> bool,
    /// Parse the claimed file.
    pub parse: fn(file: &ManifestFile) -> Result<Catalog, ParseError>,
}

/// Every cataloger kataster knows. Order does not matter: results are sorted later.
/// One line each, so that adding an ecosystem touches one line.
#[rustfmt::skip]
pub static CATALOGERS: &[Cataloger] = &[
    cargo::CATALOGER,
    go::CATALOGER,
    maven::CATALOGER,
];

/// The catalogers that claim a file.
pub fn claimants<'a>(path: &'a str, name: &'a str) -> impl Iterator<Item = &'static Cataloger> + use<'a> {
    CATALOGERS.iter().filter(move |c| (c.claims)(path, name))
}

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

    /// The bytes as text, or a parse error naming the first invalid byte.
    pub fn text(&self) -> Result<&str, ParseError> {
        std::str::from_utf8(self.bytes).map_err(|e| ParseError {
            line: Some(line_of_offset(self.bytes, e.valid_up_to())),
            message: format!("not valid UTF-8 at byte {}", e.valid_up_to()),
        })
    }
}

/// What a parser found in one file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Catalog {
    pub packages: Vec<Package>,
    /// Problems that did not stop the parse (an entry skipped, an unknown field value).
    pub warnings: Vec<String>,
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
    pub ecosystem: &'static str,
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
}

impl Package {
    /// A package with the given identity and everything else unknown.
    pub fn new(role: PackageRole, ecosystem: &'static str, name: impl Into<String>, version: Option<String>) -> Self {
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
                .map(|p| {
                    let e = p.expression.as_deref()?;
                    Some(if e.contains(' ') { format!("({e})") } else { e.to_string() })
                })
                .collect::<Option<Vec<String>>>()
                .map(|v| v.join(" OR "));
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
        [0xEF, 0xBB, 0xBF, ..] => {
            std::str::from_utf8(&b[3..]).map(std::borrow::Cow::Borrowed).map_err(|e| ParseError {
                line: Some(line_of_offset(b, e.valid_up_to() + 3)),
                message: format!("not valid UTF-8 at byte {}", e.valid_up_to() + 3),
            })
        }
        _ => file.text().map(std::borrow::Cow::Borrowed),
    }
}

/// A JSON syntax error as a parse error with its line.
pub fn json_error(e: &serde_json::Error) -> ParseError {
    let line = u32::try_from(e.line()).ok().filter(|l| *l > 0);
    ParseError { line, message: format!("invalid JSON: {e}") }
}
