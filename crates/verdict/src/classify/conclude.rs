//! The concluded license of a component, by named rules, from its declared and detected
//! licenses and the policy's clarifications.
//!
//! Declared (manifest) and detected (files) stay in their own fields; this module only
//! writes the conclusion and the reasons for it. Where they disagree it says so and asks
//! for review; it never picks one side silently. It never changes what was found.

use crate::policy::{ClarificationTarget, Policy, PolicySet};
use kataster_model::license::db::{Category, Copyleft};
use kataster_model::model::{
    Component, Diagnostic, DiagnosticCode, Evidence, FileRecord, LicenseSource, Method, Severity,
};
use kataster_model::scopes::SEE_LICENSE_FILE;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The assembly keeps at most this many evidence entries per detected expression; with
/// fewer, the list is complete.
const EVIDENCE_CAP: usize = 5;

use kataster_model::license::refs::UNKNOWN;

/// The names of the rules that can conclude a license (`concluded_by`).
pub mod rule {
    /// A clarification in the policy, its pinned files unchanged.
    pub const CLARIFICATION: &str = "clarification";
    /// The manifest's declaration; no license file in its scope.
    pub const DECLARED: &str = "declared";
    /// The manifest's declaration, and the license files of its scope say the same.
    pub const DECLARED_CONFIRMED: &str = "declared-confirmed-by-license-file";
    /// The manifest and the license files of its scope disagree: the manifest's
    /// declaration stands, and the component goes to review.
    pub const CONFLICT: &str = "declared-license-file-conflict";
    /// The manifest names only a kind of license (`Commercial`, `Proprietary`); the license
    /// file of its scope names which one, of that kind: the license file's.
    pub const DECLARED_REFINED: &str = "declared-refined-by-license-file";
    /// No (understood) manifest declaration: the license files of the component's scope.
    pub const LICENSE_FILE: &str = "license-file";
    /// Nothing declared: what the component's files say (headers, tags, banners).
    pub const DISCOVERED: &str = "discovered";
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conclusion {
    pub expression: Option<String>,
    pub rule: Option<&'static str>,
    pub reasons: Vec<String>,
    pub needs_review: bool,
    /// Discovered licenses that apply beside the concluded one (their obligations add up).
    pub adds: Vec<String>,
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
                        code: DiagnosticCode::ClarificationStale,
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
                    code: DiagnosticCode::ClarificationUnused,
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
        LicenseSource::LicenseFile => "license file",
        LicenseSource::Reuse => "REUSE",
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

fn and_all(parts: &[String]) -> Option<String> {
    kataster_model::license::and_all(parts.iter().map(String::as_str))
}

/// What an expression is, under the default judgement: its category and copyleft reach.
fn nature(expr: &str) -> Option<(Category, Copyleft)> {
    kataster_model::license::expr::evaluate(expr, &kataster_model::license::expr::DefaultJudge).ok().map(|v| {
        let unknown = v.terms.iter().any(|t| !t.known);
        (if unknown { Category::Unknown } else { v.category }, v.copyleft)
    })
}

/// Categories a discovered license cannot add to an open declaration without review.
fn restrictive(c: Category) -> bool {
    matches!(
        c,
        Category::Freeware
            | Category::SourceAvailable
            | Category::Commercial
            | Category::Proprietary
            | Category::Unknown
    )
}

/// A declaration that names a kind of license rather than a license (`"license":
/// "Commercial"`), refined by a license file `s` that names a license of that kind.
fn refines(declared: &str, s: &str) -> bool {
    let kind_of = |cat: Category| match declared {
        kataster_model::license::refs::COMMERCIAL | kataster_model::license::refs::PROPRIETARY => {
            matches!(cat, Category::Commercial | Category::Proprietary | Category::SourceAvailable | Category::Freeware)
        }
        _ => false,
    };
    s != declared && !terms(s).contains(UNKNOWN) && nature(s).is_some_and(|(cat, _)| kind_of(cat))
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
                    code: DiagnosticCode::ClarificationStale,
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
        c.discovered_licenses.iter().map(|d| (d.clone(), Vec::new())).collect();
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

    // 3. What is declared: the manifest, and the license files of the component's scope.
    let manifest_ev = c.evidence.iter().find(|e| e.source.declares() && e.method == Method::Manifest);
    let declared_from = manifest_ev
        .map(|e| format!("{} ({})", where_(e), source_word(e.source)))
        .unwrap_or_else(|| "the manifest".to_string());
    let scope_evs: Vec<&Evidence> =
        c.evidence.iter().filter(|e| e.source.declares() && e.method != Method::Manifest).collect();
    let mut scope_paths: Vec<String> = scope_evs.iter().map(|e| e.path.clone()).collect();
    scope_paths.dedup();
    let scope_from = if scope_paths.is_empty() { "the license files".to_string() } else { scope_paths.join(", ") };
    let mut manifest = c.declared_license.clone();
    let mut guessed = false;
    if let Some(raw) = &c.declared_license_raw {
        match &manifest {
            None if c.scope_license.is_none() => {
                out.needs_review = true;
                out.reasons.push(format!("declared license `{raw}` in {declared_from} is not understood"));
            }
            None => out.reasons.push(format!("declared license `{raw}` in {declared_from} is not understood")),
            Some(d) if kataster_model::license::normalize(raw).inferred => {
                guessed = true;
                if c.scope_license.is_none() {
                    out.needs_review = true;
                    out.reasons
                        .push(format!("declared `{raw}` read as {d}: a guess, the text does not say which license"));
                }
            }
            Some(_) => {}
        }
    }
    if manifest.as_deref() == Some(SEE_LICENSE_FILE) {
        out.reasons.push(format!("{declared_from} points to a license file instead of naming a license"));
        manifest = None;
    }
    // A license file clarified by the policy reads as the clarification says.
    let mut scope = c.scope_license.clone();
    if scope_evs.iter().any(|e| clarified_files.contains_key(&(c.root.clone(), e.path.clone()))) {
        let mut parts: Vec<String> = Vec::new();
        for e in &scope_evs {
            match clarified_files.get(&(c.root.clone(), e.path.clone())) {
                Some(k) => {
                    out.reasons
                        .push(format!("{} clarified as {} (found {}): {}", e.path, k.license, e.expression, k.reason));
                    parts.push(k.license.clone());
                }
                None => parts.push(e.expression.clone()),
            }
        }
        scope = and_all(&parts);
    }
    let declared: Option<String> = match (manifest, scope) {
        (Some(m), Some(s)) if guessed => {
            out.rule = Some(rule::LICENSE_FILE);
            out.reasons.push(format!(
                "{declared_from} declares `{}` (read as {m}, a guess); the license file {scope_from} says {s}",
                c.declared_license_raw.as_deref().unwrap_or(&m)
            ));
            Some(s)
        }
        (Some(m), Some(s)) if refines(&m, &s) => {
            out.rule = Some(rule::DECLARED_REFINED);
            out.reasons.push(format!(
                "{declared_from} declares {m}, a kind of license; the license file {scope_from} names which: {s}"
            ));
            Some(s)
        }
        (Some(m), Some(s)) => {
            let m_terms = terms(&m);
            // Several license files in one folder offer a choice: one that the manifest
            // names is agreement enough.
            let agree = scope_evs.iter().any(|e| e.expression == UNKNOWN || covered_by(&e.expression, &m_terms));
            let disagree: Vec<&&Evidence> = if agree {
                Vec::new()
            } else {
                scope_evs.iter().filter(|e| !covered_by(&e.expression, &m_terms)).collect()
            };
            if disagree.is_empty() {
                out.rule = Some(rule::DECLARED_CONFIRMED);
                out.reasons.push(format!("declared {m} in {declared_from}; the license file {scope_from} agrees"));
            } else {
                out.rule = Some(rule::CONFLICT);
                out.needs_review = true;
                // The license file's obligations count until the conflict is reviewed.
                out.adds.push(s.clone());
                let what = disagree.iter().map(|e| where_(e)).collect::<Vec<_>>();
                out.reasons.push(format!(
                    "conflict: {declared_from} declares {m} but the license file says {s} ({}); the manifest's declaration stands until reviewed",
                    what.join(", ")
                ));
            }
            Some(m)
        }
        (Some(m), None) => {
            out.rule = Some(rule::DECLARED);
            out.reasons.push(format!("declared {m} in {declared_from}"));
            Some(m)
        }
        (None, Some(s)) => {
            out.rule = Some(rule::LICENSE_FILE);
            out.reasons.push(format!("the license file {scope_from} says {s}"));
            Some(s)
        }
        (None, None) => None,
    };
    if declared.as_deref().is_some_and(|d| terms(d).contains(UNKNOWN)) {
        out.needs_review = true;
        out.reasons.push(format!("the license text in {scope_from} is not identified: read it"));
    }

    // 4. What the files discovered: never replaces the declaration; adds obligations, and
    // sends to review what the declaration does not allow.
    let (pointers, effective): (Vec<_>, Vec<_>) = effective.into_iter().partition(|(e, _)| e == SEE_LICENSE_FILE);
    for (_, paths) in &pointers {
        out.reasons.push(format!("unresolved pointer to a license file in {} (decides nothing)", paths.join(", ")));
    }
    let (unknown, findings): (Vec<_>, Vec<_>) = effective.into_iter().partition(|(e, _)| e == UNKNOWN);
    for (_, paths) in &unknown {
        out.reasons.push(format!("unidentified license text in {}", paths.join(", ")));
    }
    match declared {
        Some(d) => {
            let d_terms = terms(&d);
            let d_copyleft = nature(&d).map(|n| n.1).unwrap_or(Copyleft::None);
            if !unknown.is_empty() {
                out.needs_review = true;
            }
            let mut confirmed = Vec::new();
            for (e, paths) in &findings {
                let at = if paths.is_empty() { String::new() } else { format!(" in {}", paths.join(", ")) };
                if covered_by(e, &d_terms) {
                    confirmed.push(e.clone());
                    continue;
                }
                match nature(e) {
                    Some((cat, cl)) if !restrictive(cat) && cl <= d_copyleft.max(Copyleft::File) => {
                        out.adds.push(e.clone());
                        out.reasons.push(format!("discovered {e}{at}: its obligations apply too"));
                    }
                    Some((cat, _)) => {
                        // Its obligations count until someone has reviewed that code.
                        if cat != Category::Unknown {
                            out.adds.push(e.clone());
                        }
                        out.needs_review = true;
                        out.reasons.push(format!(
                            "discovered {e} ({cat}){at}: not covered by the declared {d}; review that code"
                        ));
                    }
                    None => {
                        out.needs_review = true;
                        out.reasons.push(format!("discovered `{e}`{at}: not understood; review that code"));
                    }
                }
            }
            if !confirmed.is_empty() {
                out.reasons.push(format!("the files agree ({})", confirmed.join(", ")));
            }
            out.expression = Some(d);
        }
        None => {
            let mut parts: Vec<String> = findings.iter().map(|(e, _)| e.clone()).collect();
            if parts.is_empty() && !unknown.is_empty() {
                parts.push(UNKNOWN.to_string());
            }
            out.expression = and_all(&parts);
            if let Some(e) = &out.expression {
                out.rule = Some(rule::DISCOVERED);
                let paths: Vec<String> = findings.iter().flat_map(|(_, p)| p.iter().cloned()).take(5).collect();
                if paths.is_empty() {
                    out.reasons.push(format!("no license declared; discovered {e} in the files"));
                } else {
                    out.reasons.push(format!("no license declared; discovered {e} in {}", paths.join(", ")));
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
    fn a_file_offering_the_declared_license_agrees() {
        let declared = terms("MIT");
        assert!(covered_by("GPL-2.0-or-later OR MIT", &declared));
        assert!(!covered_by("GPL-2.0-or-later AND MIT", &declared));
        assert!(covered_by("MIT", &terms("MIT OR Apache-2.0")));
        assert!(!covered_by("GPL-2.0-only", &terms("GPL-2.0-or-later")));
    }

    #[test]
    fn a_license_file_names_which_commercial_license_a_manifest_means() {
        // ag-grid-enterprise: `"license": "Commercial"` and the AG Grid EULA in LICENSE.html.
        assert!(refines("LicenseRef-kataster-commercial", "LicenseRef-scancode-ag-grid-enterprise"));
        assert!(refines("LicenseRef-kataster-proprietary", "LicenseRef-scancode-telerik-eula"));
        // An open license beside a commercial declaration is a conflict, not a refinement.
        assert!(!refines("LicenseRef-kataster-commercial", "GPL-3.0-only"));
        assert!(!refines("LicenseRef-kataster-commercial", "LicenseRef-kataster-unknown"));
        // A declaration that names a license is not refined by anything.
        assert!(!refines("MIT", "LicenseRef-scancode-ag-grid-enterprise"));
    }
}
