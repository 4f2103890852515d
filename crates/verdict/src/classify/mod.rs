//! Verdicts: each component's concluded license, its classification (category, open
//! source, copyleft, obligations, reasons) and the policy's decision on it.
//!
//! Owns the order of the verdict: conclusion by named rules (`conclude`), evaluation of the
//! expression (`expr`), the policy decision with exceptions, and the findings. It reads the
//! policy (`crate::policy`) and the license database; it never changes what was found
//! (declared and detected licenses, evidence, files) and never reads or writes files.

pub mod conclude;
pub mod explain;
pub mod summary;

use crate::policy::{Policy, PolicySet};
use kataster_model::license::db::{self, Category, Copyleft};
use kataster_model::license::expr::{self, DefaultJudge, Judge, Term};
use kataster_model::model::{
    Classification, Component, Decision, Diagnostic, DiagnosticCode, FileRecord, Finding, Inventory, LicenseSource,
    Method, OpenSource, PolicyRule, Severity,
};
use std::collections::{BTreeSet, HashMap};

/// Classify every component with the built-in default policy.
pub fn classify(inventory: &mut Inventory) {
    classify_with(inventory, &PolicySet::default(), today());
}

/// Today's date (UTC), against which exception expiry dates are checked.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Classify every component under the given policies and replace the findings.
pub fn classify_with(inv: &mut Inventory, policies: &PolicySet, today: time::Date) {
    inv.tool.license_db_version = db::version();
    // What became of in-tree policy files, for the roots of this inventory (a shard has some).
    let mut diagnostics: Vec<Diagnostic> =
        policies.diagnostics.iter().filter(|d| inv.scan.roots.iter().any(|r| r.label == d.root)).cloned().collect();
    let clarified = conclude::file_clarifications(policies, &inv.files, &mut diagnostics);
    let files: HashMap<(&str, &str), &kataster_model::model::FileRecord> =
        inv.files.iter().map(|f| ((f.root.as_str(), f.path.as_str()), f)).collect();
    // The copyright holder named most often in each component's files (ties: the first by name).
    let mut counts: HashMap<&str, std::collections::BTreeMap<&str, usize>> = HashMap::new();
    for f in &inv.files {
        if let Some(c) = &f.component {
            for h in f.copyrights.iter().flat_map(|k| k.holders.iter()) {
                *counts.entry(c.as_str()).or_default().entry(h.as_str()).or_default() += 1;
            }
        }
    }
    let holders: HashMap<String, String> = counts
        .into_iter()
        .filter_map(|(c, m)| {
            let best = m.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
            Some((c.to_string(), best.0.to_string()))
        })
        .collect();
    let mut findings = Vec::new();
    let mut expired_seen: BTreeSet<(String, String)> = BTreeSet::new();
    for c in &mut inv.components {
        let policy = policies.for_root(&c.root);
        let conclusion = conclude::conclude(c, policy, &files, &clarified, &mut diagnostics);
        c.concluded_license = conclusion.expression.clone();
        c.concluded_by = conclusion.rule.map(str::to_string);
        if conclusion.rule == Some(conclude::rule::CLARIFICATION)
            && !c.license_sources.contains(&LicenseSource::Clarification)
        {
            c.license_sources.push(LicenseSource::Clarification);
        }
        let judge: &dyn Judge = match policy {
            Some(p) => p,
            None => &DefaultJudge,
        };
        let mut v = verdict(c, &conclusion, judge);
        v.classification.vendor = vendor(c, &v, &files, &holders);
        c.classification = Some(v.classification.clone());
        if let Some(f) = decide(c, &v, policy, today, &mut diagnostics, &mut expired_seen) {
            findings.push(f);
        }
    }
    findings.sort_by(|a, b| a.component.cmp(&b.component));
    inv.findings = findings;
    inv.diagnostics.extend(diagnostics);
    inv.diagnostics.sort();
    inv.diagnostics.dedup();
}

