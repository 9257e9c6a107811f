"""The bulk path's speed-ups keep its guarantees: memoised name keys, COPY text, index rebuild, duplicates task."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from unforgotten.exchange import importer
from unforgotten.exchange.duplicates import as_ranges, from_ranges
from unforgotten.exchange.tests.test_import import _catalogue, _csv, _import, _row
from unforgotten.registry.models import (
    Citation,
    DuplicateCandidate,
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
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
                       [[m._meta.db_table for m, _c in importer.TABLES]])
        return {str(r[0]) for r in cursor.fetchall()}


@pytest.mark.django_db
def test_it_rebuilds_the_indexes_it_drops_for_a_bulk_load(cast: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("indexes are dropped and rebuilt on PostgreSQL only")
    _catalogue(cast)
    before = _indexes()
    monkeypatch.setattr(importer, "REBUILD_INDEXES_FROM", 1)
    monkeypatch.setattr(importer, "BATCH_POSTGRES", 2)
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
    assert _indexes() == before
    assert (report.created, report.updated) == (5, 1)
    assert Person.objects.get(external_ids__value="1").current_status == "released"
    assert StatusChange.objects.count() == 6 and PersonName.objects.count() == 5


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


