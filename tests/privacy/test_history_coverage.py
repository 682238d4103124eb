"""Every table with personal data keeps a change history, or says why not."""

from django.apps import apps

from privacy.history import WITHOUT_HISTORY
from privacy.register import PERSONAL_DATA


def _has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def test_every_model_with_personal_data_has_history_or_a_reason():
    missing = [
        label
        for label in PERSONAL_DATA
        if not _has_history(apps.get_model(label)) and label not in WITHOUT_HISTORY
    ]
    assert missing == [], "Add HistoricalRecords() or a reason in privacy.history.WITHOUT_HISTORY"


def test_reasons_are_only_given_for_models_without_history():
    stale = [label for label in WITHOUT_HISTORY if _has_history(apps.get_model(label))]
    assert stale == []


def test_user_history_leaves_out_password_and_last_login():
    from partners.models import User

    fields = {f.name for f in User.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields
    assert "email" in fields
