"""Every write on deadlines: open, meet, lapse, and the scan that notifies.

Due dates come from the registry (`DeadlineKind.dates`, built on `domain.DueRule`), never
from callers. The scan is safe to run twice, twice at once, or again after a worker died
halfway: notifications carry the key ``deadline:<pk>:<stage>`` and the notifications table
has a unique constraint on (key, recipient), so each user gets each one once. The
advisory lock and `stage_notified` only save work; correctness never depends on them.
"""

from __future__ import annotations

import datetime
import functools
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone, translation

from notifications.services import Message, notify_many
from partners.access import may_manage_partners
from partners.choices import Role
from partners.domain.covenant import renewal_date
from partners.models import Covenant, User

from . import kinds, registry
from .domain import Stage
from .models import Deadline
from .registry import Audience

if TYPE_CHECKING:
    from partners.models import Organisation, User

logger = logging.getLogger(__name__)

# pg_try_advisory_lock key of the scan ("deadline" in hex-speak): one scan at a time is an
# optimisation; two at once are still correct.
SCAN_LOCK_KEY = 0x0DEAD11E


def _subject_ref(subject: Model | None) -> tuple[ContentType | None, int | None]:
    if subject is None:
        return None, None
    return ContentType.objects.get_for_model(subject), subject.pk


def _open_filter(*, kind: str, case: Model | None, subject: Model | None) -> dict[str, Any]:
    subject_type, subject_id = _subject_ref(subject)
    return {
        "kind": kind,
        "case": case,
        "subject_type": subject_type,
        "subject_id": subject_id,
    }


@transaction.atomic
def deadline_open(
    *,
    kind: str,
    started_on: datetime.date,
    case: Model | None = None,
    subject: Model | None = None,
    organisation: Organisation | None = None,
    amount: int | None = None,
    given: datetime.date | None = None,
    variant: str = "",
) -> Deadline:
    """Open a deadline of `kind` (or return the one already open for the same subject).

    `amount` overrides the kind's default (a plan's interval, a covenant's notice months);
    `given` is the due date of kinds whose date is given (an action's); `variant` names
    one of the kind's other rules (a redirected referral's retention period)."""
    definition = registry.get(kind)
    where = _open_filter(kind=kind, case=case, subject=subject)
    existing = Deadline.objects.open().filter(**where).first()
    if existing is not None:
        return existing
    due_on, soon_on, due_at = definition.dates(
        started_on, amount=amount, given=given, variant=variant
    )
    try:
        with transaction.atomic():
            return Deadline.objects.create(
                **where,
                organisation=organisation,
                started_on=started_on,
                due_on=due_on,
                soon_on=soon_on,
                due_at=due_at,
            )
    except IntegrityError:
        # Opened by someone else at the same moment (the partial unique constraint).
        return Deadline.objects.open().get(**where)


def deadline_meet(
    *,
    kind: str,
    case: Model | None = None,
    subject: Model | None = None,
    at: datetime.datetime | None = None,
) -> Deadline | None:
    """Record that the open deadline of `kind` for this subject is met (None: none open)."""
    where = _open_filter(kind=kind, case=case, subject=subject)
    deadline = Deadline.objects.open().filter(**where).first()
    if deadline is None:
        return None
    deadline.met_at = at or timezone.now()
    Deadline.objects.filter(pk=deadline.pk, met_at__isnull=True).update(met_at=deadline.met_at)
    return deadline


def deadline_lapse(
    *,
    kind: str | None = None,
    case: Model | None = None,
    subject: Model | None = None,
    at: datetime.datetime | None = None,
) -> int:
    """The open deadline(s) no longer apply. With only `case`: every open one of the case."""
    deadlines = Deadline.objects.open()
    if kind is not None:
        deadlines = deadlines.filter(kind=kind)
    if case is not None:
        deadlines = deadlines.filter(case_id=case.pk)
    if subject is not None:
        subject_type, subject_id = _subject_ref(subject)
        deadlines = deadlines.filter(subject_type=subject_type, subject_id=subject_id)
    if kind is None and case is None and subject is None:
        raise ValueError("Say which deadlines lapse")
    return deadlines.update(cancelled_at=at or timezone.now())


# --- Covenant renewal notice -----------------------------------------------------------


