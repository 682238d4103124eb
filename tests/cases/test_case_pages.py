"""The case list and the case page: what shows, for whom, and in how many queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus, PersonRole
from cases.models import CaseStatusChange
from deadlines import kinds
from tests.cases.case_setup import make_world
from tests.factories.cases import CaseFactory, PersonFactory
from tests.factories.deadlines import deadline_falling_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_case_page_shows_all_sections_to_the_casemanager(world, verified_client):
    response = verified_client(world.casemanager).get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for anchor in [
        "summary",
        "persons",
        "referrals",
        "involved",
        "journal",
        "documents",
        "history",
    ]:
        assert f'id="{anchor}"' in body
    assert "Smit" in body
    assert "Politie" in body and "GGZ Centraal" in body
    assert "Oudegracht 12" in body


def test_involved_partner_sees_the_case_page(world, verified_client):
    response = verified_client(world.police_rep).get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["outsider_rep", "referrer", "other_casemanager"])
def test_outsiders_get_404_on_the_case_page(world, verified_client, who):
    response = verified_client(getattr(world, who)).get(
        reverse("cases:detail", args=[world.case.pk])
    )
    assert response.status_code == 404


def test_case_list_shows_only_visible_cases(world, verified_client):
    CaseFactory(number="WO-2026-0999", street="Verborgenstraat")
    client = verified_client(world.police_rep)
    body = client.get(reverse("cases:list")).content.decode()
    assert world.case.number in body
    assert "WO-2026-0999" not in body
    # Partners see the street, not the house number; the case team sees both.
    assert "Oudegracht" in body and "Oudegracht 12" not in body
    body = verified_client(world.coordinator).get(reverse("cases:list")).content.decode()
    assert "WO-2026-0999" in body and "Oudegracht 12" in body


def test_referrer_may_not_open_the_case_list(world, verified_client):
    assert verified_client(world.referrer).get(reverse("cases:list")).status_code == 403


def test_case_list_navigation_item_for_partner_representatives(world, verified_client):
    items = verified_client(world.police_rep).get("/").context["nav_items"]
    assert reverse("cases:list") in [item["url"] for item in items]


def test_case_list_filters_and_search(world, verified_client):
    other = CaseFactory(status=CaseStatus.INTAKE, street="Biltstraat", number="WO-2026-0500")
    PersonFactory(case=other, first_name="Fatima", last_name="El Amrani")
    client = verified_client(world.coordinator)
    url = reverse("cases:list")

    def numbers(**params):
        return client.get(url, params).content.decode()

    assert "WO-2026-0500" in numbers(status="intake")
    assert world.case.number not in numbers(status="intake")
    assert "WO-2026-0500" in numbers(q="Fatima El Amrani")
    assert "WO-2026-0500" in numbers(q="amrani")
    assert world.case.number not in numbers(q="amrani")
    assert world.case.number in numbers(q="Oudegracht 12")
    assert world.case.number in numbers(q="smit")
    assert world.case.number in numbers(q=world.case.number)
    assert world.case.number in numbers(network=world.case.network_id)
    assert "WO-2026-0500" not in numbers(network=world.case.network_id)
    assert world.case.number in numbers(casemanager=world.casemanager.pk)
    # One character would match nearly every case: refused next to the field, kept typed.
    body = numbers(q="a")
    assert "Typ minstens 2 tekens om te zoeken." in body and 'value="a"' in body
    assert world.case.number in body and "WO-2026-0500" in body  # the list, unfiltered
    # Hostile filter values are ignored, never an error.
    assert client.get(url, {"status": "<script>", "network": "x", "q": "a\x00b"}).status_code == 200


def test_overdue_intake_is_marked_and_filterable(world, verified_client):
    today = timezone.localdate()
    later = CaseFactory(number="WO-2026-0700")
    deadline_falling_due(today + dt.timedelta(days=10), kind=kinds.INTAKE, case=later)
    deadline_falling_due(today - dt.timedelta(days=1), kind=kinds.INTAKE, case=world.case)
    client = verified_client(world.coordinator)
    body = client.get(reverse("cases:list")).content.decode()
    assert "wo-deadline--overdue" in body
    body = client.get(reverse("cases:list"), {"deadline": "overdue"}).content.decode()
    assert world.case.number in body and "WO-2026-0700" not in body


def test_htmx_filter_returns_only_the_table(world, verified_client):
    client = verified_client(world.coordinator)
    response = client.get(reverse("cases:list"), {"q": "smit"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="case-table"' in body
    assert "<html" not in body


def test_case_list_paginates(world, verified_client):
    CaseFactory.create_batch(30)
    client = verified_client(world.coordinator)
    first = client.get(reverse("cases:list")).content.decode()
    assert 'rel="next"' in first
    assert client.get(reverse("cases:list"), {"page": "2"}).status_code == 200
    assert client.get(reverse("cases:list"), {"page": "999"}).status_code == 200


def _cases_with_persons(count):
    for _ in range(count):
        case = CaseFactory()
        PersonFactory(case=case)
        PersonFactory(case=case, role=PersonRole.NEIGHBOUR)


@pytest.mark.parametrize("count", [1, 50])
def test_case_list_query_budget(world, verified_client, django_assert_max_num_queries, count):
    _cases_with_persons(count)
    client = verified_client(world.coordinator)
    with django_assert_max_num_queries(16):  # 14 today, the same for 1 and 50
        response = client.get(reverse("cases:list"), {"q": "Oudegracht"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_case_page_query_budget(
    world, verified_client, django_assert_max_num_queries, count, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    case = world.case
    for i in range(count):
        services.document_add(
            case=case,
            by=world.ggz_rep,
            title=f"document {i}",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
            confidentiality="named_organisations",
            visible_to=[world.ggz, world.politie],
        )
        PersonFactory(case=case, role=PersonRole.HOUSEHOLD_MEMBER)
        services.journal_entry_add(
            case=case,
            by=world.police_rep,
            kind="contact",
            occurred_on=dt.date(2026, 1, 1),
            participants="",
            text=f"entry {i}",
            confidentiality="named_organisations",
            visible_to=[world.politie, world.ggz],
        )
        CaseStatusChange.objects.create(
            case=case, from_status="referred", to_status="intake", by=world.coordinator
        )
    client = verified_client(world.casemanager)
    # Once before counting: the first request of a process fills Django's content-type cache
    # (one query more or less depending on which test ran before).
    client.get(reverse("cases:detail", args=[case.pk]))
    # The same for 1 and 50 (ended involvements, the header's next deadline and the early
    # signals section added).
    with django_assert_max_num_queries(28):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="wo-journal-entry"') == min(count, 20)  # one page of the journal
    assert body.count("/documenten/") >= count


# --- The case page as a workplace: header, paged journal and history, summaries -------------


def _journal(world, count, start=0):
    for i in range(start, start + count):
        services.journal_entry_add(
            case=world.case,
            by=world.police_rep,
            kind="contact",
            occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            participants="",
            text=f"entry number {i}",
            confidentiality="named_organisations",
            visible_to=[world.politie],
        )


def test_case_page_with_300_journal_entries_renders_one_page_in_the_same_queries(
    world, verified_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(world.casemanager)
    url = reverse("cases:detail", args=[world.case.pk])
    _journal(world, 1)
    client.get(url)  # warm caches (session, permissions) the same way for both counts
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _journal(world, 299, start=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(one)
    body = response.content.decode()
    assert body.count('class="wo-journal-entry"') == 20
    # Latest first: the newest entry leads, the oldest is on the last page.
    assert "entry number 299" in body and "entry number 0<" not in body
    assert body.index("entry number 299") < body.index("entry number 298")
    assert "Journaal (300)" in body
    assert 'href="?journal_page=2#journal"' in body
    # With htmx, "Older" loads the next page's entries under these (the no-JS link stays).
    assert 'data-hx-get="?journal_page=2"' in body
    assert 'data-hx-select="#journal-entries > *"' in body
    assert 'data-hx-target="#journal_page-pages"' in body and 'id="journal_page-pages"' in body


def test_journal_pages_and_odd_page_numbers(world, verified_client):
    _journal(world, 25)
    client = verified_client(world.casemanager)
    url = reverse("cases:detail", args=[world.case.pk])
    second = client.get(url, {"journal_page": "2"}).content.decode()
    assert second.count('class="wo-journal-entry"') == 5
    assert "entry number 0<" in second and 'href="?journal_page=1#journal"' in second
    # A wrong page number gives the nearest page, never an error.
    assert client.get(url, {"journal_page": "99"}).content.decode().count("entry number 0<") == 1
    assert client.get(url, {"journal_page": "abc"}).status_code == 200


def test_status_history_is_paged_latest_first(world, verified_client):
    for i in range(23):
        CaseStatusChange.objects.create(
            case=world.case,
            from_status="referred",
            to_status="intake",
            by=world.coordinator,
            motivation=f"reason {i:02d}",
        )
    client = verified_client(world.casemanager)
    url = reverse("cases:detail", args=[world.case.pk])
    first = client.get(url).content.decode()
    assert "reason 22" in first and "reason 00" not in first
    assert 'href="?history_page=2#history"' in first
    second = client.get(url, {"history_page": "2"}).content.decode()
    assert "reason 00" in second and "reason 22" not in second


def test_case_header_shows_phase_casemanager_next_deadline_and_step(world, verified_client):
    world.case.status = CaseStatus.ACCEPTED
    world.case.save(update_fields=["status"])
    deadline_falling_due(dt.date(2026, 12, 24), kind=kinds.INTAKE, case=world.case)
    body = (
        verified_client(world.casemanager)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    header = body[body.index('class="wo-case-header"') : body.index('id="summary"')]
    assert world.case.number in header
    assert "Aangenomen" in header
    assert world.casemanager.get_full_name() in header
    assert "24-12-2026" in header
    # The next step's button (or a link to its form when it needs a reason).
    step = header[header.index("data-next-step") :]
    assert "utrecht-button" in step[: step.index("</dd>")]


def test_persons_referrals_and_involvements_are_summaries_that_open(world, verified_client):
    world.case.referrals.update(referrer_reference="MIT-0042")
    body = (
        verified_client(world.casemanager)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    persons = body[body.index('id="persons"') : body.index('id="referrals"')]
    assert "<details" in persons and "<summary" in persons and "Smit" in persons
    referrals = body[body.index('id="referrals"') : body.index('id="involved"')]
    assert "<details" in referrals
    # The referrer's own reference, for the case team to quote back to the referrer.
    assert "Kenmerk aanmelder" in referrals
    assert "data-referrer-reference>MIT-0042<" in referrals
    involved = body[body.index('id="involved"') : body.index('id="journal"')]
    assert "<details" in involved and "Politie" in involved
    # Ending an involvement goes to a confirmation page that asks why (not a direct POST).
    end_url = reverse("cases:involvement_end", args=[world.case.pk, world.politie.pk])
    assert f'href="{end_url}"' in involved


# --- At scale (issue 15, docs/scale.md): pages found on ids, deep pages, the search union ---


def test_case_list_pages_are_in_list_order_and_odd_numbers_give_the_nearest_page(
    world, verified_client
):
    first_day = dt.date(2020, 1, 1)
    for i in range(30):  # WO-2026-1000 newest … WO-2026-1029 oldest
        CaseFactory(number=f"WO-2026-{1000 + i}", referred_on=first_day - dt.timedelta(days=i))
    client = verified_client(world.coordinator)
    url = reverse("cases:list")

    def numbers(page):
        body = client.get(url, {"page": page, "q": "WO-2026-10"}).content.decode()
        return [n for n in (f"WO-2026-{1000 + i}" for i in range(30)) if n in body]

    assert numbers("1") == [f"WO-2026-{1000 + i}" for i in range(25)]
    assert numbers("2") == [f"WO-2026-{1000 + i}" for i in range(25, 30)]
    assert numbers("999") == numbers("2")  # past the end: the last page
    assert numbers("abc") == numbers("1")  # not a number: the first
    assert "Pagina 2 van 2" in client.get(url, {"page": "2", "q": "WO-2026-10"}).content.decode()


@pytest.mark.parametrize("page", ["1", "3"])
def test_a_deep_case_list_page_takes_the_same_queries(
    world, verified_client, django_assert_max_num_queries, page
):
    CaseFactory.create_batch(60)
    client = verified_client(world.coordinator)
    with django_assert_max_num_queries(16):  # 15 today: count, the page's ids, its rows
        response = client.get(reverse("cases:list"), {"page": page})
    assert response.content.decode().count('<th scope="row"') == (25 if page == "1" else 11)


def test_search_shows_a_case_once_whatever_matches_and_keeps_visibility(world, verified_client):
    PersonFactory(case=world.case, first_name="Smit", last_name="Smit", role=PersonRole.NEIGHBOUR)
    hidden = CaseFactory(street="Smitstraat")
    client = verified_client(world.coordinator)
    body = client.get(reverse("cases:list"), {"q": "Smit"}).content.decode()
    assert body.count(f">{world.case.number}<") == 1  # two persons and no street: once
    assert hidden.number in body
    # A partner finds only what it may see, whatever the search matches.
    body = verified_client(world.police_rep).get(reverse("cases:list"), {"q": "Smit"})
    assert world.case.number in body.content.decode()
    assert hidden.number not in body.content.decode()
