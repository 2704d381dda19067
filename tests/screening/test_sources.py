"""The list parsers on the real list files in ../shared/data/screening (skipped without them).

The expected figures are what the files hold: the UN list's 684 individuals and 193
entities (as its data README says), OFAC's 14,965 SDN rows and 443 consolidated entries,
the EU flattening's 5,316 rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from armsgate.screening.sources import FORMATS, ListRecord, parse
from armsgate.screening.sources.records import ListedName

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "screening"
FILES = {
    "un-xml": "un-consolidated-2025-04-19.xml",
    "ofac-sdn-csv": "ofac-sdn-2024-05-03.csv",
    "ofac-xml": "ofac-non-sdn-consolidated-2025-03-28.xml",
    "eu-csv": "eu-consolidated-parsed-2025.csv",
}
_CACHE: dict[str, list[ListRecord]] = {}


def data_file(format_name: str) -> Path:
    path = DATA / FILES[format_name]
    if not path.is_file():
        pytest.skip(f"{path} is not there: the real list files are kept outside the "
                    "repository, in ../shared/data/screening (see its README.md)")
    return path


def records(format_name: str) -> list[ListRecord]:
    """The file's records, parsed once per test session."""
    if format_name not in _CACHE:
        _CACHE[format_name] = list(FORMATS[format_name](data_file(format_name)))
    return _CACHE[format_name]


def by_id(format_name: str, entity_id: str) -> ListRecord:
    return next(r for r in records(format_name) if r.entity_id == entity_id)


def names(record: ListRecord) -> list[tuple[str, str]]:
    return [(n.name, n.kind) for n in record.names]


@pytest.mark.parametrize(("format_name", "count", "schemas"), [
    ("un-xml", 877, {"person": 684, "organisation": 193}),
    ("ofac-sdn-csv", 14965,
     {"person": 6854, "organisation": 6884, "vessel": 851, "aircraft": 376}),
    ("ofac-xml", 443, {"person": 80, "organisation": 363}),
    ("eu-csv", 5316, {"person": 4110, "organisation": 1206}),
])
def test_counts_and_unique_ids(format_name: str, count: int, schemas: dict[str, int]) -> None:
    found = records(format_name)
    assert len(found) == count
    assert Counter(r.schema for r in found) == schemas
    assert len({r.entity_id for r in found}) == count


@pytest.mark.parametrize("format_name", list(FILES))
def test_parsing_twice_gives_the_same_ids_and_fingerprints(format_name: str) -> None:
    again = list(FORMATS[format_name](data_file(format_name)))
    first = records(format_name)
    assert [r.entity_id for r in again] == [r.entity_id for r in first]
    assert [r.fingerprint() for r in again] == [r.fingerprint() for r in first]
    assert again == first


def test_list_name_overrides_the_default() -> None:
    record = next(parse("un-xml", data_file("un-xml"), list_name="un-2025"))
    assert record.list == "un-2025"
    assert records("un-xml")[0].list == "un"
    assert records("ofac-sdn-csv")[0].list == "ofac-sdn"
    assert records("ofac-xml")[0].list == "ofac-cons"  # the file is named "consolidated"
    assert records("eu-csv")[0].list == "eu"


# --- UN ----------------------------------------------------------------------------------


def test_un_individual() -> None:
    record = by_id("un-xml", "TAi.005")
    assert record.schema == "person"
    assert names(record) == [
        ("MUHAMMAD TAHER ANWARI", "primary"),
        ("Mohammad Taher Anwari", "alias"),
        ("Muhammad Tahir Anwari", "alias"),
        ("Mohammad Tahre Anwari", "alias"),
        ("Haji Mudir", "weak-alias"),  # QUALITY Low
        ("محمد طاهر أنوري", "original-script"),
    ]
    assert record.countries == ("AF",)
    assert record.birth_dates == ("1961",)  # APPROXIMATELY, YEAR 1961
    assert record.listed_on == date(2001, 2, 23)
    assert record.programs == ("Taliban",)
    assert record.remarks.startswith("Belongs to Andar tribe. Review pursuant")


