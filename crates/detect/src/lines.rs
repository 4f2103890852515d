//! How the detectors see a file: lines without comment markers, and one normalized word
//! stream with a map back to line numbers.
//!
//! Owns comment stripping, the bounded view of over-long (minified) lines and the word
//! normalization that every matcher shares, so that a license wrapped differently, set in
//! `//`, `#`, `*` or `--` comments, or reflowed in markdown, reads the same. It never
//! decides what is a license.

use std::borrow::Cow;

/// Lines longer than this are minified or generated: only their comments are searched.
const LONG_LINE: usize = 2000;
/// How much of a comment inside an over-long line is kept.
const LONG_LINE_COMMENT: usize = 1000;
/// How many comments of an over-long line are kept.
const LONG_LINE_COMMENTS: usize = 4;

/// The searchable part of one raw line: the whole line, or for an over-long line its head
/// and its block comments (`/*! ... */` banners of minified bundles).
pub fn line_view(line: &str) -> Cow<'_, str> {
    if line.len() <= LONG_LINE {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(LONG_LINE);
    out.push_str(prefix(line, 300));
    let mut rest = line;
    let mut kept = 0;
    while kept < LONG_LINE_COMMENTS {
        let Some(start) = rest.find("/*") else { break };
        let after = &rest[start..];
        let end = after.find("*/").map(|e| e + 2).unwrap_or(after.len());
        out.push(' ');
        out.push_str(prefix(&after[..end], LONG_LINE_COMMENT));
        rest = &after[end..];
        kept += 1;
    }
    Cow::Owned(out)
}

