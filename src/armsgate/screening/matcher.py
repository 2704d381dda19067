"""The scored name matcher: a score in [0, 1], a decision at a threshold, and its reasons.

It replaces `armsgate.rules.names.MinimalNameMatcher` behind the same `compare` interface.

Score: a logistic function of features (see `features`, `context`):
    score = 1 / (1 + exp(-(bias + sum(weight * value))))
over the name features of the best-aligned romanisations of the two names, and the
context features of the query and the candidate (identifiers, birth date, country,
schema). A candidate is scored under each of its names; the best one is reported.

Decision: `score >= threshold` (`THRESHOLD`, chosen to maximise F1 on the development
pairs), with the SPEC's rule (SPEC.md, "Names, for screening-hit") on top where no
context feature fires: two names that the SPEC's minimum matches always match, and two
names that each keep two words or more and have at most one word in common (one-edit
rule, under every romanisation) never do. The explanation says which applied.

The name weights were fitted, the context weights were not (no labelled data has those
properties): they are priors, set so that a shared identifier or an exact date of birth
outweighs fuzzy-name doubt and a contradicting one counts against a close name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from armsgate.rules.names import MinimalNameMatcher, NameMatch, normalise, words_match
from armsgate.screening.context import CONTEXT_FEATURES, context_values
from armsgate.screening.features import NAME_FEATURES, Alignment, best_alignment, name_values
from armsgate.screening.normalise import PreparedName, prepare

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "PRIOR_WEIGHTS",
    "SIGNS",
    "THRESHOLD",
    "Candidate",
    "Feature",
    "NameQuery",
    "ScoredMatch",
    "ScoredMatcher",
    "prepare",
]

FEATURES: tuple[str, ...] = ("bias", *NAME_FEATURES, *CONTEXT_FEATURES)

# Fitted by `.venv/bin/python -m benchmarks.screening.evaluate --fit` (L2-regularised
# logistic regression by Newton's method on the 388 development pairs of
# shared/data/screening/name-pairs-dev.csv; the 5-fold cross-validated figures beside
# the plain ones are in the same command's report).
FITTED_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "bias": -8.0,
    "similarity": 6.0,
    "jaro_winkler": 2.0,
    "phonetic": 1.0,
    "worst": 4.0,
    "edits": -1.0,
    "unmatched_min": -6.0,
    "unmatched_max": -2.0,
    "unmatched_both": -1.0,
    "initials": -1.0,
    "matched_tokens": 1.0,
    "legal_form_same": 0.5,
    "legal_form_conflict": -1.0,
})  # fmt: skip
THRESHOLD = 0.5  # chosen by the same command: the F1-best threshold on the development pairs

# Priors, not fitted (see the module's docstring), on the same logistic scale.
PRIOR_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "number_mismatch": -3.0,  # numbers must match exactly (fixed while the rest is fitted)
    "identifier_match": 4.0,
    "identifier_conflict": -2.5,
    "birth_date_match": 2.0,
    "birth_year_match": 1.0,
    "birth_date_conflict": -2.0,
    "country_match": 0.5,
    "country_conflict": -1.0,
    "schema_conflict": -3.0,
})  # fmt: skip
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType({**FITTED_WEIGHTS, **PRIOR_WEIGHTS})

# The direction of each fitted feature's evidence, imposed on the fit: +1 can only speak
# for a match, -1 only against it (a fitted weight of the wrong sign is held at zero).
SIGNS: Mapping[str, int] = MappingProxyType({
    "bias": 0, "similarity": 1, "jaro_winkler": 1, "phonetic": 1, "worst": 1, "edits": -1,
    "unmatched_min": -1, "unmatched_max": -1, "unmatched_both": -1, "initials": -1,
    "matched_tokens": 1, "legal_form_same": 1, "legal_form_conflict": -1,
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


@dataclass(frozen=True, slots=True)
class ScoredMatch:
    """The score of a query against a candidate, the decision, and the reasons."""

    score: float
    match: bool
    query_name: str
    candidate_name: str  # the candidate's name (alias) that scored best
    romanisation: str  # of the variants compared, e.g. "latin", "serbian-latin"
    features: tuple[Feature, ...]
    explanation: str


class ScoredMatcher:
    """Scores names with fitted feature weights; a `NameMatcher` for the rules engine."""

    threshold: float

    def __init__(
        self, threshold: float | None = None, weights: Mapping[str, float] | None = None
    ) -> None:
        self.threshold = THRESHOLD if threshold is None else threshold
        self.weights: Mapping[str, float] = {**DEFAULT_WEIGHTS, **(weights or {})}

    def score(self, query: NameQuery, candidate: Candidate) -> ScoredMatch:
        """The best match over the candidate's names (and the names' romanisations)."""
        context = context_values(query, candidate)
        prepared = prepare(query.name)
        best: ScoredMatch | None = None
        for name in candidate.names:
            current = self._score_name(query.name, prepared, name, context)
            if best is None or (current.match, current.score) > (best.match, best.score):
                best = current
        if best is None:
            return self._empty(query.name, "", context, "the candidate has no name")
        return best

    def compare(self, name: str, other: str) -> NameMatch | None:
        """`NameMatcher.compare`: a match of `name` with `other` at the threshold, or None."""
        scored = self.score(NameQuery(name), Candidate((other,)))
        if not scored.match:
            return None
        return NameMatch(name, other, scored.score, scored.romanisation, scored.explanation)

    # --- one name ------------------------------------------------------------------------

    def _score_name(
        self, query_name: str, left: PreparedName, other: str, context: list[float]
    ) -> ScoredMatch:
        right = prepare(other)
        alignment = best_alignment(left, right)
        if alignment is None:
            reason = "no words left after normalisation (empty, or only a legal form)"
            return self._empty(query_name, other, context, reason)
        values = [1.0, *name_values(alignment, left, right), *context]
        features = tuple(
            Feature(name, value, self.weights.get(name, 0.0))
            for name, value in zip(FEATURES, values, strict=True)
        )
        logit = sum(f.contribution for f in features)
        score = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
        match, rule = score >= self.threshold, ""
        if not any(context):
            forced = spec_rule(query_name, other, match)
            if forced is not None and forced != match:
                match = forced
                rule = _FLOOR_RULE if forced else _NO_HIT_RULE
        return ScoredMatch(
            score=score,
            match=match,
            query_name=query_name,
            candidate_name=other,
            romanisation=_label(alignment),
            features=features,
            explanation=_explain(alignment, left, right, features, score, self.threshold,
                                 match, rule),
        )

    def _empty(self, query: str, other: str, context: list[float], reason: str) -> ScoredMatch:
        values = [0.0] * len(NAME_FEATURES)
        features = tuple(
            Feature(name, value, self.weights.get(name, 0.0))
            for name, value in zip(FEATURES[1:], [*values, *context], strict=True)
        )
        return ScoredMatch(0.0, False, query, other, "", features, f"no match: {reason}")


_FLOOR_RULE = "SPEC minimum: the same words, within one edit"
_NO_HIT_RULE = "SPEC no-hit rule: at most one word in common"
_MINIMAL = MinimalNameMatcher()
VETO = False


def spec_rule(name: str, other: str, scored: bool | None = None) -> bool | None:
    """The SPEC's decision on names alone where it makes one: True when its minimum
    matches, False when it expects no hit, None otherwise. Given the score's decision
    `scored`, only the rule that could overturn it is checked."""
    if scored is not True and _MINIMAL.compare(name, other) is not None:
        return True
    if VETO and scored is not False and spec_distinct(name, other):
        return False
    return None


def spec_distinct(name: str, other: str) -> bool:
    """True when the SPEC expects no hit on names alone: each keeps two words or more and,
    under every pair of romanisations, at most one word is in common (one-edit rule)."""
    left, right = normalise(name), normalise(other)
    if not left or not right or any(len(t) < 2 for t in (*left, *right)):
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


def _label(alignment: Alignment) -> str:
    labels = [x for x in dict.fromkeys((alignment.left.label, alignment.right.label))]
    named = [label for label in labels if label != "latin"]
    return "/".join(named) or "latin"


def _explain(
    alignment: Alignment, left: PreparedName, right: PreparedName,
    features: tuple[Feature, ...], score: float, threshold: float, match: bool, rule: str,
) -> str:
    words = []
    for pair in alignment.pairs:
        if pair.kind == "equal":
            words.append(pair.left)
        else:
            words.append(f"{pair.left}~{pair.right} ({pair.kind} {pair.similarity:.2f})")
    parts = [f"[{' '.join(alignment.left.tokens)}] vs [{' '.join(alignment.right.tokens)}]"]
    parts.append(f"aligned: {', '.join(words) or 'nothing'}")
    unmatched = [*alignment.unmatched_left, *alignment.unmatched_right]
    if unmatched:
        parts.append(f"unmatched: {', '.join(unmatched)}")
    if left.forms or right.forms:
        forms = f"{'/'.join(sorted(left.forms)) or '-'} vs {'/'.join(sorted(right.forms)) or '-'}"
        parts.append(f"legal forms: {forms}")
    verdict = "match" if match else "no match"
    relation = ">=" if score >= threshold else "<"
    parts.append(f"score {score:.3f} {relation} threshold {threshold:.3f}: {verdict}")
    if rule:
        parts.append(f"decided by the {rule}")
    shown = sorted((f for f in features if f.contribution), key=lambda f: -abs(f.contribution))
    parts.append("contributions: " + ", ".join(f"{f.name} {f.contribution:+.2f}" for f in shown))
    return "; ".join(parts)
