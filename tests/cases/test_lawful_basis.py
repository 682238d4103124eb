"""Every item a partner shares records its lawful basis (AVG art. 6(1)) and who shared it."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.choices import Confidentiality, JournalKind, LawfulBasis
from cases.models import JournalEntry
from tests.cases.case_setup import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _post(client, world, **data):
    payload = {
        "kind": JournalKind.PARTNER_INFORMATION,
        "occurred_on": timezone.localdate().isoformat(),
        "text": "Informatie van de GGZ.",
        "confidentiality": Confidentiality.ALL_INVOLVED,
        **data,
    }
    return client.post(reverse("cases:journal_add", args=[world.case.pk]), payload)


def test_the_form_proposes_the_public_task(world, verified_client):
    page = verified_client(world.ggz_rep).get(reverse("cases:journal_add", args=[world.case.pk]))
    form = page.context["form"]
    assert form["lawful_basis"].initial == LawfulBasis.PUBLIC_TASK
    assert 'value="public_task" checked' in page.content.decode().replace(
        'value="public_task"\n', 'value="public_task" '
    ) or "checked" in str(form["lawful_basis"])


def test_consent_without_a_date_is_refused_next_to_the_field_and_input_kept(world, verified_client):
    response = _post(
        verified_client(world.ggz_rep), world, lawful_basis=LawfulBasis.CONSENT, consent_date=""
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["consent_date"]
    assert "Informatie van de GGZ." in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_consent_date_in_the_future_is_refused(world, verified_client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(
        verified_client(world.ggz_rep),
        world,
        lawful_basis=LawfulBasis.CONSENT,
        consent_date=tomorrow.isoformat(),
    )
    assert response.status_code == 200
    assert "consent_date" in response.context["form"].errors


def test_consent_with_its_date_is_stored_and_shown_with_the_sharing_organisation(
    world, verified_client
):
    response = _post(
        verified_client(world.ggz_rep),
        world,
        lawful_basis=LawfulBasis.CONSENT,
        consent_date="2026-03-02",
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.lawful_basis == LawfulBasis.CONSENT
    assert entry.consent_date == dt.date(2026, 3, 2)
    assert entry.sharing_organisation == world.ggz
    page = verified_client(world.casemanager).get(
        reverse("cases:journal_entry", args=[world.case.pk, entry.pk])
    )
    body = page.content.decode()
    assert "GGZ Centraal" in body and "6(1)(a)" in body and "2-3-2026" in body


def test_other_bases_drop_a_consent_date(world, verified_client):
    _post(
        verified_client(world.ggz_rep),
        world,
        lawful_basis=LawfulBasis.LEGAL_OBLIGATION,
        consent_date="2026-03-02",
    )
    entry = JournalEntry.objects.get()
    assert entry.lawful_basis == LawfulBasis.LEGAL_OBLIGATION and entry.consent_date is None


def test_the_service_refuses_consent_without_a_date(world):
    with pytest.raises(ValueError):
        services.journal_entry_add(
            case=world.case,
            by=world.ggz_rep,
            kind=JournalKind.NOTE,
            occurred_on=dt.date(2026, 1, 5),
            participants="",
            text="x",
            confidentiality=Confidentiality.ALL_INVOLVED,
            lawful_basis=LawfulBasis.CONSENT,
        )


def test_the_database_refuses_consent_without_a_date(world):
    entry = services.journal_entry_add(
        case=world.case,
        by=world.ggz_rep,
        kind=JournalKind.NOTE,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text="x",
        confidentiality=Confidentiality.ALL_INVOLVED,
    )
    assert entry.lawful_basis == LawfulBasis.PUBLIC_TASK
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(lawful_basis=LawfulBasis.CONSENT)


def test_documents_show_their_basis_on_the_case_page(world, verified_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    services.document_add(
        case=world.case,
        by=world.police_rep,
        title="Proces-verbaal",
        upload=SimpleUploadedFile("pv.pdf", b"%PDF-1.4 test"),
        confidentiality=Confidentiality.ALL_INVOLVED,
        lawful_basis=LawfulBasis.LEGAL_OBLIGATION,
    )
    body = (
        verified_client(world.casemanager)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    assert "6(1)(c)" in body
