"""The counting rule of the statistics (decision 0015), in plain Python: one person's facts → spans → contributions.

Everything the statistics count passes through here, whether the figures come
from the precomputed tables (the organisation's dashboard, the API, the
benchmark) or are computed on the fly from the public projection (the public
page and the open data). So the two can never disagree about what a partial
date means.

The rule, exactly (``PartialDate.counts_as_started_by``):

* Something dated with a partial date counts from the *last* day the date could
  stand for: a status "since 2021" counts from 31 December 2021, "since March
  2021" from 31 March 2021, an exact day from that day. An as-of figure can
  therefore be late, never inflated.
* A completely unknown date is never counted in or out. A person whose status
  history has an unknown date (or who has no status history at all) cannot be
  placed on any date: on every date they are counted in the ``date_uncertain``
  bucket (with their country, gender and so on) and in no status. Shown, never
  hidden.
* The status of a person on day D is the status of the last change *in the
  registry's own order* (the order that makes ``Person.current_status``:
  ``PartialDate.sort_key`` then id) among the changes that count by D. Before
  the first change counts, the person is not counted at all.
* The end of a detention counts like a start: a detention that ended "in 2021"
  holds the person (for the facility dimension) until 31 December 2021.
* Recognition decisions have exact dates: the outcome on day D is that of the
  latest decision decided on or before D.
* Themes (of cases, from their opening date) and law articles (of charges, from
  the date brought) hold from the day they count on; one with an unknown date
  puts the person in that dimension's ``date_uncertain`` bucket.

A *span* is a stretch of days [start, end) over which everything counted about
a person stays the same; a *contribution* is +1 on the day a person enters a
(dimension, value, status) cell and −1 on the day they leave it. Summing
contributions up to D gives the as-of count on D.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from unforgotten.core.partialdate import PartialDate, Precision

# Values of the buckets that are not values of the registry's vocabularies.
UNCERTAIN: Final = "date_uncertain"  # a status (or dimension value) whose date is unknown
NONE: Final = "none"  # no value on that day: no decision yet, not in a detention, no charge yet
UNRECORDED: Final = "unrecorded"  # in a detention whose facility is not recorded
UNDISCLOSED: Final = "undisclosed"  # the reader's projection does not show the value

BEGINNING: Final = date(1, 1, 1)  # the day spans of people who cannot be placed start on

# Statuses in which a person is deprived of liberty (mirrors registry.vocabularies.DETAINED_STATUSES,
# kept here as plain strings so this module needs no Django).
DETAINED: Final = frozenset({"awaiting_trial", "imprisoned", "house_arrest", "disappeared"})
LEFT_ALIVE: Final = frozenset({"released", "at_large", "in_exile"})
DIED: Final = frozenset({"died_in_custody", "executed"})

# The dimensions a person is counted by, besides status. "all" is the total.
PERSON_DIMENSIONS: Final = ("all", "country", "gender", "occupation", "recognition", "facility")
TAG_DIMENSIONS: Final = ("theme", "article")
DIMENSIONS: Final = (*PERSON_DIMENSIONS, *TAG_DIMENSIONS)
FLOW: Final = "flow"  # the pseudo-dimension of the monthly series
FLOWS: Final = ("detention", "release", "death")
YEAR_ONLY: Final = "@year"  # suffix of a flow whose date is known only to the year


@dataclass(frozen=True, slots=True)
class StatusFact:
    status: str
    effective: PartialDate
    order: int  # the record's id: breaks ties exactly as the registry does


@dataclass(frozen=True, slots=True)
class DetentionFact:
    start: PartialDate
    end: PartialDate  # unknown = still going on (the registry's "leave empty while it goes on")
    facility: str  # facility id as text, or UNRECORDED
    order: int


@dataclass(frozen=True, slots=True)
class DecisionFact:
    outcome: str
    decided_on: date
    order: int


@dataclass(frozen=True, slots=True)
class TagFact:
    dimension: str  # "theme" or "article"
    value: str
    since: PartialDate


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What one reader may see of one person, already through the projection."""

    person_id: int
    organisation_id: int
    country: str
    gender: str
    occupation: str
    statuses: Sequence[StatusFact] = ()
    detentions: Sequence[DetentionFact] = ()
    decisions: Sequence[DecisionFact] = ()
    tags: Sequence[TagFact] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """[start, end) over which the person's status, recognition and facility stay the same (end None: open)."""

    start: date
    end: date | None
    status: str
    prev_status: str  # the status of the day before ``start`` ("" if not counted then)
    entered_precision: str  # precision of the change that began this status here ("" if it did not change)
    recognition: str
    facility: str


