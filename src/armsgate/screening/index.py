"""An embedded index of listed names: candidate retrieval by keys, then scoring.

Every name of every entry is prepared once (`prepare`); each word of each romanisation
gives keys: the word itself, its metaphone code, its consonant skeleton, and for words of
five letters or more the word with one letter deleted (so that one substituted, inserted
or deleted letter still meets a key: the deletion neighbourhood of SymSpell). A query
collects the entries that share keys with its words, ranks them by the rarity (inverse
document frequency) of the keys they share, word by word, and scores the best `depth` of
them with the matcher. No server: the index is a few dictionaries in memory, rebuilt
from the store when its entries change.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from armsgate.screening.matcher import Candidate, NameQuery, ScoredMatch, ScoredMatcher
from armsgate.screening.normalise import PreparedName, prepare

P = TypeVar("P")
_MIN_DELETION_WORD = 5
_MAX_DEPTH = 400


def word_keys(word: str, phonetic: str, skeleton: str) -> set[str]:
    keys = {f"w:{word}"}
    if phonetic and phonetic != word:
        keys.add(f"m:{phonetic}")
        if len(phonetic) >= 3:
            keys.update(f"m:{phonetic[:i]}{phonetic[i + 1:]}" for i in range(len(phonetic)))
    if skeleton and len(skeleton) >= 2:
        keys.add(f"s:{skeleton}")
        if len(skeleton) >= 3:
            keys.update(f"s:{skeleton[:i]}{skeleton[i + 1:]}" for i in range(len(skeleton)))
    if len(word) >= _MIN_DELETION_WORD and word.isalpha():
        # same prefix as whole words: an inserted letter meets the shorter word itself
        keys.update(f"w:{word[:i]}{word[i + 1:]}" for i in range(len(word)))
    return keys


def name_keys(prepared: PreparedName) -> list[set[str]]:
    """The keys of each word of each romanisation of a prepared name."""
    return [word_keys(w, p, s) for v in prepared.variants
            for w, p, s in zip(v.tokens, v.phonetic, v.skeletons, strict=True)]


@dataclass(frozen=True, slots=True)
class Hit(Generic[P]):
    payload: P
    match: ScoredMatch


class NameIndex(Generic[P]):
    """Entries (a `Candidate` and a payload each) indexed by the keys of their names."""

    def __init__(self, matcher: ScoredMatcher | None = None, depth: int = 100) -> None:
        self.matcher = matcher or ScoredMatcher()
        self.depth = depth
        self._candidates: list[Candidate] = []
        self._payloads: list[P] = []
        self._postings: dict[str, list[int]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._candidates)

    def add(self, candidate: Candidate, payload: P) -> None:
        number = len(self._candidates)
        self._candidates.append(candidate)
        self._payloads.append(payload)
        keys: set[str] = set()
        for name in candidate.names:
            for word in name_keys(prepare(name)):
                keys |= word
        for key in keys:
            self._postings[key].append(number)

    def extend(self, items: Iterable[tuple[Candidate, P]]) -> None:
        for candidate, payload in items:
            self.add(candidate, payload)

    def candidates(self, name: str, depth: int | None = None) -> list[int]:
        """The entries most likely to match `name`, best first (at most `depth`)."""
        total = len(self._candidates) or 1
        ranking: dict[int, float] = defaultdict(float)
        for word in name_keys(prepare(name)):
            best: dict[int, float] = {}
            for key in word:
                posting = self._postings.get(key)
                if not posting:
                    continue
                weight = math.log(1 + total / len(posting))
                for number in posting:
                    if best.get(number, 0.0) < weight:
                        best[number] = weight
            for number, weight in best.items():
                ranking[number] += weight
        limit = min(depth or self.depth, _MAX_DEPTH)
        return sorted(ranking, key=lambda n: (-ranking[n], n))[:limit]

    def search(self, query: NameQuery, *, depth: int | None = None,
               include_non_matches: bool = False) -> list[Hit[P]]:
        """The entries whose score against the query reaches the threshold, best first."""
        hits = []
        for number in self.candidates(query.name, depth):
            match = self.matcher.score(query, self._candidates[number])
            if match.match or include_non_matches:
                hits.append(Hit(self._payloads[number], match))
        hits.sort(key=lambda h: -h.match.score)
        return hits

    def scan(self, query: NameQuery) -> list[Hit[P]]:
        """Every matching entry, by scoring all of them: the reference for candidate recall."""
        hits = [Hit(p, m) for c, p in zip(self._candidates, self._payloads, strict=True)
                if (m := self.matcher.score(query, c)).match]
        hits.sort(key=lambda h: -h.match.score)
        return hits

    def payloads(self) -> Sequence[P]:
        return self._payloads
