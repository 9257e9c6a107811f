from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "unforgotten.intake"
    label = "intake"
    verbose_name = _("Intake")  # also the workspace menu entry (base.html)

    def ready(self) -> None:
        from unforgotten.intake import rules  # noqa: F401  (permissions)
