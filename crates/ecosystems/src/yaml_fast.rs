//! A fast reader for the YAML that lock tools write (`pnpm-lock.yaml`): block mappings and
//! sequences by indentation, flow mappings and sequences on one line, plain and quoted
//! scalars on one line, comments and an optional leading `---`.
//!
//! serde-saphyr reads about 10 MB/s; a lockfile of 100,000 packages would spend two seconds
//! there. This reader handles the subset lock tools emit and declines (returns `None`) on
//! anything else: anchors, aliases, tags, block scalars, scalars spanning lines, complex
//! keys, directives, several documents, duplicate keys, tabs or uneven indentation,
//! malformed input. The caller then parses with serde-saphyr, which also gives the error
//! message and line of a broken file.
//!
//! The reader is a serde deserializer, so that a typed read ([`from_str`]) builds no tree
//! and skips the fields its type ignores; [`read`] gives the tree. Plain scalars read as
//! strings, except `true` and `false` (booleans) and `null` and `~` (null): `5.4` stays the
//! string `"5.4"`, as a typed read into a `String` field sees it. Plain scalars that other
//! spellings make booleans, nulls or non-finite numbers (`yes`, `NULL`, `.inf`) decline.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Deepest nesting of collections read; deeper input is declined (serde-saphyr stops at 64).
const MAX_DEPTH: usize = 48;

/// Longest implicit key read, in bytes with its quotes; YAML allows 1024 characters.
const MAX_KEY_BYTES: usize = 1000;

/// Parse `text` as YAML into a JSON value, or `None` when it is outside the subset.
#[cfg_attr(not(test), expect(dead_code, reason = "catalogers read typed structs with `from_str`"))]
pub(crate) fn read(text: &str) -> Option<Value> {
    from_str(text)
}

/// Parse `text` as YAML into `T`, or `None` when it is outside the subset or `T` does not
/// take the document.
pub(crate) fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    if !printable(text.as_bytes()) {
        return None;
    }
    let mut r = Reader { text, pos: 0, cur: None, started: false, keys: Vec::new() };
    r.advance().ok()?;
    // An empty document is left to serde-saphyr.
    r.cur?;
    let value = T::deserialize(Node { r: &mut r, kind: Kind::Block, depth: 0 }).ok()?;
    // A line left over is less indented than the root.
    r.cur.is_none().then_some(value)
}

/// Why a read stopped: the text is outside the subset, or the target type refused it.
#[derive(Debug)]
struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("outside the YAML subset read fast")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Declined
    }
}

type Result<T> = std::result::Result<T, Declined>;

/// A missing piece as a decline.
fn need<T>(o: Option<T>) -> Result<T> {
    o.ok_or(Declined)
}

/// Whether every character may appear in a YAML document as this reader sees it: no control
/// characters but tab and line breaks, no carriage return but before a line feed, and none
/// of the characters some YAML versions treat as line breaks or byte order marks (NEL,
/// U+2028, U+2029, U+FEFF) or that are not characters (U+FFFE, U+FFFF).
fn printable(b: &[u8]) -> bool {
    // Printable ASCII and line feeds, checked a block at a time; other blocks byte by byte.
    let mut at = 0;
    for block in b.chunks(64) {
        let plain = block.iter().fold(true, |ok, &c| ok & ((0x20..0x7f).contains(&c) | (c == b'\n')));
        if !plain && !(at..at + block.len()).all(|i| printable_at(b, i)) {
            return false;
        }
        at += block.len();
    }
    true
}

/// Whether the byte at `i` may be where it is (see [`printable`]).
fn printable_at(b: &[u8], i: usize) -> bool {
    let Some(&c) = b.get(i) else { return true };
    match c {
        b'\t' | b'\n' | 0x20..=0x7e | 0x80..=0xc1 | 0xc3..=0xe1 | 0xe3..=0xee | 0xf0..=0xff => true,
        b'\r' => b.get(i + 1) == Some(&b'\n'),
        0xc2 => !matches!(b.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => !(b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xa8 | 0xa9))),
        0xef => !matches!((b.get(i + 1), b.get(i + 2)), (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))),
        _ => false,
    }
}

