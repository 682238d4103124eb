"""Backup and restore of the database and the uploaded files, with the erasure replay.

`manage.py backup --to DIR` writes

    DIR/database.dump   pg_dump, custom format (pg_restore reads it)
    DIR/media/...       every file under the document storage's directory (MEDIA_ROOT)
    DIR/manifest.json   when it started and finished, the migrations it holds, and the
                        size and SHA-256 of every file above

`manage.py restore --from DIR` checks every checksum, refuses a database that has tables or
a media directory that has files, restores both, and then replays the erasure ledger
(privacy/ledger.py) from the backup's start on, so that no person erased since comes back.
Why here: the replay is the privacy rule of a restore; the rest is plumbing for it.

The dump is a snapshot from the moment pg_dump starts; the files are copied after it. A file
uploaded meanwhile is in the backup without its row (harmless); a file deleted meanwhile by
an erasure is missing, and the replay empties its row again. Connection details come from
DATABASES["default"]; the password goes to pg_dump through PGPASSWORD, never the command line.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import ledger
from .services import erasure_replay

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
# Erasures from this long before the backup's start are replayed too: a ledger line is
# written just before its transaction commits, so an erasure can be in the ledger a moment
# before it is in the snapshot. Replaying one the backup already holds changes nothing.
REPLAY_MARGIN = datetime.timedelta(minutes=10)


class BackupError(Exception):
    """Shown to the operator as is (no personal data)."""


@dataclass
class RestoreReport:
    files: int = 0
    replayed: int = 0
    replay_counts: dict[str, int] = field(default_factory=dict)


def media_root() -> Path:
    return Path(getattr(default_storage, "location", settings.MEDIA_ROOT))


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = str(db["NAME"])
    # TLS options of DATABASE_URL (?sslmode=require ...) hold for pg_dump/pg_restore too.
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        value = db.get("OPTIONS", {}).get(option)
        if value:
            env[f"PG{option.upper()}"] = str(value)
    return env


def tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BIN_DIR when set (the server's own version), else PATH."""
    if settings.PG_BIN_DIR:
        return str(Path(settings.PG_BIN_DIR) / name)
    return shutil.which(name) or name


def _run(command: list[str]) -> None:
    executable = tool(command[0])
    result = subprocess.run(  # noqa: S603 - fixed tools, arguments from settings and options
        [executable, *command[1:]], env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _migrations() -> dict[str, str]:
    """The last applied migration of each app (a restore into other code would not fit)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by(
        "app", "name"
    ):
        latest[app] = name
    return latest


def backup(*, to: Path) -> dict[str, Any]:
    """Back up the database and the uploaded files into the new or empty directory `to`."""
    if to.exists() and any(to.iterdir()):
        raise BackupError(f"{to} is not empty")
    to.mkdir(parents=True, exist_ok=True)
    started_at = timezone.now()
    dump = to / DUMP
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)])
    source = media_root()
    files: dict[str, dict[str, Any]] = {}
    for path in _files(source):
        relative = path.relative_to(source).as_posix()
        target = to / MEDIA / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        files[relative] = {"sha256": _sha256(target), "bytes": target.stat().st_size}
    manifest = {
        "format": FORMAT,
        "started_at": started_at.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "database": {"file": DUMP, "sha256": _sha256(dump), "bytes": dump.stat().st_size},
        "media": {"directory": MEDIA, "files": files},
        "migrations": _migrations(),
    }
    (to / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    logger.info("backup written: %d files, dump %d bytes", len(files), dump.stat().st_size)
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable {MANIFEST} in {source}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def verify(source: Path, manifest: dict[str, Any]) -> None:
    """Every file of the manifest is there with its checksum, and no other."""
    dump = source / manifest["database"]["file"]
    if not dump.exists() or _sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump} is missing or does not match its checksum")
    media = source / manifest["media"]["directory"]
    listed = manifest["media"]["files"]
    present = {p.relative_to(media).as_posix() for p in _files(media)}
    if present != set(listed):
        raise BackupError(f"the files under {media} differ from the manifest")
    for relative, meta in listed.items():
        if _sha256(media / relative) != meta["sha256"]:
            raise BackupError(f"{media / relative} does not match its checksum")


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def replay_erasures(manifest: dict[str, Any]) -> RestoreReport:
    """Run again every erasure of the ledger from (just before) the backup's start."""
    since = datetime.datetime.fromisoformat(manifest["started_at"]) - REPLAY_MARGIN
    report = RestoreReport()
    for entry in ledger.entries(since=since):
        done = erasure_replay(entry=entry)
        report.replayed += 1
        for key, value in done.items():
            report.replay_counts[key] = report.replay_counts.get(key, 0) + value
    return report


def restore(*, source: Path, replay_only: bool = False) -> RestoreReport:
    """Restore the backup in `source` into the empty database and media directory, then
    replay the erasures since. `replay_only`: only the replay (idempotent)."""
    manifest = read_manifest(source)
    if replay_only:
        return replay_erasures(manifest)
    verify(source, manifest)
    target = media_root()
    if _files(target):
        raise BackupError(f"the media directory {target} is not empty")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore only into a new, empty database")
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(settings.DATABASES["default"]["NAME"]),
            str(source / manifest["database"]["file"]),
        ]
    )
    media = source / manifest["media"]["directory"]
    copied = 0
    for relative in manifest["media"]["files"]:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(media / relative, destination)
        copied += 1
    connection.close()  # the restored tables, sequences and types, freshly
    report = replay_erasures(manifest)
    report.files = copied
    logger.info(
        "restore done: %d files, %d erasures replayed %s",
        copied,
        report.replayed,
        report.replay_counts,
    )
    return report
