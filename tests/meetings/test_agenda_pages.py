"""Agenda editing, on-call organisations, the bottleneck log and the covenant's other
meetings (issue 13): the coordinator reorders, drops, adds and edits items without
JavaScript; the case's casemanager asks an on-call organisation, whose representatives then
see that item only; partners signal bottlenecks, the coordinator resolves them or puts them
on an advisory agenda; a meeting member sees their meeting and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import ReadLogEntry, ReadWhat
from meetings import selectors, services
from meetings.choices import BottleneckStatus, ItemSource, MeetingKind
from meetings.models import AgendaItem, Bottleneck, Invitation, Meeting
from partners.choices import Role
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 1, 12)


@pytest.fixture
def meeting(world):
    meeting = services.meeting_plan(
        kind=MeetingKind.CASE,
        network=world.network,
        date=DAY,
        start_time=dt.time(14, 0),
        location="Stadskantoor, zaal 3",
        by=world.coordinator,
    )
    services.agenda_propose(meeting=meeting, by=world.coordinator)
    return meeting


@pytest.fixture
def advisory(world):
    return services.meeting_plan(
        kind=MeetingKind.ADVISORY,
        date=DAY,
        start_time=dt.time(10, 0),
        location="Stadhuis",
        by=world.coordinator,
    )


def _item(meeting, case):
    return AgendaItem.objects.get(meeting=meeting, case=case)


def _order(meeting):
    return selectors.kept_item_ids(meeting=meeting)


def _url(name, meeting, item=None):
    return reverse(f"meetings:{name}", args=[meeting.pk] + ([item.pk] if item else []))


# --- Agenda editing ---------------------------------------------------------------------------


def test_the_coordinator_moves_items_up_and_down_with_plain_buttons(
    world, meeting, verified_client
):
    client = verified_client(world.coordinator)
    first, second, third = _order(meeting)
    page = client.get(_url("agenda_edit", meeting)).content.decode()
    assert "Omhoog" in page and "Omlaag" in page

    response = client.post(
        reverse("meetings:agenda_item_move", args=[meeting.pk, third]), {"direction": "up"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{_url('agenda_edit', meeting)}#item-{third}"
    assert _order(meeting) == [first, third, second]

    client.post(
        reverse("meetings:agenda_item_move", args=[meeting.pk, first]), {"direction": "down"}
    )
    assert _order(meeting) == [third, first, second]
    # The top item cannot go further up; nonsense directions change nothing.
    client.post(reverse("meetings:agenda_item_move", args=[meeting.pk, third]), {"direction": "up"})
    client.post(reverse("meetings:agenda_item_move", args=[meeting.pk, first]), {"direction": "x"})
    assert _order(meeting) == [third, first, second]


def test_a_dropped_proposal_is_listed_as_dropped_and_not_proposed_again(
    world, meeting, verified_client
):
    client = verified_client(world.coordinator)
    item = _item(meeting, world.case_investigation)
    response = client.post(_url("agenda_item_drop", meeting, item))
    assert response.status_code == 302

    page = client.get(_url("agenda_edit", meeting)).content.decode()
    dropped = page[page.index('id="dropped"') :]
    assert world.case_investigation.number in dropped
    assert "geschrapt" in dropped
    assert item.pk not in _order(meeting)
    detail = client.get(_url("detail", meeting)).content.decode()
    assert world.case_investigation.number not in detail
    services.agenda_propose(meeting=meeting, by=world.coordinator)
    assert item.pk not in _order(meeting)
    # A dropped item cannot be edited or moved any more.
    assert client.post(_url("agenda_item_drop", meeting, item)).status_code == 404


def test_the_coordinator_adds_a_general_item_and_an_empty_title_is_refused_in_dutch(
    world, meeting, verified_client
):
    client = verified_client(world.coordinator)
    refused = client.post(
        _url("agenda_item_add", meeting),
        {"add-title": "", "add-question": "Hoe loopt de samenwerking met de wijkteams?"},
    )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Dit veld is verplicht." in body
    assert "Hoe loopt de samenwerking met de wijkteams?" in body
    assert not AgendaItem.objects.filter(meeting=meeting, source=ItemSource.GENERAL).exists()

    response = client.post(
        _url("agenda_item_add", meeting),
        {"add-title": "Rondvraag", "add-question": "Wat verder ter tafel komt."},
    )
    item = AgendaItem.objects.get(meeting=meeting, source=ItemSource.GENERAL)
    assert response.status_code == 302
    assert (item.title, item.question, item.case) == (
        "Rondvraag",
        "Wat verder ter tafel komt.",
        None,
    )
    assert _order(meeting)[-1] == item.pk


def test_the_coordinator_edits_an_items_question_and_a_general_items_title(
    world, meeting, verified_client
):
    client = verified_client(world.coordinator)
    item = _item(meeting, world.case_execution)
    prefix = f"edit-{item.pk}"
    response = client.post(
        _url("agenda_item_edit", meeting, item),
        {f"{prefix}-question": "Kan de casus naar nazorg?", f"{prefix}-title": "Genegeerd"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.question == "Kan de casus naar nazorg?"
    assert item.title == ""  # a case item is named by its case

    general = services.agenda_item_add(meeting=meeting, title="Rondvraag", by=world.coordinator)
    prefix = f"edit-{general.pk}"
    refused = client.post(
        _url("agenda_item_edit", meeting, general),
        {f"{prefix}-title": "", f"{prefix}-question": "Nieuwe vraag aan het overleg"},
    )
    assert refused.status_code == 200
    assert "Dit veld is verplicht." in refused.content.decode()
    assert "Nieuwe vraag aan het overleg" in refused.content.decode()
    general.refresh_from_db()
    assert general.title == "Rondvraag" and general.question == ""


def test_the_agenda_no_longer_changes_once_the_minutes_are_final(world, meeting, verified_client):
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    services.minutes_finalise(meeting=meeting, by=world.coordinator)
    client = verified_client(world.coordinator)
    before = _order(meeting)
    item = _item(meeting, world.case_execution)

    page = client.get(_url("agenda_edit", meeting)).content.decode()
    assert "kan niet meer worden gewijzigd" in page
    assert "Omhoog" not in page
    response = client.post(_url("agenda_item_drop", meeting, item), follow=True)
    assert "Het verslag is definitief" in response.content.decode()
    client.post(_url("agenda_item_move", meeting, item), {"direction": "up"})
    client.post(_url("agenda_item_add", meeting), {"add-title": "Te laat"})
    assert _order(meeting) == before
    assert not AgendaItem.objects.filter(meeting=meeting, title="Te laat").exists()


def test_only_the_coordinator_edits_the_agenda_and_outsiders_get_404(
    world, meeting, verified_client
):
    item = _item(meeting, world.case_execution)
    steps = [
        ("agenda_edit", None, "get"),
        ("agenda_item_add", None, "post"),
        ("agenda_bottlenecks", None, "post"),
        ("agenda_item_edit", item, "post"),
        ("agenda_item_move", item, "post"),
        ("agenda_item_drop", item, "post"),
    ]
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    outsider = UserFactory(
        organisation=OrganisationFactory(name="Elders"), roles=[Role.PARTNER_REPRESENTATIVE]
    )
    for user, expected in (
        (world.rep_corporation, 403),
        (world.casemanager, 403),
        (outsider, 404),
    ):
        client = verified_client(user)
        for name, target, method in steps:
            response = getattr(client, method)(_url(name, meeting, target), {"direction": "up"})
            assert response.status_code == expected, (user, name)
    # The police are not involved in this case: its item does not exist for them.
    police = verified_client(world.rep_police)
    assert police.post(_url("agenda_item_drop", meeting, item)).status_code == 404
    item.refresh_from_db()
    assert item.dropped_at is None
    assert not ReadLogEntry.objects.filter(user__in=[outsider, world.rep_police]).exists()


# --- On-call organisations ----------------------------------------------------------------------


def test_the_casemanager_asks_an_on_call_organisation_which_then_sees_that_item_only(
    world, meeting, verified_client
):
    item = _item(meeting, world.case_investigation)
    client = verified_client(world.casemanager)
    detail = client.get(_url("detail", meeting)).content.decode()
    assert _url("item_call", meeting, item) in detail

    response = client.post(_url("item_call", meeting, item), {"organisation": world.on_call.pk})
    assert response.status_code == 302
    invitation = Invitation.objects.get(agenda_item=item)
    assert invitation.user == world.on_call_rep
    page = client.get(_url("item_call", meeting, item)).content.decode()
    assert world.on_call.name in page

    services.agenda_publish(meeting=meeting, by=world.coordinator)
    on_call = verified_client(world.on_call_rep)
    page = on_call.get(_url("detail", meeting)).content.decode()
    assert world.case_investigation.number in page
    assert world.case_execution.number not in page
    assert world.case_intake.number not in page
    assert (
        on_call.get(_url("item_call", meeting, _item(meeting, world.case_execution))).status_code
        == 404
    )
    logged = set(
        ReadLogEntry.objects.filter(user=world.on_call_rep, what=ReadWhat.MEETING).values_list(
            "case_id", flat=True
        )
    )
    assert logged == {world.case_investigation.pk}


def test_only_the_coordinator_or_the_cases_casemanager_asks_an_on_call_organisation(
    world, meeting, verified_client
):
    item = _item(meeting, world.case_investigation)
    other_casemanager = UserFactory(
        organisation=world.coordinator.organisation, roles=[Role.CASEMANAGER]
    )
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    for user in (other_casemanager, world.rep_police):
        client = verified_client(user)
        assert client.get(_url("item_call", meeting, item)).status_code == 403
        data = {"organisation": world.on_call.pk}
        assert client.post(_url("item_call", meeting, item), data).status_code == 403
    assert not Invitation.objects.filter(agenda_item=item).exists()
    # Not on call: refused in Dutch next to the field.
    coordinator = verified_client(world.coordinator)
    refused = coordinator.post(
        _url("item_call", meeting, item), {"organisation": world.corporation.pk}
    )
    assert refused.status_code == 200
    assert "Selecteer een geldige keuze" in refused.content.decode()
    assert not Invitation.objects.filter(agenda_item=item).exists()


# --- Bottlenecks ------------------------------------------------------------------------------------


def test_a_representative_signals_a_bottleneck_and_sees_only_their_organisations(
    world, verified_client
):
    other = services.bottleneck_signal(
        title="Wachtlijst GGZ", description="Te lang wachten.", by=world.rep_police
    )
    client = verified_client(world.rep_corporation)
    refused = client.post(
        reverse("meetings:bottlenecks"),
        {"signal-title": "", "signal-description": "Geen plek in de nachtopvang."},
    )
    assert refused.status_code == 200
    assert "Dit veld is verplicht." in refused.content.decode()
    assert "Geen plek in de nachtopvang." in refused.content.decode()

    response = client.post(
        reverse("meetings:bottlenecks"),
        {"signal-title": "Nachtopvang vol", "signal-description": "Geen plek in de nachtopvang."},
    )
    assert response.status_code == 302
    ours = Bottleneck.objects.get(title="Nachtopvang vol")
    assert ours.organisation == world.corporation and ours.signalled_by == world.rep_corporation
    page = client.get(reverse("meetings:bottlenecks")).content.decode()
    assert "Nachtopvang vol" in page and other.title not in page
    assert "Knelpunten" in page  # in the navigation
    # Another organisation's bottleneck does not exist for them; resolving is the coordinator's.
    assert client.post(reverse("meetings:bottleneck_resolve", args=[other.pk])).status_code == 404
    assert client.post(reverse("meetings:bottleneck_resolve", args=[ours.pk])).status_code == 403
    referrer = UserFactory(organisation=world.corporation, roles=[Role.REFERRER])
    assert verified_client(referrer).get(reverse("meetings:bottlenecks")).status_code == 404


def test_the_coordinator_resolves_a_bottleneck_with_a_resolution(world, verified_client):
    bottleneck = services.bottleneck_signal(
        title="Wachtlijst GGZ", description="Te lang wachten.", by=world.rep_police
    )
    client = verified_client(world.coordinator)
    url = reverse("meetings:bottleneck_resolve", args=[bottleneck.pk])
    prefix = f"resolve-{bottleneck.pk}"
    refused = client.post(url, {f"{prefix}-resolution": ""})
    assert refused.status_code == 200
    assert "Dit veld is verplicht." in refused.content.decode()
    bottleneck.refresh_from_db()
    assert bottleneck.status == BottleneckStatus.OPEN

    assert client.post(url, {f"{prefix}-resolution": "Extra plekken ingekocht."}).status_code == 302
    bottleneck.refresh_from_db()
    assert bottleneck.status == BottleneckStatus.RESOLVED
    assert bottleneck.resolution == "Extra plekken ingekocht."
    # Resolving twice is refused with a message, the first resolution stays.
    again = client.post(url, {f"{prefix}-resolution": "Anders."}, follow=True)
    assert "al opgelost" in again.content.decode()
    bottleneck.refresh_from_db()
    assert bottleneck.resolution == "Extra plekken ingekocht."
    police = verified_client(world.rep_police).get(reverse("meetings:bottlenecks"))
    assert "Extra plekken ingekocht." in police.content.decode()


def test_the_coordinator_puts_open_bottlenecks_on_an_advisory_agenda(
    world, meeting, advisory, verified_client
):
    services.bottleneck_signal(title="Nachtopvang vol", description="x", by=world.rep_corporation)
    client = verified_client(world.coordinator)
    page = client.get(reverse("meetings:bottlenecks")).content.decode()
    assert _url("agenda_bottlenecks", advisory) in page

    response = client.post(_url("agenda_bottlenecks", advisory))
    assert response.status_code == 302
    assert response["Location"] == _url("agenda_edit", advisory)
    item = AgendaItem.objects.get(meeting=advisory, source=ItemSource.BOTTLENECK)
    assert item.title == "Nachtopvang vol" and _order(advisory)[-1] == item.pk
    client.post(_url("agenda_bottlenecks", advisory))  # each bottleneck once
    assert AgendaItem.objects.filter(meeting=advisory, source=ItemSource.BOTTLENECK).count() == 1
    log = client.get(reverse("meetings:bottlenecks")).content.decode()
    assert "Op de agenda van" in log

    refused = client.post(_url("agenda_bottlenecks", meeting), follow=True)
    assert "van de adviesgroep en de stuurgroep nemen knelpunten op" in refused.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting, source=ItemSource.BOTTLENECK).exists()


# --- The covenant's other meetings ---------------------------------------------------------------


def test_an_advisory_meeting_is_planned_with_its_standing_topics_and_no_case_data(
    world, verified_client
):
    client = verified_client(world.coordinator)
    response = client.post(
        reverse("meetings:plan"),
        {
            "kind": MeetingKind.ADVISORY,
            "date": "2027-03-09",
            "start_time": "10:00",
            "location": "Stadhuis",
        },
    )
    advisory = Meeting.objects.get(kind=MeetingKind.ADVISORY)
    assert response.status_code == 302
    titles = list(
        AgendaItem.objects.filter(meeting=advisory)
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert titles[0] == "Structurele problemen in de samenwerking"
    assert all(item.case_id is None for item in AgendaItem.objects.filter(meeting=advisory))
    page = client.get(_url("detail", advisory)).content.decode()
    assert "Structurele problemen in de samenwerking" in page
    assert "Punten voorstellen uit de casussen" not in page
    assert world.case_execution.number not in page
    edit = client.get(_url("agenda_edit", advisory)).content.decode()
    assert "Open knelpunten op de agenda zetten" in edit
    assert "/oproepen/" not in edit


def test_a_meeting_member_sees_their_meeting_and_nothing_else(
    world, meeting, advisory, verified_client
):
    director = UserFactory(
        organisation=OrganisationFactory(name="Gemeente Utrecht – Directie"),
        roles=[Role.MEETING_MEMBER],
    )
    services.meeting_member_invite(meeting=advisory, user=director, by=world.coordinator)
    other = services.meeting_plan(
        kind=MeetingKind.STEERING,
        date=DAY,
        start_time=dt.time(15, 0),
        location="Stadhuis",
        by=world.coordinator,
    )
    services.agenda_publish(meeting=meeting, by=world.coordinator)
    client = verified_client(director)

    listed = client.get(reverse("meetings:list")).context["upcoming"]
    assert [m.pk for m in listed] == [advisory.pk]
    assert "nog niet gepubliceerd" in client.get(_url("detail", advisory)).content.decode()
    services.agenda_publish(meeting=advisory, by=world.coordinator)
    page = client.get(_url("detail", advisory)).content.decode()
    assert "Structurele problemen in de samenwerking" in page

    topic = AgendaItem.objects.filter(meeting=advisory).order_by("position").first()
    services.minutes_item_record(
        item=topic, summary="Samenwerking verloopt goed.", by=world.coordinator
    )
    services.minutes_finalise(meeting=advisory, by=world.coordinator)
    assert "Samenwerking verloopt goed." in client.get(_url("detail", advisory)).content.decode()

    assert client.get(_url("detail", meeting)).status_code == 404
    assert client.get(_url("detail", other)).status_code == 404
    assert (
        client.get(_url("item_call", meeting, _item(meeting, world.case_execution))).status_code
        == 404
    )
    assert client.get(_url("agenda_edit", advisory)).status_code == 403
    assert client.get(reverse("cases:list")).status_code in (403, 404)
    assert not ReadLogEntry.objects.filter(user=director).exclude(case=None).exists()


# --- Query budgets ---------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_agenda_and_bottleneck_pages_keep_their_query_count(
    world, meeting, advisory, verified_client
):
    client = verified_client(world.coordinator)
    item = _item(meeting, world.case_investigation)
    # One of each: a kept and a dropped item, an open and a resolved bottleneck.
    services.bottleneck_signal(title="Eerste", description="x", by=world.rep_police)
    first = services.bottleneck_signal(title="Opgelost", description="x", by=world.rep_police)
    services.bottleneck_resolve(bottleneck=first, resolution="Klaar.", by=world.coordinator)
    services.agenda_item_drop(item=_item(meeting, world.case_intake), by=world.coordinator)
    urls = [
        _url("agenda_edit", meeting),
        _url("item_call", meeting, item),
        reverse("meetings:bottlenecks"),
    ]
    for url in urls:
        _count(client, url)  # warm: the session, content types
    small = [_count(client, url) for url in urls]

    for number in range(8):
        services.agenda_item_add(meeting=meeting, title=f"Punt {number}", by=world.coordinator)
        dropped = services.agenda_item_add(
            meeting=meeting, title=f"Weg {number}", by=world.coordinator
        )
        services.agenda_item_drop(item=dropped, by=world.coordinator)
        done = services.bottleneck_signal(
            title=f"Knelpunt {number}", description="x", by=world.rep_police
        )
        services.bottleneck_signal(
            title=f"Open {number}", description="x", by=world.rep_corporation
        )
        services.bottleneck_resolve(bottleneck=done, resolution="Opgelost.", by=world.coordinator)
    services.agenda_item_call_organisation(
        item=item, organisation=world.on_call, by=world.coordinator
    )
    services.agenda_propose_bottlenecks(meeting=advisory, by=world.coordinator)

    assert [_count(client, url) for url in urls] == small
    assert max(small) <= 25, small


def test_an_advisory_meeting_links_to_the_years_figures_up_to_its_date(world, verified_client):
    advisory = services.meeting_plan(
        kind=MeetingKind.ADVISORY,
        date=dt.date(2027, 3, 9),
        start_time=dt.time(10, 0),
        location="Stadhuis",
        by=world.coordinator,
    )
    client = verified_client(world.coordinator)
    page = client.get(reverse("meetings:detail", args=[advisory.pk])).content.decode()
    link = f"{reverse('figures:report')}?van=2027-01-01&amp;tot=2027-03-09"
    assert link in page
    report = client.get(f"{reverse('figures:report')}?van=2027-01-01&tot=2027-03-09")
    assert report.status_code == 200
