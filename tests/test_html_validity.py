"""The key pages are valid HTML according to the Nu Html Checker (vnu.jar), the checker
an independent audit used (it found `<time datetime>` values with microseconds and empty
form `action`s).

The jar (31 MB) is not committed: `scripts/test` fetches it once into the user's cache
with `scripts/fetch-vnu` and passes its path in `VNU_JAR`. Without it (no network, no npm)
or without Java the test is skipped with the reason, which the summary shows (`-rs` in the
pytest options): CI never fails for want of the network, and nobody mistakes a skip for a
pass. All pages go to one checker run (one JVM start, a few seconds).

Besides the key pages, the pages of the journeys (tests/browser/): the request inbox, the
consent and screening request pages, ending an involvement, unusual access, the plan and the
evaluations, and the meetings list and a meeting.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases.choices import CaseStatus
from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db


def _vnu_jar() -> Path:
    jar = os.environ.get("VNU_JAR") or str(
        Path.home() / ".cache" / "woonoverlast" / "vnu-jar-26.9.27" / "vnu.jar"
    )
    if not Path(jar).is_file():
        pytest.skip(
            f"HTML NOT VALIDATED: no Nu Html Checker at {jar}. Run `scripts/fetch-vnu` "
            "(needs npm and the network) and set VNU_JAR to the path it prints."
        )
    if shutil.which("java") is None:
        pytest.skip("HTML NOT VALIDATED: the Nu Html Checker needs Java 11 or newer (`java`).")
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
    if not result.stdout.strip():  # the checker did not run: never a silent pass
        pytest.fail(
            f"The Nu Html Checker gave no report (exit {result.returncode}): {result.stderr}"
        )
    messages = json.loads(result.stdout).get("messages", [])
    return [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m.get("type") == "error"
    ]


def test_key_pages_validate(verified_client, tmp_path):
    _vnu_jar()  # skip at once, with the reason, when the checker cannot run
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
    # The referral form: a draft, and submitted empty after "add a person" (error summary,
    # messages next to the fields, the added row).
    from cases import services

    draft = services.referral_start(by=world.referrer)
    edit = reverse("cases:referral_edit", args=[draft.pk])
    get("referral_edit", world.referrer, edit)
    client = verified_client(world.referrer)
    management = {
        f"{prefix}-{key}": value
        for prefix in ("causer", "household", "neighbour")
        for key, value in (("TOTAL_FORMS", "1"), ("INITIAL_FORMS", "0"))
    }
    data = {"version": str(draft.version), **management}
    added = client.post(edit, {**data, "action": "add-household"})
    pages["referral_add_person"] = added.content.decode()
    pages["referral_errors"] = client.post(edit, {**data, "action": "submit"}).content.decode()
    assert (
        "wo-error-summary" in pages["referral_errors"]
        or "app-error-summary" in (pages["referral_errors"])
    )

    # The case page with a journal of two pages (the pager and its htmx "load more").
    for day in range(21):
        services.journal_entry_add(
            case=world.case, by=world.police_rep, kind="contact",
            occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=day), participants="",
            text=f"Gesprek {day}", confidentiality="named_organisations",
            visible_to=[world.politie],
        )  # fmt: skip
    get("case_page_paged", world.casemanager, reverse("cases:detail", args=[world.case.pk]))
    assert 'id="journal_page-pages"' in pages["case_page_paged"]

    errors = _validate(pages, tmp_path)
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(errors)


def _journey_world():
    """The objects the journeys' pages show: requests to a corporation and the police on a
    case in intake, a case with an agreed plan in execution, and a case meeting about it."""
    from cases import services
    from meetings.choices import ItemSource, MeetingKind
    from meetings.models import AgendaItem, Meeting
    from tests.factories.cases import ActionFactory, GoalFactory, PlanFactory

    world = make_world()
    intake_case = CaseFactory(
        status=CaseStatus.INTAKE, street="Biltstraat", house_number=3, corporation=world.mitros,
        casemanager=world.casemanager,
    )  # fmt: skip
    ReferralFactory(case=intake_case, organisation=world.mitros)
    PersonFactory(case=intake_case, first_name="Piet", last_name="Bakker")
    consent = services.consent_request(case=intake_case, by=world.coordinator)
    screening = services.screening_request(case=intake_case, by=world.coordinator)
    running = CaseFactory(
        execution=True, casemanager=world.casemanager, network=world.case.network,
        street="Amsterdamsestraatweg", house_number=80,
    )  # fmt: skip
    PersonFactory(case=running, first_name="Kees", last_name="Jansen")
    plan = PlanFactory(case=running, agreed=True)
    goal = GoalFactory(plan=plan, agreed_partners=[world.politie])
    # An open action (the case team's done and cancel forms), a done and a cancelled one.
    ActionFactory(goal=goal, organisation=world.politie)
    finished_at = dt.datetime(2027, 1, 5, 10, 0, tzinfo=dt.UTC)
    for organisation, trait, by in (
        (world.politie, "done", world.police_rep),
        (world.ggz, "cancelled", world.casemanager),
    ):
        ActionFactory(
            goal=goal, organisation=organisation, finished_by=by, finished_at=finished_at,
            **{trait: True},
        )  # fmt: skip
    meeting = Meeting.objects.create(
        kind=MeetingKind.CASE, network=world.case.network, date=dt.date(2027, 1, 12),
        start_time=dt.time(10, 0), location="Wijkbureau", chair=world.coordinator,
    )  # fmt: skip
    AgendaItem.objects.create(
        meeting=meeting, position=1, source=ItemSource.PLAN, case=running,
        question="Plan vaststellen?",
    )  # fmt: skip
    return world, consent, screening, running, meeting


def test_journey_pages_validate(verified_client, tmp_path):
    _vnu_jar()
    world, consent, screening, running, meeting = _journey_world()
    officer = UserFactory(organisation=world.uc, roles=[Role.PRIVACY_OFFICER])
    pages: dict[str, str] = {}

    def get(name: str, user, url: str) -> None:
        client = verified_client(user)
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()

    get("request_inbox", world.outsider_rep, reverse("cases:requests"))
    get("consent_answer", world.outsider_rep, reverse("cases:consent_answer", args=[consent.pk]))
    get(
        "screening_record",
        world.police_rep,
        reverse("cases:screening_record", args=[screening.pk]),
    )
    get(
        "involvement_end",
        world.coordinator,
        reverse("cases:involvement_end", args=[world.case.pk, world.politie.pk]),
    )
    get("unusual_access", officer, reverse("privacy_audit:unusual"))
    get("plan", world.casemanager, reverse("cases:plan", args=[running.pk]))
    get("evaluations", world.casemanager, reverse("cases:evaluations", args=[running.pk]))
    get("meeting_list", world.coordinator, reverse("meetings:list"))
    get("meeting", world.coordinator, reverse("meetings:detail", args=[meeting.pk]))

    errors = _validate(pages, tmp_path)
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(errors)
