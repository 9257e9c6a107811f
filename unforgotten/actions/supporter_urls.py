"""The supporter's own data (export, erasure), under each language prefix (/en/supporters/…)."""

from __future__ import annotations

from django.urls import path

from unforgotten.actions import public_views

app_name = "supporters"

urlpatterns = [
    path("my-data/", public_views.request_my_data, name="request"),
    path("my-data/<str:token>/", public_views.my_data, name="my_data"),
]
