"""Low-level helpers shared by the indicator readers: flagged numbers, text files, flag sets.

Eurostat writes an observation as a number optionally followed by status flags (``123.4 e``,
``5.2 bu``), or as ``:`` (not available), possibly flagged too (``: c``). Re-saved copies glue the
flags to the number (``100.0e``). Every reader goes through :func:`parse_flagged` so a value means
the same thing whichever file it came from.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import pandas as pd

from observatory.ingest.errors import InputError

#: A number (no exponent: Eurostat never writes one, and ``1.5e`` must read as 1.5 flagged ``e``)
#: followed by optional lower-case flag letters, with or without a space between them.
_FLAGGED_NUMBER = re.compile(r"(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<flag>[a-z]*)")
#: Not available: a colon, optionally flagged (``:``, ``: c``, ``:bu``).
_MISSING = re.compile(r":\s*(?P<flag>[a-z]*)")

MISSING = math.nan


def parse_flagged(text: str) -> tuple[float, str] | None:
    """``"123.4 e"`` -> ``(123.4, "e")``; ``":"`` -> ``(nan, "")``; ``": c"`` -> ``(nan, "c")``.

    Returns None when the text is neither a (flagged) number nor a (flagged) missing marker, so
    the caller can raise an :class:`InputError` that names the file, row and column.
    """
    stripped = text.strip()
    match = _FLAGGED_NUMBER.fullmatch(stripped)
    if match:
        return float(match["number"]), match["flag"]
    match = _MISSING.fullmatch(stripped)
    if match:
        return MISSING, match["flag"]
    return None


def merge_flags(*flags: str) -> str:
    """The union of several flag strings, letters in alphabetical order (``"b", "ue"`` -> ``"beu"``).

    A value derived from several observations (a share, a growth rate) carries every flag of its
    inputs: a break in series or a low-reliability mark on any input applies to the result.
    """
    return "".join(sorted(set("".join(flags))))


def merge_flag_columns(columns: Iterable[Iterable[str]]) -> list[str]:
    """Row-wise :func:`merge_flags` over several equally long columns of flags."""
    return [merge_flags(*row) for row in zip(*columns, strict=True)]


@contextmanager
def open_text(path: Path) -> Iterator[TextIO]:
    """Open a UTF-8 text file, transparently gunzipping it when it starts with the gzip magic.

    A missing or unreadable file becomes an :class:`InputError`; a damaged gzip stream surfaces
    while reading and is converted by :func:`read_lines`.
    """
    path = Path(path)
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
    except OSError as exc:
        raise InputError(path, f"cannot open file: {exc}") from exc
    if magic == b"\x1f\x8b":
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            yield handle
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            yield handle


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its end-of-line) for every line of a text file.

    A gzip stream that ends early or is corrupt, or bytes that are not UTF-8, raise an
    :class:`InputError` naming the file: a truncated download must never pass as a short file.
    """
    line_no = 0
    try:
        with open_text(path) as handle:
            for line_no, line in enumerate(handle, start=1):
                yield line_no, line.rstrip("\r\n")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(path, f"compressed file is truncated or corrupt: {exc}", row=line_no + 1) from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text: {exc}", row=line_no + 1) from exc


def csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for every CSV record, header first; damaged files become InputErrors."""
    with open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            for fields in reader:
                yield reader.line_num, fields
        except csv.Error as exc:
            raise InputError(path, f"malformed CSV: {exc}", row=reader.line_num) from exc
        except (EOFError, OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            raise InputError(path, f"compressed file is truncated or corrupt: {exc}",
                             row=reader.line_num + 1) from exc
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not UTF-8 text: {exc}", row=reader.line_num + 1) from exc


def read_csv_table(path: Path, required: Iterable[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (names stripped) and records of a CSV file, every record as long as the header.

    Unlike ``pandas.read_csv``, which pads a short line with empty cells, a record with fewer (or
    more) fields than the header raises an :class:`InputError` naming its line: that is how a
    truncated file shows. Blank lines are skipped. A required column that is missing raises too.
    """
    path = Path(path)
    records = csv_records(path)
    try:
        _, header = next(records)
    except StopIteration:
        raise InputError(path, "file is empty (no header line)", row=1) from None
    header = [name.strip() for name in header]
    for column in required:
        if column not in header:
            raise InputError(path, "required column missing", column=column)
    rows = []
    for line_no, fields in records:
        if not fields:
            continue
        if len(fields) != len(header):
            raise InputError(path, f"row has {len(fields)} fields but the header has {len(header)} "
                             "(truncated or malformed line)", row=line_no)
        rows.append((line_no, fields))
    return header, rows


def read_text_frame(path: Path, required: Iterable[str]) -> pd.DataFrame:
    """A CSV as a frame of stripped strings ('' for empty cells), indexed by its line number.

    Built on :func:`read_csv_table`, so a truncated or ragged file fails with its line; the index
    lets a validator name the line of any bad cell it finds later.
    """
    header, rows = read_csv_table(path, required)
    frame = pd.DataFrame([fields for _, fields in rows], columns=header, dtype=str)
    frame.index = pd.Index([line for line, _ in rows], name="line")
    return frame.apply(lambda column: column.str.strip())
