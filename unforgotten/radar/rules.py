"""The radar's permissions, registered in the one policy (unforgotten.policy).

- Reading the radar (the ledger, the "why", media mentions): anyone who reads
  the organisation's records (``view``). The radar tells a member nothing the
  registry's and advocacy's lists do not: it orders the same cases by neglect.
- Logging, changing and removing media mentions: advocates, campaigners and
  organisation admins (``advocacy`` or ``campaign``): the people who watch the press.
- Who receives the weekly digest: the coordinators (``policy.coordinators``: the
  coordinator role; the organisation admins when nobody holds it; decision 0026).
"""

from __future__ import annotations

from unforgotten import policy

policy.register("radar.view", policy.capability("view"))
policy.register("radar.edit", policy.capability("advocacy") | policy.capability("campaign"))
