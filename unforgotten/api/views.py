from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unforgotten.accounts.sudo import require_sudo
from unforgotten.accounts.views import organisation_for
from unforgotten.api import actions
from unforgotten.api.forms import TokenForm
from unforgotten.api.models import APIToken
from unforgotten.core.views import not_found


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest, slug: str) -> HttpResponse:
    org = organisation_for(request, slug, "accounts.manage_tokens")
    require_sudo(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = actions.do_create_api_token(organisation=org, name=form.cleaned_data["name"],
                                                         scopes=form.cleaned_data["scopes"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    return render(request, "api/tokens.html", {
        "org": org, "form": form, "secret": secret,
        "tokens": APIToken.objects.filter(organisation=org).order_by("-created_at"),
    }, status=400 if form.errors else 200)


@require_POST
@login_required
def revoke_token(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    org = organisation_for(request, slug, "accounts.manage_tokens")
    token = APIToken.objects.filter(organisation=org, pk=token_id).first()
    if token is None:
        not_found()
    require_sudo(request)
    actions.do_revoke_api_token(token=token, acting_user=request.user)
    messages.success(request, _("Token revoked; it stops working at once."))
    return redirect("api_tokens:list", slug=org.slug)
