//! The open-source dashboard (`kataster dashboard --db FILE -o html=dashboard.html`).
//!
//! Owns: the questions the dashboard asks of the history database ([`load`]) and one
//! self-contained HTML page that answers them ([`render`]): the open-source share over
//! time, per repository and per department, the categories, the licenses with the most
//! components, proprietary and source-available components per supplier (vendor
//! concentration, the lock-in to watch), and the unresolved and needs-review counts.
//!
//! The page is offline: inline CSS and SVG, no scripts, no fonts, no links to anything.
//! Components without a classification are counted as `unclassified`, never guessed.

use super::{History, HistoryError};
use rusqlite::params;
use std::fmt::Write;

/// Categories that are neither open source nor free to change supplier: the lock-in view.
pub const LOCK_IN_CATEGORIES: &[&str] = &["commercial", "proprietary", "source-available"];

/// Bars per chart before the rest is summed up in one line.
const MAX_BARS: usize = 60;

/// One scan's counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanPoint {
    pub id: i64,
    pub started_at: String,
    pub components: u64,
    pub open_source: u64,
    pub not_open_source: u64,
    /// Classified, but whether it is open source is unknown.
    pub unknown: u64,
    pub unclassified: u64,
    pub needs_review: u64,
    /// Components without a concluded license.
    pub unresolved: u64,
    pub denied: u64,
    pub review_findings: u64,
}

impl ScanPoint {
    /// Open-source share of all components, 0 to 1.
    pub fn share(&self) -> f64 {
        if self.components == 0 { 0.0 } else { self.open_source as f64 / self.components as f64 }
    }

    /// Open-source share of the components whose status is known, 0 to 1.
    pub fn share_known(&self) -> f64 {
        let known = self.open_source + self.not_open_source;
        if known == 0 { 0.0 } else { self.open_source as f64 / known as f64 }
    }
}

/// Open source, not open source, unknown and unclassified components of a repository or
/// department.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub name: String,
    pub open_source: u64,
    pub not_open_source: u64,
    pub unknown: u64,
    pub unclassified: u64,
}

impl Share {
    pub fn total(&self) -> u64 {
        self.open_source + self.not_open_source + self.unknown + self.unclassified
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupplierRow {
    pub supplier: String,
    pub proprietary: u64,
    pub source_available: u64,
}

/// A vendor of the latest scan's non-open-source components, with its count in the first
/// stored scan that ranked vendors (the trend).
#[derive(Debug, Clone, PartialEq)]
pub struct VendorRow {
    pub vendor: String,
    pub components: u64,
    pub repositories: u64,
    pub departments: u64,
    pub first_components: Option<u64>,
}

/// An entitlement of the latest scan's register.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitlementRow {
    pub id: String,
    pub vendor: String,
    pub product: String,
    pub validity: String,
    pub valid_until: Option<String>,
    pub components: u64,
    pub over_quantity: bool,
}

/// What the dashboard shows; everything but `scans` is about the latest scan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DashboardData {
    pub scans: Vec<ScanPoint>,
    pub repositories: Vec<Share>,
    pub departments: Vec<Share>,
    pub categories: Vec<(String, u64)>,
    pub licenses: Vec<(String, u64)>,
    pub suppliers: Vec<SupplierRow>,
    pub vendors: Vec<VendorRow>,
    pub entitlements: Vec<EntitlementRow>,
}

impl DashboardData {
    pub fn latest(&self) -> Option<&ScanPoint> {
        self.scans.last()
    }

    /// The share of the lock-in components held by the largest supplier.
    pub fn top_supplier_share(&self) -> Option<f64> {
        let total: u64 = self.suppliers.iter().map(|s| s.proprietary + s.source_available).sum();
        let top = self.suppliers.iter().map(|s| s.proprietary + s.source_available).max()?;
        (total > 0).then(|| top as f64 / total as f64)
    }
}

const SHARE_COLUMNS: &str = "
    COALESCE(SUM(CASE WHEN c.open_source = 1 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN c.open_source = 0 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN c.id IS NOT NULL AND c.open_source IS NULL AND c.category IS NOT NULL THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN c.id IS NOT NULL AND c.category IS NULL THEN 1 ELSE 0 END), 0)";

