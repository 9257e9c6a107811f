"""The take-action API at /api/v1/actions/, in the OSDI style (HAL+JSON), through the same policy and actions.

- Petitions and targets: read with ``actions.view`` (a token's read scope),
  create with ``actions.edit`` (a campaigner or admin; a token's campaign scope).
- Signatures: listed with ``actions.edit`` (supporter data: no address, no name in
  the listing), recorded like OSDI's ``record_signature_helper``: the person gets
  the same confirmation e-mail as on the page, and the answer is the same whether
  or not the address had signed.
- The public petition (``/public/petitions/{slug}``): the PUBLIC projection only,
  with the count "as of" its last sum.
Refusals are "not found", decided before the body is read; bad input is a 422
naming the field, with nothing stored.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Status
from ninja.errors import ValidationError

from unforgotten import policy
from unforgotten.actions import abuse, actions
from unforgotten.actions.models import Petition, PetitionStatus, Signature, Target, TargetKind
from unforgotten.api.osdi import CURIES, PER_PAGE, OsdiOut, absolute, page_of, paging
from unforgotten.api.schemas import StrictIn, act, organisation_or_404, responses, uuid_or_404
from unforgotten.policy.projection import PUBLIC, audience_for, project
from unforgotten.registry.api import gated
from unforgotten.registry.models import Person
from unforgotten.registry.schemas import Country, Text

router = Router(tags=["actions"])

VIEW, EDIT = "actions.view", "actions.edit"


# --- finding through the policy ---------------------------------------------------------------------------


def _petition(request: HttpRequest, slug: object, key: object, permission: str) -> Petition:
    org = organisation_or_404(request, slug, permission)
    petition = Petition.objects.filter(uuid=uuid_or_404(key), organisation=org).first()
    if petition is None or not policy.can(request.user, permission, petition):
        raise Http404()
    return petition


def _g_org(permission: str) -> list[Any]:
    return gated(lambda request, kw: organisation_or_404(request, kw.get("org"), permission))


def _g_petition(permission: str) -> list[Any]:
    return gated(lambda request, kw: _petition(request, kw.get("org"), kw.get("petition"), permission))


# --- schemas ------------------------------------------------------------------------------------------------


class PetitionTextIn(StrictIn):
    language: str = Field(..., max_length=10, description="One of the site's languages, e.g. en, ar, zh-hans.")
    title: Text = Field(..., min_length=1, max_length=300)
    summary: Text = Field("", max_length=5000)
    body: Text = Field(..., min_length=1, max_length=50_000, description="The petition text sent to the targets.")


class NewPetitionIn(StrictIn):
    name: Text = Field(..., min_length=1, max_length=200, description="The internal name (OSDI name).")
    slug: str = Field(..., pattern=r"^[-a-z0-9]{1,120}$", description="The public address: /<language>/petitions/<slug>/")
    default_language: str = Field("en", max_length=10)
    goal: int | None = Field(None, ge=1, le=1_000_000_000)
    deadline: datetime | None = None
    targets: list[UUID] = Field(default_factory=list, max_length=100, description="Targets of the organisation.")
    people: list[UUID] = Field(default_factory=list, max_length=100,
                               description="People of the organisation's registry the petition is for; their public "
                                           "profiles list it while it is open.")
    texts: list[PetitionTextIn] = Field(default_factory=list, max_length=7)
    open: bool = Field(False, description="Open for signatures at once (needs at least one text).")


class PetitionTargetIn(StrictIn):
    kind: TargetKind
    name: Text = Field(..., min_length=1, max_length=300)
    title: Text = Field("", max_length=300)
    institution: Text = Field("", max_length=300)
    country: Country = ""
    email: str = Field("", max_length=254)
    postal_address: Text = Field("", max_length=2000)
    phone: Text = Field("", max_length=60)
    notes: Text = Field("", max_length=5000)


class SignerEmailIn(StrictIn):
    address: str = Field(..., min_length=3, max_length=254)
    primary: bool = True


class SignerPostalIn(StrictIn):
    country: Country = ""


class SignerIn(StrictIn):
    given_name: Text = Field("", max_length=100)
    email_addresses: list[SignerEmailIn] = Field(..., min_length=1, max_length=5)
    postal_addresses: list[SignerPostalIn] = Field(default_factory=list, max_length=1)
    preferred_language: str = Field("en", max_length=10)

    def email(self) -> str:
        """The first address as supporters are kept (what the rate limits count), or a 422 naming it."""
        from unforgotten.actions import supporters

        try:
            return supporters.normalise_email(self.email_addresses[0].address)
        except DjangoValidationError as exc:
            raise ValidationError([{"loc": ("body", "payload", "person", "email_addresses", 0, "address"),
                                    "msg": m} for m in exc.messages]) from None


class SignatureHelperIn(StrictIn):
    """OSDI ``record_signature_helper``: the person and the signature together."""

    person: SignerIn
    comments: Text = Field("", max_length=actions.MAX_COMMENT)
    newsletter: bool = Field(False, description="The person ticked the organisation's newsletter box.")




# --- rendering ----------------------------------------------------------------------------------------------



def _petition_out(petition: Petition, audience: Any) -> dict[str, Any]:
    shown = project(petition, audience, ("uuid", "slug", "name", "status", "goal", "deadline", "count_shown",
                                         "count_as_of", "default_language"))
    text = petition.text_for(petition.default_language)
    text_shown = project(text, audience, ("title", "summary", "body")) if text else {}
    org = petition.organisation.slug
    out: dict[str, Any] = {
        "identifiers": [f"unforgotten:{petition.uuid}"],
        "origin_system": "Unforgotten",
        "created_date": petition.created_at.isoformat(),
        "modified_date": petition.updated_at.isoformat(),
        "title": text_shown.get("title", ""),
        "summary": text_shown.get("summary", ""),
        "petition_text": text_shown.get("body", ""),
        "total_signatures": shown.get("count_shown", 0),
        "total_signatures_as_of": shown["count_as_of"].isoformat() if shown.get("count_as_of") else None,
        "status": shown.get("status"),
        "goal": shown.get("goal"),
        "end_date": shown["deadline"].isoformat() if shown.get("deadline") else None,
        "browser_url": absolute(reverse("petitions:page", kwargs={"slug": petition.slug})),
        "target": [{"name": t.name} for t in petition.targets.all()],
        "languages": sorted(t.language for t in petition.texts.all()),
        "_links": {"self": {"href": absolute(f"/api/v1/actions/{org}/petitions/{petition.uuid}")},
                   "osdi:signatures": {"href": absolute(f"/api/v1/actions/{org}/petitions/{petition.uuid}/signatures")},
                   "curies": CURIES},
    }
    if "name" in shown:
        out["name"] = shown["name"]
        # Which people a petition is for is the house's to know: their public profiles show the link, through
        # publishing's consent; the public API does not.
        out["people"] = [{"identifiers": [f"unforgotten:{p.uuid}"]} for p in petition.people.all()]
    return out


def _target_out(target: Target, audience: Any) -> dict[str, Any]:
    shown = project(target, audience, ("uuid", "kind", "name", "title", "institution", "country", "email",
                                       "postal_address", "phone", "notes"))
    shown["identifiers"] = [f"unforgotten:{shown.pop('uuid')}"]
    return shown




# --- public -------------------------------------------------------------------------------------------------


@router.get("/public/petitions/{slug}", response=responses(OsdiOut), auth=None, url_name="actions_public_petition",
            summary="A public petition and its count (the public projection)")
def public_petition(request: HttpRequest, slug: str) -> Any:
    petition = Petition.objects.filter(slug=slug[:120], status__in=(
        PetitionStatus.OPEN, PetitionStatus.CLOSED, PetitionStatus.DELIVERED)).select_related("organisation").first()
    if petition is None:
        raise Http404()
    return _petition_out(petition, PUBLIC)


# --- petitions ----------------------------------------------------------------------------------------------


@router.get("/{org}/petitions", response=responses(OsdiOut), auth=_g_org(VIEW), url_name="actions_petitions",
            summary="Petitions of an organisation (OSDI collection)")
def list_petitions(request: HttpRequest, org: str, page: int = 1, per_page: int = PER_PAGE) -> Any:
    organisation = organisation_or_404(request, org, VIEW)
    page, per_page = paging(page, per_page)
    rows = Petition.objects.filter(organisation=organisation).select_related("organisation").prefetch_related(
        "texts", "targets").order_by("-created_at", "-id")
    total = rows.count()
    items = [_petition_out(p, audience_for(request.user, p)) for p in rows[(page - 1) * per_page:page * per_page]]
    return page_of(items, total, page, per_page, "osdi:petitions", f"/api/v1/actions/{org}/petitions")


@router.post("/{org}/petitions", response=responses(OsdiOut, 201), auth=_g_org(EDIT), url_name="actions_petitions",
             summary="Create a petition, its texts and (optionally) open it")
def create_petition(request: HttpRequest, org: str, payload: NewPetitionIn) -> Any:
    organisation = organisation_or_404(request, org, EDIT)
    targets = list(Target.objects.filter(organisation=organisation, uuid__in=payload.targets))
    if len(targets) != len(set(payload.targets)):
        raise ValidationError([{"loc": ("body", "payload", "targets"),
                                "msg": "Name targets of your organisation (GET /actions/{org}/targets)."}])
    people = list(Person.objects.filter(organisation=organisation, uuid__in=payload.people))
    if len(people) != len(set(payload.people)):
        raise ValidationError([{"loc": ("body", "payload", "people"),
                                "msg": "Name people of your organisation's registry (by their uuid)."}])
    languages = [code for code, _name in settings.LANGUAGES]
    for i, text in enumerate(payload.texts):
        if text.language not in languages:
            raise ValidationError([{"loc": ("body", "payload", "texts", i, "language"),
                                    "msg": f"Choose one of {', '.join(languages)}."}])
    if payload.default_language not in languages:
        raise ValidationError([{"loc": ("body", "payload", "default_language"),
                                "msg": f"Choose one of {', '.join(languages)}."}])
    if payload.open and not payload.texts:
        raise ValidationError([{"loc": ("body", "payload", "texts"), "msg": "Give a text to open the petition."}])
    if Petition.objects.filter(slug=payload.slug).exists():
        raise ValidationError([{"loc": ("body", "payload", "slug"), "msg": "This address is taken."}])
    data = {"name": payload.name, "slug": payload.slug, "default_language": payload.default_language,
            "goal": payload.goal, "deadline": payload.deadline}
    petition = act(actions.do_create_petition, organisation=organisation, data=data, targets=targets,
                    people=people, acting_user=request.user)
    for text in payload.texts:
        act(actions.do_set_petition_text, petition=petition, language=text.language, title=text.title,
             summary=text.summary, body=text.body, acting_user=request.user)
    if payload.open:
        petition = act(actions.do_open_petition, petition=petition, acting_user=request.user)
    petition = Petition.objects.select_related("organisation").get(pk=petition.pk)
    return Status(201, _petition_out(petition, audience_for(request.user, petition)))


@router.get("/{org}/petitions/{petition}", response=responses(OsdiOut), auth=_g_petition(VIEW),
            url_name="actions_petition", summary="A petition (OSDI petition)")
def get_petition(request: HttpRequest, org: str, petition: UUID) -> Any:
    obj = _petition(request, org, petition, VIEW)
    return _petition_out(obj, audience_for(request.user, obj))


@router.get("/{org}/petitions/{petition}/signatures", response=responses(OsdiOut), auth=_g_petition(EDIT),
            url_name="actions_signatures", summary="Signatures of a petition (no address, no name)")
def list_signatures(request: HttpRequest, org: str, petition: UUID, page: int = 1, per_page: int = PER_PAGE) -> Any:
    obj = _petition(request, org, petition, EDIT)
    page, per_page = paging(page, per_page)
    rows = Signature.objects.filter(petition=obj).order_by("-signed_at", "-id")
    total = rows.count()
    audience = audience_for(request.user, obj)
    items = []
    for s in rows[(page - 1) * per_page:page * per_page]:
        s.petition = obj
        shown = project(s, audience, ("state", "quarantine", "comment", "country", "signed_at", "confirmed_at"))
        items.append({
            "identifiers": [f"unforgotten:signature:{s.pk}"],
            "action_date": s.signed_at.isoformat(),
            "comments": shown.get("comment", ""),
            "status": shown.get("state"),
            "counted": s.counted,
            "quarantine": shown.get("quarantine", ""),
            "invalidated": s.invalidated_at is not None,
            "confirmed_date": s.confirmed_at.isoformat() if s.confirmed_at else None,
        })
    return page_of(items, total, page, per_page, "osdi:signatures",
                    f"/api/v1/actions/{org}/petitions/{obj.uuid}/signatures")


@router.post("/{org}/petitions/{petition}/signatures", response=responses(OsdiOut, 202), auth=_g_petition(EDIT),
             url_name="actions_signatures", summary="Record a signature (OSDI record_signature_helper)",
             description="The person is e-mailed the same confirmation link as on the page; the signature counts once "
                         "confirmed. The answer is the same whether or not the address had signed.")
def record_signature(request: HttpRequest, org: str, petition: UUID, payload: SignatureHelperIn) -> Any:
    obj = _petition(request, org, petition, EDIT)
    email = payload.person.email()
    if not obj.is_open:
        raise ValidationError([{"loc": ("path", "petition"), "msg": "This petition is closed."}])
    country = payload.person.postal_addresses[0].country if payload.person.postal_addresses else ""
    # The caller is a partner's server, not the signer: its address says nothing about the signer.
    reason = abuse.check_rates(address="", email=email)
    act(actions.do_sign_petition, petition=obj, email=email, given_name=payload.person.given_name,
         country=country, language=payload.person.preferred_language, comment=payload.comments,
         consents=["newsletter"] if payload.newsletter else [], quarantine=reason)
    return Status(202, {"status": "pending confirmation",
                        "_links": {"osdi:petition": {"href": absolute(f"/api/v1/actions/{org}/petitions/{obj.uuid}")},
                                   "curies": CURIES}})


# --- targets ----------------------------------------------------------------------------------------------


@router.get("/{org}/targets", response=responses(OsdiOut), auth=_g_org(VIEW), url_name="actions_targets",
            summary="Targets of an organisation, shared by its petitions")
def list_targets(request: HttpRequest, org: str, page: int = 1, per_page: int = PER_PAGE) -> Any:
    organisation = organisation_or_404(request, org, VIEW)
    page, per_page = paging(page, per_page)
    rows = Target.objects.filter(organisation=organisation).order_by("name", "id")
    total = rows.count()
    items = [_target_out(t, audience_for(request.user, t)) for t in rows[(page - 1) * per_page:page * per_page]]
    return page_of(items, total, page, per_page, "osdi:targets", f"/api/v1/actions/{org}/targets")


@router.post("/{org}/targets", response=responses(OsdiOut, 201), auth=_g_org(EDIT), url_name="actions_targets",
             summary="Record a target")
def create_target(request: HttpRequest, org: str, payload: PetitionTargetIn) -> Any:
    organisation = organisation_or_404(request, org, EDIT)
    data: Mapping[str, Any] = payload.model_dump()
    target = act(actions.do_add_target, organisation=organisation, data=data, acting_user=request.user)
    return Status(201, _target_out(target, audience_for(request.user, target)))


__all__ = ["router"]
