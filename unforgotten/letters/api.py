"""The letters API at /api/v1/letters/: everything the workspace does, through the same policy and actions.

- Letters to prisoners: read with ``letters.view`` (a token's read scope);
  moderate, compile batches, set delivery, letter boxes with ``letters.moderate``
  (caseworkers, reviewers, admins; a token's write scope). The sender's details
  are in the answer only for the prisoner's case team (the projection), and such
  a read is audited; a token is never a case team member.
- Letter campaigns to officials, outreaches, replies, office hand-overs:
  ``letters.view`` to read, ``letters.campaign`` to change (campaigners and
  admins; a token's campaign scope).
- Public: ``/public/campaigns/{slug}`` (the PUBLIC projection of an open or closed campaign).
Refusals are "not found", decided before the body is read; bad input is a 422
naming the field, with nothing stored.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from unforgotten import policy
from unforgotten.actions import abuse
from unforgotten.actions.api import SignerIn
from unforgotten.actions.models import Target
from unforgotten.api.osdi import CURIES, PER_PAGE, OsdiOut, absolute, page_of, paging
from unforgotten.api.schemas import StrictIn, act, organisation_or_404, responses, uuid_or_404
from unforgotten.audit.actions import record_read
from unforgotten.letters import actions
from unforgotten.letters.models import (
    CampaignStatus,
    LetterBatch,
    LetterBox,
    LetterCampaign,
    OfficialLetter,
    Outreach,
    PrisonerLetter,
)
from unforgotten.policy.projection import PUBLIC, audience_for, project
from unforgotten.registry.api import gated
from unforgotten.registry.models import Person
from unforgotten.registry.schemas import Text

router = Router(tags=["letters"])

VIEW, MODERATE, CAMPAIGN = "letters.view", "letters.moderate", "letters.campaign"
SENDER = ("sender_name", "sender_address", "sender_email")
DeliveryValue = Literal["compiled", "handed_over", "delivered", "returned", "censored"]


# --- finding through the policy ---------------------------------------------------------------------------


def _owned(request: HttpRequest, model: Any, org: object, permission: str, **lookup: Any) -> Any:
    organisation = organisation_or_404(request, org, permission)
    # Rows without an organisation column of their own (an outreach) say how to reach it.
    path = getattr(model, "ORGANISATION_PATH", "organisation")
    obj = model.objects.filter(**{path: organisation}, **lookup).first()
    if obj is None or not policy.can(request.user, permission, obj):
        raise Http404()
    return obj


def _g_org(permission: str) -> list[Any]:
    return gated(lambda request, kw: organisation_or_404(request, kw.get("org"), permission))


def _g(model: Any, key: str, permission: str, field: str = "uuid") -> list[Any]:
    def gate(request: HttpRequest, kw: Any) -> None:
        value: Any = kw.get(key)
        if field == "uuid":
            value = uuid_or_404(value)
        else:
            try:
                value = int(str(value))
            except ValueError:
                raise Http404() from None
        _owned(request, model, kw.get("org"), permission, **{field: value})

    return gated(gate)


# --- schemas ------------------------------------------------------------------------------------------------


class LetterOut(Schema):
    uuid: UUID
    person: UUID
    language: str
    body: str
    status: str
    quarantine: str
    received_at: datetime
    delivery: str
    print_sender: bool
    moderator_note: str
    batch: UUID | None = None
    sender_name: str | None = Field(None, description="Case team only.")
    sender_address: str | None = Field(None, description="Case team only.")
    sender_email: str | None = Field(None, description="Case team only; never printed.")


class ModerationIn(StrictIn):
    decision: Literal["approve", "reject", "request_changes"]
    note: Text = Field("", max_length=2000, description="Sent to the sender with a change request.")
    print_sender: bool | None = Field(None, description="Print the sender's name and address on the letter.")


class DeliveryIn(StrictIn):
    status: DeliveryValue
    note: Text = Field("", max_length=2000)


class BoxIn(StrictIn):
    is_open: bool
    guidance: Text = Field("", max_length=10_000)
    deliver_via: Literal["family", "lawyer"] = "family"


class BoxOut(Schema):
    person: UUID
    is_open: bool
    accepts_letters: bool
    guidance: str
    deliver_via: str


class BatchOut(Schema):
    uuid: UUID
    person: UUID
    status: str
    made_at: datetime
    size: int
    note: str


class TemplateIn(StrictIn):
    title: Text = Field(..., min_length=1, max_length=300)
    summary: Text = Field("", max_length=5000)
    subject: Text = Field(..., min_length=1, max_length=300)
    body: Text = Field(..., min_length=1, max_length=20_000)


class CampaignIn(StrictIn):
    name: Text = Field(..., min_length=1, max_length=200)
    slug: str = Field(..., pattern=r"^[-a-z0-9]{1,120}$", description="/<language>/letters/campaigns/<slug>/")
    channel: Literal["email", "post"] = "email"
    default_language: str = Field("en", max_length=10)
    targets: list[UUID] = Field(default_factory=list, max_length=100)


class CampaignPatch(StrictIn):
    name: Text | None = Field(None, min_length=1, max_length=200)
    channel: Literal["email", "post"] | None = None
    default_language: str | None = Field(None, max_length=10)
    targets: list[UUID] | None = Field(None, max_length=100)


class StatusIn(StrictIn):
    status: Literal["open", "closed"]


class OutreachOut(Schema):
    id: int
    target: UUID
    target_name: str
    letters_sent: int
    letters_for_post: int
    superseded_at: datetime | None = None
    superseded_by: int | None = None
    replies: list[dict[str, Any]]


class CampaignOut(Schema):
    uuid: UUID
    slug: str
    name: str | None = None
    status: str
    channel: str
    default_language: str
    templates: list[dict[str, Any]]
    outreaches: list[OutreachOut] | None = None


class ReplyIn(StrictIn):
    received_on: date
    stance: Literal["positive", "neutral", "negative"]
    summary: Text = Field(..., min_length=1, max_length=5000)


class OutreachHelperIn(StrictIn):
    """OSDI's record_outreach_helper: a partner's server passes on one supporter's letter to the targets."""

    person: SignerIn
    message: Text = Field(..., min_length=1, max_length=10000, description="The letter; salutation and sign-off are "
                                                                              "added per target.")
    place: Text = Field("", max_length=200, description="Where the writer lives, if they want it said.")
    newsletter: bool = Field(False, description="The supporter asked to hear from the campaign (double opt-in).")


