"""shuliang (数量): every quantity in Chinese government reports, in Python.

The same engine as the ``shuliang`` command line (the Rust crate of this
repository, compiled into ``shuliang._shuliang``), so the rows are the
CLI's rows::

    import shuliang
    rows = shuliang.extract("完成投资46.11亿元")          # list of dicts
    df = shuliang.extract_files("corpus/")                # pandas DataFrame
    panel = shuliang.panel("corpus/")                     # headline figures
    card = shuliang.scorecard("corpus/")                  # targets met or missed
    print(shuliang.explain("增长6.5%左右"))               # how each row was found

Work runs in Rust with the GIL released, on one worker thread per core
(``threads=`` to choose). PDF, Word and HTML files are converted in a
child process within the CLI's limits, so a hostile file costs only
itself. Files that cannot be read are skipped with a ``ShuliangWarning``,
as the CLI skips them with a warning.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from . import _shuliang
from ._shuliang import Rules, RulesError, ShuliangError

__all__ = [
    "COLUMNS",
    "Explanation",
    "Rules",
    "RulesError",
    "ShuliangError",
    "ShuliangWarning",
    "VERSION",
    "explain",
    "extract",
    "extract_files",
    "iter_files",
    "panel",
    "scorecard",
]

#: ``shuliang --version``: version, commit and the embedded rules' sha256.
VERSION: str = _shuliang.VERSION
__version__ = VERSION.split(" ", 1)[0]

#: The CLI's CSV columns, in order: the library's column table, whose
#: types say how each is read.
COLUMNS: List[str] = list(_shuliang.COLUMNS)

#: Columns that hold integers (``year`` can be missing: pandas ``Int64``).
INT_COLUMNS = tuple(n for n, t, _ in _shuliang.COLUMN_TABLE if t == "integer")
#: Of those, the ones never empty (the offsets).
_OFFSETS = tuple(n for n, t, required in _shuliang.COLUMN_TABLE if t == "integer" and required)
#: Columns that hold numbers; each keeps its exact decimal in ``<name>_exact``.
VALUE_COLUMNS = tuple(n for n, t, _ in _shuliang.COLUMN_TABLE if t == "number")

PathLike = Union[str, "os.PathLike[str]"]


class ShuliangWarning(UserWarning):
    """A file skipped, a manifest row that matches nothing, or a manifest
    that contradicts a report: what the CLI prints as ``shuliang: warning:``."""


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> List[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out = [os.fspath(p) for p in paths]
    if not out:
        raise ValueError("no paths given")
    return out


def _globs(glob: Union[None, str, Sequence[str]]) -> Optional[List[str]]:
    if glob is None:
        return None
    return [glob] if isinstance(glob, str) else list(glob)


def _threads(threads: Optional[int]) -> Optional[int]:
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ValueError(f"threads must be a positive int, not {threads!r}")
    return threads


def _warn(messages: Sequence[str]) -> None:
    for m in messages:
        warnings.warn(m, ShuliangWarning, stacklevel=3)


def _typed_row(row: Dict[str, str]) -> Dict[str, Any]:
    """A CSV row as Python values: ints, floats with exact strings beside them."""
    out: Dict[str, Any] = dict(row)
    for c in INT_COLUMNS:
        v = row[c]
        if c in _OFFSETS:
            out[c] = int(v)
        else:  # a manifest's year that is no number stays text
            out[c] = int(v) if v.lstrip("-").isdigit() else (None if v == "" else v)
    for c in VALUE_COLUMNS:
        v = row[c]
        out[c] = float(v) if v != "" else None
        out[c + "_exact"] = v if v != "" else None
    return out


def extract(text: str, *, rules: Optional[Rules] = None) -> List[Dict[str, Any]]:
    """Every quantity in ``text``, as ``shuliang extract -`` finds it.

    Returns one dict per row with the CLI's columns (``COLUMNS``; ``doc``
    is ``"-"`` as for standard input): ``start``/``end`` (code-point
    offsets) and ``year`` are ints (``year`` None when unknown),
    ``value``/``value_max`` floats (``value_max`` None unless a range) and
    ``value_exact``/``value_max_exact`` the exact decimal strings the CSV
    writes; every other column is a str, ``""`` when empty, as in the CSV.

    ``rules``: a ``Rules`` (default: the embedded rule file). A rule file
    whose examples fail raises ``RulesError``, as ``extract --rules`` refuses it.

    >>> shuliang.extract("完成投资46.11亿元")[0]["value_exact"]
    '4611000000'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    data = _shuliang.extract_csv(text, rules)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    return [_typed_row(r) for r in reader]


