"""HTML to PDF for every document the platform prints: dossiers, WGAD drafts, petition deliveries,
letter batches, monthly reports.

One door so that every PDF gets the same two guarantees:
- nothing is fetched from the network or from arbitrary files: a template that names
  ``https://…`` or ``file:///etc/passwd`` gets nothing (WeasyPrint would otherwise fetch
  it, which is both a leak of who is reading and a server-side request forgery). Only
  ``data:`` URLs and files under the project's own static folders are read;
- text is shaped by HarfBuzz through WeasyPrint, with the Noto fonts the system install
  provides (Arabic, Persian, CJK), so right-to-left text comes out in logical order.

Callers build the HTML from a projection (never from raw records) and pass it here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# Fonts that cover the scripts of the supported languages, in the order the
# browser-like fallback should try them; the system install ships them.
FONT_STACK = '"Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans", sans-serif'

BASE_CSS = f"""
@page {{ size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; }} }}
html {{ font-family: {FONT_STACK}; font-size: 10.5pt; line-height: 1.45; color: #111; }}
h1, h2, h3 {{ line-height: 1.2; }}
[dir="rtl"] {{ text-align: start; }}
"""


class PDFRefusedResource(Exception):
    """A document asked for a resource the PDF renderer will not fetch."""


def _static_roots() -> list[Path]:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    roots: list[Path] = []
    for finder in finders.get_finders():
        locations = getattr(finder, "locations", None)
        if locations:
            roots.extend(Path(loc[1] if isinstance(loc, tuple) else loc).resolve() for loc in locations)
        storages = getattr(finder, "storages", None)
        if storages:
            for storage in storages.values():
                location = getattr(storage, "location", None)
                if location:
                    roots.append(Path(location).resolve())
    static_root = getattr(settings, "STATIC_ROOT", None)
    if static_root:
        roots.append(Path(static_root).resolve())
    return roots


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Reads ``data:`` URLs and files under the static folders; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                for root in _static_roots():
                    if path.is_relative_to(root) and path.is_file():
                        return URLFetcherResponse(url, body=path.read_bytes())
            # Not fatal: the document renders without the resource, and a test can
            # see the refusal through ``refused``.
            self.refused.append(url)
            raise ValueError(f"resource refused by the PDF renderer: {url[:80]}")

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
            self.refused: list[str] = []

    return LocalOnlyFetcher


def render_pdf(html: str, *, extra_css: str = "", refused: list[str] | None = None) -> bytes:
    """Render ``html`` (a whole document or a fragment) to PDF bytes.

    ``refused``, when given, receives every URL the document asked for and did not get.
    """
    from weasyprint import CSS, HTML

    fetcher = _fetcher_class()()
    document = HTML(string=html, base_url="file:///nonexistent/", url_fetcher=fetcher)
    stylesheets = [CSS(string=BASE_CSS + extra_css, url_fetcher=fetcher)]
    pdf: bytes = document.write_pdf(stylesheets=stylesheets)
    if refused is not None:
        refused.extend(fetcher.refused)
    return pdf
