from __future__ import annotations

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "unforgotten.alerts"
    label = "alerts"
    verbose_name = "Urgent alerts"

    def ready(self) -> None:
        from unforgotten.alerts import rules  # noqa: F401  (registers the alerts permissions)
