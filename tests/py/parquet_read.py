#!/usr/bin/env python3
"""`--format parquet` read as a researcher would, with no recipe: pandas
(pyarrow) and DuckDB, on `shuliang extract corpus/` and `shuliang panel
corpus/`. Every column must come with the type docs/csv.md gives it
(integers, floats, text, nulls) and every value must be the CSV's.

    python3 tests/py/parquet_read.py [--bin target/release/shuliang]

pandas, pyarrow and DuckDB are required (CI installs them). Exit status 0
when every check passed.
"""

import argparse
import math
import os
import subprocess
import sys
import tempfile

import duckdb
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from recipes import ROOT, check, expected_rows, failures  # noqa: E402

INTEGERS = {"start", "end", "year", "report_year"}
NUMBERS = {"value", "value_max"}


def same(cell, text, column):
    """Whether a value read from Parquet is the CSV's cell."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell is pd.NA:
        return text == ""
    if column in INTEGERS:
        return int(cell) == int(text)
    if column in NUMBERS:
        return float(cell) == float(text)
    return cell == text


def compare(label, frame, rows):
    """Every cell of a DataFrame read from Parquet against the CSV's rows."""
    check(f"{label}: every row", len(frame) == len(rows), f"{len(frame)} vs {len(rows)}")
    check(f"{label}: the CSV's columns in order", list(frame.columns) == list(rows[0].keys()))
    bad = [
        (i, c, frame[c].iloc[i], r[c])
        for i, r in enumerate(rows)
        for c in r
        if not same(frame[c].iloc[i], r[c], c)
    ]
    check(f"{label}: every cell is the CSV's", not bad, bad[:5])


def dtypes(label, frame, integer_kinds):
    for c in frame.columns:
        kind = frame[c].dtype.kind
        if c in INTEGERS:
            ok = kind in integer_kinds
        elif c in NUMBERS:
            ok = kind == "f"
        else:
            ok = kind == "O" or str(frame[c].dtype).startswith("str")
        check(f"{label}: {c} is {frame[c].dtype}", ok)


def run(binary, args, out):
    subprocess.run([binary, *args, "-q", "-o", out], cwd=ROOT, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/shuliang"))
    binary = ap.parse_args().bin
    with tempfile.TemporaryDirectory() as tmp:
        for cmd in ["extract", "panel"]:
            csv_out, pq_out = os.path.join(tmp, f"{cmd}.csv"), os.path.join(tmp, f"{cmd}.parquet")
            run(binary, [cmd, "corpus"], csv_out)
            run(binary, [cmd, "corpus", "--format", "parquet"], pq_out)
            rows = expected_rows(csv_out)
            q = pd.read_parquet(pq_out)
            # An integer column with nulls (a document without a year) is
            # float in pandas' NumPy types, as in any pandas frame.
            dtypes(f"pandas {cmd}", q, "iuf")
            compare(f"pandas {cmd}", q, rows)
            d = duckdb.sql(f"SELECT * FROM '{pq_out}'")
            types = dict(zip(d.columns, (str(t) for t in d.types)))
            for c, t in types.items():
                want = "BIGINT" if c in INTEGERS else "DOUBLE" if c in NUMBERS else "VARCHAR"
                check(f"duckdb {cmd}: {c} is {t}", t == want)
            compare(f"duckdb {cmd}", d.df(), rows)
            if cmd == "extract":
                top = duckdb.sql(
                    f"SELECT max(value) FROM '{pq_out}' WHERE indicator_id = 'gdp' "
                    "AND kind = 'percent' AND status = 'actual'"
                ).fetchall()[0][0]
                want = max(float(r["value"]) for r in rows
                           if r["indicator_id"] == "gdp" and r["kind"] == "percent" and r["status"] == "actual")
                check("duckdb: max(value) is numeric, no cast", top == want, f"{top} vs {want}")
    print(f"{len(failures)} failed" if failures else "all passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
