from __future__ import annotations

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "unforgotten.alerts"
    label = "alerts"
    verbose_name = "Urgent alerts"

    def ready(self) -> None:
        from unforgotten.alerts import rules, signals  # noqa: F401  (permissions; public page purges)
        from unforgotten.alerts import sections  # the "urgent actions" blocks of the home page and profiles

        sections.register()
