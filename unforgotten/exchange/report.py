"""Spreadsheet-safe cells and the per-row error report of an import (CSV)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO, Any

# A cell starting with one of these is run as a formula by spreadsheet programs
# (CSV injection): such cells are written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")  # actions (issue 7): NUL too, as T11a lists it


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_error_csv(handle: IO[str], errors: Iterable[Sequence[Any]]) -> None:
    """line,reason rows; reasons quote source values, so they are made spreadsheet-safe too."""
    writer = csv.writer(handle)
    writer.writerow(["line", "reason"])
    for line, reason in errors:
        writer.writerow([int(line), safe_cell(reason)])