class HandOverIn(StrictIn):
    old: UUID = Field(..., description="The target who held the office.")
    new: UUID = Field(..., description="The target who holds it now.")


class HandOverOut(Schema):
    campaigns: int
    outreaches: list[int]


# --- rendering ----------------------------------------------------------------------------------------------


def _letter_out(request: HttpRequest, letter: PrisonerLetter) -> dict[str, Any]:
    team = letter.person.case_team.values_list("pk", flat=True)
    shown = project(letter, audience_for(request.user, letter, case_team_user_ids=team),
                    ("uuid", "language", "body", "status", "quarantine", "received_at", "delivery", "print_sender",
                     "moderator_note", *SENDER))
    if any(shown.get(k) for k in SENDER):
        record_read("letters.read_sender", actor=request.user, obj=letter, fields=[k for k in SENDER if shown.get(k)])
    shown["person"] = letter.person.uuid
    shown["batch"] = letter.batch.uuid if letter.batch_id and letter.batch else None
    return shown


def _box_out(person: Person) -> dict[str, Any]:
    box = LetterBox.objects.filter(person=person).first()
    return {"person": person.uuid, "is_open": bool(box and box.is_open), "accepts_letters": actions.accepts_letters(person),
            "guidance": box.guidance if box else "", "deliver_via": box.deliver_via if box else "family"}


def _batch_out(batch: LetterBatch) -> dict[str, Any]:
    return {"uuid": batch.uuid, "person": batch.person.uuid, "status": batch.status, "made_at": batch.made_at,
            "size": batch.size, "note": batch.note}


def _outreach_out(outreach: Outreach) -> dict[str, Any]:
    return {"id": outreach.pk, "target": outreach.target.uuid, "target_name": outreach.target.name,
            "letters_sent": outreach.letters_sent, "letters_for_post": outreach.letters_for_post,
            "superseded_at": outreach.superseded_at, "superseded_by": outreach.superseded_by_id,
            "replies": [{"received_on": r.received_on.isoformat(), "stance": r.stance, "summary": r.summary}
                        for r in outreach.replies.all()]}


