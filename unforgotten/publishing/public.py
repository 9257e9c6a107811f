"""What public pages show, built only from ``project(obj, PUBLIC)``: never from raw fields.

Every function here takes records and returns plain dicts for templates. A
record the projection gives nothing of is left out; a field it leaves out is
simply absent. Consent-bound fields (the name, the story, how to write) appear
only while their consent is recorded and not withdrawn (``has_public_consent``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.lists import format_list
from django.db import models
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unforgotten.core.countries import country_name, is_country
from unforgotten.core.partialdate import PartialDate, UnknownPartialDate, days_between
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.models import PublicProfile
from unforgotten.registry import vocabularies as v
from unforgotten.registry.models import (
    Charge,
    DetentionPeriod,
    Hearing,
    LawArticle,
    Person,
    RecognitionDecision,
    Sentence,
    StatusChange,
)

NAME_FIELDS = ("text", "script", "language", "kind", "is_primary")
CARD_FIELDS = ("display_name", "slug", "country", "current_status", "occupation")
DETAINED = frozenset(str(s) for s in v.DETAINED_STATUSES)


def label(model: type[models.Model], field: str, value: Any) -> str:
    """The translated label of a choice value (in the active language)."""
    if value in (None, ""):
        return ""
    model_field = model._meta.get_field(field)
    if not isinstance(model_field, models.Field):  # a relation has no choices of its own
        return str(value)
    for key, text in model_field.flatchoices:
        if key == value:
            return str(text)
    return str(value)


def country(code: str, language: str) -> str:
    return country_name(code, str(fmt.babel_locale(language))) if is_country(code) else ""


def _when(value: PartialDate | None, language: str) -> dict[str, str] | None:
    if value is None or value.is_unknown:
        return None
    return {"iso": str(value), "text": fmt.partial(value, language)}


@dataclass(frozen=True)
class Card:
    """One person as listed on the home and country pages."""

    name: str
    slug: str
    country_code: str
    country: str
    status: str
    detained: bool
    occupation: str


def _card(person: Person, language: str) -> Card | None:
    shown = project(person, PUBLIC, CARD_FIELDS)
    if "display_name" not in shown or "slug" not in shown:
        return None  # no name consent (or a record raised above public): not on the public site at all
    code = str(shown.get("country", ""))
    status = str(shown.get("current_status", ""))
    return Card(name=str(shown["display_name"]), slug=str(shown["slug"]), country_code=code.lower(),
                country=country(code, language), status=label(Person, "current_status", status),
                detained=status in DETAINED, occupation=label(Person, "occupation", shown.get("occupation", "")))


def card_for(person: Person, language: str) -> Card | None:
    """How ``person`` is listed in ``language``, or None when they may not be named on the public site."""
    return _card(person, language)


def live_profiles(language: str) -> models.QuerySet[PublicProfile]:
    return (PublicProfile.objects.live().filter(language=language)
            .select_related("person").prefetch_related("person__consents")
            .order_by("-featured", "person__sort_name", "person_id"))


def cards(language: str, *, country_code: str | None = None) -> list[tuple[PublicProfile, Card]]:
    profiles = live_profiles(language)
    if country_code is not None:
        profiles = profiles.filter(person__country=country_code.upper())
    out = []
    for profile in profiles:
        card = _card(profile.person, language)
        if card is not None:
            out.append((profile, card))
    return out


def counts(rows: list[tuple[PublicProfile, Card]]) -> dict[str, int]:
    return {"people": len(rows), "detained": sum(1 for _p, c in rows if c.detained)}


def home(language: str, today: date) -> dict[str, Any]:
    rows = cards(language)
    featured = [c for p, c in rows if p.featured][:12] or [c for _p, c in rows][:12]
    by_country = Counter(c.country_code for _p, c in rows if c.country_code)
    countries = sorted(({"code": code, "name": country(code.upper(), language), "count": n}
                        for code, n in by_country.items()), key=lambda row: str(row["name"]))
    return {"featured": featured, "counts": counts(rows), "countries": countries, "today": today}


def country_page(code: str, language: str, today: date) -> dict[str, Any] | None:
    if len(code) != 2 or not code.isalpha() or code != code.lower() or not is_country(code):
        return None
    rows = cards(language, country_code=code)
    if not rows:
        return None
    return {"country": country(code.upper(), language), "code": code, "cards": [c for _p, c in rows],
            "counts": counts(rows), "today": today}


def live_profile(slug: str, language: str) -> PublicProfile | None:
    return (PublicProfile.objects.live().filter(language=language, person__slug=slug)
            .select_related("person").first())


def translations(profile: PublicProfile) -> list[str]:
    """Languages in which this person's profile is live (for the switcher and hreflang)."""
    return list(PublicProfile.objects.live().filter(translation_key=profile.translation_key)
                .values_list("language", flat=True))


