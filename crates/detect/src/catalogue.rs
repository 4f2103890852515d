//! The rules and license texts of ScanCode's LicenseDB, as token ids, and the exact matcher
//! over them.
//!
//! Owns loading the compact index `license-db/scancode/rules.bin.z` (written by
//! `license-db/scancode/generate_rules.py`, embedded in the binary, inflated once per
//! process) and finding whole rules in a file's words in one pass. A rule is found where
//! its token ids occur in the file's word stream exactly; candidates at each position come
//! from a hash of the rule's first (up to) three tokens. Long texts are matched
//! approximately by `text.rs`, which takes its catalogue templates from here. Never decides
//! which finding survives.

use super::lines::Stream;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::sync::OnceLock;

/// The embedded index (zlib of the format described in `generate_rules.py`).
const DATA: &[u8] = include_bytes!("../../../license-db/scancode/rules.bin.z");

pub const TEXT: u16 = 1;
pub const NOTICE: u16 = 2;
pub const REFERENCE: u16 = 4;
pub const TAG: u16 = 8;
pub const INTRO: u16 = 16;
pub const CLUE: u16 = 32;
pub const REQUIRED_PHRASE: u16 = 64;
/// The rule must match as one run of words, with nothing inserted.
pub const CONTINUOUS: u16 = 128;
/// Text that reads like a license statement and is not one (no expression).
pub const FALSE_POSITIVE: u16 = 256;

/// Rules shorter than this many words (at least 3, the key's length) are not matched on
/// their own: a bare "MIT" or "GPL" in code is not a license statement.
const MIN_EXACT: u32 = 4;
/// References and tags (a license's name, a bare id) need this many words: shorter names
/// are lists of ids in code, and kataster's reference grammar reads them in context.
const MIN_REFERENCE: u32 = 6;
/// Rules shorter than this ("released under the BSD license") are the catalogue's guesses
/// for vague names; they are used only for licenses not on the SPDX list, whose names
/// kataster's own grammar does not know.
const MIN_SPDX_RULE: u32 = 8;
/// Rules of licenses off the SPDX list need more: their short names ("visual idiot")
/// are common words.
const MIN_CATALOGUE_ONLY: u32 = 12;
/// False-positive rules shorter than this (two words: "lgpl tpo") are not looked for: a
/// region that short holds no finding.
const MIN_FALSE_POSITIVE: u32 = 3;
/// A word the catalogue does not know.
pub const UNKNOWN_WORD: u32 = u32::MAX;

/// FNV-1a for the word map and the start keys (which are hashes already): the maps are
/// read for every word of every file with license words, and never hold input as keys.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// One rule or license text of the catalogue.
pub struct Rule {
    /// The catalogue's file name (`mit_12.RULE`, `ag-grid-enterprise.LICENSE`).
    pub ident: Box<str>,
    expr: u32,
    pub flags: u16,
    /// Percent of the rule that must match (0: the rule states none).
    pub min_coverage: u8,
    pub relevance: u8,
    start: u32,
    len: u32,
    /// Where the rule's required phrases start in `Catalogue::phrases`, and how many.
    phrases_at: u32,
    phrases_len: u16,
}

/// A rule whose text is a license URL.
pub struct UrlRule {
    pub ident: Box<str>,
    expr: u32,
    pub flags: u16,
    /// The URL as `url_key` normalizes it.
    pub key: Box<str>,
}

pub struct Catalogue {
    /// Name and version of the catalogue (`scancode-toolkit 32.5.0`).
    pub version: String,
    words: FastMap<Box<str>, u32>,
    vocab: Vec<Box<str>>,
    exprs: Vec<Box<str>>,
    pub rules: Vec<Rule>,
    tokens: Vec<u32>,
    /// Required phrases of all rules: first token (within the rule) and token count.
    phrases: Vec<(u32, u32)>,
    /// Rules matched exactly, by the key of their first tokens.
    starts: FastMap<u64, Vec<u32>>,
    /// False-positive rules, by the key of their first tokens.
    false_starts: FastMap<u64, Vec<u32>>,
    pub urls: Vec<UrlRule>,
    /// URL rules by their normalized URL.
    url_keys: FastMap<Box<str>, u32>,
}

/// A rule found in a file, whole or (`approx.rs`) approximately.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMatch {
    pub rule: u32,
    /// Word range in the stream.
    pub start_word: usize,
    pub end_word: usize,
    /// Words of the rule matched (all of them for a whole match).
    pub matched: u32,
    /// Share of the rule's words matched (1 for a whole match).
    pub coverage: f32,
}

