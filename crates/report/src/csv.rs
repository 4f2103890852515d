//! The procurement view: one row per component, for spreadsheets.
//!
//! UTF-8 with a byte-order mark so that spreadsheet programs detect the encoding, CRLF line
//! ends; cells that a spreadsheet would run as a formula are neutralised with a leading
//! apostrophe. Headings and vocabulary follow `--lang`; license expressions, purls and
//! paths stay as they are.

use super::Index;
use super::i18n::{self, Lang};
use kataster_model::model::{Component, ComponentKind, EntitlementUse, Inventory, VendorUse};

/// The columns, as headings in the report's language.
pub fn columns(lang: Lang) -> Vec<&'static str> {
    let t = lang.texts();
    vec![
        t.project,
        t.component,
        t.version,
        t.ecosystem,
        t.kind,
        t.scope,
        t.purl,
        t.concluded_license,
        t.declared_license,
        t.scope_license,
        t.discovered_licenses,
        t.category,
        t.open_source,
        t.vendor,
        t.obligations,
        t.license_source,
        t.needs_review,
        t.reasons,
        t.locations,
        t.id,
    ]
}

/// Quote a cell for CSV with the given delimiter.
pub fn cell(value: &str, delimiter: u8) -> String {
    let mut v = value.to_string();
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.insert(0, '\'');
    }
    if v.contains([delimiter as char, '"', '\n', '\r']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v }
}

/// The project a row belongs to: a project's own name, its owners' names for a
/// dependency, the root's label for what belongs to no project.
pub(crate) fn project_cell(c: &Component, idx: &Index) -> String {
    match c.kind {
        ComponentKind::Project => c.name.clone(),
        _ if c.projects.is_empty() => c.root.clone(),
        _ => idx.project_names(c).join(" | "),
    }
}

/// Components in report order: by project, the project itself first, then by id.
pub(crate) fn ordered<'a>(inv: &'a Inventory, idx: &Index) -> Vec<&'a Component> {
    let mut comps: Vec<&Component> = inv.components.iter().collect();
    comps.sort_by_cached_key(|c| (project_cell(c, idx), c.kind != ComponentKind::Project, c.id.clone()));
    comps
}

/// The cells of one component, in the order of [`columns`]. Shared with the xlsx report.
pub(crate) fn row(c: &Component, idx: &Index, lang: Lang) -> Vec<String> {
    let k = c.classification.as_ref();
    let project = project_cell(c, idx);
    vec![
        project,
        c.name.clone(),
        c.version.clone().unwrap_or_default(),
        c.ecosystem.to_string(),
        i18n::kind(lang, c.kind).to_string(),
        i18n::scope(lang, c.scope).to_string(),
        c.purl.clone().unwrap_or_default(),
        c.concluded_license.clone().unwrap_or_default(),
        c.declared_license.clone().or_else(|| c.declared_license_raw.clone()).unwrap_or_default(),
        c.scope_license.clone().unwrap_or_default(),
        c.discovered_licenses.join(" | "),
        i18n::category(lang, k.map(|k| k.category.as_str())),
        i18n::open_source(lang, k.map(|k| k.open_source)).to_string(),
        k.and_then(|k| k.vendor.clone()).unwrap_or_default(),
        k.map(|k| k.obligations.iter().map(|o| i18n::obligation(lang, o.as_str())).collect::<Vec<_>>().join(" | "))
            .unwrap_or_default(),
        c.license_sources.iter().map(|s| i18n::license_source(lang, *s)).collect::<Vec<_>>().join(" | "),
        i18n::yes_no(lang, k.map(|k| k.needs_review)).to_string(),
        k.map(|k| k.reasons.join(" | ")).unwrap_or_default(),
        c.locations.join(" | "),
        c.id.clone(),
    ]
}

/// The columns of the register of entitlements.
pub fn entitlement_columns(lang: Lang) -> Vec<&'static str> {
    let t = lang.texts();
    vec![
        t.entitlement_id,
        t.vendor,
        t.product,
        t.license_type,
        t.quantity,
        t.in_use,
        t.over_quantity,
        t.validity,
        t.valid_from,
        t.valid_until,
        t.contract,
        t.cost_centre,
        t.department,
        t.covers,
        t.repositories,
        t.departments,
        t.components,
    ]
}

