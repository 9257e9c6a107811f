"""Phonetic reduction of romanised name tokens.

Romanisations of one name differ mostly in vowels, doubled consonants and the
spelling of a few sounds (sh/ch/zh/ts, ph/f, kh/h, c/k/q, w/v/u). ``phonetic``
rewrites a lower-case ASCII token into a coarse sound string: consonants
become one letter per class and each vowel run one vowel. ``skeleton`` keeps
the consonant classes only, which is what abjad scripts (Arabic, Hebrew) and
epenthetic scripts (kana, Hangul) agree on best with Latin spellings.

Classes: ``b`` (b p f v ph), ``d`` (d t th dh), ``k`` (k g c q x ck kh gh),
``s`` (s z c ts tz), ``j`` (sh ch zh j cz sz), ``l`` (l r), ``m``, ``n`` (n ng),
``h`` and ``w`` (dropped from the skeleton), vowels ``a e i o u``.
"""

from __future__ import annotations

from functools import lru_cache

_VOWELS = frozenset("aeiouy")

# Vowel runs → one representative (the nucleus), after glides are removed.
_VOWEL_RUNS = {
    "ou": "u", "oo": "u", "ue": "u", "ui": "i", "uo": "o", "ua": "a", "uu": "u",
    "ee": "i", "ie": "i", "ia": "a", "io": "o", "iu": "u", "ii": "i",
    "ei": "e", "ey": "e", "ai": "e", "ae": "e", "ay": "e", "ea": "i", "eo": "o",
    "eu": "u", "oe": "e", "oi": "o", "oa": "o", "au": "o", "aa": "a", "ao": "o",
}


_VOWEL_CLASS = {"o": "u", "e": "i"}


def _vowel(run: str) -> str:
    rep = _vowel_nucleus(run)
    return _VOWEL_CLASS.get(rep, rep)


def _vowel_nucleus(run: str) -> str:
    core = run.replace("y", "i")
    if len(core) >= 2:
        if run.startswith("y") and len(run) >= 2:
            core = core[1:]
        rep = _VOWEL_RUNS.get(core[:2])
        if rep is not None:
            return rep
        return core[0]
    return core


@lru_cache(maxsize=500_000)
def phonetic(token: str) -> str:
    """The coarse sound string of a lower-case ASCII token (see module doc)."""
    s = "".join(c for c in token if "a" <= c <= "z")
    n = len(s)
    out: list[str] = []
    i = 0

    def at(k: int) -> str:
        return s[k] if 0 <= k < n else ""

    while i < n:
        c = s[i]
        if c in _VOWELS:
            j = i
            while j < n and s[j] in _VOWELS:
                j += 1
            run = s[i:j]
            # A lone y (or y before a vowel) at the start is a consonant glide.
            out.append(_vowel(run))
            i = j
            continue
        nxt = at(i + 1)
        nxt2 = at(i + 2)
        cls = ""
        step = 1
        if c == "s":
            if nxt == "c" and nxt2 == "h":
                cls, step = "j", 3
                if at(i + 3) == "t" and at(i + 4) == "s":  # rare spellings
                    step = 3
            elif nxt == "h":
                cls, step = "j", 2
                if nxt2 == "c" and at(i + 3) == "h":  # shch
                    step = 4
            elif nxt == "z":
                cls, step = "j", 2
            else:
                cls = "s"
        elif c == "c":
            if nxt == "h":
                cls, step = ("k", 2) if nxt2 in ("r", "l") else ("j", 2)
            elif nxt == "z" or nxt == "s":
                cls, step = "j", 2
            elif nxt == "k":
                cls, step = "k", 2
            elif nxt in ("e", "i", "y"):
                cls = "s"
            else:
                cls = "k"
        elif c == "t":
            if nxt == "h":
                cls, step = "d", 2
            elif nxt == "c" and nxt2 == "h":
                cls, step = "j", 3
            elif nxt in ("s", "z"):
                cls, step = "s", 2
                if nxt == "s" and nxt2 == "c" and at(i + 3) == "h":
                    cls, step = "j", 4
            else:
                cls = "d"
        elif c == "d":
            if nxt == "h":
                cls, step = "d", 2
            elif nxt in ("j", "z"):
                cls, step = "j", 2
                if nxt == "z" and nxt2 == "h":
                    step = 3
            else:
                cls = "d"
        elif c == "z":
            if nxt == "h":
                cls, step = "j", 2
            elif nxt == "s":
                cls, step = "j", 2
            else:
                cls = "s"
        elif c == "k":
            cls, step = ("k", 2) if nxt == "h" else ("k", 1)
        elif c == "g":
            if nxt == "h":
                # English silent gh (Dwight, Hugh) after a vowel, else a fricative.
                if at(i - 1) in _VOWELS and (nxt2 == "t" or nxt2 == ""):
                    cls, step = "", 2
                else:
                    cls, step = "k", 2
            elif nxt == "i" and nxt2 in ("a", "o", "u") and nxt2:
                cls, step = "j", 2  # Italian gia, gio, giu
            else:
                cls = "k"
        elif c == "q":
            if nxt == "i":
                cls = "j"  # pinyin qi
            else:
                cls = "k"
                if nxt == "u" and nxt2 in _VOWELS:
                    step = 2
        elif c == "x":
            if i == 0:
                cls = "s"
            else:
                out.append("k")
                cls = "s"
        elif c == "p":
            cls, step = ("b", 2) if nxt == "h" else ("b", 1)
        elif c in "bfv":
            cls = "b"
        elif c == "j":
            cls = "j"
        elif c in "lr":
            cls = "l"
        elif c == "m":
            cls = "m"
        elif c == "n":
            if nxt == "g" and (nxt2 == "" or nxt2 not in _VOWELS):
                cls, step = "n", 2
            else:
                cls = "n"
        elif c == "h":
            cls = "h"
        elif c == "w":
            if nxt == "h":
                step = 2
            cls = "w"
        if cls and (not out or out[-1] != cls):
            out.append(cls)
        i += step
    # w is a glide before a vowel, part of the vowel after one, else v (Wladimir).
    res: list[str] = []
    last = len(out) - 1
    for k, ch in enumerate(out):
        if ch == "w":
            if k < last and out[k + 1] in _VOWEL_CLASSES:
                pass
            elif k > 0 and out[k - 1] in _VOWEL_CLASSES:
                continue
            else:
                ch = "b"
        if res and res[-1] == ch:
            continue
        res.append(ch)
    return "".join(res)


