//! The organisation's license policy (`kataster.toml`, see `docs/policy.md`).
//!
//! Owns reading and checking the policy file, the allow/deny/review rules by category and by
//! license id, the exceptions per component (with reason and expiry) and the clarifications
//! pinned to file hashes. It decides on single license terms and matches components; the
//! verdict stage (`classify`) applies it. It never scans, and reads no file but the policy.
//!
//! Precedence (docs/policy.md): a central policy (`--policy`, an estate file's `policy`)
//! rules every root; a `kataster.toml` inside a scanned tree then only proposes
//! clarifications, which count where the central policy accepts that tree's proposals.
//! Without a central policy, a root's own `kataster.toml` is its policy, except in estate
//! scans, where in-tree files only propose and the built-in default rules.

pub mod report;

use kataster_model::license::db::Category;
use kataster_model::license::expr::{Judge, Judgement, Term, default_judgement};
use kataster_model::model::{Decision, Diagnostic, DiagnosticCode, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for in each scanned root.
pub const FILE_NAME: &str = "kataster.toml";

/// The longest component pattern (bytes): longer ones are refused, not compiled.
pub const MAX_PATTERN_LEN: usize = 1024;
/// The most `{a,b,...}` alternatives one pattern may have, all groups together.
pub const MAX_PATTERN_ALTERNATIVES: usize = 64;
/// The largest policy file read (bytes).
pub const MAX_POLICY_BYTES: u64 = 4 << 20;

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
    proposals: RawProposals,
    #[serde(default)]
    entitlements: RawEntitlementRules,
}

/// `[proposals]`: which scanned trees may propose clarifications in their own `kataster.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProposals {
    /// Root labels (repository names), globs.
    #[serde(default)]
    accept_clarifications_from: Vec<String>,
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
    matcher: globset::GlobSet,
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
    Component { pattern: String, matcher: globset::GlobSet, pins: Vec<Pin> },
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
    /// Roots whose in-tree `kataster.toml` may propose clarifications: (pattern, matcher).
    accept_from: Vec<(String, globset::GlobSet)>,
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

/// Compile a pattern, within [`MAX_PATTERN_LEN`] and [`MAX_PATTERN_ALTERNATIVES`]; a
/// pattern whose matcher would still be too large is an error too, never a panic.
fn glob(pattern: &str) -> Result<globset::GlobSet, String> {
    let shown = shorten(pattern);
    let mut depth = 0usize;
    let mut alternatives = 0usize;
    for b in pattern.bytes() {
        match b {
            b'{' => {
                depth += 1;
                alternatives += 1;
            }
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth > 0 => alternatives += 1,
            _ => {}
        }
    }
    if alternatives > MAX_PATTERN_ALTERNATIVES {
        return Err(format!(
            "pattern `{shown}` has {alternatives} alternatives; at most {MAX_PATTERN_ALTERNATIVES} are allowed"
        ));
    }
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "pattern `{shown}` is {} bytes long; at most {MAX_PATTERN_LEN} are allowed",
            pattern.len()
        ));
    }
    let g = globset::Glob::new(pattern).map_err(|e| format!("pattern `{shown}`: {e}"))?;
    globset::GlobSetBuilder::new().add(g).build().map_err(|_| format!("pattern `{shown}` is too complex"))
}

