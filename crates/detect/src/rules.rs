//! Notices, references, URLs and markers: the rules of `license-db/detect/rules.toml`
//! and the GNU reader.
//!
//! Owns the compiled rules (built once) and their matching on a file's normalized word
//! stream (see `lines.rs`) or, for URLs and `License: X` lines, on its raw lines. It
//! returns hits with their byte span in the stream or their line; which hits survive is
//! decided by `detect::detect`. Rules that fail to compile are a build-time bug caught by
//! the unit tests, never a panic at scan time: a bad rule is skipped.

use super::lines::{Stream, line_view, strip_comment};
use kataster_model::model::{FindingRule, Method, OwnRule};
use regex::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

const RULES_TOML: &str = include_str!("../../../license-db/detect/rules.toml");

#[derive(Deserialize)]
struct RulesFile {
    #[serde(default)]
    name: Vec<NameDef>,
    #[serde(default)]
    notice: Vec<NoticeDef>,
    #[serde(default)]
    marker: Vec<MarkerDef>,
    #[serde(default)]
    url: Vec<UrlDef>,
}

#[derive(Deserialize)]
struct NameDef {
    id: String,
    patterns: Vec<String>,
}

#[derive(Deserialize)]
struct NoticeDef {
    rule: String,
    expression: String,
    pattern: String,
}

#[derive(Deserialize)]
struct MarkerDef {
    rule: String,
    id: String,
    patterns: Vec<String>,
}

/// A vendor's license page named in a line: `pattern` over the raw line, any case.
#[derive(Deserialize)]
struct UrlDef {
    rule: String,
    id: String,
    pattern: String,
}

/// The names of the rules of vendors' licenses start with this.
const VENDOR: &str = "vendor-";

/// Is this the rule of a vendor's named license (`vendor-*` in `rules.toml`)?
pub fn names_a_vendor(rule: &FindingRule) -> bool {
    matches!(rule, FindingRule::Table(name) if name.starts_with(VENDOR))
}

/// A hit of a rule, in the word stream (`start..end` bytes) or on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub expression: String,
    pub span: Span,
    pub method: Method,
    pub confidence: f32,
    pub rule: FindingRule,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    Stream(usize, usize),
    Lines(u32, u32),
}

struct Compiled {
    /// Each license name: its id and an anchored regex for the whole name.
    names: Vec<(String, Regex)>,
    /// One regex for "any name" (non-GNU and GNU), for the grammar.
    reference: Regex,
    follow: Regex,
    follow_list: Regex,
    gnu_name: Regex,
    gnu_version: Regex,
    notices: Vec<(NoticeDef, Regex)>,
    markers: Vec<(String, String, Regex)>,
    /// Notices then markers, in one set: one pass tells which of them to run.
    /// The notices in one set, and the markers in another: each function runs only its own.
    notice_set: regex::RegexSet,
    marker_set: regex::RegexSet,
    /// The vendors' named licenses (markers whose rule starts with `vendor-`), run only on
    /// streams that name one of `vendor_words`.
    vendor_set: regex::RegexSet,
    vendor_words: Option<aho_corasick::AhoCorasick>,
    license_line: Regex,
    url: Regex,
    /// Vendors' license pages: (rule, id, regex).
    vendor_urls: Vec<(String, String, Regex)>,
    /// All vendor license pages in one set: one pass per line with a URL.
    vendor_url_set: regex::RegexSet,
    see_file: Regex,
    banner: Regex,
    errors: Vec<String>,
}

const GNU_NAME: &str = r"(?:gnu )?(?:affero |lesser |library )?(?:gnu )?general public licen[cs]e(?: (?:version |v ?)?\d(?:\.\d)?\+?)?|(?:gnu )?[al]?gpl(?: ?v ?\d(?:\.\d)?\+?| \d(?:\.\d)?\+?|v\d(?:\.\d)?\+?|\d(?:\.\d)?\+?)?";

const VERB: &str = r"(?:modify it|redistribute it|licen[cs]ed|released|distributed|available|published|provided|offered|covered|governed|dual licen[cs]ed|relicen[cs]ed|licen[cs]able|subject to the terms|subject to the conditions)";

/// Compile the rules if that has not happened yet.
pub fn warm_up() {
    compiled();
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(compile)
}

