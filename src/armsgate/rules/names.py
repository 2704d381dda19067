"""The minimal name matcher of the conformance SPEC (`screening-hit`).

Two names match when, after normalisation, they have the same words in any order, each
word equal or, where the longer word has six letters or more, one edit apart.

Normalisation: case folding; Cyrillic to Latin under several romanisations (Serbian Latin,
BGN/PCGN for Russian, Bulgarian and Ukrainian, ISO 9), each giving a variant; removal of
diacritics ("đ" tried as "d" and as "dj"); dashes split words and every other character
that is not a letter, digit or space is deleted; legal forms are removed. A name matches
another when any variant of the one matches any variant of the other.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Protocol, runtime_checkable

from unidecode import unidecode

from armsgate.rules.name_tables import (
    BGN_IOTATED,
    BGN_IOTATING,
    BGN_PCGN,
    LATIN_SPECIAL,
    LEGAL_FORMS_CYRILLIC,
    LEGAL_FORMS_LATIN,
    ROMANISATIONS,
)

__all__ = [
    "LEGAL_FORM_KEYS",
    "CharTable",
    "MinimalNameMatcher",
    "NameMatch",
    "NameMatcher",
    "normalise",
    "one_edit_apart",
    "word_variants",
    "words_match",
]

LATIN = "latin"
EDIT_MIN_LETTERS = 6  # the longer word needs this many letters for one edit to be allowed
EDITED_SCORE = 0.9  # score when every word needed an edit; 1.0 when none did
_MAX_EXACT_PAIRING = 64  # longer names are paired greedily (recursion depth, time)

Tokens = tuple[str, ...]
Variant = tuple[str, Tokens]  # (romanisation label, tokens)
_CYRILLIC: frozenset[str] = frozenset().union(*ROMANISATIONS.values())


@dataclass(frozen=True, slots=True)
class NameMatch:
    """Two names that match, and why."""

    name: str  # the party-side name that matched (as given)
    other: str  # the list-side name (as given)
    score: float  # 1.0 for exact word equality, lower when edits were needed
    romanisation: str  # the variant that matched, e.g. "serbian-latin", "bgn-pcgn", "latin"
    explanation: str  # the normalised words on each side and what differed


@runtime_checkable
class NameMatcher(Protocol):
    """Anything that decides whether two names match."""

    def compare(self, name: str, other: str) -> NameMatch | None:
        """A match of the party-side `name` with the list-side `other`, or None."""
        ...


class MinimalNameMatcher:
    """The SPEC's minimum: same words in any order, one edit allowed in words of 6+ letters."""

    def compare(self, name: str, other: str) -> NameMatch | None:
        """A match of `name` with `other` under any pair of their variants, or None."""
        best: tuple[float, Variant, Variant, list[tuple[str, str]]] | None = None
        for left in _variants(name):
            for right in _variants(other):
                pairs = _pair_words(left[1], right[1])
                if pairs is None:
                    continue
                score = _score(pairs)
                if best is None or score > best[0]:
                    best = (score, left, right, pairs)
                if score == 1.0:
                    break
            if best is not None and best[0] == 1.0:
                break
        if best is None:
            return None
        score, left, right, pairs = best
        return NameMatch(
            name=name,
            other=other,
            score=score,
            romanisation=_label(left[0], right[0]),
            explanation=_explain(left[1], right[1], pairs),
        )


def normalise(name: str) -> tuple[Tokens, ...]:
    """The name's word tuples, one per distinct romanisation; () if empty or only legal forms."""
    return tuple(tokens for _, tokens in _variants(name))


