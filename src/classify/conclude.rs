//! The concluded license of a component, by named rules, from its declared and detected
//! licenses and the policy's clarifications.
//!
//! Declared (manifest) and detected (files) stay in their own fields; this module only
//! writes the conclusion and the reasons for it. Where they disagree it says so and asks
//! for review; it never picks one side silently. It never changes what was found.

use crate::inventory::model::{Component, Diagnostic, Evidence, FileRecord, LicenseSource, Severity};
use crate::policy::{ClarificationTarget, Policy, PolicySet};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The assembly keeps at most this many evidence entries per detected expression; with
/// fewer, the list is complete.
const EVIDENCE_CAP: usize = 5;

const SEE_LICENSE_FILE: &str = "LicenseRef-kataster-see-license-file";
const UNKNOWN: &str = "LicenseRef-kataster-unknown";

/// The names of the rules that can conclude a license (`concluded_by`).
pub mod rule {
    /// A clarification in the policy, its pinned files unchanged.
    pub const CLARIFICATION: &str = "clarification";
    /// The declared license; no license found in the files.
    pub const DECLARED: &str = "declared";
    /// The declared license, and every license found in the files is covered by it.
    pub const DECLARED_CONFIRMED: &str = "declared-confirmed-by-files";
    /// Declared and detected disagree: both apply until someone reviews it.
    pub const CONFLICT: &str = "declared-detected-conflict";
    /// Nothing (understood) declared: the licenses found in the files, all of them.
    pub const DETECTED: &str = "detected";
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conclusion {
    pub expression: Option<String>,
    pub rule: Option<&'static str>,
    pub reasons: Vec<String>,
    pub needs_review: bool,
}

/// A file clarification that holds (the file's hash is the pinned one).
#[derive(Debug, Clone)]
pub struct FileClarification {
    pub license: String,
    pub reason: String,
}

/// Check every file clarification against the files found: those that hold, by (root,
/// path); a diagnostic for each that no longer holds or finds no file.
pub fn file_clarifications(
    policies: &PolicySet,
    files: &[FileRecord],
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<(String, String), FileClarification> {
    let mut out = HashMap::new();
    let mut check = |policy: &Policy, only_root: Option<&str>| {
        for c in &policy.clarifications {
            let ClarificationTarget::File { root, pin } = &c.target else { continue };
            let wanted_root = only_root.or(root.as_deref());
            let mut seen = false;
            for f in files.iter().filter(|f| f.path == pin.path && wanted_root.is_none_or(|r| r == f.root)) {
                seen = true;
                if f.sha256.as_deref() == Some(pin.sha256.as_str()) {
                    out.insert(
                        (f.root.clone(), f.path.clone()),
                        FileClarification { license: c.license.clone(), reason: c.reason.clone() },
                    );
                } else {
                    diagnostics.push(Diagnostic {
                        severity: Severity::Warning,
                        root: f.root.clone(),
                        path: f.path.clone(),
                        code: "clarification-stale".into(),
                        message: format!(
                            "the clarification `{}` in {} no longer applies: the file changed (sha256 {}, pinned {})",
                            c.license,
                            policy.source,
                            f.sha256.as_deref().unwrap_or("unknown"),
                            pin.sha256
                        ),
                    });
                }
            }
            if !seen {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    root: wanted_root.unwrap_or_default().to_string(),
                    path: pin.path.clone(),
                    code: "clarification-unused".into(),
                    message: format!("the clarification in {} names a file that was not found", policy.source),
                });
            }
        }
    };
    if let Some(p) = &policies.global {
        check(p, None);
    }
    for (label, p) in &policies.per_root {
        check(p, Some(label));
    }
    out
}

fn where_(e: &Evidence) -> String {
    match (e.start_line, e.end_line) {
        (Some(s), Some(t)) if t > s => format!("{}:{s}-{t}", e.path),
        (Some(s), _) if s > 0 => format!("{}:{s}", e.path),
        _ => e.path.clone(),
    }
}

fn source_word(s: LicenseSource) -> &'static str {
    match s {
        LicenseSource::Manifest => "manifest",
        LicenseSource::Lockfile => "lockfile",
        LicenseSource::Installed => "installed package",
        LicenseSource::LocalCache => "local package cache",
        LicenseSource::Registry => "registry",
        LicenseSource::Clarification => "clarification",
        LicenseSource::Files => "files",
    }
}

