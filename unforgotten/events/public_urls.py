"""The public event pages and calendars, mounted under each language prefix (/en/events/, /ar/events/, …)."""

from __future__ import annotations

from django.urls import path

from unforgotten.events import public_views

app_name = "events_public"

urlpatterns = [
    path("", public_views.listing, name="list"),
    path("calendar.ics", public_views.calendar, name="calendar"),
    path("country/<str:code>.ics", public_views.country_ics, name="country_ics"),
    path("prisoner/<slug:slug>.ics", public_views.prisoner_ics, name="prisoner_ics"),
    path("rsvp/sent/", public_views.sent, name="sent"),
    path("rsvp/confirm/<str:token>/", public_views.confirm, name="confirm"),
    path("rsvp/manage/<str:token>/", public_views.manage, name="manage"),
    path("<slug:slug>/", public_views.detail, name="detail"),
    path("<slug:slug>/event.ics", public_views.event_ics, name="event_ics"),
    path("<slug:slug>/time/", public_views.time_in_zone, name="time"),
    path("<slug:slug>/rsvp/", public_views.rsvp, name="rsvp"),
]
