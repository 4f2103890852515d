//! The organisation's license policy (`kataster.toml`, see `docs/policy.md`).
//!
//! Owns reading and checking the policy file, the allow/deny/review rules by category and by
//! license id, the exceptions per component (with reason and expiry) and the clarifications
//! pinned to file hashes. It decides on single license terms and matches components; the
//! verdict stage (`classify`) applies it. It never scans, and reads no file but the policy.

pub mod report;

use crate::classify::expr::{Judge, Judgement, Term, default_judgement};
use crate::inventory::model::Decision;
use crate::license::db::Category;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for in each scanned root.
pub const FILE_NAME: &str = "kataster.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    licenses: RawRules,
    #[serde(default)]
    exception: Vec<RawException>,
    #[serde(default)]
    clarification: Vec<RawClarification>,
    #[serde(default)]
    entitlements: RawEntitlementRules,
}

/// `[entitlements]`: the decisions on what the register of entitlements shows.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEntitlementRules {
    missing: Option<String>,
    expired: Option<String>,
    expiring: Option<String>,
    over_quantity: Option<String>,
    unused: Option<String>,
    expiring_within_days: Option<i64>,
}

/// The decisions on entitlement findings (`[entitlements]`, docs/licence-management.md).
/// `allow` turns a kind of finding off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntitlementRules {
    /// A commercial or proprietary component that no entitlement covers.
    pub missing: Decision,
    /// A component only an expired (or not yet valid) entitlement covers.
    pub expired: Decision,
    /// An entitlement that ends within `expiring_within_days`.
    pub expiring: Decision,
    /// More repositories or departments use it than its quantity allows.
    pub over_quantity: Decision,
    /// An entitlement no component matches.
    pub unused: Decision,
    pub expiring_within_days: i64,
}

impl Default for EntitlementRules {
    fn default() -> Self {
        EntitlementRules {
            missing: Decision::Deny,
            expired: Decision::Deny,
            expiring: Decision::Review,
            over_quantity: Decision::Review,
            unused: Decision::Review,
            expiring_within_days: 90,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    review: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
    /// Decision for terms no rule names (the built-in default when absent).
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    component: String,
    license: Option<String>,
    reason: String,
    expires: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClarification {
    component: Option<String>,
    file: Option<String>,
    root: Option<String>,
    sha256: Option<String>,
    license: String,
    reason: String,
    #[serde(default)]
    files: Vec<RawPin>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPin {
    path: String,
    sha256: String,
}

/// A rule's target: a whole category or one license (`GPL-2.0-only`, or with its exception).
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Category(Category),
    License(String),
}

/// An exception: a component the policy excuses, optionally for one license only.
#[derive(Debug, Clone)]
pub struct Exception {
    pub pattern: String,
    matcher: globset::GlobMatcher,
    /// The license term it excuses (any license when `None`).
    pub license: Option<String>,
    pub reason: String,
    pub expires: Option<time::Date>,
}

impl Exception {
    pub fn matches(&self, purl: Option<&str>, id: &str) -> bool {
        purl.is_some_and(|p| self.matcher.is_match(p)) || self.matcher.is_match(id)
    }
}

/// A file whose content a clarification depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub path: String,
    pub sha256: String,
}

/// What a clarification applies to.
#[derive(Debug, Clone)]
pub enum ClarificationTarget {
    /// Components whose purl or id matches; pinned to the hashes of `pins`.
    Component { pattern: String, matcher: globset::GlobMatcher, pins: Vec<Pin> },
    /// One file (in one root, or in any when `root` is `None`), pinned to its hash.
    File { root: Option<String>, pin: Pin },
}

/// A clarification: the license a person determined, replacing what was found.
#[derive(Debug, Clone)]
pub struct Clarification {
    pub target: ClarificationTarget,
    /// The license as an SPDX expression.
    pub license: String,
    pub reason: String,
}

impl Clarification {
    pub fn matches_component(&self, purl: Option<&str>, id: &str) -> bool {
        match &self.target {
            ClarificationTarget::Component { matcher, .. } => {
                purl.is_some_and(|p| matcher.is_match(p)) || matcher.is_match(id)
            }
            ClarificationTarget::File { .. } => false,
        }
    }
}

/// A loaded, checked policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Where it came from (for messages).
    pub source: String,
    rules: Vec<(Target, Decision)>,
    default: Option<Decision>,
    pub exceptions: Vec<Exception>,
    pub clarifications: Vec<Clarification>,
    pub entitlements: EntitlementRules,
}

fn parse_decision(s: &str) -> Option<Decision> {
    match s {
        "allow" => Some(Decision::Allow),
        "review" => Some(Decision::Review),
        "deny" => Some(Decision::Deny),
        _ => None,
    }
}

fn decision_word(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::Review => "review",
        Decision::Deny => "deny",
    }
}

fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::Glob::new(pattern).map(|g| g.compile_matcher()).map_err(|e| format!("pattern `{pattern}`: {e}"))
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Policy {
    /// Parse and check a policy; `source` names it in errors (`kataster.toml: ...`).
    pub fn parse(text: &str, source: &str) -> Result<Policy, String> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| format!("{source}: {e}"))?;
        let err = |m: String| format!("{source}: {m}");
        let mut rules: Vec<(Target, Decision)> = Vec::new();
        for (list, decision) in [
            (&raw.licenses.allow, Decision::Allow),
            (&raw.licenses.review, Decision::Review),
            (&raw.licenses.deny, Decision::Deny),
        ] {
            for entry in list {
                let target = match Category::parse(entry.trim()) {
                    Some(c) => Target::Category(c),
                    None => {
                        let canon = crate::license::normalize_expression(entry).ok_or_else(|| {
                            err(format!(
                                "licenses.{}: `{entry}` is neither a category ({}) nor an SPDX license id",
                                decision_word(decision),
                                Category::ALL.map(|c| c.as_str()).join(", ")
                            ))
                        })?;
                        if canon.contains(" AND ") || canon.contains(" OR ") {
                            return Err(err(format!(
                                "licenses.{}: `{entry}` is an expression; name single licenses",
                                decision_word(decision)
                            )));
                        }
                        Target::License(canon)
                    }
                };
                if let Some((_, d)) = rules.iter().find(|(t, _)| *t == target) {
                    return Err(err(format!(
                        "`{entry}` is listed under both licenses.{} and licenses.{}",
                        decision_word(*d),
                        decision_word(decision)
                    )));
                }
                rules.push((target, decision));
            }
        }
        let default = match &raw.licenses.default {
            None => None,
            Some(d) => Some(
                parse_decision(d)
                    .ok_or_else(|| err(format!("licenses.default: `{d}` is not one of allow, review, deny")))?,
            ),
        };
        let mut exceptions = Vec::new();
        for (i, e) in raw.exception.iter().enumerate() {
            let at = |m: String| err(format!("exception {} (`{}`): {m}", i + 1, e.component));
            if e.reason.trim().is_empty() {
                return Err(at("a reason is required".into()));
            }
            let expires = match &e.expires {
                None => None,
                Some(d) => Some(parse_date(d).ok_or_else(|| at(format!("expires `{d}` is not a date (YYYY-MM-DD)")))?),
            };
            let license = match &e.license {
                None => None,
                Some(l) => Some(
                    crate::license::normalize_expression(l)
                        .ok_or_else(|| at(format!("license `{l}` is not an SPDX expression")))?,
                ),
            };
            exceptions.push(Exception {
                pattern: e.component.clone(),
                matcher: glob(&e.component).map_err(at)?,
                license,
                reason: e.reason.clone(),
                expires,
            });
        }
        let mut clarifications = Vec::new();
        for (i, c) in raw.clarification.iter().enumerate() {
            let name = c.component.as_deref().or(c.file.as_deref()).unwrap_or("");
            let at = |m: String| err(format!("clarification {} (`{name}`): {m}", i + 1));
            if c.reason.trim().is_empty() {
                return Err(at("a reason is required".into()));
            }
            let license = crate::license::normalize_expression(&c.license)
                .ok_or_else(|| at(format!("license `{}` is not an SPDX expression", c.license)))?;
            let check_hash = |h: &str| {
                if is_sha256(h) {
                    Ok(h.to_ascii_lowercase())
                } else {
                    Err(at(format!("`{h}` is not a sha256 hex digest")))
                }
            };
            let target = match (&c.component, &c.file) {
                (Some(pattern), None) => {
                    if c.sha256.is_some() {
                        return Err(
                            at("a component clarification pins files with `files = [{ path, sha256 }]`".into()),
                        );
                    }
                    let mut pins = Vec::new();
                    for p in &c.files {
                        pins.push(Pin { path: p.path.clone(), sha256: check_hash(&p.sha256)? });
                    }
                    ClarificationTarget::Component {
                        pattern: pattern.clone(),
                        matcher: glob(pattern).map_err(at)?,
                        pins,
                    }
                }
                (None, Some(file)) => {
                    let Some(h) = &c.sha256 else {
                        return Err(at("a file clarification needs the file's sha256".into()));
                    };
                    ClarificationTarget::File {
                        root: c.root.clone(),
                        pin: Pin { path: file.trim_start_matches("./").to_string(), sha256: check_hash(h)? },
                    }
                }
                _ => return Err(at("give either `component` or `file`".into())),
            };
            clarifications.push(Clarification { target, license, reason: c.reason.clone() });
        }
        let entitlements = entitlement_rules(&raw.entitlements).map_err(err)?;
        Ok(Policy { source: source.to_string(), rules, default, exceptions, clarifications, entitlements })
    }

    /// Read and check a policy file.
    pub fn load(path: &Path) -> Result<Policy, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Policy::parse(&text, &path.display().to_string())
    }
}