/// The license terms of an expression, as printed (`GPL-2.0-only WITH Classpath-exception-2.0`).
fn terms(expr: &str) -> BTreeSet<String> {
    spdx::Expression::parse_mode(expr, spdx::ParseMode::LAX)
        .map(|e| e.requirements().map(|r| r.req.to_string()).collect())
        .unwrap_or_default()
}

/// Can `detected` be satisfied using only licenses the declaration names? (`GPL-2.0+ OR
/// MIT` in a file of a crate declared `MIT` agrees; `GPL-3.0-only` does not.)
fn covered_by(detected: &str, declared: &BTreeSet<String>) -> bool {
    match spdx::Expression::parse_mode(detected, spdx::ParseMode::LAX) {
        Ok(e) => e.evaluate(|r| declared.contains(&r.to_string())),
        Err(_) => false,
    }
}

/// `A AND B` with parentheses where a part is compound.
fn and_all(parts: &[String]) -> Option<String> {
    let mut uniq: Vec<&String> = Vec::new();
    for p in parts {
        if !uniq.contains(&p) {
            uniq.push(p);
        }
    }
    match uniq.len() {
        0 => None,
        1 => Some(uniq[0].clone()),
        _ => {
            let joined = uniq
                .iter()
                .map(|p| if p.contains(" OR ") && !wrapped(p) { format!("({p})") } else { p.to_string() })
                .collect::<Vec<_>>()
                .join(" AND ");
            crate::license::normalize_expression(&joined).or(Some(joined))
        }
    }
}

