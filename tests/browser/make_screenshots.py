"""Screenshots of the main pages per role, from the demo data, with the browser the tests use.

Not part of the test suite (the file name does not start with `test_`): `scripts/screenshots`
runs it and it writes `docs/screenshots/*.png` (1280 px wide, the top of each page), which
the README shows. Run it again after a change to the look of these pages and commit the
images. Each page also passes axe, as in the journeys.
"""

from __future__ import annotations

import importlib
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases.choices import CaseStatus
from cases.models import Case
from devtools.management.commands import seed_demo
from partners.models import User

pytestmark = pytest.mark.django_db(transaction=True)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 900


@pytest.fixture
def seeded(settings, tmp_path, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    monkeypatch.setattr(seed_demo, "ACCOUNTS_FILE", tmp_path / "demo-accounts.txt")
    for module in ("partners.migrations.0003_seed_utrecht", "cases.migrations.0002_seed_criteria"):
        importlib.import_module(module).seed(apps, None)
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _page_as(browser, browser_context_args, sign_in_on, email):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": WIDTH, "height": HEIGHT}}
    )
    page = context.new_page()
    user = User.objects.get(email=email)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    sign_in_on(page, user, seed_demo.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    return page


def _shoot(page, axe_clean, name):
    """The visible top of the page, as a 256-colour optimised PNG (small in the repository)."""
    from PIL import Image  # Pillow comes with WeasyPrint

    axe_clean(page)
    OUT.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(page.screenshot(full_page=False)))
    image.convert("RGB").quantize(colors=256).save(OUT / f"{name}.png", optimize=True)


def test_screenshots(seeded, browser, browser_context_args, live_server, sign_in_on, axe_clean):
    url = live_server.url
    accepted = (
        Case.objects.filter(status=CaseStatus.ACCEPTED, documents__isnull=False)
        .order_by("pk")
        .first()
    ) or Case.objects.exclude(status=CaseStatus.DRAFT).order_by("pk").first()

    coordinator = _page_as(browser, browser_context_args, sign_in_on, "coordinator@example.org")
    _shoot(coordinator, axe_clean, "coordinator-dashboard")
    coordinator.goto(f"{url}/casussen/")
    _shoot(coordinator, axe_clean, "coordinator-case-list")

    casemanager = _page_as(browser, browser_context_args, sign_in_on, accepted.casemanager.email)
    casemanager.goto(f"{url}/casussen/{accepted.pk}/")
    _shoot(casemanager, axe_clean, "casemanager-case-page")
    casemanager.goto(f"{url}/casussen/{accepted.pk}/#journal")
    _shoot(casemanager, axe_clean, "casemanager-case-page-journal")

    partner = _page_as(browser, browser_context_args, sign_in_on, "mitros@example.org")
    partner.goto(f"{url}/casussen/verzoeken/")
    _shoot(partner, axe_clean, "partner-requests")

    referrer = _page_as(browser, browser_context_args, sign_in_on, "melder.mitros@example.org")
    referrer.goto(f"{url}/casussen/mijn-aanmeldingen/")
    _shoot(referrer, axe_clean, "referrer-my-referrals")
    referrer.goto(f"{url}/casussen/aanmelden/")
    referrer.locator("form[action$='/casussen/aanmelden/'] button[type=submit]").click()
    expect(referrer.locator("h1")).to_be_visible()
    _shoot(referrer, axe_clean, "referrer-referral-form")
    # The persons part, with "add a person" pressed once (htmx: the fieldset comes back).
    referrer.locator("input[name='household-0-last_name']").fill("Jansen")
    referrer.locator("button[name='action'][value='add-household']").click()
    expect(referrer.locator("input[name='household-1-first_name']")).to_be_focused()
    referrer.locator("#persons-household").evaluate("e => e.scrollIntoView()")
    _shoot(referrer, axe_clean, "referrer-referral-form-persons")
