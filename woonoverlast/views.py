"""Pages of the whole application rather than of one app. The dashboard is a workspace per
role (issue 16): the work waiting for the user, gathered from several apps, so it sits
above them all, in the project package. Every block is a count, the first few items and a
link to the full list; the reads are selectors of the owning apps (one query per block),
visibility comes from their access modules. docs/workspaces.md."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import access as case_access
from cases.domain.next_step import next_step
from cases.selectors import intake_due_state, workspace
from cases.selectors_referral import referral_status
from deadlines import registry
from deadlines.access import may_see_deadlines, visible_deadlines
from deadlines.selectors import dashboard_block, due_state
from early_signals import access as signal_access
from early_signals.selectors import open_signals
from figures.access import may_see_dashboard_figures, may_view_figures
from figures.dashboard import coordinator_figures
from meetings.access import may_open_meetings
from meetings.selectors import meetings_in_month
from partners import access
from partners.choices import Role
from partners.models import User


def _coordinator(user: User, today: datetime.date) -> dict[str, Any]:
    workspace_blocks: dict[str, Any] = {
        "to_take": workspace.referrals_to_take(user=user, today=today),
        "unassigned": workspace.cases_without_casemanager(user=user),
        "late_requests": workspace.late_consent_requests(user=user, today=today),
        "plans": workspace.plans_to_agree(user=user),
    }
    for case in workspace_blocks["to_take"].items:
        case.intake = intake_due_state(case)
    if may_open_meetings(user):
        workspace_blocks["meetings"] = workspace.block_of(meetings_in_month(user=user, today=today))
    if signal_access.may_handle_signals(user):
        workspace_blocks["signals"] = workspace.block_of(open_signals(user=user))
    return workspace_blocks


def _casemanager(user: User, today: datetime.date) -> dict[str, Any]:
    cases = workspace.my_cases(user=user, today=today)
    for case in cases.items:
        case.next_step = next_step(case.status)
        case.next_deadline = due_state(case, "next")  # next_due_on, next_state
        case.next_deadline_label = registry.label(case.next_kind) if case.next_kind else ""
    return {"cases": cases}


def _representative(user: User) -> dict[str, Any]:
    consents = workspace.consent_requests_waiting(user=user)
    screenings = workspace.screenings_waiting(user=user)
    return {
        "consents": consents,
        "screenings": screenings,
        "requests_count": consents.count + screenings.count,
        "involved": workspace.newly_involved_cases(user=user),
        "actions": workspace.open_actions(user=user),
        "newly_days": workspace.NEWLY_INVOLVED_DAYS,
    }


@access.signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    context: dict[str, Any] = {"may_view_figures": may_view_figures(user)}
    shown_cases: list[Any] = []
    if case_access.may_coordinate(user):
        context["coordinator"] = blocks = _coordinator(user, today)
        shown_cases += blocks["to_take"].items + blocks["unassigned"].items
        shown_cases += [r.case for r in blocks["late_requests"].items]
        shown_cases += [p.case for p in blocks["plans"].items]
    if access.has_role(user, Role.CASEMANAGER):
        context["casemanager"] = blocks = _casemanager(user, today)
        shown_cases += blocks["cases"].items
    if case_access.may_use_request_inbox(user):
        context["representative"] = blocks = _representative(user)
        shown_cases += [i.case for i in blocks["involved"].items]
    if access.has_role(user, Role.REFERRER):
        context["referrals"] = workspace.referrals_followed(user=user)
        for referral in context["referrals"].items:
            referral.status = referral_status(referral.case)
        case_access.log_referral_list(request, context["referrals"].items)
    # Deadlines the user may see (overdue and due soon across the cases they see).
    if may_see_deadlines(user):
        context["deadline_block"] = dashboard_block(visible=visible_deadlines(user))
    # The coordinator's figures (open cases, intake deadlines, referrals per month).
    if may_see_dashboard_figures(user):
        context["figures"] = coordinator_figures(today=today)
    # One read-log row per case a block named (case number and street), in one INSERT.
    unique = {case.pk: case for case in shown_cases}
    if unique:
        case_access.log_case_list(request, unique.values())
    return render(request, "dashboard.html", context)
