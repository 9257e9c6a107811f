"""The words an attendee reads: the consent kept word for word with each RSVP, and the e-mails."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def consent(language: str) -> str:
    """The exact wording beside the box on the RSVP form, in the language shown (stored with the RSVP)."""
    months = int(settings.EVENT_ANONYMISE_MONTHS)
    with translation.override(language):
        return ngettext(
            "Use my e-mail address only for this event: to confirm my RSVP and send me the practical details. "
            "It is erased %(months)d month after the event.",
            "Use my e-mail address only for this event: to confirm my RSVP and send me the practical details. "
            "It is erased %(months)d months after the event.", months) % {"months": months}


def mail(template: str, context: dict[str, str], details: dict[str, str]) -> tuple[str, str]:
    """(subject, body) of one e-mail, in the active language."""
    title = context.get("title", "")
    if template == "confirm":
        return (_("Please confirm your RSVP: %(title)s") % {"title": title},
                _("Thank you for your RSVP to \"%(title)s\".\n\nOpen this link and press the button on the page to "
                  "confirm it:\n\n%(link)s\n\nIf it was not you, ignore this message: nothing happens, and the "
                  "request is deleted.") % {"title": title, "link": context.get("confirm", "")})
    if template == "details":
        lines = [_("Your RSVP to \"%(title)s\" is confirmed.") % {"title": title}, ""]
        if details.get("location"):
            lines += [_("Place: %(place)s") % {"place": details["location"]}]
        if details.get("link"):
            lines += [_("Online: %(link)s") % {"link": details["link"]}]
        lines += ["", _("Please do not pass these details on: the organisers give them only to people who RSVP."),
                  "", _("To see the details again or to cancel your RSVP:"), "", context.get("manage", "")]
        return _("Your RSVP is confirmed: %(title)s") % {"title": title}, "\n".join(lines)
    if template == "already":
        return (_("You have already RSVPed: %(title)s") % {"title": title},
                _("Someone (probably you) sent an RSVP to \"%(title)s\" again with this address. Your RSVP is "
                  "already confirmed. To see the details or to cancel:\n\n%(link)s") % {
                    "title": title, "link": context.get("manage", "")})
    if template == "cancelled":
        return (_("Cancelled: %(title)s") % {"title": title},
                _("The organisers have cancelled \"%(title)s\". Thank you for planning to come.") % {"title": title})
    raise ValueError(f"unknown mail {template!r}")
