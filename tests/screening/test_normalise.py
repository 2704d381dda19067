"""Names prepared for scoring: romanisation variants, other scripts and punctuation, legal
forms, the cache."""

# Cyrillic letters that look like Latin ones are the point of these tests.

from __future__ import annotations

import string
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from armsgate.rules import names
from armsgate.screening import legal_forms, normalise
from armsgate.screening.normalise import prepare


def variants(name: str) -> set[tuple[str, ...]]:
    return {variant.tokens for variant in prepare(name).variants}


def test_cyrillic_romanisation_variants() -> None:
    assert {("dorde",), ("djordje",)} <= variants("Ђорђе")
    assert {("zukov",), ("zhukov",)} <= variants("Жуков")
    assert {("shtukin",), ("shchukin",)} <= variants("Щукин")
    assert ("hordiyenko",) in variants("Гордієнко")


def test_other_scripts_and_punctuation() -> None:
    assert variants("Krusik Holding/Valjevo Arms") >= {("krusik", "holding"), ("valjevo", "arms")}
    assert variants("Markovic,Jovan") == {("markovic", "jovan")}
    assert variants("H&M") == variants("H and M") == {("h", "m"), ("hm",)}
    assert all(t.isascii() for tokens in variants("イワン・ペトロフ") for t in tokens)
    assert len(next(iter(variants("イワン・ペトロフ")))) == 2
    assert variants("Machinery Import/Export Corp.") == {("machinery", "import", "export")}
    assert variants("ﻛﻤﺎل") == variants("كمال")  # presentation forms read as letters


def test_legal_forms_are_removed_and_remembered() -> None:
    krusik = prepare("Krušik a.d. Valjevo")
    assert variants("Krušik a.d. Valjevo") == {("krusik", "valjevo")}
    assert krusik.forms == {"ad"}
    assert prepare("ООО Ромашка").families == {"limited-liability"}
    assert variants("A.B.C. Company") == {("abc",)}  # initials joined; not "a.b." + "c"


def test_prepare_is_cached() -> None:
    assert prepare("Krušik a.d. Valjevo") is prepare("Krušik a.d. Valjevo")


# --- the short cuts give what the steps give ------------------------------------------
# `prepare` takes short cuts for the common names (ASCII: one translation; no legal form,
# particle, number or initial: those steps skipped; one romanisation: no merging of
# variants). Each is checked against the steps it replaces, on names drawn at random from
# characters that exercise them.

_NAME_CHARS = string.printable + "đĐžŽšćčöøßæ’ʼ“”–—&/.,'-" + "КрушикЖЩГгяеё" + "كمال" + "イワン"
_names = st.text(alphabet=_NAME_CHARS, max_size=40)
_FORM_WORDS = [
    "a",
    "d",
    "ad",
    "d",
    "o",
    "doo",
    "inc",
    "co",
    "ltd",
    "joint",
    "stock",
    "company",
    "gmbh",
    "llc",
    "corporation",
    "state",
    "sa",
    "ag",
    "oo",
]
_words = st.lists(
    st.sampled_from([*_FORM_WORDS, "krusik", "valjevo", "x", "ab", "holding"]), max_size=8
).map(tuple)


def _step_by_step(name: str) -> normalise.PreparedName:
    shown = normalise._PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m[0]), name)
    text, abjad = normalise._romanise_scripts(unicodedata.normalize("NFC", shown))
    raw = [v for part in normalise._alternatives(text) for v in names._unicode_variants(part)]
    return normalise._prepared(name, [*raw, *raw], abjad=abjad)  # twice: the merging loop


@settings(max_examples=400, deadline=None)
@given(_names)
def test_prepare_short_cuts_give_what_the_steps_give(name: str) -> None:
    assert prepare.__wrapped__(name) == _step_by_step(name)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable, max_size=40))
def test_ascii_words_in_one_translation(name: str) -> None:
    assert names.word_variants(name) == names._unicode_variants(name)


@settings(max_examples=300, deadline=None)
@given(_names)
def test_words_of_a_romanised_text(text: str) -> None:
    """`_tokens` (translation tables) against the rule written out: each character spelled
    in ASCII, dashes as spaces, words split, what is not an ASCII letter or digit deleted."""
    for dj in (False, True):
        spelled = "".join(names._ascii_char(ch, dj=dj)
                          for ch in unicodedata.normalize("NFKD", text))  # fmt: skip
        words = spelled.casefold().replace("-", " ").split()
        cleaned = ("".join(ch for ch in w if ch.isascii() and ch.isalnum()) for w in words)
        assert names._tokens(text, dj=dj) == tuple(w for w in cleaned if w)


@settings(max_examples=300, deadline=None)
@given(_words)
def test_legal_form_short_cuts(tokens: tuple[str, ...]) -> None:
    assert legal_forms.strip_forms(tokens) == legal_forms.strip_each_form(tokens)
    if names._FORM_STARTS.isdisjoint(tokens):
        assert names._strip_once(tokens) == tokens


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.ascii_lowercase + string.digits, max_size=12))
def test_skeleton_is_the_consonants_doubled_once(word: str) -> None:
    out: list[str] = []
    for ch in word.translate(str.maketrans("pvqc", "bfkk")):
        if ch not in "aeiouyw" and not (out and out[-1] == ch):
            out.append(ch)
    assert normalise.skeleton(word) == (word if word.isdigit() else "".join(out) or word[:1])
