//! The license vocabulary: turning what people write into SPDX expressions.
//!
//! Every stage names licenses through this module: catalogers normalize declared
//! licenses, detectors name their findings, verdicts read categories. It owns the
//! normalizer and the data compiled in from `license-db/`; it never reads files at run time
//! and knows nothing of scans.

pub mod db;
pub mod expr;
pub mod refs;

use std::collections::HashMap;
use std::sync::OnceLock;

/// A license as a manifest declares it: the text as written, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredLicense {
    /// What the manifest says, verbatim (joined with ` OR `/` AND ` when it is a list).
    pub raw: String,
    /// The SPDX expression, when the text could be understood.
    pub expression: Option<String>,
    /// True when the expression is a guess (plain "BSD", "GPL"), not an exact reading.
    pub inferred: bool,
}

impl DeclaredLicense {
    pub fn from_raw(raw: &str) -> Self {
        let n = normalize(raw);
        DeclaredLicense { raw: raw.trim().to_string(), expression: n.expression, inferred: n.inferred }
    }
}

/// The result of normalizing a license text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub expression: Option<String>,
    pub inferred: bool,
}

/// Lower-case SPDX id -> canonical id, for every license and exception on the SPDX list.
fn id_index() -> &'static HashMap<String, &'static str> {
    static INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        for l in spdx::identifiers::LICENSES {
            m.insert(l.name.to_ascii_lowercase(), l.name);
        }
        for e in spdx::identifiers::EXCEPTIONS {
            m.insert(e.name.to_ascii_lowercase(), e.name);
        }
        m
    })
}

/// The canonical current id for an id written in any case: SPDX ids, with deprecated GNU
/// forms (`GPL-2.0`, `GPL-2.0+`) mapped to `-only` / `-or-later`, and the ids of ScanCode's
/// LicenseDB (`LicenseRef-scancode-...`), with their other ids mapped to the current one.
pub fn canonical_id(token: &str) -> Option<String> {
    canonical_spdx_id(token).or_else(|| db::db().catalogue_id(token).map(str::to_string))
}

/// `canonical_id` for the SPDX list alone.
pub fn canonical_spdx_id(token: &str) -> Option<String> {
    let (base, plus) = match token.strip_suffix('+') {
        Some(b) => (b, true),
        None => (token, false),
    };
    let canon = *id_index().get(&base.to_ascii_lowercase())?;
    if let Some(lic) = spdx::license_id(canon)
        && lic.is_gnu()
    {
        // GPL-2.0, GPL-2.0+, GPL-2.0-only+: the SPDX list names these by -only/-or-later.
        let stem = canon.trim_end_matches("-only").trim_end_matches("-or-later");
        let or_later = plus || canon.ends_with("-or-later") || canon.ends_with('+');
        let stem = stem.trim_end_matches('+');
        if let Some(g) = spdx::gnu_license_id(stem, or_later) {
            return Some(g.name.to_string());
        }
    }
    if plus {
        // `Apache-2.0+` is a valid SPDX expression: the id, or any later version.
        return Some(format!("{canon}+"));
    }
    Some(canon.to_string())
}

/// Turn a license text as people write it into an SPDX expression.
///
/// Accepts SPDX expressions in any case (`mit or apache-2.0`), deprecated ids, `/` as
/// `OR`, the names and URLs of the alias table in `license-db/aliases.toml`, PyPI
/// classifiers, npm's legacy `{"type": ...}` objects, GNU short forms (`GPLv2+`), and the
/// imprecise names the `spdx` crate knows. Returns `expression: None` when the text is not
/// understood; it never guesses silently: a guess sets `inferred`.
pub fn normalize(raw: &str) -> Normalized {
    // Lockfiles repeat a handful of license strings across thousands of packages: each
    // thread remembers the ones it has normalized (a bounded memo, cleared when full).
    const MEMO_SIZE: usize = 4096;
    thread_local! {
        static MEMO: std::cell::RefCell<HashMap<String, Normalized>> = std::cell::RefCell::new(HashMap::new());
    }
    if let Some(n) = MEMO.with(|m| m.borrow().get(raw).cloned()) {
        return n;
    }
    let n = normalize_depth(raw, 0);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_SIZE {
            m.clear();
        }
        m.insert(raw.to_string(), n.clone());
    });
    n
}

