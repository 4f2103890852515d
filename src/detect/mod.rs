//! License evidence in text: pure functions from a file's text to findings.
//!
//! Owns: `SPDX-License-Identifier` tags (and, as the detectors grow, full texts,
//! notices, references, proprietary markers and copyright statements). Every finding
//! carries its lines, method, confidence and the rule that matched. Detectors never read
//! files, never look at a file's name to invent a finding, and never panic on input.

use crate::inventory::model::{Copyright, LicenseFinding, Method};

/// What the detectors found in one file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FileEvidence {
    pub licenses: Vec<LicenseFinding>,
    pub copyrights: Vec<Copyright>,
}

/// Search a file's text for license evidence. `path` (relative, `/`-separated) is a hint
/// for how to read the text (a LICENSE file, a source file), never a finding by itself.
pub fn detect(_path: &str, text: &str) -> FileEvidence {
    let mut ev = FileEvidence::default();
    if !might_hold_license(text.as_bytes()) {
        return ev;
    }
    ev.licenses.extend(tags(text));
    ev
}

/// Cheap prefilter: does the text contain anything license-like at all?
pub fn might_hold_license(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"SPDX-License-Identifier").is_some()
        || memchr::memmem::find(bytes, b"icense").is_some()
        || memchr::memmem::find(bytes, b"ICENSE").is_some()
        || memchr::memmem::find(bytes, b"opyright").is_some()
        || memchr::memmem::find(bytes, b"ights reserved").is_some()
}

/// `SPDX-License-Identifier:` tags in any comment style.
pub fn tags(text: &str) -> Vec<LicenseFinding> {
    const TAG: &str = "SPDX-License-Identifier:";
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find(TAG) else { continue };
        let value = clean_tag_value(&line[pos + TAG.len()..]);
        if value.is_empty() {
            continue;
        }
        let Some(expression) = crate::license::normalize_expression(value) else { continue };
        let n = i as u32 + 1;
        out.push(LicenseFinding {
            expression,
            start_line: n,
            end_line: n,
            method: Method::Tag,
            confidence: 1.0,
            rule: "spdx-license-identifier".to_string(),
        });
    }
    out
}

/// Strip comment closers and trailing punctuation from a tag's value.
fn clean_tag_value(v: &str) -> &str {
    let mut v = v.trim();
    for closer in ["*/", "-->", "--%>", "#}", "%>", "\"\"\"", "'''"] {
        if let Some(s) = v.strip_suffix(closer) {
            v = s.trim_end();
        }
    }
    v.trim_end_matches([',', ';', '"', '\'']).trim()
}

/// Combine the findings of a file into one expression: distinct expressions joined by AND.
pub fn combine(findings: &[LicenseFinding]) -> Option<String> {
    let mut exprs: Vec<&str> = findings.iter().map(|f| f.expression.as_str()).collect();
    exprs.sort_unstable();
    exprs.dedup();
    match exprs.len() {
        0 => None,
        1 => Some(exprs[0].to_string()),
        _ => Some(
            exprs
                .iter()
                .map(|e| if e.contains(' ') { format!("({e})") } else { e.to_string() })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_in_comment_styles() {
        let t = "// SPDX-License-Identifier: MIT\n/* SPDX-License-Identifier: apache-2.0 */\n# SPDX-License-Identifier: GPL-2.0+\n<!-- SPDX-License-Identifier: BSD-3-Clause -->\n";
        let f = tags(t);
        let e: Vec<_> = f.iter().map(|f| (f.expression.as_str(), f.start_line)).collect();
        assert_eq!(e, vec![("MIT", 1), ("Apache-2.0", 2), ("GPL-2.0-or-later", 3), ("BSD-3-Clause", 4)]);
    }

    #[test]
    fn combine_joins_distinct_with_and() {
        let mk = |e: &str| LicenseFinding {
            expression: e.into(),
            start_line: 1,
            end_line: 1,
            method: Method::Tag,
            confidence: 1.0,
            rule: String::new(),
        };
        assert_eq!(combine(&[mk("MIT"), mk("MIT")]).as_deref(), Some("MIT"));
        assert_eq!(combine(&[mk("MIT"), mk("Apache-2.0 OR MIT")]).as_deref(), Some("(Apache-2.0 OR MIT) AND MIT"));
        assert_eq!(combine(&[]), None);
    }
}
