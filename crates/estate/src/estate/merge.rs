//! `kataster merge`: joining inventories (the shards of an estate) into one.
//!
//! Owns: the union of roots, repositories, components, files, findings and diagnostics of
//! several inventories, sorted exactly as one scan sorts them, so that merging the shards
//! of an estate gives the inventory of an unsharded scan (apart from the timestamps).
//! It re-computes the summaries and roll-ups from the joined data and checks that the
//! parts fit together (no root in two parts, shards of one partition, no shard missing).
//! It never re-classifies or re-evaluates anything: verdicts and findings are the parts'.

use kataster_model::model::*;
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge")]
    Empty,
    #[error("root `{label}` is in both {first} and {second}: the parts overlap")]
    Overlap { label: String, first: String, second: String },
    #[error("{part}: inventory format {found} cannot be merged by this kataster (format {ours})")]
    Format { part: String, found: String, ours: String },
    #[error("{part}: a component has an empty id")]
    EmptyId { part: String },
    #[error("component `{id}` is in {first} and again in {second}: component ids must be unique")]
    DuplicateId { id: String, first: String, second: String },
}

fn major(v: &str) -> &str {
    v.split('.').next().unwrap_or(v)
}

/// Whether this kataster reads inventories of format `v`: the same major version as its
/// own ([`SCHEMA_VERSION`]), written `MAJOR.MINOR`. The error says which it found.
pub fn check_format(v: &str) -> Result<(), String> {
    let well_formed = v.split_once('.').is_some_and(|(a, b)| {
        [a, b].iter().all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|c| c.is_ascii_digit()))
    });
    if well_formed && major(v) == major(SCHEMA_VERSION) {
        Ok(())
    } else {
        Err(format!(
            "inventory format `{v}` is not one this kataster reads (format {}.x; it writes {SCHEMA_VERSION})",
            major(SCHEMA_VERSION)
        ))
    }
}