/// A line with content: its indentation in spaces and the text after it.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// The block structure of a document, read line by line.
struct Reader<'a> {
    text: &'a str,
    /// Start of the next unread line.
    pos: usize,
    /// The current line; `None` at the end of the document.
    cur: Option<Line<'a>>,
    /// A line with content has been seen (a `---` after one is a second document).
    started: bool,
    /// The keys of the mappings being read, innermost last (see [`Keys`]).
    keys: Vec<Cow<'a, str>>,
}

impl Reader<'_> {
    /// Move to the next line with content, past blank and comment lines and a leading `---`.
    fn advance(&mut self) -> Result<()> {
        loop {
            let rest = need(self.text.get(self.pos..))?;
            if rest.is_empty() {
                self.cur = None;
                return Ok(());
            }
            let (line, len) = match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(i) => (need(rest.get(..i))?, i + 1),
                None => (rest, rest.len()),
            };
            self.pos += len;
            let line = line.strip_suffix('\r').unwrap_or(line);
            let text = line.trim_start_matches(' ');
            let indent = line.len() - text.len();
            match text.as_bytes().first() {
                None | Some(b'#') => continue,
                Some(b'\t') => return Err(Declined),
                _ => {}
            }
            if indent == 0 && (text.starts_with("---") || text.starts_with("...")) {
                if self.started || text.trim_end_matches(' ') != "---" {
                    return Err(Declined);
                }
                self.started = true;
                continue;
            }
            self.started = true;
            self.cur = Some(Line { indent, text });
            return Ok(());
        }
    }
}

/// The keys of one mapping, kept on the reader's key stack until its end to find a
/// repeated one. Lockfiles sort their large tables, so that a check against the previous
/// key mostly suffices.
struct Keys {
    from: usize,
    sorted: bool,
}

impl Keys {
    fn new(stack: &[Cow<str>]) -> Self {
        Keys { from: stack.len(), sorted: true }
    }

    fn add<'a>(&mut self, stack: &mut Vec<Cow<'a, str>>, key: Cow<'a, str>) {
        if stack.len() > self.from && stack.last().is_some_and(|last| **last >= *key) {
            self.sorted = false;
        }
        stack.push(key);
    }

    /// The mapping has ended: an error if a key repeats.
    fn finish(&self, stack: &mut Vec<Cow<str>>) -> Result<()> {
        let keys = stack.get(self.from..).unwrap_or_default();
        let unique = self.sorted || {
            let mut seen = std::collections::HashSet::with_capacity(keys.len());
            keys.iter().all(|k| seen.insert(&**k))
        };
        stack.truncate(self.from);
        if unique { Ok(()) } else { Err(Declined) }
    }
}

/// Where a node is.
#[derive(Clone, Copy)]
enum Kind<'a> {
    /// On the rest of the current line (after `key: ` or `- `): a scalar or a flow
    /// collection, and at most a comment after it.
    Inline(&'a str),
    /// A block collection starting at the current line.
    Block,
    /// Nowhere: an empty value.
    Null,
}

/// A node of the block structure, as a deserializer.
struct Node<'r, 'a> {
    r: &'r mut Reader<'a>,
    kind: Kind<'a>,
    depth: usize,
}

