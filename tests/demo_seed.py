"""The demo data (manage.py seed_demo) seeded once for a test module.

Seeding takes seconds, so modules whose tests read what the seed made seed it once in a
module-scoped fixture: inside a transaction that is rolled back when the module is done, with
each test in its own savepoint on top of it (as a plain db test), so a test's changes never
reach the next one. Such a module keeps its tests on one xdist worker (`xdist_group`), or each
worker would seed again."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from devtools.management.commands import seed_demo


@dataclass(frozen=True)
class Seeded:
    output: str  # what the command printed
    accounts_file: Path  # where it listed the demo accounts


@contextmanager
def demo_seeded_once(
    django_db_blocker, folder: Path, *, run_on_commit: bool, debug: bool = False
) -> Iterator[Seeded]:
    """seed_demo in a transaction rolled back at the end: with DEBUG on when `debug` (as a
    developer runs it), else with --force. Documents go to `folder`, not var/media, and so
    does the accounts list. With `run_on_commit` the seed's on-commit work (its
    notifications' e-mail, inline) runs as after a real commit."""
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder / "media")},
        },
    }
    accounts_file = folder / "demo-accounts.txt"
    output = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, CELERY_TASK_ALWAYS_EAGER=run_on_commit, DEBUG=debug),
        pytest.MonkeyPatch.context() as monkeypatch,
        transaction.atomic(),
    ):
        monkeypatch.setattr(seed_demo, "ACCOUNTS_FILE", accounts_file)
        arguments = [] if debug else ["--force"]
        with override_settings(DEBUG=debug):
            if run_on_commit:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("seed_demo", *arguments, stdout=output)
            else:
                call_command("seed_demo", *arguments, stdout=output)
        yield Seeded(output.getvalue(), accounts_file)
        transaction.set_rollback(True)
