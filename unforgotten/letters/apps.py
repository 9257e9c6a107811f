from __future__ import annotations

from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "unforgotten.letters"
    label = "letters"
    verbose_name = "Letters to prisoners and to officials"

    def ready(self) -> None:
        from unforgotten.letters import (  # noqa: F401  (permissions, profile block, erasure)
            personal_data,
            rules,
            sections,
            signals,
        )

        sections.register()
        personal_data.register_holders()  # the supporter's "my data" link reaches their letters
