//! REUSE declarations (reuse.software, specification 3.x): which license a file carries
//! by `REUSE.toml`, `.reuse/dep5` or a `.license` sidecar, and the precedence between
//! those and the file's own `SPDX-License-Identifier` header.
//!
//! Pure: texts in, facts out. The caller reads the declaring files, parses them with
//! [`parse_reuse_toml`], [`parse_dep5`] and [`parse_sidecar`], builds one [`ReuseIndex`]
//! per root and asks it per file with [`ReuseIndex::license_of`]. Malformed input is an
//! `Err` or a diagnostic naming the file, never a panic.
//!
//! Globs follow the spec for `REUSE.toml`: `*` does not cross `/`, `**` does (anywhere in
//! a path, also inside a name such as `l10n/**.js`), `\\*` in TOML (a backslash before the
//! star in the string) is a literal star, `\\\\` a literal backslash; every other character
//! is literal. `.reuse/dep5` follows the Debian copyright format 1.0: `*` and `?` match any
//! character including `/`, and a backslash escapes `*`, `?` and itself.

use std::collections::HashMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::{Spanned, Value};

/// The path of the deprecated Debian-format declaration file, relative to the root.
pub const DEP5_PATH: &str = ".reuse/dep5";

/// A glob longer than this is refused (a diagnostic), so a hostile file cannot make the
/// matcher huge.
const MAX_PATTERN_LEN: usize = 4096;
/// `**` inside a name expands to two globs each; more than this many in one pattern are refused.
const MAX_INNER_RECURSIVE: usize = 6;

/// How a declaration relates to the file's own licensing information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precedence {
    /// The file's own header (or sidecar) wins; else the nearest `REUSE.toml` that covers it.
    Closest,
    /// Always applies, in addition to whatever else applies (`.reuse/dep5` is always this).
    Aggregate,
    /// Applies alone, over the file's header and over deeper `REUSE.toml` files; the one
    /// closest to the root wins.
    Override,
}

/// Where an [`Annotation`] was read from; decides how its patterns are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An `[[annotations]]` table of a `REUSE.toml`: REUSE globs relative to its folder.
    ReuseToml,
    /// A `Files:` paragraph of `.reuse/dep5`: Debian globs relative to the root.
    Dep5,
    /// A `.license` file: stands for the header of exactly one file, its only pattern.
    Sidecar,
}

/// One assignment read from a `REUSE.toml` table, a dep5 paragraph or a sidecar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub origin: Origin,
    /// Repo-relative folder the patterns are relative to (`""` for the root).
    pub dir: String,
    /// The globs as written (after TOML string decoding); for a sidecar, its target path.
    pub patterns: Vec<String>,
    pub precedence: Precedence,
    /// The SPDX expression as written; several identifiers are joined with `AND`.
    /// `None` when the declaration names copyright only.
    pub expression: Option<String>,
    /// The copyright notices as written.
    pub copyright: Vec<String>,
    /// Repo-relative path of the `REUSE.toml`, dep5 or sidecar.
    pub source: String,
    /// 1-based line of the table header, `Files:` field or first license tag.
    pub line: u32,
}

/// Why [`ReuseIndex::license_of`] gave what it gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A `.license` sidecar replaced the file's own header.
    Sidecar,
    /// The file has no licensing information of its own; the nearest `REUSE.toml` supplied it.
    Closest,
    /// Several sources apply together (an `aggregate` table or dep5, with the file's own
    /// information or the closest table).
    Aggregate,
    /// An `override` table decided alone.
    Override,
}

/// A declaration a result was drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Repo-relative path of the `REUSE.toml`, dep5 or sidecar.
    pub path: String,
    pub line: u32,
}

/// The license REUSE assigns to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReuseLicense {
    /// SPDX form (via [`kataster_model::license::normalize_expression`]) where each part parses,
    /// else the part as written; parts are joined with `AND`.
    pub expression: String,
    /// The same parts as written.
    pub written: String,
    pub rule: Rule,
    /// The file's own header is one of the parts.
    pub own: bool,
    /// The declarations the other parts come from, root first.
    pub sources: Vec<Source>,
}

/// A path that holds REUSE declarations, as told by its name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclarationFile<'a> {
    /// A `REUSE.toml`; `dir` is its folder (`""` for the root).
    ReuseToml { dir: &'a str },
    /// The root's `.reuse/dep5`.
    Dep5,
    /// `<target>.license`; it is a sidecar only if `target` exists.
    Sidecar { target: &'a str },
}

/// What kind of REUSE declaration file `path` (repo-relative, `/`-separated) is, if any.
pub fn declaration_file(path: &str) -> Option<DeclarationFile<'_>> {
    let path = path.strip_prefix("./").unwrap_or(path);
    if path == "REUSE.toml" {
        return Some(DeclarationFile::ReuseToml { dir: "" });
    }
    if let Some(dir) = path.strip_suffix("/REUSE.toml") {
        return Some(DeclarationFile::ReuseToml { dir });
    }
    if path == DEP5_PATH {
        return Some(DeclarationFile::Dep5);
    }
    let target = path.strip_suffix(".license")?;
    (!target.is_empty() && !target.ends_with('/')).then_some(DeclarationFile::Sidecar { target })
}

