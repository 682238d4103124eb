"""Shared fixtures. Tests run on real PostgreSQL and Redis (see scripts/test)."""

import pytest

from partners.choices import Role
from tests.factories.partners import OrganisationFactory, UserFactory


@pytest.fixture
def coordinator(db):
    org = OrganisationFactory(name="U Centraal", executing=True)
    return UserFactory(organisation=org, roles=[Role.COORDINATOR])


@pytest.fixture
def functional_admin(db):
    org = OrganisationFactory(name="U Centraal", executing=True)
    return UserFactory(organisation=org, roles=[Role.FUNCTIONAL_ADMIN])


@pytest.fixture
def partner_representative(db):
    org = OrganisationFactory(name="Politie", police=True)
    return UserFactory(organisation=org, roles=[Role.PARTNER_REPRESENTATIVE])


@pytest.fixture
def verified_client(client):
    """A test client signed in with a verified second factor, as `verified_client(user)`."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def sign_in(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="default", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in


# --- Celery: a real worker against the real broker (STYLE.md) --------------------------


@pytest.fixture(scope="session")
def celery_config():
    """The `celery_worker` fixture's app talks to the broker of CELERY_BROKER_URL; results
    go through the same Redis/Valkey so a test can wait for a task's return value."""
    from django.conf import settings

    return {
        "broker_url": settings.CELERY_BROKER_URL,
        "result_backend": settings.CELERY_BROKER_URL,
        "task_acks_late": True,
        "timezone": settings.TIME_ZONE,
    }


@pytest.fixture(scope="session")
def celery_includes():
    """Modules the test worker imports: Celery's own ping (its start-up check) and ours."""
    return ["celery.contrib.testing.tasks", "woonoverlast.celery"]
