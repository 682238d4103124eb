"""Reusable test helper: where does a piece of personal data still occur?

`find_everywhere(texts=[...], dates=[...], media_root=...)` searches every text-like column
(text, varchar, char, json, jsonb, arrays) of every table in the current schema, found
through information_schema, case-insensitively; every date column for the given dates; and
every file under `media_root`. It returns the places ("table.column" or "file:<path>"), so
an assertion shows exactly what was left behind. New tables are covered automatically.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from django.db import connection

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "ARRAY")


def _columns(types: Iterable[str]) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s) "
            "AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE') "
            "ORDER BY table_name, ordinal_position",
            [list(types)],
        )
        found: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            found.setdefault(table, []).append(column)
    return found


def _scan(columns: dict[str, list[str]], condition: str, params: list) -> list[str]:
    q = connection.ops.quote_name
    places = []
    with connection.cursor() as cursor:
        for table, names in columns.items():
            counts = ", ".join(
                f"count(*) FILTER (WHERE {condition.format(column=q(name))})" for name in names
            )
            cursor.execute(
                f"SELECT {counts} FROM {q(table)}",  # noqa: S608 - names from the catalogue
                params * len(names),
            )
            row = cursor.fetchone()
            places += [f"{table}.{name}" for name, n in zip(names, row, strict=True) if n]
    return places


def find_in_database(texts: Iterable[str] = (), dates: Iterable[datetime.date] = ()) -> list[str]:
    texts = [t for t in texts if t]
    places: list[str] = []
    if texts:
        patterns = [f"%{t}%" for t in texts]
        places += _scan(_columns(TEXT_TYPES), "{column}::text ILIKE ANY(%s)", [patterns])
    dates = list(dates)
    if dates:
        places += _scan(_columns(["date"]), "{column} = ANY(%s)", [dates])
        places += _scan(
            _columns(TEXT_TYPES),
            "{column}::text ILIKE ANY(%s)",
            [[f"%{d.isoformat()}%" for d in dates]],
        )
    return sorted(set(places))


def find_in_files(root: Path | str, texts: Iterable[str]) -> list[str]:
    needles = [t.casefold().encode() for t in texts if t]
    places = []
    for path in sorted(Path(root).rglob("*")):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", "ignore").casefold().encode()
            if any(n in content for n in needles):
                places.append(f"file:{path}")
    return places


def find_everywhere(
    *,
    texts: Iterable[str] = (),
    dates: Iterable[datetime.date] = (),
    media_root: Path | str | None = None,
) -> list[str]:
    texts, dates = list(texts), list(dates)
    places = find_in_database(texts, dates)
    if media_root is not None:
        places += find_in_files(media_root, texts + [d.isoformat() for d in dates])
    return places
