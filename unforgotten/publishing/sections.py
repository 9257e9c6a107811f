"""Blocks other apps add to public pages, without the public site importing them.

Two slots exist: ``HOME`` (the home page of a language: "latest alerts") and
``PROFILE`` (one person's profile: "actions open for them"). An app registers a
callable per slot, usually in its ``AppConfig.ready()``::

    from unforgotten.publishing import sections

    @sections.register(sections.PROFILE, "alerts.open_for_person", order=10)
    def open_alerts(language: str, person: Person | None) -> SafeString | str:
        ...

The callable gets the page's language and the person (``None`` on the home
page) and returns an HTML fragment. Rules for a provider, because what it
returns lands in a page stored and served to everyone:

- read only through ``project(obj, PUBLIC)`` and recorded consent; the page is
  the same for every reader, so never look at a user, a session or a request;
- return escaped HTML (``format_html``/``render_to_string``); a plain ``str``
  is escaped here, only a ``SafeString`` goes in as it is;
- return ``""`` to show nothing.

When a provider's data changes, it calls ``publishing.actions.purge_public_pages()``
in its action's transaction, like the publishing actions do.

A provider that raises does not take the page down: the block is left out and
the error is logged (the rest of the page is the family's story, which must
stay up). Tests see the failure through the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from unforgotten.registry.models import Person

logger = logging.getLogger(__name__)

HOME = "home"
PROFILE = "profile"
SLOTS = (HOME, PROFILE)

Provider = Callable[[str, "Person | None"], "SafeString | str"]


@dataclass(frozen=True)
class Section:
    name: str
    slot: str
    order: int
    provider: Provider


_REGISTRY: dict[str, dict[str, Section]] = {slot: {} for slot in SLOTS}


def register(slot: str, name: str, *, order: int = 100) -> Callable[[Provider], Provider]:
    """Add ``provider`` to ``slot`` under ``name`` (registering the same name again replaces it)."""
    if slot not in _REGISTRY:
        raise ValueError(f"unknown public page slot {slot!r}; slots are {', '.join(SLOTS)}")

    def decorate(provider: Provider) -> Provider:
        _REGISTRY[slot][name] = Section(name, slot, order, provider)
        return provider

    return decorate


def unregister(slot: str, name: str) -> None:
    _REGISTRY.get(slot, {}).pop(name, None)


def registered(slot: str) -> list[Section]:
    return sorted(_REGISTRY.get(slot, {}).values(), key=lambda s: (s.order, s.name))


def render(slot: str, language: str, person: Person | None = None) -> SafeString:
    """Every block of ``slot`` for this page, in order, each escaped unless it is already safe HTML."""
    parts: list[str] = []
    for section in registered(slot):
        try:
            fragment = section.provider(language, person)
        except Exception:  # noqa: BLE001  (one block's failure must not take a prisoner's page down)
            logger.exception("public page section %s failed", section.name)
            continue
        if fragment:
            parts.append(str(conditional_escape(fragment)))
    return mark_safe("\n".join(parts))  # noqa: S308  (each part was escaped above or was SafeString already)
