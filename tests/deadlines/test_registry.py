"""The registry of deadline kinds: every kind of DOMAIN.md §8, and registration by other apps."""

import dataclasses

import pytest
from django.utils.translation import gettext_lazy as _

from deadlines import registry
from deadlines.domain import DueRule, Unit
from deadlines.registry import Audience, DeadlineKind
from partners.choices import Role

DOMAIN_KINDS = {
    "intake",
    "corporation_consent",
    "periodic_evaluation",
    "six_month_evaluation",
    "action",
    "meeting_agenda",
    "covenant_renewal_notice",
    "retention",
}


def test_every_kind_of_the_domain_is_registered_with_its_rules():
    codes = {kind.code for kind in registry.all_kinds()}
    assert codes >= DOMAIN_KINDS
    for kind in registry.all_kinds():
        assert kind.label and kind.starts and kind.met_when
        assert kind.tell_before, kind.code
        # Only the covenant's notice date is never overdue (it lapses to the next one).
        assert kind.tell_overdue or kind.code == "covenant_renewal_notice", kind.code


def test_every_kind_is_wired_now_that_its_objects_exist():
    # The plan of approach (cases/services/plan.py) opens and meets the evaluation and action
    # deadlines; meetings/services.py the agenda's.
    assert not {k.code for k in registry.all_kinds() if not k.wired}


def test_working_days_where_the_covenant_says_so():
    assert registry.get("intake").uses_working_days
    assert registry.get("corporation_consent").uses_working_days
    assert not registry.get("six_month_evaluation").uses_working_days


@pytest.fixture
def data_subject_request_kind():
    kind = DeadlineKind(
        code="test_data_subject_request",
        label=_("Data-subject request"),
        starts=_("A request is received."),
        met_when=_("The request is answered."),
        rule=DueRule(Unit.CALENDAR_MONTHS, 1),
        soon_working_days=5,
        tell_before=Audience(roles=frozenset({Role.PRIVACY_OFFICER})),
        tell_overdue=Audience(roles=frozenset({Role.PRIVACY_OFFICER})),
    )
    yield kind
    registry._KINDS.pop(kind.code, None)


def test_another_app_registers_its_kind(data_subject_request_kind):
    import datetime as dt

    registry.register(data_subject_request_kind)
    registry.register(data_subject_request_kind)  # ready() running twice is fine
    assert registry.get("test_data_subject_request").dates(dt.date(2026, 1, 31))[0] == dt.date(
        2026, 2, 28
    )
    clash = dataclasses.replace(data_subject_request_kind, soon_working_days=1)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(clash)


def test_unknown_kind_is_an_error():
    with pytest.raises(registry.UnknownKindError):
        registry.get("no_such_kind")
