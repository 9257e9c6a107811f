from __future__ import annotations

from django.urls import path

from unforgotten.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:case>/", views.case, name="case"),
    path("cases/<int:case>/contacts/new/", views.contact_create, name="contact_create"),
    path("cases/<int:case>/health/new/", views.health_create, name="health_create"),
    path("cases/<int:case>/rule/", views.rule, name="rule"),
    path("facilities/<int:facility>/", views.facility, name="facility"),
    path("facilities/<int:facility>/reports/new/", views.conditions_create, name="conditions_create"),
]
