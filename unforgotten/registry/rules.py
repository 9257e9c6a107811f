"""The registry's permissions, registered in the one policy (unforgotten.policy)."""

from __future__ import annotations

from unforgotten import policy

policy.register("registry.view", policy.capability("view"))
policy.register("registry.edit", policy.capability("edit_cases"))
policy.register("registry.review", policy.capability("review"))
policy.register("registry.export", policy.capability("export"))
# The case team reads restricted fields and may reveal sealed ones: choosing who
# is on it is a senior decision (reviewers and organisation admins), not every editor's.
policy.register("registry.manage_team", policy.capability("review"))
