from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "unforgotten.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from unforgotten.intake import rules  # noqa: F401  (permissions)
