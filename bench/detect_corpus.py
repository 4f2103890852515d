#!/usr/bin/env python3
"""Build the labeled detection corpus in fixtures/detect/corpus/ from real files.

Sources, each labeled by something other than the detector:
  crates/   license files and source headers of the crates in ~/.cargo/registry/src,
            labeled with the crate's Cargo.toml `license` (a license file named
            LICENSE-MIT / LICENSE-APACHE takes the id its name states);
  npm/      license files of packages fetched with `npm pack` (no install scripts run),
            labeled with package.json `license`;
  noisy/    SPDX license texts (from the spdx crate's copy of the SPDX list) with realistic
            noise: rewrapped, set in comment markers or markdown, copyright lines before;
  negative/ real source files that mention licenses in code or prose but state none.

labels.json maps each file to {"kind", "expected"}: kind is license-file, header, noisy-text
or negative; expected the SPDX ids the file states (empty for negatives).

Usage: bench/detect_corpus.py [--npm]   (run from the repository root; deterministic)
"""
import json, os, random, re, shutil, subprocess, sys, tarfile, tempfile, glob

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures/detect/corpus")
REG = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/")))[0]
DEPRECATED = {"GPL-2.0": "GPL-2.0-only", "GPL-3.0": "GPL-3.0-only", "LGPL-2.1": "LGPL-2.1-only",
              "LGPL-3.0": "LGPL-3.0-only", "AGPL-3.0": "AGPL-3.0-only", "GPL-2.0+": "GPL-2.0-or-later",
              "GPL-3.0+": "GPL-3.0-or-later", "LGPL-2.1+": "LGPL-2.1-or-later", "LGPL-3.0+": "LGPL-3.0-or-later"}
NAME_HINTS = [("APACHE", "Apache-2.0"), ("MIT", "MIT"), ("BSD", None), ("ZLIB", "Zlib"), ("UNLICENSE", "Unlicense"),
              ("ISC", "ISC"), ("BOOST", "BSL-1.0"), ("CC0", "CC0-1.0"), ("MPL", "MPL-2.0")]
NPM_PACKAGES = [
    "lodash", "tslib", "typescript", "rxjs", "glob", "semver", "argparse", "node-forge", "jszip", "dompurify",
    "esprima", "source-map", "uglify-js", "pako", "sax", "json-schema", "highlight.js", "spdx-exceptions",
    "spdx-license-ids", "caniuse-lite", "mdn-data", "inherits", "flatted", "leaflet", "d3", "ol", "@wordpress/element",
    "jsxgraph", "atob", "big-integer", "xmldom", "entities", "esquery", "regjsparser", "bignumber.js", "sprintf-js",
    "diff", "minimatch", "ajv", "tweetnacl", "jsbn", "pdfjs-dist", "@ckeditor/ckeditor5-utils", "three", "handlebars",
    "highcharts", "chart.js", "moment", "underscore", "jquery", "web-streams-polyfill", "domhandler", "rc",
]

labels = {}

# Labels corrected by reading the file: the manifest states the package's license, these
# files state more (or something else) themselves.
OVERRIDES = {
    # Tom Wu's license, which the SPDX list names MIT-Wu.
    "npm/jsbn-1.1.0/LICENSE": ["MIT-Wu"],
    # Sample code in the docs is waived via CC0.
    "npm/lodash-4.18.1/LICENSE": ["MIT", "CC0-1.0"],
    # Gutenberg: GPL-2.0-or-later and MPL-2.0, both texts in full.
    "npm/wordpress-element-8.8.0/LICENSE.md": ["GPL-2.0-or-later", "MPL-2.0"],
    # The header says the gist was posted under CC0 1.0.
    "crates/tower-http-0.6.11/src__compression__pin_project_cfg.rs": ["CC0-1.0"],
}


def ids_of(expr):
    toks = re.findall(r"[A-Za-z0-9.+-]+", expr or "")
    return sorted({DEPRECATED.get(t, t) for t in toks if t.upper() not in ("AND", "OR", "WITH")})


seen_texts = {}