const NOT_UNDERSTOOD: Normalized = Normalized { expression: None, inferred: false };

fn normalize_depth(raw: &str, depth: u8) -> Normalized {
    let text = raw.trim();
    if text.is_empty() || depth > 3 {
        return NOT_UNDERSTOOD;
    }
    if (text.starts_with('{') || text.starts_with('['))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(text)
    {
        return from_json(&v, depth);
    }
    // The alias table first: "MIT/X11" is one license, not `MIT OR X11`.
    if let Some((expr, inferred)) = db::db().alias(text)
        && let Some(e) = normalize_expression(expr)
    {
        return Normalized { expression: Some(e), inferred };
    }
    if let Some(expr) = normalize_expression(text) {
        return Normalized { expression: Some(expr), inferred: false };
    }
    if let Some(n) = by_name(text, depth) {
        return n;
    }
    if let Some(n) = composite(text, depth) {
        return n;
    }
    if let Some((id, _)) = spdx::imprecise_license_id(text) {
        return Normalized { expression: Some(id.name.to_string()), inferred: true };
    }
    NOT_UNDERSTOOD
}

/// npm's legacy forms: `{"type": "MIT", "url": ...}` and a list of them (a choice).
fn from_json(v: &serde_json::Value, depth: u8) -> Normalized {
    match v {
        serde_json::Value::String(s) => normalize_depth(s, depth + 1),
        serde_json::Value::Object(o) => {
            for key in ["type", "name", "license", "url"] {
                if let Some(serde_json::Value::String(s)) = o.get(key) {
                    let n = normalize_depth(s, depth + 1);
                    if n.expression.is_some() {
                        return n;
                    }
                }
            }
            NOT_UNDERSTOOD
        }
        serde_json::Value::Array(items) => {
            let parts: Vec<Normalized> = items.iter().map(|i| from_json(i, depth + 1)).collect();
            join(&parts, "OR").unwrap_or(NOT_UNDERSTOOD)
        }
        _ => NOT_UNDERSTOOD,
    }
}

/// Join understood parts with an operator; `None` if any part is not understood.
fn join(parts: &[Normalized], op: &str) -> Option<Normalized> {
    if parts.is_empty() {
        return None;
    }
    let mut exprs = Vec::new();
    for p in parts {
        let e = p.expression.as_deref()?;
        exprs.push(if e.contains(' ') { format!("({e})") } else { e.to_string() });
    }
    let expression = normalize_expression(&exprs.join(&format!(" {op} ")))?;
    Some(Normalized { expression: Some(expression), inferred: parts.iter().any(|p| p.inferred) })
}