/// The cells of one entitlement, in the order of [`entitlement_columns`]. "In use" counts
/// what its license type counts (repositories or departments), else components.
pub(crate) fn entitlement_row(e: &EntitlementUse, lang: Lang) -> Vec<String> {
    let in_use = match e.license_type.as_str() {
        "per-repository" => e.repositories.len(),
        "per-department" => e.departments.len(),
        _ => e.components.len(),
    };
    vec![
        e.id.clone(),
        e.vendor.clone(),
        e.product.clone(),
        i18n::license_type(lang, &e.license_type).to_string(),
        e.quantity.map(|q| q.to_string()).unwrap_or_default(),
        in_use.to_string(),
        i18n::yes_no(lang, Some(e.over_quantity)).to_string(),
        i18n::validity(lang, &e.validity).to_string(),
        e.valid_from.clone().unwrap_or_default(),
        e.valid_until.clone().unwrap_or_default(),
        e.contract.clone().unwrap_or_default(),
        e.cost_centre.clone().unwrap_or_default(),
        e.department.clone().unwrap_or_default(),
        e.covers.join(" | "),
        e.repositories.join(" | "),
        e.departments.join(" | "),
        e.components.join(" | "),
    ]
}

/// The columns of the vendor ranking: the department ("total" for the whole scan), then the
/// vendor and its counts.
pub fn vendor_columns(lang: Lang) -> Vec<&'static str> {
    let t = lang.texts();
    vec![t.department, t.vendor, t.components, t.repositories, t.departments, t.products]
}

/// The vendor ranking of the whole scan, then per department, in the order of [`vendor_columns`].
pub(crate) fn vendor_rows(inv: &Inventory, lang: Lang) -> Vec<Vec<String>> {
    let whole = inv.vendors.iter().map(|v| (lang.texts().total.to_string(), v));
    let per_department = inv.departments.iter().flat_map(|d| d.vendors.iter().map(|v| (d.name.clone(), v)));
    whole
        .chain(per_department)
        .map(|(d, v): (String, &VendorUse)| {
            vec![
                d,
                v.vendor.clone(),
                v.components.to_string(),
                v.repositories.to_string(),
                v.departments.to_string(),
                v.products.join(" | "),
            ]
        })
        .collect()
}

/// A CSV document: a byte-order mark, the heading row, the rows, CRLF line ends.
fn document(heads: &[&str], rows: impl Iterator<Item = Vec<String>>, delimiter: u8) -> String {
    let sep = (delimiter as char).to_string();
    let line = |cells: &mut dyn Iterator<Item = String>| {
        let mut l = cells.map(|c| cell(&c, delimiter)).collect::<Vec<_>>().join(&sep);
        l.push_str("\r\n");
        l
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&line(&mut heads.iter().map(|h| h.to_string())));
    for r in rows {
        out.push_str(&line(&mut r.into_iter()));
    }
    out
}

pub fn render(inv: &Inventory, delimiter: u8, lang: Lang) -> String {
    let idx = Index::new(inv);
    document(&columns(lang), ordered(inv, &idx).into_iter().map(|c| row(c, &idx, lang)), delimiter)
}

/// The register of entitlements with its use (`-o entitlements-csv`).
pub fn render_entitlements(inv: &Inventory, delimiter: u8, lang: Lang) -> String {
    document(&entitlement_columns(lang), inv.entitlements.iter().map(|e| entitlement_row(e, lang)), delimiter)
}

/// The vendor ranking of the whole scan, then per department (`-o vendors-csv`).
pub fn render_vendors(inv: &Inventory, delimiter: u8, lang: Lang) -> String {
    document(&vendor_columns(lang), vendor_rows(inv, lang).into_iter(), delimiter)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("MIT", b','), "MIT");
        assert_eq!(cell("a,b", b','), "\"a,b\"");
        assert_eq!(cell("a;b", b','), "a;b");
        assert_eq!(cell("a;b", b';'), "\"a;b\"");
        assert_eq!(cell("say \"hi\"", b','), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=cmd()", b','), "'=cmd()");
    }
}