/// The longest prefix of `s` of at most `n` bytes that ends on a character boundary.
pub fn prefix(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut end = n;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A line without its comment leader and closer: `// x`, `# x`, ` * x`, `/* x */`,
/// `-- x`, `; x`, `% x`, `' x`, `REM x`, `<!-- x -->`, `> x`, `""" x`.
pub fn strip_comment(line: &str) -> &str {
    let mut s = line.trim();
    loop {
        let before = s.len();
        for lead in [
            "<!--", "/**", "/*!", "/*", "//!", "///", "//", "(*", "{-", "--", "#", "*", ";", "%", "!", "'", "\"\"\"",
            "'''", ">", "|", "dnl ", "REM ", "rem ", "@REM ", "::",
        ] {
            if let Some(r) = s.strip_prefix(lead) {
                s = r.trim_start();
                break;
            }
        }
        if s.len() == before {
            break;
        }
    }
    loop {
        let before = s.len();
        for close in ["-->", "*/", "*)", "-}", "\"\"\"", "'''", "*", "#"] {
            if let Some(r) = s.strip_suffix(close) {
                s = r.trim_end();
                break;
            }
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// The normalized words of a file: lower case letters and digits, `.` between digits and
/// a trailing `+` kept (`2.0`, `2.0+`), URLs and `<...>` e-mail addresses dropped,
/// every other character a separator. Words are joined by one space.
#[derive(Debug, Default)]
pub struct Stream {
    pub text: String,
    /// Byte offset in `text` where each word starts, and the (1-based) line it came from.
    words: Vec<(u32, u32)>,
}

impl Stream {
    pub fn new(text: &str) -> Self {
        let mut s = Stream { text: String::with_capacity(text.len() / 2), words: Vec::new() };
        for (i, raw) in text.lines().enumerate() {
            let line_no = i as u32 + 1;
            let view = line_view(raw);
            s.push_line(strip_comment(&view), line_no);
        }
        s
    }

    fn push_line(&mut self, line: &str, line_no: u32) {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut in_word = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                // URLs and <addresses> are not words of a license text.
                if !in_word && matches!(b, b'h' | b'H' | b'w' | b'W' | b'<') && starts_url(&bytes[i..]) {
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b')' {
                        i += 1;
                    }
                    continue;
                }
                let keep = b.is_ascii_alphanumeric()
                    || (in_word
                        && ((b == b'+')
                            || (b == b'.'
                                && i > 0
                                && bytes[i - 1].is_ascii_digit()
                                && bytes.get(i + 1).is_some_and(|n| n.is_ascii_digit()))));
                if keep {
                    self.start_word(&mut in_word, line_no);
                    self.text.push(b.to_ascii_lowercase() as char);
                } else {
                    in_word = false;
                }
                i += 1;
                continue;
            }
            let Some(c) = line.get(i..).and_then(|r| r.chars().next()) else { break };
            if c.is_alphanumeric() {
                self.start_word(&mut in_word, line_no);
                self.text.extend(c.to_lowercase());
            } else {
                in_word = false;
            }
            i += c.len_utf8();
        }
    }

    fn start_word(&mut self, in_word: &mut bool, line_no: u32) {
        if !*in_word {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.words.push((self.text.len() as u32, line_no));
            *in_word = true;
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        let t = &self.text;
        self.words.iter().enumerate().map(move |(i, &(start, _))| {
            let end = self.words.get(i + 1).map(|w| w.0 as usize - 1).unwrap_or(t.len());
            t.get(start as usize..end).unwrap_or("")
        })
    }

    /// Line of the word at index `w`.
    pub fn word_line(&self, w: usize) -> u32 {
        self.words.get(w).or(self.words.last()).map(|x| x.1).unwrap_or(1)
    }

    /// Index of the word holding byte offset `off` of `text`.
    pub fn word_at(&self, off: usize) -> usize {
        match self.words.binary_search_by_key(&(off as u32), |w| w.0) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Line of byte offset `off` of `text`.
    pub fn line_at(&self, off: usize) -> u32 {
        self.word_line(self.word_at(off))
    }

    /// First and last line of the byte range `start..end` of `text`.
    pub fn lines_of(&self, start: usize, end: usize) -> (u32, u32) {
        (self.line_at(start), self.line_at(end.saturating_sub(1).max(start)))
    }

    /// Number of words on lines `first..=last`.
    pub fn words_on_lines(&self, first: u32, last: u32) -> usize {
        let a = self.words.partition_point(|w| w.1 < first);
        let b = self.words.partition_point(|w| w.1 <= last);
        b.saturating_sub(a)
    }

    /// Byte offset in `text` of word `w` (or the end of the text).
    pub fn word_offset(&self, w: usize) -> usize {
        self.words.get(w).map(|x| x.0 as usize).unwrap_or(self.text.len())
    }
}

fn starts_url(b: &[u8]) -> bool {
    let lower = |p: &[u8]| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    lower(b"http://")
        || lower(b"https://")
        || lower(b"www.")
        || lower(b"<http")
        || (b.first() == Some(&b'<') && is_mail(b))
}

/// `<someone@example.org>`
fn is_mail(b: &[u8]) -> bool {
    let end = b.iter().take(120).position(|&c| c == b'>' || c == b' ');
    matches!(end, Some(e) if b.get(e) == Some(&b'>') && b[..e].contains(&b'@'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_leaders_and_closers_go() {
        assert_eq!(strip_comment("  // Licensed under MIT"), "Licensed under MIT");
        assert_eq!(strip_comment(" * Copyright 2020 A"), "Copyright 2020 A");
        assert_eq!(strip_comment("/* SPDX-License-Identifier: MIT */"), "SPDX-License-Identifier: MIT");
        assert_eq!(strip_comment("<!-- x -->"), "x");
        assert_eq!(strip_comment("## License"), "License");
        assert_eq!(strip_comment("-- x"), "x");
    }

    #[test]
    fn stream_words_and_lines() {
        let s = Stream::new(
            "// Licensed under the Apache License,\n// Version 2.0 (the \"License\");\n# GPL-2.0+ <a@b.org> https://x.org/y\n",
        );
        assert_eq!(s.text, "licensed under the apache license version 2.0 the license gpl 2.0+");
        let off = s.text.find("version").unwrap();
        assert_eq!(s.line_at(off), 2);
        assert_eq!(s.lines_of(0, s.text.len()), (1, 3));
        assert_eq!(s.words().nth(4), Some("license"));
    }

    #[test]
    fn long_lines_keep_only_banners() {
        let line = format!("var a=1;{}/*! lodash | MIT License */{}", "x".repeat(5000), "y".repeat(5000));
        let v = line_view(&line);
        assert!(v.len() < 1500, "{}", v.len());
        assert!(v.contains("lodash | MIT License"));
    }
}
