"""The registry's JSON API, mounted at /api/v1/registry/.

Three rules hold for every endpoint:

- Who may: the one policy (``policy.can`` with the registry's permissions). A
  token acts through its scopes (read → view, write → edit_cases); a session
  user through their roles, exactly as in the workspace. A record the caller
  may not read or change answers "not found", the same bytes as a record that
  does not exist. For writes the question is asked as part of authentication,
  before the body is read, so a refused caller never learns what a valid body
  would be, or whether their body would have been valid.
- What they see: every value is ``project(obj, audience_for(user, obj,
  case_team_user_ids=...))``; fields the audience may not see are absent.
  Sealed values (family names and contacts, source identities) are accepted on
  input and never returned.
- How it changes: every write is one ``do_*`` action function; a refused
  change (``ValidationError``) answers 422 in the API's uniform shape, and the
  action's transaction leaves nothing half-saved.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case as Case_
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from ninja import File, Query, Router, Status, UploadedFile
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate
from simple_history.models import HistoricalRecords

from unforgotten import policy
from unforgotten.api import auth as api_auth
from unforgotten.api.schemas import organisation_named_or_only, responses
from unforgotten.core.partialdate import PartialDate
from unforgotten.policy.projection import (
    Audience,
    audience_for,
    field_sensitivity,
    project,
    record_sensitivity,
)
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions
from unforgotten.registry import schemas as s
from unforgotten.registry.models import (
    Case,
    Charge,
    Citation,
    Consent,
    CriterionAssessment,
    DetentionPeriod,
    Facility,
    Hearing,
    LawArticle,
    Official,
    Person,
    RecognitionDecision,
    Relationship,
    Sentence,
    Source,
    StatusChange,
)

router = Router(tags=["registry"])


VIEW, EDIT, REVIEW = "registry.view", "registry.edit", "registry.review"

# --- fields each kind of record offers (each then passes through the projection) ------------------

PERSON_SUMMARY = ("uuid", "slug", "display_name", "gender", "country", "occupation", "current_status",
                  "current_status_date", "recognition_outcome", "updated_at")
PERSON_FIELDS = (*PERSON_SUMMARY, "birth_date", "birth_place", "citizenships", "occupation_detail", "affiliations",
                 "ethnicity", "religion", "death_date", "death_circumstances", "public_summary", "internal_notes",
                 "created_at")
NAME_FIELDS = ("text", "script", "language", "kind", "is_primary")
CASE_FIELDS = ("id", "jurisdiction", "case_number", "opened_on", "investigating_agency", "theme", "case_group",
               "impugned_activity", "procedural_stage", "legal_strategy")
CHARGE_FIELDS = ("id", "law_article_id", "wording", "brought_on", "status")
HEARING_FIELDS = ("id", "court", "court_kind", "held_on", "is_open", "defence_access", "outcome", "in_absentia",
                  "monitor_notes")
SENTENCE_FIELDS = ("id", "sentence_type", "handed_down_on", "years", "months", "days", "regime", "appeal_status",
                   "counts_from")
DETENTION_FIELDS = ("id", "case_id", "kind", "start", "end", "facility_id", "whereabouts", "incommunicado",
                    "conditions_notes")
STATUS_FIELDS = ("id", "status", "effective", "note")
DECISION_FIELDS = ("id", "case_id", "framework", "outcome", "decided_on", "co_signing", "public_rationale",
                   "deliberations", "statement_url")
CRITERION_FIELDS = ("code", "is_exclusion", "result", "rationale", "evidence_links")
# The sealed name and contact are not offered at all.
RELATIONSHIP_FIELDS = ("uuid", "kind", "related_person_id", "notes")
CONSENT_FIELDS = ("id", "scope", "given_by", "given_on", "withdrawn_on", "note")
# The sealed identity is not offered at all.
SOURCE_FIELDS = ("uuid", "label", "connection", "reliability", "credibility", "url", "obtained_on")
CITATION_FIELDS = ("target_type", "target_id", "field", "note")
LAW_ARTICLE_FIELDS = ("id", "country", "code", "article", "part", "title")
FACILITY_FIELDS = ("id", "name", "other_names", "kind", "country", "place", "postal_address")
OFFICIAL_FIELDS = ("id", "name", "role", "agency", "rank", "alleged_involvement")

# Model field names in action errors → the request field that carries them.
ERROR_FIELDS = {"law_article": "law_article_id", "case": "case_id", "facility": "facility_id",
                "judges": "judge_ids", "name_sealed": "name", "contact_sealed": "contact",
                "identity_sealed": "identity"}


# --- who is reading -----------------------------------------------------------------------------------


def _real_user_id(user: Any) -> int | None:
    """The person behind a session; a token is nobody's case team."""
    if getattr(user, "uf_token", None) is not None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


