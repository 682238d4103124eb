"""Every form normalises free text and bounds dates (woonoverlast/forms.py)."""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.choices import Confidentiality, JournalKind
from cases.models import JournalEntry
from tests.cases.case_setup import basis_data, make_world
from woonoverlast.forms import InputHygieneMixin, clean_text

FORM_MODULES = [
    "cases.forms.case",
    "cases.forms.intake",
    "cases.forms.lawful_basis",
    "cases.forms.person",
    "cases.forms.referral",
    "partners.forms",
    "partners.auth",
    "partners.services",
    "privacy.forms",
    "privacy.emergency",
    "privacy.audit_forms",
    "notifications.forms",
]
OUR_APPS = ("cases", "partners", "privacy", "meetings", "deadlines", "notifications")

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


# Forms that take no input from a person.
EXEMPT = {"partners.services._AccountSetupForm"}  # fills in a user's address to send a mail


def test_every_form_of_our_apps_uses_the_input_hygiene_mixin():
    for name in FORM_MODULES:
        importlib.import_module(name)
    missing = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in set(_all_subclasses(forms.BaseForm))
        if cls.__module__.split(".")[0] in OUR_APPS
        and not issubclass(cls, InputHygieneMixin)
        and f"{cls.__module__}.{cls.__qualname__}" not in EXEMPT
    )
    assert not missing, f"Forms without InputHygieneMixin (use woonoverlast.forms): {missing}"


# --- clean_text ---------------------------------------------------------------------------


def test_escape_sequences_c1_and_bidi_controls_are_removed_newlines_and_tabs_kept():
    raw = "\x1b[31mRood\x1b[0m\u202eeert\u202c\r\nregel\t2\x85\x9bnog\u2028einde\ufeff"
    assert clean_text(raw) == "[31mRood[0meert\nregel\t2\nnog\neinde"


def test_text_is_stored_in_nfc():
    decomposed = "Cafe\u0301 Ru\u0308tte"
    assert clean_text(decomposed) == "Café Rütte"


@given(st.text())
def test_clean_text_leaves_no_control_or_bidi_character(text):
    cleaned = clean_text(text)
    for ch in cleaned:
        if ch in "\t\n\x00":  # NUL stays for Django's validator, which refuses it
            continue
        assert unicodedata.category(ch) != "Cc", repr(ch)
        assert ch not in BIDI + "\ufeff\u2028\u2029", repr(ch)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned  # idempotent


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]) | st.sampled_from("\n\t")))
def test_ordinary_text_is_unchanged_apart_from_nfc(text):
    assert clean_text(text) == unicodedata.normalize("NFC", text)


# --- Through the pages ---------------------------------------------------------------------


@pytest.fixture
def world(db):
    return make_world()


def _journal(client, world, **data):
    payload = {
        "kind": JournalKind.PHONE_CALL,
        "occurred_on": timezone.localdate().isoformat(),
        "participants": "Casemanager",
        "text": "Gebeld.",
        "confidentiality": Confidentiality.ALL_INVOLVED,
        **basis_data(world.casemanager),
        **data,
    }
    return client.post(reverse("cases:journal_add", args=[world.case.pk]), payload)


def test_journal_text_is_stored_without_control_characters(world, verified_client):
    response = _journal(
        verified_client(world.casemanager),
        world,
        text="\x1b]8;;http://x\x07Klik\u202e gpj.exe\r\nTweede\tregel",
        participants="Jan\u200f\x9b",
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.text == "]8;;http://xKlik gpj.exe\nTweede\tregel"
    assert entry.participants == "Jan"


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_journal_date_before_2000_is_refused_with_the_limit(world, verified_client, day):
    response = _journal(verified_client(world.casemanager), world, occurred_on=day)
    assert response.status_code == 200
    assert "1-1-2000" in response.content.decode()  # the earliest date, in Dutch format
    assert not JournalEntry.objects.exists()


def test_person_birth_date_has_a_plausible_range(world):
    from cases.forms.person import PersonForm

    person = world.case.persons.get()
    for day, ok in [
        ("0001-01-01", False),
        ("1899-12-31", False),
        ("1900-01-01", True),
        ((timezone.localdate() + dt.timedelta(days=1)).isoformat(), False),
    ]:
        form = PersonForm(data={"last_name": "Smit", "date_of_birth": day}, instance=person)
        form.is_valid()
        assert ("date_of_birth" not in form.errors) is ok, (day, form.errors)


def test_referral_nuisance_since_and_birth_date_are_bounded():
    from cases.forms.referral import CauserForm, ReferralForm

    referral = ReferralForm(data={"nuisance_since": "0001-01-01"})
    referral.is_valid()
    assert "nuisance_since" in referral.errors
    causer = CauserForm(data={"date_of_birth": "0001-01-01"})
    causer.is_valid()
    assert "date_of_birth" in causer.errors
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    causer = CauserForm(data={"date_of_birth": tomorrow})
    causer.is_valid()
    assert [e.code for e in causer.errors.as_data()["date_of_birth"]] == ["future"]


def test_nul_is_still_refused_with_a_message():
    from cases.forms.case import JournalEntryForm

    field = JournalEntryForm.base_fields["text"]
    from woonoverlast.forms import harden_field

    field = field.__deepcopy__({})
    harden_field("text", field)
    with pytest.raises(forms.ValidationError):
        field.clean("Oude\x00gracht")
