from __future__ import annotations

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "unforgotten.stats"
    label = "stats"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from unforgotten.stats import rules, signals  # noqa: F401  (permissions; keeping the totals in step)
