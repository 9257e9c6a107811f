"""Name search in the app: cross-script finds, processes kept in step, visibility, snapshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest

from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions, search
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import NameIndexChange, Person, PersonName
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

URL = "/work/registry/people/"
API = "/api/v1/registry/people"


@pytest.fixture(autouse=True)
def _fresh_index(settings: Any, tmp_path: Path) -> Any:
    # Each test starts from an empty process index and writes its snapshots under tmp_path.
    settings.NAMES_INDEX_PATH = tmp_path / "names-index"
    search.reset_service()
    yield
    search.reset_service()


def _names(response: Any) -> list[str]:
    body = response.content.decode()
    table = body[body.find('<table class="people">'):body.find("</table>")] if '<table class="people">' in body else ""
    return re.findall(r'<a href="/work/registry/people/[0-9a-f-]{36}/" dir="auto">([^<]+)</a>', table)


def _person(cast: Any, *names: str, org: Any = None) -> Person:
    return actions.do_create_person(organisation=org or cast.org_a, names=[NameInput(n) for n in names],
                                    data={"country": "AZ"}, acting_user=cast.dana)


def _found(user: Any, query: str) -> list[int]:
    return [h.person_id for h in search.find_people(user, query)]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Ильгар Мамедов", "İlqar Məmmədov", "ILGAR MAMMADOV", "Mammadov Ilgar"])
def test_it_finds_a_person_written_in_another_script(cast: Any, query: str) -> None:
    ilgar = _person(cast, "Ilgar Mammadov")
    _person(cast, "Narges Mohammadi")
    response = signed_in(cast.amal).get(URL, {"q": query})
    assert response.status_code == 200
    assert _names(response)[0] == "Ilgar Mammadov"
    body = response.content.decode()
    assert 'matched: <bdi>Ilgar Mammadov</bdi>' in body
    assert "why:" in body and "mammadov" in body.lower()
    assert _found(cast.amal, query)[0] == ilgar.pk


@pytest.mark.django_db
@pytest.mark.parametrize(("stored", "query"), [
    ("محمد علی طاهری", "محمد علي طاهري"),  # Persian ی against Arabic ي
    ("محمد علی طاهری", "Mohammad Ali Taheri"),
    ("Narges Mohammadi", "نرگس محمدي"),
    ("Abdulhadi al-Khawaja", "عبد الهادي الخواجة"),
])
def test_it_finds_arabic_and_persian_variants(cast: Any, stored: str, query: str) -> None:
    wanted = _person(cast, stored)
    _person(cast, "Ilgar Mammadov")
    hits = search.find_people(cast.amal, query)
    assert hits and hits[0].person_id == wanted.pk and hits[0].name == stored
    assert hits[0].score >= 0.8


@pytest.mark.django_db
def test_it_ranks_by_score_and_keeps_the_other_filters(cast: Any) -> None:
    exact = _person(cast, "Narges Mohammadi")
    near = _person(cast, "Narges Mohammadian")
    other = actions.do_create_person(organisation=cast.org_a, names=[NameInput("Narges Mohammadi")],
                                     data={"country": "IR"}, acting_user=cast.dana)
    client = signed_in(cast.amal)
    assert _names(client.get(URL, {"q": "Narges Mohammadi", "country": "AZ"})) == \
        ["Narges Mohammadi", "Narges Mohammadian"]
    found = _found(cast.amal, "نرگس محمدی")
    assert set(found[:2]) == {exact.pk, other.pk} and found[2] == near.pk
    # The API orders the same way, best first.
    data = signed_in(cast.amal).get(API, {"q": "Narges Mohammadi", "country": "AZ"}).json()
    assert [p["uuid"] for p in data["items"]] == [str(exact.uuid), str(near.uuid)]


@pytest.mark.django_db
def test_it_sees_a_rename_made_by_another_process(cast: Any) -> None:
    # Two processes, each with its own in-memory index, share only the database.
    first, second = search.PeopleNameIndex(), search.PeopleNameIndex()
    person = _person(cast, "Ilgar Mammadov")
    first.sync()
    second.sync()
    org = cast.org_a.pk
    assert [p for p, _s in second.search(org, "Ильгар Мамедов", 5)] == [person.pk]
    # The first process handles the rename request...
    actions.do_set_names(person=person, names=[NameInput("Tofig Yagublu")], acting_user=cast.dana)
    first.sync()
    # ...and the second finds the new name (and not the old one) on its next request.
    second.sync()
    assert [p for p, _s in second.search(org, "Тофиг Ягублу", 5)] == [person.pk]
    assert second.search(org, "Ilgar Mammadov", 5) == []
    assert second.covered == first.covered == NameIndexChange.objects.order_by("-seq").first().seq  # type: ignore[union-attr]


@pytest.mark.django_db
def test_it_applies_a_change_that_commits_out_of_order(cast: Any) -> None:
    # PostgreSQL numbers a change when it is written, not when it commits: a
    # lower number can appear after a higher one was applied.
    index = search.PeopleNameIndex()
    early = _person(cast, "Ilgar Mammadov")
    late = _person(cast, "Tofig Yagublu")
    in_flight = NameIndexChange.objects.get(person_id=early.pk)
    seq = in_flight.seq
    in_flight.delete()
    PersonName.objects.filter(person=early).update(text="Anar Mammadli")
    index.sync()
    assert index.search(cast.org_a.pk, "Tofig Yagublu", 5)[0][0] == late.pk
    # Now the earlier transaction "commits" with its lower number.
    NameIndexChange.objects.create(seq=seq, person_id=early.pk, organisation_id=cast.org_a.pk)
    index.sync()
    assert index.search(cast.org_a.pk, "Анар Маммадли", 5)[0][0] == early.pk


@pytest.mark.django_db
def test_it_rebuilds_when_the_database_is_not_the_one_it_followed(cast: Any) -> None:
    index = search.PeopleNameIndex()
    person = _person(cast, "Ilgar Mammadov")
    index.sync()
    # A restored database: the change rows this index applied are gone, the names differ.
    NameIndexChange.objects.all().delete()
    PersonName.objects.filter(person=person).update(text="Anar Mammadli")
    index.sync()
    assert index.search(cast.org_a.pk, "Anar Mammadli", 5)[0][0] == person.pk
    # A bulk load behind the actions' back asks every process to rebuild.
    PersonName.objects.filter(person=person).update(text="Tofig Yagublu")
    search.note_bulk_change()
    index.sync()
    assert index.search(cast.org_a.pk, "Tofig Yagublu", 5)[0][0] == person.pk


@pytest.mark.django_db
def test_it_never_gives_chris_org_a_people(cast: Any) -> None:
    sample = make_sample(cast)
    _person(cast, "Ilgar Mammadov")
    for query in ("Maryia Kalesnikava", "Калеснікава", "Ilgar Mammadov", "Мамедов"):
        assert _found(cast.chris, query) == []
        response = signed_in(cast.chris).get(URL, {"q": query})
        assert _names(response) == []
        # The query itself comes back (the search box, the export link); nothing else may.
        echoed = response.content.decode().replace(query, "").replace(quote_plus(query), "")
        assert "Kalesnikava" not in echoed
        assert signed_in(cast.chris).get(API, {"q": query}).json()["items"] == []
    # Chris finds his own organisation's prisoner, whatever Org A records.
    assert _found(cast.chris, "Алесь Бяляцкі") == [sample.person_b.pk]
    assert _found(cast.amal, "Ales Bialiatski") == []
    assert _found(cast.pat, "Maryia Kalesnikava") == []


@pytest.mark.django_db
def test_it_finds_a_small_organisation_s_people_among_many_similar_names(cast: Any) -> None:
    for i in range(60):
        _person(cast, f"Narges Mohammadi{'an' * (i % 3)} {i}")
    mine = _person(cast, "Narges Mohammadi", org=cast.org_b)
    assert _found(cast.chris, "Narges Mohammadi") == [mine.pk]


@pytest.mark.django_db
def test_it_finds_restricted_names_and_people_only_for_the_case_team(cast: Any) -> None:
    hidden_name = _person(cast, "Ilgar Mammadov", "Emin Huseynov")
    raised = PersonName.objects.get(person=hidden_name, text="Emin Huseynov")
    raised.sensitivity_floor = Sensitivity.RESTRICTED
    raised.save()
    search.note_names_changed(hidden_name)
    hidden_person = _person(cast, "Tofig Yagublu")
    Person.objects.filter(pk=hidden_person.pk).update(sensitivity_floor=Sensitivity.RESTRICTED)
    search.note_names_changed(hidden_person)
    for user in (cast.amal, cast.vera, cast.dana, cast.chris):
        assert _found(user, "Emin Huseynov") == []
        assert _found(user, "Tofig Yagublu") == []
        body = signed_in(user).get(URL, {"q": "Emin Huseynov"}).content.decode()
        assert "Huseynov" not in body.replace("Emin Huseynov", "").replace(quote_plus("Emin Huseynov"), "")
        assert signed_in(user).get(API, {"q": "Tofig Yagublu"}).json().get("items", []) == []
    # The visible name still finds the person, and shows that name, not the restricted one.
    hits = search.find_people(cast.amal, "Ilgar Mammadov")
    assert [(h.person_id, h.name) for h in hits] == [(hidden_name.pk, "Ilgar Mammadov")]
    # On the case team, Amal finds both.
    hidden_name.case_team.add(cast.amal)
    hidden_person.case_team.add(cast.amal)
    assert [(h.person_id, h.name) for h in search.find_people(cast.amal, "Эмин Гусейнов")] == \
        [(hidden_name.pk, "Emin Huseynov")]
    assert _found(cast.amal, "Tofig Yagublu") == [hidden_person.pk]
    assert _names(signed_in(cast.amal).get(URL, {"q": "Tofig Yagublu"})) == ["Tofig Yagublu"]
    # Still nobody else, and the restricted name never entered the shared index.
    assert _found(cast.vera, "Emin Huseynov") == [] and _found(cast.vera, "Tofig Yagublu") == []
    assert search.service().search(cast.org_a.pk, "Emin Huseynov", 10) == []


@pytest.mark.django_db
def test_it_does_not_show_a_name_raised_behind_the_index_s_back(cast: Any) -> None:
    # No change row: the index still holds the name, the database check hides it.
    person = _person(cast, "Ilgar Mammadov", "Emin Huseynov")
    assert _found(cast.amal, "Emin Huseynov") == [person.pk]
    PersonName.objects.filter(text="Emin Huseynov").update(sensitivity_overrides={"text": "restricted"})
    assert search.service().search(cast.org_a.pk, "Emin Huseynov", 5)  # stale on purpose
    assert _found(cast.amal, "Emin Huseynov") == []
    Person.objects.filter(pk=person.pk).update(sensitivity_floor=Sensitivity.SEALED)
    person.case_team.add(cast.amal)
    assert _found(cast.amal, "Ilgar Mammadov") == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["amal", "vera", "chris", "bilal"])
def test_it_reveals_nothing_when_searching_for_a_canary(cast: Any, persona: str) -> None:
    sample = make_sample(cast)
    user = getattr(cast, persona)
    client = signed_in(user)
    for canary in sample.canaries:
        assert search.find_people(user, canary) == []
        body = client.get(URL, {"q": canary}).content.decode().replace(canary, "")
        assert "CANARY" not in body and _names(client.get(URL, {"q": canary})) == []
        response = client.get(API, {"q": canary})
        assert "CANARY" not in response.content.decode()


@pytest.mark.django_db
def test_it_saves_a_snapshot_that_loads_and_catches_up(cast: Any, settings: Any) -> None:
    make_sample(cast)
    ilgar = _person(cast, "Ilgar Mammadov")
    _person(cast, "Narges Mohammadi", org=cast.org_b)
    from django.core.management import call_command

    call_command("names_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    path = Path(settings.NAMES_INDEX_PATH)
    assert (path / "CURRENT").exists()
    queries = ["Ильгар Мамедов", "Калеснікава", "نرگس محمدی", "Ales Bialiatski", "Mammadov"]
    loaded = search.PeopleNameIndex(path)
    fresh = search.PeopleNameIndex()
    loaded.sync()
    fresh.sync()
    for org in (cast.org_a.pk, cast.org_b.pk):
        for query in queries:
            assert loaded.search(org, query, 10) == fresh.search(org, query, 10), (org, query)
    assert len(loaded) == len(fresh) == 4
    # A process started later loads the snapshot and applies what changed since.
    actions.do_set_names(person=ilgar, names=[NameInput("Tofig Yagublu")], acting_user=cast.dana)
    later = search.PeopleNameIndex(path)
    later.sync()
    assert later.search(cast.org_a.pk, "Тофиг Ягублу", 5)[0][0] == ilgar.pk
    assert later.search(cast.org_a.pk, "Ilgar Mammadov", 5) == []
    # A snapshot of another database is ignored.
    other = search.PeopleNameIndex(path)
    assert other._load_snapshot(path)
    manifest = path / (path / "CURRENT").read_text() / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"database": "', '"database": "elsewhere-'))
    assert not search.PeopleNameIndex(path)._load_snapshot(path)


@pytest.mark.django_db
def test_it_only_searches_the_organisation_asked_for(cast: Any) -> None:
    cast_org_b_member = cast.org_b.memberships.model.objects.create(
        user=cast.amal, organisation=cast.org_b, roles=["viewer"])
    assert cast_org_b_member
    a = _person(cast, "Ilgar Mammadov")
    b = _person(cast, "Ilgar Mammadov", org=cast.org_b)
    from unforgotten import policy

    policy.forget_memberships(cast.amal)
    assert set(_found(cast.amal, "Ilgar Mammadov")) == {a.pk, b.pk}
    assert _names(signed_in(cast.amal).get(URL, {"q": "Ilgar Mammadov", "org": "org-b"})) == ["Ilgar Mammadov"]
    assert [h.person_id for h in search.find_people(cast.amal, "Ilgar Mammadov",
                                                    organisation_ids=[cast.org_b.pk])] == [b.pk]
