"""The bulk path's speed-ups keep its guarantees: memoised name keys, COPY text, index rebuild, duplicates task."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.utils.text import slugify
from hypothesis import given, settings
from hypothesis import strategies as st

from unforgotten.exchange import importer
from unforgotten.exchange.duplicates import as_ranges, from_ranges
from unforgotten.exchange.mapping import RowConverter, RowError, load_mapping
from unforgotten.exchange.readers import ReadError
from unforgotten.exchange.tests.test_import import HEADER, _catalogue, _csv, _import, _row
from unforgotten.names import detect_script
from unforgotten.registry.actions import ISO_15924
from unforgotten.registry.models import (
    Citation,
    DuplicateCandidate,
    ExternalId,
    Person,
    PersonName,
    StatusChange,
)
from unforgotten.registry.naming import display_and_sort_name, search_key

WORDS = ["Ilgar", "Mammadov", "İlqar", "Məmmədov", "Ильгар", "Мамедов", "نرگس", "محمدی", "刘晓波", "김철수", "O'Brien",
         "al-Hassan", "ي", "ی", "ـ", "\u0301", "Æ", "ß", "٣", "x\\y", "-", "'", "Δημήτρης", "שלום", "ג'"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)))
def test_it_derives_name_keys_word_by_word_exactly_as_the_registry_does(text: str) -> None:
    text = " ".join(text.split())
    key, latin = importer.name_keys(text)
    assert key == search_key(text)
    assert latin[:300] == display_and_sort_name(text)[1]
    # Written into COPY text unescaped: they must hold none of COPY's special characters.
    assert importer._esc(key) == key and importer._esc(latin) == latin
    # The script and the slug base come from the same memoised words: equal to the registry's own functions.
    facts = importer._name_facts(text, with_slug=True)
    assert facts == (key, latin, ISO_15924.get(detect_script(text), ""), slugify(latin)[:80] or "person")
    assert importer._esc(facts[3]) == facts[3]


def test_it_makes_random_version_4_uuids() -> None:
    made = importer._uuid4_hex(2000)
    assert len(set(made)) == 2000
    for text in made:
        found = uuid.UUID(hex=text)
        assert found.hex == text and found.version == 4 and found.variant == uuid.RFC_4122


CELLS = ["", " ", "jailed", "Released", "imprisoned", "asleep", "M", "f", "x", "2020", "2020-13", "06/09/2021",
         "31/02/2020", "2999", "BY", "Belarus", "Narnia", "342 part 1; 361-1", "10 years", "life", "ten years",
         "journalist", "Flautist", "a;b", "x" * 201, "  Ilgar   Mammadov ", "Мария Колесникова", "y" * 301]
CONVERT_MAPPING = """
date_format = "%d/%m/%Y"
list_separator = ";"
[fields]
names = ["name_en", "name_ru"]
external_id = ["id", "sex"]
gender = "sex"
birth_date = "born"
status = "status"
status_date = "since"
detention_start = "arrested"
facility = "prison"
charges = "articles"
sentence = "sentence"
notes = "notes"
occupation = "url"
country = "url"
death_date = { column = "since", when = { status = ["Killed", "executed"] } }
[defaults]
birth_place = "Minsk"
country = "BY"
[values.gender]
"M" = "male"
"F" = "female"
[values.status]
"jailed" = "imprisoned"
"""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CELLS), st.text(max_size=12)), min_size=len(HEADER), max_size=len(HEADER)),
       st.lists(st.sampled_from(CELLS), max_size=2))
def test_it_converts_rows_in_bulk_exactly_as_the_mapping_does(cells: list[str], listed: list[str]) -> None:
    # The bulk converter memoises each target's value on the cells feeding it; the result, or the error, must be
    # the mapping's own, the same row converted many times among others (warm memos) as well as once.
    mapping = load_mapping(CONVERT_MAPPING)
    converter = RowConverter(mapping)
    row: dict[str, Any] = dict(zip(HEADER, cells, strict=True))
    rows: list[dict[str, Any]] = [row, {**row, "articles": listed}, {**row, "status": "Killed"}, row]
    for line, raw in enumerate(rows * 2, start=2):
        expected: Any
        got: Any
        try:
            expected = mapping.convert(line, raw)
        except RowError as exc:
            expected = ("error", str(exc))
        try:
            got = converter.convert(line, raw)
        except RowError as exc:
            got = ("error", str(exc))
        assert got == expected
        if not isinstance(expected, tuple):
            assert mapping.external_id(raw) == expected.external_id


@given(st.lists(st.integers(min_value=1, max_value=10_000), max_size=50))
def test_it_compresses_person_ids_into_runs_and_back(ids: list[int]) -> None:
    assert from_ranges(as_ranges(ids)) == sorted(set(ids))


@pytest.mark.django_db
def test_it_writes_text_with_copy_special_characters_exactly(cast: Any, tmp_path: Path) -> None:
    notes = "line one\nline\ttwo \\N back\\slash\r\n100%"
    _import(cast, _csv(tmp_path / "l.csv", [_row(id="a\\1", name_en="Jos\\é Tab", notes=notes, status="jailed",
                                                 since="2020", url="https://example.org/?a=1\\b")]))
    person = Person.objects.get()
    # The mapping folds whitespace inside cells; backslashes and a literal \N stay as written.
    assert person.internal_notes == " ".join(notes.split())
    assert person.external_ids.get().value == "a\\1"
    assert person.display_name == "Jos\\é Tab" and person.names.get().text == "Jos\\é Tab"
    assert "https://example.org/?a=1\\b" in Citation.objects.get(target_type="registry.person").note
    assert person.names.get().is_primary is True


def _indexes() -> set[str]:
    """The written tables' indexes and constraints, as definitions."""
    tables = [m._meta.db_table for m, _c in importer.TABLES]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        found = {str(r[0]) for r in cursor.fetchall()}
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = ANY(%s::regclass[])", [tables])
        return found | {" ".join(map(str, r)) for r in cursor.fetchall()}


