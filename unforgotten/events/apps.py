from __future__ import annotations

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "unforgotten.events"
    label = "events"
    verbose_name = "Events: vigils, action days, trial monitoring, RSVP"

    def ready(self) -> None:
        # rules: permissions; signals: public page purges; sections: "events" blocks on public pages
        from unforgotten.events import personal_data, rules, sections, signals  # noqa: F401

        sections.register()
        personal_data.register_holders()  # the supporter's "my data" link reaches their RSVPs
