"""The record of processing activities (AVG art. 30), built from what the software does.

Nothing here is typed in by hand: the categories of data and of data subjects come from
`privacy/register.py` and the models' verbose names, the recipients from the organisations
in the database, the retention periods, controller and security measures from the settings.
Change the software and the register follows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext as _

from cases import purge
from cases.models import LawfulBasis
from partners.choices import OrganisationKind
from partners.models import Covenant, Organisation

from . import register


@dataclass
class CategoryRow:
    category: register.Category
    special: bool
    where: list[str]  # "Person: first name, last name"


def controller() -> str:
    return settings.PRIVACY_CONTROLLER


def processors() -> list[Any]:
    """The executing organisation(s): the processor under the covenant (DOMAIN.md §7)."""

    return list(
        Organisation.objects.filter(kind=OrganisationKind.EXECUTING, is_active=True).order_by(
            "name"
        )
    )


def purpose() -> str:

    covenant = Covenant.objects.filter(is_active=True).order_by("-starts_on").first()
    if covenant is None:
        return _("The multi-agency approach to extreme housing nuisance.")
    return _(
        "The multi-agency approach to extreme housing nuisance under the covenant "
        "“%(title)s” (signed on %(date)s): referral, intake, plan of approach, case "
        "meetings, evaluation and aftercare, and the figures the approach is judged on."
    ) % {"title": covenant.title, "date": covenant.signed_on.isoformat()}


def lawful_bases() -> list[str]:
    """The active entries of the catalogue the privacy officer maintains, with their law."""

    return [str(basis) for basis in LawfulBasis.objects.filter(is_active=True).order_by("label")]


def _field_label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def data_categories() -> list[CategoryRow]:
    where: dict[register.Category, list[str]] = defaultdict(list)
    for label, entry in register.PERSONAL_DATA.items():
        model = apps.get_model(label)
        by_category: dict[register.Category, list[str]] = defaultdict(list)
        for name, categories in entry.fields.items():
            for category in categories:
                by_category[category].append(_field_label(model, name))
        for category, fields in by_category.items():
            where[category].append(
                f"{str(model._meta.verbose_name).capitalize()}: {', '.join(fields)}"
            )
    for label, categories in register.THIRD_PARTY.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for category in categories:
            where[category].append(str(model._meta.verbose_name).capitalize())
    return [
        CategoryRow(category=category, special=category in register.SPECIAL, where=where[category])
        for category in register.Category
        if where[category]
    ]


def subject_categories() -> list[tuple[register.Subject, list[str]]]:
    found: dict[register.Subject, list[str]] = defaultdict(list)
    for label, entry in register.PERSONAL_DATA.items():
        model = apps.get_model(label)
        for subject in entry.subjects:
            found[subject].append(str(model._meta.verbose_name_plural))
    return [(subject, found[subject]) for subject in register.Subject if found[subject]]


def recipients() -> list[tuple[str, list[str]]]:
    """Organisation kinds that receive data when involved in a case, with their members."""

    by_kind: dict[str, list[str]] = defaultdict(list)
    for organisation in Organisation.objects.filter(is_active=True).order_by("name"):
        by_kind[organisation.kind].append(organisation.name)
    return [
        (str(label), by_kind[value]) for value, label in OrganisationKind.choices if by_kind[value]
    ]


def retention() -> list[str]:
    years = settings.RETENTION_YEARS_AFTER_CLOSING
    return [
        _(
            "Personal data of a case is removed %(years)s years after the case closed "
            "(RETENTION_YEARS_AFTER_CLOSING), by a daily job; each case gets a line in the "
            "retention log."
        )
        % {"years": years},
        _(
            "The recidivism check looks back %(years)s years (RECIDIVISM_YEARS); it keeps "
            "working after removal through keyed hashes of name, date of birth and address."
        )
        % {"years": settings.RECIDIVISM_YEARS},
        _(
            "Kept after removal, without names or free text: referring organisation, district, "
            "forms of nuisance, suspected background, decision, dates and deadlines, for the "
            "figures the approach is judged on."
        ),
        _(
            "The change history and the read log are cleaned with the case: the history "
            "rows lose the personal data, the read log keeps who read when, not whose data."
        ),
        _(
            "Data-subject requests: answered within one month, extendable by two months "
            "with a reason (AVG art. 12(3))."
        ),
        # Feature apps' own data outside any case (early signals), each with its period.
        *(source.rule() for source in purge.retention_sources()),
    ]


def security_measures() -> list[str]:
    measures = [
        _(
            "Need-to-know access per case: only organisations involved in a case see it, and "
            "each journal entry and document has its own confidentiality level."
        ),
        _("Every change to personal data is kept in a change history with who and when."),
        _(
            "Every read of personal data is logged (who, whose, what, when, from where, on "
            "what basis); the database refuses changes to the read log."
        ),
        _(
            "Documents are stored outside the web root and only served after a permission "
            "check; e-mails contain only a case number and a link behind sign-in."
        ),
        _("Recidivism keys are keyed hashes (HMAC) with a secret: they cannot be reversed."),
    ]
    if "partners.middleware.RequireSecondFactorMiddleware" in settings.MIDDLEWARE:
        measures.append(_("Two-factor sign-in (TOTP) is required for every user."))
    if getattr(settings, "AXES_FAILURE_LIMIT", 0):
        measures.append(
            _("Accounts are locked after %(count)s failed sign-ins.")
            % {"count": settings.AXES_FAILURE_LIMIT}
        )
    measures.append(
        _("Sessions end after %(minutes)s minutes without activity.")
        % {"minutes": settings.SESSION_COOKIE_AGE // 60}
    )
    if getattr(settings, "SECURE_HSTS_SECONDS", 0):
        measures.append(_("Only encrypted connections (HTTPS with HSTS)."))
    if getattr(settings, "SECURE_CSP", None):
        measures.append(_("A strict Content-Security-Policy without inline scripts."))
    return measures


def no_personal_data() -> list[tuple[str, str]]:
    rows = []
    for label, reason in register.NO_PERSONAL_DATA.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        rows.append((str(model._meta.verbose_name_plural).capitalize(), str(reason)))
    return rows


def build() -> dict[str, Any]:
    """Everything the register page shows."""
    return {
        "controller": controller(),
        "processors": processors(),
        "privacy_contact": settings.PRIVACY_OFFICER_CONTACT,
        "purpose": purpose(),
        "lawful_bases": lawful_bases(),
        "data_categories": data_categories(),
        "subject_categories": subject_categories(),
        "recipients": recipients(),
        "retention": retention(),
        "security_measures": security_measures(),
        "no_personal_data": no_personal_data(),
        "transfers": _("No transfers to countries outside the European Economic Area."),
    }
