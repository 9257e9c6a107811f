"""Issue 7 item 6 (T2): the hidden place and link, and RSVP addresses, never escape.

Canaries: the vigil's place and link given after RSVP (restricted, encrypted), and the addresses of people who
RSVPed. They must appear in no public page, calendar, API answer or stored page, in no workspace page, and in no
e-mail to anyone but their own owner; in the database they are ciphertext only. Every public events route is walked
in English and Arabic (``PATHS``; the guard below fails when a route is added without being listed here).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from unforgotten.core import outbox
from unforgotten.events.testing import CONFIRM_LINK, HIDDEN_LINK, HIDDEN_PLACE, links_in, make_vigil
from unforgotten.events.tests.conftest import form_token
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.publishing import cache
from unforgotten.registry.testing import make_sample

pytestmark = pytest.mark.django_db
ATTENDEES = ("CANARY-first-attendee@example.org", "canary-second-attendee@example.net")


def paths(language: str, slug: str, person: str) -> list[tuple[str, str]]:
    """(route, path) of every public events page type in ``language``."""
    prefix = f"/{language}/events"
    return [
        ("events_public:list", f"{prefix}/"),
        ("events_public:calendar", f"{prefix}/calendar.ics"),
        ("events_public:country_ics", f"{prefix}/country/de.ics"),
        ("events_public:prisoner_ics", f"{prefix}/prisoner/{person}.ics"),
        ("events_public:sent", f"{prefix}/rsvp/sent/"),
        ("events_public:confirm", f"{prefix}/rsvp/confirm/not-a-token/"),
        ("events_public:manage", f"{prefix}/rsvp/manage/not-a-token/"),
        ("events_public:detail", f"{prefix}/{slug}/"),
        ("events_public:event_ics", f"{prefix}/{slug}/event.ics"),
        ("events_public:time", f"{prefix}/{slug}/time/?tz=Asia/Tokyo"),
        ("events_public:rsvp", f"{prefix}/{slug}/rsvp/"),
    ]


def _routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "events_public" and entry.name:
                names.add(f"events_public:{entry.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_it_lists_every_public_events_route() -> None:
    listed = set()
    for language in ("en", "ar"):
        for name, path in paths(language, "a-vigil", "a-person"):
            with translation.override(language):
                match = resolve(urlsplit(path).path)
            assert f"{match.namespace}:{match.url_name}" == name, path
            listed.add(name)
    assert _routes() - listed == set(), "public events routes with no canary coverage: add them to paths()"
    assert len(_routes()) >= 11  # the guard has something to guard


def _publish_profile(cast: Any, person: Any) -> None:
    from unforgotten.publishing import actions as publishing

    for language in ("en", "ar"):
        profile = publishing.do_create_profile(person=person, language=language, data={"story": "x"},
                                               acting_user=cast.amal)
        publishing.do_submit_for_review(profile=profile, acting_user=cast.amal)
        publishing.do_approve(profile=profile, acting_user=cast.bilal)


def test_it_never_shows_the_hidden_place_or_an_attendee_address(cast: Any) -> None:
    registry = make_sample(cast)
    _publish_profile(cast, registry.person_a)
    sample = make_vigil(cast, persons=[registry.person_a])
    slug, person = sample.vigil.slug, registry.person_a.slug
    for address in ATTENDEES:
        client = Client()
        token = form_token(client.get(f"/en/events/{slug}/rsvp/").content.decode())
        client.post(f"/en/events/{slug}/rsvp/", {"email": address, "consent": "on", "website": "",
                                                  "form_token": token})
    outbox.deliver_due()
    first_confirm = next(m for m in mail.outbox if ATTENDEES[0].lower() in m.to)
    Client().post(urlsplit(links_in(str(first_confirm.body), CONFIRM_LINK)[0]).path)
    outbox.deliver_due()
    registry_canaries = registry.forbidden_for(Sensitivity.PUBLIC)
    bodies: dict[str, bytes] = {}
    for _round in range(2):  # a miss, then a hit from the page store
        for language in ("en", "ar"):
            for _name, path in paths(language, slug, person):
                response = Client().get(path)
                assert response.status_code in (200, 400, 404), path
                bodies[path] = response.content
            for api in (f"/api/v1/events/public/{language}/events", f"/api/v1/events/public/{language}/events/{slug}"):
                bodies[api] = Client().get(api).content
            profile = Client().get(f"/{language}/prisoners/{person}/")
            bodies[f"profile {language}"] = profile.content
    # Positive control: the public API does answer (an empty answer would pass every leak check).
    assert b'"slug": "vigil-for-maryia"' in bodies["/api/v1/events/public/en/events"]
    # The prisoner's profile lists the vigil (a block the events app adds) and its calendar.
    assert b"/en/events/vigil-for-maryia/" in bodies["profile en"] and b".ics" in bodies["profile en"]
    # The workspace and the organisers' API show counts, never an address.
    staff = Client()
    staff.force_login(cast.dana)
    for path in ("/work/events/", f"/work/events/e/{sample.vigil.uuid}/",
                 f"/api/v1/events/org-a/events/{sample.vigil.uuid}/attendances"):
        response = staff.get(path)
        assert response.status_code == 200, path
        bodies[f"staff {path}"] = response.content
    assert b"1 confirmed" in bodies[f"staff /work/events/e/{sample.vigil.uuid}/"]
    for canary in (HIDDEN_PLACE, HIDDEN_LINK, *ATTENDEES):
        for path, body in bodies.items():
            if path.startswith("staff /work/events/e/") and canary in (HIDDEN_PLACE, HIDDEN_LINK):
                continue  # Dana wrote them: the campaigners read the hidden place on the event's own page
            assert canary.encode() not in body, f"{canary} leaked on {path}"
        for file in cache.stored_files():
            assert canary.encode() not in file.read_bytes(), f"{canary} leaked into the page store"
    for path, body in bodies.items():
        if not path.startswith("staff "):
            for canary in registry_canaries:
                assert canary.encode() not in body, f"{canary} leaked on {path}"
    # Positive controls: the place does exist where it should (the campaigner's page, the confirmed attendee's mail).
    assert HIDDEN_PLACE.encode() in bodies[f"staff /work/events/e/{sample.vigil.uuid}/"]
    assert any(HIDDEN_PLACE in m.body for m in mail.outbox)
    # E-mails: each attendee hears only about themself; only the confirmed one gets the place.
    for message in mail.outbox:
        text = str(message.subject) + str(message.body)
        [owner] = message.to
        for other in ATTENDEES:
            if other.lower() != owner.lower():
                assert other.lower() not in text.lower()
        if HIDDEN_PLACE in text:
            assert owner.lower() == ATTENDEES[0].lower()
    # At rest: ciphertext only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, email_key FROM events_attendance")
        rows = cursor.fetchall()
        cursor.execute("SELECT hidden_location, hidden_link FROM events_event")
        rows += cursor.fetchall()
    dump = repr(rows)
    for canary in (HIDDEN_PLACE, HIDDEN_LINK, *ATTENDEES):
        assert canary.lower() not in dump.lower()
