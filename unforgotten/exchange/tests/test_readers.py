"""Readers: CSV, JSON Lines and XLSX, and clear errors naming the line for malformed files."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unforgotten.exchange.readers import ReadError, RowProblem, open_table


def _rows(path: Path) -> list[tuple[int, object]]:
    with open_table(path) as table:
        return list(table.rows)


def test_it_sniffs_the_delimiter_and_drops_the_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("\ufeffname;year\n\"Doe; Jane\";2019\nИльгар Мамедов;2013\n".encode())
    with open_table(path) as table:
        assert table.columns == ["name", "year"]
        rows = list(table.rows)
    assert rows == [(2, {"name": "Doe; Jane", "year": "2019"}), (3, {"name": "Ильгар Мамедов", "year": "2013"})]


def test_it_names_the_line_of_a_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,year\nAnna,2019\nJosé,2020\n".encode("latin-1"))
    with pytest.raises(ReadError) as err:
        _rows(path)
    assert err.value.line == 3
    assert "not UTF-8" in str(err.value) and "line 3" in str(err.value)


def test_it_refuses_broken_quotes_with_the_line_where_the_row_starts(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text('name,year\nAnna,2019\n"Bob,2020\nCarl,2021\n', encoding="utf-8")
    with pytest.raises(ReadError) as err:
        _rows(path)
    assert err.value.line == 3
    assert "quote" in str(err.value)


def test_it_refuses_a_ten_megabyte_cell(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("name,notes\nAnna," + "x" * 10_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ReadError) as err:
        _rows(path)
    assert err.value.line == 2


def test_it_reports_a_row_with_too_many_cells_and_reads_on(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    path.write_text("name,year\nAnna,2019,extra\nBob,2020\n", encoding="utf-8")
    rows = _rows(path)
    assert rows[0][0] == 2 and isinstance(rows[0][1], RowProblem)
    assert rows[1] == (3, {"name": "Bob", "year": "2020"})


def test_it_refuses_an_empty_or_duplicated_header(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ReadError, match="empty"):
        open_table(tmp_path / "empty.csv")
    (tmp_path / "dup.csv").write_text("name,name\na,b\n", encoding="utf-8")
    with pytest.raises(ReadError, match="twice"):
        open_table(tmp_path / "dup.csv")


def test_it_reads_json_lines_with_lists_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text('{"id": 1, "names": ["Ilgar Mammadov", "Ильгар Мамедов"], "year": 2013}\n'
                    "\n"
                    "{not json}\n"
                    '{"id": 2, "nested": {"a": 1}}\n'
                    '{"id": 3, "year": null}\n', encoding="utf-8")
    with open_table(path) as table:
        assert table.columns == ["id", "names", "year"]
        rows = list(table.rows)
    assert rows[0] == (1, {"id": "1", "names": ["Ilgar Mammadov", "Ильгар Мамедов"], "year": "2013"})
    assert rows[1][0] == 3 and isinstance(rows[1][1], RowProblem)
    assert rows[2][0] == 4 and isinstance(rows[2][1], RowProblem)
    assert rows[3] == (5, {"id": "3", "year": ""})


def test_it_reads_xlsx_values_keeping_a_year_a_year(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "year", "arrested"])
    sheet.append(["Anna", 1998, datetime(2021, 3, 5)])
    sheet.append([None, None, None])
    sheet.append(["Bob", "2020-04", None])
    path = tmp_path / "list.xlsx"
    book.save(path)
    rows = _rows(path)
    assert rows == [(2, {"name": "Anna", "year": "1998", "arrested": "2021-03-05"}),
                    (4, {"name": "Bob", "year": "2020-04", "arrested": ""})]


def test_it_refuses_formula_cells_in_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "year"])
    sheet.append(["Anna", "=1990+8"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    with pytest.raises(ReadError) as err:
        _rows(path)
    assert err.value.line == 2 and "formula" in str(err.value) and "B2" in str(err.value)


def test_it_refuses_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"name,year\nAnna,1998\n")
    with pytest.raises(ReadError, match="xlsx"):
        open_table(path)


def test_it_refuses_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="xlsx"):
        open_table(tmp_path / "old.xls")


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
                | st.sampled_from([",", ";", '"', "\n", " "]), max_size=20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_cell, _cell, _cell).filter(lambda r: any(c.strip() for c in r)), max_size=8))
def test_it_reads_back_what_csv_writes(tmp_path: Path, rows: list[tuple[str, str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    path = tmp_path / "round.csv"
    path.write_bytes(buffer.getvalue().encode())
    read = [r for _line, r in _rows(path)]
    assert read == [{"a": a, "b": b, "c": c} for a, b, c in rows]
