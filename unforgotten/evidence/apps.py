from __future__ import annotations

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "unforgotten.evidence"
    label = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        from unforgotten.audit import log
        from unforgotten.evidence import custody, erasure, rules  # noqa: F401  (permissions; the erasure receiver)

        # verify-log re-serialises custody events from their rows (decision 0010).
        log.register_leaf_source(custody.LEAF_KIND, custody.leaf_source)
