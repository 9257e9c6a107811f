"""``{% memo v1 v2 … %}…{% endmemo %}``: a fragment rendered once per process, language and listed values.

For the parts of a busy page that change only with a few values (a heading, the
buttons a role may use, a table's head): the template engine renders each tag of
them on every request, and on the person list that was a tenth of the request. The
fragment is kept under its template and its own source, the active language, the URL
prefix, the autoescape state and the listed values (as text), and nothing else:
whatever else it shows must not vary between requests — no CSRF token, no user
data, no form errors. Put those outside the fragment. The store is per process and
bounded (cleared when full; templates are few, and the listed values are small), and
emptied when a setting changes (tests). A deployment changes templates by restarting.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_KEPT: dict[tuple[str, ...], SafeString] = {}
_KEPT_MAX = 4096


class MemoNode(template.Node):
    def __init__(self, nodelist: NodeList, vary: list[FilterExpression], place: str) -> None:
        self.nodelist = nodelist
        self.vary = vary
        self.place = place

    def render(self, context: Any) -> SafeString:
        key = (self.place, get_language() or "", get_script_prefix(), str(context.autoescape),
               *(str(value.resolve(context)) for value in self.vary))
        found = _KEPT.get(key)
        if found is None:
            found = mark_safe(self.nodelist.render(context))  # noqa: S308  (the engine's own output, escaped by it)
            if len(_KEPT) >= _KEPT_MAX:
                _KEPT.clear()
            _KEPT[key] = found
        return found


@register.tag
def memo(parser: Parser, token: Token) -> MemoNode:
    vary = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    pending: list[Token] = list(parser.tokens)  # type: ignore[arg-type]  # consumed from the end
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    # Its place: the template and the fragment's own source, so two fragments never share an entry, also in
    # templates made from strings (which all have the same origin name) or with two fragments on one line.
    source = "\x00".join(f"{t.token_type}:{t.contents}" for t in reversed(pending[len(parser.tokens):]))
    origin = getattr(parser, "origin", None)
    place = f"{getattr(origin, 'name', '?')}:{hashlib.sha256(source.encode()).hexdigest()[:16]}"
    return MemoNode(nodelist, vary, place)


def forget(**_kwargs: Any) -> None:
    """Empty the store: a changed setting (a static files prefix, the URL configuration) may change a fragment."""
    _KEPT.clear()


setting_changed.connect(forget, dispatch_uid="core.memo.forget")
