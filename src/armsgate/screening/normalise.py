"""Names prepared for scoring: romanisation variants, words, legal forms, phonetic keys.

`prepare(name)` is cached and pure, so an index can prepare each listed name once.

The steps, on top of those of the SPEC's minimal matcher (`armsgate.rules.names`, whose
romanisation tables and Cyrillic handling are reused as they are):

1. Scripts other than Latin, Greek and Cyrillic are romanised with `unidecode` first;
   the syllables of an ideographic word are joined into one word, and a name in a script
   written without short vowels (Arabic, Hebrew) is marked so its words are compared by
   their consonants.
2. Punctuation other than apostrophes, dots and dashes separates words ("Markovic,Jovan");
   "&" is "and"; a slash between words of three letters or more also separates
   alternatives when each keeps two words ("Krusik Holding/Valjevo Arms" gives "krusik
   holding" and "valjevo arms" too; "A/S" and "Import/Export Corporation" are not split).
   Arabic presentation forms (letters as glyphs) are read as the letters they show.
3. Each romanisation of the minimal matcher gives a variant (case folded, no diacritics,
   Serbian "đ" as "d" and as "dj"); legal forms are removed from each and remembered
   (see `legal_forms`); spellings of a particle are made one ("el" is "al", "ibn" is
   "bin"); English number words and ordinals become digits ("Forty-Four" is "44", "1st"
   is "1"); titles and articles ("Dr", "Sheikh", "The") go unless nothing else is left.
   A run of one-letter words ("A. B. C.") also gives a variant with the run joined.
4. Per word: a weight (its length), a phonetic key (metaphone) and a consonant skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache, reduce
from operator import or_
from typing import NamedTuple

import jellyfish
from unidecode import unidecode

from armsgate.rules.names import LATIN, CharTable, word_variants
from armsgate.screening.legal_forms import (
    ABJAD_RANGES,
    FAMILY_OF,
    GENERIC,
    IDEOGRAPH_RANGES,
    ORDINAL_SUFFIXES,
    PARTICLES,
    TENS,
    TITLES,
    UNITS,
    strip_forms,
)

__all__ = ["PreparedName", "Variant", "compatible_forms", "letter_mask", "prepare", "skeleton"]

Tokens = tuple[str, ...]
RawVariant = tuple[str, Tokens]  # (romanisation label, words before step 3)
_ALTERNATIVE = 3  # letters a word needs for the slash around it to separate alternatives
_ALTERNATIVE_WORDS = 2  # words each alternative keeps besides legal forms
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")  # Arabic letters as glyphs
# apostrophes (straight, right and left quotation marks, modifier letters), dots, slashes
_KEEP_PUNCTUATION = frozenset("'\u2019\u02bc\u02bb\u2018`./")
_VOWELS = frozenset("aeiouyw")
_TENS_DIGITS = frozenset(str(n) for n in TENS.values())
_TEN = 10
# consonants made alike, vowels deleted
_SKELETON_MAP = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k"} | dict.fromkeys(_VOWELS))
# Words that a particle, number or title step changes; a name with none of them, and no
# digit (ordinals), goes through those steps unchanged.
_WORDS_TO_CHANGE = frozenset(PARTICLES) | frozenset(UNITS) | frozenset(TENS) | TITLES
_HAS_DIGIT = re.compile("[0-9]").search


class Variant(NamedTuple):
    """One romanisation of a name, its legal forms removed. (A named tuple: a name is
    prepared in a few microseconds, and a frozen dataclass took two of them to build.)"""

    label: str  # the romanisation, e.g. "latin", "serbian-latin", "bgn-pcgn"
    tokens: Tokens
    weights: tuple[float, ...]  # per word: its length
    phonetic: Tokens  # per word: metaphone key (digits as they are)
    skeletons: Tokens  # per word: consonants, for names in an abjad
    numbers: frozenset[str]  # words made of digits only
    total: float  # sum of weights
    abjad: bool  # romanised from Arabic or Hebrew script
    text: str  # the words joined by spaces
    words: frozenset[str]  # the distinct words
    masks: tuple[int, ...]  # per word: the set of its letters, as bits (`letter_mask`)
    distinct: bool  # no word repeated


class PreparedName(NamedTuple):
    """A name normalised once for any number of comparisons."""

    name: str
    variants: tuple[Variant, ...]  # () when nothing but a legal form (or nothing) is left
    forms: frozenset[str]  # canonical legal forms found, e.g. {"ad"}, {"llc"}
    families: frozenset[str]  # their families, e.g. {"joint-stock"}
    only: Variant | None  # the variant when there is one only


@lru_cache(maxsize=131072)
def prepare(name: str) -> PreparedName:
    """The prepared form of `name` (cached)."""
    if name.isascii() and "/" not in name:  # most names: steps 1 to 3 in one translation
        raw = tuple(name.translate(_ASCII_PREPARED).split())
        return _prepared(name, ((LATIN, raw),), abjad=False)
    text, abjad = _pre_romanise(name)
    raw_variants = [v for part in _alternatives(text) for v in word_variants(part)]
    return _prepared(name, raw_variants, abjad=abjad)


def _prepared(name: str, raw_variants: Sequence[RawVariant], *, abjad: bool) -> PreparedName:
    """Steps 3 and 4 on the romanisations of `name`."""
    if len(raw_variants) == 1:  # an ASCII or Latin name: one romanisation, nothing to merge
        ((label, raw),) = raw_variants
        tokens, found = strip_forms(raw)
        if not tokens:
            return PreparedName(name, (), *_forms(found), None)
        variants = tuple(_variant(label, words, abjad) for words in _spellings(tokens))
        only = variants[0] if len(variants) == 1 else None
        return PreparedName(name, variants, *_forms(found), only)
    seen: dict[Tokens, str] = {}
    forms: list[str] = []
    empty = False
    for label, raw in raw_variants:
        tokens, found = strip_forms(raw)
        forms += found
        if not tokens:
            empty = True
            continue
        for words in _spellings(tokens):
            seen.setdefault(words, label)
    variants = () if empty else tuple(_variant(label, t, abjad) for t, label in seen.items())
    only = variants[0] if len(variants) == 1 else None
    return PreparedName(name, variants, *_forms(forms), only)


def _spellings(tokens: Tokens) -> tuple[Tokens, ...]:
    """The words once particles, numbers and titles are made one; and with a run of
    initials joined, where there is one."""
    if not _WORDS_TO_CHANGE.isdisjoint(tokens) or _HAS_DIGIT(" ".join(tokens)):
        tokens = _drop_titles(_numbers(tuple(PARTICLES.get(w, w) for w in tokens)))
    if min(map(len, tokens)) == 1:
        joined = _join_initials(tokens)
        if joined != tokens:
            return tokens, joined
    return (tokens,)


def _forms(found: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The legal forms found, and their families."""
    if not found:
        return _NONE, _NONE
    return frozenset(found), frozenset(FAMILY_OF.get(form, GENERIC) for form in found)


