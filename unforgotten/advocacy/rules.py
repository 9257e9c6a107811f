"""The advocacy permissions, registered in the one policy (unforgotten.policy).

- Reading stakeholders, interventions, adoptions, legal actions, UN
  communications and the laws catalogue: anyone who reads the organisation's
  records (``view``).
- Recording and changing them: advocates and organisation admins (``advocacy``).
- Handing a dossier or a WGAD draft to someone outside: ``advocacy`` and
  ``export`` together, and a re-authenticated session (the views ask for it).
- Revealing a lawyer's sealed contact: the case team of one of the lawyer's
  clients, after re-authenticating, with a reason (the view asks the projection).
"""

from __future__ import annotations

from unforgotten import policy

policy.register("advocacy.view", policy.capability("view"))
policy.register("advocacy.edit", policy.capability("advocacy"))
policy.register("advocacy.export", policy.capability("advocacy") & policy.capability("export"))
