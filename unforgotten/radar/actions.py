"""Every change the radar makes, one function each.

Other apps feed the radar through ONE function::

    from unforgotten.radar.actions import note_attention
    note_attention(case_id=case.pk, kind="intervention", when=intervention.occurred_on)

``kind`` is one of "public_action", "intervention", "media", "contact";
``when`` the day it happened (a ``date``; for a partial date, its earliest day).
It is cheap (one indexed UPDATE, a second to rescore) and idempotent: the ledger
keeps the latest day it was told, so calling it twice, or with an older day,
changes nothing. It writes no audit event of its own: the ledger is derived
data, and the change that caused the call is audited by that app's action, in
the same transaction. Call it only for records every member of the owner's
staff may know exist (no restricted whole-record class): the radar shows its
dates to all of them. A day later moved earlier, or a deleted record, is set
right by the nightly recompute (``radar.recompute``).

Media mentions and the weekly digest are the radar's own records and e-mails:
those actions are audited like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import diff, record
from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage
from unforgotten.policy.projection import field_sensitivity
from unforgotten.radar import engine
from unforgotten.radar.models import COLUMNS, MediaMention
from unforgotten.registry.models import Case

# Never set from a form or a request body: ownership, classes and what the platform derives.
PROTECTED = frozenset({"id", "organisation", "organisation_id", "uuid", "created_at", "updated_at",
                       "sensitivity_floor", "sensitivity_overrides", "published_on", "recorded_by",
                       "recorded_by_id", "case", "case_id"})
DIGEST_SIZE = 10


def note_attention(*, case_id: int, kind: str, when: date) -> bool:
    """Tell the radar that case ``case_id`` received attention of ``kind`` on ``when``; True if its ledger moved."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown kind of attention {kind!r}; use one of {', '.join(COLUMNS)}")
    if isinstance(when, datetime) or not isinstance(when, date):
        raise ValueError("'when' must be a date (for a partial date, its earliest day)")
    if when > timezone.localdate():
        raise ValueError(f"{when} is in the future: attention is noted when it has happened")
    return engine.note(int(case_id), kind, when)


# --- recompute -------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_recompute(*, acting_user: Any = "scheduler") -> int:
    """Rebuild the whole ledger from the sources (the nightly job and ``unforgotten radar-recompute``).

    Returns how many ledger rows changed (rows already right are not rewritten).
    """
    rows = engine.recompute()
    record("radar.recompute", actor=acting_user, changes={"changed": [None, rows]}, object_type="radar.attention",
           object_id="")
    return rows


# --- media mentions --------------------------------------------------------------------------------------


def _snapshot(obj: MediaMention) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}}


def _classes(obj: MediaMention) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _assign(obj: MediaMention, data: Mapping[str, Any]) -> None:
    names = {f.name for f in obj._meta.concrete_fields}
    for key, value in data.items():
        if key not in names or key in PROTECTED:
            # Mass assignment of ownership, classes or derived fields is refused outright.
            raise ValidationError({key: f"'{key}' cannot be set here."})
        setattr(obj, key, value)


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) and getattr(user, "uf_token", None) is None else None


def _counts(obj: MediaMention) -> bool:
    return obj.published_on is not None and (obj.sensitivity_floor is None or obj.sensitivity_floor <= 2)


@transaction.atomic(durable=True)
def do_log_media_mention(*, case: Case, data: Mapping[str, Any], acting_user: Any) -> MediaMention:
    """Record that the press named ``case``: ``data`` holds outlet, url, published, language, note."""
    obj = MediaMention(organisation_id=case.organisation_id, case=case, recorded_by=_user_or_none(acting_user))
    _assign(obj, data)
    obj.full_clean()
    obj.save()
    record("radar.log_media_mention", actor=acting_user, obj=obj, changes=diff({}, _snapshot(obj), _classes(obj)))
    if _counts(obj):
        assert obj.published_on is not None  # noqa: S101  (checked by _counts)
        note_attention(case_id=case.pk, kind="media", when=obj.published_on)
    return obj


