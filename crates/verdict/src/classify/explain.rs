//! `kataster license EXPRESSION`: a license expression explained in plain English or
//! German, from the license database and the expression semantics. Returns text; printing
//! is the caller's.

use kataster_model::license::db::{self, Basis, Lang};
use kataster_model::license::expr::{DefaultJudge, evaluate};
use std::fmt::Write;

struct Labels {
    expression: &'static str,
    read_as: &'static str,
    guess: &'static str,
    chosen: &'static str,
    category: &'static str,
    open_source: &'static str,
    yes: &'static str,
    no: &'static str,
    copyleft: &'static str,
    obligations: &'static str,
    none: &'static str,
    licenses: &'static str,
    not_in_db: &'static str,
    rules_basis: &'static str,
    notes: &'static str,
    review: &'static str,
}

const EN: Labels = Labels {
    expression: "Expression",
    read_as: "read as",
    guess: "a guess: the text does not say exactly which license",
    chosen: "Applies",
    category: "Category",
    open_source: "Open source",
    yes: "yes",
    no: "no",
    copyleft: "Copyleft",
    obligations: "Obligations",
    none: "none",
    licenses: "Licenses",
    not_in_db: "not in the license database: treat as unknown and read the text",
    rules_basis: "classified by rule, not reviewed",
    notes: "Notes",
    review: "Review needed",
};

const DE: Labels = Labels {
    expression: "Ausdruck",
    read_as: "gelesen als",
    guess: "eine Vermutung: der Text sagt nicht genau, welche Lizenz",
    chosen: "Es gilt",
    category: "Kategorie",
    open_source: "Open Source",
    yes: "ja",
    no: "nein",
    copyleft: "Copyleft",
    obligations: "Pflichten",
    none: "keine",
    licenses: "Lizenzen",
    not_in_db: "nicht in der Lizenzdatenbank: als unbekannt behandeln und den Text lesen",
    rules_basis: "nach Regeln eingeordnet, nicht geprüft",
    notes: "Hinweise",
    review: "Prüfung nötig",
};

/// Explain a license expression (or a name the normalizer understands).
pub fn explain(input: &str, lang: Lang) -> Result<String, String> {
    let l = match lang {
        Lang::En => &EN,
        Lang::De => &DE,
    };
    let n = kataster_model::license::normalize(input);
    let Some(expression) = n.expression else {
        return Err(format!("`{}` is not a license expression or a known license name", input.trim()));
    };
    let v = evaluate(&expression, &DefaultJudge)?;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {expression}", l.expression);
    if expression != input.trim() {
        let guess = if n.inferred { format!(" ({})", l.guess) } else { String::new() };
        let _ = writeln!(out, "  {} `{}`{guess}", l.read_as, input.trim());
    }
    if v.chosen != v.expression {
        let _ = writeln!(out, "{}: {}", l.chosen, v.chosen);
    }
    let _ = writeln!(out, "{}: {}", l.category, v.category.label(lang));
    let os = v.open_source && v.terms.iter().all(|t| t.known);
    let _ = writeln!(out, "{}: {}", l.open_source, if os { l.yes } else { l.no });
    let _ = writeln!(out, "{}: {}", l.copyleft, v.copyleft.label(lang));
    let _ = writeln!(out, "{}:", l.obligations);
    if v.obligations.is_empty() {
        let _ = writeln!(out, "  - {}", l.none);
    }
    for o in &v.obligations {
        let _ = writeln!(out, "  - {} ({})", o.label(lang), o.as_str());
    }
    let _ = writeln!(out, "{}:", l.licenses);
    let db = db::db();
    for t in &v.terms {
        let id = t.license.trim_end_matches('+');
        match db.license(id) {
            Some(e) => {
                let basis = if e.basis == Basis::Rules { format!(" [{}]", l.rules_basis) } else { String::new() };
                let _ = writeln!(out, "  {} ({}){basis}: {}", t.license, e.name, e.summary(lang));
            }
            None => {
                let _ = writeln!(out, "  {}: {}", t.license, l.not_in_db);
            }
        }
        if let Some(x) = &t.exception {
            match db.exception(x) {
                Some(e) => {
                    let _ = writeln!(out, "    WITH {x}: {}", e.summary(lang));
                }
                None => {
                    let _ = writeln!(out, "    WITH {x}: {}", l.not_in_db);
                }
            }
        }
    }
    // Notes and choices are worded in English; the German explanation shows their outcome above.
    if lang == Lang::En {
        let mut notes = v.notes();
        notes.extend(v.choices.iter().cloned());
        if !notes.is_empty() {
            let _ = writeln!(out, "{}:", l.notes);
            for note in notes {
                let _ = writeln!(out, "  - {note}");
            }
        }
    }
    if n.inferred || v.terms.iter().any(|t| !t.known) || v.category == db::Category::Unknown {
        let _ = writeln!(out, "{}: {}", l.review, l.yes);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_in_english_and_german() {
        let en = explain("GPL-2.0-only WITH Classpath-exception-2.0", Lang::En).unwrap();
        assert!(en.contains("Category: weak copyleft"), "{en}");
        assert!(en.contains("Open source: yes"), "{en}");
        assert!(en.contains("WITH Classpath-exception-2.0: Linking this library"), "{en}");
        let de = explain("AGPL-3.0-only", Lang::De).unwrap();
        assert!(de.contains("Kategorie: Netzwerk-Copyleft"), "{de}");
        assert!(de.contains("Quelltext auch Nutzern über ein Netzwerk anbieten"), "{de}");
        assert!(de.contains("Open Source: ja"), "{de}");
    }

    #[test]
    fn names_guesses_and_unknowns() {
        let t = explain("BSD", Lang::En).unwrap();
        assert!(t.contains("read as `BSD` (a guess"), "{t}");
        assert!(t.contains("Review needed: yes"), "{t}");
        let t = explain("LicenseRef-acme-internal", Lang::En).unwrap();
        assert!(t.contains("Open source: no") && t.contains("not in the license database"), "{t}");
        assert!(explain("no such thing at all", Lang::En).is_err());
    }
}
