#!/usr/bin/env python3
"""Regenerate kataster's compact rule index from ScanCode's LicenseDB rules and texts.

The licenses (`licensedcode/data/licenses/*.LICENSE`) and rules
(`licensedcode/data/rules/*.RULE`) of ScanCode's LicenseDB (CC-BY-4.0, nexB Inc. and
others) ship inside the PyPI package `scancode-toolkit`. This script downloads the pinned
wheel with pip, checks its sha256, reads every license and rule (YAML front matter and
text) and writes:

  rules.bin.z    the compact index the binary embeds (zlib): a token dictionary, the
                 license expressions, and every rule as token ids with its flags
                 (format below)
  licenses.tsv   the catalogue's license metadata, one line per license, sorted by key

Tokens are the words of kataster's word stream (crates/detect/src/lines.rs): comment leaders and
closers stripped per line, lower case letters and digits, `.` between digits and a `+`
ending a word kept, URLs and <e-mail> addresses dropped. The Rust side checks that it
reads the same words (a unit test tokenizes the embedded identifiers' texts again).

Rules flagged `is_false_positive` are kept without an expression (flag 256): text that
reads like a license statement and is not one; a match of such a rule suppresses the
findings inside it. Rules that consist of URLs only (the stream drops URLs) are written in
a section of their own, as the URLs. Required phrases (the parts of a rule's text between
`{{` and `}}`, which a match must hold whole) are kept as token spans.

Left out: deprecated rules and licenses, and the rules and texts of
the generic and unknown keys (`is_generic`, `is_unknown`, category "Unstated License":
warranty disclaimers, "see license", "unknown license reference"), which name no license
and for which kataster has its own markers.

Format of rules.bin (after zlib), integers as unsigned LEB128 varints, strings as a
varint byte length and UTF-8:
  magic "KSCR2\\n", catalogue version string,
  word count, words (ids by falling frequency, then by word),
  expression count, expressions (SPDX ids or LicenseRef-scancode-KEY, AND/OR/WITH; the
  empty expression of false-positive rules),
  rule count, per rule: identifier, expression index, flags (varint), minimum coverage
  byte (0 = none stated), relevance byte, token count, token ids, required phrase count,
  per required phrase its first token and its token count,
  URL rule count, per URL rule: identifier, expression index, flags (varint), the URL.
Flags: 1 license text, 2 notice, 4 reference, 8 tag, 16 intro, 32 clue,
  64 required phrase, 128 continuous, 256 false positive.

Usage:  python3 license-db/scancode/generate_rules.py [--wheel PATH]
Standard library only (pip is run as a program).
"""

import argparse
import collections
import hashlib
import io
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile
import zlib

PACKAGE = "scancode-toolkit"
VERSION = "32.5.0"
WHEEL = "scancode_toolkit-32.5.0-cp311-none-any.whl"
SHA256 = "327d20a0de71d49930d8a6919c2b6d54c2acf4dd0a1d48da9a71dd4ce7b97b78"
DATA = "licensedcode/data/"

HERE = pathlib.Path(__file__).resolve().parent

FLAGS = [
    ("is_license_text", 1),
    ("is_license_notice", 2),
    ("is_license_reference", 4),
    ("is_license_tag", 8),
    ("is_license_intro", 16),
    ("is_license_clue", 32),
    ("is_required_phrase", 64),
    ("is_continuous", 128),
    ("is_false_positive", 256),
]
# Stand-ins for the required-phrase braces while a rule's text is cut into words.
OPEN, CLOSE = "kataster0phrase0open", "kataster0phrase0close"
URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'()\[\]{}]+", re.I)

LEADERS = ["<!--", "/**", "/*!", "/*", "//!", "///", "//", "(*", "{-", "--", "#", "*", ";", "%", "!", "'",
           '"""', "'''", ">", "|", "dnl ", "REM ", "rem ", "@REM ", "::"]
CLOSERS = ["-->", "*/", "*)", "-}", '"""', "'''", "*", "#"]


def fetch_wheel(path):
    if path:
        data = pathlib.Path(path).read_bytes()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                 "--python-version", "3.11", "--dest", tmp, f"{PACKAGE}=={VERSION}"],
                check=True,
            )
            data = (pathlib.Path(tmp) / WHEEL).read_bytes()
    got = hashlib.sha256(data).hexdigest()
    if got != SHA256:
        sys.exit(f"sha256 mismatch for {WHEEL}: {got}")
    return zipfile.ZipFile(io.BytesIO(data))


