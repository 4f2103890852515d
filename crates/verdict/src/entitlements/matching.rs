//! Matching the register against a classified inventory.
//!
//! Every commercial or proprietary component (a dependency or vendored code; the estate's
//! own projects need no license) is matched to the entitlements that cover it. A component
//! covered by a valid entitlement has its license finding allowed with the rule
//! `entitlement: ID`; one without an entitlement gets `entitlement-missing`, one covered
//! only by an expired or not yet valid entitlement `entitlement-expired: ID`, at the levels of
//! the policy's `[entitlements]`. Entitlements themselves get findings when they run out
//! within the window (`entitlement-expiring`), when more repositories or departments use them
//! than the quantity allows (`entitlement-over-quantity`) and when nothing uses them
//! (`entitlement-unused`); their finding's component is `entitlement:ID`. Policy exceptions
//! excuse these findings as they excuse license findings.

use super::register::{Cover, Entitlement, Register};
use crate::policy::{EntitlementRules, Policy, PolicySet};
use kataster_model::license::db::Category;
use kataster_model::model::{ComponentKind, Decision, EntitlementRule, EntitlementUse, Finding, Inventory, PolicyRule};
use std::collections::{BTreeSet, HashMap};

/// The prefix of the component of an entitlement's own findings.
pub const COMPONENT_PREFIX: &str = "entitlement:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Validity {
    Valid,
    Expiring,
    Expired,
    NotYetValid,
}

impl Validity {
    fn as_str(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Expiring => "expiring",
            Validity::Expired => "expired",
            Validity::NotYetValid => "not-yet-valid",
        }
    }

    fn covers(self) -> bool {
        matches!(self, Validity::Valid | Validity::Expiring)
    }
}

fn validity(e: &Entitlement, today: time::Date, window_days: i64) -> Validity {
    match (e.valid_from, e.valid_until) {
        (Some(f), _) if f > today => Validity::NotYetValid,
        (_, Some(u)) if u < today => Validity::Expired,
        (_, Some(u)) if (u - today).whole_days() <= window_days => Validity::Expiring,
        _ => Validity::Valid,
    }
}

/// The purl without its version (`pkg:npm/highcharts@13.1.1` to `pkg:npm/highcharts`).
fn versionless(purl: &str) -> &str {
    let name_start = purl.rfind('/').map_or(0, |i| i + 1);
    match purl[name_start..].find('@') {
        Some(i) => &purl[..name_start + i],
        None => purl.split(['?', '#']).next().unwrap_or(purl),
    }
}

fn license_terms(license: &str) -> BTreeSet<String> {
    license
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH"))
        .map(|t| t.trim_end_matches('+').to_ascii_lowercase())
        .collect()
}

fn covers(e: &Entitlement, purl: Option<&str>, id: &str, terms: &BTreeSet<String>) -> bool {
    e.covers.iter().any(|c| match c {
        Cover::Pattern { matcher, .. } => {
            matcher.is_match(id) || purl.is_some_and(|p| matcher.is_match(p) || matcher.is_match(versionless(p)))
        }
        Cover::License(l) => terms.contains(&l.to_ascii_lowercase()),
    })
}

/// The `[entitlements]` levels for findings that belong to no root: those of `--policy`,
/// else of the only policy in the run, else the built-in ones.
fn register_policy(policies: &PolicySet) -> Option<&Policy> {
    policies
        .global
        .as_ref()
        .or_else(|| (policies.per_root.len() == 1).then(|| policies.per_root.values().next()).flatten())
}

fn rules_of(policy: Option<&Policy>) -> EntitlementRules {
    policy.map(|p| p.entitlements).unwrap_or_default()
}

/// The exception of `policy` that excuses `purl`/`id` (for `license`) today, if any.
fn exception<'a>(
    policy: Option<&'a Policy>,
    purl: Option<&str>,
    id: &str,
    license: Option<&str>,
    today: time::Date,
) -> Option<&'a crate::policy::Exception> {
    policy?.exceptions.iter().find(|x| {
        x.matches(purl, id)
            && x.expires.is_none_or(|d| d >= today)
            && x.license.as_deref().is_none_or(|l| {
                license.is_some_and(|have| license_terms(have).contains(&l.to_ascii_lowercase()) || have == l)
            })
    })
}

fn describe(e: &Entitlement) -> String {
    let mut s = format!("{} {} ({})", e.vendor, e.product, e.id);
    if let Some(c) = &e.contract
        && *c != e.id
    {
        s.push_str(&format!(", contract {c}"));
    }
    s
}

