//! Reports: each format a function from the inventory to bytes.
//!
//! Reports compute nothing new: whatever two formats need lives in the inventory. Every
//! report is deterministic for the same inventory. The helpers here only look things up in
//! the inventory (a component's project names, its files, its copyright lines); they never
//! decide anything about a license.

use kataster_model::model::{Component, ComponentKind, FileRecord, Inventory};
use std::collections::{BTreeMap, BTreeSet};

pub mod csv;
pub mod cyclonedx;
pub mod html;
pub mod i18n;
pub mod json;
pub mod notice;
pub mod spdx;
pub mod table;
pub mod xlsx;

pub use i18n::Lang;

/// The output formats kataster writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    CycloneDxJson,
    SpdxJson,
    Xlsx,
    Html,
    Notice,
    EntitlementsCsv,
    VendorsCsv,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &[
        "table",
        "json",
        "csv",
        "cyclonedx-json",
        "spdx-json",
        "xlsx",
        "html",
        "notice",
        "entitlements-csv",
        "vendors-csv",
    ];

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "cyclonedx-json" | "cyclonedx" | "cdx-json" => Some(Format::CycloneDxJson),
            "spdx-json" | "spdx" => Some(Format::SpdxJson),
            "xlsx" => Some(Format::Xlsx),
            "html" => Some(Format::Html),
            "notice" => Some(Format::Notice),
            "entitlements-csv" => Some(Format::EntitlementsCsv),
            "vendors-csv" => Some(Format::VendorsCsv),
            _ => None,
        }
    }
}

/// Settings that change how a report is written, not what it says.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub csv_delimiter: u8,
    /// Language of csv, xlsx, html and notice.
    pub lang: Lang,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { csv_delimiter: b',', lang: Lang::En }
    }
}

/// Render the inventory in `format`. Only the xlsx writer can fail (it says why).
pub fn render(format: Format, inv: &Inventory, opts: &ReportOptions) -> Result<Vec<u8>, String> {
    Ok(match format {
        Format::Table => table::render(inv).into_bytes(),
        Format::Json => json::render(inv),
        Format::Csv => csv::render(inv, opts.csv_delimiter, opts.lang).into_bytes(),
        Format::CycloneDxJson => cyclonedx::render(inv),
        Format::SpdxJson => spdx::render(inv),
        Format::Xlsx => xlsx::render(inv, opts.lang)?,
        Format::Html => html::render(inv, opts.lang).into_bytes(),
        Format::Notice => notice::render(inv, opts.lang).into_bytes(),
        Format::EntitlementsCsv => csv::render_entitlements(inv, opts.csv_delimiter, opts.lang).into_bytes(),
        Format::VendorsCsv => csv::render_vendors(inv, opts.csv_delimiter, opts.lang).into_bytes(),
    })
}

/// Lookups into one inventory that several reports share.
pub(crate) struct Index<'a> {
    pub inv: &'a Inventory,
    by_id: BTreeMap<&'a str, &'a Component>,
    files_of: BTreeMap<&'a str, Vec<&'a FileRecord>>,
    depended_on: BTreeSet<&'a str>,
}

impl<'a> Index<'a> {
    pub fn new(inv: &'a Inventory) -> Self {
        let by_id = inv.components.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut files_of: BTreeMap<&str, Vec<&FileRecord>> = BTreeMap::new();
        for f in &inv.files {
            if let Some(c) = &f.component {
                files_of.entry(c.as_str()).or_default().push(f);
            }
        }
        let depended_on = inv.components.iter().flat_map(|c| c.dependencies.iter().map(String::as_str)).collect();
        Index { inv, by_id, files_of, depended_on }
    }

