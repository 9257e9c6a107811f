"""The public petition pages (/<language>/petitions/…) and the supporter's data pages (/<language>/supporters/…).

They work with JavaScript off and load nothing from elsewhere. The petition page
is the same for every reader (decision 0025): no CSRF token (signing reads no
cookie and needs no session) and no challenge in it (the page's script fetches
one from ``…/challenge/``), so it goes to the public page store and a spike of
views costs no query. Its count is the petition's ``count_shown`` "as of" the
last periodic sum, never a COUNT(*); the periodic sum drops the petition's stored
pages when the count moved, so the lag stays that of the sum. Ordinary
signatures are taken by ``actions/fastpath.py`` before the middleware stack;
this module's ``sign`` view answers the rest (errors, expired challenges,
closed petitions) and is what the fast path falls back on.

Whatever a signature meets (a repeat of an address, a filled honeypot, a crossed
rate limit, a forged challenge), the answer is the same "check your e-mail"
page: bots learn nothing, and nobody learns whether an address had signed.
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
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from unforgotten.actions import abuse, actions, wording
from unforgotten.actions.forms import DataRequestForm, SignForm
from unforgotten.actions.models import ConsentPurpose, Petition, PetitionStatus, Signature
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.middleware import CACHE_CONTROL, CACHEABLE_ATTR

LANGUAGE_NAMES = dict(settings.LANGUAGES)
PUBLIC_STATUSES = (PetitionStatus.OPEN, PetitionStatus.CLOSED, PetitionStatus.DELIVERED)


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in LANGUAGE_NAMES:
        raise Http404()
    return language


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _frame(language: str, route: str | None, **kwargs: Any) -> dict[str, Any]:
    """What the public base template needs: language switcher, alternates, direction."""
    languages = [code for code, _name in settings.LANGUAGES]
    switcher = [{"code": code, "name": LANGUAGE_NAMES[code], "dir": fmt.direction("", code),
                 "href": _url(route, code, **kwargs) if route else _url("public:home", code),
                 "current": code == language} for code in languages]
    return {"lang": language, "dir": fmt.direction("", language), "switcher": switcher, "alternates": [],
            "home_url": _url("public:home", language)}


def _private(response: HttpResponse) -> HttpResponse:
    # Per-visitor content (a CSRF token, a challenge, a confirmation link's page): never stored anywhere.
    response["Cache-Control"] = "no-store"
    return response


def _petition(slug: str) -> Petition:
    # Texts come with the petition: the form, the e-mail and the answer all read them.
    petition = Petition.objects.filter(slug=slug, status__in=PUBLIC_STATUSES).prefetch_related("texts").first()
    if petition is None:
        raise Http404()
    return petition


def _petition_context(petition: Petition, language: str) -> dict[str, Any]:
    text = petition.text_for(language)
    shown = project(text, PUBLIC, ("language", "title", "summary", "body")) if text else {}
    targets = [project(t, PUBLIC, ("kind", "name", "title", "institution", "country"))
               for t in petition.targets.all()]
    public = project(petition, PUBLIC, ("slug", "goal", "deadline", "count_shown", "count_as_of", "status"))
    names: list[dict[str, str]] = []
    if petition.show_signer_names:
        # Only signers who opted in, and only a given name and a country: never an address.
        for given, country in Signature.objects.filter(petition=petition, counted=True, show_name=True,
                                                       supporter__isnull=False).order_by("-confirmed_at").values_list(
                "supporter__given_name", "country")[:10]:
            if given:
                names.append({"name": given, "country": country})
    return {
        "petition": public, "text": shown, "text_dir": fmt.direction("", str(shown.get("language", language))),
        "targets": targets, "count": fmt.number(int(public.get("count_shown") or 0), language),
        "as_of": public.get("count_as_of"), "goal": fmt.number(petition.goal, language) if petition.goal else "",
        "is_open": petition.is_open, "names": names,
        "counted_wording": wording.wording(ConsentPurpose.COUNTED, language),
    }


def _sign_page(request: HttpRequest, petition: Petition, form: SignForm, *, status: int = 200,
               problem: str = "") -> HttpResponse:
    language = _language()
    context = {**_frame(language, "petitions:page", slug=petition.slug), **_petition_context(petition, language),
               "form": form, "problem": problem,
               "challenge_url": _url("petitions:challenge", language, slug=petition.slug),
               "sign_url": _url("petitions:sign", language, slug=petition.slug),
               "data_url": _url("supporters:request", language)}
    # decision 0028: the petition's Open Graph and Twitter card, from the projected text only
    from unforgotten.publishing import site

    shown = context["text"]
    if shown.get("title"):
        card = site.Card(title=f"{shown['title']} · {site.SITE_NAME}", description=str(shown.get("summary", "")))
        context["share"] = site.share_meta(language, card, route="petitions:page", kwargs={"slug": petition.slug},
                                           available=[t.language for t in petition.texts.all()])
    response = render(request, "actions/public/petition.html", context, status=status)
    if status != 200 or form.is_bound:
        return _private(response)
    # The blank form is the same for everyone: stored, and served without touching the database.
    response["Cache-Control"] = CACHE_CONTROL
    setattr(response, CACHEABLE_ATTR, True)
    return response


@require_http_methods(["GET", "HEAD"])
def page(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _petition(slug)
    return _sign_page(request, petition, SignForm(petition=petition))


@require_http_methods(["GET", "HEAD"])
def challenge(request: HttpRequest, slug: str) -> HttpResponse:
    """A fresh proof-of-work challenge (the fast path answers this before the stack; this is its fallback)."""
    from unforgotten.actions import fastpath

    return fastpath.challenge(_language())


def thanks_context(petition: Petition, language: str) -> dict[str, Any]:
    # The same page whatever happened to the signature; it needs only the title.
    text = petition.text_for(language)
    return {**_frame(language, "petitions:page", slug=petition.slug),
            "text": project(text, PUBLIC, ("title",)) if text else {},
            "page_url": _url("petitions:page", language, slug=petition.slug)}


def _thanks(request: HttpRequest, petition: Petition) -> HttpResponse:
    return _private(render(request, "actions/public/check_email.html", thanks_context(petition, _language())))


# No CSRF token: signing reads no cookie and acts for no session, so a forged cross-site form gains nothing a
# direct POST would not, and a signature counts only once confirmed from the e-mailed link (decision 0025).
@csrf_exempt
@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _petition(slug)
    form = SignForm(request.POST, petition=petition)
    if not petition.is_open:
        return _sign_page(request, petition, form, status=400,
                          problem=_("This petition is closed; it no longer takes signatures."))
    if not form.is_valid():
        return _sign_page(request, petition, form, status=400)
    data = form.cleaned_data
    verdict = abuse.screen(address=abuse.client_address(request), email=data["email"], honeypot=form.honeypot,
                           proof=data.get("altcha", ""))
    if verdict.expired:
        return _sign_page(request, petition, SignForm(request.POST, petition=petition), status=400,
                          problem=_("The form was open for too long. Please send it again."))
    if verdict.drop:
        return _thanks(request, petition)
    try:
        actions.do_sign_petition(
            petition=petition, email=data["email"], given_name=data.get("given_name", ""),
            country=data.get("country", ""), language=_language(), comment=data.get("comment", ""),
            consents=form.consents(), quarantine=verdict.quarantine, proof_of_work=verdict.proof_of_work)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return _sign_page(request, petition, form, status=400)
    return _thanks(request, petition)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows the buttons (mail scanners open links; they do not press buttons); POST confirms."""
    language = _language()
    frame = _frame(language, None)
    try:
        signature = actions.find_pending(token)
        if signature.petition.slug != slug or signature.petition.status != PetitionStatus.OPEN:
            raise actions.BadToken()
    except actions.BadToken:
        return _private(render(request, "actions/public/bad_link.html", frame, status=404))
    petition = signature.petition
    context = {**frame, **_petition_context(petition, language),
               "keep_wording": wording.wording(ConsentPurpose.CAMPAIGN_UPDATES, language),
               "page_url": _url("petitions:page", language, slug=petition.slug)}
    if request.method == "POST":
        try:
            actions.do_confirm_signature(token=token, keep_informed=request.POST.get("keep_informed") == "1")
        except actions.BadToken:
            return _private(render(request, "actions/public/bad_link.html", frame, status=404))
        return _private(render(request, "actions/public/confirmed.html", context))
    return _private(render(request, "actions/public/confirm.html", context))


