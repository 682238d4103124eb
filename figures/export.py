"""The annual report as CSV (one line per table cell) and as PDF (the house style,
`woonoverlast/pdf.py`): the same suppressed figures as the page."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from woonoverlast.pdf import render_pdf

from .report import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    """A spreadsheet must not read a cell as a formula (an organisation named "=...")."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def period_label(report: Report) -> str:
    return f"{report.scope.start:%d-%m-%Y} – {report.scope.end:%d-%m-%Y}"


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Figure"), _("Row"), _("Column"), _("Value")])
    writer.writerow([_("Period"), "", "", period_label(report)])
    writer.writerow([_("Network"), "", "", _safe(report.network_name or _("All networks"))])
    for figure in report.figures:
        for row in figure.rows:
            for column, value in zip(figure.columns[1:], row[1:], strict=True):
                writer.writerow([_safe(figure.title), _safe(row[0]), _safe(column), _safe(value)])
    for target in report.targets:
        writer.writerow([_("Result agreements"), _safe(target.label), _("Target"), target.target])
        writer.writerow([_("Result agreements"), _safe(target.label), _("Actual"), target.actual])
    return out.getvalue()


def filename(report: Report, extension: str) -> str:
    scope = report.scope
    return f"jaarverslag-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.{extension}"


def report_pdf(report: Report, *, recipient: str) -> bytes:
    return render_pdf(
        "figures/pdf/report.html",
        {"report": report, "period": period_label(report)},
        recipient=recipient,
    )
