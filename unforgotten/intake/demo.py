"""Demo intake and newsletter for ``unforgotten demo-data``: a few suggestions waiting in the queue, a small list.

Fictional, written through the action functions; the suggestions go to Rights
Watch (the demo's public site). Runs once: skipped when Rights Watch already
has suggestions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from unforgotten.accounts.models import Organisation
from unforgotten.core.partialdate import PartialDate
from unforgotten.intake import actions
from unforgotten.intake.models import Suggestion

SUGGESTIONS = (
    ({"person_name": "Nadia Example (demo)", "country": "BY", "place_held": "Pre-trial prison No. 1, Minsk",
      "held_since": PartialDate.parse("2024-02"), "reason": "Detained after posting about a protest (fictional).",
      "sources": "https://news.example.org/demo-article"}, ()),
    ({"person_name": "Omar Sample (demo)", "other_names": "عمر سامبل", "country": "EG", "place_held": "Tora",
      "held_since": PartialDate.parse("2023"), "reason": "A blogger held without trial (fictional)."}, ()),
    ({"person_name": "cheap pills online", "reason": "visit http://spam.example"}, ("honeypot",)),
)


def write(users: dict[str, Any], progress: Callable[[str], object]) -> None:
    org = Organisation.objects.filter(slug="rights-watch").first()
    if org is None or Suggestion.objects.filter(organisation=org).exists():
        return
    for data, suspicious in SUGGESTIONS:
        actions.do_receive_suggestion(organisation=org, data=data, language="en", suspicious=suspicious,
                                      contact="demo-suggester@example.org" if not suspicious else "")
    from unforgotten.newsletter import actions as newsletter
    from unforgotten.newsletter import texts, tokens

    for address in ("supporter-1@example.org", "supporter-2@example.org"):
        subscriber = newsletter.do_sign_up(organisation=org, email=address, language="en",
                                           consent_text=texts.sign_up_consent())
        if address.startswith("supporter-1"):
            newsletter.do_confirm(token=tokens.make(tokens.CONFIRM, str(subscriber.uuid), subscriber.confirm_nonce),
                                  consent_text=texts.confirm_consent(), language="en")
    progress(f"Demo intake: {len(SUGGESTIONS)} suggestions in the queue, 2 newsletter sign-ups (1 confirmed).")
