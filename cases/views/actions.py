"""Marking an action done or cancelling it: on "my actions" (its organisation's
representatives) and on the case's own pages that list actions (the plan page with its goals
and the case meetings' decisions, the aftercare page: the case team).

Thin views: `access_action` loads the action (404 outside the need to know, 403 for who may
not do this), `services.plan` writes and refuses. The forms on the case's pages carry `next`,
the page they are on: without JavaScript the answer returns there, and a form sent back with
errors is shown open at the action's row of that page, everything typed kept. With htmx the
row is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.access import object_access
from partners.models import User

from ..access import Section, access_action, access_case, is_case_team, may_use_my_actions
from ..choices_plan import PlanStatus
from ..domain.plan import PlanRefused
from ..forms.plan import ActionCancelForm, ActionCompleteForm
from ..models import Action
from ..services import plan as plan_services
from .action_finish import CANCEL, DONE, Finish
from .evaluation import aftercare_page_response
from .plan import my_actions_page_response, plan_page_response


def _user(request: HttpRequest) -> User:
    """The signed-in user (`object_access` sends anonymous visitors to sign in)."""
    return cast(User, request.user)


def _posted_next(request: HttpRequest) -> str | None:
    """The page the form was on, when it is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _case_page_url(action: Action) -> str:
    """The case's page that lists the action: the aftercare page or the plan page."""
    if action.aftercare_plan_id is not None:
        return reverse("cases:aftercare", args=[action.case_id]) + "#actions"
    if action.decided_in_meeting:
        return reverse("cases:plan", args=[action.case_id]) + "#meeting-actions"
    return reverse("cases:plan", args=[action.case_id]) + "#goals"


def _row(
    request: HttpRequest, action: Action, next_url: str, finish: Finish | None = None
) -> HttpResponse:
    """The action's row of a case page (htmx swaps it in place)."""
    context = {
        "action": action,
        "case_team": is_case_team(request.user, action.case),
        "finish": finish,
        "next_url": next_url,
    }
    return render(request, "cases/plan/_case_action.html", context)


def _case_page(request: HttpRequest, action: Action, finish: Finish) -> HttpResponse:
    """The case's page holding the action again, its form open with the errors (no JS)."""
    if action.aftercare_plan_id is not None:
        case = access_case(request, action.case_id, section=Section.AFTERCARE)
        return aftercare_page_response(request, case, finish=finish)
    case = access_case(request, action.case_id, section=Section.PLAN)
    number = None
    if action.goal is not None and action.goal.plan.status == PlanStatus.SUPERSEDED:
        number = action.goal.plan.number  # an earlier version's goal: that version's page
    return plan_page_response(request, case, number, finish=finish)


def _apply(
    form: ActionCompleteForm | ActionCancelForm,
    action: Action,
    step: Callable[[dict[str, Any]], Action],
) -> Action:
    """`step(cleaned_data)` when the form is valid: the action as the service left it; a
    refusal becomes the form's error and the action stays as it was."""
    if form.is_valid():
        try:
            return step(form.cleaned_data)
        except PlanRefused as error:
            form.add_error(None, str(error.reasons[0]))
    return action


def _answer_on_case_page(
    request: HttpRequest, action: Action, sent: Finish, done: str
) -> HttpResponse:
    """After a done or cancel form sent from a case's page: with htmx the action's row (its
    form open with the errors, if any); without, the page again with the errors, or back to
    it with `done` as the message."""
    finish = sent if sent.form.errors else None
    if request.headers.get("HX-Request"):
        return _row(request, action, sent.next_url, finish)
    if finish is not None:
        return _case_page(request, action, finish)
    messages.success(request, done)
    return redirect(sent.next_url)


@require_POST
@object_access(access_action)
def action_done(request: HttpRequest, action_pk: int) -> HttpResponse:
    """Mark an action done with an optional note: its organisation's representatives (from
    "my actions") or the case team (from the case's pages, which send `next`)."""
    action = access_action(request, action_pk, to_finish=True)
    is_htmx = bool(request.headers.get("HX-Request"))
    next_url = _posted_next(request)
    if next_url is None and not may_use_my_actions(request.user):
        next_url = _case_page_url(action)  # the case team has no "my actions" to return to
    form = ActionCompleteForm(request.POST)
    action = _apply(
        form,
        action,
        lambda data: plan_services.action_complete(
            action=action, by=_user(request), note=data["note"]
        ),
    )
    if next_url is None:  # "my actions"
        if form.errors and not is_htmx:
            return my_actions_page_response(request, done_form=form, done_pk=action.pk)
        if is_htmx:
            context = {"action": action, "done_form": form if form.errors else None}
            return render(request, "cases/plan/_my_action.html", context)
        messages.success(request, _("The action is marked done."))
        return redirect("cases:my_actions")
    return _answer_on_case_page(
        request, action, Finish(action.pk, DONE, form, next_url), _("The action is marked done.")
    )


@require_POST
@object_access(access_action)
def action_cancel(request: HttpRequest, action_pk: int) -> HttpResponse:
    """Cancel an action with a reason (required): the case team, from the case's pages."""
    action = access_action(request, action_pk, to_cancel=True)
    next_url = _posted_next(request) or _case_page_url(action)
    form = ActionCancelForm(request.POST)
    action = _apply(
        form,
        action,
        lambda data: plan_services.action_cancel(
            action=action, by=_user(request), reason=data["reason"]
        ),
    )
    return _answer_on_case_page(
        request, action, Finish(action.pk, CANCEL, form, next_url), _("The action is cancelled.")
    )
