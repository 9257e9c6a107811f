"""The letters workspace at /work/letters/: thin views over the policy, the projection and the actions.

Every record is found through the policy; anything the person may not see is
"not found". The moderation page shows the censorship guidance beside the
letter; the sender's details (restricted) only to the prisoner's case team, and
that read is audited.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.actions.models import Target
from unforgotten.audit.actions import record_read
from unforgotten.core.views import not_found
from unforgotten.letters import actions
from unforgotten.letters import forms as f
from unforgotten.letters.models import (
    LetterBatch,
    LetterBox,
    LetterCampaign,
    LetterStatus,
    OfficialLetter,
    Outreach,
    PostBatch,
    PrisonerLetter,
)
from unforgotten.policy.projection import audience_for, project
from unforgotten.registry.models import Person

VIEW, MODERATE, CAMPAIGN = "letters.view", "letters.moderate", "letters.campaign"
SENDER = ("sender_name", "sender_address", "sender_email")


def _org(request: HttpRequest, slug: str, permission: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None or not policy.can(request.user, permission, org):
        not_found()
    return org


def _get(request: HttpRequest, model: Any, permission: str, **lookup: Any) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None or not policy.can(request.user, permission, obj):
        not_found()
    return obj


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_page(request: HttpRequest, form: Any, *, title: str, back: str, intro: str = "") -> HttpResponse:
    return render(request, "letters/form.html", {"form": form, "title": title, "back": back, "intro": intro},
                  status=400 if form.is_bound else 200)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- home and the moderation queue ----------------------------------------------------------------------


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    org_ids = sorted(policy.organisation_ids(request.user, "view"))
    if not org_ids:
        not_found()
    orgs = list(Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("name"))
    boxes = LetterBox.objects.filter(organisation_id__in=org_ids).select_related("person")[:500]
    campaigns = LetterCampaign.objects.filter(organisation_id__in=org_ids)[:200]
    return render(request, "letters/home.html", {
        "orgs": [{"org": o, "campaign": policy.can(request.user, CAMPAIGN, o)} for o in orgs],
        "boxes": boxes, "campaigns": campaigns})


@require_safe
@login_required
def queue(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, VIEW)
    letters = PrisonerLetter.objects.filter(
        organisation=organisation, status__in=(LetterStatus.PENDING, LetterStatus.CHANGES_REQUESTED)).select_related(
        "person")[:500]
    return render(request, "letters/queue.html", {"org": organisation, "letters": letters})


def _letter_view(request: HttpRequest, letter: PrisonerLetter, form: Any, *, status: int = 200) -> HttpResponse:
    person = letter.person
    audience = audience_for(request.user, letter, case_team_user_ids=person.case_team.values_list("pk", flat=True))
    shown = project(letter, audience, ("uuid", "body", "status", "language", "received_at", "quarantine",
                                       "moderator_note", "delivery", "print_sender", *SENDER))
    if any(shown.get(k) for k in SENDER):
        record_read("letters.read_sender", actor=request.user, obj=letter, fields=[k for k in SENDER if shown.get(k)])
    box = LetterBox.objects.filter(person=person).first()
    return render(request, "letters/letter.html", {
        "letter": letter, "shown": shown, "dir": actions.text_direction(letter.body), "person": person,
        "guidance": box.guidance if box else "", "form": form, "delivery_form": f.DeliveryForm(),
        "can_moderate": policy.can(request.user, MODERATE, letter),
        "sender_hidden": audience.kind != "case_team"}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def letter_detail(request: HttpRequest, letter: UUID) -> HttpResponse:
    obj = _get(request, PrisonerLetter, VIEW, uuid=letter)
    if request.method != "POST":
        return _letter_view(request, obj, f.ModerateForm(initial={"print_sender": obj.print_sender}))
    if not policy.can(request.user, MODERATE, obj):
        not_found()
    form = f.ModerateForm(request.POST)
    if form.is_valid():
        try:
            actions.do_moderate_letter(letter=obj, decision=form.cleaned_data["decision"],
                                       note=form.cleaned_data["note"], print_sender=form.cleaned_data["print_sender"],
                                       acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Decision recorded.")
            return HttpResponseRedirect(reverse("letters:queue", kwargs={"org": obj.organisation.slug}))
    return _letter_view(request, obj, form, status=400)


@require_POST
@login_required
def letter_delivery(request: HttpRequest, letter: UUID) -> HttpResponse:
    obj = _get(request, PrisonerLetter, MODERATE, uuid=letter)
    form = f.DeliveryForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_letter_delivery(letter=obj, status=form.cleaned_data["status"], acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("letters:person", kwargs={"person": obj.person.uuid}))
    return _letter_view(request, obj, f.ModerateForm(), status=400)


# --- a prisoner: letter box, batches, family view ----------------------------------------------------


@require_safe
@login_required
def person(request: HttpRequest, person: UUID) -> HttpResponse:
    obj = _get(request, Person, VIEW, uuid=person)
    box = LetterBox.objects.filter(person=obj).first()
    letters = PrisonerLetter.objects.filter(person=obj).order_by("-received_at")[:500]
    return render(request, "letters/person.html", {
        "person": obj, "box": box, "accepts": actions.accepts_letters(obj), "letters": letters,
        "batches": LetterBatch.objects.filter(person=obj), "delivery_form": f.DeliveryForm(),
        "waiting": PrisonerLetter.objects.filter(person=obj, status=LetterStatus.APPROVED,
                                                 batch__isnull=True).count(),
        "can_moderate": policy.can(request.user, MODERATE, obj)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def letter_box(request: HttpRequest, person: UUID) -> HttpResponse:
    obj = _get(request, Person, MODERATE, uuid=person)
    box = LetterBox.objects.filter(person=obj).first() or LetterBox(person=obj, organisation_id=obj.organisation_id)
    form = f.LetterBoxForm(_data(request), instance=LetterBox.objects.filter(pk=box.pk).first() or box)
    back = reverse("letters:person", kwargs={"person": obj.uuid})
    if form.is_bound and form.is_valid():
        try:
            actions.do_set_letter_box(person=obj, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, title="Letter box", back=back,
                      intro="Open letters only with the family's consent to be written to, and write down what the "
                            "censor of this prison is known to cut: moderators read it beside every letter.")


@require_POST
@login_required
def compile_batch(request: HttpRequest, person: UUID) -> HttpResponse:
    obj = _get(request, Person, MODERATE, uuid=person)
    try:
        actions.do_compile_batch(person=obj, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(reverse("letters:person", kwargs={"person": obj.uuid}))


@require_safe
@login_required
def family_view(request: HttpRequest, person: UUID) -> HttpResponse:
    obj = _get(request, Person, MODERATE, uuid=person)
    return _pdf(actions.do_export_family_view(person=obj, acting_user=request.user), "letters-for-the-family.pdf")


@require_safe
@login_required
def batch_pdf(request: HttpRequest, batch: UUID) -> HttpResponse:
    obj = _get(request, LetterBatch, MODERATE, uuid=batch)
    return _pdf(obj.pdf, f"letters-{obj.made_at:%Y-%m-%d}.pdf")


@require_POST
@login_required
def batch_status(request: HttpRequest, batch: UUID) -> HttpResponse:
    obj = _get(request, LetterBatch, MODERATE, uuid=batch)
    form = f.DeliveryForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, title="Batch delivery",
                          back=reverse("letters:person", kwargs={"person": obj.person.uuid}))
    actions.do_set_batch_status(batch=obj, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                                acting_user=request.user)
    return HttpResponseRedirect(reverse("letters:person", kwargs={"person": obj.person.uuid}))


# --- campaigns to officials ---------------------------------------------------------------------------


def _campaign_obj(request: HttpRequest, key: UUID, permission: str) -> LetterCampaign:
    return _get(request, LetterCampaign, permission, uuid=key)  # type: ignore[no-any-return]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def campaign_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, CAMPAIGN)
    form = f.CampaignForm(_data(request), organisation_id=organisation.pk)
    if form.is_bound and form.is_valid():
        try:
            campaign = actions.do_create_campaign(organisation=organisation, data=form.data_for_action(),
                                                  targets=form.cleaned_data["targets"], acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("letters:campaign", kwargs={"campaign": campaign.uuid}))
    return _form_page(request, form, title="New letter campaign", back=reverse("letters:home"))


@require_safe
@login_required
def campaign(request: HttpRequest, campaign: UUID) -> HttpResponse:
    obj = _campaign_obj(request, campaign, VIEW)
    outreaches = Outreach.objects.filter(campaign=obj).select_related("target", "superseded_by__target").prefetch_related(
        "replies")
    return render(request, "letters/campaign.html", {
        "c": obj, "outreaches": outreaches, "templates": obj.templates.all(),
        "languages": list(actions.LANGUAGES),
        "letters_pending": OfficialLetter.objects.filter(campaign=obj, state="pending").count(),
        "quarantined": OfficialLetter.objects.filter(campaign=obj).exclude(quarantine="").count(),
        "post_batches": PostBatch.objects.filter(campaign=obj), "reply_form": f.ReplyForm(),
        "can_edit": policy.can(request.user, CAMPAIGN, obj)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def campaign_edit(request: HttpRequest, campaign: UUID) -> HttpResponse:
    obj = _campaign_obj(request, campaign, CAMPAIGN)
    initial = {"name": obj.name, "slug": obj.slug, "channel": obj.channel, "default_language": obj.default_language,
               "targets": [o.target_id for o in obj.live_outreaches()]}
    form = f.CampaignForm(_data(request), initial=initial, organisation_id=obj.organisation_id)
    back = reverse("letters:campaign", kwargs={"campaign": obj.uuid})
    if form.is_bound and form.is_valid():
        try:
            actions.do_update_campaign(campaign=obj, data=form.data_for_action(), targets=form.cleaned_data["targets"],
                                       acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, title="Edit the campaign", back=back)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def campaign_template(request: HttpRequest, campaign: UUID, language: str) -> HttpResponse:
    obj = _campaign_obj(request, campaign, CAMPAIGN)
    if language not in actions.LANGUAGES:
        not_found()
    existing = obj.templates.filter(language=language).first()
    form = f.TemplateForm(_data(request), instance=existing)
    back = reverse("letters:campaign", kwargs={"campaign": obj.uuid})
    if form.is_bound and form.is_valid():
        try:
            actions.do_set_template(campaign=obj, language=language, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=f"The letter in {language}", back=back,
                      intro="Write the letter without greeting or signature: the greeting comes from each target's "
                            "name and title, the signature from the supporter.")


@require_POST
@login_required
def campaign_status(request: HttpRequest, campaign: UUID) -> HttpResponse:
    obj = _campaign_obj(request, campaign, CAMPAIGN)
    try:
        actions.do_set_campaign_status(campaign=obj, status=request.POST.get("status", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(reverse("letters:campaign", kwargs={"campaign": obj.uuid}))


@require_POST
@login_required
def compile_post(request: HttpRequest, campaign: UUID) -> HttpResponse:
    obj = _campaign_obj(request, campaign, CAMPAIGN)
    try:
        actions.do_compile_post(campaign=obj, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(reverse("letters:campaign", kwargs={"campaign": obj.uuid}))


@require_safe
@login_required
def post_pdf(request: HttpRequest, batch: UUID) -> HttpResponse:
    obj = _get(request, PostBatch, CAMPAIGN, uuid=batch)
    return _pdf(obj.pdf, f"letters-for-post-{obj.made_at:%Y-%m-%d}.pdf")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reply(request: HttpRequest, outreach: int) -> HttpResponse:
    obj = _get(request, Outreach, CAMPAIGN, pk=outreach)
    form = f.ReplyForm(_data(request))
    back = reverse("letters:campaign", kwargs={"campaign": obj.campaign.uuid})
    if form.is_bound and form.is_valid():
        try:
            actions.do_log_reply(outreach=obj, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=f"A reply from {obj.target.name}", back=back)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hand_over(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, CAMPAIGN)
    form = f.HandOverForm(_data(request), organisation_id=organisation.pk)
    if form.is_bound and form.is_valid():
        old: Target = form.cleaned_data["old"]
        try:
            done = actions.do_hand_over_office(old=old, new=form.cleaned_data["new"], acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{done.campaigns} live campaign(s) now write to the new holder.")
            return HttpResponseRedirect(reverse("letters:home"))
    return _form_page(request, form, title="An office changed hands", back=reverse("letters:home"),
                      intro="Every live letter campaign aimed at the former holder is retargeted at once; their "
                            "letters and replies so far stay on record.")
