"""The scored name matcher: the SPEC's minimum and non-matches, the seed names, context,
the explanation, and properties (score range, symmetry, word order)."""

# Cyrillic letters that look like Latin ones are the point of these tests.

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from armsgate.rules.names import MinimalNameMatcher, NameMatch, NameMatcher
from armsgate.screening.features import pair_edits
from armsgate.screening.fitting import Counts, best_threshold, fit_logistic
from armsgate.screening.legal_forms import PARTICLES, TENS, TITLES, UNITS
from armsgate.screening.matcher import (
    FEATURES,
    THRESHOLD,
    Candidate,
    NameQuery,
    ScoredMatch,
    ScoredMatcher,
    prepare,
    spec_distinct,
)
from armsgate.screening.normalise import FORM_KEYS
from tests.conftest import SHARED

MATCHER = ScoredMatcher()


def scored(name: str, other: str) -> ScoredMatch:
    return MATCHER.score(NameQuery(name), Candidate((other,)))


def matches(name: str, other: str) -> bool:
    return MATCHER.compare(name, other) is not None


# --- the SPEC's minimum ------------------------------------------------------------------

SPEC_MATCHING = [
    # the same words in any order
    ("Gulf Star General Trading LLC", "Star Gulf General Trading L.L.C."),
    ("Jugoimport SDPR", "SDPR Jugoimport"),
    # one edit in words of six letters or more
    ("Krusik Valjevo", "Krusik Valjeva"),
    ("Moravske Strojirny", "Moravske Strojirni"),
    # Cyrillic and Latin, under each romanisation
    ("Јужни Ветар д.о.о.", "JUZNI VETAR D.O.O."),
    ("Ђорђе Петровић", "Djordje Petrovic"),
    ("Ђорђе Петровић", "Dorde Petrovic"),
    ("Евгений Жуков", "Yevgeniy Zhukov"),
    ("Евгений Жуков", "Evgenij Žukov"),
    ("Щукин", "Shchukin"),
    ("Щукин", "Shtukin"),
    ("Євген Гордієнко", "Yevhen Hordiyenko"),
    # legal forms in either script, whatever their dots and spaces
    ("Прва Искра АД", "Prva Iskra a. d."),
    ("Балкан ЕООД", "Balkan"),
    ("ООО Ромашка", "Romashka LLC"),
    ("Moravske Strojirny a.s.", "MORAVSKÉ STROJÍRNY, a. s."),
    ("Jugoimport d o o", "Jugoimport D.O.O."),
]


@pytest.mark.parametrize(("name", "other"), SPEC_MATCHING)
def test_the_spec_minimum_matches(name: str, other: str) -> None:
    assert matches(name, other)
    assert matches(other, name)


WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=9).filter(
    lambda word: word not in FORM_KEYS and word not in TITLES and word not in PARTICLES
    and word not in UNITS and word not in TENS
)


@settings(max_examples=150)
@given(st.lists(WORDS, min_size=1, max_size=5, unique=True), st.randoms(), st.data())
def test_same_words_in_any_order_with_one_edit_in_a_long_word_match(
    words: list[str], rnd: random.Random, data: st.DataObject
) -> None:
    other = list(words)
    rnd.shuffle(other)
    long_words = [k for k, word in enumerate(other) if len(word) >= 6]
    if long_words:
        k = data.draw(st.sampled_from(long_words))
        position = data.draw(st.integers(0, len(other[k]) - 1))
        other[k] = other[k][:position] + other[k][position + 1 :]  # one letter deleted
    assert matches(" ".join(words), " ".join(other))


SPEC_NOT_MATCHING = [
    ("Star Logistics", "Gulf Star General Trading"),
    ("Moravske Strojirny a.s.", "Moravian General Trading"),
    ("Krušik a.d. Valjevo", "Army of North Macedonia"),
    ("Star Logistics", "Star Trading"),
    ("Щукин", "Sokolov"),
]


@pytest.mark.parametrize(("name", "other"), SPEC_NOT_MATCHING)
def test_the_spec_non_matches_do_not_match(name: str, other: str) -> None:
    assert not matches(name, other)
    assert not matches(other, name)


