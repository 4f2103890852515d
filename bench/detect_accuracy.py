#!/usr/bin/env python3
"""Detection accuracy of two kataster binaries on the labeled corpus, in the same run.

Scans fixtures/detect/corpus with each binary (`kataster scan -o json=...`), reads every
file's license findings from the inventory and scores them against labels.json the way
tests/it/detect_corpus.rs does: a finding is right when its ids are among the file's
labeled ids (GNU ids compared without -only / -or-later); pointers are not counted.

Prints, per binary, per method: findings, precision, and the share of all labeled ids the
method found; per kind of file: labeled ids, precision and recall.

Usage: bench/detect_accuracy.py BASE_BINARY NEW_BINARY   (from the repository root)
"""
import json, os, re, subprocess, sys, tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fixtures/detect/corpus")
POINTER = "LicenseRef-kataster-see-license-file"


def ids(expr):
    out = set()
    for t in re.split(r"[\s()]+", expr):
        if t and t not in ("AND", "OR", "WITH"):
            for suffix in ("-only", "-or-later", "+"):
                if t.endswith(suffix):
                    t = t[: -len(suffix)]
            out.add(t)
    return out


def findings(binary):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "inv.json")
        env = dict(os.environ, HOME=tmp)
        subprocess.run([binary, "scan", "-q", "--no-local-caches", "-o", f"json={out}", CORPUS], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        inv = json.load(open(out))
    return {f["path"]: f.get("licenses", []) for f in inv.get("files", [])}


def score(found, labels):
    method = defaultdict(lambda: [0, 0, set()])  # right, wrong, (file, id) found
    kind = defaultdict(lambda: [0, 0, 0, 0])  # right, wrong, found ids, expected ids
    total = 0
    for rel, label in labels.items():
        expected = set().union(*[ids(e) for e in label["expected"]]) if label["expected"] else set()
        total += len(expected)
        covered = set()
        k = kind[label["kind"]]
        for f in found.get(rel, []):
            if f["expression"] == POINTER:
                continue
            fi = ids(f["expression"])
            m = method[f["method"]]
            if fi and fi <= expected:
                m[0] += 1
                k[0] += 1
                covered |= fi
                m[2] |= {(rel, i) for i in fi}
            else:
                m[1] += 1
                k[1] += 1
        k[2] += len(covered & expected)
        k[3] += len(expected)
    return method, kind, total


def main():
    base, new = sys.argv[1], sys.argv[2]
    labels = json.load(open(os.path.join(CORPUS, "labels.json")))
    runs = [score(findings(b), labels) for b in (base, new)]
    print(f"{len(labels)} files, {runs[0][2]} labeled ids\n")
    print(f"{'method':<10} {'findings':>9} {'precision':>10} {'ids found':>10} | {'findings':>9} {'precision':>10} "
          f"{'ids found':>10}")
    methods = sorted(set(runs[0][0]) | set(runs[1][0]))
    for m in methods + ["all"]:
        cells = []
        for method, _, total in runs:
            if m == "all":
                r = sum(v[0] for v in method.values())
                w = sum(v[1] for v in method.values())
                found = len(set().union(*[v[2] for v in method.values()])) if method else 0
            else:
                r, w, got = method.get(m, [0, 0, set()])
                found = len(got)
            cells.append(f"{r + w:>9} {r / max(r + w, 1):>10.3f} {found / max(total, 1):>10.3f}")
        print(f"{m:<10} {cells[0]} | {cells[1]}")
    print(f"\n{'kind':<14} {'ids':>5} {'precision':>10} {'recall':>8} | {'precision':>10} {'recall':>8}")
    print("(negative: files that state no license; any finding there is wrong)")
    for k in sorted(set(runs[0][1]) | set(runs[1][1])):
        cells = []
        for _, kind, _ in runs:
            r, w, f, e = kind.get(k, [0, 0, 0, 0])
            p = f"{r / (r + w):>10.3f}" if r + w else f"{'-':>10}"
            cells.append(f"{p} {f / e:>8.3f}" if e else f"{p} {'-':>8}")
        print(f"{k:<14} {runs[1][1][k][3]:>5} {cells[0]} | {cells[1]}")


if __name__ == "__main__":
    main()
