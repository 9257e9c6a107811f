from __future__ import annotations

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "unforgotten.publishing"
    label = "publishing"
    verbose_name = "Public campaign site"

    def ready(self) -> None:
        from unforgotten.publishing import rules, signals  # noqa: F401  (permissions; cache purges on registry changes)
