"""The minimal name matcher against the conformance SPEC's name rule."""

# Cyrillic letters that look like Latin ones are the point of these tests.

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armsgate.rules.names import (
    LEGAL_FORM_KEYS,
    MinimalNameMatcher,
    NameMatch,
    NameMatcher,
    normalise,
    one_edit_apart,
    words_match,
)

MATCHER = MinimalNameMatcher()


def matches(a: str, b: str) -> bool:
    return MATCHER.compare(a, b) is not None


# --- golden pairs ------------------------------------------------------------------------

MATCHING = [
    # the conformance screening scenario
    ("Krušik a.d. Valjevo", "KRUSIK A.D. VALJEVO"),
    ("Јужни Ветар д.о.о.", "JUZNI VETAR D.O.O."),
    ("Gulf Star General Trading LLC", "Star Gulf General Trading L.L.C."),
    ("Moravske Strojirny a.s.", "MORAVSKÉ STROJÍRNY, a. s."),
    # romanisations of Cyrillic
    ("Александар Вучић", "Aleksandar Vucic"),
    ("Александар Вучић", "Aleksandar Vučić"),
    ("Щукин", "Shchukin"),  # BGN/PCGN (Russian)
    ("Щукин", "Shtukin"),  # BGN/PCGN (Bulgarian)
    ("Щукин", "Ščukin"),  # Serbian Latin
    ("Щукин", "Shukin"),  # ISO 9 "sukin", one edit from "shukin" (6 letters)
    ("Ђорђе Петровић", "Djordje Petrovic"),
    ("Ђорђе Петровић", "Đorđe Petrović"),
    ("Ђорђе Петровић", "Dorde Petrovic"),
    ("Евгений Жуков", "Yevgeniy Zhukov"),
    ("Євген Гордієнко", "Yevhen Hordiyenko"),  # Ukrainian, BGN/PCGN 1965
    # legal forms in either script, whatever their dots and spaces
    ("Прва Искра АД", "Prva Iskra a. d."),
    ("Балкан ЕООД", "Balkan"),
    ("ООО Ромашка", "Romashka LLC"),
    ("Jugoimport d o o", "Jugoimport D.O.O."),
    ("Poličské strojírny a.s.", "POLICSKE STROJIRNY"),
    # one edit where the longer word has six letters or more
    ("Krusik Valjevo", "Krusik Valjeva"),
    # dashes separate words, other punctuation is deleted
    ("Al-Shabaab", "al shabaab"),
    ("O'Brien Arms", "OBRIEN ARMS"),
]

NOT_MATCHING = [
    ("Moravske Strojirny a.s.", "Moravian General Trading"),
    ("Star Logistics", "Gulf Star General Trading"),
    ("Petar", "Petr"),  # five letters: no edit allowed
    ("Krušik a.d. Valjevo", "Krusik AD"),  # the minimum needs the same words
    ("Щукин", "Sokolov"),
    ("Al-Shabaab", "Alshabaab"),  # a dash separates words
]


@pytest.mark.parametrize(("name", "other"), MATCHING)
def test_matching_names(name: str, other: str) -> None:
    assert matches(name, other)
    assert matches(other, name)


@pytest.mark.parametrize(("name", "other"), NOT_MATCHING)
def test_names_that_do_not_match(name: str, other: str) -> None:
    assert not matches(name, other)
    assert not matches(other, name)


@pytest.mark.parametrize("form", ["d.o.o.", "LLC", "L.L.C.", "a. s.", "ЕООД", "д.о.о.", "ООО"])
def test_a_name_that_is_only_a_legal_form_matches_nothing(form: str) -> None:
    assert normalise(form) == ()
    assert not matches(form, form)
    assert not matches(form, "Krusik")


def test_an_empty_name_matches_nothing() -> None:
    assert normalise("") == ()
    assert not matches(" .,- ", " .,- ")


def test_the_match_carries_its_reasons() -> None:
    match = MATCHER.compare("Јужни Ветар д.о.о.", "JUZNI VETAR D.O.O.")
    assert match == NameMatch(
        name="Јужни Ветар д.о.о.",
        other="JUZNI VETAR D.O.O.",
        score=1.0,
        romanisation="serbian-latin",
        explanation="[juzni vetar] vs [juzni vetar]: same words",
    )


def test_an_edit_lowers_the_score_and_is_explained() -> None:
    match = MATCHER.compare("Krusik Valjevo", "Krusik Valjeva")
    assert match is not None
    assert 0.9 <= match.score < 1.0
    assert "valjevo~valjeva" in match.explanation


def test_the_romanisation_that_matched_is_named() -> None:
    shtukin = MATCHER.compare("Щукин", "Shtukin")
    shchukin = MATCHER.compare("Щукин", "Shchukin")
    assert shtukin is not None
    assert shchukin is not None
    assert shtukin.romanisation == "bgn-pcgn-bg"
    assert shchukin.romanisation == "bgn-pcgn"


