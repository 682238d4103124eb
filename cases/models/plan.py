"""The plan of approach, its goals and actions, evaluations, aftercare, material support and
relocation (DOMAIN.md §5–6).

Tables and small invariants only; the rules live in `cases/domain/plan.py`, the writes in
`cases/services/plan.py`. Every table that hangs off a case carries the case itself as a
foreign key (also where a parent would do): the access filters, the retention of
`privacy/anonymise.py` and the "my actions" list then need no joins through the plan.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices_plan import (
    ActionStatus,
    AssessmentMoment,
    ComplaintSource,
    CovenantElement,
    EarlyEndReason,
    EvaluationKind,
    FollowUp,
    GoalResult,
    HousingOutcome,
    LeadTrajectory,
    NuisanceOrigin,
    NuisanceOutcome,
    PassedOnDestination,
    PlanStatus,
    RelocatedPerson,
    SupportDecision,
)
from . import SharedItem  # defined in cases/models/__init__.py before it imports this module

USER = settings.AUTH_USER_MODEL

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _user(verbose_name: StrOrPromise, *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=null,
        blank=null,
        verbose_name=verbose_name,
    )


class Investigation(models.Model):
    """What the casemanager found out before writing the plan: both sides heard, where the
    nuisance comes from, and which trajectory leads (aligned with the client's care worker)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="investigation", verbose_name=_("case")
    )
    causer_heard_on = models.DateField(_("causer heard on"), null=True, blank=True)
    neighbours_heard_on = models.DateField(_("neighbours heard on"), null=True, blank=True)
    nuisance_origin = models.CharField(
        _("the nuisance comes from"),
        max_length=20,
        choices=NuisanceOrigin.choices,
        default=NuisanceOrigin.UNCLEAR,
    )
    origin_motivation = models.TextField(_("motivation"), blank=True)
    lead_trajectory = models.CharField(
        _("leading trajectory"),
        max_length=30,
        choices=LeadTrajectory.choices,
        default=LeadTrajectory.THIS_APPROACH,
    )
    care_worker_name = models.CharField(
        _("care worker or trajectory manager"), max_length=200, blank=True
    )
    care_worker_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation of the care worker"),
    )
    plans_aligned = models.BooleanField(
        _("plans aligned with the care worker"), null=True, blank=True
    )
    alignment_note = models.TextField(_("alignment"), blank=True)
    recorded_by = _user(_("recorded by"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")

    def __str__(self) -> str:
        return str(_("Investigation"))


class LifeDomain(models.Model):
    """A domain of the self-reliance matrix (ZRM). Data, so another matrix can replace it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Mental health, substance use and justice (AVG art. 9 and 10): shown only to the case
    # team and organisations named for the domain in the case.
    is_special_category = models.BooleanField(_("special-category data"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """One version of a case's plan of approach: draft → agreed → superseded by the next."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="plans", verbose_name=_("case")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    summary = models.TextField(_("summary of the situation"), blank=True)
    evaluation_interval_months = models.PositiveSmallIntegerField(
        _("evaluate every (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    created_by = _user(_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    agreed_by = _user(_("marked agreed by"), null=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    # Optimistic locking: the plan form carries the version it was loaded with.
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan of approach")
        verbose_name_plural = _("plans of approach")
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="plan_unique_version"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status=PlanStatus.DRAFT),
                name="plan_one_draft_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status=PlanStatus.AGREED),
                name="plan_one_agreed_per_case",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Plan of approach, version %(number)s") % {"number": self.number})

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanAgreement(models.Model):
    """A representative records that their organisation agrees with a plan version."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("plan")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    by = _user(_("recorded by"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement with the plan")
        verbose_name_plural = _("agreements with the plan")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation"], name="plan_agreement_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Goal(models.Model):
    """A SMART goal of one plan version. A goal carried into the next version points to the
    goal it continues (`origin`), so two versions can be compared goal by goal."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuations",
        verbose_name=_("continues goal"),
    )
    # Shared by a goal and its continuations in later versions (the diff matches on it).
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, verbose_name=_("lineage"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    specific = models.TextField(_("what will change (specific)"))
    indicator = models.TextField(_("indicator (measurable)"))
    target = models.CharField(_("target value"), max_length=200)
    agreed_partners = models.ManyToManyField(
        "partners.Organisation",
        related_name="+",
        verbose_name=_("partners who agreed (acceptable)"),
    )
    feasibility = models.TextField(_("why it is feasible (realistic)"))
    target_date = models.DateField(_("target date (time-bound)"))
    life_domains = models.ManyToManyField(
        LifeDomain, related_name="goals", blank=True, verbose_name=_("life domains")
    )
    covenant_elements = ArrayField(
        models.CharField(max_length=30, choices=CovenantElement.choices),
        default=list,
        blank=True,
        verbose_name=_("elements of the covenant"),
    )
    # Optimistic locking: the goal form carries the version it was loaded with.
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.specific[:60]


class AftercarePlan(models.Model):
    """Aftercare on several life domains until an end date, and the warm handover."""

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="aftercare_plan",
        verbose_name=_("case"),
    )
    summary = models.TextField(_("aftercare agreements"), blank=True)
    end_date = models.DateField(_("aftercare ends on"))
    handover_to = models.CharField(_("handed over to (whom)"), max_length=200, blank=True)
    handover_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over to (organisation)"),
    )
    handover_on = models.DateField(_("handed over on"), null=True, blank=True)
    handover_what = models.TextField(_("what was handed over"), blank=True)
    created_by = _user(_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aftercare plan")
        verbose_name_plural = _("aftercare plans")

    def __str__(self) -> str:
        return str(_("Aftercare plan"))


class Action(models.Model):
    """A task for an organisation (optionally one person of it) with a due date: under a goal
    of the plan or under the aftercare plan (a meeting decision is added by the meetings app).
    Its due date lives in its deadline row (deadlines kind `action`), the date here is what
    the casemanager agreed and what the deadline was opened with."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="actions", verbose_name=_("case")
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("goal"),
    )
    aftercare_plan = models.ForeignKey(
        AftercarePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("aftercare plan"),
    )
    life_domain = models.ForeignKey(
        LifeDomain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("life domain"),
    )
    # A decision of a case meeting asks for it (meetings.Decision); it then stands under
    # neither a goal nor the aftercare plan.
    decided_in_meeting = models.BooleanField(_("decided in a case meeting"), default=False)
    # The date of that case meeting (what the case's plan page shows beside the decision).
    decided_on = models.DateField(_("decided in the case meeting of"), null=True, blank=True)
    description = models.TextField(_("what is to be done"))
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="case_actions",
        verbose_name=_("assigned to organisation"),
    )
    assignee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_actions",
        verbose_name=_("assigned to person"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
        db_index=True,
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    finished_at = models.DateTimeField(_("done or cancelled at"), null=True, blank=True)
    finished_by = _user(_("done or cancelled by"), null=True)
    created_by = _user(_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="action_org_open_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    goal__isnull=False, aftercare_plan__isnull=True, decided_in_meeting=False
                )
                | models.Q(
                    goal__isnull=True, aftercare_plan__isnull=False, decided_in_meeting=False
                )
                | models.Q(goal__isnull=True, aftercare_plan__isnull=True, decided_in_meeting=True),
                name="action_under_goal_aftercare_or_meeting",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.CANCELLED) | ~models.Q(cancel_reason=""),
                name="action_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Evaluation(models.Model):
    """An evaluation of the plan: periodic, the six-month one, or the final one (which also
    holds the outcome of the case; an early end is a short final evaluation)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("case")
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("plan version evaluated"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind.choices)
    held_on = models.DateField(_("held on"))
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    adjusts_plan = models.BooleanField(_("adjust the plan (new version)"), default=False)
    # --- Final evaluation ---------------------------------------------------------------
    early_end_reason = models.CharField(
        _("ended early because"), max_length=20, choices=EarlyEndReason.choices, blank=True
    )
    neighbours_outcome = models.CharField(
        _("nuisance outcome, judged by the neighbours"),
        max_length=20,
        choices=NuisanceOutcome.choices,
        blank=True,
    )
    partners_outcome = models.CharField(
        _("nuisance outcome, judged by the partners"),
        max_length=20,
        choices=NuisanceOutcome.choices,
        blank=True,
    )
    resolved_at_sources = ArrayField(
        models.CharField(max_length=20, choices=ComplaintSource.choices),
        default=list,
        blank=True,
        verbose_name=_("no substantial complaints left at"),
    )
    causer_in_care = models.BooleanField(_("causer is in care"), null=True, blank=True)
    housing_outcome = models.CharField(
        _("housing outcome"), max_length=30, choices=HousingOutcome.choices, blank=True
    )
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, blank=True
    )
    passed_on_to = models.CharField(
        _("passed on to"), max_length=30, choices=PassedOnDestination.choices, blank=True
    )
    recorded_by = _user(_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["case", "held_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind=EvaluationKind.FINAL),
                name="evaluation_one_final_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(follow_up=FollowUp.PASSED_ON) | ~models.Q(passed_on_to=""),
                name="evaluation_passed_on_has_destination",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class GoalEvaluation(models.Model):
    """The result of one goal at one evaluation."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="goal_results",
        verbose_name=_("evaluation"),
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="results", verbose_name=_("goal")
    )
    result = models.CharField(_("result"), max_length=20, choices=GoalResult.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result of a goal")
        verbose_name_plural = _("results of goals")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "goal"], name="goal_evaluation_once_per_goal"
            )
        ]

    def __str__(self) -> str:
        return self.get_result_display()


class LifeDomainAssessment(models.Model):
    """The life-domain analysis at one moment: when the plan is written, or at an evaluation.
    The scores per domain are its `scores`."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="life_domain_assessments",
        verbose_name=_("case"),
    )
    moment = models.CharField(_("moment"), max_length=20, choices=AssessmentMoment.choices)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="life_domain_assessments",
        verbose_name=_("plan"),
    )
    evaluation = models.OneToOneField(
        Evaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="life_domain_assessment",
        verbose_name=_("evaluation"),
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = _user(_("assessed by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("life-domain analysis")
        verbose_name_plural = _("life-domain analyses")
        ordering = ["case", "assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moment=AssessmentMoment.PLAN, plan__isnull=False)
                | models.Q(moment=AssessmentMoment.EVALUATION, evaluation__isnull=False),
                name="life_domain_assessment_has_its_moment",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(moment=AssessmentMoment.PLAN),
                name="life_domain_assessment_one_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} {self.assessed_on}"


class LifeDomainScore(models.Model):
    """Score 1 (acute problems) to 5 (fully self-reliant) of one domain, with a short note."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    assessment = models.ForeignKey(
        LifeDomainAssessment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("assessment"),
    )
    domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, related_name="+", verbose_name=_("domain")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("life-domain score")
        verbose_name_plural = _("life-domain scores")
        ordering = ["assessment", "domain__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="life_domain_score_once_per_domain"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="life_domain_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain_id}: {self.score}"


class MaterialSupport(models.Model):
    """Wisselgeld: a small amount paid by a corporation where regular funding cannot help."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="material_support",
        verbose_name=_("case"),
    )
    amount = models.DecimalField(_("amount (euro)"), max_digits=8, decimal_places=2)
    purpose = models.TextField(_("purpose"))
    corporation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("paying corporation"),
    )
    why_not_regular = models.TextField(_("why regular funding is not possible"))
    requested_by = _user(_("requested by"))
    requested_on = models.DateField(_("requested on"))
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=SupportDecision.choices,
        default=SupportDecision.PENDING,
    )
    decision_note = models.TextField(_("explanation of the decision"), blank=True)
    decided_by = _user(_("decided by"), null=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material support")
        verbose_name_plural = _("material support")
        ordering = ["case", "-requested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="material_support_positive_amount"
            )
        ]

    def __str__(self) -> str:
        return f"€ {self.amount}"


class Relocation(models.Model):
    """Relocation in the landlord's interest: the casemanager advises, the corporation
    proposes a home, the housing permit is noted."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="relocations", verbose_name=_("case")
    )
    relocated = models.CharField(
        _("person relocated"), max_length=20, choices=RelocatedPerson.choices
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    corporation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("corporation"),
    )
    advice = models.TextField(_("casemanager's advice"))
    advised_by = _user(_("advised by"))
    advised_on = models.DateField(_("advised on"))
    proposal = models.TextField(_("corporation's proposal"), blank=True)
    proposed_by = _user(_("proposed by"), null=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    housing_permit_note = models.TextField(_("housing permit"), blank=True)
    housing_permit_on = models.DateField(_("housing permit noted on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relocation")
        verbose_name_plural = _("relocations")
        ordering = ["case", "-advised_on", "pk"]

    def __str__(self) -> str:
        return self.get_relocated_display()


class EvictionAdvice(models.Model):
    """The network's eviction advice to the landlord, given under the casemanager's lead
    (DOMAIN.md §6, the follow-up "eviction procedure"): which partners were consulted, and
    the neighbourhood officer when the police took part (the police situation report is
    offered only then, `domain.plan.situation_report_refusals`)."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="eviction_advices",
        verbose_name=_("case"),
    )
    corporation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("landlord (corporation)"),
    )
    advised_on = models.DateField(_("advised on"))
    advice = models.TextField(_("advice"))
    # Covenant §2: the approach avoids evicting a causer who needs care; when the
    # investigation found a care need, the advice says why the approach could not solve it.
    care_need_motivation = models.TextField(_("why eviction despite the care need"), blank=True)
    consulted = models.ManyToManyField(
        "partners.Organisation",
        related_name="+",
        verbose_name=_("partners consulted"),
    )
    neighbourhood_officer = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood officer involved in the advice"),
    )
    given_by = _user(_("given by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eviction advice")
        verbose_name_plural = _("eviction advices")
        ordering = ["case", "-advised_on", "pk"]

    def __str__(self) -> str:
        return str(_("Eviction advice of %(date)s") % {"date": self.advised_on})


class PoliceSituationReport(SharedItem):
    """The police situation report (sfeerverslag) with an eviction advice: police data,
    shared by the police's own decision under the Wpg (its basis recorded here)."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case"),
    )
    advice = models.OneToOneField(
        EvictionAdvice,
        on_delete=models.PROTECT,
        related_name="situation_report",
        verbose_name=_("eviction advice"),
    )
    report = models.TextField(_("situation report"))
    shared_by = _user(_("shared by"))
    shared_by_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared by organisation"),
    )
    shared_on = models.DateField(_("shared on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("police situation report")
        verbose_name_plural = _("police situation reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lawful_basis__isnull=False),
                name="situation_report_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Police situation report"))

    @property
    def sharing_organisation(self) -> object:
        return self.shared_by_organisation