fn compile() -> Compiled {
    let mut errors = Vec::new();
    let file: RulesFile = match toml::from_str(RULES_TOML) {
        Ok(f) => f,
        Err(e) => {
            errors.push(format!("rules.toml: {e}"));
            RulesFile { name: Vec::new(), notice: Vec::new(), marker: Vec::new(), url: Vec::new() }
        }
    };
    let mut re = |p: &str| match Regex::new(p) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.push(format!("{p}: {e}"));
            None
        }
    };
    let mut names = Vec::new();
    let mut alternatives = Vec::new();
    for n in &file.name {
        for p in &n.patterns {
            if let Some(r) = re(&format!("^(?:{p})$")) {
                names.push((n.id.clone(), r));
                alternatives.push(format!("(?:{p})"));
            }
        }
    }
    alternatives.push(format!("(?:{GNU_NAME})"));
    // Longer alternatives first, so that "mit license" wins over "mit".
    alternatives.sort_by_key(|a| std::cmp::Reverse(a.len()));
    let any = alternatives.join("|");
    let never = || Regex::new("$^").expect("constant regex");
    // "licensed under the NAME", "dual licensed as NAME and NAME", "under the NAME license"
    // (without a verb, the word license must follow), "NAME licensed".
    let reference = re(&format!(
        r"(?-u:\b)(?:(?P<verb>{VERB}) (?:to you )?(?:(?:both|solely|only|freely|exclusively|jointly) )?(?:under|as)|under) (?:the )?(?:terms (?:and conditions )?of (?:the )?)?(?P<either>(?:either|both|one) (?:of )?(?:the )?|(?:your|at your) (?:choice|option) of (?:a )?(?:the )?)?(?P<name>{any})(?-u:\b)(?P<lic> licen[cs]ed?(?-u:\b))?|(?-u:\b)(?P<name2>{any}) licen[cs]ed(?-u:\b)"
    ))
    .unwrap_or_else(never);
    let follow = re(&format!(
        r"^(?: \S+){{0,8}}? (?P<conj>or|and|and or) (?:under )?(?:the )?(?:terms of )?(?:the )?(?P<name>{any})\b"
    ))
    .unwrap_or_else(never);
    let follow_list =
        re(&format!(r"^(?: \S+){{0,8}}? (?:(?:or|and) )?(?:the )?(?P<name>{any})(?-u:\b)")).unwrap_or_else(never);
    let gnu_name = re(&format!("^(?:{GNU_NAME})$")).unwrap_or_else(never);
    let gnu_version = re(r"(?-u:\b)(?:version|v) ?(\d(?:\.\d)?)(?-u:\b)").unwrap_or_else(never);
    let mut notices = Vec::new();
    for n in file.notice {
        if let Some(r) = re(&format!(r"(?-u:\b){}(?-u:\b)", n.pattern)) {
            notices.push((n, r));
        }
    }
    let mut markers = Vec::new();
    for m in file.marker {
        for p in &m.patterns {
            if let Some(r) = re(&format!(r"(?-u:\b)(?:{p})(?-u:\b)")) {
                markers.push((m.rule.clone(), m.id.clone(), r));
            }
        }
    }
    let mut vendor_urls = Vec::new();
    for u in file.url {
        if let Some(r) = re(&format!("(?i){}", u.pattern)) {
            vendor_urls.push((u.rule, u.id, r));
        }
    }
    let license_line = re(r"(?i)^(?:@licen[cs]e|licen[cs]e[sd]?|licensing)\s*(?::|\s)\s*(?P<v>[A-Za-z0-9][^\x22=;{}\[\]]{0,80}?)\s*[.,]?$")
        .unwrap_or_else(never);
    let url = re(r"(?i)\b(?:https?://)?(?:www\.)?(?P<host>apache\.org/licenses/LICENSE-2\.0|gnu\.org/licenses/(?:old-licenses/)?(?P<gnu>[al]?gpl|lgpl)-(?P<gv>\d\.\d)|opensource\.org/licenses?/(?P<osi>[A-Za-z0-9.+-]+)|spdx\.org/licenses/(?P<spdx>[A-Za-z0-9.+-]+)|mozilla\.org/MPL/2\.0|creativecommons\.org/publicdomain/zero/1\.0|creativecommons\.org/licenses/(?P<cc>by(?:-sa|-nc|-nd|-nc-sa|-nc-nd)?)/(?P<ccv>\d\.\d)|eclipse\.org/legal/epl-(?P<epl>v10|2\.0)|boost\.org/LICENSE_1_0\.txt|unlicense\.org)")
        .unwrap_or_else(never);
    let see_file = re(r"\b(?:[Ss]ee|[Rr]efer to|[Ss]ee the file|[Ii]n the file) (?:the )?(?:file )?(?:LICEN[CS]E|COPYING)(?:[.-][A-Za-z]+)?\b").unwrap_or_else(never);
    // Banners of bundles: `/*! name v1.2 | MIT License */`, `/** @license MIT */`.
    let banner = re(r"(?i)(?:@licen[cs]e\s+|\|\s*(?:licen[cs]e(?:d under|:)?\s+)?)(?P<v>[A-Za-z0-9][A-Za-z0-9.+-]*(?:\s+(?:OR|AND)\s+[A-Za-z0-9][A-Za-z0-9.+-]*)*)(?:\s+licen[cs]e)?\s*(?:\*/|\||$|\s*\(|\s+\S+\.\S+)")
        .unwrap_or_else(never);
    let mut set = |patterns: Vec<&str>| {
        regex::RegexSet::new(patterns).unwrap_or_else(|e| {
            errors.push(format!("rule set: {e}"));
            regex::RegexSet::empty()
        })
    };
    let is_vendor = |m: &(String, String, Regex)| m.0.starts_with(VENDOR);
    let notice_set = set(notices.iter().map(|(_, r)| r.as_str()).collect());
    let marker_set = set(markers.iter().filter(|m| !is_vendor(m)).map(|m| m.2.as_str()).collect());
    let vendor_set = set(markers.iter().filter(|m| is_vendor(m)).map(|m| m.2.as_str()).collect());
    let vendor_words = aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(VENDOR_WORDS).ok();
    Compiled {
        notice_set,
        marker_set,
        vendor_set,
        vendor_words,
        banner,
        names,
        reference,
        follow,
        follow_list,
        gnu_name,
        gnu_version,
        notices,
        markers,
        license_line,
        url,
        vendor_url_set: regex::RegexSet::new(vendor_urls.iter().map(|u| u.2.as_str()))
            .unwrap_or_else(|_| regex::RegexSet::empty()),
        vendor_urls,
        see_file,
        errors,
    }
}

