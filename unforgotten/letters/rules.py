"""The letters permissions, registered in the one policy (unforgotten.policy).

- Reading letter boxes, the moderation queue, batches and campaigns: anyone who
  reads the organisation's records (``view``). The sender's details (restricted)
  are shown only to the prisoner's case team, by the projection.
- Moderating letters to a prisoner, opening a prisoner's letter box, compiling
  batches, recording their delivery and the family view: caseworkers, reviewers
  and admins (``edit_cases``): the people who know the prison and the family.
- Letter campaigns to officials (templates, opening, replies, office hand-overs):
  campaigners and admins (``campaign``), like petitions.
"""

from __future__ import annotations

from unforgotten import policy

policy.register("letters.view", policy.capability("view"))
policy.register("letters.moderate", policy.capability("edit_cases"))
policy.register("letters.campaign", policy.capability("campaign"))