def _campaign_out(campaign: LetterCampaign, audience: Any, *, with_outreach: bool) -> dict[str, Any]:
    shown = project(campaign, audience, ("uuid", "slug", "name", "status", "channel", "default_language"))
    shown["templates"] = [project(t, audience, ("language", "title", "summary", "subject", "body"))
                          for t in campaign.templates.all()]
    if with_outreach:
        shown["outreaches"] = [_outreach_out(o) for o in
                               Outreach.objects.filter(campaign=campaign).select_related("target").prefetch_related(
                                   "replies")]
    return shown


def _osdi_outreach(letter: OfficialLetter, audience: Any, campaign_path: str, targets: list[dict[str, Any]],
                   channel: str) -> dict[str, Any]:
    """One supporter's letter as an OSDI outreach (the writer's name and place only for the case team)."""
    shown = project(letter, audience, ("uuid", "language", "body", "state", "quarantine", "written_at", "sent_at",
                                       "sender_name", "sender_place"))
    out: dict[str, Any] = {
        "identifiers": [f"unforgotten:{shown['uuid']}"] if "uuid" in shown else [],
        "origin_system": "Unforgotten",
        "created_date": shown["written_at"].isoformat() if shown.get("written_at") else None,
        "type": "email" if channel == "email" else "postal",
        "message": shown.get("body", ""),
        "language": shown.get("language"),
        "status": shown.get("state"),
        "quarantine": shown.get("quarantine", ""),
        "sent_date": shown["sent_at"].isoformat() if shown.get("sent_at") else None,
        "targets": targets,
        "_links": {"osdi:advocacy_campaign": {"href": absolute(campaign_path)}, "curies": CURIES},
    }
    for name in ("sender_name", "sender_place"):
        if name in shown:
            out[name] = shown[name]
    return out


def _targets(organisation_id: int, keys: list[UUID]) -> list[Target]:
    targets = list(Target.objects.filter(organisation_id=organisation_id, uuid__in=keys))
    if len(targets) != len(set(keys)):
        raise ValidationError([{"loc": ("body", "payload", "targets"),
                                "msg": "Name targets of your organisation (GET /actions/{org}/targets)."}])
    return targets


# --- public -------------------------------------------------------------------------------------------------


@router.get("/public/campaigns/{slug}", response=responses(CampaignOut), auth=None, url_name="letters_public_campaign",
            summary="A public letter campaign: its letter in each language (the public projection)")
def public_campaign(request: HttpRequest, slug: str) -> Any:
    campaign = LetterCampaign.objects.filter(slug=slug[:120], status__in=(CampaignStatus.OPEN,
                                                                         CampaignStatus.CLOSED)).first()
    if campaign is None:
        raise Http404()
    return _campaign_out(campaign, PUBLIC, with_outreach=False)


# --- letters to prisoners -----------------------------------------------------------------------------------


@router.get("/{org}/letters", response=responses(list[LetterOut]), auth=_g_org(VIEW), url_name="letters_letters",
            summary="Letters to prisoners (the moderation queue with status=pending)")
def list_letters(request: HttpRequest, org: str,
                 status: Literal["pending", "changes", "approved", "rejected"] | None = None) -> Any:
    organisation = organisation_or_404(request, org, VIEW)
    rows = PrisonerLetter.objects.filter(organisation=organisation).select_related("person", "batch")
    if status is not None:
        rows = rows.filter(status=status)
    return [_letter_out(request, x) for x in rows.order_by("received_at", "id")[:500]]


@router.get("/{org}/letters/{letter}", response=responses(LetterOut), auth=_g(PrisonerLetter, "letter", VIEW),
            url_name="letters_letter", summary="One letter to a prisoner")
def get_letter(request: HttpRequest, org: str, letter: UUID) -> Any:
    return _letter_out(request, _owned(request, PrisonerLetter, org, VIEW, uuid=letter))


@router.post("/{org}/letters/{letter}/moderation", response=responses(LetterOut),
             auth=_g(PrisonerLetter, "letter", MODERATE), url_name="letters_moderate",
             summary="Approve, reject, or ask the sender for changes")
