"""Keyed hashes for the recidivism and duplicate checks.

Names, dates of birth and addresses are normalised, then hashed with HMAC-SHA256 under a
secret setting. The hashes survive anonymisation (so a re-referral years later is still
recognised) and cannot be reversed without the secret.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata


def normalise_name(first_name: str, last_name: str) -> str:
    """Lower case, accents removed, spaces/hyphens/apostrophes/dots dropped."""
    text = f"{first_name}{last_name}"
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def normalise_postcode(postcode: str) -> str:
    return re.sub(r"\s", "", postcode).upper()


def _hmac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def person_key(
    secret: str, first_name: str, last_name: str, date_of_birth: datetime.date | None
) -> str:
    """Empty when there is no date of birth: a name alone matches too many people."""
    if date_of_birth is None or not last_name.strip():
        return ""
    return _hmac(
        secret, f"person|{normalise_name(first_name, last_name)}|{date_of_birth.isoformat()}"
    )


def address_key(secret: str, postcode: str, house_number: int | None, addition: str) -> str:
    if not postcode or house_number is None:
        return ""
    addition = re.sub(r"[^a-z0-9]", "", addition.casefold())
    return _hmac(secret, f"address|{normalise_postcode(postcode)}|{house_number}|{addition}")
