"""Exports: only what the reader may see (the projection), formula-safe, audited, never another organisation's list."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.audit.models import AuditEvent
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions
from unforgotten.registry.actions import NameInput
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

FORMATS = ("csv", "jsonl", "xlsx")


def _text(response: Any, fmt: str) -> str:
    body = b"".join(response.streaming_content)
    if fmt != "xlsx":
        return body.decode()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join("\t".join("" if c is None else str(c) for c in row) for row in book.worksheets[0].iter_rows(values_only=True))


def _export(user: Any, fmt: str, query: str = "") -> str:
    response = signed_in(user).get(f"/work/exchange/export/people.{fmt}{query}")
    assert response.status_code == 200, response.status_code
    return _text(response, fmt)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_it_exports_the_readers_own_organisation_only(cast: Any, fmt: str) -> None:
    make_sample(cast)
    mine = _export(cast.amal, fmt)
    assert "Maryia Kalesnikava" in mine and "Марыя Калеснікава" in mine
    assert "Ales Bialiatski" not in mine
    # Chris works for Org B: he gets his own list and nothing of Org A.
    theirs = _export(cast.chris, fmt)
    assert "Ales Bialiatski" in theirs
    assert "Kalesnikava" not in theirs and "Калеснікава" not in theirs and "CANARY" not in theirs


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_it_never_exports_a_canary_above_the_readers_ceiling(cast: Any, fmt: str) -> None:
    sample = make_sample(cast)
    for persona in (cast.amal, cast.bilal, cast.dana):
        text = _export(persona, fmt)
        leaked = [c for c in sample.forbidden_for(Sensitivity.INTERNAL) if c in text]
        assert leaked == [], (persona, leaked)
        assert "CANARY-birthplace-internal" in text  # staff may see internal fields: the test can see a leak
    # Raising a field above staff level takes it out of the export, unless the reader is on the case team.
    person = sample.person_a
    person.sensitivity_overrides = {"birth_place": int(Sensitivity.RESTRICTED)}
    person.save(update_fields=["sensitivity_overrides"])
    assert "CANARY-birthplace" not in _export(cast.amal, fmt)
    person.case_team.add(cast.amal)
    assert "CANARY-birthplace" in _export(cast.amal, fmt)
    # A record raised above staff level as a whole is not in the list at all for others.
    person.sensitivity_floor = int(Sensitivity.RESTRICTED)
    person.save(update_fields=["sensitivity_floor"])
    assert "Kalesnikava" not in _export(cast.bilal, fmt)


@pytest.mark.django_db
def test_it_refuses_people_who_may_not_export(cast: Any) -> None:
    make_sample(cast)
    for user in (cast.vera, cast.pat):
        assert signed_in(user).get("/work/exchange/export/people.csv").status_code == 404
    assert signed_in(cast.amal).get("/work/exchange/export/people.pdf").status_code == 404
    assert Client().get("/work/exchange/export/people.csv").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ("csv", "xlsx"))
def test_it_defuses_formulas_in_spreadsheet_exports(cast: Any, fmt: str) -> None:
    for text in ("=HYPERLINK(\"http://evil\",\"x\")", "+1+1 Plus", "-2 Minus", "@SUM(A1) At"):
        actions.do_create_person(organisation=cast.org_a, names=[NameInput(text)], data={"country": "AM"},
                                 acting_user=cast.dana)
    body = _export(cast.amal, fmt)
    for start in ("=HYPERLINK", "+1+1", "-2 Minus", "@SUM"):
        assert f"'{start}" in body
        lines = body.splitlines()
        assert not any(cell.startswith(start) for line in lines for cell in line.replace("\t", ",").split(","))


@pytest.mark.django_db
def test_it_filters_like_the_list_and_audits_each_export_without_personal_data(cast: Any) -> None:
    make_sample(cast)
    actions.do_create_person(organisation=cast.org_a, names=[NameInput("Narges Mohammadi")],
                             data={"country": "IR"}, acting_user=cast.dana)
    lines = _export(cast.amal, "jsonl", "?country=IR&q=narges").splitlines()
    assert [json.loads(line)["display_name"] for line in lines] == ["Narges Mohammadi"]
    event = AuditEvent.objects.filter(action="exchange.export_people").get()
    assert event.actor_id == cast.amal.pk and event.organisation_id == cast.org_a.pk
    assert event.changes["rows"] == [None, 1] and event.changes["complete"] == [None, True]
    assert event.changes["filter"][1] == {"country": "IR", "q": "(a name search)"}
    assert "arges" not in json.dumps(event.changes)
