"""Every case URL of the case page: 404 for a representative of an uninvolved organisation
(existence does not leak), and who may act on involvement and steps."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import access, services
from cases.choices import CaseStatus, JournalKind
from cases.models import CaseInvolvement, CaseStatusChange
from tests.cases.case_setup import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return make_world()


def _case_urls(world):
    case = world.case
    entry = services.journal_entry_add(
        case=case,
        by=world.casemanager,
        kind=JournalKind.NOTE,
        occurred_on=dt.date(2026, 1, 1),
        participants="",
        text="open",
        confidentiality="all_involved",
    )
    document = services.document_add(
        case=case,
        by=world.casemanager,
        title="open",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
        confidentiality="all_involved",
    )
    return [
        ("get", reverse("cases:detail", args=[case.pk])),
        ("post", reverse("cases:transition", args=[case.pk])),
        ("get", reverse("cases:edit", args=[case.pk])),
        ("post", reverse("cases:edit", args=[case.pk])),
        ("get", reverse("cases:involvement_add", args=[case.pk])),
        ("post", reverse("cases:involvement_add", args=[case.pk])),
        ("post", reverse("cases:involvement_end", args=[case.pk, world.politie.pk])),
        ("get", reverse("cases:journal_add", args=[case.pk])),
        ("post", reverse("cases:journal_add", args=[case.pk])),
        ("get", reverse("cases:journal_entry", args=[case.pk, entry.pk])),
        ("get", reverse("cases:document_upload", args=[case.pk])),
        ("post", reverse("cases:document_upload", args=[case.pk])),
        ("get", reverse("cases:document_download", args=[case.pk, document.pk])),
    ]


@pytest.mark.parametrize("who", ["outsider_rep", "referrer", "other_casemanager"])
def test_uninvolved_users_get_404_on_every_case_url(world, verified_client, who):
    client = verified_client(getattr(world, who))
    for method, url in _case_urls(world):
        response = getattr(client, method)(url, {"to": "intake", "organisation": 1})
        assert response.status_code == 404, (method, url)
    assert CaseInvolvement.objects.filter(case=world.case, is_active=True).count() == 2


def test_case_urls_need_sign_in(world, client):
    for method, url in _case_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_casemanager_involves_an_organisation_and_its_partner_sees_the_case_at_once(
    world, verified_client
):
    detail = reverse("cases:detail", args=[world.case.pk])
    outsider = verified_client(world.outsider_rep)
    assert outsider.get(detail).status_code == 404
    manager = verified_client(world.casemanager)
    response = manager.post(
        reverse("cases:involvement_add", args=[world.case.pk]), {"organisation": world.mitros.pk}
    )
    assert response.status_code == 302
    assert access.visible_cases(world.outsider_rep).filter(pk=world.case.pk).exists()
    assert verified_client(world.outsider_rep).get(detail).status_code == 200
    manager = verified_client(world.casemanager)  # one test client: sign the manager in again
    response = manager.post(
        reverse("cases:involvement_end", args=[world.case.pk, world.mitros.pk]),
        {"reason": "Niet meer nodig.", "confirm": "on"},
    )
    assert response.status_code == 302
    assert not access.visible_cases(world.outsider_rep).filter(pk=world.case.pk).exists()


def test_partner_may_not_change_involvement(world, verified_client):
    client = verified_client(world.police_rep)
    url = reverse("cases:involvement_add", args=[world.case.pk])
    assert client.post(url, {"organisation": world.mitros.pk}).status_code == 403
    end = reverse("cases:involvement_end", args=[world.case.pk, world.ggz.pk])
    assert client.post(end).status_code == 403
    assert CaseInvolvement.objects.filter(case=world.case, is_active=True).count() == 2


def test_involving_an_already_involved_or_unknown_organisation_is_a_form_error(
    world, verified_client
):
    client = verified_client(world.coordinator)
    url = reverse("cases:involvement_add", args=[world.case.pk])
    for value in (world.politie.pk, 999999, "x", ""):
        assert client.post(url, {"organisation": value}).status_code == 200
    assert CaseInvolvement.objects.filter(case=world.case).count() == 2


def test_transition_button_moves_the_case_and_records_who_and_why(world, verified_client):
    client = verified_client(world.coordinator)
    detail = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert 'value="intake"' in detail
    response = client.post(
        reverse("cases:transition", args=[world.case.pk]),
        {"to": "intake", "motivation": "Binnen termijn"},
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.INTAKE
    change = CaseStatusChange.objects.get(case=world.case)
    assert (change.by, change.motivation) == (world.coordinator, "Binnen termijn")
    history = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "Binnen termijn" in history


def test_refused_transition_shows_its_reasons(world, verified_client):
    world.case.status = CaseStatus.INTAKE
    world.case.save()
    client = verified_client(world.coordinator)
    response = client.post(reverse("cases:transition", args=[world.case.pk]), {"to": "accepted"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert response.context["refusal"]
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.INTAKE


@pytest.mark.parametrize("target", ["redirected", "attached", "closed", "nonsense", ""])
def test_steps_not_offered_here_are_refused(world, verified_client, target):
    client = verified_client(world.coordinator)
    response = client.post(reverse("cases:transition", args=[world.case.pk]), {"to": target})
    assert response.status_code == 200
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.REFERRED


def test_partner_cannot_take_a_step(world, verified_client):
    client = verified_client(world.police_rep)
    response = client.post(reverse("cases:transition", args=[world.case.pk]), {"to": "intake"})
    assert response.status_code == 200
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.REFERRED


def test_sees_case_names_the_same_cases_as_visible_cases_for_every_role(world):
    """`sees_case` (the condition big tables filter on, by case id) and `visible_cases` (the
    case list's query) are two spellings of one rule: for every role, over cases in every
    listing state, they pick the same rows."""
    from cases.models import Case
    from deadlines.models import Deadline
    from tests.factories.cases import CaseFactory

    others = [
        CaseFactory(status=CaseStatus.DRAFT, casemanager=world.casemanager),
        CaseFactory(status=CaseStatus.ATTACHED, casemanager=world.casemanager),
        CaseFactory(status=CaseStatus.EXECUTION, casemanager=world.other_casemanager),
        CaseFactory(status=CaseStatus.CLOSED, casemanager=world.casemanager),
    ]
    for case in [world.case, *others]:
        services.involvement_add(case=case, organisation=world.politie, by=world.coordinator)
        Deadline.objects.create(
            kind="intake",
            case=case,
            started_on=dt.date(2026, 1, 1),
            due_on=dt.date(2026, 1, 8),
            soon_on=dt.date(2026, 1, 6),
            due_at=dt.datetime(2026, 1, 8, 23, 59, tzinfo=dt.UTC),
        )
    users = [
        world.coordinator,
        world.casemanager,
        world.other_casemanager,
        world.police_rep,
        world.ggz_rep,
        world.outsider_rep,
        world.referrer,
    ]
    for user in users:
        by_case_list = set(
            Case.objects.filter(pk__in=access.visible_cases(user)).values_list("pk", flat=True)
        )
        assert (
            set(Deadline.objects.filter(access.sees_case(user)).values_list("case_id", flat=True))
            == by_case_list
        ), user
        assert (
            set(
                Case.objects.filter(access.sees_case(user, through="pk")).values_list(
                    "pk", flat=True
                )
            )
            == by_case_list
        ), user
    # Each role's share, so that both spellings going empty together would fail too.
    listed = {world.case.pk, others[2].pk, others[3].pk}  # not the draft, not the attached
    seen = {u: set(access.visible_cases(u).values_list("pk", flat=True)) for u in users}
    assert seen[world.coordinator] == listed
    assert seen[world.casemanager] == {world.case.pk, others[3].pk}
    assert seen[world.other_casemanager] == {others[2].pk}
    assert seen[world.police_rep] == listed  # the police is involved in all of them
    assert seen[world.outsider_rep] == seen[world.referrer] == set()
