"""Every item a partner shares records its real lawful basis from the privacy officer's
catalogue (AVG art. 6, 9, 10; the Wpg; DOMAIN.md §7). A covenant is no legal basis."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from cases import services
from cases.choices import Confidentiality, DataCategory, JournalKind
from cases.models import JournalEntry, LawfulBasis
from tests.cases.case_setup import make_world


@pytest.fixture
def english(client):
    """These tests read the English source messages (the interface is Dutch by default): the
    pages in English through the language switch's cookie, messages built outside a request
    in English too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def basis(code):
    return LawfulBasis.objects.get(code=code)


def _post(client, world, **data):
    payload = {
        "kind": JournalKind.PARTNER_INFORMATION,
        "occurred_on": timezone.localdate().isoformat(),
        "text": "Informatie van de GGZ.",
        "confidentiality": Confidentiality.ALL_INVOLVED,
        "data_category": DataCategory.ORDINARY,
        **data,
    }
    return client.post(reverse("cases:journal_add", args=[world.case.pk]), payload)


def test_the_catalogue_is_seeded_with_what_applies_and_no_covenant():
    references = {b.code: b.reference for b in LawfulBasis.objects.all()}
    assert "6(1)(e)" in references["gemeente-openbare-orde"]
    assert "Gemeentewet" in references["gemeente-openbare-orde"]
    assert "Wmo 2015" in references["gemeente-wmo"]
    assert "6(1)(f)" in references["corporatie-gerechtvaardigd-belang"]
    assert "9(2)" in references["gemeente-wmo-gezondheid"]
    assert "UAVG" in references["gemeente-wmo-gezondheid"]
    assert "art. 10" in references["strafrechtelijke-gegevens"]
    assert "Wpg art. 19 en 20" in references["politie-wpg"]
    assert not any("convenant" in r.lower() for r in references.values())


def test_the_form_offers_only_the_bases_of_the_authors_organisation_kind_and_no_default(
    world, verified_client
):
    page = verified_client(world.ggz_rep).get(reverse("cases:journal_add", args=[world.case.pk]))
    field = page.context["form"].fields["lawful_basis"]
    assert set(field.queryset.values_list("code", flat=True)) == {
        "uitdrukkelijke-toestemming",
        "conflict-van-plichten",
    }
    assert page.context["form"]["lawful_basis"].initial is None
    corporation = verified_client(world.casemanager).get(
        reverse("cases:journal_add", args=[world.case.pk])
    )
    codes = set(
        corporation.context["form"].fields["lawful_basis"].queryset.values_list("code", flat=True)
    )
    assert "gemeente-openbare-orde" in codes and "politie-wpg" not in codes


def test_no_basis_is_refused_next_to_the_field(world, verified_client):
    response = _post(verified_client(world.casemanager), world)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["lawful_basis"]
    assert not JournalEntry.objects.exists()


