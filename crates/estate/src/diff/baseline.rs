//! Baselines (`kataster check --baseline OLD.json`): a merge request fails only on policy
//! findings the baseline does not already have.
//!
//! Owns: splitting the current findings into those the baseline knows and those it does
//! not, with the identity of [`super::finding_keys`] (component without version, license,
//! decision). It never evaluates the policy and never reads files; the caller decides
//! which decisions fail.

use kataster_model::model::Finding;

/// The current findings, split by whether the baseline has them.
#[derive(Debug, Default, PartialEq)]
pub struct BaselineOutcome<'a> {
    /// Findings the baseline does not have: these fail the check.
    pub new: Vec<&'a Finding>,
    /// Findings the baseline has already: reported, but they do not fail the check.
    pub known: Vec<&'a Finding>,
}

impl BaselineOutcome<'_> {
    /// Whether any new finding fails by `fails` (e.g. a denial, or with `--fail-on review`
    /// a review item).
    pub fn fails(&self, fails: impl Fn(&Finding) -> bool) -> bool {
        self.new.iter().any(|f| fails(f))
    }
}

/// Split `current` by what `baseline` holds. A finding counted once in the baseline excuses
/// one finding now: a second copy of a denied package is new.
pub fn against_baseline<'a>(baseline: &[Finding], current: &'a [Finding]) -> BaselineOutcome<'a> {
    let (new, _) = super::compare_findings(baseline, current);
    let mut known = Vec::new();
    let mut fresh = Vec::new();
    // Keep the current order in both lists.
    let new: std::collections::HashSet<*const Finding> = new.into_iter().map(|f| f as *const Finding).collect();
    let is_new = |f: &Finding| new.contains(&(f as *const Finding));
    for f in current {
        if is_new(f) { fresh.push(f) } else { known.push(f) }
    }
    BaselineOutcome { new: fresh, known }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kataster_model::model::Decision;

    fn finding(component: &str, version: Option<&str>, license: &str, decision: Decision) -> Finding {
        Finding {
            component: component.into(),
            name: component.rsplit('/').next().unwrap_or(component).into(),
            version: version.map(str::to_string),
            purl: None,
            license: Some(license.into()),
            decision,
            rule: kataster_model::model::PolicyRule::License("default".into()),
            reason: "test".into(),
            paths: vec![],
        }
    }

    #[test]
    fn only_findings_the_baseline_lacks_fail() {
        let baseline = vec![
            finding("app:pkg:npm/left-pad@1.0.0", Some("1.0.0"), "WTFPL", Decision::Review),
            finding("app:pkg:cargo/gpl-thing@0.1.0", Some("0.1.0"), "GPL-3.0-only", Decision::Deny),
        ];
        let current = vec![
            // Known: same component, license and decision, even at a new version.
            finding("app:pkg:cargo/gpl-thing@0.2.0", Some("0.2.0"), "GPL-3.0-only", Decision::Deny),
            // New: the review became a denial.
            finding("app:pkg:npm/left-pad@1.0.0", Some("1.0.0"), "WTFPL", Decision::Deny),
            // New: a component the baseline never saw.
            finding("app:pkg:npm/ee@2.0.0", Some("2.0.0"), "LicenseRef-proprietary", Decision::Review),
        ];
        let out = against_baseline(&baseline, &current);
        assert_eq!(out.known, vec![&current[0]]);
        assert_eq!(out.new, vec![&current[1], &current[2]]);
        assert!(out.fails(|f| f.decision == Decision::Deny));
        // With only the review item new, a gate on denials passes.
        let out = against_baseline(&baseline, &current[2..]);
        assert!(!out.fails(|f| f.decision == Decision::Deny));
        assert!(out.fails(|f| f.decision >= Decision::Review));
    }

    #[test]
    fn a_license_change_or_a_second_copy_is_new() {
        let baseline = vec![finding("a:pkg:cargo/x@1.0.0", Some("1.0.0"), "GPL-2.0-only", Decision::Deny)];
        let changed = vec![finding("a:pkg:cargo/x@1.0.0", Some("1.0.0"), "AGPL-3.0-only", Decision::Deny)];
        assert_eq!(against_baseline(&baseline, &changed).new.len(), 1);
        let two = vec![
            finding("a:pkg:cargo/x@1.0.0", Some("1.0.0"), "GPL-2.0-only", Decision::Deny),
            finding("a:pkg:cargo/x@2.0.0", Some("2.0.0"), "GPL-2.0-only", Decision::Deny),
        ];
        let out = against_baseline(&baseline, &two);
        // The exact match is the known one; the other copy is new.
        assert_eq!(out.known, vec![&two[0]]);
        assert_eq!(out.new, vec![&two[1]]);
        assert!(against_baseline(&two, &baseline).new.is_empty());
        assert!(against_baseline(&[], &[]).new.is_empty());
    }
}
