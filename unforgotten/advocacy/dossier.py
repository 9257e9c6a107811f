"""Bilingual case dossiers as PDF, built only from the projection for the dossier's audience.

Audiences (decision 0014): a dossier for the **media** is read as the public
reads (``PUBLIC``: public fields, and consent for the name, the story and health);
one for **diplomats** as a partner organisation reads (coalition fields: what
was done and what came of it, never contacts or strategy); one for **UN
mechanisms** as the organisation's staff read (internal fields too: the birth
date, the case number and investigating agency a desk officer needs to act),
because a communication to the UN is confidential. Restricted and sealed values
never reach any dossier.

The document is one HTML page rendered by ``core.pdf.render_pdf``: every
section is written in English and in the chosen second language (labels and
sentences through gettext with that language active, dates and numbers through
CLDR), the second language in its own block with ``lang`` and ``dir`` so
WeasyPrint shapes Arabic and Persian and ``pdftotext`` reads them in logical
order. The timeline is drawn with HTML boxes and an SVG line without text:
WeasyPrint does not shape Arabic inside SVG ``<text>``, so every label is HTML.
Every page carries the recipient's name and the copy's number (a fixed box,
repeated by WeasyPrint on each page).
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from unforgotten.advocacy import rights
from unforgotten.advocacy import vocabularies as av
from unforgotten.advocacy.models import Brief, Intervention, LegalAction, UNCommunication
from unforgotten.core.countries import country_name, is_country
from unforgotten.core.partialdate import PartialDate, Precision, UnknownPartialDate, days_between
from unforgotten.policy.projection import PUBLIC, Audience, project, record_sensitivity
from unforgotten.registry import vocabularies as rv
from unforgotten.registry.models import (
    Case,
    Charge,
    DetentionPeriod,
    Hearing,
    LawArticle,
    Person,
    RecognitionDecision,
    Sentence,
    StatusChange,
)

# --- audiences -----------------------------------------------------------------------------------


def dossier_audience(kind: str, owner_id: int) -> Audience:
    """The policy's audience a dossier of ``kind`` is built for (see the module docstring)."""
    if kind == av.DossierAudience.MEDIA:
        return PUBLIC
    if kind == av.DossierAudience.DIPLOMAT:
        return Audience(kind="partner", organisation_id=None)
    if kind == av.DossierAudience.UN:
        return Audience(kind="staff", organisation_id=owner_id)
    raise ValueError(f"unknown dossier audience {kind!r}")


# --- formatting in a language ----------------------------------------------------------------------


@lru_cache(maxsize=16)
def babel_locale(language: str) -> Locale:
    return Locale.parse("zh_Hans") if language == "zh-hans" else Locale.parse(language.replace("-", "_"))


def fmt_day(value: date | None, language: str) -> str:
    return format_date(value, format="long", locale=babel_locale(language)) if value else ""


def fmt_partial(value: PartialDate | None, language: str) -> str:
    """"5 March 2021", "March 2021" or "2021" in the language; "" when unknown. Never invents a day."""
    if value is None or value.is_unknown:
        return ""
    locale = babel_locale(language)
    if value.precision == Precision.DAY:
        exact = value.as_date()
        return format_date(exact, format="long", locale=locale) if exact else ""
    if value.precision == Precision.MONTH and value.year is not None and value.month is not None:
        return format_skeleton("yMMMM", date(value.year, value.month, 1), locale=locale)
    return format_skeleton("y", date(value.year or 1, 1, 1), locale=locale)


def fmt_number(value: int, language: str) -> str:
    return format_decimal(value, locale=babel_locale(language))


def fmt_country(code: str, language: str) -> str:
    return country_name(code, str(babel_locale(language))) if code and is_country(code) else ""


def choice(model: Any, field: str, value: Any) -> str:
    """The choice's label in the active language."""
    if value in (None, ""):
        return ""
    for key, text in model._meta.get_field(field).flatchoices:
        if key == value:
            return str(text)
    return str(value)


