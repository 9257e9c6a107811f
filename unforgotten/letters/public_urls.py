"""Public letter pages, mounted under each language prefix (/en/letters/…)."""

from __future__ import annotations

from django.urls import path

from unforgotten.letters import public_views

app_name = "letters_public"

urlpatterns = [
    path("prisoners/<slug:slug>/", public_views.write, name="write"),
    path("revise/<str:token>/", public_views.revise, name="revise"),
    path("campaigns/<slug:slug>/", public_views.campaign, name="campaign"),
    path("campaigns/<slug:slug>/confirm/<str:token>/", public_views.confirm, name="confirm"),
]
