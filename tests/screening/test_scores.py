"""Scores that must not move by accident, and the fast path that must give `align`'s values.

`pinned_scores.json` holds made-up name pairs (seeded, from syllables: Latin with
diacritics, Serbian Cyrillic, Arabic letters, legal forms, initials, numbers, joined and
split words, titles; none from a labelled file) with the score and decision the matcher
gave them before its pair scoring was made faster. A change that is meant to alter
scores re-pins them (and re-runs `benchmarks.screening.evaluate` for F1):

    .venv/bin/python -m tests.screening.test_scores --write
"""

# Cyrillic letters that look like Latin ones are the point of these tests.

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armsgate.screening.alignment import align, best_alignment
from armsgate.screening.features import closest, measure
from armsgate.screening.normalise import prepare
from tests.screening.helpers import NAMES, scored

PINNED = Path(__file__).with_name("pinned_scores.json")


def pinned() -> list[tuple[str, str, float, bool]]:
    return [tuple(row) for row in json.loads(PINNED.read_text(encoding="utf-8"))]


def test_the_pinned_scores_hold() -> None:
    rows = pinned()
    assert len(rows) > 500
    moved = [(name, other, score, round(scored(name, other).score, 12))
             for name, other, score, _ in rows
             if scored(name, other).score != pytest.approx(score, abs=1e-12)]  # fmt: skip
    assert not moved
    assert [scored(name, other).match for name, other, _, _ in rows] == [m for *_, m in rows]


def test_the_pinned_pairs_are_explained_with_the_score() -> None:
    for name, other, score, match in pinned()[::7]:
        result = scored(name, other)
        verdict = "match" if match else "no match"
        assert f"score {score:.3f}" in result.explanation
        assert f": {verdict}" in result.explanation or "SPEC minimum" in result.explanation


ARABIC = st.text(st.sampled_from(list("ابتجحدرزسشصطعفقكلمنهوي ")), max_size=16)
KNOWN_WORDS = st.lists(st.sampled_from(["dobrin", "kalev", "kalevv", "k", "d", "12", "marov",
                                        "trade", "dobrinkalev", "kal", "ev"]),
                       max_size=4).map(" ".join)  # fmt: skip


@settings(max_examples=400)
@given(NAMES | ARABIC | KNOWN_WORDS, NAMES | ARABIC | KNOWN_WORDS)
def test_measure_gives_the_values_of_the_alignment(a: str, b: str) -> None:
    left, right = prepare(a), prepare(b)
    for x in left.variants:
        for y in right.variants:
            alignment = align(x, y)
            assert measure(x, y) == (alignment.values, alignment.closeness)
    best = best_alignment(left, right)
    found = closest(left, right)
    if best is None:
        assert found is None
    else:
        assert found is not None
        assert found == (best.values, best.closeness, best.left, best.right)


@pytest.mark.parametrize(("name", "other"), [
    ("Dobrin Kalev", "Dobrin Kalevv"),  # one word left on each side, aligned
    ("Dobrin Kalev", "Dobrin Marov"),  # one word left on each side, not aligned
    ("Dobrin Kalev Trade", "Kalev Trade"),  # every word of one side on the other
    ("Dobrin Kalev", "Kalev Dobrin"),  # the same words in another order
    ("Dobrin Kalev", "D. Kalev"),  # an initial: left to `align`
    ("Kalev 12", "Kalev 13"),  # numbers never align
    ("Kalev Kalev Dobrin", "Kalev Dobrin"),  # a word repeated: left to `align`
])  # fmt: skip
def test_measure_in_each_of_its_cases(name: str, other: str) -> None:
    for x in prepare(name).variants:
        for y in prepare(other).variants:
            alignment = align(x, y)
            assert measure(x, y) == (alignment.values, alignment.closeness)


def write() -> None:
    """Re-pin: the current scores of the pinned pairs."""
    rows = [[name, other, result.score, result.match]
            for name, other, *_ in pinned() if (result := scored(name, other))]  # fmt: skip
    PINNED.write_text("[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
                      + "\n]\n", encoding="utf-8")  # fmt: skip


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    write()