impl<'de> Deserializer<'de> for Node<'_, 'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.depth > MAX_DEPTH {
            return Err(Declined);
        }
        match self.kind {
            Kind::Null => visitor.visit_unit(),
            Kind::Block => {
                let line = need(self.r.cur)?;
                if is_entry(line.text) {
                    visitor.visit_seq(BlockSeq { r: self.r, indent: line.indent, depth: self.depth })
                } else {
                    let keys = Keys::new(&self.r.keys);
                    let from = keys.from;
                    let value = visitor.visit_map(BlockMap {
                        r: &mut *self.r,
                        indent: line.indent,
                        depth: self.depth,
                        rest: "",
                        keys,
                    })?;
                    // The mapping was read to its end.
                    if self.r.keys.len() != from {
                        return Err(Declined);
                    }
                    Ok(value)
                }
            }
            Kind::Inline(text) => match text.as_bytes().first() {
                Some(b'{' | b'[') => {
                    let mut flow = Flow { s: text, keys: &mut self.r.keys, depth: self.depth + 1 };
                    let value = (&mut flow).deserialize_any(visitor)?;
                    if !trailing_ok(flow.s) {
                        return Err(Declined);
                    }
                    self.r.advance()?;
                    Ok(value)
                }
                Some(b'\'' | b'"') => {
                    let (s, rest) = need(quoted(text))?;
                    if !trailing_ok(rest) {
                        return Err(Declined);
                    }
                    self.r.advance()?;
                    visit_cow(s, visitor)
                }
                _ => {
                    let s = need(block_plain(text))?;
                    self.r.advance()?;
                    visit_plain(s, visitor)
                }
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.kind {
            Kind::Null => visitor.visit_none(),
            Kind::Inline(text) if matches!(block_plain(text), Some("null" | "~")) => {
                self.r.advance()?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A block mapping whose keys are indented by `indent`.
struct BlockMap<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
    depth: usize,
    /// The text after the colon of the current key.
    rest: &'a str,
    keys: Keys,
}

impl<'de> MapAccess<'de> for BlockMap<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let line = match self.r.cur {
            Some(line) if line.indent >= self.indent => line,
            _ => {
                self.keys.finish(&mut self.r.keys)?;
                return Ok(None);
            }
        };
        // A deeper line here continues a scalar; an entry here follows a key with a value.
        if line.indent > self.indent || is_entry(line.text) {
            return Err(Declined);
        }
        let (key, rest) = need(block_key(line.text))?;
        self.rest = rest;
        self.keys.add(&mut self.r.keys, key.clone());
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let rest = self.rest.trim_start_matches(' ');
        if !rest.is_empty() && !rest.starts_with('#') {
            return seed.deserialize(Node { r: &mut *self.r, kind: Kind::Inline(rest), depth: self.depth });
        }
        self.r.advance()?;
        let kind = match self.r.cur {
            Some(next) if next.indent > self.indent => Kind::Block,
            // A sequence may sit at its key's indentation.
            Some(next) if next.indent == self.indent && is_entry(next.text) => Kind::Block,
            _ => Kind::Null,
        };
        seed.deserialize(Node { r: &mut *self.r, kind, depth: self.depth + 1 })
    }
}

/// A block sequence whose `-` are indented by `indent`.
struct BlockSeq<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
    depth: usize,
}

impl<'de> SeqAccess<'de> for BlockSeq<'_, 'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(line) = self.r.cur else { return Ok(None) };
        if line.indent != self.indent || !is_entry(line.text) {
            return if line.indent > self.indent { Err(Declined) } else { Ok(None) };
        }
        let after = need(line.text.get(1..))?;
        let content = after.trim_start_matches(' ');
        let kind = if content.is_empty() || content.starts_with('#') {
            self.r.advance()?;
            match self.r.cur {
                Some(next) if next.indent > self.indent => Kind::Block,
                _ => Kind::Null,
            }
        } else if is_entry(content) {
            // `- - a`: a sequence in a sequence on one line.
            return Err(Declined);
        } else if block_key(content).is_some() {
            // `- key: value`: a mapping whose keys line up with this first one.
            let indent = self.indent + 1 + (after.len() - content.len());
            self.r.cur = Some(Line { indent, text: content });
            Kind::Block
        } else {
            Kind::Inline(content)
        };
        seed.deserialize(Node { r: &mut *self.r, kind, depth: self.depth + 1 }).map(Some)
    }
}

/// A mapping key, as a deserializer.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_cow(self.0, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The empty value of a flow mapping entry (`{a: }`), as a deserializer.
struct Null;