def front_matter(text):
    """The YAML front matter (the subset the catalogue uses) and the body."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    head, body = text[3:end], text[end + 4:]
    meta, key = {}, None
    for line in head.split("\n"):
        if not line.strip():
            continue
        if line[0] not in " \t-" and ":" in line:
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            meta[key] = unquote(value) if value not in ("|", ">", "") else []
        elif key is not None and line.strip().startswith("- ") and isinstance(meta.get(key), list):
            meta[key].append(unquote(line.strip()[2:].strip()))
    return meta, body


def unquote(v):
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


def yes(meta, key):
    return str(meta.get(key, "")).lower() in ("yes", "true")


def strip_comment(line):
    s = line.strip()
    while True:
        before = len(s)
        for lead in LEADERS:
            if s.startswith(lead):
                s = s[len(lead):].lstrip()
                break
        if len(s) == before:
            break
    while True:
        before = len(s)
        for close in CLOSERS:
            if s.endswith(close):
                s = s[: len(s) - len(close)].rstrip()
                break
        if len(s) == before:
            break
    return s


def starts_url(s, i):
    low = s[i:i + 8].lower()
    if low.startswith(("http://", "https://", "www.", "<http")):
        return True
    if s[i] == "<":
        head = s[i:i + 120]
        for j, c in enumerate(head):
            if c in "> ":
                return c == ">" and "@" in head[:j]
    return False


def words(text):
    """The words of kataster's stream (crates/detect/src/lines.rs, Stream::push_line)."""
    out = []
    for raw in text.split("\n"):
        line = strip_comment(raw.rstrip("\r"))
        cur, in_word, i, n = [], False, 0, len(line)
        while i < n:
            c = line[i]
            if ord(c) < 0x80 and not in_word and c in "hHwW<" and starts_url(line, i):
                while i < n and not line[i].isspace() and line[i] not in ">)":
                    i += 1
                continue
            keep = c.isalnum() or (in_word and (
                c == "+" or (c == "." and i > 0 and line[i - 1].isdigit() and i + 1 < n and line[i + 1].isdigit())))
            if keep:
                if not in_word:
                    if cur:
                        out.append("".join(cur))
                    cur, in_word = [], True
                cur.append(c.lower())
            else:
                in_word = False
            i += 1
        if cur:
            out.append("".join(cur))
    return out


def phrase_words(body):
    """The words of a rule's text and its required phrases as (first token, token count).
    The spans are dropped where the braces would change how a line is read."""
    plain = words(body)
    if "{{" not in body:
        return plain, []
    marked = words(body.replace("{{", f" {OPEN} ").replace("}}", f" {CLOSE} "))
    out, spans, start = [], [], None
    for w in marked:
        if w == OPEN:
            start = len(out)
        elif w == CLOSE:
            if start is not None and len(out) > start:
                spans.append((start, len(out) - start))
            start = None
        else:
            out.append(w)
    if out != plain:
        return plain, []
    return plain, spans