/// Match the register against the classified inventory: adjust and add findings, fill
/// `inv.entitlements`. Call before the estate roll-up so that findings count per repository.
pub fn apply(inv: &mut Inventory, register: &Register, policies: &PolicySet, today: time::Date) {
    let register_rules = rules_of(register_policy(policies));
    let department_of: HashMap<&str, &str> =
        inv.repositories.iter().filter_map(|r| r.department.as_deref().map(|d| (r.name.as_str(), d))).collect();
    let estate = !inv.repositories.is_empty();
    let validities: Vec<Validity> =
        register.entitlements.iter().map(|e| validity(e, today, register_rules.expiring_within_days)).collect();
    let mut uses: Vec<(BTreeSet<String>, BTreeSet<String>, BTreeSet<String>)> =
        vec![Default::default(); register.entitlements.len()];
    let mut findings: HashMap<String, Finding> = inv.findings.drain(..).map(|f| (f.component.clone(), f)).collect();
    for c in &inv.components {
        if matches!(c.kind, ComponentKind::Project | ComponentKind::Files) {
            continue;
        }
        let Some(k) = &c.classification else { continue };
        let license = k.chosen_license.clone().or_else(|| c.concluded_license.clone());
        let terms = license.as_deref().map(license_terms).unwrap_or_default();
        let dept = department_of.get(c.root.as_str()).copied();
        let matching: Vec<usize> = register
            .entitlements
            .iter()
            .enumerate()
            .filter(|(_, e)| covers(e, c.purl.as_deref(), &c.id, &terms))
            .filter(|(_, e)| match (&e.department, dept) {
                (Some(want), Some(have)) => want == have,
                (Some(_), None) => !estate,
                (None, _) => true,
            })
            .map(|(i, _)| i)
            .collect();
        for &i in &matching {
            let u = &mut uses[i];
            u.0.insert(c.id.clone());
            u.1.insert(c.root.clone());
            if estate {
                u.2.insert(dept.unwrap_or(kataster_model::model::UNASSIGNED).to_string());
            }
        }
        if !matches!(k.category, Category::Commercial | Category::Proprietary) {
            continue;
        }
        let existing = findings.get(&c.id);
        if existing.is_some_and(|f| f.rule.is_exception()) {
            continue;
        }
        let vendor = k.vendor.as_deref().map(|v| format!(" (vendor {v})")).unwrap_or_default();
        if let Some(&i) = matching.iter().find(|&&i| validities[i].covers()) {
            let e = &register.entitlements[i];
            if let Some(f) = findings.get_mut(&c.id) {
                let until = e.valid_until.map(|u| format!(", valid until {u}")).unwrap_or_default();
                f.reason = format!("licensed: {}{until} (was: {})", describe(e), f.reason);
                f.rule = PolicyRule::Entitlement(EntitlementRule::Covered, e.id.clone());
                f.decision = Decision::Allow;
            }
            continue;
        }
        let policy = policies.for_root(&c.root);
        let rules = rules_of(policy);
        let (level, rule, reason) = match matching.first() {
            Some(&i) => {
                let e = &register.entitlements[i];
                let when = match validities[i] {
                    Validity::NotYetValid => {
                        format!("is valid only from {}", e.valid_from.map(|d| d.to_string()).unwrap_or_default())
                    }
                    _ => format!("expired on {}", e.valid_until.map(|d| d.to_string()).unwrap_or_default()),
                };
                (
                    rules.expired,
                    PolicyRule::Entitlement(EntitlementRule::Expired, e.id.clone()),
                    format!("the entitlement {} {when}", describe(e)),
                )
            }
            None => (
                rules.missing,
                PolicyRule::EntitlementMissing,
                format!("{} is {}{vendor}; no entitlement in {} covers it", c.name, k.category, register.source),
            ),
        };
        if level == Decision::Allow {
            continue;
        }
        if let Some(x) = exception(policy, c.purl.as_deref(), &c.id, license.as_deref(), today) {
            if let Some(f) = findings.get_mut(&c.id) {
                f.decision = Decision::Allow;
                f.rule = PolicyRule::Exception(x.pattern.clone());
                f.reason = format!("{} (was: {reason}; {})", x.reason, f.reason);
            }
            continue;
        }
        match findings.get_mut(&c.id) {
            Some(f) if f.decision > level => f.reason = format!("{}; {reason}", f.reason),
            Some(f) => {
                f.reason = format!("{reason}; {}", f.reason);
                f.rule = rule;
                f.decision = level;
            }
            None => {
                findings.insert(
                    c.id.clone(),
                    Finding {
                        component: c.id.clone(),
                        name: c.name.clone(),
                        version: c.version.clone(),
                        purl: c.purl.clone(),
                        license: license.clone(),
                        decision: level,
                        rule,
                        reason,
                        paths: crate::classify::evidence_paths(c),
                    },
                );
            }
        }
    }
    let policy = register_policy(policies);
    let mut register_findings = Vec::new();
    inv.entitlements = register
        .entitlements
        .iter()
        .zip(&validities)
        .zip(uses)
        .map(|((e, &v), (components, repositories, departments))| {
            let used = match e.license_type {
                super::LicenseType::PerRepository => repositories.len() as u64,
                super::LicenseType::PerDepartment => departments.len() as u64,
                _ => 0,
            };
            let over_quantity = e.license_type.counted() && e.quantity.is_some_and(|q| used > q);
            let what = if e.license_type == super::LicenseType::PerRepository { "repositories" } else { "departments" };
            let mut raise = |level: Decision, rule: EntitlementRule, reason: String| {
                if level != Decision::Allow {
                    register_findings.push((e, level, rule, reason));
                }
            };
            if components.is_empty() {
                if v.covers() {
                    raise(
                        register_rules.unused,
                        EntitlementRule::Unused,
                        format!("{} matches no component of the scan (paid for, not used)", describe(e)),
                    );
                }
            } else if v == Validity::Expiring {
                raise(
                    register_rules.expiring,
                    EntitlementRule::Expiring,
                    format!(
                        "{} ends on {} (within {} days) and is in use",
                        describe(e),
                        e.valid_until.map(|d| d.to_string()).unwrap_or_default(),
                        register_rules.expiring_within_days
                    ),
                );
            }
            if over_quantity {
                raise(
                    register_rules.over_quantity,
                    EntitlementRule::OverQuantity,
                    format!("{} allows {} {what}, {used} use it", describe(e), e.quantity.unwrap_or(0)),
                );
            }
            EntitlementUse {
                id: e.id.clone(),
                vendor: e.vendor.clone(),
                product: e.product.clone(),
                covers: e.cover_texts(),
                license_type: e.license_type.as_str().to_string(),
                quantity: e.quantity,
                contract: e.contract.clone(),
                cost_centre: e.cost_centre.clone(),
                department: e.department.clone(),
                valid_from: e.valid_from.map(|d| d.to_string()),
                valid_until: e.valid_until.map(|d| d.to_string()),
                validity: v.as_str().to_string(),
                components: components.into_iter().collect(),
                repositories: repositories.into_iter().collect(),
                departments: departments.into_iter().collect(),
                over_quantity,
            }
        })
        .collect();
    let mut out: Vec<Finding> = findings.into_values().collect();
    for (e, level, rule, reason) in register_findings {
        let component = format!("{COMPONENT_PREFIX}{}", e.id);
        let (decision, rule, reason) = match exception(policy, None, &component, None, today) {
            Some(x) => {
                (Decision::Allow, PolicyRule::Exception(x.pattern.clone()), format!("{} (was: {reason})", x.reason))
            }
            None => (level, PolicyRule::Entitlement(rule, e.id.clone()), reason),
        };
        out.push(Finding {
            component,
            name: e.product.clone(),
            version: None,
            purl: None,
            license: None,
            decision,
            rule,
            reason,
            paths: vec![register.source.clone()],
        });
    }
    out.sort_by(|a, b| (&a.component, &a.rule).cmp(&(&b.component, &b.rule)));
    inv.findings = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_off_purls_but_not_off_scopes() {
        assert_eq!(versionless("pkg:npm/highcharts@13.1.1"), "pkg:npm/highcharts");
        assert_eq!(versionless("pkg:npm/%40progress/kendo-licensing@1.11.3"), "pkg:npm/%40progress/kendo-licensing");
        assert_eq!(versionless("pkg:npm/%40progress/kendo-licensing"), "pkg:npm/%40progress/kendo-licensing");
    }

    #[test]
    fn validity_follows_the_dates_and_the_window() {
        let reg = Register::parse_toml(
            "[[entitlement]]\nvendor = \"v\"\nproduct = \"p\"\ncovers = [\"pkg:npm/x\"]\ntype = \"site\"\nvalid-from = \"2026-01-01\"\nvalid-until = \"2026-12-31\"\n",
            "e.toml",
        )
        .unwrap();
        let e = &reg.entitlements[0];
        let d = |s: &str| time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
        assert_eq!(validity(e, d("2025-12-31"), 90), Validity::NotYetValid);
        assert_eq!(validity(e, d("2026-06-01"), 90), Validity::Valid);
        assert_eq!(validity(e, d("2026-10-02"), 90), Validity::Expiring);
        assert_eq!(validity(e, d("2026-12-31"), 0), Validity::Expiring);
        assert_eq!(validity(e, d("2027-01-01"), 90), Validity::Expired);
    }
}