fn entitlement_rules(raw: &RawEntitlementRules) -> Result<EntitlementRules, String> {
    let mut r = EntitlementRules::default();
    for (key, given, slot) in [
        ("missing", &raw.missing, &mut r.missing),
        ("expired", &raw.expired, &mut r.expired),
        ("expiring", &raw.expiring, &mut r.expiring),
        ("over-quantity", &raw.over_quantity, &mut r.over_quantity),
        ("unused", &raw.unused, &mut r.unused),
    ] {
        if let Some(d) = given {
            *slot = parse_decision(d)
                .ok_or_else(|| format!("entitlements.{key}: `{d}` is not one of allow, review, deny"))?;
        }
    }
    if let Some(days) = raw.expiring_within_days {
        if days < 0 {
            return Err(format!("entitlements.expiring-within-days: {days} is negative"));
        }
        r.expiring_within_days = days;
    }
    Ok(r)
}

impl Judge for Policy {
    /// The most specific rule decides: the term with its exception, then the license id,
    /// then the category, then `licenses.default`, then the built-in default.
    fn judge(&self, term: &Term) -> Judgement {
        let find = |t: &Target| self.rules.iter().find(|(x, _)| x == t).map(|(_, d)| *d);
        let license = term.license.trim_end_matches('+');
        let candidates = [
            (Target::License(term.text.clone()), term.text.clone()),
            (Target::License(term.license.clone()), term.license.clone()),
            (Target::License(license.to_string()), license.to_string()),
        ];
        for (t, name) in &candidates {
            if let Some(d) = find(t) {
                return Judgement { decision: d, rule: format!("licenses.{}: {name}", decision_word(d)) };
            }
        }
        if let Some(d) = find(&Target::Category(term.category)) {
            return Judgement { decision: d, rule: format!("licenses.{}: {}", decision_word(d), term.category) };
        }
        if let Some(d) = self.default {
            return Judgement { decision: d, rule: format!("licenses.default: {}", decision_word(d)) };
        }
        default_judgement(term.category)
    }
}

/// The policies of one run: `--policy FILE` for every root, or each root's own
/// `kataster.toml`; roots without one use the built-in default.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub global: Option<Policy>,
    pub per_root: BTreeMap<String, Policy>,
}

impl PolicySet {
    pub fn for_root(&self, label: &str) -> Option<&Policy> {
        self.global.as_ref().or_else(|| self.per_root.get(label))
    }