# --- the profile page ---------------------------------------------------------------------------------


def _names(person: Person) -> list[dict[str, Any]]:
    names = []
    for name in person.names.all():
        shown = project(name, PUBLIC, NAME_FIELDS)
        if "text" in shown:
            shown["dir"] = fmt.direction(str(shown.get("script", "")), str(shown.get("language", "")))
            names.append(shown)
    return names


def _isolated(template: str, **values: Any) -> SafeString:
    """A translated phrase with each data value in its own <bdi>: Latin law codes stay whole inside Arabic."""
    return mark_safe(conditional_escape(template) % {  # noqa: S308  (every part escaped just above and here)
        key: format_html("<bdi>{}</bdi>", value) for key, value in values.items()})


def _article(charge: Charge, shown: dict[str, Any]) -> SafeString | str:
    if "law_article_id" not in shown:
        return ""
    article = project(LawArticle.objects.get(pk=shown["law_article_id"]), PUBLIC)
    values = {"code": article.get("code", ""), "article": article.get("article", ""), "part": article.get("part", "")}
    if values["part"]:
        text = _isolated(_("%(code)s, article %(article)s, part %(part)s"), **values)
    else:
        text = _isolated(_("%(code)s, article %(article)s"), code=values["code"], article=values["article"])
    title = article.get("title", "")
    return format_html("{} (<bdi>{}</bdi>)", text, title) if title else text


def _sentence_length(shown: dict[str, Any], language: str) -> str:
    parts = []
    years, months, days = (int(shown.get(key) or 0) for key in ("years", "months", "days"))
    # Literal calls, one per unit: the message extractor only sees literal strings.
    if years:
        parts.append(ngettext("%(count)s year", "%(count)s years", years) % {"count": fmt.number(years, language)})
    if months:
        parts.append(ngettext("%(count)s month", "%(count)s months", months) % {
            "count": fmt.number(months, language)})
    if days:
        parts.append(ngettext("%(count)s day", "%(count)s days", days) % {"count": fmt.number(days, language)})
    return format_list(parts, locale=fmt.babel_locale(language)) if parts else ""


def _cases(person: Person, language: str, timeline: list[tuple[PartialDate, str]]) -> list[dict[str, Any]]:
    cases = []
    for case in person.cases.all():
        shown_case = project(case, PUBLIC)
        if not shown_case:
            continue
        charges = []
        for charge in case.charges.all():
            shown = project(charge, PUBLIC)
            if shown:
                charges.append({"article": _article(charge, shown), "wording": shown.get("wording", ""),
                                "status": label(Charge, "status", shown.get("status"))})
        sentences = []
        for sentence in case.sentences.all():
            shown = project(sentence, PUBLIC)
            if not shown:
                continue
            kind = label(Sentence, "sentence_type", shown.get("sentence_type"))
            length = _sentence_length(shown, language)
            handed_down = shown.get("handed_down_on")
            sentences.append({"type": kind, "length": length, "regime": shown.get("regime", ""),
                              "handed_down": _when(handed_down, language)})
            if isinstance(handed_down, PartialDate) and not handed_down.is_unknown:
                timeline.append((handed_down, _("Sentenced: %(sentence)s") % {
                    "sentence": f"{kind}, {length}" if length else kind}))
        for hearing in case.hearings.all():
            shown = project(hearing, PUBLIC)
            held = shown.get("held_on")
            if isinstance(held, PartialDate) and not held.is_unknown and shown.get("court"):
                outcome = label(Hearing, "outcome", shown.get("outcome"))
                text = _("Hearing at %(court)s") % {"court": shown["court"]}
                timeline.append((held, f"{text}: {outcome}" if outcome else text))
        cases.append({"charges": charges, "sentences": sentences, "group": shown_case.get("case_group", ""),
                      "opened": _when(shown_case.get("opened_on"), language)})
    return cases