impl<'de> Deserializer<'de> for Null {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A flow collection or scalar on one line, read from `s` on, as a deserializer.
struct Flow<'k, 'a> {
    s: &'a str,
    keys: &'k mut Vec<Cow<'a, str>>,
    depth: usize,
}

impl<'de> Deserializer<'de> for &mut Flow<'_, 'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let open = self.s.as_bytes().first().copied();
        if matches!(open, Some(b'{' | b'[')) {
            if self.depth > MAX_DEPTH {
                return Err(Declined);
            }
            let depth = self.depth;
            self.depth += 1;
            self.s = need(self.s.get(1..))?;
            let value = if open == Some(b'{') {
                let keys = Keys::new(self.keys);
                visitor.visit_map(FlowMap { f: &mut *self, keys, first: true })?
            } else {
                visitor.visit_seq(FlowSeq { f: &mut *self, first: true })?
            };
            // The collection was read to its closing bracket.
            return if self.depth == depth { Ok(value) } else { Err(Declined) };
        }
        if matches!(open, Some(b'\'' | b'"')) {
            let (s, rest) = need(quoted(self.s))?;
            self.s = rest;
            return visit_cow(s, visitor);
        }
        let (s, rest) = need(flow_plain(self.s))?;
        self.s = rest;
        visit_plain(s, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Some(("null" | "~", rest)) = flow_plain(self.s) {
            self.s = rest;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The start of the next entry of a flow collection closed by `close`: `None` at its end
/// (past `close`), else the text of the entry. No trailing comma (left to serde-saphyr).
fn next_entry<'a>(f: &mut Flow<'_, 'a>, first: &mut bool, close: char) -> Result<Option<&'a str>> {
    let mut s = f.s.trim_start_matches(' ');
    if let Some(rest) = s.strip_prefix(close) {
        f.s = rest;
        f.depth = f.depth.saturating_sub(1);
        return Ok(None);
    }
    if !*first {
        s = need(s.strip_prefix(','))?.trim_start_matches(' ');
        if s.starts_with(close) {
            return Err(Declined);
        }
    }
    *first = false;
    Ok(Some(s))
}

/// The entries of a flow mapping.
struct FlowMap<'f, 'k, 'a> {
    f: &'f mut Flow<'k, 'a>,
    keys: Keys,
    first: bool,
}

impl<'de> MapAccess<'de> for FlowMap<'_, '_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(s) = next_entry(self.f, &mut self.first, '}')? else {
            self.keys.finish(self.f.keys)?;
            return Ok(None);
        };
        let (key, rest) = match s.as_bytes().first() {
            Some(b'\'' | b'"') => need(quoted(s))?,
            _ => {
                let (key, rest) = need(flow_plain(s))?;
                if special(key) {
                    return Err(Declined);
                }
                (Cow::Borrowed(key), rest)
            }
        };
        if s.len() - rest.len() > MAX_KEY_BYTES {
            return Err(Declined);
        }
        // Only `key: value`: no `key:value` after quotes, no key without a value.
        self.f.s = need(rest.trim_start_matches(' ').strip_prefix(": "))?.trim_start_matches(' ');
        self.keys.add(self.f.keys, key.clone());
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        if self.f.s.starts_with([',', '}']) {
            return seed.deserialize(Null);
        }
        seed.deserialize(&mut *self.f)
    }
}

/// The items of a flow sequence.
struct FlowSeq<'f, 'k, 'a> {
    f: &'f mut Flow<'k, 'a>,
    first: bool,
}

impl<'de> SeqAccess<'de> for FlowSeq<'_, '_, 'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(s) = next_entry(self.f, &mut self.first, ']')? else { return Ok(None) };
        self.f.s = s;
        seed.deserialize(&mut *self.f).map(Some)
    }
}

