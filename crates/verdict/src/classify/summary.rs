//! The inventory's counts, taken after classification: components per kind, ecosystem,
//! category and open-source status, the open-source shares, files with licenses and
//! diagnostics per severity. Reads components; changes nothing.

use kataster_model::model::{Component, Diagnostic, FileRecord, OpenSource, Summary};
use std::collections::BTreeMap;

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { (part as f64 / whole as f64 * 10000.0).round() / 10000.0 }
}

/// Counts for the summary.
pub fn summarize(components: &[Component], files: &[FileRecord], diagnostics: &[Diagnostic]) -> Summary {
    let mut s = Summary { components: components.len() as u64, files: files.len() as u64, ..Default::default() };
    let (mut yes, mut no) = (0usize, 0usize);
    for c in components {
        let kind = c.kind.as_str().to_string();
        *s.by_kind.entry(kind).or_default() += 1;
        *s.by_ecosystem.entry(c.ecosystem.clone()).or_default() += 1;
        let cat = c.classification.as_ref().map_or("unclassified", |k| k.category.as_str()).to_string();
        *s.by_category.entry(cat).or_default() += 1;
        let status = c.classification.as_ref().map(|k| k.open_source);
        match status {
            Some(OpenSource::Yes) => yes += 1,
            Some(OpenSource::No) => no += 1,
            _ => {}
        }
        let key = status.map(|o| o.as_str()).unwrap_or("unclassified");
        *s.by_open_source.entry(key.to_string()).or_default() += 1;
    }
    s.open_source_share = share(yes, components.len());
    s.open_source_share_known = share(yes, yes + no);
    s.files_with_licenses = files.iter().filter(|f| !f.licenses.is_empty()).count() as u64;
    let mut d: BTreeMap<String, u64> = BTreeMap::new();
    for x in diagnostics {
        let k = x.severity.as_str().to_string();
        *d.entry(k).or_default() += 1;
    }
    s.diagnostics = d;
    s
}
