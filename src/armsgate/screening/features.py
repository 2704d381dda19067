"""Features of a pair of prepared names.

The words of the two names' closest variants are aligned (`alignment`); the name
features, each symmetric in the two names (so a name-only score does not depend on
which side is which) and in [0, 1]:
    edits            edits relative to word length: over the aligned pairs, the sum of
                     each pair's edits (half for words with the same metaphone key) over
                     the length of its longer word, up to 1 ("star"/"stan" 0.25,
                     "valjevo"/"valjeva" 0.14)
    unmatched_min    share (by length) of unaligned words on the better-covered side (the
                     letters of a word but its initial count as unaligned)
    unmatched_max    the same on the less-covered side (a long name against a short one)
    unmatched_both   1 when both sides keep a word the other lacks (they disagree on one;
                     a word stood for by an initial counts as kept)
    number_mismatch  1 when the numbers in the two names differ ("Fund 5", "Fund 6")
    fuzzy_partial    1 when one name is covered whole, the other not, and what is aligned
                     rests on one pair of words that are not the same ("Star Logistics" /
                     "Stan")
    legal_form_same  both carry legal forms, the same form or of the same family
    legal_form_conflict  both carry legal forms, of different families only

Also tried, and left out because the fit gave them no weight once `edits` and the
coverage features were in: mean OSA and Jaro-Winkler similarity of the aligned words, the
share of aligned words that sound alike, the worst aligned pair, the share of initials,
and the count of aligned words; and interactions of the coverage features with schema.
`fuzzy_partial` gets no weight from the fit either (the development pairs hardly hold
such pairs), and is a prior: see `armsgate.screening.matcher`.
"""

from __future__ import annotations

from armsgate.screening.alignment import PHONETIC_DISCOUNT, SAME_WORDS, Alignment, align
from armsgate.screening.normalise import PreparedName, Variant, compatible_forms
from armsgate.screening.words import pair_edits

__all__ = ["NAME_FEATURES", "Closest", "closest", "measure", "name_values"]

NAME_FEATURES: tuple[str, ...] = (
    "edits",
    "unmatched_min",
    "unmatched_max",
    "unmatched_both",
    "number_mismatch",
    "fuzzy_partial",
    "legal_form_same",
    "legal_form_conflict",
)


# The values and closeness of the closest variants of two names, and the variants.
Closest = tuple[tuple[float, ...], float, Variant, Variant]


def closest(left: PreparedName, right: PreparedName) -> Closest | None:
    """What `best_alignment` finds, without the alignment: the values and closeness of the
    two names' closest variants, and the variants (None if either name is empty)."""
    best: Closest | None = None
    for a in left.variants:
        for b in right.variants:
            values, closeness = measure(a, b)
            if best is None or (closeness > best[1] if closeness != best[1]
                                else values < best[0]):  # fmt: skip
                best = (values, closeness, a, b)
                if values is SAME_WORDS:  # the same words: none can be closer
                    return best
    return best


def measure(a: Variant, b: Variant) -> tuple[tuple[float, ...], float]:
    """`align(a, b)`'s values and closeness, with no alignment made where the words leave
    little to align: the same words; every word of one side also on the other; one word
    left on each side (the most common cases by far). Else those of `align` itself.

    Weights and edit costs are whole or half letters, so the letters left or aligned are
    the same sums whatever the order they are added in: the values are `align`'s, to the
    last bit."""
    ta, tb = a.tokens, b.tokens
    if ta == tb:
        return SAME_WORDS, 1.0
    if a.distinct and b.distinct:
        common = a.words & b.words
        in_common = len(common)
        left_a, left_b = len(ta) - in_common, len(tb) - in_common
        mass = float(sum(map(len, common)))  # of the words aligned with the same word
        mean = (a.total + b.total) / 2
        numbers = 0.0 if a.numbers == b.numbers else 1.0
        if not left_a or not left_b:  # nothing left to align on one side
            low, high = (a.total - mass) / a.total, (b.total - mass) / b.total
            if low > high:
                low, high = high, low
            return (0.0, low, high, 0.0, numbers, 0.0), mass / mean
        if left_a == 1 and left_b == 1:
            (x,) = a.words - common
            (y,) = b.words - common
            # initials, and consonant skeletons (an abjad against Latin): left to `align`
            if len(x) > 1 and len(y) > 1 and a.abjad == b.abjad:
                if x.isdigit() or y.isdigit():  # numbers match exactly or not at all
                    found = None
                else:  # as `alignment` aligns them
                    i, j = ta.index(x), tb.index(y)
                    phonetic = a.phonetic[i] == b.phonetic[j]
                    found = pair_edits(x, y, phonetic, False, a.masks[i], b.masks[j])
                if found is None:  # a word left on each side (nothing aligned at all: 0)
                    low, high = (a.total - mass) / a.total, (b.total - mass) / b.total
                    if low > high:
                        low, high = high, low
                    return (0.0, low, high, 1.0, numbers, 0.0), mass / mean
                # two different words: one edit at least; over the length of the word
                # that sorts last, as `alignment` has it
                cost = found[0] * PHONETIC_DISCOUNT if phonetic else float(found[0])
                edits = cost / len(x if x > y else y)
                weight = (len(x) + len(y)) / 2
                return ((edits if edits < 1.0 else 1.0, 0.0, 0.0, 0.0, numbers, 0.0),
                        (mass + weight - cost) / mean)  # fmt: skip
    found_alignment = align(a, b)
    return found_alignment.values, found_alignment.closeness


def name_values(alignment: Alignment, left: PreparedName, right: PreparedName) -> list[float]:
    """All name features of an alignment, in `NAME_FEATURES` order."""
    same, conflict = compatible_forms(left, right)
    return [*alignment.values, float(same), float(conflict)]
