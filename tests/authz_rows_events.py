"""Authorization rows of events (issue 7 item 6), written from the persona sentences.

Public event pages and calendars answer everyone alike: the pages 200; an empty RSVP 400 (form errors); an unknown
prisoner's calendar, confirmation or RSVP link 404. The workspace: Org A's readers (Amal, Bilal, Dana, Vera) read
events and RSVP counts; only Dana (org admin: the ``campaign`` capability) changes them; publishing needs ``publish``
(Bilal, Dana); every step answers with a redirect (a refused step says why on the page). The home page lists events
to every member (Chris sees his own Org B's).
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import ADMIN_A, MEMBERS, VIEW_A, Row, api, everyone, page, safe

GHOST = "00000000-0000-0000-0000-000000000000"
EVENT = {"event": "{events_event}"}
NO_EVENT = {"event": GHOST}
PUBLISHERS_A = frozenset({"bilal", "dana"})
ORG = {"org": "{org_a}"}
NO_ORG = {"org": "no-such-org"}


def _ws(get: Any, post: Any = None, **kw: Any) -> Row:
    methods = {"GET": get, "HEAD": get}
    if post is not None:
        methods["POST"] = post
    return Row(methods, **kw)


ROWS: dict[str, Row] = {
    # --- public ----------------------------------------------------------------------------------
    "events_public:list": Row(safe(everyone(200))),
    "events_public:calendar": Row(safe(everyone(200))),
    "events_public:country_ics": Row(safe(everyone(200)), kwargs={"code": "de"}),
    "events_public:prisoner_ics": Row(safe(everyone(404)), kwargs={"slug": "no-such-person"}),
    "events_public:sent": Row(safe(everyone(200))),
    "events_public:confirm": Row({"GET": everyone(404), "HEAD": everyone(404), "POST": everyone(404)},
                                 kwargs={"token": "no-such-token"}),
    "events_public:manage": Row({"GET": everyone(404), "HEAD": everyone(404), "POST": everyone(404)},
                                kwargs={"token": "no-such-token"}),
    "events_public:detail": Row(safe(everyone(200)), kwargs={"slug": "matrix-event"}),
    "events_public:event_ics": Row(safe(everyone(200)), kwargs={"slug": "matrix-event"}),
    "events_public:time": Row(safe(everyone(200)), kwargs={"slug": "matrix-event"}),
    "events_public:rsvp": Row({"GET": everyone(200), "HEAD": everyone(200), "POST": everyone(400)},
                              kwargs={"slug": "matrix-event"}),
    # --- workspace -------------------------------------------------------------------------------
    "events:home": Row(safe(page(MEMBERS))),
    "events:create": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs=ORG, probe=NO_ORG),
    "events:sync": Row({"POST": page(ADMIN_A, 302)}, kwargs=ORG, probe=NO_ORG),
    "events:seed": Row({"POST": page(ADMIN_A, 302)}, kwargs=ORG, probe=NO_ORG),
    "events:detail": Row(safe(page(VIEW_A)), kwargs=EVENT, probe=NO_EVENT),
    "events:edit": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs=EVENT, probe=NO_EVENT),
    "events:text": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={**EVENT, "language": "fr"},
                       probe={**NO_EVENT, "language": "fr"}),
    "events:submit": Row({"POST": page(ADMIN_A, 302)}, kwargs=EVENT, probe=NO_EVENT),
    "events:publish": Row({"POST": page(PUBLISHERS_A, 302)}, kwargs=EVENT, probe=NO_EVENT),
    "events:unpublish": Row({"POST": page(ADMIN_A, 302)}, kwargs=EVENT, probe=NO_EVENT),
    "events:cancel": Row({"POST": page(ADMIN_A, 302)}, kwargs=EVENT, probe=NO_EVENT),
    # --- API ----------------------------------------------------------------------------------------
    "api:events_public_list": Row({"GET": everyone(200)}, kwargs={"language": "en"}),
    "api:events_public_event": Row({"GET": everyone(200)}, kwargs={"language": "en", "slug": "matrix-event"}),
    "api:events_events": Row({"GET": api(VIEW_A), "POST": api(ADMIN_A, 422)}, kwargs=ORG, probe=NO_ORG),
    "api:events_event": Row({"GET": api(VIEW_A), "PATCH": api(ADMIN_A, 422)}, kwargs={**ORG, **EVENT},
                            probe={**ORG, **NO_EVENT}),
    "api:events_text": Row({"PUT": api(ADMIN_A, 422)}, kwargs={**ORG, **EVENT}, probe={**ORG, **NO_EVENT}),
    "api:events_workflow": Row({"POST": api(ADMIN_A, 422)}, kwargs={**ORG, **EVENT}, probe={**ORG, **NO_EVENT}),
    # Without a JSON body (and the placeholder is published already): 422, nothing changes.
    "api:events_publish": Row({"POST": api(PUBLISHERS_A, 422)}, kwargs={**ORG, **EVENT},
                              probe={**ORG, **NO_EVENT}),
    # An API POST must carry a JSON body; the matrix sends none, so the allowed persona gets 422.
    "api:events_sync": Row({"POST": api(ADMIN_A, 422)}, kwargs=ORG, probe=NO_ORG),
    "api:events_seed": Row({"POST": api(ADMIN_A, 422)}, kwargs=ORG, probe=NO_ORG),
    "api:events_attendances": Row({"GET": api(ADMIN_A), "POST": api(ADMIN_A, 422)}, kwargs={**ORG, **EVENT},
                                  probe={**ORG, **NO_EVENT}),
}


def placeholders(cast: Any) -> dict[str, str]:
    """A published vigil of Org A (address after RSVP), written by Dana and published by Bilal."""
    from unforgotten.events.models import Event
    from unforgotten.events.testing import make_vigil

    event = Event.objects.filter(slug="matrix-event").first() or make_vigil(cast, slug="matrix-event").vigil
    return {"events_event": str(event.uuid)}