/// Rules that did not compile (empty when the data is sound; checked by a test).
pub fn rule_errors() -> Vec<String> {
    compiled().errors.clone()
}

/// The SPDX expression for a license name as written in prose (`name` in stream form),
/// with `after` (the following words) for the GNU family's version and "any later version".
fn resolve_name(name: &str, after: &str) -> Option<(String, f32)> {
    let c = compiled();
    if c.gnu_name.is_match(name) {
        return gnu(name, after);
    }
    c.names.iter().find(|(_, r)| r.is_match(name)).map(|(id, _)| (id.clone(), 0.9))
}

/// Read a GNU license name: family, version (from the name or the words after it) and
/// whether later versions are allowed.
fn gnu(name: &str, after: &str) -> Option<(String, f32)> {
    let fam = if name.contains("affero") || name.contains("agpl") {
        "AGPL"
    } else if name.contains("lesser") || name.contains("library") || name.contains("lgpl") {
        "LGPL"
    } else {
        "GPL"
    };
    let c = compiled();
    let in_name =
        name.trim_end_matches('+').rsplit(|ch: char| !(ch.is_ascii_digit() || ch == '.')).next().unwrap_or("");
    let window: String = after.split(' ').take(30).collect::<Vec<_>>().join(" ");
    // The window ends where another license starts being named.
    let window = match window.find(" licen") {
        Some(p) if !window[..p].contains("version") => window[..p].to_string(),
        _ => window,
    };
    let version = if !in_name.is_empty() && in_name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        in_name.to_string()
    } else if name.contains("general public") || name.contains("gnu") || window.starts_with("version") {
        c.gnu_version.captures(&window)?.get(1)?.as_str().to_string()
    } else {
        return None;
    };
    let version = match (fam, version.as_str()) {
        ("GPL", "1" | "1.0") => "1.0",
        ("GPL", "2" | "2.0") => "2.0",
        ("GPL", "3" | "3.0") => "3.0",
        ("LGPL", "2" | "2.0") => "2.0",
        ("LGPL", "2.1") => "2.1",
        ("LGPL", "3" | "3.0") => "3.0",
        ("AGPL", "1" | "1.0") => "1.0",
        ("AGPL", "3" | "3.0") => "3.0",
        _ => return None,
    };
    let head: String = window.split(' ').take(30).collect::<Vec<_>>().join(" ");
    let later = name.ends_with('+')
        || head.starts_with('+')
        || ["any later version", "or later", "or newer", "and later", "or any later", "or above", "or greater"]
            .iter()
            .any(|w| head.contains(w));
    let only = head.starts_with("only") || head.contains(" only");
    let suffix = if later { "or-later" } else { "only" };
    let mut expr = format!("{fam}-{version}-{suffix}");
    if head.contains("classpath exception") {
        expr.push_str(" WITH Classpath-exception-2.0");
    }
    let confidence = if later || only { 0.95 } else { 0.85 };
    Some((expr, confidence))
}

