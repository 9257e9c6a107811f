"""The alerts permissions, registered in the one policy (unforgotten.policy).

- Reading alerts, the board and the report: anyone who reads the organisation's records (``view``).
- Raising an alert: anyone who records something about a case — caseworkers, reviewers,
  advocates, campaigners and admins (``edit_cases``, ``advocacy`` or ``campaign``). An alert
  must be cheap to raise: the person who hears of a hunger strike first is rarely a coordinator.
- Moving an alert along its lifecycle (verify, launch action, resolve, withdraw): the people
  who run cases (``edit_cases``: caseworkers, reviewers, admins). Viewers and tokens with only
  the read scope never may.
- Publishing an alert as a public urgent action and taking it down: ``publish`` (reviewers,
  campaigners, admins), the same capability the public profiles ask for.
- The on-call roster and the webhook subscriptions: organisation admins (``manage_members``):
  they decide who is woken at night and which outside systems are told.
"""

from __future__ import annotations

from unforgotten import policy

policy.register("alerts.view", policy.capability("view"))
policy.register("alerts.raise", policy.capability("edit_cases") | policy.capability("advocacy")
                | policy.capability("campaign"))
policy.register("alerts.respond", policy.capability("edit_cases"))
policy.register("alerts.publish", policy.capability("publish"))
policy.register("alerts.manage", policy.capability("manage_members"))
