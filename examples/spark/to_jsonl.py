#!/usr/bin/env python3
"""Reports to the JSON lines `shuliang stream` reads, one document a line.

    python3 examples/spark/to_jsonl.py corpus/ > docs.jsonl

Doc ids are paths below the folder ('/'-separated), as `shuliang extract`
gives them; files are decoded as shuliang decodes them (UTF-8 with a BOM
dropped, else GB18030); files in neither are named on stderr and left out
(exit status 1). `--glob` as in shuliang (default *.txt)."""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shuliang_job import decode, selected  # noqa: E402


def walk(folder):
    """Files below folder in shuliang's order: entries of each folder by name,
    files and folders alike, folders entered where they sort."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_dir():
            yield from walk(entry.path)
        elif entry.is_file():
            yield entry.path


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folder")
    p.add_argument("--glob", action="append")
    a = p.parse_args()
    globs = a.glob or ["*.txt"]
    skipped = 0
    out = sys.stdout
    for path in walk(a.folder):
        doc = os.path.relpath(path, a.folder).replace(os.sep, "/")
        if selected(doc, globs):
            with open(path, "rb") as f:
                text = decode(f.read())
            if text is None:
                print(f"to_jsonl: {path}: neither UTF-8 nor GB18030, skipped", file=sys.stderr)
                skipped += 1
                continue
            out.write(json.dumps({"doc": doc, "text": text}, ensure_ascii=False) + "\n")
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