def scenario_name_pairs() -> list[tuple[str, str]]:
    """Every party name or alias against every screening name of the public scenarios."""
    pairs = []
    for path in sorted((SHARED / "conformance" / "scenarios").glob("*.yaml")):
        scenario = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        world = scenario.get("world") or {}
        entries = [entry["name"] for entry in world.get("screening", [])]
        entries += [step["sanction"]["name"] for step in scenario.get("steps", [])
                    if "sanction" in step]  # fmt: skip
        for party in world.get("parties", []):
            for name in (party["name"], *party.get("aliases", [])):
                pairs += [(name, entry) for entry in entries]
    return pairs


def test_the_public_scenarios_get_the_decisions_of_the_minimal_matcher() -> None:
    pairs = scenario_name_pairs()
    if not pairs:
        pytest.skip(f"no conformance scenarios with screening under {SHARED}")
    minimal = MinimalNameMatcher()
    for name, entry in pairs:
        expected = minimal.compare(name, entry) is not None
        assert matches(name, entry) is expected, (name, entry)


def test_the_spec_example_is_in_its_no_hit_class() -> None:
    assert spec_distinct("Star Logistics", "Gulf Star General Trading")
    assert not spec_distinct("Krušik a.d. Valjevo", "Krusik AD")  # one word left there


@pytest.mark.parametrize("form", ["d.o.o.", "LLC", "L.L.C.", "a. s.", "ЕООД", "д.о.о.", "ООО"])
def test_a_name_that_is_only_a_legal_form_matches_nothing(form: str) -> None:
    assert prepare(form).variants == ()
    for other in (form, "Krusik", f"Krusik {form}"):
        result = scored(form, other)
        assert not result.match
        assert result.score == 0.0
        assert not matches(other, form)


# --- the seed names ----------------------------------------------------------------------

SEEDS = [
    ("Krušik a.d. Valjevo", "Krusik AD"),
    ("Poličské strojírny a.s.", "Policske Strojirni"),
    ("Александар Вучић", "Aleksandar Vucic"),
    ("КРУШИК", "Krusik AD"),
]


@pytest.mark.parametrize(("name", "other"), SEEDS)
def test_the_seed_names_match(name: str, other: str) -> None:
    assert scored(name, other).match
    assert scored(other, name).match


def test_the_romanisation_used_is_named() -> None:
    assert scored("Александар Вучић", "Aleksandar Vucic").romanisation == "serbian-latin"
    assert scored("Щукин", "Shchukin").romanisation == "bgn-pcgn"
    assert scored("Krusik", "Krusik").romanisation == "latin"


# --- normalisation -----------------------------------------------------------------------


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


# --- more than the minimum ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("J. Markovic", "Jovan Markovic"),
        ("IvanPetrovic", "Ivan Petrovic"),
        ("Zastava Oruzje AG", "Zastava Oruzje Aktiengesellschaft"),
        ("Drina Tours 1", "Drina Tour 1"),
        ("Unit Twenty-Two", "Unit 22"),
    ],
)
def test_more_than_the_minimum_matches(name: str, other: str) -> None:
    assert matches(name, other)


def test_numbers_must_match_exactly() -> None:
    assert not matches("Danube Shipping 5", "Danube Shipping 6")
    assert not matches("Morava Holding 23", "Morava Holding 24")


def test_an_initial_of_another_letter_does_not_help() -> None:
    initial = scored("J. Markovic", "Jovan Markovic").score
    assert scored("A. Markovic", "Jovan Markovic").score < initial


def test_legal_forms_are_weak_evidence() -> None:
    same = scored("Iskra Trading AD", "Iskra Trading JSC").score
    none = scored("Iskra Trading AD", "Iskra Trading").score
    conflict = scored("Iskra Trading AD", "Iskra Trading d.o.o.").score
    assert same > none > conflict


def test_the_best_alias_is_reported() -> None:
    candidate = Candidate(("Gulf Star General Trading", "Krusik", "KRUSIK VALJEVO"))
    result = MATCHER.score(NameQuery("Krušik a.d. Valjevo"), candidate)
    assert result.match
    assert result.candidate_name == "KRUSIK VALJEVO"


