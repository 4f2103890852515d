//! The license vocabulary: turning what people write into SPDX expressions.
//!
//! Every stage names licenses through this module: catalogers normalize declared
//! licenses, detectors name their findings, verdicts read categories. It owns the
//! normalizer and the data compiled in from `license-db/`; it never reads files at run time
//! and knows nothing of scans.

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

/// The canonical current SPDX id for an id written in any case, with deprecated GNU
/// forms (`GPL-2.0`, `GPL-2.0+`) mapped to `-only` / `-or-later`.
pub fn canonical_id(token: &str) -> Option<String> {
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
/// `OR`, and the imprecise names the `spdx` crate knows. Returns `expression: None`
/// when the text is not understood; it never guesses silently: a guess sets `inferred`.
pub fn normalize(raw: &str) -> Normalized {
    let text = raw.trim();
    if text.is_empty() {
        return Normalized { expression: None, inferred: false };
    }
    if let Some(expr) = normalize_expression(text) {
        return Normalized { expression: Some(expr), inferred: false };
    }
    if let Some((id, _)) = spdx::imprecise_license_id(text) {
        return Normalized { expression: Some(id.name.to_string()), inferred: true };
    }
    Normalized { expression: None, inferred: false }
}

/// Parse `text` as an SPDX expression, case-insensitively, and print it canonically.
pub fn normalize_expression(text: &str) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    let spaced = text.replace('(', " ( ").replace(')', " ) ").replace('/', " OR ");
    for tok in spaced.split_whitespace() {
        let word = match tok.to_ascii_uppercase().as_str() {
            "AND" | "OR" | "WITH" | "(" | ")" => tok.to_ascii_uppercase(),
            _ if tok.len() > 11 && tok[..11].eq_ignore_ascii_case("LicenseRef-") => {
                format!("LicenseRef-{}", &tok[11..])
            }
            _ if tok.len() > 12 && tok[..12].eq_ignore_ascii_case("DocumentRef-") => tok.to_string(),
            _ => canonical_id(tok)?,
        };
        out.push(word);
    }
    let joined = out.join(" ").replace("( ", "(").replace(" )", ")");
    let parsed = spdx::Expression::parse_mode(&joined, spdx::ParseMode::LAX).ok()?;
    Some(parsed.to_string())
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
