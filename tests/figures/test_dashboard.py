"""The coordinator's figures on the dashboard, each linking to the filtered case list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.choices import CaseStatus
from figures.dashboard import coordinator_figures
from partners.choices import Role
from tests.factories.cases import CaseFactory
from tests.factories.partners import NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(coordinator):
    noord = NetworkFactory(name="Noord")
    casemanager = UserFactory(first_name="Kim", last_name="Vos", roles=[Role.CASEMANAGER])
    for _ in range(3):
        CaseFactory(status=CaseStatus.EXECUTION, network=noord, casemanager=casemanager)
    CaseFactory(status=CaseStatus.INTAKE, network=noord, referred_on=dt.date(2026, 11, 20))
    CaseFactory(status=CaseStatus.CLOSED, network=noord, referred_on=dt.date(2026, 10, 1))
    return noord, casemanager


def test_open_cases_per_phase_network_and_casemanager(cases, django_assert_max_num_queries):
    noord, casemanager = cases
    with django_assert_max_num_queries(3):
        figures = coordinator_figures(today=dt.date(2026, 11, 30))
    # Intake 1 and execution 3, each linking to the list filtered on its status.
    phases = {line.url.rsplit("=", 1)[1]: line.count for line in figures.by_phase}
    assert phases == {"intake": 1, "execution": 3}
    assert figures.open_total == 4
    network = figures.by_network[0]
    assert (network.label, network.count) == ("Noord", 4)
    assert network.url == f"{reverse('cases:list')}?network={noord.pk}"
    vos = next(line for line in figures.by_casemanager if line.label == "Kim Vos")
    assert vos.count == 3
    assert vos.url.endswith(f"?casemanager={casemanager.pk}")
    # Three cases referred on 2 November (the factory), one on 20 November; the closed one
    # in October.
    assert (figures.this_month, figures.last_month) == (4, 1)
    assert figures.deadlines[0].url.endswith("?deadline=overdue")


def test_only_the_coordinator_sees_them(cases, coordinator, verified_client):
    html = verified_client(coordinator).get(reverse("dashboard")).content.decode()
    assert "Open casussen per netwerk" in html
    assert f"?network={cases[0].pk}" in html
    casemanager = cases[1]
    other = verified_client(casemanager).get(reverse("dashboard")).content.decode()
    assert "Open casussen per netwerk" not in other