    /// Load `--policy FILE`, or find `kataster.toml` in each root (paired with its label).
    pub fn discover(explicit: Option<&Path>, roots: &[(String, PathBuf)]) -> Result<PolicySet, String> {
        if let Some(p) = explicit {
            return Ok(PolicySet { global: Some(Policy::load(p)?), per_root: BTreeMap::new() });
        }
        let mut per_root = BTreeMap::new();
        for (label, root) in roots {
            let candidate = root.join(FILE_NAME);
            if candidate.is_file() {
                per_root.insert(label.clone(), Policy::load(&candidate)?);
            }
        }
        Ok(PolicySet { global: None, per_root })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::expr::evaluate;

    const MUNICIPAL: &str = r#"
[licenses]
allow = ["permissive", "public-domain", "weak-copyleft", "GPL-2.0-only WITH Classpath-exception-2.0"]
review = ["strong-copyleft", "unknown"]
deny = ["network-copyleft", "source-available", "proprietary", "freeware", "EUPL-1.2"]
"#;

    #[test]
    fn rules_by_category_and_by_id_most_specific_first() {
        let p = Policy::parse(MUNICIPAL, "kataster.toml").unwrap();
        let v = evaluate("MIT", &p).unwrap();
        assert_eq!((v.decision, v.rule.as_str()), (Decision::Allow, "licenses.allow: permissive"));
        let v = evaluate("GPL-3.0-only", &p).unwrap();
        assert_eq!((v.decision, v.rule.as_str()), (Decision::Review, "licenses.review: strong-copyleft"));
        let v = evaluate("AGPL-3.0-or-later", &p).unwrap();
        assert_eq!(v.decision, Decision::Deny);
        let v = evaluate("GPL-2.0-only WITH Classpath-exception-2.0", &p).unwrap();
        assert_eq!(v.rule, "licenses.allow: GPL-2.0-only WITH Classpath-exception-2.0");
        // OR takes the option the policy allows, even if another is freer by category.
        let v = evaluate("EUPL-1.2 OR GPL-3.0-only", &p).unwrap();
        assert_eq!(v.chosen, "GPL-3.0-only");
        assert_eq!(v.decision, Decision::Review);
    }

    #[test]
    fn categories_nobody_lists_fall_back_to_the_default() {
        let p = Policy::parse("[licenses]\ndeny = [\"AGPL-3.0-only\"]\n", "k.toml").unwrap();
        assert_eq!(evaluate("MIT", &p).unwrap().decision, Decision::Allow);
        assert_eq!(evaluate("LicenseRef-kataster-eula", &p).unwrap().decision, Decision::Review);
        let p = Policy::parse("[licenses]\nallow = [\"MIT\"]\ndefault = \"deny\"\n", "k.toml").unwrap();
        assert_eq!(evaluate("Apache-2.0", &p).unwrap().rule, "licenses.default: deny");
    }

    #[test]
    fn the_documented_example_is_a_valid_policy() {
        let doc = include_str!("../../docs/policy.md");
        let start = doc.find("```toml\n").map(|i| i + 8).unwrap_or(0);
        let end = doc[start..].find("```").map(|i| start + i).unwrap_or(start);
        let p = Policy::parse(&doc[start..end], "docs/policy.md").unwrap();
        assert_eq!(p.exceptions.len(), 2);
        assert_eq!(p.clarifications.len(), 2);
        assert_eq!(evaluate("AGPL-3.0-only", &p).unwrap().decision, Decision::Deny);
        assert_eq!(evaluate("EUPL-1.2", &p).unwrap().decision, Decision::Allow);
    }

    #[test]
    fn entitlement_levels_default_to_deny_for_unlicensed_and_can_be_set() {
        let p = Policy::parse("", "k.toml").unwrap();
        assert_eq!(p.entitlements, EntitlementRules::default());
        assert_eq!(p.entitlements.missing, Decision::Deny);
        let p = Policy::parse(
            "[entitlements]\nmissing = \"review\"\nunused = \"allow\"\nexpiring-within-days = 30\n",
            "k.toml",
        )
        .unwrap();
        assert_eq!(
            (p.entitlements.missing, p.entitlements.unused, p.entitlements.expiring_within_days),
            (Decision::Review, Decision::Allow, 30)
        );
    }

    #[test]
    fn mistakes_in_the_policy_are_errors_naming_the_file() {
        for (text, want) in [
            ("[licenses]\nallow = [\"permisive\"]\n", "neither a category"),
            ("[licenses]\nallow = [\"MIT\"]\ndeny = [\"mit\"]\n", "listed under both"),
            ("[licenses]\nallow = [\"MIT OR Apache-2.0\"]\n", "is an expression"),
            ("[[exception]]\ncomponent = \"pkg:npm/x@*\"\nreason = \"\"\n", "a reason is required"),
            ("[[exception]]\ncomponent = \"pkg:npm/x@*\"\nreason = \"r\"\nexpires = \"next year\"\n", "not a date"),
            ("[[clarification]]\nfile = \"a.c\"\nlicense = \"MIT\"\nreason = \"r\"\n", "needs the file's sha256"),
            (
                "[[clarification]]\nfile = \"a.c\"\nsha256 = \"abc\"\nlicense = \"MIT\"\nreason = \"r\"\n",
                "not a sha256",
            ),
            ("[[clarification]]\ncomponent = \"x\"\nlicense = \"Foo License\"\nreason = \"r\"\n", "not an SPDX"),
            ("[licences]\n", "unknown field"),
            ("[entitlements]\nmissing = \"fail\"\n", "entitlements.missing: `fail` is not one of"),
            ("[entitlements]\nexpiring-within-days = -1\n", "is negative"),
            ("[entitlements]\nunsed = \"allow\"\n", "unknown field"),
        ] {
            let e = Policy::parse(text, "kataster.toml").unwrap_err();
            assert!(e.starts_with("kataster.toml"), "{e}");
            assert!(e.contains(want), "`{text}` gave `{e}`");
        }
    }
}
