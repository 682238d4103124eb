"""The scheduling and attendance pages: the coordinator plans a year per network, moves and
cancels meetings (the invitees are told; refused once held or cancelled), records attendance
while the minutes are draft and adds dated corrections to final minutes; a representative
sends apologies naming a substitute, who then gets the invitation. Bad input: a Dutch message
next to the field, the input kept. Outsiders get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from meetings import services
from meetings.choices import DocumentKind, MeetingKind, MeetingStatus
from meetings.models import Attendance, Invitation, Meeting, MinutesAddendum
from meetings.pdf import document_context, render_html, render_pdf
from notifications.domain.messages import render
from notifications.models import Notification
from partners.choices import OrganisationKind, Role
from tests.factories.partners import OrganisationFactory, UserFactory
from tests.meetings.pdftext import pages_text

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 1, 12)


@pytest.fixture
def meeting(world):
    return services.meeting_plan(
        kind=MeetingKind.CASE,
        network=world.network,
        date=DAY,
        start_time=dt.time(14, 0),
        location="Stadskantoor, zaal 3",
        by=world.coordinator,
    )


def _held(meeting):
    """The meeting took place yesterday (set directly: the services refuse past dates)."""
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate() - dt.timedelta(days=1))
    meeting.refresh_from_db()


def _outsider():
    return UserFactory(
        organisation=OrganisationFactory(name="Elders"), roles=[Role.PARTNER_REPRESENTATIVE]
    )


# --- A year of meetings ------------------------------------------------------------------


SERIES = {
    "year": "2027",
    "weekday": "1",
    "nth": "2",
    "start_time": "14:00",
    "location": "Wijkbureau Overvecht",
    "skip_months": ["7", "8"],
    "skip_dates": "2027-05-11",
}


def test_the_coordinator_plans_a_year_without_july_and_august(world, verified_client):
    client = verified_client(world.coordinator)
    assert (
        "Een jaar casusoverleggen plannen" in client.get(reverse("meetings:list")).content.decode()
    )
    response = client.post(
        reverse("meetings:series_plan"), {**SERIES, "network": world.network.pk}, follow=True
    )
    meetings = list(Meeting.objects.filter(network=world.network).order_by("date"))
    assert len(meetings) == 9  # twelve months, minus July, August and 11 May
    assert {m.date.month for m in meetings}.isdisjoint({5, 7, 8})
    assert "9 overleggen van Netwerk Noordoost zijn gepland in 2027." in response.content.decode()
    assert set(meetings[0].invitations.values_list("user_id", flat=True)) == {
        world.rep_corporation.pk,
        world.rep_police.pk,
    }


def test_a_second_series_in_the_same_year_is_refused_in_dutch_keeping_the_input(
    world, verified_client
):
    client = verified_client(world.coordinator)
    data = {**SERIES, "network": world.network.pk}
    client.post(reverse("meetings:series_plan"), data)
    again = client.post(reverse("meetings:series_plan"), {**data, "location": "Elders, zaal 9"})
    body = again.content.decode()
    assert again.status_code == 400
    assert "Dit netwerk heeft al een reeks overleggen in 2027." in body
    assert "Elders, zaal 9" in body
    bad = client.post(reverse("meetings:series_plan"), {**data, "skip_dates": "11 mei"})
    assert "is geen datum zoals 2027-05-11" in bad.content.decode()
    assert Meeting.objects.filter(network=world.network).count() == 9


def test_only_the_coordinator_plans_a_series(world, verified_client):
    client = verified_client(world.rep_corporation)
    assert client.get(reverse("meetings:series_plan")).status_code == 404
    data = {**SERIES, "network": world.network.pk}
    assert client.post(reverse("meetings:series_plan"), data).status_code == 404
    assert not Meeting.objects.exists()


# --- Moving and cancelling -------------------------------------------------------------


def _move(client, meeting, **changes):
    data = {
        "date": "2027-01-19",
        "start_time": "15:00",
        "location": "Wijkbureau Overvecht",
        "reason": "Zaal bezet",
        **changes,
    }
    return client.post(reverse("meetings:move", args=[meeting.pk]), data)


def test_moving_a_meeting_tells_the_invitees_and_keeps_the_reason(world, meeting, verified_client):
    client = verified_client(world.coordinator)
    page = client.get(reverse("meetings:move", args=[meeting.pk])).content.decode()
    assert 'value="Stadskantoor, zaal 3"' in page  # the current place to start from
    response = _move(client, meeting)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.start_time) == (dt.date(2027, 1, 19), dt.time(15, 0))
    assert meeting.history.first().history_change_reason == "Zaal bezet"
    told = set(
        Notification.objects.filter(event="meeting_moved").values_list("recipient_id", flat=True)
    )
    assert {world.rep_corporation.pk, world.rep_police.pk} <= told


def test_moving_to_the_past_or_without_reason_is_refused_in_dutch(world, meeting, verified_client):
    client = verified_client(world.coordinator)
    past = _move(client, meeting, date="2020-01-07", location="Nieuwe plek")
    body = past.content.decode()
    assert past.status_code == 400
    assert "Een overleg kan alleen naar een moment in de toekomst worden verplaatst." in body
    assert "Nieuwe plek" in body
    no_reason = _move(client, meeting, reason="")
    assert no_reason.status_code == 400
    assert "Dit veld is verplicht." in no_reason.content.decode()
    meeting.refresh_from_db()
    assert meeting.date == DAY
    assert not Notification.objects.filter(event="meeting_moved").exists()


def test_cancelling_tells_the_invitees_and_then_nothing_can_be_moved(
    world, meeting, verified_client
):
    client = verified_client(world.coordinator)
    empty = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    assert empty.status_code == 400 and "Dit veld is verplicht." in empty.content.decode()
    response = client.post(
        reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Te weinig punten"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancel_reason == "Te weinig punten"
    assert Notification.objects.filter(event="meeting_cancelled").count() == 2
    for name in ("meetings:move", "meetings:cancel", "meetings:attendance"):
        refused = client.get(reverse(name, args=[meeting.pk]), follow=True)
        assert "Dit overleg is afgelast." in refused.content.decode()
    again = _move(client, meeting)
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.date == DAY
    assert Notification.objects.filter(event="meeting_cancelled").count() == 2


def test_a_meeting_that_took_place_is_not_moved_or_cancelled(world, meeting, verified_client):
    _held(meeting)
    held_on = meeting.date
    client = verified_client(world.coordinator)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Overleg verplaatsen" not in detail
    response = client.post(
        reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Te laat"}, follow=True
    )
    assert "Dit overleg heeft plaatsgevonden" in response.content.decode()
    _move(client, meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.date == held_on
    assert not Notification.objects.filter(event__in=["meeting_moved", "meeting_cancelled"])


def test_representatives_and_outsiders_cannot_move_or_cancel(world, meeting, verified_client):
    names = ("meetings:move", "meetings:cancel", "meetings:attendance")
    representative = verified_client(world.rep_corporation)
    for name in names:
        assert representative.get(reverse(name, args=[meeting.pk])).status_code == 403
    cancel = reverse("meetings:cancel", args=[meeting.pk])
    assert representative.post(cancel, {"reason": "x"}).status_code == 403
    outsider = verified_client(_outsider())  # the same test client, signed in as another
    for name in names:
        assert outsider.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert outsider.post(cancel, {"reason": "x"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


# --- Apologies with a substitute -----------------------------------------------------------


def _invitation(meeting, user):
    return Invitation.objects.get(meeting=meeting, user=user)


def test_a_representative_sends_apologies_and_the_substitute_gets_the_invitation(
    world, meeting, verified_client
):
    services.agenda_propose(meeting=meeting, by=world.coordinator)
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    invitation = _invitation(meeting, world.rep_corporation)
    client = verified_client(world.rep_corporation)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    url = reverse("meetings:apologies", args=[meeting.pk, invitation.pk])
    assert url in detail
    # Not for the police's invitation.
    police = _invitation(meeting, world.rep_police)
    assert reverse("meetings:apologies", args=[meeting.pk, police.pk]) not in detail
    assert (
        client.get(reverse("meetings:apologies", args=[meeting.pk, police.pk])).status_code == 403
    )

    response = client.post(url, {"substitute": world.substitute_corporation.pk})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.apologies_at and invitation.substitute == world.substitute_corporation

    substitute = verified_client(world.substitute_corporation)
    page = substitute.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert world.case_execution.number in page  # the corporation's item
    assert world.case_investigation.number not in page  # the police's item
    assert "komt in plaats" in page
    # Told of a later change, instead of the one who sent apologies.
    services.meeting_move(
        meeting=meeting,
        date=DAY + dt.timedelta(days=7),
        start_time=dt.time(14, 0),
        location="Elders",
        by=world.coordinator,
    )
    told = set(
        Notification.objects.filter(event="meeting_moved").values_list("recipient_id", flat=True)
    )
    assert world.substitute_corporation.pk in told and world.rep_corporation.pk not in told


def test_a_substitute_who_cannot_see_the_cases_is_refused_in_dutch(world, meeting, verified_client):
    referrer = UserFactory(
        organisation=world.corporation, roles=[Role.REFERRER], first_name="Rita", last_name="Ref"
    )
    invitation = _invitation(meeting, world.rep_corporation)
    client = verified_client(world.rep_corporation)
    url = reverse("meetings:apologies", args=[meeting.pk, invitation.pk])
    offered = client.get(url).content.decode()
    assert "Rita Ref" not in offered  # only those who may prepare are offered
    response = client.post(url, {"substitute": referrer.pk})
    body = response.content.decode()
    assert response.status_code == 400
    assert "De vervanger heeft een rol nodig waarmee hij of zij de casussen kan inzien" in body
    assert 'aria-invalid="true"' in body  # next to the field
    none = client.post(url, {"substitute": ""})
    assert "Dit veld is verplicht." in none.content.decode()
    other = client.post(url, {"substitute": world.rep_police.pk})
    assert other.status_code == 400
    invitation.refresh_from_db()
    assert invitation.apologies_at is None


def test_apologies_of_another_meeting_or_by_outsiders_are_404(world, meeting, verified_client):
    invitation = _invitation(meeting, world.rep_corporation)
    other = services.meeting_plan(
        kind=MeetingKind.CASE,
        network=world.network,
        date=DAY + dt.timedelta(days=28),
        start_time=dt.time(14, 0),
        location="x",
        by=world.coordinator,
    )
    client = verified_client(world.rep_corporation)
    assert (
        client.get(reverse("meetings:apologies", args=[other.pk, invitation.pk])).status_code == 404
    )
    outsider = verified_client(_outsider())
    url = reverse("meetings:apologies", args=[meeting.pk, invitation.pk])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"substitute": world.substitute_corporation.pk}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.apologies_at is None


# --- Attendance and corrections ------------------------------------------------------------


def test_the_coordinator_records_attendance_per_organisation_while_the_minutes_are_draft(
    world, meeting, verified_client
):
    client = verified_client(world.coordinator)
    url = reverse("meetings:attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Woonstichting Test" in page and "Politie Test" in page
    corp, police = f"org-{world.corporation.pk}", f"org-{world.police.pk}"
    wrong = client.post(url, {f"{corp}-present": "on", f"{corp}-user": world.rep_police.pk})
    assert wrong.status_code == 400
    assert "Selecteer een geldige keuze" in wrong.content.decode()
    assert not Attendance.objects.exists()

    response = client.post(url, {f"{corp}-present": "on", f"{corp}-user": world.rep_corporation.pk})
    assert response.status_code == 302
    rows = {a.organisation_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert rows[world.corporation.pk].present and rows[world.corporation.pk].user == (
        world.rep_corporation
    )
    assert not rows[world.police.pk].present
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Politie Test: afwezig" in detail

    services.agenda_publish(meeting=meeting, by=world.coordinator)
    services.minutes_finalise(meeting=meeting, by=world.coordinator)
    final = client.post(url, {f"{police}-present": "on"}, follow=True)
    assert "Het verslag is definitief" in final.content.decode()
    assert not Attendance.objects.get(organisation=world.police).present


def test_corrections_after_final_minutes_are_dated_and_in_the_pdf(world, meeting, verified_client):
    client = verified_client(world.coordinator)
    url = reverse("meetings:addendum_add", args=[meeting.pk])
    draft = client.get(url, follow=True).content.decode()
    assert "Pas het conceptverslag zelf aan; het is nog niet definitief." in draft

    services.agenda_publish(meeting=meeting, by=world.coordinator)
    services.minutes_finalise(meeting=meeting, by=world.coordinator)
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == 400 and "Dit veld is verplicht." in empty.content.decode()
    response = client.post(url, {"text": "Correctie: de politie was wel aanwezig."})
    assert response.status_code == 302
    addendum = MinutesAddendum.objects.get(meeting=meeting)
    assert timezone.localdate(addendum.created_at) == timezone.localdate()

    representative = verified_client(world.rep_corporation)
    page = representative.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Correctie: de politie was wel aanwezig." in page
    assert "Correctie toevoegen" not in page
    assert representative.get(url).status_code == 403

    context = document_context(
        meeting=meeting, kind=DocumentKind.MINUTES, organisation=world.corporation
    )
    text = " ".join(pages_text(html=render_html(context), pdf=render_pdf(context)))
    assert "Correctie: de politie was wel aanwezig." in text
    # Dated as in Utrecht: a correction at 00:30 on 2 March is of 2 March (23:30 UTC the
    # day before), in the PDF as on the page.
    MinutesAddendum.objects.filter(pk=addendum.pk).update(
        created_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    )
    context = document_context(
        meeting=meeting, kind=DocumentKind.MINUTES, organisation=world.corporation
    )
    assert [a["date"] for a in context["addenda"]] == [dt.date(2026, 3, 2)]


# --- Query budget --------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_new_pages_keep_their_query_count(world, meeting, verified_client):
    client = verified_client(world.coordinator)
    invitation = _invitation(meeting, world.rep_corporation)
    urls = [
        reverse("meetings:series_plan"),
        reverse("meetings:move", args=[meeting.pk]),
        reverse("meetings:cancel", args=[meeting.pk]),
        reverse("meetings:attendance", args=[meeting.pk]),
        reverse("meetings:apologies", args=[meeting.pk, invitation.pk]),
        reverse("meetings:detail", args=[meeting.pk]),
    ]
    for url in urls:
        _count(client, url)  # warm
    small = {url: _count(client, url) for url in urls}
    for number in range(6):
        organisation = OrganisationFactory(name=f"Partner {number}")
        for _person in range(2):
            person = UserFactory(organisation=organisation, roles=[Role.PARTNER_REPRESENTATIVE])
            Invitation.objects.create(meeting=meeting, organisation=organisation, user=person)
        services.attendance_record(
            meeting=meeting, organisation=organisation, present=True, by=world.coordinator
        )
        UserFactory(organisation=world.corporation, roles=[Role.PARTNER_REPRESENTATIVE])
    assert {url: _count(client, url) for url in urls} == small
    assert max(small.values()) <= 30, small


# --- Members of the covenant's other meetings ---------------------------------------------


def test_the_coordinator_invites_a_member_who_then_sees_the_meeting_and_no_cases(
    world, verified_client
):
    advisory = services.meeting_plan(
        kind=MeetingKind.ADVISORY,
        date=DAY,
        start_time=dt.time(10, 0),
        location="Stadskantoor",
        by=world.coordinator,
    )
    member = UserFactory(
        first_name="Mila",
        last_name="Lid",
        organisation=OrganisationFactory(name="Het Vierde Huis"),
        roles=[Role.MEETING_MEMBER],
    )
    url = reverse("meetings:member_invite", args=[advisory.pk])
    coordinator = verified_client(world.coordinator)
    assert "Mila Lid (Het Vierde Huis)" in coordinator.get(url).content.decode()
    refused = coordinator.post(url, {"user": "999999"})
    assert refused.status_code == 400
    assert "Selecteer een geldige keuze" in refused.content.decode()
    response = coordinator.post(url, {"user": str(member.pk)})
    assert response.status_code == 302
    assert Invitation.objects.filter(meeting=advisory, user=member).exists()
    # Invited once: the person is no longer offered.
    page = coordinator.get(url).content.decode()
    assert "Mila Lid is uitgenodigd" in page
    assert "Mila Lid (Het Vierde Huis)" not in page

    services.agenda_publish(meeting=advisory, by=world.coordinator)
    client = verified_client(member)
    assert client.get(reverse("meetings:detail", args=[advisory.pk])).status_code == 200
    assert client.get(reverse("cases:list")).status_code in (403, 404)


def test_a_case_meeting_takes_no_members_and_others_may_not_invite(world, meeting, verified_client):
    url = reverse("meetings:member_invite", args=[meeting.pk])
    response = verified_client(world.coordinator).get(url)
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert verified_client(world.rep_corporation).get(url).status_code == 403
    assert verified_client(_outsider()).get(url).status_code == 404


def test_the_named_substitute_is_told_with_a_link_behind_sign_in(
    world, meeting, verified_client, django_capture_on_commit_callbacks
):
    invitation = _invitation(meeting, world.rep_corporation)
    url = reverse("meetings:apologies", args=[meeting.pk, invitation.pk])
    client = verified_client(world.rep_corporation)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"substitute": world.substitute_corporation.pk})
    assert response.status_code == 302
    told = Notification.objects.get(event="substitute_invited")
    assert told.recipient == world.substitute_corporation
    assert told.url == reverse("meetings:detail", args=[meeting.pk])
    assert not Notification.objects.filter(
        event="substitute_invited", recipient=world.rep_corporation
    ).exists()
    with translation.override("nl"):
        text = render(told.event, told.context)
    assert "als vervanger" in text and world.network.name in text and "12 januari 2027" in text
    assert callbacks  # the e-mail goes out once the apologies are committed
    # The link is behind sign-in and opens for the substitute.
    assert verified_client(world.substitute_corporation).get(told.url).status_code == 200


def _yesterdays(world):
    return services.meeting_plan(
        kind=MeetingKind.CASE,
        network=world.network,
        date=timezone.localdate() - dt.timedelta(days=1),
        start_time=dt.time(9, 0),
        location="Stadskantoor",
        by=world.coordinator,
    )


def test_apologies_for_a_held_meeting_are_refused_in_dutch_on_the_form(world, verified_client):
    held = _yesterdays(world)
    invitation = _invitation(held, world.rep_corporation)
    with pytest.raises(ValidationError) as refused:
        services.invitation_send_apologies(
            invitation=invitation, substitute=world.substitute_corporation, by=world.rep_corporation
        )
    assert "al plaatsgevonden" in " ".join(refused.value.messages)

    client = verified_client(world.rep_corporation)
    url = reverse("meetings:apologies", args=[held.pk, invitation.pk])
    detail = client.get(reverse("meetings:detail", args=[held.pk])).content.decode()
    assert url not in detail  # not offered any more
    opened = client.get(url, follow=True)
    assert opened.redirect_chain[-1][0] == reverse("meetings:detail", args=[held.pk])
    assert "al plaatsgevonden" in opened.content.decode()
    # Sent from a page opened before the meeting: the reason on the form, the choice kept.
    response = client.post(url, {"substitute": world.substitute_corporation.pk})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Dit overleg heeft al plaatsgevonden; afmelden kan niet meer." in body
    assert f'value="{world.substitute_corporation.pk}" selected' in body
    invitation.refresh_from_db()
    assert invitation.apologies_at is None and invitation.substitute is None
    assert not Notification.objects.filter(event="substitute_invited").exists()


def test_apologies_for_a_cancelled_meeting_are_refused(world, meeting, verified_client):
    invitation = _invitation(meeting, world.rep_corporation)
    services.meeting_cancel(meeting=meeting, reason="Geen zaal", by=world.coordinator)
    url = reverse("meetings:apologies", args=[meeting.pk, invitation.pk])
    response = verified_client(world.rep_corporation).post(
        url, {"substitute": world.substitute_corporation.pk}
    )
    assert response.status_code == 400
    assert "Dit overleg is afgelast." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.apologies_at is None


def test_only_people_who_take_part_in_meetings_are_offered_as_members_or_substitutes(
    world, verified_client
):
    advisory = services.meeting_plan(
        kind=MeetingKind.ADVISORY,
        date=DAY,
        start_time=dt.time(10, 0),
        location="Stadskantoor",
        by=world.coordinator,
    )
    member = UserFactory(
        first_name="Mila", last_name="Lid", organisation=world.corporation,
        roles=[Role.MEETING_MEMBER],
    )  # fmt: skip
    referrer = UserFactory(
        first_name="Rita", last_name="Ref", organisation=world.corporation, roles=[Role.REFERRER]
    )
    admin = UserFactory(
        first_name="Ad", last_name="Min", organisation=world.corporation,
        roles=[Role.FUNCTIONAL_ADMIN],
    )  # fmt: skip
    coordinator = verified_client(world.coordinator)
    url = reverse("meetings:member_invite", args=[advisory.pk])
    offered = coordinator.get(url).content.decode()
    assert "Mila Lid" in offered
    assert "Rita Ref" not in offered and "Ad Min" not in offered
    assert coordinator.post(url, {"user": str(referrer.pk)}).status_code == 400
    with pytest.raises(ValidationError) as refused:
        services.meeting_member_invite(meeting=advisory, user=admin, by=world.coordinator)
    assert "aan overleggen deelneemt" in " ".join(refused.value.messages)
    assert not Invitation.objects.filter(meeting=advisory, user__in=[referrer, admin]).exists()

    # A member's substitute: a colleague who takes part in meetings, not the referrer.
    invitation = services.meeting_member_invite(
        meeting=advisory, user=world.rep_corporation, by=world.coordinator
    )
    client = verified_client(world.rep_corporation)
    apologies = reverse("meetings:apologies", args=[advisory.pk, invitation.pk])
    page = client.get(apologies).content.decode()
    assert "Mila Lid" in page and "Rita Ref" not in page
    response = client.post(apologies, {"substitute": referrer.pk})
    assert response.status_code == 400
    assert "De vervanger heeft een rol nodig" in response.content.decode()
    assert client.post(apologies, {"substitute": member.pk}).status_code == 302


def test_the_steering_group_and_director_meetings_invite_only_their_organisations(
    world, verified_client
):
    """Covenant §5: the steering group is the municipality, STUW (the corporations) and the
    executing organisation; the director meeting the municipality and the executing one."""
    municipality = OrganisationFactory(name="Gemeente Test", kind=OrganisationKind.MUNICIPALITY)
    director = UserFactory(
        first_name="Dirk", last_name="Teur", organisation=municipality, roles=[Role.MEETING_MEMBER]
    )
    police_member = UserFactory(
        first_name="Paul", last_name="Politie", organisation=world.police,
        roles=[Role.MEETING_MEMBER],
    )  # fmt: skip
    corporation_member = UserFactory(
        first_name="Cor", last_name="Poratie", organisation=world.corporation,
        roles=[Role.MEETING_MEMBER],
    )  # fmt: skip
    coordinator = verified_client(world.coordinator)
    offered = {}
    for kind in (MeetingKind.STEERING, MeetingKind.DIRECTOR, MeetingKind.ADVISORY):
        meeting = services.meeting_plan(
            kind=kind, date=DAY, start_time=dt.time(10, 0), location="Stadhuis",
            by=world.coordinator,
        )  # fmt: skip
        page = coordinator.get(reverse("meetings:member_invite", args=[meeting.pk]))
        offered[kind] = {
            name
            for name in ("Dirk Teur", "Paul Politie", "Cor Poratie")
            if name in page.content.decode()
        }
        if kind == MeetingKind.DIRECTOR:
            with pytest.raises(ValidationError):
                services.meeting_member_invite(
                    meeting=meeting, user=corporation_member, by=world.coordinator
                )
            services.meeting_member_invite(meeting=meeting, user=director, by=world.coordinator)
        if kind == MeetingKind.STEERING:
            refused = coordinator.post(
                reverse("meetings:member_invite", args=[meeting.pk]), {"user": police_member.pk}
            )
            assert refused.status_code == 400
            assert not Invitation.objects.filter(meeting=meeting, user=police_member).exists()
    assert offered == {
        MeetingKind.STEERING: {"Dirk Teur", "Cor Poratie"},
        MeetingKind.DIRECTOR: {"Dirk Teur"},
        MeetingKind.ADVISORY: {"Dirk Teur", "Paul Politie", "Cor Poratie"},
    }
