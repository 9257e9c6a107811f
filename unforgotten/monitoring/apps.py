from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "unforgotten.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from unforgotten.monitoring import rules  # noqa: F401  (registers the monitoring permissions)

        # radar (issue 9): the radar's recompute reads the last contact per case from our table.
        from unforgotten.radar.engine import Source, register_source
        from unforgotten.radar.models import Signal

        register_source(Source(Signal.CONTACT, "monitoring_contact", "occurred_on"))