def compatible_forms(a: PreparedName, b: PreparedName) -> tuple[bool, bool]:
    """(same, conflicting): both names carry legal forms, and these are the same or of one
    family / of different families only (the generic family conflicts with none)."""
    if not a.forms or not b.forms:
        return False, False
    specific_a, specific_b = a.families - {GENERIC}, b.families - {GENERIC}
    same = bool(a.forms & b.forms) or bool(specific_a & specific_b)
    conflict = not same and bool(specific_a) and bool(specific_b)
    return same, conflict


@lru_cache(maxsize=131072)
def letter_mask(word: str) -> int:
    """The characters of a word as a set of bits: a word holding k characters that another
    lacks is k edits from it at least, so two masks bound the edits of two words with no
    alignment computed. Digits and ASCII letters (the words of `Variant`) have a bit each;
    other characters share bits (the bound holds all the same). Cached: most words of a
    list are in many names."""
    chars = set(word)
    if chars <= _ALNUM:
        return sum(map(_BITS.__getitem__, chars))
    return reduce(or_, [_BITS.get(ch) or 1 << (_SHARED_BITS + ord(ch) % 64) for ch in chars], 0)


_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_BITS = {ch: 1 << (ord(ch) - ord("0")) for ch in _ALNUM}
_SHARED_BITS = ord("z") - ord("0") + 1


def skeleton(token: str) -> str:
    """The consonants of a word, doubled ones once: how abjad romanisations are compared."""
    if token.isdigit():
        return token
    kept = token.translate(_SKELETON_MAP)
    if _HAS_DOUBLED(kept):
        kept = _DOUBLED(r"\1", kept)
    return kept or token[:1]


_HAS_DOUBLED = re.compile(r"(.)\1", re.DOTALL).search
_DOUBLED = re.compile(r"(.)\1+", re.DOTALL).sub


# --- steps -------------------------------------------------------------------------------


def _in_ranges(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def _pre_romanise(name: str) -> tuple[str, bool]:
    """Other scripts romanised, separators made spaces; and whether an abjad was seen."""
    if name.isascii():
        return name.replace("&", " and ").translate(_ASCII_SEPARATORS), False
    if _PRESENTATION_FORMS.search(name):  # the letters they show
        name = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m[0]), name)
    name = unicodedata.normalize("NFC", name)
    if not _OTHER_SCRIPTS(name):  # Latin, Greek and Cyrillic only: nothing romanised here
        return name.replace("&", " and ").translate(_SEPARATORS), False
    return _romanise_scripts(name)


