from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "unforgotten.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from unforgotten.registry import rules  # noqa: F401  (registers the registry's permissions)