@dataclass(frozen=True, slots=True)
class TagSpan:
    dimension: str
    value: str
    start: date
    end: date | None


@dataclass
class Result:
    spans: list[Span] = field(default_factory=list)
    tags: list[TagSpan] = field(default_factory=list)


# --- the three time-varying values -------------------------------------------------------------------


def _counting_day(value: PartialDate) -> date | None:
    """The day a partial date counts from (its latest possible day); None when unknown."""
    return value.latest()


class _StatusTimeline:
    def __init__(self, facts: Sequence[StatusFact]) -> None:
        self.uncertain = not facts or any(f.effective.is_unknown for f in facts)
        # Changes by the day they count from; on each day the effective one is the
        # last in the registry's order among those counted by then.
        self.ordered = sorted(facts, key=lambda f: (f.effective.sort_key(), f.order))
        self.points = sorted({d for f in facts if (d := _counting_day(f.effective)) is not None})

    def at(self, day: date) -> tuple[str, str]:
        """(status, precision of the change that set it) on ``day``."""
        if self.uncertain:
            return UNCERTAIN, ""
        chosen: StatusFact | None = None
        for fact in self.ordered:
            counted = _counting_day(fact.effective)
            if counted is not None and counted <= day:
                chosen = fact  # later in order wins
        if chosen is None:
            return "", ""
        return chosen.status, str(chosen.effective.precision)


class _DecisionTimeline:
    def __init__(self, facts: Sequence[DecisionFact]) -> None:
        self.ordered = sorted(facts, key=lambda f: (f.decided_on, f.order))
        self.points = sorted({f.decided_on for f in facts})

    def at(self, day: date) -> str:
        outcome = NONE
        for fact in self.ordered:
            if fact.decided_on <= day:
                outcome = fact.outcome
        return outcome


class _FacilityTimeline:
    def __init__(self, facts: Sequence[DetentionFact]) -> None:
        self.placed = sorted((f for f in facts if not f.start.is_unknown),
                             key=lambda f: (f.start.sort_key(), f.order))
        self.unplaced = any(f.start.is_unknown for f in facts)
        points: set[date] = set()
        for f in self.placed:
            start = _counting_day(f.start)
            if start is not None:
                points.add(start)
            end = _counting_day(f.end)
            if end is not None:
                points.add(end)
        self.points = sorted(points)

    def at(self, day: date) -> str:
        current: DetentionFact | None = None
        for fact in self.placed:
            start, end = _counting_day(fact.start), _counting_day(fact.end)
            if start is not None and start <= day and (end is None or end > day):
                current = fact  # the latest-starting detention holding the person wins
        if current is not None:
            return current.facility
        return UNCERTAIN if self.unplaced else NONE


def _tag_values(tags: Sequence[TagFact], dimension: str, day: date) -> frozenset[str]:
    values: set[str] = set()
    for tag in tags:
        if tag.dimension != dimension:
            continue
        counted = _counting_day(tag.since)
        if counted is None:
            values.add(UNCERTAIN)
        elif counted <= day:
            values.add(tag.value)
    return frozenset(values) if values else frozenset({NONE})


# --- spans ----------------------------------------------------------------------------------------------


def spans_for(facts: PersonFacts) -> Result:
    """The person's spans and tag spans under the counting rule (empty when never counted)."""
    statuses = _StatusTimeline(facts.statuses)
    decisions = _DecisionTimeline(facts.decisions)
    facilities = _FacilityTimeline(facts.detentions)
    points = sorted({BEGINNING, *statuses.points, *decisions.points, *facilities.points})
    result = Result()
    previous: Span | None = None
    prev_status = ""
    for index, start in enumerate(points):
        end = points[index + 1] if index + 1 < len(points) else None
        status, precision = statuses.at(start)
        recognition, facility = decisions.at(start), facilities.at(start)
        if status == "":
            prev_status = ""
            previous = None
            continue
        entered = precision if status != prev_status and status != UNCERTAIN else ""
        if (previous is not None and previous.end == start and previous.status == status
                and previous.recognition == recognition and previous.facility == facility):
            previous = Span(previous.start, end, status, previous.prev_status, previous.entered_precision,
                            recognition, facility)
            result.spans[-1] = previous
        else:
            previous = Span(start, end, status, prev_status, entered, recognition, facility)
            result.spans.append(previous)
        prev_status = status
    if result.spans:
        result.tags = _tag_spans(facts.tags, result.spans[0].start)
    return result


