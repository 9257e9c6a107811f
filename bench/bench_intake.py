"""Intake (issue 6): what a public suggestion and a newsletter sign-up cost beside serving their empty form.

A suggestion post checks the signed form token, stamps a keyed digest of the
address, seals the suggester's contact, and writes the row with its audit
event and Merkle leaf in one transaction; a sign-up also encrypts and queues
its confirmation e-mail in the outbox. The baseline is the GET of the same
form page in the same run (a fresh token, no database write). In-process
(Django's test client) on a throw-away SQLite database, so the figures are the
application's own cost, without a network or a web server.
"""

from __future__ import annotations

import os
import tempfile

from bench._harness import Report, p95, timings_ms

GROUP = "intake"
REPEAT = 200


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["UNFORGOTTEN_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unforgotten.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        from unforgotten.core import antispam
        from unforgotten.testing import make_cast

        make_cast()
        settings.PUBLIC_SITE_ORGANISATION = "org-a"
        settings.INTAKE_MIN_FILL_SECONDS = 0  # a benchmark posts faster than a person
        settings.INTAKE_HOURLY_LIMIT = 10_000
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        client = Client()
        form = timings_ms(lambda: client.get("/en/suggest/"), repeat=REPEAT)
        counter = iter(range(10**6))

        def suggest() -> None:
            n = next(counter)
            client.post("/en/suggest/", {
                "person_name": f"Person {n}", "country": "AZ", "reason": "Arrested after a speech.",
                "contact": "someone@example.net", "form_token": antispam.issue_form_token("intake")},
                REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}")

        posted = timings_ms(suggest, repeat=REPEAT)
        report("suggestion_post_p95_ms", p95(posted), "ms", baseline_what="GET of the empty form p95",
               baseline_value=p95(form), baseline_unit="ms")
        signup_form = timings_ms(lambda: client.get("/en/newsletter/"), repeat=REPEAT)

        def sign_up() -> None:
            n = next(counter)
            client.post("/en/newsletter/", {"email": f"reader{n}@example.net", "consent": "on",
                                            "form_token": antispam.issue_form_token("newsletter")},
                        REMOTE_ADDR=f"10.1.{n // 250}.{n % 250}")

        signed = timings_ms(sign_up, repeat=REPEAT)
        report("newsletter_signup_p95_ms", p95(signed), "ms", baseline_what="GET of the empty sign-up form p95",
               baseline_value=p95(signup_form), baseline_unit="ms")
