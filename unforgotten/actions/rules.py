"""The take-action permissions, registered in the one policy (unforgotten.policy).

- Reading petitions, targets and counts in the workspace: anyone who reads the
  organisation's records (``view``).
- Creating and changing petitions and targets, reviewing the quarantine,
  invalidating signatures, closing and delivering: campaigners and organisation
  admins (``campaign``).
- Exporting the signers (personal data of supporters): ``campaign`` and
  ``export`` together, after re-authenticating (the view asks for it).
"""

from __future__ import annotations

from unforgotten import policy

policy.register("actions.view", policy.capability("view"))
policy.register("actions.edit", policy.capability("campaign"))
policy.register("actions.export", policy.capability("campaign") & policy.capability("export"))
