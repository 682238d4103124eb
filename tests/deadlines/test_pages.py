"""Deadlines on the dashboard and on the case page: states, visibility and query budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines import access, kinds, services
from deadlines.models import Deadline
from tests.cases.case_setup import make_world
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    from partners.models import Covenant

    Covenant.objects.update(is_active=False)
    return make_world()


def _deadline(case, *, due_in_days: int, met: bool | None = None) -> Deadline:
    """An intake deadline due `due_in_days` from today (negative: overdue); met on time
    (True), late (False) or open (None)."""
    today = timezone.localdate()
    deadline = services.deadline_open(kind=kinds.INTAKE, case=case, started_on=today)
    due_on = today + dt.timedelta(days=due_in_days)
    from deadlines.domain import due_at

    Deadline.objects.filter(pk=deadline.pk).update(
        due_on=due_on, soon_on=min(due_on, today), due_at=due_at(due_on, "Europe/Amsterdam")
    )
    deadline.refresh_from_db()
    if met is not None:
        at = deadline.due_at - dt.timedelta(hours=1) if met else deadline.due_at
        at = min(at, timezone.now()) if met else deadline.due_at + dt.timedelta(minutes=1)
        Deadline.objects.filter(pk=deadline.pk).update(met_at=at)
    return deadline


def _count(body: str, name: str) -> int:
    import re

    match = re.search(rf'data-count="{name}">(\d+)<', body)
    assert match, name
    return int(match.group(1))


def test_dashboard_counts_each_state_and_links_the_first_ones(world, verified_client):
    overdue = _deadline(world.case, due_in_days=-2)
    _deadline(CaseFactory(), due_in_days=0)  # due soon: due today
    _deadline(CaseFactory(), due_in_days=-5, met=False)  # met late (a minute after)
    on_time = _deadline(CaseFactory(), due_in_days=-3, met=True)
    body = verified_client(world.coordinator).get(reverse("dashboard")).content.decode()
    assert [_count(body, n) for n in ("overdue", "due_soon", "met_late", "met_on_time")] == [
        1,
        1,
        1,
        1,
    ]
    assert f'href="/casussen/{overdue.case_id}/#deadlines"' in body
    assert f'href="/casussen/{on_time.case_id}/#deadlines"' in body
    assert "utrecht-status-badge--danger" in body  # overdue is red


def test_partners_see_deadlines_of_their_cases_only_and_referrers_see_no_block(
    world, verified_client
):
    _deadline(world.case, due_in_days=-1)  # Politie is involved in world.case
    _deadline(CaseFactory(), due_in_days=-1)  # not involved
    body = verified_client(world.police_rep).get(reverse("dashboard")).content.decode()
    assert _count(body, "overdue") == 1
    assert access.visible_deadlines(world.outsider_rep).count() == 0
    body = verified_client(world.referrer).get(reverse("dashboard")).content.decode()
    assert 'data-count="overdue"' not in body


def test_covenant_notice_shows_for_coordinators_not_for_partners(world, verified_client):
    from partners.models import Covenant

    Covenant.objects.update(is_active=True)
    services.covenant_deadlines_sync(today=timezone.localdate())
    assert access.visible_deadlines(world.coordinator).filter(case__isnull=True).count() == 1
    assert access.visible_deadlines(world.police_rep).filter(case__isnull=True).count() == 0


@pytest.mark.parametrize("count", [1, 50])
def test_dashboard_query_budget(world, verified_client, django_assert_max_num_queries, count):
    for n in range(count):
        _deadline(CaseFactory(), due_in_days=(n % 5) - 2, met=[None, True, False][n % 3])
    client = verified_client(world.coordinator)
    client.get(reverse("dashboard"))  # warm up the session and the content-type cache
    # the deadlines block: 5, the coordinator's figures: 3 and the coordinator's workspace
    # (issue 16: one per block and the read-log row), whatever the number
    with django_assert_max_num_queries(25):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200


def test_case_page_shows_each_deadline_with_its_state(world, verified_client):
    _deadline(world.case, due_in_days=-1)
    services.deadline_open(
        kind=kinds.CORPORATION_CONSENT,
        case=world.case,
        subject=world.case,
        organisation=world.mitros,
        started_on=timezone.localdate() - dt.timedelta(days=20),
    )
    services.deadline_meet(kind=kinds.CORPORATION_CONSENT, case=world.case, subject=world.case)
    body = (
        verified_client(world.casemanager)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    section = body[body.index('id="deadlines"') : body.index('id="persons"')]
    assert section.count('class="utrecht-table__row wo-deadline-row"') == 2
    assert "wo-deadline--overdue" in section and "utrecht-status-badge--danger" in section
    assert "wo-deadline--met_late" in section


@pytest.mark.parametrize(
    "due, offset",
    [
        (dt.date(2026, 3, 27), "+01:00"),  # the Friday before summer time starts
        (dt.date(2026, 3, 30), "+02:00"),  # the Monday after (29 March 2026)
        (dt.date(2026, 10, 23), "+02:00"),  # the Friday before winter time (25 October)
        (dt.date(2026, 10, 26), "+01:00"),
    ],
)
def test_case_page_shows_the_due_time_in_amsterdam_across_dst(world, verified_client, due, offset):
    deadline = services.deadline_open(
        kind=kinds.SIX_MONTH_EVALUATION, case=world.case, started_on=due, amount=0
    )
    assert deadline.due_on == due
    body = (
        verified_client(world.casemanager)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    # No microseconds (the Nu HTML Checker refuses them); the offset without a colon.
    assert f'datetime="{due.isoformat()}T23:59:59{offset.replace(":", "")}"' in body
    assert f"{due.day}-{due.month}-{due.year} 23:59" in body


@pytest.mark.parametrize("count", [1, 50])
def test_case_page_deadlines_cost_one_query(
    world, verified_client, django_assert_max_num_queries, count
):
    for n in range(count):
        services.deadline_open(
            kind=kinds.CORPORATION_CONSENT,
            case=world.case,
            subject=CaseFactory(),  # any object: one open consent deadline per subject
            organisation=world.mitros,
            started_on=timezone.localdate() - dt.timedelta(days=n),
        )
    client = verified_client(world.casemanager)
    with django_assert_max_num_queries(27):  # the case page's budget + 1 for deadlines
        response = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert response.content.decode().count("wo-deadline-row") == count


def test_dashboard_block_orders_each_state_and_leaves_long_met_deadlines_out(world):
    # issue 15: counts and the first five per state from one windowed query over only the
    # open deadlines past their warning date and those met in the window.
    from deadlines.selectors import DASHBOARD_ITEMS, MET_WINDOW_DAYS, dashboard_block

    overdue = [_deadline(CaseFactory(), due_in_days=-d) for d in (3, 9, 1, 7, 5, 2, 8)]
    met = [_deadline(CaseFactory(), due_in_days=-d, met=True) for d in (1, 2, 3)]
    long_met = _deadline(CaseFactory(), due_in_days=-400, met=True)
    Deadline.objects.filter(pk=long_met.pk).update(
        met_at=timezone.now() - dt.timedelta(days=MET_WINDOW_DAYS + 1)
    )
    block = dashboard_block(visible=Deadline.objects.exclude(case=world.case))
    assert block.overdue == 7 and block.met_on_time == 3 and block.met_late == 0
    by_due = sorted(overdue, key=lambda d: (d.due_on, d.pk))[:DASHBOARD_ITEMS]
    assert [d.pk for d in block.top["overdue"]] == [d.pk for d in by_due]
    newest_met_first = sorted(
        Deadline.objects.filter(pk__in=[d.pk for d in met]), key=lambda d: (d.met_at, d.pk)
    )[::-1]
    assert [d.pk for d in block.top["met_on_time"]] == [d.pk for d in newest_met_first]
    assert long_met.pk not in {d.pk for rows in block.top.values() for d in rows}
    assert block.top["overdue"][0].case.number  # the case is loaded with the row


def test_a_coordinator_sees_the_deadlines_of_every_case_but_drafts_and_attached_ones(world):
    # The coordinator's deadlines leave the few hidden cases out instead of matching the
    # many visible ones (issue 15); the same rows either way.
    from cases.access import visible_cases
    from cases.choices import CaseStatus
    from deadlines.access import visible_deadlines

    shown = _deadline(CaseFactory(), due_in_days=-1)
    draft = _deadline(CaseFactory(status=CaseStatus.DRAFT), due_in_days=-1)
    attached = _deadline(CaseFactory(status=CaseStatus.ATTACHED), due_in_days=-1)
    seen = set(visible_deadlines(world.coordinator).values_list("pk", flat=True))
    assert shown.pk in seen and draft.pk not in seen and attached.pk not in seen
    for user in (world.coordinator, world.casemanager, world.police_rep):
        by_cases = Deadline.objects.filter(case__in=visible_cases(user).values("pk"))
        assert set(visible_deadlines(user).exclude(case=None).values_list("pk", flat=True)) == (
            set(by_cases.values_list("pk", flat=True))
        )
