//! The findings of `kataster check` as text for a CI log: one block per finding with the
//! component, license, rule and evidence paths, then a count. Computes nothing new. Values
//! from the scanned files have their control characters escaped (the text goes to a terminal).

use kataster_model::model::{Decision, DiagnosticCode, EntitlementRule, Inventory, PolicyRule, Severity};
use kataster_model::output::terminal_field as safe;
use std::fmt::Write;

/// Diagnostics the policy produced (stale clarifications, expired exceptions, what became
/// of in-tree policy files under a central policy).
const POLICY_CODES: &[DiagnosticCode] = &[
    DiagnosticCode::ClarificationStale,
    DiagnosticCode::ClarificationUnused,
    DiagnosticCode::PolicyExceptionExpired,
    DiagnosticCode::PolicyProposalAccepted,
    DiagnosticCode::PolicyProposalIgnored,
    DiagnosticCode::PolicyProposalInvalid,
];

pub fn findings_text(inv: &Inventory, quiet: bool) -> String {
    let mut out = String::new();
    let mut findings: Vec<_> = inv.findings.iter().collect();
    // Denied first, then review, then what exceptions allowed; by component within each.
    findings.sort_by(|a, b| b.decision.cmp(&a.decision).then(a.component.cmp(&b.component)));
    for f in &findings {
        let word = match f.decision {
            Decision::Deny => "DENY",
            Decision::Review => "REVIEW",
            Decision::Allow => "ALLOW",
        };
        let who = match (&f.purl, &f.version) {
            (Some(p), _) => p.clone(),
            (None, Some(v)) => format!("{}@{v}", f.name),
            (None, None) => f.name.clone(),
        };
        let _ = writeln!(out, "{word:<7}{}  [{}]", safe(&who), safe(&f.component));
        let _ = writeln!(out, "       license:  {}", safe(f.license.as_deref().unwrap_or("none found")));
        let _ = writeln!(out, "       rule:     {}", safe(&f.rule.name()));
        let _ = writeln!(out, "       why:      {}", safe(&f.reason));
        if !f.paths.is_empty() {
            let _ = writeln!(out, "       evidence: {}", safe(&f.paths.join(", ")));
        }
    }
    for d in inv.diagnostics.iter().filter(|d| POLICY_CODES.contains(&d.code)) {
        let at = if d.path.is_empty() { d.root.clone() } else { format!("{}/{}", d.root, d.path) };
        let word = if d.severity == Severity::Info { "note" } else { "warning" };
        let _ = writeln!(out, "{word}: {}: {} ({})", safe(&at), safe(&d.message), d.code);
    }
    if !quiet {
        let count = |d: Decision| inv.findings.iter().filter(|f| f.decision == d).count();
        let _ = writeln!(
            out,
            "kataster check: {} denied, {} to review, {} allowed by exception; {} components",
            count(Decision::Deny),
            count(Decision::Review),
            inv.findings.iter().filter(|f| f.decision == Decision::Allow && f.rule.is_exception()).count(),
            inv.components.len()
        );
        if !inv.entitlements.is_empty() {
            let in_use = inv.entitlements.iter().filter(|e| !e.components.is_empty()).count();
            let licensed = inv
                .findings
                .iter()
                .filter(|f| matches!(f.rule, PolicyRule::Entitlement(EntitlementRule::Covered, _)))
                .count();
            let _ = writeln!(
                out,
                "kataster check: {} entitlements, {in_use} in use; {licensed} components allowed by entitlement",
                inv.entitlements.len()
            );
        }
    }
    out
}
