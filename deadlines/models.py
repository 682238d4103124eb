"""One row per deadline occurrence. Tables and small invariants only: rows are opened, met
and cancelled through `deadlines/services.py`, and due dates come from the registry."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry
from .domain.state import DeadlineState, deadline_state

OPEN = Q(met_at__isnull=True, cancelled_at__isnull=True)


def state_filter(state: DeadlineState | str, today: datetime.date) -> Q:
    """The deadlines in `state` on `today`: the SQL mirror of `domain.state.deadline_state`
    (tests/deadlines/test_state.py holds the two together). The conditions are disjoint,
    and use the columns the partial indexes cover (due_on, soon_on of open rows)."""
    met = Q(met_at__isnull=False, cancelled_at__isnull=True)
    conditions = {
        DeadlineState.LAPSED: Q(cancelled_at__isnull=False),
        DeadlineState.MET_ON_TIME: met & Q(met_at__lte=F("due_at")),
        DeadlineState.MET_LATE: met & Q(met_at__gt=F("due_at")),
        DeadlineState.OVERDUE: OPEN & Q(due_on__lt=today),
        DeadlineState.DUE_SOON: OPEN & Q(soon_on__lte=today, due_on__gte=today),
        DeadlineState.OPEN: OPEN & Q(soon_on__gt=today),
    }
    return conditions[DeadlineState(state)]


def state_expression(today: datetime.date) -> Case:
    """A deadline's state on `today` as an SQL expression (for annotations and subqueries)."""
    return Case(
        *(When(state_filter(state, today), then=Value(state.value)) for state in DeadlineState),
        default=Value(DeadlineState.OPEN.value),
        output_field=CharField(),
    )


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def open(self) -> DeadlineQuerySet:
        return self.filter(OPEN)

    def met(self) -> DeadlineQuerySet:
        return self.filter(met_at__isnull=False)

    def met_late(self) -> DeadlineQuerySet:
        return self.filter(met_at__gt=F("due_at"))

    def met_on_time(self) -> DeadlineQuerySet:
        return self.filter(met_at__lte=F("due_at"))

    def in_state(self, state: DeadlineState | str, today: datetime.date) -> DeadlineQuerySet:
        return self.filter(state_filter(state, today))


class Deadline(models.Model):
    """A deadline of one kind (see `registry.py`) for one case and/or one object."""

    kind = models.CharField(_("kind"), max_length=40)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("case"),
    )
    # The object it belongs to when that is not the case itself (a consent request, a
    # covenant; later an action, a plan or a meeting).
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject type"),
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("subject ID"))
    subject = GenericForeignKey("subject_type", "subject_id")
    # The organisation that has to act (the corporation asked for consent); its
    # representatives are told.
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    # The last instant of the due day in Europe/Amsterdam, stored in UTC: overdue after it.
    due_at = models.DateTimeField(_("due at"))
    # From this day on the deadline is "due soon" (working days before due_on).
    soon_on = models.DateField(_("due soon from"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    # No longer applies (the case was redirected before the corporation answered, the case
    # closed before its six-month evaluation, the covenant renewed).
    cancelled_at = models.DateTimeField(_("lapsed at"), null=True, blank=True)
    # The highest stage the scan has notified: 0 none, 1 due soon, 2 overdue. Lets the scan
    # skip what it has done; exactly-once comes from the notifications' unique key.
    stage_notified = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("warning stage sent")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]
        constraints = [
            # One open occurrence per kind and subject: opening twice returns the same row.
            models.UniqueConstraint(
                fields=["kind", "case", "subject_type", "subject_id"],
                condition=OPEN,
                nulls_distinct=False,
                name="deadline_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(soon_on__lte=F("due_on")), name="deadline_soon_not_after_due"
            ),
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="deadline_subject_complete",
            ),
        ]
        indexes = [
            # Lists and the dashboard: open deadlines by due date.
            models.Index(fields=["due_on"], condition=OPEN, name="deadline_open_due_idx"),
            # The dashboard: open deadlines past their warning date (overdue and due soon).
            models.Index(fields=["soon_on"], condition=OPEN, name="deadline_open_soon_idx"),
            # The scan: open deadlines not yet notified to the last stage, by soon date.
            models.Index(
                fields=["soon_on"],
                condition=OPEN & Q(stage_notified__lt=2),
                name="deadline_scan_idx",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject_idx"),
            # The annual report: deadlines of a kind due in a period (figures.selectors).
            models.Index(fields=["kind", "due_on"], name="deadline_kind_due_idx"),
            # Met deadlines, newest first (dashboard: met late / on time).
            models.Index(
                fields=["-met_at"], condition=Q(met_at__isnull=False), name="deadline_met_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"

    @property
    def kind_label(self) -> object:
        return registry.label(self.kind)

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None

    def state(self, today: datetime.date | None = None) -> DeadlineState:
        """Where it stands on `today` (default: today, local time): `domain.deadline_state`."""
        return deadline_state(
            due_on=self.due_on,
            soon_on=self.soon_on,
            today=today or timezone.localdate(),
            met_on=timezone.localdate(self.met_at) if self.met_at is not None else None,
            lapsed=self.cancelled_at is not None,
        )
