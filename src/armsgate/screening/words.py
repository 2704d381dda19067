"""Which two words may be aligned, and how close they are: the rules `alignment` applies
to every pair of words, and the index (`vocabulary`) to find the words a query word may
be aligned with.

Two words are aligned by their optimal-string-alignment (Levenshtein with
transpositions) edits, capped by their length, and their similarity, the mean of OSA and
Jaro-Winkler similarity (both from rapidfuzz), at least `ALIGN_FLOOR`: at the scale of a
whole list, two edits in a short word ("Ebano" / "Mpano") or a short consonant skeleton
("semeter" / "smyr") match unrelated names. Words romanised from an abjad (Arabic,
Hebrew) are compared with Latin words by their consonants, three at least.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA, JaroWinkler

__all__ = ["ALIGN_FLOOR", "CONSONANT_EDIT_MIN", "CONSONANT_MIN", "MAX_EDITS", "STEM",
           "STEM_EDITS", "TWO_EDITS", "deletion_keys", "one_deleted", "pair_edits", "same_stem",
           "skeleton_keys"]  # fmt: skip

ALIGN_FLOOR = 0.6  # mean of OSA and Jaro-Winkler similarity below which words stay unaligned
MAX_EDITS = 2  # in a pair of words that do not sound alike, however long
TWO_EDITS = 8  # letters of the longer word from which `MAX_EDITS` edits are allowed
STEM = 6  # letters two words with another ending share first (the index's prefix key)
STEM_EDITS = 3  # edits allowed in two words with the same stem and another ending
_STEM_SLACK = 2
CONSONANT_MIN = 3  # consonants a skeleton needs to be aligned at all ("ln", "bn" are not)
CONSONANT_EDIT_MIN = 4  # consonants a skeleton needs for one edit (shorter ones: none)


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
            allowed = MAX_EDITS if longest >= TWO_EDITS else 1
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
    if len(word) >= TWO_EDITS:
        out.update(w[:i] + w[i + 1 :] for w in list(out) for i in range(len(w)))
    return out


def skeleton_keys(skeleton: str) -> set[str]:
    """The keys of a consonant skeleton: two skeletons that `pair_edits` pairs share one."""
    return one_deleted(skeleton) if len(skeleton) >= CONSONANT_EDIT_MIN else {skeleton}