class Reader:
    """The caller, with the case teams of the people it has looked at (one query per batch)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.user_id = _real_user_id(user)
        self._teams: dict[int, list[int]] = {}

    def load_teams(self, person_ids: Iterable[int]) -> None:
        missing = [pk for pk in set(person_ids) if pk not in self._teams]
        if not missing:
            return
        for pk in missing:
            self._teams[pk] = []
        rows = Person.case_team.through.objects.filter(person_id__in=missing).values_list("person_id", "user_id")
        for person_id, user_id in rows:
            self._teams[person_id].append(user_id)

    def team(self, person_id: int) -> list[int]:
        self.load_teams([person_id])
        return self._teams[person_id]

    def audience(self, obj: Any, person_id: int | None) -> Audience:
        team = self.team(person_id) if person_id is not None else []
        return audience_for(self.user, obj, case_team_user_ids=team)

    def sees(self, obj: Any, person_id: int | None) -> bool:
        """Whether the caller may know the record exists at all."""
        return self.audience(obj, person_id).may_see(record_sensitivity(obj))


def _reader(request: HttpRequest) -> Reader:
    reader = getattr(request, "_uf_registry_reader", None)
    if reader is None or reader.user is not request.user:
        reader = Reader(request.user)
        request._uf_registry_reader = reader  # type: ignore[attr-defined]
    return reader


def _view(obj: Any, audience: Audience, fields: Sequence[str]) -> dict[str, Any]:
    """The projection of ``obj`` for ``audience``, in JSON-ready values. Sealed fields are never offered."""
    offered = [f for f in fields if field_sensitivity(obj, f) < Sensitivity.SEALED]
    return {k: (str(v) if isinstance(v, PartialDate) else v) for k, v in project(obj, audience, offered).items()}


# --- finding records through the policy --------------------------------------------------------------


def _parse_uuid(raw: object) -> UUID:
    if isinstance(raw, UUID):
        return raw
    try:
        return UUID(str(raw))
    except ValueError:
        raise Http404() from None


def _parse_id(raw: object) -> int:
    if isinstance(raw, int):
        return raw
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Http404()
    return int(text)


def _allowed(request: HttpRequest, obj: Any, permissions: Sequence[str]) -> bool:
    return all(policy.can(request.user, p, obj) for p in permissions)


def _person(request: HttpRequest, raw: object, *permissions: str) -> Person:
    person = Person.objects.select_related("organisation").filter(uuid=_parse_uuid(raw)).first()
    if person is None or not _allowed(request, person, permissions or (VIEW,)):
        raise Http404()
    if not _reader(request).sees(person, person.pk):
        raise Http404()
    return person


def _case(request: HttpRequest, raw: object, *permissions: str) -> Case:
    case = Case.objects.select_related("person", "organisation").filter(pk=_parse_id(raw)).first()
    if case is None or not _allowed(request, case, permissions or (VIEW,)):
        raise Http404()
    reader = _reader(request)
    if not (reader.sees(case.person, case.person_id) and reader.sees(case, case.person_id)):
        raise Http404()
    return case


def _consent(request: HttpRequest, raw: object, *permissions: str) -> Consent:
    consent = Consent.objects.select_related("person").filter(pk=_parse_id(raw)).first()
    if consent is None or not _allowed(request, consent, permissions or (VIEW,)):
        raise Http404()
    reader = _reader(request)
    if not (reader.sees(consent.person, consent.person_id) and reader.sees(consent, consent.person_id)):
        raise Http404()
    return consent


def _somewhere(request: HttpRequest, capability: str) -> None:
    if not policy.organisation_ids(request.user, capability):
        raise Http404()


# --- refusing before the body is read --------------------------------------------------------------

Gate = Callable[[HttpRequest, Mapping[str, Any]], object]
# Routes that take a multipart file rather than a JSON body.
# editorial_attach_file: publishing (issue 6), the file of a resource or a video
FILE_ROUTES = frozenset({"set_photo", "editorial_attach_file"})


def _admit(request: HttpRequest, gate: Gate) -> None:
    """Asked once the caller is known and before the body is validated.

    First the policy (``gate`` raises "not found"), then whether there is a JSON
    body at all: a body that is not JSON (a form, say) is answered in the API's
    own 422 shape, like any other body the endpoint cannot accept.
    """
    match = getattr(request, "resolver_match", None)
    gate(request, match.kwargs if match is not None else {})
    if match is not None and match.url_name in FILE_ROUTES and request.content_type == "multipart/form-data":
        return  # a file upload (the photo): the endpoint's own File parameter checks it; never read whole here
    if request.body:
        try:
            json.loads(request.body)
        except ValueError:
            raise ValidationError([{"loc": ("body",), "msg": "The body is not JSON: send a JSON object "
                                                             "(Content-Type: application/json)."}]) from None


# The gated classes keep the names of the API's own schemes, so the OpenAPI document
# still shows one bearer scheme and one cookie scheme: the credential is the same,
# only the question asked after it differs.


class TokenAuth(api_auth.TokenAuth):
    """A token, and then the policy's answer for this route: "not found" unless it may act here."""

    def __init__(self, gate: Gate) -> None:
        super().__init__()
        self.gate = gate

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        principal = super().authenticate(request, token)
        if principal is not None:
            _admit(request, self.gate)
        return principal


class SessionAuth(api_auth.SessionAuth):
    """A session, and then the policy's answer for this route: "not found" unless the person may act here."""

    def __init__(self, gate: Gate) -> None:
        super().__init__()
        self.gate = gate

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        principal = super().authenticate(request, key)
        if principal is not None:
            _admit(request, self.gate)
        return principal


def gated(gate: Gate) -> list[Any]:
    return [TokenAuth(gate), SessionAuth(gate)]