/// A value as messages quote it: at most 60 characters.
fn shorten(s: &str) -> String {
    let short: String = s.chars().take(60).collect();
    if short.len() < s.len() { format!("{short}...") } else { short }
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
                        let canon = kataster_model::license::normalize_expression(entry).ok_or_else(|| {
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
            let at = |m: String| err(format!("exception {} (`{}`): {m}", i + 1, shorten(&e.component)));
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
                    kataster_model::license::normalize_expression(l)
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
            let name = shorten(c.component.as_deref().or(c.file.as_deref()).unwrap_or(""));
            let at = |m: String| err(format!("clarification {} (`{name}`): {m}", i + 1));
            if c.reason.trim().is_empty() {
                return Err(at("a reason is required".into()));
            }
            let license = kataster_model::license::normalize_expression(&c.license)
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
        let mut accept_from = Vec::new();
        for pattern in &raw.proposals.accept_clarifications_from {
            let matcher = glob(pattern).map_err(|m| err(format!("proposals.accept_clarifications_from: {m}")))?;
            accept_from.push((pattern.clone(), matcher));
        }
        let entitlements = entitlement_rules(&raw.entitlements).map_err(err)?;
        Ok(Policy { source: source.to_string(), rules, default, exceptions, clarifications, accept_from, entitlements })
    }

    /// Read and check a policy file (a regular file of at most [`MAX_POLICY_BYTES`]).
    pub fn load(path: &Path) -> Result<Policy, String> {
        let text = read_policy_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Policy::parse(&text, &path.display().to_string())
    }

    /// Whether this policy accepts the clarifications the tree `label` proposes.
    fn accepts_from(&self, label: &str) -> Option<&str> {
        self.accept_from.iter().find(|(_, m)| m.is_match(label)).map(|(p, _)| p.as_str())
    }

    /// Whether the policy has anything but clarifications (rules, a default, exceptions,
    /// proposals): what an in-tree proposal cannot carry.
    fn has_rules(&self) -> bool {
        !self.rules.is_empty() || self.default.is_some() || !self.exceptions.is_empty() || !self.accept_from.is_empty()
    }
}

/// A policy file's text: only a regular file (never a FIFO or a device, which could block
/// the run), of at most [`MAX_POLICY_BYTES`].
fn read_policy_file(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_POLICY_BYTES {
        return Err(format!("{} bytes; a policy file may have at most {MAX_POLICY_BYTES}", meta.len()));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_POLICY_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| e.to_string())?;
    Ok(text)
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

/// The policies of one run: the central policy for every root, or each root's own
/// `kataster.toml`; roots without one use the built-in default.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// The central policy (`--policy`, an estate file's `policy`).
    pub global: Option<Policy>,
    /// A root's policy: its own `kataster.toml` (no central policy), or the central policy
    /// with the clarifications it accepted from the root's `kataster.toml`; only these
    /// accepted ones are among its file clarifications (the central's are the global's).
    pub per_root: BTreeMap<String, Policy>,
    /// What became of in-tree policy files under a central policy (accepted, ignored, invalid).
    pub diagnostics: Vec<Diagnostic>,
}

/// Who rules the roots of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority<'a> {
    /// No central policy: each root's own `kataster.toml` is its policy (a scan of one's
    /// own repositories).
    InTree,
    /// A central policy file, or the built-in default (`None`), rules every root; in-tree
    /// files only propose clarifications (an estate scan, `--policy`).
    Central(Option<&'a Path>),
}

impl PolicySet {
    pub fn for_root(&self, label: &str) -> Option<&Policy> {
        self.per_root.get(label).or(self.global.as_ref())
    }

    /// Load the policies of roots given as (label, path) under `authority`. A central
    /// policy with a mistake is an error; so is an in-tree file that rules its root. An
    /// in-tree file that only proposes gets diagnostics instead.
    pub fn discover(authority: Authority, roots: &[(String, PathBuf)]) -> Result<PolicySet, String> {
        let central = match authority {
            Authority::InTree => {
                let mut per_root = BTreeMap::new();
                for (label, root) in roots {
                    if let Some(file) = in_tree_file(root)? {
                        per_root.insert(label.clone(), Policy::load(&file)?);
                    }
                }
                return Ok(PolicySet { global: None, per_root, diagnostics: Vec::new() });
            }
            Authority::Central(file) => file.map(Policy::load).transpose()?,
        };
        let mut set = PolicySet { global: central, per_root: BTreeMap::new(), diagnostics: Vec::new() };
        for (label, root) in roots {
            let file = match in_tree_file(root) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(e) => {
                    set.note(label, Severity::Warning, DiagnosticCode::PolicyProposalInvalid, e);
                    continue;
                }
            };
            match Policy::load(&file) {
                Ok(proposal) => set.consider(label, proposal),
                Err(e) => set.note(label, Severity::Warning, DiagnosticCode::PolicyProposalInvalid, e),
            }
        }
        Ok(set)
    }

    fn note(&mut self, label: &str, severity: Severity, code: DiagnosticCode, message: String) {
        self.diagnostics.push(Diagnostic {
            severity,
            root: label.to_string(),
            path: FILE_NAME.to_string(),
            code,
            message,
        });
    }

    /// Take what the central policy accepts from a root's own policy file.
    fn consider(&mut self, label: &str, proposal: Policy) {
        let central = self.global.as_ref().map_or("the built-in default", |c| c.source.as_str()).to_string();
        if proposal.has_rules() {
            self.note(
                label,
                Severity::Warning,
                DiagnosticCode::PolicyProposalIgnored,
                format!(
                    "{}: its rules and exceptions are ignored: the central policy ({central}) rules this scan",
                    proposal.source
                ),
            );
        }
        if proposal.clarifications.is_empty() {
            return;
        }
        let accepted_by = self.global.as_ref().and_then(|c| c.accepts_from(label)).map(str::to_string);
        let Some(by) = accepted_by else {
            self.note(
                label,
                Severity::Warning,
                DiagnosticCode::PolicyProposalIgnored,
                format!(
                    "{}: {} proposed clarification(s) not applied: the central policy ({central}) does not accept proposals from `{label}`",
                    proposal.source,
                    proposal.clarifications.len()
                ),
            );
            return;
        };
        let Some(mut root_policy) = self.global.clone() else { return };
        // The central's own component clarifications come first and so win; its file
        // clarifications stay with the global policy (checked once for every root).
        root_policy.clarifications.retain(|c| matches!(c.target, ClarificationTarget::Component { .. }));
        for mut c in proposal.clarifications {
            let what = match &c.target {
                ClarificationTarget::Component { pattern, .. } => pattern.clone(),
                ClarificationTarget::File { pin, .. } => pin.path.clone(),
            };
            if let ClarificationTarget::File { root, .. } = &mut c.target {
                *root = Some(label.to_string());
            }
            self.note(
                label,
                Severity::Info,
                DiagnosticCode::PolicyProposalAccepted,
                format!(
                    "{}: the clarification of {what} as {} is applied (accepted by {central}: {by})",
                    proposal.source, c.license
                ),
            );
            c.reason = format!("{} (proposed in {}, accepted by {central})", c.reason, proposal.source);
            root_policy.clarifications.push(c);
        }
        self.per_root.insert(label.to_string(), root_policy);
    }
}

