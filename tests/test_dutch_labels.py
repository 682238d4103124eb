"""Dutch everywhere: every model field has a Dutch name, and the pages that list field and
role names (the case's change history, the read log) show no English label and no code.

The check is against the compiled Dutch catalog: a label counts as Dutch when its English
msgid has a translation there (for words that are the same in both languages, like
"postcode", the catalog holds them too).
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from audit import readlog
from cases import services
from partners.choices import Role
from tests.factories.partners import UserFactory
from tests.privacy.full_case import make_full_case, make_team

OUR_APPS = ("cases", "partners", "privacy", "meetings", "deadlines", "notifications")


def _catalog():
    return trans_real.translation("nl")._catalog


def _has_dutch(msgid: str) -> bool:
    catalog = _catalog()
    return msgid in catalog or any(
        isinstance(k, str) and k.endswith("\x04" + msgid)
        for k in catalog.keys()  # noqa: SIM118 (TranslationCatalog has no __iter__)
    )


def _dutch_values() -> set[str]:
    return {v for _, v in _catalog().items() if isinstance(v, str)}


def _our_fields():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in OUR_APPS or meta.auto_created:
            continue
        if model.__name__.endswith("ObjectPermission"):  # guardian's own columns
            continue
        if model.__name__.startswith("Historical"):  # copies of the fields checked here
            continue
        for f in meta.get_fields():
            if not (getattr(f, "concrete", False) or f.many_to_many) or f.auto_created:
                continue
            if f.name.startswith("history_") or (f.primary_key and f.name == "id"):
                continue
            yield model, f


def test_every_model_field_has_a_translated_verbose_name():
    missing = []
    for model, f in _our_fields():
        with translation.override("en"):
            english = str(f.verbose_name)
        if not isinstance(f.verbose_name, Promise) or not _has_dutch(english):
            missing.append(f"{model._meta.label}.{f.name} ({english!r})")
    assert not missing, "Fields without a Dutch verbose_name:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_history_and_read_log_show_only_dutch_labels(verified_client):
    team = make_team()
    case, causer = make_full_case(
        team, first="Jan", last="Jansen", born=dt.date(1970, 2, 3), street="Oudegracht"
    )
    causer.phone = "0612345678"
    causer.save()
    case.refresh_from_db()
    services.case_details_update(
        case=case, by=team.casemanager, version=case.version, data={"street": "Biltstraat"}
    )
    dutch = _dutch_values()

    page = verified_client(team.coordinator).get(reverse("cases:history", args=[case.pk]))
    assert page.status_code == 200
    labels = {
        html.unescape(m)
        for m in re.findall(r'<li class="utrecht-unordered-list__item">([^<:]+):', page.text)
    }
    assert len(labels) > 10
    untranslated = sorted(label for label in labels if label not in dutch)
    assert not untranslated, f"English field names on the history page: {untranslated}"

    officer = UserFactory(organisation=team.uc, roles=[Role.PRIVACY_OFFICER])
    request = RequestFactory().get("/")
    request.user = team.police_rep
    readlog.record(
        request,
        case_id=case.pk,
        what=readlog.ReadWhat.CASE_PAGE,
        basis=readlog.Basis(readlog.ReadBasis.INVOLVED_ORGANISATION),
    )
    log = verified_client(officer).get(reverse("privacy_audit:by_case", args=[case.pk]))
    assert log.status_code == 200
    with translation.override("nl"):
        assert str(Role.PARTNER_REPRESENTATIVE.label) in log.text
    for code in Role.values:
        assert f"({code}" not in log.text and f", {code}" not in log.text, code
