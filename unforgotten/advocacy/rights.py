"""Which UDHR and ICCPR articles a prosecution offends, from what the case records.

A dossier names, beside the charges, the international guarantees the
prosecution runs against. The mapping is deliberately conservative and says
why each article is named:

- every detention of a person recognised or documented here engages the right
  to liberty (UDHR 9, ICCPR 9): it is the question every dossier raises;
- the case's theme (the right actually exercised, registry ``Theme``) names the
  freedom: expression (UDHR 19, ICCPR 19), assembly (UDHR 20, ICCPR 21),
  association (UDHR 20, ICCPR 22), religion (UDHR 18, ICCPR 18), identity
  (UDHR 2 and 7, ICCPR 26 and 27); these are the articles of WGAD category II;
- fair trial (UDHR 10 and 11, ICCPR 14) is named only where a hearing the
  audience may see was closed, held in absentia, before a special, military or
  prison court, or without full defence access (WGAD category III).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

ARTICLES: dict[str, Any] = {
    "UDHR 2": _("UDHR art. 2 (non-discrimination)"),
    "UDHR 7": _("UDHR art. 7 (equality before the law)"),
    "UDHR 9": _("UDHR art. 9 (no arbitrary arrest or detention)"),
    "UDHR 10": _("UDHR art. 10 (fair and public hearing)"),
    "UDHR 11": _("UDHR art. 11 (presumption of innocence)"),
    "UDHR 18": _("UDHR art. 18 (thought, conscience and religion)"),
    "UDHR 19": _("UDHR art. 19 (opinion and expression)"),
    "UDHR 20": _("UDHR art. 20 (peaceful assembly and association)"),
    "ICCPR 9": _("ICCPR art. 9 (liberty and security of person)"),
    "ICCPR 14": _("ICCPR art. 14 (fair trial)"),
    "ICCPR 18": _("ICCPR art. 18 (thought, conscience and religion)"),
    "ICCPR 19": _("ICCPR art. 19 (opinion and expression)"),
    "ICCPR 21": _("ICCPR art. 21 (peaceful assembly)"),
    "ICCPR 22": _("ICCPR art. 22 (freedom of association)"),
    "ICCPR 26": _("ICCPR art. 26 (equality before the law)"),
    "ICCPR 27": _("ICCPR art. 27 (rights of minorities)"),
}

BY_THEME: dict[str, tuple[str, ...]] = {
    "expression": ("UDHR 19", "ICCPR 19"),
    "assembly": ("UDHR 20", "ICCPR 21"),
    "association": ("UDHR 20", "ICCPR 22"),
    "religion": ("UDHR 18", "ICCPR 18"),
    "ethnicity_identity": ("UDHR 2", "UDHR 7", "ICCPR 26", "ICCPR 27"),
}
LIBERTY = ("UDHR 9", "ICCPR 9")
FAIR_TRIAL = ("UDHR 10", "UDHR 11", "ICCPR 14")
UNFAIR_COURTS = frozenset({"special", "military", "prison"})


def unfair_hearing(hearing: Mapping[str, Any]) -> bool:
    return (hearing.get("is_open") is False or bool(hearing.get("in_absentia"))
            or hearing.get("court_kind") in UNFAIR_COURTS
            or hearing.get("defence_access") in ("limited", "state_appointed", "denied"))


def offended(themes: Iterable[str], hearings: Iterable[Mapping[str, Any]]) -> list[str]:
    """Article codes (keys of ARTICLES) in a stable order: liberty, the freedoms, then fair trial."""
    codes: list[str] = list(LIBERTY)
    for theme in themes:
        codes.extend(BY_THEME.get(theme, ()))
    if any(unfair_hearing(h) for h in hearings):
        codes.extend(FAIR_TRIAL)
    order = list(ARTICLES)
    return sorted(dict.fromkeys(codes), key=order.index)