/// Read what the dashboard shows from the history.
pub fn load(h: &History) -> Result<DashboardData, HistoryError> {
    let conn = h.connection();
    let e = |e: rusqlite::Error| h.err(e);
    let mut data = DashboardData::default();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT s.id, s.started_at, COUNT(c.id), {SHARE_COLUMNS},
                COALESCE(SUM(CASE WHEN c.needs_review = 1 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN c.id IS NOT NULL AND c.concluded_license IS NULL THEN 1 ELSE 0 END), 0),
                (SELECT COUNT(*) FROM findings f WHERE f.scan_id = s.id AND f.decision = 'deny'),
                (SELECT COUNT(*) FROM findings f WHERE f.scan_id = s.id AND f.decision = 'review')
             FROM scans s LEFT JOIN components c ON c.scan_id = s.id
             GROUP BY s.id ORDER BY s.started_at, s.id"
        ))
        .map_err(e)?;
    let u = |r: &rusqlite::Row, i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
    data.scans = stmt
        .query_map([], |r| {
            Ok(ScanPoint {
                id: r.get(0)?,
                started_at: r.get(1)?,
                components: u(r, 2)?,
                open_source: u(r, 3)?,
                not_open_source: u(r, 4)?,
                unknown: u(r, 5)?,
                unclassified: u(r, 6)?,
                needs_review: u(r, 7)?,
                unresolved: u(r, 8)?,
                denied: u(r, 9)?,
                review_findings: u(r, 10)?,
            })
        })
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    let Some(latest) = data.latest().map(|s| s.id) else { return Ok(data) };
    let shares = |group: &str| -> Result<Vec<Share>, HistoryError> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {group}, {SHARE_COLUMNS}
                 FROM repositories r LEFT JOIN components c ON c.scan_id = r.scan_id AND c.root = r.name
                 WHERE r.scan_id = ?1 GROUP BY 1 ORDER BY 1"
            ))
            .map_err(e)?;
        let rows = stmt
            .query_map(params![latest], |r| {
                Ok(Share {
                    name: r.get(0)?,
                    open_source: u(r, 1)?,
                    not_open_source: u(r, 2)?,
                    unknown: u(r, 3)?,
                    unclassified: u(r, 4)?,
                })
            })
            .map_err(e)?;
        rows.collect::<Result<_, _>>().map_err(e)
    };
    data.repositories = shares("r.name")?;
    data.departments = shares(&format!("COALESCE(r.department, '{}')", kataster_model::model::UNASSIGNED))?;
    let counts = |sql: &str| -> Result<Vec<(String, u64)>, HistoryError> {
        let mut stmt = conn.prepare(sql).map_err(e)?;
        let rows = stmt.query_map(params![latest], |r| Ok((r.get(0)?, u(r, 1)?))).map_err(e)?;
        rows.collect::<Result<_, _>>().map_err(e)
    };
    data.categories = counts(
        "SELECT COALESCE(category, 'unclassified'), COUNT(*) FROM components WHERE scan_id = ?1
         GROUP BY 1 ORDER BY 2 DESC, 1",
    )?;
    // Per component its concluded license ids, else its declared ones.
    data.licenses = counts(
        "SELECT license, COUNT(DISTINCT component_id) FROM licenses l
         WHERE scan_id = ?1 AND (slot = 'concluded' OR (slot = 'declared' AND NOT EXISTS (
             SELECT 1 FROM licenses k WHERE k.scan_id = l.scan_id AND k.component_id = l.component_id
             AND k.slot = 'concluded')))
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
    )?;
    let mut stmt = conn
        .prepare(
            "SELECT COALESCE(NULLIF(TRIM(supplier), ''), '(supplier unknown)'),
                SUM(CASE WHEN category IN ('proprietary', 'commercial') THEN 1 ELSE 0 END),
                SUM(CASE WHEN category = 'source-available' THEN 1 ELSE 0 END)
             FROM components WHERE scan_id = ?1 AND category IN ('commercial', 'proprietary', 'source-available')
             GROUP BY 1 ORDER BY 2 + 3 DESC, 1",
        )
        .map_err(e)?;
    data.suppliers = stmt
        .query_map(params![latest], |r| {
            Ok(SupplierRow { supplier: r.get(0)?, proprietary: u(r, 1)?, source_available: u(r, 2)? })
        })
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    let mut stmt = conn
        .prepare(
            "SELECT v.vendor, v.components, v.repositories, v.departments,
                (SELECT f.components FROM vendors f WHERE f.department = '' AND f.vendor = v.vendor
                 AND f.scan_id = (SELECT MIN(scan_id) FROM vendors))
             FROM vendors v WHERE v.scan_id = ?1 AND v.department = ''
             ORDER BY v.components DESC, v.repositories DESC, v.departments DESC, v.vendor",
        )
        .map_err(e)?;
    data.vendors = stmt
        .query_map(params![latest], |r| {
            Ok(VendorRow {
                vendor: r.get(0)?,
                components: u(r, 1)?,
                repositories: u(r, 2)?,
                departments: u(r, 3)?,
                first_components: r.get::<_, Option<i64>>(4)?.map(|v| v.max(0) as u64),
            })
        })
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    let mut stmt = conn
        .prepare(
            "SELECT id, vendor, product, validity, valid_until, components, over_quantity
             FROM entitlements WHERE scan_id = ?1 ORDER BY rowid",
        )
        .map_err(e)?;
    data.entitlements = stmt
        .query_map(params![latest], |r| {
            Ok(EntitlementRow {
                id: r.get(0)?,
                vendor: r.get(1)?,
                product: r.get(2)?,
                validity: r.get(3)?,
                valid_until: r.get(4)?,
                components: u(r, 5)?,
                over_quantity: r.get(6)?,
            })
        })
        .map_err(e)?
        .collect::<Result<_, _>>()
        .map_err(e)?;
    Ok(data)
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// The date of an RFC 3339 timestamp.
fn day(ts: &str) -> &str {
    ts.get(..10).unwrap_or(ts)
}

