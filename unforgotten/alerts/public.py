"""The public urgent actions, built only from the public projection and the person's consent.

An alert is on the public site while it was approved (``published_at``) and not withdrawn, in
each language it has a ``PublicText`` for. The person's name shows only with recorded,
unwithdrawn "name" consent (the projection asks); without it the page still calls to action,
naming the country. The live list leaves out resolved alerts; a resolved alert's own page
stays up, saying it is over, so links shared on social media do not break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from unforgotten.alerts import vocabularies as v
from unforgotten.alerts.models import Alert, PublicText
from unforgotten.policy.projection import PUBLIC, project

ALERT_FIELDS = ("kind", "occurred_on", "state", "slug", "published_at")
TEXT_FIELDS = ("language", "title", "situation", "what_to_do")


def public_alerts() -> QuerySet[Alert]:
    return (Alert.objects.filter(published_at__isnull=False, slug__isnull=False, case__person__merged_into__isnull=True)
            .exclude(state=v.State.WITHDRAWN).select_related("case__person")
            .prefetch_related("case__person__consents"))


@dataclass(frozen=True)
class UrgentAction:
    slug: str
    kind: str
    kind_label: str
    state: str
    occurred_on: Any
    published_at: Any
    title: str
    situation: str
    actions: list[str]
    person_name: str
    country: str

    @property
    def resolved(self) -> bool:
        return self.state == v.State.RESOLVED


def _build(alert: Alert, text: PublicText) -> UrgentAction | None:
    shown = project(alert, PUBLIC, ALERT_FIELDS)
    words = project(text, PUBLIC, TEXT_FIELDS)
    person = project(alert.case.person, PUBLIC, ("display_name", "country"))
    if "slug" not in shown or "title" not in words:
        return None
    lines = [line.strip(" -•\t") for line in str(words.get("what_to_do", "")).splitlines()]
    return UrgentAction(
        slug=str(shown["slug"]), kind=str(shown.get("kind", "")),
        kind_label=str(dict(v.Kind.choices).get(shown.get("kind", ""), "")), state=str(shown.get("state", "")),
        occurred_on=shown.get("occurred_on"), published_at=shown.get("published_at"), title=str(words["title"]),
        situation=str(words.get("situation", "")), actions=[line for line in lines if line],
        person_name=str(person.get("display_name") or ""), country=str(person.get("country") or ""))


def live(language: str, *, person_id: int | None = None) -> list[UrgentAction]:
    """Urgent actions still running, in ``language``, newest first (only ``person_id``'s when given)."""
    running = public_alerts().exclude(state=v.State.RESOLVED)
    if person_id is not None:
        running = running.filter(case__person_id=person_id)
    texts = {t.alert_id: t for t in PublicText.objects.filter(language=language, alert__in=running)}
    alerts = public_alerts().filter(pk__in=list(texts)).order_by("-published_at", "-id")
    return [ua for a in alerts if (ua := _build(a, texts[a.pk])) is not None]


def page(slug: str, language: str) -> tuple[UrgentAction, list[str]] | None:
    """The urgent action at ``slug`` in ``language`` and the languages it exists in; None if not public."""
    alert = public_alerts().filter(slug=slug).first()
    if alert is None:
        return None
    texts = {t.language: t for t in alert.texts.all()}
    if language not in texts:
        return None
    built = _build(alert, texts[language])
    return (built, sorted(texts)) if built is not None else None
