"""A draft individual communication to the UN Working Group on Arbitrary Detention, built from the case.

The sections follow the model questionnaire (OHCHR Fact Sheet No. 26, annex;
shared/brief/data-model.md): 1 identity, 2 arrest, 3 detention, 4 circumstances
and why the detention is arbitrary (categories I–V), 5 domestic remedies,
6 submitter. Each answer comes from the registry (through the projection for the
person drafting: staff, or the case team, never unsealed) or from the draft's
own answers (``WGADDraft``) for what the registry does not hold (identity
document, place of arrest, forces, warrant…). Whatever is missing is named in
the admissibility checklist, item by item, so a case with almost nothing still
gives a draft that says what to find.

Exported as PDF (``core.pdf.render_pdf``) and as DOCX (python-docx), the form a
lawyer edits before sending.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from unforgotten.advocacy import vocabularies as av
from unforgotten.advocacy.dossier import choice, fmt_country, fmt_day, fmt_partial
from unforgotten.advocacy.models import LegalAction, WGADDraft
from unforgotten.core.partialdate import PartialDate, UnknownPartialDate, days_between
from unforgotten.policy.projection import Audience, project, record_sensitivity
from unforgotten.registry import vocabularies as rv
from unforgotten.registry.models import (
    Case,
    Charge,
    CriterionAssessment,
    DetentionPeriod,
    LawArticle,
    Person,
    RecognitionDecision,
    Sentence,
)

CATEGORY_TITLES = dict(rv.CRITERIA[rv.Framework.WGAD])


@dataclass
class Answer:
    label: str
    value: str
    missing: bool = False


@dataclass
class Part:
    number: int
    title: str
    answers: list[Answer] = field(default_factory=list)

    def add(self, label: str, value: str, *, required: bool = True) -> None:
        text = (value or "").strip()
        if text or not required:
            self.answers.append(Answer(label, text or "—"))
        else:
            self.answers.append(Answer(label, _("MISSING"), missing=True))


@dataclass
class Draft:
    case: Case
    parts: list[Part]
    missing: list[str]
    made_on: date

    @property
    def complete(self) -> bool:
        return not self.missing


def _shown(obj: Any, audience: Audience, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    if obj is None or not audience.may_see(record_sensitivity(obj)):
        return {}
    return project(obj, audience, fields)


def _article(article: LawArticle, audience: Audience) -> str:
    a = _shown(article, audience)
    if not a:
        return ""
    part = _(", part %(part)s") % {"part": a["part"]} if a.get("part") else ""
    return _("%(code)s, article %(article)s%(part)s (%(country)s)") % {
        "code": a.get("code", ""), "article": a.get("article", ""), "part": part, "country": a.get("country", "")}


def build(case: Case, audience: Audience, today: date) -> Draft:
    """The draft for ``case`` as ``audience`` may read it, with the checklist of what is missing."""
    lang = "en"
    person: Person = case.person
    p = _shown(person, audience)
    c = _shown(case, audience)
    draft_obj = WGADDraft.objects.filter(case=case).first()
    d = _shown(draft_obj, audience) if draft_obj is not None else {}
    names = [n for n in (_shown(x, audience, ("text", "is_primary")) for x in person.names.all()) if n.get("text")]
    full_name = next((n["text"] for n in names if n.get("is_primary")), names[0]["text"] if names else "")
    charges = [(ch, _shown(ch, audience)) for ch in Charge.objects.filter(case=case).select_related("law_article")]
    legal_basis = "; ".join(_article(ch.law_article, audience) for ch, shown in charges if "law_article_id" in shown)
    charge_lines = "; ".join(
        " ".join(x for x in (_article(ch.law_article, audience) if "law_article_id" in shown else "",
                             str(shown.get("wording") or "")) if x)
        for ch, shown in charges if shown)
    detentions = [(x, _shown(x, audience)) for x in DetentionPeriod.objects.filter(person=person)
                  .select_related("facility").order_by("start", "id")]
    detentions = [(x, s) for x, s in detentions if s and (x.case_id in (None, case.pk))]
    starts = [s["start"] for _x, s in detentions if s.get("start") is not None and not s["start"].is_unknown]
    first_start: PartialDate | None = min(starts, key=lambda x: x.sort_key()) if starts else None
    sentences = [s for s in (_shown(x, audience) for x in Sentence.objects.filter(case=case)) if s]

    parts: list[Part] = []
    with translation.override(lang):
        # 1. Identity
        identity = Part(1, _("Identity"))
        identity.add(_("Family name"), str(d.get("family_name") or ""))
        identity.add(_("First name(s)"), str(d.get("given_names") or ""))
        identity.add(_("Full name as recorded"), full_name, required=False)
        gender = p.get("gender")
        identity.add(_("Sex"), choice(Person, "gender", gender) if gender not in (None, "", "unknown") else "")
        birth = p.get("birth_date")
        identity.add(_("Birth date or age"), fmt_partial(birth, lang) if birth is not None else "")
        identity.add(_("Nationality(ies)"), ", ".join(fmt_country(x, lang) for x in p.get("citizenships") or []))
        identity.add(_("Identity document (type, issuing authority, date, number)"), str(d.get("id_document") or ""))
        occupation = choice(Person, "occupation", p.get("occupation")) if p.get("occupation") not in (None, "",
                                                                                                     "other") else ""
        detail = str(p.get("occupation_detail") or "")
        identity.add(_("Profession or activity"), ", ".join(x for x in (occupation, detail) if x))
        identity.add(_("Address of usual residence"), str(d.get("residence") or ""))
        parts.append(identity)

        # 2. Arrest
        arrest = Part(2, _("Arrest"))
        arrest.add(_("Date of arrest"), fmt_partial(first_start, lang) if first_start else "")
        arrest.add(_("Place of arrest"), str(d.get("arrest_place") or ""))
        arrest.add(_("Forces who carried out the arrest"),
                   str(d.get("arrest_forces") or c.get("investigating_agency") or ""))
        warrant = d.get("warrant_shown")
        arrest.add(_("Was a warrant or other decision by a public authority shown?"),
                   choice(WGADDraft, "warrant_shown", warrant) if warrant not in (None, "", "unknown") else "")
        arrest.add(_("Authority that issued the warrant or decision"), str(d.get("warrant_authority") or ""),
                   required=warrant == "yes")
        arrest.add(_("Reasons for the arrest given by the authorities"),
                   str(d.get("arrest_reasons") or charge_lines))
        arrest.add(_("Legal basis, including the legislation applied"), legal_basis)
        parts.append(arrest)

        # 3. Detention
        detention = Part(3, _("Detention"))
        detention.add(_("Date of detention"), fmt_partial(first_start, lang) if first_start else "")
        duration = ""
        if first_start is not None:
            ends = [s.get("end") for _x, s in detentions]
            ongoing = any(e is None or e.is_unknown for e in ends)
            last_end = max((e for e in ends if e is not None and not e.is_unknown), key=lambda x: x.sort_key(),
                           default=None)
            try:
                span = days_between(first_start, today if ongoing or last_end is None else last_end)
                qualifier = {"exact": "", "at_least": _("at least") + " ", "at_most": _("at most") + " "}[span.qualifier]
                duration = _("%(q)s%(n)s days%(ongoing)s") % {"q": qualifier, "n": span.figure,
                                                             "ongoing": " " + _("(and continuing)") if ongoing else ""}
            except (UnknownPartialDate, ValueError):
                duration = ""
        detention.add(_("Duration of detention"), duration)
        detention.add(_("Forces holding the detainee"), str(d.get("detention_forces") or ""))
        places = []
        for x, s in detentions:
            fac = _shown(x.facility, audience, ("name", "place", "country")) if x.facility and "facility_id" in s else {}
            where = ", ".join(v for v in (fac.get("name", ""), fac.get("place", ""),
                                          fmt_country(fac.get("country", ""), lang)) if v) or _("place not recorded")
            start = fmt_partial(s.get("start"), lang) if s.get("start") is not None else ""
            end = fmt_partial(s.get("end"), lang) if s.get("end") is not None else ""
            kind = choice(DetentionPeriod, "kind", s.get("kind"))
            places.append(f"{kind}: {where} ({start or _('date unknown')} – {end or _('present')})")
        detention.add(_("Places of detention (with transfers) and present place"), "\n".join(places))
        detention.add(_("Authorities that ordered the detention"), str(d.get("detention_authority") or ""))
        detention.add(_("Reasons for the detention given by the authorities"), charge_lines)
        basis = legal_basis
        for s in sentences:
            handed = fmt_partial(s.get("handed_down_on"), lang) if s.get("handed_down_on") is not None else ""
            basis += ("; " if basis else "") + _("sentence: %(kind)s, %(y)s y %(m)s m %(d)s d%(when)s") % {
                "kind": choice(Sentence, "sentence_type", s.get("sentence_type")), "y": s.get("years", 0),
                "m": s.get("months", 0), "d": s.get("days", 0), "when": f" ({handed})" if handed else ""}
        detention.add(_("Legal basis, including the legislation applied"), basis)
        parts.append(detention)

        # 4. Circumstances and categories
        circumstances = Part(4, _("Circumstances and why the detention is arbitrary"))
        circumstances.add(_("Circumstances of the arrest and detention"), str(d.get("circumstances") or ""))
        reasoning: dict[str, str] = dict(d.get("category_reasoning") or {})
        recorded: dict[str, str] = {}
        for decision in RecognitionDecision.objects.filter(person=person, framework=rv.Framework.WGAD):
            if not _shown(decision, audience):
                continue
            for crit in CriterionAssessment.objects.filter(decision=decision, is_exclusion=False, result="met"):
                cc = _shown(crit, audience)
                if cc.get("code") in av.WGAD_CATEGORIES:
                    recorded[cc["code"]] = str(cc.get("rationale") or "")
        for code in av.WGAD_CATEGORIES:
            text = reasoning.get(code) or recorded.get(code, "")
            if text or code in recorded:
                circumstances.add(str(CATEGORY_TITLES[code]), text or _("Met (recognition decision); "
                                                                       "give the reasoning."))
        if not any(reasoning.get(code) or recorded.get(code) for code in av.WGAD_CATEGORIES):
            circumstances.add(_("Category I–V and its reasoning"), "")
        parts.append(circumstances)

        # 5. Domestic remedies
        remedies = Part(5, _("Domestic remedies"))
        actions = [a for a in (_shown(x, audience) for x in LegalAction.objects.filter(case=case)
                               .order_by("filed_on", "id")) if a]
        lines = []
        for a in actions:
            filed = fmt_partial(a.get("filed_on"), lang) if a.get("filed_on") is not None else ""
            line = f"{choice(LegalAction, 'kind', a.get('kind'))} — {a.get('forum') or _('court not recorded')}: " \
                   f"{choice(LegalAction, 'status', a.get('status'))}"
            if filed:
                line += " (" + _("filed %(date)s") % {"date": filed} + ")"
            if a.get("outcome"):
                line += f". {a['outcome']}"
            lines.append(line)
        remedies.add(_("Steps taken with legal and administrative authorities, and their results"),
                     "\n".join(lines), required=False)
        remedies.add(_("Results, or why remedies were ineffective or not taken"),
                     str(d.get("remedies_explanation") or ""), required=not lines)
        if not lines and not d.get("remedies_explanation"):
            pass
        parts.append(remedies)

        # 6. Submitter
        submitter = Part(6, _("Submitter"))
        submitter.add(_("Full name of the submitter"), str(d.get("submitter_name") or ""))
        submitter.add(_("Address"), str(d.get("submitter_address") or ""))
        submitter.add(_("Telephone or e-mail"), ", ".join(x for x in (str(d.get("submitter_phone") or ""),
                                                                     str(d.get("submitter_email") or "")) if x))
        consent = d.get("consent_to_submit")
        submitter.add(_("The person or the family agrees to the submission"),
                      choice(WGADDraft, "consent_to_submit", consent) if consent == "yes" else "")
        submitter.add(_("Date"), fmt_day(today, lang), required=False)
        submitter.add(_("Signature"), "", required=False)
        parts.append(submitter)

        missing = [_("%(n)s. %(part)s — %(item)s") % {"n": part.number, "part": part.title, "item": a.label}
                   for part in parts for a in part.answers if a.missing]
    return Draft(case, parts, missing, today)


def render_html(draft: Draft, *, recipient: str = "", copy: str = "") -> str:
    with translation.override("en"):
        return render_to_string("advocacy/wgad.html", {"draft": draft, "recipient": recipient, "copy": copy})


def to_pdf(draft: Draft, *, recipient: str = "", copy: str = "") -> bytes:
    from unforgotten.core.pdf import render_pdf

    return render_pdf(render_html(draft, recipient=recipient, copy=copy))


def to_docx(draft: Draft, *, recipient: str = "", copy: str = "") -> bytes:
    """The same draft as a Word document: headings per questionnaire section, the checklist first."""
    from docx import Document

    doc = Document()
    with translation.override("en"):
        doc.add_heading(_("Draft communication to the Working Group on Arbitrary Detention"), level=0)
        if recipient or copy:
            doc.add_paragraph(_("Prepared for %(recipient)s · copy %(copy)s · %(date)s") % {
                "recipient": recipient, "copy": copy, "date": draft.made_on.isoformat()})
        doc.add_heading(_("Admissibility checklist"), level=1)
        if draft.missing:
            doc.add_paragraph(_("Missing before this can be submitted:"))
            for item in draft.missing:
                doc.add_paragraph(item, style="List Bullet")
        else:
            doc.add_paragraph(_("Every item of the questionnaire is answered."))
        for part in draft.parts:
            doc.add_heading(f"{part.number}. {part.title}", level=1)
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for answer in part.answers:
                cells = table.add_row().cells
                cells[0].text = answer.label
                cells[1].text = answer.value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
