"""The newsletter permissions, registered in the one policy (unforgotten.policy).

The list belongs to the organisation that runs the public site; its
campaigners and admins (``campaign``) see how many people subscribed and
export the confirmed addresses (after re-authenticating: the export hands
addresses to someone outside the platform). Nobody else sees the list.
"""

from __future__ import annotations

from unforgotten import policy

policy.register("newsletter.view", policy.capability("campaign"))
policy.register("newsletter.export", policy.capability("campaign"))
