from __future__ import annotations

from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "unforgotten.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from unforgotten.newsletter import personal_data, rules  # noqa: F401  (permissions)

        personal_data.register_holders()  # the supporter's "my data" link reaches their subscription
