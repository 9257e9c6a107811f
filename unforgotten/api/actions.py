from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.api.models import APIToken, Scope, token_digest
from unforgotten.audit.actions import record


@transaction.atomic(durable=True)
def do_create_api_token(*, organisation: Organisation, name: str, scopes: Iterable[str], acting_user: Any) -> tuple[APIToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    cleaned = sorted(set(scopes))
    valid = {s.value for s in Scope}
    if not cleaned or any(s not in valid for s in cleaned):
        raise ValidationError(f"Choose one or more scopes from: {', '.join(sorted(valid))}.")
    if not name.strip():
        raise ValidationError("Give the token a name that says where it is used.")
    raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = APIToken.objects.create(
        organisation=organisation, name=name.strip()[:100], prefix=raw[:12], digest=token_digest(raw),
        scopes=cleaned, created_by_id=getattr(acting_user, "pk", None),
    )
    record("api.create_token", actor=acting_user, obj=token, changes={"name": [None, token.name], "scopes": [None, cleaned]})
    return token, raw


@transaction.atomic(durable=True)
def do_revoke_api_token(*, token: APIToken, acting_user: Any, reason: str = "") -> APIToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record("api.revoke_token", actor=acting_user, obj=token, reason=reason, changes={"revoked": [False, True]})
    return token
