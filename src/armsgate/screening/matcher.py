"""The scored name matcher: a score in [0, 1], a decision at a threshold, and its reasons.

It replaces `armsgate.rules.names.MinimalNameMatcher` behind the same `compare` interface.

Score: a logistic function of features (see `features`, `alignment` and `context`):
    score = 1 / (1 + exp(-(bias + sum(weight * value))))
over the name features of the closest romanisations of the two names and the context
features of the query and the candidate (identifiers, birth date, country, schema). A
candidate is scored under each of its names (aliases); the best one is reported.

Decision: `score >= threshold` (`THRESHOLD`, the F1-best threshold on the development
pairs). Where no context feature fires, the SPEC's minimum (SPEC.md, "Names, for
screening-hit": the same words in any order, one edit allowed in words of six letters or
more, after its normalisation) is a floor: such names always match, and the explanation
says so. The SPEC's no-hit class (two names of two words or more with at most one word
in common) is not forced: the score rejects its examples ("Star Logistics" / "Gulf Star
General Trading"), while transliterations with two edits or more in a word, which fall
in that class, may still match.

The floor stands aside where context fires because context is evidence the SPEC's rule
does not see (the same name with another date of birth); `compare`, which the rules engine
uses, has no context, so the floor always holds there.

Weights: the name weights were fitted (see `FITTED_WEIGHTS`); the context weights, the
number rule and `fuzzy_partial` are priors, not fitted, since no labelled data here has
those properties (or enough of them). A name alone, however close, scores about 0.89 (the
fitted bias): the development pairs hold different people with the same name; a shared
identifier or date of birth lifts it.

Precision against a whole list: which words may be aligned at all is decided by their
length (`words.pair_edits`: one edit up to seven letters, three consonants at least
for an abjad against Latin), and a name covered by another only through one inexact word
pair ("Star Logistics Ltd" / "Stan LLC") takes `fuzzy_partial`.

Speed: scores are only compared with the threshold most of the time (`NameIndex` scores
dozens of candidates per query), so a pair costs what its score needs: `features.measure`
finds the values of the closest variants with no alignment made in the common cases, and
a `ScoredMatch` aligns the words and makes its features and explanation when they are
first read. The scores are the same to the last bit as with the alignment made first
(`tests/screening/test_scores.py` pins them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from operator import mul
from types import MappingProxyType
from typing import Any, NamedTuple

from armsgate.rules.names import NameMatch
from armsgate.screening.alignment import align
from armsgate.screening.context import CONTEXT_FEATURES, NO_CONTEXT, context_values
from armsgate.screening.explain import explain
from armsgate.screening.features import NAME_FEATURES, closest, measure, name_values
from armsgate.screening.normalise import PreparedName, Variant, compatible_forms, prepare
from armsgate.screening.spec_minimum import spec_distinct, spec_floor

__all__ = ["DEFAULT_WEIGHTS", "FEATURES", "PRIOR_WEIGHTS", "SIGNS", "THRESHOLD", "Candidate",
           "Feature", "NameQuery", "Reasons", "ScoredMatch", "ScoredMatcher", "prepare",
           "spec_distinct", "spec_floor"]  # fmt: skip

FEATURES: tuple[str, ...] = ("bias", *NAME_FEATURES, *CONTEXT_FEATURES)

# Fitted by `.venv/bin/python -m benchmarks.screening.evaluate --fit`: logistic regression
# (L2 1.0 on all but the bias, Newton's method, signs as in `SIGNS`, the priors held
# fixed) on the 388 development pairs of shared/data/screening/name-pairs-dev.csv; the
# threshold maximises F1 there. The same command reports the 5-fold cross-validated F1.
# `edits` (relative to word length) gets no weight once `words.pair_edits` caps the
# edits a pair may have: within the cap, the development pairs do not tell them apart.
FITTED_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "bias": 2.064,
    "edits": 0.000,
    "unmatched_min": -0.076,
    "unmatched_max": -1.630,
    "unmatched_both": -2.722,
    "legal_form_same": 0.223,
    "legal_form_conflict": -1.643,
})  # fmt: skip
THRESHOLD = 0.709

# Priors, not fitted (see the module's docstring), on the same log-odds scale.
PRIOR_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "number_mismatch": -3.0,  # numbers must match exactly: held fixed while fitting
    # A partial match resting on one inexact word pair: against a whole list, a short
    # word within an edit of a word of another name is chance ("Star Logistics" / "Stan").
    "fuzzy_partial": -2.0,
    "identifier_match": 4.0,  # outweighs the doubt of a fuzzy name
    "identifier_conflict": -2.5,
    "birth_date_match": 2.0,
    "birth_year_match": 1.0,
    "birth_date_conflict": -2.0,
    "country_match": 0.5,
    "country_conflict": -1.0,
    "schema_conflict": -3.0,  # a person is not a vessel
})  # fmt: skip
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType({**FITTED_WEIGHTS, **PRIOR_WEIGHTS})

# The direction of each fitted feature's evidence, imposed on the fit: +1 can only speak
# for a match, -1 only against it (a weight that would take the wrong sign is held at 0).
SIGNS: Mapping[str, int] = MappingProxyType({
    "bias": 0, "edits": -1, "unmatched_min": -1, "unmatched_max": -1, "unmatched_both": -1,
    "legal_form_same": 1, "legal_form_conflict": -1,
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class NameQuery:
    """A party to screen: a name and what else is known of it."""

    name: str
    schema: str | None = None  # "person", "organisation", "vessel", ...
    country: str | None = None
    birth_date: str | None = None  # "YYYY" or "YYYY-MM-DD"
    identifiers: tuple[tuple[str, str], ...] = ()  # (type, value)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed entity: its names (aliases) and what else the list says."""

    names: tuple[str, ...]
    schema: str | None = None
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of a comparison; its contribution to the log-odds is value * weight."""

    name: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight


class Reasons:
    """A match's features and explanation, made when first read (most scores are only
    compared with the threshold) from what the matcher left (`how`: the matcher and the
    arguments of its `_reasons`)."""

    __slots__ = ("_done", "_how")

    def __init__(
        self, how: tuple[Any, ...] | None = None,
        done: tuple[tuple[Feature, ...], str] | None = None,
    ) -> None:  # fmt: skip
        self._how, self._done = how, done

    def get(self) -> tuple[tuple[Feature, ...], str]:
        if self._done is None:
            assert self._how is not None
            matcher, *args = self._how
            self._done, self._how = matcher._reasons(*args), None
        return self._done

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reasons) and self.get() == other.get()

    def __hash__(self) -> int:
        return hash(self.get())

    def __repr__(self) -> str:
        return repr(self.get()[1])

    def __reduce__(self) -> tuple[type[Reasons], tuple[None, tuple[tuple[Feature, ...], str]]]:
        return (Reasons, (None, self.get()))


class ScoredMatch(NamedTuple):
    """The score of a query against a candidate, the decision, and the reasons (a named
    tuple: immutable, and made for every candidate scored, so made cheaply)."""

    score: float
    match: bool
    query_name: str
    candidate_name: str  # the candidate's name (alias) that scored best
    romanisation: str  # of the variants compared, e.g. "latin", "serbian-latin"
    reasons: Reasons

    @property
    def features(self) -> tuple[Feature, ...]:
        """Every feature, in `FEATURES` order."""
        return self.reasons.get()[0]

    @property
    def explanation(self) -> str:
        return self.reasons.get()[1]


_CACHE_LIMIT = 4096
# `ScoredMatch(...)` without its Python-level `__new__` (one is made for every pair scored)
_new_match = partial(tuple.__new__, ScoredMatch)
_ALIGNMENT_FEATURES = 6  # the name features an alignment gives (the legal forms' apart)
_LOGIT_CAP = 50.0
_exp = math.exp


class ScoredMatcher:
    """Scores names with fitted feature weights; a `NameMatcher` for the rules engine."""

    threshold: float

    def __init__(
        self, threshold: float | None = None, weights: Mapping[str, float] | None = None
    ) -> None:
        self.threshold = THRESHOLD if threshold is None else threshold
        self.weights: Mapping[str, float] = MappingProxyType(
            {**DEFAULT_WEIGHTS, **(weights or {})}
        )
        self._vector = tuple(self.weights.get(name, 0.0) for name in FEATURES)
        self._bias = self._vector[0]
        split = 1 + len(NAME_FEATURES)
        self._alignment_vector = self._vector[1 : 1 + _ALIGNMENT_FEATURES]
        self._same_form, self._form_conflict = self._vector[1 + _ALIGNMENT_FEATURES : split]
        self._context_vector = self._vector[split:]
        self._features: dict[tuple[int, float], Feature] = {}
        self._contexts: dict[tuple[float, ...], tuple[Feature, ...]] = {}
        # per value of the context features: their log-odds with the bias, and whether any
        # fires (the features are 0 or 1: a few hundred values at most)
        self._bases: dict[tuple[float, ...], tuple[float, bool]] = {}

    def score(self, query: NameQuery, candidate: Candidate) -> ScoredMatch:
        """The best match over the candidate's names (and the names' romanisations)."""
        name = query.name
        left = prepare(name)
        context = context_values(query, candidate)
        names = candidate.names
        if len(names) == 1:
            return self._score_name(name, left, prepare(names[0]), context)
        return self._best(name, left, [prepare(other) for other in names], context)

    def match(
        self, query: NameQuery, candidate: Candidate, names: Sequence[PreparedName] | None = None
    ) -> ScoredMatch | None:
        """`score(query, candidate)` when it matches, else None. `names`, when given, are
        the prepared names to try (some of the candidate's, as an index may know that the
        others cannot match)."""
        left = prepare(query.name)
        if names is None:
            names = [prepare(name) for name in candidate.names]
        best = self._best(query.name, left, names, context_values(query, candidate))
        return best if best.match else None

    def compare(self, name: str, other: str) -> NameMatch | None:
        """`NameMatcher.compare`: a match of `name` with `other` at the threshold, or None."""
        scored = self.score(NameQuery(name), Candidate((other,)))
        if not scored.match:
            return None
        return NameMatch(name, other, scored.score, scored.romanisation, scored.explanation)

    def _best(
        self, query_name: str, left: PreparedName, names: Sequence[PreparedName],
        context: tuple[float, ...],
    ) -> ScoredMatch:  # fmt: skip
        """The best of the names: a match first, then the higher score (the first on a tie)."""
        best: ScoredMatch | None = None
        for right in names:
            current = self._score_name(query_name, left, right, context)
            if best is None or (current.match, current.score) > (best.match, best.score):
                best = current
        return self._empty(query_name, "", context) if best is None else best

    def _score_name(
        self, query_name: str, left: PreparedName, right: PreparedName,
        context: tuple[float, ...],
    ) -> ScoredMatch:  # fmt: skip
        other = right.name
        a, b = left.only, right.only
        if a is not None and b is not None:
            values, _ = measure(a, b)
        else:
            found = closest(left, right)
            if found is None:
                return self._empty(query_name, other, context)
            values, _, a, b = found
        if context is NO_CONTEXT:
            base, evidence = self._bias, False
        else:
            base, evidence = self._bases.get(context) or self._base(context)
        # each feature's weight * value added in `FEATURES` order (zeros add nothing)
        logit = sum(map(mul, self._alignment_vector, values), base)
        if left.forms and right.forms:
            same, conflict = compatible_forms(left, right)
            if same:
                logit += self._same_form
            if conflict:
                logit += self._form_conflict
        if logit > _LOGIT_CAP:
            logit = _LOGIT_CAP
        elif logit < -_LOGIT_CAP:
            logit = -_LOGIT_CAP
        score = 1.0 / (1.0 + _exp(-logit))
        match = score >= self.threshold
        floor = not match and not evidence and spec_floor(query_name, other)
        how = (self, left, right, a, b, context, score, match or floor, floor)
        label_a, label_b = a.label, b.label
        label = label_a if label_a == label_b or label_b == "latin" else _label(label_a, label_b)
        return _new_match((score, match or floor, query_name, other, label, Reasons(how)))

    def _base(self, context: tuple[float, ...]) -> tuple[float, bool]:
        """The bias and the context's log-odds, and whether any context feature fires."""
        base = self._bias
        for weight, value in zip(self._context_vector, context, strict=True):
            if value:
                base += weight * value
        found = self._bases[context] = (base, any(context))
        return found

    def _empty(self, query_name: str, other: str, context: tuple[float, ...]) -> ScoredMatch:
        """No match: one of the names has no words (or there is no name)."""
        text = "no match: no words left after normalisation (empty, or only a legal form)"
        values = [0.0, *(0.0 for _ in NAME_FEATURES), *context]
        done = (self._feature_tuple(values), text)
        return ScoredMatch(0.0, False, query_name, other, "", Reasons(None, done))

    def _reasons(
        self, left: PreparedName, right: PreparedName, a: Variant, b: Variant,
        context: tuple[float, ...], score: float, match: bool, floor: bool,
    ) -> tuple[tuple[Feature, ...], str]:  # fmt: skip
        alignment = align(a, b)
        values = [1.0, *name_values(alignment, left, right), *context]
        vector = self._vector
        contributions = [(FEATURES[k], value * vector[k]) for k, value in enumerate(values)
                         if value and vector[k]]  # fmt: skip
        text = explain(alignment, left, right, contributions, score, self.threshold, match,
                       floor=floor)  # fmt: skip
        return self._feature_tuple(values), text

    def _feature_tuple(self, values: list[float]) -> tuple[Feature, ...]:
        """Features of the values, each made once per distinct value (most are 0 or 1)."""
        cache = self._features
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        split = 1 + len(NAME_FEATURES)
        context = tuple(values[split:])
        tail = self._contexts.get(context)
        if tail is None:
            tail = self._contexts[context] = tuple(
                Feature(FEATURES[k], value, self._vector[k])
                for k, value in enumerate(context, start=split)
            )
        out = []
        for k in range(split):
            value = values[k]
            feature = cache.get((k, value))
            if feature is None:
                feature = cache[(k, value)] = Feature(FEATURES[k], value, self._vector[k])
            out.append(feature)
        return (*out, *tail)


def _label(left: str, right: str) -> str:
    """The romanisations of two variants, as a match reports them."""
    if left == right or right == "latin":
        return left
    return right if left == "latin" else f"{left}/{right}"
