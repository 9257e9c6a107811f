"""What the newsletter keeps about a supporter's address, for their "my data" link (``core.personal_data``).

A subscriber is found by the newsletter's own keyed digest (``models.address_digest``), which the data link
carries beside the supporters' one. Erasure deletes the subscription with its consent history: once the address
is gone there is nothing to send, and nothing left to prove consent for.
"""

from __future__ import annotations

from typing import Any

from unforgotten.core.personal_data import Holder, Keys, register
from unforgotten.newsletter.models import Status, Subscriber, address_digest

NAME = "newsletter"


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _rows(keys: Keys) -> Any:
    digest = keys.for_holder(NAME)
    # A link made before the newsletter kept its own digest carries none: it can find nothing here.
    return Subscriber.objects.filter(email_digest=digest) if digest else Subscriber.objects.none()


def export(keys: Keys) -> list[dict[str, Any]]:
    out = []
    for subscriber in _rows(keys).select_related("organisation").order_by("created_at", "id"):
        out.append({"organisation": subscriber.organisation.name, "email": subscriber.project_email(),
                    "status": subscriber.status, "language": subscriber.language,
                    "created_at": _iso(subscriber.created_at), "confirmed_at": _iso(subscriber.confirmed_at),
                    "unsubscribed_at": _iso(subscriber.unsubscribed_at),
                    "consents": [{"kind": c.kind, "purpose": c.purpose, "text": c.text, "at": _iso(c.at),
                                  "source": c.source} for c in subscriber.consents.all()]})
    return out


def erase(keys: Keys) -> int:
    # Imported here: this module is loaded by the app's ready(), before settings are final in tests, and the
    # outbox's task binds its backend when it is defined.
    from unforgotten.core import outbox

    rows = list(_rows(keys).select_for_update().values_list("pk", flat=True))
    # A confirmation still queued for the address goes with it (newsletter.actions._mail keys it by subscriber).
    outbox.cancel_unsent(f"newsletter.subscriber:{pk}" for pk in rows)
    Subscriber.objects.filter(pk__in=rows).delete()
    return len(rows)


def withdraw(keys: Keys, text: str, language: str) -> int:
    """Unsubscribe every live subscription of the address, recording the words the person was shown."""
    from unforgotten.newsletter.actions import unsubscribe_in_transaction

    rows = list(_rows(keys).exclude(status=Status.UNSUBSCRIBED).select_for_update())
    for subscriber in rows:
        unsubscribe_in_transaction(subscriber, text=text, language=language, source="data link")
    return len(rows)


def register_holders() -> None:
    register(Holder(name=NAME, holds=lambda k: _rows(k).exists(), export=export, erase=erase,
                    key=lambda email: address_digest(email), withdraw=withdraw))
