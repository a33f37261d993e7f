"""The Python package against the CLI it wraps (issue 15).

Run from the repository root after installing the wheel:
    SHULIANG_CLI=target/release/shuliang python -m pytest python/tests
"""

import csv
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import shuliang

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
CLI = Path(os.environ.get("SHULIANG_CLI", ROOT / "target" / "release" / "shuliang"))

needs_cli = pytest.mark.skipif(not CLI.exists(), reason=f"no CLI at {CLI}")


def cli(*args, stdin=None):
    return subprocess.run(
        [str(CLI), *args], input=stdin, capture_output=True, check=False
    )


def to_cli_csv(df: pd.DataFrame) -> bytes:
    """The DataFrame written back as the CLI's CSV: exact values, `\\n` ends."""
    out = df.drop(columns=["value_exact", "value_max_exact"]).copy()
    out["value"] = df["value_exact"]
    out["value_max"] = df["value_max_exact"]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def corpus_df():
    return shuliang.extract_files(CORPUS)


@needs_cli
def test_extract_files_is_the_cli_byte_for_byte(corpus_df):
    want = cli("extract", "-q", str(CORPUS)).stdout
    assert len(corpus_df) > 10000
    assert to_cli_csv(corpus_df) == want


@needs_cli
def test_extract_files_relative_paths_and_published_formats(tmp_path):
    # PDF, Word and HTML are read as the CLI reads them; doc ids as given.
    published = CORPUS / "published"
    df = shuliang.extract_files(published)
    want = cli("extract", "-q", str(published)).stdout
    assert to_cli_csv(df) == want
    assert {Path(d).suffix for d in df["doc"]} >= {".pdf", ".docx", ".html"}


@needs_cli
def test_manifest_and_glob_as_the_cli(tmp_path):
    manifest = CORPUS / "manifest.csv"
    df = shuliang.extract_files(CORPUS, manifest=manifest, glob="*.txt")
    want = cli(
        "extract", "-q", str(CORPUS), "--manifest", str(manifest), "--glob", "*.txt"
    ).stdout
    assert to_cli_csv(df) == want
    assert "source" in df.columns  # a manifest column carried through


def test_dtypes(corpus_df):
    dt = corpus_df.dtypes
    for c in ("start", "end", "year"):
        assert dt[c] == "Int64", c
    for c in ("value", "value_max"):
        assert dt[c] == "float64", c
    for c in shuliang.COLUMNS:
        if c not in ("start", "end", "year", "value", "value_max"):
            assert pd.api.types.is_string_dtype(dt[c]), c
    assert list(corpus_df.columns[: len(shuliang.COLUMNS)]) == shuliang.COLUMNS
    assert list(corpus_df.columns[-2:]) == ["value_exact", "value_max_exact"]
    ranges = corpus_df[corpus_df["value_max"].notna()]
    assert len(ranges) > 0
    assert (ranges["value_max"] == ranges["value_max_exact"].astype(float)).all()
    assert corpus_df.attrs["summary"]["documents"] > 0


def test_exact_values_survive_float(corpus_df):
    # Values beyond float precision keep their exact decimal beside the float.
    assert (corpus_df["value"] == corpus_df["value_exact"].astype(float)).all()
    big = corpus_df[corpus_df["value_exact"].str.len() > 15]
    for exact, v in zip(big["value_exact"], big["value"]):
        assert float(exact) == v


@needs_cli
def test_extract_text_is_the_cli_on_stdin():
    text = (CORPUS / "weidong-2021.txt").read_text(encoding="utf-8")
    rows = shuliang.extract(text)
    want = list(csv.DictReader(io.StringIO(cli("extract", "-q", "-", stdin=text.encode()).stdout.decode(), newline="")))
    assert len(rows) == len(want) > 50
    for got, w in zip(rows, want):
        for c in shuliang.COLUMNS:
            if c in ("value", "value_max"):
                assert (got[c + "_exact"] or "") == w[c]
                assert got[c] == (float(w[c]) if w[c] else None)
            elif c in ("start", "end"):
                assert got[c] == int(w[c])
            elif c == "year":
                assert got[c] == (int(w[c]) if w[c] else None)
            else:
                assert got[c] == w[c], c


def test_extract_small():
    rows = shuliang.extract("完成投资46.11亿元，王斌庄村5200\n\n余名群众受益")
    assert rows[0]["value_exact"] == "4611000000"
    assert rows[0]["value"] == 4611000000.0
    assert rows[0]["unit"] == "CNY"
    assert rows[1]["text"] == "5200余名"
    assert rows[1]["qualifier"] == "more_than"
    assert shuliang.extract("") == []
    with pytest.raises(TypeError):
        shuliang.extract(b"bytes")


