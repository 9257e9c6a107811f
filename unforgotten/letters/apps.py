from __future__ import annotations

from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "unforgotten.letters"
    label = "letters"
    verbose_name = "Letters to prisoners and to officials"

    def ready(self) -> None:
        from unforgotten.letters import rules, sections, signals  # noqa: F401  (permissions, profile block, erasure)

        sections.register()
