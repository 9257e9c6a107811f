"""Authorization rows of the registry workspace (/work/registry/), stated by hand per persona.

From the sentences in unforgotten/testing.py: everyone in Org A reads its
registry; caseworkers, reviewers and the admin (Amal, Bilal, Dana) edit it;
reviewers and the admin (Bilal, Dana) record recognition decisions; Vera only
reads. Chris works in Org B: he has a registry of his own (the list and the
create form) but gets "not found" for everything of Org A. Pat administers the
platform and sees no case data. Revealing a sealed value needs a place on the
person's case team (Amal, in the sample) and fresh credentials: a POST without
them is sent to re-authenticate (302).

An empty POST to a form is bad input: 400 for those who may use the form.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import Row, page, safe

# Literal persona sets (see the module docstring).
MEMBERS = frozenset({"amal", "bilal", "dana", "vera", "chris", "cleo"})
VIEW_A = frozenset({"amal", "bilal", "dana", "vera", "cleo"})
EDIT_A = frozenset({"amal", "bilal", "dana"})
REVIEW_A = frozenset({"bilal", "dana"})
EDITORS = frozenset({"amal", "bilal", "dana", "chris"})
TEAM_A = frozenset({"amal"})

NOWHERE = "00000000-0000-4000-8000-000000000000"
PERSON = {"person": "{person_a}"}
GHOST = {"person": NOWHERE}


def _form(allowed: frozenset[str], *, kwargs: dict[str, str] | None = None,
          probe: dict[str, str] | None = None) -> Row:
    return Row({"GET": page(allowed), "POST": page(allowed, 400)}, kwargs=kwargs or {}, probe=probe)


def _person_form(allowed: frozenset[str] = EDIT_A) -> Row:
    return _form(allowed, kwargs=PERSON, probe=GHOST)


ROWS: dict[str, Row] = {
    "registry:person_list": Row(safe(page(MEMBERS))),
    "registry:person_create": _form(EDITORS),
    "registry:person_detail": Row(safe(page(VIEW_A)), kwargs=PERSON, probe=GHOST),
    "registry:person_edit": _person_form(),
    "registry:person_names": _person_form(),
    "registry:case_create": _person_form(),
    "registry:case_edit": _form(EDIT_A, kwargs={**PERSON, "case": "{case_a}"},
                                probe={**PERSON, "case": "999999"}),
    "registry:charge_create": _person_form(),
    "registry:hearing_create": _person_form(),
    "registry:sentence_create": _person_form(),
    "registry:charge_edit": _form(EDIT_A, kwargs={**PERSON, "charge": "{charge_a}"},
                                  probe={**PERSON, "charge": "999999"}),
    "registry:hearing_edit": _form(EDIT_A, kwargs={**PERSON, "hearing": "{hearing_a}"},
                                   probe={**PERSON, "hearing": "999999"}),
    "registry:sentence_edit": _form(EDIT_A, kwargs={**PERSON, "sentence": "{sentence_a}"},
                                    probe={**PERSON, "sentence": "999999"}),
    # Everyone who reads the record sees its case team; reviewers and the admin
    # change it, after re-entering a credential (302 without one).
    "registry:person_photo": _person_form(),
    "registry:person_photo_image": Row(safe(page(VIEW_A)), kwargs=PERSON, probe=GHOST),
    "registry:case_team": Row({"GET": page(VIEW_A), "POST": page(REVIEW_A, 302)}, kwargs=PERSON, probe=GHOST),
    "registry:detention_create": _person_form(),
    "registry:detention_edit": _form(EDIT_A, kwargs={**PERSON, "detention": "{detention_a}"},
                                     probe={**PERSON, "detention": "999999"}),
    "registry:status_create": _person_form(),
    "registry:relationship_create": _person_form(),
    "registry:relationship_reveal": Row(
        {"GET": page(TEAM_A), "POST": page(TEAM_A, 302)},
        kwargs={**PERSON, "relationship": "{relationship_a}"}, probe={**PERSON, "relationship": NOWHERE}),
    "registry:consent_create": _person_form(),
    "registry:consent_withdraw": _form(EDIT_A, kwargs={**PERSON, "consent": "{consent_a}"},
                                       probe={**PERSON, "consent": "999999"}),
    "registry:source_create": _person_form(),
    "registry:source_reveal": Row(
        {"GET": page(TEAM_A), "POST": page(TEAM_A, 302)},
        kwargs={**PERSON, "source": "{source_a}"}, probe={**PERSON, "source": NOWHERE}),
    "registry:decision_create": _person_form(REVIEW_A),
    # --- deduplication (issue 4, helper "names") ---
    # The review queue: everyone who edits a registry has one (Chris his own); Vera only reads, Pat sees no case data.
    "registry:duplicate_list": Row(safe(page(EDITORS))),
    # A pair and a merge of Org A (see placeholders): its editors review them. An empty POST
    # to the pair is bad input (400); undoing a merge needs fresh credentials (302 without).
    "registry:duplicate_review": Row({"GET": page(EDIT_A), "POST": page(EDIT_A, 400)},
                                     kwargs={"candidate": "{candidate_a}"}, probe={"candidate": "987654321"}),
    "registry:merge_undo": Row({"GET": page(EDIT_A), "POST": page(EDIT_A, 302)},
                               kwargs={"merge": "{merge_a}"}, probe={"merge": "987654321"}),
    # --- end deduplication ---
}


def placeholders(cast: Any) -> dict[str, str]:
    from tests import authz_matrix

    sample: Any = authz_matrix.registry_sample(cast)
    person = sample.person_a
    # Amal is on the case team, so the reveal rows have someone who may use them.
    person.case_team.add(cast.amal)
    if not person.photo:
        # A photo, so the image route has something to serve to those who may see it.
        import io

        from PIL import Image

        from unforgotten.registry.photos import store_photo

        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "white").save(buffer, format="JPEG")
        person.photo.name = store_photo(buffer.getvalue())
        person.save(update_fields=["photo"])
    candidate, merge = _dedup_sample(cast)
    return {
        "candidate_a": str(candidate.pk),
        "merge_a": str(merge.pk),
        "person_a": str(person.uuid),
        "case_a": str(sample.case_a.pk),
        "charge_a": str(sample.case_a.charges.order_by("pk").values_list("pk", flat=True)[0]),
        "hearing_a": str(sample.case_a.hearings.order_by("pk").values_list("pk", flat=True)[0]),
        "sentence_a": str(sample.case_a.sentences.order_by("pk").values_list("pk", flat=True)[0]),
        "detention_a": str(sample.detention_a.pk),
        "relationship_a": str(sample.relationship_a.uuid),
        "source_a": str(sample.source_a.uuid),
        "consent_a": str(person.consents.order_by("pk").values_list("pk", flat=True)[0]),
    }


def _dedup_sample(cast: Any) -> tuple[Any, Any]:
    """An open duplicate pair and a merge in Org A, made of people of their own (the sample stays whole)."""
    from unforgotten.registry import actions
    from unforgotten.registry.actions import NameInput
    from unforgotten.registry.models import DuplicateCandidate, PersonMerge

    candidate = DuplicateCandidate.objects.filter(organisation=cast.org_a).first()
    merge = PersonMerge.objects.filter(organisation=cast.org_a).first()
    if candidate is not None and merge is not None:
        return candidate, merge
    one, two, three = (actions.do_create_person(organisation=cast.org_a, names=[NameInput(name)],
                                                data={"country": "IR"}, acting_user=cast.dana)
                       for name in ("Narges Mohammadi", "Narges Mohamadi", "Nargis Mohammadi"))
    actions.do_record_duplicates(organisation=cast.org_a, pairs=[(one.pk, two.pk, 0.97)], acting_user=cast.dana)
    merged = actions.do_merge_people(keep=one, merge=three, acting_user=cast.dana, reason="the same woman")
    return DuplicateCandidate.objects.get(first_id=min(one.pk, two.pk)), merged

