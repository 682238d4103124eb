"""Every page that shows personal data appends one read-log row with the right basis;
outsiders get 404 and leave no row (nothing was shown)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import ReadBasis, ReadLogEntry, ReadWhat
from cases import services
from cases.choices import Confidentiality, JournalKind
from tests.cases.case_setup import make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return make_world()


@pytest.mark.parametrize(
    ("who", "basis"),
    [
        ("coordinator", ReadBasis.COORDINATOR),
        ("casemanager", ReadBasis.CASEMANAGER),
        ("police_rep", ReadBasis.INVOLVED_ORGANISATION),
    ],
)
def test_case_page_appends_one_row_with_the_basis(world, verified_client, who, basis):
    user = getattr(world, who)
    client = verified_client(user)
    response = client.get(reverse("cases:detail", args=[world.case.pk]), REMOTE_ADDR="192.0.2.5")
    assert response.status_code == 200
    entry = ReadLogEntry.objects.get()
    assert (entry.user, entry.case, entry.what, entry.basis) == (
        user,
        world.case,
        ReadWhat.CASE_PAGE,
        basis,
    )
    assert entry.person_ids == [world.case.persons.get().pk]
    assert entry.ip_address == "192.0.2.5"
    assert len(entry.session_hash) == 16
    assert entry.organisation_id == user.organisation_id


def test_outsiders_get_404_and_leave_no_row(world, verified_client):
    for who in ("outsider_rep", "other_casemanager", "referrer"):
        client = verified_client(getattr(world, who))
        assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code in (403, 404)
    assert not ReadLogEntry.objects.exists()


def test_journal_entry_and_document_download_are_logged_with_the_item(
    world, verified_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    entry = services.journal_entry_add(
        case=world.case,
        by=world.casemanager,
        kind=JournalKind.HOME_VISIT,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text="Huisbezoek",
        confidentiality=Confidentiality.ALL_INVOLVED,
    )
    document = services.document_add(
        case=world.case,
        by=world.casemanager,
        title="Rapport",
        upload=SimpleUploadedFile("rapport.pdf", PDF),
        confidentiality=Confidentiality.ALL_INVOLVED,
    )
    client = verified_client(world.police_rep)
    assert (
        client.get(reverse("cases:journal_entry", args=[world.case.pk, entry.pk])).status_code
        == 200
    )
    response = client.get(reverse("cases:document_download", args=[world.case.pk, document.pk]))
    assert response.status_code == 200
    rows = list(ReadLogEntry.objects.order_by("pk").values_list("what", "object_id", "basis"))
    assert rows == [
        (ReadWhat.JOURNAL_ENTRY, entry.pk, ReadBasis.INVOLVED_ORGANISATION),
        (ReadWhat.DOCUMENT, document.pk, ReadBasis.INVOLVED_ORGANISATION),
    ]


def test_confidential_item_refused_leaves_no_row(world, verified_client):
    entry = services.journal_entry_add(
        case=world.case,
        by=world.casemanager,
        kind=JournalKind.HOME_VISIT,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text="Alleen team",
        confidentiality=Confidentiality.CASE_TEAM,
    )
    client = verified_client(world.police_rep)
    url = reverse("cases:journal_entry", args=[world.case.pk, entry.pk])
    assert client.get(url).status_code == 404
    assert not ReadLogEntry.objects.exists()


def test_intake_edit_and_screening_pages_are_logged(world, verified_client):
    client = verified_client(world.coordinator)
    assert client.get(reverse("cases:intake", args=[world.case.pk])).status_code == 200
    assert client.get(reverse("cases:edit", args=[world.case.pk])).status_code == 200
    assert client.get(reverse("cases:screening_result", args=[world.case.pk])).status_code == 200
    whats = list(ReadLogEntry.objects.order_by("pk").values_list("what", flat=True))
    assert whats == [ReadWhat.INTAKE, ReadWhat.EDIT_FORM, ReadWhat.SCREENING]


def test_case_page_query_count_includes_the_read_log_insert_once(
    world, verified_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(world.police_rep)
    client.get(reverse("cases:detail", args=[world.case.pk]))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("cases:detail", args=[world.case.pk]))
    inserts = [q for q in queries.captured_queries if "privacy_readlogentry" in q["sql"]]
    assert len(inserts) == 1 and inserts[0]["sql"].startswith("INSERT")


def test_inbox_answer_pages_are_logged_with_the_request_as_basis(world, verified_client):
    from cases.models import Case

    Case.objects.filter(pk=world.case.pk).update(corporation=world.mitros)
    world.case.refresh_from_db()
    consent = services.consent_request(case=world.case, by=world.coordinator)
    screening = services.screening_request(case=world.case, by=world.coordinator)
    corporation = verified_client(world.outsider_rep)  # Mitros: the owning corporation
    assert corporation.get(reverse("cases:consent_answer", args=[consent.pk])).status_code == 200
    police = verified_client(world.police_rep)
    assert police.get(reverse("cases:screening_record", args=[screening.pk])).status_code == 200
    rows = list(
        ReadLogEntry.objects.order_by("pk").values_list("user_id", "what", "object_id", "basis")
    )
    assert rows == [
        (world.outsider_rep.pk, ReadWhat.INTAKE, consent.pk, ReadBasis.CONSENT_CORPORATION),
        (world.police_rep.pk, ReadWhat.SCREENING, screening.pk, ReadBasis.SCREENING_POLICE),
    ]


def test_referral_draft_is_logged_for_its_referrer(world, verified_client):
    referral = services.referral_start(by=world.referrer)
    client = verified_client(world.referrer)
    assert client.get(reverse("cases:referral_edit", args=[referral.pk])).status_code == 200
    entry = ReadLogEntry.objects.get()
    assert (entry.case_id, entry.what, entry.basis) == (
        referral.case_id,
        ReadWhat.REFERRAL,
        ReadBasis.REFERRER,
    )


@pytest.mark.parametrize(
    ("who", "basis"),
    [("coordinator", ReadBasis.COORDINATOR), ("police_rep", ReadBasis.INVOLVED_ORGANISATION)],
)
def test_case_list_appends_a_row_per_case_shown(world, verified_client, who, basis):
    client = verified_client(getattr(world, who))
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    rows = list(ReadLogEntry.objects.filter(what=ReadWhat.CASE_LIST))
    assert [(row.case_id, row.basis) for row in rows] == [(world.case.pk, basis)]


def test_a_search_that_finds_nothing_logs_nothing(world, verified_client):
    client = verified_client(world.coordinator)
    assert client.get(reverse("cases:list"), {"q": "zzzz-no-such-case"}).status_code == 200
    assert not ReadLogEntry.objects.exists()
