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

from armsgate.screening.normalise import PreparedName, Variant, compatible_forms

__all__ = ["ALIGN_FLOOR", "CONSONANT_EDIT_MIN", "CONSONANT_MIN", "MAX_EDITS", "NAME_FEATURES",
           "STEM", "STEM_EDITS",
           "Alignment", "WordPair", "align", "best_alignment", "deletion_keys", "name_values",
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
    raw: tuple[_Raw, ...]  # the aligned pairs as `align` made them
    free_left: tuple[int, ...]  # positions of the unaligned words
    free_right: tuple[int, ...]
    values: tuple[float, ...]  # the name features but the legal-form ones, in order
    closeness: float  # aligned length less edits, over the mean length: picks the variant

    @property
    def pairs(self) -> tuple[WordPair, ...]:
        return tuple([WordPair(p[3], p[4], p[2], p[0], p[1]) for p in self.raw])

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


def name_values(alignment: Alignment, left: PreparedName, right: PreparedName) -> list[float]:
    """All name features of an alignment, in `NAME_FEATURES` order."""
    same, conflict = compatible_forms(left, right)
    return [*alignment.values, float(same), float(conflict)]


def align(a: Variant, b: Variant) -> Alignment:
    """Words of `a` and `b` aligned one to one, and the name features of the alignment."""
    if a.tokens == b.tokens:
        same = [(0, True, "equal", w, w, a.weights[i], len(w)) for i, w in enumerate(a.tokens)]
        return _finish(a, b, same, [], [])
    pairs: list[_Raw] = []
    unused: dict[str, int] = {}
    for word in b.tokens:
        unused[word] = unused.get(word, 0) + 1
    free_a: list[int] = []
    for i, word in enumerate(a.tokens):
        if unused.get(word):
            unused[word] -= 1
            pairs.append((0, True, "equal", word, word, a.weights[i], len(word)))
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


def pair_edits(x: str, y: str, phonetic: bool, consonants: bool) -> tuple[int, float] | None:
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
    (`armsgate.screening.index`) relies on these caps."""
    lx, ly = len(x), len(y)
    longest = lx if lx > ly else ly
    if consonants:
        shortest = lx if lx < ly else ly
        if shortest < CONSONANT_MIN:
            return None
        allowed = 0 if shortest < CONSONANT_EDIT_MIN else 1
    elif phonetic:
        allowed = max(1, (longest - 2) // 2)
    else:
        allowed = MAX_EDITS if longest >= _TWO_EDITS else 1
    if not consonants and allowed < STEM_EDITS and same_stem(x, y):
        allowed = STEM_EDITS
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
    xs, ys = (a.skeletons, b.skeletons) if consonants else (a.tokens, b.tokens)
    scored: list[tuple[float, str, str, int, int, int, bool, str]] = []
    for i in free_a:
        x = xs[i]
        if x.isdigit():
            continue  # numbers match exactly or not at all
        for j in free_b:
            y = ys[j]
            if y.isdigit():
                continue
            if len(x) == 1 or len(y) == 1:
                if x[0] == y[0] and x[0].isalpha() and not consonants:
                    scored.append((-ALIGN_FLOOR, x, y, i, j, 0, True, "initial"))
                continue
            if consonants:
                phonetic, kind = x == y, "consonants"
            else:
                phonetic, kind = a.phonetic[i] == b.phonetic[j], "fuzzy"
            found = pair_edits(x, y, phonetic, consonants)
            if found is None:
                continue
            low, high = (x, y) if x <= y else (y, x)
            scored.append((-found[1], low, high, i, j, found[0], phonetic, kind))
    if not scored:
        return
    scored.sort(key=lambda item: item[:3])
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


def _finish(
    a: Variant, b: Variant, pairs: list[_Raw], free_a: list[int], free_b: list[int]
) -> Alignment:
    if pairs and all(p[2] == "initial" for p in pairs):
        # Initials alone anchor nothing ("Krusik" is not "K. M. A."): no word is aligned.
        pairs = []
        free_a[:] = range(len(a.tokens))
        free_b[:] = range(len(b.tokens))
    edits = mass = 0.0
    # An initial covers one letter of the word it stands for; the rest counts as unmatched.
    left_initials = right_initials = 0.0
    real = 0  # aligned pairs but initials
    anchored = False  # a pair of the same words (or words joined without an edit)
    for count, phonetic, kind, x, y, weight, longest in pairs:
        cost = (count * PHONETIC_DISCOUNT if phonetic else float(count)) if count else 0.0
        if count:
            edits += cost / longest
        if kind == "initial":
            left_initials += len(x) - 1
            right_initials += len(y) - 1
            mass += 1.0
        else:
            real += 1
            mass += weight - cost
            anchored = anchored or (not count and kind in _ANCHORS)
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
    return Alignment(a, b, tuple(pairs), tuple(free_a), tuple(free_b), values,
                     mass / ((a.total + b.total) / 2))  # fmt: skip


def _better(current: Alignment, best: Alignment) -> bool:
    """Closer wins; on a tie, the alignment with the smaller feature values (symmetric)."""
    if current.closeness != best.closeness:
        return current.closeness > best.closeness
    return current.values < best.values