def one_edit_apart(a: str, b: str) -> bool:
    """True when exactly one substitution, insertion or deletion turns `a` into `b`."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def words_match(a: str, b: str) -> bool:
    """Equal, or one edit apart where the longer word has six letters or more."""
    if a == b:
        return True
    longer = max(_letters(a), _letters(b))
    return longer >= EDIT_MIN_LETTERS and one_edit_apart(a, b)


# --- normalisation -----------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _variants(name: str) -> tuple[Variant, ...]:
    """Labelled token tuples of a name, duplicates dropped; () if any is only legal forms."""
    seen: dict[Tokens, str] = {}
    for label, tokens in word_variants(name):
        kept = _strip_legal_forms(tokens)
        if not kept:
            return ()
        seen.setdefault(kept, label)
    return tuple((label, tokens) for tokens, label in seen.items())


def word_variants(name: str) -> list[Variant]:
    """Labelled token tuples before legal-form removal (the screening matcher's
    normalisation starts from them too)."""
    if name.isascii():  # most names: the steps of `_unicode_variants` come to this
        return [(LATIN, tuple(name.lower().translate(_ASCII_WORDS).split()))]
    return _unicode_variants(name)


def _unicode_variants(name: str) -> list[Variant]:
    """`word_variants` of any name, step by step."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    text = text.translate(_DASHES)
    if not _CYRILLIC.isdisjoint(text):
        romanised = [(label, _romanise(text, label)) for label in ROMANISATIONS]
    else:
        romanised = [(LATIN, text)]
    out: list[Variant] = []
    for label, latin in romanised:
        out.append((label, _tokens(latin, dj=False)))
        if "đ" in latin:
            out.append((f"{label}-dj", _tokens(latin, dj=True)))
    return out


class CharTable(dict[int, str]):
    """A `str.translate` table computing each character's replacement the first time it is
    seen: `translate` then runs in C, where a Python loop over the characters was."""

    def __init__(self, replace: Callable[[str], str]) -> None:
        super().__init__()
        self._replace = replace

    def __missing__(self, code: int) -> str:
        self[code] = value = self._replace(chr(code))
        return value


# ASCII: dashes separate words; what is neither a letter, a digit nor a space is deleted.
_ASCII_WORDS = {
    code: (" " if chr(code) == "-" else None)
    for code in range(128)
    if not (chr(code).isalnum() or chr(code).isspace())
}
_DASHES = CharTable(lambda ch: " " if unicodedata.category(ch) == "Pd" else ch)
_ROMANISE = {label: str.maketrans(dict(table)) for label, table in ROMANISATIONS.items()}


def _romanise(text: str, label: str) -> str:
    """Cyrillic letters of case-folded `text` romanised as `label` says; other characters
    kept. BGN/PCGN (Russian) writes the vowels of `BGN_IOTATED` with a "y" at the start of
    a word and after a vowel or a sign."""
    table = ROMANISATIONS[label]
    if table is not BGN_PCGN or BGN_IOTATED.keys().isdisjoint(text):
        return text.translate(_ROMANISE[label])
    out: list[str] = []
    prev = ""
    for ch in text:
        if ch in BGN_IOTATED and (not prev.isalpha() or prev in BGN_IOTATING):
            out.append(BGN_IOTATED[ch])
        else:
            out.append(table.get(ch, ch))
        prev = ch
    return "".join(out)


