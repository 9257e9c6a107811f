from __future__ import annotations

from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "unforgotten.radar"
    label = "radar"
    verbose_name = "Forgotten-case radar"

    def ready(self) -> None:
        from unforgotten.radar import rules, signals  # noqa: F401  (registers the permissions and the registry hooks)
