//! The Excel workbook for procurement offices (`rust_xlsxwriter`).
//!
//! Owns the sheets: a summary (counts and shares per category and per project), the
//! components (the csv columns, with a filter and a frozen heading), the licenses with
//! their obligations, the policy findings and the scan's diagnostics. It computes no
//! verdict; it counts what the inventory says. The workbook's creation time is the scan's
//! start, so the same inventory gives the same bytes.

use super::i18n::{self, Lang};
use super::{Index, category_counts, csv, license_groups, project_counts, utc_seconds};
use kataster_model::model::Inventory;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Excel's limit for the text of one cell.
const CELL_MAX: usize = 32_767;

fn fit(s: &str) -> String {
    if s.chars().count() <= CELL_MAX {
        return s.to_string();
    }
    let mut t: String = s.chars().take(CELL_MAX - 1).collect();
    t.push('…');
    t
}

fn header(ws: &mut Worksheet, row: u32, cells: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (i, c) in cells.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, fit(c), bold)?;
    }
    Ok(())
}

fn strings(ws: &mut Worksheet, row: u32, cells: &[String]) -> Result<(), XlsxError> {
    for (i, c) in cells.iter().enumerate() {
        if !c.is_empty() {
            ws.write_string(row, i as u16, fit(c))?;
        }
    }
    Ok(())
}

/// A table sheet: heading row frozen and filterable, then the rows.
fn table(ws: &mut Worksheet, heads: &[&str], rows: &[Vec<String>], bold: &Format) -> Result<(), XlsxError> {
    header(ws, 0, heads, bold)?;
    for (r, cells) in rows.iter().enumerate() {
        strings(ws, r as u32 + 1, cells)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !heads.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, heads.len() as u16 - 1)?;
    }
    for (i, h) in heads.iter().enumerate() {
        let widest = rows.iter().map(|r| r.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0);
        let width = widest.max(h.chars().count()).clamp(8, 60);
        ws.set_column_width(i as u16, width as f64 + 2.0)?;
    }
    Ok(())
}

fn summary(ws: &mut Worksheet, inv: &Inventory, lang: Lang, bold: &Format, pct: &Format) -> Result<(), XlsxError> {
    let t = lang.texts();
    let title = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, t.title, &title)?;
    let roots: Vec<&str> = inv.scan.roots.iter().map(|r| r.label.as_str()).collect();
    let facts = [
        (t.scanned_roots, roots.join(", ")),
        (t.scan_started, utc_seconds(&inv.scan.started_at)),
        (t.tool, format!("{} {}", inv.tool.name, inv.tool.version)),
        (t.license_db, inv.tool.license_db_version.clone()),
    ];
    let mut row = 2u32;
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, bold)?;
        ws.write_string(row, 1, fit(&v))?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, t.components, bold)?;
    ws.write_number(row, 1, inv.components.len() as f64)?;
    row += 1;
    ws.write_string_with_format(row, 0, t.open_source_share, bold)?;
    let classified = inv.components.iter().any(|c| c.classification.is_some());
    if classified {
        ws.write_number_with_format(row, 1, inv.summary.open_source_share, pct)?;
    } else {
        ws.write_string(row, 1, format!("– ({})", t.unclassified_hint))?;
    }
    if classified {
        row += 1;
        ws.write_string(row, 0, t.open_source_share_known)?;
        ws.write_number_with_format(row, 1, inv.summary.open_source_share_known, pct)?;
        row += 1;
        ws.write_string(row, 0, t.open_source_unknown)?;
        ws.write_number(row, 1, inv.summary.by_open_source.get("unknown").copied().unwrap_or(0) as f64)?;
    }
    row += 2;

    let total = inv.components.len().max(1) as f64;
    header(ws, row, &[t.category, t.count, t.share], bold)?;
    row += 1;
    for (cat, n) in category_counts(inv) {
        ws.write_string(row, 0, i18n::category(lang, cat.as_deref()))?;
        ws.write_number(row, 1, n as f64)?;
        ws.write_number_with_format(row, 2, n as f64 / total, pct)?;
        row += 1;
    }
    row += 1;

    ws.write_string_with_format(row, 0, t.per_project, bold)?;
    row += 1;
    header(
        ws,
        row,
        &[
            t.project,
            t.components,
            t.open_source,
            t.open_source_unknown,
            t.open_source_share,
            t.needs_review,
            t.categories,
        ],
        bold,
    )?;
    row += 1;
    for p in project_counts(inv) {
        ws.write_string(row, 0, fit(&i18n::project_row_name(lang, &p.name, p.outside_projects)))?;
        ws.write_number(row, 1, p.components as f64)?;
        ws.write_number(row, 2, p.open_source as f64)?;
        ws.write_number(row, 3, p.unknown as f64)?;
        ws.write_number_with_format(row, 4, p.share(), pct)?;
        ws.write_number(row, 5, p.needs_review as f64)?;
        let cats: Vec<String> =
            p.by_category.iter().map(|(c, n)| format!("{}: {n}", i18n::category(lang, c.as_deref()))).collect();
        ws.write_string(row, 6, fit(&cats.join(", ")))?;
        row += 1;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(5, 50)?;
    Ok(())
}

