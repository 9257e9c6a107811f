"""The letters' block on a prisoner's public profile: "write a letter", only where letters are accepted.

Built from the letter box (public fields), the family's consent and the live profile only; every change to a
letter box empties the public page store (``do_set_letter_box``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from unforgotten.publishing import sections

if TYPE_CHECKING:
    from unforgotten.registry.models import Person


def write_a_letter(language: str, person: Person | None) -> SafeString | str:
    if person is None:
        return ""
    from django.urls import reverse

    from unforgotten.letters.actions import accepts_letters

    if not accepts_letters(person):
        return ""
    with translation.override(language):
        href = reverse("letters_public:write", kwargs={"slug": person.slug})
    return render_to_string("letters/public/section.html", {"href": href})


def register() -> None:
    sections.register(sections.PROFILE, "letters.write", order=30)(write_a_letter)
