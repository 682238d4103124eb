"""The postcode table: normalising postcodes and proposing the district."""

import json
from pathlib import Path

import pytest

from cases import postcodes


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("3511AB", "3511AB"),
        ("3511 ab", "3511AB"),
        ("  3511 AB ", "3511AB"),
        ("3511  AB", None),  # two spaces
        ("0511 AB", None),  # no leading zero in Dutch postcodes
        ("351 AB", None),
        ("3511 A", None),
        ("3511 SS", None),  # letter pairs PostNL never uses
        ("3511-AB", None),
        ("", None),
        ("3511\x00AB", None),
    ],
)
def test_normalise_postcode(raw, normalised):
    assert postcodes.normalise_postcode(raw) == normalised


def test_display_postcode_puts_the_space_back():
    assert postcodes.display_postcode("3511AB") == "3511 AB"
    assert postcodes.display_postcode("") == ""


@pytest.mark.parametrize(
    "postcode, district",
    [
        ("3511 AB", "Binnenstad"),
        ("3564 AA", "Overvecht"),
        ("3526 KL", "Zuidwest"),
        ("3524 BC", "Zuid"),
        ("3453 AA", "Vleuten-De Meern"),
        ("3571 XX", "Noordoost"),
        ("3584 CS", "Oost"),
        ("3552 AB", "Noordwest"),
        ("3531 AB", "West"),
        ("3544 AB", "Leidsche Rijn"),
        ("1012 AB", None),  # Amsterdam: not in the municipality
        ("nonsense", None),
    ],
)
def test_district_name_for_postcode(postcode, district):
    assert postcodes.district_name_for(postcode) == district


def test_every_district_in_the_table_is_a_seeded_district():
    seed = json.loads(
        (Path(postcodes.__file__).parent.parent / "partners/seed/utrecht.json").read_text()
    )
    assert set(postcodes.postcode_areas().values()) <= set(seed["districts"])
    # and every district has at least one postcode area
    assert set(seed["districts"]) <= set(postcodes.postcode_areas().values())


@pytest.mark.django_db
def test_district_for_returns_the_active_district():
    district = postcodes.district_for("3511 AB")
    assert district is not None and district.name == "Binnenstad"
    district.is_active = False
    district.save()
    assert postcodes.district_for("3511 AB") is None