/// References: "licensed under the X", "released under X or Y", "distributed under the
/// terms of the GNU GPL version 2 or later".
pub fn references(stream: &Stream) -> Vec<Hit> {
    let c = compiled();
    let t = &stream.text;
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(m) = c.reference.captures_at(t, pos) {
        let Some(whole) = m.get(0) else { break };
        pos = whole.end().max(pos + 1);
        let Some(name) = m.name("name").or(m.name("name2")) else { continue };
        // Without a verb, "under X" is a license only when X is named a license.
        if m.name("name").is_some()
            && m.name("verb").is_none()
            && m.name("lic").is_none()
            && !name.as_str().contains("licen")
        {
            continue;
        }
        let mut exprs: Vec<String> = Vec::new();
        let mut conf: f32 = 1.0;
        let mut end = name.end();
        let Some((e, cf)) = resolve_name(name.as_str(), t.get(name.end()..).unwrap_or("").trim_start()) else {
            continue;
        };
        exprs.push(e);
        conf = conf.min(cf);
        let list = m.name("either").is_some() || whole.as_str().contains("dual");
        let mut any_or = list;
        // Further names: "or the MIT license", "and Apache 2.0", list items.
        loop {
            let rest = t.get(end..).unwrap_or("");
            let cap = if list { c.follow_list.captures(rest) } else { c.follow.captures(rest) };
            let Some(cap) = cap else { break };
            let (Some(all), Some(n)) = (cap.get(0), cap.name("name")) else { break };
            let after = rest.get(n.end()..).unwrap_or("").trim_start();
            let Some((e, cf)) = resolve_name(n.as_str(), after) else { break };
            if cap.name("conj").is_some_and(|x| x.as_str() == "or") {
                any_or = true;
            }
            if !exprs.contains(&e) {
                exprs.push(e);
            }
            conf = conf.min(cf);
            end += all.end();
        }
        let window = t.get(end..).unwrap_or("");
        if crate::lines::prefix(window, 40).contains("at your option") {
            any_or = true;
        }
        let joined = if exprs.len() == 1 {
            exprs[0].clone()
        } else {
            let op = if any_or { " OR " } else { " AND " };
            exprs
                .iter()
                .map(|e| if e.contains(' ') { format!("({e})") } else { e.clone() })
                .collect::<Vec<_>>()
                .join(op)
        };
        let Some(expression) = kataster_model::license::normalize_expression(&joined) else { continue };
        // A GNU notice ("is free software; you can redistribute it...") is a notice.
        let before = t.get(whole.start().saturating_sub(120)..whole.start()).unwrap_or("");
        let method = if before.contains("free software") || before.contains("redistribute it") {
            Method::Notice
        } else {
            Method::Reference
        };
        pos = pos.max(end);
        out.push(Hit {
            expression,
            span: Span::Stream(whole.start(), end),
            method,
            confidence: conf,
            rule: FindingRule::Own(if method == Method::Notice { OwnRule::GnuNotice } else { OwnRule::LicensedUnder }),
        });
    }
    out
}

/// Words one of which every `vendor-*` marker of `rules.toml` contains (a test checks it):
/// the vendor set runs only on streams that hold one.
pub const VENDOR_WORDS: &[&str] = &[
    "highsoft",
    "highcharts",
    "ag grid",
    "telerik",
    "kendo",
    "progress software",
    "devexpress",
    "devextreme",
    "developer express",
    "syncfusion",
    "handsontable",
    "handsoncode",
    "amcharts",
    "fusioncharts",
    "sencha",
    "froala",
    "jqwidgets",
    "mescius",
    "wijmo",
    "canvasjs",
    "font awesome",
    "fontawesome",
];

