from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from unforgotten import policy

LOGIN_STAMP = "uf_login_at"


class StaffSessionMiddleware:
    """Ends a session STAFF_MAX_SECONDS after login, however active it was.

    The idle limit is the session cookie age, renewed on every request; this
    absolute limit stops a stolen cookie from living forever by being used.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            stamp = request.session.get(LOGIN_STAMP)
            if stamp is None or time.time() - float(stamp) > settings.STAFF_MAX_SECONDS:
                logout(request)
                return HttpResponseRedirect(reverse("account_login"))
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
