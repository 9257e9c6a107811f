from __future__ import annotations

from django.urls import path

from unforgotten.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.raise_alert, name="raise"),
    path("roster/", views.roster, name="roster"),
    path("roster/<int:shift>/remove/", views.remove_shift, name="remove_shift"),
    path("limits/", views.limits, name="limits"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<uuid:subscription>/deactivate/", views.deactivate_webhook, name="deactivate_webhook"),
    path("<uuid:alert>/", views.detail, name="detail"),
    path("<uuid:alert>/move/", views.move, name="move"),
    path("<uuid:alert>/public/", views.public_text, name="public"),
]
