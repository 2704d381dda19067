"""The SPEC's minimal matcher (SPEC.md, "Names, for screening-hit") as the scored matcher
uses it: a floor (names the minimum matches always match, when no context speaks), and
the SPEC's no-hit class (for the scorecard).

`spec_floor` is asked of every pair the score does not match, so it first tests, on the
words of each romanisation as sets, what a pairing needs (as many words, the short words
on both sides, the other words within one edit of a word of the other side); the minimal
matcher itself runs only on the pairs that pass.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from armsgate.rules.names import MinimalNameMatcher, normalise, words_match

__all__ = ["spec_distinct", "spec_floor"]

_MINIMAL = MinimalNameMatcher()
_TWO_WORDS = 2
_SHORT_WORD = 4  # the other word of a pair is then at most five letters: no edit allowed


def spec_floor(name: str, other: str) -> bool:
    """True when the SPEC's minimum matches the two names (the same words, within one
    edit in words of six letters or more, after its normalisation)."""
    lefts, rights = _spec_words(name), _spec_words(other)
    for left in lefts:
        for right in rights:
            if _may_pair(left, right):
                return _MINIMAL.compare(name, other) is not None
    return False


class _SpecWords(NamedTuple):
    """One romanisation of a name under the SPEC's normalisation, ready for `_may_pair`."""

    tokens: tuple[str, ...]
    words: frozenset[str]
    short: frozenset[str]  # words of `_SHORT_WORD` letters or fewer
    long: frozenset[str]  # the other words


@lru_cache(maxsize=131072)
def _spec_words(name: str) -> tuple[_SpecWords, ...]:
    out = []
    for tokens in normalise(name):
        words = frozenset(tokens)
        short = frozenset(w for w in words if len(w) <= _SHORT_WORD)
        out.append(_SpecWords(tokens, words, short, words - short))
    return tuple(out)


def _may_pair(left: _SpecWords, right: _SpecWords) -> bool:
    """A quick necessary condition of the SPEC's pairing: as many words, each word of four
    characters or fewer (no edit allowed there) also on the other side, and each other
    word equal to, or one edit from, a word of the other side."""
    if len(left.tokens) != len(right.tokens) or not (
        left.short <= right.words and right.short <= left.words
    ):
        return False
    for words, others in ((left, right), (right, left)):
        for word in words.long - others.words:
            for other in others.tokens:
                if Levenshtein.distance(word, other, score_cutoff=1) <= 1:
                    break
            else:
                return False
    return True


def spec_distinct(name: str, other: str) -> bool:
    """True when the SPEC expects no hit on names alone: each keeps two words or more and,
    under every pair of romanisations, at most one word is in common (one-edit rule)."""
    left, right = normalise(name), normalise(other)
    if not left or not right or any(len(t) < _TWO_WORDS for t in (*left, *right)):
        return False
    return all(_common_words(a, b) <= 1 for a in left for b in right)


def _common_words(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    """The most words that can be paired one to one under the SPEC's word rule."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, word in enumerate(right):
            if j in seen or not words_match(left[i], word):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(left)))
