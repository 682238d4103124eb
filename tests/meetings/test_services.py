"""Planning, invitations, agenda, minutes and bottlenecks through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.choices import CaseStatus
from cases.models import Action
from deadlines import kinds
from deadlines.models import Deadline
from deadlines.services import deadline_open
from meetings import selectors, services
from meetings.choices import ItemSource, MeetingKind, MeetingStatus
from meetings.models import AgendaItem, IntendedAction, Invitation, Meeting
from notifications.models import Notification
from partners.choices import OrganisationKind, Role
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
TEN = dt.time(10, 0)


def plan_one(world, day=dt.date(2027, 1, 12)):
    return services.meeting_plan(
        kind=MeetingKind.CASE,
        network=world.network,
        date=day,
        start_time=TEN,
        location="Wijkbureau Overvecht",
        chair=world.coordinator,
        by=world.coordinator,
    )


def test_coordinator_plans_a_year_without_august_on_working_days(world):
    series = services.meeting_series_plan(
        network=world.network,
        year=2027,
        weekday=1,
        nth=2,
        start_time=TEN,
        location="Wijkbureau",
        by=world.coordinator,
        skip_months=(7, 8),
    )
    meetings = list(series.meetings.order_by("date"))
    assert len(meetings) == 10
    assert {m.date.month for m in meetings}.isdisjoint({7, 8})
    first = meetings[0]
    invited = set(first.invitations.values_list("user_id", flat=True))
    assert invited == {world.rep_corporation.pk, world.rep_police.pk}
    agenda = Deadline.objects.open().get(kind=kinds.MEETING_AGENDA, subject_id=first.pk)
    assert agenda.due_on < first.date
    with pytest.raises(ValidationError):
        services.meeting_series_plan(
            network=world.network, year=2027, weekday=1, nth=2, start_time=TEN,
            location="x", by=world.coordinator,
        )  # fmt: skip


def test_only_the_coordinator_plans(world):
    with pytest.raises(PermissionDenied):
        plan_one(world) if False else services.meeting_plan(
            kind=MeetingKind.CASE, network=world.network, date=dt.date(2027, 1, 12),
            start_time=TEN, location="x", by=world.rep_corporation,
        )  # fmt: skip


def test_moving_and_cancelling_tell_the_invitees(world):
    meeting = plan_one(world)
    services.meeting_move(
        meeting=meeting, date=dt.date(2027, 1, 19), start_time=TEN, location="Stadskantoor",
        by=world.coordinator,
    )  # fmt: skip
    moved = Notification.objects.filter(event="meeting_moved")
    assert set(moved.values_list("recipient_id", flat=True)) == {
        world.rep_corporation.pk, world.rep_police.pk, world.coordinator.pk,
    }  # fmt: skip
    assert Deadline.objects.open().get(kind=kinds.MEETING_AGENDA, subject_id=meeting.pk).due_on < (
        dt.date(2027, 1, 19)
    )
    services.meeting_cancel(meeting=meeting, reason="Zaal niet beschikbaar", by=world.coordinator)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert Notification.objects.filter(event="meeting_cancelled").count() == 3
    assert not Deadline.objects.open().filter(kind=kinds.MEETING_AGENDA).exists()


def test_apologies_need_a_substitute_who_can_prepare_the_cases(world):
    meeting = plan_one(world)
    invitation = Invitation.objects.get(meeting=meeting, user=world.rep_corporation)
    no_role = UserFactory(organisation=world.corporation, roles=[Role.REFERRER])
    other_org = UserFactory(organisation=world.police, roles=[Role.PARTNER_REPRESENTATIVE])
    for substitute in (None, no_role, other_org):
        with pytest.raises(ValidationError) as refused:
            services.invitation_send_apologies(
                invitation=invitation, substitute=substitute, by=world.rep_corporation
            )
        assert "substitute" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.invitation_send_apologies(
            invitation=invitation, substitute=world.substitute_corporation, by=world.rep_police
        )
    services.invitation_send_apologies(
        invitation=invitation, substitute=world.substitute_corporation, by=world.rep_corporation
    )
    invitees = {u.pk for u in selectors.meeting_invitees(meeting=meeting)}
    assert world.substitute_corporation.pk in invitees
    assert world.rep_corporation.pk not in invitees


def test_agenda_is_proposed_from_the_networks_cases(world):
    meeting = plan_one(world)
    other = world.case_execution.__class__.objects.create(
        number="WO-2027-0999", status=CaseStatus.EXECUTION, network=world.network,
        created_by=world.coordinator,
    )  # fmt: skip
    deadline_open(kind=kinds.SIX_MONTH_EVALUATION, started_on=dt.date(2026, 7, 20), case=other)
    items = services.agenda_propose(meeting=meeting, by=world.coordinator)
    by_case = {item.case_id: item.source for item in items}
    assert by_case == {
        world.case_execution.pk: ItemSource.PASS_ON_OR_CLOSE,
        world.case_investigation.pk: ItemSource.PLAN,
        world.case_intake.pk: ItemSource.INTAKE,
        other.pk: ItemSource.EVALUATION,
    }
    # Proposing again adds nothing; a dropped proposal does not come back.
    services.agenda_item_drop(item=items[0], by=world.coordinator)
    assert services.agenda_propose(meeting=meeting, by=world.coordinator) == []


def test_coordinator_reorders_adds_general_items_and_publishes(world):
    meeting = plan_one(world)
    items = services.agenda_propose(meeting=meeting, by=world.coordinator)
    general = services.agenda_item_add(meeting=meeting, title="Mededelingen", by=world.coordinator)
    order = [general.pk] + [item.pk for item in reversed(items)]
    services.agenda_reorder(meeting=meeting, item_ids=order, by=world.coordinator)
    assert (
        list(
            selectors.agenda_items_for_user(meeting=meeting, user=world.coordinator)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        == order
    )
    with pytest.raises(ValidationError):
        services.agenda_reorder(meeting=meeting, item_ids=order[1:], by=world.coordinator)
    with pytest.raises(PermissionDenied):
        services.agenda_publish(meeting=meeting, by=world.rep_corporation)
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    assert Deadline.objects.met().filter(kind=kinds.MEETING_AGENDA, subject_id=meeting.pk).exists()
    published = Notification.objects.filter(event="agenda_published")
    assert published.count() == 3
    assert all(n.url == "" or n.url.startswith("/") for n in published)


def test_representative_sees_only_items_of_their_organisations_cases(
    world, django_assert_max_num_queries
):
    meeting = plan_one(world)
    services.agenda_propose(meeting=meeting, by=world.coordinator)
    services.agenda_item_add(meeting=meeting, title="Mededelingen", by=world.coordinator)
    corporation_items = selectors.agenda_items_for_user(meeting=meeting, user=world.rep_corporation)
    assert {i.case_id for i in corporation_items} == {
        world.case_execution.pk, world.case_intake.pk, None,
    }  # fmt: skip
    police_items = selectors.agenda_items_for_user(meeting=meeting, user=world.rep_police)
    assert {i.case_id for i in police_items} == {world.case_investigation.pk, None}
    with django_assert_max_num_queries(3):
        lines = selectors.agenda_lines(items=corporation_items)
    intake = next(line for line in lines if line.number == world.case_intake.number)
    assert intake.initials == "I.Z." and intake.street == "" and intake.phase == ""
    full = next(line for line in lines if line.number == world.case_execution.number)
    assert full.street == "Zamenhofdreef" and full.initials == "P.d.B."


def test_lines_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    meeting = plan_one(world)
    services.agenda_propose(meeting=meeting, by=world.coordinator)
    items = selectors.agenda_items_for_user(meeting=meeting, user=world.coordinator)
    with django_assert_max_num_queries(6):
        lines = selectors.agenda_lines(items=items, with_minutes=True)
    assert len(lines) == 3


def test_on_call_organisation_is_invited_for_one_item_and_sees_it(world):
    meeting = plan_one(world)
    services.agenda_propose(meeting=meeting, by=world.coordinator)
    item = AgendaItem.objects.get(meeting=meeting, case=world.case_investigation)
    with pytest.raises(PermissionDenied):
        services.agenda_item_call_organisation(
            item=item, organisation=world.on_call, by=world.rep_police
        )
    with pytest.raises(ValidationError):
        services.agenda_item_call_organisation(
            item=item, organisation=world.police, by=world.coordinator
        )
    services.agenda_item_call_organisation(
        item=item, organisation=world.on_call, by=world.casemanager
    )
    visible = selectors.agenda_items_for_user(meeting=meeting, user=world.on_call_rep)
    assert [i.case_id for i in visible] == [world.case_investigation.pk]


def test_decisions_keep_their_intended_actions_and_final_minutes_are_read_only(world):
    meeting = plan_one(world)
    items = services.agenda_propose(meeting=meeting, by=world.coordinator)
    item = items[0]
    services.minutes_item_record(item=item, summary="Besproken.", by=world.coordinator)
    with pytest.raises(ValidationError):
        services.decision_add(
            item=item, text="x", by=world.coordinator,
            actions=[services.ActionSpec(
                organisation=world.police, person=world.rep_corporation,
                due_on=dt.date(2027, 2, 1), description="Huisbezoek",
            )],
        )  # fmt: skip
    decision = services.decision_add(
        item=item, text="Corporatie legt huisbezoek af.", by=world.coordinator,
        actions=[services.ActionSpec(
            organisation=world.corporation, person=world.substitute_corporation,
            due_on=dt.date(2027, 2, 1), description="Huisbezoek",
        )],
    )  # fmt: skip
    services.attendance_record(
        meeting=meeting, organisation=world.corporation, present=True,
        user=world.substitute_corporation, by=world.coordinator,
    )  # fmt: skip
    services.minutes_finalise(meeting=meeting, by=world.coordinator)
    assert Notification.objects.filter(event="minutes_final").count() == 3
    # The decision's action is now an action on the case, for the corporation's person.
    intended = IntendedAction.objects.get()
    action = Action.objects.get(pk=intended.action_id)
    assert (action.case, action.organisation, action.assignee, action.description) == (
        item.case,
        world.corporation,
        world.substitute_corporation,
        "Huisbezoek",
    )
    assert action.decided_in_meeting and action.due_on == dt.date(2027, 2, 1)
    assert action.decided_on == meeting.date  # the plan page shows the meeting's date
    # Once only: making the actions again finds nothing left to do.
    assert services.decision_create_actions(decision=decision, by=world.coordinator) == []
    assert Action.objects.count() == 1
    with pytest.raises(ValidationError):
        services.minutes_item_record(item=item, summary="Anders.", by=world.coordinator)
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, title="Later", by=world.coordinator)
    addendum = services.minutes_addendum_add(
        meeting=meeting, text="Datum huisbezoek is 3 februari.", by=world.coordinator
    )
    assert timezone.localdate(addendum.created_at) == timezone.localdate()


def test_covenant_meetings_have_standing_topics_bottlenecks_and_no_case_data(world):
    municipality = OrganisationFactory(name="Gemeente Test", kind=OrganisationKind.MUNICIPALITY)
    member = UserFactory(organisation=municipality, roles=[Role.MEETING_MEMBER])
    bottleneck = services.bottleneck_signal(
        title="Wachtlijst GGZ", description="Lange wachttijden.", by=world.rep_police
    )
    steering = services.meeting_plan(
        kind=MeetingKind.STEERING, date=dt.date(2027, 3, 2), start_time=TEN,
        location="Stadskantoor", by=world.coordinator,
    )  # fmt: skip
    titles = list(steering.items.values_list("title", flat=True))
    assert "Jaarverslag" in titles or "Annual report" in titles
    proposed = services.agenda_propose(meeting=steering, by=world.coordinator)
    assert [i.bottleneck_id for i in proposed] == [bottleneck.pk]
    assert not steering.items.filter(case__isnull=False).exists()
    with pytest.raises(ValidationError):
        services.agenda_item_add(
            meeting=steering, title="x", case=world.case_execution, by=world.coordinator
        )
    services.meeting_member_invite(meeting=steering, user=member, by=world.coordinator)
    case_meeting = plan_one(world)
    visible = selectors.meeting_list_for_user(user=member)
    assert steering in visible and case_meeting not in visible
    with pytest.raises(ValidationError):
        services.meeting_plan(
            kind=MeetingKind.ADVISORY, network=world.network, date=dt.date(2027, 3, 2),
            start_time=TEN, location="x", by=world.coordinator,
        )  # fmt: skip


def test_representative_lists_only_meetings_of_their_organisation(world):
    meeting = plan_one(world)
    outsider = UserFactory(roles=[Role.PARTNER_REPRESENTATIVE])
    assert meeting in selectors.meeting_list_for_user(user=world.rep_corporation)
    assert meeting not in selectors.meeting_list_for_user(user=outsider)
    assert Meeting.objects.count() == 1