/// A component's classification with what the decision needs.
struct ComponentVerdict {
    classification: Classification,
    decision: Decision,
    rule: PolicyRule,
    reason: String,
    license: Option<String>,
    /// License terms of the chosen license, for exceptions naming one.
    terms: Vec<String>,
}

fn verdict(c: &Component, conclusion: &conclude::Conclusion, judge: &dyn Judge) -> ComponentVerdict {
    let mut reasons = conclusion.reasons.clone();
    let evaluated = conclusion.expression.as_deref().map(|e| expr::evaluate(e, judge));
    match evaluated {
        Some(Ok(v)) => {
            reasons.extend(v.notes());
            reasons.extend(v.choices.iter().cloned());
            let deciding_category =
                v.terms.iter().find(|t| t.text == v.deciding_term).map(|t| t.category).unwrap_or(v.category);
            let unknown = v.category == Category::Unknown || v.terms.iter().any(|t| !t.known);
            let needs_review = conclusion.needs_review || unknown;
            // Open source: no as soon as one known term that applies is not; unknown while
            // a term is unknown; yes only when every term that applies is open source.
            let open_source = if v.terms.iter().any(|t| t.known && !t.open_source) {
                OpenSource::No
            } else if unknown {
                OpenSource::Unknown
            } else if v.open_source {
                OpenSource::Yes
            } else {
                OpenSource::No
            };
            // Discovered licenses beside the declared one add their obligations.
            let mut obligations = v.obligations.clone();
            for extra in &conclusion.adds {
                if let Ok(x) = expr::evaluate(extra, judge) {
                    obligations.extend(x.obligations);
                }
            }
            let (decision, rule, reason) = if conclusion.needs_review && v.decision == Decision::Allow {
                (Decision::Review, PolicyRule::NeedsReview, conclusion.reasons.join("; "))
            } else {
                (v.decision, PolicyRule::License(v.rule.clone()), format!("{} is {deciding_category}", v.deciding_term))
            };
            let reason = if conclusion.needs_review && v.decision != Decision::Allow {
                format!("{reason}; {}", conclusion.reasons.join("; "))
            } else {
                reason
            };
            ComponentVerdict {
                classification: Classification {
                    category: v.category,
                    open_source,
                    copyleft: v.copyleft,
                    obligations: obligations.iter().copied().collect(),
                    reasons,
                    needs_review,
                    chosen_license: Some(v.chosen.clone()),
                    vendor: None,
                },
                decision,
                rule,
                reason,
                license: Some(v.chosen.clone()),
                terms: v.terms.iter().flat_map(|t| [t.text.clone(), t.license.clone()]).collect(),
            }
        }
        other => {
            if let Some(Err(e)) = other {
                reasons.push(e);
            }
            let none = Term {
                text: "NOASSERTION".into(),
                license: "NOASSERTION".into(),
                exception: None,
                known: false,
                category: Category::Unknown,
                open_source: false,
                copyleft: Copyleft::None,
                obligations: BTreeSet::new(),
                notes: Vec::new(),
            };
            let j = judge.judge(&none);
            ComponentVerdict {
                classification: Classification {
                    category: Category::Unknown,
                    open_source: OpenSource::Unknown,
                    copyleft: Copyleft::None,
                    obligations: Vec::new(),
                    reasons: reasons.clone(),
                    needs_review: true,
                    chosen_license: None,
                    vendor: None,
                },
                decision: j.decision.max(Decision::Review),
                rule: if j.decision == Decision::Allow { PolicyRule::NeedsReview } else { PolicyRule::License(j.rule) },
                reason: reasons.join("; "),
                license: c.concluded_license.clone().or_else(|| c.declared_license_raw.clone()),
                terms: Vec::new(),
            }
        }
    }
}