def _frame(data: bytes, extra_ok: bool = True):
    import pandas as pd

    header = data.split(b"\n", 1)[0].decode("utf-8")
    names = next(csv.reader([header])) if header else list(COLUMNS)
    df = pd.read_csv(
        io.BytesIO(data),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        engine="c",
    )
    if df.empty and len(df.columns) == 0:
        df = pd.DataFrame({c: pd.Series(dtype=str) for c in names})
    for c in INT_COLUMNS:
        if c in _OFFSETS:
            df[c] = df[c].astype("int64").astype("Int64")
            continue
        v = df[c].replace("", None)
        n = pd.to_numeric(v, errors="coerce")
        if n.isna().equals(v.isna()):
            df[c] = n.astype("Int64")
        # else: a manifest gave a year that is no number; it stays text.
    for c in VALUE_COLUMNS:
        exact = df[c]
        df[c] = pd.to_numeric(exact.replace("", None), errors="raise").astype("float64")
        df[c + "_exact"] = exact.replace("", None).astype(object)
    return df


def extract_files(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    threads: Optional[int] = None,
    manifest: Optional[PathLike] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
):
    """Every quantity in files and folders, as a pandas DataFrame.

    Reads what ``shuliang extract`` reads: text in UTF-8 or GB18030, PDF,
    Word (.docx) and HTML; folders are walked for
    ``*.txt *.pdf *.docx *.html *.htm`` (``glob=`` to choose, a pattern or a
    list). ``manifest``: a CSV with ``doc``, ``region``, ``year`` and any
    other columns, joined as ``--manifest`` does (other columns come after
    the CLI's). ``threads``: worker threads (default one per core).

    Columns are the CLI's, in its order, then ``value_exact`` and
    ``value_max_exact``. Dtypes: ``start``, ``end``, ``year`` ``Int64``;
    ``value``, ``value_max`` ``float64`` (``value_max`` NaN unless a range);
    ``value_exact``/``value_max_exact`` the exact decimal strings (None when
    empty); every other column a string, ``""`` when empty, as in the CSV.

    A file that cannot be read is skipped with a ``ShuliangWarning``. The
    run's counts are in ``df.attrs["summary"]``.
    """
    data, warns, summary = _shuliang.extract_files_csv(
        _paths(paths),
        _threads(threads),
        None if manifest is None else os.fspath(manifest),
        _globs(glob),
        rules,
    )
    _warn(warns)
    df = _frame(data)
    df.attrs["summary"] = summary
    return df


def iter_files(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    batch_bytes: int = 8 << 20,
    threads: Optional[int] = None,
    manifest: Optional[PathLike] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
) -> Iterator[Any]:
    """``extract_files`` in batches: yields DataFrames as the run goes.

    Each batch holds the rows of about ``batch_bytes`` of CSV (default
    8 MiB, ≈25,000 rows), with the dtypes of ``extract_files``; together,
    in order, they are ``extract_files``'s rows. The run goes on in Rust
    while a batch is being used, at most two batches ahead, so memory stays
    flat for any number of files. Warnings come as the files are skipped;
    after the last batch, the generator's return value (``StopIteration.value``)
    is the run's summary. Stopping early stops the run.

    >>> for df in shuliang.iter_files("reports/"):
    ...     df[df.indicator_id == "gdp"].to_parquet(...)
    """
    if not isinstance(batch_bytes, int) or batch_bytes < 1:
        raise ValueError(f"batch_bytes must be a positive int, not {batch_bytes!r}")
    stream = _shuliang.iter_files_csv(
        _paths(paths),
        _threads(threads),
        None if manifest is None else os.fspath(manifest),
        _globs(glob),
        rules,
        batch_bytes,
    )
    header = None
    for chunk in stream:
        _warn(stream.take_warnings())
        if header is None:
            header = chunk[: chunk.index(b"\n") + 1]
            data = chunk
        else:
            data = header + chunk
        df = _frame(data)
        if len(df):
            yield df
    _warn(stream.take_warnings())
    return stream.summary()