/// Standard notices of `rules.toml`.
pub fn notices(stream: &Stream) -> Vec<Hit> {
    let c = compiled();
    let mut out = Vec::new();
    let set = c.notice_set.matches(&stream.text);
    for (i, (def, r)) in c.notices.iter().enumerate() {
        if !set.matched(i) {
            continue;
        }
        for m in r.find_iter(&stream.text) {
            let Some(expression) = kataster_model::license::normalize_expression(&def.expression) else { continue };
            out.push(Hit {
                expression,
                span: Span::Stream(m.start(), m.end()),
                method: Method::Notice,
                confidence: 0.95,
                rule: FindingRule::from_name(&def.rule),
            });
        }
    }
    out.extend(bsd_notice(stream));
    out
}

/// The BSD conditions, counted: which clauses follow "Redistribution and use ... are permitted".
fn bsd_notice(stream: &Stream) -> Vec<Hit> {
    const START: &str = "redistribution and use in source and binary forms with or without modification are permitted provided that the following conditions are met";
    let t = &stream.text;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = t.get(from..).and_then(|s| s.find(START)) {
        let start = from + p;
        let body_end = (start + 1600).min(t.len());
        let mut end = body_end;
        while end > start && !t.is_char_boundary(end) {
            end -= 1;
        }
        let body = &t[start..end];
        let stop = body
            .find("possibility of such damage")
            .map(|e| e + "possibility of such damage".len())
            .unwrap_or(body.len());
        let body = &body[..stop];
        let endorse = body.contains("may be used to endorse or promote products derived")
            || body.contains("may not be used to endorse or promote products derived");
        let advert = body.contains("all advertising materials mentioning features");
        let id = match (endorse, advert) {
            (_, true) => "BSD-4-Clause",
            (true, false) => "BSD-3-Clause",
            (false, false) => "BSD-2-Clause",
        };
        out.push(Hit {
            expression: id.into(),
            span: Span::Stream(start, start + stop),
            method: Method::Notice,
            confidence: 0.85,
            rule: FindingRule::Own(OwnRule::BsdConditions),
        });
        from = start + stop.max(1);
    }
    out
}

/// Proprietary, commercial, EULA, public-domain and pointer markers.
pub fn markers(stream: &Stream) -> Vec<Hit> {
    let c = compiled();
    let mut out = Vec::new();
    let generic = c.marker_set.matches(&stream.text);
    let vendors =
        c.vendor_words.as_ref().is_some_and(|w| w.is_match(&stream.text)).then(|| c.vendor_set.matches(&stream.text));
    let (mut g, mut v) = (0usize, 0usize);
    for (rule, id, r) in &c.markers {
        let hit = if rule.starts_with(VENDOR) {
            v += 1;
            vendors.as_ref().is_some_and(|s| s.matched(v - 1))
        } else {
            g += 1;
            generic.matched(g - 1)
        };
        if !hit {
            continue;
        }
        for m in r.find_iter(&stream.text) {
            out.push(Hit {
                expression: id.clone(),
                span: Span::Stream(m.start(), m.end()),
                method: if id.ends_with("see-license-file") { Method::Reference } else { Method::Marker },
                confidence: 0.8,
                rule: FindingRule::from_name(rule),
            });
        }
    }
    out
}

