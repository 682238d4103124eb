"""The annual report: the selectors' raw numbers as suppressed, labelled tables.

Each `Figure` is a table (column headings, rows of display strings) with an optional bar
chart, its definition and the result agreements that belong to it. The page, the CSV and
the PDF all print the same figures, so what is suppressed on one is suppressed on all.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import Background, CaseStatus, NuisanceForm, RedirectTarget
from cases.choices_plan import FollowUp, HousingOutcome, NuisanceOutcome, PassedOnDestination
from deadlines import kinds as deadline_kinds
from early_signals import selectors as signal_selectors
from meetings.choices import MeetingKind

from . import selectors
from .choices import FigureKey
from .domain.charts import Chart, bar_chart
from .domain.suppression import HIDDEN, THRESHOLD, Cell, share, suppress
from .models import ResultAgreement
from .selectors import Scope


@dataclass
class Target:
    label: str
    target: str
    actual: str
    scope: str
    note: str


@dataclass
class Figure:
    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[list[str]]
    chart: Chart | None = None
    chart_title: str = ""
    targets: list[Target] = field(default_factory=list)


@dataclass
class Report:
    scope: Scope
    network_name: str
    figures: list[Figure]
    targets: list[Target]


def _pct(part: int, whole: int) -> str:
    return f"{number_format(round(100 * part / whole, 1), 1)} %" if whole else "–"


def _share_of(cell: Cell, total: Cell) -> str:
    if cell.hidden or total.hidden or not total.count:
        return "–"
    return _pct(cell.count, total.count)


def _distribution(
    key: str,
    title: str,
    definition: str,
    counts: Mapping[str, int],
    labels: Mapping[str, str],
    *,
    total: int | None = None,
    chart: bool = True,
) -> Figure:
    table = suppress(dict(counts), total=total)
    rows = [
        [labels.get(k, k), cell.display, _share_of(cell, table.total)]
        for k, cell in table.cells.items()
    ]
    rows.append([_("Total"), table.total.display, ""])
    bars = [(labels.get(k, k), cell.shown, cell.display) for k, cell in table.cells.items()]
    return Figure(
        key=key,
        title=title,
        definition=definition,
        columns=[_("Category"), _("Cases"), _("Share of the total")],
        rows=rows,
        chart=bar_chart(bars) if chart and bars else None,
        chart_title=title,
    )


def _signal_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    """Per network the signals and how many became a referral, with the small-cell rule:
    a count of 1 to 4 shows "< 5", and "became a referral" is hidden too when the signals
    that did not are 1 to 4 (it could be worked out from the two numbers shown)."""
    result = []
    for row in rows:
        referred, recorded, _share = share(int(row["referred"]), int(row["recorded"]))
        result.append([row["network__name"] or "–", recorded.display, referred.display])
    return result


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _prefixed(counts: Mapping[str, int], prefix: str) -> dict[str, int]:
    return {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith(prefix + ":")}


def _days(value: float | None) -> str:
    return "–" if value is None else number_format(round(value, 1), 1)


def build_report(scope: Scope, *, today: datetime.date, network_name: str = "") -> Report:
    """Every figure for the scope; a constant number of queries whatever the data."""
    not_recorded = _("Not recorded")
    figures: list[Figure] = []
    total_referred = selectors.referrals_total(scope)

    # Referrals
    figures.append(
        _distribution(
            "referrers",
            _("Referrals by referring organisation"),
            _(
                "Cases referred in the period, by the organisation that referred them. A case "
                "referred by two organisations counts for both, so the rows can add up to more "
                "than the total."
            ),
            selectors.referrals_by_referrer(scope),
            {},
            total=total_referred,
        )
    )
    districts = {k or "": v for k, v in selectors.referrals_by_district(scope).items()}
    figures.append(
        _distribution(
            "districts",
            _("Referrals by district"),
            _("Cases referred in the period, by the district of the address."),
            districts,
            {"": not_recorded},
        )
    )
    figures.append(
        _distribution(
            "nuisance_forms",
            _("Referrals by nuisance form"),
            _(
                "Cases referred in the period with each nuisance form named in a referral; a "
                "case with several forms counts for each."
            ),
            selectors.referrals_by_array(scope, "nuisance_forms", NuisanceForm),
            _labels(NuisanceForm),
            total=total_referred,
        )
    )
    figures.append(
        _distribution(
            "backgrounds",
            _("Referrals by suspected background"),
            _(
                "Cases referred in the period with each suspected background named in a "
                "referral; a case with several counts for each."
            ),
            selectors.referrals_by_array(scope, "backgrounds", Background),
            _labels(Background),
            total=total_referred,
        )
    )
    acceptance = selectors.acceptance(scope)
    acceptance_labels = {
        "accepted": _("Accepted"),
        "attached": _("Attached to another case"),
        "pending": _("Not yet decided"),
        **{
            f"redirected:{v}": _("Redirected: %(to)s") % {"to": label}
            for v, label in RedirectTarget.choices
        },
        "redirected:": _("Redirected: %(to)s") % {"to": not_recorded},
    }
    ordered = {
        k: acceptance.get(k, 0)
        for k in acceptance_labels
        if k in acceptance or k in ("accepted", "pending")
    }
    figures.append(
        _distribution(
            "acceptance",
            _("Accepted and redirected"),
            _(
                "Cases referred in the period: accepted into the approach, redirected to "
                "another part of the pyramid (with the destination), attached to a case "
                "already running, or still in intake."
            ),
            ordered,
            acceptance_labels,
        )
    )

    # Closing
    closing = selectors.closing(scope)
    outcome_labels = {**_labels(NuisanceOutcome), "": not_recorded}
    for pillar, title in (
        ("neighbours_outcome", _("Outcome judged by the neighbours")),
        ("partners_outcome", _("Outcome judged by the partners")),
    ):
        figures.append(
            _distribution(
                pillar,
                title,
                _(
                    "Cases closed in the period, by the outcome in their final evaluation: "
                    "fully resolved, manageable or not resolved (first main goal)."
                ),
                _prefixed(closing, pillar),
                outcome_labels,
            )
        )
    figures.append(
        _distribution(
            "in_care",
            _("Causer in care at closing"),
            _(
                "Cases closed in the period: was the causer in care at the final evaluation (second main goal)?"
            ),
            _prefixed(closing, "in_care"),
            {"yes": _("Yes"), "no": _("No"), "": not_recorded},
        )
    )
    figures.append(
        _distribution(
            "housing",
            _("Housing outcome"),
            _("Cases closed in the period, by where the causer lives at the final evaluation."),
            _prefixed(closing, "housing"),
            {**_labels(HousingOutcome), "": not_recorded},
        )
    )
    figures.append(
        _distribution(
            "follow_up",
            _("Follow-up: aftercare or passed on"),
            _("Cases closed in the period, by the follow-up recorded in the final evaluation."),
            _prefixed(closing, "follow_up"),
            {**_labels(FollowUp), "": not_recorded},
        )
    )
    figures.append(
        _distribution(
            "passed_on",
            _("Passed on to"),
            _("Cases closed in the period that were passed on, by where they went."),
            _prefixed(closing, "passed_on"),
            _labels(PassedOnDestination),
        )
    )
    figures.append(
        _distribution(
            "aftercare",
            _("Aftercare started"),
            _("Cases closed in the period for which an aftercare plan was made."),
            _prefixed(closing, "aftercare"),
            {"yes": _("Yes"), "no": _("No")},
        )
    )

    # Lead times
    lead = selectors.lead_times(scope)
    phase_labels = {
        "to_intake": _("Referral to taken into handling"),
        "to_acceptance": _("Taken into handling to accepted"),
        "to_closing": _("Accepted to closed"),
        "total": _("Referral to closed"),
    }
    lead_rows = []
    bars = []
    for phase, label in phase_labels.items():
        n = int(lead[phase]["n"] or 0)
        small = n < THRESHOLD
        median = None if small else lead[phase]["median"]
        lead_rows.append(
            [
                label,
                HIDDEN if 0 < n < THRESHOLD else str(n),
                HIDDEN if small and n else _days(median),
                HIDDEN if small and n else _days(None if small else lead[phase]["p90"]),
            ]
        )
        bars.append((label, median, HIDDEN if small and n else _days(median)))
    figures.append(
        Figure(
            key="lead_time",
            title=_("Lead time in days"),
            definition=_(
                "Cases closed in the period: the calendar days from one date to the next, as "
                "the median (half took longer) and the 90th percentile (one in ten took "
                "longer), interpolated. Hidden when fewer than 5 cases have both dates."
            ),
            columns=[_("Phase"), _("Cases"), _("Median"), _("90th percentile")],
            rows=lead_rows,
            chart=bar_chart(bars),
            chart_title=_("Median lead time in days"),
        )
    )

    # Deadlines
    deadlines = selectors.deadlines_met(scope, today=today)
    kind_labels = {
        deadline_kinds.INTAKE: _("Taken into handling within 5 working days"),
        deadline_kinds.CORPORATION_CONSENT: _("Corporation's consent within 3 working days"),
        deadline_kinds.SIX_MONTH_EVALUATION: _("Six-month evaluation on time"),
    }
    deadline_rows = []
    bars = []
    for kind, label in kind_labels.items():
        table = suppress(deadlines[kind])
        on_time = table.cells["on_time"]
        pct = _share_of(on_time, table.total)
        deadline_rows.append(
            [
                label,
                *(table.cells[k].display for k in ("on_time", "late", "overdue")),
                table.total.display,
                pct,
            ]
        )
        value = None if pct == "–" else 100 * on_time.count / table.total.count
        bars.append((label, value, pct))
    figures.append(
        Figure(
            key="deadlines",
            title=_("Deadlines met"),
            definition=_(
                "Deadlines due in the period: met on time, met late, or still open past the "
                "due date today. Deadlines that lapsed (for example of a redirected case) "
                "and deadlines not yet due are left out."
            ),
            columns=[
                _("Deadline"),
                _("On time"),
                _("Late"),
                _("Overdue"),
                _("Total"),
                _("On time (%)"),
            ],
            rows=deadline_rows,
            chart=bar_chart(bars),
            chart_title=_("Deadlines met on time (%)"),
        )
    )

    # Recidivism
    rec = selectors.recidivism(scope, today=today)
    repeated, followable, rate = share(int(rec["repeated"]), int(rec["followable"]))
    figures.append(
        Figure(
            key="recidivism",
            title=_("Recidivism within 3 years"),
            definition=recidivism_definition(rec["followable_until"]),
            columns=[_("Cases"), _("How many")],
            rows=[
                [_("Closed in the period"), suppress({"n": int(rec["closed"])}).total.display],
                [_("Can be followed for 3 years"), followable.display],
                [_("With a counted new referral within 3 years"), repeated.display],
                [_("Recidivism"), "–" if rate is None else f"{number_format(rate, 1)} %"],
            ],
        )
    )

    # Life domains
    life = selectors.life_domain_change(scope)
    n = int(life["n"] or 0)
    small = n < THRESHOLD
    direction = suppress({k: int(life[k] or 0) for k in ("improved", "level", "declined")})
    figures.append(
        Figure(
            key="life_domains",
            title=_("Life-domain change from first to last analysis"),
            definition=_(
                "Cases closed in the period with at least two life-domain analyses: the mean "
                "score (1 acute problems … 5 self-reliant) over the domains scored, in the "
                "first and in the last analysis, and how many cases improved, stayed level "
                "or declined."
            ),
            columns=[_("Measure"), _("Value")],
            rows=[
                [_("Cases"), HIDDEN if n and small else str(n)],
                [_("Mean score, first analysis"), HIDDEN if n and small else _days(life["first"])],
                [_("Mean score, last analysis"), HIDDEN if n and small else _days(life["last"])],
                [_("Improved"), direction.cells["improved"].display],
                [_("Level"), direction.cells["level"].display],
                [_("Declined"), direction.cells["declined"].display],
            ],
        )
    )

    # Work done
    work = selectors.work_done(scope)
    counts = suppress(
        {
            k: int(work[k])
            for k in (
                "kris_checks",
                "screenings",
                "eviction_advices",
                "relocations",
                "support_requested",
                "support_granted",
            )
        },
        total=0,
    )
    granted_small = 0 < int(work["support_granted"]) < THRESHOLD
    amount: Decimal = work["support_amount"]
    figures.append(
        Figure(
            key="work",
            title=_("Work done"),
            definition=_(
                "KRIS checks of the cases referred in the period; police screenings "
                "requested, eviction advices given to landlords, relocations advised and "
                "material support requested in the period; of the support, what the "
                "corporations granted (for the financial accounting)."
            ),
            columns=[_("Work"), _("How many")],
            rows=[
                [_("KRIS checks"), counts.cells["kris_checks"].display],
                [_("Police screenings requested"), counts.cells["screenings"].display],
                [_("Eviction advices given"), counts.cells["eviction_advices"].display],
                [_("Relocations advised"), counts.cells["relocations"].display],
                [_("Material support requested"), counts.cells["support_requested"].display],
                [_("Material support granted"), counts.cells["support_granted"].display],
                [
                    _("Material support granted, amount (euro)"),
                    HIDDEN if granted_small else number_format(amount, 2, force_grouping=True),
                ],
            ],
        )
    )

    # Meetings
    kinds = _labels(MeetingKind)
    held = selectors.meetings_held(scope, today=today)
    figures.append(
        Figure(
            key="meetings",
            title=_("Meetings held"),
            definition=_(
                "Meetings in the period up to today that were not cancelled, per network "
                "and kind (the advisory and steering groups belong to no network)."
            ),
            columns=[_("Network"), _("Meeting"), _("Held")],
            rows=[
                [row["network__name"] or "–", kinds.get(row["kind"], row["kind"]), str(row["n"])]
                for row in held
            ],
        )
    )
    figures.append(
        Figure(
            key="attendance",
            title=_("Attendance per organisation"),
            definition=_(
                "Of the meetings held in the period where the organisation was on the "
                "attendance list: how many it attended."
            ),
            columns=[_("Organisation"), _("On the list"), _("Present"), _("Attended (%)")],
            rows=[
                [
                    row["organisation__name"],
                    str(row["listed"]),
                    str(row["present"]),
                    _pct(row["present"], row["listed"]),
                ]
                for row in selectors.attendance(scope, today=today)
            ],
        )
    )

    # Early signals (issue 17)
    figures.append(
        Figure(
            key="early_signals",
            title=_("Early signals"),
            definition=_(
                "Early signals recorded in the period, per network, and how many of them "
                "became part of a referral. Signals that did not are deleted some months "
                "after their last change (EARLY_SIGNAL_RETENTION_MONTHS), so for periods "
                "further back this counts only the signals still held."
            ),
            columns=[_("Network"), _("Signals"), _("Became a referral")],
            rows=_signal_rows(
                signal_selectors.signal_figures(
                    start=scope.start, end=scope.end, network_id=scope.network_id
                )
            ),
        )
    )

    targets = _targets(
        scope,
        figures_by_key={f.key: f for f in figures},
        actuals=_actuals(
            total_referred=total_referred,
            acceptance=acceptance,
            closing=closing,
            lead=lead,
            deadlines=deadlines,
            recidivism_rate=rate,
        ),
    )
    return Report(scope=scope, network_name=network_name, figures=figures, targets=targets)


def recidivism_definition(followable_until: Any) -> str:
    return _(
        "Of the cases closed in the period that can be followed for 3 years (closed on or "
        "before %(date)s), the share with a counted new referral for the same nuisance form, "
        "referred within 3 years after the closing. A new referral counts when it matched "
        "the same person, or matched the address and the coordinator confirmed it is the "
        "same household."
    ) % {"date": followable_until.strftime("%d-%m-%Y")}


def _safe_share(part: int, whole: int) -> float | None:
    return share(part, whole)[2]


def _actuals(
    *,
    total_referred: int,
    acceptance: Mapping[str, int],
    closing: Mapping[str, int],
    lead: Mapping[str, Mapping[str, Any]],
    deadlines: Mapping[str, Mapping[str, int]],
    recidivism_rate: float | None,
) -> dict[str, str]:
    def pct(value: float | None) -> str:
        return "–" if value is None else f"{number_format(value, 1)} %"

    partners = {k: v for k, v in _prefixed(closing, "partners_outcome").items() if k}
    good = partners.get(NuisanceOutcome.RESOLVED, 0) + partners.get(NuisanceOutcome.MANAGEABLE, 0)
    care = _prefixed(closing, "in_care")
    housing = {k: v for k, v in _prefixed(closing, "housing").items() if k}
    aftercare = _prefixed(closing, "aftercare")
    lead_total = lead["total"]
    result = {
        FigureKey.REFERRALS: suppress({"n": total_referred}).total.display,
        FigureKey.ACCEPTED_SHARE: pct(_safe_share(acceptance.get("accepted", 0), total_referred)),
        FigureKey.RESOLVED_OR_MANAGEABLE: pct(_safe_share(good, sum(partners.values()))),
        FigureKey.IN_CARE_AT_CLOSING: pct(
            _safe_share(care.get("yes", 0), care.get("yes", 0) + care.get("no", 0))
        ),
        FigureKey.NOT_HOMELESS: pct(
            _safe_share(
                sum(housing.values()) - housing.get(HousingOutcome.HOMELESS, 0),
                sum(housing.values()),
            )
        ),
        FigureKey.LEAD_TIME_MEDIAN: (
            _days(lead_total["median"])
            if int(lead_total["n"] or 0) >= THRESHOLD
            else ("–" if not lead_total["n"] else HIDDEN)
        ),
        FigureKey.RECIDIVISM: pct(recidivism_rate),
        FigureKey.AFTERCARE_STARTED: pct(
            _safe_share(aftercare.get("yes", 0), aftercare.get("yes", 0) + aftercare.get("no", 0))
        ),
    }
    for key, kind in (
        (FigureKey.INTAKE_ON_TIME, deadline_kinds.INTAKE),
        (FigureKey.CONSENT_ON_TIME, deadline_kinds.CORPORATION_CONSENT),
        (FigureKey.SIX_MONTH_ON_TIME, deadline_kinds.SIX_MONTH_EVALUATION),
    ):
        row = deadlines[kind]
        result[key] = pct(_safe_share(row["on_time"], sum(row.values())))
    return {str(k): v for k, v in result.items()}


FIGURE_OF_TARGET = {
    FigureKey.REFERRALS: "acceptance",
    FigureKey.ACCEPTED_SHARE: "acceptance",
    FigureKey.RESOLVED_OR_MANAGEABLE: "partners_outcome",
    FigureKey.IN_CARE_AT_CLOSING: "in_care",
    FigureKey.NOT_HOMELESS: "housing",
    FigureKey.LEAD_TIME_MEDIAN: "lead_time",
    FigureKey.INTAKE_ON_TIME: "deadlines",
    FigureKey.CONSENT_ON_TIME: "deadlines",
    FigureKey.SIX_MONTH_ON_TIME: "deadlines",
    FigureKey.RECIDIVISM: "recidivism",
    FigureKey.AFTERCARE_STARTED: "aftercare",
}


def _targets(
    scope: Scope, *, figures_by_key: Mapping[str, Figure], actuals: Mapping[str, str]
) -> list[Target]:
    """The result agreements of the years the period touches, for the chosen network (or
    all networks); each also listed beside its figure. One query."""
    years = range(scope.start.year, scope.end.year + 1)
    network_q = Q(network__isnull=True)
    if scope.network_id is not None:
        network_q |= Q(network_id=scope.network_id)
    agreements = (
        ResultAgreement.objects.filter(network_q, year__in=list(years))
        .select_related("network")
        .order_by("year", "network__name", "figure")
    )
    all_networks = str(gettext_lazy("All networks"))
    targets = []
    for agreement in agreements:
        target = Target(
            label=f"{agreement.year}: {agreement.get_figure_display()}",
            target=number_format(agreement.target, 1),
            actual=actuals.get(agreement.figure, "–"),
            scope=agreement.network.name if agreement.network else all_networks,
            note=agreement.note,
        )
        targets.append(target)
        figure = figures_by_key.get(FIGURE_OF_TARGET.get(FigureKey(agreement.figure), ""))
        if figure is not None:
            figure.targets.append(target)
    return targets


def open_status_labels() -> dict[str, str]:
    return {s.value: str(s.label) for s in CaseStatus}