/// Who sells or owns the license of a component that is not open source: the license
/// catalogue's owner of the chosen terms, else the package's supplier, else the copyright
/// holder named in the license file that declares it.
fn vendor(
    c: &Component,
    v: &ComponentVerdict,
    files: &HashMap<(&str, &str), &FileRecord>,
    holders: &HashMap<String, String>,
) -> Option<String> {
    let cat = v.classification.category;
    if !matches!(
        cat,
        Category::Commercial
            | Category::Proprietary
            | Category::SourceAvailable
            | Category::Freeware
            | Category::Unknown
    ) {
        return None;
    }
    let db = db::db();
    let owner = v.terms.iter().filter_map(|t| db.license(t).and_then(|e| e.owner.clone())).next();
    // The files that decided: the license files, else (nothing declared) the files whose
    // notices were discovered.
    let from_discovered = c.concluded_by.as_deref() == Some(conclude::rule::DISCOVERED);
    owner.or_else(|| c.supplier.clone()).or_else(|| {
        c.evidence
            .iter()
            .filter(|e| {
                (e.source.declares() && e.method != Method::Manifest)
                    || (from_discovered && e.source == LicenseSource::Files)
            })
            .filter_map(|e| files.get(&(c.root.as_str(), e.path.as_str())))
            .flat_map(|f| f.copyrights.iter())
            .flat_map(|k| k.holders.iter())
            .next()
            .cloned()
            // Else the copyright holder its files name most often.
            .or_else(|| holders.get(&c.id).cloned())
    })
}

/// The evidence paths of a finding on `c` (`path:line`, else its locations), at most ten.
pub(crate) fn evidence_paths(c: &Component) -> Vec<String> {
    let mut paths: Vec<String> = c
        .evidence
        .iter()
        .map(|e| match e.start_line {
            Some(l) if l > 0 => format!("{}:{l}", e.path),
            _ => e.path.clone(),
        })
        .collect();
    if paths.is_empty() {
        paths = c.locations.clone();
    }
    paths.sort();
    paths.dedup();
    paths.truncate(10);
    paths
}

fn decide(
    c: &Component,
    v: &ComponentVerdict,
    policy: Option<&Policy>,
    today: time::Date,
    diagnostics: &mut Vec<Diagnostic>,
    expired_seen: &mut BTreeSet<(String, String)>,
) -> Option<Finding> {
    let mut decision = v.decision;
    let mut rule = v.rule.clone();
    let mut reason = v.reason.clone();
    if decision != Decision::Allow
        && let Some(p) = policy
    {
        let matching = p.exceptions.iter().filter(|x| {
            x.matches(c.purl.as_deref(), &c.id)
                && x.license.as_ref().is_none_or(|l| v.terms.contains(l) || v.license.as_ref() == Some(l))
        });
        for x in matching {
            match x.expires {
                Some(d) if d < today => {
                    reason = format!("{reason}; the exception for {} expired on {d}", x.pattern);
                    if expired_seen.insert((p.source.clone(), x.pattern.clone())) {
                        diagnostics.push(Diagnostic {
                            severity: Severity::Warning,
                            root: c.root.clone(),
                            path: String::new(),
                            code: DiagnosticCode::PolicyExceptionExpired,
                            message: format!(
                                "the exception for {} in {} expired on {d}: {}",
                                x.pattern, p.source, x.reason
                            ),
                        });
                    }
                }
                _ => {
                    decision = Decision::Allow;
                    rule = PolicyRule::Exception(x.pattern.clone());
                    reason = match x.expires {
                        Some(d) => format!("{} (until {d}; was: {reason})", x.reason),
                        None => format!("{} (was: {reason})", x.reason),
                    };
                    break;
                }
            }
        }
    }
    if decision == Decision::Allow && !rule.is_exception() {
        return None;
    }
    let paths = evidence_paths(c);
    Some(Finding {
        component: c.id.clone(),
        name: c.name.clone(),
        version: c.version.clone(),
        purl: c.purl.clone(),
        license: v.license.clone(),
        decision,
        rule,
        reason,
        paths,
    })
}