/// Is this path a license text in the root's REUSE `LICENSES/` folder (the library of
/// texts, which declares nothing by itself)? Paths are relative to the project root.
pub fn is_license_library(path: &str) -> bool {
    let path = path.strip_prefix("./").unwrap_or(path);
    path.strip_prefix("LICENSES/").is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// Is `path` a Covered File in the sense of the spec, as far as its name tells: not in
/// `LICENSES/`, not `REUSE.toml`, not under `.reuse/` or `.git/`, and not a
/// `COPYING`/`LICENSE`/`LICENCE` file (with an optional `.` or `-` suffix).
pub fn is_covered(path: &str) -> bool {
    let path = path.strip_prefix("./").unwrap_or(path);
    if path.is_empty() || path.ends_with('/') || is_license_library(path) {
        return false;
    }
    if path.starts_with(".reuse/") || path.starts_with(".git/") {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "REUSE.toml" {
        return false;
    }
    for stem in ["COPYING", "LICENSE", "LICENCE"] {
        if let Some(rest) = name.strip_prefix(stem)
            && (rest.is_empty() || rest.starts_with('.') || rest.starts_with('-'))
        {
            return false;
        }
    }
    true
}

// ---------------------------------------------------------------------------------------
// REUSE.toml

#[derive(Deserialize)]
struct RawReuseToml {
    version: Option<Spanned<Value>>,
    annotations: Option<Vec<Spanned<toml::Table>>>,
}

/// Parse the `REUSE.toml` in folder `dir` (repo-relative, `""` for the root).
///
/// Errors (invalid TOML, a missing or unsupported `version`, a table without `path`, a
/// value of the wrong type, an unknown `precedence`) name the file and line.
pub fn parse_reuse_toml(dir: &str, text: &str) -> Result<Vec<Annotation>, String> {
    let dir = dir.trim_matches('/');
    let source = if dir.is_empty() { "REUSE.toml".to_string() } else { format!("{dir}/REUSE.toml") };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawReuseToml = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_at(text, s.start));
        format!("{source}:{line}: invalid TOML: {}", e.message().trim_end())
    })?;
    let Some(version) = raw.version else {
        return Err(format!("{source}:1: no `version` key"));
    };
    match version.get_ref() {
        Value::Integer(1) => {}
        Value::Integer(v) => {
            return Err(format!(
                "{source}:{}: unsupported version {v} (only 1 is defined)",
                line_at(text, version.span().start)
            ));
        }
        _ => return Err(format!("{source}:{}: `version` is not an integer", line_at(text, version.span().start))),
    }
    let mut out = Vec::new();
    for table in raw.annotations.unwrap_or_default() {
        let line = line_at(text, table.span().start);
        let table = table.into_inner();
        let at = |msg: &str| format!("{source}:{line}: {msg}");
        let patterns = match table.get("path") {
            None => return Err(at("an [[annotations]] table has no `path`")),
            Some(v) => strings(v).ok_or_else(|| at("`path` is neither a string nor a list of strings"))?,
        };
        let precedence = match table.get("precedence") {
            None => Precedence::Closest,
            Some(Value::String(s)) => match s.as_str() {
                "closest" => Precedence::Closest,
                "aggregate" => Precedence::Aggregate,
                "override" => Precedence::Override,
                other => return Err(at(&format!("unknown precedence `{other}`"))),
            },
            Some(_) => return Err(at("`precedence` is not a string")),
        };
        let expression = match table.get("SPDX-License-Identifier") {
            None => None,
            Some(v) => {
                let list = strings(v)
                    .ok_or_else(|| at("`SPDX-License-Identifier` is neither a string nor a list of strings"))?;
                join_and(list.iter().map(String::as_str).filter(|s| !s.trim().is_empty()))
            }
        };
        let copyright = match table.get("SPDX-FileCopyrightText") {
            None => Vec::new(),
            Some(v) => {
                strings(v).ok_or_else(|| at("`SPDX-FileCopyrightText` is neither a string nor a list of strings"))?
            }
        };
        out.push(Annotation {
            origin: Origin::ReuseToml,
            dir: dir.to_string(),
            patterns,
            precedence,
            expression,
            copyright,
            source: source.clone(),
            line,
        });
    }
    Ok(out)
}

/// A string or an array of strings.
fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// Join expressions with `AND`, parenthesising compound ones; `None` if there are none.
fn join_and<'a>(parts: impl Iterator<Item = &'a str>) -> Option<String> {
    let parts: Vec<&str> = parts.map(str::trim).collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some((*one).to_string()),
        many => Some(kataster_model::license::join_parts(many, " AND ", |p| p.contains(char::is_whitespace))),
    }
}

/// 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let newlines = text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------
// .reuse/dep5

/// Parse `.reuse/dep5` (Debian copyright format 1.0). Each `Files:` paragraph becomes an
/// [`Precedence::Aggregate`] annotation; stand-alone `License:` paragraphs are skipped.
///
/// Errors: no `Format:` in the header paragraph, a line that is neither a field, a
/// continuation nor a comment, a continuation before any field, an empty `Files:`.
pub fn parse_dep5(text: &str) -> Result<Vec<Annotation>, String> {
    let source = DEP5_PATH;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut header_seen = false;
    let mut para: Vec<Field> = Vec::new();
    let mut lines = text.lines().enumerate().map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l));
    loop {
        let next = lines.next();
        let blank = next.is_none_or(|(_, l)| l.trim().is_empty());
        if blank {
            if !para.is_empty() {
                if header_seen {
                    if let Some(a) = dep5_paragraph(source, &para)? {
                        out.push(a);
                    }
                } else {
                    if !para.iter().any(|f| f.name.eq_ignore_ascii_case("Format")) {
                        return Err(format!("{source}:{}: the header paragraph has no `Format:` field", para[0].line));
                    }
                    header_seen = true;
                }
                para.clear();
            }
            if next.is_none() {
                break;
            }
            continue;
        }
        let Some((no, line)) = next else { break };
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let Some(field) = para.last_mut() else {
                return Err(format!("{source}:{no}: continuation line outside a field"));
            };
            field.more.push(line.trim());
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("{source}:{no}: not a `Field: value` line"));
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("{source}:{no}: not a `Field: value` line"));
        }
        para.push(Field { name, value: value.trim(), more: Vec::new(), line: no });
    }
    if !header_seen {
        return Err(format!("{source}:1: no header paragraph with a `Format:` field"));
    }
    Ok(out)
}

struct Field<'a> {
    name: &'a str,
    value: &'a str,
    more: Vec<&'a str>,
    line: u32,
}

