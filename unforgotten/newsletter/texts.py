"""The consent wordings, kept word for word with every consent event (in the language shown)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def sign_up_consent() -> str:
    return _("I want to receive the newsletter about political prisoners by e-mail. I can unsubscribe at any time "
             "with the link in every e-mail.")


def confirm_consent() -> str:
    return _("Yes, send me the newsletter.")


def withdrawal() -> str:
    return _("Unsubscribe me from the newsletter.")
