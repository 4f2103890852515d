//! Approximate matches of the catalogue's notices, headers and short texts: a real header
//! whose project name was changed, whose lines were rewrapped or that gained a word is
//! still found, with the rule that matched.
//!
//! Owns the inverted index of the rules' rare words and the alignment. Candidate rules are
//! those most of whose rare words occur in the file (token-set overlap); each candidate is
//! aligned against the file's token ids inside windows around its rare words (longest
//! common subsequence), and a match stands when it holds the rule's required share of
//! words, all of its required phrases whole and in one run, and every word that tells one
//! license from another (version numbers, family names). Never decides which finding
//! survives; `mod.rs` resolves the matches with the exact ones.

use super::catalogue::{self, Catalogue, RuleMatch, UNKNOWN_WORD};
use kataster_model::license::db::db as license_db;
use std::sync::OnceLock;

/// Rules of fewer words are matched exactly or not at all.
const MIN_WORDS: u32 = 12;
/// Longer rules are license texts, which `text.rs` finds by their word pairs.
const MAX_WORDS: u32 = 400;
/// The lowest share of a rule a match may hold, whatever the rule states: the catalogue
/// states 10 % to 50 % for some rules that its own engine scores further.
const COVERAGE_FLOOR: u8 = 60;
/// The share a match must hold of a rule that states none: 90 % of a rule under 30 words
/// (one word of a 12-word notice, two of a 20-word one), 80 % of a longer one.
const DEFAULT_COVERAGE_SHORT: f32 = 0.9;
const DEFAULT_COVERAGE: f32 = 0.8;
const SHORT: u32 = 30;
/// A word in more rules than this is common: it is posted only for rules that have too
/// few rare words.
const MAX_DF: u32 = 400;
/// Every rule posts at least this many of its rarest words.
const MIN_POSTED: usize = 4;
/// A word this rare in a rule of a license off the SPDX list is a name (a vendor's, a
/// product's) and must be matched.
const NAME_DF: u32 = 30;
/// The share of a rule of a license off the SPDX list a match must hold at least: the
/// catalogue keeps one vendor's terms and another's derived from them (GitLab's enterprise
/// license and PostHog's), and only a close copy names one (as for long texts).
const CATALOGUE_ONLY_COVERAGE: f32 = 0.95;
/// A word in the names of at most this many licenses of the catalogue names a license
/// ("Elastic", "Confluent", "Functional", "Slicer"), unless it is common in
/// the rules (`NAME_DF`).
const NAME_LICENSES: u32 = 4;
/// Words before a match read with it for license names: the "Licensed under the X
/// License" that precedes boilerplate a rule holds without it.
const NAME_BEFORE: usize = 12;
/// Matched words further apart than this (in the file or in the rule) are two matches.
const MAX_GAP: usize = 12;
/// The matched words must be at least this share of the file region they span.
const MIN_DENSITY: f32 = 0.75;
/// Words of which every notice has one within `NEAR` words: only the parts of a file near
/// them are searched (a large source file is searched around its header, not as a whole).
const TRIGGERS: &[&str] = &[
    "copyright",
    "copyrighted",
    "distribute",
    "distributed",
    "gpl",
    "granted",
    "lgpl",
    "licence",
    "licenced",
    "license",
    "licensed",
    "licenses",
    "licensing",
    "liable",
    "permission",
    "permitted",
    "redistribute",
    "redistribution",
    "terms",
    "warranties",
    "warranty",
];
const NEAR: usize = 150;
/// At most this many alignment cells per file (rule words times window words): a file
/// that holds the same header hundreds of times (an amalgamation of sources) is not
/// aligned without end; the whole matches and the other detectors still read all of it.
const MAX_CELLS: usize = 8_000_000;
/// Words that tell licenses of one family apart: a match must hold each the rule has.
const FAMILY_WORDS: &[&str] = &[
    "affero",
    "agpl",
    "apache",
    "artistic",
    "attribution",
    "boost",
    "bsd",
    "cddl",
    "commons",
    "eclipse",
    "epl",
    "eupl",
    "gnu",
    "gpl",
    "isc",
    "lesser",
    "lgpl",
    "library",
    "mit",
    "mozilla",
    "mpl",
    "noderivatives",
    "noncommercial",
    "perl",
    "python",
    "sharealike",
    "zlib",
];

