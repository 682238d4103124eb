"""Cases, referrals, the people in them, intake records, journal and documents.

Tables and small invariants only. Every write goes through `cases/services.py`, every read
through `cases/selectors.py`, and "may this user see this" through `cases/access.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from partners.choices import OrganisationKind

from ..choices import (
    Background,
    CaseStatus,
    Confidentiality,
    ConsentDecision,
    DataCategory,
    HousingType,
    JournalKind,
    KrisResult,
    NuisanceForm,
    PersonRole,
    RecidivismDecision,
    RedirectTarget,
    RiskLevel,
)


class LawfulBasis(models.Model):
    """One lawful basis in the catalogue the privacy officer maintains (DOMAIN.md §7): the AVG
    article, the national law it rests on, which kinds of organisation may use it and for which
    kinds of data. A covenant is no legal basis (AVG art. 6(3)); every entry names a law."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("name"), max_length=200)
    avg_article = models.CharField(
        _("AVG article"),
        max_length=60,
        blank=True,
        help_text=_("E.g. 6(1)(e), 9(2)(g) or 10. Empty for police data under the Wpg."),
    )
    national_law = models.CharField(
        _("national law"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Gemeentewet art. 172, Wmo 2015, UAVG art. 30, Wpg art. 19/20."),
    )
    organisation_kinds = ArrayField(
        models.CharField(max_length=30, choices=OrganisationKind.choices),
        verbose_name=_("organisation kinds that may use it"),
    )
    data_categories = ArrayField(
        models.CharField(max_length=20, choices=DataCategory.choices),
        verbose_name=_("kinds of data it covers"),
    )
    requires_consent_date = models.BooleanField(
        _("needs the date of consent"),
        default=False,
        help_text=_("For consent: the author records the date the person gave it."),
    )
    requires_motivation = models.BooleanField(
        _("needs a documented motivation"),
        default=False,
        help_text=_("E.g. a conflict of duties: the author documents why secrecy is broken."),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lawful basis")
        verbose_name_plural = _("lawful bases")
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} ({self.reference})"

    @property
    def reference(self) -> str:
        """The legal reference as shown next to the name: AVG article and national law."""
        parts = []
        if self.avg_article:
            parts.append(f"AVG art. {self.avg_article}")
        if self.national_law:
            parts.append(self.national_law)
        return "; ".join(parts)

    @property
    def organisation_kind_labels(self) -> list[str]:
        return [str(OrganisationKind(kind).label) for kind in self.organisation_kinds]

    @property
    def data_category_labels(self) -> list[str]:
        return [str(DataCategory(category).label) for category in self.data_categories]

    def fits(self, *, organisation_kind: str, data_category: str) -> bool:
        return organisation_kind in self.organisation_kinds and (
            data_category in self.data_categories
        )


class SharedItem(models.Model):
    """What a partner shares records its lawful basis from the catalogue, the kind of data
    it holds and, where the basis asks for it, the date of consent or a documented
    motivation. The sharing organisation is each model's own field (`sharing_organisation`).

    Rows from before the catalogue carry no basis, only `previous_basis` (the old value) and
    `basis_to_review`: the privacy officer picks the real basis."""

    lawful_basis = models.ForeignKey(
        LawfulBasis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lawful basis"),
    )
    data_category = models.CharField(
        _("kind of data"),
        max_length=20,
        choices=DataCategory.choices,
        default=DataCategory.ORDINARY,
    )
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    basis_motivation = models.TextField(_("motivation of the basis"), blank=True)
    basis_to_review = models.BooleanField(
        _("basis to be reviewed by the privacy officer"), default=False
    )
    previous_basis = models.CharField(_("previous basis"), max_length=30, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lawful_basis__isnull=False) | models.Q(basis_to_review=True),
                name="%(app_label)s_%(class)s_basis_or_review",
            ),
        ]


