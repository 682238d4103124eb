import datetime as dt

from cases.domain.keys import address_key, normalise_name, person_key

SECRET = "s3cret"
DOB = dt.date(1970, 3, 1)


def test_name_matches_regardless_of_accents_case_and_spacing():
    assert normalise_name("José", "van  der Berg") == normalise_name("jose", "Van der-Berg")
    assert person_key(SECRET, "Zoë", "de Vries", DOB) == person_key(SECRET, "ZOE", "De Vries", DOB)


def test_different_birth_date_is_a_different_person():
    assert person_key(SECRET, "Jan", "Smit", DOB) != person_key(
        SECRET, "Jan", "Smit", dt.date(1971, 3, 1)
    )


def test_no_key_without_birth_date():
    assert person_key(SECRET, "Jan", "Smit", None) == ""


def test_address_matches_with_any_postcode_spacing_and_addition_case():
    assert address_key(SECRET, "3511 ab", 12, "A") == address_key(SECRET, "3511AB", 12, "a")
    assert address_key(SECRET, "3511AB", 12, "") != address_key(SECRET, "3511AB", 12, "bis")


def test_keys_depend_on_the_secret_and_do_not_contain_the_input():
    key = person_key(SECRET, "Jan", "Smit", DOB)
    assert key != person_key("other", "Jan", "Smit", DOB)
    assert "smit" not in key and len(key) == 64
