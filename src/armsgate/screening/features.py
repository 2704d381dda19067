"""Features of a pair of prepared names.

Words are aligned one to one whatever their order: equal words first; then a word of one
side written as two of the other ("IvanPetrovic", "Stargulf"); then the remaining pairs
greedily by similarity, the mean of optimal-string-alignment (Levenshtein with
transpositions) similarity and Jaro-Winkler similarity, both from rapidfuzz. A pair below
`ALIGN_FLOOR` stays unaligned. A one-letter word aligns with a word it is the initial of
("J." ~ "John"). Numbers align only with the same number. Words romanised from an abjad
(Arabic, Hebrew) are compared with Latin words by their consonants.

Name features, each symmetric in the two names (so a name-only score does not depend on
which side is which) and in [0, 1]:
    edits            edits over all aligned pairs, a pair with the same metaphone key
                     counting half, up to `EDIT_CAP`, over `EDIT_CAP`
    unmatched_min    share (by length) of unaligned words on the better-covered side
    unmatched_max    the same on the less-covered side (a long name against a short one)
    unmatched_both   1 when both sides keep a word the other lacks (they disagree on one)
    number_mismatch  1 when the numbers in the two names differ ("Fund 5", "Fund 6")
    legal_form_same  both carry legal forms, the same form or of the same family
    legal_form_conflict  both carry legal forms, of different families only

Also tried, and left out because the fit gave them no weight once `edits` and the
coverage features were in: mean OSA and Jaro-Winkler similarity of the aligned words, the
share of aligned words that sound alike, the worst aligned pair, the share of initials,
and the count of aligned words; and interactions of the coverage features with schema.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz.distance import OSA, JaroWinkler

from armsgate.screening.normalise import PreparedName, Variant, compatible_forms

__all__ = ["ALIGN_FLOOR", "EDIT_CAP", "NAME_FEATURES", "Alignment", "WordPair",
           "align", "best_alignment", "name_values"]  # fmt: skip

NAME_FEATURES: tuple[str, ...] = (
    "edits",
    "unmatched_min",
    "unmatched_max",
    "unmatched_both",
    "number_mismatch",
    "legal_form_same",
    "legal_form_conflict",
)

ALIGN_FLOOR = 0.6  # mean of OSA and Jaro-Winkler similarity below which words stay unaligned
MERGE_FLOOR = 0.85  # OSA similarity of a word with two others joined, to take them as one
PHONETIC_DISCOUNT = 0.5  # edits in a pair of words with the same metaphone key count half
EDIT_CAP = 4
CONSONANT_EDIT_MIN = 4  # consonants a skeleton needs for one edit (shorter ones: none)
_MIN_MERGED = 5  # letters a word needs to be taken as two joined words
_MERGE_SLACK = 2  # letters by which two joined words may be longer or shorter than the word


class WordPair(NamedTuple):
    """Two aligned words (either may be two words joined) and how they differ."""

    left: str
    right: str
    kind: str  # "equal", "fuzzy", "initial", "joined" or "consonants"
    edits: int  # optimal string alignment distance (of the consonants, for "consonants")
    phonetic: bool  # the same metaphone key (the same consonants, for "consonants")


class Alignment(NamedTuple):
    """The words of two name variants, aligned."""

    left: Variant
    right: Variant
    pairs: tuple[WordPair, ...]
    unmatched_left: tuple[str, ...]
    unmatched_right: tuple[str, ...]
    values: tuple[float, ...]  # the name features but the legal-form ones, in order
    closeness: float  # aligned length less edits, over the mean length: picks the variant


def best_alignment(left: PreparedName, right: PreparedName) -> Alignment | None:
    """The alignment of the two names' closest variants, or None if either is empty."""
    best: Alignment | None = None
    for a in left.variants:
        for b in right.variants:
            current = align(a, b)
            if best is None or _better(current, best):
                best = current
    return best


def name_values(alignment: Alignment, left: PreparedName, right: PreparedName) -> list[float]:
    """All name features of an alignment, in `NAME_FEATURES` order."""
    same, conflict = compatible_forms(left, right)
    return [*alignment.values, float(same), float(conflict)]