pub fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    // The data is built by the generator and checked by the tests; a damaged copy leaves
    // the catalogue empty instead of stopping the scan.
    CAT.get_or_init(|| load(DATA).unwrap_or_else(|_| Catalogue::empty()))
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u32, String> {
        let mut n: u64 = 0;
        let mut shift = 0;
        loop {
            let b = *self.b.get(self.at).ok_or("truncated")?;
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(n).map_err(|_| "varint too large".to_string());
            }
            shift += 7;
            if shift > 35 {
                return Err("varint too long".into());
            }
        }
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.b.get(self.at).ok_or("truncated")?;
        self.at += 1;
        Ok(b)
    }

    /// A rule's identifier, expression index (below `exprs`) and flags.
    fn rule_head(&mut self, exprs: usize) -> Result<(Box<str>, u32, u16), String> {
        let ident: Box<str> = self.string()?.into();
        let expr = self.varint()?;
        if expr as usize >= exprs {
            return Err(format!("{ident}: bad expression index"));
        }
        let flags = u16::try_from(self.varint()?).map_err(|_| format!("{ident}: bad flags"))?;
        Ok((ident, expr, flags))
    }

    fn string(&mut self) -> Result<&'a str, String> {
        let n = self.varint()? as usize;
        let s = self.b.get(self.at..self.at + n).ok_or("truncated")?;
        self.at += n;
        std::str::from_utf8(s).map_err(|e| e.to_string())
    }
}

fn key(tokens: &[u32]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for &t in tokens.iter().take(3) {
        h = (h ^ u64::from(t)).wrapping_mul(0x1000_0000_01b3).rotate_left(23);
    }
    h ^ tokens.len().min(3) as u64
}

/// Read the compact index.
pub fn load(compressed: &[u8]) -> Result<Catalogue, String> {
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(compressed).read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let mut r = Reader { b: &raw, at: 0 };
    if raw.get(..6) != Some(b"KSCR2\n".as_slice()) {
        return Err("not a kataster rule index".into());
    }
    r.at = 6;
    let version = r.string()?.to_string();
    let n = r.varint()? as usize;
    let mut vocab = Vec::with_capacity(n);
    let mut words = FastMap::with_capacity_and_hasher(n, Default::default());
    for i in 0..n {
        let w: Box<str> = r.string()?.into();
        words.insert(w.clone(), i as u32);
        vocab.push(w);
    }
    let n = r.varint()? as usize;
    let mut exprs = Vec::with_capacity(n);
    for _ in 0..n {
        exprs.push(r.string()?.into());
    }
    let n = r.varint()? as usize;
    let mut rules = Vec::with_capacity(n);
    let mut tokens = Vec::new();
    let mut phrases = Vec::new();
    for _ in 0..n {
        let (ident, expr, flags) = r.rule_head(exprs.len())?;
        let (min_coverage, relevance) = (r.byte()?, r.byte()?);
        let len = r.varint()?;
        let start = tokens.len() as u32;
        for _ in 0..len {
            let t = r.varint()?;
            if t as usize >= vocab.len() {
                return Err(format!("{ident}: bad token"));
            }
            tokens.push(t);
        }
        let phrases_at = phrases.len() as u32;
        let n = r.varint()?;
        for _ in 0..n {
            let (first, count) = (r.varint()?, r.varint()?);
            if u64::from(first) + u64::from(count) > u64::from(len) {
                return Err(format!("{ident}: bad required phrase"));
            }
            phrases.push((first, count));
        }
        let phrases_len = u16::try_from(n).map_err(|_| format!("{ident}: too many phrases"))?;
        rules.push(Rule { ident, expr, flags, min_coverage, relevance, start, len, phrases_at, phrases_len });
    }
    let n = r.varint()? as usize;
    let mut urls = Vec::with_capacity(n);
    let mut url_keys = FastMap::default();
    for _ in 0..n {
        let (ident, expr, flags) = r.rule_head(exprs.len())?;
        let key: Box<str> = url_key(r.string()?).into();
        // Of two rules with one URL, the first (by file name) stays.
        url_keys.entry(key.clone()).or_insert(urls.len() as u32);
        urls.push(UrlRule { ident, expr, flags, key });
    }
    let mut cat = Catalogue {
        version,
        words,
        vocab,
        exprs,
        rules,
        tokens,
        phrases,
        starts: FastMap::default(),
        false_starts: FastMap::default(),
        urls,
        url_keys,
    };
    let (mut starts, mut false_starts): (FastMap<u64, Vec<u32>>, FastMap<u64, Vec<u32>>) = Default::default();
    for (i, rule) in cat.rules.iter().enumerate() {
        if rule.flags & FALSE_POSITIVE != 0 {
            if rule.len >= MIN_FALSE_POSITIVE {
                false_starts.entry(key(cat.tokens_of(rule))).or_default().push(i as u32);
            }
        } else if exact_matchable(rule, cat.expression(rule)) {
            starts.entry(key(cat.tokens_of(rule))).or_default().push(i as u32);
        }
    }
    cat.starts = starts;
    cat.false_starts = false_starts;
    Ok(cat)
}

