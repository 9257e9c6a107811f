"""The OSDI shape the action APIs share (petitions, signatures, targets, events, attendances, outreaches).

OSDI (``../shared/brief/campaigns.md``) is HAL+JSON: every resource carries
``identifiers`` and ``_links`` (``self``, related collections under the ``osdi:``
prefix declared by ``curies``), and a collection is a page: ``total_records``,
``total_pages``, ``page``, ``per_page``, links to the next and previous pages and the
items under ``_embedded["osdi:<kind>"]``. Links are absolute (``SITE_URL``). One
copy here, so the three APIs page and link alike.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

CURIES = [{"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}", "templated": True}]
PER_PAGE = 25
MAX_PER_PAGE = 100

# A free-form JSON object: a ninja ``Schema`` with ``extra="allow"`` drops every undeclared key when it
# validates a dict (its getter reads declared fields only), so an OSDI document is typed as a plain object.
OsdiOut = dict[str, Any]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def paging(page: int, per_page: int) -> tuple[int, int]:
    """The page asked for, within bounds (a page beyond the last is simply empty)."""
    return max(1, min(int(page), 1_000_000)), max(1, min(int(per_page), MAX_PER_PAGE))


def page_of(items: list[Any], total: int, page: int, per_page: int, kind: str, path: str) -> dict[str, Any]:
    """One page of a collection of ``total`` records, the items embedded as ``kind`` (e.g. "osdi:events")."""
    pages = max(1, -(-total // per_page))
    links: dict[str, Any] = {"self": {"href": absolute(f"{path}?page={page}&per_page={per_page}")}, "curies": CURIES}
    if page < pages:
        links["next"] = {"href": absolute(f"{path}?page={page + 1}&per_page={per_page}")}
    if page > 1:
        links["previous"] = {"href": absolute(f"{path}?page={page - 1}&per_page={per_page}")}
    return {"total_pages": pages, "per_page": per_page, "page": page, "total_records": total, "_links": links,
            "_embedded": {kind: items}}
