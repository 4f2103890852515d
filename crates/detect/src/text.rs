//! Full license texts: every license and exception on the SPDX list, found anywhere in a
//! file, several per file, each with its own lines.
//!
//! Owns the template index (built once from the `spdx` crate's texts, on first use) and
//! the region search. A file's words are cut into word pairs; an inverted index of the
//! pairs that few licenses share proposes candidate licenses; for each candidate the
//! positions of its pairs in the file are grouped into dense regions, and each region is
//! scored by the Dice coefficient of its pairs against the template's. Overlapping regions
//! keep the best score. Everything is linear in the file; the index is never rebuilt and
//! never consulted for files without license-like words.

use super::lines::Stream;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Lowest Dice score a region needs to count as a license text.
pub const MIN_SCORE: f32 = 0.80;
/// A pair shared by more templates than this does not propose candidates.
const MAX_POSTING: usize = 60;
/// A template needs at least this many pairs to be searched for.
const MIN_TEMPLATE_PAIRS: usize = 12;
/// Lowest score of a catalogue text.
const MIN_CATALOGUE_SCORE: f32 = 0.95;
/// A catalogue text needs this many: shorter ones are notices the exact matcher finds.
const MIN_CATALOGUE_PAIRS: usize = 40;

/// One license (or exception) text.
pub struct Template {
    /// The SPDX id, or the catalogue's expression (`LicenseRef-scancode-...`).
    pub id: &'static str,
    /// The catalogue rule the text comes from (`None`: the SPDX list).
    pub rule: Option<&'static str>,
    /// True for an exception (`WITH` operand).
    pub exception: bool,
    /// Sorted word pairs with their counts.
    pairs: Vec<(u64, u32)>,
    /// Total number of pairs (with repetition).
    total: u32,
    /// Number of distinct pairs that are in the posting index.
    indexed: u32,
    /// Lowest score of a match: `MIN_SCORE`, or the catalogue rule's minimum coverage.
    min_score: f32,
}

pub struct Index {
    pub templates: Vec<Template>,
    /// Rare pairs: where their templates start in `posted`, and how many there are.
    postings: HashMap<u64, (u32, u16), BuildHasherDefault<PairHasher>>,
    posted: Vec<u16>,
}

impl Index {
    fn templates_of(&self, h: u64) -> &[u16] {
        match self.postings.get(&h) {
            Some(&(start, len)) => self.posted.get(start as usize..start as usize + len as usize).unwrap_or(&[]),
            None => &[],
        }
    }
}

/// Word pairs are hashes already: the map uses them as they are.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A license text found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct TextMatch {
    pub id: &'static str,
    /// The catalogue rule that matched (`None`: an SPDX text).
    pub rule: Option<&'static str>,
    pub exception: bool,
    pub score: f32,
    /// Word range in the stream.
    pub start_word: usize,
    pub end_word: usize,
}

pub fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build)
}

/// The index of the catalogue's texts.
pub fn catalogue_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build_catalogue)
}

fn word_hash(w: &str) -> u64 {
    // FNV-1a: stable, fast, good enough for words.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in w.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn pair_hash(a: u64, b: u64) -> u64 {
    a.rotate_left(17) ^ b.wrapping_mul(0x9e3779b97f4a7c15)
}

/// The word pairs of a stream, in order.
pub fn pairs_of(stream: &Stream) -> Vec<u64> {
    let hashes: Vec<u64> = stream.words().map(word_hash).collect();
    hashes.windows(2).map(|w| pair_hash(w[0], w[1])).collect()
}