def moderate(request: HttpRequest, org: str, letter: UUID, payload: ModerationIn) -> Any:
    obj = _owned(request, PrisonerLetter, org, MODERATE, uuid=letter)
    done = act(actions.do_moderate_letter, letter=obj, decision=payload.decision, note=payload.note,
                print_sender=payload.print_sender, acting_user=request.user)
    return _letter_out(request, done)


@router.post("/{org}/letters/{letter}/delivery", response=responses(LetterOut),
             auth=_g(PrisonerLetter, "letter", MODERATE), url_name="letters_letter_delivery",
             summary="The delivery status of one letter of a batch (e.g. censored)")
def letter_delivery(request: HttpRequest, org: str, letter: UUID, payload: DeliveryIn) -> Any:
    obj = _owned(request, PrisonerLetter, org, MODERATE, uuid=letter)
    return _letter_out(request, act(actions.do_set_letter_delivery, letter=obj, status=payload.status,
                                     acting_user=request.user))


@router.get("/{org}/people/{person}/box", response=responses(BoxOut), auth=_g(Person, "person", VIEW),
            url_name="letters_box", summary="A prisoner's letter box")
def get_box(request: HttpRequest, org: str, person: UUID) -> Any:
    return _box_out(_owned(request, Person, org, VIEW, uuid=person))


@router.put("/{org}/people/{person}/box", response=responses(BoxOut), auth=_g(Person, "person", MODERATE),
            url_name="letters_box", summary="Open or close a prisoner's letter box; the prison's guidance")
def set_box(request: HttpRequest, org: str, person: UUID, payload: BoxIn) -> Any:
    obj = _owned(request, Person, org, MODERATE, uuid=person)
    act(actions.do_set_letter_box, person=obj, data=payload.model_dump(), acting_user=request.user)
    return _box_out(obj)


@router.get("/{org}/people/{person}/batches", response=responses(list[BatchOut]), auth=_g(Person, "person", VIEW),
            url_name="letters_batches", summary="A prisoner's letter batches and their delivery")
def list_batches(request: HttpRequest, org: str, person: UUID) -> Any:
    obj = _owned(request, Person, org, VIEW, uuid=person)
    return [_batch_out(b) for b in LetterBatch.objects.filter(person=obj).select_related("person")]


@router.post("/{org}/people/{person}/batches", response=responses(BatchOut, 201),
             auth=_g(Person, "person", MODERATE), url_name="letters_batches",
             summary="Compile every approved letter not yet printed into a PDF batch")
def compile_batch(request: HttpRequest, org: str, person: UUID) -> Any:
    obj = _owned(request, Person, org, MODERATE, uuid=person)
    return Status(201, _batch_out(act(actions.do_compile_batch, person=obj, acting_user=request.user)))


@router.post("/{org}/batches/{batch}/status", response=responses(BatchOut), auth=_g(LetterBatch, "batch", MODERATE),
             url_name="letters_batch_status", summary="Compiled, handed over, delivered, returned or censored")
def batch_status(request: HttpRequest, org: str, batch: UUID, payload: DeliveryIn) -> Any:
    obj = _owned(request, LetterBatch, org, MODERATE, uuid=batch)
    return _batch_out(act(actions.do_set_batch_status, batch=obj, status=payload.status, note=payload.note,
                           acting_user=request.user))


@router.get("/{org}/batches/{batch}/pdf", auth=_g(LetterBatch, "batch", MODERATE), url_name="letters_batch_pdf",
            response=responses(None), summary="The batch's PDF (application/pdf)")
def batch_pdf(request: HttpRequest, org: str, batch: UUID) -> HttpResponse:
    obj = _owned(request, LetterBatch, org, MODERATE, uuid=batch)
    return HttpResponse(bytes(obj.pdf), content_type="application/pdf")


@router.get("/{org}/people/{person}/family.pdf", auth=_g(Person, "person", MODERATE), url_name="letters_family_view",
            response=responses(None), summary="The family view: every approved letter (PDF)")
def family_view(request: HttpRequest, org: str, person: UUID) -> HttpResponse:
    obj = _owned(request, Person, org, MODERATE, uuid=person)
    return HttpResponse(actions.do_export_family_view(person=obj, acting_user=request.user),
                        content_type="application/pdf")


# --- campaigns to officials -----------------------------------------------------------------------------


@router.get("/{org}/campaigns", response=responses(list[CampaignOut]), auth=_g_org(VIEW),
            url_name="letters_campaigns", summary="Letter campaigns of an organisation")
