"""Public urgent actions, mounted under each language prefix (/en/urgent/, /ar/urgent/, …)."""

from __future__ import annotations

from django.urls import path

from unforgotten.alerts import public_views

app_name = "alerts_public"

urlpatterns = [
    path("", public_views.live, name="live"),
    path("<slug:slug>/", public_views.detail, name="detail"),
]