/// One rule of the approximate index.
struct Entry {
    rule: u32,
    /// Share of the rule's words a match must hold.
    need: f32,
    /// Positions in the rule of the words a match must hold.
    mandatory: Box<[u16]>,
}

pub struct Index {
    entries: Vec<Entry>,
    /// Per entry, the posted words a file must hold for the rule to be a candidate: at
    /// least half of them, and all but as many as a match may miss. Apart from the
    /// entries, so that the thousands of rules a file touches are sifted without reading
    /// them.
    min_hits: Vec<u32>,
    /// Per token id, where its entries start in `posted`; one more than the vocabulary.
    post_at: Vec<u32>,
    posted: Vec<u32>,
    /// Per token id, in how many entries it occurs.
    df: Vec<u32>,
    /// Per token id: a word every notice has near it (`TRIGGERS`).
    trigger: Vec<bool>,
    /// Per token id: a word that names a license (`NAME_LICENSES`).
    name_word: Vec<bool>,
    /// "or", "and", "copyright": where the words before a match stop being read for its
    /// name (another license offered beside it, a copyright holder's name).
    stop_names: Vec<u32>,
    /// "license" and "licence".
    license_word: Vec<u32>,
}

pub fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| build(catalogue::catalogue()))
}

/// Rules looked for approximately: notices and short texts of some length that may stand
/// alone (not intros, clues, bare required phrases, or rules marked continuous), not the
/// catalogue's whole license texts (`text.rs` finds those).
fn approximable(cat: &Catalogue, i: usize) -> bool {
    let Some(rule) = cat.rules.get(i) else { return false };
    let toks = cat.tokens_of(rule);
    rule.flags & (catalogue::NOTICE | catalogue::TEXT) != 0
        && rule.flags
            & (catalogue::INTRO
                | catalogue::CLUE
                | catalogue::REQUIRED_PHRASE
                | catalogue::CONTINUOUS
                | catalogue::FALSE_POSITIVE)
            == 0
        && !rule.ident.ends_with(".LICENSE")
        && (MIN_WORDS..=MAX_WORDS).contains(&(toks.len() as u32))
        && !cat.expression(rule).is_empty()
}

/// The share of a rule a match must hold.
fn need(min_coverage: u8, len: u32) -> f32 {
    if min_coverage > 0 {
        f32::from(min_coverage.clamp(COVERAGE_FLOOR, 100)) / 100.0
    } else if len < SHORT {
        DEFAULT_COVERAGE_SHORT
    } else {
        DEFAULT_COVERAGE
    }
}

/// How many of a rule's `len` words a match may miss.
fn misses(need: f32, len: u32) -> u32 {
    len - ((need * len as f32).ceil() as u32).min(len)
}

fn distinct(toks: &[u32]) -> Vec<u32> {
    let mut d = toks.to_vec();
    d.sort_unstable();
    d.dedup();
    d
}