def list_campaigns(request: HttpRequest, org: str) -> Any:
    organisation = organisation_or_404(request, org, VIEW)
    return [_campaign_out(c, audience_for(request.user, c), with_outreach=False)
            for c in LetterCampaign.objects.filter(organisation=organisation).prefetch_related("templates")[:500]]


@router.post("/{org}/campaigns", response=responses(CampaignOut, 201), auth=_g_org(CAMPAIGN),
             url_name="letters_campaigns", summary="Create a letter campaign aimed at targets")
def create_campaign(request: HttpRequest, org: str, payload: CampaignIn) -> Any:
    organisation = organisation_or_404(request, org, CAMPAIGN)
    targets = _targets(organisation.pk, payload.targets)
    if LetterCampaign.objects.filter(slug=payload.slug).exists():
        raise ValidationError([{"loc": ("body", "payload", "slug"), "msg": "This address is taken."}])
    data = payload.model_dump(exclude={"targets"})
    campaign = act(actions.do_create_campaign, organisation=organisation, data=data, targets=targets,
                    acting_user=request.user)
    return Status(201, _campaign_out(campaign, audience_for(request.user, campaign), with_outreach=True))


@router.get("/{org}/campaigns/{campaign}", response=responses(CampaignOut), auth=_g(LetterCampaign, "campaign", VIEW),
            url_name="letters_campaign", summary="One letter campaign with its outreach and replies")
def get_campaign(request: HttpRequest, org: str, campaign: UUID) -> Any:
    obj = _owned(request, LetterCampaign, org, VIEW, uuid=campaign)
    return _campaign_out(obj, audience_for(request.user, obj), with_outreach=True)


@router.patch("/{org}/campaigns/{campaign}", response=responses(CampaignOut),
              auth=_g(LetterCampaign, "campaign", CAMPAIGN), url_name="letters_campaign",
              summary="Change a campaign's name, channel, language or targets")
def update_campaign(request: HttpRequest, org: str, campaign: UUID, payload: CampaignPatch) -> Any:
    obj = _owned(request, LetterCampaign, org, CAMPAIGN, uuid=campaign)
    data = payload.model_dump(exclude_none=True, exclude={"targets"})
    targets = _targets(obj.organisation_id, payload.targets) if payload.targets is not None else None
    obj = act(actions.do_update_campaign, campaign=obj, data=data, targets=targets, acting_user=request.user)
    return _campaign_out(obj, audience_for(request.user, obj), with_outreach=True)


@router.put("/{org}/campaigns/{campaign}/letters/{language}", response=responses(CampaignOut),
            auth=_g(LetterCampaign, "campaign", CAMPAIGN), url_name="letters_template",
            summary="The campaign's letter in one language (without salutation or sign-off)")
def set_template(request: HttpRequest, org: str, campaign: UUID, language: str, payload: TemplateIn) -> Any:
    obj = _owned(request, LetterCampaign, org, CAMPAIGN, uuid=campaign)
    act(actions.do_set_template, campaign=obj, language=language[:10], data=payload.model_dump(),
         acting_user=request.user)
    return _campaign_out(obj, audience_for(request.user, obj), with_outreach=True)


@router.post("/{org}/campaigns/{campaign}/status", response=responses(CampaignOut),
             auth=_g(LetterCampaign, "campaign", CAMPAIGN), url_name="letters_campaign_status",
             summary="Open or close a letter campaign")
def campaign_status(request: HttpRequest, org: str, campaign: UUID, payload: StatusIn) -> Any:
    obj = _owned(request, LetterCampaign, org, CAMPAIGN, uuid=campaign)
    obj = act(actions.do_set_campaign_status, campaign=obj, status=payload.status, acting_user=request.user)
    return _campaign_out(obj, audience_for(request.user, obj), with_outreach=True)


@router.post("/{org}/campaigns/{campaign}/post", response=responses(dict[str, Any], 201),
             auth=_g(LetterCampaign, "campaign", CAMPAIGN), url_name="letters_compile_post",
             summary="Compile the letters waiting for post into one PDF")
def compile_post(request: HttpRequest, org: str, campaign: UUID) -> Any:
    obj = _owned(request, LetterCampaign, org, CAMPAIGN, uuid=campaign)
    batch = act(actions.do_compile_post, campaign=obj, acting_user=request.user)
    return Status(201, {"uuid": str(batch.uuid), "size": batch.size, "made_at": batch.made_at.isoformat()})


