"""What the letters app keeps about a supporter's address, for their "my data" link (``core.personal_data``).

- Letters to a prisoner carry the sender's address only when they gave one, found by ``sender_email_key``.
  Erasure deletes the letters not approved (they will never reach anyone) and strips every sender detail from
  approved ones: the text stays, because it is now the prisoner's mail (perhaps delivered already); a batch PDF
  that printed the sender's name or address is printed again without them.
- Letters to officials hang on the supporter record (``actions.Supporter``); erasure keeps only the counts
  (``actions.forget_supporter``) and deletes the letter consents.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unforgotten.core.personal_data import Holder, Keys, register
from unforgotten.letters.models import (
    LetterBatch,
    LetterConsent,
    LetterStatus,
    OfficialLetter,
    PrisonerLetter,
)
from unforgotten.policy.projection import PUBLIC, project


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _to_prisoners(keys: Keys) -> Any:
    return PrisonerLetter.objects.filter(sender_email_key=keys.email_key)


def _to_officials(keys: Keys) -> Any:
    return OfficialLetter.objects.filter(supporter__email_key=keys.email_key)


def export_to_prisoners(keys: Keys) -> list[dict[str, Any]]:
    out = []
    for letter in _to_prisoners(keys).select_related("person").order_by("received_at", "id"):
        # The prisoner as the public site names them (the writer found them there); nothing more of the record.
        shown = project(letter.person, PUBLIC, ("display_name",))
        out.append({"to": str(shown.get("display_name") or ""), "written_at": _iso(letter.received_at),
                    "language": letter.language, "text": letter.body, "sender_name": letter.sender_name,
                    "sender_address": letter.sender_address, "sender_email": letter.sender_email,
                    "status": letter.status, "delivery": letter.delivery})
    return out


def export_to_officials(keys: Keys) -> list[dict[str, Any]]:
    out = []
    for letter in _to_officials(keys).select_related("campaign").order_by("written_at", "id"):
        consents = LetterConsent.objects.filter(supporter_id=letter.supporter_id).filter(
            Q(campaign=letter.campaign) | Q(campaign__isnull=True))
        out.append({"campaign": letter.campaign.slug, "written_at": _iso(letter.written_at),
                    "sent_at": _iso(letter.sent_at), "state": letter.state, "language": letter.language,
                    "text": letter.body, "sender_name": letter.sender_name, "sender_place": letter.sender_place,
                    "consents": [{"purpose": c.purpose, "text": c.text, "given_at": _iso(c.given_at),
                                  "withdrawn_at": _iso(c.withdrawn_at)} for c in consents]})
    return out


def erase_to_prisoners(keys: Keys) -> int:
    # Imported here: this module is loaded by the app's ready(), before settings are final in tests, and the
    # outbox's task binds its backend when it is defined.
    from unforgotten.core import outbox
    from unforgotten.letters.actions import render_letters_pdf

    letters = _to_prisoners(keys)
    # A request to change a letter, still queued for the writer, goes with their address.
    outbox.cancel_unsent(f"letters.change:{pk}" for pk in letters.values_list("pk", flat=True))
    deleted, _rows = letters.exclude(status=LetterStatus.APPROVED).delete()
    reprint: set[int] = set()
    kept = 0
    for letter in letters.select_for_update():
        if letter.batch_id is not None and letter.print_sender and (letter.sender_name or letter.sender_address):
            reprint.add(letter.batch_id)
        letter.sender_name = letter.sender_address = letter.sender_email = ""
        letter.sender_email_key = None
        letter.print_sender = False
        letter.edit_token_digest = None
        letter.edit_token_expires = None
        letter.save(update_fields=["sender_name", "sender_address", "sender_email", "sender_email_key",
                                   "print_sender", "edit_token_digest", "edit_token_expires", "updated_at"])
        kept += 1
    for batch in LetterBatch.objects.select_for_update().select_related("person").filter(pk__in=reprint):
        # The printed batch is the organisation's copy of what was handed over; it must not keep the name either.
        with translation.override("en"):
            batch.pdf = render_letters_pdf(batch.person, batch.letters.order_by("received_at", "id"),
                                           title=_("Letters of support"))
        batch.save(update_fields=["pdf", "updated_at"])
    return int(deleted) + kept


def erase_to_officials(keys: Keys) -> int:
    from unforgotten.core import outbox
    from unforgotten.letters.actions import forget_supporter

    supporter_ids = list(_to_officials(keys).values_list("supporter_id", flat=True).distinct())
    supporter_ids += list(LetterConsent.objects.filter(supporter__email_key=keys.email_key).values_list(
        "supporter_id", flat=True).distinct())
    touched = int(_to_officials(keys).count())
    # The writer's confirmation, if still queued, goes with their address (the letter sent to the office stays:
    # sending it was the writer's own act, already confirmed).
    outbox.cancel_unsent(f"letters.confirm:{pk}" for pk in _to_officials(keys).values_list("pk", flat=True))
    for supporter_id in sorted(set(supporter_ids)):
        forget_supporter(supporter_id)
    consents, _rows = LetterConsent.objects.filter(supporter_id__in=supporter_ids).delete()
    return touched + int(consents)


def withdraw(keys: Keys, text: str, language: str) -> int:
    """Every live consent a letter writer gave (to be sent the letter, to hear from the campaign)."""
    del text, language  # a letter consent records its withdrawal as a time, like the petitions' consents
    return int(LetterConsent.objects.filter(supporter__email_key=keys.email_key, withdrawn_at__isnull=True)
               .update(withdrawn_at=timezone.now()))


def register_holders() -> None:
    register(Holder(name="letters_to_prisoners", holds=lambda k: _to_prisoners(k).exists(),
                    export=export_to_prisoners, erase=erase_to_prisoners))
    register(Holder(name="letters_to_officials",
                    holds=lambda k: _to_officials(k).exists() or LetterConsent.objects.filter(
                        supporter__email_key=k.email_key).exists(),
                    export=export_to_officials, erase=erase_to_officials, withdraw=withdraw))
