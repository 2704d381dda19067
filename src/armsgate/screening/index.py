"""An embedded index of listed names: candidate retrieval that misses no match, then scoring.

The matcher aligns only words it can pair (`words.pair_edits`): the same word, one edit
(two from eight letters), the same metaphone key, the same consonant skeleton (an abjad
against Latin), an initial, or two words written as one. The index finds, for each query
word, every word of the lists' vocabulary it could be paired with (`vocabulary`: the
distinct words of every romanisation of every listed name, found through their deletion
neighbourhood, metaphone key, first letters and consonant skeleton, each verified with
`pair_edits`), and the words joined: a query word cut in two at each letter, and two
query words joined.

The score is bounded from above by the words a variant can align, whatever their edits:
the shares of letters left unaligned on each side are at least those of the words no
query word pairs with, and the other features add at most their positive weights. With
the fitted weights, one name must be covered whole: candidates are the variants holding a
match for every query word (an intersection) or whose every word a query word matches (a
count), kept where their bound reaches the threshold, and the entries sharing an
identifier with the query. Only these are scored, best bound first, so `search` finds
what `scan` (every entry scored) finds. Were the weights to let two partly covered names
match, every variant sharing a word would have its bound checked: slower, never wrong.

No server: a few dictionaries and arrays in memory, rebuilt when the entries change.
"""

from __future__ import annotations

import math
import multiprocessing
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, Generic, TypeVar

from armsgate.screening.context import clean_identifier
from armsgate.screening.matcher import Candidate, NameQuery, ScoredMatch, ScoredMatcher
from armsgate.screening.normalise import PreparedName, Variant, prepare
from armsgate.screening.vocabulary import MIN_MERGED, MIN_PART, Ids, Vocabulary, get, put

__all__ = ["Hit", "NameIndex"]

P = TypeVar("P")
_CACHE = 4096  # query words whose matches are remembered


@dataclass(frozen=True, slots=True)
class Hit(Generic[P]):
    payload: P
    match: ScoredMatch


def _upper(weight: float, value: float) -> float:
    """The most a feature of this weight adds, its value being at least `value`."""
    return weight * value if weight < 0 else weight


# The query side of one variant: per word (but initials) the variants holding a word it
# may be aligned with, its weight and the longest such word; every word matched; initials.
_Side = tuple[list[frozenset[int]], list[float], list[int], set[int], int]