def _detention(person: Person, language: str, status: str, today: date, may_write: bool,
               timeline: list[tuple[PartialDate, str]]) -> dict[str, Any] | None:
    current: dict[str, Any] | None = None
    for detention in person.detentions.all():
        shown = project(detention, PUBLIC)
        if not shown:
            continue
        start = shown.get("start")
        kind = label(DetentionPeriod, "kind", shown.get("kind"))
        if isinstance(start, PartialDate) and not start.is_unknown:
            timeline.append((start, _("%(kind)s began") % {"kind": kind}))
        end = shown.get("end")
        if isinstance(end, PartialDate) and end.is_unknown and status in DETAINED:
            current = {"shown": shown, "kind": kind, "facility": detention.facility if "facility_id" in shown else None}
    if current is None:
        return None
    shown = current["shown"]
    out: dict[str, Any] = {"kind": current["kind"], "since": _when(shown.get("start"), language),
                           "incommunicado": bool(shown.get("incommunicado"))}
    whereabouts = shown.get("whereabouts", v.Whereabouts.ACKNOWLEDGED)
    if whereabouts != v.Whereabouts.ACKNOWLEDGED:
        out["whereabouts"] = label(DetentionPeriod, "whereabouts", whereabouts)
    elif current["facility"] is not None:
        facility = project(current["facility"], PUBLIC)
        out["facility"] = {"name": facility.get("name", ""), "place": facility.get("place", ""),
                           "country": country(str(facility.get("country", "")), language)}
        # How to write: the prison's address is public knowledge, but printing it beside this
        # person invites letters, which only they (or their family) may agree to.
        if may_write and facility.get("postal_address"):
            out["write_to"] = facility["postal_address"]
    out["counter"] = _counter(shown.get("start"), today, language)
    return out


def _counter(start: Any, today: date, language: str) -> str:
    """An honest "days behind bars": exact, or "at least" when the start is partial; nothing when unknowable."""
    if not isinstance(start, PartialDate) or start.is_unknown:
        return ""
    try:
        days = days_between(start, today)
    except (UnknownPartialDate, ValueError):
        return ""
    figure = fmt.number(days.figure, language)
    if days.qualifier == "exact":
        return ngettext("%(count)s day behind bars", "%(count)s days behind bars", days.figure) % {"count": figure}
    if days.qualifier == "at_least":
        return ngettext("At least %(count)s day behind bars", "At least %(count)s days behind bars",
                        days.figure) % {"count": figure}
    return ""  # "at most N days" (detained this month or year) says too little to headline


def profile(profile: PublicProfile, language: str, today: date) -> dict[str, Any] | None:
    """Everything the profile page shows, or None when the person may not be shown at all."""
    person = profile.person
    shown = project(person, PUBLIC)
    if "display_name" not in shown or "slug" not in shown or person.merged_into_id is not None:
        return None
    story = project(profile, PUBLIC, ["story"]).get("story", "")
    status = str(shown.get("current_status", ""))
    timeline: list[tuple[PartialDate, str]] = []
    for change in person.status_changes.all():
        seen = project(change, PUBLIC)
        effective = seen.get("effective")
        if isinstance(effective, PartialDate) and not effective.is_unknown and seen.get("status"):
            timeline.append((effective, label(StatusChange, "status", seen["status"])))
    recognition = []
    for decision in person.decisions.all():
        seen = project(decision, PUBLIC)
        if seen.get("outcome"):
            recognition.append({"outcome": label(RecognitionDecision, "outcome", seen["outcome"]),
                                "framework": label(RecognitionDecision, "framework", seen.get("framework")),
                                "rationale": seen.get("public_rationale", "")})
            decided = seen.get("decided_on")
            if isinstance(decided, date):
                timeline.append((PartialDate.from_date(decided),
                                 _("Recognised: %(outcome)s") % {"outcome": recognition[-1]["outcome"]}))
    cases = _cases(person, language, timeline)
    detention = _detention(person, language, status, today, person.has_public_consent(v.ConsentScope.CONTACT),
                           timeline)
    timeline.sort(key=lambda item: item[0].sort_key())
    return {
        "name": shown["display_name"],
        # Present only with photo consent (the projection leaves it out otherwise).
        "has_photo": bool(shown.get("photo")),
        "slug": shown["slug"],
        "names": _names(person),
        "story": [p.strip() for p in str(story).split("\n\n") if p.strip()],
        "status": label(Person, "current_status", status),
        "status_since": _when(shown.get("current_status_date"), language),
        "occupation": label(Person, "occupation", shown.get("occupation", "")),
        "occupation_detail": shown.get("occupation_detail", ""),
        "country_code": str(shown.get("country", "")).lower(),
        "country": country(str(shown.get("country", "")), language),
        "cases": cases,
        "detention": detention,
        "recognition": recognition,
        "timeline": [{"when": _when(when, language), "text": text} for when, text in timeline],
        "today": today,
        "adopters": _adopters(person),  # advocacy (issue 8)
    }


