"""Dutch postcodes: normalising them, and proposing the district from the postcode area.

The table of postcode areas is data (`cases/data/postcode_districts.csv`, see its header
for sources and certainty), not code, so another municipality ships its own file.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from partners.models import District

POSTCODE_FILE = Path(__file__).resolve().parent / "data" / "postcode_districts.csv"

# Four digits (no leading zero), an optional space, two letters. PostNL never hands out
# the letter pairs SA, SD and SS.
_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")
_UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})


def normalise_postcode(value: str) -> str | None:
    """'1234ab', ' 1234 AB ' → '1234AB' (how cases store it); None when it is no postcode."""
    match = _POSTCODE.fullmatch(value.strip().upper())
    if match is None or match.group(2) in _UNUSED_LETTERS:
        return None
    return match.group(1) + match.group(2)


def display_postcode(value: str) -> str:
    """'1234AB' → '1234 AB'; anything else unchanged."""
    normalised = normalise_postcode(value) if value else None
    return f"{normalised[:4]} {normalised[4:]}" if normalised else value


@functools.cache
def postcode_areas(path: Path = POSTCODE_FILE) -> dict[str, str]:
    """Postcode area (four digits) → district name, read once from the data file."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["postcode_area"].strip(): row["district"].strip() for row in rows}


def district_name_for(postcode: str) -> str | None:
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return None
    return postcode_areas().get(normalised[:4])


def district_for(postcode: str) -> District | None:
    """The active district the postcode's area lies in, or None when unknown."""
    name = district_name_for(postcode)
    if name is None:
        return None
    return District.objects.filter(name=name, is_active=True).first()
