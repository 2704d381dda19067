"""Which words may be aligned: chance resemblances do not match at the scale of a whole
list, close names still do, and the edits a pair of words may have."""

from __future__ import annotations

import pytest

from armsgate.screening.words import pair_edits
from tests.screening.helpers import matches


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("EBANO", "Ebco"),  # two edits in a short word
        ("EBANO", "Mpano"),
        ("Star Logistics Ltd", "STAN LLC"),  # one short inexact word under a longer name
        ("sEMETER", "سمير جمعة"),  # a short consonant skeleton within an edit
        ("Konnol Lialyan", "ﻛﻤﺎل ﺟﺮﻣﺎن"),  # two consonants ("ln") align nothing
        ("Olga Barynova", "Oleg Baranov"),  # "sound alike" allows half the letters, not all
    ],
)
def test_chance_resemblances_do_not_match(name: str, other: str) -> None:
    assert not matches(name, other)
    assert not matches(other, name)


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Mohamed Ali", "Muhammad Ali"),  # the same metaphone key: three edits in eight
        ("Khordorovsky Mikhail", "Mikhail Khodorkovsky"),  # two edits from eight letters
        ("Abdurrahim Haqqani", "Abdurrahman Haqqani"),  # the same stem, another ending
        ("Fernando Pérez", "فرناندو بيريز"),  # the same consonants
        ("Star Technologies JSC", "JSC Star Technology"),
        ("Global Industries", "Global Industry"),
    ],
)
def test_close_names_still_match(name: str, other: str) -> None:
    assert matches(name, other)


def test_the_edits_a_pair_of_words_may_have_depend_on_its_length() -> None:
    assert pair_edits("stan", "star", False, False) is not None
    assert pair_edits("ebano", "ebco", False, False) is None  # two edits, five letters
    assert pair_edits("khodorkovsky", "khordorovsky", False, False) is not None
    assert pair_edits("abcdefghijkl", "abxdefyhizkl", False, False) is None  # three edits
    assert pair_edits("mhmd", "mhmt", True, True) is not None
    assert pair_edits("smr", "smtr", False, True) is None
    assert pair_edits("technologies", "technology", False, False) is not None
    assert pair_edits("vladimirovich", "vladimir", False, False) is None  # not an ending
