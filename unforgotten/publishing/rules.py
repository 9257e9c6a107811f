"""The publishing permissions, registered in the one policy (unforgotten.policy)."""

from __future__ import annotations

from unforgotten import policy

policy.register("publishing.view", policy.capability("view"))
# Writing a story is everyday work for caseworkers and campaigners; reviewers may fix a draft too.
policy.register("publishing.edit", policy.capability("edit_cases") | policy.capability("campaign")
                | policy.capability("publish"))
# Putting a person on the public site is a reviewer's decision (the "publish" capability).
policy.register("publishing.approve", policy.capability("publish"))
