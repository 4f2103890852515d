//! Copyright statements: the statement as written, its holders and years, and its lines.
//!
//! Owns the reading of `Copyright (c) 2019-2021 Jane Roe <jane@example.org>` and its
//! variants (`©`, `(C)`, `Copr.`, year lists and ranges, trailing "All rights reserved").
//! It never reports the word "copyright" of license prose ("the above copyright notice",
//! "copyright holders") or of code (`copyright = ...`, `get_copyright()`).

use super::lines::{line_view, prefix, strip_comment};
use kataster_model::model::Copyright;
use regex::Regex;
use std::sync::OnceLock;

struct Rx {
    start: Regex,
    years: Regex,
    email: Regex,
    tail: Regex,
}

fn rx() -> &'static Rx {
    static RX: OnceLock<Rx> = OnceLock::new();
    RX.get_or_init(|| Rx {
        // "Copyright", "Copyright (c)", "(c)", "©", "Copr." at a word boundary.
        start: Regex::new(r"(?i)(?:\bcopyright\b(?:\s*(?:\(c\)|©|&copy;))?|\bcopr\.|©|&copy;|\(c\)(?:\s|$))").expect("constant regex"),
        years: Regex::new(r"^(?:(?:19|20)\d\d(?:\s*(?:-|–|,|to)\s*(?:(?:19|20)\d\d|\d\d|present|now))*[,\s]*)+").expect("constant regex"),
        email: Regex::new(r"\s*(?:<[^>]*>|\([^)]*@[^)]*\)|\S+@\S+\.\S+)").expect("constant regex"),
        tail: Regex::new(r"(?i)[\s,.;]*(?:all rights reserved\.?|some rights reserved\.?|\bunless otherwise noted\b.*|\blicensed under\b.*|\bsee\b.*)$").expect("constant regex"),
    })
}

/// Words after "copyright" that show license prose, not a statement.
const PROSE: &[&str] = &[
    "notice",
    "notices",
    "holder",
    "holders",
    "owner",
    "owners",
    "law",
    "laws",
    "and",
    "or",
    "of",
    "to",
    "in",
    "is",
    "are",
    "the",
    "this",
    "that",
    "statement",
    "statements",
    "license",
    "licence",
    "protection",
    "interest",
    "claim",
    "claims",
    "infringement",
    "act",
    "on",
    "for",
    "as",
    "may",
    "must",
    "shall",
    "will",
    "text",
    "line",
    "lines",
    "header",
    "headers",
    "information",
    "info",
    "year",
    "years",
    "date",
    "by",
    "from",
    "with",
    "under",
    "symbol",
    "sign",
    "string",
    "field",
    "message",
    "policy",
    "status",
    "permission",
    "permissions",
    "it",
    "be",
    "not",
];

/// Copyright statements in a text, one per line that holds one.
pub fn copyrights(text: &str) -> Vec<Copyright> {
    let mut out: Vec<Copyright> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let has = memchr::memmem::find(raw.as_bytes(), b"opyright").is_some()
            || memchr::memmem::find(raw.as_bytes(), b"OPYRIGHT").is_some()
            || raw.contains('©')
            || raw.contains("(c)")
            || raw.contains("(C)")
            || raw.contains("&copy;")
            || raw.contains("Copr.");
        if !has {
            continue;
        }
        let view = line_view(raw);
        let line = strip_comment(&view);
        if let Some(c) = statement(line, i as u32 + 1) {
            out.push(c);
        }
    }
    out
}

