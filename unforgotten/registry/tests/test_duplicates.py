"""Probable duplicates: shown on create (never blocking), queued by find-duplicates, reviewed by people."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions, search
from unforgotten.registry.actions import NameInput
from unforgotten.registry.duplicates import pairs_in
from unforgotten.registry.models import DuplicateCandidate, Person, PersonMerge
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

NEW = "/work/registry/people/new/"
QUEUE = "/work/registry/duplicates/"


@pytest.fixture(autouse=True)
def _fresh_index(settings: Any, tmp_path: Path) -> Any:
    settings.NAMES_INDEX_PATH = tmp_path / "names-index"
    search.reset_service()
    yield
    search.reset_service()


def _create_form(name: str, **extra: str) -> dict[str, str]:
    return {"names-TOTAL_FORMS": "1", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "0",
            "names-MAX_NUM_FORMS": "20", "names-0-text": name, "names-0-kind": "legal", "names-0-is_primary": "on",
            "country": "AZ", "gender": "male", "occupation": "journalist", **extra}


def _person(cast: Any, *names: str, org: Any = None) -> Person:
    return actions.do_create_person(organisation=org or cast.org_a, names=[NameInput(n) for n in names],
                                    data={"country": "AZ"}, acting_user=cast.dana)


@pytest.mark.django_db
def test_it_shows_probable_duplicates_before_creating_and_never_blocks(cast: Any) -> None:
    ilgar = _person(cast, "Ilgar Mammadov")
    client = signed_in(cast.amal)
    response = client.post(NEW, _create_form("Ильгар Мамедов"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This person may already be recorded" in body
    assert f"/work/registry/people/{ilgar.uuid}/" in body and "why:" in body
    assert 'name="confirm_new"' in body
    assert Person.objects.count() == 1  # nothing saved yet
    response = client.post(NEW, _create_form("Ильгар Мамедов", confirm_new="1"))
    assert response.status_code == 302
    assert Person.objects.filter(display_name="Ильгар Мамедов").exists()
    # A name nobody has: created at once.
    assert client.post(NEW, _create_form("Tofig Yagublu")).status_code == 302


@pytest.mark.django_db
def test_it_shows_chris_no_duplicates_from_another_organisation(cast: Any) -> None:
    make_sample(cast)
    response = signed_in(cast.chris).post(NEW, _create_form("Maryia Kalesnikava"))
    assert response.status_code == 302
    assert "Kalesnikava" not in response.content.decode()


@pytest.mark.django_db
def test_it_does_not_offer_a_restricted_person_as_a_duplicate_outside_the_case_team(cast: Any) -> None:
    hidden = _person(cast, "Ilgar Mammadov")
    Person.objects.filter(pk=hidden.pk).update(sensitivity_floor=Sensitivity.RESTRICTED)
    search.note_names_changed(hidden)
    assert signed_in(cast.amal).post(NEW, _create_form("Ильгар Мамедов")).status_code == 302
    hidden.case_team.add(cast.bilal)
    body = signed_in(cast.bilal).post(NEW, _create_form("Ильгар Мамедов")).content.decode()
    assert "This person may already be recorded" in body


@pytest.mark.django_db
def test_find_duplicates_queues_close_pairs_within_each_organisation_only(cast: Any) -> None:
    a1 = _person(cast, "Ilgar Mammadov")
    a2 = _person(cast, "Ильгар Мамедов")
    _person(cast, "Narges Mohammadi")
    b1 = _person(cast, "İlqar Məmmədov", org=cast.org_b)
    [(first, second, score)] = pairs_in(cast.org_a.pk)
    assert (first, second) == (a1.pk, a2.pk) and score >= 0.9
    out = io.StringIO()
    call_command("find_duplicates", stdout=out)
    assert "org-a: 1 new" in out.getvalue() and "org-b: 0 new" in out.getvalue()
    pair = DuplicateCandidate.objects.get()
    assert (pair.first_id, pair.second_id, pair.organisation_id) == (a1.pk, a2.pk, cast.org_a.pk)
    assert b1.pk not in (pair.first_id, pair.second_id)
    # Never merged automatically.
    assert not PersonMerge.objects.exists() and Person.objects.filter(merged_into__isnull=False).count() == 0
    # Running again adds nothing.
    call_command("find_duplicates", stdout=io.StringIO())
    assert DuplicateCandidate.objects.count() == 1


@pytest.mark.django_db
def test_the_queue_shows_each_organisation_its_own_pairs_and_remembers_not_the_same(cast: Any) -> None:
    a1 = _person(cast, "Ilgar Mammadov")
    a2 = _person(cast, "Ильгар Мамедов")
    call_command("find_duplicates", stdout=io.StringIO())
    pair = DuplicateCandidate.objects.get()
    body = signed_in(cast.amal).get(QUEUE).content.decode()
    assert f"/work/registry/people/{a1.uuid}/" in body and f"/work/registry/people/{a2.uuid}/" in body
    assert f"/work/registry/duplicates/{pair.pk}/" in body
    # Chris has a queue of his own, without Org A's pair; Vera only reads; Pat sees no case data.
    chris = signed_in(cast.chris).get(QUEUE)
    assert chris.status_code == 200 and str(a1.uuid) not in chris.content.decode()
    assert signed_in(cast.chris).get(f"/work/registry/duplicates/{pair.pk}/").status_code == 404
    assert signed_in(cast.chris).post(f"/work/registry/duplicates/{pair.pk}/", {"action": "dismiss"}).status_code == 404
    assert signed_in(cast.vera).get(QUEUE).status_code == 404
    assert signed_in(cast.pat).get(QUEUE).status_code == 404
    pair.refresh_from_db()
    assert pair.status == "open"
    # "Not the same person" is remembered: the pair leaves the queue and is never proposed again.
    response = signed_in(cast.amal).post(f"/work/registry/duplicates/{pair.pk}/", {"action": "dismiss"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    pair.refresh_from_db()
    assert pair.status == "not_same" and pair.decided_by == cast.amal
    assert str(a1.uuid) not in signed_in(cast.amal).get(QUEUE).content.decode()
    call_command("find_duplicates", stdout=io.StringIO())
    assert DuplicateCandidate.objects.get().status == "not_same"
    assert signed_in(cast.amal).get(f"/work/registry/duplicates/{pair.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_queue_hides_pairs_with_a_record_the_reader_may_not_see(cast: Any) -> None:
    a1 = _person(cast, "Ilgar Mammadov")
    a2 = _person(cast, "Ильгар Мамедов")
    call_command("find_duplicates", stdout=io.StringIO())
    pair = DuplicateCandidate.objects.get()
    Person.objects.filter(pk=a2.pk).update(sensitivity_floor=Sensitivity.RESTRICTED)
    body = signed_in(cast.amal).get(QUEUE).content.decode()
    assert str(a1.uuid) not in body and "Мамедов" not in body
    assert signed_in(cast.amal).get(f"/work/registry/duplicates/{pair.pk}/").status_code == 404
    Person.objects.get(pk=a2.pk).case_team.add(cast.amal)
    assert str(a2.uuid) in signed_in(cast.amal).get(QUEUE).content.decode()
