"""The radar JSON API, mounted at /api/v1/radar/: the same policy, projection and actions as the workspace.

- Who may: ``radar.view`` to read (a token's read scope), ``radar.edit`` to
  log, change or remove media mentions (advocates, campaigners, admins; a
  token's advocacy or campaign scope). Refusals are "not found", asked before
  the body is read.
- What they see: the caller's projection; a case or mention the caller may not
  see does not exist for them.
- Pages are keyset pages (``?after=`` the previous page's ``next``), so the
  thousandth page costs what the first does.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate

from unforgotten.api.schemas import act, responses
from unforgotten.core.partialdate import PartialDate
from unforgotten.radar import actions, engine, reading
from unforgotten.radar import schemas as s
from unforgotten.radar.models import MediaMention
from unforgotten.radar.views import MEDIA_FIELDS, _case, _mention
from unforgotten.registry.api import gated
from unforgotten.registry.models import Case
from unforgotten.registry.schemas import Text

router = Router(tags=["radar"])

VIEW, EDIT = "radar.view", "radar.edit"


def _id(raw: object) -> int:
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Http404()
    return int(text)


def _uuid(raw: object) -> UUID:
    try:
        return raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        raise Http404() from None


def _g_case(permission: str) -> list[Any]:
    return gated(lambda request, kw: _case(request, _id(kw.get("case_id")), permission))


def _g_mention(permission: str) -> list[Any]:
    return gated(lambda request, kw: _mention(request, _uuid(kw.get("uuid")), permission))


def _row_out(row: reading.RadarRow, today: date) -> dict[str, Any]:
    return {
        "case_id": row.case_id, "person": row.person_uuid, "name": row.name, "country": row.country,
        "status": row.status, "held": row.active, "index": row.index, "oldest": row.oldest, "missing": row.missing,
        "baseline": row.baseline, "why": reading.why_text(row, today),
        "signals": [{"kind": k, "last": row.days.get(k), "days_since": row.days_since(k, today),
                     "weight": engine.WEIGHTS[k]} for k in engine.TIE_ORDER],
    }


def _mention_out(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, PartialDate) else v) for k, v in values.items()}


@router.get("/cases", response=responses(s.RadarPageOut), summary="Cases by neglect, the most neglected first",
            description="Only cases the caller may see. status: empty = held now, 'inactive' = no longer held or "
                        "dead, or one status; missing: a kind of attention never recorded.")
def radar_list(request: HttpRequest, organisation: Text | None = None, country: Text = "", status: Text = "",
               missing: Text = "", after: Text = "") -> Any:
    orgs = reading.organisations_of(request.user)
    if organisation:
        orgs = [o for o in orgs if o.slug == organisation[:50]]
    if not orgs:
        raise Http404()
    try:
        country, status, missing = reading.check_filters(country, status, missing)
        cursor = reading.parse_cursor(after)
    except reading.BadFilter as exc:
        raise ValidationError([{"loc": ("query", exc.field), "msg": exc.message}]) from None
    today = timezone.localdate()
    f = reading.Filters(organisations=tuple(o.pk for o in orgs), country=country, status=status, missing=missing,
                        after=cursor)
    rows, next_cursor = reading.page(request.user, f, today, reading.PAGE_SIZE)
    return {"items": [_row_out(r, today) for r in rows], "next": next_cursor}


@router.get("/cases/{case_id}", response=responses(s.RadarCaseOut), summary="The attention ledger of one case")
def radar_case(request: HttpRequest, case_id: int) -> Any:
    case, _reader = _case(request, _id(case_id), VIEW)
    today = timezone.localdate()
    row = reading.one(request.user, case, today)
    if row is None:
        raise Http404()
    return _row_out(row, today)


@router.get("/cases/{case_id}/media", response=responses(list[s.MediaMentionOut]), exclude_unset=True,
            summary="Media mentions of a case")
@paginate(PageNumberPagination)
def radar_list_media(request: HttpRequest, case_id: int) -> Any:
    case, reader = _case(request, _id(case_id), VIEW)
    return [_mention_out(reader.show(m, ("case_id", *MEDIA_FIELDS), case.person_id))
            for m in case.media_mentions.all() if reader.sees(m, case.person_id)]


@router.post("/cases/{case_id}/media", response=responses(s.MediaMentionOut, 201), exclude_unset=True,
             auth=_g_case(EDIT), summary="Log a media mention of a case")
def radar_create_media(request: HttpRequest, case_id: int, payload: s.MediaMentionIn) -> Any:
    case, reader = _case(request, _id(case_id), EDIT)
    obj = act(actions.do_log_media_mention, case=case, data=payload.model_dump(), acting_user=request.user)
    return Status(201, _mention_out(reader.show(obj, ("case_id", *MEDIA_FIELDS), case.person_id)))


@router.get("/media/{uuid}", response=responses(s.MediaMentionOut), exclude_unset=True, summary="A media mention")
def radar_get_media(request: HttpRequest, uuid: UUID) -> Any:
    obj, reader = _mention(request, uuid, VIEW)
    return _mention_out(reader.show(obj, ("case_id", *MEDIA_FIELDS), obj.case.person_id))


@router.patch("/media/{uuid}", response=responses(s.MediaMentionOut), exclude_unset=True,
              auth=_g_mention(EDIT), summary="Change a media mention")
def radar_update_media(request: HttpRequest, uuid: UUID, payload: s.MediaMentionPatch) -> Any:
    obj, reader = _mention(request, uuid, EDIT)
    act(actions.do_update_media_mention, mention=obj, data=payload.model_dump(exclude_unset=True),
         acting_user=request.user)
    return _mention_out(reader.show(obj, ("case_id", *MEDIA_FIELDS), obj.case.person_id))


@router.delete("/media/{uuid}", response=responses(None, 204), auth=_g_mention(EDIT),
               summary="Remove a media mention")
def radar_delete_media(request: HttpRequest, uuid: UUID) -> Any:
    obj, _reader = _mention(request, uuid, EDIT)
    actions.do_remove_media_mention(mention=obj, acting_user=request.user)
    return Status(204, None)


__all__ = ["Case", "MediaMention", "router"]
