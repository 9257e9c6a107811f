"""Every URL pattern the project serves, enumerated from the resolver (used by the matrix test)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the pattern itself when unnamed
    pattern: str
    name: str | None
    converters: tuple[str, ...]


def all_routes() -> list[Route]:
    out: list[Route] = []
    _walk(get_resolver().url_patterns, "", "", out)
    return out


def _walk(patterns: Sequence[Any], prefix: str, namespace: str, out: list[Route]) -> None:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}{p.namespace}:"
            _walk(p.url_patterns, prefix + str(p.pattern), ns, out)
        elif isinstance(p, URLPattern):
            full = prefix + str(p.pattern)
            name = f"{namespace}{p.name}" if p.name else None
            converters = tuple(getattr(p.pattern, "converters", {}).keys())
            out.append(Route(key=name or full, pattern=full, name=name, converters=converters))
