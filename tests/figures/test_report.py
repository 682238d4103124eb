"""The annual report as a user sees it: suppressed cells, the result agreements beside the
figures, the CSV and PDF, a fixed number of queries, and who reaches it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from figures.choices import FigureKey
from figures.models import ResultAgreement
from figures.report import build_report
from figures.selectors import Scope
from partners.choices import Role
from tests.factories.partners import OrganisationFactory, UserFactory
from tests.figures import dataset

pytestmark = pytest.mark.django_db

Y2023 = Scope(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
Y2024 = Scope(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
TODAY = dt.date(2026, 12, 31)


@pytest.fixture
def data():
    return dataset.build()


@pytest.fixture
def manager(db):
    return UserFactory(
        organisation=OrganisationFactory(name="Gemeente Utrecht"), roles=[Role.MANAGER]
    )


def figure(report, key):
    return next(f for f in report.figures if f.key == key)


def rows(report, key):
    return {row[0]: row[1:] for row in figure(report, key).rows}


def test_small_cells_show_less_than_five_and_a_second_cell_goes_with_a_single_one(data):
    report = build_report(Y2024, today=TODAY)
    # Districts: Overvecht 6, Zuid 3 → Zuid "< 5"; the total 9 would give it away, so
    # Overvecht is hidden as well.
    districts = rows(report, "districts")
    assert districts["Overvecht"][0] == "< 5"
    assert districts["Zuid"][0] == "< 5"
    assert districts["Totaal"][0] == "9"
    # Referrers overlap (a case referred by both counts twice): primary only.
    referrers = rows(report, "referrers")
    assert referrers["Mitros"][0] == "7"
    assert referrers["Politie"][0] == "< 5"
    # Accepted 6, redirected 2, pending 1: two small cells protect each other.
    acceptance = rows(report, "acceptance")
    assert acceptance["Aangenomen"][0] == "6"
    assert acceptance["Nog niet besloten"][0] == "< 5"
    assert "< 5" in acceptance["Doorgeleid: Buurtbemiddeling"][0]


def test_closing_figures_suppressed(data):
    report = build_report(Y2023, today=TODAY)
    partners = figure(report, "partners_outcome").rows
    assert [r[1] for r in partners] == ["5", "< 5", "< 5", "0", "8"]
    # Neighbours 5 / 0 / 3: the single small cell takes the 5 with it.
    neighbours = figure(report, "neighbours_outcome").rows
    assert [r[1] for r in neighbours] == ["< 5", "0", "< 5", "0", "8"]
    # Lead time: 8 cases, median 45, p90 73.
    lead = rows(report, "lead_time")
    assert lead["Melding tot gesloten"] == ["8", "45,0", "73,0"]
    # Recidivism: 2 of 8 — the 2 is small, so no share.
    recidivism = rows(report, "recidivism")
    assert recidivism["Kan 3 jaar gevolgd worden"] == ["8"]
    assert recidivism["Met een meetellende nieuwe melding binnen 3 jaar"] == ["< 5"]
    assert recidivism["Recidive"] == ["–"]
    assert "31-12-2023" in figure(report, "recidivism").definition
    # Life domains: 2 cases → the means are hidden.
    life = rows(report, "life_domains")
    assert life["Casussen"] == ["< 5"]
    assert life["Gemiddelde score, eerste analyse"] == ["< 5"]


def test_a_network_is_a_filter(data):
    report = build_report(
        Scope(Y2024.start, Y2024.end, data.zuid.pk), today=TODAY, network_name="Zuid"
    )
    # Zuid referred one case: the total is itself "< 5".
    assert figure(report, "districts").rows[-1][1] == "< 5"


def test_result_agreements_beside_their_figure(data, coordinator):
    ResultAgreement.objects.create(
        year=2023,
        figure=FigureKey.LEAD_TIME_MEDIAN,
        target=60,
        updated_by=coordinator,
        note="Streefwaarde",
    )
    ResultAgreement.objects.create(
        year=2023, network=data.zuid, figure=FigureKey.REFERRALS, target=5, updated_by=coordinator
    )
    ResultAgreement.objects.create(
        year=2024, figure=FigureKey.REFERRALS, target=50, updated_by=coordinator
    )
    report = build_report(Y2023, today=TODAY)
    # All networks: only the agreement for all networks of 2023.
    assert [(t.target, t.actual, t.scope) for t in report.targets] == [
        ("60,0", "45,0", "Alle netwerken")
    ]
    assert figure(report, "lead_time").targets == report.targets
    zuid = build_report(Scope(Y2023.start, Y2023.end, data.zuid.pk), today=TODAY)
    assert {t.scope for t in zuid.targets} == {"Alle netwerken", "Zuid"}


def test_work_done_counts_the_eviction_advices_of_the_period(data):
    dataset.add_work(data)
    label = "Ontruimingsadviezen gegeven"
    # add_work gives 2 advices in 2024: a small cell.
    assert rows(build_report(Y2024, today=TODAY), "work")[label] == ["< 5"]
    for day in (3, 4, 5):
        dataset.EvictionAdvice.objects.create(
            case=data.referred[2],
            corporation=data.mitros,
            advised_on=dt.date(2024, 8, day),
            advice="Ontruiming geadviseerd",
            given_by=data.user,
        )
    assert rows(build_report(Y2024, today=TODAY), "work")[label] == ["5"]
    # The 2023 advice of add_work is the only one in 2023.
    assert rows(build_report(Y2023, today=TODAY), "work")[label] == ["< 5"]


def _count_queries(django_assert_max_num_queries, scope):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        build_report(scope, today=TODAY)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_data(django_assert_max_num_queries):
    empty = _count_queries(django_assert_max_num_queries, Y2023)
    data = dataset.build()
    dataset.add_intake_deadlines(data)
    dataset.add_work(data)
    dataset.add_meetings(data)
    full = _count_queries(django_assert_max_num_queries, Y2023)
    assert full == empty
    assert full <= 20


def test_manager_reads_the_report_changes_year_and_network_and_downloads(
    data, manager, verified_client
):
    client = verified_client(manager)
    page = client.get(reverse("figures:report"), {"jaar": 2024, "netwerk": data.noord.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Melding" in html and "Noord" in html and "<svg" in html
    assert "< 5" in html or "&lt; 5" in html
    # No case numbers, no streets.
    for case in data.referred:
        assert case.number not in html
    csv_response = client.get(reverse("figures:report_csv"), {"jaar": 2024})
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert ["Meldingen per wijk", "Zuid", "Casussen", "< 5"] in lines
    assert ["Meldingen per wijk", "Totaal", "Casussen", "9"] in lines
    pdf = client.get(reverse("figures:report_pdf"), {"jaar": 2024})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_bad_period_shows_a_message_at_the_field(manager, verified_client):
    client = verified_client(manager)
    page = client.get(reverse("figures:report"), {"van": "2024-05-01", "tot": "2024-01-01"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Het einde van de periode ligt voor het begin." in html
    assert 'value="2024-05-01"' in html
    only_one = client.get(reverse("figures:report"), {"van": "2024-05-01"}).content.decode()
    assert "Vul beide datums in, of geen van beide." in only_one
    assert client.get(reverse("figures:report"), {"jaar": "abc"}).status_code == 200


def test_coordinator_adds_and_changes_an_agreement_with_history(coordinator, verified_client):
    client = verified_client(coordinator)
    response = client.post(
        reverse("figures:agreements"),
        {
            "year": 2025,
            "network": "",
            "figure": FigureKey.RECIDIVISM,
            "target": "15",
            "note": "Max",
        },
    )
    assert response.status_code == 302
    agreement = ResultAgreement.objects.get()
    assert agreement.updated_by == coordinator
    # The same figure for all networks twice is refused at the field.
    again = client.post(
        reverse("figures:agreements"),
        {"year": 2025, "network": "", "figure": FigureKey.RECIDIVISM, "target": "10"},
    )
    assert (
        "Er is al een afspraak over dit cijfer voor alle netwerken in dit jaar."
        in again.content.decode()
    )
    client.post(
        reverse("figures:agreement_edit", args=[agreement.pk]),
        {
            "year": 2025,
            "network": "",
            "figure": FigureKey.RECIDIVISM,
            "target": "12",
            "note": "Max",
        },
    )
    agreement.refresh_from_db()
    assert agreement.target == 12
    history = get_history_model_for_model(ResultAgreement).objects.filter(id=agreement.pk)
    assert history.count() == 2


def test_a_manager_reaches_no_case_page(data, manager, verified_client):
    client = verified_client(manager)
    case = data.referred[0]
    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.pk])):
        assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("figures:agreements")).status_code == 404
