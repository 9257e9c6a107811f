"""Who is asking, read in one query: the session, its user, their memberships and second factor.

Every workspace request needs four facts before its view runs: the session
(expiry, logout), the user row (active? password changed?), the live
memberships (what may they see?) and whether a second factor is enrolled.
Through Django's stock path that is four queries, each paying the ORM's cost,
and on a list page they cost more than the list itself. Here the session
store reads all four in one statement and hands them to the authentication
middleware, which checks them exactly as ``django.contrib.auth.get_user``
would. Nothing is cached between requests — every request sees the
database as it is now, so a removed membership, a deactivated user or a
deleted session counts on the very next request (tests hold this).

The one thing remembered across requests is a hint: which user id a
session key belonged to, so the statement can join that user's rows. A
hint only chooses what to read; the decoded session must name the same
user, or the stock path runs instead. Anything unusual (no hint yet, a
backend that is not a ModelBackend, a session hash that needs the fallback
secrets) takes the stock path too.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as StockAuthenticationMiddleware
from django.contrib.auth.middleware import auser
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from unforgotten.core import fastsql, rawrows

# Session key -> user id, per process. Bounded: the oldest hints go first;
# a missing hint costs one request the stock path, nothing else.
_HINTS: OrderedDict[str, int] = OrderedDict()
_HINTS_MAX = 20_000


def _remember_hint(session_key: str, user_id: int) -> None:
    _HINTS[session_key] = user_id
    _HINTS.move_to_end(session_key)
    while len(_HINTS) > _HINTS_MAX:
        _HINTS.popitem(last=False)


def forget_hint(session_key: str | None) -> None:
    if session_key:
        _HINTS.pop(session_key, None)


@dataclass
class Principal:
    """What the one statement found: the user and the per-request caches policy reads."""

    user: Any
    memberships: list[tuple[int, Any, str, str]] = field(default_factory=list)
    has_second_factor: bool = False


_STATEMENT: dict[str, tuple[str, list[str]]] = {}


def _statement(alias: str) -> tuple[str, list[str]]:
    """The joined SELECT for this database, built once per process from the models' own metadata."""
    if alias in _STATEMENT:
        return _STATEMENT[alias]
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    from unforgotten.accounts.models import Membership, Organisation, User

    qn = connections[alias].ops.quote_name
    user_fields = [f for f in User._meta.concrete_fields]
    user_columns = ", ".join(f"u.{qn(f.column or f.attname)}" for f in user_fields)
    # Only names from the models' metadata go into the text; every value is a parameter.
    sql = (
        f"SELECT s.{qn('session_data')}, {user_columns}, "  # noqa: S608
        f"(SELECT 1 FROM {qn(Authenticator._meta.db_table)} a WHERE a.{qn('user_id')} = u.{qn('id')} "
        f"AND a.{qn('type')} IN (%s, %s) LIMIT 1), "
        f"m.{qn('organisation_id')}, m.{qn('roles')}, o.{qn('name')}, o.{qn('slug')} "
        f"FROM {qn(Session._meta.db_table)} s "
        f"LEFT JOIN {qn(User._meta.db_table)} u ON u.{qn('id')} = %s "
        # Live memberships in live organisations, exactly policy.active_memberships' rule.
        f"LEFT JOIN ({qn(Membership._meta.db_table)} m JOIN {qn(Organisation._meta.db_table)} o "
        f"ON o.{qn('id')} = m.{qn('organisation_id')} AND o.{qn('is_active')} = %s) "
        f"ON m.{qn('user_id')} = u.{qn('id')} AND m.{qn('is_active')} = %s "
        f"WHERE s.{qn('session_key')} = %s AND s.{qn('expire_date')} > %s"
    )
    _STATEMENT[alias] = (sql, [f.attname for f in user_fields])
    return _STATEMENT[alias]