def _romanise_scripts(name: str) -> tuple[str, bool]:
    """`_pre_romanise` of an NFC-normalised name, character by character."""
    out: list[str] = []
    abjad = False
    for ch in name:
        code = ord(ch)
        if code < 0x250 or 0x370 <= code < 0x530 or 0x1E00 <= code < 0x2000:
            pass  # Latin, Greek and Cyrillic go through the minimal matcher's steps
        elif _in_ranges(ch, IDEOGRAPH_RANGES):
            out.append(unidecode(ch).strip())
            continue
        elif ch.isalpha() or unicodedata.category(ch).startswith("M"):
            abjad = abjad or _in_ranges(ch, ABJAD_RANGES)
            ch = unidecode(ch)
        out.append(ch)
    text = "".join(out).replace("&", " and ")
    return "".join(_separate(ch) for ch in text), abjad


def _separate(ch: str) -> str:
    category = unicodedata.category(ch)
    if category[0] in "PS" and category != "Pd" and ch not in _KEEP_PUNCTUATION:
        return " "
    return ch


_ASCII_SEPARATORS = {code: " " for code in range(128) if _separate(chr(code)) == " "}
_SEPARATORS = CharTable(_separate)
# not Latin, Greek or Cyrillic (the ranges that `_pre_romanise` passes on as they are)
_OTHER_SCRIPTS = re.compile("[^\x00-\u024f\u0370-\u052f\u1e00-\u1fff]").search


def _ascii_prepared_table() -> dict[int, str | None]:
    """One translation doing, for ASCII text, what `_pre_romanise` and the SPEC's
    `word_variants` do in turn: "&" is "and", separators and dashes are spaces, letters are
    folded to lower case, other characters but letters, digits and spaces are deleted."""
    table: dict[int, str | None] = {}
    for code in range(128):
        ch = chr(code)
        if ch == "&":
            table[code] = " and "
        elif code in _ASCII_SEPARATORS or ch == "-":
            table[code] = " "
        elif ch.isalnum() or ch.isspace():
            table[code] = ch.lower()
        else:
            table[code] = None
    return table


_ASCII_PREPARED = _ascii_prepared_table()


def _alternatives(text: str) -> list[str]:
    """The text, and each part of it between slashes when the words on both sides of every
    slash have three letters or more and every part keeps two words or more besides legal
    forms ("Krusik Holding/Valjevo Arms"; not "A/S", "J/V", nor "Machinery Import/Export
    Corporation", whose "Export" alone would be an alias)."""
    parts = text.split("/")
    if len(parts) > 1 and all(
        p.split()
        and len(p.split()[0]) >= _ALTERNATIVE
        and len(p.split()[-1]) >= _ALTERNATIVE
        and _words_kept(p) >= _ALTERNATIVE_WORDS
        for p in parts
    ):
        return [text.replace("/", " "), *parts]
    return [text.replace("/", " ")]


def _words_kept(part: str) -> int:
    return max((len(strip_forms(raw)[0]) for _, raw in word_variants(part)), default=0)


def _numbers(tokens: Tokens) -> Tokens:
    """English number words and ordinals as digits; "forty four" is one number, "44"."""
    out: list[str] = []
    for word in tokens:
        if word[:1].isdigit() and word[-2:] in ORDINAL_SUFFIXES and word[:-2].isdigit():
            word = word[:-2]
        number = UNITS.get(word)
        if number is None and word in TENS:
            number = TENS[word]
        if number is None:
            out.append(word)
        elif out and out[-1] in _TENS_DIGITS and 0 < number < _TEN:
            out[-1] = str(int(out[-1]) + number)
        else:
            out.append(str(number))
    return tuple(out)


def _drop_titles(tokens: Tokens) -> Tokens:
    kept = tuple(word for word in tokens if word not in TITLES)
    return kept or tokens


def _join_initials(tokens: Tokens) -> Tokens:
    """Runs of two or more one-letter words joined into one word."""
    out: list[str] = []
    run: list[str] = []
    for word in (*tokens, ""):
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return tuple(out)


def _variant(label: str, tokens: Tokens, abjad: bool) -> Variant:
    weights, phonetic, skeletons, masks = zip(*map(_word_keys, tokens), strict=True)
    words = frozenset(tokens)
    text = " ".join(tokens)
    numbers = frozenset(w for w in words if w.isdigit()) if _HAS_DIGIT(text) else _NO_NUMBERS
    total = sum(weights)
    return Variant(label, tokens, weights, phonetic, skeletons, numbers, total, abjad, text,
                   words, masks, len(words) == len(tokens))  # fmt: skip


_NO_NUMBERS: frozenset[str] = frozenset()
_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=131072)
def _word_keys(word: str) -> tuple[float, str, str, int]:
    """A word's weight (its length), phonetic key, consonant skeleton and letter mask."""
    phonetic = jellyfish.metaphone(word) if word.isalpha() else word
    try:
        mask = sum(map(_BITS.__getitem__, set(word)))
    except KeyError:  # not a word of digits and ASCII letters
        mask = letter_mask(word)
    return float(len(word)), phonetic, skeleton(word), mask
