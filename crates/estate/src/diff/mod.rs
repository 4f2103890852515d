//! Differences between two inventories (`kataster diff OLD NEW`) and baselines.
//!
//! Owns: which component of the old inventory is which of the new (same id, or the same
//! package at another version), what changed about it (version, license, classification),
//! and which policy findings are new and which are resolved. The same matching serves
//! `check --baseline` ([`baseline`]): a finding the baseline has is not new.
//!
//! It compares what the inventories say and never looks at files, never re-classifies,
//! and never lets the order of the inputs change the result.

pub mod baseline;
pub mod render;

use kataster_model::model::{Component, ComponentKind, Ecosystem, Finding, Inventory};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// A component as the diff shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComponentRef {
    pub id: String,
    pub root: String,
    pub name: String,
    pub version: Option<String>,
    pub ecosystem: Ecosystem,
    pub kind: ComponentKind,
    /// The concluded license, else the declared one.
    pub license: Option<String>,
    /// The classification category; `unclassified` when there is none.
    pub category: String,
    pub open_source: Option<kataster_model::model::OpenSource>,
}

/// One value before and after.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change<T> {
    pub old: T,
    pub new: T,
}

/// A component in both inventories whose version, license or classification changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComponentChange {
    pub old: ComponentRef,
    pub new: ComponentRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Change<Option<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<Change<Option<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<Change<String>>,
}

/// Which scan an inventory came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScanRef {
    pub started_at: String,
    pub roots: usize,
    pub components: usize,
    pub findings: usize,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DiffSummary {
    pub added: usize,
    pub removed: usize,
    pub version_changed: usize,
    pub license_changed: usize,
    pub classification_changed: usize,
    pub new_findings: usize,
    pub resolved_findings: usize,
}

/// Everything that changed between two inventories; lists sorted by component id.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InventoryDiff {
    pub old: ScanRef,
    pub new: ScanRef,
    pub summary: DiffSummary,
    pub added: Vec<ComponentRef>,
    pub removed: Vec<ComponentRef>,
    pub changed: Vec<ComponentChange>,
    pub new_findings: Vec<Finding>,
    pub resolved_findings: Vec<Finding>,
}

impl InventoryDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.new_findings.is_empty()
            && self.resolved_findings.is_empty()
    }
}

/// A component id without its version: `root:pkg:cargo/itoa@1.0.19` and
/// `root:npm:@scope/x@1.0` become `root:pkg:cargo/itoa` and `root:npm:@scope/x`, so that
/// the same package at another version is recognised. Qualifiers after the version go too.
pub fn versionless_id(id: &str, version: Option<&str>) -> String {
    let Some(v) = version.filter(|v| !v.is_empty()) else { return id.to_string() };
    let end = id.find(['?', '#']).unwrap_or(id.len());
    let main = &id[..end];
    match main.rfind('@') {
        Some(at) if at > 0 && main[at + 1..].contains(v.split('+').next().unwrap_or(v)) => id[..at].to_string(),
        _ => id.to_string(),
    }
}

/// Pair the items of `old` and `new`: first by `exact` key, then what is left by `loose`
/// key (in the order given). Returns the pairs and what is left on either side.
pub fn pair<'a, T>(
    old: &'a [T],
    new: &'a [T],
    exact: impl Fn(&T) -> String,
    loose: impl Fn(&T) -> String,
) -> (Vec<(&'a T, &'a T)>, Vec<&'a T>, Vec<&'a T>) {
    let mut left_old: Vec<&T> = old.iter().collect();
    let mut left_new: Vec<&T> = new.iter().collect();
    let mut pairs = Vec::new();
    for key in [&exact as &dyn Fn(&T) -> String, &loose] {
        let mut by_key: BTreeMap<String, VecDeque<&T>> = BTreeMap::new();
        for o in left_old.drain(..) {
            by_key.entry(key(o)).or_default().push_back(o);
        }
        let mut unpaired = Vec::new();
        for n in left_new.drain(..) {
            match by_key.get_mut(&key(n)).and_then(VecDeque::pop_front) {
                Some(o) => pairs.push((o, n)),
                None => unpaired.push(n),
            }
        }
        left_new = unpaired;
        left_old = by_key.into_values().flatten().collect();
    }
    (pairs, left_old, left_new)
}

/// The identity of a finding across scans: its component (without version), license and
/// decision. A component that moves to another version keeps its findings; a license that
/// changes, or a review that becomes a denial, is a new finding.
pub fn finding_keys(f: &Finding) -> (String, String) {
    let tail = format!("|{}|{:?}", f.license.as_deref().unwrap_or(""), f.decision);
    (format!("{}{tail}", f.component), format!("{}{tail}", versionless_id(&f.component, f.version.as_deref())))
}

/// New and resolved findings: those of `new` that `old` does not have, and the reverse.
pub fn compare_findings<'a>(old: &'a [Finding], new: &'a [Finding]) -> (Vec<&'a Finding>, Vec<&'a Finding>) {
    let (_, resolved, added) = pair(old, new, |f| finding_keys(f).0, |f| finding_keys(f).1);
    (added, resolved)
}

fn component_ref(c: &Component) -> ComponentRef {
    ComponentRef {
        id: c.id.clone(),
        root: c.root.clone(),
        name: c.name.clone(),
        version: c.version.clone(),
        ecosystem: c.ecosystem.clone(),
        kind: c.kind,
        license: c.concluded_license.clone().or_else(|| c.declared_license.clone()),
        category: c.classification.as_ref().map_or("unclassified", |k| k.category.as_str()).to_string(),
        open_source: c.classification.as_ref().map(|k| k.open_source),
    }
}

