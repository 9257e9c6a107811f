"""Issue 6: the caseworkers' intake queue: triage with duplicate candidates, accept, link, reject, spam; all audited."""

from __future__ import annotations

from typing import Any

import pytest

from unforgotten.audit.models import AuditEvent
from unforgotten.intake import actions
from unforgotten.intake.models import Status
from unforgotten.intake.testing import CONTACT_CANARY, make_suggestion
from unforgotten.registry import actions as registry
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import Case, Person
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def test_it_lists_the_queue_for_the_receiving_organisations_caseworkers_only(cast: Any) -> None:
    suggestion = make_suggestion(cast)
    for user in (cast.amal, cast.bilal, cast.dana):
        body = signed_in(user).get("/work/intake/").content.decode()
        assert "Ilgar Mammadov" in body and str(suggestion.uuid) in body
    assert signed_in(cast.vera).get("/work/intake/").status_code == 404  # a viewer does not triage
    chris = signed_in(cast.chris)
    assert "Ilgar Mammadov" not in chris.get("/work/intake/").content.decode()
    assert chris.get(f"/work/intake/{suggestion.uuid}/").status_code == 404
    assert chris.get("/work/intake/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_it_shows_probable_duplicates_from_the_names_index_across_scripts(cast: Any) -> None:
    known = registry.do_create_person(organisation=cast.org_a, names=[NameInput("İlqar Məmmədov")],
                                      data={"country": "AZ"}, acting_user=cast.dana)
    registry.do_create_person(organisation=cast.org_b, names=[NameInput("Ilgar Mammadov")], data={"country": "AZ"},
                              acting_user=cast.chris)
    suggestion = make_suggestion(cast, other_names="Ильгар Мамедов")
    body = signed_in(cast.amal).get(f"/work/intake/{suggestion.uuid}/").content.decode()
    assert "Possible matches in the registry" in body
    assert str(known.uuid) in body
    namesake = Person.objects.get(organisation=cast.org_b)
    assert str(namesake.uuid) not in body  # Org B's namesake is not offered to Org A


def test_it_accepts_a_suggestion_into_a_new_person_and_case_in_one_step(cast: Any) -> None:
    suggestion = make_suggestion(cast)
    response = signed_in(cast.amal).post(f"/work/intake/{suggestion.uuid}/decide/", {
        "decision": "accept", "accept-name": "Ilgar Mammadov", "accept-country": "AZ", "accept-open_case": "on",
        "accept-note": "Credible; two sources."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    person = Person.objects.get(organisation=cast.org_a)
    case = Case.objects.get(person=person)
    assert suggestion.status == Status.ACCEPTED and suggestion.person == person and suggestion.decided_by == cast.amal
    assert (person.display_name, person.country, case.jurisdiction, str(case.opened_on)) == (
        "Ilgar Mammadov", "AZ", "AZ", "2021-03")
    actions_recorded = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions_recorded[-3:] == ["registry.create_person", "registry.add_case", "intake.accept_suggestion"]
    # Decided once: a second decision is refused and changes nothing.
    again = signed_in(cast.amal).post(f"/work/intake/{suggestion.uuid}/decide/", {"decision": "reject"})
    assert again.status_code == 404 or again.status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED


def test_it_writes_nothing_when_an_accept_is_refused(cast: Any) -> None:
    suggestion = make_suggestion(cast)
    amal = signed_in(cast.amal)
    before = AuditEvent.objects.count()
    response = amal.post(f"/work/intake/{suggestion.uuid}/decide/", {
        "decision": "accept", "accept-name": "x" * 301, "accept-country": "AZ"})
    assert response.status_code == 400
    with pytest.raises(Exception, match="name"):
        actions.do_accept_suggestion(suggestion=suggestion, name="", country="AZ", open_case=True, acting_user=cast.amal)
    assert not Person.objects.exists() and AuditEvent.objects.count() == before
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW


def test_it_links_rejects_and_marks_spam(cast: Any) -> None:
    known = registry.do_create_person(organisation=cast.org_a, names=[NameInput("Ilgar Mammadov")],
                                      data={"country": "AZ"}, acting_user=cast.dana)
    other = registry.do_create_person(organisation=cast.org_b, names=[NameInput("Someone Else")],
                                      data={"country": "AZ"}, acting_user=cast.chris)
    first, second, third = (make_suggestion(cast, name=n) for n in ("Ilgar Mammadov", "Nobody", "Buy pills"))
    amal = signed_in(cast.amal)
    refused = amal.post(f"/work/intake/{first.uuid}/decide/", {"decision": "link", "link-person": str(other.uuid)})
    assert refused.status_code == 400 and "No such record." in refused.content.decode()
    assert amal.post(f"/work/intake/{first.uuid}/decide/",
                     {"decision": "link", "link-person": str(known.uuid)}).status_code == 302
    assert amal.post(f"/work/intake/{second.uuid}/decide/",
                     {"decision": "reject", "other-note": "Not a political case."}).status_code == 302
    assert amal.post(f"/work/intake/{third.uuid}/decide/", {"decision": "spam"}).status_code == 302
    for s in (first, second, third):
        s.refresh_from_db()
    assert (first.status, first.person, second.status, second.decision_note, third.status) == (
        Status.LINKED, known, Status.REJECTED, "Not a political case.", Status.SPAM)
    assert set(AuditEvent.objects.filter(action__startswith="intake.").values_list("action", flat=True)) == {
        "intake.receive_suggestion", "intake.link_suggestion", "intake.reject_suggestion", "intake.mark_spam"}
    assert amal.post(f"/work/intake/{first.uuid}/decide/", {"decision": "maybe"}).status_code == 400


def test_it_reveals_the_suggesters_contact_only_after_reauthentication_with_a_reason(cast: Any) -> None:
    suggestion = make_suggestion(cast)
    page = signed_in(cast.amal).get(f"/work/intake/{suggestion.uuid}/").content.decode()
    assert CONTACT_CANARY not in page and "Reveal the contact" in page
    first = signed_in(cast.amal).post(f"/work/intake/{suggestion.uuid}/reveal/", {"reveal-reason": "Ask for sources"})
    assert first.status_code == 302 and first["Location"].startswith("/accounts/reauthenticate/")
    client = signed_in(cast.amal, sudo=True)
    assert client.post(f"/work/intake/{suggestion.uuid}/reveal/", {"reveal-reason": ""}).status_code == 400
    shown = client.post(f"/work/intake/{suggestion.uuid}/reveal/", {"reveal-reason": "Ask for sources"})
    assert shown.status_code == 200 and CONTACT_CANARY in shown.content.decode()
    event = AuditEvent.objects.get(action="intake.reveal_contact")
    assert event.actor_id == cast.amal.pk and event.reason == "Ask for sources"
    assert CONTACT_CANARY not in str(event.changes)
    # Vera (a viewer) and Chris (another organisation) cannot even ask.
    for user in (cast.vera, cast.chris):
        assert signed_in(user, sudo=True).post(f"/work/intake/{suggestion.uuid}/reveal/",
                                           {"reveal-reason": "curious"}).status_code == 404
