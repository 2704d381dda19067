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
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_
from types import MappingProxyType

import jellyfish
from unidecode import unidecode

from armsgate.rules.names import _raw_variants
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
    form_table,
)

__all__ = ["PreparedName", "Variant", "compatible_forms", "letter_mask", "prepare", "skeleton"]

Tokens = tuple[str, ...]
_ALTERNATIVE = 3  # letters a word needs for the slash around it to separate alternatives
_ALTERNATIVE_WORDS = 2  # words each alternative keeps besides legal forms
_PRESENTATION_FORMS = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFF]+")  # Arabic letters as glyphs
_SHORT = 2  # words of one or two letters may spell a legal form together
# apostrophes (straight, right and left quotation marks, modifier letters), dots, slashes
_KEEP_PUNCTUATION = frozenset("'\u2019\u02bc\u02bb\u2018`./")
_VOWELS = frozenset("aeiouyw")
_TENS_DIGITS = frozenset(str(n) for n in TENS.values())
_TEN = 10
_SKELETON_MAP = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k"})


@dataclass(frozen=True, slots=True)
class Variant:
    """One romanisation of a name, its legal forms removed."""

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


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name normalised once for any number of comparisons."""

    name: str
    variants: tuple[Variant, ...]  # () when nothing but a legal form (or nothing) is left
    forms: frozenset[str]  # canonical legal forms found, e.g. {"ad"}, {"llc"}
    families: frozenset[str]  # their families, e.g. {"joint-stock"}
    only: Variant | None  # the variant when there is one only


@lru_cache(maxsize=131072)
def prepare(name: str) -> PreparedName:
    """The prepared form of `name` (cached)."""
    text, abjad = _pre_romanise(name)
    seen: dict[Tokens, str] = {}
    forms: set[str] = set()
    empty = False
    raw_variants = [v for part in _alternatives(text) for v in _raw_variants(part)]
    for label, raw in raw_variants:
        tokens, found = _strip_forms(raw)
        forms.update(found)
        if not tokens:
            empty = True
            continue
        tokens = _drop_titles(_numbers(tuple(PARTICLES.get(word, word) for word in tokens)))
        seen.setdefault(tokens, label)
        joined = _join_initials(tokens)
        if joined != tokens:
            seen.setdefault(joined, label)
    variants = () if empty else tuple(_variant(label, t, abjad) for t, label in seen.items())
    families = frozenset(FAMILY_OF.get(form, GENERIC) for form in forms)
    only = variants[0] if len(variants) == 1 else None
    return PreparedName(name, variants, frozenset(forms), families, only)


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
    out: list[str] = []
    for ch in token.translate(_SKELETON_MAP):
        if ch in _VOWELS or (out and out[-1] == ch):
            continue
        out.append(ch)
    return "".join(out) or token[:1]


# --- steps -------------------------------------------------------------------------------


def _in_ranges(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def _pre_romanise(name: str) -> tuple[str, bool]:
    """Other scripts romanised, separators made spaces; and whether an abjad was seen."""
    if name.isascii():
        return name.replace("&", " and ").translate(_ASCII_SEPARATORS), False
    out: list[str] = []
    abjad = False
    if _PRESENTATION_FORMS.search(name):  # the letters they show
        name = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m[0]), name)
    for ch in unicodedata.normalize("NFC", name):
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


def _form_index() -> tuple[dict[str, str], dict[str, tuple[tuple[Tokens, str], ...]]]:
    """Legal forms spelled as one key (no dots or spaces), and as phrases by first word."""
    single: dict[str, str] = {}
    phrases: dict[str, list[tuple[Tokens, str]]] = {}
    for spelling, canonical, _ in form_table():
        for _, tokens in _raw_variants(spelling):
            if len(tokens) == 1 or all(len(t) <= _SHORT for t in tokens):
                single.setdefault("".join(tokens), canonical)
            elif tokens:
                phrases.setdefault(tokens[0], []).append((tokens, canonical))
    ordered = {
        first: tuple(sorted(set(found), key=lambda item: -len(item[0])))
        for first, found in phrases.items()
    }
    return single, ordered


_SINGLE_FORMS, _PHRASE_FORMS = _form_index()
FORM_KEYS = MappingProxyType(_SINGLE_FORMS)


def _strip_forms(tokens: Tokens) -> tuple[Tokens, list[str]]:
    """`tokens` without legal forms, and the canonical forms removed.

    A form is one word, a phrase ("joint stock company"), or a run of one- and two-letter
    words up to the end of that run ("a. d." is "a.d."; "A. B. C." is not "a.b.")."""
    kept: list[str] = []
    found: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        word = tokens[i]
        phrase = next(
            (p for p in _PHRASE_FORMS.get(word, ()) if tokens[i : i + len(p[0])] == p[0]),
            None,
        )
        if phrase is not None:
            found.append(phrase[1])
            i += len(phrase[0])
            continue
        if len(word) > _SHORT:
            if word in _SINGLE_FORMS:
                found.append(_SINGLE_FORMS[word])
            else:
                kept.append(word)
            i += 1
            continue
        end = i
        while end < n and len(tokens[end]) <= _SHORT:
            end += 1
        spelled = "".join(tokens[i:end])
        if spelled in _SINGLE_FORMS:
            found.append(_SINGLE_FORMS[spelled])
            i = end
        else:
            kept.append(word)
            i += 1
    return tuple(kept), found


def _alternatives(text: str) -> list[str]:
    """The text, and each part of it between slashes when the words on both sides of every
    slash have three letters or more and every part keeps two words or more besides legal
    forms ("Krusik Holding/Valjevo Arms"; not "A/S", "J/V", nor "Machinery Import/Export
    Corporation", whose "Export" alone would be an alias)."""
    parts = text.split("/")
    if len(parts) > 1 and all(
        p.split() and len(p.split()[0]) >= _ALTERNATIVE and len(p.split()[-1]) >= _ALTERNATIVE
        and _words_kept(p) >= _ALTERNATIVE_WORDS
        for p in parts
    ):
        return [text.replace("/", " "), *parts]
    return [text.replace("/", " ")]


def _words_kept(part: str) -> int:
    return max((len(_strip_forms(raw)[0]) for _, raw in _raw_variants(part)), default=0)


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
    weights = tuple(float(len(word)) for word in tokens)
    skeletons = tuple(skeleton(word) for word in tokens)
    phonetic = tuple(word if not word.isalpha() else jellyfish.metaphone(word) for word in tokens)
    return Variant(
        label=label,
        tokens=tokens,
        weights=weights,
        phonetic=phonetic,
        skeletons=skeletons,
        numbers=frozenset(word for word in tokens if word.isdigit()),
        total=sum(weights),
        abjad=abjad,
        text=" ".join(tokens),
        words=frozenset(tokens),
        masks=tuple(letter_mask(word) for word in tokens),
        distinct=len(set(tokens)) == len(tokens),
    )