    pub fn component(&self, id: &str) -> Option<&'a Component> {
        self.by_id.get(id).copied()
    }

    /// Names of the projects a component belongs to (the id where the project is missing).
    pub fn project_names(&self, c: &Component) -> Vec<String> {
        c.projects.iter().map(|id| self.component(id).map(|p| p.name.clone()).unwrap_or_else(|| id.clone())).collect()
    }

    /// The files that belong to a component, in path order.
    pub fn files(&self, id: &str) -> &[&'a FileRecord] {
        self.files_of.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Distinct copyright statements of a component's files, sorted.
    pub fn copyrights(&self, id: &str) -> Vec<String> {
        let set: BTreeSet<String> =
            self.files(id).iter().flat_map(|f| f.copyrights.iter().map(|c| c.statement.trim().to_string())).collect();
        set.into_iter().filter(|s| !s.is_empty()).collect()
    }

    /// Components that the root itself holds: its projects, vendored folders and loose
    /// files, and dependencies that no recorded edge reaches (so that every component is
    /// reachable from the root in a dependency graph).
    pub fn root_members(&self, label: &str) -> Vec<&'a Component> {
        self.inv
            .components
            .iter()
            .filter(|c| c.root == label)
            .filter(|c| match c.kind {
                ComponentKind::Dependency => !self.depended_on.contains(c.id.as_str()) && c.projects.is_empty(),
                _ => true,
            })
            .collect()
    }

    /// Dependencies that no recorded edge reaches but that a project owns: the owner
    /// projects depend on them (the path through the graph is not recorded).
    pub fn owner_edges(&self, project_id: &str) -> Vec<&'a str> {
        self.inv
            .components
            .iter()
            .filter(|c| {
                c.kind == ComponentKind::Dependency
                    && !self.depended_on.contains(c.id.as_str())
                    && c.projects.iter().any(|p| p == project_id)
            })
            .map(|c| c.id.as_str())
            .collect()
    }
}

/// Counts for one project (or the components of a root that belong to no project).
#[derive(Debug, Default, Clone)]
pub(crate) struct ProjectCounts {
    /// The project's name, or the root's label.
    pub name: String,
    /// True for the components of a root that belong to no project.
    pub outside_projects: bool,
    pub components: u64,
    pub open_source: u64,
    /// Components whose open-source status is unknown (or that are unclassified).
    pub unknown: u64,
    pub needs_review: u64,
    /// Components per classification category; `None` is unclassified.
    pub by_category: BTreeMap<Option<String>, u64>,
}

impl ProjectCounts {
    pub fn share(&self) -> f64 {
        if self.components == 0 { 0.0 } else { self.open_source as f64 / self.components as f64 }
    }
}

/// Counts per project: the project itself and the components that belong to it. A
/// component owned by several projects counts in each; what belongs to no project counts
/// under its root.
pub(crate) fn project_counts(inv: &Inventory) -> Vec<ProjectCounts> {
    let mut by: BTreeMap<(String, String), ProjectCounts> = BTreeMap::new();
    let names: BTreeMap<&str, &str> = inv
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Project)
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    for c in &inv.components {
        let keys: Vec<(String, String)> = if c.kind == ComponentKind::Project {
            vec![(c.name.clone(), c.id.clone())]
        } else if c.projects.is_empty() {
            vec![(c.root.clone(), format!("{}:", c.root))]
        } else {
            c.projects.iter().map(|p| (names.get(p.as_str()).unwrap_or(&p.as_str()).to_string(), p.clone())).collect()
        };
        for key in keys {
            let outside_projects = key.1.ends_with(':');
            let e = by.entry(key.clone()).or_insert_with(|| ProjectCounts {
                name: key.0.clone(),
                outside_projects,
                ..Default::default()
            });
            e.components += 1;
            let k = c.classification.as_ref();
            e.open_source += u64::from(k.is_some_and(|k| k.open_source.is_yes()));
            e.unknown += u64::from(k.is_none_or(|k| k.open_source == kataster_model::model::OpenSource::Unknown));
            e.needs_review += u64::from(k.is_some_and(|k| k.needs_review));
            *e.by_category.entry(k.map(|k| k.category.as_str().to_string())).or_default() += 1;
        }
    }
    by.into_values().collect()
}

/// Components per category over the whole inventory; `None` is unclassified.
pub(crate) fn category_counts(inv: &Inventory) -> BTreeMap<Option<String>, u64> {
    let mut m = BTreeMap::new();
    for c in &inv.components {
        *m.entry(c.classification.as_ref().map(|k| k.category.as_str().to_string())).or_default() += 1;
    }
    m
}

/// One row of the license overview: a license expression and the components under it.
pub(crate) struct LicenseGroup<'a> {
    /// The concluded license (else the declared one); `None` when neither is known.
    pub license: Option<&'a str>,
    pub components: Vec<&'a Component>,
    /// The classification of the first classified component under this license.
    pub classification: Option<&'a kataster_model::model::Classification>,
}

pub(crate) fn license_groups(inv: &Inventory) -> Vec<LicenseGroup<'_>> {
    let mut m: BTreeMap<Option<&str>, Vec<&Component>> = BTreeMap::new();
    for c in &inv.components {
        let l = c.concluded_license.as_deref().or(c.declared_license.as_deref()).filter(|s| !s.trim().is_empty());
        m.entry(l).or_default().push(c);
    }
    let mut out: Vec<LicenseGroup> = m
        .into_iter()
        .map(|(license, components)| {
            let classification = components.iter().find_map(|c| c.classification.as_ref());
            LicenseGroup { license, components, classification }
        })
        .collect();
    out.sort_by_key(|g| (g.license.is_none(), g.license.map(str::to_string)));
    out
}

