"""The principal read in one statement: every change to who may do what counts on the very next request.

The session store reads the session, the user, the live memberships and the
second factor together (accounts/principal.py). These tests make a first
request (which teaches the process the session's user), check that the second
one really took the one-statement path, and then change the world behind the
session's back — as another process would — and check the next request sees it.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from unforgotten.accounts import actions, principal
from unforgotten.accounts.models import Membership
from unforgotten.registry.testing import make_sample

LIST = "/work/registry/people/"
PRINCIPAL_TABLES = ("django_session", "accounts_user", "accounts_membership", "mfa_authenticator")


def _warm(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(LIST).status_code in (200, 404)  # teaches this process the session's user
    return client


def _principal_statements(captured: Any) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if any(table in q["sql"] for table in PRINCIPAL_TABLES)]


def _lists_in_one_principal_statement(client: Client) -> list[str]:
    """Amal's list, whose request read the principal in exactly one statement (returned)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST)
    assert response.status_code == 200
    assert "Maryia Kalesnikava" in response.content.decode()
    statements = _principal_statements(captured)
    assert len(statements) == 1, statements
    return statements


@pytest.mark.django_db
def test_it_reads_amals_session_user_memberships_and_second_factor_in_one_statement(cast: Any) -> None:
    make_sample(cast)
    client = _warm(cast.amal)
    [statement] = _lists_in_one_principal_statement(client)
    assert all(table in statement for table in PRINCIPAL_TABLES)


@pytest.mark.django_db
def test_it_shuts_amal_out_on_the_next_request_when_dana_ends_her_membership(cast: Any) -> None:
    make_sample(cast)
    client = _warm(cast.amal)
    assert "Maryia Kalesnikava" in client.get(LIST).content.decode()
    membership = Membership.objects.get(user=cast.amal, organisation=cast.org_a)
    actions.do_deactivate_member(membership=membership, acting_user=cast.dana, reason="left the organisation")
    response = client.get(LIST)
    assert response.status_code == 404
    assert "Kalesnikava" not in response.content.decode()


@pytest.mark.django_db
def test_it_shuts_amal_out_when_her_organisation_is_switched_off(cast: Any) -> None:
    make_sample(cast)
    client = _warm(cast.amal)
    cast.org_a.is_active = False
    cast.org_a.save(update_fields=["is_active"])
    assert client.get(LIST).status_code == 404


@pytest.mark.django_db
def test_it_narrows_amal_to_her_new_roles_at_once(cast: Any) -> None:
    make_sample(cast)
    client = _warm(cast.amal)
    assert "/work/registry/people/new/" in client.get(LIST).content.decode()
    membership = Membership.objects.get(user=cast.amal, organisation=cast.org_a)
    actions.do_change_roles(membership=membership, roles=["viewer"], acting_user=cast.dana, reason="reading only")
    body = client.get(LIST).content.decode()
    assert "Maryia Kalesnikava" in body
    assert "/work/registry/people/new/" not in body


@pytest.mark.django_db
def test_it_signs_amal_out_when_her_account_is_deactivated(cast: Any) -> None:
    client = _warm(cast.amal)
    actions.do_deactivate_user(user=cast.amal, acting_user=cast.dana, reason="account closed")
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_it_signs_amal_out_when_her_password_changes_elsewhere(cast: Any) -> None:
    client = _warm(cast.amal)
    cast.amal.set_password("another long passphrase entirely")
    cast.amal.save(update_fields=["password"])
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_it_ends_a_session_deleted_by_another_process(cast: Any) -> None:
    client = _warm(cast.amal)
    key = client.session.session_key
    Session.objects.filter(session_key=key).delete()  # what a log-out in another worker leaves behind
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_it_sends_amal_to_enrol_again_when_her_second_factor_is_removed(cast: Any) -> None:
    client = _warm(cast.amal)
    Authenticator.objects.filter(user=cast.amal).delete()
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/")


@pytest.mark.django_db
def test_it_ignores_a_hint_that_names_another_user(cast: Any) -> None:
    make_sample(cast)
    client = _warm(cast.chris)
    # A wrong hint (say, a session key reused after a crash) must not make Chris anyone else.
    principal._remember_hint(str(client.session.session_key), cast.amal.pk)
    body = client.get(LIST).content.decode()
    assert "Ales Bialiatski" in body
    assert "Kalesnikava" not in body


@pytest.mark.django_db
def test_it_builds_the_same_user_as_the_orm(cast: Any) -> None:
    from unforgotten.accounts.models import User
    from unforgotten.core import rawrows

    attnames = [f.attname for f in User._meta.concrete_fields]
    # Read raw, as the session store does, then compare field by field with the ORM's instance.
    with connection.cursor() as cursor:
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in User._meta.concrete_fields)
        cursor.execute(f"SELECT {columns} FROM accounts_user WHERE id = %s", [cast.amal.pk])  # noqa: S608
        raw = cursor.fetchone()
    built = rawrows.instances(connection, User, attnames, [raw])[0]
    orm = User.objects.get(pk=cast.amal.pk)
    for name in attnames:
        assert getattr(built, name) == getattr(orm, name), name
        assert type(getattr(built, name)) is type(getattr(orm, name)), name
    assert built._state.adding is False and built._state.db == orm._state.db


@pytest.mark.django_db(transaction=True)
def test_it_reads_the_principal_prepared_outside_a_transaction_and_still_sees_changes(cast: Any,
                                                                                   flushable_audit: None) -> None:
    # Outside a test transaction PostgreSQL runs the statement server-side prepared (core/fastsql):
    # the same one statement, and a revoked membership still counts on the very next request.
    make_sample(cast)
    client = _warm(cast.amal)
    for _ in range(3):  # past psycopg's threshold: the statement is prepared on this connection by now
        _lists_in_one_principal_statement(client)
    membership = Membership.objects.get(user=cast.amal, organisation=cast.org_a)
    actions.do_deactivate_member(membership=membership, acting_user=cast.dana, reason="left the organisation")
    response = client.get(LIST)
    assert response.status_code == 404
    assert "Kalesnikava" not in response.content.decode()
