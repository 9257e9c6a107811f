"""Named personas for tests. Their access is stated beside each; tests rely on these sentences.

- Amal is a caseworker of Org A (Rights Watch): sees and edits Org A's cases.
- Bilal is a reviewer of Org A: decides recognition, reads Org A's audit trail.
- Dana is the admin of Org A: manages members and tokens, reads the audit trail.
- Vera is a viewer of Org A: reads Org A's records, changes nothing.
- Chris is a caseworker of Org B: must see nothing of Org A.
- Pat is a platform admin with no membership: administers the platform, sees no case data.
- Dmitri was a caseworker of Org A and has been deactivated: gets nothing.
- The anonymous visitor sees only public pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from unforgotten.accounts.models import Membership, Organisation, User

PASSWORD = "correct horse battery staple"  # noqa: S105  (tests only)
# Every persona has enrolled this TOTP secret: staff must have a second factor.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  (tests only)


@dataclass
class Cast:
    org_a: Organisation
    org_b: Organisation
    amal: User
    bilal: User
    dana: User
    vera: User
    chris: User
    pat: User
    dmitri: User
    by_name: dict[str, User | None] = field(default_factory=dict)

    def persona(self, name: str) -> User | None:
        return self.by_name[name]


PERSONA_NAMES = ("anonymous", "amal", "bilal", "dana", "vera", "chris", "pat", "dmitri")


def _user(email: str, name: str, **extra: Any) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, display_name=name, **extra)


def make_cast() -> Cast:
    """Create the cast directly (not through action functions): fixtures, not behaviour under test."""
    org_a = Organisation.objects.create(name="Rights Watch (Org A)", slug="org-a", country="GB")
    org_b = Organisation.objects.create(name="Lawyers Network (Org B)", slug="org-b", country="AM")
    amal = _user("amal@example.org", "Amal")
    bilal = _user("bilal@example.org", "Bilal")
    dana = _user("dana@example.org", "Dana")
    vera = _user("vera@example.org", "Vera")
    chris = _user("chris@example.org", "Chris")
    pat = _user("pat@example.org", "Pat", is_superuser=True, is_staff=True)
    dmitri = _user("dmitri@example.org", "Dmitri")
    for user, org, roles in (
        (amal, org_a, ["caseworker"]),
        (bilal, org_a, ["reviewer"]),
        (dana, org_a, ["org_admin"]),
        (vera, org_a, ["viewer"]),
        (chris, org_b, ["caseworker"]),
        (dmitri, org_a, ["caseworker"]),
    ):
        Membership.objects.create(user=user, organisation=org, roles=roles)
    from allauth.mfa.totp.internal.auth import TOTP

    for user in (amal, bilal, dana, vera, chris, pat, dmitri):
        TOTP.activate(user, TOTP_SECRET)
    dmitri.is_active = False
    dmitri.save(update_fields=["is_active"])
    cast = Cast(org_a, org_b, amal, bilal, dana, vera, chris, pat, dmitri)
    cast.by_name = {"anonymous": None, "amal": amal, "bilal": bilal, "dana": dana, "vera": vera,
                    "chris": chris, "pat": pat, "dmitri": dmitri}
    return cast


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    """The current six-digit code for ``secret``, as an authenticator app would show it."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int((time.time() if at is None else at) // 30)
    return str(format_hotp_value(hotp_value(secret, counter)))