def _adopters(person: Person) -> list[dict[str, Any]]:
    # advocacy (issue 8): adopters named only with their own and the family's consent (advocacy.public).
    from django.apps import apps

    if not apps.is_installed("unforgotten.advocacy"):
        return []
    from unforgotten.advocacy.public import public_adopters

    return public_adopters(person)


PHOTO_SIDE = 480
# decision 0028: the widths a portrait is offered in (srcset); only those no wider than the stored original.
PHOTO_WIDTHS = (320, 640, 960, 1280)


@dataclass(frozen=True)
class PhotoSizes:
    """The widths a portrait is served in, and its proportions (for width/height attributes: no layout shift)."""

    widths: tuple[int, ...]
    original: tuple[int, int]

    def height_at(self, width: int) -> int:
        return max(1, round(self.original[1] * width / self.original[0]))

    def within(self, side: int) -> tuple[int, int]:
        """The size of the copy at most ``side`` pixels a side (``photo.jpg``), as Pillow's thumbnail makes it."""
        width, height = self.original
        scale = min(1.0, side / width, side / height)
        return max(1, round(width * scale)), max(1, round(height * scale))


def _public_photo(person: Person) -> Any:
    from unforgotten.registry.photos import photo_path

    shown = project(person, PUBLIC, ["photo", "display_name"])
    if "display_name" not in shown:
        return None
    return photo_path(str(shown.get("photo") or ""))


def photo_sizes(person: Person) -> PhotoSizes | None:
    """The widths offered for this person's portrait, or None without photo consent (or without a photo)."""
    from PIL import Image

    path = _public_photo(person)
    if path is None:
        return None
    with Image.open(path) as image:  # reads the header only
        width, height = image.size
    # Never upscaled: a portrait narrower than the smallest width is offered at its own width only.
    widths = tuple(w for w in PHOTO_WIDTHS if w <= width) or (width,)
    return PhotoSizes(widths=widths, original=(width, height))


def photo_bytes(profile: PublicProfile) -> bytes | None:
    return person_photo_bytes(profile.person)


def person_photo_bytes(person: Person, *, width: int | None = None) -> bytes | None:
    """The person's portrait, only while the photo consent stands: at most PHOTO_SIDE pixels a side, or
    ``width`` pixels wide when that is one of ``photo_sizes`` (None for any other width).

    The registry stores portraits already re-encoded without metadata; this
    makes the copies a light page needs (fresh JPEGs: nothing carried over),
    kept in the page store (and purged with it) under keys no request path can equal.
    """
    import io

    from PIL import Image

    from unforgotten.publishing import cache

    path = _public_photo(person)
    if path is None:
        return None
    if width is not None:
        sizes = photo_sizes(person)
        if sizes is None or width not in sizes.widths:
            return None
    key = f"photo:{path.name}:{PHOTO_SIDE}" if width is None else f"photo:{path.name}:w{width}"
    stored = cache.get(key)
    if stored is not None:
        return stored
    epoch = cache.current_epoch()
    with Image.open(path) as image:
        small = image.convert("RGB")
        if width is None:
            small.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
        elif width < small.width:
            small = small.resize((width, max(1, round(small.height * width / small.width))), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        small.save(buffer, format="JPEG", quality=80, optimize=True)  # a fresh file: no metadata carried over
    data = buffer.getvalue()
    cache.put(key, data, epoch)
    return data
