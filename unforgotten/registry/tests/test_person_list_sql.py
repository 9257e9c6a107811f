"""The list's hand-written SQL (listing.first_page) gives exactly what people_for gives, for every reader.

``people_for`` is the definition of who may list whom; ``first_page`` writes
its common case by hand for speed. Hypothesis picks filters, sort orders and
cursor positions; each reader — a caseworker on one record's case team, a
viewer, another organisation's caseworker, the platform admin — must get the
same people in the same order and the same capped count both ways.
"""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unforgotten.core.partialdate import PartialDate
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions, listing
from unforgotten.registry.actions import NameInput
from unforgotten.registry.forms import PersonFilterForm
from unforgotten.registry.models import Person
from unforgotten.registry.views.people import PAGE_FIELDS, SORTS

COUNTRIES = ["AM", "BY", "IR"]
STATUSES = ["imprisoned", "awaiting_trial", "released"]
OCCUPATIONS = ["journalist", "lawyer", "student"]
OUTCOMES = ["", "political_prisoner", "prisoner_of_conscience"]


def _population(cast: Any) -> dict[str, Person]:
    """Thirty people of Org A and a few of Org B, with raised, team-only, merged and tied-name records."""
    made: dict[str, Person] = {}
    for i in range(30):
        org = cast.org_a if i < 26 else cast.org_b
        # Names repeat (i % 9) so the sort's tie-break on the id is exercised.
        person = actions.do_create_person(organisation=org, names=[NameInput(f"Person {i % 9:02d}")],
                                          data={"country": COUNTRIES[i % 3], "occupation": OCCUPATIONS[i % 3 - 1]},
                                          acting_user=cast.dana if i < 26 else cast.chris)
        Person.objects.filter(pk=person.pk).update(
            current_status=STATUSES[(i // 3) % 3], recognition_outcome=OUTCOMES[(i // 2) % 3],
            current_status_date=PartialDate(2000 + i % 7, 1 + i % 12) if i % 4 else PartialDate(2000 + i % 7))
        made[f"p{i}"] = person
    # Raised records: restricted (Amal is on the case team of one of them) and sealed.
    Person.objects.filter(pk__in=[made["p3"].pk, made["p4"].pk]).update(sensitivity_floor=Sensitivity.RESTRICTED)
    Person.objects.filter(pk=made["p5"].pk).update(sensitivity_floor=Sensitivity.SEALED)
    made["p3"].case_team.add(cast.amal)
    # A person merged into another is retired from lists.
    Person.objects.filter(pk=made["p6"].pk).update(merged_into=made["p7"])
    for person in made.values():
        person.refresh_from_db()
    return made


def _orm(user: Any, params: dict[str, str], sort: str, after: list[Any] | None) -> tuple[int, list[int]]:
    from unforgotten.registry.views.people import _after

    form = PersonFilterForm({**params, "sort": sort})
    assert form.is_valid(), form.errors
    qs = listing.people_for(user, form)
    columns, descending = SORTS[sort]
    count = qs.order_by()[:1001].count()
    page = qs.order_by(*(f"-{c}" if descending else c for c in columns))
    if after is not None:
        page = page.filter(_after(columns, after, descending))
    return count, list(page.values_list("pk", flat=True)[:11])


def _sql(user: Any, params: dict[str, str], sort: str, after: list[Any] | None) -> tuple[int, list[int]]:
    form = PersonFilterForm({**params, "sort": sort})
    simple = listing.simple_filters(form)
    assert simple is not None
    columns, descending = SORTS[sort]
    count, people = listing.first_page(user, simple, fields=PAGE_FIELDS, columns=columns, descending=descending,
                                       after=after, limit=11, count_cap=1000)
    return int(count or 0), [p.pk for p in people]


@pytest.mark.django_db
def test_it_lists_the_same_people_by_hand_written_sql_as_through_people_for(cast: Any) -> None:
    made = _population(cast)
    readers = [cast.amal, cast.vera, cast.chris, cast.pat, cast.dmitri]

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(country=st.sampled_from(["", *COUNTRIES]), status=st.sampled_from(["", *STATUSES]),
           occupation=st.sampled_from(["", *OCCUPATIONS]), recognition=st.sampled_from(OUTCOMES),
           sort=st.sampled_from(sorted(SORTS)), skip=st.integers(min_value=0, max_value=12),
           reader=st.sampled_from(readers))
    def check(country: str, status: str, occupation: str, recognition: str, sort: str, skip: int,
              reader: Any) -> None:
        params = {k: v for k, v in {"country": country, "status": status, "occupation": occupation,
                                    "recognition": recognition}.items() if v}
        assert _sql(reader, params, sort, None) == _orm(reader, params, sort, None)
        # A later page: the cursor of some row in the full order (as the "more" link carries it).
        columns, descending = SORTS[sort]
        full = _orm(reader, params, sort, None)[1]
        if full:
            anchor = Person.objects.get(pk=full[min(skip, len(full) - 1)])
            after = [getattr(anchor, c) for c in columns]
            after = [v if isinstance(v, int) else str(v) for v in after]
            assert _sql(reader, params, sort, after)[1] == _orm(reader, params, sort, after)[1]

    check()
    # The fixture really has what the rule is about: a team-only record Amal may list and Vera may not.
    everyone = PersonFilterForm({})
    assert made["p3"].pk in listing.people_for(cast.amal, everyone).values_list("pk", flat=True)
    assert made["p3"].pk not in listing.people_for(cast.vera, everyone).values_list("pk", flat=True)


@pytest.mark.django_db
def test_it_shows_amal_the_team_only_record_and_hides_it_from_vera(cast: Any) -> None:
    made = _population(cast)
    team_only = made["p3"].uuid
    amal, vera = Client(), Client()
    amal.force_login(cast.amal)
    vera.force_login(cast.vera)
    query = {"country": made["p3"].country, "status": made["p3"].current_status, "sort": "name"}
    assert str(team_only) in amal.get("/work/registry/people/", query).content.decode()
    assert str(team_only) not in vera.get("/work/registry/people/", query).content.decode()
    # Neither sees the sealed record or the merged one.
    for client in (amal, vera):
        body = client.get("/work/registry/people/", {"sort": "name"}).content.decode() + \
            client.get("/work/registry/people/", {"sort": "country"}).content.decode()
        assert str(made["p5"].uuid) not in body
        assert str(made["p6"].uuid) not in body


@pytest.mark.django_db
def test_it_leaves_lists_it_does_not_handle_to_people_for() -> None:
    for params in ({"q": "Mammadov"}, {"theme": "assembly"}, {"date_from": "2020-01-01"}):
        assert listing.simple_filters(PersonFilterForm(params)) is None
    assert listing.simple_filters(PersonFilterForm({"country": "BY"}), organisation_slug="org-a") is None
    assert listing.simple_filters(PersonFilterForm({"country": "BY", "sort": "name"})) == {"country": "BY"}


@pytest.mark.django_db
def test_it_reads_overrides_as_the_orm_does_and_skips_the_decoder_for_none(cast: Any) -> None:
    # Most records raise no field: their overrides are "{}" on every row of a page, and each row
    # gets its own empty dict without json.loads; a raised record's overrides are still decoded.
    made = _population(cast)
    Person.objects.filter(pk=made["p0"].pk).update(sensitivity_overrides={"occupation": "restricted"})
    params = {"country": made["p0"].country}
    real_loads = json.loads
    decoded: list[str] = []

    def counting_loads(text: Any, *args: Any, **kwargs: Any) -> Any:
        decoded.append(text)
        return real_loads(text, *args, **kwargs)

    with mock.patch("json.loads", counting_loads):
        _count, people = listing.first_page(cast.amal, params, fields=PAGE_FIELDS, columns=SORTS["name"][0],
                                            descending=False, after=None, limit=11, count_cap=None)
    assert people and "{}" not in decoded
    assert any("restricted" in text for text in decoded)
    orm = {p.pk: p.sensitivity_overrides for p in Person.objects.filter(pk__in=[p.pk for p in people])}
    assert {p.pk: p.sensitivity_overrides for p in people} == orm
    assert orm[made["p0"].pk] == {"occupation": "restricted"}
    empty = [p.sensitivity_overrides for p in people if not p.sensitivity_overrides]
    assert len(empty) >= 2
    empty[0]["occupation"] = "sealed"  # one row's dict is its own
    assert empty[1] == {}
