"""The key pages are valid HTML according to the Nu Html Checker (vnu.jar), the checker
an independent audit used (it found `<time datetime>` values with microseconds and empty
form `action`s).

The jar (31 MB) is not committed: `scripts/test` fetches it once into the user's cache
with `scripts/fetch-vnu` and passes its path in `VNU_JAR`. Without it (or without Java)
this test is skipped, saying how to get it. All pages go to one checker run (one JVM
start, a few seconds).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases.choices import CaseStatus
from tests.cases.case_setup import make_world
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _vnu_jar() -> Path:
    jar = os.environ.get("VNU_JAR") or str(
        Path.home() / ".cache" / "woonoverlast" / "vnu-jar-26.9.27" / "vnu.jar"
    )
    if not Path(jar).is_file() or shutil.which("java") is None:
        pytest.skip("Nu Html Checker not available: run `scripts/fetch-vnu` (needs npm, Java)")
    return Path(jar)


def _validate(pages: dict[str, str], tmp_path: Path) -> list[str]:
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(_vnu_jar()), "--format", "json", "--stdout", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m.get("type") == "error"
    ]


def test_key_pages_validate(verified_client, tmp_path):
    world = make_world()
    intake_case = CaseFactory(status=CaseStatus.INTAKE, street="Biltstraat", house_number=3)
    ReferralFactory(case=intake_case, organisation=world.ggz)
    PersonFactory(case=intake_case, first_name="Piet", last_name="Bakker")
    pages: dict[str, str] = {}

    def get(name: str, user, url: str, language: str = "nl") -> None:
        client = verified_client(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()

    get("dashboard", world.coordinator, reverse("dashboard"))
    get("case_list", world.casemanager, reverse("cases:list"))
    get("case_page", world.casemanager, reverse("cases:detail", args=[world.case.pk]))
    get("case_page_en", world.casemanager, reverse("cases:detail", args=[world.case.pk]), "en")
    get("case_history", world.coordinator, reverse("cases:history", args=[world.case.pk]))
    get("intake_list", world.coordinator, reverse("cases:intake_list"))
    get("intake_page", world.coordinator, reverse("cases:intake", args=[intake_case.pk]))
    get("referral_form", world.referrer, reverse("cases:referral_start"))
    get("journal_form", world.casemanager, reverse("cases:journal_add", args=[world.case.pk]))
    get("notifications", world.casemanager, reverse("notifications:list"))

    errors = _validate(pages, tmp_path)
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(errors)
