#!/usr/bin/env bash
# Verdict evaluation on real repositories: scans every repository under $EVAL/repos to
# JSON, compares the components with $EVAL/expected.toml (written by hand from each
# repository's license files and manifests) and prints per-repository right/wrong counts
# and the overall share of right verdicts. A verdict is right when category and
# open_source match, and concluded_license too where expected.toml gives one. For
# $EVAL/npm-tree (an installed node_modules tree) it prints the number of npm dependency
# components and the share whose open_source is "unknown".
#
# Usage: EVAL=/work/eval bench/verdicts.sh
#   KATASTER=path/to/kataster  use that binary instead of building target/release/kataster
#   VERBOSE=1                  also list every wrong or missing verdict
# Scans run with --no-local-caches, HOME and XDG_CACHE_HOME pointing to an empty folder.
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL="${EVAL:?set EVAL to the evaluation folder (repos/, expected.toml, npm-tree/)}"
if [ -z "${KATASTER:-}" ]; then
  cargo build --release --quiet --bin kataster
  KATASTER=target/release/kataster
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$OUT/home" "$OUT/json"

scan() { # scan DIR NAME
  HOME="$OUT/home" XDG_CACHE_HOME="$OUT/home/.cache" \
    "$KATASTER" scan "$1" -q --no-local-caches -o "json=$OUT/json/$2.json" >"$OUT/$2.log" 2>&1 || true
  [ -s "$OUT/json/$2.json" ] || { echo "$2: no inventory written:" >&2; tail -n 5 "$OUT/$2.log" >&2; }
}

if [ -d "$EVAL/repos" ]; then
  for repo in "$EVAL"/repos/*/; do
    name="$(basename "$repo")"
    start=$(date +%s.%N)
    scan "$repo" "$name"
    printf '%-40s scanned in %5.1f s\n' "$name" "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')"
  done
fi
if [ -d "$EVAL/npm-tree" ]; then
  scan "$EVAL/npm-tree" npm-tree
fi

python3 - "$EVAL" "$OUT/json" <<'PY'
import json, os, sys, tomllib
from collections import OrderedDict

eval_dir, json_dir = sys.argv[1], sys.argv[2]
verbose = os.environ.get("VERBOSE") == "1"

def open_source(cls):
    # "yes" / "no" / "unknown"; inventories written before the three-valued status say true/false
    v = cls.get("open_source")
    return {True: "yes", False: "no", None: "unknown"}.get(v, v) if not isinstance(v, str) else v

def short(text, n=300):
    return text if len(text) <= n else text[:n] + " ..."

def load(name):
    path = os.path.join(json_dir, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)

expected_path = os.path.join(eval_dir, "expected.toml")
expected = []
if os.path.exists(expected_path):
    with open(expected_path, "rb") as f:
        expected = tomllib.load(f).get("component", [])

per_repo = OrderedDict()
wrong_lines = []
inventories = {}
for want in expected:
    cid = want["id"]
    repo = cid.split(":", 1)[0]
    counts = per_repo.setdefault(repo, {"right": 0, "wrong": 0, "missing": 0})
    if repo not in inventories:
        inventories[repo] = load(repo)
    inv = inventories[repo]
    comps = {c.get("id"): c for c in (inv or {}).get("components", [])}
    got = comps.get(cid)
    if got is None:
        counts["missing"] += 1
        wrong_lines.append(f"  {cid}: missing" + ("" if inv else " (no inventory)"))
        continue
    cls = got.get("classification") or {}
    diffs = []
    for field, actual in (("category", cls.get("category")), ("open_source", open_source(cls)),
                          ("concluded", got.get("concluded_license"))):
        if field in want and want[field] != actual:
            diffs.append(f"{field} {actual!r} (expected {want[field]!r})")
    if diffs:
        counts["wrong"] += 1
        reasons = short("; ".join(cls.get("reasons") or []))
        wrong_lines.append(f"  {cid}: " + ", ".join(diffs) + (f"\n      reasons: {reasons}" if reasons else ""))
    else:
        counts["right"] += 1

if per_repo:
    print()
    print(f"{'repository':<40} {'right':>5} {'wrong':>5} {'missing':>7}")
    total = right = 0
    for repo, c in per_repo.items():
        n = c["right"] + c["wrong"] + c["missing"]
        total += n
        right += c["right"]
        print(f"{repo:<40} {c['right']:>5} {c['wrong']:>5} {c['missing']:>7}")
    print(f"right verdicts: {right}/{total} ({100.0 * right / total:.1f} %)")
    if verbose and wrong_lines:
        print("wrong or missing:")
        print("\n".join(wrong_lines))

npm = load("npm-tree")
if npm is not None:
    deps = [c for c in npm.get("components", [])
            if c.get("kind") == "dependency" and (c.get("purl") or "").startswith("pkg:npm/")]
    unknown = [c for c in deps if open_source(c.get("classification") or {}) == "unknown"]
    share = 100.0 * len(unknown) / len(deps) if deps else 0.0
    print()
    print(f"npm-tree: {len(deps)} npm dependency components, open_source unknown: {len(unknown)} ({share:.1f} %)")
    if verbose:
        for c in unknown[:50]:
            print(f"  {c.get('id')}: declared {c.get('declared_license')!r}, concluded {c.get('concluded_license')!r}")
PY
