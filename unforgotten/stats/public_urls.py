"""The public statistics page, mounted under each language prefix (/en/statistics/, /ar/statistics/, …)."""

from __future__ import annotations

from django.urls import path

from unforgotten.stats import public_views

app_name = "stats_public"

urlpatterns = [
    path("", public_views.today, name="today"),
    path("day/", public_views.choose, name="choose"),
    path("<str:day>/", public_views.on_day, name="on_day"),
]
