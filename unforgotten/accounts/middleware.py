from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from unforgotten import policy

LOGIN_STAMP = "uf_login_at"
SEEN_STAMP = "uf_seen_at"
# How often activity renews the session. Saving it on every request cost a
# database write per page; renewing at most once a minute keeps the idle limit
# within a minute of STAFF_IDLE_SECONDS and only ever shortens it.
RENEW_SECONDS = 60


class StaffSessionMiddleware:
    """Ends a session after STAFF_IDLE_SECONDS idle, and STAFF_MAX_SECONDS after login however active.

    The idle limit is the session's server-side expiry (SESSION_COOKIE_AGE),
    renewed by activity at most once a minute, and checked here against the
    last renewal too; the absolute limit stops a stolen cookie from living
    forever by being used.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            stamp = request.session.get(LOGIN_STAMP)
            seen = request.session.get(SEEN_STAMP, stamp)
            if (stamp is None or now - float(stamp) > settings.STAFF_MAX_SECONDS
                    or now - float(seen) > settings.STAFF_IDLE_SECONDS):
                logout(request)
                return HttpResponseRedirect(reverse("account_login"))
            if now - float(seen) >= RENEW_SECONDS:
                request.session[SEEN_STAMP] = now  # marks the session modified: saved with a fresh expiry
        return self.get_response(request)


# Paths a user who must enrol a second factor may still reach.
_MFA_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/favicon.ico")


class RequireMFAMiddleware:
    """Everyone who can see non-public data logs in with a second factor.

    Until they have enrolled one, such a user reaches only the enrolment and
    logout pages. ``DEMO`` lets the demo personas in without it; production
    settings refuse ``DEMO``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not settings.DEMO
            and not request.path.startswith(_MFA_ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and policy.needs_second_factor(user)
            and not has_second_factor(user)
        ):
            return HttpResponseRedirect(reverse("mfa_index"))
        return self.get_response(request)


def has_second_factor(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_uf_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user_id=user.pk,  # type: ignore[attr-defined]
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exists()
        user._uf_has_mfa = cached  # type: ignore[attr-defined]
    return bool(cached)
