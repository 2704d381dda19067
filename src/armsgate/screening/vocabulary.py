"""The vocabulary of an index: the distinct words of the listed names, and keys to them.

For each query word it finds every word of the lists the matcher could align it with
(`words.pair_edits`): the same word, one edit (two from eight letters), the same
metaphone key, the same first letters with another ending, the same consonant skeleton (an
abjad against Latin). The keys:

* the word and its deletion neighbourhood (one letter deleted, two in words of eight
  letters or more: SymSpell), its metaphone key, its first `STEM` letters, and its
  consonant skeleton (one deletion from four consonants);
* each word met under a key is verified with `pair_edits` itself, so what `matches`
  returns is exactly the words the matcher may pair.

Each word keeps the variants (romanisations of listed names) holding it, one number per
occurrence, as a compact array.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from armsgate.screening.words import (
    CONSONANT_MIN,
    STEM,
    deletion_keys,
    one_deleted,
    pair_edits,
    skeleton_keys,
)

__all__ = ["MIN_MERGED", "MIN_PART", "Ids", "Vocabulary", "get", "put"]

MIN_MERGED = 5  # letters of a word that may be two words joined (as in `alignment`)
MIN_PART = 2
Ids = int | list[int]  # numbers of words under a key: one (most keys), or a list


def put(keys: dict[str, Ids], key: str, value: int) -> None:
    """File `value` under `key`."""
    found = keys.get(key)
    if found is None:
        keys[key] = value
    elif isinstance(found, int):
        keys[key] = [found, value]
    else:
        found.append(value)


def get(keys: dict[str, Ids], key: str) -> Iterable[int]:
    """The numbers filed under `key`."""
    found = keys.get(key)
    return () if found is None else (found,) if isinstance(found, int) else found


class Vocabulary:
    """The vocabulary: distinct words (apart for abjad romanisations), their keys, and
    the variants holding each (one number per occurrence)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, bool], int] = {}
        self.words: list[str] = []
        self.abjad: list[bool] = []
        self.phonetic: list[str] = []
        self.skeletons: list[str] = []
        self.postings: list[array[int]] = []
        self.exact: dict[str, Ids] = {}
        self.deletions: dict[str, Ids] = {}
        self.metaphones: dict[str, Ids] = {}
        self.consonants: dict[str, Ids] = {}
        self.stems: dict[str, Ids] = {}  # first `STEM` letters of longer words

    def add(self, word: str, phonetic: str, skeleton: str, abjad: bool, variant: int) -> int:
        number = self.ids.get((word, abjad))
        if number is None:
            number = self.ids[(word, abjad)] = len(self.words)
            self.words.append(word)
            self.abjad.append(abjad)
            self.phonetic.append(phonetic)
            self.skeletons.append(skeleton)
            self.postings.append(array("i"))
            put(self.exact, word, number)
            if len(word) > 1 and not word.isdigit():
                for key in deletion_keys(word):
                    put(self.deletions, key, number)
                put(self.metaphones, phonetic, number)
                if len(word) > STEM:
                    put(self.stems, word[:STEM], number)
                for key in skeleton_keys(skeleton) if len(skeleton) >= CONSONANT_MIN else ():
                    put(self.consonants, key, number)
        self.postings[number].append(variant)
        return number

    def matches(self, word: str, phonetic: str, skeleton: str, abjad: bool) -> list[int]:
        """Every word a query word (of a variant in an abjad or not) may be aligned with."""
        found = set(get(self.exact, word))
        if len(word) == 1 or word.isdigit():
            return sorted(found)
        words, flags = self.words, self.abjad
        for key in deletion_keys(word):
            found.update(n for n in get(self.deletions, key) if flags[n] is abjad)
        found.update(n for n in get(self.metaphones, phonetic) if flags[n] is abjad)
        if len(word) > STEM:
            found.update(n for n in get(self.stems, word[:STEM]) if flags[n] is abjad)
        for n in list(found):
            other = words[n]
            if other != word and (len(other) < MIN_PART or pair_edits(
                    word, other, phonetic == self.phonetic[n], False) is None):
                found.discard(n)
        if len(skeleton) >= CONSONANT_MIN:
            seen = {n for key in skeleton_keys(skeleton) for n in get(self.consonants, key)
                    if flags[n] is not abjad}  # fmt: skip
            skeletons = self.skeletons
            found.update(n for n in seen if pair_edits(
                skeleton, skeletons[n], skeleton == skeletons[n], True) is not None)
        return sorted(found)

    def near(self, word: str, abjad: bool, *, head: bool, edits: bool = True) -> set[int]:
        """The words within one edit of `word` (the same word only, without `edits`), in
        the same kind of romanisation, beginning with its letter where it comes first:
        the parts of a word written as two, or a word written as two."""
        found = {n for n in get(self.exact, word) if self.abjad[n] is abjad}
        if len(word) <= MIN_PART or not edits:
            return found
        words, flags = self.words, self.abjad
        for key in one_deleted(word):
            for n in get(self.deletions, key):
                other = words[n]
                if (flags[n] is abjad and n not in found and abs(len(other) - len(word)) <= 1
                        and (not head or other[0] == word[0])
                        and OSA.distance(word, other, score_cutoff=1) <= 1):  # fmt: skip
                    found.add(n)
        return found
