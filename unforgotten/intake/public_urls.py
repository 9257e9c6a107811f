"""The public suggestion form, mounted under each language prefix (/en/suggest/, /ar/suggest/, …)."""

from __future__ import annotations

from django.urls import path

from unforgotten.intake import public_views

app_name = "intake_public"

urlpatterns = [
    path("", public_views.suggest, name="suggest"),
    path("received/", public_views.thanks, name="thanks"),
]
