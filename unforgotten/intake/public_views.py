"""The public "suggest a prisoner" form (/<language>/suggest/), issue 6.

No account, no cookie, no session read. The reply to every well-formed post is
the same "thank you, received" page: whether the person is already known,
whether the post was quarantined as suspicious, or whether the site dropped
it in a flood. Only malformed input (a missing name, an oversized field,
control characters, HTML) gets form errors, and then nothing is stored.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten.core import antispam
from unforgotten.core.publicsite import public_site_organisation
from unforgotten.intake import actions
from unforgotten.intake.forms import SuggestionForm
from unforgotten.intake.public import language, render_public, url

logger = logging.getLogger(__name__)
PURPOSE = "intake"
# Beyond this many posts per hour from one address nothing more is stored (not even in quarantine):
# a flood must not fill the disk. The reply stays the same.
FLOOD = 50


def _form_page(form: SuggestionForm, lang: str, *, status: int = 200) -> HttpResponse:
    organisation = public_site_organisation()
    return render_public("intake/public/suggest.html", lang, "intake_public:suggest", {
        "form": form, "open": organisation is not None, "token": antispam.issue_form_token(PURPOSE),
        "action": url("intake_public:suggest", lang),
    }, status=status)


# No CSRF cookie on public pages: the signed, single-use form token served with the form is what a
# cross-site page cannot obtain, and there is no session or account here to ride (decision 0021).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    lang = language()
    if request.method != "POST":
        return _form_page(SuggestionForm(language=lang), lang)
    form = SuggestionForm(request.POST, language=lang)
    organisation = public_site_organisation()
    if organisation is None or not form.is_valid():
        return _form_page(form, lang, status=400)
    data = form.cleaned_data
    suspicious: list[str] = []
    if antispam.honeypot_filled(data.get("website")):
        suspicious.append("honeypot")
    check = antispam.check_form_token(PURPOSE, data.get("form_token") or "")
    if not check.ok:
        suspicious.append(f"token-{check.problem}")
    hits = antispam.hit(PURPOSE, antispam.address_digest(antispam.client_address(request)))
    if hits > settings.INTAKE_HOURLY_LIMIT:
        suspicious.append("rate")
    if hits > FLOOD:
        logger.warning("intake: flood from one address, post dropped (%d this hour)", hits)
    else:
        actions.do_receive_suggestion(
            organisation=organisation, language=lang, suspicious=suspicious,
            contact_name=data["contact_name"], contact=data["contact"],
            data={"person_name": data["person_name"], "other_names": data["other_names"],
                  "country": data["country"], "place_held": data["place_held"], "held_since": data["held_since"],
                  "reason": data["reason"], "sources": data["sources"]})
    return HttpResponseRedirect(url("intake_public:thanks", lang), status=303)


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    lang = language()
    return render_public("intake/public/thanks.html", lang, "intake_public:thanks", {
        "again": url("intake_public:suggest", lang)})
