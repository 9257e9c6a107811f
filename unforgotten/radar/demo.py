"""Demo radar for ``unforgotten demo-data``: a few media mentions, then the whole ledger computed.

Fictional, written through the action functions as Dana, the admin of Rights
Watch, so the demo's radar at /work/radar/ has cases that were in the press
and cases that never were. Runs once: skipped when Rights Watch already has
media mentions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.radar import actions
from unforgotten.radar.models import MediaMention
from unforgotten.registry.models import Case

OUTLETS = (("Radio Liberty (demo)", "ru"), ("The Daily Example (demo)", "en"), ("Al-Mithal (demo)", "ar"))


def write(users: dict[str, Any], progress: Callable[[str], object]) -> None:
    org = Organisation.objects.filter(slug="rights-watch").first()
    dana = users.get("dana@example.org")
    if org is None or dana is None or MediaMention.objects.filter(organisation=org).exists():
        return
    today = timezone.localdate()
    cases = list(Case.objects.filter(organisation=org, person__merged_into__isnull=True).order_by("-id")[:5])
    for n, case in enumerate(cases):
        outlet, language = OUTLETS[n % len(OUTLETS)]
        actions.do_log_media_mention(case=case, data={
            "outlet": outlet, "url": f"https://news.example.org/demo/{n + 1}",
            "published": (today - timedelta(days=20 + 90 * n)).isoformat(), "language": language},
            acting_user=dana)
    rows = actions.do_recompute(acting_user=dana)
    progress(f"Demo radar: {len(cases)} media mentions, attention index of {rows} cases.")