/// Line rules on the raw text: license URLs, `License: MIT` / `@license MIT` lines and a
/// `## License` heading followed by a license name, and "see LICENSE" pointers.
pub fn line_rules(text: &str) -> Vec<Hit> {
    let c = compiled();
    let mut out = Vec::new();
    let mut heading_at: Option<u32> = None;
    let wanted = lines_with_triggers(text);
    let mut next_wanted = wanted.iter().copied().peekable();
    for (i, raw) in text.lines().enumerate() {
        let n = i as u32 + 1;
        // Every rule needs one of the trigger words on its line, or a heading just above.
        while next_wanted.next_if(|&(_, last)| last < n).is_some() {}
        match next_wanted.peek() {
            Some(&(first, _)) if first <= n => {}
            Some(_) => continue,
            None => break,
        }
        let view = line_view(raw);
        let line = strip_comment(&view);
        if line.is_empty() {
            continue;
        }
        let lower_has = |s: &str| memchr::memmem::find(line.as_bytes(), s.as_bytes()).is_some();
        if lower_has("://") || lower_has("www.") || lower_has(".org/") {
            for cap in c.url.captures_iter(line) {
                if let Some(e) = url_expression(&cap) {
                    out.push(Hit {
                        expression: e,
                        span: Span::Lines(n, n),
                        method: Method::Url,
                        confidence: 0.8,
                        rule: FindingRule::Own(OwnRule::LicenseUrl),
                    });
                }
            }
            for i in c.vendor_url_set.matches(line).iter() {
                if let Some((rule, id, _)) = c.vendor_urls.get(i) {
                    out.push(Hit {
                        expression: id.clone(),
                        span: Span::Lines(n, n),
                        method: Method::Url,
                        confidence: 0.8,
                        rule: FindingRule::from_name(rule),
                    });
                }
            }
        }
        if c.see_file.is_match(line) {
            out.push(Hit {
                expression: kataster_model::license::refs::SEE_LICENSE_FILE.into(),
                span: Span::Lines(n, n),
                method: Method::Reference,
                confidence: 0.8,
                rule: FindingRule::Own(OwnRule::SeeLicenseFile),
            });
        }
        // `## License` then a line that is only a license name or expression.
        if let Some(h) = heading_at.take()
            && n <= h + 3
            && let Some(e) = name_or_expression(line)
        {
            out.push(Hit {
                expression: e,
                span: Span::Lines(h, n),
                method: Method::Reference,
                confidence: 0.85,
                rule: FindingRule::Own(OwnRule::LicenseHeading),
            });
            continue;
        }
        let bare = line.trim_end_matches(':').trim();
        if bare.eq_ignore_ascii_case("license") || bare.eq_ignore_ascii_case("licence") {
            heading_at = Some(n);
            continue;
        }
        if line.contains("@license") || line.contains("@licence") || (view.contains("/*!") && line.contains('|')) {
            for cap in c.banner.captures_iter(line) {
                if let Some(e) = cap.name("v").and_then(|v| name_or_expression(v.as_str())) {
                    out.push(Hit {
                        expression: e,
                        span: Span::Lines(n, n),
                        method: Method::Reference,
                        confidence: 0.9,
                        rule: FindingRule::Own(OwnRule::LicenseBanner),
                    });
                }
            }
            continue;
        }
        if raw.contains('"') || raw.contains('=') {
            continue;
        }
        if let Some(cap) = c.license_line.captures(line)
            && let Some(v) = cap.name("v")
            && let Some(e) = name_or_expression(v.as_str())
        {
            out.push(Hit {
                expression: e,
                span: Span::Lines(n, n),
                method: Method::Reference,
                confidence: 0.9,
                rule: FindingRule::Own(OwnRule::LicenseLine),
            });
        }
    }
    out
}

/// Words without which no line rule can match: license URLs hold `://`, `www.` or
/// `.org/`, pointers name LICENSE or COPYING, banners open with `/*!`, the rest say licen.
const LINE_TRIGGERS: &[&str] = &["licen", "copying", "://", "www.", ".org/", "/*!"];

/// The line ranges `(first, last)` (1-based, in order) the line rules have to look at:
/// each line holding a trigger word, and the three lines after it (a `## License` heading
/// names the license on a following line).
fn lines_with_triggers(text: &str) -> Vec<(u32, u32)> {
    static AC: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let Some(ac) = AC
        .get_or_init(|| aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(LINE_TRIGGERS).ok())
        .as_ref()
    else {
        // Without the matcher every line is looked at.
        return vec![(1, u32::MAX)];
    };
    let bytes = text.as_bytes();
    let mut out: Vec<(u32, u32)> = Vec::new();
    let (mut counted_to, mut line) = (0usize, 1u32);
    for m in ac.find_iter(bytes) {
        line += memchr::memchr_iter(b'\n', &bytes[counted_to..m.start()]).count() as u32;
        counted_to = m.start();
        match out.last_mut() {
            Some(last) if line <= last.1 + 1 => last.1 = last.1.max(line + 3),
            _ => out.push((line, line + 3)),
        }
    }
    out
}

