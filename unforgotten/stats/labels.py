"""The registry's choice labels the statistics show, listed so this app's catalogues carry them.

The registry declares them (``registry/vocabularies.py``); ``makemessages`` run
in this app only sees strings written here, so each label a statistics page
prints is repeated below with ``gettext_noop`` (marked, not translated at import).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

STATISTICS_LABELS = (
    # Status
    gettext_noop("At large"), gettext_noop("Detained, awaiting trial"), gettext_noop("Imprisoned"),
    gettext_noop("Under house arrest"), gettext_noop("Released"), gettext_noop("In exile"),
    gettext_noop("Disappeared"), gettext_noop("Died in custody"), gettext_noop("Executed"),
    # Gender
    gettext_noop("Female"), gettext_noop("Male"), gettext_noop("Other"), gettext_noop("Unknown"),
    # Occupation
    gettext_noop("Journalist"), gettext_noop("Human-rights defender"), gettext_noop("Lawyer"),
    gettext_noop("Opposition politician"), gettext_noop("Civil-society activist"), gettext_noop("Religious figure"),
    gettext_noop("Artist or writer"), gettext_noop("Blogger"), gettext_noop("Student"), gettext_noop("Labour activist"),
    gettext_noop("Ordinary citizen"),
    # Theme
    gettext_noop("Expression"), gettext_noop("Assembly"), gettext_noop("Association"),
    gettext_noop("Religion or belief"), gettext_noop("Ethnicity or identity"),
    # RecognitionOutcome
    gettext_noop("Political prisoner"), gettext_noop("Prisoner of conscience"),
    gettext_noop("Politically motivated prosecution (not in custody)"), gettext_noop("Under review"),
    gettext_noop("Not recognised"), gettext_noop("Former political prisoner"),
)
