"""The registry's choice labels that public pages show, listed so the public site's catalogues carry them.

The registry declares them (``registry/vocabularies.py``); ``makemessages`` run
in this app only sees strings written here, so each one the public site prints
is repeated below with ``gettext_noop`` (marked, not translated at import).
A label missing here still shows, in English.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

PUBLIC_LABELS = (
    # Status
    gettext_noop("At large"), gettext_noop("Detained, awaiting trial"), gettext_noop("Imprisoned"),
    gettext_noop("Under house arrest"), gettext_noop("Released"), gettext_noop("In exile"),
    gettext_noop("Disappeared"), gettext_noop("Died in custody"), gettext_noop("Executed"),
    # DetentionKind
    gettext_noop("Pre-trial detention"), gettext_noop("Administrative detention"), gettext_noop("House arrest"),
    gettext_noop("Serving a sentence"), gettext_noop("Forced psychiatric detention"),
    gettext_noop("Camp or re-education facility"), gettext_noop("Enforced disappearance"),
    # ChargeStatus
    gettext_noop("Charged"), gettext_noop("Dropped"), gettext_noop("Convicted"), gettext_noop("Acquitted"),
    # SentenceType
    gettext_noop("Imprisonment"), gettext_noop("Fine"), gettext_noop("Restriction of freedom"),
    gettext_noop("Suspended sentence"), gettext_noop("Forced or corrective labour"), gettext_noop("Death sentence"),
    gettext_noop("Life imprisonment"), gettext_noop("Other"),
    # Whereabouts (only the two shown: an acknowledged place is shown as the place itself)
    gettext_noop("Not disclosed"), gettext_noop("Detention denied"),
    # HearingOutcome
    gettext_noop("Adjourned"), gettext_noop("Detention extended"), gettext_noop("Verdict upheld"),
    gettext_noop("Sentence reduced"), gettext_noop("Verdict overturned"),
    # RecognitionOutcome (the headline outcomes)
    gettext_noop("Political prisoner"), gettext_noop("Prisoner of conscience"),
    gettext_noop("Politically motivated prosecution (not in custody)"), gettext_noop("Under review"),
    gettext_noop("Former political prisoner"),
    # Occupation
    gettext_noop("Journalist"), gettext_noop("Human-rights defender"), gettext_noop("Lawyer"),
    gettext_noop("Opposition politician"), gettext_noop("Civil-society activist"), gettext_noop("Religious figure"),
    gettext_noop("Artist or writer"), gettext_noop("Blogger"), gettext_noop("Student"), gettext_noop("Labour activist"),
    gettext_noop("Ordinary citizen"),
)
