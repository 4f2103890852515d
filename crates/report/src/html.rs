//! The HTML report for a head of IT: one self-contained file that works offline.
//!
//! Owns the page: a summary with inline SVG charts (open-source share, categories, per
//! project), a searchable, sortable component table, the obligations per license, the
//! components and findings that need review, and the scan's diagnostics. Everything is in
//! the one file: no external scripts, fonts, styles or images, and no network request. The
//! script only filters and sorts what the page already shows.

use super::i18n::{self, Lang};
use super::{Index, category_counts, csv, license_groups, project_counts, utc_seconds};
use kataster_model::model::{Component, Inventory};
use std::fmt::Write;

/// Escape text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(ch),
        }
    }
    o
}

/// A fixed colour per category, so that charts read the same in every report.
fn colour(cat: Option<&str>) -> &'static str {
    match cat {
        Some("permissive") => "#2e7d32",
        Some("public-domain") => "#66bb6a",
        Some("weak-copyleft") => "#f9a825",
        Some("strong-copyleft") => "#ef6c00",
        Some("network-copyleft") => "#c62828",
        Some("source-available") => "#6a1b9a",
        Some("freeware") => "#5c6bc0",
        Some("commercial") => "#ad1457",
        Some("proprietary") => "#37474f",
        Some("unknown") => "#9e9e9e",
        None => "#bdbdbd",
        Some(_) => "#8d6e63",
    }
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1c1c1c;background:#fafafa}
header{background:#263238;color:#fff;padding:1rem 2rem}
header h1{margin:0 0 .3rem 0;font-size:1.5rem}
header p{margin:0;font-size:.9rem;opacity:.85}
main{padding:1rem 2rem 3rem 2rem}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem 1.5rem;margin:1rem 0}
h2{font-size:1.2rem;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}
.figure{font-size:2rem;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0;position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
td.num,th.num{text-align:right}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.4rem;vertical-align:middle}
input[type=search]{padding:.4rem;width:min(30rem,100%);font-size:1rem;margin-bottom:.5rem}
.review{color:#b71c1c;font-weight:600}
.muted{color:#666}
code{font-size:.85em}
"#;

const SCRIPT: &str = r#"
(function () {
  var errors = [];
  window.addEventListener('error', function (e) {
    errors.push(String(e.message));
    document.body.setAttribute('data-script-errors', errors.join(' | '));
  });
  var table = document.getElementById('components');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById('shown-count');
  var search = document.getElementById('search');
  function filter() {
    var words = search.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    var n = 0;
    rows.forEach(function (r) {
      var text = r.getAttribute('data-search');
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      r.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = String(n);
  }
  search.addEventListener('input', filter);
  function key(cell) {
    var v = cell.getAttribute('data-sort');
    return v === null ? cell.textContent.trim().toLowerCase() : v;
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (t) {
    var heads = t.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var list = Array.prototype.slice.call(t.tBodies[0].rows);
        list.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        list.forEach(function (r) { t.tBodies[0].appendChild(r); });
      });
    });
  });
  filter();
  document.body.setAttribute('data-ready', 'yes');
})();
"#;

/// A ring chart of the open-source share.
fn donut(share: f64, label: &str) -> String {
    let r = 40.0;
    let c = 2.0 * std::f64::consts::PI * r;
    let on = (share.clamp(0.0, 1.0) * c * 100.0).round() / 100.0;
    format!(
        r##"<svg width="120" height="120" viewBox="0 0 120 120" role="img" aria-label="{label}"><circle cx="60" cy="60" r="{r}" fill="none" stroke="#e0e0e0" stroke-width="16"/><circle cx="60" cy="60" r="{r}" fill="none" stroke="#2e7d32" stroke-width="16" stroke-dasharray="{on} {c:.2}" transform="rotate(-90 60 60)"/></svg>"##,
        label = esc(label)
    )
}

