"""Entries of the public Atom feeds, and the hook other apps use to add theirs (issue 6, decision 0022).

Three feeds are built from entries: one per prisoner (``/<lang>/prisoners/<slug>/feed.atom``), one per country
(``/<lang>/countries/<code>/feed.atom``) and the urgent actions (``/<lang>/feeds/urgent.atom``). Publishing
gives the entries it owns (the profile itself, family stories); other apps add theirs by registering a
provider, usually in their ``AppConfig.ready()``, so publishing never imports them::

    from unforgotten.publishing import feeds

    @feeds.register("alerts.urgent_actions")
    def urgent(language: str, scope: feeds.Scope) -> list[feeds.Entry]:
        ...

A provider gets the feed's language and its scope (``scope.person`` for a prisoner's feed, ``scope.country``
for a country's, ``scope.urgent`` for the urgent-actions feed; nothing set is never asked) and returns
entries. The same rules as for ``publishing.sections``: read only through ``project(obj, PUBLIC)`` and
recorded consent, never a user or request (a feed is stored and served to everyone), and purge the page
store when the data behind an entry changes. A provider that raises is logged and left out.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from unforgotten.registry.models import Person

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    person: Person | None = None
    country: str = ""  # ISO 3166 alpha-2, upper case
    urgent: bool = False


@dataclass(frozen=True)
class Entry:
    title: str
    summary: str
    link: str  # absolute (SITE_URL + path)
    id: str  # stable: "urn:uuid:…"
    when: datetime.datetime | None


Provider = Callable[[str, Scope], list[Entry]]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str) -> Callable[[Provider], Provider]:
    def decorate(provider: Provider) -> Provider:
        _PROVIDERS[name] = provider
        return provider

    return decorate


def unregister(name: str) -> None:
    _PROVIDERS.pop(name, None)


def entries(language: str, scope: Scope, own: list[Entry], limit: int = 50) -> list[Entry]:
    """Publishing's own entries and every provider's, newest first, at most ``limit``."""
    found = list(own)
    for name, provider in sorted(_PROVIDERS.items()):
        try:
            found.extend(provider(language, scope))
        except Exception:  # noqa: BLE001  (one app's failure must not take the feed down)
            logger.exception("public feed provider %s failed", name)
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    found.sort(key=lambda e: (e.when or oldest, e.id), reverse=True)
    return found[:limit]


def absolute(path: str) -> str:
    return settings.SITE_URL + path
