from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts are created by organisation admins; nobody signs themselves up.

    An open sign-up form on a platform that holds witness data would be an
    invitation to probe it.
    """

    def is_open_for_signup(self, request: Any) -> bool:
        return False
