"""Choices of the plan of approach, evaluations and aftercare (DOMAIN.md §5–6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NuisanceOrigin(models.TextChoices):
    """Decides whether eviction is an acceptable outcome (covenant §2)."""

    CARE_NEED = "care_need", _("A care need")
    DELIBERATE = "deliberate", _("Deliberate (willens en wetens)")
    UNCLEAR = "unclear", _("Not yet clear")


class LeadTrajectory(models.TextChoices):
    THIS_APPROACH = "this_approach", _("This approach (the casemanager)")
    CARE_TRAJECTORY = "care_trajectory", _("The care trajectory (trajectory manager)")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("The neighbourhood team")
    OTHER = "other", _("Another trajectory")


class AssessmentMoment(models.TextChoices):
    PLAN = "plan", _("Plan of approach")
    EVALUATION = "evaluation", _("Evaluation")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class CovenantElement(models.TextChoices):
    PRESSURE_AND_COERCION = "pressure_and_coercion", _("Pressure and coercion")
    FAST_CARE = "fast_care", _("Fast care")
    NEIGHBOUR_COACHING = "neighbour_coaching", _("Coaching the neighbours")
    BEHAVIOUR_AGREEMENTS = "behaviour_agreements", _("Behaviour agreements")
    AFTERCARE = "aftercare", _("Aftercare")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class EvaluationKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic evaluation")
    SIX_MONTH = "six_month", _("Six-month evaluation")
    FINAL = "final", _("Final evaluation")


class GoalResult(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class NuisanceOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Fully resolved")
    MANAGEABLE = "manageable", _("Manageable")
    NOT_RESOLVED = "not_resolved", _("Not resolved")


class ComplaintSource(models.TextChoices):
    """Where 'fully resolved' is checked: no substantial complaints left at each."""

    POLICE = "police", _("Police")
    LANDLORD = "landlord", _("Landlord")
    CASEMANAGER = "casemanager", _("Casemanager")
    PARTNERS = "partners", _("Partners")


class HousingOutcome(models.TextChoices):
    STAYED = "stayed", _("Stayed in the home")
    MOVED = "moved", _("Moved")
    SUPPORTED_HOUSING = "supported_housing", _("Supported housing")
    LAST_CHANCE_POLICY = "last_chance_policy", _("Last-chance policy")
    EVICTED = "evicted", _("Evicted")
    HOMELESS = "homeless", _("Homeless")


class FollowUp(models.TextChoices):
    NONE = "none", _("None")
    AFTERCARE = "aftercare", _("Aftercare")
    PASSED_ON = "passed_on", _("Passed on")


class PassedOnDestination(models.TextChoices):
    LAST_CHANCE_POLICY = "last_chance_policy", _("Last-chance policy")
    EVICTION_PROCEDURE = "eviction_procedure", _("Eviction procedure")
    SUPPORTED_HOUSING = "supported_housing", _("Supported housing")
    RELOCATION = "relocation", _("Relocation")
    MAYOR_MEASURE = "mayor_measure", _("Mayor's administrative measure")


class EarlyEndReason(models.TextChoices):
    MOVED = "moved", _("The household moved")
    ADMITTED = "admitted", _("Admitted (care or detention)")
    DIED = "died", _("Died")


class SupportDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting the corporation's decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class RelocatedPerson(models.TextChoices):
    CAUSER = "causer", _("The causer")
    NEIGHBOUR = "neighbour", _("A vulnerable neighbour")