@router.post("/{org}/outreaches/{outreach}/replies", response=responses(OutreachOut, 201),
             auth=_g(Outreach, "outreach", CAMPAIGN, field="pk"), url_name="letters_replies",
             summary="Log a reply from a target")
def log_reply(request: HttpRequest, org: str, outreach: int, payload: ReplyIn) -> Any:
    obj = _owned(request, Outreach, org, CAMPAIGN, pk=outreach)
    act(actions.do_log_reply, outreach=obj, received_on=payload.received_on, stance=payload.stance,
         summary=payload.summary, acting_user=request.user)
    return Status(201, _outreach_out(obj))


@router.get("/{org}/campaigns/{campaign}/outreaches", response=responses(OsdiOut),
            auth=_g(LetterCampaign, "campaign", VIEW), url_name="letters_outreaches",
            summary="Supporters' letters in a campaign (OSDI outreaches collection)")
def list_outreaches(request: HttpRequest, org: str, campaign: UUID, page: int = 1, per_page: int = PER_PAGE) -> Any:
    obj = _owned(request, LetterCampaign, org, VIEW, uuid=campaign)
    page, per_page = paging(page, per_page)
    rows = OfficialLetter.objects.filter(campaign=obj).order_by("-written_at", "-id")
    total = rows.count()
    path = f"/api/v1/letters/{org}/campaigns/{obj.uuid}"
    targets = [project(o.target, audience_for(request.user, o.target), ("name", "title", "institution", "country"))
               for o in Outreach.objects.filter(campaign=obj, superseded_at__isnull=True).select_related("target")]
    items = []
    for letter in rows[(page - 1) * per_page:page * per_page]:
        letter.campaign = obj  # one campaign for the page, not one query per letter for its organisation
        items.append(_osdi_outreach(letter, audience_for(request.user, letter), path, targets, obj.channel))
    return page_of(items, total, page, per_page, "osdi:outreaches", f"{path}/outreaches")


@router.post("/{org}/campaigns/{campaign}/outreaches", response=responses(OsdiOut, 202),
             auth=_g(LetterCampaign, "campaign", CAMPAIGN), url_name="letters_outreaches",
             summary="Record a supporter's letter (OSDI record_outreach_helper)",
             description="The supporter is e-mailed the same confirmation link as on the campaign page; the letter "
                         "goes to the targets once confirmed. The answer is the same whether or not the address "
                         "had written.")
def record_outreach(request: HttpRequest, org: str, campaign: UUID, payload: OutreachHelperIn) -> Any:
    obj = _owned(request, LetterCampaign, org, CAMPAIGN, uuid=campaign)
    email = payload.person.email()
    # The caller is a partner's server, not the writer: its address says nothing about the writer.
    reason = abuse.check_rates(address="", email=email, purpose=abuse.LETTERS)
    act(actions.do_write_to_officials, campaign=obj, email=email, sender_name=payload.person.given_name,
        body=payload.message, language=payload.person.preferred_language, sender_place=payload.place,
        newsletter=payload.newsletter, quarantine=reason)
    return Status(202, {"status": "pending confirmation",
                        "_links": {"osdi:advocacy_campaign": {
                            "href": absolute(f"/api/v1/letters/{org}/campaigns/{obj.uuid}")}, "curies": CURIES}})


@router.post("/{org}/hand-overs", response=responses(HandOverOut, 201), auth=_g_org(CAMPAIGN),
             url_name="letters_hand_over", summary="An office changed hands: retarget every live campaign at once")
def hand_over(request: HttpRequest, org: str, payload: HandOverIn) -> Any:
    organisation = organisation_or_404(request, org, CAMPAIGN)
    old, new = (Target.objects.filter(organisation=organisation, uuid=key).first() for key in (payload.old, payload.new))
    if old is None or new is None:
        raise ValidationError([{"loc": ("body", "payload", "old" if old is None else "new"),
                                "msg": "Name targets of your organisation."}])
    done = act(actions.do_hand_over_office, old=old, new=new, acting_user=request.user)
    return Status(201, {"campaigns": done.campaigns, "outreaches": [o.pk for o in done.outreaches]})