def test_a_basis_that_does_not_cover_the_kind_of_data_is_refused_with_a_clear_message(
    world, verified_client, english
):
    response = _post(
        verified_client(world.casemanager),
        world,
        data_category=DataCategory.SPECIAL,
        lawful_basis=basis("gemeente-openbare-orde").pk,
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["lawful_basis"]
    assert (
        errors
        == [
            "This basis does not cover special category data, e.g. health (avg art. 9). Choose a "
            "basis that fits the kind of data, or check the kind of data."
        ]
        or "does not cover" in errors[0]
    )
    assert "Informatie van de GGZ." in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_a_basis_of_another_organisation_kind_is_not_accepted(world, verified_client):
    response = _post(
        verified_client(world.ggz_rep), world, lawful_basis=basis("gemeente-openbare-orde").pk
    )
    assert response.status_code == 200
    assert "lawful_basis" in response.context["form"].errors


def test_health_data_with_its_article_9_basis_is_stored(world, verified_client):
    response = _post(
        verified_client(world.casemanager),
        world,
        data_category=DataCategory.SPECIAL,
        lawful_basis=basis("gemeente-wmo-gezondheid").pk,
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.lawful_basis.code == "gemeente-wmo-gezondheid"
    assert entry.data_category == DataCategory.SPECIAL and not entry.basis_to_review


def test_consent_without_a_date_is_refused_next_to_the_field_and_input_kept(world, verified_client):
    response = _post(
        verified_client(world.ggz_rep),
        world,
        lawful_basis=basis("uitdrukkelijke-toestemming").pk,
        consent_date="",
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["consent_date"]
    assert "Informatie van de GGZ." in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_consent_date_in_the_future_is_refused(world, verified_client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(
        verified_client(world.ggz_rep),
        world,
        lawful_basis=basis("uitdrukkelijke-toestemming").pk,
        consent_date=tomorrow.isoformat(),
    )
    assert response.status_code == 200
    assert "consent_date" in response.context["form"].errors


def test_a_conflict_of_duties_needs_its_documented_motivation(world, verified_client):
    client = verified_client(world.ggz_rep)
    response = _post(client, world, lawful_basis=basis("conflict-van-plichten").pk)
    assert list(response.context["form"].errors) == ["basis_motivation"]
    response = _post(
        client,
        world,
        lawful_basis=basis("conflict-van-plichten").pk,
        basis_motivation="Acuut gevaar voor de buren; overleg met de Wkkgz-functionaris.",
    )
    assert response.status_code == 302
    assert JournalEntry.objects.get().basis_motivation.startswith("Acuut gevaar")


def test_consent_with_its_date_is_stored_and_shown_with_the_sharing_organisation(
    world, verified_client
):
    response = _post(
        verified_client(world.ggz_rep),
        world,
        lawful_basis=basis("uitdrukkelijke-toestemming").pk,
        consent_date="2026-03-02",
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.lawful_basis.code == "uitdrukkelijke-toestemming"
    assert entry.consent_date == dt.date(2026, 3, 2)
    assert entry.sharing_organisation == world.ggz
    page = verified_client(world.casemanager).get(
        reverse("cases:journal_entry", args=[world.case.pk, entry.pk])
    )
    body = page.content.decode()
    assert "GGZ Centraal" in body and "9(2)(a)" in body and "2-3-2026" in body


def test_other_bases_drop_a_consent_date(world, verified_client):
    _post(
        verified_client(world.casemanager),
        world,
        lawful_basis=basis("gemeente-openbare-orde").pk,
        consent_date="2026-03-02",
    )
    entry = JournalEntry.objects.get()
    assert entry.lawful_basis.code == "gemeente-openbare-orde" and entry.consent_date is None


def test_a_deactivated_basis_is_no_longer_offered_nor_accepted(world, verified_client):
    LawfulBasis.objects.filter(code="gemeente-openbare-orde").update(is_active=False)
    client = verified_client(world.casemanager)
    page = client.get(reverse("cases:journal_add", args=[world.case.pk]))
    assert (
        not page.context["form"]
        .fields["lawful_basis"]
        .queryset.filter(code="gemeente-openbare-orde")
        .exists()
    )
    assert _post(client, world, lawful_basis=basis("gemeente-openbare-orde").pk).status_code == 200
    with pytest.raises(ValueError):
        _service_entry(world, by=world.casemanager, lawful_basis="gemeente-openbare-orde")


def _service_entry(world, *, by, **kwargs):
    return services.journal_entry_add(
        case=world.case,
        by=by,
        kind=JournalKind.NOTE,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text="x",
        confidentiality=Confidentiality.ALL_INVOLVED,
        **kwargs,
    )


def test_the_service_refuses_consent_without_a_date_and_a_mismatch(world):
    with pytest.raises(ValueError):
        _service_entry(world, by=world.ggz_rep, lawful_basis="uitdrukkelijke-toestemming")
    with pytest.raises(ValueError):
        _service_entry(
            world,
            by=world.police_rep,
            lawful_basis="politie-wpg",
            data_category=DataCategory.ORDINARY,
        )


def test_an_item_without_a_basis_is_marked_for_review_and_the_database_insists(world):
    entry = _service_entry(world, by=world.casemanager)
    assert entry.lawful_basis is None and entry.basis_to_review
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(basis_to_review=False)


def test_the_police_screening_offers_only_police_data_under_the_wpg(verified_client, world):
    from cases.forms.intake import ScreeningRecordForm

    form = ScreeningRecordForm(organisation_kind="police")
    assert list(form.fields["lawful_basis"].queryset.values_list("code", flat=True)) == [
        "politie-wpg"
    ]
    assert "data_category" not in form.fields
    assert form["lawful_basis"].initial == basis("politie-wpg").pk


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
        lawful_basis=basis("politie-wpg"),
        data_category=DataCategory.POLICE,
    )
    body = (
        verified_client(world.casemanager)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    assert "Wpg art. 19 en 20" in body
