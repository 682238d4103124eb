"""The coordinator's figures on the dashboard: open cases per phase, network and casemanager,
intake deadlines overdue and due soon, referrals this month against last. Each number links
to the case list with the same filter (`cases:list`, `CaseFilterForm`). Three queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.choices import CaseStatus
from deadlines.domain.state import DeadlineState

from . import selectors


@dataclass(frozen=True)
class Line:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class DashboardFigures:
    by_phase: list[Line]
    by_network: list[Line]
    by_casemanager: list[Line]
    deadlines: list[Line]
    this_month: int
    last_month: int
    open_total: int

    @property
    def groups(self) -> list[tuple[str, list[Line]]]:
        return [
            (_("Open cases per phase"), self.by_phase),
            (_("Open cases per network"), self.by_network),
            (_("Open cases per casemanager"), self.by_casemanager),
            (_("Intake deadlines"), self.deadlines),
        ]


def _list_url(**filters: object) -> str:
    return f"{reverse('cases:list')}?{urlencode(filters)}"


def coordinator_figures(*, today: datetime.date) -> DashboardFigures:
    rows = selectors.open_cases()
    phase: dict[str, int] = defaultdict(int)
    network: dict[tuple[int | None, str], int] = defaultdict(int)
    casemanager: dict[tuple[int | None, str], int] = defaultdict(int)
    for row in rows:  # grouped rows (phase × network × casemanager), not cases
        phase[row["status"]] += row["n"]
        network[(row["network_id"], row["network__name"] or "")] += row["n"]
        name = " ".join(
            p for p in (row["casemanager__first_name"], row["casemanager__last_name"]) if p
        )
        casemanager[(row["casemanager_id"], name)] += row["n"]
    labels = {s.value: str(s.label) for s in CaseStatus}
    no_network, nobody = _("No network"), _("No casemanager yet")
    deadlines = selectors.intake_deadline_states(today=today)
    months = selectors.referrals_per_month(today=today)
    return DashboardFigures(
        by_phase=[
            Line(labels[status], phase[status], _list_url(status=status))
            for status in selectors.OPEN_PHASES
            if phase.get(status)
        ],
        by_network=[
            Line(name or no_network, n, _list_url(network=pk) if pk else "")
            for (pk, name), n in sorted(network.items(), key=lambda item: item[0][1])
        ],
        by_casemanager=[
            Line(name or nobody, n, _list_url(casemanager=pk) if pk else "")
            for (pk, name), n in sorted(casemanager.items(), key=lambda item: item[0][1])
        ],
        deadlines=[
            Line(
                _("Intake deadlines overdue"),
                deadlines["overdue"],
                _list_url(deadline=DeadlineState.OVERDUE.value),
            ),
            Line(
                _("Intake deadlines due soon"),
                deadlines["due_soon"],
                _list_url(deadline=DeadlineState.DUE_SOON.value),
            ),
        ],
        this_month=months["this_month"],
        last_month=months["last_month"],
        open_total=sum(phase.values()),
    )
