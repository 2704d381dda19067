"""Names prepared for scoring: romanisation variants, other scripts and punctuation, legal
forms, the cache."""

# Cyrillic letters that look like Latin ones are the point of these tests.

from __future__ import annotations

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
