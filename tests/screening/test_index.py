"""The name index: it finds what the matcher matches (the same hits as scoring every entry),
whatever the script, diacritics, word order, legal forms or typos, and not unrelated names."""

# Cyrillic and Arabic names are the point of these tests.

from __future__ import annotations

import pickle
import random

import pytest

from armsgate.screening.index import NameIndex
from armsgate.screening.matcher import FEATURES, Candidate, NameQuery

ENTRIES: list[tuple[str, Candidate]] = [
    ("krusik", Candidate(("KRUSIK VALJEVO AD", "Krušik a.d. Valjevo"), "organisation", ("RS",))),
    ("vucic", Candidate(("Aleksandar Vučić", "Александар Вучић"), "person", ("RS",),
                        ("1970-03-05",))),
    ("policske", Candidate(("Poličské strojírny a.s.",), "organisation", ("CZ",))),
    ("jugoimport", Candidate(("Jugoimport SDPR", "SDPR Jugoimport J.P."), "organisation")),
    ("petrovic", Candidate(("Ivan Petrovic", "Иван Петровић"), "person")),
    ("stan", Candidate(("STAN LLC",), "organisation")),
    ("gulf", Candidate(("Gulf Star General Trading LLC",), "organisation")),
    ("mohammed", Candidate(("Mohammed Abdullah Al-Harbi", "محمد عبد الله الحربي"), "person")),
    ("zhukov", Candidate(("Евгений Жуков",), "person")),
    ("danube", Candidate(("Danube Shipping 5",), "organisation")),
    ("adria", Candidate(("Adriatic Starr",), "vessel", identifiers=(("imo", "9187629"),))),
    ("markovic", Candidate(("J. Markovic",), "person")),
    ("romashka", Candidate(("ООО Ромашка",), "organisation", ("RU",))),
    ("ebco", Candidate(("Ebco",), "organisation")),
    ("mpano", Candidate(("Mpano",), "person")),
    ("import-export", Candidate(("China Precision Machinery Import/Export Corporation",),
                                "organisation")),
]


@pytest.fixture(scope="module")
def index() -> NameIndex[str]:
    built: NameIndex[str] = NameIndex()
    built.extend((candidate, key) for key, candidate in ENTRIES)
    return built


def found(index: NameIndex[str], name: str, *, country: str | None = None,
          birth_date: str | None = None,
          identifiers: tuple[tuple[str, str], ...] = ()) -> list[str]:  # fmt: skip
    query = NameQuery(name, country=country, birth_date=birth_date, identifiers=identifiers)
    return [hit.payload for hit in index.search(query)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Krusik AD", "krusik"),  # diacritics and legal forms
        ("Krušik a. d. Valjevo", "krusik"),
        ("Valjevo Krusik", "krusik"),  # word order
        ("Krusik Valjeva", "krusik"),  # a typo
        ("КРУШИК ВАЉЕВО", "krusik"),  # Cyrillic against Latin
        ("Александар Вучић", "vucic"),
        ("Aleksandar Vucic", "vucic"),
        ("VUCIC, Aleksandar", "vucic"),
        ("Policske Strojirni", "policske"),
        ("SDPR Jugoimport", "jugoimport"),
        ("IvanPetrovic", "petrovic"),  # two words written as one
        ("Petrović Ivan", "petrovic"),
        ("Muhammad Abdallah Al Harbi", "mohammed"),  # sounds alike
        ("Evgenij Žukov", "zhukov"),
        ("Yevgeniy Zhukov", "zhukov"),
        ("Jovan Markovic", "markovic"),  # an initial
        ("Romashka LLC", "romashka"),
        ("Gulf Star General Trading L.L.C.", "gulf"),
    ],
)
def test_the_index_finds_variants_of_a_listed_name(
    index: NameIndex[str], name: str, expected: str
) -> None:
    assert expected in found(index, name)


@pytest.mark.parametrize(
    ("name", "unexpected"),
    [
        ("Star Logistics Ltd", "stan"),  # one short word within an edit: chance
        ("Star Logistics", "gulf"),  # the SPEC's no-hit example
        ("EBANO", "ebco"),  # two edits in a short word
        ("EBANO", "mpano"),
        ("Danube Shipping 6", "danube"),  # numbers must match
        ("Export", "import-export"),  # "Import/Export" is no pair of alternatives
        ("Vladimir Putin", "vucic"),
    ],
)
def test_the_index_does_not_find_unrelated_names(
    index: NameIndex[str], name: str, unexpected: str
) -> None:
    assert unexpected not in found(index, name)


