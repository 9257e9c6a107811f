"""The campaigners' newsletter page, mounted at /work/newsletter/."""

from __future__ import annotations

from django.urls import path

from unforgotten.newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/export.csv", views.export, name="export"),
]