class NameIndex(Generic[P]):
    """Entries (a `Candidate` and a payload each) indexed by the words of their names."""

    def __init__(self, matcher: ScoredMatcher | None = None, depth: int = 100) -> None:
        self.matcher = matcher or ScoredMatcher()
        self.depth = depth  # candidates scored with `include_non_matches` (and `candidates`)
        self._candidates: list[Candidate] = []
        self._payloads: list[P] = []
        self._names: list[tuple[PreparedName, ...]] = []
        self._words = Vocabulary()
        self._identifiers: dict[str, Ids] = {}
        # per variant: its entry, its name (of the entry's), its words, letters, initials
        self._entry = array("i")
        self._name = array("i")
        self._tokens: list[tuple[int, ...]] = []
        self._total: list[float] = []
        self._need = array("i")  # words but initials
        self._initials = array("i")
        self._with_initials: set[int] = set()
        self._most_initials = 0
        self._cache: dict[tuple[str, bool], tuple[list[int], frozenset[int]]] = {}

    def __len__(self) -> int:
        return len(self._candidates)

    def add(self, candidate: Candidate, payload: P) -> None:
        number = len(self._candidates)
        self._candidates.append(candidate)
        self._payloads.append(payload)
        names = tuple(prepare(name) for name in candidate.names)
        self._names.append(names)
        for k, name in enumerate(names):
            for variant in name.variants:
                self._add_variant(number, k, variant)
        for _, value in candidate.identifiers:
            if key := clean_identifier(value):
                put(self._identifiers, key, number)
        self._cache.clear()

    def _add_variant(self, number: int, name: int, variant: Variant) -> None:
        v = len(self._entry)
        add = self._words.add
        self._tokens.append(tuple(add(*word, variant.abjad, v) for word in zip(
            variant.tokens, variant.phonetic, variant.skeletons, strict=True)))
        initials = sum(len(t) == 1 and t.isalpha() for t in variant.tokens)
        self._entry.append(number)
        self._name.append(name)
        self._total.append(variant.total)
        self._need.append(len(variant.tokens) - initials)
        self._initials.append(initials)
        if initials:
            self._with_initials.add(v)
            self._most_initials = max(self._most_initials, initials)

    def extend(self, items: Iterable[tuple[Candidate, P]]) -> None:
        for candidate, payload in items:
            self.add(candidate, payload)

    def candidates(self, name: str, depth: int | None = None) -> list[int]:
        """The entries that may match `name`, best bound first (at most `depth`)."""
        return [number for _, number, _ in self._ranked(NameQuery(name))][: depth or self.depth]

    def search(self, query: NameQuery, *, depth: int | None = None,
               include_non_matches: bool = False) -> list[Hit[P]]:
        """The entries whose score against the query reaches the threshold, best first
        (with `include_non_matches`, also the best `depth` candidates that do not)."""
        hits = []
        limit = depth or self.depth
        for rank, (_, number, names) in enumerate(self._ranked(query)):
            candidate = self._candidates[number]
            if include_non_matches and rank < limit:
                hits.append(Hit(self._payloads[number], self.matcher.score(query, candidate)))
                continue
            prepared = self._names[number]
            match = self.matcher.match(query, candidate, [prepared[k] for k in names])
            if match is not None:
                hits.append(Hit(self._payloads[number], match))
        hits.sort(key=lambda h: -h.match.score)
        return hits

    def search_batch(self, queries: Sequence[NameQuery], processes: int = 1) -> list[list[Hit[P]]]:
        """`search` of each query; in `processes` forked worker processes when more than 1
        (the index is shared with them copy-on-write, not rebuilt)."""
        if processes <= 1 or len(queries) < 2 * processes:
            return [self.search(query) for query in queries]
        global _SHARED
        _SHARED = self
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                chunk = max(1, min(256, len(queries) // (processes * 8)))
                return pool.map(_search_shared, queries, chunksize=chunk)
        finally:
            _SHARED = None

    def scan(self, query: NameQuery) -> list[Hit[P]]:
        """Every matching entry, by scoring all of them: the reference for candidate recall."""
        hits = [Hit(p, m) for c, p, names in zip(self._candidates, self._payloads, self._names,
                                                  strict=True)
                if (m := self.matcher.match(query, c, names)) is not None]  # fmt: skip
        hits.sort(key=lambda h: -h.match.score)
        return hits

    def payloads(self) -> Sequence[P]:
        return self._payloads

    # --- candidates ----------------------------------------------------------------------

    def _ranked(self, query: NameQuery) -> list[tuple[float, int, list[int]]]:
        """(bound of the score's log-odds, entry, its names that may match), best first."""
        left = prepare(query.name)
        weights = self.matcher.weights
        limit = _logit(self.matcher.threshold)
        base = weights.get("bias", 0.0) + self._bonus(query, left)
        found: dict[int, tuple[float, set[int]]] = {}
        for variant in left.variants:
            for v, bound in self._variant_bounds(variant, base, limit):
                best, names = found.get(self._entry[v], (-math.inf, set()))
                names.add(self._name[v])
                found[self._entry[v]] = (max(best, bound), names)
        for _, value in query.identifiers:
            for number in get(self._identifiers, clean_identifier(value)):
                found[number] = (math.inf, set(range(len(self._names[number]))))
        ranked = [(bound, number, sorted(names)) for number, (bound, names) in found.items()]
        ranked.sort(key=lambda item: (-item[0], item[1]))
        return ranked

    def _bonus(self, query: NameQuery, left: PreparedName) -> float:
        """The most the features other than coverage can add (identifiers apart): per
        group of features that exclude one another, the largest positive weight."""
        given = {"birth": bool(query.birth_date), "country": bool(query.country),
                 "legal": bool(left.forms), "identifier": False}  # fmt: skip
        groups: dict[str, float] = {}
        for name, weight in self.matcher.weights.items():
            group = name.split("_")[0]
            if weight > 0 and name != "bias" and group != "unmatched" and given.get(group, True):
                groups[group] = max(groups.get(group, 0.0), weight)
        return sum(groups.values())

    def _side(self, variant: Variant) -> _Side:
        sets: list[frozenset[int]] = []
        weights: list[float] = []
        longest: list[int] = []
        matched: set[int] = set()
        initials = 0
        slots: list[int] = []  # per word of the variant, its place in `sets` (-1: none)
        for k, token in enumerate(variant.tokens):
            if len(token) == 1 and token.isalpha():
                initials += 1
                slots.append(-1)
                continue
            ids, holders = self._token(token, variant.phonetic[k], variant.skeletons[k],
                                       variant.abjad)  # fmt: skip
            matched.update(ids)
            slots.append(len(sets))
            sets.append(holders)
            weights.append(variant.weights[k])
            words = self._words.words
            longest.append(max([len(token) + 1, *(len(words[n]) for n in ids)]))
        self._joins(variant, slots, sets, matched)
        return sets, weights, longest, matched, initials

    def _token(self, token: str, phonetic: str, skeleton: str,
               abjad: bool) -> tuple[list[int], frozenset[int]]:  # fmt: skip
        """The words a query word may be aligned with, and the variants holding them."""
        key = (token, abjad)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= _CACHE:
                del self._cache[next(iter(self._cache))]
            ids = self._words.matches(token, phonetic, skeleton, abjad)
            postings = self._words.postings
            found = self._cache[key] = (ids, frozenset(chain.from_iterable(
                [postings[n] for n in ids])))  # fmt: skip
        return found

    def _joins(self, variant: Variant, slots: list[int], sets: list[frozenset[int]],
               matched: set[int]) -> None:  # fmt: skip
        """Add to `sets` the variants where a query word is two of their words joined, or
        one of their words is two query words joined (as `alignment` aligns them)."""
        words, postings = self._words, self._words.postings
        tokens, abjad = variant.tokens, variant.abjad

        def holders(ids: Iterable[int]) -> set[int]:
            return set(chain.from_iterable([postings[n] for n in ids]))

        for k, token in enumerate(tokens):
            if slots[k] < 0 or len(token) < MIN_MERGED or token.isdigit():
                continue
            extra: set[int] = set()
            for cut in range(MIN_PART, len(token) - MIN_PART + 1):
                head, tail = token[:cut], token[cut:]
                first = words.near(head, abjad, head=True, edits=False)
                second = words.near(tail, abjad, head=False, edits=False)
                if not first and not second:
                    continue
                for left, right in ((first, words.near(tail, abjad, head=False)),
                                    (words.near(head, abjad, head=True), second)):
                    both = holders(left) & holders(right) if left and right else set()
                    if both:
                        extra |= both
                        matched.update(left, right)
            if extra:
                sets[slots[k]] = sets[slots[k]] | extra
        for j, a in enumerate(tokens):
            for k, b in enumerate(tokens):
                if (j == k or slots[j] < 0 or slots[k] < 0 or len(a) + len(b) < MIN_MERGED
                        or a.isdigit() or b.isdigit()):  # fmt: skip
                    continue
                ids = words.near(a + b, abjad, head=True)
                if ids:
                    matched.update(ids)
                    found = holders(ids)
                    sets[slots[j]] = sets[slots[j]] | found
                    sets[slots[k]] = sets[slots[k]] | found

    def _variant_bounds(self, variant: Variant, base: float,
                        limit: float) -> list[tuple[int, float]]:  # fmt: skip
        """The variants that may match a query variant, with the bound of their log-odds."""
        sets, weights, longest, matched, q_initials = self._side(variant)
        if not sets:
            return []  # initials alone anchor nothing
        w = self.matcher.weights
        w_min, w_max = w.get("unmatched_min", 0.0), w.get("unmatched_max", 0.0)
        w_both = w.get("unmatched_both", 0.0)
        postings, words = self._words.postings, self._words.words
        hits = Counter(chain.from_iterable([postings[n] for n in matched]))
        need, initials, total = self._need, self._initials, self._total
        free = max(0.0, w_both)
        if base + _upper(w_both, 1.0) + max(0.0, w_min) + max(0.0, w_max) < limit:
            # one side must be covered whole: every query word, or every listed word
            pool = set(frozenset.intersection(*sets))
            spare = 1.0 - (base - limit + _upper(w_min, 0.0) + free) / -w_max if w_max < 0 else 0
            if spare > 0:
                cap = (sum(longest) + q_initials + self._most_initials) / spare
                pool = {v for v in pool if total[v] <= cap}
            pool.update([v for v, c in hits.items() if c >= need[v] - q_initials])
            if len(sets) > 1:  # variants whose initials may stand for the words left
                cover: Counter[int] = Counter()
                for holders in sets:
                    cover.update(holders & self._with_initials)
                pool.update([v for v, c in cover.items() if c + initials[v] >= len(sets)])
        else:
            pool = set(hits).union(*sets)
        out = []
        tokens, q_total = self._tokens, variant.total
        for v in pool:
            covered = [k for k, holders in enumerate(sets) if v in holders]
            q_cover = sum([weights[k] for k in covered]) + q_initials + initials[v]
            v_words = [n for n in tokens[v] if n in matched]
            v_cover = sum([len(words[n]) for n in v_words]) + initials[v] + q_initials
            un_q = max(0.0, 1.0 - q_cover / q_total)
            un_v = max(0.0, 1.0 - v_cover / total[v])
            both = (len(sets) - len(covered) > initials[v]
                    and need[v] - len(v_words) > q_initials)  # fmt: skip
            low, high = (un_q, un_v) if un_q <= un_v else (un_v, un_q)
            bound = (base + _upper(w_min, low) + _upper(w_max, high)
                     + (_upper(w_both, 1.0) if both else free))  # fmt: skip
            if bound >= limit - 1e-9:
                out.append((v, bound))
        return out


_SHARED: NameIndex[Any] | None = None  # the index a forked worker searches


def _search_shared(query: NameQuery) -> list[Hit[Any]]:
    assert _SHARED is not None
    return _SHARED.search(query)


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))
