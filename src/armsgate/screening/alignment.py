"""Two variants of names, their words aligned one to one whatever their order.

Equal words first; then a word of one side written as two of the other ("IvanPetrovic",
"Stargulf"), within one edit; then the remaining pairs greedily by similarity, each pair
as `words.pair_edits` allows it (else the words stay unaligned). A one-letter word aligns
with a word it is the initial of ("J." ~ "John"). Numbers align only with the same
number. Words romanised from an abjad (Arabic, Hebrew) are compared with Latin words by
their consonants.

`align` makes the alignment (which the explanation of a match shows) and the values of
the name features it gives (`features`); `features.measure` finds the same values with no
alignment made where the words leave little to align.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz.distance import OSA

from armsgate.screening.normalise import PreparedName, Tokens, Variant
from armsgate.screening.words import (
    ALIGN_FLOOR,
    MAX_EDITS,
    STEM,
    STEM_EDITS,
    TWO_EDITS,
    pair_edits,
)

__all__ = ["PHONETIC_DISCOUNT", "SAME_WORDS", "Alignment", "Candidate", "WordPair", "align",
           "best_alignment"]  # fmt: skip

MERGE_FLOOR = 0.85  # OSA similarity of a word with two others joined, to take them as one
PHONETIC_DISCOUNT = 0.5  # edits in a pair of words with the same metaphone key count half
_ANCHORS = frozenset({"equal", "joined"})  # pair kinds that, without edits, anchor a name
_MIN_MERGED = 5  # letters a word needs to be taken as two joined words
_MIN_PART = 2  # letters each of two joined words needs
_MERGE_SLACK = 2  # letters by which two joined words may be longer or shorter than the word
SAME_WORDS = (0.0,) * 6  # the values of two variants with the same words


# An aligned pair while aligning: (edits, phonetic, kind, left word, right word, weight,
# length of the longer of the words compared).
_Raw = tuple[int, bool, str, str, str, float, int]


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
    equal: tuple[str, ...]  # the words aligned with the same word, in the order of `left`
    raw: tuple[_Raw, ...]  # the other aligned pairs, as `align` made them
    free_left: tuple[int, ...]  # positions of the unaligned words
    free_right: tuple[int, ...]
    values: tuple[float, ...]  # the name features but the legal-form ones, in order
    closeness: float  # aligned length less edits, over the mean length: picks the variant

    @property
    def pairs(self) -> tuple[WordPair, ...]:
        """The aligned pairs: the same words first, then the others as they were aligned."""
        return (*[WordPair(w, w, "equal", 0, True) for w in self.equal],
                *[WordPair(p[3], p[4], p[2], p[0], p[1]) for p in self.raw])  # fmt: skip

    @property
    def unmatched_left(self) -> tuple[str, ...]:
        return tuple([self.left.tokens[i] for i in self.free_left])

    @property
    def unmatched_right(self) -> tuple[str, ...]:
        return tuple([self.right.tokens[j] for j in self.free_right])


def best_alignment(left: PreparedName, right: PreparedName) -> Alignment | None:
    """The alignment of the two names' closest variants, or None if either is empty."""
    best: Alignment | None = None
    for a in left.variants:
        for b in right.variants:
            current = align(a, b)
            if best is None or _better(current, best):
                best = current
    return best


def align(a: Variant, b: Variant) -> Alignment:
    """Words of `a` and `b` aligned one to one, and the name features of the alignment."""
    ta, tb = a.tokens, b.tokens
    if ta == tb:  # every word the same: nothing left, no edit, closeness 1
        return Alignment(a, b, ta, (), (), (), SAME_WORDS, 1.0)
    if a.distinct and b.distinct:
        common = a.words & b.words
        if common:
            equal = tuple([word for word in ta if word in common])
            free_a = [i for i, word in enumerate(ta) if word not in common]
            free_b = [j for j, word in enumerate(tb) if word not in common]
        else:
            equal, free_a, free_b = (), list(range(len(ta))), list(range(len(tb)))
    else:
        equal, free_a, free_b = _equal_words(ta, tb)
    pairs: list[_Raw] = []
    if free_a and free_b:
        consonants = a.abjad != b.abjad
        if not consonants and len(free_a) < len(free_b):
            _merge(a, b, free_a, free_b, pairs, flipped=False)
        elif not consonants and len(free_b) < len(free_a):
            _merge(b, a, free_b, free_a, pairs, flipped=True)
        if free_a and free_b:
            _fuzzy(a, b, free_a, free_b, pairs, consonants)
    return _finish(a, b, equal, pairs, free_a, free_b)