# --- precision against a whole list ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("EBANO", "Ebco"),  # two edits in a short word
        ("EBANO", "Mpano"),
        ("Star Logistics Ltd", "STAN LLC"),  # one short inexact word under a longer name
        ("sEMETER", "سمير جمعة"),  # a short consonant skeleton within an edit
        ("Konnol Lialyan", "ﻛﻤﺎل ﺟﺮﻣﺎن"),  # two consonants ("ln") align nothing
        ("Olga Barynova", "Oleg Baranov"),  # "sound alike" allows half the letters, not all
    ],
)
def test_chance_resemblances_do_not_match(name: str, other: str) -> None:
    assert not matches(name, other)
    assert not matches(other, name)


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Mohamed Ali", "Muhammad Ali"),  # the same metaphone key: three edits in eight
        ("Khordorovsky Mikhail", "Mikhail Khodorkovsky"),  # two edits from eight letters
        ("Abdurrahim Haqqani", "Abdurrahman Haqqani"),  # the same stem, another ending
        ("Fernando Pérez", "فرناندو بيريز"),  # the same consonants
        ("Star Technologies JSC", "JSC Star Technology"),
        ("Global Industries", "Global Industry"),
    ],
)
def test_close_names_still_match(name: str, other: str) -> None:
    assert matches(name, other)


def test_the_edits_a_pair_of_words_may_have_depend_on_its_length() -> None:
    assert pair_edits("stan", "star", False, False) is not None
    assert pair_edits("ebano", "ebco", False, False) is None  # two edits, five letters
    assert pair_edits("khodorkovsky", "khordorovsky", False, False) is not None
    assert pair_edits("abcdefghijkl", "abxdefyhizkl", False, False) is None  # three edits
    assert pair_edits("mhmd", "mhmt", True, True) is not None
    assert pair_edits("smr", "smtr", False, True) is None
    assert pair_edits("technologies", "technology", False, False) is not None
    assert pair_edits("vladimirovich", "vladimir", False, False) is None  # not an ending


# --- corroboration and contradiction ------------------------------------------------------

NAME = "Ivan Petrovic"
CLOSE = "Ivan Petrovich"


def with_context(query: NameQuery, candidate: Candidate) -> float:
    return MATCHER.score(query, candidate).score


def test_identifiers_corroborate_and_contradict() -> None:
    plain = with_context(NameQuery(NAME), Candidate((CLOSE,)))
    passport = (("passport", "AB 123456"),)
    same = with_context(NameQuery(NAME, identifiers=passport),
                        Candidate((CLOSE,), identifiers=(("Passport", "ab123456"),)))
    other = with_context(NameQuery(NAME, identifiers=passport),
                         Candidate((CLOSE,), identifiers=(("passport", "CD 999"),)))
    assert same > plain > other


def test_birth_dates_corroborate_and_contradict() -> None:
    def score(date: str) -> float:
        return with_context(NameQuery(NAME, birth_date=date),
                            Candidate((CLOSE,), birth_dates=("1961-04-12",)))

    plain = with_context(NameQuery(NAME), Candidate((CLOSE,)))
    assert score("1961-04-12") > score("1961") > plain > score("1975-01-01")


def test_country_and_schema() -> None:
    plain = with_context(NameQuery(NAME), Candidate((CLOSE,)))
    same = with_context(NameQuery(NAME, country="RS"), Candidate((CLOSE,), countries=("RS",)))
    other = with_context(NameQuery(NAME, country="RS"), Candidate((CLOSE,), countries=("RU",)))
    vessel = with_context(NameQuery(NAME, schema="person"), Candidate((CLOSE,), schema="Vessel"))
    assert same > plain > other
    assert vessel < plain


def test_a_shared_identifier_outweighs_a_doubtful_name() -> None:
    ids = (("imo", "9187629"),)
    query, candidate = NameQuery("Adria Star", identifiers=ids), Candidate(("Adriatic Starr",))
    assert not MATCHER.score(query, candidate).match
    assert MATCHER.score(query, Candidate(candidate.names, identifiers=ids)).match


# --- the result and its explanation ------------------------------------------------------