def put(rel, text, kind, expected):
    # Identical copies (the same LICENSE-APACHE in fifty crates) teach nothing new: two suffice.
    key = hash(text)
    seen_texts[key] = seen_texts.get(key, 0) + 1
    if seen_texts[key] > 2:
        return
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    labels[rel] = {"kind": kind, "expected": expected}


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


def crate_license(d):
    try:
        t = read(os.path.join(d, "Cargo.toml"))
    except OSError:
        return None
    m = re.search(r'^license\s*=\s*"([^"]+)"', t, re.M)
    return m.group(1).replace("/", " OR ") if m else None


def license_file_label(fname, declared):
    up = fname.upper()
    ids = ids_of(declared)
    for hint, lid in NAME_HINTS:
        if hint in up:
            if lid is None:
                bsd = [i for i in ids if i.startswith("BSD")]
                return bsd if len(bsd) == 1 else None
            if lid not in ids:
                return None
            # "LICENSE-Apache-2.0_WITH_LLVM-exception": the exception text is in the file too.
            exc = [i for i in ids if "exception" in i.lower() and i.upper() in up]
            return [lid] + exc
    return ids if len(ids) == 1 else None


HEADER_WORDS = re.compile(r"licen[sc]e|spdx", re.I)


def crates():
    for d in sorted(glob.glob(REG + "*/")):
        name = os.path.basename(d.rstrip("/"))
        declared = crate_license(d)
        if not declared:
            continue
        for f in sorted(os.listdir(d)):
            if re.match(r"(?i)(licen[sc]e|copying|unlicense)", f) and os.path.isfile(os.path.join(d, f)):
                lab = license_file_label(f, declared)
                if lab:
                    put(f"crates/{name}/{f}", read(os.path.join(d, f)), "license-file", lab)
        # Source headers: the first 40 lines of source files whose header speaks of a license.
        srcs = sorted(glob.glob(d + "src/**/*.rs", recursive=True))[:40]
        taken = 0
        for s in srcs:
            head = "".join(read(s).splitlines(True)[:40])
            comment = "\n".join(l for l in head.splitlines() if l.lstrip().startswith(("//", "/*", "*", "#")))
            if taken >= 2 or not HEADER_WORDS.search(comment):
                continue
            put(f"crates/{name}/{os.path.relpath(s, d).replace('/', '__')}", head, "header", ids_of(declared))
            taken += 1


def npm():
    # Tarballs only (`npm pack`: no dependencies, no install scripts), cached in bench/out/npm.
    cache = os.path.join(ROOT, "bench/out/npm")
    os.makedirs(cache, exist_ok=True)
    if not glob.glob(os.path.join(cache, "*.tgz")):
        subprocess.run(["npm", "pack", "--silent", *NPM_PACKAGES], cwd=cache, capture_output=True, text=True)
    for tgz in sorted(glob.glob(os.path.join(cache, "*.tgz"))):
        with tarfile.open(tgz) as tf:
            members = {m.name: m for m in tf.getmembers() if m.isfile()}
            pj = members.get("package/package.json")
            if not pj:
                continue
            meta = json.load(tf.extractfile(pj))
            declared = meta.get("license")
            if isinstance(declared, dict):
                declared = declared.get("type")
            if not isinstance(declared, str) or "SEE " in declared.upper():
                declared = None
            pname = os.path.basename(tgz)[:-4]
            for name, m in sorted(members.items()):
                base = name.split("/")[-1]
                if name.count("/") == 1 and re.match(r"(?i)(licen[sc]e|copying)", base) and declared:
                    lab = license_file_label(base, declared)
                    if lab:
                        put(f"npm/{pname}/{base}", tf.extractfile(m).read().decode("utf-8", "replace"), "license-file", lab)


COMMON = ["MIT", "Apache-2.0", "BSD-3-Clause", "BSD-2-Clause", "ISC", "GPL-2.0-only", "GPL-3.0-only", "LGPL-2.1-only",
          "LGPL-3.0-only", "AGPL-3.0-only", "MPL-2.0", "Unlicense", "CC0-1.0", "Zlib", "BSL-1.0", "0BSD", "EPL-2.0",
          "EPL-1.0", "EUPL-1.2", "CDDL-1.0", "Artistic-2.0", "MIT-0", "BSD-4-Clause", "OFL-1.1", "PostgreSQL", "WTFPL"]