fn build(cat: &Catalogue) -> Index {
    let vocab = cat.vocab_len();
    let chosen: Vec<usize> = (0..cat.rules.len()).filter(|&i| approximable(cat, i)).collect();
    // Distinct words per rule without sorting: a stamp per word says which rule saw it last.
    let mut stamp = vec![u32::MAX; vocab];
    let mut words_of: Vec<Vec<u32>> = Vec::with_capacity(chosen.len());
    let mut df = vec![0u32; vocab];
    for (n, &i) in chosen.iter().enumerate() {
        let mut words = Vec::new();
        for &t in cat.tokens_of(&cat.rules[i]) {
            if let Some(s) = stamp.get_mut(t as usize)
                && *s != n as u32
            {
                *s = n as u32;
                words.push(t);
                df[t as usize] += 1;
            }
        }
        words_of.push(words);
    }
    let name_word = name_words(cat, &df);
    let mut is_family = vec![false; vocab];
    for t in FAMILY_WORDS.iter().filter_map(|w| cat.id(w)) {
        is_family[t as usize] = true;
    }
    let has_digit: Vec<bool> = (0..vocab as u32).map(|t| cat.word(t).bytes().any(|b| b.is_ascii_digit())).collect();
    // Postings by counting: how many entries each word has, then where each list starts.
    let mut post_count = vec![0u32; vocab + 1];
    let mut chosen_words: Vec<Vec<u32>> = Vec::with_capacity(chosen.len());
    let mut entries = Vec::with_capacity(chosen.len());
    let mut min_hits = Vec::with_capacity(chosen.len());
    for (&i, mut words) in chosen.iter().zip(words_of) {
        let rule = &cat.rules[i];
        let toks = cat.tokens_of(rule);
        // A notice that holds no word of its license's name, no family name and no version
        // ("See COPYRIGHT.txt. Unless required by applicable law ..." for the 3D Slicer
        // license, whose name is in a URL the catalogue ignores) is boilerplate that reads
        // the same under any name: it is matched whole or not at all.
        let own_names = own_names(cat, rule, &name_word);
        if rule.flags & catalogue::TEXT == 0
            && !own_names.is_empty()
            && !toks.iter().any(|&t| own_names.contains(&t) || is_family[t as usize] || has_digit[t as usize])
        {
            continue;
        }
        let rare = words.iter().filter(|&&t| df[t as usize] <= MAX_DF).count();
        if rare >= MIN_POSTED.min(words.len()) {
            words.retain(|&t| df[t as usize] <= MAX_DF);
        } else {
            words.sort_by_key(|&t| (df[t as usize], t));
            words.truncate(MIN_POSTED);
        }
        for &t in &words {
            post_count[t as usize] += 1;
        }
        let catalogue_only = cat.expression(rule).split(' ').all(|t| {
            t.starts_with("LicenseRef-") || matches!(t, "AND" | "OR" | "WITH") || t.starts_with('(') || t.ends_with(')')
        });
        let mandatory: Box<[u16]> = toks
            .iter()
            .enumerate()
            .filter(|&(_, &t)| {
                let t = t as usize;
                has_digit[t] || is_family[t] || (catalogue_only && df[t] <= NAME_DF)
            })
            .map(|(p, _)| p as u16)
            .collect();
        let need = need(rule.min_coverage, toks.len() as u32);
        let need = if catalogue_only { need.max(CATALOGUE_ONLY_COVERAGE) } else { need };
        let posted = words.len() as u32;
        min_hits.push(posted.saturating_sub(misses(need, toks.len() as u32)).max(posted.div_ceil(2)));
        entries.push(Entry { rule: i as u32, need, mandatory });
        chosen_words.push(words);
    }
    let mut post_at = Vec::with_capacity(vocab + 1);
    let mut total = 0u32;
    for &c in &post_count {
        post_at.push(total);
        total += c;
    }
    let mut fill = post_at.clone();
    let mut posted = vec![0u32; total as usize];
    for (e, words) in chosen_words.iter().enumerate() {
        for &t in words {
            let at = &mut fill[t as usize];
            posted[*at as usize] = e as u32;
            *at += 1;
        }
    }
    post_at.truncate(vocab + 1);
    let mut trigger = vec![false; vocab];
    for t in TRIGGERS.iter().filter_map(|w| cat.id(w)) {
        trigger[t as usize] = true;
    }
    let stop_names = ["or", "and", "copyright"].iter().filter_map(|w| cat.id(w)).collect();
    let license_word = ["license", "licence"].iter().filter_map(|w| cat.id(w)).collect();
    Index { entries, min_hits, post_at, posted, df, trigger, name_word, stop_names, license_word }
}

