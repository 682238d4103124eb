"""Demo data journey: after seed_demo, a coordinator sees the demo cases in the case list and
opens an accepted case with its journal and document; the Mitros representative finds the
open consent request in the inbox. Each page passes axe."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases.models import Case
from devtools import demo
from devtools.management.commands import seed_demo
from partners.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(settings, tmp_path, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # e-mail of the seed's notifications, inline
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    monkeypatch.setattr(seed_demo, "ACCOUNTS_FILE", tmp_path / "demo-accounts.txt")
    # A transactional test before this one may have flushed the migrations' seed data
    # (organisations, districts, networks, criteria): bring it back with their own code.
    for module in ("partners.migrations.0003_seed_utrecht", "cases.migrations.0002_seed_criteria"):
        importlib.import_module(module).seed(apps, None)
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _sign_in(page, sign_in_on, email):
    """A demo account gets its second factor here (seed_demo makes none)."""
    user = User.objects.get(email=email)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    sign_in_on(page, user, seed_demo.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))


def test_coordinator_and_mitros_find_their_work_in_the_demo_data(
    seeded, page, browser, browser_context_args, live_server, axe_clean, sign_in_on
):
    """One seed for both people (seeding takes most of this journey's time)."""
    _sign_in(page, sign_in_on, "coordinator@example.org")
    page.goto(f"{live_server.url}/casussen/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(demo.SCENARIOS) - 1)  # the draft is no case yet
    expect(page.locator("table")).to_contain_text(re.compile("verlopen|overdue"))
    axe_clean(page)

    accepted = Case.objects.filter(documents__isnull=False).order_by("pk").first()
    page.locator("a", has_text=accepted.number).first.click()
    expect(page.locator("h1")).to_contain_text(accepted.number)
    expect(page.locator("main")).to_contain_text("Verslag huisbezoek")
    expect(page.locator("main")).to_contain_text(re.compile("Journaal \\(3\\)|Journal \\(3\\)"))
    axe_clean(page)

    context = browser.new_context(**browser_context_args)
    try:
        mitros = context.new_page()
        _sign_in(mitros, sign_in_on, "mitros@example.org")
        mitros.goto(f"{live_server.url}/casussen/verzoeken/")
        expect(mitros.locator("table").first).to_contain_text(
            re.compile("Nog niet beantwoord|Not answered yet")
        )
        axe_clean(mitros)
    finally:
        context.close()
