"""The SPEC's minimum (SPEC.md, "Names, for screening-hit"): what it matches the scored
matcher matches, what it does not match it does not, and names that are only a legal form."""

# Cyrillic letters that look like Latin ones are the point of these tests.

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from armsgate.rules.names import MinimalNameMatcher
from armsgate.screening.matcher import prepare, spec_distinct
from tests.conftest import SHARED
from tests.screening.helpers import WORDS, matches, scored

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