def _tag_spans(tags: Sequence[TagFact], first: date) -> list[TagSpan]:
    out: list[TagSpan] = []
    for dimension in TAG_DIMENSIONS:
        points = sorted({first, *(d for t in tags if t.dimension == dimension
                                  if (d := _counting_day(t.since)) is not None and d > first)})
        open_since: dict[str, date] = {}
        for day in points:
            now = _tag_values(tags, dimension, day)
            for value in list(open_since):
                if value not in now:
                    out.append(TagSpan(dimension, value, open_since.pop(value), day))
            for value in now:
                open_since.setdefault(value, day)
        out.extend(TagSpan(dimension, value, since, None) for value, since in sorted(open_since.items()))
    return out


# --- contributions -----------------------------------------------------------------------------------

Key = tuple[date, str, str, str]  # (day, dimension, value, status)


def person_values(facts: PersonFacts, span: Span) -> dict[str, str]:
    return {"all": "", "country": facts.country, "gender": facts.gender, "occupation": facts.occupation,
            "recognition": span.recognition, "facility": span.facility}


def contributions(country: str, gender: str, occupation: str, spans: Iterable[Span],
                  tags: Iterable[TagSpan]) -> Counter[Key]:
    """+1 where the person enters a (dimension, value, status) cell, −1 where they leave it; plus the flows."""
    out: Counter[Key] = Counter()
    spans = list(spans)
    tags = list(tags)
    for span in spans:
        values = {"all": "", "country": country, "gender": gender, "occupation": occupation,
                  "recognition": span.recognition, "facility": span.facility}
        for dimension, value in values.items():
            out[(span.start, dimension, value, span.status)] += 1
            if span.end is not None:
                out[(span.end, dimension, value, span.status)] -= 1
        for tag in tags:
            start = max(span.start, tag.start)
            ends = [e for e in (span.end, tag.end) if e is not None]
            end = min(ends) if ends else None
            if end is not None and end <= start:
                continue
            out[(start, tag.dimension, tag.value, span.status)] += 1
            if end is not None:
                out[(end, tag.dimension, tag.value, span.status)] -= 1
        flow = flow_of(span)
        if flow:
            out[(span.start, FLOW, flow, span.status)] += 1
    # Adjacent spans cancel where only another dimension changed: drop the zeros.
    return Counter({k: n for k, n in out.items() if n})


def flow_of(span: Span) -> str:
    """The series event a span begins with: "detention", "release", "death" (+ YEAR_ONLY), or ""."""
    if not span.entered_precision:
        return ""
    before_detained = span.prev_status in DETAINED
    if span.status in DETAINED and not before_detained:
        kind = "detention"
    elif before_detained and span.status in LEFT_ALIVE:
        kind = "release"
    elif before_detained and span.status in DIED:
        kind = "death"
    else:
        return ""
    return kind + YEAR_ONLY if span.entered_precision == str(Precision.YEAR) else kind


def person_contributions(facts: PersonFacts) -> Counter[Key]:
    result = spans_for(facts)
    return contributions(facts.country, facts.gender, facts.occupation, result.spans, result.tags)


# --- reading ------------------------------------------------------------------------------------------


def as_of(totals: Counter[Key], day: date, dimension: str) -> Counter[tuple[str, str]]:
    """{(value, status): people} on ``day`` for one dimension, from summed contributions."""
    out: Counter[tuple[str, str]] = Counter()
    for (when, dim, value, status), n in totals.items():
        if dim == dimension and when <= day:
            out[(value, status)] += n
    return Counter({k: n for k, n in out.items() if n})


def reference_as_of(facts: PersonFacts, day: date) -> dict[str, object] | None:
    """One person on one day, straight from the rule (no spans): the tests' independent reference."""
    statuses = _StatusTimeline(facts.statuses)
    status, _precision = statuses.at(day)
    if status == "":
        return None
    return {"status": status, "country": facts.country, "gender": facts.gender, "occupation": facts.occupation,
            "recognition": _DecisionTimeline(facts.decisions).at(day),
            "facility": _FacilityTimeline(facts.detentions).at(day),
            "theme": _tag_values(facts.tags, "theme", day), "article": _tag_values(facts.tags, "article", day)}
