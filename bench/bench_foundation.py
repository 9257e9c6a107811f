"""Foundation: what a signed-in workspace page costs beside the cheapest request the stack serves."""

from __future__ import annotations

import os
import tempfile

from bench._harness import Report, p95, timings_ms

GROUP = "foundation"


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["UNFORGOTTEN_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unforgotten.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        from unforgotten.testing import make_cast

        cast = make_cast()
        client = Client()
        client.force_login(cast.dana)
        workspace = timings_ms(lambda: client.get(f"/work/org/{cast.org_a.slug}/"), repeat=300)
        health = timings_ms(lambda: client.get("/healthz"), repeat=300)
        report("organisation_page_p95_ms", p95(workspace), "ms",
               baseline_what="healthz_p95_ms (same session, same stack)", baseline_value=p95(health), baseline_unit="ms")