# --- gathering: every value through the projection -------------------------------------------------


def _shown(obj: Any, audience: Audience, fields: Sequence[str] | None = None) -> dict[str, Any]:
    if obj is None or not audience.may_see(record_sensitivity(obj)):
        return {}
    return project(obj, audience, fields)


@dataclass
class Gathered:
    person: dict[str, Any]
    name: str
    other_name: str
    cases: list[dict[str, Any]]
    detentions: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    interventions: list[dict[str, Any]]
    legal_actions: list[dict[str, Any]]
    communications: list[dict[str, Any]]
    brief: dict[str, Any]
    public_url: str
    audience: Audience


def _name_for(person: Person, audience: Audience, language: str) -> tuple[str, str]:
    names = [n for n in (_shown(x, audience, ("text", "script", "language", "is_primary")) for x in person.names.all())
             if n.get("text")]
    primary = next((n["text"] for n in names if n.get("is_primary")), names[0]["text"] if names else "")
    script = av.LANGUAGE_SCRIPTS.get(language, "")
    other = next((n["text"] for n in names if n.get("language") == language.split("-")[0]), "") or \
        next((n["text"] for n in names if script and n.get("script") == script and n["text"] != primary), "")
    return primary, other


def public_profile_url(person: Person, language: str) -> str:
    """The address of the person's live public profile (the dossier's language first), or "" when none is live.

    Read through the app registry rather than an import: the public site sits
    above the domain apps and this is only a question asked of its rows.
    """
    from django.apps import apps
    from django.urls import reverse

    if not apps.is_installed("unforgotten.publishing"):
        return ""
    profile_model: Any = apps.get_model("publishing", "PublicProfile")
    live = {p.language for p in profile_model.objects.live().filter(person=person)}
    if not live or not person.has_public_consent("name"):
        return ""
    chosen = next((code for code in (language, "en") if code in live), sorted(live)[0])
    with translation.override(chosen):
        path = reverse("public:profile", kwargs={"slug": person.slug})
    return settings.SITE_URL.rstrip("/") + path


def gather(person: Person, case: Case | None, audience: Audience, language: str) -> Gathered:
    """Everything a dossier shows, as projected dicts; records the audience may not know of are left out."""
    p = _shown(person, audience)
    name, other_name = _name_for(person, audience, language)
    cases_qs = [case] if case is not None else list(person.cases.all())
    cases = []
    case_ids = []
    for c in cases_qs:
        shown = _shown(c, audience)
        if not shown:
            continue
        case_ids.append(c.pk)
        charges = []
        for charge in Charge.objects.filter(case=c).select_related("law_article").order_by("id"):
            ch = _shown(charge, audience)
            if not ch:
                continue
            if "law_article_id" in ch:
                ch["article"] = _shown(charge.law_article, audience) if isinstance(charge.law_article,
                                                                                    LawArticle) else {}
            charges.append(ch)
        shown["charges"] = charges
        shown["hearings"] = [h for h in (_shown(x, audience) for x in Hearing.objects.filter(case=c).order_by(
            "held_on", "id")) if h]
        shown["sentences"] = []
        for sentence in Sentence.objects.filter(case=c).order_by("handed_down_on", "id"):
            s = _shown(sentence, audience)
            if s:
                needed = {"sentence_type", "years", "months", "days", "counts_from", "handed_down_on"}
                try:
                    s["expected_release"] = sentence.expected_release if needed <= s.keys() else None
                except ValueError:
                    s["expected_release"] = None
                shown["sentences"].append(s)
        cases.append(shown)
    detentions = []
    detention_qs = DetentionPeriod.objects.filter(person=person).select_related("facility").order_by("start", "id")
    if case is not None:
        detention_qs = detention_qs.filter(case__isnull=True) | detention_qs.filter(case=case)
    for d in detention_qs:
        shown = _shown(d, audience)
        if shown and d.facility is not None and "facility_id" in shown:
            shown["facility"] = _shown(d.facility, audience, ("name", "place", "country"))
        if shown:
            detentions.append(shown)
    statuses = [s for s in (_shown(x, audience) for x in StatusChange.objects.filter(person=person)) if s]
    decisions = []
    for decision in RecognitionDecision.objects.filter(person=person).prefetch_related("criteria"):
        dd = _shown(decision, audience)
        if dd:
            dd["criteria"] = [cc for cc in (_shown(x, audience) for x in decision.criteria.all())
                              if cc and not cc.get("is_exclusion") and cc.get("result") == "met"]
            decisions.append(dd)
    interventions = []
    for intervention in Intervention.objects.filter(case_id__in=case_ids).select_related("stakeholder"):
        shown = _shown(intervention, audience)
        if shown and "stakeholder_id" in shown:
            shown["stakeholder"] = _shown(intervention.stakeholder, audience, ("kind", "name", "institution",
                                                                               "country"))
        if shown:
            interventions.append(shown)
    legal = [x for x in (_shown(a, audience) for a in LegalAction.objects.filter(case_id__in=case_ids)
                         .order_by("filed_on", "id")) if x]
    comms = [x for x in (_shown(a, audience) for a in UNCommunication.objects.filter(case_id__in=case_ids)
                         .order_by("submitted_on", "id")) if x]
    brief_obj = Brief.objects.filter(case_id__in=case_ids).select_related("case__person").order_by("id").first()
    brief = _shown(brief_obj, audience) if brief_obj is not None else {}
    return Gathered(p, name, other_name, cases, detentions, statuses, decisions, interventions, legal, comms, brief,
                    public_profile_url(person, language), audience)


