//! A fast reader for the TOML that lock tools write (`Cargo.lock`, `uv.lock`,
//! `poetry.lock`): table and array-of-tables headers, `key = value` lines, strings,
//! integers, booleans, datetimes, arrays and inline tables spanning lines.
//!
//! The `toml` crate reads about 50 MB/s; a lockfile of 100,000 packages would spend most of
//! a second there. This reader handles the subset those tools emit and declines (returns
//! `None`) on anything else: floats, multi-line strings, dotted keys, redefined tables or
//! keys, malformed input. The caller then parses with the `toml` crate, which also gives the
//! error message and line of a broken file. What this reader accepts it reads exactly as
//! the `toml` crate does (a test compares both on every lockfile fixture).

use super::ParseError;
use toml::{Table, Value};

/// Which values a cataloger reads: `keep(table_path, key)` is false for the values it never
/// looks at (wheel lists, file hashes, metadata), which are then checked but not built.
pub(crate) type Keep = fn(&[String], &str) -> bool;

/// Keep every value.
pub(crate) fn keep_all(_: &[String], _: &str) -> bool {
    true
}

/// A lockfile's TOML: the fast reader, else the `toml` crate (with its error and line).
pub(crate) fn parse_lockfile(text: &str, keep: Keep) -> Result<Table, ParseError> {
    match read_with(text, keep) {
        Some(t) => Ok(t),
        None => toml::from_str(text).map_err(|e| toml_error(text, &e)),
    }
}

/// The `toml` crate's error as a parse error with its line.
pub(crate) fn toml_error(text: &str, e: &toml::de::Error) -> ParseError {
    let line = e.span().map(|s| super::line_of_offset(text.as_bytes(), s.start));
    ParseError { line, message: format!("invalid TOML: {}", e.message()) }
}

/// Parse `text` as TOML into a table, or `None` when it is outside the subset (public for
/// the differential fuzz target, which holds it to the `toml` crate).
pub fn read(text: &str) -> Option<Table> {
    read_with(text, keep_all)
}

/// [`read`], leaving out the values `keep` refuses.
pub(crate) fn read_with(text: &str, keep: Keep) -> Option<Table> {
    let mut p = Reader { s: text.as_bytes(), i: 0, depth: 0, build: true };
    let mut root = Table::new();
    // Path of the table that `key = value` lines go to.
    let mut current: Vec<String> = Vec::new();
    loop {
        p.skip_blank_lines()?;
        match p.peek() {
            None => return Some(root),
            Some(b'[') => {
                let array = p.s.get(p.i + 1) == Some(&b'[');
                p.i += if array { 2 } else { 1 };
                let path = p.header_keys()?;
                if array {
                    p.expect(b"]]")?;
                } else {
                    p.expect(b"]")?;
                }
                p.end_of_line()?;
                open_header(&mut root, &path, array)?;
                current = path;
            }
            Some(_) => {
                let key = p.key()?;
                p.skip_spaces();
                p.expect(b"=")?;
                p.skip_spaces();
                p.build = keep(&current, &key);
                let value = p.value()?;
                p.end_of_line()?;
                if !std::mem::replace(&mut p.build, true) {
                    continue;
                }
                let table = table_at(&mut root, &current)?;
                if table.contains_key(&key) {
                    return None;
                }
                table.insert(key, value);
            }
        }
    }
}

/// Create the table a header names (`[a.b]`) or append to the array it names (`[[a.b]]`).
fn open_header(root: &mut Table, path: &[String], array: bool) -> Option<()> {
    let (last, parents) = path.split_last()?;
    let mut t = root;
    for k in parents {
        t = descend(t, k, true)?;
    }
    match (t.get_mut(last), array) {
        (None, false) => {
            t.insert(last.clone(), Value::Table(Table::new()));
        }
        (None, true) => {
            t.insert(last.clone(), Value::Array(vec![Value::Table(Table::new())]));
        }
        (Some(Value::Array(a)), true) if a.last().is_some_and(Value::is_table) => a.push(Value::Table(Table::new())),
        // A table defined twice, or a header over a value: the full parser decides.
        _ => return None,
    }
    Some(())
}