def panel(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    wide: bool = False,
    levels: bool = False,
    indicators: Optional[Sequence[str]] = None,
    threads: Optional[int] = None,
    manifest: Optional[PathLike] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
):
    """The headline figures of each report, as ``shuliang panel`` writes them.

    One row per region, report year, indicator and status (target,
    estimate, actual, plan), with the statement's provenance (``doc``,
    ``start``, ``end``, ``context``); ``wide=True`` gives one row per region
    and year with five columns per indicator, unit and status (value,
    ``_max``, ``_qualifier``, ``_doc``, ``_conflicts``). ``levels=True``:
    levels (``CNY``, ``人``, ``kg``…) beside the rates (``%``, ``pp``).
    ``indicators``: only these ids (e.g. ``["gdp"]``). Other arguments as
    for ``extract_files``; documents that disagree on a wide cell warn.

    Dtypes: ``value``/``value_max`` float64 with ``value_exact``/
    ``value_max_exact`` beside them, ``report_year``/``start``/``end``
    ``Int64``, the rest strings (long form); the wide form's cells are read
    as pandas reads them.
    """
    import pandas as pd

    data, warns, summary = _shuliang.panel_csv(
        _paths(paths),
        bool(wide),
        _ids(indicators),
        _threads(threads),
        None if manifest is None else os.fspath(manifest),
        _globs(glob),
        rules,
        bool(levels),
    )
    _warn(warns)
    if wide:
        df = pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
    else:
        df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False)
        for c in ("report_year", "start", "end"):
            if c in df:
                df[c] = pd.to_numeric(df[c].replace("", None), errors="coerce").astype("Int64")
        for c in VALUE_COLUMNS:
            if c in df:
                exact = df[c].replace("", None)
                df[c] = pd.to_numeric(exact).astype("float64")
                df[c + "_exact"] = exact.astype(object)
    df.attrs["summary"] = summary
    return df


def _ids(indicators: Union[None, str, Sequence[str]]) -> Optional[List[str]]:
    if indicators is None:
        return None
    return [indicators] if isinstance(indicators, str) else list(indicators)


def scorecard(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    indicators: Optional[Sequence[str]] = None,
    threads: Optional[int] = None,
    manifest: Optional[PathLike] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
):
    """Targets met or missed, as ``shuliang scorecard`` writes them.

    One row per region, indicator, unit and year with a target or an
    outcome: the target (``target_value``, ``_value_max``, ``_qualifier``,
    ``_doc``, ``_start``, ``target_stated``), the outcome (``outcome_value``,
    ``_doc``, ``_start``, ``outcome_source``: ``next_report`` or
    ``bulletin``), the 预计 estimate kept apart (``estimate_*``), ``gap``,
    ``met`` (``yes``/``no``/``""``) and ``conflicts``. Arguments as for
    ``panel``; documents that disagree on a figure warn.

    Dtypes from the scorecard's column table: numbers ``float64`` (with
    ``<name>_exact`` beside them), integers ``Int64``, the rest strings
    (``""`` when empty, as in the CSV).
    """
    import pandas as pd

    data, warns, summary = _shuliang.scorecard_csv(
        _paths(paths),
        _ids(indicators),
        _threads(threads),
        None if manifest is None else os.fspath(manifest),
        _globs(glob),
        rules,
    )
    _warn(warns)
    df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False)
    for name, ty in _shuliang.SCORECARD_TABLE:
        if ty == "integer":
            df[name] = pd.to_numeric(df[name].replace("", None)).astype("Int64")
        elif ty == "number":
            exact = df[name].replace("", None)
            df[name] = pd.to_numeric(exact).astype("float64")
            df[name + "_exact"] = exact.astype(object)
    df.attrs["summary"] = summary
    return df


class Explanation:
    """How each quantity of a text was found, and what was turned down.

    ``rows``: one dict per row (its columns, ``value`` as the exact
    decimal string, plus ``rule_line``, ``groups`` the rule's named groups,
    ``factor`` of the written unit, ``basis`` of its status);
    ``rejected``: matches turned down (``start``, ``end``, ``text``,
    ``rule``, ``reason``). ``str(e)`` is what ``shuliang explain`` prints.
    """

    __slots__ = ("rows", "rejected", "_text")

    def __init__(self, rows: List[Dict[str, Any]], rejected: List[Dict[str, Any]], text: str):
        self.rows = rows
        self.rejected = rejected
        self._text = text

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<Explanation: {len(self.rows)} rows, {len(self.rejected)} turned down>"

    def _repr_pretty_(self, p, cycle) -> None:  # IPython shows the text
        p.text(self._text)


def explain(
    text: str,
    *,
    rules: Optional[Rules] = None,
    at: Optional[int] = None,
    year: Optional[int] = None,
) -> Explanation:
    """Shows how each quantity in ``text`` was found and what was turned down.

    ``at``: only what lies within 200 code points of this offset;
    ``year``: the report's year for the periods (default: as the text's
    title block says). ``print(shuliang.explain(text))`` prints what
    ``shuliang explain TEXT`` prints.
    """
    rows, rejected, rendered = _shuliang.explain(text, rules, at, year)
    return Explanation(rows, rejected, rendered)
