"""The scored matcher: the seed names, more than the SPEC's minimum, the result and its
explanation, and properties (score range, symmetry, word order)."""

# Cyrillic letters that look like Latin ones are the point of these tests.

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armsgate.rules.names import NameMatch, NameMatcher
from armsgate.screening.matcher import FEATURES, THRESHOLD, Candidate, NameQuery, ScoredMatcher
from tests.screening.helpers import MATCHER, NAMES, WORDS, matches, scored

# --- the seed names ----------------------------------------------------------------------

SEEDS = [
    ("Krušik a.d. Valjevo", "Krusik AD"),
    ("Poličské strojírny a.s.", "Policske Strojirni"),
    ("Александар Вучић", "Aleksandar Vucic"),
    ("КРУШИК", "Krusik AD"),
]


@pytest.mark.parametrize(("name", "other"), SEEDS)
def test_the_seed_names_match(name: str, other: str) -> None:
    assert scored(name, other).match
    assert scored(other, name).match


def test_the_romanisation_used_is_named() -> None:
    assert scored("Александар Вучић", "Aleksandar Vucic").romanisation == "serbian-latin"
    assert scored("Щукин", "Shchukin").romanisation == "bgn-pcgn"
    assert scored("Krusik", "Krusik").romanisation == "latin"


# --- more than the minimum ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("J. Markovic", "Jovan Markovic"),
        ("IvanPetrovic", "Ivan Petrovic"),
        ("Zastava Oruzje AG", "Zastava Oruzje Aktiengesellschaft"),
        ("Drina Tours 1", "Drina Tour 1"),
        ("Unit Twenty-Two", "Unit 22"),
    ],
)
def test_more_than_the_minimum_matches(name: str, other: str) -> None:
    assert matches(name, other)


def test_numbers_must_match_exactly() -> None:
    assert not matches("Danube Shipping 5", "Danube Shipping 6")
    assert not matches("Morava Holding 23", "Morava Holding 24")


def test_an_initial_of_another_letter_does_not_help() -> None:
    initial = scored("J. Markovic", "Jovan Markovic").score
    assert scored("A. Markovic", "Jovan Markovic").score < initial


def test_legal_forms_are_weak_evidence() -> None:
    same = scored("Iskra Trading AD", "Iskra Trading JSC").score
    none = scored("Iskra Trading AD", "Iskra Trading").score
    conflict = scored("Iskra Trading AD", "Iskra Trading d.o.o.").score
    assert same > none > conflict


def test_the_best_alias_is_reported() -> None:
    candidate = Candidate(("Gulf Star General Trading", "Krusik", "KRUSIK VALJEVO"))
    result = MATCHER.score(NameQuery("Krušik a.d. Valjevo"), candidate)
    assert result.match
    assert result.candidate_name == "KRUSIK VALJEVO"


# --- the result and its explanation ------------------------------------------------------


def test_the_result_explains_itself() -> None:
    result = scored("Krušik a.d. Valjevo", "Krusik AD")
    assert result.query_name == "Krušik a.d. Valjevo"
    assert result.candidate_name == "Krusik AD"
    assert result.romanisation == "latin"
    assert tuple(f.name for f in result.features) == FEATURES
    assert all(f.contribution == f.value * f.weight for f in result.features)
    logit = sum(f.contribution for f in result.features)
    assert result.score == pytest.approx(1 / (1 + math.exp(-logit)))
    for part in ("[krusik valjevo] vs [krusik]", "unmatched valjevo", "legal forms ad vs ad",
                 "threshold", "contributions", "unmatched_max"):
        assert part in result.explanation


def test_the_spec_floor_is_explained() -> None:
    matcher = ScoredMatcher(threshold=0.999)
    result = matcher.score(NameQuery("Krusik Valjevo"), Candidate(("Krusik Valjeva",)))
    assert result.match
    assert "SPEC minimum" in result.explanation


def test_compare_is_a_name_matcher() -> None:
    assert isinstance(MATCHER, NameMatcher)
    match = MATCHER.compare("Јужни Ветар д.о.о.", "JUZNI VETAR D.O.O.")
    assert isinstance(match, NameMatch)
    assert match.name == "Јужни Ветар д.о.о."
    assert match.other == "JUZNI VETAR D.O.O."
    assert match.score >= THRESHOLD
    assert match.romanisation == "serbian-latin"
    assert MATCHER.compare("Star Logistics", "Gulf Star General Trading") is None


def test_threshold_and_weights_can_be_set() -> None:
    assert ScoredMatcher(threshold=0.01).compare("Star Logistics", "Star Trading") is not None
    heavy = ScoredMatcher(weights={"unmatched_max": -50.0})
    assert not heavy.score(NameQuery("Krušik a.d. Valjevo"), Candidate(("Krusik AD",))).match
    assert heavy.threshold == THRESHOLD


def test_a_candidate_without_names_matches_nothing() -> None:
    result = MATCHER.score(NameQuery("Krusik"), Candidate(()))
    assert not result.match
    assert result.score == 0.0


# --- properties --------------------------------------------------------------------------

@settings(max_examples=300)
@given(NAMES | st.text(max_size=20), NAMES)
def test_the_score_is_a_probability_and_symmetric(a: str, b: str) -> None:
    one, two = scored(a, b), scored(b, a)
    assert 0.0 <= one.score <= 1.0
    assert one.score == pytest.approx(two.score, abs=1e-9)
    assert one.match == two.match


@settings(max_examples=200)
@given(st.lists(WORDS, min_size=1, max_size=6), st.randoms(), NAMES)
def test_word_order_does_not_change_the_score(
    words: list[str], rnd: random.Random, other: str
) -> None:
    shuffled = list(words)
    rnd.shuffle(shuffled)
    name, reordered = " ".join(words), " ".join(shuffled)
    assert scored(name, reordered).match
    assert scored(name, other).score == pytest.approx(scored(reordered, other).score, abs=1e-9)