/// Merge the inventories `parts`, each named (its file) for messages.
pub fn merge(parts: Vec<(String, Inventory)>) -> Result<Inventory, MergeError> {
    let mut iter = parts.into_iter();
    let (first_name, first) = iter.next().ok_or(MergeError::Empty)?;
    let mut diagnostics = Vec::new();
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut shards = BTreeSet::new();
    let mut unsharded = false;
    let mut versions = BTreeSet::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut out = Inventory {
        schema_version: first.schema_version.clone(),
        tool: first.tool.clone(),
        scan: ScanInfo {
            roots: Vec::new(),
            started_at: first.scan.started_at.clone(),
            finished_at: first.scan.finished_at.clone(),
            duration_ms: 0,
            files_seen: 0,
            files_read: 0,
            bytes_read: 0,
            shard: None,
            sbom_authors: first.scan.sbom_authors.clone(),
            supplier: first.scan.supplier.clone(),
        },
        components: Vec::new(),
        files: Vec::new(),
        findings: Vec::new(),
        diagnostics: Vec::new(),
        summary: Summary::default(),
        repositories: Vec::new(),
        departments: Vec::new(),
        entitlements: Vec::new(),
        vendors: Vec::new(),
    };
    for (name, part) in std::iter::once((first_name, first)).chain(iter) {
        if check_format(&part.schema_version).is_err() {
            return Err(MergeError::Format { part: name, found: part.schema_version, ours: SCHEMA_VERSION.into() });
        }
        for r in &part.scan.roots {
            if let Some(prev) = owner.insert(r.label.clone(), name.clone()) {
                return Err(MergeError::Overlap { label: r.label.clone(), first: prev, second: name });
            }
        }
        match part.scan.shard {
            Some(s) => {
                shards.insert(s);
            }
            None => unsharded = true,
        }
        for c in &part.components {
            if c.id.trim().is_empty() {
                return Err(MergeError::EmptyId { part: name });
            }
            if let Some(prev) = ids.insert(c.id.clone(), name.clone()) {
                return Err(MergeError::DuplicateId { id: c.id.clone(), first: prev, second: name });
            }
        }
        versions.insert((part.tool.version.clone(), part.tool.license_db_version.clone()));
        // Later schema minors may carry more: keep the newest the parts agree on.
        if part.schema_version > out.schema_version {
            out.schema_version = part.schema_version.clone();
        }
        let s = &part.scan;
        if s.started_at < out.scan.started_at {
            out.scan.started_at = s.started_at.clone();
        }
        if s.finished_at > out.scan.finished_at {
            out.scan.finished_at = s.finished_at.clone();
        }
        out.scan.duration_ms += s.duration_ms;
        out.scan.files_seen += s.files_seen;
        out.scan.files_read += s.files_read;
        out.scan.bytes_read += s.bytes_read;
        out.scan.roots.extend(part.scan.roots);
        out.components.extend(part.components);
        out.files.extend(part.files);
        out.findings.extend(part.findings);
        out.diagnostics.extend(part.diagnostics);
        out.repositories.extend(part.repositories);
    }
    diagnostics.extend(check_shards(&shards, unsharded));
    if versions.len() > 1 {
        let list: Vec<String> = versions.iter().map(|(v, db)| format!("{v} (license-db {db})")).collect();
        diagnostics.push(merge_diagnostic(
            Severity::Warning,
            DiagnosticCode::MergeMixedVersions,
            format!("the parts were made by different kataster builds: {}", list.join(", ")),
        ));
    }
    out.diagnostics.extend(diagnostics);
    out.scan.roots.sort();
    out.components.sort_by(|a, b| a.id.cmp(&b.id));
    out.files.sort_by(|a, b| (&a.root, &a.path).cmp(&(&b.root, &b.path)));
    // Stable: the findings of one component keep the order their part gave them.
    out.findings.sort_by(|a, b| a.component.cmp(&b.component));
    out.diagnostics.sort();
    out.diagnostics.dedup();
    out.repositories.sort_by(|a, b| a.name.cmp(&b.name));
    out.summary = kataster_verdict::classify::summary::summarize(&out.components, &out.files, &out.diagnostics);
    super::roll_up(&mut out);
    kataster_verdict::entitlements::vendors::compute(&mut out);
    Ok(out)
}

fn merge_diagnostic(severity: Severity, code: DiagnosticCode, message: String) -> Diagnostic {
    Diagnostic { severity, root: String::new(), path: String::new(), code, message }
}

/// Warnings for shards that do not add up to a whole estate.
fn check_shards(shards: &BTreeSet<Shard>, unsharded: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let counts: BTreeSet<u32> = shards.iter().map(|s| s.count).collect();
    if counts.len() > 1 || (unsharded && !shards.is_empty()) {
        out.push(merge_diagnostic(
            Severity::Warning,
            DiagnosticCode::MergeMixedShards,
            "the parts come from different partitions (shard counts differ, or sharded and unsharded scans are mixed)"
                .into(),
        ));
    } else if let Some(&count) = counts.iter().next() {
        for index in 1..=count {
            if !shards.contains(&Shard { index, count }) {
                out.push(merge_diagnostic(
                    Severity::Warning,
                    DiagnosticCode::ShardMissing,
                    format!("shard {index}/{count} is not among the merged parts: its repositories are missing"),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_coverage_is_checked() {
        let s = |index, count| Shard { index, count };
        let all: BTreeSet<Shard> = [s(1, 3), s(2, 3), s(3, 3)].into();
        assert!(check_shards(&all, false).is_empty());
        let gap: BTreeSet<Shard> = [s(1, 3), s(3, 3)].into();
        let d = check_shards(&gap, false);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("shard 2/3"), "{}", d[0].message);
        let mixed: BTreeSet<Shard> = [s(1, 2), s(2, 3)].into();
        assert_eq!(check_shards(&mixed, false)[0].code, DiagnosticCode::MergeMixedShards);
        assert_eq!(check_shards(&[s(1, 1)].into(), true)[0].code, DiagnosticCode::MergeMixedShards);
        assert!(check_shards(&BTreeSet::new(), true).is_empty());
    }
}
