"""The referral in the browser: draft, submit, stale edits, who may, and "my referrals"."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from cases import services
from cases.choices import CaseStatus, PersonRole
from cases.forms.referral import CauserFormSet, ReferralForm
from cases.models import Case, Referral
from cases.selectors_referral import referral_status
from partners import access
from partners.choices import Role
from partners.models import District, Organisation
from tests.factories.cases import CaseFactory, ReferralFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = reverse("cases:referral_start")
MINE = reverse("cases:my_referrals")


def edit_url(referral):
    return reverse("cases:referral_edit", args=[referral.pk])


@pytest.fixture(autouse=True)
def english(settings):
    """Assert the English source strings; the Dutch wording is the translator's."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mitros():
    return OrganisationFactory(name="Mitros", corporation=True)


@pytest.fixture
def referrer(mitros):
    return UserFactory(organisation=mitros, roles=[Role.REFERRER], email="ref@mitros.example")


@pytest.fixture
def coordinator_user():
    uc = OrganisationFactory(name="U Centraal", executing=True)
    return UserFactory(organisation=uc, roles=[Role.COORDINATOR], email="coord@uc.example")


def management(prefix, total=1, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def complete_data(referral, **overrides):
    mitros = Organisation.objects.get(name="Mitros")
    data = {
        "version": str(referral.version),
        "contact_name": "R. Eferent",
        "contact_phone": "030 123 45 67",
        "contact_email": "r.eferent@mitros.example",
        "postcode": "3511 ab",
        "house_number": "7",
        "house_number_addition": "",
        "street": "Oudegracht",
        "city": "Utrecht",
        "district": "",
        "housing_type": "corporation",
        "corporation": str(mitros.pk),
        "nuisance_forms": ["noise", "threats"],
        "nuisance_since": "2026-01-05",
        "backgrounds": ["financial"],
        "description": "Loud music every night",
        "actions_taken": "Two letters and a talk",
        "urgency_reason": "",
        **management("causer"),
        "causer-0-first_name": "Jan",
        "causer-0-last_name": "Smit",
        "causer-0-date_of_birth": "1970-01-01",
        **management("household"),
        **management("neighbour"),
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Forms: each message -----------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"postcode": "351 AB"}, "postcode", "Enter a valid postcode, such as 1234 AB."),
        ({"postcode": ""}, "postcode", "Enter the postcode."),
        ({"house_number": "7a"}, "house_number", "Enter the house number in digits only"),
        ({"house_number": "0"}, "house_number", "Enter the house number in digits only"),
        ({"house_number": ""}, "house_number", "Enter the house number."),
        ({"house_number_addition": "<b>"}, "house_number_addition", "Enter an addition of"),
        ({"street": ""}, "street", "Enter the street."),
        ({"city": ""}, "city", "Enter the city."),
        ({"contact_name": ""}, "contact_name", "Enter the name of the contact person."),
        ({"contact_phone": "call me"}, "contact_phone", "Enter a valid phone number"),
        ({"contact_email": "nope"}, "contact_email", "Enter a valid e-mail address"),
        ({"postcode": "1012 AB"}, "district", "Choose the district."),
        ({"district": "999999"}, "district", "Choose one of the districts in the list."),
        ({"housing_type": ""}, "housing_type", "Choose the housing type."),
        ({"housing_type": "castle"}, "housing_type", "Choose one of the options in the list."),
        ({"corporation": ""}, "corporation", "Choose the corporation that owns the home."),
        ({"nuisance_forms": []}, "nuisance_forms", "Choose at least one form of nuisance."),
        ({"nuisance_forms": ["gossip"]}, "nuisance_forms", "Choose one of the options"),
        ({"nuisance_since": "yesterday"}, "nuisance_since", "Enter a valid date, such as"),
        ({"nuisance_since": "FUTURE"}, "nuisance_since", "The date cannot be in the future."),
        ({"description": ""}, "description", "Describe the nuisance."),
        ({"actions_taken": ""}, "actions_taken", "Describe what has already been done."),
        ({"is_urgent": "on"}, "urgency_reason", "Give the reason why this is urgent."),
        ({"street": "Oude\x00gracht"}, "street", "Null characters are not allowed."),
        ({"description": "x" * 10_001}, "description", "at most 10000 characters"),
        ({"referrer_reference": "x" * 51}, "referrer_reference", "at most 50 characters"),
    ],
)
def test_referral_form_messages_on_submit(referrer, overrides, field, message):
    referral = services.referral_start(by=referrer)
    if overrides.get("nuisance_since") == "FUTURE":
        overrides["nuisance_since"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    form = ReferralForm(complete_data(referral, **overrides), submitting=True)
    with translation.override("en"):
        assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_corporation_that_is_no_corporation_is_refused(referrer):
    police = OrganisationFactory(name="Politie", police=True)
    referral = services.referral_start(by=referrer)
    form = ReferralForm(complete_data(referral, corporation=str(police.pk)), submitting=True)
    assert not form.is_valid()
    assert form.errors["corporation"] == ["Choose one of the corporations in the list."]


def test_complete_form_is_valid_and_normalises_the_postcode(referrer):
    referral = services.referral_start(by=referrer)
    form = ReferralForm(complete_data(referral), submitting=True)
    assert form.is_valid(), form.errors
    assert form.case_data()["postcode"] == "3511AB"
    assert form.case_data()["district"].name == "Binnenstad"


def test_a_chosen_district_wins_over_the_postcode(referrer):
    referral = services.referral_start(by=referrer)
    zuid = District.objects.get(name="Zuid")
    form = ReferralForm(complete_data(referral, district=str(zuid.pk)), submitting=True)
    assert form.is_valid(), form.errors
    assert form.case_data()["district"] == zuid


def test_submit_needs_a_causer_with_a_last_name(referrer):
    data = {**management("causer")}
    formset = CauserFormSet(data, prefix="causer", submitting=True)
    assert not formset.is_valid()
    assert "Enter at least one person who causes the nuisance." in formset.non_form_errors()
    data["causer-0-first_name"] = "Jan"
    formset = CauserFormSet(data, prefix="causer", submitting=True)
    assert not formset.is_valid()
    assert formset.errors[0]["last_name"] == ["Enter the last name."]


def test_draft_mode_checks_formats_only(referrer):
    referral = services.referral_start(by=referrer)
    data = {"version": str(referral.version), "postcode": "3511ab", "description": ""}
    form = ReferralForm(data, submitting=False)
    assert form.is_valid(), form.errors
    form = ReferralForm({**data, "postcode": "35"}, submitting=False)
    assert not form.is_valid()
    assert list(form.errors) == ["postcode"]
    # the fields still say they are required, for the labels
    assert form.fields["street"].required


# --- Views ------------------------------------------------------------------------------


def test_start_page_and_post_create_a_draft(verified_client, referrer):
    client = verified_client(referrer)
    response = client.get(START)
    assert response.status_code == 200
    response = client.post(START)
    referral = Referral.objects.get(referrer=referrer)
    assert response.status_code == 302
    assert response.url == edit_url(referral)
    assert referral.case.status == CaseStatus.DRAFT
    assert referral.organisation == referrer.organisation
    page = client.get(edit_url(referral))
    assert page.status_code == 200
    content = page.content.decode()
    assert '<legend class="utrecht-form-fieldset__legend' in content
    assert 'for="id_postcode"' in content
    assert "Save draft" in content and "Submit referral" in content


def test_draft_saves_with_incomplete_data(verified_client, referrer):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    data = {
        "version": str(referral.version),
        "postcode": "3511 ab",
        "street": "Oudegracht",
        **management("causer"),
        "causer-0-first_name": "Jan",
        **management("household"),
        **management("neighbour"),
        "action": "save",
    }
    response = client.post(edit_url(referral), data)
    assert response.status_code == 302
    assert response.url == edit_url(referral) + "?saved=1"
    case = Case.objects.get(pk=referral.case_id)
    assert (case.postcode, case.street, case.district.name) == (
        "3511AB",
        "Oudegracht",
        "Binnenstad",
    )
    assert case.network is not None and case.network.name == "Netwerk Binnenstad"
    assert case.status == CaseStatus.DRAFT
    assert list(case.persons.values_list("role", "first_name")) == [(PersonRole.CAUSER, "Jan")]
    page = client.get(response.url).content.decode()
    assert "Draft saved." in page
    assert 'value="3511 AB"' in page
    # the saved causer comes back, with a new empty row to add another
    assert 'name="causer-TOTAL_FORMS" value="2"' in page


def test_draft_with_a_format_error_is_not_saved(verified_client, referrer):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    data = complete_data(referral, postcode="35 AB", street="Typed street", action="save")
    response = client.post(edit_url(referral), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a valid postcode, such as 1234 AB." in content
    assert 'value="Typed street"' in content
    assert Case.objects.get(pk=referral.case_id).street == ""


def test_failed_submit_keeps_everything_typed(verified_client, referrer):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    data = complete_data(referral, nuisance_forms=[], street="Typed street")
    response = client.post(edit_url(referral), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose at least one form of nuisance." in content
    assert 'value="Typed street"' in content
    assert 'value="Smit"' in content
    assert "Loud music every night" in content
    assert Case.objects.get(pk=referral.case_id).status == CaseStatus.DRAFT
    assert Case.objects.get(pk=referral.case_id).street == ""


def test_submit_gives_number_and_status_received_and_mails_the_coordinator(
    verified_client, referrer, coordinator_user, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the task body runs in-process here
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(referral), complete_data(referral))
    assert response.status_code == 302
    assert response.url == reverse("cases:referral_received", args=[referral.pk])
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.REFERRED
    assert case.number.startswith("WO-")
    assert case.persons.get().last_name == "Smit"
    page = client.get(response.url).content.decode()
    # The status in the case team's words (issue 16): "Referred", as the coordinator sees it.
    assert case.number in page and "Referred" in page
    assert [m.to for m in mail.outbox] == [[coordinator_user.email]]
    mine = client.get(MINE).content.decode()
    assert case.number in mine and "Referred" in mine
    # The address the referrer entered themselves, nothing else of the case.
    assert "Oudegracht" in mine and "Smit" not in mine
    # the submitted referral cannot be edited any more
    assert client.get(edit_url(referral)).url == reverse(
        "cases:referral_received", args=[referral.pk]
    )


def test_second_of_two_concurrent_saves_is_told_and_loses_nothing(verified_client, referrer):
    colleague = UserFactory(organisation=referrer.organisation, roles=[Role.REFERRER])
    referral = services.referral_start(by=referrer)
    from django.test import Client

    from devtools.benchmarking import sign_in_verified

    first, second = verified_client(referrer), sign_in_verified(Client(), colleague)

    # both load version 1
    assert 'name="version" value="1"' in first.get(edit_url(referral)).content.decode()
    assert 'name="version" value="1"' in second.get(edit_url(referral)).content.decode()
    response = first.post(
        edit_url(referral), complete_data(referral, street="First street", action="save")
    )
    assert response.status_code == 302
    response = second.post(
        edit_url(referral), complete_data(referral, street="Second street", action="save")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this in the meantime" in content
    assert 'value="Second street"' in content
    assert 'name="version" value="2"' in content
    assert Case.objects.get(pk=referral.case_id).street == "First street"
    # saving again (with the version the page now carries) works
    retry = complete_data(referral, street="Second street", action="save", version="2")
    assert second.post(edit_url(referral), retry).status_code == 302
    assert Case.objects.get(pk=referral.case_id).street == "Second street"


def test_the_referrers_own_reference_is_kept_and_shown_only_to_their_organisation(
    verified_client, referrer, coordinator_user
):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    form = client.get(edit_url(referral)).content.decode()
    assert 'for="id_referrer_reference"' in form and "No names." in form
    # Saved as a draft: it comes back in the form and heads the row on "my referrals".
    data = complete_data(referral, referrer_reference=" MIT-2026-0042 ", action="save")
    assert client.post(edit_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert referral.referrer_reference == "MIT-2026-0042"
    assert 'value="MIT-2026-0042"' in client.get(edit_url(referral)).content.decode()
    submit = complete_data(referral, referrer_reference="MIT-2026-0042")
    assert client.post(edit_url(referral), submit).status_code == 302
    referral.refresh_from_db()
    assert referral.referrer_reference == "MIT-2026-0042"  # submitting keeps it
    # A referral without one shows a dash in the same column.
    ReferralFactory(organisation=referrer.organisation, case=CaseFactory(status=CaseStatus.INTAKE))
    mine = client.get(MINE).content.decode()
    cells = re.findall(r"<td [^>]*data-reference>([^<]*)</td>", mine)
    assert sorted(cells) == ["MIT-2026-0042", "–"]
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert '<td class="utrecht-table__cell" data-reference>MIT-2026-0042</td>' in dashboard
    # A referrer of another organisation never sees it.
    outsider = UserFactory(
        organisation=OrganisationFactory(name="Portaal", corporation=True), roles=[Role.REFERRER]
    )
    other = verified_client(outsider)
    for url in (MINE, reverse("dashboard")):
        assert "MIT-2026-0042" not in other.get(url).content.decode()


def test_referrer_of_another_organisation_gets_404_on_the_draft(verified_client, referrer):
    referral = services.referral_start(by=referrer)
    outsider = UserFactory(
        organisation=OrganisationFactory(name="Portaal", corporation=True), roles=[Role.REFERRER]
    )
    client = verified_client(outsider)
    assert client.get(edit_url(referral)).status_code == 404
    assert client.post(edit_url(referral), complete_data(referral)).status_code == 404
    assert client.get(reverse("cases:referral_received", args=[referral.pk])).status_code == 404
    assert Case.objects.get(pk=referral.case_id).status == CaseStatus.DRAFT


def test_partner_representative_without_refer_permission_gets_403(
    verified_client, partner_representative
):
    access.sync_user_organisation_group(partner_representative)
    client = verified_client(partner_representative)
    assert client.get(START).status_code == 403
    assert client.post(START).status_code == 403
    assert client.get(MINE).status_code == 403
    assert not Referral.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(START)
    assert response.status_code == 302
    assert "/account/login/" in response.url


def test_referrer_without_organisation_cannot_refer(verified_client):
    loner = UserFactory(organisation=None, roles=[Role.REFERRER])
    assert verified_client(loner).post(START).status_code == 403
    assert not Referral.objects.exists()


def test_coordinator_refers_on_behalf_of_an_organisation(
    verified_client, coordinator_user, referrer, mitros
):
    client = verified_client(coordinator_user)
    client.post(START)
    referral = Referral.objects.get(referrer=coordinator_user)
    page = client.get(edit_url(referral)).content.decode()
    assert 'name="organisation"' in page
    data = complete_data(referral, organisation=str(mitros.pk), action="save")
    assert client.post(edit_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert referral.organisation == mitros
    # still theirs to continue, and now also the organisation's
    assert client.get(edit_url(referral)).status_code == 200
    assert verified_client(referrer).get(edit_url(referral)).status_code == 200


def test_referrer_cannot_pick_the_organisation(verified_client, referrer):
    other = OrganisationFactory(name="Portaal", corporation=True)
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    assert 'name="organisation"' not in client.get(edit_url(referral)).content.decode()
    data = complete_data(referral, organisation=str(other.pk), action="save")
    assert client.post(edit_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert referral.organisation == referrer.organisation


# --- Status and "my referrals" -------------------------------------------------------------


@pytest.mark.parametrize("status", list(CaseStatus))
def test_referral_status_is_the_case_teams_word(status):
    # Issue 16: the referrer read "Accepted" where the coordinator saw "Closed".
    if status == CaseStatus.ATTACHED:
        return
    shown = referral_status(Case(status=status))
    assert shown == status and shown.label == CaseStatus(status).label


def test_attached_case_shows_the_status_of_the_case_it_was_attached_to():
    target = Case(status=CaseStatus.INTAKE)
    assert referral_status(Case(status=CaseStatus.ATTACHED, merged_into=target)) == (
        CaseStatus.INTAKE
    )


def test_my_referrals_lists_drafts_with_a_continue_link_and_not_other_organisations(
    verified_client, referrer
):
    draft = services.referral_start(by=referrer)
    ReferralFactory(organisation=referrer.organisation, case=CaseFactory(status=CaseStatus.INTAKE))
    foreign = ReferralFactory(organisation=OrganisationFactory(name="Portaal", corporation=True))
    content = verified_client(referrer).get(MINE).content.decode()
    assert edit_url(draft) in content
    assert "In intake" in content
    assert foreign.case.number not in content


@pytest.mark.parametrize("count", [1, 50])
def test_my_referrals_query_budget(verified_client, referrer, django_assert_max_num_queries, count):
    for index in range(count):
        status = CaseStatus.DRAFT if index % 3 == 0 else CaseStatus.REFERRED
        ReferralFactory(
            organisation=referrer.organisation,
            referrer=referrer,
            case=CaseFactory(status=status, created_by=referrer),
            submitted_at=None if status == CaseStatus.DRAFT else timezone.now(),
        )
    client = verified_client(referrer)
    with django_assert_max_num_queries(12):
        response = client.get(MINE)
    assert response.status_code == 200
    assert response.content.decode().count("utrecht-table__row") == count + 1


def test_antisocial_behaviour_can_be_given_as_suspected_background(referrer):
    referral = services.referral_start(by=referrer)
    form = ReferralForm(complete_data(referral, backgrounds=["antisocial"]), submitting=True)
    assert form.is_valid(), form.errors
    assert "Antisocial behaviour" in str(form["backgrounds"])


# --- Adding a person without saving the draft ------------------------------------------------


def test_add_person_without_javascript_keeps_everything_typed_and_saves_nothing(
    verified_client, referrer
):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    data = complete_data(
        referral,
        action="add-household",
        street="Typed street",
        **{"household-0-first_name": "Piet", "household-0-last_name": "Smit"},
    )
    response = client.post(edit_url(referral), data)
    assert response.status_code == 200
    content = response.content.decode()
    # Everything typed is still there, one more blank household row, nothing saved.
    assert 'value="Typed street"' in content and 'value="Piet"' in content
    assert 'name="household-TOTAL_FORMS" value="2"' in content
    assert 'name="household-1-first_name"' in content
    new_row = re.search(r'<input[^>]*name="household-1-first_name"[^>]*>', content).group(0)
    assert "autofocus" in new_row and content.count("autofocus") == 1
    assert Case.objects.get(pk=referral.case_id).street == ""
    assert not referral.case.persons.exists()
    # The blank row and the untouched fields show no error, and nothing is summarised.
    assert "aria-invalid" not in content
    assert "The form contains errors" not in content


def test_add_person_with_htmx_returns_only_that_fieldset(verified_client, referrer):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    data = complete_data(referral, action="add-neighbour", **{"neighbour-0-last_name": "Buurman"})
    response = client.post(edit_url(referral), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<fieldset class="utrecht-form-fieldset__fieldset')
    assert 'id="persons-neighbour"' in content
    assert 'value="Buurman"' in content and 'name="neighbour-1-last_name"' in content
    assert 'name="neighbour-TOTAL_FORMS" value="2"' in content
    assert "<html" not in content and "causer-0" not in content
    assert not referral.case.persons.exists()


def test_add_person_stops_at_the_maximum_and_ignores_an_unknown_role(verified_client, referrer):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    data = complete_data(referral, action="add-household", **management("household", total=20))
    content = client.post(edit_url(referral), data).content.decode()
    assert 'name="household-TOTAL_FORMS" value="20"' in content
    assert 'value="add-household"' not in content  # no button past the maximum
    data = complete_data(referral, action="add-landlord")
    assert client.post(edit_url(referral), data).status_code == 200


def test_error_summary_links_to_every_wrong_person_field(verified_client, referrer):
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    data = complete_data(
        referral,
        street="",
        **{"causer-0-last_name": "", "causer-0-date_of_birth": "31-31-1970"},
    )
    content = client.post(edit_url(referral), data).content.decode()
    summary = content[
        content.index("The form contains errors") : content.index(f'action="{edit_url(referral)}"')
    ]
    assert 'href="#id_street"' in summary
    assert 'href="#id_causer-0-date_of_birth"' in summary
    assert "Causers 1, Date of birth" in summary
    # And next to the field itself.
    assert 'id="id_causer-0-date_of_birth_error"' in content
