import pytest

from notifications.services import notify
from tests.factories.cases import CaseFactory
from tests.factories.partners import UserFactory


@pytest.fixture(autouse=True)
def english(settings):
    """The tests read the English source texts (the interface is Dutch by default)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def make_notifications():
    """`make_notifications(user, n)`: n notifications about n cases, each a new referral."""

    def make(user, count=1, *, event="new_referral"):
        made = []
        for _ in range(count):
            case = CaseFactory(number=None)
            case.number = f"WO-2026-{case.pk:04d}"
            case.save(update_fields=["number"])
            notify(
                recipients=[user],
                event=event,
                key=f"case:{case.pk}:{event}",
                case=case,
                url=f"/casussen/{case.pk}/",
            )
            made.append(case)
        return made

    return make


@pytest.fixture
def someone(db):
    return UserFactory()