/// A string, borrowed from the text where it has no escapes.
fn visit_cow<'de, V: Visitor<'de>>(s: Cow<'de, str>, visitor: V) -> Result<V::Value> {
    match s {
        Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

/// A plain scalar: a boolean, null or a string; declined for the other spellings of
/// booleans and null (`True`, `NULL`, YAML 1.1's `yes`, `n`, `off`) and for infinity and
/// not-a-number (`.inf`), which YAML readers disagree on.
fn visit_plain<'de, V: Visitor<'de>>(s: &'de str, visitor: V) -> Result<V::Value> {
    match s {
        "true" => visitor.visit_bool(true),
        "false" => visitor.visit_bool(false),
        "null" | "~" => visitor.visit_unit(),
        _ if special(s) || ["y", "yes", "n", "no", "on", "off"].iter().any(|w| s.eq_ignore_ascii_case(w)) => {
            Err(Declined)
        }
        _ if s
            .trim_start_matches(['+', '-'])
            .strip_prefix('.')
            .is_some_and(|r| r.eq_ignore_ascii_case("inf") || r.eq_ignore_ascii_case("nan")) =>
        {
            Err(Declined)
        }
        _ => visitor.visit_borrowed_str(s),
    }
}

/// Whether only spaces and a comment follow a value.
fn trailing_ok(rest: &str) -> bool {
    let after = rest.trim_start_matches(' ');
    after.is_empty() || (after.starts_with('#') && after.len() < rest.len())
}

/// Whether a line is a block sequence entry (`- item` or a lone `-`).
fn is_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// The key of a `key: value` line and the text after its colon, which is empty or starts
/// with a space. `None` when the line is not a key this reader takes.
fn block_key(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let (key, rest) = match text.as_bytes().first()? {
        b'\'' | b'"' => {
            let (key, rest) = quoted(text)?;
            (key, rest.strip_prefix(':')?)
        }
        _ => {
            let b = text.as_bytes();
            let mut colon = None;
            let mut from = 0;
            while let Some(i) = find_stop(b, from, &BLOCK_STOPS) {
                from = i + 1;
                let Some(&c) = b.get(i) else { break };
                match c {
                    b':' if matches!(b.get(i + 1), None | Some(b' ')) => {
                        colon = Some(i);
                        break;
                    }
                    b'#' if i > 0 && b.get(i - 1) == Some(&b' ') => return None,
                    b'\t' => return None,
                    _ => {}
                }
            }
            let colon = colon?;
            let key = text.get(..colon)?.trim_end_matches(' ');
            if !plain_start(key, false) || special(key) {
                return None;
            }
            (Cow::Borrowed(key), text.get(colon + 1..)?)
        }
    };
    if !(rest.is_empty() || rest.starts_with(' ')) || text.len() - rest.len() > MAX_KEY_BYTES {
        return None;
    }
    Some((key, rest))
}

/// A table of the bytes in `bytes`.
const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// The bytes a plain scalar in block context stops at (or declines on).
static BLOCK_STOPS: [bool; 256] = byte_set(b":#\t");

/// The bytes a plain scalar in flow context stops at (or declines on).
static FLOW_STOPS: [bool; 256] = byte_set(b",[]{}:#\t");

/// The position of the first byte of `b` in `stops`, from `from` on.
fn find_stop(b: &[u8], from: usize, stops: &[bool; 256]) -> Option<usize> {
    b.get(from..)?.iter().position(|&c| stops[usize::from(c)]).map(|i| from + i)
}

/// A plain scalar in block context, up to a comment or the end of the line.
fn block_plain(text: &str) -> Option<&str> {
    if !plain_start(text, false) {
        return None;
    }
    let b = text.as_bytes();
    let mut end = b.len();
    let mut from = 0;
    while let Some(i) = find_stop(b, from, &BLOCK_STOPS) {
        from = i + 1;
        let Some(&c) = b.get(i) else { break };
        match c {
            // `a: b: c` and `a: b:` are errors.
            b':' if matches!(b.get(i + 1), None | Some(b' ')) => return None,
            b'#' if i > 0 && b.get(i - 1) == Some(&b' ') => {
                end = i;
                break;
            }
            b'\t' => return None,
            _ => {}
        }
    }
    Some(text.get(..end)?.trim_end_matches(' '))
}

/// A plain scalar in flow context, and the text after it: it ends before a flow indicator
/// (`,[]{}`) or a colon followed by a space, an indicator or the end of the line.
fn flow_plain(text: &str) -> Option<(&str, &str)> {
    if !plain_start(text, true) {
        return None;
    }
    let b = text.as_bytes();
    let mut end = b.len();
    let mut from = 0;
    while let Some(i) = find_stop(b, from, &FLOW_STOPS) {
        from = i + 1;
        let Some(&c) = b.get(i) else { break };
        match c {
            b',' | b'[' | b']' | b'{' | b'}' => {
                end = i;
                break;
            }
            b':' if matches!(b.get(i + 1), None | Some(b' ' | b',' | b'[' | b']' | b'{' | b'}')) => {
                end = i;
                break;
            }
            // A comment inside a flow collection means it goes on on the next line.
            b'#' if i > 0 && b.get(i - 1) == Some(&b' ') => return None,
            b'\t' => return None,
            _ => {}
        }
    }
    Some((text.get(..end)?.trim_end_matches(' '), text.get(end..)?))
}

/// Whether a plain scalar may start `text`: not empty, no indicator first (`-` only when
/// followed by a character of the scalar).
fn plain_start(text: &str, in_flow: bool) -> bool {
    let b = text.as_bytes();
    match b.first() {
        None => false,
        Some(b'-') => match b.get(1) {
            None | Some(b' ') => false,
            Some(b',' | b'[' | b']' | b'{' | b'}') => !in_flow,
            Some(_) => true,
        },
        Some(
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
            | b'%' | b'@' | b'`' | b' ' | b'\t',
        ) => false,
        Some(_) => true,
    }
}

/// Plain scalars that are not plain strings as keys: null and boolean spellings and the
/// merge key.
fn special(s: &str) -> bool {
    matches!(s, "~" | "<<") || ["null", "true", "false"].iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// A single- or double-quoted scalar closed on this line, and the text after it.
fn quoted(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let body = text.get(1..)?;
    if text.starts_with('\'') { single_quoted(body) } else { double_quoted(body) }
}

/// The rest of a single-quoted scalar after its opening quote (`''` is a quote).
fn single_quoted(body: &str) -> Option<(Cow<'_, str>, &str)> {
    let i = memchr::memchr(b'\'', body.as_bytes())?;
    let after = body.get(i + 1..)?;
    if !after.starts_with('\'') {
        return Some((Cow::Borrowed(body.get(..i)?), after));
    }
    let mut out = String::from(body.get(..=i)?);
    let mut rest = after.get(1..)?;
    loop {
        let i = memchr::memchr(b'\'', rest.as_bytes())?;
        out.push_str(rest.get(..i)?);
        let after = rest.get(i + 1..)?;
        match after.strip_prefix('\'') {
            Some(after) => {
                out.push('\'');
                rest = after;
            }
            None => return Some((Cow::Owned(out), after)),
        }
    }
}

/// The rest of a double-quoted scalar after its opening quote, with the escapes
/// `\\ \" \/ \n \t \r \uXXXX`; other escapes decline.
fn double_quoted(body: &str) -> Option<(Cow<'_, str>, &str)> {
    let b = body.as_bytes();
    let i = memchr::memchr2(b'"', b'\\', b)?;
    if b.get(i) == Some(&b'"') {
        return Some((Cow::Borrowed(body.get(..i)?), body.get(i + 1..)?));
    }
    let mut out = String::new();
    let mut start = 0;
    let mut i = i;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                out.push_str(body.get(start..i)?);
                return Some((Cow::Owned(out), body.get(i + 1..)?));
            }
            b'\\' => {
                out.push_str(body.get(start..i)?);
                let escape = *b.get(i + 1)?;
                i += 2;
                match escape {
                    b'\\' => out.push('\\'),
                    b'"' => out.push('"'),
                    b'/' => out.push('/'),
                    b'n' => out.push('\n'),
                    b't' => out.push('\t'),
                    b'r' => out.push('\r'),
                    b'u' => {
                        let hex = body.get(i..i + 4)?;
                        if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                            return None;
                        }
                        // Surrogates are no characters: `char::from_u32` declines them.
                        out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                        i += 4;
                    }
                    _ => return None,
                }
                start = i;
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// serde-saphyr's reading of `text` as an untyped tree.
    fn saphyr(text: &str) -> Option<Value> {
        serde_saphyr::from_str_with_options::<Value>(text, crate::yaml_lockfile_options()).ok()
    }

    /// Whether this reader's tree is serde-saphyr's: equal, but where serde-saphyr's untyped
    /// tree has a number (`lockfileVersion: 5.4`), a string of that number, as a typed read
    /// into a `String` field sees it.
    fn same(fast: &Value, full: &Value) -> bool {
        match (fast, full) {
            (Value::String(s), Value::Number(n)) => s.parse::<f64>().ok() == n.as_f64(),
            (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
            }
            _ => fast == full,
        }
    }

    /// Read `text` with both readers and check they agree; `want` is this reader's result.
    fn agrees(text: &str, want: Value) {
        assert_eq!(read(text), Some(want.clone()), "{text:?}");
        let full = saphyr(text).unwrap_or_else(|| panic!("serde-saphyr fails on {text:?}"));
        assert!(same(&want, &full), "serde-saphyr reads {text:?} as {full}");
    }

    #[test]
    fn nested_mappings_and_sequences() {
        let text = "\
---
# a comment
a:
  b:
    c: d

  e: f
g:
- x
-   y: 1
    z: 2
-
  - nested
- 
h:
  - k: v
    l:
      - m
  - last
i:
j: k
";
        let want = json!({
            "a": {"b": {"c": "d"}, "e": "f"},
            "g": ["x", {"y": "1", "z": "2"}, ["nested"], null],
            "h": [{"k": "v", "l": ["m"]}, "last"],
            "i": null,
            "j": "k",
        });
        agrees(text, want);
    }

    #[test]
    fn flow_collections() {
        let text = "\
a: {integrity: sha512-abc==, tarball: https://x.test/a.tgz}
b: [x64, arm64]
c: {}
d: []
e: {node: ^8.16.0 || >=11.0.0, n: {deep: [1, '2', \"3\", {x: z}]}, empty: }
f: [ a b , 'c, d' ]   # comment
g: {a: workspace:*, 'q': v}
";
        let want = json!({
            "a": {"integrity": "sha512-abc==", "tarball": "https://x.test/a.tgz"},
            "b": ["x64", "arm64"],
            "c": {},
            "d": [],
            "e": {"node": "^8.16.0 || >=11.0.0", "n": {"deep": ["1", "2", "3", {"x": "z"}]}, "empty": null},
            "f": ["a b", "c, d"],
            "g": {"a": "workspace:*", "q": "v"},
        });
        agrees(text, want);
    }

    #[test]
    fn quoting_and_comments() {
        let text = "\
'@scope/a@1.0.0': 'it''s'
\"b\\\"c\": \"tab\\tnew\\nline \\u00e9 \\/ \\\\\"
c: a#b   # comment
d: 'x' # comment
e: \"\"
f: ''
'g': x:y
h: -1
#: not a key
";
        let want = json!({
            "@scope/a@1.0.0": "it's",
            "b\"c": "tab\tnew\nline \u{e9} / \\",
            "c": "a#b",
            "d": "x",
            "e": "",
            "f": "",
            "g": "x:y",
            "h": "-1",
        });
        agrees(text, want);
    }

    #[test]
    fn scalar_types() {
        let text = "a: true\nb: false\nc: null\nd: ~\ne: 5.4\nf: 1.10\ng: '9.0'\nh: 'true'\ni: 007\nj: 1e3\nk: yes-no\nl:\n  n: 1\n";
        let want = json!({
            "a": true, "b": false, "c": null, "d": null, "e": "5.4", "f": "1.10", "g": "9.0", "h": "true",
            "i": "007", "j": "1e3", "k": "yes-no", "l": {"n": "1"},
        });
        agrees(text, want);
        assert_eq!(read("a: [true, null, 5]\n"), Some(json!({"a": [true, null, "5"]})));
    }

    #[test]
    fn declines_what_it_does_not_read() {
        for text in [
            "",
            "# only a comment\n",
            "just a scalar\n",
            "a: &anchor x\nb: *anchor\n",
            "a: !tag x\n",
            "a: |\n  block\n",
            "a: >\n  folded\n",
            "a: plain\n  continued\n",
            "a: 'quoted\n  continued'\n",
            "a: \"quoted\n  continued\"\n",
            "a: {b: c,\n  d: e}\n",
            "a: [b, c\n",
            "? complex\n: key\n",
            "%YAML 1.2\n---\na: b\n",
            "a: b\n---\nc: d\n",
            "a: b\n...\n",
            "a: 1\na: 2\n",
            "a: {b: 1, b: 2}\n",
            "a:\n  b: 1\n c: 2\n",
            "a:\n    b: 1\n  c: 2\n",
            "a:\n\tb: 1\n",
            "a:\tb\n",
            "a: b: c\n",
            "a: b:\n",
            "a: \"\\x41\"\n",
            "a: \"\\ud83d\\ude00\"\n",
            "a: True\n",
            "a: yes\n",
            "a: [x, n]\n",
            "a: {b: Off}\n",
            "a: .inf\n",
            "a: -.NaN\n",
            "a: NULL\n",
            "null: a\n",
            "<<: {a: b}\n",
            "a: {b}\n",
            "a: {b:c}\n",
            "a: [b, ]\n",
            "a: [b: c]\n",
            "a: {b: c} d\n",
            "a: 'b' c\n",
            "a: @b\n",
            "a: `b`\n",
            "- - a\n",
            "a: b\n- c\n",
            "a:\r\n  b: c\rd\n",
            "\u{feff}a: b\n",
            "a: b\u{85}c\n",
            "a: \u{1}\n",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
        let long_key = format!("{}: x\n", "k".repeat(1100));
        assert_eq!(read(&long_key), None);
        let deep = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect::<String>();
        assert_eq!(read(&deep), None);
        let deep_flow = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(read(&deep_flow), None);
    }

    #[test]
    fn typed_reads_skip_what_the_type_ignores() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Doc {
            name: Option<String>,
            gone: Option<String>,
            flag: Option<bool>,
            list: Vec<String>,
            inner: Inner,
        }
        #[derive(Deserialize, Debug, PartialEq)]
        struct Inner {
            a: String,
            b: Option<String>,
        }
        let text =
            "name: x\ngone: ~\nflag: true\nextra:\n  deep: [1, {x: z}]\nlist: [a, 'b']\ninner: {a: '1', b: null}\n";
        let want = Doc {
            name: Some("x".into()),
            gone: None,
            flag: Some(true),
            list: vec!["a".into(), "b".into()],
            inner: Inner { a: "1".into(), b: None },
        };
        assert_eq!(from_str::<Doc>(text), Some(want));
        // What the type does not take is declined as well.
        assert_eq!(from_str::<Doc>("name: [x]\nlist: []\ninner: {a: b}\n"), None);
        assert_eq!(from_str::<Doc>("list: []\ninner: {a: b}\nextra: 'never closed\n"), None);
    }

    #[test]
    fn windows_line_ends() {
        assert_eq!(read("a:\r\n  b: c\r\n"), Some(json!({"a": {"b": "c"}})));
    }

    #[test]
    fn every_pnpm_lockfile_fixture_reads_as_serde_saphyr_does() {
        // The same tree as serde-saphyr's but for numbers kept as strings (see `same`);
        // where serde-saphyr fails (a corrupt fixture), this reader must decline, so that
        // the error and its line still come from serde-saphyr.
        let files = crate::testing::fixture_files(&["pnpm-lock.yaml"]);
        let mut read_fast = 0;
        for (path, text) in &files {
            match saphyr(text) {
                Some(full) => {
                    let fast = read(text).unwrap_or_else(|| panic!("{} was declined", path.display()));
                    assert!(same(&fast, &full), "{}: {fast} != {full}", path.display());
                    read_fast += 1;
                }
                None => assert_eq!(read(text), None, "{}", path.display()),
            }
        }
        assert!(read_fast >= 3, "only {read_fast} lockfiles read");
    }

    #[test]
    fn damaged_lockfiles_never_panic_and_agree_when_read() {
        // Every fixture cut at each line, and with characters that mean something in YAML
        // written over a sample of its bytes (a sample keeps the test quick): the reader must
        // not panic, and what it reads serde-saphyr must read the same.
        for (path, text) in crate::testing::fixture_files(&["pnpm-lock.yaml"]) {
            let b = text.as_bytes();
            let mut cases = Vec::new();
            for (i, _) in text.match_indices('\n') {
                cases.push(b.get(..i).unwrap_or(b).to_vec());
            }
            for i in (0..b.len()).step_by(79) {
                for &c in b"'\":# -{[,]}\t&|?\n\r!*%~>@\\y0.n" {
                    let mut d = b.to_vec();
                    d[i] = c;
                    cases.push(d);
                }
            }
            for case in cases {
                let Ok(t) = std::str::from_utf8(&case) else { continue };
                if let Some(fast) = read(t) {
                    let full = saphyr(t).unwrap_or_else(|| panic!("{}: serde-saphyr fails on\n{t}", path.display()));
                    assert!(same(&fast, &full), "{}: {fast} != {full} in\n{t}", path.display());
                }
            }
        }
    }
}
