#!/usr/bin/env python3
"""Seed fuzz/corpus/<target>/ from the fixtures (and fuzz/regressions/<target>/): the
repository's fixtures/ and each ecosystem's crates/ecosystems/src/<folder>/fixtures/.

A cataloger target's input is one byte naming the file (an index into the target's list of
names in fuzz/src/lib.rs) followed by the file; this script finds every fixture file that
one of those names claims and writes it with that byte in front.
"""
import hashlib
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
ecosystems = os.path.join(repo, "crates", "ecosystems", "src")
roots = [os.path.join(repo, "fixtures")] + sorted(
    p for p in (os.path.join(ecosystems, d, "fixtures") for d in os.listdir(ecosystems)) if os.path.isdir(p)
)

lib = open(os.path.join(here, "src", "lib.rs"), encoding="utf-8").read()
block = lib[lib.index("pub const NAMES"):lib.index("];", lib.index("pub const NAMES"))]
names = {}
for m in re.finditer(r'\(\s*"([^"]+)",\s*&\[(.*?)\],?\s*\)', block, re.S):
    names[m.group(1)] = re.findall(r'"([^"]+)"', m.group(2))
targets = {
    "catalog_" + ("python" if e == "pypi" else "ruby" if e == "gem" else "go" if e == "golang" else e): e
    for e in names
}


def base(p):
    return p.rsplit("/", 1)[-1]


def pick(eco, rel):
    """The index of the name a fixture file is fuzzed under, or None."""
    b = base(rel)
    for i, n in enumerate(names[eco]):
        nb = base(n)
        if b == nb or (nb.startswith("a.") and b.endswith(nb[1:])):
            return i
        if nb == "requirements.txt" and b.endswith(".txt") and "requirements" in rel:
            return i
        if nb.endswith(".lockfile") and b.endswith(".lockfile") and ("/" in n) == ("gradle/dependency-locks/" in rel):
            return i
    return None


def write(target, data):
    d = os.path.join(here, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


# (folder of fixtures, path relative to it)
files = []
for root in roots:
    for dirpath, _, filenames in os.walk(root):
        for f in filenames:
            p = os.path.join(dirpath, f)
            if os.path.islink(p) or not os.path.isfile(p) or os.path.getsize(p) > 256 * 1024:
                continue
            files.append((root, os.path.relpath(p, root).replace(os.sep, "/")))
files.sort()

counts = {}
for root, rel in files:
    data = open(os.path.join(root, rel), "rb").read()
    for target, eco in targets.items():
        i = pick(eco, rel)
        if i is not None:
            write(target, bytes([i]) + data)
            counts[target] = counts.get(target, 0) + 1
    b = base(rel)
    if b == "kataster.toml" or rel.startswith("policy/") and b.endswith(".toml"):
        write("policy", data)
        counts["policy"] = counts.get("policy", 0) + 1
    if rel.startswith("detect/") or re.match(r"(?i)(licen[cs]e|copying|notice)", b):
        write("detect", data)
        counts["detect"] = counts.get("detect", 0) + 1
    if b in ("Cargo.lock", "uv.lock", "poetry.lock") or b.endswith(".toml"):
        write("toml_fast", data)
        counts["toml_fast"] = counts.get("toml_fast", 0) + 1
    if b == "package.json" or b == "composer.json":
        for m in re.finditer(rb'"license"\s*:\s*"([^"]*)"', data):
            write("expression", m.group(1))
            counts["expression"] = counts.get("expression", 0) + 1
for e in [b"MIT OR Apache-2.0", b"(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0",
          b"GPL-2.0+ AND LicenseRef-x", b"(BSD-3-Clause OR (MIT AND ISC))"]:
    write("expression", e)

# Inputs that once crashed a target stay in its corpus.
reg = os.path.join(here, "regressions")
if os.path.isdir(reg):
    for target in sorted(os.listdir(reg)):
        for f in sorted(os.listdir(os.path.join(reg, target))):
            write(target, open(os.path.join(reg, target, f), "rb").read())
for t in sorted(counts):
    print(f"{t}: {counts[t]} seeds", file=sys.stderr)
