"""The public newsletter pages (/<language>/newsletter/…): sign-up, confirmation, unsubscribe (issue 6).

- The sign-up answers the same "check your inbox" page whatever the address's
  state (new, waiting, subscribed, unsubscribed), and whether or not the post
  looked like a robot's (then nothing is stored or sent).
- The links in e-mails are signed, expiring and single-use. Their GET only
  shows a button (mail scanners open links); the POST acts. A forged, expired
  or used link gets a page that says which, and changes nothing.
- No cookie, no session: the signed form token or the link's token stands in
  for a CSRF cookie (decision 0021). The unsubscribe POST also serves RFC 8058
  one-click unsubscribe from mail programs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten.core import antispam
from unforgotten.core.publicsite import public_site_organisation
from unforgotten.intake.public import language, render_public, url
from unforgotten.newsletter import actions, texts, tokens
from unforgotten.newsletter.forms import SignUpForm

PURPOSE = "newsletter"
HOURLY_LIMIT = 10


def _problem_text(problem: str) -> str:
    return {
        "expired": _("This link has expired. Please sign up again to get a new one."),
        "used": _("This link has already been used."),
    }.get(problem, _("This link is not valid. Please check that you copied all of it."))


def _problem_page(lang: str, route: str, token: str, problem: str) -> HttpResponse:
    return render_public("newsletter/public/problem.html", lang, route, {
        "problem": _problem_text(problem), "sign_up": url("newsletter_public:sign_up", lang)},
        status=400, route_kwargs={"token": token})


def _form_page(form: SignUpForm, lang: str, *, status: int = 200) -> HttpResponse:
    return render_public("newsletter/public/sign_up.html", lang, "newsletter_public:sign_up", {
        "form": form, "open": public_site_organisation() is not None, "consent_text": texts.sign_up_consent(),
        "token": antispam.issue_form_token(PURPOSE), "action": url("newsletter_public:sign_up", lang),
    }, status=status)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    lang = language()
    if request.method != "POST":
        return _form_page(SignUpForm(), lang)
    form = SignUpForm(request.POST)
    organisation = public_site_organisation()
    if organisation is None or not form.is_valid():
        return _form_page(form, lang, status=400)
    check = antispam.check_form_token(PURPOSE, form.cleaned_data.get("form_token") or "")
    hits = antispam.hit(PURPOSE, antispam.address_digest(antispam.client_address(request)))
    # A robot's post (or a flood) is dropped silently: a newsletter sign-up that nobody confirms is worth
    # nothing, and quarantining it would keep a stranger's address for no purpose.
    if check.ok and not antispam.honeypot_filled(form.cleaned_data.get("website")) and hits <= HOURLY_LIMIT:
        actions.do_sign_up(organisation=organisation, email=form.cleaned_data["email"], language=lang,
                           consent_text=texts.sign_up_consent())
    return HttpResponseRedirect(url("newsletter_public:sent", lang), status=303)


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    lang = language()
    return render_public("newsletter/public/sent.html", lang, "newsletter_public:sent", {})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    lang = language()
    route = "newsletter_public:confirm"
    if request.method == "POST":
        try:
            actions.do_confirm(token=token, consent_text=texts.confirm_consent(), language=lang)
        except actions.LinkProblem as exc:
            return _problem_page(lang, route, token, exc.problem)
        return render_public("newsletter/public/done.html", lang, route, {
            "heading": _("You are subscribed"), "message": _("Thank you. Your subscription is confirmed.")},
            route_kwargs={"token": token})
    try:
        actions.subscriber_for(tokens.CONFIRM, token)
    except actions.LinkProblem as exc:
        return _problem_page(lang, route, token, exc.problem)
    return render_public("newsletter/public/button.html", lang, route, {
        "heading": _("Confirm your subscription"), "button": texts.confirm_consent(),
        "action": url(route, lang, token=token)}, route_kwargs={"token": token})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    lang = language()
    route = "newsletter_public:unsubscribe"
    if request.method == "POST":
        try:
            actions.do_unsubscribe(token=token, text=texts.withdrawal(), language=lang)
        except actions.LinkProblem as exc:
            return _problem_page(lang, route, token, exc.problem)
        return render_public("newsletter/public/done.html", lang, route, {
            "heading": _("You are unsubscribed"),
            "message": _("You will not receive the newsletter any more.")}, route_kwargs={"token": token})
    try:
        actions.subscriber_for(tokens.UNSUBSCRIBE, token)
    except actions.LinkProblem as exc:
        return _problem_page(lang, route, token, exc.problem)
    return render_public("newsletter/public/button.html", lang, route, {
        "heading": _("Unsubscribe"), "button": texts.withdrawal(),
        "action": url(route, lang, token=token)}, route_kwargs={"token": token})
