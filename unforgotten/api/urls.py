from __future__ import annotations

from django.urls import path

from unforgotten.api import views

app_name = "api_tokens"

urlpatterns = [
    path("org/<slug:slug>/tokens/", views.tokens, name="list"),
    path("org/<slug:slug>/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke"),
]