/// A name, URL or classifier for one license (or a fixed combination in the alias table).
fn by_name(text: &str, depth: u8) -> Option<Normalized> {
    let db = db::db();
    let exact =
        |expr: &str, inferred: bool| normalize_expression(expr).map(|e| Normalized { expression: Some(e), inferred });
    if let Some((expr, inferred)) = db.alias(text) {
        return exact(expr, inferred);
    }
    // A ScanCode LicenseDB key (`ag-grid-enterprise`, `sencha-commercial`): one license each.
    if let Some(id) = db.catalogue_key(text) {
        return exact(id, false);
    }
    let lower = text.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("see license in").or_else(|| lower.strip_prefix("see licence in"))
        && !rest.trim().is_empty()
    {
        return exact(refs::SEE_LICENSE_FILE, false);
    }
    // PyPI classifiers: `License :: OSI Approved :: MIT License`.
    if lower.starts_with("license ::") {
        let last = text.rsplit("::").next().unwrap_or("").trim();
        if last.eq_ignore_ascii_case("OSI Approved") {
            return None;
        }
        return by_name(last, depth + 1).or_else(|| exact_or_none(last));
    }
    // URLs that carry the id: licenses.nuget.org/EXPR, opensource.org/licenses/ID, spdx.org/licenses/ID.
    let key = db::alias_key(text);
    for prefix in ["licenses.nuget.org/", "opensource.org/licenses/", "opensource.org/license/", "spdx.org/licenses/"] {
        if let Some(rest) = key.strip_prefix(prefix) {
            let decoded = rest.replace("%20", " ").replace("%28", "(").replace("%29", ")").replace('+', " ");
            let decoded = if prefix.starts_with("licenses.nuget") { decoded } else { rest.to_string() };
            return normalize_expression(&decoded).map(|e| Normalized { expression: Some(e), inferred: false });
        }
    }
    if let Some(n) = gnu_short_form(text) {
        return Some(n);
    }
    // "The X License", "X License", "X 2.0" (spaces for dashes).
    let mut stem = lower.trim().to_string();
    if let Some(s) = stem.strip_prefix("the ") {
        stem = s.to_string();
    }
    for suffix in [" license", " licence"] {
        if let Some(s) = stem.strip_suffix(suffix) {
            stem = s.trim().to_string();
        }
    }
    if stem != lower {
        if let Some((expr, inferred)) = db.alias(&stem) {
            return exact(expr, inferred);
        }
        if let Some(e) = exact_or_none(&stem) {
            return Some(e);
        }
    }
    if let Some(e) = canonical_id(&stem.split_whitespace().collect::<Vec<_>>().join("-")) {
        return exact(&e, false);
    }
    // "Mozilla Public License 2.0 (MPL 2.0)": the part in parentheses.
    if let (Some(open), true) = (text.rfind('('), text.ends_with(')')) {
        let inner = &text[open + 1..text.len() - 1];
        let outer = text[..open].trim();
        if depth < 3 {
            if let Some(n) = by_name(outer, depth + 1) {
                return Some(n);
            }
            return by_name(inner, depth + 1).or_else(|| exact_or_none(inner));
        }
    }
    None
}

fn exact_or_none(text: &str) -> Option<Normalized> {
    normalize_expression(text).map(|e| Normalized { expression: Some(e), inferred: false })
}

/// `GPLv2`, `GPL v3+`, `LGPLv2.1 or later`, `AGPL-3`: GNU licenses by their short names.
fn gnu_short_form(text: &str) -> Option<Normalized> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| {
            regex::Regex::new(
                r"(?i)^(a|l)?gpl\s*-?\s*v?\s*(\d)(?:\.(\d))?\s*(\+|-?\s*or[\s-]*later|or any later version|-?\s*only)?$",
            )
            .ok()
        })
        .as_ref()?;
    let c = re.captures(text.trim())?;
    let prefix = c.get(1).map(|m| m.as_str().to_ascii_uppercase()).unwrap_or_default();
    let major = c.get(2)?.as_str();
    let minor = c.get(3).map(|m| m.as_str()).unwrap_or("0");
    let later = c.get(4).is_some_and(|m| !m.as_str().to_ascii_lowercase().contains("only"));
    let id = format!("{prefix}GPL-{major}.{minor}-{}", if later { "or-later" } else { "only" });
    spdx::license_id(&id).map(|l| Normalized { expression: Some(l.name.to_string()), inferred: false })
}

/// `Apache 2.0 or MIT`, `MIT and BSD-3-Clause`: names joined by a word operator.
fn composite(text: &str, depth: u8) -> Option<Normalized> {
    if depth > 2 || text.contains('(') {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    for op in ["or", "and"] {
        let sep = format!(" {op} ");
        if !lower.contains(&sep) {
            continue;
        }
        let mut parts = Vec::new();
        let mut start = 0;
        for (i, _) in lower.match_indices(&sep) {
            parts.push(&text[start..i]);
            start = i + sep.len();
        }
        parts.push(&text[start..]);
        let normalized: Vec<Normalized> = parts.iter().map(|p| normalize_depth(p, depth + 1)).collect();
        return join(&normalized, &op.to_ascii_uppercase());
    }
    None
}

/// Parse `text` as an SPDX expression, case-insensitively, and print it canonically.
pub fn normalize_expression(text: &str) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let spaced = text.replace('(', " ( ").replace(')', " ) ").replace('/', " OR ");
    for tok in spaced.split_whitespace() {
        let word = match tok.to_ascii_uppercase().as_str() {
            "AND" | "OR" | "WITH" | "(" | ")" => tok.to_ascii_uppercase(),
            // `get`: a multi-byte character may straddle the prefix's length.
            _ if tok.len() > 11 && tok.get(..11).is_some_and(|p| p.eq_ignore_ascii_case("LicenseRef-")) => {
                match db::db().catalogue_id(tok) {
                    Some(id) => id.to_string(),
                    None => format!("LicenseRef-{}", &tok[11..]),
                }
            }
            _ if tok.len() > 12 && tok.get(..12).is_some_and(|p| p.eq_ignore_ascii_case("DocumentRef-")) => {
                tok.to_string()
            }
            _ => canonical_id(tok)?,
        };
        out.push(word);
    }
    let joined = out.join(" ").replace("( ", "(").replace(" )", ")");
    let parsed = spdx::Expression::parse_mode(&joined, spdx::ParseMode::LAX).ok()?;
    Some(parsed.to_string())
}

