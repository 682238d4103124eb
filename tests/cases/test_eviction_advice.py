"""The eviction advice to the landlord and the police situation report (issue 12): who
gives and reads it, each guard of the report (the neighbourhood officer in both the approach
and the advice; the Wpg basis recorded), history, read log and the page's query budget."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import ReadLogEntry, ReadWhat
from cases import services
from cases.choices import CaseStatus, DataCategory
from cases.choices_plan import NuisanceOrigin
from cases.domain.plan import PlanRefused
from cases.models import (
    CaseInvolvement,
    EvictionAdvice,
    Investigation,
    LawfulBasis,
    PoliceSituationReport,
)
from cases.services import plan as plan_services
from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.cases import ActionFactory, GoalFactory, PlanFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db

REPORT = "Sfeerverslag: meerdere meldingen van geluidsoverlast en bedreiging."


@pytest.fixture
def world():
    made = make_world()
    # The investigation found deliberate antisocial behaviour: eviction is acceptable.
    Investigation.objects.create(
        case=made.case,
        nuisance_origin=NuisanceOrigin.DELIBERATE,
        origin_motivation="Bewust intimiderend gedrag, ook na waarschuwingen.",
        recorded_by=made.casemanager,
    )
    return made


def _today() -> dt.date:
    return timezone.localdate()


def _advise(world, *, officer=True, consulted=None, by=None, **kwargs):
    return plan_services.eviction_advice_give(
        case=world.case,
        by=by or world.casemanager,
        corporation=kwargs.pop("corporation", world.mitros),
        advice=kwargs.pop("advice", "Het netwerk adviseert de ontruimingsprocedure te starten."),
        advised_on=kwargs.pop("advised_on", _today()),
        consulted=consulted if consulted is not None else [world.politie, world.ggz],
        neighbourhood_officer=world.police_rep if officer else None,
    )


def _in_approach(world):
    """The neighbourhood officer is assigned an action of the case's plan."""
    plan = PlanFactory(case=world.case, created_by=world.casemanager)
    goal = GoalFactory(plan=plan, case=world.case, agreed_partners=[world.politie])
    ActionFactory(goal=goal, case=world.case, organisation=world.politie, assignee=world.police_rep)


def _wpg():
    return LawfulBasis.objects.get(code="politie-wpg")


def _share(world, advice, *, by=None, basis=None, report=REPORT):
    return plan_services.situation_report_share(
        advice=advice, by=by or world.police_rep, report=report, lawful_basis=basis or _wpg()
    )


# --- Giving the advice ---------------------------------------------------------------------


def test_casemanager_gives_the_advice_and_the_corporation_becomes_involved(world):
    advice = _advise(world)
    assert set(advice.consulted.all()) == {world.politie, world.ggz}
    assert advice.given_by == world.casemanager and advice.corporation == world.mitros
    assert CaseInvolvement.objects.filter(
        case=world.case, organisation=world.mitros, is_active=True
    ).exists()
    assert advice.history.get().history_user == world.casemanager


def test_a_partner_may_not_give_the_advice(world):
    with pytest.raises(PermissionDenied):
        _advise(world, by=world.police_rep)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"advice": "  "}, "advice"),
        ({"advised_on": dt.date(2099, 1, 1)}, "advised_on"),
        ({"consulted": []}, "consulted"),
        ({"corporation": "ggz"}, "corporation"),
        ({"consulted": "no_police"}, "neighbourhood_officer"),
    ],
)
def test_each_part_of_the_advice_is_checked(world, change, field):
    kwargs = dict(change)
    if kwargs.get("corporation") == "ggz":
        kwargs["corporation"] = world.ggz
    if kwargs.get("consulted") == "no_police":
        kwargs["consulted"] = [world.ggz]
    elif kwargs.get("consulted") == []:
        kwargs["officer"] = False  # else the officer's organisation is missing as well
    with pytest.raises(PlanRefused) as refused:
        _advise(world, **kwargs)
    assert len(refused.value.reasons) == 1
    assert not EvictionAdvice.objects.exists()


def test_the_officer_must_be_a_police_representative(world):
    with pytest.raises(PlanRefused, match="vertegenwoordiger van de politie"):
        plan_services.eviction_advice_give(
            case=world.case,
            by=world.casemanager,
            corporation=world.mitros,
            advice="Advies",
            advised_on=_today(),
            consulted=[world.politie, world.ggz],
            neighbourhood_officer=world.ggz_rep,
        )


