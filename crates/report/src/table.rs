//! A readable summary for a terminal. Every value from the scanned files (names, versions,
//! paths, messages) has its control characters escaped: a package name must not be able to
//! drive the terminal or forge a line.

use kataster_model::model::{ComponentKind, Inventory, Severity};
use kataster_model::output::terminal_field as safe;
use std::fmt::Write;

fn trunc(s: &str, n: usize) -> String {
    let s = safe(s);
    if s.chars().count() <= n { s.to_string() } else { format!("{}~", s.chars().take(n - 1).collect::<String>()) }
}

pub fn render(inv: &Inventory) -> String {
    let mut o = String::new();
    let roots: Vec<_> = inv.scan.roots.iter().map(|r| safe(&r.path)).collect();
    let _ = writeln!(
        o,
        "kataster {}: {} files in {} ({} read), {} components",
        inv.tool.version,
        inv.scan.files_seen,
        roots.join(", "),
        inv.scan.files_read,
        inv.components.len()
    );
    let _ = writeln!(o);
    let _ =
        writeln!(o, "{:<32} {:<16} {:<10} {:<11} {:<28} CATEGORY", "NAME", "VERSION", "ECOSYSTEM", "KIND", "LICENSE");
    let mut comps: Vec<_> = inv.components.iter().collect();
    comps
        .sort_by_key(|c| (c.kind != ComponentKind::Project, c.kind, c.root.clone(), c.name.clone(), c.version.clone()));
    for c in comps {
        let kind = c.kind.as_str();
        let license = c.concluded_license.as_deref().unwrap_or("-");
        let cat = c.classification.as_ref().map(|k| k.category.as_str()).unwrap_or("-");
        let _ = writeln!(
            o,
            "{:<32} {:<16} {:<10} {:<11} {:<28} {}",
            trunc(&c.name, 32),
            trunc(c.version.as_deref().unwrap_or("-"), 16),
            safe(c.ecosystem.as_str()),
            kind,
            trunc(license, 28),
            cat
        );
    }
    let _ = writeln!(o);
    let count = |s: Severity| inv.diagnostics.iter().filter(|d| d.severity == s).count();
    let _ = writeln!(
        o,
        "diagnostics: {} errors, {} warnings, {} notes",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    for d in inv.diagnostics.iter().filter(|d| d.severity != Severity::Info) {
        let _ = writeln!(
            o,
            "  {:?} {}:{} [{}] {}",
            d.severity,
            safe(&d.root),
            safe(&d.path),
            safe(d.code.as_str()),
            safe(&d.message)
        );
    }
    o
}
