"""The compiled half of shuliang (PyO3); use the functions of ``shuliang``."""

from os import PathLike
from typing import Any, Dict, List, Optional, Tuple, Union

VERSION: str
COLUMNS: List[str]
#: (name, Table Schema type, required) of each column, in order.
COLUMN_TABLE: List[Tuple[str, str, bool]]
#: (name, Table Schema type) of each scorecard column, in order.
SCORECARD_TABLE: List[Tuple[str, str]]

def serve(kind: str) -> int:
    """A conversion child's side: the file on stdin, its text on stdout."""

class ShuliangError(Exception):
    """An error of shuliang: a bad input, manifest or option."""

class RulesError(ShuliangError):
    """A rule file that cannot be used; the message names the file, line and rule."""

class Rules:
    """A rule file, loaded and compiled once."""

    @staticmethod
    def from_file(path: Union[str, PathLike[str]]) -> Rules: ...
    @staticmethod
    def default() -> Rules: ...
    @property
    def source(self) -> str: ...
    def test(self) -> Dict[str, Any]: ...

def extract_csv(text: str, rules: Optional[Rules] = None) -> bytes: ...
def extract_files_csv(
    paths: List[str],
    threads: Optional[int] = None,
    manifest: Optional[str] = None,
    glob: Optional[List[str]] = None,
    rules: Optional[Rules] = None,
) -> Tuple[bytes, List[str], Dict[str, int]]: ...
def panel_csv(
    paths: List[str],
    wide: bool = False,
    indicators: Optional[List[str]] = None,
    threads: Optional[int] = None,
    manifest: Optional[str] = None,
    glob: Optional[List[str]] = None,
    rules: Optional[Rules] = None,
    levels: bool = False,
) -> Tuple[bytes, List[str], Dict[str, int]]: ...
def scorecard_csv(
    paths: List[str],
    indicators: Optional[List[str]] = None,
    threads: Optional[int] = None,
    manifest: Optional[str] = None,
    glob: Optional[List[str]] = None,
    rules: Optional[Rules] = None,
) -> Tuple[bytes, List[str], Dict[str, int]]: ...
def explain(
    text: str,
    rules: Optional[Rules] = None,
    at: Optional[int] = None,
    year: Optional[int] = None,
) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]], str]: ...

class CsvStream:
    def __iter__(self) -> CsvStream: ...
    def __next__(self) -> bytes: ...
    def take_warnings(self) -> List[str]: ...
    def summary(self) -> Optional[Dict[str, int]]: ...

def iter_files_csv(
    paths: List[str],
    threads: Optional[int] = None,
    manifest: Optional[str] = None,
    glob: Optional[List[str]] = None,
    rules: Optional[Rules] = None,
    batch_bytes: int = ...,
) -> CsvStream: ...
