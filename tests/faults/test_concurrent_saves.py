"""Faults: pairs of users save the same form at the same moment (docs/operations.md,
"Faults").

Each user is a thread with its own test client and so its own database connection, going
through the real middleware, form and view; the two of a pair load the same version and
post together (a barrier). Optimistic locking is one conditional UPDATE (… WHERE version =
n), so of each pair exactly one save wins, the other gets the form back with the Dutch
conflict message and everything they typed, and no update is lost: the row holds the
winner's values and one history row per winning save.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Case, Goal, Plan
from cases.services import plan as plan_services
from tests.cases.case_setup import make_world
from tests.cases.test_case_edit import _data
from tests.factories.cases import CaseFactory

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PAIRS = 50
# Pairs saving at the very same moment: each thread holds a database connection and the
# shared test server allows 100, so the 50 pairs go in rounds of 10 (20 connections).
PAIRS_AT_ONCE = 10

CONFLICT = "Someone else saved this in the meantime. Your input is kept; check and save again."


def _dutch(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def _session_cookie(user) -> str:
    """A signed-in session (second factor verified) of its own for `user`."""
    from devtools.benchmarking import sign_in_verified

    client = sign_in_verified(Client(), user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _post_in_pairs(jobs):
    """Run [(cookie, url, data), (cookie, url, data)] pairs: each thread its own client and
    connection, both of a pair released by one barrier. Returns the responses per pair."""

    def save(cookie, url, data, barrier):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
        try:
            barrier.wait(timeout=30)
            response = client.post(url, data)
            body = response.content.decode()
            return response.status_code, body
        finally:
            connection.close()

    results = []
    for start in range(0, len(jobs), PAIRS_AT_ONCE):
        batch = jobs[start : start + PAIRS_AT_ONCE]
        barrier = threading.Barrier(2 * len(batch))
        with ThreadPoolExecutor(max_workers=2 * len(batch)) as pool:
            futures = [[pool.submit(save, *job, barrier) for job in pair] for pair in batch]
            results += [[f.result(timeout=60) for f in pair] for pair in futures]
    return results


def test_50_pairs_saving_the_same_case_at_once_each_conflict_is_shown_and_nothing_lost():
    world = make_world()
    cases = [world.case] + [
        CaseFactory(casemanager=world.casemanager, network=world.case.network, street="Oudegracht")
        for _ in range(PAIRS - 1)
    ]
    history_before = {case.pk: case.history.count() for case in cases}
    coordinator = _session_cookie(world.coordinator)
    casemanager = _session_cookie(world.casemanager)
    jobs = [
        [
            (
                coordinator,
                reverse("cases:edit", args=[case.pk]),
                _data(case, street=f"Coordinatorstraat {i}"),
            ),
            (
                casemanager,
                reverse("cases:edit", args=[case.pk]),
                _data(case, street=f"Casemanagerstraat {i}"),
            ),
        ]
        for i, case in enumerate(cases)
    ]
    results = _post_in_pairs(jobs)

    message = _dutch(CONFLICT)
    assert message != CONFLICT  # the Dutch text, not the msgid
    for i, (case, pair) in enumerate(zip(cases, results, strict=True)):
        statuses = sorted(status for status, _body in pair)
        assert statuses == [200, 302], (i, statuses)  # one saved, one was told
        (winner,) = [n for n, (status, _b) in enumerate(pair) if status == 302]
        loser_body = pair[1 - winner][1]
        assert message in loser_body.replace("&#x27;", "'")
        typed = ["Coordinatorstraat", "Casemanagerstraat"][1 - winner] + f" {i}"
        assert typed in loser_body  # their input is kept
        saved = Case.objects.get(pk=case.pk)
        assert saved.street == ["Coordinatorstraat", "Casemanagerstraat"][winner] + f" {i}"
        assert saved.version == 2
        assert case.history.count() == history_before[case.pk] + 1  # one save, not two


def test_pairs_saving_the_same_plan_and_goal_at_once_each_conflict_is_shown():
    world = make_world()
    pairs = 5
    cases = [
        CaseFactory(casemanager=world.casemanager, network=world.case.network) for _ in range(pairs)
    ]
    plans = [
        plan_services.plan_start(
            case=case, by=world.coordinator, summary="Start", evaluation_interval_months=3
        )
        for case in cases
    ]
    coordinator = _session_cookie(world.coordinator)
    casemanager = _session_cookie(world.casemanager)
    jobs = [
        [
            (
                cookie,
                reverse("cases:plan_edit", args=[plan.case_id]),
                {"summary": f"{who} {i}", "evaluation_interval_months": "3", "version": "1"},
            )
            for cookie, who in (
                (coordinator, "Samenvatting coördinator"),
                (casemanager, "Samenvatting casemanager"),
            )
        ]
        for i, plan in enumerate(plans)
    ]
    message = _dutch(CONFLICT)
    for i, (plan, pair) in enumerate(zip(plans, _post_in_pairs(jobs), strict=True)):
        statuses = [status for status, _body in pair]
        assert sorted(statuses) == [200, 302], (i, statuses)
        winner = statuses.index(302)
        loser_body = pair[1 - winner][1]
        assert message in loser_body.replace("&#x27;", "'")
        who = ["Samenvatting coördinator", "Samenvatting casemanager"]
        assert f"{who[1 - winner]} {i}" in loser_body
        saved = Plan.objects.get(pk=plan.pk)
        assert (saved.summary, saved.version) == (f"{who[winner]} {i}", 2)

    target = timezone.localdate() + dt.timedelta(days=90)
    goals = [
        plan_services.goal_add(
            plan=plan,
            by=world.coordinator,
            specific="Geen geluidsoverlast meer",
            indicator="Meldingen per maand",
            target="0",
            agreed_partners=[world.politie],
            feasibility="Afspraken",
            target_date=target,
        )  # fmt: skip
        for plan in plans
    ]
    jobs = [
        [
            (
                cookie,
                reverse("cases:goal_edit", args=[goal.case_id, goal.pk]),
                {
                    "specific": f"{who} {i}",
                    "indicator": "Meldingen per maand",
                    "target": "0",
                    "agreed_partners": [world.politie.pk],
                    "feasibility": "Afspraken",
                    "target_date": target.isoformat(),
                    "version": "1",
                },
            )
            for cookie, who in (
                (coordinator, "Doel coördinator"),
                (casemanager, "Doel casemanager"),
            )
        ]
        for i, goal in enumerate(goals)
    ]
    for i, (goal, pair) in enumerate(zip(goals, _post_in_pairs(jobs), strict=True)):
        statuses = [status for status, _body in pair]
        assert sorted(statuses) == [200, 302], (i, statuses)
        winner = statuses.index(302)
        loser_body = pair[1 - winner][1]
        assert message in loser_body.replace("&#x27;", "'")
        who = ["Doel coördinator", "Doel casemanager"]
        assert f"{who[1 - winner]} {i}" in loser_body
        saved = Goal.objects.get(pk=goal.pk)
        assert (saved.specific, saved.version) == (f"{who[winner]} {i}", 2)
        assert goal.history.count() == 2  # added, then one save
