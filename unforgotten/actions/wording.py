"""The exact words shown beside each consent, in every language; what a Consent row stores is one of these."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unforgotten.actions.models import ConsentPurpose

CONSENT_WORDING = {
    ConsentPurpose.COUNTED: _("Count my signature on this petition. My e-mail address is used only to confirm it."),
    ConsentPurpose.CAMPAIGN_UPDATES: _("Confirm and keep me informed about this campaign by e-mail."),
    ConsentPurpose.NEWSLETTER: _("Send me the organisation's newsletter."),
    ConsentPurpose.SHOW_NAME: _("Show my given name and country among the signers."),
}


_SHOWN: dict[tuple[str, str], str] = {}


def wording(purpose: str, language: str) -> str:
    # Looked up per signature: the catalogs do not change while the process runs, so each text is translated once.
    key = (str(purpose), language)
    text = _SHOWN.get(key)
    if text is None:
        with translation.override(language):
            text = str(CONSENT_WORDING[ConsentPurpose(purpose)])
        _SHOWN[key] = text
    return text
