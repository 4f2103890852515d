//! License evidence in text: pure functions from a file's text to findings.
//!
//! Owns `SPDX-License-Identifier` tags, full license texts (`text.rs`), standard notices,
//! references and license URLs (`rules.rs`, data in `license-db/detect/rules.toml`),
//! proprietary and public-domain markers, and copyright statements (`copyright.rs`).
//! Every finding carries its lines, method, confidence and the rule that matched; several
//! licenses in one file are reported region by region. A cheap prefilter keeps every
//! matcher off files with nothing license-like in them. Detectors never read files, never
//! look at a file's name to invent a finding, and never panic on input.

pub mod approx;
pub mod catalogue;
mod copyright;
pub mod lines;
pub mod reuse;
pub mod rules;
pub mod text;

use aho_corasick::AhoCorasick;
use kataster_model::model::{Copyright, FindingRule, LicenseFinding, Method, OwnRule};
use lines::Stream;
use rules::{Hit, Span};
use std::sync::OnceLock;

/// Every `LicenseRef-` id the detectors may emit; the license database defines each.
pub const EMITTED_LICENSE_REFS: &[&str] = &[
    COMMERCIAL,
    EULA,
    PROPRIETARY,
    PUBLIC_DOMAIN,
    SEE_FILE,
    UNKNOWN,
    // Named vendor licenses (`vendor-*` rules in license-db/detect/rules.toml).
    "LicenseRef-kataster-amcharts-free",
    "LicenseRef-kataster-commercial-canvasjs",
    "LicenseRef-kataster-commercial-devexpress",
    "LicenseRef-kataster-commercial-fontawesome-pro",
    "LicenseRef-kataster-commercial-froala",
    "LicenseRef-kataster-commercial-fusioncharts",
    "LicenseRef-kataster-commercial-handsontable",
    "LicenseRef-kataster-commercial-highsoft",
    "LicenseRef-kataster-commercial-jqwidgets",
    "LicenseRef-kataster-commercial-mescius",
    "LicenseRef-kataster-commercial-syncfusion",
    "LicenseRef-scancode-ag-grid-enterprise",
    "LicenseRef-scancode-sencha-commercial",
    "LicenseRef-scancode-telerik-eula",
];

use kataster_model::license::refs::{
    COMMERCIAL, EULA, PROPRIETARY, PUBLIC_DOMAIN, SEE_LICENSE_FILE as SEE_FILE, UNKNOWN,
};

/// A rule found whole with this many words explains its region: the approximate matcher
/// does not align windows that lie in it.
const LONG_RULE: u32 = 20;

/// What the detectors found in one file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FileEvidence {
    pub licenses: Vec<LicenseFinding>,
    pub copyrights: Vec<Copyright>,
}

/// What the prefilter saw: which detectors have something to look at.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Prefilter {
    pub tag: bool,
    pub copyright: bool,
    /// Words of license prose (license, warranty, public domain, proprietary...).
    pub license: bool,
    /// Words that full license texts share (warranty, redistribution, permission...).
    pub text: bool,
}

impl Prefilter {
    pub fn any(&self) -> bool {
        self.tag || self.copyright || self.license
    }
}

/// The prefilter's words, case-insensitive, with what each one wakes up.
const KEYWORDS: &[(&str, u8)] = &[
    ("spdx-license-identifier", 5),
    ("copyright", 2),
    ("(c)", 2),
    ("©", 2),
    ("&copy;", 2),
    ("copr.", 2),
    ("licen", 4),
    ("gpl", 4),
    ("rights reserved", 4),
    ("public domain", 4),
    ("proprietary", 4),
    ("confidential", 4),
    ("eula", 4),
    ("warrant", 12),
    ("redistribut", 12),
    ("permission", 12),
    ("licensor", 12),
    ("as is", 12),
    ("hereby", 12),
];

fn keyword_matcher() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(KEYWORDS.iter().map(|(k, _)| k.as_bytes()))
            .ok()
    })
    .as_ref()
}

/// Cheap prefilter over the bytes: which detectors could find anything here.
pub fn prefilter(bytes: &[u8]) -> Prefilter {
    let mut seen = 0u8;
    if let Some(ac) = keyword_matcher() {
        // Leftmost-longest, not overlapping: fast, and no word is lost, since the only
        // words inside others (`licen` in `licensor` and in the tag) share their bits.
        for m in ac.find_iter(bytes) {
            seen |= KEYWORDS.get(m.pattern().as_usize()).map(|k| k.1).unwrap_or(0);
            if seen == 15 {
                break;
            }
        }
    }
    Prefilter { tag: seen & 1 != 0, copyright: seen & 2 != 0, license: seen & 4 != 0, text: seen & 8 != 0 }
}

/// Build the text index and compile the rules now, on a thread of its own, so that the
/// first files needing them do not wait: the scan calls this before it walks the tree.
pub fn warm_up() {
    // Once per process: an estate scan calls this for every repository.
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        // Two threads: the SPDX texts and the rules beside the catalogue and its indexes.
        std::thread::spawn(|| {
            text::index();
            rules::warm_up();
        });
        std::thread::spawn(|| {
            approx::index();
            text::catalogue_index();
        });
    });
}

/// Cheap prefilter: does the text contain anything license-like at all?
pub fn might_hold_license(bytes: &[u8]) -> bool {
    prefilter(bytes).any()
}

