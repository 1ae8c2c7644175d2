"""Egyptian national ID: structure validation, what it reveals, hashing, generation."""

from __future__ import annotations

import random
from datetime import date

import pytest

from graph.national_id import (
    InvalidNationalId,
    clean_national_id,
    hash_national_id,
    make_national_id,
    parse_national_id,
    random_national_id,
)

TODAY = date(2026, 11, 25)


def test_reveals_birth_date_gender_and_governorate() -> None:
    info = parse_national_id("29001150101233", today=TODAY)  # serial 0123 -> 3 odd = male
    assert info.birth_date == date(1990, 1, 15)
    assert info.birth_year == 1990
    assert info.gender == "M"
    assert info.birth_governorate == "01"
    female = parse_national_id("30502282101248", today=TODAY)  # 2005-02-28, Giza, 4 even
    assert (female.birth_date, female.gender, female.birth_governorate) == (
        date(2005, 2, 28), "F", "21")


def test_born_abroad_code_is_accepted() -> None:
    assert parse_national_id("29512318800017", today=TODAY).birth_governorate == "88"


def test_arabic_indic_digits_and_separators_are_accepted() -> None:
    assert clean_national_id("٢٩٠٠١١٥٠١٠١٢٣٣") == "29001150101233"
    assert parse_national_id("2900115-0101-233", today=TODAY).birth_year == 1990


@pytest.mark.parametrize(
    ("nid", "reason"),
    [
        ("2900115010123", "14 digits"),
        ("290011501012334", "14 digits"),
        ("2900115010123x", "14 digits"),
        ("19001150101233", "century"),
        ("29002300101233", "real date"),  # 30 February
        ("29013010101233", "real date"),  # month 13
        ("32612310101233", "future"),  # 2026-12-31 after TODAY
        ("29001150501233", "governorate"),  # code 05 does not exist
        ("29001153601233", "governorate"),  # code 36 does not exist
    ],
)
def test_invalid_ids_name_the_reason(nid: str, reason: str) -> None:
    with pytest.raises(InvalidNationalId) as err:
        parse_national_id(nid, today=TODAY)
    assert reason in err.value.reason
    assert isinstance(err.value, ValueError)
    assert nid not in str(err.value)  # the ID itself is never echoed


def test_hash_is_keyed_stable_and_hex() -> None:
    a = hash_national_id("29001150101233", "secret-1")
    assert a == hash_national_id("2900115 0101233", "secret-1")
    assert a != hash_national_id("29001150101233", "secret-2")
    assert a != hash_national_id("29001150101235", "secret-1")
    assert len(a) == 64 and int(a, 16) >= 0
    with pytest.raises(ValueError):
        hash_national_id("29001150101233", "")


def test_generated_ids_are_valid_and_carry_the_asked_facts() -> None:
    rng = random.Random(7)
    for _ in range(500):
        born = date(rng.randint(1950, 2008), rng.randint(1, 12), rng.randint(1, 28))
        gender = rng.choice(("F", "M"))
        gov = rng.choice(("01", "02", "21", "35", "88"))
        nid = random_national_id(rng, birth_date=born, gender=gender, birth_governorate=gov)
        info = parse_national_id(nid, today=TODAY)
        assert (info.birth_date, info.gender, info.birth_governorate) == (born, gender, gov)
    with pytest.raises(ValueError):
        make_national_id(date(1990, 1, 1), "M", "99", 1)