fn dep5_paragraph(source: &str, para: &[Field<'_>]) -> Result<Option<Annotation>, String> {
    let field = |n: &str| para.iter().find(|f| f.name.eq_ignore_ascii_case(n));
    let Some(files) = field("Files") else { return Ok(None) };
    let patterns: Vec<String> = std::iter::once(files.value)
        .chain(files.more.iter().copied())
        .flat_map(str::split_whitespace)
        .map(str::to_string)
        .collect();
    if patterns.is_empty() {
        return Err(format!("{source}:{}: empty `Files:` field", files.line));
    }
    // The first line of `License:` is the expression; the continuation lines, if any, its text.
    let expression = field("License").map(|f| f.value).filter(|v| !v.is_empty()).map(str::to_string);
    let copyright = field("Copyright")
        .map(|f| {
            std::iter::once(f.value)
                .chain(f.more.iter().copied())
                .filter(|l| !l.is_empty() && *l != ".")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(Annotation {
        origin: Origin::Dep5,
        dir: String::new(),
        patterns,
        precedence: Precedence::Aggregate,
        expression,
        copyright,
        source: source.to_string(),
        line: files.line,
    }))
}

// ---------------------------------------------------------------------------------------
// .license sidecars

/// Parse `sidecar_path` (`<target>.license`) and its text: the `SPDX-License-Identifier`
/// tags (several are joined with `AND`) and the copyright notices, outside
/// `REUSE-IgnoreStart`/`REUSE-IgnoreEnd` blocks. `None` if the name is not `<target>.license`
/// or the text declares neither license nor copyright.
pub fn parse_sidecar(sidecar_path: &str, text: &str) -> Option<Annotation> {
    let sidecar_path = sidecar_path.strip_prefix("./").unwrap_or(sidecar_path);
    let Some(DeclarationFile::Sidecar { target }) = declaration_file(sidecar_path) else {
        return None;
    };
    let tags = read_tags(text);
    if tags.licenses.is_empty() && tags.copyright.is_empty() {
        return None;
    }
    let dir = target.rsplit_once('/').map_or("", |(d, _)| d);
    Some(Annotation {
        origin: Origin::Sidecar,
        dir: dir.to_string(),
        patterns: vec![target.to_string()],
        precedence: Precedence::Closest,
        expression: join_and(tags.licenses.iter().copied()),
        copyright: tags.copyright.iter().map(|c| c.to_string()).collect(),
        source: sidecar_path.to_string(),
        line: tags.first_license_line.unwrap_or(1),
    })
}

struct Tags<'a> {
    licenses: Vec<&'a str>,
    copyright: Vec<&'a str>,
    first_license_line: Option<u32>,
}

fn read_tags(text: &str) -> Tags<'_> {
    const LICENSE_TAG: &str = "SPDX-License-Identifier:";
    const COPYRIGHT_TAG: &str = "SPDX-FileCopyrightText:";
    let mut tags = Tags { licenses: Vec::new(), copyright: Vec::new(), first_license_line: None };
    let mut ignoring = false;
    for (i, line) in text.lines().enumerate() {
        if line.contains("REUSE-IgnoreStart") {
            ignoring = true;
        }
        if line.contains("REUSE-IgnoreEnd") {
            ignoring = false;
            continue;
        }
        if ignoring {
            continue;
        }
        if let Some(at) = line.find(LICENSE_TAG) {
            let value = strip_comment_end(&line[at + LICENSE_TAG.len()..]);
            if !value.is_empty() {
                tags.licenses.push(value);
                tags.first_license_line.get_or_insert(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        } else if let Some(at) = line.find(COPYRIGHT_TAG) {
            let value = strip_comment_end(&line[at + COPYRIGHT_TAG.len()..]);
            if !value.is_empty() {
                tags.copyright.push(value);
            }
        } else {
            let bare = line.trim_start_matches(|c: char| c.is_whitespace() || "#/*;%!-<>'\"".contains(c));
            if bare.starts_with("Copyright") || bare.starts_with('©') {
                tags.copyright.push(strip_comment_end(bare));
            }
        }
    }
    tags
}

/// Trim a tag value and drop a trailing comment closer (`*/`, `-->`).
fn strip_comment_end(value: &str) -> &str {
    let v = value.trim();
    let v = v.strip_suffix("*/").or_else(|| v.strip_suffix("-->")).unwrap_or(v);
    v.trim()
}

// ---------------------------------------------------------------------------------------
// Globs

/// Translate one REUSE glob into globset syntax. `**` inside a name (`a**b`) means "any
/// text, `/` included", which globset only has as a whole component, so each such `**`
/// becomes two alternatives: `a*b` and `a*/**/*b`.
fn reuse_globs(pattern: &str) -> Result<Vec<String>, String> {
    // Pieces: literal text (escaped for globset), `*`, or `**`.
    enum Piece {
        Lit(char),
        Star,
        Stars,
    }
    let mut pieces = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => pieces.push(Piece::Lit(n)),
                None => pieces.push(Piece::Lit('\\')),
            },
            '*' => {
                if chars.peek() == Some(&'*') {
                    while chars.peek() == Some(&'*') {
                        chars.next();
                    }
                    pieces.push(Piece::Stars);
                } else {
                    pieces.push(Piece::Star);
                }
            }
            c => pieces.push(Piece::Lit(c)),
        }
    }
    // A `**` is a whole component when bounded by `/` or the ends of the pattern.
    let is_sep = |p: Option<&Piece>| matches!(p, None | Some(Piece::Lit('/')));
    let inner: Vec<usize> = (0..pieces.len())
        .filter(|&i| {
            matches!(pieces[i], Piece::Stars)
                && !(is_sep(i.checked_sub(1).and_then(|j| pieces.get(j))) && is_sep(pieces.get(i + 1)))
        })
        .collect();
    if inner.len() > MAX_INNER_RECURSIVE {
        return Err(format!("more than {MAX_INNER_RECURSIVE} `**` inside names"));
    }
    let mut out = Vec::with_capacity(1 << inner.len());
    for choice in 0u32..(1u32 << inner.len()) {
        let mut g = String::with_capacity(pattern.len() + 8);
        for (i, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Lit(c) => push_literal(&mut g, *c),
                Piece::Star => g.push('*'),
                Piece::Stars => match inner.iter().position(|&k| k == i) {
                    None => g.push_str("**"),
                    Some(bit) if choice & (1 << bit) == 0 => g.push('*'),
                    Some(_) => g.push_str("*/**/*"),
                },
            }
        }
        out.push(g);
    }
    Ok(out)
}

/// Translate one Debian glob: `*` and `?` match anything including `/`.
fn dep5_glob(pattern: &str) -> String {
    let mut g = String::with_capacity(pattern.len() + 4);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => push_literal(&mut g, chars.next().unwrap_or('\\')),
            '*' => {
                while chars.peek() == Some(&'*') {
                    chars.next();
                }
                g.push('*');
            }
            '?' => g.push('?'),
            c => push_literal(&mut g, c),
        }
    }
    g
}

fn push_literal(g: &mut String, c: char) {
    if matches!(c, '?' | '*' | '[' | ']' | '{' | '}' | '\\') {
        g.push('\\');
    }
    g.push(c);
}

/// Clean a pattern's leading `./`; refuse absolute ones and those that climb out with `..`.
fn relative_pattern(p: &str) -> Result<&str, String> {
    let mut p = p;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    if p.is_empty() {
        return Err("empty path".to_string());
    }
    if p.starts_with('/') {
        return Err("absolute path".to_string());
    }
    if p.split('/').any(|c| c == "..") {
        return Err("path leaves the declaring folder".to_string());
    }
    if p.len() > MAX_PATTERN_LEN {
        return Err(format!("path longer than {MAX_PATTERN_LEN} bytes"));
    }
    Ok(p)
}

// ---------------------------------------------------------------------------------------
// The index

/// The compiled tables of one `REUSE.toml` or of the dep5.
struct Group {
    dir: String,
    set: GlobSet,
    /// Glob index in `set` -> annotation index.
    owner: Vec<usize>,
}

/// All declarations of one root; built once, queried per file.
pub struct ReuseIndex {
    annotations: Vec<Annotation>,
    /// Per annotation: its expression in SPDX form where it parses, else as written.
    normalized: Vec<Option<String>>,
    groups: Vec<Group>,
    /// Folder -> groups declared there.
    by_dir: HashMap<String, Vec<usize>>,
    /// Target path -> sidecar annotation.
    sidecars: HashMap<String, usize>,
}

