"""The editorial API at /api/v1/publishing/: everything the publishing workspace does, through the same actions.

- Who may: ``publishing.view`` reads the items of the caller's organisations;
  ``publishing.edit`` writes drafts, submits and unpublishes (a token's write
  scope, or a role that edits cases, campaigns or publishes); approving and
  publishing need ``publishing.approve`` *and* a person's session that
  re-authenticated within 15 minutes (a token never may: four eyes are people).
  Refusals are "not found", asked before the body is read.
- Bad input is a 422 naming the field, with nothing saved.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from collections.abc import Callable, Mapping
from datetime import datetime, time
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.api.schemas import responses
from unforgotten.publishing import actions
from unforgotten.publishing.models import (
    Campaign,
    PublicProfile,
    Resource,
    Story,
    StorySeries,
    Video,
)
from unforgotten.registry.api import gated
from unforgotten.registry.models import Person

router = Router(tags=["publishing"])
VIEW, EDIT, APPROVE = "publishing.view", "publishing.edit", "publishing.approve"
EDIT_CAPABILITIES = frozenset({"edit_cases", "campaign", "publish"})


class EditorialKind(StrEnum):
    stories = "stories"
    campaigns = "campaigns"
    resources = "resources"
    videos = "videos"


MODELS: dict[str, type[Any]] = {"stories": Story, "campaigns": Campaign, "resources": Resource, "videos": Video}


class EditorialItemIn(Schema):
    """The fields of a draft; each kind accepts its own (a field another kind has is refused, naming it)."""

    slug: str | None = None
    title: str | None = None
    publish_at: datetime | None = None
    body: str | None = None
    person: UUID | None = None
    series: str | None = None
    position: int | None = None
    show_photo: bool | None = None
    hashtag: str | None = None
    summary: str | None = None
    share_texts: dict[str, str] | None = None
    audience_timezones: list[str] | None = None
    people: list[UUID] | None = None
    resource_kind: str | None = None
    description: str | None = None


class EditorialNewItemIn(EditorialItemIn):
    language: str
    translation_of: UUID | None = None


class EditorialItemOut(Schema):
    uuid: UUID
    kind: str
    organisation: str
    language: str
    translation_key: UUID
    state: str
    slug: str
    title: str
    revision: int
    approved_revision: int | None = None
    publish_at: datetime | None = None
    published_at: datetime | None = None
    body: str | None = None
    summary: str | None = None
    description: str | None = None
    hashtag: str | None = None
    share_texts: dict[str, str] | None = None
    audience_timezones: list[str] | None = None
    people: list[UUID] | None = None
    person: UUID | None = None
    series: str | None = None
    position: int | None = None
    show_photo: bool | None = None
    resource_kind: str | None = None
    file_type: str | None = None
    file_size: int | None = None
    captions: list[str] | None = None
    problems: list[str]


class EditorialActIn(Schema):
    """Why (kept in the audit trail; may be empty). A body is required, so a bare POST acts on nothing."""

    reason: str = Field(max_length=500)


class EditorialCaptionsIn(Schema):
    vtt: str


class StorySeriesIn(Schema):
    slug: str
    hashtag: str
    daily_at: time


class StorySeriesOut(Schema):
    uuid: UUID
    organisation: str
    slug: str
    hashtag: str
    daily_at: str  # "HH:MM", UTC
    is_active: bool


class PublicProfileIn(Schema):
    story: str | None = None
    featured: bool | None = None
    publish_at: datetime | None = None


class NewPublicProfileIn(PublicProfileIn):
    person: UUID
    language: str


class PublicProfileOut(Schema):
    uuid: UUID
    person: UUID
    language: str
    translation_key: UUID
    state: str
    story: str
    featured: bool
    publish_at: datetime | None = None
    published_at: datetime | None = None
    revision: int
    approved_revision: int | None = None
    problems: list[str]


# --- gates: asked once the caller is known, before the body is read ---------------------------------------


def _item(request: HttpRequest, kind: str, key: Any, permission: str) -> Any:
    model = MODELS.get(str(kind))
    try:
        found = model.objects.filter(uuid=UUID(str(key))).first() if model is not None else None
    except ValueError:
        found = None
    if found is None or not policy.can(request.user, permission, found):
        raise Http404()
    return found


def _profile(request: HttpRequest, key: Any, permission: str) -> PublicProfile:
    try:
        found = PublicProfile.objects.select_related("person").filter(uuid=UUID(str(key))).first()
    except ValueError:
        found = None
    if found is None or not policy.can(request.user, permission, found):
        raise Http404()
    return found


def _may_view(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    if not policy.can(request.user, VIEW):
        raise Http404()


def _may_write(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    if not policy.can(request.user, EDIT) or not _writable(request):
        raise Http404()


def _may_view_item(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _item(request, kwargs.get("kind", ""), kwargs.get("uuid"), VIEW)


def _may_edit_item(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _item(request, kwargs.get("kind", ""), kwargs.get("uuid"), EDIT)


def _may_approve_item(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _item(request, kwargs.get("kind", ""), kwargs.get("uuid"), APPROVE)


def _may_edit_video(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _item(request, "videos", kwargs.get("uuid"), EDIT)


def _may_view_profile(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _profile(request, kwargs.get("uuid"), VIEW)


def _may_edit_profile(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _profile(request, kwargs.get("uuid"), EDIT)


def _may_approve_profile(request: HttpRequest, kwargs: Mapping[str, Any]) -> None:
    _profile(request, kwargs.get("uuid"), APPROVE)


def _writable(request: HttpRequest) -> list[Organisation]:
    ids = [org for org, caps in policy.capability_map(request.user).items() if caps & EDIT_CAPABILITIES]
    return list(Organisation.objects.filter(pk__in=ids, is_active=True).order_by("slug"))


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message}])


def _invalid(exc: DjangoValidationError) -> ValidationError:
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            where = "resource_kind" if field == "kind" else field
            loc = ("body", "payload") if field == "__all__" else ("body", "payload", where)
            errors.extend({"loc": loc, "msg": m} for m in messages)
    else:
        errors.extend({"loc": ("body", "payload"), "msg": m} for m in exc.messages)
    return ValidationError(errors)


def _act(act: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return act(**kwargs)
    except DjangoValidationError as exc:
        raise _invalid(exc) from None


def _fresh_session(request: HttpRequest) -> HttpResponse | None:
    from unforgotten.accounts.sudo import recently_reauthenticated

    if getattr(request.user, "uf_token", None) is not None or not recently_reauthenticated(request):
        return Status(401, {"error": "Approving is a reviewer's act: re-enter your credentials "  # type: ignore[return-value]
                                     "(/accounts/reauthenticate/) in a session; a token never may."})
    return None


# --- rendering ------------------------------------------------------------------------------------------


def _render(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uuid": item.uuid, "kind": f"{item.KIND}s" if item.KIND != "story" else "stories",
        "organisation": item.organisation.slug, "language": item.language, "translation_key": item.translation_key,
        "state": item.state, "slug": item.slug, "title": item.title, "revision": item.revision,
        "approved_revision": item.approved_revision, "publish_at": item.publish_at,
        "published_at": item.published_at, "problems": actions.item_problems(item)}
    for key in ("body", "summary", "description", "hashtag", "share_texts", "audience_timezones", "position", "show_photo",
                "file_type", "file_size"):
        if hasattr(item, key):
            out[key] = getattr(item, key)
    if isinstance(item, Story):
        out["person"] = item.person.uuid
        out["series"] = item.series.slug if item.series else None
    if isinstance(item, Campaign):
        out["people"] = list(item.people.order_by("pk").values_list("uuid", flat=True))
    if isinstance(item, Resource):
        out["resource_kind"] = item.kind
    if isinstance(item, Video):
        out["captions"] = list(item.captions.values_list("language", flat=True))
    return out


def _data(payload: EditorialItemIn, organisation_id: int) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True, exclude={"language", "translation_of"})
    if "resource_kind" in data:
        data["kind"] = data.pop("resource_kind")
    if "person" in data:
        person = Person.objects.filter(uuid=data["person"], organisation_id=organisation_id).first()
        if person is None:
            raise _refuse("person", "No person with this ID in this organisation's registry.")
        data["person"] = person
    if "series" in data:
        slug = data["series"]
        series = StorySeries.objects.filter(slug=slug, organisation_id=organisation_id).first() if slug else None
        if slug and series is None:
            raise _refuse("series", "No series with this address in this organisation.")
        data["series"] = series
    if "people" in data:
        ids = set(data["people"] or [])
        people = list(Person.objects.filter(uuid__in=ids, organisation_id=organisation_id))
        if len(people) != len(ids):
            raise _refuse("people", "No person with this ID in this organisation's registry.")
        data["people"] = people
    return data


def _organisation(request: HttpRequest, slug: str | None) -> Organisation:
    writable = _writable(request)
    if slug:
        found = next((o for o in writable if o.slug == slug), None)
        if found is None:
            raise _refuse("organisation", "You do not publish for an organisation with this address.")
        return found
    if len(writable) != 1:
        raise _refuse("organisation", "Name the organisation (?organisation=<slug>): you publish for several.")
    return writable[0]


# --- stories, campaigns, resources, videos -------------------------------------------------------------


@router.get("/items/{kind}", response=responses(list[EditorialItemOut]), auth=gated(_may_view),
            summary="Stories, campaigns, resources or videos of the caller's organisations")
@paginate(PageNumberPagination)
def editorial_list_items(request: HttpRequest, kind: EditorialKind, language: str | None = None, state: str | None = None) -> Any:
    items = policy.filter_owned(MODELS[kind.value].objects.select_related("organisation"), request.user, "view")
    if language:
        items = items.filter(language=language)
    if state:
        items = items.filter(state=state)
    return [_render(item) for item in items.order_by("pk")[:1000]]


@router.post("/items/{kind}", response=responses(EditorialItemOut, 201), auth=gated(_may_write),
             summary="Write a new draft (or a translation of an item: translation_of)")
def editorial_create_item(request: HttpRequest, kind: EditorialKind, payload: EditorialNewItemIn, organisation: str | None = None) -> Any:
    model = MODELS[kind.value]
    sister = None
    if payload.translation_of is not None:
        sister = model.objects.filter(uuid=payload.translation_of).first()
        if sister is None or not policy.can(request.user, EDIT, sister):
            raise _refuse("translation_of", "No such item in your organisations.")
        org = sister.organisation
    else:
        org = _organisation(request, organisation)
    item = _act(actions.do_create_item, model=model, organisation=org, language=payload.language,
                data=_data(payload, org.pk), acting_user=request.user, translation_of=sister)
    return Status(201, _render(item))


@router.get("/items/{kind}/{uuid}", response=responses(EditorialItemOut), auth=gated(_may_view_item), summary="One item")
def editorial_get_item(request: HttpRequest, kind: EditorialKind, uuid: UUID) -> Any:
    return _render(_item(request, kind.value, uuid, VIEW))


@router.patch("/items/{kind}/{uuid}", response=responses(EditorialItemOut), auth=gated(_may_edit_item),
              summary="Change a draft (an item in review goes back to draft)")
def editorial_update_item(request: HttpRequest, kind: EditorialKind, uuid: UUID, payload: EditorialItemIn) -> Any:
    item = _item(request, kind.value, uuid, EDIT)
    return _render(_act(actions.do_update_item, item=item, data=_data(payload, item.organisation_id),
                        acting_user=request.user))


@router.post("/items/{kind}/{uuid}/file", response=responses(EditorialItemOut), auth=gated(_may_edit_item),
             summary="Attach the file of a resource (PDF, ZIP, image) or a video (MP4, WebM)")
def editorial_attach_file(request: HttpRequest, kind: EditorialKind, uuid: UUID, file: File[UploadedFile]) -> Any:
    item = _item(request, kind.value, uuid, EDIT)
    return _render(_act(actions.do_attach_file, item=item, upload=file, acting_user=request.user))


@router.put("/items/videos/{uuid}/captions/{language}", response=responses(EditorialItemOut), auth=gated(_may_edit_video),
            summary="Set a video's captions in one language (WebVTT)")
def editorial_set_captions(request: HttpRequest, uuid: UUID, language: str, payload: EditorialCaptionsIn) -> Any:
    video = _item(request, "videos", uuid, EDIT)
    _act(actions.do_set_captions, video=video, language=language, vtt=payload.vtt, acting_user=request.user)
    return _render(Video.objects.get(pk=video.pk))


@router.post("/items/{kind}/{uuid}/submit", response=responses(EditorialItemOut), auth=gated(_may_edit_item),
             summary="Submit a draft for review")
def editorial_submit_item(request: HttpRequest, kind: EditorialKind, uuid: UUID, payload: EditorialActIn) -> Any:
    item = _item(request, kind.value, uuid, EDIT)
    return _render(_act(actions.do_submit_item, item=item, acting_user=request.user, reason=payload.reason))


@router.post("/items/{kind}/{uuid}/approve", response=responses(EditorialItemOut), auth=gated(_may_approve_item),
             summary="Approve an item in review (a second person, re-authenticated; never a token)")
def editorial_approve_item(request: HttpRequest, kind: EditorialKind, uuid: UUID, payload: EditorialActIn) -> Any:
    item = _item(request, kind.value, uuid, APPROVE)
    refused = _fresh_session(request)
    if refused is not None:
        return refused
    return _render(_act(actions.do_approve_item, item=item, acting_user=request.user, reason=payload.reason))


@router.post("/items/{kind}/{uuid}/publish", response=responses(EditorialItemOut), auth=gated(_may_approve_item),
             summary="Put an unpublished item back up, unchanged since approval")
def editorial_publish_item(request: HttpRequest, kind: EditorialKind, uuid: UUID, payload: EditorialActIn) -> Any:
    item = _item(request, kind.value, uuid, APPROVE)
    refused = _fresh_session(request)
    if refused is not None:
        return refused
    return _render(_act(actions.do_publish_item, item=item, acting_user=request.user, reason=payload.reason))


@router.post("/items/{kind}/{uuid}/unpublish", response=responses(EditorialItemOut), auth=gated(_may_edit_item),
             summary="Take an item off the site at once (every cached copy is purged)")
def editorial_unpublish_item(request: HttpRequest, kind: EditorialKind, uuid: UUID, payload: EditorialActIn) -> Any:
    item = _item(request, kind.value, uuid, EDIT)
    return _render(_act(actions.do_unpublish_item, item=item, acting_user=request.user, reason=payload.reason))


# --- story series ----------------------------------------------------------------------------------------


def _series_out(series: StorySeries) -> dict[str, Any]:
    return {"uuid": series.uuid, "organisation": series.organisation.slug, "slug": series.slug,
            "hashtag": series.hashtag, "daily_at": series.daily_at.strftime("%H:%M"), "is_active": series.is_active}


@router.get("/series", response=responses(list[StorySeriesOut]), auth=gated(_may_view), summary="Story series")
@paginate(PageNumberPagination)
def editorial_list_series(request: HttpRequest) -> Any:
    rows = policy.filter_owned(StorySeries.objects.select_related("organisation"), request.user, "view")
    return [_series_out(s) for s in rows.order_by("pk")]


@router.post("/series", response=responses(StorySeriesOut, 201), auth=gated(_may_write),
             summary="Start a series that releases one story a day")
def editorial_create_series(request: HttpRequest, payload: StorySeriesIn, organisation: str | None = None) -> Any:
    org = _organisation(request, organisation)
    series = _act(actions.do_create_series, organisation=org, data=payload.dict(), acting_user=request.user)
    return Status(201, _series_out(series))


# --- profiles ----------------------------------------------------------------------------------------------


def _profile_out(profile: PublicProfile) -> dict[str, Any]:
    return {"uuid": profile.uuid, "person": profile.person.uuid, "language": profile.language,
            "translation_key": profile.translation_key, "state": profile.state, "story": profile.story,
            "featured": profile.featured, "publish_at": profile.publish_at, "published_at": profile.published_at,
            "revision": profile.revision, "approved_revision": profile.approved_revision,
            "problems": actions.publication_problems(profile.person)}


@router.get("/profiles", response=responses(list[PublicProfileOut]), auth=gated(_may_view),
            summary="Public profiles of the caller's organisations")
@paginate(PageNumberPagination)
def editorial_list_profiles(request: HttpRequest) -> Any:
    rows = policy.filter_owned(PublicProfile.objects.select_related("person"), request.user, "view")
    return [_profile_out(p) for p in rows.order_by("pk")[:1000]]


@router.post("/profiles", response=responses(PublicProfileOut, 201), auth=gated(_may_write),
             summary="Write a person's profile in one language (a draft)")
def editorial_create_profile(request: HttpRequest, payload: NewPublicProfileIn) -> Any:
    person = Person.objects.filter(uuid=payload.person).first()
    if person is None or not policy.can(request.user, EDIT, person):
        raise _refuse("person", "No person with this ID in your organisations' registries.")
    data = payload.dict(exclude_unset=True, exclude={"person", "language"})
    profile = _act(actions.do_create_profile, person=person, language=payload.language, data=data,
                   acting_user=request.user)
    return Status(201, _profile_out(profile))


@router.get("/profiles/{uuid}", response=responses(PublicProfileOut), auth=gated(_may_view_profile), summary="A profile")
def editorial_get_profile(request: HttpRequest, uuid: UUID) -> Any:
    return _profile_out(_profile(request, uuid, VIEW))


@router.patch("/profiles/{uuid}", response=responses(PublicProfileOut), auth=gated(_may_edit_profile),
              summary="Change a draft profile")
def editorial_update_profile(request: HttpRequest, uuid: UUID, payload: PublicProfileIn) -> Any:
    profile = _profile(request, uuid, EDIT)
    return _profile_out(_act(actions.do_update_profile, profile=profile, data=payload.dict(exclude_unset=True),
                             acting_user=request.user))


@router.post("/profiles/{uuid}/submit", response=responses(PublicProfileOut), auth=gated(_may_edit_profile),
             summary="Submit a profile for review")
def editorial_submit_profile(request: HttpRequest, uuid: UUID, payload: EditorialActIn) -> Any:
    profile = _profile(request, uuid, EDIT)
    return _profile_out(_act(actions.do_submit_for_review, profile=profile, acting_user=request.user, reason=payload.reason))


@router.post("/profiles/{uuid}/approve", response=responses(PublicProfileOut), auth=gated(_may_approve_profile),
             summary="Approve a profile (a second person, re-authenticated; never a token)")
def editorial_approve_profile(request: HttpRequest, uuid: UUID, payload: EditorialActIn) -> Any:
    profile = _profile(request, uuid, APPROVE)
    refused = _fresh_session(request)
    if refused is not None:
        return refused
    return _profile_out(_act(actions.do_approve, profile=profile, acting_user=request.user, reason=payload.reason))


@router.post("/profiles/{uuid}/publish", response=responses(PublicProfileOut), auth=gated(_may_approve_profile),
             summary="Put an unpublished profile back up, unchanged since approval")
def editorial_publish_profile(request: HttpRequest, uuid: UUID, payload: EditorialActIn) -> Any:
    profile = _profile(request, uuid, APPROVE)
    refused = _fresh_session(request)
    if refused is not None:
        return refused
    return _profile_out(_act(actions.do_publish, profile=profile, acting_user=request.user, reason=payload.reason))


@router.post("/profiles/{uuid}/unpublish", response=responses(PublicProfileOut), auth=gated(_may_edit_profile),
             summary="Take a profile off the site at once")
def editorial_unpublish_profile(request: HttpRequest, uuid: UUID, payload: EditorialActIn) -> Any:
    profile = _profile(request, uuid, EDIT)
    return _profile_out(_act(actions.do_unpublish, profile=profile, acting_user=request.user, reason=payload.reason))
