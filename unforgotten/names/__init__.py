"""The names engine: score and index person names across scripts.

Plain Python (no Django). ``score`` compares two names, ``NameIndex`` finds
the people whose names are closest to a query, ``explain`` says why two names
match. ``normalize``, ``detect_script``, ``transliterate`` and ``tokens`` are
the building blocks, exported for the app.
"""

from __future__ import annotations

from ._api import explain, score
from ._index import NameIndex
from ._text import detect_script, normalize
from ._tokens import tokens
from ._translit import icu_active, transliterate, use_icu

__all__ = [
    "NameIndex",
    "detect_script",
    "explain",
    "icu_active",
    "normalize",
    "score",
    "tokens",
    "transliterate",
    "use_icu",
]
