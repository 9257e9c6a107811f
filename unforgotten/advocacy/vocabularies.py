"""Controlled vocabularies of advocacy, legal support and UN submissions, each odd decision explained.

Stored values are short English codes (stable across languages, exports and the
API); labels are translated. A list that grew by free typing could not be
counted or filtered, so adding a value is a code change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StakeholderKind(models.TextChoices):
    GOVERNMENT = "government", _("Government or ministry")
    EMBASSY = "embassy", _("Embassy or permanent mission")
    # The Working Group on Arbitrary Detention, special rapporteurs, treaty bodies:
    # what they can do (opinions, urgent appeals) differs from governments, so they are apart.
    UN_MECHANISM = "un_mechanism", _("UN mechanism")
    REGIONAL_BODY = "regional_body", _("Regional court or commission")
    PARLIAMENTARIAN = "parliamentarian", _("Parliamentarian")
    JOURNALIST = "journalist", _("Journalist or media outlet")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class InterventionMethod(models.TextChoices):
    BILATERAL_MEETING = "bilateral_meeting", _("Bilateral meeting")
    DEMARCHE = "demarche", _("Démarche")
    UN_STATEMENT = "un_statement", _("Statement at a UN session")
    LETTER = "letter", _("Letter")
    # An e-mail sent from the platform to the stakeholder (a letter that left through the outbox).
    EMAIL = "email", _("E-mail")
    COURT_FILING = "court_filing", _("Court filing")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class InterventionOutcome(models.TextChoices):
    """What came of it, as the advocate judges it (cf. OpenEvSys impact, mt_44)."""

    PENDING = "pending", _("Awaiting a response")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RAISED = "raised", _("Raised the case with the authorities")
    PUBLIC_STATEMENT = "public_statement", _("Made a public statement")
    COMMITMENT = "commitment", _("Committed to act")
    NO_ACTION = "no_action", _("No action")
    REFUSED = "refused", _("Refused")
    OTHER = "other", _("Other")


class AdopterKind(models.TextChoices):
    PARLIAMENTARIAN = "parliamentarian", _("Parliamentarian")
    ORGANISATION = "organisation", _("Organisation")
    OTHER = "other", _("Other")


class ActivityKind(models.TextChoices):
    LETTER = "letter", _("Letter to the authorities")
    PARLIAMENTARY_QUESTION = "parliamentary_question", _("Parliamentary question")
    STATEMENT = "statement", _("Public statement")
    EMBASSY = "embassy", _("Raised with an embassy")
    VISIT = "visit", _("Prison or family visit")
    TRIAL_OBSERVATION = "trial_observation", _("Trial observation")
    MEDIA = "media", _("Media or social media")
    SOLIDARITY = "solidarity", _("Letter of solidarity to the prisoner")
    OTHER = "other", _("Other")


class LegalActionKind(models.TextChoices):
    APPEAL = "appeal", _("Appeal")
    CASSATION = "cassation", _("Cassation")
    HABEAS_CORPUS = "habeas_corpus", _("Habeas corpus")
    COMPLAINT = "complaint", _("Complaint (torture, conditions, procedure)")
    CONSTITUTIONAL = "constitutional", _("Constitutional court")
    # ECtHR, the Inter-American Commission, the African Commission: after domestic remedies.
    REGIONAL = "regional", _("Regional court or commission application")
    OTHER = "other", _("Other")


class LegalActionStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    FILED = "filed", _("Filed")
    PENDING = "pending", _("Pending decision")
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REJECTED = "rejected", _("Rejected")
    INADMISSIBLE = "inadmissible", _("Declared inadmissible")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses after which no deadline reminder is sent: the step is over.
CLOSED_LEGAL_STATUSES = frozenset({LegalActionStatus.GRANTED, LegalActionStatus.PARTLY_GRANTED,
                                   LegalActionStatus.REJECTED, LegalActionStatus.INADMISSIBLE,
                                   LegalActionStatus.WITHDRAWN})


class DossierAudience(models.TextChoices):
    """Who a dossier is for. Each maps onto one audience of the policy (decision 0014)."""

    DIPLOMAT = "diplomat", _("Diplomats")
    MEDIA = "media", _("Media")
    UN = "un", _("UN mechanisms")


class Mechanism(models.TextChoices):
    WGAD = "wgad", _("Working Group on Arbitrary Detention")
    SR_HRD = "sr_hrd", _("Special Rapporteur on human rights defenders")
    SR_EXPRESSION = "sr_expression", _("Special Rapporteur on freedom of expression")
    SR_TORTURE = "sr_torture", _("Special Rapporteur on torture")
    SR_COUNTRY = "sr_country", _("Country special rapporteur")
    WGEID = "wgeid", _("Working Group on Enforced or Involuntary Disappearances")
    TREATY_BODY = "treaty_body", _("Treaty body (e.g. Human Rights Committee)")
    OTHER = "other", _("Other")


class CommunicationKind(models.TextChoices):
    REGULAR = "regular", _("Regular communication")
    # When continued detention endangers health or life (WGAD methods of work).
    URGENT_APPEAL = "urgent_appeal", _("Urgent appeal")
    FOLLOW_UP = "follow_up", _("Follow-up")


class CommunicationOutcome(models.TextChoices):
    """Outcomes as the WGAD database codes them."""

    PENDING = "pending", _("Pending")
    ARBITRARY = "arbitrary", _("Arbitrary (categories given)")
    ARBITRARY_NO_CATEGORY = "arbitrary_no_category", _("Arbitrary, no categorisation")
    NOT_ARBITRARY = "not_arbitrary", _("Not arbitrary")
    FILED = "filed", _("Filed (no decision)")


WGAD_CATEGORIES = ("I", "II", "III", "IV", "V")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


# The second language of a bilingual dossier: the languages the platform is translated into.
DOSSIER_LANGUAGES = (("ar", "العربية"), ("fa", "فارسی"), ("ru", "Русский"), ("es", "Español"),
                     ("fr", "Français"), ("zh-hans", "简体中文"))
RTL_LANGUAGES = frozenset({"ar", "fa"})
# The script a language's names are written in, to pick a person's name for the second language.
LANGUAGE_SCRIPTS = {"ar": "Arab", "fa": "Arab", "ru": "Cyrl", "es": "Latn", "fr": "Latn", "zh-hans": "Hani"}
