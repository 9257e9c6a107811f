"""Issue 6: the public forms, their e-mails and the workspace screens exist in all seven languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from unforgotten.newsletter import texts

APPS = Path(__file__).resolve().parents[2]
LANGUAGES = ("ar", "fa", "ru", "es", "fr", "zh_Hans")
ENTRY = re.compile(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)


@pytest.mark.parametrize("app", ["intake", "newsletter"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_a_translation_for_every_string(app: str, language: str) -> None:
    text = (APPS / app / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = ENTRY.findall(text)
    assert len(entries) > 30
    untranslated = [msgid for msgid, msgstr in entries[1:] if msgstr.strip() == '""']
    assert untranslated == []
    assert "#, fuzzy" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [
    ("ar", "اقترح سجينًا"), ("fa", "زندانی‌ای را معرفی کنید"), ("ru", "Предложите узника"),
    ("es", "Sugiera un preso"), ("fr", "Suggérez un prisonnier"), ("zh-hans", "推荐一名被关押者"),
])
def test_it_serves_the_suggestion_form_in_each_language(cast: object, language: str, heading: str) -> None:
    body = Client().get(f"/{language}/suggest/").content.decode()
    assert f"<h1>{heading}</h1>" in body
    direction = "rtl" if language in ("ar", "fa") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in body


def test_it_stores_the_consent_text_in_the_language_shown() -> None:
    with translation.override("es"):
        assert texts.sign_up_consent().startswith("Quiero recibir")
    with translation.override("zh-hans"):
        assert texts.confirm_consent() == "是的，请给我发送通讯。"