# --- sections in one language ------------------------------------------------------------------------


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    empty: str = ""


@dataclass
class Event:
    day: PartialDate
    order: int
    text: Callable[[str], str]


def _days_text(start: PartialDate, end: PartialDate | date, language: str) -> str:
    try:
        days = days_between(start, end)
    except (UnknownPartialDate, ValueError):
        return ""
    n = fmt_number(days.figure, language)
    if days.qualifier == "exact":
        return ngettext("%(n)s day", "%(n)s days", days.figure) % {"n": n}
    if days.qualifier == "at_least":
        return ngettext("at least %(n)s day", "at least %(n)s days", days.figure) % {"n": n}
    return ngettext("at most %(n)s day", "at most %(n)s days", days.figure) % {"n": n}


def _article_label(article: dict[str, Any]) -> str:
    if not article:
        return ""
    part = _(", part %(part)s") % {"part": article["part"]} if article.get("part") else ""
    return _("%(code)s, article %(article)s%(part)s (%(country)s)") % {
        "code": article.get("code", ""), "article": article.get("article", ""), "part": part,
        "country": article.get("country", "")}


def _length(s: dict[str, Any], language: str) -> str:
    parts = []
    for key, singular, plural in (("years", "%(n)s year", "%(n)s years"), ("months", "%(n)s month", "%(n)s months"),
                                  ("days", "%(n)s day", "%(n)s days")):
        n = int(s.get(key) or 0)
        if n:
            parts.append(ngettext(singular, plural, n) % {"n": fmt_number(n, language)})
    return ", ".join(parts)


