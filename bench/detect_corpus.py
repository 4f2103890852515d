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
  negative/ real source files that mention licenses in code or prose but state none;
  npm-src/  source headers (first 40 lines with license words in a comment) of the npm
            packages above, labeled with package.json `license`;
  pypi/     source headers of Python packages fetched with `pip download --no-deps` (wheels,
            nothing installed or run), labeled with the wheel's License-Expression or its
            one license classifier;
  catalogue/ license files of npm packages under licenses that are not on the SPDX list
            (commercial component libraries, source-available licenses), labeled by
            reading the file (CATALOGUE_LABELS);
  github/   the header lines of C and C++ sources of 12 projects on GitHub, at a pinned
            commit each, labeled by reading the header (GITHUB_HEADERS): GNU notices that
            name their project, ISC and zlib texts in comments, one-line grants, dual and
            triple choices, a source-available header. Read from clones of the
            repositories in a folder named by --git (DIR/owner+name or DIR/owner+name/repo).

labels.json maps each file to {"kind", "expected"}: kind is license-file, header, noisy-text
or negative; expected the SPDX ids the file states (empty for negatives).

Usage: bench/detect_corpus.py [--npm] [--pypi] [--catalogue] [--git DIR]   (from the repository root)
       bench/detect_corpus.py --only SECTION...   (rebuild those sections, keep the others)