def _equal_words(ta: Tokens, tb: Tokens) -> tuple[Tokens, list[int], list[int]]:
    """The same words of two variants, paired as often as both have them (in the order of
    `ta`), and the positions of the other words of each (of a word repeated in `tb`, the
    last copies stay free)."""
    unused: dict[str, int] = {}
    for word in tb:
        unused[word] = unused.get(word, 0) + 1
    equal: list[str] = []
    free_a: list[int] = []
    for i, word in enumerate(ta):
        if unused.get(word):
            unused[word] -= 1
            equal.append(word)
        else:
            free_a.append(i)
    if len(equal) == len(tb):
        return tuple(equal), free_a, []
    if not equal:
        return (), free_a, list(range(len(tb)))
    free_b = []
    for j in range(len(tb) - 1, -1, -1):
        word = tb[j]
        if unused[word]:
            unused[word] -= 1
            free_b.append(j)
    free_b.reverse()
    return tuple(equal), free_a, free_b


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
        pairs.append((edits, True, "joined", left, right, weight, max(len(word), len(joined))))


def _find_join(word: str, y: Variant, free_y: list[int]) -> tuple[int, str, int, int] | None:
    """The two free words of `y` that, joined, come closest to `word`, if close enough."""
    best: tuple[int, str, int, int] | None = None
    for j in free_y:
        first = y.tokens[j]
        if first[0] != word[0] or len(first) < _MIN_PART:
            continue
        for k in free_y:
            second = len(y.tokens[k])
            if k == j or second < _MIN_PART or abs(len(first) + second - len(word)) > _MERGE_SLACK:
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
    words themselves, so that swapping the sides gives the same alignment). Numbers never
    align (they match exactly or not at all), an initial aligns with a word it begins,
    other words as `pair_edits` allows (their consonant skeletons, for `consonants`)."""
    scored = _consonant_pairs(a, b, free_a, free_b) if consonants else []
    if not consonants:
        ta, tb, masks_a, masks_b = a.tokens, b.tokens, a.masks, b.masks
        wa, wb, pa, pb = a.weights, b.weights, a.phonetic, b.phonetic
        for i in free_a:
            x = ta[i]
            if x.isdigit():
                continue
            mx, lx, px = masks_a[i], wa[i], pa[i]
            for j in free_b:
                y = tb[j]
                if y.isdigit():
                    continue
                ly = wb[j]
                if lx == 1 or ly == 1:
                    if x[0] == y[0] and x[0].isalpha():
                        scored.append((-ALIGN_FLOOR, x, y, i, j, 0, True, "initial"))
                    continue
                my = masks_b[j]
                phonetic = px == pb[j]
                if not phonetic and mx != my:
                    # ruled out by their lengths and letters against the most edits
                    # `pair_edits` could allow them (both words beyond a stem: three)
                    cap = (STEM_EDITS if lx > STEM and ly > STEM
                           else MAX_EDITS if lx >= TWO_EDITS or ly >= TWO_EDITS else 1)
                    if (abs(lx - ly) > cap or (mx & ~my).bit_count() > cap
                            or (my & ~mx).bit_count() > cap):  # fmt: skip
                        continue
                found = pair_edits(x, y, phonetic, False, mx, my)
                if found is not None:
                    low, high = (x, y) if x <= y else (y, x)
                    scored.append((-found[1], low, high, i, j, found[0], phonetic, "fuzzy"))
    if not scored:
        return
    if len(scored) > 1:
        scored.sort(key=_order)
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _low, high, i, j, edits, phonetic, kind in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        weight = (a.weights[i] + b.weights[j]) / 2
        pairs.append((edits, phonetic, kind, a.tokens[i], b.tokens[j], weight, len(high)))
    free_a[:] = [i for i in free_a if i not in used_a]
    free_b[:] = [j for j in free_b if j not in used_b]


# A pair of free words that may be aligned, ranked: (-similarity, the lower word, the
# higher word, position in the left variant, in the right, edits, phonetic, kind).
Candidate = tuple[float, str, str, int, int, int, bool, str]


def _consonant_pairs(a: Variant, b: Variant, free_a: list[int],
                     free_b: list[int]) -> list[Candidate]:  # fmt: skip
    """The free words whose consonant skeletons may be aligned (an abjad against Latin)."""
    out: list[Candidate] = []
    xs, ys = a.skeletons, b.skeletons
    for i in free_a:
        x = xs[i]
        if x.isdigit() or len(x) == 1:
            continue
        for j in free_b:
            y = ys[j]
            if y.isdigit() or len(y) == 1:
                continue
            found = pair_edits(x, y, x == y, True)
            if found is not None:
                low, high = (x, y) if x <= y else (y, x)
                out.append((-found[1], low, high, i, j, found[0], x == y, "consonants"))
    return out


def _order(item: Candidate) -> tuple[float, str, str]:
    return item[:3]


def _finish(
    a: Variant, b: Variant, equal: Tokens, pairs: list[_Raw], free_a: list[int],
    free_b: list[int],
) -> Alignment:  # fmt: skip
    """The alignment and its values. Weights and edit costs are whole or half letters, so
    the sums of letters are exact in any order; the edits' shares are added in the order
    of the pairs."""
    real = len(equal)  # aligned pairs but initials
    anchored = real > 0  # a pair of the same words (or words joined without an edit)
    mass = float(sum(map(len, equal)))
    edits = 0.0
    # An initial covers one letter of the word it stands for; the rest counts as unmatched.
    left_initials = right_initials = 0.0
    for count, phonetic, kind, x, y, weight, longest in pairs:
        if count:
            cost = count * PHONETIC_DISCOUNT if phonetic else float(count)
            edits += cost / longest
        else:
            cost = 0.0
            anchored = anchored or kind in _ANCHORS
        if kind == "initial":
            left_initials += len(x) - 1
            right_initials += len(y) - 1
            mass += 1.0
        else:
            real += 1
            mass += weight - cost
    if not real:
        # Nothing aligned; initials alone anchor nothing ("Krusik" is not "K. M. A.").
        values = (0.0, 1.0, 1.0, 1.0, 0.0 if a.numbers == b.numbers else 1.0, 0.0)
        return Alignment(a, b, (), (), tuple(range(len(a.tokens))),
                         tuple(range(len(b.tokens))), values, 0.0)  # fmt: skip
    weights = a.weights
    left_out = (sum([weights[i] for i in free_a]) + left_initials) / a.total
    weights = b.weights
    right_out = (sum([weights[j] for j in free_b]) + right_initials) / b.total
    low, high = (left_out, right_out) if left_out <= right_out else (right_out, left_out)
    values = (
        edits if edits < 1.0 else 1.0,
        low,
        high,
        1.0 if (free_a or left_initials) and (free_b or right_initials) else 0.0,
        0.0 if a.numbers == b.numbers else 1.0,
        # fuzzy_partial: one name covered whole, the other not (`unmatched_both` speaks
        # where neither is), on one pair of words that are not the same
        1.0 if high > 0 and low == 0 and not anchored and real <= 1 else 0.0,
    )
    return Alignment(a, b, equal, tuple(pairs), tuple(free_a), tuple(free_b), values,
                     mass / ((a.total + b.total) / 2))  # fmt: skip


def _better(current: Alignment, best: Alignment) -> bool:
    """Closer wins; on a tie, the alignment with the smaller feature values (symmetric)."""
    if current.closeness != best.closeness:
        return current.closeness > best.closeness
    return current.values < best.values