@pytest.mark.django_db
def test_it_rebuilds_the_indexes_it_drops_for_a_bulk_load(cast: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("indexes are dropped and rebuilt on PostgreSQL only")
    _catalogue(cast)
    before = _indexes()
    monkeypatch.setattr(importer, "REBUILD_INDEXES_FROM", 1)
    monkeypatch.setattr(importer, "BATCH_POSTGRES", 2)
    # The statistics an index build leaves behind outlive a rolled-back test (PostgreSQL updates them in place).
    monkeypatch.setattr(importer, "_registry_size", lambda: 0.0)
    dropped: list[list[tuple[str, str]]] = []
    original = importer.Importer._maybe_drop_indexes

    def spy(self: importer.Importer, first: importer.Batch) -> list[tuple[str, str]]:
        found = original(self, first)
        dropped.append(found)
        return found

    monkeypatch.setattr(importer.Importer, "_maybe_drop_indexes", spy)
    rows = [_row(id=str(i), name_en=f"Person Number{i}", status="jailed", since="2020") for i in range(5)]
    # The same person again: an update, waiting for the rebuilt indexes.
    rows.append(_row(id="1", name_en="Person Number1", status="released", since="2022"))
    report = _import(cast, _csv(tmp_path / "l.csv", rows))
    assert dropped and dropped[0], "the run should have dropped the secondary indexes"
    assert {"registry_person_uuid_key", "registry_person_slug_key"} <= {name for name, _d in dropped[0]}
    assert _indexes() == before
    assert (report.created, report.updated) == (5, 1)
    assert Person.objects.get(external_ids__value="1").current_status == "released"
    assert StatusChange.objects.count() == 6 and PersonName.objects.count() == 5


@pytest.mark.django_db
def test_it_rolls_back_a_bulk_load_whose_made_unique_values_collide(cast: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The uuid and slug constraints are dropped for a bulk load and added back before the commit: a collision
    # (forced here) fails the run as the constraint would have, and nothing is written.
    if connection.vendor != "postgresql":
        pytest.skip("constraints are dropped and added back on PostgreSQL only")
    monkeypatch.setattr(importer, "REBUILD_INDEXES_FROM", 1)
    monkeypatch.setattr(importer, "BATCH_POSTGRES", 2)
    monkeypatch.setattr(importer, "_registry_size", lambda: 0.0)
    monkeypatch.setattr(importer, "_uuid4_hex", lambda n: ["0" * 32] * n)
    before = _indexes()
    rows = [_row(id=str(i), name_en=f"Person Number{i}") for i in range(3)]
    with pytest.raises(IntegrityError):
        _import(cast, _csv(tmp_path / "l.csv", rows))
    assert not Person.objects.exists() and _indexes() == before


@pytest.mark.django_db
def test_it_enqueues_the_duplicate_search_when_the_import_commits(cast: Any, tmp_path: Path,
                                                                 django_capture_on_commit_callbacks: Any) -> None:
    path = _csv(tmp_path / "l.csv", [_row(id="1", name_en="Ilgar Mammadov"), _row(id="2", name_en="Ilgar Mamedov"),
                                     _row(id="3", name_en="Narges Mohammadi")])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import(cast, path)
    assert len(callbacks) == 1
    first, second = Person.objects.get(external_ids__value="1"), Person.objects.get(external_ids__value="2")
    pair = DuplicateCandidate.objects.get(organisation=cast.org_a)
    assert {pair.first_id, pair.second_id} == {first.pk, second.pk}


@pytest.mark.django_db
def test_it_enqueues_nothing_for_a_dry_run(cast: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import(cast, _csv(tmp_path / "l.csv", [_row(id="1", name_en="Ilgar Mammadov")]), dry_run=True)
    assert callbacks == [] and not DuplicateCandidate.objects.exists()




@pytest.mark.django_db
def test_it_decides_repeated_ids_across_batches_as_one_pass_would(cast: Any, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # Batches of two rows: one person's rows fall into different batches, which on PostgreSQL different forked
    # processes map side by side; the writer still decides create or update in file order.
    monkeypatch.setattr(importer, "BATCH", 2)
    monkeypatch.setattr(importer, "BATCH_POSTGRES", 2)
    rows = [
        _row(id="1", name_en="Anna One", status="jailed", since="2019"),  # line 2: created
        _row(id="2", name_en="", status="jailed", since="2019"),  # line 3: skipped (no name)
        _row(id="3", name_en="Cara Three", status="jailed", since="2020"),  # line 4: created
        _row(id="1", name_en="Anna One", status="released", since="2021"),  # line 5: updates line 2's person
        _row(id="2", name_en="Boris Two", status="jailed", since="2018"),  # line 6: id 2's first good row: created
        _row(id="2", name_en="Boris Two", status="released", since="2022"),  # line 7: updates it
        _row(id="4", name_en="Dan Four", born="2999"),  # line 8: skipped (born in the future)
        _row(id="4", name_en="Dan Four", status="jailed", since="2017"),  # line 9: created
        _row(id="3", name_en="Cara Three", status="jailed", since="2020"),  # line 10: nothing new
    ]
    report = _import(cast, _csv(tmp_path / "l.csv", rows))
    assert (report.created, report.updated, report.unchanged, report.skipped) == (4, 2, 1, 2)
    assert [line for line, _reason in report.errors] == [3, 8]
    assert Person.objects.count() == 4 and ExternalId.objects.count() == 4
    people = {p.external_ids.get().value: p for p in Person.objects.all()}
    assert {k: p.current_status for k, p in people.items()} == {
        "1": "released", "2": "released", "3": "imprisoned", "4": "imprisoned"}
    assert people["2"].status_changes.count() == 2 and people["3"].status_changes.count() == 1
    # The person is cited to the line that created it.
    note = Citation.objects.get(target_type="registry.person", target_id=people["2"].pk, note__contains="line 6").note
    assert note.endswith("line 6")
    assert sorted(report.new_person_ids) == sorted(p.pk for p in people.values())


@pytest.mark.django_db
def test_it_writes_nothing_when_the_file_breaks_after_many_batches(cast: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Many small batches dealt to several processes: the read error is raised in the writer with its line.
    monkeypatch.setattr(importer, "BATCH", 500)
    monkeypatch.setattr(importer, "BATCH_POSTGRES", 500)
    path = tmp_path / "l.csv"
    good = "".join(f"{i},Person {i}\n" for i in range(1, 3000))
    path.write_bytes(b"id,name_en\n" + good.encode() + "3000,Jos\u00e9\n".encode("latin-1") + b"3001,After\n")
    mapping = '[fields]\nnames = "name_en"\nexternal_id = "id"\n[defaults]\ncountry = "AM"\n'
    with pytest.raises(ReadError) as err:
        _import(cast, path, mapping)
    assert err.value.line == 3001
    assert not Person.objects.exists() and not PersonName.objects.exists() and not Citation.objects.exists()