impl ReuseIndex {
    /// Compile the annotations of one root (from any number of `REUSE.toml` files, the
    /// dep5 and sidecars). Problems (bad globs, paths leaving their folder, an expression
    /// that is not SPDX, dep5 beside `REUSE.toml`) go to `diagnostics` as (file, message).
    pub fn new(annotations: Vec<Annotation>, diagnostics: &mut Vec<(String, String)>) -> Self {
        let normalized: Vec<Option<String>> = annotations
            .iter()
            .map(|a| {
                a.expression.as_deref().map(|e| {
                    kataster_model::license::normalize_expression(e).unwrap_or_else(|| {
                        diagnostics.push((
                            a.source.clone(),
                            format!("line {}: `{e}` is not a valid SPDX expression; kept as written", a.line),
                        ));
                        e.to_string()
                    })
                })
            })
            .collect();

        let mut builders: Vec<(String, String, GlobSetBuilder, Vec<usize>)> = Vec::new();
        let mut by_source: HashMap<&str, usize> = HashMap::new();
        let mut sidecars = HashMap::new();
        for (idx, a) in annotations.iter().enumerate() {
            if a.origin == Origin::Sidecar {
                if let Some(target) = a.patterns.first() {
                    sidecars.insert(target.clone(), idx);
                }
                continue;
            }
            let b = *by_source.entry(a.source.as_str()).or_insert_with(|| {
                builders.push((a.source.clone(), a.dir.clone(), GlobSetBuilder::new(), Vec::new()));
                builders.len() - 1
            });
            let (_, _, builder, owner) = &mut builders[b];
            for p in &a.patterns {
                let globs = relative_pattern(p).and_then(|p| match a.origin {
                    Origin::Dep5 => Ok(vec![dep5_glob(p)]),
                    _ => reuse_globs(p),
                });
                let globs = match globs {
                    Ok(g) => g,
                    Err(e) => {
                        diagnostics.push((a.source.clone(), format!("line {}: path `{p}` ignored: {e}", a.line)));
                        continue;
                    }
                };
                for g in globs {
                    let built =
                        GlobBuilder::new(&g).literal_separator(a.origin != Origin::Dep5).backslash_escape(true).build();
                    match built {
                        Ok(glob) => {
                            builder.add(glob);
                            owner.push(idx);
                        }
                        Err(e) => {
                            diagnostics.push((a.source.clone(), format!("line {}: path `{p}` ignored: {e}", a.line)));
                            break;
                        }
                    }
                }
            }
        }
        let has_toml = annotations.iter().any(|a| a.origin == Origin::ReuseToml);
        if has_toml && annotations.iter().any(|a| a.origin == Origin::Dep5) {
            diagnostics.push((
                DEP5_PATH.to_string(),
                "REUSE.toml and .reuse/dep5 must not be used together; both are applied".to_string(),
            ));
        }

        let mut groups = Vec::with_capacity(builders.len());
        let mut by_dir: HashMap<String, Vec<usize>> = HashMap::new();
        for (source, dir, builder, owner) in builders {
            match builder.build() {
                Ok(set) => {
                    by_dir.entry(dir.clone()).or_default().push(groups.len());
                    groups.push(Group { dir, set, owner });
                }
                Err(e) => diagnostics.push((source, format!("paths not usable, file ignored: {e}"))),
            }
        }
        ReuseIndex { annotations, normalized, groups, by_dir, sidecars }
    }

    /// No declaration at all: every file keeps its own header.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.sidecars.is_empty()
    }

    /// The annotations the index was built from.
    pub fn annotations(&self) -> &[Annotation] {
        &self.annotations
    }

    /// The license REUSE assigns to `path` (repo-relative), given the file's own
    /// `SPDX-License-Identifier` expression (`None` if its header has none).
    ///
    /// A sidecar replaces the file's own header. Then: an `override` table decides alone
    /// (the one nearest the root); else every `aggregate` table and dep5 paragraph applies,
    /// together with the file's own information or, if it has none, the nearest `REUSE.toml`
    /// table. Within one `REUSE.toml` (and in dep5) only the last matching table counts;
    /// one without `SPDX-License-Identifier` leaves licensing to the others.
    ///
    /// `None` when no declaration changes what the file's own header says (or the path is
    /// not a Covered File, see [`is_covered`]).
    pub fn license_of(&self, path: &str, own: Option<&str>) -> Option<ReuseLicense> {
        let path = path.strip_prefix("./").unwrap_or(path);
        if self.is_empty() || !is_covered(path) {
            return None;
        }
        // The last matching table with a license, per declaring file, root first.
        let mut hits: Vec<usize> = Vec::new();
        if !self.groups.is_empty() {
            let mut matched = Vec::new();
            let dirs = std::iter::once("").chain(path.match_indices('/').map(|(i, _)| &path[..i]));
            for dir in dirs {
                let Some(groups) = self.by_dir.get(dir) else { continue };
                for &g in groups {
                    let group = &self.groups[g];
                    let rel = if group.dir.is_empty() { path } else { &path[dir.len() + 1..] };
                    group.set.matches_into(rel, &mut matched);
                    let last = matched.iter().map(|&m| group.owner[m]).max();
                    if let Some(a) = last.filter(|&a| self.annotations[a].expression.is_some()) {
                        hits.push(a);
                    }
                }
            }
        }

        if let Some(&o) = hits.iter().find(|&&a| self.annotations[a].precedence == Precedence::Override) {
            return Some(self.combine(&[Part::Declared(o)], Rule::Override));
        }
        let mut parts: Vec<Part<'_>> = hits
            .iter()
            .filter(|&&a| self.annotations[a].precedence == Precedence::Aggregate)
            .map(|&a| Part::Declared(a))
            .collect();
        let aggregated = !parts.is_empty();
        let own_part = match self.sidecars.get(path) {
            Some(&s) => self.annotations[s].expression.is_some().then_some(Part::Declared(s)),
            None => own.map(str::trim).filter(|o| !o.is_empty()).map(Part::Own),
        };
        let rule = match own_part {
            Some(p) => {
                parts.push(p);
                match p {
                    _ if aggregated => Rule::Aggregate,
                    Part::Own(_) => return None,
                    Part::Declared(_) => Rule::Sidecar,
                }
            }
            None => match hits.last() {
                Some(&closest) if self.annotations[closest].precedence != Precedence::Aggregate => {
                    parts.push(Part::Declared(closest));
                    if aggregated { Rule::Aggregate } else { Rule::Closest }
                }
                _ if aggregated => Rule::Aggregate,
                _ => return None,
            },
        };
        Some(self.combine(&parts, rule))
    }

    fn combine(&self, parts: &[Part<'_>], rule: Rule) -> ReuseLicense {
        let mut written: Vec<&str> = Vec::with_capacity(parts.len());
        let mut normal: Vec<String> = Vec::with_capacity(parts.len());
        let mut sources = Vec::new();
        let mut own = false;
        for part in parts {
            let (w, n) = match *part {
                Part::Own(text) => {
                    own = true;
                    (text, kataster_model::license::normalize_expression(text).unwrap_or_else(|| text.to_string()))
                }
                Part::Declared(a) => {
                    let ann = &self.annotations[a];
                    sources.push(Source { path: ann.source.clone(), line: ann.line });
                    let w = ann.expression.as_deref().unwrap_or_default();
                    (w, self.normalized[a].clone().unwrap_or_else(|| w.to_string()))
                }
            };
            if !normal.contains(&n) {
                normal.push(n);
                written.push(w);
            }
        }
        ReuseLicense {
            expression: join_and(normal.iter().map(String::as_str)).unwrap_or_default(),
            written: join_and(written.into_iter()).unwrap_or_default(),
            rule,
            own,
            sources,
        }
    }
}

