"""The erasure ledger: every erasure (AVG art. 17), outside the database.

A restore from a backup brings back the database as it was when the backup was made: a
person erased since then would come back. So `services.person_erase` appends one line per
erasure to the file at `ERASURE_LEDGER_PATH`, a path apart from the database and the backups,
and a restore (`manage.py restore`, privacy/backup.py) replays every line newer than the
backup through `services.erasure_replay`.

One JSON object per line, internal ids only — never a name, a date of birth or a reason
(the reason can name the person):

    {"v": 1, "at": "2026-12-04T19:40:00.123456+00:00", "request": 12,
     "persons": [34, 35], "documents": [56], "cases": [7, 9]}

Appended with O_APPEND and fsync'd *before* the erasure's transaction commits, so that no
committed erasure is missing from it. The ledger is never restored from a backup and never
rewritten; a line whose transaction then failed to commit replays an erasure that was
decided but not stored, which is the safe direction.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

VERSION = 1


class LedgerError(Exception):
    """The ledger could not be written or read."""


@dataclass(frozen=True)
class LedgerEntry:
    at: datetime.datetime
    request: int | None
    persons: tuple[int, ...]
    documents: tuple[int, ...]
    cases: tuple[int, ...]

    def as_json(self) -> str:
        return json.dumps(
            {
                "v": VERSION,
                "at": self.at.isoformat(),
                "request": self.request,
                "persons": list(self.persons),
                "documents": list(self.documents),
                "cases": list(self.cases),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, line: str) -> LedgerEntry:
        data = json.loads(line)
        return cls(
            at=datetime.datetime.fromisoformat(data["at"]),
            request=data.get("request"),
            persons=tuple(int(pk) for pk in data.get("persons", [])),
            documents=tuple(int(pk) for pk in data.get("documents", [])),
            cases=tuple(int(pk) for pk in data.get("cases", [])),
        )


def ledger_path() -> Path:
    return Path(settings.ERASURE_LEDGER_PATH)


def append(
    *,
    request: int | None,
    persons: Iterable[int],
    documents: Iterable[int],
    cases: Iterable[int],
    path: Path | None = None,
) -> LedgerEntry:
    """Append one erasure and wait for the disk; raises LedgerError when it cannot."""
    entry = LedgerEntry(
        at=timezone.now(),
        request=request,
        persons=tuple(sorted(persons)),
        documents=tuple(sorted(documents)),
        cases=tuple(sorted(cases)),
    )
    target = path or ledger_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (entry.as_json() + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        raise LedgerError(f"cannot append to the erasure ledger {target}: {error}") from error
    return entry


def entries(
    *, since: datetime.datetime | None = None, path: Path | None = None
) -> list[LedgerEntry]:
    """The ledger's entries (at or after `since`), oldest first. A missing ledger is empty;
    a torn last line (a crash mid-write) is skipped, any other bad line raises."""
    target = path or ledger_path()
    if not target.exists():
        return []
    lines = target.read_text(encoding="utf-8").splitlines()
    result = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = LedgerEntry.from_json(line)
        except (ValueError, KeyError, TypeError) as error:
            if number == len(lines):
                continue
            raise LedgerError(f"{target}:{number}: not a ledger line ({error})") from error
        if since is None or entry.at >= since:
            result.append(entry)
    return sorted(result, key=lambda e: e.at)