def test_no_advice_on_a_closed_case(world):
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    with pytest.raises(PlanRefused):
        _advise(world)


# --- The police situation report -----------------------------------------------------------


def test_report_is_shared_with_its_wpg_basis_when_the_officer_was_in_approach_and_advice(world):
    _in_approach(world)
    advice = _advise(world)
    report = _share(world, advice)
    assert report.lawful_basis == _wpg() and report.data_category == DataCategory.POLICE
    assert report.shared_by_organisation == world.politie and report.shared_on == _today()
    assert report.history.get().history_user == world.police_rep


def test_report_refused_when_the_officer_was_not_involved_in_the_advice(world):
    _in_approach(world)
    advice = _advise(world, officer=False)
    with pytest.raises(PlanRefused, match="bij het advies betrokken"):
        _share(world, advice)
    assert not PoliceSituationReport.objects.exists()


def test_report_refused_when_the_officer_was_not_involved_in_the_approach(world):
    advice = _advise(world)
    with pytest.raises(PlanRefused, match="bij de aanpak betrokken"):
        _share(world, advice)


def test_agreeing_to_the_plan_counts_as_involvement_in_the_approach(world):
    plan = PlanFactory(case=world.case, created_by=world.casemanager)
    plan_services.plan_agreement_record(plan=plan, by=world.police_rep, note="Akkoord")
    assert _share(world, _advise(world)).pk


def test_report_is_shared_once(world):
    _in_approach(world)
    advice = _advise(world)
    _share(world, advice)
    with pytest.raises(PlanRefused, match="al gedeeld"):
        _share(world, advice)


def test_report_needs_a_basis_for_police_data(world):
    _in_approach(world)
    advice = _advise(world)
    with pytest.raises(PlanRefused, match="Wpg"):
        _share(world, advice, basis=LawfulBasis.objects.get(code="gemeente-openbare-orde"))


def test_only_the_police_share_the_report(world):
    _in_approach(world)
    advice = _advise(world)
    with pytest.raises(PermissionDenied):
        _share(world, advice, by=world.ggz_rep)
    with pytest.raises(PermissionDenied):
        _share(world, advice, by=world.casemanager)


def test_police_of_an_organisation_not_consulted_may_not_share(world):
    _in_approach(world)
    advice = _advise(world, officer=False, consulted=[world.ggz])
    other_police = UserFactory(organisation=world.politie, roles=[Role.PARTNER_REPRESENTATIVE])
    # Politie is neither consulted nor the officer's organisation here.
    with pytest.raises(PermissionDenied):
        _share(world, advice, by=other_police)


# --- Pages -------------------------------------------------------------------------------


def test_corporation_reads_advice_and_report_a_consulted_care_partner_only_the_advice(
    world, verified_client
):
    _in_approach(world)
    advice = _advise(world)
    _share(world, advice)
    services.involvement_add(case=world.case, organisation=world.mitros, by=world.coordinator)
    url = reverse("cases:eviction", args=[world.case.pk])
    corporation = verified_client(world.outsider_rep).get(url)
    body = corporation.content.decode()
    assert corporation.status_code == 200
    assert "ontruimingsprocedure te starten" in body and REPORT in body
    assert "Wpg" in body
    assert ReadLogEntry.objects.filter(
        user=world.outsider_rep, case_id=world.case.pk, what=ReadWhat.EVICTION
    ).exists()
    care = verified_client(world.ggz_rep).get(url).content.decode()
    assert "ontruimingsprocedure te starten" in care and REPORT not in care
    team = verified_client(world.casemanager).get(url).content.decode()
    assert REPORT in team


