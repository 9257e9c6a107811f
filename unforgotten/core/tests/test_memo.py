"""The memo fragment: rendered once per place, language and listed values; nothing else may leak between requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from unforgotten.core.templatetags import memo


@pytest.fixture(autouse=True)
def _empty_store() -> Any:
    memo.forget()
    yield
    memo.forget()


def _render(text: str, **context: Any) -> str:
    return Template("{% load memo i18n %}" + text).render(Context(context))


def test_it_renders_a_fragment_once_per_listed_value() -> None:
    text = "{% memo role %}[{{ role }}:{{ secret }}]{% endmemo %}"
    assert _render(text, role="editor", secret="first") == "[editor:first]"
    # Not listed, so not looked at again: the contract is that such values never vary.
    assert _render(text, role="editor", secret="second") == "[editor:first]"
    assert _render(text, role="viewer", secret="third") == "[viewer:third]"


def test_it_keeps_fragments_of_different_templates_made_from_strings_apart() -> None:
    assert _render("{% memo %}<i>{{ a }}</i>{% endmemo %}", a="1") == "<i>1</i>"
    assert _render("{% memo %}<u>{{ a }}</u>{% endmemo %}", a="2") == "<u>2</u>"


def test_it_keeps_two_fragments_of_one_line_apart() -> None:
    text = "{% memo %}<a>{{ a }}</a>{% endmemo %}{% memo %}<b>{{ b }}</b>{% endmemo %}"
    assert _render(text, a="1", b="2") == "<a>1</a><b>2</b>"
    assert _render(text, a="x", b="y") == "<a>1</a><b>2</b>"


def test_it_keeps_each_language_its_own_fragment() -> None:
    text = '{% memo %}{% translate "Statistics" %}{% endmemo %}'
    with translation.override("en"):
        english = _render(text)
    with translation.override("ar"):
        arabic = _render(text)
    assert english == "Statistics"
    assert arabic != english


def test_it_escapes_as_the_engine_does_and_keys_the_autoescape_state() -> None:
    text = "{% memo kind %}{{ kind }}{% endmemo %}"
    assert _render(text, kind="<b>") == "&lt;b&gt;"
    off = Template("{% load memo %}{% autoescape off %}" + text + "{% endautoescape %}")
    assert off.render(Context({"kind": "<b>"})) == "<b>"


def test_it_forgets_everything_when_a_setting_changes() -> None:
    text = "{% load static %}{% memo %}{% static 'css/workspace.css' %}{% endmemo %}"
    before = _render(text)
    with override_settings(STATIC_URL="/elsewhere/"):
        assert _render(text).startswith("/elsewhere/")
    assert _render(text) == before


@pytest.mark.django_db
def test_it_gives_each_reader_their_own_buttons_and_token_on_the_person_list(cast: Any, client: Any) -> None:
    # Amal (caseworker) may add people and export; Vera (viewer) may do neither. Each page still
    # carries its own request's CSRF token, outside every fragment.
    seen = {}
    for persona in ("amal", "vera"):
        client.force_login(getattr(cast, persona))
        html = client.get("/work/registry/people/").content.decode()
        seen[persona] = html
        assert 'name="csrfmiddlewaretoken"' in html
    assert "Add a person" in seen["amal"]
    assert "Add a person" not in seen["vera"]
    assert "Export" in seen["amal"] and "Export" not in seen["vera"]
