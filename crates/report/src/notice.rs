//! The attribution notice a distribution ships (`NOTICE`, `THIRD-PARTY-NOTICES`).
//!
//! Owns the layout: the third-party components that ship (dependencies that are not
//! development-only, and vendored code) grouped by license, the copyright lines found in
//! each component's files, and each license text once, from the SPDX License List compiled
//! into the `spdx` crate. It never writes a license text it does not have: a `LicenseRef-`
//! gets a pointer to the component's own files instead. The scanned projects themselves are
//! first-party and not listed.

use super::i18n::Lang;
use super::{Index, license_groups, license_terms};
use kataster_model::model::{Component, ComponentKind, Inventory, Scope};
use std::collections::BTreeSet;
use std::fmt::Write;

/// True for the components a distribution ships and must attribute.
pub fn ships(c: &Component) -> bool {
    match c.kind {
        ComponentKind::Dependency => c.scope != Scope::Dev,
        ComponentKind::Vendored => true,
        ComponentKind::Project | ComponentKind::Files => false,
    }
}

/// The text of one license term (`MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`), if the
/// SPDX list has it.
fn term_text(term: &str) -> Option<String> {
    let mut parts = term.split(" WITH ");
    let lic = parts.next()?.trim().trim_end_matches('+');
    let mut text = spdx::license_id(lic)?.text().trim_end().to_string();
    if let Some(exc) = parts.next() {
        let e = spdx::exception_id(exc.trim())?;
        text.push_str("\n\n");
        text.push_str(e.text().trim_end());
    }
    Some(text)
}

fn rule(out: &mut String, ch: char) {
    out.push_str(&ch.to_string().repeat(78));
    out.push('\n');
}

pub fn render(inv: &Inventory, lang: Lang) -> String {
    let t = lang.texts();
    let idx = Index::new(inv);
    let mut o = String::new();
    let _ = writeln!(o, "{}", t.notice_title);
    rule(&mut o, '=');
    let _ = writeln!(o, "{}\n", t.notice_intro);

    let mut terms: BTreeSet<String> = BTreeSet::new();
    for g in license_groups(inv) {
        let license = g.license;
        let mut comps: Vec<&Component> = g.components.into_iter().filter(|c| ships(c)).collect();
        if comps.is_empty() {
            continue;
        }
        comps.sort_by(|a, b| (&a.name, &a.version, &a.id).cmp(&(&b.name, &b.version, &b.id)));
        rule(&mut o, '=');
        match license {
            Some(l) => {
                let _ = writeln!(o, "{}: {l}", t.license);
                terms.extend(license_terms(l));
            }
            None => {
                let _ = writeln!(o, "{}", t.notice_no_license);
            }
        }
        rule(&mut o, '=');
        for c in comps {
            let version = c.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
            let purl = c.purl.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
            let _ = writeln!(o, "\n* {}{version}{purl}", c.name);
            let copyrights = idx.copyrights(&c.id);
            if copyrights.is_empty() {
                let _ = writeln!(o, "  {}: {}", t.copyright_lines, t.no_copyright);
            } else {
                for line in copyrights {
                    let _ = writeln!(o, "  {}", line.replace('\n', " "));
                }
            }
        }
        o.push('\n');
    }

    if !terms.is_empty() {
        rule(&mut o, '=');
        let _ = writeln!(o, "{}", t.licenses);
        rule(&mut o, '=');
        for term in terms {
            o.push('\n');
            rule(&mut o, '-');
            let _ = writeln!(o, "{}: {term}", t.license_text);
            rule(&mut o, '-');
            match term_text(&term) {
                Some(text) => {
                    let _ = writeln!(o, "{text}");
                }
                None => {
                    let _ = writeln!(o, "{}", t.notice_text_unavailable);
                }
            }
        }
    }
    o.push('\n');
    rule(&mut o, '-');
    let _ = writeln!(o, "{}", t.notice_data_credit);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_texts_come_from_the_spdx_list() {
        assert!(term_text("MIT").unwrap().contains("Permission is hereby granted"));
        let with = term_text("GPL-2.0-or-later WITH Classpath-exception-2.0").unwrap();
        assert!(
            with.contains("GNU GENERAL PUBLIC LICENSE") && with.contains("Linking this library statically"),
            "{with}"
        );
        assert_eq!(term_text("LicenseRef-acme-eula"), None);
    }
}
