#!/usr/bin/env python3
"""How often `shuliang extract` finds a work report's region without a
manifest, and how often it is the manifest's.

    python3 scripts/region_check.py CORPUS [--show]
    SHULIANG_CORPUS=CORPUS python3 scripts/region_check.py [--show]

CORPUS is a folder of reports with a manifest.csv (`doc`, `region`, `year`,
`doc_type`), which is the truth, read here only to measure; the shared
corpus docs/csv.md's figures come from is one. SHULIANG_BIN names the binary
(default: target/release/shuliang). The manifest writes regions loosely (黔东南,
内蒙古呼伦贝尔市海拉尔区, 中华人民共和国国务院, a note in parentheses), so
a region is correct when its code equals the code the tool gives the
manifest's region (a second run with --manifest), or failing that when
the names are equal.
"""
import csv
import os
import re
import subprocess
import sys

csv.field_size_limit(1 << 30)
args = [a for a in sys.argv[1:] if not a.startswith("--")]
show = "--show" in sys.argv
corpus = args[0] if args else os.environ.get("SHULIANG_CORPUS")
if not corpus:
    sys.exit("region_check.py: name the corpus to measure: "
             "scripts/region_check.py CORPUS (or SHULIANG_CORPUS=CORPUS), "
             "a folder of reports with a manifest.csv")
if not os.path.isfile(os.path.join(corpus, "manifest.csv")):
    sys.exit(f"region_check.py: {corpus}: no manifest.csv there (it holds the regions to compare with)")
binary = os.environ.get("SHULIANG_BIN", "target/release/shuliang")

truth = {}
with open(f"{corpus}/manifest.csv", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["doc_type"] == "work_report":
            region = re.sub(r"\s*[(（].*$", "", r["region"]).strip()
            truth[r["doc"]] = (region.removesuffix("国务院"), r["year"])



def run(*extra):
    out = subprocess.run(
        [binary, "extract", "-q", corpus, *extra],
        capture_output=True, text=True, check=True,
    ).stdout
    found = {}
    for r in csv.DictReader(out.splitlines()):
        found.setdefault(r["doc"], (r["region"], r["year"], r.get("level", ""), r.get("code", "")))
    return found


found = run()
given = run("--manifest", f"{corpus}/manifest.csv")

filled = correct = year_ok = 0
for doc, (region, year) in sorted(truth.items()):
    got = found.get(doc, ("", "", "", ""))
    filled += bool(got[0])
    want_code = given.get(doc, ("", "", "", ""))[3]
    ok = got[3] == want_code if want_code and got[3] else got[0] == region
    correct += ok
    year_ok += got[1] == year
    if show and (not ok or got[1] != year):
        print(f"{doc}\t{region} {year} {want_code}\t-> {got[0] or '-'} {got[1] or '-'} {got[2]} {got[3]}")
n = len(truth)
print(f"{n} work reports: region filled {filled} ({100 * filled / n:.1f}%), "
      f"correct {correct} ({100 * correct / n:.1f}%), year correct {year_ok} ({100 * year_ok / n:.1f}%)")
