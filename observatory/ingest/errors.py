"""The one error type a malformed input raises, so the build can report it precisely."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A malformed input file: says which file, which row and which column, and what is wrong.

    ``row`` is the 1-based line (CSV/TSV, counting the header as line 1) or spreadsheet row
    number as a person would see it in an editor or Excel; None when the problem is file-wide.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.message = message
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


class BuildLog:
    """Collects warnings the build must report but that do not stop it (e.g. unmapped rows).

    Nothing is dropped silently: every ingest step that discards or remaps rows says so here,
    and the build writes the log next to the artefacts.
    """

    def __init__(self) -> None:
        self.entries: list[dict] = []

    def warn(self, source: str, message: str, *, count: int = 0, examples: list[str] | None = None) -> None:
        self.entries.append(
            {"source": source, "message": message, "count": count, "examples": (examples or [])[:20]}
        )

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)
