"""The installation's keyed hashes (secret from settings) for persons and addresses."""

from __future__ import annotations

import datetime

from django.conf import settings

from .domain import keys


def person_key(first_name: str, last_name: str, date_of_birth: datetime.date | None) -> str:
    return keys.person_key(settings.RECIDIVISM_KEY_SECRET, first_name, last_name, date_of_birth)


def address_key(postcode: str, house_number: int | None, addition: str) -> str:
    return keys.address_key(settings.RECIDIVISM_KEY_SECRET, postcode, house_number, addition)