/// The lower-case words of a license's name, without version numbers.
fn name_parts(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
}

/// Per token id: whether the word names a license: it is in the names of at most
/// `NAME_LICENSES` licenses of the database and in at most `NAME_DF` rules.
fn name_words(cat: &Catalogue, df: &[u32]) -> Vec<bool> {
    let mut licenses = vec![0u32; cat.vocab_len()];
    for entry in license_db().licenses.values() {
        let mut words: Vec<u32> = name_parts(&entry.name).filter_map(|w| cat.id(&w)).collect();
        words.sort_unstable();
        words.dedup();
        for t in words {
            licenses[t as usize] += 1;
        }
    }
    licenses.iter().zip(df).map(|(&n, &d)| n > 0 && n <= NAME_LICENSES && d <= NAME_DF).collect()
}

/// The name words (`name_words`) of the licenses a rule names.
fn own_names(cat: &Catalogue, rule: &catalogue::Rule, name_word: &[bool]) -> Box<[u32]> {
    let db = license_db();
    let mut own: Vec<u32> = cat
        .expression(rule)
        .split([' ', '(', ')'])
        .filter_map(|id| db.license(id))
        .flat_map(|e| name_parts(&e.name).filter_map(|w| cat.id(&w)).collect::<Vec<_>>())
        .filter(|&t| name_word.get(t as usize).copied().unwrap_or(false))
        .collect();
    own.sort_unstable();
    own.dedup();
    own.into_boxed_slice()
}

impl Index {
    fn posting(&self, t: u32) -> &[u32] {
        let (Some(&a), Some(&b)) = (self.post_at.get(t as usize), self.post_at.get(t as usize + 1)) else {
            return &[];
        };
        self.posted.get(a as usize..b as usize).unwrap_or(&[])
    }
}

