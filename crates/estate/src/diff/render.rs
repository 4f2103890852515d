//! The diff as a table (terminal), JSON, or Markdown (a merge-request comment).
//!
//! Renders an [`InventoryDiff`] and computes nothing new. Markdown tables are capped so a
//! comment stays within what GitLab and GitHub accept; the JSON is always complete.

use super::{Change, ComponentRef, InventoryDiff};
use kataster_model::model::Finding;
use kataster_model::output::terminal_field as safe;
use std::fmt::Write;

/// Rows per Markdown table before the rest is summed up in one line.
pub const MARKDOWN_ROWS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
}

impl DiffFormat {
    pub const NAMES: &'static [&'static str] = &["table", "json", "markdown"];

    pub fn parse(name: &str) -> Option<DiffFormat> {
        match name {
            "table" => Some(DiffFormat::Table),
            "json" => Some(DiffFormat::Json),
            "markdown" | "md" => Some(DiffFormat::Markdown),
            _ => None,
        }
    }
}

pub fn render(format: DiffFormat, d: &InventoryDiff) -> Vec<u8> {
    match format {
        DiffFormat::Table => table(d).lines().map(|l| format!("{}\n", l.trim_end())).collect::<String>().into_bytes(),
        DiffFormat::Json => {
            let mut v = serde_json::to_vec_pretty(d).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
            v.push(b'\n');
            v
        }
        DiffFormat::Markdown => markdown(d).into_bytes(),
    }
}

/// A value or `-`, its control characters escaped (the table and Markdown go to terminals).
fn opt(s: &Option<String>) -> std::borrow::Cow<'_, str> {
    safe(s.as_deref().unwrap_or("-"))
}

fn arrow(c: &Option<Change<Option<String>>>) -> String {
    c.as_ref().map(|c| format!("{} -> {}", opt(&c.old), opt(&c.new))).unwrap_or_default()
}

/// The counts in one line.
fn counts(d: &InventoryDiff) -> String {
    let s = &d.summary;
    format!(
        "{} added, {} removed, {} version changes, {} license changes, {} classification changes, {} new findings, {} resolved findings",
        s.added,
        s.removed,
        s.version_changed,
        s.license_changed,
        s.classification_changed,
        s.new_findings,
        s.resolved_findings
    )
}

fn table(d: &InventoryDiff) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "kataster diff: {} ({} components, {} findings) -> {} ({} components, {} findings)",
        d.old.started_at, d.old.components, d.old.findings, d.new.started_at, d.new.components, d.new.findings
    );
    let _ = writeln!(o, "{}", counts(d));
    if d.is_empty() {
        let _ = writeln!(o, "\nno changes");
        return o;
    }
    let findings = |o: &mut String, title: &str, list: &[Finding]| {
        if list.is_empty() {
            return;
        }
        let _ =
            writeln!(o, "\n{title}\n  {:<8} {:<40} {:<28} {:<20} REASON", "DECISION", "COMPONENT", "LICENSE", "RULE");
        for f in list {
            let _ = writeln!(
                o,
                "  {:<8} {:<40} {:<28} {:<20} {}",
                f.decision.as_str(),
                safe(&f.component),
                opt(&f.license),
                safe(&f.rule.name()),
                safe(&f.reason)
            );
        }
    };
    findings(&mut o, "NEW FINDINGS", &d.new_findings);
    findings(&mut o, "RESOLVED FINDINGS", &d.resolved_findings);
    let components = |o: &mut String, title: &str, list: &[ComponentRef]| {
        if list.is_empty() {
            return;
        }
        let _ = writeln!(o, "\n{title}\n  {:<48} {:<16} {:<28} CATEGORY", "COMPONENT", "VERSION", "LICENSE");
        for c in list {
            let _ = writeln!(
                o,
                "  {:<48} {:<16} {:<28} {}",
                safe(&c.id),
                opt(&c.version),
                opt(&c.license),
                safe(&c.category)
            );
        }
    };
    components(&mut o, "ADDED", &d.added);
    components(&mut o, "REMOVED", &d.removed);
    if !d.changed.is_empty() {
        let _ = writeln!(o, "\nCHANGED\n  {:<48} {:<24} {:<36} CLASSIFICATION", "COMPONENT", "VERSION", "LICENSE");
        for c in &d.changed {
            let class = c.classification.as_ref().map(|k| format!("{} -> {}", k.old, k.new)).unwrap_or_default();
            let _ = writeln!(
                o,
                "  {:<48} {:<24} {:<36} {}",
                safe(&c.new.id),
                arrow(&c.version),
                arrow(&c.license),
                safe(&class)
            );
        }
    }
    o
}

