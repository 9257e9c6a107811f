"""The advocacy toolkit an adopter receives: what to say, to whom, and how, built from the PUBLIC projection.

An adopter is outside the organisation, so the toolkit reads the prisoner's
record exactly as the public does (public fields, and consent for the name, the
story and the address for letters). It is a plain-text e-mail (through the
outbox) and the same text as a PDF to hand over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from unforgotten.advocacy.dossier import choice, fmt_partial, gather, public_profile_url
from unforgotten.advocacy.models import Adoption
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.registry.models import Person


@dataclass
class Toolkit:
    subject: str
    sections: list[tuple[str, list[str]]]

    @property
    def text(self) -> str:
        lines: list[str] = []
        for title, paragraphs in self.sections:
            lines += [title, "=" * len(title), *paragraphs, ""]
        return "\n".join(lines).strip() + "\n"


def build(adoption: Adoption, today: date) -> Toolkit:
    person = adoption.person
    with translation.override("en"):
        g = gather(person, None, PUBLIC, "en")
        name = g.name or _("the prisoner (the family has not agreed to publish the name)")
        adopter = project(adoption, PUBLIC, ("adopter_name",)).get("adopter_name") or adoption.adopter_name
        sections: list[tuple[str, list[str]]] = []
        intro = [_("Thank you for adopting %(name)s. This toolkit gives what may be said in public and what you "
                   "can do.") % {"name": name}]
        status = choice(Person, "current_status", g.person.get("current_status"))
        if status:
            since = fmt_partial(g.person.get("current_status_date"), "en")
            intro.append(_("Status: %(status)s%(since)s.") % {"status": status,
                                                               "since": (" " + _("since %(d)s") % {"d": since})
                                                               if since else ""})
        story = str(g.brief.get("summary") or g.person.get("public_summary") or "")
        if story:
            intro.append(story)
        sections.append((_("The case"), intro))
        facts = []
        for c in g.cases:
            for ch in c.get("charges", []):
                art = ch.get("article") or {}
                if art:
                    facts.append(_("Charged under %(code)s, article %(article)s (%(country)s).") % {
                        "code": art.get("code", ""), "article": art.get("article", ""),
                        "country": art.get("country", "")})
        if facts:
            sections.append((_("Charges"), facts))
        asks = [x.strip() for x in str(g.brief.get("asks") or "").split("\n") if x.strip()] or [
            _("Release %(name)s immediately and unconditionally.") % {"name": name}]
        sections.append((_("What we ask"), asks))
        actions = [
            _("Write to the authorities of the country holding the prisoner and to its embassy in your country, "
              "politely and with the exact request above."),
            _("Ask a parliamentary question, or raise the case with your foreign ministry and ask it to raise the "
              "case in bilateral meetings."),
            _("Make a public statement on the anniversary of the arrest, on 30 October or on 10 December."),
            _("Ask to observe the next hearing, with your embassy."),
            _("Tell us what you did, so we can log it and avoid repeating the same step."),
        ]
        if person.has_public_consent("contact"):
            for d in g.detentions:
                fac = d.get("facility") or {}
                if fac and (d.get("end") is None or d["end"].is_unknown):
                    actions.append(_("Send a card of solidarity to: %(where)s") % {
                        "where": ", ".join(x for x in (fac.get("name", ""), fac.get("place", "")) if x)})
        sections.append((_("What you can do"), actions))
        url = public_profile_url(person, "en")
        if url:
            sections.append((_("Public page"), [url]))
        sections.append((_("Adopter"), [str(adopter)]))
        subject = _("Advocacy toolkit: %(name)s") % {"name": name}
    return Toolkit(subject, sections)


def to_pdf(toolkit: Toolkit) -> bytes:
    from unforgotten.core.pdf import render_pdf

    with translation.override("en"):
        return render_pdf(render_to_string("advocacy/toolkit_pdf.html", {"toolkit": toolkit}))
