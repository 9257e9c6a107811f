"""Text a database can store (decision 0031).

PostgreSQL refuses text holding NUL and text that is not valid Unicode (a lone
surrogate, which a JSON escape can carry); SQLite stores both, so a value left
unchecked fails on one engine only. The API's input check and its schemas'
``Text`` type ask this one function.
"""

from __future__ import annotations

NUL = "This value cannot contain a NUL character."
SURROGATE = "This value must be valid Unicode (no unpaired surrogates)."


def unstorable(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return NUL
    if not value.isascii():  # ASCII cannot hold a surrogate: the encode is skipped for most values
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return SURROGATE
    return None
