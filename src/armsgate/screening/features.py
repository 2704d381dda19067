"""Features of a pair of prepared names.

Words are aligned one to one whatever their order: equal words first; then a word of one
side written as two of the other ("IvanPetrovic", "Stargulf"), within one edit; then the
remaining pairs greedily by similarity, the mean of optimal-string-alignment (Levenshtein
with transpositions) similarity and Jaro-Winkler similarity, both from rapidfuzz. A pair
below `ALIGN_FLOOR`, or with more edits than its length allows (`pair_edits`), stays
unaligned: at the scale of a whole list, two edits in a short word ("Ebano" / "Mpano")
or a short consonant skeleton ("semeter" / "smyr") match unrelated names. A one-letter
word aligns with a word it is the initial of ("J." ~ "John"). Numbers align only with the
same number. Words romanised from an abjad (Arabic, Hebrew) are compared with Latin words
by their consonants, three at least.

Name features, each symmetric in the two names (so a name-only score does not depend on
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

from typing import NamedTuple

from rapidfuzz.distance import OSA, JaroWinkler

from armsgate.screening.normalise import PreparedName, Tokens, Variant, compatible_forms

__all__ = ["ALIGN_FLOOR", "CONSONANT_EDIT_MIN", "CONSONANT_MIN", "MAX_EDITS", "NAME_FEATURES",
           "STEM", "STEM_EDITS",
           "Alignment", "Closest", "WordPair", "align", "best_alignment", "closest",
           "deletion_keys", "measure", "name_values",
           "one_deleted", "pair_edits", "same_stem", "skeleton_keys"]  # fmt: skip

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

ALIGN_FLOOR = 0.6  # mean of OSA and Jaro-Winkler similarity below which words stay unaligned
MERGE_FLOOR = 0.85  # OSA similarity of a word with two others joined, to take them as one
PHONETIC_DISCOUNT = 0.5  # edits in a pair of words with the same metaphone key count half
MAX_EDITS = 2  # in a pair of words that do not sound alike, however long
_TWO_EDITS = 8  # letters of the longer word from which `MAX_EDITS` edits are allowed
STEM = 6  # letters two words with another ending share first (the index's prefix key)
STEM_EDITS = 3  # edits allowed in two words with the same stem and another ending
_STEM_SLACK = 2
CONSONANT_MIN = 3  # consonants a skeleton needs to be aligned at all ("ln", "bn" are not)
CONSONANT_EDIT_MIN = 4  # consonants a skeleton needs for one edit (shorter ones: none)
_ANCHORS = frozenset({"equal", "joined"})  # pair kinds that, without edits, anchor a name
_MIN_MERGED = 5  # letters a word needs to be taken as two joined words
_MIN_PART = 2  # letters each of two joined words needs
_MERGE_SLACK = 2  # letters by which two joined words may be longer or shorter than the word
_WHOLE = (0.0,) * 6  # the values of two variants with the same words


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
                if values is _WHOLE:  # the same words: none can be closer
                    return best
    return best


# The values and closeness of the closest variants of two names, and the variants.
Closest = tuple[tuple[float, ...], float, Variant, Variant]


def measure(a: Variant, b: Variant) -> tuple[tuple[float, ...], float]:
    """`align(a, b)`'s values and closeness, with no alignment made where the words leave
    little to align: the same words; every word of one side also on the other; one word
    left on each side (the most common cases by far). Else those of `align` itself.

    Weights and edit costs are whole or half letters, so the letters left or aligned are
    the same sums whatever the order they are added in: the values are `align`'s, to the
    last bit."""
    ta, tb = a.tokens, b.tokens
    if ta == tb:
        return _WHOLE, 1.0
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
            if len(x) > 1 and len(y) > 1:  # no initial (those are left to `align`)
                found = _candidate(a, b, ta.index(x), tb.index(y), a.abjad != b.abjad)
                if found is None:  # a word left on each side (nothing aligned at all: 0)
                    low, high = (a.total - mass) / a.total, (b.total - mass) / b.total
                    if low > high:
                        low, high = high, low
                    return (0.0, low, high, 1.0, numbers, 0.0), mass / mean
                count, phonetic = found[5], found[6]
                cost = (count * PHONETIC_DISCOUNT if phonetic else float(count)) if count else 0.0
                edits = cost / len(found[2]) if count else 0.0
                weight = (len(x) + len(y)) / 2
                return ((edits if edits < 1.0 else 1.0, 0.0, 0.0, 0.0, numbers, 0.0),
                        (mass + weight - cost) / mean)  # fmt: skip
    found_alignment = align(a, b)
    return found_alignment.values, found_alignment.closeness


def name_values(alignment: Alignment, left: PreparedName, right: PreparedName) -> list[float]:
    """All name features of an alignment, in `NAME_FEATURES` order."""
    same, conflict = compatible_forms(left, right)
    return [*alignment.values, float(same), float(conflict)]


def align(a: Variant, b: Variant) -> Alignment:
    """Words of `a` and `b` aligned one to one, and the name features of the alignment."""
    ta, tb = a.tokens, b.tokens
    if ta == tb:  # every word the same: nothing left, no edit, closeness 1
        return Alignment(a, b, ta, (), (), (), _WHOLE, 1.0)
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


def pair_edits(
    x: str, y: str, phonetic: bool, consonants: bool, mask_x: int = 0, mask_y: int = 0
) -> tuple[int, float] | None:
    """Whether two words (of two letters or more, not numbers) may be aligned as a fuzzy
    pair, and if so (edits, similarity): the optimal-string-alignment edits and the mean of
    OSA and Jaro-Winkler similarity, at least `ALIGN_FLOOR`.

    Edits are capped by length, n letters in the longer word: `max(1, n // 4)` (one edit
    up to seven letters, two from eight, never more than `MAX_EDITS`), and
    `max(1, (n - 2) // 2)` when the two words have the same metaphone key ("Mohamed" /
    "Muhammad": three). Consonant skeletons (an abjad against Latin) need `CONSONANT_MIN`
    consonants, must be the same below `CONSONANT_EDIT_MIN` and within one edit from
    there. Two words that differ only in their endings (`same_stem`: "technologies" /
    "technology", "industries" / "industry") may have `STEM_EDITS`. The index
    (`armsgate.screening.index`) relies on these caps.

    `mask_x` and `mask_y`, when given, are the words' `normalise.letter_mask`: each letter
    one word has and the other lacks takes an edit, a bound found with no alignment."""
    lx, ly = len(x), len(y)
    longest, shortest = (lx, ly) if lx > ly else (ly, lx)
    if consonants:
        if shortest < CONSONANT_MIN:
            return None
        allowed = 0 if shortest < CONSONANT_EDIT_MIN else 1
    else:
        if phonetic:
            allowed = max(1, (longest - 2) // 2)
        else:
            allowed = MAX_EDITS if longest >= _TWO_EDITS else 1
        if allowed < STEM_EDITS and shortest > STEM and longest - shortest <= _STEM_SLACK:
            keep = shortest - _STEM_SLACK if shortest - _STEM_SLACK > STEM else STEM
            if x[:keep] == y[:keep]:  # `same_stem`
                allowed = STEM_EDITS
    if longest - shortest > allowed:  # as many edits at least
        return None
    if mask_x != mask_y and (
        (mask_x & ~mask_y).bit_count() > allowed or (mask_y & ~mask_x).bit_count() > allowed
    ):
        return None
    edits = OSA.distance(x, y, score_cutoff=allowed + 1)
    if edits > allowed:
        return None
    similarity = 1.0 - edits / longest
    needed = 2 * ALIGN_FLOOR - similarity  # of Jaro-Winkler similarity
    if needed > 1.0:
        return None
    jaro = JaroWinkler.similarity(x, y, score_cutoff=needed)
    if not jaro:
        return None
    return edits, (similarity + jaro) / 2


def same_stem(x: str, y: str) -> bool:
    """Both words have `STEM` letters or more beyond their first `STEM`, lengths within two
    letters, and only their last two letters (of the shorter) may differ."""
    lx, ly = len(x), len(y)
    shortest = lx if lx < ly else ly
    if shortest <= STEM or abs(lx - ly) > _STEM_SLACK:
        return False
    keep = max(STEM, shortest - _STEM_SLACK)
    return x[:keep] == y[:keep]


def one_deleted(word: str) -> set[str]:
    """The word, and the word with each of its letters deleted."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def deletion_keys(word: str) -> set[str]:
    """The word with one letter deleted, two from eight letters (`MAX_EDITS`), and itself:
    two words that `pair_edits` pairs (not by metaphone) share one of these keys (the
    deletion neighbourhood of SymSpell), which is how the index finds them."""
    out = one_deleted(word) if len(word) > 1 else {word}
    if len(word) >= _TWO_EDITS:
        out.update(w[:i] + w[i + 1 :] for w in list(out) for i in range(len(w)))
    return out


