"""Login: the same answer for unknown and wrong, per-account throttling, TOTP, sessions that end."""

from __future__ import annotations

import time
from typing import Any

import pytest
import time_machine
from django.test import Client

from unforgotten.testing import PASSWORD, TOTP_SECRET, totp_code

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def _post_login(client: Client, email: str, password: str) -> Any:
    return client.post(LOGIN, {"login": email, "password": password})


def _body_without_tokens(response: Any) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_it_gives_the_same_answer_for_an_unknown_user_and_a_wrong_password(cast: Any) -> None:
    unknown = _post_login(Client(), "nobody@example.org", "wrong password 1")
    wrong = _post_login(Client(), "amal@example.org", "wrong password 1")
    assert unknown.status_code == wrong.status_code == 200
    assert _body_without_tokens(unknown).replace("nobody@example.org", "X") == _body_without_tokens(wrong).replace(
        "amal@example.org", "X")


@pytest.mark.django_db
def test_it_throttles_one_account_without_locking_out_another(cast: Any) -> None:
    client = Client()
    for _ in range(5):
        _post_login(client, "amal@example.org", "wrong")
    blocked = _post_login(client, "amal@example.org", PASSWORD)
    assert blocked.status_code in (200, 429) and MFA not in blocked.get("Location", "")
    # Bilal, from the same address a moment later, still gets to his second factor.
    other = _post_login(client, "bilal@example.org", PASSWORD)
    assert other.status_code == 302 and other["Location"].startswith(MFA)


@pytest.mark.django_db
def test_it_logs_in_with_password_and_totp_and_changes_the_session_id(cast: Any) -> None:
    client = Client()
    client.get(LOGIN)
    first = _post_login(client, "amal@example.org", PASSWORD)
    assert first.status_code == 302 and first["Location"].startswith(MFA)
    before = client.cookies["sessionid"].value
    done = client.post(MFA, {"code": totp_code(TOTP_SECRET)})
    assert done.status_code == 302, done.content[:500]
    assert client.cookies["sessionid"].value != before
    assert client.get("/work/").status_code == 200


@pytest.mark.django_db
def test_it_refuses_a_totp_code_used_twice(cast: Any) -> None:
    code = totp_code(TOTP_SECRET)
    first = Client()
    _post_login(first, "amal@example.org", PASSWORD)
    assert first.post(MFA, {"code": code}).status_code == 302
    second = Client()
    _post_login(second, "amal@example.org", PASSWORD)
    again = second.post(MFA, {"code": code})
    assert again.status_code == 200  # the form again, with an error: the code is spent
    assert second.get("/work/").status_code == 302


@pytest.mark.django_db
def test_it_sends_a_member_without_a_second_factor_to_enrol_first(cast: Any) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=cast.amal).delete()
    client = Client()
    client.force_login(cast.amal)
    response = client.get("/work/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    # The API refuses her session too, rather than skirting the rule.
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_it_ends_an_idle_staff_session_after_thirty_minutes(cast: Any, settings: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as traveller:
        client = Client()
        client.force_login(cast.amal)
        assert client.get("/work/").status_code == 200
        traveller.shift(settings.STAFF_IDLE_SECONDS - 5)
        assert client.get("/work/").status_code == 200  # activity renews the idle clock
        traveller.shift(settings.STAFF_IDLE_SECONDS + 1)
        assert client.get("/work/").status_code == 302


@pytest.mark.django_db
def test_it_renews_the_session_at_most_once_a_minute(cast: Any, settings: Any) -> None:
    # Saving the session on every page was a database write per request;
    # renewal is at most once a minute, and the idle limit still holds.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(time.time(), tick=False) as traveller:
        client = Client()
        client.force_login(cast.amal)
        traveller.shift(61)
        with CaptureQueriesContext(connection) as renewed:
            assert client.get("/work/").status_code == 200
        traveller.shift(10)
        with CaptureQueriesContext(connection) as quiet:
            assert client.get("/work/").status_code == 200

    def writes(ctx: Any) -> list[str]:
        return [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]
                and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]

    assert writes(renewed), "a minute of activity renews the session"
    assert not writes(quiet), "a request within the minute does not write the session"


@pytest.mark.django_db
def test_it_ends_a_session_idle_longer_than_the_limit_even_if_the_store_kept_it(cast: Any, settings: Any) -> None:
    # The server-side expiry is the main guard; the stamp check is the second.
    with time_machine.travel(time.time(), tick=False) as traveller:
        settings.SESSION_COOKIE_AGE = 10 * settings.STAFF_IDLE_SECONDS
        client = Client()
        client.force_login(cast.amal)
        assert client.get("/work/").status_code == 200
        traveller.shift(settings.STAFF_IDLE_SECONDS + 1)
        assert client.get("/work/").status_code == 302


@pytest.mark.django_db
def test_it_ends_a_staff_session_eight_hours_after_login_however_active(cast: Any, settings: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as traveller:
        client = Client()
        client.force_login(cast.amal)
        for _ in range(settings.STAFF_MAX_SECONDS // 1500):
            traveller.shift(1500)
            assert client.get("/work/").status_code == 200
        traveller.shift(settings.STAFF_MAX_SECONDS % 1500 + 1)
        assert client.get("/work/").status_code == 302


@pytest.mark.django_db
def test_it_refuses_a_deactivated_account_at_once(cast: Any) -> None:
    from unforgotten.accounts.actions import do_deactivate_user

    client = Client()
    client.force_login(cast.vera)
    assert client.get("/work/").status_code == 200
    do_deactivate_user(user=cast.vera, acting_user=cast.dana, reason="left the organisation")
    assert client.get("/work/").status_code == 302


@pytest.mark.django_db
def test_it_keeps_totp_secrets_encrypted_in_the_database(cast: Any) -> None:
    from allauth.mfa.models import Authenticator

    stored = Authenticator.objects.get(user=cast.amal, type=Authenticator.Type.TOTP).data["secret"]
    assert TOTP_SECRET not in stored and stored.startswith("ufmfa1:")
