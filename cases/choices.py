from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """DOMAIN.md §5. Transitions between them live in `cases/domain/workflow.py`."""

    DRAFT = "draft", _("Draft referral")
    REFERRED = "referred", _("Referred")
    INTAKE = "intake", _("In intake")
    REDIRECTED = "redirected", _("Redirected")
    ATTACHED = "attached", _("Attached to another case")
    ACCEPTED = "accepted", _("Accepted")
    INVESTIGATION = "investigation", _("Investigation")
    PLAN_AGREED = "plan_agreed", _("Plan agreed")
    EXECUTION = "execution", _("Execution")
    FINAL_EVALUATION = "final_evaluation", _("Final evaluation")
    AFTERCARE = "aftercare", _("Aftercare")
    PASSED_ON = "passed_on", _("Passed on")
    CLOSED = "closed", _("Closed")


class HousingType(models.TextChoices):
    CORPORATION = "corporation", _("Corporation rental")
    PRIVATE_RENTAL = "private_rental", _("Private rental")
    OWNER_OCCUPIED = "owner_occupied", _("Owner-occupied")


class NuisanceForm(models.TextChoices):
    NOISE = "noise", _("Noise")
    VANDALISM = "vandalism", _("Vandalism")
    POLLUTION = "pollution", _("Pollution / filth")
    VERMIN = "vermin", _("Vermin")
    HOARDING = "hoarding", _("Hoarding / fire risk")
    MISBEHAVIOUR = "misbehaviour", _("Misbehaviour")
    THREATS = "threats", _("Threats")
    INTIMIDATION = "intimidation", _("Intimidation")
    VIOLENCE = "violence", _("Violence")
    CRIMINAL_ACTIVITY = "criminal_activity", _("Criminal activity from the home")
    DRUG_DEALING = "drug_dealing", _("Drug dealing")


class Background(models.TextChoices):
    PSYCHIATRIC = "psychiatric", _("Psychiatric")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    SUBSTANCE = "substance", _("Alcohol / drugs")
    MENTAL_DISABILITY = "mental_disability", _("Mental disability")
    DEMENTIA = "dementia", _("Dementia")
    PARENTING = "parenting", _("Parenting")
    FINANCIAL = "financial", _("Financial")
    CRIMINAL = "criminal", _("Criminal")
    ANTISOCIAL = "antisocial", _("Antisocial behaviour")


class PersonRole(models.TextChoices):
    CAUSER = "causer", _("Causer")
    HOUSEHOLD_MEMBER = "household_member", _("Household member")
    NEIGHBOUR = "neighbour", _("Neighbour / complainant")


class RedirectTarget(models.TextChoices):
    """The other parts of the pyramid a referral can be redirected to."""

    MEDIATION = "mediation", _("Neighbourhood mediation")
    CORPORATION_OWN = "corporation_own", _("Own effort of the corporation")
    POLICE_OWN = "police_own", _("Own effort of the police")
    LAST_CHANCE = "last_chance", _("Last-chance policy")
    REGULAR_CARE = "regular_care", _("Regular care")


class ConsentDecision(models.TextChoices):
    CONSENT = "consent", _("Consent")
    REFUSAL = "refusal", _("Refusal")


class RecidivismDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed: the same household")
    REJECTED = "rejected", _("Rejected: another household")


class KrisResult(models.TextChoices):
    KNOWN = "known", _("Known in KRIS")
    UNKNOWN = "unknown", _("Unknown in KRIS")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    ELEVATED = "elevated", _("Elevated")
    HIGH = "high", _("High")


class Confidentiality(models.TextChoices):
    """Who may read a journal entry or document (DOMAIN.md §7)."""

    ALL_INVOLVED = "all_involved", _("All involved partners")
    CASE_TEAM = "case_team", _("Casemanager and coordinator only")
    NAMED_ORGANISATIONS = "named_organisations", _("Named organisations")


class JournalKind(models.TextChoices):
    CONTACT = "contact", _("Contact")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE_CALL = "phone_call", _("Phone call")
    PARTNER_INFORMATION = "partner_information", _("Information from a partner")
    NOTE = "note", _("Note")


class DataCategory(models.TextChoices):
    """What kind of personal data a shared item holds; it decides which lawful bases fit
    (AVG art. 6, 9 and 10; the Wpg for police data; DOMAIN.md §7)."""

    ORDINARY = "ordinary", _("Ordinary personal data")
    SPECIAL = "special", _("Special category data, e.g. health (AVG art. 9)")
    CRIMINAL = "criminal", _("Criminal data (AVG art. 10)")
    POLICE = "police", _("Police data (Wpg)")