/// Rules the exact matcher looks for: not intros or clues (never sole evidence), not the
/// short name fragments the catalogue marks as required phrases, long enough to say
/// something.
fn exact_matchable(rule: &Rule, expression: &str) -> bool {
    let reference = rule.flags & (TEXT | NOTICE) == 0;
    let catalogue_only =
        expression.split(' ').all(|t| t.starts_with("LicenseRef-") || matches!(t, "AND" | "OR" | "WITH"));
    rule.flags & (INTRO | CLUE) == 0
        && rule.len >= MIN_EXACT
        && !(reference && (rule.len < MIN_REFERENCE || rule.flags & REQUIRED_PHRASE != 0))
        && rule.len >= MIN_SPDX_RULE
        && (rule.len >= MIN_CATALOGUE_ONLY || !catalogue_only)
}

impl Catalogue {
    fn empty() -> Self {
        Catalogue {
            version: String::new(),
            words: FastMap::default(),
            vocab: Vec::new(),
            exprs: Vec::new(),
            rules: Vec::new(),
            tokens: Vec::new(),
            phrases: Vec::new(),
            starts: FastMap::default(),
            false_starts: FastMap::default(),
            urls: Vec::new(),
            url_keys: FastMap::default(),
        }
    }

    /// The token ids of a rule.
    pub fn tokens_of(&self, rule: &Rule) -> &[u32] {
        self.tokens.get(rule.start as usize..(rule.start + rule.len) as usize).unwrap_or(&[])
    }

    /// Number of words in the dictionary.
    pub fn vocab_len(&self) -> usize {
        self.vocab.len()
    }

    /// The word of a token id.
    pub fn word(&self, id: u32) -> &str {
        self.vocab.get(id as usize).map(|w| &**w).unwrap_or("")
    }

    /// The license expression of a rule (SPDX ids and `LicenseRef-scancode-KEY`).
    pub fn expression(&self, rule: &Rule) -> &str {
        self.exprs.get(rule.expr as usize).map(|e| &**e).unwrap_or("")
    }

    /// The token ids of a stream's words (`UNKNOWN_WORD` for words the catalogue lacks).
    pub fn ids_of(&self, stream: &Stream) -> Vec<u32> {
        stream.words().map(|w| self.words.get(w).copied().unwrap_or(UNKNOWN_WORD)).collect()
    }

    /// The required phrases of a rule: first token within the rule and token count.
    pub fn phrases_of(&self, rule: &Rule) -> &[(u32, u32)] {
        let at = rule.phrases_at as usize;
        self.phrases.get(at..at + usize::from(rule.phrases_len)).unwrap_or(&[])
    }

    /// The token id of a word, if the catalogue knows it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.words.get(word).copied()
    }

    /// The license expression of a URL rule.
    pub fn url_expression(&self, rule: &UrlRule) -> &str {
        self.exprs.get(rule.expr as usize).map(|e| &**e).unwrap_or("")
    }

    /// The URL rule for a URL found in a file, if the catalogue has one.
    pub fn url_rule(&self, url: &str) -> Option<&UrlRule> {
        self.url_keys.get(url_key(url).as_str()).and_then(|&i| self.urls.get(i as usize))
    }

    /// Every whole rule in the file's words, in one pass: at each position the rules whose
    /// first tokens match are compared in full.
    pub fn exact(&self, ids: &[u32]) -> Vec<RuleMatch> {
        self.whole(ids, &self.starts)
    }

    /// Every whole false-positive rule in the file's words.
    pub fn false_positives(&self, ids: &[u32]) -> Vec<RuleMatch> {
        self.whole(ids, &self.false_starts)
    }

    fn whole(&self, ids: &[u32], starts: &FastMap<u64, Vec<u32>>) -> Vec<RuleMatch> {
        let mut out = Vec::new();
        for (i, head) in ids.windows(3).enumerate() {
            if head.contains(&UNKNOWN_WORD) {
                continue;
            }
            let Some(cands) = starts.get(&key(head)) else { continue };
            for &c in cands {
                let Some(rule) = self.rules.get(c as usize) else { continue };
                let toks = self.tokens_of(rule);
                if ids.get(i..i + toks.len()) == Some(toks) {
                    out.push(RuleMatch {
                        rule: c,
                        start_word: i,
                        end_word: i + toks.len(),
                        matched: toks.len() as u32,
                        coverage: 1.0,
                    });
                }
            }
        }
        out
    }
}

