"""manage.py seed_demo: refuses without DEBUG, runs with it, never takes over a real account.

That it runs with DEBUG on, and what it makes (accounts, networks, cases, idempotence), is in
tests/test_demo_data.py, on demo data seeded once for that module."""

import pytest
from django.core.management import CommandError, call_command

from devtools.management.commands import seed_demo
from partners.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def accounts_file(tmp_path, monkeypatch):
    target = tmp_path / "demo-accounts.txt"
    monkeypatch.setattr(seed_demo, "ACCOUNTS_FILE", target)
    return target


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """seed_demo also makes demo cases with documents: keep them out of var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(is_demo=True).exists()


def test_never_touches_a_real_account_with_a_demo_address():
    real = User.objects.create_user("politie@example.org", password="echt-wachtwoord-123")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("seed_demo", "--force")
    real.refresh_from_db()
    assert real.check_password("echt-wachtwoord-123")