fn changed<T: PartialEq + Clone>(old: &T, new: &T) -> Option<Change<T>> {
    (old != new).then(|| Change { old: old.clone(), new: new.clone() })
}

fn scan_ref(inv: &Inventory) -> ScanRef {
    ScanRef {
        started_at: inv.scan.started_at.clone(),
        roots: inv.scan.roots.len(),
        components: inv.components.len(),
        findings: inv.findings.len(),
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Inventory, new: &Inventory) -> InventoryDiff {
    let sorted = |inv: &Inventory| {
        let mut v: Vec<ComponentRef> = inv.components.iter().map(component_ref).collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    };
    let (old_c, new_c) = (sorted(old), sorted(new));
    let (pairs, removed, added) =
        pair(&old_c, &new_c, |c| c.id.clone(), |c| versionless_id(&c.id, c.version.as_deref()));
    let mut changes: Vec<ComponentChange> = pairs
        .into_iter()
        .filter_map(|(o, n)| {
            let class = |c: &ComponentRef| {
                use kataster_model::model::OpenSource;
                match c.open_source {
                    Some(OpenSource::Yes) => format!("{} (open source)", c.category),
                    Some(OpenSource::No) => format!("{} (not open source)", c.category),
                    Some(OpenSource::Unknown) => format!("{} (open source status unknown)", c.category),
                    None => c.category.clone(),
                }
            };
            let ch = ComponentChange {
                version: changed(&o.version, &n.version),
                license: changed(&o.license, &n.license),
                classification: changed(&class(o), &class(n)),
                old: o.clone(),
                new: n.clone(),
            };
            (ch.version.is_some() || ch.license.is_some() || ch.classification.is_some()).then_some(ch)
        })
        .collect();
    changes.sort_by(|a, b| a.new.id.cmp(&b.new.id));
    let (new_f, resolved_f) = compare_findings(&old.findings, &new.findings);
    let sort_findings = |v: Vec<&Finding>| {
        let mut v: Vec<Finding> = v.into_iter().cloned().collect();
        v.sort_by(|a, b| (&a.component, &a.license, a.decision).cmp(&(&b.component, &b.license, b.decision)));
        v
    };
    let mut added: Vec<ComponentRef> = added.into_iter().cloned().collect();
    let mut removed: Vec<ComponentRef> = removed.into_iter().cloned().collect();
    added.sort_by(|a, b| a.id.cmp(&b.id));
    removed.sort_by(|a, b| a.id.cmp(&b.id));
    let summary = DiffSummary {
        added: added.len(),
        removed: removed.len(),
        version_changed: changes.iter().filter(|c| c.version.is_some()).count(),
        license_changed: changes.iter().filter(|c| c.license.is_some()).count(),
        classification_changed: changes.iter().filter(|c| c.classification.is_some()).count(),
        new_findings: new_f.len(),
        resolved_findings: resolved_f.len(),
    };
    InventoryDiff {
        old: scan_ref(old),
        new: scan_ref(new),
        summary,
        added,
        removed,
        changed: changes,
        new_findings: sort_findings(new_f),
        resolved_findings: sort_findings(resolved_f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versionless_ids() {
        assert_eq!(versionless_id("r:pkg:cargo/itoa@1.0.19", Some("1.0.19")), "r:pkg:cargo/itoa");
        assert_eq!(versionless_id("r:pkg:npm/%40s/x@1.0.0", Some("1.0.0")), "r:pkg:npm/%40s/x");
        assert_eq!(versionless_id("r:npm:@s/x@1.0", Some("1.0")), "r:npm:@s/x");
        assert_eq!(versionless_id("r:npm:@s/x", None), "r:npm:@s/x");
        assert_eq!(versionless_id("r:pkg:maven/g/a@1.0?type=jar", Some("1.0")), "r:pkg:maven/g/a");
        assert_eq!(versionless_id("r:pkg:cargo/x@1.0.0%2Bbuild", Some("1.0.0+build")), "r:pkg:cargo/x");
        // A project id holds no version.
        assert_eq!(versionless_id("r:project:cargo:.", Some("2.0.0")), "r:project:cargo:.");
        assert_eq!(versionless_id("r:project:npm:@s/web", Some("2.0.0")), "r:project:npm:@s/web");
    }

    #[test]
    fn pairing_prefers_exact_matches_then_pairs_versions_in_order() {
        let old = ["a@1.0", "a@2.0", "b@1.0", "c@1.0"];
        let new = ["a@2.0", "a@2.1", "a@3.0", "b@1.1", "d@1.0"];
        let name = |s: &&str| s.split('@').next().unwrap_or("").to_string();
        let (pairs, gone, came) = pair(&old, &new, |s| s.to_string(), name);
        let pairs: Vec<(&str, &str)> = pairs.into_iter().map(|(a, b)| (*a, *b)).collect();
        assert_eq!(pairs, [("a@2.0", "a@2.0"), ("a@1.0", "a@2.1"), ("b@1.0", "b@1.1")]);
        assert_eq!(gone, [&"c@1.0"]);
        assert_eq!(came, [&"a@3.0", &"d@1.0"]);
    }
}
