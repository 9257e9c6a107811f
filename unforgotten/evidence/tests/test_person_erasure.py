"""Erasing a whole person (issue 5, item 7), by hand and by the retention job; the log still verifies.

Dana (Org A's admin) erases the sample's person A: every record about them,
their history rows, citations, name-index entries, stored public pages,
evidence files (items stay as tombstones for the append-only custody chain).
Nothing restricted, sealed or internal of theirs is left in any table — apart
from internal values inside audit events written before, which are append-only
and covered by the log (decision 0011) — and ``verify-log`` passes afterwards.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from unforgotten.advocacy.models import Intervention, LegalAction, WGADDraft
from unforgotten.advocacy.testing import make_advocacy_sample
from unforgotten.audit import log
from unforgotten.audit.models import AuditEvent
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.evidence.tests.helpers import client_for, post_file, put_on_team, stored_files
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import erasure
from unforgotten.registry.models import (
    Case,
    Citation,
    DetentionPeriod,
    NameIndexChange,
    Person,
    PersonName,
    Relationship,
)
from unforgotten.registry.search import find_people_as_operator
from unforgotten.registry.tasks import erase_past_retention_daily
from unforgotten.registry.testing import make_sample

FILE_NAME = "CANARYPERSONFILEk3"


def _dump() -> dict[str, str]:
    """Every row of every table as text (what pg_dump or `.dump` would show)."""
    qn = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT t::text FROM {qn(table)} t")  # noqa: S608
            else:
                cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608
            out[table] = "\n".join(str(row) for row in cursor.fetchall())
    return out


def _found(needle: str, dump: dict[str, str]) -> list[str]:
    return sorted(t for t, text in dump.items() if needle in text)


def _scene(cast: Any) -> dict[str, Any]:
    sample = make_sample(cast)
    adv = make_advocacy_sample(cast, sample)
    put_on_team(sample.person_a, cast.amal, cast)
    amal = client_for(cast.amal)
    assert post_file(amal, sample.person_a, f"{FILE_NAME}.txt", b"statement\n", title="Statement").status_code == 302
    item = EvidenceItem.objects.get(title="Statement")
    person = sample.person_a
    tokens = [str(t) for t in Case.objects.filter(person=person).values_list("legal_strategy", flat=True)]
    tokens += [str(t) for t in Relationship.objects.filter(person=person).values_list("contact_sealed", flat=True)]
    canaries = {**sample.canaries, **adv.canaries}
    mine = [c for c, level in canaries.items() if level >= Sensitivity.INTERNAL
            and "org-b" not in c and "source-identity" not in c and "judge" not in c and "stakeholder" not in c
            and "lawyer" not in c and "brief" not in c]
    return {"sample": sample, "person": person, "item": item, "tokens": tokens, "mine": mine, "canaries": canaries}


@pytest.mark.django_db
def test_it_erases_a_whole_person_everywhere_and_the_log_still_verifies(
        cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    scene = _scene(cast)
    person, item = scene["person"], scene["item"]
    names = list(PersonName.objects.filter(person=person).values_list("text", flat=True))
    assert find_people_as_operator(names[0], organisation_ids=[person.organisation_id])  # the control: found
    log.sign_tree_head()
    before = _dump()
    assert all(_found(t, before) for t in scene["tokens"])  # the control: the ciphertexts are there
    assert stored_files() and Intervention.objects.filter(case__person=person).exists()

    dana = client_for(cast.dana)
    url = f"/work/registry/people/{person.uuid}/erase/"
    # Without fresh credentials: sent to re-authenticate, nothing erased.
    response = dana.post(url, {"reason": "The family asked us to", "confirm": "erase"})
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert Person.objects.filter(pk=person.pk).exists()
    dana = client_for(cast.dana, sudo=True)
    # Without the confirmation box, or without a reason: nothing erased either.
    assert dana.post(url, {"reason": "The family asked us to"}).status_code == 302
    assert dana.post(url, {"reason": " ", "confirm": "erase"}).status_code == 302
    assert Person.objects.filter(pk=person.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = dana.post(url, {"reason": "The family asked us to", "confirm": "erase"})
    assert response.status_code == 302 and response["Location"] == "/work/registry/people/"

    assert not Person.objects.filter(pk=person.pk).exists()
    for model in (Case, DetentionPeriod, Relationship, PersonName):
        assert not model.objects.filter(person_id=person.pk).exists()
        assert not model.history.model.objects.filter(person_id=person.pk).exists()
    assert not Person.history.model.objects.filter(id=person.pk).exists()
    assert not Intervention.objects.exists()  # they were all about person A's case
    assert not LegalAction.objects.exists() and not WGADDraft.objects.exists()
    assert not Citation.objects.filter(target_type="registry.detentionperiod",
                                       target_id=scene["sample"].detention_a.pk).exists()
    # The name index forgets the person; evidence keeps a tombstone without file, name or person.
    assert NameIndexChange.objects.filter(person_id=person.pk).exists()
    assert find_people_as_operator(names[0], organisation_ids=[person.organisation_id]) == []
    tomb = EvidenceItem._base_manager.get(pk=item.pk)
    assert tomb.person_id is None and tomb.erased_at is not None and tomb.display_name == ""
    assert stored_files() == []
    assert CustodyEvent.objects.filter(item_id=item.pk, action="erased").count() == 1

    after = _dump()
    for token in scene["tokens"]:
        assert _found(token, after) == [], token
    for canary in scene["mine"]:
        where = _found(canary, after)
        if scene["canaries"][canary] >= Sensitivity.RESTRICTED:
            assert where == [], canary  # audit events keep restricted and sealed values as digests only
        else:
            assert [t for t in where if t != "audit_auditevent"] == [], canary
    assert _found(FILE_NAME, after) == []
    assert _found(str(person.uuid).replace("-", ""), after) in ([], ["audit_auditevent"])
    # The person of Org B is untouched.
    assert Person.objects.filter(pk=scene["sample"].person_b.pk).exists()
    # Audited with its reason and counts only; and the log (with the old signed head) still verifies.
    event = AuditEvent.objects.get(action="registry.erase_person")
    assert event.reason == "The family asked us to" and event.actor_label == cast.dana.email
    assert "CANARY" not in str(event.changes) and event.changes["erased"][1]["registry.case"] == 1
    log.sign_tree_head()
    assert log.verify().size > 0


@pytest.mark.django_db
def test_it_erases_people_past_their_retention_date_in_the_daily_job(
        cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    scene = _scene(cast)
    person, other = scene["person"], scene["sample"].person_b
    today = date.today()
    with pytest.raises(ValidationError):
        erasure.do_set_retention(person=person, erase_after=today + timedelta(days=30), acting_user=cast.dana,
                                 reason="")
    dana = client_for(cast.dana, sudo=True)
    response = dana.post(f"/work/registry/people/{person.uuid}/retention/",
                         {"erase_after": (today + timedelta(days=30)).isoformat(), "reason": "Released; policy 30 days"})
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).erase_after == today + timedelta(days=30)
    page = dana.get(f"/work/registry/people/{person.uuid}/").content.decode()
    assert "erased automatically after" in page
    erasure.do_set_retention(person=other, erase_after=today + timedelta(days=90), acting_user=cast.chris,
                             reason="Org B's policy")
    assert dana.post(f"/work/registry/people/{person.uuid}/retention/",
                     {"erase_after": "2001-01-01", "reason": "x"}).status_code == 302
    assert Person.objects.get(pk=person.pk).erase_after == today + timedelta(days=30)  # a past date is refused

    with time_machine.travel(today + timedelta(days=30, hours=12)):
        assert erase_past_retention_daily().startswith("erased 0 ")  # the last day still counts
    with time_machine.travel(today + timedelta(days=31, hours=12)), django_capture_on_commit_callbacks(execute=True):
        assert erase_past_retention_daily().startswith("erased 1 ")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.objects.filter(pk=other.pk).exists()  # not yet due
    assert stored_files() == []
    event = AuditEvent.objects.get(action="registry.erase_person")
    assert event.actor_label == "retention job" and "Retention date" in event.reason
    assert AuditEvent.objects.filter(action="registry.set_retention").count() == 2
    assert log.verify().size > 0


@pytest.mark.django_db
def test_it_erases_a_person_through_the_api_only_after_fresh_credentials_and_with_a_reason(
        cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    scene = _scene(cast)
    person = scene["person"]
    url = f"/api/v1/registry/people/{person.uuid}"
    assert client_for(cast.dana).delete(f"{url}?reason=Asked").status_code == 401  # no fresh credentials
    dana = client_for(cast.dana, sudo=True)
    missing = dana.delete(url)
    assert missing.status_code == 422 and "reason" in missing.content.decode()
    assert client_for(cast.vera, sudo=True).delete(f"{url}?reason=Asked").status_code == 404
    assert Person.objects.filter(pk=person.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = dana.delete(f"{url}?reason=The%20family%20asked%20us%20to")
    assert response.status_code == 200, response.content
    erased = response.json()["erased"]
    assert erased["registry.person"] >= 2 and erased["registry.case"] >= 2  # the rows and their history
    assert not Person.objects.filter(pk=person.pk).exists() and stored_files() == []
    assert log.verify().size > 0
