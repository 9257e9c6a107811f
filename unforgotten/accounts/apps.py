from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unforgotten.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from unforgotten.accounts import signals  # noqa: F401  (connects the login stamp)
