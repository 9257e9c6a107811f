"""The events permissions, registered in the one policy (unforgotten.policy).

- Reading events and RSVP *counts* in the workspace: anyone who reads the
  organisation's records (``view``). Nobody reads RSVP addresses on a page:
  they leave only in the e-mails to their own owners.
- Creating and changing events, texts, syncing hearings, seeding action days,
  submitting for review, cancelling: campaigners and admins (``campaign``);
  they also read the hidden place and link (they wrote them).
- Publishing (the second pair of eyes): ``publish``, and not the submitter
  (checked in the action, as for public profiles).
"""

from __future__ import annotations

from unforgotten import policy

policy.register("events.view", policy.capability("view"))
policy.register("events.edit", policy.capability("campaign"))
policy.register("events.publish", policy.capability("publish"))
