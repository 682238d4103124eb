"""Hostile input on every form of the case page: never a 500, never data for a refused id."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cases.choices import CaseStatus
from cases.models import CaseInvolvement, CaseStatusChange, Document, JournalEntry
from tests.cases.case_setup import make_world
from tests.factories.partners import OrganisationFactory
from tests.hostile import FUZZ, dates, hostile_text, ids

pytestmark = pytest.mark.django_db

confidentiality = st.one_of(
    st.sampled_from(["all_involved", "case_team", "named_organisations"]), hostile_text
)


@pytest.fixture
def world(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.DOCUMENT_MAX_BYTES = 2000
    return make_world()


def _refused_ids(world):
    """Organisations that may never be named on this case: not involved, or inactive."""
    inactive = OrganisationFactory(name="Opgeheven", is_active=False)
    return [world.mitros.pk, inactive.pk]


def _assert_nothing_for_refused(world, refused):
    for model in (JournalEntry, Document):
        assert not model.visible_to.through.objects.filter(organisation_id__in=refused).exists()
    assert not CaseInvolvement.objects.filter(organisation_id__in=refused[1:]).exists()


@FUZZ
@given(
    kind=st.one_of(st.sampled_from(["contact", "home_visit"]), hostile_text),
    occurred_on=dates,
    participants=hostile_text,
    text=hostile_text,
    confidentiality=confidentiality,
    visible_to=st.lists(st.one_of(ids, st.sampled_from(["REFUSED0", "REFUSED1"])), max_size=3),
    lawful_basis=st.one_of(st.sampled_from(["POLICE", "OTHER", "public_task"]), hostile_text),
    data_category=st.one_of(st.sampled_from(["ordinary", "police", "special"]), hostile_text),
    consent_date=dates,
)
def test_journal_form_survives_hostile_input(
    world,
    verified_client,
    kind,
    occurred_on,
    participants,
    text,
    confidentiality,
    visible_to,
    lawful_basis,
    data_category,
    consent_date,
):
    from cases.models import LawfulBasis

    bases = {
        "POLICE": LawfulBasis.objects.get(code="politie-wpg").pk,
        "OTHER": LawfulBasis.objects.get(code="gemeente-openbare-orde").pk,  # not the police's
    }
    lawful_basis = bases.get(lawful_basis, lawful_basis)
    refused = getattr(world, "_refused", None) or _refused_ids(world)
    world._refused = refused
    visible_to = [refused[int(v[-1])] if v in ("REFUSED0", "REFUSED1") else v for v in visible_to]
    client = verified_client(world.police_rep)
    response = client.post(
        reverse("cases:journal_add", args=[world.case.pk]),
        {
            "kind": kind,
            "occurred_on": occurred_on,
            "participants": participants,
            "text": text,
            "confidentiality": confidentiality,
            "visible_to": visible_to,
            "lawful_basis": lawful_basis,
            "data_category": data_category,
            "consent_date": consent_date,
        },
    )
    assert response.status_code in (200, 302)
    _assert_nothing_for_refused(world, refused)
    for entry in JournalEntry.objects.all():
        assert "\x00" not in entry.text + entry.participants
        # Only the police's own basis, and only for police data, ever gets stored.
        assert entry.lawful_basis.code == "politie-wpg" and entry.data_category == "police"


@FUZZ
@given(
    title=hostile_text,
    name=hostile_text,
    content=st.one_of(
        st.binary(max_size=3000),
        st.sampled_from([b"%PDF-1.4 ok", b"\x89PNG\r\n\x1a\nrest", b"<html>", b""]),
    ),
    confidentiality=confidentiality,
    visible_to=st.lists(st.one_of(ids, st.sampled_from(["REFUSED0", "REFUSED1"])), max_size=3),
)
def test_document_form_survives_hostile_input(
    world, verified_client, title, name, content, confidentiality, visible_to
):
    from cases.models import LawfulBasis

    refused = getattr(world, "_refused", None) or _refused_ids(world)
    world._refused = refused
    visible_to = [refused[int(v[-1])] if v in ("REFUSED0", "REFUSED1") else v for v in visible_to]
    client = verified_client(world.casemanager)
    data = {
        "title": title,
        "confidentiality": confidentiality,
        "visible_to": visible_to,
        "lawful_basis": LawfulBasis.objects.get(code="gemeente-openbare-orde").pk,
        "data_category": "ordinary",
    }
    safe_name = name.replace("\x00", "").rsplit("/", 1)[-1][:200]
    if safe_name in {"", ".", ".."}:  # Django refuses these as upload names
        safe_name = "f"
    data["file"] = SimpleUploadedFile(safe_name, content)
    response = client.post(reverse("cases:document_upload", args=[world.case.pk]), data)
    assert response.status_code in (200, 302)
    _assert_nothing_for_refused(world, refused)
    for document in Document.objects.all():
        assert document.content_type in {
            "application/pdf",
            "image/png",
            "image/jpeg",
        } or document.content_type.startswith("application/vnd")
        assert "\x00" not in document.original_name + document.title


@FUZZ
@given(organisation=st.one_of(ids, st.sampled_from(["REFUSED1"])))
def test_involvement_form_survives_hostile_input(world, verified_client, organisation):
    refused = getattr(world, "_refused", None) or _refused_ids(world)
    world._refused = refused
    if organisation == "REFUSED1":
        organisation = refused[1]
    client = verified_client(world.coordinator)
    response = client.post(
        reverse("cases:involvement_add", args=[world.case.pk]), {"organisation": organisation}
    )
    assert response.status_code in (200, 302)
    _assert_nothing_for_refused(world, refused)
    end = client.post(reverse("cases:involvement_end", args=[world.case.pk, refused[1]]))
    assert end.status_code == 403


@FUZZ
@given(to=st.one_of(st.sampled_from(CaseStatus.values), hostile_text), motivation=hostile_text)
def test_transition_form_survives_hostile_input(world, verified_client, to, motivation):
    client = verified_client(world.police_rep)  # may see the case, may take no step
    response = client.post(
        reverse("cases:transition", args=[world.case.pk]), {"to": to, "motivation": motivation}
    )
    assert response.status_code == 200
    assert not CaseStatusChange.objects.exists()
