"""Take-action's block on public profiles: "petitions for this person" (issue 7 × issue 6, decision 0025).

The provider is called only for a profile the publishing app is rendering, that
is for a person already public by consent; it adds the petitions that name the
person, open, with a text in the reader's language, read through the public
projection. Every change to such a petition (text, opening, closing, the people
it is for) empties the public page store (``actions._public_changed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from unforgotten.actions.models import Petition, PetitionStatus, PetitionText
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import sections

if TYPE_CHECKING:
    from unforgotten.registry.models import Person


def open_for(person_id: int, language: str) -> list[dict[str, Any]]:
    """The open petitions naming the person that have a text in ``language``: title and address, newest first."""
    petitions = Petition.objects.filter(people=person_id, status=PetitionStatus.OPEN).filter(
        Q(deadline__isnull=True) | Q(deadline__gt=timezone.now())).order_by("-opened_at", "-id")
    texts = {t.petition_id: t for t in PetitionText.objects.filter(language=language, petition__in=petitions)}
    rows = []
    for petition in petitions:
        text = texts.get(petition.pk)
        if text is None:
            continue
        shown = project(text, PUBLIC, ("title", "summary"))
        with translation.override(language):
            href = reverse("petitions:page", kwargs={"slug": petition.slug})
        rows.append({"title": shown.get("title", ""), "summary": shown.get("summary", ""), "href": href})
    return rows


def for_person(language: str, person: Person | None) -> SafeString | str:
    if person is None:
        return ""
    rows = open_for(person.pk, language)
    if not rows:
        return ""
    return render_to_string("actions/public/section.html", {"rows": rows})


def register() -> None:
    sections.register(sections.PROFILE, "actions.petitions_for_person", order=20)(for_person)