/// The table at `path`, going into the last element of arrays of tables.
fn table_at<'t>(root: &'t mut Table, path: &[String]) -> Option<&'t mut Table> {
    let mut t = root;
    for k in path {
        t = descend(t, k, false)?;
    }
    Some(t)
}

/// Step from a table into its child table `k` (the last element for an array of tables),
/// creating it when `create` is set and it is missing.
fn descend<'t>(t: &'t mut Table, k: &str, create: bool) -> Option<&'t mut Table> {
    if create && !t.contains_key(k) {
        t.insert(k.to_string(), Value::Table(Table::new()));
    }
    match t.get_mut(k)? {
        Value::Table(child) => Some(child),
        Value::Array(a) => a.last_mut()?.as_table_mut(),
        _ => None,
    }
}

/// The deepest nesting of arrays and inline tables the reader follows; deeper values are
/// declined, and the `toml` crate (which bounds its own recursion) reports them.
const MAX_DEPTH: u32 = 64;

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
    /// Arrays and inline tables open at the current position.
    depth: u32,
    /// False while a value that is not kept is checked: nothing is allocated for it.
    build: bool,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, what: &[u8]) -> Option<()> {
        if self.s.get(self.i..self.i + what.len())? == what {
            self.i += what.len();
            Some(())
        } else {
            None
        }
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// A comment runs to the end of the line; its characters must be allowed in TOML.
    fn skip_comment(&mut self) -> Option<()> {
        if self.peek() == Some(b'#') {
            while let Some(b) = self.peek() {
                if b == b'\n' || b == b'\r' {
                    break;
                }
                if (b < 0x20 && b != b'\t') || b == 0x7f {
                    return None;
                }
                self.i += 1;
            }
        }
        Some(())
    }

    /// Consume a line ending (`\n` or `\r\n`); `false` when there is none here.
    fn newline(&mut self) -> bool {
        match self.peek() {
            Some(b'\n') => {
                self.i += 1;
                true
            }
            Some(b'\r') if self.s.get(self.i + 1) == Some(&b'\n') => {
                self.i += 2;
                true
            }
            _ => false,
        }
    }

    /// Skip empty lines, whitespace and comment lines up to the next item.
    fn skip_blank_lines(&mut self) -> Option<()> {
        loop {
            self.skip_spaces();
            self.skip_comment()?;
            if !self.newline() {
                return match self.peek() {
                    Some(b'\r') => None,
                    _ => Some(()),
                };
            }
        }
    }

    /// Whitespace, newlines and comments inside arrays and inline tables.
    fn skip_space_in_brackets(&mut self) -> Option<()> {
        loop {
            self.skip_spaces();
            self.skip_comment()?;
            if !self.newline() {
                return Some(());
            }
        }
    }

    /// After an item: spaces, an optional comment, then the end of the line or the file.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_spaces();
        self.skip_comment()?;
        if self.peek().is_none() || self.newline() { Some(()) } else { None }
    }

    /// The keys of a header, `a.b."c d"`.
    fn header_keys(&mut self) -> Option<Vec<String>> {
        let mut keys = Vec::new();
        loop {
            self.skip_spaces();
            keys.push(self.key()?);
            self.skip_spaces();
            if self.peek() == Some(b'.') {
                self.i += 1;
            } else {
                return Some(keys);
            }
        }
    }

    /// One key: bare, "basic" or 'literal'. A dotted key (`a.b = 1`) is declined by the
    /// caller, which expects `=` next.
    fn key(&mut self) -> Option<String> {
        match self.peek()? {
            b'"' => self.basic_string(),
            b'\'' => self.literal_string(),
            _ => {
                let start = self.i;
                while matches!(self.peek(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')) {
                    self.i += 1;
                }
                if self.i == start {
                    return None;
                }
                std::str::from_utf8(&self.s[start..self.i]).ok().map(str::to_string)
            }
        }
    }

    fn value(&mut self) -> Option<Value> {
        match self.peek()? {
            b'"' => self.basic_string().map(Value::String),
            b'\'' => self.literal_string().map(Value::String),
            b'[' | b'{' if self.depth >= MAX_DEPTH => None,
            b'[' => self.nested(Self::array),
            b'{' => self.nested(Self::inline_table),
            _ => self.scalar(),
        }
    }

    /// Read an array or inline table one level deeper.
    fn nested(&mut self, read: fn(&mut Self) -> Option<Value>) -> Option<Value> {
        self.depth += 1;
        let v = read(self);
        self.depth -= 1;
        v
    }

    /// `"..."` on one line with the TOML escapes; `"""` is declined.
    fn basic_string(&mut self) -> Option<String> {
        self.expect(b"\"")?;
        if self.peek() == Some(b'"') && self.s.get(self.i + 1) == Some(&b'"') {
            return None;
        }
        let mut out: Vec<u8> = Vec::new();
        loop {
            let start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7f {
                    break;
                }
                self.i += 1;
            }
            if self.build {
                out.extend_from_slice(&self.s[start..self.i]);
            }
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return String::from_utf8(out).ok();
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek()?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'e' => '\u{1b}',
                        b'u' | b'U' => {
                            let n = if e == b'u' { 4 } else { 8 };
                            let hex = std::str::from_utf8(self.s.get(self.i..self.i + n)?).ok()?;
                            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                return None;
                            }
                            self.i += n;
                            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                        }
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => return None,
            }
        }
    }

    /// `'...'` on one line, no escapes; `'''` is declined.
    fn literal_string(&mut self) -> Option<String> {
        self.expect(b"'")?;
        if self.peek() == Some(b'\'') && self.s.get(self.i + 1) == Some(&b'\'') {
            return None;
        }
        let start = self.i;
        loop {
            match self.peek()? {
                b'\'' => break,
                b if (b < 0x20 && b != b'\t') || b == 0x7f => return None,
                _ => self.i += 1,
            }
        }
        let s = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        self.i += 1;
        Some(if self.build { s.to_string() } else { String::new() })
    }

    fn array(&mut self) -> Option<Value> {
        self.expect(b"[")?;
        let mut items = Vec::new();
        loop {
            self.skip_space_in_brackets()?;
            if self.peek()? == b']' {
                self.i += 1;
                return Some(Value::Array(items));
            }
            let v = self.value()?;
            if self.build {
                items.push(v);
            }
            self.skip_space_in_brackets()?;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {}
                _ => return None,
            }
        }
    }

    fn inline_table(&mut self) -> Option<Value> {
        self.expect(b"{")?;
        let mut t = Table::new();
        loop {
            self.skip_space_in_brackets()?;
            if self.peek()? == b'}' {
                self.i += 1;
                return Some(Value::Table(t));
            }
            let key = self.key()?;
            self.skip_spaces();
            self.expect(b"=")?;
            self.skip_space_in_brackets()?;
            let value = self.value()?;
            if self.build && t.insert(key, value).is_some() {
                return None;
            }
            self.skip_space_in_brackets()?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {}
                _ => return None,
            }
        }
    }

    /// `true`, `false`, a decimal integer or a datetime; floats and other number forms are
    /// declined.
    fn scalar(&mut self) -> Option<Value> {
        let start = self.i;
        while matches!(self.peek(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b':' | b'.' | b'+' | b'-')) {
            self.i += 1;
        }
        let token = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        match token {
            "true" => return Some(Value::Boolean(true)),
            "false" => return Some(Value::Boolean(false)),
            _ => {}
        }
        let digits = token.strip_prefix(['+', '-']).unwrap_or(token);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if digits.len() > 1 && digits.starts_with('0') {
                return None;
            }
            return token.parse::<i64>().ok().map(Value::Integer);
        }
        // A datetime written with a space before the time is declined.
        if self.peek() == Some(b' ') && self.s.get(self.i + 1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        if token.len() >= 8 && token.as_bytes()[0].is_ascii_digit() && token.contains([':', '-']) {
            return token.parse::<toml::value::Datetime>().ok().map(Value::Datetime);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let full: Table = toml::from_str(text).unwrap();
        assert_eq!(read(text), Some(full), "{text}");
    }

    #[test]
    fn reads_lockfile_shapes_as_the_toml_crate_does() {
        same(
            "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\ndependencies = [\n \"b 1.0\",\n \"c\",\n]\n\n[[package]]\nname = \"b\"\n",
        );
        same(
            "[[package]]\nname = \"x\"\nsource = { registry = \"https://pypi.org/simple\" }\nwheels = [\n    { url = \"https://e/x.whl\", hash = \"sha256:ab\", size = 123, upload-time = 2024-01-02T03:04:05.678Z },\n]\n\n[package.optional-dependencies]\ndev = [{ name = \"y\" }]\n\n[[package]]\nname = \"z\"\n",
        );
        same(
            "# comment\n[metadata]\n\"checksum a 1.0 (registry+https://x)\" = \"ff\" # trailing\n[metadata.files]\na = []\n",
        );
        same("a = 'lit\\eral'\nb = \"esc \\\" \\\\ \\n \\u00e9\"\nc = -12\nd = true\ne = 1979-05-27\r\nf = {}\n");
        same("[a]\n[a.b]\nx = 1\n[[a.c]]\n[[a.c]]\ny = [ [1, 2], [\"x\"] ]\n");
    }

    #[test]
    fn values_not_kept_are_checked_but_left_out() {
        fn no_wheels(path: &[String], key: &str) -> bool {
            !(path == ["package"] && key == "wheels")
        }
        let t =
            read_with("[[package]]\nname = \"a\"\nwheels = [\n  { url = \"x\", size = 1 },\n]\n", no_wheels).unwrap();
        assert_eq!(t["package"][0].as_table().unwrap().keys().collect::<Vec<_>>(), vec!["name"]);
        // A value left out must still be well-formed.
        assert_eq!(read_with("[[package]]\nwheels = [ { url = \"x\" \n", no_wheels), None);
        assert_eq!(read_with("[[package]]\nwheels = 1.5\n", no_wheels), None);
    }

    #[test]
    fn declines_what_it_does_not_handle() {
        for text in [
            "a = 1.5\n",
            "a = \"\"\"\nx\"\"\"\n",
            "a.b = 1\n",
            "a = 1\na = 2\n",
            "[a]\n[a]\n",
            "a = 007\n",
            "a = 1979-05-27 07:32:00\n",
            "a = inf\n",
            "[[package]\nname = \"x\"\n",
            "name = \"unterminated\n",
            "a = [1, 2\n",
            "a = 1 b = 2\n",
            "a = \"bad \\q escape\"\n",
            "a = 1\r",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }

    #[test]
    fn every_toml_lockfile_fixture_reads_the_same() {
        let mut read_fast = 0;
        for (path, text) in crate::testing::fixture_files(&["Cargo.lock", "uv.lock", "poetry.lock"]) {
            match toml::from_str::<Table>(&text) {
                Ok(full) => {
                    let fast = read(&text);
                    assert!(fast.is_some(), "{} was declined", path.display());
                    assert_eq!(fast, Some(full), "{}", path.display());
                    read_fast += 1;
                }
                // A corrupt fixture: the fast reader must not make sense of it either.
                Err(_) => assert_eq!(read(&text), None, "{}", path.display()),
            }
        }
        assert!(read_fast >= 5, "only {read_fast} lockfiles read");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for (open, close) in [("[", "]"), ("{a = ", "}")] {
            let n = 80 * 1024 / open.len();
            let text = format!("[[package]]\nname = \"a\"\nx = {}1{}\n", open.repeat(n), close.repeat(n));
            assert_eq!(read(&text), None);
            let e = parse_lockfile(&text, keep_all).unwrap_err();
            assert_eq!(e.line, Some(3), "{e:?}");
        }
        // Nesting up to the limit is read.
        let d = MAX_DEPTH as usize;
        same(&format!("x = {}1{}\n", "[".repeat(d), "]".repeat(d)));
    }
}