def test_casemanager_records_the_advice_on_the_page_and_errors_keep_the_input(
    world, verified_client
):
    client = verified_client(world.casemanager)
    url = reverse("cases:eviction_advise", args=[world.case.pk])
    response = client.post(
        url,
        {
            "advised_on": _today().isoformat(),
            "corporation": world.mitros.pk,
            "advice": "Ontruiming adviseren na drie waarschuwingen.",
            "neighbourhood_officer": world.police_rep.pk,
            "consulted": [world.ggz.pk],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "neighbourhood_officer" in form.errors
    assert "Ontruiming adviseren na drie waarschuwingen." in response.content.decode()
    response = client.post(
        url,
        {
            "advised_on": _today().isoformat(),
            "corporation": world.mitros.pk,
            "advice": "Ontruiming adviseren na drie waarschuwingen.",
            "neighbourhood_officer": world.police_rep.pk,
            "consulted": [world.ggz.pk, world.politie.pk],
        },
    )
    assert response.status_code == 302
    assert EvictionAdvice.objects.get().neighbourhood_officer == world.police_rep
    assert verified_client(world.police_rep).post(url, {}).status_code == 403


def test_police_share_the_report_on_the_page_with_the_wpg_basis(world, verified_client):
    _in_approach(world)
    advice = _advise(world)
    client = verified_client(world.police_rep)
    url = reverse("cases:situation_report", args=[world.case.pk, advice.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200 and "Wpg" in form_page.content.decode()
    response = client.post(url, {"report": REPORT, "lawful_basis": _wpg().pk})
    assert response.status_code == 302
    assert PoliceSituationReport.objects.get(advice=advice).lawful_basis == _wpg()
    assert verified_client(world.ggz_rep).get(url).status_code == 403


def test_the_page_shows_the_refusal_when_the_officer_was_not_in_the_approach(
    world, verified_client
):
    advice = _advise(world)
    response = verified_client(world.police_rep).post(
        reverse("cases:situation_report", args=[world.case.pk, advice.pk]),
        {"report": REPORT, "lawful_basis": _wpg().pk},
    )
    assert response.status_code == 200
    assert REPORT in response.content.decode()
    assert not PoliceSituationReport.objects.exists()


@pytest.mark.parametrize("count", [1, 30])
def test_eviction_page_query_budget(world, verified_client, django_assert_max_num_queries, count):
    _in_approach(world)
    for i in range(count):
        advice = _advise(world, advice=f"Advies {i}")
        if i % 2 == 0:
            _share(world, advice)
    client = verified_client(world.casemanager)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("cases:eviction", args=[world.case.pk]))
    assert response.status_code == 200


# --- Covenant §2: eviction avoids the causer who needs care ----------------------------------


def test_without_knowing_where_the_nuisance_comes_from_no_eviction_is_advised(world):
    Investigation.objects.filter(case=world.case).update(nuisance_origin=NuisanceOrigin.UNCLEAR)
    with pytest.raises(PlanRefused, match="zorgvraag of opzettelijk"):
        _advise(world)
    Investigation.objects.filter(case=world.case).delete()
    with pytest.raises(PlanRefused, match="zorgvraag of opzettelijk"):
        _advise(world)
    assert not EvictionAdvice.objects.exists()


def test_with_a_care_need_the_advice_says_why_the_approach_could_not_solve_it(world):
    Investigation.objects.filter(case=world.case).update(nuisance_origin=NuisanceOrigin.CARE_NEED)
    with pytest.raises(PlanRefused, match="waarom de aanpak de overlast niet kon oplossen"):
        _advise(world)
    why = "Zorg is een jaar lang geweigerd; de overlast is onverminderd."
    advice = plan_services.eviction_advice_give(
        case=world.case,
        by=world.casemanager,
        corporation=world.mitros,
        advice="Het netwerk adviseert de ontruimingsprocedure te starten.",
        advised_on=_today(),
        consulted=[world.politie, world.ggz],
        care_need_motivation=why,
    )
    assert advice.care_need_motivation == why


def test_the_page_keeps_what_was_typed_when_the_care_need_is_not_explained(world, verified_client):
    Investigation.objects.filter(case=world.case).update(nuisance_origin=NuisanceOrigin.CARE_NEED)
    client = verified_client(world.casemanager)
    response = client.post(
        reverse("cases:eviction_advise", args=[world.case.pk]),
        {
            "advised_on": _today().isoformat(),
            "corporation": world.mitros.pk,
            "advice": "Ontruiming adviseren na twee jaar aanpak.",
            "consulted": [world.politie.pk, world.ggz.pk],
        },
    )
    page = response.content.decode()
    assert "waarom de aanpak de overlast niet kon oplossen" in page
    assert "Ontruiming adviseren na twee jaar aanpak." in page
    assert not EvictionAdvice.objects.exists()
