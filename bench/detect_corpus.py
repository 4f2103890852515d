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
  github/   the header lines of sources of 74 projects on GitHub (C, C++, Java, Kotlin,
            Python, JavaScript/TypeScript, Go, Rust, PHP, C#, Ruby, shell, SQL, PowerShell),
            at a pinned commit each, labeled by reading the header (GITHUB_HEADERS): GNU
            notices in their many wordings, exceptions (Classpath, Universal FOSS, MySQL's
            linking permission), SPDX-License-Identifier lines, one-line grants, dual and
            triple choices, source-available and commercial headers (BUSL, Elastic, SSPL,
            Confluent, Redis, Timescale, Redpanda, FSL, Commons Clause, Qt, Six Labors),
            proprietary notices, and headers that only point to a license file. Read from
            clones or snapshots of the repositories in a folder named by --git
            (DIR/owner+name or DIR/owner+name/repo).

labels.json maps each file to {"kind", "expected"}: kind is license-file, header, noisy-text,
catalogue (a license off the SPDX list) or negative; expected the ids the file states (empty
for negatives and for headers that name no license).

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
# files state more, less or something else themselves (a header that only points to a
# license file states no license: empty).
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
    # Headers that only point to a license file and name no license: ICU4X's "see the file called
    # LICENSE at the top level of the ICU4X source tree", "See LICENSE for details", "For license
    # information, see LICENSE.TXT", "See the LICENSE file at the top-level directory", "see LICENSE
    # file for terms and conditions", "See LICENSE file for terms of use", Django's "distributed under
    # the same license as the Django package".
    "crates/icu_collections-2.4.0/src__char16trie__mod.rs": [],
    "crates/icu_collections-2.4.0/src__char16trie__trie.rs": [],
    "crates/icu_locale_core-2.4.0/src__data.rs": [],
    "crates/icu_locale_core-2.4.0/src__databake.rs": [],
    "crates/icu_normalizer-2.4.0/src__harfbuzz.rs": [],
    "crates/icu_normalizer-2.4.0/src__lib.rs": [],
    "crates/icu_normalizer_data-2.4.0/src__lib.rs": [],
    "crates/icu_properties-2.4.0/src__bidi.rs": [],
    "crates/icu_properties-2.4.0/src__code_point_map.rs": [],
    "crates/icu_properties_data-2.4.0/src__lib.rs": [],
    "crates/icu_provider-2.4.0/src__baked.rs": [],
    "crates/icu_provider-2.4.0/src__baked__zerotrie.rs": [],
    "crates/litemap-0.8.3/src__databake.rs": [],
    "crates/litemap-0.8.3/src__lib.rs": [],
    "crates/potential_utf-0.1.6/src__lib.rs": [],
    "crates/potential_utf-0.1.6/src__uchar.rs": [],
    "crates/tinystr-0.8.5/src__ascii.rs": [],
    "crates/tinystr-0.8.5/src__asciibyte.rs": [],
    "crates/writeable-0.6.4/src__cmp.rs": [],
    "crates/writeable-0.6.4/src__concat.rs": [],
    "crates/yoke-0.8.4/src__cartable_ptr.rs": [],
    "crates/yoke-0.8.4/src__either.rs": [],
    "crates/yoke-derive-0.8.4/src__lib.rs": [],
    "crates/yoke-derive-0.8.4/src__lifetimes.rs": [],
    "crates/zerofrom-0.1.8/src__lib.rs": [],
    "crates/zerofrom-0.1.8/src__macro_impls.rs": [],
    "crates/zerofrom-derive-0.1.8/src__lib.rs": [],
    "crates/zerofrom-derive-0.1.8/src__visitor.rs": [],
    "crates/zerotrie-0.2.5/src__builder__branch_meta.rs": [],
    "crates/zerotrie-0.2.5/src__builder__dense.rs": [],
    "crates/zerovec-0.11.9/src__cow.rs": [],
    "crates/zerovec-0.11.9/src__hashmap__algorithms.rs": [],
    "crates/zerovec-derive-0.11.7/src__lib.rs": [],
    "crates/zerovec-derive-0.11.7/src__make_ule.rs": [],
    "crates/granit-parser-2.2.0/src__lib.rs": [],
    "crates/subtle-2.6.1/src__lib.rs": [],
    "pypi/django/django__conf__locale__ar_DZ__formats.py": [],
    "pypi/django/django__conf__locale__ar__formats.py": [],
    "pypi/django/django__conf__locale__az__formats.py": [],
    "pypi/nltk/nltk____init__.py": [],
    "pypi/nltk/nltk__app____init__.py": [],
    "pypi/nltk/nltk__app__chartparser_app.py": [],
    "pypi/pyparsing/pyparsing____init__.py": [],
    "pypi/twisted/twisted____init__.py": [],
    "pypi/twisted/twisted____main__.py": [],
    "pypi/twisted/twisted___threads____init__.py": [],
    "npm-src/diff-9.0.0/libcjs__index.js": [],
    "npm-src/diff-9.0.0/libesm__index.js": [],
    "npm-src/jsbn-1.1.0/index.js": [],
    # Headers that speak of a license without stating the file's: OpenLayers' OSM source names the
    # OpenStreetMap licence page of the tiles it attributes; setuptools' bdist_wheel imports
    # _safe_license_file.
    "npm-src/ol-10.11.0/source__OSM.d.ts": [],
    "npm-src/ol-10.11.0/source__OSM.js": [],
    "pypi/setuptools/setuptools__command__bdist_wheel.py": [],
    # Dual-licensed packages whose header names one of the licenses or fewer than the package:
    # clap's "Licensed under the MIT license"; encoding_rs and unicode-normalization state Apache-2.0
    # OR MIT (the package's BSD-3-Clause and Unicode-3.0 cover data files); JSZip's pako code "released
    # under the MIT license".
    "crates/clap-4.6.9/src__lib.rs": ["MIT"],
    "crates/clap_builder-4.6.7/src__lib.rs": ["MIT"],
    "crates/encoding_rs-0.8.44/src__ascii.rs": ["Apache-2.0", "MIT"],
    "crates/encoding_rs-0.8.44/src__big5.rs": ["Apache-2.0", "MIT"],
    "crates/unicode-normalization-0.1.26/src__decompose.rs": ["Apache-2.0", "MIT"],
    "crates/unicode-normalization-0.1.26/src__lib.rs": ["Apache-2.0", "MIT"],
    "npm-src/jszip-3.10.2/lib__crc32.js": ["MIT"],
    "npm-src/jszip-3.10.2/lib__utf8.js": ["MIT"],
    # The header states another license than the package's: Ansible's AnsiballZ wrapper is the
    # BSD-2-Clause text ("this templatable string only, is BSD licensed"); highlight.js's Nord
    # style says "License: MIT"; NumPy's files name "the NumPy License", which is BSD-3-Clause.
    "pypi/ansible_core/ansible___internal___ansiballz___wrapper.py": ["BSD-2-Clause"],
    "npm-src/highlight.js-11.12.0/styles__nord.css": ["MIT"],
    "pypi/numpy/numpy__distutils__cpuinfo.py": ["BSD-3-Clause"],
    "pypi/numpy/numpy__f2py____init__.py": ["BSD-3-Clause"],
    "pypi/numpy/numpy__f2py___isocbind.py": ["BSD-3-Clause"],
    # Paramiko's header grants LGPL 2.1 "or (at your option) any later version".
    "pypi/paramiko/paramiko____init__.py": ["LGPL-2.1-or-later"],
    "pypi/paramiko/paramiko__agent.py": ["LGPL-2.1-or-later"],
    "pypi/paramiko/paramiko__auth_handler.py": ["LGPL-2.1-or-later"],
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
# Ids: SPDX ids; a license off the SPDX list as LicenseRef-scancode-<key> of the catalogue
# (license-db/scancode), or as the LicenseRef an SPDX-License-Identifier line names when the
# catalogue has no key for it (LicenseRef-Element-Commercial); kataster's own refs for public
# domain, for a commercial license offered without a name (iText: "offered under a commercial
# and under the AGPL license"; the enterprise agreement a NativeLink module requires) and for
# proprietary notices (NVIDIA's "retain all intellectual property ... without an express
# license agreement ... strictly prohibited", Camunda's "Licensed under a proprietary license").
# A BUSL header's Change License (Apache-2.0 or GPL-2.0-or-later after the Change Date) is a
# parameter of BUSL-1.1, not a license of the file today: not labeled. Synapse's "Originally
# licensed under the Apache License" is: the code taken in keeps that license.
# Headers that only point to a license file ("see LICENSE", "see copyright notice in zlib.h",
# "COPYING RESTRICTIONS APPLY, see COPYRIGHT file"), that only name "a BSD-style license"
# (Go, LevelDB: not which one) or that state a copyright alone name no license: empty.
# The Timescale License is the 2020 agreement in tsl/ at the commit; "the GNU General Public
# Licence" without a version (PostGIS) is GPL-1.0-or-later; the OpenLDAP Public License
# without a version is the 2.8 of the tree's LICENSE; Qt's LicenseRef-Qt-Commercial is the
# catalogue's digia-qt-commercial (Qt's commercial usage terms); EUPL "1.2 or subsequent
# versions" is EUPL-1.2.
# Kind: catalogue when an id is a LicenseRef (a license off the SPDX list), header otherwise.
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
    # More projects and languages, read from snapshots at the commits given (see the notes above).
    ("curl/curl", "5c61e168698a72b87437d58ed728bcdea6d5db42", "lib/vdns/httpsrr.c", 23, ["curl"]),
    ("curl/curl", "5c61e168698a72b87437d58ed728bcdea6d5db42", ".github/scripts/codespell.sh", 4, ["curl"]),
    ("hashicorp/terraform", "883c7221ee2e0bc2fad6912fd4b3cc4b53a598a7", "internal/terraform/evaluate.go",
     2, ["BUSL-1.1"]),
    ("confluentinc/ksql", "354e3d1c2d217dc846460ea757f62278586ec61a",
     "ksqldb-rest-model/src/main/java/io/confluent/ksql/rest/entity/PushQueryId.java",
     14, ["LicenseRef-scancode-confluent-community-1.0"]),
    ("confluentinc/ksql", "354e3d1c2d217dc846460ea757f62278586ec61a",
     "ksqldb-parser/src/main/java/io/confluent/ksql/parser/tree/JoinedSource.java",
     14, ["LicenseRef-scancode-confluent-community-1.0"]),
    ("elastic/cloud-on-k8s", "7b93383d8ec1569ba99bdf9e59ad70a813fe99f8",
     "pkg/controller/elasticsearch/license/reconcile.go", 3, ["Elastic-2.0"]),
    ("timescale/timescaledb", "4bf70ffa9b3b7f190139536c0482a300e52cd44a", "src/constraint.c", 5, ["Apache-2.0"]),
    ("timescale/timescaledb", "4bf70ffa9b3b7f190139536c0482a300e52cd44a", "sql/pre_install/schemas.sql",
     3, ["Apache-2.0"]),
    ("timescale/timescaledb", "4bf70ffa9b3b7f190139536c0482a300e52cd44a", "tsl/src/nodes/gapfill/interpolate.h",
     5, ["LicenseRef-scancode-tsl-2020"]),
    ("timescale/timescaledb", "4bf70ffa9b3b7f190139536c0482a300e52cd44a", "src/import/allpaths.c",
     12, ["Apache-2.0", "PostgreSQL"]),
    ("element-hq/synapse", "a58ad44eb0ce3cc14153f921206f322e17339dc5",
     "synapse/storage/schema/main/delta/59/11add_knock_members_to_stats.sql", 33, ["AGPL-3.0-or-later", "Apache-2.0"]),
    ("element-hq/synapse", "a58ad44eb0ce3cc14153f921206f322e17339dc5", "synapse/handlers/reports.py",
     15, ["AGPL-3.0-or-later"]),
    ("element-hq/synapse", "a58ad44eb0ce3cc14153f921206f322e17339dc5", "synapse/_scripts/export_signing_key.py",
     21, ["AGPL-3.0-or-later", "Apache-2.0"]),
    ("openjdk/jmh", "139694248ced741a9491c253a3422a19371c32a9",
     "jmh-core/src/main/java/org/openjdk/jmh/generators/core/FieldInfo.java",
     24, ["GPL-2.0-only", "Classpath-exception-2.0"]),
    ("openjdk/jmh", "139694248ced741a9491c253a3422a19371c32a9",
     "jmh-samples/src/main/java/org/openjdk/jmh/samples/JMHSample_11_Loops.java", 30, ["BSD-3-Clause"]),
    ("eclipse-ee4j/jersey", "c2e1271b3709427a2130fb2c70a853dc66241cfc",
     "core-common/src/main/java/org/glassfish/jersey/message/internal/OutboundMessageContext.java",
     15, ["EPL-2.0", "GPL-2.0-only", "Classpath-exception-2.0"]),
    ("itext/itext-java", "c2b74310be751097d12ad8621a5d2f0255da45ac",
     "kernel/src/main/java/com/itextpdf/kernel/pdf/PdfDocument.java",
     22, ["AGPL-3.0-or-later", "LicenseRef-kataster-commercial"]),
    ("itext/itext-java", "c2b74310be751097d12ad8621a5d2f0255da45ac",
     "kernel/src/main/java/com/itextpdf/kernel/xmp/properties/XMPProperty.java", 29, ["BSD-4-Clause"]),
    ("Graylog2/graylog2-server", "cbcc671643b34520dfb1c3265199bfc2e0d1b916",
     "graylog2-web-interface/src/components/indices/retention/NoopRetentionStrategyConfiguration.tsx",
     16, ["SSPL-1.0"]),
    ("Graylog2/graylog2-server", "cbcc671643b34520dfb1c3265199bfc2e0d1b916",
     "graylog2-server/src/main/java/org/graylog/plugins/pipelineprocessor/functions/strings/Abbreviate.java",
     16, ["SSPL-1.0"]),
    ("minio/minio", "7aac2a2c5b7c882e68c1ce017d8256be2feea27f", "internal/crypto/crypto.go", 16, ["AGPL-3.0-or-later"]),
    ("mysql/mysql-connector-j", "cf2917ea44ae2e43a4514a33771035aa99de73bf",
     "src/main/core-api/java/com/mysql/cj/protocol/ResultsetRows.java",
     19, ["GPL-2.0-only", "Universal-FOSS-exception-1.0", "LicenseRef-scancode-mysql-linking-exception-2018"]),
    ("qt/qtsvg", "119a934bc694bf313bc51af05809a7aafddeca67", "src/svg/qsvgnode_p.h",
     2, ["LicenseRef-scancode-digia-qt-commercial", "LGPL-3.0-only", "GPL-2.0-only", "GPL-3.0-only"]),
    ("qt/qtsvg", "119a934bc694bf313bc51af05809a7aafddeca67", "src/svg/doc/snippets/doc_src_qtsvg.cpp",
     2, ["LicenseRef-scancode-digia-qt-commercial", "BSD-3-Clause"]),
    ("catchorg/Catch2", "a6ee7e20cd4011129816df7992c1a9db2ef4b58f", "src/catch2/internal/catch_parse_numbers.cpp",
     5, ["BSL-1.0"]),
    ("OCA/server-tools", "935789fe68ea03719b6d33f94d5d686f0cad8e63", "base_remote/models/res_remote.py",
     2, ["AGPL-3.0-or-later"]),
    ("OCA/server-tools", "935789fe68ea03719b6d33f94d5d686f0cad8e63", "base_sequence_option/models/__init__.py",
     2, ["LGPL-3.0-or-later"]),
    ("BLAKE2/BLAKE2", "ed1974ea83433eba7b2d95c5dcd9ac33cb847913", "ref/blake2b-ref.c",
     14, ["CC0-1.0", "OpenSSL", "Apache-2.0"]),
    ("fluent/fluentd", "ff8682d797436bdadca8da39b862eb23f6700515", "lib/fluent/plugin/string_util.rb",
     15, ["Apache-2.0"]),
    ("hashicorp/vagrant", "35f3160f4ad6edc3a9f3aa9570adfc1a4d73aaa5", "plugins/commands/snapshot/plugin.rb",
     2, ["BUSL-1.1"]),
    ("hashicorp/vagrant", "35f3160f4ad6edc3a9f3aa9570adfc1a4d73aaa5", ".ci/spec/create-packet.sh", 3, ["BUSL-1.1"]),
    ("OpenMage/magento-lts", "e18d6107b21b6c2e2f7005fcc7738220edd1a022",
     "app/design/frontend/base/default/template/email/order/items/creditmemo/default.phtml", 7, ["AFL-3.0"]),
    ("OpenMage/magento-lts", "e18d6107b21b6c2e2f7005fcc7738220edd1a022",
     "app/code/core/Mage/Adminhtml/Block/Sales/Order/Status/Assign.php", 8, ["OSL-3.0"]),
    ("contao/contao", "68c375b53198811ce0540fc9504e65f63fa65058", "core-bundle/contao/classes/DataContainer.php",
     9, ["LGPL-3.0-or-later"]),
    ("symfony/symfony", "5feb7493c372384d78b4931bb76f73c83f49f50e",
     "src/Symfony/Component/Validator/Constraints/IsNull.php", 10, []),
    ("matomo-org/matomo", "f09912cb702a76d06ab1a129a8e0a4e2a61818a8", "core/BaseFactory.php", 8, ["GPL-3.0-or-later"]),
    ("PHPMailer/PHPMailer", "4a489474e7ef8bbf03c1cb219d8939ea76a7fb40", "src/PHPMailer.php", 20, ["LGPL-2.1-only"]),
    ("JamesNK/Newtonsoft.Json", "09bb545d72969ad7fb4ea07db0d5c34f4fc07877",
     "Src/Newtonsoft.Json/Utilities/FeatureSwitchDefinitionAttribute.cs", 2, ["MIT"]),
    ("JamesNK/Newtonsoft.Json", "09bb545d72969ad7fb4ea07db0d5c34f4fc07877", "Src/Newtonsoft.Json/JsonConvert.cs",
     24, ["MIT"]),
    ("BLAKE2/BLAKE2", "ed1974ea83433eba7b2d95c5dcd9ac33cb847913", "csharp/Blake2Sharp/Blake2B.cs", 10, ["CC0-1.0"]),
    ("NLog/NLog", "01a20bc9b61c0d6296e5b6e62a0518a443b944b5", "src/NLog/LogEventBuilder.cs", 32, ["BSD-3-Clause"]),
    ("SixLabors/ImageSharp", "bc01295d68460b3fb24307cc778431218220f0c3",
     "src/ImageSharp/Metadata/Profiles/ICC/DataReader/IccDataReader.TagDataEntry.cs",
     2, ["LicenseRef-scancode-six-labors-split-1.0"]),
    ("PowerShell/PowerShell", "929903692e550140efb5042ed05d65bfd21ccb5f",
     "src/Microsoft.PowerShell.Commands.Management/cimSupport/cmdletization/cim/InstanceMethodInvocationJob.cs",
     2, ["MIT"]),
    ("PowerShell/PowerShell", "929903692e550140efb5042ed05d65bfd21ccb5f",
     "src/System.Management.Automation/engine/interpreter/DynamicSplatInstruction.cs", 14, ["Apache-2.0"]),
    ("denoland/deno", "98f9507affc905f088124891add3a8dd63b91f77", "ext/node/polyfills/_fs/_fs_fstat.ts", 1, ["MIT"]),
    ("denoland/deno", "98f9507affc905f088124891add3a8dd63b91f77", "ext/node/polyfills/internal_binding/util.ts",
     21, ["MIT"]),
    ("syncthing/syncthing", "328d910aee822178f55442c76bc7e35ce34d68cc", "cmd/syncthing/debug.go", 5, ["MPL-2.0"]),
    ("tikv/tikv", "8e964719db0d2088d47a280a1dde3fefa1b31d6b", "components/tikv_util/src/future.rs", 1, ["Apache-2.0"]),
    ("couchbase/kv_engine", "eba4298981505cdc3371abbfb8be213236f7875a",
     "daemon/protocol/mcbp/steppable_command_context.cc", 9, ["BUSL-1.1"]),
    ("couchbase/kv_engine", "eba4298981505cdc3371abbfb8be213236f7875a", "include/mcbp/protocol/response.h",
     8, ["Apache-2.0", "BSD-3-Clause"]),
    ("mariadb-corporation/MaxScale", "f72af9927243f59f2b20cc835273dbe6dc158623",
     "system-test/maxtest/src/testconnections.cc", 13, ["BUSL-1.1"]),
    ("mariadb-corporation/MaxScale", "f72af9927243f59f2b20cc835273dbe6dc158623",
     "server/modules/protocol/examples/cdc_one_schema.py", 13, ["BUSL-1.1"]),
    ("mariadb-corporation/MaxScale", "f72af9927243f59f2b20cc835273dbe6dc158623",
     "server/modules/parser_plugin/pp_sqlite/sqlite-src-3110100/ext/fts5/fts5_aux.c", 12, ["blessing"]),
    ("golang/net", "0ca694d2a5adcce7f36d4d65e5f8d72390d94051", "quic/conn_recv.go", 3, []),
    ("google/leveldb", "78a352f47ed6c1e9d750545e9b242289185b87e1", "db/dumpfile.cc", 3, []),
    ("raysan5/raylib", "abe23bf82dcab18a618067843aed4eec2b24ba97", "src/rcore.c", 90, ["Zlib"]),
    ("madler/zlib", "d201f04c72b0881220f5ba75ca19fd0e19fa848b", "inftrees.c", 4, []),
    ("boostorg/asio", "5963b4690919e0a723ed2c0be434d16e8783303e", "example/cpp14/operations/composed_3.cpp",
     8, ["BSL-1.0"]),
    ("xwiki/xwiki-commons", "0c489ea459c804989cf2d81afee28868b07602e8",
     "xwiki-commons-core/xwiki-commons-filter/xwiki-commons-filter-streams/xwiki-commons-filter-stream-xml/src/main/java/org/xwiki/filter/filterxml/input/FilterXMLInputProperties.java",
     19, ["LGPL-2.1-or-later"]),
    ("cryptpad/cryptpad", "9004ad2dd1b40d571b25f66dfe968606233f51a8", "src/worker/components/merge-drive.js",
     3, ["AGPL-3.0-or-later"]),
    ("postgis/postgis", "b2d575041cbbb33402ed52c90284e93e7c649248", "liblwgeom/liblwgeom_internal.h",
     26, ["GPL-2.0-or-later"]),
    ("postgis/postgis", "b2d575041cbbb33402ed52c90284e93e7c649248", "postgis/geography.sql.in",
     9, ["GPL-1.0-or-later"]),
    ("jetty/jetty.project", "acf33259281419d619d8e392e6f3b2d654bcc914",
     "jetty-core/jetty-http/src/main/java/org/eclipse/jetty/http/CookieCache.java", 12, ["EPL-2.0", "Apache-2.0"]),
    ("databendlabs/databend", "43b24ec040cc1f346c65dd03f836fe5d37e2acee", "src/query/ee/src/table_ref/handler.rs",
     13, ["Elastic-2.0"]),
    ("ktorio/ktor", "ef92e5537d7465961f1b3f2b21e217fc35bcfa1f",
     "ktor-io/web/src/io/ktor/utils/io/bits/ByteOrder.web.kt", 3, ["Apache-2.0"]),
    ("openssh/openssh-portable", "0ef0f5a839831c213f24e3f2ae434765c607fb50", "sandbox-darwin.c", 15, ["ISC"]),
    ("openssh/openssh-portable", "0ef0f5a839831c213f24e3f2ae434765c607fb50", "openbsd-compat/port-aix.c",
     26, ["BSD-2-Clause"]),
    ("openssh/openssh-portable", "0ef0f5a839831c213f24e3f2ae434765c607fb50", "openbsd-compat/fake-rfc2553.h",
     28, ["BSD-3-Clause"]),
    ("kubernetes-sigs/kind", "fed268827e21ca48a74c38215c316dd343364ef5", "hack/ci/push-latest-cli/push-latest-cli.sh",
     14, ["Apache-2.0"]),
    ("eblocker/eblocker", "9fa8f1b4ad48520f61ee1a5e8254cf2080b29864",
     "eblocker-icapserver/src/main/java/org/eblocker/server/http/service/FailedConnectionSuggestionService.java",
     16, ["EUPL-1.2"]),
    ("eblocker/eblocker", "9fa8f1b4ad48520f61ee1a5e8254cf2080b29864",
     "eblocker-ui/src/settings/app/dialogs/network/network-edit-content.dialog.js", 16, ["EUPL-1.2"]),
    ("etcd-io/etcd", "c34dc7ee0048fd2bcc44d50beff002e5e8069b69", "scripts/build-binary.sh", 14, ["Apache-2.0"]),
    ("android/nowinandroid", "d6abd6d3e562ae0f017888f5d62042316a49a2d6",
     "build-logic/convention/src/main/kotlin/AndroidApplicationFlavorsConventionPlugin.kt", 15, ["Apache-2.0"]),
    ("chef/chef", "688d3ad3c3a0716b0d0189be6a349ffecada5268", "lib/chef.rb", 17, ["Apache-2.0"]),
    ("nextcloud/deck", "b0f6943c1d923af37e53b700617ecba9c9698950", "src/services/SessionApi.js",
     4, ["AGPL-3.0-or-later"]),
    ("nextcloud/deck", "b0f6943c1d923af37e53b700617ecba9c9698950", "lib/Controller/BoardController.php",
     6, ["AGPL-3.0-or-later"]),
    ("redpanda-data/redpanda", "1c6cff34ea8b4b65db02eb603d21dfef59c0f61c", "src/v/rpc/rpc_utils.h", 10, ["BUSL-1.1"]),
    ("redpanda-data/redpanda", "1c6cff34ea8b4b65db02eb603d21dfef59c0f61c",
     "src/v/iceberg/rest_client/catalog_client.cc", 9, ["LicenseRef-scancode-redpanda-community-la"]),
    ("redpanda-data/redpanda", "1c6cff34ea8b4b65db02eb603d21dfef59c0f61c", "src/go/rpk/pkg/tuners/thp.go",
     8, ["BUSL-1.1"]),
    ("outofcoffee/imposter", "bdb07653f55c1b7ecf275685361c4b2c97138e6a",
     "core/engine/src/main/java/io/gatehill/imposter/http/ResourceMatchResult.kt",
     42, ["LicenseRef-scancode-commons-clause", "LGPL-3.0-or-later"]),
    ("TraceMachina/nativelink", "a21edb0fc56879124e308bb9a67be679f8eaf885",
     "nativelink-store/src/cache_metrics_store.rs", 13, ["FSL-1.1-ALv2"]),
    ("TraceMachina/nativelink", "a21edb0fc56879124e308bb9a67be679f8eaf885", "nativelink-util/src/metrics.rs",
     15, ["BUSL-1.1", "LicenseRef-kataster-commercial"]),
    ("BillaBear/billabear", "a5b3d28fad669f0c746562f3b3c57aa92ec53f49", "src/User/Entity/EntityFactory.php", 5, []),
    ("camunda/connectors", "9b30630f5cacce76db089e7780b6aeecc032baec",
     "connector-sdk/core/src/main/java/io/camunda/connector/api/secret/SecretContext.java", 16, ["Apache-2.0"]),
    ("camunda/connectors", "9b30630f5cacce76db089e7780b6aeecc032baec",
     "connectors/aws/aws-dynamodb/src/main/java/io/camunda/connector/aws/dynamodb/model/DeleteItem.java",
     6, ["LicenseRef-kataster-proprietary"]),
    ("element-hq/matrix-authentication-service", "682b8d26d3b3666b6652490f66618ab3d640fa5d",
     "crates/storage-pg/src/compat/refresh_token.rs", 5, ["AGPL-3.0-only", "LicenseRef-Element-Commercial"]),
    ("scikit-learn-contrib/imbalanced-learn", "8504e95f0160f61d1b617ca66f779646d2ee609e",
     "imblearn/under_sampling/_prototype_selection/_one_sided_selection.py", 5, ["MIT"]),
    ("NVIDIA/warp", "f72ff1f57a0a27b6607e8a920afb2a1925249c83", "warp/context.py",
     6, ["LicenseRef-kataster-proprietary"]),
    ("NVIDIA/warp", "f72ff1f57a0a27b6607e8a920afb2a1925249c83", "warp/native/warp.cu",
     7, ["LicenseRef-kataster-proprietary"]),
    ("redis/redis", "4f8cdc2a1ea53e42955af758aabffee67cb455dd", "src/aof.c",
     7, ["LicenseRef-scancode-rsalv2", "SSPL-1.0"]),
    ("redis/redis", "4f8cdc2a1ea53e42955af758aabffee67cb455dd", "src/t_set.c",
     12, ["LicenseRef-scancode-rsalv2", "SSPL-1.0", "BSD-3-Clause"]),
    ("redis/redis", "4f8cdc2a1ea53e42955af758aabffee67cb455dd", "src/lzf_c.c",
     35, ["BSD-2-Clause", "GPL-2.0-or-later"]),
    ("GNOME/glib", "c2237ff1cb0077619538109be177cff8b203e691", "gio/gcontenttypeprivate.h", 21, ["LGPL-2.1-or-later"]),
    ("mirror/busybox", "371fe9f71d445d18be28c82a2a6d82115c8af19d", "archival/libarchive/init_handle.c",
     4, ["GPL-2.0-or-later"]),
    ("mirror/busybox", "371fe9f71d445d18be28c82a2a6d82115c8af19d", "networking/tls_pstm.c", 5, ["GPL-2.0-only"]),
    ("mirror/busybox", "371fe9f71d445d18be28c82a2a6d82115c8af19d", "util-linux/volume_id/exfat.c",
     19, ["LGPL-2.1-or-later"]),
    ("mpv-player/mpv", "b955aa28f3dc93dc6b21485a0d5b7feb8e6dc10f", "include/mpv/render.h", 14, ["ISC"]),
    ("mpv-player/mpv", "b955aa28f3dc93dc6b21485a0d5b7feb8e6dc10f", "options/m_option.h", 16, ["LGPL-2.1-or-later"]),
    ("libsdl-org/SDL", "38aace93598bcd2ae12eec4d277790425cf08ade", "src/video/khronos/vulkan/vk_layer.h",
     6, ["Apache-2.0", "MIT"]),
    ("openldap/openldap", "5ffe12c065c06ecf0ad26d59a465f7a95611fc9c", "servers/lloadd/operation.c", 14, ["OLDAP-2.8"]),
    ("openldap/openldap", "5ffe12c065c06ecf0ad26d59a465f7a95611fc9c", "contrib/ldapc++/src/LDAPModification.h", 5, []),
    ("apache/commons-lang", "d15939ef46f0bd4144994df8be95cf5a7f91eb52",
     "src/main/java/org/apache/commons/lang3/function/FailableBooleanSupplier.java", 16, ["Apache-2.0"]),
    ("square/okhttp", "1682d9bac8c03dffde2969b0b74d47649d0dbb52", "okhttp/src/commonJvmAndroid/kotlin/okhttp3/Route.kt",
     15, ["Apache-2.0"]),
    ("ansible/ansible", "c9ac477e53a99e95781f333eec3329a935c1bf95", "lib/ansible/galaxy/role.py",
     20, ["GPL-3.0-or-later"]),
    ("ansible/ansible", "c9ac477e53a99e95781f333eec3329a935c1bf95", "lib/ansible/modules/pip.py",
     4, ["GPL-3.0-or-later"]),
    ("ansible/ansible", "c9ac477e53a99e95781f333eec3329a935c1bf95",
     "lib/ansible/module_utils/powershell/Ansible.ModuleUtils.SID.psm1", 2, ["BSD-2-Clause"]),
    ("ansible/ansible", "c9ac477e53a99e95781f333eec3329a935c1bf95", "lib/ansible/module_utils/facts/namespace.py",
     27, ["BSD-2-Clause"]),
    ("xiph/flac", "e94ff9f68b8e7dbd3e9f8b1ac18a8eca1914f181", "src/libFLAC/include/private/all.h",
     31, ["BSD-3-Clause"]),
    ("libuv/libuv", "6179e7af87413396d5853a1c3722c8b5749336c8", "src/version.c", 20, ["MIT"]),
    ("hashicorp/terraform", "883c7221ee2e0bc2fad6912fd4b3cc4b53a598a7",
     "internal/backend/remote-state/azure/helpers.go", 2, ["MPL-2.0"]),
    ("PowerShell/PowerShell", "929903692e550140efb5042ed05d65bfd21ccb5f",
     "src/System.Management.Automation/engine/ComInterop/ComBinder.cs", 2, ["MIT"]),
    ("denoland/deno", "98f9507affc905f088124891add3a8dd63b91f77", "ext/node/polyfills/http2.ts", 3, ["MIT"]),
    ("openssh/openssh-portable", "0ef0f5a839831c213f24e3f2ae434765c607fb50", "openbsd-compat/bsd-getpagesize.c",
     1, ["LicenseRef-kataster-public-domain"]),
    ("mariadb-corporation/MaxScale", "f72af9927243f59f2b20cc835273dbe6dc158623",
     "maxgui/src/components/DetailsPage/index.js", 13, ["BUSL-1.1"]),
    ("sheredom/utf8.h", "1194293f5b56dbb418d3b7e65410443304c40433", "utf8.h", 27, ["Unlicense"]),
    ("eclipse/mosquitto", "fb9b1153924ae0e2dfb3bcb4266ee5bb49a5c515", "lib/mosquitto.c",
     17, ["EPL-2.0", "BSD-3-Clause"]),
    ("minio/minio", "7aac2a2c5b7c882e68c1ce017d8256be2feea27f", "docs/sts/client-grants.go", 19, ["AGPL-3.0-or-later"]),
    ("postgis/postgis", "b2d575041cbbb33402ed52c90284e93e7c649248", "raster/rt_pg/rtpg_inout.c",
     27, ["GPL-2.0-or-later"]),
    ("couchbase/kv_engine", "eba4298981505cdc3371abbfb8be213236f7875a", "daemon/protocol/mcbp/observe_context.cc",
     15, ["Apache-2.0"]),
    ("eclipse-ee4j/jersey", "c2e1271b3709427a2130fb2c70a853dc66241cfc",
     "core-common/src/main/java/org/glassfish/jersey/internal/guava/Joiner.java", 15, ["Apache-2.0"]),
    ("itext/itext-java", "c2b74310be751097d12ad8621a5d2f0255da45ac",
     "layout/src/main/java/com/itextpdf/layout/hyphenation/TernaryTree.java", 16, ["Apache-2.0"]),
    ("timescale/timescaledb", "4bf70ffa9b3b7f190139536c0482a300e52cd44a", "tsl/src/compression/compression_storage.c",
     5, ["LicenseRef-scancode-tsl-2020"]),
]


def github():
    if "--git" not in sys.argv:
        sys.exit("the github section needs --git DIR (clones named owner+name)")
    base = sys.argv[sys.argv.index("--git") + 1]
    for repo, commit, path, lines, expected in GITHUB_HEADERS:
        name = repo.replace("/", "+")
        rel = f"github/{name}/{path.replace('/', '__')}"
        gitdir = next((d for d in (os.path.join(base, name, "repo"), os.path.join(base, name)) if os.path.isdir(d)),
                      None)
        got = subprocess.run(["git", "-C", gitdir or base, "show", f"{commit}:{path}"], capture_output=True)
        if gitdir is None or got.returncode:
            # A clone without that commit (a snapshot of a rewritten branch): keep the file as
            # committed, which was read at that commit.
            got = subprocess.run(["git", "-C", ROOT, "show", f"HEAD:fixtures/detect/corpus/{rel}"], capture_output=True,
                                 check=True)
            print(f"{repo}@{commit[:10]} not in {base}: kept {rel} as committed", file=sys.stderr)
        text = got.stdout.decode("utf-8", "replace")
        kind = "catalogue" if any(i.startswith("LicenseRef-") for i in expected) else "header"
        put(rel, "".join(text.splitlines(True)[:lines]), kind, expected)


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