"""
import json, os, random, re, shutil, subprocess, sys, tarfile, tempfile, glob, zipfile

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

PYPI_PACKAGES = [
    "requests", "urllib3", "six", "attrs", "click", "flask", "jinja2", "pyyaml", "chardet", "twisted",
    "sqlalchemy", "certifi", "idna", "cryptography", "ansible-core", "scapy", "pylint", "astroid", "mutagen",
    "pygments", "babel", "werkzeug", "tornado", "zope.interface", "pyasn1", "rsa", "gunicorn", "pexpect",
    "ptyprocess", "psutil", "setuptools", "pyparsing", "paramiko", "numpy", "matplotlib", "pillow",
    "django", "docutils", "sympy", "networkx", "mpmath", "pycparser", "ply", "bottle", "cherrypy", "markdown",
    "beautifulsoup4", "html5lib", "reportlab", "pyserial", "pyusb", "nltk", "gitpython", "dulwich",
]
CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: BSD License": None,
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: Zope Public License": "ZPL-2.1",
    "License :: OSI Approved :: GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
}
# npm packages whose license is not on the SPDX list; the ids were read off the files.
CATALOGUE_PACKAGES = ["ag-grid-enterprise", "@mui/x-data-grid-premium", "@mui/x-license", "n8n-workflow",
                      "@progress/kendo-ui", "devextreme"]
CATALOGUE_LABELS = {
    "catalogue/ag-grid-enterprise/LICENSE.html": ["LicenseRef-scancode-ag-grid-enterprise"],
    "catalogue/mui-x-data-grid-premium/LICENSE": ["LicenseRef-scancode-mui-x-eula-2024"],
    "catalogue/mui-x-license/LICENSE": ["LicenseRef-scancode-mui-x-eula-2024"],
    "catalogue/n8n-workflow/LICENSE.md": ["SUL-1.0"],
    "catalogue/n8n-workflow/LICENSE_EE.md": ["LicenseRef-scancode-n8n-ee-2022"],
    "catalogue/progress-kendo-ui/LICENSE": ["LicenseRef-scancode-telerik-eula"],
    "catalogue/devextreme/license": ["LicenseRef-scancode-devexpress-eula"],
}

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
    # Headers that state the license of code they took in, not the package's.
    "npm-src/node-forge-1.4.4/lib__baseN.js": ["MIT"],
    "npm-src/node-forge-1.4.4/lib__jsbn.js": ["MIT-Wu"],
    "npm-src/wordpress-element-8.8.0/src__serialize.ts": ["MIT"],
    "pypi/networkx/networkx__algorithms__bipartite__matching.py": ["CC-BY-SA-3.0", "LicenseRef-kataster-public-domain"],
    "pypi/urllib3/urllib3__util__ssl_match_hostname.py": ["PSF-2.0"],
    "pypi/pillow/PIL__BlpImagePlugin.py": ["CC0-1.0"],
    "pypi/pillow/PIL__DdsImagePlugin.py": ["CC0-1.0"],
    "pypi/pillow/PIL__FtexImagePlugin.py": ["CC0-1.0"],
}
# Bundled third-party code carries its own license, not the package's.
VENDORED = re.compile(r"(^|/)(_?vendor(ed)?|third_party|extern(al)?s?|node_modules)/")


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


DOCSTRING = ('"' * 3, "'" * 3)


def comment_head(text):
    """The first 40 lines, when their comments or docstring speak of a license."""
    head = "".join(text.splitlines(True)[:40])
    in_doc = any(q in head for q in DOCSTRING)
    comment = "\n".join(l for l in head.splitlines()
                        if in_doc or l.lstrip().startswith(("//", "/*", "*", "#")))
    return head if HEADER_WORDS.search(comment) else None


def npm_sources():
    for tgz in sorted(glob.glob(os.path.join(ROOT, "bench/out/npm", "*.tgz"))):
        with tarfile.open(tgz) as tf:
            members = {m.name: m for m in tf.getmembers() if m.isfile()}
            pj = members.get("package/package.json")
            if not pj:
                continue
            declared = json.load(tf.extractfile(pj)).get("license")
            if not isinstance(declared, str) or "SEE " in declared.upper() or "://" in declared:
                continue
            pname = os.path.basename(tgz)[:-4]
            taken = 0
            for name in sorted(members):
                if taken >= 3 or not re.search(r"\.(js|mjs|ts|css)$", name) or ".min." in name or VENDORED.search(name):
                    continue
                head = comment_head(tf.extractfile(members[name]).read(200000).decode("utf-8", "replace"))
                if head:
                    put(f"npm-src/{pname}/{name[len('package/'):].replace('/', '__')}", head, "header",
                        ids_of(declared))
                    taken += 1


def pypi():
    cache = os.path.join(ROOT, "bench/out/pypi")
    os.makedirs(cache, exist_ok=True)
    if not glob.glob(os.path.join(cache, "*.whl")):
        for pkg in sorted(set(PYPI_PACKAGES)):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
                            "--dest", cache, pkg], capture_output=True, text=True)
    for whl in sorted(glob.glob(os.path.join(cache, "*.whl"))):
        with zipfile.ZipFile(whl) as z:
            meta = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
            if not meta:
                continue
            m = z.read(meta[0]).decode("utf-8", "replace").split("\n\n", 1)[0]
            expr = re.search(r"^License-Expression:\s*(.+)$", m, re.M)
            if expr:
                label = ids_of(expr.group(1))
            else:
                cls = [CLASSIFIERS.get(c.strip(), "?") for c in re.findall(r"^Classifier:\s*(License ::.+)$", m, re.M)]
                if len(cls) != 1 or not cls[0] or cls[0] == "?":
                    continue
                label = [cls[0]]
            pname = os.path.basename(whl).split("-")[0].lower()
            taken = 0
            for name in sorted(z.namelist()):
                if taken >= 3 or not name.endswith(".py") or re.search(r"/tests?/", name) or VENDORED.search(name):
                    continue
                head = comment_head(z.read(name).decode("utf-8", "replace"))
                if head:
                    put(f"pypi/{pname}/{name.replace('/', '__')}", head, "header", label)
                    taken += 1


def catalogue():
    cache = os.path.join(ROOT, "bench/out/npm-catalogue")
    os.makedirs(cache, exist_ok=True)
    if not glob.glob(os.path.join(cache, "*.tgz")):
        for pkg in CATALOGUE_PACKAGES:
            subprocess.run(["npm", "pack", "--silent", pkg], cwd=cache, capture_output=True, text=True)
    for tgz in sorted(glob.glob(os.path.join(cache, "*.tgz"))):
        pname = re.sub(r"-\d[\d.]*$", "", os.path.basename(tgz)[:-4])
        with tarfile.open(tgz) as tf:
            for m in tf.getmembers():
                rel = f"catalogue/{pname}/{m.name.split('/')[-1]}"
                if m.isfile() and m.name.count("/") == 1 and rel in CATALOGUE_LABELS:
                    put(rel, tf.extractfile(m).read().decode("utf-8", "replace"), "catalogue",
                        CATALOGUE_LABELS[rel])


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


# (owner/name, commit, path, lines, expected ids): the file's first lines (its header),
# labeled from what the header says, not from the project's manifest (a project's files do
# not all carry its license).
GITHUB_HEADERS = [
    ("tmux/tmux", "024f4698a227ac3ecf6b7e6019aeda4b98c3bbd1", "window-client.c", 17, ["ISC"]),
    ("GNOME/glib", "d6092086558515ed6fa195b156cb9bdacc809f16", "glib/gnulib/verify.h", 16, ["LGPL-2.1-or-later"]),
    ("boostorg/json", "6c4379c1edcd516999e024ef8ff6826966b01e05", "test/ryu/d2s_intrinsics_test.cpp", 16,
     ["Apache-2.0", "BSL-1.0"]),
    ("eclipse/mosquitto", "21648b931edbb6dfa832a7a8195b0353721e8256", "lib/actions.c", 15, ["BSD-3-Clause", "EPL-1.0"]),
    ("glfw/glfw", "015f10717b52c08e66b5f073d0ce8bdb6893a0ad", "src/wl_monitor.c", 25, ["Zlib"]),
    ("mirror/busybox", "1caca34aa67b2f267d0049d17e5430ca9c58ac3f", "libbb/pidfile.c", 8, ["GPL-2.0-or-later"]),
    ("libuv/libuv", "43666cac100f0ab3d9e55ee2151e4e8c1dd904d4", "src/idna.h", 14, ["ISC"]),
    ("mpv-player/mpv", "03cb3327bda82728e07de07b97871ae7de2ea0c0", "video/out/filter_kernels.h", 10,
     ["BSD-3-Clause", "LGPL-2.1-or-later"]),
    ("redis/redis", "06b30e20389c7e9ad19fd448cbbaf1984d165804", "src/redisassert.h", 16,
     ["AGPL-3.0-only", "LicenseRef-scancode-rsalv2", "SSPL-1.0"]),
    ("xiph/flac", "0395dac13f87a0eb1837e4b67ab6d3732054f823", "src/metaflac/utils.h", 17, ["GPL-2.0-or-later"]),
    ("openldap/openldap", "073232bbc7ac1be475e6e6bd7fafdf10b120f818", "contrib/slapd-modules/samba4/vernum.c", 16,
     ["OLDAP-2.8"]),
    ("mpv-player/mpv", "0112143fdaae0a6264d9e02355e9dc0ca4f7741c", "misc/charset_conv.c", 20, ["GPL-2.0-or-later"]),
    ("libsdl-org/SDL", "0bd77a5b93494ca88bfd1a86fe106e7bb1d90133", "src/video/yuv2rgb/yuv_rgb_sse_func.h", 2,
     ["BSD-3-Clause"]),
]


def github():
    if "--git" not in sys.argv:
        sys.exit("the github section needs --git DIR (clones named owner+name)")
    base = sys.argv[sys.argv.index("--git") + 1]
    for repo, commit, path, lines, expected in GITHUB_HEADERS:
        name = repo.replace("/", "+")
        gitdir = next(d for d in (os.path.join(base, name, "repo"), os.path.join(base, name)) if os.path.isdir(d))
        text = subprocess.run(["git", "-C", gitdir, "show", f"{commit}:{path}"], capture_output=True,
                              check=True).stdout.decode("utf-8", "replace")
        put(f"github/{name}/{path.replace('/', '__')}", "".join(text.splitlines(True)[:lines]), "header", expected)


SECTIONS = {"crates": crates, "npm": npm, "noisy": noisy, "negative": negatives, "npm-src": npm_sources,
            "pypi": pypi, "catalogue": catalogue, "github": github}


def main():
    only = None
    if "--only" in sys.argv:
        only = []
        for a in sys.argv[sys.argv.index("--only") + 1:]:
            if a.startswith("-"):
                break
            only.append(a)
        unknown = [sec for sec in only if sec not in SECTIONS]
        if unknown:
            sys.exit(f"unknown sections: {unknown}")
    if only:
        # Rebuild the named sections, keep the other sections' files and labels as they are.
        with open(os.path.join(OUT, "labels.json")) as f:
            labels.update(json.load(f))
        for rel in [r for r in labels if r.split("/")[0] in only]:
            del labels[rel]
        for sec in only:
            shutil.rmtree(os.path.join(OUT, sec), ignore_errors=True)
        for rel in labels:
            key = hash(read(os.path.join(OUT, rel)))
            seen_texts[key] = seen_texts.get(key, 0) + 1
        for sec in only:
            SECTIONS[sec]()
        for rel, expected in OVERRIDES.items():
            if rel in labels and rel.split("/")[0] in only:
                labels[rel]["expected"] = expected
    else:
        if os.path.isdir(OUT):
            shutil.rmtree(OUT)
        crates()
        if "--npm" in sys.argv:
            npm()
            npm_sources()
        noisy()
        negatives()
        if "--pypi" in sys.argv:
            pypi()
        if "--catalogue" in sys.argv:
            catalogue()
        if "--git" in sys.argv:
            github()
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
