"""Reading lists to import: CSV, JSON Lines and XLSX, row by row, with errors that name the line.

Plain Python (no Django), so the command line, the background task and tests
share one reader. Every reader yields ``(line, {column: value})`` where
``line`` is what a person opening the file would call the row's line (the
physical line of a CSV or JSON Lines file, the row number of a spreadsheet).

A file that cannot be read as a whole (wrong encoding, broken quotes, a cell
larger than ``MAX_CELL_CHARS``, a formula in a spreadsheet) raises
:class:`ReadError` naming the line, at the point it is met; the importer runs in
one transaction, so such a file writes nothing however far it got. A single row
that is merely wrong (a cell too many) is a :class:`RowProblem` for the importer
to report and skip.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

__all__ = ["FORMATS", "MAX_CELL_CHARS", "ReadError", "RowProblem", "Table", "detect_format", "open_table"]

# Larger cells are refused: no field of a person needs them, and a 10 MB cell is
# a broken file (an unclosed quote swallowing the rest) far more often than data.
MAX_CELL_CHARS = 100_000
# How many JSON Lines records are read to learn the columns (keys may be omitted when empty).
JSONL_COLUMN_SAMPLE = 1000
DELIMITERS = (",", ";", "\t", "|")
FORMATS = ("csv", "jsonl", "xlsx")

Value = str | list[str]
Row = dict[str, Value]


class ReadError(ValueError):
    """The file as a whole cannot be read: nothing from it may be written."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class RowProblem:
    """One row that cannot be used; the importer reports it with the line and skips it."""

    reason: str


@dataclass
class Table:
    """The columns of a file and an iterator over its rows (each row read once, in order)."""

    format: str
    columns: list[str]
    rows: Iterator[tuple[int, Row | RowProblem]]
    closers: list[Any] = field(default_factory=list)
    # How far through the file the rows read so far are (0..1), when the reader can tell.
    position: Callable[[], float] | None = None

    def close(self) -> None:
        for closer in self.closers:
            closer()
        self.closers.clear()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def detect_format(name: str) -> str:
    """The format from the file name's extension."""
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".xlsx":
        return "xlsx"
    if suffix in (".xls", ".ods", ".xlsm"):
        raise ReadError(f"{suffix} files are not read: save the sheet as .xlsx or .csv (UTF-8)")
    raise ReadError(f"cannot tell the format of {Path(name).name!r}: use .csv, .jsonl or .xlsx")


def open_table(path: str | Path, fmt: str | None = None) -> Table:
    """Open ``path`` as a table; raises ReadError for a file that cannot be read at all."""
    path = Path(path)
    fmt = fmt or detect_format(path.name)
    if fmt == "csv":
        return _open_csv(path)
    if fmt == "jsonl":
        return _open_jsonl(path)
    if fmt == "xlsx":
        return _open_xlsx(path)
    raise ReadError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def _position(handle: IO[bytes], path: Path) -> Callable[[], float]:
    size = max(path.stat().st_size, 1)

    def position() -> float:
        try:
            return min(handle.tell() / size, 1.0)
        except (OSError, ValueError):
            return 1.0  # closed: read to the end

    return position


def _check_columns(columns: list[str], line: int) -> list[str]:
    cleaned = [c.strip() for c in columns]
    if not any(cleaned):
        raise ReadError("the header row is empty: the first row must name the columns", line)
    seen: set[str] = set()
    for c in cleaned:
        if c and c in seen:
            raise ReadError(f"the column {c!r} appears twice in the header", line)
        seen.add(c)
    return cleaned


# --- CSV -----------------------------------------------------------------------------------------------


def _decoded_lines(handle: IO[bytes], counter: list[int]) -> Iterator[str]:
    """The file's lines as text, UTF-8 (a byte-order mark is dropped); ``counter[0]`` is the line read last.

    Decoding line by line (rather than the whole file at once) lets a wrong
    encoding be reported with the line it was found on.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    for number, raw in enumerate(handle, start=1):
        counter[0] = number
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            text = decoder.decode(raw)
        except UnicodeDecodeError as exc:
            bad = raw[exc.start:exc.start + 1].hex()
            raise ReadError(
                f"the file is not UTF-8 (byte 0x{bad} at character {exc.start + 1}); "
                "save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\") and import it again", number) from None
        if len(text) > MAX_CELL_CHARS * 4:
            raise ReadError(f"the line is longer than {MAX_CELL_CHARS * 4:,} characters", number)
        yield text
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ReadError("the file ends in the middle of a UTF-8 character", counter[0]) from None


def _sniff_delimiter(header: str) -> str:
    """The delimiter is the candidate the header line holds most of (outside quotes).

    Sniffing the header rather than a sample of data: column names rarely hold
    commas or semicolons, while data cells (addresses, lists of jobs) often do.
    """
    outside, quoted = [], False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(ch)
    text = "".join(outside)
    counts = {d: text.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(path: Path) -> Table:
    handle = path.open("rb")
    counter = [0]
    lines = _decoded_lines(handle, counter)
    try:
        first = next(lines, None)
    except ReadError:
        handle.close()
        raise
    if first is None or not first.strip():
        handle.close()
        raise ReadError("the file is empty: the first line must name the columns", 1)
    delimiter = _sniff_delimiter(first)

    def chained() -> Iterator[str]:
        yield first
        yield from lines

    reader = csv.reader(chained(), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        handle.close()
        raise ReadError(f"the header cannot be read ({exc})", 1) from None
    columns = _check_columns(header, 1)
    width = len(columns)

    def rows() -> Iterator[tuple[int, Row | RowProblem]]:
        try:
            while True:
                start = counter[0] + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    message = str(exc)
                    if "field larger than field limit" in message:
                        raise ReadError(f"a cell is larger than {csv.field_size_limit():,} characters "
                                        "(often an unclosed quote)", start) from None
                    if "unexpected end of data" in message or "EOF" in message:
                        raise ReadError("a quoted cell is never closed (a \" is missing)", start) from None
                    raise ReadError(f"broken quoting ({message}); check the quotes on this line", start) from None
                if not any(c.strip() for c in cells):
                    continue  # blank lines are not rows
                for cell in cells:
                    if len(cell) > MAX_CELL_CHARS:
                        raise ReadError(f"a cell is larger than {MAX_CELL_CHARS:,} characters", start)
                if len(cells) != width:
                    yield start, RowProblem(f"{len(cells)} cells, but the header names {width} columns")
                    continue
                yield start, dict(zip(columns, cells, strict=True))
        finally:
            handle.close()

    return Table("csv", [c for c in columns if c], rows(), [handle.close], _position(handle, path))


# --- JSON Lines ------------------------------------------------------------------------------------------


def _json_value(value: Any) -> Value | None:
    """A JSON value as a cell: text, or a list of texts; None for what a cell cannot hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list) and all(isinstance(x, (str, int, float)) or x is None for x in value):
        return [str(x) for x in value if x is not None]
    return None


