"""Public petition pages, mounted under each language prefix (/en/petitions/…)."""

from __future__ import annotations

from django.urls import path

from unforgotten.actions import public_views

app_name = "petitions"

urlpatterns = [
    path("<slug:slug>/", public_views.page, name="page"),
    path("<slug:slug>/sign/", public_views.sign, name="sign"),
    path("<slug:slug>/challenge/", public_views.challenge, name="challenge"),
    path("<slug:slug>/confirm/<str:token>/", public_views.confirm, name="confirm"),
]