def sections(g: Gathered, language: str, today: date, translated: str = "") -> list[Section]:
    """The dossier's sections with the given language active; ``translated`` picks the brief's translation."""
    p = g.person
    out: list[Section] = []
    use_translation = bool(translated) and g.brief.get("translation_language") == translated

    def brief_text(key: str) -> str:
        if use_translation and g.brief.get(f"{key}_translation"):
            return str(g.brief[f"{key}_translation"])
        if not translated:
            return str(g.brief.get(key) or "")
        return ""

    # Summary
    summary = Section("summary", _("Summary"))
    text = brief_text("summary") or (str(p.get("public_summary") or "") if not translated else "")
    if text:
        summary.paragraphs.extend(x.strip() for x in text.split("\n\n") if x.strip())
    status = choice(Person, "current_status", p.get("current_status"))
    shown_name = g.other_name if translated and g.other_name else g.name
    if status and shown_name:
        since = fmt_partial(p.get("current_status_date"), language)
        if since:
            summary.paragraphs.append(_("%(name)s: %(status)s since %(date)s.") % {
                "name": shown_name, "status": status, "date": since})
        else:
            summary.paragraphs.append(_("%(name)s: %(status)s.") % {"name": shown_name, "status": status})
    if not summary.paragraphs:
        summary.empty = _("No summary has been written for this audience yet.")
    out.append(summary)

    # The person
    person = Section("person", _("The person"))
    if g.name:
        person.rows.append((_("Name"), g.name))
    if g.other_name:
        person.rows.append((_("Name in the second language"), g.other_name))
    if not g.name:
        person.rows.append((_("Name"), _("Withheld: there is no consent to publish the name.")))
    for key, label in (("gender", _("Gender")), ("occupation", _("Occupation")),
                       ("recognition_outcome", _("Recognition"))):
        value = choice(Person, key, p.get(key))
        if value and p.get(key) != "unknown":
            person.rows.append((label, value))
    if p.get("occupation_detail"):
        person.rows.append((_("Occupation, in words"), str(p["occupation_detail"])))
    if p.get("citizenships"):
        person.rows.append((_("Citizenship"), ", ".join(fmt_country(c, language) for c in p["citizenships"])))
    if p.get("country"):
        person.rows.append((_("Country of the case"), fmt_country(p["country"], language)))
    if p.get("birth_date") is not None and not p["birth_date"].is_unknown:
        person.rows.append((_("Born"), fmt_partial(p["birth_date"], language)))
    if p.get("birth_place"):
        person.rows.append((_("Place of birth"), str(p["birth_place"])))
    if not person.rows:
        person.empty = _("Nothing about the person may be shown to this audience.")
    out.append(person)

    # Arrest and detention
    detention = Section("detention", _("Arrest and detention"))
    for d in g.detentions:
        start, end = d.get("start"), d.get("end")
        kind = choice(DetentionPeriod, "kind", d.get("kind"))
        fac = d.get("facility") or {}
        where = fac.get("name", "")
        if fac.get("place"):
            where = f"{where}, {fac['place']}"
        start_text = fmt_partial(start, language) if start is not None else ""
        if start_text and end is not None and not end.is_unknown:
            line = _("%(kind)s from %(start)s to %(end)s") % {"kind": kind, "start": start_text,
                                                               "end": fmt_partial(end, language)}
        elif start_text:
            line = _("%(kind)s since %(start)s") % {"kind": kind, "start": start_text}
        else:
            line = _("%(kind)s (dates unknown)") % {"kind": kind}
        if where:
            line += " — " + where
        if start is not None and not start.is_unknown and end is not None:
            days = _days_text(start, today if end.is_unknown else end, language)
            if days:
                line += " (" + days + ")"
        whereabouts = choice(DetentionPeriod, "whereabouts", d.get("whereabouts"))
        if d.get("whereabouts") not in (None, "acknowledged") and whereabouts:
            line += ". " + _("Whereabouts: %(w)s") % {"w": whereabouts}
        if d.get("incommunicado"):
            line += ". " + _("Held incommunicado.")
        detention.items.append(line)
    for c in g.cases:
        if c.get("investigating_agency"):
            detention.rows.append((_("Investigating agency"), str(c["investigating_agency"])))
    if not detention.items and not detention.rows:
        detention.empty = _("No detention is recorded for this audience; dates may be unknown.")
    out.append(detention)

    # Charges and rights
    charges = Section("charges", _("Charges and the rights they offend"))
    themes = []
    hearings: list[dict[str, Any]] = []
    for c in g.cases:
        if c.get("theme"):
            themes.append(str(c["theme"]))
        hearings.extend(c.get("hearings", []))
        if c.get("case_number"):
            charges.rows.append((_("Case number"), str(c["case_number"])))
        if c.get("impugned_activity"):
            charges.paragraphs.append(_("What the person actually did: %(what)s") % {"what": c["impugned_activity"]})
        for ch in c.get("charges", []):
            line = _article_label(ch.get("article") or {})
            status_label = choice(Charge, "status", ch.get("status"))
            if status_label:
                line += f" — {status_label}"
            if ch.get("wording"):
                line += f": {ch['wording']}"
            if line:
                charges.items.append(line)
    if g.cases:
        offended = rights.offended(themes, hearings)
        charges.paragraphs.append(_("The prosecution runs against: %(articles)s.") % {
            "articles": "; ".join(str(rights.ARTICLES[code]) for code in offended)})
    if not charges.items:
        charges.empty = _("No charge is recorded for this audience.")
    out.append(charges)

    # Trial
    trial = Section("trial", _("Trial"))
    for c in g.cases:
        for h in c.get("hearings", []):
            when = fmt_partial(h.get("held_on"), language) or _("date unknown")
            line = _("%(date)s: %(court)s") % {"date": when, "court": h.get("court") or _("a court")}
            details = [choice(Hearing, "court_kind", h.get("court_kind"))]
            if h.get("is_open") is False:
                details.append(_("closed to the public"))
            if h.get("in_absentia"):
                details.append(_("in absentia"))
            if h.get("defence_access") not in (None, "", "unknown"):
                details.append(choice(Hearing, "defence_access", h.get("defence_access")))
            if h.get("outcome"):
                details.append(choice(Hearing, "outcome", h.get("outcome")))
            trial.items.append(line + " (" + "; ".join(d for d in details if d) + ")")
        for s in c.get("sentences", []):
            kind = choice(Sentence, "sentence_type", s.get("sentence_type"))
            length = _length(s, language)
            when = fmt_partial(s.get("handed_down_on"), language)
            line = _("Sentence: %(kind)s") % {"kind": kind}
            if length:
                line += f", {length}"
            if when:
                line += " — " + _("handed down %(date)s") % {"date": when}
            release = s.get("expected_release")
            if release is not None and not release.is_unknown:
                line += ". " + _("Expected release: %(date)s") % {"date": fmt_partial(release, language)}
            trial.items.append(line)
    if not trial.items:
        trial.empty = _("No hearing or sentence is recorded for this audience.")
    out.append(trial)

    # Health and conditions
    health = Section("health", _("Health and conditions"))
    health_text = brief_text("health")
    if health_text:
        health.paragraphs.extend(x.strip() for x in health_text.split("\n\n") if x.strip())
    else:
        health.empty = _("Not shown: no statement on health may be shared with this audience.")
    out.append(health)

    # Recognition
    recognition = Section("recognition", _("Recognition"))
    for d in g.decisions:
        line = _("%(framework)s: %(outcome)s") % {"framework": choice(RecognitionDecision, "framework",
                                                                       d.get("framework")),
                                                   "outcome": choice(RecognitionDecision, "outcome", d.get("outcome"))}
        if d.get("decided_on"):
            line += f" ({fmt_day(d['decided_on'], language)})"
        recognition.items.append(line)
        labels = dict(rv.CRITERIA.get(str(d.get("framework", "")), []))
        for cc in d.get("criteria", []):
            recognition.items.append("— " + str(labels.get(cc.get("code"), cc.get("code", ""))))
        if d.get("public_rationale") and not translated:
            recognition.items.append(str(d["public_rationale"]))
    for comm in g.communications:
        if comm.get("outcome") not in (None, "", "pending"):
            line = _("%(mechanism)s: %(outcome)s") % {
                "mechanism": choice(UNCommunication, "mechanism", comm.get("mechanism")),
                "outcome": choice(UNCommunication, "outcome", comm.get("outcome"))}
            if comm.get("categories"):
                line += " — " + _("categories %(list)s") % {"list": ", ".join(comm["categories"])}
            if comm.get("opinion_number"):
                line += f" ({comm['opinion_number']})"
            recognition.items.append(line)
    if not recognition.items:
        recognition.empty = _("No recognition decision is recorded for this audience.")
    out.append(recognition)

    # Interventions so far
    interventions = Section("interventions", _("Interventions so far"))
    for i in g.interventions:
        st = i.get("stakeholder") or {}
        who = st.get("name") or choice(Intervention, "method", "")
        if st.get("country"):
            who += f" ({fmt_country(st['country'], language)})"
        when = fmt_partial(i.get("occurred"), language) or _("date unknown")
        line = _("%(date)s — %(method)s with %(who)s: %(outcome)s") % {
            "date": when, "method": choice(Intervention, "method", i.get("method")), "who": who,
            "outcome": choice(Intervention, "outcome", i.get("outcome"))}
        interventions.items.append(line)
    for a in g.legal_actions:
        when = fmt_partial(a.get("filed_on"), language)
        line = _("%(kind)s before %(forum)s: %(status)s") % {
            "kind": choice(LegalAction, "kind", a.get("kind")), "forum": a.get("forum") or _("a court"),
            "status": choice(LegalAction, "status", a.get("status"))}
        if when:
            line += " — " + _("filed %(date)s") % {"date": when}
        interventions.items.append(line)
    if not interventions.items:
        interventions.empty = (_("Interventions are not listed in a dossier for this audience.")
                               if g.audience.kind == "public" else _("No intervention is recorded yet."))
    out.append(interventions)

    # What is asked
    asks = Section("asks", _("What is asked"))
    asks_text = brief_text("asks")
    if asks_text:
        asks.paragraphs.extend(x.strip() for x in asks_text.split("\n") if x.strip())
    else:
        asks.empty = _("Release the person immediately and unconditionally.") if g.name or g.other_name else \
            _("No request has been written yet.")
    out.append(asks)
    return out


