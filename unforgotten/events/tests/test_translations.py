"""Issue 7 item 6: the public event pages, the RSVP form, its e-mails and the consent exist in all seven languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from unforgotten.events import wording
from unforgotten.events.testing import make_vigil

LOCALE = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("ar", "fa", "ru", "es", "fr", "zh_Hans")
SINGLE = re.compile(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)
PLURAL_FORMS = re.compile(r'^msgstr\[(\d)\] ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)
NPLURALS = {"ar": 6, "fa": 2, "ru": 3, "es": 2, "fr": 2, "zh_Hans": 1}


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_a_translation_for_every_string_with_every_plural_form(language: str) -> None:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = SINGLE.findall(text)
    assert len(entries) > 60
    assert [msgid for msgid, msgstr in entries[1:] if msgstr.strip() == '""'] == []
    plurals = PLURAL_FORMS.findall(text)
    assert len(plurals) == 2 * NPLURALS[language]
    assert all(form.strip() != '""' for _index, form in plurals)
    assert f"nplurals={NPLURALS[language]};" in text and "#, fuzzy" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [
    ("ar", "الفعاليات"), ("fa", "رویدادها"), ("ru", "Мероприятия"), ("es", "Eventos"), ("fr", "Événements"),
    ("zh-hans", "活动"),
])
def test_it_serves_the_events_list_in_each_language(cast: Any, language: str, heading: str) -> None:
    body = Client().get(f"/{language}/events/").content.decode()
    assert f"<h1>{heading}</h1>" in body
    direction = "rtl" if language in ("ar", "fa") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in body


def test_it_stores_the_consent_in_the_language_shown_with_the_right_plural(settings: Any) -> None:
    settings.EVENT_ANONYMISE_MONTHS = 1
    assert wording.consent("fr").startswith("Utilisez mon adresse") and "1 mois" in wording.consent("fr")
    settings.EVENT_ANONYMISE_MONTHS = 3
    assert "3 месяца" in wording.consent("ru")
    settings.EVENT_ANONYMISE_MONTHS = 5
    assert "5 месяцев" in wording.consent("ru")
    with translation.override("en"):
        assert "3 months" not in wording.consent("en") and "5 months" in wording.consent("en")


@pytest.mark.django_db
def test_it_shows_the_rsvp_form_in_arabic_right_to_left(cast: Any) -> None:
    make_vigil(cast)
    body = Client().get("/ar/events/vigil-for-maryia/rsvp/").content.decode()
    assert 'dir="rtl"' in body and "أرسل تسجيلي" in body and "ضع علامة" not in body