def test_the_result_explains_itself() -> None:
    result = scored("Krušik a.d. Valjevo", "Krusik AD")
    assert result.query_name == "Krušik a.d. Valjevo"
    assert result.candidate_name == "Krusik AD"
    assert result.romanisation == "latin"
    assert tuple(f.name for f in result.features) == FEATURES
    assert all(f.contribution == f.value * f.weight for f in result.features)
    logit = sum(f.contribution for f in result.features)
    assert result.score == pytest.approx(1 / (1 + math.exp(-logit)))
    for part in ("[krusik valjevo] vs [krusik]", "unmatched valjevo", "legal forms ad vs ad",
                 "threshold", "contributions", "unmatched_max"):
        assert part in result.explanation


def test_the_spec_floor_is_explained() -> None:
    matcher = ScoredMatcher(threshold=0.999)
    result = matcher.score(NameQuery("Krusik Valjevo"), Candidate(("Krusik Valjeva",)))
    assert result.match
    assert "SPEC minimum" in result.explanation


def test_compare_is_a_name_matcher() -> None:
    assert isinstance(MATCHER, NameMatcher)
    match = MATCHER.compare("Јужни Ветар д.о.о.", "JUZNI VETAR D.O.O.")
    assert isinstance(match, NameMatch)
    assert match.name == "Јужни Ветар д.о.о."
    assert match.other == "JUZNI VETAR D.O.O."
    assert match.score >= THRESHOLD
    assert match.romanisation == "serbian-latin"
    assert MATCHER.compare("Star Logistics", "Gulf Star General Trading") is None


def test_threshold_and_weights_can_be_set() -> None:
    assert ScoredMatcher(threshold=0.01).compare("Star Logistics", "Star Trading") is not None
    heavy = ScoredMatcher(weights={"unmatched_max": -50.0})
    assert not heavy.score(NameQuery("Krušik a.d. Valjevo"), Candidate(("Krusik AD",))).match
    assert heavy.threshold == THRESHOLD


def test_a_candidate_without_names_matches_nothing() -> None:
    result = MATCHER.score(NameQuery("Krusik"), Candidate(()))
    assert not result.match
    assert result.score == 0.0


# --- properties --------------------------------------------------------------------------

NAME_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFZ0123456789 .,-'&/")
    + list("čćžšđáéíóúüöäßøłČŠŽĐ")
    + list("абвгдђежзијклљмнњопрстћуфхцчџшщъыьэюяёєіїґАБВЖЩЮЯЁ")
)
NAMES = st.text(NAME_CHARS, max_size=30)


@settings(max_examples=300)
@given(NAMES | st.text(max_size=20), NAMES)
def test_the_score_is_a_probability_and_symmetric(a: str, b: str) -> None:
    one, two = scored(a, b), scored(b, a)
    assert 0.0 <= one.score <= 1.0
    assert one.score == pytest.approx(two.score, abs=1e-9)
    assert one.match == two.match


@settings(max_examples=200)
@given(st.lists(WORDS, min_size=1, max_size=6), st.randoms(), NAMES)
def test_word_order_does_not_change_the_score(
    words: list[str], rnd: random.Random, other: str
) -> None:
    shuffled = list(words)
    rnd.shuffle(shuffled)
    name, reordered = " ".join(words), " ".join(shuffled)
    assert scored(name, reordered).match
    assert scored(name, other).score == pytest.approx(scored(reordered, other).score, abs=1e-9)


# --- fitting -----------------------------------------------------------------------------


def test_the_fit_keeps_signs_and_priors() -> None:
    rnd = random.Random(7)
    rows = [[1.0, rnd.random(), rnd.random(), 1.0] for _ in range(200)]
    labels = [row[1] > 0.5 for row in rows]  # column 2 is noise, column 3 a fixed prior
    weights = fit_logistic(rows, labels, l2=1.0, signs=[0, 1, 1, 0], fixed={3: -0.5})
    assert weights[1] > 2.0
    assert weights[2] >= 0.0
    assert weights[3] == -0.5
    scores = [1 / (1 + math.exp(-sum(w * x for w, x in zip(weights, row, strict=True))))
              for row in rows]  # fmt: skip
    threshold = best_threshold(scores, labels, [None] * len(rows))
    assert Counts.of([s >= threshold for s in scores], labels).f1 > 0.9
