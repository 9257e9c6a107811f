"""``unforgotten demo-data``: the demo organisations, personas and registry; or scale data for benchmarks.

``demo-data --seed N`` (what ``make demo`` runs) creates the two demo
organisations and their personas, then about fifty fictional people written
through the registry's action functions (so they come with audit events and
history). Same seed, same data; running it twice duplicates nothing.

``demo-data --people N`` instead fills the database with N generated people for
benchmarks (``unforgotten.registry.scale``): bulk writes (``COPY`` on
PostgreSQL) that bypass the action functions, so it writes NO per-row audit
events and NO history rows. It is scale data, not a record of anyone's work.
It refuses SQLite unless ``--force`` and tops up to N, so it too can run twice.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from unforgotten.accounts import actions
from unforgotten.accounts.demo import DEMO_PASSWORD, ORGS, PERSONAS
from unforgotten.accounts.models import Membership, Organisation, User


class Command(BaseCommand):
    help = "Create the demo organisations, personas and registry (fictional). Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Seed for generated records (same seed, same data).")
        parser.add_argument("--people", type=int, default=None,
                            help="Instead of the demo registry, bulk-fill this many generated people for "
                                 "benchmarks (no per-row audit events; PostgreSQL).")
        parser.add_argument("--org", default="rights-watch",
                            help="Organisation that owns the generated people (--people; default rights-watch).")
        parser.add_argument("--names-dir", default=None,
                            help="Forename and surname lists for --people (default ../shared/data/names "
                                 "beside the repository; a small built-in syllable list if absent).")
        parser.add_argument("--batch", type=int, default=None, help="People per COPY batch (--people).")
        parser.add_argument("--force", action="store_true", help="Allow --people on SQLite (slow; tests only).")
        # --- evidence (issue 5) ---
        parser.add_argument("--no-evidence", action="store_true",
                            help="Write no demo evidence (its custody events are append-only, so people who have "
                                 "evidence can never be deleted: for tests that wipe the registry).")
        # --- end evidence ---

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        people = options["people"]
        if people is not None:
            if people < 0:
                raise CommandError("--people must be zero or more.")
            if connection.vendor == "sqlite" and not options["force"]:
                raise CommandError("--people bulk-loads scale data for benchmarks on PostgreSQL; "
                                   "on SQLite add --force (slow; for tests only).")
        orgs, users = self._organisations_and_personas()
        if people is not None:
            self._scale(people, orgs, options)
        else:
            from unforgotten.registry import demo

            result = demo.write(demo.plan(options["seed"]), orgs=orgs, users=users, progress=self.stdout.write)
            self.stdout.write(f"Demo registry: {result.created} people written, {result.skipped} already there.")
        if people is None:
            self._publish_some(users)
            # publishing (issue 6): a family story, a series, a campaign and an infographic
            from unforgotten.publishing import demo as publishing_demo

            publishing_demo.write(users, self.stdout.write)  # publishing (issue 6)
            # --- evidence (issue 5): a few fictional files with a chain of custody, before the log is signed ---
            from unforgotten.evidence import demo as evidence_demo

            if not options["no_evidence"]:
                evidence_demo.write(users, self.stdout.write)
            # --- end evidence ---
            # --- advocacy (issue 8): stakeholders, interventions (some overdue), a deadline, a UN communication ---
            from unforgotten.advocacy import demo as advocacy_demo

            advocacy_demo.write(users, self.stdout.write)
            # --- end advocacy ---
            from unforgotten.intake import (
                demo as intake_demo,  # intake (issue 6): suggestions, newsletter
            )

            intake_demo.write(users, self.stdout.write)  # intake (issue 6)
            from unforgotten.radar import demo as radar_demo  # radar (issue 9)

            radar_demo.write(users, self.stdout.write)  # radar (issue 9): media mentions, then the whole ledger
            # --- alerts (issue 9): open alerts, an on-call shift, contacts, a public urgent action ---
            from unforgotten.alerts import demo as alerts_demo

            alerts_demo.write(users, self.stdout.write)
            # --- end alerts ---
            from unforgotten.actions import (
                demo as actions_demo,  # actions (issue 7): petitions and signers
            )

            actions_demo.write(users, self.stdout.write)  # actions (issue 7)
            from unforgotten.events import demo as events_demo  # events (issue 7 item 6)

            events_demo.write(users, self.stdout.write)  # events (issue 7 item 6): action days, a vigil, hearings
        # --- integrity: the demo ends with a signed tree head over its audit log ---
        from unforgotten.audit.log import sign_tree_head

        head = sign_tree_head()
        self.stdout.write(f"Audit log signed: {head.tree_size} entries, root {bytes(head.root_hash).hex()[:16]}…")
        # --- end integrity ---
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.perf_counter() - started:.1f} s."))
        if people is None:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for persona in PERSONAS:
                self.stdout.write(f"  {persona.email:<22} {persona.note}")

    def _publish_some(self, users: dict[str, User]) -> None:
        """A few public profiles (English, two also in Arabic), so the demo's public site is not empty.

        Written by Farah (campaigner) and approved by Bilal (reviewer), through
        the same actions as the workspace; only people whose family consented
        to their name being public are chosen.
        """
        from unforgotten.publishing import actions as publishing
        from unforgotten.publishing.models import PublicProfile
        from unforgotten.registry.models import Person

        writer, reviewer = users.get("farah@example.org"), users.get("bilal@example.org")
        if writer is None or reviewer is None or PublicProfile.objects.exists():
            return
        chosen = [p for p in Person.objects.filter(organisation__slug="rights-watch", merged_into__isnull=True)
                  .order_by("sort_name")[:40] if p.has_public_consent("name")][:6]
        for n, person in enumerate(chosen):
            for language in ("en", "ar") if n < 2 else ("en",):
                profile = publishing.do_create_profile(
                    person=person, language=language, acting_user=writer, reason="demo",
                    data={"story": person.public_summary or "", "featured": n < 3})
                publishing.do_submit_for_review(profile=profile, acting_user=writer)
                publishing.do_approve(profile=profile, acting_user=reviewer)
        self.stdout.write(f"Demo public site: {len(chosen)} profiles published.")

    def _organisations_and_personas(self) -> tuple[dict[str, Organisation], dict[str, User]]:
        system = "demo-data"
        orgs: dict[str, Organisation] = {}
        users: dict[str, User] = {}
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
                member = Membership.objects.filter(organisation=orgs[persona.org], user=user).first()
                # Only when something changes: a second run leaves no second audit event.
                if member is None or not member.is_active or sorted(member.roles) != sorted(persona.roles):
                    actions.do_add_member(organisation=orgs[persona.org], user=user, roles=persona.roles,
                                          acting_user=system)
            users[persona.email] = user
        return orgs, users

    def _scale(self, people: int, orgs: dict[str, Organisation], options: dict[str, Any]) -> None:
        from unforgotten.registry import scale

        org = orgs.get(options["org"]) or Organisation.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"No organisation '{options['org']}'.")
        names_dir = Path(options["names_dir"]) if options["names_dir"] else \
            Path(settings.BASE_DIR).parent / "shared" / "data" / "names"
        result = scale.fill(people=people, organisation=org, seed=options["seed"], names_dir=names_dir,
                            batch=options["batch"], progress=self.stdout.write)
        self.stdout.write(f"Scale data: {result.created:,} people created, {result.existing:,} already there "
                          f"(names from {result.names_source}); no per-row audit events were written.")