/// The `kataster.toml` at the top of a root, if there is one: a regular file inside the
/// root (a link to a file elsewhere, a FIFO or a device is an error naming it).
fn in_tree_file(root: &Path) -> Result<Option<PathBuf>, String> {
    let candidate = root.join(FILE_NAME);
    let Ok(link) = std::fs::symlink_metadata(&candidate) else { return Ok(None) };
    let refuse = |why: &str| Err(format!("{}: {why}", candidate.display()));
    if link.is_dir() {
        return Ok(None);
    }
    let inside = match (candidate.canonicalize(), root.canonicalize()) {
        (Ok(target), Ok(root)) => target.starts_with(root),
        _ => false,
    };
    if !inside {
        return refuse("links to a file outside the scanned root; not read");
    }
    match std::fs::metadata(&candidate) {
        Ok(m) if m.is_file() => Ok(Some(candidate)),
        Ok(m) if m.is_dir() => Ok(None),
        _ => refuse("not a regular file; not read"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kataster_model::license::expr::evaluate;

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
        let doc = include_str!("../../../../docs/policy.md");
        let start = doc.find("```toml\n").map(|i| i + 8).unwrap_or(0);
        let end = doc[start..].find("```").map(|i| start + i).unwrap_or(start);
        let p = Policy::parse(&doc[start..end], "docs/policy.md").unwrap();
        assert_eq!(p.exceptions.len(), 2);
        assert_eq!(p.clarifications.len(), 2);
        assert_eq!(evaluate("AGPL-3.0-only", &p).unwrap().decision, Decision::Deny);
        assert_eq!(evaluate("EUPL-1.2", &p).unwrap().decision, Decision::Allow);
    }

    #[test]
    fn patterns_beyond_the_limits_are_errors_not_panics() {
        let many: Vec<String> = (0..30_000).map(|i| format!("x{i}")).collect();
        let long = "a".repeat(MAX_PATTERN_LEN + 1);
        let at_limit: Vec<String> = (0..MAX_PATTERN_ALTERNATIVES).map(|i| format!("x{i}")).collect();
        for (pattern, want) in [
            (format!("pkg:npm/{{{}}}@*", many.join(",")), "30000 alternatives"),
            (format!("pkg:npm/{{{}}}{{a,b}}", at_limit.join(",")), "66 alternatives"),
            (long, "1025 bytes long"),
        ] {
            let text = format!("[[exception]]\ncomponent = \"{pattern}\"\nreason = \"r\"\n");
            let e = Policy::parse(&text, "k.toml").unwrap_err();
            assert!(e.starts_with("k.toml: exception 1") && e.contains(want), "{e}");
            assert!(e.len() < 400, "the message quotes the pattern shortened: {e}");
        }
        let ok = format!("[[exception]]\ncomponent = \"pkg:npm/{{{}}}\"\nreason = \"r\"\n", at_limit.join(","));
        let p = Policy::parse(&ok, "k.toml").unwrap();
        assert!(p.exceptions[0].matches(Some("pkg:npm/x63"), "id"));
        assert!(!p.exceptions[0].matches(Some("pkg:npm/x64"), "id"));
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
            ("[proposals]\naccept_clarifications_from = [\"{a,b\"]\n", "proposals.accept_clarifications_from"),
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
