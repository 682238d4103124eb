"""The personal-data register cannot drift from the models, and the record of processing
activities (AVG art. 30) is generated from it for the privacy officer."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from partners.choices import Role
from privacy import processing, register
from tests.factories.partners import OrganisationFactory, UserFactory


def test_every_model_of_the_project_is_in_the_register_with_every_field_classified():
    assert register.problems() == []


@isolate_apps("privacy")
def test_a_new_model_without_an_entry_fails_the_register():
    class Complaint(models.Model):  # noqa: DJ008
        neighbour_name = models.CharField(max_length=100)

        class Meta:
            app_label = "privacy"

    assert register.problems([Complaint]) == [
        "privacy.Complaint: not in the register (PERSONAL_DATA or NO_PERSONAL_DATA)"
    ]


@isolate_apps("cases")
def test_a_new_field_on_a_registered_model_fails_until_classified():
    class Person(models.Model):  # noqa: DJ008 - cases.Person with one field more
        case = models.IntegerField()
        role = models.CharField(max_length=20)
        first_name = models.CharField(max_length=100)
        last_name = models.CharField(max_length=100)
        date_of_birth = models.DateField(null=True)
        phone = models.CharField(max_length=30)
        notes = models.TextField()
        consents_to_contact = models.BooleanField()
        person_key = models.CharField(max_length=64)
        is_restricted = models.BooleanField()
        erased_at = models.DateTimeField(null=True)
        created_at = models.DateTimeField()
        bsn = models.CharField(max_length=9)

        class Meta:
            app_label = "cases"

    assert register.problems([Person]) == [
        "cases.Person.bsn: field not classified (fields or other)"
    ]


def test_special_categories_are_marked():
    assert register.Category.HEALTH in register.SPECIAL
    assert register.Category.CRIMINAL in register.SPECIAL
    kris = register.PERSONAL_DATA["cases.KrisCheck"]
    assert register.Category.HEALTH in kris.categories


@pytest.mark.django_db
def test_the_record_is_built_from_models_settings_and_data(settings):
    settings.PRIVACY_CONTROLLER = "Burgemeester van Voorbeeldstad"
    settings.RETENTION_YEARS_AFTER_CLOSING = 7
    OrganisationFactory(name="Uitvoerder BV", executing=True)
    record = processing.build()
    assert record["controller"] == "Burgemeester van Voorbeeldstad"
    assert "Uitvoerder BV" in [o.name for o in record["processors"]]
    categories = {row.category: row for row in record["data_categories"]}
    assert categories[register.Category.HEALTH].special
    from cases.models import Person

    birth = categories[register.Category.BIRTH_DATE].where
    assert birth == [
        f"{str(Person._meta.verbose_name).capitalize()}: "
        f"{Person._meta.get_field('date_of_birth').verbose_name}"
    ]
    subjects = [subject for subject, _tables in record["subject_categories"]]
    assert register.Subject.NEIGHBOUR in subjects and register.Subject.PROFESSIONAL in subjects
    assert any("7" in line for line in record["retention"])
    recipients = dict(record["recipients"])
    assert any("Uitvoerder BV" in names for names in recipients.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [
        (Role.PRIVACY_OFFICER, 200),
        (Role.FUNCTIONAL_ADMIN, 200),
        (Role.COORDINATOR, 403),
        (Role.PARTNER_REPRESENTATIVE, 403),
    ],
)
def test_the_register_page_is_for_the_privacy_officer_and_functional_admin(
    verified_client, role, status
):
    user = UserFactory(roles=[role])
    response = verified_client(user).get(reverse("privacy_rights:processing_register"))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "AVG" in body
        assert str(register.Category.HEALTH.label)[:10] in body or "art. 9" in body
