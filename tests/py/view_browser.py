#!/usr/bin/env python3
"""`shuliang view` pages in a real browser (headless Chromium, driven by
Playwright): marks are the rows at their offsets, hovering and focusing
show a row, the filter hides what it should, and a document full of markup
runs nothing.

    python3 tests/py/view_browser.py            # a handful of corpus files (CI)
    python3 tests/py/view_browser.py --all      # every file of corpus/
    python3 tests/py/view_browser.py --readme   # also write docs/view.png
    python3 tests/py/view_browser.py --big      # also time a 5 MB bulletin

Needs `chromium` (or $CHROMIUM) and the `playwright` Python package; the
release binary is built first by .ci/run. A screenshot is left in
target/view-browser/ as the run's artifact.
"""

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "release" / "shuliang"
OUT = ROOT / "target" / "view-browser"
FILES = [
    "corpus/weidong-2021.txt",
    "corpus/raw-gbk/hailar_008.gbk.txt",
    "corpus/published/pdf/zhoukou-city-tjgb-2023.pdf",
    "corpus/published/docx/beijing-gzbg-2024.docx",
    "corpus/published/html/hefei-2024.html",
]
HOSTILE_TXT = (
    "一、</script><script>window.pwned=1</script>工作回顾\n"
    '投资5亿元<img src=x onerror="window.pwned=1">，增长3%。\n'
    "<iframe src=\"javascript:parent.pwned=1\"></iframe>收入1万元<svg onload=\"window.pwned=1\">\r\n"
)
HOSTILE_HTML = (
    "<html><body><p>全年投资&lt;script&gt;window.pwned=1&lt;/script&gt;5亿元，"
    "&lt;img src=x onerror=window.pwned=1&gt;增长3%。</p></body></html>"
)


def shuliang(*args):
    return subprocess.run([str(BIN), *args], check=True, capture_output=True, cwd=ROOT).stdout


def rows_and_text(path, work):
    """The rows `extract` writes for `path`, and the text they point into."""
    saved = work / "text"
    shutil.rmtree(saved, ignore_errors=True)
    out = shuliang("extract", "-q", "--save-text", str(saved), str(path))
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    (text_file,) = [p for p in saved.rglob("*") if p.is_file()]
    with open(text_file, encoding="utf-8", newline="") as f:
        return rows, f.read()


def build(path, work):
    page = work / (Path(path).name + ".html")
    shuliang("view", str(path), "-o", str(page))
    return page