def test_un_dates_of_birth_documents_and_listing_date() -> None:
    assert by_id("un-xml", "TAi.023").birth_dates == (  # BETWEEN 1963 and 1968
        "1963", "1964", "1965", "1966", "1967", "1968")
    # a DATE_OF_BIRTH given with an alias is kept too
    assert by_id("un-xml", "QDi.217").birth_dates == ("1938-08-17",)
    # the passport repeated under "Numéro de passeport" and "Número de pasaporte" is one
    assert by_id("un-xml", "KPi.008").identifiers == (("passport", "645120196"),)
    basir = by_id("un-xml", "TAi.173")
    assert basir.identifiers == (("passport", "AA3829182"), ("national-id", "5420124679187"))
    assert basir.listed_on == date(2015, 3, 27)  # written "2015-03-27-04:00"
    assert basir.countries == ("AF", "PK")


def test_un_entity_keeps_former_names_as_aliases() -> None:
    record = by_id("un-xml", "QDe.014")
    assert record.schema == "organisation"
    assert ("Salafist Group For Call and Combat", "alias") in names(record)  # f.k.a.
    assert ("AQIM", "alias") in names(record)  # a.k.a.
    assert record.countries == ("DZ", "ML", "MR", "MA", "NE", "TN")


# --- OFAC SDN CSV --------------------------------------------------------------------------


def test_ofac_csv_weak_aliases_and_dob_from_remarks() -> None:
    record = by_id("ofac-sdn-csv", "8219")
    assert names(record) == [
        ("ALLANE, Hacene", "primary"),
        ("ABU AL-FOUTOUH", "weak-alias"),
        ("BOULAHIA", "weak-alias"),
        ("HASSAN THE OLD", "weak-alias"),
    ]
    assert record.birth_dates == ("1941-01-17",)
    assert record.programs == ("SDGT",)


def test_ofac_csv_identifiers_and_countries() -> None:
    record = by_id("ofac-sdn-csv", "31945")
    assert record.identifiers == (("passport", "DM001478"), ("national-id", "12DAGANA011336"))
    assert record.countries == ("MM",)  # "nationality Burma; citizen Burma"
    assert record.birth_dates == ("1957-07-31",)
    robow = by_id("ofac-sdn-csv", "11313")  # "No.: 0310857, Eritrea, Issue Date ..."
    assert ("passport", "0310857") in robow.identifiers
    assert ("national-id", "1372584") in robow.identifiers


def test_ofac_csv_vessel() -> None:
    record = by_id("ofac-sdn-csv", "4243")
    assert record.schema == "vessel"
    assert names(record) == [
        ("EBANO", "primary"), ("ANA I", "weak-alias"), ("SAND SWAN", "weak-alias")]  # f.k.a.
    assert record.identifiers == (("imo", "7406784"),)
    assert record.countries == ("PA",)  # the flag column


def test_ofac_csv_programs_and_cut_remarks() -> None:
    assert by_id("ofac-sdn-csv", "4632").programs == ("IRAN", "SDGT", "IRGC", "IFSR")
    lazarus = by_id("ofac-sdn-csv", "27307")
    assert len(lazarus.remarks) == 1000
    assert lazarus.remarks.endswith("'WHOIS HACKIN")
    assert "WHOIS HACKIN" not in {n.name for n in lazarus.names}  # the cut alias is dropped
    assert ("THE NEW ROMANTIC CYBER ARMY TEAM", "weak-alias") in names(lazarus)


# --- OFAC XML ------------------------------------------------------------------------------


def test_ofac_xml_individual() -> None:
    record = by_id("ofac-xml", "9641")
    assert names(record) == [
        ("AL-SHANTI, Jamileh Abdullah", "primary"),
        ("EL-SHANTI, Jameela Abdallah", "alias"),
        ("AL SHANTEE, Jamila Abed Allah", "alias"),
    ]
    assert record.countries == ("PS",)  # address country "Palestinian"
    assert record.birth_dates == ("1955",)
    assert record.programs == ("NS-PLC",)


