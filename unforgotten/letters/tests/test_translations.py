"""Issue 7 items 4, 5: what a letter writer reads exists in all seven languages (the workspace stays in English)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from unforgotten.letters.locale.generate import LANGS, T

APP = Path(__file__).resolve().parents[1]
ENTRY = re.compile(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(language: str) -> dict[str, str]:
    text = (APP / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")

    def unquote(block: str) -> str:
        return "".join(ast.literal_eval(line) for line in block.strip().splitlines())

    return {unquote(m): unquote(s) for m, s in ENTRY.findall(text)}


def _public_template_strings() -> set[str]:
    found: set[str] = set()
    for path in (APP / "templates" / "letters" / "public").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'{% translate "([^"]+)" %}', text):
            found.add(match.group(1))
        for match in re.finditer(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", text, re.S):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", match.group(1)))
    return found


@pytest.mark.parametrize("language", LANGS)
def test_it_translates_every_public_string(language: str) -> None:
    catalogue = _catalogue(language)
    wanted = set(T) | _public_template_strings()
    missing = sorted(m for m in wanted if not catalogue.get(m))
    assert missing == []
    for msgid in wanted:
        # A translation keeps every placeholder, so a translator's slip cannot crash a page or an e-mail.
        assert sorted(PLACEHOLDER.findall(catalogue[msgid])) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_the_template_scan_finds_the_public_strings() -> None:
    # The control: the scan above sees the pages' strings, so "nothing missing" means something.
    strings = _public_template_strings()
    assert "Write a letter of support" in strings and "Write to %(name)s" in strings and len(strings) > 25


@pytest.mark.parametrize("language", LANGS)
def test_it_declares_the_languages_plural_rule(language: str) -> None:
    from unforgotten.letters.locale.generate import PLURALS

    text = (APP / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert f'"Plural-Forms: {PLURALS[language]}\\n"' in text and "#, fuzzy" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [
    ("ar", "اكتب إلى"), ("fa", "بنویسید"), ("ru", "Написать"), ("es", "Escribe a"), ("fr", "Écrire à"),
    ("zh-hans", "写信给"),
])
def test_it_serves_the_letter_form_in_each_language(letters: Any, language: str, heading: str) -> None:
    body = Client().get(f"/{language}/letters/prisoners/{letters.person.slug}/").content.decode()
    assert heading in body
    direction = "rtl" if language in ("ar", "fa") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in body