/// Horizontal bars, one per (label, count, colour).
fn bars(items: &[(String, u64, &'static str)], total: u64, lang: Lang) -> String {
    let width = 260.0;
    let row_h = 22;
    let h = items.len() as u32 * row_h + 4;
    let mut o = format!(r#"<svg width="620" height="{h}" viewBox="0 0 620 {h}" role="img">"#);
    for (i, (label, n, col)) in items.iter().enumerate() {
        let y = i as u32 * row_h + 2;
        let w = if total == 0 { 0.0 } else { width * *n as f64 / total as f64 };
        let share = if total == 0 { 0.0 } else { *n as f64 / total as f64 };
        let _ = write!(
            o,
            r#"<text x="0" y="{ty}" font-size="12">{label}</text><rect x="230" y="{y}" width="{w:.1}" height="16" fill="{col}"/><text x="{tx:.1}" y="{ty}" font-size="12">{n} ({pct})</text>"#,
            ty = y + 12,
            label = esc(label),
            tx = 236.0 + w,
            pct = esc(&i18n::percent(lang, share)),
        );
    }
    o.push_str("</svg>");
    o
}

/// `<table ATTRS><thead>` with the headings (`true`: a numeric column), then `<tbody>`.
fn table_open(o: &mut String, attrs: &str, heads: &[(&str, bool)]) {
    let sep = if attrs.is_empty() { "" } else { " " };
    let _ = write!(o, "<table{sep}{attrs}><thead><tr>");
    for (h, num) in heads {
        let class = if *num { r#" class="num""# } else { "" };
        let _ = write!(o, "<th{class}>{}</th>", esc(h));
    }
    o.push_str("</tr></thead><tbody>");
}

/// A table of text cells (numbers right-aligned), headings first.
fn grid(o: &mut String, attrs: &str, heads: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    let rows: Vec<Vec<String>> = rows.collect();
    let numeric: Vec<bool> = (0..heads.len())
        .map(|i| {
            !rows.is_empty()
                && rows.iter().all(|r| r.get(i).is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit())))
        })
        .collect();
    let heads: Vec<(&str, bool)> = heads.iter().copied().zip(numeric.iter().copied()).collect();
    table_open(o, attrs, &heads);
    for r in rows {
        o.push_str("<tr>");
        for (c, num) in r.iter().zip(&numeric) {
            let class = if *num { r#" class="num""# } else { "" };
            let _ = write!(o, "<td{class}>{}</td>", esc(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>");
}

fn component_row(o: &mut String, c: &Component, idx: &Index, lang: Lang) {
    let k = c.classification.as_ref();
    let project = csv::project_cell(c, idx);
    let category = i18n::category(lang, k.map(|k| k.category.as_str()));
    let license = c.concluded_license.as_deref().unwrap_or("");
    let declared = c.declared_license.as_deref().or(c.declared_license_raw.as_deref()).unwrap_or("");
    let review = i18n::yes_no(lang, k.map(|k| k.needs_review));
    let search = format!(
        "{} {} {} {} {} {} {} {} {}",
        project,
        c.name,
        c.version.as_deref().unwrap_or(""),
        c.ecosystem,
        c.purl.as_deref().unwrap_or(""),
        license,
        declared,
        category,
        c.locations.join(" ")
    )
    .to_lowercase();
    let _ = write!(
        o,
        r#"<tr data-search="{}"><td>{}</td><td title="{}">{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td><span class="swatch" style="background:{}"></span>{}</td><td>{}</td><td{}>{}</td></tr>"#,
        esc(&search),
        esc(&project),
        esc(c.purl.as_deref().unwrap_or(&c.id)),
        esc(&c.name),
        esc(c.version.as_deref().unwrap_or("")),
        esc(c.ecosystem.as_str()),
        esc(i18n::kind(lang, c.kind)),
        esc(license),
        esc(declared),
        colour(k.map(|k| k.category.as_str())),
        esc(&category),
        esc(i18n::open_source(lang, k.map(|k| k.open_source))),
        if k.is_some_and(|k| k.needs_review) { r#" class="review""# } else { "" },
        esc(review),
    );
    o.push('\n');
}

pub fn render(inv: &Inventory, lang: Lang) -> String {
    let t = lang.texts();
    let idx = Index::new(inv);
    let total = inv.components.len() as u64;
    let roots: Vec<&str> = inv.scan.roots.iter().map(|r| r.label.as_str()).collect();
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}: {roots}</title>
<style>{STYLE}</style>
</head>
<body data-ready="no">
<header><h1>{title}: {roots}</h1><p>{started_l}: {started} · {tool_l}: {tool} {version} · {db_l}: {db}</p></header>
<main>
"#,
        lang = lang.tag(),
        title = esc(t.title),
        roots = esc(&roots.join(", ")),
        started_l = esc(t.scan_started),
        started = esc(&utc_seconds(&inv.scan.started_at)),
        tool_l = esc(t.tool),
        tool = esc(&inv.tool.name),
        version = esc(&inv.tool.version),
        db_l = esc(t.license_db),
        db = esc(if inv.tool.license_db_version.is_empty() { "-" } else { &inv.tool.license_db_version }),
    );

    // Summary.
    let cats: Vec<(String, u64, &'static str)> = category_counts(inv)
        .into_iter()
        .map(|(c, n)| (i18n::category(lang, c.as_deref()), n, colour(c.as_deref())))
        .collect();
    let share = inv.summary.open_source_share;
    // Without any verdict there is no share to show, only the hint below.
    let classified = inv.components.iter().any(|c| c.classification.is_some());
    let share_txt = if classified { i18n::percent(lang, share) } else { "–".to_string() };
    let unknown = inv.summary.by_open_source.get("unknown").copied().unwrap_or(0);
    let known_txt = if classified {
        format!(
            "{} {}; {}: {unknown}",
            i18n::percent(lang, inv.summary.open_source_share_known),
            t.open_source_share_known,
            t.open_source_unknown
        )
    } else {
        String::new()
    };
    let _ = write!(
        o,
        r#"<section id="summary"><h2>{summary}</h2><div class="cards">
<div><div class="muted">{components_l}</div><div class="figure" id="component-count">{total}</div><div class="muted">{files_l}: {files}</div></div>
<div><div class="muted">{oss_l}</div>{donut}<div class="figure" id="open-source-share">{share_txt}</div><div class="muted" id="open-source-share-known">{known_txt}</div></div>
<div><div class="muted">{cats_l}</div>{bars}</div>
</div>
"#,
        summary = esc(t.summary),
        components_l = esc(t.components),
        files_l = esc(t.files),
        files = inv.summary.files,
        oss_l = esc(t.open_source_share),
        donut = donut(share, t.open_source_share),
        share_txt = esc(&share_txt),
        known_txt = esc(&known_txt),
        cats_l = esc(t.categories),
        bars = bars(&cats, total, lang),
    );
    if !classified {
        let _ = writeln!(o, r#"<p class="muted">{}</p>"#, esc(t.unclassified_hint));
    }
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.per_project));
    table_open(
        &mut o,
        r#"class="sortable" id="projects""#,
        &[
            (t.project, false),
            (t.components, true),
            (t.open_source, true),
            (t.open_source_unknown, true),
            (t.open_source_share, false),
            (t.needs_review, true),
            (t.categories, false),
        ],
    );
    o.push('\n');
    for p in project_counts(inv) {
        let stack: String = p
            .by_category
            .iter()
            .map(|(c, n)| {
                format!(
                    r#"<span class="swatch" style="background:{}"></span>{}: {}"#,
                    colour(c.as_deref()),
                    esc(&i18n::category(lang, c.as_deref())),
                    n
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            o,
            r##"<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td data-sort="{:.4}"><svg width="100" height="10" role="img"><rect width="100" height="10" fill="#e0e0e0"/><rect width="{:.1}" height="10" fill="#2e7d32"/></svg> {}</td><td class="num">{}</td><td>{}</td></tr>"##,
            esc(&i18n::project_row_name(lang, &p.name, p.outside_projects)),
            p.components,
            p.open_source,
            p.unknown,
            p.share(),
            p.share() * 100.0,
            esc(&i18n::percent(lang, p.share())),
            p.needs_review,
            stack
        );
    }
    o.push_str("</tbody></table></section>\n");

    // Components.
    let _ = write!(
        o,
        r#"<section><h2>{components}</h2>
<input type="search" id="search" placeholder="{search}" aria-label="{search}"> <span class="muted"><span id="shown-count">{total}</span> / {total} {shown}. {hint}</span>
"#,
        components = esc(t.components),
        search = esc(t.search),
        shown = esc(t.shown),
        hint = esc(t.sort_hint),
    );
    table_open(
        &mut o,
        r#"class="sortable" id="components""#,
        &[
            (t.project, false),
            (t.component, false),
            (t.version, false),
            (t.ecosystem, false),
            (t.kind, false),
            (t.concluded_license, false),
            (t.declared_license, false),
            (t.category, false),
            (t.open_source, false),
            (t.needs_review, false),
        ],
    );
    o.push('\n');
    for c in csv::ordered(inv, &idx) {
        component_row(&mut o, c, &idx, lang);
    }
    o.push_str("</tbody></table></section>\n");

    // Obligations per license.
    let _ = write!(o, "<section><h2>{} · {}</h2>", esc(t.licenses), esc(t.obligations));
    table_open(
        &mut o,
        r#"class="sortable" id="licenses""#,
        &[
            (t.license, false),
            (t.category, false),
            (t.open_source, false),
            (t.obligations, false),
            (t.components, true),
        ],
    );
    o.push('\n');
    for g in license_groups(inv) {
        let k = g.classification;
        let obligations = match k {
            Some(k) if !k.obligations.is_empty() => {
                k.obligations.iter().map(|x| esc(&i18n::obligation(lang, x.as_str()))).collect::<Vec<_>>().join("<br>")
            }
            Some(_) => esc(t.none),
            None => String::new(),
        };
        let _ = writeln!(
            o,
            r#"<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td></tr>"#,
            esc(g.license.unwrap_or(t.unknown)),
            esc(&i18n::category(lang, k.map(|k| k.category.as_str()))),
            esc(i18n::open_source(lang, k.map(|k| k.open_source))),
            obligations,
            g.components.len()
        );
    }
    o.push_str("</tbody></table></section>\n");

    // Review: components flagged by classification, then policy findings.
    let review: Vec<&Component> = csv::ordered(inv, &idx)
        .into_iter()
        .filter(|c| c.classification.as_ref().is_some_and(|k| k.needs_review))
        .collect();
    let _ = write!(o, r#"<section id="review"><h2>{}</h2>"#, esc(t.review_items));
    if review.is_empty() && inv.findings.is_empty() {
        let _ = write!(o, "<p>{}</p>", esc(t.no_findings));
    }
    if !review.is_empty() {
        table_open(
            &mut o,
            "",
            &[(t.component, false), (t.version, false), (t.concluded_license, false), (t.reasons, false)],
        );
        for c in review {
            let reasons = c.classification.as_ref().map(|k| k.reasons.join("; ")).unwrap_or_default();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                esc(&c.name),
                esc(c.version.as_deref().unwrap_or("")),
                esc(c.concluded_license.as_deref().unwrap_or("")),
                esc(&reasons)
            );
        }
        o.push_str("</tbody></table>");
    }
    if !inv.findings.is_empty() {
        let _ = write!(o, "<h3>{}</h3>", esc(t.findings));
        table_open(
            &mut o,
            r#"class="sortable" id="findings""#,
            &[
                (t.component, false),
                (t.version, false),
                (t.license, false),
                (t.decision, false),
                (t.rule, false),
                (t.reason, false),
                (t.evidence, false),
            ],
        );
        for f in &inv.findings {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.name),
                esc(f.version.as_deref().unwrap_or("")),
                esc(f.license.as_deref().unwrap_or("")),
                esc(i18n::decision(lang, f.decision)),
                esc(&f.rule.name()),
                esc(&f.reason),
                esc(&f.paths.join(", "))
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>\n");

    // License management: the register of entitlements, the vendor dependence.
    if !inv.entitlements.is_empty() {
        let _ = write!(
            o,
            r#"<section id="entitlements"><h2>{}</h2><p>{}</p>"#,
            esc(t.entitlements),
            esc(t.entitlements_intro)
        );
        grid(
            &mut o,
            r#"class="sortable" id="entitlements-table""#,
            &csv::entitlement_columns(lang),
            inv.entitlements.iter().map(|e| csv::entitlement_row(e, lang)),
        );
        o.push_str("</section>\n");
    }
    if !inv.vendors.is_empty() {
        let _ = write!(o, r#"<section id="vendors"><h2>{}</h2><p>{}</p>"#, esc(t.vendors), esc(t.vendors_intro));
        grid(
            &mut o,
            r#"class="sortable" id="vendors-table""#,
            &csv::vendor_columns(lang),
            csv::vendor_rows(inv, lang).into_iter(),
        );
        o.push_str("</section>\n");
    }

    // Diagnostics.
    let _ = write!(o, r#"<section id="diagnostics"><h2>{}</h2>"#, esc(t.diagnostics));
    if inv.diagnostics.is_empty() {
        let _ = write!(o, "<p>{}</p>", esc(t.no_diagnostics));
    } else {
        table_open(
            &mut o,
            r#"class="sortable" id="diagnostics-table""#,
            &[(t.severity, false), (t.path, false), (t.code, false), (t.message, false)],
        );
        for d in &inv.diagnostics {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td><code>{}:{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(i18n::severity(lang, d.severity)),
                esc(&d.root),
                esc(&d.path),
                esc(d.code.as_str()),
                esc(&d.message)
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>\n</main>\n");
    let _ = write!(o, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
