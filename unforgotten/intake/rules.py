"""The intake permissions, registered in the one policy (unforgotten.policy).

Suggestions arrive from anyone on the public site and are unverified: the
queue is for the people who create records, the receiving organisation's
caseworkers, reviewers and admins (``edit_cases``). Viewers, advocates and
campaigners do not triage. Revealing a suggester's sealed contact is a
caseworker's act too, after re-authenticating, with a reason (the view asks).
"""

from __future__ import annotations

from unforgotten import policy

policy.register("intake.view", policy.capability("edit_cases"))
policy.register("intake.triage", policy.capability("edit_cases"))