@transaction.atomic(durable=True)
def do_update_media_mention(*, mention: MediaMention, data: Mapping[str, Any], acting_user: Any) -> MediaMention:
    before = _snapshot(mention)
    _assign(mention, data)
    mention.full_clean()
    changes = diff(before, _snapshot(mention), _classes(mention))
    if changes:
        mention.save()
        record("radar.update_media_mention", actor=acting_user, obj=mention, changes=changes)
        # The day may have moved earlier: the case's ledger is rebuilt from its mentions.
        engine.recompute([mention.case_id])
    return mention


@transaction.atomic(durable=True)
def do_remove_media_mention(*, mention: MediaMention, acting_user: Any) -> None:
    record("radar.remove_media_mention", actor=acting_user, obj=mention,
           changes=diff(_snapshot(mention), {}, _classes(mention)))
    case_id = mention.case_id
    mention.delete()
    engine.recompute([case_id])


# --- the weekly digest -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestResult:
    organisations: int
    queued: int
    nothing_to_report: int
    no_recipients: int


def digest_recipients(organisation: Organisation) -> list[Any]:
    """The organisation's coordinators (the coordinator role); none named, its admins (decision 0026)."""
    from unforgotten import policy

    return [u for u in policy.coordinators(organisation.pk) if u.email]


def week_of(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic(durable=True)
def do_send_weekly_digests(*, today: date | None = None, acting_user: Any = "scheduler",
                           organisation: Organisation | None = None) -> DigestResult:
    """Queue this ISO week's digest for every coordinator of every active organisation (or of ``organisation``).

    Each coordinator gets the organisation's ten most neglected cases among those
    *they* may see, every value from their own projection. An organisation with
    no case to list gets a short "nothing to report" (so its coordinators know
    the radar is watching, not broken). Once a week per person: the outbox's
    ``dedupe_key`` names the organisation, the week and the recipient, so the
    daily job may run as often as it likes.
    """
    from unforgotten.radar.reading import ten_most_neglected

    today = today or timezone.localdate()
    week = week_of(today)
    orgs = [organisation] if organisation is not None else list(
        Organisation.objects.filter(is_active=True).order_by("pk"))
    queued = empty = lonely = 0
    for org in orgs:
        recipients = digest_recipients(org)
        if not recipients:
            lonely += 1
            continue
        for user in recipients:
            key = f"radar.digest:{org.pk}:{week}:{user.pk}"
            if OutboxMessage.objects.filter(dedupe_key=key).exists():
                continue  # queued by an earlier run this week
            rows = ten_most_neglected(user, org, today, DIGEST_SIZE)
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = digest_text(org, rows, today)
            outbox.enqueue_email(kind="radar.weekly_digest", to=[user.email], subject=subject, body=body,
                                 organisation_id=org.pk, dedupe_key=key)
            queued += 1
            empty += not rows
    if queued:
        record("radar.weekly_digest", actor=acting_user, changes={"queued": [None, queued], "week": [None, week]},
               object_type="radar.digest", object_id="")
    return DigestResult(len(orgs), queued, empty, lonely)


def digest_text(org: Organisation, rows: list[Any], today: date) -> tuple[str, str]:
    from unforgotten.radar.reading import why_text

    url = settings.SITE_URL.rstrip("/") + reverse("radar:home") + f"?organisation={org.slug}"
    if not rows:
        subject = _("Radar for %(org)s: nothing to report this week") % {"org": org.name}
        body = "\n".join([
            _("Nothing to report: %(org)s has no case held today that the radar follows.") % {"org": org.name},
            _("Cases appear here once someone is recorded as detained."),
            "", _("The radar: %(url)s") % {"url": url},
        ])
        return subject, body
    subject = ngettext("Radar for %(org)s: the %(n)s most neglected case this week",
                       "Radar for %(org)s: the %(n)s most neglected cases this week", len(rows)) % {
        "org": org.name, "n": len(rows)}
    lines = [_("The cases of %(org)s that have gone longest without attention, as of %(day)s:")
             % {"org": org.name, "day": today.isoformat()}, ""]
    for n, row in enumerate(rows, 1):
        days = ngettext("%(n)s day", "%(n)s days", row.index) % {"n": row.index}
        lines.append(f"{n}. {row.name} ({row.country or '?'}) · {days}")
        lines.append("   " + why_text(row, today))
        lines.append("   " + settings.SITE_URL.rstrip("/") + reverse("radar:case", kwargs={"case": row.case_id}))
    lines += ["", _("The radar: %(url)s") % {"url": url}]
    return subject, "\n".join(lines)