/// A line chart of series over the scans; `y_max` tops the axis, `fmt` labels values.
fn line_chart(
    o: &mut String,
    labels: &[String],
    series: &[(&str, &str, Vec<f64>)],
    y_max: f64,
    fmt: &dyn Fn(f64) -> String,
) {
    let (w, h, left, right, top, bottom) = (760.0, 240.0, 70.0, 20.0, 16.0, 40.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let y_max = if y_max > 0.0 { y_max } else { 1.0 };
    let n = labels.len();
    let x = |i: usize| if n <= 1 { left + pw / 2.0 } else { left + pw * i as f64 / (n - 1) as f64 };
    let y = |v: f64| top + ph - ph * (v / y_max).clamp(0.0, 1.0);
    let _ = write!(o, r#"<svg viewBox="0 0 {w} {h}" role="img" class="chart">"#);
    for k in 0..=4 {
        let v = y_max * k as f64 / 4.0;
        let _ = write!(
            o,
            r#"<line x1="{left}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" class="grid"/><text x="{}" y="{:.1}" class="axis" text-anchor="end">{}</text>"#,
            w - right,
            left - 6.0,
            y(v) + 4.0,
            esc(&fmt(v)),
            yy = y(v)
        );
    }
    let step = n.div_ceil(8).max(1);
    for (i, l) in labels.iter().enumerate() {
        if i % step == 0 || i + 1 == n {
            let anchor = if n > 1 && i == 0 {
                "start"
            } else if n > 1 && i + 1 == n {
                "end"
            } else {
                "middle"
            };
            let _ = write!(
                o,
                r#"<text x="{:.1}" y="{}" class="axis" text-anchor="{anchor}">{}</text>"#,
                x(i),
                h - 14.0,
                esc(l)
            );
        }
    }
    for (name, class, values) in series {
        let points: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
        let _ = write!(
            o,
            r#"<polyline points="{}" class="line {class}"><title>{}</title></polyline>"#,
            points.join(" "),
            esc(name)
        );
        for (i, v) in values.iter().enumerate() {
            let _ = write!(
                o,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" class="dot {class}"><title>{}: {} ({})</title></circle>"#,
                x(i),
                y(*v),
                esc(name),
                esc(&fmt(*v)),
                esc(labels.get(i).map(String::as_str).unwrap_or(""))
            );
        }
    }
    o.push_str("</svg>");
    if series.len() > 1 {
        legend(o, &series.iter().map(|(n, c, _)| (*n, *c)).collect::<Vec<_>>());
    }
}

fn legend(o: &mut String, items: &[(&str, &str)]) {
    o.push_str(r#"<p class="legend">"#);
    for (name, class) in items {
        let _ = write!(o, r#"<span><i class="{class}"></i>{}</span>"#, esc(name));
    }
    o.push_str("</p>");
}

/// One bar: its label, its segments `(value, CSS class, what it counts)` and a note after it.
type Bar = (String, Vec<(u64, &'static str, &'static str)>, String);

/// Horizontal bars, each made of segments, labelled with its note.
fn bar_chart(o: &mut String, rows: &[Bar]) {
    if rows.is_empty() {
        o.push_str(r#"<p class="empty">Nothing to show.</p>"#);
        return;
    }
    let shown = &rows[..rows.len().min(MAX_BARS)];
    let max = shown.iter().map(|(_, segs, _)| segs.iter().map(|s| s.0).sum::<u64>()).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (220.0, 420.0, 22.0);
    let h = row_h * shown.len() as f64 + 8.0;
    let _ = write!(o, r#"<svg viewBox="0 0 {} {h}" role="img" class="chart bars">"#, label_w + bar_w + 200.0);
    for (i, (label, segs, note)) in shown.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let shown_label: String = if label.chars().count() > 32 {
            format!("{}…", label.chars().take(31).collect::<String>())
        } else {
            label.clone()
        };
        let _ = write!(
            o,
            r#"<text x="{}" y="{:.1}" text-anchor="end" class="label">{}<title>{}</title></text>"#,
            label_w - 8.0,
            y + 15.0,
            esc(&shown_label),
            esc(label)
        );
        let mut x = label_w;
        for (value, class, what) in segs {
            let w = bar_w * *value as f64 / max as f64;
            if *value > 0 {
                let _ = write!(
                    o,
                    r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="{}" class="{class}"><title>{}: {value} {}</title></rect>"#,
                    y + 3.0,
                    row_h - 6.0,
                    esc(label),
                    esc(what)
                );
            }
            x += w;
        }
        let _ = write!(o, r#"<text x="{:.1}" y="{:.1}" class="note">{}</text>"#, x + 6.0, y + 15.0, esc(note));
    }
    o.push_str("</svg>");
    if rows.len() > MAX_BARS {
        let _ = write!(o, r#"<p class="empty">… and {} more.</p>"#, rows.len() - MAX_BARS);
    }
}

fn share_rows(shares: &[Share]) -> Vec<Bar> {
    shares
        .iter()
        .map(|s| {
            let t = s.total();
            let known = s.open_source + s.not_open_source;
            let note = if t == 0 {
                "no components".to_string()
            } else if known < t {
                format!(
                    "{} of {t} open source; {} of the {known} whose status is known",
                    pct(s.open_source as f64 / t as f64),
                    pct(if known == 0 { 0.0 } else { s.open_source as f64 / known as f64 })
                )
            } else {
                format!("{} of {t} open source", pct(s.open_source as f64 / t as f64))
            };
            (
                s.name.clone(),
                vec![
                    (s.open_source, "os", "open source"),
                    (s.not_open_source, "closed", "not open source"),
                    (s.unknown, "unknown", "status unknown"),
                    (s.unclassified, "unclassified", "unclassified"),
                ],
                note,
            )
        })
        .collect()
}

fn count_rows(counts: &[(String, u64)], class: &'static str) -> Vec<Bar> {
    counts.iter().map(|(n, c)| (n.clone(), vec![(*c, class, "components")], c.to_string())).collect()
}

/// The dashboard page.
pub fn render(d: &DashboardData) -> String {
    let mut o = String::new();
    o.push_str(concat!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<title>kataster: open-source dashboard</title>\n<style>\n",
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:62rem;padding:0 1rem;color:#1d2430}",
        "h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2.2rem;border-bottom:1px solid #d0d5dd;padding-bottom:.3rem}",
        ".tiles{display:flex;flex-wrap:wrap;gap:.8rem}.tile{border:1px solid #d0d5dd;border-radius:6px;padding:.6rem .9rem;min-width:9rem}",
        ".tile b{display:block;font-size:1.5rem}.chart{width:100%;height:auto}.grid{stroke:#e4e7ec}",
        ".axis,.label,.note{font-size:11px;fill:#475467}.line{fill:none;stroke-width:2.5}",
        ".os{fill:#2e7d32}.line.os{stroke:#2e7d32;fill:none}.closed{fill:#c62828}.line.closed{stroke:#c62828;fill:none}",
        ".unknown{fill:#fbc02d}.unclassified{fill:#98a2b3}.review{fill:#ef6c00}.line.review{stroke:#ef6c00;fill:none}",
        ".unresolved{fill:#6a1b9a}.line.unresolved{stroke:#6a1b9a;fill:none}.plain{fill:#1565c0}",
        ".proprietary{fill:#c62828}.source-available{fill:#ef6c00}",
        ".legend span{margin-right:1.2rem;font-size:.85rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}",
        ".legend i.os{background:#2e7d32}.legend i.closed{background:#c62828}.legend i.unknown{background:#fbc02d}.legend i.unclassified{background:#98a2b3}",
        ".legend i.review{background:#ef6c00}.legend i.unresolved{background:#6a1b9a}.legend i.proprietary{background:#c62828}",
        ".legend i.source-available{background:#ef6c00}.empty,.hint{color:#667085;font-size:.9rem}\n",
        "</style>\n</head>\n<body>\n<h1>Open-source dashboard</h1>\n"
    ));
    let Some(latest) = d.latest() else {
        o.push_str("<p class=\"empty\">The history holds no scans yet: run <code>kataster scan --db FILE</code>.</p>\n</body>\n</html>\n");
        return o;
    };
    let _ = writeln!(
        o,
        r#"<p class="hint">{} scans from {} to {}; figures below the first chart are from the latest scan.</p>"#,
        d.scans.len(),
        esc(day(&d.scans[0].started_at)),
        esc(day(&latest.started_at))
    );
    o.push_str(r#"<div class="tiles">"#);
    for (label, value) in [
        ("open-source share", pct(latest.share())),
        ("open-source share of known status", pct(latest.share_known())),
        ("components", latest.components.to_string()),
        ("open-source status unknown", latest.unknown.to_string()),
        ("unclassified", latest.unclassified.to_string()),
        ("needs review", latest.needs_review.to_string()),
        ("unresolved license", latest.unresolved.to_string()),
        ("denied by policy", latest.denied.to_string()),
    ] {
        let _ = write!(o, r#"<div class="tile"><b>{}</b>{}</div>"#, esc(&value), esc(label));
    }
    o.push_str("</div>\n");

    let labels: Vec<String> = d.scans.iter().map(|s| day(&s.started_at).to_string()).collect();
    o.push_str("<h2>Open-source share over time</h2>\n");
    let share: Vec<f64> = d.scans.iter().map(ScanPoint::share).collect();
    line_chart(&mut o, &labels, &[("open-source share", "os", share)], 1.0, &|v| format!("{:.0} %", v * 100.0));
    if latest.unclassified + latest.unknown > 0 {
        let _ = write!(
            o,
            r#"<p class="hint">{} of {} components of the latest scan have an unknown open-source status and {} are unclassified; the share counts them as not open source, the share of known status leaves them out.</p>"#,
            latest.unknown, latest.components, latest.unclassified
        );
    }

    o.push_str("\n<h2>Unresolved and needs review over time</h2>\n");
    let max = d.scans.iter().map(|s| s.unresolved.max(s.needs_review).max(s.denied)).max().unwrap_or(0) as f64;
    line_chart(
        &mut o,
        &labels,
        &[
            ("unresolved license", "unresolved", d.scans.iter().map(|s| s.unresolved as f64).collect()),
            ("needs review", "review", d.scans.iter().map(|s| s.needs_review as f64).collect()),
            ("denied by policy", "closed", d.scans.iter().map(|s| s.denied as f64).collect()),
        ],
        // A multiple of 4, so that the grid lines fall on whole numbers.
        (max / 4.0).ceil().max(1.0) * 4.0,
        &|v| format!("{v:.0}"),
    );

    let share_legend = [
        ("open source", "os"),
        ("not open source", "closed"),
        ("status unknown", "unknown"),
        ("unclassified", "unclassified"),
    ];
    o.push_str("\n<h2>Per department</h2>\n");
    legend(&mut o, &share_legend);
    bar_chart(&mut o, &share_rows(&d.departments));
    o.push_str("\n<h2>Per repository</h2>\n");
    legend(&mut o, &share_legend);
    bar_chart(&mut o, &share_rows(&d.repositories));
    o.push_str("\n<h2>Categories</h2>\n");
    bar_chart(&mut o, &count_rows(&d.categories, "plain"));
    o.push_str("\n<h2>Licenses with the most components</h2>\n");
    bar_chart(&mut o, &count_rows(&d.licenses, "plain"));

    o.push_str("\n<h2>Proprietary and source-available components by supplier</h2>\n");
    legend(&mut o, &[("proprietary", "proprietary"), ("source-available", "source-available")]);
    if let Some(top) = d.top_supplier_share() {
        let _ = write!(
            o,
            r#"<p class="hint">Vendor concentration: the largest supplier, {}, holds {} of these components.</p>"#,
            esc(d.suppliers.first().map(|s| s.supplier.as_str()).unwrap_or("")),
            pct(top)
        );
    }
    let rows: Vec<_> = d
        .suppliers
        .iter()
        .map(|s| {
            (
                s.supplier.clone(),
                vec![
                    (s.proprietary, "proprietary", "proprietary"),
                    (s.source_available, "source-available", "source-available"),
                ],
                (s.proprietary + s.source_available).to_string(),
            )
        })
        .collect();
    bar_chart(&mut o, &rows);

    o.push_str("\n<h2>Vendor dependence</h2>\n");
    o.push_str(r#"<p class="hint">Vendors of the components that are not open source (the license's owner, else the package's supplier), by components; the note gives repositories, departments and the count in the first scan that ranked vendors.</p>"#);
    let rows: Vec<Bar> = d
        .vendors
        .iter()
        .map(|v| {
            let was = v.first_components.map(|f| format!("; first scan {f}")).unwrap_or_else(|| "; new".into());
            (
                v.vendor.clone(),
                vec![(v.components, "proprietary", "components")],
                format!("{} in {} repositories, {} departments{was}", v.components, v.repositories, v.departments),
            )
        })
        .collect();
    bar_chart(&mut o, &rows);
    if !d.entitlements.is_empty() {
        o.push_str("\n<h2>Register of entitlements</h2>\n<table><thead><tr><th>Entitlement</th><th>Vendor</th><th>Product</th><th>Validity</th><th>Valid until</th><th>Components</th><th>Over quantity</th></tr></thead><tbody>");
        for x in &d.entitlements {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&x.id),
                esc(&x.vendor),
                esc(&x.product),
                esc(&x.validity),
                esc(x.valid_until.as_deref().unwrap_or("")),
                x.components,
                if x.over_quantity { "yes" } else { "no" }
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("\n</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(day("2026-11-27T11:00:00Z"), "2026-11-27");
        assert_eq!(day("short"), "short");
    }

    #[test]
    fn an_empty_history_says_so() {
        let html = render(&DashboardData::default());
        assert!(html.contains("holds no scans yet"));
    }
}
