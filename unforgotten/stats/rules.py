"""The statistics permissions, registered in the one policy (unforgotten.policy).

Who reads an organisation's dashboard, its figures through the API and its
monthly reports: anyone who reads its records (``view``). The figures are
aggregates of the staff projection, so they tell a member nothing that the
registry's lists do not. Making a report on demand writes a stored PDF: the
same ``view`` (it changes no record). Public statistics need no permission:
they are built only from the public projection.
"""

from __future__ import annotations

from unforgotten import policy

policy.register("stats.view", policy.capability("view"))
