from __future__ import annotations

from django.urls import path

from unforgotten.audit import views

app_name = "audit"

urlpatterns = [
    path("org/<slug:slug>/audit/", views.events, name="events"),
]
