from __future__ import annotations

from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "unforgotten.advocacy"
    label = "advocacy"
    verbose_name = "Advocacy"

    def ready(self) -> None:
        from unforgotten.advocacy import rules  # noqa: F401  (registers the advocacy permissions)