fn build(inv: &Inventory, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = lang.texts();
    let idx = Index::new(inv);
    let mut wb = Workbook::new();
    let created = ExcelDateTime::parse_from_str(&utc_seconds(&inv.scan.started_at))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(t.title)
            .set_author(format!("{} {}", inv.tool.name, inv.tool.version))
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");

    let ws = wb.add_worksheet();
    ws.set_name(t.summary)?;
    summary(ws, inv, lang, &bold, &pct)?;

    let ws = wb.add_worksheet();
    ws.set_name(t.components)?;
    let rows: Vec<Vec<String>> = csv::ordered(inv, &idx).into_iter().map(|c| csv::row(c, &idx, lang)).collect();
    table(ws, &csv::columns(lang), &rows, &bold)?;

    let ws = wb.add_worksheet();
    ws.set_name(t.licenses)?;
    let rows: Vec<Vec<String>> = license_groups(inv)
        .into_iter()
        .map(|g| {
            let k = g.classification;
            let mut names: Vec<String> = g
                .components
                .iter()
                .map(|c| match &c.version {
                    Some(v) => format!("{} {v}", c.name),
                    None => c.name.clone(),
                })
                .collect();
            names.sort();
            vec![
                g.license.unwrap_or(t.unknown).to_string(),
                i18n::category(lang, k.map(|k| k.category.as_str())),
                i18n::open_source(lang, k.map(|k| k.open_source)).to_string(),
                k.map(|k| {
                    k.obligations.iter().map(|o| i18n::obligation(lang, o.as_str())).collect::<Vec<_>>().join(" | ")
                })
                .unwrap_or_default(),
                g.components.len().to_string(),
                names.join(" | "),
            ]
        })
        .collect();
    table(ws, &[t.license, t.category, t.open_source, t.obligations, t.count, t.components], &rows, &bold)?;

    let ws = wb.add_worksheet();
    ws.set_name(t.findings)?;
    let rows: Vec<Vec<String>> = inv
        .findings
        .iter()
        .map(|f| {
            vec![
                f.name.clone(),
                f.version.clone().unwrap_or_default(),
                f.license.clone().unwrap_or_default(),
                i18n::decision(lang, f.decision).to_string(),
                f.rule.to_string(),
                f.reason.clone(),
                f.paths.join(" | "),
                f.component.clone(),
            ]
        })
        .collect();
    table(ws, &[t.component, t.version, t.license, t.decision, t.rule, t.reason, t.evidence, t.id], &rows, &bold)?;

    if !inv.entitlements.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(t.entitlements)?;
        let rows: Vec<Vec<String>> = inv.entitlements.iter().map(|e| csv::entitlement_row(e, lang)).collect();
        table(ws, &csv::entitlement_columns(lang), &rows, &bold)?;
    }
    if !inv.vendors.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(t.vendors)?;
        table(ws, &csv::vendor_columns(lang), &csv::vendor_rows(inv, lang), &bold)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name(t.diagnostics)?;
    let rows: Vec<Vec<String>> = inv
        .diagnostics
        .iter()
        .map(|d| {
            vec![
                i18n::severity(lang, d.severity).to_string(),
                d.root.clone(),
                d.path.clone(),
                d.code.to_string(),
                d.message.clone(),
            ]
        })
        .collect();
    table(ws, &[t.severity, t.root, t.path, t.code, t.message], &rows, &bold)?;

    wb.save_to_buffer()
}

/// Render the workbook; an error names what went wrong in the writer.
pub fn render(inv: &Inventory, lang: Lang) -> Result<Vec<u8>, String> {
    build(inv, lang).map_err(|e| format!("xlsx: {e}"))
}
