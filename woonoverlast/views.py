"""Pages of the whole application rather than of one app. The dashboard gathers work from
several apps (today the deadlines block; later a workspace per role), so it sits above them
all, in the project package."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.access import may_use_my_actions
from cases.selectors.plan import my_actions, my_actions_count
from deadlines.access import may_see_deadlines, visible_deadlines
from deadlines.selectors import dashboard_block
from figures.access import may_see_dashboard_figures, may_view_figures
from figures.dashboard import coordinator_figures
from partners import access


@access.signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    # Deadlines the user may see (deadlines.access.visible_deadlines); None: no block.
    user = request.user
    block = dashboard_block(visible=visible_deadlines(user)) if may_see_deadlines(user) else None
    # Open actions of the representative's organisation: the count and the five due first.
    actions = None
    if may_use_my_actions(user):
        actions = {"count": my_actions_count(user=user), "first": list(my_actions(user=user)[:5])}
    # The coordinator's figures (open cases, intake deadlines, referrals per month).
    figures = None
    if may_see_dashboard_figures(user):
        figures = coordinator_figures(today=timezone.localdate())
    return render(
        request,
        "dashboard.html",
        {
            "deadline_block": block,
            "my_actions": actions,
            "figures": figures,
            "may_view_figures": may_view_figures(user),
        },
    )