class Browser:
    def __init__(self, pw):
        exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
        self.browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])

    def open(self, page_file):
        page = self.browser.new_page(viewport={"width": 1280, "height": 800})
        page.messages = []
        page.on("console", lambda m: page.messages.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.messages.append(f"error: {e}"))
        page.on("dialog", lambda d: (page.messages.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("request", lambda r: r.url.startswith("file:") or page.messages.append(f"request: {r.url}"))
        t = time.monotonic()
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_function("document.body.dataset.ready !== undefined", timeout=30000)
        page.load_seconds = time.monotonic() - t
        return page


def check_marks(page, rows, text, name):
    marks = page.evaluate(
        "Array.from(document.querySelectorAll('mark'), m => [+m.dataset.start, +m.dataset.end, m.textContent])"
    )
    assert len(marks) == len(rows), f"{name}: {len(marks)} marks, {len(rows)} rows"
    for (s, e, t), r in zip(marks, rows):
        assert (s, e) == (int(r["start"]), int(r["end"])), f"{name}: mark {s}..{e} is not row {r['start']}..{r['end']}"
        assert t == text[s:e], f"{name}: mark {s}..{e} shows {t!r}, the text has {text[s:e]!r}"
    shown = page.evaluate("document.getElementById('doc').textContent")
    assert shown == text, f"{name}: the page's text is not the document's"


def check_hover_and_keys(page, rows, name):
    if not rows:
        return
    i = len(rows) // 2
    mark = page.locator("mark").nth(i)
    mark.scroll_into_view_if_needed()
    mark.hover()
    tip = page.locator("#tip")
    assert tip.is_visible(), f"{name}: no tooltip on hover"
    tip_text = tip.inner_text()
    for col in ("value", "kind", "rule"):
        assert rows[i][col] in tip_text, f"{name}: tooltip lacks {col} {rows[i][col]!r}: {tip_text}"
    page.mouse.move(0, 0)
    # Keyboard only: Tab reaches the marks, and focus shows the row.
    page.locator("mark").first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused.startswith(("q", "n")), f"{name}: Tab from a mark went to {focused!r}"
    assert tip.is_visible(), f"{name}: no tooltip on focus"
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def check_filter(page, rows, name):
    if not rows:
        return
    kinds = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    kind = min(kinds, key=lambda k: (kinds[k], k))
    page.select_option("#f-kind", kind)
    lit = page.evaluate("document.querySelectorAll('mark.q:not(.off)').length")
    assert lit == kinds[kind], f"{name}: {lit} marks lit for {kind}, {kinds[kind]} rows"
    table = page.evaluate(
        "Array.from(document.querySelectorAll('#rows tbody tr'), tr => tr.children[3].textContent)"
    )
    assert table and set(table) == {kind}, f"{name}: table shows {set(table)} for {kind}"
    assert len(table) == min(kinds[kind], 300)
    page.select_option("#f-kind", "")
    assert page.evaluate("document.querySelectorAll('mark.q.off').length") == 0
    # Clicking a row of the table jumps to its mark.
    page.locator("#rows tbody tr:first-child button").click()
    focused = page.evaluate("document.activeElement.tagName")
    assert focused == "MARK", f"{name}: the table's first row jumped to {focused!r}"


def check_clean(page, name):
    assert page.messages == [], f"{name}: {page.messages}"
    assert page.evaluate("window.pwned") is None, f"{name}: the document's script ran"
    assert page.evaluate("document.scripts.length") == 2, f"{name}: scripts other than the page's"
    bad = page.evaluate("document.querySelectorAll('#doc img, #doc svg, #doc iframe, #doc script').length")
    assert bad == 0, f"{name}: markup from the document became elements"


def main():
    args = set(sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    files = FILES
    if "--all" in args:
        files = sorted(
            str(p.relative_to(ROOT))
            for p in (ROOT / "corpus").rglob("*")
            if p.suffix.lower() in {".txt", ".pdf", ".docx", ".html", ".htm"}
        )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        work = Path(tmp)
        (work / "hostile.txt").write_bytes(HOSTILE_TXT.encode("utf-8"))
        (work / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
        browser = Browser(pw)
        checked = 0
        for f in [*files, work / "hostile.txt", work / "hostile.html"]:
            path = f  # corpus files as given, relative to the repository: the page's title
            name = str(f)
            rows, text = rows_and_text(path, work)
            page = browser.open(build(path, work))
            check_marks(page, rows, text, name)
            check_hover_and_keys(page, rows, name)
            check_filter(page, rows, name)
            check_clean(page, name)
            if name == FILES[0]:
                page.screenshot(path=str(OUT / "view.png"))
                if "--readme" in args:
                    page.screenshot(path=str(ROOT / "docs" / "view.png"))
            page.close()
            checked += 1
            print(f"ok  {name}: {len(rows)} marks, {page.load_seconds:.2f} s")
        if "--big" in args:
            big(browser, work)
        print(f"view_browser: {checked} pages checked in Chromium; screenshot in {OUT / 'view.png'}")


def big(browser, work):
    """A 5 MB bulletin (a real one, as its PDF reads, repeated) must open in under two seconds."""
    _, one = rows_and_text(ROOT / FILES[2], work)
    big_file = work / "big.txt"
    big_file.write_text(one * (5_000_000 // len(one.encode("utf-8")) + 1), encoding="utf-8")
    t = time.monotonic()
    page_file = build(big_file, work)
    made = time.monotonic() - t
    page = browser.open(page_file)
    marks = page.evaluate("document.querySelectorAll('mark').length")
    print(
        f"big: {big_file.stat().st_size / 1e6:.1f} MB of text, page {page_file.stat().st_size / 1e6:.1f} MB "
        f"made in {made:.1f} s, {marks} marks, opened in {page.load_seconds:.2f} s "
        f"(script {page.evaluate('document.body.dataset.ready')} ms)"
    )
    assert page.load_seconds < 2, "a 5 MB document took two seconds or more to open"
    page.close()


if __name__ == "__main__":
    main()
