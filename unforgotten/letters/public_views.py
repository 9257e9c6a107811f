"""The public letter pages (/<language>/letters/…): write to a prisoner, write to officials.

They work with JavaScript off and load nothing from elsewhere. Each form page
carries a CSRF token and a proof-of-work challenge, so it is rendered per
request and marked no-store. Bot resistance is the petitions' (decision 0018):
a honeypot (dropped silently), our own proof of work, rate limits per network,
e-mail domain and address; a crossed limit or a forged challenge quarantines
the letter, and the answer is the same page whatever happened.

Nothing a member of the public wrote is ever shown on a page, except to its
writer on the revise page their own e-mailed link opens.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unforgotten.actions import abuse
from unforgotten.letters import actions, wording
from unforgotten.letters.forms import OfficialLetterForm, PrisonerLetterForm, ReviseForm
from unforgotten.letters.models import CampaignStatus, LetterCampaign
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import formatting as fmt
from unforgotten.registry.models import Person

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in LANGUAGE_NAMES:
        raise Http404()
    return language


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _frame(language: str, route: str | None, **kwargs: Any) -> dict[str, Any]:
    switcher = [{"code": code, "name": LANGUAGE_NAMES[code], "dir": fmt.direction("", code),
                 "href": _url(route, code, **kwargs) if route else _url("public:home", code),
                 "current": code == language} for code, _name in settings.LANGUAGES]
    return {"lang": language, "dir": fmt.direction("", language), "switcher": switcher, "alternates": [],
            "home_url": _url("public:home", language)}


def _private(response: HttpResponse) -> HttpResponse:
    # Per-visitor content (a CSRF token, a challenge, a writer's own letter): never stored anywhere.
    response["Cache-Control"] = "no-store"
    return response


def _errors(form: Any, exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


# --- to a prisoner --------------------------------------------------------------------------------------


def _prisoner(slug: str) -> Person:
    person = Person.objects.filter(slug=slug, merged_into__isnull=True).first()
    # One answer for "no such person" and "takes no letters": nothing said about who exists.
    if person is None or not actions.accepts_letters(person):
        raise Http404()
    return person


def _prisoner_page(request: HttpRequest, person: Person, form: PrisonerLetterForm, *, status: int = 200,
                   problem: str = "") -> HttpResponse:
    language = _language()
    shown = project(person, PUBLIC, ("display_name", "slug"))
    context = {**_frame(language, "letters_public:write", slug=person.slug), "form": form, "problem": problem,
               "name": shown.get("display_name", ""), "challenge": json.dumps(abuse.new_challenge()),
               "action": _url("letters_public:write", language, slug=person.slug),
               "profile_url": _url("public:profile", language, slug=person.slug)}
    return _private(render(request, "letters/public/write.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def write(request: HttpRequest, slug: str) -> HttpResponse:
    person = _prisoner(slug)
    if request.method != "POST":
        return _prisoner_page(request, person, PrisonerLetterForm())
    form = PrisonerLetterForm(request.POST)
    if not form.is_valid():
        return _prisoner_page(request, person, form, status=400)
    data = form.cleaned_data
    verdict = abuse.screen(address=abuse.client_address(request), email=data.get("sender_email", ""),
                           honeypot=form.honeypot, proof=data.get("altcha", ""), purpose=abuse.LETTERS)
    if verdict.expired:
        return _prisoner_page(request, person, PrisonerLetterForm(request.POST), status=400,
                              problem=_("The form was open for too long. Please send it again."))
    if not verdict.drop:
        try:
            actions.do_write_to_prisoner(
                person=person, body=data["body"], language=_language(), sender_name=data.get("sender_name", ""),
                sender_address=data.get("sender_address", ""), sender_email=data.get("sender_email", ""),
                quarantine=verdict.quarantine)
        except ValidationError as exc:
            _errors(form, exc)
            return _prisoner_page(request, person, form, status=400)
    language = _language()
    shown = project(person, PUBLIC, ("display_name",))
    return _private(render(request, "letters/public/sent.html", {
        **_frame(language, "letters_public:write", slug=person.slug), "name": shown.get("display_name", ""),
        "profile_url": _url("public:profile", language, slug=person.slug)}))


@require_http_methods(["GET", "HEAD", "POST"])
def revise(request: HttpRequest, token: str) -> HttpResponse:
    """The writer's own e-mailed link after a change request: their letter, the note, and a form."""
    language = _language()
    frame = _frame(language, None)
    try:
        letter = actions.find_letter_to_revise(token)
    except actions.BadLink:
        return _private(render(request, "letters/public/bad_link.html", frame, status=404))
    form = ReviseForm(request.POST if request.method == "POST" else None, initial={"body": letter.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_revise_letter(token=token, body=form.cleaned_data["body"])
        except actions.BadLink:
            return _private(render(request, "letters/public/bad_link.html", frame, status=404))
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return _private(render(request, "letters/public/revised.html", frame))
    return _private(render(request, "letters/public/revise.html", {
        **frame, "form": form, "note": letter.moderator_note,
        "action": _url("letters_public:revise", language, token=token)},
        status=400 if form.is_bound else 200))


# --- to officials ---------------------------------------------------------------------------------------


def _campaign(slug: str) -> LetterCampaign:
    campaign = LetterCampaign.objects.filter(
        slug=slug, status__in=(CampaignStatus.OPEN, CampaignStatus.CLOSED)).prefetch_related("templates").first()
    if campaign is None:
        raise Http404()
    return campaign


def _campaign_context(campaign: LetterCampaign, language: str) -> dict[str, Any]:
    template = campaign.template_for(language)
    shown = project(template, PUBLIC, ("language", "title", "summary", "subject", "body")) if template else {}
    targets = [project(o.target, PUBLIC, ("name", "title", "institution", "country"))
               for o in campaign.live_outreaches()]
    return {"template": shown, "text_dir": fmt.direction("", str(shown.get("language", language))),
            "targets": targets, "is_open": campaign.status == CampaignStatus.OPEN,
            "send_wording": wording.wording("send", language)}


def _campaign_page(request: HttpRequest, campaign: LetterCampaign, form: OfficialLetterForm, *, status: int = 200,
                   problem: str = "") -> HttpResponse:
    language = _language()
    context = {**_frame(language, "letters_public:campaign", slug=campaign.slug),
               **_campaign_context(campaign, language), "form": form, "problem": problem,
               "challenge": json.dumps(abuse.new_challenge()),
               "action": _url("letters_public:campaign", language, slug=campaign.slug),
               "data_url": _url("supporters:request", language)}
    return _private(render(request, "letters/public/campaign.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    found = _campaign(slug)
    language = _language()
    if request.method != "POST":
        template = found.template_for(language)
        return _campaign_page(request, found, OfficialLetterForm(initial={"body": template.body if template else ""}))
    form = OfficialLetterForm(request.POST)
    if found.status != CampaignStatus.OPEN:
        return _campaign_page(request, found, form, status=400, problem=_("This letter campaign is closed."))
    if not form.is_valid():
        return _campaign_page(request, found, form, status=400)
    data = form.cleaned_data
    verdict = abuse.screen(address=abuse.client_address(request), email=data["email"], honeypot=form.honeypot,
                           proof=data.get("altcha", ""), purpose=abuse.LETTERS)
    if verdict.expired:
        return _campaign_page(request, found, OfficialLetterForm(request.POST), status=400,
                              problem=_("The form was open for too long. Please send it again."))
    if not verdict.drop:
        try:
            actions.do_write_to_officials(
                campaign=found, email=data["email"], sender_name=data["sender_name"], body=data["body"],
                language=language, sender_place=data.get("sender_place", ""),
                newsletter=bool(data.get("newsletter")), quarantine=verdict.quarantine,
                proof_of_work=verdict.proof_of_work)
        except ValidationError as exc:
            _errors(form, exc)
            return _campaign_page(request, found, form, status=400)
    template = found.template_for(language)
    return _private(render(request, "letters/public/check_email.html", {
        **_frame(language, "letters_public:campaign", slug=found.slug),
        "title": template.title if template else "", "page_url": _url("letters_public:campaign", language,
                                                                      slug=found.slug)}))


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows the button (mail scanners open links; they do not press buttons); POST sends the letter."""
    language = _language()
    frame = _frame(language, None)
    try:
        letter = actions.find_pending(token)
        if letter.campaign.slug != slug or letter.campaign.status != CampaignStatus.OPEN:
            raise actions.BadLink()
    except actions.BadLink:
        return _private(render(request, "letters/public/bad_link.html", frame, status=404))
    context = {**frame, **_campaign_context(letter.campaign, language),
               "page_url": _url("letters_public:campaign", language, slug=slug)}
    if request.method == "POST":
        try:
            actions.do_confirm_letter(token=token)
        except actions.BadLink:
            return _private(render(request, "letters/public/bad_link.html", frame, status=404))
        return _private(render(request, "letters/public/confirmed.html", context))
    return _private(render(request, "letters/public/confirm.html", context))
