"""What a query and a candidate say besides names corroborates or contradicts the name."""

from __future__ import annotations

from armsgate.screening.matcher import Candidate, NameQuery
from tests.screening.helpers import MATCHER

NAME = "Ivan Petrovic"
CLOSE = "Ivan Petrovich"


def with_context(query: NameQuery, candidate: Candidate) -> float:
    return MATCHER.score(query, candidate).score


def test_identifiers_corroborate_and_contradict() -> None:
    plain = with_context(NameQuery(NAME), Candidate((CLOSE,)))
    passport = (("passport", "AB 123456"),)
    same = with_context(NameQuery(NAME, identifiers=passport),
                        Candidate((CLOSE,), identifiers=(("Passport", "ab123456"),)))
    other = with_context(NameQuery(NAME, identifiers=passport),
                         Candidate((CLOSE,), identifiers=(("passport", "CD 999"),)))
    assert same > plain > other


def test_birth_dates_corroborate_and_contradict() -> None:
    def score(date: str) -> float:
        return with_context(NameQuery(NAME, birth_date=date),
                            Candidate((CLOSE,), birth_dates=("1961-04-12",)))

    plain = with_context(NameQuery(NAME), Candidate((CLOSE,)))
    assert score("1961-04-12") > score("1961") > plain > score("1975-01-01")


def test_country_and_schema() -> None:
    plain = with_context(NameQuery(NAME), Candidate((CLOSE,)))
    same = with_context(NameQuery(NAME, country="RS"), Candidate((CLOSE,), countries=("RS",)))
    other = with_context(NameQuery(NAME, country="RS"), Candidate((CLOSE,), countries=("RU",)))
    vessel = with_context(NameQuery(NAME, schema="person"), Candidate((CLOSE,), schema="Vessel"))
    assert same > plain > other
    assert vessel < plain


def test_a_shared_identifier_outweighs_a_doubtful_name() -> None:
    ids = (("imo", "9187629"),)
    query, candidate = NameQuery("Adria Star", identifiers=ids), Candidate(("Adriatic Starr",))
    assert not MATCHER.score(query, candidate).match
    assert MATCHER.score(query, Candidate(candidate.names, identifiers=ids)).match