def test_skipped_files_warn(tmp_path):
    (tmp_path / "good.txt").write_text("完成投资46.11亿元", encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    with pytest.warns(shuliang.ShuliangWarning, match="bad.pdf"):
        df = shuliang.extract_files(tmp_path)
    assert list(df["doc"]) == ["good.txt"]
    assert df.attrs["summary"]["skipped"] == 1
    with pytest.warns(shuliang.ShuliangWarning, match="missing"):
        df = shuliang.extract_files([tmp_path / "good.txt", tmp_path / "missing.txt"])
    assert len(df) == 1


def test_empty_result_has_columns_and_dtypes(tmp_path):
    (tmp_path / "none.txt").write_text("没有数字", encoding="utf-8")
    df = shuliang.extract_files(tmp_path)
    assert len(df) == 0
    assert list(df.columns[: len(shuliang.COLUMNS)]) == shuliang.COLUMNS
    assert df.dtypes["start"] == "Int64" and df.dtypes["value"] == "float64"


def test_bad_arguments():
    with pytest.raises(ValueError):
        shuliang.extract_files(CORPUS, threads=0)
    with pytest.raises(ValueError):
        shuliang.extract_files([])
    with pytest.raises(shuliang.ShuliangError, match="glob"):
        shuliang.extract_files(CORPUS, glob="[")
    with pytest.raises(shuliang.ShuliangError, match="nowhere.csv"):
        shuliang.extract_files(CORPUS, manifest="nowhere.csv")


def test_rules_default_and_test():
    r = shuliang.Rules.default()
    assert r.source == "rules/zh.toml"
    report = r.test()
    assert report["ok"], report["failures"][:3]
    assert report["run"] == report["passed"] > 100
    assert report["rules"] > 10


@pytest.fixture()
def rules_text():
    return (ROOT / "rules" / "zh.toml").read_text(encoding="utf-8")


def test_rules_error_names_rule_and_line(tmp_path, rules_text):
    bad = rules_text.replace(
        "pattern = '(?P<neg>负|-)?(?P<num>{number})(?P<unit>%|‰)'",
        "pattern = '(?P<neg>负|-)?(?P<num>{number})(?P<unit>%|‰'",
    )
    assert bad != rules_text
    p = tmp_path / "bad.toml"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(shuliang.RulesError) as e:
        shuliang.Rules.from_file(p)
    msg = str(e.value)
    assert "percent" in msg and "bad.toml:" in msg
    assert isinstance(e.value, shuliang.ShuliangError)
    with pytest.raises(shuliang.RulesError, match="cannot|No such|not"):
        shuliang.Rules.from_file(tmp_path / "missing.toml")


def test_failing_examples_refused_as_the_cli(tmp_path, rules_text):
    bad = rules_text.replace('gives = ["负3.9% = -3.9 %"]', 'gives = ["负3.9% = -4 %"]')
    assert bad != rules_text
    p = tmp_path / "wrong.toml"
    p.write_text(bad, encoding="utf-8")
    rules = shuliang.Rules.from_file(p)
    report = rules.test()
    assert not report["ok"] and len(report["failures"]) == 1
    assert "wrong.toml:" in report["failures"][0] and "percent" in report["failures"][0]
    with pytest.raises(shuliang.RulesError, match="负3.9%"):
        shuliang.extract("增长6%", rules=rules)
    with pytest.raises(shuliang.RulesError):
        shuliang.extract_files(CORPUS / "weidong-2021.txt", rules=rules)


def test_rules_from_file_used(tmp_path, rules_text):
    p = tmp_path / "copy.toml"
    p.write_text(rules_text, encoding="utf-8")
    rules = shuliang.Rules.from_file(p)
    assert str(p) in repr(rules)
    assert shuliang.extract("增长6%", rules=rules)[0]["value_exact"] == "6"


@needs_cli
def test_panel_is_the_cli():
    df = shuliang.panel(CORPUS)
    want = cli("panel", "-q", str(CORPUS)).stdout
    out = df.drop(columns=["value_exact", "value_max_exact"]).copy()
    out["value"], out["value_max"] = df["value_exact"], df["value_max_exact"]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    assert buf.getvalue().encode() == want
    assert df.dtypes["report_year"] == "Int64" and df.dtypes["value"] == "float64"
    gdp = shuliang.panel(CORPUS, indicators=["gdp"])
    assert set(gdp["indicator_id"]) == {"gdp"}
    wide = shuliang.panel(CORPUS, wide=True, indicators="gdp")
    assert "gdp_target" in wide.columns and "gdp_actual" in wide.columns
    assert "gdp_target_qualifier" in wide.columns and "gdp_estimate" in wide.columns
    levels = shuliang.panel(CORPUS, levels=True, indicators="gdp")
    assert {"%", "CNY"} <= set(levels["unit"])


@needs_cli
def test_scorecard_is_the_cli():
    df = shuliang.scorecard(CORPUS)
    want = cli("scorecard", "-q", str(CORPUS)).stdout
    out = df.copy()
    exact = [c for c in df.columns if c.endswith("_exact")]
    for c in exact:
        out[c[: -len("_exact")]] = df[c]
    buf = io.StringIO()
    out.drop(columns=exact).to_csv(buf, index=False, lineterminator="\n")
    assert buf.getvalue().encode() == want
    assert df.dtypes["year"] == "Int64" and df.dtypes["target_value"] == "float64"
    assert set(df["met"]) <= {"yes", "no", ""}


@needs_cli
def test_explain_is_the_cli():
    text = "2023年全市地区生产总值增长6.5%左右，完成投资46.11亿元"
    e = shuliang.explain(text)
    assert str(e) == cli("explain", text).stdout.decode()
    assert [r["text"] for r in e.rows] == ["6.5%", "46.11亿元"]
    assert e.rows[0]["groups"]["num"] == "6.5"
    assert e.rows[0]["rule_line"] > 0
    assert "rows" in repr(e)


def test_threads_give_the_same_rows():
    one = shuliang.extract_files(CORPUS / "county", threads=1)
    two = shuliang.extract_files(CORPUS / "county", threads=2)
    pd.testing.assert_frame_equal(one, two)


def test_gil_is_released():
    # While extract_files runs in Rust, another Python thread keeps running.
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.perf_counter()
        shuliang.extract_files(CORPUS, threads=1)
        end = time.perf_counter()
    finally:
        done.set()
        t.join()
    during = [x for x in ticks if start < x < end]
    assert len(during) >= 0.3 * (end - start) / 0.005 * 0.5


def test_help_reads_well():
    for f in (shuliang.extract, shuliang.extract_files, shuliang.panel, shuliang.explain):
        assert f.__doc__ and len(f.__doc__) > 200
    assert "rule" in shuliang.Rules.from_file.__doc__
    assert shuliang.VERSION.startswith(shuliang.__version__)


def _pdf(objects):
    """A PDF of `objects` (numbered from 1, the first the catalog) with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(d, data):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), d) + data + b"\nendstream"


def test_a_hostile_pdf_costs_only_itself(tmp_path):
    # A form that draws itself: the PDF library recurses until the stack
    # overflows. In this process it would kill the interpreter; in the
    # conversion child it is one skipped file.
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 6 0 R >> /XObject << /X1 5 0 R >> >> >>")
    form = _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                   b"/Resources << /XObject << /X1 5 0 R >> >>", b"/X1 Do")
    content = _stream(b"", b"BT /F1 12 Tf 72 712 Td (3%) Tj ET /X1 Do")
    (tmp_path / "self.pdf").write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page, content, form,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]))
    (tmp_path / "ok.txt").write_text("全年增长3%。", encoding="utf-8")
    with pytest.warns(shuliang.ShuliangWarning, match=r"self.pdf: signal: .*(SIGABRT|SIGSEGV)"):
        df = shuliang.extract_files(tmp_path)
    assert list(df["doc"]) == ["ok.txt"]
    assert df.attrs["summary"]["skipped"] == 1


def test_iter_files_batches_are_extract_files(corpus_df, tmp_path):
    batches = list(shuliang.iter_files(CORPUS, batch_bytes=256 << 10))
    assert len(batches) > 5
    for b in batches:
        assert b.dtypes.equals(corpus_df.dtypes)
    whole = pd.concat(batches, ignore_index=True)
    pd.testing.assert_frame_equal(whole, corpus_df)
    # The generator returns the summary; stopping early is fine.
    gen = shuliang.iter_files(CORPUS, batch_bytes=1 << 16)
    next(gen)
    gen.close()
    (tmp_path / "a.txt").write_text("完成投资46.11亿元", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"not a pdf")
    with pytest.warns(shuliang.ShuliangWarning, match="b.pdf"):
        got = list(shuliang.iter_files(tmp_path))
    assert len(got) == 1 and list(got[0]["text"]) == ["46.11亿元"]
    with pytest.raises(shuliang.ShuliangError, match="glob"):
        list(shuliang.iter_files(CORPUS, glob="["))