# An aligned pair while aligning: (edits, phonetic, kind, left word, right word, weight).
_Raw = tuple[int, bool, str, str, str, float]


def align(a: Variant, b: Variant) -> Alignment:
    """Words of `a` and `b` aligned one to one, and the name features of the alignment."""
    pairs: list[_Raw] = []
    unused: dict[str, int] = {}
    for word in b.tokens:
        unused[word] = unused.get(word, 0) + 1
    free_a: list[int] = []
    for i, word in enumerate(a.tokens):
        if unused.get(word):
            unused[word] -= 1
            pairs.append((0, True, "equal", word, word, a.weights[i]))
        else:
            free_a.append(i)
    if len(pairs) == len(b.tokens):
        free_b: list[int] = []
    elif not pairs:
        free_b = list(range(len(b.tokens)))
    else:
        free_b = []
        for j in range(len(b.tokens) - 1, -1, -1):  # the last copies of a word stay free
            word = b.tokens[j]
            if unused[word]:
                unused[word] -= 1
                free_b.append(j)
        free_b.reverse()
    if free_a and free_b:
        consonants = a.abjad != b.abjad
        if not consonants and len(free_a) < len(free_b):
            _merge(a, b, free_a, free_b, pairs, flipped=False)
        elif not consonants and len(free_b) < len(free_a):
            _merge(b, a, free_b, free_a, pairs, flipped=True)
        if free_a and free_b:
            _fuzzy(a, b, free_a, free_b, pairs, consonants)
    return _finish(a, b, pairs, free_a, free_b)


def _merge(
    x: Variant, y: Variant, free_x: list[int], free_y: list[int], pairs: list[_Raw],
    *, flipped: bool,
) -> None:
    """Align a free word of `x` with two free words of `y` that, joined, spell it (the
    words of `x` taken in alphabetical order, so the order of the words does not matter)."""
    for i in sorted(free_x, key=lambda i: x.tokens[i]):
        word = x.tokens[i]
        if len(word) < _MIN_MERGED or len(free_y) <= len(free_x):
            continue
        found = _find_join(word, y, free_y)
        if found is None:
            continue
        edits, joined, j, k = found
        free_x.remove(i)
        free_y.remove(j)
        free_y.remove(k)
        weight = (x.weights[i] + y.weights[j] + y.weights[k]) / 2
        left, right = (joined, word) if flipped else (word, joined)
        pairs.append((edits, True, "joined", left, right, weight))


def _find_join(word: str, y: Variant, free_y: list[int]) -> tuple[int, str, int, int] | None:
    """The two free words of `y` that, joined, come closest to `word`, if close enough."""
    best: tuple[int, str, int, int] | None = None
    for j in free_y:
        first = y.tokens[j]
        if first[0] != word[0]:
            continue
        for k in free_y:
            if k == j or abs(len(first) + len(y.tokens[k]) - len(word)) > _MERGE_SLACK:
                continue
            joined = first + y.tokens[k]
            edits = OSA.distance(word, joined, score_cutoff=2)
            if edits <= 1 and 1.0 - edits / max(len(word), len(joined)) >= MERGE_FLOOR:
                found = (edits, joined, j, k)
                if best is None or found[:2] < best[:2]:
                    best = found
    return best