def timeline_events(g: Gathered) -> list[Event]:
    """Dated events the audience may see, for the drawn timeline; unknown dates are left off."""
    events: list[Event] = []

    def add(day: PartialDate | None, order: int, text: Callable[[str], str]) -> None:
        if day is not None and not day.is_unknown:
            events.append(Event(day, order, text))

    def labelled(template: str, model: Any, field: str, value: Any) -> Callable[[str], str]:
        def text(lang: str) -> str:
            return _(template) % {"value": choice(model, field, value)}
        return text

    def plain(template: str) -> Callable[[str], str]:
        def text(lang: str) -> str:
            return _(template)
        return text

    def sentenced(s: dict[str, Any]) -> Callable[[str], str]:
        def text(lang: str) -> str:
            length = _length(s, lang)
            label = _("Sentenced: %(value)s") % {"value": choice(Sentence, "sentence_type", s.get("sentence_type"))}
            return f"{label} ({length})" if length else label
        return text

    def heard(outcome: Any) -> Callable[[str], str]:
        def text(lang: str) -> str:
            return _("Hearing") + (f": {choice(Hearing, 'outcome', outcome)}" if outcome else "")
        return text

    for d in g.detentions:
        add(d.get("start"), 1, labelled(gettext_noop("Detained: %(value)s"), DetentionPeriod, "kind", d.get("kind")))
        add(d.get("end"), 6, plain(gettext_noop("Detention ended")))
    for c in g.cases:
        add(c.get("opened_on"), 2, plain(gettext_noop("Case opened")))
        for h in c.get("hearings", []):
            add(h.get("held_on"), 3, heard(h.get("outcome")))
        for s in c.get("sentences", []):
            add(s.get("handed_down_on"), 4, sentenced(s))
    for dd in g.decisions:
        if dd.get("decided_on"):
            add(PartialDate.from_date(dd["decided_on"]), 5,
                labelled(gettext_noop("Recognised: %(value)s"), RecognitionDecision, "outcome", dd.get("outcome")))
    for i in g.interventions:
        add(i.get("occurred"), 7, labelled(gettext_noop("Raised: %(value)s"), Intervention, "method", i.get("method")))
    events.sort(key=lambda e: (e.day.sort_key(), e.order))
    return events


