from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from unforgotten.accounts.middleware import LOGIN_STAMP
from unforgotten.audit.actions import record


@receiver(user_logged_in, dispatch_uid="accounts.login_stamp")
def _stamp_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_STAMP] = time.time()
    with transaction.atomic():
        record("accounts.login", actor=user, object_type="accounts.user", object_id=user.pk)
