"""``unforgotten seed_action_days ORG``: the yearly action days (30 October, 10 December) for an organisation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from unforgotten.accounts.models import Organisation


class Command(BaseCommand):
    help = "Add the International Day of Political Prisoners and Human Rights Day (yearly, editable)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organisation", help="the organisation's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        from unforgotten.events.actions import do_seed_action_days

        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}")
        made = do_seed_action_days(organisation=organisation, acting_user="seed_action_days")
        self.stdout.write(f"{len(made)} action day(s) added")
