"""'Break the glass': off by default; when on, a motivated grant opens the case for reading,
every read is logged with basis "emergency" and the motivation, and it expires."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import ReadBasis, ReadLogEntry
from cases.models import EmergencyAccess
from tests.cases.case_setup import make_world

pytestmark = pytest.mark.django_db

MOTIVATION = "Melding van acuut brandgevaar in de woning, wijkagent ter plaatse"


@pytest.fixture
def world():
    return make_world()


def test_switched_off_by_default_the_page_is_404(world, verified_client):
    client = verified_client(world.outsider_rep)
    assert client.get(reverse("privacy_audit:emergency")).status_code == 404
    response = client.post(
        reverse("privacy_audit:emergency"),
        {"number": world.case.number, "motivation": MOTIVATION},
    )
    assert response.status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_motivated_emergency_access_opens_the_case_and_logs_every_read(
    world, verified_client, settings
):
    settings.EMERGENCY_ACCESS_ENABLED = True
    client = verified_client(world.outsider_rep)
    detail = reverse("cases:detail", args=[world.case.pk])
    assert client.get(detail).status_code == 404
    response = client.post(
        reverse("privacy_audit:emergency"),
        {"number": world.case.number, "motivation": MOTIVATION},
    )
    assert response.status_code == 302 and response.url == detail
    assert client.get(detail).status_code == 200
    entry = ReadLogEntry.objects.get(user=world.outsider_rep)
    assert entry.basis == ReadBasis.EMERGENCY and entry.motivation == MOTIVATION
    # An involved partner's reads keep their own basis.
    verified_client(world.police_rep).get(detail)
    assert ReadLogEntry.objects.get(user=world.police_rep).basis == (
        ReadBasis.INVOLVED_ORGANISATION
    )


def test_short_motivation_is_refused_next_to_the_field_and_kept(world, verified_client, settings):
    settings.EMERGENCY_ACCESS_ENABLED = True
    client = verified_client(world.outsider_rep)
    response = client.post(
        reverse("privacy_audit:emergency"), {"number": world.case.number, "motivation": "nodig"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["motivation"]
    assert f'value="{world.case.number}"' in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_grant_expires(world, verified_client, settings):
    settings.EMERGENCY_ACCESS_ENABLED = True
    EmergencyAccess.objects.create(
        user=world.outsider_rep,
        case=world.case,
        motivation=MOTIVATION,
        granted_at=timezone.now() - dt.timedelta(hours=9),
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )
    client = verified_client(world.outsider_rep)
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404


def test_emergency_reader_cannot_add_and_sees_no_confidential_items(
    world, verified_client, settings
):
    from cases import services
    from cases.choices import Confidentiality, JournalKind

    settings.EMERGENCY_ACCESS_ENABLED = True
    services.journal_entry_add(
        case=world.case,
        by=world.casemanager,
        kind=JournalKind.HOME_VISIT,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text="Alleen voor het team",
        confidentiality=Confidentiality.CASE_TEAM,
    )
    client = verified_client(world.outsider_rep)
    client.post(
        reverse("privacy_audit:emergency"),
        {"number": world.case.number, "motivation": MOTIVATION},
    )
    html = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "Alleen voor het team" not in html
    assert client.get(reverse("cases:journal_add", args=[world.case.pk])).status_code == 403


def test_officer_sees_emergency_reads_with_motivation(world, verified_client, settings):
    from partners.choices import Role
    from tests.factories.partners import UserFactory

    settings.EMERGENCY_ACCESS_ENABLED = True
    client = verified_client(world.outsider_rep)
    client.post(
        reverse("privacy_audit:emergency"),
        {"number": world.case.number, "motivation": MOTIVATION},
    )
    client.get(reverse("cases:detail", args=[world.case.pk]))
    officer = UserFactory(organisation=world.uc, roles=[Role.PRIVACY_OFFICER])
    html = verified_client(officer).get(reverse("privacy_audit:unusual")).content.decode()
    assert MOTIVATION in html and world.case.number in html


@pytest.mark.parametrize("count", [1, 10])
def test_case_list_logs_emergency_reads_with_one_query_for_all_grants(
    world, verified_client, settings, django_assert_max_num_queries, count
):
    from tests.factories.cases import CaseFactory

    settings.EMERGENCY_ACCESS_ENABLED = True
    user = world.outsider_rep
    cases = [world.case] + [CaseFactory() for _ in range(count - 1)]
    for case in cases:
        EmergencyAccess.objects.create(
            user=user,
            case=case,
            motivation=MOTIVATION,
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
    client = verified_client(user)
    with django_assert_max_num_queries(20) as captured:
        assert client.get(reverse("cases:list")).status_code == 200
    grant_queries = [q for q in captured.captured_queries if "emergencyaccess" in q["sql"]]
    rows = ReadLogEntry.objects.filter(user=user, what="case_list")
    assert rows.count() == count
    assert {(row.basis, row.motivation) for row in rows} == {(ReadBasis.EMERGENCY, MOTIVATION)}
    # The visibility filter of the count and of the page, and one basis lookup for all rows
    # (not one per case shown).
    assert len(grant_queries) == 3
