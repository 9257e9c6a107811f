"""Periodic jobs of the public site."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("publishing.release_stories", every=timedelta(minutes=5))
def release_stories() -> str:
    """Release the day's story of each series once its daily slot has come (one a day per language)."""
    from unforgotten.publishing.actions import do_release_series_stories

    released = do_release_series_stories()
    return f"{len(released)} released"
