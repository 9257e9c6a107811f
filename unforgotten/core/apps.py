from __future__ import annotations

import gc

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    # The database cache table is not a model, so `migrate` alone would leave it
    # missing; creating it here keeps "migrate, then serve" a two-step start.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "unforgotten.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="core.createcachetable")
        # Every module, class and model imported by now lives as long as the process (some
        # 200,000 objects). Frozen, the collector's full passes skip them: each request's
        # share of those passes was a few tenths of a millisecond (measured on the person
        # list, decision 0027). Objects made later are collected as before.
        gc.freeze()
        from django.conf import settings

        if settings.PRODUCTION:
            # Refuse to start rather than discover at the first sealed write that
            # the key is missing (and never store such a value in plaintext).
            from unforgotten.core import keyring

            keyring.check_kek()
