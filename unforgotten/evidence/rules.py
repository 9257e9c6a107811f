"""The evidence permissions, registered in the one policy (unforgotten.policy).

Who reads an item's page and custody history: anyone who reads the person
(``view``). Who adds evidence and makes derivatives: editors (``edit_cases``).
Who may mark a derivative publishable: reviewers (``publish``). Opening an
original's bytes (or its file name, or the capture URL) is a case-team matter
on top of these: the views ask the projection's audience for that.
"""

from __future__ import annotations

from unforgotten import policy

policy.register("evidence.view", policy.capability("view"))
policy.register("evidence.add", policy.capability("edit_cases"))
policy.register("evidence.publish", policy.capability("publish"))