def test_ofac_xml_entity_identifiers_and_weak_alias() -> None:
    record = by_id("ofac-xml", "17013")
    assert record.name == "VTB BANK PUBLIC JOINT STOCK COMPANY"
    assert ("JSC VTB BANK NEW DELHI BRANCH", "weak-alias") in names(record)
    assert ("VNESHTORGBANK", "alias") in names(record)
    assert ("swift-bic", "VTBRRUMM") in record.identifiers
    assert ("tax-id", "7702070139") in record.identifiers
    assert ("registration", "1027739609391") in record.identifiers
    assert record.countries[0] == "RU"
    assert record.programs == ("UKRAINE-EO13662", "RUSSIA-EO14024")


# --- EU -----------------------------------------------------------------------------------


def test_eu_record() -> None:
    saddam = next(r for r in records("eu-csv") if r.name == "Saddam Hussein Al-Tikriti")
    assert names(saddam) == [
        ("Saddam Hussein Al-Tikriti", "primary"), ("Abu Ali", "alias"), ("Abou Ali", "alias")]
    assert saddam.countries == ("IQ",)
    assert saddam.remarks == "sanction type: regulation"
    assert saddam.entity_id.startswith("eu-")
    assert len(saddam.entity_id) == 19


def test_eu_commas_in_company_names_and_split_person_names() -> None:
    found = {r.name: r for r in records("eu-csv")}
    assert names(found["KINGLY WON INTERNATIONAL CO., LTD."]) == [
        ("KINGLY WON INTERNATIONAL CO., LTD.", "primary")]
    bashaair = found["Al-Bashaair Trading Company, Ltd"]
    assert ("Al-Bushair Trading Company, Ltd", "alias") in names(bashaair)
    assert all(n.name != "Ltd" for n in bashaair.names)
    taeb = next(r for r in records("eu-csv")
                if r.name == "Hossein TAEB" and ListedName("Hassan", "weak-alias") in r.names)
    assert ("Hojjatoleslam Hossein Ta'eb", "alias") in names(taeb)


def test_eu_rows_with_the_same_name() -> None:
    eu = records("eu-csv")
    ibatullin = [r for r in eu if r.name == "Ramil Rachmatullovitj IBATULLIN"]
    assert [r.entity_id for r in ibatullin] == [
        "eu-eb3a29796b0cf4a3", "eu-eb3a29796b0cf4a3-2"]  # same name, nationality, type
    assert ibatullin[0].fingerprint() != ibatullin[1].fingerprint()
    abu_jihad = [r for r in eu if r.name == "Abu Jihad"]
    assert [r.countries for r in abu_jihad] == [("EG",), ("RU",)]  # two people: two ids
    assert not any(r.entity_id.endswith("-2") for r in abu_jihad)
    assert sum(r.entity_id.count("-") == 2 for r in eu) == 2


def test_eu_identical_rows_merge_and_ids_do_not_depend_on_position(tmp_path: Path) -> None:
    header = "Name,Alias,Nationality,Designation,Sanction Type,Source\n"
    acme = 'ACME Co.,"ACME Co., Ltd, Acme Trading",CHINA,enterprise,{},Europe\n'
    other = "Ivan PETROV,\"Ivan PETROV, Petrov, Иван ПЕТРОВ\",RUSSIAN FEDERATION,person,x,Europe\n"
    first = tmp_path / "first.csv"
    first.write_text(header + acme.format("regulation") + other + acme.format("amendment"),
                     encoding="utf-8")
    second = tmp_path / "second.csv"
    second.write_text(header + other + acme.format("regulation"), encoding="utf-8")
    merged, petrov = parse("eu-csv", first)
    assert names(merged) == [("ACME Co.", "primary"), ("ACME Co., Ltd", "alias"),
                             ("Acme Trading", "alias")]
    assert merged.remarks == "sanction type: regulation; sanction type: amendment"
    assert merged.countries == ("CN",)
    assert names(petrov) == [("Ivan PETROV", "primary"), ("Petrov", "weak-alias"),
                             ("Иван ПЕТРОВ", "alias")]
    assert {r.entity_id for r in parse("eu-csv", second)} == {merged.entity_id,
                                                              petrov.entity_id}