fn counted(mut p: Vec<u64>) -> Vec<(u64, u32)> {
    p.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::with_capacity(p.len());
    for h in p {
        match out.last_mut() {
            Some(last) if last.0 == h => last.1 += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// Which SPDX ids name the same text: the `spdx` crate lists GNU texts under several ids.
/// Deprecated ids are dropped; of `-only` / `-or-later` with one text, `-only` stays (a bare
/// GNU text says nothing about later versions).
fn wanted(id: &str) -> bool {
    match spdx::license_id(id) {
        Some(l) => !l.is_deprecated() && !id.ends_with("-or-later"),
        None => spdx::exception_id(id).is_some_and(|e| !e.is_deprecated()),
    }
}

fn build() -> Index {
    let mut templates = Vec::new();
    let mut seen: HashMap<usize, ()> = HashMap::new();
    let sources = spdx::text::LICENSE_TEXTS
        .iter()
        .map(|(id, t)| (*id, *t, false))
        .chain(spdx::text::EXCEPTION_TEXTS.iter().map(|(id, t)| (*id, *t, true)));
    for (id, text, exception) in sources {
        if !wanted(id) || seen.insert(text.as_ptr() as usize, ()).is_some() {
            continue;
        }
        let mut variants = vec![text];
        // Many copies end with the terms and leave out the "how to apply" appendix.
        if let Some(end) = text.find("END OF TERMS AND CONDITIONS") {
            variants.push(&text[..end]);
        }
        for v in variants {
            let p = pairs_of(&Stream::new(v));
            if p.len() < MIN_TEMPLATE_PAIRS {
                continue;
            }
            let total = p.len() as u32;
            templates.push(Template {
                id,
                rule: None,
                exception,
                pairs: counted(p),
                total,
                indexed: 0,
                min_score: MIN_SCORE,
            });
        }
    }
    posted_index(templates)
}

/// The catalogue's texts of licenses that are not on the SPDX list (commercial, freeware,
/// source-available and rare open licenses), from its token ids. An index of their own:
/// their pairs do not crowd the SPDX texts' rare pairs out of the postings.
fn build_catalogue() -> Index {
    let mut templates = Vec::new();
    let cat = super::catalogue::catalogue();
    let hashes: Vec<u64> = (0..cat.vocab_len() as u32).map(|t| word_hash(cat.word(t))).collect();
    for rule in &cat.rules {
        let id = cat.expression(rule);
        if rule.flags & super::catalogue::TEXT == 0 || !id.starts_with("LicenseRef-") || id.contains(' ') {
            continue;
        }
        let toks = cat.tokens_of(rule);
        let p: Vec<u64> = toks
            .windows(2)
            .map(|w| {
                pair_hash(
                    hashes.get(w[0] as usize).copied().unwrap_or(0),
                    hashes.get(w[1] as usize).copied().unwrap_or(0),
                )
            })
            .collect();
        if p.len() < MIN_CATALOGUE_PAIRS {
            continue;
        }
        let total = p.len() as u32;
        // Catalogue texts are many near-copies of each other (BUSL and its derivatives, one
        // vendor's enterprise terms and another's): only a close copy names one of them.
        let min_score = MIN_CATALOGUE_SCORE.max(f32::from(rule.min_coverage) / 100.0);
        templates.push(Template {
            id,
            rule: Some(&rule.ident),
            exception: false,
            pairs: counted(p),
            total,
            indexed: 0,
            min_score,
        });
    }
    posted_index(templates)
}

/// The posting index of a set of templates.
fn posted_index(mut templates: Vec<Template>) -> Index {
    let mut all: Vec<(u64, u16)> = Vec::new();
    for (i, t) in templates.iter().enumerate() {
        all.extend(t.pairs.iter().map(|&(h, _)| (h, i as u16)));
    }
    all.sort_unstable();
    let mut postings = HashMap::default();
    let mut posted = Vec::new();
    for group in all.chunk_by(|a, b| a.0 == b.0) {
        if group.len() <= MAX_POSTING {
            postings.insert(group[0].0, (posted.len() as u32, group.len() as u16));
            posted.extend(group.iter().map(|g| g.1));
            for g in group {
                if let Some(t) = templates.get_mut(g.1 as usize) {
                    t.indexed += 1;
                }
            }
        }
    }
    Index { templates, postings, posted }
}

/// A file pair that is not in the template being looked at.
const ABSENT: u32 = u32::MAX;

/// Find license texts in a stream.
pub fn find(stream: &Stream) -> Vec<TextMatch> {
    let pairs = pairs_of(stream);
    if pairs.len() < MIN_TEMPLATE_PAIRS {
        return Vec::new();
    }
    // The file's pairs sorted, each with its position: candidates come from the distinct
    // pairs, and each candidate's pairs are found by one merge with the template's.
    let mut sorted: Vec<(u64, u32)> = pairs.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
    sorted.sort_unstable();
    let mut found = candidates(index(), &sorted);
    found.extend(candidates(catalogue_index(), &sorted));
    resolve(found)
}

/// The regions of the file (its sorted pairs) that match templates of one index.
fn candidates(idx: &Index, sorted: &[(u64, u32)]) -> Vec<TextMatch> {
    // Candidates: templates many of whose rare pairs occur in the file.
    let mut hits: Vec<u32> = vec![0; idx.templates.len()];
    for group in sorted.chunk_by(|a, b| a.0 == b.0) {
        for &t in idx.templates_of(group[0].0) {
            if let Some(n) = hits.get_mut(t as usize) {
                *n += 1;
            }
        }
    }
    // For each position of the file, the index of its pair in the current template.
    let mut slot: Vec<u32> = vec![ABSENT; sorted.len()];
    let mut found = Vec::new();
    for (tpl, &n) in idx.templates.iter().zip(&hits) {
        if n >= 4 && n * 2 >= tpl.indexed.min(tpl.total) {
            let shared = tpl.mark(sorted, &mut slot);
            if shared * 2 >= tpl.total as usize {
                found.extend(regions(&slot, tpl));
            }
            slot.fill(ABSENT);
        }
    }
    found
}

impl Template {
    /// Mark in `slot` every position whose pair the template has; the number marked.
    fn mark(&self, sorted: &[(u64, u32)], slot: &mut [u32]) -> usize {
        let (mut i, mut j, mut marked) = (0, 0, 0);
        while i < sorted.len() && j < self.pairs.len() {
            let (h, pos) = sorted[i];
            match h.cmp(&self.pairs[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    slot[pos as usize] = j as u32;
                    marked += 1;
                    i += 1;
                }
            }
        }
        marked
    }
}

/// Dense regions of a template's pairs in the file (marked in `slot`), scored.
fn regions(slot: &[u32], tpl: &Template) -> Vec<TextMatch> {
    let positions: Vec<usize> = slot.iter().enumerate().filter(|(_, s)| **s != ABSENT).map(|(i, _)| i).collect();
    let gap = (tpl.total as usize / 8).max(25);
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=positions.len() {
        let split = i == positions.len() || positions[i] - positions[i - 1] > gap;
        if !split {
            continue;
        }
        let group = &positions[start..i];
        start = i;
        if (group.len() as u32) * 2 < tpl.total {
            continue;
        }
        let (Some(&first), Some(&last)) = (group.first(), group.last()) else { continue };
        let (first, last, score) = best_bounds(slot, first, last, tpl);
        if score >= tpl.min_score {
            out.push(TextMatch {
                id: tpl.id,
                rule: tpl.rule,
                exception: tpl.exception,
                score,
                start_word: first,
                end_word: last + 2,
            });
        }
    }
    out
}

/// The sub-range of `first..=last` with the best Dice score against the template: the
/// start is moved forward, then the end backward, each to its best place. Linear: the
/// shared count is kept up to date as pairs leave the range.
fn best_bounds(slot: &[u32], first: usize, last: usize, tpl: &Template) -> (usize, usize, f32) {
    let score = |inter: u32, len: usize| 2.0 * inter as f32 / (len as f32 + tpl.total as f32);
    // How often each of the template's pairs occurs in the range, and the shared count.
    let count_range = |a: usize, b: usize| {
        let mut counts = vec![0u32; tpl.pairs.len()];
        for &s in &slot[a..=b] {
            if let Some(c) = counts.get_mut(s as usize) {
                *c += 1;
            }
        }
        let inter: u32 = counts.iter().zip(&tpl.pairs).map(|(n, p)| (*n).min(p.1)).sum();
        (counts, inter)
    };
    // A pair leaving the range lowers the shared count when the range held no more of it
    // than the template.
    let leave = |counts: &mut [u32], inter: &mut u32, s: u32| {
        if let (Some(n), Some(p)) = (counts.get_mut(s as usize), tpl.pairs.get(s as usize)) {
            if *n <= p.1 && *inter > 0 {
                *inter -= 1;
            }
            *n -= 1;
        }
    };
    let (mut counts, mut inter) = count_range(first, last);
    let mut best = (score(inter, last + 1 - first), first);
    for (a, &s) in slot.iter().enumerate().take(last).skip(first) {
        leave(&mut counts, &mut inter, s);
        let sc = score(inter, last - a);
        if sc > best.0 {
            best = (sc, a + 1);
        }
    }
    let start = best.1;
    let (mut counts, mut inter) = count_range(start, last);
    let mut best = (score(inter, last + 1 - start), last);
    for b in (start + 1..=last).rev() {
        leave(&mut counts, &mut inter, slot[b]);
        let sc = score(inter, b - start);
        if sc > best.0 {
            best = (sc, b - 1);
        }
    }
    (start, best.1, best.0)
}

/// Keep the best of overlapping matches: by score, then by the commoner license.
fn resolve(mut found: Vec<TextMatch>) -> Vec<TextMatch> {
    // A catalogue text gives way to an SPDX text of about its length over the same words
    // (the catalogue keeps near-copies of ISC, MIT and BSD under their own keys); it stays
    // where it is much longer (a vendor's agreement that quotes an MIT paragraph).
    let spdx: Vec<(usize, usize)> =
        found.iter().filter(|m| m.rule.is_none()).map(|m| (m.start_word, m.end_word)).collect();
    found.retain(|m| {
        m.rule.is_none()
            || !spdx.iter().any(|&(s, e)| {
                s.max(m.start_word) < e.min(m.end_word) && (e - s) * 3 >= (m.end_word - m.start_word) * 2
            })
    });
    // Near-equal scores go to the license people mostly use (Apache-2.0 over Pixar, its
    // modified copy).
    // A catalogue text must beat an SPDX text by a margin: near-copies of MIT or BSD in the
    // catalogue are not what a copy of MIT or BSD is.
    let rank = |m: &TextMatch| {
        m.score + if preference(m.id) < u8::MAX { 0.015 } else { 0.0 } - if m.rule.is_some() { 0.05 } else { 0.0 }
    };
    found.sort_by(|a, b| {
        rank(b)
            .partial_cmp(&rank(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            // The longer of two equal matches explains more (LGPL-3.0 holds the GPL-3.0).
            .then((b.end_word - b.start_word).cmp(&(a.end_word - a.start_word)))
            .then(preference(a.id).cmp(&preference(b.id)))
            .then(a.id.cmp(b.id))
    });
    let mut kept: Vec<TextMatch> = Vec::new();
    for m in found {
        let overlaps = kept.iter().any(|k| {
            let lo = k.start_word.max(m.start_word);
            let hi = k.end_word.min(m.end_word);
            let shorter = (k.end_word - k.start_word).min(m.end_word - m.start_word).max(1);
            hi > lo && (hi - lo) * 3 > shorter
        });
        if !overlaps {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.start_word);
    kept
}

/// Among equal scores, the licenses people mostly use win over rare near-copies.
fn preference(id: &str) -> u8 {
    const COMMON: &[&str] = &[
        "MIT",
        "Apache-2.0",
        "BSD-3-Clause",
        "BSD-2-Clause",
        "ISC",
        "GPL-2.0-only",
        "GPL-3.0-only",
        "LGPL-2.1-only",
        "LGPL-3.0-only",
        "AGPL-3.0-only",
        "MPL-2.0",
        "Unlicense",
        "CC0-1.0",
        "Zlib",
        "BSL-1.0",
        "0BSD",
        "EPL-2.0",
        "EPL-1.0",
        "EUPL-1.2",
        "CDDL-1.0",
    ];
    COMMON.iter().position(|c| *c == id).map(|p| p as u8).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spdx_text(id: &str) -> &'static str {
        spdx::text::LICENSE_TEXTS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t).unwrap_or("")
    }

    #[test]
    fn finds_a_commented_text_with_its_words() {
        let body: String = spdx_text("MIT").lines().map(|l| format!("// {l}\n")).collect();
        let text = format!("fn main() {{}}\n// Copyright (c) 2021 Jane Roe\n{body}\nfn x() {{}}\n");
        let m = find(&Stream::new(&text));
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].id, "MIT");
        assert!(m[0].score > 0.95);
    }

    #[test]
    fn two_texts_in_one_file_are_two_matches() {
        let text = format!("{}\n\n----\n\n{}", spdx_text("Apache-2.0"), spdx_text("BSD-3-Clause"));
        let s = Stream::new(&text);
        let ids: Vec<_> = find(&s).iter().map(|m| m.id).collect();
        assert_eq!(ids, vec!["Apache-2.0", "BSD-3-Clause"]);
    }

    #[test]
    fn gnu_texts_are_named_only() {
        let s = Stream::new(spdx_text("GPL-3.0-only"));
        let ids: Vec<_> = find(&s).iter().map(|m| m.id).collect();
        assert_eq!(ids, vec!["GPL-3.0-only"]);
    }
}
