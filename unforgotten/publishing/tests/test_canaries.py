"""Canary test: nothing above public, and nothing without consent, reaches any public page or the page store.

Every public page type is rendered in every language; the canaries planted by
``make_sample`` (internal, restricted, sealed) and the values held back for
lack of consent must appear in none of them, nor in any stored page file.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from unforgotten.core.partialdate import PartialDate
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.publishing import cache
from unforgotten.publishing.tests.conftest import LANGUAGES, publish, publish_everywhere
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.actions import NameInput
from unforgotten.registry.testing import make_sample


def _person(cast: Any, name: str, consents: tuple[str, ...], **data: Any) -> Any:
    person = registry_actions.do_create_person(
        organisation=cast.org_a, names=[NameInput(name, "Latn", "en", "legal", True)],
        data={"country": "BY", **data}, acting_user=cast.dana)
    for scope in consents:
        registry_actions.do_record_consent(person=person, data={
            "scope": scope, "given_by": "the person", "given_on": timezone.localdate() - timedelta(days=1)},
            acting_user=cast.dana)
    person.refresh_from_db()
    return person


@pytest.mark.django_db
def test_it_never_shows_a_canary_or_an_unconsented_field_on_any_public_page(cast: Any) -> None:
    sample = make_sample(cast)
    forbidden = sample.forbidden_for(Sensitivity.PUBLIC)
    assert len(forbidden) >= 10
    publish_everywhere(sample.person_a, cast)
    # Name consent but no story consent: the story stays off the site.
    quiet = _person(cast, "Quiet Person", ("name",), internal_notes="CANARY-quiet-notes")
    for lang in LANGUAGES:
        publish(quiet, lang, "CANARY-story-without-consent", author=cast.amal, reviewer=cast.bilal)
    # Published, then the name consent was withdrawn: the name leaves every page.
    gone = _person(cast, "CANARY-withdrawn-name", ("name", "story"))
    publish(gone, "en", "CANARY-withdrawn-story", author=cast.amal, reviewer=cast.bilal)
    registry_actions.do_withdraw_consent(consent=gone.consents.get(scope="name"), withdrawn_on=timezone.localdate(),
                                         acting_user=cast.dana)
    # Published, then the whole record was raised above public.
    raised = _person(cast, "CANARY-raised-name", ("name", "story"))
    publish(raised, "fr", "CANARY-raised-story", author=cast.amal, reviewer=cast.bilal)
    registry_actions.do_update_person(person=raised, data={"sensitivity_floor": int(Sensitivity.INTERNAL)},
                                      acting_user=cast.dana)
    # A detention held where letters could go, but no consent to be written to.
    registry_actions.do_add_detention(person=quiet, data={"kind": "pre_trial", "start": PartialDate(2024, 1),
                                                          "facility": sample.facility}, acting_user=cast.dana)
    registry_actions.do_record_status(person=quiet, status="awaiting_trial", effective=PartialDate(2024, 1),
                                      acting_user=cast.dana)
    forbidden += ["CANARY-story-without-consent", "CANARY-quiet-notes", "CANARY-withdrawn-name",
                  "CANARY-withdrawn-story", "CANARY-raised-name", "CANARY-raised-story", "PO Box 3",
                  "Ales Bialiatski", "Алесь Бяляцкі"]  # Org B's prisoner: never published

    pages = ["/"]
    for lang in LANGUAGES:
        pages += [f"/{lang}/", f"/{lang}/countries/by/", f"/{lang}/prisoners/{sample.person_a.slug}/",
                  f"/{lang}/prisoners/{quiet.slug}/", f"/{lang}/prisoners/{gone.slug}/",
                  f"/{lang}/prisoners/{raised.slug}/", f"/{lang}/prisoners/{sample.person_b.slug}/"]
    bodies: dict[str, str] = {}
    for _round in range(2):  # a miss, then a hit from the store
        for path in pages:
            response = Client().get(path)
            assert response.status_code in (200, 404), path
            bodies[path] = response.content.decode()
    assert "Maryia Kalesnikava" in bodies["/en/"] and "Quiet Person" in bodies["/ar/"]
    assert "Quiet Person" in bodies[f"/fa/prisoners/{quiet.slug}/"]
    stored = cache.stored_files()
    assert len(stored) >= 3 * len(LANGUAGES)
    for canary in forbidden:
        for path, body in bodies.items():
            assert canary not in body, f"{canary} leaked on {path}"
        for file in stored:
            assert canary.encode() not in file.read_bytes(), f"{canary} leaked into the page store"