class SessionStore(db.SessionStore):
    """Django's database sessions; with a hint, the load also reads the principal (see the module text)."""

    uf_principal: Principal | None = None

    def _validate_session_key(self, key: str | None) -> bool:
        # Django's rule (at least 8 characters), and only what its keys are made of: lowercase letters and
        # digits. A cookie may carry anything (a quoted value's octal escape gives a NUL, which PostgreSQL
        # refuses in a query): such a key is no session.
        return key is not None and len(key) >= 8 and key.isascii() and key.isalnum()

    def load(self) -> dict[str, Any]:
        self.uf_principal = None
        user_id = _HINTS.get(self.session_key or "")
        if user_id is None:
            data = super().load()
            found = data.get(SESSION_KEY)
            if found is not None and self.session_key:
                try:
                    _remember_hint(self.session_key, int(found))
                except (TypeError, ValueError):
                    pass
            return data
        return self._load_with_principal(user_id)

    def _load_with_principal(self, user_id: int) -> dict[str, Any]:
        from allauth.mfa.models import Authenticator

        from unforgotten.accounts.models import Membership, User

        alias = router.db_for_read(self.model)
        connection = connections[alias]
        sql, attnames = _statement(alias)
        params = [Authenticator.Type.TOTP.value, Authenticator.Type.WEBAUTHN.value, user_id, True, True,
                  self.session_key, timezone.now()]
        # Every signed-in request runs it: prepared on the server once per connection
        # (core/fastsql), so it is not parsed and planned again each time.
        rows = fastsql.fetch(sql, params, using=alias)
        if not rows:
            # Expired, logged out elsewhere or never there: what the stock store does.
            forget_hint(self.session_key)
            self._session_key = None
            return {}
        data = self.decode(rows[0][0])
        width = len(attnames)
        user_values = rows[0][1:1 + width]
        if str(data.get(SESSION_KEY)) != str(user_id) or user_values[0] is None:
            # The hint was wrong or the user is gone: read it all again the stock way.
            forget_hint(self.session_key)
            return data
        user = rawrows.instances(connection, User, attnames, [user_values])[0]
        roles_field = Membership._meta.get_field("roles")
        principal = Principal(user=user, has_second_factor=rows[0][1 + width] is not None)
        for row in rows:
            org_id, roles, name, slug = row[2 + width:]
            if org_id is None:
                continue
            if isinstance(roles, str):  # JSON as text (SQLite; psycopg with Django's loaders)
                roles = roles_field.from_db_value(roles, None, connection)  # type: ignore[arg-type]
            principal.memberships.append((int(org_id), roles or [], name, slug))
        self.uf_principal = principal
        return data

    def delete(self, session_key: str | None = None) -> None:
        forget_hint(session_key or self.session_key)
        super().delete(session_key)

    def cycle_key(self) -> None:
        forget_hint(self.session_key)
        super().cycle_key()


def _user_from_principal(request: HttpRequest) -> Any | None:
    """The user exactly as ``auth.get_user`` would return it, from the principal; None to use the stock path."""
    from unforgotten import policy

    session = request.session
    session.get(SESSION_KEY)  # loads the session (and the principal) if not loaded yet
    principal: Principal | None = getattr(session, "uf_principal", None)
    if principal is None:
        return None
    backend_path = session.get(BACKEND_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    backend = load_backend(backend_path)
    if not isinstance(backend, ModelBackend):
        return None
    user = principal.user
    if str(session.get(SESSION_KEY)) != str(user.pk):
        return None
    if not backend.user_can_authenticate(user):
        return None  # the stock path logs such a user out; let it do so
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None  # fallback secrets, or a changed password: the stock path decides
    policy.remember_memberships(user, principal.memberships)
    user._uf_has_mfa = principal.has_second_factor
    return user


def get_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        user = _user_from_principal(request)
        request._cached_user = user if user is not None else auth.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(StockAuthenticationMiddleware):
    """Django's authentication middleware, reading the user from the session's principal when it can."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # keeps its configuration check
        # Not lazy: the staff-session middleware right after this one asks ``is_authenticated`` on every
        # request, so the user is always read anyway, and each attribute read through Django's lazy
        # wrapper costs a failed lookup and a proxy call (dozens a request).
        request.user = get_user(request)
        request.auser = partial(auser, request)
