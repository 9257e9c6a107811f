"""Re-authentication ("sudo mode") before dangerous acts: exports, unsealing, role changes.

Called *after* the permission check, inside the view, so that a person who may
not act at all gets "not found" rather than a prompt that confirms the target
exists. The window (ACCOUNT_REAUTHENTICATION_TIMEOUT, 15 minutes) starts at
the last password or second-factor entry.
"""

from __future__ import annotations

from allauth.account.internal.flows import reauthentication
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest


def require_sudo(request: HttpRequest) -> None:
    """Raise so allauth's middleware sends the person to re-enter a credential, then back."""
    if request.method == "GET":
        # Showing a form is harmless; acting on it is what needs fresh credentials.
        return
    if not reauthentication.did_recently_reauthenticate(request):
        raise ReauthenticationRequired()


def recently_reauthenticated(request: HttpRequest) -> bool:
    """Whether this session re-entered a credential within the last 15 minutes (the API's form of ``require_sudo``)."""
    return bool(reauthentication.did_recently_reauthenticate(request))