def _tokens(text: str, *, dj: bool) -> Tokens:
    """ASCII words of romanised `text`: no diacritics, split on spaces and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).translate(_TO_ASCII[dj])
    if not ascii_text.isascii():  # should unidecode ever leave a character as it was
        ascii_text = "".join(ch if ch.isascii() else " " * ch.isspace() for ch in ascii_text)
    return tuple(ascii_text.lower().translate(_ASCII_WORDS).split())


def _ascii_char(ch: str, *, dj: bool) -> str:
    """An ASCII spelling of one decomposed character; combining marks vanish."""
    if ch.isascii():
        return ch
    if unicodedata.combining(ch):
        return ""
    if ch == "đ":
        return "dj" if dj else "d"
    special = LATIN_SPECIAL.get(ch)
    if special is not None:
        return special
    if ch.isspace():
        return " "
    return unidecode(ch)


_TO_ASCII = {dj: CharTable(partial(_ascii_char, dj=dj)) for dj in (False, True)}


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


# --- legal forms -------------------------------------------------------------------------


def _form_keys(form: str) -> set[str]:
    """The spellings of a legal form, without dots or spaces, under every romanisation."""
    return {"".join(tokens) for _, tokens in word_variants(form)}


LEGAL_FORM_KEYS: frozenset[str] = frozenset(
    key for form in LEGAL_FORMS_LATIN + LEGAL_FORMS_CYRILLIC for key in _form_keys(form)
)
_SHORT = 2  # words of one or two letters may spell a legal form together
# The words that are a legal form or may begin one spelled in short words ("a" of "a d").
_FORM_STARTS: frozenset[str] = LEGAL_FORM_KEYS.union(
    key[:length] for key in LEGAL_FORM_KEYS for length in range(1, _SHORT + 1)
)


def _strip_legal_forms(tokens: Tokens) -> Tokens:
    """`tokens` without legal forms, repeated until none is left."""
    if _FORM_STARTS.isdisjoint(tokens):  # no word is, or begins the spelling of, a form
        return tokens
    while True:
        kept = _strip_once(tokens)
        if kept == tokens:
            return kept
        tokens = kept


def _strip_once(tokens: Tokens) -> Tokens:
    """One pass: drop each word that is a legal form and each run of short words that spells
    one (the longest such run from each position)."""
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if len(word) > _SHORT:
            if word not in LEGAL_FORM_KEYS:
                kept.append(word)
            i += 1
            continue
        end = i
        spelled = ""
        for j in range(i, len(tokens)):
            if len(tokens[j]) > _SHORT:
                break
            spelled += tokens[j]
            if spelled in LEGAL_FORM_KEYS:
                end = j + 1
        if end > i:
            i = end
        else:
            kept.append(word)
            i += 1
    return tuple(kept)


# --- word pairing ------------------------------------------------------------------------


def _pair_words(left: Tokens, right: Tokens) -> list[tuple[str, str]] | None:
    """A one-to-one pairing of matching words covering both sides, or None.

    Equal words are paired first where that still leaves a full pairing."""
    if len(left) != len(right) or not left:
        return None
    common = Counter(left) & Counter(right)
    rest_left = list((Counter(left) - common).elements())
    rest_right = list((Counter(right) - common).elements())
    rest = _bipartite(rest_left, rest_right)
    if rest is not None:
        return [(word, word) for word in common.elements()] + rest
    return _bipartite(list(left), list(right))


def _bipartite(left: list[str], right: list[str]) -> list[tuple[str, str]] | None:
    """A perfect matching under `words_match` (augmenting paths; greedy for long names)."""
    if len(left) > _MAX_EXACT_PAIRING:
        return _greedy(left, right)
    owner: list[int | None] = [None] * len(right)  # right index -> left index

    def augment(i: int, visited: set[int]) -> bool:
        for j, word in enumerate(right):
            if j in visited or not words_match(left[i], word):
                continue
            visited.add(j)
            taken = owner[j]
            if taken is None or augment(taken, visited):
                owner[j] = i
                return True
        return False

    for i in range(len(left)):
        if not augment(i, set()):
            return None
    return sorted((left[i], right[j]) for j, i in enumerate(owner) if i is not None)


def _greedy(left: list[str], right: list[str]) -> list[tuple[str, str]] | None:
    """Each left word takes the first free right word it matches; None if one finds none."""
    free = list(right)
    pairs: list[tuple[str, str]] = []
    for word in left:
        j = next((j for j, other in enumerate(free) if words_match(word, other)), None)
        if j is None:
            return None
        pairs.append((word, free.pop(j)))
    return sorted(pairs)


def _score(pairs: list[tuple[str, str]]) -> float:
    edited = sum(a != b for a, b in pairs)
    return 1.0 - (1.0 - EDITED_SCORE) * edited / len(pairs)


def _label(left: str, right: str) -> str:
    labels = [label for label in dict.fromkeys((left, right)) if label != LATIN]
    return "/".join(labels) or LATIN


def _explain(left: Tokens, right: Tokens, pairs: list[tuple[str, str]]) -> str:
    edits = [f"{a}~{b}" for a, b in pairs if a != b]
    differed = f"one edit in: {', '.join(edits)}" if edits else "same words"
    return f"[{' '.join(left)}] vs [{' '.join(right)}]: {differed}"