def skeleton_keys(skeleton: str) -> set[str]:
    """The keys of a consonant skeleton: two skeletons that `pair_edits` pairs share one."""
    return one_deleted(skeleton) if len(skeleton) >= CONSONANT_EDIT_MIN else {skeleton}


def _fuzzy(
    a: Variant, b: Variant, free_a: list[int], free_b: list[int], pairs: list[_Raw],
    consonants: bool,
) -> None:
    """Greedy one-to-one alignment of the free words by similarity (ties broken by the
    words themselves, so that swapping the sides gives the same alignment)."""
    if len(free_a) == 1 and len(free_b) == 1:
        found = _candidate(a, b, free_a[0], free_b[0], consonants)
        if found is None:
            return
        scored = [found]
    else:
        # `_candidate` of the pairs that their letters do not rule out: more edits than
        # `pair_edits` allows but to words that sound alike; never initials
        if consonants:
            masks_a, masks_b, cap = a.skeleton_masks, b.skeleton_masks, 1
        else:
            masks_a, masks_b, cap = a.masks, b.masks, STEM_EDITS
        ta, tb = a.tokens, b.tokens
        scored = []
        for i in free_a:
            mx = masks_a[i]
            for j in free_b:
                my = masks_b[j]
                if (mx != my and ((mx & ~my).bit_count() > cap or (my & ~mx).bit_count() > cap)
                        and (consonants or (a.phonetic[i] != b.phonetic[j]
                                            and len(ta[i]) > 1 and len(tb[j]) > 1))):  # fmt: skip
                    continue
                found = _candidate(a, b, i, j, consonants)
                if found is not None:
                    scored.append(found)
        if not scored:
            return
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
_Candidate = tuple[float, str, str, int, int, int, bool, str]