def test_the_matcher_is_a_name_matcher() -> None:
    assert isinstance(MATCHER, NameMatcher)


def test_long_names_are_paired_too() -> None:
    stems = [f"{chr(97 + i % 26)}{chr(97 + i // 26)}word" for i in range(80)]
    words = [f"{stem}x" for stem in stems]
    edited = [f"{stem}y" for stem in stems]
    assert matches(" ".join(words), " ".join(reversed(edited)))
    assert not matches(" ".join(words), " ".join(edited[:-1]))


# --- normalisation -----------------------------------------------------------------------


def test_normalise_steps() -> None:
    assert normalise("Krušik a.d. Valjevo") == (("krusik", "valjevo"),)
    assert normalise("Al-Shabaab") == (("al", "shabaab"),)
    assert normalise("MORAVSKÉ STROJÍRNY, a. s.") == (("moravske", "strojirny"),)
    assert normalise("Star JV a.d.") == (("star", "jv"),)


def test_normalise_gives_one_tuple_per_romanisation() -> None:
    assert set(normalise("Щукин")) == {
        ("scukin",),  # Serbian Latin
        ("shchukin",),  # BGN/PCGN, Russian
        ("shtukin",),  # BGN/PCGN, Bulgarian
        ("shchukyn",),  # BGN/PCGN, Ukrainian
        ("sukin",),  # ISO 9
    }


def test_short_words_are_a_legal_form_only_when_they_spell_one() -> None:
    assert normalise("A B Trading") == (("a", "b", "trading"),)
    assert normalise("Iskra a d Trading") == (("iskra", "trading"),)


def test_legal_forms_include_each_romanisation_of_the_cyrillic_ones() -> None:
    assert {"ad", "doo", "as", "eood", "yeood", "ooo", "pao", "llc", "kft"} <= LEGAL_FORM_KEYS


# --- the word rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("valjevo", "valjeva", True),  # substitution
        ("valjevo", "valjevoo", True),  # insertion
        ("valjevo", "valjvo", True),  # deletion
        ("valjevo", "valjevo", False),  # no edit
        ("valjevo", "vajleov", False),  # several edits
        ("", "a", True),
        ("ab", "ba", False),  # a transposition is two edits
    ],
)
def test_one_edit_apart(a: str, b: str, expected: bool) -> None:
    assert one_edit_apart(a, b) is expected
    assert one_edit_apart(b, a) is expected


def test_an_edit_needs_six_letters_in_the_longer_word() -> None:
    assert not words_match("petar", "petr")
    assert not words_match("abcde", "abcdf")
    assert words_match("abcdef", "abcdeg")
    assert words_match("shukin", "sukin")


# --- properties --------------------------------------------------------------------------

NAME_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFZ0123456789 .,-'&/")
    + list("čćžšđáéíóúüöäßøłČŠŽĐ")
    + list("абвгдђежзијклљмнњопрстћуфхцчџшщъыьэюяёєіїґАБВЖЩЮЯЁ")
    + ["—", "\u00a0", "\u0301"]
)
NAMES = st.text(NAME_CHARS, max_size=30)
WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=9).filter(
    lambda word: word not in LEGAL_FORM_KEYS
)
MARKS = ["\u0301", "\u0300", "\u0302", "\u0308", "\u030c", "\u0327", "\u030a", "\u0303"]


@settings(max_examples=300)
@given(NAMES | st.text(max_size=20))
def test_normalise_is_idempotent_on_its_own_output(name: str) -> None:
    for tokens in normalise(name):
        assert all(token.isascii() and token.isalnum() for token in tokens)
        assert normalise(" ".join(tokens)) == (tokens,)


@settings(max_examples=300)
@given(NAMES, NAMES)
def test_compare_is_symmetric(a: str, b: str) -> None:
    assert matches(a, b) == matches(b, a)


@given(NAMES)
def test_a_name_matches_itself_unless_it_is_empty(name: str) -> None:
    assert matches(name, name) == bool(normalise(name))


@given(st.lists(WORDS, min_size=1, max_size=6), st.randoms(), NAMES)
def test_word_order_does_not_matter(words: list[str], rnd: random.Random, other: str) -> None:
    shuffled = list(words)
    rnd.shuffle(shuffled)
    name, reordered = " ".join(words), " ".join(shuffled)
    assert matches(name, reordered)
    assert matches(name, other) == matches(reordered, other)


@given(st.lists(WORDS, min_size=1, max_size=5), st.data(), NAMES)
def test_diacritics_on_latin_letters_do_not_change_the_decision(
    words: list[str], data: st.DataObject, other: str
) -> None:
    name = " ".join(words)
    marked = "".join(
        ch + data.draw(st.sampled_from(["", *MARKS])) if ch.isalpha() else ch for ch in name
    )
    marked = unicodedata.normalize("NFC", marked.upper() if data.draw(st.booleans()) else marked)
    assert matches(name, marked)
    assert matches(name, other) == matches(marked, other)
