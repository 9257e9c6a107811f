from __future__ import annotations

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "unforgotten.actions"
    label = "actions"
    verbose_name = "Take action: supporters and petitions"

    def ready(self) -> None:
        from unforgotten.actions import (
            rules,  # noqa: F401  (registers the campaign permissions)
            sections,
        )

        sections.register()
