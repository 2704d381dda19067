"""The reference data armsgate ships: shape, coverage and provenance."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

import pytest

from armsgate.reference import catalog
from armsgate.reference.catalog import ReferenceDataError

COMPILED = date(2026, 11, 22)
RESOLUTION = re.compile(r"S/RES/\d{3,4} \((19|20)\d{2}\)")
DATA_FILES = (
    "ml_categories.yaml",
    "countries.yaml",
    "un_embargoes.yaml",
    "policies/default.yaml",
    "policies/serbia-2025.yaml",
)


def _read(relative: str) -> str:
    node = resources.files("armsgate.reference").joinpath("data")
    for part in relative.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


@pytest.mark.parametrize("relative", DATA_FILES)
def test_each_file_opens_with_a_header_naming_sources_and_compile_date(relative: str) -> None:
    text = _read(relative)
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert text.startswith("#")
    assert "2026-11-22" in header
    assert "ource" in header  # "Source:" / "Sources"


def test_ml_categories_are_ml1_to_ml22_in_order() -> None:
    categories = catalog.ml_categories()
    assert [c.code for c in categories] == [f"ML{n}" for n in range(1, 23)]
    assert categories[0].title.startswith("Smooth-bore weapons with a calibre of less than 20 mm")
    for item in categories:
        assert item.title
        assert item.source
        assert item.verified or item.note, f"{item.code} is unverified without a note"


def test_countries_cover_iso_codes_and_exclude_user_assigned_ones() -> None:
    codes = [c.code for c in catalog.countries()]
    assert {"RS", "NO", "UA"} <= set(codes)
    assert "XK" not in codes
    assert len(codes) == len(set(codes)) >= 249
    assert codes == sorted(codes)
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)
    names = {c.code: c.name for c in catalog.countries()}
    assert names["RS"] == "Serbia"
    assert names["NO"] == "Norway"  # not read as the YAML 1.1 boolean
    assert catalog.country_codes() == frozenset(codes)


def test_every_embargo_country_is_a_known_code_or_null() -> None:
    known = catalog.country_codes()
    embargoes = catalog.un_embargoes()
    assert embargoes
    for embargo in embargoes:
        assert embargo.country is None or embargo.country in known, embargo.id
    assert any(e.country is None for e in embargoes)  # ISIL (Da'esh) and Al-Qaida
    assert "ER" not in {e.country for e in embargoes}  # lifted in 2018


def test_embargo_fields_are_well_formed() -> None:
    ids = [e.id for e in catalog.un_embargoes()]
    assert len(ids) == len(set(ids))
    for embargo in catalog.un_embargoes():
        assert embargo.by == "UN"
        assert embargo.target in ("government", "non_state_actors")
        assert embargo.resolutions
        assert all(RESOLUTION.fullmatch(r) for r in embargo.resolutions), embargo.resolutions
        assert embargo.categories is None or all(
            re.fullmatch(r"ML\d{1,2}", c) for c in embargo.categories
        )
        assert embargo.source
        assert embargo.note
        assert embargo.in_force(COMPILED), embargo.id


def test_embargo_dates_parse() -> None:
    for embargo in catalog.un_embargoes():
        assert isinstance(embargo.from_, date)
        assert date(1990, 1, 1) <= embargo.from_ <= COMPILED
        assert embargo.to is None or embargo.to >= embargo.from_
    by_id = {e.id: e for e in catalog.un_embargoes()}
    assert by_id["UN-SO"].from_ == date(1992, 1, 23)
    assert by_id["UN-SO"].target == "non_state_actors"
    assert by_id["UN-KP"].target == "government"


def test_every_entry_has_a_source() -> None:
    assert all(item.source for item in catalog.ml_categories())
    assert all(item.source for item in catalog.un_embargoes())
    for name in ("default", "serbia-2025"):
        assert catalog.policy(name).sources


def test_serbia_policy_since_june_2025() -> None:
    rs = catalog.policy("serbia-2025")
    assert rs.id == "RS-2025-06-23"
    assert rs.country == "RS"
    assert rs.from_ == date(2025, 6, 23)
    assert rs.consents == ("defence", "foreign_affairs", "interior", "security")
    assert rs.nsc.always
    assert rs.nsc.on_gray_list
    assert rs.nsc.on_flags
    assert rs.nsc.value_over is None
    assert rs.euc_required
    assert rs.licence_days == 365
    assert rs.bodies["nsc"] == "National Security Council"
    assert set(rs.consents) <= set(rs.bodies)
    assert rs.verified is False
    assert rs.note


def test_default_policy() -> None:
    default = catalog.policy("default")
    assert default.country is None
    assert default.from_ is None
    assert default.consents == ("defence", "foreign_affairs")
    assert (default.nsc.always, default.nsc.on_gray_list, default.nsc.on_flags) == (
        False,
        True,
        True,
    )
    assert default.nsc.value_over is None
    assert default.euc_required
    assert default.licence_days == 365


@pytest.mark.parametrize("name", ["../countries", "Serbia-2025", "", "no-such-policy"])
def test_unknown_or_unsafe_policy_names_are_refused(name: str) -> None:
    with pytest.raises(ReferenceDataError):
        catalog.policy(name)


def test_loaders_are_cached_and_values_immutable() -> None:
    assert catalog.ml_categories() is catalog.ml_categories()
    assert catalog.un_embargoes() is catalog.un_embargoes()
    assert catalog.policy("default") is catalog.policy("default")
    with pytest.raises(TypeError):
        catalog.policy("default").bodies["defence"] = "x"  # type: ignore[index]