def _open_jsonl(path: Path) -> Table:
    handle = path.open("rb")
    counter = [0]
    lines = _decoded_lines(handle, counter)

    def parsed() -> Iterator[tuple[int, Row | RowProblem]]:
        for text in lines:
            number = counter[0]
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield number, RowProblem(f"not valid JSON ({exc.msg} at character {exc.colno})")
                continue
            if not isinstance(obj, dict):
                yield number, RowProblem("each line must be one JSON object ({...})")
                continue
            row: Row = {}
            problem = None
            for key, value in obj.items():
                cell = _json_value(value)
                if cell is None:
                    problem = RowProblem(f"the value of {key!r} is a nested object; give text, a number or a list")
                    break
                size = len(cell) if isinstance(cell, str) else sum(len(x) for x in cell)
                if size > MAX_CELL_CHARS:
                    raise ReadError(f"the value of {key!r} is larger than {MAX_CELL_CHARS:,} characters", number)
                row[str(key).strip()] = cell
            yield number, problem or row

    stream = parsed()
    head: list[tuple[int, Row | RowProblem]] = []
    try:
        for item in stream:
            head.append(item)
            if len(head) >= JSONL_COLUMN_SAMPLE:
                break
    except ReadError:
        handle.close()
        raise
    columns: list[str] = []
    for _line, row in head:
        if isinstance(row, dict):
            columns.extend(k for k in row if k not in columns)
    if not head:
        handle.close()
        raise ReadError("the file holds no records", 1)

    def rows() -> Iterator[tuple[int, Row | RowProblem]]:
        try:
            yield from head
            yield from stream
        finally:
            handle.close()

    return Table("jsonl", columns, rows(), [handle.close], _position(handle, path))


# --- XLSX --------------------------------------------------------------------------------------------------


def _xlsx_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Spreadsheets store dates as date-times at midnight: the day is the fact.
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a year typed into a number cell: 1998, not 1998.0
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _open_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        # Read-only mode streams the sheet; data_only=False keeps formulas visible so they can be refused.
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(f"not a readable .xlsx workbook ({exc.__class__.__name__}); save it again as .xlsx") from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        book.close()
        raise ReadError("the workbook has no sheet")
    iterator = sheet.iter_rows()

    def cells_of(row: Any, number: int) -> list[str]:
        out = []
        for index, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")
                                                          and getattr(cell, "data_type", None) != "s"):
                raise ReadError(f"cell {_column_letter(index)}{number} holds a formula; imports take values only "
                                "(copy the sheet and paste it as values)", number)
            text = _xlsx_value(cell.value)
            if len(text) > MAX_CELL_CHARS:
                raise ReadError(f"cell {_column_letter(index)}{number} is larger than {MAX_CELL_CHARS:,} characters",
                                number)
            out.append(text)
        return out

    try:
        header_row = next(iterator, None)
        if header_row is None:
            raise ReadError("the first sheet is empty: its first row must name the columns", 1)
        header = cells_of(header_row, 1)
        while header and not header[-1].strip():
            header.pop()
        columns = _check_columns(header, 1)
    except ReadError:
        book.close()
        raise
    width = len(columns)

    def rows() -> Iterator[tuple[int, Row | RowProblem]]:
        try:
            for number, row in enumerate(iterator, start=2):
                cells = cells_of(row, number)
                if not any(c.strip() for c in cells):
                    continue
                extra = [c for c in cells[width:] if c.strip()]
                if extra:
                    yield number, RowProblem(f"{len(extra)} filled cell(s) beyond the last named column")
                    continue
                cells = (cells + [""] * width)[:width]
                yield number, dict(zip(columns, cells, strict=True))
        finally:
            book.close()

    return Table("xlsx", [c for c in columns if c], rows(), [book.close])
