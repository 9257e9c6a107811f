from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from unforgotten.accounts import actions
from unforgotten.accounts.demo import DEMO_PASSWORD, ORGS, PERSONAS
from unforgotten.accounts.models import Organisation, User


class Command(BaseCommand):
    help = "Create the demo organisations and personas (fictional). Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Seed for generated records (same seed, same data).")

    def handle(self, *args: Any, **options: Any) -> None:
        system = "demo-data"
        orgs: dict[str, Organisation] = {}
        for spec in ORGS:
            existing = Organisation.objects.filter(slug=spec.slug).first()
            orgs[spec.slug] = existing or actions.do_create_organisation(
                name=spec.name, slug=spec.slug, country=spec.country, acting_user=system
            )
        for persona in PERSONAS:
            user = User.objects.filter(email=persona.email).first()
            if user is None:
                user = actions.do_create_user(email=persona.email, display_name=persona.name,
                                              password=DEMO_PASSWORD, acting_user=system)
            if persona.platform_admin and not user.is_superuser:
                with transaction.atomic():
                    User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
            if persona.org:
                actions.do_add_member(organisation=orgs[persona.org], user=user, roles=persona.roles, acting_user=system)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.email:<22} {persona.note}")
