"""Arabic name normalisation: spelling variants of one name compare equal, others do not."""

from __future__ import annotations

import pytest

from graph.arabic_normalize import normalize_arabic


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آية", "ايه"),
        ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"),
        ("فاطمة", "فاطمه"),
        ("مُحَمَّد", "محمد"),  # tashkeel
        ("محـــمد", "محمد"),  # tatweel
        ("عبدالرحمٰن", "عبدالرحمن"),  # superscript alef
        ("یاسمين", "ياسمين"),  # Persian yeh
        ("  منى   أحمد\tالسيد ", "مني احمد السيد"),
        ("Ahmed  SALEH", "ahmed saleh"),
        ("٢٠٢٦", "2026"),
    ],
)
def test_variants_normalise_to_the_same_text(variant: str, canonical: str) -> None:
    assert normalize_arabic(variant) == normalize_arabic(canonical) == canonical


def test_different_names_stay_different() -> None:
    assert normalize_arabic("أحمد") != normalize_arabic("محمد")
    assert normalize_arabic("سارة") != normalize_arabic("سار")
    # ta marbuta folds to ha, but ha is not dropped: هدى and هدي match, هد does not
    assert normalize_arabic("هدى") != normalize_arabic("هد")


def test_idempotent() -> None:
    text = "أَحْمَد إبراهيم مصطفى فاطمة"
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once