/// Every approximate match of a rule in the file's token ids. `skip` names rules already
/// found whole; the word ranges in `found` (license texts found already) are not searched,
/// and a window whose rare words lie (nine in ten) inside one of the `explained` ranges (long
/// rules found whole) is not aligned.
pub fn find(
    cat: &Catalogue,
    idx: &Index,
    ids: &[u32],
    found: &[(usize, usize)],
    explained: &[(usize, usize)],
    skip: &dyn Fn(u32) -> bool,
) -> Vec<RuleMatch> {
    SCRATCH.with_borrow_mut(|s| {
        // What the previous file touched is zeroed first.
        for &e in &s.touched {
            if let Some(h) = s.hits.get_mut(e as usize) {
                *h = 0;
            }
        }
        s.touched.clear();
        s.present.fill(0);
        let Scratch { hits, touched, present, table, lanes } = s;
        // The file's words by token id, each with its position.
        // Near a trigger word, and not in a license text found already.
        let mut near = vec![false; ids.len()];
        let mut last_trigger: Option<usize> = None;
        for (p, &t) in ids.iter().enumerate() {
            if idx.trigger.get(t as usize).copied().unwrap_or(false) {
                let from = last_trigger.map_or(p.saturating_sub(NEAR), |l| (l + NEAR + 1).max(p.saturating_sub(NEAR)));
                let to = (p + NEAR + 1).min(ids.len());
                near.get_mut(from.min(to)..to).into_iter().flatten().for_each(|n| *n = true);
                last_trigger = Some(p);
            }
        }
        let searched = |p: usize| near[p] && !found.iter().any(|&(s, e)| s <= p && p < e);
        let mut occ: Vec<(u32, u32)> = ids
            .iter()
            .enumerate()
            .filter(|&(p, &t)| t != UNKNOWN_WORD && searched(p))
            .map(|(p, &t)| (t, p as u32))
            .collect();
        if occ.len() < MIN_WORDS as usize {
            return Vec::new();
        }
        occ.sort_unstable();
        present.resize(cat.vocab_len().div_ceil(64), 0);
        hits.resize(idx.entries.len(), 0);
        for group in occ.chunk_by(|a, b| a.0 == b.0) {
            let t = group[0].0;
            if let Some(w) = present.get_mut(t as usize / 64) {
                *w |= 1 << (t % 64);
            }
            for &e in idx.posting(t) {
                if let Some(h) = hits.get_mut(e as usize) {
                    if *h == 0 {
                        touched.push(e);
                    }
                    *h += 1;
                }
            }
        }
        let has = |t: u32| present.get(t as usize / 64).is_some_and(|w| w & (1 << (t % 64)) != 0);
        let positions = |t: u32| {
            let a = occ.partition_point(|o| o.0 < t);
            let b = occ.partition_point(|o| o.0 <= t);
            &occ[a..b]
        };
        touched.sort_unstable();
        let mut out = Vec::new();
        let mut cells = 0usize;
        for &e in touched.iter() {
            // Token-set overlap: enough of the posted words.
            if hits[e as usize] < idx.min_hits.get(e as usize).copied().unwrap_or(u32::MAX) {
                continue;
            }
            let Some(entry) = idx.entries.get(e as usize) else { continue };
            let Some(rule) = cat.rules.get(entry.rule as usize) else { continue };
            if skip(entry.rule) {
                continue;
            }
            let toks = cat.tokens_of(rule);
            let len = toks.len() as u32;
            let misses = misses(entry.need, len);
            // Enough of all of the rule's words.
            if toks.iter().filter(|&&t| !has(t)).count() as u32 > misses {
                continue;
            }
            if entry.mandatory.iter().any(|&p| !toks.get(p as usize).is_some_and(|&t| has(t))) {
                continue;
            }
            // Windows where enough of the rule's rare words stand close together.
            let rare: Vec<u32> = distinct(toks).into_iter().filter(|&t| idx.df[t as usize] <= MAX_DF).collect();
            let anchors_of = if rare.is_empty() { distinct(toks) } else { rare };
            let mut anchors: Vec<(usize, u32)> = anchors_of
                .iter()
                .enumerate()
                .flat_map(|(k, &t)| positions(t).iter().map(move |o| (o.1 as usize, k as u32)))
                .collect();
            anchors.sort_unstable();
            let wanted = anchors_of.len().saturating_sub(misses as usize).max(1);
            let sorted_toks = distinct(toks);
            // Built for the first window that reaches the alignment, not for every candidate.
            let mut masks: Option<Masks> = None;
            for (lo, hi) in windows(&anchors, anchors_of.len(), wanted, len as usize, ids.len()) {
                let Some(window) = ids.get(lo..hi) else { continue };
                let a = anchors.partition_point(|x| x.0 < lo);
                let b = anchors.partition_point(|x| x.0 < hi);
                let inside =
                    anchors[a..b].iter().filter(|x| explained.iter().any(|&(s, e)| s <= x.0 && x.0 < e)).count();
                if inside * 10 >= (b - a) * 9 {
                    continue;
                }
                // Enough of the rule's words in the window, before aligning.
                let inside = window.iter().filter(|t| sorted_toks.binary_search(t).is_ok()).count();
                if (inside as u32) + misses < len {
                    continue;
                }
                cells += toks.len() * window.len();
                if cells > MAX_CELLS {
                    return out;
                }
                // The longest common subsequence bounds what any alignment matches: a window
                // that cannot hold enough of the rule is not aligned.
                if (masks.get_or_insert_with(|| Masks::new(toks)).lcs_len(window, lanes) as u32) + misses < len {
                    continue;
                }
                let pairs = align(toks, window, table);
                if let Some(m) = judge(cat, rule, entry, &pairs)
                    && !names_another(cat, idx, rule, ids, lo + m.0, lo + m.1)
                {
                    out.push(RuleMatch {
                        rule: entry.rule,
                        start_word: lo + m.0,
                        end_word: lo + m.1,
                        matched: m.2,
                        coverage: m.2 as f32 / len as f32,
                    });
                }
            }
        }
        out
    })
}

