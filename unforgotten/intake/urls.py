"""The caseworkers' intake queue, mounted at /work/intake/."""

from __future__ import annotations

from django.urls import path

from unforgotten.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:suggestion>/", views.detail, name="detail"),
    path("<uuid:suggestion>/decide/", views.decide, name="decide"),
    path("<uuid:suggestion>/reveal/", views.reveal, name="reveal"),
]