# --- the supporter's own data ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def request_my_data(request: HttpRequest) -> HttpResponse:
    language = _language()
    context: dict[str, Any] = {**_frame(language, "supporters:request")}
    if request.method == "POST":
        form = DataRequestForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not str(form.cleaned_data.get("website", "")).strip():
                verdict = abuse.check_rates(address=abuse.client_address(request), email=email,
                                            purpose=abuse.MY_DATA)
                if not verdict:
                    actions.do_request_my_data(email=email, language=language)
            context["sent"] = True
            return _private(render(request, "actions/public/my_data_request.html", context))
        context["form"] = form
        return _private(render(request, "actions/public/my_data_request.html", context, status=400))
    context["form"] = DataRequestForm()
    return _private(render(request, "actions/public/my_data_request.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def my_data(request: HttpRequest, token: str) -> HttpResponse:
    language = _language()
    frame = _frame(language, None)
    keys = actions.data_link_keys(token)
    if keys is None:
        return _private(render(request, "actions/public/bad_link.html", frame, status=404))
    if request.method == "POST":
        what = request.POST.get("do", "")
        if what == "export":
            data = actions.export_my_data(keys)
            response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                                    content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="my-data.json"'
            return _private(response)
        if what == "withdraw":
            # The words on the button the person pressed (my_data.html), recorded with the newsletter's withdrawal.
            shown = _("Stop all e-mails and hide my name (withdraw my consents)")
            withdrawn = actions.do_withdraw_my_consents(keys=keys, text=shown, language=language)
            return _private(render(request, "actions/public/my_data.html", {**frame, "withdrawn": withdrawn,
                                                                             "done": True}))
        if what == "erase":
            erased = actions.do_erase_my_data(key=keys)
            return _private(render(request, "actions/public/my_data_erased.html", {**frame, "erased": erased}))
    return _private(render(request, "actions/public/my_data.html", frame))