#[derive(Clone, Copy)]
enum Part<'a> {
    /// The file's own header.
    Own(&'a str),
    /// An annotation (table, dep5 paragraph or sidecar).
    Declared(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Index over the given REUSE.toml texts (folder, text), dep5 text and sidecars (path, text).
    fn index(tomls: &[(&str, &str)], dep5: Option<&str>, sidecars: &[(&str, &str)]) -> ReuseIndex {
        let (idx, diags) = index_with_diagnostics(tomls, dep5, sidecars);
        assert!(diags.is_empty(), "{diags:?}");
        idx
    }

    fn index_with_diagnostics(
        tomls: &[(&str, &str)],
        dep5: Option<&str>,
        sidecars: &[(&str, &str)],
    ) -> (ReuseIndex, Vec<(String, String)>) {
        let mut all = Vec::new();
        for (dir, text) in tomls {
            all.extend(parse_reuse_toml(dir, text).unwrap());
        }
        if let Some(text) = dep5 {
            all.extend(parse_dep5(text).unwrap());
        }
        for (path, text) in sidecars {
            all.extend(parse_sidecar(path, text));
        }
        let mut diags = Vec::new();
        let idx = ReuseIndex::new(all, &mut diags);
        (idx, diags)
    }

    fn expr(idx: &ReuseIndex, path: &str, own: Option<&str>) -> Option<(String, Rule)> {
        idx.license_of(path, own).map(|l| (l.expression, l.rule))
    }

    fn some(e: &str, rule: Rule) -> Option<(String, Rule)> {
        Some((e.to_string(), rule))
    }

    // The root REUSE.toml of fsfe/reuse-tool (the REUSE reference tool), as published.
    const REUSE_TOOL_TOML: &str = r#"# SPDX-FileCopyrightText: 2023 Free Software Foundation Europe e.V. <https://fsfe.org>
#
# SPDX-License-Identifier: CC0-1.0

version = 1

[[annotations]]
path = "docs/reuse*.rst"
precedence = "override"
SPDX-FileCopyrightText = "2017 Free Software Foundation Europe e.V. <https://fsfe.org>"
SPDX-License-Identifier = "CC-BY-SA-4.0"

[[annotations]]
path = "docs/modules.rst"
precedence = "override"
SPDX-FileCopyrightText = "2017 Free Software Foundation Europe e.V. <https://fsfe.org>"
SPDX-License-Identifier = "CC-BY-SA-4.0"

[[annotations]]
path = "po/*.po"
precedence = "override"
SPDX-FileCopyrightText = "REUSE contributors"
SPDX-License-Identifier = "GPL-3.0-or-later"

[[annotations]]
path = "tests/resources/**"
precedence = "override"
SPDX-FileCopyrightText = "2017 Free Software Foundation Europe e.V. <https://fsfe.org>"
SPDX-License-Identifier = "GPL-3.0-or-later"

[[annotations]]
path = "src/reuse.egg-info/**"
precedence = "override"
SPDX-FileCopyrightText = "2017 Free Software Foundation Europe e.V. <https://fsfe.org>"
SPDX-License-Identifier = "GPL-3.0-or-later"

[[annotations]]
path = "poetry.lock"
precedence = "override"
SPDX-FileCopyrightText = "2017 Free Software Foundation Europe e.V. <https://fsfe.org>"
SPDX-License-Identifier = "CC0-1.0"

[[annotations]]
path = ".forgejo/pull_request_template.md"
precedence = "override"
SPDX-FileCopyrightText = "2024 Free Software Foundation Europe e.V. <https://fsfe.org>"
SPDX-License-Identifier = "CC0-1.0"

[[annotations]]
path = "changelog.d/**/*.md"
# override because fragments may contain examples which we don't want to be
# linted by REUSE.
precedence = "override"
SPDX-FileCopyrightText = "REUSE contributors"
SPDX-License-Identifier = "CC-BY-SA-4.0 OR GPL-3.0-or-later"
"#;

    // From the root REUSE.toml of nextcloud/server, trimmed: the package keys, the first
    // table (path lists shortened) and the tables with `**` inside names and odd characters.
    const NEXTCLOUD_TOML: &str = r#"version = 1
SPDX-PackageName = "nextcloud"
SPDX-PackageSupplier = "Nextcloud <info@nextcloud.com>"
SPDX-PackageDownloadLocation = "https://github.com/nextcloud/server"

[[annotations]]
path = ["lib/l10n/**.js", "lib/l10n/**.json", "core/l10n/**.js", "core/l10n/**.json", "apps/admin_audit/l10n/**.js", "apps/admin_audit/l10n/**.json"]
precedence = "aggregate"
SPDX-FileCopyrightText = "2016 ownCloud, Inc., 2016-2024 Nextcloud translators"
SPDX-License-Identifier = "AGPL-3.0-only OR AGPL-3.0-or-later"

[[annotations]]
path = [".tag", "tests/data/lorem-big.txt", "tests/data/strängé**filename**(duplicate**#2).txt", "tests/data/strõngÚ**filename**(duplicate**#2).txt"]
precedence = "aggregate"
SPDX-FileCopyrightText = "2014 ownCloud, Inc."
SPDX-License-Identifier = "AGPL-3.0-only"

[[annotations]]
path = ["core/img/favicon**.**", "core/img/logo/logo**.**", "tests/data/testimage.webp", "tests/data/broken-video.webm", "apps/testing/img/logo.png", "core/img/apps/spreed.svg"]
precedence = "aggregate"
SPDX-FileCopyrightText = "2016-2024 Nextcloud GmbH"
SPDX-License-Identifier = "LicenseRef-NextcloudTrademarks"

[[annotations]]
path = ["build/stubs/pcntl.php", "build/stubs/zip.php"]
precedence = "aggregate"
SPDX-FileCopyrightText = "2022 JetBrains"
SPDX-License-Identifier = "Apache-2.0"
"#;

    // .reuse/dep5 of KDAB's GammaRay (as mirrored in 2lambda123/GammaRay), trimmed: header
    // paragraph, comment lines, long `Files:` lists, a two-line `Copyright:`, a
    // `License:` with extra spaces.
    const GAMMARAY_DEP5: &str = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: GammaRay
Upstream-Contact: <info@kdab.com>
Source: https://www.github.com/KDAB/GammaRay

#misc source code
Files: *.ui *.qrc *.json CMakePresets.json GammaRay.desktop app/Info.plist.in
Copyright: 2010-2023 Klarälvdalens Datakonsult AB, a KDAB Group company <info@kdab.com>
License: GPL-2.0-or-later

#misc config files
Files: 3rdparty/*/qt_attribution.json .clang-format .github/*
Copyright: 2010-2023 Klarälvdalens Datakonsult AB, a KDAB Group company <info@kdab.com>
License: BSD-3-Clause

#3rdparty from Qt
Files: 3rdparty/qt/5.5/private/*
Copyright: 2014 Digia Plc and/or its subsidiary(-ies)
License:  LGPL-2.1-only OR LGPL-3.0-only OR LicenseRef-Qt-LGPL_EXCEPTION OR LicenseRef-Qt-Commercial

Files: 3rdparty/qt/resourcemodel.*
Copyright: 2011 Nokia Corporation and/or its subsidiary(-ies)
License: LGPL-2.1-only OR LicenseRef-Qt-LGPL_EXCEPTION

Files: compat/qasconst.h
Copyright: 2016 The Qt Company Ltd
           2016 Intel Corporation
License: LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-or-later OR LicenseRef-Qt-Commercial

#3rdparty backward-cpp
Files: 3rdparty/backward-cpp/*
Copyright: 2013-2017 Google Inc
License: MIT
";

    // .reuse/dep5 of Bismuth (Bismuth-Forge/bismuth, a KDE Plasma extension): a paragraph
    // made only of comment lines.
    const BISMUTH_DEP5: &str = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Bismuth
Upstream-Contact: Mikhail Zolotukhin <mail@gikari.com>
Source: https://github.com/gikari/bismuth

# Sample paragraph, commented out:
#
# Files: src/*
# Copyright: $YEAR $NAME <$CONTACT>
# License: ...

# Images
Files: img/*
Copyright: none
License: CC-BY-4.0

# Json configs
Files: *.json
Copyright: none
License: MIT
";

    #[test]
    fn reuse_tool_toml_parses_with_lines_and_overrides_headers() {
        let anns = parse_reuse_toml("", REUSE_TOOL_TOML).unwrap();
        assert_eq!(anns.len(), 8);
        assert_eq!(anns[0].line, 7);
        assert_eq!(anns[0].source, "REUSE.toml");
        assert_eq!(anns[0].patterns, ["docs/reuse*.rst"]);
        assert_eq!(anns[0].copyright, ["2017 Free Software Foundation Europe e.V. <https://fsfe.org>"]);
        assert!(anns.iter().all(|a| a.precedence == Precedence::Override));
        let idx = index(&[("", REUSE_TOOL_TOML)], None, &[]);
        // Override beats the file's own header.
        assert_eq!(expr(&idx, "docs/reuse-lint.rst", Some("MIT")), some("CC-BY-SA-4.0", Rule::Override));
        assert_eq!(expr(&idx, "po/de.po", None), some("GPL-3.0-or-later", Rule::Override));
        // `*` does not cross `/`; `**` does.
        assert_eq!(expr(&idx, "po/sub/de.po", None), None);
        assert_eq!(expr(&idx, "tests/resources/a/b/c.py", None), some("GPL-3.0-or-later", Rule::Override));
        assert_eq!(
            expr(&idx, "changelog.d/added/x.md", None),
            some("CC-BY-SA-4.0 OR GPL-3.0-or-later", Rule::Override)
        );
        assert_eq!(expr(&idx, "changelog.d/x.md", None), some("CC-BY-SA-4.0 OR GPL-3.0-or-later", Rule::Override));
        assert_eq!(expr(&idx, "src/reuse/lint.py", Some("GPL-3.0-or-later")), None);
        let l = idx.license_of("poetry.lock", None).unwrap();
        assert_eq!(l.sources, [Source { path: "REUSE.toml".into(), line: 37 }]);
        assert!(!l.own);
    }

    #[test]
    fn nextcloud_toml_inner_double_star_and_literal_characters() {
        let idx = index(&[("", NEXTCLOUD_TOML)], None, &[]);
        // `l10n/**.js` reaches into sub-folders and also matches directly in the folder.
        assert_eq!(expr(&idx, "lib/l10n/de.js", None), some("AGPL-3.0-only OR AGPL-3.0-or-later", Rule::Aggregate));
        assert_eq!(
            expr(&idx, "apps/admin_audit/l10n/x/de.json", None),
            some("AGPL-3.0-only OR AGPL-3.0-or-later", Rule::Aggregate)
        );
        assert_eq!(expr(&idx, "lib/l10n/de.jsx", None), None);
        // Aggregate: the file's own header applies as well.
        let l = idx.license_of("lib/l10n/de.js", Some("mit")).unwrap();
        assert_eq!(l.expression, "(AGPL-3.0-only OR AGPL-3.0-or-later) AND MIT");
        assert_eq!(l.written, "(AGPL-3.0-only OR AGPL-3.0-or-later) AND mit");
        assert!(l.own);
        // `**` twice inside one name; `(`, `)` and `#` are literal.
        assert_eq!(
            expr(&idx, "core/img/favicon-touch.png", None),
            some("LicenseRef-NextcloudTrademarks", Rule::Aggregate)
        );
        assert_eq!(
            expr(&idx, "core/img/favicon/dark.svg", None),
            some("LicenseRef-NextcloudTrademarks", Rule::Aggregate)
        );
        assert_eq!(
            expr(&idx, "tests/data/strängé filename (duplicate #2).txt", None),
            some("AGPL-3.0-only", Rule::Aggregate)
        );
        assert_eq!(expr(&idx, "tests/data/strängé filename (duplicate 2).txt", None), None);
        assert_eq!(expr(&idx, ".tag", None), some("AGPL-3.0-only", Rule::Aggregate));
        assert_eq!(expr(&idx, "build/stubs/zip.php", Some("Apache-2.0")), some("Apache-2.0", Rule::Aggregate));
    }

    const CLOSEST: &str = r#"version = 1
[[annotations]]
path = "src/**"
SPDX-License-Identifier = "MIT"
"#;

    #[test]
    fn closest_lets_the_file_header_win_and_falls_back_otherwise() {
        let idx = index(&[("", CLOSEST)], None, &[]);
        assert_eq!(expr(&idx, "src/a.rs", None), some("MIT", Rule::Closest));
        assert_eq!(expr(&idx, "src/a.rs", Some("Apache-2.0")), None);
        assert_eq!(expr(&idx, "docs/a.md", None), None);
    }

    #[test]
    fn aggregate_adds_to_the_header_and_deduplicates() {
        let toml = "version = 1\n[[annotations]]\npath = \"**\"\nprecedence = \"aggregate\"\nSPDX-License-Identifier = \"MIT\"\n";
        let idx = index(&[("", toml)], None, &[]);
        assert_eq!(expr(&idx, "a/b.c", Some("GPL-2.0+")), some("MIT AND GPL-2.0-or-later", Rule::Aggregate));
        assert_eq!(expr(&idx, "a/b.c", Some("MIT")), some("MIT", Rule::Aggregate));
        assert_eq!(expr(&idx, "a/b.c", None), some("MIT", Rule::Aggregate));
    }

    #[test]
    fn nested_reuse_toml_closest_wins_and_root_override_is_authoritative() {
        let root = r#"version = 1
[[annotations]]
path = "vendor/**"
SPDX-License-Identifier = "Apache-2.0"

[[annotations]]
path = "vendor/forced/**"
precedence = "override"
SPDX-License-Identifier = "LicenseRef-Forced"
"#;
        let deep = r#"version = 1
[[annotations]]
path = "**"
SPDX-License-Identifier = "BSD-3-Clause"

[[annotations]]
path = "forced/*"
precedence = "override"
SPDX-License-Identifier = "CC0-1.0"

[[annotations]]
path = "extra/*.txt"
precedence = "aggregate"
SPDX-License-Identifier = "CC-BY-4.0"
"#;
        let idx = index(&[("", root), ("vendor", deep)], None, &[]);
        // The deeper REUSE.toml is closer.
        assert_eq!(expr(&idx, "vendor/lib/a.c", None), some("BSD-3-Clause", Rule::Closest));
        // The root's override beats the deeper override and the header.
        let l = idx.license_of("vendor/forced/x.c", Some("MIT")).unwrap();
        assert_eq!((l.expression.as_str(), l.rule), ("LicenseRef-Forced", Rule::Override));
        assert_eq!(l.sources, [Source { path: "REUSE.toml".into(), line: 6 }]);
        // Deeper aggregate plus the file's own header.
        let l = idx.license_of("vendor/extra/n.txt", Some("MIT")).unwrap();
        assert_eq!((l.expression.as_str(), l.rule), ("CC-BY-4.0 AND MIT", Rule::Aggregate));
        assert_eq!(l.sources, [Source { path: "vendor/REUSE.toml".into(), line: 11 }]);
        // Outside the deeper folder only the root file counts.
        assert_eq!(expr(&idx, "vendorx/a.c", None), None);
    }

    #[test]
    fn last_matching_table_of_one_file_wins() {
        let toml = r#"version = 1
[[annotations]]
path = "*.txt"
SPDX-License-Identifier = "MIT"

[[annotations]]
path = ["a.txt", "b.txt"]
SPDX-License-Identifier = ["GPL-3.0-or-later", "LicenseRef-extra"]

[[annotations]]
path = "b.txt"
SPDX-FileCopyrightText = "2024 Copyright Only"
"#;
        let anns = parse_reuse_toml("", toml).unwrap();
        assert_eq!(anns[1].expression.as_deref(), Some("GPL-3.0-or-later AND LicenseRef-extra"));
        let idx = index(&[("", toml)], None, &[]);
        assert_eq!(expr(&idx, "c.txt", None), some("MIT", Rule::Closest));
        assert_eq!(expr(&idx, "a.txt", None), some("GPL-3.0-or-later AND LicenseRef-extra", Rule::Closest));
        // The last table matching b.txt names no license: this file gives it none.
        assert_eq!(expr(&idx, "b.txt", None), None);
    }

    #[test]
    fn globs_relative_to_folder_with_escaped_star() {
        let toml = r#"version = 1
[[annotations]]
path = ["a\\*b.txt", "dir/*.c", "./x/**/y.h", "back\\\\slash", "q?.md"]
SPDX-License-Identifier = "0BSD"
"#;
        let anns = parse_reuse_toml("sub/", toml).unwrap();
        assert_eq!(anns[0].patterns[0], "a\\*b.txt");
        assert_eq!(anns[0].source, "sub/REUSE.toml");
        let idx = index(&[("sub", toml)], None, &[]);
        let hit = some("0BSD", Rule::Closest);
        assert_eq!(expr(&idx, "sub/a*b.txt", None), hit);
        assert_eq!(expr(&idx, "sub/aXb.txt", None), None);
        assert_eq!(expr(&idx, "sub/dir/m.c", None), hit);
        assert_eq!(expr(&idx, "sub/dir/k/m.c", None), None);
        assert_eq!(expr(&idx, "dir/m.c", None), None);
        assert_eq!(expr(&idx, "sub/x/y.h", None), hit);
        assert_eq!(expr(&idx, "sub/x/1/2/y.h", None), hit);
        assert_eq!(expr(&idx, "sub/back\\slash", None), hit);
        // `?` is literal in REUSE.toml.
        assert_eq!(expr(&idx, "sub/q?.md", None), hit);
        assert_eq!(expr(&idx, "sub/qq.md", None), None);
    }

    #[test]
    fn dep5_paragraphs_continuations_and_last_match() {
        let anns = parse_dep5(GAMMARAY_DEP5).unwrap();
        assert_eq!(anns.len(), 6);
        assert_eq!(anns[0].line, 7);
        assert_eq!(anns[0].patterns.len(), 6);
        assert_eq!(anns[4].copyright, ["2016 The Qt Company Ltd", "2016 Intel Corporation"]);
        assert_eq!(
            anns[2].expression.as_deref(),
            Some("LGPL-2.1-only OR LGPL-3.0-only OR LicenseRef-Qt-LGPL_EXCEPTION OR LicenseRef-Qt-Commercial")
        );
        // `_` is not allowed in a LicenseRef id: kept as written, with a diagnostic.
        let (idx, diags) = index_with_diagnostics(&[], Some(GAMMARAY_DEP5), &[]);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags[0].1.starts_with("line 17: `LGPL-2.1-only OR"), "{diags:?}");
        assert_eq!(
            expr(&idx, "3rdparty/qt/resourcemodel.cpp", None),
            some("LGPL-2.1-only OR LicenseRef-Qt-LGPL_EXCEPTION", Rule::Aggregate)
        );
        // Debian `*` crosses `/`.
        assert_eq!(expr(&idx, "ui/main/window.ui", None), some("GPL-2.0-or-later", Rule::Aggregate));
        assert_eq!(expr(&idx, "3rdparty/backward-cpp/x/y.hpp", None), some("MIT", Rule::Aggregate));
        // Two paragraphs match (`*.json`, `3rdparty/*/qt_attribution.json`): the last wins.
        assert_eq!(expr(&idx, "3rdparty/lz4/qt_attribution.json", None), some("BSD-3-Clause", Rule::Aggregate));
        assert_eq!(expr(&idx, "CMakePresets.json", None), some("GPL-2.0-or-later", Rule::Aggregate));
        // dep5 aggregates with the header.
        let l = idx.license_of("compat/qasconst.h", Some("MIT")).unwrap();
        assert_eq!(
            l.expression,
            "(LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-or-later OR LicenseRef-Qt-Commercial) AND MIT"
        );
        assert_eq!(l.sources, [Source { path: ".reuse/dep5".into(), line: 25 }]);
        assert_eq!(expr(&idx, "src/main.cpp", Some("MIT")), None);

        let anns = parse_dep5(BISMUTH_DEP5).unwrap();
        assert_eq!(anns.len(), 2);
        assert_eq!(anns[0].patterns, ["img/*"]);
        assert_eq!(anns[1].copyright, ["none"]);
    }

    #[test]
    fn dep5_license_text_continuation_is_not_the_expression() {
        let text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: a/*\n  b/*\nCopyright: X\nLicense: LicenseRef-Own\n Some text of the license\n .\n More text\n\nLicense: LicenseRef-Own\n Stand-alone text paragraph\n";
        let anns = parse_dep5(text).unwrap();
        assert_eq!(anns.len(), 1);
        assert_eq!(anns[0].patterns, ["a/*", "b/*"]);
        assert_eq!(anns[0].expression.as_deref(), Some("LicenseRef-Own"));
    }

    #[test]
    fn sidecar_replaces_the_file_header() {
        let sidecar =
            "SPDX-FileCopyrightText: 2019 Jane Doe <jane@example.com>\n\nSPDX-License-Identifier: CC-BY-4.0\n";
        let a = parse_sidecar("img/cat.jpg.license", sidecar).unwrap();
        assert_eq!(a.patterns, ["img/cat.jpg"]);
        assert_eq!(a.line, 3);
        assert_eq!(a.copyright, ["2019 Jane Doe <jane@example.com>"]);
        let idx = index(&[("", CLOSEST)], None, &[("img/cat.jpg.license", sidecar), ("src/x.rs.license", sidecar)]);
        let l = idx.license_of("img/cat.jpg", Some("MIT")).unwrap();
        assert_eq!((l.expression.as_str(), l.rule, l.own), ("CC-BY-4.0", Rule::Sidecar, false));
        assert_eq!(l.sources, [Source { path: "img/cat.jpg.license".into(), line: 3 }]);
        // The sidecar wins over a closest REUSE.toml too.
        assert_eq!(expr(&idx, "src/x.rs", Some("GPL-2.0-only")), some("CC-BY-4.0", Rule::Sidecar));
        // Several identifiers, ignore blocks and comment closers.
        let odd = "<!-- SPDX-License-Identifier: MIT -->\n# REUSE-IgnoreStart\nSPDX-License-Identifier: GPL-3.0\n# REUSE-IgnoreEnd\n/* SPDX-License-Identifier: Apache-2.0 */\nCopyright (c) 2020 Someone\n";
        let a = parse_sidecar("x.svg.license", odd).unwrap();
        assert_eq!(a.expression.as_deref(), Some("MIT AND Apache-2.0"));
        assert_eq!(a.copyright, ["Copyright (c) 2020 Someone"]);
        assert!(parse_sidecar("x.svg.license", "nothing here").is_none());
        assert!(parse_sidecar("x.svg", "SPDX-License-Identifier: MIT").is_none());
        assert!(parse_sidecar(".license", "SPDX-License-Identifier: MIT").is_none());
    }

    #[test]
    fn license_library_and_covered_files() {
        assert!(is_license_library("LICENSES/MIT.txt"));
        assert!(is_license_library("./LICENSES/LicenseRef-Own.md"));
        assert!(!is_license_library("LICENSES/"));
        assert!(!is_license_library("LICENSES/sub/MIT.txt"));
        assert!(!is_license_library("vendor/LICENSES/MIT.txt"));
        assert!(!is_license_library("LICENSE"));
        assert!(!is_covered("LICENSES/MIT.txt"));
        assert!(!is_covered("LICENSE"));
        assert!(!is_covered("sub/COPYING.GPL"));
        assert!(!is_covered("LICENCE-MIT.md"));
        assert!(!is_covered("a/REUSE.toml"));
        assert!(!is_covered(".reuse/dep5"));
        assert!(is_covered("LICENSES.md"));
        assert!(is_covered("src/licensed.rs"));
        // A catch-all dep5 does not reach the library of texts.
        let idx = index(&[], Some(BISMUTH_DEP5), &[]);
        assert_eq!(expr(&idx, "LICENSES/MIT.json", None), None);
        assert_eq!(expr(&idx, "conf/x.json", None), some("MIT", Rule::Aggregate));
        assert_eq!(declaration_file("a/b/REUSE.toml"), Some(DeclarationFile::ReuseToml { dir: "a/b" }));
        assert_eq!(declaration_file("REUSE.toml"), Some(DeclarationFile::ReuseToml { dir: "" }));
        assert_eq!(declaration_file(".reuse/dep5"), Some(DeclarationFile::Dep5));
        assert_eq!(declaration_file("a.png.license"), Some(DeclarationFile::Sidecar { target: "a.png" }));
        assert_eq!(declaration_file("a.png"), None);
    }

    #[test]
    fn malformed_input_is_an_error_naming_the_file() {
        let bad = [
            ("version = 1\n[[annotations]\npath = \"x\"", "sub/REUSE.toml:2: invalid TOML"),
            ("[[annotations]]\npath = \"x\"\n", "sub/REUSE.toml:1: no `version`"),
            ("version = 2\n", "unsupported version 2"),
            ("version = \"1\"\n", "not an integer"),
            (
                "version = 1\n\n[[annotations]]\nSPDX-License-Identifier = \"MIT\"\n",
                "sub/REUSE.toml:3: an [[annotations]] table has no `path`",
            ),
            ("version = 1\n[[annotations]]\npath = 3\n", "`path` is neither"),
            ("version = 1\n[[annotations]]\npath = [\"a\", 3]\n", "`path` is neither"),
            ("version = 1\n[[annotations]]\npath = \"a\"\nprecedence = \"loudest\"\n", "unknown precedence `loudest`"),
            (
                "version = 1\n[[annotations]]\npath = \"a\"\nSPDX-License-Identifier = {a = 1}\n",
                "`SPDX-License-Identifier` is neither",
            ),
            ("version = 1\nannotations = 5\n", "invalid TOML"),
        ];
        for (text, want) in bad {
            let err = parse_reuse_toml("sub", text).unwrap_err();
            assert!(err.contains(want), "{err} / {want}");
        }
        assert!(parse_reuse_toml("", "version = 1\n").unwrap().is_empty());

        let bad_dep5 = [
            ("Files: *\nLicense: MIT\n", ".reuse/dep5:1: the header paragraph has no `Format:`"),
            ("Format: x\n\nFiles: *\nthis is not a field\n", ".reuse/dep5:4: not a `Field: value` line"),
            (" leading continuation\n", ".reuse/dep5:1: continuation line outside a field"),
            ("Format: x\n\nFiles:\nLicense: MIT\n", ".reuse/dep5:3: empty `Files:`"),
            ("", "no header paragraph"),
        ];
        for (text, want) in bad_dep5 {
            let err = parse_dep5(text).unwrap_err();
            assert!(err.contains(want), "{err} / {want}");
        }
    }

    #[test]
    fn bad_paths_become_diagnostics_and_huge_inputs_do_not_panic() {
        let long = "a".repeat(MAX_PATTERN_LEN + 1);
        let toml = format!(
            "version = 1\n[[annotations]]\npath = [\"../up.txt\", \"/abs\", \"{long}\", \"a**b**c**d**e**f**g**h\", \"[unclosed\", \"ok.txt\"]\nSPDX-License-Identifier = \"not-a-license-at-all\"\n"
        );
        let anns = parse_reuse_toml("d", &toml).unwrap();
        let mut diags = Vec::new();
        let idx = ReuseIndex::new(anns, &mut diags);
        assert_eq!(diags.len(), 5, "{diags:#?}");
        assert!(diags.iter().all(|(path, _)| path == "d/REUSE.toml"));
        assert!(diags.iter().any(|(_, m)| m.contains("not a valid SPDX expression")));
        // The bracket is literal, so `[unclosed` is fine; an invalid expression is kept as written.
        assert_eq!(expr(&idx, "d/[unclosed", None), some("not-a-license-at-all", Rule::Closest));
        assert_eq!(expr(&idx, "d/ok.txt", None), some("not-a-license-at-all", Rule::Closest));
        assert_eq!(expr(&idx, "up.txt", None), None);

        // Garbage and huge texts: errors or nothing, never a panic.
        let huge = "*".repeat(200_000);
        let garbage = ["\u{0}\u{1}", "version = 1\n[[annotations]]\npath = \"\"\n", &huge, "\u{feff}version = 1\n"];
        for g in garbage {
            let _ = parse_reuse_toml("", g);
            let _ = parse_dep5(g);
            let _ = parse_sidecar("a.license", g);
        }
        let many = format!(
            "version = 1\n[[annotations]]\npath = \"{}\"\nSPDX-License-Identifier = \"MIT\"\n",
            "**".repeat(3000)
        );
        let anns = parse_reuse_toml("", &many).unwrap();
        let mut diags = Vec::new();
        let idx = ReuseIndex::new(anns, &mut diags);
        let _ = idx.license_of("a/b", None);
        let empty = ReuseIndex::new(Vec::new(), &mut diags);
        assert!(empty.is_empty());
        assert_eq!(empty.license_of("a", Some("MIT")), None);
    }
}