/// The URLs in a line: from `http://`, `https://`, `ftp://` or `www.` to the next space,
/// quote or bracket.
pub fn urls_in(line: &str) -> impl Iterator<Item = &str> + '_ {
    let lower = line.to_ascii_lowercase();
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(p) = ["http://", "https://", "ftp://", "www."]
        .iter()
        .filter_map(|pat| lower.get(at..).and_then(|r| r.find(pat)))
        .min()
    {
        let start = at + p;
        let end = line[start..]
            .find(|c: char| c.is_whitespace() || "\"'<>()[]{}`|,".contains(c))
            .map(|e| start + e)
            .unwrap_or(line.len());
        starts.push((start, end));
        at = end.max(start + 1);
    }
    starts.into_iter().filter_map(move |(s, e)| line.get(s..e))
}

/// A URL as the URL rules are looked up: lower case, without scheme, `www.`, a trailing
/// `/`, an `index.html`, or a `.html`, `.htm`, `.php` or `.txt` ending, and without the
/// punctuation that ends a sentence or a markup attribute.
pub fn url_key(url: &str) -> String {
    let mut u = url.trim().trim_end_matches(['.', ',', ';', ':', '"', '\'', ')', ']', '>', '`']).to_ascii_lowercase();
    for scheme in ["https://", "http://", "ftp://"] {
        if let Some(rest) = u.strip_prefix(scheme) {
            u = rest.to_string();
            break;
        }
    }
    if let Some(rest) = u.strip_prefix("www.") {
        u = rest.to_string();
    }
    if let Some(cut) = u.find(['#', '?']) {
        u.truncate(cut);
    }
    loop {
        let before = u.len();
        u = u.trim_end_matches('/').to_string();
        for end in ["index.html", ".html", ".htm", ".php", ".txt"] {
            if let Some(rest) = u.strip_suffix(end) {
                u = rest.to_string();
                break;
            }
        }
        if u.len() == before {
            return u;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_index_loads() {
        let cat = load(DATA).expect("rules.bin.z");
        assert!(cat.version.starts_with("scancode-toolkit "), "{}", cat.version);
        assert!(cat.rules.len() > 25_000, "{} rules", cat.rules.len());
        let ag = cat.rules.iter().find(|r| &*r.ident == "ag-grid-enterprise.LICENSE").expect("AG Grid text");
        assert_eq!(cat.expression(ag), "LicenseRef-scancode-ag-grid-enterprise");
        assert_eq!(ag.flags & TEXT, TEXT);
        // Generic keys are left out: they name no license.
        let generic = ["LicenseRef-scancode-warranty-disclaimer", "LicenseRef-scancode-unknown-license-reference"];
        assert!(!cat.rules.iter().any(|r| cat.expression(r).split(' ').any(|id| generic.contains(&id))));
    }

    /// The generator's tokenizer and the stream agree: a rule's words, written out and read
    /// back as a file, are the rule's token ids.
    /// A finding's rule is written as the catalogue's file name and read back as a rule of
    /// the catalogue by its ending.
    #[test]
    fn rule_identifiers_read_back_as_catalogue_rules() {
        let cat = catalogue();
        for ident in cat.rules.iter().map(|r| &r.ident).chain(cat.urls.iter().map(|u| &u.ident)) {
            let rule = kataster_model::model::FindingRule::from_name(ident);
            assert!(matches!(rule, kataster_model::model::FindingRule::Catalogue(_)), "{ident}");
        }
    }

    #[test]
    fn generator_words_are_stream_words() {
        let cat = catalogue();
        let mut checked = 0;
        for rule in cat.rules.iter().step_by(97) {
            let toks = cat.tokens_of(rule);
            let words: Vec<&str> = toks.iter().map(|&t| cat.word(t)).collect();
            let text: String = words.chunks(12).map(|c| c.join(" ") + "\n").collect();
            let stream = Stream::new(&text);
            assert_eq!(cat.ids_of(&stream), toks, "{}", rule.ident);
            checked += 1;
        }
        assert!(checked >= 250, "{checked}");
    }

    #[test]
    fn finds_a_whole_rule_in_a_header() {
        let cat = catalogue();
        let s = Stream::new("// Copyright 2020 A\n// This file is licensed under the MIT license.\nfn main() {}\n");
        let found = cat.exact(&cat.ids_of(&s));
        assert!(found.iter().any(|m| cat.expression(&cat.rules[m.rule as usize]) == "MIT"), "no MIT rule");
    }
}
