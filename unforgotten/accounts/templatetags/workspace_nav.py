"""The workspace's navigation links, built once per language and set of organisations.

Every workspace page carries the same dozen links; reversing and translating
them on each request cost more than some pages' own queries. The links depend
only on the language, the URL prefix, the reader's organisations and whether
they administer the platform, so the markup is kept per process under that key.
The log-out form (it carries the request's CSRF token) stays in the template.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

_BUILT: dict[tuple[Any, ...], SafeString] = {}
_BUILT_MAX = 2048


def _links(organisations: list[dict[str, str]], platform_admin: bool) -> list[tuple[str, str]]:
    links = [(reverse("workspace:organisation", args=[o["slug"]]), o["name"]) for o in organisations]
    if organisations:
        links += [
            (reverse("registry:person_list"), _("Registry")),
            (reverse("stats:dashboard"), _("Statistics")),  # stats (issue 9)
            (reverse("advocacy:home"), _("Advocacy")),  # advocacy (issue 8)
            (reverse("intake:queue"), _("Intake")),  # intake (issue 6)
            (reverse("newsletter:home"), _("Newsletter")),
            (reverse("radar:home"), _("Radar")),  # radar (issue 9)
            (reverse("alerts:board"), _("Urgent alerts")),  # alerts (issue 9)
            (reverse("letters:home"), _("Letters")),  # letters (issue 7)
            (reverse("events:home"), _("Events")),  # events (issue 7)
        ]
    if platform_admin:
        links.append((reverse("admin:index"), _("Platform admin")))
    links.append((reverse("mfa_index"), _("Security")))
    return links


@register.simple_tag(takes_context=True)
def workspace_links(context: Any) -> SafeString:
    """``<li>`` items of the workspace navigation (escaped; see the module text for the cache)."""
    organisations = context.get("my_organisations") or []
    platform_admin = bool(context.get("is_platform_admin"))
    key = (get_language(), get_script_prefix(), tuple((o["slug"], o["name"]) for o in organisations),
           platform_admin)
    found = _BUILT.get(key)
    if found is None:
        found = mark_safe("".join(  # noqa: S308  (every value below is escaped)
            f'<li><a href="{escape(href)}">{escape(str(label))}</a></li>'
            for href, label in _links(organisations, platform_admin)))
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        _BUILT[key] = found
    return found
