"""What the screening tests share: a matcher, its decisions, and strategies for names."""

from __future__ import annotations

from hypothesis import strategies as st

from armsgate.screening.legal_forms import FORM_KEYS, PARTICLES, TENS, TITLES, UNITS
from armsgate.screening.matcher import Candidate, NameQuery, ScoredMatch, ScoredMatcher

MATCHER = ScoredMatcher()


def scored(name: str, other: str) -> ScoredMatch:
    return MATCHER.score(NameQuery(name), Candidate((other,)))


def matches(name: str, other: str) -> bool:
    return MATCHER.compare(name, other) is not None


# Words that are neither legal forms, titles, particles nor number words.
WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=9).filter(
    lambda word: (
        word not in FORM_KEYS
        and word not in TITLES
        and word not in PARTICLES
        and word not in UNITS
        and word not in TENS
    )
)
# Names in Latin (with diacritics) and Cyrillic letters, digits and punctuation.
NAME_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFZ0123456789 .,-'&/")
    + list("čćžšđáéíóúüöäßøłČŠŽĐ")
    + list("абвгдђежзијклљмнњопрстћуфхцчџшщъыьэюяёєіїґАБВЖЩЮЯЁ")
)
NAMES = st.text(NAME_CHARS, max_size=30)