def timeline(g: Gathered, language: str, today: date) -> dict[str, Any]:
    """Markers placed along the years the events span (percentages), and bilingual labels."""
    events = timeline_events(g)
    if not events:
        return {"markers": [], "legend": []}
    first = min(e.day.earliest() or today for e in events)
    last = max(today, max(e.day.earliest() or today for e in events))
    span = max(1, (last - first).days)
    markers, legend = [], []
    for n, e in enumerate(events, start=1):
        pos = ((e.day.earliest() or today) - first).days / span * 100
        left = round(2 + pos * 0.96, 2)
        markers.append({"n": n, "left": left, "x": round(left * 10, 1), "row": n % 3})
        with translation.override("en"):
            en = f"{fmt_partial(e.day, 'en')} — {e.text('en')}"
        with translation.override(language):
            tr = f"{fmt_partial(e.day, language)} — {e.text(language)}"
        legend.append({"n": n, "en": en, "tr": tr})
    with translation.override("en"):
        start_label, end_label = fmt_day(first, "en"), fmt_day(last, "en")
    return {"markers": markers, "legend": legend, "start": start_label, "end": end_label}


# --- the document ------------------------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as a data: URL of an SVG (nothing is fetched when the PDF is made)."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=2))


@dataclass
class DossierRequest:
    person: Person
    case: Case | None
    audience: str
    language: str
    recipient: str
    copy_uuid: uuid_module.UUID
    today: date
    organisation_name: str = ""