/// The single licenses of an expression, with `WITH` exceptions kept attached:
/// `(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0` gives
/// `MIT`, `Apache-2.0`, `GPL-2.0-only WITH Classpath-exception-2.0`.
pub(crate) fn license_terms(expr: &str) -> Vec<String> {
    let spaced = expr.replace(['(', ')'], " ");
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if t == "AND" || t == "OR" || t == "WITH" {
            i += 1;
            continue;
        }
        if toks.get(i + 1) == Some(&"WITH")
            && let Some(exc) = toks.get(i + 2)
        {
            out.push(format!("{t} WITH {exc}"));
            i += 3;
            continue;
        }
        out.push(t.to_string());
        i += 1;
    }
    out.sort();
    out.dedup();
    out
}

/// The LicenseRef- ids an expression uses.
pub(crate) fn license_refs(expr: &str) -> Vec<String> {
    expr.replace(['(', ')'], " ")
        .split_whitespace()
        .filter(|t| t.starts_with("LicenseRef-"))
        .map(str::to_string)
        .collect()
}

/// A scan time as `YYYY-MM-DDThh:mm:ssZ` in UTC, whole seconds (SPDX wants exactly this;
/// spreadsheets read it as a date). Unparseable times give the Unix epoch.
pub(crate) fn utc_seconds(rfc3339: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()
        .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(&fmt).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

/// A name-based UUID (RFC 9562 version 8, SHA-256 of `content`): the same content gives
/// the same UUID.
pub(crate) fn content_uuid(content: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(content);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = kataster_model::encoding::hex(&b);
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_terms_split_expressions_and_keep_exceptions() {
        assert_eq!(license_terms("MIT"), vec!["MIT"]);
        assert_eq!(
            license_terms("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0"),
            vec!["Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "MIT"]
        );
        assert_eq!(license_refs("MIT AND LicenseRef-proprietary"), vec!["LicenseRef-proprietary"]);
    }

    #[test]
    fn content_uuid_is_stable_and_well_formed() {
        let a = content_uuid(b"inventory");
        assert_eq!(a, content_uuid(b"inventory"));
        assert_ne!(a, content_uuid(b"inventory2"));
        let re = regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").unwrap();
        assert!(re.is_match(&a), "{a}");
    }
}

/// A supplier, author or contact as the inventory records it (`Name <mail>`, a URL, a
/// name), split into what SBOM formats ask for separately.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Party {
    pub name: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

impl Party {
    /// `None` for an empty text. An `SPDX`-style `Person: `/`Organization: ` prefix is dropped.
    pub fn parse(text: &str) -> Option<Party> {
        let s = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let s = s.strip_prefix("Person:").or_else(|| s.strip_prefix("Organization:")).unwrap_or(&s).trim();
        if s.is_empty() {
            return None;
        }
        if s.starts_with("http://") || s.starts_with("https://") {
            return Some(Party { url: Some(s.to_string()), ..Party::default() });
        }
        let mut rest = s.to_string();
        let mut url = None;
        // npm's `Name <mail> (url)`.
        if let (Some(open), true) = (rest.rfind('('), rest.ends_with(')')) {
            let inner = rest[open + 1..rest.len() - 1].trim().to_string();
            if inner.starts_with("http://") || inner.starts_with("https://") {
                url = Some(inner);
                rest = rest[..open].trim().to_string();
            }
        }
        let mut email = None;
        if let (Some(open), Some(close)) = (rest.find('<'), rest.rfind('>'))
            && open < close
        {
            let mail = rest[open + 1..close].trim();
            if mail.contains('@') && !mail.contains(char::is_whitespace) {
                email = Some(mail.to_string());
                rest = format!("{} {}", &rest[..open], &rest[close + 1..]).trim().to_string();
            }
        }
        let name = (!rest.is_empty()).then_some(rest);
        if name.is_none() && email.is_none() && url.is_none() {
            return None;
        }
        Some(Party { name, email, url })
    }

    /// Was it written as an SPDX person (`Person: ...`)?
    pub fn is_person(text: &str) -> Option<bool> {
        let t = text.trim_start();
        if t.starts_with("Person:") {
            Some(true)
        } else if t.starts_with("Organization:") {
            Some(false)
        } else {
            None
        }
    }
}
