"""Issue 9, item 4: properties of the counting rule (decision 0015) on random histories.

Three independent ways to get a person's as-of figures must agree on every day:
the rule applied directly to the facts (``timeline.reference_as_of``), the
spans and contributions summed in memory, and the same spans summed by the
database's SQL (the path of the dashboard and the API).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unforgotten.core.partialdate import PartialDate
from unforgotten.stats import timeline as tl
from unforgotten.stats.queries import MemorySource, TableSource

STATUSES = ["at_large", "awaiting_trial", "imprisoned", "house_arrest", "released", "in_exile", "disappeared",
            "died_in_custody"]
FIRST, LAST = date(2018, 1, 1), date(2023, 12, 31)


@st.composite
def partial_dates(draw: Any, unknown: bool = True) -> PartialDate:
    day = draw(st.dates(min_value=FIRST, max_value=LAST))
    kind = draw(st.sampled_from(["day", "month", "year", "unknown"] if unknown else ["day", "month", "year"]))
    if kind == "day":
        return PartialDate.from_date(day)
    if kind == "month":
        return PartialDate(day.year, day.month)
    if kind == "year":
        return PartialDate(day.year)
    return PartialDate()


@st.composite
def people(draw: Any, person_id: int = 1) -> tl.PersonFacts:
    rare_unknown = draw(st.integers(0, 9)) == 0  # most histories are fully dated, some are not
    statuses = [tl.StatusFact(draw(st.sampled_from(STATUSES)), draw(partial_dates(unknown=rare_unknown)), i)
                for i in range(draw(st.integers(0, 4)))]
    detentions = []
    for i in range(draw(st.integers(0, 2))):
        start = draw(partial_dates(unknown=rare_unknown))
        end = draw(st.one_of(st.just(PartialDate()), partial_dates(unknown=False)))
        detentions.append(tl.DetentionFact(start, end, draw(st.sampled_from(["7", "8", tl.UNRECORDED])), i))
    decisions = [tl.DecisionFact(draw(st.sampled_from(["political_prisoner", "under_review", "former"])),
                                 draw(st.dates(min_value=FIRST, max_value=LAST)), i)
                 for i in range(draw(st.integers(0, 2)))]
    tags = [tl.TagFact(draw(st.sampled_from(tl.TAG_DIMENSIONS)), draw(st.sampled_from(["a", "b", "c"])),
                       draw(partial_dates(unknown=rare_unknown))) for _ in range(draw(st.integers(0, 3)))]
    return tl.PersonFacts(person_id, 1, draw(st.sampled_from(["BY", "RU"])), draw(st.sampled_from(["female", "male"])),
                          "student", statuses, detentions, decisions, tags)


def _days(facts: tl.PersonFacts) -> list[date]:
    """Every day something can change, the day before each, and a few ordinary days."""
    days = {FIRST - timedelta(days=1), LAST + timedelta(days=400), date(2020, 6, 15)}
    for value in [s.effective for s in facts.statuses] + [d.start for d in facts.detentions] + \
            [d.end for d in facts.detentions] + [t.since for t in facts.tags]:
        last = value.latest()
        if last is not None:
            days |= {last, last - timedelta(days=1)}
    for decision in facts.decisions:
        days |= {decision.decided_on, decision.decided_on - timedelta(days=1)}
    return sorted(days)


@settings(max_examples=300, deadline=None)
@given(people())
def test_it_sums_spans_to_what_the_rule_says_on_every_day(facts: tl.PersonFacts) -> None:
    source = MemorySource.of([facts])
    for day in _days(facts):
        expected = tl.reference_as_of(facts, day)
        for dimension in tl.DIMENSIONS:
            got = source.grid(day, dimension)
            if expected is None:
                assert got == Counter(), (day, dimension)
                continue
            status = str(expected["status"])
            if dimension == "all":
                values = {""}
            elif dimension in tl.TAG_DIMENSIONS:
                values = set(expected[dimension])  # type: ignore[call-overload]
            else:
                values = {str(expected[dimension])}
            assert got == Counter({(v, status): 1 for v in values}), (day, dimension)


@settings(max_examples=300, deadline=None)
@given(people())
def test_it_never_counts_a_partial_date_before_its_last_day(facts: tl.PersonFacts) -> None:
    for change in facts.statuses:
        last = change.effective.latest()
        if last is None or any(s.effective.is_unknown for s in facts.statuses):
            continue
        before = tl.reference_as_of(tl.PersonFacts(1, 1, "BY", "male", "student", [change]), last - timedelta(days=1))
        on = tl.reference_as_of(tl.PersonFacts(1, 1, "BY", "male", "student", [change]), last)
        assert before is None and on is not None and on["status"] == change.status


@settings(max_examples=300, deadline=None)
@given(people())
def test_it_places_people_with_an_unknown_status_date_nowhere_but_date_uncertain(facts: tl.PersonFacts) -> None:
    uncertain = not facts.statuses or any(s.effective.is_unknown for s in facts.statuses)
    for day in _days(facts):
        seen = tl.reference_as_of(facts, day)
        if uncertain:
            assert seen is not None and seen["status"] == tl.UNCERTAIN
        else:
            assert seen is None or seen["status"] != tl.UNCERTAIN


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(people(), min_size=1, max_size=4))
def test_it_gets_the_same_totals_from_the_database_as_in_memory(group: list[tl.PersonFacts]) -> None:
    from unforgotten.stats import engine
    from unforgotten.stats.models import DayDelta, MonthDelta, Span, TagSpan

    for model in (DayDelta, MonthDelta, Span, TagSpan):
        model.objects.all().delete()
    facts = [tl.PersonFacts(i + 1, 1, f.country, f.gender, f.occupation, f.statuses, f.detentions, f.decisions,
                            f.tags) for i, f in enumerate(group)]
    for person in facts:
        spans, tags = engine._span_rows(person, tl.spans_for(person))
        engine._insert(Span, engine.SPAN_COLUMNS, spans)
        engine._insert(TagSpan, engine.TAG_COLUMNS, tags)
        engine._apply("s.person_id = %s", [person.person_id], +1)
    memory, table = MemorySource.of(facts), TableSource([1])
    days = sorted({d for f in facts for d in _days(f)})
    for day in days:
        for dimension in tl.DIMENSIONS:
            assert table.grid(day, dimension) == memory.grid(day, dimension), (day, dimension)
    assert table.flows(FIRST, LAST) == memory.flows(FIRST, LAST)
    # Taking everyone out again leaves nothing behind.
    for person in facts:
        engine._apply("s.person_id = %s", [person.person_id], -1)
    assert all(n == 0 for n in DayDelta.objects.values_list("delta", flat=True))
    assert all(n == 0 for n in MonthDelta.objects.values_list("delta", flat=True))
