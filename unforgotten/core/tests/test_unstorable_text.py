"""Text no database stores, in the address or the session cookie: a clear 400 or no session, never a 500.

PostgreSQL refuses text holding NUL; SQLite stores it. A view that reads a
query parameter straight into a filter (the person list's ``org``) would fail
on one engine only, so the address is checked once for every page. Form fields
refuse NUL themselves, and the API answers in its own shape (api/tests/test_input.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from unforgotten.audit.models import AuditEvent
from unforgotten.registry.models import Person
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/work/registry/people/?org=a%00",  # read straight into a filter: the 500 this test was written for
    "/work/registry/people/?sort=name&after=%00",
    "/work/registry/people/?org%00=a",
    "/en/?q=%00",
])
def test_it_answers_a_nul_in_the_query_string_with_a_bad_request_page(cast: Any, url: str) -> None:
    answer = signed_in(cast.amal, raise_request_exception=False).get(url)
    assert answer.status_code == 400, (url, answer.status_code)
    assert b"Bad request" in answer.content
    assert "no-store" in answer.get("Cache-Control", "")  # still a signed-in page: never kept by a browser


def test_it_answers_a_nul_in_the_path_with_a_bad_request_page(cast: Any) -> None:
    assert signed_in(cast.amal, raise_request_exception=False).get("/work/registry/people%00/").status_code == 400
    assert Client(raise_request_exception=False).get("/en/people/a%00b/").status_code == 400


def test_it_leaves_an_encoded_percent_sign_and_the_api_alone(cast: Any) -> None:
    amal = signed_in(cast.amal, raise_request_exception=False)
    # "%2500" is the text "%00", not a NUL.
    assert amal.get("/work/registry/people/?q=%2500").status_code in (200, 400)
    assert b"Bad request" not in amal.get("/work/registry/people/?q=%2500").content
    # The API refuses in its own documented shape.
    answer = amal.get("/api/v1/registry/people?q=a%00")
    assert answer.status_code == 422 and answer.json()["error"] == "invalid input"


def test_it_answers_a_nul_in_a_value_a_view_reads_without_a_form_with_a_bad_request(cast: Any) -> None:
    sample = make_sample(cast)
    person = sample.person_a
    dana = signed_in(cast.dana, sudo=True, raise_request_exception=False)
    # The reason goes into the audit trail as typed: PostgreSQL refused the NUL (a 500).
    answer = dana.post(f"/work/registry/people/{person.uuid}/retention/",
                       {"erase_after": (date.today() + timedelta(days=30)).isoformat(), "reason": "policy\x00"})
    assert answer.status_code == 400 and b"Bad request" in answer.content
    assert Person.objects.get(pk=person.pk).erase_after is None
    assert not AuditEvent.objects.filter(action="registry.set_retention").exists()
    # An organisation named in a posted field (the on-call roster's).
    assert dana.post("/work/alerts/roster/", {"organisation": "org-a\x00"}).status_code == 400
    # Without the NUL the same requests are answered as before.
    assert dana.post(f"/work/registry/people/{person.uuid}/retention/",
                     {"erase_after": (date.today() + timedelta(days=30)).isoformat(), "reason": "policy"}).status_code == 302
    roster = dana.post("/work/alerts/roster/", {"organisation": cast.org_a.slug})  # an empty shift: the form's errors
    assert roster.status_code == 400 and b"Bad request" not in roster.content and b"org-a" in roster.content


def test_it_treats_a_session_cookie_holding_a_nul_as_no_session(cast: Any) -> None:
    client = Client(raise_request_exception=False)
    # A quoted cookie may carry an octal escape, which the cookie parser turns into the character.
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    answer = client.get("/work/registry/people/")
    assert answer.status_code == 302  # to sign in: no session, no server error
    assert Client(raise_request_exception=False).get("/en/", HTTP_COOKIE='sessionid="abcdefgh\\000ijk"').status_code == 200