class Case(models.Model):
    """One situation of extreme housing nuisance, from referral to closing."""

    number = models.CharField(_("case number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=CaseStatus.choices,
        default=CaseStatus.DRAFT,
        db_index=True,
    )
    # The address of the home the nuisance comes from.
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    house_number = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.ForeignKey(
        "partners.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    network = models.ForeignKey(
        "partners.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("network"),
    )
    housing_type = models.CharField(
        _("housing type"), max_length=20, choices=HousingType.choices, blank=True
    )
    corporation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_case_homes",
        verbose_name=_("owning corporation"),
    )
    # Keyed hash (HMAC) of postcode + house number + addition: survives anonymisation.
    address_key = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("address key")
    )
    casemanager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_cases",
        verbose_name=_("casemanager"),
    )
    is_repeat_referral = models.BooleanField(_("repeat referral"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attached_cases",
        verbose_name=_("merged into"),
    )
    redirect_target = models.CharField(
        _("redirected to"), max_length=30, choices=RedirectTarget.choices, blank=True
    )
    # A special situation (e.g. acute escalation): departs from the criteria, nothing else.
    criteria_override = models.BooleanField(_("special situation"), default=False)
    criteria_override_motivation = models.TextField(
        _("motivation of the special situation"), blank=True
    )
    # The case team may decide not to wait for the police screening, with a reason.
    screening_waiver_reason = models.TextField(
        _("reason to waive the police screening"), blank=True
    )
    screening_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening waived by"),
    )
    screening_waived_on = models.DateField(_("screening waived on"), null=True, blank=True)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    intake_started_on = models.DateField(_("taken into handling on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Set by retention (privacy/retention.py) once the personal data of the case is removed.
    anonymised_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # Optimistic locking: every form carries the version it was loaded with.
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        permissions = [
            ("view_case_content", _("Can see case content")),
            ("coordinate_cases", _("Can coordinate all cases")),
            ("refer_case", _("Can refer a case")),
        ]
        indexes = [
            # The case search (selectors.case_search; docs/scale.md): one index per match.
            GinIndex(fields=["street"], name="case_street_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["number"], name="case_number_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(Upper("postcode"), name="case_postcode_upper"),
            # The case list's order (newest referral first), so a page of it is read from the
            # index instead of sorting every visible case; also the annual report's periods:
            # cases referred, and cases closed, in a period (figures/selectors.py).
            # Status and casemanager included: the visibility filter and the count of a
            # list are answered from the index alone (index-only scans).
            models.Index(
                fields=["-referred_on", "-id"],
                include=["status", "casemanager"],
                name="case_referred_on_id_idx",
            ),
            models.Index(fields=["closed_on"], name="case_closed_on_idx"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft referral"))

    @property
    def address_line(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}".strip()
        return " ".join(part for part in [self.street, number] if part)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian grants on cases to organisation groups (direct foreign key, joined cheaply)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class Referral(models.Model):
    """What an institution reported. A case has one or more (a duplicate can be attached)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("referring organisation"),
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("referrer"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The referrer's own file number ("eigen kenmerk"): free text, so it may hold personal
    # data by accident; anonymisation clears it with the other free text.
    referrer_reference = models.CharField(
        _("your reference"),
        max_length=50,
        blank=True,
        help_text=_(
            "Your organisation's own file number, so you can find this referral back. No names."
        ),
    )
    nuisance_forms = ArrayField(
        models.CharField(max_length=30, choices=NuisanceForm.choices),
        verbose_name=_("forms of nuisance"),
        default=list,
    )
    nuisance_since = models.DateField(_("nuisance since"), null=True, blank=True)
    backgrounds = ArrayField(
        models.CharField(max_length=30, choices=Background.choices),
        verbose_name=_("suspected background"),
        default=list,
        blank=True,
    )
    description = models.TextField(_("description of the nuisance"), blank=True)
    actions_taken = models.TextField(_("what was already done"), blank=True)
    is_urgent = models.BooleanField(_("urgent / escalation"), default=False)
    urgency_reason = models.TextField(_("reason for urgency"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} – {self.organisation}"


def person_full_name() -> Concat:
    """A person's first and last name as the case search matches them (the trigram index
    `person_full_name_trgm` is built on this same expression, so keep the two together)."""
    return Concat("first_name", Value(" "), "last_name")


class Person(models.Model):
    """A causer, household member or neighbour on a case. Personal data: history kept."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="persons", verbose_name=_("case")
    )
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    consents_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    # Keyed hash (HMAC) of normalised name + date of birth: survives anonymisation.
    person_key = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("person key")
    )
    # Data-subject rights (privacy/services/): restriction (AVG art. 18) hides the person
    # from partners but keeps the data; erasure (art. 17) leaves a tombstone.
    is_restricted = models.BooleanField(_("processing restricted"), default=False)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["role", "last_name", "first_name"]
        indexes = [
            GinIndex(
                fields=["last_name"], name="person_last_name_trgm", opclasses=["gin_trgm_ops"]
            ),
            # The case search's name match: the very expression it searches.
            GinIndex(
                OpClass(person_full_name(), name="gin_trgm_ops"), name="person_full_name_trgm"
            ),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in [self.first_name, self.last_name] if part)

    @property
    def initials(self) -> str:
        """For meeting agendas: initials only (DOMAIN.md §7)."""
        parts = [self.first_name, self.last_name]
        return "".join(f"{p[0].upper()}." for p in parts if p)


class CaseStatusChange(models.Model):
    """Append-only: every transition with who, when and why."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("case")
    )
    from_status = models.CharField(
        max_length=30, choices=CaseStatus.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=30, choices=CaseStatus.choices, verbose_name=_("to status")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("changed at"))
    motivation = models.TextField(blank=True, verbose_name=_("motivation"))

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            # The latest changes first, read backwards until enough are found (the
            # referrer's "my referrals": cases/selectors/workspace.py).
            models.Index(fields=["-at", "-id"], name="status_change_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_status} → {self.to_status}"


class RecidivismMatch(models.Model):
    """An earlier case (closed within the window, same kind of nuisance) found at submission.

    A match on the same person counts at once. A match on the address alone is a *possible*
    repeat (another household may live there now): it counts only once the coordinator
    confirms it, with a reason."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="recidivism_matches", verbose_name=_("case")
    )
    earlier = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("earlier case")
    )
    on_person = models.BooleanField(_("same person"), default=False)
    decision = models.CharField(
        _("decision"), max_length=10, choices=RecidivismDecision.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("possible repeat referral")
        verbose_name_plural = _("possible repeat referrals")
        constraints = [
            models.UniqueConstraint(fields=["case", "earlier"], name="one_match_per_earlier_case")
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.earlier}"

    @property
    def counts(self) -> bool:
        return self.on_person or self.decision == RecidivismDecision.CONFIRMED


class Criterion(models.Model):
    """An intake criterion; the texts are data (seeded from the covenant)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    text = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class CriterionAssessment(models.Model):
    """Met / not met with motivation, per case and criterion."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="criterion_assessments", verbose_name=_("case")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    is_met = models.BooleanField(_("met"))
    motivation = models.TextField(_("motivation"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(auto_now=True, verbose_name=_("assessed at"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "criterion"], name="one_assessment_per_criterion"
            ),
        ]
        ordering = ["criterion__number"]

    def __str__(self) -> str:
        return f"{self.case} – {self.criterion.number}: {self.is_met}"


class CaseInvolvement(models.Model):
    """An organisation involved in a case. Its representatives see the case while active."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="involvements", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    end_reason = models.TextField(blank=True, verbose_name=_("reason for ending"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=models.Q(is_active=True),
                name="one_active_involvement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.organisation}"


class SensitiveShare(models.Model):
    """Privacy by default (AVG art. 25(2)): the referral's suspected backgrounds and
    description and the neighbours' contact details are for the case team, unless the
    casemanager shares them with a named organisation (recorded here: who, when)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="sensitive_shares", verbose_name=_("case")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_at = models.DateTimeField(auto_now_add=True, verbose_name=_("shared at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shared referral details")
        verbose_name_plural = _("shared referral details")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="one_sensitive_share_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.organisation}"


class ConsentRequest(models.Model):
    """The owning corporation's consent to take up the case; answer due in 3 working days
    (the corporation_consent deadline)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="consent_requests", verbose_name=_("case")
    )
    corporation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("corporation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_on = models.DateField(verbose_name=_("requested on"))
    # Its answer's due date and state: the deadline row (deadlines.Deadline, this request as
    # its subject), read with cases.selectors.with_consent_deadline.
    decision = models.CharField(
        _("decision"), max_length=10, choices=ConsentDecision.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_on = models.DateField(null=True, blank=True, verbose_name=_("answered on"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # A repeated click never makes a second open request (nor deadline, nor inbox item).
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(decision=""),
                name="one_open_consent_request_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.corporation}"


class KrisCheck(models.Model):
    """The recorded result of the check in the city's KRIS registry."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="kris_check", verbose_name=_("case")
    )
    result = models.CharField(_("result"), max_length=10, choices=KrisResult.choices)
    trajectory_manager_name = models.CharField(_("trajectory manager"), max_length=200, blank=True)
    trajectory_manager_organisation = models.CharField(
        _("their organisation"), max_length=200, blank=True
    )
    # Known in KRIS: the trajectory manager was contacted, and whether the plans were aligned.
    trajectory_manager_contacted_on = models.DateField(
        _("trajectory manager contacted on"), null=True, blank=True
    )
    plans_aligned = models.BooleanField(_("plans aligned"), null=True, blank=True)
    target_group_outcome = models.TextField(_("outcome of the target-group check"), blank=True)
    # Unknown in KRIS: whether the client was registered ("aangemeld") with Altrecht. The
    # column keeps its old name; it never meant the redirected status.
    referred_to_altrecht = models.BooleanField(_("registered with Altrecht"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now=True, verbose_name=_("recorded at"))
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.case} – {self.result}"


class PoliceScreening(SharedItem):
    """Risk assessment by the police; its detail only for police and the case team."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="police_screenings", verbose_name=_("case")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_on = models.DateField(verbose_name=_("requested on"))
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    safety_advice = models.TextField(_("safety advice"), blank=True)
    details = models.TextField(_("screening details"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    screened_on = models.DateField(null=True, blank=True, verbose_name=_("screened on"))
    screened_by_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared by organisation"),
    )
    history = HistoricalRecords()

    class Meta:
        # A request not yet answered shares nothing, so it has no basis yet.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lawful_basis__isnull=False)
                | models.Q(basis_to_review=True)
                | models.Q(screened_on__isnull=True),
                name="cases_policescreening_basis_or_review",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(risk_level=""),
                name="one_open_screening_request_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.risk_level or '?'}"

    @property
    def sharing_organisation(self) -> object:
        return self.screened_by_organisation


class JournalEntry(SharedItem):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="journal_entries", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=JournalKind.choices)
    occurred_on = models.DateField(_("date"))
    participants = models.CharField(_("participants"), max_length=500, blank=True)
    text = models.TextField(_("text"))
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=30,
        choices=Confidentiality.choices,
        default=Confidentiality.CASE_TEAM,  # privacy by default (AVG art. 25(2))
    )
    visible_to = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("visible to organisations"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    author_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation of the author"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords(m2m_fields=[visible_to])

    class Meta(SharedItem.Meta):
        ordering = ["-occurred_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.case} – {self.occurred_on}"

    @property
    def sharing_organisation(self) -> object:
        return self.author_organisation


class Document(SharedItem):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="cases/%Y/%m/", verbose_name=_("file"))
    original_name = models.CharField(max_length=255, verbose_name=_("file name"))
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=30,
        choices=Confidentiality.choices,
        default=Confidentiality.CASE_TEAM,  # privacy by default (AVG art. 25(2))
    )
    visible_to = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("visible to organisations"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_by_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation of the uploader"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))
    history = HistoricalRecords(m2m_fields=[visible_to])

    class Meta(SharedItem.Meta):
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def sharing_organisation(self) -> object:
        return self.uploaded_by_organisation


class CaseNumberSequence(models.Model):
    """The last case number handed out per year (locked row: no gaps from races, no doubles)."""

    year = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class EmergencyAccess(models.Model):
    """'Break the glass': a user outside the case opened it with a written motivation.

    Only when EMERGENCY_ACCESS_ENABLED (off by default: the municipality as controller
    decides). Grants read access to the case for EMERGENCY_ACCESS_HOURS; every read in that
    time is logged with basis "emergency" and the motivation, and the privacy officer sees
    them on the unusual-access page. Rows are never changed: a grant simply expires.

    A grant on a case, so it lives with the case (`cases/access.py` reads it); the form and
    service that write it are privacy's (`privacy/emergency.py`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("user"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    motivation = models.TextField(_("motivation"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        db_table = "privacy_emergencyaccess"  # created by privacy/migrations/0005; moved here
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["user", "expires_at"], name="emergency_user_expires")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id} ({self.granted_at:%Y-%m-%d %H:%M})"


# The plan of approach, evaluations and aftercare (cases/models/plan.py).
from .plan import (  # noqa: E402
    Action,  # noqa: F401
    AftercarePlan,  # noqa: F401
    Evaluation,  # noqa: F401
    EvictionAdvice,  # noqa: F401
    Goal,  # noqa: F401
    GoalEvaluation,  # noqa: F401
    Investigation,  # noqa: F401
    LifeDomain,  # noqa: F401
    LifeDomainAssessment,  # noqa: F401
    LifeDomainScore,  # noqa: F401
    MaterialSupport,  # noqa: F401
    Plan,  # noqa: F401
    PlanAgreement,  # noqa: F401
    PoliceSituationReport,  # noqa: F401
    Relocation,  # noqa: F401
)
