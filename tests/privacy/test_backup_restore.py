"""Backup and restore (privacy/backup.py) and the erasure ledger (privacy/ledger.py).

Seed two cases with history, read-log rows and documents; back up; erase a person; restore
into a new, empty database and media directory with `manage.py restore` (a separate
process, as an operator would run it): every case, history row, read-log row and document
is there, and the erased person stays erased. Replaying the ledger again changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import ReadLogEntry
from cases.models import Document, Person
from privacy import backup, ledger, services
from privacy.anonymise import TOMBSTONE_NAME
from privacy.models import RequestKind, RequestStatus
from tests.privacy.full_case import make_full_case, make_team

pytestmark = pytest.mark.django_db(transaction=True)

BORN = dt.date(1963, 7, 14)
OTHER_BORN = dt.date(1971, 1, 30)
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def ledger_file(settings, tmp_path):
    path = tmp_path / "ledger" / "erasures.jsonl"
    settings.ERASURE_LEDGER_PATH = path
    return path


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database on the same server; dropped after."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _dsn(name: str) -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{name}"
    )


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    return [row[0] for row in cursor.fetchall()]


def _counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        counts = {}
        for table in _tables(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - catalogue names
            counts[table] = cursor.fetchone()[0]
        return counts


def _ids(dsn: str, table: str, column: str = "id") -> set:
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608 - fixed names
        return {row[0] for row in cursor.fetchall()}


def _data_dump(dsn: str) -> str:
    """Every row as text, without pg_dump's random per-run `\\restrict` key lines."""
    text = subprocess.run(  # noqa: S603 - pg_dump of our own test database
        [backup.tool("pg_dump"), "--data-only", "--no-comments", dsn],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return "\n".join(
        line for line in text.splitlines() if not line.startswith(("\\restrict", "\\unrestrict"))
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manage(*args: str, database: str, media: Path, ledger_path: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "woonoverlast.settings.test",
        "DATABASE_URL": _dsn(database),
        "MEDIA_ROOT": str(media),
        "ERASURE_LEDGER_PATH": str(ledger_path),
    }
    env.pop("WOONOVERLAST_TEST_TEMPLATE", None)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_restore_brings_everything_back_and_the_erased_person_stays_erased(
    media, ledger_file, empty_database, tmp_path
):
    team = make_team()
    erased_case, causer = make_full_case(
        team,
        first="Grietje",
        last="Vlaskamp",
        born=BORN,
        street="Merelhof",
        neighbour=("Henk", "Oosterbeek"),
        media=media,
    )
    other_case, other = make_full_case(
        team, first="Jochem", last="Kortenhoef", born=OTHER_BORN, street="Kanaalweg", media=media
    )
    erasure = services.request_register(
        person=causer,
        kind=RequestKind.ERASURE,
        received_on=timezone.localdate(),
        by=team.privacy_officer,
    )
    source = _dsn(connection.settings_dict["NAME"])
    history_tables = [t for t in _counts(source) if "_historical" in t]
    before = {
        "cases": _ids(source, "cases_case"),
        "reads": _ids(source, ReadLogEntry._meta.db_table),
        "history": {t: _ids(source, t, "history_id") for t in history_tables},
        "files": {
            p.relative_to(media).as_posix(): _sha(p) for p in media.rglob("*") if p.is_file()
        },
    }
    assert len(before["files"]) == 2 and len(before["reads"]) >= 4
    assert all(before["history"][t] for t in ("cases_historicalcase", "cases_historicalperson"))

    backup_dir = tmp_path / "backup"
    call_command("backup", to=backup_dir)
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert set(manifest["media"]["files"]) == set(before["files"])
    assert manifest["database"]["bytes"] > 0 and manifest["migrations"]["cases"]

    # After the backup: the person is erased (with their case's document).
    services.person_erase(
        request=erasure,
        by=team.privacy_officer,
        reason="Verzoek toegewezen.",
        documents=list(Document.objects.filter(case=erased_case)),
    )
    after_erasure = _counts(source)
    lines = ledger_file.read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["persons"] == [causer.pk]
    for needle in ("Vlaskamp", "Grietje", "1963", "Verzoek"):
        assert needle not in lines[0]

    # The disaster: restore into a new, empty database and media directory.
    restored_media = tmp_path / "restored-media"
    result = _manage(
        "restore",
        "--from",
        str(backup_dir),
        database=empty_database,
        media=restored_media,
        ledger_path=ledger_file,
    )
    assert result.returncode == 0, result.stderr
    assert "1 erasures since the backup replayed" in result.stdout

    restored = _dsn(empty_database)
    assert _ids(restored, "cases_case") == before["cases"]
    assert _ids(restored, ReadLogEntry._meta.db_table) == before["reads"]
    for table, ids in before["history"].items():
        assert ids <= _ids(restored, table, "history_id"), table
    # Row for row what the original holds after its erasure: the replay did the same work.
    # (The replay acts as the system user, which it may have had to create.)
    restored_counts = _counts(restored)
    differences = {
        t: (n, restored_counts.get(t))
        for t, n in after_erasure.items()
        if restored_counts.get(t) != n
    }
    assert set(differences) <= {"partners_user", "partners_historicaluser"}, differences

    # Documents: the other case's file is back, byte for byte; the erased one is not.
    other_document = Document.objects.get(case=other_case)
    assert (
        _sha(restored_media / other_document.file.name) == before["files"][other_document.file.name]
    )
    erased_name = next(n for n in before["files"] if n != other_document.file.name)
    assert not (restored_media / erased_name).exists()

    # The erased person is nowhere in the restored data; the others are.
    dump = _data_dump(restored)
    for needle in ("Vlaskamp", "Grietje", "14-7-1963", "1963-07-14"):
        assert needle.casefold() not in dump.casefold(), needle
    for needle in ("Oosterbeek", "Kortenhoef", "Jochem"):
        assert needle in dump
    with psycopg.connect(restored) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT last_name, erased_at FROM cases_person WHERE id = %s", [causer.pk])
        last_name, erased_at = cursor.fetchone()
        assert last_name == TOMBSTONE_NAME and erased_at is not None
        cursor.execute(
            "SELECT title, file FROM cases_document WHERE case_id = %s", [erased_case.pk]
        )
        assert cursor.fetchall() == [(TOMBSTONE_NAME, "")]
        cursor.execute(
            f"SELECT count(*) FROM {ReadLogEntry._meta.db_table} WHERE %s = ANY(person_ids)",  # noqa: S608
            [causer.pk],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT status FROM privacy_datasubjectrequest WHERE id = %s", [erasure.pk])
        assert cursor.fetchone()[0] == RequestStatus.COMPLETED

    # Replaying the ledger again changes nothing.
    result = _manage(
        "restore",
        "--from",
        str(backup_dir),
        "--replay-only",
        database=empty_database,
        media=restored_media,
        ledger_path=ledger_file,
    )
    assert result.returncode == 0, result.stderr
    assert "persons 0" in result.stdout and "documents 0" in result.stdout
    assert _data_dump(restored) == dump

    # A second restore over the restored database is refused.
    result = _manage(
        "restore",
        "--from",
        str(backup_dir),
        database=empty_database,
        media=tmp_path / "another-media",
        ledger_path=ledger_file,
    )
    assert result.returncode != 0
    assert "not empty" in result.stderr


def test_a_damaged_backup_is_refused(media, tmp_path, empty_database, ledger_file):
    (media / "cases").mkdir(parents=True)
    (media / "cases" / "a.pdf").write_bytes(b"%PDF-1.4 test")
    backup_dir = tmp_path / "backup"
    call_command("backup", to=backup_dir)
    (backup_dir / "media" / "cases" / "a.pdf").write_bytes(b"%PDF-1.4 changed")
    result = _manage(
        "restore",
        "--from",
        str(backup_dir),
        database=empty_database,
        media=tmp_path / "restored",
        ledger_path=ledger_file,
    )
    assert result.returncode != 0 and "checksum" in result.stderr
    with psycopg.connect(_dsn(empty_database)) as conn, conn.cursor() as cursor:
        assert _tables(cursor) == []


def test_an_erasure_that_cannot_be_recorded_erases_nothing(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.ERASURE_LEDGER_PATH = blocker / "erasures.jsonl"
    team = make_team()
    _case, causer = make_full_case(team, first="Ria", last="Wolters", born=BORN, street="Merelhof")
    erasure = services.request_register(
        person=causer,
        kind=RequestKind.ERASURE,
        received_on=timezone.localdate(),
        by=team.privacy_officer,
    )
    with pytest.raises(services.ErasureNotRecorded):
        services.person_erase(request=erasure, by=team.privacy_officer, reason="Toegewezen.")
    causer.refresh_from_db()
    assert causer.last_name == "Wolters" and causer.erased_at is None
    erasure.refresh_from_db()
    assert erasure.status != RequestStatus.COMPLETED


def test_the_ledger_skips_a_torn_last_line_and_refuses_other_damage(tmp_path):
    path = tmp_path / "erasures.jsonl"
    ledger.append(request=1, persons=[3, 2], documents=[], cases=[9], path=path)
    with path.open("a") as file:
        file.write('{"v": 1, "at": "2026-')
    (entry,) = ledger.entries(path=path)
    assert entry.persons == (2, 3) and entry.cases == (9,)
    assert ledger.entries(since=entry.at + dt.timedelta(seconds=1), path=path) == []
    with path.open("a") as file:
        file.write("\n" + entry.as_json() + "\n")
    with pytest.raises(ledger.LedgerError):
        ledger.entries(path=path)


@pytest.mark.django_db
def test_replay_skips_ids_the_restored_database_does_not_know():
    entry = ledger.LedgerEntry(
        at=timezone.now(), request=987654, persons=(987654,), documents=(987654,), cases=(987654,)
    )
    assert services.erasure_replay(entry=entry) == {"persons": 0, "documents": 0, "requests": 0}
    assert not Person.objects.filter(pk=987654).exists()
