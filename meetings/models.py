"""Meetings (DOMAIN.md §9): case meetings per network and the covenant's other meetings.

Tables and small invariants only; every write goes through `meetings/services.py`, every
read through `meetings/selectors.py`.

Erasure (issue 13): an agenda item keeps a link to its case, never a copy of the case's
initials or street. Those are computed from the case when the agenda or minutes are shown
or printed, so an erased person's initials disappear from every version at once; the cached
PDFs carry a hash of that content and are made again (or purged) when it changes.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    BottleneckStatus,
    DocumentKind,
    ItemSource,
    MeetingKind,
    MeetingStatus,
    MinutesState,
    RenderState,
)


class MeetingSeries(models.Model):
    """A year of case meetings of one network, planned at once (about ten)."""

    network = models.ForeignKey(
        "partners.Network",
        on_delete=models.PROTECT,
        related_name="meeting_series",
        verbose_name=_("network"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["-year", "network__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="one_series_per_network_year"),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.year}"


class Meeting(models.Model):
    """One meeting: a network's case meeting, or an advisory, steering or director meeting
    (those have no network and never case data)."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    network = models.ForeignKey(
        "partners.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("network"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    agenda_published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True)
    minutes_state = models.CharField(
        _("minutes"), max_length=10, choices=MinutesState.choices, default=MinutesState.DRAFT
    )
    minutes_finalised_at = models.DateTimeField(_("minutes final at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=MeetingKind.CASE, network__isnull=False)
                | (~Q(kind=MeetingKind.CASE) & Q(network__isnull=True)),
                name="meeting_network_iff_case_meeting",
            ),
        ]
        indexes = [models.Index(fields=["network", "date"], name="meeting_network_date_idx")]

    def __str__(self) -> str:
        where = self.network.name if self.network is not None else self.get_kind_display()
        return f"{where} {self.date:%Y-%m-%d}"

    @property
    def is_case_meeting(self) -> bool:
        return self.kind == MeetingKind.CASE

    @property
    def discusses_figures(self) -> bool:
        """The advisory and steering groups discuss the figures (covenant): their meeting
        page links to the year's figures up to the meeting's date."""
        return self.kind in (MeetingKind.ADVISORY, MeetingKind.STEERING)

    @property
    def starts_at(self) -> datetime.datetime:
        """The meeting's start as an aware moment (the installation's time zone)."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def minutes_are_final(self) -> bool:
        return self.minutes_state == MinutesState.FINAL


class Invitation(models.Model):
    """Who is invited, for which organisation: a standing representative, a covenant-meeting
    member, or an on-call organisation asked for one agenda item. Apologies name a
    substitute who holds a role that lets them prepare the cases."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
        verbose_name=_("person"),
    )
    # Set for an on-call organisation: invited for this item only.
    agenda_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="on_call_invitations",
        verbose_name=_("agenda item"),
    )
    apologies_at = models.DateTimeField(_("apologies sent at"), null=True, blank=True)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_substitutions",
        verbose_name=_("substitute"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "agenda_item"],
                nulls_distinct=False,
                name="one_invitation_per_meeting_user_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def attendee(self) -> object:
        """Who comes: the substitute after apologies, else the invitee."""
        return self.substitute if self.apologies_at else self.user


class AgendaItem(models.Model):
    """One item. A case item links to its case; its initials, street and phase are computed
    when shown (see the module docstring). `question` is what the meeting is asked."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    source = models.CharField(_("source"), max_length=30, choices=ItemSource.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("case"),
    )
    bottleneck = models.ForeignKey(
        "Bottleneck",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("bottleneck"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    question = models.TextField(_("question to the meeting"), blank=True)
    # The case's phase (a status code, no personal data) when proposed and when published:
    # the minutes show the phase the case had at the meeting.
    phase = models.CharField(_("phase"), max_length=30, blank=True)
    # A proposal the coordinator took off the agenda: kept, so it is not proposed again.
    dropped_at = models.DateTimeField(_("dropped at"), null=True, blank=True)
    # Minutes of this item.
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=Q(case__isnull=False),
                name="one_agenda_item_per_meeting_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_source_display()}"


class Decision(models.Model):
    """A decision on an agenda item. Its intended actions become plan actions
    (`services.decision_create_actions`) once the plan of approach lands."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("item")
    )
    text = models.TextField(_("decision"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class IntendedAction(models.Model):
    """What a decision asks of an organisation (and person), by when. Stored so nothing is
    lost until the plan's Action exists; `action_id` then links to the action made of it."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="actions", verbose_name=_("decision")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    due_on = models.DateField(_("due on"))
    description = models.TextField(_("action"))
    # The plan's Action made of this one (integration point; a plain id until it exists).
    action_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("action id"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intended action")
        verbose_name_plural = _("intended actions")
        ordering = ["decision", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Attendance(models.Model):
    """Who attended for an organisation (minutes)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    present = models.BooleanField(_("present"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="one_attendance_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.present}"


class MinutesAddendum(models.Model):
    """A dated correction to final minutes (the minutes themselves are read-only then)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="addenda", verbose_name=_("meeting")
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("addendum to the minutes")
        verbose_name_plural = _("addenda to the minutes")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting}: {timezone.localdate(self.created_at):%Y-%m-%d}"


class Bottleneck(models.Model):
    """A bottleneck (knelpunt) a partner signals to the coordinator; open ones are proposed
    for the advisory and steering group agendas. No case data."""

    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    signalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signalled by"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=10, choices=BottleneckStatus.choices, default=BottleneckStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bottleneck")
        verbose_name_plural = _("bottlenecks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class MeetingDocument(models.Model):
    """A cached PDF of an agenda or minutes for one recipient organisation (None: the full
    version for the coordinator). Made by a task; `content_hash` says which content it shows,
    so it is made again when that changes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    content_hash = models.CharField(max_length=64, blank=True, verbose_name=_("content hash"))
    state = models.CharField(
        _("state"), max_length=10, choices=RenderState.choices, default=RenderState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(upload_to="meetings/%Y/", blank=True, verbose_name=_("file"))
    error = models.CharField(max_length=200, blank=True, verbose_name=_("error"))
    requested_at = models.DateTimeField(auto_now=True, verbose_name=_("requested at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "organisation"],
                nulls_distinct=False,
                name="one_document_per_meeting_kind_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.kind}"
