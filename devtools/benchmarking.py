"""Shared by the benchmark commands: run in a throwaway database on the same PostgreSQL
server, describe the data measured on (`data_counts`), sign in a test client, and write the
results file."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import environ
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client


def _switch(settings_dict: dict[str, Any]) -> None:
    connections["default"].close()
    connections["default"].settings_dict.update(settings_dict)


@contextmanager
def benchmark_database(
    command: BaseCommand, *, prefix: str, database_url: str = ""
) -> Iterator[None]:
    """Point the default connection at `database_url` (an empty database, kept) or at a new
    throwaway database (dropped afterwards), migrate it, and switch back at the end. The
    configured database is never touched."""
    original = dict(connection.settings_dict)
    throwaway = ""
    if database_url:
        target = environ.Env.db_url_config(database_url)
    else:
        throwaway = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{throwaway}"')
        target = {**original, "NAME": throwaway}
    _switch({**original, **target})
    try:
        command.stdout.write(f"Database: {connection.settings_dict['NAME']}; migrating …")
        call_command("migrate", verbosity=0)
        yield
    finally:
        _switch(original)
        if throwaway:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{throwaway}" WITH (FORCE)')


def write_results(command: BaseCommand, results: dict[str, Any], output: str | Path) -> None:
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")
    command.stdout.write(json.dumps(results, indent=2))
    command.stdout.write(command.style.SUCCESS(f"Written to {path}"))


def sign_in_verified(client: Client, user: Any, *, device: str = "default") -> Client:
    """Sign `client` in as `user` with the second factor verified, as after the code step of
    the sign-in (with the user's first confirmed TOTP device, or a new one named `device`).
    The tests, the browser journeys (which copy the session cookie) and the benchmark
    commands all start this way."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    totp = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if totp is None:
        totp = TOTPDevice.objects.create(user=user, name=device, confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp.persistent_id
    session.save()
    return client


def verified_client(user: Any) -> Client:
    """A new test client signed in as `user` with a verified second factor, as the benchmark
    commands request pages."""
    return sign_in_verified(Client(), user, device="bench")


def data_counts() -> dict[str, int]:
    """How much data a benchmark ran on: the sizes that make pages slow, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM cases_journalentry),"
            " (SELECT count(*) FROM privacy_readlogentry),"
            " (SELECT count(*) FROM cases_caseinvolvement),"
            " (SELECT count(*) FROM deadlines_deadline),"
            " (SELECT count(*) FROM deadlines_deadline WHERE met_at IS NULL"
            " AND cancelled_at IS NULL)"
        )
        row = cursor.fetchone()
    names = (
        "cases", "journal_entries", "read_log_rows", "involvements", "deadlines", "open_deadlines"
    )  # fmt: skip
    return dict(zip(names, row, strict=True))
