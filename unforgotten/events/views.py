"""The organisers' workspace at /work/events/: thin views over the policy, the projection and the actions.

Every record is found through the policy; anything the person may not see is
"not found", like a record that does not exist. RSVPs appear only as counts:
no page shows an attendee's address (they leave only in e-mails to their owners).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.core.views import not_found
from unforgotten.events import actions, reading
from unforgotten.events import forms as f
from unforgotten.events.models import Event, EventText, State
from unforgotten.policy.projection import project

VIEW, EDIT, PUBLISH = "events.view", "events.edit", "events.publish"
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _org(request: HttpRequest, slug: str, permission: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None or not policy.can(request.user, permission, org):
        not_found()
    return org


def _event(request: HttpRequest, key: UUID, permission: str) -> Event:
    event = Event.objects.filter(uuid=key).first()
    if event is None or not policy.can(request.user, permission, event):
        not_found()
    return event


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_page(request: HttpRequest, form: Any, *, title: str, back: str, button: str = "Save",
               intro: str = "") -> HttpResponse:
    return render(request, "events/work/form.html", {"form": form, "title": title, "back": back, "button": button,
                                                      "intro": intro}, status=400 if form.is_bound else 200)


def _detail_url(event: Event) -> str:
    return reverse("events:detail", kwargs={"event": event.uuid})


def _title(event: Event) -> str:
    text = event.text_for("en")
    return text.title if text is not None else event.slug


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    org_ids = sorted(policy.organisation_ids(request.user, "view"))
    if not org_ids:
        not_found()
    orgs = list(Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("name"))
    events = (Event.objects.filter(organisation_id__in=org_ids).select_related("organisation")
              .prefetch_related("texts").order_by("-starts_at")[:300])
    rows = [{"e": e, "title": _title(e),
             "state": e.get_state_display(), "kind": e.get_kind_display(),
             "confirmed": reading.counts(e)["confirmed"]} for e in events]
    return render(request, "events/work/home.html", {
        "rows": rows, "orgs": [{"org": o, "edit": policy.can(request.user, EDIT, o)} for o in orgs]})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, EDIT)
    form = f.EventForm(_data(request))
    if form.is_bound and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            event = actions.do_create_event(organisation=organisation, data=data, acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Event created. Write its title in at least one language.")
            return HttpResponseRedirect(_detail_url(event))
    return _form_page(request, form, title="New event", back=reverse("events:home"),
                      intro="Times are the local times where the event happens, in its time zone.")


@require_safe
@login_required
def detail(request: HttpRequest, event: UUID) -> HttpResponse:
    obj = _event(request, event, VIEW)
    audience = reading.organiser_audience(request.user, obj)
    shown = project(obj, audience)
    texts = {t.language: t for t in EventText.objects.filter(event=obj)}
    languages = [{"code": code, "name": name, "text": texts.get(code)} for code, name in settings.LANGUAGES]
    can_edit = policy.can(request.user, EDIT, obj)
    can_publish = policy.can(request.user, PUBLISH, obj) and obj.submitted_by_id != request.user.pk
    zone = obj.zone
    return render(request, "events/work/detail.html", {
        "e": obj, "shown": shown, "languages": languages, "counts": reading.counts(obj),
        "local_start": timezone.localtime(obj.starts_at, zone), "local_end": timezone.localtime(obj.ends_at, zone),
        "can_edit": can_edit, "can_publish": can_publish, "hearing": obj.hearing_id is not None,
        "public_href": reverse("events_public:detail", kwargs={"slug": obj.slug}) if obj.state in (
            State.PUBLISHED, State.CANCELLED) else ""})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request: HttpRequest, event: UUID) -> HttpResponse:
    obj = _event(request, event, EDIT)
    if request.method != "POST":
        zone = obj.zone
        initial = {"starts_at": timezone.localtime(obj.starts_at, zone).replace(tzinfo=None),
                   "ends_at": timezone.localtime(obj.ends_at, zone).replace(tzinfo=None)}
        form = f.EventForm(instance=obj, initial=initial)
    else:
        form = f.EventForm(request.POST, instance=Event.objects.get(pk=obj.pk))
    if form.is_bound and form.is_valid():
        try:
            actions.do_update_event(event=obj, data=dict(form.cleaned_data), acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Event saved.")
            return HttpResponseRedirect(_detail_url(obj))
    return _form_page(request, form, title="Edit event", back=_detail_url(obj))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def text(request: HttpRequest, event: UUID, language: str) -> HttpResponse:
    obj = _event(request, event, EDIT)
    if language not in LANGUAGE_NAMES:
        not_found()
    current = EventText.objects.filter(event=obj, language=language).first()
    form = f.TextForm(_data(request), initial={"title": current.title, "description": current.description}
                      if current else None)
    if form.is_bound and form.is_valid():
        try:
            actions.do_set_text(event=obj, language=language, title=form.cleaned_data["title"],
                                description=form.cleaned_data["description"], acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Text saved.")
            return HttpResponseRedirect(_detail_url(obj))
    return _form_page(request, form, title=f"Text in {LANGUAGE_NAMES[language]}", back=_detail_url(obj))


def _step(request: HttpRequest, event: UUID, permission: str, step: Any, done: str) -> HttpResponse:
    obj = _event(request, event, permission)
    try:
        step(event=obj, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_detail_url(obj))


@require_POST
@login_required
def submit(request: HttpRequest, event: UUID) -> HttpResponse:
    return _step(request, event, EDIT, actions.do_submit_event, "Submitted for review.")


@require_POST
@login_required
def publish(request: HttpRequest, event: UUID) -> HttpResponse:
    return _step(request, event, PUBLISH, actions.do_publish_event, "Published.")


@require_POST
@login_required
def unpublish(request: HttpRequest, event: UUID) -> HttpResponse:
    return _step(request, event, EDIT, actions.do_unpublish_event, "Taken off the public site.")


@require_POST
@login_required
def cancel(request: HttpRequest, event: UUID) -> HttpResponse:
    return _step(request, event, EDIT, actions.do_cancel_event, "Cancelled; confirmed attendees are told by e-mail.")


@require_POST
@login_required
def sync(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, EDIT)
    made = actions.do_sync_hearings(organisation=organisation, acting_user=request.user)
    messages.success(request, f"{made} trial-monitoring event(s) made or moved from the registry's hearings.")
    return HttpResponseRedirect(reverse("events:home"))


@require_POST
@login_required
def seed(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, EDIT)
    made = actions.do_seed_action_days(organisation=organisation, acting_user=request.user)
    messages.success(request, f"{len(made)} action day(s) added.")
    return HttpResponseRedirect(reverse("events:home"))