fn statement(line: &str, n: u32) -> Option<Copyright> {
    let r = rx();
    let m = r.start.find(line)?;
    // In code, "copyright" is an identifier: `copyright = `, `.copyright(`, `"copyright":`.
    let before = line[..m.start()].trim_end();
    if before.ends_with(['.', '_', '"', '\'', '$', '(', '[', '=']) || before.ends_with("->") {
        return None;
    }
    let mut rest = line[m.end()..].trim_start();
    // Repeated markers: "Copyright (c) (C)", "Copyright ©".
    loop {
        let before_len = rest.len();
        for mark in ["(c)", "(C)", "©", "&copy;", ":"] {
            if let Some(r2) = rest.strip_prefix(mark) {
                rest = r2.trim_start();
            }
        }
        if rest.len() == before_len {
            break;
        }
    }
    let raw_first = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let first_word = raw_first.to_ascii_lowercase();
    let prose = PROSE.contains(&first_word.as_str()) && raw_first != "The";
    if rest.is_empty() || prose || rest.starts_with(['=', '(', ')', '"', '\'', '{', '<', '[', ',', ';', '.']) {
        return None;
    }
    let years_m = r.years.find(rest);
    let years = years_m.map(|y| y.as_str().trim().trim_end_matches(',').trim().to_string()).filter(|y| !y.is_empty());
    let mut holder = match years_m {
        Some(y) => rest[y.end()..].trim_start(),
        None => rest,
    };
    holder = holder.strip_prefix("by ").unwrap_or(holder).trim_start();
    holder = holder.strip_prefix("the original author").map(|_| holder).unwrap_or(holder);
    let holder = r.email.replace_all(holder, "");
    let holder = r.tail.replace(&holder, "");
    let holder = holder.trim().trim_end_matches([',', '.', ';', ':', '*', '/']).trim();
    let marked = line[m.start()..m.end()].contains(['(', '©', '&'])
        || line[m.start()..].to_ascii_lowercase().starts_with("copyright");
    // A statement has a holder that reads as a name and, without years, starts a capital.
    let plausible_holder = holder.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '@')
        && holder.chars().any(|c| c.is_alphabetic())
        && !holder.contains("{{")
        && !holder.contains("<year>")
        && !holder.to_ascii_lowercase().starts_with("[year")
        && !holder.contains("${")
        && holder.len() <= 200;
    if !plausible_holder {
        // "Copyright 2019" without a holder is still a statement when it has years.
        years.as_ref()?;
    }
    if years.is_none() && !holder.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return None;
    }
    if !marked {
        return None;
    }
    // A bare "(c)" is also a list item: "(c) You must retain ...". It needs years.
    let bare_c = line[m.start()..m.end()].eq_ignore_ascii_case("(c)")
        || line[m.start()..m.end()].trim().eq_ignore_ascii_case("(c)");
    if bare_c && years.is_none() {
        return None;
    }
    let statement = prefix(line[m.start()..].trim(), 300).trim_end_matches(['*', '/', ' ']).to_string();
    let holders = if plausible_holder { vec![holder.to_string()] } else { Vec::new() };
    Some(Copyright { statement, holders, years, start_line: n, end_line: n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(t: &str) -> Option<(Vec<String>, Option<String>)> {
        copyrights(t).into_iter().next().map(|c| (c.holders, c.years))
    }

    #[test]
    fn statements_with_holders_and_years() {
        assert_eq!(
            one("// Copyright (c) 2019-2021 Jane Roe <jane@example.org>. All rights reserved."),
            Some((vec!["Jane Roe".to_string()], Some("2019-2021".to_string())))
        );
        assert_eq!(
            one(" * Copyright 2014, 2016 The Rust Project Developers"),
            Some((vec!["The Rust Project Developers".to_string()], Some("2014, 2016".to_string())))
        );
        assert_eq!(one("© 2020 ACME GmbH"), Some((vec!["ACME GmbH".to_string()], Some("2020".to_string()))));
        assert_eq!(one("Copyright The Kubernetes Authors."), Some((vec!["The Kubernetes Authors".to_string()], None)));
        let c = copyrights("a\n\n# Copyright (C) 2003 Free Software Foundation, Inc.\n");
        assert_eq!(c[0].start_line, 3);
        assert_eq!(c[0].holders, vec!["Free Software Foundation, Inc".to_string()]);
    }

    #[test]
    fn prose_and_code_are_not_statements() {
        assert_eq!(one("The above copyright notice and this permission notice shall be included"), None);
        assert_eq!(one("THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\""), None);
        assert_eq!(one("let copyright = meta.copyright.clone();"), None);
        assert_eq!(one("    \"copyright\": \"string\","), None);
        assert_eq!(one("Copyright (c) <year> <copyright holders>"), None);
        assert_eq!(one("fn copyright(&self) -> &str {"), None);
        assert_eq!(one("(c) You must retain, in the Source form of any Derivative Works"), None);
    }
}