/// Search a file's text for license evidence. `path` (relative, `/`-separated) is a hint
/// for how to read the text, never a finding by itself.
pub fn detect(_path: &str, text: &str) -> FileEvidence {
    let mut ev = FileEvidence::default();
    let pf = prefilter(text.as_bytes());
    if !pf.any() {
        return ev;
    }
    if pf.copyright {
        ev.copyrights = copyright::copyrights(text);
    }
    let mut found: Vec<LicenseFinding> = if pf.tag { tags(text) } else { Vec::new() };
    if pf.license || pf.text {
        licenses(text, pf, &mut found);
    }
    found.sort_by(|a, b| {
        (a.start_line, a.end_line, &a.expression, a.method as u8).cmp(&(
            b.start_line,
            b.end_line,
            &b.expression,
            b.method as u8,
        ))
    });
    found.dedup_by(|a, b| a.expression == b.expression && a.method == b.method && a.start_line == b.start_line);
    ev.licenses = found;
    ev
}

/// Findings from texts, notices, references, URLs and markers, with overlaps resolved,
/// added to the tags found already; findings inside text the catalogue knows as a false
/// positive (the tags too) are dropped.
fn licenses(text: &str, pf: Prefilter, found: &mut Vec<LicenseFinding>) {
    let tagged = !found.is_empty();
    let stream = Stream::new(text);
    let to_finding = |h: Hit| {
        let (start_line, end_line) = match h.span {
            Span::Stream(s, e) => stream.lines_of(s, e),
            Span::Lines(s, e) => (s, e),
        };
        LicenseFinding {
            expression: h.expression,
            start_line,
            end_line,
            method: h.method,
            confidence: h.confidence,
            rule: h.rule,
        }
    };
    // 1. Full texts.
    let matches = if pf.text && stream.len() >= 20 { text::find(&stream) } else { Vec::new() };
    let mut texts: Vec<LicenseFinding> = Vec::new();
    let mut exceptions: Vec<LicenseFinding> = Vec::new();
    for m in &matches {
        let f = LicenseFinding {
            expression: m.id.to_string(),
            start_line: stream.word_line(m.start_word),
            end_line: stream.word_line(m.end_word.saturating_sub(1)),
            method: Method::Text,
            confidence: (m.score * 100.0).round() / 100.0,
            rule: match m.rule {
                Some(r) => FindingRule::Catalogue(r.to_string()),
                None => FindingRule::SpdxText(m.id.to_string()),
            },
        };
        if m.exception { exceptions.push(f) } else { texts.push(f) }
    }
    // 1b. Rules of the catalogue, whole and approximate, the longest where they overlap.
    let cat = catalogue::catalogue();
    let ids = cat.ids_of(&stream);
    let mut rule_matches = cat.exact(&ids);
    // A notice or reference found whole under another license's name is that license's
    // boilerplate (text rules read as their license whatever precedes them).
    rule_matches.retain(|m| {
        cat.rules.get(m.rule as usize).is_some_and(|rule| {
            rule.flags & catalogue::TEXT != 0
                || !approx::names_another(cat, approx::index(), rule, &ids, m.start_word, m.end_word)
        })
    });
    if pf.license || pf.text {
        let whole: std::collections::HashSet<u32> = rule_matches.iter().map(|m| m.rule).collect();
        // Regions a text explains are not searched again; windows a long rule found whole
        // explains are not aligned.
        let in_texts: Vec<(usize, usize)> = matches.iter().map(|m| (m.start_word, m.end_word)).collect();
        let explained: Vec<(usize, usize)> =
            rule_matches.iter().filter(|m| m.matched >= LONG_RULE).map(|m| (m.start_word, m.end_word)).collect();
        rule_matches.extend(approx::find(cat, approx::index(), &ids, &in_texts, &explained, &|r| whole.contains(&r)));
    }
    let mut exact: Vec<LicenseFinding> = Vec::new();
    let mut raw_lines: Option<Vec<&str>> = None;
    for m in longest(rule_matches) {
        let Some(rule) = cat.rules.get(m.rule as usize) else { continue };
        let method = if rule.flags & catalogue::TEXT != 0 {
            Method::Text
        } else if rule.flags & (catalogue::REFERENCE | catalogue::TAG) != 0 {
            Method::Reference
        } else {
            Method::Notice
        };
        let f = LicenseFinding {
            expression: cat.expression(rule).to_string(),
            start_line: stream.word_line(m.start_word),
            end_line: stream.word_line(m.end_word.saturating_sub(1)),
            method,
            confidence: (f32::from(rule.relevance) * m.coverage).round() / 100.0,
            rule: FindingRule::Catalogue(rule.ident.to_string()),
        };
        if texts.iter().any(|t| t.start_line <= f.start_line && f.end_line <= t.end_line) {
            continue;
        }
        // A reference on lines with `"` or `=` is a manifest or config field, or a list of
        // names in code: the catalogers read fields, code is not a statement.
        if f.method == Method::Reference && {
            let lines = raw_lines.get_or_insert_with(|| text.lines().collect());
            (f.start_line..=f.end_line).any(|n| lines.get(n as usize - 1).is_some_and(|l| field_line(l)))
        } {
            continue;
        }
        if f.method == Method::Text { texts.push(f) } else { exact.push(f) }
    }
    let in_text = |f: &LicenseFinding| {
        texts.iter().chain(&exceptions).any(|t| t.start_line <= f.start_line && f.end_line <= t.end_line)
    };
    // 2. Notices, then references and pointers, then URLs: each kept when no stronger
    //    finding covers its lines.
    let mut notices: Vec<LicenseFinding> = Vec::new();
    let mut refs: Vec<LicenseFinding> = Vec::new();
    for h in rules::notices(&stream).into_iter().chain(rules::references(&stream)) {
        let f = to_finding(h);
        if in_text(&f) {
            continue;
        }
        if f.method == Method::Notice { notices.push(f) } else { refs.push(f) }
    }
    refs.retain(|r| !notices.iter().any(|n| overlaps(n, r, 0)));
    // A catalogue rule that covers a notice or reference and says more (more lines) takes
    // its place; one that says the same or less gives way.
    let wider = |c: &LicenseFinding, k: &LicenseFinding| {
        c.start_line <= k.start_line
            && k.end_line <= c.end_line
            && c.end_line - c.start_line > k.end_line - k.start_line
    };
    exact.retain(|c| !notices.iter().chain(&refs).any(|k| overlaps(k, c, 0) && !wider(c, k)));
    // A fragment of a notice kataster read whole ("... GNU General Public License for more
    // details" after a GPL-3.0-or-later grant) names the family without the version.
    let fragment = |c: &LicenseFinding, k: &LicenseFinding| {
        overlaps(k, c, 3) && k.expression != c.expression && family(&k.expression) == family(&c.expression)
    };
    let kept: Vec<bool> = exact
        .iter()
        .map(|c| {
            !notices.iter().chain(&refs).chain(&texts).any(|k| fragment(c, k))
                // Of two parts of one notice, the longer, else the first (the grant) stays.
                && !exact.iter().any(|k| {
                    let (kl, cl) = (k.end_line - k.start_line, c.end_line - c.start_line);
                    fragment(c, k) && (kl > cl || (kl == cl && k.start_line < c.start_line))
                })
        })
        .collect();
    let mut kept = kept.into_iter();
    exact.retain(|_| kept.next().unwrap_or(true));
    notices.retain(|k| !exact.iter().any(|c| overlaps(k, c, 0)));
    refs.retain(|k| !exact.iter().any(|c| overlaps(k, c, 0)));
    for c in exact {
        if c.method == Method::Notice { notices.push(c) } else { refs.push(c) }
    }
    let mut markers: Vec<LicenseFinding> = Vec::new();
    let mut urls: Vec<LicenseFinding> = Vec::new();
    for h in rules::markers(&stream).into_iter().chain(rules::line_rules(text)) {
        let f = to_finding(h);
        if in_text(&f) {
            continue;
        }
        match f.method {
            Method::Url => urls.push(f),
            Method::Reference if f.expression != SEE_FILE => {
                if !notices.iter().chain(&refs).any(|n| overlaps(n, &f, 0)) {
                    refs.push(f)
                }
            }
            _ => markers.push(f),
        }
    }
    // The catalogue's license URLs where kataster's own URL rules know none on the line.
    for f in catalogue_urls(cat, text) {
        if !in_text(&f) && !urls.iter().any(|u| u.start_line == f.start_line) {
            urls.push(f);
        }
    }
    // A bare GNU text says nothing of later versions; a notice beside it does.
    for t in texts.iter_mut() {
        let Some(stem) = t.expression.strip_suffix("-only") else { continue };
        let later = format!("{stem}-or-later");
        if notices.iter().chain(&refs).any(|n| n.expression == later) {
            t.expression = later;
        } else if spdx::license_id(&t.expression).is_some_and(|l| l.is_gnu()) {
            t.confidence = t.confidence.min(0.75);
        }
    }
    let mut out: Vec<LicenseFinding> = texts;
    out.extend(notices);
    out.extend(refs);
    // A URL beside a finding that names its license accompanies that header; a URL of
    // another license (the MIT page under an LGPL notice) is a license of its own.
    urls.retain(|u| !out.iter().any(|f| overlaps(f, u, 3) && names_all(&f.expression, &u.expression)));
    out.extend(urls);
    // Exceptions join the license they modify.
    for mut e in exceptions {
        let base = out.iter().filter(|f| !f.expression.contains(' ')).map(|f| f.expression.clone()).next();
        if let Some(b) = base
            && let Some(expr) = kataster_model::license::normalize_expression(&format!("{b} WITH {}", e.expression))
        {
            e.expression = expr;
            out.push(e);
        }
    }
    let has_license = tagged || !out.is_empty();
    // Markers: pointers only where nothing names the license nearby; public-domain wording
    // not inside a dedication already named.
    for m in markers {
        let keep = match m.expression.as_str() {
            SEE_FILE => !out.iter().any(|f| overlaps(f, &m, 3)),
            PUBLIC_DOMAIN => !out.iter().any(|f| overlaps(f, &m, 2)),
            _ => true,
        };
        if keep {
            out.push(m);
        }
    }
    if !has_license {
        out.extend(rights_reserved(&stream));
        if out.is_empty() && pf.text {
            out.extend(unknown(&stream));
        }
    }
    // Text the catalogue knows for a false positive (a license named in passing, a
    // build file listing license names) holds no finding.
    let false_positives: Vec<(u32, u32, usize)> = cat
        .false_positives(&ids)
        .into_iter()
        .map(|m| (stream.word_line(m.start_word), stream.word_line(m.end_word - 1), m.end_word - m.start_word))
        .collect();
    if !false_positives.is_empty() {
        let inside = |f: &LicenseFinding| {
            false_positives.iter().any(|&(s, e, words)| {
                s <= f.start_line && f.end_line <= e && words * 2 >= stream.words_on_lines(f.start_line, f.end_line)
            })
        };
        out.retain(|f| !inside(f));
        found.retain(|f| !inside(f));
    }
    // A vendor's named license says more than the generic wording of its agreement.
    if out.iter().any(|f| rules::names_a_vendor(&f.rule)) {
        out.retain(|f| {
            rules::names_a_vendor(&f.rule) || ![COMMERCIAL, EULA, PROPRIETARY].contains(&f.expression.as_str())
        });
    }
    found.extend(out);
}