def _candidate(a: Variant, b: Variant, i: int, j: int, consonants: bool) -> _Candidate | None:
    """Word `i` of `a` and word `j` of `b` as `_fuzzy` ranks them, if they may be aligned:
    numbers never (they match exactly or not at all), initials with their word, other
    words as `pair_edits` allows (their consonants, for `consonants`)."""
    if consonants:
        x, y = a.skeletons[i], b.skeletons[j]
        if x.isdigit() or y.isdigit() or len(x) == 1 or len(y) == 1:
            return None
        phonetic, kind = x == y, "consonants"
        found = pair_edits(x, y, phonetic, True, a.skeleton_masks[i], b.skeleton_masks[j])
    else:
        x, y = a.tokens[i], b.tokens[j]
        if x.isdigit() or y.isdigit():
            return None
        if len(x) == 1 or len(y) == 1:
            if x[0] == y[0] and x[0].isalpha():
                return (-ALIGN_FLOOR, x, y, i, j, 0, True, "initial")
            return None
        phonetic, kind = a.phonetic[i] == b.phonetic[j], "fuzzy"
        found = pair_edits(x, y, phonetic, False, a.masks[i], b.masks[j])
    if found is None:
        return None
    low, high = (x, y) if x <= y else (y, x)
    return (-found[1], low, high, i, j, found[0], phonetic, kind)


def _order(item: _Candidate) -> tuple[float, str, str]:
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


