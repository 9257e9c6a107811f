"""Who is calling the API: an organisation's token, or a signed-in person's session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from unforgotten import policy
from unforgotten.api.models import APIToken, token_digest


@dataclass
class TokenUser:
    """Stands in for a user when a token calls: the policy reads ``uf_token``."""

    uf_token: APIToken
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    is_staff: bool = False

    @property
    def pk(self) -> int:
        return -int(self.uf_token.pk)  # negative: never the id of a person

    @property
    def email(self) -> str:
        return f"token:{self.uf_token.prefix}"

    def __str__(self) -> str:
        return self.email


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(settings.API_TOKEN_PREFIX) or len(token) > 200:
            return None
        row = APIToken.objects.filter(digest=token_digest(token), revoked_at__isnull=True,
                                      organisation__is_active=True).first()
        if row is None:
            return None
        now = timezone.now()
        # Touch last use at most once a minute: a write per request would make
        # every API read a write.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            APIToken.objects.filter(pk=row.pk).update(last_used_at=now)
        principal = TokenUser(row)
        request.user = principal  # type: ignore[assignment]
        return principal


class SessionAuth(APIKeyCookie):
    """The workspace's own session, so the UI and the API answer the same policy."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not settings.DEMO and policy.needs_second_factor(user):
            from unforgotten.accounts.middleware import has_second_factor

            if not has_second_factor(user):
                return None
        return user
