from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "unforgotten.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from unforgotten.monitoring import rules  # noqa: F401  (registers the monitoring permissions)
