"""The alerts permissions, registered in the one policy (unforgotten.policy).

- Reading alerts, the board and the report: anyone who reads the organisation's records (``view``).
- Raising an alert: anyone who records something about a case — caseworkers, reviewers,
  advocates, campaigners, coordinators and admins (``edit_cases``, ``advocacy``, ``campaign`` or
  ``coordinate``). An alert must be cheap to raise: the person who hears of a hunger strike first
  is rarely a coordinator.
- Moving an alert along its lifecycle (verify, launch action, resolve, withdraw): the people
  who run cases (``edit_cases``: caseworkers, reviewers, admins) and the coordinators
  (``coordinate``, decision 0026: they are who the escalations wake). Viewers and tokens with
  only the read scope never may. The same capability puts a member on the on-call roster.
- Publishing an alert as a public urgent action and taking it down: ``publish`` (reviewers,
  campaigners, admins), the same capability the public profiles ask for.
- The on-call roster, the webhook subscriptions and the escalation limits: organisation admins
  (``manage_members``): they decide who is woken at night, when, and which outside systems are told.
"""

from __future__ import annotations

from unforgotten import policy

policy.register("alerts.view", policy.capability("view"))
policy.register("alerts.raise", policy.capability("edit_cases") | policy.capability("advocacy")
                | policy.capability("campaign") | policy.capability("coordinate"))
policy.register("alerts.respond", policy.capability("edit_cases") | policy.capability("coordinate"))
policy.register("alerts.publish", policy.capability("publish"))
policy.register("alerts.manage", policy.capability("manage_members"))
