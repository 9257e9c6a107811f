"""The monitoring permissions, registered in the one policy (unforgotten.policy).

- Reading contacts, conditions reports and rules: anyone who reads the organisation's records
  (``view``). Health status is restricted: the projection shows it to the case team only.
- Logging a contact, a health status or a conditions report and setting a case's rule:
  caseworkers, reviewers and admins (``edit_cases``).
"""

from __future__ import annotations

from unforgotten import policy

policy.register("monitoring.view", policy.capability("view"))
policy.register("monitoring.edit", policy.capability("edit_cases"))
