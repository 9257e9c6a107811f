"""``unforgotten search-people`` and ``unforgotten names-reindex``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions, search
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import ExternalId, Person


@pytest.fixture(autouse=True)
def _fresh_index(settings: Any, tmp_path: Path) -> Any:
    settings.NAMES_INDEX_PATH = tmp_path / "names-index"
    search.reset_service()
    yield
    search.reset_service()


def _run(*args: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("search_people", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _person(cast: Any, *names: str, org: Any = None) -> Person:
    return actions.do_create_person(organisation=org or cast.org_a, names=[NameInput(n) for n in names],
                                    data={"country": "AZ"}, acting_user=cast.dana)


@pytest.mark.django_db
def test_it_prints_one_json_line_per_query_in_the_agreed_shape(cast: Any, settings: Any) -> None:
    ilgar = _person(cast, "Ilgar Mammadov", "İlqar Məmmədov")
    ExternalId.objects.create(person=ilgar, organisation=cast.org_a, source="cpj", value="1234")
    ExternalId.objects.create(person=ilgar, organisation=cast.org_a, source="memorial", value="m-77")
    narges = _person(cast, "Narges Mohammadi", org=cast.org_b)
    # A fresh process on a database with no index file: built on demand.
    assert not Path(settings.NAMES_INDEX_PATH).exists()
    lines = _run("Ильгар Мамедов", "نرگس محمدی", "Zzyzx Qwerty", "--json")
    assert [line["query"] for line in lines] == ["Ильгар Мамедов", "نرگس محمدی", "Zzyzx Qwerty"]
    assert set(lines[0]) == {"query", "hits"}
    first = lines[0]["hits"][0]
    assert set(first) == {"person", "name", "score", "external_ids"}
    assert first["person"] == str(ilgar.uuid)
    assert first["name"] in {"Ilgar Mammadov", "İlqar Məmmədov"}
    assert isinstance(first["score"], float) and 0.9 <= first["score"] <= 1.0
    assert first["external_ids"] == {"cpj": "1234", "memorial": "m-77"}
    # Across every organisation: the operator's tool.
    assert lines[1]["hits"][0]["person"] == str(narges.uuid)
    assert lines[1]["hits"][0]["external_ids"] == {}
    assert lines[2]["hits"] == []


@pytest.mark.django_db
def test_it_limits_orders_and_narrows_to_an_organisation(cast: Any) -> None:
    people = [_person(cast, name) for name in ("Narges Mohammadi", "Narges Mohammadian", "Nargis Mohamadi",
                                              "Narges Mohammadi Tehrani")]
    other = _person(cast, "Narges Mohammadi", org=cast.org_b)
    hits = _run("Narges Mohammadi", "--json", "--limit", "3")[0]["hits"]
    assert len(hits) == 3
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert {hits[0]["person"], hits[1]["person"]} == {str(people[0].uuid), str(other.uuid)}
    only_b = _run("Narges Mohammadi", "--json", "--organisation", "org-b")[0]["hits"]
    assert [h["person"] for h in only_b] == [str(other.uuid)]
    with pytest.raises(CommandError):
        _run("x", "--organisation", "no-such-org")
    with pytest.raises(CommandError):
        _run("x", "--limit", "0")


@pytest.mark.django_db
def test_it_never_prints_restricted_names(cast: Any) -> None:
    person = _person(cast, "Ilgar Mammadov", "Emin Huseynov")
    person.names.filter(text="Emin Huseynov").update(sensitivity_floor=Sensitivity.RESTRICTED)
    search.note_names_changed(person)
    hidden = _person(cast, "Tofig Yagublu")
    Person.objects.filter(pk=hidden.pk).update(sensitivity_floor=Sensitivity.RESTRICTED)
    search.note_names_changed(hidden)
    lines = _run("Emin Huseynov", "Tofig Yagublu", "Ilgar Mammadov", "--json")
    assert lines[0]["hits"] == [] and lines[1]["hits"] == []
    assert lines[2]["hits"][0]["name"] == "Ilgar Mammadov"


@pytest.mark.django_db
def test_it_reads_plain_text_without_json(cast: Any) -> None:
    ilgar = _person(cast, "Ilgar Mammadov")
    out = io.StringIO()
    call_command("search_people", "Мамедов", stdout=out)
    assert "Ilgar Mammadov" in out.getvalue() and str(ilgar.uuid) in out.getvalue()


@pytest.mark.django_db
def test_names_reindex_rebuilds_the_snapshot_the_search_then_loads(cast: Any, settings: Any) -> None:
    ilgar = _person(cast, "Ilgar Mammadov")
    out = io.StringIO()
    call_command("names_reindex", stdout=out)
    assert "indexed 1 people" in out.getvalue()
    path = Path(settings.NAMES_INDEX_PATH)
    snapshot = (path / "CURRENT").read_text()
    assert (path / snapshot / "manifest.json").exists()
    # Names changed behind the actions' back are not in the snapshot until a reindex...
    ilgar.names.update(text="Tofig Yagublu")
    search.reset_service()
    assert _run("Tofig Yagublu", "--json")[0]["hits"] == []
    call_command("names_reindex", stdout=io.StringIO())
    search.reset_service()
    assert _run("Tofig Yagublu", "--json")[0]["hits"][0]["person"] == str(ilgar.uuid)
    # ...and old snapshots are pruned (the newest two are kept).
    call_command("names_reindex", stdout=io.StringIO())
    call_command("names_reindex", stdout=io.StringIO())
    assert len(list(path.glob("snap-*"))) == 2