/// `A AND B` of distinct expressions, parenthesising compound parts; `None` for none.
pub fn and_all<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    join_distinct(parts, " AND ", |p| p.contains(" OR "))
}

/// `A OR B` of distinct expressions, parenthesising compound parts; `None` for none.
pub fn any_of<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    // A plain choice among the parts joins the others' choice: `MIT OR Unlicense` beside
    // `MIT` and `Unlicense` is one choice of two.
    let flat: Vec<&str> = parts
        .into_iter()
        .flat_map(|p| {
            let plain = !p.contains('(') && !p.contains(" AND ") && !p.contains(" WITH ");
            if plain { p.split(" OR ").collect::<Vec<_>>() } else { vec![p] }
        })
        .collect();
    join_distinct(flat, " OR ", |p| p.contains(' '))
}

fn join_distinct<'a>(parts: impl IntoIterator<Item = &'a str>, op: &str, compound: fn(&str) -> bool) -> Option<String> {
    let mut uniq: Vec<&str> = Vec::new();
    for p in parts {
        if !uniq.contains(&p) {
            uniq.push(p);
        }
    }
    match uniq.len() {
        0 => None,
        1 => Some(uniq[0].to_string()),
        _ => {
            uniq.sort_unstable();
            let joined = join_parts(&uniq, op, compound);
            normalize_expression(&joined).or(Some(joined))
        }
    }
}

/// Is the whole expression inside one pair of parentheses?
pub fn wrapped(p: &str) -> bool {
    if !(p.starts_with('(') && p.ends_with(')')) {
        return false;
    }
    let mut depth = 0i32;
    for (i, ch) in p.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && i + 1 < p.len() {
            return false;
        }
    }
    true
}

/// `parts` joined by `op` (`" AND "`, `" OR "`), each part that `compound` calls compound set
/// in parentheses unless it is wrapped in them already. The one joiner of expressions.
pub fn join_parts(parts: &[&str], op: &str, compound: impl Fn(&str) -> bool) -> String {
    parts
        .iter()
        .map(|p| if compound(p) && !wrapped(p) { format!("({p})") } else { (*p).to_string() })
        .collect::<Vec<_>>()
        .join(op)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_case_insensitive_and_deprecated_forms_map_to_current() {
        assert_eq!(normalize_expression("mit").as_deref(), Some("MIT"));
        assert_eq!(normalize_expression("gpl-2.0+").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(normalize_expression("GPL-3.0").as_deref(), Some("GPL-3.0-only"));
        assert_eq!(normalize_expression("LGPL-2.1-or-later").as_deref(), Some("LGPL-2.1-or-later"));
        assert_eq!(normalize_expression("MIT/Apache-2.0").as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(
            normalize_expression("(mit or apache-2.0) and bsd-3-clause").as_deref(),
            Some("(MIT OR Apache-2.0) AND BSD-3-Clause")
        );
        assert_eq!(
            normalize_expression("gpl-2.0-or-later with classpath-exception-2.0").as_deref(),
            Some("GPL-2.0-or-later WITH Classpath-exception-2.0")
        );
        assert_eq!(normalize_expression("LicenseRef-foo").as_deref(), Some("LicenseRef-foo"));
        assert_eq!(normalize_expression("not a license"), None);
    }

    #[test]
    fn a_guess_is_marked_inferred() {
        let n = normalize("GPL");
        assert!(n.inferred || n.expression.is_none(), "{n:?}");
        assert_eq!(normalize("").expression, None);
    }
}
