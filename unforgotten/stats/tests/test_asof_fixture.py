"""Issue 9, item 4: as-of counts checked against a hand-computed fixture with partial dates.

The fixture (``unforgotten/stats/testing.py``) states each person's history;
the figures below were worked out by hand from the rule in decision 0015, not
from the code. Each is checked three ways: the totals kept in step by the
registry's signals, the same after a full rebuild, and the in-memory sum used
by the public statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from unforgotten.stats import engine
from unforgotten.stats import timeline as tl
from unforgotten.stats.queries import MemorySource, Source, TableSource, breakdown, series

JUNE_2020, JUNE_2021, END_2021 = date(2020, 6, 30), date(2021, 6, 30), date(2021, 12, 31)


def _org_a_memory(fixture: Any) -> MemorySource:
    people = [fixture.anna, fixture.boris, fixture.chen, fixture.dilnoza, fixture.emil, fixture.hidden]
    facts = []
    for p in people:
        loaded = engine.load_person(p.pk)
        assert loaded is not None
        facts.append(engine.facts_for(loaded, engine.staff(p.organisation_id)))
    return MemorySource.of(f for f in facts if f is not None)


SOURCES: dict[str, Callable[[Any, Any], Source]] = {
    "signals": lambda cast, fixture: TableSource([cast.org_a.pk]),
    "rebuild": lambda cast, fixture: (engine.rebuild(cast.org_a.pk), TableSource([cast.org_a.pk]))[1],
    "memory": lambda cast, fixture: _org_a_memory(fixture),
}


def _table(source: Source, day: date, dimension: str) -> dict[str, tuple[int, int, int]]:
    return {row.value: (row.detained, row.counted, row.uncertain) for row in breakdown(source, day, dimension).rows}


@pytest.mark.parametrize("how", list(SOURCES))
def test_it_counts_by_status_with_partial_dates(cast: Any, fixture: Any, how: str) -> None:
    source = SOURCES[how](cast, fixture)
    # 30 June 2020: Boris awaiting trial (exact date), Emil imprisoned (5 March 2020); Anna not yet counted
    # ("2021" counts from 31 Dec 2021); Chen (unknown date) and Dilnoza (no history) date uncertain.
    assert _table(source, JUNE_2020, "status") == {
        "awaiting_trial": (1, 1, 0), "imprisoned": (1, 1, 0), tl.UNCERTAIN: (0, 0, 2)}
    # 30 June 2021: Boris's release "in July 2021" does not count yet.
    assert _table(source, JUNE_2021, "status") == {
        "awaiting_trial": (1, 1, 0), "imprisoned": (1, 1, 0), tl.UNCERTAIN: (0, 0, 2)}
    # 31 December 2021: Anna now counts; Boris released (from 31 July 2021).
    assert _table(source, END_2021, "status") == {
        "imprisoned": (2, 2, 0), "released": (0, 1, 0), tl.UNCERTAIN: (0, 0, 2)}
    # The day before the end of July 2021 Boris is still held; on 31 July he is released.
    assert _table(source, date(2021, 7, 30), "status")["awaiting_trial"] == (1, 1, 0)
    assert _table(source, date(2021, 7, 31), "status")["released"] == (0, 1, 0)
    # Emil's "2019" counts from 31 December 2019, not a day before.
    assert "awaiting_trial" not in _table(source, date(2019, 12, 30), "status")
    assert _table(source, date(2019, 12, 31), "status")["awaiting_trial"] == (1, 1, 0)


@pytest.mark.parametrize("how", list(SOURCES))
def test_it_counts_by_every_dimension(cast: Any, fixture: Any, how: str) -> None:
    source = SOURCES[how](cast, fixture)
    colony, sizo, article = str(fixture.colony.pk), str(fixture.sizo.pk), str(fixture.article.pk)
    assert _table(source, END_2021, "country") == {"BY": (2, 2, 0), "RU": (0, 1, 1), "CN": (0, 0, 1)}
    assert _table(source, JUNE_2021, "country") == {"BY": (1, 1, 0), "RU": (1, 1, 1), "CN": (0, 0, 1)}
    assert _table(source, END_2021, "gender") == {"female": (1, 1, 1), "male": (1, 2, 1)}
    assert _table(source, END_2021, "occupation") == {
        "journalist": (1, 1, 0), "student": (1, 1, 0), "lawyer": (0, 1, 0), "blogger": (0, 0, 1),
        "hr_defender": (0, 0, 1)}
    assert _table(source, END_2021, "recognition") == {"political_prisoner": (2, 2, 0), tl.NONE: (0, 1, 2)}
    assert _table(source, JUNE_2020, "recognition") == {"under_review": (1, 1, 0), tl.NONE: (1, 1, 2)}
    assert _table(source, JUNE_2021, "facility") == {sizo: (1, 1, 0), tl.NONE: (1, 1, 2)}
    assert _table(source, END_2021, "facility") == {colony: (1, 1, 0), tl.NONE: (1, 2, 2)}
    assert _table(source, END_2021, "theme") == {"expression": (1, 1, 0), tl.NONE: (1, 2, 2)}
    assert _table(source, END_2021, "article") == {article: (1, 1, 0), tl.NONE: (1, 2, 2)}


@pytest.mark.parametrize("how", list(SOURCES))
def test_it_makes_the_monthly_series_without_inventing_months(cast: Any, fixture: Any, how: str) -> None:
    source = SOURCES[how](cast, fixture)
    result = series(source, date(2019, 1, 1), date(2021, 12, 31))
    by_month = {m.month: (m.detentions, m.releases, m.deaths) for m in result.months if m.detentions or m.releases}
    # Boris: detained 10 May 2020 (exact), released "July 2021" (month known).
    assert by_month == {date(2020, 5, 1): (1, 0, 0), date(2021, 7, 1): (0, 1, 0)}
    # Emil ("2019") and Anna ("2021") are known only to the year: shown apart, never placed in December.
    assert {y: m.detentions for y, m in result.year_only.items()} == {2019: 1, 2021: 1}


def test_it_keeps_the_totals_equal_to_a_rebuild_after_every_change(cast: Any, fixture: Any) -> None:
    from unforgotten.core.partialdate import PartialDate
    from unforgotten.registry import actions

    actions.do_record_status(person=fixture.chen, status="released", effective=PartialDate(2022, 2),
                             acting_user=cast.dana)
    actions.do_update_person(person=fixture.dilnoza, data={"country": "KZ"}, acting_user=cast.dana)
    from unforgotten.registry.erasure import do_erase_case

    # Erasing Anna's case takes her theme and article with it (the case's rows go, and the totals follow).
    do_erase_case(case=fixture.anna.cases.get(), acting_user=cast.dana, reason="T18 drill")
    source = TableSource([cast.org_a.pk])
    before = {(d, dim): _table(source, d, dim) for d in (JUNE_2021, END_2021, date(2022, 3, 1))
              for dim in ("status", "country", "facility", "article")}
    engine.rebuild(cast.org_a.pk)
    after = {(d, dim): _table(source, d, dim) for d in (JUNE_2021, END_2021, date(2022, 3, 1))
             for dim in ("status", "country", "facility", "article")}
    assert before == after
    # Chen still has his unknown-dated change: still date uncertain, now and before.
    assert after[(date(2022, 3, 1), "status")][tl.UNCERTAIN] == (0, 0, 2)
    assert after[(date(2022, 3, 1), "country")]["KZ"] == (0, 0, 1)
    assert str(fixture.article.pk) not in after[(END_2021, "article")]


def test_it_leaves_out_a_whole_record_raised_above_internal_and_other_organisations(cast: Any, fixture: Any) -> None:
    source = TableSource([cast.org_a.pk])
    total = sum(r.counted + r.uncertain for r in breakdown(source, END_2021, "status").rows)
    assert total == 5  # Anna, Boris, Emil, Chen, Dilnoza: not "Hidden", not Org B's prisoner
    org_b = _table(TableSource([cast.org_b.pk]), END_2021, "status")
    assert org_b == {"imprisoned": (1, 1, 0)}
