"""Public pages, mounted under a language prefix (/en/, /ar/, …) by the root URLconf."""

from __future__ import annotations

from django.urls import path

from unforgotten.publishing import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("prisoners/<slug:slug>/", public_views.profile, name="profile"),
    path("prisoners/<slug:slug>/photo.jpg", public_views.photo, name="photo"),
    path("countries/<str:code>/", public_views.country, name="country"),
]
