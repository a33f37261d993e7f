"""Type stubs of the public API of shuliang (see the docstrings in __init__.py)."""

from os import PathLike
from typing import Any, Dict, Generator, Iterable, List, Optional, Sequence, Union

import pandas as pd

from ._shuliang import Rules as Rules
from ._shuliang import RulesError as RulesError
from ._shuliang import ShuliangError as ShuliangError

_Path = Union[str, PathLike[str]]
_Paths = Union[_Path, Iterable[_Path]]

VERSION: str
__version__: str
COLUMNS: List[str]
INT_COLUMNS: tuple[str, ...]
VALUE_COLUMNS: tuple[str, ...]

class ShuliangWarning(UserWarning): ...

def extract(text: str, *, rules: Optional[Rules] = None) -> List[Dict[str, Any]]: ...
def extract_files(
    paths: _Paths,
    *,
    threads: Optional[int] = None,
    manifest: Optional[_Path] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
) -> pd.DataFrame: ...
def iter_files(
    paths: _Paths,
    *,
    batch_bytes: int = ...,
    threads: Optional[int] = None,
    manifest: Optional[_Path] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
) -> Generator[pd.DataFrame, None, Optional[Dict[str, int]]]: ...
def panel(
    paths: _Paths,
    *,
    wide: bool = False,
    levels: bool = False,
    indicators: Optional[Sequence[str]] = None,
    threads: Optional[int] = None,
    manifest: Optional[_Path] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
) -> pd.DataFrame: ...
def scorecard(
    paths: _Paths,
    *,
    indicators: Optional[Sequence[str]] = None,
    threads: Optional[int] = None,
    manifest: Optional[_Path] = None,
    glob: Union[None, str, Sequence[str]] = None,
    rules: Optional[Rules] = None,
) -> pd.DataFrame: ...

class Explanation:
    rows: List[Dict[str, Any]]
    rejected: List[Dict[str, Any]]
    def __init__(self, rows: List[Dict[str, Any]], rejected: List[Dict[str, Any]], text: str) -> None: ...

def explain(
    text: str,
    *,
    rules: Optional[Rules] = None,
    at: Optional[int] = None,
    year: Optional[int] = None,
) -> Explanation: ...
