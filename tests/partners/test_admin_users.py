"""Users in /beheer/: list with organisation and roles, search, pagination, create with
roles and a password-setup e-mail, edit roles, deactivate instead of delete."""

import re

import pytest
from django.contrib.auth import views as auth_views
from django.core import mail
from django.urls import path, reverse

from partners import access, services
from partners.choices import Role
from partners.models import Organisation, User
from tests.factories.partners import OrganisationFactory, UserFactory
from woonoverlast.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

# The project's URLs, plus Django's reset-confirm view in case the sign-in pages that
# provide it are not routed yet (the project's own route wins when it exists).
urlpatterns = [
    *project_urlpatterns,
    path(
        "test/reset/<uidb64>/<token>/",
        access.public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
]


@pytest.fixture
def admin(verified_client, functional_admin):
    return verified_client(functional_admin)


def test_list_shows_organisation_and_roles(admin):
    UserFactory(
        first_name="Fenna",
        last_name="Visser",
        organisation=OrganisationFactory(name="Portaal"),
        roles=[Role.REFERRER, Role.PARTNER_REPRESENTATIVE],
    )
    content = admin.get(reverse("partners:user_list")).content.decode()
    assert "Fenna Visser" in content
    assert "Portaal" in content
    assert (
        "Partnervertegenwoordiger, Aanmelder" in content
        or "Aanmelder, Partnervertegenwoordiger" in content
    )


@pytest.mark.parametrize("query", ["fenna", "VISSER", "fenna.visser@example", "fenna viss"])
def test_search_by_name_or_email(admin, query):
    UserFactory(first_name="Fenna", last_name="Visser", email="fenna.visser@example.org")
    UserFactory(first_name="Karel", last_name="de Boer", email="karel@example.org")
    users = list(admin.get(reverse("partners:user_list"), {"q": query}).context["users"])
    assert [u.email for u in users] == ["fenna.visser@example.org"]


def test_deactivated_users_are_hidden_unless_asked_for(admin):
    gone = UserFactory(is_active=False)
    assert gone not in admin.get(reverse("partners:user_list")).context["users"]
    assert gone in admin.get(reverse("partners:user_list"), {"status": "inactive"}).context["users"]


def test_users_are_paginated_by_25(admin):
    organisation = OrganisationFactory()
    for _ in range(30):
        UserFactory(organisation=organisation)
    first = admin.get(reverse("partners:user_list"), {"organisation": organisation.pk})
    assert len(first.context["users"]) == 25
    second = admin.get(reverse("partners:user_list"), {"organisation": organisation.pk, "page": 2})
    assert len(second.context["users"]) == 5
    assert f"organisation={organisation.pk}" in first.content.decode()  # filter kept in page links


def _new_user_data(**overrides):
    data = {
        "first_name": "Noor",
        "last_name": "Bakker",
        "email": "Noor.Bakker@Example.org",
        "organisation": Organisation.objects.get(name="Mitros").pk,
        "job_title": "Woonconsulent",
        "phone": "",
        "roles": [Role.REFERRER, Role.PARTNER_REPRESENTATIVE],
    }
    data.update(overrides)
    return data


@pytest.mark.urls(__name__)
def test_create_user_with_roles_sends_password_setup_link(
    admin, functional_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("partners:user_create"), _new_user_data(), follow=True)
    assert response.status_code == 200
    user = User.objects.get(email="noor.bakker@example.org")
    assert user.organisation.name == "Mitros"
    assert set(user.roles) == {Role.REFERRER, Role.PARTNER_REPRESENTATIVE}
    assert not user.has_usable_password()
    assert user.history.first().history_user == functional_admin

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor.bakker@example.org"]
    link = re.search(r"https?://\S+", message.body).group(0)
    assert "/reset/" in link

    # The link lets the new user choose a password.
    admin.logout()
    page = admin.get(link, follow=True)
    assert page.status_code == 200
    assert page.context["validlink"]


def test_create_user_without_reset_views_tells_admin_to_use_forgot_password(admin, monkeypatch):
    monkeypatch.setattr(services, "password_setup_available", lambda: False)
    response = admin.post(reverse("partners:user_create"), _new_user_data(), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("noor.bakker@example.org" in m for m in messages)
    assert len(mail.outbox) == 0
    assert User.objects.filter(email="noor.bakker@example.org").exists()


def test_invalid_user_keeps_input_and_shows_errors(admin):
    UserFactory(email="bestaat@example.org")
    response = admin.post(
        reverse("partners:user_create"),
        _new_user_data(email="BESTAAT@example.org", roles=[], first_name="Getypte naam"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "email" in errors
    assert "roles" in errors
    content = response.content.decode()
    assert 'value="Getypte naam"' in content
    assert 'value="Woonconsulent"' in content
    assert User.objects.filter(email__iexact="bestaat@example.org").count() == 1


def test_edit_user_changes_roles_through_groups(admin, functional_admin):
    user = UserFactory(roles=[Role.CASEMANAGER])
    data = {
        "first_name": user.first_name,
        "last_name": "Nieuw",
        "email": user.email,
        "organisation": user.organisation.pk,
        "job_title": "",
        "phone": "",
        "roles": [Role.COORDINATOR],
    }
    assert admin.post(reverse("partners:user_edit", args=[user.pk]), data).status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.roles == [Role.COORDINATOR]
    # The role's group, and the organisation's group through which case grants reach them.
    groups = sorted([Role.COORDINATOR.value, access.organisation_group_name(user.organisation_id)])
    assert sorted(user.groups.values_list("name", flat=True)) == groups
    latest = user.history.first()
    assert latest.history_user == functional_admin
    assert sorted(g.group.name for g in latest.groups.all()) == groups


def test_edit_form_shows_current_roles_checked(admin):
    user = UserFactory(roles=[Role.MANAGER])
    form = admin.get(reverse("partners:user_edit", args=[user.pk])).context["form"]
    assert form.initial["roles"] == [Role.MANAGER.value]


def test_admin_cannot_remove_own_admin_role(admin, functional_admin):
    data = {
        "first_name": functional_admin.first_name,
        "last_name": functional_admin.last_name,
        "email": functional_admin.email,
        "organisation": functional_admin.organisation.pk,
        "roles": [Role.COORDINATOR],
    }
    response = admin.post(reverse("partners:user_edit", args=[functional_admin.pk]), data)
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    functional_admin.refresh_from_db()
    assert Role.FUNCTIONAL_ADMIN in functional_admin.roles
    assert functional_admin.last_name == data["last_name"]


def test_deactivate_and_reactivate_user(admin):
    user = UserFactory()
    admin.post(reverse("partners:user_deactivate", args=[user.pk]))
    user.refresh_from_db()
    assert not user.is_active
    assert User.objects.filter(pk=user.pk).exists()
    admin.post(reverse("partners:user_reactivate", args=[user.pk]))
    user.refresh_from_db()
    assert user.is_active


def test_admin_cannot_deactivate_themselves(admin, functional_admin):
    response = admin.post(
        reverse("partners:user_deactivate", args=[functional_admin.pk]), follow=True
    )
    functional_admin.refresh_from_db()
    assert functional_admin.is_active
    assert any("uw eigen account" in str(m) for m in response.context["messages"])


def test_service_outside_a_request_records_the_acting_user(functional_admin):
    user = services.user_create(
        email="script@example.org",
        first_name="Script",
        last_name="Test",
        organisation=OrganisationFactory(),
        roles=[Role.REFERRER],
        by=functional_admin,
    )
    assert {h.history_user for h in user.history.all()} == {functional_admin}