@transaction.atomic
def covenant_deadlines_sync(*, today: datetime.date) -> int:
    """Keep one open renewal-notice deadline per active, tacitly renewing covenant: for the
    first renewal (1 January) whose notice date (its notice months before) is today or
    later. Lapses the one whose notice date passed, and those of covenants that ended or
    whose notice period changed. Idempotent; the scan runs it first, so a covenant deadline
    is never overdue. Returns how many were opened."""

    covenant_type = ContentType.objects.get_for_model(Covenant)
    opened = 0
    keep: list[int] = []
    for covenant in Covenant.objects.filter(is_active=True, renews_tacitly=True):
        kind = registry.get(kinds.COVENANT_RENEWAL_NOTICE)
        renewal = renewal_date(covenant.current_term_end(today))
        due_on = kind.dates(renewal, amount=covenant.notice_months)[0]
        if due_on < today:  # too late to give notice for this renewal: the next one counts
            renewal = renewal_date(covenant.current_term_end(renewal))
            due_on = kind.dates(renewal, amount=covenant.notice_months)[0]
        current = Deadline.objects.open().filter(
            kind=kinds.COVENANT_RENEWAL_NOTICE,
            subject_type=covenant_type,
            subject_id=covenant.pk,
        )
        current.exclude(started_on=renewal, due_on=due_on).update(cancelled_at=timezone.now())
        if not current.exists():
            opened += 1
        deadline = deadline_open(
            kind=kinds.COVENANT_RENEWAL_NOTICE,
            subject=covenant,
            started_on=renewal,
            amount=covenant.notice_months,
        )
        keep.append(deadline.pk)
    Deadline.objects.open().filter(kind=kinds.COVENANT_RENEWAL_NOTICE).exclude(pk__in=keep).update(
        cancelled_at=timezone.now()
    )
    return opened


# --- The scan ----------------------------------------------------------------------------


@dataclass
class ScanResult:
    due_soon: int = 0  # deadlines handled at the due-soon stage
    overdue: int = 0  # deadlines handled at the overdue stage
    notifications: int = 0  # notifications created (0 on a repeated run)
    skipped: bool = False  # another scan held the lock
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _CaseRef(NamedTuple):
    """What a notification keeps of the case: its primary key and number."""

    pk: int
    number: str


class _Due(NamedTuple):
    """A deadline as the scan reads it: only what `_messages`, `_links` and `_Recipients`
    use, as plain values (loading 100,000 deadline and case models cost seconds)."""

    pk: int
    kind: str
    case_id: int | None
    case_number: str | None
    casemanager_id: int | None
    organisation_id: int | None
    subject_id: int | None
    due_on: datetime.date

    @property
    def case(self) -> _CaseRef | None:
        if self.case_id is None:
            return None
        return _CaseRef(self.case_id, self.case_number or "")


# The columns of `_Due`, in its order.
_DUE_COLUMNS = (
    "pk",
    "kind",
    "case_id",
    "case__number",
    "case__casemanager_id",
    "organisation_id",
    "subject_id",
    "due_on",
)


class _Recipients:
    """Who is told, resolved with a few queries per scan (cached by role and organisation)
    and one per batch for the casemanagers not seen yet."""

    def __init__(self) -> None:
        self._by_role: dict[str, list[User]] = {}
        self._by_organisation: dict[tuple[int, frozenset[str]], list[User]] = {}
        self._casemanagers: dict[int, User] = {}
        self._by_roles: dict[frozenset[Role], dict[int, User]] = {}

    def _role(self, role: str) -> list[User]:

        if role not in self._by_role:
            self._by_role[role] = list(
                User.objects.filter(is_active=True, groups__name=role).distinct()
            )
        return self._by_role[role]

    def _organisation(self, organisation_id: int, roles: frozenset[str]) -> list[User]:

        key = (organisation_id, roles)
        if key not in self._by_organisation:
            self._by_organisation[key] = list(
                User.objects.filter(
                    is_active=True, organisation_id=organisation_id, groups__name__in=roles
                ).distinct()
            )
        return self._by_organisation[key]

    def load_casemanagers(self, deadlines: list[_Due]) -> None:
        """The casemanagers of a batch's cases, in one query (none when all are known)."""
        wanted = {d.casemanager_id for d in deadlines if d.casemanager_id is not None}
        wanted -= self._casemanagers.keys()
        if wanted:
            self._casemanagers.update(User.objects.in_bulk(wanted))

    def _roles(self, roles: frozenset[Role]) -> dict[int, User]:
        if roles not in self._by_roles:
            self._by_roles[roles] = {u.pk: u for r in roles for u in self._role(r.value)}
        return self._by_roles[roles]

    def of(self, deadline: _Due, audience: Audience) -> list[User]:
        users = dict(self._roles(audience.roles))
        if audience.casemanager and deadline.casemanager_id is not None:
            if deadline.casemanager_id not in self._casemanagers:
                self.load_casemanagers([deadline])
            casemanager = self._casemanagers.get(deadline.casemanager_id)
            if casemanager is not None:
                users[casemanager.pk] = casemanager
        if audience.organisation_roles and deadline.organisation_id is not None:
            roles = frozenset(r.value for r in audience.organisation_roles)
            users.update((u.pk, u) for u in self._organisation(deadline.organisation_id, roles))
        return list(users.values())


@functools.cache
def _msgid(code: str) -> str:
    """The English label (the gettext msgid): the notification translates it when shown."""
    with translation.override(None):
        return str(registry.get(code).label)


@functools.cache
def _case_url_pattern() -> str:
    """The case page's path with a slot for the pk (reverse() per row is slow at 100,000)."""
    return reverse("cases:detail", args=[987654321]).replace("987654321", "{}")


