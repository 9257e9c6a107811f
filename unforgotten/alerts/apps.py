from __future__ import annotations

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "unforgotten.alerts"
    label = "alerts"
    verbose_name = "Urgent alerts"

    def ready(self) -> None:
        # rules: permissions; signals: public page purges; sections: the "urgent actions" blocks of public pages
        from unforgotten.alerts import rules, sections, signals  # noqa: F401

        sections.register()
