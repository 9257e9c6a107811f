from __future__ import annotations

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "unforgotten.events"
    label = "events"
    verbose_name = "Events: vigils, action days, trial monitoring, RSVP"

    def ready(self) -> None:
        # rules: permissions; signals: public page purges; sections: "events" blocks on public pages
        from unforgotten.events import rules, sections, signals  # noqa: F401

        sections.register()