def _may_edit_person(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _person(request, kwargs.get("uuid"), EDIT)


def _may_review_person(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _person(request, kwargs.get("uuid"), EDIT, REVIEW)


def _may_edit_case(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _case(request, kwargs.get("case_id"), EDIT)


def _may_edit_consent(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _consent(request, kwargs.get("consent_id"), EDIT)


def _may_record(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    organisation_named_or_only(request, request.GET.get("organisation"), "edit_cases")


def _may_add_to_catalogue(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _somewhere(request, "edit_cases")


# --- action calls: a refused change is a 422 naming the field -------------------------------------------


def _invalid(exc: DjangoValidationError) -> ValidationError:
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            loc = ("body", "payload") if field == "__all__" else ("body", "payload", ERROR_FIELDS.get(field, field))
            errors.extend({"loc": loc, "msg": m} for m in messages)
    else:
        errors.extend({"loc": ("body", "payload"), "msg": m} for m in exc.messages)
    return ValidationError(errors)


@contextmanager
def _history_without_token() -> Iterator[None]:
    """A token is not a person: the history rows of its changes name no user (the audit event names the token).

    django-simple-history reads the user from the request its middleware keeps,
    and would refuse a token's stand-in as the row's ``history_user``.
    """
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if request is None or getattr(user, "uf_token", None) is None:
        yield
        return
    request.user = AnonymousUser()
    try:
        yield
    finally:
        request.user = user


def _act[T](action: Callable[..., T], **kwargs: Any) -> T:
    try:
        with _history_without_token():
            return action(**kwargs)
    except DjangoValidationError as exc:
        raise _invalid(exc) from None


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message}])


def _data(payload: s.In, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    return payload.model_dump(mode="json", exclude_unset=True, exclude=set(exclude))


# --- rendering records ---------------------------------------------------------------------------------


def _render_law_article(reader: Reader, article: LawArticle) -> dict[str, Any]:
    return _view(article, reader.audience(article, None), LAW_ARTICLE_FIELDS)


def _render_facility(reader: Reader, facility: Facility) -> dict[str, Any]:
    return _view(facility, reader.audience(facility, None), FACILITY_FIELDS)


def _render_official(reader: Reader, official: Official, person_id: int | None = None) -> dict[str, Any]:
    return _view(official, reader.audience(official, person_id), OFFICIAL_FIELDS)


def _render_charge(reader: Reader, charge: Charge, person_id: int) -> dict[str, Any]:
    out = _view(charge, reader.audience(charge, person_id), CHARGE_FIELDS)
    if out.get("law_article_id") is not None:
        out["law_article"] = _render_law_article(reader, charge.law_article)
    return out


def _render_hearing(reader: Reader, hearing: Hearing, person_id: int) -> dict[str, Any]:
    out = _view(hearing, reader.audience(hearing, person_id), HEARING_FIELDS)
    if out:
        out["judges"] = [o for j in hearing.judges.all() if (o := _render_official(reader, j, person_id))]
    return out


def _render_sentence(reader: Reader, sentence: Sentence, person_id: int) -> dict[str, Any]:
    audience = reader.audience(sentence, person_id)
    out = _view(sentence, audience, SENTENCE_FIELDS)
    if out:
        try:
            out.update(_view(sentence, audience, ["expected_release"]))
        except ValueError:
            # Derived from a start the model does not bound (counts_from may be any year):
            # a release past the calendar's end (year 9999) is no date to give.
            out["expected_release"] = ""
    return out


def _render_case(reader: Reader, case: Case) -> dict[str, Any]:
    pid = case.person_id
    out = _view(case, reader.audience(case, pid), CASE_FIELDS)
    if out:
        out["charges"] = [o for c in case.charges.all() if (o := _render_charge(reader, c, pid))]
        out["hearings"] = [o for h in case.hearings.all() if (o := _render_hearing(reader, h, pid))]
        out["sentences"] = [o for x in case.sentences.all() if (o := _render_sentence(reader, x, pid))]
    return out


def _render_detention(reader: Reader, detention: DetentionPeriod) -> dict[str, Any]:
    out = _view(detention, reader.audience(detention, detention.person_id), DETENTION_FIELDS)
    if out.get("facility_id") is not None and detention.facility is not None:
        out["facility"] = _render_facility(reader, detention.facility)
    return out


def _render_status(reader: Reader, change: StatusChange) -> dict[str, Any]:
    return _view(change, reader.audience(change, change.person_id), STATUS_FIELDS)


def _render_decision(reader: Reader, decision: RecognitionDecision) -> dict[str, Any]:
    pid = decision.person_id
    out = _view(decision, reader.audience(decision, pid), DECISION_FIELDS)
    if out:
        criteria: Iterable[CriterionAssessment] = decision.criteria.all()
        out["criteria"] = [o for c in criteria if (o := _view(c, reader.audience(c, pid), CRITERION_FIELDS))]
    return out


def _render_relationship(reader: Reader, rel: Relationship) -> dict[str, Any]:
    out = _view(rel, reader.audience(rel, rel.person_id), RELATIONSHIP_FIELDS)
    if "related_person_id" in out:
        related_id = out.pop("related_person_id")
        other = rel.related_person if related_id is not None else None
        if other is None:
            out["related_person"] = None
        elif policy.can(reader.user, VIEW, other) and reader.sees(other, other.pk):
            # The link is shown as the other person's own identifier, through their projection.
            shown = _view(other, reader.audience(other, other.pk), ["uuid"])
            if "uuid" in shown:
                out["related_person"] = shown["uuid"]
    return out


def _render_consent(reader: Reader, consent: Consent) -> dict[str, Any]:
    return _view(consent, reader.audience(consent, consent.person_id), CONSENT_FIELDS)


def _render_source(reader: Reader, source: Source, person_id: int | None,
                   citations: Iterable[Citation] = ()) -> dict[str, Any]:
    out = _view(source, reader.audience(source, person_id), SOURCE_FIELDS)
    if out:
        out["citations"] = [o for c in citations if reader.sees(c, person_id)
                            and (o := _view(c, reader.audience(c, person_id), CITATION_FIELDS))]
    return out


def _label(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _person_sources(reader: Reader, person: Person) -> list[dict[str, Any]]:
    """The sources cited on the person or any record hanging off them."""
    cases = list(person.cases.all())
    targets: dict[str, list[int]] = {
        _label(Person): [person.pk],
        _label(Case): [c.pk for c in cases],
        _label(Charge): [x.pk for c in cases for x in c.charges.all()],
        _label(Hearing): [x.pk for c in cases for x in c.hearings.all()],
        _label(Sentence): [x.pk for c in cases for x in c.sentences.all()],
        _label(DetentionPeriod): [d.pk for d in person.detentions.all()],
        _label(StatusChange): [x.pk for x in person.status_changes.all()],
        _label(RecognitionDecision): [x.pk for x in person.decisions.all()],
        _label(Relationship): [x.pk for x in person.relationships.all()],
        _label(Consent): [x.pk for x in person.consents.all()],
    }
    where = Q(pk__in=[])
    for label, ids in targets.items():
        if ids:
            where |= Q(target_type=label, target_id__in=ids)
    citations = Citation.objects.filter(where, organisation_id=person.organisation_id).select_related("source")
    by_source: dict[int, tuple[Source, list[Citation]]] = {}
    for citation in citations.order_by("source__label", "source_id", "id"):
        by_source.setdefault(citation.source_id, (citation.source, []))[1].append(citation)
    out = []
    for source, cited in by_source.values():
        if policy.can(reader.user, VIEW, source) and reader.sees(source, person.pk):
            rendered = _render_source(reader, source, person.pk, cited)
            if rendered:
                out.append(rendered)
    return out


def _full_person(person_qs: QuerySet[Person]) -> QuerySet[Person]:
    return person_qs.prefetch_related(
        "names", "cases__charges__law_article", "cases__hearings__judges", "cases__sentences",
        "detentions__facility", "status_changes", "decisions__criteria", "relationships__related_person",
        "consents",
    )


def _render_person(reader: Reader, person: Person) -> dict[str, Any]:
    pid = person.pk
    out = _view(person, reader.audience(person, pid), PERSON_FIELDS)
    if not out:
        raise Http404()
    out["names"] = [o for n in person.names.all() if (o := _view(n, reader.audience(n, pid), NAME_FIELDS))]
    out["cases"] = [o for c in person.cases.all() if (o := _render_case(reader, c))]
    out["detentions"] = [o for d in person.detentions.all() if (o := _render_detention(reader, d))]
    out["status_changes"] = [o for c in person.status_changes.all() if (o := _render_status(reader, c))]
    out["decisions"] = [o for d in person.decisions.all() if (o := _render_decision(reader, d))]
    out["relationships"] = [o for r in person.relationships.all() if (o := _render_relationship(reader, r))]
    out["consents"] = [o for c in person.consents.all() if (o := _render_consent(reader, c))]
    out["sources"] = _person_sources(reader, person)
    return out


def _person_detail(request: HttpRequest, person: Person) -> dict[str, Any]:
    fresh = _full_person(Person.objects.filter(pk=person.pk)).get()
    return _render_person(_reader(request), fresh)


class Projected:
    """A queryset read through the projection: counted by the database, projected one page at a time.

    Shaped like what ninja's PageNumberPagination slices and counts.
    """

    LIMIT = 10**9  # an offset past this finds nothing (and never reaches the database)

    def __init__(self, queryset: QuerySet[Any], render: Callable[[list[Any]], list[dict[str, Any]]]) -> None:
        self.queryset = queryset
        self.render = render

    def all(self) -> "Projected":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        if (window.start or 0) > self.LIMIT:
            return []
        return self.render(list(self.queryset[window]))


# --- visibility inside queries --------------------------------------------------------------------


def _record_visible(reader: Reader, person_path: str, prefix: str = "") -> Q:
    """Rows whose whole-record class the caller reaches: internal for staff, restricted for the person's case team.

    ``prefix`` names the related record whose class is asked about ("" for the row itself).
    """
    floor = f"{prefix}sensitivity_floor"
    visible = Q(**{f"{floor}__isnull": True}) | Q(**{f"{floor}__lte": Sensitivity.INTERNAL})
    if reader.user_id is not None:
        team = Person.case_team.through.objects.filter(user_id=reader.user_id).values("person_id")
        visible |= Q(**{f"{floor}__lte": Sensitivity.RESTRICTED, f"{person_path}__in": team})
    return visible


def _field_matchable(field: str, prefix: str = "") -> Q:
    # A filter may only match a value the caller could read: a row whose field has a raised
    # class is conservatively never matched by a filter on that field (for any caller).
    return ~Q(**{f"{prefix}sensitivity_overrides__has_key": field})


def _related_exists(model: type[Model], reader: Reader, person_path: str, where: Q, *, fields: Iterable[str],
                    via: Iterable[str] = ()) -> Exists:
    """Whether the person has a related row matching ``where`` that the caller may know about.

    ``fields`` are the filtered fields of the row; ``via`` the relations (e.g. "case__") whose own
    records must be visible too.
    """
    condition = Q(**{person_path: OuterRef("pk")}) & _record_visible(reader, person_path) & where
    for field in fields:
        condition &= _field_matchable(field)
    for prefix in via:
        condition &= _record_visible(reader, person_path, prefix)
    return Exists(model._default_manager.filter(condition))


# --- people ------------------------------------------------------------------------------------------


@router.get("/people", response=responses(list[s.PersonSummaryOut]), exclude_unset=True,
            summary="People in the caller's registry",
            description="People recorded by the caller's organisations, filtered and paged. Filters only match "
                        "what the caller may read.")
@paginate(PageNumberPagination)
def list_people(request: HttpRequest, filters: Query[s.PeopleFilters]) -> Any:
    reader = _reader(request)
    orgs = policy.organisation_ids(request.user, "view")
    if not orgs:
        raise Http404()
    # merged_into: people merged into another (issue 4) are retired and left out.
    qs = Person.objects.filter(_record_visible(reader, "pk"), organisation_id__in=orgs, merged_into__isnull=True)
    for param, field in (("country", "country"), ("status", "current_status"), ("occupation", "occupation"),
                         ("recognition", "recognition_outcome")):
        value = getattr(filters, param)
        if value is not None:
            qs = qs.filter(_field_matchable(field), **{field: value})
    if filters.theme is not None:
        qs = qs.filter(_related_exists(Case, reader, "person", Q(theme=filters.theme), fields=["theme"]))
    if filters.law_article is not None:
        qs = qs.filter(_related_exists(Charge, reader, "case__person", Q(law_article_id=filters.law_article),
                                       fields=["law_article_id"], via=["case__"]))
    if filters.facility is not None:
        qs = qs.filter(_related_exists(DetentionPeriod, reader, "person", Q(facility_id=filters.facility),
                                       fields=["facility_id"]))
    ranked = None
    if filters.q:
        # Names index (issue 4): the closest people the caller may see, best first (registry.search).
        from unforgotten.registry import search

        hits = search.find_people(request.user, filters.q, organisation_ids=orgs, limit=200)
        ranked = Case_(*[When(pk=h.person_id, then=Value(rank)) for rank, h in enumerate(hits)],
                       default=Value(len(hits))) if hits else Value(0)
        qs = qs.filter(pk__in=[h.person_id for h in hits])

    def render(people: list[Person]) -> list[dict[str, Any]]:
        reader.load_teams(p.pk for p in people)
        return [o for p in people if (o := _view(p, reader.audience(p, p.pk), PERSON_SUMMARY))]

    if ranked is not None:
        return Projected(qs.order_by(ranked, "id"), render)
    return Projected(qs.order_by("sort_name", "id"), render)


@router.post("/people", response=responses(s.PersonOut, 201), exclude_unset=True, auth=gated(_may_record),
             summary="Record a person",
             description="Records a person for the caller's organisation (the one named by ?organisation=<slug> "
                         "when the caller records for several). Needs the write scope, or a role that edits cases.")
def create_person(request: HttpRequest, payload: s.PersonIn, organisation: s.Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "edit_cases")
    names = [actions.NameInput(n.text, n.script, n.language, n.kind.value, n.is_primary) for n in payload.names]
    person = _act(actions.do_create_person, organisation=org, names=names, data=_data(payload, exclude={"names"}),
                  acting_user=request.user)
    return Status(201, _person_detail(request, person))


@router.get("/people/{uuid}", response=responses(s.PersonOut), exclude_unset=True,
            summary="A person's full record",
            description="Names, cases with charges, hearings and sentences (with the expected release), detentions, "
                        "status history, recognition decisions with their criteria, relationships, consents and the "
                        "sources cited. Sealed values are never returned.")
def get_person(request: HttpRequest, uuid: UUID) -> Any:
    return _person_detail(request, _person(request, uuid, VIEW))


@router.patch("/people/{uuid}", response=responses(s.PersonOut), exclude_unset=True, auth=gated(_may_edit_person),
              summary="Change a person's fields",
              description="Only the fields given change. Names have their own endpoint; status and recognition "
                          "follow from status changes and decisions.")
def update_person(request: HttpRequest, uuid: UUID, payload: s.PersonPatch) -> Any:
    person = _person(request, uuid, EDIT)
    _act(actions.do_update_person, person=person, data=_data(payload), acting_user=request.user)
    return _person_detail(request, person)


@router.put("/people/{uuid}/names", response=responses(list[s.NameOut]), exclude_unset=True,
            auth=gated(_may_edit_person), summary="Replace a person's names")
def set_person_names(request: HttpRequest, uuid: UUID, payload: s.NamesIn) -> Any:
    person = _person(request, uuid, EDIT)
    names = [actions.NameInput(n.text, n.script, n.language, n.kind.value, n.is_primary) for n in payload.names]
    _act(actions.do_set_names, person=person, names=names, acting_user=request.user)
    reader = _reader(request)
    return [o for n in person.names.all() if (o := _view(n, reader.audience(n, person.pk), NAME_FIELDS))]


# --- cases and what hangs off them -----------------------------------------------------------------------


@router.post("/people/{uuid}/cases", response=responses(s.CaseOut, 201), exclude_unset=True,
             auth=gated(_may_edit_person), summary="Open a case for a person")
def add_case(request: HttpRequest, uuid: UUID, payload: s.CaseIn) -> Any:
    person = _person(request, uuid, EDIT)
    case = _act(actions.do_add_case, person=person, data=_data(payload), acting_user=request.user)
    return Status(201, _render_case(_reader(request), case))


@router.patch("/cases/{case_id}", response=responses(s.CaseOut), exclude_unset=True, auth=gated(_may_edit_case),
              summary="Change a case's fields")
def update_case(request: HttpRequest, case_id: s.RecordId, payload: s.CasePatch) -> Any:
    case = _case(request, case_id, EDIT)
    _act(actions.do_update_case, case=case, data=_data(payload), acting_user=request.user)
    return _render_case(_reader(request), case)


@router.post("/cases/{case_id}/charges", response=responses(s.ChargeOut, 201), exclude_unset=True,
             auth=gated(_may_edit_case), summary="Add a charge to a case")
def add_charge(request: HttpRequest, case_id: s.RecordId, payload: s.ChargeIn) -> Any:
    case = _case(request, case_id, EDIT)
    article = LawArticle.objects.filter(pk=payload.law_article_id).first()
    if article is None:
        raise _refuse("law_article_id", "There is no such law article in the catalogue.")
    data = {**_data(payload, exclude={"law_article_id"}), "law_article": article}
    charge = _act(actions.do_add_charge, case=case, data=data, acting_user=request.user)
    return Status(201, _render_charge(_reader(request), charge, case.person_id))


@router.post("/cases/{case_id}/hearings", response=responses(s.HearingOut, 201), exclude_unset=True,
             auth=gated(_may_edit_case), summary="Add a hearing to a case")
def add_hearing(request: HttpRequest, case_id: s.RecordId, payload: s.HearingIn) -> Any:
    case = _case(request, case_id, EDIT)
    wanted = set(payload.judge_ids)
    judges = list(Official.objects.filter(organisation_id=case.organisation_id, pk__in=wanted))
    if len(judges) != len(wanted):
        raise _refuse("judge_ids", "Name only officials your organisation records (GET /officials).")
    hearing = _act(actions.do_add_hearing, case=case, data=_data(payload, exclude={"judge_ids"}), judges=judges,
                   acting_user=request.user)
    return Status(201, _render_hearing(_reader(request), hearing, case.person_id))


@router.post("/cases/{case_id}/sentences", response=responses(s.SentenceOut, 201), exclude_unset=True,
             auth=gated(_may_edit_case), summary="Add a sentence to a case")
def add_sentence(request: HttpRequest, case_id: s.RecordId, payload: s.SentenceIn) -> Any:
    case = _case(request, case_id, EDIT)
    sentence = _act(actions.do_add_sentence, case=case, data=_data(payload), acting_user=request.user)
    return Status(201, _render_sentence(_reader(request), sentence, case.person_id))


def _case_record[M: Model](model: type[M], request: HttpRequest, raw: object, *permissions: str) -> M:
    """A charge, hearing or sentence by id, if the caller may act on it and see it; else 404."""
    obj = model._default_manager.select_related("case__person").filter(pk=_parse_id(raw)).first()
    if obj is None or not _allowed(request, obj, permissions or (VIEW,)):
        raise Http404()
    reader = _reader(request)
    case = obj.case  # type: ignore[attr-defined]
    if not all(reader.sees(o, case.person_id) for o in (case.person, case, obj)):
        raise Http404()
    return obj


def _may_edit_charge(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _case_record(Charge, request, kwargs.get("charge_id"), EDIT)


def _may_edit_hearing(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _case_record(Hearing, request, kwargs.get("hearing_id"), EDIT)


def _may_edit_sentence(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _case_record(Sentence, request, kwargs.get("sentence_id"), EDIT)


@router.patch("/charges/{charge_id}", response=responses(s.ChargeOut), exclude_unset=True,
              auth=gated(_may_edit_charge), summary="Change a charge (its article, wording, date or status)")
def update_charge(request: HttpRequest, charge_id: s.RecordId, payload: s.ChargePatch) -> Any:
    charge = _case_record(Charge, request, charge_id, EDIT)
    data = _data(payload, exclude={"law_article_id"})
    if payload.law_article_id is not None:
        article = LawArticle.objects.filter(pk=payload.law_article_id).first()
        if article is None:
            raise _refuse("law_article_id", "There is no such law article in the catalogue.")
        data["law_article"] = article
    _act(actions.do_update_charge, charge=charge, data=data, acting_user=request.user)
    return _render_charge(_reader(request), charge, charge.case.person_id)


@router.patch("/hearings/{hearing_id}", response=responses(s.HearingOut), exclude_unset=True,
              auth=gated(_may_edit_hearing), summary="Change a hearing; judge_ids, when given, replaces the bench")
def update_hearing(request: HttpRequest, hearing_id: s.RecordId, payload: s.HearingPatch) -> Any:
    hearing = _case_record(Hearing, request, hearing_id, EDIT)
    judges = None
    if "judge_ids" in payload.model_fields_set:
        wanted = set(payload.judge_ids or [])
        judges = list(Official.objects.filter(organisation_id=hearing.organisation_id, pk__in=wanted))
        if len(judges) != len(wanted):
            raise _refuse("judge_ids", "Name only officials your organisation records (GET /officials).")
    _act(actions.do_update_hearing, hearing=hearing, data=_data(payload, exclude={"judge_ids"}), judges=judges,
         acting_user=request.user)
    return _render_hearing(_reader(request), hearing, hearing.case.person_id)


@router.patch("/sentences/{sentence_id}", response=responses(s.SentenceOut), exclude_unset=True,
              auth=gated(_may_edit_sentence), summary="Change a sentence")
def update_sentence(request: HttpRequest, sentence_id: s.RecordId, payload: s.SentencePatch) -> Any:
    sentence = _case_record(Sentence, request, sentence_id, EDIT)
    _act(actions.do_update_sentence, sentence=sentence, data=_data(payload), acting_user=request.user)
    return _render_sentence(_reader(request), sentence, sentence.case.person_id)


# --- detention, status, people around the prisoner, consent -------------------------------------------------


def _own_case(person: Person, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    case = person.cases.filter(pk=case_id).first()
    if case is None:
        raise _refuse("case_id", "That is not one of this person's cases.")
    return case


@router.post("/people/{uuid}/detentions", response=responses(s.DetentionOut, 201), exclude_unset=True,
             auth=gated(_may_edit_person), summary="Record a period of detention")
def add_detention(request: HttpRequest, uuid: UUID, payload: s.DetentionIn) -> Any:
    person = _person(request, uuid, EDIT)
    data = _data(payload, exclude={"case_id", "facility_id"})
    if payload.case_id is not None:
        data["case"] = _own_case(person, payload.case_id)
    if payload.facility_id is not None:
        facility = Facility.objects.filter(pk=payload.facility_id).first()
        if facility is None:
            raise _refuse("facility_id", "There is no such facility in the catalogue.")
        data["facility"] = facility
    detention = _act(actions.do_add_detention, person=person, data=data, acting_user=request.user)
    return Status(201, _render_detention(_reader(request), detention))


def _detention(request: HttpRequest, raw: object, *permissions: str) -> DetentionPeriod:
    detention = DetentionPeriod.objects.select_related("person").filter(pk=_parse_id(raw)).first()
    if detention is None or not _allowed(request, detention, permissions or (VIEW,)):
        raise Http404()
    reader = _reader(request)
    if not (reader.sees(detention.person, detention.person_id) and reader.sees(detention, detention.person_id)):
        raise Http404()
    return detention


def _may_edit_detention(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _detention(request, kwargs.get("detention_id"), EDIT)


@router.patch("/detentions/{detention_id}", response=responses(s.DetentionOut), exclude_unset=True,
              auth=gated(_may_edit_detention), summary="Change a period of detention (e.g. record its end)")
def update_detention(request: HttpRequest, detention_id: s.RecordId, payload: s.DetentionPatch) -> Any:
    detention = _detention(request, detention_id, EDIT)
    data = _data(payload, exclude={"case_id", "facility_id"})
    given = payload.model_fields_set
    if "case_id" in given:
        data["case"] = _own_case(detention.person, payload.case_id)
    if "facility_id" in given:
        facility = None
        if payload.facility_id is not None:
            facility = Facility.objects.filter(pk=payload.facility_id).first()
            if facility is None:
                raise _refuse("facility_id", "There is no such facility in the catalogue.")
        data["facility"] = facility
    _act(actions.do_update_detention, detention=detention, data=data, acting_user=request.user)
    return _render_detention(_reader(request), detention)


# --- the photo -------------------------------------------------------------------------------------------


@router.post("/people/{uuid}/photo", response=responses(s.PersonOut), exclude_unset=True,
             auth=gated(_may_edit_person), summary="Upload a person's photo",
             description="Multipart form with a `photo` file (JPEG, PNG, WebP or GIF, up to 10 MB). Location, "
                         "camera and every other metadata block are removed; only the pixels are kept.")
def set_photo(request: HttpRequest, uuid: UUID, photo: File[UploadedFile]) -> Any:
    person = _photo_person(request, uuid, EDIT)
    _act(actions.do_set_photo, person=person, upload=photo, size=photo.size, acting_user=request.user)
    return _person_detail(request, person)


@router.delete("/people/{uuid}/photo", response=responses(s.PersonOut), exclude_unset=True,
               auth=gated(_may_edit_person), summary="Remove a person's photo")
def remove_photo(request: HttpRequest, uuid: UUID) -> Any:
    person = _photo_person(request, uuid, EDIT)
    _act(actions.do_remove_photo, person=person, acting_user=request.user)
    return _person_detail(request, person)


@router.get("/people/{uuid}/photo", response=responses(None), summary="A person's photo (image/jpeg)",
            description="Only for callers the projection lets see the photo; 404 otherwise or when there is none.",
            openapi_extra={"responses": {200: {"description": "The photo", "content": {"image/jpeg": {}}}}})
def get_photo(request: HttpRequest, uuid: UUID) -> Any:
    from unforgotten.registry.photos import photo_path, photo_response

    path = photo_path(str(_photo_person(request, uuid).photo.name or ""))
    if path is None:
        raise Http404()
    return photo_response(path)


def _photo_person(request: HttpRequest, uuid: UUID, *permissions: str) -> Person:
    """The person, if the caller may act on them and see their photo field; else "not found"."""
    person = _person(request, uuid, *permissions)
    if not _reader(request).audience(person, person.pk).may_see(field_sensitivity(person, "photo")):
        raise Http404()
    return person


# --- the case team ----------------------------------------------------------------------------------------


def _may_manage_team(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _person(request, kwargs.get("uuid"), "registry.manage_team")


def _team(person: Person) -> list[dict[str, Any]]:
    return [{"id": u.pk, "email": u.email, "name": u.get_full_name()}
            for u in person.case_team.filter(is_active=True).order_by("email")]


def _fresh_credentials(request: HttpRequest) -> None:
    """Changing the case team widens who reads the most dangerous data: a session must have re-authenticated."""
    from ninja.errors import HttpError

    from unforgotten.accounts.sudo import recently_reauthenticated

    if getattr(request.user, "uf_token", None) is not None or not recently_reauthenticated(request):
        raise HttpError(401, "Re-enter your credentials (/accounts/reauthenticate/) before changing the case team.")


@router.get("/people/{uuid}/case-team", response=responses(list[s.CaseTeamMemberOut]),
            summary="Who is on a person's case team",
            description="The case team reads restricted fields and may reveal sealed ones.")
def get_case_team(request: HttpRequest, uuid: UUID) -> Any:
    return _team(_person(request, uuid))


@router.post("/people/{uuid}/case-team", response=responses(list[s.CaseTeamMemberOut]),
             auth=gated(_may_manage_team), summary="Put a member on the case team",
             description="Reviewers and organisation admins, in a session that re-authenticated within 15 minutes.")
def add_to_case_team(request: HttpRequest, uuid: UUID, payload: s.CaseTeamChangeIn) -> Any:
    person = _person(request, uuid, "registry.manage_team")
    _fresh_credentials(request)
    member = _member(person, payload.user_id)
    _act(actions.do_add_to_case_team, person=person, member=member, acting_user=request.user, reason=payload.reason)
    return _team(person)


@router.post("/people/{uuid}/case-team/remove", response=responses(list[s.CaseTeamMemberOut]),
             auth=gated(_may_manage_team), summary="Take a member off the case team",
             description="Reviewers and organisation admins, in a session that re-authenticated within 15 minutes.")
def remove_from_case_team(request: HttpRequest, uuid: UUID, payload: s.CaseTeamChangeIn) -> Any:
    person = _person(request, uuid, "registry.manage_team")
    _fresh_credentials(request)
    member = _member(person, payload.user_id)
    _act(actions.do_remove_from_case_team, person=person, member=member, acting_user=request.user,
         reason=payload.reason)
    return _team(person)


def _member(person: Person, user_id: int) -> Any:
    from unforgotten.accounts.models import User

    member = User.objects.filter(pk=user_id).first()
    if member is None:
        raise _refuse("user_id", "There is no such user in your organisation.")
    return member


@router.post("/people/{uuid}/status-changes", response=responses(s.StatusChangeOut, 201), exclude_unset=True,
             auth=gated(_may_edit_person), summary="Record a change of status",
             description="The person's current status follows the latest change.")
def add_status_change(request: HttpRequest, uuid: UUID, payload: s.StatusChangeIn) -> Any:
    person = _person(request, uuid, EDIT)
    change = _act(actions.do_record_status, person=person, status=payload.status.value,
                  effective=PartialDate.parse(payload.effective), note=payload.note, acting_user=request.user)
    return Status(201, _render_status(_reader(request), change))


@router.post("/people/{uuid}/relationships", response=responses(s.RelationshipOut, 201), exclude_unset=True,
             auth=gated(_may_edit_person), summary="Record a relative, lawyer or co-defendant",
             description="The name and contact details are sealed: stored encrypted and never returned.")
def add_relationship(request: HttpRequest, uuid: UUID, payload: s.RelationshipIn) -> Any:
    person = _person(request, uuid, EDIT)
    related = None
    if payload.related_person is not None:
        related = Person.objects.filter(uuid=payload.related_person, organisation_id=person.organisation_id).first()
        if related is None or not _reader(request).sees(related, related.pk):
            raise _refuse("related_person", "Link only people your organisation records.")
    rel = _act(actions.do_add_relationship, person=person, kind=payload.kind.value, name=payload.name,
               contact=payload.contact, notes=payload.notes, related_person=related, acting_user=request.user)
    return Status(201, _render_relationship(_reader(request), rel))


@router.post("/people/{uuid}/consents", response=responses(s.ConsentOut, 201), exclude_unset=True,
             auth=gated(_may_edit_person), summary="Record consent to publish")
def add_consent(request: HttpRequest, uuid: UUID, payload: s.ConsentIn) -> Any:
    person = _person(request, uuid, EDIT)
    consent = _act(actions.do_record_consent, person=person, data=_data(payload), acting_user=request.user)
    return Status(201, _render_consent(_reader(request), consent))


@router.post("/consents/{consent_id}/withdraw", response=responses(s.ConsentOut), exclude_unset=True,
             auth=gated(_may_edit_consent), summary="Withdraw a consent")
def withdraw_consent(request: HttpRequest, consent_id: s.RecordId, payload: s.WithdrawIn) -> Any:
    consent = _consent(request, consent_id, EDIT)
    _act(actions.do_withdraw_consent, consent=consent, withdrawn_on=payload.withdrawn_on, reason=payload.reason,
         acting_user=request.user)
    return _render_consent(_reader(request), consent)


@router.post("/sources", response=responses(s.SourceOut, 201), exclude_unset=True, auth=gated(_may_record),
             summary="Record a source",
             description="The identity is sealed: stored encrypted and never returned. The source belongs to the "
                         "caller's organisation (the one named by ?organisation=<slug> when there are several).")
def add_source(request: HttpRequest, payload: s.SourceIn, organisation: s.Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "edit_cases")
    source = _act(actions.do_add_source, organisation=org, data=_data(payload, exclude={"identity"}),
                  identity=payload.identity, acting_user=request.user)
    return Status(201, _render_source(_reader(request), source, None))


@router.post("/people/{uuid}/decisions", response=responses(s.DecisionOut, 201), exclude_unset=True,
             auth=gated(_may_review_person), summary="Record a recognition decision",
             description="Needs the review capability in the person's organisation as well as the right to edit "
                         "cases. No token scope grants review, so this endpoint is for a reviewer's signed-in "
                         "session only; a token is answered \"not found\". The caller is recorded as the reviewer.")
def add_decision(request: HttpRequest, uuid: UUID, payload: s.DecisionIn) -> Any:
    person = _person(request, uuid, EDIT, REVIEW)
    data = _data(payload, exclude={"criteria", "case_id"})
    if payload.case_id is not None:
        data["case"] = _own_case(person, payload.case_id)
    criteria = [actions.CriterionInput(c.code, c.result.value, c.rationale, c.evidence_links, c.is_exclusion)
                for c in payload.criteria]
    decision = _act(actions.do_record_decision, person=person, data=data, criteria=criteria,
                    reviewers=[request.user], acting_user=request.user)
    return Status(201, _render_decision(_reader(request), decision))


# --- catalogues ----------------------------------------------------------------------------------------


@router.get("/law-articles", response=responses(list[s.LawArticleOut]), exclude_unset=True,
            summary="The shared catalogue of law articles")
@paginate(PageNumberPagination)
def list_law_articles(request: HttpRequest, filters: Query[s.LawArticleFilters]) -> Any:
    _somewhere(request, "view")
    reader = _reader(request)
    qs = LawArticle.objects.all()
    if filters.country is not None:
        qs = qs.filter(country=filters.country)
    if filters.q:
        qs = qs.filter(Q(code__icontains=filters.q) | Q(article__icontains=filters.q) | Q(title__icontains=filters.q))
    return Projected(qs.order_by("country", "code", "article", "part", "id"),
                     lambda rows: [_render_law_article(reader, a) for a in rows])


@router.post("/law-articles", response=responses(s.LawArticleOut, 201), exclude_unset=True,
             auth=gated(_may_add_to_catalogue), summary="Add a law article to the shared catalogue")
def create_law_article(request: HttpRequest, payload: s.LawArticleIn) -> Any:
    article = _act(actions.do_add_law_article, data=_data(payload), acting_user=request.user)
    return Status(201, _render_law_article(_reader(request), article))


@router.get("/facilities", response=responses(list[s.FacilityOut]), exclude_unset=True,
            summary="The shared catalogue of places of detention")
@paginate(PageNumberPagination)
def list_facilities(request: HttpRequest, filters: Query[s.FacilityFilters]) -> Any:
    _somewhere(request, "view")
    reader = _reader(request)
    qs = Facility.objects.all()
    if filters.country is not None:
        qs = qs.filter(country=filters.country)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(place__icontains=filters.q))
    return Projected(qs.order_by("country", "name", "id"), lambda rows: [_render_facility(reader, f) for f in rows])


@router.post("/facilities", response=responses(s.FacilityOut, 201), exclude_unset=True,
             auth=gated(_may_add_to_catalogue), summary="Add a facility to the shared catalogue")
def create_facility(request: HttpRequest, payload: s.FacilityIn) -> Any:
    facility = _act(actions.do_add_facility, data=_data(payload), acting_user=request.user)
    return Status(201, _render_facility(_reader(request), facility))


@router.get("/officials", response=responses(list[s.OfficialOut]), exclude_unset=True,
            summary="Judges, prosecutors and investigators recorded by the caller's organisations")
@paginate(PageNumberPagination)
def list_officials(request: HttpRequest, filters: Query[s.OfficialFilters]) -> Any:
    reader = _reader(request)
    orgs = policy.organisation_ids(request.user, "view")
    if not orgs:
        raise Http404()
    # Officials belong to no person: only staff-level records are listed.
    qs = Official.objects.filter(Q(sensitivity_floor__isnull=True) | Q(sensitivity_floor__lte=Sensitivity.INTERNAL),
                                 organisation_id__in=orgs)
    if filters.role is not None:
        qs = qs.filter(_field_matchable("role"), role=filters.role)
    if filters.q:
        qs = qs.filter(_field_matchable("name"), name__icontains=filters.q)
    return Projected(qs.order_by("name", "id"),
                     lambda rows: [o for x in rows if (o := _render_official(reader, x))])


@router.post("/officials", response=responses(s.OfficialOut, 201), exclude_unset=True, auth=gated(_may_record),
             summary="Record an official",
             description="Involvement is alleged until reviewed. The official belongs to the caller's organisation "
                         "(the one named by ?organisation=<slug> when there are several).")
def create_official(request: HttpRequest, payload: s.OfficialIn, organisation: s.Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "edit_cases")
    official = _act(actions.do_add_official, organisation=org, data=_data(payload), acting_user=request.user)
    return Status(201, _render_official(_reader(request), official))


# --- erasure (issue 5, helper "backup") -------------------------------------------------------------
# DELETE purges the record's protected values everywhere (registry/erasure.py). Reviewers and
# organisation admins only, in a session that re-authenticated within 15 minutes (never a token),
# with a reason (?reason=…) kept in the audit trail.


class ErasureOut(s.Out):
    erased: dict[str, int]  # historical versions deleted per kind of record ("registry.case": 3, …)


def _may_erase_case(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _case(request, kwargs.get("case_id"), EDIT, REVIEW)


def _source(request: HttpRequest, raw: object, *permissions: str) -> Source:
    source = Source.objects.filter(uuid=_parse_uuid(raw)).first()
    if source is None or not _allowed(request, source, permissions or (VIEW,)):
        raise Http404()
    if not _reader(request).sees(source, None):
        raise Http404()
    return source


def _may_erase_source(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _source(request, kwargs.get("uuid"), EDIT, REVIEW)


def _fresh_credentials_to_erase(request: HttpRequest) -> None:
    from ninja.errors import HttpError

    from unforgotten.accounts.sudo import recently_reauthenticated

    if getattr(request.user, "uf_token", None) is not None or not recently_reauthenticated(request):
        raise HttpError(401, "Re-enter your credentials (/accounts/reauthenticate/) before erasing a record.")


@router.delete("/cases/{case_id}", response=responses(ErasureOut), auth=gated(_may_erase_case),
               summary="Erase a case for good",
               description="Deletes the case with its charges, hearings and sentences, their history and citations; "
                           "the audit trail keeps only digests. Reviewers and organisation admins, in a session "
                           "that re-authenticated within 15 minutes; ?reason= is required.")
def erase_case(request: HttpRequest, case_id: s.RecordId, reason: s.Text) -> Any:
    from unforgotten.registry import erasure

    case = _case(request, case_id, EDIT, REVIEW)
    _fresh_credentials_to_erase(request)
    return {"erased": _act(erasure.do_erase_case, case=case, acting_user=request.user, reason=reason)}


@router.delete("/sources/{uuid}", response=responses(ErasureOut), auth=gated(_may_erase_source),
               summary="Erase a source for good",
               description="Deletes the source with its sealed identity, citations and history; the audit trail "
                           "keeps only digests. Reviewers and organisation admins, in a session that "
                           "re-authenticated within 15 minutes; ?reason= is required.")
def erase_source(request: HttpRequest, uuid: UUID, reason: s.Text) -> Any:
    from unforgotten.registry import erasure

    source = _source(request, uuid, EDIT, REVIEW)
    _fresh_credentials_to_erase(request)
    return {"erased": _act(erasure.do_erase_source, source=source, acting_user=request.user, reason=reason)}


def _may_erase_person(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _person(request, kwargs.get("uuid"), EDIT, REVIEW)


@router.delete("/people/{uuid}", response=responses(ErasureOut), auth=gated(_may_erase_person),
               summary="Erase a person and everything about them for good",
               description="Deletes the person with every record about them (names, cases, detentions, "
                           "relationships, consents, decisions, advocacy records, public profiles), their history, "
                           "citations, name-index entries and stored public pages; evidence files are deleted and "
                           "their items kept as tombstones. The audit trail keeps only digests of protected values. "
                           "Reviewers and organisation admins, in a session that re-authenticated within 15 "
                           "minutes; ?reason= is required. (Issue 5, helper \"evidence\".)")
def erase_person(request: HttpRequest, uuid: UUID, reason: s.Text) -> Any:
    from unforgotten.registry import erasure

    person = _person(request, uuid, EDIT, REVIEW)
    _fresh_credentials_to_erase(request)
    return {"erased": _act(erasure.do_erase_person, person=person, acting_user=request.user, reason=reason)}


# --- end erasure ---