def build_html(req: DossierRequest) -> str:
    """The dossier as one HTML document, from the projection for the request's audience."""
    audience = dossier_audience(req.audience, req.person.organisation_id)
    g = gather(req.person, req.case, audience, req.language)
    return render_html(req, g)


def render_html(req: DossierRequest, g: Gathered) -> str:
    language = req.language
    with translation.override("en"):
        en = sections(g, "en", req.today)
        audience_label_en = choice_label(req.audience)
    with translation.override(language):
        tr = sections(g, language, req.today, translated=language)
        audience_label_tr = choice_label(req.audience)
        qr_note_tr = _("Scan for the public page.") if g.public_url else _("There is no public page yet.")
    with translation.override("en"):
        qr_note_en = _("Scan for the public page.") if g.public_url else _("There is no public page yet.")
    context = {
        "req": req, "g": g, "pairs": list(zip(en, tr, strict=True)),
        "dir": "rtl" if language in av.RTL_LANGUAGES else "ltr", "lang": language,
        "timeline": timeline(g, language, req.today),
        "qr": qr_svg(g.public_url) if g.public_url else "",
        "qr_note_en": qr_note_en, "qr_note_tr": qr_note_tr,
        "audience_en": audience_label_en, "audience_tr": audience_label_tr,
        "copy": str(req.copy_uuid)[:8], "made_on": req.today.isoformat(),
        "confidential": req.audience != av.DossierAudience.MEDIA,
        "title": g.name or g.other_name,
    }
    with translation.override("en"):
        return render_to_string("advocacy/dossier.html", context)


def choice_label(audience: str) -> str:
    return str({av.DossierAudience.DIPLOMAT: _("Briefing for diplomats"), av.DossierAudience.MEDIA: _("Media briefing"),
            av.DossierAudience.UN: _("Briefing for UN mechanisms")}.get(audience, ""))  # type: ignore[call-overload]


def render_pdf(html: str) -> bytes:
    from unforgotten.core.pdf import render_pdf as door

    return door(html)


def build_pdf(req: DossierRequest) -> bytes:
    return render_pdf(build_html(req))


def languages() -> Iterable[tuple[str, str]]:
    return av.DOSSIER_LANGUAGES
