"""The exact words shown beside each consent of a letter writer, in every language; a LetterConsent stores one."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

CONSENT_WORDING = {
    "send": _("Send this letter in my name to the people this campaign writes to. My e-mail address is used only "
              "to confirm it and is never given to them."),
    "newsletter": _("Send me the organisation's newsletter."),
}


def wording(purpose: str, language: str) -> str:
    with translation.override(language):
        return str(CONSENT_WORDING[purpose])
