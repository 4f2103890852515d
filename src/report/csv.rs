//! One row per component, for spreadsheets.
//!
//! UTF-8 with a byte-order mark so that spreadsheet programs detect the encoding; cells
//! that a spreadsheet would run as a formula are neutralised with a leading apostrophe.

use crate::inventory::model::{Component, Inventory};

pub const COLUMNS: &[&str] = &[
    "root",
    "project",
    "name",
    "version",
    "ecosystem",
    "kind",
    "scope",
    "direct",
    "purl",
    "declared_license",
    "detected_licenses",
    "concluded_license",
    "category",
    "open_source",
    "needs_review",
    "locations",
    "id",
];

/// Quote a cell for CSV with the given delimiter.
pub fn cell(value: &str, delimiter: u8) -> String {
    let mut v = value.to_string();
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.insert(0, '\'');
    }
    if v.contains([delimiter as char, '"', '\n', '\r']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v }
}

fn row(c: &Component, inv: &Inventory) -> Vec<String> {
    let project_names: Vec<String> = c
        .projects
        .iter()
        .map(|id| inv.components.iter().find(|p| &p.id == id).map(|p| p.name.clone()).unwrap_or_else(|| id.clone()))
        .collect();
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes".to_string(),
        Some(false) => "no".to_string(),
        None => String::new(),
    };
    let enum_str = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    vec![
        c.root.clone(),
        project_names.join(" | "),
        c.name.clone(),
        c.version.clone().unwrap_or_default(),
        c.ecosystem.clone(),
        enum_str(serde_json::to_value(c.kind).unwrap_or_default()),
        enum_str(serde_json::to_value(c.scope).unwrap_or_default()),
        yes_no(c.direct),
        c.purl.clone().unwrap_or_default(),
        c.declared_license.clone().or_else(|| c.declared_license_raw.clone()).unwrap_or_default(),
        c.detected_licenses.join(" | "),
        c.concluded_license.clone().unwrap_or_default(),
        c.classification.as_ref().map(|k| k.category.clone()).unwrap_or_default(),
        yes_no(c.classification.as_ref().map(|k| k.open_source)),
        yes_no(c.classification.as_ref().map(|k| k.needs_review)),
        c.locations.join(" | "),
        c.id.clone(),
    ]
}

pub fn render(inv: &Inventory, delimiter: u8) -> String {
    let sep = (delimiter as char).to_string();
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.iter().map(|c| cell(c, delimiter)).collect::<Vec<_>>().join(&sep));
    out.push_str("\r\n");
    for c in &inv.components {
        out.push_str(&row(c, inv).iter().map(|v| cell(v, delimiter)).collect::<Vec<_>>().join(&sep));
        out.push_str("\r\n");
    }
    out
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