/// License URLs the catalogue knows (a URL with a path: a bare host is a homepage), one
/// finding per line. Lines holding `"` or `=` are manifest or config fields.
fn catalogue_urls(cat: &catalogue::Catalogue, text: &str) -> Vec<LicenseFinding> {
    let mut out = Vec::new();
    if memchr::memmem::find(text.as_bytes(), b"://").is_none()
        && memchr::memmem::find(text.as_bytes(), b"www.").is_none()
    {
        return out;
    }
    for (i, raw) in text.lines().enumerate() {
        let line = lines::line_view(raw);
        if !(line.contains("://") || line.contains("www.")) || field_line(&line) {
            continue;
        }
        for url in catalogue::urls_in(&line) {
            let Some(rule) = cat.url_rule(url) else { continue };
            let expression = cat.url_expression(rule);
            if expression.is_empty() || !rule.key.contains('/') {
                continue;
            }
            let n = i as u32 + 1;
            out.push(LicenseFinding {
                expression: expression.to_string(),
                start_line: n,
                end_line: n,
                method: Method::Url,
                confidence: 0.8,
                rule: FindingRule::Catalogue(rule.ident.to_string()),
            });
            break;
        }
    }
    out
}

/// Does `expr` name every license `of` names (GNU ids without `-only` / `-or-later`, which a
/// URL cannot tell apart)?
fn names_all(expr: &str, of: &str) -> bool {
    let ids = |e: &str| -> Vec<String> {
        e.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .filter(|t| !t.is_empty() && !matches!(*t, "AND" | "OR" | "WITH"))
            .map(|t| t.trim_end_matches("-only").trim_end_matches("-or-later").to_string())
            .collect()
    };
    let have = ids(expr);
    ids(of).iter().all(|i| have.contains(i))
}