/// A Markdown table cell: no line breaks, no column separators, code where it helps.
fn cell(s: &str) -> String {
    safe(&s.replace(['\n', '\r'], " ")).replace('\\', "\\\\").replace('|', "\\|")
}

fn code(s: &str) -> String {
    if s.is_empty() || s == "-" { "-".into() } else { format!("`{}`", cell(s).replace('`', "'")) }
}

fn md_table<T>(o: &mut String, title: &str, head: &[&str], rows: &[T], row: impl Fn(&T) -> Vec<String>) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n#### {title} ({})\n", rows.len());
    let _ = writeln!(o, "| {} |", head.join(" | "));
    let _ = writeln!(o, "|{}", "---|".repeat(head.len()));
    for r in rows.iter().take(MARKDOWN_ROWS) {
        let _ = writeln!(o, "| {} |", row(r).join(" | "));
    }
    if rows.len() > MARKDOWN_ROWS {
        let _ = writeln!(o, "\n... and {} more (the JSON diff lists all).", rows.len() - MARKDOWN_ROWS);
    }
}

fn markdown(d: &InventoryDiff) -> String {
    let mut o = String::new();
    let s = &d.summary;
    let _ = writeln!(o, "### kataster: license and component changes\n");
    let _ = writeln!(o, "Compared with the scan of {}.\n", d.old.started_at);
    let _ = writeln!(o, "| Change | Count |\n|---|---:|");
    for (label, n) in [
        ("New policy findings", s.new_findings),
        ("Resolved policy findings", s.resolved_findings),
        ("Components added", s.added),
        ("Components removed", s.removed),
        ("Version changes", s.version_changed),
        ("License changes", s.license_changed),
        ("Classification changes", s.classification_changed),
    ] {
        let _ = writeln!(o, "| {label} | {n} |");
    }
    if d.is_empty() {
        let _ = writeln!(o, "\nNo changes.");
        return o;
    }
    let finding_row = |f: &Finding| {
        vec![
            format!("**{}**", f.decision.as_str()),
            code(&f.name),
            code(f.version.as_deref().unwrap_or("-")),
            code(f.license.as_deref().unwrap_or("-")),
            cell(&f.rule.name()),
            cell(&f.reason),
        ]
    };
    let fhead = ["Decision", "Component", "Version", "License", "Rule", "Reason"];
    md_table(&mut o, "New policy findings", &fhead, &d.new_findings, finding_row);
    md_table(&mut o, "Resolved policy findings", &fhead, &d.resolved_findings, finding_row);
    let comp_row = |c: &ComponentRef| {
        vec![
            code(&c.name),
            code(&opt(&c.version)),
            cell(c.ecosystem.as_str()),
            cell(&c.root),
            code(&opt(&c.license)),
            cell(&c.category),
        ]
    };
    let chead = ["Component", "Version", "Ecosystem", "Root", "License", "Category"];
    md_table(&mut o, "Added components", &chead, &d.added, comp_row);
    md_table(&mut o, "Removed components", &chead, &d.removed, comp_row);
    let md_arrow = |c: &Option<Change<Option<String>>>| {
        c.as_ref().map(|c| format!("{} → {}", code(&opt(&c.old)), code(&opt(&c.new)))).unwrap_or_default()
    };
    md_table(
        &mut o,
        "Changed components",
        &["Component", "Root", "Version", "License", "Classification"],
        &d.changed,
        |c| {
            vec![
                code(&c.new.name),
                cell(&c.new.root),
                md_arrow(&c.version),
                md_arrow(&c.license),
                c.classification.as_ref().map(|k| format!("{} → {}", cell(&k.old), cell(&k.new))).unwrap_or_default(),
            ]
        },
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(code("x`y"), "`x'y`");
        assert_eq!(code(""), "-");
    }
}
