"""The public newsletter pages, mounted under each language prefix (/en/newsletter/, …)."""

from __future__ import annotations

from django.urls import path

from unforgotten.newsletter import public_views

app_name = "newsletter_public"

urlpatterns = [
    path("", public_views.sign_up, name="sign_up"),
    path("check-your-inbox/", public_views.sent, name="sent"),
    path("confirm/<str:token>/", public_views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
]
