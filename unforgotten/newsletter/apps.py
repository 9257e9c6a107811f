from __future__ import annotations

from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "unforgotten.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from unforgotten.newsletter import rules  # noqa: F401  (permissions)
