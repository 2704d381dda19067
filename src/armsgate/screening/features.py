"""Features of a pair of prepared names, and of the other facts of a query and a candidate.

Words are aligned one to one whatever their order: equal words first, then a word of one
side written as two of the other ("VladimirPutin", "Good Will"), then the remaining pairs
greedily by similarity (optimal for the short names of sanctions lists in practice).
A pair whose similarity is below `ALIGN_FLOOR` is left unaligned. Each feature is
symmetric in the two names, so a name-only score does not depend on which side is which.

Name features, all in [0, 1]:
    similarity       mean optimal-string-alignment similarity of aligned words, weighted
                     by word length
    jaro_winkler     the same with Jaro-Winkler similarity
    phonetic         weighted share of aligned words with the same metaphone key
    worst            similarity of the worst aligned pair: one clearly different word
    unmatched_min    share (by length) of unaligned words on the better-covered side
    unmatched_max    the same on the less-covered side (a long name against a short one)
    initials         share of aligned pairs that are an initial and a word ("J." ~ "John")
    matched_tokens   aligned pairs, counted up to three, over three
    number_mismatch  1 when the numbers in the two names differ ("Fund 5" / "Fund 6")
    legal_form_same  both carry legal forms, of the same form or family
    legal_form_conflict  both carry legal forms, of different families only
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from armsgate.screening.normalise import PreparedName, Variant, compatible_forms

__all__ = [
    "ALIGN_FLOOR",
    "NAME_FEATURES",
    "Alignment",
    "WordPair",
    "align",
    "best_alignment",
    "name_values",
]

NAME_FEATURES: tuple[str, ...] = (
    "similarity",
    "jaro_winkler",
    "phonetic",
    "worst",
    "edits",
    "unmatched_min",
    "unmatched_max",
    "unmatched_both",
    "initials",
    "matched_tokens",
    "number_mismatch",
    "legal_form_same",
    "legal_form_conflict",
)

ALIGN_FLOOR = 0.6  # mean of OSA and Jaro-Winkler similarity below which words stay unaligned
MERGE_FLOOR = 0.85  # OSA similarity of a word with two others joined, to take them as one
_MIN_MERGED = 5  # letters a word needs to be taken as two joined words
_COUNT_CAP = 3
_EDIT_CAP = 4
PHONETIC_DISCOUNT = 0.75


@dataclass(frozen=True, slots=True)
class WordPair:
    """Two aligned words (either may be two words joined) and how alike they are."""

    left: str
    right: str
    similarity: float  # optimal string alignment, normalised
    jaro_winkler: float
    phonetic: bool
    kind: str  # "equal", "fuzzy", "initial", "joined" or "consonants"
    weight: float  # mean length of the two sides
    edits: int = 0  # optimal string alignment distance (of consonants, for "consonants")


@dataclass(frozen=True, slots=True)
class Alignment:
    """The words of two name variants, aligned."""

    left: Variant
    right: Variant
    pairs: tuple[WordPair, ...]
    unmatched_left: tuple[str, ...]
    unmatched_right: tuple[str, ...]
    values: tuple[float, ...]  # the name features but the legal-form ones, in order
    closeness: float  # aligned similarity mass over the mean length: picks the variant


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


def align(a: Variant, b: Variant) -> Alignment:
    """Words of `a` and `b` aligned one to one, and the name features of the alignment."""
    pairs: list[WordPair] = []
    rest_b: dict[str, list[int]] = {}
    for j, word in enumerate(b.tokens):
        rest_b.setdefault(word, []).append(j)
    free_a: list[int] = []
    for i, word in enumerate(a.tokens):
        slots = rest_b.get(word)
        if slots:
            slots.pop()
            w = a.weights[i]
            pairs.append(WordPair(word, word, 1.0, 1.0, True, "equal", w))
        else:
            free_a.append(i)
    free_b = sorted(j for slots in rest_b.values() for j in slots)
    if free_a and free_b:
        consonants = a.abjad != b.abjad
        if not consonants:
            _merge(a, b, free_a, free_b, pairs, flipped=False)
            _merge(b, a, free_b, free_a, pairs, flipped=True)
        _fuzzy(a, b, free_a, free_b, pairs, consonants)
    return _finish(a, b, pairs, free_a, free_b)


def _merge(
    x: Variant, y: Variant, free_x: list[int], free_y: list[int], pairs: list[WordPair],
    *, flipped: bool,
) -> None:
    """Align a free word of `x` with two free words of `y` that, joined, spell it."""
    for i in list(free_x):
        word = x.tokens[i]
        if len(word) < _MIN_MERGED or len(free_y) < 2:
            continue
        found = _find_join(word, y, free_y)
        if found is None:
            continue
        j, k, joined, sim = found
        free_x.remove(i)
        free_y.remove(j)
        free_y.remove(k)
        weight = (x.weights[i] + y.weights[j] + y.weights[k]) / 2
        left, right = (joined, word) if flipped else (word, joined)
        edits = OSA.distance(word, joined)
        pairs.append(WordPair(left, right, sim, sim, True, "joined", weight, edits))


def _find_join(word: str, y: Variant, free_y: list[int]) -> tuple[int, int, str, float] | None:
    for j in free_y:
        first = y.tokens[j]
        if first[0] != word[0]:
            continue
        for k in free_y:
            if k == j or abs(len(first) + len(y.tokens[k]) - len(word)) > 2:
                continue
            joined = first + y.tokens[k]
            sim = OSA.normalized_similarity(word, joined)
            if sim >= MERGE_FLOOR:
                return j, k, joined, sim
    return None


def _fuzzy(
    a: Variant, b: Variant, free_a: list[int], free_b: list[int], pairs: list[WordPair],
    consonants: bool,
) -> None:
    """Greedy one-to-one alignment of the free words by similarity (ties broken by the
    words themselves, so that swapping the sides gives the same alignment)."""
    scored: list[tuple[float, str, str, int, int, WordPair]] = []
    for i in free_a:
        for j in free_b:
            pair = _compare(a, i, b, j, consonants)
            if pair is None:
                continue
            rank = (pair.similarity + pair.jaro_winkler) / 2
            if rank >= ALIGN_FLOOR:
                low, high = sorted((pair.left, pair.right))
                scored.append((-rank, low, high, i, j, pair))
    scored.sort(key=lambda item: item[:3])
    used_a: set[int] = set()
    used_b: set[int] = set()
    for *_, i, j, pair in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append(pair)
    free_a[:] = [i for i in free_a if i not in used_a]
    free_b[:] = [j for j in free_b if j not in used_b]


def _compare(a: Variant, i: int, b: Variant, j: int, consonants: bool) -> WordPair | None:
    x, y = a.tokens[i], b.tokens[j]
    weight = (a.weights[i] + b.weights[j]) / 2
    if x.isdigit() or y.isdigit():
        return None  # numbers match exactly or not at all
    if len(x) == 1 or len(y) == 1:
        if x[0] != y[0]:
            return None
        return WordPair(x, y, 1.0, 1.0, True, "initial", weight)
    if consonants:
        sx, sy = a.skeletons[i], b.skeletons[j]
        edits = OSA.distance(sx, sy)
        sim = 1.0 - edits / max(len(sx), len(sy))
        return WordPair(x, y, sim, JaroWinkler.similarity(sx, sy), sx == sy, "consonants",
                        weight, edits)  # fmt: skip
    edits = OSA.distance(x, y)
    sim = 1.0 - edits / max(len(x), len(y))
    phonetic = a.phonetic[i] == b.phonetic[j]
    return WordPair(x, y, sim, JaroWinkler.similarity(x, y), phonetic, "fuzzy", weight, edits)


def _finish(
    a: Variant, b: Variant, pairs: list[WordPair], free_a: list[int], free_b: list[int]
) -> Alignment:
    mass = sum(p.weight for p in pairs)
    if mass > 0:
        similarity = sum(p.weight * p.similarity for p in pairs) / mass
        jaro = sum(p.weight * p.jaro_winkler for p in pairs) / mass
        phonetic = sum(p.weight for p in pairs if p.phonetic) / mass
        worst = min(p.similarity for p in pairs)
        initials = sum(p.kind == "initial" for p in pairs) / len(pairs)
    else:
        similarity = jaro = phonetic = worst = initials = 0.0
    left_out = sum(a.weights[i] for i in free_a) / a.total
    right_out = sum(b.weights[j] for j in free_b) / b.total
    edits = sum(p.edits * (PHONETIC_DISCOUNT if p.phonetic else 1.0) for p in pairs)
    values = (
        similarity,
        jaro,
        phonetic,
        worst,
        min(edits, _EDIT_CAP) / _EDIT_CAP,
        min(left_out, right_out),
        max(left_out, right_out),
        float(bool(free_a) and bool(free_b)),
        initials,
        min(len(pairs), _COUNT_CAP) / _COUNT_CAP,
        float(a.numbers != b.numbers),
    )
    closeness = sum(p.weight * p.similarity for p in pairs) / ((a.total + b.total) / 2)
    return Alignment(
        left=a,
        right=b,
        pairs=tuple(pairs),
        unmatched_left=tuple(a.tokens[i] for i in free_a),
        unmatched_right=tuple(b.tokens[j] for j in free_b),
        values=values,
        closeness=closeness,
    )


def _better(current: Alignment, best: Alignment) -> bool:
    """Closer wins; on a tie, the alignment with the greater feature values (symmetric)."""
    if current.closeness != best.closeness:
        return current.closeness > best.closeness
    return current.values > best.values
