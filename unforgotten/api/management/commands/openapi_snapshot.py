from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

SNAPSHOT = Path(__file__).resolve().parents[2] / "tests" / "openapi.json"


def current_schema() -> str:
    from unforgotten.api.api import api

    return json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Rewrite the committed OpenAPI snapshot after a deliberate API change (review the diff)."

    def handle(self, *args: Any, **options: Any) -> None:
        SNAPSHOT.write_text(current_schema(), encoding="utf-8")
        self.stdout.write(f"wrote {SNAPSHOT}")