/// Is the whole expression inside one pair of parentheses?
fn wrapped(p: &str) -> bool {
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

/// Conclude a component's license.
pub fn conclude(
    c: &Component,
    policy: Option<&Policy>,
    files: &HashMap<(&str, &str), &FileRecord>,
    clarified_files: &HashMap<(String, String), FileClarification>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Conclusion {
    let mut out = Conclusion::default();

    // 1. A clarification of the whole component, while its pinned files are unchanged.
    if let Some(p) = policy
        && let Some(cl) = p.clarifications.iter().find(|cl| cl.matches_component(c.purl.as_deref(), &c.id))
        && let ClarificationTarget::Component { pattern, pins, .. } = &cl.target
    {
        let mut stale = Vec::new();
        for pin in pins {
            let actual = files.get(&(c.root.as_str(), pin.path.as_str())).and_then(|f| f.sha256.as_deref());
            if actual != Some(pin.sha256.as_str()) {
                let what = match actual {
                    Some(h) => format!("changed (sha256 {h}, pinned {})", pin.sha256),
                    None => "is missing".to_string(),
                };
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    root: c.root.clone(),
                    path: pin.path.clone(),
                    code: "clarification-stale".into(),
                    message: format!(
                        "the clarification `{}` of {pattern} in {} no longer applies: the file {what}",
                        cl.license, p.source
                    ),
                });
                stale.push(format!("{} {what}", pin.path));
            }
        }
        if stale.is_empty() {
            out.expression = Some(cl.license.clone());
            out.rule = Some(rule::CLARIFICATION);
            let pinned = if pins.is_empty() {
                String::new()
            } else {
                format!(" (pinned to {})", pins.iter().map(|p| p.path.as_str()).collect::<Vec<_>>().join(", "))
            };
            out.reasons.push(format!("clarified as {} by {}{pinned}: {}", cl.license, p.source, cl.reason));
            return out;
        }
        out.needs_review = true;
        out.reasons.push(format!(
            "the clarification {} of {} no longer applies: {}",
            cl.license,
            p.source,
            stale.join("; ")
        ));
    }

    // 2. What the files say, with file clarifications applied.
    let mut detected: BTreeMap<String, Vec<&Evidence>> =
        c.detected_licenses.iter().map(|d| (d.clone(), Vec::new())).collect();
    for e in c.evidence.iter().filter(|e| e.source == LicenseSource::Files) {
        detected.entry(e.expression.clone()).or_default().push(e);
    }
    let mut effective: Vec<(String, Vec<String>)> = Vec::new();
    for (expr, evs) in &detected {
        let clarified: Vec<(&Evidence, &FileClarification)> = evs
            .iter()
            .filter_map(|e| clarified_files.get(&(c.root.clone(), e.path.clone())).map(|k| (*e, k)))
            .collect();
        for (e, k) in &clarified {
            out.reasons.push(format!("{} clarified as {} (found {expr}): {}", e.path, k.license, k.reason));
            effective.push((k.license.clone(), vec![e.path.clone()]));
        }
        let all_clarified = !evs.is_empty() && clarified.len() == evs.len() && evs.len() < EVIDENCE_CAP;
        if !all_clarified {
            effective.push((expr.clone(), evs.iter().map(|e| where_(e)).collect()));
        }
    }

    // 3. What the manifest says.
    let declared_ev = c.evidence.iter().find(|e| e.source != LicenseSource::Files);
    let declared_from = declared_ev
        .map(|e| format!("{} ({})", where_(e), source_word(e.source)))
        .unwrap_or_else(|| "the manifest".to_string());
    let mut declared = c.declared_license.clone();
    if let Some(raw) = &c.declared_license_raw {
        match &declared {
            None => {
                out.needs_review = true;
                out.reasons.push(format!("declared license `{raw}` in {declared_from} is not understood"));
            }
            Some(d) if crate::license::normalize(raw).inferred => {
                out.needs_review = true;
                out.reasons.push(format!("declared `{raw}` read as {d}: a guess, the text does not say which license"));
            }
            Some(_) => {}
        }
    }
    if declared.as_deref() == Some(SEE_LICENSE_FILE) {
        out.reasons.push(format!("{declared_from} refers to a license file instead of naming a license"));
        declared = None;
    }
    let (unknown, findings): (Vec<_>, Vec<_>) = effective.into_iter().partition(|(e, _)| e == UNKNOWN);
    for (_, paths) in &unknown {
        out.reasons.push(format!("unidentified license text in {}", paths.join(", ")));
    }

    match declared {
        Some(d) => {
            let declared_terms = terms(&d);
            let disagree: Vec<&(String, Vec<String>)> =
                findings.iter().filter(|(e, _)| !covered_by(e, &declared_terms)).collect();
            if findings.is_empty() {
                out.expression = Some(d.clone());
                out.rule = Some(rule::DECLARED);
                out.reasons.push(format!("declared {d} in {declared_from}; no license found in the files"));
            } else if disagree.is_empty() {
                out.expression = Some(d.clone());
                out.rule = Some(rule::DECLARED_CONFIRMED);
                out.reasons.push(format!("declared {d} in {declared_from}, confirmed by the files"));
            } else {
                let mut parts = vec![d.clone()];
                parts.extend(disagree.iter().map(|(e, _)| e.clone()));
                out.expression = and_all(&parts);
                out.rule = Some(rule::CONFLICT);
                out.needs_review = true;
                let found = disagree
                    .iter()
                    .map(|(e, paths)| if paths.is_empty() { e.clone() } else { format!("{e} ({})", paths.join(", ")) })
                    .collect::<Vec<_>>()
                    .join("; ");
                out.reasons.push(format!(
                    "conflict: {declared_from} declares {d} but the files say {found}; both apply until reviewed"
                ));
            }
        }
        None => {
            let mut parts: Vec<String> = findings.iter().map(|(e, _)| e.clone()).collect();
            if parts.is_empty() && !unknown.is_empty() {
                parts.push(UNKNOWN.to_string());
            }
            out.expression = and_all(&parts);
            if let Some(e) = &out.expression {
                out.rule = Some(rule::DETECTED);
                let paths: Vec<String> = findings.iter().flat_map(|(_, p)| p.iter().cloned()).take(5).collect();
                if paths.is_empty() {
                    out.reasons.push(format!("no license declared; found {e} in the files"));
                } else {
                    out.reasons.push(format!("no license declared; found {e} in {}", paths.join(", ")));
                }
            } else {
                out.needs_review = true;
                out.reasons.push("no license declared or found".to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_all_parenthesizes_only_choices() {
        let parts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            and_all(&parts(&["BSD-3-Clause AND BSD-2-Clause", "(MIT OR CC0-1.0)"])).as_deref(),
            Some("BSD-3-Clause AND BSD-2-Clause AND (MIT OR CC0-1.0)")
        );
        assert_eq!(
            and_all(&parts(&["MIT", "Apache-2.0 OR MIT", "MIT"])).as_deref(),
            Some("MIT AND (Apache-2.0 OR MIT)")
        );
        assert_eq!(and_all(&parts(&["MIT"])).as_deref(), Some("MIT"));
        assert!(!wrapped("(MIT) OR (Apache-2.0)"));
    }

    #[test]
    fn a_file_offering_the_declared_license_agrees() {
        let declared = terms("MIT");
        assert!(covered_by("GPL-2.0-or-later OR MIT", &declared));
        assert!(!covered_by("GPL-2.0-or-later AND MIT", &declared));
        assert!(covered_by("MIT", &terms("MIT OR Apache-2.0")));
        assert!(!covered_by("GPL-2.0-only", &terms("GPL-2.0-or-later")));
    }
}