/// The family of an expression's first license: `GPL` of `GPL-1.0-or-later`.
fn family(expr: &str) -> &str {
    let end = expr.find(|c: char| c == '-' || c == ' ' || c.is_ascii_digit()).unwrap_or(expr.len());
    &expr[..end]
}

/// Does a line hold `"` or `=` (a field, an assignment, a string in code)?
fn field_line(line: &str) -> bool {
    line.contains('"') || line.contains('=')
}

/// Of overlapping rule matches the one that matched most words stays; of equals, the
/// whole match, then the one with the higher share of its rule, then the first.
fn longest(mut found: Vec<catalogue::RuleMatch>) -> Vec<catalogue::RuleMatch> {
    found.sort_by(|a, b| {
        b.matched
            .cmp(&a.matched)
            .then(b.coverage.total_cmp(&a.coverage))
            .then(a.start_word.cmp(&b.start_word))
            .then(a.rule.cmp(&b.rule))
    });
    let mut kept: Vec<catalogue::RuleMatch> = Vec::new();
    for m in found {
        if !kept.iter().any(|k| k.start_word < m.end_word && m.start_word < k.end_word) {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.start_word);
    kept
}

fn overlaps(a: &LicenseFinding, b: &LicenseFinding, slack: u32) -> bool {
    a.start_line <= b.end_line + slack && b.start_line <= a.end_line + slack
}

/// "All rights reserved" with no license grant anywhere in the file.
fn rights_reserved(stream: &Stream) -> Option<LicenseFinding> {
    let t = &stream.text;
    let p = t.find("all rights reserved")?;
    for grant in
        ["permission is hereby granted", "permission to use", "redistribution and use", "is free software", "you may"]
    {
        if t.contains(grant) {
            return None;
        }
    }
    let (s, e) = stream.lines_of(p, p + "all rights reserved".len());
    Some(LicenseFinding {
        expression: PROPRIETARY.into(),
        start_line: s,
        end_line: e,
        method: Method::Marker,
        confidence: 0.6,
        rule: FindingRule::Own(OwnRule::AllRightsReserved),
    })
}

/// License-like prose that matches nothing known: several of the phrases licenses are
/// made of (a grant, conditions, a warranty disclaimer, a liability limit).
fn unknown(stream: &Stream) -> Option<LicenseFinding> {
    const GRANT: &[&str] = &[
        "permission is hereby granted",
        "hereby grants",
        "hereby grant",
        "is granted to",
        "you may copy",
        "you may use",
        "grants you",
    ];
    const CONDITION: &[&str] = &[
        "provided that",
        "subject to the following conditions",
        "the following conditions",
        "must retain the above copyright notice",
        "terms and conditions",
        "subject to the terms",
    ];
    const DISCLAIMER: &[&str] = &[
        "without warranty",
        "as is without",
        "provided as is",
        "warranties of merchantability",
        "no warranty",
        "disclaims all warranties",
    ];
    const LIABILITY: &[&str] =
        &["be liable for any", "in no event shall", "liable for any damages", "limitation of liability"];
    let t = &stream.text;
    let mut first = usize::MAX;
    let mut last = 0;
    // Every group must be there: the first one missing ends the search.
    for group in [GRANT, CONDITION, DISCLAIMER, LIABILITY] {
        let hits: Vec<usize> = group.iter().filter_map(|p| t.find(p).map(|s| s + p.len())).collect();
        let (Some(&lo), Some(&hi)) = (hits.iter().min(), hits.iter().max()) else { return None };
        first = first.min(lo);
        last = last.max(hi);
    }
    let (s, e) = stream.lines_of(first.saturating_sub(30), last);
    let (expression, rule) = if is_commercial_agreement(t) {
        (COMMERCIAL, OwnRule::CommercialAgreementText)
    } else {
        (UNKNOWN, OwnRule::UnknownLicenseText)
    };
    Some(LicenseFinding {
        expression: expression.into(),
        start_line: s,
        end_line: e,
        method: Method::Text,
        confidence: 0.5,
        rule: FindingRule::Own(rule),
    })
}

/// The wording of a vendor's license agreement, in a license text nobody catalogued: a
/// sale ("licensed, not sold"), or three of license fees or a purchase, a non-transferable
/// grant, counted developers or seats, "this agreement", a licensee, a ban on reverse
/// engineering, fees or seats among them. Licenses on the SPDX list share up to three of
/// the others (the LGPL-2.0 has "this License Agreement", "licensee" and "reverse
/// engineering for debugging"; Intel-ACPI and YPL grant non-transferable licenses), and
/// none of them has fees or seats with two more (the GPL-3.0 forbids "a license fee": the
/// singular is no signal).
fn is_commercial_agreement(t: &str) -> bool {
    const SOLD: &[&str] = &["licensed not sold", "is licensed and not sold", "licensed to you not sold"];
    const GROUPS: &[&[&str]] = &[
        &[
            "license fees",
            "licence fees",
            "fees paid",
            "paid the applicable fee",
            "payment of the applicable",
            "purchase a license",
            "purchase a licence",
            "purchased license",
            "purchased licence",
            "subscription fee",
            "subscription term",
            "the purchase price",
        ],
        &["non transferable", "nontransferable", "not transferable"],
        &[
            "number of developers",
            "per developer",
            "developer license",
            "developer licence",
            "named user",
            "number of seats",
            "per seat",
            "licensed developers",
        ],
        &["terms of this agreement", "this license agreement", "this licence agreement", "this agreement"],
        &["licensee"],
        &["reverse engineer", "decompile", "disassemble"],
    ];
    let has = |p: &&str| t.contains(p);
    let hit: Vec<bool> = GROUPS.iter().map(|g| g.iter().any(has)).collect();
    let groups = hit.iter().filter(|h| **h).count();
    let commercial = hit[0] || hit[2];
    (commercial && groups >= 3) || (SOLD.iter().any(has) && groups >= 1)
}

/// `SPDX-License-Identifier:` tags in any comment style.
pub fn tags(text: &str) -> Vec<LicenseFinding> {
    const TAG: &str = "spdx-license-identifier:";
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = lines::line_view(raw);
        let Some(pos) = find_ascii_ci(&line, TAG) else { continue };
        let value = clean_tag_value(&line[pos + TAG.len()..]);
        if value.is_empty() {
            continue;
        }
        let Some(expression) = kataster_model::license::normalize_expression(value) else { continue };
        let n = i as u32 + 1;
        out.push(LicenseFinding {
            expression,
            start_line: n,
            end_line: n,
            method: Method::Tag,
            confidence: 1.0,
            rule: FindingRule::Own(OwnRule::SpdxLicenseIdentifier),
        });
    }
    out
}