def perturbed(name: str, rnd: random.Random) -> str:
    """The name with a letter substituted, deleted or transposed, or words reordered."""
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    i = rnd.choice(letters)
    kind = rnd.randrange(4)
    if kind == 0:
        return name[:i] + rnd.choice("abcdeiklmnorstu") + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2 and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    words = name.split()
    rnd.shuffle(words)
    return " ".join(words)


def queries() -> list[str]:
    rnd = random.Random(20250419)
    names = [name for _, candidate in ENTRIES for name in candidate.names]
    made = [perturbed(rnd.choice(names), rnd) for _ in range(150)]
    return [*names, *made, "Star Logistics Ltd", "Ali", "Gulf Trading", "Ivan", "A. B. C."]


def test_search_finds_what_scoring_every_entry_finds(index: NameIndex[str]) -> None:
    total = 0
    for name in queries():
        query = NameQuery(name)
        searched = [(h.payload, round(h.match.score, 9)) for h in index.search(query)]
        scanned = [(h.payload, round(h.match.score, 9)) for h in index.scan(query)]
        assert sorted(searched) == sorted(scanned), name
        total += len(scanned)
    assert total > 100  # the perturbed names do match


def test_hits_carry_their_payloads_and_matches(index: NameIndex[str]) -> None:
    hits = index.search(NameQuery("Krusik Valjevo"))
    assert [h.payload for h in hits] == ["krusik"]
    assert hits[0].match.match
    assert hits[0].match.candidate_name in ENTRIES[0][1].names
    assert list(index.payloads()) == [key for key, _ in ENTRIES]
    assert len(index) == len(ENTRIES)


def test_candidates_are_entry_numbers_best_first(index: NameIndex[str]) -> None:
    numbers = index.candidates("Krusik Valjevo")
    assert numbers[0] == 0
    assert index.candidates("Zyxwv Qrstp") == []


def test_a_shared_identifier_finds_an_entry_under_another_name(index: NameIndex[str]) -> None:
    ids = (("IMO", "9187629"),)
    assert "adria" in found(index, "Adria Star", identifiers=ids)
    assert "adria" not in found(index, "Adria Star")


def test_context_is_taken_into_account(index: NameIndex[str]) -> None:
    name = "Aleksandar Vucic"
    assert "vucic" in found(index, name, birth_date="1970-03-05", country="RS")
    query = NameQuery(name, birth_date="1970-03-05")
    assert [h.payload for h in index.search(query)] == [h.payload for h in index.scan(query)]


def test_non_matches_on_request(index: NameIndex[str]) -> None:
    query = NameQuery("Krusik Holding Trading")
    everything = index.search(query, include_non_matches=True)
    matches = index.search(query)
    assert {h.payload for h in matches} <= {h.payload for h in everything}
    assert all(h.match.match for h in matches)


def test_matches_explain_themselves_when_read_and_travel(index: NameIndex[str]) -> None:
    hit = index.search(NameQuery("Krusik Valjeva"))[0]
    copy = pickle.loads(pickle.dumps(hit))  # as from a worker process of `search_batch`
    assert copy == hit
    assert copy.match.explanation == hit.match.explanation
    assert "valjeva~valjevo" in copy.match.explanation
    assert tuple(f.name for f in copy.match.features) == FEATURES


def test_a_batch_gives_what_single_searches_give(index: NameIndex[str]) -> None:
    batch = [NameQuery(name) for name in queries()[:40]]
    single = [[h.payload for h in index.search(q)] for q in batch]
    assert [[h.payload for h in hits] for hits in index.search_batch(batch)] == single
    forked = index.search_batch(batch, processes=2)
    assert [[h.payload for h in hits] for hits in forked] == single


def test_entries_added_later_are_found() -> None:
    grown: NameIndex[int] = NameIndex(depth=10)
    grown.add(Candidate(("Krusik Valjevo",)), 1)
    assert [h.payload for h in grown.search(NameQuery("Krusik"))] == [1]
    grown.add(Candidate(("Krusik Holding",)), 2)
    assert {h.payload for h in grown.search(NameQuery("Krusik"))} == {1, 2}