def _fuzzy(
    a: Variant, b: Variant, free_a: list[int], free_b: list[int], pairs: list[_Raw],
    consonants: bool,
) -> None:
    """Greedy one-to-one alignment of the free words by similarity (ties broken by the
    words themselves, so that swapping the sides gives the same alignment)."""
    xs, ys = (a.skeletons, b.skeletons) if consonants else (a.tokens, b.tokens)
    twice_floor = 2 * ALIGN_FLOOR
    scored: list[tuple[float, str, str, int, int, int, bool, str]] = []
    for i in free_a:
        x = xs[i]
        if x.isdigit():
            continue  # numbers match exactly or not at all
        lx = len(x)
        for j in free_b:
            y = ys[j]
            if y.isdigit():
                continue
            ly = len(y)
            if lx == 1 or ly == 1:
                if x[0] == y[0] and x[0].isalpha() and not consonants:
                    scored.append((-ALIGN_FLOOR, x, y, i, j, 0, True, "initial"))
                continue
            longest = lx if lx > ly else ly
            if consonants:
                phonetic, kind = x == y, "consonants"
                allowed = 0 if (lx if lx < ly else ly) < CONSONANT_EDIT_MIN else 1
            else:
                phonetic, kind = a.phonetic[i] == b.phonetic[j], "fuzzy"
                allowed = max(1, longest // (2 if phonetic else 4))
            edits = OSA.distance(x, y, score_cutoff=allowed + 1)
            if edits > allowed:
                continue
            similarity = 1.0 - edits / longest
            needed = twice_floor - similarity  # of Jaro-Winkler similarity
            if needed > 1.0:
                continue
            jaro = JaroWinkler.similarity(x, y, score_cutoff=needed)
            if not jaro:
                continue
            low, high = (x, y) if x <= y else (y, x)
            scored.append((-(similarity + jaro) / 2, low, high, i, j, edits, phonetic, kind))
    if not scored:
        return
    scored.sort(key=lambda item: item[:3])
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _, _, i, j, edits, phonetic, kind in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        weight = (a.weights[i] + b.weights[j]) / 2
        pairs.append((edits, phonetic, kind, a.tokens[i], b.tokens[j], weight))
    free_a[:] = [i for i in free_a if i not in used_a]
    free_b[:] = [j for j in free_b if j not in used_b]


def _finish(
    a: Variant, b: Variant, pairs: list[_Raw], free_a: list[int], free_b: list[int]
) -> Alignment:
    if pairs and all(p[2] == "initial" for p in pairs):
        # Initials alone anchor nothing ("Krusik" is not "K. M. A."): no word is aligned.
        pairs = []
        free_a[:] = range(len(a.tokens))
        free_b[:] = range(len(b.tokens))
    edits = 0.0
    mass = 0.0
    # An initial covers one letter of the word it stands for; the rest counts as unmatched.
    left_initials = right_initials = 0.0
    for pair in pairs:
        cost = pair[0] * PHONETIC_DISCOUNT if pair[1] else float(pair[0])
        edits += _rate(cost, pair)
        if pair[2] == "initial":
            left_initials += len(pair[3]) - 1
            right_initials += len(pair[4]) - 1
            mass += 1.0
        else:
            mass += pair[5] - cost
    weights = a.weights
    left_out = (sum([weights[i] for i in free_a]) + left_initials) / a.total
    weights = b.weights
    right_out = (sum([weights[j] for j in free_b]) + right_initials) / b.total
    low, high = (left_out, right_out) if left_out <= right_out else (right_out, left_out)
    values = (
        _agg(edits, mass_all(pairs)),
        low,
        high,
        1.0 if free_a and free_b else 0.0,
        0.0 if a.numbers == b.numbers else 1.0,
    )
    return Alignment(
        a,
        b,
        tuple([WordPair(p[3], p[4], p[2], p[0], p[1]) for p in pairs]),
        tuple([a.tokens[i] for i in free_a]),
        tuple([b.tokens[j] for j in free_b]),
        values,
        mass / ((a.total + b.total) / 2),
    )


def _better(current: Alignment, best: Alignment) -> bool:
    """Closer wins; on a tie, the alignment with the smaller feature values (symmetric)."""
    if current.closeness != best.closeness:
        return current.closeness > best.closeness
    return current.values < best.values


import os
_MODE = os.environ.get("EDITMODE", "abs")


def _rate(cost: float, pair: _Raw) -> float:
    if _MODE == "abs" or not cost:
        return cost
    if _MODE == "rate":
        return cost / max(len(pair[3]), len(pair[4]))
    if _MODE == "rate2":
        return cost / max(len(pair[3]), len(pair[4])) * 4
    return cost


def mass_all(pairs: list[_Raw]) -> float:
    return sum(max(len(p[3]), len(p[4])) for p in pairs) or 1.0


def _agg(edits: float, mass: float) -> float:
    if _MODE == "abs":
        return min(edits, EDIT_CAP) / EDIT_CAP
    if _MODE == "rate":
        return min(edits, 1.0)
    if _MODE == "rate2":
        return min(edits, EDIT_CAP) / EDIT_CAP
    return edits