def spdx_texts():
    base = glob.glob(REG + "spdx-0.13*/src/text/licenses/")[0]
    index = read(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(base))), "text.rs"))
    pairs = re.findall(r'\(\s*"([^"]+)",\s*include!\("text/licenses/([^"]+)"\)', index)
    files = {i: f for i, f in pairs}
    return base, files


def noisy():
    rnd = random.Random(7)
    base, files = spdx_texts()
    deprecated = set(re.findall(r'"([^"]+)"', " ".join(DEPRECATED)))
    # Current ids only: deprecated ones name texts that have a current id of their own.
    spdx_ids = read(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(base))), "identifiers.rs"))
    deprecated |= set(re.findall(r'name: "([^"]+)",[^}]*?flags: [^}]*IS_DEPRECATED', spdx_ids))
    others = sorted(i for i in files if i not in COMMON and i not in deprecated and "-with-" not in i and not i.endswith("+"))
    chosen = COMMON + rnd.sample(others, 50)
    for n, lid in enumerate(chosen):
        raw = read(os.path.join(base, files[lid]))
        text = raw.strip()
        text = text[text.index('"') + 1:text.rindex('"')] if text.startswith("r") else text
        style = n % 5
        holder = rnd.choice(["Jane Roe", "ACME Datenverarbeitung GmbH", "The Foo Project Authors", "Stadt Musterstadt"])
        words = text.split()
        width = rnd.choice([60, 72, 80, 100])
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
        wrapped = []
        for p in paras:
            line = ""
            for w in p.split(" "):
                if len(line) + len(w) + 1 > width and line:
                    wrapped.append(line)
                    line = w
                else:
                    line = (line + " " + w).strip()
            wrapped.append(line)
            wrapped.append("")
        body = "\n".join(wrapped)
        cr = f"Copyright (c) {rnd.randint(1998, 2024)} {holder}\n\n"
        if style == 0:
            out = cr + body
        elif style == 1:
            out = "\n".join(("// " + l).rstrip() for l in (cr + body).splitlines()) + "\n\nfn main() {}\n"
        elif style == 2:
            out = "/*\n" + "\n".join((" * " + l).rstrip() for l in (cr + body).splitlines()) + "\n */\npackage foo;\n"
        elif style == 3:
            out = "# License\n\n" + cr + body
        else:
            out = "\n".join(("# " + l).rstrip() for l in (cr + body).splitlines()) + "\n\nimport os\n"
        assert words
        put(f"noisy/{lid}.txt", out, "noisy-text", [lid])


def negatives():
    # Source files that talk about licenses in code or prose without stating one.
    cands = []
    for d in ["spdx-0.13*/src", "jsonschema-0.61*/src", "cc-1.*/src", "clap_builder-4*/src", "ignore-0.4*/src",
              "toml-1*/src", "serde_json-1*/src", "syn-2*/src"]:
        for s in sorted(glob.glob(REG + d + "/**/*.rs", recursive=True)):
            t = read(s)
            if len(t) > 60000 or "/text/" in s:
                continue
            if re.search(r"(?i)licen[sc]e|copyright", t) and not re.search(
                    r"(?i)licen[sc]ed\b|license-identifier|permission is hereby|redistribution and use|copyright \(c\)|copyright \d|released under|distributed under|all rights reserved|public domain",
                    t):
                cands.append(s)
    for s in cands[:60]:
        rel = os.path.relpath(s, REG).replace("/", "__")
        put(f"negative/{rel}", read(s), "negative", [])


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    crates()
    if "--npm" in sys.argv:
        npm()
    noisy()
    negatives()
    for rel, expected in OVERRIDES.items():
        if rel in labels:
            labels[rel]["expected"] = expected
    with open(os.path.join(OUT, "labels.json"), "w") as f:
        json.dump(dict(sorted(labels.items())), f, indent=1, sort_keys=True)
    kinds = {}
    for v in labels.values():
        kinds[v["kind"]] = kinds.get(v["kind"], 0) + 1
    print(len(labels), "files", kinds)


if __name__ == "__main__":
    main()
