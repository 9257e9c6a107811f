"""The authorization matrix (T1): one row per route, stated by hand.

Every URL pattern the project serves must have a row here, or
``test_authorization_matrix`` fails: a route added without a policy row cannot
land. The expectations are literal sets of personas, written from the sentences
in ``unforgotten/testing.py``, not computed from the policy module, so the test
checks the policy instead of repeating it.

Statuses: 200 page, 302 redirect (to the login page for anonymous visitors and
deactivated accounts, to the re-authentication page before a dangerous act),
400 form errors, 401 API without credentials, 404 "not found" (which is also
what "forbidden" looks like), 405 method not allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anonymous", "amal", "bilal", "dana", "vera", "chris", "pat", "dmitri", "cleo")

# Who holds what in Org A (see unforgotten/testing.py). Dmitri is deactivated:
# he is treated as anonymous everywhere. Cleo, the coordinator, reads like Vera and
# answers alerts (decision 0026): she is in the readers' sets and the alert responders'.
LOGGED_IN = frozenset({"amal", "bilal", "dana", "vera", "chris", "pat", "cleo"})
VIEW_A = frozenset({"amal", "bilal", "dana", "vera", "cleo"})
ADMIN_A = frozenset({"dana"})
AUDIT_A = frozenset({"bilal", "dana"})
MEMBERS = frozenset({"amal", "bilal", "dana", "vera", "chris", "cleo"})
PLATFORM = frozenset({"pat"})
SIGNED_OUT = frozenset({"anonymous", "dmitri"})


@dataclass(frozen=True)
class Expect:
    """Expected status per persona: ``allowed`` get ``ok``; signed-out get ``signed_out``; the rest ``denied``."""

    allowed: frozenset[str]
    ok: int
    signed_out: int = 302
    denied: int = 404

    def status(self, persona: str) -> int:
        if persona in self.allowed:
            return self.ok
        if persona in SIGNED_OUT:
            return self.signed_out
        return self.denied


def everyone(status: int) -> Expect:
    return Expect(frozenset(PERSONAS), status, signed_out=status, denied=status)


def signed_in(ok: int, *, signed_out: int = 302) -> Expect:
    return Expect(LOGGED_IN, ok, signed_out=signed_out)


def page(allowed: frozenset[str], ok: int = 200) -> Expect:
    return Expect(allowed, ok)


def split(signed_out: int, signed_in: int) -> Expect:
    """One status for signed-out visitors, another for everyone signed in."""
    return Expect(LOGGED_IN, signed_in, signed_out=signed_out, denied=signed_in)


def safe(expect: Expect) -> dict[str, Expect]:
    """The same expectation for GET and HEAD."""
    return {"GET": expect, "HEAD": expect}


def api(allowed: frozenset[str], ok: int = 200) -> Expect:
    return Expect(allowed, ok, signed_out=401)


@dataclass(frozen=True)
class Row:
    methods: dict[str, Expect]
    kwargs: dict[str, str] = field(default_factory=dict)
    # Kwargs naming nothing that exists: denied personas must get the very same
    # answer for these as for the real record (no existence oracle).
    probe: dict[str, str] | None = None
    # Methods not listed: 405, or an Expect where the route answers them otherwise.
    other_methods: int | Expect = 405


# Placeholders in kwargs, filled by the test: {org_a}, {member_a} (Vera's
# membership in Org A), {token_a} (an API token of Org A), {authenticator}.
ROWS: dict[str, Row] = {
    # --- public ------------------------------------------------------------------
    "landing": Row({"GET": everyone(200), "HEAD": everyone(200)}),
    "healthz": Row({"GET": everyone(200), "HEAD": everyone(200)}),
    # --- login and account pages (allauth) -----------------------------------------
    # Third-party views with their own conventions: pages that need a session
    # redirect signed-out visitors to the login page (302); pages for signed-out
    # visitors send signed-in people onward (302). Nothing here shows case data.
    "account_login": Row({m: split(200, 302) for m in ("GET", "HEAD", "POST", "PUT")}, other_methods=split(405, 302)),
    "account_logout": Row({"GET": split(302, 200), "HEAD": split(302, 200), "POST": everyone(302)}),
    "account_inactive": Row(safe(everyone(200))),
    # Sign-up is closed: the page only says so.
    "account_signup": Row({}, other_methods=split(200, 302)),
    "account_reauthenticate": Row({m: split(302, 200) for m in ("GET", "HEAD", "POST", "PUT")}, other_methods=split(302, 405)),
    "account_email": Row({"GET": split(302, 200), "HEAD": split(302, 200), "POST": everyone(302), "PUT": everyone(302)}, other_methods=split(302, 405)),
    "account_email_verification_sent": Row(safe(everyone(200))),
    "account_change_password": Row({m: split(302, 200) for m in ("GET", "HEAD", "POST", "PUT")}, other_methods=split(302, 405)),
    "account_set_password": Row({}, other_methods=everyone(302)),
    "account_reset_password": Row({m: everyone(200) for m in ("GET", "HEAD", "POST", "PUT")}),
    # Login by e-mailed code is off: every method is sent back to the login page.
    "account_confirm_login_code": Row({}, other_methods=everyone(302)),
    "account_confirm_email": Row({**safe(everyone(200)), "POST": everyone(404)}, kwargs={"key": "no-such-key"}),
    "account_reset_password_from_key_done": Row(safe(everyone(200))),
    # An unknown key shows the "bad link" page to everyone.
    "account_reset_password_from_key": Row({}, kwargs={"uidb36": "zz", "key": "nokey"}, other_methods=everyone(200)),
    "account_reset_password_done": Row(safe(everyone(200))),
    "mfa_index": Row(safe(split(302, 200)), other_methods=split(302, 405)),
    # Only meaningful half-way through a login; otherwise back to the login page.
    "mfa_authenticate": Row({}, other_methods=everyone(302)),
    "mfa_reauthenticate": Row({m: split(302, 200) for m in ("GET", "HEAD", "POST", "PUT")}, other_methods=split(302, 405)),
    # The personas already have TOTP, so activation sends them to the index; deactivation asks to re-authenticate.
    "mfa_activate_totp": Row({}, other_methods=everyone(302)),
    "mfa_deactivate_totp": Row({}, other_methods=everyone(302)),
    # The personas have no recovery codes yet: "not found" until they generate some.
    "mfa_view_recovery_codes": Row(safe(split(302, 404)), other_methods=split(302, 405)),
    "mfa_generate_recovery_codes": Row({}, other_methods=everyone(302)),
    "mfa_download_recovery_codes": Row({}, other_methods=split(302, 404)),
    "mfa_list_webauthn": Row(safe(split(302, 200)), other_methods=split(302, 405)),
    "mfa_add_webauthn": Row({}, other_methods=everyone(302)),
    "mfa_reauthenticate_webauthn": Row({}, other_methods=everyone(302)),
    "mfa_remove_webauthn": Row({}, kwargs={"pk": "{authenticator}"}, other_methods=everyone(302)),
    "mfa_edit_webauthn": Row({}, kwargs={"pk": "{authenticator}"}, other_methods=everyone(302)),
    "mfa_login_webauthn": Row({m: everyone(302) for m in ("GET", "HEAD", "POST", "PUT")}, other_methods=split(405, 302)),
    # --- workspace -------------------------------------------------------------------
    "workspace:home": Row({"GET": signed_in(200), "HEAD": signed_in(200)}),
    "workspace:organisation": Row(
        {"GET": page(VIEW_A), "HEAD": page(VIEW_A)}, kwargs={"slug": "{org_a}"}, probe={"slug": "no-such-org"}
    ),
    # Dangerous acts: the allowed persona is sent to re-authenticate first (302).
    "workspace:add_member": Row(
        {"GET": page(ADMIN_A), "POST": page(ADMIN_A, 302)}, kwargs={"slug": "{org_a}"}, probe={"slug": "no-such-org"}
    ),
    "workspace:change_roles": Row(
        {"GET": page(ADMIN_A), "POST": page(ADMIN_A, 302)},
        kwargs={"slug": "{org_a}", "member_id": "{member_a}"},
        probe={"slug": "{org_a}", "member_id": "999999"},
    ),
    "workspace:deactivate_member": Row(
        {"POST": page(ADMIN_A, 302)},
        kwargs={"slug": "{org_a}", "member_id": "{member_a}"},
        probe={"slug": "{org_a}", "member_id": "999999"},
    ),
    "audit:events": Row({"GET": page(AUDIT_A), "HEAD": page(AUDIT_A)}, kwargs={"slug": "{org_a}"}, probe={"slug": "no-such-org"}),
    "api_tokens:list": Row(
        {"GET": page(ADMIN_A), "POST": page(ADMIN_A, 302)}, kwargs={"slug": "{org_a}"}, probe={"slug": "no-such-org"}
    ),
    "api_tokens:revoke": Row(
        {"POST": page(ADMIN_A, 302)}, kwargs={"slug": "{org_a}", "token_id": "{token_a}"},
        probe={"slug": "{org_a}", "token_id": "999999"},
    ),
    # --- API ----------------------------------------------------------------------------
    "openapi": Row(safe(everyone(200))),
    "api:api-root": Row({"GET": everyone(404)}, other_methods=404),
    "api:me": Row({"GET": Expect(LOGGED_IN, 200, signed_out=401)}),
    "api:members": Row({"GET": api(ADMIN_A)}, kwargs={"slug": "{org_a}"}, probe={"slug": "no-such-org"}),
    "api:audit_events": Row({"GET": api(AUDIT_A)}, kwargs={"slug": "{org_a}"}, probe={"slug": "no-such-org"}),
}

# The Django admin is one surface with one policy: platform admins only. Its
# routes are generated per model, so they share this single row by prefix.
ADMIN_PREFIXES = ("admin:", "platform-admin/")
ADMIN_INDEX = Row({"GET": Expect(PLATFORM, 200, signed_out=302, denied=302)})


# --- rows from the domain apps ---------------------------------------------------------
# Each app adds its routes in ``tests/authz_rows_<app>.py``: a ``ROWS`` dict like
# the one above, and optionally ``placeholders(cast) -> dict[str, str]`` giving
# sample kwargs (ids of records owned by Org A). Records shared between row
# modules come from ``registry_sample(cast)``, built once per cast.

_SAMPLES: dict[int, object] = {}


def registry_sample(cast: Any) -> Any:
    from unforgotten.registry.models import Person
    from unforgotten.registry.testing import make_sample

    # Keyed by the cast object, and checked against the database: a later test
    # may get a new cast at the same address after the old rows were rolled back.
    key = id(cast)
    cached: Any = _SAMPLES.get(key)
    if cached is None or not Person.objects.filter(pk=cached.person_a.pk, organisation_id=cast.org_a.pk).exists():
        cached = _SAMPLES[key] = make_sample(cast)
    return cached


def _load_app_rows() -> list[Any]:
    import importlib
    import pkgutil
    from pathlib import Path

    modules = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("authz_rows_"):
            module = importlib.import_module(f"tests.{info.name}")
            clash = set(module.ROWS) & set(ROWS)
            if clash:
                raise ValueError(f"{info.name} repeats rows: {sorted(clash)}")
            ROWS.update(module.ROWS)
            modules.append(module)
    return modules


APP_ROW_MODULES = _load_app_rows()


def placeholders(cast: Any) -> dict[str, str]:
    """Values for the ``{…}`` placeholders in every row's kwargs: records owned by Org A."""
    from allauth.mfa.models import Authenticator

    from unforgotten.accounts.models import Membership
    from unforgotten.api.actions import do_create_api_token

    token, _secret = do_create_api_token(organisation=cast.org_a, name="matrix", scopes=["read"], acting_user=cast.dana)
    extra: dict[str, str] = {}
    for module in APP_ROW_MODULES:
        if hasattr(module, "placeholders"):
            extra.update(module.placeholders(cast))
    return {
        **extra,
        "org_a": cast.org_a.slug,
        "member_a": str(Membership.objects.get(user=cast.vera, organisation=cast.org_a).pk),
        "token_a": str(token.pk),
        "authenticator": str(Authenticator.objects.filter(user=cast.amal).order_by("pk")[0].pk),
    }