/// Buffers of the search, kept per thread: allocated afresh for every file, the hit
/// counters alone (one per rule of the index) cost the kernel a page clearing per file.
#[derive(Default)]
struct Scratch {
    hits: Vec<u32>,
    touched: Vec<u32>,
    present: Vec<u64>,
    table: Vec<u16>,
    lanes: Vec<u64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Whether a match of `rule` on the file's words `start..end` stands under another
/// license's name: a word naming a license the rule neither holds nor names, inside the
/// match or in the words before it up to an "or", "and" or "copyright" (boilerplate of one license
/// under another's name: "Licensed under the Confluent Community License; you may not use
/// this file except ..." is not the CDDL notice that reads the same after its name, while
/// "the SSPL or the GNU Affero General Public License" still names the AGPL).
pub fn names_another(
    cat: &Catalogue,
    idx: &Index,
    rule: &catalogue::Rule,
    ids: &[u32],
    start: usize,
    end: usize,
) -> bool {
    let rule_words = distinct(cat.tokens_of(rule));
    let own = own_names(cat, rule, &idx.name_word);
    // A name word of a license the rule does not name, followed by "license" within
    // three words (a person's or a project's name that a license is also called by is not
    // read as that license).
    let foreign = |p: usize| {
        let t = ids[p];
        idx.name_word.get(t as usize).copied().unwrap_or(false)
            && rule_words.binary_search(&t).is_err()
            && !own.contains(&t)
            && ids
                .get(p + 1..(p + 4).min(ids.len()))
                .is_some_and(|next| next.iter().any(|w| idx.license_word.contains(w)))
    };
    let end = end.min(ids.len());
    (start.min(end)..end).any(foreign)
        || (start.saturating_sub(NAME_BEFORE)..start.min(end))
            .rev()
            .take_while(|&p| !idx.stop_names.contains(&ids[p]))
            .any(foreign)
}

/// File windows to align a rule of `len` words in: the stretches where at least `wanted`
/// of the rule's `kinds` rare words (anchors: file position and which word) stand within
/// one and a half rule lengths; around them the stretch a dense match holding them can
/// cover (four thirds of the rule's length back from the last, forward from the first),
/// merged where they overlap, and cut into pieces of at most four rule lengths.
fn windows(anchors: &[(usize, u32)], kinds: usize, wanted: usize, len: usize, n: usize) -> Vec<(usize, usize)> {
    let width = len + len / 2;
    let mut count = vec![0u32; kinds];
    let mut present = 0;
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    for j in 0..anchors.len() {
        let (pos, k) = anchors[j];
        if let Some(c) = count.get_mut(k as usize) {
            if *c == 0 {
                present += 1;
            }
            *c += 1;
        }
        while pos - anchors[i].0 > width {
            if let Some(c) = count.get_mut(anchors[i].1 as usize) {
                *c -= 1;
                if *c == 0 {
                    present -= 1;
                }
            }
            i += 1;
        }
        if present >= wanted {
            // A match holds the anchors and is dense: it spans at most `reach` words.
            let reach = len + len / 3 + 1;
            let lo = pos.saturating_sub(reach);
            let hi = (anchors[i].0 + reach).max(pos + 1).min(n);
            match out.last_mut() {
                Some(last) if last.1 >= lo => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
    }
    let mut cut = Vec::with_capacity(out.len());
    for (lo, hi) in out {
        let step = 3 * len.max(1);
        let mut a = lo;
        while a < hi {
            let b = (a + step + len).min(hi);
            cut.push((a, b));
            if b == hi {
                break;
            }
            a += step;
        }
    }
    cut
}

/// A rule's words as bit masks over its positions, one mask per distinct word, for the
/// bit-parallel length of the longest common subsequence (Crochemore, Iliopoulos, Pinzon
/// and Reid, 2001): a sixty-fourth of the cells of the full table.
struct Masks {
    /// Rule length in words.
    len: usize,
    /// 64-bit lanes per mask.
    lanes: usize,
    /// The rule's distinct words, sorted; mask `k` belongs to `words[k]`.
    words: Vec<u32>,
    bits: Vec<u64>,
}

impl Masks {
    fn new(rule: &[u32]) -> Masks {
        let lanes = rule.len().div_ceil(64).max(1);
        let words = distinct(rule);
        let mut bits = vec![0u64; words.len() * lanes];
        for (i, t) in rule.iter().enumerate() {
            if let Ok(k) = words.binary_search(t) {
                bits[k * lanes + i / 64] |= 1 << (i % 64);
            }
        }
        Masks { len: rule.len(), lanes, words, bits }
    }

    /// The length of the longest common subsequence of the rule and `window`.
    fn lcs_len(&self, window: &[u32], v: &mut Vec<u64>) -> usize {
        let w = self.lanes;
        v.clear();
        v.resize(w, !0);
        for t in window {
            let Ok(k) = self.words.binary_search(t) else { continue };
            let mask = &self.bits[k * w..(k + 1) * w];
            // V = (V + (V & M)) | (V & !M), the addition carrying across lanes.
            let mut carry = false;
            for (vi, &m) in v.iter_mut().zip(mask) {
                let u = *vi & m;
                let (s, c1) = vi.overflowing_add(u);
                let (s, c2) = s.overflowing_add(u64::from(carry));
                carry = c1 || c2;
                *vi = s | (*vi & !m);
            }
        }
        // Zeros among the rule's bits; the last lane's bits past the rule do not count.
        let tail = self.len % 64;
        v.iter()
            .enumerate()
            .map(|(i, &x)| {
                let live = if i + 1 == w && tail != 0 { (1u64 << tail) - 1 } else { !0 };
                (!x & live).count_ones() as usize
            })
            .sum()
    }
}

/// The longest common subsequence of the rule and a file window, as (rule position,
/// window position) pairs in order. Ties go to the diagonal, so that runs stay together.
fn align(rule: &[u32], window: &[u32], table: &mut Vec<u16>) -> Vec<(usize, usize)> {
    let (m, n) = (rule.len(), window.len());
    let w = n + 1;
    table.clear();
    table.resize((m + 1) * w, 0);
    for i in 1..=m {
        for j in 1..=n {
            table[i * w + j] = if rule[i - 1] == window[j - 1] {
                table[(i - 1) * w + j - 1].saturating_add(1)
            } else {
                table[(i - 1) * w + j].max(table[i * w + j - 1])
            };
        }
    }
    let mut pairs = Vec::with_capacity(table[m * w + n] as usize);
    let (mut i, mut j) = (m, n);
    while i > 0 && j > 0 {
        if rule[i - 1] == window[j - 1] && table[i * w + j] == table[(i - 1) * w + j - 1] + 1 {
            pairs.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if table[(i - 1) * w + j] >= table[i * w + j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();
    pairs
}

/// The best run of an alignment, if it is a match: (first word, end word, words matched)
/// in the window.
fn judge(
    cat: &Catalogue,
    rule: &catalogue::Rule,
    entry: &Entry,
    pairs: &[(usize, usize)],
) -> Option<(usize, usize, u32)> {
    // Runs: matched words no more than MAX_GAP apart in the rule and in the file.
    let mut best: Option<&[(usize, usize)]> = None;
    let mut start = 0;
    for k in 1..=pairs.len() {
        let split =
            k == pairs.len() || pairs[k].0 - pairs[k - 1].0 > MAX_GAP + 1 || pairs[k].1 - pairs[k - 1].1 > MAX_GAP + 1;
        if split {
            let run = &pairs[start..k];
            if best.is_none_or(|b| run.len() > b.len()) {
                best = Some(run);
            }
            start = k;
        }
    }
    let run = best?;
    let (first, last) = (run.first()?, run.last()?);
    let len = cat.tokens_of(rule).len();
    let matched = run.len();
    if (matched as f32) < entry.need * len as f32 || (matched as f32) < MIN_DENSITY * (last.1 + 1 - first.1) as f32 {
        return None;
    }
    // Every word that tells licenses apart, and every required phrase whole, in one run.
    let mut at = vec![usize::MAX; len];
    for &(r, f) in run {
        at[r] = f;
    }
    if entry.mandatory.iter().any(|&p| at.get(p as usize).is_none_or(|&f| f == usize::MAX)) {
        return None;
    }
    for &(p, n) in cat.phrases_of(rule) {
        let span = at.get(p as usize..(p + n) as usize)?;
        if span.contains(&usize::MAX) || span.windows(2).any(|w| w[1] != w[0] + 1) {
            return None;
        }
    }
    Some((first.1, last.1 + 1, matched as u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::Stream;

    fn found(text: &str) -> Vec<(String, String, usize, usize)> {
        let cat = catalogue::catalogue();
        let s = Stream::new(text);
        let ids = cat.ids_of(&s);
        find(cat, index(), &ids, &[], &[], &|_| false)
            .into_iter()
            .map(|m| {
                let r = &cat.rules[m.rule as usize];
                (cat.expression(r).to_string(), r.ident.to_string(), m.start_word, m.end_word)
            })
            .collect()
    }

    #[test]
    fn the_index_holds_the_notices() {
        let idx = index();
        assert!(idx.entries.len() > 10_000, "{}", idx.entries.len());
        assert!(idx.min_hits.iter().all(|&m| m > 0));
    }

    #[test]
    fn the_bit_parallel_bound_is_the_alignment_length() {
        // Rules longer than one lane and windows with repeats, inserted and missing words.
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as u32
        };
        let mut table = Vec::new();
        let mut lanes = Vec::new();
        for round in 0..200 {
            let m = 1 + next(150) as usize;
            let n = next(220) as usize;
            let vocab = 2 + next(if round % 2 == 0 { 6 } else { 40 } as u64) as u64;
            let rule: Vec<u32> = (0..m).map(|_| next(vocab)).collect();
            let window: Vec<u32> = (0..n).map(|_| next(vocab + 3)).collect();
            let masks = Masks::new(&rule);
            assert_eq!(
                masks.lcs_len(&window, &mut lanes),
                align(&rule, &window, &mut table).len(),
                "{rule:?} {window:?}"
            );
        }
    }

    #[test]
    fn alignment_keeps_order_and_skips_inserted_words() {
        let mut table = Vec::new();
        let pairs = align(&[1, 2, 3, 4], &[9, 1, 2, 7, 3, 4, 9], &mut table);
        assert_eq!(pairs, vec![(0, 1), (1, 2), (2, 4), (3, 5)]);
    }

    #[test]
    fn a_rule_with_a_word_changed_is_found() {
        let cat = catalogue::catalogue();
        let rule = cat
            .rules
            .iter()
            .position(|r| {
                &*r.ident == "gpl-2.0-plus_12.RULE"
                    || (r.flags & catalogue::NOTICE != 0
                        && cat.expression(r) == "GPL-2.0-or-later"
                        && cat.tokens_of(r).len() > 40)
            })
            .expect("a GPL-2.0-or-later notice");
        let mut words: Vec<&str> = cat.tokens_of(&cat.rules[rule]).iter().map(|&t| cat.word(t)).collect();
        // An extra word and a changed word, away from the version and the name.
        words.insert(3, "frobnicate");
        let text = words.join(" ");
        let f = found(&text);
        assert!(f.iter().any(|m| m.0 == "GPL-2.0-or-later"), "{f:?}");
        assert!(f.iter().all(|m| m.0 == "GPL-2.0-or-later" || m.0.starts_with("GPL")), "{f:?}");
    }
}