def url_of(body):
    """The first URL of a rule that is URLs only, without trailing punctuation."""
    m = URL.search(body)
    return m.group(0).rstrip(".,;:") if m else None


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def string(s):
    b = s.encode("utf-8")
    return varint(len(b)) + b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", help="a downloaded copy of the pinned wheel (checked by sha256)")
    args = ap.parse_args()
    wheel = fetch_wheel(args.wheel)
    names = sorted(n for n in wheel.namelist() if n.startswith(DATA))

    licenses = {}
    texts = {}
    for name in names:
        if not name.startswith(DATA + "licenses/") or not name.endswith(".LICENSE"):
            continue
        meta, body = front_matter(wheel.read(name).decode("utf-8", "replace"))
        key = meta.get("key")
        if not key:
            continue
        licenses[key] = meta
        texts[key] = body

    def license_id(key):
        m = licenses.get(key, {})
        sid = m.get("spdx_license_key")
        return sid if isinstance(sid, str) and sid else f"LicenseRef-scancode-{key}"

    def generic(m):
        return yes(m, "is_generic") or yes(m, "is_unknown") or m.get("category") == "Unstated License"

    def expression(expr):
        out = []
        for tok in expr.replace("(", " ( ").replace(")", " ) ").split():
            low = tok.lower()
            if low in ("and", "or", "with"):
                out.append(low.upper())
            elif tok in "()":
                out.append(tok)
            elif low in licenses and generic(licenses[low]):
                return "generic"
            elif low in licenses and not yes(licenses[low], "is_deprecated"):
                out.append(license_id(low))
            else:
                return None
        return " ".join(out).replace("( ", "(").replace(" )", ")")

    rules = []  # (identifier, expression, flags, min_cov, relevance, words, required phrases)
    url_rules = []  # (identifier, expression, flags, url)
    skipped = collections.Counter()
    for key, body in sorted(texts.items()):
        meta = licenses[key]
        if yes(meta, "is_deprecated") or generic(meta):
            skipped["deprecated-or-generic-license"] += 1
            continue
        w = words(body)
        if not w:
            skipped["empty"] += 1
            continue
        cov = int(meta.get("minimum_coverage") or 0)
        rules.append((f"{key}.LICENSE", license_id(key), 1, cov, 100, w, []))
    for name in names:
        if not name.startswith(DATA + "rules/") or not name.endswith(".RULE"):
            continue
        meta, body = front_matter(wheel.read(name).decode("utf-8", "replace"))
        ident = name.rsplit("/", 1)[1]
        if yes(meta, "is_deprecated"):
            skipped["deprecated"] += 1
            continue
        flags = sum(bit for f, bit in FLAGS if yes(meta, f))
        if flags & 256:
            w = words(body)
            if w:
                rules.append((ident, "", flags, 0, 100, w, []))
            else:
                skipped["false-positive-without-words"] += 1
            continue
        expr = expression(meta.get("license_expression") or "")
        if expr == "generic":
            skipped["generic"] += 1
            continue
        if not expr:
            skipped["no-expression"] += 1
            continue
        w, spans = phrase_words(body)
        if not w:
            url = url_of(body)
            if url:
                url_rules.append((ident, expr, flags, url))
            else:
                skipped["empty"] += 1
            continue
        cov = int(meta.get("minimum_coverage") or 0)
        rel = int(meta.get("relevance") or 100)
        rules.append((ident, expr, flags, min(cov, 100), min(rel, 100), w, spans))

    freq = collections.Counter(t for r in rules for t in r[5])
    vocab = sorted(freq, key=lambda t: (-freq[t], t))
    ids = {t: i for i, t in enumerate(vocab)}
    exprs = sorted({r[1] for r in rules} | {u[1] for u in url_rules})
    eids = {e: i for i, e in enumerate(exprs)}

    out = bytearray(b"KSCR2\n")
    out += string(f"{PACKAGE} {VERSION}")
    out += varint(len(vocab))
    for t in vocab:
        out += string(t)
    out += varint(len(exprs))
    for e in exprs:
        out += string(e)
    out += varint(len(rules))
    for ident, expr, flags, cov, rel, w, spans in rules:
        out += string(ident) + varint(eids[expr]) + varint(flags) + bytes([cov, rel]) + varint(len(w))
        for t in w:
            out += varint(ids[t])
        out += varint(len(spans))
        for first, n in spans:
            out += varint(first) + varint(n)
    out += varint(len(url_rules))
    for ident, expr, flags, url in url_rules:
        out += string(ident) + varint(eids[expr]) + varint(flags) + string(url)
    (HERE / "rules.bin.z").write_bytes(zlib.compress(bytes(out), 9))

    lines = [
        f"# ScanCode LicenseDB licenses, as shipped in {PACKAGE} {VERSION}.",
        "# Data: ScanCode LicenseDB, Copyright (c) nexB Inc. and others, CC-BY-4.0,",
        "# https://scancode-licensedb.aboutcode.org/ . Generated by license-db/scancode/generate_rules.py:",
        "# do not edit by hand.",
        "# Columns (tab-separated): key, id, name, category, owner, homepage url, text urls (space-separated),",
        "# flags (d deprecated, x exception).",
    ]
    for key in sorted(licenses):
        m = licenses[key]
        urls = m.get("text_urls") if isinstance(m.get("text_urls"), list) else []
        flags = ("d" if yes(m, "is_deprecated") else "") + ("x" if yes(m, "is_exception") else "")
        cols = [key, license_id(key), m.get("name") or "-", m.get("category") or "-", m.get("owner") or "-",
                m.get("homepage_url") or "-", " ".join(urls) or "-", flags or "-"]
        lines.append("\t".join(str(c).replace("\t", " ") if c != [] else "-" for c in cols))
    (HERE / "licenses.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rules)} rules ({sum(1 for r in rules if r[0].endswith('.LICENSE'))} license texts, "
          f"{sum(1 for r in rules if r[2] & 256)} false positives, "
          f"{sum(1 for r in rules if r[6])} with required phrases), {len(url_rules)} URL rules, "
          f"{len(vocab)} words, {len(exprs)} expressions, {sum(len(r[5]) for r in rules)} tokens; "
          f"left out: {dict(sorted(skipped.items()))}; rules.bin.z {(HERE / 'rules.bin.z').stat().st_size} bytes")


if __name__ == "__main__":
    main()