/// Byte offset of an ASCII needle (lower case) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes().windows(n).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Strip comment closers and trailing punctuation from a tag's value.
fn clean_tag_value(v: &str) -> &str {
    let mut v = v.trim();
    for closer in ["*/", "-->", "--%>", "#}", "%>", "\"\"\"", "'''"] {
        if let Some(s) = v.strip_suffix(closer) {
            v = s.trim_end();
        }
    }
    // The expression ends where prose or code starts: `MIT */ code`, `MIT", ...`.
    let end = v.find(['"', '\'', '`', ';', ',', '*', '<']).unwrap_or(v.len());
    v[..end].trim()
}

/// Combine the findings of a file into one expression: distinct expressions joined by AND.
pub fn combine(findings: &[LicenseFinding]) -> Option<String> {
    let mut exprs: Vec<&str> = findings.iter().map(|f| f.expression.as_str()).collect();
    exprs.sort_unstable();
    exprs.dedup();
    match exprs.len() {
        0 => None,
        1 => Some(exprs[0].to_string()),
        _ => Some(kataster_model::license::join_parts(&exprs, " AND ", |e| e.contains(' '))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spdx_text(id: &str) -> &'static str {
        spdx::text::LICENSE_TEXTS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t).unwrap_or("")
    }

    fn found(text: &str) -> Vec<(String, Method, u32, u32)> {
        detect("x", text).licenses.into_iter().map(|f| (f.expression, f.method, f.start_line, f.end_line)).collect()
    }

    fn exprs(text: &str) -> Vec<String> {
        found(text).into_iter().map(|f| f.0).collect()
    }

    #[test]
    fn every_region_of_a_multi_license_file_has_its_lines() {
        let mit = spdx_text("MIT");
        let apache = spdx_text("Apache-2.0");
        let text = format!("This project is offered under two licenses.\n\n{mit}\n\n---\n\n{apache}");
        let f = found(&text);
        let texts: Vec<_> = f.iter().filter(|f| f.1 == Method::Text).collect();
        assert_eq!(texts.len(), 2, "{f:?}");
        assert_eq!(texts[0].0, "MIT");
        assert_eq!(texts[1].0, "Apache-2.0");
        let mit_lines = mit.lines().count() as u32;
        assert!(texts[0].2 >= 3 && texts[0].3 <= 3 + mit_lines, "{f:?}");
        assert!(texts[1].2 > texts[0].3, "{f:?}");
    }

    #[test]
    fn a_bare_gnu_text_is_only_and_a_notice_beside_it_makes_it_or_later() {
        let gpl = spdx_text("GPL-2.0-only");
        let d = detect("COPYING", gpl);
        assert_eq!(d.licenses.len(), 1, "{:?}", d.licenses);
        assert_eq!(d.licenses[0].expression, "GPL-2.0-only");
        assert!(d.licenses[0].confidence <= 0.75);
        let notice = "This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.\n\n";
        let d = exprs(&format!("{notice}{gpl}"));
        assert!(d.iter().all(|e| e == "GPL-2.0-or-later"), "{d:?}");
    }

    #[test]
    fn headers_of_the_common_licenses() {
        let apache = "/*\n * Copyright 2020 ACME\n *\n * Licensed under the Apache License, Version 2.0 (the \"License\");\n * you may not use this file except in compliance with the License.\n * You may obtain a copy of the License at\n *\n *      http://www.apache.org/licenses/LICENSE-2.0\n */\n";
        // The catalogue's Apache-2.0 notice holds the pointer to the license text as well.
        assert_eq!(found(apache), vec![("Apache-2.0".to_string(), Method::Notice, 4, 6)]);
        let mpl = "# This Source Code Form is subject to the terms of the Mozilla Public\n# License, v. 2.0. If a copy of the MPL was not distributed with this\n# file, You can obtain one at http://mozilla.org/MPL/2.0/.\n";
        assert_eq!(exprs(mpl), vec!["MPL-2.0"]);
        let lgpl = "-- This library is free software; you can redistribute it and/or\n-- modify it under the terms of the GNU Lesser General Public\n-- License as published by the Free Software Foundation; either\n-- version 2.1 of the License, or (at your option) any later version.\n";
        assert_eq!(exprs(lgpl), vec!["LGPL-2.1-or-later"]);
        let epl = "// This program and the accompanying materials are made available under the\n// terms of the Eclipse Public License v. 2.0 which is available at\n// http://www.eclipse.org/legal/epl-2.0.\n";
        assert_eq!(exprs(epl), vec!["EPL-2.0"]);
    }

    /// FFmpeg's LGPL header with another project's name: no rule of the catalogue holds it
    /// whole, the approximate matcher finds the notice with its rule and its lines.
    #[test]
    fn a_real_header_with_another_project_name_is_found_by_its_rule() {
        let header = "/*\n * Copyright (c) 2021 Jane Roe\n *\n * This file is part of Frobnicator.\n *\n * Frobnicator is free software; you can redistribute it and/or\n * modify it under the terms of the GNU Lesser General Public\n * License as published by the Free Software Foundation; either\n * version 2.1 of the License, or (at your option) any later version.\n *\n * Frobnicator is distributed in the hope that it will be useful,\n * but WITHOUT ANY WARRANTY; without even the implied warranty of\n * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU\n * Lesser General Public License for more details.\n *\n * You should have received a copy of the GNU Lesser General Public\n * License along with Frobnicator; if not, write to the Free Software\n * Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA\n */\n\n#include \"frob.h\"\n";
        let d = detect("frob.c", header);
        assert_eq!(d.licenses.len(), 1, "{:?}", d.licenses);
        let f = &d.licenses[0];
        assert_eq!((f.expression.as_str(), f.method), ("LGPL-2.1-or-later", Method::Notice), "{f:?}");
        assert!(
            matches!(&f.rule, FindingRule::Catalogue(r) if r.starts_with("lgpl-2.1-plus") && r.ends_with(".RULE")),
            "{f:?}"
        );
        assert!(f.start_line <= 6 && f.end_line >= 17 && f.end_line <= 18, "{f:?}");
        assert!(f.confidence < 1.0, "{f:?}");
        // No rule of the catalogue is in the header whole over those lines.
        let cat = catalogue::catalogue();
        let stream = Stream::new(header);
        let whole = cat.exact(&cat.ids_of(&stream));
        assert!(
            !whole.iter().any(|m| stream.word_line(m.start_word) <= 6 && stream.word_line(m.end_word - 1) >= 17),
            "a whole rule covers the header"
        );
        // Rewrapped, with a word more, it is the same notice.
        let rewrapped = "# This file is part of Frobnicator. Frobnicator is free software; you can\n# redistribute it and/or modify it under the terms of the GNU Lesser General Public License\n# as published by the Free Software Foundation; either version 2.1 of the License, or (at your\n# option) any later version. Frobnicator is distributed in the sincere hope that it will be useful,\n# but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS\n# FOR A PARTICULAR PURPOSE.  See the GNU Lesser General Public License for more details.\n";
        let f = found(rewrapped);
        assert_eq!(f, vec![("LGPL-2.1-or-later".to_string(), Method::Notice, 1, 6)]);
    }

    /// A version differs: the approximate matcher does not take a rule of another version.
    #[test]
    fn a_changed_version_is_not_matched_approximately() {
        let v3 = "Frobnicator is free software; you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License as published by the Free Software Foundation; either version 7 of the License, or (at your option) any later version.\n";
        let cat = catalogue::catalogue();
        let ids = cat.ids_of(&Stream::new(v3));
        // Rules that state a version are matched only with their version: every word of the
        // rule with a digit is in the text.
        for m in approx::find(cat, approx::index(), &ids, &[], &[], &|_| false) {
            let rule = &cat.rules[m.rule as usize];
            for &t in cat.tokens_of(rule) {
                let w = cat.word(t);
                assert!(!w.bytes().any(|b| b.is_ascii_digit()) || ids.contains(&t), "{} needs {w}", rule.ident);
            }
        }
        // With the version of a rule, the rule is found.
        let v21 = v3.replace("version 7", "version 2.1");
        let ids = cat.ids_of(&Stream::new(&v21));
        let near: Vec<&str> = approx::find(cat, approx::index(), &ids, &[], &[], &|_| false)
            .iter()
            .map(|m| cat.expression(&cat.rules[m.rule as usize]))
            .collect();
        assert!(near.contains(&"LGPL-2.1-or-later"), "{near:?}");
    }

    /// Text the catalogue knows as a false positive holds no finding; the same words outside
    /// it are a reference.
    #[test]
    fn a_false_positive_rule_suppresses_the_findings_inside_it() {
        let script = "echo \"Please replace the Apache license header comment text with:\"\necho \"SPDX-License-Identifier: Apache-2.0\"\n";
        assert_eq!(exprs(script), Vec::<String>::new());
        assert_eq!(exprs("echo \"SPDX-License-Identifier: Apache-2.0\"\n"), vec!["Apache-2.0"]);
        let history = script;
        let cat = catalogue::catalogue();
        let fp = cat.false_positives(&cat.ids_of(&Stream::new(history)));
        assert!(fp.iter().any(|m| cat.rules[m.rule as usize].ident.starts_with("false-positive")), "{fp:?}");
    }

    /// A license URL the catalogue knows and kataster's URL rules do not.
    #[test]
    fn catalogue_url_rules_complement_the_url_rule() {
        let f = detect("x", "// See https://choosealicense.com/licenses/ecl-2.0/ for the terms.\n").licenses;
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].expression.as_str(), f[0].method, f[0].start_line), ("ECL-2.0", Method::Url, 1));
        assert!(matches!(&f[0].rule, FindingRule::Catalogue(r) if r.ends_with(".RULE")), "{f:?}");
        // kataster's own URL rule keeps its line.
        let f = detect("x", "// http://www.apache.org/licenses/LICENSE-2.0\n").licenses;
        assert_eq!(f.iter().map(|f| &f.rule).collect::<Vec<_>>(), vec![&FindingRule::Own(OwnRule::LicenseUrl)]);
    }

    #[test]
    fn boilerplate_under_another_license_name_is_that_license() {
        let distinct = |text: &str| {
            exprs(text).into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>()
        };
        // Apache's boilerplate under the Elastic License's name (Databend's header).
        let elastic = "// Copyright 2023 Databend Cloud\n//\n// Licensed under the Elastic License, Version 2.0 (the \"License\");\n// you may not use this file except in compliance with the License.\n// You may obtain a copy of the License at\n//\n//     https://www.elastic.co/licensing/elastic-license\n//\n// Unless required by applicable law or agreed to in writing, software\n// distributed under the License is distributed on an \"AS IS\" BASIS,\n// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n// See the License for the specific language governing permissions and\n// limitations under the License.\n";
        assert_eq!(distinct(elastic), vec!["Elastic-2.0"]);
        // The same boilerplate under the Confluent Community License is not the CDDL notice
        // that reads alike after its own name.
        let confluent = elastic
            .replace("Copyright 2023 Databend Cloud", "Copyright 2020 Confluent Inc.")
            .replace("the Elastic License, Version 2.0", "the Confluent Community License")
            .replace(
                "https://www.elastic.co/licensing/elastic-license",
                "http://www.confluent.io/confluent-community-license",
            );
        assert_eq!(distinct(&confluent), vec!["LicenseRef-scancode-confluent-community-1.0"]);
        // A holder's name that a license is also called by does not count; "or" ends the
        // name before a notice.
        assert_eq!(
            exprs(
                &elastic
                    .replace("the Elastic License, Version 2.0", "the Apache License, Version 2.0")
                    .replace("Databend Cloud", "Michael Urman")
            ),
            vec!["Apache-2.0"]
        );
    }

    #[test]
    fn proprietary_commercial_and_eula_markers() {
        assert_eq!(exprs("// Copyright 2021 ACME GmbH. All rights reserved.\nint main() {}\n"), vec![PROPRIETARY]);
        assert_eq!(exprs("/* ACME Corp - Proprietary and Confidential */\n"), vec![PROPRIETARY]);
        assert_eq!(
            exprs("Use of this SDK requires a commercial license from ACME.\n"),
            vec!["LicenseRef-kataster-commercial"]
        );
        assert_eq!(exprs("END USER LICENSE AGREEMENT\nRead carefully.\n"), vec!["LicenseRef-kataster-eula"]);
        // "All rights reserved" beside a grant is no marker.
        let bsd = format!("Copyright (c) 2009 The Go Authors. All rights reserved.\n\n{}", spdx_text("BSD-3-Clause"));
        assert!(!exprs(&bsd).contains(&PROPRIETARY.to_string()), "{:?}", exprs(&bsd));
        assert_eq!(
            exprs(
                "// Copyright 2018 Amazon.com, Inc. or its affiliates. All Rights Reserved.\n// SPDX-License-Identifier: Apache-2.0\n"
            ),
            vec!["Apache-2.0"]
        );
    }

    #[test]
    fn named_commercial_licenses() {
        let named = |t: &str| {
            let mut ids = found(t).into_iter().map(|f| f.0).collect::<Vec<_>>();
            ids.dedup();
            ids
        };
        for (text, id) in [
            (
                "/*! Grid 5.1\n * Copyright(c) MESCIUS inc. All rights reserved.\n * Licensed under the End-User License Agreement For MESCIUS Wijmo Software.\n */\n",
                "LicenseRef-kataster-commercial-mescius",
            ),
            (
                "/**\n * DevExtreme (esm/grid.js)\n * Copyright (c) 2012 - 2026 Developer Express Inc. ALL RIGHTS RESERVED\n * Read about DevExtreme licensing here: https://js.devexpress.com/Licensing/\n */\n",
                "LicenseRef-kataster-commercial-devexpress",
            ),
            (
                "/*\njQWidgets v1.0\nCopyright (c) 2011-2026 jQWidgets.\nLicense: https://jqwidgets.com/license/\n*/\n",
                "LicenseRef-kataster-commercial-jqwidgets",
            ),
            (
                "/**!\n* @license FusionCharts JavaScript Library\n* Copyright FusionCharts, Inc.\n*/\n",
                "LicenseRef-kataster-commercial-fusioncharts",
            ),
            (
                "/*!\n * Font Awesome Pro 6.5.1 by @fontawesome - https://fontawesome.com\n * License - https://fontawesome.com/license (Commercial License)\n * Copyright 2023 Fonticons, Inc.\n */\n",
                "LicenseRef-kataster-commercial-fontawesome-pro",
            ),
            (
                "This version of Sencha Ext JS is licensed commercially for evaluation only.\n",
                "LicenseRef-scancode-sencha-commercial",
            ),
            (
                "Use is governed by the Telerik End User License Agreement for Kendo UI Complete.\n",
                "LicenseRef-scancode-telerik-eula",
            ),
            (
                "These terms are entered into between AG Grid Ltd (Licensor) and the Licensee.\n",
                "LicenseRef-scancode-ag-grid-enterprise",
            ),
            (
                "(c) 2009-2026 Highsoft AS\nA commercial license may be required, see www.highcharts.com/license\n",
                "LicenseRef-kataster-commercial-highsoft",
            ),
        ] {
            assert_eq!(named(text), vec![id], "{text}");
        }
    }

    #[test]
    fn an_uncatalogued_agreement_is_commercial_other_license_prose_unknown() {
        let eula = "ACME Grid Developer License Agreement\n\nThe Software is licensed, not sold. Subject to the terms of this Agreement and to the payment of the applicable license fees, ACME hereby grants the Licensee a non-exclusive, non-transferable license to use the Software for the number of developers stated on the order. The Licensee shall not reverse engineer or decompile the Software.\n\nTHE SOFTWARE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND. IN NO EVENT SHALL ACME BE LIABLE FOR ANY DAMAGES.\n";
        let d = detect("LICENSE", eula);
        let got: Vec<_> = d.licenses.iter().map(|f| (f.expression.as_str(), &f.rule)).collect();
        assert_eq!(got, vec![(COMMERCIAL, &FindingRule::Own(OwnRule::CommercialAgreementText))]);
        let homegrown = "The Frobnicator License\n\nPermission is hereby granted to use and copy this software, provided that this notice is kept and the following conditions are met.\n\nTHE SOFTWARE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND. IN NO EVENT SHALL THE AUTHORS BE LIABLE FOR ANY DAMAGES.\n";
        assert_eq!(exprs(homegrown), vec![UNKNOWN]);
    }

    #[test]
    fn open_source_license_texts_are_no_agreements() {
        let db = kataster_model::license::db::db();
        let mut checked = 0;
        for (id, text) in spdx::text::LICENSE_TEXTS {
            if !db.license(id).is_some_and(|e| e.open_source && e.category.is_open()) {
                continue;
            }
            assert!(!is_commercial_agreement(&Stream::new(text).text), "{id} reads as a commercial agreement");
            checked += 1;
        }
        assert!(checked > 150, "{checked}");
    }

    #[test]
    fn public_domain_and_pointers() {
        assert_eq!(
            exprs("/* This file is placed in the public domain. */\n"),
            vec!["LicenseRef-kataster-public-domain"]
        );
        assert_eq!(exprs(spdx_text("Unlicense")), vec!["Unlicense"]);
        assert_eq!(exprs("// See the LICENSE file at the top-level directory of this distribution.\n"), vec![SEE_FILE]);
        assert_eq!(exprs("// Licensed under the MIT license, see LICENSE for details.\n"), vec!["MIT"]);
    }

    #[test]
    fn code_and_prose_about_licenses_give_nothing() {
        for t in [
            "let license = manifest.license.clone();\nif check_license(&license) { return; }\n",
            "{\"properties\": {\"license\": {\"type\": \"string\", \"description\": \"SPDX license expression\"}}}\n",
            "license: { type: string }\n",
            "Choosing a license is hard. Permissive licenses such as MIT differ from copyleft ones.\n",
            "pub fn license_file(&self) -> Option<&Path> { self.license_file.as_deref() }\n",
        ] {
            assert_eq!(exprs(t), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn minified_bundles_give_their_banners_only() {
        let body = "var a=function(){return 1};".repeat(400);
        let t = format!(
            "/*! tiny-lib v1.2.3 | MIT License | github.com/x/tiny */\n{body}/** @license Apache-2.0 */{body}\n"
        );
        let f = found(&t);
        let e: Vec<_> = f.iter().map(|f| (f.0.as_str(), f.2)).collect();
        assert_eq!(e, vec![("MIT", 1), ("Apache-2.0", 2)], "{f:?}");
    }

    #[test]
    fn references_urls_and_license_lines() {
        assert_eq!(exprs("This library is released under the terms of the GNU GPL version 2.\n"), vec!["GPL-2.0-only"]);
        assert_eq!(exprs("# License: BSD-3-Clause\n"), vec!["BSD-3-Clause"]);
        assert_eq!(exprs("See https://opensource.org/licenses/ISC\n"), vec!["ISC"]);
        let d = detect(
            "x",
            "Copyright (c) 2020 Jane Roe\nLicensed under the Apache License, Version 2.0 or the MIT license, at your option.\n",
        );
        assert_eq!(d.licenses[0].expression, "Apache-2.0 OR MIT");
        assert_eq!(d.copyrights[0].holders, vec!["Jane Roe".to_string()]);
    }

    #[test]
    fn emitted_license_refs_are_valid_expressions() {
        for r in EMITTED_LICENSE_REFS {
            assert_eq!(kataster_model::license::normalize_expression(r).as_deref(), Some(*r));
        }
        for r in [PROPRIETARY, UNKNOWN, SEE_FILE] {
            assert!(EMITTED_LICENSE_REFS.contains(&r));
        }
    }

    #[test]
    fn tags_in_comment_styles() {
        let t = "// SPDX-License-Identifier: MIT\n/* SPDX-License-Identifier: apache-2.0 */\n# SPDX-License-Identifier: GPL-2.0+\n<!-- SPDX-License-Identifier: BSD-3-Clause -->\n";
        let f = tags(t);
        let e: Vec<_> = f.iter().map(|f| (f.expression.as_str(), f.start_line)).collect();
        assert_eq!(e, vec![("MIT", 1), ("Apache-2.0", 2), ("GPL-2.0-or-later", 3), ("BSD-3-Clause", 4)]);
    }

    #[test]
    fn combine_joins_distinct_with_and() {
        let mk = |e: &str| LicenseFinding {
            expression: e.into(),
            start_line: 1,
            end_line: 1,
            method: Method::Tag,
            confidence: 1.0,
            rule: FindingRule::Own(OwnRule::SpdxLicenseIdentifier),
        };
        assert_eq!(combine(&[mk("MIT"), mk("MIT")]).as_deref(), Some("MIT"));
        assert_eq!(combine(&[mk("MIT"), mk("Apache-2.0 OR MIT")]).as_deref(), Some("(Apache-2.0 OR MIT) AND MIT"));
        assert_eq!(combine(&[]), None);
    }
}
