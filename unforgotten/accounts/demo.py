"""The demo's organisations and personas. Fictional; used by `unforgotten demo-data`.

Each persona's access is stated beside it; the test personas in
``unforgotten/testing.py`` follow the same cast.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "unforgotten-demo"  # noqa: S105  (demo only: DEMO=1 is refused in production)


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    country: str


@dataclass(frozen=True)
class DemoPersona:
    email: str
    name: str
    org: str | None
    roles: tuple[str, ...]
    platform_admin: bool = False
    note: str = ""


ORGS = (
    DemoOrg("rights-watch", "Rights Watch Collective", "GB"),
    DemoOrg("lawyers-network", "Free Defence Lawyers' Network", "AM"),
)

PERSONAS = (
    DemoPersona("amal@example.org", "Amal", "rights-watch", ("caseworker",), note="caseworker of Rights Watch"),
    DemoPersona("bilal@example.org", "Bilal", "rights-watch", ("reviewer",), note="reviewer of Rights Watch"),
    DemoPersona("dana@example.org", "Dana", "rights-watch", ("org_admin",), note="admin of Rights Watch"),
    DemoPersona("farah@example.org", "Farah", "rights-watch", ("campaigner",), note="campaigner of Rights Watch"),
    # advocacy (issue 8)
    DemoPersona("ada@example.org", "Ada", "rights-watch", ("advocate",), note="advocate of Rights Watch"),
    DemoPersona("chris@example.org", "Chris", "lawyers-network", ("caseworker", "advocate"),
                note="Lawyers' Network; sees nothing of Rights Watch"),
    DemoPersona("pat@example.org", "Pat", None, (), platform_admin=True, note="platform admin; no case data"),
)
