"""How the registry derives display, sort and search forms of a person's names (via the names engine)."""

from __future__ import annotations

from unforgotten.names import normalize, transliterate


def display_and_sort_name(primary: str) -> tuple[str, str]:
    """The primary name as written, and a script-independent key that sorts the list."""
    text = " ".join(primary.split())
    return text[:300], transliterate(normalize(text)).lower()[:300]


def search_key(text: str) -> str:
    """The simple search form: normalised and transliterated, so "Мамедов" is found by "mamedov".

    The names engine's index (issue 4) replaces substring search on this column.
    """
    norm = normalize(text)
    latin = transliterate(norm).lower()
    return f"{norm} {latin}"[:400]