/// A whole value that is an SPDX expression (in any case) or a license name.
fn name_or_expression(v: &str) -> Option<String> {
    let v = v.trim().trim_end_matches(['.', ',']);
    if v.is_empty() || v.len() > 100 {
        return None;
    }
    // Only things that look like a license value: an expression or a short name.
    if let Some(e) = kataster_model::license::normalize_expression(v)
        && !e.starts_with("LicenseRef-")
    {
        return Some(e);
    }
    let s = Stream::new(v);
    if s.len() > 8 {
        return None;
    }
    resolve_name(&s.text, "").map(|(e, _)| e).and_then(|e| kataster_model::license::normalize_expression(&e))
}

fn url_expression(cap: &regex::Captures<'_>) -> Option<String> {
    let host = cap.name("host")?.as_str().to_ascii_lowercase();
    let id = if host.starts_with("apache.org") {
        "Apache-2.0".to_string()
    } else if let (Some(f), Some(v)) = (cap.name("gnu"), cap.name("gv")) {
        format!("{}-{}-only", f.as_str().to_ascii_uppercase(), v.as_str())
    } else if let Some(o) = cap.name("osi") {
        let o = o.as_str().trim_end_matches(".php").trim_end_matches(".html").trim_end_matches(".txt");
        match o.to_ascii_lowercase().as_str() {
            "mit-license" => "MIT".into(),
            "bsd-license" => "BSD-2-Clause".into(),
            "apache2.0" => "Apache-2.0".into(),
            "gpl-license" | "lgpl-license" => return None,
            _ => o.to_string(),
        }
    } else if let Some(s) = cap.name("spdx") {
        s.as_str().trim_end_matches(".html").trim_end_matches(".json").trim_end_matches(".txt").to_string()
    } else if host.starts_with("mozilla.org") {
        "MPL-2.0".into()
    } else if host.contains("publicdomain/zero") {
        "CC0-1.0".into()
    } else if let (Some(cc), Some(v)) = (cap.name("cc"), cap.name("ccv")) {
        format!("CC-{}-{}", cc.as_str().to_ascii_uppercase(), v.as_str())
    } else if let Some(e) = cap.name("epl") {
        if e.as_str() == "v10" { "EPL-1.0".into() } else { "EPL-2.0".into() }
    } else if host.starts_with("boost.org") {
        "BSL-1.0".into()
    } else if host.starts_with("unlicense.org") {
        "Unlicense".into()
    } else {
        return None;
    };
    let e = kataster_model::license::normalize_expression(&id)?;
    (!e.contains(' ')).then_some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_marker_names_a_vendor_word() {
        let vendor: Vec<&(String, String, Regex)> =
            compiled().markers.iter().filter(|m| m.0.starts_with(VENDOR)).collect();
        assert!(!vendor.is_empty());
        for (rule, _, r) in vendor {
            assert!(VENDOR_WORDS.iter().any(|w| r.as_str().contains(w)), "{rule}: {} names no vendor word", r.as_str());
        }
    }

    fn refs(t: &str) -> Vec<(String, Method)> {
        references(&Stream::new(t)).into_iter().map(|h| (h.expression, h.method)).collect()
    }

    #[test]
    fn rules_compile() {
        assert_eq!(rule_errors(), Vec::<String>::new());
    }

    /// The names of the table's rules read back as rules of kataster's (a finding's rule is
    /// written as its name and read back from it).
    #[test]
    fn table_rule_names_read_back_as_kataster_rules() {
        let c = compiled();
        let names = c.notices.iter().map(|(n, _)| &n.rule).chain(c.markers.iter().map(|m| &m.0));
        for name in names.chain(c.vendor_urls.iter().map(|u| &u.0)) {
            let rule = FindingRule::from_name(name);
            assert!(matches!(rule, FindingRule::Own(_) | FindingRule::Table(_)), "{name}: {rule:?}");
            assert_eq!(rule.to_string(), *name);
        }
    }

    #[test]
    fn markers_and_notices_name_known_ids() {
        for (_, id, _) in compiled().markers.iter().chain(&compiled().vendor_urls) {
            assert!(crate::EMITTED_LICENSE_REFS.contains(&id.as_str()), "{id}");
        }
        for (def, _) in &compiled().notices {
            assert!(kataster_model::license::normalize_expression(&def.expression).is_some(), "{}", def.expression);
        }
        for (id, _) in &compiled().names {
            assert!(kataster_model::license::normalize_expression(id).as_deref() == Some(id.as_str()), "{id}");
        }
    }

    #[test]
    fn gnu_versions_and_later() {
        let r = refs(
            "This program is free software; you can redistribute it and/or modify\n it under the terms of the GNU General Public License as published by\n the Free Software Foundation; either version 2 of the License, or\n (at your option) any later version.",
        );
        assert_eq!(r, vec![("GPL-2.0-or-later".to_string(), Method::Notice)]);
        let r = refs("released under the terms of the GNU GPL version 2");
        assert_eq!(r, vec![("GPL-2.0-only".to_string(), Method::Reference)]);
        let r = refs("Licensed under the GNU Lesser General Public License v3.0 only");
        assert_eq!(r[0].0, "LGPL-3.0-only");
        let r = refs("distributed under the GNU Affero General Public License, version 3 or later");
        assert_eq!(r[0].0, "AGPL-3.0-or-later");
    }

    #[test]
    fn short_references_and_choices() {
        assert_eq!(refs("Licensed under the MIT license.")[0].0, "MIT");
        assert_eq!(refs("This project is released under the Apache License 2.0")[0].0, "Apache-2.0");
        let t = "Licensed under either of\n\n * Apache License, Version 2.0, ([LICENSE-APACHE](LICENSE-APACHE) or http://www.apache.org/licenses/LICENSE-2.0)\n * MIT license ([LICENSE-MIT](LICENSE-MIT) or http://opensource.org/licenses/MIT)\n\nat your option.";
        assert_eq!(refs(t)[0].0, "Apache-2.0 OR MIT");
        assert_eq!(refs("dual licensed under the MIT and GPL-2.0 licenses")[0].0, "MIT OR GPL-2.0-only");
        assert_eq!(
            refs("Licensed under your choice of the Redis Source Available License 2.0 (RSALv2) or the Server Side Public License v1 (SSPLv1).")[0].0,
            "LicenseRef-scancode-rsalv2 OR SSPL-1.0"
        );
        assert_eq!(refs("// Licensed under the Elastic License, Version 2.0 (the \"License\");")[0].0, "Elastic-2.0");
        assert_eq!(refs("// Dual licensed as MIT and Apache 2.0 just like the rest")[0].0, "MIT OR Apache-2.0");
        assert_eq!(refs("//! Copyright 2015, Yuheng Chen. Apache 2 licensed.")[0].0, "Apache-2.0");
        assert_eq!(refs("who posted this gist under CC0 1.0 Universal licence")[0].0, "CC0-1.0");
        assert!(refs("let license = get_license(); // under mit we check").is_empty());
        assert!(refs("the license field holds an SPDX expression such as MIT").is_empty());
    }

    #[test]
    fn urls() {
        let h = line_rules(
            "see http://www.apache.org/licenses/LICENSE-2.0\n<https://www.gnu.org/licenses/gpl-3.0.html>\nhttps://opensource.org/licenses/MIT\n",
        );
        let e: Vec<_> = h.iter().map(|h| h.expression.as_str()).collect();
        assert_eq!(e, vec!["Apache-2.0", "GPL-3.0-only", "MIT"]);
    }

    #[test]
    fn license_lines_but_not_fields() {
        let e = |t: &str| line_rules(t).into_iter().map(|h| h.expression).collect::<Vec<_>>();
        assert_eq!(e(" * @license MIT\n"), vec!["MIT"]);
        assert_eq!(e("# License: Apache-2.0 OR MIT\n"), vec!["Apache-2.0 OR MIT"]);
        assert_eq!(e("## License\n\nMIT\n"), vec!["MIT"]);
        assert!(e("  \"license\": \"MIT\",\n").is_empty());
        assert!(e("license = \"MIT\"\n").is_empty());
        assert!(e("license: { type: string }\n").is_empty());
    }

    #[test]
    fn bsd_clauses_are_counted() {
        let t = spdx::text::LICENSE_TEXTS.iter().find(|(i, _)| *i == "BSD-3-Clause").map(|(_, t)| *t).unwrap_or("");
        let h = notices(&Stream::new(t));
        assert!(h.iter().any(|h| h.expression == "BSD-3-Clause"), "{h:?}");
    }
}
