"""The dashboard as a workspace per role (issue 16): what each role finds there, that no
block shows a case outside the user's need to know, and the same queries with 1 case per
block as with 500 (one query per block; the rows are bulk-created to keep this fast)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import ReadBasis, ReadLogEntry
from cases import access, selectors_referral, services
from cases.choices import CaseStatus
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    CaseInvolvement,
    CaseStatusChange,
    ConsentRequest,
    PoliceScreening,
)
from cases.models.plan import Action, Plan
from cases.selectors import workspace
from cases.selectors.plan import my_actions
from cases.selectors_referral import my_referrals
from deadlines import kinds
from deadlines.models import Deadline
from meetings import services as meeting_services
from meetings.choices import MeetingKind
from tests.cases.case_setup import make_world
from tests.early_signals.setup import record as signal_record
from tests.factories.cases import CaseFactory, GoalFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _deadline(case: Case, *, kind: str, due: dt.date, subject=None) -> Deadline:
    return Deadline(
        kind=kind,
        case=case,
        subject_type=ContentType.objects.get_for_model(subject) if subject else None,
        subject_id=subject.pk if subject else None,
        started_on=due - dt.timedelta(days=7),
        due_on=due,
        due_at=timezone.make_aware(dt.datetime.combine(due, dt.time(23, 59))),
        soon_on=due - dt.timedelta(days=2),
    )


def _cases(world, size: int, **fields) -> list[Case]:
    start = Case.objects.count()
    return Case.objects.bulk_create(
        Case(
            number=f"WO-1998-{start + n + 1:05d}",
            street="Biltstraat",
            house_number=n + 1,
            postcode="3572AA",
            referred_on=dt.date(2026, 11, 2),
            created_by=world.coordinator,
            **fields,
        )
        for n in range(size)
    )


def _fill(world, size: int) -> None:
    """`size` rows for every block of every workspace, with as few related rows as will do."""
    today = timezone.localdate()
    overdue = today - dt.timedelta(days=3)
    # The coordinator: referrals to take (with an overdue intake deadline and an overdue
    # consent request to Mitros, a screening asked of the police, a Mitros referral).
    referred = _cases(world, size, status=CaseStatus.REFERRED)
    consents = ConsentRequest.objects.bulk_create(
        ConsentRequest(
            case=c, corporation=world.mitros, requested_by=world.coordinator, requested_on=overdue
        )
        for c in referred
    )
    Deadline.objects.bulk_create(
        [_deadline(c, kind=kinds.INTAKE, due=overdue) for c in referred]
        + [
            _deadline(r.case, kind=kinds.CORPORATION_CONSENT, due=overdue, subject=r)
            for r in consents
        ]
    )
    PoliceScreening.objects.bulk_create(
        PoliceScreening(case=c, requested_by=world.coordinator, requested_on=overdue)
        for c in referred
    )
    referrals = [
        ReferralFactory.build(case=c, organisation=world.mitros, referrer=world.referrer)
        for c in referred
    ]
    type(referrals[0]).objects.bulk_create(referrals)
    # What case_transition records when a referral is submitted (world.case's too): only a
    # draft never changed status (the referrer's block relies on it).
    CaseStatusChange.objects.bulk_create(
        CaseStatusChange(case=c, to_status=CaseStatus.REFERRED, by=world.referrer)
        for c in [*referred, world.case]
    )
    # Accepted without a casemanager.
    _cases(world, size, status=CaseStatus.ACCEPTED)
    # The casemanager's cases in investigation, each with a draft plan (to agree), an open
    # deadline, the police involved (newly) and an open action of the police.
    mine = _cases(world, size, status=CaseStatus.INVESTIGATION, casemanager=world.casemanager)
    Plan.objects.bulk_create(Plan(case=c, number=1, created_by=world.casemanager) for c in mine)
    Deadline.objects.bulk_create(
        _deadline(c, kind=kinds.SIX_MONTH_EVALUATION, due=today + dt.timedelta(days=30))
        for c in mine
    )
    CaseInvolvement.objects.bulk_create(
        CaseInvolvement(case=c, organisation=world.politie, added_by=world.coordinator)
        for c in mine
    )
    group_id = access._organisation_group_id(world.police_rep)
    permission_id = access._case_content_permission_id()
    CaseGroupObjectPermission.objects.bulk_create(
        CaseGroupObjectPermission(content_object=c, group_id=group_id, permission_id=permission_id)
        for c in mine
    )
    goal = GoalFactory(plan__case=world.case, agreed_partners=[world.politie])
    Action.objects.bulk_create(
        Action(
            case=c,
            goal=goal,
            description="Huisbezoek",
            organisation=world.politie,
            due_on=today + dt.timedelta(days=10),
            created_by=world.casemanager,
        )
        for c in mine
    )


def _count(body: str, block: str) -> int:
    match = re.search(
        rf'data-block="{block}">\s*<h2[^>]*>[^<]*</h2>\s*<p[^>]*data-count="(\d+)"', body
    )
    assert match, block
    return int(match.group(1))


@pytest.mark.parametrize("size", [1, 500])
def test_every_block_is_one_or_two_queries_at_any_size(world, size, django_assert_num_queries):
    _fill(world, size)
    # world.case (referred, managed by the casemanager, police involved) counts too.
    coordinator, casemanager = world.coordinator, world.casemanager
    police, mitros_rep = world.police_rep, world.outsider_rep
    expected = [
        (lambda: workspace.referrals_to_take(user=coordinator), size + 1),
        (lambda: workspace.cases_without_casemanager(user=coordinator), size),
        (lambda: workspace.late_consent_requests(user=coordinator), size),
        (lambda: workspace.plans_to_agree(user=coordinator), size),
        (lambda: workspace.my_cases(user=casemanager), size + 1),
        (lambda: workspace.consent_requests_waiting(user=mitros_rep), size),
        (lambda: workspace.screenings_waiting(user=police), size),
        (lambda: workspace.newly_involved_cases(user=police), size + 1),
    ]
    # The first call of a role reads the user's groups once (cached on the user object).
    for user in (coordinator, casemanager, police, mitros_rep, world.referrer):
        access.visible_cases(user).exists()
    for read, count in expected:
        with django_assert_num_queries(1):
            block = read()
        assert block.count == count
        assert len(block.items) == min(count, workspace.TOP)
    # The open actions: the count and the first ids, then those rows with what they show.
    with django_assert_num_queries(2):
        block = workspace.open_actions(user=police)
    assert block.count == size
    assert block.items == list(my_actions(user=police)[: workspace.TOP])
    # The referrer's block orders a few referrals directly (the count, the five) and narrows
    # many down first (the count, the latest status changes, the latest drafts, the cases
    # attached to those, the candidates, the five: docs/scale.md); both give the same five.
    for narrow_from, queries in ((10**9, 2), (0, 6)):
        with django_assert_num_queries(queries):
            block = workspace.referrals_followed(user=world.referrer, narrow_from=narrow_from)
        assert block.count == size + 1
        assert len(block.items) == min(size + 1, workspace.TOP)
        assert block.items == list(my_referrals(user=world.referrer)[: workspace.TOP])


# Whole dashboard per role: the session, the user with their organisation, the bell, every
# block, the deadlines block (at most four queries, issue 15; it was five), the coordinator's
# figures, the read-log INSERT; the same whatever the number of cases (the session is renewed
# once a minute: SessionRenewalMiddleware). The referrer's block takes four more queries
# from NARROW_FROM referrals on, and then no more.
BUDGET = {"coordinator": 19, "casemanager": 9, "police_rep": 13, "referrer": 7}


@pytest.mark.parametrize("size", [1, 500])
def test_dashboard_query_budget_per_role(world, verified_client, django_assert_num_queries, size):
    _fill(world, size)  # once for every role: the fill is the slow part
    for role, budget in BUDGET.items():
        if role == "referrer" and size + 1 >= workspace.NARROW_FROM:
            budget += 4
        client = verified_client(getattr(world, role))
        client.get(reverse("dashboard"))  # warm up the session
        with django_assert_num_queries(budget):  # exactly: the same at 1 and at 500
            response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        assert 'data-block="' in response.content.decode(), role  # a workspace was shown


def test_coordinator_sees_the_work_waiting_and_no_menu_repeated(world, verified_client):
    _fill(world, 2)
    body = verified_client(world.coordinator).get(reverse("dashboard")).content.decode()
    assert _count(body, "to_take") == 3
    assert _count(body, "unassigned") == 2
    assert _count(body, "late_requests") == 2
    assert _count(body, "plans") == 2
    assert f'href="{reverse("cases:intake", args=[world.case.pk])}"' in body
    assert "?unassigned=on" in body and "?status=referred" in body
    assert "Waar u naartoe kunt" not in body and "Uw account" not in body
    # The cases a block named are in the read log, basis coordinator.
    assert ReadLogEntry.objects.filter(
        user_id=world.coordinator.pk, case_id=world.case.pk, basis=ReadBasis.COORDINATOR
    ).exists()


def test_casemanager_sees_own_cases_with_phase_next_deadline_and_step(world, verified_client):
    other = CaseFactory(investigation=True, casemanager=world.other_casemanager, number="WO-9")
    mine = CaseFactory(investigation=True, casemanager=world.casemanager, number="WO-8")
    today = timezone.localdate()
    Deadline.objects.bulk_create(
        [
            _deadline(mine, kind=kinds.SIX_MONTH_EVALUATION, due=today - dt.timedelta(days=1)),
            _deadline(other, kind=kinds.SIX_MONTH_EVALUATION, due=today - dt.timedelta(days=1)),
        ]
    )
    body = verified_client(world.casemanager).get(reverse("dashboard")).content.decode()
    assert _count(body, "my_cases") == 2  # world.case and WO-8
    assert "WO-9" not in body
    # The overdue one leads, with its phase and next step.
    first_row = body.split('data-block="my_cases"')[1].split("<tbody")[1].split("</tr>")[0]
    assert "WO-8" in first_row and "Onderzoek" in first_row
    assert "Schrijf het plan van aanpak" in first_row and "verlopen" in first_row


def test_representative_sees_requests_newly_involved_and_actions(world, verified_client):
    _fill(world, 1)
    body = verified_client(world.police_rep).get(reverse("dashboard")).content.decode()
    assert _count(body, "requests") == 1  # the screening
    assert _count(body, "involved") == 2
    assert _count(body, "actions") == 1
    assert "wo-ws-take-heading" not in body  # no coordinator blocks
    # The Mitros representative is not involved: no case of the police.
    body = verified_client(world.outsider_rep).get(reverse("dashboard")).content.decode()
    assert _count(body, "requests") == 1  # the consent request
    assert _count(body, "involved") == 0
    assert "Biltstraat" in body and world.case.number not in body


def test_referrer_sees_address_as_entered_and_the_case_teams_status_words(world, verified_client):
    referral = services.referral_start(by=world.referrer)
    services.referral_update(
        referral=referral,
        by=world.referrer,
        version=referral.version,
        referral_data={"referrer_reference": "MIT-0777"},
        case_data={"street": "Lange Nieuwstraat", "house_number": 7, "postcode": "3512PH"},
        persons=[],
    )
    referral.refresh_from_db()
    referral.submitted_at = timezone.now()
    referral.save()
    case = referral.case
    case.status = CaseStatus.CLOSED
    case.number = "WO-2026-0777"
    case.save()
    # The case team corrects the address later: the referrer keeps what they entered.
    Case.objects.filter(pk=case.pk).update(street="Kromme Nieuwegracht")
    body = verified_client(world.referrer).get(reverse("dashboard")).content.decode()
    assert "Lange Nieuwstraat 7" in body and "Kromme Nieuwegracht" not in body
    # Their own reference heads the row; the world's referral without one shows a dash.
    block = body.split('data-block="referrals"')[1].split("</section>")[0]
    first_cells = re.findall(r'<tr class="utrecht-table__row">\s*<td [^>]*>([^<]*)</td>', block)
    assert sorted(first_cells) == ["MIT-0777", "–"]
    assert 'data-status="closed">Afgesloten<' in body and "Aangenomen" not in body
    page = verified_client(world.referrer).get(reverse("cases:my_referrals")).content.decode()
    assert "Lange Nieuwstraat 7" in page and ">Afgesloten<" in page
    assert selectors_referral.referral_status(case) == CaseStatus.CLOSED
    assert ReadLogEntry.objects.filter(
        user_id=world.referrer.pk, case_id=case.pk, basis=ReadBasis.REFERRER
    ).exists()


def test_case_list_filters_the_cases_without_casemanager(world, verified_client):
    nobody = CaseFactory(accepted=True, number="WO-7001")
    CaseFactory(accepted=True, number="WO-7002", casemanager=world.casemanager)
    CaseFactory(closed=True, number="WO-7003")  # closed: no longer waiting for anyone
    body = (
        verified_client(world.coordinator)
        .get(reverse("cases:list"), {"unassigned": "on"})
        .content.decode()
    )
    assert nobody.number in body
    assert "WO-7002" not in body and "WO-7003" not in body
    assert world.case.number not in body  # referred: still in intake


def test_coordinator_sees_meetings_this_month_and_open_signals(world, verified_client):
    today = timezone.localdate()
    meeting = meeting_services.meeting_plan(
        kind=MeetingKind.CASE,
        network=world.case.network,
        date=today.replace(day=28) if today.day < 28 else today,
        start_time=dt.time(14, 0),
        location="Stadskantoor",
        by=world.coordinator,
    )
    signal_record(world.referrer, house_number=40)  # Mitros signals an address
    body = verified_client(world.coordinator).get(reverse("dashboard")).content.decode()
    assert _count(body, "meetings") == 1
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}"' in body
    signals = body.split('data-block="signals"')[1].split("</section>")[0]
    assert 'data-count="1"' in signals and reverse("early_signals:list") in signals
    # Not the casemanager's workspace: no signals block, whatever they see of meetings.
    body = verified_client(world.casemanager).get(reverse("dashboard")).content.decode()
    assert 'data-block="signals"' not in body
