#!/usr/bin/env python3
"""The loading recipes of docs/csv.md, run as written on `shuliang extract
corpus/`, the check of every row against `--save-text` in docs/inputs.md,
and README's worked example (`shuliang scorecard corpus/`, its pandas and
DuckDB blocks), whose printed output must be the README's.

    python3 tests/py/recipes.py [--bin target/release/shuliang]

The code blocks are taken from the docs themselves (in docs/csv.md the block
after "pandas:", "DuckDB:", "R (readr):", "Stata:"), so a recipe that drifts
from what the tool writes fails here. pandas and DuckDB are required (CI installs them);
R and Stata run where `Rscript` and `stata` are on the PATH, and are named
as not checked otherwise. Exit status 0 when every check that ran passed.
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(name, ok, detail=""):
    print(("ok    " if ok else "FAIL  ") + name)
    if not ok:
        failures.append(name)
        if detail:
            print("      " + str(detail).replace("\n", "\n      "))


CSV_DOC = "docs/csv.md"
INPUTS_DOC = "docs/inputs.md"


def block(doc, label, lang):
    """The first ```lang block after the line `label`."""
    m = re.search(r"^" + re.escape(label) + r"\s*\n\s*```" + lang + r"\n(.*?)```", doc, re.S | re.M)
    if not m:
        raise SystemExit(f"{CSV_DOC} has no {lang} block after {label!r}")
    return m.group(1)


def expected_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def pandas_recipe(code, rows):
    import pandas as pd

    scope = {}
    exec(code, scope)
    q = scope["q"]
    check("pandas: every row read", len(q) == len(rows), f"{len(q)} vs {len(rows)}")
    check("pandas: value, value_max are float64",
          str(q["value"].dtype) == "float64" and str(q["value_max"].dtype) == "float64")
    check("pandas: start, end, year are integers",
          all(str(q[c].dtype) == "Int64" for c in ("start", "end", "year")))
    check("pandas: code and refers_to stay text",
          all(pd.api.types.is_string_dtype(q[c]) for c in ("code", "refers_to")))
    top = max(float(r["value"]) for r in rows)
    check("pandas: max(value) is the numeric maximum", q["value"].max() == top, q["value"].max())
    check("pandas: empty value_max is NaN", q["value_max"].isna().sum()
          == sum(1 for r in rows if r["value_max"] == ""))
    return pd


def duckdb_recipe(code, rows):
    import duckdb

    con = duckdb.connect()
    statements = [s for s in code.split(";") if s.strip()]
    for s in statements[:-1]:
        con.execute(s)
    result = con.execute(statements[-1]).fetchall()
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'q'").fetchall())
    check("duckdb: value is DOUBLE, start and year INTEGER",
          types.get("value") == "DOUBLE" and types.get("start") == "INTEGER"
          and types.get("year") == "INTEGER", types)
    n = con.execute("SELECT count(*) FROM q").fetchone()[0]
    check("duckdb: every row read", n == len(rows), f"{n} vs {len(rows)}")
    top = con.execute("SELECT max(value) FROM q").fetchone()[0]
    check("duckdb: max(value) is the numeric maximum",
          top == max(float(r["value"]) for r in rows), top)
    gdp = sorted((float(r["value"]) for r in rows if r["indicator_id"] == "gdp"
                  and r["kind"] == "percent" and r["status"] == "actual"), reverse=True)
    check("duckdb: the example query ranks growth numerically",
          bool(result) and result[0][2] == gdp[0] and all(
              a[2] >= b[2] for a, b in zip(result, result[1:])), result)


def r_recipe(code, rows, workdir):
    if not shutil.which("Rscript"):
        print("skip  R recipe: Rscript is not installed here (not checked)")
        return
    script = code + '\ncat(nrow(q), class(q$value), class(q$start), "\\n")\n'
    out = subprocess.run(["Rscript", "-e", script], cwd=workdir, capture_output=True, text=True)
    check("R: reads every row with numeric value and integer start",
          out.stdout.split()[:3] == [str(len(rows)), "numeric", "integer"], out.stdout + out.stderr)


def stata_recipe(code, rows, workdir):
    stata = shutil.which("stata") or shutil.which("stata-mp") or shutil.which("stata-se")
    if not stata:
        print("skip  Stata recipe: stata is not installed here (not checked)")
        return
    with open(os.path.join(workdir, "recipe.do"), "w") as f:
        f.write(code + "\ndisplay _N\n")
    out = subprocess.run([stata, "-b", "do", "recipe.do"], cwd=workdir, capture_output=True, text=True)
    log = open(os.path.join(workdir, "recipe.log"), encoding="utf-8", errors="replace").read()
    check("Stata: reads every row", str(len(rows)) in log, log[-1000:])


def save_text_recipe(doc, binary, workdir):
    """The check of every row against the text `--save-text` wrote."""
    m = re.search(r"```python\n(import csv\n.*?open\(f\"text/.*?)```", doc, re.S)
    if not m:
        raise SystemExit(f"{INPUTS_DOC} has no --save-text check")
    subprocess.run([binary, "extract", "-q", os.path.join(ROOT, "corpus"), "-o", "quantities.csv",
                    "--save-text", "text"], cwd=workdir, check=True)
    try:
        exec(m.group(1), {})
        check("save-text: text[start:end] is every row's mention (newline='')", True)
    except AssertionError as e:
        check("save-text: text[start:end] is every row's mention (newline='')", False, e)


def readme_example(readme, binary, tmp):
    """README's worked example: the scorecard, then its pandas and DuckDB
    blocks, each printing what the README's output block after it shows."""
    import contextlib
    import io

    import duckdb

    subprocess.run([binary, "scorecard", "-q", os.path.join(ROOT, "corpus"), "-o",
                    os.path.join(tmp, "scorecard.csv")], check=True)
    section = readme.split("## A worked example", 1)[1]
    shown = re.findall(r"```(\w*)\n(.*?)```", section, re.S)
    code = dict((lang, body) for lang, body in shown if lang in ("python", "sql"))
    outputs = [body for lang, body in shown if lang == ""]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code["python"], {})
    check("README example: pandas prints what README shows", printed.getvalue() == outputs[0],
          printed.getvalue())
    con = duckdb.connect()
    rel = con.execute(code["sql"].strip().rstrip(";"))
    lines = [" ".join(d[0] for d in rel.description)]
    lines += [" ".join(str(v) for v in row) for row in rel.fetchall()]
    got = "\n".join(lines) + "\n"
    check("README example: DuckDB gives what README shows", got == outputs[1], got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/shuliang"))
    args = ap.parse_args()
    read = lambda rel: open(os.path.join(ROOT, rel), encoding="utf-8").read()  # noqa: E731
    csv_doc, inputs_doc = read(CSV_DOC), read(INPUTS_DOC)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "quantities.csv")
        subprocess.run([args.bin, "extract", "-q", os.path.join(ROOT, "corpus"), "-o", out], check=True)
        rows = expected_rows(out)
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            pandas_recipe(block(csv_doc, "pandas:", "python"), rows)
            duckdb_recipe(block(csv_doc, "DuckDB:", "sql"), rows)
            r_recipe(block(csv_doc, "R (readr):", "r"), rows, tmp)
            stata_recipe(block(csv_doc, "Stata:", "stata"), rows, tmp)
            save_text_recipe(inputs_doc, args.bin, tmp)
            readme_example(read("README.md"), args.bin, tmp)
        finally:
            os.chdir(cwd)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
