"""The workspace for stories, campaigns, resources and videos at /work/publishing/<kind>/ (decision 0017).

One set of thin views for the four kinds: each finds the item through the
policy (not found when it is not the reader's), validates a form and calls one
action function; the workflow buttons are the same as a profile's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.publishing import actions
from unforgotten.publishing.forms import (
    CampaignForm,
    CaptionsForm,
    FileForm,
    ItemForm,
    NewItemMixin,
    ResourceForm,
    SeriesForm,
    StoryForm,
    VideoForm,
)
from unforgotten.publishing.models import Campaign, Resource, State, Story, StorySeries, Video
from unforgotten.registry.models import Person

KINDS: dict[str, tuple[type[Any], type[ItemForm], Any]] = {
    "stories": (Story, StoryForm, gettext_lazy("Family stories")),
    "campaigns": (Campaign, CampaignForm, gettext_lazy("Campaigns")),
    "resources": (Resource, ResourceForm, gettext_lazy("Resources")),
    "videos": (Video, VideoForm, gettext_lazy("Video stories")),
}
EDIT_CAPABILITIES = frozenset({"edit_cases", "campaign", "publish"})
LIST_LIMIT = 200


def _kind(kind: str) -> tuple[type[Any], type[ItemForm], Any]:
    if kind not in KINDS:
        not_found()
    return KINDS[kind]


def _item_for(request: HttpRequest, kind: str, item_uuid: UUID, permission: str) -> Any:
    model, _form, _label = _kind(kind)
    item = model.objects.filter(uuid=item_uuid).first()
    if item is None or not policy.can(request.user, permission, item):
        not_found()
    return item


def _writable_organisations(user: Any) -> list[Organisation]:
    ids = [org for org, caps in policy.capability_map(user).items() if caps & EDIT_CAPABILITIES]
    return list(Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def _initial(item: Any, form_class: type[ItemForm]) -> dict[str, Any]:
    initial = {name: getattr(item, name) for name in form_class.base_fields if hasattr(item, name)}
    if isinstance(item, Story):
        initial["person"] = item.person.uuid
        initial["series"] = item.series.slug if item.series else ""
    if isinstance(item, Campaign):
        initial["people"] = "\n".join(str(u) for u in item.people.values_list("uuid", flat=True))
        initial.update({f"share_{n}": t for n, t in item.share_texts.items()})
        initial["audience_timezones"] = "\n".join(item.audience_timezones)
    return initial


def _relations(form: ItemForm, organisation: Organisation, data: dict[str, Any]) -> bool:
    """Turn the IDs a form names into records of ``organisation`` (the same answer for "none" and "not yours")."""
    if isinstance(form, StoryForm):
        person = Person.objects.filter(uuid=form.cleaned_data["person"], organisation=organisation).first()
        if person is None:
            form.add_error("person", _("No person with this ID in this organisation's registry."))
            return False
        data["person"] = person
        slug = form.cleaned_data.get("series") or ""
        series = StorySeries.objects.filter(slug=slug, organisation=organisation).first() if slug else None
        if slug and series is None:
            form.add_error("series", _("No series with this address in this organisation."))
            return False
        data["series"] = series
    if isinstance(form, CampaignForm):
        ids = form.people_ids()
        people = list(Person.objects.filter(uuid__in=ids, organisation=organisation))
        if len(people) != len(set(ids)):
            form.add_error("people", _("No person with this ID in this organisation's registry."))
            return False
        data["people"] = people
    return True


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if field == "share_texts" or field in actions.NETWORKS:
                target = None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


@require_safe
@login_required
def item_list(request: HttpRequest, kind: str) -> HttpResponse:
    model, _form, label = _kind(kind)
    if not policy.can(request.user, "publishing.view"):
        not_found()
    items = policy.filter_owned(model.objects.all(), request.user, "view").order_by("state", "-updated_at", "pk")
    return render(request, "publishing/item_list.html", {
        "kind": kind, "label": label, "items": items[:LIST_LIMIT], "kinds": KINDS,
        "may_create": policy.can(request.user, "publishing.edit")})


@require_http_methods(["GET", "POST"])
@login_required
def item_create(request: HttpRequest, kind: str) -> HttpResponse:
    model, form_class, label = _kind(kind)
    if not policy.can(request.user, "publishing.edit"):
        not_found()
    sister = None
    if request.GET.get("translation_of"):
        try:
            sister = model.objects.filter(uuid=UUID(request.GET["translation_of"])).first()
        except ValueError:
            sister = None
        if sister is None or not policy.can(request.user, "publishing.edit", sister):
            not_found()
    organisations = _writable_organisations(request.user)
    if sister is not None:
        organisations = [o for o in organisations if o.pk == sister.organisation_id]

    class NewForm(NewItemMixin, form_class):  # type: ignore[valid-type, misc]
        organisation = forms.ChoiceField(label=_("Organisation"), choices=[(o.slug, o.name) for o in organisations])

    initial = _initial(sister, form_class) if sister is not None else {}
    initial["language"] = request.GET.get("language", "")
    form = NewForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        organisation = next(o for o in organisations if o.slug == form.cleaned_data["organisation"])
        data = form.data_for_action()
        if _relations(form, organisation, data):
            try:
                item = actions.do_create_item(model=model, organisation=organisation,
                                              language=form.cleaned_data["language"], data=data,
                                              acting_user=request.user, translation_of=sister)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("publishing:item_edit", kind, item.uuid)
    return render(request, "publishing/item_form.html", {"form": form, "item": None, "kind": kind, "label": label},
                  status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, kind: str, item: UUID) -> HttpResponse:
    model, form_class, label = _kind(kind)
    record = _item_for(request, kind, item, "publishing.view" if request.method == "GET" else "publishing.edit")
    form = form_class(request.POST if request.method == "POST" else None, initial=_initial(record, form_class))
    if form.is_bound and form.is_valid():
        data = form.data_for_action()
        if _relations(form, record.organisation, data):
            try:
                actions.do_update_item(item=record, data=data, acting_user=request.user)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("publishing:item_edit", kind, record.uuid)
    sisters = model.objects.filter(translation_key=record.translation_key).exclude(pk=record.pk)
    taken = set(sisters.values_list("language", flat=True)) | {record.language}
    return render(request, "publishing/item_form.html", {
        "form": form, "item": record, "kind": kind, "label": label, "sisters": sisters,
        "problems": actions.item_problems(record),
        "may_edit": policy.can(request.user, "publishing.edit", record),
        "may_approve": policy.can(request.user, "publishing.approve", record),
        "missing_languages": [code for code, _n in settings.LANGUAGES if code not in taken],
        "file_form": FileForm() if kind in ("resources", "videos") else None,
        "captions_form": CaptionsForm() if kind == "videos" else None,
        "captions": record.captions.all() if kind == "videos" else [],
    }, status=400 if form.is_bound else 200)


@require_POST
@login_required
def item_file(request: HttpRequest, kind: str, item: UUID) -> HttpResponse:
    record = _item_for(request, kind, item, "publishing.edit")
    if kind not in ("resources", "videos"):
        not_found()
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            actions.do_attach_file(item=record, upload=form.cleaned_data["file"], acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The file is attached."))
    return redirect("publishing:item_edit", kind, record.uuid)


@require_POST
@login_required
def video_captions(request: HttpRequest, item: UUID) -> HttpResponse:
    record = _item_for(request, "videos", item, "publishing.edit")
    form = CaptionsForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a language and a WebVTT file."))
    else:
        upload = form.cleaned_data["captions"]
        try:
            if upload.size > 500_000:
                raise ValidationError(_("The captions are larger than 500 KB."))
            text = upload.read().decode("utf-8")
            actions.do_set_captions(video=record, language=form.cleaned_data["language"], vtt=text,
                                    acting_user=request.user)
        except UnicodeDecodeError:
            messages.error(request, _("Captions must be UTF-8 text."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The captions are saved."))
    return redirect("publishing:item_edit", "videos", record.uuid)


def _act(request: HttpRequest, kind: str, item: UUID, permission: str, act: Callable[..., Any], done: str, *,
         sudo: bool = False) -> HttpResponse:
    record = _item_for(request, kind, item, permission)
    if sudo:
        require_sudo(request)
    try:
        act(item=record, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("publishing:item_edit", kind, record.uuid)


@require_POST
@login_required
def item_submit(request: HttpRequest, kind: str, item: UUID) -> HttpResponse:
    return _act(request, kind, item, "publishing.edit", actions.do_submit_item, _("Submitted for review."))


@require_POST
@login_required
def item_approve(request: HttpRequest, kind: str, item: UUID) -> HttpResponse:
    return _act(request, kind, item, "publishing.approve", actions.do_approve_item, _("Approved."), sudo=True)


@require_POST
@login_required
def item_publish(request: HttpRequest, kind: str, item: UUID) -> HttpResponse:
    return _act(request, kind, item, "publishing.approve", actions.do_publish_item, _("Published again."), sudo=True)


@require_POST
@login_required
def item_unpublish(request: HttpRequest, kind: str, item: UUID) -> HttpResponse:
    # Never slowed down by re-authentication: a family may have withdrawn consent tonight.
    return _act(request, kind, item, "publishing.edit", actions.do_unpublish_item,
                _("Unpublished: the page is gone."))


@require_http_methods(["GET", "POST"])
@login_required
def series_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "publishing.view"):
        not_found()
    organisations = _writable_organisations(request.user)
    may_create = bool(organisations) and policy.can(request.user, "publishing.edit")
    if request.method == "POST" and not may_create:
        not_found()

    class NewSeriesForm(SeriesForm):
        organisation = forms.ChoiceField(label=_("Organisation"), choices=[(o.slug, o.name) for o in organisations])

    form = NewSeriesForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        organisation = next(o for o in organisations if o.slug == form.cleaned_data["organisation"])
        try:
            actions.do_create_series(organisation=organisation, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The series is saved."))
            return redirect("publishing:series_list")
    series = policy.filter_owned(StorySeries.objects.all(), request.user, "view")
    rows = [{"series": s, "waiting": s.stories.filter(state=State.PUBLISHED, publish_at__isnull=True).count()}
            for s in series]
    return render(request, "publishing/series_list.html", {"rows": rows, "form": form if may_create else None},
                  status=400 if form.is_bound else 200)
