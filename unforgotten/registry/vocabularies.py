"""Controlled vocabularies of the registry, in one place, each odd decision explained.

Stored values are short English codes (stable across languages and exports);
labels are translated. Adding a value is a code change reviewed like any other:
a vocabulary that grows by free typing cannot be counted.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    # One bucket for non-binary and other identities: finer categories could
    # identify a person in a small national caseload.
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class NameKind(models.TextChoices):
    LEGAL = "legal", _("Legal name")
    ALIAS = "alias", _("Alias or nickname")
    TRANSLITERATION = "transliteration", _("Transliteration")
    # Names taken in religion (monastic, clerical) are how many prisoners are known.
    RELIGIOUS = "religious", _("Religious name")
    BIRTH = "birth", _("Name at birth")


class Occupation(models.TextChoices):
    JOURNALIST = "journalist", _("Journalist")
    HUMAN_RIGHTS_DEFENDER = "hr_defender", _("Human-rights defender")
    LAWYER = "lawyer", _("Lawyer")
    OPPOSITION_POLITICIAN = "opposition_politician", _("Opposition politician")
    CIVIL_SOCIETY_ACTIVIST = "civil_society_activist", _("Civil-society activist")
    RELIGIOUS_FIGURE = "religious_figure", _("Religious figure")
    ARTIST_OR_WRITER = "artist_writer", _("Artist or writer")
    BLOGGER = "blogger", _("Blogger")
    STUDENT = "student", _("Student")
    LABOUR_ACTIVIST = "labour_activist", _("Labour activist")
    # Most political prisoners in some countries are not public figures at all;
    # counting them as a category keeps them visible.
    ORDINARY_CITIZEN = "ordinary_citizen", _("Ordinary citizen")
    OTHER = "other", _("Other")


class Theme(models.TextChoices):
    """What the prosecution is really about (the right exercised), not the article charged."""

    EXPRESSION = "expression", _("Expression")
    ASSEMBLY = "assembly", _("Assembly")
    ASSOCIATION = "association", _("Association")
    RELIGION = "religion", _("Religion or belief")
    ETHNICITY_IDENTITY = "ethnicity_identity", _("Ethnicity or identity")
    OTHER = "other", _("Other")


class ProceduralStage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PRE_TRIAL = "pre_trial", _("Awaiting trial")
    TRIAL = "trial", _("On trial")
    APPEAL = "appeal", _("Appeal")
    CASSATION = "cassation", _("Cassation")
    SENTENCED = "sentenced", _("Sentenced")
    CLOSED = "closed", _("Closed")


class ChargeStatus(models.TextChoices):
    CHARGED = "charged", _("Charged")
    DROPPED = "dropped", _("Dropped")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class CourtKind(models.TextChoices):
    CIVILIAN = "civilian", _("Civilian court")
    MILITARY = "military", _("Military court")
    ADMINISTRATIVE = "administrative", _("Administrative court")
    # Revolutionary, state-security and "special" courts: counted apart because
    # trials there are a fair-trial concern in themselves (WGAD category III).
    SPECIAL = "special", _("Special or revolutionary court")
    PRISON = "prison", _("Court held inside a prison")
    OTHER = "other", _("Other")


class DefenceAccess(models.TextChoices):
    FULL = "full", _("Lawyer of choice, full access")
    LIMITED = "limited", _("Limited access")
    STATE_APPOINTED = "state_appointed", _("State-appointed lawyer only")
    DENIED = "denied", _("Denied")
    UNKNOWN = "unknown", _("Unknown")


class HearingOutcome(models.TextChoices):
    ADJOURNED = "adjourned", _("Adjourned")
    DETENTION_EXTENDED = "detention_extended", _("Detention extended")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    UPHELD = "upheld", _("Verdict upheld")
    REDUCED = "reduced", _("Sentence reduced")
    OVERTURNED = "overturned", _("Verdict overturned")
    OTHER = "other", _("Other")


class SentenceType(models.TextChoices):
    IMPRISONMENT = "imprisonment", _("Imprisonment")
    FINE = "fine", _("Fine")
    RESTRICTION = "restriction", _("Restriction of freedom")
    SUSPENDED = "suspended", _("Suspended sentence")
    FORCED_LABOUR = "forced_labour", _("Forced or corrective labour")
    DEATH = "death", _("Death sentence")
    LIFE = "life", _("Life imprisonment")
    OTHER = "other", _("Other")


class AppealStatus(models.TextChoices):
    NONE = "none", _("No appeal")
    PENDING = "pending", _("Appeal pending")
    UPHELD = "upheld", _("Upheld on appeal")
    REDUCED = "reduced", _("Reduced on appeal")
    OVERTURNED = "overturned", _("Overturned on appeal")


class DetentionKind(models.TextChoices):
    PRE_TRIAL = "pre_trial", _("Pre-trial detention")
    ADMINISTRATIVE = "administrative", _("Administrative detention")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    SERVING_SENTENCE = "serving_sentence", _("Serving a sentence")
    PSYCHIATRIC = "psychiatric", _("Forced psychiatric detention")
    CAMP = "camp", _("Camp or re-education facility")
    # Recorded as a kind of detention, not only as a status, because the period
    # itself (from when to when) is what UN mechanisms ask for.
    ENFORCED_DISAPPEARANCE = "enforced_disappearance", _("Enforced disappearance")


class Whereabouts(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNDISCLOSED = "undisclosed", _("Not disclosed")
    DENIED = "denied", _("Detention denied")


class FacilityKind(models.TextChoices):
    PRISON = "prison", _("Prison")
    PRE_TRIAL_CENTRE = "pre_trial_centre", _("Pre-trial detention centre")
    COLONY = "colony", _("Penal colony")
    CAMP = "camp", _("Camp")
    POLICE_STATION = "police_station", _("Police station")
    PSYCHIATRIC = "psychiatric", _("Psychiatric institution")
    # Secret sites matter: their existence is itself evidence.
    UNOFFICIAL = "unofficial", _("Unofficial or secret site")
    OTHER = "other", _("Other")


class OfficialRole(models.TextChoices):
    JUDGE = "judge", _("Judge")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    INVESTIGATOR = "investigator", _("Investigator")
    GUARD = "guard", _("Prison official or guard")
    OFFICIAL = "official", _("Other official")


class Status(models.TextChoices):
    """Where a person stands now. The history is StatusChange rows; this is their latest value."""

    AT_LARGE = "at_large", _("At large")
    AWAITING_TRIAL = "awaiting_trial", _("Detained, awaiting trial")
    IMPRISONED = "imprisoned", _("Imprisoned")
    HOUSE_ARREST = "house_arrest", _("Under house arrest")
    RELEASED = "released", _("Released")
    IN_EXILE = "in_exile", _("In exile")
    DISAPPEARED = "disappeared", _("Disappeared")
    DIED_IN_CUSTODY = "died_in_custody", _("Died in custody")
    EXECUTED = "executed", _("Executed")


# Statuses in which the person is deprived of liberty (counts of "detained").
DETAINED_STATUSES = frozenset({Status.AWAITING_TRIAL, Status.IMPRISONED, Status.HOUSE_ARREST, Status.DISAPPEARED})


class RelationshipKind(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER_FAMILY = "other_family", _("Other family")
    LAWYER = "lawyer", _("Lawyer")
    CO_DEFENDANT = "co_defendant", _("Co-defendant")
    OTHER = "other", _("Other")


class ConsentScope(models.TextChoices):
    """What may go public about a person. Each scope is consented (and withdrawn) on its own."""

    NAME = "name", _("Name")
    PHOTO = "photo", _("Photo")
    STORY = "story", _("Story")
    HEALTH = "health", _("Health")
    CONTACT = "contact", _("How to write to them")


class Framework(models.TextChoices):
    PACE_1900 = "pace_1900", _("PACE Resolution 1900 (2012)")
    GUIDELINES_2013 = "guidelines_2013", _("2013 Guidelines on the definition of political prisoner")
    WGAD = "wgad", _("UN Working Group on Arbitrary Detention categories")
    ORG_POLICY = "org_policy", _("The organisation's own policy")


class CriterionResult(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    UNCLEAR = "unclear", _("Unclear")


class RecognitionOutcome(models.TextChoices):
    POLITICAL_PRISONER = "political_prisoner", _("Political prisoner")
    PRISONER_OF_CONSCIENCE = "prisoner_of_conscience", _("Prisoner of conscience")
    # Memorial's category: persecuted for political motives but not in custody.
    POLITICALLY_MOTIVATED = "politically_motivated", _("Politically motivated prosecution (not in custody)")
    UNDER_REVIEW = "under_review", _("Under review")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    FORMER = "former", _("Former political prisoner")


# Criteria per framework: code → label. The codes are what decisions store.
CRITERIA: dict[str, list[tuple[str, Any]]] = {
    Framework.PACE_1900: [
        ("a", _("Detention violates a fundamental ECHR guarantee (thought, religion, expression, assembly, association)")),
        ("b", _("Detention imposed for purely political reasons without connection to any offence")),
        ("c", _("Length or conditions clearly out of proportion, for political motives")),
        ("d", _("Detained in a discriminatory manner, for political motives")),
        ("e", _("Proceedings clearly unfair, connected with political motives")),
    ],
    Framework.GUIDELINES_2013: [
        ("1a", _("Solely for beliefs or non-violent exercise of fundamental rights")),
        ("1b", _("Solely for non-violent activity to protect human rights")),
        ("1c", _("Solely for a protected characteristic or links to such groups")),
        ("2a", _("Political motive with violation of fair-trial or other rights")),
        ("2b", _("Political motive with fabricated or unfounded charges")),
        ("2c", _("Political motive with disproportionate length or conditions")),
        ("2d", _("Political motive with selective or discriminatory application of the law")),
    ],
    Framework.WGAD: [
        ("I", _("Category I: no legal basis")),
        ("II", _("Category II: exercise of rights and freedoms (UDHR 7, 13, 14, 18–21; ICCPR 12, 18, 19, 21, 22, 25–27)")),
        ("III", _("Category III: grave non-observance of fair-trial norms")),
        ("IV", _("Category IV: prolonged administrative custody of asylum seekers, immigrants or refugees")),
        ("V", _("Category V: discrimination")),
    ],
    Framework.ORG_POLICY: [
        ("own", _("Meets the organisation's published criteria")),
    ],
}

# Exclusion checks: a "met" here excludes recognition under PACE 1900 and the
# 2013 Guidelines (Memorial's practice), though it does not make the prosecution lawful.
EXCLUSIONS: list[tuple[str, Any]] = [
    ("violence", _("Used violence against persons")),
    ("hate", _("Called for violence or hatred on grounds of race, religion, ethnicity or similar")),
    ("terrorism", _("Convicted of terrorist crimes in line with national law and the ECHR (PACE 1900 para 4)")),
]


def criterion_codes(framework: str) -> set[str]:
    return {code for code, _label in CRITERIA.get(framework, [])}


class SourceReliability(models.TextChoices):
    """Admiralty-style grading of the source (first axis)."""

    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — reliability cannot be judged")


class InformationCredibility(models.TextChoices):
    """Grading of the information itself (second axis), independent of the source."""

    CONFIRMED = "1", _("1 — confirmed by other sources")
    PROBABLY_TRUE = "2", _("2 — probably true")
    POSSIBLY_TRUE = "3", _("3 — possibly true")
    DOUBTFUL = "4", _("4 — doubtful")
    IMPROBABLE = "5", _("5 — improbable")
    CANNOT_JUDGE = "6", _("6 — truth cannot be judged")


class SourceConnection(models.TextChoices):
    VICTIM = "victim", _("The person themself")
    RELATIVE = "relative", _("Relative")
    WITNESS = "witness", _("Witness")
    LAWYER = "lawyer", _("Lawyer")
    NGO = "ngo", _("NGO")
    MEDIA = "media", _("Media")
    OFFICIAL = "official", _("Official document or statement")
    OTHER = "other", _("Other")