_VOWEL_CLASSES = frozenset("aeiou")
_SKELETON_DROP = frozenset("aeiouhw")


@lru_cache(maxsize=500_000)
def phon_skeleton(phon: str) -> str:
    """The skeleton of a sound string (see ``skeleton``)."""
    out: list[str] = []
    for ch in phon:
        if ch in _SKELETON_DROP:
            continue
        if ch == "m":
            ch = "n"
        elif ch == "j":
            ch = "s"
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def skeleton(token: str) -> str:
    """Consonant classes only, ``m`` folded into ``n`` and ``j`` into ``s``, runs collapsed."""
    return phon_skeleton(phonetic(token))


# ------------------------------------------------------------------ particles

# Name particles, by family: a particle matches any particle of its family.
PARTICLES: dict[str, str] = {}
for _family, _words in {
    "al": "al el ul il ad ar as ash at az adh ath an ud ur us ut ed er es et ez",
    "bin": "bin ben ibn ibni bn binti bint bte bt ben bat",
    "abu": "abu abou abo bou abi",
    "umm": "umm um oum",
    "abd": "abd abdul abdel abdal abdol abdoul abdil abdur abdus abdulla",
    "ould": "ould wuld",
    "ag": "ag",
    "oglu": "oglu ogly oglou ugli uly uuly ulu",
    "kyzy": "kyzy kizi qizi gizi kyzi kizy",
    "van": "van von vom vander vanden vande",
    "de": "de di da du do del dela della delle dei degli des dos das der den ter ten la le lo zu",
    "mac": "mac mc",
    "ap": "ap ab",
    "o": "o",
}.items():
    for _w in _words.split():
        PARTICLES.setdefault(_w, _family)

# Particles that may stand alone only when hyphen-attached (sun letters).
HYPHEN_ONLY_PARTICLES = frozenset(
    "ad ar as ash at az adh ath an ud ur us ut ed er es et ez il ul bn bt ab o".split()
)

PATRONYMIC_SUFFIXES = (
    "ovich", "evich", "ovych", "evych", "ovna", "evna", "ivna", "ichna", "ovic",
    "oglu", "ogly", "uly", "kyzy", "qizi", "ovitch", "ievich", "yevich",
)


_SUFFIX_FAMILIES = frozenset({"oglu", "kyzy"})


def particle_family(token: str, hyphen_attached: bool, position: int = 0, count: int = 2) -> str:
    """The particle family of ``token`` or ``""`` if it is a name proper.

    Particles precede the name they belong to (``al``, ``van``, ``bin``); the
    Turkic patronymic markers follow it (``oglu``, ``kyzy``). A word alone, or
    in the wrong place, is a name.
    """
    family = PARTICLES.get(token, "")
    if not family:
        return ""
    if token in HYPHEN_ONLY_PARTICLES and not hyphen_attached:
        return ""
    if family in _SUFFIX_FAMILIES:
        return family if position > 0 else ""
    return family if position < count - 1 else ""


def is_patronymic(token: str) -> bool:
    return len(token) >= 7 and token.endswith(PATRONYMIC_SUFFIXES)