def _links(deadline: Deadline | _Due, users: list[User]) -> list[tuple[list[User], str]]:
    """Where each recipient's notification links to: a page they may open. The covenant's
    page is for those who manage partners; coordinators get the dashboard's block."""
    if deadline.case_id is not None:
        return [(users, _case_url_pattern().format(deadline.case_id))]
    if deadline.kind == kinds.COVENANT_RENEWAL_NOTICE:
        managers = [u for u in users if may_manage_partners(u)]
        others = [u for u in users if u not in managers]
        return [(managers, reverse("partners:covenant_detail")), (others, reverse("dashboard"))]
    kind = registry.get(deadline.kind)
    if kind.subject_url and deadline.subject_id is not None:
        return [(users, reverse(kind.subject_url, args=[deadline.subject_id]))]
    return [(users, reverse("dashboard"))]


def _messages(deadline: _Due, stage: Stage, recipients: _Recipients) -> list[Message]:
    """The notification of one deadline at one stage: one message per link (usually one)."""

    try:
        kind = registry.get(deadline.kind)
    except registry.UnknownKindError:
        logger.warning("deadline.scan unknown_kind kind=%s pk=%s", deadline.kind, deadline.pk)
        return []
    audience = kind.tell_overdue if stage is Stage.OVERDUE else kind.tell_before
    users = recipients.of(deadline, audience)
    return [
        Message(
            recipients=tuple(group),
            event=kind.event_overdue if stage is Stage.OVERDUE else kind.event_before,
            key=f"deadline:{deadline.pk}:{stage.value}",
            case=deadline.case,
            url=url,
            context={
                "deadline": _msgid(kind.code),
                "due": deadline.due_on,
                "date": deadline.due_on,
            },
        )
        for group, url in _links(deadline, users)
        if group
    ]


def _scan_batch(
    *,
    stage: Stage,
    now: datetime.datetime,
    today: datetime.date,
    batch_size: int,
    recipients: _Recipients,
    after_pk: int,
) -> tuple[list[int], int]:
    """One transaction: lock up to `batch_size` deadlines after `after_pk` that reached
    `stage` and were not notified for it (skipping rows another scan holds), notify, record
    the stage. Returns (primary keys handled, notifications created)."""

    with transaction.atomic():
        due = Deadline.objects.open().filter(
            stage_notified__lt=stage.level, soon_on__lte=today, pk__gt=after_pk
        )
        # Overdue after the due day's last instant; due soon only until then.
        passed = Q(due_at__lt=now)
        due = due.filter(passed if stage is Stage.OVERDUE else ~passed)
        batch = [
            _Due._make(row)
            for row in due.values_list(*_DUE_COLUMNS)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:batch_size]
        ]
        if not batch:
            return [], 0
        recipients.load_casemanagers(batch)
        messages = [m for deadline in batch for m in _messages(deadline, stage, recipients)]
        # One batched INSERT … ON CONFLICT DO NOTHING for the whole batch.
        created = notify_many(messages)
        handled = [d.pk for d in batch]
        Deadline.objects.filter(pk__in=handled).update(stage_notified=stage.level)
    return handled, created


def _try_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SCAN_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _unlock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [SCAN_LOCK_KEY])


def deadlines_scan(
    *,
    now: datetime.datetime | None = None,
    batch_size: int | None = None,
    use_lock: bool = True,
) -> ScanResult:
    """Notify every open deadline that reached "due soon" or "overdue" and was not notified
    for that stage yet. By state, not by time since the last run: a scan missed for a day
    catches up. A deadline found overdue is told overdue only (its due-soon is moot)."""
    started = time.monotonic()
    now = now or timezone.now()
    today = timezone.localdate(now)
    batch_size = batch_size or settings.DEADLINE_SCAN_BATCH_SIZE
    result = ScanResult()
    if use_lock and not _try_lock():
        result.skipped = True
        logger.info("deadline.scan skipped reason=another_scan_running")
        return result
    try:
        covenant_deadlines_sync(today=today)
        recipients = _Recipients()
        for stage in (Stage.OVERDUE, Stage.DUE_SOON):
            # Keyset by primary key: each batch starts after the last, so a scan never
            # re-reads what it did. Rows another scan held are that scan's (or the next's).
            after_pk = 0
            while True:
                handled, created = _scan_batch(
                    stage=stage,
                    now=now,
                    today=today,
                    batch_size=batch_size,
                    recipients=recipients,
                    after_pk=after_pk,
                )
                if not handled:
                    break
                after_pk = max(handled)
                if stage is Stage.OVERDUE:
                    result.overdue += len(handled)
                else:
                    result.due_soon += len(handled)
                result.notifications += created
    finally:
        if use_lock:
            _unlock()
    result.seconds = round(time.monotonic() - started, 3)
    logger.info(
        "deadline.scan done due_soon=%s overdue=%s notifications=%s seconds=%s",
        result.due_soon,
        result.overdue,
        result.notifications,
        result.seconds,
    )
    return result


def deadlines_lapse_for_case(*, case: Model, keep: Iterable[str] = ()) -> int:
    """A case ended (redirected, attached, closed): its open deadlines no longer apply."""
    deadlines = Deadline.objects.open().filter(case_id=case.pk).exclude(kind__in=list(keep))
    return deadlines.update(cancelled_at=timezone.now())
